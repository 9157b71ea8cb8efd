// SPDX-License-Identifier: GPL-2.0
/*
 * irqfd: an eventfd the owner registers with an MSI. A write to it
 * delivers the MSI from the eventfd's wake-up callback, in the writer's
 * context: no netlink message, no owner thread, and the target vCPU is
 * kicked through the usual protocol (DESIGN rule 7). Registering the
 * same eventfd again changes its MSI in place, as a device's MSI-X table
 * write does. The eventfd's release (the last close, EPOLLHUP) or
 * vm-irqfd with deassign removes one; the VM's teardown removes the rest.
 *
 * Removal takes the wait-queue entry off the eventfd outside the wake-up
 * (a work item on hv_irqfd_wq), since the callback runs with the eventfd's
 * wait-queue lock held. Lock order: the eventfd's wait-queue lock, then
 * vm->irqfd_lock, then the APICs' locks.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "hv_host.h"
#include "irq/irq.h"
#include "irq/lapic.h"

/* Registrations per VM at most: a few per device queue is plenty. */
#define HV_MAX_IRQFDS	1024

/**
 * struct hv_irqfd - one registered eventfd
 * @vm: its VM
 * @ctx: the eventfd
 * @irq: the message a write delivers; under vm->irqfd_lock
 * @wait: the entry on the eventfd's wait queue
 * @pt: puts @wait on the queue (vfs_poll())
 * @link: in vm->irqfds while registered; under vm->irqfd_lock
 * @shutdown: takes @wait off the queue and frees the irqfd
 */
struct hv_irqfd {
	struct hv_vm *vm;
	struct eventfd_ctx *ctx;
	struct hv_apic_irq irq;
	wait_queue_entry_t wait;
	poll_table pt;
	struct list_head link;
	struct work_struct shutdown;
};

static struct workqueue_struct *hv_irqfd_wq;

static void irqfd_shutdown(struct work_struct *work)
{
	struct hv_irqfd *f = container_of(work, struct hv_irqfd, shutdown);
	u64 cnt;

	eventfd_ctx_remove_wait_queue(f->ctx, &f->wait, &cnt);
	eventfd_ctx_put(f->ctx);
	kfree(f);
}

/* Off the list (once) and to the work queue; vm->irqfd_lock held. */
static void deactivate(struct hv_irqfd *f)
{
	if (list_empty(&f->link))
		return;
	list_del_init(&f->link);
	f->vm->nr_irqfds--;
	queue_work(hv_irqfd_wq, &f->shutdown);
}

static void deliver(struct hv_irqfd *f)
{
	struct hv_vm *vm = f->vm;
	struct hv_apic_irq irq;
	unsigned long flags;
	bool live;

	spin_lock_irqsave(&vm->irqfd_lock, flags);
	live = !list_empty(&f->link);
	irq = f->irq;
	spin_unlock_irqrestore(&vm->irqfd_lock, flags);
	if (live)
		hv_lapic_deliver(vm, &irq);
}

static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			int sync, void *key)
{
	struct hv_irqfd *f = container_of(wait, struct hv_irqfd, wait);
	__poll_t events = key_to_poll(key);
	unsigned long flags;
	u64 cnt;

	if (events & EPOLLIN) {
		/* Consumed: a write is one edge of the line, not a count. */
		eventfd_ctx_do_read(f->ctx, &cnt);
		deliver(f);
	}
	if (events & EPOLLHUP) {
		spin_lock_irqsave(&f->vm->irqfd_lock, flags);
		deactivate(f);
		spin_unlock_irqrestore(&f->vm->irqfd_lock, flags);
	}
	return 0;
}

static void irqfd_queue(struct file *file, wait_queue_head_t *wqh,
			poll_table *pt)
{
	struct hv_irqfd *f = container_of(pt, struct hv_irqfd, pt);

	add_wait_queue(wqh, &f->wait);
}

static struct hv_irqfd *find(struct hv_vm *vm, struct eventfd_ctx *ctx)
{
	struct hv_irqfd *f;

	list_for_each_entry(f, &vm->irqfds, link)
		if (f->ctx == ctx)
			return f;
	return NULL;
}

static int remove_irqfd(struct hv_vm *vm, struct eventfd_ctx *ctx,
			struct netlink_ext_ack *extack)
{
	struct hv_irqfd *f;

	spin_lock_irq(&vm->irqfd_lock);
	f = find(vm, ctx);
	if (f)
		deactivate(f);
	spin_unlock_irq(&vm->irqfd_lock);
	if (!f) {
		NL_SET_ERR_MSG(extack, "the eventfd is not an irqfd of this VM");
		return -ENOENT;
	}
	/* No write delivers once the caller returns. */
	flush_workqueue(hv_irqfd_wq);
	return 0;
}

/**
 * hv_irqfd_assign() - register, change or remove an irqfd (vm-irqfd)
 * @vm: the VM; vm->lock held
 * @fd: the eventfd, in the caller's file table
 * @addr: the MSI address (not used with @deassign)
 * @data: the MSI data (not used with @deassign)
 * @deassign: remove the eventfd's registration instead
 * @extack: names the problem on failure
 *
 * An eventfd already registered gets the new MSI in place; one that was
 * written before it was registered delivers at once.
 *
 * Context: process context; may sleep.
 * Return: 0; -EBADF; -EINVAL for an fd that is no eventfd, and the errors
 * of hv_lapic_msi_route(); -ENOENT (deassign) if it is not registered;
 * -ENOSPC past HV_MAX_IRQFDS; -ENOMEM.
 */
int hv_irqfd_assign(struct hv_vm *vm, int fd, u64 addr, u32 data,
		    bool deassign, struct netlink_ext_ack *extack)
{
	struct eventfd_ctx *ctx;
	struct hv_apic_irq irq;
	struct hv_irqfd *f, *old;
	struct fd file;
	__poll_t events;
	int err;

	file = fdget(fd);
	if (!file.file) {
		NL_SET_ERR_MSG(extack, "eventfd is not an open file descriptor");
		return -EBADF;
	}
	ctx = eventfd_ctx_fileget(file.file);
	if (IS_ERR(ctx)) {
		NL_SET_ERR_MSG(extack, "eventfd is not an eventfd");
		err = PTR_ERR(ctx);
		goto out_fd;
	}
	if (deassign) {
		err = remove_irqfd(vm, ctx, extack);
		goto out_ctx;
	}
	err = hv_lapic_msi_route(addr, data, &irq, extack);
	if (err)
		goto out_ctx;

	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f) {
		err = -ENOMEM;
		goto out_ctx;
	}
	spin_lock_irq(&vm->irqfd_lock);
	old = find(vm, ctx);
	if (old) {
		old->irq = irq;
		spin_unlock_irq(&vm->irqfd_lock);
		kfree(f);
		err = 0;
		goto out_ctx;
	}
	if (vm->nr_irqfds >= HV_MAX_IRQFDS) {
		spin_unlock_irq(&vm->irqfd_lock);
		kfree(f);
		NL_SET_ERR_MSG(extack, "the VM has as many irqfds as it may");
		err = -ENOSPC;
		goto out_ctx;
	}
	f->vm = vm;
	f->ctx = ctx;
	f->irq = irq;
	init_waitqueue_func_entry(&f->wait, irqfd_wakeup);
	init_poll_funcptr(&f->pt, irqfd_queue);
	INIT_WORK(&f->shutdown, irqfd_shutdown);
	list_add_tail(&f->link, &vm->irqfds);
	vm->nr_irqfds++;
	spin_unlock_irq(&vm->irqfd_lock);

	/*
	 * The file is held until fdput(): no release (EPOLLHUP) can free
	 * @f before then. A count already there is delivered now (and
	 * left for the next write's wake-up to consume).
	 */
	events = vfs_poll(file.file, &f->pt);
	if (events & EPOLLIN)
		deliver(f);
	fdput(file);
	return 0;

out_ctx:
	eventfd_ctx_put(ctx);
out_fd:
	fdput(file);
	return err;
}

/**
 * hv_irqfd_release_all() - remove a VM's irqfds
 * @vm: the VM, being torn down; its vCPUs still exist
 *
 * On return no irqfd delivers to @vm any longer.
 *
 * Context: process context; sleeps.
 */
void hv_irqfd_release_all(struct hv_vm *vm)
{
	struct hv_irqfd *f, *n;

	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry_safe(f, n, &vm->irqfds, link)
		deactivate(f);
	spin_unlock_irq(&vm->irqfd_lock);
	flush_workqueue(hv_irqfd_wq);
}

/**
 * hv_irqfd_init() - create the work queue that removes irqfds
 *
 * Return: 0 or -ENOMEM.
 */
int hv_irqfd_init(void)
{
	hv_irqfd_wq = alloc_workqueue("hv-irqfd", 0, 0);
	return hv_irqfd_wq ? 0 : -ENOMEM;
}

/**
 * hv_irqfd_exit() - destroy it; every VM is gone
 */
void hv_irqfd_exit(void)
{
	destroy_workqueue(hv_irqfd_wq);
}
