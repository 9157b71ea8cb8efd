// SPDX-License-Identifier: GPL-2.0
/*
 * RDMSR and WRMSR in the kernel: the MSRs hv keeps for the guest live in
 * the backend's save area (VMCB/VMCS) and are read or written there; any
 * other MSR raises #GP in the guest or goes to the owner, by the VM's
 * policy (vm-set unknown-msr).
 */
#include <linux/stddef.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "hv_host.h"
#include "irq/irq.h"

/* The MSRs of the architectural record (regs msr attributes). */
static const struct {
	u32 index;
	u16 offset;
} kept[] = {
#define HV_REGS_MSR(index, field) { index, offsetof(struct hv_regs, field) },
#include "regs_attrs.h"
};

const u32 hv_msrs_kept[HV_NR_MSRS_KEPT] = {
#define HV_REGS_MSR(index, field) index,
#include "regs_attrs.h"
};

const unsigned int hv_nr_msrs_kept = ARRAY_SIZE(hv_msrs_kept);
static_assert(ARRAY_SIZE(kept) == HV_NR_MSRS_KEPT);

/*
 * MSRs the guest reads and writes without exits, on both backends: their
 * guest values live in the VMCS or VMCB (or are switched at load and put),
 * so the backend's permission bitmap lets them through.
 */
const u32 hv_msrs_passthrough[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
	MSR_CSTAR, MSR_SYSCALL_MASK, MSR_IA32_SYSENTER_CS,
	MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP,
};

const unsigned int hv_nr_msrs_passthrough = ARRAY_SIZE(hv_msrs_passthrough);

/**
 * hv_regs_msr() - where an MSR lives in the architectural record
 * @regs: the record
 * @index: the MSR
 *
 * Return: a pointer to its field, or NULL if hv does not keep it.
 */
u64 *hv_regs_msr(struct hv_regs *regs, u32 index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kept); i++)
		if (kept[i].index == index)
			return (u64 *)((u8 *)regs + kept[i].offset);
	return NULL;
}

/**
 * hv_msr_exit() - handle RDMSR or WRMSR in the kernel if possible
 * @vcpu: the vCPU; RCX holds the index, EDX:EAX the value to write
 * @write: WRMSR
 * @rip: the RIP after the instruction
 *
 * A handled access updates RAX/RDX and moves RIP to @rip, or queues #GP(0)
 * for a value the CPU would refuse or an unknown MSR under the #GP policy.
 *
 * Context: vCPU thread, preemption off.
 * Return: HV_EXIT_RESUME if handled (done or #GP queued); HV_EXIT_SLOW if
 * the access must go to the owner (nothing was changed).
 */
enum hv_exit_ret hv_msr_exit(struct hv_vcpu *vcpu, bool write, u64 rip)
{
	u32 index = vcpu->gpr[HV_RCX];
	u64 value;
	int err;

	if (write) {
		value = (vcpu->gpr[HV_RDX] << 32) | (u32)vcpu->gpr[HV_RAX];
		err = hv_lapic_msr_write(vcpu, index, value);
		if (err == -ENOENT)
			err = hv_be_set_msr(vcpu, index, value);
	} else {
		err = hv_lapic_msr_read(vcpu, index, &value);
		if (err == -ENOENT)
			err = hv_be_get_msr(vcpu, index, &value);
		if (!err) {
			vcpu->gpr[HV_RAX] = (u32)value;
			vcpu->gpr[HV_RDX] = value >> 32;
		}
	}
	if (err == -ENOENT &&
	    READ_ONCE(vcpu->vm->unknown_msr) == HV_MSR_POLICY_EXIT)
		return HV_EXIT_SLOW;
	if (err)
		hv_vcpu_queue_exception(vcpu, X86_TRAP_GP, true, 0);
	else
		vcpu->rip = rip;
	return HV_EXIT_RESUME;
}
