// SPDX-License-Identifier: GPL-2.0
/*
 * A small virtio-PCI driver for the device models' cmocka tests
 * (virtio_driver.h): Linux's virtio_pci_modern probe order, MSI-X set up
 * as Linux's msix_capability_init() does it, and split rings in the fake
 * guest memory.
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "virtio_driver.h"

/* PCI Local Bus 3.0, 6.2 and 6.8.2; PCIe 4.0, 7.7.2. */
#define CFG_COMMAND		0x04
#define CFG_STATUS		0x06
#define CFG_BAR0		0x10
#define CFG_CAP_LIST		0x34
#define CMD_MEMORY		0x0002
#define CMD_MASTER		0x0004
#define STATUS_CAP_LIST		0x0010
#define CAP_ID_VNDR		0x09
#define CAP_ID_MSIX		0x11
#define MSIX_ENABLE		0x8000
#define MSIX_MASKALL		0x4000

/* ---- configuration space and BAR 0 ------------------------------------- */

uint32_t vdrv_cfg_read(struct vdrv *d, unsigned int reg, unsigned int size)
{
	return d->m->cfg_read(d->dev, reg, size);
}

void vdrv_cfg_write(struct vdrv *d, unsigned int reg, unsigned int size,
		    uint32_t val)
{
	d->m->cfg_write(d->dev, reg, size, val);
}

static void find_vendor_cap(struct vdrv *d, unsigned int pos)
{
	uint8_t type = vdrv_cfg_read(d, pos + 3, 1);
	struct vdrv_cap *c;

	/* virtio_pci_find_capability(): the first of each type wins. */
	if (type < VDRV_CAP_COMMON || type > VDRV_CAP_PCI_CFG ||
	    d->caps[type].pos)
		return;
	c = &d->caps[type];
	c->pos = pos;
	c->len = vdrv_cfg_read(d, pos + 2, 1);
	c->bar = vdrv_cfg_read(d, pos + 4, 1);
	c->offset = vdrv_cfg_read(d, pos + 8, 4);
	c->length = vdrv_cfg_read(d, pos + 12, 4);
	if (type == VDRV_CAP_NOTIFY)
		d->notify_mult = vdrv_cfg_read(d, pos + 16, 4);
}

static void find_msix_cap(struct vdrv *d, unsigned int pos)
{
	uint32_t table = vdrv_cfg_read(d, pos + 4, 4);
	uint32_t pba = vdrv_cfg_read(d, pos + 8, 4);

	d->msix = pos;
	d->msix_nr = (vdrv_cfg_read(d, pos + 2, 2) & 0x7ff) + 1;
	/* This driver maps BAR 0 only. */
	assert_int_equal(table & 7, 0);
	assert_int_equal(pba & 7, 0);
	d->msix_table = table;
	d->msix_pba = pba;
}

/**
 * vdrv_attach() - probe a virtio-PCI function: find its capabilities and
 *	BAR 0, and enable memory decoding and bus mastering
 * @d: the driver
 * @m: the model
 * @dev: its private state, created
 */
void vdrv_attach(struct vdrv *d, const struct hvd_model *m, void *dev)
{
	unsigned int pos, n = 0;
	uint32_t bar;

	memset(d, 0, sizeof(*d));
	d->m = m;
	d->dev = dev;
	assert_true(vdrv_cfg_read(d, CFG_STATUS, 2) & STATUS_CAP_LIST);
	for (pos = vdrv_cfg_read(d, CFG_CAP_LIST, 1) & ~3u; pos;
	     pos = vdrv_cfg_read(d, pos + 1, 1) & ~3u) {
		/* 48 capabilities fill the space: more is a loop. */
		assert_true(++n <= 48);
		assert_true(pos >= 0x40);
		switch (vdrv_cfg_read(d, pos, 1)) {
		case CAP_ID_VNDR:
			find_vendor_cap(d, pos);
			break;
		case CAP_ID_MSIX:
			find_msix_cap(d, pos);
			break;
		}
	}
	assert_true(d->caps[VDRV_CAP_COMMON].pos);
	assert_true(d->caps[VDRV_CAP_NOTIFY].pos);
	assert_true(d->caps[VDRV_CAP_ISR].pos);
	assert_true(d->msix);

	/* A 32-bit memory BAR, placed by the firmware. */
	bar = vdrv_cfg_read(d, CFG_BAR0, 4);
	assert_int_equal(bar & 0xf, 0);
	d->bar = bar & ~0xfu;
	vdrv_cfg_write(d, CFG_COMMAND, 2,
		       vdrv_cfg_read(d, CFG_COMMAND, 2) | CMD_MEMORY |
			       CMD_MASTER);
}

/**
 * vdrv_set_bar() - move BAR 0 (the command register stays as it is)
 * @d: the driver
 * @addr: the new address
 */
void vdrv_set_bar(struct vdrv *d, uint64_t addr)
{
	vdrv_cfg_write(d, CFG_BAR0, 4, addr);
	d->bar = addr;
}

/* As the worker's bus does: the model's value cut to the access's size. */
uint64_t vdrv_read(struct vdrv *d, uint64_t off, unsigned int size)
{
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;

	return d->m->read(d->dev, HVD_MMIO, d->bar + off, size) & mask;
}

void vdrv_write(struct vdrv *d, uint64_t off, unsigned int size, uint64_t val)
{
	d->m->write(d->dev, HVD_MMIO, d->bar + off, size, val);
}

uint32_t vdrv_common_read(struct vdrv *d, unsigned int field,
			  unsigned int size)
{
	return vdrv_read(d, d->caps[VDRV_CAP_COMMON].offset + field, size);
}

void vdrv_common_write(struct vdrv *d, unsigned int field, unsigned int size,
		       uint32_t val)
{
	vdrv_write(d, d->caps[VDRV_CAP_COMMON].offset + field, size, val);
}

/**
 * vdrv_config_read() - a read of the device configuration
 * @d: the driver
 * @off: the offset in it
 * @size: 1, 2, 4 or 8 bytes
 *
 * Return: the value.
 */
uint64_t vdrv_config_read(struct vdrv *d, unsigned int off, unsigned int size)
{
	assert_true(d->caps[VDRV_CAP_DEVICE].pos);
	return vdrv_read(d, d->caps[VDRV_CAP_DEVICE].offset + off, size);
}

/**
 * vdrv_isr() - read (and so clear) the ISR status
 * @d: the driver
 *
 * Return: its value.
 */
uint8_t vdrv_isr(struct vdrv *d)
{
	return vdrv_read(d, d->caps[VDRV_CAP_ISR].offset, 1);
}

/* ---- status and features ----------------------------------------------- */

uint8_t vdrv_status(struct vdrv *d)
{
	return vdrv_common_read(d, VDRV_STATUS, 1);
}

void vdrv_set_status(struct vdrv *d, uint8_t status)
{
	vdrv_common_write(d, VDRV_STATUS, 1, status);
}

/**
 * vdrv_reset() - reset the device and see it done (4.1.4.3.2)
 * @d: the driver
 */
void vdrv_reset(struct vdrv *d)
{
	vdrv_set_status(d, 0);
	assert_int_equal(vdrv_status(d), 0);
	memset(d->q, 0, sizeof(d->q));
}

/**
 * vdrv_device_features() - the 64 feature bits the device offers
 * @d: the driver
 *
 * Return: them.
 */
uint64_t vdrv_device_features(struct vdrv *d)
{
	uint64_t f;

	vdrv_common_write(d, VDRV_DFSELECT, 4, 0);
	f = vdrv_common_read(d, VDRV_DF, 4);
	vdrv_common_write(d, VDRV_DFSELECT, 4, 1);
	f |= (uint64_t)vdrv_common_read(d, VDRV_DF, 4) << 32;
	return f;
}

/**
 * vdrv_negotiate() - reset, acknowledge, accept @features (offered or
 *	not: the test decides) and ask for FEATURES_OK (3.1.1)
 * @d: the driver
 * @features: the driver's features
 *
 * Return: the status read back: FEATURES_OK in it if the device agreed.
 */
uint8_t vdrv_negotiate(struct vdrv *d, uint64_t features)
{
	vdrv_reset(d);
	vdrv_set_status(d, VDRV_S_ACKNOWLEDGE);
	vdrv_set_status(d, VDRV_S_ACKNOWLEDGE | VDRV_S_DRIVER);
	vdrv_device_features(d);
	vdrv_common_write(d, VDRV_GFSELECT, 4, 0);
	vdrv_common_write(d, VDRV_GF, 4, features);
	vdrv_common_write(d, VDRV_GFSELECT, 4, 1);
	vdrv_common_write(d, VDRV_GF, 4, features >> 32);
	d->features = features;
	vdrv_set_status(d, VDRV_S_ACKNOWLEDGE | VDRV_S_DRIVER |
				   VDRV_S_FEATURES_OK);
	return vdrv_status(d);
}

/* ---- MSI-X --------------------------------------------------------------- */

static void msix_ctrl(struct vdrv *d, uint16_t val)
{
	vdrv_cfg_write(d, d->msix + 2, 2, val);
}

/**
 * vdrv_msix_enable() - enable MSI-X with every vector programmed
 *	(VDRV_MSI_ADDR/DATA) and unmasked, in Linux's order: enabled under
 *	the function mask, entries masked and written, the function mask
 *	cleared, then each vector unmasked as its handler is requested
 * @d: the driver
 */
void vdrv_msix_enable(struct vdrv *d)
{
	unsigned int v;

	assert_true(d->msix_nr <= VDRV_MAX_VECTORS);
	msix_ctrl(d, MSIX_ENABLE | MSIX_MASKALL);
	for (v = 0; v < d->msix_nr; v++) {
		uint64_t e = d->msix_table + 16 * v;

		vdrv_write(d, e + 12, 4, 1);
		vdrv_write(d, e, 4, (uint32_t)VDRV_MSI_ADDR(v));
		vdrv_write(d, e + 4, 4, VDRV_MSI_ADDR(v) >> 32);
		vdrv_write(d, e + 8, 4, VDRV_MSI_DATA(v));
	}
	msix_ctrl(d, MSIX_ENABLE);
	for (v = 0; v < d->msix_nr; v++)
		vdrv_msix_mask(d, v, false);
}

void vdrv_msix_mask(struct vdrv *d, unsigned int vec, bool mask)
{
	vdrv_write(d, d->msix_table + 16 * vec + 12, 4, mask);
}

void vdrv_msix_function_mask(struct vdrv *d, bool mask)
{
	msix_ctrl(d, MSIX_ENABLE | (mask ? MSIX_MASKALL : 0));
}

uint64_t vdrv_msix_pba(struct vdrv *d)
{
	return vdrv_read(d, d->msix_pba, 8);
}

/**
 * vdrv_irqfd() - the irqfd the device registered for vector @vec's message
 * @vec: the vector
 *
 * Return: its fake entry, or NULL.
 */
struct fake_fd *vdrv_irqfd(unsigned int vec)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_FDS; i++)
		if (fake.irqfds[i].fd >= 0 &&
		    fake.irqfds[i].addr == VDRV_MSI_ADDR(vec) &&
		    fake.irqfds[i].data == VDRV_MSI_DATA(vec))
			return &fake.irqfds[i];
	return NULL;
}

/**
 * vdrv_irqs() - consume the count of vector @vec's irqfd
 * @vec: the vector
 *
 * Return: the interrupts the kernel would have sent since the last call:
 * the eventfd's counter, 0 if none is routed or nothing was signalled.
 */
uint64_t vdrv_irqs(unsigned int vec)
{
	struct fake_fd *f = vdrv_irqfd(vec);
	uint64_t cnt;

	if (!f)
		return 0;
	if (read(f->fd, &cnt, sizeof(cnt)) != sizeof(cnt)) {
		assert_int_equal(errno, EAGAIN);
		return 0;
	}
	return cnt;
}

/* ---- queues ------------------------------------------------------------ */

/**
 * vdrv_queue_setup() - set queue @q up at VDRV_DESC/AVAIL/USED(q), not
 *	yet enabled (vp_modern's setup_vq())
 * @d: the driver
 * @q: the queue
 * @size: its size, at most what the device offers
 * @vector: its MSI-X vector
 */
void vdrv_queue_setup(struct vdrv *d, unsigned int q, uint16_t size,
		      uint16_t vector)
{
	struct vdrv_queue *vq = &d->q[q];
	uint16_t max, off;

	assert_true(q < VDRV_MAX_QUEUES);
	vdrv_common_write(d, VDRV_Q_SELECT, 2, q);
	max = vdrv_common_read(d, VDRV_Q_SIZE, 2);
	assert_true(size && size <= max);
	assert_int_equal(vdrv_common_read(d, VDRV_Q_ENABLE, 2), 0);
	vdrv_common_write(d, VDRV_Q_SIZE, 2, size);
	memset(fake.mem + VDRV_DESC(q), 0, VDRV_RING_STRIDE);
	vdrv_common_write(d, VDRV_Q_DESC, 4, (uint32_t)VDRV_DESC(q));
	vdrv_common_write(d, VDRV_Q_DESC + 4, 4, VDRV_DESC(q) >> 32);
	vdrv_common_write(d, VDRV_Q_DRIVER, 4, (uint32_t)VDRV_AVAIL(q));
	vdrv_common_write(d, VDRV_Q_DRIVER + 4, 4, VDRV_AVAIL(q) >> 32);
	vdrv_common_write(d, VDRV_Q_DEVICE, 4, (uint32_t)VDRV_USED(q));
	vdrv_common_write(d, VDRV_Q_DEVICE + 4, 4, VDRV_USED(q) >> 32);
	vdrv_common_write(d, VDRV_Q_MSIX, 2, vector);
	*vq = (struct vdrv_queue){
		.size = size,
		.vector = vdrv_common_read(d, VDRV_Q_MSIX, 2),
	};
	off = vdrv_common_read(d, VDRV_Q_NOTIFY_OFF, 2);
	vq->notify = d->caps[VDRV_CAP_NOTIFY].offset +
		     (uint64_t)off * d->notify_mult;
	/* 4.1.4.4: the address lies inside the notification structure. */
	assert_true((uint64_t)off * d->notify_mult + 2 <=
		    d->caps[VDRV_CAP_NOTIFY].length);
}

void vdrv_queue_enable(struct vdrv *d, unsigned int q)
{
	vdrv_common_write(d, VDRV_Q_SELECT, 2, q);
	vdrv_common_write(d, VDRV_Q_ENABLE, 2, 1);
}

/**
 * vdrv_start() - bring the device up as Linux does: MSI-X, features,
 *	vector 0 for configuration changes, every queue at its largest size
 *	with vector q + 1, the queues enabled, DRIVER_OK
 * @d: the driver
 * @features: the features to accept
 *
 * Return: the status read back at the end.
 */
uint8_t vdrv_start(struct vdrv *d, uint64_t features)
{
	unsigned int q, nr;
	uint8_t status;

	vdrv_msix_enable(d);
	status = vdrv_negotiate(d, features);
	if (!(status & VDRV_S_FEATURES_OK))
		return status;
	vdrv_common_write(d, VDRV_MSIX_CONFIG, 2, 0);
	assert_int_equal(vdrv_common_read(d, VDRV_MSIX_CONFIG, 2), 0);
	nr = vdrv_common_read(d, VDRV_NUM_QUEUES, 2);
	assert_true(nr <= VDRV_MAX_QUEUES);
	for (q = 0; q < nr; q++) {
		vdrv_common_write(d, VDRV_Q_SELECT, 2, q);
		vdrv_queue_setup(d, q, vdrv_common_read(d, VDRV_Q_SIZE, 2),
				 q + 1);
		assert_int_equal(d->q[q].vector, q + 1);
	}
	for (q = 0; q < nr; q++)
		vdrv_queue_enable(d, q);
	vdrv_set_status(d, status | VDRV_S_DRIVER_OK);
	return vdrv_status(d);
}

/* ---- buffers ----------------------------------------------------------- */

void vdrv_put16(uint64_t gpa, uint16_t v)
{
	v = htole16(v);
	memcpy(fake.mem + gpa, &v, sizeof(v));
}

void vdrv_put32(uint64_t gpa, uint32_t v)
{
	v = htole32(v);
	memcpy(fake.mem + gpa, &v, sizeof(v));
}

void vdrv_put64(uint64_t gpa, uint64_t v)
{
	v = htole64(v);
	memcpy(fake.mem + gpa, &v, sizeof(v));
}

uint16_t vdrv_get16(uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, fake.mem + gpa, sizeof(v));
	return le16toh(v);
}

uint32_t vdrv_get32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, fake.mem + gpa, sizeof(v));
	return le32toh(v);
}

void vdrv_desc_at(uint64_t table, unsigned int i, uint64_t addr, uint32_t len,
		  uint16_t flags, uint16_t next)
{
	uint64_t p = table + 16ull * i;

	vdrv_put64(p, addr);
	vdrv_put32(p + 8, len);
	vdrv_put16(p + 12, flags);
	vdrv_put16(p + 14, next);
}

void vdrv_desc(struct vdrv *d, unsigned int q, unsigned int i, uint64_t addr,
	       uint32_t len, uint16_t flags, uint16_t next)
{
	assert_true(i < d->q[q].size);
	vdrv_desc_at(VDRV_DESC(q), i, addr, len, flags, next);
}

/* The driver's side of 2.7.13: the head into the ring, then idx + 1. */
void vdrv_avail(struct vdrv *d, unsigned int q, uint16_t head)
{
	struct vdrv_queue *vq = &d->q[q];

	vdrv_put16(VDRV_AVAIL(q) + 4 + 2 * (vq->avail_idx % vq->size), head);
	vq->avail_idx++;
	vdrv_put16(VDRV_AVAIL(q) + 2, vq->avail_idx);
}

/* vp_notify(): the queue's index, 16 bits, at its notification address. */
void vdrv_kick(struct vdrv *d, unsigned int q)
{
	vdrv_write(d, d->q[q].notify, 2, q);
}

/**
 * vdrv_kick_ioeventfd() - the ioeventfd at queue @q's notification address
 * @d: the driver
 * @q: the queue
 *
 * Return: its fake entry, or NULL if the device registered none there.
 */
struct fake_fd *vdrv_kick_ioeventfd(struct vdrv *d, unsigned int q)
{
	uint64_t addr = d->bar + d->q[q].notify;
	unsigned int i;

	for (i = 0; i < FAKE_MAX_FDS; i++)
		if (fake.ioeventfds[i].fd >= 0 &&
		    fake.ioeventfds[i].space == HVD_MMIO &&
		    fake.ioeventfds[i].addr == addr &&
		    fake.ioeventfds[i].len == 2)
			return &fake.ioeventfds[i];
	return NULL;
}

/*
 * The kernel's side of a notification through the ioeventfd: the eventfd
 * signalled, then the event loop calls the watch on it.
 */
void vdrv_kick_fd(struct vdrv *d, unsigned int q)
{
	struct fake_fd *f = vdrv_kick_ioeventfd(d, q), *w;
	uint64_t one = 1;

	assert_non_null(f);
	assert_int_equal(write(f->fd, &one, sizeof(one)), sizeof(one));
	w = fake_fd_find(fake.watches, f->fd);
	assert_non_null(w);
	w->fn(w->opaque);
}

/**
 * vdrv_used() - take the next used element of queue @q
 * @d: the driver
 * @q: the queue
 * @id: receives its id (the chain's head)
 * @len: receives its length
 *
 * Then asks for an interrupt at the next one (used_event, 2.7.10).
 *
 * Return: true if there was one.
 */
bool vdrv_used(struct vdrv *d, unsigned int q, uint32_t *id, uint32_t *len)
{
	struct vdrv_queue *vq = &d->q[q];
	uint64_t e;

	if (vdrv_used_idx(q) == vq->last_used)
		return false;
	e = VDRV_USED(q) + 4 + 8 * (vq->last_used % vq->size);
	*id = vdrv_get32(e);
	*len = vdrv_get32(e + 4);
	vq->last_used++;
	vdrv_put16(VDRV_AVAIL(q) + 4 + 2 * vq->size, vq->last_used);
	return true;
}

uint16_t vdrv_used_idx(unsigned int q)
{
	return vdrv_get16(VDRV_USED(q) + 2);
}
