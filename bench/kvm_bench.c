// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_bench: the KVM side of the exit benchmark, a minimal VMM on
 * <linux/kvm.h>. Runs each case of guest.S in a fresh one-vCPU VM with
 * the CPUID table KVM supports (what a real VMM would set) and no
 * in-kernel irqchip, so CPUID is handled in kvm_amd and each OUT returns
 * from KVM_RUN as KVM_EXIT_IO. Prints the same sample lines as hv_bench.
 *
 * Usage: kvm_bench N REPS
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define PROG	"kvm_bench"

struct kvm_vm {
	int vm, vcpu;
	uint8_t *mem;
	struct kvm_run *run;
	size_t run_size;
};

static int fail(const char *what, const char *name)
{
	int err = errno;

	fprintf(stderr, PROG ": %s: %s: %s\n", name, what, strerror(err));
	return -err;
}

static int set_cpuid(int kvm, int vcpu, const char *name)
{
	struct kvm_cpuid2 *cpuid;
	int nent = 64, err = 0;

	for (;;) {
		cpuid = calloc(1, sizeof(*cpuid) +
				  nent * sizeof(cpuid->entries[0]));
		if (!cpuid)
			return -ENOMEM;
		cpuid->nent = nent;
		if (!ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid))
			break;
		free(cpuid);
		if (errno != E2BIG)
			return fail("KVM_GET_SUPPORTED_CPUID", name);
		nent *= 2;
	}
	if (ioctl(vcpu, KVM_SET_CPUID2, cpuid))
		err = fail("KVM_SET_CPUID2", name);
	free(cpuid);
	return err;
}

static void vm_destroy(struct kvm_vm *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->mem)
		munmap(v->mem, BENCH_MEM_SIZE);
	if (v->vcpu >= 0)
		close(v->vcpu);
	if (v->vm >= 0)
		close(v->vm);
}

static int vm_create(int kvm, struct kvm_vm *v, const struct bench_case *c)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_enable_cap split = {
		.cap = KVM_CAP_SPLIT_IRQCHIP,
		.args[0] = 24,
	};
	const char *name = c->name;
	int size;

	memset(v, 0, sizeof(*v));
	v->vcpu = -1;
	v->vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return fail("KVM_CREATE_VM", name);
	v->mem = mmap(NULL, BENCH_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->mem == MAP_FAILED) {
		v->mem = NULL;
		return fail("guest memory", name);
	}
	region.memory_size = BENCH_MEM_SIZE;
	region.userspace_addr = (uintptr_t)v->mem;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region))
		return fail("KVM_SET_USER_MEMORY_REGION", name);
	/*
	 * The APIC case needs KVM's in-kernel local APIC; the split irqchip
	 * (no PIC or IOAPIC in the kernel) is hv's model as well.
	 */
	if (c->lapic && ioctl(v->vm, KVM_ENABLE_CAP, &split))
		return fail("KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP)", name);
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return fail("KVM_CREATE_VCPU", name);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(*v->run))
		return fail("KVM_GET_VCPU_MMAP_SIZE", name);
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu,
		      0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return fail("mmap of kvm_run", name);
	}
	return set_cpuid(kvm, v->vcpu, name);
}

/* Real mode at the case's entry, CS = 0, N in EDI (see guest.S). */
static int start(struct kvm_vm *v, const struct bench_case *c, uint32_t n)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };

	memcpy(v->mem + BENCH_LOAD_GPA, bench_guest_start,
	       bench_guest_end - bench_guest_start);
	if (ioctl(v->vcpu, KVM_GET_SREGS, &sregs))
		return fail("KVM_GET_SREGS", c->name);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sregs))
		return fail("KVM_SET_SREGS", c->name);
	regs.rip = BENCH_LOAD_GPA + bench_guest_offset(c->entry);
	regs.rflags = 0x2;
	regs.rsp = 0xfff0;
	regs.rdi = n;
	if (ioctl(v->vcpu, KVM_SET_REGS, &regs))
		return fail("KVM_SET_REGS", c->name);
	return 0;
}

static int handle_io(struct kvm_vm *v, struct bench_run *run,
		     const char *name)
{
	const struct kvm_run *r = v->run;
	uint8_t data = *((uint8_t *)r + r->io.data_offset);

	if (r->io.direction != KVM_EXIT_IO_OUT || r->io.size != 1 ||
	    r->io.count != 1) {
		fprintf(stderr, PROG ": %s: port access %#x dir %u size %u count %u\n",
			name, r->io.port, r->io.direction, r->io.size,
			r->io.count);
		return -EPROTO;
	}
	if (r->io.port == BENCH_IO_PORT) {
		run->io_exits++;
		return 0;
	}
	if (r->io.port == BENCH_MARK_PORT)
		return bench_marker(run, data, PROG);
	fprintf(stderr, PROG ": %s: OUT to unexpected port %#x\n", name,
		r->io.port);
	return -EPROTO;
}

/* The ioeventfd on the measured port; the irqfd through an MSI route. */
static int eventfds(struct kvm_vm *v, const struct bench_case *c, int io,
		    int irq)
{
	struct kvm_ioeventfd ioev = {
		.addr = BENCH_IO_PORT,
		.len = 1,
		.fd = io,
		.flags = KVM_IOEVENTFD_FLAG_PIO,
	};
	struct {
		struct kvm_irq_routing r;
		struct kvm_irq_routing_entry e;
	} routes = {
		.r.nr = 1,
		.e = {
			.gsi = 0,
			.type = KVM_IRQ_ROUTING_MSI,
			.u.msi = {
				.address_lo = BENCH_MSI_ADDR,
				.data = BENCH_MSI_DATA,
			},
		},
	};
	struct kvm_irqfd irqfd = { .fd = irq, .gsi = 0 };

	if (c->ioeventfd && ioctl(v->vm, KVM_IOEVENTFD, &ioev))
		return fail("KVM_IOEVENTFD", c->name);
	if (c->irqfd && ioctl(v->vm, KVM_SET_GSI_ROUTING, &routes))
		return fail("KVM_SET_GSI_ROUTING", c->name);
	if (c->irqfd && ioctl(v->vm, KVM_IRQFD, &irqfd))
		return fail("KVM_IRQFD", c->name);
	return 0;
}

static int run_case(int kvm, const struct bench_case *c, unsigned int rep,
		    uint32_t n)
{
	struct bench_relay relay = { 0 };
	struct bench_run run = { 0 };
	struct kvm_vm v;
	int io = -1, irq = -1, err;

	err = vm_create(kvm, &v, c);
	if (!err)
		err = start(&v, c, n);
	if (!err && c->ticks)
		run.tick_counter = (uint32_t *)(v.mem + BENCH_TICKS);
	if (!err)
		err = bench_eventfds(c, &io, &irq, PROG);
	if (!err)
		err = eventfds(&v, c, io, irq);
	if (!err)
		err = bench_relay_start(c, &relay, io, irq, n, PROG);
	while (!err) {
		if (ioctl(v.vcpu, KVM_RUN, 0)) {
			if (errno == EINTR)
				continue;
			err = fail("KVM_RUN", c->name);
			break;
		}
		if (v.run->exit_reason == KVM_EXIT_HLT)
			break;
		if (v.run->exit_reason != KVM_EXIT_IO) {
			fprintf(stderr, PROG ": %s: unexpected exit %u (hardware exit %#llx)\n",
				c->name, v.run->exit_reason,
				(unsigned long long)
				v.run->hw.hardware_exit_reason);
			err = -EPROTO;
			break;
		}
		err = handle_io(&v, &run, c->name);
		/* With an in-kernel APIC, HLT blocks in KVM: end at the marker. */
		if (run.ended)
			break;
	}
	if (bench_relay_join(&relay, err, PROG) && !err)
		err = -EIO;
	if (!err)
		err = bench_check_run(&run, c, n, PROG);
	if (!err)
		err = bench_check_signals(c, io, n, PROG);
	if (!err)
		bench_print_sample("kvm", c, rep, n, &run);
	vm_destroy(&v);
	if (io >= 0)
		close(io);
	if (irq >= 0)
		close(irq);
	return err;
}

int main(int argc, char **argv)
{
	unsigned int reps, rep, i;
	uint32_t n;
	int kvm;

	if (bench_parse_args(argc, argv, PROG, &n, &reps))
		return 2;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, PROG ": cannot open /dev/kvm (is kvm_amd loaded?): %s\n",
			strerror(errno));
		return 1;
	}
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, PROG ": /dev/kvm speaks another API version than %d\n",
			KVM_API_VERSION);
		return 1;
	}
	printf("info kvm guest_fnv=%016" PRIx64 " guest_bytes=%td\n",
	       bench_guest_hash(), bench_guest_end - bench_guest_start);
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < bench_nr_cases; i++) {
			if (run_case(kvm, &bench_cases[i], rep, n))
				return 1;
		}
	}
	close(kvm);
	return 0;
}
