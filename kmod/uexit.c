// SPDX-License-Identifier: GPL-2.0
/*
 * Exits answered by the VM's owner. A vCPU posts one exit at a time with a
 * sequence number of its own; the owner completes it by that number; the
 * transport (struct hv_uexit_ops) only carries records.
 *
 * While it waits, the vCPU counts as parked: pausing the VM or changing its
 * memory map does not wait for the owner, and a completion that arrives
 * while the VM is paused is used when the thread next runs. The vCPU then
 * finishes the instruction, which runs no guest code, and parks before it
 * would enter the guest again, so a paused vCPU is always between
 * instructions (hv_vcpu_parked(), hv_uexit_settle()).
 *
 * A transport that keeps completions where the vCPU can look for them (the
 * ring) lets it poll for up to the VM's ring_poll_ns before it sleeps, so
 * that an owner that answers at once costs no wake-up on either side.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/netlink.h>
#include <linux/sched.h>

#include "compat.h"
#include "hv_host.h"

/**
 * hv_uexit_init() - set up a new vCPU's exchange with its owner
 * @vcpu: the vCPU, not yet visible
 */
void hv_uexit_init(struct hv_vcpu *vcpu)
{
	spin_lock_init(&vcpu->uexit.lock);
	vcpu->uexit.ops = &hv_nl_uexit_ops;
}

/**
 * hv_uexit_set_transport() - carry a vCPU's exits over another transport
 * @vcpu: the vCPU: stopped (hv_vcpu_stopped()) in a VM that does not run,
 *	vm->lock held, so that its thread posts and waits on nothing
 * @ops: the transport
 * @priv: its state of @vcpu, which it now owns
 *
 * The previous transport's state is released.
 */
void hv_uexit_set_transport(struct hv_vcpu *vcpu,
			    const struct hv_uexit_ops *ops, void *priv)
{
	hv_uexit_release(vcpu);
	spin_lock(&vcpu->uexit.lock);
	vcpu->uexit.ops = ops;
	vcpu->uexit.priv = priv;
	spin_unlock(&vcpu->uexit.lock);
}

/**
 * hv_uexit_release() - release a vCPU's transport state, back to netlink
 * @vcpu: as for hv_uexit_set_transport(), or being freed
 */
void hv_uexit_release(struct hv_vcpu *vcpu)
{
	const struct hv_uexit_ops *ops = vcpu->uexit.ops;

	if (ops->release)
		ops->release(vcpu);
	spin_lock(&vcpu->uexit.lock);
	vcpu->uexit.ops = &hv_nl_uexit_ops;
	vcpu->uexit.priv = NULL;
	spin_unlock(&vcpu->uexit.lock);
}

/*
 * Whether the waiting exit's completion arrived: given through
 * hv_uexit_complete(), or found by the transport. Also a wait condition:
 * must not sleep.
 */
static bool uexit_done(struct hv_vcpu *vcpu)
{
	struct hv_uexit_state *st = &vcpu->uexit;
	bool error = false;
	u64 data = 0;
	int ret;

	if (READ_ONCE(st->done))
		return true;
	if (!st->ops->poll)
		return false;
	ret = st->ops->poll(vcpu, st->seq, &data, &error);
	if (!ret)
		return false;
	spin_lock(&st->lock);
	if (st->pending && !st->done) {
		st->malformed = ret < 0;
		st->data = data;
		st->error = error;
		WRITE_ONCE(st->done, true);
	}
	spin_unlock(&st->lock);
	return true;
}

/* Poll a transport that allows it, for up to the VM's ring_poll_ns. */
static bool uexit_poll(struct hv_vcpu *vcpu)
{
	u32 budget = READ_ONCE(vcpu->vm->ring_poll_ns);
	u64 end;

	if (!vcpu->uexit.ops->poll || !budget)
		return false;
	if (vcpu->uexit.woke_owner && vcpu->uexit.ops->hurry)
		vcpu->uexit.ops->hurry(vcpu);
	end = ktime_get_ns() + budget;
	do {
		if (uexit_done(vcpu))
			return true;
		/* A pause or a stop ends the poll: nothing answers then. */
		if (kthread_should_stop() ||
		    test_bit(HV_REQ_PARK, &vcpu->requests))
			return false;
		cond_resched();
		cpu_relax();
	} while (ktime_get_ns() < end);
	return false;
}

/* Sleep, counted as parked, until @until holds or the thread must stop. */
static int uexit_sleep(struct hv_vcpu *vcpu, bool (*until)(struct hv_vcpu *))
{
	const struct hv_uexit_ops *ops = vcpu->uexit.ops;

	hv_vcpu_mark_parked(vcpu, true, HV_VCPU_STATE_OWNER_WAIT);
	if (until && uexit_poll(vcpu))
		goto out;
	if (until && ops->sleep)
		ops->sleep(vcpu, true);
	if (!until || !until(vcpu))
		vcpu->stats[HV_STAT_SLEEPS]++;
	for (;;) {
		/* Interruptible: owners may take long, and kthreads get no signals. */
		wait_event_interruptible(vcpu->wq, kthread_should_stop() ||
					 (until && until(vcpu)));
		if (kthread_should_stop())
			return -EINTR;
		if (until && until(vcpu))
			break;
	}
	if (ops->sleep)
		ops->sleep(vcpu, false);
out:
	hv_vcpu_mark_parked(vcpu, false, HV_VCPU_STATE_RUNNING);
	return 0;
}

/**
 * hv_uexit_post() - send an exit to the owner
 * @vcpu: the vCPU (its own thread, preemption on)
 * @rec: the exit; its seq and rip are filled in
 * @wait: the caller will wait for the completion (hlt exits do not)
 *
 * An owner that is gone leaves a waiting vCPU parked until the VM is
 * destroyed, which its socket release does.
 *
 * Return: 0; -EINTR if the thread is being stopped; -ENOMEM.
 */
int hv_uexit_post(struct hv_vcpu *vcpu, struct hv_uexit *rec, bool wait)
{
	struct hv_uexit_state *st = &vcpu->uexit;
	int err;

	spin_lock(&st->lock);
	rec->seq = ++st->seq;
	st->pending = wait;
	st->done = false;
	st->malformed = false;
	st->woke_owner = false;
	spin_unlock(&st->lock);
	rec->rip = vcpu->rip;
	/* An owner that reads the vCPU after the exit sees it waiting. */
	if (wait)
		WRITE_ONCE(vcpu->state, HV_VCPU_STATE_OWNER_WAIT);

	for (;;) {
		err = st->ops->post(vcpu, rec);
		if (err != -EAGAIN)
			break;
		/*
		 * The owner's queue is full: let it drain, parked (between
		 * instructions, or in one that waits for the owner anyway),
		 * so that a pause need not wait for the owner.
		 */
		hv_vcpu_mark_parked(vcpu, true, HV_VCPU_STATE_OWNER_WAIT);
		wait_event_interruptible_timeout(vcpu->wq, kthread_should_stop(),
						 msecs_to_jiffies(10));
		if (kthread_should_stop())
			return -EINTR;
		hv_vcpu_mark_parked(vcpu, false, wait ?
				    HV_VCPU_STATE_OWNER_WAIT :
				    HV_VCPU_STATE_RUNNING);
	}
	if (!err || err == -ENOMEM)
		return err;
	pr_debug("vm %u vcpu %u: cannot post exit over %s: %d\n", vcpu->vm->id,
		 vcpu->id, st->ops->name, err);
	if (!wait)
		return 0;
	return uexit_sleep(vcpu, NULL);
}

/**
 * hv_uexit_wait() - wait for the completion of the exit posted last
 * @vcpu: the vCPU (its own thread, preemption on)
 * @data: receives the completion's data
 * @error: receives its error flag
 *
 * A malformed completion (found by the transport) crashes the VM.
 *
 * Return: 0; -EINTR if the thread is being stopped; -EPROTO for a
 * malformed completion.
 */
int hv_uexit_wait(struct hv_vcpu *vcpu, u64 *data, bool *error)
{
	struct hv_uexit_state *st = &vcpu->uexit;
	bool malformed;
	int err;

	err = uexit_sleep(vcpu, uexit_done);
	if (err)
		return err;
	spin_lock(&st->lock);
	st->pending = false;
	*data = st->data;
	*error = st->error;
	malformed = st->malformed;
	spin_unlock(&st->lock);
	if (malformed) {
		hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: the owner's completion of exit %llu over %s has unknown flags or reserved bits set",
			    vcpu->id, st->seq, st->ops->name);
		return -EPROTO;
	}
	return 0;
}

/**
 * hv_uexit_call() - post an exit and wait for its completion
 * @vcpu: the vCPU (its own thread, preemption on)
 * @reason: HV_EXIT_REASON_* (not hlt)
 * @dir: HV_DIR_*
 * @addr: port, guest-physical address or MSR index
 * @size: access size in bytes
 * @data: the value written, for writes
 * @result: receives the completion's data
 * @error: receives its error flag
 *
 * Return: 0; -EINTR if the thread is being stopped; -ENOMEM.
 */
int hv_uexit_call(struct hv_vcpu *vcpu, u32 reason, u32 dir, u64 addr,
		  u32 size, u64 data, u64 *result, bool *error)
{
	struct hv_uexit rec = {
		.reason = reason,
		.dir = dir,
		.addr = addr,
		.size = size,
		.data = data,
	};
	int err;

	err = hv_uexit_post(vcpu, &rec, true);
	if (err)
		return err;
	return hv_uexit_wait(vcpu, result, error);
}

/**
 * hv_uexit_complete() - the owner answers the exit a vCPU waits on
 * @vcpu: the vCPU
 * @seq: the exit's sequence number
 * @data: the value read
 * @error: the access failed
 * @extack: names the problem on failure
 *
 * Context: a transport's receive path (a netlink handler), may sleep.
 * Return: 0; -ENOENT if no exit waits; -EINVAL if @seq is not its number.
 */
int hv_uexit_complete(struct hv_vcpu *vcpu, u64 seq, u64 data, bool error,
		      struct netlink_ext_ack *extack)
{
	struct hv_uexit_state *st = &vcpu->uexit;
	int err = 0;

	spin_lock(&st->lock);
	if (!st->pending || st->done) {
		hv_extack_msg(extack, "the vcpu has no exit waiting for completion");
		err = -ENOENT;
	} else if (seq != st->seq) {
		hv_extack_msg(extack, "seq is not the sequence number of the waiting exit");
		err = -EINVAL;
	} else {
		st->data = data;
		st->error = error;
		WRITE_ONCE(st->done, true);
	}
	spin_unlock(&st->lock);
	if (!err)
		wake_up(&vcpu->wq);
	return err;
}

/**
 * hv_uexit_cancel() - forget the exit a stopped vCPU waited on
 * @vcpu: the vCPU; its thread is gone
 */
void hv_uexit_cancel(struct hv_vcpu *vcpu)
{
	struct hv_uexit_state *st = &vcpu->uexit;

	spin_lock(&st->lock);
	st->pending = false;
	st->done = false;
	spin_unlock(&st->lock);
	if (st->ops->cancel)
		st->ops->cancel(vcpu);
}

/**
 * hv_uexit_idle() - whether no exit of a vCPU waits for its completion
 * @vcpu: the vCPU
 *
 * Return: true if none waits.
 */
bool hv_uexit_idle(struct hv_vcpu *vcpu)
{
	bool idle;

	spin_lock(&vcpu->uexit.lock);
	idle = !vcpu->uexit.pending;
	spin_unlock(&vcpu->uexit.lock);
	return idle;
}

/**
 * hv_uexit_unused() - whether a vCPU holds a completion it has not used
 * @vcpu: the vCPU
 *
 * Context: any; a lockless snapshot (callers hold vm->run_lock).
 * Return: true if the owner completed the waiting exit and the vCPU has
 * not taken the completion yet.
 */
bool hv_uexit_unused(struct hv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->uexit.pending) && READ_ONCE(vcpu->uexit.done);
}

static bool completion_used(struct hv_vcpu *vcpu)
{
	bool used;

	spin_lock(&vcpu->vm->run_lock);
	used = hv_vcpu_parked(vcpu);
	spin_unlock(&vcpu->vm->run_lock);
	return used;
}

/**
 * hv_uexit_settle() - let a stopped VM's vCPU use a completion it was given
 * @vcpu: the vCPU; vm->lock held, and the VM not running
 *
 * A completion given while the VM is paused is used by the vCPU thread at
 * once: it finishes the instruction, which runs no guest code, and parks.
 * Readers of its state wait for that, so that a completion followed by a
 * register read sees the instruction finished, whether the read comes
 * before or after the thread took the completion. The wait is bounded:
 * the thread needs no lock a handler holds.
 *
 * Return: true if the vCPU is stopped (hv_vcpu_stopped()).
 */
bool hv_uexit_settle(struct hv_vcpu *vcpu)
{
	bool given, pending;

	spin_lock(&vcpu->uexit.lock);
	pending = vcpu->uexit.pending;
	spin_unlock(&vcpu->uexit.lock);
	/* A ring's completion counts as given once it is in the page. */
	given = pending && uexit_done(vcpu);
	/* The owner may not have woken it: it polled, or lost the race. */
	if (given)
		wake_up(&vcpu->wq);
	/*
	 * Parked again means the completion was used: the vCPU is stopped,
	 * or waits for the owner once more (a second access of the same
	 * instruction), which is not worth waiting for. A vCPU that took
	 * its completion already (a ring's owner need not wait for a reply
	 * before it asks) is not parked yet: it finishes the instruction
	 * and parks too.
	 */
	wait_event_timeout(vcpu->vm->park_wq, completion_used(vcpu), HZ);
	return hv_vcpu_stopped(vcpu);
}
