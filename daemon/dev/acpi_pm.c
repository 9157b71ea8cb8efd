// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI fixed hardware the FADT points at (ACPI 6.4, 4.8): the PM1a
 * event block (PM1_STS, PM1_EN), the PM1a control block (PM1_CNT) and the
 * power management timer, with the SCI on HVD_ACPI_SCI_IRQ, level, active
 * high, asserted while an enabled status bit is set (4.8.3.1).
 *
 * The FADT has no SMI command port, so the machine is always in ACPI mode:
 * SCI_EN reads 1 and ACPI never needs to switch. Of the sleep states only
 * S5 exists (the DSDT's _S5 is HVD_ACPI_S5_TYP): SLP_EN with that type
 * powers off, other types are logged once and ignored, as the DSDT
 * declares no S1-S4. The timer counts 24 bits at 3.579545 MHz (4.8.3.3,
 * the FADT leaves TMR_VAL_EXT clear) from the VM's clock, from 0 at power
 * on. TMR_STS (set whenever bit 23 of the count toggles) is computed from
 * the clock when read, and a host timer runs only while TMR_EN is set, to
 * raise the SCI at the toggle. Nothing sets PWRBTN_STS yet (the services
 * have no power button), nor WAK_STS (no sleep state comes back).
 *
 * ACPICA uses the FADT's widths (16-bit PM1, 32-bit timer), but every
 * block works bytewise too; bytes of an access beyond a block belong to
 * ports that decode nothing and read all ones.
 */
#include <errno.h>
#include <stdint.h>

#include "devmodel.h"

#define EVT_LEN 4
#define CNT_LEN 2
#define TMR_LEN 4

/* PM1_STS and PM1_EN bits, ACPI 6.4 tables 4.16 and 4.17. */
#define TMR_STS 0x0001
#define PWRBTN_STS 0x0100
#define WAK_STS 0x8000
#define TMR_EN 0x0001
#define PWRBTN_EN 0x0100
#define SCI_EVENTS (TMR_STS | PWRBTN_STS)
/*
 * Every defined enable bit holds what is written (GBL, SLPBTN, RTC,
 * PCIEXP_WAKE_DIS too), as ACPICA reads an enable back to see that the
 * hardware took it.
 */
#define EN_MASK 0x4721

/* PM1_CNT bits, ACPI 6.4 table 4.18. */
#define SCI_EN 0x0001
#define BM_RLD 0x0002
#define SLP_TYP_SHIFT 10
#define SLP_TYP_MASK 0x1c00
#define SLP_EN 0x2000
#define CNT_STORED (BM_RLD | SLP_TYP_MASK)

#define PM_TMR_HZ 3579545ull
#define NS_PER_S 1000000000ull
#define TMR_STS_SHIFT 23 /* TMR_STS: bit 23 of the count toggles */

/**
 * struct acpi_pm - the fixed hardware's state
 * @svc: the worker's services
 * @timer: fires at the next TMR_STS event while TMR_EN is set
 * @base_ns: the clock at power-on, when the count was 0
 * @sts: PM1_STS but TMR_STS
 * @tmr_cleared: the count's bit 23 toggles up to the last clear of TMR_STS
 * @en: PM1_EN
 * @cnt: PM1_CNT's stored bits
 * @sci: the SCI's level
 * @slp_logged: an unsupported sleep type was logged
 */
struct acpi_pm {
	const struct hvd_services *svc;
	struct hvd_timer *timer;
	uint64_t base_ns;
	uint64_t tmr_cleared;
	uint16_t sts;
	uint16_t en;
	uint16_t cnt;
	int sci;
	int slp_logged;
};

/* Ticks since power-on; 128 bits keep the product exact for ~2^64 ns. */
static uint64_t ticks(const struct acpi_pm *a)
{
	uint64_t ns = a->svc->now_ns(a->svc->ctx) - a->base_ns;

	return (unsigned __int128)ns * PM_TMR_HZ / NS_PER_S;
}

static uint16_t read_sts(const struct acpi_pm *a)
{
	uint16_t sts = a->sts;

	if ((ticks(a) >> TMR_STS_SHIFT) != a->tmr_cleared)
		sts |= TMR_STS;
	return sts;
}

static void update(struct acpi_pm *a)
{
	uint16_t sts = read_sts(a);
	int level = !!(sts & a->en & SCI_EVENTS);

	if (level != a->sci) {
		a->sci = level;
		a->svc->set_irq(a->svc->ctx, HVD_ACPI_SCI_IRQ, level);
	}
	if (!a->timer)
		return;
	if ((a->en & TMR_EN) && !(sts & TMR_STS)) {
		/* The first ns whose tick count reaches the next toggle. */
		unsigned __int128 t = (unsigned __int128)(a->tmr_cleared + 1)
				      << TMR_STS_SHIFT;
		uint64_t ns = (t * NS_PER_S + PM_TMR_HZ - 1) / PM_TMR_HZ;

		a->svc->timer_mod(a->svc->ctx, a->timer, a->base_ns + ns);
	} else {
		a->svc->timer_del(a->svc->ctx, a->timer);
	}
}

static void acpi_pm_tick(void *opaque)
{
	update(opaque);
}

static void acpi_pm_reset(void *priv)
{
	struct acpi_pm *a = priv;

	a->base_ns = a->svc->now_ns(a->svc->ctx);
	a->tmr_cleared = 0;
	a->sts = 0;
	a->en = 0;
	a->cnt = 0;
	update(a);
}

static int acpi_pm_create(void *priv, const struct hvd_services *svc,
			  const struct hvd_config *cfg)
{
	struct acpi_pm *a = priv;

	a->svc = svc;
	a->timer = svc->timer_new(svc->ctx, acpi_pm_tick, a);
	if (!a->timer)
		return -ENOMEM;
	acpi_pm_reset(a);
	return 0;
}

static void acpi_pm_destroy(void *priv)
{
	struct acpi_pm *a = priv;

	if (a->timer)
		a->svc->timer_free(a->svc->ctx, a->timer);
	a->timer = NULL;
}

static void enter_sleep(struct acpi_pm *a)
{
	unsigned int typ = (a->cnt & SLP_TYP_MASK) >> SLP_TYP_SHIFT;

	if (typ == HVD_ACPI_S5_TYP) {
		a->svc->request(a->svc->ctx, HVD_REQ_POWEROFF, 0);
	} else if (!a->slp_logged) {
		a->slp_logged = 1;
		hvd_dev_log(a->svc, HVD_LOG_WARNING,
			    "ignored sleep type %u: only S5 (%u) exists", typ,
			    HVD_ACPI_S5_TYP);
	}
}

/* A block's registers as one little-endian value, @len bytes of it. */
static uint32_t block_read(struct acpi_pm *a, uint64_t base)
{
	switch (base) {
	case HVD_ACPI_PM1A_EVT:
		return read_sts(a) | (uint32_t)a->en << 16;
	case HVD_ACPI_PM1A_CNT:
		return a->cnt | SCI_EN;
	default:
		return ticks(a) & 0xffffff;
	}
}

static void block_write(struct acpi_pm *a, uint64_t base, uint32_t val,
			uint32_t mask)
{
	uint16_t clr;

	switch (base) {
	case HVD_ACPI_PM1A_EVT:
		/* Status bits are write-1-to-clear (4.8.3.1). */
		clr = val & mask;
		if (clr & TMR_STS)
			a->tmr_cleared = ticks(a) >> TMR_STS_SHIFT;
		a->sts &= ~clr;
		mask = (mask >> 16) & EN_MASK;
		a->en = (a->en & ~mask) | ((val >> 16) & mask);
		break;
	case HVD_ACPI_PM1A_CNT:
		/* SLP_EN and GBL_RLS are write-only and read 0. */
		a->cnt = (a->cnt & ~(mask & CNT_STORED)) |
			 (val & mask & CNT_STORED);
		if (val & mask & SLP_EN)
			enter_sleep(a);
		break;
	default:
		/* The timer is read-only. */
		break;
	}
	update(a);
}

static uint64_t block_of(uint64_t addr, unsigned int *len)
{
	if (addr >= HVD_ACPI_PM_TMR) {
		*len = TMR_LEN;
		return HVD_ACPI_PM_TMR;
	}
	if (addr >= HVD_ACPI_PM1A_CNT) {
		*len = CNT_LEN;
		return HVD_ACPI_PM1A_CNT;
	}
	*len = EVT_LEN;
	return HVD_ACPI_PM1A_EVT;
}

static uint64_t acpi_pm_read(void *priv, enum hvd_space space, uint64_t addr,
			     unsigned int size)
{
	unsigned int len, off, i;
	uint64_t base = block_of(addr, &len);
	uint32_t reg = block_read(priv, base);
	uint64_t val = 0;

	off = addr - base;
	for (i = 0; i < size; i++) {
		uint64_t byte = off + i < len ? reg >> (8 * (off + i)) & 0xff :
						0xff;

		val |= byte << (8 * i);
	}
	return val;
}

static void acpi_pm_write(void *priv, enum hvd_space space, uint64_t addr,
			  unsigned int size, uint64_t val)
{
	unsigned int len, off, i;
	uint64_t base = block_of(addr, &len);
	uint32_t v = 0, mask = 0;

	off = addr - base;
	for (i = 0; i < size && off + i < len; i++) {
		v |= (uint32_t)(val >> (8 * i) & 0xff) << (8 * (off + i));
		mask |= 0xffu << (8 * (off + i));
	}
	block_write(priv, base, v, mask);
}

static const struct hvd_range acpi_pm_ranges[] = {
	{ HVD_PIO, HVD_ACPI_PM1A_EVT, EVT_LEN },
	{ HVD_PIO, HVD_ACPI_PM1A_CNT, CNT_LEN },
	{ HVD_PIO, HVD_ACPI_PM_TMR, TMR_LEN },
};

const struct hvd_model acpi_pm_model = {
	.name = "acpi_pm",
	.priv_size = sizeof(struct acpi_pm),
	.ranges = acpi_pm_ranges,
	.nr_ranges = 3,
	.create = acpi_pm_create,
	.destroy = acpi_pm_destroy,
	.reset = acpi_pm_reset,
	.read = acpi_pm_read,
	.write = acpi_pm_write,
};
