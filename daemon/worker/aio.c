// SPDX-License-Identifier: GPL-2.0
/*
 * Asynchronous file I/O for the models (struct hvd_aio): one io_uring
 * per worker (liburing), whose completions an eventfd brings to the event
 * loop, which calls each request's done() under the device lock. Where
 * the host has no io_uring (an old kernel, io_uring_disabled), requests
 * run synchronously in aio_submit() instead.
 *
 * The ring is made before the sandbox and restricted
 * (IORING_REGISTER_RESTRICTIONS) to the three operations the models use
 * on descriptors already open: a ring would otherwise let a worker that
 * a guest broke into open files or sockets past its seccomp filter,
 * which does not see io_uring's operations.
 */
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

#define AIO_ENTRIES	256

static void on_completion(void *opaque)
{
	struct hvd_vm *vm = opaque;
	struct io_uring_cqe *cqe;
	uint64_t cnt;

	if (read(vm->aio_fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		return;
	while (!io_uring_peek_cqe(vm->uring, &cqe)) {
		struct hvd_aio *req = io_uring_cqe_get_data(cqe);
		long res = cqe->res;

		io_uring_cqe_seen(vm->uring, cqe);
		vm->aio_inflight--;
		req->done(req, res);
	}
}

static int restrict_ring(struct io_uring *ring)
{
	static const uint8_t ops[] = { IORING_OP_READV, IORING_OP_WRITEV,
				       IORING_OP_FSYNC };
	struct io_uring_restriction res[4];
	unsigned int i;
	int err;

	memset(res, 0, sizeof(res));
	for (i = 0; i < sizeof(ops); i++) {
		res[i].opcode = IORING_RESTRICTION_SQE_OP;
		res[i].sqe_op = ops[i];
	}
	res[i].opcode = IORING_RESTRICTION_REGISTER_OP;
	res[i].register_op = IORING_REGISTER_EVENTFD;
	/* Debian's liburing 2.3 does not export the wrappers of these. */
	err = io_uring_register(ring->ring_fd, IORING_REGISTER_RESTRICTIONS,
				res, i + 1);
	if (err < 0)
		return err;
	err = io_uring_register(ring->ring_fd, IORING_REGISTER_ENABLE_RINGS,
				NULL, 0);
	return err < 0 ? err : 0;
}

/**
 * hvd_aio_init() - the worker's io_uring, if the host has one
 * @vm: the VM
 *
 * Return: 0 (without io_uring too), or a negative errno.
 */
int hvd_aio_init(struct hvd_vm *vm)
{
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	int err;

	vm->aio_fd = -1;
	vm->uring = calloc(1, sizeof(*vm->uring));
	if (!vm->uring)
		return -ENOMEM;
	err = io_uring_queue_init_params(AIO_ENTRIES, vm->uring, &p);
	if (!err)
		err = restrict_ring(vm->uring);
	if (err) {
		hvd_info("vm %s: no io_uring (%s): disk I/O is synchronous",
			 vm->def->name, strerror(-err));
		if (vm->uring->ring_fd > 0)
			io_uring_queue_exit(vm->uring);
		free(vm->uring);
		vm->uring = NULL;
		return 0;
	}
	vm->aio_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vm->aio_fd < 0)
		return -errno;
	err = io_uring_register_eventfd(vm->uring, vm->aio_fd);
	if (!err)
		err = hvd_notify_watch(vm, vm->aio_fd, on_completion, vm);
	return err;
}

/**
 * hvd_aio_drain() - finish every request in flight
 * @vm: the VM; vm->dev_lock held, no vCPU running
 *
 * Their done() runs, so the models can let go of them before they go.
 */
void hvd_aio_drain(struct hvd_vm *vm)
{
	struct io_uring_cqe *cqe;

	while (vm->uring && vm->aio_inflight) {
		struct hvd_aio *req;
		long res;

		/* Submitting what an earlier submit left, if anything. */
		if (io_uring_submit_and_wait(vm->uring, 1) < 0 ||
		    io_uring_peek_cqe(vm->uring, &cqe))
			break;
		req = io_uring_cqe_get_data(cqe);
		res = cqe->res;
		io_uring_cqe_seen(vm->uring, cqe);
		vm->aio_inflight--;
		req->done(req, res);
	}
}

/**
 * hvd_aio_fini() - close the ring
 * @vm: the VM, its models destroyed
 */
void hvd_aio_fini(struct hvd_vm *vm)
{
	if (vm->aio_fd >= 0) {
		hvd_notify_unwatch(vm, vm->aio_fd);
		close(vm->aio_fd);
	}
	vm->aio_fd = -1;
	if (vm->uring) {
		io_uring_queue_exit(vm->uring);
		free(vm->uring);
	}
	vm->uring = NULL;
}

static long run_sync(const struct hvd_aio *req)
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
	return n < 0 ? -errno : n;
}

/**
 * hvd_aio_submit() - start a model's request
 * @vm: the VM; vm->dev_lock held
 * @req: the request
 */
void hvd_aio_submit(struct hvd_vm *vm, struct hvd_aio *req)
{
	struct io_uring_sqe *sqe = NULL;

	if (vm->uring) {
		sqe = io_uring_get_sqe(vm->uring);
		if (!sqe) {
			io_uring_submit(vm->uring);
			sqe = io_uring_get_sqe(vm->uring);
		}
	}
	if (!sqe) {
		req->done(req, run_sync(req));
		return;
	}
	switch (req->op) {
	case HVD_AIO_READ:
		io_uring_prep_readv(sqe, req->fd, req->iov, req->iovcnt,
				    req->off);
		break;
	case HVD_AIO_WRITE:
		io_uring_prep_writev(sqe, req->fd, req->iov, req->iovcnt,
				     req->off);
		break;
	default:
		io_uring_prep_fsync(sqe, req->fd, IORING_FSYNC_DATASYNC);
		break;
	}
	io_uring_sqe_set_data(sqe, req);
	vm->aio_inflight++;
	/* A refusal leaves it queued for the next submit (or the drain). */
	io_uring_submit(vm->uring);
}
