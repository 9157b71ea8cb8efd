// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the posted-interrupt descriptor (kmod/irq/posted.c,
 * compiled in as is): what a post and a drain leave in PIR, ON and IRR,
 * the interleavings of a sender's two steps with the vCPU's two steps,
 * and senders racing a drain on other threads without a vector lost.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "irq/posted.h"

/* IRR words are 16 bytes apart in the APIC page: index 4 * word. */
static u32 irr[32];

static bool irr_has(const u32 *r, unsigned int v)
{
	return r[(v / 32) * 4] & (1u << (v % 32));
}

static void post_and_drain(void **state)
{
	struct hv_pi_desc d = { 0 };

	(void)state;
	memset(irr, 0, sizeof(irr));
	assert_true(hv_pi_post(&d, 0x30));
	/* ON is set: the first sender's notification covers the second. */
	assert_false(hv_pi_post(&d, 0xef));
	assert_true(hv_pi_pending(&d));
	assert_int_equal(0x00010000, d.pir[1]);
	assert_int_equal(0x00008000, d.pir[7]);
	assert_int_equal(2, hv_pi_sync(&d, irr));
	assert_true(irr_has(irr, 0x30));
	assert_true(irr_has(irr, 0xef));
	assert_int_equal(0x00010000, irr[4]);
	assert_int_equal(0x00008000, irr[28]);
	assert_false(hv_pi_pending(&d));
	for (int i = 0; i < 8; i++)
		assert_int_equal(0, d.pir[i]);
	/* Nothing posted since: nothing moves, IRR keeps what it had. */
	assert_int_equal(0, hv_pi_sync(&d, irr));
	assert_int_equal(0x00010000, irr[4]);
}

static void control_word_layout(void **state)
{
	struct hv_pi_desc d = { 0 };

	(void)state;
	/* SDM Table 29-1: ON is bit 256, NV bits 279:272, NDST 319:288. */
	assert_int_equal(64, sizeof(d));
	assert_int_equal(32, offsetof(struct hv_pi_desc, control));
	d.control = (0xf2UL << HV_PI_NV_SHIFT) | (7UL << HV_PI_NDST_SHIFT);
	assert_int_equal(0xf2, ((u8 *)&d)[34]);
	assert_int_equal(7, ((u8 *)&d)[36]);
	assert_true(hv_pi_post(&d, 0x40));
	assert_int_equal(1, ((u8 *)&d)[32] & 1);
	assert_int_equal(0xf2, ((u8 *)&d)[34]);
	hv_pi_sync(&d, irr);
	/* Draining touches ON only. */
	assert_int_equal((0xf2UL << HV_PI_NV_SHIFT) | (7UL << HV_PI_NDST_SHIFT),
			 d.control);
}

/*
 * A sender sets PIR, a drain runs whole, then the sender sets ON: the
 * drain, gated on ON, left the vector in PIR, and the sender notifies.
 */
static void drain_between_pir_and_on(void **state)
{
	struct hv_pi_desc d = { 0 };

	(void)state;
	memset(irr, 0, sizeof(irr));
	set_bit(0x51, (unsigned long *)d.pir);
	assert_int_equal(0, hv_pi_sync(&d, irr));
	assert_false(irr_has(irr, 0x51));
	assert_false(test_and_set_bit(HV_PI_ON, &d.control));	/* notifies */
	assert_int_equal(1, hv_pi_sync(&d, irr));
	assert_true(irr_has(irr, 0x51));
}

/*
 * The drain clears ON, a sender posts whole (it sees ON clear and
 * notifies), then the drain reads PIR and takes the vector: the
 * notification finds ON set and nothing to move, and nothing is lost.
 */
static void post_between_on_and_pir(void **state)
{
	struct hv_pi_desc d = { 0 };

	(void)state;
	memset(irr, 0, sizeof(irr));
	assert_true(hv_pi_post(&d, 0x20));
	assert_true(test_and_clear_bit(HV_PI_ON, &d.control));
	assert_true(hv_pi_post(&d, 0x61));
	/* The rest of the first drain, by hand: PIR into IRR. */
	for (int i = 0; i < 8; i++)
		irr[i * 4] |= xchg(&d.pir[i], 0);
	assert_true(irr_has(irr, 0x20));
	assert_true(irr_has(irr, 0x61));
	assert_true(hv_pi_pending(&d));
	assert_int_equal(0, hv_pi_sync(&d, irr));
	assert_false(hv_pi_pending(&d));
}

static void clear_forgets(void **state)
{
	struct hv_pi_desc d = { 0 };

	(void)state;
	memset(irr, 0, sizeof(irr));
	hv_pi_post(&d, 0x99);
	hv_pi_clear(&d);
	assert_false(hv_pi_pending(&d));
	assert_int_equal(0, hv_pi_sync(&d, irr));
	assert_false(irr_has(irr, 0x99));
	assert_true(hv_pi_post(&d, 0x99));
}

/*
 * Two senders and a vCPU thread that drains only when notified, as a
 * vCPU does only when kicked: every vector each sender posts must reach
 * the vCPU, or the sender waits for it forever (bounded here).
 */
#define ROUNDS	20000
#define SPIN_LIMIT	10000000UL

static struct hv_pi_desc race_desc;
static unsigned long notified, drained_up_to;
static unsigned char seen[256];
static int stop;

static void *drainer(void *arg)
{
	u32 local[32];

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned long n = __atomic_load_n(&notified, __ATOMIC_ACQUIRE);

		if (n == drained_up_to) {
			sched_yield();
			continue;
		}
		drained_up_to = n;
		memset(local, 0, sizeof(local));
		hv_pi_sync(&race_desc, local);
		for (unsigned int v = 0; v < 256; v++)
			if (irr_has(local, v))
				__atomic_store_n(&seen[v], 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void *sender(void *arg)
{
	unsigned int base = *(unsigned int *)arg;
	long lost = 0;

	for (unsigned int r = 0; r < ROUNDS; r++) {
		unsigned int v = base + r % 100;
		unsigned long spins = 0;

		__atomic_store_n(&seen[v], 0, __ATOMIC_RELEASE);
		if (hv_pi_post(&race_desc, v))
			__atomic_fetch_add(&notified, 1, __ATOMIC_RELEASE);
		while (!__atomic_load_n(&seen[v], __ATOMIC_ACQUIRE)) {
			if (++spins == SPIN_LIMIT) {
				lost++;
				break;
			}
			sched_yield();
		}
	}
	return (void *)lost;
}

static void senders_race_a_drain(void **state)
{
	unsigned int bases[2] = { 32, 140 };
	pthread_t d, s[2];
	void *lost;

	(void)state;
	assert_int_equal(0, pthread_create(&d, NULL, drainer, NULL));
	for (int i = 0; i < 2; i++)
		assert_int_equal(0, pthread_create(&s[i], NULL, sender,
						   &bases[i]));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(0, pthread_join(s[i], &lost));
		assert_int_equal(0, (long)lost);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	assert_int_equal(0, pthread_join(d, NULL));
	for (int i = 0; i < 8; i++)
		assert_int_equal(0, race_desc.pir[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(post_and_drain),
		cmocka_unit_test(control_word_layout),
		cmocka_unit_test(drain_between_pir_and_on),
		cmocka_unit_test(post_between_on_and_pir),
		cmocka_unit_test(clear_forgets),
		cmocka_unit_test(senders_race_a_drain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
