// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of virtio-blk (daemon/dev/virtio_blk.c) on an image in a
 * memfd, driven through the virtio-PCI transport by the fake driver
 * (virtio_driver.c): the configuration and features, reads and writes
 * checked byte for byte against the image, flush, the serial id, IOERR
 * for a request outside the disk or a write to a read-only one, UNSUPP
 * for unknown requests, discard and write-zeroes checked in the image,
 * indirect descriptors, and DEVICE_NEEDS_RESET for a request without a
 * header or status byte. A disk with O_DIRECT's 4096-byte alignment
 * (the image stays a memfd: the alignment is the model's decision)
 * still reports 512-byte blocks, hands aligned requests over as they are
 * and moves every other one through an aligned bounce buffer, checked in
 * the requests it submits and byte for byte; a write of part of a block
 * is read, modified and written back before the next request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_services.h"
#include "virtio_driver.h"

extern const struct hvd_model virtio_blk_model;

#define BAR_BASE	(HVD_PCI_HOLE_START + 2 * HVD_PCI_BAR_WINDOW)
#define SECTOR		512u
#define IMG_SIZE	(1u << 20)
#define CAPACITY	(IMG_SIZE / SECTOR)
#define QSIZE		256
#define SERIAL		"hvd-serial-01"

#define F_SEG_MAX	(1ull << 2)
#define F_RO		(1ull << 5)
#define F_BLK_SIZE	(1ull << 6)
#define F_FLUSH		(1ull << 9)
#define F_DISCARD	(1ull << 13)
#define F_WRITE_ZEROES	(1ull << 14)
#define F_INDIRECT	(1ull << 28)
#define F_EVENT_IDX	(1ull << 29)
#define F_VERSION_1	(1ull << 32)

#define S_UP		(VDRV_S_ACKNOWLEDGE | VDRV_S_DRIVER | \
			 VDRV_S_FEATURES_OK | VDRV_S_DRIVER_OK)

/* Request types and status (virtio 1.2, 5.2.6). */
#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define T_GET_ID	8
#define T_DISCARD	11
#define T_WRITE_ZEROES	13
#define ST_OK		0
#define ST_IOERR	1
#define ST_UNSUPP	2
#define WZ_UNMAP	1

/* Where the requests' parts lie in guest memory. */
#define HDR		VDRV_BUF
#define STATUS		(VDRV_BUF + 0x100)
#define TABLE		(VDRV_BUF + 0x200)	/* an indirect table */
#define DATA		(VDRV_BUF + 0x1000)

static struct hvd_backend backend;
static struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = FAKE_MEM_SIZE,
	.ram_below_4g = FAKE_MEM_SIZE,
	.devfn = 2 << 3,
	.bar_base = BAR_BASE,
	.backend = &backend,
};

static void *dev;
static struct vdrv d;
static uint32_t used_len;

static uint8_t pattern(uint64_t i)
{
	return i * 7 + (i >> 9);
}

static int create_direct(bool readonly, bool direct)
{
	uint8_t *img = malloc(IMG_SIZE);
	unsigned int i;
	int fd;

	assert_non_null(img);
	fake_reset();
	fd = memfd_create("disk", MFD_CLOEXEC);
	assert_true(fd >= 0);
	for (i = 0; i < IMG_SIZE; i++)
		img[i] = pattern(i);
	assert_int_equal(pwrite(fd, img, IMG_SIZE, 0), IMG_SIZE);
	free(img);
	backend = (struct hvd_backend){ .fd = fd,
					.size = IMG_SIZE,
					.readonly = readonly,
					.serial = SERIAL,
					.direct = direct,
					.blk_align = direct ? 4096 : 512,
					.mem_align = direct ? 4096 : 1 };
	dev = calloc(1, virtio_blk_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(virtio_blk_model.create(dev, &fake_svc, &cfg), 0);
	vdrv_attach(&d, &virtio_blk_model, dev);
	return 0;
}

static int create(bool readonly)
{
	return create_direct(readonly, false);
}

static int setup(void **state)
{
	create(false);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	return 0;
}

static int setup_ro(void **state)
{
	create(true);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	return 0;
}

static int setup_idle(void **state)
{
	return create(false);
}

static int teardown(void **state)
{
	virtio_blk_model.destroy(dev);
	free(dev);
	close(backend.fd);
	assert_int_equal(fake_fd_count(fake.watches), 0);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	assert_int_equal(fake_fd_count(fake.irqfds), 0);
	return 0;
}

/* ---- requests ---------------------------------------------------------- */

static void put_hdr(uint64_t gpa, uint32_t type, uint64_t sector)
{
	vdrv_put32(gpa, type);
	vdrv_put32(gpa + 4, 0);
	vdrv_put64(gpa + 8, sector);
}

/*
 * The used element of the request at @head: its length into used_len;
 * the status byte at STATUS returned.
 */
static uint8_t complete(uint16_t head)
{
	uint32_t id;

	assert_true(vdrv_used(&d, 0, &id, &used_len));
	assert_int_equal(id, head);
	return fake.mem[STATUS];
}

/*
 * Submit a request of the usual three parts: the header, @len bytes of
 * data at @data (device-writable if @in) unless @len is 0, the status.
 *
 * Return: the status byte the device wrote.
 */
static uint8_t submit(uint32_t type, uint64_t sector, uint64_t data,
		      uint32_t len, bool in)
{
	put_hdr(HDR, type, sector);
	fake.mem[STATUS] = 0xff;
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, len ? 1 : 2);
	vdrv_desc(&d, 0, 1, data, len, VDRV_F_NEXT | (in ? VDRV_F_WRITE : 0),
		  2);
	vdrv_desc(&d, 0, 2, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	return complete(0);
}

static void image_read(uint64_t pos, void *buf, size_t len)
{
	assert_int_equal(pread(backend.fd, buf, len, pos), len);
}

static void expect_image(uint64_t pos, size_t len)
{
	uint8_t buf[16384];
	size_t i;

	assert_true(len <= sizeof(buf));
	image_read(pos, buf, len);
	for (i = 0; i < len; i++)
		if (buf[i] != pattern(pos + i))
			fail_msg("image byte %#zx: %#x, not %#x", pos + i,
				 buf[i], pattern(pos + i));
}

static void expect_zeroes(uint64_t pos, size_t len)
{
	uint8_t buf[16384];
	size_t i;

	assert_true(len <= sizeof(buf));
	image_read(pos, buf, len);
	for (i = 0; i < len; i++)
		if (buf[i])
			fail_msg("image byte %#zx: %#x, not 0", pos + i,
				 buf[i]);
}

static void expect_guest(uint64_t gpa, uint64_t pos, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (fake.mem[gpa + i] != pattern(pos + i))
			fail_msg("guest byte %#zx: %#x, not image's %#x",
				 (size_t)(gpa + i), fake.mem[gpa + i],
				 pattern(pos + i));
}

/* ---- identity, configuration, features --------------------------------- */

static void test_identity(void **state)
{
	assert_int_equal(vdrv_cfg_read(&d, 0x00, 4), 0x10421af4);
	assert_int_equal(vdrv_cfg_read(&d, 0x08, 4), 0x01000001);
	assert_int_equal(vdrv_cfg_read(&d, 0x2c, 4), 0x11001af4);
	assert_int_equal(vdrv_cfg_read(&d, 0x10, 4), BAR_BASE);
	assert_int_equal(d.caps[VDRV_CAP_DEVICE].pos, 0x74);
	assert_int_equal(d.caps[VDRV_CAP_DEVICE].len, 16);
	assert_int_equal(d.caps[VDRV_CAP_DEVICE].bar, 0);
	assert_int_equal(d.caps[VDRV_CAP_DEVICE].offset, 0x2000);
	assert_int_equal(d.caps[VDRV_CAP_DEVICE].length, 60);
	assert_int_equal(d.caps[VDRV_CAP_PCI_CFG].pos, 0x84);
	assert_int_equal(d.msix, 0x98);
	assert_int_equal(d.msix_nr, 2);
	vdrv_common_write(&d, VDRV_Q_SELECT, 2, 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_SIZE, 2), QSIZE);
}

static void test_config(void **state)
{
	/* struct virtio_blk_config (5.2.4). */
	assert_int_equal(vdrv_config_read(&d, 0, 8), CAPACITY);
	assert_int_equal(vdrv_config_read(&d, 0, 4), CAPACITY);
	assert_int_equal(vdrv_config_read(&d, 4, 4), 0);
	assert_int_equal(vdrv_config_read(&d, 8, 4), 0);	/* size_max */
	assert_int_equal(vdrv_config_read(&d, 12, 4), QSIZE - 2);
	assert_int_equal(vdrv_config_read(&d, 16, 4), 0);	/* geometry */
	assert_int_equal(vdrv_config_read(&d, 20, 4), SECTOR);
	assert_int_equal(vdrv_config_read(&d, 24, 8), 0);	/* topology */
	assert_int_equal(vdrv_config_read(&d, 32, 4), 0);	/* writeback */
	assert_int_equal(vdrv_config_read(&d, 36, 4), 0x400000);
	assert_int_equal(vdrv_config_read(&d, 40, 4), 16);
	assert_int_equal(vdrv_config_read(&d, 44, 4), 1);
	assert_int_equal(vdrv_config_read(&d, 48, 4), 0x400000);
	assert_int_equal(vdrv_config_read(&d, 52, 4), 16);
	assert_int_equal(vdrv_config_read(&d, 56, 1), 1);
	assert_int_equal(vdrv_config_read(&d, 56, 4), 1);
	/* A read running past the end reads zeroes there; past it, 0. */
	assert_int_equal(vdrv_config_read(&d, 56, 8), 1);
	assert_int_equal(vdrv_config_read(&d, 60, 4), 0);
	assert_int_equal(vdrv_config_read(&d, 20, 1), 0x00);
	assert_int_equal(vdrv_config_read(&d, 21, 1), 0x02);
	/* Read-only: a write is dropped. */
	vdrv_write(&d, 0x2000, 4, 0x12345678);
	vdrv_write(&d, 0x2000 + 32, 1, 1);
	assert_int_equal(vdrv_config_read(&d, 0, 8), CAPACITY);
	assert_int_equal(vdrv_config_read(&d, 32, 1), 0);
}

/* The capacity of another device on an image of @size bytes. */
static uint64_t capacity(uint64_t size)
{
	void *other = calloc(1, virtio_blk_model.priv_size);
	struct vdrv d2;
	uint64_t cap;

	assert_non_null(other);
	backend.size = size;
	assert_int_equal(virtio_blk_model.create(other, &fake_svc, &cfg), 0);
	vdrv_attach(&d2, &virtio_blk_model, other);
	cap = vdrv_config_read(&d2, 0, 8);
	virtio_blk_model.destroy(other);
	free(other);
	backend.size = IMG_SIZE;
	return cap;
}

static void test_capacity(void **state)
{
	/* A partial last sector is not part of the disk. */
	assert_int_equal(capacity(IMG_SIZE - 100), CAPACITY - 1);
	assert_int_equal(capacity(100), 0);
	/* 3 TiB: more sectors than 32 bits hold. */
	assert_int_equal(capacity(3ull << 40), 3ull << 31);
}

static void test_features(void **state)
{
	assert_int_equal(vdrv_device_features(&d),
			 F_VERSION_1 | F_EVENT_IDX | F_INDIRECT | F_SEG_MAX |
				 F_BLK_SIZE | F_FLUSH | F_DISCARD |
				 F_WRITE_ZEROES);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1 | F_RO), 0x03);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1 | F_FLUSH |
						    F_DISCARD | F_WRITE_ZEROES),
			 0x0b);
}

static void test_features_ro(void **state)
{
	assert_int_equal(vdrv_device_features(&d),
			 F_VERSION_1 | F_EVENT_IDX | F_INDIRECT | F_SEG_MAX |
				 F_RO | F_BLK_SIZE | F_FLUSH);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1 | F_DISCARD), 0x03);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1 | F_RO), 0x0b);
}

/* ---- reads, writes, flush, id ------------------------------------------ */

static void test_read(void **state)
{
	memset(fake.mem + DATA, 0xee, 0x2000);
	/* Sectors 3 and 4, into two buffers of 600 and 424 bytes. */
	put_hdr(HDR, T_IN, 3);
	fake.mem[STATUS] = 0xff;
	vdrv_desc(&d, 0, 4, HDR, 16, VDRV_F_NEXT, 5);
	vdrv_desc(&d, 0, 5, DATA, 600, VDRV_F_NEXT | VDRV_F_WRITE, 6);
	vdrv_desc(&d, 0, 6, DATA + 0x1000, 424, VDRV_F_NEXT | VDRV_F_WRITE,
		  7);
	vdrv_desc(&d, 0, 7, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 4);
	vdrv_kick(&d, 0);
	assert_int_equal(complete(4), ST_OK);
	assert_int_equal(used_len, 1025);
	expect_guest(DATA, 3 * SECTOR, 600);
	expect_guest(DATA + 0x1000, 3 * SECTOR + 600, 424);
	assert_int_equal(fake.mem[DATA + 600], 0xee);
	assert_int_equal(fake.mem[DATA + 0x1000 + 424], 0xee);
	assert_int_equal(vdrv_irqs(1), 1);

	/* The last sector, through the ioeventfd this time. */
	put_hdr(HDR, T_IN, CAPACITY - 1);
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, DATA, SECTOR, VDRV_F_NEXT | VDRV_F_WRITE, 2);
	vdrv_desc(&d, 0, 2, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick_fd(&d, 0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, SECTOR + 1);
	expect_guest(DATA, (CAPACITY - 1) * SECTOR, SECTOR);

	/* Data and status in one buffer. */
	put_hdr(HDR, T_IN, 9);
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, DATA, SECTOR + 1, VDRV_F_WRITE, 0);
	fake.mem[DATA + SECTOR] = 0xff;
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	complete(0);
	assert_int_equal(used_len, SECTOR + 1);
	expect_guest(DATA, 9 * SECTOR, SECTOR);
	assert_int_equal(fake.mem[DATA + SECTOR], ST_OK);
	assert_int_equal(vdrv_status(&d), S_UP);
}

static void test_write(void **state)
{
	uint8_t buf[1024];
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		fake.mem[DATA + i] = 0xa5 ^ i;
	/* Sectors 10 and 11 from two buffers: 100 and 924 bytes. */
	put_hdr(HDR, T_OUT, 10);
	fake.mem[STATUS] = 0xff;
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, DATA, 100, VDRV_F_NEXT, 3);
	vdrv_desc(&d, 0, 3, DATA + 100, 924, VDRV_F_NEXT, 2);
	vdrv_desc(&d, 0, 2, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, 1);
	image_read(10 * SECTOR, buf, sizeof(buf));
	assert_memory_equal(buf, fake.mem + DATA, sizeof(buf));
	expect_image(0, 10 * SECTOR);
	expect_image(12 * SECTOR, 8192);

	/* The last sector, header and data in one buffer. */
	put_hdr(DATA, T_OUT, CAPACITY - 1);
	memset(fake.mem + DATA + 16, 0x3c, SECTOR);
	fake.mem[STATUS] = 0xff;
	vdrv_desc(&d, 0, 0, DATA, 16 + SECTOR, VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, 1);
	image_read(IMG_SIZE - SECTOR, buf, SECTOR);
	assert_memory_equal(buf, fake.mem + DATA + 16, SECTOR);
	expect_image(IMG_SIZE - SECTOR - 8192, 8192);
}

static void test_flush(void **state)
{
	assert_int_equal(submit(T_FLUSH, 0, 0, 0, false), ST_OK);
	assert_int_equal(used_len, 1);
	/* The sector field is reserved: anything goes. */
	assert_int_equal(submit(T_FLUSH, 12345, 0, 0, false), ST_OK);
	expect_image(0, 8192);
}

static void test_get_id(void **state)
{
	static const char full[] = "ABCDEFGHIJKLMNOPQRST";

	/* 5.2.6: 20 bytes, NUL-padded when shorter. */
	memset(fake.mem + DATA, 0xff, 32);
	assert_int_equal(submit(T_GET_ID, 0, DATA, 20, true), ST_OK);
	assert_int_equal(used_len, 21);
	assert_memory_equal(fake.mem + DATA, SERIAL "\0\0\0\0\0\0\0", 20);
	assert_int_equal(fake.mem[DATA + 20], 0xff);

	/* Exactly 20 characters: no NUL. */
	memcpy(backend.serial, full, sizeof(full));
	memset(fake.mem + DATA, 0xff, 32);
	assert_int_equal(submit(T_GET_ID, 0, DATA, 20, true), ST_OK);
	assert_int_equal(used_len, 21);
	assert_memory_equal(fake.mem + DATA, full, 20);
	assert_int_equal(fake.mem[DATA + 20], 0xff);

	/* A smaller buffer gets what fits; a larger one 20 bytes. */
	memset(fake.mem + DATA, 0xff, 32);
	assert_int_equal(submit(T_GET_ID, 0, DATA, 8, true), ST_OK);
	assert_int_equal(used_len, 9);
	assert_memory_equal(fake.mem + DATA, "ABCDEFGH", 8);
	assert_int_equal(fake.mem[DATA + 8], 0xff);
	assert_int_equal(submit(T_GET_ID, 0, DATA, 32, true), ST_OK);
	assert_int_equal(used_len, 21);

	/* No serial at all: 20 NULs. */
	backend.serial[0] = 0;
	memset(fake.mem + DATA, 0xff, 32);
	assert_int_equal(submit(T_GET_ID, 0, DATA, 20, true), ST_OK);
	assert_int_equal(used_len, 21);
	assert_memory_equal(fake.mem + DATA,
			    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
}

/* ---- errors -------------------------------------------------------------- */

static void test_out_of_range(void **state)
{
	struct stat st;

	memset(fake.mem + DATA, 0xee, 1024);
	/* Running past the end, starting at it, far beyond. */
	assert_int_equal(submit(T_IN, CAPACITY - 1, DATA, 1024, true),
			 ST_IOERR);
	assert_int_equal(used_len, 1);
	assert_int_equal(submit(T_IN, CAPACITY, DATA, SECTOR, true), ST_IOERR);
	assert_int_equal(submit(T_IN, ~0ull, DATA, SECTOR, true), ST_IOERR);
	assert_int_equal(submit(T_IN, ~0ull / SECTOR, DATA, SECTOR, true),
			 ST_IOERR);
	/* Whose byte offset wraps to 0. */
	assert_int_equal(submit(T_IN, 1ull << 55, DATA, SECTOR, true),
			 ST_IOERR);
	/* Not whole sectors. */
	assert_int_equal(submit(T_IN, 0, DATA, 100, true), ST_IOERR);
	assert_int_equal(fake.mem[DATA], 0xee);

	assert_int_equal(submit(T_OUT, CAPACITY - 1, DATA, 1024, false),
			 ST_IOERR);
	assert_int_equal(submit(T_OUT, CAPACITY, DATA, SECTOR, false),
			 ST_IOERR);
	assert_int_equal(submit(T_OUT, 0, DATA, 100, false), ST_IOERR);
	assert_int_equal(fstat(backend.fd, &st), 0);
	assert_int_equal(st.st_size, IMG_SIZE);
	expect_image(0, 8192);
	expect_image(IMG_SIZE - 8192, 8192);
	assert_int_equal(vdrv_status(&d), S_UP);
}

static void test_read_only(void **state)
{
	memset(fake.mem + DATA, 0, 4096);
	assert_int_equal(submit(T_OUT, 0, DATA, SECTOR, false), ST_IOERR);
	assert_int_equal(used_len, 1);
	expect_image(0, 8192);

	vdrv_put64(DATA, 0);
	vdrv_put32(DATA + 8, 8);
	vdrv_put32(DATA + 12, 0);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 16, false), ST_IOERR);
	assert_int_equal(submit(T_WRITE_ZEROES, 0, DATA, 16, false),
			 ST_IOERR);
	expect_image(0, 8192);

	/* Reads and flushes as ever. */
	assert_int_equal(submit(T_IN, 2, DATA, SECTOR, true), ST_OK);
	expect_guest(DATA, 2 * SECTOR, SECTOR);
	assert_int_equal(submit(T_FLUSH, 0, 0, 0, false), ST_OK);
}

static void put_range(uint64_t gpa, uint64_t sector, uint32_t n,
		      uint32_t flags)
{
	vdrv_put64(gpa, sector);
	vdrv_put32(gpa + 8, n);
	vdrv_put32(gpa + 12, flags);
}

static void test_unsupported(void **state)
{
	unsigned int i;

	assert_int_equal(submit(7, 0, 0, 0, false), ST_UNSUPP);
	assert_int_equal(used_len, 1);
	assert_int_equal(submit(0xffffffff, 0, DATA, SECTOR, true), ST_UNSUPP);
	assert_int_equal(used_len, 1);
	/* Discard has no flags (5.2.6); a range beyond the limits. */
	put_range(DATA, 8, 8, WZ_UNMAP);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 16, false), ST_UNSUPP);
	put_range(DATA, 8, 8, 2);
	assert_int_equal(submit(T_WRITE_ZEROES, 0, DATA, 16, false),
			 ST_UNSUPP);
	put_range(DATA, 0, 0x400001, 0);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 16, false), ST_UNSUPP);
	/* No range, a partial one, more than max_discard_seg. */
	assert_int_equal(submit(T_DISCARD, 0, 0, 0, false), ST_UNSUPP);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 12, false), ST_UNSUPP);
	for (i = 0; i < 17; i++)
		put_range(DATA + 16 * i, 8 * i, 8, 0);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 17 * 16, false),
			 ST_UNSUPP);
	expect_image(0, 8192);
	expect_image(8192, 8192);
	assert_int_equal(vdrv_status(&d), S_UP);
}

/* ---- discard and write-zeroes ------------------------------------------ */

static void test_discard(void **state)
{
	/* Sectors 8-15 and 32-39: two pages, punched. */
	put_range(DATA, 8, 8, 0);
	put_range(DATA + 16, 32, 8, 0);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 32, false), ST_OK);
	assert_int_equal(used_len, 1);
	expect_image(0, 4096);
	expect_zeroes(4096, 4096);
	expect_image(8192, 8192);
	expect_zeroes(16384, 4096);
	expect_image(20480, 4096);
	assert_int_equal(lseek(backend.fd, 0, SEEK_HOLE), 4096);
	assert_int_equal(lseek(backend.fd, 8192, SEEK_HOLE), 16384);
	assert_int_equal(lseek(backend.fd, 4096, SEEK_DATA), 8192);

	/* An empty range is no error; one past the end is. */
	put_range(DATA, CAPACITY, 0, 0);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 16, false), ST_OK);
	put_range(DATA, CAPACITY - 4, 8, 0);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 16, false), ST_IOERR);
	put_range(DATA, ~0ull, 8, 0);
	assert_int_equal(submit(T_DISCARD, 0, DATA, 16, false), ST_IOERR);
	expect_image(IMG_SIZE - 8192, 8192);
}

static void test_write_zeroes(void **state)
{
	/* Sectors 20-21, no unmap: zeroes, and no hole. */
	put_range(DATA, 20, 2, 0);
	assert_int_equal(submit(T_WRITE_ZEROES, 0, DATA, 16, false), ST_OK);
	assert_int_equal(used_len, 1);
	expect_image(0, 20 * SECTOR);
	expect_zeroes(20 * SECTOR, 2 * SECTOR);
	expect_image(22 * SECTOR, 8192);
	assert_int_equal(lseek(backend.fd, 0, SEEK_HOLE), IMG_SIZE);

	/* Sectors 24-31 with unmap: zeroes in a hole. */
	put_range(DATA, 24, 8, WZ_UNMAP);
	assert_int_equal(submit(T_WRITE_ZEROES, 0, DATA, 16, false), ST_OK);
	expect_image(22 * SECTOR, 2 * SECTOR);
	expect_zeroes(24 * SECTOR, 8 * SECTOR);
	expect_image(32 * SECTOR, 8192);
	assert_int_equal(lseek(backend.fd, 0, SEEK_HOLE), 24 * SECTOR);

	put_range(DATA, CAPACITY - 1, 2, 0);
	assert_int_equal(submit(T_WRITE_ZEROES, 0, DATA, 16, false),
			 ST_IOERR);
	expect_image(IMG_SIZE - 8192, 8192);
}

/* ---- descriptors ------------------------------------------------------- */

static void test_indirect(void **state)
{
	uint8_t buf[SECTOR];

	assert_int_equal(vdrv_start(&d, F_VERSION_1 | F_INDIRECT), S_UP);
	/* One descriptor in the ring, the request in its table. */
	put_hdr(HDR, T_IN, 5);
	fake.mem[STATUS] = 0xff;
	vdrv_desc_at(TABLE, 0, HDR, 16, VDRV_F_NEXT, 1);
	vdrv_desc_at(TABLE, 1, DATA, SECTOR, VDRV_F_NEXT | VDRV_F_WRITE, 2);
	vdrv_desc_at(TABLE, 2, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_desc(&d, 0, 7, TABLE, 48, VDRV_F_INDIRECT, 0);
	vdrv_avail(&d, 0, 7);
	vdrv_kick(&d, 0);
	assert_int_equal(complete(7), ST_OK);
	assert_int_equal(used_len, SECTOR + 1);
	expect_guest(DATA, 5 * SECTOR, SECTOR);

	/* A write, the table's entries in another order, one unused. */
	memset(fake.mem + DATA, 0x77, SECTOR);
	put_hdr(HDR, T_OUT, 6);
	fake.mem[STATUS] = 0xff;
	vdrv_desc_at(TABLE, 0, HDR, 16, VDRV_F_NEXT, 3);
	vdrv_desc_at(TABLE, 3, DATA, SECTOR, VDRV_F_NEXT, 1);
	vdrv_desc_at(TABLE, 1, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_desc_at(TABLE, 2, 0, 0, 0, 0);
	vdrv_desc(&d, 0, 7, TABLE, 64, VDRV_F_INDIRECT, 0);
	vdrv_avail(&d, 0, 7);
	vdrv_kick(&d, 0);
	assert_int_equal(complete(7), ST_OK);
	assert_int_equal(used_len, 1);
	image_read(6 * SECTOR, buf, SECTOR);
	assert_memory_equal(buf, fake.mem + DATA, SECTOR);
	expect_image(7 * SECTOR, SECTOR);
}

static void test_indirect_not_negotiated(void **state)
{
	vdrv_desc_at(TABLE, 0, HDR, 16, VDRV_F_NEXT, 1);
	vdrv_desc_at(TABLE, 1, STATUS, 1, VDRV_F_WRITE, 0);
	put_hdr(HDR, T_FLUSH, 0);
	vdrv_desc(&d, 0, 0, TABLE, 32, VDRV_F_INDIRECT, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	assert_int_equal(vdrv_used_idx(0), 0);
	assert_int_equal(vdrv_status(&d), S_UP | VDRV_S_NEEDS_RESET);
	assert_string_equal(fake.last_log,
			    "needs reset: malformed request queue");
}

/* Without header or status: NEEDS_RESET, config interrupt, nothing more. */
static void expect_needs_reset(void)
{
	assert_int_equal(vdrv_used_idx(0), 0);
	assert_int_equal(vdrv_status(&d), S_UP | VDRV_S_NEEDS_RESET);
	assert_string_equal(fake.last_log,
			    "needs reset: a request without header or status");
	assert_int_equal(vdrv_irqs(0), 1);
	assert_int_equal(vdrv_irqs(1), 0);
	assert_int_equal(vdrv_isr(&d), 2);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);

	/* A good request now: not served. */
	put_hdr(HDR, T_FLUSH, 0);
	vdrv_desc(&d, 0, 4, HDR, 16, VDRV_F_NEXT, 5);
	vdrv_desc(&d, 0, 5, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 4);
	vdrv_kick(&d, 0);
	assert_int_equal(vdrv_used_idx(0), 0);

	/* After a reset, served. */
	vdrv_reset(&d);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	assert_int_equal(submit(T_FLUSH, 0, 0, 0, false), ST_OK);
}

static void test_no_status(void **state)
{
	/* The header and data, nothing device-writable. */
	put_hdr(HDR, T_OUT, 0);
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, DATA, SECTOR, 0, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	expect_image(0, SECTOR);
	expect_needs_reset();
}

static void test_short_header(void **state)
{
	/* 12 bytes of header, then the status. */
	put_hdr(HDR, T_IN, 0);
	fake.mem[STATUS] = 0xff;
	vdrv_desc(&d, 0, 0, HDR, 12, VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	assert_int_equal(fake.mem[STATUS], 0xff);
	expect_needs_reset();
}

/*
 * Requests complete in the order the I/O does, not the order they came
 * in, and a reset forgets those in flight: their completion writes no
 * status and returns no chain.
 */
static void test_async_completion(void **state)
{
	uint32_t id;

	fake.aio_defer = 1;
	memset(fake.mem + DATA, 0xee, 0x2000);
	/* Head 0: sector 1 into DATA; head 3: sector 2 into DATA + 0x1000. */
	put_hdr(HDR, T_IN, 1);
	put_hdr(HDR + 0x10, T_IN, 2);
	fake.mem[STATUS] = fake.mem[STATUS + 1] = 0xff;
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, DATA, SECTOR, VDRV_F_NEXT | VDRV_F_WRITE, 2);
	vdrv_desc(&d, 0, 2, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_desc(&d, 0, 3, HDR + 0x10, 16, VDRV_F_NEXT, 4);
	vdrv_desc(&d, 0, 4, DATA + 0x1000, SECTOR,
		  VDRV_F_NEXT | VDRV_F_WRITE, 5);
	vdrv_desc(&d, 0, 5, STATUS + 1, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_avail(&d, 0, 3);
	vdrv_kick(&d, 0);
	assert_int_equal(fake.nr_aio_held, 2);
	assert_false(vdrv_used(&d, 0, &id, &used_len));
	assert_int_equal(fake.mem[STATUS], 0xff);

	fake_aio_complete(1);
	assert_true(vdrv_used(&d, 0, &id, &used_len));
	assert_int_equal(id, 3);
	assert_int_equal(used_len, SECTOR + 1);
	assert_int_equal(fake.mem[STATUS + 1], ST_OK);
	assert_int_equal(fake.mem[STATUS], 0xff);
	expect_guest(DATA + 0x1000, 2 * SECTOR, SECTOR);
	fake_aio_complete(0);
	assert_true(vdrv_used(&d, 0, &id, &used_len));
	assert_int_equal(id, 0);
	assert_int_equal(fake.mem[STATUS], ST_OK);
	expect_guest(DATA, SECTOR, SECTOR);

	/* A flush held across a reset: forgotten. */
	put_hdr(HDR, T_FLUSH, 0);
	fake.mem[STATUS] = 0xff;
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, 2);
	vdrv_desc(&d, 0, 2, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	assert_int_equal(fake.nr_aio_held, 1);
	vdrv_reset(&d);
	fake_aio_complete(0);
	assert_int_equal(fake.mem[STATUS], 0xff);
	assert_int_equal(vdrv_used_idx(0), 2);
}

/* ---- O_DIRECT ------------------------------------------------------------ */

#define BLK		4096u

static int setup_direct(void **state)
{
	create_direct(false, true);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	return 0;
}

/* A guest address above DATA whose host address is block-aligned. */
static uint64_t aligned_gpa(void)
{
	return DATA + (-(uintptr_t)(fake.mem + DATA) & (BLK - 1));
}

/*
 * Start a read or write of @len bytes at @sector, its data in buffers at
 * @gpa of the lengths in @seg (0-terminated), held (fake.aio_defer) for
 * the test to look at before it completes.
 */
static void start_held(uint32_t type, uint64_t sector, uint64_t gpa,
		       const uint32_t *seg, unsigned int held)
{
	uint16_t i;

	put_hdr(HDR, type, sector);
	fake.mem[STATUS] = 0xff;
	vdrv_desc(&d, 0, 0, HDR, 16, VDRV_F_NEXT, 1);
	for (i = 0; seg[i]; i++) {
		vdrv_desc(&d, 0, i + 1, gpa, seg[i],
			  VDRV_F_NEXT | (type == T_IN ? VDRV_F_WRITE : 0),
			  i + 2);
		gpa += seg[i];
	}
	vdrv_desc(&d, 0, i + 1, STATUS, 1, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	fake.aio_defer = 1;
	vdrv_kick(&d, 0);
	assert_int_equal(fake.nr_aio_held, held);
}

static void start(uint32_t type, uint64_t sector, uint64_t gpa,
		  const uint32_t *seg)
{
	start_held(type, sector, gpa, seg, 1);
}

/* The held request: its offset, and its one buffer's length. */
static void expect_bounce(uint64_t off, uint64_t len)
{
	const struct hvd_aio *a = fake.aio_held[0];

	assert_int_equal(a->off, off);
	assert_int_equal(a->iovcnt, 1);
	assert_int_equal(a->iov[0].iov_len, len);
	assert_int_equal((uintptr_t)a->iov[0].iov_base & (BLK - 1), 0);
	assert_true((uint8_t *)a->iov[0].iov_base < fake.mem ||
		    (uint8_t *)a->iov[0].iov_base >= fake.mem + FAKE_MEM_SIZE);
}

static void test_direct_config(void **state)
{
	/* 512-byte blocks for the driver (5.2.4), whatever the image's. */
	assert_int_equal(vdrv_config_read(&d, 20, 4), SECTOR);
	assert_int_equal(vdrv_config_read(&d, 0, 8), CAPACITY);
}

static void test_direct_aligned(void **state)
{
	static const uint32_t seg[] = { BLK, 2 * BLK, 0 };
	uint64_t gpa = aligned_gpa();
	const struct hvd_aio *a;

	/* The guest's own buffers, as they are. */
	start(T_IN, 8, gpa, seg);
	a = fake.aio_held[0];
	assert_int_equal(a->off, 8 * SECTOR);
	assert_int_equal(a->iovcnt, 2);
	assert_ptr_equal(a->iov[0].iov_base, fake.mem + gpa);
	assert_ptr_equal(a->iov[1].iov_base, fake.mem + gpa + BLK);
	fake_aio_complete(0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, 3 * BLK + 1);
	expect_guest(gpa, 8 * SECTOR, 3 * BLK);
}

static void test_direct_read_bounced(void **state)
{
	static const uint32_t one[] = { BLK, 0 }, odd[] = { 1000, 3096, 0 };
	static const uint32_t part[] = { 1024, 0 }, across[] = { 600, 424, 0 };
	uint64_t gpa = aligned_gpa();

	/* A buffer off its alignment. */
	memset(fake.mem + gpa, 0xee, 3 * BLK);
	start(T_IN, 8, gpa + 4, one);
	expect_bounce(BLK, BLK);
	fake_aio_complete(0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, BLK + 1);
	expect_guest(gpa + 4, BLK, BLK);
	assert_int_equal(fake.mem[gpa + 3], 0xee);
	assert_int_equal(fake.mem[gpa + 4 + BLK], 0xee);

	/* Lengths that are not whole blocks, though the sum is. */
	start(T_IN, 16, gpa, odd);
	expect_bounce(2 * BLK, BLK);
	fake_aio_complete(0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, BLK + 1);
	expect_guest(gpa, 2 * BLK, BLK);

	/* Two sectors inside a block, then two across a block's end. */
	memset(fake.mem + gpa, 0xee, 3 * BLK);
	start(T_IN, 3, gpa, part);
	expect_bounce(0, BLK);
	fake_aio_complete(0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, 1024 + 1);
	expect_guest(gpa, 3 * SECTOR, 1024);
	assert_int_equal(fake.mem[gpa + 1024], 0xee);
	start(T_IN, 7, gpa, across);
	expect_bounce(0, 2 * BLK);
	fake_aio_complete(0);
	assert_int_equal(complete(0), ST_OK);
	expect_guest(gpa, 7 * SECTOR, 1024);

	/* A failed read copies nothing. */
	memset(fake.mem + gpa, 0xee, 3 * BLK);
	start(T_IN, 3, gpa, part);
	((struct hvd_aio *)fake.aio_held[0])->fd = -1;
	fake_aio_complete(0);
	assert_int_equal(complete(0), ST_IOERR);
	assert_int_equal(used_len, 1);
	assert_int_equal(fake.mem[gpa], 0xee);
}

static void test_direct_write_bounced(void **state)
{
	static const uint32_t one[] = { BLK, 0 }, part[] = { 1024, 0 };
	static const uint32_t across[] = { 1000, 24, 0 };
	uint64_t gpa = aligned_gpa();
	uint8_t buf[1024];
	unsigned int i;

	/* A whole block from a buffer off its alignment. */
	for (i = 0; i < BLK; i++)
		fake.mem[gpa + 8 + i] = 0x5a ^ i;
	start(T_OUT, 16, gpa + 8, one);
	expect_bounce(2 * BLK, BLK);
	fake_aio_complete(0);
	assert_int_equal(complete(0), ST_OK);
	assert_int_equal(used_len, 1);
	{
		uint8_t blk[BLK];

		image_read(2 * BLK, blk, BLK);
		assert_memory_equal(blk, fake.mem + gpa + 8, BLK);
	}
	expect_image(BLK, BLK);
	expect_image(3 * BLK, BLK);

	/* Two sectors inside block 1: the rest of the block stays. */
	for (i = 0; i < sizeof(buf); i++)
		fake.mem[gpa + i] = 0xc3 ^ i;
	/* Read, modified and written back at once: nothing is in flight. */
	start_held(T_OUT, 8 + 3, gpa, part, 0);
	assert_int_equal(complete(0), ST_OK);
	image_read(BLK + 3 * SECTOR, buf, sizeof(buf));
	assert_memory_equal(buf, fake.mem + gpa, sizeof(buf));
	expect_image(BLK, 3 * SECTOR);
	expect_image(BLK + 5 * SECTOR, 3 * SECTOR);

	/* Two sectors across blocks 4 and 5, from two odd buffers. */
	start_held(T_OUT, 8 * 5 - 1, gpa, across, 0);
	assert_int_equal(complete(0), ST_OK);
	image_read(5 * BLK - SECTOR, buf, sizeof(buf));
	assert_memory_equal(buf, fake.mem + gpa, sizeof(buf));
	expect_image(4 * BLK, BLK - SECTOR);
	expect_image(5 * BLK + SECTOR, BLK - SECTOR);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define T_DIRECT(f) cmocka_unit_test_setup_teardown(f, setup_direct, teardown)
#define T_RO(f) cmocka_unit_test_setup_teardown(f, setup_ro, teardown)
#define T_IDLE(f) cmocka_unit_test_setup_teardown(f, setup_idle, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_IDLE(test_identity),
		T(test_config),
		T(test_capacity),
		T_IDLE(test_features),
		cmocka_unit_test_setup_teardown(test_features_ro, setup_ro,
						teardown),
		T(test_read),
		T(test_async_completion),
		T(test_write),
		T(test_flush),
		T(test_get_id),
		T(test_out_of_range),
		T_RO(test_read_only),
		T(test_unsupported),
		T(test_discard),
		T(test_write_zeroes),
		T(test_indirect),
		T(test_indirect_not_negotiated),
		T(test_no_status),
		T(test_short_header),
		T_DIRECT(test_direct_config),
		T_DIRECT(test_direct_aligned),
		T_DIRECT(test_direct_read_bounced),
		T_DIRECT(test_direct_write_bounced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
