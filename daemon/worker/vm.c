// SPDX-License-Identifier: GPL-2.0
/*
 * One VM's life in a worker: read the kernel and initrd, create the VM
 * with its RAM (a memfd) and vCPUs, lay out the firmware tables and the
 * kernel, create the platform's models, run until the guest powers off,
 * resets, exits or crashes, and take it all down again. A reset the
 * definition wants restarted runs the whole sequence again: a new VM is
 * the cleanest machine reset there is.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

#define GIB4 0x100000000ull
#define NAME_WAIT_MS 10000 /* for a dying worker's VM of the same name */

/* Read a whole file no larger than @max bytes. */
static int read_file(const char *what, const char *path, uint64_t max,
		     struct hvd_image *img, char *why, size_t len)
{
	struct stat st;
	uint8_t *buf;
	size_t off = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		hvd_setf(why, len, "%s %s: %s", what, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		hvd_setf(why, len, "%s %s: not a regular file", what, path);
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		hvd_setf(why, len,
		     "%s %s: %llu bytes do not fit in %llu MiB of RAM", what,
		     path, (unsigned long long)st.st_size,
		     (unsigned long long)(max >> 20));
		return -E2BIG;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		hvd_setf(why, len, "%s %s: out of memory", what, path);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n ? -errno : -EIO;
			hvd_setf(why, len, "%s %s: %s", what, path,
			     n ? strerror(errno) : "shorter than it was");
			free(buf);
			close(fd);
			return err;
		}
		off += n;
	}
	close(fd);
	img->data = buf;
	img->size = off;
	img->name = path;
	return 0;
}

/* The request failed: say which, with the module's reason. */
static int hv_fail(struct hvd_vm *vm, int err, const char *what, char *why,
		   size_t len)
{
	const char *msg = hv_errmsg(vm->h);

	hvd_setf(why, len, "%s: %s%s%s", what, *msg ? msg : "", *msg ? ": " : "",
	     strerror(-err));
	return err;
}

static int load_kernel(struct hvd_vm *vm, const struct hvd_image *kernel,
		       const struct hvd_image *initrd, struct hvd_boot *boot,
		       char *why, size_t len)
{
	struct hvd_boot_args args = {
		.kernel = *kernel,
		.initrd = *initrd,
		.cmdline = vm->def->cmdline,
		.nr_vcpus = vm->cfg.nr_vcpus,
	};
	int64_t rsdp;

	rsdp = hvd_acpi_build(&vm->ram, vm->cfg.nr_vcpus, why, len);
	if (rsdp < 0)
		return rsdp;
	args.rsdp = rsdp;
	if (hvd_is_bzimage(kernel))
		return hvd_load_bzimage(&vm->ram, &args, boot, why, len);
	if (hvd_is_pvh(kernel))
		return hvd_load_pvh(&vm->ram, &args, boot, why, len);
	if (hvd_is_multiboot(kernel))
		return hvd_load_multiboot(&vm->ram, &args, boot, why, len);
	hvd_setf(why, len,
	     "kernel %s is not a bzImage, an ELF vmlinux with a PVH entry note or a multiboot image",
	     kernel->name);
	return -ENOEXEC;
}

static int setup_bsp(struct hvd_vm *vm, const struct hvd_boot *boot, char *why,
		     size_t len)
{
	struct hv_regs r;
	int err;

	err = hv_vcpu_get_regs(vm->h, vm->id, 0, &r);
	if (err)
		return hv_fail(vm, err, "vcpu-get-regs", why, len);
	if (hv_setup_mode(&r,
			  boot->mode == HVD_BOOT_LONG64 ? HV_MODE_LONG64 :
							  HV_MODE_PROT32,
			  boot->rip, boot->rsp, vm->ram.host,
			  vm->ram.below_4g)) {
		hvd_setf(why, len, "cannot set the boot processor up for %s",
		     boot->kind);
		return -EINVAL;
	}
	r.gpr[HV_RSI] = boot->rsi;
	r.gpr[HV_RBX] = boot->rbx;
	r.gpr[HV_RAX] = boot->rax;
	err = hv_vcpu_set_regs(vm->h, vm->id, 0, &r);
	if (err)
		return hv_fail(vm, err, "vcpu-set-regs", why, len);
	return 0;
}

static int create(struct hvd_vm *vm, const struct hvd_image *kernel,
		  const struct hvd_image *initrd, char *why, size_t len)
{
	const struct hvd_def *d = vm->def;
	struct hv_vm_opts opts = {
		.name = d->name,
		.max_vcpus = d->vcpus,
		.max_mem = d->mem,
		.no_halt_notices = 1,
		.unknown_msr = HV_MSR_POLICY_EXIT,
	};
	struct hv_vm_info info;
	struct hvd_boot boot;
	unsigned int i;
	int err;

	/*
	 * A sandboxed worker that was just killed takes its VM with it a
	 * moment after its parent is reported gone (the relay and the
	 * worker die of its death): a restart can come first.
	 */
	for (i = 0; (err = hv_vm_new(vm->h, &opts, &info)) == -EEXIST &&
		    i < NAME_WAIT_MS / 20; i++) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	if (err)
		return hv_fail(vm, err, "cannot create the VM", why, len);
	vm->id = info.id;

	vm->memfd = memfd_create(d->name, MFD_CLOEXEC);
	if (vm->memfd < 0 || ftruncate(vm->memfd, d->mem)) {
		err = -errno;
		hvd_setf(why, len, "guest RAM (%llu MiB): %s",
		     (unsigned long long)(d->mem >> 20), strerror(errno));
		return err;
	}
	vm->ram.host = mmap(NULL, d->mem, PROT_READ | PROT_WRITE, MAP_SHARED,
			    vm->memfd, 0);
	if (vm->ram.host == MAP_FAILED) {
		vm->ram.host = NULL;
		err = -errno;
		hvd_setf(why, len, "guest RAM (%llu MiB): %s",
		     (unsigned long long)(d->mem >> 20), strerror(errno));
		return err;
	}
	vm->ram.size = d->mem;
	vm->ram.below_4g = d->mem < HVD_PCI_HOLE_START ? d->mem :
							 HVD_PCI_HOLE_START;
	err = hv_mem_map(vm->h, vm->id, 0, vm->ram.below_4g, vm->ram.host, 0,
			 NULL);
	if (!err && d->mem > vm->ram.below_4g)
		err = hv_mem_map(vm->h, vm->id, GIB4, d->mem - vm->ram.below_4g,
				 vm->ram.host + vm->ram.below_4g, 0, NULL);
	if (err)
		return hv_fail(vm, err, "cannot map guest RAM", why, len);

	vm->cfg.nr_vcpus = d->vcpus;
	vm->cfg.ram_size = d->mem;
	vm->cfg.ram_below_4g = vm->ram.below_4g;
	vm->vcpus = calloc(d->vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		hvd_setf(why, len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < d->vcpus; i++) {
		struct hv_vcpu_info vi;

		err = hv_vcpu_new(vm->h, vm->id, &vi);
		if (err)
			return hv_fail(vm, err, "cannot create a vCPU", why,
				       len);
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = vi.id;
	}

	err = load_kernel(vm, kernel, initrd, &boot, why, len);
	if (!err)
		err = setup_bsp(vm, &boot, why, len);
	if (err)
		return err;
	hvd_info("vm %s: %s %s, %u vCPU%s, %llu MiB", d->name, boot.kind,
		 kernel->name, d->vcpus, d->vcpus == 1 ? "" : "s",
		 (unsigned long long)(d->mem >> 20));
	return 0;
}

static void destroy(struct hvd_vm *vm)
{
	if (vm->id) {
		hv_vm_pause(vm->h, vm->id);
		hvd_vcpus_stop(vm);
	}
	hvd_bus_destroy(vm);
	if (vm->id)
		hv_vm_del(vm->h, vm->id);
	vm->id = 0;
	free(vm->vcpus);
	vm->vcpus = NULL;
	if (vm->ram.host)
		munmap(vm->ram.host, vm->ram.size);
	vm->ram.host = NULL;
	if (vm->memfd >= 0)
		close(vm->memfd);
	vm->memfd = -1;
}

static void drop_image(struct hvd_image *img)
{
	free((void *)img->data);
	img->data = NULL;
	img->size = 0;
}

static int read_images(const struct hvd_def *def, struct hvd_image *kernel,
		       struct hvd_image *initrd, char *reason, size_t len)
{
	int err;

	err = read_file("kernel", def->kernel, def->mem, kernel, reason, len);
	if (!err && def->initrd[0])
		err = read_file("initrd", def->initrd, def->mem, initrd,
				reason, len);
	return err;
}

static int run_once(struct hvd_vm *vm, struct hvd_image *kernel,
		    struct hvd_image *initrd)
{
	int err;

	vm->end = HVD_END_NONE;
	vm->stopping = false;
	vm->intr_level = 0;
	err = create(vm, kernel, initrd, vm->reason, sizeof(vm->reason));
	/*
	 * The images are in guest RAM now: their copies go, so that a
	 * running VM does not keep megabytes of kernel and initrd twice.
	 */
	drop_image(kernel);
	drop_image(initrd);
	if (!err) {
		err = hvd_bus_create(vm);
		if (err)
			hvd_setf(vm->reason, sizeof(vm->reason),
			     "cannot create the devices: %s", strerror(-err));
	}
	if (!err && vm->def->sandbox)
		err = hvd_sandbox_enter(vm, vm->reason, sizeof(vm->reason));
	/* In the process that runs the VM: see vhost.c. */
	if (!err)
		err = hvd_vhost_own(vm, vm->reason, sizeof(vm->reason));
	if (!err)
		err = hvd_vcpus_start(vm);
	if (!err) {
		err = hv_vm_start(vm->h, vm->id);
		if (err)
			hv_fail(vm, err, "cannot start the VM", vm->reason,
				sizeof(vm->reason));
		else
			hvd_control_send("running");
	}
	if (!err) {
		err = hvd_loop_run(vm);
		if (err)
			hvd_setf(vm->reason, sizeof(vm->reason), "event loop: %s",
			     strerror(-err));
	}
	if (err)
		vm->end = HVD_END_ERROR;
	destroy(vm);
	return err;
}

/**
 * hvd_vm_run() - run a VM in this process until it ends for good
 * @def: its definition
 * @end: receives why it ended
 * @status: receives the debug-exit status
 * @reason: receives a sentence on why it ended
 * @len: size of @reason
 *
 * Return: 0 if it ran, or a negative errno if it could not start (with
 * @reason naming the cause: a missing kernel, a malformed image, a refusal
 * by the module).
 */
int hvd_vm_run(const struct hvd_def *def, enum hvd_end *end, int *status,
	       char *reason, size_t len)
{
	struct hvd_image kernel = { 0 }, initrd = { 0 };
	struct hvd_vm *vm;
	int err;

	vm = calloc(1, sizeof(*vm));
	if (!vm) {
		hvd_setf(reason, len, "out of memory");
		return -ENOMEM;
	}
	vm->def = def;
	vm->memfd = vm->timerfd = vm->wake_fd = vm->watch_fd = -1;
	vm->aio_fd = vm->vcon.fd = vm->vcon_peer = vm->net.fd = -1;
	vm->vhost.fd = -1;
	vm->con_in = vm->con_out = -1;
	pthread_mutex_init(&vm->hv_lock, NULL);
	pthread_mutex_init(&vm->dev_lock, NULL);

	err = read_images(def, &kernel, &initrd, reason, len);
	if (!err) {
		err = hv_open(&vm->h);
		if (err)
			hvd_setf(reason, len,
			     "cannot reach the hv module: %s (is it loaded? modprobe hv)",
			     strerror(-err));
	}
	if (!err) {
		err = hv_open(&vm->notices);
		if (!err)
			err = hv_subscribe_notices(vm->notices);
		if (err)
			hvd_setf(reason, len,
			     "cannot subscribe to hv's notices: %s",
			     strerror(-err));
	}
	if (!err) {
		err = hvd_timers_init(vm);
		vm->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (!err && vm->wake_fd < 0)
			err = -errno;
		if (err)
			hvd_setf(reason, len, "timers: %s", strerror(-err));
	}
	if (!err) {
		err = hvd_notify_init(vm);
		if (err)
			hvd_setf(reason, len, "epoll: %s", strerror(-err));
	}
	if (!err) {
		err = hvd_aio_init(vm);
		if (err)
			hvd_setf(reason, len, "disk I/O: %s", strerror(-err));
	}
	if (!err)
		err = hvd_disks_open(vm, reason, len);
	if (!err)
		err = hvd_vconsole_open(vm, reason, len);
	if (!err)
		err = hvd_tap_open(vm, reason, len);
	if (!err)
		err = hvd_vhost_open(vm, reason, len);
	if (!err) {
		err = hvd_console_open(vm);
		if (err)
			hvd_setf(reason, len, "cannot open the serial console");
	}
	while (!err) {
		/* A restart reads them again: see run_once(). */
		if (!kernel.data)
			err = read_images(def, &kernel, &initrd, reason, len);
		if (err)
			break;
		err = run_once(vm, &kernel, &initrd);
		if (err) {
			hvd_setf(reason, len, "%s", vm->reason);
			break;
		}
		/* A sandboxed worker cannot make a VM again: hvd.c does. */
		if (vm->end != HVD_END_RESET ||
		    def->on_reboot != HVD_REBOOT_RESTART || def->sandbox)
			break;
		hvd_info("vm %s: %s: restarting", def->name, vm->reason);
	}
	if (!err) {
		*end = vm->end;
		*status = vm->exit_status;
		hvd_setf(reason, len, "%s", vm->reason);
	}
	hvd_console_close(vm);
	hvd_disks_close(vm);
	hvd_vconsole_close(vm);
	hvd_vhost_close(vm);
	hvd_tap_close(vm);
	hvd_aio_fini(vm);
	hvd_notify_fini(vm);
	hvd_timers_fini(vm);
	if (vm->wake_fd >= 0)
		close(vm->wake_fd);
	hv_close(vm->notices);
	hv_close(vm->h);
	free((void *)kernel.data);
	free((void *)initrd.data);
	free(vm);
	return err;
}
