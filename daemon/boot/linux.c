// SPDX-License-Identifier: GPL-2.0
/*
 * The bzImage loader: Linux's 64-bit boot protocol (Documentation/x86/
 * boot.rst, "64-bit Boot Protocol"). The protected-mode kernel goes where
 * it prefers to run, the zero page at HVD_BOOT_PARAMS carries its setup
 * header with the command line, initrd and E820 map filled in, and the
 * bootstrap processor starts in long mode at the kernel's 64-bit entry.
 * Every field of the image is checked before it is used: the file may be
 * anything.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "boot.h"

/*
 * The setup header, at the same offsets in the file and in the zero page
 * (boot.rst, "The Real-Mode Kernel Header"; struct setup_header in
 * arch/x86/include/uapi/asm/bootparam.h).
 */
#define HDR_START 0x1f1
#define HDR_SETUP_SECTS 0x1f1
#define HDR_SYSSIZE 0x1f4
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP 0x200
#define HDR_HEADER 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_CODE32_START 0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_SETUP_DATA 0x250
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
/* The end of init_size, the last field read: a 2.10+ header has it. */
#define HDR_MIN_END 0x264
/* struct boot_params pads the header out to edd_mbr_sig_buffer. */
#define HDR_MAX_END 0x290

#define BOOT_FLAG_MAGIC 0xaa55
#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x0001
#define PROTOCOL_2_12 0x020c
#define PROTOCOL_2_14 0x020e

/* The rest of struct boot_params (Documentation/x86/zero-page.rst). */
#define BP_SIZE 0x1000
#define BP_ACPI_RSDP_ADDR 0x070
#define BP_EXT_RAMDISK_IMAGE 0x0c0
#define BP_EXT_RAMDISK_SIZE 0x0c4
#define BP_EXT_CMD_LINE_PTR 0x0c8
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0

/* struct boot_e820_entry (bootparam.h): packed addr, size, type. */
#define E820_ADDR 0
#define E820_SIZE 8
#define E820_TYPE 16
#define E820_ENTRY 20

#define SECTOR 512
#define ENTRY_64 0x200 /* boot.rst, "64-bit Boot Protocol" */
#define PAGE 0x1000ull
#define MIB(x) (((uint64_t)(x) + 0xfffff) >> 20)

static const char *kname(const struct hvd_boot_args *args)
{
	return args->kernel.name ? args->kernel.name : "kernel";
}

/**
 * hvd_is_bzimage() - whether an image carries a Linux setup header
 * @img: the image
 *
 * Return: 1 for the 0xAA55 boot flag and "HdrS" signature (boot.rst,
 * "The Real-Mode Kernel Header"), 0 otherwise.
 */
int hvd_is_bzimage(const struct hvd_image *img)
{
	if (!img->data || img->size < HDR_HEADER + 4)
		return 0;
	return hvd_get16(img->data + HDR_BOOT_FLAG) == BOOT_FLAG_MAGIC &&
	       !memcmp(img->data + HDR_HEADER, "HdrS", 4);
}

/* The checks of the file alone; fills the sizes the loader needs. */
static int check_image(const struct hvd_boot_args *args, uint64_t *setup,
		       uint64_t *pm_size, unsigned int *hdr_end, char *err,
		       size_t errlen)
{
	const struct hvd_image *k = &args->kernel;
	const uint8_t *d = k->data;
	unsigned int version, sects;
	uint32_t syssize;

	if (!hvd_is_bzimage(k)) {
		hvd_boot_err(
			err, errlen,
			"%s: not a bzImage (no 0xAA55 boot flag and \"HdrS\" signature)",
			kname(args));
		return -ENOEXEC;
	}
	if (k->size < HDR_MIN_END) {
		hvd_boot_err(
			err, errlen,
			"%s: truncated: %zu bytes of the %u-byte setup header present",
			kname(args), k->size, HDR_MIN_END);
		return -ENOEXEC;
	}
	/* xloadflags, and with it XLF_KERNEL_64, came with 2.12. */
	version = hvd_get16(d + HDR_VERSION);
	if (version < PROTOCOL_2_12) {
		hvd_boot_err(
			err, errlen,
			"%s: kernel boot protocol %u.%02u is too old (2.12 or later needed)",
			kname(args), version >> 8, version & 0xff);
		return -ENOEXEC;
	}
	/* The header ends at 0x202 plus the jump's displacement (boot.rst). */
	*hdr_end = HDR_HEADER + d[HDR_JUMP + 1];
	if (*hdr_end < HDR_MIN_END || *hdr_end > HDR_MAX_END) {
		hvd_boot_err(
			err, errlen,
			"%s: setup header ends at 0x%x, not in 0x%x-0x%x as protocol %u.%02u needs",
			kname(args), *hdr_end, HDR_MIN_END, HDR_MAX_END,
			version >> 8, version & 0xff);
		return -ENOEXEC;
	}
	if (!(hvd_get16(d + HDR_XLOADFLAGS) & XLF_KERNEL_64)) {
		hvd_boot_err(
			err, errlen,
			"%s: not a 64-bit kernel (XLF_KERNEL_64 clear in xloadflags)",
			kname(args));
		return -ENOEXEC;
	}
	if (!(d[HDR_LOADFLAGS] & LOADED_HIGH)) {
		hvd_boot_err(
			err, errlen,
			"%s: LOADED_HIGH clear in loadflags: a zImage, not a bzImage",
			kname(args));
		return -ENOEXEC;
	}
	/* boot.rst, setup_sects: 0 means 4; the boot sector comes first. */
	sects = d[HDR_SETUP_SECTS] ? d[HDR_SETUP_SECTS] : 4;
	*setup = (uint64_t)(sects + 1) * SECTOR;
	if (k->size < *setup) {
		hvd_boot_err(err, errlen,
			     "%s: truncated: %zu bytes of the %" PRIu64
			     "-byte setup present",
			     kname(args), k->size, *setup);
		return -ENOEXEC;
	}
	/*
	 * syssize counts 16-byte paragraphs (2.04+); a signed kernel has its
	 * signature after them, so the file may be longer but not shorter.
	 */
	syssize = hvd_get32(d + HDR_SYSSIZE);
	*pm_size = syssize ? (uint64_t)syssize * 16 : k->size - *setup;
	if (*pm_size > k->size - *setup) {
		hvd_boot_err(err, errlen,
			     "%s: truncated: %" PRIu64 " bytes of the %" PRIu64
			     "-byte protected-mode kernel present",
			     kname(args), (uint64_t)(k->size - *setup),
			     *pm_size);
		return -ENOEXEC;
	}
	if (*pm_size <= ENTRY_64) {
		hvd_boot_err(
			err, errlen,
			"%s: the protected-mode kernel is %" PRIu64
			" bytes, too small to hold the 64-bit entry at 0x%x",
			kname(args), *pm_size, ENTRY_64);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * Where the protected-mode kernel goes. boot.rst, init_size: a relocatable
 * kernel runs at its load address aligned up to kernel_alignment, and the
 * 64-bit decompressor (arch/x86/boot/compressed/head_64.S) moves itself no
 * lower than LOAD_PHYSICAL_ADDR, which pref_address reports; loading it
 * there makes the two agree. A kernel that is not relocatable runs at
 * pref_address whatever we do.
 */
static int place_kernel(const struct hvd_ram *ram,
			const struct hvd_boot_args *args, uint64_t pm_size,
			uint64_t *addr, uint64_t *need, char *err,
			size_t errlen)
{
	const uint8_t *d = args->kernel.data;
	uint64_t pref = hvd_get64(d + HDR_PREF_ADDRESS);
	uint32_t align = hvd_get32(d + HDR_KERNEL_ALIGNMENT);
	uint32_t init_size = hvd_get32(d + HDR_INIT_SIZE);

	*addr = pref;
	if (d[HDR_RELOCATABLE]) {
		if (!align || (align & (align - 1))) {
			hvd_boot_err(err, errlen,
				     "%s: kernel_alignment 0x%" PRIx32
				     " is not a power of two",
				     kname(args), align);
			return -ENOEXEC;
		}
		if (*addr < HVD_HIGH_START)
			*addr = HVD_HIGH_START;
		/* Below 4 GiB, so rounding up cannot wrap. */
		if (*addr < ram->below_4g)
			*addr = (*addr + align - 1) & ~(uint64_t)(align - 1);
	} else if (!pref) {
		/* boot.rst, "Loading The Rest of The Kernel". */
		*addr = HVD_HIGH_START;
	} else if (pref < HVD_HIGH_START) {
		hvd_boot_err(err, errlen,
			     "%s: not relocatable and runs at 0x%" PRIx64
			     ", below 1 MiB",
			     kname(args), pref);
		return -ENOEXEC;
	}
	*need = init_size > pm_size ? init_size : pm_size;
	/* The 64-bit entry has only the low 4 GiB mapped (boot.h). */
	if (*addr >= ram->below_4g || *need > ram->below_4g - *addr) {
		hvd_boot_err(err, errlen,
			     "%s: needs %" PRIu64 " MiB of RAM from 0x%" PRIx64
			     ", the VM has %" PRIu64 " MiB below 4 GiB",
			     kname(args), MIB(*need), *addr,
			     ram->below_4g >> 20);
		return -E2BIG;
	}
	return 0;
}

/*
 * The initrd goes as high as the kernel can reach (initrd_addr_max is the
 * highest byte it may occupy, boot.rst) and above everything the kernel
 * uses before it reads the memory map (init_size).
 */
static int place_initrd(const struct hvd_ram *ram,
			const struct hvd_boot_args *args, uint64_t kend,
			uint64_t *addr, char *err, size_t errlen)
{
	const struct hvd_image *rd = &args->initrd;
	uint32_t max = hvd_get32(args->kernel.data + HDR_INITRD_ADDR_MAX);
	uint64_t top = hvd_ram_top_below(ram, (uint64_t)max + 1);
	uint64_t floor = (kend + PAGE - 1) & ~(PAGE - 1);

	if (rd->size > top || ((top - rd->size) & ~(PAGE - 1)) < floor) {
		hvd_boot_err(err, errlen,
			     "%s: initrd %s of %" PRIu64
			     " MiB does not fit below 0x%" PRIx64
			     " above the kernel's 0x%" PRIx64,
			     kname(args), rd->name ? rd->name : "",
			     MIB((uint64_t)rd->size), top, floor);
		return -E2BIG;
	}
	*addr = (top - rd->size) & ~(PAGE - 1);
	return 0;
}

static void fill_e820(const struct hvd_ram *ram, uint8_t *bp)
{
	struct hvd_e820 map[HVD_E820_MAX];
	unsigned int n = hvd_e820_map(ram, map);

	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = bp + BP_E820_TABLE + i * E820_ENTRY;

		hvd_put64(e + E820_ADDR, map[i].addr);
		hvd_put64(e + E820_SIZE, map[i].size);
		hvd_put32(e + E820_TYPE, map[i].type);
	}
	bp[BP_E820_ENTRIES] = n;
}

/**
 * hvd_load_bzimage() - load a 64-bit bzImage for the 64-bit boot protocol
 * @ram: guest RAM
 * @args: the kernel, initrd, command line and RSDP
 * @out: the processor state to start in
 * @err: the message on failure
 * @errlen: its size
 *
 * The protected-mode kernel goes at its preferred address, the zero page
 * at HVD_BOOT_PARAMS, the command line at HVD_BOOT_CMDLINE and the initrd
 * at the top of what the kernel can reach below 4 GiB; nothing is written
 * before every check passed.
 *
 * Return: 0; -ENOEXEC for an image that is no 64-bit bzImage of protocol
 * 2.12 or later, or is truncated or inconsistent; -E2BIG for a kernel or
 * initrd that does not fit in guest RAM; -EINVAL for a command line
 * longer than the kernel takes.
 */
int hvd_load_bzimage(const struct hvd_ram *ram,
		     const struct hvd_boot_args *args, struct hvd_boot *out,
		     char *err, size_t errlen)
{
	const uint8_t *d = args->kernel.data;
	const char *cmdline = args->cmdline ? args->cmdline : "";
	size_t len = strlen(cmdline);
	uint64_t setup, pm_size, addr, need, rd_addr = 0;
	uint8_t *bp, *cl, *kernel, *rd = NULL;
	bool has_rd = args->initrd.data && args->initrd.size;
	unsigned int hdr_end;
	uint32_t max;
	int ret;

	ret = check_image(args, &setup, &pm_size, &hdr_end, err, errlen);
	if (ret)
		return ret;
	ret = place_kernel(ram, args, pm_size, &addr, &need, err, errlen);
	if (ret)
		return ret;
	/* cmdline_size excludes the NUL (boot.rst, cmdline_size). */
	max = hvd_get32(d + HDR_CMDLINE_SIZE);
	if (max > HVD_CMDLINE_MAX - 1)
		max = HVD_CMDLINE_MAX - 1;
	if (len > max) {
		hvd_boot_err(
			err, errlen,
			"%s: command line is %zu bytes, the kernel takes at most %" PRIu32,
			kname(args), len, max);
		return -EINVAL;
	}
	if (has_rd) {
		ret = place_initrd(ram, args, addr + need, &rd_addr, err,
				   errlen);
		if (ret)
			return ret;
		rd = hvd_ram_ptr(ram, rd_addr, args->initrd.size);
	}
	bp = hvd_ram_ptr(ram, HVD_BOOT_PARAMS, BP_SIZE);
	cl = hvd_ram_ptr(ram, HVD_BOOT_CMDLINE, len + 1);
	kernel = hvd_ram_ptr(ram, addr, pm_size);
	if (!bp || !cl || !kernel || (has_rd && !rd)) {
		hvd_boot_err(err, errlen,
			     "%s: the VM's RAM does not cover the boot areas",
			     kname(args));
		return -E2BIG;
	}

	memcpy(kernel, d + setup, pm_size);
	if (rd)
		memcpy(rd, args->initrd.data, args->initrd.size);
	memcpy(cl, cmdline, len + 1);

	/*
	 * boot.rst, "64-bit Boot Protocol": a zeroed boot_params with the
	 * image's setup header copied in; the sentinel (0x1ef) stays 0.
	 */
	memset(bp, 0, BP_SIZE);
	memcpy(bp + HDR_START, d + HDR_START, hdr_end - HDR_START);
	/* 0xff: a loader without an assigned id (boot.rst, type_of_loader). */
	bp[HDR_TYPE_OF_LOADER] = 0xff;
	hvd_put32(bp + HDR_CODE32_START, addr);
	hvd_put32(bp + HDR_RAMDISK_IMAGE, rd_addr);
	hvd_put32(bp + HDR_RAMDISK_SIZE, has_rd ? args->initrd.size : 0);
	hvd_put32(bp + HDR_CMD_LINE_PTR, HVD_BOOT_CMDLINE);
	/* Everything is below 4 GiB: the high halves (2.12+) are 0. */
	hvd_put32(bp + BP_EXT_RAMDISK_IMAGE, 0);
	hvd_put32(bp + BP_EXT_RAMDISK_SIZE, 0);
	hvd_put32(bp + BP_EXT_CMD_LINE_PTR, 0);
	hvd_put64(bp + HDR_SETUP_DATA, 0);
	/*
	 * acpi_rsdp_addr lives in boot_params since Linux 5.0, whose protocol
	 * is 2.14 (zero-page.rst); older kernels would not look at it.
	 */
	if (hvd_get16(d + HDR_VERSION) >= PROTOCOL_2_14)
		hvd_put64(bp + BP_ACPI_RSDP_ADDR, args->rsdp);
	fill_e820(ram, bp);

	memset(out, 0, sizeof(*out));
	out->mode = HVD_BOOT_LONG64;
	out->rip = addr + ENTRY_64;
	out->rsi = HVD_BOOT_PARAMS;
	out->rsp = HVD_BOOT_STACK;
	out->kind = "bzImage";
	return 0;
}
