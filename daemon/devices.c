// SPDX-License-Identifier: GPL-2.0
/*
 * Every device model of hvd: the PC platform a worker creates for each VM,
 * in this order (the interrupt controllers first, so that a model raising
 * a line at creation reaches them).
 */
#include "devmodel.h"

extern const struct hvd_model pic8259_model, ioapic_model, pit8254_model,
	rtc146818_model, uart16550_model, i8042_model, port80_model,
	debug_exit_model, fw_cfg_model, pci_host_model, acpi_pm_model;

const struct hvd_model *const hvd_models[] = {
	&pic8259_model,	  &ioapic_model,   &pit8254_model, &rtc146818_model,
	&uart16550_model, &i8042_model,	   &port80_model,  &debug_exit_model,
	&fw_cfg_model,	  &pci_host_model, &acpi_pm_model,
};

const unsigned int hvd_nr_models = sizeof(hvd_models) / sizeof(hvd_models[0]);
