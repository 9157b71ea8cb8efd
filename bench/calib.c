// SPDX-License-Identifier: GPL-2.0
/*
 * bench-calib: checks what the exit benchmark relies on, that under QEMU's
 * -icount shift=0 the emulated machine's clocks advance 1 ns per emulated
 * instruction. Times a loop of a known number of instructions with
 * CLOCK_MONOTONIC and with RDTSC and prints, per repetition:
 *
 *   calib insns=<count> ns=<ns> tsc=<ticks> intr=<interrupts>
 *
 * Interrupts taken during the loop (the timer tick) add their own
 * instructions, so the figures come out slightly above the count; intr,
 * the interrupts the kernel counted meanwhile, accounts for the excess.
 *
 * Usage: bench-calib INSNS REPS
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

#define PROG	"bench-calib"

/* Two instructions per iteration: DEC and the taken JNZ. */
static void spin(uint64_t iterations)
{
	asm volatile("1: dec %0\n\t"
		     "jnz 1b"
		     : "+r"(iterations) : : "cc");
}

/* All interrupts the kernel has counted: the first number of "intr". */
static uint64_t interrupts(void)
{
	unsigned long long n = 0;
	char line[256];
	FILE *f;

	f = fopen("/proc/stat", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "intr ", 5)) {
			if (sscanf(line + 5, "%llu", &n) != 1)
				n = 0;
			break;
		}
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	uint64_t t0, t1, c0, c1, i0, i1, iterations;
	unsigned int reps, rep;
	uint32_t insns;

	if (bench_parse_args(argc, argv, PROG, &insns, &reps))
		return 2;
	iterations = insns / 2 ? insns / 2 : 1;
	for (rep = 0; rep < reps; rep++) {
		i0 = interrupts();
		t0 = bench_ns();
		c0 = bench_tsc();
		spin(iterations);
		c1 = bench_tsc();
		t1 = bench_ns();
		i1 = interrupts();
		printf("calib insns=%" PRIu64 " ns=%" PRIu64 " tsc=%" PRIu64
		       " intr=%" PRIu64 "\n", iterations * 2, t1 - t0, c1 - c0,
		       i1 - i0);
	}
	return 0;
}
