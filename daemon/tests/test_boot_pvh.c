// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the PVH loader (daemon/boot/pvh.c, compiled in as is, with
 * boot/ram.c): small ELF64 and ELF32 kernels built here with a PT_LOAD
 * segment and a Xen PHYS32_ENTRY note, loaded into 64 MiB of RAM, then the
 * exact bytes of the segment, its .bss, the hvm_start_info, module list,
 * memory map, command line and initrd in guest RAM and the entry
 * registers. Layouts come from the System V gABI and Xen's
 * arch-x86/hvm/start_info.h, not from the loader. Every refusal is checked
 * for its errno, its message and for leaving guest RAM untouched.
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
#define POISON 0xcc
#define IMG_SIZE 0x3000
#define SEG_OFF 0x1000
#define SEG_FILESZ 0x2000
#define SEG_MEMSZ 0x3000
#define SEG_PADDR 0x1000000
#define ENTRY 0x1000100
#define NOTE_OFF 0x200
/* After the GNU note (12 + 4 + 20 bytes) and Xen's LOADER (12 + 4 + 8). */
#define ENTRY_NOTE (NOTE_OFF + 60)

struct t {
	struct hvd_ram ram;
	uint8_t img[IMG_SIZE];
	size_t img_size;
	int is64;
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

/* Offsets of the program header fields (gABI, "Program Header"). */
static uint8_t *phdr(struct t *t, int i)
{
	return t->img + (t->is64 ? 64 + 56 * i : 52 + 32 * i);
}

static void set_phdr(struct t *t, int i, uint32_t type, uint64_t off,
		     uint64_t paddr, uint64_t filesz, uint64_t memsz,
		     uint64_t align)
{
	uint8_t *p = phdr(t, i);

	put32(p, type);
	if (t->is64) {
		put32(p + 4, 5);
		put64(p + 8, off);
		put64(p + 16, paddr + 0xffffffff80000000ull);
		put64(p + 24, paddr);
		put64(p + 32, filesz);
		put64(p + 40, memsz);
		put64(p + 48, align);
	} else {
		put32(p + 4, off);
		put32(p + 8, paddr + 0xc0000000u);
		put32(p + 12, paddr);
		put32(p + 16, filesz);
		put32(p + 20, memsz);
		put32(p + 24, 5);
		put32(p + 28, align);
	}
}

/* One note: namesz, descsz, type, name and desc padded to 4. */
static size_t put_note(uint8_t *p, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	uint32_t namesz = strlen(name) + 1;
	size_t n = 12;

	put32(p, namesz);
	put32(p + 4, descsz);
	put32(p + 8, type);
	memcpy(p + n, name, namesz);
	n += (namesz + 3) & ~3u;
	memcpy(p + n, desc, descsz);
	return n + ((descsz + 3) & ~3u);
}

/*
 * An x86 vmlinux in miniature: a GNU build-id note and a Xen note of
 * another type before the entry note (Linux's arch/x86/platform/pvh/head.S
 * emits it with _ASM_PTR: 8 bytes in ELF64, 4 in ELF32), one PT_LOAD with
 * .bss.
 */
static size_t build_image(struct t *t, int is64)
{
	uint8_t *d = t->img, desc[8], id[20];
	size_t n = 0;

	memset(d, 0, sizeof(t->img));
	t->is64 = is64;
	memcpy(d, "\177ELF", 4);
	d[4] = is64 ? 2 : 1;
	d[5] = 1;
	d[6] = 1;
	put16(d + 16, 2); /* ET_EXEC */
	put16(d + 18, is64 ? 62 : 3);
	put32(d + 20, 1);
	if (is64) {
		put64(d + 24, 0xffffffff81000000ull);
		put64(d + 32, 64); /* e_phoff */
		put16(d + 52, 64);
		put16(d + 54, 56);
		put16(d + 56, 2);
		put16(d + 58, 64);
	} else {
		put32(d + 24, 0xc1000000u);
		put32(d + 28, 52);
		put16(d + 40, 52);
		put16(d + 42, 32);
		put16(d + 44, 2);
		put16(d + 46, 40);
	}
	memset(id, 0xab, sizeof(id));
	n += put_note(d + NOTE_OFF + n, "GNU", 3, id, sizeof(id));
	n += put_note(d + NOTE_OFF + n, "Xen", 6, "generic", 8);
	put64(desc, ENTRY);
	n += put_note(d + NOTE_OFF + n, "Xen", 18, desc, is64 ? 8 : 4);
	set_phdr(t, 0, 1, SEG_OFF, SEG_PADDR, SEG_FILESZ, SEG_MEMSZ, 0x1000);
	set_phdr(t, 1, 4, NOTE_OFF, 0, n, n, 4);
	for (size_t i = SEG_OFF; i < IMG_SIZE; i++)
		d[i] = (uint8_t)(i * 7 + 3);
	t->img_size = IMG_SIZE;
	return n;
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
	build_image(t, 1);
	t->args.kernel.data = t->img;
	t->args.kernel.name = "vmlinux";
	t->args.cmdline = "console=hvc0";
	t->args.nr_vcpus = 2;
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
	return hvd_load_pvh(&t->ram, &t->args, &t->out, t->err, sizeof(t->err));
}

static uint8_t *gpa(struct t *t, uint64_t a)
{
	return t->ram.host + a;
}

static void refused(struct t *t, int want, const char *msg)
{
	int ret = load(t);

	if (ret != want)
		fail_msg("returned %d, want %d (%s)", ret, want, t->err);
	if (!strstr(t->err, msg))
		fail_msg("message '%s' lacks '%s'", t->err, msg);
	if (strncmp(t->err, "vmlinux: ", 9))
		fail_msg("message '%s' does not name the file", t->err);
	for (uint64_t a = 0; a < RAM_SIZE; a += 4096)
		if (t->ram.host[a] != POISON)
			fail_msg("guest RAM written at 0x%llx",
				 (unsigned long long)a);
}

static void check_loaded(struct t *t, uint64_t rd_addr, uint64_t rd_size)
{
	const uint8_t *si = gpa(t, 0x9000), *mod = gpa(t, 0x9040);
	static const uint64_t e820[][3] = {
		{ 0, 0x9fc00, 1 },	    { 0x9fc00, 0x60400, 2 },
		{ 0x100000, 0x3f00000, 1 }, { 0xfec00000, 0x1000, 2 },
		{ 0xfee00000, 0x1000, 2 },
	};

	/* head.S: 32-bit protected mode, %ebx the start info. */
	assert_int_equal(t->out.mode, HVD_BOOT_PROT32);
	assert_int_equal(t->out.rip, ENTRY);
	assert_int_equal(t->out.rbx, 0x9000);
	assert_int_equal(t->out.rsp, 0x9000);
	assert_int_equal(t->out.rsi, 0);
	assert_int_equal(t->out.rax, 0);
	assert_string_equal(t->out.kind, "pvh");

	/* The segment at p_paddr, .bss zeroed up to p_memsz. */
	assert_memory_equal(gpa(t, SEG_PADDR), t->img + SEG_OFF, SEG_FILESZ);
	for (int i = SEG_FILESZ; i < SEG_MEMSZ; i++)
		assert_int_equal(*gpa(t, SEG_PADDR + i), 0);
	assert_int_equal(*gpa(t, SEG_PADDR + SEG_MEMSZ), POISON);

	/* struct hvm_start_info, version 1. */
	assert_int_equal(get32(si), 0x336ec578);
	assert_int_equal(get32(si + 4), 1);
	assert_int_equal(get32(si + 8), 0);
	assert_int_equal(get32(si + 12), rd_size ? 1 : 0);
	assert_int_equal(get64(si + 16), rd_size ? 0x9040 : 0);
	assert_int_equal(get64(si + 24), 0x20000);
	assert_int_equal(get64(si + 32), 0xe0000);
	assert_int_equal(get64(si + 40), 0x9080);
	assert_int_equal(get32(si + 48), 5);
	assert_int_equal(get32(si + 52), 0);
	assert_string_equal((char *)gpa(t, 0x20000), "console=hvc0");

	/* struct hvm_modlist_entry 0. */
	assert_int_equal(get64(mod), rd_addr);
	assert_int_equal(get64(mod + 8), rd_size);
	assert_int_equal(get64(mod + 16), 0);
	assert_int_equal(get64(mod + 24), 0);

	/* struct hvm_memmap_table_entry: addr, size, type, reserved. */
	for (int i = 0; i < 5; i++) {
		const uint8_t *e = gpa(t, 0x9080 + 24 * i);

		assert_int_equal(get64(e), e820[i][0]);
		assert_int_equal(get64(e + 8), e820[i][1]);
		assert_int_equal(get32(e + 16), e820[i][2]);
		assert_int_equal(get32(e + 20), 0);
	}
}

static void loads_elf64_with_initrd(void **state)
{
	struct t *t = *state;

	set_initrd(t, 0x2345);
	assert_int_equal(load(t), 0);
	check_loaded(t, 0x3ffd000, 0x2345);
	assert_memory_equal(gpa(t, 0x3ffd000), t->initrd, 0x2345);
}

static void loads_elf32_without_initrd(void **state)
{
	struct t *t = *state;

	build_image(t, 0);
	assert_int_equal(load(t), 0);
	check_loaded(t, 0, 0);
	assert_int_equal(*gpa(t, 0x3fff000), POISON);
}

static void finds_the_note_in_sections(void **state)
{
	struct t *t = *state;
	size_t n = build_image(t, 1);
	uint8_t *s = t->img + 0x140;

	/* No PT_NOTE: only a section header table, SHT_NOTE in entry 1. */
	put16(t->img + 56, 1);
	put64(t->img + 40, 0x100); /* e_shoff */
	put16(t->img + 60, 2);
	put32(s + 4, 7);
	put64(s + 24, NOTE_OFF);
	put64(s + 32, n);
	put64(s + 48, 4);
	assert_true(hvd_is_pvh(&(struct hvd_image){ t->img, IMG_SIZE, "k" }));
	assert_int_equal(load(t), 0);
	assert_int_equal(t->out.rip, ENTRY);
}

static void is_pvh_needs_the_note(void **state)
{
	struct t *t = *state;
	struct hvd_image img = { t->img, IMG_SIZE, "k" };
	uint8_t *copy;

	assert_true(hvd_is_pvh(&img));
	build_image(t, 0);
	assert_true(hvd_is_pvh(&img));
	put16(t->img + 44, 1); /* no PT_NOTE */
	assert_false(hvd_is_pvh(&img));
	img.size = 40;
	assert_false(hvd_is_pvh(&img));

	/* ELF64 program headers are 56 bytes; 32-byte ones are not read. */
	build_image(t, 1);
	put16(t->img + 54, 32);
	put64(t->img + 32, IMG_SIZE - 64);
	img.data = copy = malloc(IMG_SIZE);
	assert_non_null(copy);
	memcpy(copy, t->img, IMG_SIZE);
	img.size = IMG_SIZE;
	assert_false(hvd_is_pvh(&img));
	free(copy);
	img.data = NULL;
	assert_false(hvd_is_pvh(&img));
}

static void refuses_what_is_no_x86_elf(void **state)
{
	struct t *t = *state;

	t->img[1] = 'e';
	refused(t, -ENOEXEC, "not a little-endian x86 ELF executable");
	build_image(t, 1);
	put16(t->img + 18, 3); /* ELF64 but EM_386 */
	refused(t, -ENOEXEC, "not a little-endian x86 ELF executable");
	build_image(t, 1);
	put16(t->img + 16, 3); /* ET_DYN */
	refused(t, -ENOEXEC, "not a little-endian x86 ELF executable");
	build_image(t, 1);
	t->img[5] = 2; /* big-endian */
	refused(t, -ENOEXEC, "not a little-endian x86 ELF executable");
	build_image(t, 1);
	t->img_size = 60;
	refused(t, -ENOEXEC, "not a little-endian x86 ELF executable");
}

static void refuses_elf_without_the_note(void **state)
{
	struct t *t = *state;
	uint8_t *note = t->img + ENTRY_NOTE;

	put32(note + 8, 17);
	refused(t, -ENOEXEC, "vmlinux: no Xen PHYS32_ENTRY note");
	put32(note + 8, 18);
	put32(note + 4, 2);
	refused(t, -ENOEXEC, "malformed Xen PHYS32_ENTRY note");
	put32(note + 4, 8);
	/* A name size running past the segment: the walk stops there. */
	put32(t->img + NOTE_OFF, 0xfffffffc);
	refused(t, -ENOEXEC, "no Xen PHYS32_ENTRY note");
	put32(t->img + NOTE_OFF, 4);
	/* The name is "Xen" and its NUL, nothing more (gABI, namesz). */
	memset(note, 0, 28);
	put32(note, 8);
	put32(note + 4, 8);
	put32(note + 8, 18);
	memcpy(note + 12, "Xen", 4);
	put64(note + 20, ENTRY);
	set_phdr(t, 1, 4, NOTE_OFF, 0, 60 + 28, 60 + 28, 4);
	refused(t, -ENOEXEC, "no Xen PHYS32_ENTRY note");
	/* A PT_NOTE out of the file. */
	set_phdr(t, 1, 4, 0xfffffffffffffff0ull, 0, 0x100, 0x100, 4);
	refused(t, -ENOEXEC, "no Xen PHYS32_ENTRY note");
}

static void refuses_bad_entries(void **state)
{
	struct t *t = *state;
	uint8_t *desc = t->img + ENTRY_NOTE + 16;

	put64(desc, 0x100000000ull);
	refused(t, -ENOEXEC, "PVH entry 0x100000000 is not a 32-bit address");
	put64(desc, SEG_PADDR + SEG_FILESZ); /* in .bss */
	refused(t, -ENOEXEC, "PVH entry 0x1002000 is not in a loaded segment");
}

static void refuses_bad_program_headers(void **state)
{
	struct t *t = *state;

	put16(t->img + 56, 300);
	refused(t, -ENOEXEC,
		"program header table (300 entries of 56 bytes at 0x40) is not within the file");
	put16(t->img + 56, 2);
	put64(t->img + 32, 0xfffffffffffffff8ull);
	refused(t, -ENOEXEC, "is not within the file");
	put64(t->img + 32, 64);
	put16(t->img + 54, 32);
	refused(t, -ENOEXEC, "program headers of 32 bytes, 56 needed");
	put16(t->img + 54, 56);

	/* Only a PT_NOTE: nothing to load. */
	set_phdr(t, 0, 6, SEG_OFF, SEG_PADDR, SEG_FILESZ, SEG_MEMSZ, 0x1000);
	refused(t, -ENOEXEC, "vmlinux: no loadable segment");
}

static void refuses_bad_segments(void **state)
{
	struct t *t = *state;

	set_phdr(t, 0, 1, SEG_OFF, SEG_PADDR, SEG_MEMSZ + 1, SEG_MEMSZ, 0);
	refused(t, -ENOEXEC, "segment 0: 12289 bytes at file offset 0x1000");
	/* Past the end of the file, and wrapping around. */
	set_phdr(t, 0, 1, SEG_OFF, SEG_PADDR, 0x2001, SEG_MEMSZ, 0);
	refused(t, -ENOEXEC, "not within the file and segment");
	set_phdr(t, 0, 1, 0xffffffffffffff00ull, SEG_PADDR, 0x200, SEG_MEMSZ,
		 0);
	refused(t, -ENOEXEC, "not within the file and segment");

	set_phdr(t, 0, 1, SEG_OFF, 0x9f000, SEG_FILESZ, SEG_MEMSZ, 0);
	refused(t, -ENOEXEC,
		"segment 0 at 0x9f000 (12288 bytes) is not between 1 MiB and 4 GiB");
	set_phdr(t, 0, 1, SEG_OFF, 0x100000000ull, SEG_FILESZ, SEG_MEMSZ, 0);
	refused(t, -ENOEXEC, "is not between 1 MiB and 4 GiB");
	set_phdr(t, 0, 1, SEG_OFF, 0xfffffffffffff000ull, SEG_FILESZ, SEG_MEMSZ,
		 0);
	refused(t, -ENOEXEC, "is not between 1 MiB and 4 GiB");
	set_phdr(t, 0, 1, SEG_OFF, 0xfffff000ull, SEG_FILESZ, SEG_MEMSZ, 0);
	refused(t, -ENOEXEC, "is not between 1 MiB and 4 GiB");

	set_phdr(t, 0, 1, SEG_OFF, 0x3ffe000, SEG_FILESZ, SEG_MEMSZ, 0);
	refused(t, -E2BIG,
		"vmlinux: segment 0 at 0x3ffe000-0x4000fff is outside the VM's 64 MiB of RAM below 4 GiB");
}

static void refuses_long_cmdline(void **state)
{
	struct t *t = *state;
	char *big = malloc(HVD_CMDLINE_MAX + 1);

	assert_non_null(big);
	memset(big, 'x', HVD_CMDLINE_MAX);
	big[HVD_CMDLINE_MAX] = 0;
	t->args.cmdline = big;
	refused(t, -EINVAL,
		"vmlinux: command line is 65536 bytes, at most 65535 fit");
	big[HVD_CMDLINE_MAX - 1] = 0;
	assert_int_equal(load(t), 0);
	assert_int_equal(*gpa(t, 0x20000 + HVD_CMDLINE_MAX - 1), 0);
	free(big);
}

static void refuses_initrd_that_does_not_fit(void **state)
{
	struct t *t = *state;

	/* Above the kernel's end (16 MiB + 12 KiB), up to 64 MiB: 48 MiB. */
	set_initrd(t, (48 << 20) - 0x3000 + 1);
	refused(t, -E2BIG,
		"vmlinux: initrd initrd.img of 48 MiB does not fit below "
		"0x4000000 above the kernel's 0x1003000");
	set_initrd(t, (48 << 20) - 0x3000);
	assert_int_equal(load(t), 0);
	assert_int_equal(get64(gpa(t, 0x9040)), 0x1003000);
}

/* Random junk in the headers and notes: never a crash or stray write. */
static void survives_random_headers(void **state)
{
	struct t *t = *state;
	uint8_t good[IMG_SIZE];
	uint32_t seed = 7;

	set_initrd(t, 0x5000);
	t->ram.size = t->ram.below_4g = 32ull << 20;
	for (int k = 0; k < 2; k++) {
		build_image(t, k);
		memcpy(good, t->img, IMG_SIZE);
		for (int i = 0; i < 20000; i++) {
			memcpy(t->img, good, IMG_SIZE);
			for (int j = 0; j < 6; j++) {
				seed = seed * 1103515245 + 12345;
				t->img[(seed >> 8) % 0x280] = seed >> 24;
			}
			t->img_size = (seed >> 4) % (IMG_SIZE + 1);
			if (load(t) == 0)
				assert_int_equal(t->out.rbx, HVD_BOOT_INFO);
			else
				assert_true(strlen(t->err) > 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(loads_elf64_with_initrd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(loads_elf32_without_initrd,
						setup, teardown),
		cmocka_unit_test_setup_teardown(finds_the_note_in_sections,
						setup, teardown),
		cmocka_unit_test_setup_teardown(is_pvh_needs_the_note, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_what_is_no_x86_elf,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_elf_without_the_note,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_entries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_program_headers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_segments, setup,
						teardown),
		cmocka_unit_test_setup_teardown(refuses_long_cmdline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			refuses_initrd_that_does_not_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(survives_random_headers, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("boot_pvh", tests, NULL, NULL);
}
