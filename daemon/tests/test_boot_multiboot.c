// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the multiboot loader (daemon/boot/multiboot.c, compiled in
 * as is) on synthetic images: an ELF32 higher-half kernel and a.out-kludge
 * images are loaded into guest RAM pre-filled with junk, and the bytes at
 * the load addresses, the zeroed bss, the boot module, the Multiboot
 * information structure (Multiboot Specification 0.6.96, 3.3) and the entry
 * state (3.2) are checked against values written out here. Refusals
 * (header, flags, address fields, ELF, sizes) are checked for their errno
 * and message, and for leaving RAM untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot/boot.h"

#define RAM_SIZE (64u << 20)
#define JUNK 0xaa

#define MB_MAGIC 0x1badb002u
#define F_ALIGN (1u << 0)
#define F_MEM (1u << 1)
#define F_VIDEO (1u << 2)
#define F_AOUT (1u << 16)

static uint8_t *ram_buf;
static struct hvd_ram ram;

/* Big enough for every image here, header beyond 8 KiB included. */
static uint8_t img_buf[0x4000];

static int setup(void **state)
{
	(void)state;
	ram_buf = malloc(RAM_SIZE);
	if (!ram_buf)
		return -1;
	ram = (struct hvd_ram){ ram_buf, RAM_SIZE, RAM_SIZE };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram_buf);
	return 0;
}

static int fresh(void **state)
{
	(void)state;
	memset(ram_buf, JUNK, RAM_SIZE);
	memset(img_buf, 0, sizeof(img_buf));
	return 0;
}

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

static uint32_t get32(uint64_t gpa)
{
	const uint8_t *p = ram_buf + gpa;

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(uint64_t gpa)
{
	return get32(gpa) | (uint64_t)get32(gpa + 4) << 32;
}

/* The three mandatory words (3.1.1). */
static void mb_header(uint8_t *p, uint32_t flags)
{
	put32(p, MB_MAGIC);
	put32(p + 4, flags);
	put32(p + 8, -(MB_MAGIC + flags));
}

/* The a.out kludge address fields (3.1.3). */
static void mb_aout(uint8_t *p, uint32_t header, uint32_t load,
		    uint32_t load_end, uint32_t bss_end, uint32_t entry)
{
	put32(p + 12, header);
	put32(p + 16, load);
	put32(p + 20, load_end);
	put32(p + 24, bss_end);
	put32(p + 28, entry);
}

/* A recognisable byte for file offset @i. */
static uint8_t pat(size_t i)
{
	return (uint8_t)(i * 7 + 1) | 0x01;
}

static void fill_pattern(size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		img_buf[i] = pat(i);
}

/*
 * An ELF32 kernel linked at 0xc0100000 and loaded at 1 MiB: segment 0 is
 * 0x100 bytes of file at 0x1000 with 0x2000 bytes in memory (bss), then a
 * PT_NOTE to be ignored, then segment 2, 0x80 bytes at 3 MiB. The
 * multiboot header is at 0x1000, inside segment 0.
 */
#define ELF_SIZE 0x1180

static void phdr(unsigned int i, uint32_t type, uint32_t off, uint32_t vaddr,
		 uint32_t paddr, uint32_t filesz, uint32_t memsz)
{
	uint8_t *ph = img_buf + 52 + 32 * i;

	put32(ph, type);
	put32(ph + 4, off);
	put32(ph + 8, vaddr);
	put32(ph + 12, paddr);
	put32(ph + 16, filesz);
	put32(ph + 20, memsz);
	put32(ph + 24, 5);
	put32(ph + 28, 0x1000);
}

static struct hvd_image make_elf(uint32_t mb_flags)
{
	static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };

	memset(img_buf, 0, sizeof(img_buf));
	memcpy(img_buf, ident, sizeof(ident));
	put16(img_buf + 16, 2); /* ET_EXEC */
	put16(img_buf + 18, 3); /* EM_386 */
	put32(img_buf + 20, 1);
	put32(img_buf + 24, 0xc0100020); /* e_entry, virtual */
	put32(img_buf + 28, 52); /* e_phoff */
	put16(img_buf + 40, 52);
	put16(img_buf + 42, 32);
	put16(img_buf + 44, 3);
	phdr(0, 1, 0x1000, 0xc0100000, 0x100000, 0x100, 0x2000);
	phdr(1, 4, 0x1100, 0, 0, 0x10, 0x10);
	phdr(2, 1, 0x1100, 0xc0300000, 0x300000, 0x80, 0x80);
	fill_pattern(0x1000, ELF_SIZE);
	mb_header(img_buf + 0x1000, mb_flags);
	return (struct hvd_image){ img_buf, ELF_SIZE, "kernel.elf" };
}

/*
 * An a.out-kludge image: header at file offset 0x40 loading at 0x200040,
 * so the file from 0 loads at 0x200000, 0x400 bytes of it, bss to
 * 0x201000, entry 0x200080. The file's last 0x200 bytes are not loaded.
 */
#define AOUT_SIZE 0x600

static struct hvd_image make_aout(uint32_t flags)
{
	memset(img_buf, 0, sizeof(img_buf));
	fill_pattern(0, AOUT_SIZE);
	mb_header(img_buf + 0x40, flags | F_AOUT);
	mb_aout(img_buf + 0x40, 0x200040, 0x200000, 0x200400, 0x201000,
		0x200080);
	return (struct hvd_image){ img_buf, AOUT_SIZE, "kernel.aout" };
}

static const uint8_t initrd_data[5000] = { 0x11, 0x22, 0x33, [4999] = 0x99 };

static struct hvd_boot_args args_for(struct hvd_image kernel, int initrd)
{
	struct hvd_boot_args a = {
		.kernel = kernel,
		.cmdline = "console=ttyS0 root=/dev/ram0",
		.nr_vcpus = 1,
	};

	if (initrd)
		a.initrd = (struct hvd_image){ initrd_data, sizeof(initrd_data),
					       "initrd.img" };
	return a;
}

static void load_ok(const struct hvd_boot_args *a, struct hvd_boot *out)
{
	char err[256] = "";
	int ret = hvd_load_multiboot(&ram, a, out, err, sizeof(err));

	if (ret)
		fail_msg("hvd_load_multiboot: %d: %s", ret, err);
}

static void entry_state(const struct hvd_boot *b, uint64_t rip)
{
	assert_int_equal(b->mode, HVD_BOOT_PROT32);
	assert_int_equal(b->rip, rip);
	assert_int_equal(b->rax, 0x2badb002);
	assert_int_equal(b->rbx, 0x9000);
	assert_int_equal(b->rsp, 0x9000);
	assert_int_equal(b->rsi, 0);
	assert_string_equal(b->kind, "multiboot");
}

static void bytes_of_file(uint64_t gpa, size_t off, size_t len)
{
	assert_memory_equal(ram_buf + gpa, img_buf + off, len);
}

static void all(uint64_t gpa, uint8_t v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (ram_buf[gpa + i] != v)
			fail_msg("0x%llx: 0x%02x, want 0x%02x",
				 (unsigned long long)(gpa + i),
				 ram_buf[gpa + i], v);
}

/* The MBI (3.3) for 64 MiB of RAM, with or without the module. */
static void mbi(int with_initrd)
{
	/* The E820 map of 64 MiB, as the size-prefixed entries of 3.3. */
	static const struct {
		uint64_t addr, len;
		uint32_t type;
	} mmap[] = {
		{ 0, 0x9fc00, 1 }, /* below the EBDA */
		{ 0x9fc00, 0x60400, 2 }, /* EBDA, BIOS, ACPI tables */
		{ 0x100000, 0x3f00000, 1 }, /* 1 MiB to the end */
		{ 0xfec00000, 0x1000, 2 }, /* IOAPIC */
		{ 0xfee00000, 0x1000, 2 }, /* local APIC */
	};
	uint64_t m = 0x9000, e;
	size_t i;

	/* MEM, CMDLINE, MMAP, BOOT_LOADER_NAME; MODS with the initrd. */
	assert_int_equal(get32(m), with_initrd ? 0x24d : 0x245);
	assert_int_equal(get32(m + 4), 639);
	assert_int_equal(get32(m + 8), 64512);
	assert_int_equal(get32(m + 12), 0); /* boot_device */
	assert_int_equal(get32(m + 16), 0x20000);
	assert_string_equal((char *)ram_buf + 0x20000,
			    "console=ttyS0 root=/dev/ram0");
	if (with_initrd) {
		assert_int_equal(get32(m + 20), 1);
		assert_int_equal(get32(m + 24), 0x30000);
		/* 64 MiB - 5000, rounded down to a page. */
		assert_int_equal(get32(0x30000), 0x3ffe000);
		assert_int_equal(get32(0x30004), 0x3ffe000 + 5000);
		assert_int_equal(get32(0x30008), 0x30010);
		assert_int_equal(get32(0x3000c), 0);
		assert_string_equal((char *)ram_buf + 0x30010, "initrd.img");
		assert_memory_equal(ram_buf + 0x3ffe000, initrd_data,
				    sizeof(initrd_data));
		/* Nothing written past the module. */
		all(0x3ffe000 + 5000, JUNK, 0x4000000 - 0x3ffe000 - 5000);
	} else {
		assert_int_equal(get32(m + 20), 0);
		assert_int_equal(get32(m + 24), 0);
		all(0x30000, JUNK, 0x20);
	}
	all(m + 28, 0, 16); /* syms */
	assert_int_equal(get32(m + 44), 5 * 24);
	assert_int_equal(get32(m + 48), 0x9080);
	all(m + 52, 0, 12); /* drives, config_table */
	assert_string_equal((char *)ram_buf + get32(m + 64), "hvd");
	all(m + 68, 0, 116 - 68); /* APM, VBE, framebuffer */
	for (i = 0, e = 0x9080; i < 5; i++, e += 24) {
		assert_int_equal(get32(e), 20);
		assert_int_equal(get64(e + 4), mmap[i].addr);
		assert_int_equal(get64(e + 12), mmap[i].len);
		assert_int_equal(get32(e + 20), mmap[i].type);
	}
}

static void detects_headers(void **state)
{
	struct hvd_image img;

	(void)state;
	img = make_elf(F_ALIGN | F_MEM);
	assert_true(hvd_is_multiboot(&img));
	img = make_aout(0);
	assert_true(hvd_is_multiboot(&img));
	/* At 8180 the three words end at 8192: still found. */
	memset(img_buf, 0, sizeof(img_buf));
	mb_header(img_buf + 8180, 0);
	img = (struct hvd_image){ img_buf, 8192, "k" };
	assert_true(hvd_is_multiboot(&img));
	/* ... but not cut off by the end of the file. */
	img.size = 8190;
	assert_false(hvd_is_multiboot(&img));
	/* Not 32-bit aligned. */
	memset(img_buf, 0, sizeof(img_buf));
	mb_header(img_buf + 0x42, 0);
	img.size = 0x100;
	assert_false(hvd_is_multiboot(&img));
	img.data = NULL;
	img.size = 0;
	assert_false(hvd_is_multiboot(&img));
}

static void elf_with_initrd(void **state)
{
	struct hvd_boot_args a = args_for(make_elf(F_ALIGN | F_MEM), 1);
	struct hvd_boot b;

	(void)state;
	load_ok(&a, &b);
	/* e_entry 0xc0100020 is in segment 0's virtual range. */
	entry_state(&b, 0x100020);
	bytes_of_file(0x100000, 0x1000, 0x100);
	all(0x100100, 0, 0x2000 - 0x100); /* bss */
	all(0x102000, JUNK, 0x100);
	bytes_of_file(0x300000, 0x1100, 0x80);
	all(0x300080, JUNK, 0x80);
	all(0xfff00, JUNK, 0x100);
	mbi(1);
}

static void elf_without_initrd_entry_physical(void **state)
{
	struct hvd_boot_args a = args_for(make_elf(0), 0);
	struct hvd_boot b;

	(void)state;
	/* Identity-linked: vaddr == paddr, an entry in segment 2. */
	put32(img_buf + 52 + 8, 0x100000);
	put32(img_buf + 52 + 64 + 8, 0x300000);
	put32(img_buf + 24, 0x300010);
	a.cmdline = NULL;
	load_ok(&a, &b);
	entry_state(&b, 0x300010);
	assert_int_equal(get32(0x9000), 0x245);
	assert_int_equal(get32(0x9000 + 16), 0x20000);
	assert_int_equal(ram_buf[0x20000], 0);
}

static void aout_kludge(void **state)
{
	struct hvd_boot_args a = args_for(make_aout(F_MEM), 1);
	struct hvd_boot b;

	(void)state;
	load_ok(&a, &b);
	entry_state(&b, 0x200080);
	bytes_of_file(0x200000, 0, 0x400);
	all(0x200400, 0, 0xc00); /* bss */
	all(0x201000, JUNK, 0x100);
	all(0x1fff00, JUNK, 0x100);
	assert_int_equal(get32(0x200040), MB_MAGIC);
	mbi(1);
}

static void aout_whole_file_no_bss(void **state)
{
	struct hvd_boot_args a = args_for(make_aout(0), 0);
	struct hvd_boot b;

	(void)state;
	/*
	 * header_addr - load_addr = 0x20: the file from offset 0x20 on loads
	 * at 0x200000, to the end (load_end_addr 0), no bss (bss_end_addr 0).
	 */
	mb_aout(img_buf + 0x40, 0x200020, 0x200000, 0, 0, 0x2005df);
	load_ok(&a, &b);
	entry_state(&b, 0x2005df);
	bytes_of_file(0x200000, 0x20, AOUT_SIZE - 0x20);
	all(0x200000 + AOUT_SIZE - 0x20, JUNK, 0x100);
	mbi(0);
}

static void optional_flags_are_ignored(void **state)
{
	struct hvd_boot_args a = args_for(make_aout(F_ALIGN | (1u << 17)), 0);
	struct hvd_boot b;

	(void)state;
	load_ok(&a, &b);
	entry_state(&b, 0x200080);
}

/* A refusal: its errno, its exact message, and RAM left as it was. */
static void refused(const struct hvd_boot_args *a, int want, const char *msg)
{
	struct hvd_boot b = { .rip = 0x1234 };
	char err[256] = "";
	int ret = hvd_load_multiboot(&ram, a, &b, err, sizeof(err));

	if (ret != want)
		fail_msg("returned %d, want %d (%s)", ret, want, err);
	assert_string_equal(err, msg);
	assert_int_equal(b.rip, 0x1234);
	all(0x100000, JUNK, 0x2000);
	all(0x200000, JUNK, 0x2000);
	all(0x9000, JUNK, 0x200);
	all(0x20000, JUNK, 0x10);
}

static void refuses_bad_headers(void **state)
{
	struct hvd_boot_args a = args_for(make_aout(0), 1);

	(void)state;
	put32(img_buf + 0x48, 1 - (MB_MAGIC + F_AOUT));
	refused(&a, -ENOEXEC,
		"kernel.aout: the multiboot header at 0x40 has a bad checksum");
	assert_false(hvd_is_multiboot(&a.kernel));

	/* A header at 8192 is beyond the search. */
	memset(img_buf, 0, sizeof(img_buf));
	mb_header(img_buf + 8192, F_AOUT);
	a.kernel.size = 8192 + 0x100;
	assert_false(hvd_is_multiboot(&a.kernel));
	refused(&a, -ENOEXEC,
		"kernel.aout: no multiboot header in the first 8192 bytes");

	/* The mandatory words fit; the address fields do not. */
	memset(img_buf, 0, sizeof(img_buf));
	mb_header(img_buf + 8180, F_AOUT);
	a.kernel.size = 8192 + 0x100;
	assert_true(hvd_is_multiboot(&a.kernel));
	refused(&a, -ENOEXEC,
		"kernel.aout: the multiboot header at 0x1ff4 ends past the first 8192 bytes");
	a.kernel.size = 8192;
	refused(&a, -ENOEXEC,
		"kernel.aout: the multiboot header at 0x1ff4 ends past the first 8192 bytes");
	a.kernel.size = 8190;
	refused(&a, -ENOEXEC,
		"kernel.aout: no multiboot header in the first 8192 bytes");
}

static void refuses_required_flags(void **state)
{
	struct hvd_boot_args a;

	(void)state;
	a = args_for(make_aout(F_VIDEO), 0);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot flags 0x10004 require a video mode (bit 2); hvd has no display");
	a = args_for(make_elf(F_MEM | (1u << 3)), 0);
	refused(&a, -ENOEXEC,
		"kernel.elf: multiboot flags 0xa require features hvd does not know (0x8)");
	a = args_for(make_elf(1u << 15), 0);
	refused(&a, -ENOEXEC,
		"kernel.elf: multiboot flags 0x8000 require features hvd does not know (0x8000)");
}

static void refuses_bad_aout_fields(void **state)
{
	struct hvd_boot_args a = args_for(make_aout(0), 0);
	uint8_t *h = img_buf + 0x40;

	(void)state;
	mb_aout(h, 0x200040, 0x200000, 0x1ffff0, 0, 0x200080);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot load_end_addr 0x1ffff0 is not above load_addr 0x200000");
	mb_aout(h, 0x200040, 0x200000, 0x200000, 0, 0x200080);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot load_end_addr 0x200000 is not above load_addr 0x200000");
	mb_aout(h, 0x200040, 0x200000, 0x200601, 0, 0x200080);
	refused(&a, -ENOEXEC,
		"kernel.aout: truncated: multiboot load_end_addr 0x200601 needs 0x601 bytes from offset 0x0, the file has 0x600");
	mb_aout(h, 0x200040, 0x200041, 0, 0, 0x200080);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot header_addr 0x200040 is below load_addr 0x200041");
	mb_aout(h, 0x200040, 0x1fff00, 0, 0, 0x200080);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot load_addr 0x1fff00 would start 0x100 bytes before the file");
	mb_aout(h, 0x200040, 0x200000, 0x200400, 0x2003ff, 0x200080);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot bss_end_addr 0x2003ff is below the end of the loaded data 0x200400");
	mb_aout(h, 0x200040, 0x200000, 0x200400, 0, 0x200400);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot entry_addr 0x200400 is outside the loaded 0x200000-0x200400");
	mb_aout(h, 0x200040, 0x200000, 0x200400, 0, 0x1fffff);
	refused(&a, -ENOEXEC,
		"kernel.aout: multiboot entry_addr 0x1fffff is outside the loaded 0x200000-0x200400");
	/* bss past the end of RAM, and a load below 1 MiB. */
	mb_aout(h, 0x200040, 0x200000, 0x200400, 0x4000001, 0x200080);
	refused(&a, -E2BIG,
		"kernel.aout: the image at 0x200000-0x4000001 is outside guest RAM");
	mb_aout(h, 0xfffff040, 0xfffff000, 0, 0xffffffff, 0xfffff080);
	refused(&a, -E2BIG,
		"kernel.aout: the image at 0xfffff000-0xffffffff is outside guest RAM");
	mb_aout(h, 0x90040, 0x90000, 0x90400, 0, 0x90080);
	refused(&a, -ENOEXEC,
		"kernel.aout: the image at 0x90000 is below 1 MiB, where hvd keeps its boot data");
}

static void refuses_bad_elf(void **state)
{
	struct hvd_boot_args a;

	(void)state;
	/* Neither ELF nor a.out kludge. */
	a = args_for(make_elf(0), 0);
	img_buf[0] = 0;
	refused(&a, -ENOEXEC,
		"kernel.elf: neither ELF32 little-endian nor multiboot a.out kludge (flags bit 16)");
	a = args_for(make_elf(0), 0);
	img_buf[4] = 2; /* ELFCLASS64 */
	refused(&a, -ENOEXEC,
		"kernel.elf: neither ELF32 little-endian nor multiboot a.out kludge (flags bit 16)");
	a = args_for(make_elf(0), 0);
	put16(img_buf + 18, 62); /* EM_X86_64 */
	refused(&a, -ENOEXEC,
		"kernel.elf: ELF type 2 machine 62, not an i386 executable");
	a = args_for(make_elf(0), 0);
	put16(img_buf + 44, 0);
	refused(&a, -ENOEXEC,
		"kernel.elf: ELF program headers of 32 bytes, 0 of them");

	/* Truncated: the program headers, then a segment's bytes. */
	a = args_for(make_elf(0), 0);
	put32(img_buf + 28, ELF_SIZE - 0x40);
	refused(&a, -ENOEXEC,
		"kernel.elf: truncated: ELF program headers at 0x1140 run past the end");
	a = args_for(make_elf(0), 0);
	a.kernel.size = 0x1170;
	refused(&a, -ENOEXEC,
		"kernel.elf: truncated: ELF segment 2 at offset 0x1100+0x80 runs past the end");

	/* A segment outside RAM, or below 1 MiB. */
	a = args_for(make_elf(0), 0);
	put32(img_buf + 52 + 64 + 12, 0x10000000);
	refused(&a, -E2BIG,
		"kernel.elf: an ELF segment at 0x10000000-0x10000080 is outside guest RAM");
	a = args_for(make_elf(0), 0);
	put32(img_buf + 52 + 64 + 12, 0x3ffffc0);
	refused(&a, -E2BIG,
		"kernel.elf: an ELF segment at 0x3ffffc0-0x4000040 is outside guest RAM");
	a = args_for(make_elf(0), 0);
	put32(img_buf + 52 + 12, 0x8000);
	refused(&a, -ENOEXEC,
		"kernel.elf: an ELF segment at 0x8000 is below 1 MiB, where hvd keeps its boot data");

	a = args_for(make_elf(0), 0);
	put32(img_buf + 52 + 16, 0x2001);
	refused(&a, -ENOEXEC,
		"kernel.elf: ELF segment 0 has 0x2001 bytes in the file, more than its 0x2000 in memory");
	a = args_for(make_elf(0), 0);
	put32(img_buf + 24, 0xc0102000);
	refused(&a, -ENOEXEC,
		"kernel.elf: ELF entry point 0xc0102000 is in no loaded segment");
	a = args_for(make_elf(0), 0);
	put32(img_buf + 52, 6);
	put32(img_buf + 52 + 64, 6);
	refused(&a, -ENOEXEC, "kernel.elf: no ELF segment to load");
}

static void refuses_what_does_not_fit(void **state)
{
	static char long_cmdline[0x10001];
	struct hvd_boot_args a;

	(void)state;
	a = args_for(make_elf(0), 1);
	a.initrd.size = RAM_SIZE - 0x300080 + 1;
	refused(&a, -E2BIG,
		"kernel.elf: initrd initrd.img of 0x3cfff81 bytes does not fit between the kernel's end 0x300080 and the end of RAM 0x4000000");
	/* It fits, but not once rounded down to a page. */
	a.initrd.size = RAM_SIZE - 0x300080;
	refused(&a, -E2BIG,
		"kernel.elf: initrd initrd.img of 0x3cfff80 bytes does not fit page-aligned above the kernel's end 0x300080");

	a = args_for(make_elf(0), 0);
	memset(long_cmdline, 'x', 0x10000);
	a.cmdline = long_cmdline;
	refused(&a, -EINVAL,
		"kernel.elf: command line longer than 65535 bytes");
	long_cmdline[0xffff] = 0;
	fresh(state);
	a = args_for(make_elf(0), 0);
	a.cmdline = long_cmdline;
	{
		struct hvd_boot b;

		load_ok(&a, &b);
		assert_int_equal(strlen((char *)ram_buf + 0x20000), 0xffff);
	}

	/* RAM that ends below the kernel. */
	fresh(state);
	a = args_for(make_elf(0), 0);
	{
		struct hvd_ram tiny = { ram_buf, 0x8000, 0x8000 };
		struct hvd_boot b;
		char err[256] = "";

		assert_int_equal(hvd_load_multiboot(&tiny, &a, &b, err,
						    sizeof(err)),
				 -E2BIG);
		assert_string_equal(
			err,
			"kernel.elf: an ELF segment at 0x100000-0x102000 is outside guest RAM");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(detects_headers, fresh),
		cmocka_unit_test_setup(elf_with_initrd, fresh),
		cmocka_unit_test_setup(elf_without_initrd_entry_physical,
				       fresh),
		cmocka_unit_test_setup(aout_kludge, fresh),
		cmocka_unit_test_setup(aout_whole_file_no_bss, fresh),
		cmocka_unit_test_setup(optional_flags_are_ignored, fresh),
		cmocka_unit_test_setup(refuses_bad_headers, fresh),
		cmocka_unit_test_setup(refuses_required_flags, fresh),
		cmocka_unit_test_setup(refuses_bad_aout_fields, fresh),
		cmocka_unit_test_setup(refuses_bad_elf, fresh),
		cmocka_unit_test_setup(refuses_what_does_not_fit, fresh),
	};

	return cmocka_run_group_tests_name("boot_multiboot", tests, setup,
					   teardown);
}
