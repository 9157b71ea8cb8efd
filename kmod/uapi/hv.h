/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * The hv generic netlink family: the only kernel header userspace includes.
 *
 * Written by hand from kmod/hv.yaml (the kernel's YNL generator is not in
 * 6.1); tests/check-spec.py fails the build when the two disagree. Values are
 * append-only: never renumber, only add.
 */
#ifndef _UAPI_HV_H
#define _UAPI_HV_H

#define HV_FAMILY_NAME		"hv"
#define HV_FAMILY_VERSION	1

/**
 * enum hv_backend - the hardware virtualization extension hv drives
 * @HV_BACKEND_VMX: Intel VT-x with EPT and unrestricted guest
 * @HV_BACKEND_SVM: AMD-V with nested paging
 */
enum hv_backend {
	HV_BACKEND_VMX = 1,
	HV_BACKEND_SVM = 2,
};

/**
 * enum hv_cap - hardware capabilities hv found, as read from CPUID and the
 * VMX capability MSRs on every online CPU
 * @HV_CAP_EPT: VMX extended page tables
 * @HV_CAP_EPT_AD: EPT accessed and dirty flags
 * @HV_CAP_EPT_1G: EPT 1 GiB pages
 * @HV_CAP_VPID: VMX virtual-processor identifiers (with INVVPID)
 * @HV_CAP_UNRESTRICTED_GUEST: VMX unrestricted guest
 * @HV_CAP_PML: VMX page-modification logging
 * @HV_CAP_APIC_ACCESS_VIRT: VMX virtualize APIC accesses
 * @HV_CAP_TPR_SHADOW: VMX TPR shadow
 * @HV_CAP_X2APIC_VIRT: VMX virtualize x2APIC mode
 * @HV_CAP_APIC_REG_VIRT: VMX APIC-register virtualization
 * @HV_CAP_VIRT_INTR_DELIVERY: VMX virtual-interrupt delivery
 * @HV_CAP_POSTED_INTR: VMX process posted interrupts
 * @HV_CAP_VNMI: VMX virtual NMIs
 * @HV_CAP_PREEMPTION_TIMER: VMX preemption timer
 * @HV_CAP_PAUSE_LOOP_EXIT: VMX PAUSE-loop exiting
 * @HV_CAP_VMCS_SHADOW: VMX VMCS shadowing
 * @HV_CAP_TSC_SCALING: VMX TSC scaling or the SVM TSC ratio MSR
 * @HV_CAP_NPT: SVM nested paging
 * @HV_CAP_NRIP_SAVE: SVM next-RIP save
 * @HV_CAP_VMCB_CLEAN: SVM VMCB clean bits
 * @HV_CAP_DECODE_ASSISTS: SVM decode assists
 * @HV_CAP_FLUSH_BY_ASID: SVM TLB flush by ASID
 * @HV_CAP_PAUSE_FILTER: SVM PAUSE intercept filter
 * @HV_CAP_AVIC: SVM advanced virtual interrupt controller
 * @HV_CAP_VGIF: SVM virtual GIF
 * @HV_CAP_LBR_VIRT: SVM LBR virtualization
 * @HV_CAP_VMSAVE_VIRT: SVM virtualized VMSAVE/VMLOAD
 */
enum hv_cap {
	HV_CAP_EPT = 1,
	HV_CAP_EPT_AD = 2,
	HV_CAP_EPT_1G = 4,
	HV_CAP_VPID = 8,
	HV_CAP_UNRESTRICTED_GUEST = 16,
	HV_CAP_PML = 32,
	HV_CAP_APIC_ACCESS_VIRT = 64,
	HV_CAP_TPR_SHADOW = 128,
	HV_CAP_X2APIC_VIRT = 256,
	HV_CAP_APIC_REG_VIRT = 512,
	HV_CAP_VIRT_INTR_DELIVERY = 1024,
	HV_CAP_POSTED_INTR = 2048,
	HV_CAP_VNMI = 4096,
	HV_CAP_PREEMPTION_TIMER = 8192,
	HV_CAP_PAUSE_LOOP_EXIT = 16384,
	HV_CAP_VMCS_SHADOW = 32768,
	HV_CAP_TSC_SCALING = 65536,
	HV_CAP_NPT = 131072,
	HV_CAP_NRIP_SAVE = 262144,
	HV_CAP_VMCB_CLEAN = 524288,
	HV_CAP_DECODE_ASSISTS = 1048576,
	HV_CAP_FLUSH_BY_ASID = 2097152,
	HV_CAP_PAUSE_FILTER = 4194304,
	HV_CAP_AVIC = 8388608,
	HV_CAP_VGIF = 16777216,
	HV_CAP_LBR_VIRT = 33554432,
	HV_CAP_VMSAVE_VIRT = 67108864,
};

/**
 * enum hv_l1tf - how the L1 Terminal Fault (CVE-2018-3646) concerns guests
 * @HV_L1TF_NOT_AFFECTED: the CPU is not affected
 * @HV_L1TF_AFFECTED: the CPU is affected; flushing L1D on VM entry mitigates
 * @HV_L1TF_FLUSH_NOT_NEEDED: the CPU is affected but
 *	IA32_ARCH_CAPABILITIES.SKIP_L1DFL_VMENTRY says a flush on VM entry is
 *	not needed (typically: hv itself runs nested under a hypervisor that
 *	flushes)
 */
enum hv_l1tf {
	HV_L1TF_NOT_AFFECTED = 0,
	HV_L1TF_AFFECTED = 1,
	HV_L1TF_FLUSH_NOT_NEEDED = 2,
};

/**
 * enum hv_l1d_flush_mode - when to flush the L1 data cache before VM entry
 * @HV_L1D_FLUSH_MODE_AUTO: cond where the CPU needs it, else never
 * @HV_L1D_FLUSH_MODE_COND: only after exits that may have pulled host data
 *	into L1D
 * @HV_L1D_FLUSH_MODE_ALWAYS: before every VM entry
 * @HV_L1D_FLUSH_MODE_NEVER: never
 */
enum hv_l1d_flush_mode {
	HV_L1D_FLUSH_MODE_AUTO = 0,
	HV_L1D_FLUSH_MODE_COND = 1,
	HV_L1D_FLUSH_MODE_ALWAYS = 2,
	HV_L1D_FLUSH_MODE_NEVER = 3,
};

/**
 * enum hv_l1d_flush_method - how the L1 data cache is flushed
 * @HV_L1D_FLUSH_METHOD_NONE: it is not flushed
 * @HV_L1D_FLUSH_METHOD_MSR: a write of L1D_FLUSH to IA32_FLUSH_CMD
 * @HV_L1D_FLUSH_METHOD_SOFTWARE: reading a 64 KiB buffer through the cache
 */
enum hv_l1d_flush_method {
	HV_L1D_FLUSH_METHOD_NONE = 0,
	HV_L1D_FLUSH_METHOD_MSR = 1,
	HV_L1D_FLUSH_METHOD_SOFTWARE = 2,
};

/**
 * enum hv_mitigation - speculative-execution mitigations applied around
 * guest execution on this host
 * @HV_MITIGATION_L1D_FLUSH: L1D flush before VM entry (see the l1d-flush
 *	attributes for when and how)
 * @HV_MITIGATION_VERW: VERW clears CPU buffers before VM entry (MDS, TAA,
 *	MMIO stale data, RFDS, TSA)
 * @HV_MITIGATION_IBPB_VCPU_SWITCH: IBPB when a different vCPU runs on a CPU
 * @HV_MITIGATION_RSB_FILL: the return stack buffer is filled after VM exit
 * @HV_MITIGATION_SPEC_CTRL: IA32_SPEC_CTRL is switched between host and guest
 * @HV_MITIGATION_BHB_CLEAR: branch history is cleared after VM exit
 * @HV_MITIGATION_IBPB_ON_EXIT: IBPB after every VM exit (SRSO)
 * @HV_MITIGATION_IBPB_EXIT_TO_USER: IBPB before the next return to user
 *	space after a guest ran on the CPU (VMSCAPE)
 */
enum hv_mitigation {
	HV_MITIGATION_L1D_FLUSH = 1,
	HV_MITIGATION_VERW = 2,
	HV_MITIGATION_IBPB_VCPU_SWITCH = 4,
	HV_MITIGATION_RSB_FILL = 8,
	HV_MITIGATION_SPEC_CTRL = 16,
	HV_MITIGATION_BHB_CLEAR = 32,
	HV_MITIGATION_IBPB_ON_EXIT = 64,
	HV_MITIGATION_IBPB_EXIT_TO_USER = 128,
};

/* Attributes of the info set: replies of HV_CMD_GET_INFO. */
enum {
	HV_A_INFO_PAD = 1,
	HV_A_INFO_BACKEND,
	HV_A_INFO_VERSION,
	HV_A_INFO_CAPS,
	HV_A_INFO_TLB_TAGS,
	HV_A_INFO_HW_REVISION,
	HV_A_INFO_L1TF,
	HV_A_INFO_L1D_FLUSH_MODE,
	HV_A_INFO_L1D_FLUSH,
	HV_A_INFO_L1D_FLUSH_METHOD,
	HV_A_INFO_L1D_FLUSH_REASON,
	HV_A_INFO_MITIGATIONS,

	__HV_A_INFO_MAX,
	HV_A_INFO_MAX = (__HV_A_INFO_MAX - 1)
};

enum {
	HV_CMD_GET_INFO = 1,

	__HV_CMD_MAX,
	HV_CMD_MAX = (__HV_CMD_MAX - 1)
};

#endif /* _UAPI_HV_H */
