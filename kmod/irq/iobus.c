// SPDX-License-Identifier: GPL-2.0
/*
 * A VM's in-kernel I/O bus: per address space, an array of devices that
 * readers (vCPUs, in the fast loop too) walk under RCU and writers (the
 * family's handlers, under vm->lock) replace whole. Registrations are
 * rare and lookups are on every port or MMIO write that reaches the
 * kernel, so the array is copied on change and never locked to read.
 */
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "hv_host.h"
#include "irq/iobus.h"

/**
 * struct hv_iobus - the devices of one address space
 * @rcu: frees a replaced array after its readers
 * @nr: devices in @devs
 * @devs: the devices, in registration order
 */
struct hv_iobus {
	struct rcu_head rcu;
	u32 nr;
	struct hv_iodev *devs[];
};

static struct hv_iobus *bus_of(struct hv_vm *vm, enum hv_iobus_space space)
{
	return rcu_dereference_protected(vm->iobus[space],
					 lockdep_is_held(&vm->lock));
}

/**
 * hv_iobus_register() - put a device on a VM's bus
 * @vm: the VM; vm->lock held
 * @space: HV_IOBUS_PIO or HV_IOBUS_MMIO
 * @dev: the device, which must stay valid until unregistered
 *
 * Context: process context; may sleep.
 * Return: 0; -ENOSPC if the bus holds HV_IOBUS_MAX_DEVS devices;
 * -ENOMEM.
 */
int hv_iobus_register(struct hv_vm *vm, enum hv_iobus_space space,
		      struct hv_iodev *dev)
{
	struct hv_iobus *old = bus_of(vm, space), *new;
	u32 nr = old ? old->nr : 0;

	if (nr >= HV_IOBUS_MAX_DEVS)
		return -ENOSPC;
	new = kmalloc(struct_size(new, devs, nr + 1), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	if (nr)
		memcpy(new->devs, old->devs, nr * sizeof(*new->devs));
	new->devs[nr] = dev;
	new->nr = nr + 1;
	rcu_assign_pointer(vm->iobus[space], new);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * hv_iobus_unregister() - take a device off a VM's bus
 * @vm: the VM; vm->lock held
 * @space: the bus it is on
 * @dev: the device
 *
 * On return no vCPU uses @dev any longer: the caller may free it.
 *
 * Context: process context; sleeps (synchronize_rcu()).
 */
void hv_iobus_unregister(struct hv_vm *vm, enum hv_iobus_space space,
			 struct hv_iodev *dev)
{
	struct hv_iobus *old = bus_of(vm, space), *new = NULL;
	u32 i, j;

	if (WARN_ON_ONCE(!old))
		return;
	if (old->nr > 1)
		new = kmalloc(struct_size(new, devs, old->nr - 1),
			      GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	for (i = 0, j = 0; i < old->nr; i++)
		if (old->devs[i] != dev)
			new->devs[j++] = old->devs[i];
	if (new) {
		new->nr = j;
		WARN_ON_ONCE(j != old->nr - 1);
	}
	rcu_assign_pointer(vm->iobus[space], new);
	synchronize_rcu();
	kfree(old);
}

/**
 * hv_iobus_write() - offer a guest write to the devices of a bus
 * @vm: the VM
 * @space: the bus
 * @addr: the port or guest-physical address
 * @len: the size of the access in bytes
 * @val: the value written
 *
 * Context: the vCPU's thread; any context that allows RCU readers.
 * Return: 0 if a device took the write; -ENODEV if none did.
 */
int hv_iobus_write(struct hv_vm *vm, enum hv_iobus_space space, u64 addr,
		   unsigned int len, u64 val)
{
	struct hv_iobus *bus;
	int err = -ENODEV;
	u32 i;

	rcu_read_lock();
	bus = rcu_dereference(vm->iobus[space]);
	for (i = 0; bus && i < bus->nr; i++) {
		struct hv_iodev *dev = bus->devs[i];

		if (addr < dev->addr || addr - dev->addr >= dev->len ||
		    len > dev->len - (addr - dev->addr))
			continue;
		err = dev->ops->write(dev, addr, len, val);
		if (!err)
			break;
	}
	rcu_read_unlock();
	return err;
}

/**
 * hv_iobus_clear() - take every device off a VM's buses at once
 * @vm: the VM; vm->lock held
 *
 * On return no vCPU uses any of the devices: the caller may free them.
 *
 * Context: process context; sleeps (one synchronize_rcu()).
 */
void hv_iobus_clear(struct hv_vm *vm)
{
	struct hv_iobus *old[HV_NR_IOBUS];
	int i;

	for (i = 0; i < HV_NR_IOBUS; i++) {
		old[i] = bus_of(vm, i);
		RCU_INIT_POINTER(vm->iobus[i], NULL);
	}
	synchronize_rcu();
	for (i = 0; i < HV_NR_IOBUS; i++)
		kfree(old[i]);
}
