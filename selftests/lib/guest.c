// SPDX-License-Identifier: GPL-2.0
/*
 * Guests for hv's selftests (see guest.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

int tvm_create(struct tvm *vm, size_t mem_size, uint32_t nr_vcpus)
{
	return tvm_create_opts(vm, mem_size, nr_vcpus, NULL);
}

int tvm_create_opts(struct tvm *vm, size_t mem_size, uint32_t nr_vcpus,
		    const struct tvm_opts *opts)
{
	struct hv_vm_opts vo = { 0 };
	struct hv_vm_info info;
	uint32_t i;
	int err;

	memset(vm, 0, sizeof(*vm));
	vm->memfd = -1;
	if (nr_vcpus > TVM_MAX_VCPUS)
		return -EINVAL;
	err = hv_open(&vm->h);
	if (err)
		return err;
	if (opts && opts->ring_poll_ns >= 0) {
		vo.ring_poll_ns = opts->ring_poll_ns;
		vo.set_ring_poll = 1;
	}
	err = hv_vm_new(vm->h, &vo, &info);
	if (err)
		goto fail;
	vm->id = info.id;
	vm->mem_size = mem_size;
	vm->memfd = memfd_create("guest", MFD_CLOEXEC);
	if (vm->memfd < 0 || ftruncate(vm->memfd, mem_size)) {
		err = -errno;
		goto fail;
	}
	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->memfd, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		err = -errno;
		goto fail;
	}
	err = hv_mem_map(vm->h, vm->id, 0, mem_size, vm->mem, 0, &vm->slot);
	if (err)
		goto fail;
	for (i = 0; i < nr_vcpus; i++) {
		err = hv_vcpu_new(vm->h, vm->id, NULL);
		if (err)
			goto fail;
		vm->nr_vcpus++;
		if (opts && opts->transport == HV_TRANSPORT_RING) {
			err = hv_vcpu_ring_open(vm->h, vm->id, i, &vm->ring[i]);
			if (err)
				goto fail;
		}
	}
	return 0;
fail:
	fprintf(stderr, "tvm_create: %s: %s\n", hv_errmsg(vm->h),
		strerror(-err));
	tvm_destroy(vm);
	return err;
}

void tvm_destroy(struct tvm *vm)
{
	uint32_t i;

	/* Closing the owner socket destroys the VM. */
	hv_close(vm->h);
	vm->h = NULL;
	for (i = 0; i < TVM_MAX_VCPUS; i++) {
		hv_vcpu_ring_close(vm->ring[i]);
		vm->ring[i] = NULL;
	}
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	vm->mem = NULL;
	if (vm->memfd >= 0)
		close(vm->memfd);
	vm->memfd = -1;
}

void tvm_load(struct tvm *vm, uint64_t gpa, const void *start,
	      const void *end)
{
	/* Guest RAM is our own mapping of the memfd: no copy through hv. */
	memcpy(vm->mem + gpa, start, (const char *)end - (const char *)start);
}

static void put64(struct tvm *vm, uint64_t gpa, uint64_t v)
{
	memcpy(vm->mem + gpa, &v, 8);
}

int tvm_set_mode(struct tvm *vm, uint32_t vcpu, enum guest_mode mode,
		 uint64_t entry)
{
	uint64_t stack = vm->mem_size - 0x1000 * vcpu - 16;
	struct hv_regs r;
	int err;

	err = hv_vcpu_get_regs(vm->h, vm->id, vcpu, &r);
	if (err)
		return err;
	if (mode == MODE_REAL) {
		stack &= 0xfff0;
		if (!stack)
			stack = 0xfff0;
	}
	err = hv_setup_mode(&r, (enum hv_mode)mode, entry, stack, vm->mem,
			    vm->mem_size);
	if (err)
		return err;
	return hv_vcpu_set_regs(vm->h, vm->id, vcpu, &r);
}

/*
 * Point IDT vector @v at @handler in the code segment SEL_CODE: a 64-bit
 * or a 32-bit interrupt gate (SDM Vol. 3A, 6.14.1 and 6.11), or an IVT
 * entry in real mode (20.1.4).
 */
void tvm_set_gate(struct tvm *vm, enum guest_mode mode, uint32_t v,
		  uint64_t handler)
{
	uint64_t lo = (handler & 0xffff) | ((uint64_t)SEL_CODE << 16) |
		      (0x8eULL << 40) | ((handler >> 16) & 0xffff) << 48;

	if (mode == MODE_REAL) {
		*(uint16_t *)(vm->mem + v * 4) = handler;
		*(uint16_t *)(vm->mem + v * 4 + 2) = 0;
	} else if (mode == MODE_LONG64) {
		put64(vm, IDT_GPA + v * 16, lo);
		put64(vm, IDT_GPA + v * 16 + 8, handler >> 32);
	} else {
		put64(vm, IDT_GPA + v * 8, lo);
	}
}

/*
 * An IDT whose every vector runs a stub that reports the vector on
 * TEST_EXC_PORT and halts. The vCPU's IDTR is set by the caller.
 */
void tvm_build_idt(struct tvm *vm, enum guest_mode mode)
{
	/* mov $v, %eax; mov $0x1001, %dx; out %eax, (%dx); hlt */
	static const uint8_t stub32[] = {
		0xb8, 0, 0, 0, 0, 0x66, 0xba, 0x01, 0x10, 0xef, 0xf4,
	};
	/* The same in 16-bit code: operand-size prefixes swap. */
	static const uint8_t stub16[] = {
		0x66, 0xb8, 0, 0, 0, 0, 0xba, 0x01, 0x10, 0x66, 0xef, 0xf4,
	};
	uint32_t v;

	for (v = 0; v < 256; v++) {
		uint64_t stub = STUBS_GPA + v * 16;
		uint8_t *p = vm->mem + stub;

		if (mode == MODE_REAL) {
			memcpy(p, stub16, sizeof(stub16));
			memcpy(p + 2, &v, 4);
		} else {
			memcpy(p, stub32, sizeof(stub32));
			memcpy(p + 1, &v, 4);
		}
		tvm_set_gate(vm, mode, v, stub);
	}
}

/* Build the reporting IDT and point a vCPU's IDTR at it. */
int tvm_use_idt(struct tvm *vm, uint32_t vcpu, enum guest_mode mode)
{
	struct hv_regs r;
	int err;

	tvm_build_idt(vm, mode);
	err = hv_vcpu_get_regs(vm->h, vm->id, vcpu, &r);
	if (err)
		return err;
	r.idtr.base = mode == MODE_REAL ? 0 : IDT_GPA;
	r.idtr.limit = mode == MODE_REAL ? 0x3ff :
		       mode == MODE_LONG64 ? 256 * 16 - 1 : 256 * 8 - 1;
	return hv_vcpu_set_regs(vm->h, vm->id, vcpu, &r);
}

static int rings_next(struct tvm *vm, struct hv_message *ev)
{
	return hv_vcpu_rings_next(vm->ring, vm->nr_vcpus, &vm->next_ring, ev);
}

/* The next exit of any vCPU on a ring: sleeps as hv_vcpu_ring_wait(). */
static int rings_wait(struct tvm *vm, struct hv_message *ev, int timeout_ms)
{
	struct pollfd p[TVM_MAX_VCPUS];
	uint32_t i, n = 0;
	int ret;

	if (!rings_next(vm, ev))
		return 0;
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (!vm->ring[i])
			continue;
		p[n].fd = hv_vcpu_ring_fd(vm->ring[i]);
		p[n++].events = POLLIN;
	}
	for (;;) {
		for (i = 0; i < vm->nr_vcpus; i++)
			if (vm->ring[i])
				hv_vcpu_ring_set_sleeping(vm->ring[i], 1);
		ret = rings_next(vm, ev) ? poll(p, n, timeout_ms) : -2;
		for (i = 0, n = 0; i < vm->nr_vcpus; i++) {
			if (!vm->ring[i])
				continue;
			hv_vcpu_ring_set_sleeping(vm->ring[i], 0);
			/* The fds block: read only those poll() found set. */
			if (ret > 0 && (p[n].revents & POLLIN))
				hv_vcpu_ring_drain(vm->ring[i]);
			n++;
		}
		if (ret == -2 || !rings_next(vm, ev))
			return 0;
		if (ret == 0)
			return -ETIMEDOUT;
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}

int tvm_next_exit(struct tvm *vm, struct hv_message *ev, int timeout_ms)
{
	int err;

	if (!vm->started) {
		err = hv_vm_start(vm->h, vm->id);
		if (err)
			return err;
		vm->started = 1;
	}
	/* One vCPU: the library's wait, which polls for the ring's spin time. */
	if (vm->nr_vcpus == 1 && vm->ring[0])
		return hv_vcpu_ring_wait(vm->ring[0], ev, timeout_ms);
	if (vm->ring[0])
		return rings_wait(vm, ev, timeout_ms);
	do {
		err = hv_next_message(vm->h, ev, timeout_ms);
	} while (!err && ev->cmd != HV_CMD_EXIT);
	return err;
}

int tvm_complete(struct tvm *vm, const struct hv_message *ev, uint64_t data)
{
	if (ev->vcpu < TVM_MAX_VCPUS && vm->ring[ev->vcpu])
		return hv_vcpu_ring_complete(vm->ring[ev->vcpu], ev->seq, data,
					     0);
	return hv_vcpu_complete(vm->h, ev->vm, ev->vcpu, ev->seq, data, 0);
}

static void describe(const struct hv_message *ev)
{
	fprintf(stderr, "exit: vcpu %u seq %llu reason %s dir %u port %#x gpa %#llx size %u data %#llx rip %#llx\n",
		ev->vcpu, (unsigned long long)ev->seq,
		hv_exit_reason_name(ev->reason), ev->dir, ev->port,
		(unsigned long long)ev->gpa, ev->size,
		(unsigned long long)ev->data, (unsigned long long)ev->rip);
	if (ev->reason == HV_EXIT_REASON_EOI)
		fprintf(stderr, "exit: eoi of vector %#x\n", ev->vector);
}

/* The next exit must be a 4-byte report on TEST_PORT; it is completed. */
int tvm_expect_report(struct tvm *vm, uint64_t *value, int timeout_ms)
{
	struct hv_message ev;
	int err = tvm_next_exit(vm, &ev, timeout_ms);

	if (err)
		return err;
	if (ev.reason != HV_EXIT_REASON_IO || ev.dir != HV_DIR_WRITE ||
	    ev.port != TEST_PORT || ev.size != 4) {
		describe(&ev);
		return -EPROTO;
	}
	*value = ev.data;
	return tvm_complete(vm, &ev, 0);
}

/* The next exit must be a HLT. */
int tvm_run_to_hlt(struct tvm *vm, int timeout_ms)
{
	struct hv_message ev;
	int err = tvm_next_exit(vm, &ev, timeout_ms);

	if (err)
		return err;
	if (ev.reason != HV_EXIT_REASON_HLT) {
		describe(&ev);
		return -EPROTO;
	}
	return 0;
}

/*
 * Wait until the module's accounting is back to zero: no VM, vCPU, vCPU
 * thread, pinned page or table page left (destruction after a socket
 * closes finishes in the kernel's own time). Prints what is left if it
 * is not by @timeout_ms.
 */
int tvm_accounting_settles(struct hv *h, int timeout_ms)
{
	struct timespec tick = { 0, 10000000 };
	struct hv_stats st;
	int err, waited;

	for (waited = 0;; waited += 10) {
		err = hv_get_stats(h, 0, &st);
		if (err)
			return err;
		if (!st.vms && !st.vcpus && !st.threads && !st.pinned_pages &&
		    !st.pt_pages)
			return 0;
		if (waited >= timeout_ms)
			break;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "left over: %u vms, %u vcpus, %u threads, %llu pinned pages, %llu table pages\n",
		st.vms, st.vcpus, st.threads,
		(unsigned long long)st.pinned_pages,
		(unsigned long long)st.pt_pages);
	return -EPROTO;
}
