// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX backend's per-CPU side (Intel VT-x): deciding from CPUID and the
 * VMX capability MSRs (Intel SDM Vol. 3C, Appendix A) whether every CPU can
 * run hv (it needs EPT with 4-level walks and write-back paging structures,
 * INVEPT and unrestricted guest), choosing the VMCS controls, VMXON and
 * VMXOFF per CPU, the emergency VMXOFF on crash and reboot, and the VPIDs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": vmx: " fmt

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/reboot.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>
#include <asm/vmx.h>

#include "vmx.h"

/* MSRs whose RDMSR faulted, in struct vmx_raw.faults. */
#define VMX_RAW_FAULT_FEAT_CTL	BIT(0)
#define VMX_RAW_FAULT_BASIC	BIT(1)
#define VMX_RAW_FAULT_CTLS	BIT(2)

#define VMX_WHY_KVM \
	"kvm_intel has VMX switched on: stop its VMs or unload it (from 6.12, boot with kvm.enable_virt_at_load=0)"
#define VMX_WHY_OTHER \
	"another hypervisor (VirtualBox, VMware) has VMX switched on: stop its VMs first"
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
	if (!(r->exit_allowed1 & VM_EXIT_SAVE_IA32_PAT) ||
	    !(r->exit_allowed1 & VM_EXIT_LOAD_IA32_PAT) ||
	    !(r->entry_allowed1 & VM_ENTRY_LOAD_IA32_PAT) ||
	    !(r->exit_allowed1 & VM_EXIT_ACK_INTR_ON_EXIT))
		return "VMX cannot switch IA32_PAT or acknowledge interrupts on exit";
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

/**
 * vmx_probe() - &hv_backend_ops.probe for VMX
 * @caps: filled when usable
 * @why: set to the refusal reason
 *
 * Return: see &hv_backend_ops.probe.
 */
int vmx_probe(struct hv_caps *caps, const char **why)
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

DEFINE_PER_CPU(struct vmx_cpu, vmx_cpus);
struct vmx_config vmx_config;

/* SDM Vol. 3C, A.3-A.5: allowed-0 settings in bits 31:0, allowed-1 in 63:32. */
static int adjust(const char *what, u32 msr, u32 want, u32 optional,
		  u32 *out)
{
	u64 cap;
	u32 ctl;

	if (rdmsrl_safe(msr, &cap))
		return -ENODEV;
	ctl = ((want | optional) & (cap >> 32)) | (u32)cap;
	if (want & ~ctl) {
		pr_err("%s controls %#x not supported (allowed-1 %#x)\n", what,
		       want, (u32)(cap >> 32));
		return -ENODEV;
	}
	*out = ctl;
	return 0;
}

static int choose_controls(void)
{
	struct vmx_config *c = &vmx_config;
	bool ept_ad, vpid = hv_caps.features & HV_CAP_VPID;
	u64 basic;
	int err;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	c->revision = VMX_BASIC_REVISION(basic);
	ept_ad = hv_caps.features & HV_CAP_EPT_AD;
	c->ept_ad = ept_ad;
	c->pml = ept_ad && (hv_caps.features & HV_CAP_PML);

	/*
	 * Physical interrupts and NMIs always exit; acknowledging the
	 * interrupt on exit lets hv call the host handler itself.
	 */
	err = adjust("pin-based", basic & VMX_BASIC_TRUE_CTLS ?
		     MSR_IA32_VMX_TRUE_PINBASED_CTLS :
		     MSR_IA32_VMX_PINBASED_CTLS,
		     PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING,
		     PIN_BASED_VIRTUAL_NMIS | PIN_BASED_VMX_PREEMPTION_TIMER,
		     &c->pin);
	/*
	 * Port I/O exits unconditionally. CR8 accesses exit: without a TPR
	 * shadow they would reach the host's own APIC (SDM Vol. 3C, 26.3).
	 * RDPMC would read the host's counters. MONITOR/MWAIT are hidden.
	 */
	if (!err)
		err = adjust("processor-based", basic & VMX_BASIC_TRUE_CTLS ?
			     MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
			     MSR_IA32_VMX_PROCBASED_CTLS,
			     CPU_BASED_HLT_EXITING | CPU_BASED_UNCOND_IO_EXITING |
			     CPU_BASED_USE_MSR_BITMAPS |
			     CPU_BASED_MWAIT_EXITING |
			     CPU_BASED_MONITOR_EXITING |
			     CPU_BASED_RDPMC_EXITING |
			     CPU_BASED_CR8_LOAD_EXITING |
			     CPU_BASED_CR8_STORE_EXITING |
			     CPU_BASED_USE_TSC_OFFSETTING |
			     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, 0, &c->proc);
	/* The proc-based MSR may force CR3 exits; with EPT they are off. */
	c->proc &= ~(CPU_BASED_CR3_LOAD_EXITING | CPU_BASED_CR3_STORE_EXITING |
		     CPU_BASED_INVLPG_EXITING);
	/*
	 * WBINVD would write back the host's caches for the guest: a NOP.
	 * Without "enable INVPCID", INVPCID raises #UD in the guest (SDM
	 * Vol. 3C, 25.3): CPUID then hides it (cpuid.c).
	 */
	if (!err)
		err = adjust("secondary", MSR_IA32_VMX_PROCBASED_CTLS2,
			     SECONDARY_EXEC_ENABLE_EPT |
			     SECONDARY_EXEC_UNRESTRICTED_GUEST |
			     (vpid ? SECONDARY_EXEC_ENABLE_VPID : 0),
			     SECONDARY_EXEC_WBINVD_EXITING |
			     SECONDARY_EXEC_ENABLE_INVPCID, &c->proc2);
	if (!err)
		hv_caps.no_invpcid = !(c->proc2 & SECONDARY_EXEC_ENABLE_INVPCID);
	if (!err)
		err = adjust("VM-exit", basic & VMX_BASIC_TRUE_CTLS ?
			     MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
			     VM_EXIT_HOST_ADDR_SPACE_SIZE |
			     VM_EXIT_ACK_INTR_ON_EXIT |
			     VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_EFER |
			     VM_EXIT_SAVE_IA32_PAT | VM_EXIT_LOAD_IA32_PAT |
			     VM_EXIT_SAVE_DEBUG_CONTROLS, 0, &c->exit);
	if (!err)
		err = adjust("VM-entry", basic & VMX_BASIC_TRUE_CTLS ?
			     MSR_IA32_VMX_TRUE_ENTRY_CTLS :
			     MSR_IA32_VMX_ENTRY_CTLS,
			     VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT |
			     VM_ENTRY_LOAD_DEBUG_CONTROLS, 0, &c->entry);
	if (err)
		return err;
	c->entry &= ~VM_ENTRY_IA32E_MODE;

	/*
	 * SDM Vol. 3C, A.7 and A.8: bits fixed to 1 in CR0 and CR4. With
	 * unrestricted guest, PE and PG are the guest's (26.3.1.1).
	 */
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, c->cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, c->cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, c->cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, c->cr4_fixed1);
	c->cr0_fixed0 &= ~(u64)(X86_CR0_PE | X86_CR0_PG);

	/*
	 * SDM Vol. 3C, 26.5.1: the preemption timer counts down at the TSC
	 * rate divided by 2^IA32_VMX_MISC[4:0]. Reloaded on every entry, it
	 * only fires for a guest that runs a whole tick without an exit.
	 * Hardware does not need it: external interrupts exit whatever the
	 * guest's RFLAGS.IF. Bochs 2.7 does: it recomputes its interrupt
	 * mask only when RFLAGS.IF changes outside guest mode, so a guest
	 * entered with IF clear (the host's IF is clear too) never takes an
	 * external-interrupt exit, and a guest spinning with IF clear would
	 * hold the CPU forever.
	 */
	if (c->pin & PIN_BASED_VMX_PREEMPTION_TIMER) {
		u64 misc;

		rdmsrl(MSR_IA32_VMX_MISC, misc);
		c->preemption_rate = misc & 0x1f;
		c->preemption_timer = min_t(u64, (u64)tsc_khz * 1000 / HZ >>
					    (misc & 0x1f), U32_MAX);
		if (!c->preemption_timer)
			c->pin &= ~PIN_BASED_VMX_PREEMPTION_TIMER;
	}
	return 0;
}

/* ---- VPIDs (SDM Vol. 3C, 29.1) ----------------------------------------- */

static DEFINE_SPINLOCK(vpid_lock);
static unsigned long *vpid_map;

/**
 * vmx_vpid_alloc() - a VPID for a new vCPU
 *
 * Return: a VPID from 1, or 0 (tag of the host, flushed on every entry
 * and exit) when the CPU has no VPIDs or all are in use.
 */
int vmx_vpid_alloc(void)
{
	unsigned long vpid;

	if (!vpid_map)
		return 0;
	spin_lock(&vpid_lock);
	vpid = find_next_zero_bit(vpid_map, VMX_NR_VPIDS, 1);
	if (vpid < VMX_NR_VPIDS)
		__set_bit(vpid, vpid_map);
	else
		vpid = 0;
	spin_unlock(&vpid_lock);
	return vpid;
}

/**
 * vmx_vpid_free() - give a VPID back
 * @vpid: from vmx_vpid_alloc(), 0 ignored
 */
void vmx_vpid_free(int vpid)
{
	if (!vpid || !vpid_map)
		return;
	spin_lock(&vpid_lock);
	__clear_bit(vpid, vpid_map);
	spin_unlock(&vpid_lock);
}

/* ---- emergency VMXOFF ---------------------------------------------------- */

/*
 * A CPU left in VMX operation blocks INIT, so a crash kernel or a reboot
 * could not start the other CPUs. The kernel calls one registered
 * callback on every CPU on those paths; in 6.1 it is a single slot, which
 * kvm_intel takes at load. Its callback switches VMX off whoever switched
 * it on, so hv yields the slot while kvm_intel is loaded and holds it
 * otherwise.
 */
static DEFINE_MUTEX(emergency_lock);
static bool emergency_registered;
static bool kvm_intel_loaded;

static void vmx_emergency_off(void)
{
	vmx_hw_disable();
}

static void emergency_update(void)
{
	bool want = !kvm_intel_loaded;

	if (want && !emergency_registered)
		cpu_emergency_register_virt_callback(vmx_emergency_off);
	else if (!want && emergency_registered)
		cpu_emergency_unregister_virt_callback(vmx_emergency_off);
	emergency_registered = want;
}

static int module_event(struct notifier_block *nb, unsigned long action,
			void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "kvm_intel"))
		return NOTIFY_DONE;
	mutex_lock(&emergency_lock);
	/* COMING runs before kvm_intel's init, GOING after its exit. */
	if (action == MODULE_STATE_COMING)
		kvm_intel_loaded = true;
	else if (action == MODULE_STATE_GOING)
		kvm_intel_loaded = false;
	emergency_update();
	mutex_unlock(&emergency_lock);
	return NOTIFY_OK;
}

static struct notifier_block module_nb = {
	.notifier_call = module_event,
};

static void emergency_setup(void)
{
	struct kobject *kvm;

	register_module_notifier(&module_nb);
	mutex_lock(&emergency_lock);
	/* Already loaded: its directory is in /sys/module, beside ours. */
	kvm = kset_find_obj(THIS_MODULE->mkobj.kobj.kset, "kvm_intel");
	if (kvm) {
		kvm_intel_loaded = true;
		kobject_put(kvm);
	}
	emergency_update();
	mutex_unlock(&emergency_lock);
}

static void emergency_unsetup(void)
{
	unregister_module_notifier(&module_nb);
	mutex_lock(&emergency_lock);
	if (emergency_registered)
		cpu_emergency_unregister_virt_callback(vmx_emergency_off);
	emergency_registered = false;
	mutex_unlock(&emergency_lock);
}

/* ---- setup and VMXON --------------------------------------------------- */

/**
 * vmx_setup() - &hv_backend_ops.setup for VMX
 *
 * Chooses the VMCS controls, allocates the per-CPU VMXON regions and the
 * VPID map, and takes the emergency VMXOFF callback.
 *
 * Return: 0; -ENOMEM; -ENODEV if a control hv needs cannot be set.
 */
int vmx_setup(void)
{
	int cpu, err;

	err = choose_controls();
	if (err)
		return err;
	if (hv_caps.features & HV_CAP_VPID) {
		vpid_map = bitmap_zalloc(VMX_NR_VPIDS, GFP_KERNEL);
		if (!vpid_map)
			return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpus, cpu);
		struct page *page;

		page = alloc_pages_node(cpu_to_node(cpu),
					GFP_KERNEL | __GFP_ZERO, 0);
		if (!page) {
			vmx_unsetup();
			return -ENOMEM;
		}
		vc->vmxon = page_address(page);
		vc->vmxon_pa = page_to_phys(page);
		/* SDM Vol. 3C, 25.11.5: the region starts with the revision. */
		*(u32 *)vc->vmxon = vmx_config.revision;
	}
	emergency_setup();
	return 0;
}

/**
 * vmx_unsetup() - &hv_backend_ops.unsetup for VMX
 */
void vmx_unsetup(void)
{
	int cpu;

	emergency_unsetup();
	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpus, cpu);

		if (vc->vmxon)
			free_page((unsigned long)vc->vmxon);
		vc->vmxon = NULL;
	}
	bitmap_free(vpid_map);
	vpid_map = NULL;
}

/**
 * vmx_hw_enable() - &hv_backend_ops.hw_enable for VMX
 *
 * CR4.VMXE goes through the kernel's shadow (cr4_set_bits()), never a raw
 * write, or the next shadow-based update would clear it under VMXON.
 *
 * Return: 0; -EBUSY if CR4.VMXE is set already (another hypervisor);
 * -EIO if VMXON failed.
 */
int vmx_hw_enable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpus);
	bool fail;

	if (cr4_read_shadow() & X86_CR4_VMXE)
		return -EBUSY;
	cr4_set_bits(X86_CR4_VMXE);
	/* CF set up front: a faulting VMXON resumes at 2 and reads as failed. */
	asm volatile("stc\n\t"
		     "1: vmxon %[pa]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : "=@ccna" (fail) : [pa] "m" (vc->vmxon_pa) : "memory");
	if (fail) {
		cr4_clear_bits(X86_CR4_VMXE);
		return -EIO;
	}
	WRITE_ONCE(vc->on, true);
	/* Whatever a previous VMX user left tagged on this CPU is stale. */
	vmx_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	return 0;
}

/**
 * vmx_hw_disable() - &hv_backend_ops.hw_disable for VMX
 *
 * Safe with interrupts off, from the emergency path, and when VMX is off
 * or was switched on by someone else (then it is left alone).
 */
void vmx_hw_disable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpus);

	if (!READ_ONCE(vc->on))
		return;
	WRITE_ONCE(vc->on, false);
	/* VMXOFF faults only if VMX is off already: carry on. */
	asm volatile("1: vmxoff\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : : : "cc", "memory");
	cr4_clear_bits(X86_CR4_VMXE);
}

/**
 * vmx_busy_reason() - &hv_backend_ops.busy_reason for VMX
 *
 * Return: who probably holds VMX, and what to do about it.
 */
const char *vmx_busy_reason(void)
{
	if (READ_ONCE(kvm_intel_loaded))
		return VMX_WHY_KVM;
	return VMX_WHY_OTHER;
}
