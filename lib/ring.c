// SPDX-License-Identifier: GPL-2.0
/*
 * libhv: a vCPU's exit ring (vcpu-set-ring), the owner's side, and an exit
 * source that hides which transport a vCPU uses.
 *
 * The owner consumes exit records from the shared page and writes the
 * completion into it. Before it sleeps on its exit eventfd it sets
 * HV_RING_FLAGS_SLEEPING in owner_flags and looks at head once more; after
 * a completion it looks at kernel_flags and signals the done eventfd only
 * if the vCPU sleeps. Full barriers sit between each store and the load
 * that follows it (the kernel has the mirror image), so no wake-up is lost
 * and a polling vCPU costs the owner no system call.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libhv.h"

/**
 * struct hv_vcpu_ring - the owner's side of one vCPU's exit ring
 * @h: the owner connection
 * @vm: the VM
 * @vcpu: the vCPU
 * @page: the shared page (a memfd page mapped here)
 * @memfd: its memfd
 * @exit_fd: the eventfd the kernel signals
 * @done_fd: the eventfd we signal
 * @tail: records consumed (our own count)
 * @spin_ns: how long hv_vcpu_ring_wait() polls before it sleeps
 * @sleeps: times the owner slept on @exit_fd
 * @wakeups: times it signalled @done_fd for a sleeping vCPU
 */
struct hv_vcpu_ring {
	struct hv *h;
	uint32_t vm;
	uint32_t vcpu;
	struct hv_ring *page;
	int memfd;
	int exit_fd;
	int done_fd;
	uint32_t tail;
	uint64_t spin_ns;
	uint64_t sleeps;
	uint64_t wakeups;
};

static void ring_free(struct hv_vcpu_ring *r)
{
	if (r->page)
		munmap(r->page, 4096);
	if (r->memfd >= 0)
		close(r->memfd);
	if (r->exit_fd >= 0)
		close(r->exit_fd);
	if (r->done_fd >= 0)
		close(r->done_fd);
	free(r);
}

/**
 * hv_vcpu_ring_open() - put a vCPU's exits on a new exit ring
 * @h: the connection (the VM's owner)
 * @vm: the VM, not running
 * @vcpu: the vCPU, waiting for no completion
 * @out: receives the ring
 *
 * Creates the page (a memfd) and the two eventfds, and registers them
 * with vcpu-set-ring.
 *
 * Return: 0 or a negative errno (hv_errmsg() says why for the command).
 */
int hv_vcpu_ring_open(struct hv *h, uint32_t vm, uint32_t vcpu,
		      struct hv_vcpu_ring **out)
{
	struct hv_vcpu_ring *r = calloc(1, sizeof(*r));
	void *p;
	int err;

	if (!r)
		return -ENOMEM;
	r->h = h;
	r->vm = vm;
	r->vcpu = vcpu;
	/* Blocking: a sleep without a time limit is one read(). */
	r->exit_fd = eventfd(0, EFD_CLOEXEC);
	r->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	r->memfd = memfd_create("hv-ring", MFD_CLOEXEC);
	if (r->exit_fd < 0 || r->done_fd < 0 || r->memfd < 0 ||
	    ftruncate(r->memfd, 4096)) {
		err = -errno;
		goto fail;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r->memfd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		goto fail;
	}
	r->page = p;
	err = hv_vcpu_set_ring(h, vm, vcpu, p, r->exit_fd, r->done_fd);
	if (err)
		goto fail;
	if (r->page->version != HV_RING_VERSION ||
	    r->page->entries != HV_RING_ENTRIES) {
		err = -EPROTO;
		goto fail;
	}
	r->tail = __atomic_load_n(&r->page->head, __ATOMIC_ACQUIRE);
	*out = r;
	return 0;
fail:
	ring_free(r);
	return err;
}

/**
 * hv_vcpu_ring_close() - forget a ring on our side
 * @r: the ring, or NULL
 *
 * The vCPU keeps the page (the kernel pinned it) until the VM goes or
 * hv_vcpu_set_ring() moves it to another transport.
 */
void hv_vcpu_ring_close(struct hv_vcpu_ring *r)
{
	if (r)
		ring_free(r);
}

/**
 * hv_vcpu_ring_next() - take the next exit posted to a ring, if any
 * @r: the ring
 * @ev: receives the exit, as hv_next_message() would give it
 *
 * Return: 0; -EAGAIN if none is posted.
 */
int hv_vcpu_ring_next(struct hv_vcpu_ring *r, struct hv_message *ev)
{
	const struct hv_ring_exit *e;
	uint32_t head;

	head = __atomic_load_n(&r->page->head, __ATOMIC_ACQUIRE);
	if (head == r->tail)
		return -EAGAIN;
	e = &r->page->exits[r->tail % HV_RING_ENTRIES];
	memset(ev, 0, sizeof(*ev));
	ev->cmd = HV_CMD_EXIT;
	ev->vm = r->vm;
	ev->vcpu = r->vcpu;
	ev->seq = e->seq;
	ev->rip = e->rip;
	ev->reason = e->reason;
	if (e->reason == HV_EXIT_REASON_HLT) {
		ev->rflags = e->data;
	} else if (e->reason == HV_EXIT_REASON_EOI) {
		ev->vector = e->addr;
	} else {
		ev->dir = e->dir;
		ev->size = e->size;
		if (e->dir == HV_DIR_WRITE)
			ev->data = e->data;
	}
	if (e->reason == HV_EXIT_REASON_IO)
		ev->port = e->addr;
	else if (e->reason == HV_EXIT_REASON_MMIO)
		ev->gpa = e->addr;
	else if (e->reason == HV_EXIT_REASON_MSR)
		ev->msr = e->addr;
	r->tail++;
	__atomic_store_n(&r->page->tail, r->tail, __ATOMIC_RELEASE);
	return 0;
}

/**
 * hv_vcpu_rings_next() - take the next exit posted to any of several rings
 * @rings: the rings; NULL entries (vCPUs on netlink) are skipped
 * @n: how many
 * @next: where to start, updated to after the ring served, so that every
 *	ring gets its turn
 * @ev: receives the exit
 *
 * Return: 0; -EAGAIN if none of them has an exit posted.
 */
int hv_vcpu_rings_next(struct hv_vcpu_ring *const *rings, uint32_t n,
		       uint32_t *next, struct hv_message *ev)
{
	uint32_t i, k;

	for (i = 0; i < n; i++) {
		k = (*next + i) % n;
		if (rings[k] && !hv_vcpu_ring_next(rings[k], ev)) {
			*next = k + 1;
			return 0;
		}
	}
	return -EAGAIN;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/**
 * hv_vcpu_ring_set_sleeping() - say that the owner sleeps, or no longer
 * @r: the ring
 * @sleeping: the owner is about to sleep on hv_vcpu_ring_fd()
 *
 * For owners that wait on several rings at once: set it on each, look at
 * each once more with hv_vcpu_ring_next(), then poll() their fds.
 */
void hv_vcpu_ring_set_sleeping(struct hv_vcpu_ring *r, int sleeping)
{
	__atomic_store_n(&r->page->owner_flags,
			 sleeping ? HV_RING_FLAGS_SLEEPING : 0,
			 __ATOMIC_SEQ_CST);
	/* Pairs with the kernel's barrier between head and owner_flags. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (sleeping)
		r->sleeps++;
}

/**
 * hv_vcpu_ring_drain() - consume the exit eventfd's count after a wake-up
 * @r: the ring
 *
 * Only after poll() said hv_vcpu_ring_fd() is readable: the fd blocks.
 */
void hv_vcpu_ring_drain(struct hv_vcpu_ring *r)
{
	uint64_t cnt;

	if (read(r->exit_fd, &cnt, sizeof(cnt)) < 0)
		return;	/* EAGAIN: nothing to consume */
}

/**
 * hv_vcpu_ring_wait() - wait for the next exit of a ring
 * @r: the ring
 * @ev: receives the exit
 * @timeout_ms: how long to wait, -1 for ever
 *
 * Polls for the ring's spin time (hv_vcpu_ring_set_spin()), then sleeps
 * on the exit eventfd: one read() without a time limit, poll() and read()
 * with one.
 *
 * Return: 0; -ETIMEDOUT; a negative errno of poll().
 */
int hv_vcpu_ring_wait(struct hv_vcpu_ring *r, struct hv_message *ev,
		      int timeout_ms)
{
	struct pollfd p = { .fd = r->exit_fd, .events = POLLIN };
	uint64_t end;
	int n;

	if (!hv_vcpu_ring_next(r, ev))
		return 0;
	if (r->spin_ns) {
		end = now_ns() + r->spin_ns;
		do {
			if (!hv_vcpu_ring_next(r, ev))
				return 0;
		} while (now_ns() < end);
	}
	for (;;) {
		hv_vcpu_ring_set_sleeping(r, 1);
		if (!hv_vcpu_ring_next(r, ev))
			break;
		if (timeout_ms < 0) {
			uint64_t cnt;

			n = read(r->exit_fd, &cnt, sizeof(cnt)) < 0 ? -1 : 1;
		} else {
			n = poll(&p, 1, timeout_ms);
			if (n > 0)
				hv_vcpu_ring_drain(r);
		}
		if (n < 0 && errno == EINTR)
			continue;
		hv_vcpu_ring_set_sleeping(r, 0);
		if (n < 0)
			return -errno;
		if (!hv_vcpu_ring_next(r, ev))
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
	}
	hv_vcpu_ring_set_sleeping(r, 0);
	return 0;
}

/**
 * hv_vcpu_ring_complete() - answer the exit the vCPU waits on
 * @r: the ring
 * @seq: the exit's seq
 * @data: the value read, for reads
 * @error: the access failed
 *
 * Return: 0; a negative errno if the wake-up could not be written.
 */
int hv_vcpu_ring_complete(struct hv_vcpu_ring *r, uint64_t seq, uint64_t data,
			  int error)
{
	struct hv_ring_completion *c = &r->page->completion;
	uint64_t one = 1;

	c->data = data;
	c->flags = error ? HV_RING_COMPLETION_FLAGS_ERROR : 0;
	c->reserved = 0;
	__atomic_store_n(&c->seq, seq, __ATOMIC_RELEASE);
	/* Pairs with the kernel's barrier between kernel_flags and seq. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&r->page->kernel_flags, __ATOMIC_RELAXED) &
	      HV_RING_FLAGS_SLEEPING))
		return 0;
	r->wakeups++;
	if (write(r->done_fd, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

/**
 * hv_vcpu_ring_set_spin() - how long hv_vcpu_ring_wait() polls
 * @r: the ring
 * @ns: nanoseconds; 0 (the default) sleeps at once
 */
void hv_vcpu_ring_set_spin(struct hv_vcpu_ring *r, uint64_t ns)
{
	r->spin_ns = ns;
}

/**
 * hv_vcpu_ring_fd() - the eventfd the kernel signals when the owner sleeps
 * @r: the ring
 *
 * Return: the fd, readable after a wake-up (hv_vcpu_ring_drain()).
 */
int hv_vcpu_ring_fd(const struct hv_vcpu_ring *r)
{
	return r->exit_fd;
}

/**
 * hv_vcpu_ring_done_fd() - the eventfd the owner signals
 * @r: the ring
 *
 * Return: the fd (for tests that close it).
 */
int hv_vcpu_ring_done_fd(const struct hv_vcpu_ring *r)
{
	return r->done_fd;
}

/**
 * hv_vcpu_ring_page() - the shared page itself
 * @r: the ring
 *
 * Return: the page (for tests that write into it directly).
 */
struct hv_ring *hv_vcpu_ring_page(struct hv_vcpu_ring *r)
{
	return r->page;
}

/**
 * hv_vcpu_ring_stats() - how often the owner's side slept and woke the vCPU
 * @r: the ring
 * @sleeps: receives the times it slept on the exit eventfd
 * @wakeups: receives the times it signalled a sleeping vCPU
 */
void hv_vcpu_ring_stats(const struct hv_vcpu_ring *r, uint64_t *sleeps,
			uint64_t *wakeups)
{
	*sleeps = r->sleeps;
	*wakeups = r->wakeups;
}

/* ---- exits of one vCPU, whatever the transport ---- */

/**
 * struct hv_vcpu_exits - where a vCPU's exits come from
 * @h: the owner connection
 * @vm: the VM
 * @vcpu: the vCPU
 * @ring: its ring, or NULL for netlink
 */
struct hv_vcpu_exits {
	struct hv *h;
	uint32_t vm;
	uint32_t vcpu;
	struct hv_vcpu_ring *ring;
};

/**
 * hv_vcpu_exits_open() - receive a vCPU's exits over a transport
 * @h: the connection (the VM's owner)
 * @vm: the VM (not running, for the ring)
 * @vcpu: the vCPU
 * @transport: HV_TRANSPORT_RING or HV_TRANSPORT_NETLINK
 * @out: receives the exit source
 *
 * Over netlink, exits of other vCPUs stay queued on @h for their own
 * source; sources of one connection are used from one thread.
 *
 * Return: 0 or a negative errno.
 */
int hv_vcpu_exits_open(struct hv *h, uint32_t vm, uint32_t vcpu,
		       enum hv_transport transport,
		       struct hv_vcpu_exits **out)
{
	struct hv_vcpu_exits *x = calloc(1, sizeof(*x));
	int err;

	if (!x)
		return -ENOMEM;
	x->h = h;
	x->vm = vm;
	x->vcpu = vcpu;
	if (transport == HV_TRANSPORT_RING) {
		err = hv_vcpu_ring_open(h, vm, vcpu, &x->ring);
		if (err) {
			free(x);
			return err;
		}
	}
	*out = x;
	return 0;
}

/**
 * hv_vcpu_exits_ring() - the ring of an exit source
 * @x: the source
 *
 * Return: the ring, or NULL over netlink.
 */
struct hv_vcpu_ring *hv_vcpu_exits_ring(struct hv_vcpu_exits *x)
{
	return x->ring;
}

/**
 * hv_vcpu_exits_next() - wait for the vCPU's next exit
 * @x: the source
 * @ev: receives the exit
 * @timeout_ms: how long to wait, -1 for ever
 *
 * Return: 0; -ETIMEDOUT; a negative errno.
 */
int hv_vcpu_exits_next(struct hv_vcpu_exits *x, struct hv_message *ev,
		       int timeout_ms)
{
	if (x->ring)
		return hv_vcpu_ring_wait(x->ring, ev, timeout_ms);
	return hv_next_exit(x->h, x->vm, x->vcpu, ev, timeout_ms);
}

/**
 * hv_vcpu_exits_complete() - answer an exit hv_vcpu_exits_next() gave
 * @x: the source
 * @ev: the exit
 * @data: the value read, for reads
 * @error: the access failed
 *
 * Return: 0 or a negative errno.
 */
int hv_vcpu_exits_complete(struct hv_vcpu_exits *x, const struct hv_message *ev,
			   uint64_t data, int error)
{
	if (x->ring)
		return hv_vcpu_ring_complete(x->ring, ev->seq, data, error);
	return hv_vcpu_complete(x->h, ev->vm, ev->vcpu, ev->seq, data, error);
}

/**
 * hv_vcpu_exits_close() - forget an exit source
 * @x: the source, or NULL
 */
void hv_vcpu_exits_close(struct hv_vcpu_exits *x)
{
	if (!x)
		return;
	hv_vcpu_ring_close(x->ring);
	free(x);
}
