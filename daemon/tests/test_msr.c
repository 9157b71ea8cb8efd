// SPDX-License-Identifier: GPL-2.0
/* The MSRs hvd answers for the platform (worker/msr.c), and the #GP rest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "libhv.h"
#include "worker/worker.h"

static int msr(uint32_t index, int write, uint64_t value, uint64_t *data)
{
	struct hv_message ev = {
		.reason = HV_EXIT_REASON_MSR,
		.dir = write ? HV_DIR_WRITE : HV_DIR_READ,
		.msr = index,
		.data = value,
	};

	*data = 0xdeadbeef;
	return hvd_msr(NULL, &ev, data);
}

static void reads(void **state)
{
	uint64_t v;

	assert_int_equal(msr(0xc001001f, 0, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(msr(0x8b, 0, 0, &v), 0);
	assert_int_equal(v, 0x100000000ull);
	assert_int_equal(msr(0x1a0, 0, 0, &v), 0);
	assert_int_equal(v, 0x1800);
}

static void writes(void **state)
{
	uint64_t v;

	/* Linux sets NB_CFG bit 46 and the microcode loader writes 0: ignored. */
	assert_int_equal(msr(0xc001001f, 1, 0x400000000000ull, &v), 0);
	assert_int_equal(msr(0xc001001f, 0, 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(msr(0x8b, 1, 0, &v), 0);
	/* MISC_ENABLE takes its own value only. */
	assert_int_equal(msr(0x1a0, 1, 0x1800, &v), 0);
	assert_int_equal(msr(0x1a0, 1, 0x1804, &v), -1);
}

static void others_gp(void **state)
{
	uint64_t v;

	assert_int_equal(msr(0x10, 0, 0, &v), -1);
	assert_int_equal(msr(0xc0010114, 0, 0, &v), -1);
	assert_int_equal(msr(0xffffffff, 1, 1, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads),
		cmocka_unit_test(writes),
		cmocka_unit_test(others_gp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
