// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's life: HLT blocks the vCPU and tells the owner; pause parks a
 * spinning vCPU and resume continues it where it was; an injected NMI or
 * interrupt wakes a halted vCPU into its handler; a triple fault crashes
 * the VM with a notice, as does an MMIO instruction hv cannot emulate;
 * crashed VMs cannot run but can be inspected and destroyed.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

GUEST_CODE(halt_cli, ".code64",
	"cli\n"
	"hlt\n"
	"mov $0x600d, %eax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(halt_sti, ".code64",
	"sti\n"
	"hlt\n"
	"hlt\n");

/* Count; report every 2^20 iterations, and go on. */
GUEST_CODE(spin, ".code64",
	"xor %eax, %eax\n"
	".globl spin_loop\n"
	"spin_loop: inc %rax\n"
	"test $0xfffff, %eax\n"
	"jnz spin_loop\n"
	G_REPORT
	"jmp spin_loop\n"
	".globl spin_loop_end\n"
	"spin_loop_end:\n");

GUEST_CODE(triple, ".code64",
	"lidt zero_idt(%rip)\n"
	"int3\n"
	".globl zero_idt\n"
	"zero_idt: .word 0\n .quad 0\n");

GUEST_CODE(bad_mmio, ".code64",
	"mov $0xc0000000, %ebx\n"
	"incl (%rbx)\n"			/* FF /0: not emulated */
	"hlt\n");

extern const unsigned char spin_loop[], spin_loop_end[];

FIXTURE(life) {
	struct tvm vm;
	struct hv_message ev;
};

FIXTURE_SETUP(life)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 1));
}

FIXTURE_TEARDOWN(life)
{
	tvm_destroy(&self->vm);
}

static uint32_t vcpu_state(struct tvm *vm)
{
	struct hv_vcpu_info v;

	if (hv_vcpu_get(vm->h, vm->id, 0, &v))
		return ~0u;
	return v.state;
}

TEST_F(life, hlt_blocks_and_tells_the_owner_then_nmi_wakes)
{
	struct hv_regs r;

	tvm_load(&self->vm, CODE_GPA, halt_cli_start, halt_cli_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	ASSERT_EQ(HV_EXIT_REASON_HLT, self->ev.reason);
	EXPECT_EQ(0, self->ev.rflags & 0x200);		/* IF clear */
	EXPECT_EQ(CODE_GPA + 2, self->ev.rip);		/* after cli; hlt */

	/* The exit is sent before the vCPU blocks: pausing waits for it. */
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	EXPECT_EQ(HV_VCPU_STATE_HALTED, vcpu_state(&self->vm));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(HV_ACTIVITY_HALTED, r.activity);
	EXPECT_EQ(CODE_GPA + 2, r.rip);

	/* Resumed without an event: it stays halted. */
	ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	EXPECT_EQ(-ETIMEDOUT, hv_next_message(self->vm.h, &self->ev, 300));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));

	/* An NMI is not masked by IF: the handler runs and reports 2. */
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	r.event.valid = 1;
	r.event.type = HV_EVENT_TYPE_NMI;
	r.event.vector = 2;
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, self->ev.port);
	EXPECT_EQ(2, self->ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(life, interrupt_waits_for_if_and_wakes_hlt)
{
	struct hv_regs r;

	tvm_load(&self->vm, CODE_GPA, halt_sti_start, halt_sti_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(0x200, r.rflags & 0x200);
	r.event.valid = 1;
	r.event.type = HV_EVENT_TYPE_EXT_INTR;
	r.event.vector = 0x40;
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, self->ev.port);
	EXPECT_EQ(0x40, self->ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(life, pause_parks_a_spinning_vcpu_and_resume_continues)
{
	uint64_t loop = CODE_GPA + (spin_loop - spin_start);
	uint64_t end = CODE_GPA + (spin_loop_end - spin_start);
	struct hv_regs r1, r2;
	uint64_t v, i;

	tvm_load(&self->vm, CODE_GPA, spin_start, spin_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	for (i = 1; i <= 3; i++) {
		/* The count proves it ran on from where it was paused. */
		ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 30000));
		EXPECT_EQ(i << 20, v);
		ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
		/*
		 * The vCPU may have reached its next report before the
		 * pause took it: answered while paused, the OUT finishes
		 * and the vCPU parks after it.
		 */
		if (vcpu_state(&self->vm) == HV_VCPU_STATE_OWNER_WAIT) {
			ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 1000));
			EXPECT_EQ(++i << 20, v);
		}
		ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r1));
		EXPECT_EQ(HV_VCPU_STATE_STOPPED, vcpu_state(&self->vm));
		EXPECT_LE(loop, r1.rip);
		EXPECT_GT(end, r1.rip);
		EXPECT_LE(i << 20, r1.gpr[HV_RAX]);
		EXPECT_GT((i + 1) << 20, r1.gpr[HV_RAX]);
		/* Parked: nothing changes while it is. */
		ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r2));
		EXPECT_EQ(r1.gpr[HV_RAX], r2.gpr[HV_RAX]);
		EXPECT_EQ(r1.rip, r2.rip);
		ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	}
}

TEST_F(life, triple_fault_crashes_the_vm_with_a_notice)
{
	struct hv_vm_info info;
	struct hv *watch;

	ASSERT_EQ(0, hv_open(&watch));
	ASSERT_EQ(0, hv_subscribe_notices(watch));
	tvm_load(&self->vm, CODE_GPA, triple_start, triple_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	self->vm.started = 1;
	for (;;) {
		ASSERT_EQ(0, hv_next_message(watch, &self->ev, 10000));
		if (self->ev.vm == self->vm.id &&
		    self->ev.notice == HV_NOTICE_CRASHED)
			break;
	}
	EXPECT_NE(NULL, strstr(self->ev.reason_text, "triple fault"))
		TH_LOG("%s", self->ev.reason_text);
	ASSERT_EQ(0, hv_vm_get(self->vm.h, self->vm.id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_CRASHED, info.state);
	EXPECT_STREQ(self->ev.reason_text, info.crash_reason);
	EXPECT_EQ(-EINVAL, hv_vm_start(self->vm.h, self->vm.id));
	EXPECT_STREQ("the VM crashed; it can be inspected and destroyed, not run",
		     hv_errmsg(self->vm.h));
	/* It can still be inspected. */
	{
		struct hv_regs r;

		EXPECT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	}
	EXPECT_EQ(0, hv_vm_del(self->vm.h, self->vm.id));
	hv_close(watch);
}

TEST_F(life, unemulatable_mmio_crashes_the_vm_with_the_reason)
{
	struct hv_vm_info info;
	struct hv *watch;

	ASSERT_EQ(0, hv_open(&watch));
	ASSERT_EQ(0, hv_subscribe_notices(watch));
	tvm_load(&self->vm, CODE_GPA, bad_mmio_start, bad_mmio_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	for (;;) {
		ASSERT_EQ(0, hv_next_message(watch, &self->ev, 10000));
		if (self->ev.vm == self->vm.id &&
		    self->ev.notice == HV_NOTICE_CRASHED)
			break;
	}
	ASSERT_EQ(0, hv_vm_get(self->vm.h, self->vm.id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_CRASHED, info.state);
	EXPECT_STREQ("vcpu 0 cannot emulate the instruction at rip 0x10005 (ff 03 f4 00 00 00 00 00): unsupported",
		     info.crash_reason);
	hv_close(watch);
}

HV_TEST_HARNESS_MAIN
