// SPDX-License-Identifier: GPL-2.0
/*
 * Put a vCPU straight into real, 32-bit protected or 64-bit long mode at
 * an entry point, without firmware: the descriptor table and page tables
 * those modes need are written into guest RAM below HV_SETUP_END, and the
 * register record is filled to match. hvctl run, the selftests and the
 * benchmarks share it.
 */
#include <errno.h>
#include <string.h>

#include "libhv.h"

/* GDT descriptors (SDM Vol. 3A, 3.4.5): flat 4 GiB segments. */
#define DESC_CODE64	0x00af9b000000ffffULL	/* L=1, present, exec/read */
#define DESC_CODE32	0x00cf9b000000ffffULL	/* D=1, G=1 */
#define DESC_DATA	0x00cf93000000ffffULL	/* D=1, G=1, read/write */

/* The same segments' access rights, in hv_regs' (VMX) layout. */
#define AR_CODE64	(0xb | HV_AR_S | HV_AR_P | HV_AR_L | HV_AR_G)
#define AR_CODE32	(0xb | HV_AR_S | HV_AR_P | HV_AR_DB | HV_AR_G)
#define AR_DATA32	(0x3 | HV_AR_S | HV_AR_P | HV_AR_DB | HV_AR_G)
#define AR_CODE16	(0xb | HV_AR_S | HV_AR_P)
#define AR_DATA16	(0x3 | HV_AR_S | HV_AR_P)
/* A busy 32-bit TSS: VM entry checks TR even where nothing uses it. */
#define AR_TSS_BUSY	(0xb | HV_AR_P)

#define X86_CR0_PE	(1ULL << 0)
#define X86_CR0_ET	(1ULL << 4)
#define X86_CR0_PG	(1ULL << 31)
#define X86_CR4_PAE	(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

/* Paging-structure entry bits (SDM Vol. 3A, 4.5). */
#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PS		(1ULL << 7)

static void put64(uint8_t *mem, uint64_t gpa, uint64_t v)
{
	memcpy(mem + gpa, &v, sizeof(v));
}

static void seg(struct hv_segment *s, uint16_t sel, uint64_t base,
		uint32_t limit, uint32_t ar)
{
	s->selector = sel;
	s->base = base;
	s->limit = limit;
	s->ar = ar;
}

static void write_gdt(uint8_t *mem, int long_mode)
{
	put64(mem, HV_SETUP_GDT, 0);
	put64(mem, HV_SETUP_GDT + HV_SETUP_SEL_CODE,
	      long_mode ? DESC_CODE64 : DESC_CODE32);
	put64(mem, HV_SETUP_GDT + HV_SETUP_SEL_DATA, DESC_DATA);
}

/* Identity-map the low 4 GiB with 2 MiB pages: one PML4, one PDPT, 4 PDs. */
static void write_page_tables(uint8_t *mem)
{
	uint64_t pdpt = HV_SETUP_PML4 + 0x1000, pd = HV_SETUP_PML4 + 0x2000;
	int i;

	memset(mem + HV_SETUP_PML4, 0, HV_SETUP_END - HV_SETUP_PML4);
	put64(mem, HV_SETUP_PML4, pdpt | PTE_P | PTE_RW);
	for (i = 0; i < 4; i++)
		put64(mem, pdpt + i * 8, (pd + i * 0x1000) | PTE_P | PTE_RW);
	for (i = 0; i < 4 * 512; i++)
		put64(mem, pd + i * 8,
		      ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS);
}

/**
 * hv_setup_mode() - put a register record into a mode at an entry point
 * @r: the record (from hv_vcpu_get_regs()); GPRs other than RSP, and the
 *     MSRs, are left as they are
 * @mode: HV_MODE_*
 * @entry: guest-physical entry point; in real mode below 1 MiB, run as
 *         CS = (@entry & 0xf0000) >> 4, IP = @entry & 0xffff
 * @stack: initial RSP (in real mode SP, with SS = 0)
 * @mem: guest RAM at guest-physical 0, as the caller maps it, or NULL in
 *       real mode
 * @mem_size: bytes at @mem
 *
 * Protected and long mode write a GDT at HV_SETUP_GDT (null, code at
 * HV_SETUP_SEL_CODE, data at HV_SETUP_SEL_DATA); long mode also writes
 * page tables at HV_SETUP_PML4..HV_SETUP_END identity-mapping 4 GiB.
 * Guest code must not be loaded over them.
 *
 * Return: 0; -EINVAL for an unknown mode, a real-mode entry at or above
 * 1 MiB or a stack above 64 KiB, or RAM too small for the tables.
 */
int hv_setup_mode(struct hv_regs *r, enum hv_mode mode, uint64_t entry,
		  uint64_t stack, void *mem, size_t mem_size)
{
	switch (mode) {
	case HV_MODE_REAL:
		if (entry >= 1 << 20 || stack > 0xffff)
			return -EINVAL;
		break;
	case HV_MODE_PROT32:
		if (!mem || mem_size < HV_SETUP_PML4 || entry >> 32)
			return -EINVAL;
		break;
	case HV_MODE_LONG64:
		if (!mem || mem_size < HV_SETUP_END)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}

	r->rflags = 0x2;
	r->gpr[HV_RSP] = stack;
	r->cr2 = 0;
	r->cr3 = 0;
	r->cr4 = 0;
	r->efer = 0;
	r->gdtr.base = HV_SETUP_GDT;
	r->gdtr.limit = 3 * 8 - 1;
	r->idtr.base = 0;
	r->idtr.limit = mode == HV_MODE_REAL ? 0x3ff : 0;
	seg(&r->tr, 0, 0, 0xffff, AR_TSS_BUSY);
	seg(&r->ldtr, 0, 0, 0, HV_AR_UNUSABLE);
	memset(&r->event, 0, sizeof(r->event));
	r->int_shadow = 0;
	r->activity = HV_ACTIVITY_ACTIVE;

	switch (mode) {
	case HV_MODE_REAL:
		r->rip = entry & 0xffff;
		r->cr0 = X86_CR0_ET;
		seg(&r->cs, (entry & 0xf0000) >> 4, entry & 0xf0000, 0xffff,
		    AR_CODE16);
		seg(&r->ds, 0, 0, 0xffff, AR_DATA16);
		break;
	case HV_MODE_PROT32:
		write_gdt(mem, 0);
		r->rip = entry;
		r->cr0 = X86_CR0_PE | X86_CR0_ET;
		seg(&r->cs, HV_SETUP_SEL_CODE, 0, 0xffffffff, AR_CODE32);
		seg(&r->ds, HV_SETUP_SEL_DATA, 0, 0xffffffff, AR_DATA32);
		break;
	case HV_MODE_LONG64:
		write_gdt(mem, 1);
		write_page_tables(mem);
		r->rip = entry;
		r->cr0 = X86_CR0_PG | X86_CR0_PE | X86_CR0_ET;
		r->cr3 = HV_SETUP_PML4;
		r->cr4 = X86_CR4_PAE;
		r->efer = EFER_LME | EFER_LMA;
		seg(&r->cs, HV_SETUP_SEL_CODE, 0, 0xffffffff, AR_CODE64);
		seg(&r->ds, HV_SETUP_SEL_DATA, 0, 0xffffffff, AR_DATA32);
		break;
	}
	r->es = r->ss = r->fs = r->gs = r->ds;
	return 0;
}

/**
 * hv_mode_name() - the name of an HV_MODE_* value
 * @mode: the mode
 *
 * Return: "real", "prot" or "long"; "unknown" otherwise.
 */
const char *hv_mode_name(enum hv_mode mode)
{
	switch (mode) {
	case HV_MODE_REAL:
		return "real";
	case HV_MODE_PROT32:
		return "prot";
	case HV_MODE_LONG64:
		return "long";
	}
	return "unknown";
}
