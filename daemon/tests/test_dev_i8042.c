// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the 8042 keyboard controller model (daemon/dev/i8042.c)
 * against the fake services: the status register, the command byte, the
 * controller's tests, both reset paths, the keyboard's answers, the aux
 * port with nothing behind it, IRQ 1 and IRQ 12 edges, and guest junk.
 * Values are the IBM PC AT and PS/2 technical references'.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model i8042_model;

static const struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = 256 << 20,
	.ram_below_4g = 256 << 20,
};

static void *dev;

static int setup(void **state)
{
	fake_reset();
	dev = calloc(1, i8042_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(i8042_model.create(dev, &fake_svc, &cfg), 0);
	return 0;
}

static int teardown(void **state)
{
	if (i8042_model.destroy)
		i8042_model.destroy(dev);
	free(dev);
	return 0;
}

static uint64_t in(uint16_t port, unsigned int size)
{
	return i8042_model.read(dev, HVD_PIO, port, size);
}

static void out(uint16_t port, unsigned int size, uint64_t val)
{
	i8042_model.write(dev, HVD_PIO, port, size, val);
}

static uint8_t inb(uint16_t port)
{
	return in(port, 1);
}

static void outb(uint16_t port, uint8_t val)
{
	out(port, 1, val);
}

/* A controller command with a data byte. */
static void cmd_data(uint8_t cmd, uint8_t data)
{
	outb(0x64, cmd);
	outb(0x60, data);
}

static uint8_t read_ctr(void)
{
	outb(0x64, 0x20);
	return inb(0x60);
}

static void test_power_on(void **state)
{
	/* SYS, keyboard not inhibited; nothing to read, no command yet. */
	assert_int_equal(inb(0x64), 0x14);
	assert_int_equal(read_ctr(), 0x65);
	assert_int_equal(inb(0x64), 0x1c); /* A2 from the command */
	assert_int_equal(fake.nr_req, 0);
	assert_int_equal(fake.logs, 0);
	assert_int_equal(fake.irq[1], 0);
	assert_int_equal(fake.irq[12], 0);
}

static void test_read_command_byte_status_irq(void **state)
{
	outb(0x64, 0x20);
	/* OBF, SYS, A2, unlocked; IBF never set. */
	assert_int_equal(inb(0x64), 0x1d);
	assert_int_equal(fake.irq[1], 1);
	assert_int_equal(fake.irq_edges[1], 1);
	assert_int_equal(inb(0x60), 0x65);
	assert_int_equal(fake.irq[1], 0);
	assert_int_equal(inb(0x64), 0x1c);
	/* An empty output buffer reads the last byte again, no IRQ. */
	assert_int_equal(inb(0x60), 0x65);
	assert_int_equal(fake.irq_edges[1], 1);
}

static void test_write_command_byte(void **state)
{
	cmd_data(0x60, 0x00);
	/* SYS follows the command byte; the data write cleared A2. */
	assert_int_equal(inb(0x64), 0x10);
	assert_int_equal(read_ctr(), 0x00);
	/* KBDINT clear: the response raised no IRQ 1. */
	assert_int_equal(fake.irq_edges[1], 0);

	cmd_data(0x60, 0x47);
	assert_int_equal(read_ctr(), 0x47);
	assert_int_equal(fake.irq_edges[1], 1);
}

static void test_enabling_irq_with_full_buffer(void **state)
{
	cmd_data(0x60, 0x64);
	outb(0x64, 0xaa);
	assert_int_equal(fake.irq[1], 0);
	cmd_data(0x60, 0x65);
	assert_int_equal(fake.irq[1], 1);
	assert_int_equal(inb(0x60), 0x55);
	assert_int_equal(fake.irq[1], 0);
}

static void test_self_test_sets_sys(void **state)
{
	cmd_data(0x60, 0x00);
	assert_int_equal(inb(0x64) & 0x04, 0);
	outb(0x64, 0xaa);
	assert_int_equal(inb(0x64), 0x1d);
	assert_int_equal(inb(0x60), 0x55);
	assert_int_equal(inb(0x64), 0x1c);
	assert_int_equal(read_ctr(), 0x04);
}

static void test_interface_tests(void **state)
{
	outb(0x64, 0xab);
	assert_int_equal(inb(0x60), 0x00);
	outb(0x64, 0xa9);
	assert_int_equal(inb(0x60), 0x00);
	assert_int_equal(inb(0x64) & 0x01, 0);
}

static void test_enable_disable_bits(void **state)
{
	outb(0x64, 0xad);
	assert_int_equal(read_ctr(), 0x75);
	outb(0x64, 0xae);
	assert_int_equal(read_ctr(), 0x65);
	outb(0x64, 0xa8);
	assert_int_equal(read_ctr(), 0x45);
	outb(0x64, 0xa7);
	assert_int_equal(read_ctr(), 0x65);
	/* A byte for the keyboard enables its interface. */
	outb(0x64, 0xad);
	outb(0x60, 0xf4);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(read_ctr(), 0x65);
}

static void test_reset_pulse_fe(void **state)
{
	outb(0x64, 0xfe);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_RESET);
	assert_int_equal(fake.req_status, 0);
}

static void test_pulses_without_line0(void **state)
{
	/* 0xff pulses nothing; 0xfd pulses line 1 only. */
	outb(0x64, 0xff);
	outb(0x64, 0xfd);
	outb(0x64, 0xf1);
	assert_int_equal(fake.nr_req, 0);
	outb(0x64, 0xf0);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_RESET);
	assert_int_equal(inb(0x64) & 0x01, 0);
	assert_int_equal(fake.logs, 0);
}

static void test_output_port(void **state)
{
	outb(0x64, 0xd0);
	assert_int_equal(inb(0x60), 0x03);
	cmd_data(0xd1, 0xdd);
	assert_int_equal(fake.nr_req, 0);
	/* Bits 4 and 5 show the output buffer; it is empty. */
	outb(0x64, 0xd0);
	assert_int_equal(inb(0x60), 0xcd);
	/* With a keyboard byte waiting, bit 4 is set. */
	outb(0x64, 0xab);
	outb(0x64, 0xd0);
	assert_int_equal(inb(0x60), 0x00);
	assert_int_equal(inb(0x60), 0xdd);
}

static void test_reset_via_output_port(void **state)
{
	cmd_data(0xd1, 0xde);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_RESET);
	/* The line comes back when the reset is done. */
	outb(0x64, 0xd0);
	assert_int_equal(inb(0x60), 0xcf);
	assert_int_equal(fake.nr_req, 1);
}

static void test_keyboard_reset(void **state)
{
	outb(0x60, 0xff);
	assert_int_equal(inb(0x64), 0x15); /* OBF, SYS, unlocked */
	assert_int_equal(fake.irq_edges[1], 1);
	assert_int_equal(inb(0x60), 0xfa);
	/* The next byte raises a new edge. */
	assert_int_equal(fake.irq[1], 1);
	assert_int_equal(fake.irq_edges[1], 2);
	assert_int_equal(inb(0x60), 0xaa);
	assert_int_equal(fake.irq[1], 0);
	assert_int_equal(fake.irq_edges[1], 2);
	assert_int_equal(inb(0x64), 0x14);
}

static void test_keyboard_identify(void **state)
{
	outb(0x60, 0xf2);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xab);
	assert_int_equal(inb(0x60), 0x41); /* translated */
	cmd_data(0x60, 0x25);
	outb(0x60, 0xf2);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xab);
	assert_int_equal(inb(0x60), 0x83);
	assert_int_equal(inb(0x64) & 0x01, 0);
}

static void test_keyboard_echo_and_acks(void **state)
{
	outb(0x60, 0xee);
	assert_int_equal(inb(0x60), 0xee);
	assert_int_equal(inb(0x64) & 0x01, 0);
	outb(0x60, 0xf4);
	assert_int_equal(inb(0x60), 0xfa);
	outb(0x60, 0xf5);
	assert_int_equal(inb(0x60), 0xfa);
	/* Set LEDs and its parameter: two ACKs. */
	outb(0x60, 0xed);
	outb(0x60, 0x02);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x64) & 0x01, 0);
}

static void test_aux_loopback_and_irq12(void **state)
{
	/* Aux interrupt off: the looped byte shows, IRQ 12 stays low. */
	cmd_data(0xd3, 0x5a);
	assert_int_equal(inb(0x64), 0x35); /* OBF, SYS, unlocked, aux */
	assert_int_equal(fake.irq[12], 0);
	assert_int_equal(fake.irq[1], 0);
	assert_int_equal(inb(0x60), 0x5a);

	/* Linux's IRQ test: aux enabled with its interrupt. */
	cmd_data(0x60, 0x47);
	cmd_data(0xd3, 0xa5);
	assert_int_equal(fake.irq[12], 1);
	assert_int_equal(fake.irq_edges[12], 1);
	assert_int_equal(fake.irq[1], 0);
	outb(0x64, 0xd0);
	/* The output port shows the aux byte (bit 5) before the answer. */
	assert_int_equal(inb(0x60), 0xa5);
	assert_int_equal(fake.irq[12], 0);
	assert_int_equal(fake.irq[1], 1);
	assert_int_equal(inb(0x60), 0x23);
	assert_int_equal(fake.irq[1], 0);
}

static void test_aux_device_absent(void **state)
{
	cmd_data(0x60, 0x47);
	cmd_data(0xd4, 0xf2);
	/* 0xfe with the aux and time-out bits. */
	assert_int_equal(inb(0x64), 0x75);
	assert_int_equal(fake.irq[12], 1);
	assert_int_equal(inb(0x60), 0xfe);
	assert_int_equal(fake.irq[12], 0);
	assert_int_equal(inb(0x64), 0x14);
}

static void test_pending_command_replaced(void **state)
{
	outb(0x64, 0x60);
	outb(0x64, 0x20);
	assert_int_equal(inb(0x60), 0x65);
	/* The 0x60 no longer waits: this byte goes to the keyboard. */
	outb(0x60, 0x00);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(read_ctr(), 0x65);
	/* Controller RAM writes take a data byte and drop it. */
	cmd_data(0x61, 0x12);
	assert_int_equal(inb(0x64) & 0x01, 0);
	assert_int_equal(read_ctr(), 0x65);
}

static void test_queue_overflow(void **state)
{
	static const uint8_t id[] = { 0xfa, 0xab, 0x41 };
	int i;

	/* Three identifies: nine bytes, eight fit. */
	for (i = 0; i < 3; i++)
		outb(0x60, 0xf2);
	assert_int_equal(fake.logs, 1);
	for (i = 0; i < 8; i++)
		assert_int_equal(inb(0x60), id[i % 3]);
	assert_int_equal(inb(0x64) & 0x01, 0);
	assert_int_equal(fake.irq_edges[1], 8);
}

static void test_unknown_commands_rate_limited(void **state)
{
	int i;

	for (i = 0; i < 10; i++)
		outb(0x64, 0xc8);
	assert_int_equal(fake.logs, 4);
	assert_int_equal(inb(0x64), 0x1c);
	assert_int_equal(fake.nr_req, 0);
}

static void test_wide_accesses(void **state)
{
	assert_int_equal(in(0x64, 2), 0xff14);
	assert_int_equal(in(0x64, 4), 0xffffff14);
	out(0x64, 2, 0x1220);
	assert_int_equal(in(0x60, 2), 0xff65);
	out(0x60, 4, 0xffffffee);
	assert_int_equal(in(0x60, 1), 0xee);
}

static void test_machine_reset(void **state)
{
	cmd_data(0x60, 0x47);
	outb(0x60, 0xff);
	outb(0x64, 0xd1);
	assert_int_equal(fake.irq[1], 1);
	i8042_model.reset(dev);
	assert_int_equal(fake.irq[1], 0);
	assert_int_equal(inb(0x64), 0x14);
	/* The pending 0xd1 is gone too. */
	outb(0x60, 0x00);
	assert_int_equal(fake.nr_req, 0);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(read_ctr(), 0x65);
}

/* Each test on a device fresh from create(). */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* clang-format off */
		T(test_power_on),
		T(test_read_command_byte_status_irq),
		T(test_write_command_byte),
		T(test_enabling_irq_with_full_buffer),
		T(test_self_test_sets_sys),
		T(test_interface_tests),
		T(test_enable_disable_bits),
		T(test_reset_pulse_fe),
		T(test_pulses_without_line0),
		T(test_output_port),
		T(test_reset_via_output_port),
		T(test_keyboard_reset),
		T(test_keyboard_identify),
		T(test_keyboard_echo_and_acks),
		T(test_aux_loopback_and_irq12),
		T(test_aux_device_absent),
		T(test_pending_command_replaced),
		T(test_queue_overflow),
		T(test_unknown_commands_rate_limited),
		T(test_wide_accesses),
		T(test_machine_reset),
		/* clang-format on */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
