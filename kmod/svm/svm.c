// SPDX-License-Identifier: GPL-2.0
/*
 * The SVM backend's vCPU side (AMD APM Vol. 2, chapter 15): the VMCB of
 * each vCPU, its ASID, entering the guest, translating exits into
 * struct hv_exit through a table indexed by exit code, the architectural
 * record to and from VMCB fields, and the nested page-table format.
 *
 * Uses next-RIP save, decode assists and VMCB clean bits when the CPU has
 * them and works without them (QEMU's TCG implements none).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": svm: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/apic.h>
#include <asm/debugreg.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "exception.h"
#include "irq/irq.h"
#include "svm.h"

/* APM Vol. 2, 15.20: EVENTINJ types. */
#define EVTINJ(type, vector) (SVM_EVTINJ_VALID | ((type) << 8) | (vector))

/* Nested page-fault error code, EXITINFO1 (APM Vol. 2, 15.25.6). */
#define NPF_PRESENT	BIT_ULL(0)
#define NPF_WRITE	BIT_ULL(1)
#define NPF_RSVD	BIT_ULL(3)
#define NPF_FETCH	BIT_ULL(4)
#define NPF_WALK	BIT_ULL(33)	/* a guest page-table access */

/* Segment attributes in the VMCB's packed layout (APM Vol. 2, 15.5.1). */
#define ATTR_P		BIT(7)

static u16 ar_to_attrib(u32 ar)
{
	if (ar & HV_AR_UNUSABLE)
		return 0;
	return (ar & 0xff) | ((ar >> 4) & 0xf00);
}

static u32 attrib_to_ar(u16 attrib)
{
	u32 ar = (attrib & 0xff) | ((attrib & 0xf00) << 4);

	return attrib & ATTR_P ? ar : ar | HV_AR_UNUSABLE;
}

static void seg_get(const struct vmcb_seg *v, struct hv_segment *s)
{
	s->selector = v->selector;
	s->base = v->base;
	s->limit = v->limit;
	s->ar = attrib_to_ar(v->attrib);
}

static void seg_set(struct vmcb_seg *v, const struct hv_segment *s)
{
	v->selector = s->selector;
	v->base = s->base;
	v->limit = s->limit;
	v->attrib = ar_to_attrib(s->ar);
}

static bool has(u64 cap)
{
	return hv_caps.features & cap;
}

/* ---- nested page tables (APM Vol. 2, 15.25) ----------------------------- */

#define NPT_P	BIT_ULL(0)
#define NPT_RW	BIT_ULL(1)
#define NPT_US	BIT_ULL(2)
#define NPT_A	BIT_ULL(5)
#define NPT_D	BIT_ULL(6)
#define NPT_ADDR 0x000ffffffffff000ULL

/*
 * Nested walks are user accesses, so every entry needs U/S set. The core
 * adds A and D, which the CPU sets in nested leaves like in any page
 * table (APM Vol. 2, 15.25.5), or their emulation.
 */
static u64 npt_leaf(phys_addr_t pa, bool writable)
{
	return __sme_set(pa) | NPT_P | NPT_US | (writable ? NPT_RW : 0);
}

static u64 npt_table(phys_addr_t pa)
{
	return __sme_set(pa) | NPT_P | NPT_RW | NPT_US | NPT_A;
}

static bool npt_present(u64 e)
{
	return e & NPT_P;
}

static phys_addr_t npt_addr(u64 e)
{
	return __sme_clr(e & NPT_ADDR);
}

/* Bits 9-11 are available to software in every AMD64 page-table entry. */
static const struct hv_npt_format svm_npt = {
	.leaf = npt_leaf,
	.table = npt_table,
	.present = npt_present,
	.addr = npt_addr,
	.accessed = NPT_A,
	.dirty = NPT_D,
	.write = NPT_RW,
	.access = NPT_P,
	.soft_accessed = BIT_ULL(9),
	.soft_dirty = BIT_ULL(10),
	.hw_method = "npt-ad",
};

/* ---- VMCB setup ---------------------------------------------------------- */

static void set_intercept(struct vmcb_control_area *c, int bit)
{
	c->intercepts[bit / 32] |= BIT(bit % 32);
}

static void clear_intercept(struct vmcb_control_area *c, int bit)
{
	c->intercepts[bit / 32] &= ~BIT(bit % 32);
}

static void init_vmcb(struct svm_vcpu *s)
{
	struct vmcb_control_area *c = &s->vmcb->control;
	struct vmcb_save_area *v = &s->vmcb->save;
	struct hv_vm *vm = s->vcpu.vm;
	static const int intercepts[] = {
		INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI, INTERCEPT_CPUID,
		INTERCEPT_HLT, INTERCEPT_INVD, INTERCEPT_INVLPGA,
		INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT, INTERCEPT_SHUTDOWN,
		/* VMRUN must be intercepted (APM 15.5.1); SVM is hidden. */
		INTERCEPT_VMRUN, INTERCEPT_VMMCALL, INTERCEPT_VMLOAD,
		INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI,
		INTERCEPT_SKINIT, INTERCEPT_RDTSCP, INTERCEPT_MONITOR,
		INTERCEPT_MWAIT, INTERCEPT_MWAIT_COND, INTERCEPT_XSETBV,
		INTERCEPT_RDPRU,
		/* The PMU is hidden, as on VMX: RDPMC raises #GP. */
		INTERCEPT_RDPMC,
		/* CR4 bits the VM's CPUID does not offer raise #GP. */
		INTERCEPT_CR4_WRITE,
		/*
		 * #AC and #DB can recur forever in microcode without an exit
		 * (CVE-2015-5307, CVE-2015-8104): intercept and reflect them.
		 */
		INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_DB,
		INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_AC,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(intercepts); i++)
		set_intercept(c, intercepts[i]);
	c->iopm_base_pa = svm_iopm_pa;
	c->msrpm_base_pa = svm_msrpm_pa;
	c->tsc_offset = vm->tsc_offset;
	/* Physical interrupts follow the host's IF, the guest's IF the rest. */
	c->int_ctl = V_INTR_MASKING_MASK;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = __sme_set(vm->npt.root_pa);

	/* The architectural state is the core's: hv_regs_reset(). */
	v->efer = EFER_SVME;		/* required while in guest mode */
	s->asid_cpu = -1;
	s->dirty = VMCB_CLEAN_ALL;
}

static int svm_vcpu_create(struct hv_vcpu *vcpu)
{
	struct svm_vcpu *s = to_svm(vcpu);
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (!page)
		return -ENOMEM;
	s->vmcb = page_address(page);
	s->vmcb_pa = __sme_set(page_to_phys(page));
	init_vmcb(s);
	return 0;
}

static void svm_vcpu_free(struct hv_vcpu *vcpu)
{
	struct svm_vcpu *s = to_svm(vcpu);

	free_page((unsigned long)s->vmcb);
	s->vmcb = NULL;
}

/* ---- ASIDs (APM Vol. 2, 15.16) -------------------------------------------- */

static void new_asid(struct svm_vcpu *s, struct svm_cpu *sd, int cpu)
{
	struct vmcb_control_area *c = &s->vmcb->control;

	if (sd->next_asid > sd->max_asid) {
		/* Out of ASIDs: start a generation, flushing every ASID. */
		sd->asid_gen++;
		sd->next_asid = 1;
		c->tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	}
	s->asid = sd->next_asid++;
	s->asid_gen = sd->asid_gen;
	s->asid_cpu = cpu;
	c->asid = s->asid;
	s->dirty |= VMCB_CLEAN_ASID;
}

static void svm_flush_tlb(struct hv_vcpu *vcpu)
{
	struct svm_vcpu *s = to_svm(vcpu);

	if (has(HV_CAP_FLUSH_BY_ASID))
		s->vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ASID;
	else
		s->asid_gen = 0;	/* a fresh ASID has no stale entries */
}

/* ---- loading and running -------------------------------------------------- */

static void svm_vcpu_load(struct hv_vcpu *vcpu, int cpu)
{
	struct svm_cpu *sd = this_cpu_ptr(&svm_cpus);
	struct svm_vcpu *s = to_svm(vcpu);

	if (s->asid_cpu != cpu)
		s->dirty = VMCB_CLEAN_ALL;	/* another CPU's cached VMCB */

	/* The host state VMLOAD restores after every exit (vmenter.S). */
	asm volatile("vmsave %0" : : "a" (sd->host_save_pa) : "memory");

	/*
	 * VMRUN does not switch DR0-DR3 (APM Vol. 2, 15.5.1), and #VMEXIT
	 * leaves DR7 with every breakpoint disabled (15.6). The host's
	 * breakpoints must not watch the guest's addresses meanwhile.
	 */
	get_debugreg(s->host_dr[0], 0);
	get_debugreg(s->host_dr[1], 1);
	get_debugreg(s->host_dr[2], 2);
	get_debugreg(s->host_dr[3], 3);
	get_debugreg(s->host_dr7, 7);
	if (s->host_dr7 & HV_DR7_ENABLES)
		set_debugreg(HV_DR7_FIXED, 7);
	set_debugreg(s->dr[0], 0);
	set_debugreg(s->dr[1], 1);
	set_debugreg(s->dr[2], 2);
	set_debugreg(s->dr[3], 3);
}

static void svm_vcpu_put(struct hv_vcpu *vcpu)
{
	struct svm_vcpu *s = to_svm(vcpu);

	get_debugreg(s->dr[0], 0);
	get_debugreg(s->dr[1], 1);
	get_debugreg(s->dr[2], 2);
	get_debugreg(s->dr[3], 3);
	set_debugreg(s->host_dr[0], 0);
	set_debugreg(s->host_dr[1], 1);
	set_debugreg(s->host_dr[2], 2);
	set_debugreg(s->host_dr[3], 3);
	if (s->host_dr7 != HV_DR7_FIXED)
		set_debugreg(s->host_dr7, 7);
}

/*
 * A virtual interrupt the guest takes when it can: VINTR exits then
 * (APM 15.21.4). CR8 writes exit meanwhile: they may change what is due,
 * and QEMU 7.2's TCG aborts on a CR8 write while V_IRQ is set (it raises
 * its virtual interrupt without its big lock).
 */
static void request_irq_window(struct svm_vcpu *s)
{
	struct vmcb_control_area *c = &s->vmcb->control;

	c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK | (0xf << V_INTR_PRIO_SHIFT);
	set_intercept(c, INTERCEPT_VINTR);
	set_intercept(c, INTERCEPT_CR8_WRITE);
	s->dirty |= VMCB_CLEAN_INTR | VMCB_CLEAN_INTERCEPTS;
	s->vintr = true;
}

/*
 * A vector TPR holds back: a CR8 write (which uses V_TPR without an exit
 * otherwise) exits, as an MMIO write of TPR does, for the core to look
 * again. KVM does the same (svm_update_cr8_intercept()).
 */
static void svm_tpr_window(struct hv_vcpu *vcpu)
{
	struct svm_vcpu *s = to_svm(vcpu);

	set_intercept(&s->vmcb->control, INTERCEPT_CR8_WRITE);
	s->dirty |= VMCB_CLEAN_INTERCEPTS;
}

static bool svm_intr_allowed(struct hv_vcpu *vcpu)
{
	struct vmcb *vmcb = to_svm(vcpu)->vmcb;

	return (vmcb->save.rflags & X86_EFLAGS_IF) &&
	       !(vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK);
}

static void svm_intr_window(struct hv_vcpu *vcpu)
{
	request_irq_window(to_svm(vcpu));
}

static bool svm_nmi_allowed(struct hv_vcpu *vcpu)
{
	struct svm_vcpu *s = to_svm(vcpu);

	return !s->nmi_masked &&
	       !(s->vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK);
}

/*
 * While the handler of an NMI runs, its IRET is intercepted (before it
 * executes, APM 15.9); once it was, the first exit at another RIP
 * unblocks NMIs. An interrupt window provides that exit where the IRET
 * returns to code with RFLAGS.IF set; with IF clear, the NMI waits for
 * the vCPU's next exit (KVM single-steps the IRET instead). A shadow
 * alone is over after one instruction: the window covers it too.
 */
static void svm_nmi_window(struct hv_vcpu *vcpu)
{
	struct svm_vcpu *s = to_svm(vcpu);

	if (s->nmi_masked && !s->iret_rip)
		return;
	request_irq_window(s);
}

/* Called after each exit: whether the NMI handler's IRET completed. */
static void nmi_unmask(struct svm_vcpu *s)
{
	if (s->nmi_masked && s->iret_rip && s->vmcb->save.rip != s->iret_rip) {
		s->nmi_masked = false;
		s->iret_rip = 0;
		set_bit(HV_REQ_EVENT, &s->vcpu.requests);
	}
}

static void exit_iret(struct svm_vcpu *s, struct hv_exit *exit)
{
	clear_intercept(&s->vmcb->control, INTERCEPT_IRET);
	s->dirty |= VMCB_CLEAN_INTERCEPTS;
	s->iret_rip = s->vmcb->save.rip;
	exit->kind = HV_EXIT_NONE;
}

static void inject_event(struct svm_vcpu *s)
{
	struct hv_event *e = &s->vcpu.event;
	struct vmcb *vmcb = s->vmcb;

	if (!e->valid)
		return;
	if (e->type == HV_EVENT_TYPE_EXT_INTR && !svm_intr_allowed(&s->vcpu)) {
		request_irq_window(s);
		return;
	}
	if (e->type == HV_EVENT_TYPE_NMI) {
		if (!svm_nmi_allowed(&s->vcpu)) {
			svm_nmi_window(&s->vcpu);
			return;
		}
		s->nmi_masked = true;
		s->iret_rip = 0;
		set_intercept(&vmcb->control, INTERCEPT_IRET);
		s->dirty |= VMCB_CLEAN_INTERCEPTS;
	}
	/*
	 * Real mode pushes no error codes (APM Vol. 2, 8.2 and 15.20: an
	 * EVENTINJ error code is pushed as given).
	 */
	if (e->has_error && !(vmcb->save.cr0 & X86_CR0_PE))
		e->has_error = false;
	if (e->type == HV_EVENT_TYPE_EXCEPTION && hv_exception_is_fault(e->vector))
		vmcb->save.rflags |= X86_EFLAGS_RF;
	vmcb->control.event_inj = EVTINJ(e->type, e->vector) |
				  (e->has_error ? SVM_EVTINJ_VALID_ERR : 0);
	vmcb->control.event_inj_err = e->error_code;
	e->valid = false;
}

/*
 * An event whose delivery the exit interrupted is injected again.
 * Return: whether delivery was interrupted.
 */
static bool requeue_event(struct svm_vcpu *s)
{
	u32 info = s->vmcb->control.exit_int_info;

	s->vmcb->control.event_inj = 0;
	if (!(info & SVM_EXITINTINFO_VALID))
		return false;
	s->vcpu.event = (struct hv_event) {
		.valid = true,
		.type = (info & SVM_EXITINTINFO_TYPE_MASK) >> 8,
		.vector = info & 0xff,
		.has_error = info & SVM_EXITINTINFO_VALID_ERR,
		.error_code = s->vmcb->control.exit_int_info_err,
	};
	/* An NMI not delivered yet blocks nothing: it is injected again. */
	if (s->vcpu.event.type == HV_EVENT_TYPE_NMI) {
		s->nmi_masked = false;
		clear_intercept(&s->vmcb->control, INTERCEPT_IRET);
		s->dirty |= VMCB_CLEAN_INTERCEPTS;
	}
	return true;
}

/* ---- exits ------------------------------------------------------------------ */

/*
 * Exit handlers, indexed by exit code. Each fills @exit for the core; an
 * exit the backend finishes itself (an exception reflected, #UD for an
 * instruction hv hides) reports HV_EXIT_NONE.
 */
typedef void (*svm_exit_fn)(struct svm_vcpu *s, struct hv_exit *exit);

/* The next RIP where the CPU saves it; the core decodes it otherwise. */
static void next_rip(struct svm_vcpu *s, struct hv_exit *exit)
{
	exit->next_rip_known = has(HV_CAP_NRIP_SAVE);
	exit->next_rip = exit->next_rip_known ? s->vmcb->control.next_rip : 0;
}

static void exit_none(struct svm_vcpu *s, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_NONE;
}

static void exit_vintr(struct svm_vcpu *s, struct hv_exit *exit)
{
	struct vmcb_control_area *c = &s->vmcb->control;

	c->int_ctl &= ~(V_IRQ_MASK | V_IGN_TPR_MASK | V_INTR_PRIO_MASK);
	clear_intercept(c, INTERCEPT_VINTR);
	clear_intercept(c, INTERCEPT_CR8_WRITE);
	s->dirty |= VMCB_CLEAN_INTR | VMCB_CLEAN_INTERCEPTS;
	s->vintr = false;
	exit->kind = HV_EXIT_NONE;
}

static void exit_cpuid(struct svm_vcpu *s, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_CPUID;
	next_rip(s, exit);
}

static void exit_hlt(struct svm_vcpu *s, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_HLT;
	next_rip(s, exit);
}

static void exit_msr(struct svm_vcpu *s, struct hv_exit *exit)
{
	exit->kind = s->vmcb->control.exit_info_1 ? HV_EXIT_WRMSR :
						    HV_EXIT_RDMSR;
	next_rip(s, exit);
}

/* APM Vol. 2, 15.10.2: IOIO EXITINFO1 layout; EXITINFO2 is the next RIP. */
static void exit_io(struct svm_vcpu *s, struct hv_exit *exit)
{
	u64 info = s->vmcb->control.exit_info_1;

	exit->kind = HV_EXIT_IO;
	exit->io.in = info & SVM_IOIO_TYPE_MASK;
	exit->io.string = info & SVM_IOIO_STR_MASK;
	exit->io.rep = info & SVM_IOIO_REP_MASK;
	exit->io.size = (info & SVM_IOIO_SIZE_MASK) >> SVM_IOIO_SIZE_SHIFT;
	exit->io.port = info >> 16;
	exit->next_rip = s->vmcb->control.exit_info_2;
	exit->next_rip_known = true;
}

static void exit_npf(struct svm_vcpu *s, struct hv_exit *exit)
{
	struct vmcb_control_area *c = &s->vmcb->control;
	u64 err = c->exit_info_1;

	exit->kind = HV_EXIT_NPF;
	exit->npf.gpa = c->exit_info_2;
	exit->npf.write = err & NPF_WRITE;
	exit->npf.fetch = err & NPF_FETCH;
	exit->npf.present = err & NPF_PRESENT;
	exit->npf.walk = err & NPF_WALK;
	exit->npf.la_valid = false;
	exit->npf.insn_len = 0;
	if (err & NPF_RSVD) {
		/* hv never sets reserved bits in its tables. */
		exit->kind = HV_EXIT_UNHANDLED;
		exit->detail = err;
		return;
	}
	if (has(HV_CAP_DECODE_ASSISTS) && c->insn_len &&
	    c->insn_len <= sizeof(exit->npf.insn)) {
		exit->npf.insn_len = c->insn_len;
		memcpy(exit->npf.insn, c->insn_bytes, c->insn_len);
	}
}

static void exit_shutdown(struct svm_vcpu *s, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_SHUTDOWN;
}

static void exit_ud(struct svm_vcpu *s, struct hv_exit *exit)
{
	hv_vcpu_queue_exception(&s->vcpu, X86_TRAP_UD, false, 0);
	exit->kind = HV_EXIT_NONE;
}

static void exit_invd(struct svm_vcpu *s, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_INVD;
	next_rip(s, exit);
}

/* With decode assists, EXITINFO1 names the source (APM Vol. 2, 15.8.1). */
static void exit_cr4_write(struct svm_vcpu *s, struct hv_exit *exit)
{
	u64 info = s->vmcb->control.exit_info_1;

	exit->kind = HV_EXIT_CR_WRITE;
	exit->cr.cr = 4;
	exit->cr.gpr = has(HV_CAP_DECODE_ASSISTS) && (info & BIT_ULL(63)) ?
		       info & 15 : HV_GPR_UNKNOWN;
	next_rip(s, exit);
}

/*
 * Intercepted only while an interrupt waits for a window or for TPR to
 * fall (request_vintr()); the core's next look at the APIC sets the
 * intercept again if it is still needed.
 */
static void exit_cr8_write(struct svm_vcpu *s, struct hv_exit *exit)
{
	u64 info = s->vmcb->control.exit_info_1;

	clear_intercept(&s->vmcb->control, INTERCEPT_CR8_WRITE);
	s->dirty |= VMCB_CLEAN_INTERCEPTS;
	exit->kind = HV_EXIT_CR_WRITE;
	exit->cr.cr = 8;
	exit->cr.gpr = has(HV_CAP_DECODE_ASSISTS) && (info & BIT_ULL(63)) ?
		       info & 15 : HV_GPR_UNKNOWN;
	next_rip(s, exit);
}

/* Translations MOV to CR4 invalidates when these change (4.10.4.1). */
#define CR4_TLB_BITS	(X86_CR4_PGE | X86_CR4_PAE | X86_CR4_PSE | \
			 X86_CR4_PCIDE | X86_CR4_SMEP | X86_CR4_SMAP)

static void svm_set_cr4(struct hv_vcpu *vcpu, u64 cr4)
{
	struct svm_vcpu *s = to_svm(vcpu);
	u64 old = s->vmcb->save.cr4;

	s->vmcb->save.cr4 = cr4;
	s->dirty |= VMCB_CLEAN_CR;
	if ((old ^ cr4) & CR4_TLB_BITS)
		svm_flush_tlb(vcpu);
}

static void svm_set_cr2(struct hv_vcpu *vcpu, u64 cr2)
{
	struct svm_vcpu *s = to_svm(vcpu);

	s->vmcb->save.cr2 = cr2;
	s->dirty |= VMCB_CLEAN_CR2;
}

static void exit_gp(struct svm_vcpu *s, struct hv_exit *exit)
{
	hv_vcpu_queue_exception(&s->vcpu, X86_TRAP_GP, true, 0);
	exit->kind = HV_EXIT_NONE;
}

/*
 * A #DB of the guest's own. The CPU has updated DR6 in the VMCB already
 * (the intercept is checked on delivery, APM Vol. 2, 15.12); DR7.GD is
 * cleared as on entry to the handler (SDM Vol. 3B, 18.2.4).
 */
static void exit_db(struct svm_vcpu *s, struct hv_exit *exit)
{
	struct vmcb_save_area *v = &s->vmcb->save;

	if (v->dr7 & HV_DR7_GD) {
		v->dr7 &= ~HV_DR7_GD;
		s->dirty |= VMCB_CLEAN_DR;
	}
	hv_vcpu_queue_exception(&s->vcpu, X86_TRAP_DB, false, 0);
	exit->kind = HV_EXIT_NONE;
}

static void exit_ac(struct svm_vcpu *s, struct hv_exit *exit)
{
	hv_vcpu_queue_exception(&s->vcpu, X86_TRAP_AC, true,
				s->vmcb->control.exit_info_1);
	exit->kind = HV_EXIT_NONE;
}

static const svm_exit_fn exit_handlers[] = {
	[SVM_EXIT_EXCP_BASE + X86_TRAP_DB]	= exit_db,
	[SVM_EXIT_EXCP_BASE + X86_TRAP_AC]	= exit_ac,
	[SVM_EXIT_INTR]				= exit_none,
	[SVM_EXIT_NMI]				= exit_none,
	[SVM_EXIT_SMI]				= exit_none,
	[SVM_EXIT_VINTR]			= exit_vintr,
	[SVM_EXIT_CPUID]			= exit_cpuid,
	[SVM_EXIT_WRITE_CR4]			= exit_cr4_write,
	[SVM_EXIT_WRITE_CR8]			= exit_cr8_write,
	[SVM_EXIT_IRET]				= exit_iret,
	[SVM_EXIT_RDPMC]			= exit_gp,
	[SVM_EXIT_INVD]				= exit_invd,
	[SVM_EXIT_HLT]				= exit_hlt,
	[SVM_EXIT_INVLPGA]			= exit_ud,
	[SVM_EXIT_IOIO]				= exit_io,
	[SVM_EXIT_MSR]				= exit_msr,
	[SVM_EXIT_SHUTDOWN]			= exit_shutdown,
	[SVM_EXIT_VMRUN]			= exit_ud,
	[SVM_EXIT_VMMCALL]			= exit_ud,
	[SVM_EXIT_VMLOAD]			= exit_ud,
	[SVM_EXIT_VMSAVE]			= exit_ud,
	[SVM_EXIT_STGI]				= exit_ud,
	[SVM_EXIT_CLGI]				= exit_ud,
	[SVM_EXIT_SKINIT]			= exit_ud,
	[SVM_EXIT_RDTSCP]			= exit_ud,
	[SVM_EXIT_MONITOR]			= exit_ud,
	[SVM_EXIT_MWAIT]			= exit_ud,
	[SVM_EXIT_MWAIT_COND]			= exit_ud,
	[SVM_EXIT_XSETBV]			= exit_ud,
	[SVM_EXIT_RDPRU]			= exit_ud,
};

static void translate_exit(struct svm_vcpu *s, struct hv_exit *exit)
{
	u64 code = ((u64)s->vmcb->control.exit_code_hi << 32) |
		   s->vmcb->control.exit_code;

	exit->hw_reason = code;
	exit->detail = 0;
	exit->next_rip_known = false;
	if (code == SVM_EXIT_NPF) {
		exit_npf(s, exit);
	} else if (code < ARRAY_SIZE(exit_handlers) && exit_handlers[code]) {
		exit_handlers[code](s, exit);
	} else if (s->vmcb->control.exit_code == (u32)SVM_EXIT_ERR) {
		exit->kind = HV_EXIT_INVALID_STATE;
		exit->detail = s->vmcb->control.exit_info_1;
	} else {
		exit->kind = HV_EXIT_UNHANDLED;
	}
}

/*
 * hv finished an instruction for the guest: the STI or MOV SS shadow it
 * sat in ends, RF clears (SDM Vol. 3B, 18.3.1.1), and with RFLAGS.TF set
 * its single-step trap is due (18.3.1.4), with DR6.BS set as the CPU
 * sets it.
 */
static void instruction_done(struct svm_vcpu *s)
{
	struct vmcb *vmcb = s->vmcb;

	vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	vmcb->save.rflags &= ~X86_EFLAGS_RF;
	if (vmcb->save.rflags & X86_EFLAGS_TF) {
		vmcb->save.dr6 = (vmcb->save.dr6 & ~DR_TRAP_BITS) | HV_DR6_BS;
		s->dirty |= VMCB_CLEAN_DR;
		hv_vcpu_queue_exception(&s->vcpu, X86_TRAP_DB, false, 0);
	}
}

static void svm_vcpu_run(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct svm_cpu *sd = this_cpu_ptr(&svm_cpus);
	struct svm_vcpu *s = to_svm(vcpu);
	struct vmcb *vmcb = s->vmcb;
	int cpu = smp_processor_id();
	u8 tpr;

	if (s->asid_cpu != cpu || s->asid_gen != sd->asid_gen)
		new_asid(s, sd, cpu);
	if (vcpu->rip != s->exit_rip)
		instruction_done(s);
	inject_event(s);
	/* CR8 reads and writes use V_TPR without exits: the APIC's TPR. */
	tpr = hv_lapic_get_cr8(vcpu);
	if ((vmcb->control.int_ctl & V_TPR_MASK) != tpr) {
		vmcb->control.int_ctl = (vmcb->control.int_ctl & ~V_TPR_MASK) |
					tpr;
		s->dirty |= VMCB_CLEAN_INTR;
	}
	vmcb->save.rip = vcpu->rip;
	vmcb->save.rax = vcpu->gpr[HV_RAX];
	vmcb->save.rsp = vcpu->gpr[HV_RSP];
	/* With V_SPEC_CTRL, VMRUN loads this: the guest keeps the host's. */
	if (boot_cpu_has(X86_FEATURE_V_SPEC_CTRL))
		vmcb->save.spec_ctrl = spec_ctrl_current();
	vmcb->control.clean = has(HV_CAP_VMCB_CLEAN) ?
			      VMCB_CLEAN_ALL & ~s->dirty : 0;
	s->dirty = 0;

	asm volatile("clgi" ::: "memory");
	/* Pending at VMRUN, it exits the guest after the injection (cpu.c). */
	if (unlikely(svm_tcg_inject_quirk) &&
	    (vmcb->control.event_inj & (SVM_EVTINJ_VALID |
					SVM_EVTINJ_TYPE_MASK)) ==
	    (SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR))
		apic->send_IPI_self(RESCHEDULE_VECTOR);
	/*
	 * The host's RFLAGS.IF at VMRUN decides whether physical interrupts
	 * exit the guest; GIF=0 keeps them pending meanwhile (APM 15.17).
	 */
	raw_local_irq_enable();
	amd_clear_divider();
	__hv_svm_run(vcpu->gpr, s->vmcb_pa, sd->host_save_pa);
	raw_local_irq_disable();
	asm volatile("stgi" ::: "memory");

	vcpu->rip = vmcb->save.rip;
	s->exit_rip = vcpu->rip;
	vcpu->gpr[HV_RAX] = vmcb->save.rax;
	vcpu->gpr[HV_RSP] = vmcb->save.rsp;
	vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
	if ((vmcb->control.int_ctl & V_TPR_MASK) != tpr)
		hv_lapic_set_cr8(vcpu, vmcb->control.int_ctl & V_TPR_MASK);
	nmi_unmask(s);
	exit->vectoring = requeue_event(s);
	translate_exit(s, exit);
}

/* ---- architectural state ------------------------------------------------------ */

static void svm_get_code_regs(struct hv_vcpu *vcpu, struct hv_regs *r)
{
	struct vmcb_save_area *v = &to_svm(vcpu)->vmcb->save;

	r->rflags = v->rflags;
	r->cr0 = v->cr0;
	r->cr3 = v->cr3;
	r->cr4 = v->cr4;
	r->efer = v->efer & ~EFER_SVME;
	seg_get(&v->cs, &r->cs);
}

static void svm_get_regs(struct hv_vcpu *vcpu, struct hv_regs *r)
{
	struct svm_vcpu *s = to_svm(vcpu);
	struct vmcb_save_area *v = &s->vmcb->save;

	r->gpr[HV_RAX] = vcpu->gpr[HV_RAX];
	r->gpr[HV_RSP] = vcpu->gpr[HV_RSP];
	r->rflags = v->rflags;
	r->cr0 = v->cr0;
	r->cr2 = v->cr2;
	r->cr3 = v->cr3;
	r->cr4 = v->cr4;
	r->efer = v->efer & ~EFER_SVME;
	memcpy(r->dr, s->dr, sizeof(r->dr));
	r->dr6 = v->dr6;
	r->dr7 = v->dr7;
	seg_get(&v->cs, &r->cs);
	seg_get(&v->ds, &r->ds);
	seg_get(&v->es, &r->es);
	seg_get(&v->fs, &r->fs);
	seg_get(&v->gs, &r->gs);
	seg_get(&v->ss, &r->ss);
	seg_get(&v->tr, &r->tr);
	seg_get(&v->ldtr, &r->ldtr);
	r->gdtr.base = v->gdtr.base;
	r->gdtr.limit = v->gdtr.limit;
	r->idtr.base = v->idtr.base;
	r->idtr.limit = v->idtr.limit;
	r->star = v->star;
	r->lstar = v->lstar;
	r->cstar = v->cstar;
	r->sfmask = v->sfmask;
	r->kernel_gs_base = v->kernel_gs_base;
	r->sysenter_cs = v->sysenter_cs;
	r->sysenter_esp = v->sysenter_esp;
	r->sysenter_eip = v->sysenter_eip;
	r->pat = v->g_pat;
	r->tsc = rdtsc() + s->vmcb->control.tsc_offset;
	r->int_shadow = s->vmcb->control.int_state & SVM_INTERRUPT_SHADOW_MASK;
}

static int svm_set_regs(struct hv_vcpu *vcpu, const struct hv_regs *r,
			const char **why)
{
	struct svm_vcpu *s = to_svm(vcpu);
	struct vmcb_save_area *v = &s->vmcb->save;

	*why = hv_regs_check(r);
	if (*why)
		return -EINVAL;
	/* A new RIP, not one hv moved past an instruction. */
	s->exit_rip = r->rip;
	v->rflags = r->rflags | X86_EFLAGS_FIXED;
	v->cr0 = r->cr0;
	v->cr2 = r->cr2;
	v->cr3 = r->cr3;
	v->cr4 = r->cr4;
	v->efer = r->efer | EFER_SVME;
	memcpy(s->dr, r->dr, sizeof(s->dr));
	v->dr6 = r->dr6;
	v->dr7 = r->dr7;
	seg_set(&v->cs, &r->cs);
	seg_set(&v->ds, &r->ds);
	seg_set(&v->es, &r->es);
	seg_set(&v->fs, &r->fs);
	seg_set(&v->gs, &r->gs);
	seg_set(&v->ss, &r->ss);
	seg_set(&v->tr, &r->tr);
	seg_set(&v->ldtr, &r->ldtr);
	v->gdtr.base = r->gdtr.base;
	v->gdtr.limit = r->gdtr.limit;
	v->idtr.base = r->idtr.base;
	v->idtr.limit = r->idtr.limit;
	/* The CPL is SS.DPL in protected mode, 0 in real mode. */
	v->cpl = r->cr0 & X86_CR0_PE ? (r->ss.ar >> HV_AR_DPL_SHIFT) & 3 : 0;
	v->star = r->star;
	v->lstar = r->lstar;
	v->cstar = r->cstar;
	v->sfmask = r->sfmask;
	v->kernel_gs_base = r->kernel_gs_base;
	v->sysenter_cs = r->sysenter_cs;
	v->sysenter_esp = r->sysenter_esp;
	v->sysenter_eip = r->sysenter_eip;
	v->g_pat = r->pat;
	s->vmcb->control.tsc_offset = r->tsc - rdtsc();
	if (r->int_shadow)
		s->vmcb->control.int_state |= SVM_INTERRUPT_SHADOW_MASK;
	else
		s->vmcb->control.int_state &= ~SVM_INTERRUPT_SHADOW_MASK;
	s->dirty = VMCB_CLEAN_ALL;
	return 0;
}

static u64 svm_get_rflags(struct hv_vcpu *vcpu)
{
	return to_svm(vcpu)->vmcb->save.rflags;
}

static void svm_set_rflags(struct hv_vcpu *vcpu, u64 rflags)
{
	to_svm(vcpu)->vmcb->save.rflags = rflags | X86_EFLAGS_FIXED;
}

static int svm_get_msr(struct hv_vcpu *vcpu, u32 index, u64 *value)
{
	struct svm_vcpu *s = to_svm(vcpu);
	struct vmcb_save_area *v = &s->vmcb->save;

	switch (index) {
	case MSR_EFER:
		*value = v->efer & ~EFER_SVME;
		return 0;
	case MSR_IA32_CR_PAT:
		*value = v->g_pat;
		return 0;
	case MSR_IA32_TSC:
		*value = rdtsc() + s->vmcb->control.tsc_offset;
		return 0;
	case MSR_STAR:
		*value = v->star;
		return 0;
	case MSR_LSTAR:
		*value = v->lstar;
		return 0;
	case MSR_CSTAR:
		*value = v->cstar;
		return 0;
	case MSR_SYSCALL_MASK:
		*value = v->sfmask;
		return 0;
	case MSR_KERNEL_GS_BASE:
		*value = v->kernel_gs_base;
		return 0;
	case MSR_IA32_SYSENTER_CS:
		*value = v->sysenter_cs;
		return 0;
	case MSR_IA32_SYSENTER_ESP:
		*value = v->sysenter_esp;
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		*value = v->sysenter_eip;
		return 0;
	default:
		return -ENOENT;
	}
}

static int svm_set_msr(struct hv_vcpu *vcpu, u32 index, u64 value)
{
	struct svm_vcpu *s = to_svm(vcpu);
	struct vmcb_save_area *v = &s->vmcb->save;

	switch (index) {
	case MSR_EFER:
		if (!hv_efer_write(v->efer & ~EFER_SVME, v->cr0, value, &value))
			return -EINVAL;
		v->efer = value | EFER_SVME;
		s->dirty |= VMCB_CLEAN_CR;
		return 0;
	case MSR_IA32_CR_PAT:
		if (!hv_pat_valid(value))
			return -EINVAL;
		v->g_pat = value;
		s->dirty |= VMCB_CLEAN_NPT;
		return 0;
	case MSR_IA32_TSC:
		s->vmcb->control.tsc_offset = value - rdtsc();
		s->dirty |= VMCB_CLEAN_INTERCEPTS;
		return 0;
	case MSR_STAR:
		v->star = value;
		return 0;
	case MSR_LSTAR:
		v->lstar = value;
		return 0;
	case MSR_CSTAR:
		v->cstar = value;
		return 0;
	case MSR_SYSCALL_MASK:
		v->sfmask = value;
		return 0;
	case MSR_KERNEL_GS_BASE:
		v->kernel_gs_base = value;
		return 0;
	case MSR_IA32_SYSENTER_CS:
		v->sysenter_cs = value;
		return 0;
	case MSR_IA32_SYSENTER_ESP:
		v->sysenter_esp = value;
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		v->sysenter_eip = value;
		return 0;
	default:
		return -ENOENT;
	}
}

const struct hv_backend_ops hv_svm_ops = {
	.name		= "svm",
	.id		= HV_BACKEND_SVM,
	.vm_size	= sizeof(struct hv_vm),
	.vcpu_size	= sizeof(struct svm_vcpu),
	.npt		= &svm_npt,
	.probe		= svm_probe,
	.setup		= svm_setup,
	.unsetup	= svm_unsetup,
	.hw_enable	= svm_hw_enable,
	.hw_disable	= svm_hw_disable,
	.busy_reason	= svm_busy_reason,
	.vcpu_create	= svm_vcpu_create,
	.vcpu_free	= svm_vcpu_free,
	.vcpu_load	= svm_vcpu_load,
	.vcpu_put	= svm_vcpu_put,
	.intr_allowed	= svm_intr_allowed,
	.intr_window	= svm_intr_window,
	.tpr_window	= svm_tpr_window,
	.nmi_allowed	= svm_nmi_allowed,
	.nmi_window	= svm_nmi_window,
	.vcpu_run	= svm_vcpu_run,
	.get_regs	= svm_get_regs,
	.get_code_regs	= svm_get_code_regs,
	.set_regs	= svm_set_regs,
	.get_rflags	= svm_get_rflags,
	.set_rflags	= svm_set_rflags,
	.get_msr	= svm_get_msr,
	.set_msr	= svm_set_msr,
	.set_cr4	= svm_set_cr4,
	.set_cr2	= svm_set_cr2,
	.flush_tlb	= svm_flush_tlb,
};
