/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hv does differently because it builds against Linux 6.1 (Debian 12's
 * kernel, with Debian's backports). Every such workaround lives here, so
 * that moving to a newer kernel is one file to revisit. The VMX backend's
 * use of the single 6.1 emergency-VMXOFF callback slot is the one exception:
 * it is backend-private and documented in vmx/cpu.c.
 */
#ifndef HV_COMPAT_H
#define HV_COMPAT_H

#include <linux/netlink.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/hardirq.h>
#include <asm/nospec-branch.h>

/**
 * hv_extack_msg() - set an extack message that is not a string literal
 * @extack: the request's extack, or NULL
 * @msg: a static string (extack keeps the pointer)
 *
 * NL_SET_ERR_MSG() in 6.1 accepts string literals only; the reasons lower
 * layers give are static strings too, which is all extack needs.
 */
static inline void hv_extack_msg(struct netlink_ext_ack *extack,
				 const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

/*
 * NLA_POLICY_RANGE() bounds are s16 in 6.1: a bound above 32767 needs a
 * struct netlink_range_validation, which is not const there (the policy's
 * range pointer is a plain pointer). Define such ranges with this.
 */
#define HV_NL_RANGE(name, lo, hi)					\
	static struct netlink_range_validation name = {			\
		.min = (lo),						\
		.max = (hi),						\
	}

/**
 * hv_vmscape_active() - whether the host flushes branch predictions before
 * returning to user space after a guest ran (the VMSCAPE mitigation)
 *
 * X86_FEATURE_IBPB_EXIT_TO_USER is a Debian backport to 6.1; a 6.1 build
 * without it has no such mitigation.
 *
 * Return: true if the mitigation is on.
 */
static inline bool hv_vmscape_active(void)
{
#ifdef X86_FEATURE_IBPB_EXIT_TO_USER
	return boot_cpu_has(X86_FEATURE_IBPB_EXIT_TO_USER);
#else
	return false;
#endif
}

/**
 * hv_vmscape_exit() - note a VM exit for the VMSCAPE mitigation: the next
 * return to user space on this CPU flushes indirect branch predictions
 *
 * Context: the vCPU thread, preemption off.
 */
static inline void hv_vmscape_exit(void)
{
#ifdef X86_FEATURE_IBPB_EXIT_TO_USER
	if (cpu_feature_enabled(X86_FEATURE_IBPB_EXIT_TO_USER))
		this_cpu_write(x86_ibpb_exit_to_user, true);
#endif
}

/*
 * The kernel's entry code sets a per-CPU flag for KVM's conditional L1D
 * flush where kvm_intel is configured (Debian's kernels); hv reads and
 * clears the same flag, which is safe to share: either hypervisor clears
 * it only after a flush. Elsewhere hv cannot see interrupts this way.
 */
#define HV_IRQ_L1D_TRACKED	IS_ENABLED(CONFIG_KVM_INTEL)

/**
 * hv_irq_l1d_dirty() - whether an interrupt or NMI ran on this CPU since
 * the last L1D flush (hv's or KVM's), where HV_IRQ_L1D_TRACKED
 *
 * Context: preemption off.
 * Return: the flag; false where it is not tracked.
 */
static inline bool hv_irq_l1d_dirty(void)
{
#if IS_ENABLED(CONFIG_KVM_INTEL)
	return kvm_get_cpu_l1tf_flush_l1d();
#else
	return false;
#endif
}

/**
 * hv_irq_l1d_flushed() - the L1D was flushed on this CPU
 *
 * Context: preemption off.
 */
static inline void hv_irq_l1d_flushed(void)
{
#if IS_ENABLED(CONFIG_KVM_INTEL)
	kvm_clear_cpu_l1tf_flush_l1d();
#endif
}

#endif /* HV_COMPAT_H */
