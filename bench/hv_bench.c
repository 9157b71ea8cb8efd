// SPDX-License-Identifier: GPL-2.0
/*
 * hv_bench: the hv side of the exit benchmark. Runs each case of guest.S in
 * a fresh one-vCPU VM (two for ipi-halted) through libhv, as the selftests do: CPUID never
 * leaves the kernel; each OUT reaches us as an exit event on the owner
 * socket and is answered with vcpu-complete ("pio"), or through the exit
 * ring with both sides sleeping on eventfds ("pio-ring"), with the vCPU
 * polling for the module's default time ("pio-ring-kpoll") and, on a
 * machine with two CPUs or more, with both sides polling ("pio-ring-poll":
 * this thread on CPU 1, the vCPU thread on CPU 0). Prints one sample line
 * per run (bench.h) and, at the end, checks that no hv VM is left, since
 * kvm_amd must find SVM off when it runs next.
 *
 * Usage: hv_bench N REPS
 */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "guest.h"

#define PROG		"hv_bench"
#define TIMEOUT_MS	120000

/* How a case's exits reach us. */
struct transport {
	const char *suffix;	/* appended to the case's name */
	enum hv_transport transport;
	int kernel_poll_ns;	/* the VM's ring-poll-ns */
	uint64_t owner_spin_ns;	/* how long we poll before sleeping */
	int min_cpus;
};

static const struct transport transports[] = {
	{ "", HV_TRANSPORT_NETLINK, -1, 0, 1 },
	{ "-ring", HV_TRANSPORT_RING, 0, 0, 1 },
	{ "-ring-kpoll", HV_TRANSPORT_RING, -1, 0, 1 },
	{ "-ring-poll", HV_TRANSPORT_RING, HV_RING_POLL_MAX, 1000000, 2 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Polling on both sides needs each on a CPU of its own; -1: any CPU. */
static int pin(pid_t pid, int cpu)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	for (i = 0; i < CPU_SETSIZE; i++)
		if (cpu < 0 || i == cpu)
			CPU_SET(i, &set);
	return sched_setaffinity(pid, sizeof(set), &set) ? -errno : 0;
}

/* Real mode at @entry, CS = 0, with @rdi and a stack of its own at @rsp. */
static int start_vcpu(struct tvm *vm, uint32_t vcpu,
		      const unsigned char *entry, uint64_t rdi, uint64_t rsp)
{
	struct hv_regs r;
	int err;

	err = tvm_set_mode(vm, vcpu, MODE_REAL,
			   BENCH_LOAD_GPA + bench_guest_offset(entry));
	if (!err)
		err = hv_vcpu_get_regs(vm->h, vm->id, vcpu, &r);
	if (!err) {
		r.gpr[HV_RDI] = rdi;
		r.gpr[HV_RSP] = rsp;
		err = hv_vcpu_set_regs(vm->h, vm->id, vcpu, &r);
	}
	return err;
}

static int start(struct tvm *vm, const struct bench_case *c, uint32_t n)
{
	int err;

	tvm_load(vm, BENCH_LOAD_GPA, bench_guest_start, bench_guest_end);
	err = start_vcpu(vm, 0, c->entry, n, BENCH_STACK);
	if (!err && c->peer)
		err = start_vcpu(vm, 1, c->peer, 0, BENCH_PEER_STACK);
	if (err)
		fprintf(stderr, PROG ": %s: cannot set up the vcpu: %s: %s\n",
			c->name, hv_errmsg(vm->h), strerror(-err));
	return err;
}

static int handle(struct tvm *vm, const struct hv_message *ev,
		  struct bench_run *run, const char *name)
{
	int err;

	if (ev->reason != HV_EXIT_REASON_IO || ev->dir != HV_DIR_WRITE) {
		fprintf(stderr, PROG ": %s: unexpected %s exit at rip %#" PRIx64 "\n",
			name, hv_exit_reason_name(ev->reason), ev->rip);
		return -EPROTO;
	}
	if (ev->port == BENCH_IO_PORT) {
		run->io_exits++;
	} else if (ev->port == BENCH_MARK_PORT) {
		err = bench_marker(run, ev->data, PROG);
		if (err)
			return err;
	} else {
		fprintf(stderr, PROG ": %s: OUT to unexpected port %#x\n",
			name, ev->port);
		return -EPROTO;
	}
	err = tvm_complete(vm, ev, 0);
	if (err)
		fprintf(stderr, PROG ": %s: vcpu-complete: %s: %s\n", name,
			hv_errmsg(vm->h), strerror(-err));
	return err;
}

/* hv counts the CPUID exits it handled in the kernel: all N of them. */
static int check_cpuid_exits(struct tvm *vm, const struct bench_case *c,
			     uint32_t n)
{
	uint64_t want = c->entry == bench_guest_cpuid ? n : 0;
	struct hv_stats st;
	int err;

	err = hv_get_stats(vm->h, vm->id, &st);
	if (err) {
		fprintf(stderr, PROG ": %s: get-stats: %s: %s\n", c->name,
			hv_errmsg(vm->h), strerror(-err));
		return err;
	}
	if (st.exits[HV_STAT_CPUID] != want) {
		fprintf(stderr, PROG ": %s: hv counted %" PRIu64
			" cpuid exits, expected %" PRIu64 "\n",
			c->name, st.exits[HV_STAT_CPUID], want);
		return -EPROTO;
	}
	return 0;
}

/* The ioeventfd on the measured port, and the irqfd sending vector 0x40. */
static int eventfds(struct tvm *vm, const struct bench_case *c, int io,
		    int irq)
{
	const struct hv_ioeventfd port = {
		.space = HV_IO_SPACE_PIO,
		.addr = BENCH_IO_PORT,
		.len = 1,
	};
	int err = 0;

	if (c->ioeventfd)
		err = hv_vm_ioeventfd(vm->h, vm->id, io, &port);
	if (!err && c->irqfd)
		err = hv_vm_irqfd(vm->h, vm->id, irq, BENCH_MSI_ADDR,
				  BENCH_MSI_DATA);
	if (err)
		fprintf(stderr, PROG ": %s: cannot register the eventfds: %s: %s\n",
			c->name, hv_errmsg(vm->h), strerror(-err));
	return err;
}

static int pin_both(struct tvm *vm, const char *name)
{
	struct hv_vcpu_info info;
	int err;

	err = hv_vcpu_get(vm->h, vm->id, 0, &info);
	if (!err)
		err = pin(info.thread, 0);
	if (!err)
		err = pin(0, 1);
	if (err)
		fprintf(stderr, PROG ": %s: cannot pin the vcpu thread and the owner: %s\n",
			name, strerror(-err));
	return err;
}

static int run_case(const struct bench_case *bc, const struct transport *t,
		    unsigned int rep, uint32_t n)
{
	struct tvm_opts opts = {
		.transport = t->transport,
		.ring_poll_ns = t->kernel_poll_ns,
	};
	char name[64];
	struct bench_case cs = *bc, *c = &cs;
	struct bench_run run = { 0 };
	struct bench_relay relay = { 0 };
	struct hv_message ev;
	struct tvm vm;
	int io = -1, irq = -1, err;

	snprintf(name, sizeof(name), "%s%s", bc->name, t->suffix);
	cs.name = name;
	err = tvm_create_opts(&vm, BENCH_MEM_SIZE, c->peer ? 2 : 1, &opts);
	if (err) {
		fprintf(stderr, PROG ": %s: cannot create a VM: %s\n",
			c->name, strerror(-err));
		return err;
	}
	if (vm.ring[0])
		hv_vcpu_ring_set_spin(vm.ring[0], t->owner_spin_ns);
	/* As KVM's: the halts that interrupts end stay in the kernel. */
	err = c->irqfd || c->peer ?
	      hv_vm_set_halt_notices(vm.h, vm.id, 0) : 0;
	if (err)
		fprintf(stderr, PROG ": %s: cannot turn halt notices off: %s: %s\n",
			c->name, hv_errmsg(vm.h), strerror(-err));
	if (!err)
		err = start(&vm, c, n);
	if (!err && c->ticks)
		run.tick_counter = (uint32_t *)(vm.mem + BENCH_TICKS);
	if (!err && t->min_cpus > 1)
		err = pin_both(&vm, c->name);
	if (!err)
		err = bench_eventfds(c, &io, &irq, PROG);
	if (!err)
		err = eventfds(&vm, c, io, irq);
	if (!err)
		err = bench_relay_start(c, &relay, io, irq, n, PROG);
	while (!err) {
		/*
		 * On a ring, without a time limit: a sleep is then one read()
		 * (the machine's own timeout catches a hang).
		 */
		err = tvm_next_exit(&vm, &ev, vm.ring[0] ? -1 : TIMEOUT_MS);
		if (err) {
			fprintf(stderr, PROG ": %s: waiting for an exit: %s: %s\n",
				c->name, hv_errmsg(vm.h), strerror(-err));
			break;
		}
		if (ev.reason == HV_EXIT_REASON_HLT)
			break;
		err = handle(&vm, &ev, &run, c->name);
		/* Its last HLT sends nothing: the end marker is the end. */
		if ((c->irqfd || c->peer) && run.ended)
			break;
	}
	if (bench_relay_join(&relay, err, PROG) && !err)
		err = -EIO;
	if (!err)
		err = bench_check_run(&run, c, n, PROG);
	if (!err)
		err = bench_check_signals(c, io, n, PROG);
	if (!err)
		err = check_cpuid_exits(&vm, c, n);
	if (!err)
		bench_print_sample("hv", c, rep, n, &run);
	tvm_destroy(&vm);
	if (io >= 0)
		close(io);
	if (irq >= 0)
		close(irq);
	if (t->min_cpus > 1)
		pin(0, -1);
	return err;
}

/* kvm_amd runs next and needs SVM off: hv switches it off with its last VM. */
static int check_no_vms(void)
{
	struct hv_stats st;
	struct hv *h;
	int err;

	err = hv_open(&h);
	if (err) {
		fprintf(stderr, PROG ": cannot open the hv family: %s\n",
			strerror(-err));
		return err;
	}
	err = hv_get_stats(h, 0, &st);
	if (err)
		fprintf(stderr, PROG ": get-stats: %s: %s\n", hv_errmsg(h),
			strerror(-err));
	else if (st.vms || st.threads)
		fprintf(stderr, PROG ": %u VMs, %u vCPU threads left after closing their owners\n",
			st.vms, st.threads);
	hv_close(h);
	return err ? err : (st.vms || st.threads) ? -EBUSY : 0;
}

int main(int argc, char **argv)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int reps, rep, i, j;
	uint32_t n;
	int err;

	if (bench_parse_args(argc, argv, PROG, &n, &reps))
		return 2;
	printf("info hv guest_fnv=%016" PRIx64 " guest_bytes=%td\n",
	       bench_guest_hash(), bench_guest_end - bench_guest_start);
	/* Cases interleaved, so that a slow phase of the machine hits all. */
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < bench_nr_cases; i++) {
			for (j = 0; j < ARRAY_SIZE(transports); j++) {
				const struct transport *t = &transports[j];

				/* Only the OUT case reaches userspace. */
				if (j && (bench_cases[i].entry != bench_guest_pio ||
					  cpus < t->min_cpus))
					continue;
				err = run_case(&bench_cases[i], t, rep, n);
				if (err)
					return 1;
			}
		}
	}
	return check_no_vms() ? 1 : 0;
}
