// SPDX-License-Identifier: GPL-2.0
/*
 * What a hostile guest found, each answered as the hardware would answer
 * it: real-mode exceptions carry no error code (VM entry once refused
 * them), CR4 bits the VM's CPUID hides raise #GP, a read-modify-write of
 * a read-only slot reads RAM and writes to the owner, a prefixed INVD is
 * stepped over whole, a page walk into
 * memory no slot backs raises #PF instead of asking the owner, and
 * single steps trap after instructions hv completes.
 */
#include <string.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB		(1 << 20)
#define REAL_CODE	0x1000
#define HANDLER_GPA	0x12000

/*
 * Real mode: an unknown MSR (the VM's policy is #GP) and RDPMC (hv hides
 * the PMU) raise #GP, which real mode delivers without an error code.
 */
GUEST_CODE(rm_rdmsr, ".code16", "mov $0x12345, %ecx\n rdmsr\n hlt\n");
GUEST_CODE(rm_rdpmc, ".code16", "xor %ecx, %ecx\n rdpmc\n hlt\n");

/*
 * For each CR4 bit in the list: set it; a #GP handler (at HANDLER_GPA)
 * reports 13 and steps over the 3-byte MOV. Then report CR4 again. Last,
 * toggle PGE, which every VM may, and report the result.
 */
GUEST_CODE(cr4_bits, ".code64",
	"mov %cr4, %rbx\n"
	"lea cr4_list(%rip), %rsi\n"
	"1: mov (%rsi), %rax\n"
	"test %rax, %rax\n"
	"jz 2f\n"
	"or %rbx, %rax\n"
	".byte 0x0f, 0x22, 0xe0\n"		/* mov %rax, %cr4 */
	"mov %cr4, %rax\n"
	G_REPORT
	"add $8, %rsi\n"
	"jmp 1b\n"
	"2: mov %rbx, %rax\n"
	"xor $0x80, %rax\n"
	"mov %rax, %cr4\n"
	"mov %cr4, %rax\n"
	G_REPORT
	"hlt\n"
	".balign 8\n"
	"cr4_list:\n"
	".quad 1 << 18\n"			/* OSXSAVE: no XSAVE in CPUID */
	".quad 1 << 22\n"			/* PKE */
	".quad 1 << 12\n"			/* LA57 */
	".quad 1 << 23\n"			/* CET */
	".quad 1 << 16\n"			/* FSGSBASE: leaf 7 removed */
	".quad 1 << 20\n"			/* SMEP */
	".quad 1 << 11\n"			/* UMIP */
	".quad 1 << 17\n"			/* PCIDE: leaf 1 without PCID */
	".quad 0\n");

GUEST_CODE(gp_skip, ".code64",
	"mov $13, %eax\n"
	"mov $0x1001, %dx\n"
	"out %eax, (%dx)\n"
	"add $8, %rsp\n"			/* the error code */
	"addq $3, (%rsp)\n"
	"iretq\n");

/* INVD and WBINVD with prefixes: stepped over whole (once: 2 bytes). */
GUEST_CODE(invd_prefixed, ".code64",
	".byte 0x2e, 0x0f, 0x08\n"		/* cs invd */
	"mov $0x1234, %eax\n"
	G_REPORT
	".byte 0x3e, 0x66, 0x0f, 0x08\n"	/* ds, opsize invd */
	"mov $0x5678, %eax\n"
	G_REPORT
	".byte 0xf3, 0x0f, 0x09\n"		/* rep wbinvd */
	"mov $0x9abc, %eax\n"
	G_REPORT
	"hlt\n");

/* add %al, (%rbx) on a read-only slot holding 0x5a, at 2 GiB. */
GUEST_CODE(rmw_rom, ".code64",
	"mov $0x80000000, %ebx\n"
	"mov $1, %al\n"
	"add %al, (%rbx)\n"
	"mov (%rbx), %al\n"
	"movzbl %al, %eax\n"
	G_REPORT
	"hlt\n");

/* A read through page tables outside RAM (PML4[1] -> 1 GiB). */
GUEST_CODE(walk_read, ".code64",
	"movabs $0x8000000123, %rax\n"
	"mov (%rax), %rbx\n"
	"hlt\n");

/* #PF handler: report the error code, then CR2; halt. */
GUEST_CODE(pf_report, ".code64",
	"pop %rax\n"
	"mov $0x1001, %dx\n"
	"out %eax, (%dx)\n"
	"mov %cr2, %rax\n"
	"out %eax, (%dx)\n"
	"shr $32, %rax\n"
	"out %eax, (%dx)\n"
	"hlt\n");

/*
 * Single-stepped: POPF sets TF, which traps after the instruction that
 * follows it (SDM Vol. 3B, 18.3.1.4): a NOP the CPU runs, then a CPUID
 * and an OUT that hv completes. Each raises #DB after it. The stack and
 * the code are touched before TF is set, so that no nested page fault
 * comes between a boundary and the instruction after it (Bochs records a
 * single step as pending at such an exit before the instruction ran).
 */
GUEST_CODE(stepped, ".code64",
	"pushf\n"
	"orl $0x100, (%rsp)\n"
	"popf\n"
	".globl stepped_nop\n"
	"stepped_nop: nop\n"
	".globl stepped_cpuid\n"
	"stepped_cpuid: xor %eax, %eax\n cpuid\n"
	".globl stepped_out\n"
	"stepped_out: mov $0x77, %eax\n"
	"mov $0x1000, %dx\n"
	"out %eax, (%dx)\n"
	".globl stepped_hlt\n"
	"stepped_hlt: hlt\n");

extern const unsigned char stepped_nop[], stepped_cpuid[], stepped_out[],
	stepped_hlt[];

/* #DB handler: report DR6 and the return RIP (low half) on port 0x1001. */
GUEST_CODE(db_report, ".code64",
	"push %rax\n"
	"push %rdx\n"
	"mov %db6, %rax\n"
	"mov $0x1001, %dx\n"
	"out %eax, (%dx)\n"
	"mov 16(%rsp), %rax\n"
	"out %eax, (%dx)\n"
	"pop %rdx\n"
	"pop %rax\n"
	"iretq\n");

FIXTURE(gf) {
	struct tvm vm;
	struct hv_message ev;
};

FIXTURE_SETUP(gf)
{
	ASSERT_EQ(0, tvm_create(&self->vm, 4 * MIB, 1));
}

FIXTURE_TEARDOWN(gf)
{
	tvm_destroy(&self->vm);
}

/* The next exit is the exception stubs' report of @vector. */
static void expect_exception(struct __test_metadata *_metadata, struct tvm *vm,
			     uint32_t vector)
{
	struct hv_message ev;

	ASSERT_EQ(0, tvm_next_exit(vm, &ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_IO, ev.reason);
	EXPECT_EQ(TEST_EXC_PORT, ev.port);
	EXPECT_EQ(vector, ev.data);
	ASSERT_EQ(0, tvm_complete(vm, &ev, 0));
}

static void real_mode_gp(struct __test_metadata *_metadata, struct tvm *vm,
			 const void *start, const void *end)
{
	struct hv_vm_info info;

	tvm_load(vm, REAL_CODE, start, end);
	ASSERT_EQ(0, tvm_set_mode(vm, 0, MODE_REAL, REAL_CODE));
	ASSERT_EQ(0, tvm_use_idt(vm, 0, MODE_REAL));
	expect_exception(_metadata, vm, 13);
	ASSERT_EQ(0, hv_vm_get(vm->h, vm->id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_RUNNING, info.state);
}

/* Once: "invalid guest state (entry failure 0x0, detail 0x7)" on VMX. */
TEST_F(gf, real_mode_unknown_msr_gp)
{
	real_mode_gp(_metadata, &self->vm, rm_rdmsr_start, rm_rdmsr_end);
}

TEST_F(gf, real_mode_rdpmc_gp)
{
	real_mode_gp(_metadata, &self->vm, rm_rdpmc_start, rm_rdpmc_end);
}

TEST_F(gf, cr4_bits_the_cpuid_hides_gp)
{
	/* Leaf 1 without PCID (ECX bit 17) and XSAVE; no leaf 7 at all. */
	static const uint32_t cpuid[][7] = {
		{ 0x0, 0, 0, 0x1, 0, 0, 0 },
		{ 0x1, 0, 0, 0x306c3, 0, 0x80000001, 0x078ba97f },
	};
	struct hv_regs r;
	uint64_t cr4, v;
	unsigned int i;

	tvm_load(&self->vm, CODE_GPA, cr4_bits_start, cr4_bits_end);
	tvm_load(&self->vm, HANDLER_GPA, gp_skip_start, gp_skip_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	tvm_set_gate(&self->vm, MODE_LONG64, 13, HANDLER_GPA);
	ASSERT_EQ(0, hv_vm_set_cpuid(self->vm.h, self->vm.id, cpuid, 2));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	cr4 = r.cr4;

	for (i = 0; i < 8; i++) {
		expect_exception(_metadata, &self->vm, 13);
		ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
		EXPECT_EQ(cr4, v);
	}
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(cr4 ^ 0x80, v);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));

	/* Whatever get returns, set accepts; a hidden bit is refused. */
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(cr4 ^ 0x80, r.cr4);
	EXPECT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	r.cr4 |= 1 << 16;
	EXPECT_EQ(-EINVAL, hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_STREQ("cr4 has bits set the VM's CPUID does not offer",
		     hv_errmsg(self->vm.h));
}

TEST_F(gf, prefixed_invd_resumes_after_it)
{
	uint64_t v;

	tvm_load(&self->vm, CODE_GPA, invd_prefixed_start, invd_prefixed_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x1234, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x5678, v);
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x9abc, v);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

/* Once: the owner was asked for the value, and its answer was added to. */
TEST_F(gf, rmw_of_a_readonly_slot_reads_ram)
{
	uint8_t *rom = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint64_t v;

	ASSERT_NE(MAP_FAILED, rom);
	memset(rom, 0x5a, 4096);
	ASSERT_EQ(0, hv_mem_map(self->vm.h, self->vm.id, 0x80000000, 4096, rom,
				HV_MEM_FLAGS_READONLY, NULL));
	tvm_load(&self->vm, CODE_GPA, rmw_rom_start, rmw_rom_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));

	/* The only exit of the ADD is its write, of 0x5a + 1. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MMIO, self->ev.reason);
	EXPECT_EQ(HV_DIR_WRITE, self->ev.dir);
	EXPECT_EQ(0x80000000, self->ev.gpa);
	EXPECT_EQ(1, self->ev.size);
	EXPECT_EQ(0x5b, self->ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	/* The ROM kept its byte; the plain read needs no exit either. */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x5a, v);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
	EXPECT_EQ(0x5a, rom[0]);
	munmap(rom, 4096);
}

/* Once: an mmio read at the page-table address, loaded into RBX. */
TEST_F(gf, walk_into_unbacked_page_tables_faults)
{
	uint64_t pml4e = 0x40000000 | 3, lo, hi;

	tvm_load(&self->vm, CODE_GPA, walk_read_start, walk_read_end);
	tvm_load(&self->vm, HANDLER_GPA, pf_report_start, pf_report_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	tvm_set_gate(&self->vm, MODE_LONG64, 14, HANDLER_GPA);
	memcpy(self->vm.mem + PML4_GPA + 8, &pml4e, 8);

	/* P and RSVD: the entry read as all ones; a read, at CPL 0. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_IO, self->ev.reason);
	EXPECT_EQ(TEST_EXC_PORT, self->ev.port);
	EXPECT_EQ(0x9, self->ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	lo = self->ev.data;
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->ev, 10000));
	hi = self->ev.data;
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->ev, 0));
	EXPECT_EQ(0x8000000123ULL, hi << 32 | lo);
	ASSERT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

static void expect_step(struct __test_metadata *_metadata, struct tvm *vm,
			const unsigned char *after)
{
	struct hv_message ev;

	ASSERT_EQ(0, tvm_next_exit(vm, &ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, ev.port);
	EXPECT_EQ(0xffff4ff0, ev.data);		/* DR6.BS, B0-B3 clear */
	ASSERT_EQ(0, tvm_complete(vm, &ev, 0));
	ASSERT_EQ(0, tvm_next_exit(vm, &ev, 10000));
	EXPECT_EQ(TEST_EXC_PORT, ev.port);
	EXPECT_EQ(CODE_GPA + (after - stepped_start), ev.data);
	ASSERT_EQ(0, tvm_complete(vm, &ev, 0));
}

TEST_F(gf, single_step_traps_after_emulated_instructions)
{
	uint64_t v;

	tvm_load(&self->vm, CODE_GPA, stepped_start, stepped_end);
	tvm_load(&self->vm, HANDLER_GPA, db_report_start, db_report_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_use_idt(&self->vm, 0, MODE_LONG64));
	tvm_set_gate(&self->vm, MODE_LONG64, 1, HANDLER_GPA);

	expect_step(_metadata, &self->vm, stepped_cpuid);	/* nop */
	expect_step(_metadata, &self->vm,
		    stepped_cpuid + 2);				/* xor */
	expect_step(_metadata, &self->vm, stepped_out);		/* cpuid */
	expect_step(_metadata, &self->vm, stepped_out + 5);	/* mov */
	expect_step(_metadata, &self->vm, stepped_out + 9);	/* mov */
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x77, v);
	expect_step(_metadata, &self->vm, stepped_hlt);		/* out */
}

HV_TEST_HARNESS_MAIN
