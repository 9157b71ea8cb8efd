// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-console, a second console (virtio 1.2, 5.3): one port, no
 * features, so receiveq (0) and transmitq (1) and no control queues; the
 * guest's /dev/hvc0. The definition gives it a pseudo-terminal (bytes
 * both ways) or a file (the guest's output only).
 *
 * Output: each chain on transmitq is written to the backend as it is; a
 * backend that cannot take it (a full pty nobody reads) loses it, as a
 * serial line would. Input: bytes are read from the pty only while the
 * driver has buffers on receiveq to take them; what was read and found
 * no buffer waits in the device, and the pty is not read again until the
 * driver makes buffers available (5.3.6.1: the device keeps receiveq's
 * buffers, so nothing is lost or reordered).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "virtio_pci.h"

#define CON_QUEUE_SIZE	64
#define RXQ		0
#define TXQ		1

/**
 * struct virtio_con - the device
 * @v: the transport, first (virtio_pci.h)
 * @elem: the chain being served
 * @fd: the backend (pty master or file)
 * @input: @fd gives input (a pty)
 * @watching: the worker calls us when @fd is readable
 * @pend: input read and not yet in a receiveq buffer
 * @pend_len: bytes of @pend
 */
struct virtio_con {
	struct hvd_virtio v;
	struct hvd_vq_elem elem;
	int fd;
	bool input;
	bool watching;
	uint8_t pend[4096];
	size_t pend_len;
};

static void tx_one(struct hvd_virtio *v, struct hvd_vq_elem *e)
{
	struct virtio_con *c = (struct virtio_con *)v;
	unsigned int i;

	for (i = 0; i < e->nr_out; i++) {
		void *p = v->svc->mem_ptr(v->svc->ctx, e->seg[i].gpa,
					  e->seg[i].len);

		if (p && write(c->fd, p, e->seg[i].len) < 0 &&
		    errno != EAGAIN)
			break;
	}
	hvd_virtio_push(v, TXQ, e->head, 0);
}

static void on_input(void *opaque);

static void set_watch(struct virtio_con *c, bool on)
{
	if (c->input)
		hvd_virtio_watch(&c->v, c->fd, &c->watching, on, on_input, c);
}

/* Move pending input into receiveq buffers while there are some. */
static void deliver(struct virtio_con *c)
{
	struct hvd_vq *vq = &c->v.q[RXQ].vq;
	bool ready;
	size_t n;

	while (c->pend_len && hvd_virtio_queue_ready(&c->v, RXQ)) {
		if (hvd_vq_pop(vq, &c->elem) <= 0) {
			if (vq->broken)
				hvd_virtio_needs_reset(&c->v,
						       "malformed receive queue");
			break;
		}
		n = hvd_vq_write(vq, &c->elem, 0, c->pend, c->pend_len);
		hvd_virtio_push(&c->v, RXQ, c->elem.head, n);
		memmove(c->pend, c->pend + n, c->pend_len - n);
		c->pend_len -= n;
		if (!n)
			break; /* a chain without writable bytes */
	}
	/*
	 * Read more only when it has somewhere to go; and hear of new
	 * buffers (2.7.10), re-checking after asking, as a driver adding
	 * one meanwhile may have seen no reason to notify.
	 */
	ready = hvd_virtio_queue_ready(&c->v, RXQ);
	if (ready)
		hvd_vq_set_notify(vq, true);
	set_watch(c, !c->pend_len && ready && hvd_vq_avail(vq));
}

static void on_input(void *opaque)
{
	struct virtio_con *c = opaque;
	ssize_t n;

	if (!c->pend_len) {
		n = read(c->fd, c->pend, sizeof(c->pend));
		if (n > 0)
			c->pend_len = n;
	}
	deliver(c);
}

static void con_notify(struct hvd_virtio *v, unsigned int q)
{
	struct virtio_con *c = (struct virtio_con *)v;

	if (q == TXQ) {
		hvd_virtio_serve(v, TXQ, &c->elem, tx_one);
		return;
	}
	/* New receive buffers: pending input first, then read again. */
	deliver(c);
}

static void con_driver_ok(struct hvd_virtio *v)
{
	deliver((struct virtio_con *)v);
}

static void con_reset(struct hvd_virtio *v)
{
	struct virtio_con *c = (struct virtio_con *)v;

	/* The guest's port is gone: what it did not take is lost. */
	c->pend_len = 0;
	set_watch(c, false);
}

static const struct hvd_virtio_ops con_ops = {
	.device_id = 3,
	.class_code = 0x078000, /* other communications device, as QEMU's */
	.nr_queues = 2,
	.queue_size = CON_QUEUE_SIZE,
	.notify = con_notify,
	.reset = con_reset,
	.driver_ok = con_driver_ok,
};

static int con_create(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	struct virtio_con *c = priv;

	if (!cfg->backend || cfg->backend->fd < 0)
		return -EINVAL;
	c->fd = cfg->backend->fd;
	c->input = !cfg->backend->readonly;
	return hvd_virtio_create(&c->v, &con_ops, "virtio_console", svc, cfg);
}

static void con_destroy(void *priv)
{
	struct virtio_con *c = priv;

	set_watch(c, false);
	hvd_virtio_mdestroy(priv);
}

const struct hvd_model virtio_console_model = {
	.name = "virtio_console",
	.priv_size = sizeof(struct virtio_con),
	.create = con_create,
	.destroy = con_destroy,
	HVD_VIRTIO_MODEL_CALLBACKS,
};
