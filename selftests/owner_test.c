// SPDX-License-Identifier: GPL-2.0
/*
 * Ownership (DESIGN rule 3): closing the owner socket destroys its VMs and
 * the module's accounting of VMs, vCPUs, threads, pinned pages and table
 * pages returns to exactly zero; other sockets, root's too, may read a VM
 * but get EPERM for every change. The owner socket is the VM's capability:
 * a process that drops every capability after creating its VM still does
 * everything with it, as does a process handed the socket over SCM_RIGHTS,
 * while creating a VM and changing module settings still need
 * CAP_NET_ADMIN. vCPU threads are attached to the owner's cgroup.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB (1 << 20)

#define NOT_OWNER "only the VM's owner socket may change it"
#define NOBODY 65534

GUEST_CODE(owner_spin, ".code64",
	"1: pause\n"
	"jmp 1b\n");

GUEST_CODE(owner_report, ".code64",
	"mov $0x1234, %eax\n"
	G_REPORT
	"hlt\n");

static int start_spinning(struct tvm *vm)
{
	uint32_t i;
	int err;

	tvm_load(vm, CODE_GPA, owner_spin_start, owner_spin_end);
	for (i = 0; i < vm->nr_vcpus; i++) {
		err = tvm_set_mode(vm, i, MODE_LONG64, CODE_GPA);
		if (err)
			return err;
	}
	return hv_vm_start(vm->h, vm->id);
}

TEST(closing_the_owner_releases_everything)
{
	struct tvm a, b;
	struct hv_stats st;
	struct hv_message ev;
	struct hv *watch;
	int destroyed = 0;

	ASSERT_EQ(0, hv_open(&watch));
	ASSERT_EQ(0, hv_subscribe_notices(watch));
	ASSERT_EQ(0, hv_get_stats(watch, 0, &st));
	ASSERT_EQ(0, st.vms) TH_LOG("VMs left over from another test");

	ASSERT_EQ(0, tvm_create(&a, 2 * MIB, 2));
	ASSERT_EQ(0, tvm_create(&b, 4 * MIB, 2));
	ASSERT_EQ(0, start_spinning(&a));
	ASSERT_EQ(0, start_spinning(&b));
	ASSERT_EQ(0, hv_get_stats(watch, 0, &st));
	EXPECT_EQ(2, st.vms);
	EXPECT_EQ(4, st.vcpus);
	EXPECT_EQ(4, st.threads);
	EXPECT_EQ((6 * MIB) / 4096, st.pinned_pages);
	EXPECT_LT(1, st.pt_pages);

	/* Close the owner sockets (the memfd mappings stay ours). */
	hv_close(a.h);
	a.h = NULL;
	hv_close(b.h);
	b.h = NULL;
	while (destroyed < 2) {
		ASSERT_EQ(0, hv_next_message(watch, &ev, 10000));
		if (ev.notice == HV_NOTICE_DESTROYED &&
		    (ev.vm == a.id || ev.vm == b.id))
			destroyed++;
	}
	ASSERT_EQ(0, hv_get_stats(watch, 0, &st));
	EXPECT_EQ(0, st.vms);
	EXPECT_EQ(0, st.vcpus);
	EXPECT_EQ(0, st.threads);
	EXPECT_EQ(0, st.pinned_pages);
	EXPECT_EQ(0, st.pt_pages);
	tvm_destroy(&a);
	tvm_destroy(&b);
	hv_close(watch);
}

/* @call fails as a non-owner's request does, on the socket @h. */
#define EXPECT_NOT_OWNER(h, call)					\
	do {								\
		EXPECT_EQ(-EPERM, call);				\
		EXPECT_STREQ(NOT_OWNER, hv_errmsg(h));			\
	} while (0)

TEST(others_may_read_but_not_change)
{
	struct hv_ioeventfd io = { .space = HV_IO_SPACE_PIO, .addr = 0x2000,
				   .len = 1 };
	struct hv_slot_info slot;
	struct hv_vcpu_info vi;
	struct hv_vm_info info;
	int efd, efd2, i;
	struct hv_log log;
	struct hv_regs r;
	struct hv *other;
	struct tvm vm;
	uint8_t byte;
	void *page;

	ASSERT_EQ(0, tvm_create(&vm, MIB, 1));
	ASSERT_EQ(0, hv_vcpu_get_regs(vm.h, vm.id, 0, &r));
	efd = eventfd(0, EFD_CLOEXEC);
	efd2 = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_LE(0, efd2);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);

	/* Root's socket: no capability makes it the owner. */
	ASSERT_EQ(0, hv_open(&other));
	EXPECT_EQ(0, hv_vm_get(other, vm.id, NULL, &info));
	EXPECT_EQ(hv_portid(vm.h), info.owner);
	EXPECT_EQ(0, hv_vcpu_get(other, vm.id, 0, &vi));
	EXPECT_EQ(0, hv_mem_get(other, vm.id, vm.slot, &slot));

	/* Every operation on the VM that is not a read. */
	for (i = 0; i < 2; i++) {
		EXPECT_NOT_OWNER(other, hv_vm_start(other, vm.id));
		EXPECT_NOT_OWNER(other, hv_vm_pause(other, vm.id));
		EXPECT_NOT_OWNER(other, hv_vm_del(other, vm.id));
		EXPECT_NOT_OWNER(other, hv_vm_set_msr_policy(other, vm.id, 1));
		EXPECT_NOT_OWNER(other, hv_vcpu_new(other, vm.id, NULL));
		EXPECT_NOT_OWNER(other, hv_vcpu_get_regs(other, vm.id, 0, &r));
		EXPECT_NOT_OWNER(other, hv_vcpu_set_regs(other, vm.id, 0, &r));
		EXPECT_NOT_OWNER(other,
				 hv_vcpu_complete(other, vm.id, 0, 1, 0, 0));
		EXPECT_NOT_OWNER(other, hv_vcpu_set_ring(other, vm.id, 0, page,
							 efd, efd2));
		EXPECT_NOT_OWNER(other,
				 hv_vm_msi(other, vm.id, 0xfee00000, 0x31));
		EXPECT_NOT_OWNER(other, hv_vm_irqfd(other, vm.id, efd,
						    0xfee00000, 0x31));
		EXPECT_NOT_OWNER(other,
				 hv_vm_ioeventfd(other, vm.id, efd, &io));
		EXPECT_NOT_OWNER(other, hv_vcpu_intr_line(other, vm.id, 0, 1));
		EXPECT_NOT_OWNER(other, hv_mem_map(other, vm.id, 16 * MIB, MIB,
						   vm.mem, 0, NULL));
		EXPECT_NOT_OWNER(other, hv_mem_unmap(other, vm.id, vm.slot));
		EXPECT_NOT_OWNER(other, hv_mem_read(other, vm.id, 0, &byte, 1));
		EXPECT_NOT_OWNER(other,
				 hv_mem_write(other, vm.id, 0, &byte, 1));
		EXPECT_NOT_OWNER(other,
				 hv_mem_set_flags(other, vm.id, vm.slot,
						  HV_MEM_FLAGS_DIRTY_LOG));
		EXPECT_NOT_OWNER(other,
				 hv_mem_log(other, vm.id, vm.slot, MIB / 4096,
					    HV_LOG_ACCESSED, &log));
		/* Once more while it runs. */
		if (i == 0) {
			tvm_load(&vm, CODE_GPA, owner_spin_start,
				 owner_spin_end);
			ASSERT_EQ(0, tvm_set_mode(&vm, 0, MODE_LONG64,
						  CODE_GPA));
			ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
		}
	}
	/* Nothing changed. */
	ASSERT_EQ(0, hv_vm_get(vm.h, vm.id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_RUNNING, info.state);
	EXPECT_EQ(1, info.nr_vcpus);
	EXPECT_EQ(MIB, info.mem_size);
	EXPECT_EQ(HV_MSR_POLICY_GP, info.unknown_msr);
	ASSERT_EQ(0, hv_mem_get(vm.h, vm.id, vm.slot, &slot));
	EXPECT_EQ(0, slot.flags);
	ASSERT_EQ(0, hv_vcpu_get(vm.h, vm.id, 0, &vi));
	EXPECT_EQ(HV_TRANSPORT_NETLINK, vi.transport);
	hv_close(other);
	munmap(page, 4096);
	close(efd);
	close(efd2);
	tvm_destroy(&vm);
}

/*
 * Become nobody, without supplementary groups or any capability left:
 * setuid() from root to another user clears the permitted, effective and
 * ambient sets.
 */
static void drop_every_capability(struct __test_metadata *_metadata)
{
	char *status;

	ASSERT_EQ(0, setgroups(0, NULL));
	ASSERT_EQ(0, setgid(NOBODY));
	ASSERT_EQ(0, setuid(NOBODY));
	status = read_text("/proc/self/status");
	ASSERT_NE(NULL, status);
	EXPECT_NE(NULL, strstr(status, "\nCapPrm:\t0000000000000000\n"));
	EXPECT_NE(NULL, strstr(status, "\nCapEff:\t0000000000000000\n"));
	EXPECT_NE(NULL, strstr(status, "\nCapAmb:\t0000000000000000\n"));
	free(status);
}

/*
 * Run @fn on @vm in a child that dropped every capability first, keeping
 * whatever sockets it inherited; the child's assertions count here.
 */
static void as_nobody(struct __test_metadata *_metadata, struct tvm *vm,
		      void (*fn)(struct __test_metadata *_metadata,
				 struct tvm *vm))
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		drop_every_capability(_metadata);
		fn(_metadata, vm);
		_exit(_metadata->passed ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status))
		TH_LOG("the child died of signal %d", WTERMSIG(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

static void run_and_delete(struct __test_metadata *_metadata, struct tvm *vm)
{
	struct hv_vm_info info;
	struct hv_info hi;
	struct hv_regs r;
	uint64_t value;

	/* Creating and module settings still need CAP_NET_ADMIN. */
	EXPECT_EQ(-EPERM, hv_vm_new(vm->h, NULL, &info));
	EXPECT_EQ(-EPERM, hv_set_l1d_flush(vm->h, HV_L1D_FLUSH_MODE_AUTO,
					   &hi));

	ASSERT_EQ(0, tvm_set_mode(vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vm_start(vm->h, vm->id));
	vm->started = 1;
	ASSERT_EQ(0, tvm_expect_report(vm, &value, 10000));
	EXPECT_EQ(0x1234, value);
	EXPECT_EQ(0, tvm_run_to_hlt(vm, 10000));
	ASSERT_EQ(0, hv_vm_pause(vm->h, vm->id));
	ASSERT_EQ(0, hv_vcpu_get_regs(vm->h, vm->id, 0, &r));
	EXPECT_EQ(0x1234, r.gpr[HV_RAX]);
	ASSERT_EQ(0, hv_vm_get(vm->h, vm->id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_PAUSED, info.state);
	ASSERT_EQ(0, hv_vm_del(vm->h, vm->id));
	EXPECT_EQ(-ENOENT, hv_vm_get(vm->h, vm->id, NULL, &info));
}

TEST(an_owner_without_capabilities_runs_and_deletes_its_vm)
{
	struct hv_vm_info info;
	struct tvm vm;

	ASSERT_EQ(0, tvm_create(&vm, 2 * MIB, 1));
	tvm_load(&vm, CODE_GPA, owner_report_start, owner_report_end);
	as_nobody(_metadata, &vm, run_and_delete);
	EXPECT_EQ(-ENOENT, hv_vm_get(vm.h, vm.id, NULL, &info));
	tvm_destroy(&vm);
}

static void configure(struct __test_metadata *_metadata, struct tvm *vm)
{
	struct hv_ioeventfd io = { .space = HV_IO_SPACE_PIO, .addr = 0x2000,
				   .len = 1 };
	uint8_t byte = 0x5a, back = 0;
	struct hv_slot_info slot;
	struct hv_vcpu_info vi;
	struct hv_vm_info info;
	struct hv_log log;
	uint8_t *ram, *page;
	int efd, efd2;
	uint32_t id;

	/* Memory of its own: the pages it pins are the caller's. */
	ram = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ram);
	ASSERT_EQ(0, hv_mem_map(vm->h, vm->id, 16 * MIB, MIB, ram, 0, &id));
	ASSERT_EQ(0, hv_mem_get(vm->h, vm->id, id, &slot));
	EXPECT_EQ(16 * MIB, slot.gpa);
	EXPECT_EQ(MIB, slot.size);
	EXPECT_EQ((uintptr_t)ram, slot.uaddr);
	ASSERT_EQ(0, hv_mem_set_flags(vm->h, vm->id, id,
				      HV_MEM_FLAGS_DIRTY_LOG));
	ASSERT_EQ(0, hv_mem_write(vm->h, vm->id, 16 * MIB + 3 * 4096 + 7,
				  &byte, 1));
	EXPECT_EQ(0x5a, ram[3 * 4096 + 7]);
	ASSERT_EQ(0, hv_mem_read(vm->h, vm->id, 16 * MIB + 3 * 4096 + 7,
				 &back, 1));
	EXPECT_EQ(0x5a, back);
	ASSERT_EQ(0, hv_mem_log(vm->h, vm->id, id, MIB / 4096, HV_LOG_PEEK,
				&log));
	EXPECT_EQ(1, log.count);
	EXPECT_EQ(1ULL << 3, log.bitmap[0]);
	free(log.bitmap);
	ASSERT_EQ(0, hv_mem_log(vm->h, vm->id, id, MIB / 4096, 0, &log));
	EXPECT_EQ(1, log.count);
	free(log.bitmap);
	ASSERT_EQ(0, hv_mem_unmap(vm->h, vm->id, id));
	munmap(ram, MIB);

	/* vCPUs, settings, interrupts, and fds of its own. */
	ASSERT_EQ(0, hv_vcpu_new(vm->h, vm->id, &vi));
	EXPECT_EQ(1, vi.id);
	ASSERT_EQ(0, hv_vm_set_msr_policy(vm->h, vm->id, HV_MSR_POLICY_EXIT));
	ASSERT_EQ(0, hv_vm_msi(vm->h, vm->id, 0xfee00000, 0x31));
	ASSERT_EQ(0, hv_vcpu_intr_line(vm->h, vm->id, 0, 0));
	efd = eventfd(0, EFD_CLOEXEC);
	efd2 = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_LE(0, efd2);
	ASSERT_EQ(0, hv_vm_irqfd(vm->h, vm->id, efd, 0xfee00000, 0x31));
	ASSERT_EQ(0, hv_vm_irqfd_remove(vm->h, vm->id, efd));
	ASSERT_EQ(0, hv_vm_ioeventfd(vm->h, vm->id, efd, &io));
	ASSERT_EQ(0, hv_vm_ioeventfd_remove(vm->h, vm->id, efd, &io));
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, hv_vcpu_set_ring(vm->h, vm->id, 1, page, efd, efd2));
	ASSERT_EQ(0, hv_vcpu_get(vm->h, vm->id, 1, &vi));
	EXPECT_EQ(HV_TRANSPORT_RING, vi.transport);
	ASSERT_EQ(0, hv_vcpu_set_ring(vm->h, vm->id, 1, NULL, -1, -1));

	ASSERT_EQ(0, hv_vm_get(vm->h, vm->id, NULL, &info));
	EXPECT_EQ(2, info.nr_vcpus);
	EXPECT_EQ(2 * MIB, info.mem_size);
	EXPECT_EQ(HV_MSR_POLICY_EXIT, info.unknown_msr);
	ASSERT_EQ(0, hv_vm_del(vm->h, vm->id));
	munmap(page, 4096);
	close(efd);
	close(efd2);
}

TEST(an_owner_without_capabilities_configures_its_vm)
{
	struct hv_vm_info info;
	struct tvm vm;

	ASSERT_EQ(0, tvm_create(&vm, 2 * MIB, 1));
	as_nobody(_metadata, &vm, configure);
	EXPECT_EQ(-ENOENT, hv_vm_get(vm.h, vm.id, NULL, &info));
	tvm_destroy(&vm);
}

static void try_as_stranger(struct __test_metadata *_metadata,
			    struct tvm *vm)
{
	struct hv_vm_info info, *all;
	struct hv_info hi;
	struct hv_log log;
	struct hv *h;
	size_t n;

	/* Its own socket, not the inherited owner socket. */
	ASSERT_EQ(0, hv_open(&h));
	EXPECT_EQ(-EPERM, hv_vm_new(h, NULL, &info));
	EXPECT_EQ(-EPERM, hv_set_l1d_flush(h, HV_L1D_FLUSH_MODE_AUTO, &hi));
	EXPECT_NOT_OWNER(h, hv_vm_start(h, vm->id));
	EXPECT_NOT_OWNER(h, hv_vm_del(h, vm->id));
	EXPECT_EQ(-EPERM, hv_mem_log(h, vm->id, vm->slot, MIB / 4096,
				     HV_LOG_ACCESSED | HV_LOG_PEEK, &log));
	EXPECT_STREQ("peeking at another socket's VM needs CAP_NET_ADMIN",
		     hv_errmsg(h));
	/* Reading is allowed. */
	EXPECT_EQ(0, hv_get_info(h, &hi));
	EXPECT_EQ(0, hv_vm_get(h, vm->id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_CREATED, info.state);
	ASSERT_EQ(0, hv_vm_list(h, &all, &n));
	EXPECT_LE(1, n);
	free(all);
	hv_close(h);
}

TEST(unprivileged_processes_cannot_create_or_touch_others_vms)
{
	struct hv_vm_info info;
	struct hv_log log;
	struct hv *other;
	struct tvm vm;

	ASSERT_EQ(0, tvm_create(&vm, MIB, 1));
	as_nobody(_metadata, &vm, try_as_stranger);
	ASSERT_EQ(0, hv_vm_get(vm.h, vm.id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_CREATED, info.state);
	/* Root's socket may peek at another socket's log. */
	ASSERT_EQ(0, hv_open(&other));
	ASSERT_EQ(0, hv_mem_log(other, vm.id, vm.slot, MIB / 4096,
				HV_LOG_ACCESSED | HV_LOG_PEEK, &log));
	EXPECT_EQ(MIB / 4096, log.npages);
	free(log.bitmap);
	hv_close(other);
	tvm_destroy(&vm);
}

/* Send @fd with @portid as the data. */
static int send_fd(int sock, int fd, uint32_t portid)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &portid, sizeof(portid) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == sizeof(portid) ? 0 : -errno;
}

/* The fd send_fd() sent, and its port id; -1 if none came. */
static int recv_fd(int sock, uint32_t *portid)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { portid, sizeof(*portid) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != sizeof(*portid))
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

TEST(an_owner_socket_passed_over_scm_rights_is_the_owner)
{
	struct hv_vm_info info;
	struct hv_message ev;
	struct hv *watch;
	int sv[2], status;
	struct tvm vm;
	pid_t pid;

	ASSERT_EQ(0, hv_open(&watch));
	ASSERT_EQ(0, hv_subscribe_notices(watch));
	ASSERT_EQ(0, tvm_create(&vm, 2 * MIB, 1));
	tvm_load(&vm, CODE_GPA, owner_report_start, owner_report_end);
	ASSERT_EQ(0, tvm_set_mode(&vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		uint32_t portid = 0;
		uint64_t value;
		struct hv *own;
		char c;
		int fd;

		/* Only the socket that comes over sv[1], not a copy of ours. */
		hv_close(vm.h);
		vm.h = NULL;
		close(sv[0]);
		drop_every_capability(_metadata);
		fd = recv_fd(sv[1], &portid);
		ASSERT_LE(0, fd);
		/* End of file: the parent has closed its copy of the socket. */
		ASSERT_EQ(0, read(sv[1], &c, 1));
		EXPECT_EQ(-EINVAL, hv_open_fd(sv[1], &vm.h));
		ASSERT_EQ(0, hv_open_fd(fd, &vm.h));
		EXPECT_EQ(portid, hv_portid(vm.h));
		/* Its own socket, in the same process, is not the owner. */
		ASSERT_EQ(0, hv_open(&own));
		EXPECT_NOT_OWNER(own, hv_vm_start(own, vm.id));
		hv_close(own);

		ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
		vm.started = 1;
		ASSERT_EQ(0, tvm_expect_report(&vm, &value, 10000));
		EXPECT_EQ(0x1234, value);
		EXPECT_EQ(0, tvm_run_to_hlt(&vm, 10000));
		EXPECT_EQ(0, hv_vm_pause(vm.h, vm.id));
		/* Exiting closes the socket's last holder, and the VM goes. */
		_exit(_metadata->passed ? 0 : 1);
	}
	close(sv[1]);
	ASSERT_EQ(0, send_fd(sv[0], hv_fd(vm.h), hv_portid(vm.h)));
	/* The VM lives on with the socket, which the child alone holds now. */
	hv_close(vm.h);
	vm.h = NULL;
	close(sv[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status))
		TH_LOG("the child died of signal %d", WTERMSIG(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	do {
		ASSERT_EQ(0, hv_next_message(watch, &ev, 10000));
	} while (ev.notice != HV_NOTICE_DESTROYED || ev.vm != vm.id);
	EXPECT_EQ(-ENOENT, hv_vm_get(watch, vm.id, NULL, &info));
	tvm_destroy(&vm);
	hv_close(watch);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -errno;
}

TEST(vcpu_threads_join_the_owners_cgroup)
{
	struct hv_vcpu_info vi;
	char path[64], self_pid[16], *cg;
	struct tvm vm;

	/* cgroup2 at /sys/fs/cgroup, mounted here if no one did. */
	mkdir("/sys/fs/cgroup", 0755);
	if (access("/sys/fs/cgroup/cgroup.procs", F_OK))
		ASSERT_EQ(0, mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL));
	mkdir("/sys/fs/cgroup/hvtest", 0755);
	snprintf(self_pid, sizeof(self_pid), "%d", getpid());
	ASSERT_EQ(0, write_file("/sys/fs/cgroup/hvtest/cgroup.procs", self_pid));

	ASSERT_EQ(0, tvm_create(&vm, MIB, 1));
	ASSERT_EQ(0, hv_vcpu_get(vm.h, vm.id, 0, &vi));
	ASSERT_LT(0, vi.thread);
	snprintf(path, sizeof(path), "/proc/%u/cgroup", vi.thread);
	cg = read_text(path);
	ASSERT_NE(NULL, cg);
	EXPECT_STREQ("0::/hvtest\n", cg);
	snprintf(path, sizeof(path), "/proc/%u/comm", vi.thread);
	free(cg);
	cg = read_text(path);
	ASSERT_NE(NULL, cg);
	snprintf(path, sizeof(path), "hv/%u/0\n", vm.id);
	EXPECT_STREQ(path, cg);
	free(cg);
	tvm_destroy(&vm);

	ASSERT_EQ(0, write_file("/sys/fs/cgroup/cgroup.procs", self_pid));
	EXPECT_EQ(0, rmdir("/sys/fs/cgroup/hvtest"));
}

HV_TEST_HARNESS_MAIN
