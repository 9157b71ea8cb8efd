// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI tables of hvd's PC: RSDP, RSDT and XSDT, FADT, FACS, MADT and a
 * DSDT whose AML is encoded here by hand (\_S5 for poweroff through PM1a_CNT
 * and \_SB.PCI0, the host bridge behind ports 0xcf8-0xcff). They go into
 * [HVD_ACPI_START, HVD_ACPI_END), below 1 MiB, so that an OS which scans the
 * BIOS area for the RSDP (ACPI 6.4, 5.2.5.1) finds it as well as one that
 * is handed its address.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "boot.h"
#include "devmodel.h"

#define ACPI_OEM_ID "HVHV  "
#define ACPI_CREATOR_ID "HVD "
#define ACPI_OEM_REVISION 1
#define ACPI_CREATOR_REVISION 1

#define SDT_HEADER_LEN 36 /* ACPI 6.4, 5.2.6, Table 5.4 */
#define RSDP_LEN 36 /* ACPI 6.4, 5.2.5.3 */
#define RSDP_V1_LEN 20 /* what the first checksum covers */
#define FACS_LEN 64 /* ACPI 6.4, 5.2.10 */
#define FADT_LEN 276 /* ACPI 6.4, 5.2.9, revision 6 */
#define FADT_REVISION 6
#define FADT_MINOR 4 /* ACPI 6.4 */
#define MADT_REVISION 5 /* ACPI 6.4, 5.2.12 */

/*
 * Processor Local APIC entries carry an 8-bit APIC ID, and 0xff is both
 * the xAPIC broadcast ID and the "all processors" UID of the Local APIC
 * NMI entry: beyond 255 processors an OS needs x2APIC entries.
 */
#define ACPI_MAX_VCPUS 255

/* FADT Fixed Feature Flags, ACPI 6.4, 5.2.9 Table 5.10. */
#define FADT_F_WBINVD (1u << 0)
#define FADT_F_PROC_C1 (1u << 2)
#define FADT_F_SLP_BUTTON (1u << 5)
#define FADT_F_RESET_REG_SUP (1u << 10)

/* FADT IA-PC Boot Architecture Flags, ACPI 6.4, 5.2.9.3 Table 5.11. */
#define FADT_BOOT_LEGACY_DEVICES (1u << 0)
#define FADT_BOOT_VGA_NOT_PRESENT (1u << 2)

#define CMOS_CENTURY 0x32

/* Generic Address Structure, ACPI 6.4, 5.2.3.2. */
#define GAS_SYSTEM_IO 1
#define GAS_ACCESS_BYTE 1
#define GAS_ACCESS_WORD 2
#define GAS_ACCESS_DWORD 3

/* MADT entry types and flags, ACPI 6.4, 5.2.12. */
#define MADT_PCAT_COMPAT 1
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_ISO 2
#define MADT_LAPIC_NMI 4
#define MADT_LAPIC_ENABLED 1
#define MPS_INTI_HIGH_LEVEL 0x000d /* polarity 01, trigger mode 11 */

/* AML opcodes, ACPI 6.4, 20.2. */
#define AML_ZERO 0x00
#define AML_ONE 0x01
#define AML_NAME 0x08
#define AML_BYTE 0x0a
#define AML_WORD 0x0b
#define AML_DWORD 0x0c
#define AML_QWORD 0x0e
#define AML_SCOPE 0x10
#define AML_BUFFER 0x11
#define AML_PACKAGE 0x12
#define AML_EXT 0x5b
#define AML_DEVICE 0x82
#define AML_ROOT 0x5c

#define AML_MAX 512

/**
 * struct aml - AML being assembled
 * @buf: the bytes
 * @len: bytes used
 * @overflow: something did not fit in @buf; the result is unusable
 */
struct aml {
	uint8_t buf[AML_MAX];
	size_t len;
	int overflow;
};

static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return (uint8_t)-sum;
}

static void aml_bytes(struct aml *a, const void *p, size_t n)
{
	if (a->overflow || n > sizeof(a->buf) - a->len) {
		a->overflow = 1;
		return;
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void aml_byte(struct aml *a, uint8_t b)
{
	aml_bytes(a, &b, 1);
}

static void aml_le(struct aml *a, uint64_t v, unsigned int n)
{
	while (n--) {
		aml_byte(a, v);
		v >>= 8;
	}
}

/* The shortest ComputationalData for @v, as iasl emits it (20.2.3). */
static void aml_integer(struct aml *a, uint64_t v)
{
	if (v == 0) {
		aml_byte(a, AML_ZERO);
	} else if (v == 1) {
		aml_byte(a, AML_ONE);
	} else if (v <= 0xff) {
		aml_byte(a, AML_BYTE);
		aml_le(a, v, 1);
	} else if (v <= 0xffff) {
		aml_byte(a, AML_WORD);
		aml_le(a, v, 2);
	} else if (v <= 0xffffffff) {
		aml_byte(a, AML_DWORD);
		aml_le(a, v, 4);
	} else {
		aml_byte(a, AML_QWORD);
		aml_le(a, v, 8);
	}
}

/*
 * A PkgLength counts itself (20.2.4), so its size is known only once the
 * body is: reserve one byte, and widen it when the package is closed.
 */
static size_t aml_pkg_open(struct aml *a)
{
	size_t start = a->len;

	aml_byte(a, 0);
	return start;
}

static void aml_pkg_close(struct aml *a, size_t start)
{
	size_t body, total, k;
	uint8_t *p;

	if (a->overflow)
		return;
	body = a->len - start - 1;
	if (body + 1 <= 0x3f)
		k = 1;
	else if (body + 2 <= 0xfff)
		k = 2;
	else if (body + 3 <= 0xfffff)
		k = 3;
	else
		k = 4;
	total = body + k;
	if (k - 1 > sizeof(a->buf) - a->len) {
		a->overflow = 1;
		return;
	}
	p = a->buf + start;
	memmove(p + k, p + 1, body);
	a->len += k - 1;
	if (k == 1) {
		p[0] = total;
		return;
	}
	/* Bits 7-6: bytes that follow; bits 3-0: the low nibble. */
	p[0] = (k - 1) << 6 | (total & 0xf);
	p[1] = total >> 4;
	if (k > 2)
		p[2] = total >> 12;
	if (k > 3)
		p[3] = total >> 20;
}

/* NameOp with a four-character NameSeg, from the root if @root. */
static void aml_name(struct aml *a, const char *seg, int root)
{
	aml_byte(a, AML_NAME);
	if (root)
		aml_byte(a, AML_ROOT);
	aml_bytes(a, seg, 4);
}

/* Resource descriptors, ACPI 6.4, 6.4.3.5.3: Word Address Space. */
static void res_word(struct aml *r, uint8_t type, uint8_t tflags, uint16_t min,
		     uint16_t max)
{
	static const uint8_t head[] = { 0x88, 0x0d, 0x00 };

	aml_bytes(r, head, sizeof(head));
	aml_byte(r, type);
	/* Producer, positive decode, _MIF and _MAF: a fixed window. */
	aml_byte(r, 0x0c);
	aml_byte(r, tflags);
	aml_le(r, 0, 2); /* granularity */
	aml_le(r, min, 2);
	aml_le(r, max, 2);
	aml_le(r, 0, 2); /* translation offset */
	aml_le(r, (uint32_t)max - min + 1, 2);
}

/* 6.4.3.5.2: DWord Address Space, a memory window. */
static void res_dword_mem(struct aml *r, uint32_t min, uint32_t max)
{
	static const uint8_t head[] = { 0x87, 0x17, 0x00 };

	aml_bytes(r, head, sizeof(head));
	aml_byte(r, 0); /* memory range */
	aml_byte(r, 0x0c);
	aml_byte(r, 0x01); /* read-write, non-cacheable */
	aml_le(r, 0, 4);
	aml_le(r, min, 4);
	aml_le(r, max, 4);
	aml_le(r, 0, 4);
	aml_le(r, (uint64_t)max - min + 1, 4);
}

/* 6.4.2.5: I/O Port Descriptor, 16-bit decode. */
static void res_io(struct aml *r, uint16_t base, uint8_t len)
{
	aml_byte(r, 0x47);
	aml_byte(r, 0x01);
	aml_le(r, base, 2);
	aml_le(r, base, 2);
	aml_byte(r, 1);
	aml_byte(r, len);
}

/*
 * \_SB.PCI0: Linux with ACPI finds PCI root bridges only in the namespace
 * (arch/x86/pci/acpi.c), so without it no PCI device would be seen. The
 * bridge decodes all buses, every port but its own config ports and the
 * 32-bit hole up to the IOAPIC.
 */
static void aml_pci0(struct aml *a)
{
	static const uint8_t pnp0a03[] = { 0x41, 0xd0, 0x0a, 0x03 };
	struct aml r = { .len = 0 };
	size_t scope, dev, buf;

	res_word(&r, 2, 0, 0x00, 0xff); /* bus numbers */
	res_io(&r, 0xcf8, 8);
	res_word(&r, 1, 0x03, 0x0000, 0x0cf7); /* ISA and non-ISA */
	res_word(&r, 1, 0x03, 0x0d00, 0xffff);
	res_dword_mem(&r, HVD_PCI_HOLE_START, HVD_IOAPIC_BASE - 1);
	aml_byte(&r, 0x79); /* End Tag; checksum 0 is valid */
	aml_byte(&r, 0x00);
	if (r.overflow)
		a->overflow = 1;

	aml_byte(a, AML_SCOPE);
	scope = aml_pkg_open(a);
	aml_byte(a, AML_ROOT);
	aml_bytes(a, "_SB_", 4);

	aml_byte(a, AML_EXT);
	aml_byte(a, AML_DEVICE);
	dev = aml_pkg_open(a);
	aml_bytes(a, "PCI0", 4);
	aml_name(a, "_HID", 0);
	aml_byte(a, AML_DWORD); /* EISAID("PNP0A03"), 6.1.5 */
	aml_bytes(a, pnp0a03, sizeof(pnp0a03));
	aml_name(a, "_UID", 0);
	aml_integer(a, 0);
	aml_name(a, "_BBN", 0);
	aml_integer(a, 0);
	aml_name(a, "_CRS", 0);
	aml_byte(a, AML_BUFFER);
	buf = aml_pkg_open(a);
	aml_integer(a, r.len);
	aml_bytes(a, r.buf, r.len);
	aml_pkg_close(a, buf);
	aml_pkg_close(a, dev);
	aml_pkg_close(a, scope);
}

static void aml_dsdt(struct aml *a)
{
	size_t pkg;

	/*
	 * \_S5: SLP_TYPa and SLP_TYPb for PM1a_CNT (7.4.2); hvd has no PM1b,
	 * and the two reserved elements make four, as most firmware has.
	 */
	aml_name(a, "_S5_", 1);
	aml_byte(a, AML_PACKAGE);
	pkg = aml_pkg_open(a);
	aml_byte(a, 4);
	aml_integer(a, HVD_ACPI_S5_TYP);
	aml_integer(a, HVD_ACPI_S5_TYP);
	aml_integer(a, 0);
	aml_integer(a, 0);
	aml_pkg_close(a, pkg);

	aml_pci0(a);
}

/* The System Description Table Header, 5.2.6; the checksum comes last. */
static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev,
		       const char *table_id)
{
	memcpy(t, sig, 4);
	hvd_put32(t + 4, len);
	t[8] = rev;
	t[9] = 0;
	memcpy(t + 10, ACPI_OEM_ID, 6);
	memcpy(t + 16, table_id, 8);
	hvd_put32(t + 24, ACPI_OEM_REVISION);
	memcpy(t + 28, ACPI_CREATOR_ID, 4);
	hvd_put32(t + 32, ACPI_CREATOR_REVISION);
}

static void sdt_finish(uint8_t *t, uint32_t len)
{
	t[9] = checksum(t, len);
}

/* A Generic Address Structure for a block of system I/O ports. */
static void gas_io(uint8_t *p, uint16_t port, uint8_t bytes, uint8_t access)
{
	p[0] = GAS_SYSTEM_IO;
	p[1] = bytes * 8;
	p[2] = 0;
	p[3] = access;
	hvd_put64(p + 4, port);
}

static void build_fadt(uint8_t *t, uint32_t facs, uint32_t dsdt)
{
	memset(t, 0, FADT_LEN);
	sdt_header(t, "FACP", FADT_LEN, FADT_REVISION, "HVDFACP ");
	/*
	 * At most one of FIRMWARE_CTRL and X_FIRMWARE_CTRL may be non-zero
	 * (5.2.9, Table 5.9), so the FACS, below 4 GiB, goes in the first.
	 */
	hvd_put32(t + 36, facs);
	hvd_put32(t + 40, dsdt);
	hvd_put16(t + 46, HVD_ACPI_SCI_IRQ);
	/*
	 * SMI_CMD 0: no SMM, the machine is in ACPI mode from reset and
	 * ACPI_ENABLE/ACPI_DISABLE are unused (4.8.2.1.1).
	 */
	hvd_put32(t + 48, 0);
	hvd_put32(t + 56, HVD_ACPI_PM1A_EVT);
	hvd_put32(t + 64, HVD_ACPI_PM1A_CNT);
	hvd_put32(t + 76, HVD_ACPI_PM_TMR);
	t[88] = 4; /* PM1_EVT_LEN */
	t[89] = 2; /* PM1_CNT_LEN */
	t[91] = 4; /* PM_TMR_LEN */
	/* Latencies above 100 and 1000 us say C2 and C3 are absent. */
	hvd_put16(t + 96, 101);
	hvd_put16(t + 98, 1001);
	t[108] = CMOS_CENTURY;
	/*
	 * Legacy devices (the RTC, the 8259s, COM1) exist; there is no 8042
	 * keyboard controller (hvd's port 0x64 only pulses reset) and no VGA.
	 */
	hvd_put16(t + 109, FADT_BOOT_LEGACY_DEVICES | FADT_BOOT_VGA_NOT_PRESENT);
	/*
	 * The PM timer is 24 bits (TMR_VAL_EXT clear), the power button is
	 * the fixed-feature one, and there is no sleep button.
	 */
	hvd_put32(t + 112, FADT_F_WBINVD | FADT_F_PROC_C1 | FADT_F_SLP_BUTTON |
			       FADT_F_RESET_REG_SUP);
	gas_io(t + 116, HVD_RESET_PORT, 1, GAS_ACCESS_BYTE);
	t[128] = HVD_RESET_VALUE;
	t[131] = FADT_MINOR;
	hvd_put64(t + 140, dsdt);
	/* PM1_STS/PM1_EN and PM1_CNT are 16-bit registers (4.8.3.1). */
	gas_io(t + 148, HVD_ACPI_PM1A_EVT, 4, GAS_ACCESS_WORD);
	gas_io(t + 172, HVD_ACPI_PM1A_CNT, 2, GAS_ACCESS_WORD);
	gas_io(t + 208, HVD_ACPI_PM_TMR, 4, GAS_ACCESS_DWORD);
	memcpy(t + 268, "HVHV\0\0\0\0", 8);
	sdt_finish(t, FADT_LEN);
}

static void build_facs(uint8_t *t)
{
	memset(t, 0, FACS_LEN);
	memcpy(t, "FACS", 4);
	hvd_put32(t + 4, FACS_LEN);
	t[32] = 2; /* version, 5.2.10 Table 5.14 */
}

static uint32_t madt_len(unsigned int nr_vcpus)
{
	return SDT_HEADER_LEN + 8 + 8 * nr_vcpus + 12 + 2 * 10 + 6;
}

static void madt_iso(uint8_t *p, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	p[0] = MADT_ISO;
	p[1] = 10;
	p[2] = 0; /* bus: ISA */
	p[3] = irq;
	hvd_put32(p + 4, gsi);
	hvd_put16(p + 8, flags);
}

static void build_madt(uint8_t *t, unsigned int nr_vcpus)
{
	uint32_t len = madt_len(nr_vcpus);
	uint8_t *p = t + SDT_HEADER_LEN + 8;
	unsigned int i;

	memset(t, 0, len);
	sdt_header(t, "APIC", len, MADT_REVISION, "HVDAPIC ");
	hvd_put32(t + 36, HVD_LAPIC_BASE);
	hvd_put32(t + 40, MADT_PCAT_COMPAT);
	for (i = 0; i < nr_vcpus; i++, p += 8) {
		p[0] = MADT_LAPIC;
		p[1] = 8;
		p[2] = i; /* ACPI processor UID */
		p[3] = i; /* APIC ID */
		hvd_put32(p + 4, MADT_LAPIC_ENABLED);
	}
	p[0] = MADT_IOAPIC;
	p[1] = 12;
	p[2] = HVD_IOAPIC_ID;
	p[3] = 0;
	hvd_put32(p + 4, HVD_IOAPIC_BASE);
	hvd_put32(p + 8, 0); /* GSI base */
	p += 12;
	/*
	 * As on a PC (5.2.12.5): the PIT's IRQ 0 is on IOAPIC pin 2, and the
	 * SCI is level-triggered, active high as hvd drives it.
	 */
	madt_iso(p, 0, 2, 0);
	p += 10;
	madt_iso(p, HVD_ACPI_SCI_IRQ, HVD_ACPI_SCI_IRQ, MPS_INTI_HIGH_LEVEL);
	p += 10;
	/* NMI on every processor's LINT1 (5.2.12.7), as the MP spec wires. */
	p[0] = MADT_LAPIC_NMI;
	p[1] = 6;
	p[2] = 0xff;
	hvd_put16(p + 3, 0);
	p[5] = 1;
	sdt_finish(t, len);
}

/* The next @len bytes of the area at a multiple of @align. */
static int area_alloc(size_t *next, size_t len, size_t align, size_t *off)
{
	size_t at = (*next + align - 1) & ~(align - 1);

	if (at > HVD_ACPI_END - HVD_ACPI_START ||
	    len > HVD_ACPI_END - HVD_ACPI_START - at)
		return -E2BIG;
	*off = at;
	*next = at + len;
	return 0;
}

/**
 * hvd_acpi_build() - write the firmware's ACPI tables into guest RAM
 * @ram: guest RAM; it must back [HVD_ACPI_START, HVD_ACPI_END)
 * @nr_vcpus: processors, 1-255 (one MADT Processor Local APIC entry each)
 * @err: the message buffer
 * @errlen: its size
 *
 * Clears the whole table area first, so that a scan for the RSDP after a
 * rebuild cannot meet stale tables.
 *
 * Return: the RSDP's guest-physical address; -EINVAL for a processor
 * count the MADT cannot describe; -E2BIG if RAM does not back the area.
 */
int64_t hvd_acpi_build(const struct hvd_ram *ram, unsigned int nr_vcpus,
		       char *err, size_t errlen)
{
	const size_t area = HVD_ACPI_END - HVD_ACPI_START;
	size_t next = 0, rsdp, facs, rsdt, xsdt, fadt, madt, dsdt;
	uint32_t dsdt_len, mlen;
	struct aml aml = { .len = 0 };
	uint8_t *base, *t;

	if (nr_vcpus == 0 || nr_vcpus > ACPI_MAX_VCPUS) {
		hvd_boot_err(err, errlen,
			     "acpi: %u processors; the MADT describes 1-%u",
			     nr_vcpus, ACPI_MAX_VCPUS);
		return -EINVAL;
	}
	base = hvd_ram_ptr(ram, HVD_ACPI_START, area);
	if (!base) {
		hvd_boot_err(err, errlen,
			     "acpi: no RAM at 0x%x-0x%x for the tables",
			     HVD_ACPI_START, HVD_ACPI_END - 1);
		return -E2BIG;
	}
	aml_dsdt(&aml);
	if (aml.overflow) {
		hvd_boot_err(err, errlen, "acpi: the DSDT outgrew %d bytes",
			     AML_MAX);
		return -E2BIG;
	}
	dsdt_len = SDT_HEADER_LEN + aml.len;
	mlen = madt_len(nr_vcpus);

	/*
	 * The RSDP on a 16-byte boundary (5.2.5.1), the FACS on a 64-byte one
	 * (5.2.10); the rest 16-aligned for the readability of dumps.
	 */
	if (area_alloc(&next, RSDP_LEN, 16, &rsdp) ||
	    area_alloc(&next, FACS_LEN, 64, &facs) ||
	    area_alloc(&next, SDT_HEADER_LEN + 2 * 4, 16, &rsdt) ||
	    area_alloc(&next, SDT_HEADER_LEN + 2 * 8, 16, &xsdt) ||
	    area_alloc(&next, FADT_LEN, 16, &fadt) ||
	    area_alloc(&next, dsdt_len, 16, &dsdt) ||
	    area_alloc(&next, mlen, 16, &madt)) {
		hvd_boot_err(err, errlen, "acpi: the tables outgrew 0x%x-0x%x",
			     HVD_ACPI_START, HVD_ACPI_END - 1);
		return -E2BIG;
	}
	memset(base, 0, area);

	build_facs(base + facs);

	t = base + dsdt;
	sdt_header(t, "DSDT", dsdt_len, 2, "HVDDSDT ");
	memcpy(t + SDT_HEADER_LEN, aml.buf, aml.len);
	sdt_finish(t, dsdt_len);

	build_fadt(base + fadt, HVD_ACPI_START + facs, HVD_ACPI_START + dsdt);
	build_madt(base + madt, nr_vcpus);

	t = base + rsdt;
	sdt_header(t, "RSDT", SDT_HEADER_LEN + 2 * 4, 1, "HVDRSDT ");
	hvd_put32(t + 36, HVD_ACPI_START + fadt);
	hvd_put32(t + 40, HVD_ACPI_START + madt);
	sdt_finish(t, SDT_HEADER_LEN + 2 * 4);

	t = base + xsdt;
	sdt_header(t, "XSDT", SDT_HEADER_LEN + 2 * 8, 1, "HVDXSDT ");
	hvd_put64(t + 36, HVD_ACPI_START + fadt);
	hvd_put64(t + 44, HVD_ACPI_START + madt);
	sdt_finish(t, SDT_HEADER_LEN + 2 * 8);

	t = base + rsdp;
	memcpy(t, "RSD PTR ", 8);
	memcpy(t + 9, ACPI_OEM_ID, 6);
	t[15] = 2;
	hvd_put32(t + 16, HVD_ACPI_START + rsdt);
	hvd_put32(t + 20, RSDP_LEN);
	hvd_put64(t + 24, HVD_ACPI_START + xsdt);
	t[8] = checksum(t, RSDP_V1_LEN);
	t[32] = checksum(t, RSDP_LEN);

	return HVD_ACPI_START + rsdp;
}
