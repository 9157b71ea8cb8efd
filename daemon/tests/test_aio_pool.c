// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the worker's thread pool (daemon/worker/aio_pool.c) with
 * real threads on an image in a memfd: every request completes once,
 * with the bytes it moved or its errno, signals the eventfd once, and has
 * its done() called only by hvd_aio_pool_reap() on the reaping thread;
 * without threads a request runs at submit but completes the same way;
 * a done() may submit again. Waits are bounded polls of the eventfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <cmocka.h>

#include "worker/worker.h"

#define NR_REQ		64
#define CHUNK		4096
#define IMG_SIZE	(NR_REQ * CHUNK)
#define WAIT_MS		10000

/**
 * struct req - a request and what the test saw of it
 * @aio: the request
 * @iov: its buffer
 * @buf: the buffer's bytes
 * @res: the result its done() got
 * @calls: times its done() ran
 * @order: how many done() calls there had been with its last one
 * @again: its done() submits it again, as a read at offset 0, once
 */
struct req {
	struct hvd_aio aio;
	struct iovec iov;
	uint8_t buf[CHUNK];
	long res;
	unsigned int calls;
	unsigned int order;
	bool again;
};

static struct req reqs[NR_REQ];
static struct hvd_aio_pool *pool;
static pthread_t reaper;
static bool reaping;
static unsigned int dones;
static int efd, img;

static uint8_t pattern(uint64_t i)
{
	return i * 13 + (i >> 12);
}

static void on_done(struct hvd_aio *aio, long res)
{
	struct req *r = (struct req *)aio;

	assert_true(reaping);
	assert_true(pthread_equal(pthread_self(), reaper));
	r->res = res;
	r->calls++;
	r->order = ++dones;
	if (r->again) {
		r->again = false;
		r->aio.op = HVD_AIO_READ;
		r->aio.iovcnt = 1;
		r->aio.off = 0;
		hvd_aio_pool_submit(pool, &r->aio);
	}
}

static unsigned int reap(void)
{
	unsigned int n;

	reaping = true;
	n = hvd_aio_pool_reap(pool);
	reaping = false;
	return n;
}

/* Reap until @want done() calls in all, each after the eventfd said so. */
static void reap_until(unsigned int want)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	uint64_t cnt;

	while (dones < want) {
		assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
		assert_int_equal(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));
		assert_true(cnt >= 1);
		reap();
	}
	assert_int_equal(dones, want);
}

static void prep(struct req *r, enum hvd_aio_op op, int fd, uint64_t off)
{
	r->iov = (struct iovec){ r->buf, CHUNK };
	r->aio = (struct hvd_aio){
		.op = op,
		.fd = fd,
		.iov = &r->iov,
		.iovcnt = op == HVD_AIO_FLUSH ? 0 : 1,
		.off = off,
		.done = on_done,
	};
	r->res = 0x7777;
	r->calls = 0;
	r->again = false;
}

static int setup(void **state)
{
	static uint8_t data[IMG_SIZE];
	unsigned int i;

	img = memfd_create("img", MFD_CLOEXEC);
	assert_true(img >= 0);
	for (i = 0; i < IMG_SIZE; i++)
		data[i] = pattern(i);
	assert_int_equal(pwrite(img, data, IMG_SIZE, 0), IMG_SIZE);
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	assert_true(efd >= 0);
	reaper = pthread_self();
	dones = 0;
	return 0;
}

static int teardown(void **state)
{
	hvd_aio_pool_free(pool);
	pool = NULL;
	close(efd);
	close(img);
	return 0;
}

static void reads_and_writes(void **state)
{
	uint8_t back[CHUNK];
	unsigned int i, j;

	pool = hvd_aio_pool_new(4, efd);
	assert_non_null(pool);
	/* Even chunks read, odd chunks written with their index. */
	for (i = 0; i < NR_REQ; i++) {
		prep(&reqs[i], i & 1 ? HVD_AIO_WRITE : HVD_AIO_READ, img,
		     (uint64_t)i * CHUNK);
		if (i & 1)
			memset(reqs[i].buf, i, CHUNK);
		hvd_aio_pool_submit(pool, &reqs[i].aio);
	}
	reap_until(NR_REQ);
	for (i = 0; i < NR_REQ; i++) {
		assert_int_equal(reqs[i].calls, 1);
		assert_int_equal(reqs[i].res, CHUNK);
		if (i & 1) {
			assert_int_equal(pread(img, back, CHUNK, i * CHUNK),
					 CHUNK);
			for (j = 0; j < CHUNK; j++)
				assert_int_equal(back[j], (uint8_t)i);
		} else {
			for (j = 0; j < CHUNK; j++)
				assert_int_equal(reqs[i].buf[j],
						 pattern(i * CHUNK + j));
		}
	}
	/* Nothing more signalled, nothing more to reap. */
	assert_int_equal(reap(), 0);
	assert_int_equal(dones, NR_REQ);
}

static void errors_and_short(void **state)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	pool = hvd_aio_pool_new(2, efd);
	assert_non_null(pool);
	prep(&reqs[0], HVD_AIO_READ, -1, 0);
	prep(&reqs[1], HVD_AIO_WRITE, 12345, 0);
	prep(&reqs[2], HVD_AIO_FLUSH, -1, 0);
	prep(&reqs[3], HVD_AIO_FLUSH, p[0], 0);
	prep(&reqs[4], HVD_AIO_FLUSH, img, 0);
	/* The last 512 bytes, then past the end. */
	prep(&reqs[5], HVD_AIO_READ, img, IMG_SIZE - 512);
	prep(&reqs[6], HVD_AIO_READ, img, IMG_SIZE);
	/* A pipe has no offsets. */
	prep(&reqs[7], HVD_AIO_WRITE, p[0], 0);
	for (unsigned int i = 0; i < 8; i++)
		hvd_aio_pool_submit(pool, &reqs[i].aio);
	reap_until(8);
	assert_int_equal(reqs[0].res, -EBADF);
	assert_int_equal(reqs[1].res, -EBADF);
	assert_int_equal(reqs[2].res, -EBADF);
	assert_int_equal(reqs[3].res, -EINVAL);
	assert_int_equal(reqs[4].res, 0);
	assert_int_equal(reqs[5].res, 512);
	assert_int_equal(reqs[6].res, 0);
	assert_int_equal(reqs[7].res, -ESPIPE);
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(reqs[i].calls, 1);
	close(p[0]);
	close(p[1]);
}

static void wait_then_reap(void **state)
{
	uint64_t cnt = 0;
	unsigned int i;

	pool = hvd_aio_pool_new(3, efd);
	assert_non_null(pool);
	for (i = 0; i < 16; i++) {
		prep(&reqs[i], HVD_AIO_READ, img, (uint64_t)i * CHUNK);
		hvd_aio_pool_submit(pool, &reqs[i].aio);
	}
	/* As the worker's drain: nothing runs a done() but the reap. */
	hvd_aio_pool_wait(pool);
	assert_int_equal(dones, 0);
	assert_int_equal(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));
	assert_int_equal(cnt, 16);
	assert_int_equal(reap(), 16);
	assert_int_equal(dones, 16);
	for (i = 0; i < 16; i++) {
		assert_int_equal(reqs[i].calls, 1);
		assert_int_equal(reqs[i].res, CHUNK);
	}
	assert_int_equal(reap(), 0);
}

static void resubmit_from_done(void **state)
{
	pool = hvd_aio_pool_new(1, efd);
	assert_non_null(pool);
	prep(&reqs[0], HVD_AIO_FLUSH, img, 0);
	reqs[0].again = true;
	hvd_aio_pool_submit(pool, &reqs[0].aio);
	reap_until(2);
	assert_int_equal(reqs[0].calls, 2);
	assert_int_equal(reqs[0].order, 2);
	assert_int_equal(reqs[0].res, CHUNK);
	assert_int_equal(reqs[0].buf[1], pattern(1));
}

static void without_threads(void **state)
{
	uint64_t cnt = 0;

	/* As when no thread can start: at submit, done() still later. */
	pool = hvd_aio_pool_new(0, efd);
	assert_non_null(pool);
	prep(&reqs[0], HVD_AIO_READ, img, CHUNK);
	prep(&reqs[1], HVD_AIO_READ, -1, 0);
	hvd_aio_pool_submit(pool, &reqs[0].aio);
	hvd_aio_pool_submit(pool, &reqs[1].aio);
	assert_int_equal(dones, 0);
	assert_int_equal(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));
	assert_int_equal(cnt, 2);
	assert_int_equal(reap(), 2);
	assert_int_equal(reqs[0].res, CHUNK);
	assert_int_equal(reqs[0].buf[0], pattern(CHUNK));
	assert_int_equal(reqs[1].res, -EBADF);
	/* In the order they completed. */
	assert_int_equal(reqs[0].order, 1);
	assert_int_equal(reqs[1].order, 2);
	assert_int_equal(reqs[0].calls, 1);
	assert_int_equal(reqs[1].calls, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(reads_and_writes),
		T(errors_and_short),
		T(wait_then_reap),
		T(resubmit_from_done),
		T(without_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
