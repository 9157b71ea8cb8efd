/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lapic.c and lapic_timer.c share: the local APIC object. Nothing
 * outside kmod/irq/ includes this; the rest of the module uses irq.h.
 */
#ifndef HV_IRQ_LAPIC_H
#define HV_IRQ_LAPIC_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>

#include "irq/lapic_regs.h"

struct hv_vcpu;

/**
 * struct hv_lapic - a vCPU's local APIC
 * @lock: protects everything below but @timer's own state
 * @base: IA32_APIC_BASE
 * @r: the registers (their page, mode and pending errors)
 * @vcpu: the vCPU it belongs to
 * @timer: the APIC timer's expiry (lapic_timer.c)
 * @armed: @timer counts towards @expires
 * @expires: when the count reaches 0 (one-shot, periodic) or the deadline
 *	passes (TSC-deadline), on CLOCK_MONOTONIC
 * @period_ns: the period of the count, periodic and one-shot modes
 * @deadline: IA32_TSC_DEADLINE, 0 when disarmed
 * @on_tsc: the vCPU's runs count the timer down (&hv_vcpu.timer_tsc);
 *	@timer is not queued. Changed by the vCPU thread only.
 * @page_blocked: the APIC keeps the VM's APIC-access page unmapped
 *	(apic_page.c); changed under vm->npt.lock
 */
struct hv_lapic {
	spinlock_t lock;	/* the vCPU, senders, the timer */
	u64 base;
	struct hv_lapic_regs r;
	struct hv_vcpu *vcpu;
	struct hrtimer timer;
	bool armed;
	ktime_t expires;
	u64 period_ns;
	u64 deadline;
	bool on_tsc;
	bool page_blocked;
};

struct netlink_ext_ack;
struct hv_vm;

bool hv_lapic_signal_error(struct hv_lapic *l);
int hv_lapic_msi_route(u64 addr, u32 data, struct hv_apic_irq *irq,
		       struct netlink_ext_ack *extack);
void hv_lapic_deliver(struct hv_vm *vm, const struct hv_apic_irq *irq);
bool hv_lapic_take(struct hv_lapic *l, u8 vector, bool level);
extern bool hv_tsc_timer;

void hv_lapic_timer_init(struct hv_lapic *l);
bool hv_lapic_timer_catch_up(struct hv_lapic *l);
void hv_lapic_timer_disarm(struct hv_lapic *l);
void hv_lapic_timer_write(struct hv_lapic *l, u32 off, u32 old_lvtt,
			  u32 old_tdcr);
u32 hv_lapic_timer_count(struct hv_lapic *l);
u64 hv_lapic_deadline_read(struct hv_lapic *l);
bool hv_lapic_deadline_write(struct hv_lapic *l, u64 deadline, u64 tsc);
bool hv_lapic_timer_restore(struct hv_lapic *l, u32 tmcct, u64 deadline,
			    u64 tsc);

#endif /* HV_IRQ_LAPIC_H */
