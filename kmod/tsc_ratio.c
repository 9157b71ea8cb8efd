// SPDX-License-Identifier: GPL-2.0
/*
 * The TSC/crystal ratio of CPUID leaf 0x15 (Intel SDM Vol. 2A, CPUID:
 * TSC frequency = ECX * EBX / EAX). Linux 6.1's native_calibrate_tsc()
 * computes it as crystal_khz * EBX / EAX in 32-bit arithmetic, so EBX
 * must keep crystal_khz * EBX below 2^32: with hv's 1 GHz crystal, EBX
 * = tsc_khz and EAX = 10^6 made a 50 MHz TSC read as 2.755 MHz. No
 * kernel state is touched here: the same file is compiled into hv.ko and
 * into its cmocka test.
 */
#include "tsc_ratio.h"

/**
 * hv_tsc_crystal_ratio() - EBX/EAX of leaf 0x15 for a TSC and a crystal
 * @tsc_khz: the TSC's frequency
 * @crystal_khz: the crystal's (leaf 0x15's ECX / 1000), not 0
 * @num: receives EBX, at most (2^32 - 1) / @crystal_khz
 * @den: receives EAX, at least 1
 *
 * The fraction closest to @tsc_khz / @crystal_khz whose numerator keeps
 * crystal_khz * num within 32 bits: the last convergent of its continued
 * fraction within that bound, or the semiconvergent after it when that
 * one is closer (the best rational approximation with a bounded
 * numerator). Exact whenever the reduced fraction fits.
 */
void hv_tsc_crystal_ratio(u32 tsc_khz, u32 crystal_khz, u32 *num, u32 *den)
{
	u64 max = 0xffffffffu / crystal_khz;
	u64 p0 = 0, q0 = 1, p1 = 1, q1 = 0;
	u32 x = tsc_khz, y = crystal_khz;

	while (y) {
		u32 t = x / y, r = x % y;
		u64 p2 = t * p1 + p0, q2 = t * q1 + q0;

		if (p2 > max) {
			/* The largest k with k * p1 + p0 within the bound. */
			u64 k = (max - p0) / p1;

			/* A semiconvergent beats p1/q1 past half of t. */
			if (2 * k > t) {
				p1 = k * p1 + p0;
				q1 = k * q1 + q0;
			}
			break;
		}
		p0 = p1;
		q0 = q1;
		p1 = p2;
		q1 = q2;
		x = y;
		y = r;
	}
	if (!q1) {
		/* Only when tsc_khz / crystal_khz >= max + 1: the largest. */
		p1 = max;
		q1 = 1;
	}
	*num = p1;
	*den = q1;
}
