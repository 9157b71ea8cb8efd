// SPDX-License-Identifier: GPL-2.0
/*
 * The hv generic netlink family: the operation table, get-info and
 * get-stats, the helpers the object handlers (nl-vm.c, nl-vcpu.c,
 * nl-mem.c) share, the exit messages sent unicast to owners, the notices
 * multicast on the notify group, and the owner-release notifier.
 *
 * Validation lives in the per-operation policies (strict: unknown or
 * unlisted attributes and reserved header bits are refused by the genetlink
 * core with an extack message); handlers implement semantics and return
 * promptly, because genl_rcv() holds the global cb_lock around them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/netlink.h>
#include <net/genetlink.h>

#include "nl.h"

/*
 * NL_SET_ERR_MSG() in 6.1 takes string literals only; the reasons below
 * come from lower layers but are static strings too, which is all extack
 * needs (it keeps the pointer).
 */
static void set_msg(struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

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
	set_msg(info->extack, msg);
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return false;
}

/**
 * hv_nl_fail() - report a failure with the reason a lower layer gave
 * @info: the request
 * @err: negative errno
 * @why: static reason, or NULL
 *
 * Return: @err.
 */
int hv_nl_fail(struct genl_info *info, int err, const char *why)
{
	if (why)
		set_msg(info->extack, why);
	else if (err == -ENOMEM)
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
 * hv_nl_vm_lock() - look up the VM a request names and lock it
 * @info: the request
 * @attr: the attribute holding the VM id
 * @owner: the caller must own the VM (mutating operations)
 * @err: receives the errno on failure (extack is set)
 *
 * Return: the VM, referenced and with vm->lock held (release with
 * hv_nl_vm_unlock()); NULL on failure: -EINVAL if the id is missing,
 * -ENOENT if no such VM exists, -EPERM if the caller is not its owner.
 */
struct hv_vm *hv_nl_vm_lock(struct genl_info *info, int attr, bool owner,
			    int *err)
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
	if (owner && !hv_vm_owned_by(vm, info->snd_portid,
				     genl_info_net(info))) {
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

static int fill_info(struct sk_buff *msg)
{
	struct hv_mitigation_state m;

	hv_mitigation_get(hv_backend->id, &m);

	if (nla_put_u32(msg, HV_A_INFO_BACKEND, hv_backend->id) ||
	    nla_put_string(msg, HV_A_INFO_VERSION, HV_VERSION) ||
	    nla_put_u64_64bit(msg, HV_A_INFO_CAPS, hv_caps.features,
			      HV_A_INFO_PAD) ||
	    nla_put_u32(msg, HV_A_INFO_TLB_TAGS, hv_caps.tlb_tags) ||
	    nla_put_u32(msg, HV_A_INFO_HW_REVISION, hv_caps.hw_revision) ||
	    nla_put_u32(msg, HV_A_INFO_L1TF, m.l1tf) ||
	    nla_put_u32(msg, HV_A_INFO_L1D_FLUSH_MODE, m.l1d_flush_mode) ||
	    nla_put_u32(msg, HV_A_INFO_L1D_FLUSH, m.l1d_flush) ||
	    nla_put_u32(msg, HV_A_INFO_L1D_FLUSH_METHOD, m.l1d_flush_method) ||
	    nla_put_string(msg, HV_A_INFO_L1D_FLUSH_REASON,
			   m.l1d_flush_reason) ||
	    nla_put_u64_64bit(msg, HV_A_INFO_MITIGATIONS, m.mitigations,
			      HV_A_INFO_PAD) ||
	    nla_put_u32(msg, HV_A_INFO_MAX_VMS, READ_ONCE(hv_max_vms)) ||
	    nla_put_u32(msg, HV_A_INFO_MAX_VCPUS,
			min_t(u32, READ_ONCE(hv_max_vcpus), HV_MAX_VCPUS_LIMIT)) ||
	    nla_put_u64_64bit(msg, HV_A_INFO_MAX_MEM,
			      (u64)READ_ONCE(hv_max_mem_mib) << 20,
			      HV_A_INFO_PAD) ||
	    nla_put_string(msg, HV_A_INFO_DIRTY_METHOD,
			   hv_dirty_method(hv_dirty_hw_ad(),
					   hv_dirty_write_log())) ||
	    nla_put_string(msg, HV_A_INFO_DIRTY_REASON, hv_dirty_reason()))
		return -EMSGSIZE;
	return 0;
}

static int hv_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	/* set-info replies through here too, with its own command. */
	hdr = hv_nl_reply(info, &msg, info->genlhdr->cmd, NLMSG_DEFAULT_SIZE);
	if (!hdr)
		return -ENOMEM;
	if (fill_info(msg)) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack, "reply does not fit in a message");
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int hv_nl_set_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *mode = info->attrs[HV_A_INFO_L1D_FLUSH_MODE];

	if (!mode) {
		NL_SET_ERR_MSG(info->extack,
			       "set-info needs l1d-flush-mode, the only setting");
		return -EINVAL;
	}
	hv_l1d_flush_set_mode(nla_get_u32(mode));
	return hv_nl_get_info_doit(skb, info);
}

/* ---- get-stats ---------------------------------------------------------- */

static const u8 stat_attr[HV_NR_STATS] = {
	[HV_STAT_EXITS] = HV_A_STATS_EXITS,
	[HV_STAT_CPUID] = HV_A_STATS_EXITS_CPUID,
	[HV_STAT_MSR] = HV_A_STATS_EXITS_MSR,
	[HV_STAT_HLT] = HV_A_STATS_EXITS_HLT,
	[HV_STAT_NPF] = HV_A_STATS_EXITS_NPF,
	[HV_STAT_INTR] = HV_A_STATS_EXITS_INTR,
	[HV_STAT_IO] = HV_A_STATS_EXITS_IO,
	[HV_STAT_MMIO] = HV_A_STATS_EXITS_MMIO,
	[HV_STAT_OTHER] = HV_A_STATS_EXITS_OTHER,
	[HV_STAT_INVEPT] = HV_A_STATS_INVEPT,
	[HV_STAT_INVVPID] = HV_A_STATS_INVVPID,
	[HV_STAT_INVVPID_SAVED] = HV_A_STATS_INVVPID_SAVED,
	[HV_STAT_PML_FULL] = HV_A_STATS_PML_FULL,
	[HV_STAT_L1D_FLUSH_MSR] = HV_A_STATS_L1D_FLUSH_MSR,
	[HV_STAT_L1D_FLUSH_SW] = HV_A_STATS_L1D_FLUSH_SW,
};

static int hv_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 stats[HV_NR_STATS] = { 0 };
	struct sk_buff *msg;
	struct hv_vm *vm;
	void *hdr;
	u32 id = 0;
	int err, i;

	if (info->attrs[HV_A_STATS_VM_ID]) {
		vm = hv_nl_vm_lock(info, HV_A_STATS_VM_ID, false, &err);
		if (!vm)
			return err;
		id = vm->id;
		hv_vm_stats(vm, stats);
		hv_nl_vm_unlock(vm);
	} else {
		while ((vm = hv_vm_get_next(&id))) {
			mutex_lock(&vm->lock);
			if (!vm->dying)
				hv_vm_stats(vm, stats);
			hv_nl_vm_unlock(vm);
		}
		id = 0;
	}

	hdr = hv_nl_reply(info, &msg, HV_CMD_GET_STATS, NLMSG_DEFAULT_SIZE);
	if (!hdr)
		return -ENOMEM;
	if ((id && nla_put_u32(msg, HV_A_STATS_VM_ID, id)) ||
	    nla_put_u32(msg, HV_A_STATS_VMS, atomic_read(&hv_acct.vms)) ||
	    nla_put_u32(msg, HV_A_STATS_VCPUS, atomic_read(&hv_acct.vcpus)) ||
	    nla_put_u32(msg, HV_A_STATS_THREADS, atomic_read(&hv_acct.threads)) ||
	    nla_put_u64_64bit(msg, HV_A_STATS_PINNED_PAGES,
			      atomic64_read(&hv_acct.pinned_pages),
			      HV_A_STATS_PAD) ||
	    nla_put_u64_64bit(msg, HV_A_STATS_PT_PAGES,
			      atomic64_read(&hv_acct.pt_pages), HV_A_STATS_PAD))
		goto err_size;
	for (i = 0; i < HV_NR_STATS; i++)
		if (nla_put_u64_64bit(msg, stat_attr[i], stats[i],
				      HV_A_STATS_PAD))
			goto err_size;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	nlmsg_free(msg);
	NL_SET_ERR_MSG(info->extack, "reply does not fit in a message");
	return -EMSGSIZE;
}

/* ---- exits and notices ---------------------------------------------------- */

/**
 * hv_nl_exit_msg() - build an exit message for a vCPU's owner
 * @vcpu: the vCPU; its exit_seq and rip are put in
 * @reason: HV_EXIT_REASON_*
 * @dir: HV_DIR_* (io, mmio, msr)
 * @addr: port (io), guest-physical address (mmio) or MSR index (msr)
 * @size: access size in bytes (io, mmio, msr)
 * @data: value written (writes), RFLAGS (hlt)
 *
 * Return: the message, or NULL if out of memory.
 */
struct sk_buff *hv_nl_exit_msg(struct hv_vcpu *vcpu, u32 reason, u32 dir,
			       u64 addr, u32 size, u64 data)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	bool hlt = reason == HV_EXIT_REASON_HLT;
	void *hdr;

	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &hv_nl_family, 0, HV_CMD_EXIT);
	if (!hdr ||
	    nla_put_u32(skb, HV_A_EXIT_VM_ID, vcpu->vm->id) ||
	    nla_put_u32(skb, HV_A_EXIT_VCPU_ID, vcpu->id) ||
	    nla_put_u64_64bit(skb, HV_A_EXIT_SEQ, vcpu->exit_seq,
			      HV_A_EXIT_PAD) ||
	    nla_put_u64_64bit(skb, HV_A_EXIT_RIP, vcpu->rip, HV_A_EXIT_PAD) ||
	    nla_put_u32(skb, HV_A_EXIT_REASON, reason) ||
	    (hlt && nla_put_u64_64bit(skb, HV_A_EXIT_RFLAGS, data,
				      HV_A_EXIT_PAD)) ||
	    (!hlt && (nla_put_u32(skb, HV_A_EXIT_DIR, dir) ||
		      nla_put_u8(skb, HV_A_EXIT_SIZE, size))) ||
	    (reason == HV_EXIT_REASON_IO &&
	     nla_put_u16(skb, HV_A_EXIT_PORT, addr)) ||
	    (reason == HV_EXIT_REASON_MMIO &&
	     nla_put_u64_64bit(skb, HV_A_EXIT_GPA, addr, HV_A_EXIT_PAD)) ||
	    (reason == HV_EXIT_REASON_MSR &&
	     nla_put_u32(skb, HV_A_EXIT_MSR, addr)) ||
	    (!hlt && dir == HV_DIR_WRITE &&
	     nla_put_u64_64bit(skb, HV_A_EXIT_DATA, data, HV_A_EXIT_PAD))) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/**
 * hv_nl_send_exit() - send an exit message to the VM's owner socket
 * @vcpu: the vCPU
 * @skb: the message; always consumed
 *
 * Return: 0; -EAGAIN if the owner's receive queue is full; -ECONNREFUSED
 * if the owner socket is gone.
 */
int hv_nl_send_exit(struct hv_vcpu *vcpu, struct sk_buff *skb)
{
	struct hv_vm *vm = vcpu->vm;

	return genlmsg_unicast(vm->owner_net, skb, vm->owner_portid);
}

/**
 * hv_nl_notice() - multicast a life-cycle notice on the notify group
 * @vm: the VM
 * @event: HV_NOTICE_*
 * @reason: for crashes, or NULL
 * @gfp: GFP_KERNEL, or GFP_ATOMIC where sleeping is not allowed
 *
 * Notices may be dropped (multicast): nothing that must arrive is sent so.
 *
 * Context: any; process context for GFP_KERNEL.
 */
void hv_nl_notice(struct hv_vm *vm, enum hv_notice event, const char *reason,
		  gfp_t gfp)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &hv_nl_family, 0, HV_CMD_NOTICE);
	if (!hdr ||
	    nla_put_u32(skb, HV_A_NOTICE_VM_ID, vm->id) ||
	    nla_put_string(skb, HV_A_NOTICE_VM_NAME, vm->name) ||
	    nla_put_u32(skb, HV_A_NOTICE_EVENT, event) ||
	    (reason && nla_put_string(skb, HV_A_NOTICE_REASON, reason))) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&hv_nl_family, vm->owner_net, skb, 0, 0, gfp);
}

static int hv_nl_release(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		hv_vm_release_owner(n->portid, n->net);
	return NOTIFY_DONE;
}

static struct notifier_block hv_nl_release_nb = {
	.notifier_call = hv_nl_release,
};

/* ---- the family ------------------------------------------------------------ */

static const struct nla_policy hv_get_info_policy[HV_A_INFO_MAX + 1] = {
	[1 ... HV_A_INFO_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "get-info takes no attributes",
	},
};

#define SET_INFO_REJECT { \
	.type = NLA_REJECT, \
	.reject_message = "set-info changes only l1d-flush-mode", \
}

static const struct nla_policy hv_set_info_policy[HV_A_INFO_MAX + 1] = {
	[1 ... HV_A_INFO_L1D_FLUSH_MODE - 1] = SET_INFO_REJECT,
	[HV_A_INFO_L1D_FLUSH_MODE + 1 ... HV_A_INFO_MAX] = SET_INFO_REJECT,
	[HV_A_INFO_L1D_FLUSH_MODE] = NLA_POLICY_MAX(NLA_U32,
						    HV_L1D_FLUSH_MODE_NEVER),
};

static const struct nla_policy hv_get_stats_policy[HV_A_STATS_MAX + 1] = {
	[HV_A_STATS_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct genl_ops hv_nl_ops[] = {
	{
		.cmd = HV_CMD_GET_INFO,
		.doit = hv_nl_get_info_doit,
		.policy = hv_get_info_policy,
		.maxattr = HV_A_INFO_MAX,
	},
	{
		.cmd = HV_CMD_SET_INFO,
		.doit = hv_nl_set_info_doit,
		.policy = hv_set_info_policy,
		.maxattr = HV_A_INFO_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VM_NEW,
		.doit = hv_nl_vm_new_doit,
		.policy = hv_vm_new_policy,
		.maxattr = HV_A_VM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VM_DEL,
		.doit = hv_nl_vm_del_doit,
		.policy = hv_vm_id_policy,
		.maxattr = HV_A_VM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VM_GET,
		.doit = hv_nl_vm_get_doit,
		.dumpit = hv_nl_vm_get_dumpit,
		.policy = hv_vm_get_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VM_SET,
		.doit = hv_nl_vm_set_doit,
		.policy = hv_vm_set_policy,
		.maxattr = HV_A_VM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VM_START,
		.doit = hv_nl_vm_start_doit,
		.policy = hv_vm_id_policy,
		.maxattr = HV_A_VM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VM_PAUSE,
		.doit = hv_nl_vm_pause_doit,
		.policy = hv_vm_id_policy,
		.maxattr = HV_A_VM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VCPU_NEW,
		.doit = hv_nl_vcpu_new_doit,
		.policy = hv_vcpu_id_policy,
		.maxattr = HV_A_VCPU_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VCPU_GET,
		.doit = hv_nl_vcpu_get_doit,
		.dumpit = hv_nl_vcpu_get_dumpit,
		.policy = hv_vcpu_id_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_GET_REGS,
		.doit = hv_nl_vcpu_get_regs_doit,
		.policy = hv_vcpu_id_policy,
		.maxattr = HV_A_VCPU_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VCPU_SET_REGS,
		.doit = hv_nl_vcpu_set_regs_doit,
		.policy = hv_vcpu_set_regs_policy,
		.maxattr = HV_A_VCPU_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VCPU_COMPLETE,
		.doit = hv_nl_vcpu_complete_doit,
		.policy = hv_vcpu_complete_policy,
		.maxattr = HV_A_VCPU_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_MEM_MAP,
		.doit = hv_nl_mem_map_doit,
		.policy = hv_mem_map_policy,
		.maxattr = HV_A_MEM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_MEM_UNMAP,
		.doit = hv_nl_mem_unmap_doit,
		.policy = hv_mem_unmap_policy,
		.maxattr = HV_A_MEM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_MEM_GET,
		.doit = hv_nl_mem_get_doit,
		.dumpit = hv_nl_mem_get_dumpit,
		.policy = hv_mem_get_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_READ,
		.doit = hv_nl_mem_read_doit,
		.policy = hv_mem_read_policy,
		.maxattr = HV_A_MEM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_MEM_WRITE,
		.doit = hv_nl_mem_write_doit,
		.policy = hv_mem_write_policy,
		.maxattr = HV_A_MEM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_MEM_SET,
		.doit = hv_nl_mem_set_doit,
		.policy = hv_mem_set_policy,
		.maxattr = HV_A_MEM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_MEM_LOG,
		.doit = hv_nl_mem_log_doit,
		.policy = hv_mem_log_policy,
		.maxattr = HV_A_MEM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_GET_STATS,
		.doit = hv_nl_get_stats_doit,
		.policy = hv_get_stats_policy,
		.maxattr = HV_A_STATS_MAX,
	},
};

static const struct genl_multicast_group hv_nl_mcgrps[] = {
	{ .name = HV_MCGRP_NOTIFY },
};

struct genl_family hv_nl_family __ro_after_init = {
	.name = HV_FAMILY_NAME,
	.version = HV_FAMILY_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.parallel_ops = true,
	.ops = hv_nl_ops,
	.n_ops = ARRAY_SIZE(hv_nl_ops),
	.mcgrps = hv_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hv_nl_mcgrps),
};

/**
 * hv_nl_init() - register the hv family and the owner-release notifier
 *
 * Context: module init, after the backend is set up.
 * Return: 0, or the errno of the registration (-EEXIST if another family
 * named "hv" exists).
 */
int hv_nl_init(void)
{
	int err;

	err = netlink_register_notifier(&hv_nl_release_nb);
	if (err)
		return err;
	err = genl_register_family(&hv_nl_family);
	if (err)
		netlink_unregister_notifier(&hv_nl_release_nb);
	return err;
}

/**
 * hv_nl_exit() - unregister the family and the notifier
 *
 * Context: module exit; returns when no handler runs any more.
 */
void hv_nl_exit(void)
{
	genl_unregister_family(&hv_nl_family);
	netlink_unregister_notifier(&hv_nl_release_nb);
}
