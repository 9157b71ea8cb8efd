// SPDX-License-Identifier: GPL-2.0
/*
 * Posting interrupts into a descriptor and draining it (posted.h).
 *
 * The order of the two sides is what loses nothing: a sender sets the
 * vector's PIR bit first and ON second; the vCPU clears ON first and
 * reads PIR second. A bit set after the drain read its word finds ON
 * clear and notifies again; a bit the drain took may leave ON set for a
 * drain that finds nothing, which costs a look and no more. The CPU's own
 * processing of the notification vector follows the same order (SDM Vol.
 * 3C, 29.6: it clears ON, then moves PIR to VIRR).
 */
#ifdef __KERNEL__
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#endif

#include "irq/posted.h"

/**
 * hv_pi_post() - request @vector in a descriptor
 * @d: the descriptor
 * @vector: the vector, 16-255 (the caller refused the others)
 *
 * Context: any; lockless against other senders, the vCPU and the CPU.
 * Return: true if ON was clear: the caller notifies the vCPU (a kick, or
 * the notification vector); false if a notification is already due.
 */
bool hv_pi_post(struct hv_pi_desc *d, u8 vector)
{
	set_bit(vector, (unsigned long *)d->pir);
	return !test_and_set_bit(HV_PI_ON, &d->control);
}

/**
 * hv_pi_sync() - move the posted vectors into IRR
 * @d: the descriptor
 * @irr: the first IRR word of the APIC page; the eight words are 16 bytes
 *	apart (SDM Table 11-1)
 *
 * Context: the vCPU's thread, outside guest mode, the APIC's lock held:
 * nothing else writes IRR.
 * Return: how many vectors moved.
 */
unsigned int hv_pi_sync(struct hv_pi_desc *d, u32 *irr)
{
	unsigned int i, n = 0;
	u32 w;

	if (!test_and_clear_bit(HV_PI_ON, &d->control))
		return 0;
	for (i = 0; i < 8; i++) {
		if (!READ_ONCE(d->pir[i]))
			continue;
		w = xchg(&d->pir[i], 0);
		/* Counted before the OR: a vector already in IRR counts too. */
		irr[i * 4] |= w;
		n += hweight32(w);
	}
	return n;
}

/**
 * hv_pi_pending() - whether a notification is outstanding
 * @d: the descriptor
 *
 * Return: ON.
 */
bool hv_pi_pending(const struct hv_pi_desc *d)
{
	return test_bit(HV_PI_ON, &d->control);
}

/**
 * hv_pi_clear() - forget every posted vector (the APIC was reset)
 * @d: the descriptor
 *
 * Context: the vCPU stopped or its own thread; senders may post again
 * right after.
 */
void hv_pi_clear(struct hv_pi_desc *d)
{
	int i;

	clear_bit(HV_PI_ON, &d->control);
	for (i = 0; i < 8; i++)
		xchg(&d->pir[i], 0);
}
