// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio PCI transport, modern interface (virtio 1.2, 4.1): a
 * non-transitional function (device id 0x1040 + virtio id, revision 1,
 * 4.1.2.1) whose BAR 0 holds the common configuration, the ISR status,
 * the device configuration and the notification area, one page each, and
 * the MSI-X table and PBA; vendor capabilities point at them (4.1.4).
 *
 * The common path never stops a vCPU for the worker: each queue's
 * notification address is an ioeventfd (a guest write signals the queue's
 * eventfd in the kernel, and the event loop hands it to the device), and
 * each MSI-X vector is an irqfd (the device writes an eventfd and the
 * kernel sends the message). An address is registered once the driver has
 * set DRIVER_OK and enabled the queue, and moves with BAR 0; a vector's
 * message is routed when it is first sent after the guest changed it.
 *
 * A driver that breaks the rules it can break without harm to the host
 * (a queue moved while enabled, a ring outside RAM, a malformed ring)
 * gets DEVICE_NEEDS_RESET (2.1.2) and a configuration interrupt; the
 * device then serves nothing until the driver resets it.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "virtio_pci.h"

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_DEVICE_BASE	0x1040
#define VIRTIO_SUBSYS_ID	0x1100	/* 4.1.2.1: 0x40 or higher */

/* Vendor capability cfg_type (4.1.4). */
#define CAP_COMMON	1
#define CAP_NOTIFY	2
#define CAP_ISR		3
#define CAP_DEVICE	4
#define CAP_PCI_CFG	5

/* struct virtio_pci_common_cfg (4.1.4.3). */
#define C_DFSELECT	0x00
#define C_DF		0x04
#define C_GFSELECT	0x08
#define C_GF		0x0c
#define C_MSIX_CONFIG	0x10
#define C_NUM_QUEUES	0x12
#define C_STATUS	0x14
#define C_GENERATION	0x15
#define C_Q_SELECT	0x16
#define C_Q_SIZE	0x18
#define C_Q_MSIX	0x1a
#define C_Q_ENABLE	0x1c
#define C_Q_NOTIFY_OFF	0x1e
#define C_Q_DESC	0x20
#define C_Q_DRIVER	0x28
#define C_Q_DEVICE	0x30
#define C_SIZE		0x38

#define TRANSPORT_FEATURES                                                 \
	(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX |         \
	 1ull << VIRTIO_F_INDIRECT_DESC)

static void vlog(struct hvd_virtio *v, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void vlog(struct hvd_virtio *v, int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	v->svc->log(v->svc->ctx, prio, fmt, ap);
	va_end(ap);
}

static uint64_t offered(const struct hvd_virtio *v)
{
	return v->ops->features | TRANSPORT_FEATURES;
}

/**
 * hvd_virtio_has() - whether the driver accepted feature @bit
 * @v: the device
 * @bit: the feature bit
 *
 * Return: true once the driver wrote it among its features.
 */
bool hvd_virtio_has(const struct hvd_virtio *v, unsigned int bit)
{
	return bit < 64 && (v->driver_features >> bit & 1);
}

static void add_cap(struct hvd_virtio *v, uint8_t type, uint32_t off,
		    uint32_t len, unsigned int cap_len)
{
	unsigned int c = hvd_pci_add_cap(&v->pci, PCI_CAP_ID_VNDR, cap_len);
	uint8_t *p = v->pci.cfg + c;

	if (!c)
		return;
	p[2] = cap_len;
	p[3] = type;
	p[4] = 0; /* BAR 0 */
	memcpy(p + 8, &off, 4);
	memcpy(p + 12, &len, 4);
	if (type == CAP_NOTIFY) {
		uint32_t mult = VIRTIO_NOTIFY_MULT;

		memcpy(p + 16, &mult, 4);
	} else if (type == CAP_PCI_CFG) {
		/* 4.1.4.9: the driver picks bar, offset and length. */
		v->pci.wmask[c + 4] = 0xff;
		memset(v->pci.wmask + c + 8, 0xff, 12);
		v->pci_cfg_cap = c;
	}
}

static uint64_t notify_addr(const struct hvd_virtio *v, unsigned int q)
{
	return hvd_pci_bar_addr(&v->pci, 0) + VIRTIO_NOTIFY_OFF +
	       q * VIRTIO_NOTIFY_MULT;
}

/**
 * hvd_virtio_queue_ready() - whether queue @q may be served now
 * @v: the device
 * @q: the queue
 *
 * Return: true with DRIVER_OK set, NEEDS_RESET clear, the queue enabled
 * and sound.
 */
bool hvd_virtio_queue_ready(const struct hvd_virtio *v, unsigned int q)
{
	return (v->status & VIRTIO_S_DRIVER_OK) &&
	       !(v->status & VIRTIO_S_NEEDS_RESET) && v->q[q].enabled &&
	       !v->q[q].vq.broken;
}

/*
 * Register each ready queue's notification address as an ioeventfd, where
 * BAR 0 is now; a failure leaves the queue on the slow path (an exit to
 * the worker for every notification), which still works.
 */
static void sync_kicks(struct hvd_virtio *v)
{
	bool decoded = hvd_pci_bar_decoded(&v->pci, 0);
	unsigned int q;
	int err;

	for (q = 0; q < v->ops->nr_queues; q++) {
		struct hvd_virtio_queue *vq = &v->q[q];
		uint64_t want = decoded && hvd_virtio_queue_ready(v, q) ?
					notify_addr(v, q) : 0;

		if (vq->kick_addr == want || vq->kick_fd < 0)
			continue;
		if (vq->kick_addr)
			v->svc->ioeventfd(v->svc->ctx, vq->kick_fd, HVD_MMIO,
					  vq->kick_addr, 2, 0);
		vq->kick_addr = 0;
		if (!want)
			continue;
		err = v->svc->ioeventfd(v->svc->ctx, vq->kick_fd, HVD_MMIO,
					want, 2, 1);
		if (err)
			vlog(v, HVD_LOG_WARNING,
			     "queue %u: no ioeventfd at %#llx: %s", q,
			     (unsigned long long)want, strerror(-err));
		else
			vq->kick_addr = want;
	}
}

/*
 * Route vector @vec's irqfd to the message the table holds now; the
 * kernel may refuse a message the guest wrote (then it goes the slow way).
 */
static bool route(struct hvd_virtio *v, unsigned int vec)
{
	struct hvd_virtio_vector *x = &v->vec[vec];
	uint64_t addr;
	uint32_t data;

	hvd_pci_msix_msg(&v->pci, vec, &addr, &data);
	if (x->fd >= 0 && (!x->routed || x->addr != addr || x->data != data)) {
		if (x->routed)
			v->svc->irqfd(v->svc->ctx, x->fd, 0, 0, 0);
		x->routed = !v->svc->irqfd(v->svc->ctx, x->fd, addr, data, 1);
		x->addr = addr;
		x->data = data;
	}
	return x->routed;
}

static void deliver(struct hvd_virtio *v, unsigned int vec)
{
	struct hvd_virtio_vector *x;
	uint64_t addr, one = 1;
	uint32_t data;
	int err;

	if (vec >= v->pci.msix_nr)
		return; /* no vector: no INTx pin either, 4.1.5.3 */
	if (hvd_pci_msix_masked(&v->pci, vec)) {
		hvd_pci_msix_set_pending(&v->pci, vec, true);
		return;
	}
	x = &v->vec[vec];
	if (route(v, vec) && write(x->fd, &one, sizeof(one)) == sizeof(one))
		return;
	/* No irqfd for it (the kernel refused the message): the slow way. */
	hvd_pci_msix_msg(&v->pci, vec, &addr, &data);
	err = v->svc->send_msi(v->svc->ctx, addr, data);
	if (err && v->irq_errors++ < 4)
		vlog(v, HVD_LOG_WARNING, "vector %u: message %#llx/%#x: %s",
		     vec, (unsigned long long)addr, data, strerror(-err));
}

/*
 * Where vhost signals queue @q's used buffers: straight to the irqfd of
 * its vector when that may send now, else to the queue's own eventfd,
 * which the event loop turns into what the device would do (the pending
 * bit of a masked vector, PCIe 7.7.2.2; nothing without a vector; an MSI
 * the slow way without a route). QEMU switches vhost's call the same way
 * at mask and unmask (virtio_pci_vq_vector_mask/unmask).
 */
static int call_target(struct hvd_virtio *v, unsigned int q)
{
	unsigned int vec = v->q[q].vector;

	if (vec < v->pci.msix_nr && !hvd_pci_msix_masked(&v->pci, vec) &&
	    route(v, vec))
		return v->vec[vec].fd;
	return v->q[q].call_fd;
}

static void call_drain(struct hvd_virtio *v, unsigned int q)
{
	uint64_t cnt;

	if (read(v->q[q].call_fd, &cnt, sizeof(cnt)) == sizeof(cnt))
		hvd_virtio_interrupt(v, q);
}

/*
 * Point each queue's vhost call where call_target() says, after a change
 * of its vector, of the vector's mask or message, or of MSI-X's enable or
 * function mask. What vhost signalled on the queue's own eventfd before
 * the switch is delivered after it, so nothing is lost at an unmask.
 */
static void sync_calls(struct hvd_virtio *v)
{
	unsigned int q;
	int fd, err;

	for (q = 0; v->vhost && q < v->ops->nr_queues; q++) {
		struct hvd_virtio_queue *vq = &v->q[q];

		fd = call_target(v, q);
		if (fd == vq->call_now)
			continue;
		err = v->svc->vhost_call(v->svc->ctx, q, fd);
		if (err) {
			vlog(v, HVD_LOG_ERR, "queue %u: vhost call: %s", q,
			     strerror(-err));
			hvd_virtio_needs_reset(v, "vhost refused an eventfd");
			return;
		}
		if (vq->call_now == vq->call_fd)
			call_drain(v, q);
		vq->call_now = fd;
	}
}

/* Messages held back while masked go out once unmasked (PCIe 7.7.2.2). */
static void flush_pending(struct hvd_virtio *v)
{
	unsigned int vec;

	for (vec = 0; vec < v->pci.msix_nr; vec++) {
		if (hvd_pci_msix_pending(&v->pci, vec) &&
		    !hvd_pci_msix_masked(&v->pci, vec)) {
			hvd_pci_msix_set_pending(&v->pci, vec, false);
			deliver(v, vec);
		}
	}
}

/**
 * hvd_virtio_interrupt() - tell the driver that queue @q used buffers
 * @v: the device
 * @q: the queue
 */
void hvd_virtio_interrupt(struct hvd_virtio *v, unsigned int q)
{
	v->isr |= 1;
	deliver(v, v->q[q].vector);
}

/**
 * hvd_virtio_push() - return a buffer to the driver, interrupting it if
 *	it asked for that (2.7.10)
 * @v: the device
 * @q: the queue
 * @head: the chain's head, from hvd_vq_pop()
 * @len: bytes the device wrote into it
 */
void hvd_virtio_push(struct hvd_virtio *v, unsigned int q, uint16_t head,
		     uint32_t len)
{
	struct hvd_vq *vq = &v->q[q].vq;

	if (hvd_vq_push(vq, head, len))
		return;
	if (v->q[q].serving)
		v->q[q].pushed = true;
	else if (hvd_vq_need_interrupt(vq))
		hvd_virtio_interrupt(v, q);
}

/* One used buffer notification for what a turn of serving pushed. */
static void serve_end(struct hvd_virtio *v, unsigned int q)
{
	struct hvd_virtio_queue *vq = &v->q[q];

	vq->serving = false;
	if (vq->pushed && !(v->status & VIRTIO_S_NEEDS_RESET) &&
	    hvd_vq_need_interrupt(&vq->vq))
		hvd_virtio_interrupt(v, q);
	vq->pushed = false;
}

/**
 * hvd_virtio_serve() - serve what queue @q has available
 * @v: the device
 * @q: the queue
 * @e: room for one chain
 * @serve: serves the chain in @e (and pushes it, now or later)
 *
 * Until the queue is empty with notifications on again, so that a chain
 * made available meanwhile does not wait for a notification the driver
 * saw no reason to send (2.7.10, 2.7.7); but at most HVD_VIRTIO_BATCH
 * chains at a time: then the queue's own notification brings the event
 * loop back after whatever else waits, so that a guest that keeps its
 * queue full cannot starve the other devices, the console or a stop.
 * What a turn pushed synchronously gets one used buffer notification, at
 * its end, as the driver asked (2.7.7.2): the guest, woken by it, does not
 * take the CPU from the rest of the turn.
 */
void hvd_virtio_serve(struct hvd_virtio *v, unsigned int q,
		      struct hvd_vq_elem *e,
		      void (*serve)(struct hvd_virtio *v, struct hvd_vq_elem *e))
{
	struct hvd_vq *vq = &v->q[q].vq;
	unsigned int n = 0;
	uint64_t one = 1;

	v->q[q].serving = true;
	do {
		hvd_vq_set_notify(vq, false);
		while (!(v->status & VIRTIO_S_NEEDS_RESET)) {
			if (n == HVD_VIRTIO_BATCH &&
			    write(v->q[q].kick_fd, &one, sizeof(one)) ==
				    sizeof(one))
				goto out;
			if (hvd_vq_pop(vq, e) <= 0)
				break;
			serve(v, e);
			n++;
		}
		if (vq->broken)
			hvd_virtio_needs_reset(v, "malformed request queue");
		if (v->status & VIRTIO_S_NEEDS_RESET)
			goto out;
		hvd_vq_set_notify(vq, true);
	} while (hvd_vq_avail(vq));
out:
	serve_end(v, q);
}

/**
 * hvd_virtio_watch() - watch a device's backend, or stop
 * @v: the device
 * @fd: the backend (a tap, a pty)
 * @watching: whether it is watched, kept by the device
 * @on: watch it (else stop)
 * @fn: called under the device lock when @fd is readable
 * @opaque: its argument
 *
 * A device reads its backend only while the guest has buffers for what it
 * reads: it turns the watch on and off as they come and go.
 */
void hvd_virtio_watch(struct hvd_virtio *v, int fd, bool *watching, bool on,
		      void (*fn)(void *opaque), void *opaque)
{
	if (*watching == on)
		return;
	if (on) {
		*watching = !v->svc->watch(v->svc->ctx, fd, fn, opaque);
	} else {
		v->svc->unwatch(v->svc->ctx, fd);
		*watching = false;
	}
}

/**
 * hvd_virtio_config_changed() - the device configuration changed (4.1.5.3)
 * @v: the device
 */
void hvd_virtio_config_changed(struct hvd_virtio *v)
{
	v->generation++;
	if (!(v->status & VIRTIO_S_DRIVER_OK))
		return;
	v->isr |= 2;
	deliver(v, v->config_vector);
}

/**
 * hvd_virtio_needs_reset() - the device cannot go on until the driver
 *	resets it (2.1.2)
 * @v: the device
 * @why: the reason, logged once per reset
 */
void hvd_virtio_needs_reset(struct hvd_virtio *v, const char *why)
{
	if (v->status & VIRTIO_S_NEEDS_RESET)
		return;
	vlog(v, HVD_LOG_WARNING, "needs reset: %s", why);
	v->status |= VIRTIO_S_NEEDS_RESET;
	hvd_virtio_vhost_stop(v);
	sync_kicks(v);
	if (v->status & VIRTIO_S_DRIVER_OK) {
		v->isr |= 2;
		deliver(v, v->config_vector);
	}
}

static void device_reset(struct hvd_virtio *v)
{
	unsigned int q;

	hvd_virtio_vhost_stop(v);
	v->status = 0;
	sync_kicks(v);
	v->dfselect = 0;
	v->gfselect = 0;
	v->driver_features = 0;
	v->queue_select = 0;
	v->config_vector = VIRTIO_NO_VECTOR;
	v->isr = 0;
	for (q = 0; q < HVD_VIRTIO_MAX_QUEUES; q++) {
		struct hvd_virtio_queue *vq = &v->q[q];

		hvd_vq_reset(&vq->vq);
		vq->size = q < v->ops->nr_queues ? v->ops->queue_size : 0;
		vq->vector = VIRTIO_NO_VECTOR;
		vq->desc = 0;
		vq->driver = 0;
		vq->device = 0;
		vq->enabled = false;
	}
	if (v->ops->reset)
		v->ops->reset(v);
}

static void on_kick(void *opaque)
{
	struct hvd_virtio_queue *vq = opaque;
	struct hvd_virtio *v = vq->v;
	unsigned int q = vq - v->q;
	uint64_t cnt;

	if (read(vq->kick_fd, &cnt, sizeof(cnt)) < 0)
		return;
	if (hvd_virtio_queue_ready(v, q))
		v->ops->notify(v, q);
}

static void drain(int fd)
{
	uint64_t cnt;

	if (read(fd, &cnt, sizeof(cnt)) < 0)
		return;
}

static void on_call(void *opaque)
{
	struct hvd_virtio_queue *vq = opaque;

	call_drain(vq->v, vq - vq->v->q);
}

static void on_vhost_err(void *opaque)
{
	struct hvd_virtio_queue *vq = opaque;
	uint64_t cnt;

	if (read(vq->err_fd, &cnt, sizeof(cnt)) < 0)
		return;
	vlog(vq->v, HVD_LOG_WARNING, "queue %u: vhost found the ring malformed",
	     (unsigned int)(vq - vq->v->q));
	hvd_virtio_needs_reset(vq->v, "malformed queue");
}

/* Stop watching the vhost eventfds of the first @nr queues. */
static void unwatch_vhost(struct hvd_virtio *v, unsigned int nr)
{
	unsigned int q;

	for (q = 0; q < nr; q++) {
		v->svc->unwatch(v->svc->ctx, v->q[q].call_fd);
		v->svc->unwatch(v->svc->ctx, v->q[q].err_fd);
	}
}

/* Whether the event loop takes the driver's notifications, or vhost. */
static void watch_kicks(struct hvd_virtio *v, bool on)
{
	const struct hvd_services *svc = v->svc;
	unsigned int q;

	for (q = 0; q < v->ops->nr_queues; q++) {
		if (on)
			svc->watch(svc->ctx, v->q[q].kick_fd, on_kick,
				   &v->q[q]);
		else
			svc->unwatch(svc->ctx, v->q[q].kick_fd);
	}
}

static int watch_vhost(struct hvd_virtio *v, struct hvd_virtio_queue *vq)
{
	const struct hvd_services *svc = v->svc;
	int err;

	if (vq->call_fd < 0)
		vq->call_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vq->err_fd < 0)
		vq->err_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vq->call_fd < 0 || vq->err_fd < 0)
		return -errno;
	err = svc->watch(svc->ctx, vq->call_fd, on_call, vq);
	if (err)
		return err;
	err = svc->watch(svc->ctx, vq->err_fd, on_vhost_err, vq);
	if (err)
		svc->unwatch(svc->ctx, vq->call_fd);
	return err;
}

/**
 * hvd_virtio_vhost_start() - hand every queue to the kernel's vhost
 * @v: the device, DRIVER_OK just set
 *
 * vhost then takes the driver's notifications from the queues' ioeventfds
 * and signals their MSI-X vectors' irqfds (or the queues' own eventfds,
 * see call_target()): the event loop no longer watches the kick eventfds,
 * and the device model serves nothing until hvd_virtio_vhost_stop(),
 * which every reset and DEVICE_NEEDS_RESET calls.
 *
 * Return: 0; -EAGAIN if a queue is not enabled (logged); or an errno of
 * the services (the device then serves the queues itself).
 */
int hvd_virtio_vhost_start(struct hvd_virtio *v)
{
	struct hvd_vhost_ring r[HVD_VIRTIO_MAX_QUEUES];
	unsigned int q, nr = v->ops->nr_queues;
	uint64_t one = 1;
	int err = 0;

	for (q = 0; q < nr; q++) {
		if (!hvd_virtio_queue_ready(v, q)) {
			vlog(v, HVD_LOG_WARNING,
			     "queue %u not enabled at DRIVER_OK: no vhost", q);
			return -EAGAIN;
		}
	}
	for (q = 0; q < nr; q++) {
		struct hvd_virtio_queue *vq = &v->q[q];

		err = watch_vhost(v, vq);
		if (err) {
			unwatch_vhost(v, q);
			return err;
		}
		r[q] = (struct hvd_vhost_ring){
			.index = q,
			.num = vq->size,
			.desc = vq->desc,
			.avail = vq->driver,
			.used = vq->device,
			.base = vq->vq.last_avail,
			.kick = vq->kick_fd,
			.call = vq->call_fd,
			.err = vq->err_fd,
		};
	}
	/* Before vhost polls them: a kick the event loop read is lost. */
	watch_kicks(v, false);
	err = v->svc->vhost_start(v->svc->ctx, v->driver_features, r, nr);
	if (err) {
		unwatch_vhost(v, nr);
		watch_kicks(v, true);
		return err;
	}
	v->vhost = true;
	for (q = 0; q < nr; q++)
		v->q[q].call_now = v->q[q].call_fd;
	sync_calls(v);
	/*
	 * Buffers the driver made available before vhost polled the kick
	 * eventfds: one kick each makes vhost look at the rings.
	 */
	for (q = 0; v->vhost && q < nr; q++)
		if (write(v->q[q].kick_fd, &one, sizeof(one)) < 0)
			break;
	return 0;
}

/**
 * hvd_virtio_vhost_stop() - take the queues back from vhost
 * @v: the device
 *
 * Nothing happens unless vhost serves them. The event loop watches the
 * kick eventfds again. Every caller resets the queues or marks the device
 * DEVICE_NEEDS_RESET next, so the rings' indices vhost reports are not
 * taken over, and what vhost signalled on the queues' own eventfds is
 * dropped: the driver owns no buffer of a reset device (2.4).
 */
void hvd_virtio_vhost_stop(struct hvd_virtio *v)
{
	uint16_t base[HVD_VIRTIO_MAX_QUEUES];
	unsigned int q, nr = v->ops->nr_queues;

	if (!v->vhost)
		return;
	v->vhost = false;
	v->svc->vhost_stop(v->svc->ctx, base, nr);
	unwatch_vhost(v, nr);
	watch_kicks(v, true);
	for (q = 0; q < nr; q++) {
		/* Nothing of this run may reach the next. */
		drain(v->q[q].call_fd);
		drain(v->q[q].err_fd);
		v->q[q].call_now = -1;
	}
}

/**
 * hvd_virtio_create() - set up the transport of a device
 * @v: the device (zeroed)
 * @ops: what it is
 * @name: its model's name
 * @svc: the worker's services
 * @cfg: its configuration (devfn, bar_base)
 *
 * Return: 0 or a negative errno.
 */
int hvd_virtio_create(struct hvd_virtio *v, const struct hvd_virtio_ops *ops,
		      const char *name, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	unsigned int q, nr_vec = ops->nr_queues + 1;
	int err;

	if (ops->nr_queues > HVD_VIRTIO_MAX_QUEUES ||
	    ops->config_size > HVD_VIRTIO_CONFIG_MAX)
		return -EINVAL;
	v->svc = svc;
	v->cfg = cfg;
	v->ops = ops;
	v->name = name;
	for (q = 0; q < HVD_VIRTIO_MAX_QUEUES; q++)
		v->q[q] = (struct hvd_virtio_queue){
			.kick_fd = -1,
			.call_fd = -1,
			.err_fd = -1,
			.call_now = -1,
		};
	for (q = 0; q <= HVD_VIRTIO_MAX_QUEUES; q++)
		v->vec[q].fd = -1;

	hvd_pci_init(&v->pci, VIRTIO_VENDOR, VIRTIO_DEVICE_BASE + ops->device_id,
		     ops->class_code << 8 | 1, VIRTIO_VENDOR, VIRTIO_SUBSYS_ID);
	hvd_pci_set_bar(&v->pci, 0, HVD_BAR_MEM32, VIRTIO_BAR_SIZE,
			cfg->bar_base);
	add_cap(v, CAP_COMMON, VIRTIO_COMMON_OFF, C_SIZE, 16);
	add_cap(v, CAP_NOTIFY, VIRTIO_NOTIFY_OFF,
		ops->nr_queues * VIRTIO_NOTIFY_MULT, 20);
	add_cap(v, CAP_ISR, VIRTIO_ISR_OFF, 1, 16);
	if (ops->config_size)
		add_cap(v, CAP_DEVICE, VIRTIO_DEVICE_OFF, ops->config_size,
			16);
	add_cap(v, CAP_PCI_CFG, 0, 0, 20);
	if (hvd_pci_add_msix(&v->pci, nr_vec, 0, VIRTIO_MSIX_TABLE_OFF,
			     VIRTIO_MSIX_PBA_OFF))
		return -EINVAL;
	hvd_pci_seal(&v->pci);
	hvd_pci_reset(&v->pci);

	for (q = 0; q < ops->nr_queues; q++) {
		struct hvd_virtio_queue *vq = &v->q[q];

		vq->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (vq->kick_fd < 0)
			return -errno;
		err = svc->watch(svc->ctx, vq->kick_fd, on_kick, vq);
		if (err)
			return err;
	}
	for (q = 0; q < nr_vec; q++) {
		v->vec[q].fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (v->vec[q].fd < 0)
			return -errno;
	}
	for (q = 0; q < HVD_VIRTIO_MAX_QUEUES; q++) {
		hvd_vq_init(&v->q[q].vq, svc, name);
		v->q[q].v = v;
	}
	device_reset(v);
	return 0;
}

/**
 * hvd_virtio_mdestroy() - struct hvd_model.destroy of a virtio device
 * @priv: the device's state, a struct hvd_virtio first
 */
void hvd_virtio_mdestroy(void *priv)
{
	struct hvd_virtio *v = priv;
	unsigned int i;

	hvd_virtio_vhost_stop(v);
	for (i = 0; i < HVD_VIRTIO_MAX_QUEUES; i++) {
		struct hvd_virtio_queue *vq = &v->q[i];

		if (vq->call_fd >= 0)
			close(vq->call_fd);
		if (vq->err_fd >= 0)
			close(vq->err_fd);
		vq->call_fd = -1;
		vq->err_fd = -1;
		if (vq->kick_fd < 0)
			continue;
		if (vq->kick_addr)
			v->svc->ioeventfd(v->svc->ctx, vq->kick_fd, HVD_MMIO,
					  vq->kick_addr, 2, 0);
		v->svc->unwatch(v->svc->ctx, vq->kick_fd);
		close(vq->kick_fd);
		vq->kick_fd = -1;
	}
	for (i = 0; i <= HVD_VIRTIO_MAX_QUEUES; i++) {
		if (v->vec[i].fd < 0)
			continue;
		if (v->vec[i].routed)
			v->svc->irqfd(v->svc->ctx, v->vec[i].fd, 0, 0, 0);
		close(v->vec[i].fd);
		v->vec[i].fd = -1;
	}
}

/**
 * hvd_virtio_mreset() - struct hvd_model.reset: a machine reset
 * @priv: the device's state
 */
void hvd_virtio_mreset(void *priv)
{
	struct hvd_virtio *v = priv;

	device_reset(v);
	hvd_pci_reset(&v->pci);
	sync_kicks(v);
}

static uint32_t common_read(struct hvd_virtio *v, unsigned int off,
			    unsigned int size)
{
	struct hvd_virtio_queue *q = v->queue_select < v->ops->nr_queues ?
					     &v->q[v->queue_select] :
					     NULL;
	uint8_t b[C_SIZE + 8] = { 0 };
	uint32_t df = v->dfselect < 2 ? offered(v) >> (32 * v->dfselect) : 0;
	uint32_t gf = v->gfselect < 2 ?
			      v->driver_features >> (32 * v->gfselect) : 0;
	uint32_t r = 0;
	unsigned int i;

#define PUT(o, n, val)                                          \
	do {                                                    \
		uint64_t x_ = (val);                            \
		for (i = 0; i < (n); i++)                       \
			b[(o) + i] = x_ >> (8 * i);             \
	} while (0)
	PUT(C_DFSELECT, 4, v->dfselect);
	PUT(C_DF, 4, df);
	PUT(C_GFSELECT, 4, v->gfselect);
	PUT(C_GF, 4, gf);
	PUT(C_MSIX_CONFIG, 2, v->config_vector);
	PUT(C_NUM_QUEUES, 2, v->ops->nr_queues);
	PUT(C_STATUS, 1, v->status);
	PUT(C_GENERATION, 1, v->generation);
	PUT(C_Q_SELECT, 2, v->queue_select);
	if (q) {
		PUT(C_Q_SIZE, 2, q->size);
		PUT(C_Q_MSIX, 2, q->vector);
		PUT(C_Q_ENABLE, 2, q->enabled);
		PUT(C_Q_NOTIFY_OFF, 2, v->queue_select);
		PUT(C_Q_DESC, 8, q->desc);
		PUT(C_Q_DRIVER, 8, q->driver);
		PUT(C_Q_DEVICE, 8, q->device);
	} else {
		PUT(C_Q_MSIX, 2, VIRTIO_NO_VECTOR);
	}
#undef PUT
	if (off >= C_SIZE || size > C_SIZE - off)
		return 0;
	for (i = 0; i < size; i++)
		r |= (uint32_t)b[off + i] << (8 * i);
	return r;
}

static void set_status(struct hvd_virtio *v, uint8_t val)
{
	uint8_t old = v->status;

	if (!val) {
		device_reset(v);
		return;
	}
	/* 2.2.2: FEATURES_OK only for a subset of what was offered. */
	if ((val & VIRTIO_S_FEATURES_OK) && !(old & VIRTIO_S_FEATURES_OK) &&
	    ((v->driver_features & ~offered(v)) ||
	     !hvd_virtio_has(v, VIRTIO_F_VERSION_1)))
		val &= ~VIRTIO_S_FEATURES_OK;
	v->status = val | (old & VIRTIO_S_NEEDS_RESET);
	if ((val & VIRTIO_S_DRIVER_OK) && !(old & VIRTIO_S_DRIVER_OK)) {
		sync_kicks(v);
		if (v->ops->driver_ok)
			v->ops->driver_ok(v);
	}
}

static void enable_queue(struct hvd_virtio *v, struct hvd_virtio_queue *q)
{
	int err;

	if (q->enabled)
		return;
	err = hvd_vq_enable(&q->vq, q->size, q->desc, q->driver, q->device,
			    hvd_virtio_has(v, VIRTIO_F_EVENT_IDX),
			    hvd_virtio_has(v, VIRTIO_F_INDIRECT_DESC));
	if (err) {
		hvd_virtio_needs_reset(v, "a queue's rings are unusable");
		return;
	}
	q->enabled = true;
	sync_kicks(v);
}

static void queue_write(struct hvd_virtio *v, unsigned int off,
			unsigned int size, uint32_t val)
{
	struct hvd_virtio_queue *q;
	uint64_t *field;

	if (v->queue_select >= v->ops->nr_queues)
		return;
	q = &v->q[v->queue_select];
	if (off == C_Q_MSIX && size == 2) {
		q->vector = val < v->pci.msix_nr ? val : VIRTIO_NO_VECTOR;
		sync_calls(v);
		return;
	}
	if (off == C_Q_ENABLE && size == 2) {
		if (val == 1)
			enable_queue(v, q);
		return;
	}
	if (q->enabled) {
		/* 4.1.4.3.2: the driver MUST NOT; the rings are in use. */
		hvd_virtio_needs_reset(v, "a queue moved while enabled");
		return;
	}
	if (off == C_Q_SIZE && size == 2) {
		q->size = val;
		return;
	}
	if (size != 4 || off < C_Q_DESC || off >= C_SIZE)
		return;
	field = off < C_Q_DRIVER ? &q->desc :
		off < C_Q_DEVICE ? &q->driver : &q->device;
	if (off & 4)
		*field = (*field & 0xffffffffull) | (uint64_t)val << 32;
	else
		*field = (*field & ~0xffffffffull) | val;
}

static void common_write(struct hvd_virtio *v, unsigned int off,
			 unsigned int size, uint32_t val)
{
	unsigned int shift;

	switch (off) {
	case C_DFSELECT:
		if (size == 4)
			v->dfselect = val;
		return;
	case C_GFSELECT:
		if (size == 4)
			v->gfselect = val;
		return;
	case C_GF:
		/* Features are fixed once FEATURES_OK is set (3.1.1). */
		if (size != 4 || v->gfselect >= 2 ||
		    (v->status & VIRTIO_S_FEATURES_OK))
			return;
		shift = 32 * v->gfselect;
		v->driver_features &= ~(0xffffffffull << shift);
		v->driver_features |= (uint64_t)val << shift;
		return;
	case C_MSIX_CONFIG:
		if (size == 2)
			v->config_vector = val < v->pci.msix_nr ?
						   val : VIRTIO_NO_VECTOR;
		return;
	case C_STATUS:
		if (size == 1)
			set_status(v, val);
		return;
	case C_Q_SELECT:
		if (size == 2)
			v->queue_select = val;
		return;
	default:
		if (off >= C_Q_SIZE)
			queue_write(v, off, size, val);
	}
}

static uint64_t bar_read(struct hvd_virtio *v, uint64_t off,
			 unsigned int size)
{
	uint64_t val = 0;
	unsigned int i;

	if (hvd_pci_msix_in(&v->pci, 0, off))
		return hvd_pci_msix_read(&v->pci, off, size);
	if (off < C_SIZE) /* VIRTIO_COMMON_OFF is 0 */
		return common_read(v, off,
				   size > 4 ? 4 : size);
	if (off == VIRTIO_ISR_OFF) {
		/* 4.1.4.5: reading clears it. */
		val = v->isr;
		v->isr = 0;
		return val;
	}
	if (off >= VIRTIO_DEVICE_OFF &&
	    off - VIRTIO_DEVICE_OFF < v->ops->config_size) {
		off -= VIRTIO_DEVICE_OFF;
		for (i = 0; i < size && off + i < v->ops->config_size; i++)
			val |= (uint64_t)v->config[off + i] << (8 * i);
		return val;
	}
	return 0;
}

static void kick(struct hvd_virtio *v, unsigned int q)
{
	uint64_t one = 1;

	if (q >= v->ops->nr_queues || !hvd_virtio_queue_ready(v, q))
		return;
	/* vhost hears of notifications through the kick eventfd only. */
	if (v->vhost) {
		if (write(v->q[q].kick_fd, &one, sizeof(one)) < 0)
			vlog(v, HVD_LOG_WARNING, "queue %u: notification: %s",
			     q, strerror(errno));
		return;
	}
	v->ops->notify(v, q);
}

static void bar_write(struct hvd_virtio *v, uint64_t off, unsigned int size,
		      uint64_t val)
{
	if (hvd_pci_msix_in(&v->pci, 0, off)) {
		if (hvd_pci_msix_write(&v->pci, off, size, val) >= 0) {
			sync_calls(v);
			flush_pending(v);
		}
	} else if (off < C_SIZE) {
		common_write(v, off, size, val);
	} else if (off >= VIRTIO_DEVICE_OFF &&
		   off - VIRTIO_DEVICE_OFF < v->ops->config_size) {
		if (v->ops->config_write)
			v->ops->config_write(v, off - VIRTIO_DEVICE_OFF, size,
					     val);
	} else if (off >= VIRTIO_NOTIFY_OFF &&
		   off < VIRTIO_NOTIFY_OFF +
				 v->ops->nr_queues * VIRTIO_NOTIFY_MULT) {
		/* No ioeventfd (yet) at this address: the slow path. */
		kick(v, (off - VIRTIO_NOTIFY_OFF) / VIRTIO_NOTIFY_MULT);
	}
}

/**
 * hvd_virtio_mread() - struct hvd_model.read: a read of BAR 0
 * @priv: the device's state
 * @space: HVD_MMIO
 * @addr: the address
 * @size: 1, 2, 4 or 8 bytes
 *
 * Return: the value.
 */
uint64_t hvd_virtio_mread(void *priv, enum hvd_space space, uint64_t addr,
			  unsigned int size)
{
	struct hvd_virtio *v = priv;
	uint64_t off;

	if (hvd_pci_bar_at(&v->pci, space, addr, &off) != 0)
		return ~0ull;
	return bar_read(v, off, size);
}

/**
 * hvd_virtio_mwrite() - struct hvd_model.write: a write to BAR 0
 * @priv: the device's state
 * @space: HVD_MMIO
 * @addr: the address
 * @size: 1, 2, 4 or 8 bytes
 * @val: the value
 */
void hvd_virtio_mwrite(void *priv, enum hvd_space space, uint64_t addr,
		       unsigned int size, uint64_t val)
{
	struct hvd_virtio *v = priv;
	uint64_t off;

	if (hvd_pci_bar_at(&v->pci, space, addr, &off) == 0)
		bar_write(v, off, size, val);
}

/* 4.1.4.9: the window of VIRTIO_PCI_CAP_PCI_CFG into BAR 0. */
static bool pci_cfg_window(struct hvd_virtio *v, uint64_t *off,
			   unsigned int *len)
{
	const uint8_t *c = v->pci.cfg + v->pci_cfg_cap;
	uint32_t o, l;

	memcpy(&o, c + 8, 4);
	memcpy(&l, c + 12, 4);
	if (c[4] != 0 || (l != 1 && l != 2 && l != 4) || (o & (l - 1)) ||
	    o >= VIRTIO_BAR_SIZE)
		return false;
	*off = o;
	*len = l;
	return true;
}

/**
 * hvd_virtio_mcfg_read() - struct hvd_model.cfg_read
 * @priv: the device's state
 * @reg: the register
 * @size: 1, 2 or 4 bytes
 *
 * Return: the value.
 */
uint32_t hvd_virtio_mcfg_read(void *priv, unsigned int reg,
			      unsigned int size)
{
	struct hvd_virtio *v = priv;
	unsigned int len;
	uint64_t off;

	if (v->pci_cfg_cap && reg >= v->pci_cfg_cap + 16 &&
	    reg < v->pci_cfg_cap + 20 &&
	    pci_cfg_window(v, &off, &len)) {
		uint32_t data = bar_read(v, off, len);

		memcpy(v->pci.cfg + v->pci_cfg_cap + 16, &data, 4);
	}
	return hvd_pci_cfg_read(&v->pci, reg, size);
}

/**
 * hvd_virtio_mcfg_write() - struct hvd_model.cfg_write
 * @priv: the device's state
 * @reg: the register
 * @size: 1, 2 or 4 bytes
 * @val: the value
 */
void hvd_virtio_mcfg_write(void *priv, unsigned int reg, unsigned int size,
			   uint32_t val)
{
	struct hvd_virtio *v = priv;
	unsigned int changed, len;
	uint64_t off;

	if (v->pci_cfg_cap && reg >= v->pci_cfg_cap + 16 &&
	    reg < v->pci_cfg_cap + 20) {
		uint32_t data;

		/* 4.1.4.9.1: the first cap.length bytes of pci_cfg_data. */
		hvd_pci_cfg_write(&v->pci, reg, size, val);
		memcpy(&data, v->pci.cfg + v->pci_cfg_cap + 16, 4);
		if (pci_cfg_window(v, &off, &len)) {
			if (len < 4)
				data &= (1u << (8 * len)) - 1;
			bar_write(v, off, len, data);
		}
		return;
	}
	changed = hvd_pci_cfg_write(&v->pci, reg, size, val);
	if (changed & HVD_PCI_CHANGED_MAP)
		sync_kicks(v);
	if (changed & HVD_PCI_CHANGED_MSIX) {
		sync_calls(v);
		flush_pending(v);
	}
}

/**
 * hvd_virtio_mwindows() - struct hvd_model.windows
 * @priv: the device's state
 * @out: receives the ranges
 * @max: entries of @out
 *
 * Return: entries written.
 */
unsigned int hvd_virtio_mwindows(void *priv, struct hvd_range *out,
				 unsigned int max)
{
	struct hvd_virtio *v = priv;

	return hvd_pci_windows(&v->pci, out, max);
}
