// SPDX-License-Identifier: GPL-2.0
/* Fake services for the device models' cmocka tests (fake_services.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fake_services.h"

struct fake fake;

static int fake_mem_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	if (gpa > FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - gpa)
		return -EFAULT;
	memcpy(buf, fake.mem + gpa, len);
	return 0;
}

static int fake_mem_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	if (gpa > FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - gpa)
		return -EFAULT;
	memcpy(fake.mem + gpa, buf, len);
	return 0;
}

static void *fake_mem_ptr(void *ctx, uint64_t gpa, size_t len)
{
	if (gpa > FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - gpa)
		return NULL;
	return fake.mem + gpa;
}

static void fake_set_irq(void *ctx, unsigned int gsi, int level)
{
	if (gsi >= 24)
		return;
	if (level && !fake.irq[gsi])
		fake.irq_edges[gsi]++;
	fake.irq[gsi] = !!level;
}

static int fake_send_msi(void *ctx, uint64_t addr, uint32_t data)
{
	if (fake.nr_msis < FAKE_MAX_MSIS) {
		fake.msis[fake.nr_msis].addr = addr;
		fake.msis[fake.nr_msis].data = data;
	}
	fake.nr_msis++;
	return 0;
}

static void fake_set_intr(void *ctx, int level)
{
	if (level && !fake.intr)
		fake.intr_edges++;
	fake.intr = !!level;
}

static uint64_t fake_now(void *ctx)
{
	return fake.now;
}

static uint64_t fake_wall(void *ctx)
{
	return fake.wall;
}

static struct hvd_timer *fake_timer_new(void *ctx, void (*fn)(void *),
					void *opaque)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_TIMERS; i++) {
		if (!fake.timers[i].used) {
			fake.timers[i] = (struct hvd_timer){ .used = 1,
							     .fn = fn,
							     .opaque = opaque };
			return &fake.timers[i];
		}
	}
	return NULL;
}

static void fake_timer_mod(void *ctx, struct hvd_timer *t, uint64_t deadline)
{
	t->armed = 1;
	t->deadline = deadline;
}

static void fake_timer_del(void *ctx, struct hvd_timer *t)
{
	t->armed = 0;
}

static void fake_timer_free(void *ctx, struct hvd_timer *t)
{
	memset(t, 0, sizeof(*t));
}

static size_t fake_chr_write(void *ctx, const void *buf, size_t len)
{
	size_t n = len;

	if (fake.chr_room >= 0 && n > (size_t)fake.chr_room)
		n = fake.chr_room;
	if (n > FAKE_CHR_SIZE - fake.chr_len)
		n = FAKE_CHR_SIZE - fake.chr_len;
	memcpy(fake.chr + fake.chr_len, buf, n);
	fake.chr_len += n;
	if (fake.chr_room >= 0)
		fake.chr_room -= n;
	return n;
}

static void fake_chr_accept(void *ctx)
{
	fake.accepts++;
}

static void fake_request(void *ctx, enum hvd_request req, int status)
{
	fake.req = req;
	fake.req_status = status;
	fake.nr_req++;
}

static void fake_log(void *ctx, int prio, const char *fmt, va_list ap)
{
	vsnprintf(fake.last_log, sizeof(fake.last_log), fmt, ap);
	fake.logs++;
}

static uint32_t fake_pci_cfg_read(void *ctx, unsigned int devfn,
				  unsigned int reg, unsigned int size)
{
	fake.pci_cfg++;
	return 0xffffffffu;
}

static void fake_pci_cfg_write(void *ctx, unsigned int devfn,
			       unsigned int reg, unsigned int size,
			       uint32_t val)
{
	fake.pci_cfg++;
}

struct fake_fd *fake_fd_find(struct fake_fd *tab, int fd)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_FDS; i++)
		if (tab[i].fd == fd && fd >= 0)
			return &tab[i];
	return NULL;
}

unsigned int fake_fd_count(const struct fake_fd *tab)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_MAX_FDS; i++)
		n += tab[i].fd >= 0;
	return n;
}

static struct fake_fd *fd_add(struct fake_fd *tab, int fd)
{
	unsigned int i;

	for (i = 0; i < FAKE_MAX_FDS; i++) {
		if (tab[i].fd < 0) {
			memset(&tab[i], 0, sizeof(tab[i]));
			tab[i].fd = fd;
			return &tab[i];
		}
	}
	return NULL;
}

static int fake_ioeventfd(void *ctx, int fd, enum hvd_space space,
			  uint64_t addr, unsigned int len, int add)
{
	struct fake_fd *f = fake_fd_find(fake.ioeventfds, fd);

	if (!add) {
		if (!f || f->addr != addr || f->space != space || f->len != len)
			return -ENOENT;
		f->fd = -1;
		return 0;
	}
	if (f)
		return -EEXIST;
	f = fd_add(fake.ioeventfds, fd);
	if (!f)
		return -ENOSPC;
	f->space = space;
	f->addr = addr;
	f->len = len;
	return 0;
}

static int fake_irqfd(void *ctx, int fd, uint64_t addr, uint32_t data,
		      int add)
{
	struct fake_fd *f = fake_fd_find(fake.irqfds, fd);

	if (!add) {
		if (!f)
			return -ENOENT;
		f->fd = -1;
		return 0;
	}
	if (fake.irqfd_fail)
		return -fake.irqfd_fail;
	if (f)
		return -EEXIST;
	f = fd_add(fake.irqfds, fd);
	if (!f)
		return -ENOSPC;
	f->addr = addr;
	f->data = data;
	fake.irqfd_adds++;
	return 0;
}

static int fake_watch(void *ctx, int fd, void (*fn)(void *), void *opaque)
{
	struct fake_fd *f = fake_fd_find(fake.watches, fd);

	if (f)
		return -EEXIST;
	f = fd_add(fake.watches, fd);
	if (!f)
		return -ENOSPC;
	f->fn = fn;
	f->opaque = opaque;
	return 0;
}

static void fake_unwatch(void *ctx, int fd)
{
	struct fake_fd *f = fake_fd_find(fake.watches, fd);

	if (f)
		f->fd = -1;
}

static void aio_run(struct hvd_aio *req)
{
	ssize_t n;

	switch (req->op) {
	case HVD_AIO_READ:
		n = preadv(req->fd, req->iov, req->iovcnt, req->off);
		break;
	case HVD_AIO_WRITE:
		n = pwritev(req->fd, req->iov, req->iovcnt, req->off);
		break;
	default:
		n = fdatasync(req->fd);
		break;
	}
	req->done(req, n < 0 ? -errno : n);
}

/* At once, as the worker without io_uring, unless the test holds them. */
static void fake_aio_submit(void *ctx, struct hvd_aio *req)
{
	fake.aio++;
	if (fake.aio_defer && fake.nr_aio_held < 16) {
		fake.aio_held[fake.nr_aio_held++] = req;
		return;
	}
	aio_run(req);
}

void fake_aio_complete(unsigned int i)
{
	struct hvd_aio *req = fake.aio_held[i];

	memmove(&fake.aio_held[i], &fake.aio_held[i + 1],
		(--fake.nr_aio_held - i) * sizeof(fake.aio_held[0]));
	aio_run(req);
}

static int fake_vhost_start(void *ctx, uint64_t features,
			    const struct hvd_vhost_ring *rings,
			    unsigned int nr)
{
	unsigned int i;

	if (fake.vhost.fail)
		return -fake.vhost.fail;
	if (fake.vhost.running || nr > FAKE_MAX_RINGS)
		return -EBUSY;
	fake.vhost.features = features;
	fake.vhost.nr = nr;
	for (i = 0; i < nr; i++) {
		fake.vhost.rings[i] = rings[i];
		fake.vhost.call[i] = rings[i].call;
	}
	fake.vhost.running = 1;
	fake.vhost.starts++;
	return 0;
}

static int fake_vhost_call(void *ctx, unsigned int index, int fd)
{
	if (!fake.vhost.running || index >= fake.vhost.nr)
		return -ENODEV;
	fake.vhost.call[index] = fd;
	return 0;
}

static void fake_vhost_stop(void *ctx, uint16_t *base, unsigned int nr)
{
	unsigned int i;

	if (!fake.vhost.running)
		return;
	for (i = 0; i < nr && i < fake.vhost.nr; i++)
		base[i] = fake.vhost.rings[i].base;
	fake.vhost.running = 0;
	fake.vhost.stops++;
}

const struct hvd_services fake_svc = {
	.ctx = &fake,
	.mem_read = fake_mem_read,
	.mem_write = fake_mem_write,
	.mem_ptr = fake_mem_ptr,
	.set_irq = fake_set_irq,
	.send_msi = fake_send_msi,
	.set_intr = fake_set_intr,
	.now_ns = fake_now,
	.wall_ns = fake_wall,
	.timer_new = fake_timer_new,
	.timer_mod = fake_timer_mod,
	.timer_del = fake_timer_del,
	.timer_free = fake_timer_free,
	.chr_write = fake_chr_write,
	.chr_accept = fake_chr_accept,
	.request = fake_request,
	.log = fake_log,
	.pci_cfg_read = fake_pci_cfg_read,
	.pci_cfg_write = fake_pci_cfg_write,
	.ioeventfd = fake_ioeventfd,
	.irqfd = fake_irqfd,
	.watch = fake_watch,
	.unwatch = fake_unwatch,
	.aio_submit = fake_aio_submit,
	.vhost_start = fake_vhost_start,
	.vhost_call = fake_vhost_call,
	.vhost_stop = fake_vhost_stop,
};

void fake_reset(void)
{
	unsigned int i;

	memset(&fake, 0, sizeof(fake));
	fake.now = 1000000000ull;
	fake.wall = 1796428800ull * 1000000000ull; /* 2026-12-05 00:00 UTC */
	fake.chr_room = -1;
	fake.req = -1;
	for (i = 0; i < FAKE_MAX_FDS; i++)
		fake.ioeventfds[i].fd = fake.irqfds[i].fd =
			fake.watches[i].fd = -1;
}

void fake_advance(uint64_t ns)
{
	uint64_t end = fake.now + ns;

	for (;;) {
		struct hvd_timer *next = NULL;
		unsigned int i;

		for (i = 0; i < FAKE_MAX_TIMERS; i++) {
			struct hvd_timer *t = &fake.timers[i];

			if (t->used && t->armed && t->deadline <= end &&
			    (!next || t->deadline < next->deadline))
				next = t;
		}
		if (!next)
			break;
		if (next->deadline > fake.now)
			fake.now = next->deadline;
		next->armed = 0;
		next->fn(next->opaque);
	}
	fake.now = end;
}

unsigned int fake_armed_timers(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_MAX_TIMERS; i++)
		n += fake.timers[i].used && fake.timers[i].armed;
	return n;
}
