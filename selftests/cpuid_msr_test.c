// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID returns the VM's table (exact-index entries, any-index entries,
 * zeros for missing leaves, the APIC id in leaf 1) and the default table
 * hides what hv does not virtualize. MSRs hv keeps round-trip through the
 * guest and the vCPU record; unknown MSRs raise #GP, or go to the owner
 * under the exit policy, whose answer the guest sees. Prefixed CPUID,
 * RDMSR and HLT resume after their prefixes, whether or not the CPU
 * reports the next RIP.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"
#include "tsc_ratio.h"

/* cpuid(EAX=r8d, ECX=r9d), report EAX EBX ECX EDX. */
#define G_CPUID(leaf, sub)						\
	"mov $" #leaf ", %eax\n mov $" #sub ", %ecx\n cpuid\n"	\
	"mov %ebx, %r10d\n mov %ecx, %r11d\n mov %edx, %r12d\n"	\
	G_REPORT							\
	"mov %r10d, %eax\n" G_REPORT					\
	"mov %r11d, %eax\n" G_REPORT					\
	"mov %r12d, %eax\n" G_REPORT

GUEST_CODE(cpuid_table, ".code64",
	G_CPUID(0x1234, 0)
	G_CPUID(0x7, 0)
	G_CPUID(0x7, 1)
	G_CPUID(0x4000, 99)
	G_CPUID(0x5, 0)
	"hlt\n");

GUEST_CODE(cpuid_default, ".code64",
	G_CPUID(0x1, 0)
	G_CPUID(0x40000000, 0)
	G_CPUID(0x80000001, 0)
	G_CPUID(0x0, 0)
	G_CPUID(0x15, 0)
	G_CPUID(0x16, 0)
	G_CPUID(0x40000010, 0)
	"hlt\n");

/* wrmsr then rdmsr of each (index, value) in the table at r15. */
GUEST_CODE(msr_roundtrip, ".code64",
	"lea msr_pairs(%rip), %r15\n"
	"1: mov (%r15), %ecx\n"
	"test %ecx, %ecx\n"
	"jz 2f\n"
	"mov 8(%r15), %eax\n"
	"mov 12(%r15), %edx\n"
	"wrmsr\n"
	"xor %eax, %eax\n"
	"xor %edx, %edx\n"
	"rdmsr\n"
	"mov %edx, %r14d\n"
	G_REPORT
	"mov %r14d, %eax\n"
	G_REPORT
	"add $16, %r15\n"
	"jmp 1b\n"
	"2: hlt\n"
	".balign 8\n"
	".globl msr_pairs\n"
	"msr_pairs:\n"
	".quad 0xc0000081, 0x0023001000000000\n"	/* STAR */
	".quad 0xc0000082, 0xffffffff81000000\n"	/* LSTAR */
	".quad 0xc0000083, 0xffffffff81000040\n"	/* CSTAR */
	".quad 0xc0000084, 0x0000000000047700\n"	/* SFMASK */
	".quad 0xc0000102, 0x00007f0012345000\n"	/* KERNEL_GS_BASE */
	".quad 0x174, 0x10\n"				/* SYSENTER_CS */
	".quad 0x175, 0xffffc90000001000\n"		/* SYSENTER_ESP */
	".quad 0x176, 0xffffffff81000100\n"		/* SYSENTER_EIP */
	".quad 0x277, 0x0007010600070106\n"		/* PAT */
	".quad 0, 0\n");

GUEST_CODE(msr_unknown, ".code64",
	"mov $0x12345, %ecx\n"
	"rdmsr\n"
	"hlt\n");

GUEST_CODE(msr_exit, ".code64",
	"mov $0x4b564d00, %ecx\n"
	"rdmsr\n"
	"mov %edx, %r14d\n"
	G_REPORT
	"mov %r14d, %eax\n"
	G_REPORT
	"mov $0x4b564d01, %ecx\n"
	"mov $0x89abcdef, %eax\n"
	"mov $0x01234567, %edx\n"
	"wrmsr\n"
	"mov $0x4b564d02, %ecx\n"
	"wrmsr\n"				/* the owner refuses: #GP */
	"hlt\n");

GUEST_CODE(msr_read_pat, ".code64",
	"mov $0x277, %ecx\n"
	"rdmsr\n"
	G_REPORT
	"rdtsc\n"
	"mov %edx, %r14d\n"
	G_REPORT
	"mov %r14d, %eax\n"
	G_REPORT
	"hlt\n");

/* Prefixes the instructions ignore must still be stepped over. */
GUEST_CODE(prefixed, ".code64",
	"xor %eax, %eax\n"
	".byte 0x66, 0x0f, 0xa2\n"		/* cpuid, operand-size prefix */
	"mov $0x1111, %eax\n"
	G_REPORT
	"mov $1, %eax\n"
	".byte 0x2e, 0x48, 0x0f, 0xa2\n"	/* cpuid, CS override, REX.W */
	"mov $0x2222, %eax\n"
	G_REPORT
	"mov $0x277, %ecx\n"
	".byte 0x3e, 0x0f, 0x32\n"		/* rdmsr PAT, DS override */
	G_REPORT
	"mov $0x4b564d00, %ecx\n"
	".byte 0x66, 0x0f, 0x32\n"		/* rdmsr for the owner */
	G_REPORT
	".byte 0x3e, 0xf4\n");			/* hlt, DS override */

GUEST_CODE(prefixed16, ".code16",
	"xor %eax, %eax\n"
	".byte 0x66, 0x0f, 0xa2\n"		/* cpuid, operand-size prefix */
	"mov $0x3333, %eax\n"
	G_REPORT
	".byte 0xf3, 0xf4\n");			/* hlt, REP prefix */

FIXTURE(cm) {
	struct tvm vm;
	struct hv_message ev;
};

FIXTURE_SETUP(cm)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 1));
}

FIXTURE_TEARDOWN(cm)
{
	tvm_destroy(&self->vm);
}

#define REPORT(want) do {						\
		uint64_t v_;						\
		ASSERT_EQ(0, tvm_expect_report(&self->vm, &v_, 10000));	\
		EXPECT_EQ((uint64_t)(want), v_);			\
	} while (0)
#define REPORT4(a, b, c, d) do {					\
		REPORT(a);						\
		REPORT(b);						\
		REPORT(c);						\
		REPORT(d);						\
	} while (0)

TEST_F(cm, cpuid_returns_the_configured_table)
{
	static const uint32_t table[][7] = {
		{ 0x1234, 0, 0, 0x11111111, 0x22222222, 0x33333333, 0x44444444 },
		{ 0x7, 0, HV_CPUID_FLAGS_SIGNIFICANT_INDEX, 1, 2, 3, 4 },
		{ 0x7, 1, HV_CPUID_FLAGS_SIGNIFICANT_INDEX, 5, 6, 7, 8 },
		{ 0x4000, 0, 0, 0xa, 0xb, 0xc, 0xd },	/* any index */
	};

	ASSERT_EQ(0, hv_vm_set_cpuid(self->vm.h, self->vm.id, table, 4));
	tvm_load(&self->vm, CODE_GPA, cpuid_table_start, cpuid_table_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	REPORT4(0x11111111, 0x22222222, 0x33333333, 0x44444444);
	REPORT4(1, 2, 3, 4);
	REPORT4(5, 6, 7, 8);
	REPORT4(0xa, 0xb, 0xc, 0xd);
	REPORT4(0, 0, 0, 0);		/* leaf 5 is not in the table */
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(cm, default_table_hides_what_hv_does_not_virtualize)
{
	uint64_t eax, ebx, ecx, edx, tsc_khz, num, den, mhz, linux_khz;
	uint32_t want_num, want_den;
	char sig[13] = { 0 };

	tvm_load(&self->vm, CODE_GPA, cpuid_default_start, cpuid_default_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &eax, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ebx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ecx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &edx, 10000));
	EXPECT_EQ(0, ebx >> 24);		/* APIC id of vCPU 0 */
	EXPECT_EQ(1u << 31, ecx & (1u << 31));	/* hypervisor present */
	EXPECT_EQ(0, ecx & (1u << 5));		/* no VMX */
	EXPECT_EQ(0, ecx & (1u << 26));		/* no XSAVE */
	EXPECT_EQ(0, ecx & (1u << 28));		/* no AVX */
	EXPECT_EQ(1u << 9, edx & (1u << 9));	/* the APIC, enabled */
	EXPECT_EQ(1u << 21, ecx & (1u << 21));	/* x2APIC */
	EXPECT_EQ(1u << 24, ecx & (1u << 24));	/* TSC-deadline timer */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &eax, 10000));
	EXPECT_EQ(0x40000010, eax);		/* up to the timing leaf */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ebx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ecx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &edx, 10000));
	memcpy(sig, &ebx, 4);
	memcpy(sig + 4, &ecx, 4);
	memcpy(sig + 8, &edx, 4);
	EXPECT_STREQ("hvhvhvhvhvhv", sig);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &eax, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ebx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ecx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &edx, 10000));
	EXPECT_EQ(0, ecx & (1u << 2));		/* no SVM */
	EXPECT_EQ(1u << 29, edx & (1u << 29));	/* long mode */
	EXPECT_EQ(0, edx & (1u << 27));		/* no RDTSCP */

	/*
	 * The clocks: TSC = 10^9 Hz "crystal" (the APIC bus) * EBX / EAX,
	 * the same TSC in kHz at 0x40000010 and in MHz at 0x16. Linux 6.1
	 * computes crystal_khz * EBX / EAX in 32 bits: it must not wrap, and
	 * must land within kmod/tsc_ratio.c's 117 ppm of the TSC.
	 */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &eax, 10000));
	EXPECT_EQ(0x16, eax);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ebx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ecx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &edx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &den, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &num, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ecx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &edx, 10000));
	EXPECT_NE(0, den);
	EXPECT_NE(0, num);
	EXPECT_GE(0xffffffffull, 1000000ull * num);
	EXPECT_EQ(1000000000, ecx);
	EXPECT_EQ(0, edx);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &eax, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ebx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ecx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &edx, 10000));
	mhz = eax;
	EXPECT_EQ(mhz, ebx);
	EXPECT_EQ(1000, ecx);			/* bus MHz */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &eax, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ebx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &ecx, 10000));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &edx, 10000));
	tsc_khz = eax;
	EXPECT_NE(0, tsc_khz);
	EXPECT_EQ(1000000, ebx);		/* bus kHz */
	EXPECT_EQ(tsc_khz / 1000, mhz);
	hv_tsc_crystal_ratio(tsc_khz, 1000000, &want_num, &want_den);
	EXPECT_EQ(want_num, num);
	EXPECT_EQ(want_den, den);
	linux_khz = den ? (uint32_t)(1000000u * (uint32_t)num) / den : 0;
	EXPECT_GE(tsc_khz * 117 / 1000000 + 1,
		  linux_khz > tsc_khz ? linux_khz - tsc_khz :
					tsc_khz - linux_khz);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(cm, kept_msrs_round_trip_and_show_in_the_record)
{
	static const uint64_t want[][2] = {
		{ 0xc0000081, 0x0023001000000000ULL },
		{ 0xc0000082, 0xffffffff81000000ULL },
		{ 0xc0000083, 0xffffffff81000040ULL },
		{ 0xc0000084, 0x0000000000047700ULL },
		{ 0xc0000102, 0x00007f0012345000ULL },
		{ 0x174, 0x10 },
		{ 0x175, 0xffffc90000001000ULL },
		{ 0x176, 0xffffffff81000100ULL },
		{ 0x277, 0x0007010600070106ULL },
	};
	struct hv_regs r;
	size_t i;

	tvm_load(&self->vm, CODE_GPA, msr_roundtrip_start, msr_roundtrip_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		REPORT((uint32_t)want[i][1]);
		REPORT(want[i][1] >> 32);
	}
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(want[0][1], r.star);
	EXPECT_EQ(want[1][1], r.lstar);
	EXPECT_EQ(want[2][1], r.cstar);
	EXPECT_EQ(want[3][1], r.sfmask);
	EXPECT_EQ(want[4][1], r.kernel_gs_base);
	EXPECT_EQ(want[5][1], r.sysenter_cs);
	EXPECT_EQ(want[6][1], r.sysenter_esp);
	EXPECT_EQ(want[7][1], r.sysenter_eip);
	EXPECT_EQ(want[8][1], r.pat);
}

TEST_F(cm, record_msrs_and_tsc_are_what_the_guest_reads)
{
	struct hv_regs r;

	tvm_load(&self->vm, CODE_GPA, msr_read_pat_start, msr_read_pat_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	r.pat = 0x0000000000000006ULL;		/* all WB but entry 0 */
	r.tsc = 0x12300000000ULL;
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	REPORT(6);
	{
		uint64_t lo, hi, tsc;

		ASSERT_EQ(0, tvm_expect_report(&self->vm, &lo, 10000));
		ASSERT_EQ(0, tvm_expect_report(&self->vm, &hi, 10000));
		tsc = hi << 32 | lo;
		/* It counts on from the value set (2^36 ticks: > 20 s). */
		EXPECT_LE(0x12300000000ULL, tsc);
		EXPECT_GT(0x12300000000ULL + (1ULL << 36), tsc);
	}
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(cm, unknown_msr_raises_gp)
{
	tvm_load(&self->vm, CODE_GPA, msr_unknown_start, msr_unknown_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_IO, self->ev.reason);
	EXPECT_EQ(TEST_EXC_PORT, self->ev.port);
	EXPECT_EQ(13, self->ev.data);		/* #GP */
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(cm, exit_policy_sends_unknown_msrs_to_the_owner)
{
	ASSERT_EQ(0, hv_vm_set_msr_policy(self->vm.h, self->vm.id,
					  HV_MSR_POLICY_EXIT));
	tvm_load(&self->vm, CODE_GPA, msr_exit_start, msr_exit_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));

	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MSR, self->ev.reason);
	EXPECT_EQ(HV_DIR_READ, self->ev.dir);
	EXPECT_EQ(0x4b564d00, self->ev.msr);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0xfedcba9876543210ULL));
	REPORT(0x76543210);
	REPORT(0xfedcba98);

	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MSR, self->ev.reason);
	EXPECT_EQ(HV_DIR_WRITE, self->ev.dir);
	EXPECT_EQ(0x4b564d01, self->ev.msr);
	EXPECT_EQ(0x0123456789abcdefULL, self->ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));

	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(0x4b564d02, self->ev.msr);
	ASSERT_EQ(0, hv_vcpu_complete(self->vm.h, self->vm.id, 0,
				      self->ev.seq, 0, 1));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, self->ev.port);
	EXPECT_EQ(13, self->ev.data);		/* the owner's error: #GP */
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(cm, prefixed_instructions_resume_after_their_prefixes)
{
	ASSERT_EQ(0, hv_vm_set_msr_policy(self->vm.h, self->vm.id,
					  HV_MSR_POLICY_EXIT));
	tvm_load(&self->vm, CODE_GPA, prefixed_start, prefixed_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	REPORT(0x1111);
	REPORT(0x2222);
	REPORT(0x00070406);			/* PAT's RESET value, low half */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MSR, self->ev.reason);
	EXPECT_EQ(0x4b564d00, self->ev.msr);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0x55aa));
	REPORT(0x55aa);
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_HLT, self->ev.reason);
	EXPECT_EQ(CODE_GPA + (prefixed_end - prefixed_start), self->ev.rip);
}

TEST_F(cm, prefixed_instructions_in_real_mode)
{
	tvm_load(&self->vm, 0x1000, prefixed16_start, prefixed16_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_REAL, 0x1000));
	REPORT(0x3333);
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_HLT, self->ev.reason);
	EXPECT_EQ(0x1000 + (prefixed16_end - prefixed16_start), self->ev.rip);
}

HV_TEST_HARNESS_MAIN
