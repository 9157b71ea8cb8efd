// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-net on a tap device (virtio 1.2, 5.1): one queue pair (receiveq
 * 0, transmitq 1), no control queue. The worker opens the tap the
 * definition names with IFF_VNET_HDR and a 12-byte header, which is
 * virtio's struct virtio_net_hdr_v1 (5.1.6): so a packet moves between a
 * chain and the tap as it is, header included, with one readv() or
 * writev() on the guest's buffers and no copy.
 *
 * Offloads: the guest may hand over packets with a partial checksum
 * (VIRTIO_NET_F_CSUM) and TCP segments of up to 64 KiB
 * (VIRTIO_NET_F_HOST_TSO4/6): the tap's vnet header carries both, and the
 * host's stack finishes them. Received packets come with full checksums
 * and at most the MTU (no GUEST_CSUM, GUEST_TSO or mergeable buffers), so
 * a receive buffer of 1526 bytes (header, Ethernet frame, VLAN tag) takes
 * any of them.
 *
 * The tap is read only while receiveq has a buffer: a packet the guest
 * has no room for waits in the tap's own queue, which drops what
 * overflows, as a NIC's ring would. A transmit the tap refuses (its queue
 * full) is dropped the same way.
 *
 * Where the worker holds the kernel's vhost-net for the tap (struct
 * hvd_backend's vhost), the device hands both queues to it at DRIVER_OK
 * (hvd_virtio_vhost_start()) and moves no packet itself until the next
 * reset: vhost-net does the same with the same 12-byte header
 * (worker/vhost.c). If vhost-net refuses, the device serves the queues
 * itself, unless the definition said vhost=on.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "virtio_pci.h"

#define NET_QUEUE_SIZE	256
#define RXQ		0
#define TXQ		1
#define NET_HDR_LEN	12
#define NUM_BUFFERS_OFF	10
#define NET_BATCH	64

/* Feature bits (5.1.3). */
#define VIRTIO_NET_F_CSUM	0
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_HOST_TSO4	11
#define VIRTIO_NET_F_HOST_TSO6	12

/**
 * struct virtio_net - the device
 * @v: the transport, first (virtio_pci.h)
 * @elem: the chain being served
 * @iov: its buffers
 * @fd: the tap
 * @be: the backend, whose vhost the worker may change until the VM runs
 * @watching: the worker calls us when the tap is readable
 * @rx_dropped: chains too short for a header, answered empty
 * @tx_dropped: packets the tap refused, or without a header
 */
struct virtio_net {
	struct hvd_virtio v;
	struct hvd_vq_elem elem;
	struct iovec iov[HVD_VQ_MAX_SEGS];
	int fd;
	const struct hvd_backend *be;
	bool watching;
	unsigned long rx_dropped;
	unsigned long tx_dropped;
};

static void tx_one(struct hvd_virtio *v, struct hvd_vq_elem *e)
{
	struct virtio_net *n = (struct virtio_net *)v;
	int cnt = hvd_vq_iov(&v->q[TXQ].vq, e, false, 0, e->out_len, n->iov);

	/* A packet the tap refuses (its queue full, a bad header) is lost. */
	if (cnt <= 0 || e->out_len <= NET_HDR_LEN ||
	    writev(n->fd, n->iov, cnt) < 0)
		n->tx_dropped++;
	hvd_virtio_push(v, TXQ, e->head, 0);
}

static void on_packet(void *opaque);

static void set_watch(struct virtio_net *n, bool on)
{
	hvd_virtio_watch(&n->v, n->fd, &n->watching, on, on_packet, n);
}

/*
 * Packets from the tap into receive buffers, at most NET_BATCH a turn of
 * the event loop (the tap stays readable, so the loop comes back).
 */
static void receive(struct virtio_net *n)
{
	static const uint8_t one[2] = { 1, 0 };
	struct hvd_vq *vq = &n->v.q[RXQ].vq;
	unsigned int k;
	ssize_t got;
	bool ready;
	int cnt;

	for (k = 0; k < NET_BATCH && hvd_virtio_queue_ready(&n->v, RXQ); k++) {
		if (hvd_vq_pop(vq, &n->elem) <= 0)
			break;
		cnt = hvd_vq_iov(vq, &n->elem, true, 0, n->elem.in_len,
				 n->iov);
		if (cnt < 0 || n->elem.in_len < NET_HDR_LEN) {
			/* 5.1.6.3.1: no room for a header; give it back empty. */
			n->rx_dropped++;
			hvd_virtio_push(&n->v, RXQ, n->elem.head, 0);
			continue;
		}
		got = readv(n->fd, n->iov, cnt);
		if (got <= 0) {
			hvd_vq_unpop(vq);
			break;
		}
		/* One buffer a packet: num_buffers is 1 (5.1.6.4). */
		hvd_vq_write(vq, &n->elem, NUM_BUFFERS_OFF, one, sizeof(one));
		hvd_virtio_push(&n->v, RXQ, n->elem.head, got);
	}
	if (vq->broken)
		hvd_virtio_needs_reset(&n->v, "malformed receive queue");
	/* Hear of new buffers, and read only while there is one. */
	ready = hvd_virtio_queue_ready(&n->v, RXQ);
	if (ready)
		hvd_vq_set_notify(vq, true);
	set_watch(n, ready && hvd_vq_avail(vq));
}

static void on_packet(void *opaque)
{
	receive(opaque);
}

static void net_notify(struct hvd_virtio *v, unsigned int q)
{
	struct virtio_net *n = (struct virtio_net *)v;

	if (q == TXQ)
		hvd_virtio_serve(v, TXQ, &n->elem, tx_one);
	else
		receive(n);
}

static void net_driver_ok(struct hvd_virtio *v)
{
	struct virtio_net *n = (struct virtio_net *)v;
	int err;

	if (n->be->vhost != HVD_BE_OWN) {
		err = hvd_virtio_vhost_start(v);
		if (!err) {
			set_watch(n, false);
			return;
		}
		if (n->be->vhost == HVD_BE_VHOST_MUST) {
			hvd_virtio_needs_reset(v, "vhost=on: vhost-net refused");
			return;
		}
		hvd_dev_log(v->svc, HVD_LOG_WARNING,
			    "vhost-net refused (%s): hvd serves the queues",
			    strerror(-err));
	}
	receive(n);
}

static void net_reset(struct hvd_virtio *v)
{
	set_watch((struct virtio_net *)v, false);
}

static const struct hvd_virtio_ops net_ops = {
	.device_id = 1,
	.class_code = 0x020000, /* Ethernet controller */
	.nr_queues = 2,
	.queue_size = NET_QUEUE_SIZE,
	.features = 1ull << VIRTIO_NET_F_CSUM | 1ull << VIRTIO_NET_F_MAC |
		    1ull << VIRTIO_NET_F_HOST_TSO4 |
		    1ull << VIRTIO_NET_F_HOST_TSO6,
	.config_size = 6, /* mac; nothing else is offered */
	.notify = net_notify,
	.reset = net_reset,
	.driver_ok = net_driver_ok,
};

static int net_create(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	struct virtio_net *n = priv;

	if (!cfg->backend || cfg->backend->fd < 0)
		return -EINVAL;
	n->fd = cfg->backend->fd;
	n->be = cfg->backend;
	memcpy(n->v.config, cfg->backend->mac, 6);
	return hvd_virtio_create(&n->v, &net_ops, "virtio_net", svc, cfg);
}

static void net_destroy(void *priv)
{
	set_watch(priv, false);
	hvd_virtio_mdestroy(priv);
}

const struct hvd_model virtio_net_model = {
	.name = "virtio_net",
	.priv_size = sizeof(struct virtio_net),
	.create = net_create,
	.destroy = net_destroy,
	HVD_VIRTIO_MODEL_CALLBACKS,
};
