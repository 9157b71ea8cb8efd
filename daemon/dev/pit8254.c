// SPDX-License-Identifier: GPL-2.0
/*
 * Intel 8254 programmable interval timer at ports 0x40-0x43, and the PC's
 * port 0x61 (NMI status and control, "system control port B") that gates
 * channel 2 and shows its output. Channel 0 drives ISA IRQ 0, channel 2
 * is what Linux calibrates the TSC against, channel 1 counts for nobody.
 *
 * No channel ticks: each one keeps the time its count was loaded and
 * derives the counting element (CE) from now_ns() at 1193182 Hz, so a
 * guest polling a count sees exactly the VM's clock. Tick 0 is the load:
 * the real part's extra CLK pulse to load the CE is not modelled (as
 * QEMU). Channel 0 arms one timer at the next rising edge of OUT0 and
 * pulses IRQ 0 there; deadlines come from the load time, so periodic
 * interrupts do not drift, and a late timer fires once and skips the
 * periods it missed.
 *
 * BCD channels count in decimal (count 0 is 10000). After reset every
 * channel is as if control word "mode 0, LSB then MSB, binary" had been
 * written and no count yet: OUT low, nothing armed (the datasheet leaves
 * the power-on state undefined). Channels 0 and 1 have GATE tied high, so
 * modes 1 and 5 (triggered by a rising GATE) never start there and their
 * OUT stays high.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "devmodel.h"

#define PIT_HZ 1193182ull
#define NS_PER_SEC 1000000000ull
#define PIT_PORT 0x40
#define PORT_B 0x61
#define NO_EDGE UINT64_MAX
#define MAX_LOGS 8

/* Control word (8254 datasheet, "Control Word Format"). */
#define CW_SC(v) (((v) >> 6) & 3)
#define CW_RW(v) (((v) >> 4) & 3)
#define CW_MODE(v) (((v) >> 1) & 7)
#define CW_BCD 0x01
#define RW_LATCH 0
#define RW_LSB 1
#define RW_MSB 2
#define RW_LOHI 3
/* Read-back command and status byte (8254 datasheet, "Read-Back Command"). */
#define RB_NOCOUNT 0x20
#define RB_NOSTATUS 0x10
#define ST_OUT 0x80
#define ST_NULL 0x40

/*
 * Port 0x61 (Intel ICH datasheets, "NMI_SC"): bits 0-3 read back as
 * written, bit 4 toggles with each DRAM refresh request (every 18 PIT
 * clocks, 15.09 us, the rate BIOSes give channel 1), bit 5 is OUT2. The
 * NMI sources of bits 6-7 do not exist here.
 */
#define PB_GATE2 0x01
#define PB_RW 0x0f
#define PB_REFRESH 0x10
#define PB_OUT2 0x20
#define REFRESH_TICKS 18

struct pit_channel {
	uint8_t cw; /* control word bits 5-0 as written */
	uint8_t mode; /* 0-5: 6 and 7 alias 2 and 3 */
	bool gate;
	bool loaded; /* the CE counts from @n (1/5: triggered) */
	bool running; /* loaded and GATE lets it count */
	bool cr_valid; /* a count was written since the control word */
	bool pending; /* @cr loads at @pend_at (modes 2 and 3) */
	bool null_count; /* @cr not yet in the CE */
	bool wr_msb; /* write flip-flop of RW_LOHI */
	bool rd_msb; /* read flip-flop of RW_LOHI */
	bool status_latched;
	uint8_t wr_lsb;
	uint8_t status;
	uint8_t latch_left; /* bytes of @latch not yet read */
	uint16_t latch;
	uint16_t hold; /* what the CE reads while not loaded */
	uint32_t cr; /* count register: 1-65536 (1-10000 BCD) */
	uint32_t n; /* the count the CE runs with */
	uint64_t load_ns; /* start of the current run of counting */
	int64_t off; /* ticks counted before @load_ns */
	uint64_t pend_at; /* tick, in the old count, @cr loads at */
	uint64_t pend_d; /* the same tick in the new count */
};

struct pit {
	const struct hvd_services *svc;
	struct hvd_timer *timer;
	struct pit_channel ch[3];
	uint64_t deadline; /* of the rising edge of OUT0 armed */
	bool armed;
	uint8_t port_b;
	unsigned int logs;
};

static void junk(struct pit *s, const char *what)
{
	if (s->logs >= MAX_LOGS)
		return;
	s->logs++;
	hvd_dev_log(s->svc, HVD_LOG_WARNING, "%s", what);
}

/* PIT clocks in @ns, without overflowing 64 bits for centuries. */
static uint64_t ns_to_ticks(uint64_t ns)
{
	return ns / NS_PER_SEC * PIT_HZ + ns % NS_PER_SEC * PIT_HZ / NS_PER_SEC;
}

/* The first ns at which ns_to_ticks() reaches @t. */
static uint64_t ticks_to_ns(uint64_t t)
{
	return t / PIT_HZ * NS_PER_SEC +
	       (t % PIT_HZ * NS_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

/* Clocks counted since the CE was loaded. */
static uint64_t cur_d(const struct pit_channel *c, uint64_t now)
{
	int64_t d = c->off;

	if (c->running && now > c->load_ns)
		d += ns_to_ticks(now - c->load_ns);
	return d;
}

static uint32_t modulus(const struct pit_channel *c)
{
	return c->cw & CW_BCD ? 10000 : 65536;
}

/*
 * A count written to a running mode 2 or 3 channel waits for the end of
 * the period (mode 2) or half-period (mode 3) in progress (8254 datasheet,
 * "Mode 2", "Mode 3"); apply it once that tick has passed.
 */
static void settle(struct pit_channel *c, uint64_t now)
{
	if (!c->pending || !c->running || cur_d(c, now) < c->pend_at)
		return;
	c->off += (int64_t)c->pend_d - (int64_t)c->pend_at;
	c->n = c->cr;
	c->pending = false;
	c->null_count = false;
}

static bool out(const struct pit_channel *c, uint64_t now)
{
	uint64_t d;

	if (!c->loaded)
		return c->mode != 0;
	d = cur_d(c, now);
	switch (c->mode) {
	case 0:
	case 1:
		return d >= c->n;
	case 2:
		/* Low for the clock the count is 1; GATE low forces it high. */
		return !c->gate || d % c->n != c->n - 1;
	case 3:
		/* High for (N + 1) / 2 clocks, low for N / 2. */
		return !c->gate || d % c->n < (c->n + 1) / 2;
	default:
		/* Modes 4 and 5: low for the one clock the count is 0. */
		return d != c->n;
	}
}

static uint16_t to_bcd(uint32_t v)
{
	return v % 10 | v / 10 % 10 << 4 | v / 100 % 10 << 8 |
	       v / 1000 % 10 << 12;
}

/* The CE as the guest reads it. */
static uint16_t ce_read(const struct pit_channel *c, uint64_t now)
{
	uint32_t m = modulus(c), n = c->n, half = (n + 1) / 2, q, v;
	uint64_t d;

	if (!c->loaded)
		return c->hold;
	d = cur_d(c, now);
	switch (c->mode) {
	case 2:
		v = n - d % n;
		break;
	case 3:
		/*
		 * Even N: N, N-2, ..., 2 in each half. Odd N: N, N-1, N-3,
		 * ..., 2 while high, N, N-3, ..., 2 while low (8254
		 * datasheet, "Mode 3").
		 */
		q = d % n;
		if (q >= half)
			q -= half;
		if (!q)
			v = n;
		else if (!(n & 1))
			v = n - 2 * q;
		else if (d % n < half)
			v = n + 1 - 2 * q;
		else
			v = n - 1 - 2 * q;
		break;
	default:
		/* One-shot modes keep counting down and wrap. */
		v = (n + m - d % m) % m;
		break;
	}
	v %= m;
	return c->cw & CW_BCD ? to_bcd(v) : v;
}

/* Rising edges of OUT, strictly after clock @d, for count @n. */
static uint64_t edge_after(uint8_t mode, uint32_t n, uint64_t d)
{
	switch (mode) {
	case 0:
	case 1:
		return d < n ? n : NO_EDGE;
	case 2:
	case 3:
		/* A count of 1 is illegal here: OUT never rises. */
		return n > 1 ? (d / n + 1) * n : NO_EDGE;
	default:
		return d <= n ? n + 1ull : NO_EDGE;
	}
}

static uint64_t next_edge(const struct pit_channel *c, uint64_t d)
{
	uint64_t e;

	if (!c->running)
		return NO_EDGE;
	e = edge_after(c->mode, c->n, d);
	if (!c->pending || e <= c->pend_at)
		return e;
	e = edge_after(c->mode, c->cr, c->pend_d);
	return e == NO_EDGE ? e : e - c->pend_d + c->pend_at;
}

/*
 * Pulse IRQ 0 if the armed edge has passed, then arm the next one. Both
 * the 8259's edge latch and the IOAPIC see a pulse; only one per call, so
 * a worker that fell behind skips the periods it missed.
 */
static void update_timer(struct pit *s, uint64_t now)
{
	struct pit_channel *c = &s->ch[0];
	uint64_t e;

	if (s->armed && now >= s->deadline) {
		s->svc->set_irq(s->svc->ctx, 0, 1);
		s->svc->set_irq(s->svc->ctx, 0, 0);
	}
	settle(c, now);
	e = next_edge(c, cur_d(c, now));
	if (e == NO_EDGE) {
		s->armed = false;
		s->svc->timer_del(s->svc->ctx, s->timer);
		return;
	}
	s->deadline = c->load_ns + ticks_to_ns(e - c->off);
	s->armed = true;
	s->svc->timer_mod(s->svc->ctx, s->timer, s->deadline);
}

static void pit_timer(void *opaque)
{
	struct pit *s = opaque;

	update_timer(s, s->svc->now_ns(s->svc->ctx));
}

/* Load the CE from the count register and start counting. */
static void start(struct pit_channel *c, uint64_t now)
{
	c->n = c->cr;
	c->off = 0;
	c->load_ns = now;
	c->loaded = true;
	c->running = c->gate || c->mode == 1 || c->mode == 5;
	c->pending = false;
	c->null_count = false;
}

static void load_count(struct pit *s, struct pit_channel *c, uint32_t val,
		       uint64_t now)
{
	uint64_t d, p;

	if (c->cw & CW_BCD) {
		if ((val & 0x000f) > 9 || (val & 0x00f0) > 0x90 ||
		    (val & 0x0f00) > 0x900 || (val & 0xf000) > 0x9000)
			junk(s, "count is not BCD, nibbles taken as binary");
		val = ((val >> 12) * 1000 + (val >> 8 & 15) * 100 +
		       (val >> 4 & 15) * 10 + (val & 15)) %
		      10000;
	}
	c->cr = val ? val : modulus(c);
	c->cr_valid = true;
	c->null_count = true;
	if ((c->mode == 2 || c->mode == 3) && c->cr == 1)
		junk(s, "count 1 is illegal in modes 2 and 3");
	switch (c->mode) {
	case 1:
	case 5:
		/* Loaded by the next rising GATE (8254 datasheet, "Mode 1"). */
		break;
	case 2:
	case 3:
		if (c->loaded) {
			d = cur_d(c, now);
			p = d % c->n;
			c->pending = true;
			if (c->mode == 3 && p < (c->n + 1) / 2) {
				c->pend_at = d - p + (c->n + 1) / 2;
				c->pend_d = (c->cr + 1) / 2;
			} else {
				c->pend_at = d - p + c->n;
				c->pend_d = c->cr;
			}
			break;
		}
		start(c, now);
		break;
	default:
		/* Modes 0 and 4 restart with the new count. */
		start(c, now);
		break;
	}
}

static void write_count(struct pit *s, unsigned int i, uint8_t v, uint64_t now)
{
	struct pit_channel *c = &s->ch[i];
	uint32_t val;

	settle(c, now);
	switch (CW_RW(c->cw)) {
	case RW_LSB:
		val = v;
		break;
	case RW_MSB:
		val = v << 8;
		break;
	default:
		if (!c->wr_msb) {
			c->wr_lsb = v;
			c->wr_msb = true;
			/*
			 * Mode 0: the first byte stops counting and drives
			 * OUT low at once (8254 datasheet, "Mode 0").
			 */
			if (c->mode == 0 && c->loaded) {
				c->hold = ce_read(c, now);
				c->loaded = c->running = false;
				if (!i)
					update_timer(s, now);
			}
			return;
		}
		c->wr_msb = false;
		val = c->wr_lsb | v << 8;
		break;
	}
	load_count(s, c, val, now);
	if (!i)
		update_timer(s, now);
}

/* A second latch before the first is read is ignored (8254 datasheet). */
static void latch_count(struct pit_channel *c, uint64_t now)
{
	if (c->latch_left)
		return;
	c->latch = ce_read(c, now);
	c->latch_left = CW_RW(c->cw) == RW_LOHI ? 2 : 1;
}

static void read_back(struct pit *s, uint8_t v, uint64_t now)
{
	struct pit_channel *c;
	unsigned int i;

	if (v & 1)
		junk(s, "read-back command with reserved bit 0 set");
	for (i = 0; i < 3; i++) {
		if (!(v & 2 << i))
			continue;
		c = &s->ch[i];
		settle(c, now);
		if (!(v & RB_NOSTATUS) && !c->status_latched) {
			c->status = (out(c, now) ? ST_OUT : 0) |
				    (c->null_count ? ST_NULL : 0) | c->cw;
			c->status_latched = true;
		}
		if (!(v & RB_NOCOUNT))
			latch_count(c, now);
	}
}

static void write_cw(struct pit *s, uint8_t v, uint64_t now)
{
	struct pit_channel *c;
	uint8_t mode = CW_MODE(v);

	if (CW_SC(v) == 3) {
		read_back(s, v, now);
		return;
	}
	c = &s->ch[CW_SC(v)];
	settle(c, now);
	if (CW_RW(v) == RW_LATCH) {
		latch_count(c, now);
		return;
	}
	/* A control word resets the channel's logic and OUT (8254 datasheet). */
	c->hold = ce_read(c, now);
	c->cw = v & 0x3f;
	c->mode = mode > 5 ? mode - 4 : mode;
	c->loaded = c->running = c->cr_valid = c->pending = false;
	c->null_count = true;
	c->wr_msb = c->rd_msb = c->status_latched = false;
	c->latch_left = 0;
	if (!CW_SC(v))
		update_timer(s, now);
}

/* GATE2 from port 0x61 (8254 datasheet, "Gate" table per mode). */
static void set_gate(struct pit_channel *c, bool gate, uint64_t now)
{
	if (gate == c->gate)
		return;
	settle(c, now);
	if (!gate) {
		if (c->running && c->mode != 1 && c->mode != 5) {
			c->off = cur_d(c, now);
			c->running = false;
		}
		c->gate = false;
		return;
	}
	c->gate = true;
	if (c->mode == 0 || c->mode == 4) {
		if (c->loaded) {
			c->load_ns = now;
			c->running = true;
		}
	} else if (c->cr_valid) {
		/* Modes 1, 2, 3 and 5 reload on a rising GATE. */
		start(c, now);
	}
}

static uint8_t read_counter(struct pit_channel *c, uint64_t now)
{
	uint16_t v;
	bool msb;

	settle(c, now);
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latch_left) {
		msb = CW_RW(c->cw) == RW_MSB ||
		      (CW_RW(c->cw) == RW_LOHI && c->latch_left == 1);
		c->latch_left--;
		return msb ? c->latch >> 8 : c->latch & 0xff;
	}
	v = ce_read(c, now);
	if (CW_RW(c->cw) == RW_LOHI) {
		msb = c->rd_msb;
		c->rd_msb = !c->rd_msb;
	} else {
		msb = CW_RW(c->cw) == RW_MSB;
	}
	return msb ? v >> 8 : v & 0xff;
}

static uint8_t read_byte(struct pit *s, uint64_t port, uint64_t now)
{
	uint8_t v;

	if (port >= PIT_PORT && port < PIT_PORT + 3)
		return read_counter(&s->ch[port - PIT_PORT], now);
	if (port != PORT_B)
		return 0xff; /* 0x43 is write-only; nothing drives the bus */
	v = s->port_b;
	if (ns_to_ticks(now) / REFRESH_TICKS & 1)
		v |= PB_REFRESH;
	settle(&s->ch[2], now);
	if (out(&s->ch[2], now))
		v |= PB_OUT2;
	return v;
}

static void write_byte(struct pit *s, uint64_t port, uint8_t v, uint64_t now)
{
	if (port >= PIT_PORT && port < PIT_PORT + 3) {
		write_count(s, port - PIT_PORT, v, now);
	} else if (port == PIT_PORT + 3) {
		write_cw(s, v, now);
	} else if (port == PORT_B) {
		s->port_b = v & PB_RW;
		set_gate(&s->ch[2], v & PB_GATE2, now);
	}
}

/* Wider accesses are byte cycles to consecutive ports, as on the ISA bus. */
static uint64_t pit_read(void *priv, enum hvd_space space, uint64_t addr,
			 unsigned int size)
{
	struct pit *s = priv;
	uint64_t now = s->svc->now_ns(s->svc->ctx), val = 0;
	unsigned int i;

	for (i = 0; i < size && i < 8; i++)
		val |= (uint64_t)read_byte(s, addr + i, now) << 8 * i;
	return val;
}

static void pit_write(void *priv, enum hvd_space space, uint64_t addr,
		      unsigned int size, uint64_t val)
{
	struct pit *s = priv;
	uint64_t now = s->svc->now_ns(s->svc->ctx);
	unsigned int i;

	for (i = 0; i < size && i < 8; i++)
		write_byte(s, addr + i, val >> 8 * i, now);
}

static void pit_reset(void *priv)
{
	struct pit *s = priv;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		s->ch[i] = (struct pit_channel){
			.cw = RW_LOHI << 4,
			.gate = i != 2,
			.null_count = true,
		};
	}
	s->port_b = 0;
	s->armed = false;
	s->svc->timer_del(s->svc->ctx, s->timer);
}

static int pit_create(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	struct pit *s = priv;

	s->svc = svc;
	s->timer = svc->timer_new(svc->ctx, pit_timer, s);
	if (!s->timer)
		return -ENOMEM;
	pit_reset(s);
	return 0;
}

static void pit_destroy(void *priv)
{
	struct pit *s = priv;

	if (s->timer)
		s->svc->timer_free(s->svc->ctx, s->timer);
	s->timer = NULL;
}

static const struct hvd_range pit_ranges[] = {
	{ HVD_PIO, PIT_PORT, 4 },
	{ HVD_PIO, PORT_B, 1 },
};

const struct hvd_model pit8254_model = {
	.name = "pit8254",
	.priv_size = sizeof(struct pit),
	.ranges = pit_ranges,
	.nr_ranges = 2,
	.create = pit_create,
	.destroy = pit_destroy,
	.reset = pit_reset,
	.read = pit_read,
	.write = pit_write,
};
