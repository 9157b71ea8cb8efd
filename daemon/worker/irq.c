// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt routing of the PC platform (DESIGN rule 6): ISA lines reach
 * both 8259s and the IOAPIC, with ISA IRQ 0 on IOAPIC pin 2 as the MADT's
 * interrupt source override says; the master 8259's INT drives the BSP's
 * LINT0 through vcpu-intr-line and the kernel's INTA exit asks it for the
 * vector; the IOAPIC's messages go out as MSIs through the family.
 */
#include <errno.h>
#include <string.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

/**
 * hvd_irq_set() - an interrupt line of the platform changed
 * @vm: the VM
 * @gsi: the line: ISA IRQ 0-15, or IOAPIC pin 16-23
 * @level: its level
 *
 * Called with vm->dev_lock held (from a model).
 */
void hvd_irq_set(struct hvd_vm *vm, unsigned int gsi, int level)
{
	if (gsi < 16 && vm->pic && vm->pic->model->irq_in)
		vm->pic->model->irq_in(vm->pic->priv, gsi, level);
	if (gsi == 2)
		return; /* the cascade: no ISA device drives it */
	if (gsi == 0)
		gsi = 2; /* MADT override: the PIT is on pin 2 */
	if (gsi < HVD_IOAPIC_PINS && vm->ioapic && vm->ioapic->model->irq_in)
		vm->ioapic->model->irq_in(vm->ioapic->priv, gsi, level);
}

/**
 * hvd_irq_msi() - send a message-signalled interrupt
 * @vm: the VM
 * @addr: message address
 * @data: message data
 *
 * Return: 0 or a negative errno (logged).
 */
int hvd_irq_msi(struct hvd_vm *vm, uint64_t addr, uint32_t data)
{
	int err;

	pthread_mutex_lock(&vm->hv_lock);
	err = hv_vm_msi(vm->h, vm->id, addr, data);
	vm->msis++;
	/* The guest programs the IOAPIC: its refused messages, a few times. */
	if (err && vm->msi_errors++ < 8)
		hvd_warn("vm %s: msi %#llx/%#x: %s: %s", vm->def->name,
			 (unsigned long long)addr, data, hv_errmsg(vm->h),
			 strerror(-err));
	pthread_mutex_unlock(&vm->hv_lock);
	return err;
}

/**
 * hvd_irq_intr() - the master 8259 drives INTR
 * @vm: the VM
 * @level: the new level
 *
 * Called with vm->dev_lock held. Inside an INTA cycle the completion tells
 * the module the level; otherwise a change goes out as vcpu-intr-line.
 */
void hvd_irq_intr(struct hvd_vm *vm, int level)
{
	int err;

	level = !!level;
	if (level == vm->intr_level)
		return;
	vm->intr_level = level;
	if (vm->in_inta)
		return;
	pthread_mutex_lock(&vm->hv_lock);
	err = hv_vcpu_intr_line(vm->h, vm->id, 0, level);
	if (err && err != -ESRCH)
		hvd_warn("vm %s: intr line %d: %s: %s", vm->def->name, level,
			 hv_errmsg(vm->h), strerror(-err));
	pthread_mutex_unlock(&vm->hv_lock);
}

/**
 * hvd_irq_inta() - the BSP acknowledges the 8259's interrupt
 * @vm: the VM
 * @completion: receives the completion's data: the vector, and
 *	HV_INTA_STILL_ASSERTED if INTR stays up
 *
 * Return: 0, or -ENOENT if no 8259 answers (a spurious INTA).
 */
int hvd_irq_inta(struct hvd_vm *vm, uint64_t *completion)
{
	int vec = -1;

	pthread_mutex_lock(&vm->dev_lock);
	if (vm->pic && vm->pic->model->inta) {
		vm->in_inta = true;
		vec = vm->pic->model->inta(vm->pic->priv);
		vm->in_inta = false;
	}
	*completion = (vec < 0 ? 0 : vec) |
		      (vm->intr_level ? HV_INTA_STILL_ASSERTED : 0);
	if (vec < 0)
		vm->intr_level = 0;
	pthread_mutex_unlock(&vm->dev_lock);
	return vec < 0 ? -ENOENT : 0;
}

/**
 * hvd_irq_eoi() - a local APIC ended a level-triggered vector
 * @vm: the VM
 * @vector: the vector
 */
void hvd_irq_eoi(struct hvd_vm *vm, uint8_t vector)
{
	pthread_mutex_lock(&vm->dev_lock);
	if (vm->ioapic && vm->ioapic->model->eoi)
		vm->ioapic->model->eoi(vm->ioapic->priv, vector);
	pthread_mutex_unlock(&vm->dev_lock);
}
