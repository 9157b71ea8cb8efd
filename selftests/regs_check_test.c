// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu-set-regs checks every field of the record as the hardware would:
 * an FPU image whose MXCSR has reserved bits (it once made the host's
 * XRSTOR fault), non-canonical system-call MSRs (once written to the CPU
 * unchecked, giving the owner the host's LSTAR back), oversized MSRs and
 * segment bases are refused with a message and change nothing. Values
 * the hardware accepts reach the guest exactly.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

/* stmxcsr and report it; then report LSTAR and KERNEL_GS_BASE. */
GUEST_CODE(rc_read, ".code64",
	"sub $16, %rsp\n"
	"stmxcsr (%rsp)\n"
	"mov (%rsp), %eax\n"
	G_REPORT
	"mov $0xc0000082, %ecx\n"
	"rdmsr\n"
	"mov %edx, %r14d\n"
	G_REPORT
	"mov %r14d, %eax\n"
	G_REPORT
	"hlt\n");

FIXTURE(rc) {
	struct tvm vm;
	struct hv_regs r;
};

FIXTURE_SETUP(rc)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 1));
	tvm_load(&self->vm, CODE_GPA, rc_read_start, rc_read_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &self->r));
	self->r.cr4 |= 1 << 9;		/* OSFXSR, for STMXCSR */
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &self->r));
}

FIXTURE_TEARDOWN(rc)
{
	tvm_destroy(&self->vm);
}

#define MXCSR(r) (*(uint32_t *)((r)->fpu + 24))

/* A refused record changes nothing: the vCPU still has @before. */
static void expect_refused(struct __test_metadata *_metadata, struct tvm *vm,
			   const struct hv_regs *bad, const struct hv_regs *before,
			   const char *msg)
{
	struct hv_regs after;

	EXPECT_EQ(-EINVAL, hv_vcpu_set_regs(vm->h, vm->id, 0, bad));
	EXPECT_STREQ(msg, hv_errmsg(vm->h));
	ASSERT_EQ(0, hv_vcpu_get_regs(vm->h, vm->id, 0, &after));
	EXPECT_EQ(before->lstar, after.lstar);
	EXPECT_EQ(before->kernel_gs_base, after.kernel_gs_base);
	EXPECT_EQ(MXCSR(before), MXCSR(&after));
	EXPECT_EQ(0, memcmp(before->fpu, after.fpu, sizeof(after.fpu)));
}

TEST_F(rc, mxcsr_reserved_bits)
{
	static const char msg[] =
		"fpu image: mxcsr has bits set that this CPU reserves (mxcsr_mask)";
	struct hv_regs bad = self->r;
	uint64_t v;

	EXPECT_EQ(0x1f80, MXCSR(&self->r));
	MXCSR(&bad) = 0xffff1f80;		/* the fuzzer's host crash */
	expect_refused(_metadata, &self->vm, &bad, &self->r, msg);
	MXCSR(&bad) = 0x1f80 | (1u << 31);
	expect_refused(_metadata, &self->vm, &bad, &self->r, msg);

	/* Every MXCSR_MASK default bit is accepted and reaches the guest. */
	bad = self->r;
	MXCSR(&bad) = 0x9f80;			/* FZ, every mask, RC=00 */
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &bad));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 5000));
	EXPECT_EQ(0x9f80, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 5000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 5000));
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 5000));
}

TEST_F(rc, msrs_as_wrmsr_checks_them)
{
	struct hv_regs bad;

	bad = self->r;
	bad.lstar = 0x8000000000000000ULL;	/* the KASLR leak */
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "lstar and cstar must be canonical addresses");
	bad = self->r;
	bad.cstar = 0x0000800000000000ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "lstar and cstar must be canonical addresses");
	bad = self->r;
	bad.kernel_gs_base = 0x8000000000000000ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "kernel_gs_base must be a canonical address");
	bad = self->r;
	bad.sysenter_eip = 0x1000000000000000ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "sysenter_esp and sysenter_eip must be canonical addresses");
	bad = self->r;
	bad.sysenter_cs = 0x100000010ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "sysenter_cs must fit in 32 bits");
	bad = self->r;
	bad.sfmask = 0x100000000ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "sfmask (IA32_FMASK) must fit in 32 bits");
}

TEST_F(rc, bases_as_vm_entry_checks_them)
{
	struct hv_regs bad;

	bad = self->r;
	bad.fs.base = 0x0000900000000000ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "fs and gs bases must be canonical addresses");
	bad = self->r;
	bad.idtr.base = 0xf000000000000000ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "gdtr and idtr bases must be canonical addresses");
	bad = self->r;
	bad.ds.base = 0x100000000ULL;
	expect_refused(_metadata, &self->vm, &bad, &self->r,
		       "cs, ss, ds and es bases must fit in 32 bits");
}

/* A canonical LSTAR reaches the guest and comes back: never the host's. */
TEST_F(rc, lstar_is_the_guests)
{
	struct hv_regs r = self->r, back;
	uint64_t lo, hi, v;

	r.lstar = 0xffff800012345678ULL;
	r.kernel_gs_base = 0x00007fffdeadb000ULL;
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 5000));
	EXPECT_EQ(0x1f80, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &lo, 5000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &hi, 5000));
	EXPECT_EQ(0xffff800012345678ULL, hi << 32 | lo);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 5000));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &back));
	EXPECT_EQ(0xffff800012345678ULL, back.lstar);
	EXPECT_EQ(0x00007fffdeadb000ULL, back.kernel_gs_base);
	/* Whatever get returns, set accepts. */
	EXPECT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &back));
}

HV_TEST_HARNESS_MAIN
