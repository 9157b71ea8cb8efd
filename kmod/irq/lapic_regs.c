// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC's register semantics (see lapic_regs.h). Section numbers
 * are those of the Intel SDM Vol. 3A, chapter 11; the AMD APM Vol. 2,
 * chapter 16 describes the same xAPIC and x2APIC behaviour.
 *
 * In xAPIC mode a write to a read-only register or to the reserved bits
 * of a register is dropped, as on the CPU; an access to a reserved offset
 * records "illegal register address" in the ESR (11.5.3). In x2APIC mode
 * the same accesses raise #GP(0) instead (11.12.1.2, 11.12.1.3): the
 * x2APIC functions return -EINVAL and change nothing.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "lapic_regs.h"

#define REG(off)	((off) >> 2)

/* Writable bits of each register (Figures 11-7, 11-8, 11-12, 11-18). */
#define TPR_BITS	0xffu
#define SVR_BITS	0x3ffu		/* vector, enable, focus disable */
/* ICR: vector, delivery and destination mode, level, trigger, shorthand. */
#define ICR_BITS	0x000ccfffu
#define LVT_TIMER_BITS	(HV_APIC_LVT_MASKED | HV_APIC_TIMER_PERIODIC | \
			 HV_APIC_VECTOR_MASK)
#define LVT_DM_BITS	(HV_APIC_LVT_MASKED | HV_APIC_DM_MASK | \
			 HV_APIC_VECTOR_MASK)
#define LVT_LINT_BITS	(LVT_DM_BITS | HV_APIC_POLARITY_LOW | \
			 HV_APIC_LEVEL_TRIGGER)
#define LVT_ERR_BITS	(HV_APIC_LVT_MASKED | HV_APIC_VECTOR_MASK)
#define TDCR_BITS	0xbu
#define XAPIC_ID_BITS	0xff000000u
#define DFR_MODEL	0xf0000000u

/* Bits of the LVT entries and the ICR that read back but ignore writes. */
#define LVT_RO_BITS	(HV_APIC_SEND_PENDING | HV_APIC_REMOTE_IRR)

/* x2APIC ICR bits that raise #GP when set (11.12.9, Figure 11-28). */
#define X2APIC_ICR_RSVD	(0xfff00000ull | 0x30000ull | 0x2000ull)

#define BROADCAST_XAPIC		0xffu
#define BROADCAST_X2APIC	0xffffffffu
#define DFR_FLAT		0xfu
#define DFR_CLUSTER		0x0u

static const u32 lvt_offsets[] = { HV_APIC_LVTT, HV_APIC_LVTTHMR, HV_APIC_LVTPC,
				   HV_APIC_LVT0, HV_APIC_LVT1, HV_APIC_LVTERR };

static u32 get(const u32 *regs, u32 off)
{
	return regs[REG(off)];
}

static void set(u32 *regs, u32 off, u32 val)
{
	regs[REG(off)] = val;
}

/* The 32-bit word of a 256-bit register (ISR, TMR, IRR) holding @vector. */
static u32 *vec_word(u32 *regs, u32 base, u8 vector)
{
	return &regs[REG(base) + (vector >> 5) * 4];
}

static void vec_set(u32 *regs, u32 base, u8 vector)
{
	*vec_word(regs, base, vector) |= 1u << (vector & 31);
}

static void vec_clear(u32 *regs, u32 base, u8 vector)
{
	*vec_word(regs, base, vector) &= ~(1u << (vector & 31));
}

/**
 * hv_lapic_find_highest() - the highest vector set in ISR, TMR or IRR
 * @regs: the register page
 * @base: HV_APIC_ISR, HV_APIC_TMR or HV_APIC_IRR
 *
 * Return: the vector, or -1 if no bit is set.
 */
int hv_lapic_find_highest(const u32 *regs, u32 base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 w = regs[REG(base) + i * 4];

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

/**
 * hv_lapic_test_vector() - whether @vector is set in ISR, TMR or IRR
 * @regs: the register page
 * @base: HV_APIC_ISR, HV_APIC_TMR or HV_APIC_IRR
 * @vector: the vector
 *
 * Return: true if its bit is set.
 */
bool hv_lapic_test_vector(const u32 *regs, u32 base, u8 vector)
{
	return regs[REG(base) + (vector >> 5) * 4] & (1u << (vector & 31));
}

/* The highest vector in service, 0 if none: ISRV of 11.8.3.1. */
static u32 isrv(const u32 *regs)
{
	int v = hv_lapic_find_highest(regs, HV_APIC_ISR);

	return v < 0 ? 0 : v;
}

/**
 * hv_lapic_ppr() - the processor priority (11.8.3.1)
 * @regs: the register page
 *
 * PPR is TPR when TPR's class is at least that of the highest vector in
 * service, and that vector's class otherwise.
 *
 * Return: PPR[7:0].
 */
u32 hv_lapic_ppr(const u32 *regs)
{
	u32 tpr = get(regs, HV_APIC_TPR) & TPR_BITS;
	u32 isr = isrv(regs);

	return (tpr & 0xf0) >= (isr & 0xf0) ? tpr : isr & 0xf0;
}

/**
 * hv_lapic_apr() - the arbitration priority (11.6.2.4, Figure 11-15)
 * @regs: the register page
 *
 * Return: APR[7:0]: TPR when its class is at least that of the highest
 * requested vector and above that of the highest in service; otherwise
 * the highest of the three classes.
 */
u32 hv_lapic_apr(const u32 *regs)
{
	u32 tpr = get(regs, HV_APIC_TPR) & TPR_BITS;
	int irr = hv_lapic_find_highest(regs, HV_APIC_IRR);
	u32 irrv = irr < 0 ? 0 : irr;
	u32 isr = isrv(regs);
	u32 cls = tpr & 0xf0;

	if ((tpr & 0xf0) >= (irrv & 0xf0) && (tpr & 0xf0) > (isr & 0xf0))
		return tpr;
	if ((isr & 0xf0) > cls)
		cls = isr & 0xf0;
	if ((irrv & 0xf0) > cls)
		cls = irrv & 0xf0;
	return cls;
}

static void update_ppr(u32 *regs)
{
	set(regs, HV_APIC_PPR, hv_lapic_ppr(regs));
}

/**
 * hv_lapic_pending() - the vector the APIC would present to the CPU now
 * @regs: the register page
 *
 * The highest requested vector, if its priority class is above PPR's
 * (11.8.3). Whether the CPU can take it (RFLAGS.IF, shadows) is not
 * the APIC's business.
 *
 * Return: the vector, or -1.
 */
int hv_lapic_pending(const u32 *regs)
{
	int v = hv_lapic_find_highest(regs, HV_APIC_IRR);

	if (v < 0 || ((u32)v & 0xf0) <= (hv_lapic_ppr(regs) & 0xf0))
		return -1;
	return v;
}

/**
 * hv_lapic_tpr_held() - the vector only TPR holds back
 * @regs: the register page
 *
 * The highest requested vector, if its class is above that of the
 * highest in service (so that an EOI would not be needed to let it in)
 * but not above TPR's: lowering TPR (or CR8, its bits 7:4) below it
 * makes it due.
 *
 * Return: the vector, or -1.
 */
int hv_lapic_tpr_held(const u32 *regs)
{
	int v = hv_lapic_find_highest(regs, HV_APIC_IRR);
	int isr = hv_lapic_find_highest(regs, HV_APIC_ISR);
	u32 class = (u32)v & 0xf0;

	if (v < 0 || (isr >= 0 && class <= ((u32)isr & 0xf0)) ||
	    class > (regs[HV_APIC_TPR / 4] & 0xf0))
		return -1;
	return v;
}

/**
 * hv_lapic_sw_enabled() - whether software enabled the APIC (SVR bit 8)
 * @regs: the register page
 *
 * Return: true if enabled (11.4.7.2).
 */
bool hv_lapic_sw_enabled(const u32 *regs)
{
	return get(regs, HV_APIC_SVR) & HV_APIC_SVR_ENABLE;
}

/**
 * hv_lapic_x2apic_ldr() - the logical ID an x2APIC derives from its ID
 * @id: the x2APIC ID
 *
 * Return: cluster ID (ID[19:4]) in bits 31:16, 1 << ID[3:0] in 15:0
 * (11.12.10.2).
 */
u32 hv_lapic_x2apic_ldr(u32 id)
{
	return ((id >> 4) << 16) | (1u << (id & 0xf));
}

/**
 * hv_lapic_regs_reset() - the state after power-up, RESET or INIT
 * @l: the APIC; @l->regs points to its page
 * @id: its APIC ID
 * @x2apic: it is in x2APIC mode (INIT leaves IA32_APIC_BASE alone)
 *
 * 11.4.7.1: IRR, ISR, TMR, ICR, LDR, TPR, the timer's counts and divider
 * zero; DFR all ones; every LVT entry masked; SVR 0xff (software
 * disabled). The ID and version are kept; an x2APIC's LDR follows from
 * its ID (11.12.10.2).
 */
void hv_lapic_regs_reset(struct hv_lapic_regs *l, u32 id, bool x2apic)
{
	unsigned int i;

	memset(l->regs, 0, HV_LAPIC_PAGE_SIZE);
	l->esr_pending = 0;
	l->mode = x2apic ? HV_APIC_MODE_X2APIC : HV_APIC_MODE_XAPIC;
	set(l->regs, HV_APIC_ID, x2apic ? id : id << 24);
	set(l->regs, HV_APIC_LVR, HV_APIC_LVR_VALUE);
	set(l->regs, HV_APIC_DFR, 0xffffffff);
	set(l->regs, HV_APIC_SVR, 0xff);
	if (x2apic)
		set(l->regs, HV_APIC_LDR, hv_lapic_x2apic_ldr(id));
	for (i = 0; i < ARRAY_SIZE(lvt_offsets); i++)
		set(l->regs, lvt_offsets[i], HV_APIC_LVT_MASKED);
}

/**
 * hv_lapic_accept() - an interrupt message with a fixed vector arrives
 * @l: the APIC
 * @vector: the vector
 * @level: level-triggered
 *
 * Sets the vector's IRR bit and records the trigger mode in TMR
 * (11.8.4). A software-disabled APIC drops it (11.4.7.2). Vectors 0-15
 * are illegal: "receive illegal vector" enters the ESR and no IRR bit is
 * set (11.5.3). With @l->pi, the IRR bit is posted there instead.
 *
 * Return: 0 if accepted (the caller notifies the vCPU); 1 if posted
 * behind vectors that have not reached IRR yet, whose notification is
 * under way and covers this one too (a vCPU that the sender of every
 * one of a flood of IPIs made exit would never take one: the host's
 * interrupt at entry goes before the virtual one); -ENODEV if dropped;
 * -EINVAL for an illegal vector (the caller signals the error LVT entry).
 */
int hv_lapic_accept(struct hv_lapic_regs *l, u8 vector, bool level)
{
	if (vector < 16) {
		l->esr_pending |= HV_APIC_ESR_RECV_ILLEGAL;
		return -EINVAL;
	}
	if (!hv_lapic_sw_enabled(l->regs))
		return -ENODEV;
	/* The CPU neither reads nor writes TMR: it is the caller's. */
	if (level)
		vec_set(l->regs, HV_APIC_TMR, vector);
	else
		vec_clear(l->regs, HV_APIC_TMR, vector);
	if (!l->pi)
		vec_set(l->regs, HV_APIC_IRR, vector);
	else if (!hv_pi_post(level && l->pi_level ? l->pi_level : l->pi,
			     vector))
		return 1;
	return 0;
}

/**
 * hv_lapic_sync() - move the posted vectors into IRR (@l->pi set)
 * @l: the APIC, which the CPU does not hold now
 *
 * Return: how many moved.
 */
unsigned int hv_lapic_sync(struct hv_lapic_regs *l)
{
	u32 *irr = &l->regs[REG(HV_APIC_IRR)];
	unsigned int n = hv_pi_sync(l->pi, irr);

	if (l->pi_level)
		n += hv_pi_sync(l->pi_level, irr);
	return n;
}

/**
 * hv_lapic_ack() - the CPU takes the pending vector (INTA)
 * @l: the APIC
 *
 * Moves the vector hv_lapic_pending() names from IRR to ISR and raises
 * PPR accordingly (11.8.4).
 *
 * Return: the vector, or -1 if none was pending.
 */
int hv_lapic_ack(struct hv_lapic_regs *l)
{
	int v = hv_lapic_pending(l->regs);

	if (v < 0)
		return -1;
	vec_clear(l->regs, HV_APIC_IRR, v);
	vec_set(l->regs, HV_APIC_ISR, v);
	update_ppr(l->regs);
	return v;
}

/**
 * hv_lapic_eoi() - end of interrupt: retire the highest vector in service
 * @l: the APIC
 * @level: set to whether that vector was level-triggered, when one was
 *
 * Clears the highest ISR bit and lowers PPR (11.8.5).
 *
 * Return: the vector retired, or -1 if none was in service.
 */
int hv_lapic_eoi(struct hv_lapic_regs *l, bool *level)
{
	int v = hv_lapic_find_highest(l->regs, HV_APIC_ISR);

	if (v < 0)
		return -1;
	vec_clear(l->regs, HV_APIC_ISR, v);
	*level = hv_lapic_test_vector(l->regs, HV_APIC_TMR, v);
	update_ppr(l->regs);
	return v;
}

/**
 * hv_lapic_timer_divisor() - the timer's divider (11.5.4, Figure 11-10)
 * @tdcr: the divide configuration register
 *
 * Return: 1, 2, 4, ... 128.
 */
unsigned int hv_lapic_timer_divisor(u32 tdcr)
{
	u32 v = (tdcr & 3) | ((tdcr & 8) >> 1);

	return v == 7 ? 1 : 2u << v;
}

/**
 * hv_apic_icr_decode() - the message an ICR value sends (11.6.1)
 * @icr: ICR[63:0]: ICR_HIGH in bits 63:32
 * @x2apic: the sender is in x2APIC mode (32-bit destination)
 * @irq: the message
 */
void hv_apic_icr_decode(u64 icr, bool x2apic, struct hv_apic_irq *irq)
{
	irq->vector = icr & HV_APIC_VECTOR_MASK;
	irq->dm = (icr & HV_APIC_DM_MASK) >> HV_APIC_DM_SHIFT;
	irq->logical = icr & HV_APIC_ICR_LOGICAL;
	irq->assert = icr & HV_APIC_ICR_ASSERT;
	irq->level = icr & HV_APIC_LEVEL_TRIGGER;
	irq->shorthand = (icr >> HV_APIC_ICR_SHORTHAND_SHIFT) & 3;
	irq->wide = x2apic;
	irq->dest = x2apic ? icr >> 32 : (icr >> 56) & 0xff;
}

/**
 * hv_apic_msi_decode() - the message an MSI write sends (11.11)
 * @addr: the address written, 0xfeeXXXXX
 * @data: the data written
 * @irq: the message
 *
 * Address: destination ID in bits 19:12, redirection hint in bit 3,
 * destination mode in bit 2 (Figure 11-24). Data: vector, delivery mode,
 * level and trigger mode as in the ICR (Figure 11-25). A redirection
 * hint turns fixed delivery into lowest priority, as KVM does.
 *
 * Return: false if @addr is not in the 0xfee00000 window.
 */
bool hv_apic_msi_decode(u64 addr, u32 data, struct hv_apic_irq *irq)
{
	if ((addr >> 20) != 0xfee)
		return false;
	memset(irq, 0, sizeof(*irq));
	irq->vector = data & HV_APIC_VECTOR_MASK;
	irq->dm = (data & HV_APIC_DM_MASK) >> HV_APIC_DM_SHIFT;
	irq->assert = data & HV_APIC_ICR_ASSERT;
	irq->level = data & HV_APIC_LEVEL_TRIGGER;
	irq->logical = addr & BIT(2);
	irq->dest = (addr >> 12) & 0xff;
	if ((addr & BIT(3)) && irq->dm == HV_APIC_DM_FIXED)
		irq->dm = HV_APIC_DM_LOWEST;
	return true;
}

/**
 * hv_lapic_match_dest() - whether an APIC is a destination of a message
 * @l: the APIC
 * @irq: the message; its shorthand is the caller's to apply
 *
 * Physical: the APIC ID, or the broadcast ID. Logical (11.6.2.2): in
 * x2APIC mode the cluster (bits 31:16) must equal the LDR's and the
 * member bits intersect; in xAPIC mode the DFR picks flat (LDR & MDA) or
 * cluster (cluster nibble equal, member bits intersect). The broadcast
 * destination of the message's format reaches every APIC.
 *
 * Return: true if @l accepts the message.
 */
bool hv_lapic_match_dest(const struct hv_lapic_regs *l,
			 const struct hv_apic_irq *irq)
{
	bool x2apic = l->mode == HV_APIC_MODE_X2APIC;
	u32 id = get(l->regs, HV_APIC_ID);
	u32 ldr = get(l->regs, HV_APIC_LDR);
	u32 d = irq->dest;

	if (d == (irq->wide ? BROADCAST_X2APIC : BROADCAST_XAPIC))
		return true;
	if (!irq->logical)
		return d == (x2apic ? id : id >> 24);
	if (x2apic)
		return (d >> 16) == (ldr >> 16) && (d & ldr & 0xffff);
	d &= 0xff;
	ldr >>= 24;
	switch (get(l->regs, HV_APIC_DFR) >> 28) {
	case DFR_FLAT:
		return d & ldr;
	case DFR_CLUSTER:
		return (d >> 4) == (ldr >> 4) && (d & ldr & 0xf);
	default:
		return false;
	}
}

static void lvt_write(struct hv_lapic_regs *l, u32 off, u32 val, u32 bits,
		      struct hv_lapic_write *w)
{
	u32 old = get(l->regs, off);

	val = (val & bits) | (old & LVT_RO_BITS & ~HV_APIC_SEND_PENDING);
	/* A software-disabled APIC keeps every entry masked (11.4.7.2). */
	if (!hv_lapic_sw_enabled(l->regs))
		val |= HV_APIC_LVT_MASKED;
	set(l->regs, off, val);
	w->effects |= off == HV_APIC_LVTT ? HV_LAPIC_FX_TIMER : HV_LAPIC_FX_LVT;
}

static u32 timer_bits(const struct hv_lapic_regs *l)
{
	return LVT_TIMER_BITS | (l->tsc_deadline ? HV_APIC_TIMER_TSC_DEADLINE : 0);
}

static bool tsc_deadline_mode(const u32 *regs)
{
	return (get(regs, HV_APIC_LVTT) & HV_APIC_TIMER_MODE_MASK) ==
	       HV_APIC_TIMER_TSC_DEADLINE;
}

static void svr_write(struct hv_lapic_regs *l, u32 val,
		      struct hv_lapic_write *w)
{
	bool was = hv_lapic_sw_enabled(l->regs);
	unsigned int i;

	set(l->regs, HV_APIC_SVR, val & SVR_BITS);
	if (was == hv_lapic_sw_enabled(l->regs))
		return;
	w->effects |= HV_LAPIC_FX_ENABLE;
	if (was)
		for (i = 0; i < ARRAY_SIZE(lvt_offsets); i++)
			set(l->regs, lvt_offsets[i],
			    get(l->regs, lvt_offsets[i]) | HV_APIC_LVT_MASKED);
}

/* Send the message in ICR, or record the illegal vector it carries. */
static void send_ipi(struct hv_lapic_regs *l, struct hv_apic_irq *irq,
		     struct hv_lapic_write *w)
{
	bool vectored = irq->dm == HV_APIC_DM_FIXED ||
			irq->dm == HV_APIC_DM_LOWEST;

	if (vectored && irq->vector < 16) {
		l->esr_pending |= HV_APIC_ESR_SEND_ILLEGAL;
		w->effects |= HV_LAPIC_FX_ERROR;
		return;
	}
	w->ipi = *irq;
	w->effects |= HV_LAPIC_FX_IPI;
}

/* The registers both modes write alike; @val's reserved bits are clear. */
static void common_write(struct hv_lapic_regs *l, u32 off, u32 val,
			 struct hv_lapic_write *w)
{
	switch (off) {
	case HV_APIC_TPR:
		set(l->regs, off, val & TPR_BITS);
		update_ppr(l->regs);
		w->effects |= HV_LAPIC_FX_PPR;
		break;
	case HV_APIC_EOI:
		w->eoi_vector = hv_lapic_eoi(l, &w->eoi_level);
		w->effects |= HV_LAPIC_FX_EOI | HV_LAPIC_FX_PPR;
		break;
	case HV_APIC_SVR:
		svr_write(l, val, w);
		break;
	case HV_APIC_ESR:
		/* A write moves the errors seen since into ESR (11.5.3). */
		set(l->regs, off, l->esr_pending);
		l->esr_pending = 0;
		break;
	case HV_APIC_LVTT:
		lvt_write(l, off, val, timer_bits(l), w);
		break;
	case HV_APIC_LVTTHMR:
	case HV_APIC_LVTPC:
		lvt_write(l, off, val, LVT_DM_BITS, w);
		break;
	case HV_APIC_LVT0:
	case HV_APIC_LVT1:
		lvt_write(l, off, val, LVT_LINT_BITS, w);
		break;
	case HV_APIC_LVTERR:
		lvt_write(l, off, val, LVT_ERR_BITS, w);
		break;
	case HV_APIC_TMICT:
		/* Ignored in TSC-deadline mode (11.5.4.1). */
		if (tsc_deadline_mode(l->regs))
			break;
		set(l->regs, off, val);
		w->effects |= HV_LAPIC_FX_TIMER;
		break;
	case HV_APIC_TDCR:
		set(l->regs, off, val & TDCR_BITS);
		w->effects |= HV_LAPIC_FX_TIMER;
		break;
	}
}

static void write_init(struct hv_lapic_write *w)
{
	memset(w, 0, sizeof(*w));
	w->eoi_vector = -1;
}

/* Register access rights in each mode (Tables 11-1 and 11-6). */
enum { ACC_NONE, ACC_RO, ACC_WO, ACC_RW };

static int access(u32 off, bool x2apic)
{
	switch (off) {
	case HV_APIC_ID:
	case HV_APIC_LDR:
		return x2apic ? ACC_RO : ACC_RW;
	case HV_APIC_LVR:
	case HV_APIC_PPR:
	case HV_APIC_TMCCT:
		return ACC_RO;
	case HV_APIC_APR:
	case HV_APIC_RRD:	/* remote read: reads 0 on integrated APICs */
		return x2apic ? ACC_NONE : ACC_RO;
	case HV_APIC_DFR:
	case HV_APIC_ICR2:	/* x2APIC: the ICR's upper half */
		return x2apic ? ACC_NONE : ACC_RW;
	case HV_APIC_EOI:
		return ACC_WO;
	case HV_APIC_SELF_IPI:
		return x2apic ? ACC_WO : ACC_NONE;
	case HV_APIC_TPR:
	case HV_APIC_SVR:
	case HV_APIC_ESR:
	case HV_APIC_ICR:
	case HV_APIC_LVTT:
	case HV_APIC_LVTTHMR:
	case HV_APIC_LVTPC:
	case HV_APIC_LVT0:
	case HV_APIC_LVT1:
	case HV_APIC_LVTERR:
	case HV_APIC_TMICT:
	case HV_APIC_TDCR:
		return ACC_RW;
	}
	if (off >= HV_APIC_ISR && off < HV_APIC_ESR)
		return ACC_RO;	/* ISR, TMR, IRR */
	return ACC_NONE;
}

static u32 xapic_read_reg(struct hv_lapic_regs *l, u32 off)
{
	switch (access(off, false)) {
	case ACC_NONE:
		l->esr_pending |= HV_APIC_ESR_ILLEGAL_REG;
		return 0;
	case ACC_WO:
		return 0;
	}
	switch (off) {
	case HV_APIC_APR:
		return hv_lapic_apr(l->regs);
	case HV_APIC_PPR:
		return hv_lapic_ppr(l->regs);
	case HV_APIC_RRD:
		return 0;
	default:
		return get(l->regs, off);
	}
}

/**
 * hv_xapic_read() - a read of the xAPIC page
 * @l: the APIC, in xAPIC mode
 * @off: offset in the page, a multiple of 4; the caller extracts the
 *	bytes of a narrower access
 *
 * Only the first dword of each 16-byte slot holds a register; the rest
 * read as 0. TMCCT reads what the caller last stored there.
 *
 * Return: the register's value.
 */
u32 hv_xapic_read(struct hv_lapic_regs *l, u32 off)
{
	if (off >= HV_LAPIC_PAGE_SIZE || (off & 0xf))
		return 0;
	return xapic_read_reg(l, off);
}

/**
 * hv_xapic_write() - a 32-bit write to the xAPIC page
 * @l: the APIC, in xAPIC mode
 * @off: offset in the page; the caller drops accesses that are not 32
 *	bits wide and aligned
 * @val: the value written
 * @w: what the write asks of the rest of the APIC
 *
 * Writable bits take @val; reserved and read-only bits keep their
 * value; read-only registers ignore the write (11.4.1, Table 11-1).
 */
void hv_xapic_write(struct hv_lapic_regs *l, u32 off, u32 val,
		    struct hv_lapic_write *w)
{
	write_init(w);
	if (off >= HV_LAPIC_PAGE_SIZE || (off & 0xf))
		return;
	switch (access(off, false)) {
	case ACC_NONE:
		l->esr_pending |= HV_APIC_ESR_ILLEGAL_REG;
		w->effects |= HV_LAPIC_FX_ERROR;
		return;
	case ACC_RO:
		return;
	}
	switch (off) {
	case HV_APIC_ID:
	case HV_APIC_LDR:
		set(l->regs, off, val & XAPIC_ID_BITS);
		w->effects |= HV_LAPIC_FX_ROUTE;
		return;
	case HV_APIC_DFR:
		set(l->regs, off, (val & DFR_MODEL) | ~DFR_MODEL);
		w->effects |= HV_LAPIC_FX_ROUTE;
		return;
	case HV_APIC_ICR: {
		struct hv_apic_irq irq;

		set(l->regs, off, val & ICR_BITS);
		hv_apic_icr_decode((u64)get(l->regs, HV_APIC_ICR2) << 32 |
				   get(l->regs, off), false, &irq);
		send_ipi(l, &irq, w);
		return;
	}
	case HV_APIC_ICR2:
		set(l->regs, off, val & XAPIC_ID_BITS);
		return;
	default:
		common_write(l, off, val, w);
		return;
	}
}

/*
 * The offsets whose writes APIC-register virtualization puts in the page
 * and then leaves to hv with an APIC-write exit (SDM Vol. 3C, 30.4.3.1
 * and 30.4.3.2); TPR and EOI the CPU completes itself, ICR high needs
 * nothing more.
 */
static const u32 trapped_offsets[HV_XAPIC_NR_TRAPPED] = {
	HV_APIC_ID, HV_APIC_LDR, HV_APIC_DFR, HV_APIC_SVR, HV_APIC_ESR,
	HV_APIC_ICR, HV_APIC_LVTT, HV_APIC_LVTTHMR,
	HV_APIC_LVTPC, HV_APIC_LVT0, HV_APIC_LVT1, HV_APIC_LVTERR,
	HV_APIC_TMICT, HV_APIC_TDCR,
};

/**
 * hv_xapic_trap_save() - remember the registers a write through the
 * APIC-access page may change, after hv changed any of them
 * @l: the APIC, in xAPIC mode
 */
void hv_xapic_trap_save(struct hv_lapic_regs *l)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(trapped_offsets); i++)
		l->trapped[i] = get(l->regs, trapped_offsets[i]);
}

/**
 * hv_xapic_trap_take() - the value the CPU wrote to a register of the page
 * before an APIC-write exit; the register gets back what hv left in it
 * @l: the APIC, in xAPIC mode
 * @off: the offset the exit names; bits 3:0 are the access's, the CPU
 *	having put its bytes in the register's slot already
 * @val: the value written
 *
 * Writes then go through hv_xapic_write() as if intercepted, seeing the
 * register's old value (a software enable, an LVT entry's read-only
 * bits, the timer's mode and divider).
 *
 * Return: true with @val set; false (the page unchanged) for an offset
 * the CPU does not leave to hv.
 */
bool hv_xapic_trap_take(struct hv_lapic_regs *l, u32 off, u32 *val)
{
	unsigned int i;

	off &= HV_LAPIC_PAGE_SIZE - 0x10;
	for (i = 0; i < ARRAY_SIZE(trapped_offsets); i++) {
		if (trapped_offsets[i] != off)
			continue;
		*val = get(l->regs, off);
		set(l->regs, off, l->trapped[i]);
		return true;
	}
	return false;
}

/**
 * hv_x2apic_read() - RDMSR of an x2APIC register
 * @l: the APIC, in x2APIC mode
 * @msr: the MSR, 0x800-0x8ff
 * @val: the value read: ICR is 64 bits, every other register 32
 *
 * Return: 0; -EINVAL (#GP) for an MSR with no register or a write-only
 * one (EOI, SELF IPI).
 */
int hv_x2apic_read(struct hv_lapic_regs *l, u32 msr, u64 *val)
{
	u32 off = (msr - HV_X2APIC_MSR_BASE) << 4;
	int acc;

	if (msr < HV_X2APIC_MSR_BASE || msr > HV_X2APIC_MSR_END)
		return -EINVAL;
	acc = access(off, true);
	if (acc == ACC_NONE || acc == ACC_WO)
		return -EINVAL;
	switch (off) {
	case HV_APIC_PPR:
		*val = hv_lapic_ppr(l->regs);
		break;
	case HV_APIC_ICR:
		*val = (u64)get(l->regs, HV_APIC_ICR2) << 32 |
		       get(l->regs, HV_APIC_ICR);
		break;
	default:
		*val = get(l->regs, off);
		break;
	}
	return 0;
}

/* The bits of an x2APIC register that WRMSR may set without #GP. */
static u64 x2apic_writable(const struct hv_lapic_regs *l, u32 off)
{
	switch (off) {
	case HV_APIC_TPR:
		return TPR_BITS;
	case HV_APIC_SVR:
		return SVR_BITS;
	case HV_APIC_ICR:
		return ~X2APIC_ICR_RSVD;
	case HV_APIC_LVTT:
		return timer_bits(l) | LVT_RO_BITS;
	case HV_APIC_LVTTHMR:
	case HV_APIC_LVTPC:
		return LVT_DM_BITS | LVT_RO_BITS;
	case HV_APIC_LVT0:
	case HV_APIC_LVT1:
		return LVT_LINT_BITS | LVT_RO_BITS;
	case HV_APIC_LVTERR:
		return LVT_ERR_BITS | LVT_RO_BITS;
	case HV_APIC_TMICT:
		return 0xffffffff;
	case HV_APIC_TDCR:
		return TDCR_BITS;
	case HV_APIC_SELF_IPI:
		return HV_APIC_VECTOR_MASK;
	default:
		return 0;	/* EOI and ESR take only 0 */
	}
}

/**
 * hv_x2apic_write() - WRMSR of an x2APIC register
 * @l: the APIC, in x2APIC mode
 * @msr: the MSR, 0x800-0x8ff
 * @val: the value written
 * @w: what the write asks of the rest of the APIC
 *
 * Reserved bits must be zero (11.12.1.3): EOI and ESR take only 0, bits
 * 63:32 of every register but ICR are reserved. The read-only bits of
 * the LVT entries and ICR (delivery status, remote IRR) are ignored. A
 * write to SELF IPI sends a fixed, edge-triggered IPI to this APIC
 * (11.12.11).
 *
 * Return: 0; -EINVAL (#GP, nothing changed) for an MSR with no register,
 * a read-only register or a reserved bit set.
 */
int hv_x2apic_write(struct hv_lapic_regs *l, u32 msr, u64 val,
		    struct hv_lapic_write *w)
{
	u32 off = (msr - HV_X2APIC_MSR_BASE) << 4;
	struct hv_apic_irq irq;
	int acc;

	write_init(w);
	if (msr < HV_X2APIC_MSR_BASE || msr > HV_X2APIC_MSR_END)
		return -EINVAL;
	acc = access(off, true);
	if (acc == ACC_NONE || acc == ACC_RO)
		return -EINVAL;
	if (val & ~x2apic_writable(l, off))
		return -EINVAL;
	switch (off) {
	case HV_APIC_ICR:
		val &= ~(u64)HV_APIC_SEND_PENDING;
		set(l->regs, HV_APIC_ICR, (u32)val);
		set(l->regs, HV_APIC_ICR2, val >> 32);
		hv_apic_icr_decode(val, true, &irq);
		send_ipi(l, &irq, w);
		break;
	case HV_APIC_SELF_IPI:
		memset(&irq, 0, sizeof(irq));
		irq.vector = val;
		irq.dm = HV_APIC_DM_FIXED;
		irq.shorthand = HV_APIC_DEST_SELF;
		irq.wide = true;
		send_ipi(l, &irq, w);
		break;
	default:
		common_write(l, off, val, w);
		break;
	}
	return 0;
}

/**
 * hv_apic_base_mode() - the APIC mode an IA32_APIC_BASE value selects
 * @base: the MSR's value
 *
 * Return: the mode; EN = 0 with EXTD = 1 (invalid) reads as disabled.
 */
enum hv_apic_mode hv_apic_base_mode(u64 base)
{
	if (!(base & HV_APIC_BASE_EN))
		return HV_APIC_MODE_DISABLED;
	return base & HV_APIC_BASE_EXTD ? HV_APIC_MODE_X2APIC :
					  HV_APIC_MODE_XAPIC;
}

/**
 * hv_apic_base_check() - whether a WRMSR to IA32_APIC_BASE is allowed
 * @old: the MSR's value
 * @val: the value written
 * @reserved: the bits that must be zero: bits 0-7 and 9, bits from
 *	MAXPHYADDR up, and EXTD when CPUID does not offer x2APIC
 * @mode: the mode @val selects, when allowed
 *
 * The transitions of Figure 11-27 (11.12.5): disabled to xAPIC, xAPIC to
 * x2APIC, and either to disabled. EN = 0 with EXTD = 1, x2APIC to
 * xAPIC and disabled to x2APIC raise #GP.
 *
 * Return: 0, or -EINVAL (#GP).
 */
int hv_apic_base_check(u64 old, u64 val, u64 reserved,
		       enum hv_apic_mode *mode)
{
	enum hv_apic_mode from = hv_apic_base_mode(old);
	enum hv_apic_mode to = hv_apic_base_mode(val);

	if (val & reserved)
		return -EINVAL;
	if ((val & (HV_APIC_BASE_EN | HV_APIC_BASE_EXTD)) == HV_APIC_BASE_EXTD)
		return -EINVAL;
	if (from == HV_APIC_MODE_X2APIC && to == HV_APIC_MODE_XAPIC)
		return -EINVAL;
	if (from == HV_APIC_MODE_DISABLED && to == HV_APIC_MODE_X2APIC)
		return -EINVAL;
	*mode = to;
	return 0;
}

/**
 * hv_lapic_regs_check() - whether saved registers can be restored
 * @src: the saved registers, xAPIC layout, HV_LAPIC_SAVED_SIZE bytes
 * @x2apic: the record's IA32_APIC_BASE is in x2APIC mode
 * @id: the APIC ID of this vCPU
 * @why: receives what is wrong, on failure
 *
 * Return: 0, or -EINVAL with @why set.
 */
int hv_lapic_regs_check(const u32 *src, bool x2apic, u32 id, const char **why)
{
	static const u32 vec_bases[] = { HV_APIC_ISR, HV_APIC_TMR, HV_APIC_IRR };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vec_bases); i++) {
		if (src[REG(vec_bases[i])] & 0xffff) {
			*why = "lapic: IRR, ISR and TMR cannot hold vectors 0-15";
			return -EINVAL;
		}
	}
	if (x2apic && src[REG(HV_APIC_ID)] != id) {
		*why = "lapic: in x2APIC mode the ID is the vcpu's";
		return -EINVAL;
	}
	return 0;
}

/**
 * hv_lapic_regs_restore() - load the registers of a saved record
 * @l: the APIC; its mode already the record's (IA32_APIC_BASE)
 * @src: the saved registers, xAPIC layout, HV_LAPIC_SAVED_SIZE bytes
 * @id: the APIC ID of this vCPU
 * @why: receives what is wrong, on failure
 *
 * The record is checked first and nothing changes if it is refused. The
 * version is the APIC's own; PPR and APR are computed when read; every
 * register keeps only the bits a write could set (with the read-only
 * LVT bits and ESR as saved), registers the mode does not have read 0.
 * A software-disabled APIC keeps its LVT entries masked (11.4.7.2).
 *
 * Return: 0, or -EINVAL with @why set.
 */
int hv_lapic_regs_restore(struct hv_lapic_regs *l, const u32 *src, u32 id,
			  const char **why)
{
	bool x2apic = l->mode == HV_APIC_MODE_X2APIC;
	u32 version = get(l->regs, HV_APIC_LVR), off, v;
	unsigned int i;
	int err;

	err = hv_lapic_regs_check(src, x2apic, id, why);
	if (err)
		return err;
	for (off = 0; off < HV_LAPIC_SAVED_SIZE; off += 16) {
		v = src[REG(off)];
		if (access(off, x2apic) == ACC_NONE && off != HV_APIC_ICR2)
			v = 0;
		set(l->regs, off, v);
	}
	set(l->regs, HV_APIC_LVR, version);
	set(l->regs, HV_APIC_PPR, 0);
	set(l->regs, HV_APIC_APR, 0);
	set(l->regs, HV_APIC_EOI, 0);
	set(l->regs, HV_APIC_TPR, get(l->regs, HV_APIC_TPR) & TPR_BITS);
	set(l->regs, HV_APIC_SVR, get(l->regs, HV_APIC_SVR) & SVR_BITS);
	set(l->regs, HV_APIC_TDCR, get(l->regs, HV_APIC_TDCR) & TDCR_BITS);
	set(l->regs, HV_APIC_ICR,
	    get(l->regs, HV_APIC_ICR) & ICR_BITS & ~HV_APIC_SEND_PENDING);
	if (x2apic) {
		set(l->regs, HV_APIC_LDR, hv_lapic_x2apic_ldr(id));
	} else {
		set(l->regs, HV_APIC_ID, get(l->regs, HV_APIC_ID) & XAPIC_ID_BITS);
		set(l->regs, HV_APIC_LDR,
		    get(l->regs, HV_APIC_LDR) & XAPIC_ID_BITS);
		set(l->regs, HV_APIC_DFR,
		    (get(l->regs, HV_APIC_DFR) & DFR_MODEL) | ~DFR_MODEL);
		set(l->regs, HV_APIC_ICR2,
		    get(l->regs, HV_APIC_ICR2) & XAPIC_ID_BITS);
	}
	for (i = 0; i < ARRAY_SIZE(lvt_offsets); i++) {
		off = lvt_offsets[i];
		v = off == HV_APIC_LVTT ? timer_bits(l) :
		    off == HV_APIC_LVT0 || off == HV_APIC_LVT1 ? LVT_LINT_BITS :
		    off == HV_APIC_LVTERR ? LVT_ERR_BITS : LVT_DM_BITS;
		v = get(l->regs, off) & (v | LVT_RO_BITS);
		if (!hv_lapic_sw_enabled(l->regs))
			v |= HV_APIC_LVT_MASKED;
		set(l->regs, off, v);
	}
	return 0;
}
