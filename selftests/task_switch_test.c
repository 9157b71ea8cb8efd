// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware task switches in a 32-bit guest, as the CPU makes them (SDM
 * Vol. 3A, 7.3): JMP to an available TSS, CALL to another (which nests
 * it: NT set, back link written, CR0.TS set), IRET back, and JMP to a busy
 * TSS refused with #GP(selector). The old tasks' saved EIPs, the back link
 * and every busy flag are checked in guest memory afterwards. VMX exits on
 * every switch and hv performs it; once that crashed the VM ("exit 0x9
 * hv does not handle"), and the fuzzer later found that reserved EFLAGS
 * bits in a TSS failed the next VM entry. SVM's CPU does them itself.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define TSS_A		0x20000
#define TSS_B		0x20100
#define TSS_C		0x20200
#define SEL_A		0x18
#define SEL_B		0x20
#define SEL_C		0x28
#define HANDLER_GPA	0x12000

#define G_REPORT32 "mov $0x1000, %dx\n out %eax, (%dx)\n"

GUEST_CODE(tasks, ".code32",
	"ljmp $0x20, $0\n"
	".globl task_a_after\n"
	"task_a_after: hlt\n"
	".globl task_b\n"
	"task_b: str %ax\n movzwl %ax, %eax\n" G_REPORT32
	"pushf\n pop %eax\n" G_REPORT32
	"lcall $0x28, $0\n"
	".globl task_b_after\n"
	"task_b_after: str %ax\n movzwl %ax, %eax\n" G_REPORT32
	"pushf\n pop %eax\n" G_REPORT32
	"mov $0x77, %eax\n" G_REPORT32
	"ljmp $0x20, $0\n"		/* itself: busy, #GP */
	"hlt\n"
	".globl task_c\n"
	"task_c: str %ax\n movzwl %ax, %eax\n" G_REPORT32
	"pushf\n pop %eax\n" G_REPORT32
	"mov %cr0, %eax\n" G_REPORT32
	"iret\n");

extern const unsigned char task_a_after[], task_b[], task_b_after[], task_c[];

/* #GP: report the error code on port 0x1001, halt. */
GUEST_CODE(gp_code, ".code32",
	"pop %eax\n mov $0x1001, %dx\n out %eax, (%dx)\n hlt\n");

static uint64_t tss_desc(uint32_t base, unsigned int type)
{
	return 0x67 | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)type << 40 |
	       1ULL << 47 | (uint64_t)(base >> 24) << 56;
}

static uint32_t at(const unsigned char *label)
{
	return CODE_GPA + (label - tasks_start);
}

/* A 32-bit TSS of a flat ring-0 task (SDM Vol. 3A, Figure 7-2). */
static void tss(struct tvm *vm, uint32_t base, uint32_t eip, uint32_t esp)
{
	uint32_t t[26] = { 0 };

	t[8] = eip;
	t[9] = 2;		/* EFLAGS */
	t[14] = esp;
	t[18] = SEL_DATA;	/* ES */
	t[19] = SEL_CODE;	/* CS */
	t[20] = t[21] = t[22] = t[23] = SEL_DATA;	/* SS DS FS GS */
	memcpy(vm->mem + base, t, sizeof(t));
}

static uint32_t u32_at(struct tvm *vm, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, vm->mem + gpa, 4);
	return v;
}

static unsigned int desc_type(struct tvm *vm, uint16_t sel)
{
	return vm->mem[GDT_GPA + sel + 5] & 0xf;
}

TEST(jmp_call_iret_and_a_busy_tss)
{
	uint64_t d[3] = { tss_desc(TSS_A, 11), tss_desc(TSS_B, 9),
			  tss_desc(TSS_C, 9) };
	struct hv_message ev;
	struct hv_regs r;
	struct tvm vm;
	uint64_t v;

	ASSERT_EQ(0, tvm_create(&vm, 1 << 20, 1));
	tvm_load(&vm, CODE_GPA, tasks_start, tasks_end);
	tvm_load(&vm, HANDLER_GPA, gp_code_start, gp_code_end);
	ASSERT_EQ(0, tvm_set_mode(&vm, 0, MODE_PROT32, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&vm, 0, MODE_PROT32));
	tvm_set_gate(&vm, MODE_PROT32, 13, HANDLER_GPA);
	memcpy(vm.mem + GDT_GPA + SEL_A, d, sizeof(d));
	tss(&vm, TSS_B, at(task_b), 0x30000);
	tss(&vm, TSS_C, at(task_c), 0x31000);
	/* Reserved EFLAGS bits (3, 5, 15, 22-31) load as 0. */
	memcpy(vm.mem + TSS_C + 0x24, &(uint32_t){ 0xffc0802a }, 4);
	ASSERT_EQ(0, hv_vcpu_get_regs(vm.h, vm.id, 0, &r));
	r.gdtr.limit = SEL_C + 7;
	r.tr = (struct hv_segment){ .selector = SEL_A, .base = TSS_A,
				.limit = 0x67, .ar = 0x8b };
	r.gpr[HV_RAX] = 0x1111;
	ASSERT_EQ(0, hv_vcpu_set_regs(vm.h, vm.id, 0, &r));

	/* Task B, entered by JMP: not nested. */
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(SEL_B, v);
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(0x2, v);
	/* Task C, entered by CALL: nested, CR0.TS set. */
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(SEL_C, v);
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(0x4002, v);
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(0x19, v);		/* PE, TS, ET */
	/* Back in B by IRET, after its CALL. */
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(SEL_B, v);
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(0x2, v);
	ASSERT_EQ(0, tvm_expect_report(&vm, &v, 10000));
	EXPECT_EQ(0x77, v);
	/* JMP to B itself, busy: #GP with B's selector. */
	ASSERT_EQ(0, tvm_next_exit(&vm, &ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, ev.port);
	EXPECT_EQ(SEL_B, ev.data);
	ASSERT_EQ(0, tvm_complete(&vm, &ev, 0));
	ASSERT_EQ(0, tvm_run_to_hlt(&vm, 10000));

	/* The old tasks' EIPs and EAX, C's back link, the busy flags. */
	EXPECT_EQ(at(task_a_after), u32_at(&vm, TSS_A + 0x20));
	EXPECT_EQ(0x1111, u32_at(&vm, TSS_A + 0x28));
	EXPECT_EQ(at(task_b_after), u32_at(&vm, TSS_B + 0x20));
	EXPECT_EQ(SEL_B, u32_at(&vm, TSS_C));
	EXPECT_EQ(9, desc_type(&vm, SEL_A));	/* left by JMP */
	EXPECT_EQ(11, desc_type(&vm, SEL_B));	/* running */
	EXPECT_EQ(9, desc_type(&vm, SEL_C));	/* left by IRET */
	tvm_destroy(&vm);
}

HV_TEST_HARNESS_MAIN
