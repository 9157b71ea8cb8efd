// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty and accessed logging. A guest writes a pseudo-random set of pages
 * chosen by the test and reads another, in two logged slots at 1 GiB: one
 * of 4 KiB pages, one backed by 2 MiB huge pages. After every round the
 * dirty log of each slot equals the written set exactly and the accessed
 * log the union of both sets, round after round, pages written again in
 * the next round included (so clearing re-arms the tracking). Each case
 * runs with the hardware's method where the CPU has one (the
 * page-modification log, EPT A/D, NPT), with the A/D bits scanned even
 * where the CPU logs (the dirty_pml parameter off), and with their
 * emulation (the dirty_emulate parameter), so every path the CPU allows
 * runs on one machine. Also: a round that writes every page, more than
 * the page-modification log holds; peek does not clear, only the owner
 * clears, hv's own writes (mem-write) are logged, and bad requests are
 * refused with a reason.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define TABLE_GPA	0x20000ULL	/* the guest's list of accesses */
#define TABLE_MAX	(PAGES + 1)
#define SLOT_A_GPA	0x40000000ULL	/* 4 KiB pages */
#define SLOT_B_GPA	0x40400000ULL	/* 2 MiB huge pages */
#define SLOT_SIZE	(4ULL << 20)
#define SLOT_PAGES	(SLOT_SIZE >> 12)
#define PAGES		(2 * SLOT_PAGES)	/* both slots, A first */
#define WORDS		(PAGES / 64)
#define ROUNDS		8
#define ROUND_DONE	0x600d
#define PARAM		"/sys/module/hv/parameters/dirty_emulate"
#define PARAM_PML	"/sys/module/hv/parameters/dirty_pml"
#define HUGEPAGES	"/proc/sys/vm/nr_hugepages"

/*
 * Walk the table at TABLE_GPA: each entry is a page address with bit 0
 * set for a write, clear for a read; 0 ends it. Then report and start
 * over, so the test rewrites the table while the report waits.
 */
GUEST_CODE(dirty_guest, ".code64",
	"1: mov $0x20000, %rsi\n"
	"2: mov (%rsi), %rax\n"
	"test %rax, %rax\n"
	"jz 3f\n"
	"add $8, %rsi\n"
	"btr $0, %rax\n"
	"jc 4f\n"
	"mov (%rax), %cl\n"
	"jmp 2b\n"
	"4: movb $1, (%rax)\n"
	"jmp 2b\n"
	"3: mov $0x600d, %eax\n"
	G_REPORT
	"jmp 1b\n");

static uint64_t page_gpa(unsigned int page)
{
	return page < SLOT_PAGES ? SLOT_A_GPA + ((uint64_t)page << 12) :
	       SLOT_B_GPA + ((uint64_t)(page - SLOT_PAGES) << 12);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void set_page(uint64_t *bits, unsigned int page)
{
	bits[page / 64] |= 1ULL << (page % 64);
}

FIXTURE(dirty) {
	struct tvm vm;
	uint8_t *a, *b;
	uint32_t slot_a, slot_b;
	const char *method;
	struct hv_message pending;
	int has_pending;
};

FIXTURE_VARIANT(dirty) {
	int emulate;
	int no_pml;
};

FIXTURE_VARIANT_ADD(dirty, hardware) {
	.emulate = 0,
};

FIXTURE_VARIANT_ADD(dirty, scanned) {
	.no_pml = 1,
};

FIXTURE_VARIANT_ADD(dirty, emulated) {
	.emulate = 1,
};

FIXTURE_SETUP(dirty)
{
	struct hv_info info;

	self->a = MAP_FAILED;
	self->b = MAP_FAILED;
	/* Read when the VM is created: this VM keeps its method. */
	ASSERT_EQ(0, write_text(PARAM, variant->emulate ? "1" : "0"));
	ASSERT_EQ(0, write_text(PARAM_PML, variant->no_pml ? "0" : "1"));
	ASSERT_EQ(0, write_text(HUGEPAGES, "4"));
	self->has_pending = 0;
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 1));
	ASSERT_EQ(0, hv_get_info(self->vm.h, &info));
	if (variant->emulate)
		self->method = "emulated";
	else if (info.backend == HV_BACKEND_SVM)
		self->method = "npt-ad";
	else if ((info.caps & HV_CAP_EPT_AD) && (info.caps & HV_CAP_PML) &&
		 !variant->no_pml)
		self->method = "pml";
	else if (info.caps & HV_CAP_EPT_AD)
		self->method = "ept-ad";
	else
		self->method = "emulated";
	EXPECT_STREQ(self->method, info.dirty_method);

	tvm_load(&self->vm, CODE_GPA, dirty_guest_start, dirty_guest_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	self->a = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->a);
	self->b = mmap(NULL, SLOT_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	ASSERT_NE(MAP_FAILED, self->b) TH_LOG("no 2 MiB huge pages: %s",
					      strerror(errno));
	/* A logs from the start; B is switched on afterwards. */
	ASSERT_EQ(0, hv_mem_map(self->vm.h, self->vm.id, SLOT_A_GPA,
				SLOT_SIZE, self->a, HV_MEM_FLAGS_DIRTY_LOG,
				&self->slot_a));
	ASSERT_EQ(0, hv_mem_map(self->vm.h, self->vm.id, SLOT_B_GPA,
				SLOT_SIZE, self->b, 0, &self->slot_b));
	ASSERT_EQ(0, hv_mem_set_flags(self->vm.h, self->vm.id, self->slot_b,
				      HV_MEM_FLAGS_DIRTY_LOG));
}

FIXTURE_TEARDOWN(dirty)
{
	tvm_destroy(&self->vm);
	if (self->a != MAP_FAILED)
		munmap(self->a, SLOT_SIZE);
	if (self->b != MAP_FAILED)
		munmap(self->b, SLOT_SIZE);
	write_text(PARAM, "0");
	write_text(PARAM_PML, "1");
}

/* Let the guest run through the table and wait for its report. */
static int run_round(struct __test_metadata *_metadata,
		     FIXTURE_DATA(dirty) *self, const uint64_t *table, int n)
{
	struct hv_message ev;
	int err;

	memcpy(self->vm.mem + TABLE_GPA, table, n * sizeof(*table));
	memset(self->vm.mem + TABLE_GPA + n * sizeof(*table), 0, 8);
	if (self->has_pending) {
		err = tvm_complete(&self->vm, &self->pending, 0);
		if (err)
			return err;
	}
	err = tvm_next_exit(&self->vm, &ev, 60000);
	if (err)
		return err;
	EXPECT_EQ(HV_EXIT_REASON_IO, ev.reason);
	EXPECT_EQ(TEST_PORT, ev.port);
	EXPECT_EQ(ROUND_DONE, ev.data);
	if (ev.reason != HV_EXIT_REASON_IO || ev.data != ROUND_DONE)
		return -EPROTO;
	self->pending = ev;
	self->has_pending = 1;
	return 0;
}

/* Both slots' log of one kind, as one bitmap of PAGES bits. */
static int get_log(struct __test_metadata *_metadata,
		   FIXTURE_DATA(dirty) *self, struct hv *h, unsigned int how,
		   uint64_t *bits, uint64_t *count)
{
	uint32_t slots[2] = { self->slot_a, self->slot_b };
	struct hv_log log;
	int i, err;

	*count = 0;
	for (i = 0; i < 2; i++) {
		err = hv_mem_log(h, self->vm.id, slots[i], SLOT_PAGES, how,
				 &log);
		if (err)
			return err;
		EXPECT_EQ(SLOT_PAGES, log.npages);
		EXPECT_STREQ(self->method, log.method);
		memcpy(bits + i * (SLOT_PAGES / 64), log.bitmap,
		       SLOT_PAGES / 8);
		*count += log.count;
		free(log.bitmap);
	}
	return 0;
}

static void expect_bits(struct __test_metadata *_metadata, const char *what,
			int round, const uint64_t *want, const uint64_t *got)
{
	int w;

	for (w = 0; w < WORDS; w++) {
		EXPECT_EQ(want[w], got[w])
			TH_LOG("round %d, %s pages %d-%d: want %#llx got %#llx",
			       round, what, w * 64, w * 64 + 63,
			       (unsigned long long)want[w],
			       (unsigned long long)got[w]);
	}
}

static unsigned int popcount(const uint64_t *bits)
{
	unsigned int n = 0;
	int w;

	for (w = 0; w < WORDS; w++)
		n += __builtin_popcountll(bits[w]);
	return n;
}

TEST_F(dirty, logs_equal_the_written_and_accessed_sets)
{
	uint64_t want_d[WORDS], want_a[WORDS], got[WORDS], count;
	uint64_t table[TABLE_MAX], seed = 0x9e3779b97f4a7c15ULL;
	unsigned int again[4] = { 0 }, nr_again = 0;
	int round, n, i;

	for (round = 0; round < ROUNDS; round++) {
		/* Round 3 accesses nothing: the logs must come back empty. */
		int writes = round == 3 ? 0 : 24 + round * 4;
		int reads = round == 3 ? 0 : 16 + round * 2;

		memset(want_d, 0, sizeof(want_d));
		memset(want_a, 0, sizeof(want_a));
		n = 0;
		/* The previous round's first writes again: re-armed? */
		for (i = 0; i < (int)nr_again && writes; i++) {
			table[n++] = page_gpa(again[i]) | 1;
			set_page(want_d, again[i]);
			set_page(want_a, again[i]);
		}
		nr_again = 0;
		for (i = 0; i < writes; i++) {
			unsigned int p = xorshift(&seed) % PAGES;

			table[n++] = page_gpa(p) | 1;
			set_page(want_d, p);
			set_page(want_a, p);
			if (nr_again < 4)
				again[nr_again++] = p;
		}
		for (i = 0; i < reads; i++) {
			unsigned int p = xorshift(&seed) % PAGES;

			table[n++] = page_gpa(p);
			set_page(want_a, p);
		}
		ASSERT_EQ(0, run_round(_metadata, self, table, n));

		ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, 0, got,
				     &count));
		expect_bits(_metadata, "dirty", round, want_d, got);
		EXPECT_EQ(popcount(want_d), count);
		ASSERT_EQ(0, get_log(_metadata, self, self->vm.h,
				     HV_LOG_ACCESSED, got, &count));
		expect_bits(_metadata, "accessed", round, want_a, got);
		EXPECT_EQ(popcount(want_a), count);
	}
}

/*
 * Every page written, twice: the first round faults each one in, the
 * second writes 2048 mapped pages without another exit, four times what
 * the page-modification log holds, so where the CPU keeps one it fills
 * and the vCPU exits to have it emptied.
 */
TEST_F(dirty, a_round_that_writes_every_page)
{
	uint64_t table[TABLE_MAX], want[WORDS], got[WORDS], count;
	struct hv_stats st;
	int round, p;

	for (p = 0; p < PAGES; p++)
		table[p] = page_gpa(p) | 1;
	memset(want, 0xff, sizeof(want));
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(0, run_round(_metadata, self, table, PAGES));
		ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, 0, got,
				     &count));
		expect_bits(_metadata, "dirty", round, want, got);
		EXPECT_EQ(PAGES, count);
	}
	ASSERT_EQ(0, hv_get_stats(self->vm.h, self->vm.id, &st));
	if (!strcmp(self->method, "pml")) {
		EXPECT_LE(3, st.pml_full);
	} else {
		EXPECT_EQ(0, st.pml_full);
	}
}

/*
 * A get-and-clear of pages 0-9 reports and clears those only: pages 20
 * (the guest's write) and 25 (hv's own) in the same 64-page word keep
 * their state, and the reply holds no bit beyond page 9. Once, the whole
 * word was cleared and returned.
 */
TEST_F(dirty, a_partial_range_leaves_the_rest)
{
	uint64_t table[3], got[WORDS], want[WORDS], count;
	struct hv_log log;
	uint8_t byte = 0x5a;

	table[0] = page_gpa(3) | 1;
	table[1] = page_gpa(20) | 1;
	ASSERT_EQ(0, run_round(_metadata, self, table, 2));
	ASSERT_EQ(0, hv_mem_write(self->vm.h, self->vm.id, page_gpa(25), &byte,
				  1));
	ASSERT_EQ(0, hv_mem_log(self->vm.h, self->vm.id, self->slot_a, 10, 0,
				&log));
	EXPECT_EQ(10, log.npages);
	EXPECT_EQ(1, log.count);
	EXPECT_EQ(1ULL << 3, log.bitmap[0]);
	free(log.bitmap);

	ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, 0, got, &count));
	memset(want, 0, sizeof(want));
	set_page(want, 20);
	set_page(want, 25);
	expect_bits(_metadata, "dirty", 0, want, got);
	EXPECT_EQ(2, count);
}

TEST_F(dirty, peek_owner_hv_writes_and_refusals)
{
	uint64_t table[3], got[WORDS], want[WORDS], count;
	struct nl_msg *msg;
	struct hv_log log;
	struct hv *other;
	uint8_t byte = 0x5a;

	table[0] = page_gpa(3) | 1;
	table[1] = page_gpa(SLOT_PAGES + 6) | 1;
	ASSERT_EQ(0, run_round(_metadata, self, table, 2));
	memset(want, 0, sizeof(want));
	set_page(want, 3);
	set_page(want, SLOT_PAGES + 6);

	/* Peeking twice sees the same; another socket may peek. */
	ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, HV_LOG_PEEK, got,
			     &count));
	expect_bits(_metadata, "peek", 0, want, got);
	ASSERT_EQ(0, hv_open(&other));
	ASSERT_EQ(0, get_log(_metadata, self, other, HV_LOG_PEEK, got,
			     &count));
	expect_bits(_metadata, "peek by another socket", 0, want, got);
	EXPECT_EQ(2, count);
	/* Clearing is the owner's. */
	EXPECT_EQ(-EPERM, hv_mem_log(other, self->vm.id, self->slot_a,
				     SLOT_PAGES, 0, &log));
	hv_close(other);
	ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, 0, got, &count));
	expect_bits(_metadata, "clear", 0, want, got);
	ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, HV_LOG_PEEK, got,
			     &count));
	EXPECT_EQ(0, count);

	/* hv's own writes into guest memory are logged too. */
	ASSERT_EQ(0, hv_mem_write(self->vm.h, self->vm.id, page_gpa(77) + 9,
				  &byte, 1));
	ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, 0, got, &count));
	memset(want, 0, sizeof(want));
	set_page(want, 77);
	expect_bits(_metadata, "mem-write", 0, want, got);
	EXPECT_EQ(0x5a, self->a[77 * 4096 + 9]);

	/* Slot 0 does not log: dirty pages are refused, accessed are not. */
	EXPECT_EQ(-EINVAL, hv_mem_log(self->vm.h, self->vm.id, self->vm.slot,
				      256, 0, &log));
	EXPECT_STREQ("the slot does not log dirty pages (mem-set dirty-log)",
		     hv_errmsg(self->vm.h));
	ASSERT_EQ(0, hv_mem_log(self->vm.h, self->vm.id, self->vm.slot, 256,
				HV_LOG_ACCESSED, &log));
	/* The code page, the table and the page tables were read. */
	EXPECT_NE(0, log.bitmap[0]);
	free(log.bitmap);

	/* A range that does not start on a word, or runs past the slot. */
	msg = hv_msg_new(self->vm.h, HV_CMD_MEM_LOG, 0);
	ASSERT_NE(NULL, msg);
	nla_put_u32(msg, HV_A_MEM_VM_ID, self->vm.id);
	nla_put_u32(msg, HV_A_MEM_SLOT, self->slot_a);
	nla_put_u64(msg, HV_A_MEM_FIRST, 63);
	EXPECT_EQ(-EINVAL, hv_transact(self->vm.h, msg, NULL, NULL));
	EXPECT_STREQ("first must be a multiple of 64 pages",
		     hv_errmsg(self->vm.h));
	msg = hv_msg_new(self->vm.h, HV_CMD_MEM_LOG, 0);
	ASSERT_NE(NULL, msg);
	nla_put_u32(msg, HV_A_MEM_VM_ID, self->vm.id);
	nla_put_u32(msg, HV_A_MEM_SLOT, self->slot_a);
	nla_put_u64(msg, HV_A_MEM_FIRST, 64);
	nla_put_u32(msg, HV_A_MEM_NPAGES, SLOT_PAGES);
	EXPECT_EQ(-EINVAL, hv_transact(self->vm.h, msg, NULL, NULL));
	EXPECT_STREQ("the range goes beyond the slot's last page",
		     hv_errmsg(self->vm.h));
	EXPECT_EQ(-ENOENT, hv_mem_log(self->vm.h, self->vm.id, 99, 64, 0,
				      &log));

	/* readonly cannot change; logging off refuses dirty pages. */
	EXPECT_EQ(-EINVAL, hv_mem_set_flags(self->vm.h, self->vm.id,
					    self->slot_a,
					    HV_MEM_FLAGS_READONLY |
					    HV_MEM_FLAGS_DIRTY_LOG));
	EXPECT_STREQ("readonly cannot change on a mapped slot",
		     hv_errmsg(self->vm.h));
	ASSERT_EQ(0, hv_mem_set_flags(self->vm.h, self->vm.id, self->slot_a,
				      0));
	EXPECT_EQ(-EINVAL, hv_mem_log(self->vm.h, self->vm.id, self->slot_a,
				      SLOT_PAGES, 0, &log));

	/*
	 * Logging on again starts empty, though the guest keeps writing
	 * page 3 of A meanwhile; then it is logged again.
	 */
	table[0] = page_gpa(3) | 1;
	ASSERT_EQ(0, run_round(_metadata, self, table, 1));
	ASSERT_EQ(0, hv_mem_set_flags(self->vm.h, self->vm.id, self->slot_a,
				      HV_MEM_FLAGS_DIRTY_LOG));
	ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, 0, got, &count));
	EXPECT_EQ(0, count);
	ASSERT_EQ(0, run_round(_metadata, self, table, 1));
	ASSERT_EQ(0, get_log(_metadata, self, self->vm.h, 0, got, &count));
	memset(want, 0, sizeof(want));
	set_page(want, 3);
	expect_bits(_metadata, "after logging on again", 0, want, got);
}

HV_TEST_HARNESS_MAIN
