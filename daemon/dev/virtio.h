/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device side of a virtio 1.x split virtqueue (virtio 1.2, 2.7):
 * little-endian, no legacy layout, shared by hvd's virtio devices.
 *
 * A device pops descriptor chains the driver made available, reads the
 * chain's device-readable bytes and writes its device-writable ones,
 * pushes the chain to the used ring and asks whether the driver wants an
 * interrupt. Every access to the rings and buffers goes through the
 * model's struct hvd_services; no host pointer into guest memory is kept
 * across calls.
 *
 * The driver shares the rings with us and may rewrite them at any time
 * from another vCPU, so each guest value is read once into our memory
 * and only that copy is checked and used. A queue the driver corrupts
 * turns broken: one log line names the fault, every later call leaves
 * guest memory alone, and the device is expected to set
 * DEVICE_NEEDS_RESET (2.1.2) until the driver resets it.
 *
 * Callers serialize all calls on one queue (hvd's device lock does).
 */
#ifndef HVD_DEV_VIRTIO_H
#define HVD_DEV_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hvd_services;
struct iovec;

#define HVD_VQ_MAX_SIZE	1024	/* largest queue size a device may offer */
#define HVD_VQ_MAX_SEGS	1024	/* buffer descriptors in one chain */

/* The rings' flags (2.7.5, 2.7.6, 2.7.8). */
#define VIRTQ_DESC_F_NEXT		1
#define VIRTQ_DESC_F_WRITE		2
#define VIRTQ_DESC_F_INDIRECT		4
#define VIRTQ_AVAIL_F_NO_INTERRUPT	1
#define VIRTQ_USED_F_NO_NOTIFY		1

/**
 * struct hvd_vq_seg - one buffer of a chain
 * @gpa: its guest-physical address; RAM backs [@gpa, @gpa + @len) as
 *	checked when the chain was popped
 * @len: its bytes, never 0
 * @write: device-writable (VIRTQ_DESC_F_WRITE), else device-readable
 */
struct hvd_vq_seg {
	uint64_t gpa;
	uint32_t len;
	bool write;
};

/**
 * struct hvd_vq_elem - a descriptor chain the driver made available
 * @head: the chain's head descriptor, to return through hvd_vq_push()
 * @nr: entries of @seg
 * @nr_out: the first @nr_out of @seg are device-readable, the rest
 *	device-writable (2.7.4.2)
 * @out_len: device-readable bytes in all, at most UINT32_MAX
 * @in_len: device-writable bytes in all, at most UINT32_MAX
 * @seg: the chain's buffers in chain order, direct and indirect ones
 *	alike; zero-length buffers are not listed
 */
struct hvd_vq_elem {
	uint16_t head;
	unsigned int nr;
	unsigned int nr_out;
	uint64_t out_len;
	uint64_t in_len;
	struct hvd_vq_seg seg[HVD_VQ_MAX_SEGS];
};

/**
 * struct hvd_vq - one split virtqueue, device side
 * @svc: the model's services; all guest memory goes through them
 * @name: the queue's name in log lines ("requestq")
 * @size: entries of the rings, a power of two up to HVD_VQ_MAX_SIZE
 * @desc: guest-physical address of the descriptor table
 * @avail: guest-physical address of the available ring
 * @used: guest-physical address of the used ring
 * @event_idx: VIRTIO_F_EVENT_IDX was negotiated: used_event and
 *	avail_event replace the rings' flags (2.7.7, 2.7.10)
 * @indirect: VIRTIO_F_INDIRECT_DESC was negotiated (2.7.5.3)
 * @enabled: hvd_vq_enable() accepted the rings
 * @broken: the driver broke the queue's rules; the device must set
 *	DEVICE_NEEDS_RESET and the queue touches no guest memory until
 *	hvd_vq_reset()
 * @last_avail: free-running index of the next available-ring entry to
 *	take
 * @used_idx: free-running index of the next used-ring entry to fill, the
 *	value last published in used->idx
 * @signalled_used: @used_idx at the last hvd_vq_need_interrupt()
 * @signalled_valid: @signalled_used holds a value; false after enable and
 *	reset, so the first check always interrupts
 */
struct hvd_vq {
	const struct hvd_services *svc;
	const char *name;
	uint16_t size;
	uint64_t desc;
	uint64_t avail;
	uint64_t used;
	bool event_idx;
	bool indirect;
	bool enabled;
	bool broken;
	uint16_t last_avail;
	uint16_t used_idx;
	uint16_t signalled_used;
	bool signalled_valid;
};

void hvd_vq_init(struct hvd_vq *vq, const struct hvd_services *svc,
		 const char *name);
int hvd_vq_enable(struct hvd_vq *vq, uint16_t size, uint64_t desc,
		  uint64_t avail, uint64_t used, bool event_idx, bool indirect);
void hvd_vq_reset(struct hvd_vq *vq);
int hvd_vq_pop(struct hvd_vq *vq, struct hvd_vq_elem *e);
void hvd_vq_unpop(struct hvd_vq *vq);
int hvd_vq_push(struct hvd_vq *vq, uint16_t head, uint32_t len);
bool hvd_vq_need_interrupt(struct hvd_vq *vq);
void hvd_vq_set_notify(struct hvd_vq *vq, bool on);
bool hvd_vq_avail(struct hvd_vq *vq);
size_t hvd_vq_read(struct hvd_vq *vq, const struct hvd_vq_elem *e,
		   uint64_t off, void *buf, size_t len);
int hvd_vq_iov(struct hvd_vq *vq, const struct hvd_vq_elem *e, bool write,
	       uint64_t off, uint64_t len, struct iovec *iov);
size_t hvd_vq_write(struct hvd_vq *vq, const struct hvd_vq_elem *e,
		    uint64_t off, const void *buf, size_t len);

#endif /* HVD_DEV_VIRTIO_H */
