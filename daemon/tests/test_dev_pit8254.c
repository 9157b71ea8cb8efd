// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the 8254 PIT model (daemon/dev/pit8254.c) against the fake
 * services: IRQ 0 edges and timer deadlines of each mode, counts read at
 * exact PIT clocks, latches, read-back, channel 2 through port 0x61 as
 * Linux's TSC calibration drives it, and guest junk. Times are PIT clocks
 * after the load at 1193182 Hz; tick_ns() is the first ns that reaches a
 * clock, and the larger deadlines are written out as computed by hand
 * (ceil(ticks * 1e9 / 1193182)).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <errno.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model pit8254_model;

#define T0 1000000000ull /* fake_reset()'s clock */

static void *pit;
static uint64_t load; /* when the test's count was written */

static void outb(uint16_t port, uint8_t v)
{
	pit8254_model.write(pit, HVD_PIO, port, 1, v);
}

static uint8_t inb(uint16_t port)
{
	return pit8254_model.read(pit, HVD_PIO, port, 1);
}

/* Control word @cw, then a two-byte count LSB first; counting starts now. */
static void program(uint16_t port, uint8_t cw, uint16_t count)
{
	outb(0x43, cw);
	outb(port, count & 0xff);
	outb(port, count >> 8);
	load = fake.now;
}

static uint16_t read16(uint16_t port)
{
	uint8_t lo = inb(port);

	return lo | inb(port) << 8;
}

/* The status byte of @ch through the read-back command. */
static uint8_t status(unsigned int ch)
{
	outb(0x43, 0xe0 | 2 << ch);
	return inb(0x40 + ch);
}

static uint64_t tick_ns(uint64_t t)
{
	return (t * 1000000000ull + 1193181) / 1193182;
}

/* Move the clock to @t PIT clocks after the load. */
static void to_tick(uint64_t t)
{
	fake_advance(load + tick_ns(t) - fake.now);
}

static uint64_t deadline(void)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_TIMERS; i++)
		if (fake.timers[i].used && fake.timers[i].armed)
			return fake.timers[i].deadline;
	return 0;
}

static int setup(void **state)
{
	fake_reset();
	pit = calloc(1, pit8254_model.priv_size);
	assert_non_null(pit);
	assert_int_equal(pit8254_model.create(pit, &fake_svc, NULL), 0);
	load = T0;
	return 0;
}

static int teardown(void **state)
{
	pit8254_model.destroy(pit);
	free(pit);
	return 0;
}

static void descriptor(void **state)
{
	assert_string_equal(pit8254_model.name, "pit8254");
	assert_int_equal(pit8254_model.nr_ranges, 2);
	assert_int_equal(pit8254_model.ranges[0].space, HVD_PIO);
	assert_int_equal(pit8254_model.ranges[0].base, 0x40);
	assert_int_equal(pit8254_model.ranges[0].len, 4);
	assert_int_equal(pit8254_model.ranges[1].base, 0x61);
	assert_int_equal(pit8254_model.ranges[1].len, 1);
	assert_int_equal(fake_armed_timers(), 0);
}

static void create_without_timer_fails(void **state)
{
	void *p = calloc(1, pit8254_model.priv_size);
	unsigned int i;

	for (i = 0; i < FAKE_MAX_TIMERS; i++)
		fake.timers[i].used = 1;
	assert_int_equal(pit8254_model.create(p, &fake_svc, NULL), -ENOMEM);
	free(p);
}

static void mode2_pulses_irq0_at_100hz(void **state)
{
	program(0x40, 0x34, 11932);
	assert_int_equal(read16(0x40), 11932);
	assert_int_equal(fake_armed_timers(), 1);
	assert_int_equal(deadline(), T0 + 10000151);

	/* The tenth edge is at 119320 clocks: 100.0015 ms. */
	fake_advance(100000000);
	assert_int_equal(fake.irq_edges[0], 9);
	assert_int_equal(fake.irq[0], 0);
	fake_advance(1508);
	assert_int_equal(fake.irq_edges[0], 9);
	fake_advance(1);
	assert_int_equal(fake.irq_edges[0], 10);
	assert_int_equal(fake.irq[0], 0);

	/* No drift: edge k is at ceil(k * 11932 / 1193182 s) for ever. */
	fake_advance(T0 + 990014935 - fake.now);
	assert_int_equal(fake.irq_edges[0], 99);
	assert_int_equal(deadline(), T0 + 1000015086);
	to_tick(11932 * 100 - 1);
	assert_int_equal(fake.irq_edges[0], 99);
	assert_int_equal(read16(0x40), 1);
	assert_int_equal(status(0) & 0x80, 0); /* OUT low while 1 */
	to_tick(11932 * 100);
	assert_int_equal(fake.irq_edges[0], 100);
	assert_int_equal(read16(0x40), 11932);
	assert_int_equal(status(0), 0xb4);
}

static void mode0_one_shot(void **state)
{
	program(0x40, 0x30, 1000);
	assert_int_equal(status(0), 0x30);
	assert_int_equal(deadline(), T0 + 838096);
	fake_advance(838095);
	assert_int_equal(fake.irq_edges[0], 0);
	assert_int_equal(read16(0x40), 1);
	assert_int_equal(status(0), 0x30);
	fake_advance(1);
	assert_int_equal(fake.irq_edges[0], 1);
	assert_int_equal(fake.irq[0], 0);
	assert_int_equal(read16(0x40), 0);
	assert_int_equal(status(0), 0xb0);
	assert_int_equal(fake_armed_timers(), 0);

	/* The CE wraps and keeps counting; OUT stays high, no new edge. */
	to_tick(1001);
	assert_int_equal(read16(0x40), 0xffff);
	fake_advance(1000000000);
	assert_int_equal(fake.irq_edges[0], 1);
	assert_int_equal(status(0), 0xb0);

	/* A new count restarts it: OUT low, one more edge N clocks on. */
	program(0x40, 0x30, 1000);
	assert_int_equal(status(0), 0x30);
	assert_int_equal(deadline(), load + 838096);
	fake_advance(1000000);
	assert_int_equal(fake.irq_edges[0], 2);
}

static void mode0_rewrite_restarts(void **state)
{
	program(0x40, 0x30, 1000);
	to_tick(600);
	assert_int_equal(read16(0x40), 400);

	/* The first byte stops counting and drives OUT low at once. */
	outb(0x40, 0xe8);
	assert_int_equal(fake_armed_timers(), 0);
	to_tick(2000);
	assert_int_equal(read16(0x40), 400);
	assert_int_equal(status(0), 0x30);
	assert_int_equal(fake.irq_edges[0], 0);

	outb(0x40, 0x03); /* 1000 again, from now */
	load = fake.now;
	assert_int_equal(deadline(), load + 838096);
	to_tick(999);
	assert_int_equal(fake.irq_edges[0], 0);
	to_tick(1000);
	assert_int_equal(fake.irq_edges[0], 1);
}

static void mode3_square_wave(void **state)
{
	program(0x40, 0x36, 1000);
	assert_int_equal(status(0), 0xb6);
	assert_int_equal(deadline(), T0 + 838096);
	to_tick(1);
	assert_int_equal(read16(0x40), 998);
	to_tick(499);
	assert_int_equal(read16(0x40), 2);
	assert_int_equal(status(0), 0xb6);
	to_tick(500);
	assert_int_equal(read16(0x40), 1000);
	assert_int_equal(status(0), 0x36);
	to_tick(501);
	assert_int_equal(read16(0x40), 998);
	assert_int_equal(fake.irq_edges[0], 0);
	to_tick(1000);
	assert_int_equal(fake.irq_edges[0], 1);
	assert_int_equal(status(0), 0xb6);
	to_tick(10000);
	assert_int_equal(fake.irq_edges[0], 10);

	/* Odd N on channel 1: high (N + 1) / 2 clocks, low (N - 1) / 2. */
	program(0x41, 0x76, 5);
	{
		static const uint16_t count[] = { 5, 4, 2, 5, 2, 5, 4 };
		static const uint8_t st[] = { 0xb6, 0xb6, 0xb6, 0x36,
					      0x36, 0xb6, 0xb6 };
		unsigned int t;

		for (t = 0; t < 7; t++) {
			to_tick(t);
			assert_int_equal(read16(0x41), count[t]);
			assert_int_equal(status(1), st[t]);
		}
	}
	assert_int_equal(fake.irq_edges[0], 10);
}

static void mode4_software_strobe(void **state)
{
	program(0x40, 0x38, 100);
	assert_int_equal(status(0), 0xb8);
	assert_int_equal(deadline(), T0 + tick_ns(101));
	to_tick(100);
	assert_int_equal(status(0), 0x38);
	assert_int_equal(read16(0x40), 0);
	assert_int_equal(fake.irq_edges[0], 0);
	to_tick(101);
	assert_int_equal(fake.irq_edges[0], 1);
	assert_int_equal(status(0), 0xb8);
	assert_int_equal(fake_armed_timers(), 0);
	fake_advance(100000000);
	assert_int_equal(fake.irq_edges[0], 1);
}

static void modes1_and_5_wait_for_gate_on_channel0(void **state)
{
	/* GATE0 is tied high: no rising edge, no trigger, OUT stays high. */
	program(0x40, 0x32, 100);
	assert_int_equal(status(0), 0xf2);
	assert_int_equal(fake_armed_timers(), 0);
	program(0x40, 0x3a, 100);
	fake_advance(10000000);
	assert_int_equal(status(0), 0xfa);
	assert_int_equal(fake.irq_edges[0], 0);
	assert_int_equal(fake_armed_timers(), 0);
}

static void counter_latch(void **state)
{
	program(0x40, 0x34, 0x1234);
	to_tick(100);
	outb(0x43, 0x00);
	to_tick(300);
	outb(0x43, 0x00); /* ignored: the first is not read yet */
	assert_int_equal(inb(0x40), 0xd0); /* 0x1234 - 100 */
	to_tick(400);
	assert_int_equal(inb(0x40), 0x11);
	assert_int_equal(read16(0x40), 0x1234 - 400);

	/* LSB-only: one byte of the latch, then live again. */
	outb(0x43, 0x54);
	outb(0x41, 200);
	load = fake.now;
	to_tick(10);
	outb(0x43, 0x40);
	to_tick(50);
	assert_int_equal(inb(0x41), 190);
	assert_int_equal(inb(0x41), 150);

	/* The control word drops a latch nobody read. */
	outb(0x43, 0x00);
	program(0x40, 0x34, 0x4321);
	assert_int_equal(read16(0x40), 0x4321);
}

static void lohi_read_order(void **state)
{
	program(0x41, 0x74, 0x1234);
	assert_int_equal(inb(0x41), 0x34);
	assert_int_equal(inb(0x41), 0x12);

	/* Unlatched bytes come from the CE as it is at each read. */
	to_tick(0x35);
	assert_int_equal(inb(0x41), 0xff); /* 0x11ff */
	to_tick(0x236);
	assert_int_equal(inb(0x41), 0x0f); /* 0x0ffe */
	assert_int_equal(inb(0x41), 0xfe); /* LSB again */

	/* MSB only: the written byte is the MSB, each read is the MSB. */
	outb(0x43, 0x64);
	outb(0x41, 0x12);
	load = fake.now;
	assert_int_equal(inb(0x41), 0x12);
	to_tick(1);
	assert_int_equal(inb(0x41), 0x11);
	assert_int_equal(inb(0x41), 0x11);
}

static void read_back(void **state)
{
	/* Null count until the count is written. */
	outb(0x43, 0x34);
	assert_int_equal(status(0), 0xf4);
	program(0x40, 0x34, 0x1234);
	assert_int_equal(status(0), 0xb4);

	/* Count and status of all three: status first, then the count. */
	program(0x42, 0xb0, 0x0100);
	program(0x41, 0x74, 0x50);
	to_tick(0x10);
	outb(0x43, 0xce);
	to_tick(0x20);
	assert_int_equal(inb(0x40), 0xb4);
	assert_int_equal(read16(0x40), 0x1234 - 0x10);
	assert_int_equal(inb(0x41), 0xb4);
	assert_int_equal(read16(0x41), 0x50 - 0x10);
	assert_int_equal(inb(0x42), 0x30); /* GATE2 low: not counting */
	assert_int_equal(read16(0x42), 0x0100);
	assert_int_equal(read16(0x40), 0x1234 - 0x20);

	/* Count only, then status only; a second status latch waits. */
	outb(0x43, 0xd2);
	outb(0x43, 0xe2);
	outb(0x43, 0xe2);
	to_tick(0x30);
	assert_int_equal(inb(0x40), 0xb4);
	assert_int_equal(read16(0x40), 0x1234 - 0x20);
	assert_int_equal(read16(0x40), 0x1234 - 0x30);

	/* Modes 6 and 7 read back as written but run as 2 and 3. */
	program(0x40, 0x3e, 1000);
	assert_int_equal(status(0), 0xbe);
	to_tick(500);
	assert_int_equal(status(0), 0x3e);
	assert_int_equal(deadline(), load + 838096);
	assert_int_equal(fake.logs, 0);
}

static void channel2_calibration(void **state)
{
	/* arch/x86/kernel/tsc.c pit_calibrate_tsc(): 50 ms in mode 0. */
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	program(0x42, 0xb0, 59659);
	fake_advance(49999916);
	assert_int_equal(inb(0x61) & 0x20, 0);
	fake_advance(1);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	assert_int_equal(fake.irq_edges[0], 0);
	assert_int_equal(fake_armed_timers(), 0);

	/* quick_pit_calibrate(): 0xffff down, the MSB read over and over. */
	program(0x42, 0xb0, 0xffff);
	assert_int_equal(inb(0x61) & 0x20, 0);
	to_tick(0x300);
	inb(0x42);
	assert_int_equal(inb(0x42), 0xfc);
	to_tick(0x8000);
	inb(0x42);
	assert_int_equal(inb(0x42), 0x7f);
	to_tick(0xffff);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	assert_int_equal(read16(0x42), 0);
}

static void channel2_gate(void **state)
{
	/* Mode 0 with GATE low: loaded, not counting. */
	outb(0x61, 0x00);
	program(0x42, 0xb0, 1000);
	fake_advance(1000000);
	assert_int_equal(read16(0x42), 1000);
	assert_int_equal(inb(0x61) & 0x20, 0);

	outb(0x61, 0x01);
	load = fake.now;
	to_tick(300);
	assert_int_equal(read16(0x42), 700);
	outb(0x61, 0x00);
	fake_advance(5000000);
	assert_int_equal(read16(0x42), 700);
	outb(0x61, 0x01);
	load = fake.now;
	to_tick(699);
	assert_int_equal(inb(0x61) & 0x20, 0);
	to_tick(700);
	assert_int_equal(inb(0x61) & 0x20, 0x20);

	/* Mode 2: GATE low stops it with OUT high; rising GATE reloads. */
	program(0x42, 0xb4, 100);
	to_tick(99);
	assert_int_equal(inb(0x61) & 0x20, 0);
	outb(0x61, 0x00);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	fake_advance(1000000);
	assert_int_equal(read16(0x42), 1);
	outb(0x61, 0x01);
	load = fake.now;
	assert_int_equal(read16(0x42), 100);
	to_tick(30);
	assert_int_equal(read16(0x42), 70);

	/* Mode 1: each rising GATE starts the one-shot, OUT low N clocks. */
	program(0x42, 0xb2, 100);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	fake_advance(1000000);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	assert_int_equal(status(2) & 0x40, 0x40); /* null count */
	outb(0x61, 0x00);
	outb(0x61, 0x01);
	load = fake.now;
	assert_int_equal(status(2), 0x32);
	to_tick(99);
	assert_int_equal(read16(0x42), 1);
	to_tick(100);
	assert_int_equal(inb(0x61) & 0x20, 0x20);
	assert_int_equal(fake.irq_edges[0], 0);
}

static void port61_bits(void **state)
{
	/* Bit 4 flips every 18 clocks of the PIT's time base. */
	assert_int_equal(inb(0x61), 0x10);
	fake_advance(1676);
	assert_int_equal(inb(0x61), 0x10);
	fake_advance(1);
	assert_int_equal(inb(0x61), 0x00);
	fake_advance(16762 - 1677 - 1);
	assert_int_equal(inb(0x61), 0x00);
	fake_advance(1);
	assert_int_equal(inb(0x61), 0x10);

	/* Bits 0-3 stored, 4-5 read-only, 6-7 read 0. */
	outb(0x61, 0xfe);
	assert_int_equal(inb(0x61), 0x1e);
	outb(0x61, 0x0a);
	assert_int_equal(inb(0x61), 0x1a); /* OUT2 low: reset mode 0 */
}

static void count0_is_65536(void **state)
{
	program(0x40, 0x34, 0);
	assert_int_equal(read16(0x40), 0);
	assert_int_equal(deadline(), T0 + 54925402);
	to_tick(1);
	assert_int_equal(read16(0x40), 0xffff);
	to_tick(65536);
	assert_int_equal(fake.irq_edges[0], 1);
	assert_int_equal(read16(0x40), 0);

	/* BCD: 0 is 10000, counted in decimal. */
	program(0x41, 0x75, 0);
	assert_int_equal(read16(0x41), 0x0000);
	to_tick(1);
	assert_int_equal(read16(0x41), 0x9999);
	to_tick(1235);
	assert_int_equal(read16(0x41), 0x8765);
	to_tick(10001);
	assert_int_equal(read16(0x41), 0x9999);

	program(0x41, 0x71, 0x0100);
	to_tick(1);
	assert_int_equal(read16(0x41), 0x0099);
	to_tick(101);
	assert_int_equal(read16(0x41), 0x9999);
	assert_int_equal(status(1), 0xb1);
}

static void late_worker_skips_periods(void **state)
{
	program(0x40, 0x34, 11932);
	/* The timer runs 65 ms late: six edges were due, one pulse. */
	fake.now = T0 + 65000000;
	fake_advance(0);
	assert_int_equal(fake.irq_edges[0], 1);
	assert_int_equal(deadline(), T0 + 70001056);
	fake_advance(T0 + 70001056 - fake.now);
	assert_int_equal(fake.irq_edges[0], 2);
	assert_int_equal(deadline(), T0 + tick_ns(8 * 11932));
}

static void reprogram_rearms(void **state)
{
	/* Mode 2: the new count loads at the end of the current period. */
	program(0x40, 0x34, 11932);
	to_tick(5000);
	outb(0x40, 5966 & 0xff);
	outb(0x40, 5966 >> 8);
	assert_int_equal(status(0), 0xf4); /* null count: not loaded */
	assert_int_equal(deadline(), T0 + 10000151);
	assert_int_equal(read16(0x40), 11932 - 5000);
	to_tick(11932);
	assert_int_equal(fake.irq_edges[0], 1);
	assert_int_equal(status(0), 0xb4);
	assert_int_equal(read16(0x40), 5966);
	assert_int_equal(deadline(), T0 + tick_ns(11932 + 5966));
	to_tick(11932 + 2 * 5966);
	assert_int_equal(fake.irq_edges[0], 3);

	/* Mode 3: it loads at the end of the half-cycle in progress. */
	program(0x40, 0x36, 1000);
	to_tick(100);
	outb(0x40, 400 & 0xff);
	outb(0x40, 400 >> 8);
	assert_int_equal(deadline(), load + tick_ns(700));
	to_tick(501);
	assert_int_equal(read16(0x40), 398);
	assert_int_equal(status(0), 0x36);
	to_tick(700);
	assert_int_equal(fake.irq_edges[0], 4);
	assert_int_equal(status(0), 0xb6);
	assert_int_equal(deadline(), load + tick_ns(1100));

	/* A control word stops channel 0 and disarms its timer. */
	outb(0x43, 0x34);
	assert_int_equal(fake_armed_timers(), 0);
	fake_advance(100000000);
	assert_int_equal(fake.irq_edges[0], 4);
}

static void junk(void **state)
{
	unsigned int i;

	/* The control word register is write-only: the bus floats. */
	assert_int_equal(inb(0x43), 0xff);

	/* Wider accesses are byte cycles to consecutive ports. */
	program(0x41, 0x74, 0x1234);
	program(0x42, 0xb0, 0x5678);
	assert_int_equal(pit8254_model.read(pit, HVD_PIO, 0x42, 2), 0xff78);
	assert_int_equal(pit8254_model.read(pit, HVD_PIO, 0x40, 4), 0xff563400);
	inb(0x40); /* the MSBs that end the lohi pairs */
	inb(0x41);
	pit8254_model.write(pit, HVD_PIO, 0x40, 2, 0x2211);
	outb(0x40, 0x00);
	outb(0x41, 0x00);
	assert_int_equal(read16(0x40), 0x0011);
	/* Channel 1 runs mode 2: 0x22 waits for the end of the period. */
	assert_int_equal(read16(0x41), 0x1234);
	assert_int_equal(status(1), 0xf4);

	/* Reads in the middle of a lohi write see the running count. */
	program(0x40, 0x34, 0x1234);
	to_tick(0x10);
	outb(0x40, 0x00);
	assert_int_equal(read16(0x40), 0x1224);
	outb(0x40, 0x10);
	to_tick(0x1234);
	assert_int_equal(read16(0x40), 0x1000);
	assert_int_equal(fake.irq_edges[0], 1);

	/* Count 1 is illegal in mode 2: OUT stays low, no interrupt. */
	assert_int_equal(fake.logs, 0);
	program(0x40, 0x34, 1);
	assert_int_equal(fake.logs, 1);
	assert_int_equal(fake_armed_timers(), 0);
	assert_int_equal(status(0) & 0x80, 0);

	/* Reserved bit 0 of read-back: logged, the command still works. */
	outb(0x43, 0xe3);
	assert_int_equal(fake.logs, 2);
	assert_int_equal(inb(0x40), 0x34);

	/* Not BCD in BCD mode: nibbles taken as binary, mod 10000. */
	program(0x41, 0x71, 0x00a0);
	assert_int_equal(fake.logs, 3);
	assert_int_equal(read16(0x41), 0x0100);

	/* Log lines are rate-limited per device. */
	for (i = 0; i < 20; i++)
		outb(0x43, 0xc1);
	assert_int_equal(fake.logs, 8);
	assert_int_equal(read16(0x40), 1);
}

static void reset(void **state)
{
	program(0x40, 0x34, 11932);
	outb(0x61, 0x03);
	program(0x42, 0xb6, 100);
	pit8254_model.reset(pit);
	assert_int_equal(fake_armed_timers(), 0);
	assert_int_equal(status(0), 0x70);
	assert_int_equal(status(2), 0x70);
	assert_int_equal(read16(0x40), 0);
	assert_int_equal(inb(0x61) & 0xef, 0);
	fake_advance(100000000);
	assert_int_equal(fake.irq_edges[0], 0);

	/* And it works as before afterwards. */
	program(0x40, 0x34, 11932);
	assert_int_equal(deadline(), load + 10000151);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(descriptor),
		cmocka_unit_test(create_without_timer_fails),
		T(mode2_pulses_irq0_at_100hz),
		T(mode0_one_shot),
		T(mode0_rewrite_restarts),
		T(mode3_square_wave),
		T(mode4_software_strobe),
		T(modes1_and_5_wait_for_gate_on_channel0),
		T(counter_latch),
		T(lohi_read_order),
		T(read_back),
		T(channel2_calibration),
		T(channel2_gate),
		T(port61_bits),
		T(count0_is_65536),
		T(late_worker_skips_periods),
		T(reprogram_rearms),
		T(junk),
		T(reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
