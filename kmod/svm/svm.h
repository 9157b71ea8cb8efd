/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types of the SVM backend: the per-vCPU and per-CPU state, and the entry
 * routine in vmenter.S. Nothing here is seen outside kmod/svm/.
 */
#ifndef HV_SVM_H
#define HV_SVM_H

#include <linux/types.h>
#include <asm/svm.h>

#include "hv_host.h"

/*
 * VMCB clean bits (AMD APM Vol. 2, 15.15.3): groups of VMCB fields the CPU
 * may keep cached between VMRUNs when software marks them clean.
 */
#define VMCB_CLEAN_INTERCEPTS	BIT(0)	/* intercepts, TSC offset */
#define VMCB_CLEAN_PERM_MAP	BIT(1)	/* IOPM/MSRPM base */
#define VMCB_CLEAN_ASID		BIT(2)
#define VMCB_CLEAN_INTR		BIT(3)	/* V_TPR, V_IRQ and friends */
#define VMCB_CLEAN_NPT		BIT(4)	/* NP enable, nCR3, gPAT */
#define VMCB_CLEAN_CR		BIT(5)	/* CR0, CR3, CR4, EFER */
#define VMCB_CLEAN_DR		BIT(6)	/* DR6, DR7 */
#define VMCB_CLEAN_DT		BIT(7)	/* GDTR, IDTR */
#define VMCB_CLEAN_SEG		BIT(8)	/* CS, DS, SS, ES, CPL */
#define VMCB_CLEAN_CR2		BIT(9)
#define VMCB_CLEAN_ALL		0x3ff

/**
 * struct svm_vcpu - a vCPU on SVM
 * @vcpu: the core's part; first, so that container_of() recovers us
 * @vmcb: the VMCB (a page)
 * @vmcb_pa: its physical address for VMRUN/VMLOAD/VMSAVE
 * @asid: the ASID in use on @asid_cpu
 * @asid_gen: the generation of @asid_cpu's ASIDs it belongs to
 * @asid_cpu: the CPU whose ASID space @asid is from, -1 for none
 * @dirty: VMCB_CLEAN_* groups changed since the last VMRUN
 * @vintr: an interrupt window is requested (V_IRQ + VINTR intercept)
 * @nmi_masked: an NMI hv injected is being handled: NMIs are blocked
 *	until the handler's IRET completes (SVM does not say; hv tracks it)
 * @iret_rip: with @nmi_masked, the RIP of the intercepted IRET, 0 until
 *	one was intercepted: the IRET completed once RIP is elsewhere
 * @exit_rip: the guest's RIP at the last exit (or set by vcpu-set-regs):
 *	a different RIP at entry means hv finished an instruction
 * @dr: guest DR0-DR3, which VMRUN does not switch
 * @host_dr: the host's DR0-DR3 while the guest's are loaded
 * @host_dr7: the host's DR7, which #VMEXIT does not restore
 */
struct svm_vcpu {
	struct hv_vcpu vcpu;
	struct vmcb *vmcb;
	phys_addr_t vmcb_pa;
	u32 asid;
	u64 asid_gen;
	int asid_cpu;
	u32 dirty;
	bool vintr;
	bool nmi_masked;
	u64 iret_rip;
	u64 exit_rip;
	unsigned long dr[4];
	unsigned long host_dr[4];
	unsigned long host_dr7;
};

/**
 * to_svm() - the SVM state around a core vCPU
 * @vcpu: the vCPU
 *
 * Return: its &struct svm_vcpu.
 */
static inline struct svm_vcpu *to_svm(struct hv_vcpu *vcpu)
{
	return container_of(vcpu, struct svm_vcpu, vcpu);
}

/**
 * struct svm_cpu - per-CPU SVM state
 * @hsave: the host save area the CPU uses on VMRUN (VM_HSAVE_PA)
 * @host_save: where the host's VMSAVE state lives during guest runs
 * @host_save_pa: its physical address
 * @next_asid: next ASID to hand out
 * @max_asid: highest ASID
 * @asid_gen: generation; bumped (with a flush of all ASIDs) on wrap
 */
struct svm_cpu {
	struct page *hsave;
	struct page *host_save;
	phys_addr_t host_save_pa;
	u32 next_asid;
	u32 max_asid;
	u64 asid_gen;
};

DECLARE_PER_CPU(struct svm_cpu, svm_cpus);
extern phys_addr_t svm_msrpm_pa, svm_iopm_pa;
extern u32 svm_nasid;
extern bool svm_tcg_inject_quirk;

int svm_probe(struct hv_caps *caps, const char **why);
int svm_setup(void);
void svm_unsetup(void);
const char *svm_busy_reason(void);
int svm_hw_enable(void);
void svm_hw_disable(void);

void __hv_svm_run(u64 *gpr, phys_addr_t vmcb_pa, phys_addr_t host_save_pa);

#endif /* HV_SVM_H */
