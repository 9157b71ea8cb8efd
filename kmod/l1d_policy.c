// SPDX-License-Identifier: GPL-2.0
/*
 * Pure L1D-flush policy: which flush mode is in effect and which method
 * does it. No kernel state is touched here, so the same file is compiled
 * into hv.ko and into its cmocka test.
 */
#include "l1d_policy.h"

const char *const hv_l1d_flush_mode_names[HV_L1D_FLUSH_MODE_COUNT] = {
	[HV_L1D_FLUSH_MODE_AUTO] = "auto",
	[HV_L1D_FLUSH_MODE_COND] = "cond",
	[HV_L1D_FLUSH_MODE_ALWAYS] = "always",
	[HV_L1D_FLUSH_MODE_NEVER] = "never",
};

/**
 * hv_l1tf_state() - classify the CPU for L1TF
 * @has_bug: the kernel marked the CPU with X86_BUG_L1TF
 * @skip_vmentry_flush: IA32_ARCH_CAPABILITIES.SKIP_L1DFL_VMENTRY (bit 3) is
 *	set, which a hypervisor below us sets when it flushes on its own
 *	entries
 *
 * Return: the HV_L1TF_* state.
 */
enum hv_l1tf hv_l1tf_state(bool has_bug, bool skip_vmentry_flush)
{
	if (!has_bug)
		return HV_L1TF_NOT_AFFECTED;
	if (skip_vmentry_flush)
		return HV_L1TF_FLUSH_NOT_NEEDED;
	return HV_L1TF_AFFECTED;
}

/**
 * hv_l1d_flush_resolve() - turn the configured mode into the effective one
 * @mode: the configured HV_L1D_FLUSH_MODE_*
 * @l1tf: the CPU's HV_L1TF_* state
 * @reason: set to a static sentence saying why, for get-info
 *
 * An explicit cond or always is honoured even on CPUs that do not need it
 * (an administrator may not trust the CPU's report); auto flushes
 * conditionally, as KVM's default does, only where the CPU is affected and
 * nothing below us says the flush is redundant.
 *
 * Return: HV_L1D_FLUSH_MODE_COND, _ALWAYS or _NEVER, never _AUTO.
 */
enum hv_l1d_flush_mode hv_l1d_flush_resolve(enum hv_l1d_flush_mode mode,
					    enum hv_l1tf l1tf,
					    const char **reason)
{
	switch (mode) {
	case HV_L1D_FLUSH_MODE_NEVER:
		*reason = "l1d_flush=never";
		return HV_L1D_FLUSH_MODE_NEVER;
	case HV_L1D_FLUSH_MODE_ALWAYS:
		*reason = "l1d_flush=always";
		return HV_L1D_FLUSH_MODE_ALWAYS;
	case HV_L1D_FLUSH_MODE_COND:
		*reason = "l1d_flush=cond";
		return HV_L1D_FLUSH_MODE_COND;
	case HV_L1D_FLUSH_MODE_AUTO:
	default:
		break;
	}

	switch (l1tf) {
	case HV_L1TF_AFFECTED:
		*reason = "cpu is affected by L1TF";
		return HV_L1D_FLUSH_MODE_COND;
	case HV_L1TF_FLUSH_NOT_NEEDED:
		*reason = "IA32_ARCH_CAPABILITIES.SKIP_L1DFL_VMENTRY is set";
		return HV_L1D_FLUSH_MODE_NEVER;
	case HV_L1TF_NOT_AFFECTED:
	default:
		*reason = "cpu is not affected by L1TF";
		return HV_L1D_FLUSH_MODE_NEVER;
	}
}

/**
 * hv_l1d_flush_method() - how a flush is done
 * @effective: the effective mode from hv_l1d_flush_resolve()
 * @has_flush_cmd: CPUID.(EAX=7,ECX=0):EDX[28] reports IA32_FLUSH_CMD
 *
 * IA32_FLUSH_CMD writes back and invalidates L1D in one step (Intel
 * "Deep Dive: Intel Analysis of L1 Terminal Fault"); without it a 64 KiB
 * software fill displaces the 32 KiB L1D.
 *
 * Return: HV_L1D_FLUSH_METHOD_NONE when nothing is flushed, else _MSR or
 * _SOFTWARE.
 */
enum hv_l1d_flush_method hv_l1d_flush_method(enum hv_l1d_flush_mode effective,
					     bool has_flush_cmd)
{
	if (effective == HV_L1D_FLUSH_MODE_NEVER)
		return HV_L1D_FLUSH_METHOD_NONE;
	return has_flush_cmd ? HV_L1D_FLUSH_METHOD_MSR :
			       HV_L1D_FLUSH_METHOD_SOFTWARE;
}
