// SPDX-License-Identifier: GPL-2.0
/*
 * The eventfds between the models and the kernel (DESIGN rule 7): a
 * model's ioeventfds (guest writes that signal an eventfd in the kernel),
 * its irqfds (eventfd writes the kernel turns into MSIs), and the watch
 * that hands a readable eventfd to its model on the event loop's thread.
 *
 * Watches are registered from any thread (a vCPU's, whose MMIO write set
 * a device up) while the event loop waits, so they live in an epoll set of
 * their own, which the loop watches as one source: epoll_ctl() is safe
 * against a concurrent epoll_wait(). Each entry carries its slot and a
 * generation, so an event already taken from the set for a watch removed
 * since then (under the device lock) is dropped, not delivered.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

/**
 * hvd_notify_init() - create the VM's watch set
 * @vm: the VM
 *
 * Return: 0 or a negative errno.
 */
int hvd_notify_init(struct hvd_vm *vm)
{
	unsigned int i;

	for (i = 0; i < HVD_MAX_WATCHES; i++)
		vm->watches[i].fd = -1;
	vm->watch_fd = epoll_create1(EPOLL_CLOEXEC);
	return vm->watch_fd < 0 ? -errno : 0;
}

/**
 * hvd_notify_fini() - close the VM's watch set
 * @vm: the VM, its models destroyed
 */
void hvd_notify_fini(struct hvd_vm *vm)
{
	if (vm->watch_fd >= 0)
		close(vm->watch_fd);
	vm->watch_fd = -1;
}

/**
 * hvd_notify_ioeventfd() - register or remove a model's ioeventfd
 * @vm: the VM
 * @fd: the eventfd
 * @space: HVD_PIO or HVD_MMIO
 * @addr: the port or address
 * @len: the size of the writes
 * @add: register (else remove)
 *
 * Return: 0 or a negative errno.
 */
int hvd_notify_ioeventfd(struct hvd_vm *vm, int fd, enum hvd_space space,
			 uint64_t addr, unsigned int len, int add)
{
	struct hv_ioeventfd io = {
		.space = space == HVD_PIO ? HV_IO_SPACE_PIO : HV_IO_SPACE_MMIO,
		.addr = addr,
		.len = len,
	};
	int err;

	pthread_mutex_lock(&vm->hv_lock);
	if (add)
		err = hv_vm_ioeventfd(vm->h, vm->id, fd, &io);
	else
		err = hv_vm_ioeventfd_remove(vm->h, vm->id, fd, &io);
	if (err)
		hvd_warn("vm %s: ioeventfd %#llx: %s: %s", vm->def->name,
			 (unsigned long long)addr, hv_errmsg(vm->h),
			 strerror(-err));
	pthread_mutex_unlock(&vm->hv_lock);
	return err;
}

/**
 * hvd_notify_irqfd() - register or remove a model's irqfd
 * @vm: the VM
 * @fd: the eventfd
 * @addr: the message address
 * @data: the message data
 * @add: register (else remove)
 *
 * Return: 0 or a negative errno. The guest programs the message, so a
 * refusal is logged a few times only.
 */
int hvd_notify_irqfd(struct hvd_vm *vm, int fd, uint64_t addr,
		     uint32_t data, int add)
{
	int err;

	pthread_mutex_lock(&vm->hv_lock);
	if (add)
		err = hv_vm_irqfd(vm->h, vm->id, fd, addr, data);
	else
		err = hv_vm_irqfd_remove(vm->h, vm->id, fd);
	if (err && vm->msi_errors++ < 8)
		hvd_warn("vm %s: irqfd %#llx/%#x: %s: %s", vm->def->name,
			 (unsigned long long)addr, data, hv_errmsg(vm->h),
			 strerror(-err));
	pthread_mutex_unlock(&vm->hv_lock);
	return err;
}

/**
 * hvd_notify_watch() - call @fn(@opaque) whenever @fd is readable
 * @vm: the VM
 * @fd: the file
 * @fn: the model's function, called under vm->dev_lock
 * @opaque: its argument
 *
 * Called with vm->dev_lock held.
 *
 * Return: 0 or a negative errno.
 */
int hvd_notify_watch(struct hvd_vm *vm, int fd, void (*fn)(void *),
		     void *opaque)
{
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int i;

	for (i = 0; i < HVD_MAX_WATCHES; i++) {
		struct hvd_watch *w = &vm->watches[i];

		if (w->fd >= 0)
			continue;
		w->gen++;
		ev.data.u64 = (uint64_t)w->gen << 32 | i;
		if (epoll_ctl(vm->watch_fd, EPOLL_CTL_ADD, fd, &ev))
			return -errno;
		w->fd = fd;
		w->fn = fn;
		w->opaque = opaque;
		return 0;
	}
	return -ENOSPC;
}

/**
 * hvd_notify_unwatch() - stop watching @fd
 * @vm: the VM
 * @fd: the file
 *
 * Called with vm->dev_lock held; the watch's function is not called after.
 */
void hvd_notify_unwatch(struct hvd_vm *vm, int fd)
{
	unsigned int i;

	for (i = 0; i < HVD_MAX_WATCHES; i++) {
		struct hvd_watch *w = &vm->watches[i];

		if (w->fd != fd)
			continue;
		epoll_ctl(vm->watch_fd, EPOLL_CTL_DEL, fd, NULL);
		w->fd = -1;
		w->gen++;
	}
}

/**
 * hvd_notify_run() - call the functions of the readable watched files
 * @vm: the VM
 *
 * Called by the event loop when the watch set is readable.
 */
void hvd_notify_run(struct hvd_vm *vm)
{
	struct epoll_event ev[16];
	int n, i;

	n = epoll_wait(vm->watch_fd, ev, 16, 0);
	if (n <= 0)
		return;
	pthread_mutex_lock(&vm->dev_lock);
	for (i = 0; i < n; i++) {
		unsigned int slot = ev[i].data.u64 & 0xffffffffu;
		struct hvd_watch *w = &vm->watches[slot % HVD_MAX_WATCHES];

		if (w->fd >= 0 && w->gen == ev[i].data.u64 >> 32)
			w->fn(w->opaque);
	}
	pthread_mutex_unlock(&vm->dev_lock);
}
