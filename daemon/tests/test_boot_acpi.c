// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of hvd's ACPI tables (daemon/boot/acpi.c, compiled in as is):
 * the tables are parsed back from guest RAM the way an OS does, from the
 * RSDP through the RSDT and XSDT, and every field is checked at its offset
 * in the ACPI 6.4 spec (5.2.5-5.2.12) against values written out here, as
 * are the DSDT's AML bytes (20.2, 6.4) and the refusals.
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
#include "devmodel.h"

#define RAM_SIZE (2u << 20)

static uint8_t *ram_buf;
static struct hvd_ram ram;

static int setup(void **state)
{
	(void)state;
	ram_buf = malloc(RAM_SIZE);
	if (!ram_buf)
		return -1;
	/* Junk in the table area: the builder must clear what it leaves. */
	memset(ram_buf, 0xa5, RAM_SIZE);
	ram = (struct hvd_ram){ ram_buf, RAM_SIZE, RAM_SIZE };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram_buf);
	return 0;
}

static uint16_t get16(uint64_t gpa)
{
	return ram_buf[gpa] | ram_buf[gpa + 1] << 8;
}

static uint32_t get32(uint64_t gpa)
{
	return get16(gpa) | (uint32_t)get16(gpa + 2) << 16;
}

static uint64_t get64(uint64_t gpa)
{
	return get32(gpa) | (uint64_t)get32(gpa + 4) << 32;
}

static uint8_t sum(uint64_t gpa, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += ram_buf[gpa++];
	return s;
}

static int64_t build(unsigned int nr_vcpus)
{
	char err[128] = "";
	int64_t rsdp = hvd_acpi_build(&ram, nr_vcpus, err, sizeof(err));

	if (rsdp < 0)
		fail_msg("hvd_acpi_build(%u): %lld: %s", nr_vcpus,
			 (long long)rsdp, err);
	return rsdp;
}

/* A System Description Table's header (5.2.6) with its checksum. */
static uint32_t check_sdt(uint64_t gpa, const char *sig, uint8_t rev,
			  const char *table_id)
{
	uint32_t len = get32(gpa + 4);

	assert_memory_equal(ram_buf + gpa, sig, 4);
	assert_true(len >= 36);
	assert_true(gpa >= HVD_ACPI_START && gpa + len <= HVD_ACPI_END);
	assert_int_equal(ram_buf[gpa + 8], rev);
	assert_int_equal(sum(gpa, len), 0);
	assert_memory_equal(ram_buf + gpa + 10, "HVHV  ", 6);
	assert_memory_equal(ram_buf + gpa + 16, table_id, 8);
	assert_int_equal(get32(gpa + 24), 1);
	assert_memory_equal(ram_buf + gpa + 28, "HVD ", 4);
	assert_int_equal(get32(gpa + 32), 1);
	return len;
}

/* The FADT and MADT, from the RSDT and XSDT, which must agree. */
static void root_tables(int64_t rsdp, uint64_t *fadt, uint64_t *madt)
{
	uint64_t rsdt = get32(rsdp + 16), xsdt = get64(rsdp + 24);

	assert_int_equal(check_sdt(rsdt, "RSDT", 1, "HVDRSDT "), 36 + 2 * 4);
	assert_int_equal(check_sdt(xsdt, "XSDT", 1, "HVDXSDT "), 36 + 2 * 8);
	*fadt = get32(rsdt + 36);
	*madt = get32(rsdt + 40);
	assert_int_equal(get64(xsdt + 36), *fadt);
	assert_int_equal(get64(xsdt + 44), *madt);
	assert_memory_equal(ram_buf + *fadt, "FACP", 4);
	assert_memory_equal(ram_buf + *madt, "APIC", 4);
}

static void rsdp_is_valid_and_found_by_a_legacy_scan(void **state)
{
	int64_t rsdp = build(1);
	uint64_t a, found = 0, fadt, madt;
	unsigned int hits = 0;

	(void)state;
	assert_int_equal(rsdp, HVD_ACPI_START);
	assert_memory_equal(ram_buf + rsdp, "RSD PTR ", 8);
	assert_int_equal(sum(rsdp, 20), 0);
	assert_int_equal(sum(rsdp, 36), 0);
	assert_memory_equal(ram_buf + rsdp + 9, "HVHV  ", 6);
	assert_int_equal(ram_buf[rsdp + 15], 2);
	assert_int_equal(get32(rsdp + 20), 36);
	assert_int_equal(get64(rsdp + 24) >> 32, 0);
	root_tables(rsdp, &fadt, &madt);
	assert_memory_equal(ram_buf + rsdp + 33, "\0\0\0", 3);

	/* As Linux's acpi_find_root_pointer(): 16-byte steps, checksummed. */
	for (a = 0xe0000; a < 0x100000; a += 16) {
		if (!memcmp(ram_buf + a, "RSD PTR ", 8) && !sum(a, 20)) {
			found = a;
			hits++;
		}
	}
	assert_int_equal(hits, 1);
	assert_int_equal(found, rsdp);
	/* The rest of the area was cleared, not left as it was. */
	assert_int_equal(ram_buf[0xfffff], 0);
	assert_int_equal(ram_buf[0xe0000 - 1], 0xa5);
	assert_int_equal(ram_buf[0x100000], 0xa5);
}

static void gas_io(uint64_t gpa, uint8_t bits, uint8_t access, uint16_t port)
{
	assert_int_equal(ram_buf[gpa], 1); /* system I/O */
	assert_int_equal(ram_buf[gpa + 1], bits);
	assert_int_equal(ram_buf[gpa + 2], 0);
	assert_int_equal(ram_buf[gpa + 3], access);
	assert_int_equal(get64(gpa + 4), port);
}

static void gas_none(uint64_t gpa)
{
	static const uint8_t zero[12];

	assert_memory_equal(ram_buf + gpa, zero, 12);
}

static void fadt_fields_at_their_offsets(void **state)
{
	uint64_t fadt, madt, facs, dsdt;
	int64_t rsdp = build(2);

	(void)state;
	root_tables(rsdp, &fadt, &madt);
	assert_int_equal(check_sdt(fadt, "FACP", 6, "HVDFACP "), 276);

	facs = get32(fadt + 36);
	dsdt = get32(fadt + 40);
	assert_int_equal(facs % 64, 0);
	assert_memory_equal(ram_buf + facs, "FACS", 4);
	assert_int_equal(get32(facs + 4), 64);
	assert_int_equal(get32(facs + 8), 0); /* hardware signature */
	assert_int_equal(get32(facs + 12), 0); /* no waking vector */
	assert_int_equal(get32(facs + 16), 0); /* global lock free */
	assert_int_equal(ram_buf[facs + 32], 2);
	assert_memory_equal(ram_buf + dsdt, "DSDT", 4);

	assert_int_equal(ram_buf[fadt + 45], 0); /* PM profile */
	assert_int_equal(get16(fadt + 46), 9); /* SCI_INT */
	assert_int_equal(get32(fadt + 48), 0); /* SMI_CMD */
	assert_int_equal(ram_buf[fadt + 52], 0); /* ACPI_ENABLE */
	assert_int_equal(ram_buf[fadt + 53], 0); /* ACPI_DISABLE */
	assert_int_equal(get32(fadt + 56), 0x600); /* PM1a_EVT_BLK */
	assert_int_equal(get32(fadt + 60), 0); /* PM1b_EVT_BLK */
	assert_int_equal(get32(fadt + 64), 0x604); /* PM1a_CNT_BLK */
	assert_int_equal(get32(fadt + 68), 0);
	assert_int_equal(get32(fadt + 72), 0); /* PM2_CNT_BLK */
	assert_int_equal(get32(fadt + 76), 0x608); /* PM_TMR_BLK */
	assert_int_equal(get32(fadt + 80), 0); /* GPE0_BLK */
	assert_int_equal(get32(fadt + 84), 0); /* GPE1_BLK */
	assert_int_equal(ram_buf[fadt + 88], 4); /* PM1_EVT_LEN */
	assert_int_equal(ram_buf[fadt + 89], 2); /* PM1_CNT_LEN */
	assert_int_equal(ram_buf[fadt + 90], 0); /* PM2_CNT_LEN */
	assert_int_equal(ram_buf[fadt + 91], 4); /* PM_TMR_LEN */
	assert_int_equal(ram_buf[fadt + 92], 0); /* GPE0_BLK_LEN */
	assert_int_equal(ram_buf[fadt + 93], 0); /* GPE1_BLK_LEN */
	assert_int_equal(ram_buf[fadt + 95], 0); /* CST_CNT */
	assert_int_equal(get16(fadt + 96), 101); /* P_LVL2_LAT */
	assert_int_equal(get16(fadt + 98), 1001); /* P_LVL3_LAT */
	assert_int_equal(ram_buf[fadt + 106], 0); /* DAY_ALRM */
	assert_int_equal(ram_buf[fadt + 107], 0); /* MON_ALRM */
	assert_int_equal(ram_buf[fadt + 108], 0x32); /* CENTURY */
	assert_int_equal(get16(fadt + 109), 0x0005); /* IAPC_BOOT_ARCH */
	/* WBINVD, PROC_C1, SLP_BUTTON, RESET_REG_SUP; no TMR_VAL_EXT. */
	assert_int_equal(get32(fadt + 112), 0x00000425);
	gas_io(fadt + 116, 8, 1, 0xcf9); /* RESET_REG */
	assert_int_equal(ram_buf[fadt + 128], 0x06); /* RESET_VALUE */
	assert_int_equal(get16(fadt + 129), 0); /* ARM_BOOT_ARCH */
	assert_int_equal(ram_buf[fadt + 131], 4); /* minor version */
	/* Only one of FIRMWARE_CTRL and X_FIRMWARE_CTRL may be set. */
	assert_int_equal(get64(fadt + 132), 0);
	assert_int_equal(get64(fadt + 140), dsdt); /* X_DSDT */
	gas_io(fadt + 148, 32, 2, 0x600); /* X_PM1a_EVT_BLK */
	gas_none(fadt + 160);
	gas_io(fadt + 172, 16, 2, 0x604); /* X_PM1a_CNT_BLK */
	gas_none(fadt + 184);
	gas_none(fadt + 196);
	gas_io(fadt + 208, 32, 3, 0x608); /* X_PM_TMR_BLK */
	gas_none(fadt + 220);
	gas_none(fadt + 232);
	gas_none(fadt + 244); /* SLEEP_CONTROL */
	gas_none(fadt + 256); /* SLEEP_STATUS */
	assert_memory_equal(ram_buf + fadt + 268, "HVHV\0\0\0\0", 8);
}

static void madt_is(uint64_t madt, const uint8_t *want, size_t len)
{
	assert_int_equal(check_sdt(madt, "APIC", 5, "HVDAPIC "), 44 + len);
	assert_int_equal(get32(madt + 36), 0xfee00000);
	assert_int_equal(get32(madt + 40), 1); /* PCAT_COMPAT */
	assert_memory_equal(ram_buf + madt + 44, want, len);
}

/* clang-format off */
#define IOAPIC_ISO_NMI							\
	/* I/O APIC: ID 0, 0xfec00000, GSI base 0 */			\
	1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0,		\
	/* ISA IRQ 0 -> GSI 2, conforming */				\
	2, 10, 0, 0, 2, 0, 0, 0, 0x00, 0x00,				\
	/* ISA IRQ 9 -> GSI 9, level, active high */			\
	2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0x00,				\
	/* Local APIC NMI: all processors, flags 0, LINT1 */		\
	4, 6, 0xff, 0x00, 0x00, 1
/* clang-format on */

static void madt_for_one_and_four_processors(void **state)
{
	/* clang-format off */
	static const uint8_t one[] = {
		0, 8, 0, 0, 1, 0, 0, 0,
		IOAPIC_ISO_NMI,
	};
	static const uint8_t four[] = {
		0, 8, 0, 0, 1, 0, 0, 0,
		0, 8, 1, 1, 1, 0, 0, 0,
		0, 8, 2, 2, 1, 0, 0, 0,
		0, 8, 3, 3, 1, 0, 0, 0,
		IOAPIC_ISO_NMI,
	};
	/* clang-format on */
	uint64_t fadt, madt;

	(void)state;
	root_tables(build(1), &fadt, &madt);
	madt_is(madt, one, sizeof(one));
	/* A rebuild with more processors: the tables grow, nothing stale. */
	root_tables(build(4), &fadt, &madt);
	madt_is(madt, four, sizeof(four));
	assert_int_equal(ram_buf[madt + 44 + sizeof(four)], 0);
}

static void madt_for_255_processors(void **state)
{
	uint64_t fadt, madt, p;
	unsigned int i;

	(void)state;
	root_tables(build(255), &fadt, &madt);
	assert_int_equal(check_sdt(madt, "APIC", 5, "HVDAPIC "),
			 44 + 255 * 8 + 12 + 20 + 6);
	for (i = 0; i < 255; i++) {
		p = madt + 44 + 8 * i;
		assert_int_equal(get16(p), 0x0800);
		assert_int_equal(ram_buf[p + 2], i);
		assert_int_equal(ram_buf[p + 3], i);
		assert_int_equal(get32(p + 4), 1);
	}
	assert_int_equal(ram_buf[madt + 44 + 255 * 8], 1);
}

/* ACPI 6.4, 20.2 and 6.4; the resource bytes match iasl's output. */
/* clang-format off */
static const uint8_t dsdt_aml[] = {
	/* Name (\_S5, Package (0x04) { 0x05, 0x05, Zero, Zero }) */
	0x08, 0x5c, '_', 'S', '5', '_',
	0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
	/* Scope (\_SB), PkgLength 131 */
	0x10, 0x43, 0x08, 0x5c, '_', 'S', 'B', '_',
	/* Device (PCI0), PkgLength 122 */
	0x5b, 0x82, 0x4a, 0x07, 'P', 'C', 'I', '0',
	/* Name (_HID, EisaId ("PNP0A03")) */
	0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03,
	/* Name (_UID, Zero), Name (_BBN, Zero) */
	0x08, '_', 'U', 'I', 'D', 0x00,
	0x08, '_', 'B', 'B', 'N', 0x00,
	/* Name (_CRS, ResourceTemplate ()): Buffer, PkgLength 88, 0x54 */
	0x08, '_', 'C', 'R', 'S', 0x11, 0x48, 0x05, 0x0a, 0x54,
	/* WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
	 * 0, 0, 0xff, 0, 0x100) */
	0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x01,
	/* IO (Decode16, 0xcf8, 0xcf8, 1, 8) */
	0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08,
	/* WordIO (..., EntireRange, 0, 0, 0xcf7, 0, 0xcf8) */
	0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0x00, 0x00,
	0x00, 0x00, 0xf7, 0x0c, 0x00, 0x00, 0xf8, 0x0c,
	/* WordIO (..., EntireRange, 0, 0xd00, 0xffff, 0, 0xf300) */
	0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0x00, 0x00,
	0x00, 0x0d, 0xff, 0xff, 0x00, 0x00, 0x00, 0xf3,
	/* DWordMemory (..., NonCacheable, ReadWrite, 0, 0xc0000000,
	 * 0xfebfffff, 0, 0x3ec00000) */
	0x87, 0x17, 0x00, 0x00, 0x0c, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0,
	0xff, 0xff, 0xbf, 0xfe, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xc0, 0x3e,
	/* EndTag */
	0x79, 0x00,
};
/* clang-format on */

static void dsdt_aml_bytes(void **state)
{
	uint64_t fadt, madt, dsdt;

	(void)state;
	root_tables(build(1), &fadt, &madt);
	dsdt = get64(fadt + 140);
	assert_int_equal(check_sdt(dsdt, "DSDT", 2, "HVDDSDT "),
			 36 + sizeof(dsdt_aml));
	assert_memory_equal(ram_buf + dsdt + 36, dsdt_aml, sizeof(dsdt_aml));
}

static void refusals(void **state)
{
	struct hvd_ram small = { ram_buf, 0xf0000, 0xf0000 };
	char err[128];

	(void)state;
	memset(ram_buf + HVD_ACPI_START, 0xa5, HVD_ACPI_END - HVD_ACPI_START);
	err[0] = 0;
	assert_int_equal(hvd_acpi_build(&ram, 0, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "acpi: 0 processors; the MADT describes 1-255");
	err[0] = 0;
	assert_int_equal(hvd_acpi_build(&ram, 256, err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
			    "acpi: 256 processors; the MADT describes 1-255");
	err[0] = 0;
	assert_int_equal(hvd_acpi_build(&small, 1, err, sizeof(err)), -E2BIG);
	assert_string_equal(err,
			    "acpi: no RAM at 0xe0000-0xfffff for the tables");
	/* Nothing was written by a refused build; NULL err is allowed. */
	assert_int_equal(ram_buf[HVD_ACPI_START], 0xa5);
	assert_int_equal(hvd_acpi_build(&ram, 0, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rsdp_is_valid_and_found_by_a_legacy_scan),
		cmocka_unit_test(fadt_fields_at_their_offsets),
		cmocka_unit_test(madt_for_one_and_four_processors),
		cmocka_unit_test(madt_for_255_processors),
		cmocka_unit_test(dsdt_aml_bytes),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests_name("boot_acpi", tests, setup, teardown);
}
