// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the cascaded 8259A pair and the PIIX ELCR
 * (daemon/dev/pic8259.c) against the fake services: the initialization
 * sequence, masking, acknowledge through the cascade, priority and
 * nesting, rotation, EOI commands, poll, auto-EOI, special mask and
 * special fully nested modes, edge and level triggering, spurious IRQ 7
 * and 15, and guest junk. Expected values come from the Intel 8259A
 * datasheet and the 82371AB (PIIX4) datasheet. Every test also counts the
 * set_intr calls: INT must be driven exactly when its level changes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "devmodel.h"
#include "fake_services.h"

extern const struct hvd_model pic8259_model;

#define M pic8259_model
#define MCMD 0x20
#define MDATA 0x21
#define SCMD 0xa0
#define SDATA 0xa1
#define ELCR1 0x4d0
#define ELCR2 0x4d1

static struct hvd_services svc;
static unsigned int intr_calls;
static void *pic;

static void count_set_intr(void *ctx, int level)
{
	intr_calls++;
	fake_svc.set_intr(ctx, level);
}

static int setup(void **state)
{
	static const struct hvd_config cfg = { .nr_vcpus = 1 };

	(void)state;
	fake_reset();
	svc = fake_svc;
	svc.set_intr = count_set_intr;
	intr_calls = 0;
	pic = calloc(1, M.priv_size);
	if (!pic)
		return -1;
	return M.create(pic, &svc, &cfg);
}

static int teardown(void **state)
{
	(void)state;
	free(pic);
	return 0;
}

static void outb(uint16_t port, uint8_t val)
{
	M.write(pic, HVD_PIO, port, 1, val);
}

static uint8_t inb(uint16_t port)
{
	return M.read(pic, HVD_PIO, port, 1);
}

static void irq(unsigned int pin, int level)
{
	M.irq_in(pic, pin, level);
}

/* A rising edge on an edge-triggered line, left low again. */
static void pulse(unsigned int pin)
{
	irq(pin, 1);
	irq(pin, 0);
}

static uint8_t read_isr(uint16_t cmd)
{
	uint8_t v;

	outb(cmd, 0x0b);
	v = inb(cmd);
	outb(cmd, 0x0a);
	return v;
}

static uint8_t read_irr(uint16_t cmd)
{
	outb(cmd, 0x0a);
	return inb(cmd);
}

/* Linux's init_8259A(): vectors 0x30 and 0x38, cascade on IR2. */
static void init_pics(uint8_t icw4_master, uint8_t icw4_slave)
{
	outb(MCMD, 0x11);
	outb(MDATA, 0x30);
	outb(MDATA, 0x04);
	outb(MDATA, icw4_master);
	outb(SCMD, 0x11);
	outb(SDATA, 0x38);
	outb(SDATA, 0x02);
	outb(SDATA, icw4_slave);
}

static void init_linux(void)
{
	init_pics(0x01, 0x01);
}

static void test_init_sequence(void **state)
{
	(void)state;
	assert_int_equal(inb(MDATA), 0x00);
	assert_int_equal(inb(SDATA), 0x00);
	outb(MDATA, 0xff);
	outb(SDATA, 0xff);
	assert_int_equal(inb(MDATA), 0xff);

	/* Uninitialized chips latch but never raise INT. */
	irq(0, 1);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(M.inta(pic), -1);

	outb(MCMD, 0x11);
	assert_int_equal(inb(MDATA), 0x00); /* ICW1 clears IMR */
	assert_int_equal(inb(MCMD), 0x00); /* and the edge latches */
	outb(MDATA, 0x30);
	outb(MDATA, 0x04);
	outb(MDATA, 0x01);
	outb(SCMD, 0x11);
	outb(SDATA, 0x38);
	outb(SDATA, 0x02);
	outb(SDATA, 0x01);
	assert_int_equal(inb(SDATA), 0x00);
	assert_int_equal(read_isr(MCMD), 0x00);

	/* IRQ 0 stayed high: it needs a new low-to-high transition. */
	assert_int_equal(read_irr(MCMD), 0x00);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(intr_calls, 0);
	irq(0, 0);
	irq(0, 1);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(intr_calls, 1);
	assert_int_equal(M.inta(pic), 0x30);
	assert_int_equal(fake.logs, 0);

	/* Once initialized, data writes are OCW1. */
	outb(MDATA, 0xfb);
	assert_int_equal(inb(MDATA), 0xfb);
}

static void test_masking(void **state)
{
	(void)state;
	init_linux();
	outb(MDATA, 0x01);
	pulse(0);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(read_irr(MCMD), 0x01); /* IRR latches masked ones */
	outb(MDATA, 0x00);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(intr_calls, 1);
	outb(MDATA, 0x01);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(intr_calls, 2);
	outb(MDATA, 0x00);
	assert_int_equal(M.inta(pic), 0x30);
	outb(MCMD, 0x20);

	/* A masked slave input does not reach the master. */
	outb(SDATA, 0x10);
	pulse(12);
	assert_int_equal(read_irr(SCMD), 0x10);
	assert_int_equal(read_irr(MCMD), 0x00);
	assert_int_equal(fake.intr, 0);

	/* Masking IR2 on the master holds the whole slave back. */
	outb(MDATA, 0x04);
	outb(SDATA, 0x00);
	assert_int_equal(read_irr(MCMD), 0x04);
	assert_int_equal(fake.intr, 0);
	outb(MDATA, 0x00);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x3c);
	assert_int_equal(intr_calls, 6);
}

static void test_irq0_edge(void **state)
{
	(void)state;
	init_linux();
	irq(0, 1);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(fake.intr_edges, 1);
	assert_int_equal(intr_calls, 1);
	assert_int_equal(M.inta(pic), 0x30);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(intr_calls, 2);
	assert_int_equal(read_isr(MCMD), 0x01);
	assert_int_equal(read_irr(MCMD), 0x00);

	/* A new edge while in service waits for the EOI. */
	irq(0, 0);
	irq(0, 1);
	assert_int_equal(read_irr(MCMD), 0x01);
	assert_int_equal(fake.intr, 0);
	outb(MCMD, 0x20);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(intr_calls, 3);
	assert_int_equal(M.inta(pic), 0x30);
	outb(MCMD, 0x20);

	/* Held high, an edge input requests once only. */
	assert_int_equal(fake.intr, 0);
	assert_int_equal(read_irr(MCMD), 0x00);
	assert_int_equal(intr_calls, 4);
	assert_int_equal(fake.intr_edges, 2);
}

static void test_slave_cascade(void **state)
{
	(void)state;
	init_linux();
	irq(12, 1);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(read_irr(SCMD), 0x10);
	assert_int_equal(read_irr(MCMD), 0x04);
	assert_int_equal(M.inta(pic), 0x3c);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(read_isr(MCMD), 0x04);
	assert_int_equal(read_isr(SCMD), 0x10);
	assert_int_equal(read_irr(SCMD), 0x00);
	assert_int_equal(read_irr(MCMD), 0x00);
	outb(SCMD, 0x20);
	assert_int_equal(read_isr(SCMD), 0x00);
	assert_int_equal(read_isr(MCMD), 0x04);
	outb(MCMD, 0x20);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(intr_calls, 2);

	/* A slave IRQ ranks as IR2 on the master: above 3, below 1. */
	irq(12, 0);
	pulse(3);
	pulse(12);
	pulse(1);
	assert_int_equal(M.inta(pic), 0x31);
	outb(MCMD, 0x20);
	assert_int_equal(M.inta(pic), 0x3c);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(M.inta(pic), 0x33);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 0);
}

static void test_priority(void **state)
{
	(void)state;
	init_linux();
	pulse(5);
	pulse(1);
	assert_int_equal(intr_calls, 1);
	assert_int_equal(read_irr(MCMD), 0x22);
	assert_int_equal(M.inta(pic), 0x31);
	/* IRQ 5 ranks below the IRQ 1 in service. */
	assert_int_equal(fake.intr, 0);
	assert_int_equal(read_irr(MCMD), 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x35);
	assert_int_equal(read_isr(MCMD), 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(intr_calls, 4);
}

static void test_nested(void **state)
{
	(void)state;
	init_linux();
	pulse(5);
	assert_int_equal(M.inta(pic), 0x35);
	pulse(6);
	assert_int_equal(fake.intr, 0);
	pulse(1);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x31);
	assert_int_equal(read_isr(MCMD), 0x22);
	/* A non-specific EOI ends the highest level in service. */
	outb(MCMD, 0x20);
	assert_int_equal(read_isr(MCMD), 0x20);
	assert_int_equal(fake.intr, 0);
	outb(MCMD, 0x20);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x36);
	outb(MCMD, 0x20);
	assert_int_equal(intr_calls, 6);
}

static void test_spurious(void **state)
{
	(void)state;
	assert_int_equal(M.inta(pic), -1);
	init_linux();
	assert_int_equal(M.inta(pic), -1);

	/* The request goes away (masked) after INT was raised. */
	pulse(3);
	assert_int_equal(fake.intr, 1);
	outb(MDATA, 0x08);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(M.inta(pic), 0x37);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(read_irr(MCMD), 0x08);
	assert_int_equal(M.inta(pic), -1);
	outb(MDATA, 0x00);
	assert_int_equal(M.inta(pic), 0x33);
	outb(MCMD, 0x20);

	/* A level input that drops before INTA. */
	outb(ELCR1, 0x20);
	irq(5, 1);
	assert_int_equal(fake.intr, 1);
	irq(5, 0);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(M.inta(pic), 0x37);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(M.inta(pic), -1);

	/* IRQ 15: the master acknowledges IR2, the slave has nothing. */
	pulse(10);
	assert_int_equal(fake.intr, 1);
	outb(SDATA, 0x04);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x3f);
	assert_int_equal(read_isr(MCMD), 0x04);
	assert_int_equal(read_isr(SCMD), 0x00);
	assert_int_equal(read_irr(SCMD), 0x04);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(intr_calls, 8);
}

static void test_level_elcr(void **state)
{
	(void)state;
	init_linux();
	outb(ELCR2, 0x08);
	irq(11, 1);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x3b);
	assert_int_equal(read_isr(SCMD), 0x08);
	assert_int_equal(read_irr(SCMD), 0x08); /* the line is still high */
	assert_int_equal(fake.intr, 0);
	outb(SCMD, 0x20);
	assert_int_equal(fake.intr, 0); /* master IR2 in service */
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(fake.intr_edges, 2);
	assert_int_equal(M.inta(pic), 0x3b);
	irq(11, 0);
	assert_int_equal(read_irr(SCMD), 0x00);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(intr_calls, 4);

	/* Level requests follow the line even before INTA. */
	irq(11, 1);
	assert_int_equal(fake.intr, 1);
	irq(11, 0);
	assert_int_equal(read_irr(SCMD), 0x00);
	/* Master IR2 latched the slave's INT edge: a spurious IRQ 15. */
	assert_int_equal(read_irr(MCMD), 0x04);
	assert_int_equal(fake.intr, 1);
	outb(ELCR2, 0x00);
	assert_int_equal(M.inta(pic), 0x3f);
	outb(MCMD, 0x20);
	irq(11, 1);
	assert_int_equal(M.inta(pic), 0x3b);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 0);
}

static void test_auto_eoi(void **state)
{
	(void)state;
	init_pics(0x03, 0x03);
	irq(0, 1);
	assert_int_equal(M.inta(pic), 0x30);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(fake.intr, 0);
	irq(0, 0);
	irq(0, 1);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x30);
	irq(0, 0);

	/* The slave ends its own, the master its IR2. */
	pulse(9);
	assert_int_equal(M.inta(pic), 0x39);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(read_isr(SCMD), 0x00);

	/* Rotate in automatic EOI mode (set). */
	outb(MCMD, 0x80);
	pulse(0);
	assert_int_equal(M.inta(pic), 0x30);
	pulse(7);
	pulse(0);
	assert_int_equal(M.inta(pic), 0x37);
	assert_int_equal(M.inta(pic), 0x30);

	/* Rotate in automatic EOI mode (clear): IRQ 0 lowest stays. */
	outb(MCMD, 0x00);
	pulse(7);
	pulse(0);
	assert_int_equal(M.inta(pic), 0x37);
	assert_int_equal(M.inta(pic), 0x30);
	pulse(7);
	pulse(0);
	assert_int_equal(M.inta(pic), 0x37);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x30);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(M.inta(pic), -1);
}

static void test_poll(void **state)
{
	(void)state;
	init_linux();
	pulse(3);
	assert_int_equal(fake.intr, 1);
	outb(MCMD, 0x0c);
	assert_int_equal(inb(MCMD), 0x83);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(inb(MCMD), 0x00); /* one read only: IRR again */
	assert_int_equal(read_isr(MCMD), 0x08);
	outb(MCMD, 0x20);

	/* Nothing requested: bit 7 clear, and the data port polls too. */
	outb(MDATA, 0x5a);
	outb(MCMD, 0x0c);
	assert_int_equal(inb(MDATA), 0x00);
	assert_int_equal(inb(MDATA), 0x5a);
	outb(MDATA, 0x00);

	/* Polling stops at the chip: the master reports IR2. */
	pulse(12);
	outb(MCMD, 0x0e);
	assert_int_equal(inb(MCMD), 0x82);
	outb(SCMD, 0x0c);
	assert_int_equal(inb(SCMD), 0x84);
	assert_int_equal(read_isr(MCMD), 0x04);
	assert_int_equal(read_isr(SCMD), 0x10);
	assert_int_equal(fake.intr, 0);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(intr_calls, 4);
}

static void test_rotation(void **state)
{
	(void)state;
	init_linux();

	/* Rotate on non-specific EOI: IRQ 1 becomes the lowest. */
	pulse(1);
	assert_int_equal(M.inta(pic), 0x31);
	outb(MCMD, 0xa0);
	assert_int_equal(read_isr(MCMD), 0x00);
	pulse(1);
	pulse(3);
	assert_int_equal(M.inta(pic), 0x33);
	assert_int_equal(fake.intr, 0);
	outb(MCMD, 0x20);
	assert_int_equal(M.inta(pic), 0x31);
	outb(MCMD, 0x20);

	/* Set priority: IRQ 4 lowest, so 5 the highest. */
	outb(MCMD, 0xc4);
	pulse(3);
	pulse(6);
	assert_int_equal(M.inta(pic), 0x36);
	assert_int_equal(read_isr(MCMD), 0x40);
	assert_int_equal(fake.intr, 0);
	outb(MCMD, 0x20);
	assert_int_equal(M.inta(pic), 0x33);

	/* Rotate on specific EOI of 3: 4 becomes the highest. */
	outb(MCMD, 0xe3);
	assert_int_equal(read_isr(MCMD), 0x00);
	pulse(0);
	pulse(4);
	assert_int_equal(M.inta(pic), 0x34);
	outb(MCMD, 0x20);
	assert_int_equal(M.inta(pic), 0x30);
	outb(MCMD, 0x20);

	/* Specific EOI ends the level named, not the highest. */
	outb(MCMD, 0xc7);
	pulse(5);
	assert_int_equal(M.inta(pic), 0x35);
	pulse(1);
	assert_int_equal(M.inta(pic), 0x31);
	outb(MCMD, 0x65);
	assert_int_equal(read_isr(MCMD), 0x02);
	/* No operation (R SL EOI = 010). */
	outb(MCMD, 0x41);
	assert_int_equal(read_isr(MCMD), 0x02);
	outb(MCMD, 0x61);
	assert_int_equal(read_isr(MCMD), 0x00);
	assert_int_equal(fake.intr, 0);
	/* A non-specific EOI with nothing in service does nothing. */
	outb(MCMD, 0xa0);
	pulse(0);
	pulse(7);
	assert_int_equal(M.inta(pic), 0x30);
}

static void test_ocw3_read_select(void **state)
{
	(void)state;
	init_linux();
	outb(MDATA, 0xff);
	assert_int_equal(inb(MCMD), 0x00); /* ICW1 selects IRR */
	pulse(3);
	pulse(4);
	assert_int_equal(inb(MCMD), 0x18);
	outb(MCMD, 0x0b);
	assert_int_equal(inb(MCMD), 0x00);
	outb(MDATA, 0xf7);
	assert_int_equal(M.inta(pic), 0x33);
	/* RR = 0 keeps the selection. */
	outb(MCMD, 0x08);
	assert_int_equal(inb(MCMD), 0x08);
	outb(MCMD, 0x09);
	assert_int_equal(inb(MCMD), 0x08);
	assert_int_equal(inb(MDATA), 0xf7);
	assert_int_equal(M.read(pic, HVD_PIO, MCMD, 2), 0xf708);
	outb(MCMD, 0x0a);
	assert_int_equal(inb(MCMD), 0x10);
	assert_int_equal(M.read(pic, HVD_PIO, MCMD, 2), 0xf710);
	/* Past the data port a wide read sees the open bus. */
	assert_int_equal(M.read(pic, HVD_PIO, SCMD, 4), 0xffff0000);

	/* A word write is OCW then OCW1, low byte first. */
	M.write(pic, HVD_PIO, MCMD, 2, 0xfb0b);
	assert_int_equal(inb(MDATA), 0xfb);
	assert_int_equal(inb(MCMD), 0x08);
	M.write(pic, HVD_PIO, MCMD, 4, 0x12340a00);
	assert_int_equal(inb(MDATA), 0x0a);
	assert_int_equal(inb(MCMD), 0x08); /* 0x00: rotate-AEOI clear */
}

static void test_elcr_reserved(void **state)
{
	(void)state;
	assert_int_equal(M.read(pic, HVD_PIO, ELCR1, 2), 0x0000);
	outb(ELCR1, 0xff);
	outb(ELCR2, 0xff);
	assert_int_equal(inb(ELCR1), 0xf8);
	assert_int_equal(inb(ELCR2), 0xde);
	assert_int_equal(M.read(pic, HVD_PIO, ELCR1, 2), 0xdef8);
	M.write(pic, HVD_PIO, ELCR1, 2, 0x0000);
	assert_int_equal(M.read(pic, HVD_PIO, ELCR1, 2), 0x0000);
	M.write(pic, HVD_PIO, ELCR1, 2, 0xffff);
	assert_int_equal(M.read(pic, HVD_PIO, ELCR1, 2), 0xdef8);

	/* IRQ 0, 8 and 13 stay edge-triggered; IRQ 3 is level now. */
	init_linux();
	irq(0, 1);
	assert_int_equal(M.inta(pic), 0x30);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 0);
	irq(13, 1);
	assert_int_equal(M.inta(pic), 0x3d);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 0);
	irq(8, 1);
	assert_int_equal(M.inta(pic), 0x38);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 0);
	irq(3, 1);
	assert_int_equal(M.inta(pic), 0x33);
	outb(MCMD, 0x20);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x33);
	assert_int_equal(fake.logs, 0);
}

static void test_sfnm(void **state)
{
	(void)state;
	init_linux();
	irq(12, 1);
	assert_int_equal(M.inta(pic), 0x3c);
	irq(8, 1);
	assert_int_equal(fake.intr, 0); /* master IR2 in service */
	assert_int_equal(read_irr(MCMD), 0x04);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);
	assert_int_equal(M.inta(pic), 0x38);
	outb(SCMD, 0x20);
	outb(MCMD, 0x20);

	/* Special fully nested mode: a higher slave IRQ nests in IR2. */
	init_pics(0x11, 0x01);
	irq(12, 0);
	irq(8, 0);
	pulse(12);
	assert_int_equal(M.inta(pic), 0x3c);
	pulse(8);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x38);
	assert_int_equal(read_isr(SCMD), 0x11);
	assert_int_equal(read_isr(MCMD), 0x04);
	/* A lower one does not. */
	pulse(14);
	assert_int_equal(fake.intr, 0);
}

static void test_special_mask(void **state)
{
	(void)state;
	init_linux();
	pulse(5);
	assert_int_equal(M.inta(pic), 0x35);
	pulse(6);
	assert_int_equal(fake.intr, 0);
	outb(MDATA, 0x20);
	assert_int_equal(fake.intr, 0);
	outb(MCMD, 0x68);
	assert_int_equal(fake.intr, 1);
	assert_int_equal(M.inta(pic), 0x36);
	assert_int_equal(read_isr(MCMD), 0x60);
	/* Reset special mask: IRQ 5 in service blocks IRQ 7 again. */
	outb(MCMD, 0x66);
	outb(MCMD, 0x48);
	pulse(7);
	assert_int_equal(fake.intr, 0);
	outb(MCMD, 0x68);
	assert_int_equal(fake.intr, 1);
	/* ICW1 clears special mask mode. */
	init_linux();
	pulse(5);
	assert_int_equal(M.inta(pic), 0x35);
	outb(MDATA, 0x20);
	pulse(7);
	assert_int_equal(fake.intr, 0);
}

static void test_reset(void **state)
{
	(void)state;
	init_linux();
	outb(ELCR2, 0x08);
	outb(MDATA, 0x02);
	irq(0, 1);
	assert_int_equal(fake.intr, 1);
	M.reset(pic);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(intr_calls, 2);
	assert_int_equal(inb(MDATA), 0x00);
	assert_int_equal(inb(SDATA), 0x00);
	assert_int_equal(inb(ELCR2), 0x00);
	assert_int_equal(inb(MCMD), 0x00);
	assert_int_equal(M.inta(pic), -1);
	irq(11, 1);
	assert_int_equal(fake.intr, 0);
	/* The held IRQ 0 line needs a new edge after initialization. */
	init_linux();
	assert_int_equal(fake.intr, 0);
	irq(0, 0);
	irq(0, 1);
	assert_int_equal(M.inta(pic), 0x30);
}

static void test_junk(void **state)
{
	unsigned int port, v;

	(void)state;
	/* OCWs before any ICW. */
	outb(MCMD, 0x20);
	outb(MCMD, 0xc7);
	outb(MCMD, 0x6b);
	outb(MDATA, 0x00);
	outb(MCMD, 0x0c);
	assert_int_equal(inb(MCMD), 0x00);
	pulse(1);
	assert_int_equal(fake.intr, 0);
	assert_int_equal(M.inta(pic), -1);
	assert_int_equal(fake.logs, 0);

	/* ICW4 missing: 8080 mode, logged, vectors as in 8086 mode. */
	outb(MCMD, 0x10);
	outb(MDATA, 0x35);
	outb(MDATA, 0x04);
	assert_int_equal(fake.logs, 1);
	outb(MDATA, 0x80); /* OCW1, not ICW4 */
	assert_int_equal(inb(MDATA), 0x80);
	outb(SCMD, 0x11);
	outb(SDATA, 0x38);
	outb(SDATA, 0x02);
	outb(SDATA, 0x00); /* uPM = 0 */
	assert_int_equal(fake.logs, 2);
	pulse(1);
	assert_int_equal(M.inta(pic), 0x31);
	outb(MCMD, 0x20);
	pulse(9);
	assert_int_equal(M.inta(pic), 0x39);
	assert_int_equal(read_isr(SCMD), 0x02); /* no AEOI */

	/* Single mode skips ICW3; the cascade stays wired. */
	outb(MCMD, 0x13);
	assert_int_equal(read_isr(MCMD), 0x00); /* ICW1 clears ISR */
	assert_int_equal(fake.logs, 3);
	outb(MDATA, 0x40);
	outb(MDATA, 0x01); /* ICW4 */
	outb(MDATA, 0x5a);
	assert_int_equal(inb(MDATA), 0x5a);
	outb(MDATA, 0x00);
	outb(SCMD, 0x20);
	pulse(10);
	assert_int_equal(M.inta(pic), 0x3a);

	/* A master ICW3 that is not the PC's. */
	outb(MCMD, 0x11);
	outb(MDATA, 0x30);
	outb(MDATA, 0x08);
	outb(MDATA, 0x01);
	assert_int_equal(fake.logs, 4);
	outb(SCMD, 0x20);
	pulse(10);
	assert_int_equal(M.inta(pic), 0x3a);

	/* ICW1 in the middle of a sequence restarts it. */
	outb(MCMD, 0x11);
	outb(MDATA, 0x50);
	outb(MCMD, 0x11);
	outb(MDATA, 0x30);
	outb(MDATA, 0x04);
	outb(MDATA, 0x01);
	outb(MDATA, 0x00);
	assert_int_equal(inb(MDATA), 0x00);
	pulse(4);
	assert_int_equal(M.inta(pic), 0x34);

	/* Every byte to every port, with lines toggling: no crash. */
	for (port = 0; port < 6; port++) {
		static const uint16_t ports[] = { MCMD,	 MDATA, SCMD,
						  SDATA, ELCR1, ELCR2 };

		for (v = 0; v < 256; v++) {
			int vec;

			outb(ports[port], v);
			irq(v & 15, v & 1);
			inb(ports[(port + v) % 6]);
			vec = M.inta(pic);
			assert_true(vec >= -1 && vec <= 0xff);
		}
	}
	M.irq_in(pic, 16, 1);
	M.irq_in(pic, 2, 1);
	assert_true(fake.logs <= 8);

	/* A fresh initialization recovers from all of it. */
	for (v = 0; v < 16; v++)
		irq(v, 0);
	M.write(pic, HVD_PIO, ELCR1, 2, 0);
	init_linux();
	assert_int_equal(fake.intr, 0);
	pulse(5);
	assert_int_equal(M.inta(pic), 0x35);
	assert_int_equal(M.inta(pic), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_sequence, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_masking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irq0_edge, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_slave_cascade, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spurious, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_elcr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_auto_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ocw3_read_select, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_elcr_reserved, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sfnm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_mask, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_junk, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
