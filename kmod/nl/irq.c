// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt commands of the family: vm-msi, a device's interrupt
 * raised by the owner without stopping any vCPU.
 */
#include <net/genetlink.h>

#include "irq/irq.h"
#include "nl/nl.h"

/**
 * hv_nl_vm_msi_doit() - vm-msi: deliver an MSI to a VM's local APICs
 * @skb: the request
 * @info: the request
 *
 * Return: 0; -EINVAL or -EOPNOTSUPP for a message hv cannot deliver (see
 * hv_lapic_msi()); the errors of hv_nl_vm_lock().
 */
int hv_nl_vm_msi_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vm *vm;
	int err;

	if (!hv_nl_require(info, HV_A_VM_MSI_ADDR, "msi-addr is required") ||
	    !hv_nl_require(info, HV_A_VM_MSI_DATA, "msi-data is required"))
		return -EINVAL;
	vm = hv_nl_vm_lock(info, HV_A_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_lapic_msi(vm, nla_get_u64(info->attrs[HV_A_VM_MSI_ADDR]),
			   nla_get_u32(info->attrs[HV_A_VM_MSI_DATA]),
			   info->extack);
	hv_nl_vm_unlock(vm);
	return err;
}
