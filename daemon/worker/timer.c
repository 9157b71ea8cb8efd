// SPDX-License-Identifier: GPL-2.0
/*
 * The models' timers: a list under vm->dev_lock and one timerfd armed at
 * the earliest deadline, read by the event loop. Models arm timers from
 * vCPU threads as well as from timer callbacks; timerfd_settime() is the
 * only thing that crosses threads, and it is a system call.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "worker.h"

struct hvd_timer {
	struct hvd_timer *next;
	bool armed;
	uint64_t deadline;
	void (*fn)(void *opaque);
	void *opaque;
};

/**
 * hvd_now_ns() - the models' clock
 *
 * Return: CLOCK_MONOTONIC in ns.
 */
uint64_t hvd_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void rearm(struct hvd_vm *vm)
{
	struct itimerspec its = { 0 };
	uint64_t min = 0;
	struct hvd_timer *t;

	for (t = vm->timers; t; t = t->next)
		if (t->armed && (!min || t->deadline < min))
			min = t->deadline;
	if (min) {
		/* 0 would disarm: a deadline at 0 is long past anyway. */
		its.it_value.tv_sec = min / 1000000000ull;
		its.it_value.tv_nsec = min % 1000000000ull;
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	timerfd_settime(vm->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/**
 * hvd_timers_init() - the timerfd
 * @vm: the VM
 *
 * Return: 0 or a negative errno.
 */
int hvd_timers_init(struct hvd_vm *vm)
{
	vm->timerfd =
		timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	return vm->timerfd < 0 ? -errno : 0;
}

/**
 * hvd_timers_fini() - close the timerfd; models have freed their timers
 * @vm: the VM
 */
void hvd_timers_fini(struct hvd_vm *vm)
{
	if (vm->timerfd >= 0)
		close(vm->timerfd);
	vm->timerfd = -1;
}

/**
 * hvd_timers_run() - call every timer that is due (the timerfd fired)
 * @vm: the VM
 */
void hvd_timers_run(struct hvd_vm *vm)
{
	uint64_t ticks;

	if (read(vm->timerfd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&vm->dev_lock);
	for (;;) {
		uint64_t now = hvd_now_ns();
		struct hvd_timer *t, *due = NULL;

		for (t = vm->timers; t; t = t->next)
			if (t->armed && t->deadline <= now &&
			    (!due || t->deadline < due->deadline))
				due = t;
		if (!due)
			break;
		due->armed = false;
		due->fn(due->opaque);
	}
	rearm(vm);
	pthread_mutex_unlock(&vm->dev_lock);
}

/**
 * hvd_timer_new() - a timer for a model (struct hvd_services.timer_new)
 * @vm: the VM
 * @fn: its callback
 * @opaque: the callback's argument
 *
 * Return: the timer, or NULL.
 */
struct hvd_timer *hvd_timer_new(struct hvd_vm *vm, void (*fn)(void *),
				void *opaque)
{
	struct hvd_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->fn = fn;
	t->opaque = opaque;
	t->next = vm->timers;
	vm->timers = t;
	return t;
}

/**
 * hvd_timer_mod() - arm a timer (struct hvd_services.timer_mod)
 * @vm: the VM
 * @t: the timer
 * @deadline: when, hvd_now_ns()'s clock
 */
void hvd_timer_mod(struct hvd_vm *vm, struct hvd_timer *t, uint64_t deadline)
{
	t->armed = true;
	t->deadline = deadline;
	rearm(vm);
}

/**
 * hvd_timer_armed() - whether a timer waits to fire
 * @t: the timer
 *
 * Return: true if armed.
 */
bool hvd_timer_armed(const struct hvd_timer *t)
{
	return t->armed;
}

/**
 * hvd_timer_del() - disarm a timer (struct hvd_services.timer_del)
 * @vm: the VM
 * @t: the timer
 */
void hvd_timer_del(struct hvd_vm *vm, struct hvd_timer *t)
{
	if (!t->armed)
		return;
	t->armed = false;
	rearm(vm);
}

/**
 * hvd_timer_free() - disarm and free a timer (struct hvd_services.timer_free)
 * @vm: the VM
 * @t: the timer, or NULL
 */
void hvd_timer_free(struct hvd_vm *vm, struct hvd_timer *t)
{
	struct hvd_timer **p;

	if (!t)
		return;
	for (p = &vm->timers; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	free(t);
	rearm(vm);
}

/**
 * hvd_timers_armed() - how many timers are armed
 * @vm: the VM
 *
 * Return: the count.
 */
unsigned int hvd_timers_armed(struct hvd_vm *vm)
{
	struct hvd_timer *t;
	unsigned int n = 0;

	pthread_mutex_lock(&vm->dev_lock);
	for (t = vm->timers; t; t = t->next)
		n += t->armed;
	pthread_mutex_unlock(&vm->dev_lock);
	return n;
}
