/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit table of exit.c, and the dispatch of the fast loop (run.c)
 * into it. The dispatch is inline so that the fast loop reaches the
 * handler of a frequent exit with one direct call, as it did when the
 * handlers were a switch in the loop itself.
 */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#include <linux/compiler.h>
#include <linux/indirect_call_wrapper.h>

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
	const struct hv_exit_handler *h;

	if (unlikely(exit->kind >= HV_NR_EXIT_KINDS))
		return HV_EXIT_SLOW;
	h = &hv_exit_handlers[exit->kind];
	if (!h->fast)
		return HV_EXIT_SLOW;
	/* Direct calls for the frequent kinds: no retpoline on the hot path. */
	return INDIRECT_CALL_4(h->fast, hv_exit_npf_fast, hv_exit_intr_fast,
			       hv_exit_msr_fast, hv_exit_cpuid_fast, vcpu, exit);
}

#endif /* HV_EXIT_H */
