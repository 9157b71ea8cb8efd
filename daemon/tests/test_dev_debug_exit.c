// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the isa-debug-exit model (daemon/dev/debug_exit.c): the
 * exit status (v << 1) | 1 of QEMU's hw/misc/debugexit.c, the low byte of
 * a wider write, and reads (0 at the port, all ones above it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model debug_exit_model;

static const struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = 64 << 20,
	.ram_below_4g = 64 << 20,
};

static void *dev;

static int setup(void **state)
{
	fake_reset();
	dev = calloc(1, debug_exit_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(debug_exit_model.create(dev, &fake_svc, &cfg), 0);
	return 0;
}

static int teardown(void **state)
{
	if (debug_exit_model.destroy)
		debug_exit_model.destroy(dev);
	free(dev);
	return 0;
}

static void out(unsigned int size, uint64_t val)
{
	debug_exit_model.write(dev, HVD_PIO, 0xf4, size, val);
}

static void test_range(void **state)
{
	assert_int_equal(debug_exit_model.nr_ranges, 1);
	assert_int_equal(debug_exit_model.ranges[0].space, HVD_PIO);
	assert_int_equal(debug_exit_model.ranges[0].base, 0xf4);
	assert_int_equal(debug_exit_model.ranges[0].len, 1);
}

static void test_status_0(void **state)
{
	out(1, 0x00);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_EXIT);
	assert_int_equal(fake.req_status, 1);
}

static void test_status_1(void **state)
{
	out(1, 0x01);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_EXIT);
	assert_int_equal(fake.req_status, 3);
}

static void test_status_7f(void **state)
{
	out(1, 0x7f);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_EXIT);
	assert_int_equal(fake.req_status, 0xff);
}

static void test_status_ff(void **state)
{
	out(1, 0xff);
	assert_int_equal(fake.req, HVD_REQ_EXIT);
	assert_int_equal(fake.req_status, 0x1ff);
}

static void test_wide_write_low_byte(void **state)
{
	/* One port: the bytes above go to 0xf5-0xf7. */
	out(4, 0x12345610);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_EXIT);
	assert_int_equal(fake.req_status, 0x21);
	out(2, 0xff01);
	assert_int_equal(fake.nr_req, 2);
	assert_int_equal(fake.req_status, 3);
}

static void test_reads(void **state)
{
	assert_int_equal(debug_exit_model.read(dev, HVD_PIO, 0xf4, 1), 0x00);
	assert_int_equal(debug_exit_model.read(dev, HVD_PIO, 0xf4, 2), 0xff00);
	assert_int_equal(debug_exit_model.read(dev, HVD_PIO, 0xf4, 4),
			 0xffffff00);
	assert_int_equal(fake.nr_req, 0);
	assert_int_equal(fake.logs, 0);
}

/* Each test on a device fresh from create(). */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* clang-format off */
		T(test_range),
		T(test_status_0),
		T(test_status_1),
		T(test_status_7f),
		T(test_status_ff),
		T(test_wide_write_low_byte),
		T(test_reads),
		/* clang-format on */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
