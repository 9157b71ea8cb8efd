// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU threads of a worker: each waits on its vCPU's exit ring and
 * answers port and MMIO accesses from the device bus, the 8259's INTA
 * cycles and the IOAPIC's EOIs. The vCPU itself runs in the module's
 * kernel thread (DESIGN rule 1); these threads only answer it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

/* How often a waiting thread looks at vm->stopping. */
#define WAIT_MS 200

static void answer(struct hvd_vcpu *c, const struct hv_message *ev)
{
	struct hvd_vm *vm = c->vm;
	enum hvd_space space = ev->reason == HV_EXIT_REASON_IO ? HVD_PIO :
								 HVD_MMIO;
	uint64_t addr = space == HVD_PIO ? ev->port : ev->gpa;
	uint64_t data = 0;
	int error = 0, err;

	switch (ev->reason) {
	case HV_EXIT_REASON_IO:
	case HV_EXIT_REASON_MMIO:
		if (ev->size != 1 && ev->size != 2 && ev->size != 4 &&
		    ev->size != 8) {
			error = 1;
			break;
		}
		if (ev->dir == HV_DIR_WRITE)
			hvd_bus_write(vm, space, addr, ev->size, ev->data);
		else
			data = hvd_bus_read(vm, space, addr, ev->size);
		break;
	case HV_EXIT_REASON_INTA:
		error = hvd_irq_inta(vm, &data) ? 1 : 0;
		break;
	case HV_EXIT_REASON_EOI:
		hvd_irq_eoi(vm, ev->vector ? ev->vector : (uint8_t)ev->gpa);
		return;
	case HV_EXIT_REASON_HLT:
		return;
	case HV_EXIT_REASON_MSR:
		error = hvd_msr(vm, ev, &data) ? 1 : 0;
		break;
	default:
		error = 1;
		break;
	}
	err = hv_vcpu_exits_complete(c->exits, ev, data, error);
	if (err && !vm->stopping)
		hvd_warn("vm %s: vcpu %u: cannot complete exit %llu: %s",
			 vm->def->name, c->id, (unsigned long long)ev->seq,
			 strerror(-err));
}

static void *vcpu_thread(void *arg)
{
	struct hvd_vcpu *c = arg;
	struct hvd_vm *vm = c->vm;
	struct hv_message ev;

	while (!vm->stopping) {
		int err = hv_vcpu_exits_next(c->exits, &ev, WAIT_MS);

		if (err == -ETIMEDOUT || err == -EINTR)
			continue;
		if (err) {
			char why[128];

			snprintf(why, sizeof(why), "vcpu %u: exit ring: %s",
				 c->id, strerror(-err));
			hvd_vm_end(vm, HVD_END_ERROR, 0, why);
			break;
		}
		answer(c, &ev);
	}
	return NULL;
}

/**
 * hvd_vcpus_start() - open every vCPU's ring and start its thread
 * @vm: the VM, its vCPUs created
 *
 * Return: 0 or a negative errno (logged); the caller stops what started.
 */
int hvd_vcpus_start(struct hvd_vm *vm)
{
	unsigned int i;
	int err;

	for (i = 0; i < vm->cfg.nr_vcpus; i++) {
		struct hvd_vcpu *c = &vm->vcpus[i];

		pthread_mutex_lock(&vm->hv_lock);
		err = hv_vcpu_exits_open(vm->h, vm->id, c->id,
					 HV_TRANSPORT_RING, &c->exits);
		if (err)
			hvd_err("vm %s: vcpu %u: cannot set its exit ring up: %s: %s",
				vm->def->name, c->id, hv_errmsg(vm->h),
				strerror(-err));
		pthread_mutex_unlock(&vm->hv_lock);
		if (err)
			return err;
		err = -pthread_create(&c->thread, NULL, vcpu_thread, c);
		if (err) {
			hvd_err("vm %s: vcpu %u: cannot start its thread: %s",
				vm->def->name, c->id, strerror(-err));
			return err;
		}
		c->started = true;
	}
	return 0;
}

/**
 * hvd_vcpus_stop() - stop every vCPU thread and close the rings
 * @vm: the VM, paused or about to be destroyed
 */
void hvd_vcpus_stop(struct hvd_vm *vm)
{
	unsigned int i;

	vm->stopping = true;
	if (!vm->vcpus)
		return;
	for (i = 0; i < vm->cfg.nr_vcpus; i++) {
		struct hvd_vcpu *c = &vm->vcpus[i];

		if (c->started)
			pthread_join(c->thread, NULL);
		c->started = false;
		hv_vcpu_exits_close(c->exits);
		c->exits = NULL;
	}
}
