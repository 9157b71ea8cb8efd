// SPDX-License-Identifier: GPL-2.0
/*
 * The guest-triggered host hangs of CVE-2015-8104 and CVE-2015-5307: an
 * exception raised again while the CPU delivers it (#DB from a data
 * breakpoint on the handler's own stack, #AC from a misaligned stack at
 * CPL 3) loops in microcode, with no instruction boundary where a host
 * interrupt could be taken, unless the hypervisor intercepts it. With hv
 * every round exits to the kernel, so the vCPU thread keeps counting
 * exits, the host keeps running, and the VM pauses like any other; no
 * exit reaches the owner.
 *
 * A fault hv raises pushes RFLAGS with RF set, as the CPU's own faults do,
 * so that the instruction it restarts does not trip its own instruction
 * breakpoint again. This runs here too: QEMU 7.2's TCG leaves a
 * breakpoint a guest enabled with MOV to DR7 armed after #VMEXIT, where
 * it then fires in whatever runs at that address next.
 */
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB		(1 << 20)
#define ROUNDS		20000
#define IST1_TOP	0x9e000
#define HANDLER_GPA	0x12000

/* The write that hits the breakpoint on the #DB stack's first slot. */
GUEST_CODE(db_storm, ".code64", "movl $1, 0x9dff8\n hlt\n");

/* At CPL 3 with alignment checks on: a push to a misaligned stack. */
GUEST_CODE(ac_storm, ".code32", "push %eax\n hlt\n");

FIXTURE(storm) {
	struct tvm vm;
};

FIXTURE_SETUP(storm)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 4 * MIB, 1));
}

FIXTURE_TEARDOWN(storm)
{
	tvm_destroy(&self->vm);
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000ULL + t.tv_nsec / 1000000;
}

/*
 * Start the VM and wait until its vCPU has exited ROUNDS times (the test
 * machines' time limit bounds the wait); then pause it.
 */
static void storm_then_pause(struct __test_metadata *_metadata, struct tvm *vm)
{
	uint64_t deadline = now_ms() + 120000;
	struct hv_vcpu_info vi = { 0 };
	struct hv_message ev;
	struct timespec tick = { 0, 10000000 };

	ASSERT_EQ(0, hv_vm_start(vm->h, vm->id));
	vm->started = 1;
	while (now_ms() < deadline) {
		ASSERT_EQ(0, hv_vcpu_get(vm->h, vm->id, 0, &vi));
		if (vi.exits >= ROUNDS)
			break;
		nanosleep(&tick, NULL);
	}
	TH_LOG("%llu exits", (unsigned long long)vi.exits);
	EXPECT_LE(ROUNDS, vi.exits);
	ASSERT_EQ(0, hv_vm_pause(vm->h, vm->id));
	ASSERT_EQ(0, hv_vcpu_get(vm->h, vm->id, 0, &vi));
	EXPECT_EQ(HV_VCPU_STATE_STOPPED, vi.state);
	EXPECT_EQ(-ETIMEDOUT, hv_next_message(vm->h, &ev, 0));
}

TEST_F_TIMEOUT(storm, db_on_its_own_stack, 150)
{
	uint64_t gate_lo, ist1 = IST1_TOP;
	struct hv_regs r;

	tvm_load(&self->vm, CODE_GPA, db_storm_start, db_storm_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	/* #DB on IST1 (SDM Vol. 3A, 6.14.5); the TSS is at TR's base 0. */
	memcpy(&gate_lo, self->vm.mem + IDT_GPA + 16, 8);
	gate_lo |= 1ULL << 32;
	memcpy(self->vm.mem + IDT_GPA + 16, &gate_lo, 8);
	memcpy(self->vm.mem + 0x24, &ist1, 8);
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	r.dr[0] = IST1_TOP - 8;
	r.dr7 = 0xd0401;		/* L0, a 4-byte write breakpoint */
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));

	storm_then_pause(_metadata, &self->vm);
	/* Stopped where every round stops: before the handler's first byte. */
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(STUBS_GPA + 1 * 16, r.rip);
	EXPECT_EQ(1, r.dr6 & 0xf);	/* B0 */
}

/* Flat 32-bit ring-3 code and data (SDM Vol. 3A, 3.4.5). */
#define DESC_UCODE32	0x00cffb000000ffffULL
#define DESC_UDATA32	0x00cff3000000ffffULL
#define SEL_UCODE	(0x18 | 3)
#define SEL_UDATA	(0x20 | 3)

TEST_F_TIMEOUT(storm, ac_on_its_own_stack, 150)
{
	uint64_t desc[2] = { DESC_UCODE32, DESC_UDATA32 };
	uint64_t gate = (CODE_GPA & 0xffff) | ((uint64_t)SEL_UCODE << 16) |
			(0x8eULL << 40) | ((CODE_GPA >> 16) & 0xffffULL) << 48;
	struct hv_regs r;

	tvm_load(&self->vm, CODE_GPA, ac_storm_start, ac_storm_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_PROT32, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_PROT32));
	memcpy(self->vm.mem + GDT_GPA + 0x18, desc, sizeof(desc));
	/* #AC's gate leads to ring 3: no stack switch, the same stack. */
	memcpy(self->vm.mem + IDT_GPA + 17 * 8, &gate, 8);
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	r.gdtr.limit = 5 * 8 - 1;
	r.cs.selector = SEL_UCODE;
	r.cs.ar = 0xc0fb;		/* code, DPL 3, present, 32-bit, 4K */
	r.ss.selector = SEL_UDATA;
	r.ss.ar = 0xc0f3;
	r.ds = r.es = r.fs = r.gs = r.ss;
	r.cr0 |= 1 << 18;		/* AM */
	r.rflags |= 1 << 18;		/* AC */
	r.gpr[HV_RSP] = 0x7001;
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));

	storm_then_pause(_metadata, &self->vm);
	/* The push never completes: the vCPU is still before it. */
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(CODE_GPA, r.rip);
	EXPECT_EQ(0x7001, r.gpr[HV_RSP]);
}

/*
 * The #GP hv raises for an RDMSR of an unknown MSR is a fault: the RFLAGS
 * it pushes has RF set (SDM Vol. 3B, 18.3.1.1). Its handler fixes ECX and
 * puts an instruction breakpoint on the RDMSR, which RF lets run once
 * without a #DB; without RF the #DB handler reports first.
 */
GUEST_CODE(rf_main, ".code64",
	"mov $0x12345, %ecx\n"
	".globl rf_rdmsr\n"
	"rf_rdmsr: rdmsr\n"
	G_REPORT
	"hlt\n");

extern const unsigned char rf_rdmsr[];

GUEST_CODE(rf_db, ".code64",
	"push %rax\n push %rdx\n"
	"mov $1, %eax\n mov $0x1001, %dx\n out %eax, (%dx)\n"
	"orq $0x10000, 32(%rsp)\n"		/* RF in the pushed RFLAGS */
	"pop %rdx\n pop %rax\n"
	"iretq\n");

GUEST_CODE(rf_gp, ".code64",
	"push %rax\n push %rdx\n"
	"mov $13, %eax\n mov $0x1001, %dx\n out %eax, (%dx)\n"
	"mov $0x401, %eax\n mov %rax, %db7\n"	/* L0, execution */
	"pop %rdx\n pop %rax\n"
	"add $8, %rsp\n"			/* the error code */
	"mov $0x277, %ecx\n"			/* PAT: the RDMSR works now */
	"iretq\n");

TEST_F(storm, faults_hv_raises_push_rf)
{
	struct hv_message ev;
	struct hv_regs r;
	uint64_t v;

	tvm_load(&self->vm, CODE_GPA, rf_main_start, rf_main_end);
	tvm_load(&self->vm, HANDLER_GPA, rf_db_start, rf_db_end);
	tvm_load(&self->vm, HANDLER_GPA + 0x100, rf_gp_start, rf_gp_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	tvm_set_gate(&self->vm, MODE_LONG64, 1, HANDLER_GPA);
	tvm_set_gate(&self->vm, MODE_LONG64, 13, HANDLER_GPA + 0x100);
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	r.dr[0] = CODE_GPA + (rf_rdmsr - rf_main_start);
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));

	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, ev.port);
	EXPECT_EQ(13, ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x00070406, v);		/* PAT's low half at power-on */
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

HV_TEST_HARNESS_MAIN
