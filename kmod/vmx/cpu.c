// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX backend of hv (Intel VT-x). This file decides from CPUID and the
 * VMX capability MSRs (Intel SDM Vol. 3C, Appendix A) whether every CPU can
 * run hv: it needs EPT with 4-level walks and write-back paging structures,
 * INVEPT and unrestricted guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": vmx: " fmt

#include <linux/bits.h>
#include <linux/kernel.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/vmx.h>

#include "hv.h"

/* MSRs whose RDMSR faulted, in struct vmx_raw.faults. */
#define VMX_RAW_FAULT_FEAT_CTL	BIT(0)
#define VMX_RAW_FAULT_BASIC	BIT(1)
#define VMX_RAW_FAULT_CTLS	BIT(2)

#define VMX_WHY_FIRMWARE \
	"VMX disabled by firmware (IA32_FEATURE_CONTROL); enable Intel VT-x in the firmware setup"

/* SDM Vol. 3C, A.1: IA32_VMX_BASIC bit 48 limits VMX structures to 4 GiB. */
#define VMX_BASIC_32BIT_ADDRESSES	BIT_ULL(48)
#define VMX_BASIC_VMCS_SIZE(basic)	(((basic) >> 32) & 0x1fff)
#define VMX_BASIC_MEM_TYPE(basic)	(((basic) >> 50) & 0xf)
#define VMX_BASIC_REVISION(basic)	((u32)(basic) & 0x7fffffff)

/* SDM Vol. 3C, A.10: IA32_VMX_EPT_VPID_CAP bit 14, write-back EPT tables. */
#define VMX_EPT_WB			BIT_ULL(14)
#define VMX_VPID_INVVPID		BIT_ULL(32)
#define VMX_VPID_SINGLE_CONTEXT		BIT_ULL(41)
#define VMX_VPID_ALL_CONTEXT		BIT_ULL(42)

/*
 * Everything the decision depends on, read on one CPU. Only the allowed-1
 * halves of the control MSRs matter for capabilities; the allowed-0 halves
 * are checked when a VMCS is built.
 */
struct vmx_raw {
	u32 has_vmx;
	u32 faults;
	u64 feat_ctl;
	u64 basic;
	u32 pin_allowed1;
	u32 proc_allowed1;
	u32 proc2_allowed1;
	u32 exit_allowed1;
	u32 entry_allowed1;
	u32 pad;
	u64 ept_vpid_cap;
};

static u32 allowed1(u32 msr, u32 *faults)
{
	u64 val;

	if (rdmsrl_safe(msr, &val)) {
		*faults |= VMX_RAW_FAULT_CTLS;
		return 0;
	}
	return val >> 32;
}

static void vmx_read_raw(void *arg)
{
	struct vmx_raw *r = arg;
	bool true_ctls;

	/* Raw CPUID: the kernel clears X86_FEATURE_VMX when firmware disabled it. */
	r->has_vmx = !!(cpuid_ecx(1) & BIT(X86_FEATURE_VMX & 31));
	if (!r->has_vmx)
		return;
	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &r->feat_ctl))
		r->faults |= VMX_RAW_FAULT_FEAT_CTL;
	if (rdmsrl_safe(MSR_IA32_VMX_BASIC, &r->basic)) {
		r->faults |= VMX_RAW_FAULT_BASIC;
		return;
	}

	/* SDM Vol. 3C, A.2: the TRUE_* MSRs exist when VMX_BASIC[55] is set. */
	true_ctls = r->basic & VMX_BASIC_TRUE_CTLS;
	r->pin_allowed1 = allowed1(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
				   MSR_IA32_VMX_PINBASED_CTLS, &r->faults);
	r->proc_allowed1 = allowed1(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				    MSR_IA32_VMX_PROCBASED_CTLS, &r->faults);
	r->exit_allowed1 = allowed1(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
				    MSR_IA32_VMX_EXIT_CTLS, &r->faults);
	r->entry_allowed1 = allowed1(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
				     MSR_IA32_VMX_ENTRY_CTLS, &r->faults);

	/* A.3.3, A.10: these two exist only with secondary controls. */
	if (!(r->proc_allowed1 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS))
		return;
	r->proc2_allowed1 = allowed1(MSR_IA32_VMX_PROCBASED_CTLS2, &r->faults);
	if (r->proc2_allowed1 & (SECONDARY_EXEC_ENABLE_EPT |
				 SECONDARY_EXEC_ENABLE_VPID) &&
	    rdmsrl_safe(MSR_IA32_VMX_EPT_VPID_CAP, &r->ept_vpid_cap))
		r->faults |= VMX_RAW_FAULT_CTLS;
}

static const char *vmx_refusal(const struct vmx_raw *r)
{
	u64 ept = r->ept_vpid_cap;

	if (r->faults & VMX_RAW_FAULT_FEAT_CTL)
		return "VMX present but IA32_FEATURE_CONTROL cannot be read";
	/*
	 * SDM Vol. 3C, 23.7: VMXON faults unless IA32_FEATURE_CONTROL is
	 * locked with VMX enabled outside SMX. The kernel locks it at boot
	 * when firmware left it open, so unlocked means something is wrong.
	 */
	if (!(r->feat_ctl & FEAT_CTL_LOCKED))
		return "VMX present but IA32_FEATURE_CONTROL is not locked";
	if (!(r->feat_ctl & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX))
		return VMX_WHY_FIRMWARE;
	if (r->faults)
		return "VMX capability MSRs cannot be read";
	if (VMX_BASIC_VMCS_SIZE(r->basic) > PAGE_SIZE ||
	    VMX_BASIC_MEM_TYPE(r->basic) != VMX_BASIC_MEM_TYPE_WB ||
	    (r->basic & VMX_BASIC_32BIT_ADDRESSES))
		return "VMX needs a VMCS of at most 4 KiB, write-back and anywhere in memory";
	if (!(r->proc_allowed1 & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !(r->proc2_allowed1 & SECONDARY_EXEC_ENABLE_EPT))
		return "VMX without EPT; hv needs EPT and unrestricted guest";
	if (!(r->proc2_allowed1 & SECONDARY_EXEC_UNRESTRICTED_GUEST))
		return "VMX without unrestricted guest; hv needs EPT and unrestricted guest";
	if (!(ept & VMX_EPT_PAGE_WALK_4_BIT) || !(ept & VMX_EPT_WB) ||
	    !(ept & VMX_EPT_INVEPT_BIT) ||
	    !(ept & (VMX_EPT_EXTENT_CONTEXT_BIT | VMX_EPT_EXTENT_GLOBAL_BIT)))
		return "EPT without 4-level walks, write-back tables or INVEPT";
	if (!(r->exit_allowed1 & VM_EXIT_HOST_ADDR_SPACE_SIZE) ||
	    !(r->exit_allowed1 & VM_EXIT_LOAD_IA32_EFER) ||
	    !(r->exit_allowed1 & VM_EXIT_SAVE_IA32_EFER) ||
	    !(r->entry_allowed1 & VM_ENTRY_IA32E_MODE) ||
	    !(r->entry_allowed1 & VM_ENTRY_LOAD_IA32_EFER))
		return "VMX cannot switch IA32_EFER and 64-bit mode on entry and exit";
	return NULL;
}

static u64 vmx_features(const struct vmx_raw *r)
{
	u64 ept = r->ept_vpid_cap;
	u64 f = HV_CAP_EPT | HV_CAP_UNRESTRICTED_GUEST;

	if (ept & VMX_EPT_AD_BIT)
		f |= HV_CAP_EPT_AD;
	if (ept & VMX_EPT_1GB_PAGE_BIT)
		f |= HV_CAP_EPT_1G;
	if ((r->proc2_allowed1 & SECONDARY_EXEC_ENABLE_VPID) &&
	    (ept & VMX_VPID_INVVPID) &&
	    (ept & (VMX_VPID_SINGLE_CONTEXT | VMX_VPID_ALL_CONTEXT)))
		f |= HV_CAP_VPID;
	if (r->proc2_allowed1 & SECONDARY_EXEC_ENABLE_PML)
		f |= HV_CAP_PML;
	if (r->proc2_allowed1 & SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES)
		f |= HV_CAP_APIC_ACCESS_VIRT;
	if (r->proc_allowed1 & CPU_BASED_TPR_SHADOW)
		f |= HV_CAP_TPR_SHADOW;
	if (r->proc2_allowed1 & SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE)
		f |= HV_CAP_X2APIC_VIRT;
	if (r->proc2_allowed1 & SECONDARY_EXEC_APIC_REGISTER_VIRT)
		f |= HV_CAP_APIC_REG_VIRT;
	if (r->proc2_allowed1 & SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY)
		f |= HV_CAP_VIRT_INTR_DELIVERY;
	if (r->pin_allowed1 & PIN_BASED_POSTED_INTR)
		f |= HV_CAP_POSTED_INTR;
	if (r->pin_allowed1 & PIN_BASED_VIRTUAL_NMIS)
		f |= HV_CAP_VNMI;
	if (r->pin_allowed1 & PIN_BASED_VMX_PREEMPTION_TIMER)
		f |= HV_CAP_PREEMPTION_TIMER;
	if (r->proc2_allowed1 & SECONDARY_EXEC_PAUSE_LOOP_EXITING)
		f |= HV_CAP_PAUSE_LOOP_EXIT;
	if (r->proc2_allowed1 & SECONDARY_EXEC_SHADOW_VMCS)
		f |= HV_CAP_VMCS_SHADOW;
	if (r->proc2_allowed1 & SECONDARY_EXEC_TSC_SCALING)
		f |= HV_CAP_TSC_SCALING;
	return f;
}

static int vmx_probe(struct hv_caps *caps, const char **why)
{
	struct vmx_raw raw;
	int err;

	/* Cheap check first, so that AMD hosts do not IPI every CPU for nothing. */
	if (!(cpuid_ecx(1) & BIT(X86_FEATURE_VMX & 31)))
		return -ENODEV;

	err = hv_cpus_read_agree("vmx", vmx_read_raw, sizeof(raw), &raw, why);
	if (err)
		return err;

	*why = vmx_refusal(&raw);
	if (*why)
		return -ENODEV;

	caps->features = vmx_features(&raw);
	/* VPIDs are 16 bits and 0 is the host's (SDM Vol. 3C, 29.1). */
	caps->tlb_tags = caps->features & HV_CAP_VPID ? VMX_NR_VPIDS - 1 : 0;
	caps->hw_revision = VMX_BASIC_REVISION(raw.basic);
	return 0;
}

/*
 * The VMX backend probes and reports; running guests on it is the next
 * piece of work. Without vcpu_run, VM creation fails with EOPNOTSUPP.
 */
const struct hv_backend_ops hv_vmx_ops = {
	.name		= "vmx",
	.id		= HV_BACKEND_VMX,
	.vm_size	= sizeof(struct hv_vm),
	.probe		= vmx_probe,
};
