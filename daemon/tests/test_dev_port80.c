// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the POST port model (daemon/dev/port80.c): reads are all
 * ones as QEMU's ioport80_read(), writes have no effect a guest sees and
 * log nothing, and the last code shows in the log when the device goes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model port80_model;

static const struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = 64 << 20,
	.ram_below_4g = 64 << 20,
};

static void *dev;

static int setup(void **state)
{
	fake_reset();
	dev = calloc(1, port80_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(port80_model.create(dev, &fake_svc, &cfg), 0);
	return 0;
}

static int teardown(void **state)
{
	free(dev);
	return 0;
}

static uint64_t in(unsigned int size)
{
	return port80_model.read(dev, HVD_PIO, 0x80, size);
}

static void test_range(void **state)
{
	assert_int_equal(port80_model.nr_ranges, 1);
	assert_int_equal(port80_model.ranges[0].space, HVD_PIO);
	assert_int_equal(port80_model.ranges[0].base, 0x80);
	assert_int_equal(port80_model.ranges[0].len, 1);
	port80_model.destroy(dev);
}

static void test_reads_all_ones(void **state)
{
	assert_int_equal(in(1), 0xff);
	assert_int_equal(in(2), 0xffff);
	assert_int_equal(in(4), 0xffffffff);
	port80_model.write(dev, HVD_PIO, 0x80, 1, 0x42);
	assert_int_equal(in(1), 0xff);
	assert_int_equal(in(4), 0xffffffff);
	port80_model.destroy(dev);
}

static void test_writes_silent(void **state)
{
	int i;

	/* Linux's outb_p() delays: thousands of writes, no trace. */
	for (i = 0; i < 10000; i++)
		port80_model.write(dev, HVD_PIO, 0x80, 1, i);
	assert_int_equal(fake.logs, 0);
	assert_int_equal(fake.nr_req, 0);
	assert_int_equal(fake.irq_edges[0], 0);
	port80_model.destroy(dev);
	assert_int_equal(fake.logs, 1);
	assert_string_equal(fake.last_log,
			    "last POST code 0x0f (10000 writes)");
}

static void test_wide_write_low_byte(void **state)
{
	port80_model.write(dev, HVD_PIO, 0x80, 4, 0x123455aa);
	port80_model.destroy(dev);
	assert_string_equal(fake.last_log, "last POST code 0xaa (1 writes)");
}

static void test_no_writes_no_log(void **state)
{
	port80_model.destroy(dev);
	assert_int_equal(fake.logs, 0);
}

static void test_reset_forgets(void **state)
{
	port80_model.write(dev, HVD_PIO, 0x80, 1, 0x55);
	port80_model.reset(dev);
	port80_model.destroy(dev);
	assert_int_equal(fake.logs, 0);
}

/* Each test on a device fresh from create(). */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* clang-format off */
		T(test_range),
		T(test_reads_all_ones),
		T(test_writes_silent),
		T(test_wide_write_low_byte),
		T(test_no_writes_no_log),
		T(test_reset_forgets),
		/* clang-format on */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
