// SPDX-License-Identifier: GPL-2.0
/*
 * The interrupt commands of the family: vm-msi, a device's interrupt
 * raised by the owner without stopping any vCPU; vm-irqfd and
 * vm-ioeventfd, the eventfds that raise them and that guest writes
 * signal, with no message at all.
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
	vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_lapic_msi(vm, nla_get_u64(info->attrs[HV_A_VM_MSI_ADDR]),
			   nla_get_u32(info->attrs[HV_A_VM_MSI_DATA]),
			   info->extack);
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_vm_irqfd_doit() - vm-irqfd: register, change or remove an eventfd
 * that delivers an MSI when written
 * @skb: the request
 * @info: the request
 *
 * Return: 0; the errors of hv_irqfd_assign() and hv_nl_vm_lock().
 */
int hv_nl_vm_irqfd_doit(struct sk_buff *skb, struct genl_info *info)
{
	bool deassign = info->attrs[HV_A_VM_DEASSIGN];
	struct hv_vm *vm;
	int err;

	if (!hv_nl_require(info, HV_A_VM_EVENTFD, "eventfd is required"))
		return -EINVAL;
	if (!deassign &&
	    (!hv_nl_require(info, HV_A_VM_MSI_ADDR, "msi-addr is required") ||
	     !hv_nl_require(info, HV_A_VM_MSI_DATA, "msi-data is required")))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_irqfd_assign(vm, nla_get_u32(info->attrs[HV_A_VM_EVENTFD]),
			      deassign ? 0 :
			      nla_get_u64(info->attrs[HV_A_VM_MSI_ADDR]),
			      deassign ? 0 :
			      nla_get_u32(info->attrs[HV_A_VM_MSI_DATA]),
			      deassign, info->extack);
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_vm_ioeventfd_doit() - vm-ioeventfd: register or remove an eventfd
 * that guest writes to a port or MMIO address signal
 * @skb: the request
 * @info: the request
 *
 * Return: 0; the errors of hv_ioeventfd_assign() and hv_nl_vm_lock().
 */
int hv_nl_vm_ioeventfd_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *match = info->attrs[HV_A_VM_IO_DATAMATCH];
	struct hv_vm *vm;
	int err;

	if (!hv_nl_require(info, HV_A_VM_EVENTFD, "eventfd is required") ||
	    !hv_nl_require(info, HV_A_VM_IO_SPACE, "io-space is required") ||
	    !hv_nl_require(info, HV_A_VM_IO_ADDR, "io-addr is required") ||
	    !hv_nl_require(info, HV_A_VM_IO_LEN, "io-len is required"))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_ioeventfd_assign(vm, nla_get_u32(info->attrs[HV_A_VM_EVENTFD]),
				  nla_get_u32(info->attrs[HV_A_VM_IO_SPACE]),
				  nla_get_u64(info->attrs[HV_A_VM_IO_ADDR]),
				  nla_get_u32(info->attrs[HV_A_VM_IO_LEN]),
				  match, match ? nla_get_u64(match) : 0,
				  info->attrs[HV_A_VM_DEASSIGN], info->extack);
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_vcpu_intr_line_doit() - vcpu-intr-line: the owner's 8259 raises or lowers
 * the INTR line of a vCPU (LINT0 in external-interrupt mode)
 * @skb: the request
 * @info: the request
 *
 * The vCPU is not stopped: a raised line is acknowledged with an inta
 * exit once the guest can take the interrupt.
 *
 * Return: 0; -EINVAL for a missing attribute or unknown vCPU; the errors
 * of hv_nl_vm_lock().
 */
int hv_nl_vcpu_intr_line_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vm *vm;
	u32 id;
	int err;

	if (!hv_nl_require(info, HV_A_VCPU_ID, "the vcpu id is required") ||
	    !hv_nl_require(info, HV_A_VCPU_INTR_LINE, "intr-line is required"))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_VCPU_VM_ID, true, &err);
	if (!vm)
		return err;
	id = nla_get_u32(info->attrs[HV_A_VCPU_ID]);
	if (id >= vm->nr_vcpus) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HV_A_VCPU_ID],
				    "no vcpu with this id in the VM");
		err = -EINVAL;
	} else {
		hv_lapic_intr_line(vm->vcpus[id],
				   nla_get_u32(info->attrs[HV_A_VCPU_INTR_LINE]));
	}
	hv_nl_vm_unlock(vm);
	return err;
}
