// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of a PCI function's configuration space (daemon/dev/pci.c):
 * the type 0 header's ids, BAR sizing by the write mask for 32-bit,
 * 64-bit and I/O BARs, the decode rules (command bits, address 0, a BAR
 * that wraps), the capability list, the MSI-X capability, table and PBA,
 * reset to the sealed configuration, RW1C status bits and the
 * HVD_PCI_CHANGED_* bits each configuration write returns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "dev/pci.h"

/*
 * The function under test: BAR 0 a 4 KiB 32-bit one holding the MSI-X
 * table (8 vectors at 0x800) and PBA (0xc00), BARs 1-2 a 16 KiB 64-bit one
 * above 4 GiB, BAR 4 32 I/O ports; a vendor capability, MSI-X, and
 * another vendor capability.
 */
#define VENDOR		0x1234
#define DEVICE		0x5678
#define CLASS_REV	0x0c0310abu
#define SUBSYS_VENDOR	0xabcd
#define SUBSYS_ID	0xef01
#define BAR0_ADDR	0xc0000000ull
#define BAR0_SIZE	0x1000ull
#define BAR1_ADDR	0x200000000ull
#define BAR1_SIZE	0x4000ull
#define BAR4_ADDR	0xc040ull
#define BAR4_SIZE	0x20ull
#define CAP0		0x40	/* vendor, 5 bytes */
#define MSIX		0x48	/* 12 bytes */
#define CAP2		0x54	/* vendor, 8 bytes */
#define TABLE		0x800
#define PBA		0xc00
#define NR_VEC		8

static struct hvd_pci_func f;

static int setup(void **state)
{
	hvd_pci_init(&f, VENDOR, DEVICE, CLASS_REV, SUBSYS_VENDOR, SUBSYS_ID);
	hvd_pci_set_bar(&f, 0, HVD_BAR_MEM32, BAR0_SIZE, BAR0_ADDR);
	hvd_pci_set_bar(&f, 1, HVD_BAR_MEM64, BAR1_SIZE, BAR1_ADDR);
	hvd_pci_set_bar(&f, 4, HVD_BAR_IO, BAR4_SIZE, BAR4_ADDR);
	assert_int_equal(hvd_pci_add_cap(&f, PCI_CAP_ID_VNDR, 5), CAP0);
	assert_int_equal(hvd_pci_add_msix(&f, NR_VEC, 0, TABLE, PBA), 0);
	assert_int_equal(hvd_pci_add_cap(&f, PCI_CAP_ID_VNDR, 8), CAP2);
	f.cfg[CAP0 + 2] = 0x5a;	/* a body byte, as a model fills it */
	hvd_pci_seal(&f);
	hvd_pci_reset(&f);
	return 0;
}

static uint32_t rd(unsigned int reg, unsigned int size)
{
	return hvd_pci_cfg_read(&f, reg, size);
}

static unsigned int wr(unsigned int reg, unsigned int size, uint32_t val)
{
	return hvd_pci_cfg_write(&f, reg, size, val);
}

/* All ones written, the mask read back, the old value restored. */
static uint32_t size_bar(unsigned int reg)
{
	uint32_t old = rd(reg, 4), mask;

	assert_int_equal(wr(reg, 4, 0xffffffff), HVD_PCI_CHANGED_MAP);
	mask = rd(reg, 4);
	assert_int_equal(wr(reg, 4, old), HVD_PCI_CHANGED_MAP);
	assert_int_equal(rd(reg, 4), old);
	return mask;
}

static unsigned int windows(struct hvd_range *w)
{
	return hvd_pci_windows(&f, w, HVD_PCI_NR_BARS);
}

static void assert_window(const struct hvd_range *w, enum hvd_space space,
			  uint64_t base, uint64_t len)
{
	assert_int_equal(w->space, space);
	assert_int_equal(w->base, base);
	assert_int_equal(w->len, len);
}

/* ---- the header -------------------------------------------------------- */

static void test_header(void **state)
{
	assert_int_equal(rd(0x00, 4), 0x56781234);
	assert_int_equal(rd(0x00, 2), VENDOR);
	assert_int_equal(rd(0x02, 2), DEVICE);
	assert_int_equal(rd(0x01, 1), 0x12);
	/* Command 0; status: only the capability list. */
	assert_int_equal(rd(0x04, 4), 0x00100000);
	assert_int_equal(rd(0x08, 4), CLASS_REV);
	assert_int_equal(rd(PCI_REVISION_ID, 1), 0xab);
	assert_int_equal(rd(0x0b, 1), 0x0c);
	/* Header type 0, single function; no BIST, latency, cache line. */
	assert_int_equal(rd(0x0c, 4), 0);
	assert_int_equal(rd(PCI_HEADER_TYPE, 1), 0);
	assert_int_equal(rd(0x10, 4), 0xc0000000);
	assert_int_equal(rd(0x14, 4), 0x00000004);
	assert_int_equal(rd(0x18, 4), 0x00000002);
	assert_int_equal(rd(0x1c, 4), 0);
	assert_int_equal(rd(0x20, 4), 0x0000c041);
	assert_int_equal(rd(0x24, 4), 0);
	assert_int_equal(rd(0x28, 4), 0);
	assert_int_equal(rd(0x2c, 4), 0xef01abcd);
	assert_int_equal(rd(PCI_SUBSYSTEM_ID, 2), SUBSYS_ID);
	assert_int_equal(rd(0x30, 4), 0);
	assert_int_equal(rd(0x34, 4), CAP0);
	/* No INTx pin (6.2.4): MSI-X only. */
	assert_int_equal(rd(0x3c, 4), 0);
	assert_int_equal(rd(0xfc, 4), 0);
	/* Past configuration space: all ones. */
	assert_int_equal(rd(0x100, 4), 0xffffffff);
	assert_int_equal(rd(0xfe, 4), 0xffffffff);
}

static void test_read_only_ids(void **state)
{
	static const unsigned int regs[] = { 0x00, 0x08, 0x0c, 0x28, 0x2c,
					     0x30, 0x34, 0x38, 0x80, 0xfc };
	uint8_t before[HVD_PCI_CFG_SIZE];
	unsigned int i;

	memcpy(before, f.cfg, sizeof(before));
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		assert_int_equal(wr(regs[i], 4, 0xffffffff), 0);
		assert_int_equal(wr(regs[i], 4, 0), 0);
	}
	assert_int_equal(wr(PCI_INTERRUPT_PIN, 1, 0x01), 0);
	assert_memory_equal(f.cfg, before, sizeof(before));
	/* Out of range: dropped. */
	assert_int_equal(wr(0x100, 4, 0xffffffff), 0);
	assert_int_equal(wr(0xfe, 4, 0xffffffff), 0);
	assert_memory_equal(f.cfg, before, sizeof(before));
}

static void test_command_and_line(void **state)
{
	/* IO, memory, master, parity, SERR, INTx disable. */
	assert_int_equal(wr(PCI_COMMAND, 2, 0xffff), HVD_PCI_CHANGED_MAP);
	assert_int_equal(rd(PCI_COMMAND, 2), 0x0547);
	assert_int_equal(wr(PCI_COMMAND, 2, 0), HVD_PCI_CHANGED_MAP);
	assert_int_equal(rd(PCI_COMMAND, 2), 0);
	assert_int_equal(wr(PCI_INTERRUPT_LINE, 1, 0x0b), 0);
	assert_int_equal(rd(0x3c, 4), 0x0000000b);
}

/* ---- BARs -------------------------------------------------------------- */

static void test_bar_sizing_mem32(void **state)
{
	/* 4 KiB, memory, 32-bit, not prefetchable: type bits 0000. */
	assert_int_equal(size_bar(0x10), 0xfffff000);
}

static void test_bar_sizing_mem64(void **state)
{
	struct hvd_pci_func big;

	/* 16 KiB: the low dword keeps type 10b (64-bit), the high is all. */
	assert_int_equal(size_bar(0x14), 0xffffc004);
	assert_int_equal(size_bar(0x18), 0xffffffff);

	/* 8 GiB: the low dword only has its type bits to say. */
	hvd_pci_init(&big, VENDOR, DEVICE, CLASS_REV, 0, 0);
	hvd_pci_set_bar(&big, 2, HVD_BAR_MEM64, 8ull << 30, 0);
	assert_int_equal(hvd_pci_cfg_write(&big, 0x18, 4, 0xffffffff), 0);
	assert_int_equal(hvd_pci_cfg_write(&big, 0x1c, 4, 0xffffffff),
			 HVD_PCI_CHANGED_MAP);
	assert_int_equal(hvd_pci_cfg_read(&big, 0x18, 4), 0x00000004);
	assert_int_equal(hvd_pci_cfg_read(&big, 0x1c, 4), 0xfffffffe);
	assert_int_equal(hvd_pci_bar_addr(&big, 2), 0xfffffffe00000000ull);
}

static void test_bar_sizing_io(void **state)
{
	/* 32 ports: bit 0 says I/O, 16 bits decoded. */
	assert_int_equal(size_bar(0x20), 0x0000ffe1);
}

static void test_bar_unimplemented(void **state)
{
	assert_int_equal(wr(0x1c, 4, 0xffffffff), 0);
	assert_int_equal(rd(0x1c, 4), 0);
	assert_int_equal(wr(0x24, 4, 0xffffffff), 0);
	assert_int_equal(rd(0x24, 4), 0);
	/* No expansion ROM. */
	assert_int_equal(wr(0x30, 4, 0xfffff801), 0);
	assert_int_equal(rd(0x30, 4), 0);
	assert_int_equal(hvd_pci_bar_addr(&f, 3), 0);
	assert_false(hvd_pci_bar_decoded(&f, 3));
}

static void test_bar_addr(void **state)
{
	assert_int_equal(hvd_pci_bar_addr(&f, 0), BAR0_ADDR);
	assert_int_equal(hvd_pci_bar_addr(&f, 1), BAR1_ADDR);
	assert_int_equal(hvd_pci_bar_addr(&f, 2), 0);
	assert_int_equal(hvd_pci_bar_addr(&f, 4), BAR4_ADDR);
	/* The low bits a BAR's size masks read 0. */
	assert_int_equal(wr(0x10, 4, 0xd0000fff), HVD_PCI_CHANGED_MAP);
	assert_int_equal(rd(0x10, 4), 0xd0000000);
	assert_int_equal(hvd_pci_bar_addr(&f, 0), 0xd0000000);
	assert_int_equal(wr(0x20, 4, 0x1234ffff), HVD_PCI_CHANGED_MAP);
	assert_int_equal(rd(0x20, 4), 0x0000ffe1);
	/* A byte of the 64-bit BAR's high dword. */
	assert_int_equal(wr(0x1b, 1, 0x80), HVD_PCI_CHANGED_MAP);
	assert_int_equal(hvd_pci_bar_addr(&f, 1), 0x8000000200000000ull);
}

static void test_decode_command(void **state)
{
	struct hvd_range w[HVD_PCI_NR_BARS];

	/* Command 0 after reset: nothing decodes. */
	assert_int_equal(windows(w), 0);
	assert_false(hvd_pci_bar_decoded(&f, 0));
	assert_false(hvd_pci_bar_decoded(&f, 1));
	assert_false(hvd_pci_bar_decoded(&f, 4));

	assert_int_equal(wr(PCI_COMMAND, 2, PCI_CMD_MEMORY),
			 HVD_PCI_CHANGED_MAP);
	assert_int_equal(windows(w), 2);
	assert_window(&w[0], HVD_MMIO, BAR0_ADDR, BAR0_SIZE);
	assert_window(&w[1], HVD_MMIO, BAR1_ADDR, BAR1_SIZE);
	assert_false(hvd_pci_bar_decoded(&f, 4));

	assert_int_equal(wr(PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_IO),
			 HVD_PCI_CHANGED_MAP);
	assert_int_equal(windows(w), 3);
	assert_window(&w[2], HVD_PIO, BAR4_ADDR, BAR4_SIZE);
	/* At most @max. */
	assert_int_equal(hvd_pci_windows(&f, w, 1), 1);
	assert_window(&w[0], HVD_MMIO, BAR0_ADDR, BAR0_SIZE);

	assert_int_equal(wr(PCI_COMMAND, 2, PCI_CMD_IO), HVD_PCI_CHANGED_MAP);
	assert_int_equal(windows(w), 1);
	assert_window(&w[0], HVD_PIO, BAR4_ADDR, BAR4_SIZE);
}

static void test_decode_address(void **state)
{
	struct hvd_range w[HVD_PCI_NR_BARS];

	wr(PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_IO);
	/* Address 0: unassigned. */
	wr(0x10, 4, 0);
	assert_false(hvd_pci_bar_decoded(&f, 0));
	assert_int_equal(windows(w), 2);
	assert_window(&w[0], HVD_MMIO, BAR1_ADDR, BAR1_SIZE);

	/* While being sized, a BAR ends at 4 GiB: it would wrap. */
	wr(0x10, 4, 0xffffffff);
	assert_false(hvd_pci_bar_decoded(&f, 0));
	/* One page lower it is a BAR like any other. */
	wr(0x10, 4, 0xffffe000);
	assert_true(hvd_pci_bar_decoded(&f, 0));

	/* The 64-bit one, sized in both halves: beyond any address. */
	wr(0x14, 4, 0xffffffff);
	wr(0x18, 4, 0xffffffff);
	assert_false(hvd_pci_bar_decoded(&f, 1));
	/* Its low half alone sized, the high one 0: below 4 GiB, fine. */
	wr(0x18, 4, 0);
	assert_true(hvd_pci_bar_decoded(&f, 1));
	assert_int_equal(hvd_pci_bar_addr(&f, 1), 0xffffc000);
	wr(0x14, 4, 0);
	assert_false(hvd_pci_bar_decoded(&f, 1));
	/* The high half alone is an address. */
	wr(0x18, 4, 0x10);
	assert_true(hvd_pci_bar_decoded(&f, 1));
	assert_int_equal(hvd_pci_bar_addr(&f, 1), 0x1000000000ull);

	/* I/O: sized, it ends at 64 Ki ports; 0 is unassigned. */
	wr(0x20, 4, 0xffffffff);
	assert_false(hvd_pci_bar_decoded(&f, 4));
	wr(0x20, 4, 0xffc0);
	assert_true(hvd_pci_bar_decoded(&f, 4));
	wr(0x20, 4, 0);
	assert_false(hvd_pci_bar_decoded(&f, 4));

	assert_int_equal(windows(w), 2);
	assert_window(&w[0], HVD_MMIO, 0xffffe000, BAR0_SIZE);
	assert_window(&w[1], HVD_MMIO, 0x1000000000ull, BAR1_SIZE);
}

static void test_bar_at(void **state)
{
	uint64_t off = 0x1234;

	assert_int_equal(hvd_pci_bar_at(&f, HVD_MMIO, BAR0_ADDR, &off), -1);
	wr(PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_IO);
	assert_int_equal(hvd_pci_bar_at(&f, HVD_MMIO, BAR0_ADDR, &off), 0);
	assert_int_equal(off, 0);
	assert_int_equal(hvd_pci_bar_at(&f, HVD_MMIO, BAR0_ADDR + 0xfff, &off),
			 0);
	assert_int_equal(off, 0xfff);
	assert_int_equal(hvd_pci_bar_at(&f, HVD_MMIO, BAR1_ADDR + 0x3ffe, &off),
			 1);
	assert_int_equal(off, 0x3ffe);
	assert_int_equal(hvd_pci_bar_at(&f, HVD_PIO, BAR4_ADDR + 3, &off), 4);
	assert_int_equal(off, 3);
	off = 0x1234;
	assert_int_equal(hvd_pci_bar_at(&f, HVD_MMIO, BAR0_ADDR + BAR0_SIZE,
					&off), -1);
	assert_int_equal(hvd_pci_bar_at(&f, HVD_MMIO, BAR0_ADDR - 1, &off), -1);
	assert_int_equal(hvd_pci_bar_at(&f, HVD_PIO, BAR4_ADDR + BAR4_SIZE,
					&off), -1);
	/* The space matters, not only the number. */
	assert_int_equal(hvd_pci_bar_at(&f, HVD_MMIO, BAR4_ADDR, &off), -1);
	assert_int_equal(hvd_pci_bar_at(&f, HVD_PIO, BAR0_ADDR, &off), -1);
	assert_int_equal(off, 0x1234);
}

/* ---- capabilities ------------------------------------------------------ */

static void test_cap_chain(void **state)
{
	static const uint8_t ids[] = { PCI_CAP_ID_VNDR, PCI_CAP_ID_MSIX,
				       PCI_CAP_ID_VNDR };
	static const uint8_t offs[] = { CAP0, MSIX, CAP2 };
	unsigned int n = 0, ptr;

	assert_true(rd(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	for (ptr = rd(PCI_CAPABILITY_LIST, 1); ptr; ptr = rd(ptr + 1, 1)) {
		assert_true(n < 3);
		assert_int_equal(ptr, offs[n]);
		assert_int_equal(rd(ptr, 1), ids[n]);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(rd(CAP0, 4), 0x005a4809);
	assert_int_equal(rd(CAP2, 4), 0x00000009);
	/* The next one would start at 0x5c; a full space refuses. */
	assert_int_equal(f.cap_end, 0x5c);
	assert_int_equal(hvd_pci_add_cap(&f, PCI_CAP_ID_VNDR, 0xa5), 0);
	assert_int_equal(hvd_pci_add_cap(&f, PCI_CAP_ID_VNDR, 1), 0);
	assert_int_equal(rd(CAP2 + 1, 1), 0);
	assert_int_equal(hvd_pci_add_cap(&f, PCI_CAP_ID_VNDR, 0xa4), 0x5c);
	assert_int_equal(rd(CAP2 + 1, 1), 0x5c);
	assert_int_equal(rd(0x5c, 2), 0x0009);
}

static void test_no_caps(void **state)
{
	struct hvd_pci_func g;

	hvd_pci_init(&g, VENDOR, DEVICE, CLASS_REV, 0, 0);
	assert_int_equal(hvd_pci_cfg_read(&g, PCI_STATUS, 2), 0);
	assert_int_equal(hvd_pci_cfg_read(&g, PCI_CAPABILITY_LIST, 1), 0);
	assert_false(hvd_pci_msix_enabled(&g));
	assert_true(hvd_pci_msix_masked(&g, 0));
	assert_false(hvd_pci_msix_in(&g, 0, 0));
}

static void test_msix_cap(void **state)
{
	struct hvd_pci_func g;

	/* Id, next, table size - 1; table and PBA offsets with BIR 0. */
	assert_int_equal(rd(MSIX, 4), 0x00075411);
	assert_int_equal(rd(MSIX + 4, 4), TABLE);
	assert_int_equal(rd(MSIX + 8, 4), PBA);
	/* Only enable and function mask are writable. */
	assert_int_equal(wr(MSIX + 2, 2, 0xffff), HVD_PCI_CHANGED_MSIX);
	assert_int_equal(rd(MSIX + 2, 2), 0xc007);
	assert_int_equal(wr(MSIX + 4, 4, 0xffffffff), 0);
	assert_int_equal(wr(MSIX + 8, 4, 0xffffffff), 0);
	assert_int_equal(rd(MSIX + 4, 4), TABLE);
	assert_int_equal(rd(MSIX + 8, 4), PBA);

	/* BIR in the low bits. */
	hvd_pci_init(&g, VENDOR, DEVICE, CLASS_REV, 0, 0);
	assert_int_equal(hvd_pci_add_msix(&g, 64, 2, 0x2000, 0x3000), 0);
	assert_int_equal(hvd_pci_cfg_read(&g, 0x40, 4), 0x003f0011);
	assert_int_equal(hvd_pci_cfg_read(&g, 0x44, 4), 0x2002);
	assert_int_equal(hvd_pci_cfg_read(&g, 0x48, 4), 0x3002);
	assert_true(hvd_pci_msix_in(&g, 2, 0x2000));
	assert_false(hvd_pci_msix_in(&g, 0, 0x2000));
	assert_int_equal(hvd_pci_add_msix(&g, 0, 2, 0x2000, 0x3000), -1);
	assert_int_equal(hvd_pci_add_msix(&g, HVD_PCI_MSIX_MAX + 1, 2, 0x2000,
					  0x3000),
			 -1);
}

/* ---- the MSI-X table and PBA ------------------------------------------- */

static uint64_t tread(uint64_t off, unsigned int size)
{
	assert_true(hvd_pci_msix_in(&f, 0, off));
	return hvd_pci_msix_read(&f, off, size);
}

static int twrite(uint64_t off, unsigned int size, uint64_t val)
{
	assert_true(hvd_pci_msix_in(&f, 0, off));
	return hvd_pci_msix_write(&f, off, size, val);
}

static void test_msix_in(void **state)
{
	assert_false(hvd_pci_msix_in(&f, 0, TABLE - 1));
	assert_true(hvd_pci_msix_in(&f, 0, TABLE));
	assert_true(hvd_pci_msix_in(&f, 0, TABLE + 16 * NR_VEC - 1));
	assert_false(hvd_pci_msix_in(&f, 0, TABLE + 16 * NR_VEC));
	assert_false(hvd_pci_msix_in(&f, 0, PBA - 1));
	assert_true(hvd_pci_msix_in(&f, 0, PBA));
	assert_true(hvd_pci_msix_in(&f, 0, PBA + 7));
	assert_false(hvd_pci_msix_in(&f, 0, PBA + 8));
	assert_false(hvd_pci_msix_in(&f, 1, TABLE));
	assert_false(hvd_pci_msix_in(&f, 4, PBA));
}

static void test_msix_table_reset_state(void **state)
{
	unsigned int v;

	for (v = 0; v < NR_VEC; v++) {
		assert_int_equal(tread(TABLE + 16 * v, 4), 0);
		assert_int_equal(tread(TABLE + 16 * v + 4, 4), 0);
		assert_int_equal(tread(TABLE + 16 * v + 8, 4), 0);
		assert_int_equal(tread(TABLE + 16 * v + 12, 4), 1);
		assert_int_equal(tread(TABLE + 16 * v + 8, 8), 1ull << 32);
	}
	assert_int_equal(tread(PBA, 8), 0);
}

static void test_msix_table_dwords(void **state)
{
	uint64_t addr;
	uint32_t data;

	/* The address is DWORD aligned: bits 1:0 read 0. */
	assert_int_equal(twrite(TABLE + 0x30, 4, 0xfee01003), 3);
	assert_int_equal(twrite(TABLE + 0x34, 4, 0x12345678), 3);
	assert_int_equal(twrite(TABLE + 0x38, 4, 0xdeadbeef), 3);
	/* Vector control: only the mask bit. */
	assert_int_equal(twrite(TABLE + 0x3c, 4, 0xfffffffe), 3);
	assert_int_equal(tread(TABLE + 0x30, 4), 0xfee01000);
	assert_int_equal(tread(TABLE + 0x34, 4), 0x12345678);
	assert_int_equal(tread(TABLE + 0x38, 4), 0xdeadbeef);
	assert_int_equal(tread(TABLE + 0x3c, 4), 0);
	assert_int_equal(twrite(TABLE + 0x3c, 4, 0xffffffff), 3);
	assert_int_equal(tread(TABLE + 0x3c, 4), 1);
	hvd_pci_msix_msg(&f, 3, &addr, &data);
	assert_int_equal(addr, 0x12345678fee01000ull);
	assert_int_equal(data, 0xdeadbeef);
	/* The neighbours are untouched. */
	assert_int_equal(tread(TABLE + 0x20, 8), 0);
	assert_int_equal(tread(TABLE + 0x2c, 4), 1);
	assert_int_equal(tread(TABLE + 0x40, 8), 0);
	assert_int_equal(tread(TABLE + 0x4c, 4), 1);
}

static void test_msix_table_qwords(void **state)
{
	uint64_t addr;
	uint32_t data;

	assert_int_equal(twrite(TABLE + 0x70, 8, 0x00000001fee00007ull), 7);
	assert_int_equal(twrite(TABLE + 0x78, 8, 0xfffffffe00000041ull), 7);
	assert_int_equal(tread(TABLE + 0x70, 8), 0x00000001fee00004ull);
	assert_int_equal(tread(TABLE + 0x78, 8), 0x0000000000000041ull);
	assert_int_equal(tread(TABLE + 0x70, 4), 0xfee00004);
	assert_int_equal(tread(TABLE + 0x74, 4), 1);
	assert_int_equal(tread(TABLE + 0x7c, 4), 0);
	hvd_pci_msix_msg(&f, 7, &addr, &data);
	assert_int_equal(addr, 0x1fee00004ull);
	assert_int_equal(data, 0x41);
	assert_int_equal(twrite(TABLE + 0x78, 8, 0x0000000100000042ull), 7);
	assert_int_equal(tread(TABLE + 0x78, 8), 0x0000000100000042ull);
}

static void test_msix_table_bad_accesses(void **state)
{
	uint32_t before[HVD_PCI_MSIX_MAX][4];

	twrite(TABLE + 0x10, 8, 0x00000000fee00000ull);
	twrite(TABLE + 0x18, 8, 0x0000000000000030ull);
	memcpy(before, f.msix, sizeof(before));
	/* Misaligned, or neither 4 nor 8 bytes: dropped, and read as 0. */
	assert_int_equal(twrite(TABLE + 0x14, 8, ~0ull), -1);
	assert_int_equal(twrite(TABLE + 0x12, 4, ~0ull), -1);
	assert_int_equal(twrite(TABLE + 0x18, 2, 0xffff), -1);
	assert_int_equal(twrite(TABLE + 0x18, 1, 0xff), -1);
	/* The PBA is read-only. */
	assert_int_equal(twrite(PBA, 8, ~0ull), -1);
	assert_int_equal(twrite(PBA + 4, 4, ~0u), -1);
	assert_memory_equal(f.msix, before, sizeof(before));
	assert_int_equal(tread(PBA, 8), 0);
	assert_int_equal(tread(TABLE + 0x14, 8), 0);
	assert_int_equal(tread(TABLE + 0x12, 4), 0);
	assert_int_equal(tread(TABLE + 0x18, 2), 0);
	assert_int_equal(tread(TABLE + 0x18, 1), 0);
	assert_int_equal(tread(TABLE + 0x18, 4), 0x30);
}

static void test_msix_pba(void **state)
{
	assert_false(hvd_pci_msix_pending(&f, 3));
	hvd_pci_msix_set_pending(&f, 3, true);
	hvd_pci_msix_set_pending(&f, 7, true);
	assert_true(hvd_pci_msix_pending(&f, 3));
	assert_true(hvd_pci_msix_pending(&f, 7));
	assert_false(hvd_pci_msix_pending(&f, 4));
	assert_int_equal(tread(PBA, 8), 0x88);
	assert_int_equal(tread(PBA, 4), 0x88);
	assert_int_equal(tread(PBA + 4, 4), 0);
	/* Out of range: nothing. */
	hvd_pci_msix_set_pending(&f, NR_VEC, true);
	assert_false(hvd_pci_msix_pending(&f, NR_VEC));
	assert_int_equal(f.pba[0], 0x88);
	hvd_pci_msix_set_pending(&f, 3, false);
	assert_false(hvd_pci_msix_pending(&f, 3));
	assert_int_equal(tread(PBA, 8), 0x80);
}

/* A 4-byte read of either half of the PBA is that half alone. */
static void test_msix_pba_dwords(void **state)
{
	struct hvd_pci_func g;

	hvd_pci_init(&g, VENDOR, DEVICE, CLASS_REV, 0, 0);
	hvd_pci_set_bar(&g, 0, HVD_BAR_MEM32, 0x2000, 0xc0000000);
	assert_int_equal(hvd_pci_add_msix(&g, 64, 0, 0, 0x1000), 0);
	hvd_pci_seal(&g);
	hvd_pci_reset(&g);
	hvd_pci_msix_set_pending(&g, 1, true);
	hvd_pci_msix_set_pending(&g, 40, true);
	hvd_pci_msix_set_pending(&g, 63, true);
	assert_int_equal(hvd_pci_msix_read(&g, 0x1000, 8),
			 0x8000010000000002ull);
	assert_int_equal(hvd_pci_msix_read(&g, 0x1000, 4), 0x00000002);
	assert_int_equal(hvd_pci_msix_read(&g, 0x1004, 4), 0x80000100);
}

/* The PBA may come before the table in the BAR (PCIe 7.7.2.4-5). */
static void test_msix_pba_before_table(void **state)
{
	struct hvd_pci_func g;

	hvd_pci_init(&g, VENDOR, DEVICE, CLASS_REV, 0, 0);
	hvd_pci_set_bar(&g, 0, HVD_BAR_MEM32, 0x2000, 0xc0000000);
	assert_int_equal(hvd_pci_add_msix(&g, 4, 0, 0x1000, 0x0), 0);
	hvd_pci_seal(&g);
	hvd_pci_reset(&g);
	assert_true(hvd_pci_msix_in(&g, 0, 0x0));
	assert_true(hvd_pci_msix_in(&g, 0, 0x1000));
	assert_false(hvd_pci_msix_in(&g, 0, 0x8));
	assert_int_equal(hvd_pci_msix_write(&g, 0x1018, 4, 0x4242), 1);
	assert_int_equal(hvd_pci_msix_read(&g, 0x1018, 4), 0x4242);
	assert_int_equal(hvd_pci_msix_read(&g, 0x101c, 4), 1);
	assert_int_equal(hvd_pci_msix_read(&g, 0x1000, 8), 0);
	hvd_pci_msix_set_pending(&g, 2, true);
	assert_int_equal(hvd_pci_msix_read(&g, 0x0, 8), 0x4);
	assert_int_equal(hvd_pci_msix_read(&g, 0x1028, 4), 0);
	assert_int_equal(hvd_pci_msix_write(&g, 0x0, 8, ~0ull), -1);
	assert_int_equal(hvd_pci_msix_read(&g, 0x0, 8), 0x4);
}

static void test_msix_masking(void **state)
{
	/* Disabled: every vector masked, whatever its entry says. */
	twrite(TABLE + 0x1c, 4, 0);
	assert_false(hvd_pci_msix_enabled(&f));
	assert_true(hvd_pci_msix_masked(&f, 1));

	assert_int_equal(wr(MSIX + 2, 2, PCI_MSIX_ENABLE),
			 HVD_PCI_CHANGED_MSIX);
	assert_true(hvd_pci_msix_enabled(&f));
	assert_false(hvd_pci_msix_masked(&f, 1));
	assert_true(hvd_pci_msix_masked(&f, 0));
	assert_true(hvd_pci_msix_masked(&f, NR_VEC));
	assert_true(hvd_pci_msix_masked(&f, 0xffff));

	/* The function mask masks every vector. */
	assert_int_equal(wr(MSIX + 3, 1,
			    (PCI_MSIX_ENABLE | PCI_MSIX_MASKALL) >> 8),
			 HVD_PCI_CHANGED_MSIX);
	assert_true(hvd_pci_msix_enabled(&f));
	assert_true(hvd_pci_msix_masked(&f, 1));
	assert_int_equal(wr(MSIX + 2, 2, PCI_MSIX_ENABLE),
			 HVD_PCI_CHANGED_MSIX);
	assert_false(hvd_pci_msix_masked(&f, 1));

	twrite(TABLE + 0x1c, 4, 1);
	assert_true(hvd_pci_msix_masked(&f, 1));
	assert_int_equal(wr(MSIX + 2, 2, 0), HVD_PCI_CHANGED_MSIX);
	assert_false(hvd_pci_msix_enabled(&f));
}

/* ---- reset, status, what writes change ------------------------------- */

static void test_reset(void **state)
{
	uint8_t sealed[HVD_PCI_CFG_SIZE];
	unsigned int v;

	memcpy(sealed, f.cfg, sizeof(sealed));
	wr(PCI_COMMAND, 2, 0x0547);
	wr(0x10, 4, 0xd0000000);
	wr(0x14, 4, 0xffffffff);
	wr(0x18, 4, 0xffffffff);
	wr(0x20, 4, 0x1000);
	wr(PCI_INTERRUPT_LINE, 1, 10);
	wr(MSIX + 2, 2, PCI_MSIX_ENABLE | PCI_MSIX_MASKALL);
	for (v = 0; v < NR_VEC; v++) {
		twrite(TABLE + 16 * v, 8, 0xfee00000 + v);
		twrite(TABLE + 16 * v + 8, 8, 0x30 + v);
		hvd_pci_msix_set_pending(&f, v, true);
	}
	/* A model-set error bit, which reset clears too. */
	f.cfg[PCI_STATUS + 1] |= 0x80;

	hvd_pci_reset(&f);
	assert_memory_equal(f.cfg, sealed, sizeof(sealed));
	assert_memory_equal(f.cfg, f.reset_cfg, sizeof(sealed));
	assert_int_equal(rd(PCI_COMMAND, 4), 0x00100000);
	assert_int_equal(rd(0x10, 4), 0xc0000000);
	assert_int_equal(rd(0x14, 4), 0x00000004);
	assert_int_equal(rd(0x18, 4), 0x00000002);
	assert_int_equal(rd(0x20, 4), 0x0000c041);
	assert_int_equal(rd(0x3c, 4), 0);
	assert_int_equal(rd(MSIX, 4), 0x00075411);
	assert_false(hvd_pci_msix_enabled(&f));
	for (v = 0; v < NR_VEC; v++) {
		assert_int_equal(tread(TABLE + 16 * v, 8), 0);
		assert_int_equal(tread(TABLE + 16 * v + 8, 8), 1ull << 32);
		assert_false(hvd_pci_msix_pending(&f, v));
	}
	assert_int_equal(tread(PBA, 8), 0);
	/* Unmasked by the guest again, with MSI-X on: not masked. */
	wr(MSIX + 2, 2, PCI_MSIX_ENABLE);
	assert_true(hvd_pci_msix_masked(&f, 2));
	twrite(TABLE + 0x2c, 4, 0);
	assert_false(hvd_pci_msix_masked(&f, 2));
}

static void test_status_w1c(void **state)
{
	/* Error bits the function (or a model) set: RW1C (6.2.3). */
	f.cfg[PCI_STATUS + 1] = 0xf9;
	assert_int_equal(rd(PCI_STATUS, 2), 0xf910);
	/* Zeroes clear nothing. */
	assert_int_equal(wr(PCI_STATUS, 2, 0), 0);
	assert_int_equal(rd(PCI_STATUS, 2), 0xf910);
	/* A one clears its bit alone; capability list is read-only. */
	assert_int_equal(wr(PCI_STATUS, 2, 0x0110), 0);
	assert_int_equal(rd(PCI_STATUS, 2), 0xf810);
	assert_int_equal(wr(PCI_STATUS + 1, 1, 0x80), 0);
	assert_int_equal(rd(PCI_STATUS, 2), 0x7810);
	/* Bits 10:9 (DEVSEL timing) are neither writable nor cleared. */
	f.cfg[PCI_STATUS + 1] |= 0x06;
	/* One dword: command bits set and status cleared together. */
	assert_int_equal(wr(PCI_COMMAND, 4, 0xffff0000 | PCI_CMD_MEMORY),
			 HVD_PCI_CHANGED_MAP);
	assert_int_equal(rd(PCI_COMMAND, 4), 0x06100002);
}

struct write_case {
	unsigned int reg;
	unsigned int size;
	uint32_t val;
	unsigned int changed;
};

static void test_changed(void **state)
{
	static const struct write_case cases[] = {
		/* Command: decoding bits only. */
		{ PCI_COMMAND, 2, PCI_CMD_MEMORY, HVD_PCI_CHANGED_MAP },
		{ PCI_COMMAND, 2, PCI_CMD_MEMORY, 0 },
		{ PCI_COMMAND, 2, PCI_CMD_MEMORY | PCI_CMD_MASTER, 0 },
		{ PCI_COMMAND, 2, 0x0547, HVD_PCI_CHANGED_MAP },
		{ PCI_COMMAND, 2, 0x0147, 0 },
		{ PCI_COMMAND, 1, 0x46, HVD_PCI_CHANGED_MAP },
		{ PCI_COMMAND, 1, 0x47, HVD_PCI_CHANGED_MAP },
		/* Reserved command bits are not stored, so no change. */
		{ PCI_COMMAND, 2, 0x0147 | 0x8808, 0 },
		/* BARs: a change of address. */
		{ 0x10, 4, 0xc0001000, HVD_PCI_CHANGED_MAP },
		{ 0x10, 4, 0xc0001000, 0 },
		{ 0x10, 4, 0xc000100f, 0 },
		{ 0x10, 1, 0x00, 0 },
		{ 0x13, 1, 0xd0, HVD_PCI_CHANGED_MAP },
		{ 0x18, 4, 0x00000003, HVD_PCI_CHANGED_MAP },
		{ 0x1c, 4, 0x12345678, 0 },
		{ 0x20, 2, 0xc061, HVD_PCI_CHANGED_MAP },
		{ 0x20, 2, 0xc062, 0 },
		/* Interrupt line: nothing to act on. */
		{ PCI_INTERRUPT_LINE, 1, 0x05, 0 },
		{ 0x3c, 4, 0xffffffff, 0 },
		/* MSI-X: enable and function mask. */
		{ MSIX + 2, 2, PCI_MSIX_ENABLE, HVD_PCI_CHANGED_MSIX },
		{ MSIX + 2, 2, PCI_MSIX_ENABLE | 0x07ff, 0 },
		{ MSIX + 2, 1, 0xff, 0 },
		{ MSIX + 3, 1, 0xc0, HVD_PCI_CHANGED_MSIX },
		{ MSIX, 4, 0x40000000, HVD_PCI_CHANGED_MSIX },
		{ MSIX, 4, 0x4000ffff, 0 },
		{ MSIX + 4, 4, 0, 0 },
		/* Capabilities of a vendor: read-only bodies. */
		{ CAP0, 4, 0xffffffff, 0 },
		/* Status: RW1C, nothing to act on. */
		{ PCI_STATUS, 2, 0xffff, 0 },
		{ 0x100, 4, 0xffffffff, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct write_case *c = &cases[i];

		if (wr(c->reg, c->size, c->val) != c->changed)
			fail_msg("case %u: write of %#x (%u bytes) at %#x",
				 i, c->val, c->size, c->reg);
	}
	assert_int_equal(rd(PCI_COMMAND, 2), 0x0147);
	assert_int_equal(hvd_pci_bar_addr(&f, 0), 0xd0001000);
	assert_int_equal(hvd_pci_bar_addr(&f, 1), 0x300000000ull);
	assert_int_equal(hvd_pci_bar_addr(&f, 4), 0xc060);
	assert_int_equal(rd(PCI_INTERRUPT_LINE, 1), 0xff);
	assert_int_equal(rd(MSIX + 2, 2), 0x4007);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_header),
		T(test_read_only_ids),
		T(test_command_and_line),
		T(test_bar_sizing_mem32),
		T(test_bar_sizing_mem64),
		T(test_bar_sizing_io),
		T(test_bar_unimplemented),
		T(test_bar_addr),
		T(test_decode_command),
		T(test_decode_address),
		T(test_bar_at),
		T(test_cap_chain),
		T(test_no_caps),
		T(test_msix_cap),
		T(test_msix_in),
		T(test_msix_table_reset_state),
		T(test_msix_table_dwords),
		T(test_msix_table_qwords),
		T(test_msix_table_bad_accesses),
		T(test_msix_pba),
		T(test_msix_pba_dwords),
		T(test_msix_pba_before_table),
		T(test_msix_masking),
		T(test_reset),
		T(test_status_w1c),
		T(test_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
