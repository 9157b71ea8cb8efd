/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small virtio-PCI driver for the virtio device models' cmocka tests.
 * It drives a model only through its struct hvd_model callbacks, the way
 * Linux's virtio_pci_modern does: configuration cycles to find the vendor
 * capabilities and the MSI-X capability and to enable memory decoding,
 * MMIO at BAR 0's address for the common configuration, the ISR, the
 * device configuration, the notification area and the MSI-X table, and
 * split rings the test fills in the fake guest memory (fake_services.h).
 *
 * Every failed expectation is a cmocka assertion, so a test reads as the
 * steps a driver takes.
 */
#ifndef HVD_VIRTIO_DRIVER_H
#define HVD_VIRTIO_DRIVER_H

#include <stdbool.h>
#include <stdint.h>

#include "devmodel.h"
#include "fake_services.h"

#define VDRV_MAX_QUEUES		8
#define VDRV_MAX_VECTORS	16

/* Where the driver puts queue @q's rings in fake guest memory. */
#define VDRV_RING_BASE		0x10000ull
#define VDRV_RING_STRIDE	0x10000ull
#define VDRV_DESC(q)		(VDRV_RING_BASE + (q) * VDRV_RING_STRIDE)
#define VDRV_AVAIL(q)		(VDRV_DESC(q) + 0x4000)
#define VDRV_USED(q)		(VDRV_DESC(q) + 0x8000)
/* Buffers: above every ring. */
#define VDRV_BUF		0x100000ull

/* The message the driver programs for MSI-X vector @v (SDM 11.11). */
#define VDRV_MSI_ADDR(v)	(0xfee00000ull | (uint64_t)(v) << 12)
#define VDRV_MSI_DATA(v)	(0x40u + (v))

/* Common configuration fields (virtio 1.2, 4.1.4.3). */
#define VDRV_DFSELECT		0x00
#define VDRV_DF			0x04
#define VDRV_GFSELECT		0x08
#define VDRV_GF			0x0c
#define VDRV_MSIX_CONFIG	0x10
#define VDRV_NUM_QUEUES		0x12
#define VDRV_STATUS		0x14
#define VDRV_GENERATION		0x15
#define VDRV_Q_SELECT		0x16
#define VDRV_Q_SIZE		0x18
#define VDRV_Q_MSIX		0x1a
#define VDRV_Q_ENABLE		0x1c
#define VDRV_Q_NOTIFY_OFF	0x1e
#define VDRV_Q_DESC		0x20
#define VDRV_Q_DRIVER		0x28
#define VDRV_Q_DEVICE		0x30

/* Vendor capability types (4.1.4). */
#define VDRV_CAP_COMMON		1
#define VDRV_CAP_NOTIFY		2
#define VDRV_CAP_ISR		3
#define VDRV_CAP_DEVICE		4
#define VDRV_CAP_PCI_CFG	5

/* Device status bits (2.1). */
#define VDRV_S_ACKNOWLEDGE	0x01
#define VDRV_S_DRIVER		0x02
#define VDRV_S_DRIVER_OK	0x04
#define VDRV_S_FEATURES_OK	0x08
#define VDRV_S_NEEDS_RESET	0x40

/* Descriptor flags (2.7.5). */
#define VDRV_F_NEXT		1
#define VDRV_F_WRITE		2
#define VDRV_F_INDIRECT		4

#define VDRV_NO_VECTOR		0xffff

/**
 * struct vdrv_cap - one vendor capability as the driver found it
 * @pos: its offset in configuration space, 0 if absent
 * @len: its cap_len
 * @bar: the BAR it points into
 * @offset: the structure's offset in the BAR
 * @length: the structure's length
 */
struct vdrv_cap {
	unsigned int pos;
	uint8_t len;
	uint8_t bar;
	uint32_t offset;
	uint32_t length;
};

/**
 * struct vdrv_queue - the driver's side of one queue
 * @size: entries
 * @vector: the MSI-X vector the device accepted
 * @notify: the queue's notification address (BAR 0 offset)
 * @avail_idx: the next avail->idx the driver publishes
 * @last_used: used entries the driver consumed
 */
struct vdrv_queue {
	uint16_t size;
	uint16_t vector;
	uint64_t notify;
	uint16_t avail_idx;
	uint16_t last_used;
};

/**
 * struct vdrv - a driver bound to one device model
 * @m: the model
 * @dev: its private state
 * @bar: BAR 0's address as the driver programmed it
 * @caps: the vendor capabilities, by cfg_type (index 0 unused)
 * @notify_mult: notify_off_multiplier
 * @msix: the MSI-X capability's offset
 * @msix_nr: MSI-X table entries
 * @msix_table: the table's offset in its BAR
 * @msix_pba: the PBA's offset in its BAR
 * @features: what the driver accepted
 * @q: the queues
 */
struct vdrv {
	const struct hvd_model *m;
	void *dev;
	uint64_t bar;
	struct vdrv_cap caps[VDRV_CAP_PCI_CFG + 1];
	uint32_t notify_mult;
	unsigned int msix;
	unsigned int msix_nr;
	uint32_t msix_table;
	uint32_t msix_pba;
	uint64_t features;
	struct vdrv_queue q[VDRV_MAX_QUEUES];
};

/* Configuration space and BAR 0. */
void vdrv_attach(struct vdrv *d, const struct hvd_model *m, void *dev);
uint32_t vdrv_cfg_read(struct vdrv *d, unsigned int reg, unsigned int size);
void vdrv_cfg_write(struct vdrv *d, unsigned int reg, unsigned int size,
		    uint32_t val);
void vdrv_set_bar(struct vdrv *d, uint64_t addr);
uint64_t vdrv_read(struct vdrv *d, uint64_t off, unsigned int size);
void vdrv_write(struct vdrv *d, uint64_t off, unsigned int size, uint64_t val);
uint32_t vdrv_common_read(struct vdrv *d, unsigned int field,
			  unsigned int size);
void vdrv_common_write(struct vdrv *d, unsigned int field, unsigned int size,
		       uint32_t val);
uint64_t vdrv_config_read(struct vdrv *d, unsigned int off,
			  unsigned int size);
uint8_t vdrv_isr(struct vdrv *d);

/* Status and features. */
uint8_t vdrv_status(struct vdrv *d);
void vdrv_set_status(struct vdrv *d, uint8_t status);
void vdrv_reset(struct vdrv *d);
uint64_t vdrv_device_features(struct vdrv *d);
uint8_t vdrv_negotiate(struct vdrv *d, uint64_t features);

/* MSI-X. */
void vdrv_msix_enable(struct vdrv *d);
void vdrv_msix_mask(struct vdrv *d, unsigned int vec, bool mask);
void vdrv_msix_function_mask(struct vdrv *d, bool mask);
uint64_t vdrv_msix_pba(struct vdrv *d);
struct fake_fd *vdrv_irqfd(unsigned int vec);
uint64_t vdrv_irqs(unsigned int vec);

/* Queues. */
void vdrv_queue_setup(struct vdrv *d, unsigned int q, uint16_t size,
		      uint16_t vector);
void vdrv_queue_enable(struct vdrv *d, unsigned int q);
uint8_t vdrv_start(struct vdrv *d, uint64_t features);

/* Buffers. */
void vdrv_put16(uint64_t gpa, uint16_t v);
void vdrv_put32(uint64_t gpa, uint32_t v);
void vdrv_put64(uint64_t gpa, uint64_t v);
uint16_t vdrv_get16(uint64_t gpa);
uint32_t vdrv_get32(uint64_t gpa);
void vdrv_desc_at(uint64_t table, unsigned int i, uint64_t addr, uint32_t len,
		  uint16_t flags, uint16_t next);
void vdrv_desc(struct vdrv *d, unsigned int q, unsigned int i, uint64_t addr,
	       uint32_t len, uint16_t flags, uint16_t next);
void vdrv_avail(struct vdrv *d, unsigned int q, uint16_t head);
void vdrv_kick(struct vdrv *d, unsigned int q);
void vdrv_kick_fd(struct vdrv *d, unsigned int q);
struct fake_fd *vdrv_kick_ioeventfd(struct vdrv *d, unsigned int q);
bool vdrv_used(struct vdrv *d, unsigned int q, uint32_t *id, uint32_t *len);
uint16_t vdrv_used_idx(unsigned int q);

#endif /* HVD_VIRTIO_DRIVER_H */
