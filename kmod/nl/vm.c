// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the vm object: vm-new, vm-del, vm-get (do and dump),
 * vm-set (CPUID table, MSR policy, ring poll time, halt notices), vm-start,
 * vm-pause.
 */
#include <linux/slab.h>

#include "nl/nl.h"

static int fill_vm(struct sk_buff *skb, struct hv_vm *vm)
{
	if (nla_put_u32(skb, HV_A_VM_ID, vm->id) ||
	    nla_put_string(skb, HV_A_VM_NAME, vm->name) ||
	    nla_put_u32(skb, HV_A_VM_STATE, READ_ONCE(vm->state)) ||
	    nla_put_u32(skb, HV_A_VM_NR_VCPUS, vm->nr_vcpus) ||
	    nla_put_u64_64bit(skb, HV_A_VM_MEM_SIZE, vm->mem_size,
			      HV_A_VM_PAD) ||
	    nla_put_u32(skb, HV_A_VM_OWNER, vm->owner_portid) ||
	    nla_put_u32(skb, HV_A_VM_MAX_VCPUS, vm->max_vcpus) ||
	    nla_put_u64_64bit(skb, HV_A_VM_MAX_MEM, vm->max_mem,
			      HV_A_VM_PAD) ||
	    nla_put_u32(skb, HV_A_VM_UNKNOWN_MSR, vm->unknown_msr) ||
	    nla_put_u32(skb, HV_A_VM_RING_POLL_NS, READ_ONCE(vm->ring_poll_ns)) ||
	    nla_put_u32(skb, HV_A_VM_HALT_NOTICES, READ_ONCE(vm->halt_notices)))
		return -EMSGSIZE;
	if (vm->crash_reason[0] &&
	    nla_put_string(skb, HV_A_VM_CRASH_REASON, vm->crash_reason))
		return -EMSGSIZE;
	return 0;
}

static int reply_vm(struct genl_info *info, struct hv_vm *vm)
{
	struct sk_buff *msg;
	void *hdr;

	/* vm-new or vm-get: the reply carries the request's command. */
	hdr = hv_nl_reply(info, &msg, info->genlhdr->cmd, NLMSG_DEFAULT_SIZE);
	if (!hdr)
		return -ENOMEM;
	if (fill_vm(msg, vm)) {
		nlmsg_free(msg);
		return hv_nl_fail(info, -EMSGSIZE, "reply does not fit");
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * hv_nl_vm_new_doit() - vm-new: create a VM owned by the caller's socket
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EEXIST for a taken name; -ENOSPC past max_vms; -EBUSY
 * if another hypervisor has virtualization switched on.
 */
int hv_nl_vm_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct hv_vm *vm;
	int err;

	err = hv_vm_create(a[HV_A_VM_NAME] ? nla_data(a[HV_A_VM_NAME]) : "",
			   a[HV_A_VM_MAX_VCPUS] ?
			   nla_get_u32(a[HV_A_VM_MAX_VCPUS]) : 0,
			   a[HV_A_VM_MAX_MEM] ? nla_get_u64(a[HV_A_VM_MAX_MEM]) : 0,
			   a[HV_A_VM_UNKNOWN_MSR] ?
			   nla_get_u32(a[HV_A_VM_UNKNOWN_MSR]) : HV_MSR_POLICY_GP,
			   NETLINK_CB(skb).sk, info->snd_portid,
			   genl_info_net(info), &vm, info->extack);
	if (err)
		return hv_nl_fail(info, err, NULL);

	mutex_lock(&vm->lock);
	if (a[HV_A_VM_RING_POLL_NS])
		vm->ring_poll_ns = nla_get_u32(a[HV_A_VM_RING_POLL_NS]);
	if (a[HV_A_VM_HALT_NOTICES])
		vm->halt_notices = nla_get_u32(a[HV_A_VM_HALT_NOTICES]);
	err = reply_vm(info, vm);
	mutex_unlock(&vm->lock);
	if (err) {
		/* No reply, no VM: the caller would not know its id. */
		hv_vm_destroy(vm);
	}
	hv_vm_put(vm);
	return err;
}

/**
 * hv_nl_vm_del_doit() - vm-del: destroy a VM
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -ENOENT; -EPERM for a non-owner.
 */
int hv_nl_vm_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vm *vm;
	int err;

	vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, true, &err);
	if (!vm)
		return err;
	mutex_unlock(&vm->lock);
	hv_vm_destroy(vm);
	hv_vm_put(vm);
	return 0;
}

/**
 * hv_nl_vm_get_doit() - vm-get: one VM, by id or name
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -ENOENT.
 */
int hv_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vm *vm;
	int err;

	if (info->attrs[HV_A_VM_NAME] && !info->attrs[HV_A_VM_ID]) {
		vm = hv_vm_get_by_name(nla_data(info->attrs[HV_A_VM_NAME]));
		if (!vm) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[HV_A_VM_NAME],
					    "no VM with this name");
			return -ENOENT;
		}
		mutex_lock(&vm->lock);
		if (vm->dying) {
			hv_nl_vm_unlock(vm);
			NL_SET_ERR_MSG(info->extack, "no VM with this name");
			return -ENOENT;
		}
	} else {
		vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, false, &err);
		if (!vm)
			return err;
	}
	err = reply_vm(info, vm);
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_vm_get_dumpit() - vm-get dump: every VM of the caller's network namespace
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @cb: the dump's state
 *
 * Return: the dump's progress, as netlink dumps return it.
 */
int hv_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 id = cb->args[0];
	struct hv_vm *vm;
	void *hdr;
	int err = 0;

	while ((vm = hv_vm_get_next(&id))) {
		mutex_lock(&vm->lock);
		if (!vm->dying) {
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &hv_nl_family,
					  NLM_F_MULTI, HV_CMD_VM_GET);
			err = hdr ? fill_vm(skb, vm) : -EMSGSIZE;
			if (err) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				hv_nl_vm_unlock(vm);
				break;
			}
			genlmsg_end(skb, hdr);
		}
		hv_nl_vm_unlock(vm);
		cb->args[0] = id;
	}
	/* A full message ends this part; the dump resumes at args[0]. */
	return err == -EMSGSIZE && skb->len ? skb->len : err ?: skb->len;
}

static int parse_cpuid(struct genl_info *info, struct hv_cpuid_table **out)
{
	struct nlattr *tb[HV_A_CPUID_MAX + 1], *a;
	struct hv_cpuid_table *t;
	int rem, n = 0, err;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == HV_A_VM_CPUID)
			n++;
	if (n > HV_MAX_CPUID_ENTRIES) {
		NL_SET_ERR_MSG(info->extack, "more than 256 cpuid entries");
		return -E2BIG;
	}
	t = kzalloc(struct_size(t, entry, n), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		struct hv_cpuid_entry *e;

		if (nla_type(a) != HV_A_VM_CPUID)
			continue;
		err = nla_parse_nested(tb, HV_A_CPUID_MAX, a, hv_cpuid_nl_policy,
				       info->extack);
		if (err)
			goto err_free;
		if (!tb[HV_A_CPUID_FUNCTION]) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "a cpuid entry needs a function");
			err = -EINVAL;
			goto err_free;
		}
		e = &t->entry[t->count++];
		e->function = nla_get_u32(tb[HV_A_CPUID_FUNCTION]);
		e->index = tb[HV_A_CPUID_INDEX] ?
			   nla_get_u32(tb[HV_A_CPUID_INDEX]) : 0;
		e->flags = tb[HV_A_CPUID_FLAGS] ?
			   nla_get_u32(tb[HV_A_CPUID_FLAGS]) : 0;
		e->eax = tb[HV_A_CPUID_EAX] ? nla_get_u32(tb[HV_A_CPUID_EAX]) : 0;
		e->ebx = tb[HV_A_CPUID_EBX] ? nla_get_u32(tb[HV_A_CPUID_EBX]) : 0;
		e->ecx = tb[HV_A_CPUID_ECX] ? nla_get_u32(tb[HV_A_CPUID_ECX]) : 0;
		e->edx = tb[HV_A_CPUID_EDX] ? nla_get_u32(tb[HV_A_CPUID_EDX]) : 0;
	}
	*out = t;
	return 0;

err_free:
	kfree(t);
	return err;
}

/**
 * hv_nl_vm_set_doit() - vm-set: a VM's CPUID table, unknown-MSR policy,
 * ring poll time or halt notices
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EINVAL for a bad table. A running VM's vCPUs see a new
 * table from their next CPUID.
 */
int hv_nl_vm_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_cpuid_table *table = NULL;
	struct hv_vm *vm;
	int err;

	if (info->attrs[HV_A_VM_CPUID]) {
		err = parse_cpuid(info, &table);
		if (err)
			return err;
	}
	vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, true, &err);
	if (!vm) {
		kfree(table);
		return err;
	}
	if (info->attrs[HV_A_VM_UNKNOWN_MSR])
		WRITE_ONCE(vm->unknown_msr,
			   nla_get_u32(info->attrs[HV_A_VM_UNKNOWN_MSR]));
	if (info->attrs[HV_A_VM_RING_POLL_NS])
		WRITE_ONCE(vm->ring_poll_ns,
			   nla_get_u32(info->attrs[HV_A_VM_RING_POLL_NS]));
	if (info->attrs[HV_A_VM_HALT_NOTICES])
		WRITE_ONCE(vm->halt_notices,
			   nla_get_u32(info->attrs[HV_A_VM_HALT_NOTICES]));
	if (table)
		hv_cpuid_set(vm, table);
	hv_nl_vm_unlock(vm);
	return 0;
}

/**
 * hv_nl_vm_start_doit() - vm-start: start or resume a VM
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EALREADY if it runs; -EINVAL if it crashed.
 */
int hv_nl_vm_start_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vm *vm;
	int err;

	vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_vm_start(vm, info->extack);
	hv_nl_vm_unlock(vm);
	return hv_nl_fail(info, err, NULL);
}

/**
 * hv_nl_vm_pause_doit() - vm-pause: park every vCPU of a VM
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EINVAL if it does not run; -ETIMEDOUT if a vCPU did not
 * park in time.
 */
int hv_nl_vm_pause_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vm *vm;
	int err;

	vm = hv_nl_vm_lock(skb, info, HV_A_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_vm_pause(vm, info->extack);
	hv_nl_vm_unlock(vm);
	return hv_nl_fail(info, err, NULL);
}
