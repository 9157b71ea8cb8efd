// SPDX-License-Identifier: GPL-2.0
/*
 * What every handler of the family shares: looking objects up with the
 * checks each needs (existence, ownership, liveness), reporting failures in
 * extack, and starting replies.
 */
#include <linux/kernel.h>
#include <net/genetlink.h>

#include "compat.h"
#include "nl/nl.h"

/**
 * hv_nl_require() - check that a request carries an attribute
 * @info: the request
 * @attr: the attribute
 * @msg: the extack message if it is missing
 *
 * Return: true if present; else false, with extack naming what is missing.
 */
bool hv_nl_require(struct genl_info *info, int attr, const char *msg)
{
	if (info->attrs[attr])
		return true;
	hv_extack_msg(info->extack, msg);
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return false;
}

/**
 * hv_nl_fail() - report a failure with the reason a lower layer gave
 * @info: the request
 * @err: negative errno
 * @why: static reason, or NULL (the core named it in extack already,
 *	or it is out of memory)
 *
 * Return: @err.
 */
int hv_nl_fail(struct genl_info *info, int err, const char *why)
{
	if (why)
		hv_extack_msg(info->extack, why);
	else if (err == -ENOMEM && info->extack && !info->extack->_msg)
		NL_SET_ERR_MSG(info->extack, "out of memory");
	return err;
}

/* The VM with @id, referenced and locked, unless it is being destroyed. */
static struct hv_vm *lock_live_vm(u32 id)
{
	struct hv_vm *vm = hv_vm_get(id);

	if (!vm)
		return NULL;
	mutex_lock(&vm->lock);
	if (vm->dying) {
		hv_nl_vm_unlock(vm);
		return NULL;
	}
	return vm;
}

/**
 * hv_nl_owns() - whether the socket that sent a request owns a VM
 * @skb: the request
 * @info: the request's genetlink view
 * @vm: the VM, locked and not dying
 *
 * Owning a VM is the capability for every operation on it: the family asks
 * nothing more of the caller (no CAP_NET_ADMIN), so that a process may drop
 * every capability once its VM exists, or receive the owner socket from
 * another process (SCM_RIGHTS passes the very socket).
 *
 * Return: true if the sending socket is the VM's owner.
 */
bool hv_nl_owns(const struct sk_buff *skb, struct genl_info *info,
		struct hv_vm *vm)
{
	/* netlink_unicast_kernel() points NETLINK_CB().sk at the sender. */
	return hv_vm_owned_by(vm, NETLINK_CB(skb).sk, info->snd_portid,
			      genl_info_net(info));
}

/**
 * hv_nl_vm_lock() - look up the VM a request names and lock it
 * @skb: the request
 * @info: the request's genetlink view
 * @attr: the attribute holding the VM id
 * @owner: the caller must own the VM (every operation but reads)
 * @err: receives the errno on failure (extack is set)
 *
 * Return: the VM, referenced and with vm->lock held (release with
 * hv_nl_vm_unlock()); NULL on failure: -EINVAL if the id is missing,
 * -ENOENT if no such VM exists, -EPERM if the caller is not its owner.
 */
struct hv_vm *hv_nl_vm_lock(const struct sk_buff *skb, struct genl_info *info,
			    int attr, bool owner, int *err)
{
	struct hv_vm *vm;

	if (!hv_nl_require(info, attr, "the VM id is required")) {
		*err = -EINVAL;
		return NULL;
	}
	vm = lock_live_vm(nla_get_u32(info->attrs[attr]));
	if (!vm) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[attr],
				    "no VM with this id");
		*err = -ENOENT;
		return NULL;
	}
	if (owner && !hv_nl_owns(skb, info, vm)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[attr],
				    "only the VM's owner socket may change it");
		hv_nl_vm_unlock(vm);
		*err = -EPERM;
		return NULL;
	}
	return vm;
}

/**
 * hv_nl_vm_unlock() - release a VM from hv_nl_vm_lock()
 * @vm: the VM
 */
void hv_nl_vm_unlock(struct hv_vm *vm)
{
	mutex_unlock(&vm->lock);
	hv_vm_put(vm);
}

/**
 * hv_nl_vm_dump_lock() - look up the VM a dump names and lock it
 * @cb: the dump
 * @attr: the attribute holding the VM id, or NULL
 * @err: receives the errno on failure (extack is set)
 *
 * Return: as hv_nl_vm_lock(); no ownership check (dumps only read).
 */
struct hv_vm *hv_nl_vm_dump_lock(struct netlink_callback *cb,
				 const struct nlattr *attr, int *err)
{
	struct hv_vm *vm;

	if (!attr) {
		NL_SET_ERR_MSG(cb->extack, "the VM id is required");
		*err = -EINVAL;
		return NULL;
	}
	vm = lock_live_vm(nla_get_u32(attr));
	if (!vm) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr, "no VM with this id");
		*err = -ENOENT;
	}
	return vm;
}

/**
 * hv_nl_reply() - start a reply message
 * @info: the request
 * @skb: receives the message
 * @cmd: HV_CMD_* of the reply: the request's own, as YNL clients (the
 *	kernel's ynl CLI) match a reply to its request by it
 * @size: payload estimate
 *
 * Return: the header for genlmsg_end(), or NULL (out of memory; extack is
 * set and *@skb is NULL).
 */
void *hv_nl_reply(struct genl_info *info, struct sk_buff **skb, u8 cmd,
		  size_t size)
{
	void *hdr;

	*skb = genlmsg_new(size, GFP_KERNEL);
	if (!*skb)
		goto nomem;
	hdr = genlmsg_put_reply(*skb, info, &hv_nl_family, 0, cmd);
	if (hdr)
		return hdr;
	nlmsg_free(*skb);
	*skb = NULL;
nomem:
	NL_SET_ERR_MSG(info->extack, "no memory for the reply");
	return NULL;
}

/* ---- get-info ----------------------------------------------------------- */
