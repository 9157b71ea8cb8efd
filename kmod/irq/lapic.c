// SPDX-License-Identifier: GPL-2.0
/*
 * Each vCPU's local APIC (DESIGN rule 6; SDM Vol. 3A, ch. 11). The
 * register semantics are lapic_regs.c's; this file holds the per-vCPU
 * object, IA32_APIC_BASE, the two ways in (the xAPIC page and the x2APIC
 * MSRs), the routing of interrupt messages between the APICs of a VM and
 * the hand-over of the due vector to the vCPU's next entry.
 *
 * Delivery follows the kick protocol of run.c: whoever makes a vector
 * due (an accepted message, an EOI or TPR write that lowers PPR) sets
 * HV_REQ_EVENT on the vCPU after changing the registers, and the vCPU
 * clears it before it looks at them, with interrupts off, just before
 * entry.
 *
 * Locking: each APIC's registers are under its own lock, taken with
 * interrupts off because messages will also arrive from timers and
 * eventfd wake-ups. A sender never holds its own lock while it takes a
 * destination's, so two vCPUs sending to each other cannot deadlock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/moduleparam.h>
#include <net/netlink.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/trapnr.h>

#include "backend.h"
#include "compat.h"
#include "hv_host.h"
#include "irq/irq.h"
#include "irq/lapic.h"

/*
 * IA32_APIC_BASE bits that must be zero: 0-7, 9, and those at and above
 * MAXPHYADDR (SDM Figure 11-5). The guest's MAXPHYADDR is the host's
 * (CPUID 0x80000008 is passed through).
 */
static u64 base_reserved(void)
{
	return 0x2ffULL | ~((1ULL << boot_cpu_data.x86_phys_bits) - 1);
}

/*
 * apicv=auto uses as much of the CPU's APIC virtualization as it offers;
 * apicv=off keeps every APIC access and interrupt in hv, to compare.
 */
static bool apicv_param = true;

static int apicv_param_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "auto"))
		apicv_param = true;
	else if (sysfs_streq(val, "off"))
		apicv_param = false;
	else
		return -EINVAL;
	return 0;
}

static int apicv_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", apicv_param ? "auto" : "off");
}

static const struct kernel_param_ops apicv_param_ops = {
	.set = apicv_param_set,
	.get = apicv_param_get,
};
module_param_cb(apicv, &apicv_param_ops, NULL, 0444);
MODULE_PARM_DESC(apicv, "the CPU's APIC virtualization: auto (as much as it has) or off");

enum hv_apicv hv_apicv __ro_after_init;
static const char *apicv_reason __ro_after_init;

/**
 * hv_apicv_choose() - settle how much of the APIC the CPU virtualizes
 *
 * Context: module init, after the backend's setup.
 */
void __init hv_apicv_choose(void)
{
	const char *why = NULL;

	if (!apicv_param) {
		hv_apicv = HV_APICV_OFF;
		apicv_reason = "apicv=off";
		return;
	}
	hv_apicv = hv_be_apicv_mode(&why);
	apicv_reason = why ?: "the CPU virtualizes the APIC and processes posted interrupts";
}

/**
 * hv_apicv_name() - hv_apicv for people: "off", "vid" or "posted"
 *
 * Return: a static string.
 */
const char *hv_apicv_name(void)
{
	static const char *const names[] = {
		[HV_APICV_OFF] = "off",
		[HV_APICV_VID] = "vid",
		[HV_APICV_POSTED] = "posted",
	};

	return names[hv_apicv];
}

/**
 * hv_apicv_reason() - why hv_apicv is what it is
 *
 * Return: a static sentence.
 */
const char *hv_apicv_reason(void)
{
	return apicv_reason;
}

/**
 * hv_lapic_create() - give a new vCPU its local APIC, in the RESET state
 * @vcpu: the vCPU, not running yet
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int hv_lapic_create(struct hv_vcpu *vcpu)
{
	struct hv_lapic *l;

	l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
	if (!l)
		return -ENOMEM;
	l->r.regs = (u32 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!l->r.regs) {
		kfree(l);
		return -ENOMEM;
	}
	if (hv_apicv != HV_APICV_OFF) {
		/* kmalloc aligns a 64-byte object to 64 bytes (29.6). */
		l->r.pi = kzalloc(sizeof(*l->r.pi), GFP_KERNEL_ACCOUNT);
		if (hv_apicv == HV_APICV_POSTED)
			l->r.pi_level = kzalloc(sizeof(*l->r.pi_level),
						GFP_KERNEL_ACCOUNT);
		if (!l->r.pi || (hv_apicv == HV_APICV_POSTED &&
				 !l->r.pi_level)) {
			kfree(l->r.pi);
			kfree(l->r.pi_level);
			free_page((unsigned long)l->r.regs);
			kfree(l);
			return -ENOMEM;
		}
	}
	spin_lock_init(&l->lock);
	l->vcpu = vcpu;
	l->r.tsc_deadline = true;
	hv_lapic_timer_init(l);
	vcpu->timer_tsc = U64_MAX;
	vcpu->lapic = l;
	hv_lapic_reset(vcpu, false);
	return 0;
}

/**
 * hv_lapic_free() - free a vCPU's local APIC
 * @vcpu: the vCPU, whose thread is gone
 */
void hv_lapic_free(struct hv_vcpu *vcpu)
{
	struct hv_lapic *l = vcpu->lapic;

	if (!l)
		return;
	hv_apic_page_release(vcpu);
	hrtimer_cancel(&l->timer);
	free_page((unsigned long)l->r.regs);
	kfree(l->r.pi);
	kfree(l->r.pi_level);
	kfree(l);
	vcpu->lapic = NULL;
}

/* The registers were reset or loaded: what was posted before is gone. */
static void forget_posted(struct hv_lapic *l)
{
	if (l->r.pi)
		hv_pi_clear(l->r.pi);
	if (l->r.pi_level)
		hv_pi_clear(l->r.pi_level);
}

/* Posted vectors into IRR, with the CPU not holding the page. Lock held. */
static void sync_posted(struct hv_lapic *l)
{
	if (l->r.pi)
		l->vcpu->stats[HV_STAT_INTR_POSTED] += hv_lapic_sync(&l->r);
}

/**
 * hv_lapic_page() - the APIC's register page, for the CPU's virtual-APIC
 * page (hv_apicv not off)
 * @vcpu: the vCPU
 *
 * Return: its physical address.
 */
phys_addr_t hv_lapic_page(struct hv_vcpu *vcpu)
{
	return virt_to_phys(vcpu->lapic->r.regs);
}

/**
 * hv_lapic_pi_desc() - the vCPU's posted-interrupt descriptor
 * @vcpu: the vCPU
 *
 * Return: the descriptor the CPU processes (hv_apicv HV_APICV_POSTED).
 */
struct hv_pi_desc *hv_lapic_pi_desc(struct hv_vcpu *vcpu)
{
	return vcpu->lapic->r.pi;
}

/**
 * hv_lapic_reset() - RESET or INIT the local APIC
 * @vcpu: the vCPU, not running
 * @init: INIT, which keeps IA32_APIC_BASE and the APIC ID (11.12.5.1);
 *	RESET enables the APIC in xAPIC mode at 0xfee00000, with the BSP
 *	flag on vCPU 0
 */
void hv_lapic_reset(struct hv_vcpu *vcpu, bool init)
{
	struct hv_lapic *l = vcpu->lapic;
	enum hv_apic_mode mode;
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	if (!init)
		l->base = HV_APIC_BASE_DEFAULT | HV_APIC_BASE_EN |
			  (vcpu->id == 0 ? HV_APIC_BASE_BSP : 0);
	mode = hv_apic_base_mode(l->base);
	hv_lapic_timer_disarm(l);
	l->deadline = 0;
	hv_lapic_regs_reset(&l->r, vcpu->id, mode == HV_APIC_MODE_X2APIC);
	hv_xapic_trap_save(&l->r);
	forget_posted(l);
	l->r.mode = mode;
	spin_unlock_irqrestore(&l->lock, flags);
	hv_apic_page_update(vcpu);
}

/**
 * hv_lapic_enabled() - whether IA32_APIC_BASE enables the APIC (EN)
 * @vcpu: the vCPU
 *
 * CPUID.1:EDX.APIC follows it (SDM Vol. 2A, CPUID).
 *
 * Return: true if enabled, in either mode.
 */
bool hv_lapic_enabled(struct hv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->lapic->base) & HV_APIC_BASE_EN;
}

/*
 * A WRMSR to IA32_APIC_BASE. Leaving a mode resets the registers but for
 * the ID (11.12.5.1: no state survives a transition through disabled);
 * entering x2APIC mode gives the 32-bit ID and the derived LDR.
 */
static int set_base(struct hv_vcpu *vcpu, u64 val)
{
	struct hv_lapic *l = vcpu->lapic;
	enum hv_apic_mode mode;
	unsigned long flags;
	int err;

	spin_lock_irqsave(&l->lock, flags);
	err = hv_apic_base_check(l->base, val, base_reserved(), &mode);
	if (err)
		goto out;
	if (mode == HV_APIC_MODE_DISABLED && l->r.mode != mode) {
		hv_lapic_timer_disarm(l);
		l->deadline = 0;
		hv_lapic_regs_reset(&l->r, vcpu->id, false);
	} else if (mode == HV_APIC_MODE_X2APIC && l->r.mode != mode) {
		l->r.regs[HV_APIC_ID / 4] = vcpu->id;
		l->r.regs[HV_APIC_LDR / 4] = hv_lapic_x2apic_ldr(vcpu->id);
	}
	l->r.mode = mode;
	WRITE_ONCE(l->base, val);
	hv_xapic_trap_save(&l->r);
out:
	spin_unlock_irqrestore(&l->lock, flags);
	if (err)
		return err;
	/* The CPU's view of the APIC (its mode, its registers) changes too. */
	hv_apic_page_update(vcpu);
	set_bit(HV_REQ_EVENT, &vcpu->requests);
	return 0;
}

/**
 * hv_lapic_signal_error() - an error entered the ESR: raise the error
 * LVT entry's interrupt (SDM Vol. 3A 11.5.3)
 * @l: the APIC; its lock held
 *
 * An illegal vector in the entry itself only records one more error.
 *
 * Return: true if a vector was requested: the caller kicks the vCPU.
 */
bool hv_lapic_signal_error(struct hv_lapic *l)
{
	u32 lvterr = l->r.regs[HV_APIC_LVTERR / 4];

	if (lvterr & HV_APIC_LVT_MASKED)
		return false;
	return !hv_lapic_accept(&l->r, lvterr & HV_APIC_VECTOR_MASK, false);
}

/**
 * hv_lapic_take() - an APIC receives a vector (a message, its timer)
 * @l: the APIC; its lock held
 * @vector: the vector
 * @level: level-triggered
 *
 * A disabled APIC takes nothing; an illegal vector raises the error
 * entry instead (11.5.3).
 *
 * Return: true if a vector was requested: the caller kicks the vCPU.
 */
bool hv_lapic_take(struct hv_lapic *l, u8 vector, bool level)
{
	int err;

	if (l->r.mode == HV_APIC_MODE_DISABLED)
		return false;
	err = hv_lapic_accept(&l->r, vector, level);
	return !err || (err == -EINVAL && hv_lapic_signal_error(l));
}

/**
 * hv_lapic_notify() - a vector was accepted for @t: its next entry sees it
 * @t: the vCPU
 * @level: the vector is level-triggered (and was posted where the CPU
 *	does not look)
 *
 * Where the CPU processes posted interrupts, an edge-triggered vector
 * reaches a vCPU in guest mode without an exit (hv_vcpu_kick_posted());
 * otherwise the vCPU is kicked.
 *
 * Context: any but NMI; does not sleep.
 */
void hv_lapic_notify(struct hv_vcpu *t, bool level)
{
	if (hv_apicv == HV_APICV_POSTED && !level)
		hv_vcpu_kick_posted(t);
	else
		hv_vcpu_kick(t, HV_REQ_EVENT);
}

/* Accept a fixed or lowest-priority message into @t's IRR. */
static void accept(struct hv_vcpu *t, const struct hv_apic_irq *irq)
{
	struct hv_lapic *l = t->lapic;
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&l->lock, flags);
	kick = hv_lapic_take(l, irq->vector, irq->level);
	spin_unlock_irqrestore(&l->lock, flags);
	if (kick)
		hv_lapic_notify(t, irq->level);
}

/*
 * Whether @t is a destination of @irq sent by @src; its APR if so and
 * @apr is not NULL (lowest priority arbitrates on it).
 */
static bool is_dest(struct hv_vcpu *src, struct hv_vcpu *t,
		    const struct hv_apic_irq *irq, u32 *apr)
{
	struct hv_lapic *l = t->lapic;
	unsigned long flags;
	bool hit;

	spin_lock_irqsave(&l->lock, flags);
	switch (irq->shorthand) {
	case HV_APIC_DEST_SELF:
		hit = t == src;
		break;
	case HV_APIC_DEST_ALL:
		hit = true;
		break;
	case HV_APIC_DEST_ALL_BUT_SELF:
		hit = t != src;
		break;
	default:
		hit = hv_lapic_match_dest(&l->r, irq);
		break;
	}
	hit = hit && l->r.mode != HV_APIC_MODE_DISABLED;
	if (hit && apr)
		*apr = hv_lapic_apr(l->r.regs);
	spin_unlock_irqrestore(&l->lock, flags);
	return hit;
}

/*
 * Deliver a message from @src (NULL: from a device, an MSI): fixed to
 * every destination, lowest priority to the destination with the lowest
 * arbitration priority (11.6.2.4; the first such vCPU on a tie); INIT,
 * SIPI and NMI to the destinations' threads, which act on them outside
 * the guest (run.c) or at the next entry (NMI). SMI and
 * external-interrupt messages are not delivered.
 */
static void send(struct hv_vm *vm, struct hv_vcpu *src,
		 const struct hv_apic_irq *irq)
{
	struct hv_vcpu *lowest = NULL;
	u32 i, n, apr, lowest_apr = U32_MAX;

	switch (irq->dm) {
	case HV_APIC_DM_FIXED:
	case HV_APIC_DM_LOWEST:
		break;
	case HV_APIC_DM_INIT:
		/* INIT level de-assert only synchronizes arbitration IDs. */
		if (irq->level && !irq->assert)
			return;
		break;
	case HV_APIC_DM_SIPI:
	case HV_APIC_DM_NMI:
		break;
	default:
		return;
	}
	/* vm->nr_vcpus only grows, and vcpus[] entries are set before it. */
	n = READ_ONCE(vm->nr_vcpus);
	for (i = 0; i < n; i++) {
		struct hv_vcpu *t = vm->vcpus[i];

		if (!is_dest(src, t, irq,
			     irq->dm == HV_APIC_DM_LOWEST ? &apr : NULL))
			continue;
		if (irq->dm == HV_APIC_DM_INIT) {
			hv_vcpu_kick(t, HV_REQ_INIT);
		} else if (irq->dm == HV_APIC_DM_SIPI) {
			/* The target ignores it unless it waits for one. */
			WRITE_ONCE(t->sipi_vector, irq->vector);
			hv_vcpu_kick(t, HV_REQ_SIPI);
		} else if (irq->dm == HV_APIC_DM_NMI) {
			/* The vector is ignored (SDM 11.6.1). */
			set_bit(HV_REQ_NMI, &t->requests);
			hv_vcpu_kick(t, HV_REQ_EVENT);
		} else if (irq->dm == HV_APIC_DM_FIXED) {
			accept(t, irq);
		} else if (apr < lowest_apr) {
			lowest = t;
			lowest_apr = apr;
		}
	}
	if (lowest)
		accept(lowest, irq);
}

/*
 * A write to the register at @off, through the page or (@x2apic) its
 * MSR, with what it asks of the timer and the error entry done under
 * the APIC's lock; the rest is after_write()'s, outside it.
 */
static int write_reg(struct hv_lapic *l, u32 off, u64 val, bool x2apic,
		     struct hv_lapic_write *w)
{
	u32 old_lvtt = l->r.regs[HV_APIC_LVTT / 4];
	u32 old_tdcr = l->r.regs[HV_APIC_TDCR / 4];
	int err = 0;

	if (x2apic)
		err = hv_x2apic_write(&l->r, HV_X2APIC_MSR_BASE + (off >> 4),
				      val, w);
	else
		hv_xapic_write(&l->r, off, val, w);
	if (err)
		return err;
	if (w->effects & HV_LAPIC_FX_TIMER)
		hv_lapic_timer_write(l, off, old_lvtt, old_tdcr);
	/* The write's own error (illegal register, illegal vector sent). */
	if ((w->effects & HV_LAPIC_FX_ERROR) && hv_lapic_signal_error(l))
		w->effects |= HV_LAPIC_FX_PPR;
	if (!x2apic)
		hv_xapic_trap_save(&l->r);
	return 0;
}

/**
 * hv_lapic_msi_route() - check and decode an MSI hv can deliver
 * @addr: the address written (SDM Vol. 3A, 11.11.1)
 * @data: the data written (11.11.2)
 * @irq: receives the message
 * @extack: names the problem on failure
 *
 * Return: 0; -EINVAL for an address outside the 0xfee00000 window;
 * -EOPNOTSUPP for delivery modes other than fixed, lowest priority and NMI.
 */
int hv_lapic_msi_route(u64 addr, u32 data, struct hv_apic_irq *irq,
		       struct netlink_ext_ack *extack)
{
	if (!hv_apic_msi_decode(addr, data, irq)) {
		NL_SET_ERR_MSG(extack,
			       "msi-addr is not in the 0xfee00000-0xfeefffff window");
		return -EINVAL;
	}
	if (irq->dm != HV_APIC_DM_FIXED && irq->dm != HV_APIC_DM_LOWEST &&
	    irq->dm != HV_APIC_DM_NMI) {
		NL_SET_ERR_MSG(extack,
			       "only fixed, lowest-priority and NMI MSIs are delivered so far");
		return -EOPNOTSUPP;
	}
	return 0;
}

/**
 * hv_lapic_deliver() - deliver a device's message to a VM's APICs
 * @vm: the VM, alive (its vCPUs are not freed meanwhile)
 * @irq: a message hv_lapic_msi_route() accepted
 *
 * Context: any context but NMI; does not sleep (irqfd wake-ups call it
 * with their eventfd's lock held).
 */
void hv_lapic_deliver(struct hv_vm *vm, const struct hv_apic_irq *irq)
{
	send(vm, NULL, irq);
}

/**
 * hv_lapic_msi() - deliver a message-signalled interrupt (vm-msi)
 * @vm: the VM; vm->lock held
 * @addr: the address written (SDM Vol. 3A, 11.11.1)
 * @data: the data written (11.11.2)
 * @extack: names the problem on failure
 *
 * Context: process context; does not sleep.
 * Return: 0, or the errors of hv_lapic_msi_route().
 */
int hv_lapic_msi(struct hv_vm *vm, u64 addr, u32 data,
		 struct netlink_ext_ack *extack)
{
	struct hv_apic_irq irq;
	int err;

	err = hv_lapic_msi_route(addr, data, &irq, extack);
	if (!err)
		hv_lapic_deliver(vm, &irq);
	return err;
}

static void after_write(struct hv_vcpu *vcpu, const struct hv_lapic_write *w)
{
	/*
	 * A lower PPR or an enabled APIC may let a requested vector in (and
	 * an error's own vector was requested with FX_PPR).
	 */
	if (w->effects & (HV_LAPIC_FX_PPR | HV_LAPIC_FX_ENABLE))
		set_bit(HV_REQ_EVENT, &vcpu->requests);
	if (w->effects & HV_LAPIC_FX_ENABLE)
		hv_apic_page_update(vcpu);
	/* The owner's IOAPIC clears Remote IRR on it (DESIGN.md). */
	if ((w->effects & HV_LAPIC_FX_EOI) && w->eoi_vector >= 0 &&
	    w->eoi_level) {
		__set_bit(w->eoi_vector, vcpu->eoi_pending);
		set_bit(HV_REQ_EOI, &vcpu->requests);
	}
	if (w->effects & HV_LAPIC_FX_IPI) {
		vcpu->stats[HV_STAT_IPIS]++;
		send(vcpu->vm, vcpu, &w->ipi);
	}
}

static_assert(HV_LAPIC_SAVED_SIZE == HV_LAPIC_STATE_SIZE);

/**
 * hv_lapic_get_state() - the APIC's part of the register record
 * @vcpu: the vCPU, stopped
 * @r: receives apic_base, tsc_deadline and lapic (TMCCT the current
 *	count, PPR and APR as a read returns them)
 */
void hv_lapic_get_state(struct hv_vcpu *vcpu, struct hv_regs *r)
{
	struct hv_lapic *l = vcpu->lapic;
	unsigned long flags;
	u32 *page = (u32 *)r->lapic;
	bool kick;

	spin_lock_irqsave(&l->lock, flags);
	kick = hv_lapic_timer_catch_up(l);
	sync_posted(l);
	r->apic_base = l->base;
	r->tsc_deadline = hv_lapic_deadline_read(l);
	l->r.regs[HV_APIC_TMCCT / 4] = hv_lapic_timer_count(l);
	memcpy(page, l->r.regs, HV_LAPIC_STATE_SIZE);
	page[HV_APIC_PPR / 4] = hv_lapic_ppr(l->r.regs);
	page[HV_APIC_APR / 4] = hv_lapic_apr(l->r.regs);
	spin_unlock_irqrestore(&l->lock, flags);
	if (kick)
		hv_lapic_notify(vcpu, false);
}

/**
 * hv_lapic_check_state() - whether the APIC's part of a record can load
 * @vcpu: the vCPU
 * @r: the record
 * @extack: names the problem on failure
 *
 * Return: 0, or -EINVAL with the reason.
 */
int hv_lapic_check_state(struct hv_vcpu *vcpu, const struct hv_regs *r,
			 struct netlink_ext_ack *extack)
{
	const char *why = NULL;
	int err;

	if ((r->apic_base & base_reserved()) ||
	    ((r->apic_base & HV_APIC_BASE_EXTD) &&
	     !(r->apic_base & HV_APIC_BASE_EN))) {
		NL_SET_ERR_MSG(extack,
			       "apic-base has reserved bits set, or EXTD without EN");
		return -EINVAL;
	}
	err = hv_lapic_regs_check((const u32 *)r->lapic,
				  hv_apic_base_mode(r->apic_base) ==
				  HV_APIC_MODE_X2APIC, vcpu->id, &why);
	hv_extack_msg(extack, why);
	return err;
}

/**
 * hv_lapic_set_state() - load the APIC's part of a register record
 * @vcpu: the vCPU, stopped
 * @r: the record, which hv_lapic_check_state() accepted: apic_base,
 *	tsc_deadline (against r->tsc) and lapic
 *
 * IA32_APIC_BASE may be any state of Figure 11-27, not only a transition
 * from the current one (a snapshot starts anywhere); the registers are
 * masked by hv_lapic_regs_restore(); the timer goes on from the record's
 * TMCCT.
 *
 * Context: process context; does not sleep.
 */
void hv_lapic_set_state(struct hv_vcpu *vcpu, const struct hv_regs *r)
{
	struct hv_lapic *l = vcpu->lapic;
	const u32 *page = (const u32 *)r->lapic;
	const char *why = NULL;
	unsigned long flags;
	bool kick;

	spin_lock_irqsave(&l->lock, flags);
	l->r.mode = hv_apic_base_mode(r->apic_base);
	/* hv_lapic_check_state() accepted it. */
	WARN_ON_ONCE(hv_lapic_regs_restore(&l->r, page, vcpu->id, &why));
	l->base = r->apic_base;
	l->r.esr_pending = 0;
	forget_posted(l);
	hv_lapic_timer_disarm(l);
	kick = hv_lapic_timer_restore(l, page[HV_APIC_TMCCT / 4],
				      r->tsc_deadline, r->tsc);
	hv_xapic_trap_save(&l->r);
	spin_unlock_irqrestore(&l->lock, flags);
	hv_apic_page_update(vcpu);
	set_bit(HV_REQ_EVENT, &vcpu->requests);
	if (kick)
		hv_vcpu_kick(vcpu, HV_REQ_EVENT);
}

/**
 * hv_lapic_get_cr8() - CR8, the guest's view of TPR[7:4] (SDM 11.8.6.1)
 * @vcpu: the vCPU
 *
 * Context: any; reads one register without the lock.
 * Return: TPR bits 7:4.
 */
u8 hv_lapic_get_cr8(struct hv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->lapic->r.regs[HV_APIC_TPR / 4]) >> 4;
}

/**
 * hv_lapic_set_cr8() - a write of CR8: TPR[7:4] = @cr8, TPR[3:0] = 0
 * @vcpu: the vCPU (its own thread)
 * @cr8: the value, 0-15
 *
 * The APIC is looked at again before the next entry (HV_REQ_EVENT): a
 * lower priority may let a vector in, and a backend that stopped
 * watching CR8 writes learns whether to watch again.
 *
 * Context: any the vCPU's thread is in; does not sleep.
 */
void hv_lapic_set_cr8(struct hv_vcpu *vcpu, u8 cr8)
{
	struct hv_lapic *l = vcpu->lapic;
	struct hv_lapic_write w = { 0 };
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	hv_xapic_write(&l->r, HV_APIC_TPR, (u32)(cr8 & 0xf) << 4, &w);
	spin_unlock_irqrestore(&l->lock, flags);
	set_bit(HV_REQ_EVENT, &vcpu->requests);
}

/*
 * Whether the 8259's INTR reaches the CPU: through LINT0 with delivery
 * mode 7 (external interrupt), unmasked, or straight when the APIC is
 * disabled (SDM Vol. 3A, 11.4.3 and Figure 11-2: a disabled APIC passes
 * INTR through). Not subject to TPR/PPR (11.6.2.1: such interrupts
 * bypass the priority mechanism). Lock held.
 */
static bool intr_line_routed(struct hv_lapic *l)
{
	u32 lvt0 = l->r.regs[HV_APIC_LVT0 / 4];

	if (l->r.mode == HV_APIC_MODE_DISABLED)
		return true;
	return !(lvt0 & HV_APIC_LVT_MASKED) &&
	       ((lvt0 & HV_APIC_DM_MASK) >> HV_APIC_DM_SHIFT) ==
	       HV_APIC_DM_EXTINT;
}

/**
 * hv_lapic_intr_line() - the owner's 8259 raises or lowers INTR (vcpu-intr-line)
 * @vcpu: the vCPU
 * @level: the line's new level
 *
 * Context: any; does not sleep.
 */
void hv_lapic_intr_line(struct hv_vcpu *vcpu, bool level)
{
	WRITE_ONCE(vcpu->intr_line, level);
	if (level)
		hv_vcpu_kick(vcpu, HV_REQ_EVENT);
}

/**
 * hv_lapic_inta() - the interrupt acknowledge cycle, answered by the owner
 * @vcpu: the vCPU (its own thread, outside the fast loop), which can take
 *	an external interrupt now (hv_lapic_inject() asked for this)
 *
 * The owner's completion names the vector, which becomes the event of the
 * next entry, and whether INTR stays asserted; its error flag means none
 * (spurious), and the line drops.
 *
 * Return: 0; -EINTR if the thread is being stopped; -ENOMEM.
 */
int hv_lapic_inta(struct hv_vcpu *vcpu)
{
	bool error = false;
	u64 data = 0;
	int err;

	if (!READ_ONCE(vcpu->intr_line) || vcpu->event.valid)
		return 0;
	err = hv_uexit_call(vcpu, HV_EXIT_REASON_INTA, HV_DIR_READ, 0, 1, 0,
			    &data, &error);
	if (err)
		return err;
	if (error || !(data & HV_INTA_STILL_ASSERTED))
		WRITE_ONCE(vcpu->intr_line, false);
	if (!error) {
		vcpu->stats[HV_STAT_INTR_INJECTED]++;
		vcpu->event = (struct hv_event) {
			.valid = true,
			.type = HV_EVENT_TYPE_EXT_INTR,
			.vector = data & 0xff,
		};
	}
	set_bit(HV_REQ_EVENT, &vcpu->requests);
	return 0;
}

/**
 * hv_lapic_has_intr() - whether the APIC has a vector to present
 * @vcpu: the vCPU
 *
 * A requested vector above PPR (11.8.3), whether or not the guest can
 * take it now: what ends a halt when RFLAGS.IF is set.
 *
 * Context: the vCPU's thread, outside guest mode (posted vectors move
 * into IRR here).
 * Return: true if one is due.
 */
bool hv_lapic_has_intr(struct hv_vcpu *vcpu)
{
	struct hv_lapic *l = vcpu->lapic;
	unsigned long flags;
	bool due;

	spin_lock_irqsave(&l->lock, flags);
	sync_posted(l);
	due = (l->r.mode != HV_APIC_MODE_DISABLED &&
	       hv_lapic_pending(l->r.regs) >= 0) ||
	      (READ_ONCE(vcpu->intr_line) && intr_line_routed(l));
	spin_unlock_irqrestore(&l->lock, flags);
	return due;
}

/*
 * Where the CPU holds the page (APICv): the posted vectors into IRR, and
 * the CPU told what it cannot read there. It delivers the highest vector
 * above PPR itself when the guest can take it (SDM Vol. 3C, 30.2), so no
 * window is opened for APIC vectors. Lock held.
 */
static void load_virtual(struct hv_vcpu *vcpu, struct hv_lapic *l)
{
	struct hv_apicv_state s = {
		.x2apic = l->r.mode == HV_APIC_MODE_X2APIC,
		.xapic_page = vcpu->vm->apic_page && !l->page_blocked,
	};
	int i, v;

	sync_posted(l);
	if (l->r.mode != HV_APIC_MODE_DISABLED) {
		v = hv_lapic_find_highest(l->r.regs, HV_APIC_IRR);
		s.rvi = v < 0 ? 0 : v;
	}
	v = hv_lapic_find_highest(l->r.regs, HV_APIC_ISR);
	s.svi = v < 0 ? 0 : v;
	/* The CPU evaluates RVI against the page's PPR (30.1.3). */
	l->r.regs[HV_APIC_PPR / 4] = hv_lapic_ppr(l->r.regs);
	for (i = 0; i < 8; i++)
		s.eoi_exit[i / 2] |= (u64)l->r.regs[HV_APIC_TMR / 4 + i * 4] <<
				     (i % 2 * 32);
	hv_be_apicv_load(vcpu, &s);
}

/**
 * hv_lapic_inject() - hand the due vector to the next entry
 * @vcpu: the vCPU (its thread, loaded, interrupts off)
 *
 * If the guest can take an external interrupt and no other event is
 * being injected, the highest requested vector above PPR moves from IRR
 * to ISR and becomes the event of the next entry (11.8.4); otherwise the
 * backend opens an interrupt window and this runs again when it exits.
 * Where the CPU virtualizes the APIC, it does both itself.
 */
void hv_lapic_inject(struct hv_vcpu *vcpu)
{
	struct hv_lapic *l = vcpu->lapic;
	int v;

	vcpu->intr_window = false;
	/* An NMI goes first; it waits for its own window (SDM 6.7.1). */
	if (test_and_clear_bit(HV_REQ_NMI, &vcpu->requests))
		vcpu->nmi_pending = true;
	if (vcpu->nmi_pending) {
		if (!vcpu->event.valid && hv_be_nmi_allowed(vcpu)) {
			vcpu->nmi_pending = false;
			vcpu->stats[HV_STAT_INTR_INJECTED]++;
			vcpu->event = (struct hv_event) {
				.valid = true,
				.type = HV_EVENT_TYPE_NMI,
				.vector = X86_TRAP_NMI,
			};
		} else {
			hv_be_nmi_window(vcpu);
			vcpu->intr_window = true;
		}
	}
	spin_lock(&l->lock);
	if (l->r.pi)
		load_virtual(vcpu, l);
	/* The 8259 first: its vector is asked of the owner outside. */
	if (READ_ONCE(vcpu->intr_line) && intr_line_routed(l)) {
		if (!vcpu->event.valid && hv_be_intr_allowed(vcpu)) {
			set_bit(HV_REQ_INTA, &vcpu->requests);
		} else {
			hv_be_intr_window(vcpu);
			vcpu->intr_window = true;
		}
		spin_unlock(&l->lock);
		return;
	}
	if (l->r.pi) {
		spin_unlock(&l->lock);
		return;
	}
	v = l->r.mode == HV_APIC_MODE_DISABLED ? -1 : hv_lapic_pending(l->r.regs);
	if (v >= 0) {
		if (!vcpu->event.valid && hv_be_intr_allowed(vcpu)) {
			hv_lapic_ack(&l->r);
			vcpu->stats[HV_STAT_INTR_INJECTED]++;
			vcpu->event = (struct hv_event) {
				.valid = true,
				.type = HV_EVENT_TYPE_EXT_INTR,
				.vector = v,
			};
		} else {
			hv_be_intr_window(vcpu);
			vcpu->intr_window = true;
		}
	} else if (l->r.mode != HV_APIC_MODE_DISABLED) {
		/* TPR alone holds it: a CR8 write that does not exit may free it. */
		if (hv_lapic_tpr_held(l->r.regs) >= 0 && hv_be_tpr_window(vcpu))
			vcpu->intr_window = true;
	}
	spin_unlock(&l->lock);
}

/**
 * hv_lapic_eoi_exit() - the CPU virtualized an EOI that exits (APICv)
 * @vcpu: the vCPU (its thread, in the exit, interrupts off)
 * @vector: the vector it retired from ISR, one of the level-triggered
 *	vectors of &hv_apicv_state.eoi_exit
 *
 * As an EOI written to hv (after_write()), the owner learns of it.
 */
void hv_lapic_eoi_exit(struct hv_vcpu *vcpu, u8 vector)
{
	__set_bit(vector, vcpu->eoi_pending);
	set_bit(HV_REQ_EOI, &vcpu->requests);
	/* SVI and PPR moved in the page; the next entry reloads them. */
	set_bit(HV_REQ_EVENT, &vcpu->requests);
}

/**
 * hv_lapic_apic_write() - finish a write the CPU put in the page (APICv)
 * @vcpu: the vCPU (its thread, in the exit, interrupts off)
 * @off: the register's offset, from the APIC-write exit (SDM Vol. 3C,
 *	30.4.3.3): in x2APIC mode a SELF IPI of an illegal vector, in xAPIC
 *	mode a write through the APIC-access page to a register whose
 *	side effects are hv's
 *
 * The value is in the page; the write's effects are those of an
 * intercepted one.
 */
void hv_lapic_apic_write(struct hv_vcpu *vcpu, u32 off)
{
	struct hv_lapic *l = vcpu->lapic;
	struct hv_lapic_write w = { 0 };
	int err = -EINVAL;
	u32 val;

	if (off >= HV_LAPIC_PAGE_SIZE)
		return;
	spin_lock(&l->lock);
	if (l->r.mode == HV_APIC_MODE_X2APIC && !(off & 0xf))
		err = write_reg(l, off, l->r.regs[off / 4], true, &w);
	else if (l->r.mode == HV_APIC_MODE_XAPIC &&
		 hv_xapic_trap_take(&l->r, off, &val))
		err = write_reg(l, off & ~0xfu, val, false, &w);
	spin_unlock(&l->lock);
	if (!err)
		after_write(vcpu, &w);
}

/**
 * hv_lapic_report_eois() - tell the owner of the level-triggered EOIs
 * @vcpu: the vCPU (its own thread, outside the fast loop)
 *
 * One notice per vector, lowest first; the vCPU does not wait for the
 * owner, which needs no completion (as for HLT).
 */
void hv_lapic_report_eois(struct hv_vcpu *vcpu)
{
	struct hv_uexit rec = { .reason = HV_EXIT_REASON_EOI };
	unsigned int v;

	for_each_set_bit(v, vcpu->eoi_pending, 256) {
		__clear_bit(v, vcpu->eoi_pending);
		rec.addr = v;
		vcpu->stats[HV_STAT_EOI_NOTICES]++;
		if (hv_uexit_post(vcpu, &rec, false) == -EINTR)
			break;
	}
}

/**
 * hv_lapic_msr_read() - RDMSR of IA32_APIC_BASE or an x2APIC register
 * @vcpu: the vCPU (its own thread)
 * @index: the MSR
 * @val: the value read
 *
 * Return: 0; -EINVAL for #GP (an x2APIC MSR outside x2APIC mode, or one
 * the x2APIC refuses); -ENOENT if @index is no APIC MSR.
 */
int hv_lapic_msr_read(struct hv_vcpu *vcpu, u32 index, u64 *val)
{
	struct hv_lapic *l = vcpu->lapic;
	unsigned long flags;
	int err;

	if (index == MSR_IA32_APICBASE) {
		*val = READ_ONCE(l->base);
		return 0;
	}
	if (index == MSR_IA32_TSC_DEADLINE) {
		spin_lock_irqsave(&l->lock, flags);
		*val = hv_lapic_deadline_read(l);
		spin_unlock_irqrestore(&l->lock, flags);
		return 0;
	}
	if (index < HV_X2APIC_MSR_BASE || index > HV_X2APIC_MSR_END)
		return -ENOENT;
	spin_lock_irqsave(&l->lock, flags);
	if (l->r.mode == HV_APIC_MODE_X2APIC) {
		l->r.regs[HV_APIC_TMCCT / 4] = hv_lapic_timer_count(l);
		err = hv_x2apic_read(&l->r, index, val);
	} else {
		err = -EINVAL;	/* 11.12.2: x2APIC MSRs #GP outside it */
	}
	spin_unlock_irqrestore(&l->lock, flags);
	return err;
}

/**
 * hv_lapic_msr_write() - WRMSR of IA32_APIC_BASE or an x2APIC register
 * @vcpu: the vCPU (its own thread)
 * @index: the MSR
 * @val: the value written
 *
 * Return: as hv_lapic_msr_read().
 */
int hv_lapic_msr_write(struct hv_vcpu *vcpu, u32 index, u64 val)
{
	struct hv_lapic *l = vcpu->lapic;
	struct hv_lapic_write w;
	unsigned long flags;
	bool fired;
	u64 tsc;
	int err;

	if (index == MSR_IA32_APICBASE)
		return set_base(vcpu, val);
	if (index == MSR_IA32_TSC_DEADLINE) {
		if (hv_be_get_msr(vcpu, MSR_IA32_TSC, &tsc))
			return -EINVAL;
		spin_lock_irqsave(&l->lock, flags);
		fired = hv_lapic_deadline_write(l, val, tsc);
		spin_unlock_irqrestore(&l->lock, flags);
		if (fired)
			set_bit(HV_REQ_EVENT, &vcpu->requests);
		return 0;
	}
	if (index < HV_X2APIC_MSR_BASE || index > HV_X2APIC_MSR_END)
		return -ENOENT;
	spin_lock_irqsave(&l->lock, flags);
	if (l->r.mode == HV_APIC_MODE_X2APIC)
		err = write_reg(l, (index - HV_X2APIC_MSR_BASE) << 4, val,
				true, &w);
	else
		err = -EINVAL;
	spin_unlock_irqrestore(&l->lock, flags);
	if (!err)
		after_write(vcpu, &w);
	return err;
}

/**
 * hv_lapic_mmio() - an access to guest-physical memory that may be the
 * vCPU's xAPIC page
 * @vcpu: the vCPU (its own thread)
 * @gpa: the address
 * @size: 1, 2, 4 or 8 bytes
 * @write: a write of *@val; else a read into *@val
 * @val: the value
 *
 * Each vCPU sees its own APIC at its base, in xAPIC mode only (in x2APIC
 * mode or disabled, the page is not there: 11.12.2). Registers are 32
 * bits wide: a read within one dword returns its bytes, any other read 0;
 * writes other than aligned dwords are dropped (11.4.1).
 *
 * Return: 0 if the access was the APIC's; -ENODEV if @gpa is not in it.
 */
int hv_lapic_mmio(struct hv_vcpu *vcpu, u64 gpa, unsigned int size,
		  bool write, u64 *val)
{
	struct hv_lapic *l = vcpu->lapic;
	struct hv_lapic_write w = { 0 };
	unsigned long flags;
	u64 page;
	u32 off, v;

	spin_lock_irqsave(&l->lock, flags);
	page = l->base & HV_APIC_BASE_ADDR_MASK;
	if (l->r.mode != HV_APIC_MODE_XAPIC || gpa < page ||
	    gpa - page >= HV_LAPIC_PAGE_SIZE) {
		spin_unlock_irqrestore(&l->lock, flags);
		return -ENODEV;
	}
	off = gpa - page;
	if (write) {
		if (size == 4 && !(off & 3))
			write_reg(l, off, (u32)*val, false, &w);
	} else if ((off & 3) + size <= 4) {
		if ((off & ~3u) == HV_APIC_TMCCT)
			l->r.regs[HV_APIC_TMCCT / 4] = hv_lapic_timer_count(l);
		v = hv_xapic_read(&l->r, off & ~3u);
		*val = (v >> ((off & 3) * 8)) & (size == 4 ? ~0u :
						 (1u << (size * 8)) - 1);
	} else {
		*val = 0;
	}
	spin_unlock_irqrestore(&l->lock, flags);
	after_write(vcpu, &w);
	return 0;
}
