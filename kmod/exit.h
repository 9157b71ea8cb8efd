/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit table of exit.c, the dispatch of the fast loop (run.c) into it,
 * and the fast handlers of the frequent kinds (NPF, host interrupt, MSR,
 * CPUID). Those are inline so that the fast loop runs them without a call,
 * as it did when the handlers were a switch in the loop itself; exit.c
 * gives them the addresses the table holds.
 */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#include <linux/compiler.h>
#include <linux/rcupdate.h>

#include "hv_host.h"

/**
 * struct hv_exit_handler - what the core does with one kind of exit
 * @fast: optional; runs in the fast loop right after the exit, with
 *	preemption off and the guest FPU state loaded: it must not sleep.
 *	Returns HV_EXIT_RESUME or HV_EXIT_SLOW.
 * @slow: optional; runs where sleeping is allowed (after the fast handler
 *	returned HV_EXIT_SLOW, or when there is none), preemption on, no
 *	locks held. Returns HV_EXIT_RESUME or HV_EXIT_PARK.
 */
struct hv_exit_handler {
	enum hv_exit_ret (*fast)(struct hv_vcpu *vcpu,
				 const struct hv_exit *exit);
	enum hv_exit_ret (*slow)(struct hv_vcpu *vcpu,
				 const struct hv_exit *exit);
};

extern const struct hv_exit_handler hv_exit_handlers[HV_NR_EXIT_KINDS];

/**
 * hv_exit_rip() - the RIP after the instruction that exited, inline where
 * the hardware reported it
 * @vcpu: the vCPU
 * @exit: the exit
 * @rip: receives the RIP
 *
 * Return: as hv_exit_next_rip().
 */
static __always_inline int hv_exit_rip(struct hv_vcpu *vcpu,
				       const struct hv_exit *exit, u64 *rip)
{
	if (likely(exit->next_rip_known)) {
		*rip = exit->next_rip;
		return 0;
	}
	return hv_exit_next_rip(vcpu, exit, rip);
}

/**
 * __hv_exit_intr_fast() - a host interrupt or a request ended the guest's run
 * @vcpu: the vCPU (fast loop: preemption off, guest FPU state loaded)
 * @exit: the exit
 *
 * Return: HV_EXIT_RESUME, or HV_EXIT_SLOW for the kind's slow handler.
 */
static __always_inline enum hv_exit_ret
__hv_exit_intr_fast(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	vcpu->stats[HV_STAT_INTR]++;
	return HV_EXIT_RESUME;
}

/**
 * __hv_exit_cpuid_fast() - CPUID, answered from the VM's table
 * @vcpu: the vCPU (fast loop: preemption off, guest FPU state loaded)
 * @exit: the exit
 *
 * Return: HV_EXIT_RESUME, or HV_EXIT_SLOW for the kind's slow handler.
 */
static __always_inline enum hv_exit_ret
__hv_exit_cpuid_fast(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	u64 rip;

	/* The slow handler reports an instruction it cannot measure. */
	if (hv_exit_rip(vcpu, exit, &rip))
		return HV_EXIT_SLOW;
	hv_cpuid_emulate(vcpu);
	vcpu->rip = rip;
	vcpu->stats[HV_STAT_CPUID]++;
	return HV_EXIT_RESUME;
}

/**
 * __hv_exit_msr_fast() - RDMSR or WRMSR of an MSR the kernel keeps
 * @vcpu: the vCPU (fast loop: preemption off, guest FPU state loaded)
 * @exit: the exit
 *
 * Return: HV_EXIT_RESUME, or HV_EXIT_SLOW for the kind's slow handler.
 */
static __always_inline enum hv_exit_ret
__hv_exit_msr_fast(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	enum hv_exit_ret ret;
	u64 rip;

	if (hv_exit_rip(vcpu, exit, &rip))
		return HV_EXIT_SLOW;
	ret = hv_msr_exit(vcpu, exit->kind == HV_EXIT_WRMSR, rip);
	if (ret == HV_EXIT_RESUME)
		vcpu->stats[HV_STAT_MSR]++;
	return ret;
}

/**
 * __hv_exit_npf_fast() - a nested page fault on RAM: map the page
 * @vcpu: the vCPU (fast loop: preemption off, guest FPU state loaded)
 * @exit: the exit
 *
 * Return: HV_EXIT_RESUME, or HV_EXIT_SLOW for the kind's slow handler.
 */
static __always_inline enum hv_exit_ret
__hv_exit_npf_fast(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	struct page *page;
	u32 flags = 0;
	int err;

	rcu_read_lock();
	page = hv_mem_gpa_page(vcpu->vm, exit->npf.gpa, &flags);
	if (!page || (exit->npf.write && (flags & HV_MEM_FLAGS_READONLY))) {
		rcu_read_unlock();
		return HV_EXIT_SLOW;	/* MMIO */
	}
	err = hv_npt_map(vcpu, exit->npf.gpa, page,
			 !(flags & HV_MEM_FLAGS_READONLY), exit->npf.write,
			 flags & HV_MEM_FLAGS_DIRTY_LOG);
	rcu_read_unlock();
	if (err)
		return HV_EXIT_SLOW;	/* table cache empty: refill, refault */
	vcpu->stats[HV_STAT_NPF]++;
	return HV_EXIT_RESUME;
}

enum hv_exit_ret hv_exit_intr_fast(struct hv_vcpu *vcpu,
				   const struct hv_exit *exit);
enum hv_exit_ret hv_exit_cpuid_fast(struct hv_vcpu *vcpu,
				    const struct hv_exit *exit);
enum hv_exit_ret hv_exit_msr_fast(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit);
enum hv_exit_ret hv_exit_npf_fast(struct hv_vcpu *vcpu,
				  const struct hv_exit *exit);
enum hv_exit_ret hv_exit_slow(struct hv_vcpu *vcpu, const struct hv_exit *exit);

/**
 * hv_exit_fast() - handle an exit in the fast loop if its kind can be
 * @vcpu: the vCPU, preemption off, guest FPU state loaded
 * @exit: the exit
 *
 * Return: HV_EXIT_RESUME or HV_EXIT_SLOW.
 */
static __always_inline enum hv_exit_ret hv_exit_fast(struct hv_vcpu *vcpu,
						     const struct hv_exit *exit)
{
	enum hv_exit_ret (*fast)(struct hv_vcpu *vcpu,
				 const struct hv_exit *exit);

	if (unlikely(exit->kind >= HV_NR_EXIT_KINDS))
		return HV_EXIT_SLOW;
	fast = hv_exit_handlers[exit->kind].fast;
	/*
	 * The frequent kinds' handlers, as the table names them, run inline:
	 * neither a retpoline nor a call frame on the hot path.
	 */
	if (likely(fast == hv_exit_npf_fast))
		return __hv_exit_npf_fast(vcpu, exit);
	if (fast == hv_exit_intr_fast)
		return __hv_exit_intr_fast(vcpu, exit);
	if (fast == hv_exit_msr_fast)
		return __hv_exit_msr_fast(vcpu, exit);
	if (fast == hv_exit_cpuid_fast)
		return __hv_exit_cpuid_fast(vcpu, exit);
	return fast ? fast(vcpu, exit) : HV_EXIT_SLOW;
}

#endif /* HV_EXIT_H */
