// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the PCI host model (daemon/dev/pci_host.c): configuration
 * mechanism #1 (PCI Local Bus 3.0, 3.2.2.3.2) with the 440FX host bridge
 * at 00:00.0, reads of every width at every CONFIG_DATA offset, absent
 * functions, the enable bit, the command register's writable bits, and
 * the reset control register at 0xcf9.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model pci_host_model;

static const struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = 64 << 20,
	.ram_below_4g = 64 << 20,
};

static void *dev;

static int setup(void **state)
{
	fake_reset();
	dev = calloc(1, pci_host_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(pci_host_model.create(dev, &fake_svc, &cfg), 0);
	return 0;
}

static int teardown(void **state)
{
	if (pci_host_model.destroy)
		pci_host_model.destroy(dev);
	free(dev);
	return 0;
}

static uint64_t in(uint16_t port, unsigned int size)
{
	return pci_host_model.read(dev, HVD_PIO, port, size);
}

static void out(uint16_t port, unsigned int size, uint64_t val)
{
	pci_host_model.write(dev, HVD_PIO, port, size, val);
}

/* CONFIG_ADDRESS for bus, device, function, register, enable set. */
static uint32_t addr(unsigned int bus, unsigned int d, unsigned int f,
		     unsigned int reg)
{
	return 0x80000000u | bus << 16 | d << 11 | f << 8 | reg;
}

static uint32_t cfg_read32(uint32_t a)
{
	out(0xcf8, 4, a);
	return in(0xcfc, 4);
}

static void test_config_address(void **state)
{
	assert_int_equal(in(0xcf8, 4), 0);
	out(0xcf8, 4, 0x80000000);
	assert_int_equal(in(0xcf8, 4), 0x80000000);
	/* Bits 30:24 and 1:0 are reserved and read 0. */
	out(0xcf8, 4, 0xffffffff);
	assert_int_equal(in(0xcf8, 4), 0x80fffffc);
	out(0xcf8, 4, 0x12345678);
	assert_int_equal(in(0xcf8, 4), 0x00345678);
}

static void test_narrow_access_to_cf8(void **state)
{
	out(0xcf8, 4, 0x80000000);
	/* Not a dword: a plain I/O cycle CONFIG_ADDRESS never sees. */
	out(0xcf8, 1, 0x12);
	out(0xcfa, 2, 0x3456);
	out(0xcfb, 1, 0x01);
	assert_int_equal(in(0xcf8, 4), 0x80000000);
	assert_int_equal(in(0xcf8, 1), 0xff);
	assert_int_equal(in(0xcfa, 1), 0xff);
	assert_int_equal(in(0xcfa, 2), 0xffff);
	/* Lane 0xcf9 of a word is RST_CNT. */
	assert_int_equal(in(0xcf8, 2), 0x00ff);
	assert_int_equal(fake.nr_req, 0);
}

static void test_linux_type1_check(void **state)
{
	uint32_t tmp;

	/* arch/x86/pci/direct.c, pci_check_type1(). */
	out(0xcfb, 1, 0x01);
	tmp = in(0xcf8, 4);
	out(0xcf8, 4, 0x80000000);
	assert_int_equal(in(0xcf8, 4), 0x80000000);
	out(0xcf8, 4, tmp);
	/* pci_sanity_check(): class word of 00:00.0 is a host bridge. */
	out(0xcf8, 4, addr(0, 0, 0, 0x08));
	assert_int_equal(in(0xcfe, 2), 0x0600);
}

static void test_host_bridge_dwords(void **state)
{
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x00)), 0x12378086);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x04)), 0x02800006);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x08)), 0x06000002);
	/* Header type 0, single function, no BIST. */
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x0c)), 0x00000000);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x10)), 0x00000000);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x2c)), 0x00000000);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x34)), 0x00000000);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x3c)), 0x00000000);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0xfc)), 0x00000000);
}

static void test_byte_and_word_reads(void **state)
{
	out(0xcf8, 4, addr(0, 0, 0, 0x00));
	assert_int_equal(in(0xcfc, 1), 0x86);
	assert_int_equal(in(0xcfd, 1), 0x80);
	assert_int_equal(in(0xcfe, 1), 0x37);
	assert_int_equal(in(0xcff, 1), 0x12);
	assert_int_equal(in(0xcfc, 2), 0x8086);
	assert_int_equal(in(0xcfe, 2), 0x1237);
	/* A word at 0xcfd straddles bytes 1 and 2. */
	assert_int_equal(in(0xcfd, 2), 0x3780);
	/* Bytes past 0xcff are no port of this device. */
	assert_int_equal(in(0xcfe, 4), 0xffff1237);

	out(0xcf8, 4, addr(0, 0, 0, 0x08));
	assert_int_equal(in(0xcfc, 1), 0x02);
	assert_int_equal(in(0xcfd, 1), 0x00);
	assert_int_equal(in(0xcff, 1), 0x06);

	out(0xcf8, 4, addr(0, 0, 0, 0x0c));
	assert_int_equal(in(0xcfe, 1), 0x00); /* header type */
}

static void test_no_device(void **state)
{
	static const uint32_t absent[] = {
		0x80000800, /* 00:01.0 */
		0x80000100, /* 00:00.1 */
		0x8000f800, /* 00:1f.0 */
		0x80010000, /* 01:00.0 */
		0x80ff0000, /* ff:00.0 */
	};
	unsigned int i;

	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_int_equal(cfg_read32(absent[i]), 0xffffffff);
		assert_int_equal(in(0xcfe, 2), 0xffff);
		assert_int_equal(in(0xcfd, 1), 0xff);
		out(0xcfc, 4, 0);
		out(0xcfc, 2, 0);
		assert_int_equal(in(0xcfc, 4), 0xffffffff);
	}
	/* Writes there left 00:00.0 alone. */
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x04)), 0x02800006);
}

static void test_enable_bit_clear(void **state)
{
	out(0xcf8, 4, 0x00000000);
	assert_int_equal(in(0xcfc, 4), 0xffffffff);
	assert_int_equal(in(0xcfc, 2), 0xffff);
	assert_int_equal(in(0xcfc, 1), 0xff);
	out(0xcf8, 4, 0x00000004);
	out(0xcfc, 2, 0x0140);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x04)), 0x02800006);
}

static void test_command_register(void **state)
{
	out(0xcf8, 4, addr(0, 0, 0, 0x04));
	/* Only parity error response and SERR# enable stick. */
	out(0xcfc, 2, 0xffff);
	assert_int_equal(in(0xcfc, 4), 0x02800146);
	out(0xcfc, 2, 0x0000);
	assert_int_equal(in(0xcfc, 4), 0x02800006);
	out(0xcfd, 1, 0xff);
	assert_int_equal(in(0xcfc, 4), 0x02800106);
	out(0xcfc, 1, 0x40);
	assert_int_equal(in(0xcfc, 4), 0x02800146);
	/* A dword write: status bits are not writable. */
	out(0xcfc, 4, 0xffff0000);
	assert_int_equal(in(0xcfc, 4), 0x02800006);
}

static void test_read_only_header(void **state)
{
	out(0xcf8, 4, addr(0, 0, 0, 0x00));
	out(0xcfc, 4, 0xdeadbeef);
	assert_int_equal(in(0xcfc, 4), 0x12378086);
	/* BAR sizing finds nothing. */
	out(0xcf8, 4, addr(0, 0, 0, 0x10));
	out(0xcfc, 4, 0xffffffff);
	assert_int_equal(in(0xcfc, 4), 0x00000000);
	out(0xcf8, 4, addr(0, 0, 0, 0x3c));
	out(0xcfc, 1, 0x0b);
	assert_int_equal(in(0xcfc, 4), 0x00000000);
}

static void test_reset_control(void **state)
{
	assert_int_equal(in(0xcf9, 1), 0x00);
	/* Linux's CF9 reboot: SYS_RST first, then with RST_CPU. */
	out(0xcf9, 1, 0x02);
	assert_int_equal(fake.nr_req, 0);
	assert_int_equal(in(0xcf9, 1), 0x02);
	out(0xcf9, 1, 0x06);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_RESET);
	assert_int_equal(fake.req_status, 0);
	assert_int_equal(in(0xcf9, 1), 0x02);
	out(0xcf9, 1, 0x0e);
	assert_int_equal(fake.nr_req, 2);
	assert_int_equal(in(0xcf9, 1), 0x0a);
	/* A soft reset resets all the same. */
	out(0xcf9, 1, 0x04);
	assert_int_equal(fake.nr_req, 3);
	assert_int_equal(in(0xcf9, 1), 0x00);
	/* Other bits are not stored. */
	out(0xcf9, 1, 0xf1);
	assert_int_equal(fake.nr_req, 3);
	assert_int_equal(in(0xcf9, 1), 0x00);
	/* CONFIG_ADDRESS never resets. */
	out(0xcf8, 4, 0xffffffff);
	assert_int_equal(fake.nr_req, 3);
}

static void test_reset_via_word_lane(void **state)
{
	out(0xcf8, 2, 0x0600);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_RESET);
}

static void test_machine_reset(void **state)
{
	out(0xcf8, 4, addr(0, 0, 0, 0x04));
	out(0xcfc, 2, 0x0140);
	out(0xcf9, 1, 0x0a);
	pci_host_model.reset(dev);
	assert_int_equal(in(0xcf8, 4), 0);
	assert_int_equal(in(0xcf9, 1), 0);
	assert_int_equal(cfg_read32(addr(0, 0, 0, 0x04)), 0x02800006);
	assert_int_equal(fake.logs, 0);
}

/* Each test on a device fresh from create(). */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* clang-format off */
		T(test_config_address),
		T(test_narrow_access_to_cf8),
		T(test_linux_type1_check),
		T(test_host_bridge_dwords),
		T(test_byte_and_word_reads),
		T(test_no_device),
		T(test_enable_bit_clear),
		T(test_command_register),
		T(test_read_only_header),
		T(test_reset_control),
		T(test_reset_via_word_lane),
		T(test_machine_reset),
		/* clang-format on */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
