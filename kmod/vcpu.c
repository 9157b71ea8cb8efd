// SPDX-License-Identifier: GPL-2.0
/*
 * vCPUs and the threads that run them (DESIGN rule 1): one kernel thread
 * per vCPU, hv/<vm>/<vcpu>, attached to the owner's cgroups. The thread
 * parks while its VM does not run, enters the guest in a loop, handles the
 * exits it can in the kernel without leaving the loop, and leaves it for
 * anything that may sleep: HLT, an exit sent to the owner, emulation.
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

#include <linux/cgroup.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <asm/nospec-branch.h>
#include <asm/trapnr.h>

#include "decode.h"
#include "exception.h"
#include "hv.h"

enum fast_result {
	FAST_BREAK,	/* a request or need_resched(): look outside */
	FAST_SLOW,	/* the exit needs the slow path */
	FAST_FPU,	/* the guest's FPU image could not be loaded */
};

enum exit_result {
	EXIT_HANDLED,	/* resume the guest */
	EXIT_SLOW,	/* handle it where sleeping is allowed */
};

static bool vcpu_can_run(struct hv_vcpu *vcpu)
{
	struct hv_vm *vm = vcpu->vm;

	return READ_ONCE(vm->state) == HV_VM_STATE_RUNNING &&
	       !READ_ONCE(vm->quiesce);
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

		/* Interruptible: long parks must not look like hung tasks. */
		wait_event_interruptible(vcpu->wq, kthread_should_stop() ||
					 (vcpu_can_run(vcpu) &&
					  (!ready || ready(vcpu))));
		if (kthread_should_stop())
			return -EINTR;
	}
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
	set_bit(req, &vcpu->requests);
	/* Pairs with the barrier after the vCPU publishes guest mode. */
	smp_mb__after_atomic();
	if (atomic_read(&vcpu->mode) == HV_IN_GUEST) {
		int cpu = READ_ONCE(vcpu->cpu);

		if (cpu >= 0 && cpu != raw_smp_processor_id())
			smp_send_reschedule(cpu);
	}
	wake_up(&vcpu->wq);
}

/**
 * hv_vcpu_queue_exception() - inject an exception at the next entry
 * @vcpu: the vCPU, outside guest mode (its own thread)
 * @vector: the exception vector
 * @has_error: it pushes an error code
 * @error_code: the error code
 *
 * An exception pending already is merged with the new one as the CPU
 * merges an exception raised while delivering another
 * (hv_exception_merge()): into a double fault, or a shutdown
 * (vcpu->triple_fault, a triple fault exit). Otherwise the new one is
 * delivered, and the instruction that raised the first raises it again.
 *
 * Context: any; does not sleep.
 */
void hv_vcpu_queue_exception(struct hv_vcpu *vcpu, u8 vector, bool has_error,
			     u32 error_code)
{
	struct hv_event *e = &vcpu->event;
	int merged = vector;

	if (e->valid && e->type == HV_EVENT_TYPE_EXCEPTION)
		merged = hv_exception_merge(e->vector, vector);
	if (merged == HV_TRIPLE_FAULT) {
		e->valid = false;
		vcpu->triple_fault = true;
		return;
	}
	if (merged != vector) {
		has_error = true;	/* #DF pushes 0 */
		error_code = 0;
	}
	*e = (struct hv_event) {
		.valid = true,
		.type = HV_EVENT_TYPE_EXCEPTION,
		.vector = merged,
		.has_error = has_error,
		.error_code = error_code,
	};
}

static bool never(struct hv_vcpu *vcpu)
{
	return false;
}

/*
 * Wait for the owner's completion, counting as parked meanwhile. The
 * completion is used even while the VM is paused or its memory map
 * changes: the vCPU then finishes the instruction, which runs no guest
 * code, and parks before it would enter the guest again. So a paused
 * vCPU is always between instructions (see hv_vcpu_parked()).
 */
static int wait_completion(struct hv_vcpu *vcpu)
{
	struct hv_vm *vm = vcpu->vm;

	spin_lock(&vm->run_lock);
	vcpu->parked = true;
	spin_unlock(&vm->run_lock);
	WRITE_ONCE(vcpu->state, HV_VCPU_STATE_OWNER_WAIT);
	wake_up_all(&vm->park_wq);

	wait_event_interruptible(vcpu->wq, kthread_should_stop() ||
				 READ_ONCE(vcpu->exit_done));
	if (kthread_should_stop())
		return -EINTR;
	spin_lock(&vm->run_lock);
	vcpu->parked = false;
	spin_unlock(&vm->run_lock);
	WRITE_ONCE(vcpu->state, HV_VCPU_STATE_RUNNING);
	return 0;
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
	return vcpu->parked &&
	       !(READ_ONCE(vcpu->exit_pending) && READ_ONCE(vcpu->exit_done));
}

/**
 * hv_vcpu_exit_to_owner() - send an exit to the VM's owner and wait for it
 * @vcpu: the vCPU (its own thread, preemption on)
 * @reason: HV_EXIT_REASON_*
 * @dir: HV_DIR_*
 * @addr: port, guest-physical address or MSR index
 * @size: access size in bytes
 * @data: value written, for writes
 * @result: receives the completion data (NULL for hlt exits)
 * @error: receives the completion error flag (NULL for hlt exits)
 *
 * The vCPU counts as parked while it waits: pausing the VM or changing its
 * memory map does not have to wait for the owner, and a completion that
 * arrives while the VM is paused is used when it resumes. hlt exits are
 * only sent: they need no completion.
 *
 * Return: 0; -EINTR if the thread is being stopped.
 */
int hv_vcpu_exit_to_owner(struct hv_vcpu *vcpu, u32 reason, u32 dir,
			  u64 addr, u32 size, u64 data, u64 *result,
			  bool *error)
{
	bool wait = reason != HV_EXIT_REASON_HLT;
	struct sk_buff *skb;
	int err;

	spin_lock(&vcpu->exit_lock);
	vcpu->exit_seq++;
	vcpu->exit_pending = wait;
	vcpu->exit_done = false;
	spin_unlock(&vcpu->exit_lock);
	/* An owner that reads the vCPU after the exit sees it waiting. */
	if (wait)
		WRITE_ONCE(vcpu->state, HV_VCPU_STATE_OWNER_WAIT);

	for (;;) {
		skb = hv_nl_exit_msg(vcpu, reason, dir, addr, size, data);
		if (!skb)
			return -ENOMEM;
		err = hv_nl_send_exit(vcpu, skb);
		if (err != -EAGAIN)
			break;
		/* The owner's receive queue is full: let it drain. */
		wait_event_interruptible_timeout(vcpu->wq, kthread_should_stop(),
						 msecs_to_jiffies(10));
		if (kthread_should_stop())
			return -EINTR;
	}
	if (err) {
		/* The owner is gone; its socket release destroys the VM. */
		pr_debug("vm %u vcpu %u: cannot send exit: %d\n", vcpu->vm->id,
			 vcpu->id, err);
		if (!wait)
			return 0;
		return vcpu_park_until(vcpu, never, HV_VCPU_STATE_OWNER_WAIT);
	}
	if (!wait)
		return 0;

	err = wait_completion(vcpu);
	if (err)
		return err;
	spin_lock(&vcpu->exit_lock);
	vcpu->exit_pending = false;
	*result = vcpu->exit_data;
	*error = vcpu->exit_error;
	spin_unlock(&vcpu->exit_lock);
	return 0;
}

/**
 * hv_vcpu_complete() - the owner answers the exit a vCPU waits on
 * @vcpu: the vCPU
 * @seq: the exit's sequence number
 * @data: the value read
 * @error: the access failed
 * @why: set to the reason on failure
 *
 * Context: netlink handler.
 * Return: 0; -ENOENT if no exit waits; -EINVAL if @seq is not its number.
 */
int hv_vcpu_complete(struct hv_vcpu *vcpu, u64 seq, u64 data, bool error,
		     const char **why)
{
	int err = 0;

	spin_lock(&vcpu->exit_lock);
	if (!vcpu->exit_pending || vcpu->exit_done) {
		*why = "the vcpu has no exit waiting for completion";
		err = -ENOENT;
	} else if (seq != vcpu->exit_seq) {
		*why = "seq is not the sequence number of the waiting exit";
		err = -EINVAL;
	} else {
		vcpu->exit_data = data;
		vcpu->exit_error = error;
		WRITE_ONCE(vcpu->exit_done, true);
	}
	spin_unlock(&vcpu->exit_lock);
	if (!err)
		wake_up(&vcpu->wq);
	return err;
}

static enum exit_result handle_npf_fast(struct hv_vcpu *vcpu,
					const struct hv_exit *exit)
{
	struct page *page;
	u32 flags = 0;
	int err;

	rcu_read_lock();
	page = hv_gpa_to_page(vcpu->vm, exit->npf.gpa, &flags);
	if (!page || (exit->npf.write && (flags & HV_MEM_FLAGS_READONLY))) {
		rcu_read_unlock();
		return EXIT_SLOW;	/* MMIO */
	}
	err = hv_npt_map(vcpu, exit->npf.gpa, page,
			 !(flags & HV_MEM_FLAGS_READONLY), exit->npf.write,
			 flags & HV_MEM_FLAGS_DIRTY_LOG);
	rcu_read_unlock();
	if (err)
		return EXIT_SLOW;	/* table cache empty: refill, refault */
	vcpu->stats[HV_STAT_NPF]++;
	return EXIT_HANDLED;
}

static enum exit_result handle_fast(struct hv_vcpu *vcpu,
				    const struct hv_exit *exit)
{
	u64 rip;

	switch (exit->kind) {
	case HV_EXIT_NONE:
		vcpu->stats[HV_STAT_INTR]++;
		return EXIT_HANDLED;
	case HV_EXIT_CPUID:
		/* The slow path reports an instruction it cannot measure. */
		if (hv_exit_next_rip(vcpu, exit, &rip))
			return EXIT_SLOW;
		hv_cpuid_emulate(vcpu);
		vcpu->rip = rip;
		vcpu->stats[HV_STAT_CPUID]++;
		return EXIT_HANDLED;
	case HV_EXIT_RDMSR:
	case HV_EXIT_WRMSR:
		if (hv_exit_next_rip(vcpu, exit, &rip))
			return EXIT_SLOW;
		switch (hv_msr_exit(vcpu, exit->kind == HV_EXIT_WRMSR)) {
		case HV_MSR_OWNER:
			return EXIT_SLOW;
		case HV_MSR_DONE:
			vcpu->rip = rip;
			break;
		}
		vcpu->stats[HV_STAT_MSR]++;
		return EXIT_HANDLED;
	case HV_EXIT_NPF:
		return handle_npf_fast(vcpu, exit);
	case HV_EXIT_CR4_WRITE:
		if (hv_emulate_cr4_write(vcpu, exit))
			return EXIT_SLOW;
		vcpu->stats[HV_STAT_OTHER]++;
		return EXIT_HANDLED;
	case HV_EXIT_INVD:
		if (hv_exit_next_rip(vcpu, exit, &rip))
			return EXIT_SLOW;
		vcpu->rip = rip;
		vcpu->stats[HV_STAT_OTHER]++;
		return EXIT_HANDLED;
	default:
		return EXIT_SLOW;
	}
}

/*
 * Enter the guest until an exit needs the slow path. The guest FPU state
 * is live in the registers only in here (DESIGN rule 8).
 */
static enum fast_result run_fast(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	enum fast_result ret;

	if (unlikely(hv_fpu_enter(vcpu))) {
		hv_fpu_leave(vcpu);
		return FAST_FPU;
	}
	vcpu->cpu = smp_processor_id();
	hv_backend->vcpu_load(vcpu, vcpu->cpu);
	for (;;) {
		if (need_resched()) {
			ret = FAST_BREAK;
			break;
		}
		if (unlikely(vcpu->triple_fault)) {
			vcpu->triple_fault = false;
			exit->kind = HV_EXIT_SHUTDOWN;
			ret = FAST_SLOW;
			break;
		}
		local_irq_disable();
		if (test_and_clear_bit(HV_REQ_TLB_FLUSH, &vcpu->requests))
			hv_backend->flush_tlb(vcpu);
		atomic_set(&vcpu->mode, HV_IN_GUEST);
		/* Pairs with hv_vcpu_kick(): see the comment at the top. */
		smp_mb__after_atomic();
		if (READ_ONCE(vcpu->requests)) {
			atomic_set(&vcpu->mode, HV_OUTSIDE_GUEST);
			local_irq_enable();
			ret = FAST_BREAK;
			break;
		}
		hv_be_vcpu_run(vcpu, exit);
		atomic_set(&vcpu->mode, HV_OUTSIDE_GUEST);
		local_irq_enable();

		/* VMSCAPE: the next return to user space on this CPU flushes. */
		if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER))
			this_cpu_write(x86_ibpb_exit_to_user, true);
		vcpu->stats[HV_STAT_EXITS]++;
		if (handle_fast(vcpu, exit) != EXIT_HANDLED) {
			ret = FAST_SLOW;
			break;
		}
	}
	hv_backend->vcpu_put(vcpu);
	hv_fpu_leave(vcpu);
	return ret;
}

static int handle_io(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	u64 mask = hv_mask(exit->io.size), val = 0;
	bool error = false;
	int err;

	vcpu->stats[HV_STAT_IO]++;
	if (exit->io.string)
		return hv_emulate_string_io(vcpu, exit);
	if (exit->io.in) {
		err = hv_vcpu_exit_to_owner(vcpu, HV_EXIT_REASON_IO,
					    HV_DIR_READ, exit->io.port,
					    exit->io.size, 0, &val, &error);
		if (err)
			return err;
		/* IN to EAX zero-extends into RAX like any 32-bit write. */
		if (exit->io.size == 4)
			vcpu->gpr[HV_RAX] = (u32)val;
		else
			vcpu->gpr[HV_RAX] = (vcpu->gpr[HV_RAX] & ~mask) |
					    (val & mask);
	} else {
		err = hv_vcpu_exit_to_owner(vcpu, HV_EXIT_REASON_IO,
					    HV_DIR_WRITE, exit->io.port,
					    exit->io.size,
					    vcpu->gpr[HV_RAX] & mask, &val,
					    &error);
		if (err)
			return err;
	}
	vcpu->rip = exit->next_rip;
	return 0;
}

/*
 * The RIP after the instruction that exited; a guest whose instruction
 * cannot be measured (its code unmapped or rewritten meanwhile) is
 * crashed.
 */
static int next_rip(struct hv_vcpu *vcpu, const struct hv_exit *exit,
		    u64 *rip)
{
	int err = hv_exit_next_rip(vcpu, exit, rip);

	if (err)
		hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
			    "vcpu %u cannot find the length of the instruction at rip %#llx: %s",
			    vcpu->id, vcpu->rip,
			    err == -ENODATA ? "cannot fetch it" :
			    "the bytes there are not the instruction that exited");
	return err;
}

static int handle_msr_owner(struct hv_vcpu *vcpu, const struct hv_exit *exit,
			    u64 rip)
{
	bool write = exit->kind == HV_EXIT_WRMSR;
	u64 value = (vcpu->gpr[HV_RDX] << 32) | (u32)vcpu->gpr[HV_RAX];
	bool error = false;
	u64 result = 0;
	int err;

	err = hv_vcpu_exit_to_owner(vcpu, HV_EXIT_REASON_MSR,
				    write ? HV_DIR_WRITE : HV_DIR_READ,
				    (u32)vcpu->gpr[HV_RCX], 8, value, &result,
				    &error);
	if (err)
		return err;
	if (error) {
		hv_vcpu_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return 0;
	}
	if (!write) {
		vcpu->gpr[HV_RAX] = (u32)result;
		vcpu->gpr[HV_RDX] = result >> 32;
	}
	vcpu->rip = rip;
	return 0;
}

/* An MSR access handle_fast() left: for the owner, or not measurable. */
static int handle_msr_slow(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	u64 rip;
	int err, res;

	err = next_rip(vcpu, exit, &rip);
	if (err)
		return err;
	/* Nothing was applied yet; the kernel's answer may be final. */
	preempt_disable();
	res = hv_msr_exit(vcpu, exit->kind == HV_EXIT_WRMSR);
	preempt_enable();
	if (res == HV_MSR_OWNER)
		return handle_msr_owner(vcpu, exit, rip);
	vcpu->stats[HV_STAT_MSR]++;
	if (res == HV_MSR_DONE)
		vcpu->rip = rip;
	return 0;
}

enum npf_kind {
	NPF_RAM,	/* RAM the guest may access so: map it */
	NPF_MMIO,	/* the instruction's access: the owner's device */
	NPF_WALK,	/* the CPU's page walk, into memory no slot backs */
	NPF_WALK_ROM,	/* the CPU's page walk, setting A/D bits in a ROM */
	NPF_DELIVERY,	/* delivering an event, outside RAM */
};

static enum npf_kind npf_kind(struct hv_vm *vm, const struct hv_exit *exit)
{
	struct page *page;
	u32 flags = 0;

	rcu_read_lock();
	page = hv_gpa_to_page(vm, exit->npf.gpa, &flags);
	rcu_read_unlock();
	if (page && !(exit->npf.write && (flags & HV_MEM_FLAGS_READONLY)))
		return NPF_RAM;
	if (exit->npf.walk)
		return page ? NPF_WALK_ROM : NPF_WALK;
	/* Pushing a frame or reading a gate is no instruction to emulate. */
	if (exit->vectoring)
		return NPF_DELIVERY;
	return NPF_MMIO;
}

static bool event_pending(struct hv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->event.valid);
}

/*
 * Handle an exit where sleeping is allowed.
 * Return: 0 to enter the guest again; 1 to go back to parking.
 */
static int handle_slow(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	struct hv_vm *vm = vcpu->vm;
	u64 rip;
	int err;

	switch (exit->kind) {
	case HV_EXIT_NPF:
		switch (npf_kind(vm, exit)) {
		case NPF_RAM:
			return 0;	/* only the table cache was empty */
		case NPF_WALK:
			err = hv_emulate_walk_fault(vcpu, exit);
			break;
		case NPF_WALK_ROM:
			hv_vm_crash(vm, HV_VM_STATE_CRASHED,
				    "vcpu %u: the guest's page tables at gpa %#llx are in a read-only slot, where the CPU cannot set their accessed and dirty bits",
				    vcpu->id, exit->npf.gpa);
			return 1;
		case NPF_DELIVERY:
			hv_vm_crash(vm, HV_VM_STATE_CRASHED,
				    "vcpu %u: delivering an event touched gpa %#llx, which is not RAM, at rip %#llx",
				    vcpu->id, exit->npf.gpa, vcpu->rip);
			return 1;
		default:
			vcpu->stats[HV_STAT_MMIO]++;
			err = hv_emulate_mmio(vcpu, exit);
			break;
		}
		break;
	case HV_EXIT_IO:
		err = handle_io(vcpu, exit);
		break;
	case HV_EXIT_RDMSR:
	case HV_EXIT_WRMSR:
		err = handle_msr_slow(vcpu, exit);
		break;
	case HV_EXIT_CPUID:
		/* Only here when handle_fast() could not measure it. */
		err = next_rip(vcpu, exit, &rip);
		if (!err) {
			hv_cpuid_emulate(vcpu);
			vcpu->rip = rip;
			vcpu->stats[HV_STAT_CPUID]++;
		}
		break;
	case HV_EXIT_INVD:
		err = next_rip(vcpu, exit, &rip);
		if (!err)
			vcpu->rip = rip;
		break;
	case HV_EXIT_TASK_SWITCH:
		err = hv_task_switch(vcpu, exit);
		break;
	case HV_EXIT_CR4_WRITE:
		/* Only here when handle_fast() could not decode it. */
		hv_vm_crash(vm, HV_VM_STATE_CRASHED,
			    "vcpu %u cannot decode the MOV to CR4 at rip %#llx",
			    vcpu->id, vcpu->rip);
		return 1;
	case HV_EXIT_HLT:
		vcpu->stats[HV_STAT_HLT]++;
		if (next_rip(vcpu, exit, &rip))
			return 1;
		vcpu->rip = rip;
		if (event_pending(vcpu))
			return 0;
		vcpu->halted = true;
		hv_vcpu_exit_to_owner(vcpu, HV_EXIT_REASON_HLT, HV_DIR_READ, 0,
				      0, hv_be_get_rflags(vcpu), NULL, NULL);
		return 1;
	case HV_EXIT_SHUTDOWN:
		hv_vm_crash(vm, HV_VM_STATE_CRASHED,
			    "triple fault (shutdown) on vcpu %u at rip %#llx",
			    vcpu->id, vcpu->rip);
		return 1;
	case HV_EXIT_INVALID_STATE:
		hv_vm_crash(vm, HV_VM_STATE_CRASHED,
			    "invalid guest state on vcpu %u (entry failure %#llx, detail %#llx)",
			    vcpu->id, exit->hw_reason, exit->detail);
		return 1;
	default:
		vcpu->stats[HV_STAT_OTHER]++;
		hv_vm_crash(vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: exit %#llx hv does not handle, at rip %#llx",
			    vcpu->id, exit->hw_reason, vcpu->rip);
		return 1;
	}
	if (err == -EINTR)
		return 1;
	if (err) {
		/* The emulator already crashed the VM with its reason. */
		if (READ_ONCE(vm->state) == HV_VM_STATE_RUNNING)
			hv_vm_crash(vm, HV_VM_STATE_CRASHED,
				    "vcpu %u: exit handling failed at rip %#llx: %pe",
				    vcpu->id, vcpu->rip, ERR_PTR(err));
		return 1;
	}
	return 0;
}

static void vcpu_run(struct hv_vcpu *vcpu)
{
	enum fast_result res;
	struct hv_exit exit;

	for (;;) {
		if (hv_npt_cache_fill(vcpu)) {
			hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
				    "out of memory for nested page tables");
			return;
		}
		res = run_fast(vcpu, &exit);
		if (unlikely(res == FAST_FPU)) {
			/* hv_fpu_check() lets no such image in. */
			WARN_ON_ONCE(1);
			hv_vm_crash(vcpu->vm, HV_VM_STATE_DEAD,
				    "vcpu %u: the CPU refused the guest's FPU state",
				    vcpu->id);
			return;
		}
		if (res == FAST_BREAK) {
			cond_resched();
			if (test_bit(HV_REQ_PARK, &vcpu->requests) ||
			    !vcpu_can_run(vcpu))
				return;
			continue;
		}
		if (handle_slow(vcpu, &exit))
			return;
	}
}

static bool halt_ready(struct hv_vcpu *vcpu)
{
	return !vcpu->halted || event_pending(vcpu);
}

static int vcpu_thread(void *arg)
{
	struct hv_vcpu *vcpu = arg;

	while (!kthread_should_stop()) {
		if (vcpu_park_until(vcpu, halt_ready, vcpu->halted ?
				    HV_VCPU_STATE_HALTED :
				    HV_VCPU_STATE_STOPPED))
			break;
		vcpu->halted = false;
		vcpu_run(vcpu);
	}
	/* Stopped: count as parked so that nothing waits for us. */
	spin_lock(&vcpu->vm->run_lock);
	vcpu->parked = true;
	spin_unlock(&vcpu->vm->run_lock);
	WRITE_ONCE(vcpu->state, HV_VCPU_STATE_STOPPED);
	return 0;
}

/**
 * hv_vcpu_create() - add a vCPU and its thread to a VM
 * @vm: the VM; vm->lock held
 * @id: the vCPU's index: the VM's number of vCPUs
 * @out: receives the vCPU
 * @why: set to the reason on failure
 *
 * The thread is attached to the calling process's cgroups, so the owner's
 * resource control applies to it.
 *
 * Context: the owner's process context (netlink handler), may sleep.
 * Return: 0; -ENOSPC if the VM has its maximum of vCPUs; -EINVAL if @id
 * is not the next index; -ENOMEM; the errno of thread creation or cgroup
 * attachment.
 */
int hv_vcpu_create(struct hv_vm *vm, u32 id, struct hv_vcpu **out,
		   const char **why)
{
	struct hv_vcpu *vcpu;
	int err;

	if (vm->nr_vcpus >= vm->max_vcpus) {
		*why = "the VM has its maximum number of vcpus";
		return -ENOSPC;
	}
	if (id != vm->nr_vcpus) {
		*why = "vcpu ids are given in order: id must be the VM's number of vcpus";
		return -EINVAL;
	}

	vcpu = kmem_cache_zalloc(hv_vcpu_cache, GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->cpu = -1;
	vcpu->parked = true;
	atomic_set(&vcpu->mode, HV_OUTSIDE_GUEST);
	init_waitqueue_head(&vcpu->wq);
	spin_lock_init(&vcpu->exit_lock);

	vcpu->scratch = kmem_cache_alloc(hv_regs_cache, GFP_KERNEL_ACCOUNT);
	if (!vcpu->scratch) {
		err = -ENOMEM;
		goto err_free;
	}
	err = hv_fpu_alloc(vcpu);
	if (err)
		goto err_free;
	err = hv_backend->vcpu_create(vcpu);
	if (err)
		goto err_fpu;

	vcpu->thread = kthread_create_on_node(vcpu_thread, vcpu, NUMA_NO_NODE,
					      "hv/%u/%u", vm->id, id);
	if (IS_ERR(vcpu->thread)) {
		err = PTR_ERR(vcpu->thread);
		*why = "cannot create the vcpu thread";
		goto err_backend;
	}
	atomic_inc(&hv_acct.threads);
	err = cgroup_attach_task_all(current, vcpu->thread);
	if (err) {
		*why = "cannot attach the vcpu thread to the owner's cgroups";
		kthread_stop(vcpu->thread);
		atomic_dec(&hv_acct.threads);
		goto err_backend;
	}

	/* Handlers look vCPUs up under vm->lock; the thread is ours now. */
	vm->vcpus[id] = vcpu;
	vm->nr_vcpus++;
	atomic_inc(&hv_acct.vcpus);
	wake_up_process(vcpu->thread);
	*out = vcpu;
	return 0;

err_backend:
	hv_backend->vcpu_free(vcpu);
err_fpu:
	hv_fpu_free(vcpu);
err_free:
	if (vcpu->scratch)
		kmem_cache_free(hv_regs_cache, vcpu->scratch);
	kmem_cache_free(hv_vcpu_cache, vcpu);
	return err;
}

/**
 * hv_vcpu_stop() - stop a vCPU's thread; returns once it has exited
 * @vcpu: the vCPU
 *
 * Context: process context, may sleep; no VM lock held.
 */
void hv_vcpu_stop(struct hv_vcpu *vcpu)
{
	if (!vcpu->thread)
		return;
	hv_vcpu_kick(vcpu, HV_REQ_PARK);
	kthread_stop(vcpu->thread);
	vcpu->thread = NULL;
	atomic_dec(&hv_acct.threads);
}

/**
 * hv_vcpu_free() - free a stopped vCPU
 * @vcpu: the vCPU
 */
void hv_vcpu_free(struct hv_vcpu *vcpu)
{
	hv_backend->vcpu_free(vcpu);
	kmem_cache_free(hv_regs_cache, vcpu->scratch);
	hv_npt_cache_free(vcpu);
	hv_fpu_free(vcpu);
	atomic_dec(&hv_acct.vcpus);
	kmem_cache_free(hv_vcpu_cache, vcpu);
}

/**
 * hv_vcpu_stopped() - whether a vCPU's state may be read or changed
 * @vcpu: the vCPU; vm->lock held, and the VM not running
 *
 * Return: true if its thread is parked and no exit waits for completion.
 */
bool hv_vcpu_stopped(struct hv_vcpu *vcpu)
{
	bool stopped;

	spin_lock(&vcpu->vm->run_lock);
	stopped = vcpu->parked;
	spin_unlock(&vcpu->vm->run_lock);
	spin_lock(&vcpu->exit_lock);
	stopped = stopped && !vcpu->exit_pending;
	spin_unlock(&vcpu->exit_lock);
	return stopped;
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
 * hv_vcpu_settle() - let a stopped VM's vCPU use a completion it was given
 * @vcpu: the vCPU; vm->lock held, and the VM not running
 *
 * A completion given while the VM is paused is used by the vCPU thread at
 * once: it finishes the instruction, which runs no guest code, and parks.
 * Readers of its state wait for that, so that a completion followed by a
 * register read sees the instruction finished. The wait is bounded: the
 * thread needs no lock a handler holds.
 *
 * Return: true if the vCPU is stopped (hv_vcpu_stopped()).
 */
bool hv_vcpu_settle(struct hv_vcpu *vcpu)
{
	bool given;

	spin_lock(&vcpu->exit_lock);
	given = vcpu->exit_pending && vcpu->exit_done;
	spin_unlock(&vcpu->exit_lock);
	/*
	 * Parked again means the completion was used: the vCPU is stopped,
	 * or waits for the owner once more (a second access of the same
	 * instruction), which is not worth waiting for.
	 */
	if (given)
		wait_event_timeout(vcpu->vm->park_wq, completion_used(vcpu), HZ);
	return hv_vcpu_stopped(vcpu);
}

/**
 * hv_vcpu_get_regs() - read the architectural state of a stopped vCPU
 * @vcpu: the vCPU (hv_vcpu_stopped())
 * @regs: filled
 */
void hv_vcpu_get_regs(struct hv_vcpu *vcpu, struct hv_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	hv_backend->get_regs(vcpu, regs);
	memcpy(regs->gpr, vcpu->gpr, sizeof(regs->gpr));
	regs->rip = vcpu->rip;
	regs->event = vcpu->event;
	regs->halted = vcpu->halted;
	hv_fpu_get(vcpu, regs->fpu);
}

/**
 * hv_vcpu_set_regs() - load the architectural state of a stopped vCPU
 * @vcpu: the vCPU (hv_vcpu_stopped())
 * @regs: the state
 * @why: set to the reason on failure
 *
 * Return: 0, or -EINVAL for a state the hardware would refuse.
 */
int hv_vcpu_set_regs(struct hv_vcpu *vcpu, const struct hv_regs *regs,
		     const char **why)
{
	int err;

	if (regs->event.valid && regs->event.type == HV_EVENT_TYPE_EXCEPTION &&
	    regs->event.vector >= 32) {
		*why = "an exception's vector must be below 32";
		return -EINVAL;
	}
	if (regs->cr4 & ~READ_ONCE(vcpu->vm->cr4_allowed)) {
		*why = "cr4 has bits set the VM's CPUID does not offer";
		return -EINVAL;
	}
	err = hv_backend->set_regs(vcpu, regs, why);
	if (err)
		return err;
	memcpy(vcpu->gpr, regs->gpr, sizeof(vcpu->gpr));
	vcpu->rip = regs->rip;
	vcpu->event = regs->event;
	vcpu->halted = regs->halted;
	hv_fpu_set(vcpu, regs->fpu);
	return 0;
}
