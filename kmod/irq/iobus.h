/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-kernel I/O bus of a VM: devices the kernel answers for (today,
 * ioeventfds) at port or MMIO ranges, consulted before the owner, as
 * KVM's kvm_io_bus. Writes only: a read of such an address still goes to
 * the owner.
 */
#ifndef HV_IRQ_IOBUS_H
#define HV_IRQ_IOBUS_H

#include <linux/types.h>

struct hv_vm;
struct hv_iodev;

/* The address spaces of the bus (HV_IO_SPACE_* in the uapi). */
enum hv_iobus_space {
	HV_IOBUS_PIO,
	HV_IOBUS_MMIO,
	HV_NR_IOBUS,
};

/* Devices on one bus at most (KVM has 1000, NR_IOBUS_DEVS). */
#define HV_IOBUS_MAX_DEVS	1000

/**
 * struct hv_iodev_ops - what a device on the bus does
 * @write: the guest wrote @len bytes of @val at @addr, inside the
 *	device's range. Called by the vCPU's thread, possibly in the fast
 *	loop (preemption off, interrupts on), under rcu_read_lock(): must
 *	not sleep. Returns 0 if the device took the write; -ENODEV to let
 *	the next device, then the owner, have it.
 */
struct hv_iodev_ops {
	int (*write)(struct hv_iodev *dev, u64 addr, unsigned int len, u64 val);
};

/**
 * struct hv_iodev - a device on the bus
 * @ops: what it does
 * @addr: the first address of its range
 * @len: the length of its range, at least 1
 */
struct hv_iodev {
	const struct hv_iodev_ops *ops;
	u64 addr;
	u32 len;
};

int hv_iobus_register(struct hv_vm *vm, enum hv_iobus_space space,
		      struct hv_iodev *dev);
void hv_iobus_unregister(struct hv_vm *vm, enum hv_iobus_space space,
			 struct hv_iodev *dev);
int hv_iobus_write(struct hv_vm *vm, enum hv_iobus_space space, u64 addr,
		   unsigned int len, u64 val);
void hv_iobus_clear(struct hv_vm *vm);

#endif /* HV_IRQ_IOBUS_H */
