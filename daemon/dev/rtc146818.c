// SPDX-License-Identifier: GPL-2.0
/*
 * The PC's Motorola MC146818 real-time clock and its 128 bytes of CMOS RAM
 * at ports 0x70 (index, bit 7 the NMI mask) and 0x71 (data). The guest's
 * time is the host's UTC (wall_ns) plus an offset that a guest setting the
 * clock moves, so the host clock is never touched. The periodic, update-
 * ended and alarm interrupts drive ISA IRQ 8 from timers that run only
 * while an enabled interrupt needs them. The 0x72/0x73 extended bank of
 * later chipsets is not modelled.
 */
#include <errno.h>
#include <stdbool.h>

#include "devmodel.h"

#define NS_PER_SEC 1000000000ull
#define RTC_IRQ 8
#define UIP_NS 244000u /* MC146818 datasheet, UIP bit */
#define MAX_JUNK_LOGS 4

#define REG_SEC 0x00
#define REG_ASEC 0x01
#define REG_MIN 0x02
#define REG_AMIN 0x03
#define REG_HOUR 0x04
#define REG_AHOUR 0x05
#define REG_WDAY 0x06
#define REG_MDAY 0x07
#define REG_MON 0x08
#define REG_YEAR 0x09
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_C 0x0c
#define REG_D 0x0d
#define REG_CENTURY 0x32 /* ACPI FADT CENTURY, IBM AT */

#define A_UIP 0x80
#define A_DV 0x70
#define A_DV_RUN 0x20 /* 32.768 kHz time base */
#define A_RS 0x0f
#define B_SET 0x80
#define B_PIE 0x40
#define B_AIE 0x20
#define B_UIE 0x10
#define B_DM 0x04 /* 1: binary, 0: BCD */
#define B_24H 0x02
#define B_RESET_CLR 0x78 /* PIE AIE UIE SQWE, cleared by RESET */
#define C_IRQF 0x80
#define C_PF 0x40
#define C_AF 0x20
#define C_UF 0x10
#define D_VRT 0x80

struct rtc {
	const struct hvd_services *svc;
	const struct hvd_config *cfg;
	struct hvd_timer *per_timer;
	struct hvd_timer *upd_timer;
	uint8_t cmos[128];
	uint8_t index;
	bool nmi_masked; /* stored: no service to mask the NMI */
	bool halted; /* divider other than 010 */
	int64_t off_sec; /* guest time = wall + off_sec s + off_ns */
	uint32_t off_ns;
	int64_t frozen_sec; /* guest time while halted */
	uint32_t frozen_ns;
	unsigned int wday_adj; /* the day-of-week counter is independent */
	int64_t last_sec; /* the second of the last update cycle */
	bool per_armed;
	bool upd_armed;
	unsigned int per_ticks; /* period in 32.768 kHz ticks */
	uint64_t per_base; /* now_ns the period counts from */
	int irq;
	unsigned int junk_logs;
};

static void __attribute__((format(printf, 2, 3)))
junk(struct rtc *rtc, const char *fmt, ...)
{
	va_list ap;

	if (rtc->junk_logs >= MAX_JUNK_LOGS)
		return;
	rtc->junk_logs++;
	va_start(ap, fmt);
	rtc->svc->log(rtc->svc->ctx, HVD_LOG_WARNING, fmt, ap);
	va_end(ap);
}

/* Proleptic Gregorian days since 1970-01-01 (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned int *m,
			    unsigned int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* 0 = Sunday; 1970-01-01 was a Thursday. */
static unsigned int weekday(int64_t days)
{
	return days + 4 - floor_div(days + 4, 7) * 7;
}

static void guest_time(struct rtc *rtc, int64_t *sec, uint32_t *ns)
{
	uint64_t wall, total;

	if (rtc->halted) {
		*sec = rtc->frozen_sec;
		*ns = rtc->frozen_ns;
		return;
	}
	wall = rtc->svc->wall_ns(rtc->svc->ctx);
	total = wall % NS_PER_SEC + rtc->off_ns;
	*sec = (int64_t)(wall / NS_PER_SEC) + rtc->off_sec +
	       (int64_t)(total / NS_PER_SEC);
	*ns = total % NS_PER_SEC;
}

static void set_guest_time(struct rtc *rtc, int64_t sec, uint32_t ns)
{
	uint64_t wall, wns;

	if (rtc->halted) {
		rtc->frozen_sec = sec;
		rtc->frozen_ns = ns;
		return;
	}
	wall = rtc->svc->wall_ns(rtc->svc->ctx);
	wns = wall % NS_PER_SEC;
	rtc->off_ns = (ns + NS_PER_SEC - wns) % NS_PER_SEC;
	rtc->off_sec = sec - (int64_t)(wall / NS_PER_SEC) -
		       (int64_t)((wns + rtc->off_ns) / NS_PER_SEC);
}

static uint8_t to_reg(struct rtc *rtc, unsigned int v)
{
	if (rtc->cmos[REG_B] & B_DM)
		return v;
	return (v / 10) << 4 | v % 10;
}

static unsigned int from_reg(struct rtc *rtc, uint8_t v)
{
	if (rtc->cmos[REG_B] & B_DM)
		return v;
	return (v >> 4) * 10 + (v & 0xf);
}

/* MC146818 datasheet, Table 3: 12-hour mode keeps PM in bit 7, 1-12. */
static uint8_t hour_to_reg(struct rtc *rtc, unsigned int h)
{
	if (rtc->cmos[REG_B] & B_24H)
		return to_reg(rtc, h);
	return to_reg(rtc, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0);
}

static unsigned int hour_from_reg(struct rtc *rtc, uint8_t v)
{
	if (rtc->cmos[REG_B] & B_24H)
		return from_reg(rtc, v);
	return from_reg(rtc, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

/* Copy the running clock into the time registers. */
static void latch(struct rtc *rtc)
{
	int64_t sec, days, year;
	unsigned int mon, mday, s;
	uint32_t ns;

	guest_time(rtc, &sec, &ns);
	days = floor_div(sec, 86400);
	s = sec - days * 86400;
	civil_from_days(days, &year, &mon, &mday);
	rtc->cmos[REG_SEC] = to_reg(rtc, s % 60);
	rtc->cmos[REG_MIN] = to_reg(rtc, s / 60 % 60);
	rtc->cmos[REG_HOUR] = hour_to_reg(rtc, s / 3600);
	rtc->cmos[REG_WDAY] = (weekday(days) + rtc->wday_adj) % 7 + 1;
	rtc->cmos[REG_MDAY] = to_reg(rtc, mday);
	rtc->cmos[REG_MON] = to_reg(rtc, mon);
	/* commit() keeps the year in 0-9999, the clock counts up from it */
	rtc->cmos[REG_YEAR] = to_reg(rtc, year % 100);
	rtc->cmos[REG_CENTURY] = to_reg(rtc, year / 100 % 100);
}

static unsigned int clamp(struct rtc *rtc, unsigned int v, unsigned int lo,
			  unsigned int hi, bool *bad)
{
	if (v >= lo && v <= hi)
		return v;
	*bad = true;
	return v < lo ? lo : hi;
}

/*
 * Make the time registers the running time. The datasheet leaves invalid
 * values undefined; they are clamped to the nearest valid one. The divider
 * chain keeps running under SET, so the sub-second phase is kept.
 */
static void commit(struct rtc *rtc)
{
	unsigned int s, mi, h, d, mo, y, c, wday;
	int64_t days, sec, now_sec;
	uint32_t ns;
	bool bad = false;

	s = clamp(rtc, from_reg(rtc, rtc->cmos[REG_SEC]), 0, 59, &bad);
	mi = clamp(rtc, from_reg(rtc, rtc->cmos[REG_MIN]), 0, 59, &bad);
	h = clamp(rtc, hour_from_reg(rtc, rtc->cmos[REG_HOUR]), 0, 23, &bad);
	d = clamp(rtc, from_reg(rtc, rtc->cmos[REG_MDAY]), 1, 31, &bad);
	mo = clamp(rtc, from_reg(rtc, rtc->cmos[REG_MON]), 1, 12, &bad);
	y = clamp(rtc, from_reg(rtc, rtc->cmos[REG_YEAR]), 0, 99, &bad);
	c = clamp(rtc, from_reg(rtc, rtc->cmos[REG_CENTURY]), 0, 99, &bad);
	if (bad)
		junk(rtc, "invalid time written, clamped");
	days = days_from_civil(c * 100 + y, mo, d);
	wday = rtc->cmos[REG_WDAY];
	if (wday >= 1 && wday <= 7)
		rtc->wday_adj = (wday - 1 + 7 - weekday(days)) % 7;
	sec = days * 86400 + h * 3600 + mi * 60 + s;
	guest_time(rtc, &now_sec, &ns);
	set_guest_time(rtc, sec, ns);
}

static bool alarm_match(struct rtc *rtc)
{
	static const uint8_t pairs[][2] = {
		{ REG_ASEC, REG_SEC },
		{ REG_AMIN, REG_MIN },
		{ REG_AHOUR, REG_HOUR },
	};
	unsigned int i;

	/* MC146818 datasheet, "Alarm": 11xxxxxx is a don't-care code. */
	for (i = 0; i < 3; i++) {
		uint8_t a = rtc->cmos[pairs[i][0]];

		if ((a & 0xc0) != 0xc0 && a != rtc->cmos[pairs[i][1]])
			return false;
	}
	return true;
}

/* MC146818 datasheet, Register C: IRQF = PF.PIE + AF.AIE + UF.UIE. */
static void update_irq(struct rtc *rtc)
{
	uint8_t *c = &rtc->cmos[REG_C];
	int level = !!(*c & rtc->cmos[REG_B] & (C_PF | C_AF | C_UF));

	*c = (*c & ~C_IRQF) | (level ? C_IRQF : 0);
	if (level != rtc->irq) {
		rtc->irq = level;
		rtc->svc->set_irq(rtc->svc->ctx, RTC_IRQ, level);
	}
}

/* 32.768 kHz ticks to ns, rounded up so a deadline never comes early. */
static uint64_t ticks_ns(uint64_t ticks)
{
	return (ticks * NS_PER_SEC + 32767) >> 15;
}

static void arm_update(struct rtc *rtc)
{
	uint64_t now = rtc->svc->now_ns(rtc->svc->ctx);
	uint32_t ns;

	guest_time(rtc, &rtc->last_sec, &ns);
	rtc->svc->timer_mod(rtc->svc->ctx, rtc->upd_timer,
			    now + NS_PER_SEC - ns);
	rtc->upd_armed = true;
}

/*
 * Arm or disarm the timers for what the registers ask. @restart re-phases
 * the update timer after the guest moved the clock.
 */
static void rearm(struct rtc *rtc, bool restart)
{
	uint8_t a = rtc->cmos[REG_A], b = rtc->cmos[REG_B];
	unsigned int rs = a & A_RS, ticks;

	/* MC146818 datasheet, Table 3: rates 1 and 2 repeat 8 and 9. */
	ticks = rs == 0 ? 0 : 1u << (rs <= 2 ? rs + 6 : rs - 1);
	if (rtc->halted || !(b & B_PIE))
		ticks = 0;
	if (ticks && (!rtc->per_armed || ticks != rtc->per_ticks)) {
		rtc->per_ticks = ticks;
		rtc->per_base = rtc->svc->now_ns(rtc->svc->ctx);
		rtc->svc->timer_mod(rtc->svc->ctx, rtc->per_timer,
				    rtc->per_base + ticks_ns(ticks));
		rtc->per_armed = true;
	} else if (!ticks && rtc->per_armed) {
		rtc->svc->timer_del(rtc->svc->ctx, rtc->per_timer);
		rtc->per_armed = false;
	}

	/* SET inhibits the update cycle (datasheet, Register B). */
	if (!rtc->halted && !(b & B_SET) && (b & (B_UIE | B_AIE))) {
		if (!rtc->upd_armed || restart)
			arm_update(rtc);
	} else if (rtc->upd_armed) {
		rtc->svc->timer_del(rtc->svc->ctx, rtc->upd_timer);
		rtc->upd_armed = false;
	}
}

static void periodic_fire(void *opaque)
{
	struct rtc *rtc = opaque;
	uint64_t now = rtc->svc->now_ns(rtc->svc->ctx), el, next;

	rtc->per_armed = false;
	rtc->cmos[REG_C] |= C_PF;
	update_irq(rtc);
	if (now < rtc->per_base)
		now = rtc->per_base;

	/*
	 * The next deadline counts from the previous one, not from now, so
	 * the rate does not drift; periods already missed are skipped, not
	 * delivered in a burst. Whole seconds move into per_base (32768
	 * ticks are exactly 1 s) to keep the products small.
	 */
	el = now - rtc->per_base;
	rtc->per_base += el / NS_PER_SEC * NS_PER_SEC;
	el %= NS_PER_SEC;
	el = (el << 15) / NS_PER_SEC;
	next = (el / rtc->per_ticks + 1) * rtc->per_ticks;
	rtc->svc->timer_mod(rtc->svc->ctx, rtc->per_timer,
			    rtc->per_base + ticks_ns(next));
	rtc->per_armed = true;
}

static void update_fire(void *opaque)
{
	struct rtc *rtc = opaque;
	int64_t sec;
	uint32_t ns;

	rtc->upd_armed = false;
	guest_time(rtc, &sec, &ns);
	/* The timer may run a little ahead of the wall clock: wait for it. */
	if (sec != rtc->last_sec) {
		rtc->last_sec = sec;
		latch(rtc);
		rtc->cmos[REG_C] |= C_UF;
		if (alarm_match(rtc))
			rtc->cmos[REG_C] |= C_AF;
		update_irq(rtc);
	}
	rtc->svc->timer_mod(rtc->svc->ctx, rtc->upd_timer,
			    rtc->svc->now_ns(rtc->svc->ctx) + NS_PER_SEC - ns);
	rtc->upd_armed = true;
}

static bool is_time_reg(unsigned int i)
{
	return i <= REG_YEAR ? !(i & 1) || i >= REG_WDAY : i == REG_CENTURY;
}

static void write_a(struct rtc *rtc, uint8_t v)
{
	uint8_t old = rtc->cmos[REG_A] & A_DV, dv = v & A_DV;
	int64_t sec;
	uint32_t ns;

	rtc->cmos[REG_A] = v & ~A_UIP;
	if (dv != A_DV_RUN && (dv & 0x60) != 0x60)
		junk(rtc, "divider %u not modelled, clock held", dv >> 4);
	if (old == A_DV_RUN && dv != A_DV_RUN) {
		guest_time(rtc, &sec, &ns);
		rtc->halted = true;
		set_guest_time(rtc, sec, ns);
	} else if (old != A_DV_RUN && dv == A_DV_RUN) {
		guest_time(rtc, &sec, &ns);
		/*
		 * Datasheet, Register A: out of divider reset, the first
		 * update comes 500 ms later.
		 */
		if ((old & 0x60) == 0x60)
			ns = NS_PER_SEC / 2;
		rtc->halted = false;
		set_guest_time(rtc, sec, ns);
	}
	rearm(rtc, true);
}

static void write_b(struct rtc *rtc, uint8_t v)
{
	uint8_t old = rtc->cmos[REG_B];

	/* Datasheet, Register B: writing SET clears UIE. */
	if (v & B_SET)
		v &= ~B_UIE;
	if ((old & B_SET) && !(v & B_SET))
		commit(rtc); /* in the mode the registers were written in */
	rtc->cmos[REG_B] = v;
	if (!(old & B_SET) && (v & B_SET))
		latch(rtc);
	update_irq(rtc);
	rearm(rtc, (old ^ v) & B_SET);
}

static uint8_t data_read(struct rtc *rtc)
{
	unsigned int i = rtc->index;
	uint8_t v;
	int64_t sec;
	uint32_t ns;

	if (is_time_reg(i) && !(rtc->cmos[REG_B] & B_SET))
		latch(rtc);
	switch (i) {
	case REG_A:
		guest_time(rtc, &sec, &ns);
		v = rtc->cmos[REG_A];
		if (!rtc->halted && !(rtc->cmos[REG_B] & B_SET) &&
		    ns >= NS_PER_SEC - UIP_NS)
			v |= A_UIP;
		return v;
	case REG_C:
		v = rtc->cmos[REG_C];
		rtc->cmos[REG_C] = 0;
		update_irq(rtc);
		return v;
	case REG_D:
		return D_VRT;
	default:
		return rtc->cmos[i];
	}
}

static void data_write(struct rtc *rtc, uint8_t v)
{
	unsigned int i = rtc->index;

	if (is_time_reg(i)) {
		if (rtc->cmos[REG_B] & B_SET) {
			rtc->cmos[i] = v;
			return;
		}
		/* A running clock counts on from what was written. */
		latch(rtc);
		rtc->cmos[i] = v;
		commit(rtc);
		rearm(rtc, true);
		return;
	}
	switch (i) {
	case REG_A:
		write_a(rtc, v);
		break;
	case REG_B:
		write_b(rtc, v);
		break;
	case REG_C:
	case REG_D:
		break; /* read-only */
	default:
		rtc->cmos[i] = v;
	}
}

static uint64_t rtc_read(void *priv, enum hvd_space space, uint64_t addr,
			 unsigned int size)
{
	struct rtc *rtc = priv;
	uint64_t val = 0;
	unsigned int i;

	/*
	 * A wide access is byte accesses to consecutive ports; the index
	 * port (write-only on the AT) and ports past 0x71 read as an
	 * undriven bus, as on QEMU's PC.
	 */
	for (i = 0; i < size; i++) {
		uint8_t b = addr + i == 0x71 ? data_read(rtc) : 0xff;

		val |= (uint64_t)b << (8 * i);
	}
	return val;
}

static void rtc_write(void *priv, enum hvd_space space, uint64_t addr,
		      unsigned int size, uint64_t val)
{
	struct rtc *rtc = priv;
	unsigned int i;

	for (i = 0; i < size; i++) {
		uint8_t b = val >> (8 * i);

		if (addr + i == 0x70) {
			rtc->nmi_masked = b & 0x80;
			rtc->index = b & 0x7f;
		} else if (addr + i == 0x71) {
			data_write(rtc, b);
		}
	}
}

/* Datasheet, RESET pin: time, RAM and register A survive. */
static void rtc_reset(void *priv)
{
	struct rtc *rtc = priv;

	rtc->cmos[REG_B] &= ~B_RESET_CLR;
	rtc->cmos[REG_C] = 0;
	update_irq(rtc);
	rearm(rtc, false);
}

static void put16(uint8_t *p, uint64_t v)
{
	v = v > 0xffff ? 0xffff : v;
	p[0] = v;
	p[1] = v >> 8;
}

static int rtc_create(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	struct rtc *rtc = priv;
	uint64_t low = cfg->ram_below_4g, high, kib = 1024, mib = 1024 * kib;

	rtc->svc = svc;
	rtc->cfg = cfg;
	rtc->per_timer = svc->timer_new(svc->ctx, periodic_fire, rtc);
	rtc->upd_timer = svc->timer_new(svc->ctx, update_fire, rtc);
	if (!rtc->per_timer || !rtc->upd_timer) {
		if (rtc->per_timer)
			svc->timer_free(svc->ctx, rtc->per_timer);
		if (rtc->upd_timer)
			svc->timer_free(svc->ctx, rtc->upd_timer);
		return -ENOMEM;
	}
	rtc->cmos[REG_A] = A_DV_RUN | 0x06; /* as PC firmware leaves it */
	rtc->cmos[REG_B] = B_24H;

	/*
	 * The memory-size bytes of the IBM AT CMOS map, as SeaBIOS reads
	 * them and QEMU's pc_cmos_init() fills them.
	 */
	put16(&rtc->cmos[0x15], low < 640 * kib ? low / kib : 640);
	put16(&rtc->cmos[0x17], low > mib ? (low - mib) / kib : 0);
	put16(&rtc->cmos[0x30], low > mib ? (low - mib) / kib : 0);
	put16(&rtc->cmos[0x34], low > 16 * mib ? (low - 16 * mib) >> 16 : 0);
	high = cfg->ram_size > low ? (cfg->ram_size - low) >> 16 : 0;
	high = high > 0xffffff ? 0xffffff : high;
	rtc->cmos[0x5b] = high;
	rtc->cmos[0x5c] = high >> 8;
	rtc->cmos[0x5d] = high >> 16;
	rtc->cmos[0x0f] = 0; /* shutdown status: normal POST */
	return 0;
}

static void rtc_destroy(void *priv)
{
	struct rtc *rtc = priv;

	rtc->svc->timer_free(rtc->svc->ctx, rtc->per_timer);
	rtc->svc->timer_free(rtc->svc->ctx, rtc->upd_timer);
}

static const struct hvd_range rtc_ranges[] = {
	{ HVD_PIO, 0x70, 2 },
};

const struct hvd_model rtc146818_model = {
	.name = "rtc146818",
	.priv_size = sizeof(struct rtc),
	.ranges = rtc_ranges,
	.nr_ranges = 1,
	.create = rtc_create,
	.destroy = rtc_destroy,
	.reset = rtc_reset,
	.read = rtc_read,
	.write = rtc_write,
};
