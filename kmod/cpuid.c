// SPDX-License-Identifier: GPL-2.0
/*
 * Per-VM CPUID tables. The owner may set any table; a new VM starts with
 * the host's leaves filtered to what hv virtualizes: no VMX/SVM, no
 * XSAVE/AVX state (the guest FPU is x87/SSE only), no performance
 * monitoring, debug store, MONITOR, RDTSCP/RDPID or speculation-control
 * MSRs; an APIC, x2APIC and TSC-deadline timer whatever the host has
 * (they are hv's own, irq/); the hypervisor bit set; hv's own clock
 * leaves (0x15, 0x16, 0x40000010) and signature at 0x40000000. A leaf
 * the table lacks returns zeros (AMD's behaviour for leaves beyond the
 * maximum).
 */
#include <linux/slab.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/tsc.h>

#include "hv_host.h"
#include "irq/irq.h"
#include "tsc_ratio.h"

#define HV_CPUID_SIGNATURE	0x40000000
#define HV_CPUID_TIMING		0x40000010
#define CPUID1_ECX_X2APIC	BIT(21)
#define CPUID1_ECX_TSC_DEADLINE	BIT(24)
#define CPUID1_EDX_APIC		BIT(9)
#define CPUID7_EBX_INVPCID	BIT(10)

struct leaf_mask {
	u32 function;
	u32 eax, ebx, ecx, edx;		/* bits kept; the rest cleared */
};

/*
 * Bits kept from the host (Intel SDM Vol. 2A, CPUID; AMD APM Vol. 3, E.3).
 * Leaf 1 ECX: SSE3, PCLMULQDQ, SSSE3, CX16, PCID, SSE4.1, SSE4.2, MOVBE,
 * POPCNT, AES, RDRAND. EDX: FPU, VME, DE, PSE, TSC, MSR, PAE, CX8, SEP,
 * PGE, CMOV, PAT, PSE36, CLFSH, MMX, FXSR, SSE, SSE2.
 */
static const struct leaf_mask masks[] = {
	{ 0x1, ~0u, 0x0000ffff, 0x42da2203, 0x078ba97f },
	/*
	 * Leaf 7.0 EBX: FSGSBASE, BMI1, SMEP, BMI2, ERMS, INVPCID, RDSEED,
	 * ADX, SMAP, CLFLUSHOPT, CLWB, SHA. ECX: UMIP, MOVDIRI, MOVDIR64B.
	 */
	{ 0x7, 0, 0x219c0789, 0x18000004, 0 },
	/*
	 * 0x80000001 ECX: LAHF, ABM, SSE4A, MisAlignSse, 3DNowPrefetch, TBM.
	 * EDX: as leaf 1 without APIC/MTRR/MCE/MCA, plus SYSCALL, NX,
	 * MmxExt, FFXSR, Page1GB, LM, 3DNow; no RDTSCP.
	 */
	{ 0x80000001, ~0u, 0, 0x002001e1, 0xe7d3a97f },
	{ 0x80000007, 0, 0, 0, 0x00000100 },	/* invariant TSC */
	{ 0x80000008, 0x0000ffff, 0, 0, 0 },	/* address sizes */
};

/* Leaves copied (then masked); every other leaf is left out. */
static const u32 kept_leaves[] = {
	0x0, 0x1, 0x7,
	0x80000000, 0x80000001, 0x80000002, 0x80000003, 0x80000004,
	0x80000007, 0x80000008,
};

static void apply_mask(struct hv_cpuid_entry *e)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		if (masks[i].function != e->function)
			continue;
		e->eax &= masks[i].eax;
		e->ebx &= masks[i].ebx;
		e->ecx &= masks[i].ecx;
		e->edx &= masks[i].edx;
	}
	switch (e->function) {
	case 0x0:
		e->eax = 0x16;			/* hv's own 0x15 and 0x16 */
		break;
	case 0x1:
		e->ebx &= ~0xff0000u;		/* one logical processor */
		e->ebx |= 1 << 16;
		e->ecx |= 1u << 31;		/* hypervisor present */
		e->ecx |= CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE;
		e->edx |= CPUID1_EDX_APIC;
		break;
	case 0x7:
		e->eax = 0;			/* no subleaf beyond 0 */
		if (hv_caps.no_invpcid)
			e->ebx &= ~CPUID7_EBX_INVPCID;
		break;
	case 0x80000000:
		e->eax = min_t(u32, e->eax, 0x80000008);
		break;
	}
}

/*
 * The guest's clocks, so that a guest need not calibrate them against a
 * timer it may not have: its TSC runs at the host's tsc_khz, and its
 * APIC timer at the 1 GHz bus clock of irq/lapic_timer.c. Leaf 0x15
 * (Intel SDM Vol. 2A, CPUID: TSC = ECX * EBX / EAX, ECX the "crystal",
 * which Linux also takes for the APIC timer's clock; EBX/EAX as close
 * to the TSC as Linux's 32-bit arithmetic allows, see tsc_ratio.c),
 * leaf 0x16 (base, maximum and bus MHz), and the hypervisor timing leaf 0x40000010 that
 * VMware defined and QEMU and KVM follow (EAX TSC kHz, EBX bus kHz). The
 * host's own 0x15 and 0x16 describe other clocks and are not passed on.
 */
static void clock_leaves(struct hv_cpuid_table *t)
{
	struct hv_cpuid_entry *e;
	u32 num, den;

	hv_tsc_crystal_ratio(tsc_khz, HV_APIC_BUS_KHZ, &num, &den);
	e = &t->entry[t->count++];
	e->function = 0x15;
	e->eax = den;
	e->ebx = num;
	e->ecx = HV_APIC_BUS_KHZ * 1000;
	e = &t->entry[t->count++];
	e->function = 0x16;
	e->eax = tsc_khz / 1000;
	e->ebx = tsc_khz / 1000;
	e->ecx = HV_APIC_BUS_KHZ / 1000;
	e = &t->entry[t->count++];
	e->function = HV_CPUID_TIMING;
	e->eax = tsc_khz;
	e->ebx = HV_APIC_BUS_KHZ;
}

/**
 * hv_cpuid_default() - the table a new VM starts with
 *
 * Context: process context.
 * Return: the table, or NULL if out of memory.
 */
struct hv_cpuid_table *hv_cpuid_default(void)
{
	u32 max_std = cpuid_eax(0), max_ext = cpuid_eax(0x80000000);
	struct hv_cpuid_table *t;
	struct hv_cpuid_entry *e;
	unsigned int i;

	t = kzalloc(struct_size(t, entry, ARRAY_SIZE(kept_leaves) + 4),
		    GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(kept_leaves); i++) {
		u32 fn = kept_leaves[i];

		if (fn < 0x80000000 ? fn > max_std : fn > max_ext)
			continue;
		e = &t->entry[t->count++];
		e->function = fn;
		e->flags = fn == 0x7 ? HV_CPUID_FLAGS_SIGNIFICANT_INDEX : 0;
		cpuid_count(fn, 0, &e->eax, &e->ebx, &e->ecx, &e->edx);
		apply_mask(e);
	}
	clock_leaves(t);
	e = &t->entry[t->count++];
	e->function = HV_CPUID_SIGNATURE;
	e->eax = HV_CPUID_TIMING;
	memcpy(&e->ebx, "hvhv", 4);		/* "hvhvhvhvhvhv" */
	memcpy(&e->ecx, "hvhv", 4);
	memcpy(&e->edx, "hvhv", 4);
	return t;
}

/**
 * hv_cpuid_set() - replace a VM's table
 * @vm: the VM; vm->lock held
 * @table: the new table, owned by the VM from now on
 *
 * Return: 0.
 */
int hv_cpuid_set(struct hv_vm *vm, struct hv_cpuid_table *table)
{
	struct hv_cpuid_table *old;

	old = rcu_replace_pointer(vm->cpuid, table, lockdep_is_held(&vm->lock));
	WRITE_ONCE(vm->cr4_allowed, hv_cpuid_cr4_allowed(table));
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static const struct hv_cpuid_entry *
find(const struct hv_cpuid_table *t, u32 fn, u32 idx)
{
	const struct hv_cpuid_entry *hit = NULL, *e;
	u32 i;

	for (i = 0; t && i < t->count; i++) {
		e = &t->entry[i];
		if (e->function != fn)
			continue;
		if (e->flags & HV_CPUID_FLAGS_SIGNIFICANT_INDEX) {
			if (e->index == idx)
				return e;
		} else if (!hit) {
			hit = e;
		}
	}
	return hit;
}

/* CR4 bits any VM may set (SDM Vol. 3A, 2.5), whatever its CPUID says. */
#define CR4_ALWAYS	(X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE | \
			 X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE | \
			 X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

/**
 * hv_cpuid_cr4_allowed() - the CR4 bits a VM's CPUID table offers
 * @t: the table
 *
 * A CR4 bit that enables a feature is reserved, and MOV to CR4 raises #GP
 * for it, where CPUID does not report the feature (SDM Vol. 3A, 2.5):
 * FSGSBASE, PCIDE, SMEP, SMAP and UMIP count only where both the table and
 * this host have them. OSXSAVE, PKE, LA57 and CET never do: hv gives
 * guests x87/SSE state only, 4-level paging and no protection keys.
 *
 * Return: the CR4 bits the VM's guests may set.
 */
u64 hv_cpuid_cr4_allowed(const struct hv_cpuid_table *t)
{
	const struct hv_cpuid_entry *l1 = find(t, 0x1, 0), *l7 = find(t, 0x7, 0);
	u32 ecx1 = l1 ? l1->ecx : 0;
	u32 ebx7 = l7 ? l7->ebx : 0, ecx7 = l7 ? l7->ecx : 0;
	u64 cr4 = CR4_ALWAYS;

	if ((ebx7 & BIT(0)) && boot_cpu_has(X86_FEATURE_FSGSBASE))
		cr4 |= X86_CR4_FSGSBASE;
	if ((ebx7 & BIT(7)) && boot_cpu_has(X86_FEATURE_SMEP))
		cr4 |= X86_CR4_SMEP;
	if ((ebx7 & BIT(20)) && boot_cpu_has(X86_FEATURE_SMAP))
		cr4 |= X86_CR4_SMAP;
	if ((ecx7 & BIT(2)) && boot_cpu_has(X86_FEATURE_UMIP))
		cr4 |= X86_CR4_UMIP;
	if ((ecx1 & BIT(17)) && boot_cpu_has(X86_FEATURE_PCID))
		cr4 |= X86_CR4_PCIDE;
	return cr4;
}

/**
 * hv_cpuid_emulate() - execute CPUID for the guest
 * @vcpu: the vCPU; its RAX and RCX hold the leaf and subleaf
 *
 * The table is searched linearly: it is short, and exact-index entries
 * win over any-index ones. Leaf 1 EBX[31:24] gets the vCPU's APIC id,
 * and EDX.APIC follows IA32_APIC_BASE.EN (SDM Vol. 2A, CPUID).
 *
 * Context: vCPU thread, preemption off.
 */
void hv_cpuid_emulate(struct hv_vcpu *vcpu)
{
	u32 fn = vcpu->gpr[HV_RAX], idx = vcpu->gpr[HV_RCX];
	const struct hv_cpuid_entry *hit;
	u32 r[4] = { 0 };

	rcu_read_lock();
	hit = find(rcu_dereference(vcpu->vm->cpuid), fn, idx);
	if (hit) {
		r[0] = hit->eax;
		r[1] = hit->ebx;
		r[2] = hit->ecx;
		r[3] = hit->edx;
	}
	rcu_read_unlock();

	if (fn == 0x1 && hit) {
		r[1] = (r[1] & 0x00ffffff) | (vcpu->id << 24);
		if (!hv_lapic_enabled(vcpu))
			r[3] &= ~CPUID1_EDX_APIC;
	}
	/* CPUID writes 32-bit registers: the upper halves are cleared. */
	vcpu->gpr[HV_RAX] = r[0];
	vcpu->gpr[HV_RBX] = r[1];
	vcpu->gpr[HV_RCX] = r[2];
	vcpu->gpr[HV_RDX] = r[3];
}
