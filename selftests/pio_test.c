// SPDX-License-Identifier: GPL-2.0
/*
 * Port I/O reaches the owner with exact port, size, direction and data,
 * and values the owner supplies for IN land in the guest exactly (partial
 * registers preserved, 32-bit writes zero-extended), in long and real
 * mode, including string I/O with REP.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define PORT 0x80

GUEST_CODE(pio_out, ".code64",
	"mov $0x11223344, %eax\n"
	"mov $0x80, %dx\n"
	"outb %al, (%dx)\n"
	"outw %ax, (%dx)\n"
	"outl %eax, (%dx)\n"
	"hlt\n");

GUEST_CODE(pio_in, ".code64",
	"mov $0x80, %dx\n"
	"movabs $0xaaaaaaaaaaaaaaaa, %rax\n"
	"inb (%dx), %al\n"
	"mov %rax, %rbx\n"
	"shr $32, %rbx\n"
	G_REPORT			/* low half after inb */
	"mov %ebx, %eax\n"
	G_REPORT			/* high half after inb */
	"movabs $0xaaaaaaaaaaaaaaaa, %rax\n"
	"mov $0x80, %dx\n"
	"inw (%dx), %ax\n"
	G_REPORT
	"movabs $0xaaaaaaaaaaaaaaaa, %rax\n"
	"mov $0x80, %dx\n"
	"inl (%dx), %eax\n"
	"mov %rax, %rbx\n"
	"shr $32, %rbx\n"
	G_REPORT			/* low half after inl */
	"mov %ebx, %eax\n"
	G_REPORT			/* high half: zero-extended */
	"hlt\n");

GUEST_CODE(pio_real, ".code16",
	"mov $0xbeef, %ax\n"
	"out %al, $0x80\n"
	"out %ax, $0x80\n"
	"in $0x80, %al\n"
	"movzbl %al, %eax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(pio_string, ".code64",
	"lea pio_string_data(%rip), %rsi\n"
	"mov $3, %ecx\n"
	"mov $0x80, %dx\n"
	"cld\n"
	"rep outsb\n"
	"mov $0x20000, %edi\n"
	"mov $2, %ecx\n"
	"rep insw\n"
	"mov %ecx, %eax\n"
	G_REPORT			/* RCX counted down to 0 */
	"hlt\n"
	".globl pio_string_data\n"
	"pio_string_data: .byte 0xa1, 0xb2, 0xc3\n");

FIXTURE(pio) {
	struct tvm vm;
	struct hv_message ev;
};

/* The same exits over netlink and over the ring, polling or sleeping. */
TVM_TRANSPORT_VARIANTS(pio);

FIXTURE_SETUP(pio)
{
	ASSERT_EQ(0, tvm_create_opts(&self->vm, 1 << 20, 1,
				     &TVM_VARIANT_OPTS));
}

FIXTURE_TEARDOWN(pio)
{
	tvm_destroy(&self->vm);
}

/* Expect one port exit; answer it with @answer. */
static void expect_io(struct __test_metadata *_metadata, struct tvm *vm,
		      struct hv_message *ev, uint32_t dir, uint8_t size,
		      uint64_t data, uint64_t answer)
{
	ASSERT_EQ(0, tvm_next_exit(vm, ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_IO, ev->reason);
	EXPECT_EQ(PORT, ev->port);
	EXPECT_EQ(dir, ev->dir);
	EXPECT_EQ(size, ev->size);
	if (dir == HV_DIR_WRITE)
		EXPECT_EQ(data, ev->data);
	ASSERT_EQ(0, tvm_complete(vm, ev, answer));
}

TEST_F(pio, out_of_1_2_4_bytes)
{
	tvm_load(&self->vm, CODE_GPA, pio_out_start, pio_out_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 1, 0x44, 0);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 2, 0x3344, 0);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 4,
		  0x11223344, 0);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(pio, in_of_1_2_4_bytes)
{
	uint64_t v;

	tvm_load(&self->vm, CODE_GPA, pio_in_start, pio_in_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	/* Bits beyond the access size in the answer are ignored. */
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_READ, 1, 0,
		  0xffffff5a);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0xaaaaaa5a, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0xaaaaaaaa, v);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_READ, 2, 0, 0x1234);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0xaaaa1234, v);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_READ, 4, 0,
		  0x99deadbeefULL);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0xdeadbeef, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(pio, real_mode_immediate_port)
{
	uint64_t v;

	tvm_load(&self->vm, 0x1000, pio_real_start, pio_real_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_REAL, 0x1000));
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 1, 0xef, 0);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 2, 0xbeef, 0);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_READ, 1, 0, 0x42);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x42, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(pio, rep_outs_and_ins)
{
	uint64_t v;

	tvm_load(&self->vm, CODE_GPA, pio_string_start, pio_string_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 1, 0xa1, 0);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 1, 0xb2, 0);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_WRITE, 1, 0xc3, 0);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_READ, 2, 0, 0x1111);
	expect_io(_metadata, &self->vm, &self->ev, HV_DIR_READ, 2, 0, 0x2222);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	/* INS stored into guest RAM, which is our memfd mapping. */
	EXPECT_EQ(0x1111, *(uint16_t *)(self->vm.mem + 0x20000));
	EXPECT_EQ(0x2222, *(uint16_t *)(self->vm.mem + 0x20002));
}

HV_TEST_HARNESS_MAIN
