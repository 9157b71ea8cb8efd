// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550A UART at COM1 (ports 0x3f8-0x3ff, ISA IRQ 4), the guest's serial
 * console. Register behaviour follows the National PC16550D datasheet
 * (June 1995), cited below as "PC16550D" with its section names.
 *
 * The line behind it is a console, not a wire: the transmitter is done the
 * moment the guest writes THR (THRE and TEMT never drop for longer than the
 * write), the modem inputs read as a connected line (CTS, DSR, DCD), and
 * console input is flow-controlled rather than overrun: input() takes only
 * what fits in the receive FIFO and chr_accept() asks for the rest once the
 * guest has read a byte. Overruns therefore happen only in loopback, where
 * the guest itself feeds the receiver. Parity, framing and break errors
 * never occur. The character timeout counts ten bits per character
 * whatever LCR says.
 *
 * Power-on divisor: 12 (9600 baud), what a PC BIOS programs, so that the
 * character timeout has a sane length before the guest sets a rate.
 */
#include <errno.h>
#include <stdbool.h>

#include "devmodel.h"

#define UART_FIFO_SIZE 16
#define UART_NR_PORTS 8
#define UART_CLOCK_HZ 1843200ull /* the PC's crystal */
#define UART_MAX_LOGS 4

/* Register offsets (PC16550D, Table II). */
#define REG_RBR_THR 0
#define REG_IER 1
#define REG_IIR_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_MSR 6
#define REG_SCR 7

#define IER_ERBFI 0x01
#define IER_ETBEI 0x02
#define IER_ELSI 0x04
#define IER_EDSSI 0x08

#define IIR_NONE 0x01
#define IIR_MSI 0x00
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_RLSI 0x06
#define IIR_CTI 0x0c
#define IIR_FIFO 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLR_RX 0x02
#define FCR_DMA 0x08
#define FCR_TRIGGER 0xc0

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_DELTA 0x0f
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

struct uart {
	const struct hvd_services *svc;
	const struct hvd_config *cfg;
	struct hvd_timer *timeout;
	uint8_t fifo[UART_FIFO_SIZE];
	unsigned int head;
	unsigned int count;
	uint8_t rbr; /* the last byte read, for reads of an empty RBR */
	uint8_t ier;
	uint8_t fcr;
	uint8_t lcr;
	uint8_t mcr;
	uint8_t oe; /* LSR_OE or 0 */
	uint8_t msr;
	uint8_t scr;
	uint16_t divisor;
	bool thr_ipending;
	bool timeout_ipending;
	bool held_back; /* input() refused bytes since the last accept */
	int irq_level;
	unsigned int logs;
};

static const struct hvd_range uart_ranges[] = {
	{ .space = HVD_PIO, .base = HVD_COM1_BASE, .len = UART_NR_PORTS },
};

static bool fifo_mode(const struct uart *u)
{
	return u->fcr & FCR_ENABLE;
}

/* In 16450 mode the receiver holds one byte, RBR itself. */
static unsigned int rx_capacity(const struct uart *u)
{
	return fifo_mode(u) ? UART_FIFO_SIZE : 1;
}

/* PC16550D, FCR bits 6-7: 1, 4, 8 or 14 bytes. */
static unsigned int rx_trigger(const struct uart *u)
{
	static const unsigned int level[] = { 1, 4, 8, 14 };

	return fifo_mode(u) ? level[u->fcr >> 6] : 1;
}

/*
 * PC16550D, Table IV: receiver line status > received data available or
 * character timeout > THR empty > modem status. Parity, framing and break
 * errors never occur here, so OE is the only line-status source.
 */
static uint8_t uart_iir(const struct uart *u)
{
	if ((u->ier & IER_ELSI) && u->oe)
		return IIR_RLSI;
	if ((u->ier & IER_ERBFI) && u->count >= rx_trigger(u))
		return IIR_RDI;
	if ((u->ier & IER_ERBFI) && u->timeout_ipending)
		return IIR_CTI;
	if ((u->ier & IER_ETBEI) && u->thr_ipending)
		return IIR_THRI;
	if ((u->ier & IER_EDSSI) && (u->msr & MSR_DELTA))
		return IIR_MSI;
	return IIR_NONE;
}

/*
 * A PC wires INTRPT to the IRQ line through a buffer enabled by the OUT2
 * pin. Loopback forces the modem-control output pins inactive (PC16550D,
 * MCR bit 4), so OUT2's gate closes then too, whatever MCR holds.
 */
static void update_irq(struct uart *u)
{
	int level = uart_iir(u) != IIR_NONE &&
		    (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;

	if (level != u->irq_level) {
		u->irq_level = level;
		u->svc->set_irq(u->svc->ctx, HVD_COM1_IRQ, level);
	}
}

/*
 * Four character times at the programmed rate: CLOCK / 16 / divisor bits
 * per second, ten bits a character (PC16550D, FIFO Interrupt Mode
 * Operation). The datasheet leaves divisor 0 undefined; it is taken as
 * 65536, the 16-bit counter wrapping, the slowest rate. Rounded up so the
 * timeout never fires early.
 */
static uint64_t timeout_ns(const struct uart *u)
{
	uint64_t div = u->divisor ? u->divisor : 65536;
	uint64_t num = 4 * 10 * 16 * div * 1000000000ull;

	return (num + UART_CLOCK_HZ - 1) / UART_CLOCK_HZ;
}

/*
 * The timeout counter restarts whenever a byte arrives or the guest reads
 * one, and runs only while the FIFO holds data; in 16450 mode there is no
 * timeout, received data interrupts at once.
 */
static void restart_timeout(struct uart *u)
{
	const struct hvd_services *svc = u->svc;

	u->timeout_ipending = false;
	if (fifo_mode(u) && u->count)
		svc->timer_mod(svc->ctx, u->timeout,
			       svc->now_ns(svc->ctx) + timeout_ns(u));
	else
		svc->timer_del(svc->ctx, u->timeout);
}

static void timeout_fire(void *opaque)
{
	struct uart *u = opaque;

	if (fifo_mode(u) && u->count) {
		u->timeout_ipending = true;
		update_irq(u);
	}
}

/* Tell the backend there is room again if it was turned away. */
static void accept_more(struct uart *u)
{
	if (u->held_back && !(u->mcr & MCR_LOOP) && u->count < rx_capacity(u)) {
		u->held_back = false;
		u->svc->chr_accept(u->svc->ctx);
	}
}

/*
 * A byte finished in the receiver shift register. PC16550D, LSR bit 1:
 * in FIFO mode a full FIFO keeps its contents and the new byte is lost;
 * in 16450 mode the new byte overwrites RBR.
 */
static void rx_push(struct uart *u, uint8_t c)
{
	if (u->count >= rx_capacity(u)) {
		u->oe = LSR_OE;
		if (!fifo_mode(u))
			u->fifo[u->head] = c;
	} else {
		u->fifo[(u->head + u->count) % UART_FIFO_SIZE] = c;
		u->count++;
	}
	restart_timeout(u);
}

static void rx_clear(struct uart *u)
{
	u->head = 0;
	u->count = 0;
	restart_timeout(u);
}

static uint8_t rx_pop(struct uart *u)
{
	if (u->count) {
		u->rbr = u->fifo[u->head];
		u->head = (u->head + 1) % UART_FIFO_SIZE;
		u->count--;
	}
	restart_timeout(u);
	return u->rbr;
}

static uint8_t modem_lines(const struct uart *u)
{
	uint8_t m = u->mcr;

	if (!(m & MCR_LOOP))
		return MSR_CTS | MSR_DSR | MSR_DCD;
	/* PC16550D, MCR bit 4: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
	return (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) |
	       (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0);
}

/* PC16550D, MSR bits 0-3; RI reports only its trailing edge. */
static void update_msr(struct uart *u)
{
	uint8_t now = modem_lines(u), old = u->msr, delta = 0;

	if ((now ^ old) & MSR_CTS)
		delta |= MSR_DCTS;
	if ((now ^ old) & MSR_DSR)
		delta |= MSR_DDSR;
	if ((old & MSR_RI) && !(now & MSR_RI))
		delta |= MSR_TERI;
	if ((now ^ old) & MSR_DCD)
		delta |= MSR_DDCD;
	u->msr = now | (old & MSR_DELTA) | delta;
}

static void junk(struct uart *u, const char *what, uint8_t val)
{
	if (u->logs >= UART_MAX_LOGS)
		return;
	u->logs++;
	hvd_dev_log(u->svc, HVD_LOG_NOTICE, "guest wrote %#x to %s, ignored%s",
		    val, what,
		    u->logs == UART_MAX_LOGS ? " (further ones not logged)" :
					       "");
}

static void write_thr(struct uart *u, uint8_t c)
{
	/* Writing THR clears THRE (PC16550D, Table IV)... */
	u->thr_ipending = false;
	update_irq(u);
	if (u->mcr & MCR_LOOP)
		rx_push(u, c);
	else
		u->svc->chr_write(u->svc->ctx, &c, 1);
	/* ...and the instant transmitter empties it again. */
	u->thr_ipending = true;
}

/*
 * PC16550D, FCR: bit 0 must be set for the others to take; toggling it
 * clears both FIFOs. The transmit FIFO is always empty here, so clearing
 * it changes nothing.
 */
static void write_fcr(struct uart *u, uint8_t val)
{
	uint8_t old = u->fcr;

	if (!(val & FCR_ENABLE)) {
		u->fcr = 0;
		if (old & FCR_ENABLE)
			rx_clear(u);
		return;
	}
	u->fcr = val & (FCR_ENABLE | FCR_DMA | FCR_TRIGGER);
	if (!(old & FCR_ENABLE) || (val & FCR_CLR_RX))
		rx_clear(u);
}

static void write_reg(struct uart *u, unsigned int reg, uint8_t val)
{
	uint8_t old_ier = u->ier;

	switch (reg) {
	case REG_RBR_THR:
		if (u->lcr & LCR_DLAB)
			u->divisor = (u->divisor & 0xff00) | val;
		else
			write_thr(u, val);
		break;
	case REG_IER:
		if (u->lcr & LCR_DLAB) {
			u->divisor = (u->divisor & 0x00ff) | val << 8;
			break;
		}
		u->ier = val & 0x0f;
		/*
		 * Enabling ETBEI with THR empty raises THRE at once, as
		 * QEMU's and real 16550s do; Linux's 8250 driver probes
		 * for this and stalls its transmitter without it.
		 */
		if (u->ier & ~old_ier & IER_ETBEI)
			u->thr_ipending = true;
		break;
	case REG_IIR_FCR:
		write_fcr(u, val);
		break;
	case REG_LCR:
		u->lcr = val;
		break;
	case REG_MCR:
		u->mcr = val & MCR_MASK;
		update_msr(u);
		break;
	case REG_LSR:
		/* PC16550D, LSR: writing it is for factory test only. */
		junk(u, "LSR", val);
		break;
	case REG_MSR:
		junk(u, "MSR", val);
		break;
	case REG_SCR:
		u->scr = val;
		break;
	}
	update_irq(u);
	/* Leaving loopback or clearing the FIFO makes room for input. */
	accept_more(u);
}

static uint8_t read_reg(struct uart *u, unsigned int reg)
{
	uint8_t val = 0;

	switch (reg) {
	case REG_RBR_THR:
		if (u->lcr & LCR_DLAB)
			return u->divisor & 0xff;
		val = rx_pop(u);
		update_irq(u);
		/* After update_irq: chr_accept may hand input in at once. */
		accept_more(u);
		return val;
	case REG_IER:
		return u->lcr & LCR_DLAB ? u->divisor >> 8 : u->ier;
	case REG_IIR_FCR:
		val = uart_iir(u);
		/* PC16550D, Table IV: reading IIR resets a THRE source. */
		if (val == IIR_THRI)
			u->thr_ipending = false;
		if (fifo_mode(u))
			val |= IIR_FIFO;
		break;
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		val = (u->count ? LSR_DR : 0) | u->oe | LSR_THRE | LSR_TEMT;
		u->oe = 0;
		break;
	case REG_MSR:
		val = u->msr;
		u->msr &= ~MSR_DELTA;
		break;
	case REG_SCR:
		return u->scr;
	}
	update_irq(u);
	return val;
}

static void uart_reset(void *priv)
{
	struct uart *u = priv;

	u->ier = 0;
	u->fcr = 0;
	u->lcr = 0;
	u->mcr = 0;
	u->oe = 0;
	u->scr = 0;
	u->rbr = 0;
	u->divisor = 12;
	u->thr_ipending = false;
	u->msr = modem_lines(u);
	rx_clear(u);
	update_irq(u);
	accept_more(u);
}

static int uart_create(void *priv, const struct hvd_services *svc,
		       const struct hvd_config *cfg)
{
	struct uart *u = priv;

	u->svc = svc;
	u->cfg = cfg;
	u->timeout = svc->timer_new(svc->ctx, timeout_fire, u);
	if (!u->timeout)
		return -ENOMEM;
	uart_reset(u);
	return 0;
}

static void uart_destroy(void *priv)
{
	struct uart *u = priv;

	if (u->timeout)
		u->svc->timer_free(u->svc->ctx, u->timeout);
	u->timeout = NULL;
}

/*
 * Wider accesses touch consecutive registers from low to high, as QEMU
 * splits them; bytes past port 7 read as the floating bus.
 */
static uint64_t uart_read(void *priv, enum hvd_space space, uint64_t addr,
			  unsigned int size)
{
	uint64_t off = addr - HVD_COM1_BASE, val = 0;
	unsigned int i;

	for (i = 0; i < size && i < 8; i++) {
		uint64_t b = off + i < UART_NR_PORTS ? read_reg(priv, off + i) :
						       0xff;

		val |= b << (8 * i);
	}
	return val;
}

static void uart_write(void *priv, enum hvd_space space, uint64_t addr,
		       unsigned int size, uint64_t val)
{
	uint64_t off = addr - HVD_COM1_BASE;
	unsigned int i;

	for (i = 0; i < size && i < 8 && off + i < UART_NR_PORTS; i++)
		write_reg(priv, off + i, val >> (8 * i));
}

/* Console input: what fits now; the rest waits for accept_more(). */
static size_t uart_input(void *priv, const uint8_t *buf, size_t len)
{
	struct uart *u = priv;
	size_t n = 0;

	/* PC16550D, MCR bit 4: loopback disconnects the serial input. */
	if (!(u->mcr & MCR_LOOP)) {
		while (n < len && u->count < rx_capacity(u))
			rx_push(u, buf[n++]);
	}
	if (n < len)
		u->held_back = true;
	update_irq(u);
	return n;
}

/**
 * uart16550_model - the 16550A UART at COM1 (ports 0x3f8-0x3ff, IRQ 4)
 */
const struct hvd_model uart16550_model = {
	.name = "uart16550",
	.priv_size = sizeof(struct uart),
	.ranges = uart_ranges,
	.nr_ranges = 1,
	.create = uart_create,
	.destroy = uart_destroy,
	.reset = uart_reset,
	.read = uart_read,
	.write = uart_write,
	.input = uart_input,
};
