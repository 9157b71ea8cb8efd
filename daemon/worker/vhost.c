// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's vhost-net for the definition's virtio-net (DESIGN, "The
 * daemon"): with it, the kernel moves packets between the guest's queues
 * and the tap, and the worker sees neither a notification nor a packet.
 * The sequence is QEMU's (hw/virtio/vhost.c, hw/net/vhost_net.c) on the
 * ioctls of linux/vhost.h:
 *
 *  - before the sandbox, whose root is empty: open /dev/vhost-net and
 *    check VHOST_GET_FEATURES (hvd_vhost_open());
 *  - in the process that runs the VM (after the sandbox's fork, whose mm
 *    differs from the one that opened the device): VHOST_SET_OWNER, which
 *    binds vhost's worker thread to the caller's mm (hvd_vhost_own());
 *  - at DRIVER_OK, from the device through its services: SET_FEATURES,
 *    SET_MEM_TABLE (guest-physical to this process's addresses: the
 *    RAM slots), per queue SET_VRING_NUM, BASE, ADDR, KICK (the queue's
 *    ioeventfd), CALL (the irqfd of its MSI-X vector, or an eventfd the
 *    device watches) and ERR, then VHOST_NET_SET_BACKEND with the tap
 *    (hvd_vhost_start());
 *  - at a reset: the backend detached, VHOST_GET_VRING_BASE, the
 *    eventfds unbound (hvd_vhost_stop()).
 *
 * None of these ioctls checks a capability in Linux 6.1
 * (drivers/vhost/net.c, vhost.c): the owner's mm is the only check, so the
 * sandboxed worker, without capabilities, issues them all.
 *
 * The header: with VIRTIO_F_VERSION_1 and without
 * VHOST_NET_F_VIRTIO_NET_HDR, vhost-net leaves the 12-byte
 * virtio_net_hdr_v1 to the socket (vhost_net_set_features(): sock_hlen
 * 12, vhost_hlen 0), and the tap was opened with a 12-byte vnet header
 * (tap.c): the header passes between the guest and the tap as it is, as
 * on the worker's own path.
 *
 * Dirty logging: vhost writes guest memory through this process's
 * mapping, behind the module's dirty log (no VHOST_SET_LOG_BASE yet).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vhost.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

#define GIB4 0x100000000ull

/*
 * The transport offers these with every device (dev/virtio_pci.c); vhost
 * must serve rings that use them (virtio 1.2, 2.7.5.3, 2.7.10).
 */
#define NEEDED_FEATURES                                                    \
	(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_RING_F_EVENT_IDX |    \
	 1ull << VIRTIO_RING_F_INDIRECT_DESC)

/* The net path as `hvctl vm show` says it, told to the supervisor. */
static void report(struct hvd_vm *vm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(struct hvd_vm *vm, const char *fmt, ...)
{
	char path[sizeof(vm->vhost.path)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	if (!strcmp(path, vm->vhost.path))
		return;
	snprintf(vm->vhost.path, sizeof(vm->vhost.path), "%s", path);
	hvd_info("vm %s: net: %s", vm->def->name, path);
	hvd_control_send("net %s", path);
}

/*
 * vhost-net cannot be had: with vhost=on the VM does not start, else the
 * worker moves the packets.
 */
static int unusable(struct hvd_vm *vm, int err, char *why, size_t len,
		    const char *what)
{
	static const char hint_enoent[] = " (modprobe vhost_net)";
	static const char hint_eacces[] = " (hvd's user may not open it)";
	const char *hint = err == -ENOENT ? hint_enoent :
			   err == -EACCES ? hint_eacces : "";

	if (vm->vhost.fd >= 0)
		close(vm->vhost.fd);
	vm->vhost.fd = -1;
	vm->net.vhost = HVD_BE_OWN;
	if (vm->def->vhost == HVD_VHOST_ON) {
		hvd_setf(why, len, "net: vhost=on: %s: %s%s", what,
			 strerror(-err), hint);
		return err;
	}
	snprintf(vm->vhost.why_not, sizeof(vm->vhost.why_not), "%s: %s%s",
		 what, strerror(-err), hint);
	return 0;
}

/**
 * hvd_vhost_open() - open vhost-net for the virtio-net, as the definition
 *	says (vhost=auto, on or off)
 * @vm: the VM, its tap open (tap.c)
 * @why: receives the reason for a failure
 * @len: size of @why
 *
 * Called before the sandbox: /dev/vhost-net is a path.
 *
 * Return: 0 (vhost-net open, or the worker moves the packets), or a
 * negative errno with vhost=on when vhost-net cannot be had.
 */
int hvd_vhost_open(struct hvd_vm *vm, char *why, size_t len)
{
	uint64_t f;
	int fd;

	vm->net.vhost = HVD_BE_OWN;
	vm->vhost.why_not[0] = '\0';
	if (vm->net.fd < 0 || vm->def->vhost == HVD_VHOST_OFF)
		return 0;
	fd = open("/dev/vhost-net", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return unusable(vm, -errno, why, len, "/dev/vhost-net");
	vm->vhost.fd = fd;
	if (ioctl(fd, VHOST_GET_FEATURES, &f))
		return unusable(vm, -errno, why, len, "VHOST_GET_FEATURES");
	if ((f & NEEDED_FEATURES) != NEEDED_FEATURES)
		return unusable(vm, -EOPNOTSUPP, why, len,
				"no VERSION_1, EVENT_IDX or INDIRECT_DESC");
	vm->vhost.features = f;
	vm->net.vhost = vm->def->vhost == HVD_VHOST_ON ? HVD_BE_VHOST_MUST :
							 HVD_BE_VHOST_TRY;
	return 0;
}

/**
 * hvd_vhost_own() - bind vhost-net to this process, and report the net path
 * @vm: the VM
 * @why: receives the reason for a failure
 * @len: size of @why
 *
 * Called in the process that runs the VM, before its vCPUs start: after
 * the sandbox's fork (VHOST_SET_OWNER takes the caller's mm, and the
 * addresses of SET_MEM_TABLE are this process's), once per open.
 *
 * Return: 0, or a negative errno with vhost=on when vhost-net refuses.
 */
int hvd_vhost_own(struct hvd_vm *vm, char *why, size_t len)
{
	int err;

	if (vm->net.fd < 0)
		return 0;
	if (vm->vhost.fd >= 0 && !vm->vhost.owned) {
		if (ioctl(vm->vhost.fd, VHOST_SET_OWNER, NULL)) {
			err = unusable(vm, -errno, why, len, "VHOST_SET_OWNER");
			if (err)
				return err;
		} else {
			vm->vhost.owned = true;
		}
	}
	if (vm->vhost.fd >= 0)
		report(vm, "tap %s, vhost-net", vm->def->tap);
	else if (vm->vhost.why_not[0])
		report(vm, "tap %s, hvd (vhost-net: %s)", vm->def->tap,
		       vm->vhost.why_not);
	else
		report(vm, "tap %s, hvd", vm->def->tap);
	return 0;
}

/**
 * hvd_vhost_close() - close vhost-net
 * @vm: the VM, its models destroyed
 */
void hvd_vhost_close(struct hvd_vm *vm)
{
	if (vm->vhost.fd >= 0)
		close(vm->vhost.fd);
	vm->vhost.fd = -1;
	vm->vhost.owned = false;
	vm->vhost.running = false;
}

static int set_file(int fd, unsigned long req, unsigned int index, int file)
{
	struct vhost_vring_file f = { .index = index, .fd = file };

	return ioctl(fd, req, &f) ? -errno : 0;
}

/* Everything hvd_vhost_start() may have set, undone; errors change nothing. */
static void release(struct hvd_vm *vm, uint16_t *base, unsigned int nr)
{
	struct vhost_vring_state s;
	unsigned int i;
	int fd = vm->vhost.fd;

	/*
	 * The backend first: VHOST_NET_SET_BACKEND flushes vhost's work, so
	 * that nothing touches the ring after it (drivers/vhost/net.c).
	 */
	for (i = 0; i < nr; i++)
		set_file(fd, VHOST_NET_SET_BACKEND, i, -1);
	for (i = 0; i < nr; i++) {
		s = (struct vhost_vring_state){ .index = i };
		if (!ioctl(fd, VHOST_GET_VRING_BASE, &s) && base)
			base[i] = s.num;
		/* -1 is VHOST_FILE_UNBIND: vhost drops the eventfds. */
		set_file(fd, VHOST_SET_VRING_KICK, i, -1);
		set_file(fd, VHOST_SET_VRING_CALL, i, -1);
		set_file(fd, VHOST_SET_VRING_ERR, i, -1);
	}
}

/* VHOST_SET_MEM_TABLE: the RAM slots (vm.c), in this process's addresses. */
static int set_mem_table(struct hvd_vm *vm)
{
	struct {
		struct vhost_memory m;
		struct vhost_memory_region r[2];
	} t = { .m.nregions = 1 };

	t.r[0] = (struct vhost_memory_region){
		.guest_phys_addr = 0,
		.memory_size = vm->ram.below_4g,
		.userspace_addr = (uintptr_t)vm->ram.host,
	};
	if (vm->ram.size > vm->ram.below_4g) {
		t.r[1] = (struct vhost_memory_region){
			.guest_phys_addr = GIB4,
			.memory_size = vm->ram.size - vm->ram.below_4g,
			.userspace_addr =
				(uintptr_t)(vm->ram.host + vm->ram.below_4g),
		};
		t.m.nregions = 2;
	}
	return ioctl(vm->vhost.fd, VHOST_SET_MEM_TABLE, &t) ? -errno : 0;
}

/* VHOST_SET_VRING_ADDR takes this process's addresses of the rings. */
static int set_addr(struct hvd_vm *vm, const struct hvd_vhost_ring *r)
{
	void *desc = hvd_ram_ptr(&vm->ram, r->desc, 16ull * r->num);
	void *avail = hvd_ram_ptr(&vm->ram, r->avail, 6 + 2ull * r->num);
	void *used = hvd_ram_ptr(&vm->ram, r->used, 6 + 8ull * r->num);
	struct vhost_vring_addr a = {
		.index = r->index,
		.desc_user_addr = (uintptr_t)desc,
		.avail_user_addr = (uintptr_t)avail,
		.used_user_addr = (uintptr_t)used,
	};

	/* The transport checked them at queue_enable; RAM does not move. */
	if (!desc || !avail || !used)
		return -EFAULT;
	return ioctl(vm->vhost.fd, VHOST_SET_VRING_ADDR, &a) ? -errno : 0;
}

static int set_ring(struct hvd_vm *vm, const struct hvd_vhost_ring *r,
		    const char **what)
{
	struct vhost_vring_state s = { .index = r->index, .num = r->num };
	int fd = vm->vhost.fd, err;

	*what = "VHOST_SET_VRING_NUM";
	if (ioctl(fd, VHOST_SET_VRING_NUM, &s))
		return -errno;
	*what = "VHOST_SET_VRING_BASE";
	s.num = r->base;
	if (ioctl(fd, VHOST_SET_VRING_BASE, &s))
		return -errno;
	*what = "VHOST_SET_VRING_ADDR";
	err = set_addr(vm, r);
	if (!err) {
		*what = "VHOST_SET_VRING_KICK";
		err = set_file(fd, VHOST_SET_VRING_KICK, r->index, r->kick);
	}
	if (!err) {
		*what = "VHOST_SET_VRING_CALL";
		err = set_file(fd, VHOST_SET_VRING_CALL, r->index, r->call);
	}
	if (!err) {
		*what = "VHOST_SET_VRING_ERR";
		err = set_file(fd, VHOST_SET_VRING_ERR, r->index, r->err);
	}
	return err;
}

/**
 * hvd_vhost_start() - struct hvd_services.vhost_start
 * @vm: the VM
 * @features: the features the driver accepted
 * @rings: the queues, @rings[i].index == i
 * @nr: entries of @rings
 *
 * Called with vm->dev_lock held.
 *
 * Return: 0, -ENODEV without vhost-net, or the errno of the ioctl that
 * failed (logged; the net path reported as hvd's then).
 */
int hvd_vhost_start(struct hvd_vm *vm, uint64_t features,
		    const struct hvd_vhost_ring *rings, unsigned int nr)
{
	const char *what = "VHOST_SET_FEATURES";
	unsigned int i;
	int err = 0;

	if (vm->vhost.fd < 0 || !vm->vhost.owned || vm->vhost.running)
		return -ENODEV;
	/*
	 * Only the bits vhost-net knows; never VHOST_NET_F_VIRTIO_NET_HDR
	 * (the tap has the header) or VHOST_F_LOG_ALL (no dirty log).
	 */
	features &= vm->vhost.features & ~(1ull << VHOST_NET_F_VIRTIO_NET_HDR |
					   1ull << VHOST_F_LOG_ALL);
	if (ioctl(vm->vhost.fd, VHOST_SET_FEATURES, &features))
		err = -errno;
	if (!err) {
		what = "VHOST_SET_MEM_TABLE";
		err = set_mem_table(vm);
	}
	for (i = 0; !err && i < nr; i++)
		err = set_ring(vm, &rings[i], &what);
	for (i = 0; !err && i < nr; i++) {
		what = "VHOST_NET_SET_BACKEND";
		err = set_file(vm->vhost.fd, VHOST_NET_SET_BACKEND, i,
			       vm->net.fd);
	}
	if (err) {
		release(vm, NULL, nr);
		hvd_warn("vm %s: vhost-net: %s: %s", vm->def->name, what,
			 strerror(-err));
		report(vm, "tap %s, hvd (vhost-net: %s: %s)", vm->def->tap,
		       what, strerror(-err));
		return err;
	}
	vm->vhost.running = true;
	report(vm, "tap %s, vhost-net", vm->def->tap);
	return 0;
}

/**
 * hvd_vhost_call() - struct hvd_services.vhost_call
 * @vm: the VM
 * @index: the ring
 * @fd: the eventfd vhost signals from now on
 *
 * Return: 0 or a negative errno (-ENODEV: not started).
 */
int hvd_vhost_call(struct hvd_vm *vm, unsigned int index, int fd)
{
	if (!vm->vhost.running)
		return -ENODEV;
	return set_file(vm->vhost.fd, VHOST_SET_VRING_CALL, index, fd);
}

/**
 * hvd_vhost_stop() - struct hvd_services.vhost_stop
 * @vm: the VM
 * @base: receives each ring's next available index
 * @nr: entries of @base, the rings started
 */
void hvd_vhost_stop(struct hvd_vm *vm, uint16_t *base, unsigned int nr)
{
	if (!vm->vhost.running)
		return;
	release(vm, base, nr);
	vm->vhost.running = false;
}
