// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-blk on a raw image (virtio 1.2, 5.2): one request queue; reads,
 * writes, flushes, the serial id, discard and write-zeroes.
 *
 * A request is a device-readable header (type, sector), the data, and a
 * device-writable status byte last (5.2.6). Data moves between the image
 * and guest RAM without a copy: the buffers become the iovec of an
 * asynchronous read or write of the image (the worker's io_uring; the
 * guest may change them meanwhile, which only changes what it reads or
 * writes), and its completion writes the status and returns the chain,
 * in whatever order they complete. A reset forgets the requests in
 * flight: their completions change nothing the driver sees. A request outside the disk
 * fails with IOERR and a write to a read-only disk with IOERR, as QEMU
 * does; a request without room for its status byte or without a whole
 * header is a driver error that needs a reset.
 *
 * Discard punches a hole and write-zeroes zeroes a range in the image
 * (fallocate(2)); where the file system cannot, discard answers UNSUPP and
 * write-zeroes writes zeroes.
 *
 * An image opened with O_DIRECT takes only transfers aligned to its
 * logical block size (dio.c). The driver still sees 512-byte blocks
 * (blk_size, 5.2.4, which a Linux guest takes as its logical block
 * size): a larger one would move the partitions of an image made with
 * 512-byte sectors, as QEMU does not either. A request that does not fit
 * moves through a bounce buffer of the whole blocks around it: a read
 * reads them and copies the part asked for out; a write that covers only
 * part of a block reads that block, then writes it back, both at once
 * under the device lock, so that two such writes to different sectors of
 * one block cannot undo each other.
 */
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dio.h"
#include "virtio_pci.h"

#define BLK_QUEUE_SIZE	256
#define BLK_SEG_MAX	(BLK_QUEUE_SIZE - 2)	/* header and status aside */
#define BLK_MAX_IOV	HVD_VQ_MAX_SEGS
#define SECTOR		512ull

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_BLK_SIZE	6
#define VIRTIO_BLK_F_FLUSH	9
#define VIRTIO_BLK_F_DISCARD	13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

/* Request types and status (5.2.6). */
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_T_GET_ID	8
#define VIRTIO_BLK_T_DISCARD	11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2
#define VIRTIO_BLK_ID_BYTES	20
#define WZ_UNMAP		0x1

/* struct virtio_blk_config offsets (5.2.4). */
#define CFG_CAPACITY		0
#define CFG_SEG_MAX		12
#define CFG_BLK_SIZE		20
#define CFG_MAX_DISCARD_SECTORS	36
#define CFG_MAX_DISCARD_SEG	40
#define CFG_DISCARD_ALIGN	44
#define CFG_MAX_WZ_SECTORS	48
#define CFG_MAX_WZ_SEG		52
#define CFG_WZ_MAY_UNMAP	56
#define CFG_SIZE		60

#define MAX_RANGE_SECTORS	0x400000u	/* 2 GiB per range */
#define MAX_RANGES		16

/**
 * struct virtio_blk - the device
 * @v: the transport, first (virtio_pci.h)
 * @ops: its description (the features depend on the backend)
 * @fd: the image
 * @size: its bytes
 * @ro: read-only
 * @direct: @fd has O_DIRECT
 * @blk_align: O_DIRECT's offset and length alignment, else SECTOR
 * @mem_align: O_DIRECT's buffer address alignment, else 1
 * @elem: the request being served
 * @iov: its data buffers
 * @inflight: requests started and not completed
 * @gen: changes at each reset (a completion from before is dropped)
 */
struct virtio_blk {
	struct hvd_virtio v;
	struct hvd_virtio_ops ops;
	int fd;
	uint64_t size;
	bool ro;
	bool direct;
	unsigned int blk_align;
	unsigned int mem_align;
	struct hvd_vq_elem elem;
	struct iovec iov[BLK_MAX_IOV];
	struct blk_req *inflight;
	unsigned int gen;
};

/**
 * struct blk_req - a read, write or flush in flight
 * @aio: the request to the worker, first
 * @b: its device
 * @next: the next in @b->inflight
 * @gen: @b->gen when it started
 * @head: its chain
 * @status_at: where its status byte goes
 * @want: bytes it must move to succeed
 * @used: bytes it writes into the chain on success
 * @bounce: an aligned buffer the I/O uses instead of @iov, or NULL
 * @skip: bytes of @bounce before the request's data
 * @len: bytes of the request's data
 * @cnt: entries of @iov
 * @biov: the one entry of @bounce
 * @iov: its buffers
 */
struct blk_req {
	struct hvd_aio aio;
	struct virtio_blk *b;
	struct blk_req *next;
	unsigned int gen;
	uint16_t head;
	uint64_t status_at;
	uint64_t want;
	uint32_t used;
	void *bounce;
	uint64_t skip;
	uint64_t len;
	int cnt;
	struct iovec biov;
	struct iovec iov[];
};

/* The request header (5.2.6). */
struct blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* A discard or write-zeroes range (5.2.6). */
struct blk_range {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = v >> (8 * i);
}

static bool in_disk(const struct virtio_blk *b, uint64_t sector, uint64_t len)
{
	return sector <= b->size / SECTOR &&
	       len <= b->size - sector * SECTOR;
}

/*
 * Where the status byte of the chain in @b->elem goes: the last byte of
 * its device-writable part (5.2.6).
 */
static uint64_t status_gpa(const struct hvd_vq_elem *e)
{
	const struct hvd_vq_seg *last = &e->seg[e->nr - 1];

	return last->gpa + last->len - 1;
}

static void finish(struct virtio_blk *b, uint16_t head, uint64_t status_at,
		   uint8_t status, uint32_t used)
{
	const struct hvd_services *svc = b->v.svc;

	/* It was RAM when the chain was taken, and RAM does not move. */
	svc->mem_write(svc->ctx, status_at, &status, 1);
	hvd_virtio_push(&b->v, 0, head, used + 1);
}

static void req_done(struct hvd_aio *aio, long res)
{
	struct blk_req *r = (struct blk_req *)aio;
	struct virtio_blk *b = r->b;
	struct blk_req **p;

	for (p = &b->inflight; *p; p = &(*p)->next) {
		if (*p == r) {
			*p = r->next;
			break;
		}
	}
	/* A reset since: the driver has forgotten the request. */
	if (r->gen == b->gen) {
		bool ok = res == (long)r->want;

		if (ok && r->bounce && r->aio.op == HVD_AIO_READ)
			hvd_iov_from_buf(r->iov, r->cnt,
					 (uint8_t *)r->bounce + r->skip,
					 r->len);
		finish(b, r->head, r->status_at,
		       ok ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR,
		       ok ? r->used : 0);
	}
	free(r->bounce);
	free(r);
}

/* The whole block of the image at @pos into @buf, or -1. */
static int read_block(struct virtio_blk *b, void *buf, uint64_t pos)
{
	ssize_t n;

	do
		n = pread(b->fd, buf, b->blk_align, pos);
	while (n < 0 && errno == EINTR);
	return n == b->blk_align ? 0 : -1;
}

/*
 * Make @r move @len bytes at image offset @pos through an aligned buffer
 * of the whole blocks around them. Return: 0, or -1 if out of memory or
 * a partly written block could not be read.
 */
static int bounce(struct virtio_blk *b, struct blk_req *r, uint64_t pos,
		  uint64_t len)
{
	uint64_t start = hvd_dio_start(pos, b->blk_align);
	uint64_t span = hvd_dio_span(pos, len, b->blk_align);
	size_t align = b->mem_align > 4096 ? b->mem_align : 4096;
	uint8_t *buf;

	if (posix_memalign(&r->bounce, align, span)) {
		r->bounce = NULL;
		return -1;
	}
	buf = r->bounce;
	r->skip = pos - start;
	r->len = len;
	if (r->aio.op == HVD_AIO_WRITE) {
		if (r->skip && read_block(b, buf, start))
			return -1;
		if ((pos + len) & (b->blk_align - 1) &&
		    (span > b->blk_align || !r->skip) &&
		    read_block(b, buf + span - b->blk_align,
			       start + span - b->blk_align))
			return -1;
		hvd_iov_to_buf(r->iov, r->cnt, buf + r->skip, len);
	}
	r->biov = (struct iovec){ .iov_base = buf, .iov_len = span };
	r->aio.iov = &r->biov;
	r->aio.iovcnt = 1;
	r->aio.off = start;
	r->want = span;
	return 0;
}

/*
 * Start a read, write or flush of @len bytes at @sector, whose buffers
 * are @len bytes of @b->elem from byte @off of its readable (write) or
 * writable (read) part. Return: 0 if started (the status comes with its
 * completion), else the status to answer at once.
 */
static int submit(struct virtio_blk *b, enum hvd_aio_op op, uint64_t sector,
		  uint64_t off, uint64_t len)
{
	struct blk_req *r;
	int cnt = 0;

	if (op != HVD_AIO_FLUSH) {
		cnt = hvd_vq_iov(&b->v.q[0].vq, &b->elem, op == HVD_AIO_READ,
				 off, len, b->iov);
		if (cnt < 0)
			return VIRTIO_BLK_S_IOERR;
	}
	r = malloc(sizeof(*r) + cnt * sizeof(struct iovec));
	if (!r)
		return VIRTIO_BLK_S_IOERR;
	memcpy(r->iov, b->iov, cnt * sizeof(struct iovec));
	r->aio = (struct hvd_aio){
		.op = op,
		.fd = b->fd,
		.iov = r->iov,
		.iovcnt = cnt,
		.off = sector * SECTOR,
		.done = req_done,
	};
	r->b = b;
	r->bounce = NULL;
	r->cnt = cnt;
	r->gen = b->gen;
	r->head = b->elem.head;
	r->status_at = status_gpa(&b->elem);
	r->want = op == HVD_AIO_FLUSH ? 0 : len;
	r->used = op == HVD_AIO_READ ? len : 0;
	if (b->direct && op != HVD_AIO_FLUSH &&
	    !hvd_dio_aligned(r->iov, cnt, r->aio.off, b->mem_align,
			     b->blk_align) &&
	    bounce(b, r, r->aio.off, len)) {
		free(r->bounce);
		free(r);
		return VIRTIO_BLK_S_IOERR;
	}
	r->next = b->inflight;
	b->inflight = r;
	if (r->bounce && op == HVD_AIO_WRITE && r->want != r->len) {
		ssize_t n;

		/* The read-modify-write, whole, before the next request. */
		do
			n = pwrite(b->fd, r->bounce, r->want, r->aio.off);
		while (n < 0 && errno == EINTR);
		req_done(&r->aio, n < 0 ? -errno : n);
		return 0;
	}
	b->v.svc->aio_submit(b->v.svc->ctx, &r->aio);
	return 0;
}

static int do_read(struct virtio_blk *b, uint64_t sector)
{
	uint64_t len = b->elem.in_len - 1;

	if (len % SECTOR || !in_disk(b, sector, len))
		return VIRTIO_BLK_S_IOERR;
	return submit(b, HVD_AIO_READ, sector, 0, len);
}

static int do_write(struct virtio_blk *b, uint64_t sector)
{
	uint64_t len = b->elem.out_len - sizeof(struct blk_hdr);

	if (b->ro || len % SECTOR || !in_disk(b, sector, len))
		return VIRTIO_BLK_S_IOERR;
	return submit(b, HVD_AIO_WRITE, sector, sizeof(struct blk_hdr), len);
}

static uint8_t do_get_id(struct virtio_blk *b, uint32_t *used)
{
	char id[VIRTIO_BLK_ID_BYTES] = { 0 };
	const struct hvd_backend *be = b->v.cfg->backend;
	uint64_t room = b->elem.in_len - 1;

	/* 5.2.6: up to 20 bytes, NUL-terminated only if shorter. */
	memcpy(id, be->serial, strnlen(be->serial, sizeof(id)));
	if (room > sizeof(id))
		room = sizeof(id);
	*used = hvd_vq_write(&b->v.q[0].vq, &b->elem, 0, id, room);
	return VIRTIO_BLK_S_OK;
}

static int zero_range(struct virtio_blk *b, uint64_t pos, uint64_t len)
{
	/* Aligned for O_DIRECT; a range of whole blocks is then too. */
	static const uint8_t zeroes[65536] __attribute__((aligned(4096)));

	while (len) {
		size_t n = len < sizeof(zeroes) ? len : sizeof(zeroes);
		ssize_t k = pwrite(b->fd, zeroes, n, pos);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		pos += k;
		len -= k;
	}
	return 0;
}

static uint8_t do_ranges(struct virtio_blk *b, uint32_t type)
{
	uint64_t data = b->elem.out_len - sizeof(struct blk_hdr);
	struct blk_range r;
	unsigned int i, nr;

	if (b->ro)
		return VIRTIO_BLK_S_IOERR;
	if (!data || data % sizeof(r) || data / sizeof(r) > MAX_RANGES)
		return VIRTIO_BLK_S_UNSUPP;
	nr = data / sizeof(r);
	for (i = 0; i < nr; i++) {
		uint64_t pos, len;
		int mode;

		hvd_vq_read(&b->v.q[0].vq, &b->elem,
			    sizeof(struct blk_hdr) + i * sizeof(r), &r,
			    sizeof(r));
		if (r.num_sectors > MAX_RANGE_SECTORS ||
		    (r.flags & ~(uint32_t)WZ_UNMAP) ||
		    (type == VIRTIO_BLK_T_DISCARD && r.flags))
			return VIRTIO_BLK_S_UNSUPP;
		pos = r.sector * SECTOR;
		len = (uint64_t)r.num_sectors * SECTOR;
		if (r.sector > b->size / SECTOR || !in_disk(b, r.sector, len))
			return VIRTIO_BLK_S_IOERR;
		if (type == VIRTIO_BLK_T_DISCARD || (r.flags & WZ_UNMAP))
			mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
		else
			mode = FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
		if (!len || !fallocate(b->fd, mode, pos, len))
			continue;
		if (type == VIRTIO_BLK_T_DISCARD)
			return errno == EOPNOTSUPP ? VIRTIO_BLK_S_UNSUPP :
						     VIRTIO_BLK_S_IOERR;
		if (zero_range(b, pos, len))
			return VIRTIO_BLK_S_IOERR;
	}
	return VIRTIO_BLK_S_OK;
}

static void serve(struct virtio_blk *b)
{
	struct hvd_vq *vq = &b->v.q[0].vq;
	struct blk_hdr h;
	uint32_t used = 0;
	int status;

	if (b->elem.out_len < sizeof(h) || b->elem.in_len < 1) {
		hvd_virtio_needs_reset(&b->v,
				       "a request without header or status");
		return;
	}
	hvd_vq_read(vq, &b->elem, 0, &h, sizeof(h));
	switch (h.type) {
	case VIRTIO_BLK_T_IN:
		status = do_read(b, h.sector);
		break;
	case VIRTIO_BLK_T_OUT:
		status = do_write(b, h.sector);
		break;
	case VIRTIO_BLK_T_FLUSH:
		status = submit(b, HVD_AIO_FLUSH, 0, 0, 0);
		break;
	case VIRTIO_BLK_T_GET_ID:
		status = do_get_id(b, &used);
		break;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		status = do_ranges(b, h.type);
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	/* 0 from a read, write or flush: its completion answers. */
	if (status || (h.type != VIRTIO_BLK_T_IN &&
		       h.type != VIRTIO_BLK_T_OUT &&
		       h.type != VIRTIO_BLK_T_FLUSH))
		finish(b, b->elem.head, status_gpa(&b->elem), status, used);
}

static void blk_serve(struct hvd_virtio *v, struct hvd_vq_elem *e)
{
	serve((struct virtio_blk *)v);
}

static void blk_notify(struct hvd_virtio *v, unsigned int q)
{
	struct virtio_blk *b = (struct virtio_blk *)v;

	hvd_virtio_serve(v, 0, &b->elem, blk_serve);
}

static void blk_reset(struct hvd_virtio *v)
{
	((struct virtio_blk *)v)->gen++;
}

static void blk_destroy(void *priv)
{
	struct virtio_blk *b = priv;

	/* The worker completes what is in flight first; a fake may not. */
	while (b->inflight) {
		struct blk_req *r = b->inflight;

		b->inflight = r->next;
		free(r->bounce);
		free(r);
	}
	hvd_virtio_mdestroy(priv);
}

static int blk_create(void *priv, const struct hvd_services *svc,
		      const struct hvd_config *cfg)
{
	struct virtio_blk *b = priv;
	const struct hvd_backend *be = cfg->backend;
	uint8_t *c = b->v.config;

	if (!be || be->fd < 0)
		return -EINVAL;
	b->fd = be->fd;
	b->size = be->size;
	b->ro = be->readonly;
	b->direct = be->direct;
	b->blk_align = be->direct && be->blk_align > SECTOR ? be->blk_align :
							      SECTOR;
	b->mem_align = be->direct && be->mem_align ? be->mem_align : 1;
	b->ops = (struct hvd_virtio_ops){
		.device_id = 2,
		.class_code = 0x010000, /* SCSI storage, as QEMU's */
		.nr_queues = 1,
		.queue_size = BLK_QUEUE_SIZE,
		.features = 1ull << VIRTIO_BLK_F_SEG_MAX |
			    1ull << VIRTIO_BLK_F_BLK_SIZE |
			    1ull << VIRTIO_BLK_F_FLUSH |
			    (b->ro ? 1ull << VIRTIO_BLK_F_RO :
				     1ull << VIRTIO_BLK_F_DISCARD |
					     1ull << VIRTIO_BLK_F_WRITE_ZEROES),
		.config_size = CFG_SIZE,
		.notify = blk_notify,
		.reset = blk_reset,
	};
	put_le(c + CFG_CAPACITY, b->size / SECTOR, 8);
	put_le(c + CFG_SEG_MAX, BLK_SEG_MAX, 4);
	put_le(c + CFG_BLK_SIZE, SECTOR, 4);
	put_le(c + CFG_MAX_DISCARD_SECTORS, MAX_RANGE_SECTORS, 4);
	put_le(c + CFG_MAX_DISCARD_SEG, MAX_RANGES, 4);
	put_le(c + CFG_DISCARD_ALIGN, 1, 4);
	put_le(c + CFG_MAX_WZ_SECTORS, MAX_RANGE_SECTORS, 4);
	put_le(c + CFG_MAX_WZ_SEG, MAX_RANGES, 4);
	c[CFG_WZ_MAY_UNMAP] = 1;
	return hvd_virtio_create(&b->v, &b->ops, "virtio_blk", svc, cfg);
}

const struct hvd_model virtio_blk_model = {
	.name = "virtio_blk",
	.priv_size = sizeof(struct virtio_blk),
	.create = blk_create,
	.destroy = blk_destroy,
	HVD_VIRTIO_MODEL_CALLBACKS,
};
