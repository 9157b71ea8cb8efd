// SPDX-License-Identifier: GPL-2.0
/*
 * The device side of the virtio 1.x split virtqueue (virtio 1.2, 2.7), as
 * virtio.h describes: chain walking with every rule a device can check,
 * the used ring, and both notification-suppression schemes.
 *
 * Ring layout (2.7, 2.7.6, 2.7.8), all fields little-endian:
 *   desc:  16-byte descriptors {le64 addr, le32 len, le16 flags, le16 next}
 *   avail: le16 flags, le16 idx, le16 ring[size], le16 used_event
 *   used:  le16 flags, le16 idx, {le32 id, le32 len} ring[size],
 *          le16 avail_event
 */
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

#include "devmodel.h"
#include "virtio.h"

#define DESC_SIZE 16
#define AVAIL_RING 4 /* offset of avail->ring[] and used->ring[] */
#define USED_ELEM_SIZE 8

/**
 * struct virtq_desc - a descriptor as it lies in guest memory (2.7.5)
 * @addr: guest-physical address of the buffer or indirect table
 * @len: its bytes
 * @flags: VIRTQ_DESC_F_*
 * @next: the next descriptor of the chain if VIRTQ_DESC_F_NEXT
 */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

_Static_assert(sizeof(struct virtq_desc) == DESC_SIZE, "virtq_desc");

/**
 * struct chain - where pop's walk of one chain is
 * @table: guest-physical address of the table being walked: the queue's
 *	descriptor table, then an indirect one
 * @entries: descriptors in @table
 * @seen: descriptors of @table walked so far
 * @bufs: buffer descriptors of the chain so far, zero-length ones too
 * @in_table: walking an indirect table
 * @writable: a device-writable buffer was seen
 */
struct chain {
	uint64_t table;
	unsigned int entries;
	unsigned int seen;
	unsigned int bufs;
	bool in_table;
	bool writable;
};

static int __attribute__((format(printf, 2, 3)))
fault(struct hvd_vq *vq, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vq->broken = true;
	hvd_dev_log(vq->svc, HVD_LOG_WARNING, "%s: %s", vq->name, msg);
	return -EIO;
}

/*
 * The rings' 16-bit fields are written by the other side while we look,
 * so they are accessed with single atomic loads and stores: a plain
 * access could tear, or be repeated by the compiler after we checked it.
 * The rings' alignment (2.7) and the page-aligned mapping of guest RAM
 * make each field naturally aligned in the host.
 */
static uint16_t *ring16(const struct hvd_vq *vq, uint64_t gpa)
{
	return vq->svc->mem_ptr(vq->svc->ctx, gpa, sizeof(uint16_t));
}

static uint16_t load16(const uint16_t *p)
{
	return le16toh(__atomic_load_n(p, __ATOMIC_RELAXED));
}

static void store16(uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, htole16(v), __ATOMIC_RELAXED);
}

/* avail->ring[size] and used->ring[size] (2.7.6, 2.7.8). */
static uint64_t used_event_gpa(const struct hvd_vq *vq)
{
	return vq->avail + AVAIL_RING + 2ull * vq->size;
}

static uint64_t avail_event_gpa(const struct hvd_vq *vq)
{
	return vq->used + AVAIL_RING + (uint64_t)USED_ELEM_SIZE * vq->size;
}

/* virtq_need_event() of virtio 1.2 appendix A (virtio_queue.h). */
static bool need_event(uint16_t event, uint16_t new, uint16_t old)
{
	return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

/**
 * hvd_vq_init() - set up a queue, disabled
 * @vq: the queue
 * @svc: the model's services, for guest memory and log lines
 * @name: the queue's name in log lines; must outlive @vq
 */
void hvd_vq_init(struct hvd_vq *vq, const struct hvd_services *svc,
		 const char *name)
{
	*vq = (struct hvd_vq){ .svc = svc, .name = name };
}

/**
 * hvd_vq_reset() - return a queue to its state after hvd_vq_init()
 * @vq: the queue
 *
 * Disabled and no longer broken; guest memory is not touched (the driver
 * owns the rings again after a device reset, 2.4).
 */
void hvd_vq_reset(struct hvd_vq *vq)
{
	hvd_vq_init(vq, vq->svc, vq->name);
}

static int __attribute__((format(printf, 2, 3)))
reject(struct hvd_vq *vq, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hvd_dev_log(vq->svc, HVD_LOG_WARNING, "%s: %s", vq->name, msg);
	return -EINVAL;
}

static bool in_ram(const struct hvd_vq *vq, uint64_t gpa, uint64_t len)
{
	return vq->svc->mem_ptr(vq->svc->ctx, gpa, len);
}

/**
 * hvd_vq_enable() - start a queue on the rings the driver set up
 * @vq: the queue; whatever state it had is reset first
 * @size: queue size the driver chose
 * @desc: guest-physical address of the descriptor table
 * @avail: guest-physical address of the available ring
 * @used: guest-physical address of the used ring
 * @event_idx: VIRTIO_F_EVENT_IDX was negotiated
 * @indirect: VIRTIO_F_INDIRECT_DESC was negotiated
 *
 * Checks the layout against 2.7's table (alignment, and the sizes that
 * include used_event and avail_event whether or not event_idx is on) and
 * that RAM backs each ring. Reads nothing from the rings: the indices
 * start at 0, as after a reset.
 *
 * Return: 0, or -EINVAL (logged, @vq left disabled) if @size is 0, not a
 * power of two or above HVD_VQ_MAX_SIZE, a ring is misaligned, or RAM
 * does not back all of a ring.
 */
int hvd_vq_enable(struct hvd_vq *vq, uint16_t size, uint64_t desc,
		  uint64_t avail, uint64_t used, bool event_idx, bool indirect)
{
	uint64_t desc_len = (uint64_t)DESC_SIZE * size;
	uint64_t avail_len = 6 + 2ull * size;
	uint64_t used_len = 6 + (uint64_t)USED_ELEM_SIZE * size;

	hvd_vq_reset(vq);
	if (!size || (size & (size - 1)) || size > HVD_VQ_MAX_SIZE)
		return reject(vq, "queue size %u not a power of two up to %u",
			      size, HVD_VQ_MAX_SIZE);
	if (desc % 16)
		return reject(vq, "descriptor table 0x%llx not 16-byte aligned",
			      (unsigned long long)desc);
	if (avail % 2)
		return reject(vq, "available ring 0x%llx not 2-byte aligned",
			      (unsigned long long)avail);
	if (used % 4)
		return reject(vq, "used ring 0x%llx not 4-byte aligned",
			      (unsigned long long)used);
	if (!in_ram(vq, desc, desc_len))
		return reject(vq, "descriptor table 0x%llx+0x%llx outside RAM",
			      (unsigned long long)desc,
			      (unsigned long long)desc_len);
	if (!in_ram(vq, avail, avail_len))
		return reject(vq, "available ring 0x%llx+0x%llx outside RAM",
			      (unsigned long long)avail,
			      (unsigned long long)avail_len);
	if (!in_ram(vq, used, used_len))
		return reject(vq, "used ring 0x%llx+0x%llx outside RAM",
			      (unsigned long long)used,
			      (unsigned long long)used_len);
	vq->size = size;
	vq->desc = desc;
	vq->avail = avail;
	vq->used = used;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	vq->enabled = true;
	return 0;
}

static const char *where(const struct chain *c)
{
	return c->in_table ? "indirect desc" : "desc";
}

/* Read descriptor @i of the table being walked, once, into @d. */
static bool read_desc(struct hvd_vq *vq, const struct chain *c, unsigned int i,
		      struct virtq_desc *d)
{
	if (vq->svc->mem_read(vq->svc->ctx, c->table + (uint64_t)DESC_SIZE * i,
			      d, sizeof(*d)))
		return false;
	d->addr = le64toh(d->addr);
	d->len = le32toh(d->len);
	d->flags = le16toh(d->flags);
	d->next = le16toh(d->next);
	return true;
}

/* Descriptor @i refers to an indirect table: check it and walk into it. */
static int enter_table(struct hvd_vq *vq, struct chain *c, unsigned int i,
		       const struct virtq_desc *d)
{
	/* 2.7.5.3.1: the driver MUST NOT do any of these. */
	if (!vq->indirect)
		return fault(vq, "desc %u: INDIRECT not negotiated", i);
	if (c->in_table)
		return fault(vq,
			     "indirect desc %u: INDIRECT in an indirect table",
			     i);
	if (d->flags & VIRTQ_DESC_F_NEXT)
		return fault(vq, "desc %u: INDIRECT with NEXT", i);
	/* 2.7.5.3: the table is an array of 16-byte descriptors. */
	if (!d->len)
		return fault(vq, "desc %u: empty indirect table", i);
	if (d->len % DESC_SIZE)
		return fault(vq, "desc %u: indirect table length %u %% 16 != 0",
			     i, d->len);
	if (!in_ram(vq, d->addr, d->len))
		return fault(vq,
			     "desc %u: indirect table 0x%llx+0x%x outside RAM",
			     i, (unsigned long long)d->addr, d->len);
	/* 2.7.5.3.2: the WRITE flag of this descriptor means nothing. */
	c->table = d->addr;
	c->entries = d->len / DESC_SIZE;
	c->seen = 0;
	c->in_table = true;
	return 0;
}

/* Descriptor @i is a buffer: check it and add it to @e. */
static int add_buf(struct hvd_vq *vq, struct hvd_vq_elem *e, struct chain *c,
		   unsigned int i, const struct virtq_desc *d)
{
	bool write = d->flags & VIRTQ_DESC_F_WRITE;

	/*
	 * 2.7.4.1 lets a device limit the descriptors of a chain; counting
	 * the empty ones too bounds the walk of a huge indirect table.
	 */
	if (++c->bufs > HVD_VQ_MAX_SEGS)
		return fault(vq, "chain of more than %u buffers",
			     HVD_VQ_MAX_SEGS);
	/* 2.7.4.2: device-writable buffers come last. */
	if (!write && c->writable)
		return fault(vq, "%s %u: device-readable after device-writable",
			     where(c), i);
	/*
	 * The used length is 32 bits (2.7.8), and 2.7.5.2 caps a chain at
	 * 2^32 bytes in all. Checked before RAM, so that the sums cannot
	 * wrap whatever the lengths are.
	 */
	if (write) {
		c->writable = true;
		e->in_len += d->len;
		if (e->in_len > UINT32_MAX)
			return fault(vq, "%s %u: writable bytes exceed 32 bits",
				     where(c), i);
	} else {
		e->out_len += d->len;
		if (e->out_len > UINT32_MAX)
			return fault(vq, "%s %u: readable bytes exceed 32 bits",
				     where(c), i);
	}
	if (e->out_len + e->in_len > (1ull << 32))
		return fault(vq, "%s %u: chain of more than 2^32 bytes",
			     where(c), i);
	/* An empty buffer names no memory: nothing to check or list. */
	if (!d->len)
		return 0;
	if (!in_ram(vq, d->addr, d->len))
		return fault(vq, "%s %u: buffer 0x%llx+0x%x outside RAM",
			     where(c), i, (unsigned long long)d->addr, d->len);
	e->seg[e->nr++] = (struct hvd_vq_seg){ .gpa = d->addr,
					       .len = d->len,
					       .write = write };
	if (!write)
		e->nr_out = e->nr;
	return 0;
}

/* 2.7.5: no chain is longer than its table; 2.7.5.2: no loops. */
static int too_long(struct hvd_vq *vq, const struct chain *c)
{
	if (c->in_table)
		return fault(vq, "indirect chain longer than its %u entries",
			     c->entries);
	return fault(vq, "chain longer than the queue size %u", c->entries);
}

/*
 * Walk the chain at @head into @e: zero or more descriptors of the queue's
 * table, the last of which may refer to an indirect table, whose chain
 * then ends the walk (2.7.5.3.2). Each table bounds its part of the walk
 * by its entries, so a loop ends in a fault rather than forever.
 */
static int walk(struct hvd_vq *vq, uint16_t head, struct hvd_vq_elem *e)
{
	struct chain c = { .table = vq->desc, .entries = vq->size };
	struct virtq_desc d;
	unsigned int i = head;
	int ret;

	e->head = head;
	e->nr = 0;
	e->nr_out = 0;
	e->out_len = 0;
	e->in_len = 0;
	for (;;) {
		if (++c.seen > c.entries)
			return too_long(vq, &c);
		if (!read_desc(vq, &c, i, &d))
			return fault(vq, "%s %u outside RAM", where(&c), i);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			ret = enter_table(vq, &c, i, &d);
			if (ret)
				return ret;
			i = 0;
			continue;
		}
		ret = add_buf(vq, e, &c, i, &d);
		if (ret)
			return ret;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		if (d.next >= c.entries)
			return fault(vq,
				     "%s %u: next %u out of range (%u entries)",
				     where(&c), i, d.next, c.entries);
		i = d.next;
	}
}

/**
 * hvd_vq_pop() - take the next chain the driver made available
 * @vq: the queue
 * @e: filled with the chain; undefined unless 1 is returned
 *
 * Reads avail->idx, the ring entry and each descriptor once, and checks
 * every rule of 2.7.4-2.7.6 a device can see: indices in range, no loops,
 * indirect tables as 2.7.5.3 allows them, every buffer in RAM, readable
 * before writable, lengths that fit the used ring's 32 bits.
 *
 * Return: 1 if @e holds a chain (last_avail advanced); 0 if none is
 * available or the queue is disabled; -EIO if the driver broke the queue:
 * @vq->broken is set with one log line naming the fault, and every call
 * until hvd_vq_reset() returns -EIO without touching guest memory.
 */
int hvd_vq_pop(struct hvd_vq *vq, struct hvd_vq_elem *e)
{
	uint16_t *p, idx, pending, head;
	int ret;

	if (vq->broken)
		return -EIO;
	if (!vq->enabled)
		return 0;
	p = ring16(vq, vq->avail + 2);
	if (!p)
		return fault(vq, "available ring outside RAM");
	idx = load16(p);
	pending = idx - vq->last_avail;
	if (!pending)
		return 0;
	/*
	 * The ring holds at most size entries, and the index never goes
	 * back (2.7.6.1): anything else is not a driver's doing.
	 */
	if (pending > vq->size)
		return fault(vq, "avail idx %u is %u ahead of %u (size %u)",
			     idx, pending, vq->last_avail, vq->size);
	/*
	 * Pairs with the driver's barrier before it updates idx (2.7.13.3.1):
	 * the ring entry and descriptors are read after idx, and are what
	 * the driver wrote before it.
	 */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	p = ring16(vq, vq->avail + AVAIL_RING +
			       2ull * (vq->last_avail & (vq->size - 1)));
	if (!p)
		return fault(vq, "available ring outside RAM");
	head = load16(p);
	if (head >= vq->size)
		return fault(vq, "head %u out of range (size %u)", head,
			     vq->size);
	ret = walk(vq, head, e);
	if (ret)
		return ret;
	vq->last_avail++;
	return 1;
}

/**
 * hvd_vq_unpop() - give back the chain hvd_vq_pop() took last
 * @vq: the queue
 *
 * For a device that found, after taking a buffer, that it has nothing to
 * put in it (a tap with no packet): the chain is taken again by the next
 * pop. Only the last chain popped, before anything was pushed for it.
 */
void hvd_vq_unpop(struct hvd_vq *vq)
{
	if (vq->enabled && !vq->broken && vq->used_idx != vq->last_avail)
		vq->last_avail--;
}

/**
 * hvd_vq_push() - return a chain to the driver through the used ring
 * @vq: the queue
 * @head: the chain's head, as hvd_vq_pop() gave it
 * @len: bytes the device wrote into the chain's device-writable buffers
 *
 * Writes the used element, then publishes used->idx after it (2.7.8.2:
 * len before idx). Chains may be pushed in any order.
 *
 * Return: 0; -EIO if the queue is broken; -EINVAL (logged: a bug of the
 * device, not the driver) if the queue is disabled, @head is not below
 * the queue size or every popped chain was pushed already.
 */
int hvd_vq_push(struct hvd_vq *vq, uint16_t head, uint32_t len)
{
	struct {
		uint32_t id;
		uint32_t len;
	} elem = { htole32(head), htole32(len) };
	uint64_t gpa;
	uint16_t *p;

	if (vq->broken)
		return -EIO;
	if (!vq->enabled) {
		hvd_dev_log(vq->svc, HVD_LOG_ERR, "%s: push while disabled",
			    vq->name);
		return -EINVAL;
	}
	if (head >= vq->size) {
		hvd_dev_log(vq->svc, HVD_LOG_ERR,
			    "%s: push of head %u out of range (size %u)",
			    vq->name, head, vq->size);
		return -EINVAL;
	}
	if (vq->used_idx == vq->last_avail) {
		hvd_dev_log(vq->svc, HVD_LOG_ERR,
			    "%s: push of head %u with no chain outstanding",
			    vq->name, head);
		return -EINVAL;
	}
	gpa = vq->used + AVAIL_RING +
	      (uint64_t)USED_ELEM_SIZE * (vq->used_idx & (vq->size - 1));
	if (vq->svc->mem_write(vq->svc->ctx, gpa, &elem, sizeof(elem)))
		return fault(vq, "used ring outside RAM");
	p = ring16(vq, vq->used + 2);
	if (!p)
		return fault(vq, "used ring outside RAM");
	/* The element before the index that hands it over (2.7.8.2). */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	vq->used_idx++;
	store16(p, vq->used_idx);
	return 0;
}

/**
 * hvd_vq_need_interrupt() - whether the driver wants a used buffer
 * notification for the chains pushed since the last call
 * @vq: the queue
 *
 * Without event_idx, unless avail->flags has VIRTQ_AVAIL_F_NO_INTERRUPT;
 * with it, if used->idx passed used_event since the last call (2.7.7.2).
 * The first call after enable or reset always says yes.
 *
 * Return: true if the device should interrupt; false if not, or if the
 * queue is disabled or broken.
 */
bool hvd_vq_need_interrupt(struct hvd_vq *vq)
{
	uint16_t *p, old;
	bool valid;

	if (vq->broken || !vq->enabled)
		return false;
	/*
	 * Our used->idx store before the read of flags or used_event; the
	 * driver re-enabling interrupts does the mirror image (its write,
	 * a full barrier, its re-read of used->idx, 2.7.14), so one of us
	 * sees the other's update.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vq->event_idx) {
		p = ring16(vq, vq->avail);
		/* 2.7.7.1: the driver handles spurious interrupts. */
		return !p || !(load16(p) & VIRTQ_AVAIL_F_NO_INTERRUPT);
	}
	old = vq->signalled_used;
	valid = vq->signalled_valid;
	vq->signalled_used = vq->used_idx;
	vq->signalled_valid = true;
	if (!valid)
		return true;
	p = ring16(vq, used_event_gpa(vq));
	return !p || need_event(load16(p), vq->used_idx, old);
}

/**
 * hvd_vq_set_notify() - ask the driver to notify of new buffers, or not
 * @vq: the queue
 * @on: notify when a buffer is made available
 *
 * Without event_idx, clears or sets VIRTQ_USED_F_NO_NOTIFY in used->flags.
 * With it, on writes avail_event = last_avail: notify when the buffer
 * after those taken arrives; off writes nothing, since a driver past the
 * stale avail_event does not notify again (2.7.10). Turning on ends with
 * a full barrier: a caller that then sees !hvd_vq_avail() may sleep, as
 * a buffer made available after the check comes with a notification.
 */
void hvd_vq_set_notify(struct hvd_vq *vq, bool on)
{
	uint16_t *p;

	if (vq->broken || !vq->enabled)
		return;
	if (vq->event_idx) {
		if (!on)
			return;
		p = ring16(vq, avail_event_gpa(vq));
		if (p)
			store16(p, vq->last_avail);
	} else {
		p = ring16(vq, vq->used);
		if (p)
			store16(p, on ? 0 : VIRTQ_USED_F_NO_NOTIFY);
	}
	/*
	 * The flag or event store before the caller's re-read of avail->idx;
	 * pairs with the driver's barrier between its idx update and its
	 * read of them (2.7.13.4.1).
	 */
	if (on)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/**
 * hvd_vq_avail() - whether the driver made a chain available
 * @vq: the queue
 *
 * Return: true if avail->idx is not last_avail; false if not, or if the
 * queue is disabled or broken.
 */
bool hvd_vq_avail(struct hvd_vq *vq)
{
	uint16_t *p;

	if (vq->broken || !vq->enabled)
		return false;
	p = ring16(vq, vq->avail + 2);
	return p && load16(p) != vq->last_avail;
}

/*
 * Copy @e's readable bytes into @dst, or @src into its writable bytes (one
 * of the two is NULL), from byte @off of those on.
 */
/**
 * hvd_vq_iov() - the host addresses of part of a chain, for readv/writev
 * @vq: the queue
 * @e: a chain from hvd_vq_pop()
 * @write: its device-writable part (else the device-readable one)
 * @off: the first byte of that part
 * @len: bytes from there
 * @iov: receives an entry per buffer (room for @e->nr)
 *
 * The guest may change the bytes at any time; the buffers stay RAM.
 *
 * Return: entries written, or -1 if the part has fewer than @off + @len
 * bytes or a buffer is no longer RAM.
 */
int hvd_vq_iov(struct hvd_vq *vq, const struct hvd_vq_elem *e, bool write,
	       uint64_t off, uint64_t len, struct iovec *iov)
{
	unsigned int i = write ? e->nr_out : 0;
	unsigned int last = write ? e->nr : e->nr_out;
	int n = 0;

	for (; i < last && len; i++) {
		uint64_t seg = e->seg[i].len;
		uint64_t take;
		void *p;

		if (off >= seg) {
			off -= seg;
			continue;
		}
		take = seg - off < len ? seg - off : len;
		p = vq->svc->mem_ptr(vq->svc->ctx, e->seg[i].gpa + off, take);
		if (!p)
			return -1;
		iov[n].iov_base = p;
		iov[n].iov_len = take;
		n++;
		len -= take;
		off = 0;
	}
	return len ? -1 : n;
}

static size_t copy(struct hvd_vq *vq, const struct hvd_vq_elem *e, uint64_t off,
		   void *dst, const void *src, size_t len)
{
	bool to_guest = src;
	unsigned int i = to_guest ? e->nr_out : 0;
	unsigned int end = to_guest ? e->nr : e->nr_out;
	size_t done = 0;

	if (vq->broken || !vq->enabled)
		return 0;
	for (; i < end && done < len; i++) {
		const struct hvd_vq_seg *s = &e->seg[i];
		size_t n;
		int ret;

		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		n = s->len - off;
		if (n > len - done)
			n = len - done;
		if (to_guest)
			ret = vq->svc->mem_write(vq->svc->ctx, s->gpa + off,
						 (const uint8_t *)src + done,
						 n);
		else
			ret = vq->svc->mem_read(vq->svc->ctx, s->gpa + off,
						(uint8_t *)dst + done, n);
		if (ret)
			break;
		done += n;
		off = 0;
	}
	return done;
}

/**
 * hvd_vq_read() - copy from a chain's device-readable bytes
 * @vq: the queue @e was popped from
 * @e: the chain
 * @off: first byte to copy, counted across the readable buffers
 * @buf: destination
 * @len: bytes wanted
 *
 * Return: bytes copied: fewer than @len if the readable bytes end first,
 * 0 if the queue was reset or broke since the pop.
 */
size_t hvd_vq_read(struct hvd_vq *vq, const struct hvd_vq_elem *e, uint64_t off,
		   void *buf, size_t len)
{
	return copy(vq, e, off, buf, NULL, len);
}

/**
 * hvd_vq_write() - copy into a chain's device-writable bytes
 * @vq: the queue @e was popped from
 * @e: the chain
 * @off: first byte to fill, counted across the writable buffers
 * @buf: source
 * @len: bytes to copy
 *
 * Return: bytes copied: fewer than @len if the writable bytes end first,
 * 0 if the queue was reset or broke since the pop.
 */
size_t hvd_vq_write(struct hvd_vq *vq, const struct hvd_vq_elem *e,
		    uint64_t off, const void *buf, size_t len)
{
	return copy(vq, e, off, NULL, buf, len);
}
