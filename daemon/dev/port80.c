// SPDX-License-Identifier: GPL-2.0
/*
 * Port 0x80, the POST diagnostic port. PC firmware writes its progress
 * codes there for a POST card to show, and Linux writes junk there as a
 * short I/O delay (outb_p(), arch/x86/include/asm/io.h), so a write must
 * cost nothing: the model keeps the last code and counts writes, and
 * logs neither per write. Nothing decodes reads on a PC; QEMU's
 * ioport80_read() (hw/i386/pc.c) returns all ones, as here.
 */
#include <stdint.h>

#include "devmodel.h"

#define POST_PORT 0x80

/**
 * struct port80 - the POST port's state
 * @svc: the worker's services
 * @code: the last byte written
 * @writes: writes since power-on
 */
struct port80 {
	const struct hvd_services *svc;
	uint8_t code;
	uint64_t writes;
};

static void port80_reset(void *priv)
{
	struct port80 *p = priv;

	p->code = 0;
	p->writes = 0;
}

static int port80_create(void *priv, const struct hvd_services *svc,
			 const struct hvd_config *cfg)
{
	struct port80 *p = priv;

	p->svc = svc;
	port80_reset(p);
	return 0;
}

static void port80_destroy(void *priv)
{
	struct port80 *p = priv;

	/* A POST card's display: the code a hung firmware stopped at. */
	if (p->writes)
		hvd_dev_log(p->svc, HVD_LOG_DEBUG,
			    "last POST code 0x%02x (%llu writes)", p->code,
			    (unsigned long long)p->writes);
}

static uint64_t port80_read(void *priv, enum hvd_space space, uint64_t addr,
			    unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* A wider write's low byte is the one that lands on port 0x80. */
static void port80_write(void *priv, enum hvd_space space, uint64_t addr,
			 unsigned int size, uint64_t val)
{
	struct port80 *p = priv;

	p->code = val & 0xff;
	p->writes++;
}

static const struct hvd_range port80_ranges[] = {
	{ HVD_PIO, POST_PORT, 1 },
};

const struct hvd_model port80_model = {
	.name = "port80",
	.priv_size = sizeof(struct port80),
	.ranges = port80_ranges,
	.nr_ranges = 1,
	.create = port80_create,
	.destroy = port80_destroy,
	.reset = port80_reset,
	.read = port80_read,
	.write = port80_write,
};
