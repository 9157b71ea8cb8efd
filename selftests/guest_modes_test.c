// SPDX-License-Identifier: GPL-2.0
/*
 * Guests run in real mode, 32-bit protected mode and 64-bit long mode:
 * each computes values only its mode can and reports them exactly.
 */
#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

GUEST_CODE(real_code, ".code16",
	"mov $0x1234, %ax\n"
	"shl $16, %eax\n"
	"mov $0x5678, %ax\n"
	G_REPORT
	"mov %cs, %ax\n"
	"movzwl %ax, %eax\n"
	G_REPORT
	"mov %cr0, %eax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(prot_code, ".code32",
	"mov $0xdeadbeef, %eax\n"
	G_REPORT
	"mov %cr0, %eax\n"
	"and $1, %eax\n"
	G_REPORT
	"mov %ss, %ax\n"
	"movzwl %ax, %eax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(long_code, ".code64",
	"movabs $0x0123456789abcdef, %rax\n"
	"shr $32, %rax\n"
	G_REPORT
	"movabs $0x0123456789abcdef, %rax\n"
	G_REPORT
	"lea long_here(%rip), %rax\n"
	".globl long_here\n"
	"long_here:\n"
	G_REPORT
	"hlt\n");

extern const unsigned char long_here[];

FIXTURE(mode) {
	struct tvm vm;
};

FIXTURE_SETUP(mode)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 1));
}

FIXTURE_TEARDOWN(mode)
{
	tvm_destroy(&self->vm);
}

TEST_F(mode, real)
{
	uint64_t v;

	/* CS 0, IP 0x1000: below 64 KiB, no segment arithmetic needed. */
	tvm_load(&self->vm, 0x1000, real_code_start, real_code_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_REAL, 0x1000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x12345678, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x10, v);	/* CR0: ET only, PE clear */
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(mode, protected32)
{
	uint64_t v;

	tvm_load(&self->vm, CODE_GPA, prot_code_start, prot_code_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_PROT32, CODE_GPA));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0xdeadbeef, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(SEL_DATA, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(mode, long64)
{
	uint64_t v;

	tvm_load(&self->vm, CODE_GPA, long_code_start, long_code_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x01234567, v);
	/* OUT of EAX carries 32 bits even when RAX holds 64. */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x89abcdef, v);
	/* RIP-relative addressing sees the guest's RIP. */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(CODE_GPA + (long_here - long_code_start), v);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

HV_TEST_HARNESS_MAIN
