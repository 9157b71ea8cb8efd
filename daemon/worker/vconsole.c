// SPDX-License-Identifier: GPL-2.0
/*
 * The backend of the definition's virtio-console, opened before the
 * sandbox: a pseudo-terminal (console.c's; the worker keeps its other end
 * open too, so that the master never hangs up while no one is attached,
 * which would make it readable for ever), or a file the guest's output
 * is appended to.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

/**
 * hvd_vconsole_open() - open the virtio-console's backend, if any
 * @vm: the VM
 * @why: receives the reason for a failure
 * @len: size of @why
 *
 * Return: 0 or a negative errno.
 */
int hvd_vconsole_open(struct hvd_vm *vm, char *why, size_t len)
{
	const char *what = vm->def->vconsole;
	int fd, err;

	vm->vcon.fd = -1;
	vm->vcon_peer = -1;
	if (!what[0])
		return 0;
	if (!strncmp(what, "file:", 5)) {
		fd = open(what + 5, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
			  0640);
		if (fd < 0) {
			err = -errno;
			hvd_setf(why, len, "virtio-console file %s: %s",
				 what + 5, strerror(errno));
			return err;
		}
		vm->vcon.fd = fd;
		vm->vcon.readonly = 1; /* no input */
		return 0;
	}
	fd = hvd_pty_open();
	if (fd >= 0) {
		vm->vcon_peer = open(ptsname(fd), O_RDWR | O_NOCTTY |
				     O_CLOEXEC);
		if (vm->vcon_peer < 0) {
			err = -errno;
			close(fd);
			fd = err;
		}
	}
	if (fd < 0) {
		hvd_setf(why, len, "virtio-console: a pseudo-terminal: %s",
			 strerror(-fd));
		return fd;
	}
	vm->vcon.fd = fd;
	hvd_info("vm %s: virtio console on %s", vm->def->name, ptsname(fd));
	return 0;
}

/**
 * hvd_vconsole_close() - close it
 * @vm: the VM, its models destroyed
 */
void hvd_vconsole_close(struct hvd_vm *vm)
{
	if (vm->vcon.fd >= 0)
		close(vm->vcon.fd);
	if (vm->vcon_peer >= 0)
		close(vm->vcon_peer);
	vm->vcon.fd = -1;
	vm->vcon_peer = -1;
}
