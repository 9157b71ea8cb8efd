// SPDX-License-Identifier: GPL-2.0
/*
 * The multiboot (version 1) loader: finds the header (Multiboot
 * Specification 0.6.96, 3.1), loads the image by its a.out-kludge address
 * fields or as an ELF32 executable, passes the initrd as the one boot
 * module and builds the Multiboot information structure (3.3) that the
 * kernel finds in EBX on entry in 32-bit protected mode (3.2).
 *
 * Every field of the image is checked against the file and guest RAM before
 * the first byte is written, so a refused image leaves RAM as it was. All
 * arithmetic on the image's 32-bit fields is done in 64 bits, where it
 * cannot wrap.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "boot.h"
#include "devmodel.h"

#define MB_MAGIC 0x1badb002u
#define MB_BOOT_MAGIC 0x2badb002u /* EAX on entry, 3.2 */
#define MB_SEARCH 8192 /* 3.1: header within this */
#define MB_HDR_LEN 12 /* magic, flags, checksum */
#define MB_HDR_AOUT_LEN 32 /* ... and the address fields */

/* Header flags, 3.1.2. Bits 0-15 are required: refuse what is not met. */
#define MB_F_PAGE_ALIGN (1u << 0)
#define MB_F_MEMINFO (1u << 1)
#define MB_F_VIDEO (1u << 2)
#define MB_F_REQUIRED 0xffffu
#define MB_F_AOUT_KLUDGE (1u << 16)

/* Multiboot information flags, 3.3. */
#define MBI_MEM (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)
#define MBI_LOADER_NAME (1u << 9)
#define MBI_LEN 116 /* through the framebuffer fields */

/* Where the pieces go in the boot information area (boot.h). */
#define MBI_ADDR HVD_BOOT_INFO
#define MMAP_ADDR (HVD_BOOT_INFO + 0x80)
#define MMAP_ENTRY_LEN 24 /* the size field, then 20 bytes */
#define LOADER_NAME_ADDR (MMAP_ADDR + HVD_E820_MAX * MMAP_ENTRY_LEN)
#define LOADER_NAME "hvd"
#define MODS_ADDR HVD_BOOT_FREE
#define MOD_LEN 16
#define MOD_STRING_ADDR (MODS_ADDR + MOD_LEN)

#define PAGE_SIZE 0x1000ull
#define GIB4 0x100000000ull

/* ELF32, System V ABI and its i386 supplement. */
#define EHDR_LEN 52
#define PHDR_LEN 32
#define ET_EXEC 2
#define EM_386 3
#define PT_LOAD 1

/**
 * struct mb_header - the multiboot header as found in the image
 * @off: its file offset
 * @flags: its flags
 * @header_addr: a.out kludge: where the header itself loads
 * @load_addr: a.out kludge: where the loaded text starts
 * @load_end_addr: a.out kludge: end of the loaded data, or 0 for the file
 * @bss_end_addr: a.out kludge: end of the bss, or 0 for none
 * @entry_addr: a.out kludge: the entry point
 */
struct mb_header {
	uint64_t off;
	uint32_t flags;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
};

/**
 * struct mb_layout - where the kernel goes, worked out before loading
 * @entry: guest-physical entry point
 * @end: end of the highest byte the kernel occupies (bss included)
 */
struct mb_layout {
	uint64_t entry;
	uint64_t end;
};

static const char *img_name(const struct hvd_image *img)
{
	return img->name ? img->name : "kernel";
}

/*
 * The first header with a valid checksum at a 32-bit boundary whose three
 * mandatory words lie within the first 8192 bytes (3.1). -EBADMSG, with
 * @off at it, if only headers with a bad checksum were seen.
 */
static int find_header(const struct hvd_image *img, uint64_t *off)
{
	uint64_t limit, o;
	int ret = -ENOENT;

	if (!img->data)
		return -ENOENT;
	limit = img->size < MB_SEARCH ? img->size : MB_SEARCH;
	for (o = 0; o + MB_HDR_LEN <= limit; o += 4) {
		const uint8_t *p = img->data + o;
		uint32_t flags;

		if (hvd_get32(p) != MB_MAGIC)
			continue;
		flags = hvd_get32(p + 4);
		if ((uint32_t)(MB_MAGIC + flags + hvd_get32(p + 8)) == 0) {
			*off = o;
			return 0;
		}
		if (ret == -ENOENT)
			*off = o;
		ret = -EBADMSG;
	}
	return ret;
}

/**
 * hvd_is_multiboot() - whether an image carries a multiboot header
 * @img: the image
 *
 * Return: 1 if a header with a valid checksum lies 32-bit aligned within
 * its first 8192 bytes, else 0.
 */
int hvd_is_multiboot(const struct hvd_image *img)
{
	uint64_t off;

	return find_header(img, &off) == 0;
}

/*
 * Kernels go at 1 MiB or above (boot.h): below is the boot data this
 * loader writes, which a kernel there would overwrite or be overwritten by.
 */
static int check_ram(const struct hvd_ram *ram, const struct hvd_image *img,
		     const char *what, uint64_t addr, uint64_t len, char *err,
		     size_t errlen)
{
	if (addr < HVD_HIGH_START) {
		hvd_boot_err(
			err, errlen,
			"%s: %s at 0x%llx is below 1 MiB, where hvd keeps its boot data",
			img_name(img), what, (unsigned long long)addr);
		return -ENOEXEC;
	}
	if (!hvd_ram_ptr(ram, addr, len)) {
		hvd_boot_err(err, errlen,
			     "%s: %s at 0x%llx-0x%llx is outside guest RAM",
			     img_name(img), what, (unsigned long long)addr,
			     (unsigned long long)(addr + len));
		return -E2BIG;
	}
	return 0;
}

/* Copy @filesz bytes of the file to @addr and zero up to @memsz. */
static void load_segment(const struct hvd_ram *ram, uint64_t addr,
			 const uint8_t *src, uint64_t filesz, uint64_t memsz)
{
	uint8_t *dst = hvd_ram_ptr(ram, addr, memsz);

	memcpy(dst, src, filesz);
	memset(dst + filesz, 0, memsz - filesz);
}

/*
 * The a.out kludge (3.1.3): the file from header offset - (header_addr -
 * load_addr) on is the image, loaded at load_addr.
 */
static int load_aout(const struct hvd_ram *ram, const struct hvd_image *img,
		     const struct mb_header *h, struct mb_layout *lay,
		     int commit, char *err, size_t errlen)
{
	const char *name = img_name(img);
	uint64_t delta, foff, load_len, mem_end;
	int ret;

	if (h->header_addr < h->load_addr) {
		hvd_boot_err(
			err, errlen,
			"%s: multiboot header_addr 0x%x is below load_addr 0x%x",
			name, h->header_addr, h->load_addr);
		return -ENOEXEC;
	}
	delta = (uint64_t)h->header_addr - h->load_addr;
	if (delta > h->off) {
		hvd_boot_err(
			err, errlen,
			"%s: multiboot load_addr 0x%x would start 0x%llx bytes before the file",
			name, h->load_addr,
			(unsigned long long)(delta - h->off));
		return -ENOEXEC;
	}
	foff = h->off - delta;
	if (!h->load_end_addr) {
		load_len = img->size - foff;
	} else if (h->load_end_addr <= h->load_addr) {
		hvd_boot_err(
			err, errlen,
			"%s: multiboot load_end_addr 0x%x is not above load_addr 0x%x",
			name, h->load_end_addr, h->load_addr);
		return -ENOEXEC;
	} else {
		load_len = (uint64_t)h->load_end_addr - h->load_addr;
		if (load_len > img->size - foff) {
			hvd_boot_err(
				err, errlen,
				"%s: truncated: multiboot load_end_addr 0x%x needs 0x%llx bytes from offset 0x%llx, the file has 0x%llx",
				name, h->load_end_addr,
				(unsigned long long)load_len,
				(unsigned long long)foff,
				(unsigned long long)(img->size - foff));
			return -ENOEXEC;
		}
	}
	mem_end = h->load_addr + load_len;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < mem_end) {
			hvd_boot_err(
				err, errlen,
				"%s: multiboot bss_end_addr 0x%x is below the end of the loaded data 0x%llx",
				name, h->bss_end_addr,
				(unsigned long long)mem_end);
			return -ENOEXEC;
		}
		mem_end = h->bss_end_addr;
	}
	ret = check_ram(ram, img, "the image", h->load_addr,
			mem_end - h->load_addr, err, errlen);
	if (ret)
		return ret;
	if (h->entry_addr < h->load_addr ||
	    h->entry_addr - h->load_addr >= load_len) {
		hvd_boot_err(
			err, errlen,
			"%s: multiboot entry_addr 0x%x is outside the loaded 0x%x-0x%llx",
			name, h->entry_addr, h->load_addr,
			(unsigned long long)(h->load_addr + load_len));
		return -ENOEXEC;
	}
	lay->entry = h->entry_addr;
	lay->end = mem_end;
	if (commit)
		load_segment(ram, h->load_addr, img->data + foff, load_len,
			     mem_end - h->load_addr);
	return 0;
}

static int elf_header(const struct hvd_image *img, char *err, size_t errlen)
{
	static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 1, 1 };
	const uint8_t *e = img->data;
	const char *name = img_name(img);

	if (img->size < EHDR_LEN || memcmp(e, ident, sizeof(ident))) {
		hvd_boot_err(
			err, errlen,
			"%s: neither ELF32 little-endian nor multiboot a.out kludge (flags bit 16)",
			name);
		return -ENOEXEC;
	}
	if (hvd_get16(e + 16) != ET_EXEC || hvd_get16(e + 18) != EM_386) {
		hvd_boot_err(
			err, errlen,
			"%s: ELF type %u machine %u, not an i386 executable",
			name, hvd_get16(e + 16), hvd_get16(e + 18));
		return -ENOEXEC;
	}
	if (hvd_get16(e + 42) < PHDR_LEN || !hvd_get16(e + 44)) {
		hvd_boot_err(err, errlen,
			     "%s: ELF program headers of %u bytes, %u of them",
			     name, hvd_get16(e + 42), hvd_get16(e + 44));
		return -ENOEXEC;
	}
	if (hvd_get32(e + 28) + (uint64_t)hvd_get16(e + 42) * hvd_get16(e + 44) >
	    img->size) {
		hvd_boot_err(
			err, errlen,
			"%s: truncated: ELF program headers at 0x%x run past the end",
			name, hvd_get32(e + 28));
		return -ENOEXEC;
	}
	return 0;
}

/*
 * ELF32 (3.1.3: used when flags bit 16 is clear): every PT_LOAD segment at
 * its physical address. The entry is e_entry, translated from the virtual
 * to the physical address space if it falls in a segment's virtual range,
 * as GRUB does, so that higher-half kernels linked with AT() load addresses
 * boot as they do there.
 */
static int load_elf(const struct hvd_ram *ram, const struct hvd_image *img,
		    struct mb_layout *lay, int commit, char *err, size_t errlen)
{
	const uint8_t *e = img->data;
	const char *name = img_name(img);
	unsigned int i, phentsize, phnum, loads = 0;
	uint32_t entry, phoff;
	int ret, found = 0;

	ret = elf_header(img, err, errlen);
	if (ret)
		return ret;
	entry = hvd_get32(e + 24);
	phoff = hvd_get32(e + 28);
	phentsize = hvd_get16(e + 42);
	phnum = hvd_get16(e + 44);
	lay->end = 0;
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = e + phoff + (uint64_t)i * phentsize;
		uint64_t offset = hvd_get32(ph + 4), vaddr = hvd_get32(ph + 8);
		uint64_t paddr = hvd_get32(ph + 12), filesz = hvd_get32(ph + 16);
		uint64_t memsz = hvd_get32(ph + 20);

		if (hvd_get32(ph) != PT_LOAD || !memsz)
			continue;
		loads++;
		if (filesz > memsz) {
			hvd_boot_err(
				err, errlen,
				"%s: ELF segment %u has 0x%llx bytes in the file, more than its 0x%llx in memory",
				name, i, (unsigned long long)filesz,
				(unsigned long long)memsz);
			return -ENOEXEC;
		}
		if (offset + filesz > img->size) {
			hvd_boot_err(
				err, errlen,
				"%s: truncated: ELF segment %u at offset 0x%llx+0x%llx runs past the end",
				name, i, (unsigned long long)offset,
				(unsigned long long)filesz);
			return -ENOEXEC;
		}
		ret = check_ram(ram, img, "an ELF segment", paddr, memsz, err,
				errlen);
		if (ret)
			return ret;
		if (!found && entry >= vaddr && entry - vaddr < memsz) {
			lay->entry = entry - vaddr + paddr;
			found = 1;
		}
		if (paddr + memsz > lay->end)
			lay->end = paddr + memsz;
		if (commit)
			load_segment(ram, paddr, img->data + offset, filesz,
				     memsz);
	}
	if (!loads) {
		hvd_boot_err(err, errlen, "%s: no ELF segment to load", name);
		return -ENOEXEC;
	}
	if (!found) {
		hvd_boot_err(err, errlen,
			     "%s: ELF entry point 0x%x is in no loaded segment",
			     name, entry);
		return -ENOEXEC;
	}
	return 0;
}

static int read_header(const struct hvd_image *img, struct mb_header *h,
		       char *err, size_t errlen)
{
	const char *name = img_name(img);
	const uint8_t *p;
	uint32_t req;
	int ret;

	ret = find_header(img, &h->off);
	if (ret == -EBADMSG) {
		hvd_boot_err(
			err, errlen,
			"%s: the multiboot header at 0x%llx has a bad checksum",
			name, (unsigned long long)h->off);
		return -ENOEXEC;
	}
	if (ret) {
		hvd_boot_err(err, errlen,
			     "%s: no multiboot header in the first %u bytes",
			     name, MB_SEARCH);
		return -ENOEXEC;
	}
	p = img->data + h->off;
	h->flags = hvd_get32(p + 4);
	/*
	 * A required feature the loader cannot provide is a refusal (3.1.2).
	 * hvd has no display, so a video mode (bit 2) cannot be honoured.
	 */
	req = h->flags & MB_F_REQUIRED;
	if (req & MB_F_VIDEO) {
		hvd_boot_err(
			err, errlen,
			"%s: multiboot flags 0x%x require a video mode (bit 2); hvd has no display",
			name, h->flags);
		return -ENOEXEC;
	}
	if (req & ~(MB_F_PAGE_ALIGN | MB_F_MEMINFO)) {
		hvd_boot_err(
			err, errlen,
			"%s: multiboot flags 0x%x require features hvd does not know (0x%x)",
			name, h->flags,
			req & ~(MB_F_PAGE_ALIGN | MB_F_MEMINFO));
		return -ENOEXEC;
	}
	if (!(h->flags & MB_F_AOUT_KLUDGE))
		return 0;
	if (h->off + MB_HDR_AOUT_LEN > MB_SEARCH ||
	    h->off + MB_HDR_AOUT_LEN > img->size) {
		hvd_boot_err(err, errlen,
			     "%s: the multiboot header at 0x%llx ends past %s",
			     name, (unsigned long long)h->off,
			     img->size < MB_SEARCH ? "the end of the file" :
						     "the first 8192 bytes");
		return -ENOEXEC;
	}
	h->header_addr = hvd_get32(p + 12);
	h->load_addr = hvd_get32(p + 16);
	h->load_end_addr = hvd_get32(p + 20);
	h->bss_end_addr = hvd_get32(p + 24);
	h->entry_addr = hvd_get32(p + 28);
	return 0;
}

static int load_kernel(const struct hvd_ram *ram, const struct hvd_image *img,
		       const struct mb_header *h, struct mb_layout *lay,
		       int commit, char *err, size_t errlen)
{
	if (h->flags & MB_F_AOUT_KLUDGE)
		return load_aout(ram, img, h, lay, commit, err, errlen);
	return load_elf(ram, img, lay, commit, err, errlen);
}

static void write_mmap(uint8_t *p, unsigned int n, const struct hvd_e820 *map)
{
	unsigned int i;

	for (i = 0; i < n; i++, p += MMAP_ENTRY_LEN) {
		/* size counts the bytes after itself (3.3). */
		hvd_put32(p, MMAP_ENTRY_LEN - 4);
		hvd_put64(p + 4, map[i].addr);
		hvd_put64(p + 12, map[i].size);
		hvd_put32(p + 20, map[i].type);
	}
}

/**
 * hvd_load_multiboot() - load a multiboot kernel and its boot information
 * @ram: guest RAM
 * @args: the kernel, its initrd (passed as the one module), the command
 *	line; @args->rsdp is not passed on, multiboot 1 having no field for
 *	it: the kernel finds the RSDP by the legacy scan of 0xe0000-0xfffff
 * @out: the entry state: 32-bit protected mode, EAX 0x2BADB002, EBX the
 *	MBI (3.2)
 * @err: the message buffer
 * @errlen: its size
 *
 * Of the required header flags (bits 0-15) only 0 (page-aligned modules)
 * and 1 (memory information) are honoured; any other, bit 2 (a video mode:
 * hvd has no display) included, is refused, as 3.1.2 demands. Of the
 * optional bits only 16 (the a.out kludge) means anything; the rest are
 * ignored, as 3.1.2 allows.
 *
 * Return: 0; -ENOEXEC for an image without a valid header, with one that
 * asks for what hvd cannot give, or that is inconsistent or truncated;
 * -E2BIG if the kernel or initrd does not fit in guest RAM; -EINVAL for a
 * command line or module name that is too long.
 */
int hvd_load_multiboot(const struct hvd_ram *ram,
		       const struct hvd_boot_args *args, struct hvd_boot *out,
		       char *err, size_t errlen)
{
	const struct hvd_image *img = &args->kernel;
	const char *cmdline = args->cmdline ? args->cmdline : "";
	const char *mod_name = args->initrd.name ? args->initrd.name : "initrd";
	const char *name = img_name(img);
	struct hvd_e820 map[HVD_E820_MAX];
	uint8_t *info, *cmd, *mods, *mbi;
	uint64_t top, mod_start = 0, mem_upper = 0;
	size_t cmd_len, name_len;
	struct mb_layout lay;
	struct mb_header h;
	uint32_t flags;
	unsigned int n;
	int ret;

	ret = read_header(img, &h, err, errlen);
	if (ret)
		return ret;
	ret = load_kernel(ram, img, &h, &lay, 0, err, errlen);
	if (ret)
		return ret;

	cmd_len = strnlen(cmdline, HVD_CMDLINE_MAX);
	if (cmd_len >= HVD_CMDLINE_MAX) {
		hvd_boot_err(err, errlen,
			     "%s: command line longer than %u bytes", name,
			     HVD_CMDLINE_MAX - 1);
		return -EINVAL;
	}
	name_len = strnlen(mod_name, HVD_BOOT_FREE_END - MOD_STRING_ADDR);
	if (name_len >= HVD_BOOT_FREE_END - MOD_STRING_ADDR) {
		hvd_boot_err(err, errlen, "%s: initrd name too long", name);
		return -EINVAL;
	}
	info = hvd_ram_ptr(ram, HVD_BOOT_INFO,
			   HVD_BOOT_INFO_END - HVD_BOOT_INFO);
	cmd = hvd_ram_ptr(ram, HVD_BOOT_CMDLINE, HVD_CMDLINE_MAX);
	mods = hvd_ram_ptr(ram, HVD_BOOT_FREE,
			   HVD_BOOT_FREE_END - HVD_BOOT_FREE);
	if (!info || !cmd || !mods) {
		hvd_boot_err(
			err, errlen,
			"%s: guest RAM does not cover the boot area below 0x%x",
			name, HVD_BOOT_FREE_END);
		return -E2BIG;
	}

	/*
	 * The module at the top of RAM below the hole, page-aligned whether
	 * or not flags bit 0 asks for it, above the kernel and its bss.
	 */
	top = hvd_ram_top_below(ram, GIB4);
	if (args->initrd.data) {
		if (args->initrd.size > top - lay.end) {
			hvd_boot_err(
				err, errlen,
				"%s: initrd %s of 0x%zx bytes does not fit between the kernel's end 0x%llx and the end of RAM 0x%llx",
				name, mod_name, args->initrd.size,
				(unsigned long long)lay.end,
				(unsigned long long)top);
			return -E2BIG;
		}
		mod_start = (top - args->initrd.size) & ~(PAGE_SIZE - 1);
		if (mod_start < lay.end) {
			hvd_boot_err(
				err, errlen,
				"%s: initrd %s of 0x%zx bytes does not fit page-aligned above the kernel's end 0x%llx",
				name, mod_name, args->initrd.size,
				(unsigned long long)lay.end);
			return -E2BIG;
		}
	}

	ret = load_kernel(ram, img, &h, &lay, 1, err, errlen);
	if (ret)
		return ret;

	memcpy(cmd, cmdline, cmd_len + 1);
	mbi = info + (MBI_ADDR - HVD_BOOT_INFO);
	memset(mbi, 0, MBI_LEN);
	flags = MBI_MEM | MBI_CMDLINE | MBI_MMAP | MBI_LOADER_NAME;
	if (args->initrd.data) {
		if (args->initrd.size)
			memcpy(hvd_ram_ptr(ram, mod_start, args->initrd.size),
			       args->initrd.data, args->initrd.size);
		memset(mods, 0, MOD_LEN);
		hvd_put32(mods, mod_start);
		hvd_put32(mods + 4, mod_start + args->initrd.size);
		hvd_put32(mods + 8, MOD_STRING_ADDR);
		memcpy(mods + MOD_LEN, mod_name, name_len + 1);
		hvd_put32(mbi + 20, 1);
		hvd_put32(mbi + 24, MODS_ADDR);
		flags |= MBI_MODS;
	}
	/*
	 * mem_lower is the RAM below the EBDA; mem_upper runs from 1 MiB to
	 * the first hole (3.3), the PCI hole or the end of RAM.
	 */
	if (ram->below_4g > HVD_HIGH_START)
		mem_upper = (ram->below_4g - HVD_HIGH_START) / 1024;
	hvd_put32(mbi, flags);
	hvd_put32(mbi + 4, HVD_EBDA_START / 1024);
	hvd_put32(mbi + 8, mem_upper);
	hvd_put32(mbi + 16, HVD_BOOT_CMDLINE);
	n = hvd_e820_map(ram, map);
	write_mmap(info + (MMAP_ADDR - HVD_BOOT_INFO), n, map);
	hvd_put32(mbi + 44, n * MMAP_ENTRY_LEN);
	hvd_put32(mbi + 48, MMAP_ADDR);
	memcpy(info + (LOADER_NAME_ADDR - HVD_BOOT_INFO), LOADER_NAME,
	       sizeof(LOADER_NAME));
	hvd_put32(mbi + 64, LOADER_NAME_ADDR);

	*out = (struct hvd_boot){
		.mode = HVD_BOOT_PROT32,
		.rip = lay.entry,
		.rsp = HVD_BOOT_STACK,
		.rbx = MBI_ADDR,
		.rax = MB_BOOT_MAGIC,
		.kind = "multiboot",
	};
	return 0;
}
