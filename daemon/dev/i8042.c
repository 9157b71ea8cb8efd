// SPDX-License-Identifier: GPL-2.0
/*
 * The 8042 keyboard controller at ports 0x60 (data) and 0x64 (status and
 * command), as much of it as Linux's i8042 and atkbd drivers and the two
 * reset paths use (IBM PC AT Technical Reference, "Keyboard Controller";
 * IBM PS/2 Hardware Interface Technical Reference for the auxiliary port).
 * Commands take effect at once, so the input buffer is never full.
 *
 * The VM starts as firmware leaves a PC: self-test passed (SYS set), the
 * command byte 0x65 (keyboard interrupt, translation, aux port disabled).
 * One 8-byte queue stands for the output buffer and what the keyboard
 * still has to send; each byte remembers whether it came from the aux
 * port. IRQ 1 (IRQ 12 for aux bytes) follows "output buffer full" while
 * the command byte enables it, and a read of 0x60 drops it for a moment
 * so that each byte gives the edge-triggered ISA line a new edge.
 *
 * The keyboard answers reset (0xff: ACK, BAT passed 0xaa), identify
 * (0xf2: ACK, 0xab 0x83, 0x83 turning into 0x41 when the controller
 * translates, as an 8042 does and QEMU's ps2.c does), echo (0xee) and
 * ACKs every other byte, parameters of 0xed/0xf0/0xf3 included; it never
 * has a key to send. Nothing is plugged into the aux port: the loopback
 * command 0xd3 works (Linux's aux port probe), and each byte sent to the
 * device with 0xd4 comes back as 0xfe with the aux and time-out status
 * bits, as a PS/2 controller reports a device that does not answer, so
 * psmouse gives up at once. The output port's A20 bit is stored but gates
 * nothing: the VM always has A20 enabled.
 */
#include <stdint.h>

#include "devmodel.h"

#define DATA_PORT 0x60
#define CMD_PORT 0x64
#define IRQ_KBD 1
#define IRQ_AUX 12
#define QLEN 8
#define MAX_LOGS 4

/* Status register. */
#define STS_OBF 0x01
#define STS_SYS 0x04
#define STS_A2 0x08 /* last write was to the command port */
#define STS_UNLOCKED 0x10 /* keyboard not inhibited */
#define STS_AUX 0x20 /* output buffer holds an aux byte */
#define STS_TIMEOUT 0x40

/* Command byte. */
#define CTR_KBDINT 0x01
#define CTR_AUXINT 0x02
#define CTR_SYS 0x04
#define CTR_KBDDIS 0x10
#define CTR_AUXDIS 0x20
#define CTR_XLATE 0x40
#define CTR_POWER_ON (CTR_KBDINT | CTR_SYS | CTR_AUXDIS | CTR_XLATE)

/* Output port. */
#define OUT_RESET 0x01 /* 0 holds the CPU in reset */
#define OUT_A20 0x02
#define OUT_OBF 0x10
#define OUT_AUX_OBF 0x20

#define KBD_ACK 0xfa
#define KBD_BAT_OK 0xaa
#define KBD_ECHO 0xee
#define AUX_NAK 0xfe

/**
 * struct kbc_byte - a byte waiting for the guest
 * @val: the byte
 * @sts: STS_AUX and STS_TIMEOUT as the status register shows them with it
 */
struct kbc_byte {
	uint8_t val;
	uint8_t sts;
};

/**
 * struct i8042 - the controller's state
 * @svc: the worker's services
 * @q: the output buffer and the bytes behind it
 * @head: index of the output buffer's byte in @q
 * @count: bytes in @q
 * @ctr: the command byte
 * @outport: the output port
 * @pending: the command whose data byte the next write to 0x60 is, or 0
 * @last: the last byte read from 0x60, which it reads while empty
 * @a2: STS_A2
 * @irq: the levels of IRQ 1 and IRQ 12
 * @logs: log lines written (rate limit)
 */
struct i8042 {
	const struct hvd_services *svc;
	struct kbc_byte q[QLEN];
	unsigned int head;
	unsigned int count;
	uint8_t ctr;
	uint8_t outport;
	uint8_t pending;
	uint8_t last;
	uint8_t a2;
	int irq[2];
	unsigned int logs;
};

static void junk(struct i8042 *k, const char *what, uint8_t val)
{
	if (k->logs < MAX_LOGS) {
		k->logs++;
		hvd_dev_log(k->svc, HVD_LOG_WARNING, "%s 0x%02x", what, val);
	}
}

static void set_line(struct i8042 *k, int aux, int level)
{
	if (k->irq[aux] != level) {
		k->irq[aux] = level;
		k->svc->set_irq(k->svc->ctx, aux ? IRQ_AUX : IRQ_KBD, level);
	}
}

static void update_irq(struct i8042 *k)
{
	int aux = k->count && (k->q[k->head].sts & STS_AUX);

	set_line(k, 0, k->count && !aux && (k->ctr & CTR_KBDINT));
	set_line(k, 1, aux && (k->ctr & CTR_AUXINT));
}

static void queue(struct i8042 *k, uint8_t val, uint8_t sts)
{
	if (k->count == QLEN) {
		junk(k, "output queue full, dropped", val);
		return;
	}
	k->q[(k->head + k->count) % QLEN] = (struct kbc_byte){ val, sts };
	k->count++;
	update_irq(k);
}

static void reset_cpu(struct i8042 *k)
{
	k->svc->request(k->svc->ctx, HVD_REQ_RESET, 0);
}

static uint8_t status(const struct i8042 *k)
{
	uint8_t sts = (k->ctr & CTR_SYS) | k->a2 | STS_UNLOCKED;

	if (k->count)
		sts |= STS_OBF | k->q[k->head].sts;
	return sts;
}

static uint8_t read_data(struct i8042 *k)
{
	if (!k->count)
		return k->last;
	k->last = k->q[k->head].val;
	k->head = (k->head + 1) % QLEN;
	k->count--;
	set_line(k, 0, 0);
	set_line(k, 1, 0);
	update_irq(k);
	return k->last;
}

static void keyboard_command(struct i8042 *k, uint8_t cmd)
{
	/* Sending to the keyboard enables its interface (as QEMU does). */
	k->ctr &= ~CTR_KBDDIS;
	switch (cmd) {
	case 0xff:
		queue(k, KBD_ACK, 0);
		queue(k, KBD_BAT_OK, 0);
		break;
	case 0xf2:
		/* MF2 keyboard; 0x83 is set 2's F7, translated to 0x41. */
		queue(k, KBD_ACK, 0);
		queue(k, 0xab, 0);
		queue(k, k->ctr & CTR_XLATE ? 0x41 : 0x83, 0);
		break;
	case 0xee:
		queue(k, KBD_ECHO, 0);
		break;
	default:
		queue(k, KBD_ACK, 0);
		break;
	}
}

static void write_data(struct i8042 *k, uint8_t val)
{
	uint8_t cmd = k->pending;

	k->a2 = 0;
	k->pending = 0;
	switch (cmd) {
	case 0:
		keyboard_command(k, val);
		break;
	case 0x60:
		k->ctr = val;
		update_irq(k);
		break;
	case 0xd1:
		k->outport = val | OUT_RESET;
		if (!(val & OUT_RESET))
			reset_cpu(k);
		break;
	case 0xd2:
		queue(k, val, 0);
		break;
	case 0xd3:
		queue(k, val, STS_AUX);
		break;
	case 0xd4:
		/* No aux device answers (PS/2 status bit 6, time-out). */
		queue(k, AUX_NAK, STS_AUX | STS_TIMEOUT);
		break;
	default:
		/* 0x61-0x7f: controller RAM nothing reads. */
		break;
	}
}

static void write_command(struct i8042 *k, uint8_t cmd)
{
	uint8_t out;

	k->a2 = STS_A2;
	k->pending = 0;
	if (cmd >= 0x60 && cmd <= 0x7f) {
		k->pending = cmd;
		return;
	}
	if (cmd >= 0xf0) {
		/* Pulse the output port lines whose bit is 0; line 0 resets. */
		if (!(cmd & OUT_RESET))
			reset_cpu(k);
		return;
	}
	switch (cmd) {
	case 0x20:
		queue(k, k->ctr, 0);
		break;
	case 0xa7:
		k->ctr |= CTR_AUXDIS;
		break;
	case 0xa8:
		k->ctr &= ~CTR_AUXDIS;
		break;
	case 0xa9:
	case 0xab:
		/* Interface test: 0x00, no clock or data line stuck. */
		queue(k, 0x00, 0);
		break;
	case 0xaa:
		k->ctr |= CTR_SYS;
		queue(k, 0x55, 0);
		break;
	case 0xad:
		k->ctr |= CTR_KBDDIS;
		break;
	case 0xae:
		k->ctr &= ~CTR_KBDDIS;
		break;
	case 0xd0:
		/* Bits 4 and 5 are the IRQ 1 and IRQ 12 output buffer lines. */
		out = k->outport & ~(OUT_OBF | OUT_AUX_OBF);
		if (k->count && (k->q[k->head].sts & STS_AUX))
			out |= OUT_AUX_OBF;
		else if (k->count)
			out |= OUT_OBF;
		queue(k, out, 0);
		break;
	case 0xd1:
	case 0xd2:
	case 0xd3:
	case 0xd4:
		k->pending = cmd;
		break;
	default:
		junk(k, "ignored command", cmd);
		break;
	}
}

static void i8042_reset(void *priv)
{
	struct i8042 *k = priv;

	k->head = 0;
	k->count = 0;
	k->ctr = CTR_POWER_ON;
	k->outport = OUT_RESET | OUT_A20;
	k->pending = 0;
	k->last = 0;
	k->a2 = 0;
	update_irq(k);
}

static int i8042_create(void *priv, const struct hvd_services *svc,
			const struct hvd_config *cfg)
{
	struct i8042 *k = priv;

	k->svc = svc;
	i8042_reset(k);
	return 0;
}

/* Bytes of a wider access above the port are other ports' (all ones). */
static uint64_t i8042_read(void *priv, enum hvd_space space, uint64_t addr,
			   unsigned int size)
{
	struct i8042 *k = priv;
	uint64_t ones = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	uint8_t val = addr == DATA_PORT ? read_data(k) : status(k);

	return (ones & ~0xffull) | val;
}

static void i8042_write(void *priv, enum hvd_space space, uint64_t addr,
			unsigned int size, uint64_t val)
{
	if (addr == DATA_PORT)
		write_data(priv, val & 0xff);
	else
		write_command(priv, val & 0xff);
}

static const struct hvd_range i8042_ranges[] = {
	{ HVD_PIO, DATA_PORT, 1 },
	{ HVD_PIO, CMD_PORT, 1 },
};

const struct hvd_model i8042_model = {
	.name = "i8042",
	.priv_size = sizeof(struct i8042),
	.ranges = i8042_ranges,
	.nr_ranges = 2,
	.create = i8042_create,
	.reset = i8042_reset,
	.read = i8042_read,
	.write = i8042_write,
};
