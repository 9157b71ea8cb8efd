// SPDX-License-Identifier: GPL-2.0
/*
 * Speculative-execution mitigations around guest execution: the l1d_flush
 * module parameter and the report of what applies on this host. The
 * decisions follow the kernel's own (arch/x86/kernel/cpu/bugs.c sets the
 * X86_FEATURE_* bits read here), so hv mitigates exactly where KVM would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>

#include "compat.h"
#include "hv_host.h"
#include "l1d_policy.h"

static int l1d_flush_mode = HV_L1D_FLUSH_MODE_AUTO;
static bool skip_vmentry_l1d_flush __ro_after_init;
/* The effective mode and method, packed for one read on every entry. */
static unsigned int l1d_flush_now;

static void l1d_flush_update(void)
{
	struct hv_mitigation_state m;

	hv_mitigation_get(HV_BACKEND_VMX, &m);
	WRITE_ONCE(l1d_flush_now, m.l1d_flush | m.l1d_flush_method << 8);
}

/**
 * hv_l1d_flush_now() - what the entry path does about L1D, now
 * @f: filled with the effective mode (never, cond or always) and method
 *
 * Context: any; one lockless read.
 */
void hv_l1d_flush_now(struct hv_l1d_flush_now *f)
{
	unsigned int now = READ_ONCE(l1d_flush_now);

	f->mode = now & 0xff;
	f->method = now >> 8;
}

/**
 * hv_l1d_flush_set_mode() - change the l1d_flush mode at run time
 * @mode: the new mode
 *
 * Context: process context; entries that follow use it.
 */
void hv_l1d_flush_set_mode(enum hv_l1d_flush_mode mode)
{
	WRITE_ONCE(l1d_flush_mode, mode);
	l1d_flush_update();
}

static int l1d_flush_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(hv_l1d_flush_mode_names, val);

	if (mode < 0) {
		pr_warn("l1d_flush: unknown mode '%.*s' (auto, cond, always or never)\n",
			(int)strcspn(val, "\n"), val);
		return -EINVAL;
	}
	hv_l1d_flush_set_mode(mode);
	return 0;
}

static int l1d_flush_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  hv_l1d_flush_mode_names[READ_ONCE(l1d_flush_mode)]);
}

static const struct kernel_param_ops l1d_flush_ops = {
	.set = l1d_flush_set,
	.get = l1d_flush_get,
};
module_param_cb(l1d_flush, &l1d_flush_ops, NULL, 0644);
MODULE_PARM_DESC(l1d_flush,
		 "L1D flush before VM entry: auto (default), cond, always or never");

/**
 * hv_mitigation_init() - read the facts the mitigation report needs once
 *
 * Context: module init, process context.
 * Return: 0.
 */
int hv_mitigation_init(void)
{
	u64 arch_cap = 0;

	/*
	 * IA32_ARCH_CAPABILITIES exists only where CPUID.(EAX=7,ECX=0):EDX[29]
	 * says so; read it defensively anyway, as hypervisors below us have
	 * been known to advertise MSRs they fault on.
	 */
	if (boot_cpu_has(X86_FEATURE_ARCH_CAPABILITIES) &&
	    rdmsrl_safe(MSR_IA32_ARCH_CAPABILITIES, &arch_cap))
		arch_cap = 0;
	skip_vmentry_l1d_flush = arch_cap & ARCH_CAP_SKIP_VMENTRY_L1DFLUSH;
	l1d_flush_update();
	return 0;
}

/**
 * hv_mitigation_get() - what applies now, for get-info and the entry path
 * @backend: the backend in use; VMX and SVM entry code clear CPU buffers
 *	under different kernel feature bits
 * @state: filled
 *
 * Context: any; lockless (the mode is read once).
 */
void hv_mitigation_get(enum hv_backend backend,
		       struct hv_mitigation_state *state)
{
	bool verw;
	u64 m = 0;

	state->l1tf = hv_l1tf_state(boot_cpu_has_bug(X86_BUG_L1TF),
				    skip_vmentry_l1d_flush);
	state->l1d_flush_mode = READ_ONCE(l1d_flush_mode);
	state->l1d_flush = hv_l1d_flush_resolve(state->l1d_flush_mode,
						state->l1tf,
						&state->l1d_flush_reason);
	state->l1d_flush_method =
		hv_l1d_flush_method(state->l1d_flush,
				    boot_cpu_has(X86_FEATURE_FLUSH_L1D));

	if (state->l1d_flush != HV_L1D_FLUSH_MODE_NEVER)
		m |= HV_MITIGATION_L1D_FLUSH;
	/*
	 * KVM's VMX entry issues VERW under X86_FEATURE_CLEAR_CPU_BUF, its SVM
	 * entry under X86_FEATURE_CLEAR_CPU_BUF_VM (TSA): follow the same bits.
	 */
	if (backend == HV_BACKEND_SVM)
		verw = boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF_VM);
	else
		verw = boot_cpu_has(X86_FEATURE_CLEAR_CPU_BUF);
	if (verw)
		m |= HV_MITIGATION_VERW;
	if (boot_cpu_has(X86_FEATURE_USE_IBPB))
		m |= HV_MITIGATION_IBPB_VCPU_SWITCH;
	if (boot_cpu_has(X86_FEATURE_RSB_VMEXIT) ||
	    boot_cpu_has(X86_FEATURE_RSB_VMEXIT_LITE))
		m |= HV_MITIGATION_RSB_FILL;
	if (boot_cpu_has(X86_FEATURE_MSR_SPEC_CTRL))
		m |= HV_MITIGATION_SPEC_CTRL;
	if (boot_cpu_has(X86_FEATURE_CLEAR_BHB_LOOP_ON_VMEXIT))
		m |= HV_MITIGATION_BHB_CLEAR;
	if (boot_cpu_has(X86_FEATURE_IBPB_ON_VMEXIT))
		m |= HV_MITIGATION_IBPB_ON_EXIT;
	if (hv_vmscape_active())
		m |= HV_MITIGATION_IBPB_EXIT_TO_USER;
	state->mitigations = m;
}

/* The vCPU that last ran on each CPU, for the IBPB on switch. */
static DEFINE_PER_CPU(struct hv_vcpu *, last_vcpu);

/**
 * hv_ibpb_vcpu_switch() - keep a vCPU from using the branch predictions
 * another left on this CPU
 * @vcpu: the vCPU about to run here
 *
 * Issues an IBPB when the last vCPU to run on this CPU was another
 * (X86_FEATURE_USE_IBPB; a no-op without it), as KVM does on a vCPU
 * switch.
 *
 * Context: preemption off.
 */
void hv_ibpb_vcpu_switch(struct hv_vcpu *vcpu)
{
	if (this_cpu_read(last_vcpu) != vcpu) {
		indirect_branch_prediction_barrier();
		this_cpu_write(last_vcpu, vcpu);
	}
}

/**
 * hv_ibpb_forget() - forget a vCPU that is being freed
 * @vcpu: the vCPU
 *
 * A vCPU allocated later at the same address must still get the IBPB.
 */
void hv_ibpb_forget(struct hv_vcpu *vcpu)
{
	int cpu;

	for_each_possible_cpu(cpu)
		cmpxchg(per_cpu_ptr(&last_vcpu, cpu), vcpu, NULL);
}

/**
 * hv_ibpb_cpu_reset() - forget which vCPU last ran on this CPU
 *
 * Called when virtualization is switched on here: whatever ran before is
 * treated as another vCPU.
 *
 * Context: preemption off, or pinned to the CPU (hotplug callback).
 */
void hv_ibpb_cpu_reset(void)
{
	this_cpu_write(last_vcpu, NULL);
}

