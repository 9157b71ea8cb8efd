// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the local APIC's register semantics (kmod/irq/lapic_regs.c,
 * compiled in as is): reset values, priorities, acceptance, EOI, what
 * xAPIC and x2APIC accesses keep and refuse, ICR and MSI decoding,
 * destination matching and IA32_APIC_BASE transitions, each against the
 * SDM's stated values.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "irq/lapic_regs.h"

static u32 page[HV_LAPIC_PAGE_SIZE / 4];

static struct hv_lapic_regs *fresh(u32 id, bool x2apic)
{
	static struct hv_lapic_regs l;

	l.regs = page;
	l.tsc_deadline = false;
	hv_lapic_regs_reset(&l, id, x2apic);
	return &l;
}

static u32 rd(struct hv_lapic_regs *l, u32 off)
{
	return hv_xapic_read(l, off);
}

static unsigned int wr(struct hv_lapic_regs *l, u32 off, u32 val)
{
	struct hv_lapic_write w;

	hv_xapic_write(l, off, val, &w);
	return w.effects;
}

static struct hv_lapic_regs *enabled(u32 id, bool x2apic)
{
	struct hv_lapic_regs *l = fresh(id, x2apic);

	page[HV_APIC_SVR / 4] = 0x1ff;
	return l;
}

static void reset_values(void **state)
{
	struct hv_lapic_regs *l = fresh(3, false);
	u32 off;

	assert_int_equal(0x03000000, rd(l, HV_APIC_ID));
	assert_int_equal(0x00050014, rd(l, HV_APIC_LVR));
	assert_int_equal(0, rd(l, HV_APIC_TPR));
	assert_int_equal(0, rd(l, HV_APIC_PPR));
	assert_int_equal(0, rd(l, HV_APIC_LDR));
	assert_int_equal(0xffffffff, rd(l, HV_APIC_DFR));
	assert_int_equal(0xff, rd(l, HV_APIC_SVR));
	for (off = HV_APIC_LVTT; off <= HV_APIC_LVTERR; off += 0x10)
		assert_int_equal(0x10000, rd(l, off));
	for (off = HV_APIC_ISR; off < HV_APIC_ESR; off += 0x10)
		assert_int_equal(0, rd(l, off));
	assert_int_equal(0, rd(l, HV_APIC_TMICT));
	assert_int_equal(0, rd(l, HV_APIC_TDCR));
	assert_false(hv_lapic_sw_enabled(page));

	l = fresh(0x25, true);
	assert_int_equal(HV_APIC_MODE_X2APIC, l->mode);
	assert_int_equal(0x25, page[HV_APIC_ID / 4]);
	/* Cluster 2, member bit 5 (11.12.10.2). */
	assert_int_equal(0x00020020, page[HV_APIC_LDR / 4]);
}

static void priority_order_and_eoi(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);
	bool level = true;

	assert_int_equal(-1, hv_lapic_pending(page));
	assert_int_equal(0, hv_lapic_accept(l, 0x31, false));
	assert_int_equal(0, hv_lapic_accept(l, 0x52, false));
	assert_int_equal(0, hv_lapic_accept(l, 0x40, true));
	assert_int_equal(0x52, hv_lapic_find_highest(page, HV_APIC_IRR));
	assert_true(hv_lapic_test_vector(page, HV_APIC_TMR, 0x40));
	assert_false(hv_lapic_test_vector(page, HV_APIC_TMR, 0x52));

	assert_int_equal(0x52, hv_lapic_ack(l));
	assert_int_equal(0x50, rd(l, HV_APIC_PPR));
	assert_true(hv_lapic_test_vector(page, HV_APIC_ISR, 0x52));
	assert_false(hv_lapic_test_vector(page, HV_APIC_IRR, 0x52));
	/* 0x40's class (4) is below the one in service (5). */
	assert_int_equal(-1, hv_lapic_pending(page));
	assert_int_equal(-1, hv_lapic_ack(l));
	/* A higher class interrupts the one in service. */
	assert_int_equal(0, hv_lapic_accept(l, 0x61, false));
	assert_int_equal(0x61, hv_lapic_ack(l));
	assert_int_equal(0x60, rd(l, HV_APIC_PPR));

	assert_int_equal(0x61, hv_lapic_eoi(l, &level));
	assert_false(level);
	assert_int_equal(0x50, rd(l, HV_APIC_PPR));
	assert_int_equal(0x52, hv_lapic_eoi(l, &level));
	assert_int_equal(0, rd(l, HV_APIC_PPR));
	assert_int_equal(0x40, hv_lapic_ack(l));
	assert_int_equal(0x40, hv_lapic_eoi(l, &level));
	assert_true(level);
	assert_int_equal(0x31, hv_lapic_ack(l));
	assert_int_equal(0x31, hv_lapic_eoi(l, &level));
	assert_false(level);
	assert_int_equal(-1, hv_lapic_eoi(l, &level));
	/* Re-accepting as edge clears the TMR bit. */
	assert_int_equal(0, hv_lapic_accept(l, 0x40, false));
	assert_false(hv_lapic_test_vector(page, HV_APIC_TMR, 0x40));
}

static void tpr_masks_classes(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);
	bool level;

	assert_int_equal(HV_LAPIC_FX_PPR, wr(l, HV_APIC_TPR, 0x4f));
	assert_int_equal(0x4f, rd(l, HV_APIC_PPR));
	assert_int_equal(-1, hv_lapic_tpr_held(page));
	hv_lapic_accept(l, 0x45, false);
	assert_int_equal(-1, hv_lapic_pending(page));
	assert_int_equal(0x45, hv_lapic_tpr_held(page));
	hv_lapic_accept(l, 0x50, false);
	assert_int_equal(-1, hv_lapic_tpr_held(page));
	assert_int_equal(0x50, hv_lapic_pending(page));
	/* Only TPR[7:0] is kept. */
	wr(l, HV_APIC_TPR, 0xffffff60);
	assert_int_equal(0x60, rd(l, HV_APIC_TPR));
	assert_int_equal(-1, hv_lapic_pending(page));
	wr(l, HV_APIC_TPR, 0x3f);
	assert_int_equal(0x50, hv_lapic_ack(l));
	/* In service 0x50 above TPR 0x3f: PPR is its class. */
	assert_int_equal(0x50, rd(l, HV_APIC_PPR));
	/* 0x45 waits for the EOI, not for TPR. */
	assert_int_equal(-1, hv_lapic_tpr_held(page));
	wr(l, HV_APIC_TPR, 0x75);
	assert_int_equal(0x75, rd(l, HV_APIC_PPR));
	/* TPR's class equal to ISRV's: PPR is TPR. */
	wr(l, HV_APIC_TPR, 0x53);
	assert_int_equal(0x53, rd(l, HV_APIC_PPR));
	hv_lapic_eoi(l, &level);
	wr(l, HV_APIC_TPR, 0);
	assert_int_equal(0x45, hv_lapic_pending(page));
}

static void apr_follows_figure_11_15(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);

	wr(l, HV_APIC_TPR, 0x35);
	/* Nothing requested or in service: TPR. */
	assert_int_equal(0x35, rd(l, HV_APIC_APR));
	hv_lapic_accept(l, 0x29, false);
	assert_int_equal(0x35, rd(l, HV_APIC_APR));
	/* A requested class above TPR's: that class. */
	hv_lapic_accept(l, 0x71, false);
	assert_int_equal(0x70, rd(l, HV_APIC_APR));
	/* TPR's class equal to the highest requested: TPR. */
	wr(l, HV_APIC_TPR, 0x75);
	assert_int_equal(0x75, rd(l, HV_APIC_APR));
	/* In service above TPR's class: the class in service. */
	wr(l, HV_APIC_TPR, 0x65);
	assert_int_equal(0x71, hv_lapic_ack(l));
	assert_int_equal(0x70, rd(l, HV_APIC_APR));
}

static void illegal_vectors_and_esr(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);
	struct hv_lapic_write w;

	assert_int_equal(-EINVAL, hv_lapic_accept(l, 15, false));
	assert_int_equal(-1, hv_lapic_find_highest(page, HV_APIC_IRR));
	/* Seen in ESR only after the next ESR write (11.5.3). */
	assert_int_equal(0, rd(l, HV_APIC_ESR));
	wr(l, HV_APIC_ESR, 0);
	assert_int_equal(HV_APIC_ESR_RECV_ILLEGAL, rd(l, HV_APIC_ESR));
	wr(l, HV_APIC_ESR, 0xffffffff);
	assert_int_equal(0, rd(l, HV_APIC_ESR));

	/* Fixed IPI with vector 3: not sent, "send illegal vector". */
	hv_xapic_write(l, HV_APIC_ICR, 0x00004003, &w);
	assert_int_equal(HV_LAPIC_FX_ERROR, w.effects);
	wr(l, HV_APIC_ESR, 0);
	assert_int_equal(HV_APIC_ESR_SEND_ILLEGAL, rd(l, HV_APIC_ESR));
	/* INIT carries no vector: sent. */
	hv_xapic_write(l, HV_APIC_ICR, 0x00004500, &w);
	assert_int_equal(HV_LAPIC_FX_IPI, w.effects);
	assert_int_equal(HV_APIC_DM_INIT, w.ipi.dm);

	/* A reserved offset: reads 0, "illegal register address". */
	assert_int_equal(0, rd(l, 0x2f0));
	assert_int_equal(HV_LAPIC_FX_ERROR, wr(l, 0x400, 1));
	wr(l, HV_APIC_ESR, 0);
	assert_int_equal(HV_APIC_ESR_ILLEGAL_REG, rd(l, HV_APIC_ESR));
	/* The other dwords of a register's slot: 0, and no error. */
	assert_int_equal(0, rd(l, HV_APIC_ID + 4));
	assert_int_equal(0, wr(l, HV_APIC_TPR + 8, 0xff));
	assert_int_equal(0, rd(l, HV_APIC_TPR));
	wr(l, HV_APIC_ESR, 0);
	assert_int_equal(0, rd(l, HV_APIC_ESR));
}

static void software_disable(void **state)
{
	struct hv_lapic_regs *l = fresh(0, false);
	u32 off;

	/* Disabled after reset: fixed interrupts are dropped. */
	assert_int_equal(-ENODEV, hv_lapic_accept(l, 0x30, false));
	assert_int_equal(-1, hv_lapic_find_highest(page, HV_APIC_IRR));
	/* Masks cannot be cleared while disabled (11.4.7.2). */
	wr(l, HV_APIC_LVT0, 0x700);
	assert_int_equal(0x10700, rd(l, HV_APIC_LVT0));

	assert_int_equal(HV_LAPIC_FX_ENABLE, wr(l, HV_APIC_SVR, 0x1ff));
	assert_int_equal(0x1ff, rd(l, HV_APIC_SVR));
	assert_int_equal(0, wr(l, HV_APIC_SVR, 0x1ff));
	wr(l, HV_APIC_LVT0, 0x700);
	wr(l, HV_APIC_LVTT, 0x20030);
	assert_int_equal(0x700, rd(l, HV_APIC_LVT0));
	assert_int_equal(0, hv_lapic_accept(l, 0x30, false));

	/* Disabling masks every entry and keeps IRR. */
	assert_int_equal(HV_LAPIC_FX_ENABLE, wr(l, HV_APIC_SVR, 0xff));
	for (off = HV_APIC_LVTT; off <= HV_APIC_LVTERR; off += 0x10)
		assert_true(rd(l, off) & HV_APIC_LVT_MASKED);
	assert_int_equal(0x20030 | HV_APIC_LVT_MASKED, rd(l, HV_APIC_LVTT));
	assert_int_equal(0x30, hv_lapic_pending(page));
	/* SVR keeps bits 9:0 only. */
	wr(l, HV_APIC_SVR, 0xfffff3ff);
	assert_int_equal(0x3ff, rd(l, HV_APIC_SVR));
}

static void xapic_write_masks(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);

	assert_int_equal(HV_LAPIC_FX_ROUTE, wr(l, HV_APIC_ID, 0x12345678));
	assert_int_equal(0x12000000, rd(l, HV_APIC_ID));
	wr(l, HV_APIC_LDR, 0xabcdef01);
	assert_int_equal(0xab000000, rd(l, HV_APIC_LDR));
	wr(l, HV_APIC_DFR, 0);
	assert_int_equal(0x0fffffff, rd(l, HV_APIC_DFR));
	assert_int_equal(0, wr(l, HV_APIC_LVR, 0));
	assert_int_equal(0x00050014, rd(l, HV_APIC_LVR));
	wr(l, HV_APIC_PPR, 0xff);
	assert_int_equal(0, rd(l, HV_APIC_PPR));

	assert_int_equal(HV_LAPIC_FX_LVT, wr(l, HV_APIC_LVT0, 0xffffffff));
	assert_int_equal(0x1a7ff, rd(l, HV_APIC_LVT0));
	wr(l, HV_APIC_LVT1, 0xffffffff);
	assert_int_equal(0x1a7ff, rd(l, HV_APIC_LVT1));
	wr(l, HV_APIC_LVTTHMR, 0xffffffff);
	assert_int_equal(0x107ff, rd(l, HV_APIC_LVTTHMR));
	wr(l, HV_APIC_LVTPC, 0xffffffff);
	assert_int_equal(0x107ff, rd(l, HV_APIC_LVTPC));
	wr(l, HV_APIC_LVTERR, 0xffffffff);
	assert_int_equal(0x100ff, rd(l, HV_APIC_LVTERR));
	/* No TSC-deadline mode unless CPUID offers it. */
	assert_int_equal(HV_LAPIC_FX_TIMER, wr(l, HV_APIC_LVTT, 0xffffffff));
	assert_int_equal(0x300ff, rd(l, HV_APIC_LVTT));
	l->tsc_deadline = true;
	wr(l, HV_APIC_LVTT, 0xffffffff);
	assert_int_equal(0x700ff, rd(l, HV_APIC_LVTT));

	wr(l, HV_APIC_TDCR, 0xffffffff);
	assert_int_equal(0xb, rd(l, HV_APIC_TDCR));
	assert_int_equal(0, wr(l, HV_APIC_TMCCT, 5));
	wr(l, HV_APIC_ICR2, 0xffffffff);
	assert_int_equal(0xff000000, rd(l, HV_APIC_ICR2));
}

static void remote_irr_is_read_only(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);

	page[HV_APIC_LVT0 / 4] = HV_APIC_REMOTE_IRR | HV_APIC_LEVEL_TRIGGER;
	wr(l, HV_APIC_LVT0, 0x8730);
	assert_int_equal(0xc730, rd(l, HV_APIC_LVT0));
	wr(l, HV_APIC_LVT0, 0x4000);
	assert_int_equal(0x4000, rd(l, HV_APIC_LVT0));
}

/*
 * APIC-register virtualization writes the page before hv sees the write:
 * the register gets back hv's value, so that the write then sees the old
 * one (SDM Vol. 3C, 30.4.3).
 */
static void trapped_writes_see_the_old_value(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);
	u32 val = 0;

	page[HV_APIC_LVT0 / 4] = HV_APIC_REMOTE_IRR | HV_APIC_LVT_MASKED;
	hv_xapic_trap_save(l);
	/* The CPU stores the guest's value, read-only bits and all. */
	page[HV_APIC_LVT0 / 4] = 0x1f7ff;
	assert_true(hv_xapic_trap_take(l, HV_APIC_LVT0, &val));
	assert_int_equal(0x1f7ff, val);
	assert_int_equal(HV_APIC_REMOTE_IRR | HV_APIC_LVT_MASKED,
			 page[HV_APIC_LVT0 / 4]);
	wr(l, HV_APIC_LVT0, val);
	assert_int_equal(0x1e7ff, rd(l, HV_APIC_LVT0));

	/* A software disable is seen as one: the entries get masked. */
	wr(l, HV_APIC_LVTT, 0x31);
	hv_xapic_trap_save(l);
	page[HV_APIC_SVR / 4] = 0xff;
	assert_true(hv_xapic_trap_take(l, HV_APIC_SVR + 2, &val));
	assert_int_equal(0xff, val);
	assert_true(hv_lapic_sw_enabled(page));
	assert_int_equal(HV_LAPIC_FX_ENABLE, wr(l, HV_APIC_SVR, val));
	assert_int_equal(0x10031, rd(l, HV_APIC_LVTT));

	/* TPR, EOI and ICR high are the CPU's: nothing to take. */
	page[HV_APIC_TPR / 4] = 0x20;
	assert_false(hv_xapic_trap_take(l, HV_APIC_TPR, &val));
	assert_false(hv_xapic_trap_take(l, HV_APIC_EOI, &val));
	assert_false(hv_xapic_trap_take(l, HV_APIC_ICR2, &val));
	assert_int_equal(0x20, page[HV_APIC_TPR / 4]);
}

static void timer_registers(void **state)
{
	static const struct { u32 tdcr; unsigned int div; } table[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
		{ 0x4, 2 }, { 0xf, 1 },
	};
	struct hv_lapic_regs *l = enabled(0, false);
	unsigned int i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		assert_int_equal(table[i].div,
				 hv_lapic_timer_divisor(table[i].tdcr));
	assert_int_equal(HV_LAPIC_FX_TIMER, wr(l, HV_APIC_TMICT, 1000));
	assert_int_equal(1000, rd(l, HV_APIC_TMICT));
	/* Initial count writes are ignored in TSC-deadline mode. */
	l->tsc_deadline = true;
	wr(l, HV_APIC_LVTT, HV_APIC_TIMER_TSC_DEADLINE | 0xec);
	assert_int_equal(0, wr(l, HV_APIC_TMICT, 5));
	assert_int_equal(1000, rd(l, HV_APIC_TMICT));
}

static void xapic_icr(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);
	struct hv_lapic_write w;

	wr(l, HV_APIC_ICR2, 0x03000000);
	/* Logical, level assert, level trigger, all but self, vector 0xfd. */
	hv_xapic_write(l, HV_APIC_ICR, 0xfffffffd, &w);
	assert_int_equal(HV_LAPIC_FX_IPI, w.effects);
	/* Bits 12, 13, 16, 17 and 31:20 do not stick. */
	assert_int_equal(0x000ccffd, rd(l, HV_APIC_ICR));
	assert_int_equal(0xfd, w.ipi.vector);
	assert_int_equal(HV_APIC_DM_EXTINT, w.ipi.dm);
	assert_true(w.ipi.logical);
	assert_true(w.ipi.assert);
	assert_true(w.ipi.level);
	assert_int_equal(HV_APIC_DEST_ALL_BUT_SELF, w.ipi.shorthand);
	assert_false(w.ipi.wide);
	assert_int_equal(3, w.ipi.dest);

	hv_xapic_write(l, HV_APIC_ICR, 0x00000630, &w);
	assert_int_equal(HV_APIC_DM_SIPI, w.ipi.dm);
	assert_int_equal(0x30, w.ipi.vector);
	assert_false(w.ipi.logical);
	assert_int_equal(HV_APIC_DEST_NONE, w.ipi.shorthand);
}

static int x2rd(struct hv_lapic_regs *l, u32 msr, u64 *val)
{
	return hv_x2apic_read(l, msr, val);
}

static int x2wr(struct hv_lapic_regs *l, u32 msr, u64 val, unsigned int *fx)
{
	struct hv_lapic_write w;
	int err = hv_x2apic_write(l, msr, val, &w);

	if (fx)
		*fx = w.effects;
	return err;
}

static void x2apic_access_rules(void **state)
{
	static const u32 absent[] = { 0x800, 0x801, 0x804, 0x807, 0x809,
				      0x80c, 0x80e, 0x829, 0x82f, 0x831,
				      0x83a, 0x83d, 0x840, 0x8ff };
	static const u32 read_only[] = { 0x802, 0x803, 0x80a, 0x80d, 0x810,
					 0x817, 0x818, 0x81f, 0x820, 0x827,
					 0x839 };
	struct hv_lapic_regs *l = enabled(7, true);
	unsigned int i, fx;
	u64 v;

	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_int_equal(-EINVAL, x2rd(l, absent[i], &v));
		assert_int_equal(-EINVAL, x2wr(l, absent[i], 0, NULL));
	}
	for (i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++) {
		assert_int_equal(0, x2rd(l, read_only[i], &v));
		assert_int_equal(-EINVAL, x2wr(l, read_only[i], 0, NULL));
	}
	assert_int_equal(-EINVAL, x2rd(l, 0x7ff, &v));
	assert_int_equal(-EINVAL, x2rd(l, 0x900, &v));
	/* Write-only: EOI and SELF IPI. */
	assert_int_equal(-EINVAL, x2rd(l, 0x80b, &v));
	assert_int_equal(-EINVAL, x2rd(l, 0x83f, &v));

	assert_int_equal(0, x2rd(l, 0x802, &v));
	assert_int_equal(7, v);
	assert_int_equal(0, x2rd(l, 0x80d, &v));
	assert_int_equal(0x80, v);
	assert_int_equal(0, x2rd(l, 0x803, &v));
	assert_int_equal(0x00050014, v);

	/* Reserved bits raise #GP and change nothing (11.12.1.3). */
	assert_int_equal(-EINVAL, x2wr(l, 0x808, 0x100, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x808, 1ull << 32, NULL));
	assert_int_equal(0, x2rd(l, 0x808, &v));
	assert_int_equal(0, v);
	assert_int_equal(0, x2wr(l, 0x808, 0x20, &fx));
	assert_int_equal(HV_LAPIC_FX_PPR, fx);
	assert_int_equal(0, x2rd(l, 0x80a, &v));
	assert_int_equal(0x20, v);
	assert_int_equal(-EINVAL, x2wr(l, 0x80b, 1, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x828, 1, NULL));
	assert_int_equal(0, x2wr(l, 0x828, 0, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x80f, 0x1000, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x83e, 0x4, NULL));
	assert_int_equal(0, x2wr(l, 0x83e, 0xb, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x832, 0x40000, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x835, 0x800, NULL));
	/* Delivery status and remote IRR are read-only, not reserved. */
	assert_int_equal(0, x2wr(l, 0x835, 0x5000 | 0x30, NULL));
	assert_int_equal(0, x2rd(l, 0x835, &v));
	assert_int_equal(0x30, v);
	assert_int_equal(0, x2wr(l, 0x838, 0xffffffff, &fx));
	assert_int_equal(HV_LAPIC_FX_TIMER, fx);
	assert_int_equal(-EINVAL, x2wr(l, 0x838, 0x100000000ull, NULL));
}

static void x2apic_eoi_icr_self_ipi(void **state)
{
	struct hv_lapic_regs *l = enabled(0x21, true);
	struct hv_lapic_write w;
	unsigned int fx;
	u64 v;

	hv_lapic_accept(l, 0x80, true);
	hv_lapic_ack(l);
	assert_int_equal(0, hv_x2apic_write(l, 0x80b, 0, &w));
	assert_int_equal(HV_LAPIC_FX_EOI | HV_LAPIC_FX_PPR, w.effects);
	assert_int_equal(0x80, w.eoi_vector);
	assert_true(w.eoi_level);
	assert_int_equal(0, hv_x2apic_write(l, 0x80b, 0, &w));
	assert_int_equal(-1, w.eoi_vector);

	/* ICR: one 64-bit register, 32-bit destination. */
	assert_int_equal(-EINVAL, x2wr(l, 0x830, 0x2000, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x830, 0x10000, NULL));
	assert_int_equal(-EINVAL, x2wr(l, 0x830, 0x100000, NULL));
	assert_int_equal(0, hv_x2apic_write(l, 0x830,
					    0x1234567800000000ull | 0x1840,
					    &w));
	assert_int_equal(HV_LAPIC_FX_IPI, w.effects);
	assert_true(w.ipi.wide);
	assert_int_equal(0x12345678, w.ipi.dest);
	assert_true(w.ipi.logical);
	assert_int_equal(0x40, w.ipi.vector);
	assert_int_equal(0, x2rd(l, 0x830, &v));
	/* The delivery-status bit written is dropped. */
	assert_int_equal(0x1234567800000840ull, v);

	assert_int_equal(-EINVAL, x2wr(l, 0x83f, 0x100, NULL));
	assert_int_equal(0, hv_x2apic_write(l, 0x83f, 0x31, &w));
	assert_int_equal(HV_LAPIC_FX_IPI, w.effects);
	assert_int_equal(0x31, w.ipi.vector);
	assert_int_equal(HV_APIC_DM_FIXED, w.ipi.dm);
	assert_int_equal(HV_APIC_DEST_SELF, w.ipi.shorthand);
	assert_false(w.ipi.level);
	assert_int_equal(0, x2wr(l, 0x83f, 0x0e, &fx));
	assert_int_equal(HV_LAPIC_FX_ERROR, fx);
}

static void msi_decoding(void **state)
{
	struct hv_apic_irq irq;

	assert_true(hv_apic_msi_decode(0xfee03000, 0x4031, &irq));
	assert_int_equal(3, irq.dest);
	assert_int_equal(0x31, irq.vector);
	assert_int_equal(HV_APIC_DM_FIXED, irq.dm);
	assert_false(irq.logical);
	assert_true(irq.assert);
	assert_false(irq.level);
	assert_false(irq.wide);
	assert_int_equal(HV_APIC_DEST_NONE, irq.shorthand);

	/* Logical, redirection hint: lowest priority; level-triggered NMI. */
	assert_true(hv_apic_msi_decode(0xfeeff00c, 0x0041, &irq));
	assert_int_equal(0xff, irq.dest);
	assert_true(irq.logical);
	assert_int_equal(HV_APIC_DM_LOWEST, irq.dm);
	assert_true(hv_apic_msi_decode(0xfee00008, 0xc402, &irq));
	assert_int_equal(HV_APIC_DM_NMI, irq.dm);
	assert_true(irq.level);

	assert_false(hv_apic_msi_decode(0xfed00000, 0x31, &irq));
	assert_false(hv_apic_msi_decode(0x1fee00000ull, 0x31, &irq));
}

static bool hits(struct hv_lapic_regs *l, bool logical, bool wide, u32 dest)
{
	struct hv_apic_irq irq = { .logical = logical, .wide = wide,
				   .dest = dest };

	return hv_lapic_match_dest(l, &irq);
}

static void destinations(void **state)
{
	struct hv_lapic_regs *l = enabled(5, false);

	assert_true(hits(l, false, false, 5));
	assert_false(hits(l, false, false, 4));
	assert_true(hits(l, false, false, 0xff));
	/* Flat: LDR 0x24 answers any MDA with a common bit. */
	wr(l, HV_APIC_LDR, 0x24000000);
	assert_true(hits(l, true, false, 0x04));
	assert_true(hits(l, true, false, 0x21));
	assert_false(hits(l, true, false, 0x42));
	/* Cluster: cluster 2, member bits 0100. */
	wr(l, HV_APIC_DFR, 0x0fffffff);
	assert_true(hits(l, true, false, 0x24));
	assert_true(hits(l, true, false, 0x2f));
	assert_false(hits(l, true, false, 0x34));
	assert_false(hits(l, true, false, 0x23));
	assert_true(hits(l, true, false, 0xff));
	/* A DFR model other than flat or cluster matches nothing. */
	page[HV_APIC_DFR / 4] = 0x5fffffff;
	assert_false(hits(l, true, false, 0x24));

	l = enabled(0x25, true);
	assert_true(hits(l, false, true, 0x25));
	assert_false(hits(l, false, true, 0x125));
	assert_true(hits(l, false, true, 0xffffffff));
	assert_false(hits(l, false, true, 0xff));
	assert_true(hits(l, false, false, 0xff));
	assert_true(hits(l, true, true, 0x00020020));
	assert_true(hits(l, true, true, 0x000200ff));
	assert_false(hits(l, true, true, 0x00030020));
	assert_false(hits(l, true, true, 0x00020010));
}

static void restore_checks_and_masks(void **state)
{
	static u32 src[HV_LAPIC_SAVED_SIZE / 4];
	struct hv_lapic_regs *l = enabled(2, false);
	const char *why = NULL;

	memset(src, 0xff, sizeof(src));
	/* Vectors 0-15 in IRR: refused, nothing changed. */
	assert_int_equal(-EINVAL, hv_lapic_regs_restore(l, src, 2, &why));
	assert_string_equal("lapic: IRR, ISR and TMR cannot hold vectors 0-15",
			    why);
	assert_int_equal(0x02000000, rd(l, HV_APIC_ID));
	src[HV_APIC_ISR / 4] = src[HV_APIC_TMR / 4] = src[HV_APIC_IRR / 4] =
		0xffff0000;
	assert_int_equal(0, hv_lapic_regs_restore(l, src, 2, &why));
	/* Only what writes could set; the version is the APIC's own. */
	assert_int_equal(0xff000000, rd(l, HV_APIC_ID));
	assert_int_equal(0x00050014, rd(l, HV_APIC_LVR));
	assert_int_equal(0xff, rd(l, HV_APIC_TPR));
	assert_int_equal(0x3ff, rd(l, HV_APIC_SVR));
	assert_int_equal(0xffffffff, rd(l, HV_APIC_DFR));
	assert_int_equal(0xb, rd(l, HV_APIC_TDCR));
	assert_int_equal(0xffff0000, page[HV_APIC_IRR / 4]);
	assert_int_equal(0xffffffff, page[(HV_APIC_IRR + 0x70) / 4]);
	assert_int_equal(0, page[HV_APIC_EOI / 4]);
	assert_int_equal(0, page[0x2f0 / 4]);	/* no CMCI entry */
	assert_int_equal(0, rd(l, HV_APIC_ICR) & HV_APIC_SEND_PENDING);
	/* PPR from ISR's highest class (0xff), not from the record. */
	assert_int_equal(0xff, rd(l, HV_APIC_PPR) | 0x0f);

	/* x2APIC: the ID must be the vCPU's; LDR follows it. */
	l = enabled(2, true);
	memset(src, 0, sizeof(src));
	src[HV_APIC_ID / 4] = 3;
	assert_int_equal(-EINVAL, hv_lapic_regs_restore(l, src, 2, &why));
	assert_string_equal("lapic: in x2APIC mode the ID is the vcpu's", why);
	src[HV_APIC_ID / 4] = 2;
	src[HV_APIC_DFR / 4] = 0x12345678;
	assert_int_equal(0, hv_lapic_regs_restore(l, src, 2, &why));
	assert_int_equal(0x00000004, page[HV_APIC_LDR / 4]);
	assert_int_equal(0, page[HV_APIC_DFR / 4]);
	/* SVR 0: software-disabled, every LVT entry masked. */
	assert_int_equal(HV_APIC_LVT_MASKED, page[HV_APIC_LVT0 / 4]);
}

static void apic_base_transitions(void **state)
{
	const u64 rsvd = 0x2ffull | ~((1ull << 40) - 1);
	const u64 dis = 0xfee00000, x = dis | HV_APIC_BASE_EN,
		  x2 = x | HV_APIC_BASE_EXTD;
	enum hv_apic_mode m = HV_APIC_MODE_DISABLED;

	assert_int_equal(0, hv_apic_base_check(x, x2, rsvd, &m));
	assert_int_equal(HV_APIC_MODE_X2APIC, m);
	assert_int_equal(0, hv_apic_base_check(x2, dis, rsvd, &m));
	assert_int_equal(HV_APIC_MODE_DISABLED, m);
	assert_int_equal(0, hv_apic_base_check(dis, x, rsvd, &m));
	assert_int_equal(HV_APIC_MODE_XAPIC, m);
	assert_int_equal(0, hv_apic_base_check(x, dis, rsvd, &m));
	assert_int_equal(0, hv_apic_base_check(x2, x2, rsvd, &m));
	/* Moving the page is allowed; BSP is not reserved. */
	assert_int_equal(0, hv_apic_base_check(x, 0xfed00900ull, rsvd, &m));
	assert_int_equal(HV_APIC_MODE_XAPIC, m);

	m = HV_APIC_MODE_XAPIC;
	assert_int_equal(-EINVAL, hv_apic_base_check(x2, x, rsvd, &m));
	assert_int_equal(-EINVAL, hv_apic_base_check(dis, x2, rsvd, &m));
	assert_int_equal(-EINVAL,
			 hv_apic_base_check(x, dis | HV_APIC_BASE_EXTD, rsvd,
					    &m));
	assert_int_equal(-EINVAL, hv_apic_base_check(x, x | 1, rsvd, &m));
	assert_int_equal(-EINVAL, hv_apic_base_check(x, x | 0x200, rsvd, &m));
	assert_int_equal(-EINVAL,
			 hv_apic_base_check(x, x | (1ull << 40), rsvd, &m));
	/* Without x2APIC in CPUID, EXTD is reserved. */
	assert_int_equal(-EINVAL,
			 hv_apic_base_check(x, x2, rsvd | HV_APIC_BASE_EXTD,
					    &m));
	assert_int_equal(HV_APIC_MODE_XAPIC, m);
	assert_int_equal(HV_APIC_MODE_DISABLED,
			 hv_apic_base_mode(dis | HV_APIC_BASE_EXTD));
}

/*
 * Where the CPU holds the page, accepted vectors are posted, level ones
 * apart when there is a second descriptor; TMR is written at once; the
 * vCPU's sync moves them into IRR and counts them.
 */
static void accept_posts_while_the_cpu_holds_the_page(void **state)
{
	struct hv_lapic_regs *l = enabled(0, false);
	struct hv_pi_desc pi = { 0 }, pi_level = { 0 };

	l->pi = &pi;
	assert_int_equal(0, hv_lapic_accept(l, 0x31, false));
	/* Behind 0x31, whose notification covers it. */
	assert_int_equal(1, hv_lapic_accept(l, 0x40, true));
	assert_int_equal(-EINVAL, hv_lapic_accept(l, 0x0f, false));
	assert_int_equal(-1, hv_lapic_find_highest(page, HV_APIC_IRR));
	assert_true(hv_lapic_test_vector(page, HV_APIC_TMR, 0x40));
	assert_int_equal(0x00020000, pi.pir[1]);
	assert_int_equal(0x00000001, pi.pir[2]);
	assert_int_equal(2, hv_lapic_sync(l));
	assert_int_equal(0x40, hv_lapic_find_highest(page, HV_APIC_IRR));
	assert_int_equal(0x40, hv_lapic_ack(l));
	assert_int_equal(0, hv_lapic_sync(l));

	l->pi_level = &pi_level;
	assert_int_equal(0, hv_lapic_accept(l, 0x77, true));
	assert_int_equal(0, hv_lapic_accept(l, 0x61, false));
	assert_int_equal(1, hv_lapic_accept(l, 0x62, false));
	assert_int_equal(0x00800000, pi_level.pir[3]);
	assert_int_equal(0x00000006, pi.pir[3]);
	assert_int_equal(3, hv_lapic_sync(l));
	assert_true(hv_lapic_test_vector(page, HV_APIC_IRR, 0x77));
	assert_true(hv_lapic_test_vector(page, HV_APIC_IRR, 0x61));
	l->pi = NULL;
	l->pi_level = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reset_values),
		cmocka_unit_test(priority_order_and_eoi),
		cmocka_unit_test(tpr_masks_classes),
		cmocka_unit_test(apr_follows_figure_11_15),
		cmocka_unit_test(illegal_vectors_and_esr),
		cmocka_unit_test(software_disable),
		cmocka_unit_test(xapic_write_masks),
		cmocka_unit_test(remote_irr_is_read_only),
		cmocka_unit_test(trapped_writes_see_the_old_value),
		cmocka_unit_test(timer_registers),
		cmocka_unit_test(xapic_icr),
		cmocka_unit_test(x2apic_access_rules),
		cmocka_unit_test(x2apic_eoi_icr_self_ipi),
		cmocka_unit_test(msi_decoding),
		cmocka_unit_test(destinations),
		cmocka_unit_test(apic_base_transitions),
		cmocka_unit_test(restore_checks_and_masks),
		cmocka_unit_test(accept_posts_while_the_cpu_holds_the_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
