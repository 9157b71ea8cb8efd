/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types of the VMX backend: the per-vCPU and per-CPU state, the VMX
 * instructions as inline functions, and the entry routines in vmenter.S.
 * Nothing here is seen outside kmod/vmx/.
 */
#ifndef HV_VMX_H
#define HV_VMX_H

#include <linux/types.h>
#include <asm/asm.h>
#include <asm/vmx.h>

#include "hv_host.h"

/* The guest's SYSCALL MSRs, which VMX does not switch (vmx_vcpu_load()). */
enum vmx_guest_msr {
	VMX_MSR_STAR,
	VMX_MSR_LSTAR,
	VMX_MSR_CSTAR,
	VMX_MSR_SFMASK,
	VMX_MSR_KERNEL_GS_BASE,
	VMX_NR_GUEST_MSRS,
};

/**
 * struct vmx_vcpu - a vCPU on VMX
 * @vcpu: the core's part; first, so that container_of() recovers us
 * @vmcs: the VMCS (a page)
 * @vmcs_pa: its physical address
 * @vpid: the VPID tagging its translations, 0 without VPID
 * @current_cpu: the CPU on which the VMCS is current (between load and
 *	put), -1 otherwise; the VMCS is VMCLEARed on every put, so it is
 *	never active on a CPU where the vCPU is not loaded
 * @last_cpu: the CPU the vCPU last ran on, for INVVPID on migration
 * @launched: VMLAUNCH succeeded since the last VMCLEAR (use VMRESUME)
 * @host_rsp: the HOST_RSP value in the VMCS, to skip the VMWRITE
 * @rip: GUEST_RIP as last read or written, to skip the VMWRITE
 * @rsp: GUEST_RSP likewise
 * @cr2: guest CR2, which VMX does not switch
 * @cr4_mask: the CR4 guest/host mask in the VMCS: the bits whose writes
 *	exit (update_cr4_mask())
 * @soft_len: instruction length of a software interrupt to reinject
 * @irq_window: interrupt-window exiting is on
 * @nmi_window: NMI-window exiting is on
 * @l1d_flush: host data may be in L1D since the last flush ("cond")
 * @msr: guest values of the SYSCALL MSRs while not loaded
 * @host_msr: host values of the same while the guest's are loaded
 * @dr: guest DR0-DR3 and DR6 (index 4), which VMX does not switch
 * @host_dr: the host's DR0-DR3, DR6 and DR7 (index 5) while loaded
 * @host_ds: host DS selector, reloaded after the guest ran
 * @host_es: host ES selector, likewise
 * @pml: the page-modification log, PML_ENTRIES guest-physical addresses,
 *	or NULL if the VM does not use it
 * @x2apic_virt: with APICv, the x2APIC MSRs are virtualized (the APIC is
 *	in x2APIC mode)
 * @apic_access_virt: with APICv, accesses to the APIC-access page are
 *	virtualized (the APIC is an xAPIC that uses it)
 * @eoi_exit: with APICv, the EOI-exit bitmap in the VMCS
 * @injected: an event was injected at the last entry
 * @entry_svi: with APICv, SVI at the last entry
 * @preemption_value: VMX_PREEMPTION_TIMER_VALUE in the VMCS
 * @put_switches: the thread's context switches at the last put
 */
struct vmx_vcpu {
	struct hv_vcpu vcpu;
	void *vmcs;
	phys_addr_t vmcs_pa;
	u16 vpid;
	int current_cpu;
	int last_cpu;
	bool launched;
	unsigned long host_rsp;
	u64 rip;
	u64 rsp;
	u64 cr2;
	u64 cr4_mask;
	u32 soft_len;
	bool irq_window;
	bool nmi_window;
	bool l1d_flush;
	u64 msr[VMX_NR_GUEST_MSRS];
	u64 host_msr[VMX_NR_GUEST_MSRS];
	unsigned long dr[5];
	unsigned long host_dr[6];
	u16 host_ds;
	u16 host_es;
	u64 *pml;
	bool x2apic_virt;
	bool apic_access_virt;
	u64 eoi_exit[4];
	bool injected;
	u8 entry_svi;
	u32 preemption_value;
	unsigned long put_switches;
};

/* SDM Vol. 3C, 29.3.6: the log is one 4 KiB page of 512 addresses. */
#define PML_ENTRIES	512

/**
 * to_vmx() - the VMX state around a core vCPU
 * @vcpu: the vCPU
 *
 * Return: its &struct vmx_vcpu.
 */
static inline struct vmx_vcpu *to_vmx(struct hv_vcpu *vcpu)
{
	return container_of(vcpu, struct vmx_vcpu, vcpu);
}

/**
 * struct vmx_vm - a VM on VMX
 * @vm: the core's part; first
 * @eptp: the EPT pointer of its tables
 * @ept_flushed: per CPU, the vm->npt.gen that CPU last invalidated
 */
struct vmx_vm {
	struct hv_vm vm;
	u64 eptp;
	u64 __percpu *ept_flushed;
};

/**
 * to_vmx_vm() - the VMX state around a core VM
 * @vm: the VM
 *
 * Return: its &struct vmx_vm.
 */
static inline struct vmx_vm *to_vmx_vm(struct hv_vm *vm)
{
	return container_of(vm, struct vmx_vm, vm);
}

/**
 * struct vmx_config - VMCS controls and fixed bits, chosen once at setup
 * @pin: pin-based controls
 * @proc: primary processor-based controls
 * @proc2: secondary processor-based controls
 * @exit: VM-exit controls
 * @entry: VM-entry controls (without IA-32e mode guest)
 * @revision: VMCS revision identifier
 * @cr0_fixed0: CR0 bits that must be 1 in VMX operation (PE and PG
 *	excepted: unrestricted guest)
 * @cr0_fixed1: CR0 bits that may be 1
 * @cr4_fixed0: CR4 bits that must be 1
 * @cr4_fixed1: CR4 bits that may be 1
 * @ept_ad: EPT accessed and dirty flags are used
 * @pml: page-modification logging may be enabled (it needs @ept_ad)
 * @preemption_timer: the VMX-preemption timer value of one host tick
 * @preemption_rate: the timer counts every 2^this TSC ticks
 */
struct vmx_config {
	u32 pin, proc, proc2, exit, entry;
	u32 revision;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	bool ept_ad;
	bool pml;
	u32 preemption_timer;
	u8 preemption_rate;
};

extern struct vmx_config vmx_config;

/**
 * struct vmx_cpu - per-CPU VMX state
 * @vmxon: the VMXON region
 * @vmxon_pa: its physical address
 * @on: VMXON succeeded and VMXOFF has not run
 */
struct vmx_cpu {
	void *vmxon;
	phys_addr_t vmxon_pa;
	bool on;
};

DECLARE_PER_CPU(struct vmx_cpu, vmx_cpus);

int vmx_probe(struct hv_caps *caps, const char **why);
int vmx_setup(void);
void vmx_unsetup(void);
int vmx_hw_enable(void);
void vmx_hw_disable(void);
const char *vmx_busy_reason(void);
int vmx_vpid_alloc(void);
void vmx_vpid_free(int vpid);

int __hv_vmx_run(u64 *gpr, bool resume, unsigned long *host_rsp);
void __hv_vmx_do_interrupt(unsigned long entry);

/* ---- the VMX instructions (SDM Vol. 3C, 31.3) ------------------------- */

/**
 * vmcs_read() - VMREAD of the current VMCS
 * @field: the field encoding
 *
 * A VMREAD that fails (no current VMCS: a host invariant broken) reads 0.
 *
 * Return: the field's value.
 */
static __always_inline u64 vmcs_read(unsigned long field)
{
	u64 value;

	asm volatile("1: vmread %[field], %[value]\n\t"
		     "jna 2f\n\t"
		     "jmp 3f\n"
		     "2: xor %k[value], %k[value]\n"
		     "3:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [value] "=&r" (value)
		     : [field] "r" (field)
		     : "cc");
	return value;
}

/**
 * vmcs_write() - VMWRITE to the current VMCS
 * @field: the field encoding
 * @value: the value
 *
 * Return: true on success; false for a failed VMWRITE (hv passed a field
 * the CPU lacks, or there is no current VMCS).
 */
static __always_inline bool vmcs_write(unsigned long field, u64 value)
{
	bool fail;

	/* CF set up front: a faulting VMWRITE resumes at 2 and reads as failed. */
	asm volatile("stc\n\t"
		     "1: vmwrite %[value], %[field]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : "=@ccna" (fail)
		     : [field] "r" (field), [value] "rm" (value));
	return !fail;
}

/**
 * vmcs_load() - VMPTRLD: make a VMCS current on this CPU
 * @pa: its physical address
 *
 * Return: true on success.
 */
static inline bool vmcs_load(phys_addr_t pa)
{
	bool fail;

	asm volatile("stc\n\t"
		     "1: vmptrld %[pa]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : "=@ccna" (fail) : [pa] "m" (pa) : "memory");
	return !fail;
}

/**
 * vmcs_clear() - VMCLEAR: write a VMCS back to memory and deactivate it
 * @pa: its physical address
 *
 * Return: true on success.
 */
static inline bool vmcs_clear(phys_addr_t pa)
{
	bool fail;

	asm volatile("stc\n\t"
		     "1: vmclear %[pa]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : "=@ccna" (fail) : [pa] "m" (pa) : "memory");
	return !fail;
}

/**
 * vmx_invept() - INVEPT of one EPT context or of all
 * @type: VMX_EPT_EXTENT_CONTEXT or VMX_EPT_EXTENT_GLOBAL
 * @eptp: the EPT pointer (single-context only)
 */
static inline void vmx_invept(unsigned long type, u64 eptp)
{
	struct {
		u64 eptp, gpa;
	} desc = { eptp, 0 };

	asm volatile("1: invept %[desc], %[type]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
}

/**
 * vmx_invvpid() - INVVPID of one VPID's translations
 * @type: a VMX_VPID_EXTENT_* type
 * @vpid: the VPID
 */
static inline void vmx_invvpid(unsigned long type, u16 vpid)
{
	struct {
		u64 vpid, gva;
	} desc = { vpid, 0 };

	asm volatile("1: invvpid %[desc], %[type]\n\t"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : : [desc] "m" (desc), [type] "r" (type) : "cc", "memory");
}

#endif /* HV_VMX_H */
