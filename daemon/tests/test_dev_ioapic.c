// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the 82093AA I/O APIC model (daemon/dev/ioapic.c, compiled
 * in as is) against the fake services: its registers through IOREGSEL and
 * IOWIN, the redirection entries' writable and read-only bits, the MSIs
 * edge- and level-triggered inputs send (address and data as Intel SDM
 * Vol. 3A, 11.11 lays them out), Remote IRR and EOI, polarity, the
 * delivery modes, and what becomes of junk. Expected values come from the
 * 82093AA datasheet and the SDM, not from running the model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devmodel.h"
#include "fake_services.h"

extern const struct hvd_model ioapic_model;

#define SEL (HVD_IOAPIC_BASE + 0x00)
#define WIN (HVD_IOAPIC_BASE + 0x10)

/* Redirection entry bits (datasheet 3.2.4). */
#define MASKED 0x10000u
#define LEVEL 0x8000u
#define REMOTE_IRR 0x4000u
#define ACTIVE_LOW 0x2000u
#define LOGICAL 0x0800u
#define DM(m) ((m) << 8)

static void *io;

static int setup(void **state)
{
	static const struct hvd_config cfg = { .nr_vcpus = 1 };

	fake_reset();
	io = calloc(1, ioapic_model.priv_size);
	assert_non_null(io);
	assert_int_equal(0, ioapic_model.create(io, &fake_svc, &cfg));
	return 0;
}

static int teardown(void **state)
{
	free(io);
	return 0;
}

static uint32_t rd(unsigned int reg)
{
	ioapic_model.write(io, HVD_MMIO, SEL, 4, reg);
	return ioapic_model.read(io, HVD_MMIO, WIN, 4);
}

static void wr(unsigned int reg, uint32_t val)
{
	ioapic_model.write(io, HVD_MMIO, SEL, 4, reg);
	ioapic_model.write(io, HVD_MMIO, WIN, 4, val);
}

/* Program @pin's entry: the high dword first, as Linux does. */
static void rte(unsigned int pin, uint32_t low, uint8_t dest)
{
	wr(0x11 + 2 * pin, (uint32_t)dest << 24);
	wr(0x10 + 2 * pin, low);
}

static void pin(unsigned int p, int level)
{
	ioapic_model.irq_in(io, p, level);
}

static void assert_msi(unsigned int i, uint64_t addr, uint32_t data)
{
	assert_true(i < fake.nr_msis);
	assert_int_equal(addr, fake.msis[i].addr);
	assert_int_equal(data, fake.msis[i].data);
}

static void model(void **state)
{
	assert_string_equal("ioapic", ioapic_model.name);
	assert_int_equal(1, ioapic_model.nr_ranges);
	assert_int_equal(HVD_MMIO, ioapic_model.ranges[0].space);
	assert_int_equal(0xfec00000, ioapic_model.ranges[0].base);
	assert_int_equal(0x1000, ioapic_model.ranges[0].len);
}

static void id_version_arbitration(void **state)
{
	assert_int_equal(0x00170011, rd(0x01));
	assert_int_equal(HVD_IOAPIC_ID << 24, rd(0x00));
	assert_int_equal(HVD_IOAPIC_ID << 24, rd(0x02));

	/* Only ID bits 27:24 are writable; ARB follows the ID (3.2.3). */
	wr(0x00, 0xffffffff);
	assert_int_equal(0x0f000000, rd(0x00));
	assert_int_equal(0x0f000000, rd(0x02));
	wr(0x00, 0x05000000);
	assert_int_equal(0x05000000, rd(0x00));
	assert_int_equal(0x05000000, rd(0x02));

	/* VER and ARB are read-only. */
	wr(0x01, 0);
	wr(0x02, 0x0a000000);
	assert_int_equal(0x00170011, rd(0x01));
	assert_int_equal(0x05000000, rd(0x02));
	assert_int_equal(0, fake.logs);
}

static void reset_state(void **state)
{
	unsigned int i;

	for (i = 0; i < 24; i++) {
		assert_int_equal(0x00010000, rd(0x10 + 2 * i));
		assert_int_equal(0, rd(0x11 + 2 * i));
	}

	rte(3, 0xa031, 7);
	wr(0x00, 0x03000000);
	ioapic_model.reset(io);
	assert_int_equal(0x00010000, rd(0x16));
	assert_int_equal(0, rd(0x17));
	assert_int_equal(HVD_IOAPIC_ID << 24, rd(0x00));
	ioapic_model.reset(io);
	assert_int_equal(0, ioapic_model.read(io, HVD_MMIO, SEL, 4));
}

static void redirection_write_read(void **state)
{
	/* Reserved bits 31:17 and the read-only bits 12 and 14 stay 0. */
	wr(0x10, 0xffffffff);
	assert_int_equal(0x0001afff, rd(0x10));
	/* Reserved bits 55:32 read 0; the destination is bits 63:56. */
	wr(0x11, 0xffffffff);
	assert_int_equal(0xff000000, rd(0x11));
	assert_int_equal(0x0001afff, rd(0x10));

	/* The last entry, 23, at 0x3e/0x3f. */
	wr(0x3e, 0x0001a955);
	wr(0x3f, 0x12345678);
	assert_int_equal(0x0001a955, rd(0x3e));
	assert_int_equal(0x12000000, rd(0x3f));
	assert_int_equal(0x00010000, rd(0x3c));

	/* Remote IRR, once set by a delivery, survives writes that clear it. */
	rte(5, LEVEL | 0x45, 0);
	pin(5, 1);
	assert_int_equal(1, fake.nr_msis);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x45, rd(0x1a));
	wr(0x1a, LEVEL | MASKED | 0x46);
	assert_int_equal(REMOTE_IRR | LEVEL | MASKED | 0x46, rd(0x1a));
	wr(0x1b, 0x01000000);
	assert_int_equal(REMOTE_IRR | LEVEL | MASKED | 0x46, rd(0x1a));

	/* Edge mode has nothing in service: Linux's Remote IRR reset. */
	wr(0x1a, MASKED | 0x46);
	assert_int_equal(MASKED | 0x46, rd(0x1a));
	wr(0x1a, LEVEL | MASKED | 0x46);
	assert_int_equal(LEVEL | MASKED | 0x46, rd(0x1a));
	assert_int_equal(1, fake.nr_msis);
	assert_int_equal(0, fake.logs);
}

static void edge_physical(void **state)
{
	rte(4, 0x31, 3);
	assert_int_equal(0, fake.nr_msis);

	pin(4, 1);
	assert_int_equal(1, fake.nr_msis);
	assert_msi(0, 0xfee03000, 0x0031);
	/* A level held, or raised again, is no new edge. */
	pin(4, 1);
	assert_int_equal(1, fake.nr_msis);
	pin(4, 0);
	assert_int_equal(1, fake.nr_msis);
	pin(4, 1);
	assert_int_equal(2, fake.nr_msis);
	assert_msi(1, 0xfee03000, 0x0031);
	/* An EOI is nothing to an edge-triggered entry. */
	ioapic_model.eoi(io, 0x31);
	assert_int_equal(2, fake.nr_msis);
	assert_int_equal(0x31, rd(0x18));
}

static void edge_logical_and_lowest(void **state)
{
	/* Fixed, logical: DM in address bit 2. */
	rte(1, LOGICAL | 0x41, 0x0f);
	pin(1, 1);
	assert_msi(0, 0xfee0f004, 0x0041);

	/* Lowest priority, logical: redirection hint (bit 3) too. */
	rte(2, LOGICAL | DM(1) | 0x52, 0x03);
	pin(2, 1);
	assert_msi(1, 0xfee0300c, 0x0152);

	/* Lowest priority, physical, broadcast destination. */
	rte(3, DM(1) | 0xfe, 0xff);
	pin(3, 1);
	assert_msi(2, 0xfeeff008, 0x01fe);
	assert_int_equal(3, fake.nr_msis);
}

static void masked_edge(void **state)
{
	rte(6, MASKED | 0x36, 0);
	pin(6, 1);
	assert_int_equal(0, fake.nr_msis);

	/* An edge seen while masked is lost, not held (datasheet 3.2.4). */
	wr(0x1c, 0x36);
	assert_int_equal(0, fake.nr_msis);
	pin(6, 1);
	assert_int_equal(0, fake.nr_msis);

	pin(6, 0);
	pin(6, 1);
	assert_int_equal(1, fake.nr_msis);
	assert_msi(0, 0xfee00000, 0x0036);

	/* Masked again: a new edge is dropped. */
	wr(0x1c, MASKED | 0x36);
	pin(6, 0);
	pin(6, 1);
	assert_int_equal(1, fake.nr_msis);
}

static void level_remote_irr_and_eoi(void **state)
{
	rte(9, LEVEL | 0x39, 2);

	pin(9, 1);
	assert_int_equal(1, fake.nr_msis);
	assert_msi(0, 0xfee02000, 0xc039);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x39, rd(0x22));

	/* In service: no second message while Remote IRR is set. */
	pin(9, 1);
	pin(9, 0);
	pin(9, 1);
	assert_int_equal(1, fake.nr_msis);

	/* Another vector's EOI leaves it in service. */
	ioapic_model.eoi(io, 0x3a);
	assert_int_equal(1, fake.nr_msis);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x39, rd(0x22));

	/* EOI with the line still asserted: sent again. */
	ioapic_model.eoi(io, 0x39);
	assert_int_equal(2, fake.nr_msis);
	assert_msi(1, 0xfee02000, 0xc039);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x39, rd(0x22));

	/* Deasserted, then EOI: Remote IRR clears, nothing is sent. */
	pin(9, 0);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x39, rd(0x22));
	ioapic_model.eoi(io, 0x39);
	assert_int_equal(2, fake.nr_msis);
	assert_int_equal(LEVEL | 0x39, rd(0x22));

	/* Asserted again: a new message. */
	pin(9, 1);
	assert_int_equal(3, fake.nr_msis);
	assert_msi(2, 0xfee02000, 0xc039);
}

static void level_unmask_and_shared_vector(void **state)
{
	/* Masked level input asserted: nothing, until the unmask. */
	rte(10, MASKED | LEVEL | 0x60, 1);
	pin(10, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(MASKED | LEVEL | 0x60, rd(0x24));
	wr(0x24, LEVEL | 0x60);
	assert_int_equal(1, fake.nr_msis);
	assert_msi(0, 0xfee01000, 0xc060);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x60, rd(0x24));

	/* Unmasking a deasserted one sends nothing. */
	rte(11, MASKED | LEVEL | 0x60, 1);
	wr(0x26, LEVEL | 0x60);
	assert_int_equal(1, fake.nr_msis);
	pin(11, 1);
	assert_int_equal(2, fake.nr_msis);

	/* One EOI of the shared vector ends both; both lines still high. */
	ioapic_model.eoi(io, 0x60);
	assert_int_equal(4, fake.nr_msis);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x60, rd(0x24));
	assert_int_equal(REMOTE_IRR | LEVEL | 0x60, rd(0x26));

	/* Masked while in service: the EOI ends it, nothing is sent. */
	wr(0x24, MASKED | LEVEL | 0x60);
	pin(11, 0);
	ioapic_model.eoi(io, 0x60);
	assert_int_equal(4, fake.nr_msis);
	assert_int_equal(MASKED | LEVEL | 0x60, rd(0x24));
	assert_int_equal(LEVEL | 0x60, rd(0x26));
}

static void active_low(void **state)
{
	/* Edge, active low: the falling electrical edge is the assertion. */
	pin(12, 1);
	rte(12, ACTIVE_LOW | 0x70, 0);
	assert_int_equal(0, fake.nr_msis);
	pin(12, 0);
	assert_int_equal(1, fake.nr_msis);
	assert_msi(0, 0xfee00000, 0x0070);
	pin(12, 1);
	assert_int_equal(1, fake.nr_msis);

	/* Level, active low: a high line is idle. */
	pin(13, 1);
	rte(13, ACTIVE_LOW | LEVEL | 0x71, 0);
	assert_int_equal(1, fake.nr_msis);
	pin(13, 0);
	assert_int_equal(2, fake.nr_msis);
	assert_msi(1, 0xfee00000, 0xc071);
	ioapic_model.eoi(io, 0x71);
	assert_int_equal(3, fake.nr_msis);
	pin(13, 1);
	ioapic_model.eoi(io, 0x71);
	assert_int_equal(3, fake.nr_msis);
	assert_int_equal(ACTIVE_LOW | LEVEL | 0x71, rd(0x2a));

	/* Active low at a low line, level: asserted as soon as unmasked. */
	rte(14, ACTIVE_LOW | LEVEL | 0x72, 0);
	assert_int_equal(4, fake.nr_msis);
	assert_msi(3, 0xfee00000, 0xc072);
}

static void nmi_init_extint(void **state)
{
	/* NMI programmed level: edge all the same, no Remote IRR (3.2.4). */
	rte(0, LEVEL | DM(4) | 0x02, 1);
	pin(0, 1);
	assert_int_equal(1, fake.nr_msis);
	assert_msi(0, 0xfee01000, 0x0402);
	assert_int_equal(LEVEL | DM(4) | 0x02, rd(0x10));
	pin(0, 1);
	ioapic_model.eoi(io, 0x02);
	assert_int_equal(1, fake.nr_msis);

	/* ExtINT: delivery mode 7 in the data; the 8259 gives the vector. */
	rte(2, DM(7), 0);
	pin(2, 1);
	assert_msi(1, 0xfee00000, 0x0700);

	/* INIT, logical. */
	rte(7, LOGICAL | DM(5), 0x01);
	pin(7, 1);
	assert_msi(2, 0xfee01004, 0x0500);
	assert_int_equal(3, fake.nr_msis);
	assert_int_equal(0, fake.logs);
}

static void smi_and_reserved_modes(void **state)
{
	rte(3, DM(2), 0);
	pin(3, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(1, fake.logs);
	assert_non_null(strstr(fake.last_log, "SMI"));

	rte(4, DM(3) | 0x40, 0);
	pin(4, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(2, fake.logs);
	assert_non_null(strstr(fake.last_log, "reserved delivery mode 3"));

	/* Logged once: mode 6, another edge, nothing more in the log. */
	rte(5, DM(6) | 0x40, 0);
	pin(5, 1);
	pin(4, 0);
	pin(4, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(2, fake.logs);
}

static void illegal_vector(void **state)
{
	rte(8, 0x0f, 0);
	pin(8, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(1, fake.logs);
	assert_non_null(strstr(fake.last_log, "illegal vector 15"));

	/* Lowest priority too; logged once only. */
	rte(9, DM(1) | 0x05, 0);
	pin(9, 1);
	pin(8, 0);
	pin(8, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(1, fake.logs);

	/* Level-triggered: nothing sent, so nothing in service. */
	rte(10, LEVEL | 0x00, 0);
	pin(10, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(LEVEL, rd(0x24));

	/* Vector 16 is the first legal one. */
	rte(11, 0x10, 0);
	pin(11, 1);
	assert_int_equal(1, fake.nr_msis);
	assert_msi(0, 0xfee00000, 0x0010);
	assert_int_equal(1, fake.logs);
}

static void junk_indices(void **state)
{
	unsigned int reg;

	/* IOREGSEL keeps bits 7:0 (datasheet 3.1.1). */
	ioapic_model.write(io, HVD_MMIO, SEL, 4, 0x1ff);
	assert_int_equal(0xff, ioapic_model.read(io, HVD_MMIO, SEL, 4));
	assert_int_equal(0, ioapic_model.read(io, HVD_MMIO, WIN, 4));
	assert_int_equal(1, fake.logs);
	assert_non_null(strstr(fake.last_log, "reserved register 0xff"));

	/* 0x03-0x0f and 0x40-0xff read 0 and drop writes. */
	for (reg = 0x03; reg < 0x10; reg++) {
		wr(reg, 0xffffffff);
		assert_int_equal(0, rd(reg));
	}
	for (reg = 0x40; reg < 0x100; reg++) {
		wr(reg, 0xffffffff);
		assert_int_equal(0, rd(reg));
	}
	/* Index 0x110 would be entry 128: IOREGSEL holds 0x10, entry 0. */
	wr(0x110, 0x20);
	assert_int_equal(0x20, rd(0x10));
	for (reg = 0x12; reg < 0x40; reg += 2)
		assert_int_equal(MASKED, rd(reg));
	assert_int_equal(0x00170011, rd(0x01));
	assert_int_equal(1, fake.logs);
	assert_int_equal(0, fake.nr_msis);
}

static void access_sizes_and_offsets(void **state)
{
	/* IOREGSEL: any size. */
	ioapic_model.write(io, HVD_MMIO, SEL, 1, 0x01);
	assert_int_equal(0x01, ioapic_model.read(io, HVD_MMIO, SEL, 1));
	assert_int_equal(0x01, ioapic_model.read(io, HVD_MMIO, SEL, 2));
	assert_int_equal(0x01, ioapic_model.read(io, HVD_MMIO, SEL, 8));

	/* IOWIN: 8 bytes reach the dword; the high half reads 0. */
	assert_int_equal(0x00170011, ioapic_model.read(io, HVD_MMIO, WIN, 8));
	ioapic_model.write(io, HVD_MMIO, SEL, 4, 0x10);
	ioapic_model.write(io, HVD_MMIO, WIN, 8, 0xaaaaaaaa00010033ull);
	assert_int_equal(0x00010033, rd(0x10));
	assert_int_equal(0, fake.logs);

	/* IOWIN: 1 and 2 bytes read 0, writes dropped, logged once. */
	assert_int_equal(0, ioapic_model.read(io, HVD_MMIO, WIN, 1));
	assert_int_equal(1, fake.logs);
	ioapic_model.write(io, HVD_MMIO, WIN, 2, 0x0044);
	ioapic_model.write(io, HVD_MMIO, WIN, 1, 0x44);
	assert_int_equal(0x00010033, rd(0x10));

	/* Other offsets, inside a register too. */
	assert_int_equal(0, ioapic_model.read(io, HVD_MMIO, SEL + 1, 1));
	assert_int_equal(0, ioapic_model.read(io, HVD_MMIO, SEL + 0x20, 4));
	assert_int_equal(0, ioapic_model.read(io, HVD_MMIO, WIN + 4, 4));
	ioapic_model.write(io, HVD_MMIO, SEL + 4, 4, 0x3f);
	assert_int_equal(0x10, ioapic_model.read(io, HVD_MMIO, SEL, 4));
	ioapic_model.write(io, HVD_MMIO, SEL + 0x14, 4, 0);
	assert_int_equal(0x00010033, rd(0x10));
	assert_int_equal(1, fake.logs);

	/* The registers repeat every 256 bytes, as QEMU and KVM decode. */
	ioapic_model.write(io, HVD_MMIO, SEL + 0xf00, 4, 0x01);
	assert_int_equal(0x00170011,
			 ioapic_model.read(io, HVD_MMIO, WIN + 0x100, 4));
	assert_int_equal(0x01, ioapic_model.read(io, HVD_MMIO, SEL + 0x300, 4));
}

static void no_eoi_register(void **state)
{
	rte(9, LEVEL | 0x39, 0);
	pin(9, 1);
	assert_int_equal(1, fake.nr_msis);

	/* Version 0x11 has no EOI register at 0x40: Remote IRR stays. */
	ioapic_model.write(io, HVD_MMIO, HVD_IOAPIC_BASE + 0x40, 4, 0x39);
	assert_int_equal(REMOTE_IRR | LEVEL | 0x39, rd(0x22));
	assert_int_equal(1, fake.nr_msis);
	assert_int_equal(1, fake.logs);
	assert_non_null(strstr(fake.last_log, "no EOI register"));
	ioapic_model.write(io, HVD_MMIO, HVD_IOAPIC_BASE + 0x40, 4, 0x39);
	assert_int_equal(1, fake.logs);
	assert_int_equal(0, ioapic_model.read(io, HVD_MMIO,
					      HVD_IOAPIC_BASE + 0x40, 4));
}

static void bad_pin(void **state)
{
	rte(0, 0x30, 0);
	pin(24, 1);
	pin(0xffffffff, 1);
	assert_int_equal(0, fake.nr_msis);
	assert_int_equal(1, fake.logs);
	assert_non_null(strstr(fake.last_log, "pin 24"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(model, setup, teardown),
		cmocka_unit_test_setup_teardown(id_version_arbitration, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reset_state, setup, teardown),
		cmocka_unit_test_setup_teardown(redirection_write_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(edge_physical, setup, teardown),
		cmocka_unit_test_setup_teardown(edge_logical_and_lowest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(masked_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(level_remote_irr_and_eoi, setup,
						teardown),
		cmocka_unit_test_setup_teardown(level_unmask_and_shared_vector,
						setup, teardown),
		cmocka_unit_test_setup_teardown(active_low, setup, teardown),
		cmocka_unit_test_setup_teardown(nmi_init_extint, setup,
						teardown),
		cmocka_unit_test_setup_teardown(smi_and_reserved_modes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(illegal_vector, setup,
						teardown),
		cmocka_unit_test_setup_teardown(junk_indices, setup, teardown),
		cmocka_unit_test_setup_teardown(access_sizes_and_offsets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(no_eoi_register, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_pin, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
