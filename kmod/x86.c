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

#include <asm/msr-index.h>
#include <asm/processor-flags.h>

#include "hv.h"

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
			 X86_CR4_SMAP)

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
	if (!hv_pat_valid(r->pat))
		return "pat holds a reserved memory type";
	if (r->cr8 > 15)
		return "cr8 is a 4-bit priority";
	return NULL;
}
