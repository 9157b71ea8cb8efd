/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A worker: the process that owns one VM. It holds the VM's netlink
 * socket (so the VM lives exactly as long as the process), maps its RAM,
 * runs one thread per vCPU on the exit ring and one event-loop thread for
 * timers, console input and the module's notices, and hosts the device
 * models behind one lock.
 */
#ifndef HVD_WORKER_H
#define HVD_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "boot/boot.h"
#include "defs.h"
#include "devmodel.h"

struct hv;
struct hv_vcpu_exits;
struct hvd_aio_pool;
struct io_uring;
struct sd_event;
struct sd_event_source;

#define HVD_MAX_DEVS	32
#define HVD_MAX_WATCHES	64

/**
 * struct hvd_dev - a model instance
 * @model: its model
 * @priv: its state
 * @svc: the services it was given (ctx points back here)
 * @cfg: the configuration it was given
 * @vm: its VM
 */
struct hvd_dev {
	const struct hvd_model *model;
	void *priv;
	struct hvd_services svc;
	struct hvd_config cfg;
	struct hvd_vm *vm;
};

/**
 * struct hvd_watch - a file a model watches (notify.c)
 * @fd: the file, -1 if the slot is free
 * @gen: changes with every use of the slot
 * @fn: the model's function
 * @opaque: its argument
 */
struct hvd_watch {
	int fd;
	uint32_t gen;
	void (*fn)(void *opaque);
	void *opaque;
};

/**
 * struct hvd_vhost - the kernel's vhost-net for the virtio-net (vhost.c)
 * @fd: /dev/vhost-net, or -1 (the worker moves the packets)
 * @features: what VHOST_GET_FEATURES offered
 * @owned: VHOST_SET_OWNER bound it to this process's memory
 * @running: a device's queues are handed over
 * @path: what the worker last reported as the net path
 * @why_not: why vhost-net is not used, or "" (none wanted)
 */
struct hvd_vhost {
	int fd;
	uint64_t features;
	bool owned;
	bool running;
	char path[160];
	char why_not[96];
};

/**
 * enum hvd_end - why a VM's run ended
 * @HVD_END_NONE: it has not
 * @HVD_END_POWEROFF: the guest powered off
 * @HVD_END_RESET: the guest reset the machine
 * @HVD_END_EXIT: the guest wrote to isa-debug-exit (status in exit_status)
 * @HVD_END_CRASH: hv stopped it (reason in reason)
 * @HVD_END_ERROR: hvd failed (reason in reason)
 * @HVD_END_SIGNAL: hvd was told to stop
 */
enum hvd_end {
	HVD_END_NONE,
	HVD_END_POWEROFF,
	HVD_END_RESET,
	HVD_END_EXIT,
	HVD_END_CRASH,
	HVD_END_ERROR,
	HVD_END_SIGNAL,
};

struct hvd_vcpu {
	struct hvd_vm *vm;
	uint32_t id;
	pthread_t thread;
	bool started;
	struct hv_vcpu_exits *exits;
};

/**
 * struct hvd_vm - one VM of a worker
 * @def: its definition
 * @h: the owner socket; @hv_lock serializes requests on it
 * @hv_lock: see @h
 * @notices: a second socket subscribed to the family's notices
 * @id: the module's id of the VM
 * @ram: guest RAM, a memfd mapped here
 * @memfd: its file
 * @cfg: what the models are told
 * @dev_lock: every call into a model holds it
 * @devs: model instances
 * @nr_devs: entries of @devs
 * @pic: the 8259 pair, if present
 * @ioapic: the IOAPIC, if present
 * @uart: the UART, if present
 * @intr_level: the level of the BSP's INTR line as the module knows it
 * @in_inta: an INTA cycle runs: the completion carries INTR's level
 * @msis: MSIs sent (for the SIGUSR1 dump)
 * @msi_errors: MSIs the module refused (logged the first few times)
 * @timers: every timer (timer.c)
 * @timerfd: fires at the earliest deadline
 * @con_in: console input fd, or -1
 * @con_out: console output fd, or -1
 * @con_tty: @con_in is hvd's terminal, in raw mode while the VM runs
 * @con_accept: the UART can take input again (set under dev_lock)
 * @held: console input the UART could not take yet
 * @held_len: bytes of @held
 * @out: console output not written yet (console.c)
 * @out_len: bytes of @out
 * @out_timer: writes @out when a line stays unfinished
 * @backends: the definition's disks, opened
 * @nr_backends: entries of @backends
 * @vcon: the virtio-console's backend (fd -1: none)
 * @vcon_peer: the other end of its pseudo-terminal, or -1
 * @net: the virtio-net's tap (fd -1: none)
 * @vhost: vhost-net for it
 * @watches: files the models watch (notify.c)
 * @watch_fd: an epoll set of them
 * @uring: the models' io_uring (aio.c), or NULL
 * @aio_fd: an eventfd the completions of @uring and @pool signal, or -1
 * @aio_inflight: requests submitted to @uring and not completed
 * @pool: threads that run the models' requests without @uring (or with a
 *	full one), or NULL
 * @wake_fd: an eventfd that wakes the event loop (requests, accepts)
 * @event: the event loop
 * @con_src: its console input source
 * @vcpus: the vCPUs
 * @end: why the run ended, HVD_END_NONE while it runs
 * @exit_status: the debug-exit status
 * @reason: what ended it, for crash and error
 * @stopping: vCPU threads must return
 */
struct hvd_vm {
	const struct hvd_def *def;
	struct hv *h;
	pthread_mutex_t hv_lock;
	struct hv *notices;
	uint32_t id;
	struct hvd_ram ram;
	int memfd;
	struct hvd_config cfg;
	pthread_mutex_t dev_lock;
	struct hvd_dev devs[HVD_MAX_DEVS];
	unsigned int nr_devs;
	struct hvd_dev *pic, *ioapic, *uart;
	int intr_level;
	bool in_inta;
	uint64_t msis;
	unsigned int msi_errors;
	struct hvd_timer *timers;
	int timerfd;
	int con_in, con_out;
	bool con_tty;
	bool con_accept;
	uint8_t held[256];
	size_t held_len;
	uint8_t out[4096];
	size_t out_len;
	struct hvd_timer *out_timer;
	struct hvd_backend backends[HVD_MAX_DISKS];
	unsigned int nr_backends;
	struct hvd_backend vcon;
	int vcon_peer;
	struct hvd_backend net;
	struct hvd_vhost vhost;
	struct hvd_watch watches[HVD_MAX_WATCHES];
	int watch_fd;
	struct io_uring *uring;
	int aio_fd;
	unsigned int aio_inflight;
	struct hvd_aio_pool *pool;
	int wake_fd;
	struct sd_event *event;
	struct sd_event_source *con_src;
	struct hvd_vcpu *vcpus;
	enum hvd_end end;
	int exit_status;
	char reason[256];
	volatile bool stopping;
};

/* bus.c */
int hvd_bus_create(struct hvd_vm *vm);
void hvd_bus_destroy(struct hvd_vm *vm);
void hvd_bus_reset(struct hvd_vm *vm);
uint64_t hvd_bus_read(struct hvd_vm *vm, enum hvd_space space, uint64_t addr,
		      unsigned int size);
void hvd_bus_write(struct hvd_vm *vm, enum hvd_space space, uint64_t addr,
		   unsigned int size, uint64_t val);
void hvd_vm_end(struct hvd_vm *vm, enum hvd_end end, int status,
		const char *reason);

/* notify.c */
int hvd_notify_init(struct hvd_vm *vm);
void hvd_notify_fini(struct hvd_vm *vm);
int hvd_notify_ioeventfd(struct hvd_vm *vm, int fd, enum hvd_space space,
			 uint64_t addr, unsigned int len, int add);
int hvd_notify_irqfd(struct hvd_vm *vm, int fd, uint64_t addr,
		     uint32_t data, int add);
int hvd_notify_watch(struct hvd_vm *vm, int fd, void (*fn)(void *),
		     void *opaque);
void hvd_notify_unwatch(struct hvd_vm *vm, int fd);
void hvd_notify_run(struct hvd_vm *vm);

/* sandbox.c */
#define HVD_SANDBOX_RESTART	100	/* a sandboxed worker's "start me again" */
int hvd_sandbox_enter(struct hvd_vm *vm, char *why, size_t len);
int hvd_sandbox_wait(pid_t child, bool *stop);

/* aio.c */
int hvd_aio_init(struct hvd_vm *vm);
void hvd_aio_drain(struct hvd_vm *vm);
void hvd_aio_fini(struct hvd_vm *vm);
void hvd_aio_submit(struct hvd_vm *vm, struct hvd_aio *req);
const char *hvd_aio_engine(const struct hvd_vm *vm);

/* aio_pool.c */
struct hvd_aio_pool *hvd_aio_pool_new(unsigned int threads, int efd);
void hvd_aio_pool_submit(struct hvd_aio_pool *p, struct hvd_aio *req);
unsigned int hvd_aio_pool_reap(struct hvd_aio_pool *p);
void hvd_aio_pool_wait(struct hvd_aio_pool *p);
void hvd_aio_pool_free(struct hvd_aio_pool *p);

/* tap.c */
int hvd_tap_open(struct hvd_vm *vm, char *why, size_t len);
void hvd_tap_close(struct hvd_vm *vm);

/* vhost.c */
int hvd_vhost_open(struct hvd_vm *vm, char *why, size_t len);
int hvd_vhost_own(struct hvd_vm *vm, char *why, size_t len);
void hvd_vhost_close(struct hvd_vm *vm);
int hvd_vhost_start(struct hvd_vm *vm, uint64_t features,
		    const struct hvd_vhost_ring *rings, unsigned int nr);
int hvd_vhost_call(struct hvd_vm *vm, unsigned int index, int fd);
void hvd_vhost_stop(struct hvd_vm *vm, uint16_t *base, unsigned int nr);

/* vconsole.c */
int hvd_vconsole_open(struct hvd_vm *vm, char *why, size_t len);
void hvd_vconsole_close(struct hvd_vm *vm);

/* disks.c */
int hvd_disks_open(struct hvd_vm *vm, char *why, size_t len);
void hvd_disks_close(struct hvd_vm *vm);

/* irq.c */
void hvd_irq_set(struct hvd_vm *vm, unsigned int gsi, int level);
int hvd_irq_msi(struct hvd_vm *vm, uint64_t addr, uint32_t data);
void hvd_irq_intr(struct hvd_vm *vm, int level);
int hvd_irq_inta(struct hvd_vm *vm, uint64_t *completion);
void hvd_irq_eoi(struct hvd_vm *vm, uint8_t vector);

/* timer.c */
int hvd_timers_init(struct hvd_vm *vm);
void hvd_timers_fini(struct hvd_vm *vm);
void hvd_timers_run(struct hvd_vm *vm);
struct hvd_timer *hvd_timer_new(struct hvd_vm *vm, void (*fn)(void *),
				void *opaque);
void hvd_timer_mod(struct hvd_vm *vm, struct hvd_timer *t, uint64_t deadline);
bool hvd_timer_armed(const struct hvd_timer *t);
void hvd_timer_del(struct hvd_vm *vm, struct hvd_timer *t);
void hvd_timer_free(struct hvd_vm *vm, struct hvd_timer *t);
uint64_t hvd_now_ns(void);
unsigned int hvd_timers_armed(struct hvd_vm *vm);

/* dump.c */
void hvd_vm_dump(struct hvd_vm *vm);

/* console.c */
int hvd_pty_open(void);
int hvd_console_open(struct hvd_vm *vm);
void hvd_console_close(struct hvd_vm *vm);
size_t hvd_console_write(struct hvd_vm *vm, const void *buf, size_t len);
int hvd_console_input(struct hvd_vm *vm);
void hvd_console_accept(struct hvd_vm *vm);

/* control.c */
extern int hvd_control_fd;
void hvd_control_send(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int hvd_control_input(struct hvd_vm *vm);

/* msr.c */
struct hv_message;
int hvd_msr(struct hvd_vm *vm, const struct hv_message *ev, uint64_t *data);

/* vcpu.c */
int hvd_vcpus_start(struct hvd_vm *vm);
void hvd_vcpus_stop(struct hvd_vm *vm);

/* loop.c */
int hvd_loop_run(struct hvd_vm *vm);
void hvd_loop_wake(struct hvd_vm *vm);

/* vm.c */
int hvd_vm_run(const struct hvd_def *def, enum hvd_end *end, int *status,
	       char *reason, size_t len);

#endif /* HVD_WORKER_H */
