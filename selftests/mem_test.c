// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory through the family: reads and writes at slot edges and
 * across adjacent slots are exact and are the owner's memfd pages (zero
 * copy); ranges not entirely covered fail with EFAULT and change nothing;
 * large transfers split into chunks; slots list exactly; after unmap the
 * range is gone for the family and the guest (whose access becomes MMIO).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB (1 << 20)

GUEST_CODE(read_second_slot, ".code64",
	"mov $0x180000, %ebx\n"
	"mov (%rbx), %eax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(read_twice, ".code64",
	"mov $0x180000, %ebx\n"
	"mov (%rbx), %eax\n"
	G_REPORT
	"mov (%rbx), %eax\n"
	G_REPORT
	"hlt\n");

FIXTURE(mem) {
	struct tvm vm;		/* slot 0: [0, 1 MiB) */
	uint8_t *second;	/* slot 1: [1 MiB, 2 MiB), another memfd */
	int fd;
	uint32_t slot2;
};

FIXTURE_SETUP(mem)
{
	ASSERT_EQ(0, tvm_create(&self->vm, MIB, 1));
	self->fd = memfd_create("second", MFD_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ftruncate(self->fd, MIB));
	self->second = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_SHARED,
			    self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->second);
	ASSERT_EQ(0, hv_mem_map(self->vm.h, self->vm.id, MIB, MIB,
				self->second, 0, &self->slot2));
}

FIXTURE_TEARDOWN(mem)
{
	tvm_destroy(&self->vm);
	munmap(self->second, MIB);
	close(self->fd);
}

TEST_F(mem, slots_list_exactly)
{
	struct hv_slot_info *s;
	size_t n;

	ASSERT_EQ(0, hv_mem_list(self->vm.h, self->vm.id, &s, &n));
	ASSERT_EQ(2, n);
	EXPECT_EQ(0, s[0].gpa);
	EXPECT_EQ(MIB, s[0].size);
	EXPECT_EQ((uintptr_t)self->vm.mem, s[0].uaddr);
	EXPECT_EQ(MIB, s[1].gpa);
	EXPECT_EQ(MIB, s[1].size);
	EXPECT_EQ((uintptr_t)self->second, s[1].uaddr);
	EXPECT_EQ(self->slot2, s[1].slot);
	free(s);
}

TEST_F(mem, edges_and_across_slots_are_exact_and_zero_copy)
{
	uint8_t buf[16], want[16];
	int i;

	for (i = 0; i < 16; i++)
		want[i] = 0xa0 + i;
	/* 8 bytes at the end of slot 0 and 8 at the start of slot 1. */
	ASSERT_EQ(0, hv_mem_write(self->vm.h, self->vm.id, MIB - 8, want, 16));
	EXPECT_EQ(0, memcmp(self->vm.mem + MIB - 8, want, 8));
	EXPECT_EQ(0, memcmp(self->second, want + 8, 8));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(0, hv_mem_read(self->vm.h, self->vm.id, MIB - 8, buf, 16));
	EXPECT_EQ(0, memcmp(buf, want, 16));

	/* First and last byte of the whole space, written by us, read by hv. */
	self->vm.mem[0] = 0x11;
	self->second[MIB - 1] = 0x22;
	ASSERT_EQ(0, hv_mem_read(self->vm.h, self->vm.id, 0, buf, 1));
	EXPECT_EQ(0x11, buf[0]);
	ASSERT_EQ(0, hv_mem_read(self->vm.h, self->vm.id, 2 * MIB - 1, buf, 1));
	EXPECT_EQ(0x22, buf[0]);
}

TEST_F(mem, large_transfers_span_chunks)
{
	size_t len = 100 * 1024 + 7;
	uint8_t *in = malloc(len), *out = malloc(len);
	size_t i;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	for (i = 0; i < len; i++)
		in[i] = i * 31 + 7;
	ASSERT_EQ(0, hv_mem_write(self->vm.h, self->vm.id, MIB - 50000, in, len));
	ASSERT_EQ(0, hv_mem_read(self->vm.h, self->vm.id, MIB - 50000, out, len));
	EXPECT_EQ(0, memcmp(in, out, len));
	free(in);
	free(out);
}

TEST_F(mem, ranges_beyond_the_slots_fail_and_change_nothing)
{
	uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	memset(self->second + MIB - 4, 0x5a, 4);
	EXPECT_EQ(-EFAULT, hv_mem_write(self->vm.h, self->vm.id, 2 * MIB - 4,
					buf, 8));
	EXPECT_STREQ("the range is not entirely guest memory (no slot covers part of it)",
		     hv_errmsg(self->vm.h));
	EXPECT_EQ(0x5a5a5a5a, *(uint32_t *)(self->second + MIB - 4));
	EXPECT_EQ(-EFAULT, hv_mem_read(self->vm.h, self->vm.id, 2 * MIB - 4,
				       buf, 8));
	EXPECT_EQ(-EFAULT, hv_mem_read(self->vm.h, self->vm.id, 1ULL << 40,
				       buf, 1));
	/* The wrap-around of a 64-bit range is no way around the check. */
	EXPECT_EQ(-EFAULT, hv_mem_read(self->vm.h, self->vm.id, ~0ULL - 1,
				       buf, 8));
}

TEST_F(mem, unmapped_range_is_gone_for_the_family_and_the_guest)
{
	struct hv_message ev;
	uint8_t b;

	*(uint32_t *)(self->second + MIB / 2) = 0x600df00d;
	ASSERT_EQ(0, hv_mem_unmap(self->vm.h, self->vm.id, self->slot2));
	EXPECT_EQ(-EFAULT, hv_mem_read(self->vm.h, self->vm.id, MIB, &b, 1));
	EXPECT_EQ(-ENOENT, hv_mem_unmap(self->vm.h, self->vm.id, self->slot2));
	EXPECT_STREQ("no slot with this id in the VM", hv_errmsg(self->vm.h));

	tvm_load(&self->vm, CODE_GPA, read_second_slot_start,
		 read_second_slot_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MMIO, ev.reason);
	EXPECT_EQ(0x180000, ev.gpa);
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0x1234));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	EXPECT_EQ(0x1234, ev.data);
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0));
}

TEST_F(mem, unmap_zaps_mappings_the_guest_already_used)
{
	struct hv_message ev;
	uint64_t v;

	*(uint32_t *)(self->second + MIB / 2) = 0x600df00d;
	tvm_load(&self->vm, CODE_GPA, read_twice_start, read_twice_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	/* The first read went through a nested mapping of slot 1. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	EXPECT_EQ(TEST_PORT, ev.port);
	EXPECT_EQ(0x600df00d, ev.data);
	/* The vCPU waits for us; unmapping parks it, zaps and flushes. */
	ASSERT_EQ(0, hv_mem_unmap(self->vm.h, self->vm.id, self->slot2));
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0));
	/* The second read finds no mapping: MMIO. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	EXPECT_EQ(HV_EXIT_REASON_MMIO, ev.reason);
	EXPECT_EQ(0x180000, ev.gpa);
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0x77));
	ASSERT_EQ(0, tvm_expect_report(&self->vm, &v, 10000));
	EXPECT_EQ(0x77, v);
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

HV_TEST_HARNESS_MAIN
