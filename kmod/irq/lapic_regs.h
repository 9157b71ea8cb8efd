/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local APIC's registers (SDM Vol. 3A, ch. 11 "Advanced Programmable
 * Interrupt Controller"; APM Vol. 2, ch. 16): what a read returns, what a
 * write keeps, and what it asks of the rest of the APIC, in xAPIC (MMIO)
 * and x2APIC (MSR) mode; the priority rules (TPR, PPR, APR, IRR, ISR,
 * EOI); ICR and MSI decoding; destination matching; IA32_APIC_BASE
 * transitions. Pure functions over plain data, compiled unchanged into
 * hv.ko and into its cmocka test (kmod/tests/test_lapic_regs.c).
 *
 * The registers live in one 4 KiB page in the xAPIC layout (each 32-bit
 * register at a 16-byte aligned offset), the layout of VMX's virtual-APIC
 * page, so that the page can later be handed to the CPU as it is.
 */
#ifndef HV_LAPIC_REGS_H
#define HV_LAPIC_REGS_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include "../tests/ktypes.h"
#endif

#include "irq/posted.h"

#define HV_LAPIC_PAGE_SIZE	4096
/* The registers a record saves: offsets 0 to 0x3f0 (HV_LAPIC_STATE_SIZE). */
#define HV_LAPIC_SAVED_SIZE	1024

/* Register offsets in the xAPIC page (SDM Table 11-1). */
#define HV_APIC_ID		0x020
#define HV_APIC_LVR		0x030
#define HV_APIC_TPR		0x080
#define HV_APIC_APR		0x090
#define HV_APIC_PPR		0x0a0
#define HV_APIC_EOI		0x0b0
#define HV_APIC_RRD		0x0c0
#define HV_APIC_LDR		0x0d0
#define HV_APIC_DFR		0x0e0
#define HV_APIC_SVR		0x0f0
#define HV_APIC_ISR		0x100
#define HV_APIC_TMR		0x180
#define HV_APIC_IRR		0x200
#define HV_APIC_ESR		0x280
#define HV_APIC_ICR		0x300
#define HV_APIC_ICR2		0x310
#define HV_APIC_LVTT		0x320
#define HV_APIC_LVTTHMR		0x330
#define HV_APIC_LVTPC		0x340
#define HV_APIC_LVT0		0x350
#define HV_APIC_LVT1		0x360
#define HV_APIC_LVTERR		0x370
#define HV_APIC_TMICT		0x380
#define HV_APIC_TMCCT		0x390
#define HV_APIC_TDCR		0x3e0
#define HV_APIC_SELF_IPI	0x3f0	/* x2APIC only */

#define HV_X2APIC_MSR_BASE	0x800
#define HV_X2APIC_MSR_END	0x8ff

/*
 * Version register: an integrated APIC (0x14) with six LVT entries
 * (timer, thermal, PMC, LINT0, LINT1, error: max LVT entry 5), and no
 * EOI-broadcast suppression (bit 24 clear).
 */
#define HV_APIC_VERSION		0x14
#define HV_APIC_MAX_LVT		5
#define HV_APIC_LVR_VALUE	(HV_APIC_VERSION | (HV_APIC_MAX_LVT << 16))

/* Fields shared by the LVT entries, the ICR and MSI data (Figure 11-8). */
#define HV_APIC_VECTOR_MASK	0xffu
#define HV_APIC_DM_SHIFT	8
#define HV_APIC_DM_MASK		(7u << HV_APIC_DM_SHIFT)
#define HV_APIC_SEND_PENDING	BIT(12)
#define HV_APIC_POLARITY_LOW	BIT(13)
#define HV_APIC_REMOTE_IRR	BIT(14)
#define HV_APIC_LEVEL_TRIGGER	BIT(15)
#define HV_APIC_LVT_MASKED	BIT(16)
#define HV_APIC_ICR_LOGICAL	BIT(11)
#define HV_APIC_ICR_ASSERT	BIT(14)
#define HV_APIC_ICR_SHORTHAND_SHIFT 18

/* LVT timer modes (Figure 11-8, bits 18:17). */
#define HV_APIC_TIMER_MODE_SHIFT	17
#define HV_APIC_TIMER_MODE_MASK		(3u << HV_APIC_TIMER_MODE_SHIFT)
#define HV_APIC_TIMER_ONESHOT		(0u << HV_APIC_TIMER_MODE_SHIFT)
#define HV_APIC_TIMER_PERIODIC		BIT(HV_APIC_TIMER_MODE_SHIFT)
#define HV_APIC_TIMER_TSC_DEADLINE	BIT(HV_APIC_TIMER_MODE_SHIFT + 1)

#define HV_APIC_SVR_ENABLE	BIT(8)

/* Error Status Register bits (Figure 11-9). */
#define HV_APIC_ESR_SEND_ILLEGAL	BIT(5)
#define HV_APIC_ESR_RECV_ILLEGAL	BIT(6)
#define HV_APIC_ESR_ILLEGAL_REG		BIT(7)

/* IA32_APIC_BASE (SDM Figure 11-5 and 11.12.1). */
#define HV_APIC_BASE_BSP	BIT_ULL(8)
#define HV_APIC_BASE_EXTD	BIT_ULL(10)
#define HV_APIC_BASE_EN		BIT_ULL(11)
#define HV_APIC_BASE_ADDR_MASK	(~0xfffULL)
#define HV_APIC_BASE_DEFAULT	0xfee00000ULL

/* Delivery modes (ICR, LVT, MSI data: SDM 11.6.1). */
enum hv_apic_dm {
	HV_APIC_DM_FIXED = 0,
	HV_APIC_DM_LOWEST = 1,
	HV_APIC_DM_SMI = 2,
	HV_APIC_DM_NMI = 4,
	HV_APIC_DM_INIT = 5,
	HV_APIC_DM_SIPI = 6,
	HV_APIC_DM_EXTINT = 7,
};

/* ICR destination shorthands (SDM 11.6.1, bits 19:18). */
enum hv_apic_shorthand {
	HV_APIC_DEST_NONE = 0,
	HV_APIC_DEST_SELF = 1,
	HV_APIC_DEST_ALL = 2,
	HV_APIC_DEST_ALL_BUT_SELF = 3,
};

/* Registers whose writes the CPU completes with an APIC-write exit. */
#define HV_XAPIC_NR_TRAPPED	14

/* How software reaches the APIC (SDM 11.12.5, Figure 11-27). */
enum hv_apic_mode {
	HV_APIC_MODE_DISABLED,	/* EN = 0, EXTD = 0 */
	HV_APIC_MODE_XAPIC,	/* EN = 1, EXTD = 0 */
	HV_APIC_MODE_X2APIC,	/* EN = 1, EXTD = 1 */
};

/**
 * struct hv_lapic_regs - one local APIC's architectural registers
 * @regs: the register page, xAPIC layout, @regs[off / 4]
 * @esr_pending: errors detected since the last write to the ESR, which
 *	moves them into it (SDM 11.5.3)
 * @mode: xAPIC or x2APIC (a disabled APIC is not accessed through here)
 * @tsc_deadline: CPUID offers the TSC-deadline timer mode
 * @pi: where accepted vectors go instead of IRR while the CPU may hold
 *	@regs (APICv), or NULL; hv_pi_sync() moves them into IRR
 * @pi_level: where level-triggered ones go instead, if not NULL: a
 *	descriptor the CPU never processes, so that such a vector is
 *	delivered only once its EOI is set to exit
 * @trapped: the registers a write through the APIC-access page changes
 *	before hv sees it (SDM Vol. 3C, 30.4.3), as hv last left them:
 *	hv_xapic_trap_save(), hv_xapic_trap_take()
 */
struct hv_lapic_regs {
	u32 *regs;
	u32 esr_pending;
	enum hv_apic_mode mode;
	bool tsc_deadline;
	struct hv_pi_desc *pi;
	struct hv_pi_desc *pi_level;
	u32 trapped[HV_XAPIC_NR_TRAPPED];
};

/**
 * struct hv_apic_irq - an interrupt message: an IPI, an MSI, a LINT
 * @vector: the vector
 * @dm: delivery mode, enum hv_apic_dm
 * @logical: the destination is logical, not physical
 * @level: level-triggered (its EOI is reported; SDM 11.8.4)
 * @assert: for INIT, assert (true) or de-assert
 * @shorthand: enum hv_apic_shorthand
 * @wide: @dest is in the x2APIC format (32 bits, 0xffffffff broadcast),
 *	not the xAPIC one (8 bits, 0xff broadcast)
 * @dest: destination APIC ID or logical destination
 */
struct hv_apic_irq {
	u8 vector;
	u8 dm;
	bool logical;
	bool level;
	bool assert;
	u8 shorthand;
	bool wide;
	u32 dest;
};

/* What a register write asks of the rest of the APIC. */
#define HV_LAPIC_FX_EOI		BIT(0)	/* an EOI retired @eoi_vector */
#define HV_LAPIC_FX_IPI		BIT(1)	/* send @ipi (ICR, SELF IPI) */
#define HV_LAPIC_FX_TIMER	BIT(2)	/* LVT timer, count or divider */
#define HV_LAPIC_FX_ENABLE	BIT(3)	/* SVR's software enable changed */
#define HV_LAPIC_FX_ROUTE	BIT(4)	/* ID, LDR or DFR changed */
#define HV_LAPIC_FX_PPR		BIT(5)	/* PPR fell: a vector may be due */
#define HV_LAPIC_FX_LVT		BIT(6)	/* an LVT entry other than the timer */
#define HV_LAPIC_FX_ERROR	BIT(7)	/* an error entered esr_pending */

/**
 * struct hv_lapic_write - the consequences of one register write
 * @effects: HV_LAPIC_FX_* bits
 * @eoi_vector: with HV_LAPIC_FX_EOI, the vector retired, -1 if none was
 *	in service
 * @eoi_level: that vector was level-triggered (TMR set)
 * @ipi: with HV_LAPIC_FX_IPI, the message to send
 */
struct hv_lapic_write {
	unsigned int effects;
	int eoi_vector;
	bool eoi_level;
	struct hv_apic_irq ipi;
};

void hv_lapic_regs_reset(struct hv_lapic_regs *l, u32 id, bool x2apic);
int hv_lapic_regs_check(const u32 *src, bool x2apic, u32 id, const char **why);
int hv_lapic_regs_restore(struct hv_lapic_regs *l, const u32 *src, u32 id,
			  const char **why);
u32 hv_lapic_x2apic_ldr(u32 id);

int hv_lapic_find_highest(const u32 *regs, u32 base);
bool hv_lapic_test_vector(const u32 *regs, u32 base, u8 vector);
u32 hv_lapic_ppr(const u32 *regs);
u32 hv_lapic_apr(const u32 *regs);
int hv_lapic_pending(const u32 *regs);
int hv_lapic_tpr_held(const u32 *regs);
bool hv_lapic_sw_enabled(const u32 *regs);

int hv_lapic_accept(struct hv_lapic_regs *l, u8 vector, bool level);
unsigned int hv_lapic_sync(struct hv_lapic_regs *l);
int hv_lapic_ack(struct hv_lapic_regs *l);
int hv_lapic_eoi(struct hv_lapic_regs *l, bool *level);

u32 hv_xapic_read(struct hv_lapic_regs *l, u32 off);
void hv_xapic_trap_save(struct hv_lapic_regs *l);
bool hv_xapic_trap_take(struct hv_lapic_regs *l, u32 off, u32 *val);
void hv_xapic_write(struct hv_lapic_regs *l, u32 off, u32 val,
		    struct hv_lapic_write *w);
int hv_x2apic_read(struct hv_lapic_regs *l, u32 msr, u64 *val);
int hv_x2apic_write(struct hv_lapic_regs *l, u32 msr, u64 val,
		    struct hv_lapic_write *w);

unsigned int hv_lapic_timer_divisor(u32 tdcr);

void hv_apic_icr_decode(u64 icr, bool x2apic, struct hv_apic_irq *irq);
bool hv_apic_msi_decode(u64 addr, u32 data, struct hv_apic_irq *irq);
bool hv_lapic_match_dest(const struct hv_lapic_regs *l,
			 const struct hv_apic_irq *irq);

enum hv_apic_mode hv_apic_base_mode(u64 base);
int hv_apic_base_check(u64 old, u64 val, u64 reserved,
		       enum hv_apic_mode *mode);

#endif /* HV_LAPIC_REGS_H */
