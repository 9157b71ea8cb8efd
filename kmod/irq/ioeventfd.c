// SPDX-License-Identifier: GPL-2.0
/*
 * ioeventfd: a guest write to a port or an MMIO address the owner
 * registered (of the registered size, and of the registered value when
 * one is given) signals an eventfd and resumes the guest in the kernel,
 * without an exit to the owner (DESIGN rule 7): a virtqueue's notify
 * register, for instance. Each one is a device on the VM's I/O bus. It
 * holds its eventfd's context, not the file: the owner may close its fd
 * and the writes still count, until vm-ioeventfd with deassign or the
 * VM's teardown removes it.
 */
#include <linux/eventfd.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "hv_host.h"
#include "irq/iobus.h"
#include "irq/irq.h"

/**
 * struct hv_ioeventfd - one registered address
 * @dev: its device on the bus (@dev.addr and @dev.len are the address and
 *	the size of the writes it counts)
 * @link: in vm->ioeventfds, under vm->lock
 * @space: the bus it is on
 * @ctx: the eventfd it signals
 * @match: only writes of @datamatch count
 * @datamatch: the value, with @match
 */
struct hv_ioeventfd {
	struct hv_iodev dev;
	struct list_head link;
	enum hv_iobus_space space;
	struct eventfd_ctx *ctx;
	bool match;
	u64 datamatch;
};

static int ioeventfd_write(struct hv_iodev *dev, u64 addr, unsigned int len,
			   u64 val)
{
	struct hv_ioeventfd *p = container_of(dev, struct hv_ioeventfd, dev);

	if (addr != dev->addr || len != dev->len ||
	    (p->match && val != p->datamatch))
		return -ENODEV;
	eventfd_signal(p->ctx, 1);
	return 0;
}

static const struct hv_iodev_ops ioeventfd_ops = {
	.write = ioeventfd_write,
};

/* Two registrations a write could both match: KVM's rule as well. */
static bool collides(const struct hv_ioeventfd *a,
		     const struct hv_ioeventfd *b)
{
	return a->space == b->space && a->dev.addr == b->dev.addr &&
	       a->dev.len == b->dev.len &&
	       (!a->match || !b->match || a->datamatch == b->datamatch);
}

static bool same(const struct hv_ioeventfd *a, const struct hv_ioeventfd *b)
{
	return a->space == b->space && a->dev.addr == b->dev.addr &&
	       a->dev.len == b->dev.len && a->match == b->match &&
	       (!a->match || a->datamatch == b->datamatch) && a->ctx == b->ctx;
}

static void ioeventfd_free(struct hv_ioeventfd *p)
{
	eventfd_ctx_put(p->ctx);
	kfree(p);
}

/**
 * hv_ioeventfd_assign() - register an ioeventfd (vm-ioeventfd)
 * @vm: the VM; vm->lock held
 * @fd: the eventfd, in the caller's file table
 * @space: HV_IO_SPACE_PIO or HV_IO_SPACE_MMIO
 * @addr: the port or guest-physical address
 * @len: the size of the writes it counts: 1, 2, 4 or 8 (not 8 for ports)
 * @match: only writes of @datamatch count
 * @datamatch: the value, with @match
 * @deassign: remove the registration with exactly these arguments instead
 * @extack: names the problem on failure
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a bad size, range or value, or an fd that is no
 * eventfd; -EBADF; -EEXIST if a registration already matches the same
 * writes; -ENOENT (deassign) if none is there; -ENOSPC past
 * HV_IOBUS_MAX_DEVS; -ENOMEM.
 */
int hv_ioeventfd_assign(struct hv_vm *vm, int fd, u32 space, u64 addr,
			u32 len, bool match, u64 datamatch, bool deassign,
			struct netlink_ext_ack *extack)
{
	struct hv_ioeventfd *p, *q;
	int err;

	if (len != 1 && len != 2 && len != 4 && len != 8) {
		NL_SET_ERR_MSG(extack, "io-len must be 1, 2, 4 or 8");
		return -EINVAL;
	}
	if (space == HV_IO_SPACE_PIO && (len == 8 || addr + len > 0x10000)) {
		NL_SET_ERR_MSG(extack,
			       "a port ioeventfd must lie in ports 0-0xffff and be at most 4 bytes");
		return -EINVAL;
	}
	if (addr + len < addr) {
		NL_SET_ERR_MSG(extack, "io-addr + io-len wraps around");
		return -EINVAL;
	}
	if (match && len < 8 && datamatch >> (len * 8)) {
		NL_SET_ERR_MSG(extack, "io-datamatch is wider than io-len");
		return -EINVAL;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	p->ctx = eventfd_ctx_fdget(fd);
	if (IS_ERR(p->ctx)) {
		err = PTR_ERR(p->ctx);
		kfree(p);
		if (err == -EBADF)
			NL_SET_ERR_MSG(extack,
				       "eventfd is not an open file descriptor");
		else
			NL_SET_ERR_MSG(extack, "eventfd is not an eventfd");
		return err;
	}
	p->dev.ops = &ioeventfd_ops;
	p->dev.addr = addr;
	p->dev.len = len;
	p->space = space == HV_IO_SPACE_PIO ? HV_IOBUS_PIO : HV_IOBUS_MMIO;
	p->match = match;
	p->datamatch = match ? datamatch : 0;

	if (deassign) {
		err = -ENOENT;
		list_for_each_entry(q, &vm->ioeventfds, link) {
			if (!same(p, q))
				continue;
			list_del(&q->link);
			hv_iobus_unregister(vm, q->space, &q->dev);
			ioeventfd_free(q);
			err = 0;
			break;
		}
		if (err)
			NL_SET_ERR_MSG(extack,
				       "no ioeventfd with this eventfd, address, size and value");
		ioeventfd_free(p);
		return err;
	}
	list_for_each_entry(q, &vm->ioeventfds, link) {
		if (collides(p, q)) {
			NL_SET_ERR_MSG(extack,
				       "an ioeventfd already takes these writes");
			ioeventfd_free(p);
			return -EEXIST;
		}
	}
	err = hv_iobus_register(vm, p->space, &p->dev);
	if (err) {
		if (err == -ENOSPC)
			NL_SET_ERR_MSG(extack,
				       "the VM has as many in-kernel devices as it may on this bus");
		ioeventfd_free(p);
		return err;
	}
	list_add_tail(&p->link, &vm->ioeventfds);
	return 0;
}

/**
 * hv_ioeventfd_release_all() - remove a VM's ioeventfds
 * @vm: the VM, being torn down; vm->lock held
 *
 * Context: process context; sleeps.
 */
void hv_ioeventfd_release_all(struct hv_vm *vm)
{
	struct hv_ioeventfd *p, *n;

	hv_iobus_clear(vm);
	list_for_each_entry_safe(p, n, &vm->ioeventfds, link) {
		list_del(&p->link);
		ioeventfd_free(p);
	}
}
