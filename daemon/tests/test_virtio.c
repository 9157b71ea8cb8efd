// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the split virtqueue (daemon/dev/virtio.c) against the fake
 * guest memory: rings are built by hand in fake.mem, every malformed
 * chain must break the queue with its own log line and leave guest
 * memory alone afterwards, and the used ring and notification fields are
 * checked byte for byte.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dev/virtio.h"
#include "fake_services.h"

#define QSIZE 16
#define DESC 0x1000ull
#define AVAIL 0x2000ull
#define USED 0x3000ull
#define TABLE 0x8000ull /* an indirect table */
#define BUF 0x10000ull /* buffers */
#define RAM_END ((uint64_t)FAKE_MEM_SIZE)

static struct hvd_vq vq;
static struct hvd_vq_elem elem;

/* The fake services, with every guest-memory access counted. */
static struct hvd_services svc;
static unsigned int reads, writes, ptrs;
/* If set, mem_read overwrites what it just read (another vCPU's store). */
static bool clobber_after_read;
/* Descriptors expect_broken()'s failing pop read. */
static unsigned int broken_reads;

static int count_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	int ret = fake_svc.mem_read(ctx, gpa, buf, len);

	reads++;
	if (!ret && clobber_after_read)
		memset(fake.mem + gpa, 0xff, len);
	return ret;
}

static int count_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	writes++;
	return fake_svc.mem_write(ctx, gpa, buf, len);
}

static void *count_ptr(void *ctx, uint64_t gpa, size_t len)
{
	ptrs++;
	return fake_svc.mem_ptr(ctx, gpa, len);
}

static unsigned int mem_calls(void)
{
	return reads + writes + ptrs;
}

static void zero_calls(void)
{
	reads = 0;
	writes = 0;
	ptrs = 0;
}

static int setup(void **state)
{
	fake_reset();
	svc = fake_svc;
	svc.mem_read = count_read;
	svc.mem_write = count_write;
	svc.mem_ptr = count_ptr;
	zero_calls();
	clobber_after_read = false;
	hvd_vq_init(&vq, &svc, "requestq");
	return 0;
}

static void put16(uint64_t gpa, uint16_t v)
{
	v = htole16(v);
	memcpy(fake.mem + gpa, &v, sizeof(v));
}

static void put32(uint64_t gpa, uint32_t v)
{
	v = htole32(v);
	memcpy(fake.mem + gpa, &v, sizeof(v));
}

static void put64(uint64_t gpa, uint64_t v)
{
	v = htole64(v);
	memcpy(fake.mem + gpa, &v, sizeof(v));
}

static uint16_t get16(uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, fake.mem + gpa, sizeof(v));
	return le16toh(v);
}

static void set_desc(uint64_t table, unsigned int i, uint64_t addr,
		     uint32_t len, uint16_t flags, uint16_t next)
{
	uint64_t d = table + 16 * i;

	put64(d, addr);
	put32(d + 8, len);
	put16(d + 12, flags);
	put16(d + 14, next);
}

/* The driver's side of 2.7.13: the head into the ring, then idx + 1. */
static void make_avail(uint16_t head)
{
	uint16_t idx = get16(AVAIL + 2);

	put16(AVAIL + 4 + 2 * (idx % QSIZE), head);
	put16(AVAIL + 2, idx + 1);
}

static void enable(bool event_idx, bool indirect)
{
	assert_int_equal(hvd_vq_enable(&vq, QSIZE, DESC, AVAIL, USED, event_idx,
				       indirect),
			 0);
}

static void assert_seg(unsigned int i, uint64_t gpa, uint32_t len, bool write)
{
	assert_true(i < elem.nr);
	assert_int_equal(elem.seg[i].gpa, gpa);
	assert_int_equal(elem.seg[i].len, len);
	assert_int_equal(elem.seg[i].write, write);
}

/* A one-buffer chain at @head, popped. */
static void pop_one(uint16_t head)
{
	set_desc(DESC, head, BUF, 1, 0, 0);
	make_avail(head);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.head, head);
}

/* The last log line is the queue's name and @msg. */
static void assert_log(const char *msg)
{
	char line[256];

	snprintf(line, sizeof(line), "requestq: %s", msg);
	assert_string_equal(fake.last_log, line);
}

/*
 * The queue is malformed: pop fails with one log line, and from then on
 * nothing touches guest memory or logs again.
 */
static void expect_broken(const char *msg)
{
	uint16_t last = vq.last_avail;

	zero_calls();
	assert_int_equal(hvd_vq_pop(&vq, &elem), -EIO);
	broken_reads = reads;
	assert_true(vq.broken);
	assert_int_equal(vq.last_avail, last);
	assert_int_equal(fake.logs, 1);
	assert_log(msg);

	zero_calls();
	assert_int_equal(hvd_vq_pop(&vq, &elem), -EIO);
	assert_int_equal(hvd_vq_push(&vq, 0, 0), -EIO);
	assert_false(hvd_vq_avail(&vq));
	assert_false(hvd_vq_need_interrupt(&vq));
	hvd_vq_set_notify(&vq, true);
	assert_int_equal(mem_calls(), 0);
	assert_int_equal(fake.logs, 1);
}

/* ---- enable ------------------------------------------------------------ */

/* hvd_vq_enable() refuses @size and the rings with one log line, @msg. */
static void enable_fails(uint16_t size, uint64_t desc, uint64_t avail,
			 uint64_t used, const char *msg)
{
	unsigned int logs = fake.logs;

	assert_int_equal(hvd_vq_enable(&vq, size, desc, avail, used, 0, 0),
			 -EINVAL);
	assert_false(vq.enabled);
	assert_false(vq.broken);
	assert_int_equal(fake.logs, logs + 1);
	assert_log(msg);
}

static void test_enable(void **state)
{
	vq.last_avail = 7;
	vq.used_idx = 7;
	vq.broken = true;
	vq.signalled_valid = true;
	enable(true, true);
	assert_true(vq.enabled);
	assert_false(vq.broken);
	assert_int_equal(vq.size, QSIZE);
	assert_int_equal(vq.desc, DESC);
	assert_int_equal(vq.avail, AVAIL);
	assert_int_equal(vq.used, USED);
	assert_true(vq.event_idx);
	assert_true(vq.indirect);
	assert_int_equal(vq.last_avail, 0);
	assert_int_equal(vq.used_idx, 0);
	assert_false(vq.signalled_valid);
	/* Three ranges checked, nothing read or written. */
	assert_int_equal(ptrs, 3);
	assert_int_equal(reads, 0);
	assert_int_equal(writes, 0);
	assert_int_equal(fake.logs, 0);
}

static void test_enable_sizes(void **state)
{
	assert_int_equal(hvd_vq_enable(&vq, 1, DESC, AVAIL, USED, 0, 0), 0);
	assert_int_equal(hvd_vq_enable(&vq, HVD_VQ_MAX_SIZE, 0x100000, 0x110000,
				       0x120000, 0, 0),
			 0);
	assert_int_equal(fake.logs, 0);
}

static void test_enable_bad_size(void **state)
{
	enable_fails(0, DESC, AVAIL, USED,
		     "queue size 0 not a power of two up to 1024");
	enable_fails(12, DESC, AVAIL, USED,
		     "queue size 12 not a power of two up to 1024");
	enable_fails(2 * HVD_VQ_MAX_SIZE, DESC, AVAIL, USED,
		     "queue size 2048 not a power of two up to 1024");
	enable_fails(0xffff, DESC, AVAIL, USED,
		     "queue size 65535 not a power of two up to 1024");
	assert_int_equal(mem_calls(), 0);
}

static void test_enable_misaligned(void **state)
{
	enable_fails(QSIZE, DESC + 8, AVAIL, USED,
		     "descriptor table 0x1008 not 16-byte aligned");
	enable_fails(QSIZE, DESC, AVAIL + 1, USED,
		     "available ring 0x2001 not 2-byte aligned");
	enable_fails(QSIZE, DESC, AVAIL, USED + 2,
		     "used ring 0x3002 not 4-byte aligned");
	assert_int_equal(mem_calls(), 0);
}

static void test_enable_outside_ram(void **state)
{
	/* 16 * 16, 6 + 2 * 16 and 6 + 8 * 16 bytes end exactly at RAM's end. */
	assert_int_equal(hvd_vq_enable(&vq, QSIZE, RAM_END - 256, RAM_END - 38,
				       RAM_END - 136, 0, 0),
			 0);

	enable_fails(QSIZE, RAM_END - 240, AVAIL, USED,
		     "descriptor table 0x1fff10+0x100 outside RAM");
	/* used_event is part of the ring even without event_idx. */
	enable_fails(QSIZE, DESC, RAM_END - 36, USED,
		     "available ring 0x1fffdc+0x26 outside RAM");
	/* And avail_event of the used ring. */
	enable_fails(QSIZE, DESC, AVAIL, RAM_END - 132,
		     "used ring 0x1fff7c+0x86 outside RAM");
	/* An address whose end wraps around 2^64. */
	enable_fails(QSIZE, 0xfffffffffffffff0ull, AVAIL, USED,
		     "descriptor table 0xfffffffffffffff0+0x100 outside RAM");
	assert_int_equal(fake.logs, 4);
	assert_int_equal(writes, 0);
	assert_int_equal(reads, 0);
}

/* ---- pop --------------------------------------------------------------- */

static void test_pop_disabled(void **state)
{
	make_avail(0);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 0);
	assert_false(hvd_vq_avail(&vq));
	assert_int_equal(mem_calls(), 0);
}

static void test_pop_empty(void **state)
{
	enable(false, false);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 0);
	assert_int_equal(vq.last_avail, 0);
	assert_false(vq.broken);
	assert_int_equal(fake.logs, 0);
}

static void test_pop_direct(void **state)
{
	enable(false, false);
	set_desc(DESC, 3, BUF, 12, VIRTQ_DESC_F_NEXT, 7);
	set_desc(DESC, 7, BUF + 0x100, 100, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, BUF + 0x1000, 512,
		 VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	set_desc(DESC, 2, BUF + 0x2000, 1, VIRTQ_DESC_F_WRITE, 9);
	make_avail(3);

	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.head, 3);
	assert_int_equal(elem.nr, 4);
	assert_int_equal(elem.nr_out, 2);
	assert_int_equal(elem.out_len, 112);
	assert_int_equal(elem.in_len, 513);
	assert_seg(0, BUF, 12, false);
	assert_seg(1, BUF + 0x100, 100, false);
	assert_seg(2, BUF + 0x1000, 512, true);
	assert_seg(3, BUF + 0x2000, 1, true);
	assert_int_equal(vq.last_avail, 1);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 0);
	assert_int_equal(vq.last_avail, 1);
	/* The device took the chain; nothing went to the used ring yet. */
	assert_int_equal(writes, 0);
	assert_int_equal(fake.logs, 0);
}

static void test_pop_only_readable_or_writable(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, BUF, 8, 0, 0);
	set_desc(DESC, 1, BUF + 8, 8, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);
	make_avail(1);

	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.nr, 1);
	assert_int_equal(elem.nr_out, 1);
	assert_int_equal(elem.out_len, 8);
	assert_int_equal(elem.in_len, 0);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.nr, 1);
	assert_int_equal(elem.nr_out, 0);
	assert_int_equal(elem.out_len, 0);
	assert_int_equal(elem.in_len, 8);
	assert_seg(0, BUF + 8, 8, true);
}

static void test_pop_in_order(void **state)
{
	static const uint16_t heads[] = { 5, 0, 15, 9 };
	unsigned int i;

	enable(false, false);
	for (i = 0; i < 4; i++) {
		set_desc(DESC, heads[i], BUF + 0x100 * i, 10 + i, 0, 0);
		make_avail(heads[i]);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
		assert_int_equal(elem.head, heads[i]);
		assert_int_equal(elem.nr, 1);
		assert_seg(0, BUF + 0x100 * i, 10 + i, false);
		assert_int_equal(vq.last_avail, i + 1);
	}
	assert_int_equal(hvd_vq_pop(&vq, &elem), 0);
}

static void test_pop_longest_chain(void **state)
{
	unsigned int i;

	enable(false, false);
	/* Every descriptor of the table in one chain: 15, 14, ..., 0. */
	for (i = 0; i < QSIZE; i++)
		set_desc(DESC, i, BUF + i, 1, i ? VIRTQ_DESC_F_NEXT : 0, i - 1);
	make_avail(QSIZE - 1);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.nr, QSIZE);
	assert_int_equal(elem.out_len, QSIZE);
	assert_seg(0, BUF + QSIZE - 1, 1, false);
	assert_seg(QSIZE - 1, BUF, 1, false);
	assert_int_equal(fake.logs, 0);
}

static void test_pop_full_ring(void **state)
{
	unsigned int i;

	enable(false, false);
	for (i = 0; i < QSIZE; i++) {
		set_desc(DESC, i, BUF + i, 1, 0, 0);
		make_avail(QSIZE - 1 - i);
	}
	/* idx exactly size ahead: a full ring, not a fault. */
	assert_int_equal(get16(AVAIL + 2), QSIZE);
	for (i = 0; i < QSIZE; i++) {
		assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
		assert_int_equal(elem.head, QSIZE - 1 - i);
	}
	assert_int_equal(hvd_vq_pop(&vq, &elem), 0);
	assert_int_equal(fake.logs, 0);
}

static void test_pop_wraparound(void **state)
{
	static const uint16_t heads[] = { 4, 8, 12, 2 };
	unsigned int i;

	enable(false, false);
	/* The driver's idx and our indices at 65534: slots 14, 15, 0, 1. */
	vq.last_avail = 65534;
	vq.used_idx = 65534;
	put16(AVAIL + 2, 65534);
	for (i = 0; i < 4; i++) {
		set_desc(DESC, heads[i], BUF + 0x10 * i, 4, 0, 0);
		make_avail(heads[i]);
	}
	assert_int_equal(get16(AVAIL + 2), 2);
	assert_int_equal(get16(AVAIL + 4 + 2 * 14), 4);
	assert_int_equal(get16(AVAIL + 4 + 2 * 1), 2);
	for (i = 0; i < 4; i++) {
		assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
		assert_int_equal(elem.head, heads[i]);
		assert_seg(0, BUF + 0x10 * i, 4, false);
	}
	assert_int_equal(vq.last_avail, 2);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 0);

	for (i = 0; i < 4; i++)
		assert_int_equal(hvd_vq_push(&vq, heads[i], i), 0);
	assert_int_equal(vq.used_idx, 2);
	assert_int_equal(get16(USED + 2), 2);
	/* Entries 65534, 65535, 0, 1 in slots 14, 15, 0, 1. */
	assert_int_equal(get16(USED + 4 + 8 * 14), 4);
	assert_int_equal(get16(USED + 4 + 8 * 15), 8);
	assert_int_equal(get16(USED + 4 + 8 * 0), 12);
	assert_int_equal(get16(USED + 4 + 8 * 1), 2);
	assert_int_equal(get16(USED + 4 + 8 * 1 + 4), 3);
	assert_int_equal(fake.logs, 0);
}

static void test_pop_zero_length(void **state)
{
	enable(false, false);
	/* An empty buffer anywhere, even past RAM, names no memory. */
	set_desc(DESC, 0, 0xdead00000000ull, 0, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, BUF, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	set_desc(DESC, 2, RAM_END + 0x1000, 0, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);

	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.nr, 1);
	assert_int_equal(elem.nr_out, 0);
	assert_int_equal(elem.out_len, 0);
	assert_int_equal(elem.in_len, 4);
	assert_seg(0, BUF, 4, true);
	assert_int_equal(fake.logs, 0);
}

static void test_pop_indirect(void **state)
{
	enable(false, true);
	/* 2.7.5.3.2: WRITE on the descriptor of the table is ignored. */
	set_desc(DESC, 6, TABLE, 3 * 16,
		 VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_WRITE, 0);
	set_desc(TABLE, 0, BUF, 10, VIRTQ_DESC_F_NEXT, 2);
	set_desc(TABLE, 2, BUF + 0x100, 20,
		 VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 1);
	set_desc(TABLE, 1, BUF + 0x200, 30, VIRTQ_DESC_F_WRITE, 0);
	make_avail(6);

	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.head, 6);
	assert_int_equal(elem.nr, 3);
	assert_int_equal(elem.nr_out, 1);
	assert_int_equal(elem.out_len, 10);
	assert_int_equal(elem.in_len, 50);
	assert_seg(0, BUF, 10, false);
	assert_seg(1, BUF + 0x100, 20, true);
	assert_seg(2, BUF + 0x200, 30, true);
	assert_int_equal(vq.last_avail, 1);
	assert_int_equal(fake.logs, 0);
}

static void test_pop_direct_then_indirect(void **state)
{
	enable(false, true);
	/* 2.7.5.3.2: normal descriptors, then one indirect one. */
	set_desc(DESC, 4, BUF, 8, VIRTQ_DESC_F_NEXT, 6);
	set_desc(DESC, 6, TABLE, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF + 0x100, 16, VIRTQ_DESC_F_NEXT, 1);
	set_desc(TABLE, 1, BUF + 0x200, 4, VIRTQ_DESC_F_WRITE, 0);
	make_avail(4);

	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.head, 4);
	assert_int_equal(elem.nr, 3);
	assert_int_equal(elem.nr_out, 2);
	assert_int_equal(elem.out_len, 24);
	assert_int_equal(elem.in_len, 4);
	assert_seg(0, BUF, 8, false);
	assert_seg(1, BUF + 0x100, 16, false);
	assert_seg(2, BUF + 0x200, 4, true);
}

/* A table of @n one-byte readable buffers chained in order at TABLE. */
static void long_table(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		set_desc(TABLE, i, BUF + i, 1,
			 i + 1 < n ? VIRTQ_DESC_F_NEXT : 0, i + 1);
	set_desc(DESC, 0, TABLE, 16 * n, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
}

static void test_pop_max_segs(void **state)
{
	/* An indirect table may be longer than the queue, up to the limit. */
	enable(false, true);
	long_table(HVD_VQ_MAX_SEGS);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(elem.nr, HVD_VQ_MAX_SEGS);
	assert_int_equal(elem.nr_out, HVD_VQ_MAX_SEGS);
	assert_int_equal(elem.out_len, HVD_VQ_MAX_SEGS);
	assert_seg(HVD_VQ_MAX_SEGS - 1, BUF + HVD_VQ_MAX_SEGS - 1, 1, false);
}

static void test_pop_reads_once(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, BUF, 64, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, BUF + 0x100, 32, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);
	/*
	 * Each descriptor turns to junk (flags 0xffff, next 0xffff, a
	 * length and address past RAM) right after it is read: the chain
	 * must be what was read, checked as read.
	 */
	clobber_after_read = true;
	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_int_equal(reads, 2);
	assert_int_equal(elem.nr, 2);
	assert_int_equal(elem.nr_out, 1);
	assert_seg(0, BUF, 64, false);
	assert_seg(1, BUF + 0x100, 32, true);
	assert_int_equal(fake.logs, 0);
}

/* ---- malformed queues -------------------------------------------------- */

static void test_bad_avail_idx(void **state)
{
	enable(false, false);
	put16(AVAIL + 2, QSIZE + 1);
	expect_broken("avail idx 17 is 17 ahead of 0 (size 16)");
}

static void test_bad_avail_idx_backwards(void **state)
{
	enable(false, false);
	pop_one(0);
	pop_one(1);
	put16(AVAIL + 2, 1);
	expect_broken("avail idx 1 is 65535 ahead of 2 (size 16)");
}

static void test_bad_head(void **state)
{
	enable(false, false);
	make_avail(QSIZE);
	expect_broken("head 16 out of range (size 16)");
}

static void test_bad_next(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, BUF, 1, VIRTQ_DESC_F_NEXT, 5);
	set_desc(DESC, 5, BUF, 1, VIRTQ_DESC_F_NEXT, QSIZE);
	make_avail(0);
	expect_broken("desc 5: next 16 out of range (16 entries)");
}

static void test_bad_loop(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, BUF, 1, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, BUF, 1, VIRTQ_DESC_F_NEXT, 0);
	make_avail(0);
	expect_broken("chain longer than the queue size 16");
	/* Caught at the 17th step, before its read. */
	assert_int_equal(broken_reads, QSIZE);
}

static void test_bad_indirect_loop(void **state)
{
	enable(false, true);
	set_desc(DESC, 0, TABLE, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF, 1, VIRTQ_DESC_F_NEXT, 1);
	set_desc(TABLE, 1, BUF, 1, VIRTQ_DESC_F_NEXT, 0);
	make_avail(0);
	expect_broken("indirect chain longer than its 2 entries");
	assert_int_equal(broken_reads, 1 + 2);
}

static void test_bad_indirect_next(void **state)
{
	enable(false, true);
	set_desc(DESC, 0, TABLE, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF, 1, VIRTQ_DESC_F_NEXT, 2);
	make_avail(0);
	expect_broken("indirect desc 0: next 2 out of range (2 entries)");
}

static void test_bad_too_many_segs(void **state)
{
	enable(false, true);
	long_table(HVD_VQ_MAX_SEGS + 1);
	expect_broken("chain of more than 1024 buffers");
}

static void test_bad_indirect_not_negotiated(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, TABLE, 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF, 1, 0, 0);
	make_avail(0);
	expect_broken("desc 0: INDIRECT not negotiated");
}

static void test_bad_nested_indirect(void **state)
{
	enable(false, true);
	set_desc(DESC, 0, TABLE, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF, 1, VIRTQ_DESC_F_NEXT, 1);
	set_desc(TABLE, 1, TABLE + 0x100, 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE + 0x100, 0, BUF, 1, 0, 0);
	make_avail(0);
	expect_broken("indirect desc 1: INDIRECT in an indirect table");
}

static void test_bad_indirect_with_next(void **state)
{
	enable(false, true);
	set_desc(DESC, 0, TABLE, 16, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT,
		 1);
	set_desc(TABLE, 0, BUF, 1, 0, 0);
	set_desc(DESC, 1, BUF, 1, 0, 0);
	make_avail(0);
	expect_broken("desc 0: INDIRECT with NEXT");
}

static void test_bad_indirect_empty(void **state)
{
	enable(false, true);
	set_desc(DESC, 0, TABLE, 0, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(0);
	expect_broken("desc 0: empty indirect table");
}

static void test_bad_indirect_len(void **state)
{
	enable(false, true);
	set_desc(DESC, 3, BUF, 1, VIRTQ_DESC_F_NEXT, 2);
	set_desc(DESC, 2, TABLE, 24, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF, 1, 0, 0);
	make_avail(3);
	expect_broken("desc 2: indirect table length 24 % 16 != 0");
}

static void test_bad_indirect_outside_ram(void **state)
{
	enable(false, true);
	/* Its first entry is RAM's last 16 bytes; the second is past it. */
	set_desc(DESC, 0, RAM_END - 16, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(RAM_END - 16, 0, BUF, 1, 0, 0);
	make_avail(0);
	expect_broken("desc 0: indirect table 0x1ffff0+0x20 outside RAM");
}

static void test_bad_buffer_outside_ram(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, RAM_END - 1, 1, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, RAM_END - 1, 2, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);
	expect_broken("desc 1: buffer 0x1fffff+0x2 outside RAM");
}

static void test_bad_buffer_wraps(void **state)
{
	static const char msg[] =
		"indirect desc 1: buffer 0xffffffffffffff00+0x200 outside RAM";

	enable(false, true);
	set_desc(DESC, 0, TABLE, 2 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF, 1, VIRTQ_DESC_F_NEXT, 1);
	set_desc(TABLE, 1, 0xffffffffffffff00ull, 0x200, 0, 0);
	make_avail(0);
	expect_broken(msg);
}

static void test_bad_readable_overflow(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, 0, FAKE_MEM_SIZE, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, 0, 0xffffffff, 0, 0);
	make_avail(0);
	expect_broken("desc 1: readable bytes exceed 32 bits");
}

static void test_bad_writable_overflow(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, 0, 1, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, 0, FAKE_MEM_SIZE,
		 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	set_desc(DESC, 2, 0, 0xffffffff, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);
	expect_broken("desc 2: writable bytes exceed 32 bits");
}

static void test_bad_total_len(void **state)
{
	enable(false, false);
	/* Each direction fits 32 bits; together they pass 2^32 (2.7.5.2). */
	set_desc(DESC, 0, 0, FAKE_MEM_SIZE, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, 0, 0xffffffff, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);
	expect_broken("desc 1: chain of more than 2^32 bytes");
}

static void test_bad_order(void **state)
{
	enable(false, false);
	set_desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, BUF, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	set_desc(DESC, 2, BUF, 4, VIRTQ_DESC_F_NEXT, 3);
	set_desc(DESC, 3, BUF, 4, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);
	expect_broken("desc 2: device-readable after device-writable");
}

static void test_bad_order_indirect(void **state)
{
	enable(false, true);
	/* The rule spans the direct part and the table. */
	set_desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, TABLE, 16, VIRTQ_DESC_F_INDIRECT, 0);
	set_desc(TABLE, 0, BUF, 4, 0, 0);
	make_avail(0);
	expect_broken("indirect desc 0: device-readable after device-writable");
}

static void test_bad_after_good(void **state)
{
	enable(false, false);
	pop_one(2);
	make_avail(QSIZE + 3);
	make_avail(1);
	expect_broken("head 19 out of range (size 16)");
	assert_int_equal(vq.last_avail, 1);
}

/* ---- push -------------------------------------------------------------- */

static void test_push(void **state)
{
	static const uint8_t used[] = {
		0x00, 0x00, 0x02, 0x00, /* flags, idx */
		0x05, 0x00, 0x00, 0x00, 0x34, 0x12, 0x00,
		0x00, 0x03, 0x00, 0x00, 0x00, 0x07, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ring[2] */
	};

	enable(false, false);
	pop_one(3);
	pop_one(5);
	/* Out of order is fine. */
	assert_int_equal(hvd_vq_push(&vq, 5, 0x1234), 0);
	assert_int_equal(vq.used_idx, 1);
	assert_int_equal(get16(USED + 2), 1);
	assert_int_equal(hvd_vq_push(&vq, 3, 7), 0);
	assert_int_equal(vq.used_idx, 2);
	assert_memory_equal(fake.mem + USED, used, sizeof(used));
	assert_int_equal(fake.logs, 0);
}

static void test_push_errors(void **state)
{
	assert_int_equal(hvd_vq_push(&vq, 0, 0), -EINVAL);
	assert_log("push while disabled");
	enable(false, false);
	assert_int_equal(hvd_vq_push(&vq, 0, 0), -EINVAL);
	assert_log("push of head 0 with no chain outstanding");
	pop_one(0);
	assert_int_equal(hvd_vq_push(&vq, QSIZE, 0), -EINVAL);
	assert_log("push of head 16 out of range (size 16)");
	assert_int_equal(hvd_vq_push(&vq, 0, 0), 0);
	assert_int_equal(hvd_vq_push(&vq, 0, 0), -EINVAL);
	assert_int_equal(fake.logs, 4);
	assert_int_equal(vq.used_idx, 1);
	assert_int_equal(get16(USED + 2), 1);
	/* A device's bug is not the driver's: the queue works on. */
	assert_false(vq.broken);
}

/* ---- used buffer notifications ----------------------------------------- */

static void test_interrupt_flags(void **state)
{
	enable(false, false);
	pop_one(0);
	assert_int_equal(hvd_vq_push(&vq, 0, 0), 0);
	assert_true(hvd_vq_need_interrupt(&vq));
	put16(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_false(hvd_vq_need_interrupt(&vq));
	/* used_event means nothing without event_idx. */
	put16(AVAIL + 4 + 2 * QSIZE, 0);
	assert_false(hvd_vq_need_interrupt(&vq));
	put16(AVAIL, 0);
	assert_true(hvd_vq_need_interrupt(&vq));
}

static void push_n(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		pop_one(i % QSIZE);
		assert_int_equal(hvd_vq_push(&vq, i % QSIZE, 0), 0);
	}
}

static void test_interrupt_event_idx(void **state)
{
	enable(true, false);
	/* flags are ignored with event_idx (2.7.7.2). */
	put16(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT);
	put16(AVAIL + 4 + 2 * QSIZE, 5);
	push_n(1);
	/* The first check has nothing to compare with. */
	assert_true(hvd_vq_need_interrupt(&vq));
	assert_true(vq.signalled_valid);
	assert_int_equal(vq.signalled_used, 1);
	/* Nothing pushed since. */
	assert_false(hvd_vq_need_interrupt(&vq));
	/* Entries 1-3: used_event 5 not reached. */
	push_n(3);
	assert_false(hvd_vq_need_interrupt(&vq));
	assert_int_equal(vq.signalled_used, 4);
	/* Entries 4-6: entry 5 written. */
	push_n(3);
	assert_true(hvd_vq_need_interrupt(&vq));
	/* used_event already behind: no more until it is moved. */
	push_n(1);
	assert_false(hvd_vq_need_interrupt(&vq));
	/* Entry 8 is the next: its push interrupts. */
	put16(AVAIL + 4 + 2 * QSIZE, 8);
	push_n(1);
	assert_true(hvd_vq_need_interrupt(&vq));
}

static bool interrupt_wrap(uint16_t used_event)
{
	vq.signalled_used = 65534;
	put16(AVAIL + 4 + 2 * QSIZE, used_event);
	return hvd_vq_need_interrupt(&vq);
}

static void test_interrupt_event_idx_wrap(void **state)
{
	enable(true, false);
	vq.last_avail = 65534;
	vq.used_idx = 65534;
	put16(AVAIL + 2, 65534);
	assert_true(hvd_vq_need_interrupt(&vq));
	/* Entries 65534, 65535, 0 and 1 pushed: used->idx went to 2. */
	push_n(4);
	assert_int_equal(get16(USED + 2), 2);
	assert_true(interrupt_wrap(65534));
	assert_true(interrupt_wrap(65535));
	assert_true(interrupt_wrap(0));
	assert_true(interrupt_wrap(1));
	assert_false(interrupt_wrap(2));
	assert_false(interrupt_wrap(65533));
	assert_false(interrupt_wrap(32768));
}

static void test_interrupt_disabled(void **state)
{
	assert_false(hvd_vq_need_interrupt(&vq));
	assert_int_equal(mem_calls(), 0);
}

/* ---- available buffer notifications ------------------------------------ */

static void test_notify_flags(void **state)
{
	static const uint8_t off[] = { 0x01, 0x00 }, on[] = { 0x00, 0x00 };

	enable(false, false);
	hvd_vq_set_notify(&vq, false);
	assert_memory_equal(fake.mem + USED, off, 2);
	hvd_vq_set_notify(&vq, true);
	assert_memory_equal(fake.mem + USED, on, 2);
	hvd_vq_set_notify(&vq, false);
	assert_memory_equal(fake.mem + USED, off, 2);
	/* avail_event means nothing without event_idx. */
	assert_int_equal(get16(USED + 4 + 8 * QSIZE), 0);
	assert_int_equal(get16(USED + 2), 0);
}

static void test_notify_event_idx(void **state)
{
	static const uint8_t two[] = { 0x02, 0x00 }, ffff[] = { 0xff, 0xff };
	const uint64_t avail_event = USED + 4 + 8 * QSIZE;

	enable(true, false);
	pop_one(0);
	pop_one(1);
	put16(avail_event, 0xaaaa);
	hvd_vq_set_notify(&vq, true);
	assert_memory_equal(fake.mem + avail_event, two, 2);
	/* Off leaves the stale event, and flags stay 0 (2.7.10.2). */
	zero_calls();
	hvd_vq_set_notify(&vq, false);
	assert_memory_equal(fake.mem + avail_event, two, 2);
	assert_int_equal(get16(USED), 0);
	assert_int_equal(mem_calls(), 0);

	vq.last_avail = 65535;
	hvd_vq_set_notify(&vq, true);
	assert_memory_equal(fake.mem + avail_event, ffff, 2);
	assert_int_equal(get16(USED), 0);
}

static void test_avail(void **state)
{
	assert_false(hvd_vq_avail(&vq));
	enable(false, false);
	assert_false(hvd_vq_avail(&vq));
	set_desc(DESC, 0, BUF, 1, 0, 0);
	make_avail(0);
	assert_true(hvd_vq_avail(&vq));
	assert_true(hvd_vq_avail(&vq));
	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
	assert_false(hvd_vq_avail(&vq));
}

/* ---- reading and writing buffers --------------------------------------- */

/* Readable "abcd" at BUF, "efg" at BUF + 0x100; writable 2 + 5 bytes. */
static void rw_chain(void)
{
	enable(false, false);
	memcpy(fake.mem + BUF, "abcd", 4);
	memcpy(fake.mem + BUF + 0x100, "efg", 3);
	memset(fake.mem + BUF + 0x200, '.', 16);
	memset(fake.mem + BUF + 0x300, '.', 16);
	set_desc(DESC, 0, BUF, 4, VIRTQ_DESC_F_NEXT, 1);
	set_desc(DESC, 1, BUF + 0x100, 3, VIRTQ_DESC_F_NEXT, 2);
	set_desc(DESC, 2, BUF + 0x200, 2,
		 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 3);
	set_desc(DESC, 3, BUF + 0x300, 5, VIRTQ_DESC_F_WRITE, 0);
	make_avail(0);
	assert_int_equal(hvd_vq_pop(&vq, &elem), 1);
}

static void test_read(void **state)
{
	char buf[16];

	rw_chain();
	memset(buf, 0, sizeof(buf));
	/* Seven bytes, none of the writable buffers' dots. */
	assert_int_equal(hvd_vq_read(&vq, &elem, 0, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "abcdefg");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(hvd_vq_read(&vq, &elem, 2, buf, 3), 3);
	assert_string_equal(buf, "cde");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(hvd_vq_read(&vq, &elem, 4, buf, 2), 2);
	assert_string_equal(buf, "ef");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(hvd_vq_read(&vq, &elem, 6, buf, 10), 1);
	assert_string_equal(buf, "g");
	assert_int_equal(hvd_vq_read(&vq, &elem, 7, buf, 10), 0);
	assert_int_equal(hvd_vq_read(&vq, &elem, 1ull << 40, buf, 10), 0);
	assert_int_equal(hvd_vq_read(&vq, &elem, 0, buf, 0), 0);
}

static void test_write(void **state)
{
	rw_chain();
	assert_int_equal(hvd_vq_write(&vq, &elem, 1, "123456", 6), 6);
	assert_memory_equal(fake.mem + BUF + 0x200, ".1..", 4);
	assert_memory_equal(fake.mem + BUF + 0x300, "23456.", 6);
	assert_int_equal(hvd_vq_write(&vq, &elem, 0, "ABCDEFGHIJ", 10), 7);
	assert_memory_equal(fake.mem + BUF + 0x200, "AB..", 4);
	assert_memory_equal(fake.mem + BUF + 0x300, "CDEFG.", 6);
	assert_int_equal(hvd_vq_write(&vq, &elem, 7, "x", 1), 0);
	/* The readable buffers are not written. */
	assert_memory_equal(fake.mem + BUF, "abcd", 4);
	assert_memory_equal(fake.mem + BUF + 0x100, "efg", 3);
}

static void test_read_write_after_reset(void **state)
{
	char buf[8];

	rw_chain();
	hvd_vq_reset(&vq);
	zero_calls();
	assert_int_equal(hvd_vq_read(&vq, &elem, 0, buf, sizeof(buf)), 0);
	assert_int_equal(hvd_vq_write(&vq, &elem, 0, "12", 2), 0);
	assert_int_equal(mem_calls(), 0);
	assert_memory_equal(fake.mem + BUF + 0x200, "..", 2);
}

/* ---- reset ------------------------------------------------------------- */

static void test_reset(void **state)
{
	enable(true, true);
	pop_one(0);
	assert_int_equal(hvd_vq_push(&vq, 0, 0), 0);
	assert_true(hvd_vq_need_interrupt(&vq));
	make_avail(QSIZE);
	assert_int_equal(hvd_vq_pop(&vq, &elem), -EIO);

	hvd_vq_reset(&vq);
	assert_ptr_equal(vq.svc, &svc);
	assert_string_equal(vq.name, "requestq");
	assert_false(vq.enabled);
	assert_false(vq.broken);
	assert_int_equal(vq.size, 0);
	assert_int_equal(vq.desc, 0);
	assert_false(vq.event_idx);
	assert_false(vq.indirect);
	assert_int_equal(vq.last_avail, 0);
	assert_int_equal(vq.used_idx, 0);
	assert_int_equal(vq.signalled_used, 0);
	assert_false(vq.signalled_valid);
	zero_calls();
	assert_int_equal(hvd_vq_pop(&vq, &elem), 0);
	assert_int_equal(mem_calls(), 0);

	/* The driver sets the rings up again from 0. */
	memset(fake.mem + AVAIL, 0, 0x1000);
	memset(fake.mem + USED, 0, 0x1000);
	enable(false, false);
	pop_one(1);
	assert_int_equal(vq.last_avail, 1);
	assert_int_equal(fake.logs, 1);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_enable),
		T(test_enable_sizes),
		T(test_enable_bad_size),
		T(test_enable_misaligned),
		T(test_enable_outside_ram),
		T(test_pop_disabled),
		T(test_pop_empty),
		T(test_pop_direct),
		T(test_pop_only_readable_or_writable),
		T(test_pop_in_order),
		T(test_pop_longest_chain),
		T(test_pop_full_ring),
		T(test_pop_wraparound),
		T(test_pop_zero_length),
		T(test_pop_indirect),
		T(test_pop_direct_then_indirect),
		T(test_pop_max_segs),
		T(test_pop_reads_once),
		T(test_bad_avail_idx),
		T(test_bad_avail_idx_backwards),
		T(test_bad_head),
		T(test_bad_next),
		T(test_bad_loop),
		T(test_bad_indirect_loop),
		T(test_bad_indirect_next),
		T(test_bad_too_many_segs),
		T(test_bad_indirect_not_negotiated),
		T(test_bad_nested_indirect),
		T(test_bad_indirect_with_next),
		T(test_bad_indirect_empty),
		T(test_bad_indirect_len),
		T(test_bad_indirect_outside_ram),
		T(test_bad_buffer_outside_ram),
		T(test_bad_buffer_wraps),
		T(test_bad_readable_overflow),
		T(test_bad_writable_overflow),
		T(test_bad_total_len),
		T(test_bad_order),
		T(test_bad_order_indirect),
		T(test_bad_after_good),
		T(test_push),
		T(test_push_errors),
		T(test_interrupt_flags),
		T(test_interrupt_event_idx),
		T(test_interrupt_event_idx_wrap),
		T(test_interrupt_disabled),
		T(test_notify_flags),
		T(test_notify_event_idx),
		T(test_avail),
		T(test_read),
		T(test_write),
		T(test_read_write_after_reset),
		T(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
