// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the bzImage loader (daemon/boot/linux.c, compiled in as is,
 * with boot/ram.c): synthetic images with a setup header built here, loaded
 * into 64 MiB of RAM, then the exact bytes of the kernel, zero page,
 * command line and initrd in guest RAM and the entry registers. Offsets
 * and values come from Documentation/x86/boot.rst and zero-page.rst, not
 * from the loader. Every refusal is checked for its errno, its message and
 * for leaving guest RAM untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "boot/boot.h"

#define RAM_SIZE (64ull << 20)
#define SETUP_SECTS 3
#define SETUP_SIZE ((SETUP_SECTS + 1) * 512)
#define PM_SIZE 0x2000
#define IMG_SIZE (SETUP_SIZE + PM_SIZE)
#define POISON 0xcc

struct t {
	struct hvd_ram ram;
	uint8_t img[IMG_SIZE + 0x1000];
	size_t img_size;
	uint8_t *initrd;
	struct hvd_boot_args args;
	struct hvd_boot out;
	char err[256];
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/*
 * A protocol 2.15 header as a 6.1 x86_64 kernel has it (boot.rst), with
 * junk in the fields a loader must write.
 */
static void build_image(struct t *t)
{
	uint8_t *d = t->img;

	memset(d, 0, sizeof(t->img));
	d[0x1ef] = 0xff; /* header.S sets the sentinel */
	d[0x1f1] = SETUP_SECTS;
	put32(d + 0x1f4, PM_SIZE / 16); /* syssize */
	put16(d + 0x1fa, 0xffff); /* vid_mode: normal */
	put16(d + 0x1fe, 0xaa55);
	d[0x200] = 0xeb; /* jmp to 0x26c */
	d[0x201] = 0x6a;
	memcpy(d + 0x202, "HdrS", 4);
	put16(d + 0x206, 0x020f);
	d[0x210] = 0x00; /* type_of_loader */
	d[0x211] = 0x01; /* LOADED_HIGH */
	put32(d + 0x214, 0x100000); /* code32_start */
	put32(d + 0x218, 0xdeadbeef); /* ramdisk_image */
	put32(d + 0x21c, 0xfeedface); /* ramdisk_size */
	put32(d + 0x228, 0x12345678); /* cmd_line_ptr */
	put32(d + 0x22c, 0x7fffffff); /* initrd_addr_max */
	put32(d + 0x230, 0x200000); /* kernel_alignment */
	d[0x234] = 1; /* relocatable_kernel */
	d[0x235] = 21; /* min_alignment */
	put16(d + 0x236, 0x0003); /* XLF_KERNEL_64, ABOVE_4G */
	put32(d + 0x238, 2047); /* cmdline_size */
	put64(d + 0x250, 0xabcdef); /* setup_data */
	put64(d + 0x258, 0x1000000); /* pref_address */
	put32(d + 0x260, 0x800000); /* init_size */
	put32(d + 0x268, 0x1234); /* kernel_info_offset */
	d[0x26c] = 0x55; /* past the header: code */
	for (size_t i = SETUP_SIZE; i < sizeof(t->img); i++)
		d[i] = (uint8_t)(i * 7 + 3);
	t->img_size = IMG_SIZE;
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->ram.host = malloc(RAM_SIZE);
	assert_non_null(t->ram.host);
	memset(t->ram.host, POISON, RAM_SIZE);
	t->ram.size = RAM_SIZE;
	t->ram.below_4g = RAM_SIZE;
	build_image(t);
	t->args.kernel.data = t->img;
	t->args.kernel.size = IMG_SIZE;
	t->args.kernel.name = "vmlinuz";
	t->args.cmdline = "console=ttyS0 root=/dev/vda";
	t->args.nr_vcpus = 1;
	t->args.rsdp = 0xe0000;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;

	free(t->ram.host);
	free(t->initrd);
	free(t);
	return 0;
}

static void set_initrd(struct t *t, size_t size)
{
	free(t->initrd);
	t->initrd = malloc(size);
	assert_non_null(t->initrd);
	for (size_t i = 0; i < size; i++)
		t->initrd[i] = (uint8_t)(i * 13 + 1);
	t->args.initrd.data = t->initrd;
	t->args.initrd.size = size;
	t->args.initrd.name = "initrd.img";
}

static int load(struct t *t)
{
	t->args.kernel.size = t->img_size;
	memset(t->err, 0, sizeof(t->err));
	return hvd_load_bzimage(&t->ram, &t->args, &t->out, t->err,
				sizeof(t->err));
}

static uint8_t *gpa(struct t *t, uint64_t a)
{
	return t->ram.host + a;
}

static uint8_t *bp(struct t *t)
{
	return gpa(t, HVD_BOOT_PARAMS);
}

/* A refusal: errno, message, and not a byte of guest RAM written. */
static void refused(struct t *t, int want, const char *msg)
{
	int ret = load(t);

	if (ret != want)
		fail_msg("returned %d, want %d (%s)", ret, want, t->err);
	if (!strstr(t->err, msg))
		fail_msg("message '%s' lacks '%s'", t->err, msg);
	if (strncmp(t->err, "vmlinuz: ", 9))
		fail_msg("message '%s' does not name the file", t->err);
	for (uint64_t a = 0; a < RAM_SIZE; a += 4096)
		if (t->ram.host[a] != POISON)
			fail_msg("guest RAM written at 0x%llx",
				 (unsigned long long)a);
}

static void loads_kernel_zero_page_and_entry(void **state)
{
	struct t *t = *state;
	uint8_t *z = bp(t);

	set_initrd(t, 0x2345);
	assert_int_equal(load(t), 0);

	/* boot.rst, "64-bit Boot Protocol": entry at load address + 0x200. */
	assert_int_equal(t->out.mode, HVD_BOOT_LONG64);
	assert_int_equal(t->out.rip, 0x1000200);
	assert_int_equal(t->out.rsi, 0x10000);
	assert_int_equal(t->out.rsp, 0x9000);
	assert_int_equal(t->out.rbx, 0);
	assert_int_equal(t->out.rax, 0);
	assert_string_equal(t->out.kind, "bzImage");

	/* The protected-mode part, from (setup_sects + 1) * 512. */
	assert_memory_equal(gpa(t, 0x1000000), t->img + SETUP_SIZE, PM_SIZE);
	assert_int_equal(*gpa(t, 0x1000000 + PM_SIZE), POISON);

	/* Zero page: zeroed, header 0x1f1-0x26b from the image. */
	assert_int_equal(z[0], 0);
	assert_int_equal(z[0x1ef], 0); /* sentinel */
	assert_int_equal(z[0x1f0], 0);
	assert_memory_equal(z + 0x1f1, t->img + 0x1f1, 0x210 - 0x1f1);
	assert_int_equal(z[0x26c], 0);
	assert_int_equal(z[0xfff], 0);
	assert_int_equal(z[0x210], 0xff); /* type_of_loader */
	assert_int_equal(z[0x211], 0x01); /* loadflags as the image's */
	assert_int_equal(get32(z + 0x214), 0x1000000); /* code32_start */
	assert_int_equal(get32(z + 0x22c), 0x7fffffff);
	assert_int_equal(get32(z + 0x230), 0x200000);
	assert_int_equal(get32(z + 0x238), 2047);
	assert_int_equal(get64(z + 0x250), 0); /* setup_data */
	assert_int_equal(get64(z + 0x258), 0x1000000);
	assert_int_equal(get32(z + 0x260), 0x800000);
	assert_int_equal(get32(z + 0x268), 0x1234);

	/* Command line. */
	assert_int_equal(get32(z + 0x228), 0x20000);
	assert_int_equal(get32(z + 0xc8), 0);
	assert_string_equal((char *)gpa(t, 0x20000),
			    "console=ttyS0 root=/dev/vda");

	/* Initrd: the highest page below 64 MiB it fits in. */
	assert_int_equal(get32(z + 0x218), 0x3ffd000);
	assert_int_equal(get32(z + 0x21c), 0x2345);
	assert_int_equal(get32(z + 0xc0), 0);
	assert_int_equal(get32(z + 0xc4), 0);
	assert_memory_equal(gpa(t, 0x3ffd000), t->initrd, 0x2345);

	/* ACPI RSDP (zero-page.rst, 0x070). */
	assert_int_equal(get64(z + 0x70), 0xe0000);

	/* E820 (0x1e8 count, 0x2d0 table of 20-byte entries). */
	assert_int_equal(z[0x1e8], 5);
	static const uint64_t e820[][3] = {
		{ 0, 0x9fc00, 1 },	    { 0x9fc00, 0x60400, 2 },
		{ 0x100000, 0x3f00000, 1 }, { 0xfec00000, 0x1000, 2 },
		{ 0xfee00000, 0x1000, 2 },
	};
	for (int i = 0; i < 5; i++) {
		const uint8_t *e = z + 0x2d0 + 20 * i;

		assert_int_equal(get64(e), e820[i][0]);
		assert_int_equal(get64(e + 8), e820[i][1]);
		assert_int_equal(get32(e + 16), e820[i][2]);
	}
	assert_int_equal(get64(z + 0x2d0 + 100), 0);
}

static void is_bzimage_looks_at_the_magic(void **state)
{
	struct t *t = *state;
	struct hvd_image img = { t->img, IMG_SIZE, "k" };

	assert_true(hvd_is_bzimage(&img));
	img.size = 0x205;
	assert_false(hvd_is_bzimage(&img));
	img.size = IMG_SIZE;
	t->img[0x1fe] = 0x56;
	assert_false(hvd_is_bzimage(&img));
	t->img[0x1fe] = 0x55;
	t->img[0x205] = 'T';
	assert_false(hvd_is_bzimage(&img));
	img.data = NULL;
	assert_false(hvd_is_bzimage(&img));
}

static void no_initrd_clears_ramdisk_fields(void **state)
{
	struct t *t = *state;

	t->args.cmdline = NULL;
	/* A size without data is no initrd either. */
	t->args.initrd.size = 0x1000;
	assert_int_equal(load(t), 0);
	assert_int_equal(get32(bp(t) + 0x218), 0);
	assert_int_equal(get32(bp(t) + 0x21c), 0);
	assert_int_equal(*gpa(t, 0x20000), 0);
	assert_int_equal(*gpa(t, 0x3fff000), POISON);
}

static void initrd_stays_below_initrd_addr_max(void **state)
{
	struct t *t = *state;

	put32(t->img + 0x22c, 0x02ffffff);
	set_initrd(t, 0x3000);
	assert_int_equal(load(t), 0);
	assert_int_equal(get32(bp(t) + 0x218), 0x2ffd000);
	assert_memory_equal(gpa(t, 0x2ffd000), t->initrd, 0x3000);

	/* 0xffffffff + 1 must not wrap to 0. */
	put32(t->img + 0x22c, 0xffffffff);
	assert_int_equal(load(t), 0);
	assert_int_equal(get32(bp(t) + 0x218), 0x3ffd000);
}

static void initrd_fills_ram_up_to_the_kernel(void **state)
{
	struct t *t = *state;

	/* Kernel 16 MiB + 8 MiB init_size: 40 MiB are left above it. */
	set_initrd(t, 40 << 20);
	assert_int_equal(load(t), 0);
	assert_int_equal(get32(bp(t) + 0x218), 0x1800000);
}

static void load_address_follows_pref_and_alignment(void **state)
{
	struct t *t = *state;

	/* Relocatable: pref_address aligned up to kernel_alignment. */
	put64(t->img + 0x258, 0x1100000);
	assert_int_equal(load(t), 0);
	assert_int_equal(t->out.rip, 0x1200200);
	assert_memory_equal(gpa(t, 0x1200000), t->img + SETUP_SIZE, PM_SIZE);

	/* Relocatable without pref_address: 1 MiB, aligned up. */
	put64(t->img + 0x258, 0);
	assert_int_equal(load(t), 0);
	assert_int_equal(t->out.rip, 0x200200);

	/* Not relocatable: pref_address exactly, aligned or not. */
	t->img[0x234] = 0;
	put64(t->img + 0x258, 0x300000);
	assert_int_equal(load(t), 0);
	assert_int_equal(t->out.rip, 0x300200);
	assert_int_equal(get32(bp(t) + 0x214), 0x300000);

	/* Not relocatable and no pref_address: bzImage's 1 MiB. */
	put64(t->img + 0x258, 0);
	assert_int_equal(load(t), 0);
	assert_int_equal(t->out.rip, 0x100200);
}

static void setup_sects_zero_means_four(void **state)
{
	struct t *t = *state;

	t->img[0x1f1] = 0;
	put32(t->img + 0x1f4, (IMG_SIZE - 0xa00) / 16);
	assert_int_equal(load(t), 0);
	assert_memory_equal(gpa(t, 0x1000000), t->img + 0xa00,
			    IMG_SIZE - 0xa00);
}

static void syssize_bounds_the_copy(void **state)
{
	struct t *t = *state;

	/* A signed kernel: bytes after syssize * 16 are not the kernel. */
	t->img_size = IMG_SIZE + 0x800;
	assert_int_equal(load(t), 0);
	assert_memory_equal(gpa(t, 0x1000000), t->img + SETUP_SIZE, PM_SIZE);
	assert_int_equal(*gpa(t, 0x1000000 + PM_SIZE), POISON);

	/* syssize 0: the rest of the file. */
	put32(t->img + 0x1f4, 0);
	assert_int_equal(load(t), 0);
	assert_memory_equal(gpa(t, 0x1000000), t->img + SETUP_SIZE,
			    PM_SIZE + 0x800);
}

static void rsdp_only_from_protocol_2_14(void **state)
{
	struct t *t = *state;

	put16(t->img + 0x206, 0x020d);
	assert_int_equal(load(t), 0);
	assert_int_equal(get64(bp(t) + 0x70), 0);
	put16(t->img + 0x206, 0x020e);
	assert_int_equal(load(t), 0);
	assert_int_equal(get64(bp(t) + 0x70), 0xe0000);
}

static void cmdline_at_the_kernels_limit(void **state)
{
	struct t *t = *state;

	put32(t->img + 0x238, 16);
	t->args.cmdline = "0123456789abcdef";
	assert_int_equal(load(t), 0);
	assert_string_equal((char *)gpa(t, 0x20000), "0123456789abcdef");
}

static void refuses_bad_magic(void **state)
{
	struct t *t = *state;

	t->img[0x1ff] = 0;
	refused(t, -ENOEXEC, "not a bzImage");
	t->img[0x1ff] = 0xaa;
	t->img[0x202] = 'h';
	refused(t, -ENOEXEC, "not a bzImage");
}

static void refuses_old_protocol(void **state)
{
	struct t *t = *state;

	put16(t->img + 0x206, 0x020b);
	refused(t, -ENOEXEC, "");
	assert_string_equal(t->err, "vmlinuz: kernel boot protocol 2.11 is "
				    "too old (2.12 or later needed)");
}

static void refuses_32_bit_kernel(void **state)
{
	struct t *t = *state;

	put16(t->img + 0x236, 0x0002);
	refused(t, -ENOEXEC, "not a 64-bit kernel");
}

static void refuses_zimage(void **state)
{
	struct t *t = *state;

	t->img[0x211] = 0x80;
	refused(t, -ENOEXEC, "LOADED_HIGH");
}

static void refuses_bad_header_length(void **state)
{
	struct t *t = *state;

	t->img[0x201] = 0x10;
	refused(t, -ENOEXEC, "setup header ends at 0x212");
	t->img[0x201] = 0xff;
	refused(t, -ENOEXEC, "setup header ends at 0x301");
}

static void refuses_truncated_images(void **state)
{
	struct t *t = *state;

	t->img_size = 0x220;
	refused(t, -ENOEXEC, "truncated: 544 bytes of the 612-byte setup");
	t->img_size = IMG_SIZE;

	t->img[0x1f1] = 60;
	refused(t, -ENOEXEC, "truncated: 10240 bytes of the 31232-byte setup");
	t->img[0x1f1] = SETUP_SECTS;

	put32(t->img + 0x1f4, PM_SIZE / 16 + 1);
	refused(t, -ENOEXEC,
		"truncated: 8192 bytes of the 8208-byte protected-mode kernel present");

	/* syssize * 16 needs 36 bits. */
	put32(t->img + 0x1f4, 0xffffffff);
	refused(t, -ENOEXEC, "of the 68719476720-byte protected-mode kernel");

	put32(t->img + 0x1f4, 0x20);
	refused(t, -ENOEXEC, "too small to hold the 64-bit entry");
}

static void refuses_kernel_larger_than_ram(void **state)
{
	struct t *t = *state;

	put32(t->img + 0x260, 0x3100000);
	refused(t, -E2BIG,
		"vmlinuz: needs 49 MiB of RAM from 0x1000000, the VM has 64 MiB below 4 GiB");

	/* A pref_address near 2^64 must not wrap when aligned. */
	put32(t->img + 0x260, 0x800000);
	put64(t->img + 0x258, 0xfffffffffff00000ull);
	refused(t, -E2BIG, "from 0xfffffffffff00000");
	put64(t->img + 0x258, 0x3fff000);
	refused(t, -E2BIG, "from 0x4000000");
}

static void refuses_bad_placement_fields(void **state)
{
	struct t *t = *state;

	put32(t->img + 0x230, 0);
	refused(t, -ENOEXEC, "kernel_alignment 0x0 is not a power of two");
	put32(t->img + 0x230, 0x300000);
	refused(t, -ENOEXEC, "kernel_alignment 0x300000");

	t->img[0x234] = 0;
	put64(t->img + 0x258, 0x90000);
	refused(t, -ENOEXEC, "runs at 0x90000, below 1 MiB");
}

static void refuses_long_cmdline(void **state)
{
	struct t *t = *state;
	char *big = malloc(HVD_CMDLINE_MAX + 1);

	put32(t->img + 0x238, 16);
	t->args.cmdline = "0123456789abcdefg";
	refused(t, -EINVAL,
		"vmlinuz: command line is 17 bytes, the kernel takes at most 16");

	/* Ours bounds what the kernel would take. */
	assert_non_null(big);
	memset(big, 'x', HVD_CMDLINE_MAX);
	big[HVD_CMDLINE_MAX] = 0;
	put32(t->img + 0x238, 0xffffffff);
	t->args.cmdline = big;
	refused(t, -EINVAL,
		"command line is 65536 bytes, the kernel takes "
		"at most 65535");
	big[HVD_CMDLINE_MAX - 1] = 0;
	assert_int_equal(load(t), 0);
	assert_int_equal(*gpa(t, 0x20000 + HVD_CMDLINE_MAX - 1), 0);
	free(big);
}

static void refuses_initrd_that_does_not_fit(void **state)
{
	struct t *t = *state;

	set_initrd(t, (40 << 20) + 1);
	refused(t, -E2BIG,
		"vmlinuz: initrd initrd.img of 41 MiB does not fit below "
		"0x4000000 above the kernel's 0x1800000");

	set_initrd(t, 0x1000);
	put32(t->img + 0x22c, 0);
	refused(t, -E2BIG, "does not fit below 0x1 ");
	put32(t->img + 0x22c, 0x017fffff);
	refused(t, -E2BIG, "does not fit below 0x1800000 ");
}

/* Random junk in the header: never a crash, never a write out of RAM. */
static void survives_random_headers(void **state)
{
	struct t *t = *state;
	uint8_t good[IMG_SIZE];
	uint32_t seed = 1;

	memcpy(good, t->img, IMG_SIZE);
	set_initrd(t, 0x5000);
	t->ram.size = t->ram.below_4g = 32ull << 20;
	for (int i = 0; i < 20000; i++) {
		memcpy(t->img, good, IMG_SIZE);
		for (int j = 0; j < 6; j++) {
			seed = seed * 1103515245 + 12345;
			t->img[0x1f1 + (seed >> 8) % 0x80] = seed >> 24;
		}
		t->img_size = 0x200 + (seed >> 4) % (IMG_SIZE - 0x1ff);
		if (load(t) == 0)
			assert_int_equal(t->out.rsi, HVD_BOOT_PARAMS);
		else
			assert_true(strlen(t->err) > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			loads_kernel_zero_page_and_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(is_bzimage_looks_at_the_magic,
						setup, teardown),
		cmocka_unit_test_setup_teardown(no_initrd_clears_ramdisk_fields,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			initrd_stays_below_initrd_addr_max, setup, teardown),
		cmocka_unit_test_setup_teardown(
			initrd_fills_ram_up_to_the_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(
			load_address_follows_pref_and_alignment, setup,
			teardown),
		cmocka_unit_test_setup_teardown(setup_sects_zero_means_four,
						setup, teardown),
		cmocka_unit_test_setup_teardown(syssize_bounds_the_copy, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rsdp_only_from_protocol_2_14,
						setup, teardown),
		cmocka_unit_test_setup_teardown(cmdline_at_the_kernels_limit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_magic, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_old_protocol, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_32_bit_kernel, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_zimage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_header_length,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_truncated_images, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_kernel_larger_than_ram,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_placement_fields,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_long_cmdline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			refuses_initrd_that_does_not_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(survives_random_headers, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("boot_linux", tests, NULL, NULL);
}
