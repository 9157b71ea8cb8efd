// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC timer (SDM Vol. 3A, 11.5.4) on an hrtimer: one-shot and
 * periodic counts of the initial-count register at the bus clock divided
 * by the divide configuration, and the TSC-deadline mode (11.5.4.1).
 *
 * The bus clock is 1 GHz (HV_APIC_BUS_KHZ, which CPUID reports), a count
 * per nanosecond before the divider, as KVM's. A periodic timer is moved
 * forward from its previous expiry (hrtimer_forward()), never from the
 * time its callback ran, so a late callback does not slow the rate;
 * periods below HV_APIC_MIN_PERIOD_NS are raised to it, so that a guest
 * cannot have the host take an interrupt every few nanoseconds (KVM's
 * min_timer_period_us does the same).
 *
 * While its vCPU runs the guest, where the backend can end a run at a
 * host TSC value (the VMX-preemption timer, SDM Vol. 3C, 26.5.1), the
 * timer counts there instead (@on_tsc): the expiry is an exit handled in
 * the fast loop, with no host timer interrupt, no hrtimer to re-program
 * and nothing for the host to flush before re-entry, as KVM's "hv timer".
 * The hrtimer takes over whenever the vCPU thread stops running the guest
 * (halted, parked, stopped), so that someone is there to wake it.
 *
 * Everything here runs under the APIC's lock. The callback may be
 * waiting for that lock while a write re-programs the timer: the write
 * re-queues it, and the callback, finding it queued, leaves it alone.
 */
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <asm/tsc.h>

#include "hv_host.h"
#include "irq/irq.h"
#include "irq/lapic.h"

#define HV_APIC_MIN_PERIOD_NS	100000ULL
static_assert(HV_APIC_BUS_KHZ == 1000000, "counts are nanoseconds");

static u32 reg(const struct hv_lapic *l, u32 off)
{
	return l->r.regs[off / 4];
}

static u32 timer_mode(const struct hv_lapic *l)
{
	return reg(l, HV_APIC_LVTT) & HV_APIC_TIMER_MODE_MASK;
}

static unsigned int divisor(const struct hv_lapic *l)
{
	return hv_lapic_timer_divisor(reg(l, HV_APIC_TDCR));
}

/* The host TSC at @t on CLOCK_MONOTONIC, for the backend's count-down. */
static u64 tsc_at(ktime_t t)
{
	s64 ns = ktime_to_ns(ktime_sub(t, ktime_get()));
	u64 now = rdtsc();

	if (ns <= 0)
		return now;
	return now + mul_u64_u32_div(ns, tsc_khz, NSEC_PER_MSEC);
}

/* The backend's count-down target for the timer as it now stands. */
static void retarget(struct hv_lapic *l)
{
	l->vcpu->timer_tsc = l->armed ? tsc_at(l->expires) : U64_MAX;
}

static void arm(struct hv_lapic *l, ktime_t expires)
{
	l->expires = expires;
	l->armed = true;
	if (l->on_tsc)
		retarget(l);
	else
		hrtimer_start(&l->timer, expires, HRTIMER_MODE_ABS);
}

/**
 * hv_lapic_timer_disarm() - stop the timer
 * @l: the APIC; its lock held
 *
 * A callback already running finds the timer disarmed and does nothing.
 */
void hv_lapic_timer_disarm(struct hv_lapic *l)
{
	l->armed = false;
	if (l->on_tsc)
		l->vcpu->timer_tsc = U64_MAX;
	else
		hrtimer_try_to_cancel(&l->timer);
}

/*
 * The count reached 0 or the deadline passed: the entry's vector, unless
 * it is masked (11.5.4). Under the lock; true if the vCPU needs a kick.
 */
static bool expire(struct hv_lapic *l)
{
	u32 lvtt = reg(l, HV_APIC_LVTT);

	if ((lvtt & HV_APIC_LVT_MASKED) || l->r.mode == HV_APIC_MODE_DISABLED)
		return false;
	/* Counted here only (callback or vCPU thread), under the lock. */
	l->vcpu->stats[HV_STAT_TIMER_FIRED]++;
	return hv_lapic_take(l, lvtt & HV_APIC_VECTOR_MASK, false);
}

/*
 * @now is at or past @l->expires: the vector, and the next expiry. A
 * periodic one moves forward from the previous expiry by whole periods
 * past @now (as hrtimer_forward()), so that lateness does not slow the
 * rate; one-shot counts stay at 0 and TSC deadlines disarm. Under the
 * lock; true if the vCPU needs a kick.
 */
static bool fire(struct hv_lapic *l, ktime_t now)
{
	bool kick = expire(l);
	u64 late;

	if (timer_mode(l) == HV_APIC_TIMER_PERIODIC) {
		late = max_t(s64, ktime_to_ns(ktime_sub(now, l->expires)), 0);
		l->expires = ktime_add_ns(l->expires,
					  (div64_u64(late, l->period_ns) + 1) *
					  l->period_ns);
	} else {
		l->armed = false;
		l->deadline = 0;
	}
	return kick;
}

static enum hrtimer_restart timer_fire(struct hrtimer *t)
{
	struct hv_lapic *l = container_of(t, struct hv_lapic, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&l->lock, flags);
	/* Disarmed, re-programmed while this waited, or counted elsewhere. */
	if (!l->armed || l->on_tsc || hrtimer_is_queued(t))
		goto out;
	kick = fire(l, hrtimer_cb_get_time(t));
	if (l->armed) {
		hrtimer_set_expires(t, l->expires);
		ret = HRTIMER_RESTART;
	}
out:
	spin_unlock_irqrestore(&l->lock, flags);
	if (kick)
		hv_lapic_notify(l->vcpu, false);
	return ret;
}

/**
 * hv_lapic_timer_to_tsc() - count the timer down in the guest's runs
 * @vcpu: the vCPU (its thread, about to enter the guest, preemption off)
 *
 * Where the backend can (hv_be_tsc_timer()), the hrtimer stops and each
 * entry programs the backend with &hv_vcpu.timer_tsc until
 * hv_lapic_timer_to_hrtimer(). A callback running meanwhile keeps the
 * hrtimer for this time.
 */
void hv_lapic_timer_to_tsc(struct hv_vcpu *vcpu)
{
	struct hv_lapic *l = vcpu->lapic;
	unsigned long flags;

	if (l->on_tsc || !hv_tsc_timer)
		return;
	spin_lock_irqsave(&l->lock, flags);
	if (hrtimer_try_to_cancel(&l->timer) >= 0) {
		l->on_tsc = true;
		retarget(l);
	}
	spin_unlock_irqrestore(&l->lock, flags);
}

/**
 * hv_lapic_timer_to_hrtimer() - count the timer on the hrtimer again
 * @vcpu: the vCPU (its thread, out of the run loop)
 *
 * Before the thread sleeps (halted, parked): an expiry already due fires
 * now, and the hrtimer wakes it for the next.
 */
void hv_lapic_timer_to_hrtimer(struct hv_vcpu *vcpu)
{
	struct hv_lapic *l = vcpu->lapic;
	unsigned long flags;
	bool kick = false;
	ktime_t now;

	if (!l->on_tsc)
		return;
	spin_lock_irqsave(&l->lock, flags);
	l->on_tsc = false;
	vcpu->timer_tsc = U64_MAX;
	if (l->armed) {
		now = ktime_get();
		if (ktime_compare(now, l->expires) >= 0)
			kick = fire(l, now);
		if (l->armed)
			hrtimer_start(&l->timer, l->expires, HRTIMER_MODE_ABS);
	}
	spin_unlock_irqrestore(&l->lock, flags);
	if (kick)
		hv_lapic_notify(vcpu, false);
}

/**
 * hv_lapic_timer_exit() - &hv_exit_handler.fast of HV_EXIT_TIMER: the
 * host TSC reached &hv_vcpu.timer_tsc in the guest
 * @vcpu: the vCPU (fast loop: preemption off, guest FPU state loaded)
 * @exit: the exit
 *
 * Return: HV_EXIT_RESUME.
 */
enum hv_exit_ret hv_lapic_timer_exit(struct hv_vcpu *vcpu,
				     const struct hv_exit *exit)
{
	struct hv_lapic *l = vcpu->lapic;
	bool kick = false;

	vcpu->stats[HV_STAT_EXITS_TIMER]++;
	spin_lock(&l->lock);
	if (l->on_tsc && l->armed) {
		kick = fire(l, ktime_get());
		retarget(l);
	}
	spin_unlock(&l->lock);
	if (kick)
		hv_lapic_notify(vcpu, false);
	return HV_EXIT_RESUME;
}

bool hv_tsc_timer __ro_after_init;

/**
 * hv_lapic_timer_choose() - settle where the timer counts in the guest
 *
 * Context: module init, after the backend's setup.
 */
void __init hv_lapic_timer_choose(void)
{
	hv_tsc_timer = hv_be_tsc_timer();
}

/**
 * hv_lapic_timer_name() - where the APIC timer of a vCPU in the guest
 * counts, for people
 *
 * Return: "preemption-timer" or "hrtimer".
 */
const char *hv_lapic_timer_name(void)
{
	return hv_tsc_timer ? "preemption-timer" : "hrtimer";
}

/**
 * hv_lapic_timer_catch_up() - fire an expiry the guest's run has not
 * reached yet, for a reader of the state of a vCPU out of the guest
 * @l: the APIC; its lock held
 *
 * Return: true if the vCPU needs a kick.
 */
bool hv_lapic_timer_catch_up(struct hv_lapic *l)
{
	ktime_t now = ktime_get();
	bool kick;

	if (!l->on_tsc || !l->armed || ktime_compare(now, l->expires) < 0)
		return false;
	kick = fire(l, now);
	retarget(l);
	return kick;
}

/**
 * hv_lapic_timer_init() - set up a new APIC's timer, disarmed
 * @l: the APIC
 */
void hv_lapic_timer_init(struct hv_lapic *l)
{
	hrtimer_init(&l->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	l->timer.function = timer_fire;
}

static u64 period_of(const struct hv_lapic *l, u32 count, unsigned int div)
{
	u64 ns = (u64)count * div;

	if (timer_mode(l) == HV_APIC_TIMER_PERIODIC)
		ns = max(ns, HV_APIC_MIN_PERIOD_NS);
	return ns;
}

/**
 * hv_lapic_timer_write() - follow a write to LVT timer, TMICT or TDCR
 * @l: the APIC; its lock held
 * @off: the register written
 * @old_lvtt: LVT timer before the write
 * @old_tdcr: the divide configuration before the write
 *
 * TMICT starts a count (0 stops it). A new divider scales what is left
 * of the count. Switching into or out of TSC-deadline mode disarms the
 * timer and clears TMICT and IA32_TSC_DEADLINE (11.5.4.1); switching
 * between one-shot and periodic keeps the count going, and masking only
 * silences it.
 */
void hv_lapic_timer_write(struct hv_lapic *l, u32 off, u32 old_lvtt,
			  u32 old_tdcr)
{
	u32 mode = timer_mode(l);
	u32 old_mode = old_lvtt & HV_APIC_TIMER_MODE_MASK;
	unsigned int old_div = hv_lapic_timer_divisor(old_tdcr);
	ktime_t now = ktime_get();
	s64 left;

	switch (off) {
	case HV_APIC_LVTT:
		if (mode == old_mode)
			return;
		if (mode == HV_APIC_TIMER_TSC_DEADLINE ||
		    old_mode == HV_APIC_TIMER_TSC_DEADLINE) {
			hv_lapic_timer_disarm(l);
			l->r.regs[HV_APIC_TMICT / 4] = 0;
			l->deadline = 0;
		} else if (l->armed) {
			l->period_ns = period_of(l, reg(l, HV_APIC_TMICT),
						 divisor(l));
		}
		return;
	case HV_APIC_TMICT:
		if (!reg(l, HV_APIC_TMICT)) {
			hv_lapic_timer_disarm(l);
			return;
		}
		l->period_ns = period_of(l, reg(l, HV_APIC_TMICT), divisor(l));
		arm(l, ktime_add_ns(now, l->period_ns));
		return;
	case HV_APIC_TDCR:
		if (!l->armed || mode == HV_APIC_TIMER_TSC_DEADLINE ||
		    divisor(l) == old_div)
			return;
		left = max_t(s64, ktime_to_ns(ktime_sub(l->expires, now)), 0);
		l->period_ns = period_of(l, reg(l, HV_APIC_TMICT), divisor(l));
		arm(l, ktime_add_ns(now, div_u64((u64)left * divisor(l),
						 old_div)));
		return;
	}
}

/**
 * hv_lapic_timer_count() - the current count (TMCCT)
 * @l: the APIC; its lock held
 *
 * Return: the counts left before the timer reaches 0; 0 when it is not
 * counting (TSC-deadline mode, stopped, a one-shot count that ended).
 */
u32 hv_lapic_timer_count(struct hv_lapic *l)
{
	s64 left;

	if (!l->armed || timer_mode(l) == HV_APIC_TIMER_TSC_DEADLINE)
		return 0;
	left = ktime_to_ns(ktime_sub(l->expires, ktime_get()));
	if (left <= 0)
		return 0;
	return min_t(u64, div_u64(left, divisor(l)), reg(l, HV_APIC_TMICT));
}

/**
 * hv_lapic_deadline_read() - RDMSR of IA32_TSC_DEADLINE
 * @l: the APIC; its lock held
 *
 * Return: the armed deadline; 0 outside TSC-deadline mode or once it
 * fired (11.5.4.1).
 */
u64 hv_lapic_deadline_read(struct hv_lapic *l)
{
	return timer_mode(l) == HV_APIC_TIMER_TSC_DEADLINE ? l->deadline : 0;
}

/**
 * hv_lapic_deadline_write() - WRMSR of IA32_TSC_DEADLINE
 * @l: the APIC; its lock held
 * @deadline: the guest TSC value at which the timer fires; 0 disarms
 * @tsc: the guest's TSC now
 *
 * Ignored outside TSC-deadline mode. A deadline already passed fires
 * before the guest's next instruction, as on the CPU, not when a host
 * timer interrupt gets round to it. Deadlines more than 2^48 TSC ticks
 * away (days) fire then.
 *
 * Return: true if the timer fired: the caller kicks the vCPU.
 */
bool hv_lapic_deadline_write(struct hv_lapic *l, u64 deadline, u64 tsc)
{
	u64 ns;

	if (timer_mode(l) != HV_APIC_TIMER_TSC_DEADLINE)
		return false;
	hv_lapic_timer_disarm(l);
	l->deadline = deadline;
	if (!deadline)
		return false;
	if (deadline <= tsc) {
		l->deadline = 0;
		return expire(l);
	}
	ns = mul_u64_u32_div(min(deadline - tsc, 1ULL << 48), USEC_PER_SEC,
			     tsc_khz);
	arm(l, ktime_add_ns(ktime_get(), ns));
	return false;
}

/**
 * hv_lapic_timer_restore() - arm the timer as a register record left it
 * @l: the APIC; its lock held, its registers restored, the timer disarmed
 * @tmcct: the current count in the record
 * @deadline: IA32_TSC_DEADLINE in the record
 * @tsc: the guest's TSC in the record, against which @deadline counts
 *
 * One-shot and periodic timers go on from @tmcct (a periodic one with
 * the period of TMICT after that); a TSC-deadline timer is armed for
 * @deadline - @tsc from now, as KVM restores TMCCT.
 *
 * Return: true if a passed deadline requested a vector: kick the vCPU.
 */
bool hv_lapic_timer_restore(struct hv_lapic *l, u32 tmcct, u64 deadline,
			    u64 tsc)
{
	u32 mode = timer_mode(l), tmict = reg(l, HV_APIC_TMICT);

	l->deadline = 0;
	if (mode == HV_APIC_TIMER_TSC_DEADLINE)
		return hv_lapic_deadline_write(l, deadline, tsc);
	if (!tmict || (!tmcct && mode != HV_APIC_TIMER_PERIODIC))
		return false;
	l->period_ns = period_of(l, tmict, divisor(l));
	arm(l, ktime_add_ns(ktime_get(), tmcct ?
			    (u64)min(tmcct, tmict) * divisor(l) :
			    l->period_ns));
	return false;
}
