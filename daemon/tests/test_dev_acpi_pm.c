// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the ACPI fixed hardware model (daemon/dev/acpi_pm.c): the
 * PM timer's count at exact times (3.579545 MHz, 24 bits, ACPI 6.4
 * 4.8.3.3), TMR_STS at each toggle of bit 23, the SCI and its timer,
 * write-1-to-clear status bits, SCI_EN, S5 power-off and the sleep types
 * that do not exist, and byte access to every block.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fake_services.h"

extern const struct hvd_model acpi_pm_model;

#define EVT 0x600
#define CNT 0x604
#define TMR 0x608
#define SCI 9

/* ns after power-on of the first three toggles of bit 23: ceil(k 2^23 / f) */
#define TOGGLE1 2343484438ull
#define TOGGLE2 4686968875ull

static const struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = 64 << 20,
	.ram_below_4g = 64 << 20,
};

static void *dev;
static uint64_t t0;

static int setup(void **state)
{
	fake_reset();
	t0 = fake.now;
	dev = calloc(1, acpi_pm_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(acpi_pm_model.create(dev, &fake_svc, &cfg), 0);
	return 0;
}

static int teardown(void **state)
{
	acpi_pm_model.destroy(dev);
	/* destroy() freed its timer. */
	assert_int_equal(fake.timers[0].used, 0);
	free(dev);
	return 0;
}

static uint64_t in(uint16_t port, unsigned int size)
{
	return acpi_pm_model.read(dev, HVD_PIO, port, size);
}

static void out(uint16_t port, unsigned int size, uint64_t val)
{
	acpi_pm_model.write(dev, HVD_PIO, port, size, val);
}

/* Move the clock to @ns after power-on. */
static void at(uint64_t ns)
{
	fake_advance(t0 + ns - fake.now);
}

static void test_ranges(void **state)
{
	assert_int_equal(acpi_pm_model.nr_ranges, 3);
	assert_int_equal(acpi_pm_model.ranges[0].base, EVT);
	assert_int_equal(acpi_pm_model.ranges[0].len, 4);
	assert_int_equal(acpi_pm_model.ranges[1].base, CNT);
	assert_int_equal(acpi_pm_model.ranges[1].len, 2);
	assert_int_equal(acpi_pm_model.ranges[2].base, TMR);
	assert_int_equal(acpi_pm_model.ranges[2].len, 4);
}

static void test_pm_timer_count(void **state)
{
	assert_int_equal(in(TMR, 4), 0);
	at(1000000000ull);
	assert_int_equal(in(TMR, 4), 3579545);
	at(1001000000ull);
	assert_int_equal(in(TMR, 4), 3583124);
	/* 24 bits: 5 s is 17897725 ticks, wrapped. */
	at(5000000000ull);
	assert_int_equal(in(TMR, 4), 1120509);
	assert_int_equal(in(TMR, 1), 0xfd);
	assert_int_equal(in(TMR + 1, 1), 0x18);
	assert_int_equal(in(TMR + 2, 1), 0x11);
	assert_int_equal(in(TMR + 3, 1), 0x00);
	assert_int_equal(in(TMR, 2), 0x18fd);
	assert_int_equal(in(TMR + 2, 2), 0x0011);
	/* Bytes past the block decode nothing. */
	assert_int_equal(in(TMR + 2, 4), 0xffff0011);
}

static void test_pm_timer_read_only(void **state)
{
	at(1000000000ull);
	out(TMR, 4, 0);
	out(TMR + 1, 1, 0xff);
	assert_int_equal(in(TMR, 4), 3579545);
}

static void test_pm_timer_after_hours(void **state)
{
	/* 10 h of ticks overflow 64 bits before the division. */
	at(36000ull * 1000000000ull);
	assert_int_equal(in(TMR, 4),
			 (uint32_t)((36000ull * 3579545ull) & 0xffffff));
}

static void test_tmr_sts_toggles(void **state)
{
	assert_int_equal(in(EVT, 2), 0x0000);
	at(TOGGLE1 - 1);
	assert_int_equal(in(TMR, 4), 0x7fffff);
	assert_int_equal(in(EVT, 2), 0x0000);
	at(TOGGLE1);
	assert_int_equal(in(TMR, 4), 0x800000);
	assert_int_equal(in(EVT, 2), 0x0001);
	/* Disabled: no SCI, no timer. */
	assert_int_equal(fake.irq[SCI], 0);
	assert_int_equal(fake_armed_timers(), 0);
}

static void test_write_one_to_clear(void **state)
{
	at(TOGGLE1);
	out(EVT, 2, 0x0000);
	assert_int_equal(in(EVT, 2), 0x0001);
	out(EVT, 2, 0x8100);
	assert_int_equal(in(EVT, 2), 0x0001);
	out(EVT + 1, 1, 0xff);
	assert_int_equal(in(EVT, 2), 0x0001);
	out(EVT, 1, 0x01);
	assert_int_equal(in(EVT, 2), 0x0000);
	/* Writing 1s sets nothing. */
	out(EVT, 2, 0xffff);
	assert_int_equal(in(EVT, 2), 0x0000);
	/* Set again at the next toggle, bit 23 going back to 0. */
	at(TOGGLE2 - 1);
	assert_int_equal(in(EVT, 2), 0x0000);
	at(TOGGLE2);
	assert_int_equal(in(TMR, 4), 0x000000);
	assert_int_equal(in(EVT, 2), 0x0001);
}

static void test_pm1_en(void **state)
{
	out(EVT + 2, 2, 0xffff);
	assert_int_equal(in(EVT + 2, 2), 0x4721);
	assert_int_equal(in(EVT, 4), 0x47210000);
	out(EVT + 3, 1, 0x00);
	assert_int_equal(in(EVT + 2, 2), 0x0021);
	out(EVT, 4, 0x01000000);
	assert_int_equal(in(EVT + 2, 2), 0x0100);
	assert_int_equal(in(EVT + 2, 1), 0x00);
	assert_int_equal(in(EVT + 3, 1), 0x01);
	assert_int_equal(fake.irq[SCI], 0);
}

static void test_tmr_en_sci(void **state)
{
	out(EVT + 2, 2, 0x0001);
	assert_int_equal(fake_armed_timers(), 1);
	assert_int_equal(fake.timers[0].deadline, t0 + TOGGLE1);
	assert_int_equal(fake.irq[SCI], 0);
	at(TOGGLE1 - 1);
	assert_int_equal(fake.irq[SCI], 0);
	at(TOGGLE1);
	assert_int_equal(fake.irq[SCI], 1);
	assert_int_equal(fake.irq_edges[SCI], 1);
	assert_int_equal(fake_armed_timers(), 0);
	/* Level: it stays until the OS clears TMR_STS. */
	at(TOGGLE1 + 1000000);
	assert_int_equal(fake.irq[SCI], 1);
	out(EVT, 2, 0x0001);
	assert_int_equal(fake.irq[SCI], 0);
	assert_int_equal(fake_armed_timers(), 1);
	assert_int_equal(fake.timers[0].deadline, t0 + TOGGLE2);
	at(TOGGLE2);
	assert_int_equal(fake.irq[SCI], 1);
	assert_int_equal(fake.irq_edges[SCI], 2);
	/* Disabling the event drops the SCI; TMR_STS stays. */
	out(EVT + 2, 2, 0x0000);
	assert_int_equal(fake.irq[SCI], 0);
	assert_int_equal(in(EVT, 2), 0x0001);
	assert_int_equal(fake_armed_timers(), 0);
}

static void test_tmr_en_with_status_set(void **state)
{
	at(TOGGLE1 + 5);
	out(EVT + 2, 1, 0x01);
	assert_int_equal(fake.irq[SCI], 1);
	assert_int_equal(fake_armed_timers(), 0);
	out(EVT, 4, 0x00010001);
	assert_int_equal(fake.irq[SCI], 0);
	assert_int_equal(fake.timers[0].deadline, t0 + TOGGLE2);
}

static void test_sci_en_always(void **state)
{
	assert_int_equal(in(CNT, 2), 0x0001);
	out(CNT, 2, 0x0000);
	assert_int_equal(in(CNT, 2), 0x0001);
	/* BM_RLD and SLP_TYP are stored, GBL_RLS is not. */
	out(CNT, 2, 0x1406);
	assert_int_equal(in(CNT, 2), 0x1403);
	assert_int_equal(in(CNT, 1), 0x03);
	assert_int_equal(in(CNT + 1, 1), 0x14);
	assert_int_equal(in(CNT, 4), 0xffff1403);
	assert_int_equal(fake.nr_req, 0);
}

static void test_s5_poweroff(void **state)
{
	/* ACPICA: SLP_TYP first, then SLP_EN in a second write. */
	out(CNT, 2, 5 << 10);
	assert_int_equal(fake.nr_req, 0);
	out(CNT, 2, 5 << 10 | 1 << 13);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_POWEROFF);
	assert_int_equal(fake.req_status, 0);
	/* SLP_EN is write-only. */
	assert_int_equal(in(CNT, 2), 0x1401);
	assert_int_equal(fake.logs, 0);
}

static void test_s5_bytewise(void **state)
{
	out(CNT + 1, 1, 0x34);
	assert_int_equal(fake.nr_req, 1);
	assert_int_equal(fake.req, HVD_REQ_POWEROFF);
}

static void test_other_sleep_types_ignored(void **state)
{
	unsigned int typ;

	for (typ = 0; typ < 8; typ++) {
		if (typ == 5)
			continue;
		out(CNT, 2, typ << 10 | 1 << 13);
	}
	assert_int_equal(fake.nr_req, 0);
	/* Logged once per device. */
	assert_int_equal(fake.logs, 1);
	assert_int_equal(in(CNT, 2), 7 << 10 | 1);
	/* SLP_EN in a byte that leaves SLP_TYP 7. */
	out(CNT + 1, 1, 0x3c);
	assert_int_equal(fake.nr_req, 0);
	assert_int_equal(fake.logs, 1);
}

static void test_machine_reset(void **state)
{
	out(EVT + 2, 2, 0x0101);
	at(TOGGLE1 + 7);
	assert_int_equal(fake.irq[SCI], 1);
	out(CNT, 2, 0x0c02);
	acpi_pm_model.reset(dev);
	assert_int_equal(fake.irq[SCI], 0);
	assert_int_equal(in(EVT, 4), 0);
	assert_int_equal(in(CNT, 2), 0x0001);
	assert_int_equal(in(TMR, 4), 0);
	assert_int_equal(fake_armed_timers(), 0);
	fake_advance(1000000000ull);
	assert_int_equal(in(TMR, 4), 3579545);
}

/* Each test on a device fresh from create(). */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* clang-format off */
		T(test_ranges),
		T(test_pm_timer_count),
		T(test_pm_timer_read_only),
		T(test_pm_timer_after_hours),
		T(test_tmr_sts_toggles),
		T(test_write_one_to_clear),
		T(test_pm1_en),
		T(test_tmr_en_sci),
		T(test_tmr_en_with_status_set),
		T(test_sci_en_always),
		T(test_s5_poweroff),
		T(test_s5_bytewise),
		T(test_other_sleep_types_ignored),
		T(test_machine_reset),
		/* clang-format on */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
