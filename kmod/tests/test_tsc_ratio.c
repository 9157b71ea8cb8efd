// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of CPUID leaf 0x15's ratio (kmod/tsc_ratio.c, compiled in as
 * is): the TSC that Linux 6.1 computes from it, in its own 32-bit
 * arithmetic, is the TSC hv meant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tsc_ratio.h"

#define CRYSTAL_KHZ 1000000u	/* hv's 1 GHz APIC bus */

/* native_calibrate_tsc(): crystal_khz * ebx / eax, all unsigned int. */
static uint32_t linux_tsc_khz(uint32_t num, uint32_t den)
{
	return (uint32_t)(CRYSTAL_KHZ * num) / den;
}

static void ratio(uint32_t tsc_khz, uint32_t *num, uint32_t *den)
{
	hv_tsc_crystal_ratio(tsc_khz, CRYSTAL_KHZ, num, den);
	/* Linux's product must not wrap. */
	assert_true((uint64_t)CRYSTAL_KHZ * *num <= UINT32_MAX);
	assert_true(*den >= 1);
}

static void exact_where_the_fraction_fits(void **state)
{
	static const struct {
		uint32_t tsc_khz, num, den;
	} table[] = {
		{ 50000, 1, 20 },	/* Bochs at 50 MHz: was 2755 kHz */
		{ 1000000, 1, 1 },
		{ 2995200, 1872, 625 },
		{ 3400000, 17, 5 },
		{ 4000000, 4, 1 },
		{ 1, 1, 1000000 },
	};
	uint32_t num, den;
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		ratio(table[i].tsc_khz, &num, &den);
		assert_int_equal(num, table[i].num);
		assert_int_equal(den, table[i].den);
		assert_int_equal(linux_tsc_khz(num, den), table[i].tsc_khz);
	}
}

/*
 * A numerator below 4295 leaves TSCs near a short fraction (3999535 kHz
 * next to 4/1) up to 117 ppm off; most are within a few ppm.
 */
static void close_for_any_tsc(void **state)
{
	unsigned int seed = 0x15;
	uint32_t num, den, got, tsc_khz;
	int i;

	for (i = 0; i < 100000; i++) {
		tsc_khz = 1000 + (uint32_t)rand_r(&seed) % 4293000;
		ratio(tsc_khz, &num, &den);
		got = linux_tsc_khz(num, den);
		assert_true(llabs((long long)got - tsc_khz) <=
			    (long long)tsc_khz * 117 / 1000000 + 1);
	}
	/* An odd one: 3392147 kHz has no short fraction over 10^6. */
	ratio(3392147, &num, &den);
	assert_int_equal(num, 4230);
	assert_int_equal(den, 1247);
	assert_int_equal(linux_tsc_khz(num, den), 3392141);
	ratio(3999535, &num, &den);
	assert_int_equal(num, 4);
	assert_int_equal(den, 1);
}

static void the_largest_tsc_that_fits(void **state)
{
	uint32_t num, den;

	/* 4294 GHz is 4294 * 10^6 kHz: beyond what 32-bit kHz can hold. */
	hv_tsc_crystal_ratio(UINT32_MAX, CRYSTAL_KHZ, &num, &den);
	assert_int_equal(num, 4294);
	assert_int_equal(den, 1);
	hv_tsc_crystal_ratio(0, CRYSTAL_KHZ, &num, &den);
	assert_int_equal(num, 0);
	assert_int_equal(den, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_where_the_fraction_fits),
		cmocka_unit_test(close_for_any_tsc),
		cmocka_unit_test(the_largest_tsc_that_fits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
