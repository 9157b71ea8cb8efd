/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd's boot loaders: each puts a kernel image (and its initrd, command
 * line and the tables it needs) into guest RAM and says in which state the
 * bootstrap processor starts. They work on a host mapping of guest RAM and
 * check every guest address against it; none trusts a field of the image.
 *
 * Guest-physical layout below 1 MiB (every loader keeps to it):
 *   0x01000-0x07fff  GDT and identity page tables (libhv's hv_setup_mode())
 *   0x08000-0x08fff  the entry stack (grows down from 0x9000)
 *   0x09000-0x0ffff  boot information: PVH start info, multiboot MBI
 *   0x10000-0x10fff  Linux's boot_params (the zero page)
 *   0x20000-0x2ffff  the command line (HVD_CMDLINE_MAX bytes at most)
 *   0x30000-0x9efff  free (multiboot module list and strings)
 *   0x9fc00-0xfffff  reserved: EBDA, BIOS area; ACPI tables at 0xe0000
 * Kernels load at 1 MiB or above, initrds at the top of RAM below 4 GiB
 * (below what the kernel says it can reach).
 */
#ifndef HVD_BOOT_H
#define HVD_BOOT_H

#include <stddef.h>
#include <stdint.h>

#define HVD_BOOT_GDT		0x1000
#define HVD_BOOT_STACK		0x9000
#define HVD_BOOT_INFO		0x9000
#define HVD_BOOT_INFO_END	0x10000
#define HVD_BOOT_PARAMS		0x10000
#define HVD_BOOT_CMDLINE	0x20000
#define HVD_CMDLINE_MAX		0x10000
#define HVD_BOOT_FREE		0x30000
#define HVD_BOOT_FREE_END	0x9f000
#define HVD_EBDA_START		0x9fc00
#define HVD_ACPI_START		0xe0000
#define HVD_ACPI_END		0x100000
#define HVD_HIGH_START		0x100000

/**
 * struct hvd_ram - guest RAM as the worker mapped it
 * @host: host address of guest-physical 0; RAM below @below_4g is at
 *	@host[gpa], RAM from 4 GiB at @host[@below_4g + (gpa - 4 GiB)]
 * @size: bytes in all
 * @below_4g: bytes below 4 GiB (at most HVD_PCI_HOLE_START)
 */
struct hvd_ram {
	uint8_t *host;
	uint64_t size;
	uint64_t below_4g;
};

/* Types of E820 entries (ACPI 6.4, 15.1). */
#define HVD_E820_RAM		1
#define HVD_E820_RESERVED	2
#define HVD_E820_ACPI		3

/**
 * struct hvd_e820 - one entry of the memory map
 * @addr: start
 * @size: bytes
 * @type: HVD_E820_*
 */
struct hvd_e820 {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

#define HVD_E820_MAX	8

/**
 * enum hvd_boot_mode - the processor state a kernel starts in
 * @HVD_BOOT_LONG64: 64-bit mode, flat segments, the low 4 GiB
 *	identity-mapped (Linux 64-bit boot protocol)
 * @HVD_BOOT_PROT32: 32-bit protected mode, flat segments, paging off
 *	(multiboot, PVH)
 */
enum hvd_boot_mode {
	HVD_BOOT_LONG64,
	HVD_BOOT_PROT32,
};

/**
 * struct hvd_boot - where and how the bootstrap processor starts
 * @mode: HVD_BOOT_*
 * @rip: entry point
 * @rsp: stack pointer
 * @rsi: RSI (Linux: the boot_params address)
 * @rbx: RBX (multiboot: the MBI; PVH: the start info)
 * @rax: RAX (multiboot: 0x2BADB002)
 * @kind: what was loaded ("bzImage", "pvh", "multiboot"), for logs
 */
struct hvd_boot {
	enum hvd_boot_mode mode;
	uint64_t rip, rsp, rsi, rbx, rax;
	const char *kind;
};

/**
 * struct hvd_image - a file a loader reads
 * @data: its bytes
 * @size: its length
 * @name: its path, for messages
 */
struct hvd_image {
	const uint8_t *data;
	size_t size;
	const char *name;
};

/**
 * struct hvd_boot_args - what the definition asks a loader for
 * @kernel: the kernel
 * @initrd: the initrd (multiboot: the first module), or data NULL
 * @cmdline: the command line, NUL-terminated; may be ""
 * @nr_vcpus: processors (for the tables)
 * @rsdp: guest address of the ACPI RSDP (hvd_acpi_build()), or 0
 */
struct hvd_boot_args {
	struct hvd_image kernel;
	struct hvd_image initrd;
	const char *cmdline;
	unsigned int nr_vcpus;
	uint64_t rsdp;
};

/*
 * Little-endian fields of boot structures (the boot protocol's setup
 * header, ELF, multiboot, ACPI), at any alignment.
 */
static inline uint16_t hvd_get16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static inline uint32_t hvd_get32(const uint8_t *p)
{
	return hvd_get16(p) | (uint32_t)hvd_get16(p + 2) << 16;
}

static inline uint64_t hvd_get64(const uint8_t *p)
{
	return hvd_get32(p) | (uint64_t)hvd_get32(p + 4) << 32;
}

static inline void hvd_put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void hvd_put32(uint8_t *p, uint32_t v)
{
	hvd_put16(p, v);
	hvd_put16(p + 2, v >> 16);
}

static inline void hvd_put64(uint8_t *p, uint64_t v)
{
	hvd_put32(p, v);
	hvd_put32(p + 4, v >> 32);
}

/* ram.c */
void *hvd_ram_ptr(const struct hvd_ram *ram, uint64_t gpa, uint64_t len);
unsigned int hvd_e820_map(const struct hvd_ram *ram, struct hvd_e820 *out);
uint64_t hvd_ram_top_below(const struct hvd_ram *ram, uint64_t limit);
void hvd_boot_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The loaders. Each hvd_is_*() says whether an image is of its kind (a
 * cheap look at magic numbers); each hvd_load_*() loads it or returns a
 * negative errno with a message in @err naming the problem (-ENOEXEC for
 * an image that is not what it claims or too old, -E2BIG for one that
 * does not fit in guest RAM, -EINVAL for a bad argument such as a command
 * line that is too long).
 */
int hvd_is_bzimage(const struct hvd_image *img);
int hvd_load_bzimage(const struct hvd_ram *ram,
		     const struct hvd_boot_args *args, struct hvd_boot *out,
		     char *err, size_t errlen);
int hvd_is_pvh(const struct hvd_image *img);
int hvd_load_pvh(const struct hvd_ram *ram, const struct hvd_boot_args *args,
		 struct hvd_boot *out, char *err, size_t errlen);
int hvd_is_multiboot(const struct hvd_image *img);
int hvd_load_multiboot(const struct hvd_ram *ram,
		       const struct hvd_boot_args *args, struct hvd_boot *out,
		       char *err, size_t errlen);

/*
 * acpi.c: the firmware tables at HVD_ACPI_START: RSDP, XSDT, MADT (every
 * processor's local APIC, the IOAPIC, ISA overrides), FADT (PM1 blocks at
 * HVD_ACPI_PM_BASE, SCI on IRQ 9), FACS and a DSDT with \_S5. Returns the
 * RSDP's guest address, or a negative errno with @err set.
 */
int64_t hvd_acpi_build(const struct hvd_ram *ram, unsigned int nr_vcpus,
		       char *err, size_t errlen);

#endif /* HVD_BOOT_H */
