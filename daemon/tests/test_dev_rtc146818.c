// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the MC146818 RTC model (daemon/dev/rtc146818.c) against the
 * fake services: the time registers in BCD, binary and 12-hour modes,
 * setting the clock under SET, UIP, the periodic, update-ended and alarm
 * interrupts on IRQ 8, the NMI bit of the index port, the NVRAM and the
 * memory-size bytes, and the guest's junk. Expected values come from the
 * MC146818 datasheet and the calendar, not from running the model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model rtc146818_model;

#define MS 1000000ull
#define SEC 1000000000ull
#define GIB (1ull << 30)
#define MIB (1ull << 20)
/* 2026-12-05 13:45:30 UTC, a Saturday */
#define WALL_1345 (1796428800ull + 13 * 3600 + 45 * 60 + 30)

static _Alignas(16) uint8_t priv[4096];
static struct hvd_config cfg;

static void *rtc_new(uint64_t ram, uint64_t below_4g)
{
	assert_true(rtc146818_model.priv_size <= sizeof(priv));
	memset(priv, 0, sizeof(priv));
	cfg = (struct hvd_config){ .nr_vcpus = 1,
				   .ram_size = ram,
				   .ram_below_4g = below_4g };
	assert_int_equal(rtc146818_model.create(priv, &fake_svc, &cfg), 0);
	return priv;
}

static int setup(void **state)
{
	fake_reset();
	fake.wall = WALL_1345 * SEC;
	*state = rtc_new(128 * MIB, 128 * MIB);
	return 0;
}

static int teardown(void **state)
{
	rtc146818_model.destroy(*state);
	return 0;
}

static uint8_t rd(void *rtc, uint8_t index)
{
	rtc146818_model.write(rtc, HVD_PIO, 0x70, 1, index);
	return rtc146818_model.read(rtc, HVD_PIO, 0x71, 1);
}

static void wr(void *rtc, uint8_t index, uint8_t val)
{
	rtc146818_model.write(rtc, HVD_PIO, 0x70, 1, index);
	rtc146818_model.write(rtc, HVD_PIO, 0x71, 1, val);
}

/*
 * Advance both clocks by @ns in step, stopping at each timer deadline so
 * a timer sees the wall clock at the same instant as the monotonic one.
 */
static void tick(uint64_t ns)
{
	uint64_t end = fake.now + ns;

	for (;;) {
		uint64_t next = end;
		unsigned int i;

		for (i = 0; i < FAKE_MAX_TIMERS; i++) {
			struct hvd_timer *t = &fake.timers[i];

			if (t->used && t->armed && t->deadline < next)
				next = t->deadline < fake.now ? fake.now :
								t->deadline;
		}
		fake.wall += next - fake.now;
		fake_advance(next - fake.now);
		if (next == end)
			return;
	}
}

/* The earliest armed deadline, or 0. */
static uint64_t next_deadline(void)
{
	uint64_t d = 0;
	unsigned int i;

	for (i = 0; i < FAKE_MAX_TIMERS; i++)
		if (fake.timers[i].used && fake.timers[i].armed &&
		    (!d || fake.timers[i].deadline < d))
			d = fake.timers[i].deadline;
	return d;
}

/* Counts the calls of one timer's callback, then makes the call. */
static void (*counted_fn)(void *opaque);
static unsigned int counted_fires;

static void count_fire(void *opaque)
{
	counted_fires++;
	counted_fn(opaque);
}

static void count_armed_timer(void)
{
	unsigned int i;

	counted_fires = 0;
	for (i = 0; i < FAKE_MAX_TIMERS; i++) {
		if (fake.timers[i].used && fake.timers[i].armed) {
			counted_fn = fake.timers[i].fn;
			fake.timers[i].fn = count_fire;
			return;
		}
	}
	fail();
}

static void expect_time(void *rtc, const uint8_t t[10], uint8_t century)
{
	static const uint8_t regs[] = { 0, 2, 4, 6, 7, 8, 9 };
	unsigned int i;

	for (i = 0; i < sizeof(regs); i++)
		assert_int_equal(rd(rtc, regs[i]), t[regs[i]]);
	assert_int_equal(rd(rtc, 0x32), century);
}

static void test_power_on(void **state)
{
	void *rtc = *state;

	assert_int_equal(rd(rtc, 0x0a), 0x26);
	assert_int_equal(rd(rtc, 0x0b), 0x02);
	assert_int_equal(rd(rtc, 0x0c), 0x00);
	assert_int_equal(rd(rtc, 0x0d), 0x80);
	assert_int_equal(rd(rtc, 0x0f), 0x00);
	assert_int_equal(fake_armed_timers(), 0);
	assert_int_equal(fake.irq[8], 0);
	assert_int_equal(rtc146818_model.nr_ranges, 1);
	assert_int_equal(rtc146818_model.ranges[0].base, 0x70);
	assert_int_equal(rtc146818_model.ranges[0].len, 2);
	assert_string_equal(rtc146818_model.name, "rtc146818");
}

static void test_time_bcd_24h(void **state)
{
	static const uint8_t t[10] = { 0x30, 0,	   0x45, 0,    0x13,
				       0,    0x07, 0x05, 0x12, 0x26 };

	expect_time(*state, t, 0x20);
}

static void test_time_binary(void **state)
{
	static const uint8_t t[10] = { 30, 0, 45, 0, 13, 0, 7, 5, 12, 26 };
	void *rtc = *state;

	wr(rtc, 0x0b, 0x06);
	expect_time(rtc, t, 20);
}

static void test_time_12h(void **state)
{
	void *rtc = *state;

	wr(rtc, 0x0b, 0x00); /* BCD, 12-hour */
	assert_int_equal(rd(rtc, 0x04), 0x81); /* 1 PM */
	assert_int_equal(rd(rtc, 0x02), 0x45);
	wr(rtc, 0x0b, 0x04); /* binary, 12-hour */
	assert_int_equal(rd(rtc, 0x04), 0x81);
	wr(rtc, 0x0b, 0x00);
	fake.wall = (1796428800ull + 5 * 60) * SEC; /* 00:05 */
	assert_int_equal(rd(rtc, 0x04), 0x12); /* 12 AM */
	fake.wall = (1796428800ull + 12 * 3600 + 5 * 60) * SEC;
	assert_int_equal(rd(rtc, 0x04), 0x92); /* 12 PM */
	fake.wall = (1796428800ull + 23 * 3600) * SEC;
	assert_int_equal(rd(rtc, 0x04), 0x91); /* 11 PM */
}

static void test_set_time(void **state)
{
	/* 2100-01-01 00:00:01 is a Friday */
	static const uint8_t t[10] = { 0x01, 0,	   0x00, 0,    0x00,
				       0,    0x06, 0x01, 0x01, 0x00 };
	static const uint8_t held[10] = { 0x59, 0,    0x59, 0,	  0x23,
					  0,	0x05, 0x31, 0x12, 0x99 };
	void *rtc = *state;
	uint64_t host = fake.wall;

	wr(rtc, 0x0b, 0x82);
	wr(rtc, 0x00, 0x59);
	wr(rtc, 0x02, 0x59);
	wr(rtc, 0x04, 0x23);
	wr(rtc, 0x06, 0x05); /* Thursday */
	wr(rtc, 0x07, 0x31);
	wr(rtc, 0x08, 0x12);
	wr(rtc, 0x09, 0x99);
	wr(rtc, 0x32, 0x20);
	tick(3 * SEC); /* SET holds what was written */
	expect_time(rtc, held, 0x20);
	assert_int_equal(rd(rtc, 0x0a), 0x26); /* SET clears UIP */
	wr(rtc, 0x0b, 0x02);
	assert_int_equal(fake.wall, host + 3 * SEC); /* host clock kept */
	assert_int_equal(rd(rtc, 0x00), 0x59);
	tick(2 * SEC);
	expect_time(rtc, t, 0x21);

	/* A write while running counts on from the value written. */
	wr(rtc, 0x02, 0x30);
	tick(SEC);
	assert_int_equal(rd(rtc, 0x00), 0x02);
	assert_int_equal(rd(rtc, 0x02), 0x30);
	assert_int_equal(rd(rtc, 0x04), 0x00);
	assert_int_equal(rd(rtc, 0x07), 0x01);
}

static void test_weekday_counter(void **state)
{
	void *rtc = *state;

	/* The day of week is its own counter: a wrong one stays wrong. */
	wr(rtc, 0x0b, 0x82);
	wr(rtc, 0x06, 0x02); /* Monday, on a Saturday */
	wr(rtc, 0x04, 0x23);
	wr(rtc, 0x02, 0x59);
	wr(rtc, 0x00, 0x59);
	wr(rtc, 0x0b, 0x02);
	assert_int_equal(rd(rtc, 0x06), 0x02);
	assert_int_equal(rd(rtc, 0x07), 0x05);
	tick(SEC);
	assert_int_equal(rd(rtc, 0x06), 0x03); /* Tuesday */
	assert_int_equal(rd(rtc, 0x07), 0x06);

	/* A value outside 1-7 leaves the counter as it was. */
	wr(rtc, 0x0b, 0x82);
	wr(rtc, 0x06, 0x00);
	wr(rtc, 0x0b, 0x02);
	assert_int_equal(rd(rtc, 0x06), 0x03);

	/* Written while running, it counts on from the value written. */
	wr(rtc, 0x06, 0x01);
	tick(SEC * 86400);
	assert_int_equal(rd(rtc, 0x06), 0x02);
	assert_int_equal(rd(rtc, 0x07), 0x07);
}

static void test_set_keeps_phase(void **state)
{
	void *rtc = *state;

	fake.wall += 700 * MS; /* 13:45:30.7 */
	wr(rtc, 0x0b, 0x82);
	wr(rtc, 0x00, 0x10);
	wr(rtc, 0x0b, 0x02);
	tick(299 * MS);
	assert_int_equal(rd(rtc, 0x00), 0x10);
	tick(1 * MS);
	assert_int_equal(rd(rtc, 0x00), 0x11);
	assert_int_equal(rd(rtc, 0x02), 0x45);
}

static void test_uip(void **state)
{
	void *rtc = *state;
	uint64_t base = fake.wall;

	assert_int_equal(rd(rtc, 0x0a), 0x26);
	fake.wall = base + 500 * MS;
	assert_int_equal(rd(rtc, 0x0a), 0x26);
	fake.wall = base + SEC - 244001;
	assert_int_equal(rd(rtc, 0x0a), 0x26);
	fake.wall = base + SEC - 244000;
	assert_int_equal(rd(rtc, 0x0a), 0xa6);
	fake.wall = base + SEC - 1;
	assert_int_equal(rd(rtc, 0x0a), 0xa6);
	assert_int_equal(rd(rtc, 0x00), 0x30);
	fake.wall = base + SEC;
	assert_int_equal(rd(rtc, 0x0a), 0x26);
	assert_int_equal(rd(rtc, 0x00), 0x31);

	/* A "wait while UIP" loop ends within 244 us. */
	fake.wall = base + 2 * SEC - 100000;
	assert_int_equal(rd(rtc, 0x0a) & 0x80, 0x80);
	fake.wall += 100000;
	assert_int_equal(rd(rtc, 0x0a) & 0x80, 0);

	/* No UIP while the divider is held or SET inhibits updates. */
	fake.wall = base + 3 * SEC - 1000;
	wr(rtc, 0x0b, 0x82);
	assert_int_equal(rd(rtc, 0x0a), 0x26);
	wr(rtc, 0x0b, 0x02);
	assert_int_equal(rd(rtc, 0x0a), 0xa6);
	wr(rtc, 0x0a, 0x70);
	assert_int_equal(rd(rtc, 0x0a), 0x70);
}

static void test_periodic(void **state)
{
	void *rtc = *state;
	uint64_t start = fake.now;
	unsigned int n;

	wr(rtc, 0x0b, 0x42); /* PIE, rate 6 = 1024 Hz from register A */
	assert_int_equal(fake_armed_timers(), 1);
	assert_int_equal(next_deadline(), start + 976563);
	fake_advance(976562);
	assert_int_equal(fake.irq[8], 0);
	fake_advance(1);
	assert_int_equal(fake.irq[8], 1);
	assert_int_equal(fake.irq_edges[8], 1);
	assert_int_equal(rd(rtc, 0x0c), 0xc0);
	assert_int_equal(fake.irq[8], 0);
	assert_int_equal(rd(rtc, 0x0c), 0x00);
	n = 1;

	/* 10 ms at 1024 Hz: 10 interrupts, each acknowledged by reading C */
	while (fake.now < start + 10 * MS) {
		uint64_t left = start + 10 * MS - fake.now;

		fake_advance(left < 100000 ? left : 100000);
		if (fake.irq[8]) {
			assert_int_equal(rd(rtc, 0x0c), 0xc0);
			n++;
		}
	}
	assert_int_equal(n, 10);
	assert_int_equal(fake.irq_edges[8], 10);

	/* Deadlines count from the start, not from each firing. */
	assert_int_equal(next_deadline(), start + 10742188);

	/* Unacknowledged, the line stays high: no further edges. */
	fake_advance(100 * MS);
	assert_int_equal(fake.irq[8], 1);
	assert_int_equal(fake.irq_edges[8], 11);

	/* A late timer skips the missed periods instead of bursting. */
	assert_int_equal(rd(rtc, 0x0c), 0xc0);
	count_armed_timer();
	fake.now = start + 500 * MS + 300000;
	fake_advance(0);
	assert_int_equal(counted_fires, 1);
	assert_int_equal(fake.irq_edges[8], 12);
	/* period 512 fell at 500 ms; the next is 513 */
	assert_int_equal(next_deadline(), start + 500976563);

	/* Disabling PIE disarms the timer and lowers IRQF. */
	wr(rtc, 0x0b, 0x02);
	assert_int_equal(fake_armed_timers(), 0);
	assert_int_equal(fake.irq[8], 0);
	assert_int_equal(rd(rtc, 0x0c), 0x40);
}

static void test_periodic_rates(void **state)
{
	static const struct {
		uint8_t rs;
		uint64_t ns;
	} rates[] = {
		{ 1, 3906250 }, /* 256 Hz */
		{ 2, 7812500 }, /* 128 Hz */
		{ 3, 122071 }, /* 8192 Hz, 122070.3 ns */
		{ 15, 500 * MS }, /* 2 Hz */
	};
	void *rtc = *state;
	unsigned int i;

	wr(rtc, 0x0b, 0x42);
	for (i = 0; i < 4; i++) {
		wr(rtc, 0x0a, 0x20 | rates[i].rs);
		assert_int_equal(next_deadline(), fake.now + rates[i].ns);
	}
	wr(rtc, 0x0a, 0x20); /* rate 0: no interrupt, no timer */
	assert_int_equal(fake_armed_timers(), 0);
	fake_advance(SEC);
	assert_int_equal(fake.irq_edges[8], 0);
	assert_int_equal(rd(rtc, 0x0c), 0x00);
}

static void test_update_ended(void **state)
{
	void *rtc = *state;
	unsigned int n = 0, i;

	fake.wall += 250 * MS;
	wr(rtc, 0x0b, 0x12); /* UIE */
	assert_int_equal(fake_armed_timers(), 1);
	assert_int_equal(next_deadline(), fake.now + 750 * MS);
	tick(749 * MS);
	assert_int_equal(fake.irq[8], 0);
	for (i = 0; i < 3000; i++) {
		tick(MS);
		if (fake.irq[8]) {
			assert_int_equal(rd(rtc, 0x0c), 0x90);
			assert_int_equal(fake.irq[8], 0);
			n++;
		}
	}
	assert_int_equal(n, 3);
	assert_int_equal(fake.irq_edges[8], 3);
	assert_int_equal(rd(rtc, 0x00), 0x33);

	/* A timer ahead of the wall clock waits for the second to end. */
	assert_int_equal(rd(rtc, 0x0c), 0x00);
	count_armed_timer();
	fake.wall += MS - 1000; /* 1 us short of 13:45:34 */
	fake_advance(MS);
	assert_int_equal(counted_fires, 1);
	assert_int_equal(fake.irq[8], 0);
	assert_int_equal(next_deadline(), fake.now + 1000);
	fake.wall += 1000;
	fake_advance(1000);
	assert_int_equal(counted_fires, 2);
	assert_int_equal(fake.irq[8], 1);
	assert_int_equal(fake.irq_edges[8], 4);
	assert_int_equal(rd(rtc, 0x0c), 0x90);
	assert_int_equal(rd(rtc, 0x00), 0x34);

	/* SET stops updates and clears UIE (datasheet, Register B). */
	wr(rtc, 0x0b, 0x92);
	assert_int_equal(rd(rtc, 0x0b), 0x82);
	assert_int_equal(fake_armed_timers(), 0);
	wr(rtc, 0x0b, 0x12);
	assert_int_equal(fake_armed_timers(), 1);
	wr(rtc, 0x0b, 0x02);
	assert_int_equal(fake_armed_timers(), 0);
}

static void test_alarm(void **state)
{
	void *rtc = *state;

	wr(rtc, 0x01, 0x35);
	wr(rtc, 0x03, 0x45);
	wr(rtc, 0x05, 0x13);
	wr(rtc, 0x0b, 0x22); /* AIE */
	tick(4 * SEC);
	assert_int_equal(fake.irq[8], 0);
	tick(SEC);
	assert_int_equal(fake.irq[8], 1);
	/* UF is set at every update, enabled or not */
	assert_int_equal(rd(rtc, 0x0c), 0xb0);
	tick(60 * SEC);
	assert_int_equal(fake.irq_edges[8], 1);
	assert_int_equal(rd(rtc, 0x0c), 0x10);

	/* Don't care in hours and minutes: every minute at second 0. */
	wr(rtc, 0x01, 0x00);
	wr(rtc, 0x03, 0xff);
	wr(rtc, 0x05, 0xc0);
	tick(24 * SEC); /* 13:46:59 */
	assert_int_equal(fake.irq[8], 0);
	tick(SEC);
	assert_int_equal(fake.irq[8], 1);
	assert_int_equal(rd(rtc, 0x0c), 0xb0);
	tick(60 * SEC);
	assert_int_equal(fake.irq_edges[8], 3);
	assert_int_equal(rd(rtc, 0x02), 0x48);

	/* All don't care: every second. */
	wr(rtc, 0x01, 0xc0);
	assert_int_equal(rd(rtc, 0x0c), 0xb0);
	tick(SEC);
	assert_int_equal(rd(rtc, 0x0c), 0xb0);
	tick(SEC);
	assert_int_equal(rd(rtc, 0x0c), 0xb0);
}

static void test_nmi_bit(void **state)
{
	void *rtc = *state;

	wr(rtc, 0x8e, 0x5a);
	assert_int_equal(rd(rtc, 0x0e), 0x5a);
	assert_int_equal(rd(rtc, 0x8e), 0x5a);
	assert_int_equal(rd(rtc, 0x8d), 0x80);
	assert_int_equal(rd(rtc, 0x80), 0x30);
	/* the index port reads as an undriven bus */
	assert_int_equal(rtc146818_model.read(rtc, HVD_PIO, 0x70, 1), 0xff);
}

static void test_nvram(void **state)
{
	void *rtc = *state;
	unsigned int i;

	for (i = 0x0e; i < 0x80; i++)
		if (i != 0x32)
			wr(rtc, i, i ^ 0xa5);
	for (i = 0x0e; i < 0x80; i++)
		if (i != 0x32)
			assert_int_equal(rd(rtc, i), i ^ 0xa5);
	assert_int_equal(rd(rtc, 0x32), 0x20);

	/* outw to 0x70: index in the low byte, data in the high byte */
	rtc146818_model.write(rtc, HVD_PIO, 0x70, 2, 0x3c40);
	assert_int_equal(rtc146818_model.read(rtc, HVD_PIO, 0x70, 2), 0x3cff);
	assert_int_equal(rtc146818_model.read(rtc, HVD_PIO, 0x71, 2), 0xff3c);
	assert_int_equal(rtc146818_model.read(rtc, HVD_PIO, 0x70, 4),
			 0xffff3cff);
	rtc146818_model.write(rtc, HVD_PIO, 0x70, 4, 0xeeee7741);
	assert_int_equal(rd(rtc, 0x41), 0x77);

	/* RAM and time survive a machine reset; the enables do not. */
	wr(rtc, 0x0b, 0x72);
	rtc146818_model.reset(rtc);
	assert_int_equal(rd(rtc, 0x0b), 0x02);
	assert_int_equal(rd(rtc, 0x40), 0x3c);
	assert_int_equal(rd(rtc, 0x04), 0x13);
	assert_int_equal(fake_armed_timers(), 0);
}

static void test_memsize_128m(void **state)
{
	void *rtc = *state;

	assert_int_equal(rd(rtc, 0x15), 0x80); /* 640 KiB */
	assert_int_equal(rd(rtc, 0x16), 0x02);
	assert_int_equal(rd(rtc, 0x17), 0xff); /* 127 MiB, capped */
	assert_int_equal(rd(rtc, 0x18), 0xff);
	assert_int_equal(rd(rtc, 0x30), 0xff);
	assert_int_equal(rd(rtc, 0x31), 0xff);
	assert_int_equal(rd(rtc, 0x34), 0x00); /* 112 MiB = 0x700 x 64K */
	assert_int_equal(rd(rtc, 0x35), 0x07);
	assert_int_equal(rd(rtc, 0x5b), 0x00);
	assert_int_equal(rd(rtc, 0x5c), 0x00);
	assert_int_equal(rd(rtc, 0x5d), 0x00);
}

static void test_memsize_5g(void **state)
{
	void *rtc = *state;

	rtc146818_model.destroy(rtc);
	rtc = rtc_new(5 * GIB, 3 * GIB);
	*state = rtc;
	assert_int_equal(rd(rtc, 0x15), 0x80);
	assert_int_equal(rd(rtc, 0x16), 0x02);
	assert_int_equal(rd(rtc, 0x17), 0xff);
	assert_int_equal(rd(rtc, 0x18), 0xff);
	assert_int_equal(rd(rtc, 0x34), 0x00); /* 3056 MiB = 0xbf00 x 64K */
	assert_int_equal(rd(rtc, 0x35), 0xbf);
	assert_int_equal(rd(rtc, 0x5b), 0x00); /* 2 GiB = 0x8000 x 64K */
	assert_int_equal(rd(rtc, 0x5c), 0x80);
	assert_int_equal(rd(rtc, 0x5d), 0x00);
	assert_int_equal(rd(rtc, 0x0f), 0x00);

	/* 512 KiB: base memory only */
	rtc146818_model.destroy(rtc);
	rtc = rtc_new(512 * 1024, 512 * 1024);
	*state = rtc;
	assert_int_equal(rd(rtc, 0x15), 0x00); /* 512 KiB */
	assert_int_equal(rd(rtc, 0x16), 0x02);
	assert_int_equal(rd(rtc, 0x17), 0x00);
	assert_int_equal(rd(rtc, 0x34), 0x00);
	assert_int_equal(rd(rtc, 0x35), 0x00);
}

static void test_c_d_read_only(void **state)
{
	void *rtc = *state;

	wr(rtc, 0x0c, 0xff);
	assert_int_equal(rd(rtc, 0x0c), 0x00);
	assert_int_equal(fake.irq[8], 0);
	wr(rtc, 0x0d, 0x00);
	assert_int_equal(rd(rtc, 0x0d), 0x80);
	wr(rtc, 0x0d, 0xff);
	assert_int_equal(rd(rtc, 0x0d), 0x80);
	/* UIP is read-only */
	wr(rtc, 0x0a, 0xa6);
	assert_int_equal(rd(rtc, 0x0a), 0x26);
}

static void test_divider(void **state)
{
	void *rtc = *state;

	wr(rtc, 0x0b, 0x52); /* PIE and UIE */
	assert_int_equal(fake_armed_timers(), 2);
	wr(rtc, 0x0a, 0x7f); /* divider in reset: clock held */
	assert_int_equal(fake_armed_timers(), 0);
	tick(10 * SEC);
	assert_int_equal(rd(rtc, 0x00), 0x30);
	assert_int_equal(fake.irq_edges[8], 0);
	assert_int_equal(fake.logs, 0);

	/* Out of reset, the first update comes 500 ms later. */
	wr(rtc, 0x0a, 0x26);
	assert_int_equal(fake_armed_timers(), 2);
	wr(rtc, 0x0b, 0x12);
	tick(499 * MS);
	assert_int_equal(rd(rtc, 0x00), 0x30);
	assert_int_equal(fake.irq[8], 0);
	tick(MS);
	assert_int_equal(rd(rtc, 0x00), 0x31);
	assert_int_equal(fake.irq[8], 1);
	assert_int_equal(rd(rtc, 0x0c), 0x90);

	/* Another time base: not modelled, held and logged once. */
	wr(rtc, 0x0a, 0x06);
	wr(rtc, 0x0a, 0x16);
	wr(rtc, 0x0a, 0x46);
	assert_int_equal(fake_armed_timers(), 0);
	tick(3 * SEC);
	assert_int_equal(rd(rtc, 0x00), 0x31);
	assert_int_equal(fake.logs, 3);
	wr(rtc, 0x0a, 0x26);
	assert_int_equal(fake_armed_timers(), 1);
	tick(SEC);
	assert_int_equal(rd(rtc, 0x00), 0x32);
}

static void test_junk(void **state)
{
	void *rtc = *state;
	unsigned int i;

	/* Every value of A and B, then invalid time registers */
	for (i = 0; i < 256; i++) {
		wr(rtc, 0x0a, i);
		wr(rtc, 0x0b, i);
		fake_advance(MS);
		rd(rtc, 0x0c);
	}
	wr(rtc, 0x0a, 0x26);
	wr(rtc, 0x0b, 0x82);
	for (i = 0; i <= 9; i++)
		wr(rtc, i, 0xff);
	wr(rtc, 0x32, 0xff);
	wr(rtc, 0x0b, 0x02);
	/* clamped: 9999-12-31 23:59:59 */
	assert_int_equal(rd(rtc, 0x00), 0x59);
	assert_int_equal(rd(rtc, 0x02), 0x59);
	assert_int_equal(rd(rtc, 0x04), 0x23);
	assert_int_equal(rd(rtc, 0x07), 0x31);
	assert_int_equal(rd(rtc, 0x08), 0x12);
	assert_int_equal(rd(rtc, 0x09), 0x99);
	assert_int_equal(rd(rtc, 0x32), 0x99);
	assert_true(fake.logs <= 4);
	tick(SEC);
	assert_int_equal(rd(rtc, 0x09), 0x00); /* year 10000 */
	assert_int_equal(rd(rtc, 0x32), 0x00);

	/* Year 0 in binary */
	wr(rtc, 0x0b, 0x86);
	for (i = 0; i <= 9; i++)
		wr(rtc, i, 0);
	wr(rtc, 0x32, 0);
	wr(rtc, 0x0b, 0x06);
	assert_int_equal(rd(rtc, 0x07), 1);
	assert_int_equal(rd(rtc, 0x08), 1);
	assert_int_equal(rd(rtc, 0x09), 0);
	assert_int_equal(rd(rtc, 0x06), 7); /* 0000-01-01: Saturday */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_power_on),
		T(test_time_bcd_24h),
		T(test_time_binary),
		T(test_time_12h),
		T(test_set_time),
		T(test_set_keeps_phase),
		T(test_weekday_counter),
		T(test_uip),
		T(test_periodic),
		T(test_periodic_rates),
		T(test_update_ended),
		T(test_alarm),
		T(test_nmi_bit),
		T(test_nvram),
		T(test_memsize_128m),
		T(test_memsize_5g),
		T(test_c_d_read_only),
		T(test_divider),
		T(test_junk),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
