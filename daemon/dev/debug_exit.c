// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's isa-debug-exit device (hw/misc/debugexit.c) at port 0xf4: a test
 * guest ends the VM with a status of its choosing by writing a value v,
 * and the VM ends with status (v << 1) | 1, so a guest can never fake a
 * clean exit 0 of the hypervisor itself.
 *
 * QEMU's device decodes "iosize" ports (default 2 at 0x501); this one
 * decodes the single port 0xf4, as "-device isa-debug-exit,iobase=0xf4,
 * iosize=1". QEMU's memory core cuts a wider access at the end of the
 * region, so an outw or outl lands here as its low byte and the bytes
 * above go to the ports after it, which decode nothing: a write's status
 * is ((v & 0xff) << 1) | 1 and a read is 0 (debug_exit_read()) with all
 * ones above it. With iosize=4 QEMU would pass the whole value, but a
 * process exit status keeps only its low 8 bits, which are the same.
 */
#include <stdint.h>

#include "devmodel.h"

/**
 * struct debug_exit - the device's state
 * @svc: the worker's services
 */
struct debug_exit {
	const struct hvd_services *svc;
};

static int debug_exit_create(void *priv, const struct hvd_services *svc,
			     const struct hvd_config *cfg)
{
	struct debug_exit *d = priv;

	d->svc = svc;
	return 0;
}

static uint64_t debug_exit_read(void *priv, enum hvd_space space, uint64_t addr,
				unsigned int size)
{
	uint64_t ones = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;

	return ones & ~0xffull;
}

static void debug_exit_write(void *priv, enum hvd_space space, uint64_t addr,
			     unsigned int size, uint64_t val)
{
	struct debug_exit *d = priv;

	d->svc->request(d->svc->ctx, HVD_REQ_EXIT,
			(int)((val & 0xff) << 1) | 1);
}

static const struct hvd_range debug_exit_ranges[] = {
	{ HVD_PIO, HVD_DEBUG_EXIT_PORT, 1 },
};

const struct hvd_model debug_exit_model = {
	.name = "debug_exit",
	.priv_size = sizeof(struct debug_exit),
	.ranges = debug_exit_ranges,
	.nr_ranges = 1,
	.create = debug_exit_create,
	.read = debug_exit_read,
	.write = debug_exit_write,
};
