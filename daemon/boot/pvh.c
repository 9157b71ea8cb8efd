// SPDX-License-Identifier: GPL-2.0
/*
 * The PVH loader: an uncompressed ELF kernel (a vmlinux) that names a
 * 32-bit entry in a Xen XEN_ELFNOTE_PHYS32_ENTRY note starts there in
 * protected mode with paging off and %ebx pointing to a struct
 * hvm_start_info (Xen's public arch-x86/hvm/start_info.h, which Linux
 * copies as include/xen/interface/hvm/start_info.h; the entry state is
 * described in arch/x86/platform/pvh/head.S). Its PT_LOAD segments go at
 * their physical addresses; the start info, module list and memory map go
 * in the boot information area, the initrd (module 0) at the top of low
 * RAM. Every ELF field is checked before it is used: the file may be
 * anything.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "boot.h"

/* ELF header fields (System V gABI, "ELF Header"). */
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define E_TYPE 16
#define E_MACHINE 18

#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7

/* The Xen note (Xen's public elfnote.h, XEN_ELFNOTE_PHYS32_ENTRY). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
/* Real kernels carry a dozen notes; a bound on hostile files' work. */
#define MAX_NOTES 4096

/* struct hvm_start_info (start_info.h), version 1: 56 bytes. */
#define SI_MAGIC 0
#define SI_VERSION 4
#define SI_FLAGS 8
#define SI_NR_MODULES 12
#define SI_MODLIST_PADDR 16
#define SI_CMDLINE_PADDR 24
#define SI_RSDP_PADDR 32
#define SI_MEMMAP_PADDR 40
#define SI_MEMMAP_ENTRIES 48
#define SI_SIZE 56
#define XEN_HVM_START_MAGIC 0x336ec578
/* struct hvm_modlist_entry: paddr, size, cmdline_paddr, reserved. */
#define MOD_PADDR 0
#define MOD_SIZE 8
#define MOD_ENTRY 32
/* struct hvm_memmap_table_entry: addr, size, type, reserved. */
#define MAP_ADDR 0
#define MAP_SIZE 8
#define MAP_TYPE 16
#define MAP_ENTRY 24

/* Where each goes in the boot information area (boot.h). */
#define PVH_START_INFO HVD_BOOT_INFO
#define PVH_MODLIST (HVD_BOOT_INFO + 0x40)
#define PVH_MEMMAP (HVD_BOOT_INFO + 0x80)
_Static_assert(PVH_MODLIST >= PVH_START_INFO + SI_SIZE, "start info");
_Static_assert(PVH_MEMMAP >= PVH_MODLIST + MOD_ENTRY, "module list");
_Static_assert(PVH_MEMMAP + HVD_E820_MAX * MAP_ENTRY <= HVD_BOOT_INFO_END,
	       "memory map");

#define GIB4 0x100000000ull
#define PAGE 0x1000ull
#define MIB(x) (((uint64_t)(x) + 0xfffff) >> 20)

/* The fields of either class of ELF this loader uses. */
struct elf {
	const uint8_t *data;
	uint64_t size;
	bool is64;
	uint64_t phoff, shoff;
	unsigned int phentsize, phnum, shentsize, shnum;
};

struct phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz, align;
};

/* A word of the class's size: Elf32_Addr/Off or Elf64_Addr/Off. */
static uint64_t getw(const struct elf *e, const uint8_t *p)
{
	return e->is64 ? hvd_get64(p) : hvd_get32(p);
}

static bool in_file(const struct elf *e, uint64_t off, uint64_t len)
{
	return off <= e->size && len <= e->size - off;
}

/* Whether a table of @num entries of @entsize bytes at @off is all there. */
static bool table_in_file(const struct elf *e, uint64_t off,
			  unsigned int entsize, unsigned int num)
{
	return in_file(e, off, (uint64_t)entsize * num);
}

/* Reads the ELF header; false for anything but a little-endian x86 ELF. */
static bool parse_ehdr(const struct hvd_image *img, struct elf *e)
{
	const uint8_t *d = img->data;

	memset(e, 0, sizeof(*e));
	if (!d || img->size < 52 || memcmp(d, "\177ELF", 4) ||
	    d[EI_DATA] != ELFDATA2LSB || hvd_get16(d + E_TYPE) != ET_EXEC)
		return false;
	e->data = d;
	e->size = img->size;
	if (d[EI_CLASS] == ELFCLASS64) {
		if (img->size < 64)
			return false;
		e->is64 = true;
		e->phoff = hvd_get64(d + 32);
		e->shoff = hvd_get64(d + 40);
		e->phentsize = hvd_get16(d + 54);
		e->phnum = hvd_get16(d + 56);
		e->shentsize = hvd_get16(d + 58);
		e->shnum = hvd_get16(d + 60);
	} else if (d[EI_CLASS] == ELFCLASS32) {
		e->phoff = hvd_get32(d + 28);
		e->shoff = hvd_get32(d + 32);
		e->phentsize = hvd_get16(d + 42);
		e->phnum = hvd_get16(d + 44);
		e->shentsize = hvd_get16(d + 46);
		e->shnum = hvd_get16(d + 48);
	} else {
		return false;
	}
	return hvd_get16(d + E_MACHINE) == (e->is64 ? EM_X86_64 : EM_386);
}

/* Whether the program header table is there with entries we can read. */
static bool phdrs_ok(const struct elf *e)
{
	return e->phentsize >= (e->is64 ? 56u : 32u) &&
	       table_in_file(e, e->phoff, e->phentsize, e->phnum);
}

static void get_phdr(const struct elf *e, unsigned int i, struct phdr *ph)
{
	const uint8_t *p = e->data + e->phoff + (uint64_t)i * e->phentsize;

	ph->type = hvd_get32(p);
	if (e->is64) {
		ph->offset = hvd_get64(p + 8);
		ph->paddr = hvd_get64(p + 24);
		ph->filesz = hvd_get64(p + 32);
		ph->memsz = hvd_get64(p + 40);
		ph->align = hvd_get64(p + 48);
	} else {
		ph->offset = hvd_get32(p + 4);
		ph->paddr = hvd_get32(p + 12);
		ph->filesz = hvd_get32(p + 16);
		ph->memsz = hvd_get32(p + 20);
		ph->align = hvd_get32(p + 28);
	}
}

/*
 * Looks through the notes in [@off, @off + @len) for Xen's PHYS32_ENTRY.
 * Each note is namesz, descsz, type, then name and desc each padded to
 * @align (gABI, "Note Section"; 4 but for notes in 8-aligned segments).
 * Returns 1 with @entry set, 0 if absent, -1 for a malformed entry note.
 */
static int scan_notes(const struct elf *e, uint64_t off, uint64_t len,
		      uint64_t align, unsigned int *budget, uint64_t *entry)
{
	uint64_t pos = 0, a = align == 8 ? 8 : 4;

	if (!in_file(e, off, len))
		return 0;
	while (len - pos >= 12 && *budget) {
		const uint8_t *n = e->data + off + pos;
		uint64_t namesz = hvd_get32(n), descsz = hvd_get32(n + 4);
		uint64_t name_pad = (namesz + a - 1) & ~(a - 1);
		uint64_t desc_pad = (descsz + a - 1) & ~(a - 1);

		(*budget)--;
		pos += 12;
		if (name_pad > len - pos || desc_pad > len - pos - name_pad)
			return 0;
		if (namesz == 4 && !memcmp(n + 12, "Xen", 4) &&
		    hvd_get32(n + 8) == XEN_ELFNOTE_PHYS32_ENTRY) {
			/* head.S stores it with _ASM_PTR: 4 or 8 bytes. */
			if (descsz == 4)
				*entry = hvd_get32(n + 12 + name_pad);
			else if (descsz == 8)
				*entry = hvd_get64(n + 12 + name_pad);
			else
				return -1;
			return 1;
		}
		pos += name_pad + desc_pad;
	}
	return 0;
}

/* The entry from PT_NOTE segments, or else from SHT_NOTE sections. */
static int find_entry(const struct elf *e, uint64_t *entry)
{
	unsigned int budget = MAX_NOTES;
	struct phdr ph;
	int ret;

	if (phdrs_ok(e)) {
		for (unsigned int i = 0; i < e->phnum; i++) {
			get_phdr(e, i, &ph);
			if (ph.type != PT_NOTE)
				continue;
			ret = scan_notes(e, ph.offset, ph.filesz, ph.align,
					 &budget, entry);
			if (ret)
				return ret;
		}
	}
	if (e->shentsize < (e->is64 ? 64u : 40u) ||
	    !table_in_file(e, e->shoff, e->shentsize, e->shnum))
		return 0;
	for (unsigned int i = 0; i < e->shnum; i++) {
		const uint8_t *s =
			e->data + e->shoff + (uint64_t)i * e->shentsize;

		if (hvd_get32(s + 4) != SHT_NOTE)
			continue;
		ret = scan_notes(e, getw(e, s + (e->is64 ? 24 : 16)),
				 getw(e, s + (e->is64 ? 32 : 20)),
				 getw(e, s + (e->is64 ? 48 : 32)), &budget,
				 entry);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * hvd_is_pvh() - whether an image is an x86 ELF kernel with a PVH entry
 * @img: the image
 *
 * Return: 1 for a little-endian x86 ELF executable with a well-formed Xen
 * XEN_ELFNOTE_PHYS32_ENTRY note, 0 otherwise.
 */
int hvd_is_pvh(const struct hvd_image *img)
{
	struct elf e;
	uint64_t entry;

	return parse_ehdr(img, &e) && find_entry(&e, &entry) == 1;
}

static const char *kname(const struct hvd_boot_args *args)
{
	return args->kernel.name ? args->kernel.name : "kernel";
}

/*
 * Checks every PT_LOAD against the file and guest RAM. The entry runs
 * with paging off, so all of the kernel must be in RAM below 4 GiB, and
 * above the boot areas below 1 MiB (boot.h); the entry must be among the
 * bytes loaded. Sets @end to the end of the highest segment.
 */
static int check_segments(const struct hvd_ram *ram,
			  const struct hvd_boot_args *args, const struct elf *e,
			  uint64_t entry, uint64_t *end, char *err,
			  size_t errlen)
{
	unsigned int loads = 0;
	bool entry_ok = false;
	struct phdr ph;

	*end = 0;
	for (unsigned int i = 0; i < e->phnum; i++) {
		get_phdr(e, i, &ph);
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		loads++;
		if (ph.filesz > ph.memsz || !in_file(e, ph.offset, ph.filesz)) {
			hvd_boot_err(
				err, errlen,
				"%s: segment %u: %" PRIu64
				" bytes at file offset 0x%" PRIx64
				" in %" PRIu64
				" bytes of memory: not within the file and segment",
				kname(args), i, ph.filesz, ph.offset, ph.memsz);
			return -ENOEXEC;
		}
		if (ph.paddr < HVD_HIGH_START || ph.paddr >= GIB4 ||
		    ph.memsz > GIB4 - ph.paddr) {
			hvd_boot_err(err, errlen,
				     "%s: segment %u at 0x%" PRIx64 " (%" PRIu64
				     " bytes) is not between 1 MiB and 4 GiB",
				     kname(args), i, ph.paddr, ph.memsz);
			return -ENOEXEC;
		}
		if (ph.paddr + ph.memsz > ram->below_4g) {
			hvd_boot_err(err, errlen,
				     "%s: segment %u at 0x%" PRIx64
				     "-0x%" PRIx64
				     " is outside the VM's %" PRIu64
				     " MiB of RAM below 4 GiB",
				     kname(args), i, ph.paddr,
				     ph.paddr + ph.memsz - 1,
				     ram->below_4g >> 20);
			return -E2BIG;
		}
		if (ph.paddr + ph.memsz > *end)
			*end = ph.paddr + ph.memsz;
		if (entry >= ph.paddr && entry - ph.paddr < ph.filesz)
			entry_ok = true;
	}
	if (!loads) {
		hvd_boot_err(err, errlen, "%s: no loadable segment",
			     kname(args));
		return -ENOEXEC;
	}
	if (!entry_ok) {
		hvd_boot_err(err, errlen,
			     "%s: PVH entry 0x%" PRIx64
			     " is not in a loaded segment",
			     kname(args), entry);
		return -ENOEXEC;
	}
	return 0;
}

static void load_segments(const struct hvd_ram *ram, const struct elf *e)
{
	struct phdr ph;

	for (unsigned int i = 0; i < e->phnum; i++) {
		uint8_t *dst;

		get_phdr(e, i, &ph);
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		/* check_segments() proved the range is RAM. */
		dst = hvd_ram_ptr(ram, ph.paddr, ph.memsz);
		memcpy(dst, e->data + ph.offset, ph.filesz);
		/* The rest is .bss (gABI, "Program Header", p_memsz). */
		memset(dst + ph.filesz, 0, ph.memsz - ph.filesz);
	}
}

static void fill_start_info(const struct hvd_ram *ram,
			    const struct hvd_boot_args *args, uint8_t *info,
			    uint64_t rd_addr)
{
	struct hvd_e820 map[HVD_E820_MAX];
	unsigned int n = hvd_e820_map(ram, map);
	uint8_t *si = info + (PVH_START_INFO - HVD_BOOT_INFO);
	uint8_t *mod = info + (PVH_MODLIST - HVD_BOOT_INFO);

	memset(info, 0, HVD_BOOT_INFO_END - HVD_BOOT_INFO);
	hvd_put32(si + SI_MAGIC, XEN_HVM_START_MAGIC);
	/*
	 * Version 1 has the memory map, which Linux reads instead of asking
	 * Xen for it (arch/x86/platform/pvh/enlighten.c).
	 */
	hvd_put32(si + SI_VERSION, 1);
	hvd_put64(si + SI_CMDLINE_PADDR, HVD_BOOT_CMDLINE);
	hvd_put64(si + SI_RSDP_PADDR, args->rsdp);
	if (rd_addr) {
		hvd_put32(si + SI_NR_MODULES, 1);
		hvd_put64(si + SI_MODLIST_PADDR, PVH_MODLIST);
		hvd_put64(mod + MOD_PADDR, rd_addr);
		hvd_put64(mod + MOD_SIZE, args->initrd.size);
	}
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *m =
			info + (PVH_MEMMAP - HVD_BOOT_INFO) + i * MAP_ENTRY;

		hvd_put64(m + MAP_ADDR, map[i].addr);
		hvd_put64(m + MAP_SIZE, map[i].size);
		hvd_put32(m + MAP_TYPE, map[i].type);
	}
	hvd_put64(si + SI_MEMMAP_PADDR, PVH_MEMMAP);
	hvd_put32(si + SI_MEMMAP_ENTRIES, n);
}

/**
 * hvd_load_pvh() - load an ELF kernel for its PVH entry
 * @ram: guest RAM
 * @args: the kernel, initrd, command line and RSDP
 * @out: the processor state to start in
 * @err: the message on failure
 * @errlen: its size
 *
 * Loads every PT_LOAD segment at its physical address, the initrd as
 * module 0 at the top of RAM below 4 GiB, the command line at
 * HVD_BOOT_CMDLINE and a version 1 hvm_start_info with the memory map at
 * HVD_BOOT_INFO; nothing is written before every check passed.
 *
 * Return: 0; -ENOEXEC for an image that is no x86 ELF executable with a
 * PVH entry note, or whose program headers are inconsistent; -E2BIG for
 * a segment or initrd outside guest RAM; -EINVAL for a command line
 * longer than HVD_CMDLINE_MAX - 1 bytes.
 */
int hvd_load_pvh(const struct hvd_ram *ram, const struct hvd_boot_args *args,
		 struct hvd_boot *out, char *err, size_t errlen)
{
	const struct hvd_image *rd_img = &args->initrd;
	const char *cmdline = args->cmdline ? args->cmdline : "";
	size_t len = strlen(cmdline);
	bool has_rd = rd_img->data && rd_img->size;
	uint64_t entry, end, rd_addr = 0;
	uint8_t *info, *cl, *rd = NULL;
	struct elf e;
	int ret;

	if (!parse_ehdr(&args->kernel, &e)) {
		hvd_boot_err(err, errlen,
			     "%s: not a little-endian x86 ELF executable",
			     kname(args));
		return -ENOEXEC;
	}
	if (e.phentsize < (e.is64 ? 56u : 32u)) {
		hvd_boot_err(err, errlen,
			     "%s: program headers of %u bytes, %u needed",
			     kname(args), e.phentsize, e.is64 ? 56u : 32u);
		return -ENOEXEC;
	}
	if (!phdrs_ok(&e)) {
		hvd_boot_err(
			err, errlen,
			"%s: program header table (%u entries of %u bytes at 0x%" PRIx64
			") is not within the file",
			kname(args), e.phnum, e.phentsize, e.phoff);
		return -ENOEXEC;
	}
	ret = find_entry(&e, &entry);
	if (ret != 1) {
		hvd_boot_err(err, errlen,
			     "%s: %s Xen PHYS32_ENTRY note: no PVH entry",
			     kname(args), ret ? "malformed" : "no");
		return -ENOEXEC;
	}
	if (entry >= GIB4) {
		hvd_boot_err(err, errlen,
			     "%s: PVH entry 0x%" PRIx64
			     " is not a 32-bit address",
			     kname(args), entry);
		return -ENOEXEC;
	}
	ret = check_segments(ram, args, &e, entry, &end, err, errlen);
	if (ret)
		return ret;
	if (len > HVD_CMDLINE_MAX - 1) {
		hvd_boot_err(err, errlen,
			     "%s: command line is %zu bytes, at most %u fit",
			     kname(args), len, HVD_CMDLINE_MAX - 1);
		return -EINVAL;
	}
	if (has_rd) {
		uint64_t top = ram->below_4g;
		uint64_t floor = (end + PAGE - 1) & ~(PAGE - 1);

		if (rd_img->size > top ||
		    ((top - rd_img->size) & ~(PAGE - 1)) < floor) {
			hvd_boot_err(err, errlen,
				     "%s: initrd %s of %" PRIu64
				     " MiB does not fit below 0x%" PRIx64
				     " above the kernel's 0x%" PRIx64,
				     kname(args),
				     rd_img->name ? rd_img->name : "",
				     MIB((uint64_t)rd_img->size), top, floor);
			return -E2BIG;
		}
		rd_addr = (top - rd_img->size) & ~(PAGE - 1);
		rd = hvd_ram_ptr(ram, rd_addr, rd_img->size);
	}
	info = hvd_ram_ptr(ram, HVD_BOOT_INFO,
			   HVD_BOOT_INFO_END - HVD_BOOT_INFO);
	cl = hvd_ram_ptr(ram, HVD_BOOT_CMDLINE, len + 1);
	if (!info || !cl || (has_rd && !rd)) {
		hvd_boot_err(err, errlen,
			     "%s: the VM's RAM does not cover the boot areas",
			     kname(args));
		return -E2BIG;
	}

	load_segments(ram, &e);
	if (rd)
		memcpy(rd, rd_img->data, rd_img->size);
	memcpy(cl, cmdline, len + 1);
	fill_start_info(ram, args, info, rd_addr);

	memset(out, 0, sizeof(*out));
	out->mode = HVD_BOOT_PROT32;
	out->rip = entry;
	out->rbx = PVH_START_INFO;
	out->rsp = HVD_BOOT_STACK;
	out->kind = "pvh";
	return 0;
}
