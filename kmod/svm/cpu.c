// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM backend's per-CPU side (AMD-V): deciding from CPUID Fn8000_000A
 * and VM_CR (AMD APM Vol. 2, 15.4 and 15.30.1) whether every CPU can run
 * hv (it needs SVM enabled by firmware and nested paging), switching
 * EFER.SVME on and off, the per-CPU save areas and ASID space, and the
 * I/O and MSR permission maps all VMs share.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": svm: " fmt

#include <linux/bits.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/svm.h>

#include "svm.h"

/* CPUID Fn8000_000A_EDX feature bits (APM Vol. 3, Appendix E.4.9). */
#define SVM_EDX_NP		BIT(0)
#define SVM_EDX_LBRV		BIT(1)
#define SVM_EDX_NRIPS		BIT(3)
#define SVM_EDX_TSC_RATE	BIT(4)
#define SVM_EDX_VMCB_CLEAN	BIT(5)
#define SVM_EDX_FLUSH_BY_ASID	BIT(6)
#define SVM_EDX_DECODE_ASSISTS	BIT(7)
#define SVM_EDX_PAUSE_FILTER	BIT(10)
#define SVM_EDX_AVIC		BIT(13)
#define SVM_EDX_VMSAVE_VIRT	BIT(15)
#define SVM_EDX_VGIF		BIT(16)

#define SVM_WHY_FIRMWARE \
	"SVM disabled by firmware (VM_CR.SVMDIS); enable AMD-V/SVM in the firmware setup"

struct svm_raw {
	u32 has_svm;
	u32 vm_cr_fault;
	u64 vm_cr;
	u32 eax;
	u32 nasid;
	u32 edx;
	u32 pad;
};

static void svm_read_raw(void *arg)
{
	struct svm_raw *r = arg;
	u32 ecx;

	if (cpuid_eax(0x80000000) < SVM_CPUID_FUNC)
		return;
	r->has_svm = !!(cpuid_ecx(0x80000001) & BIT(X86_FEATURE_SVM & 31));
	if (!r->has_svm)
		return;
	r->vm_cr_fault = rdmsrl_safe(MSR_VM_CR, &r->vm_cr) ? 1 : 0;
	cpuid(SVM_CPUID_FUNC, &r->eax, &r->nasid, &ecx, &r->edx);
}

static const char *svm_refusal(const struct svm_raw *r)
{
	if (r->vm_cr_fault)
		return "SVM present but VM_CR cannot be read";
	/* APM Vol. 2, 15.30.1: EFER.SVME cannot be set while VM_CR.SVMDIS is. */
	if (r->vm_cr & SVM_VM_CR_SVM_DIS_MASK)
		return SVM_WHY_FIRMWARE;
	if (!(r->edx & SVM_EDX_NP))
		return "SVM without nested paging (NPT); hv needs NPT";
	/* ASID 0 is the host's (APM Vol. 2, 15.16); guests need at least one. */
	if (r->nasid < 2)
		return "SVM without guest ASIDs";
	return NULL;
}

static u64 svm_features(const struct svm_raw *r)
{
	static const struct {
		u32 edx;
		u64 cap;
	} map[] = {
		{ SVM_EDX_NP, HV_CAP_NPT },
		{ SVM_EDX_LBRV, HV_CAP_LBR_VIRT },
		{ SVM_EDX_NRIPS, HV_CAP_NRIP_SAVE },
		{ SVM_EDX_TSC_RATE, HV_CAP_TSC_SCALING },
		{ SVM_EDX_VMCB_CLEAN, HV_CAP_VMCB_CLEAN },
		{ SVM_EDX_FLUSH_BY_ASID, HV_CAP_FLUSH_BY_ASID },
		{ SVM_EDX_DECODE_ASSISTS, HV_CAP_DECODE_ASSISTS },
		{ SVM_EDX_PAUSE_FILTER, HV_CAP_PAUSE_FILTER },
		{ SVM_EDX_AVIC, HV_CAP_AVIC },
		{ SVM_EDX_VMSAVE_VIRT, HV_CAP_VMSAVE_VIRT },
		{ SVM_EDX_VGIF, HV_CAP_VGIF },
	};
	unsigned int i;
	u64 f = 0;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (r->edx & map[i].edx)
			f |= map[i].cap;
	return f;
}

/**
 * svm_probe() - &hv_backend_ops.probe for SVM
 * @caps: filled when usable
 * @why: set to the refusal reason
 *
 * Return: see &hv_backend_ops.probe.
 */
int svm_probe(struct hv_caps *caps, const char **why)
{
	struct svm_raw raw;
	int err;

	if (cpuid_eax(0x80000000) < SVM_CPUID_FUNC ||
	    !(cpuid_ecx(0x80000001) & BIT(X86_FEATURE_SVM & 31)))
		return -ENODEV;

	err = hv_cpus_read_agree("svm", svm_read_raw, sizeof(raw), &raw, why);
	if (err)
		return err;

	*why = svm_refusal(&raw);
	if (*why)
		return -ENODEV;

	caps->features = svm_features(&raw);
	caps->tlb_tags = raw.nasid - 1;
	caps->hw_revision = raw.eax & 0xff;
	svm_nasid = raw.nasid;
	svm_tcg_inject_quirk = boot_cpu_has(X86_FEATURE_HYPERVISOR) &&
			       hypervisor_cpuid_base("TCGTCGTCGTCG", 0);
	if (svm_tcg_inject_quirk)
		pr_info("QEMU TCG: an interrupt injected at VMRUN is followed by an exit\n");
	return 0;
}

DEFINE_PER_CPU(struct svm_cpu, svm_cpus);
static struct page *msrpm_pages, *iopm_pages;
phys_addr_t svm_msrpm_pa, svm_iopm_pa;
u32 svm_nasid;

/*
 * QEMU's TCG (helper_vmrun) delivers an external interrupt that EVENTINJ
 * injects at once, but leaves the CPU's exception_index at its vector;
 * if its main loop next stops for an exit request (its round-robin kick,
 * icount) before anything else raises an exception or a #VMEXIT, it
 * delivers the vector a second time, wherever the guest is, whatever its
 * RFLAGS.IF (QEMU 7.2 target/i386/tcg/sysemu/svm_helper.c). A Linux guest
 * then takes its interrupt inside its own handler and deadlocks or
 * faults. Under TCG, hv sends itself an IPI with each such injection, so
 * that the #VMEXIT for it comes right after the delivery and clears the
 * stale vector; hardware never sees this.
 */
bool svm_tcg_inject_quirk __ro_after_init;

/* APM Vol. 2, 15.11: two bits (read, write) per MSR in three ranges. */
static void msrpm_allow(u8 *map, u32 msr)
{
	static const struct {
		u32 base;
		u32 offset;
	} ranges[] = {
		{ 0x00000000, 0x0000 },
		{ 0xc0000000, 0x0800 },
		{ 0xc0010000, 0x1000 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		u32 n = msr - ranges[i].base;

		if (msr < ranges[i].base || n >= 0x2000)
			continue;
		map[ranges[i].offset + n / 4] &= ~(3 << (2 * (n % 4)));
	}
}

/**
 * svm_setup() - &hv_backend_ops.setup for SVM
 *
 * Allocates the per-CPU host save areas and the permission maps: every
 * I/O port intercepted, every MSR but the pass-through ones intercepted.
 *
 * Return: 0 or -ENOMEM.
 */
int svm_setup(void)
{
	unsigned int i;
	int cpu;

	/* IOPM is 12 KiB, MSRPM 8 KiB, both physically contiguous. */
	iopm_pages = alloc_pages(GFP_KERNEL, get_order(3 * PAGE_SIZE));
	msrpm_pages = alloc_pages(GFP_KERNEL, get_order(2 * PAGE_SIZE));
	if (!iopm_pages || !msrpm_pages)
		goto err;
	memset(page_address(iopm_pages), 0xff, PAGE_SIZE << get_order(3 * PAGE_SIZE));
	memset(page_address(msrpm_pages), 0xff, PAGE_SIZE << get_order(2 * PAGE_SIZE));
	/* Their guest values live in the VMCB; VMRUN/VMLOAD/VMSAVE switch them. */
	for (i = 0; i < hv_nr_msrs_passthrough; i++)
		msrpm_allow(page_address(msrpm_pages), hv_msrs_passthrough[i]);
	svm_iopm_pa = __sme_set(page_to_phys(iopm_pages));
	svm_msrpm_pa = __sme_set(page_to_phys(msrpm_pages));

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sd = per_cpu_ptr(&svm_cpus, cpu);

		sd->hsave = alloc_page(GFP_KERNEL | __GFP_ZERO);
		sd->host_save = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!sd->hsave || !sd->host_save)
			goto err;
		sd->host_save_pa = __sme_set(page_to_phys(sd->host_save));
		sd->max_asid = svm_nasid - 1;
	}
	return 0;
err:
	svm_unsetup();
	return -ENOMEM;
}

/**
 * svm_unsetup() - &hv_backend_ops.unsetup for SVM
 */
void svm_unsetup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sd = per_cpu_ptr(&svm_cpus, cpu);

		if (sd->hsave)
			__free_page(sd->hsave);
		if (sd->host_save)
			__free_page(sd->host_save);
		sd->hsave = NULL;
		sd->host_save = NULL;
	}
	if (iopm_pages)
		__free_pages(iopm_pages, get_order(3 * PAGE_SIZE));
	if (msrpm_pages)
		__free_pages(msrpm_pages, get_order(2 * PAGE_SIZE));
	iopm_pages = NULL;
	msrpm_pages = NULL;
}

#define SVM_WHY_KVM \
	"kvm_amd has SVM switched on: stop its VMs or unload it (from 6.12, boot with kvm.enable_virt_at_load=0)"
#define SVM_WHY_OTHER \
	"another hypervisor (VirtualBox, VMware) has SVM switched on: stop its VMs first"

/**
 * svm_busy_reason() - &hv_backend_ops.busy_reason for SVM
 *
 * kvm_amd switches SVM on while it has VMs (in 6.1; from 6.12 at load
 * unless kvm.enable_virt_at_load=0): its directory beside ours in
 * /sys/module says it is there.
 *
 * Return: who probably holds SVM, and what to do about it.
 */
const char *svm_busy_reason(void)
{
	struct kobject *kvm = kset_find_obj(THIS_MODULE->mkobj.kobj.kset,
					    "kvm_amd");

	if (!kvm)
		return SVM_WHY_OTHER;
	kobject_put(kvm);
	return SVM_WHY_KVM;
}

/**
 * svm_hw_enable() - &hv_backend_ops.hw_enable for SVM
 *
 * Return: 0, or -EBUSY if EFER.SVME is set already (another hypervisor).
 */
int svm_hw_enable(void)
{
	struct svm_cpu *sd = this_cpu_ptr(&svm_cpus);
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME)
		return -EBUSY;
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, __sme_set(page_to_phys(sd->hsave)));
	/* A new ASID generation: whatever ran here before is forgotten. */
	sd->asid_gen++;
	sd->next_asid = sd->max_asid + 1;
	return 0;
}

/**
 * svm_hw_disable() - &hv_backend_ops.hw_disable for SVM
 *
 * Safe in any context and when SVM is already off.
 */
void svm_hw_disable(void)
{
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (!(efer & EFER_SVME))
		return;
	/* Leave GIF set, or INIT and NMIs stay blocked (APM Vol. 2, 15.17). */
	asm volatile("stgi" ::: "memory");
	wrmsrl(MSR_VM_HSAVE_PA, 0);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}
