// SPDX-License-Identifier: GPL-2.0
/*
 * bench-switch: the floor of an exit answered by a thread other than the
 * vCPU's on the same CPU. hv runs a vCPU in a kernel thread (DESIGN rule
 * 1), so an exit answered by an owner that shares the vCPU's CPU costs at
 * least two thread switches, each waking the thread it switches to; KVM's
 * vCPU thread answers its own exits and switches nothing. This measures
 * that floor in the same boot as the exit benchmark and prints, per
 * repetition:
 *
 *   switch kind=pingpong n=<N> ns=<ns> tsc=<ticks>
 *   switch kind=syscalls n=<N> ns=<ns> tsc=<ticks>
 *
 * pingpong: two threads pinned to one CPU hand a token back and forth N
 * times over two blocking eventfds (each round trip: two switches, two
 * write()s and two read()s). syscalls: one thread write()s and read()s
 * its own eventfd N times (one write() and one read(), no switch). Two
 * switches with their wake-ups cost pingpong - 2 * syscalls
 * (bench/report.py).
 *
 * Usage: bench-switch N REPS
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "bench.h"

#define PROG	"bench-switch"

struct pong {
	int ping, pong;		/* blocking eventfds: to the thread, back */
	uint32_t n;
	int err;
};

static int put(int fd)
{
	uint64_t one = 1;

	return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -errno;
}

static int take(int fd)
{
	uint64_t cnt;

	return read(fd, &cnt, sizeof(cnt)) == sizeof(cnt) ? 0 : -errno;
}

static void *pong_thread(void *arg)
{
	struct pong *p = arg;
	uint32_t i;

	for (i = 0; i < p->n && !p->err; i++) {
		p->err = take(p->ping);
		if (!p->err)
			p->err = put(p->pong);
	}
	return NULL;
}

static int pin_here(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* The new thread inherits the mask: both share one CPU. */
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

static void print(const char *kind, uint32_t n, uint64_t ns, uint64_t tsc)
{
	printf("switch kind=%s n=%" PRIu32 " ns=%" PRIu64 " tsc=%" PRIu64 "\n",
	       kind, n, ns, tsc);
}

static int pingpong(uint32_t n)
{
	struct pong p = { .n = n };
	uint64_t t0, t1, c0, c1;
	pthread_t thread;
	int err = 0;
	uint32_t i;

	p.ping = eventfd(0, EFD_CLOEXEC);
	p.pong = eventfd(0, EFD_CLOEXEC);
	if (p.ping < 0 || p.pong < 0) {
		err = -errno;
		goto out;
	}
	err = -pthread_create(&thread, NULL, pong_thread, &p);
	if (err)
		goto out;
	t0 = bench_ns();
	c0 = bench_tsc();
	for (i = 0; i < n && !err; i++) {
		err = put(p.ping);
		if (!err)
			err = take(p.pong);
	}
	c1 = bench_tsc();
	t1 = bench_ns();
	if (err)
		/* The thread waits for a token that will not come. */
		put(p.ping);
	pthread_join(thread, NULL);
	if (!err && p.err)
		err = p.err;
	if (!err)
		print("pingpong", n, t1 - t0, c1 - c0);
out:
	if (p.ping >= 0)
		close(p.ping);
	if (p.pong >= 0)
		close(p.pong);
	return err;
}

static int syscalls(uint32_t n)
{
	uint64_t t0, t1, c0, c1;
	int fd, err = 0;
	uint32_t i;

	fd = eventfd(0, EFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	t0 = bench_ns();
	c0 = bench_tsc();
	for (i = 0; i < n && !err; i++) {
		err = put(fd);
		if (!err)
			err = take(fd);
	}
	c1 = bench_tsc();
	t1 = bench_ns();
	close(fd);
	if (!err)
		print("syscalls", n, t1 - t0, c1 - c0);
	return err;
}

int main(int argc, char **argv)
{
	unsigned int reps, rep;
	uint32_t n;
	int err;

	if (bench_parse_args(argc, argv, PROG, &n, &reps))
		return 2;
	err = pin_here();
	if (err) {
		fprintf(stderr, "%s: cannot pin to one CPU: %s\n", PROG,
			strerror(-err));
		return 1;
	}
	for (rep = 0; rep < reps; rep++) {
		err = pingpong(n);
		if (err) {
			fprintf(stderr, "%s: eventfd ping-pong: %s\n", PROG,
				strerror(-err));
			return 1;
		}
		err = syscalls(n);
		if (err) {
			fprintf(stderr, "%s: eventfd write and read: %s\n",
				PROG, strerror(-err));
			return 1;
		}
	}
	return 0;
}
