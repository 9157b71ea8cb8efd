/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The posted-interrupt descriptor (SDM Vol. 3C, 29.6 "Posted-Interrupt
 * Processing"): 256 requested vectors (PIR) and the outstanding-
 * notification bit (ON), written by whoever sends a vCPU an interrupt
 * while the CPU may be using the vCPU's virtual-APIC page, and drained
 * into IRR by the vCPU itself before entry, or by the CPU on the
 * notification vector where it processes posted interrupts.
 *
 * hv uses it whenever the CPU holds the APIC page (APICv): senders never
 * write IRR then, since virtual-interrupt delivery and EOI virtualization
 * change IRR and ISR in guest mode without a lock. Pure functions over
 * plain data, compiled unchanged into hv.ko and into its cmocka test
 * (kmod/tests/test_posted.c).
 */
#ifndef HV_IRQ_POSTED_H
#define HV_IRQ_POSTED_H

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/types.h>
#else
#include "../tests/ktypes.h"
#endif

/* The control word, bits 256-319 of the descriptor (SDM Table 29-1). */
#define HV_PI_ON		0	/* outstanding notification */
#define HV_PI_SN		1	/* suppress notification */
#define HV_PI_NV_SHIFT		16	/* notification vector, bits 23:16 */
#define HV_PI_NDST_SHIFT	32	/* notification destination (APIC ID) */

/**
 * struct hv_pi_desc - a posted-interrupt descriptor, as the CPU reads it
 * @pir: the posted-interrupt requests, one bit per vector
 * @control: ON, SN, the notification vector and destination, in one
 *	word for the atomic bit operations (the CPU updates ON with a locked
 *	access to it)
 * @rsvd: reserved, 0
 */
struct hv_pi_desc {
	u32 pir[8];
	unsigned long control;
	u32 rsvd[6];
} __aligned(64);

bool hv_pi_post(struct hv_pi_desc *d, u8 vector);
unsigned int hv_pi_sync(struct hv_pi_desc *d, u32 *irr);
bool hv_pi_pending(const struct hv_pi_desc *d);
void hv_pi_clear(struct hv_pi_desc *d);

#endif /* HV_IRQ_POSTED_H */
