/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * The hv generic netlink family: the only kernel header userspace includes.
 *
 * Written by hand from kmod/hv.yaml (the kernel's YNL generator is not in
 * 6.1); tests/check_spec.py fails the build when the two disagree. Values are
 * append-only: never renumber, only add.
 */
#ifndef _UAPI_HV_H
#define _UAPI_HV_H

#include <linux/types.h>

#define HV_FAMILY_NAME		"hv"
#define HV_FAMILY_VERSION	1

#define HV_MCGRP_NOTIFY		"notify"

/* Bytes of a VM's name, its terminating NUL included. */
#define HV_VM_NAME_LEN		32
/* Most bytes one mem-read or mem-write moves; libhv splits larger ones. */
#define HV_MEM_IO_MAX		32768
/* Most pages one mem-log covers (a 32 KiB bitmap). */
#define HV_MEM_LOG_MAX		262144
/* Layout version of struct hv_ring; a vCPU's ring page says which it uses. */
#define HV_RING_VERSION		1
/* Exit records in a ring (a power of two). */
#define HV_RING_ENTRIES		64
/* Most nanoseconds a vCPU polls its ring for a completion before sleeping. */
#define HV_RING_POLL_MAX	1000000
/* Bytes of the local APIC's registers in a register record (0 to 0x3f0). */
#define HV_LAPIC_STATE_SIZE	1024

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

/**
 * enum hv_vm_state - life cycle of a virtual machine
 * @HV_VM_STATE_CREATED: created, never started
 * @HV_VM_STATE_RUNNING: its vCPUs run (or wait for an event or the owner)
 * @HV_VM_STATE_PAUSED: started once, its vCPUs parked by vm-pause
 * @HV_VM_STATE_CRASHED: stopped by a guest event it cannot survive
 * @HV_VM_STATE_DEAD: stopped because hv found its own invariants broken
 */
enum hv_vm_state {
	HV_VM_STATE_CREATED = 0,
	HV_VM_STATE_RUNNING = 1,
	HV_VM_STATE_PAUSED = 2,
	HV_VM_STATE_CRASHED = 3,
	HV_VM_STATE_DEAD = 4,
};

/**
 * enum hv_vcpu_state - what a vCPU's thread is doing
 * @HV_VCPU_STATE_STOPPED: not running guest code
 * @HV_VCPU_STATE_RUNNING: running guest code or handling an exit
 * @HV_VCPU_STATE_HALTED: blocked in HLT until an event is pending
 * @HV_VCPU_STATE_OWNER_WAIT: waiting for the owner's vcpu-complete
 * @HV_VCPU_STATE_WAIT_SIPI: waiting for a START-UP IPI
 */
enum hv_vcpu_state {
	HV_VCPU_STATE_STOPPED = 0,
	HV_VCPU_STATE_RUNNING = 1,
	HV_VCPU_STATE_HALTED = 2,
	HV_VCPU_STATE_OWNER_WAIT = 3,
	HV_VCPU_STATE_WAIT_SIPI = 4,
};

/**
 * enum hv_msr_policy - what guest accesses to MSRs hv does not handle do
 * @HV_MSR_POLICY_GP: raise #GP in the guest
 * @HV_MSR_POLICY_EXIT: send an msr exit to the owner
 */
enum hv_msr_policy {
	HV_MSR_POLICY_GP = 0,
	HV_MSR_POLICY_EXIT = 1,
};

/**
 * enum hv_cpuid_flags - flags of a CPUID table entry
 * @HV_CPUID_FLAGS_SIGNIFICANT_INDEX: the entry matches only its index
 */
enum hv_cpuid_flags {
	HV_CPUID_FLAGS_SIGNIFICANT_INDEX = 1,
};

/**
 * enum hv_activity - activity state of a vCPU
 * @HV_ACTIVITY_ACTIVE: executing instructions
 * @HV_ACTIVITY_HALTED: halted by HLT
 * @HV_ACTIVITY_WAIT_SIPI: waiting for a START-UP IPI, as after RESET for
 *	every vCPU but vCPU 0, and after INIT (SDM Vol. 3A, 11.4.7.3)
 */
enum hv_activity {
	HV_ACTIVITY_ACTIVE = 0,
	HV_ACTIVITY_HALTED = 1,
	HV_ACTIVITY_WAIT_SIPI = 2,
};

/**
 * enum hv_event_type - type of an event pending injection (VMX/SVM encoding)
 * @HV_EVENT_TYPE_EXT_INTR: external interrupt
 * @HV_EVENT_TYPE_NMI: non-maskable interrupt
 * @HV_EVENT_TYPE_EXCEPTION: hardware exception
 * @HV_EVENT_TYPE_SOFT_INTR: software interrupt
 */
enum hv_event_type {
	HV_EVENT_TYPE_EXT_INTR = 0,
	HV_EVENT_TYPE_NMI = 2,
	HV_EVENT_TYPE_EXCEPTION = 3,
	HV_EVENT_TYPE_SOFT_INTR = 4,
};

/**
 * enum hv_mem_flags - flags of a guest memory slot
 * @HV_MEM_FLAGS_READONLY: guest writes become mmio exits
 * @HV_MEM_FLAGS_DIRTY_LOG: pages written are logged for mem-log
 */
enum hv_mem_flags {
	HV_MEM_FLAGS_READONLY = 1,
	HV_MEM_FLAGS_DIRTY_LOG = 2,
};

/**
 * enum hv_exit_reason - why a vCPU told its owner
 * @HV_EXIT_REASON_IO: port I/O; needs vcpu-complete
 * @HV_EXIT_REASON_MMIO: access to unbacked guest memory; needs vcpu-complete
 * @HV_EXIT_REASON_HLT: HLT with nothing pending; no completion
 * @HV_EXIT_REASON_MSR: access to an unhandled MSR; needs vcpu-complete
 * @HV_EXIT_REASON_EOI: the guest ended a level-triggered interrupt (the
 *	vector in addr); no completion
 * @HV_EXIT_REASON_INTA: the guest takes the interrupt the owner's 8259
 *	raises on the vCPU's INTR/LINT0 (vcpu-intr-line); needs vcpu-complete
 *	with the vector in bits 7:0 and HV_INTA_STILL_ASSERTED if the line
 *	stays up, or the error flag for none (spurious)
 */
enum hv_exit_reason {
	HV_EXIT_REASON_IO = 1,
	HV_EXIT_REASON_MMIO = 2,
	HV_EXIT_REASON_HLT = 3,
	HV_EXIT_REASON_MSR = 4,
	HV_EXIT_REASON_EOI = 5,
	HV_EXIT_REASON_INTA = 6,
};

/* In the completion of an inta exit: INTR stays asserted after it. */
#define HV_INTA_STILL_ASSERTED	256

/**
 * enum hv_dir - direction of an access from the guest's view
 * @HV_DIR_READ: IN, load, RDMSR
 * @HV_DIR_WRITE: OUT, store, WRMSR
 */
enum hv_dir {
	HV_DIR_READ = 0,
	HV_DIR_WRITE = 1,
};

/**
 * enum hv_io_space - where an ioeventfd listens
 * @HV_IO_SPACE_PIO: I/O ports (OUT)
 * @HV_IO_SPACE_MMIO: guest-physical addresses no RAM backs (stores)
 */
enum hv_io_space {
	HV_IO_SPACE_PIO = 0,
	HV_IO_SPACE_MMIO = 1,
};

/**
 * enum hv_notice - life-cycle notices on the notify group
 * @HV_NOTICE_CREATED: a VM was created
 * @HV_NOTICE_DESTROYED: a VM was destroyed, its resources released
 * @HV_NOTICE_STARTED: a VM was started or resumed
 * @HV_NOTICE_PAUSED: a VM was paused
 * @HV_NOTICE_CRASHED: a VM crashed
 */
enum hv_notice {
	HV_NOTICE_CREATED = 1,
	HV_NOTICE_DESTROYED = 2,
	HV_NOTICE_STARTED = 3,
	HV_NOTICE_PAUSED = 4,
	HV_NOTICE_CRASHED = 5,
};

/**
 * enum hv_transport - how a vCPU's exits reach its owner
 * @HV_TRANSPORT_NETLINK: exit events on the owner socket, vcpu-complete
 * @HV_TRANSPORT_RING: the shared page of vcpu-set-ring (struct hv_ring)
 */
enum hv_transport {
	HV_TRANSPORT_NETLINK = 0,
	HV_TRANSPORT_RING = 1,
};

/**
 * enum hv_ring_flags - bits of struct hv_ring's kernel_flags and owner_flags
 * @HV_RING_FLAGS_SLEEPING: this side sleeps on its eventfd: the other side must
 *	signal it after it posts (an exit, a completion). A side that finds
 *	the bit clear makes no system call: the sleeper is polling.
 */
enum hv_ring_flags {
	HV_RING_FLAGS_SLEEPING = 1,
};

/**
 * enum hv_ring_completion_flags - bits of struct hv_ring_completion's flags
 * @HV_RING_COMPLETION_FLAGS_ERROR: the access failed (as vcpu-complete's error)
 */
enum hv_ring_completion_flags {
	HV_RING_COMPLETION_FLAGS_ERROR = 1,
};

/**
 * struct hv_ring_exit - one exit in a vCPU's ring, written by the kernel
 * @seq: the vCPU's sequence number of the exit (as the exit event's seq)
 * @rip: RIP of the instruction that exited
 * @addr: port (io), guest-physical address (mmio) or MSR index (msr)
 * @data: the value written (writes), RFLAGS (hlt)
 * @reason: HV_EXIT_REASON_*
 * @dir: HV_DIR_* (io, mmio, msr)
 * @size: access size in bytes (io, mmio, msr)
 * @reserved: zero
 */
struct hv_ring_exit {
	__u64 seq;
	__u64 rip;
	__u64 addr;
	__u64 data;
	__u32 reason;
	__u32 dir;
	__u32 size;
	__u32 reserved;
};

/**
 * struct hv_ring_completion - the owner's answer to the exit that waits
 * @seq: the exit's seq, written last (a release store): the kernel takes
 *	the completion when seq is the waiting exit's
 * @data: the value read (reads)
 * @flags: HV_RING_COMPLETION_* bits; others make the completion malformed
 * @reserved: zero, or the completion is malformed
 */
struct hv_ring_completion {
	__u64 seq;
	__u64 data;
	__u32 flags;
	__u32 reserved;
};

/**
 * struct hv_ring - the page a vCPU shares with its owner (vcpu-set-ring)
 * @version: HV_RING_VERSION (kernel)
 * @entries: HV_RING_ENTRIES (kernel)
 * @head: exits posted so far, free-running; exit n is in
 *	exits[n % entries] (kernel, a release store after the record)
 * @kernel_flags: HV_RING_FLAGS_SLEEPING while the vCPU sleeps for a completion
 * @kernel_pad: zero
 * @tail: exits the owner consumed, free-running (owner); the kernel posts
 *	no exit while head - tail == entries
 * @owner_flags: HV_RING_FLAGS_SLEEPING while the owner sleeps on its exit eventfd
 * @completion: the owner's answer to the exit that waits
 * @owner_pad: zero
 * @exits: the exit records
 *
 * Each side writes only its own cache line of the header; the kernel reads
 * the owner's fields once per use and trusts none of them.
 */
struct hv_ring {
	__u32 version;
	__u32 entries;
	__u32 head;
	__u32 kernel_flags;
	__u8 kernel_pad[48];
	__u32 tail;
	__u32 owner_flags;
	struct hv_ring_completion completion;
	__u8 owner_pad[32];
	struct hv_ring_exit exits[HV_RING_ENTRIES];
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
	HV_A_INFO_MAX_VMS,
	HV_A_INFO_MAX_VCPUS,
	HV_A_INFO_MAX_MEM,
	HV_A_INFO_DIRTY_METHOD,
	HV_A_INFO_DIRTY_REASON,
	HV_A_INFO_RING_POLL_NS,
	HV_A_INFO_APICV,
	HV_A_INFO_APICV_REASON,
	HV_A_INFO_APIC_TIMER,

	__HV_A_INFO_MAX,
	HV_A_INFO_MAX = (__HV_A_INFO_MAX - 1)
};

enum {
	HV_A_VM_PAD = 1,
	HV_A_VM_ID,
	HV_A_VM_NAME,
	HV_A_VM_STATE,
	HV_A_VM_NR_VCPUS,
	HV_A_VM_MEM_SIZE,
	HV_A_VM_OWNER,
	HV_A_VM_CRASH_REASON,
	HV_A_VM_MAX_VCPUS,
	HV_A_VM_MAX_MEM,
	HV_A_VM_UNKNOWN_MSR,
	HV_A_VM_CPUID,
	HV_A_VM_RING_POLL_NS,
	HV_A_VM_MSI_ADDR,
	HV_A_VM_MSI_DATA,
	HV_A_VM_EVENTFD,
	HV_A_VM_DEASSIGN,
	HV_A_VM_IO_SPACE,
	HV_A_VM_IO_ADDR,
	HV_A_VM_IO_LEN,
	HV_A_VM_IO_DATAMATCH,
	HV_A_VM_HALT_NOTICES,

	__HV_A_VM_MAX,
	HV_A_VM_MAX = (__HV_A_VM_MAX - 1)
};

enum {
	HV_A_CPUID_FUNCTION = 1,
	HV_A_CPUID_INDEX,
	HV_A_CPUID_FLAGS,
	HV_A_CPUID_EAX,
	HV_A_CPUID_EBX,
	HV_A_CPUID_ECX,
	HV_A_CPUID_EDX,

	__HV_A_CPUID_MAX,
	HV_A_CPUID_MAX = (__HV_A_CPUID_MAX - 1)
};

enum {
	HV_A_VCPU_PAD = 1,
	HV_A_VCPU_VM_ID,
	HV_A_VCPU_ID,
	HV_A_VCPU_STATE,
	HV_A_VCPU_EXITS,
	HV_A_VCPU_THREAD,
	HV_A_VCPU_REGS,
	HV_A_VCPU_SEQ,
	HV_A_VCPU_DATA,
	HV_A_VCPU_ERROR,
	HV_A_VCPU_RING_ADDR,
	HV_A_VCPU_EXIT_FD,
	HV_A_VCPU_DONE_FD,
	HV_A_VCPU_TRANSPORT,
	HV_A_VCPU_SLEEPS,
	HV_A_VCPU_OWNER_WAKEUPS,
	HV_A_VCPU_INTR_LINE,

	__HV_A_VCPU_MAX,
	HV_A_VCPU_MAX = (__HV_A_VCPU_MAX - 1)
};

enum {
	HV_A_REGS_PAD = 1,
	HV_A_REGS_RAX,
	HV_A_REGS_RBX,
	HV_A_REGS_RCX,
	HV_A_REGS_RDX,
	HV_A_REGS_RSI,
	HV_A_REGS_RDI,
	HV_A_REGS_RSP,
	HV_A_REGS_RBP,
	HV_A_REGS_R8,
	HV_A_REGS_R9,
	HV_A_REGS_R10,
	HV_A_REGS_R11,
	HV_A_REGS_R12,
	HV_A_REGS_R13,
	HV_A_REGS_R14,
	HV_A_REGS_R15,
	HV_A_REGS_RIP,
	HV_A_REGS_RFLAGS,
	HV_A_REGS_CR0,
	HV_A_REGS_CR2,
	HV_A_REGS_CR3,
	HV_A_REGS_CR4,
	HV_A_REGS_CR8,
	HV_A_REGS_EFER,
	HV_A_REGS_DR0,
	HV_A_REGS_DR1,
	HV_A_REGS_DR2,
	HV_A_REGS_DR3,
	HV_A_REGS_DR6,
	HV_A_REGS_DR7,
	HV_A_REGS_CS,
	HV_A_REGS_DS,
	HV_A_REGS_ES,
	HV_A_REGS_FS,
	HV_A_REGS_GS,
	HV_A_REGS_SS,
	HV_A_REGS_TR,
	HV_A_REGS_LDTR,
	HV_A_REGS_GDTR,
	HV_A_REGS_IDTR,
	HV_A_REGS_MSR,
	HV_A_REGS_EVENT,
	HV_A_REGS_INT_SHADOW,
	HV_A_REGS_ACTIVITY,
	HV_A_REGS_FPU,
	HV_A_REGS_NO_EVENT,
	HV_A_REGS_APIC_BASE,
	HV_A_REGS_TSC_DEADLINE,
	HV_A_REGS_NMI_PENDING,
	HV_A_REGS_LAPIC,

	__HV_A_REGS_MAX,
	HV_A_REGS_MAX = (__HV_A_REGS_MAX - 1)
};

enum {
	HV_A_SEGMENT_PAD = 1,
	HV_A_SEGMENT_SELECTOR,
	HV_A_SEGMENT_BASE,
	HV_A_SEGMENT_LIMIT,
	HV_A_SEGMENT_AR,

	__HV_A_SEGMENT_MAX,
	HV_A_SEGMENT_MAX = (__HV_A_SEGMENT_MAX - 1)
};

enum {
	HV_A_DTABLE_PAD = 1,
	HV_A_DTABLE_BASE,
	HV_A_DTABLE_LIMIT,

	__HV_A_DTABLE_MAX,
	HV_A_DTABLE_MAX = (__HV_A_DTABLE_MAX - 1)
};

enum {
	HV_A_MSR_PAD = 1,
	HV_A_MSR_INDEX,
	HV_A_MSR_VALUE,

	__HV_A_MSR_MAX,
	HV_A_MSR_MAX = (__HV_A_MSR_MAX - 1)
};

enum {
	HV_A_EVENT_TYPE = 1,
	HV_A_EVENT_VECTOR,
	HV_A_EVENT_ERROR_CODE,

	__HV_A_EVENT_MAX,
	HV_A_EVENT_MAX = (__HV_A_EVENT_MAX - 1)
};

enum {
	HV_A_MEM_PAD = 1,
	HV_A_MEM_VM_ID,
	HV_A_MEM_SLOT,
	HV_A_MEM_GPA,
	HV_A_MEM_SIZE,
	HV_A_MEM_UADDR,
	HV_A_MEM_FLAGS,
	HV_A_MEM_DATA,
	HV_A_MEM_LEN,
	HV_A_MEM_FIRST,
	HV_A_MEM_NPAGES,
	HV_A_MEM_ACCESSED,
	HV_A_MEM_PEEK,
	HV_A_MEM_COUNT,
	HV_A_MEM_METHOD,
	HV_A_MEM_BITMAP,

	__HV_A_MEM_MAX,
	HV_A_MEM_MAX = (__HV_A_MEM_MAX - 1)
};

enum {
	HV_A_EXIT_PAD = 1,
	HV_A_EXIT_VM_ID,
	HV_A_EXIT_VCPU_ID,
	HV_A_EXIT_SEQ,
	HV_A_EXIT_REASON,
	HV_A_EXIT_DIR,
	HV_A_EXIT_PORT,
	HV_A_EXIT_GPA,
	HV_A_EXIT_SIZE,
	HV_A_EXIT_DATA,
	HV_A_EXIT_RIP,
	HV_A_EXIT_MSR,
	HV_A_EXIT_RFLAGS,
	HV_A_EXIT_VECTOR,

	__HV_A_EXIT_MAX,
	HV_A_EXIT_MAX = (__HV_A_EXIT_MAX - 1)
};

enum {
	HV_A_NOTICE_VM_ID = 1,
	HV_A_NOTICE_VM_NAME,
	HV_A_NOTICE_EVENT,
	HV_A_NOTICE_REASON,

	__HV_A_NOTICE_MAX,
	HV_A_NOTICE_MAX = (__HV_A_NOTICE_MAX - 1)
};

enum {
	HV_A_STATS_PAD = 1,
	HV_A_STATS_VM_ID,
	HV_A_STATS_VMS,
	HV_A_STATS_VCPUS,
	HV_A_STATS_THREADS,
	HV_A_STATS_PINNED_PAGES,
	HV_A_STATS_PT_PAGES,
	HV_A_STATS_EXITS,
	HV_A_STATS_EXITS_CPUID,
	HV_A_STATS_EXITS_MSR,
	HV_A_STATS_EXITS_HLT,
	HV_A_STATS_EXITS_NPF,
	HV_A_STATS_EXITS_INTR,
	HV_A_STATS_EXITS_IO,
	HV_A_STATS_EXITS_MMIO,
	HV_A_STATS_EXITS_OTHER,
	HV_A_STATS_INVEPT,
	HV_A_STATS_INVVPID,
	HV_A_STATS_INVVPID_SAVED,
	HV_A_STATS_L1D_FLUSH_MSR,
	HV_A_STATS_L1D_FLUSH_SW,
	HV_A_STATS_PML_FULL,
	HV_A_STATS_SLEEPS,
	HV_A_STATS_OWNER_WAKEUPS,
	HV_A_STATS_INTR_INJECTED,
	HV_A_STATS_IPIS,
	HV_A_STATS_TIMER_FIRED,
	HV_A_STATS_IOEVENTFD,
	HV_A_STATS_EOI_NOTICES,
	HV_A_STATS_INTR_POSTED,
	HV_A_STATS_EXITS_TIMER,
	HV_A_STATS_HALT_POLLED,

	__HV_A_STATS_MAX,
	HV_A_STATS_MAX = (__HV_A_STATS_MAX - 1)
};

enum {
	HV_CMD_GET_INFO = 1,
	HV_CMD_VM_NEW,
	HV_CMD_VM_DEL,
	HV_CMD_VM_GET,
	HV_CMD_VM_SET,
	HV_CMD_VM_START,
	HV_CMD_VM_PAUSE,
	HV_CMD_VCPU_NEW,
	HV_CMD_VCPU_GET,
	HV_CMD_VCPU_GET_REGS,
	HV_CMD_VCPU_SET_REGS,
	HV_CMD_VCPU_COMPLETE,
	HV_CMD_MEM_MAP,
	HV_CMD_MEM_UNMAP,
	HV_CMD_MEM_GET,
	HV_CMD_MEM_READ,
	HV_CMD_MEM_WRITE,
	HV_CMD_GET_STATS,
	HV_CMD_EXIT,
	HV_CMD_NOTICE,
	HV_CMD_SET_INFO,
	HV_CMD_MEM_SET,
	HV_CMD_MEM_LOG,
	HV_CMD_VCPU_SET_RING,
	HV_CMD_VM_MSI,
	HV_CMD_VM_IRQFD,
	HV_CMD_VM_IOEVENTFD,
	HV_CMD_VCPU_INTR_LINE,

	__HV_CMD_MAX,
	HV_CMD_MAX = (__HV_CMD_MAX - 1)
};

#endif /* _UAPI_HV_H */
