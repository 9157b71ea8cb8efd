/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hv's two fuzzers share: a seeded generator (splitmix64, so one
 * iteration replays from its own seed alone), and their settings, taken
 * from the environment the test machines' kernel command line gives init:
 *
 *   hvfuzz_seconds=N   run for N seconds (default: the caller's)
 *   hvfuzz_seed=S      the run's seed (default: from getrandom())
 *   hvfuzz_iter=I      replay iteration I of that seed only
 *
 * A fuzzer prints its seed first and its counts last; a failure names the
 * iteration and its seed, which replay it.
 */
#ifndef HV_TEST_FUZZ_H
#define HV_TEST_FUZZ_H

#include <cpuid.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

struct fuzz_opts {
	uint64_t seed;
	unsigned int seconds;
	long iter;		/* -1: every iteration */
};

static inline uint64_t fuzz_mix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static inline uint64_t fuzz_below(uint64_t *s, uint64_t n)
{
	return n ? fuzz_mix(s) % n : 0;
}

/* True once in @n. */
static inline bool fuzz_one_in(uint64_t *s, uint64_t n)
{
	return fuzz_below(s, n) == 0;
}

/* The seed of iteration @i: each iteration replays on its own. */
static inline uint64_t fuzz_iter_seed(uint64_t seed, uint64_t i)
{
	uint64_t s = seed ^ (i * 0xd1b54a32d192ed03ULL);

	return fuzz_mix(&s);
}

/* 64-bit values fuzzers like: edges, small ones, sign bits, anything. */
static inline uint64_t fuzz_value(uint64_t *s)
{
	static const uint64_t edges[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff,
		0x80000000, 0xffffffff, 0x100000000ULL, 0x00007fffffffffffULL,
		0x0000800000000000ULL, 0xffff800000000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~1ULL,
	};

	switch (fuzz_below(s, 4)) {
	case 0:
		return edges[fuzz_below(s, sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return fuzz_below(s, 4096);
	case 2:
		return 1ULL << fuzz_below(s, 64);
	default:
		return fuzz_mix(s);
	}
}

static inline void fuzz_opts_read(struct fuzz_opts *o, unsigned int seconds)
{
	const char *v;

	o->seconds = seconds;
	o->iter = -1;
	v = getenv("hvfuzz_seconds");
	if (v)
		o->seconds = strtoul(v, NULL, 0);
	v = getenv("hvfuzz_seed");
	if (v && *v)
		o->seed = strtoull(v, NULL, 0);
	else if (getrandom(&o->seed, sizeof(o->seed), 0) != sizeof(o->seed))
		o->seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL;
	v = getenv("hvfuzz_iter");
	if (v && *v)
		o->iter = strtol(v, NULL, 0);
}

static inline uint64_t fuzz_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000ULL + t.tv_nsec / 1000000;
}

/*
 * Whether the test machine is QEMU's TCG, which says so in its hypervisor
 * CPUID leaf. QEMU 7.2's TCG, under SVM, wedges or aborts on three guest
 * states real CPUs handle: a #VMEXIT with EFER.LME=1 and both CR0.PG and
 * CR4.PAE clear, a guest data breakpoint, and a change of CPL through a
 * busy TSS (hv_setup_mode() leaves one in TR, and VMX requires one). The
 * fuzzers keep away from them there; Bochs covers them.
 */
static inline bool fuzz_under_tcg(void)
{
	unsigned int a, sig[3];

	__cpuid(0x40000000, a, sig[0], sig[1], sig[2]);
	return !memcmp(sig, "TCGTCGTCGTCG", 12);
}

#endif /* HV_TEST_FUZZ_H */
