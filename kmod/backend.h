/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the hv core and a vendor backend (kmod/vmx/ or
 * kmod/svm/). The core reaches a backend only through one
 * struct hv_backend_ops, picked once at module load by probing VMX, then
 * SVM; the backends never include each other and the core never includes
 * either. A backend embeds struct hv_vm and struct hv_vcpu first in its own
 * structures (vm_size, vcpu_size bytes) and recovers them with
 * container_of().
 */
#ifndef HV_BACKEND_H
#define HV_BACKEND_H

#include <linux/types.h>

#include "uapi/hv.h"

struct hv_vm;
struct hv_vcpu;
struct hv_regs;
struct hv_exit;

/**
 * struct hv_caps - what the hardware offers, as found by a backend's probe
 * @features: HV_CAP_* bits
 * @tlb_tags: number of VPIDs or ASIDs guests may use (0 if untagged)
 * @hw_revision: VMCS revision identifier (VMX) or SVM revision (SVM)
 * @no_invpcid: INVPCID raises #UD in guests (VMX without the "enable
 *	INVPCID" control), so CPUID must not offer it
 */
struct hv_caps {
	u64 features;
	u32 tlb_tags;
	u32 hw_revision;
	bool no_invpcid;
};

/**
 * struct hv_npt_format - the backend's nested page-table entry format
 *
 * The core builds and walks 4-level nested page tables (NPT or EPT) with
 * these helpers and bit masks; it never interprets an entry's bits
 * otherwise. Dirty logging uses the hardware's accessed and dirty bits
 * where the CPU sets them, and otherwise emulates them in the manner of
 * bhyve: two bits the hardware ignores record the state, and the access
 * rights are taken away so that the next access faults.
 *
 * @leaf: a 4 KiB leaf mapping @pa, writable or not, always executable,
 *	with neither accessed nor dirty set
 * @table: a non-leaf entry pointing at the table page @pa
 * @present: whether an entry maps or points at anything
 * @addr: the physical address an entry points at
 * @accessed: the leaf's accessed bit, which the CPU sets on any access
 *	through it; 0 if this CPU sets no accessed and dirty bits
 * @dirty: the leaf's dirty bit, which the CPU sets on a write through it
 * @write: the access right that allows writes
 * @access: the access rights whose removal makes every access fault
 * @soft_accessed: a bit the hardware ignores in a leaf, for emulation
 * @soft_dirty: another, likewise
 * @hw_method: the name of the hardware method ("ept-ad", "npt-ad")
 * @log_method: the name of the CPU's log of the pages whose dirty bit it
 *	sets ("pml"), or NULL if it keeps none; with it, the backend hands
 *	each logged address to hv_dirty_log_gpas() before the vCPU's exit
 *	returns to the core, and before it runs any host interrupt handler
 */
struct hv_npt_format {
	u64 (*leaf)(phys_addr_t pa, bool writable);
	u64 (*table)(phys_addr_t pa);
	bool (*present)(u64 entry);
	phys_addr_t (*addr)(u64 entry);
	u64 accessed;
	u64 dirty;
	u64 write;
	u64 access;
	u64 soft_accessed;
	u64 soft_dirty;
	const char *hw_method;
	const char *log_method;
};

/**
 * enum hv_apicv - how much of the local APIC the CPU virtualizes
 * @HV_APICV_OFF: none: every APIC access exits to hv, which injects
 *	each interrupt itself
 * @HV_APICV_VID: the CPU uses the APIC's register page as its virtual-APIC
 *	page: TPR and CR8, EOI and self IPIs (x2APIC), register reads
 *	(x2APIC) and interrupt delivery need no exit (VMX TPR shadow,
 *	virtualize x2APIC mode, APIC-register virtualization and
 *	virtual-interrupt delivery); interrupts from elsewhere are posted to
 *	the vCPU's descriptor and moved into IRR by the vCPU before entry
 * @HV_APICV_POSTED: as @HV_APICV_VID, and the CPU processes posted
 *	interrupts: a vCPU in guest mode takes them without an exit
 */
enum hv_apicv {
	HV_APICV_OFF,
	HV_APICV_VID,
	HV_APICV_POSTED,
};

/**
 * struct hv_apicv_state - what the CPU must know of a vCPU's APIC at entry
 * @rvi: the requesting virtual interrupt, the highest vector in IRR; 0
 *	if none (or the APIC is disabled: nothing is delivered)
 * @svi: the servicing virtual interrupt, the highest vector in ISR, or 0
 * @x2apic: the APIC is in x2APIC mode, whose MSRs the CPU then virtualizes
 * @xapic_page: the APIC is an xAPIC whose accesses to the VM's APIC-access
 *	page (&hv_vm.apic_page) the CPU virtualizes
 * @eoi_exit: the vectors whose EOI exits for hv (the level-triggered
 *	ones, TMR), 256 bits
 */
struct hv_apicv_state {
	u8 rvi;
	u8 svi;
	bool x2apic;
	bool xapic_page;
	u64 eoi_exit[4];
};

/**
 * struct hv_backend_ops - a hardware virtualization backend
 * @name: short lowercase name used in logs ("vmx", "svm")
 * @id: the HV_BACKEND_* value reported through the family
 * @vm_size: bytes to allocate for a VM (struct hv_vm first)
 * @vcpu_size: bytes to allocate for a vCPU (struct hv_vcpu first)
 * @npt: the nested page-table format
 *
 * @probe: decide whether every online CPU can run hv with this backend and
 *	fill @caps. Called once from module init, in process context; may
 *	sleep; takes the CPU hotplug read lock itself and runs code on each
 *	online CPU with interrupts off to read CPUID and MSRs. It must not
 *	change any hardware state: in particular it does not switch VMX or
 *	SVM on. On refusal it sets @why to a static lowercase sentence naming
 *	the cause (and the remedy when there is one), unless the CPU simply
 *	lacks the extension, in which case @why is left NULL.
 *	Returns 0 if usable; -ENODEV if the CPU lacks the extension or cannot
 *	run hv with it; -ENOMEM if memory for the per-CPU comparison could not
 *	be allocated.
 * @setup: optional; allocate module-wide state after a successful probe
 *	(per-CPU areas, permission bitmaps). Process context, may sleep, no
 *	locks. Returns 0 or -ENOMEM.
 * @unsetup: optional; free what @setup allocated; called at module exit, after
 *	@hw_disable ran on every CPU. Process context.
 * @hw_enable: switch virtualization on for the calling CPU. Called from
 *	the CPU-hotplug online callback of the CPU itself (may sleep, but
 *	stays on that CPU) when the first VM is created and for CPUs that
 *	come online while VMs exist. Returns 0; -EBUSY if another hypervisor
 *	already owns the extension on this CPU (@why names the cause and the
 *	remedy in the log); -EIO if the hardware refused.
 * @busy_reason: optional; when @hw_enable returned -EBUSY, a static
 *	sentence naming the likely owner of the extension and the remedy.
 *	Any context.
 * @hw_disable: switch virtualization off for the calling CPU (hotplug
 *	teardown when the last VM goes, CPU offline); also called from the
 *	emergency reboot/crash path with interrupts off, so it must not sleep
 *	or take locks, and must tolerate virtualization being off already.
 *
 * @vm_init: optional; set up the backend's part of a new VM (the core has
 *	set up the nested page-table root in vm->npt). Process context, may
 *	sleep, VM not visible yet. Returns 0 or -ENOMEM.
 * @vm_destroy: free the backend's part of a VM; all its vCPUs are freed.
 *	Optional. Process context.
 *
 * @vcpu_create: set up a new vCPU in the architectural RESET state
 *	(real mode at F000:FFF0 as after INIT, SDM Vol. 3A 10.1.1).
 *	Process context, may sleep, vm->lock held. Returns 0 or -ENOMEM.
 * @vcpu_free: free what @vcpu_create allocated; the vCPU's thread is gone.
 *	Process context.
 * @vcpu_load: the vCPU is about to run on the current CPU. Preemption is
 *	off and stays off until @vcpu_put; the guest FPU state is loaded.
 *	Must flush TLB state if the vCPU last ran elsewhere.
 * @vcpu_put: the vCPU stops running on the current CPU. Preemption off.
 * @vcpu_run: enter the guest once and describe the exit in @exit.
 *	Called between @vcpu_load and @vcpu_put, interrupts off; returns with
 *	interrupts off (host interrupts that caused the exit are taken when
 *	the core enables them). Injects vcpu->event if valid and clears it;
 *	puts back an event whose delivery the exit interrupted. Reads and
 *	updates vcpu->gpr[] and vcpu->rip. Never fails: a failed entry is an
 *	exit of kind HV_EXIT_INVALID_STATE.
 * @get_regs: read the whole architectural state into @regs (GPRs and RIP
 *	come from the core's copy). The vCPU is not running. May be called
 *	from the vCPU thread or, with the vCPU parked, from a netlink handler.
 * @get_code_regs: read only what locating guest code needs into @regs:
 *	RFLAGS, CR0, CR3, CR4, EFER and CS; the rest is left as it was.
 *	Optional (the core falls back to @get_regs); same context as
 *	@get_regs, and cheap enough for the exit fast path.
 * @set_regs: load the whole architectural state. Same context as
 *	@get_regs. Returns 0; -EINVAL with @why set if a value is one the
 *	hardware would refuse (reserved bits, inconsistent modes).
 * @get_rflags: RFLAGS of a vCPU that is not in guest mode.
 * @set_rflags: change RFLAGS of a vCPU that is not in guest mode.
 * @get_msr: read an MSR the backend keeps for the guest (EFER, PAT, the
 *	SYSCALL/SYSENTER MSRs, KERNEL_GS_BASE, TSC). The vCPU thread, guest
 *	not running. Returns 0, or -ENOENT for an MSR it does not keep.
 * @set_msr: write such an MSR. Returns 0; -ENOENT as for @get_msr;
 *	-EINVAL if the value is one the CPU would refuse with #GP.
 * @set_cr4: load a CR4 value the core checked (hv_cr4_write_ok()) as if
 *	the guest's MOV to CR4 had succeeded, dropping the cached
 *	translations that change invalidates (SDM Vol. 3A, 4.10.4.1). The
 *	vCPU thread, between @vcpu_load and @vcpu_put, preemption off.
 * @set_cr2: load CR2 for a page fault the core injects. The vCPU thread,
 *	outside the guest.
 * @flush_tlb: drop the guest's cached translations on the next entry
 *	(after nested page-table entries were zapped). Called from the vCPU
 *	thread, outside the guest, preemption off. A backend that follows
 *	vm->npt.gen instead (invalidating once per VM and CPU) may do
 *	nothing here.
 *
 * Interrupts: the core's local APIC decides which vector is due and
 * when; the backend says whether the guest can take one and opens a
 * window when it cannot.
 *
 * @intr_allowed: whether the guest can take an external interrupt at
 *	the next entry: RFLAGS.IF set and no STI or MOV SS shadow (SDM Vol.
 *	3A, 6.8.3; APM Vol. 2, 15.21). The vCPU thread, between @vcpu_load
 *	and @vcpu_run, interrupts off.
 * @intr_window: exit (with an exit of kind HV_EXIT_NONE) as soon as the
 *	guest can take an external interrupt: VMX interrupt-window exiting,
 *	SVM's VINTR intercept. Cleared by that exit. Same context.
 * @nmi_allowed: whether an NMI injected at the next entry is delivered:
 *	no STI or MOV SS shadow and NMIs not blocked by an NMI handler that
 *	has not executed IRET yet (SDM Vol. 3A, 6.7.1; 26.3.1.5). Same
 *	context as @intr_allowed.
 * @nmi_window: exit (HV_EXIT_NONE) as soon as an NMI can be injected:
 *	VMX NMI-window exiting (with virtual NMIs), SVM's IRET intercept and
 *	then an interrupt window. Same context.
 * @tpr_window: optional; a vector waits for TPR to fall: where CR8
 *	writes do not exit by themselves (SVM, V_TPR), make them exit
 *	(HV_EXIT_CR_WRITE) until the next such exit. Where every
 *	CR8 and TPR write exits (VMX without a TPR shadow), none. Same
 *	context.
 *
 * The CPU's own virtualization of the APIC (hv_apicv), where it has it:
 *
 * @apicv_mode: optional; after @setup, once: how much of the APIC the CPU
 *	can virtualize; @why names what it lacks when not all. Absent: none.
 * @apicv_load: with hv_apicv not off, before an entry after the APIC
 *	changed: load @s (interrupt status, EOI-exit bitmap, x2APIC mode).
 *	The vCPU thread, loaded, interrupts off. An EOI of a vector in
 *	@s->eoi_exit calls hv_lapic_eoi_exit() from @vcpu_run's exit.
 * @posted_notify: with hv_apicv HV_APICV_POSTED: send @cpu, on which
 *	@vcpu is in guest mode, the notification vector. Any context.
 * @tsc_timer: optional; after @setup, once: whether @vcpu_run can end
 *	the guest's run when the host TSC reaches &hv_vcpu.timer_tsc (the
 *	VMX-preemption timer) and then report HV_EXIT_TIMER, so that the
 *	APIC timer of a vCPU in the guest needs no host interrupt.
 */
struct hv_backend_ops {
	const char *name;
	enum hv_backend id;
	size_t vm_size;
	size_t vcpu_size;
	const struct hv_npt_format *npt;

	int (*probe)(struct hv_caps *caps, const char **why);
	int (*setup)(void);
	void (*unsetup)(void);
	int (*hw_enable)(void);
	const char *(*busy_reason)(void);
	void (*hw_disable)(void);

	int (*vm_init)(struct hv_vm *vm);
	void (*vm_destroy)(struct hv_vm *vm);

	int (*vcpu_create)(struct hv_vcpu *vcpu);
	void (*vcpu_free)(struct hv_vcpu *vcpu);
	void (*vcpu_load)(struct hv_vcpu *vcpu, int cpu);
	void (*vcpu_put)(struct hv_vcpu *vcpu);
	void (*vcpu_run)(struct hv_vcpu *vcpu, struct hv_exit *exit);
	void (*get_regs)(struct hv_vcpu *vcpu, struct hv_regs *regs);
	void (*get_code_regs)(struct hv_vcpu *vcpu, struct hv_regs *regs);
	int (*set_regs)(struct hv_vcpu *vcpu, const struct hv_regs *regs,
			const char **why);
	u64 (*get_rflags)(struct hv_vcpu *vcpu);
	void (*set_rflags)(struct hv_vcpu *vcpu, u64 rflags);
	int (*get_msr)(struct hv_vcpu *vcpu, u32 index, u64 *value);
	int (*set_msr)(struct hv_vcpu *vcpu, u32 index, u64 value);
	void (*set_cr4)(struct hv_vcpu *vcpu, u64 cr4);
	void (*set_cr2)(struct hv_vcpu *vcpu, u64 cr2);
	void (*flush_tlb)(struct hv_vcpu *vcpu);

	bool (*intr_allowed)(struct hv_vcpu *vcpu);
	void (*intr_window)(struct hv_vcpu *vcpu);
	void (*tpr_window)(struct hv_vcpu *vcpu);
	bool (*nmi_allowed)(struct hv_vcpu *vcpu);
	void (*nmi_window)(struct hv_vcpu *vcpu);

	enum hv_apicv (*apicv_mode)(const char **why);
	void (*apicv_load)(struct hv_vcpu *vcpu,
			   const struct hv_apicv_state *s);
	void (*posted_notify)(struct hv_vcpu *vcpu, int cpu);
	bool (*tsc_timer)(void);
};

extern const struct hv_backend_ops hv_vmx_ops;
extern const struct hv_backend_ops hv_svm_ops;
extern const struct hv_backend_ops *hv_backend;

/*
 * The core calls the backend only through these wrappers, which also
 * stand in for the optional members a backend leaves NULL.
 */

/**
 * hv_be_probe() - ask a candidate backend whether it can run on this host
 * @ops: the candidate
 * @caps: filled when the backend is usable
 * @why: set to the reason when it is not (see &hv_backend_ops.probe)
 *
 * Return: as &hv_backend_ops.probe.
 */
static inline int hv_be_probe(const struct hv_backend_ops *ops,
			      struct hv_caps *caps, const char **why)
{
	return ops->probe(caps, why);
}

/**
 * hv_be_setup() - allocate the backend's module-wide state
 *
 * Return: as &hv_backend_ops.setup; 0 if the backend needs none.
 */
static inline int hv_be_setup(void)
{
	return hv_backend->setup ? hv_backend->setup() : 0;
}

/**
 * hv_be_unsetup() - free what hv_be_setup() allocated
 */
static inline void hv_be_unsetup(void)
{
	if (hv_backend->unsetup)
		hv_backend->unsetup();
}

/**
 * hv_be_hw_enable() - switch virtualization on for the calling CPU
 *
 * Return: as &hv_backend_ops.hw_enable.
 */
static inline int hv_be_hw_enable(void)
{
	return hv_backend->hw_enable();
}

/**
 * hv_be_busy_reason() - who likely owns the extension after an -EBUSY
 *
 * Return: a static sentence, or NULL if the backend cannot tell.
 */
static inline const char *hv_be_busy_reason(void)
{
	return hv_backend->busy_reason ? hv_backend->busy_reason() : NULL;
}

/**
 * hv_be_hw_disable() - switch virtualization off for the calling CPU
 */
static inline void hv_be_hw_disable(void)
{
	hv_backend->hw_disable();
}

/**
 * hv_be_vm_init() - set up the backend's part of a new VM
 * @vm: the VM
 *
 * Return: as &hv_backend_ops.vm_init; 0 if the backend needs nothing.
 */
static inline int hv_be_vm_init(struct hv_vm *vm)
{
	return hv_backend->vm_init ? hv_backend->vm_init(vm) : 0;
}

/**
 * hv_be_vm_destroy() - free the backend's part of a VM
 * @vm: the VM
 */
static inline void hv_be_vm_destroy(struct hv_vm *vm)
{
	if (hv_backend->vm_destroy)
		hv_backend->vm_destroy(vm);
}

/**
 * hv_be_vcpu_create() - set up the backend's part of a new vCPU
 * @vcpu: the vCPU
 *
 * Return: as &hv_backend_ops.vcpu_create.
 */
static inline int hv_be_vcpu_create(struct hv_vcpu *vcpu)
{
	return hv_backend->vcpu_create(vcpu);
}

/**
 * hv_be_vcpu_free() - free the backend's part of a vCPU
 * @vcpu: the vCPU
 */
static inline void hv_be_vcpu_free(struct hv_vcpu *vcpu)
{
	hv_backend->vcpu_free(vcpu);
}

/**
 * hv_be_vcpu_load() - the vCPU is about to run on this CPU
 * @vcpu: the vCPU
 * @cpu: this CPU
 */
static inline void hv_be_vcpu_load(struct hv_vcpu *vcpu, int cpu)
{
	hv_backend->vcpu_load(vcpu, cpu);
}

/**
 * hv_be_vcpu_put() - the vCPU stops running on this CPU
 * @vcpu: the vCPU
 */
static inline void hv_be_vcpu_put(struct hv_vcpu *vcpu)
{
	hv_backend->vcpu_put(vcpu);
}

/**
 * hv_be_vcpu_run() - enter the guest once
 * @vcpu: the vCPU, loaded on this CPU, interrupts off
 * @exit: receives the exit
 */
static inline void hv_be_vcpu_run(struct hv_vcpu *vcpu, struct hv_exit *exit)
{
	hv_backend->vcpu_run(vcpu, exit);
}

/**
 * hv_be_get_regs() - read a vCPU's whole architectural state
 * @vcpu: the vCPU, not running
 * @regs: filled
 */
static inline void hv_be_get_regs(struct hv_vcpu *vcpu, struct hv_regs *regs)
{
	hv_backend->get_regs(vcpu, regs);
}

/**
 * hv_be_get_code_regs() - read what locating guest code needs
 * @vcpu: the vCPU, not running
 * @regs: RFLAGS, CR0, CR3, CR4, EFER and CS are filled (everything, with
 *	a backend that has no cheaper way)
 */
static inline void hv_be_get_code_regs(struct hv_vcpu *vcpu,
				       struct hv_regs *regs)
{
	if (hv_backend->get_code_regs)
		hv_backend->get_code_regs(vcpu, regs);
	else
		hv_backend->get_regs(vcpu, regs);
}

/**
 * hv_be_set_regs() - load a vCPU's whole architectural state
 * @vcpu: the vCPU, not running
 * @regs: the state
 * @why: set to the reason on failure
 *
 * Return: as &hv_backend_ops.set_regs.
 */
static inline int hv_be_set_regs(struct hv_vcpu *vcpu,
				 const struct hv_regs *regs, const char **why)
{
	return hv_backend->set_regs(vcpu, regs, why);
}

/**
 * hv_be_get_rflags() - RFLAGS of a vCPU outside the guest
 * @vcpu: the vCPU
 *
 * Return: RFLAGS.
 */
static inline u64 hv_be_get_rflags(struct hv_vcpu *vcpu)
{
	return hv_backend->get_rflags(vcpu);
}

/**
 * hv_be_set_rflags() - change RFLAGS of a vCPU outside the guest
 * @vcpu: the vCPU
 * @rflags: the new value
 */
static inline void hv_be_set_rflags(struct hv_vcpu *vcpu, u64 rflags)
{
	hv_backend->set_rflags(vcpu, rflags);
}

/**
 * hv_be_get_msr() - read an MSR the backend keeps for the guest
 * @vcpu: the vCPU (its thread, outside the guest)
 * @index: the MSR
 * @value: receives its value
 *
 * Return: as &hv_backend_ops.get_msr.
 */
static inline int hv_be_get_msr(struct hv_vcpu *vcpu, u32 index, u64 *value)
{
	return hv_backend->get_msr(vcpu, index, value);
}

/**
 * hv_be_set_msr() - write an MSR the backend keeps for the guest
 * @vcpu: the vCPU (its thread, outside the guest)
 * @index: the MSR
 * @value: the value
 *
 * Return: as &hv_backend_ops.set_msr.
 */
static inline int hv_be_set_msr(struct hv_vcpu *vcpu, u32 index, u64 value)
{
	return hv_backend->set_msr(vcpu, index, value);
}

/**
 * hv_be_set_cr4() - load a CR4 value the guest wrote and the core checked
 * @vcpu: the vCPU (loaded, preemption off)
 * @cr4: the value
 */
static inline void hv_be_set_cr4(struct hv_vcpu *vcpu, u64 cr4)
{
	hv_backend->set_cr4(vcpu, cr4);
}

/**
 * hv_be_set_cr2() - load CR2 for a page fault the core injects
 * @vcpu: the vCPU (its thread, outside the guest)
 * @cr2: the faulting address
 */
static inline void hv_be_set_cr2(struct hv_vcpu *vcpu, u64 cr2)
{
	hv_backend->set_cr2(vcpu, cr2);
}

/**
 * hv_be_flush_tlb() - drop the guest's cached translations at the next entry
 * @vcpu: the vCPU (its thread, outside the guest, preemption off)
 */
static inline void hv_be_flush_tlb(struct hv_vcpu *vcpu)
{
	hv_backend->flush_tlb(vcpu);
}

/**
 * hv_be_intr_allowed() - whether the guest can take an external interrupt
 * @vcpu: the vCPU (its thread, loaded, interrupts off)
 *
 * Return: true if an interrupt injected at the next entry is delivered.
 */
static inline bool hv_be_intr_allowed(struct hv_vcpu *vcpu)
{
	return hv_backend->intr_allowed(vcpu);
}

/**
 * hv_be_intr_window() - exit as soon as the guest can take an interrupt
 * @vcpu: the vCPU (its thread, loaded, interrupts off)
 */
static inline void hv_be_intr_window(struct hv_vcpu *vcpu)
{
	hv_backend->intr_window(vcpu);
}

/**
 * hv_be_nmi_allowed() - whether the guest can take an NMI now
 * @vcpu: the vCPU (its thread, loaded, interrupts off)
 *
 * Return: true if an NMI injected at the next entry is delivered.
 */
static inline bool hv_be_nmi_allowed(struct hv_vcpu *vcpu)
{
	return hv_backend->nmi_allowed(vcpu);
}

/**
 * hv_be_nmi_window() - exit as soon as the guest can take an NMI
 * @vcpu: the vCPU (its thread, loaded, interrupts off)
 */
static inline void hv_be_nmi_window(struct hv_vcpu *vcpu)
{
	hv_backend->nmi_window(vcpu);
}

/**
 * hv_be_tpr_window() - exit when the guest may have lowered TPR
 * @vcpu: the vCPU (its thread, loaded, interrupts off)
 *
 * Return: true if the backend will exit so; false if it has no need (TPR
 * writes exit anyway).
 */
static inline bool hv_be_tpr_window(struct hv_vcpu *vcpu)
{
	if (!hv_backend->tpr_window)
		return false;
	hv_backend->tpr_window(vcpu);
	return true;
}

/**
 * hv_be_apicv_mode() - how much of the APIC the CPU virtualizes
 * @why: set to what it lacks, when not all
 *
 * Return: an &enum hv_apicv.
 */
static inline enum hv_apicv hv_be_apicv_mode(const char **why)
{
	if (!hv_backend->apicv_mode) {
		*why = "this backend does not virtualize the APIC yet";
		return HV_APICV_OFF;
	}
	return hv_backend->apicv_mode(why);
}

/**
 * hv_be_apicv_load() - hand the APIC's state to the CPU for the next entry
 * @vcpu: the vCPU (its thread, loaded, interrupts off)
 * @s: the state
 */
static inline void hv_be_apicv_load(struct hv_vcpu *vcpu,
				    const struct hv_apicv_state *s)
{
	hv_backend->apicv_load(vcpu, s);
}

/**
 * hv_be_posted_notify() - send a vCPU in guest mode the notification vector
 * @vcpu: the vCPU
 * @cpu: the CPU it runs on
 */
static inline void hv_be_posted_notify(struct hv_vcpu *vcpu, int cpu)
{
	hv_backend->posted_notify(vcpu, cpu);
}

/**
 * hv_be_tsc_timer() - whether the backend ends guest runs at a TSC value
 *
 * Return: true if @vcpu_run honours &hv_vcpu.timer_tsc.
 */
static inline bool hv_be_tsc_timer(void)
{
	return hv_backend->tsc_timer && hv_backend->tsc_timer();
}

#endif /* HV_BACKEND_H */
