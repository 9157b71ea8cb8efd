// SPDX-License-Identifier: GPL-2.0
/*
 * Every device model of hvd: the PC platform a worker creates for each VM,
 * in this order (the interrupt controllers first, so that a model raising
 * a line at creation reaches them), and the PCI functions a definition
 * adds by name.
 */
#include <string.h>

#include "devmodel.h"

extern const struct hvd_model pic8259_model, ioapic_model, pit8254_model,
	rtc146818_model, uart16550_model, i8042_model, port80_model,
	debug_exit_model, fw_cfg_model, pci_host_model, acpi_pm_model,
	virtio_blk_model, virtio_rng_model, virtio_console_model,
	virtio_net_model;

const struct hvd_model *const hvd_models[] = {
	&pic8259_model,	  &ioapic_model,   &pit8254_model, &rtc146818_model,
	&uart16550_model, &i8042_model,	   &port80_model,  &debug_exit_model,
	&fw_cfg_model,	  &pci_host_model, &acpi_pm_model,
};

const unsigned int hvd_nr_models = sizeof(hvd_models) / sizeof(hvd_models[0]);

static const struct hvd_model *const pci_models[] = {
	&virtio_blk_model,
	&virtio_rng_model,
	&virtio_console_model,
	&virtio_net_model,
};

/**
 * hvd_model_find() - a PCI function's model by name
 * @name: its name ("virtio_blk")
 *
 * Return: the model, or NULL.
 */
const struct hvd_model *hvd_model_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(pci_models) / sizeof(pci_models[0]); i++)
		if (!strcmp(pci_models[i]->name, name))
			return pci_models[i];
	return NULL;
}
