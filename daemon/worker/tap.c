// SPDX-License-Identifier: GPL-2.0
/*
 * The tap device of the definition's virtio-net, opened before the
 * sandbox (TUNSETIFF needs CAP_NET_ADMIN, unless the tap is a persistent
 * one its owner made for hvd's user): a tap without packet information,
 * with the 12-byte virtio-net header (IFF_VNET_HDR, TUNSETVNETHDRSZ), so
 * that the device moves a packet between the guest and the tap as it is.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

#define VNET_HDR_LEN 12 /* struct virtio_net_hdr_v1, virtio 1.2 5.1.6 */

/**
 * hvd_tap_open() - open the virtio-net's tap, if any
 * @vm: the VM
 * @why: receives the reason for a failure
 * @len: size of @why
 *
 * Return: 0 or a negative errno.
 */
int hvd_tap_open(struct hvd_vm *vm, char *why, size_t len)
{
	const struct hvd_def *d = vm->def;
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int hdr = VNET_HDR_LEN, fd, err;
	uint32_t h = 2166136261u;
	const char *c;

	vm->net.fd = -1;
	if (!d->tap[0])
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", d->tap);
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) ||
	    ioctl(fd, TUNSETVNETHDRSZ, &hdr)) {
		err = -errno;
		hvd_setf(why, len, "net: tap %s: %s%s", d->tap, strerror(errno),
			 errno == EPERM ?
				 " (hvd needs CAP_NET_ADMIN, or a persistent tap of its user)" :
				 "");
		if (fd >= 0)
			close(fd);
		return err;
	}
	vm->net.fd = fd;
	if (d->has_mac) {
		memcpy(vm->net.mac, d->mac, 6);
	} else {
		/* QEMU's locally administered prefix, the rest from the name. */
		for (c = d->name; *c; c++)
			h = (h ^ (uint8_t)*c) * 16777619u;
		vm->net.mac[0] = 0x52;
		vm->net.mac[1] = 0x54;
		vm->net.mac[2] = 0x00;
		vm->net.mac[3] = h >> 16;
		vm->net.mac[4] = h >> 8;
		vm->net.mac[5] = h;
	}
	hvd_info("vm %s: virtio net on tap %s, mac %02x:%02x:%02x:%02x:%02x:%02x",
		 d->name, ifr.ifr_name, vm->net.mac[0], vm->net.mac[1],
		 vm->net.mac[2], vm->net.mac[3], vm->net.mac[4],
		 vm->net.mac[5]);
	return 0;
}

/**
 * hvd_tap_close() - close it
 * @vm: the VM, its models destroyed
 */
void hvd_tap_close(struct hvd_vm *vm)
{
	if (vm->net.fd >= 0)
		close(vm->net.fd);
	vm->net.fd = -1;
}
