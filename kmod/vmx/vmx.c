// SPDX-License-Identifier: GPL-2.0
/*
 * The VMX backend's vCPU side (Intel SDM Vol. 3C, chapters 24 to 29): the
 * VMCS of each vCPU, EPT and VPID invalidation, the L1D flush before
 * entry, entering the guest, translating exits into struct hv_exit through
 * a table indexed by the basic exit reason, and the architectural record
 * to and from VMCS fields.
 *
 * A VMCS is current on a CPU only between vmx_vcpu_load() and
 * vmx_vcpu_put(), which VMCLEARs it: no CPU ever holds another's VMCS, so
 * migration, CPU offlining and VMXOFF need no bookkeeping. Accessors that
 * run outside that window (netlink handlers with the vCPU parked, the
 * vCPU thread's slow path) make it current for the duration.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": vmx: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <asm/cpu_entry_area.h>
#include <asm/apic.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/nospec-branch.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>
#include <asm/vmx.h>

#include "compat.h"
#include "exception.h"
#include "irq/irq.h"
#include "irq/posted.h"
#include "vmx.h"

/* Not named by the kernel's headers (SDM Vol. 3C, Appendix C). */
#define EXIT_REASON_GETSEC	11

/* ---- EPT (SDM Vol. 3C, 29.3.2) -------------------------------------------- */

#define EPT_RWX		(VMX_EPT_READABLE_MASK | VMX_EPT_WRITABLE_MASK | \
			 VMX_EPT_EXECUTABLE_MASK)
#define EPT_WB		(VMX_EPTP_MT_WB << VMX_EPT_MT_EPTE_SHIFT)
#define EPT_ADDR	0x000ffffffffff000ULL

/*
 * Write-back leaves that honour the guest's PAT (no IPAT). The core adds
 * the accessed and dirty bits (SDM Vol. 3C, 29.3.5), or their emulation.
 */
static u64 ept_leaf(phys_addr_t pa, bool writable)
{
	return pa | VMX_EPT_READABLE_MASK | VMX_EPT_EXECUTABLE_MASK | EPT_WB |
	       (writable ? VMX_EPT_WRITABLE_MASK : 0);
}

static u64 ept_table(phys_addr_t pa)
{
	return pa | EPT_RWX | VMX_EPT_ACCESS_BIT;
}

/* An entry with no access right maps nothing (SDM Vol. 3C, 29.3.2). */
static bool ept_present(u64 e)
{
	return e & EPT_RWX;
}

static phys_addr_t ept_addr(u64 e)
{
	return e & EPT_ADDR;
}

/*
 * Bits 52-62 of an EPT leaf are ignored (SDM Vol. 3C, Table 29-6), and a
 * leaf without R, W and X is not present. The hardware bits are filled in
 * by vmx_setup() where IA32_VMX_EPT_VPID_CAP reports EPT A/D.
 */
static struct hv_npt_format vmx_ept = {
	.leaf = ept_leaf,
	.table = ept_table,
	.present = ept_present,
	.addr = ept_addr,
	.write = VMX_EPT_WRITABLE_MASK,
	.access = EPT_RWX,
	.soft_accessed = BIT_ULL(52),
	.soft_dirty = BIT_ULL(53),
	.hw_method = "ept-ad",
};

/* ---- the MSR bitmap (SDM Vol. 3C, 25.6.9) ------------------------------------ */

static struct page *msr_bitmap;
/* The same, and the x2APIC MSRs the CPU virtualizes (APICv, x2APIC mode). */
static struct page *msr_bitmap_x2apic;

/* Read bitmaps at 0 (low MSRs) and 1024 (high), write bitmaps 2048 up. */
static void msr_allow_read(u8 *map, u32 msr)
{
	u32 base = msr >= 0xc0000000 ? 1024 : 0, n = msr & 0x1fff;

	map[base + n / 8] &= ~BIT(n % 8);
}

static void msr_allow_write(u8 *map, u32 msr)
{
	u32 base = msr >= 0xc0000000 ? 1024 : 0, n = msr & 0x1fff;

	map[2048 + base + n / 8] &= ~BIT(n % 8);
}

static void msr_allow(u8 *map, u32 msr)
{
	msr_allow_read(map, msr);
	msr_allow_write(map, msr);
}

/*
 * With APIC-register virtualization, RDMSR of these x2APIC registers reads
 * the virtual-APIC page (SDM Vol. 3C, 30.5), which is the APIC's own
 * register page: ID, version, TPR, PPR, LDR, SVR, ISR, TMR, IRR, ESR,
 * the LVT entries hv implements, initial count, divide configuration.
 * ICR is left out (the page keeps its high half at 0x310, the CPU would
 * read 0x304), and so are the current count (hv computes it), the
 * write-only and the absent registers, whose reads must #GP.
 */
static const u32 x2apic_read_virt[] = {
	0x802, 0x803, 0x808, 0x80a, 0x80d, 0x80f,
	0x810, 0x811, 0x812, 0x813, 0x814, 0x815, 0x816, 0x817,
	0x818, 0x819, 0x81a, 0x81b, 0x81c, 0x81d, 0x81e, 0x81f,
	0x820, 0x821, 0x822, 0x823, 0x824, 0x825, 0x826, 0x827,
	0x828, 0x832, 0x833, 0x834, 0x835, 0x836, 0x837, 0x838, 0x83e,
};

/* TPR, EOI and SELF IPI writes the CPU virtualizes (30.5). */
static const u32 x2apic_write_virt[] = { 0x808, 0x80b, 0x83f };

static void x2apic_bitmap_fill(u8 *map)
{
	unsigned int i;

	memcpy(map, page_address(msr_bitmap), PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(x2apic_read_virt); i++)
		msr_allow_read(map, x2apic_read_virt[i]);
	for (i = 0; i < ARRAY_SIZE(x2apic_write_virt); i++)
		msr_allow_write(map, x2apic_write_virt[i]);
}

static int vmx_setup_all(void)
{
	unsigned int i;
	int err;

	msr_bitmap = alloc_page(GFP_KERNEL);
	if (!msr_bitmap)
		return -ENOMEM;
	memset(page_address(msr_bitmap), 0xff, PAGE_SIZE);
	/*
	 * The VMCS switches the segment bases and SYSENTER MSRs; the SYSCALL
	 * MSRs are switched at load and put.
	 */
	for (i = 0; i < hv_nr_msrs_passthrough; i++)
		msr_allow(page_address(msr_bitmap), hv_msrs_passthrough[i]);
	msr_bitmap_x2apic = alloc_page(GFP_KERNEL);
	if (!msr_bitmap_x2apic) {
		err = -ENOMEM;
		goto err_free;
	}
	x2apic_bitmap_fill(page_address(msr_bitmap_x2apic));
	err = vmx_setup();
	if (!err)
		return 0;
	__free_page(msr_bitmap_x2apic);
	msr_bitmap_x2apic = NULL;
err_free:
	__free_page(msr_bitmap);
	msr_bitmap = NULL;
	return err;
}

static void vmx_unsetup_all(void)
{
	vmx_unsetup();
	if (msr_bitmap)
		__free_page(msr_bitmap);
	msr_bitmap = NULL;
	if (msr_bitmap_x2apic)
		__free_page(msr_bitmap_x2apic);
	msr_bitmap_x2apic = NULL;
}

/* ---- VMCS access outside load/put ---------------------------------------- */

/*
 * Make the vCPU's VMCS current if it is not: true if it was made current
 * here, and must be given back with vmcs_unborrow().
 */
static bool vmcs_borrow(struct vmx_vcpu *v)
{
	if (READ_ONCE(v->current_cpu) >= 0)
		return false;
	preempt_disable();
	/* Only with VMX off here: VMREADs then read 0, VMWRITEs do nothing. */
	if (WARN_ON_ONCE(!vmcs_load(v->vmcs_pa)))
		hv_vm_bug(v->vcpu.vm, "vmx: the vcpu's VMCS cannot be made current");
	return true;
}

static void vmcs_unborrow(struct vmx_vcpu *v, bool borrowed)
{
	if (!borrowed)
		return;
	vmcs_clear(v->vmcs_pa);
	preempt_enable();
}

/* ---- VMCS setup ----------------------------------------------------------- */

/* Guest segment fields: selector, limit, AR, base are 2 apart per segment. */
enum vmx_seg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR,
	       SEG_TR };

static void seg_get(enum vmx_seg n, struct hv_segment *s)
{
	s->selector = vmcs_read(GUEST_ES_SELECTOR + 2 * n);
	s->base = vmcs_read(GUEST_ES_BASE + 2 * n);
	s->limit = vmcs_read(GUEST_ES_LIMIT + 2 * n);
	s->ar = vmcs_read(GUEST_ES_AR_BYTES + 2 * n);
}

static void seg_set(enum vmx_seg n, const struct hv_segment *s)
{
	vmcs_write(GUEST_ES_SELECTOR + 2 * n, s->selector);
	vmcs_write(GUEST_ES_BASE + 2 * n, s->base);
	vmcs_write(GUEST_ES_LIMIT + 2 * n, s->limit);
	vmcs_write(GUEST_ES_AR_BYTES + 2 * n, s->ar);
}

/*
 * APICv (SDM Vol. 3C, ch. 30): the APIC's register page is the virtual-
 * APIC page; TPR and CR8 accesses go to it without exits (TPR shadow,
 * without CR8 exiting), and the CPU delivers the vector RVI names and
 * virtualizes EOIs. x2APIC virtualization follows the APIC's mode
 * (vmx_apicv_load()). Where the CPU processes posted interrupts, the
 * notification vector is the host's POSTED_INTR_VECTOR, whose handler
 * only acknowledges.
 */
static void init_apicv(struct vmx_vcpu *v, u32 *pin, u32 *proc, u32 *proc2)
{
	struct hv_pi_desc *pi = hv_lapic_pi_desc(&v->vcpu);
	unsigned int i;

	if (hv_apicv == HV_APICV_OFF)
		return;
	*proc = (*proc | CPU_BASED_TPR_SHADOW) &
		~(CPU_BASED_CR8_LOAD_EXITING | CPU_BASED_CR8_STORE_EXITING);
	*proc2 |= SECONDARY_EXEC_APIC_REGISTER_VIRT |
		  SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY;
	vmcs_write(VIRTUAL_APIC_PAGE_ADDR, hv_lapic_page(&v->vcpu));
	if (v->vcpu.vm->apic_page)
		vmcs_write(APIC_ACCESS_ADDR, page_to_phys(v->vcpu.vm->apic_page));
	vmcs_write(TPR_THRESHOLD, 0);
	vmcs_write(GUEST_INTR_STATUS, 0);
	for (i = 0; i < 4; i++)
		vmcs_write(EOI_EXIT_BITMAP0 + 2 * i, 0);
	if (hv_apicv != HV_APICV_POSTED)
		return;
	*pin |= PIN_BASED_POSTED_INTR;
	pi->control = (unsigned long)POSTED_INTR_VECTOR << HV_PI_NV_SHIFT;
	vmcs_write(POSTED_INTR_NV, POSTED_INTR_VECTOR);
	vmcs_write(POSTED_INTR_DESC_ADDR, virt_to_phys(pi));
}

static void init_vmcs(struct vmx_vcpu *v)
{
	struct vmx_config *c = &vmx_config;
	struct hv_vm *vm = v->vcpu.vm;
	u32 pin = c->pin, proc = c->proc, proc2 = c->proc2;

	init_apicv(v, &pin, &proc, &proc2);
	if (v->pml)
		proc2 |= SECONDARY_EXEC_ENABLE_PML;
	vmcs_write(PIN_BASED_VM_EXEC_CONTROL, pin);
	vmcs_write(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmcs_write(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmcs_write(VM_EXIT_CONTROLS, c->exit);
	vmcs_write(VM_ENTRY_CONTROLS, c->entry);
	/*
	 * #AC and #DB can recur forever in microcode without an exit
	 * (CVE-2015-5307, CVE-2015-8104) and #MC belongs to the host:
	 * intercept all three.
	 */
	vmcs_write(EXCEPTION_BITMAP, BIT(X86_TRAP_DB) | BIT(X86_TRAP_AC) |
		   BIT(X86_TRAP_MC));
	vmcs_write(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(MSR_BITMAP, page_to_phys(msr_bitmap));
	vmcs_write(EPT_POINTER, to_vmx_vm(vm)->eptp);
	if (v->pml) {
		vmcs_write(PML_ADDRESS, virt_to_phys(v->pml));
		vmcs_write(GUEST_PML_INDEX, PML_ENTRIES - 1);
	}
	if (v->vpid)
		vmcs_write(VIRTUAL_PROCESSOR_ID, v->vpid);
	vmcs_write(TSC_OFFSET, vm->tsc_offset);
	if (c->pin & PIN_BASED_VMX_PREEMPTION_TIMER)
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, c->preemption_timer);
	v->preemption_value = c->preemption_timer;
	vmcs_write(VMCS_LINK_POINTER, -1ULL);
	/* Bits the CPU forces on (CR0.NE, CR4.VMXE) read as the guest set them. */
	vmcs_write(CR0_GUEST_HOST_MASK, c->cr0_fixed0);
	vmcs_write(CR4_GUEST_HOST_MASK, c->cr4_fixed0);
	v->cr4_mask = c->cr4_fixed0;

	/* Host state that is the same on every CPU (SDM Vol. 3C, 25.5). */
	vmcs_write(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(HOST_DS_SELECTOR, 0);
	vmcs_write(HOST_ES_SELECTOR, 0);
	vmcs_write(HOST_FS_SELECTOR, 0);
	vmcs_write(HOST_GS_SELECTOR, 0);
	vmcs_write(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write(HOST_IA32_SYSENTER_CS, __KERNEL_CS);
	vmcs_write(HOST_IA32_SYSENTER_EIP, 0);
	/* The architectural state is the core's: hv_regs_reset(). */
}

static int vmx_vm_init(struct hv_vm *vm)
{
	struct vmx_vm *xv = to_vmx_vm(vm);

	xv->ept_flushed = alloc_percpu(u64);
	if (!xv->ept_flushed)
		return -ENOMEM;
	/* Without A/D in the EPTP, guest page walks are not EPT writes. */
	xv->eptp = vm->npt.root_pa | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4 |
		   (vm->npt.hw_ad ? VMX_EPTP_AD_ENABLE_BIT : 0);
	return 0;
}

static void vmx_vm_destroy(struct hv_vm *vm)
{
	free_percpu(to_vmx_vm(vm)->ept_flushed);
}

static int vmx_vcpu_create(struct hv_vcpu *vcpu)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	bool borrowed;

	if (!page)
		return -ENOMEM;
	v->vmcs = page_address(page);
	v->vmcs_pa = page_to_phys(page);
	/* SDM Vol. 3C, 25.2: the revision first; VMCLEAR initialises. */
	*(u32 *)v->vmcs = vmx_config.revision;
	v->current_cpu = -1;
	v->last_cpu = -1;
	if (vcpu->vm->npt.write_log) {
		v->pml = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
		if (!v->pml) {
			__free_page(page);
			v->vmcs = NULL;
			return -ENOMEM;
		}
	}
	v->vpid = vmx_vpid_alloc();
	preempt_disable();
	vmcs_clear(v->vmcs_pa);
	preempt_enable();
	borrowed = vmcs_borrow(v);
	init_vmcs(v);
	vmcs_unborrow(v, borrowed);
	return 0;
}

static void vmx_vcpu_free(struct hv_vcpu *vcpu)
{
	struct vmx_vcpu *v = to_vmx(vcpu);

	vmx_vpid_free(v->vpid);
	free_page((unsigned long)v->vmcs);
	v->vmcs = NULL;
	free_page((unsigned long)v->pml);
	v->pml = NULL;
}

/* ---- loading and running -------------------------------------------------- */

/* A control register as the guest sees it, through its guest/host mask. */
static u64 guest_cr(unsigned long field, unsigned long shadow, u64 mask)
{
	return (vmcs_read(field) & ~mask) | (vmcs_read(shadow) & mask);
}

/*
 * The CR4 bits the guest owns: those its VM's CPUID offers and this CPU
 * allows. Writes that touch any other bit exit and are checked
 * (hv_emulate_cr_write()). The read shadow holds the guest's view of the
 * bits that change hands, so it is brought up to date first.
 */
static void update_cr4_mask(struct vmx_vcpu *v)
{
	u64 mask = ~(READ_ONCE(v->vcpu.vm->cr4_allowed) &
		     vmx_config.cr4_fixed1) | vmx_config.cr4_fixed0;

	if (mask == v->cr4_mask)
		return;
	vmcs_write(CR4_READ_SHADOW,
		   guest_cr(GUEST_CR4, CR4_READ_SHADOW, v->cr4_mask));
	vmcs_write(CR4_GUEST_HOST_MASK, mask);
	v->cr4_mask = mask;
}

static const u32 guest_msr_index[VMX_NR_GUEST_MSRS] = {
	[VMX_MSR_STAR] = MSR_STAR,
	[VMX_MSR_LSTAR] = MSR_LSTAR,
	[VMX_MSR_CSTAR] = MSR_CSTAR,
	[VMX_MSR_SFMASK] = MSR_SYSCALL_MASK,
	[VMX_MSR_KERNEL_GS_BASE] = MSR_KERNEL_GS_BASE,
};

static void write_host_state(int cpu)
{
	struct desc_ptr idt;
	unsigned long base;
	u64 v;

	vmcs_write(HOST_CR0, read_cr0());
	vmcs_write(HOST_CR3, __read_cr3());
	vmcs_write(HOST_CR4, cr4_read_shadow());
	rdmsrl(MSR_FS_BASE, base);
	vmcs_write(HOST_FS_BASE, base);
	rdmsrl(MSR_GS_BASE, base);
	vmcs_write(HOST_GS_BASE, base);
	vmcs_write(HOST_TR_BASE,
		   (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_write(HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	store_idt(&idt);
	vmcs_write(HOST_IDTR_BASE, idt.address);
	vmcs_write(HOST_IA32_SYSENTER_ESP,
		   (unsigned long)(cpu_entry_stack(cpu) + 1));
	rdmsrl(MSR_EFER, v);
	vmcs_write(HOST_IA32_EFER, v);
	rdmsrl(MSR_IA32_CR_PAT, v);
	vmcs_write(HOST_IA32_PAT, v);
}

/*
 * The notification goes to the CPU the vCPU is loaded on: its APIC ID in
 * NDST, in bits 15:8 for an xAPIC host (SDM Vol. 3C, Table 29-1). ON may
 * change under us, so the word is swapped whole.
 */
static void pi_set_ndst(struct hv_pi_desc *d, int cpu)
{
	unsigned long old, new;
	u32 dest = per_cpu(x86_cpu_to_apicid, cpu);

	if (!x2apic_mode)
		dest = (dest << 8) & 0xff00;
	do {
		old = READ_ONCE(d->control);
		new = (old & GENMASK(HV_PI_NDST_SHIFT - 1, 0)) |
		      (unsigned long)dest << HV_PI_NDST_SHIFT;
	} while (cmpxchg(&d->control, old, new) != old);
}

/* Context switches of @t: another task ran on its CPU in between. */
static unsigned long task_switches(const struct task_struct *t)
{
	return t->nvcsw + t->nivcsw;
}

static void vmx_vcpu_load(struct hv_vcpu *vcpu, int cpu)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	unsigned int i;

	/* Impossible unless VMX is off here: the entry then fails too. */
	if (WARN_ON_ONCE(!vmcs_load(v->vmcs_pa)))
		hv_vm_bug(vcpu->vm, "vmx: the vcpu's VMCS cannot be loaded");
	WRITE_ONCE(v->current_cpu, cpu);
	v->launched = false;
	write_host_state(cpu);
	if (hv_apicv == HV_APICV_POSTED)
		pi_set_ndst(hv_lapic_pi_desc(vcpu), cpu);
	update_cr4_mask(v);

	/* VMX switches neither the SYSCALL MSRs nor DR0-DR3 and DR6. */
	for (i = 0; i < VMX_NR_GUEST_MSRS; i++) {
		rdmsrl(guest_msr_index[i], v->host_msr[i]);
		wrmsrl(guest_msr_index[i], v->msr[i]);
	}
	savesegment(ds, v->host_ds);
	savesegment(es, v->host_es);
	get_debugreg(v->host_dr[0], 0);
	get_debugreg(v->host_dr[1], 1);
	get_debugreg(v->host_dr[2], 2);
	get_debugreg(v->host_dr[3], 3);
	get_debugreg(v->host_dr[4], 6);
	get_debugreg(v->host_dr[5], 7);
	/* The host's breakpoints must not watch the guest's addresses. */
	if (v->host_dr[5] & HV_DR7_ENABLES)
		set_debugreg(HV_DR7_FIXED, 7);
	set_debugreg(v->dr[0], 0);
	set_debugreg(v->dr[1], 1);
	set_debugreg(v->dr[2], 2);
	set_debugreg(v->dr[3], 3);
	set_debugreg(v->dr[4], 6);
	/*
	 * Host data entered L1D while the vCPU was away, unless all it did
	 * was halt (and poll) here, with no other task, and no interrupt
	 * since the last flush (l1d_flush() looks at that, where it can).
	 */
	if (!HV_IRQ_L1D_TRACKED || !vcpu->l1d_kept || cpu != v->last_cpu ||
	    v->put_switches != task_switches(current))
		v->l1d_flush = true;
	vcpu->l1d_kept = false;
}

static void vmx_vcpu_put(struct hv_vcpu *vcpu)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	unsigned int i;

	for (i = 0; i < VMX_NR_GUEST_MSRS; i++) {
		rdmsrl(guest_msr_index[i], v->msr[i]);
		wrmsrl(guest_msr_index[i], v->host_msr[i]);
	}
	/* VM exit loads null DS and ES and the widest GDT limit (27.5.2). */
	if (v->host_ds)
		loadsegment(ds, v->host_ds);
	if (v->host_es)
		loadsegment(es, v->host_es);
	load_fixmap_gdt(v->current_cpu);
	get_debugreg(v->dr[0], 0);
	get_debugreg(v->dr[1], 1);
	get_debugreg(v->dr[2], 2);
	get_debugreg(v->dr[3], 3);
	get_debugreg(v->dr[4], 6);
	set_debugreg(v->host_dr[0], 0);
	set_debugreg(v->host_dr[1], 1);
	set_debugreg(v->host_dr[2], 2);
	set_debugreg(v->host_dr[3], 3);
	set_debugreg(v->host_dr[4], 6);
	/* VM exit leaves DR7 at 0x400: the host's breakpoints come back. */
	if (v->host_dr[5] != HV_DR7_FIXED)
		set_debugreg(v->host_dr[5], 7);

	v->last_cpu = v->current_cpu;
	v->put_switches = task_switches(current);
	vmcs_clear(v->vmcs_pa);
	v->launched = false;
	WRITE_ONCE(v->current_cpu, -1);
}

/*
 * EPT invalidation per VM and host CPU, not per vCPU: a CPU that flushed
 * this VM's current generation serves every vCPU of the VM that runs on
 * it. INVEPT single-context also drops the combined mappings of every
 * VPID under this EPTP (SDM Vol. 3C, 29.4.3.1), so the INVVPID a migrated
 * vCPU needs is skipped when an INVEPT runs anyway.
 */
static void invalidate(struct vmx_vcpu *v, int cpu)
{
	struct vmx_vm *xv = to_vmx_vm(v->vcpu.vm);
	u64 gen = READ_ONCE(xv->vm.npt.gen);
	u64 *flushed = this_cpu_ptr(xv->ept_flushed);
	bool invept = *flushed != gen;

	if (v->last_cpu != cpu && v->vpid) {
		if (invept) {
			v->vcpu.stats[HV_STAT_INVVPID_SAVED]++;
		} else {
			vmx_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, v->vpid);
			v->vcpu.stats[HV_STAT_INVVPID]++;
		}
	}
	v->last_cpu = cpu;
	if (invept) {
		vmx_invept(VMX_EPT_EXTENT_CONTEXT, xv->eptp);
		*flushed = gen;
		v->vcpu.stats[HV_STAT_INVEPT]++;
	}
}

static void vmx_set_cr2(struct hv_vcpu *vcpu, u64 cr2)
{
	to_vmx(vcpu)->cr2 = cr2;
}

static void vmx_flush_tlb(struct hv_vcpu *vcpu)
{
	/*
	 * Whoever asked moved vm->npt.gen on; invalidate() follows it before
	 * every entry.
	 */
}

/* ---- L1D flush (CVE-2018-3646) ---------------------------------------------- */

#define L1D_FLUSH_SIZE	(64 * 1024)
static void *l1d_flush_pages;

static int l1d_flush_alloc(void)
{
	unsigned int i;

	l1d_flush_pages = (void *)__get_free_pages(GFP_KERNEL,
						   get_order(L1D_FLUSH_SIZE));
	if (!l1d_flush_pages)
		return -ENOMEM;
	/*
	 * Distinct content per page, so that no page is the shared zero
	 * page or a candidate for merging, and every read misses for real.
	 */
	for (i = 0; i < L1D_FLUSH_SIZE / PAGE_SIZE; i++)
		memset(l1d_flush_pages + i * PAGE_SIZE, i + 1, PAGE_SIZE);
	return 0;
}

/*
 * Read 64 KiB through the cache, twice the largest L1D, so that whatever
 * host data the L1D held is evicted: first one line per page so the TLB
 * misses do not evict what was just read, then every line.
 */
static void l1d_flush_software(void)
{
	const u8 *p = l1d_flush_pages;
	unsigned int i;

	for (i = 0; i < L1D_FLUSH_SIZE; i += PAGE_SIZE)
		READ_ONCE(p[i]);
	for (i = 0; i < L1D_FLUSH_SIZE; i += L1_CACHE_BYTES)
		READ_ONCE(p[i]);
}

static void l1d_flush(struct vmx_vcpu *v)
{
	struct hv_l1d_flush_now f;

	hv_l1d_flush_now(&f);
	if (f.mode == HV_L1D_FLUSH_MODE_NEVER)
		return;
	if (f.mode == HV_L1D_FLUSH_MODE_COND && !v->l1d_flush &&
	    !hv_irq_l1d_dirty())
		return;
	v->l1d_flush = false;
	hv_irq_l1d_flushed();
	if (f.method == HV_L1D_FLUSH_METHOD_MSR) {
		wrmsrl(MSR_IA32_FLUSH_CMD, L1D_FLUSH);
		v->vcpu.stats[HV_STAT_L1D_FLUSH_MSR]++;
	} else if (l1d_flush_pages) {
		l1d_flush_software();
		v->vcpu.stats[HV_STAT_L1D_FLUSH_SW]++;
	}
}

/* ---- events (SDM Vol. 3C, 27.6 and 28.2.4) ------------------------------------ */

#define INTR_INFO(type, vector) (INTR_INFO_VALID_MASK | ((type) << 8) | (vector))

/* Turn one bit of an execution-control field on or off. */
static void set_control(unsigned long field, u32 bit, bool on)
{
	u32 ctl = vmcs_read(field);

	vmcs_write(field, on ? ctl | bit : ctl & ~bit);
}

static bool vmx_intr_allowed(struct hv_vcpu *vcpu)
{
	return (vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_IF) &&
	       !(vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
		 (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS));
}

static void vmx_intr_window(struct hv_vcpu *vcpu)
{
	struct vmx_vcpu *v = to_vmx(vcpu);

	if (!v->irq_window) {
		set_control(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTR_WINDOW_EXITING,
			    true);
		v->irq_window = true;
	}
}

static bool has_vnmi(void)
{
	return vmx_config.pin & PIN_BASED_VIRTUAL_NMIS;
}

/*
 * Blocking by STI also keeps NMIs out on some processors, so VM entry
 * may refuse it with an NMI (SDM Vol. 3C, 26.3.1.5; KVM treats it so).
 * Blocking by NMI is tracked by the CPU only with virtual NMIs.
 */
static bool vmx_nmi_allowed(struct hv_vcpu *vcpu)
{
	return !(vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
		 (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS |
		  GUEST_INTR_STATE_NMI));
}

static void vmx_nmi_window(struct hv_vcpu *vcpu)
{
	struct vmx_vcpu *v = to_vmx(vcpu);

	if (!has_vnmi()) {
		vmx_intr_window(vcpu);
		return;
	}
	if (!v->nmi_window) {
		set_control(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING,
			    true);
		v->nmi_window = true;
	}
}

static void vmx_apicv_load(struct hv_vcpu *vcpu,
			   const struct hv_apicv_state *s)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	unsigned int i;

	/* The CPU moves RVI and SVI itself in guest mode: always written. */
	vmcs_write(GUEST_INTR_STATUS, s->rvi | (u16)s->svi << 8);
	for (i = 0; i < 4; i++) {
		if (s->eoi_exit[i] == v->eoi_exit[i])
			continue;
		vmcs_write(EOI_EXIT_BITMAP0 + 2 * i, s->eoi_exit[i]);
		v->eoi_exit[i] = s->eoi_exit[i];
	}
	if (s->x2apic == v->x2apic_virt &&
	    s->xapic_page == v->apic_access_virt)
		return;
	/*
	 * Outside x2APIC mode the x2APIC MSRs must exit (to #GP): they
	 * would otherwise reach the host's x2APIC (30.5). The two modes'
	 * controls exclude each other (27.2.1.1), so both change at once.
	 */
	vmcs_write(SECONDARY_VM_EXEC_CONTROL,
		   (vmcs_read(SECONDARY_VM_EXEC_CONTROL) &
		    ~(SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE |
		      SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES)) |
		   (s->x2apic ? SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE : 0) |
		   (s->xapic_page ? SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES : 0));
	vmcs_write(MSR_BITMAP, page_to_phys(s->x2apic ? msr_bitmap_x2apic :
					    msr_bitmap));
	v->x2apic_virt = s->x2apic;
	v->apic_access_virt = s->xapic_page;
}

static void vmx_posted_notify(struct hv_vcpu *vcpu, int cpu)
{
	apic->send_IPI(cpu, POSTED_INTR_VECTOR);
}

/*
 * All four controls or none: register and x2APIC virtualization without
 * virtual-interrupt delivery would leave PPR in the page stale.
 */
static enum hv_apicv vmx_apicv_mode(const char **why)
{
	u64 f = hv_caps.features;

	if (!(f & HV_CAP_TPR_SHADOW))
		*why = "the CPU has no TPR shadow";
	else if (!(f & HV_CAP_X2APIC_VIRT))
		*why = "the CPU cannot virtualize x2APIC mode";
	else if (!(f & HV_CAP_APIC_REG_VIRT))
		*why = "the CPU has no APIC-register virtualization";
	else if (!(f & HV_CAP_VIRT_INTR_DELIVERY))
		*why = "the CPU has no virtual-interrupt delivery";
	if (*why)
		return HV_APICV_OFF;
	if (!(f & HV_CAP_POSTED_INTR)) {
		*why = "the CPU does not process posted interrupts: running vCPUs are kicked";
		return HV_APICV_VID;
	}
	return HV_APICV_POSTED;
}

/* Return: whether an event is injected at the next entry. */
static bool inject_event(struct vmx_vcpu *v)
{
	struct hv_event *e = &v->vcpu.event;

	if (!e->valid)
		return false;
	if (e->type == HV_EVENT_TYPE_EXT_INTR && !vmx_intr_allowed(&v->vcpu)) {
		vmx_intr_window(&v->vcpu);
		return false;
	}
	if (e->type == HV_EVENT_TYPE_NMI && !vmx_nmi_allowed(&v->vcpu)) {
		vmx_nmi_window(&v->vcpu);
		return false;
	}
	/*
	 * Real mode pushes no error codes, and VM entry refuses to deliver
	 * one there (SDM Vol. 3C, 27.2.1.3).
	 */
	if (e->has_error && !(vmcs_read(GUEST_CR0) & X86_CR0_PE))
		e->has_error = false;
	if (e->type == HV_EVENT_TYPE_EXCEPTION && hv_exception_is_fault(e->vector))
		vmcs_write(GUEST_RFLAGS, vmcs_read(GUEST_RFLAGS) | X86_EFLAGS_RF);
	vmcs_write(VM_ENTRY_INTR_INFO_FIELD, INTR_INFO(e->type, e->vector) |
		   (e->has_error ? INTR_INFO_DELIVER_CODE_MASK : 0));
	if (e->has_error)
		vmcs_write(VM_ENTRY_EXCEPTION_ERROR_CODE, e->error_code);
	/* Software interrupts name their instruction's length (27.6.1.3). */
	if (e->type == HV_EVENT_TYPE_SOFT_INTR)
		vmcs_write(VM_ENTRY_INSTRUCTION_LEN, v->soft_len ?: 2);
	e->valid = false;
	return true;
}

/*
 * Bochs does not record the IDT-vectoring information of a virtual
 * interrupt it delivers (SDM Vol. 3C, 30.2.2): an exit that cuts that
 * delivery short reports the last event it did record, even one of
 * another VM. Such a delivery is known by its traces: nothing was
 * injected, SVI rose during the run (the CPU moved the vector from VIRR
 * to VISR), and RFLAGS.IF is still set (delivery through an interrupt
 * gate clears it once the frame is pushed). A CPU that reports the event
 * names that vector too; the one case read wrongly is a handler that set
 * IF again and had an exception's delivery cut before its EOI.
 */
static void virtual_delivery_cut(struct vmx_vcpu *v, u32 *info)
{
	u8 svi;

	if (hv_apicv == HV_APICV_OFF || v->injected ||
	    !(vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_IF))
		return;
	svi = vmcs_read(GUEST_INTR_STATUS) >> 8;
	if (svi > v->entry_svi)
		*info = INTR_INFO(HV_EVENT_TYPE_EXT_INTR, svi);
}

/*
 * An event whose delivery the exit interrupted is injected again.
 * Return: whether delivery was interrupted.
 */
static bool requeue_event(struct vmx_vcpu *v)
{
	u32 info = vmcs_read(IDT_VECTORING_INFO_FIELD);
	u32 type;

	if (!(info & VECTORING_INFO_VALID_MASK))
		return false;
	virtual_delivery_cut(v, &info);
	type = (info & VECTORING_INFO_TYPE_MASK) >> 8;
	/* Software exceptions (INT3, INTO) re-execute their instruction. */
	if (type == 5 || type == 6)
		return true;
	v->soft_len = type == HV_EVENT_TYPE_SOFT_INTR ?
		      vmcs_read(VM_EXIT_INSTRUCTION_LEN) : 0;
	v->vcpu.event = (struct hv_event) {
		.valid = true,
		.type = type,
		.vector = info & VECTORING_INFO_VECTOR_MASK,
		.has_error = info & VECTORING_INFO_DELIVER_CODE_MASK,
		.error_code = vmcs_read(IDT_VECTORING_ERROR_CODE),
	};
	/*
	 * An NMI whose delivery the exit interrupted left virtual-NMI
	 * blocking set; entry would refuse it again (SDM Vol. 3C, 27.7.1.2,
	 * as KVM's __vmx_complete_interrupts()).
	 */
	if (type == HV_EVENT_TYPE_NMI)
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
			   vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
			   ~GUEST_INTR_STATE_NMI);
	return true;
}

/* ---- exits -------------------------------------------------------------------- */

/*
 * Exit handlers, indexed by basic exit reason (SDM Vol. 3C, Appendix C).
 * Each fills @exit for the core; an exit the backend finishes itself (an
 * exception reflected, #UD for an instruction hv hides, an interrupt
 * handed to the host) reports HV_EXIT_NONE.
 */
typedef void (*vmx_exit_fn)(struct vmx_vcpu *v, struct hv_exit *exit);

static void next_rip(struct vmx_vcpu *v, struct hv_exit *exit)
{
	exit->next_rip = v->vcpu.rip + vmcs_read(VM_EXIT_INSTRUCTION_LEN);
	exit->next_rip_known = true;
}

static void skip_insn(struct vmx_vcpu *v)
{
	v->vcpu.rip += vmcs_read(VM_EXIT_INSTRUCTION_LEN);
}

static void call_host_handler(unsigned int vector)
{
	gate_desc *idt = (gate_desc *)vmcs_read(HOST_IDTR_BASE);

	__hv_vmx_do_interrupt(gate_offset(idt + vector));
}

/*
 * A #DB of the guest's own: VM exits for #DB leave DR6 and DR7 alone (SDM
 * Vol. 3C, 27.1) and report the DR6 bits in the exit qualification
 * (28.2.1), so DR6 is updated as delivery would (B0-B3 replaced, BD, BS
 * and BT set, RTM active low; bit 12 is not DR6's), DR7.GD cleared as on
 * entry to the handler (Vol. 3B, 18.2.4), and the #DB reflected. INT1
 * exits as an instruction, before it runs: it is stepped over. A single
 * step pending across STI or MOV SS blocking must stay pending, as VM
 * entry checks (27.3.1.5).
 */
static void reflect_db(struct vmx_vcpu *v, u32 info)
{
	u64 payload = vmcs_read(EXIT_QUALIFICATION), dr7;
	unsigned long dr6;

	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_PRIV_SW_EXCEPTION)
		skip_insn(v);
	else if ((vmcs_read(GUEST_RFLAGS) & X86_EFLAGS_TF) &&
		 (vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
		  (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)))
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS,
			   vmcs_read(GUEST_PENDING_DBG_EXCEPTIONS) | HV_DR6_BS);
	get_debugreg(dr6, 6);
	dr6 = ((dr6 & ~DR_TRAP_BITS) | DR6_RESERVED | payload) ^
	      (payload & DR6_RESERVED);
	set_debugreg(dr6 & ~BIT(12), 6);
	dr7 = vmcs_read(GUEST_DR7);
	if (dr7 & HV_DR7_GD)
		vmcs_write(GUEST_DR7, dr7 & ~HV_DR7_GD);
	hv_vcpu_queue_exception(&v->vcpu, X86_TRAP_DB, false, 0);
}

static void exit_exception_nmi(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u32 info = vmcs_read(VM_EXIT_INTR_INFO);
	u32 vector = info & INTR_INFO_VECTOR_MASK;

	exit->kind = HV_EXIT_NONE;
	if ((info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR) {
		/* The host's NMI, taken in guest mode: its handler runs now. */
		call_host_handler(NMI_VECTOR);
		v->l1d_flush = true;
		return;
	}
	switch (vector) {
	case X86_TRAP_DB:
		reflect_db(v, info);
		return;
	case X86_TRAP_MC:
		/* A machine check belongs to the host's handler. */
		asm volatile("int $0x12");
		v->l1d_flush = true;
		return;
	case X86_TRAP_AC:
		hv_vcpu_queue_exception(&v->vcpu, X86_TRAP_AC, true,
					vmcs_read(VM_EXIT_INTR_ERROR_CODE));
		return;
	default:
		exit->kind = HV_EXIT_UNHANDLED;
		exit->detail = info;
	}
}

static void exit_interrupt(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u32 info = vmcs_read(VM_EXIT_INTR_INFO);

	/* Acknowledged on exit (SDM Vol. 3C, 25.7.1): hand it to the host. */
	call_host_handler(info & INTR_INFO_VECTOR_MASK);
	v->l1d_flush = true;
	exit->kind = HV_EXIT_NONE;
}

static void exit_preemption_timer(struct vmx_vcpu *v, struct hv_exit *exit)
{
	if (rdtsc() >= v->vcpu.timer_tsc) {
		exit->kind = HV_EXIT_TIMER;
		return;
	}
	/* A whole tick in the guest: host interrupts run before re-entry. */
	v->l1d_flush = true;
	exit->kind = HV_EXIT_NONE;
}

/*
 * The run ends after a host tick, or at the APIC timer's expiry when the
 * core counts it here (&hv_vcpu.timer_tsc): rounded up, so that the exit
 * comes at or after it. The value is loaded at each entry (no "save
 * VMX-preemption timer value" exit control), so it is written only when
 * it changes.
 */
static void load_preemption_timer(struct vmx_vcpu *v)
{
	u64 deadline = v->vcpu.timer_tsc, now, left;
	u32 val = vmx_config.preemption_timer;

	if (deadline != U64_MAX) {
		now = rdtsc();
		left = deadline > now ? deadline - now : 0;
		left = (left + BIT_ULL(vmx_config.preemption_rate) - 1) >>
		       vmx_config.preemption_rate;
		val = min_t(u64, left, val);
	}
	if (val != v->preemption_value) {
		vmcs_write(VMX_PREEMPTION_TIMER_VALUE, val);
		v->preemption_value = val;
	}
}

static bool vmx_tsc_timer(void)
{
	return vmx_config.pin & PIN_BASED_VMX_PREEMPTION_TIMER;
}

static void exit_irq_window(struct vmx_vcpu *v, struct hv_exit *exit)
{
	set_control(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_INTR_WINDOW_EXITING,
		    false);
	v->irq_window = false;
	exit->kind = HV_EXIT_NONE;
}

static void exit_nmi_window(struct vmx_vcpu *v, struct hv_exit *exit)
{
	set_control(CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_NMI_WINDOW_EXITING,
		    false);
	v->nmi_window = false;
	exit->kind = HV_EXIT_NONE;
}

/* Trap-like: the EOI is done, RIP is past it (SDM Vol. 3C, 30.1.4). */
static void exit_eoi_induced(struct vmx_vcpu *v, struct hv_exit *exit)
{
	hv_lapic_eoi_exit(&v->vcpu, vmcs_read(EXIT_QUALIFICATION) & 0xff);
	exit->kind = HV_EXIT_NONE;
}

/*
 * SDM Vol. 3C, Table 28-1: an access to the APIC-access page that was not
 * virtualized. Fault-like: emulated as MMIO at the page's address. An
 * access while delivering an event (types 3 and 10) is marked vectoring.
 */
static void exit_apic_access(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION);
	unsigned int type = (q >> 12) & 0xf;

	exit->kind = HV_EXIT_APIC_ACCESS;
	exit->npf.gpa = q & 0xfff;
	exit->npf.write = type == 1;
	exit->npf.fetch = type == 2 || type == 15;
	exit->npf.present = true;
	exit->npf.la_valid = false;
	exit->npf.la = 0;
	exit->npf.walk = false;
	exit->npf.insn_len = 0;
	exit->detail = q;
	v->l1d_flush = true;
}

/* Trap-like, the value in the page (30.4.3.3). */
static void exit_apic_write(struct vmx_vcpu *v, struct hv_exit *exit)
{
	hv_lapic_apic_write(&v->vcpu, vmcs_read(EXIT_QUALIFICATION) & 0xfff);
	exit->kind = HV_EXIT_NONE;
}

static void exit_shutdown(struct vmx_vcpu *v, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_SHUTDOWN;
}

static void exit_cpuid(struct vmx_vcpu *v, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_CPUID;
	next_rip(v, exit);
}

static void exit_hlt(struct vmx_vcpu *v, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_HLT;
	next_rip(v, exit);
}

static void exit_rdmsr(struct vmx_vcpu *v, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_RDMSR;
	next_rip(v, exit);
}

static void exit_wrmsr(struct vmx_vcpu *v, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_WRMSR;
	next_rip(v, exit);
}

/* SDM Vol. 3C, Table 28-5: I/O instruction exit qualification. */
static void exit_io(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION);

	exit->kind = HV_EXIT_IO;
	exit->io.size = (q & 7) + 1;
	exit->io.in = q & BIT(3);
	exit->io.string = q & BIT(4);
	exit->io.rep = q & BIT(5);
	exit->io.port = q >> 16;
	next_rip(v, exit);
}

/*
 * An IRET that unblocked NMIs faulted or hit a full log: blocking comes
 * back before the IRET runs again (SDM Vol. 3C, 28.2.3 and 29.3.6). The
 * bit is undefined for an exit during event delivery.
 */
static void restore_nmi_blocking(u64 qualification)
{
	if ((qualification & INTR_INFO_UNBLOCK_NMI) &&
	    (vmx_config.pin & PIN_BASED_VIRTUAL_NMIS) &&
	    !(vmcs_read(IDT_VECTORING_INFO_FIELD) & VECTORING_INFO_VALID_MASK))
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
			   vmcs_read(GUEST_INTERRUPTIBILITY_INFO) |
			   GUEST_INTR_STATE_NMI);
}

/* SDM Vol. 3C, Table 28-7: EPT violation exit qualification. */
static void exit_ept_violation(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION);

	exit->kind = HV_EXIT_NPF;
	exit->npf.gpa = vmcs_read(GUEST_PHYSICAL_ADDRESS);
	exit->npf.write = q & BIT(EPT_VIOLATION_ACC_WRITE_BIT);
	exit->npf.fetch = q & BIT(EPT_VIOLATION_ACC_INSTR_BIT);
	exit->npf.present = q & (7 << EPT_VIOLATION_RWX_SHIFT);
	/* Bit 7: a linear address was translated; bit 8: the final one. */
	exit->npf.la_valid = q & BIT(7);
	exit->npf.la = exit->npf.la_valid ? vmcs_read(GUEST_LINEAR_ADDRESS) : 0;
	exit->npf.walk = exit->npf.la_valid && !(q & BIT(8));
	exit->npf.insn_len = 0;
	restore_nmi_blocking(q);
	/* The kernel touches host memory to map or emulate. */
	v->l1d_flush = true;
}

/* vmx_vcpu_run() has emptied the log already; the write is retried. */
static void exit_pml_full(struct vmx_vcpu *v, struct hv_exit *exit)
{
	restore_nmi_blocking(vmcs_read(EXIT_QUALIFICATION));
	v->vcpu.stats[HV_STAT_PML_FULL]++;
	exit->kind = HV_EXIT_NONE;
}

static void exit_ud(struct vmx_vcpu *v, struct hv_exit *exit)
{
	hv_vcpu_queue_exception(&v->vcpu, X86_TRAP_UD, false, 0);
	exit->kind = HV_EXIT_NONE;
}

static void exit_gp(struct vmx_vcpu *v, struct hv_exit *exit)
{
	hv_vcpu_queue_exception(&v->vcpu, X86_TRAP_GP, true, 0);
	exit->kind = HV_EXIT_NONE;
}

/*
 * SDM Vol. 3C, Table 28-2: the new TSS's selector and what caused the
 * switch. An event that switched through a task gate is delivered by the
 * switch itself: requeue_event() must not deliver it again. An
 * instruction that switched (CALL, JMP, IRET, INT n) is stepped over in
 * the old task's saved EIP; an exception or interrupt is not.
 */
static void exit_task_switch(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION);
	u32 info = vmcs_read(IDT_VECTORING_INFO_FIELD);
	u32 type = (info & VECTORING_INFO_TYPE_MASK) >> 8;
	struct hv_event *e = &v->vcpu.event;
	bool step = true;

	exit->kind = HV_EXIT_TASK_SWITCH;
	exit->task.selector = q;
	exit->task.source = (q >> 30) & 3;
	exit->task.has_error = false;
	if (exit->task.source == HV_TASK_GATE &&
	    (info & VECTORING_INFO_VALID_MASK)) {
		step = type >= HV_EVENT_TYPE_SOFT_INTR;
		if (type == HV_EVENT_TYPE_EXCEPTION && e->valid) {
			exit->task.has_error = e->has_error;
			exit->task.error_code = e->error_code;
		}
		e->valid = false;
	}
	exit->next_rip = v->vcpu.rip +
			 (step ? vmcs_read(VM_EXIT_INSTRUCTION_LEN) : 0);
	exit->next_rip_known = true;
}

static void exit_invd(struct vmx_vcpu *v, struct hv_exit *exit)
{
	exit->kind = HV_EXIT_INVD;
	next_rip(v, exit);
}

static void load_pdptrs(struct vmx_vcpu *v, u64 cr3);

static void set_ia32e(bool on)
{
	u32 entry = vmcs_read(VM_ENTRY_CONTROLS);

	vmcs_write(VM_ENTRY_CONTROLS, on ? entry | VM_ENTRY_IA32E_MODE :
					   entry & ~VM_ENTRY_IA32E_MODE);
}

/*
 * MOV to CR0 that changed a bit the CPU forces (CR0.NE): the checks of
 * SDM Vol. 3A, 2.5 and 10.8.5, and the long-mode switch the CPU would
 * have made.
 */
static bool guest_write_cr0(struct vmx_vcpu *v, u64 val)
{
	u64 old = guest_cr(GUEST_CR0, CR0_READ_SHADOW, vmx_config.cr0_fixed0);
	u64 efer = vmcs_read(GUEST_IA32_EFER);
	bool pg = val & X86_CR0_PG;

	if (!(efer & EFER_LMA))
		val = (u32)val;
	if (val >> 32 || ((val & X86_CR0_NW) && !(val & X86_CR0_CD)) ||
	    (pg && !(val & X86_CR0_PE)))
		return false;
	if (pg && !(old & X86_CR0_PG) && (efer & EFER_LME)) {
		if (!(vmcs_read(GUEST_CR4) & X86_CR4_PAE))
			return false;
		efer |= EFER_LMA;
	} else if (!pg && (old & X86_CR0_PG)) {
		efer &= ~EFER_LMA;
	}
	vmcs_write(GUEST_IA32_EFER, efer);
	set_ia32e(efer & EFER_LMA);
	vmcs_write(CR0_READ_SHADOW, val);
	vmcs_write(GUEST_CR0, val | vmx_config.cr0_fixed0);
	if (pg && !(efer & EFER_LMA) && (vmcs_read(GUEST_CR4) & X86_CR4_PAE))
		load_pdptrs(v, vmcs_read(GUEST_CR3));
	return true;
}

/* Translations MOV to CR4 invalidates when these change (4.10.4.1). */
#define CR4_TLB_BITS	(X86_CR4_PGE | X86_CR4_PAE | X86_CR4_PSE | \
			 X86_CR4_PCIDE | X86_CR4_SMEP | X86_CR4_SMAP)

static void vmx_set_cr4(struct hv_vcpu *vcpu, u64 cr4)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	u64 old = guest_cr(GUEST_CR4, CR4_READ_SHADOW, v->cr4_mask);
	u64 cr0 = guest_cr(GUEST_CR0, CR0_READ_SHADOW, vmx_config.cr0_fixed0);

	vmcs_write(CR4_READ_SHADOW, cr4);
	vmcs_write(GUEST_CR4, cr4 | vmx_config.cr4_fixed0);
	if (!((old ^ cr4) & CR4_TLB_BITS))
		return;
	if (v->vpid)
		vmx_invvpid(VMX_VPID_EXTENT_SINGLE_CONTEXT, v->vpid);
	/* PAE paging reloads its PDPTEs on such a write (4.4.1). */
	if ((cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) &&
	    !(vmcs_read(GUEST_IA32_EFER) & EFER_LMA))
		load_pdptrs(v, vmcs_read(GUEST_CR3));
}

/* SDM Vol. 3C, Table 28-3: control-register access exit qualification. */
static void exit_cr(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u64 q = vmcs_read(EXIT_QUALIFICATION);
	unsigned int cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	u64 *gpr = &v->vcpu.gpr[reg];
	bool ok = true;

	if (type == 0 && cr == 4) {
		exit->kind = HV_EXIT_CR_WRITE;
		exit->cr.cr = 4;
		exit->cr.gpr = reg;
		next_rip(v, exit);
		return;
	}
	exit->kind = HV_EXIT_NONE;
	if (type == 0 && cr == 0)
		ok = guest_write_cr0(v, *gpr);
	else if (type == 0 && cr == 8 && !(*gpr >> 4))
		hv_lapic_set_cr8(&v->vcpu, *gpr);
	else if (type == 1 && cr == 8)
		*gpr = hv_lapic_get_cr8(&v->vcpu);
	else
		ok = false;
	if (!ok && type > 1) {
		exit->kind = HV_EXIT_UNHANDLED;
		exit->detail = q;
		return;
	}
	if (!ok) {
		hv_vcpu_queue_exception(&v->vcpu, X86_TRAP_GP, true, 0);
		return;
	}
	skip_insn(v);
}

static const vmx_exit_fn exit_handlers[] = {
	[EXIT_REASON_EXCEPTION_NMI]		= exit_exception_nmi,
	[EXIT_REASON_EXTERNAL_INTERRUPT]	= exit_interrupt,
	[EXIT_REASON_TRIPLE_FAULT]		= exit_shutdown,
	[EXIT_REASON_TASK_SWITCH]		= exit_task_switch,
	[EXIT_REASON_INTERRUPT_WINDOW]		= exit_irq_window,
	[EXIT_REASON_NMI_WINDOW]		= exit_nmi_window,
	[EXIT_REASON_CPUID]			= exit_cpuid,
	[EXIT_REASON_GETSEC]			= exit_ud,
	[EXIT_REASON_HLT]			= exit_hlt,
	[EXIT_REASON_INVD]			= exit_invd,
	[EXIT_REASON_RDPMC]			= exit_gp,
	[EXIT_REASON_VMCALL]			= exit_ud,
	[EXIT_REASON_VMCLEAR]			= exit_ud,
	[EXIT_REASON_VMLAUNCH]			= exit_ud,
	[EXIT_REASON_VMPTRLD]			= exit_ud,
	[EXIT_REASON_VMPTRST]			= exit_ud,
	[EXIT_REASON_VMREAD]			= exit_ud,
	[EXIT_REASON_VMRESUME]			= exit_ud,
	[EXIT_REASON_VMWRITE]			= exit_ud,
	[EXIT_REASON_VMOFF]			= exit_ud,
	[EXIT_REASON_VMON]			= exit_ud,
	[EXIT_REASON_CR_ACCESS]			= exit_cr,
	[EXIT_REASON_IO_INSTRUCTION]		= exit_io,
	[EXIT_REASON_MSR_READ]			= exit_rdmsr,
	[EXIT_REASON_MSR_WRITE]			= exit_wrmsr,
	[EXIT_REASON_MWAIT_INSTRUCTION]		= exit_ud,
	[EXIT_REASON_MONITOR_INSTRUCTION]	= exit_ud,
	[EXIT_REASON_EPT_VIOLATION]		= exit_ept_violation,
	[EXIT_REASON_INVEPT]			= exit_ud,
	[EXIT_REASON_WBINVD]			= exit_invd,
	[EXIT_REASON_XSETBV]			= exit_ud,
	[EXIT_REASON_EOI_INDUCED]		= exit_eoi_induced,
	[EXIT_REASON_APIC_ACCESS]		= exit_apic_access,
	[EXIT_REASON_APIC_WRITE]		= exit_apic_write,
	[EXIT_REASON_PREEMPTION_TIMER]		= exit_preemption_timer,
	[EXIT_REASON_INVVPID]			= exit_ud,
	[EXIT_REASON_VMFUNC]			= exit_ud,
	[EXIT_REASON_PML_FULL]			= exit_pml_full,
};

static void translate_exit(struct vmx_vcpu *v, struct hv_exit *exit)
{
	u32 reason = vmcs_read(VM_EXIT_REASON);
	u16 basic = reason;

	exit->hw_reason = reason;
	exit->detail = 0;
	exit->next_rip_known = false;
	/* SDM Vol. 3C, 27.8: a failed entry reports its reason with bit 31. */
	if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
		exit->kind = HV_EXIT_INVALID_STATE;
		exit->detail = vmcs_read(EXIT_QUALIFICATION);
	} else if (basic < ARRAY_SIZE(exit_handlers) && exit_handlers[basic]) {
		exit_handlers[basic](v, exit);
	} else {
		exit->kind = HV_EXIT_UNHANDLED;
		exit->detail = vmcs_read(EXIT_QUALIFICATION);
	}
}

/*
 * Hand the page-modification log to the core and empty it. The CPU logs
 * at the index and counts down; the index wraps past 0 to 0xffff when the
 * log is full (SDM Vol. 3C, 29.3.6). Done at every exit, before any host
 * interrupt handler runs, so that a get-and-clear that waited for this
 * vCPU to leave guest mode finds every page logged until then.
 */
static void pml_drain(struct vmx_vcpu *v)
{
	u16 index = vmcs_read(GUEST_PML_INDEX);
	unsigned int first;

	if (index == PML_ENTRIES - 1)
		return;
	first = index >= PML_ENTRIES ? 0 : index + 1;
	hv_dirty_log_gpas(v->vcpu.vm, v->pml + first, PML_ENTRIES - first);
	vmcs_write(GUEST_PML_INDEX, PML_ENTRIES - 1);
}

/*
 * hv finished an instruction for the guest: the STI or MOV SS shadow it
 * sat in ends (SDM Vol. 3A, 6.8.3), RF clears as after any instruction
 * that completes (Vol. 3B, 18.3.1.1), and with RFLAGS.TF set its
 * single-step trap is due (18.3.1.4), which the CPU delivers after entry
 * as a pending debug exception (Vol. 3C, 27.7.3).
 */
static void instruction_done(struct vmx_vcpu *v)
{
	u32 intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO);
	u64 rflags;

	vmcs_write(GUEST_RIP, v->vcpu.rip);
	v->rip = v->vcpu.rip;
	if (intr & (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS))
		vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~(GUEST_INTR_STATE_STI |
				    GUEST_INTR_STATE_MOV_SS));
	rflags = vmcs_read(GUEST_RFLAGS);
	if (rflags & X86_EFLAGS_RF)
		vmcs_write(GUEST_RFLAGS, rflags & ~X86_EFLAGS_RF);
	if (rflags & X86_EFLAGS_TF)
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, HV_DR6_BS);
}

static void vmx_vcpu_run(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	int cpu = smp_processor_id();
	int failed;

	invalidate(v, cpu);
	if (vcpu->rip != v->rip)
		instruction_done(v);
	v->injected = inject_event(v);
	if (hv_apicv != HV_APICV_OFF)
		v->entry_svi = vmcs_read(GUEST_INTR_STATUS) >> 8;
	if (vmx_config.pin & PIN_BASED_VMX_PREEMPTION_TIMER)
		load_preemption_timer(v);
	if (vcpu->gpr[HV_RSP] != v->rsp)
		vmcs_write(GUEST_RSP, vcpu->gpr[HV_RSP]);
	/* CR2 is not part of the VMCS; the host does not fault in here. */
	if (native_read_cr2() != v->cr2)
		native_write_cr2(v->cr2);
	l1d_flush(v);

	failed = __hv_vmx_run(vcpu->gpr, v->launched, &v->host_rsp);

	v->cr2 = native_read_cr2();
	if (failed) {
		exit->kind = HV_EXIT_INVALID_STATE;
		exit->vectoring = false;
		exit->hw_reason = 0;
		exit->next_rip_known = false;
		exit->detail = vmcs_read(VM_INSTRUCTION_ERROR);
		return;
	}
	v->launched = true;
	v->rip = vmcs_read(GUEST_RIP);
	v->rsp = vmcs_read(GUEST_RSP);
	vcpu->rip = v->rip;
	vcpu->gpr[HV_RSP] = v->rsp;
	if (v->pml)
		pml_drain(v);
	exit->vectoring = requeue_event(v);
	translate_exit(v, exit);
}

/* ---- architectural state ------------------------------------------------------ */

/* SDM Vol. 3A, 4.4.1: PAE paging loads four PDPTEs at CR3 into the CPU. */
static void load_pdptrs(struct vmx_vcpu *v, u64 cr3)
{
	u64 pdpte[4] = {};
	int i;

	/* Unreadable PDPTEs load as not present: the guest faults on use. */
	if (hv_mem_read(v->vcpu.vm, cr3 & ~0x1fULL, pdpte, sizeof(pdpte)))
		memset(pdpte, 0, sizeof(pdpte));
	for (i = 0; i < 4; i++)
		vmcs_write(GUEST_PDPTR0 + 2 * i, pdpte[i]);
}

static void code_regs(struct vmx_vcpu *v, struct hv_regs *r)
{
	r->rflags = vmcs_read(GUEST_RFLAGS);
	r->cr0 = guest_cr(GUEST_CR0, CR0_READ_SHADOW, vmx_config.cr0_fixed0);
	r->cr3 = vmcs_read(GUEST_CR3);
	r->cr4 = guest_cr(GUEST_CR4, CR4_READ_SHADOW, v->cr4_mask);
	r->efer = vmcs_read(GUEST_IA32_EFER);
	seg_get(SEG_CS, &r->cs);
}

static void vmx_get_code_regs(struct hv_vcpu *vcpu, struct hv_regs *r)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	bool borrowed = vmcs_borrow(v);

	code_regs(v, r);
	vmcs_unborrow(v, borrowed);
}

static u64 guest_msr(struct vmx_vcpu *v, enum vmx_guest_msr i)
{
	u64 val;

	if (READ_ONCE(v->current_cpu) < 0)
		return v->msr[i];
	rdmsrl(guest_msr_index[i], val);
	return val;
}

static void set_guest_msr(struct vmx_vcpu *v, enum vmx_guest_msr i, u64 val)
{
	if (READ_ONCE(v->current_cpu) < 0)
		v->msr[i] = val;
	else
		wrmsrl(guest_msr_index[i], val);
}

static void vmx_get_regs(struct hv_vcpu *vcpu, struct hv_regs *r)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	bool borrowed = vmcs_borrow(v);

	code_regs(v, r);
	r->gpr[HV_RSP] = vcpu->gpr[HV_RSP];
	r->cr2 = v->cr2;
	memcpy(r->dr, v->dr, sizeof(r->dr));
	r->dr6 = v->dr[4];
	r->dr7 = vmcs_read(GUEST_DR7);
	seg_get(SEG_DS, &r->ds);
	seg_get(SEG_ES, &r->es);
	seg_get(SEG_FS, &r->fs);
	seg_get(SEG_GS, &r->gs);
	seg_get(SEG_SS, &r->ss);
	seg_get(SEG_TR, &r->tr);
	seg_get(SEG_LDTR, &r->ldtr);
	r->gdtr.base = vmcs_read(GUEST_GDTR_BASE);
	r->gdtr.limit = vmcs_read(GUEST_GDTR_LIMIT);
	r->idtr.base = vmcs_read(GUEST_IDTR_BASE);
	r->idtr.limit = vmcs_read(GUEST_IDTR_LIMIT);
	r->star = guest_msr(v, VMX_MSR_STAR);
	r->lstar = guest_msr(v, VMX_MSR_LSTAR);
	r->cstar = guest_msr(v, VMX_MSR_CSTAR);
	r->sfmask = guest_msr(v, VMX_MSR_SFMASK);
	r->kernel_gs_base = guest_msr(v, VMX_MSR_KERNEL_GS_BASE);
	r->sysenter_cs = vmcs_read(GUEST_SYSENTER_CS);
	r->sysenter_esp = vmcs_read(GUEST_SYSENTER_ESP);
	r->sysenter_eip = vmcs_read(GUEST_SYSENTER_EIP);
	r->pat = vmcs_read(GUEST_IA32_PAT);
	r->tsc = rdtsc() + vmcs_read(TSC_OFFSET);
	r->int_shadow = vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
			(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	vmcs_unborrow(v, borrowed);
}

static int vmx_set_regs(struct hv_vcpu *vcpu, const struct hv_regs *r,
			const char **why)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	bool borrowed;
	u32 intr;

	*why = hv_regs_check(r);
	if (!*why && r->cr4 & ~vmx_config.cr4_fixed1)
		*why = "cr4 has bits set this CPU does not support";
	if (*why)
		return -EINVAL;
	borrowed = vmcs_borrow(v);
	/* A new RIP, not one hv moved past an instruction. */
	vmcs_write(GUEST_RIP, r->rip);
	v->rip = r->rip;
	vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write(GUEST_RFLAGS, r->rflags | X86_EFLAGS_FIXED);
	vmcs_write(CR0_READ_SHADOW, r->cr0);
	vmcs_write(GUEST_CR0, r->cr0 | vmx_config.cr0_fixed0);
	vmcs_write(GUEST_CR3, r->cr3);
	vmcs_write(CR4_READ_SHADOW, r->cr4);
	vmcs_write(GUEST_CR4, r->cr4 | vmx_config.cr4_fixed0);
	vmcs_write(GUEST_IA32_EFER, r->efer);
	set_ia32e(r->efer & EFER_LMA);
	if ((r->cr0 & X86_CR0_PG) && (r->cr4 & X86_CR4_PAE) &&
	    !(r->efer & EFER_LMA))
		load_pdptrs(v, r->cr3);
	v->cr2 = r->cr2;
	memcpy(v->dr, r->dr, sizeof(r->dr));
	v->dr[4] = r->dr6 | DR6_RESERVED;
	vmcs_write(GUEST_DR7, r->dr7 | HV_DR7_FIXED);
	seg_set(SEG_CS, &r->cs);
	seg_set(SEG_DS, &r->ds);
	seg_set(SEG_ES, &r->es);
	seg_set(SEG_FS, &r->fs);
	seg_set(SEG_GS, &r->gs);
	seg_set(SEG_SS, &r->ss);
	seg_set(SEG_TR, &r->tr);
	seg_set(SEG_LDTR, &r->ldtr);
	vmcs_write(GUEST_GDTR_BASE, r->gdtr.base);
	vmcs_write(GUEST_GDTR_LIMIT, r->gdtr.limit);
	vmcs_write(GUEST_IDTR_BASE, r->idtr.base);
	vmcs_write(GUEST_IDTR_LIMIT, r->idtr.limit);
	set_guest_msr(v, VMX_MSR_STAR, r->star);
	set_guest_msr(v, VMX_MSR_LSTAR, r->lstar);
	set_guest_msr(v, VMX_MSR_CSTAR, r->cstar);
	set_guest_msr(v, VMX_MSR_SFMASK, r->sfmask);
	set_guest_msr(v, VMX_MSR_KERNEL_GS_BASE, r->kernel_gs_base);
	vmcs_write(GUEST_SYSENTER_CS, r->sysenter_cs);
	vmcs_write(GUEST_SYSENTER_ESP, r->sysenter_esp);
	vmcs_write(GUEST_SYSENTER_EIP, r->sysenter_eip);
	vmcs_write(GUEST_IA32_PAT, r->pat);
	vmcs_write(TSC_OFFSET, r->tsc - rdtsc());
	intr = vmcs_read(GUEST_INTERRUPTIBILITY_INFO) &
	       ~(GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	vmcs_write(GUEST_INTERRUPTIBILITY_INFO,
		   intr | (r->int_shadow ? GUEST_INTR_STATE_STI : 0));
	/* The single step the shadow delays stays due (27.3.1.5). */
	if (r->int_shadow && (r->rflags & X86_EFLAGS_TF))
		vmcs_write(GUEST_PENDING_DBG_EXCEPTIONS, HV_DR6_BS);
	vmcs_unborrow(v, borrowed);
	return 0;
}

static u64 vmx_get_rflags(struct hv_vcpu *vcpu)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	bool borrowed = vmcs_borrow(v);
	u64 rflags = vmcs_read(GUEST_RFLAGS);

	vmcs_unborrow(v, borrowed);
	return rflags;
}

static void vmx_set_rflags(struct hv_vcpu *vcpu, u64 rflags)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	bool borrowed = vmcs_borrow(v);

	vmcs_write(GUEST_RFLAGS, rflags | X86_EFLAGS_FIXED);
	vmcs_unborrow(v, borrowed);
}

static int msr_field(u32 index, unsigned long *field)
{
	switch (index) {
	case MSR_IA32_CR_PAT:
		*field = GUEST_IA32_PAT;
		return 0;
	case MSR_IA32_SYSENTER_CS:
		*field = GUEST_SYSENTER_CS;
		return 0;
	case MSR_IA32_SYSENTER_ESP:
		*field = GUEST_SYSENTER_ESP;
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		*field = GUEST_SYSENTER_EIP;
		return 0;
	default:
		return -ENOENT;
	}
}

static int guest_msr_slot(u32 index)
{
	int i;

	for (i = 0; i < VMX_NR_GUEST_MSRS; i++)
		if (guest_msr_index[i] == index)
			return i;
	return -ENOENT;
}

static int vmx_get_msr(struct hv_vcpu *vcpu, u32 index, u64 *value)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	unsigned long field;
	bool borrowed;
	int slot;

	slot = guest_msr_slot(index);
	if (slot >= 0) {
		*value = guest_msr(v, slot);
		return 0;
	}
	if (index != MSR_EFER && index != MSR_IA32_TSC &&
	    msr_field(index, &field))
		return -ENOENT;
	borrowed = vmcs_borrow(v);
	if (index == MSR_EFER)
		*value = vmcs_read(GUEST_IA32_EFER);
	else if (index == MSR_IA32_TSC)
		*value = rdtsc() + vmcs_read(TSC_OFFSET);
	else
		*value = vmcs_read(field);
	vmcs_unborrow(v, borrowed);
	return 0;
}

static int vmx_set_msr(struct hv_vcpu *vcpu, u32 index, u64 value)
{
	struct vmx_vcpu *v = to_vmx(vcpu);
	unsigned long field = 0;
	bool borrowed;
	int slot, err = 0;
	u64 efer;

	slot = guest_msr_slot(index);
	if (slot >= 0) {
		/* WRMSR of a non-canonical address faults (SDM Vol. 4). */
		if (slot != VMX_MSR_STAR && slot != VMX_MSR_SFMASK &&
		    !hv_canonical(value))
			return -EINVAL;
		set_guest_msr(v, slot, value);
		return 0;
	}
	if (index != MSR_EFER && index != MSR_IA32_TSC &&
	    msr_field(index, &field))
		return -ENOENT;
	if (index == MSR_IA32_CR_PAT && !hv_pat_valid(value))
		return -EINVAL;
	borrowed = vmcs_borrow(v);
	switch (index) {
	case MSR_EFER:
		if (hv_efer_write(vmcs_read(GUEST_IA32_EFER),
				  vmcs_read(GUEST_CR0), value, &efer))
			vmcs_write(GUEST_IA32_EFER, efer);
		else
			err = -EINVAL;
		break;
	case MSR_IA32_TSC:
		vmcs_write(TSC_OFFSET, value - rdtsc());
		break;
	default:
		vmcs_write(field, value);
	}
	vmcs_unborrow(v, borrowed);
	return err;
}

static int vmx_setup_backend(void)
{
	int err = vmx_setup_all();

	if (!err && vmx_config.ept_ad) {
		vmx_ept.accessed = VMX_EPT_ACCESS_BIT;
		vmx_ept.dirty = VMX_EPT_DIRTY_BIT;
	}
	if (!err && vmx_config.pml)
		vmx_ept.log_method = "pml";

	if (!err && l1d_flush_alloc())
		pr_warn("no memory for the software L1D flush buffer; it is skipped\n");
	return err;
}

static void vmx_unsetup_backend(void)
{
	if (l1d_flush_pages)
		free_pages((unsigned long)l1d_flush_pages,
			   get_order(L1D_FLUSH_SIZE));
	l1d_flush_pages = NULL;
	vmx_unsetup_all();
}

const struct hv_backend_ops hv_vmx_ops = {
	.name		= "vmx",
	.id		= HV_BACKEND_VMX,
	.vm_size	= sizeof(struct vmx_vm),
	.vcpu_size	= sizeof(struct vmx_vcpu),
	.npt		= &vmx_ept,
	.probe		= vmx_probe,
	.setup		= vmx_setup_backend,
	.unsetup	= vmx_unsetup_backend,
	.hw_enable	= vmx_hw_enable,
	.hw_disable	= vmx_hw_disable,
	.busy_reason	= vmx_busy_reason,
	.vm_init	= vmx_vm_init,
	.vm_destroy	= vmx_vm_destroy,
	.vcpu_create	= vmx_vcpu_create,
	.vcpu_free	= vmx_vcpu_free,
	.vcpu_load	= vmx_vcpu_load,
	.vcpu_put	= vmx_vcpu_put,
	.intr_allowed	= vmx_intr_allowed,
	.intr_window	= vmx_intr_window,
	.nmi_allowed	= vmx_nmi_allowed,
	.nmi_window	= vmx_nmi_window,
	.apicv_mode	= vmx_apicv_mode,
	.apicv_load	= vmx_apicv_load,
	.posted_notify	= vmx_posted_notify,
	.tsc_timer	= vmx_tsc_timer,
	.vcpu_run	= vmx_vcpu_run,
	.get_regs	= vmx_get_regs,
	.get_code_regs	= vmx_get_code_regs,
	.set_regs	= vmx_set_regs,
	.get_rflags	= vmx_get_rflags,
	.set_rflags	= vmx_set_rflags,
	.get_msr	= vmx_get_msr,
	.set_msr	= vmx_set_msr,
	.set_cr4	= vmx_set_cr4,
	.set_cr2	= vmx_set_cr2,
	.flush_tlb	= vmx_flush_tlb,
};
