// SPDX-License-Identifier: GPL-2.0
/*
 * The definition's disk images, opened once per worker before anything
 * runs, so that a missing or unreadable image stops the VM with a reason
 * instead of a device that fails every request, and so that the worker
 * needs no path to them afterwards (the sandbox issue). A disk with the
 * option direct is opened with O_DIRECT; its alignment rules, asked of
 * the kernel here, go to the model with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

#define DIO_MAX_ALIGN	4096	/* the largest blk_size Linux guests take */

/*
 * O_DIRECT's alignment of @fd: the logical block size for offsets and
 * lengths, and the memory alignment of buffers. A block device answers
 * BLKSSZGET; a file answers statx(STATX_DIOALIGN) from Linux 6.1 on (ext4,
 * xfs, f2fs), where both 0 mean no direct I/O for it. Elsewhere the file
 * system's block size is the guess: never smaller than the device's.
 */
static int dio_align(int fd, const struct stat *st, struct hvd_backend *b)
{
	unsigned int blk = 0, mem = 0;
	int ssz;

#ifdef STATX_DIOALIGN
	struct statx stx;

	if (!statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) &&
	    (stx.stx_mask & STATX_DIOALIGN)) {
		if (!stx.stx_dio_offset_align)
			return -EINVAL;
		blk = stx.stx_dio_offset_align;
		mem = stx.stx_dio_mem_align;
	}
#endif
	if (S_ISBLK(st->st_mode)) {
		if (ioctl(fd, BLKSSZGET, &ssz))
			return -errno;
		blk = ssz;
	} else if (!blk) {
		blk = st->st_blksize;
	}
	/* virtio-blk counts 512-byte sectors (5.2.4): never less. */
	if (blk < 512)
		blk = 512;
	if (!mem || mem > blk)
		mem = blk;
	if (blk & (blk - 1) || mem & (mem - 1))
		return -EDOM;
	if (blk > DIO_MAX_ALIGN)
		return -ERANGE;
	b->blk_align = blk;
	b->mem_align = mem;
	return 0;
}

static const char *align_error(int err)
{
	if (err == -EDOM)
		return "not a power of two";
	if (err == -ERANGE)
		return "blocks larger than 4096 bytes";
	return strerror(-err);
}

/* One line for the log and one for hvctl vm show: how the disks do I/O. */
static void report(struct hvd_vm *vm)
{
	char msg[256];
	size_t off;
	unsigned int i;

	if (!vm->nr_backends)
		return;
	off = snprintf(msg, sizeof(msg), "%s:", hvd_aio_engine(vm));
	for (i = 0; i < vm->nr_backends && off < sizeof(msg); i++) {
		const struct hvd_backend *b = &vm->backends[i];

		if (b->direct)
			off += snprintf(msg + off, sizeof(msg) - off,
					"%s direct %u", i ? "," : "",
					b->blk_align);
		else
			off += snprintf(msg + off, sizeof(msg) - off,
					"%s cached", i ? "," : "");
	}
	hvd_info("vm %s: disks: %s", vm->def->name, msg);
	hvd_control_send("disks %s", msg);
}

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
					      (k->direct ? O_DIRECT : 0) |
					      O_CLOEXEC);
		if (b->fd < 0 && k->direct && errno == EINVAL) {
			/* tmpfs before Linux 6.6, for one. */
			hvd_setf(why, len,
				 "disk %s: the file system does not support direct I/O (option direct)",
				 k->path);
			return -EINVAL;
		}
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
		b->direct = k->direct;
		b->blk_align = 512;
		b->mem_align = 1;
		memcpy(b->serial, k->serial, sizeof(b->serial));
		if (!k->direct)
			continue;
		err = dio_align(b->fd, &st, b);
		if (err == -EINVAL) {
			hvd_setf(why, len,
				 "disk %s: the file system does not support direct I/O (option direct)",
				 k->path);
			return err;
		}
		if (err) {
			hvd_setf(why, len,
				 "disk %s: no usable direct I/O alignment: %s (option direct)",
				 k->path, align_error(err));
			return err;
		}
		/* The guest's last block must be whole (5.2.4, blk_size). */
		if (size % b->blk_align) {
			hvd_setf(why, len,
				 "disk %s: %llu bytes is not a whole number of the file system's %u-byte blocks (option direct)",
				 k->path, (unsigned long long)size,
				 b->blk_align);
			return -EINVAL;
		}
	}
	report(vm);
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
