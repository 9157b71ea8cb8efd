/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device-model contract of hvd.
 *
 * A model is one file under dev/ that fills one const struct hvd_model.
 * It reaches the VM only through the struct hvd_services the worker hands
 * its create(): guest memory (bounds-checked against the memory slots),
 * interrupt lines and MSIs, timers, the character backend, log lines and
 * requests to end or reset the VM. Models include nothing of libhv,
 * libsystemd or each other, so a cmocka test compiles one model with fake
 * services (tests/fake_services.c) and nothing else.
 *
 * Concurrency: the worker serializes every call into every model under one
 * lock (vCPU threads for port and MMIO accesses, the event-loop thread for
 * timers and console input). A model therefore needs no lock of its own,
 * and a service it calls (set_irq into the interrupt controllers, say)
 * runs under the same lock without taking it again.
 *
 * Guest-triggered junk (a reserved register, an impossible mode) gets the
 * hardware's documented behaviour, or a reset of the device, plus a
 * rate-limited log line: never an abort of the worker.
 */
#ifndef HVD_DEVMODEL_H
#define HVD_DEVMODEL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/**
 * enum hvd_space - the address space of an access
 * @HVD_PIO: I/O ports
 * @HVD_MMIO: guest-physical addresses no RAM backs
 */
enum hvd_space {
	HVD_PIO,
	HVD_MMIO,
};

/**
 * struct hvd_range - addresses a model claims
 * @space: HVD_PIO or HVD_MMIO
 * @base: first port or guest-physical address
 * @len: ports or bytes
 */
struct hvd_range {
	enum hvd_space space;
	uint64_t base;
	uint64_t len;
};

/**
 * enum hvd_request - what a model may ask of the VM
 * @HVD_REQ_RESET: reset the machine (i8042 pulse, port 0xcf9, triple fault)
 * @HVD_REQ_POWEROFF: power off (ACPI S5); the VM's exit status is 0
 * @HVD_REQ_EXIT: end the VM with the exit status given (isa-debug-exit
 *	already shifted: (v << 1) | 1)
 */
enum hvd_request {
	HVD_REQ_RESET,
	HVD_REQ_POWEROFF,
	HVD_REQ_EXIT,
};

/* Log priorities, as syslog's and sd-daemon's. */
#define HVD_LOG_ERR	3
#define HVD_LOG_WARNING	4
#define HVD_LOG_NOTICE	5
#define HVD_LOG_INFO	6
#define HVD_LOG_DEBUG	7

/* The PC platform's addresses every model and loader agrees on. */
#define HVD_IOAPIC_BASE		0xfec00000ull
#define HVD_IOAPIC_PINS		24
#define HVD_LAPIC_BASE		0xfee00000ull
#define HVD_PCI_HOLE_START	0xc0000000ull	/* RAM above moves to 4 GiB */
#define HVD_IOAPIC_ID		0		/* as QEMU's PC: APIC ID space is separate */
#define HVD_ACPI_PM1A_EVT	0x600		/* PM1_STS, PM1_EN: 4 ports */
#define HVD_ACPI_PM1A_CNT	0x604		/* PM1_CNT: 2 ports */
#define HVD_ACPI_PM_TMR		0x608		/* PM timer, 24 bits: 4 ports */
#define HVD_ACPI_S5_TYP		5		/* SLP_TYP of _S5 in the DSDT */
#define HVD_ACPI_SCI_IRQ	9
#define HVD_RESET_PORT		0xcf9		/* FADT RESET_REG, value 6 */
#define HVD_RESET_VALUE		0x06
#define HVD_COM1_BASE		0x3f8
#define HVD_COM1_IRQ		4
#define HVD_DEBUG_EXIT_PORT	0xf4
#define HVD_FW_CFG_PORT		0x510
#define HVD_PCI_BAR_WINDOW	0x100000ull	/* BAR space per PCI slot */
#define HVD_PCI_MAX_SLOTS	32

struct hvd_timer;
struct iovec;

/**
 * enum hvd_aio_op - what an asynchronous request does
 * @HVD_AIO_READ: preadv(2) into the iovec
 * @HVD_AIO_WRITE: pwritev(2) from the iovec
 * @HVD_AIO_FLUSH: fdatasync(2)
 */
enum hvd_aio_op {
	HVD_AIO_READ,
	HVD_AIO_WRITE,
	HVD_AIO_FLUSH,
};

/**
 * struct hvd_aio - an asynchronous file request of a model
 * @op: what it does
 * @fd: the file
 * @iov: the buffers (read and write), valid until @done
 * @iovcnt: entries of @iov
 * @off: the file offset
 * @done: called once, under the device lock on the event loop's thread
 *	(a test's fake services may call it from within aio_submit), with
 *	the bytes moved or a negative errno; a short transfer is not
 *	retried
 * @next: the worker's, while it holds the request (its thread pool)
 * @res: the worker's, while it holds the request (its thread pool)
 */
struct hvd_aio {
	enum hvd_aio_op op;
	int fd;
	const struct iovec *iov;
	int iovcnt;
	uint64_t off;
	void (*done)(struct hvd_aio *req, long res);
	struct hvd_aio *next;
	long res;
};

/**
 * struct hvd_vhost_ring - one virtqueue a device hands to the kernel's vhost
 * @index: the queue's number (vhost-net: 0 receiveq, 1 transmitq)
 * @num: its size (VHOST_SET_VRING_NUM)
 * @desc: guest-physical address of its descriptor table
 * @avail: guest-physical address of its available ring
 * @used: guest-physical address of its used ring
 * @base: the available-ring index vhost takes next (VHOST_SET_VRING_BASE)
 * @kick: the eventfd the driver's notifications signal: the queue's
 *	ioeventfd (VHOST_SET_VRING_KICK); the model no longer watches it
 * @call: the eventfd vhost signals when it used buffers
 *	(VHOST_SET_VRING_CALL)
 * @err: the eventfd vhost signals when it finds the ring malformed
 *	(VHOST_SET_VRING_ERR)
 */
struct hvd_vhost_ring {
	unsigned int index;
	uint16_t num;
	uint64_t desc;
	uint64_t avail;
	uint64_t used;
	uint16_t base;
	int kick;
	int call;
	int err;
};

/**
 * struct hvd_services - the only way out of a model
 * @ctx: the worker's (or the test's) context, first argument of each
 * @mem_read: copy @len bytes of guest memory at @gpa into @buf; -EFAULT
 *	unless RAM backs all of it
 * @mem_write: copy @len bytes into guest memory at @gpa; -EFAULT unless
 *	RAM backs all of it
 * @mem_ptr: the host address of guest memory [@gpa, @gpa + @len), or NULL
 *	unless RAM backs all of it: zero-copy access for buffers a device
 *	hands to the host's I/O. The guest may change the bytes at any time,
 *	so a model reads what it must validate once, into its own memory
 * @set_irq: drive GSI @gsi (0-23; ISA IRQs are GSIs 0-15) to @level; the
 *	worker routes it to the 8259s and the IOAPIC as a PC wires them
 * @send_msi: deliver a message-signalled interrupt (Intel SDM Vol. 3A,
 *	11.11: @addr 0xfeeXXXXX, @data vector and delivery mode)
 * @set_intr: drive the bootstrap processor's INTR (LINT0) input; only the
 *	master 8259 calls it
 * @now_ns: the current time of the VM's clock, CLOCK_MONOTONIC in ns
 * @wall_ns: the host's real time (CLOCK_REALTIME) in ns, for the RTC
 * @timer_new: a timer that calls @fn(@opaque) under the device lock; NULL
 *	if out of memory
 * @timer_mod: arm @t to fire once at @deadline_ns (now_ns's clock); a
 *	deadline in the past fires at once; re-arming replaces the deadline
 * @timer_del: disarm @t
 * @timer_free: disarm and free @t
 * @chr_write: write console output; returns bytes taken (a full or absent
 *	backend drops the rest, as a disconnected serial line would)
 * @chr_accept: the model can take input again (its FIFO drained); the
 *	worker offers what it held back through struct hvd_model.input
 * @request: reset, power off or end the VM (@status for HVD_REQ_EXIT)
 * @log: a log line, prefixed with the model's name by the worker
 * @pci_cfg_read: (the host bridge) a configuration read of @size bytes
 *	at register @reg of bus 0's function @devfn; all ones if nothing
 *	implements it
 * @pci_cfg_write: (the host bridge) a configuration write, dropped if
 *	nothing implements the function
 * @ioeventfd: with @add, make a guest write of @len bytes at @addr in
 *	@space signal eventfd @fd in the kernel, without an exit to the
 *	worker (DESIGN rule 7); without @add, undo it. 0 or a negative errno
 * @irqfd: with @add, make a write to eventfd @fd deliver the MSI
 *	(@addr, @data) in the kernel; without @add, undo it (@addr and @data
 *	unused). 0 or a negative errno
 * @watch: call @fn(@opaque) under the device lock, on the event loop's
 *	thread, whenever @fd is readable; 0 or a negative errno
 * @unwatch: stop watching @fd; @fn is not called after it returns
 * @aio_submit: start @req (the worker's io_uring, or its threads where
 *	the host has no io_uring); its done() follows
 * @vhost_start: (a backend with vhost, struct hvd_backend) hand @nr
 *	queues to the kernel's vhost-net, which then moves packets between
 *	them and the backend without the worker: the negotiated @features
 *	(the worker passes on the bits vhost-net knows), the VM's RAM as its
 *	memory table, each of @rings, then the backend. 0, or a negative
 *	errno with nothing left handed over (-ENODEV: no vhost-net)
 * @vhost_call: make vhost signal eventfd @fd when ring @index used
 *	buffers, from now on; 0 or a negative errno
 * @vhost_stop: take the queues back from vhost-net: it detaches the
 *	backend, lets go of every eventfd and reports in @base (@nr entries)
 *	the available-ring index each ring would take next; vhost touches
 *	neither the rings nor guest memory after it returns
 */
struct hvd_services {
	void *ctx;
	int (*mem_read)(void *ctx, uint64_t gpa, void *buf, size_t len);
	int (*mem_write)(void *ctx, uint64_t gpa, const void *buf, size_t len);
	void *(*mem_ptr)(void *ctx, uint64_t gpa, size_t len);
	void (*set_irq)(void *ctx, unsigned int gsi, int level);
	int (*send_msi)(void *ctx, uint64_t addr, uint32_t data);
	void (*set_intr)(void *ctx, int level);
	uint64_t (*now_ns)(void *ctx);
	uint64_t (*wall_ns)(void *ctx);
	struct hvd_timer *(*timer_new)(void *ctx, void (*fn)(void *opaque),
				       void *opaque);
	void (*timer_mod)(void *ctx, struct hvd_timer *t, uint64_t deadline_ns);
	void (*timer_del)(void *ctx, struct hvd_timer *t);
	void (*timer_free)(void *ctx, struct hvd_timer *t);
	size_t (*chr_write)(void *ctx, const void *buf, size_t len);
	void (*chr_accept)(void *ctx);
	void (*request)(void *ctx, enum hvd_request req, int status);
	void (*log)(void *ctx, int prio, const char *fmt, va_list ap);
	uint32_t (*pci_cfg_read)(void *ctx, unsigned int devfn,
				 unsigned int reg, unsigned int size);
	void (*pci_cfg_write)(void *ctx, unsigned int devfn, unsigned int reg,
			      unsigned int size, uint32_t val);
	int (*ioeventfd)(void *ctx, int fd, enum hvd_space space, uint64_t addr,
			 unsigned int len, int add);
	int (*irqfd)(void *ctx, int fd, uint64_t addr, uint32_t data, int add);
	int (*watch)(void *ctx, int fd, void (*fn)(void *opaque),
		     void *opaque);
	void (*unwatch)(void *ctx, int fd);
	void (*aio_submit)(void *ctx, struct hvd_aio *req);
	int (*vhost_start)(void *ctx, uint64_t features,
			   const struct hvd_vhost_ring *rings, unsigned int nr);
	int (*vhost_call)(void *ctx, unsigned int index, int fd);
	void (*vhost_stop)(void *ctx, uint16_t *base, unsigned int nr);
};

/**
 * enum hvd_be_vhost - whether a device hands its queues to vhost-net
 * @HVD_BE_OWN: no: the device serves its backend itself
 * @HVD_BE_VHOST_TRY: the worker holds vhost-net for the backend: the
 *	device hands its queues over at DRIVER_OK, and serves them itself
 *	if vhost-net refuses them
 * @HVD_BE_VHOST_MUST: as @HVD_BE_VHOST_TRY, but a refusal is the device's
 *	failure (DEVICE_NEEDS_RESET): the definition said vhost=on
 */
enum hvd_be_vhost {
	HVD_BE_OWN,
	HVD_BE_VHOST_TRY,
	HVD_BE_VHOST_MUST,
};

/**
 * struct hvd_backend - the host resource a definition gives one device
 * @fd: the open disk image, tap device or -1 (the worker closes it)
 * @size: bytes of the disk image
 * @readonly: the guest may not write it
 * @serial: the disk's serial number (virtio-blk's VIRTIO_BLK_T_GET_ID)
 * @mac: a network device's MAC address
 * @vhost: a network device's use of vhost-net (HVD_BE_*)
 * @direct: the disk image is open with O_DIRECT
 * @blk_align: with @direct, what file offsets and the buffers' lengths
 *	must be multiples of (the logical block size; a power of two,
 *	512 to 4096), else 512
 * @mem_align: with @direct, what the buffers' addresses must be
 *	multiples of (a power of two), else 1
 */
struct hvd_backend {
	int fd;
	uint64_t size;
	int readonly;
	char serial[21];
	uint8_t mac[6];
	enum hvd_be_vhost vhost;
	int direct;
	unsigned int blk_align;
	unsigned int mem_align;
};

/**
 * struct hvd_config - what the definition tells every model
 * @nr_vcpus: vCPUs of the VM
 * @ram_size: bytes of guest RAM in all
 * @ram_below_4g: bytes of it below HVD_PCI_HOLE_START (the rest is at 4 GiB)
 * @devfn: a PCI function's device and function number on bus 0
 * @bar_base: where the firmware puts its BARs (HVD_PCI_BAR_WINDOW bytes)
 * @backend: its host resource, or NULL
 */
struct hvd_config {
	unsigned int nr_vcpus;
	uint64_t ram_size;
	uint64_t ram_below_4g;
	unsigned int devfn;
	uint64_t bar_base;
	const struct hvd_backend *backend;
};

/**
 * struct hvd_model - a device model
 * @name: short name, in logs and definitions ("uart16550")
 * @priv_size: bytes of private state; the worker allocates them zeroed
 * @ranges: port and MMIO ranges it claims
 * @nr_ranges: entries of @ranges
 * @create: set up @priv with @svc and @cfg (keep both pointers: they live
 *	as long as the device) and reset it; 0 or a negative errno
 * @destroy: free what create() allocated (timers), optional
 * @reset: return to power-on state (machine reset), optional
 * @read: a guest read of @size (1, 2, 4 or 8) bytes at @addr in @space;
 *	the value, zero-extended. Called only for addresses in @ranges
 * @write: a guest write of @size bytes of @val at @addr in @space
 * @irq_in: an interrupt controller's input @pin changed to @level
 *	(8259s: ISA IRQ 0-15; IOAPIC: pin 0-23), optional
 * @inta: the processor acknowledges the interrupt the 8259 raised on INTR:
 *	the vector, or -1 if none is pending (spurious), optional
 * @eoi: the guest ended level-triggered @vector in its local APIC (the
 *	IOAPIC clears Remote IRR), optional
 * @input: console input; returns bytes accepted (the rest is held back
 *	until the model calls chr_accept), optional
 * @cfg_read: (PCI functions) a configuration read of @size bytes at @reg
 * @cfg_write: (PCI functions) a configuration write
 * @windows: (PCI functions) the ranges its BARs decode now, besides
 *	@ranges; the number written to @out (at most @max)
 */
struct hvd_model {
	const char *name;
	size_t priv_size;
	const struct hvd_range *ranges;
	unsigned int nr_ranges;
	int (*create)(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg);
	void (*destroy)(void *priv);
	void (*reset)(void *priv);
	uint64_t (*read)(void *priv, enum hvd_space space, uint64_t addr,
			 unsigned int size);
	void (*write)(void *priv, enum hvd_space space, uint64_t addr,
		      unsigned int size, uint64_t val);
	void (*irq_in)(void *priv, unsigned int pin, int level);
	int (*inta)(void *priv);
	void (*eoi)(void *priv, uint8_t vector);
	size_t (*input)(void *priv, const uint8_t *buf, size_t len);
	uint32_t (*cfg_read)(void *priv, unsigned int reg, unsigned int size);
	void (*cfg_write)(void *priv, unsigned int reg, unsigned int size,
			  uint32_t val);
	unsigned int (*windows)(void *priv, struct hvd_range *out,
				unsigned int max);
};

/* Every model of the platform, in devices.c. */
extern const struct hvd_model *const hvd_models[];
extern const unsigned int hvd_nr_models;
const struct hvd_model *hvd_model_find(const char *name);

/**
 * hvd_dev_log() - a model's log line through its services
 * @svc: the model's services
 * @prio: HVD_LOG_*
 * @fmt: printf format
 */
static inline void __attribute__((format(printf, 3, 4)))
hvd_dev_log(const struct hvd_services *svc, int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	svc->log(svc->ctx, prio, fmt, ap);
	va_end(ap);
}

#endif /* HVD_DEVMODEL_H */
