// SPDX-License-Identifier: GPL-2.0
/*
 * Asynchronous file I/O for the models (struct hvd_aio): one io_uring
 * per worker (liburing), whose completions an eventfd brings to the event
 * loop, which calls each request's done() under the device lock. Where
 * the host has no io_uring (an old kernel, io_uring_disabled, a
 * container's seccomp filter), a few threads run the requests instead
 * (aio_pool.c) and signal the same eventfd; they also take a request the
 * ring has no room for.
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
#define AIO_THREADS	4

static void ring_reap(struct hvd_vm *vm)
{
	struct io_uring_cqe *cqe;

	while (vm->uring && !io_uring_peek_cqe(vm->uring, &cqe)) {
		struct hvd_aio *req = io_uring_cqe_get_data(cqe);
		long res = cqe->res;

		io_uring_cqe_seen(vm->uring, cqe);
		vm->aio_inflight--;
		req->done(req, res);
	}
}

static void on_completion(void *opaque)
{
	struct hvd_vm *vm = opaque;
	uint64_t cnt;

	if (read(vm->aio_fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		return;
	ring_reap(vm);
	if (vm->pool)
		hvd_aio_pool_reap(vm->pool);
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
 * hvd_aio_init() - the worker's io_uring, or its thread pool
 * @vm: the VM
 *
 * The pool's threads start at its first request, after the sandbox.
 * HVD_TEST_NO_IO_URING in the environment makes it the pool, for tests.
 *
 * Return: 0 or a negative errno.
 */
int hvd_aio_init(struct hvd_vm *vm)
{
	struct io_uring_params p = { .flags = IORING_SETUP_R_DISABLED };
	const char *why = "HVD_TEST_NO_IO_URING";
	int err;

	vm->aio_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vm->aio_fd < 0)
		return -errno;
	err = hvd_notify_watch(vm, vm->aio_fd, on_completion, vm);
	if (err)
		return err;
	vm->uring = calloc(1, sizeof(*vm->uring));
	if (!vm->uring)
		return -ENOMEM;
	if (!getenv("HVD_TEST_NO_IO_URING")) {
		err = io_uring_queue_init_params(AIO_ENTRIES, vm->uring, &p);
		if (!err)
			err = restrict_ring(vm->uring);
		if (!err)
			err = io_uring_register_eventfd(vm->uring, vm->aio_fd);
		if (!err)
			return 0;
		if (vm->uring->ring_fd > 0)
			io_uring_queue_exit(vm->uring);
		why = strerror(-err);
	}
	free(vm->uring);
	vm->uring = NULL;
	vm->pool = hvd_aio_pool_new(AIO_THREADS, vm->aio_fd);
	if (!vm->pool)
		return -ENOMEM;
	hvd_info("vm %s: no io_uring (%s): disk I/O on %d threads",
		 vm->def->name, why, AIO_THREADS);
	return 0;
}

/**
 * hvd_aio_engine() - what runs the disks' requests
 * @vm: the VM, after hvd_aio_init()
 *
 * Return: "io_uring" or "threads".
 */
const char *hvd_aio_engine(const struct hvd_vm *vm)
{
	return vm->uring ? "io_uring" : "threads";
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
	if (!vm->pool)
		return;
	/* A done() may submit again (the models' do not). */
	do
		hvd_aio_pool_wait(vm->pool);
	while (hvd_aio_pool_reap(vm->pool));
}

/**
 * hvd_aio_fini() - close the ring, end the threads
 * @vm: the VM, its models destroyed
 */
void hvd_aio_fini(struct hvd_vm *vm)
{
	if (vm->aio_fd >= 0)
		hvd_notify_unwatch(vm, vm->aio_fd);
	hvd_aio_pool_free(vm->pool);
	vm->pool = NULL;
	if (vm->uring) {
		io_uring_queue_exit(vm->uring);
		free(vm->uring);
	}
	vm->uring = NULL;
	if (vm->aio_fd >= 0)
		close(vm->aio_fd);
	vm->aio_fd = -1;
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
		/* No ring, or a ring the kernel has not emptied. */
		if (!vm->pool)
			vm->pool = hvd_aio_pool_new(AIO_THREADS, vm->aio_fd);
		if (!vm->pool) {
			req->done(req, -ENOMEM);
			return;
		}
		hvd_aio_pool_submit(vm->pool, req);
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
