// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_bench: the KVM side of the exit benchmark, a minimal VMM on
 * <linux/kvm.h>. Runs each case of guest.S in a fresh one-vCPU VM (two for
 * ipi-halted, the second on a thread of its own) with
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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define PROG	"kvm_bench"

/*
 * @peer: ipi-halted's vCPU 1, whose KVM_RUN a thread of its own keeps
 * calling (its halts and IPIs stay in KVM) until @stop and a signal.
 */
struct kvm_vm {
	int vm, vcpu;
	uint8_t *mem;
	struct kvm_run *run;
	size_t run_size;
	int peer;
	struct kvm_run *peer_run;
	pthread_t peer_thread;
	int peer_started;
	volatile int stop;
	int peer_err;
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
	if (v->peer_run)
		munmap(v->peer_run, v->run_size);
	if (v->peer >= 0)
		close(v->peer);
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
	v->peer = -1;
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
	if (c->peer) {
		v->peer = ioctl(v->vm, KVM_CREATE_VCPU, 1);
		if (v->peer < 0)
			return fail("KVM_CREATE_VCPU 1", name);
		v->peer_run = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_SHARED, v->peer, 0);
		if (v->peer_run == MAP_FAILED) {
			v->peer_run = NULL;
			return fail("mmap of vCPU 1's kvm_run", name);
		}
		if (set_cpuid(kvm, v->peer, name))
			return -EIO;
	}
	return set_cpuid(kvm, v->vcpu, name);
}

/* Real mode at @entry, CS = 0, with @rdi and a stack at @rsp. */
static int start_vcpu(int vcpu, const unsigned char *entry, uint64_t rdi,
		      uint64_t rsp, const char *name)
{
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs))
		return fail("KVM_GET_SREGS", name);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs))
		return fail("KVM_SET_SREGS", name);
	regs.rip = BENCH_LOAD_GPA + bench_guest_offset(entry);
	regs.rflags = 0x2;
	regs.rsp = rsp;
	regs.rdi = rdi;
	if (ioctl(vcpu, KVM_SET_REGS, &regs))
		return fail("KVM_SET_REGS", name);
	/* An AP with KVM's local APIC waits for INIT and SIPI otherwise. */
	if (ioctl(vcpu, KVM_SET_MP_STATE, &mp))
		return fail("KVM_SET_MP_STATE", name);
	return 0;
}

/* N in EDI (see guest.S); ipi-halted's vCPU 1 at its own entry. */
static int start(struct kvm_vm *v, const struct bench_case *c, uint32_t n)
{
	int err;

	memcpy(v->mem + BENCH_LOAD_GPA, bench_guest_start,
	       bench_guest_end - bench_guest_start);
	err = start_vcpu(v->vcpu, c->entry, n, BENCH_STACK, c->name);
	if (!err && c->peer)
		err = start_vcpu(v->peer, c->peer, 0, BENCH_PEER_STACK,
				 c->name);
	return err;
}

static void wake_signal(int sig)
{
}

/* vCPU 1's thread: KVM_RUN until stopped; it has no exit to answer. */
static void *peer_main(void *arg)
{
	struct kvm_vm *v = arg;

	while (!v->stop) {
		if (!ioctl(v->peer, KVM_RUN, 0)) {
			fprintf(stderr, PROG ": vCPU 1: unexpected exit %u\n",
				v->peer_run->exit_reason);
			v->peer_err = -EPROTO;
			break;
		}
		if (errno != EINTR) {
			v->peer_err = fail("KVM_RUN of vCPU 1", "ipi-halted");
			break;
		}
	}
	return NULL;
}

static int peer_start(struct kvm_vm *v, const char *name)
{
	struct sigaction sa = { .sa_handler = wake_signal };
	int err;

	/* No SA_RESTART: the signal ends the thread's KVM_RUN with EINTR. */
	if (sigaction(SIGUSR1, &sa, NULL))
		return fail("sigaction", name);
	err = pthread_create(&v->peer_thread, NULL, peer_main, v);
	if (err) {
		fprintf(stderr, PROG ": %s: cannot start vCPU 1's thread: %s\n",
			name, strerror(err));
		return -err;
	}
	v->peer_started = 1;
	return 0;
}

/* Stop vCPU 1's thread, halted in KVM_RUN: signal it until it ends. */
static int peer_join(struct kvm_vm *v)
{
	struct timespec ts = { .tv_nsec = 1000000 };

	if (!v->peer_started)
		return 0;
	v->stop = 1;
	while (pthread_tryjoin_np(v->peer_thread, NULL) == EBUSY) {
		pthread_kill(v->peer_thread, SIGUSR1);
		nanosleep(&ts, NULL);
	}
	return v->peer_err;
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
	if (!err && c->peer)
		err = peer_start(&v, c->name);
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
	if (peer_join(&v) && !err)
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
