// SPDX-License-Identifier: GPL-2.0
/*
 * What both runners of the exit benchmark share: the case table, argument
 * parsing, marker bookkeeping and the sample lines bench/report.py reads.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench.h"

const struct bench_case bench_cases[] = {
	{ .name = "baseline", .entry = bench_guest_baseline },
	{ .name = "cpuid", .entry = bench_guest_cpuid },
	{ .name = "pio", .entry = bench_guest_pio },
	{ .name = "ipi", .entry = bench_guest_ipi, .lapic = 1 },
	{ .name = "ioeventfd", .entry = bench_guest_ioeventfd, .ioeventfd = 1 },
	{ .name = "irqfd", .entry = bench_guest_irqfd, .lapic = 1,
	  .ioeventfd = 1, .irqfd = 1 },
	{ .name = "timer", .entry = bench_guest_timer, .lapic = 1, .ticks = 1 },
	{ .name = "timer-off", .entry = bench_guest_timer_off },
	{ .name = "ipi-halted", .entry = bench_guest_ipi_halted, .lapic = 1,
	  .peer = bench_guest_ipi_peer },
};

const unsigned int bench_nr_cases = sizeof(bench_cases) /
				    sizeof(bench_cases[0]);

uint64_t bench_guest_offset(const unsigned char *entry)
{
	return entry - bench_guest_start;
}

/*
 * FNV-1a of the guest bytes: both runners print it, so the results show
 * that the two hypervisors ran the same code.
 */
uint64_t bench_guest_hash(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const unsigned char *p;

	for (p = bench_guest_start; p < bench_guest_end; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

int bench_parse_args(int argc, char **argv, const char *prog, uint32_t *n,
		     unsigned int *reps)
{
	unsigned long v;
	char *end;

	if (argc != 3) {
		fprintf(stderr, "usage: %s N REPS\n", prog);
		return -EINVAL;
	}
	errno = 0;
	v = strtoul(argv[1], &end, 0);
	if (errno || *end || v == 0 || v > UINT32_MAX) {
		fprintf(stderr, "%s: invalid iteration count '%s'\n", prog,
			argv[1]);
		return -EINVAL;
	}
	*n = v;
	v = strtoul(argv[2], &end, 0);
	if (errno || *end || v == 0 || v > 100) {
		fprintf(stderr, "%s: invalid repetition count '%s'\n", prog,
			argv[2]);
		return -EINVAL;
	}
	*reps = v;
	return 0;
}

/*
 * A write to BENCH_MARK_PORT. The clocks are read here, before the runner
 * answers the exit, so a run spans one marker round trip and one marker
 * exit whatever the case: the baseline subtracts them.
 */
int bench_marker(struct bench_run *run, uint64_t data, const char *prog)
{
	uint64_t ns = bench_ns(), tsc = bench_tsc();

	if (data == BENCH_MARK_START && !run->started) {
		run->t0_ns = ns;
		run->t0_tsc = tsc;
		run->started = 1;
		if (run->tick_counter)
			run->ticks0 = *run->tick_counter;
		return 0;
	}
	if (data == BENCH_MARK_END && run->started && !run->ended) {
		run->t1_ns = ns;
		run->t1_tsc = tsc;
		run->ended = 1;
		if (run->tick_counter)
			run->ticks = *run->tick_counter - run->ticks0;
		return 0;
	}
	fprintf(stderr, "%s: unexpected marker %#" PRIx64 " from the guest\n",
		prog, data);
	return -EPROTO;
}

/* A run counts only if it went marker to marker with the expected exits. */
int bench_check_run(const struct bench_run *run, const struct bench_case *c,
		    uint32_t n, const char *prog)
{
	uint64_t want = c->entry == bench_guest_pio ? n : 0;

	if (!run->started || !run->ended) {
		fprintf(stderr, "%s: %s: the guest halted without its %s marker\n",
			prog, c->name, run->started ? "end" : "start");
		return -EPROTO;
	}
	if (run->io_exits != want) {
		fprintf(stderr, "%s: %s: %" PRIu64 " port exits, expected %" PRIu64 "\n",
			prog, c->name, run->io_exits, want);
		return -EPROTO;
	}
	return 0;
}

void bench_print_sample(const char *runner, const struct bench_case *c,
			unsigned int rep, uint32_t n,
			const struct bench_run *run)
{
	printf("sample %s %s rep=%u n=%u ns=%" PRIu64 " tsc=%" PRIu64
	       " io=%" PRIu64 " ticks=%" PRIu32 "\n", runner, c->name, rep, n,
	       run->t1_ns - run->t0_ns, run->t1_tsc - run->t0_tsc,
	       run->io_exits, run->ticks);
}

/* The case's eventfds (-1 where it has none). */
int bench_eventfds(const struct bench_case *c, int *io, int *irq,
		   const char *prog)
{
	*io = c->ioeventfd ? eventfd(0, EFD_CLOEXEC) : -1;
	*irq = c->irqfd ? eventfd(0, EFD_CLOEXEC) : -1;
	if ((c->ioeventfd && *io < 0) || (c->irqfd && *irq < 0)) {
		fprintf(stderr, "%s: %s: eventfd: %s\n", prog, c->name,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static void *relay(void *arg)
{
	struct bench_relay *r = arg;
	uint64_t v, one = 1;
	uint32_t i;

	for (i = 0; i < r->n && !r->stop; i++) {
		if (read(r->in, &v, sizeof(v)) != sizeof(v) ||
		    write(r->out, &one, sizeof(one)) != sizeof(one)) {
			r->err = -errno;
			break;
		}
	}
	return NULL;
}

/* The irqfd case's relay from @io to @irq for @n signals; others none. */
int bench_relay_start(const struct bench_case *c, struct bench_relay *r,
		      int io, int irq, uint32_t n, const char *prog)
{
	int err;

	*r = (struct bench_relay){ .in = io, .out = irq, .n = n };
	if (!c->irqfd)
		return 0;
	err = pthread_create(&r->thread, NULL, relay, r);
	if (err) {
		fprintf(stderr, "%s: cannot start the relay thread: %s\n",
			prog, strerror(err));
		return -err;
	}
	r->started = 1;
	return 0;
}

/* @failed: the run ended early; the thread may wait for a signal. */
int bench_relay_join(struct bench_relay *r, int failed, const char *prog)
{
	uint64_t one = 1;

	if (!r->started)
		return 0;
	if (failed) {
		r->stop = 1;
		if (write(r->in, &one, sizeof(one)) != sizeof(one))
			pthread_cancel(r->thread);
	}
	pthread_join(r->thread, NULL);
	r->started = 0;
	if (r->err)
		fprintf(stderr, "%s: the relay thread failed: %s\n", prog,
			strerror(-r->err));
	return r->err;
}

/* The ioeventfd case: the eventfd counted every OUT, none exited. */
int bench_check_signals(const struct bench_case *c, int io, uint32_t n,
			const char *prog)
{
	uint64_t v = 0;

	if (!c->ioeventfd || c->irqfd)
		return 0;
	if (read(io, &v, sizeof(v)) != sizeof(v) || v != n) {
		fprintf(stderr, "%s: %s: the ioeventfd counted %" PRIu64
			" writes, expected %" PRIu32 "\n", prog, c->name, v, n);
		return -EPROTO;
	}
	return 0;
}
