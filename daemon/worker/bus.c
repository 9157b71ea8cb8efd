// SPDX-License-Identifier: GPL-2.0
/*
 * The device bus of a worker: the model instances, the dispatch of port
 * and MMIO accesses to them, and the services they are given. Every call
 * into a model holds vm->dev_lock (devmodel.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

#define HVD_PCI_NR_WINDOWS 6

static struct hvd_vm *dev_vm(void *ctx)
{
	return ((struct hvd_dev *)ctx)->vm;
}

static int svc_mem_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	void *p = hvd_ram_ptr(&dev_vm(ctx)->ram, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

static int svc_mem_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
	void *p = hvd_ram_ptr(&dev_vm(ctx)->ram, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

static void *svc_mem_ptr(void *ctx, uint64_t gpa, size_t len)
{
	return hvd_ram_ptr(&dev_vm(ctx)->ram, gpa, len);
}

static void svc_set_irq(void *ctx, unsigned int gsi, int level)
{
	hvd_irq_set(dev_vm(ctx), gsi, level);
}

static int svc_send_msi(void *ctx, uint64_t addr, uint32_t data)
{
	return hvd_irq_msi(dev_vm(ctx), addr, data);
}

static void svc_set_intr(void *ctx, int level)
{
	hvd_irq_intr(dev_vm(ctx), level);
}

static uint64_t svc_now(void *ctx)
{
	return hvd_now_ns();
}

static uint64_t svc_wall(void *ctx)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static struct hvd_timer *svc_timer_new(void *ctx, void (*fn)(void *),
				       void *opaque)
{
	return hvd_timer_new(dev_vm(ctx), fn, opaque);
}

static void svc_timer_mod(void *ctx, struct hvd_timer *t, uint64_t deadline)
{
	hvd_timer_mod(dev_vm(ctx), t, deadline);
}

static void svc_timer_del(void *ctx, struct hvd_timer *t)
{
	hvd_timer_del(dev_vm(ctx), t);
}

static void svc_timer_free(void *ctx, struct hvd_timer *t)
{
	hvd_timer_free(dev_vm(ctx), t);
}

static size_t svc_chr_write(void *ctx, const void *buf, size_t len)
{
	return hvd_console_write(dev_vm(ctx), buf, len);
}

static void svc_chr_accept(void *ctx)
{
	hvd_console_accept(dev_vm(ctx));
}

static void svc_request(void *ctx, enum hvd_request req, int status)
{
	struct hvd_vm *vm = dev_vm(ctx);

	switch (req) {
	case HVD_REQ_RESET:
		hvd_vm_end(vm, HVD_END_RESET, 0, "the guest reset the machine");
		break;
	case HVD_REQ_POWEROFF:
		hvd_vm_end(vm, HVD_END_POWEROFF, 0, "the guest powered off");
		break;
	case HVD_REQ_EXIT:
		hvd_vm_end(vm, HVD_END_EXIT, status, "isa-debug-exit");
		break;
	}
}

static void svc_log(void *ctx, int prio, const char *fmt, va_list ap)
{
	struct hvd_dev *dev = ctx;
	char buf[384];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	hvd_log(prio, "vm %s: %s: %s", dev->vm->def->name, dev->model->name,
		buf);
}

static struct hvd_dev *pci_function(struct hvd_vm *vm, unsigned int devfn)
{
	unsigned int i;

	for (i = 0; i < vm->nr_devs; i++)
		if (vm->devs[i].model->cfg_read &&
		    vm->devs[i].cfg.devfn == devfn)
			return &vm->devs[i];
	return NULL;
}

static uint32_t svc_pci_cfg_read(void *ctx, unsigned int devfn,
				 unsigned int reg, unsigned int size)
{
	struct hvd_dev *f = pci_function(dev_vm(ctx), devfn);

	return f ? f->model->cfg_read(f->priv, reg, size) : 0xffffffffu;
}

static void svc_pci_cfg_write(void *ctx, unsigned int devfn,
			      unsigned int reg, unsigned int size,
			      uint32_t val)
{
	struct hvd_dev *f = pci_function(dev_vm(ctx), devfn);

	if (f)
		f->model->cfg_write(f->priv, reg, size, val);
}

static int svc_ioeventfd(void *ctx, int fd, enum hvd_space space,
			 uint64_t addr, unsigned int len, int add)
{
	return hvd_notify_ioeventfd(dev_vm(ctx), fd, space, addr, len, add);
}

static int svc_irqfd(void *ctx, int fd, uint64_t addr, uint32_t data,
		     int add)
{
	return hvd_notify_irqfd(dev_vm(ctx), fd, addr, data, add);
}

static int svc_watch(void *ctx, int fd, void (*fn)(void *), void *opaque)
{
	return hvd_notify_watch(dev_vm(ctx), fd, fn, opaque);
}

static void svc_unwatch(void *ctx, int fd)
{
	hvd_notify_unwatch(dev_vm(ctx), fd);
}

static void svc_aio_submit(void *ctx, struct hvd_aio *req)
{
	hvd_aio_submit(dev_vm(ctx), req);
}

static int svc_vhost_start(void *ctx, uint64_t features,
			   const struct hvd_vhost_ring *rings, unsigned int nr)
{
	return hvd_vhost_start(dev_vm(ctx), features, rings, nr);
}

static int svc_vhost_call(void *ctx, unsigned int index, int fd)
{
	return hvd_vhost_call(dev_vm(ctx), index, fd);
}

static void svc_vhost_stop(void *ctx, uint16_t *base, unsigned int nr)
{
	hvd_vhost_stop(dev_vm(ctx), base, nr);
}

static const struct hvd_services services = {
	.mem_read = svc_mem_read,
	.mem_write = svc_mem_write,
	.mem_ptr = svc_mem_ptr,
	.set_irq = svc_set_irq,
	.send_msi = svc_send_msi,
	.set_intr = svc_set_intr,
	.now_ns = svc_now,
	.wall_ns = svc_wall,
	.timer_new = svc_timer_new,
	.timer_mod = svc_timer_mod,
	.timer_del = svc_timer_del,
	.timer_free = svc_timer_free,
	.chr_write = svc_chr_write,
	.chr_accept = svc_chr_accept,
	.request = svc_request,
	.log = svc_log,
	.pci_cfg_read = svc_pci_cfg_read,
	.pci_cfg_write = svc_pci_cfg_write,
	.ioeventfd = svc_ioeventfd,
	.irqfd = svc_irqfd,
	.watch = svc_watch,
	.unwatch = svc_unwatch,
	.aio_submit = svc_aio_submit,
	.vhost_start = svc_vhost_start,
	.vhost_call = svc_vhost_call,
	.vhost_stop = svc_vhost_stop,
};

/**
 * hvd_vm_end() - end the VM's run (the event loop stops, then the vCPUs)
 * @vm: the VM
 * @end: why
 * @status: the debug-exit status
 * @reason: what ended it
 *
 * The first reason wins: a reset after a poweroff changes nothing.
 */
void hvd_vm_end(struct hvd_vm *vm, enum hvd_end end, int status,
		const char *reason)
{
	if (__atomic_load_n(&vm->end, __ATOMIC_ACQUIRE) != HVD_END_NONE)
		return;
	vm->exit_status = status;
	snprintf(vm->reason, sizeof(vm->reason), "%s", reason);
	__atomic_store_n(&vm->end, end, __ATOMIC_RELEASE);
	hvd_loop_wake(vm);
}

static int add_dev(struct hvd_vm *vm, const struct hvd_model *m,
		   unsigned int slot, const struct hvd_backend *backend)
{
	struct hvd_dev *dev = &vm->devs[vm->nr_devs];
	int err;

	if (vm->nr_devs == HVD_MAX_DEVS)
		return -ENOSPC;
	dev->model = m;
	dev->vm = vm;
	dev->svc = services;
	dev->svc.ctx = dev;
	dev->cfg = vm->cfg;
	if (slot) {
		dev->cfg.devfn = slot << 3;
		dev->cfg.bar_base = HVD_PCI_HOLE_START +
				    slot * HVD_PCI_BAR_WINDOW;
	}
	dev->cfg.backend = backend;
	dev->priv = calloc(1, m->priv_size ? m->priv_size : 1);
	if (!dev->priv)
		return -ENOMEM;
	pthread_mutex_lock(&vm->dev_lock);
	err = m->create(dev->priv, &dev->svc, &dev->cfg);
	if (err && m->destroy)
		m->destroy(dev->priv);
	pthread_mutex_unlock(&vm->dev_lock);
	if (err) {
		hvd_err("vm %s: device %s: %s", vm->def->name, m->name,
			strerror(-err));
		free(dev->priv);
		dev->priv = NULL;
		return err;
	}
	vm->nr_devs++;
	if (!strcmp(m->name, "pic8259"))
		vm->pic = dev;
	else if (!strcmp(m->name, "ioapic"))
		vm->ioapic = dev;
	else if (!strcmp(m->name, "uart16550"))
		vm->uart = dev;
	return 0;
}

/**
 * hvd_bus_create() - create every model of the platform, then the PCI
 *	functions the definition names (its disks, virtio-net,
 *	virtio-rng, then virtio-console), in slots 1 and up of bus 0
 * @vm: the VM, with @cfg, @ram and the backends set
 *
 * Return: 0 or a negative errno (logged).
 */
int hvd_bus_create(struct hvd_vm *vm)
{
	unsigned int i, slot = 1;
	int err = 0;

	for (i = 0; i < hvd_nr_models && !err; i++)
		err = add_dev(vm, hvd_models[i], 0, NULL);
	for (i = 0; i < vm->nr_backends && !err; i++)
		err = add_dev(vm, hvd_model_find("virtio_blk"), slot++,
			      &vm->backends[i]);
	if (!err && vm->net.fd >= 0)
		err = add_dev(vm, hvd_model_find("virtio_net"), slot++,
			      &vm->net);
	if (!err && vm->def->rng)
		err = add_dev(vm, hvd_model_find("virtio_rng"), slot++, NULL);
	if (!err && vm->vcon.fd >= 0)
		err = add_dev(vm, hvd_model_find("virtio_console"), slot++,
			      &vm->vcon);
	return err;
}

/**
 * hvd_bus_destroy() - destroy every model
 * @vm: the VM
 */
void hvd_bus_destroy(struct hvd_vm *vm)
{
	unsigned int i;

	pthread_mutex_lock(&vm->dev_lock);
	hvd_aio_drain(vm);
	for (i = 0; i < vm->nr_devs; i++) {
		struct hvd_dev *dev = &vm->devs[i];

		if (dev->model->destroy)
			dev->model->destroy(dev->priv);
		free(dev->priv);
		dev->priv = NULL;
	}
	vm->nr_devs = 0;
	vm->pic = vm->ioapic = vm->uart = NULL;
	pthread_mutex_unlock(&vm->dev_lock);
}

/**
 * hvd_bus_reset() - a machine reset of every model
 * @vm: the VM
 */
void hvd_bus_reset(struct hvd_vm *vm)
{
	unsigned int i;

	pthread_mutex_lock(&vm->dev_lock);
	for (i = 0; i < vm->nr_devs; i++)
		if (vm->devs[i].model->reset)
			vm->devs[i].model->reset(vm->devs[i].priv);
	pthread_mutex_unlock(&vm->dev_lock);
}

static bool in_range(const struct hvd_range *rg, enum hvd_space space,
		     uint64_t addr)
{
	return rg->space == space && addr >= rg->base &&
	       addr - rg->base < rg->len;
}

/*
 * The model decoding @addr: fixed ranges first, then the windows of the
 * PCI functions' BARs, which the guest places (a BAR over a fixed range
 * loses, as behind a PC's subtractive decode).
 */
static struct hvd_dev *find(struct hvd_vm *vm, enum hvd_space space,
			    uint64_t addr)
{
	struct hvd_range w[HVD_PCI_NR_WINDOWS];
	unsigned int i, r, n;

	for (i = 0; i < vm->nr_devs; i++) {
		const struct hvd_model *m = vm->devs[i].model;

		for (r = 0; r < m->nr_ranges; r++)
			if (in_range(&m->ranges[r], space, addr))
				return &vm->devs[i];
	}
	for (i = 0; i < vm->nr_devs; i++) {
		const struct hvd_model *m = vm->devs[i].model;

		if (!m->windows)
			continue;
		n = m->windows(vm->devs[i].priv, w, HVD_PCI_NR_WINDOWS);
		for (r = 0; r < n; r++)
			if (in_range(&w[r], space, addr))
				return &vm->devs[i];
	}
	return NULL;
}

/**
 * hvd_bus_read() - a guest read of a port or of MMIO
 * @vm: the VM
 * @space: HVD_PIO or HVD_MMIO
 * @addr: the port or address
 * @size: 1, 2, 4 or 8 bytes
 *
 * Nothing there reads as all ones, as on a PC's buses.
 *
 * Return: the value.
 */
uint64_t hvd_bus_read(struct hvd_vm *vm, enum hvd_space space, uint64_t addr,
		      unsigned int size)
{
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
	struct hvd_dev *dev;
	uint64_t v = ~0ull;

	pthread_mutex_lock(&vm->dev_lock);
	dev = find(vm, space, addr);
	if (dev)
		v = dev->model->read(dev->priv, space, addr, size);
	pthread_mutex_unlock(&vm->dev_lock);
	return v & mask;
}

/**
 * hvd_bus_write() - a guest write to a port or to MMIO
 * @vm: the VM
 * @space: HVD_PIO or HVD_MMIO
 * @addr: the port or address
 * @size: 1, 2, 4 or 8 bytes
 * @val: the value
 *
 * Nothing there ignores the write.
 */
void hvd_bus_write(struct hvd_vm *vm, enum hvd_space space, uint64_t addr,
		   unsigned int size, uint64_t val)
{
	struct hvd_dev *dev;

	pthread_mutex_lock(&vm->dev_lock);
	dev = find(vm, space, addr);
	if (dev)
		dev->model->write(dev->priv, space, addr, size, val);
	pthread_mutex_unlock(&vm->dev_lock);
}
