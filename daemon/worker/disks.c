// SPDX-License-Identifier: GPL-2.0
/*
 * The definition's disk images, opened once per worker before anything
 * runs, so that a missing or unreadable image stops the VM with a reason
 * instead of a device that fails every request, and so that the worker
 * needs no path to them afterwards (the sandbox issue).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

/**
 * hvd_disks_open() - open every disk of the definition
 * @vm: the VM
 * @why: receives the reason for a failure
 * @len: size of @why
 *
 * Return: 0 or a negative errno (the disks opened so far stay open for
 * hvd_disks_close()).
 */
int hvd_disks_open(struct hvd_vm *vm, char *why, size_t len)
{
	const struct hvd_def *d = vm->def;
	unsigned int i;

	for (i = 0; i < d->nr_disks; i++) {
		const struct hvd_disk *k = &d->disks[i];
		struct hvd_backend *b = &vm->backends[i];
		struct stat st;
		uint64_t size;
		int err;

		b->fd = open(k->path, (k->readonly ? O_RDONLY : O_RDWR) |
					      O_CLOEXEC);
		if (b->fd < 0) {
			err = -errno;
			hvd_setf(why, len, "disk %s: %s", k->path,
				 strerror(errno));
			return err;
		}
		vm->nr_backends = i + 1;
		if (fstat(b->fd, &st)) {
			err = -errno;
			hvd_setf(why, len, "disk %s: %s", k->path,
				 strerror(errno));
			return err;
		}
		if (S_ISBLK(st.st_mode)) {
			if (ioctl(b->fd, BLKGETSIZE64, &size)) {
				err = -errno;
				hvd_setf(why, len, "disk %s: %s", k->path,
					 strerror(errno));
				return err;
			}
		} else if (S_ISREG(st.st_mode)) {
			size = st.st_size;
		} else {
			hvd_setf(why, len,
				 "disk %s: not a regular file or block device",
				 k->path);
			return -EINVAL;
		}
		/* virtio-blk counts 512-byte sectors (5.2.4). */
		if (size % 512) {
			hvd_setf(why, len,
				 "disk %s: %llu bytes is not a whole number of 512-byte sectors",
				 k->path, (unsigned long long)size);
			return -EINVAL;
		}
		b->size = size;
		b->readonly = k->readonly;
		memcpy(b->serial, k->serial, sizeof(b->serial));
	}
	return 0;
}

/**
 * hvd_disks_close() - close the disks
 * @vm: the VM, its models destroyed
 */
void hvd_disks_close(struct hvd_vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->nr_backends; i++)
		close(vm->backends[i].fd);
	vm->nr_backends = 0;
}
