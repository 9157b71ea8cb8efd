// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM backend of hv (AMD-V). This file decides from CPUID Fn8000_000A
 * and VM_CR (AMD APM Vol. 2, 15.4 and 15.30.1) whether every CPU can run
 * hv: it needs SVM enabled by firmware and nested paging.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": svm: " fmt

#include <linux/bits.h>
#include <linux/kernel.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/svm.h>

#include "hv.h"

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

static int svm_probe(struct hv_caps *caps, const char **why)
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
	return 0;
}

const struct hv_backend_ops hv_svm_ops = {
	.name	= "svm",
	.id	= HV_BACKEND_SVM,
	.probe	= svm_probe,
};
