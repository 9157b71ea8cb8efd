// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of exception merging (kmod/exception.c, compiled in as is):
 * every pair of exception vectors against SDM Vol. 3A, Table 6-5, written
 * out here by class, and which exceptions are faults (Table 6-1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "exception.h"

enum class { BENIGN, CONTRIBUTORY, PAGE_FAULT, DOUBLE_FAULT };

/* Table 6-4, vector by vector: 0-31. */
static const enum class classes[32] = {
	[0] = CONTRIBUTORY,			/* #DE */
	[8] = DOUBLE_FAULT,
	[10] = CONTRIBUTORY, [11] = CONTRIBUTORY,	/* #TS, #NP */
	[12] = CONTRIBUTORY, [13] = CONTRIBUTORY,	/* #SS, #GP */
	[14] = PAGE_FAULT,
};

/* Table 6-5: rows are the first exception, columns the second. */
static int expected(unsigned int first, unsigned int second)
{
	enum class a = classes[first], b = classes[second];

	if (a == DOUBLE_FAULT && (b == CONTRIBUTORY || b == PAGE_FAULT))
		return HV_TRIPLE_FAULT;
	if (a == CONTRIBUTORY && b == CONTRIBUTORY)
		return HV_VECTOR_DF;
	if (a == PAGE_FAULT && (b == CONTRIBUTORY || b == PAGE_FAULT))
		return HV_VECTOR_DF;
	return second;
}

static void every_pair_follows_table_6_5(void **state)
{
	unsigned int a, b;

	for (a = 0; a < 32; a++)
		for (b = 0; b < 32; b++)
			if (hv_exception_merge(a, b) != expected(a, b))
				fail_msg("first %u, second %u: %d, want %d", a,
					 b, hv_exception_merge(a, b),
					 expected(a, b));
}

static void named_cases(void **state)
{
	assert_int_equal(HV_VECTOR_DF, hv_exception_merge(13, 13));	/* #GP #GP */
	assert_int_equal(HV_VECTOR_DF, hv_exception_merge(14, 14));	/* #PF #PF */
	assert_int_equal(HV_VECTOR_DF, hv_exception_merge(14, 0));	/* #PF #DE */
	assert_int_equal(14, hv_exception_merge(13, 14));	/* #GP then #PF */
	assert_int_equal(HV_TRIPLE_FAULT, hv_exception_merge(8, 13));
	assert_int_equal(HV_TRIPLE_FAULT, hv_exception_merge(8, 14));
	assert_int_equal(1, hv_exception_merge(8, 1));		/* #DF then #DB */
	assert_int_equal(17, hv_exception_merge(17, 17));	/* #AC #AC */
	assert_int_equal(1, hv_exception_merge(1, 1));		/* #DB #DB */
}

static void faults_push_rf(void **state)
{
	static const unsigned char not_faults[] = { 1, 2, 3, 4, 8, 18 };
	unsigned int v, i;
	bool fault;

	for (v = 0; v < 32; v++) {
		fault = true;
		for (i = 0; i < sizeof(not_faults); i++)
			if (not_faults[i] == v)
				fault = false;
		if (hv_exception_is_fault(v) != fault)
			fail_msg("vector %u: fault %d, want %d", v,
				 hv_exception_is_fault(v), fault);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(faults_push_rf),
		cmocka_unit_test(every_pair_follows_table_6_5),
		cmocka_unit_test(named_cases),
	};

	return cmocka_run_group_tests_name("exception", tests, NULL, NULL);
}
