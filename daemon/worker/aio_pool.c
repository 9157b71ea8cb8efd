// SPDX-License-Identifier: GPL-2.0
/*
 * A small pool of threads that run the models' file requests (struct
 * hvd_aio) where the host has no io_uring: an old kernel,
 * io_uring_disabled, or a container's seccomp filter that refuses
 * io_uring_setup. Each thread takes a request, runs preadv(2),
 * pwritev(2) or fdatasync(2), puts it on a list of completed ones and
 * signals an eventfd; whoever watches the eventfd (the event loop) takes
 * the list and calls each done() itself, so a model sees its completions
 * on the event loop's thread under the device lock, as with io_uring, in
 * whatever order they complete.
 *
 * The threads start at the first request, not with the pool: a worker
 * makes the pool before its sandbox, and unshare(CLONE_NEWUSER) refuses
 * a process with more than one thread. Every call they make is in the
 * sandbox's list (sandbox.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "worker.h"

/**
 * struct hvd_aio_pool - the threads and their requests
 * @lock: protects everything below but @efd and @max
 * @work: signalled when @queue gets a request or @stop is set
 * @idle: signalled when @busy drops to 0
 * @queue: requests no thread has taken, oldest first
 * @tail: where the next request goes in @queue
 * @done: completed requests whose done() has not run, newest first
 * @busy: requests submitted and not on @done yet
 * @stop: the threads must end once @queue is empty
 * @nr: threads started
 * @max: threads to start
 * @efd: the eventfd a completion signals
 * @threads: the threads
 */
struct hvd_aio_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_cond_t idle;
	struct hvd_aio *queue;
	struct hvd_aio **tail;
	struct hvd_aio *done;
	unsigned int busy;
	bool stop;
	unsigned int nr;
	unsigned int max;
	int efd;
	pthread_t threads[];
};

static long run(const struct hvd_aio *req)
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

/*
 * Called with @p->lock held. The eventfd is signalled before @busy drops,
 * so that hvd_aio_pool_wait() returns after the last signal; it never
 * blocks (EFD_NONBLOCK) and fails only if the counter would overflow,
 * which a reader that empties it first rules out.
 */
static void complete(struct hvd_aio_pool *p, struct hvd_aio *req, long res)
{
	uint64_t one = 1;

	req->res = res;
	req->next = p->done;
	p->done = req;
	if (write(p->efd, &one, sizeof(one)) < 0)
		one = 0;
	if (!--p->busy)
		pthread_cond_broadcast(&p->idle);
}

static void *pool_thread(void *arg)
{
	struct hvd_aio_pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct hvd_aio *req;
		long res;

		while (!p->queue && !p->stop)
			pthread_cond_wait(&p->work, &p->lock);
		req = p->queue;
		if (!req)
			break;
		p->queue = req->next;
		if (!p->queue)
			p->tail = &p->queue;
		pthread_mutex_unlock(&p->lock);
		res = run(req);
		pthread_mutex_lock(&p->lock);
		complete(p, req, res);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/**
 * hvd_aio_pool_new() - a pool of threads for file requests
 * @threads: threads it starts at its first request (at least 1)
 * @efd: an eventfd each completion signals (the caller's, open until
 *	hvd_aio_pool_free())
 *
 * Return: the pool, or NULL without memory.
 */
struct hvd_aio_pool *hvd_aio_pool_new(unsigned int threads, int efd)
{
	struct hvd_aio_pool *p;

	p = calloc(1, sizeof(*p) + threads * sizeof(pthread_t));
	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->idle, NULL);
	p->tail = &p->queue;
	p->max = threads;
	p->efd = efd;
	return p;
}

/**
 * hvd_aio_pool_submit() - queue a request
 * @p: the pool
 * @req: the request; its done() runs in hvd_aio_pool_reap()
 *
 * Starts the threads at the first request. If none can start, the
 * request runs here, its completion still delivered by the eventfd and
 * hvd_aio_pool_reap().
 */
void hvd_aio_pool_submit(struct hvd_aio_pool *p, struct hvd_aio *req)
{
	pthread_mutex_lock(&p->lock);
	while (p->nr < p->max &&
	       !pthread_create(&p->threads[p->nr], NULL, pool_thread, p))
		p->nr++;
	/* Only the pool's own threads would ever clear a full queue. */
	p->max = p->nr;
	p->busy++;
	if (!p->nr) {
		pthread_mutex_unlock(&p->lock);
		req->res = run(req);
		pthread_mutex_lock(&p->lock);
		complete(p, req, req->res);
		pthread_mutex_unlock(&p->lock);
		return;
	}
	req->next = NULL;
	*p->tail = req;
	p->tail = &req->next;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

/**
 * hvd_aio_pool_reap() - call done() of every completed request
 * @p: the pool
 *
 * In the order they completed; a done() may submit again.
 *
 * Return: the requests completed.
 */
unsigned int hvd_aio_pool_reap(struct hvd_aio_pool *p)
{
	struct hvd_aio *list, *req, *next, *fifo = NULL;
	unsigned int n = 0;

	pthread_mutex_lock(&p->lock);
	list = p->done;
	p->done = NULL;
	pthread_mutex_unlock(&p->lock);
	for (req = list; req; req = next) {
		next = req->next;
		req->next = fifo;
		fifo = req;
	}
	for (req = fifo; req; req = next) {
		next = req->next;
		req->next = NULL;
		req->done(req, req->res);
		n++;
	}
	return n;
}

/**
 * hvd_aio_pool_wait() - wait until every request submitted has completed
 * @p: the pool
 *
 * Their done() runs in the next hvd_aio_pool_reap().
 */
void hvd_aio_pool_wait(struct hvd_aio_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->busy)
		pthread_cond_wait(&p->idle, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

/**
 * hvd_aio_pool_free() - end the threads and free the pool
 * @p: the pool, or NULL
 *
 * Requests still queued run first; their done() does not run, so the
 * caller waits and reaps before.
 */
void hvd_aio_pool_free(struct hvd_aio_pool *p)
{
	unsigned int i;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nr; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->idle);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
