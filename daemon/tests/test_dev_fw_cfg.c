// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the fw_cfg model (daemon/dev/fw_cfg.c): each item's bytes
 * as QEMU lays them out (hw/nvram/fw_cfg.c, qemu_fw_cfg.h), reads past
 * an item's end, unknown selectors, ignored writes and the access sizes
 * QEMU's "comb" region accepts or rejects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model fw_cfg_model;

static const struct hvd_config cfg = {
	.nr_vcpus = 3,
	.ram_size = 0x123456789ull,
	.ram_below_4g = 0xc0000000ull,
};

static void *dev;

static int setup(void **state)
{
	fake_reset();
	dev = calloc(1, fw_cfg_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(fw_cfg_model.create(dev, &fake_svc, &cfg), 0);
	return 0;
}

static int teardown(void **state)
{
	if (fw_cfg_model.destroy)
		fw_cfg_model.destroy(dev);
	free(dev);
	return 0;
}

static uint64_t in(uint16_t port, unsigned int size)
{
	return fw_cfg_model.read(dev, HVD_PIO, port, size);
}

static void out(uint16_t port, unsigned int size, uint64_t val)
{
	fw_cfg_model.write(dev, HVD_PIO, port, size, val);
}

static void select_key(uint16_t key)
{
	out(0x510, 2, key);
}

/* Read @len bytes of data and compare them, then two bytes past the end. */
static void expect(const uint8_t *want, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		assert_int_equal(in(0x511, 1), want[i]);
	assert_int_equal(in(0x511, 1), 0);
	assert_int_equal(in(0x511, 1), 0);
}

static void test_signature_at_power_on(void **state)
{
	expect((const uint8_t *)"QEMU", 4);
	assert_int_equal(fake.logs, 0);
}

static void test_signature_selected(void **state)
{
	select_key(0x0000);
	expect((const uint8_t *)"QEMU", 4);
}

static void test_id_traditional_only(void **state)
{
	static const uint8_t id[] = { 0x01, 0x00, 0x00, 0x00 };

	select_key(0x0001);
	expect(id, sizeof(id));
}

static void test_uuid_zero(void **state)
{
	static const uint8_t uuid[16];

	select_key(0x0002);
	expect(uuid, sizeof(uuid));
}

static void test_ram_size(void **state)
{
	static const uint8_t ram[] = { 0x89, 0x67, 0x45, 0x23,
				       0x01, 0x00, 0x00, 0x00 };

	select_key(0x0003);
	expect(ram, sizeof(ram));
}

static void test_nographic_and_cpus(void **state)
{
	static const uint8_t one[] = { 0x01, 0x00 };
	static const uint8_t three[] = { 0x03, 0x00 };

	select_key(0x0004);
	expect(one, sizeof(one));
	select_key(0x0005);
	expect(three, sizeof(three));
	select_key(0x000f);
	expect(three, sizeof(three));
}

static void test_file_dir_empty(void **state)
{
	static const uint8_t count[] = { 0, 0, 0, 0 };

	select_key(0x0019);
	expect(count, sizeof(count));
}

static void test_unknown_selectors(void **state)
{
	static const uint16_t keys[] = { 0x0006, 0x000d, 0x0020, 0x3fff,
					 0x8000, 0x8003, 0xc005, 0xffff };
	unsigned int i, j;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		select_key(keys[i]);
		for (j = 0; j < 8; j++)
			assert_int_equal(in(0x511, 1), 0);
	}
	assert_int_equal(fake.logs, 0);
}

static void test_write_channel_bit_ignored(void **state)
{
	static const uint8_t three[] = { 0x03, 0x00 };

	select_key(0x4000);
	expect((const uint8_t *)"QEMU", 4);
	select_key(0x4005);
	expect(three, sizeof(three));
}

static void test_select_rewinds(void **state)
{
	select_key(0x0000);
	assert_int_equal(in(0x511, 1), 'Q');
	assert_int_equal(in(0x511, 1), 'E');
	select_key(0x0000);
	expect((const uint8_t *)"QEMU", 4);
}

static void test_byte_read_of_selector_reads_data(void **state)
{
	/* One comb region: a byte read at 0x510 streams data too. */
	assert_int_equal(in(0x510, 1), 'Q');
	assert_int_equal(in(0x511, 1), 'E');
	assert_int_equal(in(0x510, 1), 'M');
	assert_int_equal(in(0x511, 1), 'U');
	assert_int_equal(in(0x510, 1), 0);
}

static void test_writes_ignored(void **state)
{
	/* Data writes (QEMU 2.4+) and byte writes of the selector. */
	out(0x511, 1, 0x55);
	out(0x510, 1, 0x03);
	expect((const uint8_t *)"QEMU", 4);
	select_key(0x0005);
	out(0x511, 1, 0x07);
	out(0x511, 2, 0x0003);
	assert_int_equal(in(0x511, 1), 0x03);
	assert_int_equal(in(0x511, 1), 0x00);
}

static void test_wide_accesses(void **state)
{
	/* A 16-bit read is rejected: 0, the offset stays. */
	assert_int_equal(in(0x510, 2), 0x0000);
	assert_int_equal(in(0x510, 4), 0xffff0000);
	assert_int_equal(fake.logs, 2);
	/* At 0x511 the low byte is a data read, 0x512 and up decode nothing. */
	assert_int_equal(in(0x511, 2), 0xff00 | 'Q');
	assert_int_equal(in(0x511, 4), 0xffffff00 | 'E');
	/* A 32-bit write at 0x510 selects with its low half. */
	out(0x510, 4, 0xabcd0005);
	assert_int_equal(in(0x511, 1), 0x03);
}

static void test_log_rate_limit(void **state)
{
	int i;

	for (i = 0; i < 10; i++)
		in(0x510, 2);
	assert_int_equal(fake.logs, 4);
}

static void test_reset_selects_signature(void **state)
{
	select_key(0x0003);
	assert_int_equal(in(0x511, 1), 0x89);
	fw_cfg_model.reset(dev);
	expect((const uint8_t *)"QEMU", 4);
}

/* Each test on a device fresh from create(). */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* clang-format off */
		T(test_signature_at_power_on),
		T(test_signature_selected),
		T(test_id_traditional_only),
		T(test_uuid_zero),
		T(test_ram_size),
		T(test_nographic_and_cpus),
		T(test_file_dir_empty),
		T(test_unknown_selectors),
		T(test_write_channel_bit_ignored),
		T(test_select_rewinds),
		T(test_byte_read_of_selector_reads_data),
		T(test_writes_ignored),
		T(test_wide_accesses),
		T(test_log_rate_limit),
		T(test_reset_selects_signature),
		/* clang-format on */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
