// SPDX-License-Identifier: GPL-2.0
/*
 * Each vCPU's local APIC, as its guest sees it (SDM Vol. 3A, ch. 11):
 * IA32_APIC_BASE after RESET and its transitions (#GP for the illegal
 * ones, CPUID.1:EDX.APIC following EN, a pass through disabled resetting
 * the registers), the xAPIC page's reset values, write masks, byte reads,
 * PPR, self IPIs and physical destinations landing in the IRR, illegal
 * vectors and registers in the ESR, software disable dropping interrupts;
 * in x2APIC mode the MSRs, their #GP rules, SELF IPI, the 64-bit ICR, and
 * the xAPIC page gone (its address reaches the owner as MMIO). Delivery:
 * a self IPI interrupts at once, requested vectors arrive in priority
 * order as EOIs lower PPR, TPR holds back lower classes until lowered,
 * STI's shadow and HLT behave as on the CPU, an IPI or the owner's MSI
 * (vm-msi) wakes a halted vCPU. The timer in its three modes, and a
 * periodic count of 1 held to the minimum period. irqfd: a write to the
 * eventfd interrupts the guest with no message, a re-registration
 * changes the MSI, a write before registration delivers once, a removed
 * one delivers nothing. ioeventfd: exactly the matching writes signal
 * their eventfd with no exit; other sizes, values, reads and removed
 * registrations reach the owner. A level-triggered EOI reaches the
 * owner as a notice, an edge-triggered one does not. Among four vCPUs,
 * IPIs reach exactly their destinations: physical, flat logical, the
 * shorthands, lowest priority, broadcast, x2APIC physical and cluster.
 * Where the CPU virtualizes the xAPIC page, only the accesses it leaves
 * to hv exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define HANDLER_GPA	0x12000
#define INTR_GPA	0x13000		/* the interrupt handlers */
#define CODE1_GPA	0x14000		/* vCPU 1's code */
#define TICKS_GPA	0x15000		/* lapic_hcount's counter */
#define GP_SEEN		0xd0d0d0d0

/* #GP: report GP_SEEN and step over the 2-byte RDMSR or WRMSR. */
GUEST_CODE(lapic_gp_skip, ".code64",
	"mov $0xd0d0d0d0, %eax\n"
	G_REPORT
	"add $8, %rsp\n"
	"addq $2, (%rsp)\n"
	"iretq\n");

#define G_READ(off)	"mov " #off "(%r8), %eax\n" G_REPORT
#define G_WRITE(off, v)	"movl $" #v ", " #off "(%r8)\n"

GUEST_CODE(lapic_xapic, ".code64",
	"mov $0x1b, %ecx\n rdmsr\n mov %edx, %ebx\n" G_REPORT
	"mov %ebx, %eax\n" G_REPORT
	"mov $0xfee00000, %r8d\n"
	G_READ(0x20)			/* ID */
	G_READ(0x30)			/* version */
	G_READ(0xf0)			/* SVR */
	G_READ(0xe0)			/* DFR */
	G_READ(0x350)			/* LVT LINT0 */
	G_WRITE(0x80, 0xffffff45)
	G_READ(0x80)			/* TPR: bits 7:0 */
	G_READ(0xa0)			/* PPR */
	"movzbl 0x32(%r8), %eax\n" G_REPORT	/* version, byte 2 */
	G_WRITE(0x80, 0)
	G_WRITE(0xf0, 0x1ff)		/* software enable */
	G_WRITE(0x350, 0xffffffff)
	G_READ(0x350)
	G_WRITE(0x300, 0x44031)		/* self IPI, vector 0x31 */
	G_READ(0x210)			/* IRR 63:32 */
	G_READ(0x110)			/* ISR 63:32 */
	G_WRITE(0x310, 0)
	G_WRITE(0x300, 0x4041)		/* to physical ID 0: this one */
	G_WRITE(0x310, 0x03000000)
	G_WRITE(0x300, 0x4042)		/* to physical ID 3: nobody */
	G_READ(0x220)			/* IRR 95:64 */
	G_WRITE(0x300, 0x44005)		/* illegal vector */
	G_WRITE(0x280, 0)
	G_READ(0x280)			/* ESR: send illegal vector */
	G_WRITE(0xf0, 0xff)		/* software disable */
	G_READ(0x350)			/* masked again */
	G_WRITE(0x300, 0x44043)		/* dropped */
	G_READ(0x220)
	G_READ(0x2f0)			/* no CMCI entry: reserved */
	G_WRITE(0x280, 0)
	G_READ(0x280)			/* ESR: illegal register address */
	"hlt\n");

#define G_RDMSR(msr)	"mov $" #msr ", %ecx\n rdmsr\n" G_REPORT
/* An RDMSR that raises #GP: the handler reports, nothing else does. */
#define G_RDMSR_GP(msr)	"mov $" #msr ", %ecx\n rdmsr\n"
#define G_WRMSR(msr, lo, hi)						\
	"mov $" #msr ", %ecx\n mov $" #lo ", %eax\n mov $" #hi ", %edx\n" \
	"wrmsr\n"
#define G_CPUID1_APIC							\
	"mov $1, %eax\n cpuid\n mov %edx, %eax\n shr $9, %eax\n"	\
	"and $1, %eax\n" G_REPORT

GUEST_CODE(lapic_x2apic, ".code64",
	G_CPUID1_APIC
	G_WRMSR(0x1b, 0xfee00d00, 0)	/* EN | EXTD: x2APIC */
	G_RDMSR(0x1b)
	G_RDMSR(0x802)			/* ID */
	G_RDMSR(0x80d)			/* LDR */
	G_RDMSR(0x803)			/* version */
	G_RDMSR_GP(0x80b)		/* EOI is write-only */
	G_RDMSR_GP(0x80e)		/* no DFR */
	G_WRMSR(0x808, 0x100, 0)	/* TPR bit 8 reserved: #GP */
	G_WRMSR(0x808, 0, 1)		/* bits 63:32 reserved: #GP */
	G_WRMSR(0x802, 5, 0)		/* ID is read-only: #GP */
	G_WRMSR(0x80f, 0x1ff, 0)	/* software enable */
	G_WRMSR(0x83f, 0x40, 0)		/* SELF IPI */
	G_RDMSR(0x822)			/* IRR 95:64 */
	G_WRMSR(0x830, 0x4050, 0)	/* fixed 0x50 to x2APIC ID 0 */
	G_WRMSR(0x830, 0x4051, 1)	/* to ID 1: nobody */
	G_RDMSR(0x822)
	"mov $0x830, %ecx\n rdmsr\n mov %edx, %ebx\n" G_REPORT
	"mov %ebx, %eax\n" G_REPORT
	"mov $0xfee00020, %r8d\n mov (%r8), %eax\n" G_REPORT
	G_WRMSR(0x1b, 0xfee00900, 0)	/* x2APIC to xAPIC: #GP */
	G_WRMSR(0x1b, 0xfee00100, 0)	/* disabled */
	G_CPUID1_APIC
	G_RDMSR_GP(0x802)		/* no x2APIC MSRs when disabled */
	G_WRMSR(0x1b, 0xfee00500, 0)	/* EXTD without EN: #GP */
	G_WRMSR(0x1b, 0xfee00d00, 0)	/* disabled to x2APIC: #GP */
	G_WRMSR(0x1b, 0xfee00900, 0)	/* xAPIC */
	G_CPUID1_APIC
	"mov $0xfee00000, %r8d\n"
	G_READ(0x20)			/* ID */
	G_READ(0xf0)			/* SVR: reset on the way */
	G_READ(0x220)			/* IRR: likewise */
	"hlt\n");

/* Interrupt handlers: report the vector, EOI, return. */
#define G_HANDLER(v)							\
	".globl lapic_h" #v "\n lapic_h" #v ":\n"			\
	"push %rax\n mov $0x" #v ", %eax\n jmp lapic_hcommon\n"
GUEST_CODE(lapic_handlers, ".code64",
	G_HANDLER(31) G_HANDLER(41) G_HANDLER(45) G_HANDLER(51)
	G_HANDLER(61) G_HANDLER(65) G_HANDLER(77)
	"lapic_hcommon:\n"
	"push %rdx\n push %r9\n"
	G_REPORT
	"mov $0xfee000b0, %r9d\n movl $0, (%r9)\n"
	"pop %r9\n pop %rdx\n pop %rax\n"
	"iretq\n"
	/* Counts in TICKS_GPA and reports 0x65. */
	".globl lapic_hcr\n lapic_hcr:\n"
	"push %rax\n lock incl 0x15000\n mov $0x65, %eax\n"
	"jmp lapic_hcommon\n"
	/* EOI and nothing else. */
	".globl lapic_heoi\n lapic_heoi:\n"
	"push %r9\n mov $0xfee000b0, %r9d\n movl $0, (%r9)\n pop %r9\n"
	"iretq\n"
	/* Counts in TICKS_GPA, silently; stops the timer at 200. */
	".globl lapic_hcount\n lapic_hcount:\n"
	"push %r9\n"
	"lock incl 0x15000\n"
	"cmpl $200, 0x15000\n jb 1f\n"
	"mov $0xfee00380, %r9d\n movl $0, (%r9)\n"
	"1: mov $0xfee000b0, %r9d\n movl $0, (%r9)\n"
	"pop %r9\n"
	"iretq\n"
	/* Counts in TICKS_GPA, silently, with an x2APIC EOI. */
	".globl lapic_hcount_x2\n lapic_hcount_x2:\n"
	"push %rax\n push %rcx\n push %rdx\n"
	"lock incl 0x15000\n"
	"xor %eax, %eax\n xor %edx, %edx\n mov $0x80b, %ecx\n wrmsr\n"
	"pop %rdx\n pop %rcx\n pop %rax\n"
	"iretq\n");
extern const unsigned char lapic_h31[], lapic_h41[], lapic_h45[],
	lapic_h51[], lapic_h61[], lapic_h65[], lapic_h77[], lapic_hcount[],
	lapic_hcount_x2[], lapic_hcr[], lapic_heoi[];

GUEST_CODE(lapic_deliver, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"sti\n"
	G_WRITE(0x300, 0x44031)		/* self IPI: taken at once */
	"mov $0x1111, %eax\n" G_REPORT
	G_READ(0x110)			/* ISR: retired by the EOI */
	"cli\n"
	G_WRITE(0x300, 0x44041)
	G_WRITE(0x300, 0x44061)
	G_WRITE(0x300, 0x44051)
	"sti\n nop\n"			/* taken after STI's shadow */
	"mov $0x2222, %eax\n" G_REPORT
	G_WRITE(0x80, 0x50)		/* TPR: class 5 and below wait */
	G_WRITE(0x300, 0x44045)
	G_WRITE(0x300, 0x44065)
	"mov $0x3333, %eax\n" G_REPORT
	G_WRITE(0x80, 0)
	"mov $0x4444, %eax\n" G_REPORT
	"cli\n"
	G_WRITE(0x300, 0x44031)
	"sti\n hlt\n"			/* pending: HLT does not stop */
	"mov $0x5555, %eax\n" G_REPORT
	"hlt\n");			/* nothing pending: halts */

/* A one-shot count of 50 ms in xAPIC mode, then one in x2APIC mode. */
GUEST_CODE(lapic_oneshot, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x3e0, 0xb)		/* divide by 1 */
	G_WRITE(0x320, 0x61)		/* one-shot, vector 0x61 */
	G_WRITE(0x380, 50000000)
	G_READ(0x390)			/* counting down */
	"sti\n hlt\n"
	G_READ(0x390)			/* ended at 0 */
	"cli\n"
	G_WRMSR(0x1b, 0xfee00d00, 0)	/* x2APIC: the count survives */
	G_WRMSR(0x838, 50000000, 0)
	G_RDMSR(0x839)
	G_WRMSR(0x838, 0, 0)		/* stopped */
	G_RDMSR(0x839)
	"hlt\n");

/*
 * A periodic count of 2 ms, each tick counted and reported (lapic_hcr),
 * stopped after the tenth; more may come while the guest gets there.
 */
GUEST_CODE(lapic_periodic, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x3e0, 0xb)
	G_WRITE(0x320, 0x20065)		/* periodic, vector 0x65 */
	"mov $0xb00, %eax\n" G_REPORT
	G_WRITE(0x380, 2000000)
	"sti\n"
	"1: hlt\n cmpl $10, 0x15000\n jb 1b\n"
	"cli\n"
	G_WRITE(0x380, 0)
	"mov $0xe00, %eax\n" G_REPORT
	G_READ(0x390)
	"hlt\n");

/* TSC-deadline mode (11.5.4.1). */
GUEST_CODE(lapic_deadline, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x320, 0x40031)		/* TSC-deadline, vector 0x31 */
	"rdtsc\n shl $32, %rdx\n or %rdx, %rax\n add $20000000, %rax\n"
	"mov %rax, %rbx\n mov %rax, %rdx\n shr $32, %rdx\n"
	"mov $0x6e0, %ecx\n wrmsr\n"
	"mov $0x6e0, %ecx\n rdmsr\n shl $32, %rdx\n or %rdx, %rax\n"
	"cmp %rbx, %rax\n sete %al\n movzbl %al, %eax\n" G_REPORT
	"sti\n hlt\n"
	"mov $0x6e0, %ecx\n rdmsr\n or %edx, %eax\n" G_REPORT
	G_WRMSR(0x6e0, 1, 0)		/* passed: fires at once */
	"nop\n"
	"mov $0xd1, %eax\n" G_REPORT
	"cli\n"
	G_WRMSR(0x6e0, 0xffffffff, 0x7fffffff)
	G_WRITE(0x380, 12345)		/* ignored in this mode */
	G_READ(0x380)
	G_WRITE(0x320, 0x31)		/* one-shot: disarms, clears */
	"mov $0x6e0, %ecx\n rdmsr\n or %edx, %eax\n" G_REPORT
	"hlt\n");

/*
 * Periodic with a count of 1: the host holds it to one tick per 100 us.
 * The handler stops it after 200 ticks (the guest itself may make no
 * progress meanwhile where handling a tick takes longer than that).
 */
GUEST_CODE(lapic_storm, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x3e0, 0xb)
	G_WRITE(0x320, 0x20041)
	"mov $0xd0, %eax\n" G_REPORT
	G_WRITE(0x380, 1)
	"sti\n"
	"1: cmpl $200, 0x15000\n jb 1b\n"
	"cli\n"
	"mov $0xd1, %eax\n" G_REPORT
	"mov 0x15000, %eax\n" G_REPORT
	"hlt\n");

/*
 * The error entry (vector 0x45) fires for an illegal vector sent, a
 * register that does not exist, and an illegal vector received; masked,
 * it does not.
 */
GUEST_CODE(lapic_error, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x370, 0x45)
	"sti\n"
	G_WRITE(0x300, 0x44005)		/* send illegal vector */
	"mov $0xe1, %eax\n" G_REPORT
	G_WRITE(0x280, 0)
	G_READ(0x280)
	G_WRITE(0x2f0, 0)		/* no such register */
	"mov $0xe2, %eax\n" G_REPORT
	G_WRITE(0x370, 0x10045)		/* masked */
	G_WRITE(0x300, 0x44006)
	"mov $0xe3, %eax\n" G_REPORT
	G_WRITE(0x280, 0)
	G_READ(0x280)			/* recorded all the same */
	G_WRITE(0x370, 0x45)
	"mov $0xe4, %eax\n" G_REPORT	/* the owner sends vector 7 */
	G_WRITE(0x280, 0)
	G_READ(0x280)
	"cli\n hlt\n");

/* Halts with interrupts on until the owner's MSI comes. */
GUEST_CODE(lapic_msi, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"sti\n"
	"mov $0xc0, %eax\n" G_REPORT
	"hlt\n"
	"mov $0xc1, %eax\n" G_REPORT
	"cli\n hlt\n");

/*
 * NMI handler: reports 2 and counts; the first one sends itself another
 * NMI, which must wait for its IRET.
 */
GUEST_CODE(lapic_nmi_handler, ".code64",
	"push %rax\n push %rdx\n push %r9\n"
	"mov $2, %eax\n" G_REPORT
	"lock incl 0x15000\n"
	"cmpl $1, 0x15000\n jne 1f\n"
	"mov $0xfee00300, %r9d\n movl $0x44400, (%r9)\n"
	"mov $0x22, %eax\n" G_REPORT
	"1: pop %r9\n pop %rdx\n pop %rax\n"
	"iretq\n");

GUEST_CODE(lapic_nmi, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"sti\n"
	G_WRITE(0x300, 0x44400)		/* self NMI */
	"mov $0xa1, %eax\n" G_REPORT
	"cli\n hlt\n"			/* an NMI ends it all the same */
	"mov $0xa2, %eax\n" G_REPORT
	"hlt\n");

/* State for the register record: TPR, a one-shot count, a vector due. */
GUEST_CODE(lapic_state, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x80, 0x20)
	G_WRITE(0x3e0, 0xb)		/* divide by 1 */
	G_WRITE(0x320, 0x45)		/* one-shot, vector 0x45 */
	G_WRITE(0x380, 0x40000000)	/* about 1.07 s */
	"cli\n"
	G_WRITE(0x300, 0x44051)		/* self IPI 0x51, IF clear: waits */
	"mov $0xa0, %eax\n" G_REPORT
	"hlt\n");

/* CR8 is TPR[7:4]; lowering it lets in what it held back. */
GUEST_CODE(lapic_cr8, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x80, 0x57)
	"mov %cr8, %rax\n" G_REPORT
	"mov $3, %eax\n mov %rax, %cr8\n"
	G_READ(0x80)
	"mov $6, %eax\n mov %rax, %cr8\n"
	"sti\n"
	G_WRITE(0x300, 0x44051)		/* self IPI, class 5: held */
	"mov $0xa1, %eax\n" G_REPORT
	"xor %eax, %eax\n mov %rax, %cr8\n"
	"nop\n"
	"mov $0xa2, %eax\n" G_REPORT
	"cli\n"
	G_WRITE(0x80, 0x4a)
	"hlt\n");

/* LINT0 takes the owner's 8259: TPR 0xf0 does not hold it back. */
GUEST_CODE(lapic_pic, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x350, 0x700)		/* LINT0: external interrupt */
	G_WRITE(0x80, 0xf0)
	"mov $0xc0, %eax\n" G_REPORT
	"1: sti\n hlt\n cli\n"
	"mov $0xc1, %eax\n" G_REPORT
	"jmp 1b\n");

/* x2APIC handlers: report the vector, EOI through the MSR, return. */
#define G_X2HANDLER(v)							\
	".globl lapic_x" #v "\n lapic_x" #v ":\n"			\
	"push %rax\n mov $0x" #v ", %eax\n jmp lapic_xcommon\n"
GUEST_CODE(lapic_x2handlers, ".code64",
	G_X2HANDLER(41) G_X2HANDLER(45) G_X2HANDLER(51) G_X2HANDLER(61)
	G_X2HANDLER(77)
	"lapic_xcommon:\n"
	"push %rcx\n push %rdx\n"
	G_REPORT
	"xor %eax, %eax\n xor %edx, %edx\n mov $0x80b, %ecx\n wrmsr\n"
	"pop %rdx\n pop %rcx\n pop %rax\n"
	"iretq\n");
extern const unsigned char lapic_x41[], lapic_x45[], lapic_x51[],
	lapic_x61[], lapic_x77[];

/*
 * The x2APIC operations a CPU with APICv does without exits: self IPIs,
 * EOIs, TPR and CR8, register reads; then a level-triggered vector from
 * the owner whose EOI must still reach it.
 */
GUEST_CODE(lapic_x2virt, ".code64",
	G_WRMSR(0x1b, 0xfee00d00, 0)
	G_WRMSR(0x80f, 0x1ff, 0)
	G_WRMSR(0x83f, 0x41, 0)		/* IF=0: all three wait */
	G_WRMSR(0x83f, 0x61, 0)
	G_WRMSR(0x83f, 0x51, 0)
	G_RDMSR(0x822)			/* IRR 64-95: 0x41 and 0x51 */
	"sti\n nop\n"
	"mov $0x2222, %eax\n" G_REPORT
	G_WRMSR(0x808, 0x50, 0)		/* TPR: class 5 and below wait */
	G_WRMSR(0x83f, 0x45, 0)
	"mov $0x3333, %eax\n" G_REPORT
	G_RDMSR(0x80a)			/* PPR */
	"xor %eax, %eax\n mov %rax, %cr8\n"
	"nop\n"
	"mov $0x4444, %eax\n" G_REPORT
	G_RDMSR(0x808)
	G_WRMSR(0x83f, 5, 0)		/* illegal vector: left to hv */
	G_WRMSR(0x828, 0, 0)
	G_RDMSR(0x828)			/* ESR: send illegal vector */
	"mov $0xc0, %eax\n" G_REPORT
	"hlt\n"			/* the owner's MSI ends it */
	"mov $0xc1, %eax\n" G_REPORT
	"cli\n hlt\n");

/*
 * lapic_x2virt's operations through the xAPIC page: where the CPU
 * virtualizes APIC accesses only the first write (the APIC software
 * disabled keeps the page unmapped), the PPR read, the illegal vector and
 * the ESR write reach hv, the last two as APIC-write exits.
 */
GUEST_CODE(lapic_xvirt, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x300, 0x44041)		/* IF=0: all three wait */
	G_WRITE(0x300, 0x44061)
	G_WRITE(0x300, 0x44051)
	G_READ(0x220)			/* IRR 64-95: 0x41 and 0x51 */
	"sti\n nop\n"
	"mov $0x2222, %eax\n" G_REPORT
	G_WRITE(0x80, 0x50)		/* TPR: class 5 and below wait */
	G_WRITE(0x300, 0x44045)
	"mov $0x3333, %eax\n" G_REPORT
	G_READ(0xa0)			/* PPR */
	"xor %eax, %eax\n mov %rax, %cr8\n"
	"nop\n"
	"mov $0x4444, %eax\n" G_REPORT
	G_READ(0x80)
	G_WRITE(0x300, 0x44005)		/* illegal vector: left to hv */
	G_WRITE(0x280, 0)
	G_READ(0x280)			/* ESR: send illegal vector */
	"mov $0xc0, %eax\n" G_REPORT
	"hlt\n"			/* the owner's MSI ends it */
	"mov $0xc1, %eax\n" G_REPORT
	"cli\n hlt\n");

/* A tick every 500 us, each ending a halt: a halt notice each. */
GUEST_CODE(lapic_halts, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRITE(0x3e0, 0xb)
	G_WRITE(0x320, 0x20041)
	G_WRITE(0x380, 500000)
	"sti\n"
	"1: hlt\n jmp 1b\n");

/* Halts with interrupts on, again after each interrupt. */
GUEST_CODE(lapic_wait, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"mov $0xc0, %eax\n" G_REPORT
	"1: sti\n hlt\n cli\n"
	"mov $0xc1, %eax\n" G_REPORT
	"jmp 1b\n");

/* Writes that ioeventfds take, and others that reach the owner. */
GUEST_CODE(lapic_ioevent, ".code64",
	"mov $0x600, %dx\n mov $1, %al\n"
	"out %al, (%dx)\n out %al, (%dx)\n out %al, (%dx)\n"
	"mov $2, %ax\n out %ax, (%dx)\n"		/* size 2: owner */
	"mov $0x602, %dx\n mov $7, %eax\n out %eax, (%dx)\n"
	"mov $8, %eax\n out %eax, (%dx)\n"		/* not 7: owner */
	"mov $0x600, %dx\n in (%dx), %al\n"		/* a read: owner */
	"mov $0xfed01000, %r9d\n movl $5, (%r9)\n"
	"movb $6, (%r9)\n"				/* size 1: owner */
	"mov $0x610, %dx\n out %al, (%dx)\n"	/* eventfd closed */
	"mov $0xc0, %eax\n" G_REPORT
	"mov $0x600, %dx\n mov $9, %al\n out %al, (%dx)\n"
	"hlt\n");

/* The BSP starts the other three with INIT, SIPI, SIPI to all but self. */
GUEST_CODE(lapic_bsp, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"xor %eax, %eax\n" G_REPORT
	G_WRITE(0x300, 0xc4500)		/* INIT, assert, all but self */
	"mov $1, %eax\n" G_REPORT
	G_WRITE(0x300, 0xc4620)		/* START-UP, vector 0x20 */
	"mov $2, %eax\n" G_REPORT
	G_WRITE(0x300, 0xc4620)		/* the second: started APs ignore it */
	"mov $3, %eax\n" G_REPORT
	"cli\n hlt\n");

/* An AP, from 0x20000 in real mode (CS 0x2000, IP 0), interrupts off. */
#define AP_GPA		0x20000
GUEST_CODE(lapic_ap, ".code16",
	"mov $0x1000, %dx\n mov $0xa9, %eax\n out %eax, (%dx)\n"
	"hlt\n");

/* vCPU 0 reports, then sends vector 0x77 to APIC ID 1. */
GUEST_CODE(lapic_ipi_sender, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"mov $0xaaaa, %eax\n" G_REPORT
	G_WRITE(0x310, 0x01000000)
	G_WRITE(0x300, 0x4077)
	"mov $0xbbbb, %eax\n" G_REPORT
	"cli\n hlt\n");

/* vCPU 1 halts with interrupts on; the IPI wakes it. */
GUEST_CODE(lapic_ipi_target, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"sti\n hlt\n"
	"mov $0x7777, %eax\n" G_REPORT
	"cli\n hlt\n");

/*
 * Destinations among four vCPUs (SDM Vol. 3A, 11.6.2, 11.12.10). Each AP
 * (vCPU id in %r15, which the handlers use) takes flat logical ID
 * 1 << id, counts its vectors at COUNTS_GPA + id * 0x40 + (vector -
 * 0x50) * 4 and all of them at TOTAL_GPA; vCPU 0 sends with interrupts
 * off (the IPIs that include it stay in its IRR, which it reports).
 * Vector 0x5f moves an AP to x2APIC mode for the second half.
 */
#define COUNTS_GPA	0x16000
#define TOTAL_GPA	0x16800
#define READY_GPA	0x16a00
#define G_DEST_HANDLER(v)						\
	".globl lapic_d" #v "\n lapic_d" #v ":\n"			\
	"push %rax\n mov $0x" #v ", %eax\n jmp lapic_dcommon\n"
GUEST_CODE(lapic_dhandlers, ".code64",
	G_DEST_HANDLER(50) G_DEST_HANDLER(51) G_DEST_HANDLER(52)
	G_DEST_HANDLER(53) G_DEST_HANDLER(54) G_DEST_HANDLER(55)
	G_DEST_HANDLER(56) G_DEST_HANDLER(57) G_DEST_HANDLER(58)
	G_DEST_HANDLER(5f)
	"lapic_dcommon:\n"
	"push %rcx\n push %rdx\n"
	"mov %r15, %rdx\n shl $6, %rdx\n"
	"lock incl 0x16000-0x50*4(%rdx,%rax,4)\n"
	"cmp $0x5f, %eax\n jne 1f\n"
	"mov $0x1b, %ecx\n rdmsr\n or $0xc00, %eax\n wrmsr\n"
	"1: mov $0x1b, %ecx\n rdmsr\n test $0x400, %eax\n jz 2f\n"
	"xor %eax, %eax\n xor %edx, %edx\n mov $0x80b, %ecx\n wrmsr\n"
	"jmp 3f\n"
	"2: mov $0xfee000b0, %ecx\n movl $0, (%rcx)\n"
	"3: lock incl 0x16800\n"
	"pop %rdx\n pop %rcx\n pop %rax\n"
	"iretq\n");
extern const unsigned char lapic_d50[], lapic_d51[], lapic_d52[],
	lapic_d53[], lapic_d54[], lapic_d55[], lapic_d56[], lapic_d57[],
	lapic_d58[], lapic_d5f[];

GUEST_CODE(lapic_dest_ap, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"mov 0x20(%r8), %r15d\n shr $24, %r15d\n"
	"mov %r15d, %ecx\n mov $1, %eax\n shl %cl, %eax\n shl $24, %eax\n"
	"mov %eax, 0xd0(%r8)\n"		/* LDR: flat, 1 << id */
	"lock incl 0x16a00\n"
	"sti\n"
	"1: hlt\n jmp 1b\n");

/* ICR high, then low: xAPIC. */
#define G_IPI(dest, lo)							\
	G_WRITE(0x310, dest) G_WRITE(0x300, lo)
#define G_X2IPI(dest, lo)	G_WRMSR(0x830, lo, dest)
/* Wait for the handlers to have counted @n in all. */
#define G_WAIT_TOTAL(n)							\
	"1: pause\n cmpl $" #n ", 0x16800\n jb 1b\n"

GUEST_CODE(lapic_dest_bsp, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"1: pause\n cmpl $3, 0x16a00\n jb 1b\n"
	G_IPI(0x02000000, 0x4050)	/* physical ID 2 */
	G_IPI(0x0a000000, 0x4851)	/* logical flat 1 and 3 */
	G_IPI(0, 0xc4052)		/* all but self */
	G_IPI(0, 0x84053)		/* all, self included */
	G_IPI(0x06000000, 0x4954)	/* lowest priority of 1 and 2 */
	G_IPI(0xff000000, 0x4055)	/* physical broadcast */
	G_WAIT_TOTAL(13)
	G_READ(0x220)			/* own IRR: 0x53 and 0x55 */
	G_IPI(0, 0xc405f)		/* APs: to x2APIC mode */
	G_WAIT_TOTAL(16)
	G_WRMSR(0x1b, 0xfee00d00, 0)
	G_X2IPI(3, 0x4056)		/* physical ID 3 */
	G_X2IPI(6, 0x4857)		/* cluster 0, members 1 and 2 */
	G_X2IPI(0xffffffff, 0x4058)	/* broadcast */
	G_WAIT_TOTAL(22)
	G_RDMSR(0x822)			/* own IRR: 0x58 more */
	"hlt\n");

/* x2APIC mode, APIC software-enabled. */
#define G_X2APIC_ON							\
	"mov $0x1b, %ecx\n rdmsr\n or $0xc00, %eax\n wrmsr\n"		\
	"mov $0x80f, %ecx\n mov $0x1ff, %eax\n xor %edx, %edx\n wrmsr\n"

/*
 * Ping-pong for halt polling, in x2APIC mode (no exit but the IPI's and
 * the HLT's): vCPU 0 waits for vCPU 1 to be about to halt (the flag at
 * 0x15008), a little more, sends it vector 0x41 and waits for its
 * handler (lapic_hcount_x2) to count it; 100 times; it reports the count
 * and does it 100 times more.
 */
GUEST_CODE(lapic_pingpong_sender, ".code64",
	G_X2APIC_ON
	"mov $0xaaaa, %eax\n" G_REPORT
	"mov $100, %esi\n"
	"1: mov 0x15000, %ebx\n"
	"3: pause\n cmpl $0, 0x15008\n je 3b\n"
	"movl $0, 0x15008\n"
	"mov $1000, %edi\n 4: dec %edi\n jnz 4b\n"
	"mov $0x830, %ecx\n mov $0x4041, %eax\n mov $1, %edx\n wrmsr\n"
	"2: pause\n cmp 0x15000, %ebx\n je 2b\n"
	"cmp %esi, 0x15000\n jb 1b\n"
	"mov 0x15000, %eax\n" G_REPORT
	"add $100, %esi\n cmp $200, %esi\n jbe 1b\n"
	"cli\n hlt\n");

/*
 * vCPU 1 raises the flag and halts; STI's shadow holds the interrupt
 * until the HLT, which it then ends.
 */
GUEST_CODE(lapic_pingpong_target, ".code64",
	G_X2APIC_ON
	"1: cli\n movl $1, 0x15008\n sti\n hlt\n jmp 1b\n");

/*
 * The APIC moved over RAM and over memory nothing backs. Over RAM, the
 * RAM wins (writes land in it, the APIC keeps its registers); over a
 * hole, the APIC answers at its new base and the old one is the owner's.
 */
GUEST_CODE(lapic_moved, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_WRMSR(0x1b, 0x30900, 0)	/* over RAM */
	"movl $0x1234, 0x30080\n"	/* TPR's offset */
	G_WRMSR(0x1b, 0xfee00900, 0)
	G_READ(0x80)			/* TPR: untouched */
	"mov 0x30080, %eax\n" G_REPORT	/* the RAM has it */
	G_WRMSR(0x1b, 0xfed00900, 0)	/* over a hole */
	"mov $0xfed00000, %r8d\n"
	G_READ(0x30)			/* the version, from the APIC */
	"mov $0xfee00030, %eax\n mov (%rax), %eax\n" G_REPORT
	G_WRMSR(0x1b, 0xfee00900, 0)
	"hlt\n");

/*
 * The APIC's ID through the page, twice around a report: the owner maps
 * RAM over 0xfee00000 while the vCPU waits, and RAM wins from then on.
 */
GUEST_CODE(lapic_ram_over, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	G_READ(0x20)			/* ID 0, the APIC's */
	G_READ(0x20)			/* the RAM's */
	"hlt\n");

/*
 * vCPU 0 sends 5,000 fixed IPIs to every vCPU, itself included, with
 * its own interrupts off, once vCPU 1 has enabled its APIC (a software-
 * disabled one drops them); vCPU 1 counts the ones it takes.
 */
GUEST_CODE(lapic_storm_sender, ".code64",
	G_WRMSR(0x1b, 0xfee00d00, 0)
	G_WRMSR(0x80f, 0x1ff, 0)
	"1: pause\n cmpl $1, 0x15004\n jne 1b\n"
	"mov $0xaaaa, %eax\n" G_REPORT
	"mov $5000, %esi\n"
	"mov $0x830, %ecx\n xor %edx, %edx\n"
	"1: mov $0x80041, %eax\n wrmsr\n dec %esi\n jnz 1b\n"
	"mov $0x5555, %eax\n" G_REPORT
	"hlt\n");

GUEST_CODE(lapic_storm_target, ".code64",
	"mov $0xfee00000, %r8d\n"
	G_WRITE(0xf0, 0x1ff)
	"movl $1, 0x15004\n"
	"sti\n"
	"1: hlt\n jmp 1b\n");

FIXTURE(lapic) {
	struct tvm vm;
	struct hv_message ev;
};

FIXTURE_SETUP(lapic)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 1));
	tvm_load(&self->vm, HANDLER_GPA, lapic_gp_skip_start, lapic_gp_skip_end);
}

FIXTURE_TEARDOWN(lapic)
{
	tvm_destroy(&self->vm);
}

#define REPORT(want) do {						\
		uint64_t v_;						\
		ASSERT_EQ(0, tvm_expect_report(&self->vm, &v_, 10000));	\
		EXPECT_EQ((uint64_t)(want), v_);			\
	} while (0)

static int start(struct __test_metadata *_metadata, struct tvm *vm,
		 const unsigned char *code, const unsigned char *end)
{
	tvm_load(vm, CODE_GPA, code, end);
	ASSERT_EQ(0, tvm_set_mode(vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(vm, 0, MODE_LONG64));
	tvm_set_gate(vm, MODE_LONG64, 13, HANDLER_GPA);
	return 0;
}

/* Whether the guest's run counts the APIC timer down (hvctl info). */
static bool timer_in_run(struct tvm *vm)
{
	struct hv_info info;

	return hv_get_info(vm->h, &info) == 0 &&
	       !strcmp(info.apic_timer, "preemption-timer");
}

/* Whether the CPU delivers the APIC's vectors itself (hvctl info: apicv). */
static bool cpu_delivers(struct tvm *vm)
{
	struct hv_info info;

	return hv_get_info(vm->h, &info) == 0 && strcmp(info.apicv, "off");
}

/* The CPU virtualizes accesses to the xAPIC page (irq/apic_page.c). */
static bool cpu_has_xapic_page(struct tvm *vm)
{
	struct hv_info info;

	return hv_get_info(vm->h, &info) == 0 && strcmp(info.apicv, "off") &&
	       (info.caps & HV_CAP_APIC_ACCESS_VIRT);
}

TEST_F(lapic, xapic_registers)
{
	start(_metadata, &self->vm, lapic_xapic_start, lapic_xapic_end);
	REPORT(0xfee00900);		/* EN, BSP, 0xfee00000 */
	REPORT(0);
	REPORT(0);			/* ID of vCPU 0 */
	REPORT(0x00050014);		/* version 0x14, 6 LVT entries */
	REPORT(0xff);
	REPORT(0xffffffff);
	REPORT(0x00010000);		/* masked */
	REPORT(0x45);
	REPORT(0x45);
	REPORT(0x05);
	REPORT(0x0001a7ff);		/* LINT0's writable bits */
	REPORT(1u << (0x31 - 32));
	REPORT(0);			/* not delivered: nothing in service */
	REPORT((1u << (0x41 - 64)));
	REPORT(0x20);			/* send illegal vector */
	REPORT(0x0001a7ff);
	REPORT((1u << (0x41 - 64)));
	REPORT(0);
	REPORT(0x80);			/* illegal register address */
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(lapic, x2apic_registers_and_base_transitions)
{
	start(_metadata, &self->vm, lapic_x2apic_start, lapic_x2apic_end);
	REPORT(1);			/* CPUID.1:EDX.APIC */
	REPORT(0xfee00d00);
	REPORT(0);			/* x2APIC ID */
	REPORT(1);			/* cluster 0, bit 0 */
	REPORT(0x00050014);
	REPORT(GP_SEEN);
	REPORT(GP_SEEN);
	REPORT(GP_SEEN);
	REPORT(GP_SEEN);
	REPORT(GP_SEEN);
	REPORT(1u << (0x40 - 64));
	REPORT((1u << (0x40 - 64)) | (1u << (0x50 - 64)));
	REPORT(0x4051);			/* ICR 31:0 */
	REPORT(1);			/* ICR 63:32: the destination */

	/* No xAPIC page in x2APIC mode: the owner answers. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MMIO, self->ev.reason);
	EXPECT_EQ(HV_DIR_READ, self->ev.dir);
	EXPECT_EQ(0xfee00020, self->ev.gpa);
	EXPECT_EQ(4, self->ev.size);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0x12345678));
	REPORT(0x12345678);

	REPORT(GP_SEEN);		/* x2APIC to xAPIC */
	REPORT(0);			/* disabled: CPUID hides the APIC */
	REPORT(GP_SEEN);
	REPORT(GP_SEEN);
	REPORT(GP_SEEN);
	REPORT(1);
	REPORT(0);
	REPORT(0xff);
	REPORT(0);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

static void set_handlers(struct tvm *vm)
{
	static const struct { uint32_t v; const unsigned char *h; } g[] = {
		{ 0x31, lapic_h31 }, { 0x41, lapic_h41 }, { 0x45, lapic_h45 },
		{ 0x51, lapic_h51 }, { 0x61, lapic_h61 }, { 0x65, lapic_h65 },
		{ 0x77, lapic_h77 },
	};
	unsigned int i;

	tvm_load(vm, INTR_GPA, lapic_handlers_start, lapic_handlers_end);
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		tvm_set_gate(vm, MODE_LONG64, g[i].v,
			     INTR_GPA + (g[i].h - lapic_handlers_start));
}

TEST_F(lapic, interrupts_arrive_in_priority_order)
{
	bool apicv = cpu_delivers(&self->vm);
	bool page = cpu_has_xapic_page(&self->vm);
	struct hv_stats st;

	start(_metadata, &self->vm, lapic_deliver_start, lapic_deliver_end);
	set_handlers(&self->vm);
	REPORT(0x31);
	REPORT(0x1111);
	REPORT(0);
	/* Each EOI lets the next class in. */
	REPORT(0x61);
	REPORT(0x51);
	REPORT(0x41);
	REPORT(0x2222);
	/* 0x45 waits for TPR to fall below its class. */
	REPORT(0x65);
	REPORT(0x3333);
	REPORT(0x45);
	REPORT(0x4444);
	REPORT(0x31);
	REPORT(0x5555);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	/*
	 * Seven self IPIs, each injected once; no timer. Where the CPU
	 * delivers them, hv posts them instead; where it virtualizes the
	 * xAPIC page too, it sends them itself and hv sees none.
	 */
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(page ? 0 : 7, st.ipis);
	EXPECT_EQ(apicv ? 0 : 7, st.intr_injected);
	EXPECT_EQ(apicv && !page ? 7 : 0, st.intr_posted);
	EXPECT_EQ(0, st.timer_fired);
}

/*
 * The next report, past the HLT notices of a guest that waits for its
 * timer (whether it halts before the tick depends on the host's timing).
 */
#define TICK(want) do {							\
		do {							\
			ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev,	\
						   10000));		\
		} while (self->ev.reason == HV_EXIT_REASON_HLT);	\
		ASSERT_EQ(HV_EXIT_REASON_IO, self->ev.reason);		\
		ASSERT_EQ(TEST_PORT, self->ev.port);			\
		EXPECT_EQ((uint64_t)(want), self->ev.data);		\
		ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));	\
	} while (0)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

TEST_F(lapic, oneshot_timer_counts_down_once)
{
	uint64_t v;

	start(_metadata, &self->vm, lapic_oneshot_start, lapic_oneshot_end);
	set_handlers(&self->vm);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_GT(v, 0);
	EXPECT_LE(v, 50000000);
	TICK(0x61);
	REPORT(0);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_GT(v, 0);
	EXPECT_LE(v, 50000000);
	REPORT(0);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(lapic, periodic_timer_ticks_no_faster_than_its_period)
{
	uint64_t t0, t10;

	start(_metadata, &self->vm, lapic_periodic_start, lapic_periodic_end);
	set_handlers(&self->vm);
	tvm_set_gate(&self->vm, MODE_LONG64, 0x65,
		     INTR_GPA + (lapic_hcr - lapic_handlers_start));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(0xb00, self->ev.data);
	/* Before the count starts: ten ticks take ten periods at least. */
	t0 = now_ns();
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	for (int i = 0; i < 10; i++)
		TICK(0x65);
	t10 = now_ns();
	EXPECT_GE(t10 - t0, 10 * 2000000ULL);
	do {
		do {
			ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
		} while (self->ev.reason == HV_EXIT_REASON_HLT);
		ASSERT_EQ(TEST_PORT, self->ev.port);
		ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	} while (self->ev.data == 0x65);
	EXPECT_EQ(0xe00, self->ev.data);
	REPORT(0);			/* stopped: TMCCT reads 0 */
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(lapic, tsc_deadline_timer)
{
	start(_metadata, &self->vm, lapic_deadline_start, lapic_deadline_end);
	set_handlers(&self->vm);
	REPORT(1);			/* the deadline reads back */
	TICK(0x31);
	REPORT(0);			/* cleared when it fired */
	REPORT(0x31);
	REPORT(0xd1);
	REPORT(0);			/* TMICT ignored */
	REPORT(0);			/* leaving the mode clears it */
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

/* Every tick is an exit or two: Bochs needs more than the default 30 s. */
TEST_F_TIMEOUT(lapic, periodic_timer_of_count_1_is_held_to_the_minimum_period,
	       120)
{
	struct hv_stats st;
	uint64_t t0, t1, n;

	start(_metadata, &self->vm, lapic_storm_start, lapic_storm_end);
	set_handlers(&self->vm);
	tvm_set_gate(&self->vm, MODE_LONG64, 0x41,
		     INTR_GPA + (lapic_hcount - lapic_handlers_start));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(0xd0, self->ev.data);
	t0 = now_ns();
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 60000));
	t1 = now_ns();
	EXPECT_EQ(0xd1, self->ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &n, 10000));
	/* One more if a tick was already requested when it stopped. */
	EXPECT_GE(n, 200);
	EXPECT_LE(n, 201);
	EXPECT_GE(t1 - t0, 200 * 100000ULL);
	TH_LOG("%llu ticks in %llu us", (unsigned long long)n,
	       (unsigned long long)(t1 - t0) / 1000);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	/*
	 * The guest never halts while the timer runs: where its run counts
	 * the timer down, every expiry is an exit of its own and none a
	 * host interrupt; elsewhere none is.
	 */
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	/* More where a tick came while the previous one was in IRR. */
	EXPECT_GE(st.timer_fired, n);
	EXPECT_EQ(timer_in_run(&self->vm) ? st.timer_fired : 0,
		  st.exits[HV_STAT_TIMER]);
}

TEST_F(lapic, errors_raise_the_error_entry)
{
	start(_metadata, &self->vm, lapic_error_start, lapic_error_end);
	set_handlers(&self->vm);
	REPORT(0x45);
	REPORT(0xe1);
	REPORT(0x20);			/* send illegal vector */
	REPORT(0x45);
	REPORT(0xe2);
	REPORT(0xe3);
	REPORT(0xa0);			/* illegal register, illegal vector */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(0xe4, self->ev.data);
	/* An MSI with vector 7: the receiver records and signals it. */
	EXPECT_EQ(0, hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x07));
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	REPORT(0x45);
	REPORT(0x40);			/* receive illegal vector */
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(lapic, msi_from_the_owner_wakes_the_vcpu)
{
	struct hv *other;

	start(_metadata, &self->vm, lapic_msi_start, lapic_msi_end);
	set_handlers(&self->vm);
	REPORT(0xc0);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	/* What hv cannot deliver is refused, with the reason. */
	EXPECT_EQ(-EINVAL, hv_vm_msi(self->vm.h, self->vm.id, 0xfed00000, 0x31));
	EXPECT_STREQ("msi-addr is not in the 0xfee00000-0xfeefffff window",
		     hv_errmsg(self->vm.h));
	EXPECT_EQ(-EOPNOTSUPP,
		  hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x200));
	EXPECT_STREQ("only fixed, lowest-priority and NMI MSIs are delivered so far",
		     hv_errmsg(self->vm.h));
	EXPECT_EQ(-ERANGE,
		  hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x10031));
	EXPECT_EQ(-ENOENT, hv_vm_msi(self->vm.h, self->vm.id + 1000,
				     0xfee00000, 0x31));
	ASSERT_EQ(0, hv_open(&other));
	EXPECT_EQ(-EPERM, hv_vm_msi(other, self->vm.id, 0xfee00000, 0x31));
	hv_close(other);
	/* To APIC ID 1, which no vCPU has: nobody takes it. */
	EXPECT_EQ(0, hv_vm_msi(self->vm.h, self->vm.id, 0xfee01000, 0x41));

	/* Fixed, vector 0x31, to APIC ID 0. */
	EXPECT_EQ(0, hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x4031));
	REPORT(0x31);
	REPORT(0xc1);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

/*
 * @vcpu's state once it is @state, or after 10 s of asking (for a halt,
 * which without notices nothing else reports); UINT32_MAX on error.
 */
static uint32_t vcpu_state_after(struct tvm *vm, uint32_t vcpu,
				 uint32_t state)
{
	struct hv_vcpu_info ci = { 0 };

	for (int i = 0; i < 10000; i++) {
		if (hv_vcpu_get(vm->h, vm->id, vcpu, &ci))
			return UINT32_MAX;
		if (ci.state == state)
			break;
		usleep(1000);
	}
	return ci.state;
}

/*
 * Without halt notices a halt sends the owner nothing: the MSI that ends
 * it is followed by the handler's report, not by a hlt notice.
 */
TEST_F(lapic, halts_without_notices_send_the_owner_nothing)
{
	struct hv_vm_info vi;
	struct hv_stats st;

	start(_metadata, &self->vm, lapic_msi_start, lapic_msi_end);
	set_handlers(&self->vm);
	ASSERT_EQ(0, hv_vm_get(self->vm.h, self->vm.id, NULL, &vi));
	EXPECT_EQ(1, vi.halt_notices);
	ASSERT_EQ(0, hv_vm_set_halt_notices(self->vm.h, self->vm.id, 0));
	ASSERT_EQ(0, hv_vm_get(self->vm.h, self->vm.id, NULL, &vi));
	EXPECT_EQ(0, vi.halt_notices);
	REPORT(0xc0);
	/* Wait for the halt itself, which the vCPU's state shows. */
	ASSERT_EQ(HV_VCPU_STATE_HALTED, vcpu_state_after(&self->vm, 0,
							 HV_VCPU_STATE_HALTED));
	EXPECT_EQ(0, hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x4031));
	REPORT(0x31);
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(0xc1, self->ev.data);
	/* Back on before the guest's last HLT. */
	ASSERT_EQ(0, hv_vm_set_halt_notices(self->vm.h, self->vm.id, 1));
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(2, st.exits[HV_STAT_HLT]);
}

static void expect_exit(struct __test_metadata *_metadata, struct tvm *vm,
			uint32_t reason, uint32_t dir, uint64_t addr,
			uint32_t size, uint64_t data)
{
	struct hv_message ev;

	ASSERT_EQ(0, tvm_next_exit(vm, &ev, 10000));
	ASSERT_EQ(reason, ev.reason);
	EXPECT_EQ(dir, ev.dir);
	EXPECT_EQ(addr, reason == HV_EXIT_REASON_IO ? ev.port : ev.gpa);
	EXPECT_EQ(size, ev.size);
	if (dir == HV_DIR_WRITE)
		EXPECT_EQ(data, ev.data);
	ASSERT_EQ(0, tvm_complete(vm, &ev, 0));
}

static uint64_t efd_count(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return n;
}

TEST_F(lapic, nmis_wait_for_the_handlers_iret_and_end_a_halt)
{
	struct hv_stats st;

	start(_metadata, &self->vm, lapic_nmi_start, lapic_nmi_end);
	tvm_load(&self->vm, INTR_GPA, lapic_nmi_handler_start,
		 lapic_nmi_handler_end);
	tvm_set_gate(&self->vm, MODE_LONG64, 2, INTR_GPA);
	REPORT(2);
	REPORT(0x22);		/* the second NMI is held until IRET */
	REPORT(2);
	REPORT(0xa1);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	/* The owner's NMI message wakes it with interrupts off. */
	ASSERT_EQ(0, hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x400));
	REPORT(2);
	REPORT(0xa2);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(3, st.intr_injected);
	EXPECT_EQ(2, st.ipis);
}

static void set_lreg(struct hv_regs *r, uint32_t off, uint32_t v)
{
	memcpy(r->lapic + off, &v, sizeof(v));
}

TEST_F(lapic, apic_state_is_in_the_register_record)
{
	struct hv_regs r, bad, again;
	uint32_t tmcct;

	start(_metadata, &self->vm, lapic_state_start, lapic_state_end);
	REPORT(0xa0);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(0xfee00900, r.apic_base);
	EXPECT_EQ(2, r.cr8);
	EXPECT_EQ(0, r.nmi_pending);
	EXPECT_EQ(0x20, hv_lapic_reg(&r, 0x80));		/* TPR */
	EXPECT_EQ(0x20, hv_lapic_reg(&r, 0xa0));		/* PPR */
	EXPECT_EQ(0x00050014, hv_lapic_reg(&r, 0x30));		/* version */
	EXPECT_EQ(0x1ff, hv_lapic_reg(&r, 0xf0));
	EXPECT_EQ(1u << 17, hv_lapic_reg(&r, 0x220));		/* IRR: 0x51 */
	EXPECT_EQ(0x45, hv_lapic_reg(&r, 0x320));
	EXPECT_EQ(0x40000000, hv_lapic_reg(&r, 0x380));
	tmcct = hv_lapic_reg(&r, 0x390);
	EXPECT_LT(0, tmcct);
	EXPECT_GT(0x40000000, tmcct);

	/* Refused records change nothing and say why. */
	bad = r;
	set_lreg(&bad, 0x200, 1u << 5);			/* IRR: vector 5 */
	EXPECT_EQ(-EINVAL, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &bad));
	EXPECT_STREQ("lapic: IRR, ISR and TMR cannot hold vectors 0-15",
		     hv_errmsg(self->vm.h));
	bad = r;
	bad.apic_base = 0xfee00500;			/* EXTD without EN */
	EXPECT_EQ(-EINVAL, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &bad));
	EXPECT_STREQ("apic-base has reserved bits set, or EXTD without EN",
		     hv_errmsg(self->vm.h));
	bad = r;
	bad.apic_base = 0xfee00d00;			/* x2APIC, ID 0 */
	set_lreg(&bad, 0x20, 7);
	EXPECT_EQ(-EINVAL, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &bad));
	EXPECT_STREQ("lapic: in x2APIC mode the ID is the vcpu's",
		     hv_errmsg(self->vm.h));
	bad = r;
	bad.nmi_pending = 2;
	EXPECT_EQ(-ERANGE, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &bad));

	/* A changed record loads: TPR, another vector due, the version kept. */
	set_lreg(&r, 0x80, 0x35);
	set_lreg(&r, 0x230, 1u << 1);			/* IRR: 0x61 */
	set_lreg(&r, 0x30, 0x12345678);
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &again));
	EXPECT_EQ(0x35, hv_lapic_reg(&again, 0x80));
	EXPECT_EQ(3, again.cr8);
	EXPECT_EQ(0x35, hv_lapic_reg(&again, 0xa0));
	EXPECT_EQ(1u << 17, hv_lapic_reg(&again, 0x220));
	EXPECT_EQ(1u << 1, hv_lapic_reg(&again, 0x230));
	EXPECT_EQ(0x00050014, hv_lapic_reg(&again, 0x30));
	/* The timer went on from the record's count. */
	EXPECT_LT(0, hv_lapic_reg(&again, 0x390));
	EXPECT_GE(tmcct, hv_lapic_reg(&again, 0x390));
	EXPECT_EQ(0, memcmp(r.lapic + 0x100, again.lapic + 0x100, 0x180));
}

static void expect_inta(struct __test_metadata *_metadata, struct tvm *vm,
			uint64_t answer)
{
	struct hv_message ev;

	ASSERT_EQ(0, tvm_next_exit(vm, &ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_INTA, ev.reason);
	EXPECT_EQ(HV_DIR_READ, ev.dir);
	ASSERT_EQ(0, tvm_complete(vm, &ev, answer));
}

TEST_F(lapic, the_owners_8259_interrupts_through_lint0)
{
	struct hv *other;

	start(_metadata, &self->vm, lapic_pic_start, lapic_pic_end);
	set_handlers(&self->vm);
	REPORT(0xc0);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	EXPECT_EQ(-EINVAL, hv_vcpu_intr_line(self->vm.h, self->vm.id, 1, 1));
	EXPECT_STREQ("no vcpu with this id in the VM", hv_errmsg(self->vm.h));
	ASSERT_EQ(0, hv_open(&other));
	EXPECT_EQ(-EPERM, hv_vcpu_intr_line(other, self->vm.id, 0, 1));
	hv_close(other);

	/*
	 * Raised: acknowledged for 0x41, the line staying up, so that the
	 * IRET of its handler lets the next acknowledge in, for 0x51.
	 */
	ASSERT_EQ(0, hv_vcpu_intr_line(self->vm.h, self->vm.id, 0, 1));
	expect_inta(_metadata, &self->vm, 0x41 | HV_INTA_STILL_ASSERTED);
	REPORT(0x41);
	expect_inta(_metadata, &self->vm, 0x51);
	REPORT(0x51);
	REPORT(0xc1);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

/*
 * The owner's level-triggered MSI of @vector ends a halt; the handler
 * reports it and writes EOI, which comes back as an eoi notice; the guest
 * reports 0xc1 and halts again.
 */
static void level_msi_and_its_eoi(struct __test_metadata *_metadata,
				  struct tvm *vm, uint8_t vector)
{
	struct hv_message ev;
	uint64_t v;

	ASSERT_EQ(0, hv_vm_msi(vm->h, vm->id, 0xfee00000, 0xc000 | vector));
	ASSERT_EQ(0, tvm_expect_report(vm, &v, 10000));
	EXPECT_EQ(vector, v);
	ASSERT_EQ(0, tvm_next_exit(vm, &ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_EOI, ev.reason);
	EXPECT_EQ(vector, ev.vector);
	ASSERT_EQ(0, tvm_expect_report(vm, &v, 10000));
	EXPECT_EQ(0xc1, v);
	ASSERT_EQ(0, tvm_run_to_hlt(vm, 10000));
}

/*
 * What lapic_x2virt and lapic_xvirt report, in either mode: the three
 * self IPIs by priority, TPR holding 0x45 back, PPR, CR8 letting it in,
 * TPR, ESR; then the owner's level-triggered vector and its EOI.
 */
static void virt_run(struct __test_metadata *_metadata, struct tvm *vm)
{
	static const uint64_t want[] = {
		0x00020002, 0x61, 0x51, 0x41, 0x2222, 0x3333, 0x50, 0x45,
		0x4444, 0, 0x20, 0xc0,
	};
	unsigned int i;
	uint64_t v;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ASSERT_EQ(0, tvm_expect_report(vm, &v, 10000));
		EXPECT_EQ(want[i], v);
	}
	ASSERT_EQ(0, tvm_run_to_hlt(vm, 10000));
	level_msi_and_its_eoi(_metadata, vm, 0x77);
}

TEST_F(lapic, x2apic_without_exits_where_the_cpu_virtualizes_it)
{
	static const struct { uint32_t v; const unsigned char *h; } g[] = {
		{ 0x41, lapic_x41 }, { 0x45, lapic_x45 }, { 0x51, lapic_x51 },
		{ 0x61, lapic_x61 }, { 0x77, lapic_x77 },
	};
	bool apicv = cpu_delivers(&self->vm);
	struct hv_stats st;
	unsigned int i;

	start(_metadata, &self->vm, lapic_x2virt_start, lapic_x2virt_end);
	tvm_load(&self->vm, INTR_GPA, lapic_x2handlers_start,
		 lapic_x2handlers_end);
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		tvm_set_gate(&self->vm, MODE_LONG64, g[i].v,
			     INTR_GPA + (g[i].h - lapic_x2handlers_start));
	virt_run(_metadata, &self->vm);

	/*
	 * With APICv the CPU sent, delivered and retired the self IPIs; hv
	 * posted the owner's vector and saw its EOI exit. Without, hv did
	 * every step.
	 */
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(apicv ? 0 : 4, st.ipis);
	EXPECT_EQ(apicv ? 0 : 5, st.intr_injected);
	EXPECT_EQ(apicv ? 1 : 0, st.intr_posted);
	EXPECT_EQ(1, st.eoi_notices);
}

TEST_F(lapic, xapic_without_exits_where_the_cpu_virtualizes_it)
{
	bool apicv = cpu_delivers(&self->vm);
	bool page = cpu_has_xapic_page(&self->vm);
	struct hv_stats st;

	start(_metadata, &self->vm, lapic_xvirt_start, lapic_xvirt_end);
	set_handlers(&self->vm);
	virt_run(_metadata, &self->vm);

	/*
	 * With the page, two accesses were emulated; without, all 17 of
	 * them (the handlers' five EOIs included).
	 */
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(page ? 2 : 17, st.exits[HV_STAT_MMIO]);
	EXPECT_EQ(page ? 0 : 4, st.ipis);
	EXPECT_EQ(apicv ? 0 : 5, st.intr_injected);
	EXPECT_EQ(apicv ? 1 : 0, st.intr_posted);
	EXPECT_EQ(1, st.eoi_notices);
}

TEST_F(lapic, apic_moved_over_ram_or_a_hole)
{
	start(_metadata, &self->vm, lapic_moved_start, lapic_moved_end);
	REPORT(0);
	REPORT(0x1234);
	REPORT(0x00050014);
	/* The old base is no APIC any more: a read the owner answers. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_MMIO, self->ev.reason);
	EXPECT_EQ(HV_DIR_READ, self->ev.dir);
	EXPECT_EQ(0xfee00030, self->ev.gpa);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0xabcd));
	REPORT(0xabcd);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

/*
 * A slot added over 0xfee00000 replaces the APIC there, also where the CPU
 * had the VM's APIC-access page mapped at that address.
 */
TEST_F(lapic, ram_mapped_over_the_apic_page_wins)
{
	uint32_t slot, *ram;
	uint64_t v;

	ram = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ram);
	ram[0x20 / 4] = 0x12345678;
	start(_metadata, &self->vm, lapic_ram_over_start, lapic_ram_over_end);
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_IO, self->ev.reason);
	EXPECT_EQ(0, self->ev.data);
	ASSERT_EQ(0, hv_mem_map(self->vm.h, self->vm.id, 0xfee00000, 4096, ram,
				0, &slot));
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x12345678, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	/* The VM holds its own reference to the page until it is gone. */
	munmap(ram, 4096);
}

/*
 * An owner that does not read while halt notices pile up: hv holds each
 * back while the queue is full, and the owner then reads them all, in
 * order, none missing, and no receive fails.
 */
TEST_F(lapic, halt_notices_that_fill_the_owners_queue_lose_nothing)
{
	struct hv_message ev;
	uint64_t seq = 0;
	int i;

	start(_metadata, &self->vm, lapic_halts_start, lapic_halts_end);
	set_handlers(&self->vm);
	tvm_set_gate(&self->vm, MODE_LONG64, 0x41,
		     INTR_GPA + (lapic_heoi - lapic_handlers_start));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_HLT, ev.reason);
	seq = ev.seq;
	sleep(3);
	for (i = 0; i < 3000; i++) {
		ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
		ASSERT_EQ(HV_EXIT_REASON_HLT, ev.reason);
		ASSERT_EQ(seq + 1, ev.seq);
		seq = ev.seq;
	}
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
}

TEST_F(lapic, cr8_is_the_tpr)
{
	struct hv_regs r;

	start(_metadata, &self->vm, lapic_cr8_start, lapic_cr8_end);
	set_handlers(&self->vm);
	REPORT(5);
	REPORT(0x30);
	REPORT(0xa1);
	REPORT(0x51);
	REPORT(0xa2);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(4, r.cr8);
}

TEST_F(lapic, irqfd_interrupts_without_a_message)
{
	int efd = eventfd(0, EFD_CLOEXEC), early = eventfd(0, EFD_CLOEXEC);
	uint64_t one = 1;
	struct hv *other;
	int notfd;

	ASSERT_LE(0, efd);
	ASSERT_LE(0, early);
	start(_metadata, &self->vm, lapic_wait_start, lapic_wait_end);
	set_handlers(&self->vm);
	REPORT(0xc0);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	/* Refusals, each with its reason. */
	notfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, notfd);
	EXPECT_EQ(-EINVAL, hv_vm_irqfd(self->vm.h, self->vm.id, notfd,
				       0xfee00000, 0x31));
	EXPECT_STREQ("eventfd is not an eventfd", hv_errmsg(self->vm.h));
	close(notfd);
	EXPECT_EQ(-EBADF, hv_vm_irqfd(self->vm.h, self->vm.id, 4000,
				      0xfee00000, 0x31));
	EXPECT_STREQ("eventfd is not an open file descriptor",
		     hv_errmsg(self->vm.h));
	EXPECT_EQ(-EINVAL, hv_vm_irqfd(self->vm.h, self->vm.id, efd,
				       0xfed00000, 0x31));
	EXPECT_STREQ("msi-addr is not in the 0xfee00000-0xfeefffff window",
		     hv_errmsg(self->vm.h));
	EXPECT_EQ(-ENOENT, hv_vm_irqfd_remove(self->vm.h, self->vm.id, efd));
	EXPECT_STREQ("the eventfd is not an irqfd of this VM",
		     hv_errmsg(self->vm.h));
	ASSERT_EQ(0, hv_open(&other));
	EXPECT_EQ(-EPERM, hv_vm_irqfd(other, self->vm.id, efd, 0xfee00000,
				      0x31));
	hv_close(other);

	/* Registered for 0x41, then changed to 0x31: 0x31 arrives. */
	ASSERT_EQ(0, hv_vm_irqfd(self->vm.h, self->vm.id, efd, 0xfee00000,
				 0x41));
	ASSERT_EQ(0, hv_vm_irqfd(self->vm.h, self->vm.id, efd, 0xfee00000,
				 0x31));
	ASSERT_EQ(sizeof(one), write(efd, &one, sizeof(one)));
	REPORT(0x31);
	REPORT(0xc1);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	/* Written before it was registered: delivered at registration. */
	ASSERT_EQ(sizeof(one), write(early, &one, sizeof(one)));
	ASSERT_EQ(0, hv_vm_irqfd(self->vm.h, self->vm.id, early, 0xfee00000,
				 0x41));
	REPORT(0x41);
	REPORT(0xc1);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	/* Its release (the last close) removes it. */
	close(early);

	/* Removed: its write delivers nothing, the MSI after it 0x51 alone. */
	ASSERT_EQ(0, hv_vm_irqfd_remove(self->vm.h, self->vm.id, efd));
	ASSERT_EQ(sizeof(one), write(efd, &one, sizeof(one)));
	ASSERT_EQ(0, hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x51));
	REPORT(0x51);
	REPORT(0xc1);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	/* Registered again, and left for the VM's teardown to remove. */
	ASSERT_EQ(0, hv_vm_irqfd(self->vm.h, self->vm.id, efd, 0xfee00000,
				 0x41));
	REPORT(0x41);
	REPORT(0xc1);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	close(efd);
}

TEST_F(lapic, ioeventfd_takes_exactly_the_matching_writes)
{
	struct hv_ioeventfd pio = { HV_IO_SPACE_PIO, 0x600, 1, false, 0 };
	struct hv_ioeventfd val = { HV_IO_SPACE_PIO, 0x602, 4, true, 7 };
	struct hv_ioeventfd mmio = { HV_IO_SPACE_MMIO, 0xfed01000, 4, false, 0 };
	struct hv_ioeventfd gone = { HV_IO_SPACE_PIO, 0x610, 1, false, 0 };
	struct hv_ioeventfd bad;
	int a = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int b = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int m = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int c = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	struct hv_message ev;
	struct hv_stats st;
	struct hv *other;

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, m);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, hv_vm_ioeventfd(self->vm.h, self->vm.id, a, &pio));
	ASSERT_EQ(0, hv_vm_ioeventfd(self->vm.h, self->vm.id, b, &val));
	ASSERT_EQ(0, hv_vm_ioeventfd(self->vm.h, self->vm.id, m, &mmio));
	ASSERT_EQ(0, hv_vm_ioeventfd(self->vm.h, self->vm.id, c, &gone));
	close(c);

	/* Refusals, each with its reason. */
	bad = pio;
	bad.len = 3;
	EXPECT_EQ(-EINVAL, hv_vm_ioeventfd(self->vm.h, self->vm.id, a, &bad));
	EXPECT_STREQ("io-len must be 1, 2, 4 or 8", hv_errmsg(self->vm.h));
	bad.len = 8;
	EXPECT_EQ(-EINVAL, hv_vm_ioeventfd(self->vm.h, self->vm.id, a, &bad));
	bad = pio;
	bad.match = true;
	bad.datamatch = 0x100;
	EXPECT_EQ(-EINVAL, hv_vm_ioeventfd(self->vm.h, self->vm.id, a, &bad));
	EXPECT_STREQ("io-datamatch is wider than io-len",
		     hv_errmsg(self->vm.h));
	bad.datamatch = 1;		/* the wildcard takes these already */
	EXPECT_EQ(-EEXIST, hv_vm_ioeventfd(self->vm.h, self->vm.id, b, &bad));
	EXPECT_STREQ("an ioeventfd already takes these writes",
		     hv_errmsg(self->vm.h));
	EXPECT_EQ(-ENOENT,
		  hv_vm_ioeventfd_remove(self->vm.h, self->vm.id, b, &pio));
	bad = pio;
	bad.space = 2;
	EXPECT_EQ(-ERANGE, hv_vm_ioeventfd(self->vm.h, self->vm.id, a, &bad));
	ASSERT_EQ(0, hv_open(&other));
	EXPECT_EQ(-EPERM, hv_vm_ioeventfd(other, self->vm.id, a, &pio));
	hv_close(other);

	start(_metadata, &self->vm, lapic_ioevent_start, lapic_ioevent_end);
	expect_exit(_metadata, &self->vm, HV_EXIT_REASON_IO, HV_DIR_WRITE,
		    0x600, 2, 2);
	expect_exit(_metadata, &self->vm, HV_EXIT_REASON_IO, HV_DIR_WRITE,
		    0x602, 4, 8);
	expect_exit(_metadata, &self->vm, HV_EXIT_REASON_IO, HV_DIR_READ,
		    0x600, 1, 0);
	expect_exit(_metadata, &self->vm, HV_EXIT_REASON_MMIO, HV_DIR_WRITE,
		    0xfed01000, 1, 6);
	/* The report: remove the port's before the guest goes on. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_IO, ev.reason);
	EXPECT_EQ(0xc0, ev.data);
	ASSERT_EQ(0, hv_vm_ioeventfd_remove(self->vm.h, self->vm.id, a, &pio));
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0));
	expect_exit(_metadata, &self->vm, HV_EXIT_REASON_IO, HV_DIR_WRITE,
		    0x600, 1, 9);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	EXPECT_EQ(3, efd_count(a));
	EXPECT_EQ(1, efd_count(b));
	EXPECT_EQ(1, efd_count(m));
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(6, st.ioeventfd);
	close(a);
	close(b);
	close(m);
}

TEST_F(lapic, level_triggered_eoi_reaches_the_owner)
{
	struct hv_stats st;

	start(_metadata, &self->vm, lapic_wait_start, lapic_wait_end);
	set_handlers(&self->vm);
	REPORT(0xc0);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	/* Level-triggered, asserted, vector 0x31. */
	level_msi_and_its_eoi(_metadata, &self->vm, 0x31);

	/* Edge-triggered: its EOI is the guest's own business. */
	ASSERT_EQ(0, hv_vm_msi(self->vm.h, self->vm.id, 0xfee00000, 0x4041));
	REPORT(0x41);
	REPORT(0xc1);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(1, st.eoi_notices);
}

FIXTURE(lapic2) {
	struct tvm vm;
	struct hv_message ev;
};

FIXTURE_SETUP(lapic2)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 2));
}

static int write_param(const char *name, const char *value);

FIXTURE_TEARDOWN(lapic2)
{
	tvm_destroy(&self->vm);
	/* The default, whatever a test left. */
	write_param("halt_poll_ns", "200000");
}

/*
 * Run @nr vCPUs until each has halted, answering their reports; each
 * vCPU's reports, in order, end up in seen[vcpu] (at most 4).
 */
static void collect(struct __test_metadata *_metadata, struct tvm *vm,
		    uint32_t nr, uint64_t seen[][4], unsigned int n[])
{
	unsigned int halted = 0;
	struct hv_message ev;

	while (halted != (1u << nr) - 1) {
		ASSERT_EQ(0, tvm_next_exit(vm, &ev, 10000));
		ASSERT_LT(ev.vcpu, nr);
		if (ev.reason == HV_EXIT_REASON_HLT) {
			halted |= 1 << ev.vcpu;
			continue;
		}
		ASSERT_EQ(HV_EXIT_REASON_IO, ev.reason);
		ASSERT_EQ(TEST_PORT, ev.port);
		ASSERT_LT(n[ev.vcpu], 4);
		seen[ev.vcpu][n[ev.vcpu]++] = ev.data;
		ASSERT_EQ(0, tvm_complete(vm, &ev, 0));
	}
}

/* Two vCPUs in long mode, each at its own code, with the handlers. */
static void start2(struct __test_metadata *_metadata, struct tvm *vm,
		   const unsigned char *code0, const unsigned char *end0,
		   const unsigned char *code1, const unsigned char *end1)
{
	tvm_load(vm, CODE_GPA, code0, end0);
	tvm_load(vm, CODE1_GPA, code1, end1);
	ASSERT_EQ(0, tvm_set_mode(vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_set_mode(vm, 1, MODE_LONG64, CODE1_GPA));
	ASSERT_EQ(0, tvm_use_idt(vm, 0, MODE_LONG64));
	ASSERT_EQ(0, tvm_use_idt(vm, 1, MODE_LONG64));
	set_handlers(vm);	/* over the stubs tvm_use_idt() set */
}

TEST_F(lapic2, ipi_wakes_a_halted_vcpu)
{
	uint64_t seen[2][4] = { { 0 } };
	unsigned int n[2] = { 0, 0 };
	struct hv_stats st;
	struct hv_message first, ev;

	start2(_metadata, &self->vm, lapic_ipi_sender_start,
	       lapic_ipi_sender_end, lapic_ipi_target_start,
	       lapic_ipi_target_end);

	/* vCPU 0 waits in its first report until vCPU 1 has halted. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &first, 10000));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	if (first.vcpu == 1) {
		struct hv_message t = first;

		first = ev;
		ev = t;
	}
	EXPECT_EQ(0, first.vcpu);
	EXPECT_EQ(HV_EXIT_REASON_IO, first.reason);
	EXPECT_EQ(TEST_PORT, first.port);
	EXPECT_EQ(0xaaaa, first.data);
	EXPECT_EQ(1, ev.vcpu);
	EXPECT_EQ(HV_EXIT_REASON_HLT, ev.reason);
	ASSERT_EQ(0, tvm_complete(&self->vm, &first, 0));

	/* The IPI wakes vCPU 1 into its handler; then it runs on. */
	collect(_metadata, &self->vm, 2, seen, n);
	EXPECT_EQ(1, n[0]);
	EXPECT_EQ(0xbbbb, seen[0][0]);
	EXPECT_EQ(2, n[1]);
	EXPECT_EQ(0x77, seen[1][0]);
	EXPECT_EQ(0x7777, seen[1][1]);
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(1, st.ipis);
	EXPECT_EQ(cpu_delivers(&self->vm) ? 0 : 1, st.intr_injected);
	EXPECT_EQ(cpu_delivers(&self->vm) ? 1 : 0, st.intr_posted);
}

static int write_param(const char *name, const char *value)
{
	char path[128];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "/sys/module/hv/parameters/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	err = fputs(value, f) < 0 ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/*
 * A halted vCPU polls (halt_poll_ns) before it sleeps: with polling off
 * no halt ends in a poll; with it on, IPIs that vCPU 0 sends from the
 * other CPU end some. Halt notices are off: 200 halts send the owner
 * nothing.
 */
TEST_F(lapic2, halted_vcpus_poll_for_their_wakeup)
{
	uint64_t v, halts, flushes;
	struct hv_info info;
	struct hv_stats st;

	ASSERT_EQ(0, write_param("halt_poll_ns", "0"));
	start2(_metadata, &self->vm, lapic_pingpong_sender_start,
	       lapic_pingpong_sender_end, lapic_pingpong_target_start,
	       lapic_pingpong_target_end);
	tvm_set_gate(&self->vm, MODE_LONG64, 0x41,
		     INTR_GPA + (lapic_hcount_x2 - lapic_handlers_start));
	ASSERT_EQ(0, hv_vm_set_halt_notices(self->vm.h, self->vm.id, 0));
	/* vCPU 0 waits in its first report until vCPU 1 has halted. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(0, self->ev.vcpu);
	EXPECT_EQ(0xaaaa, self->ev.data);
	ASSERT_EQ(HV_VCPU_STATE_HALTED, vcpu_state_after(&self->vm, 1,
							 HV_VCPU_STATE_HALTED));
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 30000));
	EXPECT_EQ(0, self->ev.vcpu);
	EXPECT_EQ(100, self->ev.data);
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(0, st.halt_polled);
	EXPECT_GE(st.exits[HV_STAT_HLT], 1);
	halts = st.exits[HV_STAT_HLT];
	flushes = st.l1d_flush_msr + st.l1d_flush_sw;

	/*
	 * The longest poll there is: in an emulator that shares its CPUs
	 * with another (make check runs two), the partner's IPI can take
	 * longer than the default 200 us of emulated time to come.
	 */
	ASSERT_EQ(0, write_param("halt_poll_ns", "1000000"));
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 30000));
	EXPECT_EQ(200, v);
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_GE(st.halt_polled, 1);
	EXPECT_LE(st.halt_polled, 101);
	halts = st.exits[HV_STAT_HLT] - halts;
	flushes = st.l1d_flush_msr + st.l1d_flush_sw - flushes;
	TH_LOG("%llu of %llu halts ended in a poll; %llu L1D flushes",
	       (unsigned long long)st.halt_polled, (unsigned long long)halts,
	       (unsigned long long)flushes);
	/*
	 * With the conditional L1D flush, a halt that ended in a poll, with
	 * no other task and no interrupt on the CPU meanwhile, needs none.
	 */
	ASSERT_EQ(0, hv_get_info(self->vm.h, &info));
	if (info.l1d_flush == HV_L1D_FLUSH_MODE_COND)
		EXPECT_LE(flushes, halts / 2);
}

/*
 * An ICR storm to every vCPU: each IPI is counted, the target takes some
 * (not more than were sent), the sender's own IRR holds one, and the
 * owner's commands are answered meanwhile.
 */
/* vCPU 0's next report, past the halt notices of vCPU 1. */
static uint64_t storm_report(struct __test_metadata *_metadata,
			     struct tvm *vm, int timeout_ms)
{
	struct hv_message ev;

	do {
		EXPECT_EQ(0, tvm_next_exit(vm, &ev, timeout_ms));
		if (!_metadata->passed)
			return 0;
	} while (ev.reason == HV_EXIT_REASON_HLT && ev.vcpu == 1);
	EXPECT_EQ(HV_EXIT_REASON_IO, ev.reason);
	EXPECT_EQ(0, ev.vcpu);
	EXPECT_EQ(TEST_PORT, ev.port);
	EXPECT_EQ(0, tvm_complete(vm, &ev, 0));
	return ev.data;
}

/* What the storm's target was doing, for a failure's log. */
static void storm_target_log(struct __test_metadata *_metadata,
			     struct tvm *vm)
{
	struct hv_vcpu_info vi;
	struct hv_regs r;

	if (hv_vcpu_get(vm->h, vm->id, 1, &vi) ||
	    hv_vcpu_get_regs(vm->h, vm->id, 1, &r))
		return;
	TH_LOG("vcpu 1: state %u exits %llu sleeps %llu rip %#llx rflags %#llx activity %u shadow %d event %#x",
	       vi.state, (unsigned long long)vi.exits,
	       (unsigned long long)vi.sleeps, (unsigned long long)r.rip,
	       (unsigned long long)r.rflags, r.activity, r.int_shadow,
	       r.event.vector);
	TH_LOG("vcpu 1: SVR %#x IRR[2] %#x ISR[2] %#x PPR %#x",
	       hv_lapic_reg(&r, 0xf0), hv_lapic_reg(&r, 0x220),
	       hv_lapic_reg(&r, 0x120), hv_lapic_reg(&r, 0xa0));
}

TEST_F_TIMEOUT(lapic2, icr_storm_to_every_vcpu, 300)
{
	struct timespec t0, t1;
	struct hv_stats st;
	struct hv_regs r;
	uint32_t taken;
	int i;

	start2(_metadata, &self->vm, lapic_storm_sender_start,
	       lapic_storm_sender_end, lapic_storm_target_start,
	       lapic_storm_target_end);
	tvm_set_gate(&self->vm, MODE_LONG64, 0x41,
		     INTR_GPA + (lapic_hcount - lapic_handlers_start));
	ASSERT_EQ(0xaaaa, storm_report(_metadata, &self->vm, 10000));
	/* While it storms, each get-stats is answered within 5 s. */
	for (i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		EXPECT_GT(5, t1.tv_sec - t0.tv_sec);
	}
	ASSERT_EQ(0x5555, storm_report(_metadata, &self->vm, 280000));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	EXPECT_EQ(5000, st.ipis);
	memcpy(&taken, self->vm.mem + TICKS_GPA, sizeof(taken));
	EXPECT_LE(1, taken) {
		storm_target_log(_metadata, &self->vm);
	}
	EXPECT_GE(5000, taken);
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(1u << (0x41 - 64),
		  ((uint32_t *)r.lapic)[(0x200 + 2 * 0x10) / 4]);
}

FIXTURE(lapic4) {
	struct tvm vm;
	struct hv_message ev;
};

FIXTURE_SETUP(lapic4)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 4));
}

FIXTURE_TEARDOWN(lapic4)
{
	tvm_destroy(&self->vm);
}

/* Whether vCPUs 1-3 all report @state. */
static bool aps_in(struct tvm *vm, uint32_t state)
{
	struct hv_vcpu_info *v;
	bool all = true;
	size_t n, i;

	if (hv_vcpu_list(vm->h, vm->id, &v, &n))
		return false;
	for (i = 1; i < n; i++)
		all = all && v[i].state == state;
	free(v);
	return all && n == 4;
}

TEST_F(lapic4, ipis_reach_exactly_their_destinations)
{
	static const struct { uint32_t v; const unsigned char *h; } g[] = {
		{ 0x50, lapic_d50 }, { 0x51, lapic_d51 }, { 0x52, lapic_d52 },
		{ 0x53, lapic_d53 }, { 0x54, lapic_d54 }, { 0x55, lapic_d55 },
		{ 0x56, lapic_d56 }, { 0x57, lapic_d57 }, { 0x58, lapic_d58 },
		{ 0x5f, lapic_d5f },
	};
	/* Per AP, vectors 0x50 to 0x58 (0x54 apart), then 0x5f. */
	static const uint32_t want[4][16] = {
		[1] = { 0, 1, 1, 1, 0, 1, 0, 1, 1, [15] = 1 },
		[2] = { 1, 0, 1, 1, 0, 1, 0, 1, 1, [15] = 1 },
		[3] = { 0, 1, 1, 1, 0, 1, 1, 0, 1, [15] = 1 },
	};
	uint32_t c[4][16];
	unsigned int i, v;
	uint64_t r;

	/* The APs halt between IPIs: no notice of it. */
	ASSERT_EQ(0, hv_vm_set_halt_notices(self->vm.h, self->vm.id, 0));
	tvm_load(&self->vm, CODE_GPA, lapic_dest_bsp_start,
		 lapic_dest_bsp_end);
	tvm_load(&self->vm, CODE1_GPA, lapic_dest_ap_start,
		 lapic_dest_ap_end);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, tvm_set_mode(&self->vm, i, MODE_LONG64,
					  i ? CODE1_GPA : CODE_GPA));
		ASSERT_EQ(0, tvm_use_idt(&self->vm, i, MODE_LONG64));
	}
	tvm_load(&self->vm, INTR_GPA, lapic_dhandlers_start,
		 lapic_dhandlers_end);
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		tvm_set_gate(&self->vm, MODE_LONG64, g[i].v,
			     INTR_GPA + (g[i].h - lapic_dhandlers_start));

	ASSERT_EQ(0, tvm_expect_report(&self->vm, &r, 20000));
	EXPECT_EQ((1u << (0x53 - 64)) | (1u << (0x55 - 64)), r);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &r, 20000));
	EXPECT_EQ((1u << (0x53 - 64)) | (1u << (0x55 - 64)) |
		  (1u << (0x58 - 64)), r);
	/* vCPU 0 reported once the handlers had counted all 22. */
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));

	memcpy(c, self->vm.mem + COUNTS_GPA, sizeof(c));
	for (i = 1; i < 4; i++) {
		for (v = 0; v < 16; v++) {
			if (v == 0x54 - 0x50)
				continue;
			EXPECT_EQ(want[i][v], c[i][v]) {
				TH_LOG("vcpu %u vector %#x", i, 0x50 + v);
			}
		}
	}
	/* Lowest priority: one of the two, once. */
	EXPECT_EQ(1, c[1][4] + c[2][4]);
	EXPECT_EQ(0, c[3][4]);
	EXPECT_EQ(22, *(uint32_t *)(self->vm.mem + TOTAL_GPA));
}

TEST_F(lapic4, init_sipi_sipi_starts_every_ap)
{
	uint64_t seen[4][4] = { { 0 } }, deadline;
	unsigned int n[4] = { 0 };
	struct hv_message ev;

	tvm_load(&self->vm, CODE_GPA, lapic_bsp_start, lapic_bsp_end);
	tvm_load(&self->vm, AP_GPA, lapic_ap_start, lapic_ap_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));

	/* Until the BSP sends INIT, the APs wait for a SIPI (RESET state). */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	EXPECT_EQ(0, ev.vcpu);
	EXPECT_EQ(0, ev.data);
	deadline = now_ns() + 5000000000ULL;
	while (!aps_in(&self->vm, HV_VCPU_STATE_WAIT_SIPI) &&
	       now_ns() < deadline)
		usleep(10000);
	EXPECT_TRUE(aps_in(&self->vm, HV_VCPU_STATE_WAIT_SIPI));
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0));

	collect(_metadata, &self->vm, 4, seen, n);
	EXPECT_EQ(3, n[0]);
	EXPECT_EQ(3, seen[0][2]);
	/* Each AP ran its code once: the second SIPI found it started. */
	for (int i = 1; i < 4; i++) {
		EXPECT_EQ(1, n[i]);
		EXPECT_EQ(0xa9, seen[i][0]);
	}
	EXPECT_TRUE(aps_in(&self->vm, HV_VCPU_STATE_HALTED));
}

TEST_HARNESS_MAIN
