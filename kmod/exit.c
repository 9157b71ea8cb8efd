// SPDX-License-Identifier: GPL-2.0
/*
 * What the core does with each kind of exit (struct hv_exit, translated
 * out of VMCS/VMCB terms by the backend): one table, hv_exit_handlers[].
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rcupdate.h>
#include <asm/trapnr.h>

#include "decode.h"
#include "exit.h"
#include "hv_host.h"
#include "irq/irq.h"

/*
 * The frequent kinds' fast handlers are inline in exit.h, where
 * hv_exit_fast() runs them without a call; these are their addresses for
 * the table.
 */

/**
 * hv_exit_intr_fast() - &hv_exit_handler.fast of host interrupts
 * @vcpu: the vCPU
 * @exit: the exit
 *
 * Return: as __hv_exit_intr_fast().
 */
enum hv_exit_ret hv_exit_intr_fast(struct hv_vcpu *vcpu,
				   const struct hv_exit *exit)
{
	return __hv_exit_intr_fast(vcpu, exit);
}

/**
 * hv_exit_cpuid_fast() - &hv_exit_handler.fast of CPUID
 * @vcpu: the vCPU
 * @exit: the exit
 *
 * Return: as __hv_exit_cpuid_fast().
 */
enum hv_exit_ret hv_exit_cpuid_fast(struct hv_vcpu *vcpu,
				    const struct hv_exit *exit)
{
	return __hv_exit_cpuid_fast(vcpu, exit);
}

/**
 * hv_exit_msr_fast() - &hv_exit_handler.fast of RDMSR and WRMSR
 * @vcpu: the vCPU
 * @exit: the exit
 *
 * Return: as __hv_exit_msr_fast().
 */
enum hv_exit_ret hv_exit_msr_fast(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit)
{
	return __hv_exit_msr_fast(vcpu, exit);
}

/**
 * hv_exit_npf_fast() - &hv_exit_handler.fast of nested page faults
 * @vcpu: the vCPU
 * @exit: the exit
 *
 * Return: as __hv_exit_npf_fast().
 */
enum hv_exit_ret hv_exit_npf_fast(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit)
{
	return __hv_exit_npf_fast(vcpu, exit);
}

static enum hv_exit_ret cr_fast(struct hv_vcpu *vcpu,
				const struct hv_exit *exit)
{
	if (hv_emulate_cr_write(vcpu, exit))
		return HV_EXIT_SLOW;
	vcpu->stats[HV_STAT_OTHER]++;
	return HV_EXIT_RESUME;
}

static enum hv_exit_ret invd_fast(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit)
{
	u64 rip;

	if (hv_exit_rip(vcpu, exit, &rip))
		return HV_EXIT_SLOW;
	vcpu->rip = rip;
	vcpu->stats[HV_STAT_OTHER]++;
	return HV_EXIT_RESUME;
}

/*
 * The end of a slow handler that called something returning an errno:
 * -EINTR (the thread is being stopped) parks; any other failure crashes the
 * VM, unless what failed crashed it already with a better reason.
 */
static enum hv_exit_ret slow_done(struct hv_vcpu *vcpu, int err)
{
	struct hv_vm *vm = vcpu->vm;

	if (!err)
		return HV_EXIT_RESUME;
	if (err != -EINTR && READ_ONCE(vm->state) == HV_VM_STATE_RUNNING)
		hv_vm_crash(vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: exit handling failed at rip %#llx: %pe",
			    vcpu->id, vcpu->rip, ERR_PTR(err));
	return HV_EXIT_PARK;
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

/* Only here when hv_exit_cpuid_fast() could not measure the instruction. */
static enum hv_exit_ret cpuid_slow(struct hv_vcpu *vcpu,
				   const struct hv_exit *exit)
{
	u64 rip;

	if (next_rip(vcpu, exit, &rip))
		return HV_EXIT_PARK;
	hv_cpuid_emulate(vcpu);
	vcpu->rip = rip;
	vcpu->stats[HV_STAT_CPUID]++;
	return HV_EXIT_RESUME;
}

static int msr_owner(struct hv_vcpu *vcpu, const struct hv_exit *exit,
		     u64 rip)
{
	bool write = exit->kind == HV_EXIT_WRMSR;
	u64 value = (vcpu->gpr[HV_RDX] << 32) | (u32)vcpu->gpr[HV_RAX];
	bool error = false;
	u64 result = 0;
	int err;

	err = hv_uexit_call(vcpu, HV_EXIT_REASON_MSR,
			    write ? HV_DIR_WRITE : HV_DIR_READ,
			    (u32)vcpu->gpr[HV_RCX], 8, value, &result, &error);
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

/* An MSR access hv_exit_msr_fast() left: for the owner, or not measurable. */
static enum hv_exit_ret msr_slow(struct hv_vcpu *vcpu,
				 const struct hv_exit *exit)
{
	enum hv_exit_ret ret;
	u64 rip;

	if (next_rip(vcpu, exit, &rip))
		return HV_EXIT_PARK;
	/* Nothing was applied yet; the kernel's answer may be final. */
	preempt_disable();
	ret = hv_msr_exit(vcpu, exit->kind == HV_EXIT_WRMSR, rip);
	preempt_enable();
	if (ret == HV_EXIT_SLOW)
		return slow_done(vcpu, msr_owner(vcpu, exit, rip));
	vcpu->stats[HV_STAT_MSR]++;
	return ret;
}

/* OUT to an ioeventfd's port: signal it and resume, in the fast loop. */
static enum hv_exit_ret io_fast(struct hv_vcpu *vcpu,
				const struct hv_exit *exit)
{
	if (exit->io.in || exit->io.string ||
	    hv_iobus_write(vcpu->vm, HV_IOBUS_PIO, exit->io.port,
			   exit->io.size,
			   vcpu->gpr[HV_RAX] & hv_mask(exit->io.size)))
		return HV_EXIT_SLOW;
	vcpu->stats[HV_STAT_IO]++;
	vcpu->stats[HV_STAT_IOEVENTFD]++;
	vcpu->rip = exit->next_rip;
	return HV_EXIT_RESUME;
}

static enum hv_exit_ret io_slow(struct hv_vcpu *vcpu,
				const struct hv_exit *exit)
{
	u64 mask = hv_mask(exit->io.size), val = 0;
	bool error = false;
	int err;

	vcpu->stats[HV_STAT_IO]++;
	if (exit->io.string)
		return slow_done(vcpu, hv_emulate_string_io(vcpu, exit));
	if (exit->io.in) {
		err = hv_uexit_call(vcpu, HV_EXIT_REASON_IO, HV_DIR_READ,
				    exit->io.port, exit->io.size, 0, &val,
				    &error);
		if (err)
			return slow_done(vcpu, err);
		/* IN to EAX zero-extends into RAX like any 32-bit write. */
		if (exit->io.size == 4)
			vcpu->gpr[HV_RAX] = (u32)val;
		else
			vcpu->gpr[HV_RAX] = (vcpu->gpr[HV_RAX] & ~mask) |
					    (val & mask);
	} else {
		err = hv_uexit_call(vcpu, HV_EXIT_REASON_IO, HV_DIR_WRITE,
				    exit->io.port, exit->io.size,
				    vcpu->gpr[HV_RAX] & mask, &val, &error);
		if (err)
			return slow_done(vcpu, err);
	}
	vcpu->rip = exit->next_rip;
	return HV_EXIT_RESUME;
}

/* An access to guest-physical memory that is not RAM: the owner's MMIO. */
static enum hv_exit_ret mmio_slow(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit)
{
	/* Pushing a frame or reading a gate is no instruction to emulate. */
	if (exit->vectoring) {
		hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: delivering an event touched gpa %#llx, which is not RAM, at rip %#llx",
			    vcpu->id, exit->npf.gpa, vcpu->rip);
		return HV_EXIT_PARK;
	}
	vcpu->stats[HV_STAT_MMIO]++;
	return slow_done(vcpu, hv_emulate_mmio(vcpu, exit));
}

static enum hv_exit_ret npf_slow(struct hv_vcpu *vcpu,
				 const struct hv_exit *exit)
{
	struct hv_vm *vm = vcpu->vm;
	struct page *page;
	u32 flags = 0;

	rcu_read_lock();
	page = hv_mem_gpa_page(vm, exit->npf.gpa, &flags);
	rcu_read_unlock();
	/* RAM the guest may access so: only the table cache was empty. */
	if (page && !(exit->npf.write && (flags & HV_MEM_FLAGS_READONLY)))
		return HV_EXIT_RESUME;
	/* The xAPIC page, where the CPU virtualizes its accesses. */
	if (!page && !exit->npf.walk && !exit->npf.fetch && !exit->vectoring &&
	    hv_apic_page_fault(vcpu, exit->npf.gpa))
		return HV_EXIT_RESUME;
	/* The CPU's own page walk, into memory no slot backs. */
	if (exit->npf.walk && !page)
		return slow_done(vcpu, hv_emulate_walk_fault(vcpu, exit));
	if (exit->npf.walk) {
		hv_vm_crash(vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: the guest's page tables at gpa %#llx are in a read-only slot, where the CPU cannot set their accessed and dirty bits",
			    vcpu->id, exit->npf.gpa);
		return HV_EXIT_PARK;
	}
	return mmio_slow(vcpu, exit);
}

/*
 * An access to the APIC-access page that the CPU left to hv: the same as
 * one to the xAPIC page without it (irq/apic_page.c).
 */
static enum hv_exit_ret apic_access_slow(struct hv_vcpu *vcpu,
					 const struct hv_exit *exit)
{
	struct hv_exit mmio = *exit;

	mmio.kind = HV_EXIT_NPF;
	mmio.npf.gpa = HV_APIC_PAGE_GPA + (exit->npf.gpa & ~PAGE_MASK);
	return mmio_slow(vcpu, &mmio);
}

/* Only here when cr_fast() could not decode the instruction. */
static enum hv_exit_ret cr_slow(struct hv_vcpu *vcpu,
				const struct hv_exit *exit)
{
	hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
		    "vcpu %u cannot decode the MOV to CR%u at rip %#llx",
		    vcpu->id, exit->cr.cr, vcpu->rip);
	return HV_EXIT_PARK;
}

static enum hv_exit_ret invd_slow(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit)
{
	u64 rip;

	if (next_rip(vcpu, exit, &rip))
		return HV_EXIT_PARK;
	vcpu->rip = rip;
	return HV_EXIT_RESUME;
}

static enum hv_exit_ret task_slow(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit)
{
	return slow_done(vcpu, hv_task_switch(vcpu, exit));
}

/*
 * A HLT that something already pending ends at once (an event to inject,
 * an NMI, or an interrupt the guest can take, RFLAGS.IF being set): the
 * instruction completes in the fast loop. A halt that waits goes slow.
 */
static enum hv_exit_ret hlt_fast(struct hv_vcpu *vcpu,
				 const struct hv_exit *exit)
{
	u64 rip;

	if (!hv_vcpu_event_pending(vcpu) &&
	    (!(hv_be_get_rflags(vcpu) & X86_EFLAGS_IF) ||
	     !hv_lapic_has_intr(vcpu)))
		return HV_EXIT_SLOW;
	if (hv_exit_rip(vcpu, exit, &rip))
		return HV_EXIT_SLOW;
	vcpu->stats[HV_STAT_HLT]++;
	vcpu->rip = rip;
	set_bit(HV_REQ_EVENT, &vcpu->requests);
	return HV_EXIT_RESUME;
}

static enum hv_exit_ret hlt_slow(struct hv_vcpu *vcpu,
				 const struct hv_exit *exit)
{
	struct hv_uexit rec = { .reason = HV_EXIT_REASON_HLT };
	u64 rip;

	vcpu->stats[HV_STAT_HLT]++;
	if (next_rip(vcpu, exit, &rip))
		return HV_EXIT_PARK;
	/* No L1D flush on the way back in for hv's own halt path. */
	vcpu->l1d_kept = true;
	vcpu->rip = rip;
	if (hv_vcpu_event_pending(vcpu))
		return HV_EXIT_RESUME;
	rec.data = hv_be_get_rflags(vcpu);
	vcpu->halt_if = rec.data & X86_EFLAGS_IF;
	if (vcpu->halt_if && hv_lapic_has_intr(vcpu)) {
		set_bit(HV_REQ_EVENT, &vcpu->requests);
		return HV_EXIT_RESUME;
	}
	vcpu->activity = HV_ACTIVITY_HALTED;
	/* A notice: the owner completes nothing, the park loop waits. */
	if (READ_ONCE(vcpu->vm->halt_notices)) {
		vcpu->l1d_kept = false;
		hv_uexit_post(vcpu, &rec, false);
	}
	return HV_EXIT_PARK;
}

static enum hv_exit_ret shutdown_slow(struct hv_vcpu *vcpu,
				      const struct hv_exit *exit)
{
	hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
		    "triple fault (shutdown) on vcpu %u at rip %#llx",
		    vcpu->id, vcpu->rip);
	return HV_EXIT_PARK;
}

static enum hv_exit_ret invalid_state_slow(struct hv_vcpu *vcpu,
					   const struct hv_exit *exit)
{
	hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
		    "invalid guest state on vcpu %u (entry failure %#llx, detail %#llx)",
		    vcpu->id, exit->hw_reason, exit->detail);
	return HV_EXIT_PARK;
}

/*
 * The exit handlers, by enum hv_exit_kind. Every handler returns an
 * enum hv_exit_ret:
 *
 *   HV_EXIT_RESUME  the exit is handled (RIP advanced, or an exception
 *                   queued): enter the guest again.
 *   HV_EXIT_SLOW    (fast handlers only) the exit needs what the fast loop
 *                   cannot do: sleep, ask the owner, take the slow path's
 *                   time; the loop leaves the guest context and calls the
 *                   kind's slow handler with the same struct hv_exit.
 *   HV_EXIT_PARK    (slow handlers only) leave the run loop: the VM
 *                   crashed, the vCPU halted, or its thread is stopping.
 *                   The thread parks and runs again when its VM lets it.
 *
 * A kind with no fast handler always takes the slow path; a kind with no
 * slow handler that gets there crashes the VM (the exit is one hv does
 * not handle). Handlers count the exit in vcpu->stats.
 */
const struct hv_exit_handler hv_exit_handlers[HV_NR_EXIT_KINDS] = {
	[HV_EXIT_NONE]		= { .fast = hv_exit_intr_fast },
	[HV_EXIT_CPUID]		= { .fast = hv_exit_cpuid_fast, .slow = cpuid_slow },
	[HV_EXIT_RDMSR]		= { .fast = hv_exit_msr_fast, .slow = msr_slow },
	[HV_EXIT_WRMSR]		= { .fast = hv_exit_msr_fast, .slow = msr_slow },
	[HV_EXIT_HLT]		= { .fast = hlt_fast, .slow = hlt_slow },
	[HV_EXIT_IO]		= { .fast = io_fast, .slow = io_slow },
	[HV_EXIT_NPF]		= { .fast = hv_exit_npf_fast, .slow = npf_slow },
	[HV_EXIT_CR_WRITE]	= { .fast = cr_fast, .slow = cr_slow },
	[HV_EXIT_TASK_SWITCH]	= { .slow = task_slow },
	[HV_EXIT_INVD]		= { .fast = invd_fast, .slow = invd_slow },
	[HV_EXIT_SHUTDOWN]	= { .slow = shutdown_slow },
	[HV_EXIT_INVALID_STATE]	= { .slow = invalid_state_slow },
	[HV_EXIT_UNHANDLED]	= { },
	[HV_EXIT_TIMER]		= { .fast = hv_lapic_timer_exit },
	[HV_EXIT_APIC_ACCESS]	= { .slow = apic_access_slow },
};

/**
 * hv_exit_slow() - handle an exit where sleeping is allowed
 * @vcpu: the vCPU (its own thread, preemption on)
 * @exit: the exit hv_exit_fast() left
 *
 * Return: HV_EXIT_RESUME or HV_EXIT_PARK.
 */
enum hv_exit_ret hv_exit_slow(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	const struct hv_exit_handler *h = NULL;

	if (exit->kind < HV_NR_EXIT_KINDS)
		h = &hv_exit_handlers[exit->kind];
	if (h && h->slow)
		return h->slow(vcpu, exit);
	vcpu->stats[HV_STAT_OTHER]++;
	hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
		    "vcpu %u: exit %#llx hv does not handle, at rip %#llx",
		    vcpu->id, exit->hw_reason, vcpu->rip);
	return HV_EXIT_PARK;
}
