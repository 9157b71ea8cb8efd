// SPDX-License-Identifier: GPL-2.0
/*
 * The threads that run vCPUs (DESIGN rule 1): one kernel thread per vCPU,
 * hv/<vm>/<vcpu>, attached to the owner's cgroups. The thread parks while
 * its VM does not run, enters the guest in a loop, handles the exits it can
 * in the kernel without leaving the loop, and leaves it for anything that
 * may sleep: HLT, an exit sent to the owner, emulation (exit.c).
 *
 * The fast loop runs with the guest FPU state loaded (preemption off) and
 * breaks out on need_resched(), on a request, and on exits it cannot
 * finish. Requests reach a vCPU through vcpu->requests and a kick: the
 * kicker sets the bit, then sends an IPI if the vCPU is in guest mode; the
 * vCPU publishes guest mode, then checks the bits with interrupts off, so
 * a request is either seen before entry or its IPI forces an exit.
 *
 * Parking: a vCPU may run only while its VM is running and no memory-map
 * change is in progress. Both conditions change under vm->run_lock, and a
 * vCPU leaves its parked state only under that lock after checking them,
 * so a writer that changed them and then sees every vCPU parked knows that
 * none is in guest mode or will enter it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/stat.h>

#include "compat.h"
#include "exit.h"
#include "hv_host.h"
#include "irq/irq.h"

/*
 * A halted vCPU polls this long for its wake-up before it sleeps (KVM's
 * halt_poll_ns has the same default): an interrupt that another CPU sends
 * within it costs no sleep and no wake-up. It polls only while it is the
 * CPU's only runnable task, as KVM's: the task that would send the
 * interrupt may be the one waiting for the CPU.
 */
static unsigned int halt_poll_ns = 200000;
module_param(halt_poll_ns, uint, 0644);
MODULE_PARM_DESC(halt_poll_ns, "How long a halted vCPU polls for an interrupt before it sleeps (ns, default 200000, at most 1000000, 0 = never)");
#define HV_HALT_POLL_MAX_NS	1000000U

enum run_result {
	RUN_BREAK,	/* a request or need_resched(): look outside */
	RUN_SLOW,	/* the exit needs its slow handler */
	RUN_FPU,	/* the guest's FPU image could not be loaded */
};

static bool vcpu_can_run(struct hv_vcpu *vcpu)
{
	struct hv_vm *vm = vcpu->vm;

	return READ_ONCE(vm->state) == HV_VM_STATE_RUNNING &&
	       !READ_ONCE(vm->quiesce);
}

static bool park_over(struct hv_vcpu *vcpu, bool (*ready)(struct hv_vcpu *))
{
	return kthread_should_stop() ||
	       (vcpu_can_run(vcpu) && (!ready || ready(vcpu)));
}

static bool can_poll(void)
{
	return single_task_running() && !need_resched();
}

/* A halted vCPU: wait for @ready a while without sleeping. */
static void halt_poll(struct hv_vcpu *vcpu, bool (*ready)(struct hv_vcpu *))
{
	unsigned int ns = min(READ_ONCE(halt_poll_ns), HV_HALT_POLL_MAX_NS);
	u64 end;

	if (!ns || !can_poll())
		return;
	end = ktime_get_ns() + ns;
	do {
		if (park_over(vcpu, ready)) {
			vcpu->stats[HV_STAT_HALT_POLLED]++;
			return;
		}
		cpu_relax();
	} while (can_poll() && ktime_get_ns() < end);
}

/*
 * A halted vCPU sleeps until a kick wakes it, and looks again every 50 ms
 * whatever happens. The recheck is a safety net: in two full test runs
 * on bochs-sandy, a vCPU halted with RFLAGS.IF set slept on although its
 * IRR held a vector that thousands of kicks had announced (lapic_test's
 * ICR storm), and the lost wake-up is not found yet. A recheck that finds
 * a vector due but the vCPU still held logs why, to find it.
 */
#define HALT_RECHECK_JIFFIES (HZ / 20)

static void halt_wait(struct hv_vcpu *vcpu, bool (*ready)(struct hv_vcpu *))
{
	u64 rflags;

	if (wait_event_interruptible_timeout(vcpu->wq, park_over(vcpu, ready),
					     HALT_RECHECK_JIFFIES) ||
	    kthread_should_stop() || !vcpu_can_run(vcpu) ||
	    !hv_lapic_has_intr(vcpu))
		return;
	/* A guest that halted with interrupts off stays halted: no news. */
	rflags = hv_be_get_rflags(vcpu);
	if (!vcpu->halt_if && !(rflags & X86_EFLAGS_IF))
		return;
	pr_warn_ratelimited("vm %u vcpu %u: halted with a vector due: halt_if %d rflags %#llx activity %d event %d requests %#lx\n",
			    vcpu->vm->id, vcpu->id, vcpu->halt_if, rflags,
			    vcpu->activity, hv_vcpu_event_pending(vcpu),
			    READ_ONCE(vcpu->requests));
}

/*
 * Wait, parked, until the VM lets this vCPU run and @ready (if any) holds.
 * Return: 0, or -EINTR when the thread is being stopped.
 */
static int vcpu_park_until(struct hv_vcpu *vcpu,
			   bool (*ready)(struct hv_vcpu *), int state)
{
	struct hv_vm *vm = vcpu->vm;

	for (;;) {
		spin_lock(&vm->run_lock);
		if (vcpu_can_run(vcpu) && (!ready || ready(vcpu))) {
			vcpu->parked = false;
			clear_bit(HV_REQ_PARK, &vcpu->requests);
			spin_unlock(&vm->run_lock);
			WRITE_ONCE(vcpu->state, HV_VCPU_STATE_RUNNING);
			return 0;
		}
		vcpu->parked = true;
		spin_unlock(&vm->run_lock);
		WRITE_ONCE(vcpu->state, state);
		wake_up_all(&vm->park_wq);

		if (state == HV_VCPU_STATE_HALTED) {
			halt_poll(vcpu, ready);
			halt_wait(vcpu, ready);
		} else {
			/* Interruptible: long parks must not look like hung tasks. */
			wait_event_interruptible(vcpu->wq, park_over(vcpu, ready));
		}
		if (kthread_should_stop())
			return -EINTR;
	}
}

/*
 * Set @req, then reach a vCPU in guest mode on another CPU: with an IPI
 * that makes it exit, or (@posted) with the notification vector the CPU
 * takes without an exit.
 */
static void kick(struct hv_vcpu *vcpu, int req, bool posted)
{
	set_bit(req, &vcpu->requests);
	/* Pairs with the barrier after the vCPU publishes guest mode. */
	smp_mb__after_atomic();
	if (atomic_read(&vcpu->mode) == HV_IN_GUEST) {
		int cpu = READ_ONCE(vcpu->cpu);

		if (cpu >= 0 && cpu != raw_smp_processor_id()) {
			if (posted)
				hv_be_posted_notify(vcpu, cpu);
			else
				smp_send_reschedule(cpu);
		}
	}
	wake_up(&vcpu->wq);
}

/**
 * hv_vcpu_kick() - make a vCPU look at a request soon
 * @vcpu: the vCPU
 * @req: HV_REQ_* bit to set
 *
 * Context: any; does not sleep.
 */
void hv_vcpu_kick(struct hv_vcpu *vcpu, int req)
{
	kick(vcpu, req, false);
}

/**
 * hv_vcpu_kick_posted() - the same for an interrupt posted to the vCPU's
 * descriptor, where the CPU processes posted interrupts
 * @vcpu: the vCPU
 *
 * A vCPU in guest mode gets the notification vector and goes on without
 * an exit; HV_REQ_EVENT still makes its next entry look, in case the
 * notification arrived after it left guest mode.
 *
 * Context: any; does not sleep.
 */
void hv_vcpu_kick_posted(struct hv_vcpu *vcpu)
{
	kick(vcpu, HV_REQ_EVENT, true);
}

/**
 * hv_vcpu_mark_parked() - count a vCPU as parked, or no longer, while it
 * waits outside the park loop (for its owner, or to be stopped)
 * @vcpu: the vCPU (its own thread)
 * @parked: parked or not
 * @state: the HV_VCPU_STATE_* to report meanwhile
 *
 * Context: process context; takes vm->run_lock.
 */
void hv_vcpu_mark_parked(struct hv_vcpu *vcpu, bool parked, int state)
{
	struct hv_vm *vm = vcpu->vm;

	spin_lock(&vm->run_lock);
	vcpu->parked = parked;
	spin_unlock(&vm->run_lock);
	WRITE_ONCE(vcpu->state, state);
	if (parked)
		wake_up_all(&vm->park_wq);
}

/**
 * hv_vcpu_parked() - whether a vCPU is parked between instructions
 * @vcpu: the vCPU; vm->run_lock held
 *
 * A vCPU whose exit the owner completed but that has not used the
 * completion yet is about to run again, so it does not count.
 *
 * Return: true if it is parked and holds no unused completion.
 */
bool hv_vcpu_parked(struct hv_vcpu *vcpu)
{
	return vcpu->parked && !hv_uexit_unused(vcpu);
}

/*
 * Enter the guest until an exit needs the slow path. The guest FPU state
 * is live in the registers only in here (DESIGN rule 8).
 */
static enum run_result run_fast(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	enum run_result ret;

	if (unlikely(hv_fpu_enter(vcpu))) {
		hv_fpu_leave(vcpu);
		return RUN_FPU;
	}
	vcpu->cpu = smp_processor_id();
	hv_ibpb_vcpu_switch(vcpu);
	hv_be_vcpu_load(vcpu, vcpu->cpu);
	hv_lapic_timer_to_tsc(vcpu);
	for (;;) {
		if (need_resched()) {
			ret = RUN_BREAK;
			break;
		}
		if (unlikely(vcpu->triple_fault)) {
			vcpu->triple_fault = false;
			exit->kind = HV_EXIT_SHUTDOWN;
			ret = RUN_SLOW;
			break;
		}
		local_irq_disable();
		if (test_and_clear_bit(HV_REQ_TLB_FLUSH, &vcpu->requests))
			hv_be_flush_tlb(vcpu);
		/* Tested first: most entries have no interrupt to look at. */
		if (unlikely(test_bit(HV_REQ_EVENT, &vcpu->requests) ||
			     vcpu->intr_window)) {
			clear_bit(HV_REQ_EVENT, &vcpu->requests);
			hv_lapic_inject(vcpu);
		}
		atomic_set(&vcpu->mode, HV_IN_GUEST);
		/* Pairs with hv_vcpu_kick(): see the comment at the top. */
		smp_mb__after_atomic();
		if (READ_ONCE(vcpu->requests)) {
			atomic_set(&vcpu->mode, HV_OUTSIDE_GUEST);
			local_irq_enable();
			ret = RUN_BREAK;
			break;
		}
		hv_be_vcpu_run(vcpu, exit);
		atomic_set(&vcpu->mode, HV_OUTSIDE_GUEST);
		local_irq_enable();

		hv_vmscape_exit();
		vcpu->stats[HV_STAT_EXITS]++;
		if (hv_exit_fast(vcpu, exit) != HV_EXIT_RESUME) {
			ret = RUN_SLOW;
			break;
		}
	}
	hv_be_vcpu_put(vcpu);
	hv_fpu_leave(vcpu);
	return ret;
}

static void vcpu_run(struct hv_vcpu *vcpu)
{
	enum run_result res;
	struct hv_exit exit;

	for (;;) {
		if (hv_npt_cache_fill(vcpu)) {
			hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
				    "out of memory for nested page tables");
			return;
		}
		res = run_fast(vcpu, &exit);
		if (unlikely(res == RUN_FPU)) {
			/* hv_fpu_check() lets no such image in. */
			WARN_ON_ONCE(1);
			hv_vm_crash(vcpu->vm, HV_VM_STATE_DEAD,
				    "vcpu %u: the CPU refused the guest's FPU state",
				    vcpu->id);
			return;
		}
		if (res == RUN_BREAK) {
			cond_resched();
			if (test_and_clear_bit(HV_REQ_EOI, &vcpu->requests))
				hv_lapic_report_eois(vcpu);
			if (test_and_clear_bit(HV_REQ_INTA, &vcpu->requests) &&
			    hv_lapic_inta(vcpu) == -EINTR)
				return;
			/* A running vCPU ignores SIPIs, unless an INIT came first. */
			if (!test_bit(HV_REQ_INIT, &vcpu->requests))
				clear_bit(HV_REQ_SIPI, &vcpu->requests);
			if (test_bit(HV_REQ_PARK, &vcpu->requests) ||
			    test_bit(HV_REQ_INIT, &vcpu->requests) ||
			    !vcpu_can_run(vcpu))
				return;
			continue;
		}
		if (hv_exit_slow(vcpu, &exit) == HV_EXIT_PARK)
			return;
	}
}

/* Whether a halted or waiting vCPU has something to do. */
static bool activity_ready(struct hv_vcpu *vcpu)
{
	if (test_bit(HV_REQ_INIT, &vcpu->requests))
		return true;
	switch (vcpu->activity) {
	case HV_ACTIVITY_HALTED:
		return hv_vcpu_event_pending(vcpu) ||
		       (vcpu->halt_if && hv_lapic_has_intr(vcpu));
	case HV_ACTIVITY_WAIT_SIPI:
		return test_bit(HV_REQ_SIPI, &vcpu->requests);
	default:
		return true;
	}
}

static int park_state(struct hv_vcpu *vcpu)
{
	switch (vcpu->activity) {
	case HV_ACTIVITY_HALTED:
		return HV_VCPU_STATE_HALTED;
	case HV_ACTIVITY_WAIT_SIPI:
		return HV_VCPU_STATE_WAIT_SIPI;
	default:
		return HV_VCPU_STATE_STOPPED;
	}
}

/**
 * hv_vcpu_thread() - the body of a vCPU's thread
 * @arg: the vCPU
 *
 * Return: 0, when the thread is stopped (hv_vcpu_stop()).
 */
int hv_vcpu_thread(void *arg)
{
	struct hv_vcpu *vcpu = arg;

	while (!kthread_should_stop()) {
		if (vcpu_park_until(vcpu, activity_ready, park_state(vcpu)))
			break;
		/* INIT and SIPI change the registers here, outside the guest. */
		if (test_and_clear_bit(HV_REQ_INIT, &vcpu->requests)) {
			hv_vcpu_init(vcpu);
			continue;
		}
		if (vcpu->activity == HV_ACTIVITY_WAIT_SIPI) {
			if (test_and_clear_bit(HV_REQ_SIPI, &vcpu->requests))
				hv_vcpu_sipi(vcpu, READ_ONCE(vcpu->sipi_vector));
			continue;
		}
		clear_bit(HV_REQ_SIPI, &vcpu->requests);
		vcpu->activity = HV_ACTIVITY_ACTIVE;
		/* Whatever arrived while parked is looked at before entry. */
		set_bit(HV_REQ_EVENT, &vcpu->requests);
		vcpu_run(vcpu);
		/* Halted or parked: the hrtimer wakes it. */
		hv_lapic_timer_to_hrtimer(vcpu);
	}
	/* Stopped: count as parked so that nothing waits for us. */
	hv_vcpu_mark_parked(vcpu, true, HV_VCPU_STATE_STOPPED);
	return 0;
}
