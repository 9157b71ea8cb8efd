// SPDX-License-Identifier: GPL-2.0
/*
 * Accesses to guest-physical memory no slot covers reach the owner as mmio
 * exits with the exact address, size, direction and data, and complete
 * exactly: loads of 1/2/4/8 bytes through MOV, MOVZX, MOVSX; stores of
 * registers and immediates; read-modify-write ALU instructions; CMP and
 * TEST flags; XCHG; string instructions; moffs forms; in long, protected
 * and real mode.
 */
#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MMIO 0xc0000000ULL

GUEST_CODE(mmio_stores, ".code64",
	"mov $0xc0000000, %ebx\n"
	"movb $0x12, 0x1(%rbx)\n"
	"movw $0x1234, 0x2(%rbx)\n"
	"movl $0x12345678, 0x4(%rbx)\n"
	"movabs $0x1122334455667788, %rax\n"
	"mov %rax, 0x8(%rbx)\n"
	"mov $0x10, %ecx\n"
	"mov %ah, (%rbx,%rcx,2)\n"		/* AH, SIB addressing */
	"movq $-2, 0x40(%rbx)\n"		/* imm32 sign-extended */
	"hlt\n");

GUEST_CODE(mmio_loads, ".code64",
	"mov $0xc0000000, %ebx\n"
	"movabs $0xaaaaaaaaaaaaaaaa, %rax\n"
	"mov (%rbx), %al\n"			/* 8-bit: rest preserved */
	G_REPORT
	"movzbl 1(%rbx), %eax\n"
	G_REPORT
	"movsbl 2(%rbx), %eax\n"
	G_REPORT
	"movswq 4(%rbx), %rax\n"
	"shr $32, %rax\n"
	G_REPORT
	"mov 8(%rbx), %rax\n"			/* 8 bytes */
	"mov %rax, %rcx\n"
	G_REPORT
	"mov %rcx, %rax\n"
	"shr $32, %rax\n"
	G_REPORT
	"movabs 0xc0000020, %eax\n"		/* moffs, 64-bit offset */
	G_REPORT
	"movslq 0x30(%rbx), %rax\n"		/* MOVSXD */
	"shr $32, %rax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(mmio_rmw, ".code64",
	"mov $0xc0000000, %ebx\n"
	"orl $0x10, (%rbx)\n"
	"andb $0x0f, 1(%rbx)\n"
	"mov $0xff00, %cx\n"
	"xorw %cx, 2(%rbx)\n"
	"mov $0x77665544, %eax\n"
	"xchg %eax, 4(%rbx)\n"
	G_REPORT				/* the old memory value */
	"cmpl $5, 8(%rbx)\n"
	"setz %al\n"
	"movzbl %al, %eax\n"
	G_REPORT
	"testb $0x80, 9(%rbx)\n"
	"pushfq\n"
	"pop %rax\n"
	"and $0x8c5, %eax\n"			/* OF SF ZF PF CF */
	G_REPORT
	"mov $3, %esi\n"
	"sub 12(%rbx), %esi\n"			/* 3 - 5 */
	"pushfq\n"
	"pop %rax\n"
	"and $0x8c5, %eax\n"
	G_REPORT
	"mov %esi, %eax\n"			/* not EDX: G_REPORT uses DX */
	G_REPORT
	"hlt\n");

GUEST_CODE(mmio_string, ".code64",
	"mov $0xc0000100, %edi\n"
	"mov $0xabcd0123, %eax\n"
	"mov $2, %ecx\n"
	"cld\n"
	"rep stosl\n"
	"lea mmio_string_src(%rip), %rsi\n"
	"mov $0xc0000200, %edi\n"
	"movsl\n"				/* RAM -> MMIO */
	"mov $0xc0000300, %esi\n"
	"mov $0x30000, %edi\n"
	"movsw\n"				/* MMIO -> RAM */
	"mov $0xc0000400, %esi\n"
	"lodsb\n"
	"movzbl %al, %eax\n"
	G_REPORT
	"hlt\n"
	".globl mmio_string_src\n"
	"mmio_string_src: .long 0x5eed5eed\n");

GUEST_CODE(mmio_prot, ".code32",
	"movl $0xcafef00d, 0xc0000010\n"	/* absolute disp32 */
	"mov 0xc0000014, %eax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(mmio_real, ".code16",
	"mov $0xb800, %ax\n"
	"mov %ax, %es\n"
	"movw $0x1f41, %es:0x10\n"		/* 0xb8010 */
	"mov $0x20, %bx\n"
	"mov %es:2(%bx,%si), %al\n"		/* 16-bit form: bx+si+disp8 */
	"movzbl %al, %eax\n"
	G_REPORT
	"hlt\n");

FIXTURE(mmio) {
	struct tvm vm;
	struct hv_message ev;
};

/* The same exits over netlink and over the ring, polling or sleeping. */
TVM_TRANSPORT_VARIANTS(mmio);

FIXTURE_SETUP(mmio)
{
	/* 512 KiB: real-mode MMIO at 0xb8000 lies above RAM. */
	ASSERT_EQ(0, tvm_create_opts(&self->vm, 512 << 10, 1,
				     &TVM_VARIANT_OPTS));
}

FIXTURE_TEARDOWN(mmio)
{
	tvm_destroy(&self->vm);
}

static void expect_mmio(struct __test_metadata *_metadata, struct tvm *vm,
			struct hv_message *ev, uint32_t dir, uint64_t gpa,
			uint8_t size, uint64_t data, uint64_t answer)
{
	ASSERT_EQ(0, tvm_next_exit(vm, ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MMIO, ev->reason);
	EXPECT_EQ(dir, ev->dir);
	EXPECT_EQ(gpa, ev->gpa);
	EXPECT_EQ(size, ev->size);
	if (dir == HV_DIR_WRITE)
		EXPECT_EQ(data, ev->data);
	ASSERT_EQ(0, tvm_complete(vm, ev, answer));
}

#define W(gpa, size, data) \
	expect_mmio(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, gpa, size, data, 0)
#define R(gpa, size, answer) \
	expect_mmio(_metadata, &self->vm, &self->ev, HV_DIR_READ, gpa, size, 0, answer)
#define REPORT(want) do {						\
		uint64_t v_;						\
		ASSERT_EQ(0, tvm_expect_report(&self->vm, &v_, 10000));	\
		EXPECT_EQ((uint64_t)(want), v_);			\
	} while (0)

TEST_F(mmio, stores_of_1_2_4_8_bytes)
{
	tvm_load(&self->vm, CODE_GPA, mmio_stores_start, mmio_stores_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	W(MMIO + 1, 1, 0x12);
	W(MMIO + 2, 2, 0x1234);
	W(MMIO + 4, 4, 0x12345678);
	W(MMIO + 8, 8, 0x1122334455667788ULL);
	W(MMIO + 0x20, 1, 0x77);
	W(MMIO + 0x40, 8, 0xfffffffffffffffeULL);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(mmio, loads_of_1_2_4_8_bytes)
{
	tvm_load(&self->vm, CODE_GPA, mmio_loads_start, mmio_loads_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	R(MMIO, 1, 0x1234);			/* only the low byte counts */
	REPORT(0xaaaaaa34);
	R(MMIO + 1, 1, 0x80);
	REPORT(0x80);
	R(MMIO + 2, 1, 0x80);
	REPORT(0xffffff80);
	R(MMIO + 4, 2, 0x8000);
	REPORT(0xffffffff);
	R(MMIO + 8, 8, 0x0123456789abcdefULL);
	REPORT(0x89abcdef);
	REPORT(0x01234567);
	R(MMIO + 0x20, 4, 0xfeedface);
	REPORT(0xfeedface);
	R(MMIO + 0x30, 4, 0x80000000);
	REPORT(0xffffffff);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(mmio, read_modify_write_compare_and_exchange)
{
	tvm_load(&self->vm, CODE_GPA, mmio_rmw_start, mmio_rmw_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	R(MMIO, 4, 0x01);
	W(MMIO, 4, 0x11);
	R(MMIO + 1, 1, 0xf5);
	W(MMIO + 1, 1, 0x05);
	R(MMIO + 2, 2, 0x1234);
	W(MMIO + 2, 2, 0xed34);
	R(MMIO + 4, 4, 0x11223344);
	W(MMIO + 4, 4, 0x77665544);
	REPORT(0x11223344);
	R(MMIO + 8, 4, 5);
	REPORT(1);				/* ZF: equal */
	R(MMIO + 9, 1, 0x80);
	REPORT(0x80);				/* SF; ZF, CF, OF clear; PF odd */
	R(MMIO + 12, 4, 5);
	REPORT(0x80 | 0x01);			/* 3 - 5: SF, CF; 0xfe has odd parity */
	REPORT(0xfffffffe);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(mmio, string_instructions)
{
	tvm_load(&self->vm, CODE_GPA, mmio_string_start, mmio_string_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	W(MMIO + 0x100, 4, 0xabcd0123);
	W(MMIO + 0x104, 4, 0xabcd0123);
	W(MMIO + 0x200, 4, 0x5eed5eed);
	R(MMIO + 0x300, 2, 0xbeef);
	R(MMIO + 0x400, 1, 0x99);
	REPORT(0x99);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	EXPECT_EQ(0xbeef, *(uint16_t *)(self->vm.mem + 0x30000));
}

TEST_F(mmio, protected_mode)
{
	tvm_load(&self->vm, CODE_GPA, mmio_prot_start, mmio_prot_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_PROT32, CODE_GPA));
	W(MMIO + 0x10, 4, 0xcafef00d);
	R(MMIO + 0x14, 4, 0x13572468);
	REPORT(0x13572468);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(mmio, real_mode_segments)
{
	tvm_load(&self->vm, 0x1000, mmio_real_start, mmio_real_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_REAL, 0x1000));
	W(0xb8010, 2, 0x1f41);
	R(0xb8022, 1, 0x5c);	/* SI is 0 after RESET-style setup */
	REPORT(0x5c);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

HV_TEST_HARNESS_MAIN
