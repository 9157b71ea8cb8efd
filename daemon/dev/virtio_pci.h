/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio 1.x PCI transport, modern interface only (virtio 1.2, 4.1):
 * what every virtio device model of hvd shares. A model puts a struct
 * hvd_virtio first in its private state, describes itself with a struct
 * hvd_virtio_ops and points its struct hvd_model's read, write, cfg_read,
 * cfg_write, windows, reset and destroy at the hvd_virtio_m*() functions.
 */
#ifndef HVD_VIRTIO_PCI_H
#define HVD_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "devmodel.h"
#include "pci.h"
#include "virtio.h"

#define HVD_VIRTIO_MAX_QUEUES	8
#define HVD_VIRTIO_CONFIG_MAX	256
#define HVD_VIRTIO_BATCH	64	/* chains served per event-loop turn */

/* Feature bits of the transport and the rings (virtio 1.2, 6). */
#define VIRTIO_F_INDIRECT_DESC	28
#define VIRTIO_F_EVENT_IDX	29
#define VIRTIO_F_VERSION_1	32

/* Device status (2.1). */
#define VIRTIO_S_ACKNOWLEDGE	0x01
#define VIRTIO_S_DRIVER		0x02
#define VIRTIO_S_DRIVER_OK	0x04
#define VIRTIO_S_FEATURES_OK	0x08
#define VIRTIO_S_NEEDS_RESET	0x40
#define VIRTIO_S_FAILED		0x80

#define VIRTIO_NO_VECTOR	0xffff

/* BAR 0's layout: one page per structure (4.1.4). */
#define VIRTIO_BAR_SIZE		0x8000
#define VIRTIO_COMMON_OFF	0x0000
#define VIRTIO_ISR_OFF		0x1000
#define VIRTIO_DEVICE_OFF	0x2000
#define VIRTIO_NOTIFY_OFF	0x3000
#define VIRTIO_MSIX_TABLE_OFF	0x4000
#define VIRTIO_MSIX_PBA_OFF	0x5000
#define VIRTIO_NOTIFY_MULT	4

struct hvd_virtio;

/**
 * struct hvd_virtio_ops - what a virtio device is
 * @device_id: the virtio device id (5: 1 net, 2 block, 3 console, 4 rng)
 * @class_code: its PCI class code (base, sub, interface)
 * @nr_queues: its virtqueues
 * @queue_size: the largest size of each (a power of two)
 * @features: its device-specific feature bits (the transport adds
 *	VERSION_1, EVENT_IDX and INDIRECT_DESC)
 * @config_size: bytes of its device configuration (struct hvd_virtio's
 *	@config)
 * @notify: the driver made buffers available in queue @q (DRIVER_OK set,
 *	the queue enabled and sound)
 * @config_write: a driver write to the device configuration, optional
 *	(without it such writes are dropped)
 * @reset: the device reset (status 0 or a machine reset): forget every
 *	buffer taken from the queues; optional
 * @driver_ok: the driver set DRIVER_OK, optional
 */
struct hvd_virtio_ops {
	uint16_t device_id;
	uint32_t class_code;
	unsigned int nr_queues;
	uint16_t queue_size;
	uint64_t features;
	unsigned int config_size;
	void (*notify)(struct hvd_virtio *v, unsigned int q);
	void (*config_write)(struct hvd_virtio *v, unsigned int off,
			     unsigned int size, uint64_t val);
	void (*reset)(struct hvd_virtio *v);
	void (*driver_ok)(struct hvd_virtio *v);
};

/**
 * struct hvd_virtio_queue - one queue's transport state
 * @v: its device
 * @vq: the ring (virtio.h)
 * @size: queue_size as the driver set it
 * @vector: its MSI-X vector, or VIRTIO_NO_VECTOR
 * @desc: queue_desc
 * @driver: queue_driver (the available ring)
 * @device: queue_device (the used ring)
 * @enabled: queue_enable
 * @kick_fd: the eventfd a notification signals
 * @kick_addr: where its ioeventfd listens, 0 if nowhere
 * @call_fd: the eventfd vhost signals while the queue's vector cannot
 *	take its irqfd straight (masked, no vector, no route): watched, and
 *	delivered as the device would; -1 until vhost first serves the queue
 * @err_fd: the eventfd vhost signals when it finds the ring malformed,
 *	watched while vhost serves the queue; -1 until then
 * @call_now: the eventfd vhost signals now: @call_fd or a vector's
 * @serving: hvd_virtio_serve() runs: pushes leave the interrupt to its end
 * @pushed: chains were pushed while @serving
 */
struct hvd_virtio_queue {
	struct hvd_virtio *v;
	struct hvd_vq vq;
	uint16_t size;
	uint16_t vector;
	uint64_t desc;
	uint64_t driver;
	uint64_t device;
	bool enabled;
	int kick_fd;
	uint64_t kick_addr;
	int call_fd;
	int err_fd;
	int call_now;
	bool serving;
	bool pushed;
};

/**
 * struct hvd_virtio_vector - one MSI-X vector's irqfd
 * @fd: the eventfd, or -1
 * @routed: an irqfd carries @addr and @data for it
 * @addr: the message address it carries
 * @data: the message data it carries
 */
struct hvd_virtio_vector {
	int fd;
	bool routed;
	uint64_t addr;
	uint32_t data;
};

/**
 * struct hvd_virtio - a virtio device on PCI
 * @pci: its PCI function
 * @svc: the worker's services
 * @cfg: the VM's configuration for it
 * @ops: what the device is
 * @name: the model's name, for log lines
 * @dfselect: device_feature_select
 * @gfselect: driver_feature_select
 * @driver_features: what the driver accepted
 * @status: device_status
 * @generation: config_generation
 * @queue_select: queue_select
 * @config_vector: config_msix_vector
 * @isr: the ISR status (bit 0 queue, bit 1 configuration)
 * @q: the queues
 * @vec: the MSI-X vectors
 * @pci_cfg_cap: offset of the VIRTIO_PCI_CAP_PCI_CFG capability
 * @irq_errors: interrupts that could not be sent (logged the first times)
 * @vhost: the kernel's vhost serves the queues (hvd_virtio_vhost_start())
 * @config: the device configuration, kept by the device
 */
struct hvd_virtio {
	struct hvd_pci_func pci;
	const struct hvd_services *svc;
	const struct hvd_config *cfg;
	const struct hvd_virtio_ops *ops;
	const char *name;
	uint32_t dfselect;
	uint32_t gfselect;
	uint64_t driver_features;
	uint8_t status;
	uint8_t generation;
	uint16_t queue_select;
	uint16_t config_vector;
	uint8_t isr;
	struct hvd_virtio_queue q[HVD_VIRTIO_MAX_QUEUES];
	struct hvd_virtio_vector vec[HVD_VIRTIO_MAX_QUEUES + 1];
	unsigned int pci_cfg_cap;
	unsigned int irq_errors;
	bool vhost;
	uint8_t config[HVD_VIRTIO_CONFIG_MAX];
};

int hvd_virtio_create(struct hvd_virtio *v, const struct hvd_virtio_ops *ops,
		      const char *name, const struct hvd_services *svc,
		      const struct hvd_config *cfg);
bool hvd_virtio_has(const struct hvd_virtio *v, unsigned int bit);
bool hvd_virtio_queue_ready(const struct hvd_virtio *v, unsigned int q);
void hvd_virtio_watch(struct hvd_virtio *v, int fd, bool *watching, bool on,
		      void (*fn)(void *opaque), void *opaque);
void hvd_virtio_interrupt(struct hvd_virtio *v, unsigned int q);
void hvd_virtio_push(struct hvd_virtio *v, unsigned int q, uint16_t head,
		     uint32_t len);
void hvd_virtio_serve(struct hvd_virtio *v, unsigned int q,
		      struct hvd_vq_elem *e,
		      void (*serve)(struct hvd_virtio *v, struct hvd_vq_elem *e));
void hvd_virtio_config_changed(struct hvd_virtio *v);
void hvd_virtio_needs_reset(struct hvd_virtio *v, const char *why);
int hvd_virtio_vhost_start(struct hvd_virtio *v);
void hvd_virtio_vhost_stop(struct hvd_virtio *v);

/*
 * The struct hvd_model callbacks every virtio device shares (priv starts
 * with a struct hvd_virtio): a model adds name, size, create and destroy.
 */
#define HVD_VIRTIO_MODEL_CALLBACKS			\
	.reset = hvd_virtio_mreset,			\
	.read = hvd_virtio_mread,			\
	.write = hvd_virtio_mwrite,			\
	.cfg_read = hvd_virtio_mcfg_read,		\
	.cfg_write = hvd_virtio_mcfg_write,		\
	.windows = hvd_virtio_mwindows

/* struct hvd_model callbacks; priv starts with a struct hvd_virtio. */
void hvd_virtio_mdestroy(void *priv);
void hvd_virtio_mreset(void *priv);
uint64_t hvd_virtio_mread(void *priv, enum hvd_space space, uint64_t addr,
			  unsigned int size);
void hvd_virtio_mwrite(void *priv, enum hvd_space space, uint64_t addr,
		       unsigned int size, uint64_t val);
uint32_t hvd_virtio_mcfg_read(void *priv, unsigned int reg,
			      unsigned int size);
void hvd_virtio_mcfg_write(void *priv, unsigned int reg, unsigned int size,
			   uint32_t val);
unsigned int hvd_virtio_mwindows(void *priv, struct hvd_range *out,
				 unsigned int max);

#endif /* HVD_VIRTIO_PCI_H */
