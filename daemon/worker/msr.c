// SPDX-License-Identifier: GPL-2.0
/*
 * MSRs the module leaves to the owner (the VM's unknown-msr policy is
 * "exit"): the few a PC's firmware and chipset would answer that guests
 * touch without a #GP handler, each with a fixed value. Every other one raises #GP, as the module
 * would by itself.
 */
#include <stdbool.h>
#include <stddef.h>

#include "libhv.h"
#include "worker.h"

/*
 * AMD's northbridge configuration (MSR C001_001F, BKDG for family 10h,
 * 2.17): Linux reads and writes it with rdmsr()/wrmsr() when a CPU comes
 * up on families 10h-17h (arch/x86/pci/amd_bus.c) to enable extended PCI
 * configuration (bit 46); it reads as 0 and ignores writes, as on KVM.
 */
#define MSR_AMD64_NB_CFG 0xc001001f

/*
 * Intel's microcode revision (SDM Vol. 4, 2.1: IA32_BIOS_SIGN_ID): Linux
 * writes 0 and reads it back with wrmsr()/rdmsr() on every Intel CPU
 * (arch/x86/kernel/cpu/microcode/intel.c); revision 1 in bits 63:32, as
 * KVM reports, and writes kept nowhere.
 */
#define MSR_IA32_UCODE_REV 0x0000008b

/*
 * IA32_MISC_ENABLE (SDM Vol. 4, Table 2-2): Linux's verify_cpu reads it
 * with no IDT to catch a #GP, on Intel family 6 model 13 and later, to
 * clear XD Bit Disable; a #GP there is a triple fault. Bits 11 and 12 say
 * that branch trace and PEBS are unavailable, as KVM's default; writes of
 * that value are accepted and change nothing.
 */
#define MSR_IA32_MISC_ENABLE 0x000001a0
#define MISC_ENABLE_DEFAULT ((1ull << 11) | (1ull << 12))

static const struct {
	uint32_t index;
	uint64_t value;
	bool any_write; /* writes are ignored, not checked */
} fixed[] = {
	{ MSR_AMD64_NB_CFG, 0, true },
	{ MSR_IA32_UCODE_REV, 1ull << 32, true },
	{ MSR_IA32_MISC_ENABLE, MISC_ENABLE_DEFAULT, false },
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

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (fixed[i].index != ev->msr)
			continue;
		if (ev->dir == HV_DIR_READ) {
			*data = fixed[i].value;
			return 0;
		}
		return fixed[i].any_write || ev->data == fixed[i].value ? 0 :
									  -1;
	}
	return -1;
}
