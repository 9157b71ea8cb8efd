// SPDX-License-Identifier: GPL-2.0
/*
 * The PC's two cascaded 8259A interrupt controllers as one model: the
 * master at ports 0x20-0x21 drives the processor's INTR, the slave at
 * 0xa0-0xa1 feeds the master's IR2, and the PIIX's edge/level control
 * registers (ELCR) at 0x4d0-0x4d1 choose the trigger mode of each ISA IRQ.
 * Register behaviour follows the Intel 8259A datasheet (order number
 * 231468), cited as "8259A" with its section names; the ELCR and the
 * hard-wired cascade follow the Intel 82371AB (PIIX4) datasheet's
 * interrupt controller registers, cited as "PIIX4".
 *
 * As in the PIIX, the cascade is wired (master IR2, slave ID 2) whatever
 * ICW3 says, ICW1's LTIM bit is replaced by the ELCR, and ICW4's buffer
 * bits mean nothing. Only 8086 mode is modelled: 8080 mode (no ICW4, or
 * its uPM bit clear) is logged and treated as 8086 mode.
 *
 * A chip that has not finished its initialization sequence since reset or
 * its last ICW1 keeps latching requests but never raises its INT: it has
 * no vector base to answer with.
 *
 * inta() answers as a real 8259A does when INTA arrives after INT was
 * raised: with the vector of the highest request, or with the default
 * IR7 of the chip if the request has gone (8259A, "Interrupt Sequence").
 * It returns -1 only if INT has not been raised since the last INTA.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "devmodel.h"

#define PIC_MAX_LOGS 8
#define PIC_CASCADE_IRQ 2

/* ICW1 and the A0 = 0 command decode (8259A, "Initialization Command Words") */
#define ICW1_IC4 0x01
#define ICW1_SNGL 0x02
#define ICW1_SEL 0x10
#define OCW3_SEL 0x08
#define ICW4_UPM 0x01
#define ICW4_AEOI 0x02
#define ICW4_SFNM 0x10
#define OCW3_RIS 0x01
#define OCW3_RR 0x02
#define OCW3_P 0x04
#define OCW3_SMM 0x20
#define OCW3_ESMM 0x40

/* The next initialization word a chip expects. */
enum { ICW_NONE, ICW_2, ICW_3, ICW_4 };

struct pic_chip {
	uint8_t irr; /* edge-triggered requests latched */
	uint8_t lines; /* IR input levels: the edge-sense state */
	uint8_t imr;
	uint8_t isr;
	uint8_t elcr;
	uint8_t base; /* ICW2: T7-T3 */
	uint8_t icw3;
	uint8_t prio; /* the IR of highest priority */
	uint8_t next_icw;
	bool ready; /* initialization sequence completed */
	bool ic4;
	bool single;
	bool aeoi;
	bool rotate_aeoi;
	bool sfnm;
	bool special_mask;
	bool read_isr;
	bool poll;
};

struct pic {
	const struct hvd_services *svc;
	struct pic_chip chip[2]; /* master, slave */
	bool intr; /* the master's INT */
	bool int_seen; /* INT raised since the last INTA */
	unsigned int logs;
};

/* PIIX4, ELCR1 and ELCR2: IRQ 0-2, 8 and 13 are edge-triggered only. */
static const uint8_t elcr_mask[2] = { 0xf8, 0xde };
static const char *const chip_name[2] = { "master", "slave" };

static void __attribute__((format(printf, 3, 4)))
pic_log(struct pic *p, unsigned int i, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	if (p->logs >= PIC_MAX_LOGS)
		return;
	p->logs++;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hvd_dev_log(p->svc, HVD_LOG_WARNING, "%s: %s", chip_name[i], buf);
}

/*
 * 8259A, "Edge and Level Triggered Modes": an edge input requests from its
 * rising edge until acknowledged, a level input as long as it is high.
 */
static uint8_t requests(const struct pic_chip *c)
{
	return (c->irr & ~c->elcr) | (c->lines & c->elcr);
}

/* Rank 0 (highest) to 7 of the highest-priority bit of @mask; 8 if none. */
static unsigned int top_rank(const struct pic_chip *c, uint8_t mask)
{
	unsigned int r;

	for (r = 0; r < 8; r++)
		if (mask & (1u << ((r + c->prio) & 7)))
			return r;
	return 8;
}

/* The IR the chip would raise INT for, or -1 (8259A, "Priority Resolver"). */
static int pending(const struct pic_chip *c, bool master)
{
	uint8_t in_service = c->isr;
	unsigned int r;

	if (!c->ready)
		return -1;
	r = top_rank(c, requests(c) & ~c->imr);
	if (r == 8)
		return -1;
	/* 8259A, OCW3 "Special Mask Mode": a masked level stops inhibiting. */
	if (c->special_mask)
		in_service &= ~c->imr;
	/* 8259A, "Special Fully Nested Mode": the slave may nest on IR2. */
	if (master && c->sfnm)
		in_service &= ~(1u << PIC_CASCADE_IRQ);
	if (r >= top_rank(c, in_service))
		return -1;
	return (r + c->prio) & 7;
}

static void set_line(struct pic_chip *c, unsigned int irq, int level)
{
	uint8_t bit = 1u << irq;

	if (level) {
		if (!(c->lines & bit) && !(c->elcr & bit))
			c->irr |= bit;
		c->lines |= bit;
	} else {
		c->lines &= ~bit;
	}
}

/* Propagate the slave's INT to master IR2, and the master's INT to INTR. */
static void update(struct pic *p)
{
	bool level;

	set_line(&p->chip[0], PIC_CASCADE_IRQ,
		 pending(&p->chip[1], false) >= 0);
	level = pending(&p->chip[0], true) >= 0;
	if (level != p->intr) {
		p->intr = level;
		p->svc->set_intr(p->svc->ctx, level);
	}
	if (level)
		p->int_seen = true;
}

/* 8259A, "Interrupt Sequence", step 4, and "Automatic End of Interrupt". */
static void ack(struct pic_chip *c, unsigned int irq)
{
	c->irr &= ~(1u << irq);
	if (!c->aeoi)
		c->isr |= 1u << irq;
	else if (c->rotate_aeoi)
		c->prio = (irq + 1) & 7;
}

/* 8259A, OCW3 "Poll Command": the read acknowledges like INTA does. */
static uint8_t poll_read(struct pic *p, unsigned int i)
{
	struct pic_chip *c = &p->chip[i];
	int irq = pending(c, i == 0);

	c->poll = false;
	if (irq < 0)
		return 0;
	ack(c, irq);
	update(p);
	return 0x80 | irq;
}

/* 8259A, ICW1: the reset part of initialization. */
static void icw1(struct pic *p, unsigned int i, uint8_t val)
{
	struct pic_chip *c = &p->chip[i];

	c->irr = 0;
	c->imr = 0;
	c->isr = 0;
	c->prio = 0;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_aeoi = false;
	/* IC4 = 0: every ICW4 function is zero. */
	c->aeoi = false;
	c->sfnm = false;
	c->ready = false;
	c->ic4 = val & ICW1_IC4;
	c->single = val & ICW1_SNGL;
	c->next_icw = ICW_2;
	if (c->single)
		pic_log(p, i, "ICW1 single mode; the PC cascade stays wired");
}

static void init_done(struct pic *p, unsigned int i, bool upm)
{
	struct pic_chip *c = &p->chip[i];

	c->next_icw = ICW_NONE;
	c->ready = true;
	if (!upm)
		pic_log(p, i, "8080 mode, treated as 8086 mode");
}

static void icw_write(struct pic *p, unsigned int i, uint8_t val)
{
	static const uint8_t piix_icw3[2] = { 1u << PIC_CASCADE_IRQ,
					      PIC_CASCADE_IRQ };
	struct pic_chip *c = &p->chip[i];

	switch (c->next_icw) {
	case ICW_2:
		/* 8086 mode: T2-T0 come from the IR number. */
		c->base = val & 0xf8;
		if (!c->single)
			c->next_icw = ICW_3;
		else if (c->ic4)
			c->next_icw = ICW_4;
		else
			init_done(p, i, false);
		break;
	case ICW_3:
		c->icw3 = val;
		if (val != piix_icw3[i])
			pic_log(p, i, "ICW3 %#x; the PC cascade stays wired",
				val);
		if (c->ic4)
			c->next_icw = ICW_4;
		else
			init_done(p, i, false);
		break;
	case ICW_4:
		c->aeoi = val & ICW4_AEOI;
		c->sfnm = val & ICW4_SFNM;
		init_done(p, i, val & ICW4_UPM);
		break;
	}
}

/* 8259A, OCW2: the R, SL and EOI bits select one of eight commands. */
static void ocw2(struct pic_chip *c, uint8_t val)
{
	unsigned int level = val & 7;
	unsigned int r;

	switch (val >> 5) {
	case 0: /* rotate in automatic EOI mode (clear) */
		c->rotate_aeoi = false;
		break;
	case 4: /* rotate in automatic EOI mode (set) */
		c->rotate_aeoi = true;
		break;
	case 1: /* non-specific EOI */
	case 5: /* rotate on non-specific EOI */
		r = top_rank(c, c->isr);
		if (r == 8)
			break;
		level = (r + c->prio) & 7;
		c->isr &= ~(1u << level);
		if (val & 0x80)
			c->prio = (level + 1) & 7;
		break;
	case 3: /* specific EOI */
		c->isr &= ~(1u << level);
		break;
	case 7: /* rotate on specific EOI */
		c->isr &= ~(1u << level);
		c->prio = (level + 1) & 7;
		break;
	case 6: /* set priority: IR @level becomes the lowest */
		c->prio = (level + 1) & 7;
		break;
	default: /* 2: no operation */
		break;
	}
}

static void ocw3(struct pic_chip *c, uint8_t val)
{
	if (val & OCW3_ESMM)
		c->special_mask = val & OCW3_SMM;
	if (val & OCW3_RR)
		c->read_isr = val & OCW3_RIS;
	/* "If both P and RR are set, the poll command overrides": see read. */
	c->poll = val & OCW3_P;
}

static uint8_t chip_read(struct pic *p, unsigned int i, unsigned int a0)
{
	struct pic_chip *c = &p->chip[i];

	if (c->poll)
		return poll_read(p, i);
	if (a0)
		return c->imr;
	return c->read_isr ? c->isr : requests(c);
}

static void chip_write(struct pic *p, unsigned int i, unsigned int a0,
		       uint8_t val)
{
	struct pic_chip *c = &p->chip[i];

	if (a0) {
		if (c->next_icw != ICW_NONE)
			icw_write(p, i, val);
		else
			c->imr = val;
	} else if (val & ICW1_SEL) {
		icw1(p, i, val);
	} else if (val & OCW3_SEL) {
		ocw3(c, val);
	} else {
		ocw2(c, val);
	}
	update(p);
}

static uint8_t port_read(struct pic *p, uint64_t port)
{
	switch (port) {
	case 0x20:
	case 0x21:
		return chip_read(p, 0, port & 1);
	case 0xa0:
	case 0xa1:
		return chip_read(p, 1, port & 1);
	case 0x4d0:
	case 0x4d1:
		return p->chip[port & 1].elcr;
	default: /* the part of a wide access past our ports: open bus */
		return 0xff;
	}
}

static void port_write(struct pic *p, uint64_t port, uint8_t val)
{
	switch (port) {
	case 0x20:
	case 0x21:
		chip_write(p, 0, port & 1, val);
		break;
	case 0xa0:
	case 0xa1:
		chip_write(p, 1, port & 1, val);
		break;
	case 0x4d0:
	case 0x4d1:
		/* The IRR holds edge latches only: a level input has none. */
		p->chip[port & 1].elcr = val & elcr_mask[port & 1];
		p->chip[port & 1].irr &= ~p->chip[port & 1].elcr;
		update(p);
		break;
	}
}

static void pic_reset(void *priv)
{
	struct pic *p = priv;
	unsigned int i;

	/* The IR inputs are wires, not chip state: keep their levels. */
	for (i = 0; i < 2; i++) {
		uint8_t lines = p->chip[i].lines;

		memset(&p->chip[i], 0, sizeof(p->chip[i]));
		p->chip[i].lines = lines;
	}
	p->int_seen = false;
	update(p);
}

static int pic_create(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	struct pic *p = priv;

	(void)cfg;
	p->svc = svc;
	pic_reset(p);
	return 0;
}

/* Wide accesses are byte accesses in address order, as on the ISA bus. */
static uint64_t pic_read(void *priv, enum hvd_space space, uint64_t addr,
			 unsigned int size)
{
	uint64_t val = 0;
	unsigned int n;

	if (space != HVD_PIO)
		return 0;
	for (n = 0; n < size && n < 8; n++)
		val |= (uint64_t)port_read(priv, addr + n) << (8 * n);
	return val;
}

static void pic_write(void *priv, enum hvd_space space, uint64_t addr,
		      unsigned int size, uint64_t val)
{
	unsigned int n;

	if (space != HVD_PIO)
		return;
	for (n = 0; n < size && n < 8; n++)
		port_write(priv, addr + n, val >> (8 * n));
}

static void pic_irq_in(void *priv, unsigned int pin, int level)
{
	struct pic *p = priv;

	/* IRQ 2 is the cascade: nothing on the ISA bus drives it. */
	if (pin >= 16 || pin == PIC_CASCADE_IRQ)
		return;
	set_line(&p->chip[pin >> 3], pin & 7, level);
	update(p);
}

static int pic_inta(void *priv)
{
	struct pic *p = priv;
	struct pic_chip *m = &p->chip[0], *s = &p->chip[1];
	int irq, vector;

	if (!p->intr && !p->int_seen)
		return -1;
	p->int_seen = false;
	irq = pending(m, true);
	if (irq < 0) {
		/* 8259A, "Interrupt Sequence": the request went away. */
		vector = m->base + 7;
	} else if (irq == PIC_CASCADE_IRQ) {
		/* 8259A, "Cascade Mode": the slave sends the vector. */
		ack(m, irq);
		irq = pending(s, false);
		if (irq < 0) {
			vector = s->base + 7;
		} else {
			ack(s, irq);
			vector = s->base + irq;
		}
	} else {
		ack(m, irq);
		vector = m->base + irq;
	}
	update(p);
	return vector;
}

static const struct hvd_range pic_ranges[] = {
	{ HVD_PIO, 0x20, 2 },
	{ HVD_PIO, 0xa0, 2 },
	{ HVD_PIO, 0x4d0, 2 },
};

const struct hvd_model pic8259_model = {
	.name = "pic8259",
	.priv_size = sizeof(struct pic),
	.ranges = pic_ranges,
	.nr_ranges = sizeof(pic_ranges) / sizeof(pic_ranges[0]),
	.create = pic_create,
	.reset = pic_reset,
	.read = pic_read,
	.write = pic_write,
	.irq_in = pic_irq_in,
	.inta = pic_inta,
};
