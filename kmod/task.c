// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware task switches (SDM Vol. 3A, 7.3), which VMX does not perform
 * for a guest but reports as an exit (SVM lets the CPU do them): a JMP or
 * CALL to a TSS descriptor, an IRET with NT set, or an interrupt or
 * exception through a task gate. 32-bit TSSs only; a 16-bit one crashes
 * the VM with that reason.
 *
 * The checks that fail in the old task's context come first (the new TSS
 * descriptor and its limit); then the old task's state is saved, the
 * busy flags and the back link are set, TR, CR3, the registers and LDTR
 * are loaded, and the segment registers are loaded with their checks,
 * whose faults (#TS, #NP, #SS with the selector) the new task sees, as on
 * the CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "hv_host.h"

/* The 32-bit TSS (SDM Vol. 3A, Figure 7-2). */
struct tss32 {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs, ldt;
	u16 trap, iomap;
} __packed;

#define TSS32_MIN_LIMIT	0x67
/* CF, PF, AF, ZF, SF, TF, IF, DF, OF, IOPL, NT, RF, VM, AC, VIF, VIP, ID. */
#define EFLAGS_DEFINED	0x3f7fd5
#define TSS_BUSY	BIT_ULL(41)	/* type 9 available, 11 busy */
#define DESC_ACCESSED	BIT_ULL(40)
#define DESC_S		BIT_ULL(44)
#define DESC_P		BIT_ULL(47)

enum { TYPE_LDT = 2, TYPE_TSS32_BUSY = 11 };

static u32 desc_type(u64 d)
{
	return (d >> 40) & 0xf;
}

static u32 desc_dpl(u64 d)
{
	return (d >> 45) & 3;
}

static u64 desc_base(u64 d)
{
	return ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000);
}

static u32 desc_limit(u64 d)
{
	u32 limit = (d & 0xffff) | ((d >> 32) & 0xf0000);

	/* G: the limit counts 4 KiB pages. */
	return d & BIT_ULL(55) ? (limit << 12) | 0xfff : limit;
}

/* The hidden part of a segment register, VMX access-rights layout. */
static void desc_to_segment(u64 d, u16 sel, struct hv_segment *s)
{
	s->selector = sel;
	s->base = desc_base(d);
	s->limit = desc_limit(d);
	s->ar = (d >> 40) & 0xf0ff;
}

/* A fault with the selector as its error code (SDM Vol. 3A, 6.13). */
struct fault {
	u8 vector;
	u32 error;
};

static int read_desc(struct hv_vcpu *vcpu, const struct hv_regs *r, u16 sel,
		     u64 *d, struct fault *f, u8 vector)
{
	const struct hv_dtable gdt = { r->gdtr.base, r->gdtr.limit };
	u64 base = sel & 4 ? r->ldtr.base : gdt.base;
	u32 limit = sel & 4 ? r->ldtr.limit : gdt.limit;

	if ((sel & 4) && (r->ldtr.ar & HV_AR_UNUSABLE))
		limit = 0;
	if ((sel | 7) > limit) {
		*f = (struct fault){ vector, sel & 0xfffc };
		return -EINVAL;
	}
	return hv_linear_copy(vcpu, r, base + (sel & ~7), d, 8, false);
}

static int write_desc(struct hv_vcpu *vcpu, const struct hv_regs *r, u16 sel,
		      u64 d)
{
	u64 base = sel & 4 ? r->ldtr.base : r->gdtr.base;

	return hv_linear_copy(vcpu, r, base + (sel & ~7), &d, 8, true);
}

/*
 * Load a segment register of the new task, with the checks of SDM Vol.
 * 3A, 7.3 step 13 (and 5.5-5.7); @cpl is the new task's CS.RPL.
 */
static int load_segment(struct hv_vcpu *vcpu, struct hv_regs *r, u16 sel,
			struct hv_segment *s, bool cs, bool ss, u32 cpl,
			struct fault *f)
{
	u32 type, dpl;
	u64 d;
	int err;

	if (!(sel & ~3)) {
		if (cs || ss) {
			*f = (struct fault){ X86_TRAP_TS, 0 };
			return -EINVAL;
		}
		*s = (struct hv_segment){ .selector = sel, .ar = HV_AR_UNUSABLE };
		return 0;
	}
	err = read_desc(vcpu, r, sel, &d, f, X86_TRAP_TS);
	if (err)
		return err;
	type = desc_type(d);
	dpl = desc_dpl(d);
	*f = (struct fault){ X86_TRAP_TS, sel & 0xfffc };
	if (!(d & DESC_S))
		return -EINVAL;
	if (cs) {
		/* Code; non-conforming at DPL = RPL, conforming at DPL <= RPL. */
		if (!(type & 8) || (type & 4 ? dpl > cpl : dpl != cpl))
			return -EINVAL;
	} else if (ss) {
		if ((type & 0xa) != 2 || dpl != cpl || (sel & 3) != cpl)
			return -EINVAL;
	} else {
		/* Data, or readable code; DPL at least the CPL and RPL. */
		if ((type & 0xa) == 8 ||
		    (!((type & 0xc) == 0xc) && dpl < max_t(u32, cpl, sel & 3)))
			return -EINVAL;
	}
	if (!(d & DESC_P)) {
		f->vector = ss ? X86_TRAP_SS : X86_TRAP_NP;
		return -EINVAL;
	}
	if (!(d & DESC_ACCESSED)) {
		d |= DESC_ACCESSED;
		if (write_desc(vcpu, r, sel, d))
			return -EFAULT;
	}
	desc_to_segment(d, sel, s);
	return 0;
}

/* The segment registers of a new task in virtual-8086 mode (20.2). */
static void vm86_segment(u16 sel, struct hv_segment *s)
{
	*s = (struct hv_segment){
		.selector = sel, .base = (u64)sel << 4, .limit = 0xffff,
		.ar = 0xf3,	/* data, DPL 3, present, accessed */
	};
}

/*
 * A new task in virtual-8086 mode gets its segments with its EFLAGS: they
 * cannot fault, and a fault loading its LDT must find them loaded, or the
 * state is one VM entry refuses (v8086 segment checks, SDM Vol. 3C,
 * 27.3.1.2).
 */
static void load_vm86_segments(struct hv_regs *r, const struct tss32 *t)
{
	vm86_segment(t->cs, &r->cs);
	vm86_segment(t->ss, &r->ss);
	vm86_segment(t->es, &r->es);
	vm86_segment(t->ds, &r->ds);
	vm86_segment(t->fs, &r->fs);
	vm86_segment(t->gs, &r->gs);
}

/*
 * Outside virtual-8086 mode. On a fault, the data segments not loaded yet
 * hold their new selectors and are unusable; CS and SS keep the old task's
 * until loaded, so that the state stays one VM entry takes while the new
 * task's handler runs.
 */
static int load_segments(struct hv_vcpu *vcpu, struct hv_regs *r,
			 const struct tss32 *t, struct fault *f)
{
	struct hv_segment *data[] = { &r->es, &r->ds, &r->fs, &r->gs };
	const u16 sels[] = { t->es, t->ds, t->fs, t->gs };
	u32 cpl = t->cs & 3;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(data); i++)
		*data[i] = (struct hv_segment){ .selector = sels[i],
						.ar = HV_AR_UNUSABLE };
	err = load_segment(vcpu, r, t->cs, &r->cs, true, false, cpl, f);
	if (!err)
		err = load_segment(vcpu, r, t->ss, &r->ss, false, true, cpl, f);
	for (i = 0; i < ARRAY_SIZE(data) && !err; i++)
		err = load_segment(vcpu, r, sels[i], data[i], false, false,
				   cpl, f);
	return err;
}

static int load_ldt(struct hv_vcpu *vcpu, struct hv_regs *r, u16 sel,
		    struct fault *f)
{
	u64 d;
	int err;

	r->ldtr = (struct hv_segment){ .selector = sel, .ar = HV_AR_UNUSABLE };
	if (!(sel & ~3))
		return 0;
	*f = (struct fault){ X86_TRAP_TS, sel & 0xfffc };
	if (sel & 4)
		return -EINVAL;
	err = read_desc(vcpu, r, sel, &d, f, X86_TRAP_TS);
	if (err)
		return err;
	if ((d & DESC_S) || desc_type(d) != TYPE_LDT || !(d & DESC_P))
		return -EINVAL;
	desc_to_segment(d, sel, &r->ldtr);
	return 0;
}

/* Save the old task into its TSS: EIP to the general registers (7.3). */
static int save_old(struct hv_vcpu *vcpu, const struct hv_regs *r,
		    u64 next_rip, u32 eflags)
{
	struct tss32 t;

	if (hv_linear_copy(vcpu, r, r->tr.base, &t, sizeof(t), false))
		return -EFAULT;
	t.eip = next_rip;
	t.eflags = eflags;
	t.eax = r->gpr[HV_RAX];
	t.ecx = r->gpr[HV_RCX];
	t.edx = r->gpr[HV_RDX];
	t.ebx = r->gpr[HV_RBX];
	t.esp = r->gpr[HV_RSP];
	t.ebp = r->gpr[HV_RBP];
	t.esi = r->gpr[HV_RSI];
	t.edi = r->gpr[HV_RDI];
	t.es = r->es.selector;
	t.cs = r->cs.selector;
	t.ss = r->ss.selector;
	t.ds = r->ds.selector;
	t.fs = r->fs.selector;
	t.gs = r->gs.selector;
	/* Only the dynamic fields, EIP to GS, are the CPU's to write. */
	return hv_linear_copy(vcpu, r, r->tr.base + offsetof(struct tss32, eip),
			      &t.eip, offsetof(struct tss32, ldt) -
			      offsetof(struct tss32, eip), true);
}

static void load_new(struct hv_regs *r, const struct tss32 *t, u16 sel,
		     u64 d, bool nested)
{
	r->rip = t->eip;
	/* Reserved EFLAGS bits load as the CPU keeps them: 0, and bit 1 set. */
	r->rflags = (t->eflags & EFLAGS_DEFINED) | X86_EFLAGS_FIXED |
		    (nested ? X86_EFLAGS_NT : 0);
	r->gpr[HV_RAX] = t->eax;
	r->gpr[HV_RCX] = t->ecx;
	r->gpr[HV_RDX] = t->edx;
	r->gpr[HV_RBX] = t->ebx;
	r->gpr[HV_RSP] = t->esp;
	r->gpr[HV_RBP] = t->ebp;
	r->gpr[HV_RSI] = t->esi;
	r->gpr[HV_RDI] = t->edi;
	if (r->cr0 & X86_CR0_PG)
		r->cr3 = t->cr3;
	desc_to_segment(d | TSS_BUSY, sel, &r->tr);
	/* The task switch flag, for lazy FPU switching (SDM Vol. 3A, 2.5). */
	r->cr0 |= X86_CR0_TS;
	/* Local breakpoints end with the task (SDM Vol. 3B, 18.2.4). */
	r->dr7 &= ~0x155ULL;
	r->int_shadow = false;
}

/* Push the error code of the exception that switched, on the new stack. */
static int push_error(struct hv_vcpu *vcpu, struct hv_regs *r, u32 error)
{
	u32 esp = r->gpr[HV_RSP] - 4;
	u64 la = (r->ss.base + (r->ss.ar & HV_AR_DB ? esp : (u16)esp)) &
		 0xffffffffULL;

	if (hv_linear_copy(vcpu, r, la, &error, 4, true))
		return -EFAULT;
	r->gpr[HV_RSP] = r->ss.ar & HV_AR_DB ? esp :
			 (r->gpr[HV_RSP] & ~0xffffULL) | (u16)esp;
	return 0;
}

static void fault(struct hv_vcpu *vcpu, const struct fault *f)
{
	hv_vcpu_queue_exception(vcpu, f->vector, true, f->error);
}

/* What the owner sees when the guest's TSS is not in RAM. */
static int cannot(struct hv_vcpu *vcpu, u16 sel, const char *what)
{
	hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
		    "vcpu %u: task switch to TSS selector %#x at rip %#llx: %s",
		    vcpu->id, sel, vcpu->rip, what);
	return -EFAULT;
}

/**
 * hv_task_switch() - perform a hardware task switch for the guest
 * @vcpu: the vCPU (its own thread, outside guest mode, preemption on)
 * @exit: the HV_EXIT_TASK_SWITCH exit; &hv_exit.task names the new TSS,
 *	the source and the error code, &hv_exit.next_rip the RIP the old
 *	task resumes at
 *
 * Context: process context; may sleep (it reads and writes guest memory
 * and the whole register record).
 * Return: 0 (switched, or a fault queued); -EFAULT after crashing the VM
 * if a structure the switch uses is not in RAM, or the TSS is 16-bit.
 */
int hv_task_switch(struct hv_vcpu *vcpu, const struct hv_exit *exit)
{
	struct hv_regs *r = vcpu->scratch;
	u16 sel = exit->task.selector, old = 0;
	u8 source = exit->task.source;
	bool iret = source == HV_TASK_IRET;
	bool nested = source == HV_TASK_CALL || source == HV_TASK_GATE;
	u64 d, od, tsc_at;
	const char *why;
	struct fault f;
	struct tss32 t;
	u32 cpl, eflags;
	int err;

	hv_be_get_regs(vcpu, r);
	tsc_at = rdtsc();
	memcpy(r->gpr, vcpu->gpr, sizeof(r->gpr));
	r->rip = vcpu->rip;
	cpl = r->cs.selector & 3;

	/* Checks in the old task's context (steps 1 to 5). */
	f = (struct fault){ X86_TRAP_GP, sel & 0xfffc };
	if (sel & 4)
		goto fail;
	switch (read_desc(vcpu, r, sel, &d, &f, X86_TRAP_GP)) {
	case 0:
		break;
	case -EINVAL:
		goto fail;
	default:
		return cannot(vcpu, sel, "the GDT is not in RAM");
	}
	if ((d & DESC_S) || (desc_type(d) & 5) != 1)
		goto fail;
	if (!(desc_type(d) & 8))
		return cannot(vcpu, sel, "hv emulates 32-bit TSSs only");
	if (!iret && desc_type(d) == TYPE_TSS32_BUSY)
		goto fail;
	if (iret && desc_type(d) != TYPE_TSS32_BUSY) {
		f.vector = X86_TRAP_TS;
		goto fail;
	}
	if ((source == HV_TASK_JMP || source == HV_TASK_CALL) &&
	    desc_dpl(d) < max_t(u32, cpl, sel & 3))
		goto fail;
	if (!(d & DESC_P)) {
		f.vector = X86_TRAP_NP;
		goto fail;
	}
	if (desc_limit(d) < TSS32_MIN_LIMIT) {
		f.vector = X86_TRAP_TS;
		goto fail;
	}
	/* The old TSS takes the old task's state (step 6). */
	if (r->tr.limit < TSS32_MIN_LIMIT) {
		f = (struct fault){ X86_TRAP_TS, r->tr.selector & 0xfffc };
		goto fail;
	}
	if (hv_linear_copy(vcpu, r, desc_base(d), &t, sizeof(t), false))
		return cannot(vcpu, sel, "the new TSS is not in RAM");

	/* Commit: the old task leaves (steps 6 to 9). */
	eflags = r->rflags & ~(iret ? X86_EFLAGS_NT : 0);
	if (save_old(vcpu, r, exit->next_rip, eflags))
		return cannot(vcpu, sel, "the old TSS is not in RAM");
	old = r->tr.selector;
	if ((source == HV_TASK_JMP || iret) && !read_desc(vcpu, r, old, &od, &f,
							  X86_TRAP_GP) &&
	    write_desc(vcpu, r, old, od & ~TSS_BUSY))
		return cannot(vcpu, sel, "the GDT is not in RAM");
	if (nested) {
		t.link = old;
		if (hv_linear_copy(vcpu, r, desc_base(d), &t.link, 2, true))
			return cannot(vcpu, sel, "the new TSS is not in RAM");
	}
	if (!iret && write_desc(vcpu, r, sel, d | TSS_BUSY))
		return cannot(vcpu, sel, "the GDT is not in RAM");

	/* The new task (steps 10 to 13); faults from here are its own. */
	load_new(r, &t, sel, d, nested);
	if (r->rflags & X86_EFLAGS_VM)
		load_vm86_segments(r, &t);
	err = load_ldt(vcpu, r, t.ldt, &f);
	if (!err && !(r->rflags & X86_EFLAGS_VM))
		err = load_segments(vcpu, r, &t, &f);
	if (err == -EINVAL)
		fault(vcpu, &f);
	else if (err)
		return cannot(vcpu, sel, "a descriptor table is not in RAM");
	else if (exit->task.has_error &&
		 push_error(vcpu, r, exit->task.error_code))
		return cannot(vcpu, sel, "the new task's stack is not in RAM");
	r->tsc += rdtsc() - tsc_at;
	why = NULL;
	if (hv_be_set_regs(vcpu, r, &why)) {
		hv_vm_crash(vcpu->vm, HV_VM_STATE_CRASHED,
			    "vcpu %u: task switch to TSS selector %#x: the new task's state is one hv refuses: %s",
			    vcpu->id, sel, why);
		return -EINVAL;
	}
	memcpy(vcpu->gpr, r->gpr, sizeof(vcpu->gpr));
	vcpu->rip = r->rip;
	vcpu->stats[HV_STAT_OTHER]++;
	return 0;
fail:
	fault(vcpu, &f);
	return 0;
}
