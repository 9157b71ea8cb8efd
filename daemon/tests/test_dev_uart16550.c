// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the 16550A UART model (daemon/dev/uart16550.c, compiled in
 * as is) against the fake services: the registers and the divisor latch,
 * output to the console, loopback and the modem status it maps, the receive
 * FIFO's trigger levels, the character timeout, the THRE interrupt, the
 * interrupt priorities of the PC16550D datasheet (Table IV), overruns,
 * console flow control, the OUT2 gate of the PC's IRQ line, reset and the
 * guest's junk. The expected values come from the PC16550D datasheet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devmodel.h"
#include "fake_services.h"

extern const struct hvd_model uart16550_model;

#define RBR 0
#define IER 1
#define IIR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define IRQ HVD_COM1_IRQ

/* Four character times, rounded up: 640 * divisor * 1e9 / 1843200 ns. */
#define TIMEOUT_DIV12 4166667ull
#define TIMEOUT_DIV1 347223ull
#define TIMEOUT_DIV0 22755555556ull /* divisor 0 counts as 65536 */

static const struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = 1 << 20,
	.ram_below_4g = 1 << 20,
};

static void *dev;

static uint8_t rd(unsigned int reg)
{
	return uart16550_model.read(dev, HVD_PIO, HVD_COM1_BASE + reg, 1);
}

static void wr(unsigned int reg, uint8_t val)
{
	uart16550_model.write(dev, HVD_PIO, HVD_COM1_BASE + reg, 1, val);
}

static size_t in(const char *s)
{
	return uart16550_model.input(dev, (const uint8_t *)s, strlen(s));
}

static int setup(void **state)
{
	fake_reset();
	dev = calloc(1, uart16550_model.priv_size);
	if (!dev)
		return -1;
	return uart16550_model.create(dev, &fake_svc, &cfg);
}

static int teardown(void **state)
{
	uart16550_model.destroy(dev);
	free(dev);
	/* destroy() gave its timer back. */
	return fake.timers[0].used ? -1 : 0;
}

static void test_descriptor(void **state)
{
	assert_string_equal(uart16550_model.name, "uart16550");
	assert_int_equal(uart16550_model.nr_ranges, 1);
	assert_int_equal(uart16550_model.ranges[0].space, HVD_PIO);
	assert_int_equal(uart16550_model.ranges[0].base, 0x3f8);
	assert_int_equal(uart16550_model.ranges[0].len, 8);
}

static void test_power_on(void **state)
{
	assert_int_equal(rd(IER), 0x00);
	assert_int_equal(rd(IIR), 0x01);
	assert_int_equal(rd(LCR), 0x00);
	assert_int_equal(rd(MCR), 0x00);
	assert_int_equal(rd(LSR), 0x60);
	/* A connected line: CTS, DSR, DCD, and no deltas. */
	assert_int_equal(rd(MSR), 0xb0);
	assert_int_equal(rd(SCR), 0x00);
	wr(LCR, 0x80);
	assert_int_equal(rd(RBR), 12);
	assert_int_equal(rd(IER), 0);
	assert_int_equal(fake.irq_edges[IRQ], 0);
	assert_int_equal(fake_armed_timers(), 0);
}

static void test_scratch(void **state)
{
	wr(SCR, 0xa5);
	assert_int_equal(rd(SCR), 0xa5);
	wr(SCR, 0x5a);
	assert_int_equal(rd(SCR), 0x5a);
	/* DLAB does not hide it. */
	wr(LCR, 0x80);
	assert_int_equal(rd(SCR), 0x5a);
}

static void test_divisor_latch(void **state)
{
	wr(IER, 0x05);
	wr(LCR, 0x83);
	wr(RBR, 0x01);
	wr(IER, 0x02);
	assert_int_equal(rd(RBR), 0x01);
	assert_int_equal(rd(IER), 0x02);
	/* Neither went to THR nor IER. */
	assert_int_equal(fake.chr_len, 0);
	wr(LCR, 0x03);
	assert_int_equal(rd(LCR), 0x03);
	assert_int_equal(rd(IER), 0x05);
	/* IER bits 4-7 are always 0 on a 16550A. */
	wr(IER, 0xff);
	assert_int_equal(rd(IER), 0x0f);
	wr(LCR, 0x83);
	assert_int_equal(rd(RBR), 0x01);
	assert_int_equal(rd(IER), 0x02);
	/* A 2-byte access reaches both latches, low port first. */
	uart16550_model.write(dev, HVD_PIO, HVD_COM1_BASE, 2, 0x0c00);
	assert_int_equal(uart16550_model.read(dev, HVD_PIO, HVD_COM1_BASE, 2),
			 0x0c00);
}

static void test_output(void **state)
{
	wr(RBR, 'h');
	wr(RBR, 'i');
	assert_int_equal(fake.chr_len, 2);
	assert_memory_equal(fake.chr, "hi", 2);
	/* The transmitter is done at once. */
	assert_int_equal(rd(LSR), 0x60);
	/* A full backend drops the byte like an unplugged line. */
	fake.chr_room = 0;
	wr(RBR, '!');
	assert_int_equal(fake.chr_len, 2);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(IIR), 0x01);
}

static void test_loopback(void **state)
{
	wr(MCR, 0x10);
	/* CTS, DSR and DCD fell: DCTS, DDSR, DDCD. */
	assert_int_equal(rd(MSR), 0x0b);
	assert_int_equal(rd(MSR), 0x00);
	wr(RBR, 'x');
	assert_int_equal(fake.chr_len, 0);
	assert_int_equal(rd(LSR), 0x61);
	assert_int_equal(rd(RBR), 'x');
	assert_int_equal(rd(LSR), 0x60);
	/* RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD; RI rising is no TERI. */
	wr(MCR, 0x1f);
	assert_int_equal(rd(MSR), 0xfb);
	wr(MCR, 0x1b);
	assert_int_equal(rd(MSR), 0xb4);
	wr(MCR, 0x12);
	assert_int_equal(rd(MSR), 0x1a);
	/* The console is disconnected while looping back. */
	assert_int_equal(in("a"), 0);
	assert_int_equal(fake.accepts, 0);
	/* Back to the line: DSR and DCD rise again, CTS stayed. */
	wr(MCR, 0x00);
	assert_int_equal(fake.accepts, 1);
	assert_int_equal(rd(MSR), 0xba);
	assert_int_equal(in("a"), 1);
	assert_int_equal(rd(RBR), 'a');
}

static void test_loopback_gates_irq(void **state)
{
	wr(IER, 0x01);
	wr(MCR, 0x18);
	wr(RBR, 'x');
	assert_int_equal(rd(IIR), 0x04);
	/* The OUT2 pin is inactive in loopback: no IRQ. */
	assert_int_equal(fake.irq[IRQ], 0);
	wr(MCR, 0x08);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(fake.irq_edges[IRQ], 1);
	assert_int_equal(rd(RBR), 'x');
	assert_int_equal(fake.irq[IRQ], 0);
}

static void test_rx_trigger_levels(void **state)
{
	static const unsigned int level[] = { 1, 4, 8, 14 };
	unsigned int t, i;

	wr(IER, 0x01);
	wr(MCR, 0x08);
	for (t = 0; t < 4; t++) {
		wr(2, t << 6 | 0x03);
		assert_int_equal(rd(IIR), 0xc1);
		for (i = 1; i < level[t]; i++) {
			assert_int_equal(in("d"), 1);
			assert_int_equal(fake.irq[IRQ], 0);
			assert_int_equal(rd(IIR), 0xc1);
		}
		assert_int_equal(in("D"), 1);
		assert_int_equal(fake.irq[IRQ], 1);
		assert_int_equal(fake.irq_edges[IRQ], t + 1);
		assert_int_equal(rd(IIR), 0xc4);
		/* One byte read: below the trigger again. */
		assert_int_equal(rd(RBR), level[t] == 1 ? 'D' : 'd');
		assert_int_equal(fake.irq[IRQ], 0);
		assert_int_equal(rd(IIR), 0xc1);
	}
}

static void test_rda_out2_gate(void **state)
{
	wr(IIR, 0x41);
	wr(IER, 0x01);
	assert_int_equal(in("abcd"), 4);
	/* Pending, but OUT2 is clear: the line stays low. */
	assert_int_equal(rd(IIR), 0xc4);
	assert_int_equal(fake.irq[IRQ], 0);
	wr(MCR, 0x08);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(fake.irq_edges[IRQ], 1);
	wr(MCR, 0x00);
	assert_int_equal(fake.irq[IRQ], 0);
	wr(MCR, 0x0b);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(fake.irq_edges[IRQ], 2);
	/* ERBFI off hides it too. */
	wr(IER, 0x00);
	assert_int_equal(fake.irq[IRQ], 0);
	assert_int_equal(rd(IIR), 0xc1);
}

static void test_no_fifo_rda_at_once(void **state)
{
	wr(IER, 0x01);
	wr(MCR, 0x08);
	/* 16450 mode: RBR holds one byte, no timeout. */
	assert_int_equal(in("ab"), 1);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(rd(IIR), 0x04);
	assert_int_equal(fake_armed_timers(), 0);
	assert_int_equal(rd(RBR), 'a');
	assert_int_equal(fake.irq[IRQ], 0);
	assert_int_equal(rd(IIR), 0x01);
}

static void test_char_timeout(void **state)
{
	wr(IIR, 0x41);
	wr(IER, 0x01);
	wr(MCR, 0x08);
	assert_int_equal(in("a"), 1);
	assert_int_equal(fake_armed_timers(), 1);
	fake_advance(TIMEOUT_DIV12 - 1);
	assert_int_equal(fake.irq[IRQ], 0);
	assert_int_equal(rd(IIR), 0xc1);
	fake_advance(1);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(rd(IIR), 0xcc);
	/* Reading RBR clears it; the FIFO is empty, so no new timeout. */
	assert_int_equal(rd(RBR), 'a');
	assert_int_equal(fake.irq[IRQ], 0);
	assert_int_equal(rd(IIR), 0xc1);
	assert_int_equal(fake_armed_timers(), 0);

	/* 115200 baud. */
	wr(LCR, 0x80);
	wr(RBR, 1);
	wr(LCR, 0x03);
	assert_int_equal(in("bc"), 2);
	fake_advance(TIMEOUT_DIV1 - 1);
	assert_int_equal(fake.irq[IRQ], 0);
	fake_advance(1);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(fake.irq_edges[IRQ], 2);
	/* A read restarts the count for the byte left. */
	assert_int_equal(rd(RBR), 'b');
	assert_int_equal(fake.irq[IRQ], 0);
	fake_advance(TIMEOUT_DIV1 - 1);
	assert_int_equal(fake.irq[IRQ], 0);
	fake_advance(1);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(rd(RBR), 'c');
	assert_int_equal(fake.irq[IRQ], 0);

	/* So does a new byte. */
	assert_int_equal(in("d"), 1);
	fake_advance(TIMEOUT_DIV1 - 10);
	assert_int_equal(in("e"), 1);
	fake_advance(TIMEOUT_DIV1 - 1);
	assert_int_equal(fake.irq[IRQ], 0);
	fake_advance(1);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(rd(IIR), 0xcc);
}

static void test_char_timeout_zero_divisor(void **state)
{
	wr(IIR, 0x41);
	wr(IER, 0x01);
	wr(MCR, 0x08);
	wr(LCR, 0x80);
	wr(RBR, 0);
	wr(IER, 0);
	wr(LCR, 0x03);
	assert_int_equal(in("a"), 1);
	fake_advance(TIMEOUT_DIV0 - 1);
	assert_int_equal(fake.irq[IRQ], 0);
	fake_advance(1);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(rd(IIR), 0xcc);
}

static void test_fifo_clear(void **state)
{
	wr(IIR, 0x41);
	assert_int_equal(in("abc"), 3);
	assert_int_equal(fake_armed_timers(), 1);
	/* Clear RX: empty, timer stopped. Clear TX changes nothing. */
	wr(IIR, 0x47);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(fake_armed_timers(), 0);
	assert_int_equal(rd(IIR), 0xc1);
	/* Leaving FIFO mode clears the FIFO as well. */
	assert_int_equal(in("abc"), 3);
	wr(IIR, 0x00);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(IIR), 0x01);
	/* Without bit 0 the other bits are not programmed. */
	wr(IIR, 0xc0);
	assert_int_equal(rd(IIR), 0x01);
	assert_int_equal(in("ab"), 1);
}

static void test_thre_irq(void **state)
{
	wr(MCR, 0x08);
	assert_int_equal(rd(IIR), 0x01);
	/* Enabling ETBEI with THR empty raises THRE. */
	wr(IER, 0x02);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(fake.irq_edges[IRQ], 1);
	/* Reading IIR with THRE as its source clears it. */
	assert_int_equal(rd(IIR), 0x02);
	assert_int_equal(fake.irq[IRQ], 0);
	assert_int_equal(rd(IIR), 0x01);
	/* Rewriting the same IER is no new enable. */
	wr(IER, 0x02);
	assert_int_equal(fake.irq[IRQ], 0);
	wr(IER, 0x00);
	wr(IER, 0x02);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(fake.irq_edges[IRQ], 2);
	/* Writing THR clears it; the byte leaves and THR is empty again. */
	wr(RBR, 'x');
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(fake.irq_edges[IRQ], 3);
	assert_int_equal(fake.chr_len, 1);
	assert_int_equal(rd(IIR), 0x02);
	assert_int_equal(fake.irq[IRQ], 0);
	/* THRE is not reported while ETBEI is off. */
	wr(IER, 0x00);
	wr(RBR, 'y');
	assert_int_equal(rd(IIR), 0x01);
	assert_int_equal(fake.irq_edges[IRQ], 3);
}

static void test_iir_priority(void **state)
{
	unsigned int i;

	/* Trigger 4; loopback makes an overrun and MSR deltas. */
	wr(IIR, 0x41);
	wr(MCR, 0x10);
	for (i = 0; i < 17; i++)
		wr(RBR, 'A' + i);
	wr(IER, 0x0f);
	assert_int_equal(rd(IIR), 0xc6);
	assert_int_equal(rd(IIR), 0xc6);
	assert_int_equal(rd(LSR), 0x63);
	assert_int_equal(rd(IIR), 0xc4);
	for (i = 0; i < 13; i++)
		assert_int_equal(rd(RBR), 'A' + i);
	/* Three left, below the trigger: THRE until the timeout. */
	fake_advance(TIMEOUT_DIV12);
	assert_int_equal(rd(IIR), 0xcc);
	assert_int_equal(rd(RBR), 'N');
	assert_int_equal(rd(RBR), 'O');
	assert_int_equal(rd(RBR), 'P');
	/* 'Q' was lost to the overrun. */
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(IIR), 0xc2);
	assert_int_equal(rd(IIR), 0xc0);
	assert_int_equal(rd(MSR), 0x0b);
	assert_int_equal(rd(IIR), 0xc1);
	/* The line stayed low throughout: loopback. */
	assert_int_equal(fake.irq_edges[IRQ], 0);
}

static void test_overrun(void **state)
{
	/* 16450 mode: the new byte overwrites RBR. */
	wr(MCR, 0x10);
	wr(RBR, 'a');
	wr(RBR, 'b');
	assert_int_equal(rd(LSR), 0x63);
	assert_int_equal(rd(LSR), 0x61);
	assert_int_equal(rd(RBR), 'b');
	assert_int_equal(rd(LSR), 0x60);

	/* FIFO mode: the FIFO keeps its bytes; ELSI interrupts. */
	wr(IIR, 0x01);
	wr(IER, 0x04);
	for (unsigned int i = 0; i < 16; i++)
		wr(RBR, i);
	assert_int_equal(rd(LSR), 0x61);
	wr(RBR, 0x99);
	assert_int_equal(rd(IIR), 0xc6);
	wr(MCR, 0x08);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(rd(LSR), 0x63);
	assert_int_equal(fake.irq[IRQ], 0);
	assert_int_equal(rd(IIR), 0xc1);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(rd(RBR), i);
	assert_int_equal(rd(LSR), 0x60);
	/* An empty RBR reads its last byte again. */
	assert_int_equal(rd(RBR), 15);
}

static void test_input_never_overruns(void **state)
{
	wr(IIR, 0x01);
	assert_int_equal(in("0123456789abcdefXYZ"), 16);
	assert_int_equal(rd(LSR), 0x61);
	assert_int_equal(in("XYZ"), 0);
	assert_int_equal(rd(LSR), 0x61);
}

static void test_chr_accept(void **state)
{
	wr(IIR, 0x01);
	assert_int_equal(in("0123"), 4);
	/* Nothing held back: reads call no accept. */
	assert_int_equal(rd(RBR), '0');
	assert_int_equal(fake.accepts, 0);
	assert_int_equal(in("456789abcdefghijk"), 13);
	assert_int_equal(fake.accepts, 0);
	assert_int_equal(rd(RBR), '1');
	assert_int_equal(fake.accepts, 1);
	assert_int_equal(in("ijk"), 1);
	assert_int_equal(rd(RBR), '2');
	assert_int_equal(fake.accepts, 2);
	/* Accept comes once per hold-back. */
	assert_int_equal(rd(RBR), '3');
	assert_int_equal(fake.accepts, 2);
	assert_int_equal(in("jk"), 2);
	assert_int_equal(in("lmnop"), 0);
	/* Clearing the FIFO makes room too. */
	wr(IIR, 0x03);
	assert_int_equal(fake.accepts, 3);
}

static void test_reset(void **state)
{
	wr(LCR, 0x80);
	wr(RBR, 1);
	wr(LCR, 0x1b);
	wr(IER, 0x0f);
	wr(MCR, 0x0b);
	wr(SCR, 0x77);
	assert_int_equal(in("ab"), 1);
	assert_int_equal(fake.irq[IRQ], 1);
	assert_int_equal(in("b"), 0);
	uart16550_model.reset(dev);
	assert_int_equal(fake.irq[IRQ], 0);
	/* The held-back input may come now. */
	assert_int_equal(fake.accepts, 1);
	assert_int_equal(rd(IER), 0x00);
	assert_int_equal(rd(IIR), 0x01);
	assert_int_equal(rd(LCR), 0x00);
	assert_int_equal(rd(MCR), 0x00);
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(MSR), 0xb0);
	assert_int_equal(rd(SCR), 0x00);
	wr(LCR, 0x80);
	assert_int_equal(rd(RBR), 12);
	assert_int_equal(rd(IER), 0);

	/* FIFO mode with a timeout running: both go. */
	wr(LCR, 0x00);
	wr(IIR, 0x01);
	assert_int_equal(in("a"), 1);
	assert_int_equal(fake_armed_timers(), 1);
	uart16550_model.reset(dev);
	assert_int_equal(fake_armed_timers(), 0);
	assert_int_equal(rd(IIR), 0x01);
	assert_int_equal(rd(LSR), 0x60);
}

static void test_junk(void **state)
{
	unsigned int i;

	for (i = 0; i < 10; i++) {
		wr(LSR, 0xff);
		wr(MSR, 0xff);
	}
	assert_int_equal(rd(LSR), 0x60);
	assert_int_equal(rd(MSR), 0xb0);
	/* Logged, but only the first few. */
	assert_int_equal(fake.logs, 4);
	/* MCR bits 5-7 read 0. */
	wr(MCR, 0xe0);
	assert_int_equal(rd(MCR), 0x00);
	/* Zero input is no hold-back. */
	assert_int_equal(uart16550_model.input(dev, (const uint8_t *)"", 0), 0);
	wr(IIR, 0x01);
	for (i = 0; i < 16; i++)
		assert_int_equal(rd(RBR), 0);
	assert_int_equal(fake.accepts, 0);
}

static void test_wide_access(void **state)
{
	wr(SCR, 0x5a);
	/* MSR then SCR; ports past 0x3ff float high. */
	assert_int_equal(uart16550_model.read(dev, HVD_PIO, HVD_COM1_BASE + 6,
					      2),
			 0x5ab0);
	assert_int_equal(uart16550_model.read(dev, HVD_PIO, HVD_COM1_BASE + 6,
					      4),
			 0xffff5ab0);
	uart16550_model.write(dev, HVD_PIO, HVD_COM1_BASE + 7, 4, 0x11223344);
	assert_int_equal(rd(SCR), 0x44);
	/* LCR, MCR, LSR, MSR in one dword. */
	uart16550_model.write(dev, HVD_PIO, HVD_COM1_BASE + 3, 4, 0x00000b03);
	assert_int_equal(uart16550_model.read(dev, HVD_PIO, HVD_COM1_BASE + 3,
					      4),
			 0xb0600b03);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_descriptor),
		T(test_power_on),
		T(test_scratch),
		T(test_divisor_latch),
		T(test_output),
		T(test_loopback),
		T(test_loopback_gates_irq),
		T(test_rx_trigger_levels),
		T(test_rda_out2_gate),
		T(test_no_fifo_rda_at_once),
		T(test_char_timeout),
		T(test_char_timeout_zero_divisor),
		T(test_fifo_clear),
		T(test_thre_irq),
		T(test_iir_priority),
		T(test_overrun),
		T(test_input_never_overruns),
		T(test_chr_accept),
		T(test_reset),
		T(test_junk),
		T(test_wide_access),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
