// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs the module leaves to the owner (the VM's unknown-msr policy is
 * "exit"): the few a PC's firmware and chipset would answer that guests
 * touch without a #GP handler. Every other one raises #GP, as the module
 * would by itself.
 */
#include <stddef.h>

#include "libhv.h"
#include "worker.h"

/*
 * AMD's northbridge configuration (MSR C001_001F, BKDG for family 10h,
 * 2.17): Linux reads and writes it with rdmsr()/wrmsr() when a CPU comes
 * up on families 10h-17h (arch/x86/pci/amd_bus.c) to enable extended PCI
 * configuration; it reads as 0 and keeps nothing, as on KVM.
 */
#define MSR_AMD64_NB_CFG	0xc001001f

static const uint32_t read_as_zero[] = {
	MSR_AMD64_NB_CFG,
};

/**
 * hvd_msr() - answer an MSR exit
 * @vm: the VM
 * @ev: the exit
 * @data: receives the value read
 *
 * Return: 0, or -1 for a #GP.
 */
int hvd_msr(struct hvd_vm *vm, const struct hv_message *ev, uint64_t *data)
{
	size_t i;

	for (i = 0; i < sizeof(read_as_zero) / sizeof(read_as_zero[0]); i++) {
		if (read_as_zero[i] == ev->msr) {
			*data = 0;
			return 0;
		}
	}
	return -1;
}
