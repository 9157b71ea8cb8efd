/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The register attribute set of vcpu-get-regs and vcpu-set-regs, written
 * once for the kernel (nl/vcpu.c, msr.c) and libhv (lib/regs.c): each
 * attribute or MSR with the field of struct hv_regs that carries it. Both
 * sides name the fields and their types alike (struct hv_segment,
 * struct hv_dtable).
 *
 * Included, without a guard, inside an array initializer, after defining
 * the macros below for the rows it wants; the others default to nothing,
 * and all are undefined at the end. Dependency-free: the includer has the
 * HV_A_REGS_* values (uapi/hv.h) and its struct hv_regs.
 *
 *   HV_REGS_SCALAR(attribute, field)	64-bit registers
 *   HV_REGS_SEGMENT(attribute, field)	segment registers
 *   HV_REGS_DTABLE(attribute, field)	descriptor-table registers
 *   HV_REGS_MSR(index, field)		the MSRs the record keeps: STAR,
 *					LSTAR, CSTAR, FMASK, KERNEL_GS_BASE,
 *					SYSENTER_CS/ESP/EIP, PAT, TSC
 */
#ifndef HV_REGS_SCALAR
#define HV_REGS_SCALAR(attribute, field)
#endif
#ifndef HV_REGS_SEGMENT
#define HV_REGS_SEGMENT(attribute, field)
#endif
#ifndef HV_REGS_DTABLE
#define HV_REGS_DTABLE(attribute, field)
#endif
#ifndef HV_REGS_MSR
#define HV_REGS_MSR(index, field)
#endif

HV_REGS_SCALAR(HV_A_REGS_RAX, gpr[HV_RAX])
HV_REGS_SCALAR(HV_A_REGS_RBX, gpr[HV_RBX])
HV_REGS_SCALAR(HV_A_REGS_RCX, gpr[HV_RCX])
HV_REGS_SCALAR(HV_A_REGS_RDX, gpr[HV_RDX])
HV_REGS_SCALAR(HV_A_REGS_RSI, gpr[HV_RSI])
HV_REGS_SCALAR(HV_A_REGS_RDI, gpr[HV_RDI])
HV_REGS_SCALAR(HV_A_REGS_RSP, gpr[HV_RSP])
HV_REGS_SCALAR(HV_A_REGS_RBP, gpr[HV_RBP])
HV_REGS_SCALAR(HV_A_REGS_R8, gpr[HV_R8])
HV_REGS_SCALAR(HV_A_REGS_R9, gpr[HV_R9])
HV_REGS_SCALAR(HV_A_REGS_R10, gpr[HV_R10])
HV_REGS_SCALAR(HV_A_REGS_R11, gpr[HV_R11])
HV_REGS_SCALAR(HV_A_REGS_R12, gpr[HV_R12])
HV_REGS_SCALAR(HV_A_REGS_R13, gpr[HV_R13])
HV_REGS_SCALAR(HV_A_REGS_R14, gpr[HV_R14])
HV_REGS_SCALAR(HV_A_REGS_R15, gpr[HV_R15])
HV_REGS_SCALAR(HV_A_REGS_RIP, rip)
HV_REGS_SCALAR(HV_A_REGS_RFLAGS, rflags)
HV_REGS_SCALAR(HV_A_REGS_CR0, cr0)
HV_REGS_SCALAR(HV_A_REGS_CR2, cr2)
HV_REGS_SCALAR(HV_A_REGS_CR3, cr3)
HV_REGS_SCALAR(HV_A_REGS_CR4, cr4)
HV_REGS_SCALAR(HV_A_REGS_CR8, cr8)
HV_REGS_SCALAR(HV_A_REGS_EFER, efer)
HV_REGS_SCALAR(HV_A_REGS_DR0, dr[0])
HV_REGS_SCALAR(HV_A_REGS_DR1, dr[1])
HV_REGS_SCALAR(HV_A_REGS_DR2, dr[2])
HV_REGS_SCALAR(HV_A_REGS_DR3, dr[3])
HV_REGS_SCALAR(HV_A_REGS_DR6, dr6)
HV_REGS_SCALAR(HV_A_REGS_DR7, dr7)
HV_REGS_SCALAR(HV_A_REGS_APIC_BASE, apic_base)
HV_REGS_SCALAR(HV_A_REGS_TSC_DEADLINE, tsc_deadline)
HV_REGS_SCALAR(HV_A_REGS_NMI_PENDING, nmi_pending)
HV_REGS_SEGMENT(HV_A_REGS_CS, cs)
HV_REGS_SEGMENT(HV_A_REGS_DS, ds)
HV_REGS_SEGMENT(HV_A_REGS_ES, es)
HV_REGS_SEGMENT(HV_A_REGS_FS, fs)
HV_REGS_SEGMENT(HV_A_REGS_GS, gs)
HV_REGS_SEGMENT(HV_A_REGS_SS, ss)
HV_REGS_SEGMENT(HV_A_REGS_TR, tr)
HV_REGS_SEGMENT(HV_A_REGS_LDTR, ldtr)
HV_REGS_DTABLE(HV_A_REGS_GDTR, gdtr)
HV_REGS_DTABLE(HV_A_REGS_IDTR, idtr)
HV_REGS_MSR(0xc0000081, star)
HV_REGS_MSR(0xc0000082, lstar)
HV_REGS_MSR(0xc0000083, cstar)
HV_REGS_MSR(0xc0000084, sfmask)
HV_REGS_MSR(0xc0000102, kernel_gs_base)
HV_REGS_MSR(0x00000174, sysenter_cs)
HV_REGS_MSR(0x00000175, sysenter_esp)
HV_REGS_MSR(0x00000176, sysenter_eip)
HV_REGS_MSR(0x00000277, pat)
HV_REGS_MSR(0x00000010, tsc)

#undef HV_REGS_SCALAR
#undef HV_REGS_SEGMENT
#undef HV_REGS_DTABLE
#undef HV_REGS_MSR
