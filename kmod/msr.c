// SPDX-License-Identifier: GPL-2.0
/*
 * RDMSR and WRMSR in the kernel: the MSRs hv keeps for the guest live in
 * the backend's save area (VMCB/VMCS) and are read or written there; any
 * other MSR raises #GP in the guest or goes to the owner, by the VM's
 * policy (vm-set unknown-msr).
 */
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "hv.h"

/* The MSRs of the architectural record (regs msr attributes). */
const u32 hv_msrs_kept[] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK, MSR_KERNEL_GS_BASE,
	MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
	MSR_IA32_CR_PAT, MSR_IA32_TSC,
};

const unsigned int hv_nr_msrs_kept = ARRAY_SIZE(hv_msrs_kept);

/**
 * hv_regs_msr() - where an MSR lives in the architectural record
 * @regs: the record
 * @index: the MSR
 *
 * Return: a pointer to its field, or NULL if hv does not keep it.
 */
u64 *hv_regs_msr(struct hv_regs *regs, u32 index)
{
	switch (index) {
	case MSR_STAR:
		return &regs->star;
	case MSR_LSTAR:
		return &regs->lstar;
	case MSR_CSTAR:
		return &regs->cstar;
	case MSR_SYSCALL_MASK:
		return &regs->sfmask;
	case MSR_KERNEL_GS_BASE:
		return &regs->kernel_gs_base;
	case MSR_IA32_SYSENTER_CS:
		return &regs->sysenter_cs;
	case MSR_IA32_SYSENTER_ESP:
		return &regs->sysenter_esp;
	case MSR_IA32_SYSENTER_EIP:
		return &regs->sysenter_eip;
	case MSR_IA32_CR_PAT:
		return &regs->pat;
	case MSR_IA32_TSC:
		return &regs->tsc;
	default:
		return NULL;
	}
}

/**
 * hv_msr_exit() - handle RDMSR or WRMSR in the kernel if possible
 * @vcpu: the vCPU; RCX holds the index, EDX:EAX the value to write
 * @write: WRMSR
 *
 * A handled access updates RAX/RDX, or queues #GP(0) for a value the CPU
 * would refuse or an unknown MSR under the #GP policy.
 *
 * Context: vCPU thread, preemption off.
 * Return: HV_MSR_DONE (the caller advances RIP), HV_MSR_FAULT (#GP queued,
 * RIP stays) or HV_MSR_OWNER (the access must go to the owner).
 */
int hv_msr_exit(struct hv_vcpu *vcpu, bool write)
{
	u32 index = vcpu->gpr[HV_RCX];
	u64 value;
	int err;

	if (write) {
		value = (vcpu->gpr[HV_RDX] << 32) | (u32)vcpu->gpr[HV_RAX];
		err = hv_backend->set_msr(vcpu, index, value);
	} else {
		err = hv_backend->get_msr(vcpu, index, &value);
		if (!err) {
			vcpu->gpr[HV_RAX] = (u32)value;
			vcpu->gpr[HV_RDX] = value >> 32;
		}
	}
	if (err == -ENOENT &&
	    READ_ONCE(vcpu->vm->unknown_msr) == HV_MSR_POLICY_EXIT)
		return HV_MSR_OWNER;
	if (err) {
		hv_vcpu_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return HV_MSR_FAULT;
	}
	return HV_MSR_DONE;
}
