// SPDX-License-Identifier: GPL-2.0
/*
 * Each vCPU's local APIC, as its guest sees it (SDM Vol. 3A, ch. 11):
 * IA32_APIC_BASE after RESET and its transitions (#GP for the illegal
 * ones, CPUID.1:EDX.APIC following EN, a pass through disabled resetting
 * the registers), the xAPIC page's reset values, write masks, byte reads,
 * PPR, self IPIs and physical destinations landing in the IRR, illegal
 * vectors and registers in the ESR, software disable dropping interrupts;
 * in x2APIC mode the MSRs, their #GP rules, SELF IPI, the 64-bit ICR, and
 * the xAPIC page gone (its address reaches the owner as MMIO).
 */
#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define HANDLER_GPA	0x12000
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

TEST_HARNESS_MAIN
