// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rng, the entropy device (virtio 1.2, 5.4): one queue, no
 * features, no configuration. Each buffer the driver makes available is
 * filled with bytes from the host's getrandom() (the kernel's CSPRNG, which
 * never blocks once initialised) and returned with the length written.
 */
#include <errno.h>
#include <sys/random.h>

#include "virtio_pci.h"

#define RNG_QUEUE_SIZE	64
#define RNG_CHUNK	4096
#define RNG_MAX		65536

/**
 * struct virtio_rng - the device
 * @v: the transport, first (virtio_pci.h)
 * @elem: the chain being served
 */
struct virtio_rng {
	struct hvd_virtio v;
	struct hvd_vq_elem elem;
};

/*
 * At most RNG_MAX bytes a request: the device may write fewer than the
 * buffer holds (5.4.6.2), and a guest asking for gigabytes at once does
 * not keep the event loop to itself.
 */
static void fill(struct hvd_virtio *v, struct hvd_vq_elem *e)
{
	uint64_t want = e->in_len < RNG_MAX ? e->in_len : RNG_MAX;
	uint8_t buf[RNG_CHUNK];
	uint64_t off = 0;

	while (off < want) {
		size_t n = want - off, put;
		ssize_t k;

		if (n > sizeof(buf))
			n = sizeof(buf);
		k = getrandom(buf, n, 0);
		if (k <= 0)
			break;
		put = hvd_vq_write(&v->q[0].vq, e, off, buf, k);
		if (!put)
			break;
		off += put;
	}
	hvd_virtio_push(v, 0, e->head, off);
}

static void rng_notify(struct hvd_virtio *v, unsigned int q)
{
	struct virtio_rng *r = (struct virtio_rng *)v;

	hvd_virtio_serve(v, 0, &r->elem, fill);
}

static const struct hvd_virtio_ops rng_ops = {
	.device_id = 4,
	.class_code = 0xff0000, /* unclassified device, as QEMU's */
	.nr_queues = 1,
	.queue_size = RNG_QUEUE_SIZE,
	.notify = rng_notify,
};

static int rng_create(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	struct virtio_rng *r = priv;

	return hvd_virtio_create(&r->v, &rng_ops, "virtio_rng", svc, cfg);
}

const struct hvd_model virtio_rng_model = {
	.name = "virtio_rng",
	.priv_size = sizeof(struct virtio_rng),
	.create = rng_create,
	.destroy = hvd_virtio_mdestroy,
	HVD_VIRTIO_MODEL_CALLBACKS,
};
