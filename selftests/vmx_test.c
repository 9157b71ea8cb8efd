// SPDX-License-Identifier: GPL-2.0
/*
 * VMX only. The L1D flush (CVE-2018-3646) follows the mode set through the
 * family: "always" flushes before every entry, "never" before none, "auto"
 * on a CPU with L1TF flushes only after exits that may have brought host
 * data into L1D, never after a CPUID handled in the kernel. EPT is
 * invalidated once per VM, host CPU and generation, not once per vCPU, and
 * the INVVPID a vCPU new to a CPU needs is skipped when that INVEPT runs.
 * A MOV to CR0 hv refuses in real mode raises #GP without an error code
 * (SVM leaves that check to the CPU, which QEMU's TCG does not make).
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB (1 << 20)
#define LOOPS 200

GUEST_CODE(cpuid_loop, ".code64",
	"mov $200, %r8d\n"
	"1: xor %eax, %eax\n"
	"cpuid\n"
	"dec %r8d\n"
	"jnz 1b\n"
	"hlt\n");

/* NW without CD, and NE set so that the write exits (CR0.NE is masked). */
GUEST_CODE(rm_cr0nw, ".code16",
	"mov %cr0, %eax\n"
	"or $0x20000020, %eax\n"
	"mov %eax, %cr0\n"
	"hlt\n");

/* A VM of @n vCPUs, all on host CPU 0, each through the loop to HLT. */
static int run_loop(struct tvm *vm, uint32_t n, struct hv_stats *st)
{
	struct hv_vcpu_info *vcpus;
	cpu_set_t cpu0;
	size_t nv, i;
	int err;

	err = tvm_create(vm, MIB, n);
	if (err)
		return err;
	tvm_load(vm, CODE_GPA, cpuid_loop_start, cpuid_loop_end);
	err = hv_vcpu_list(vm->h, vm->id, &vcpus, &nv);
	if (err)
		return err;
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	for (i = 0; i < nv && !err; i++)
		if (sched_setaffinity(vcpus[i].thread, sizeof(cpu0), &cpu0))
			err = -errno;
	free(vcpus);
	for (i = 0; i < n && !err; i++)
		err = tvm_set_mode(vm, i, MODE_LONG64, CODE_GPA);
	/* The first wait starts the VM. */
	for (i = 0; i < n && !err; i++)
		err = tvm_run_to_hlt(vm, 120000);
	if (!err)
		err = hv_get_stats(vm->h, vm->id, st);
	return err;
}

FIXTURE(vmx) {
	struct hv *h;
	struct hv_info info;
};

FIXTURE_SETUP(vmx)
{
	ASSERT_EQ(0, hv_open(&self->h));
	ASSERT_EQ(0, hv_get_info(self->h, &self->info));
	ASSERT_EQ(HV_BACKEND_VMX, self->info.backend);
}

FIXTURE_TEARDOWN(vmx)
{
	struct hv_info info;

	hv_set_l1d_flush(self->h, HV_L1D_FLUSH_MODE_AUTO, &info);
	hv_close(self->h);
}

TEST_F(vmx, l1d_flush_follows_the_mode)
{
	static const uint32_t modes[] = {
		HV_L1D_FLUSH_MODE_ALWAYS, HV_L1D_FLUSH_MODE_NEVER,
		HV_L1D_FLUSH_MODE_AUTO,
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		uint64_t exits, flushes, *by_method, *other;
		struct hv_info info;
		struct hv_stats st;
		struct tvm vm;

		ASSERT_EQ(0, hv_set_l1d_flush(self->h, modes[i], &info));
		EXPECT_EQ(modes[i], info.l1d_flush_mode);
		ASSERT_EQ(0, run_loop(&vm, 1, &st));
		tvm_destroy(&vm);

		exits = st.exits[HV_STAT_EXITS];
		ASSERT_LE(LOOPS + 1, exits);
		/* Bochs has no IA32_FLUSH_CMD: the method is what get-info says. */
		by_method = info.l1d_flush_method == HV_L1D_FLUSH_METHOD_MSR ?
			    &st.l1d_flush_msr : &st.l1d_flush_sw;
		other = by_method == &st.l1d_flush_msr ? &st.l1d_flush_sw :
							 &st.l1d_flush_msr;
		flushes = *by_method;
		EXPECT_EQ(0, *other);
		switch (info.l1d_flush) {
		case HV_L1D_FLUSH_MODE_ALWAYS:
			/* One entry per exit: every entry flushed. */
			EXPECT_EQ(exits, flushes);
			break;
		case HV_L1D_FLUSH_MODE_NEVER:
			EXPECT_EQ(0, flushes);
			break;
		case HV_L1D_FLUSH_MODE_COND:
			/*
			 * The first entry flushes, and so does each entry
			 * after host code ran in between: an interrupt, or
			 * the thread scheduled away, which a tick taken
			 * between two CPUID exits causes without an exit of
			 * its own. The CPUID exits themselves do not.
			 */
			EXPECT_EQ(HV_L1D_FLUSH_MODE_AUTO, modes[i]);
			EXPECT_EQ(HV_L1TF_AFFECTED, info.l1tf);
			EXPECT_LE(1, flushes);
			EXPECT_GT(LOOPS / 10, flushes);
			break;
		default:
			EXPECT_TRUE(false) TH_LOG("effective mode %u",
						  info.l1d_flush);
		}
	}
}

TEST_F(vmx, invept_once_per_cpu_not_per_vcpu)
{
	struct hv_stats st;
	struct tvm vm;
	uint32_t i;

	ASSERT_TRUE(self->info.caps & HV_CAP_VPID);
	ASSERT_EQ(0, run_loop(&vm, 4, &st));
	/*
	 * Four vCPUs on one CPU: the first entry invalidates the VM's EPT
	 * there, which also covers the first vCPU's VPID; the other three
	 * need an INVVPID each.
	 */
	EXPECT_EQ(1, st.invept);
	EXPECT_EQ(3, st.invvpid);
	EXPECT_EQ(1, st.invvpid_saved);

	/* Zap every mapping: one more INVEPT for the CPU, none per vCPU. */
	ASSERT_EQ(0, hv_vm_pause(vm.h, vm.id));
	ASSERT_EQ(0, hv_mem_unmap(vm.h, vm.id, vm.slot));
	ASSERT_EQ(0, hv_mem_map(vm.h, vm.id, 0, vm.mem_size, vm.mem, 0,
				&vm.slot));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, tvm_set_mode(&vm, i, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, tvm_run_to_hlt(&vm, 120000));
	ASSERT_EQ(0, hv_get_stats(vm.h, vm.id, &st));
	EXPECT_EQ(2, st.invept);
	EXPECT_EQ(3, st.invvpid);
	EXPECT_EQ(1, st.invvpid_saved);
	tvm_destroy(&vm);
}

/* Once: "invalid guest state (entry failure 0x0, detail 0x7)". */
TEST(real_mode_cr0_nw_gp)
{
	struct hv_vm_info info;
	struct hv_message ev;
	struct tvm vm;

	ASSERT_EQ(0, tvm_create(&vm, MIB, 1));
	tvm_load(&vm, 0x1000, rm_cr0nw_start, rm_cr0nw_end);
	ASSERT_EQ(0, tvm_set_mode(&vm, 0, MODE_REAL, 0x1000));
	ASSERT_EQ(0, tvm_use_idt(&vm, 0, MODE_REAL));
	ASSERT_EQ(0, tvm_next_exit(&vm, &ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, ev.port);
	EXPECT_EQ(13, ev.data);
	ASSERT_EQ(0, hv_vm_get(vm.h, vm.id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_RUNNING, info.state);
	tvm_destroy(&vm);
}

HV_TEST_HARNESS_MAIN
