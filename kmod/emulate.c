// SPDX-License-Identifier: GPL-2.0
/*
 * Emulation of the instructions that touch device memory (MMIO) or move
 * strings through I/O ports: fetch the instruction (the bytes the hardware
 * supplied with the exit, else through the guest's page tables), decode it
 * (decode.c), send the accesses to the owner, complete the instruction.
 * An instruction hv cannot fetch or decode crashes the VM with the reason;
 * nothing a guest does here can hurt the host.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "decode.h"
#include "hv_host.h"
#include "irq/irq.h"

#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	0x000ffffffffff000ULL

static enum hv_cpu_mode cpu_mode(const struct hv_regs *r)
{
	if (!(r->cr0 & X86_CR0_PE) || (r->rflags & X86_EFLAGS_VM))
		return HV_CPU_MODE_16;
	if ((r->efer & EFER_LMA) && (r->cs.ar & HV_AR_L))
		return HV_CPU_MODE_64;
	return r->cs.ar & HV_AR_DB ? HV_CPU_MODE_32 : HV_CPU_MODE_16;
}

static int read_pte(struct hv_vm *vm, u64 gpa, unsigned int size, u64 *pte)
{
	*pte = 0;
	return hv_mem_read(vm, gpa, pte, size);
}

/*
 * Translate a linear address through the guest's paging structures (SDM
 * Vol. 3A, 4.3 32-bit, 4.4 PAE, 4.5 4-level paging). Access rights were
 * checked by the CPU when the access faulted; only presence matters here.
 */
static int translate(struct hv_vm *vm, const struct hv_regs *r, u64 la,
		     u64 *gpa)
{
	u64 pte, table;
	int level;

	if (!(r->cr0 & X86_CR0_PG)) {
		*gpa = r->efer & EFER_LMA ? la : la & 0xffffffffULL;
		return 0;
	}
	if (!(r->cr4 & X86_CR4_PAE)) {
		if (read_pte(vm, (r->cr3 & 0xfffff000) + ((la >> 22) & 0x3ff) * 4,
			     4, &pte) || !(pte & PTE_P))
			return -EFAULT;
		if ((pte & PTE_PS) && (r->cr4 & X86_CR4_PSE)) {
			*gpa = (pte & 0xffc00000) | (((pte >> 13) & 0xff) << 32) |
			       (la & 0x3fffff);
			return 0;
		}
		if (read_pte(vm, (pte & 0xfffff000) + ((la >> 12) & 0x3ff) * 4,
			     4, &pte) || !(pte & PTE_P))
			return -EFAULT;
		*gpa = (pte & 0xfffff000) | (la & 0xfff);
		return 0;
	}
	if (r->efer & EFER_LMA) {
		table = r->cr3 & PTE_ADDR;
		level = 4;
	} else {
		if (read_pte(vm, (r->cr3 & 0xffffffe0) + ((la >> 30) & 3) * 8,
			     8, &pte) || !(pte & PTE_P))
			return -EFAULT;
		table = pte & PTE_ADDR;
		level = 2;
	}
	for (; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);

		if (read_pte(vm, table + ((la >> shift) & 0x1ff) * 8, 8, &pte) ||
		    !(pte & PTE_P))
			return -EFAULT;
		if (level == 1 || ((pte & PTE_PS) && level <= 3)) {
			u64 mask = (1ULL << shift) - 1;

			*gpa = ((pte & PTE_ADDR) & ~mask) | (la & mask);
			return 0;
		}
		table = pte & PTE_ADDR;
	}
	return -EFAULT;
}

static const struct hv_segment *segment(const struct hv_regs *r, u8 seg)
{
	switch (seg) {
	case HV_SEG_ES:
		return &r->es;
	case HV_SEG_CS:
		return &r->cs;
	case HV_SEG_SS:
		return &r->ss;
	case HV_SEG_FS:
		return &r->fs;
	case HV_SEG_GS:
		return &r->gs;
	default:
		return &r->ds;
	}
}

static u64 linear(const struct hv_regs *r, enum hv_cpu_mode mode, u8 seg,
		  u64 offset)
{
	u64 base = segment(r, seg)->base;

	/* SDM Vol. 3A, 3.4.4: in 64-bit mode only FS and GS have a base. */
	if (mode == HV_CPU_MODE_64)
		return (seg == HV_SEG_FS || seg == HV_SEG_GS ? base : 0) + offset;
	return (base + offset) & 0xffffffffULL;
}

/*
 * Copy between @buf and guest RAM at linear address @la, page by page,
 * with @la wrapping at @wrap. Return: the bytes copied before the first
 * page that is not mapped to RAM.
 */
static __always_inline size_t copy_linear(struct hv_vcpu *vcpu,
					  const struct hv_regs *r, u64 la,
					  void *buf, size_t len, bool write,
					  u64 wrap)
{
	size_t done = 0;
	u64 gpa;

	while (done < len) {
		size_t n = min_t(size_t, len - done,
				 PAGE_SIZE - offset_in_page(la));
		int err = translate(vcpu->vm, r, la, &gpa);

		if (!err)
			err = write ? hv_mem_write(vcpu->vm, gpa, buf + done, n) :
				      hv_mem_read(vcpu->vm, gpa, buf + done, n);
		if (err)
			break;
		la = (la + n) & wrap;
		done += n;
	}
	return done;
}

/**
 * hv_linear_copy() - copy to or from guest memory at a linear address
 * @vcpu: the vCPU whose paging translates
 * @r: its CR0, CR3, CR4 and EFER
 * @la: the linear address
 * @buf: the host buffer
 * @len: bytes
 * @write: copy @buf to the guest, else from it
 *
 * For the structures the CPU itself reads and writes (descriptor tables,
 * task-state segments): RAM only, page by page, without access checks.
 *
 * Context: any; does not sleep.
 * Return: 0, or -EFAULT if part of the range is not mapped to RAM.
 */
int hv_linear_copy(struct hv_vcpu *vcpu, const struct hv_regs *r, u64 la,
		   void *buf, size_t len, bool write)
{
	/* Only 32-bit task switches come here: addresses wrap at 4 GiB. */
	if (copy_linear(vcpu, r, la, buf, len, write, 0xffffffffULL) != len)
		return -EFAULT;
	return 0;
}

/* RIP after an instruction of @len bytes, wrapped as the mode wraps it. */
static u64 advance(const struct hv_regs *r, enum hv_cpu_mode mode,
		   unsigned int len)
{
	if (mode == HV_CPU_MODE_64)
		return r->rip + len;
	return (r->rip + len) & (mode == HV_CPU_MODE_32 ? 0xffffffffULL : 0xffffULL);
}

static void code_regs(struct hv_vcpu *vcpu, struct hv_regs *r)
{
	hv_be_get_code_regs(vcpu, r);
	r->rip = vcpu->rip;
}

/* Read instruction bytes at CS:RIP, as many as the mapped pages allow. */
static unsigned int fetch(struct hv_vcpu *vcpu, const struct hv_regs *r,
			  enum hv_cpu_mode mode, u8 *bytes)
{
	return copy_linear(vcpu, r, linear(r, mode, HV_SEG_CS, r->rip), bytes,
			   HV_INSN_MAX_LEN, false, ~0ULL);
}

/**
 * hv_exit_next_rip() - the RIP after the instruction that exited
 * @vcpu: the vCPU, its thread, right after a CPUID, HLT, RDMSR, WRMSR or
 *	INVD exit
 * @exit: the exit
 * @rip: receives the RIP
 *
 * Where the hardware does not report it (SVM without next-RIP save), the
 * instruction is fetched and its prefixes stepped over: a fixed length
 * would resume a prefixed CPUID in the middle of the instruction.
 *
 * Context: any; does not sleep.
 * Return: 0; -ENODATA if the instruction cannot be fetched; -EINVAL if
 * the bytes at RIP are not the instruction that exited.
 */
int hv_exit_next_rip(struct hv_vcpu *vcpu, const struct hv_exit *exit,
		     u64 *rip)
{
	static const u8 op_cpuid[] = { 0x0f, 0xa2 }, op_hlt[] = { 0xf4 },
			op_rdmsr[] = { 0x0f, 0x32 }, op_wrmsr[] = { 0x0f, 0x30 },
			op_invd[] = { 0x0f, 0x08 };
	struct hv_regs *r = vcpu->scratch;
	u8 bytes[HV_INSN_MAX_LEN];
	enum hv_cpu_mode mode;
	const u8 *op;
	unsigned int oplen, got;
	int len;

	if (exit->next_rip_known) {
		*rip = exit->next_rip;
		return 0;
	}
	switch (exit->kind) {
	case HV_EXIT_CPUID:
		op = op_cpuid;
		oplen = sizeof(op_cpuid);
		break;
	case HV_EXIT_HLT:
		op = op_hlt;
		oplen = sizeof(op_hlt);
		break;
	case HV_EXIT_RDMSR:
		op = op_rdmsr;
		oplen = sizeof(op_rdmsr);
		break;
	case HV_EXIT_WRMSR:
		op = op_wrmsr;
		oplen = sizeof(op_wrmsr);
		break;
	case HV_EXIT_INVD:
		op = op_invd;
		oplen = sizeof(op_invd);
		break;
	default:
		return -EINVAL;
	}
	code_regs(vcpu, r);
	mode = cpu_mode(r);
	got = fetch(vcpu, r, mode, bytes);
	len = hv_insn_len_of(bytes, got, mode, op, oplen);
	if (len < 0)
		return len;
	*rip = advance(r, mode, len);
	return 0;
}

/**
 * hv_emulate_cr_write() - MOV to CR4 or CR8, checked as the CPU checks it
 * @vcpu: the vCPU, its thread, right after the exit
 * @exit: the HV_EXIT_CR_WRITE exit
 *
 * A value the CPU would refuse (hv_cr4_write_ok(); CR8 bits 63:4) raises
 * #GP(0); any other is loaded (CR8 into the APIC's TPR, SDM Vol. 3A,
 * 11.8.6.1) and the instruction completed. The source register
 * comes from the exit, or from the instruction where the CPU does not
 * report it (SVM without decode assists); outside 64-bit mode the
 * operand is 32 bits wide.
 *
 * Context: any; does not sleep.
 * Return: 0 (loaded, or #GP queued); -ENODATA if the instruction cannot
 * be fetched; -EINVAL if it is not MOV to the CR the exit names.
 */
int hv_emulate_cr_write(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	struct hv_regs *r = vcpu->scratch;
	u8 gpr = exit->cr.gpr, cr = exit->cr.cr;
	u64 rip = exit->next_rip, val;
	u8 bytes[HV_INSN_MAX_LEN];
	enum hv_cpu_mode mode;
	int len;

	code_regs(vcpu, r);
	mode = cpu_mode(r);
	if (gpr == HV_GPR_UNKNOWN || !exit->next_rip_known) {
		len = hv_decode_mov_to_cr(bytes, fetch(vcpu, r, mode, bytes),
					  mode, &cr, &gpr);
		if (len < 0)
			return len;
		if (cr != exit->cr.cr)
			return -EINVAL;
		rip = advance(r, mode, len);
	}
	val = vcpu->gpr[gpr & 15];
	if (mode != HV_CPU_MODE_64)
		val = (u32)val;
	if (cr == 8) {
		if (val >> 4) {
			hv_vcpu_queue_exception(vcpu, X86_TRAP_GP, true, 0);
			return 0;
		}
		hv_lapic_set_cr8(vcpu, val);
		vcpu->rip = rip;
		return 0;
	}
	if (!hv_cr4_write_ok(vcpu->vm, r, val)) {
		hv_vcpu_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return 0;
	}
	hv_be_set_cr4(vcpu, val);
	vcpu->rip = rip;
	return 0;
}

/*
 * An access of @size bytes at @gpa: RAM directly, then the vCPU's xAPIC
 * page, anything else the owner. An APIC page over RAM is not seen: the
 * guest reaches that RAM without exits, and this keeps both ways alike.
 */
static int access_gpa(struct hv_vcpu *vcpu, u64 gpa, unsigned int size,
		      bool write, u64 *val)
{
	struct page *page;
	bool error = false;
	u32 flags = 0;
	int err;

	rcu_read_lock();
	page = hv_mem_gpa_page(vcpu->vm, gpa, &flags);
	rcu_read_unlock();
	if (page && (!write || !(flags & HV_MEM_FLAGS_READONLY))) {
		if (write)
			return hv_mem_write(vcpu->vm, gpa, val, size);
		*val = 0;
		return hv_mem_read(vcpu->vm, gpa, val, size);
	}
	if (!hv_lapic_mmio(vcpu, gpa, size, write, val))
		return 0;
	if (write && !hv_iobus_write(vcpu->vm, HV_IOBUS_MMIO, gpa, size,
				     *val & hv_mask(size))) {
		vcpu->stats[HV_STAT_IOEVENTFD]++;
		return 0;
	}
	err = hv_uexit_call(vcpu, HV_EXIT_REASON_MMIO,
			    write ? HV_DIR_WRITE : HV_DIR_READ, gpa, size,
			    write ? *val & hv_mask(size) : 0,
			    write ? &(u64){ 0 } : val, &error);
	if (!err && !write)
		*val &= hv_mask(size);
	return err;
}

static int linear_access(struct hv_vcpu *vcpu, const struct hv_regs *r,
			 u64 la, unsigned int size, bool write, u64 *val)
{
	u64 gpa;

	if (translate(vcpu->vm, r, la, &gpa))
		return -EFAULT;
	return access_gpa(vcpu, gpa, size, write, val);
}

static void commit(struct hv_vcpu *vcpu, struct hv_regs *r,
		   enum hv_cpu_mode mode, const struct hv_insn *insn,
		   bool more, u64 rflags)
{
	memcpy(vcpu->gpr, r->gpr, sizeof(vcpu->gpr));
	if (rflags != r->rflags)
		hv_be_set_rflags(vcpu, rflags);
	if (!more)
		vcpu->rip = advance(r, mode, insn->len);
}

static int cannot_emulate(struct hv_vcpu *vcpu, const u8 *bytes,
			  unsigned int len, int err)
{
	hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
		    "vcpu %u cannot emulate the instruction at rip %#llx (%*ph): %s",
		    vcpu->id, vcpu->rip, min(len, 8u), bytes,
		    err == -ENODATA ? "cannot fetch it" :
		    err == -EINVAL ? "not a memory access" : "unsupported");
	return err;
}

static int prepare(struct hv_vcpu *vcpu, const struct hv_exit *exit,
		   struct hv_insn *insn, enum hv_cpu_mode *mode)
{
	struct hv_regs *r = vcpu->scratch;
	u8 bytes[HV_INSN_MAX_LEN];
	unsigned int len;
	int err;

	hv_be_get_regs(vcpu, r);
	memcpy(r->gpr, vcpu->gpr, sizeof(r->gpr));
	r->rip = vcpu->rip;
	*mode = cpu_mode(r);
	if (exit->kind == HV_EXIT_NPF && exit->npf.insn_len) {
		len = exit->npf.insn_len;
		memcpy(bytes, exit->npf.insn, len);
	} else {
		len = fetch(vcpu, r, *mode, bytes);
	}
	err = hv_decode(bytes, len, *mode, insn);
	if (err)
		return cannot_emulate(vcpu, bytes, len, err);
	return 0;
}

static int emulate_string(struct hv_vcpu *vcpu, const struct hv_exit *exit,
			  const struct hv_insn *insn, enum hv_cpu_mode mode)
{
	struct hv_regs *r = vcpu->scratch;
	u64 mask = hv_mask(insn->addr_size), val = 0, rflags = r->rflags;
	u64 src = linear(r, mode, insn->seg, r->gpr[HV_RSI] & mask);
	u64 dst = linear(r, mode, HV_SEG_ES, r->gpr[HV_RDI] & mask);
	bool io = insn->op == HV_OP_INS || insn->op == HV_OP_OUTS;
	bool error = false;
	int err;

	if ((insn->rep || insn->repne) && !(r->gpr[HV_RCX] & mask)) {
		commit(vcpu, r, mode, insn, false, rflags);
		return 0;
	}
	switch (insn->op) {
	case HV_OP_OUTS:
		err = linear_access(vcpu, r, src, insn->size, false, &val);
		if (!err)
			err = hv_uexit_call(vcpu, HV_EXIT_REASON_IO,
					    HV_DIR_WRITE, exit->io.port,
					    insn->size, val, &val, &error);
		break;
	case HV_OP_INS:
		err = hv_uexit_call(vcpu, HV_EXIT_REASON_IO, HV_DIR_READ,
				    exit->io.port, insn->size, 0, &val,
				    &error);
		val &= hv_mask(insn->size);
		if (!err)
			err = linear_access(vcpu, r, dst, insn->size, true, &val);
		break;
	case HV_OP_MOVS:
		err = linear_access(vcpu, r, src, insn->size, false, &val);
		if (!err)
			err = linear_access(vcpu, r, dst, insn->size, true, &val);
		break;
	case HV_OP_STOS:
		val = r->gpr[HV_RAX] & hv_mask(insn->size);
		err = linear_access(vcpu, r, dst, insn->size, true, &val);
		break;
	default:	/* LODS */
		err = linear_access(vcpu, r, src, insn->size, false, &val);
		if (!err)
			hv_insn_exec(insn, r->gpr, &rflags, val, &val);
		break;
	}
	if (err == -EFAULT)
		hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: %s at rip %#llx touches unmapped guest memory",
			    vcpu->id, io ? "string I/O" : "string instruction",
			    vcpu->rip);
	if (err)
		return err;
	commit(vcpu, r, mode, insn, hv_insn_string_step(insn, r->gpr, rflags),
	       rflags);
	return 0;
}

/* Page-fault error code bits (SDM Vol. 3A, 4.7). */
#define PF_P	BIT(0)
#define PF_W	BIT(1)
#define PF_U	BIT(2)
#define PF_RSVD	BIT(3)
#define PF_I	BIT(4)

/*
 * The linear address a faulting page walk translated, and whether the
 * instruction meant to write there (#PF's W bit). The CPU reports the
 * address on VMX; the access type of a walk is the walk's own (reads, or
 * writes of accessed and dirty bits), so the instruction is decoded for
 * it. A MOVS walk on a CPU that reports no address is taken for its
 * source, which the CPU reads first. Without a decodable instruction a
 * reported address is taken for a read.
 */
static int walk_access(struct hv_vcpu *vcpu, const struct hv_exit *exit,
		       u64 *la, bool *write)
{
	struct hv_regs *r = vcpu->scratch;
	enum hv_cpu_mode mode;
	struct hv_insn insn;
	u8 bytes[HV_INSN_MAX_LEN];
	u64 mask, src, dst;
	int err;

	hv_be_get_regs(vcpu, r);
	memcpy(r->gpr, vcpu->gpr, sizeof(r->gpr));
	r->rip = vcpu->rip;
	mode = cpu_mode(r);
	*la = exit->npf.la;
	*write = false;
	if (exit->npf.fetch) {
		if (!exit->npf.la_valid)
			*la = linear(r, mode, HV_SEG_CS, r->rip);
		return 0;
	}
	err = hv_decode(bytes, fetch(vcpu, r, mode, bytes), mode, &insn);
	if (err)
		return exit->npf.la_valid ? 0 : err;
	mask = hv_mask(insn.addr_size);
	switch (insn.op) {
	case HV_OP_MOVS:
	case HV_OP_STOS:
	case HV_OP_LODS:
	case HV_OP_INS:
	case HV_OP_OUTS:
		src = linear(r, mode, insn.seg, r->gpr[HV_RSI] & mask);
		dst = linear(r, mode, HV_SEG_ES, r->gpr[HV_RDI] & mask);
		*write = exit->npf.la_valid ?
			 (*la >> PAGE_SHIFT) == (dst >> PAGE_SHIFT) &&
			 insn.op != HV_OP_LODS && insn.op != HV_OP_OUTS :
			 insn.op == HV_OP_STOS || insn.op == HV_OP_INS;
		if (!exit->npf.la_valid)
			*la = *write ? dst : src;
		return 0;
	default:
		*write = hv_insn_access(&insn) & HV_ACCESS_WRITE;
		if (!exit->npf.la_valid)
			*la = linear(r, mode, insn.seg,
				     hv_insn_ea(&insn, r->gpr,
						advance(r, mode, insn.len)));
		return 0;
	}
}

/**
 * hv_emulate_walk_fault() - the CPU's own walk of the guest's page tables
 *	read memory no slot backs
 * @vcpu: the vCPU (its own thread)
 * @exit: the nested page fault, with @exit->npf.walk set
 *
 * The guest's paging structures are not in RAM. Reads where nothing
 * decodes the address return all ones on a PC, so the entry the CPU reads
 * is present with reserved bits set: the access raises #PF with P and
 * RSVD in its error code (SDM Vol. 3A, 4.7), at the linear address being
 * translated. The owner is not asked: a page-table read is not the
 * instruction's access. Only the 4-level and PAE formats have reserved
 * bits in every entry; a 32-bit walk gets the same error code.
 *
 * Return: 0 (#PF queued); -ENODATA or -EOPNOTSUPP (the VM crashed) if the
 * linear address cannot be found: the CPU did not report it and the
 * instruction is not one hv decodes.
 */
int hv_emulate_walk_fault(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	struct hv_regs *r = vcpu->scratch;
	u32 error = PF_P | PF_RSVD;
	bool write;
	u64 la;
	int err;

	err = walk_access(vcpu, exit, &la, &write);
	if (err) {
		hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: the guest's page tables at gpa %#llx are not in RAM, and the access at rip %#llx cannot be decoded",
			    vcpu->id, exit->npf.gpa, vcpu->rip);
		return err;
	}
	if (write)
		error |= PF_W;
	if (exit->npf.fetch)
		error |= PF_I;
	/* The CPL is CS.RPL (SDM Vol. 3A, 5.5); real mode has no paging. */
	if ((r->cs.selector & 3) == 3)
		error |= PF_U;
	hv_be_set_cr2(vcpu, la);
	hv_vcpu_queue_exception(vcpu, X86_TRAP_PF, true, error);
	return 0;
}

/**
 * hv_emulate_mmio() - emulate an access to guest memory no slot backs
 * @vcpu: the vCPU (its own thread, preemption on)
 * @exit: the nested page fault
 *
 * Reads and writes go to the owner as mmio exits, one per access
 * (read-modify-write instructions make two); RAM operands of string
 * instructions are accessed directly. A REP string instruction completes
 * one element per exit and the guest executes it again.
 *
 * Return: 0; -EINTR if the thread is being stopped; another negative errno
 * after crashing the VM with the reason.
 */
int hv_emulate_mmio(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	struct hv_regs *r = vcpu->scratch;
	enum hv_cpu_mode mode;
	struct hv_insn insn;
	u64 in = 0, out = 0, rflags;
	unsigned int access;
	int err;

	err = prepare(vcpu, exit, &insn, &mode);
	if (err)
		return err;
	if (insn.op == HV_OP_MOVS || insn.op == HV_OP_STOS ||
	    insn.op == HV_OP_LODS)
		return emulate_string(vcpu, exit, &insn, mode);
	if (insn.op == HV_OP_INS || insn.op == HV_OP_OUTS)
		return cannot_emulate(vcpu, (u8 *)"", 0, -EOPNOTSUPP);

	/*
	 * A write to a read-only slot faults too: its read (of a
	 * read-modify-write) comes from RAM, only the write goes to the
	 * owner, as a ROM that ignores or decodes writes would behave.
	 */
	rflags = r->rflags;
	access = hv_insn_access(&insn);
	if (access & HV_ACCESS_READ) {
		err = access_gpa(vcpu, exit->npf.gpa, insn.mem_size, false, &in);
		if (err)
			return err;
	}
	hv_insn_exec(&insn, r->gpr, &rflags, in, &out);
	if (access & HV_ACCESS_WRITE) {
		err = access_gpa(vcpu, exit->npf.gpa, insn.mem_size, true, &out);
		if (err)
			return err;
	}
	commit(vcpu, r, mode, &insn, false, rflags);
	return 0;
}

/**
 * hv_emulate_string_io() - emulate INS or OUTS
 * @vcpu: the vCPU (its own thread, preemption on)
 * @exit: the I/O exit
 *
 * One element per exit, as hv_emulate_mmio() does for string MMIO.
 *
 * Return: as hv_emulate_mmio().
 */
int hv_emulate_string_io(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	enum hv_cpu_mode mode;
	struct hv_insn insn;
	int err;

	err = prepare(vcpu, exit, &insn, &mode);
	if (err)
		return err;
	if (insn.op != HV_OP_INS && insn.op != HV_OP_OUTS)
		return cannot_emulate(vcpu, (u8 *)"", 0, -EOPNOTSUPP);
	return emulate_string(vcpu, exit, &insn, mode);
}
