/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake services for the device models' cmocka tests: a flat guest memory,
 * recorded interrupt lines and MSIs, a clock the test advances (firing
 * due timers in deadline order), a console buffer and recorded requests.
 */
#ifndef HVD_FAKE_SERVICES_H
#define HVD_FAKE_SERVICES_H

#include <stdint.h>

#include "devmodel.h"

#define FAKE_MEM_SIZE	(2u << 20)
#define FAKE_MAX_MSIS	64
#define FAKE_MAX_TIMERS	8
#define FAKE_CHR_SIZE	4096
#define FAKE_MAX_FDS	16

struct hvd_timer {
	int used;
	int armed;
	uint64_t deadline;
	void (*fn)(void *opaque);
	void *opaque;
};

struct fake_msi {
	uint64_t addr;
	uint32_t data;
};

/* An ioeventfd, irqfd or watch the model registered (fd -1: free). */
struct fake_fd {
	int fd;
	enum hvd_space space;
	uint64_t addr;
	unsigned int len;
	uint32_t data;
	void (*fn)(void *opaque);
	void *opaque;
};

#define FAKE_MAX_RINGS	8

/**
 * struct fake_vhost - the vhost services as the tests see them
 * @running: a device handed its queues over and has not taken them back
 * @starts: successful vhost_start calls
 * @stops: vhost_stop calls while running
 * @features: what the last start passed
 * @rings: the rings the last start passed
 * @nr: entries of @rings
 * @call: each ring's call eventfd now
 * @fail: make vhost_start fail with this errno
 */
struct fake_vhost {
	int running;
	unsigned int starts;
	unsigned int stops;
	uint64_t features;
	struct hvd_vhost_ring rings[FAKE_MAX_RINGS];
	unsigned int nr;
	int call[FAKE_MAX_RINGS];
	int fail;
};

/**
 * struct fake - everything the fake services record
 * @mem: guest memory at guest-physical 0
 * @irq: the level of each GSI
 * @irq_edges: rising edges seen on each GSI
 * @intr: the level of INTR
 * @intr_edges: rising edges of INTR
 * @msis: MSIs sent, in order
 * @nr_msis: entries of @msis
 * @now: the clock, ns
 * @wall: the real-time clock, ns since the epoch
 * @timers: timers
 * @chr: console output
 * @chr_len: bytes of @chr
 * @chr_room: bytes chr_write accepts before it drops (-1: unlimited)
 * @accepts: chr_accept calls
 * @req: the last request, or -1
 * @req_status: its status
 * @nr_req: requests
 * @logs: log lines
 * @last_log: the last log line
 * @pci_cfg: configuration accesses to other functions (they read ones)
 * @ioeventfds: registered ioeventfds
 * @irqfds: registered irqfds
 * @watches: watched fds
 * @irqfd_adds: irqfd registrations ever made
 * @irqfd_fail: make irqfd registration fail with this errno
 * @aio: asynchronous requests
 * @aio_defer: hold requests in @aio_held until fake_aio_complete()
 *	(otherwise they run at once)
 * @aio_held: the requests held
 * @nr_aio_held: entries of @aio_held
 * @vhost: the vhost services' record
 */
struct fake {
	uint8_t mem[FAKE_MEM_SIZE];
	int irq[24];
	unsigned int irq_edges[24];
	int intr;
	unsigned int intr_edges;
	struct fake_msi msis[FAKE_MAX_MSIS];
	unsigned int nr_msis;
	uint64_t now;
	uint64_t wall;
	struct hvd_timer timers[FAKE_MAX_TIMERS];
	char chr[FAKE_CHR_SIZE];
	size_t chr_len;
	long chr_room;
	unsigned int accepts;
	int req;
	int req_status;
	unsigned int nr_req;
	unsigned int logs;
	char last_log[256];
	unsigned int pci_cfg;
	struct fake_fd ioeventfds[FAKE_MAX_FDS];
	struct fake_fd irqfds[FAKE_MAX_FDS];
	struct fake_fd watches[FAKE_MAX_FDS];
	unsigned int irqfd_adds;
	int irqfd_fail;
	unsigned int aio;
	int aio_defer;
	struct hvd_aio *aio_held[16];
	unsigned int nr_aio_held;
	struct fake_vhost vhost;
};

extern struct fake fake;
extern const struct hvd_services fake_svc;

/* Reset @fake: zero memory, clock at 1 s, wall clock at 2026-12-05. */
void fake_reset(void);
/* Advance the clock by @ns, firing due timers in deadline order. */
void fake_advance(uint64_t ns);
/* The registered entry of @fd in @tab, or NULL. */
struct fake_fd *fake_fd_find(struct fake_fd *tab, int fd);
/* Entries in use in @tab. */
unsigned int fake_fd_count(const struct fake_fd *tab);
/* Run held request @i (its done() too) and forget it. */
void fake_aio_complete(unsigned int i);
/* Armed timers. */
unsigned int fake_armed_timers(void);

#endif /* HVD_FAKE_SERVICES_H */
