/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hv's exit benchmark: what the guest (guest.S), the two runners
 * (hv_bench on libhv, kvm_bench on /dev/kvm) and the calibration agree on.
 *
 * The runners time the guest from its start marker to its end marker and
 * print one line per sample on stdout:
 *
 *   sample <runner> <case> rep=<r> n=<N> ns=<ns> tsc=<ticks> io=<exits>
 *
 * bench/report.py turns those into per-exit figures. The guest is 16-bit
 * real-mode code without absolute addresses (no page tables to build, the
 * same bytes under both hypervisors), loaded at BENCH_LOAD_GPA with CS = 0.
 * It is included by guest.S too, so only preprocessor lines belong here.
 */
#ifndef HV_BENCH_H
#define HV_BENCH_H

#define BENCH_MARK_PORT		0x1000	/* start and end markers */
#define BENCH_MARK_START	0x01
#define BENCH_MARK_END		0x02
#define BENCH_IO_PORT		0x1001	/* the measured OUT */
#define BENCH_LOAD_GPA		0x1000
#define BENCH_TICKS		0x800	/* the timer case's tick count */
#define BENCH_PEER		0x804	/* 1 once vCPU 1 of ipi-halted is ready */
#define BENCH_TIMER_COUNT	250000	/* its period: 250 us at 1 GHz */
#define BENCH_MEM_SIZE		(1 << 20)
#define BENCH_STACK		0xfff0	/* vCPU 0's SP */
#define BENCH_PEER_STACK	0xc000	/* vCPU 1's, in ipi-halted */

#ifndef __ASSEMBLER__
#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* Entry points in guest.S; each reads N from EDI. */
extern const unsigned char bench_guest_start[], bench_guest_end[];
extern const unsigned char bench_guest_baseline[], bench_guest_cpuid[];
extern const unsigned char bench_guest_pio[], bench_guest_ipi[];
extern const unsigned char bench_guest_ioeventfd[], bench_guest_irqfd[];
extern const unsigned char bench_guest_timer[], bench_guest_timer_off[];
extern const unsigned char bench_guest_ipi_halted[], bench_guest_ipi_peer[];

/* The MSI the irqfd case's eventfd sends: fixed, vector 0x40, APIC 0. */
#define BENCH_MSI_ADDR		0xfee00000u
#define BENCH_MSI_DATA		0x40u

/**
 * struct bench_case - one loop of guest.S
 * @name: its name in the samples
 * @entry: its entry point
 * @lapic: the guest uses the local APIC (KVM: its split irqchip)
 * @ioeventfd: the runner puts an ioeventfd on BENCH_IO_PORT
 * @irqfd: ... and a thread that answers each of its signals with a write
 *	of an irqfd that sends BENCH_MSI_DATA
 * @ticks: the runner reports the ticks the guest counted
 * @peer: a second vCPU starts at this entry point (APIC ID 1)
 */
struct bench_case {
	const char *name;
	const unsigned char *entry;
	int lapic;
	int ioeventfd;
	int irqfd;
	int ticks;
	const unsigned char *peer;
};

/**
 * struct bench_relay - the irqfd case's host thread
 * @in: the ioeventfd it reads
 * @out: the irqfd it writes
 * @n: how many signals it answers before it ends
 * @stop: set when the run failed: the thread ends at its next signal
 * @err: 0, or what failed
 * @thread: the thread
 * @started: @thread runs (the case has an irqfd)
 */
struct bench_relay {
	int in, out;
	uint32_t n;
	volatile int stop;
	int err;
	pthread_t thread;
	int started;
};

extern const struct bench_case bench_cases[];
extern const unsigned int bench_nr_cases;

/* The marker and port exits of one run, as the runners count them. */
struct bench_run {
	uint64_t t0_ns, t1_ns;
	uint64_t t0_tsc, t1_tsc;
	uint64_t io_exits;	/* OUTs to BENCH_IO_PORT between the markers */
	/* The guest's tick count, read at each marker; ticks between them. */
	const volatile uint32_t *tick_counter;
	uint32_t ticks0, ticks;
	int started, ended;
};

static inline uint64_t bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static inline uint64_t bench_tsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t bench_guest_offset(const unsigned char *entry);
uint64_t bench_guest_hash(void);
int bench_parse_args(int argc, char **argv, const char *prog, uint32_t *n,
		     unsigned int *reps);
int bench_marker(struct bench_run *run, uint64_t data, const char *prog);
int bench_check_run(const struct bench_run *run, const struct bench_case *c,
		    uint32_t n, const char *prog);
void bench_print_sample(const char *runner, const struct bench_case *c,
			unsigned int rep, uint32_t n,
			const struct bench_run *run);
int bench_eventfds(const struct bench_case *c, int *io, int *irq,
		   const char *prog);
int bench_relay_start(const struct bench_case *c, struct bench_relay *r,
		      int io, int irq, uint32_t n, const char *prog);
int bench_relay_join(struct bench_relay *r, int failed, const char *prog);
int bench_check_signals(const struct bench_case *c, int io, uint32_t n,
			const char *prog);
#endif /* __ASSEMBLER__ */

#endif /* HV_BENCH_H */
