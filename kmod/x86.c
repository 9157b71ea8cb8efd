// SPDX-License-Identifier: GPL-2.0
/*
 * x86 helpers that both backends need, kept here so that vmx/ and svm/
 * never copy each other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include <asm/debugreg.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "hv_host.h"

/**
 * hv_cpus_read_agree() - read a record on every online CPU and compare
 * @what: the backend's name, for the log
 * @read: smp_call_func_t run on each CPU with interrupts off; its argument
 *	is a zeroed buffer of @size bytes to fill
 * @size: size of the record
 * @first: receives the record of the first online CPU
 * @why: set to the refusal reason when the records differ
 *
 * hv programs every CPU the same way, so capabilities must be identical on
 * all of them (mixed steppings and firmware that enables VMX on some CPUs
 * only exist). Readers must fill fields, not padding, so that a plain
 * memcmp() compares records. A difference is logged naming both CPUs.
 *
 * Context: process context, may sleep; takes the CPU hotplug read lock.
 * Return: 0 if all online CPUs agree; -ENODEV if one differs (@why says
 * so); -ENOMEM if the per-CPU records could not be allocated.
 */
int hv_cpus_read_agree(const char *what, smp_call_func_t read, size_t size,
		       void *first, const char **why)
{
	int cpu, first_cpu = -1, err = 0;
	char *all;

	all = kvcalloc(nr_cpu_ids, size, GFP_KERNEL);
	if (!all)
		return -ENOMEM;

	cpus_read_lock();
	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, read, all + cpu * size, 1);
	for_each_online_cpu(cpu) {
		if (first_cpu < 0) {
			first_cpu = cpu;
			continue;
		}
		if (memcmp(all + cpu * size, all + first_cpu * size, size)) {
			pr_err("%s: CPU %d reports other capabilities than CPU %d\n",
			       what, cpu, first_cpu);
			*why = "capabilities differ between CPUs";
			err = -ENODEV;
			break;
		}
	}
	cpus_read_unlock();

	memcpy(first, all + first_cpu * size, size);
	kvfree(all);
	return err;
}

#define CR4_ALLOWED	(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE | \
			 X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | \
			 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | \
			 X86_CR4_FSGSBASE | X86_CR4_PCIDE | X86_CR4_SMEP | \
			 X86_CR4_SMAP | X86_CR4_UMIP)

/**
 * hv_pat_valid() - whether a PAT value holds only defined memory types
 * @pat: the IA32_PAT value
 *
 * Return: true if WRMSR would accept it.
 */
bool hv_pat_valid(u64 pat)
{
	int i;

	/* Types 2 and 3 are reserved, as is anything above 7 (SDM 11.12.2). */
	for (i = 0; i < 8; i++) {
		u8 type = pat >> (8 * i);

		if (type > 7 || type == 2 || type == 3)
			return false;
	}
	return true;
}

/**
 * hv_canonical() - whether an address is canonical with 48-bit linear
 *	addresses (hv offers no 5-level paging)
 * @la: the address
 *
 * Return: true if bits 63:47 are all equal.
 */
bool hv_canonical(u64 la)
{
	return (u64)(((s64)la << 16) >> 16) == la;
}

/*
 * The MSRs of the record as WRMSR checks them (SDM Vol. 4, Table 2-2;
 * APM Vol. 2, 6.1.1 and 6.1.2): addresses must be canonical, IA32_FMASK
 * has 32 bits. VMX loads the SYSCALL MSRs with WRMSR itself, so a value
 * WRMSR refuses would leave the host's in place (and hand it back to the
 * owner). SYSENTER_CS fits the VMCS's 32-bit field.
 */
static const char *msrs_check(const struct hv_regs *r)
{
	if (!hv_canonical(r->lstar) || !hv_canonical(r->cstar))
		return "lstar and cstar must be canonical addresses";
	if (!hv_canonical(r->kernel_gs_base))
		return "kernel_gs_base must be a canonical address";
	if (!hv_canonical(r->sysenter_esp) || !hv_canonical(r->sysenter_eip))
		return "sysenter_esp and sysenter_eip must be canonical addresses";
	if (r->sysenter_cs >> 32)
		return "sysenter_cs must fit in 32 bits";
	if (r->sfmask >> 32)
		return "sfmask (IA32_FMASK) must fit in 32 bits";
	if (!hv_pat_valid(r->pat))
		return "pat holds a reserved memory type";
	return NULL;
}

static bool usable(const struct hv_segment *s)
{
	return !(s->ar & HV_AR_UNUSABLE);
}

/*
 * Base addresses VM entry checks (SDM Vol. 3C, 27.3.1.2 and 27.3.1.3):
 * FS, GS, TR, GDTR, IDTR and a usable LDTR canonical; usable CS, SS, DS
 * and ES within 32 bits.
 */
static const char *bases_check(const struct hv_regs *r)
{
	const struct hv_segment *const low[] = { &r->cs, &r->ss, &r->ds, &r->es };
	unsigned int i;

	if (!hv_canonical(r->fs.base) || !hv_canonical(r->gs.base))
		return "fs and gs bases must be canonical addresses";
	if (!hv_canonical(r->tr.base) ||
	    (usable(&r->ldtr) && !hv_canonical(r->ldtr.base)))
		return "tr and ldtr bases must be canonical addresses";
	if (!hv_canonical(r->gdtr.base) || !hv_canonical(r->idtr.base))
		return "gdtr and idtr bases must be canonical addresses";
	for (i = 0; i < ARRAY_SIZE(low); i++)
		if (usable(low[i]) && low[i]->base >> 32)
			return "cs, ss, ds and es bases must fit in 32 bits";
	return NULL;
}

/**
 * hv_efer_write() - the EFER a guest's WRMSR leaves, if the CPU takes it
 * @old: EFER before, as the guest sees it
 * @cr0: the guest's CR0
 * @value: the value written
 * @efer: receives the new EFER
 *
 * Bits hv does not offer are reserved; LME cannot change while paging is
 * on (SDM Vol. 3A, 10.8.5); LMA is the CPU's to set, not the write's.
 *
 * Return: true, or false if WRMSR raises #GP.
 */
bool hv_efer_write(u64 old, u64 cr0, u64 value, u64 *efer)
{
	if (value & ~HV_EFER_ALLOWED)
		return false;
	if ((cr0 & X86_CR0_PG) && ((value ^ old) & EFER_LME))
		return false;
	*efer = (value & ~EFER_LMA) | (old & EFER_LMA);
	return true;
}

/**
 * hv_cr4_write_ok() - whether MOV to CR4 succeeds or raises #GP
 * @vm: the VM, whose CPUID decides which bits exist
 * @r: the guest's CR3, CR4 and EFER before the write
 * @cr4: the value written
 *
 * SDM Vol. 3A, 2.5 and 4.10.1, and Vol. 2B, MOV: a bit the VM's CPUID does
 * not offer is reserved; PAE cannot be cleared in IA-32e mode; PCIDE can
 * be set only in IA-32e mode and with CR3[11:0] clear.
 *
 * Return: true if the CPU would load @cr4.
 */
bool hv_cr4_write_ok(struct hv_vm *vm, const struct hv_regs *r, u64 cr4)
{
	bool lma = r->efer & EFER_LMA;

	if (cr4 & ~READ_ONCE(vm->cr4_allowed))
		return false;
	if (lma && !(cr4 & X86_CR4_PAE))
		return false;
	if ((cr4 & X86_CR4_PCIDE) && !(r->cr4 & X86_CR4_PCIDE) &&
	    (!lma || (r->cr3 & 0xfff)))
		return false;
	return true;
}

/**
 * hv_regs_check() - the checks every architectural record must pass
 * @r: the record
 *
 * The consistency checks of VMRUN (AMD APM Vol. 2, 15.5.1) and VM entry
 * (Intel SDM Vol. 3C, 27.3.1) that do not depend on the CPU model, plus
 * hv's own limits on EFER and CR4.
 *
 * Return: NULL, or a sentence naming the first bad value.
 */
const char *hv_regs_check(const struct hv_regs *r)
{
	bool lme = r->efer & EFER_LME, pg = r->cr0 & X86_CR0_PG;

	if (r->efer & ~HV_EFER_ALLOWED)
		return "efer has bits set hv does not support";
	if (r->cr0 >> 32 || ((r->cr0 & X86_CR0_NW) && !(r->cr0 & X86_CR0_CD)))
		return "cr0 is invalid (upper half set, or NW without CD)";
	if (pg && !(r->cr0 & X86_CR0_PE))
		return "cr0.pg requires cr0.pe";
	if (r->cr4 & ~CR4_ALLOWED)
		return "cr4 has bits set hv does not support";
	if (r->cr3 >> 52)
		return "cr3 has reserved bits set";
	if (r->dr6 >> 32 || r->dr7 >> 32)
		return "dr6 and dr7 must fit in 32 bits";
	if (lme && pg && !(r->cr4 & X86_CR4_PAE))
		return "long mode (efer.lme, cr0.pg) requires cr4.pae";
	if (!!(r->efer & EFER_LMA) != (lme && pg))
		return "efer.lma must equal efer.lme && cr0.pg";
	if ((r->efer & EFER_LMA) && (r->cs.ar & HV_AR_L) && (r->cs.ar & HV_AR_DB))
		return "cs.l and cs.db cannot both be set in long mode";
	if (r->cr8 > 15)
		return "cr8 is a 4-bit priority";
	return msrs_check(r) ?: bases_check(r) ?: hv_fpu_check(r->fpu);
}

/* Segment access rights after RESET and INIT (SDM Vol. 3A, Table 10-1). */
#define AR_RESET_CODE	0x9b	/* present, code, read, accessed */
#define AR_RESET_DATA	0x93	/* present, data, write, accessed */
#define AR_RESET_LDT	0x82	/* present, LDT */
#define AR_RESET_TSS	0x8b	/* present, busy TSS */

/**
 * hv_regs_reset() - the architectural state after RESET or INIT
 * @r: the record; for INIT, the vCPU's state before it
 * @init: INIT rather than RESET
 * @signature: the processor signature RESET and INIT leave in EDX
 *	(CPUID.1:EAX)
 *
 * Real mode at F000:FFF0 (SDM Vol. 3A, 10.1 and Table 10-1; APM Vol. 2,
 * 14.1.3). INIT leaves CR0.CD/NW, the x87/SSE state and the MSRs the
 * record keeps (hv_msrs_kept: PAT, the SYSCALL and SYSENTER MSRs, the TSC)
 * as they were; RESET sets them to their power-up values (the x87/SSE
 * image is the caller's: fpu.c owns its power-up form). The backends load
 * the result through set_regs and keep only their private state
 * (controls, intercepts) themselves.
 */
void hv_regs_reset(struct hv_regs *r, bool init, u32 signature)
{
	const struct hv_segment data = { .limit = 0xffff, .ar = AR_RESET_DATA };
	u64 cr0 = X86_CR0_CD | X86_CR0_NW;
	u64 msrs[HV_NR_MSRS_KEPT];
	unsigned int i;

	if (init) {
		cr0 = r->cr0 & (X86_CR0_CD | X86_CR0_NW);
		for (i = 0; i < hv_nr_msrs_kept; i++)
			msrs[i] = *hv_regs_msr(r, hv_msrs_kept[i]);
	}
	memset(r, 0, offsetof(struct hv_regs, fpu));
	r->gpr[HV_RDX] = signature;
	r->rip = 0xfff0;
	r->rflags = X86_EFLAGS_FIXED;
	r->cr0 = cr0 | X86_CR0_ET;
	r->dr6 = DR6_RESERVED;
	r->dr7 = HV_DR7_FIXED;
	r->cs = (struct hv_segment){ .selector = 0xf000, .base = 0xffff0000,
				     .limit = 0xffff, .ar = AR_RESET_CODE };
	r->ds = data;
	r->es = data;
	r->fs = data;
	r->gs = data;
	r->ss = data;
	r->ldtr = (struct hv_segment){ .limit = 0xffff, .ar = AR_RESET_LDT };
	r->tr = (struct hv_segment){ .limit = 0xffff, .ar = AR_RESET_TSS };
	r->gdtr.limit = 0xffff;
	r->idtr.limit = 0xffff;
	r->pat = HV_PAT_POWER_UP;
	if (init)
		for (i = 0; i < hv_nr_msrs_kept; i++)
			*hv_regs_msr(r, hv_msrs_kept[i]) = msrs[i];
}

