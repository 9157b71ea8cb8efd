// SPDX-License-Identifier: GPL-2.0
/*
 * The exit ring (vcpu-set-ring): registration and its errors, vCPUs on the
 * ring beside vCPUs on netlink in one VM, and an owner that misbehaves
 * through the page: a completion with another exit's seq, a malformed
 * completion, the page rewritten while the vCPU waits, the eventfds, the
 * page or the socket given up mid-exit; pause, resume and destroy while the vCPU
 * polls. The PIO and MMIO tests run over the ring too (their variants).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB (1 << 20)

/* Two reports, a read from TEST_PORT, the value read as a third, HLT. */
GUEST_CODE(ring_guest, ".code64",
	"mov $1, %eax\n"
	G_REPORT
	"mov $2, %eax\n"
	G_REPORT
	"mov $0x1000, %dx\n"
	"in (%dx), %eax\n"
	G_REPORT
	"hlt\n");

/* The guest's instructions: RIP after the first OUT. */
#define AFTER_FIRST_OUT (CODE_GPA + 5 + 4 + 1)

static void load(struct __test_metadata *_metadata, struct tvm *vm)
{
	uint32_t i;

	tvm_load(vm, CODE_GPA, ring_guest_start, ring_guest_end);
	for (i = 0; i < vm->nr_vcpus; i++)
		ASSERT_EQ(0, tvm_set_mode(vm, i, MODE_LONG64, CODE_GPA));
}

/* Run the guest up to its IN; return that exit, not completed. */
static void up_to_in(struct __test_metadata *_metadata, struct tvm *vm,
		     struct hv_message *ev)
{
	uint64_t v;

	ASSERT_EQ(0, tvm_expect_report(vm, &v, 10000));
	ASSERT_EQ(1, v);
	ASSERT_EQ(0, tvm_expect_report(vm, &v, 10000));
	ASSERT_EQ(2, v);
	ASSERT_EQ(0, tvm_next_exit(vm, ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_IO, ev->reason);
	ASSERT_EQ(HV_DIR_READ, ev->dir);
	ASSERT_EQ(TEST_PORT, ev->port);
	ASSERT_EQ(4, ev->size);
}

static void vcpu_info(struct __test_metadata *_metadata, struct tvm *vm,
		      uint32_t vcpu, struct hv_vcpu_info *info)
{
	ASSERT_EQ(0, hv_vcpu_get(vm->h, vm->id, vcpu, info));
}

/* Write a completion into the page as the library would, with a twist. */
static void write_completion(struct hv_vcpu_ring *r, uint64_t seq,
			     uint64_t data, uint32_t flags, uint32_t reserved)
{
	struct hv_ring *page = hv_vcpu_ring_page(r);
	uint64_t one = 1;

	page->completion.data = data;
	page->completion.flags = flags;
	page->completion.reserved = reserved;
	__atomic_store_n(&page->completion.seq, seq, __ATOMIC_SEQ_CST);
	/* Wake the vCPU whether or not it said it sleeps. */
	if (write(hv_vcpu_ring_done_fd(r), &one, sizeof(one)) != sizeof(one))
		perror("write done-fd");
}

static int wait_vcpu_state(struct tvm *vm, uint32_t vcpu, uint32_t state)
{
	struct timespec tick = { 0, 1000000 };
	struct hv_vcpu_info info;
	int i;

	for (i = 0; i < 10000; i++) {
		if (hv_vcpu_get(vm->h, vm->id, vcpu, &info))
			return -1;
		if (info.state == state)
			return 0;
		nanosleep(&tick, NULL);
	}
	return -1;
}

/* The module's accounting is back to zero. */
static int settles(void)
{
	struct hv *h;
	int err;

	err = hv_open(&h);
	if (err)
		return err;
	err = tvm_accounting_settles(h, 5000);
	hv_close(h);
	return err;
}

static int wait_vm_state(struct tvm *vm, uint32_t state,
			 struct hv_vm_info *info)
{
	struct timespec tick = { 0, 1000000 };
	int i;

	for (i = 0; i < 10000; i++) {
		if (hv_vm_get(vm->h, vm->id, NULL, info))
			return -1;
		if (info->state == state)
			return 0;
		nanosleep(&tick, NULL);
	}
	return -1;
}

static const struct tvm_opts ring_sleeping = {
	.transport = HV_TRANSPORT_RING,
	.ring_poll_ns = 0,
};

static const struct tvm_opts ring_polling = {
	.transport = HV_TRANSPORT_RING,
	.ring_poll_ns = HV_RING_POLL_MAX,
};

TEST(registration_errors_name_their_cause)
{
	int efd = eventfd(0, EFD_CLOEXEC), efd2 = eventfd(0, EFD_CLOEXEC);
	struct hv_vcpu_info info;
	struct tvm vm, other;
	uint8_t *page;

	ASSERT_LE(0, efd);
	ASSERT_LE(0, efd2);
	page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, tvm_create(&vm, 2 * MIB, 1));

	EXPECT_EQ(-EINVAL, hv_vcpu_set_ring(vm.h, vm.id, 0, page + 8, efd,
					    efd2));
	EXPECT_STREQ("ring-addr must be page-aligned", hv_errmsg(vm.h));
	EXPECT_EQ(-EINVAL, hv_vcpu_set_ring(vm.h, vm.id, 0, page, vm.memfd,
					    efd2));
	EXPECT_STREQ("exit-fd is not an eventfd of the caller",
		     hv_errmsg(vm.h));
	EXPECT_EQ(-EBADF, hv_vcpu_set_ring(vm.h, vm.id, 0, page, efd, 999));
	EXPECT_STREQ("done-fd is not an eventfd of the caller",
		     hv_errmsg(vm.h));
	EXPECT_EQ(-EINVAL, hv_vcpu_set_ring(vm.h, vm.id, 0, page, efd, efd));
	EXPECT_STREQ("exit-fd and done-fd must be two eventfds",
		     hv_errmsg(vm.h));
	/* Read-only: cannot be pinned for writing. */
	ASSERT_EQ(0, mprotect(page + 4096, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, hv_vcpu_set_ring(vm.h, vm.id, 0, page + 4096, efd,
					    efd2));
	EXPECT_STREQ("cannot pin the ring page (not mapped, or not writable?)",
		     hv_errmsg(vm.h));
	EXPECT_EQ(-ENOENT, hv_vcpu_set_ring(vm.h, vm.id, 1, page, efd, efd2));

	/* Another socket may not; the owner may, then go back to netlink. */
	ASSERT_EQ(0, tvm_create(&other, 2 * MIB, 0));
	EXPECT_EQ(-EPERM, hv_vcpu_set_ring(other.h, vm.id, 0, page, efd,
					   efd2));
	tvm_destroy(&other);
	ASSERT_EQ(0, hv_vcpu_set_ring(vm.h, vm.id, 0, page, efd, efd2));
	EXPECT_EQ(HV_RING_VERSION, ((struct hv_ring *)page)->version);
	EXPECT_EQ(HV_RING_ENTRIES, ((struct hv_ring *)page)->entries);
	vcpu_info(_metadata, &vm, 0, &info);
	EXPECT_EQ(HV_TRANSPORT_RING, info.transport);
	ASSERT_EQ(0, hv_vcpu_set_ring(vm.h, vm.id, 0, NULL, -1, -1));
	vcpu_info(_metadata, &vm, 0, &info);
	EXPECT_EQ(HV_TRANSPORT_NETLINK, info.transport);

	/* Not while the VM runs. */
	load(_metadata, &vm);
	ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
	vm.started = 1;
	EXPECT_EQ(-EBUSY, hv_vcpu_set_ring(vm.h, vm.id, 0, page, efd, efd2));
	EXPECT_STREQ("the VM is running; pause it first", hv_errmsg(vm.h));
	tvm_destroy(&vm);
	ASSERT_EQ(0, settles());
	munmap(page, 2 * 4096);
	close(efd);
	close(efd2);
}

TEST(ring_and_netlink_vcpus_in_one_vm)
{
	struct hv_vcpu_exits *x[2];
	struct hv_vcpu_info info;
	struct hv_message ev;
	uint64_t want[2][3] = { { 1, 2, 0x1234 }, { 1, 2, 0x5678 } };
	int step, i;
	struct tvm vm;

	ASSERT_EQ(0, tvm_create(&vm, 2 * MIB, 2));
	load(_metadata, &vm);
	ASSERT_EQ(0, hv_vcpu_exits_open(vm.h, vm.id, 0, HV_TRANSPORT_RING,
					&x[0]));
	ASSERT_EQ(0, hv_vcpu_exits_open(vm.h, vm.id, 1, HV_TRANSPORT_NETLINK,
					&x[1]));
	ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
	vm.started = 1;
	/* The same loop serves both. */
	for (step = 0; step < 4; step++) {
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, hv_vcpu_exits_next(x[i], &ev, 10000));
			ASSERT_EQ((uint32_t)i, ev.vcpu);
			ASSERT_EQ(HV_EXIT_REASON_IO, ev.reason);
			ASSERT_EQ(TEST_PORT, ev.port);
			if (step == 2) {
				ASSERT_EQ(HV_DIR_READ, ev.dir);
				ASSERT_EQ(0, hv_vcpu_exits_complete(x[i], &ev,
					want[i][2], 0));
				continue;
			}
			ASSERT_EQ(HV_DIR_WRITE, ev.dir);
			EXPECT_EQ(want[i][step == 3 ? 2 : step], ev.data);
			ASSERT_EQ(0, hv_vcpu_exits_complete(x[i], &ev, 0, 0));
		}
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, hv_vcpu_exits_next(x[i], &ev, 10000));
		EXPECT_EQ(HV_EXIT_REASON_HLT, ev.reason);
		vcpu_info(_metadata, &vm, i, &info);
		EXPECT_EQ(i ? HV_TRANSPORT_NETLINK : HV_TRANSPORT_RING,
			  info.transport);
	}
	hv_vcpu_exits_close(x[0]);
	hv_vcpu_exits_close(x[1]);
	tvm_destroy(&vm);
	ASSERT_EQ(0, settles());
}

TEST(a_completion_for_another_seq_is_ignored)
{
	struct hv_message ev;
	struct tvm vm;
	uint64_t v;

	ASSERT_EQ(0, tvm_create_opts(&vm, 2 * MIB, 1, &ring_sleeping));
	load(_metadata, &vm);
	up_to_in(_metadata, &vm, &ev);
	write_completion(vm.ring[0], ev.seq + 1, 0x1111, 0, 0);
	write_completion(vm.ring[0], ev.seq - 1, 0x2222, 0, 0);
	write_completion(vm.ring[0], ev.seq, 0x3333, 0, 0);
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(0x3333, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&vm, 10000));
	tvm_destroy(&vm);
	ASSERT_EQ(0, settles());
}

TEST(a_malformed_completion_crashes_the_vm_with_its_reason)
{
	struct hv_vm_info info;
	struct hv_message ev;
	char want[160];
	struct tvm vm;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, tvm_create_opts(&vm, 2 * MIB, 1, &ring_sleeping));
		load(_metadata, &vm);
		up_to_in(_metadata, &vm, &ev);
		if (i)
			write_completion(vm.ring[0], ev.seq, 0, 0, 7);
		else
			write_completion(vm.ring[0], ev.seq, 0, 0x80, 0);
		ASSERT_EQ(0, wait_vm_state(&vm, HV_VM_STATE_CRASHED, &info));
		snprintf(want, sizeof(want),
			 "vcpu 0: the owner's completion of exit %llu over ring has unknown flags or reserved bits set",
			 (unsigned long long)ev.seq);
		EXPECT_STREQ(want, info.crash_reason);
		tvm_destroy(&vm);
	}
	ASSERT_EQ(0, settles());
}

TEST(a_page_rewritten_while_the_vcpu_waits)
{
	struct hv_message ev;
	struct hv_ring *page;
	uint32_t head;
	struct tvm vm;
	uint64_t v;
	int i;

	ASSERT_EQ(0, tvm_create_opts(&vm, 2 * MIB, 1, &ring_sleeping));
	load(_metadata, &vm);
	up_to_in(_metadata, &vm, &ev);
	page = hv_vcpu_ring_page(vm.ring[0]);
	head = page->head;
	srand(1);
	for (i = 0; i < 50; i++) {
		memset(page, rand(), 4096);
		write_completion(vm.ring[0], rand(), rand(), rand(), rand());
	}
	EXPECT_EQ(0, wait_vcpu_state(&vm, 0, HV_VCPU_STATE_OWNER_WAIT));
	/*
	 * The owner puts its side right (and head, for its own reader: the
	 * kernel keeps its own count and stores it again with the next exit).
	 */
	memset(page, 0, 4096);
	page->tail = head;
	page->head = head;
	write_completion(vm.ring[0], ev.seq, 0x4444, 0, 0);
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(0x4444, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&vm, 10000));
	EXPECT_EQ(head + 2, page->head);
	tvm_destroy(&vm);
	ASSERT_EQ(0, settles());
}

TEST(eventfds_closed_mid_exit)
{
	struct timespec tick = { 0, 1000000 };
	struct hv_message ev;
	struct tvm vm;
	int i, err;

	ASSERT_EQ(0, tvm_create_opts(&vm, 2 * MIB, 1, &ring_sleeping));
	load(_metadata, &vm);
	up_to_in(_metadata, &vm, &ev);
	close(hv_vcpu_ring_fd(vm.ring[0]));
	close(hv_vcpu_ring_done_fd(vm.ring[0]));
	/* Without its eventfd the owner answers over netlink instead. */
	ASSERT_EQ(0, hv_vcpu_complete(vm.h, vm.id, 0, ev.seq, 0x5555, 0));
	for (i = 0, err = -EAGAIN; err && i < 10000; i++) {
		err = hv_vcpu_ring_next(vm.ring[0], &ev);
		if (err)
			nanosleep(&tick, NULL);
	}
	ASSERT_EQ(0, err);
	EXPECT_EQ(HV_DIR_WRITE, ev.dir);
	EXPECT_EQ(0x5555, ev.data);
	/* Nobody may signal the vCPU now: it must wait, and go with the VM. */
	tvm_destroy(&vm);
	ASSERT_EQ(0, settles());
}

TEST(the_socket_closed_mid_exit)
{
	struct hv_vcpu_ring *ring;
	struct hv_message ev;
	struct hv_stats st;
	struct tvm vm;
	struct hv *h;

	ASSERT_EQ(0, hv_open(&h));
	ASSERT_EQ(0, tvm_create_opts(&vm, 2 * MIB, 1, &ring_polling));
	load(_metadata, &vm);
	up_to_in(_metadata, &vm, &ev);
	ASSERT_EQ(0, hv_get_stats(h, 0, &st));
	EXPECT_EQ(2 * MIB / 4096 + 1, st.pinned_pages);
	/* Keep the page mapped here while the VM goes. */
	ring = vm.ring[0];
	vm.ring[0] = NULL;
	tvm_destroy(&vm);
	ASSERT_EQ(0, tvm_accounting_settles(h, 5000));
	hv_vcpu_ring_page(ring)->completion.seq = ev.seq;
	hv_vcpu_ring_close(ring);
	hv_close(h);
}

TEST(the_page_truncated_and_unmapped_mid_exit)
{
	struct timespec tick = { 0, 1000000 };
	int efd = eventfd(0, EFD_CLOEXEC), dfd = eventfd(0, EFD_CLOEXEC);
	int memfd = memfd_create("ring", MFD_CLOEXEC), i, err;
	struct hv_ring *page;
	struct tvm vm;
	uint64_t seq;

	ASSERT_LE(0, efd);
	ASSERT_LE(0, dfd);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, 4096));
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, tvm_create(&vm, 2 * MIB, 1));
	load(_metadata, &vm);
	ASSERT_EQ(0, hv_vcpu_set_ring(vm.h, vm.id, 0, page, efd, dfd));
	ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
	vm.started = 1;
	for (i = 0; i < 10000 && !__atomic_load_n(&page->head,
						    __ATOMIC_ACQUIRE); i++)
		nanosleep(&tick, NULL);
	ASSERT_EQ(1, page->head);
	EXPECT_EQ(HV_EXIT_REASON_IO, page->exits[0].reason);
	EXPECT_EQ(1, page->exits[0].data);
	seq = page->exits[0].seq;
	/* The owner throws the page away; the module keeps its pinned copy. */
	ASSERT_EQ(0, ftruncate(memfd, 0));
	ASSERT_EQ(0, munmap(page, 4096));
	close(memfd);
	close(efd);
	close(dfd);
	ASSERT_EQ(0, hv_vcpu_complete(vm.h, vm.id, 0, seq, 0, 0));
	/*
	 * The next exit goes into the page nobody sees and waits there:
	 * until the vCPU posted it, its seq is refused.
	 */
	for (i = 0, err = -EINVAL; err && i < 10000; i++) {
		err = hv_vcpu_complete(vm.h, vm.id, 0, seq + 1, 0, 0);
		if (err)
			nanosleep(&tick, NULL);
	}
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, wait_vcpu_state(&vm, 0, HV_VCPU_STATE_OWNER_WAIT));
	tvm_destroy(&vm);
	ASSERT_EQ(0, settles());
}

TEST(pause_resume_and_destroy_while_the_vcpu_polls)
{
	struct hv_regs regs;
	struct hv_message ev;
	struct tvm vm;
	uint64_t v;

	ASSERT_EQ(0, tvm_create_opts(&vm, 2 * MIB, 1, &ring_polling));
	load(_metadata, &vm);
	/* The first OUT waits; its vCPU polls for up to 1 ms, then sleeps. */
	ASSERT_EQ(0, tvm_next_exit(&vm, &ev, 10000));
	ASSERT_EQ(HV_DIR_WRITE, ev.dir);
	ASSERT_EQ(0, hv_vm_pause(vm.h, vm.id));
	EXPECT_EQ(-EBUSY, hv_vcpu_get_regs(vm.h, vm.id, 0, &regs));
	/* Completed while paused: used at once, then a register read sees it. */
	ASSERT_EQ(0, tvm_complete(&vm, &ev, 0));
	ASSERT_EQ(0, hv_vcpu_get_regs(vm.h, vm.id, 0, &regs));
	EXPECT_EQ(AFTER_FIRST_OUT, regs.rip);
	ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(2, v);
	/* The IN waits, polled for: destroy the VM under it. */
	ASSERT_EQ(0, tvm_next_exit(&vm, &ev, 10000));
	ASSERT_EQ(HV_DIR_READ, ev.dir);
	ASSERT_EQ(0, hv_vm_del(vm.h, vm.id));
	tvm_destroy(&vm);
	ASSERT_EQ(0, settles());
}

HV_TEST_HARNESS_MAIN
