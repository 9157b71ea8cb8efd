// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the mem object: mem-map, mem-unmap, mem-get (dump of
 * the slots), mem-read and mem-write (guest-physical, bounds-checked, at
 * most HV_MEM_IO_MAX bytes per request; libhv splits larger ones), mem-set
 * (dirty logging on or off) and mem-log (the dirty or accessed pages, at
 * most HV_MEM_LOG_MAX per request).
 */
#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "nl/nl.h"

static int fill_slot(struct sk_buff *skb, u32 vm_id,
		     const struct hv_memslot *s)
{
	if (nla_put_u32(skb, HV_A_MEM_VM_ID, vm_id) ||
	    nla_put_u32(skb, HV_A_MEM_SLOT, s->id) ||
	    nla_put_u64_64bit(skb, HV_A_MEM_GPA, s->gpa, HV_A_MEM_PAD) ||
	    nla_put_u64_64bit(skb, HV_A_MEM_SIZE, s->npages << PAGE_SHIFT,
			      HV_A_MEM_PAD) ||
	    nla_put_u64_64bit(skb, HV_A_MEM_UADDR, s->uaddr, HV_A_MEM_PAD) ||
	    nla_put_u32(skb, HV_A_MEM_FLAGS, s->flags))
		return -EMSGSIZE;
	return 0;
}

/**
 * hv_nl_mem_map_doit() - mem-map: pin owner memory into a VM
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: the slot (id, range) on success; -EINVAL for a misaligned or
 * out-of-range request, -EEXIST for an overlap, -ENOSPC past the VM's
 * limits, -EFAULT if the memory cannot be pinned.
 */
int hv_nl_mem_map_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct hv_memslot slot;
	struct sk_buff *msg;
	struct hv_vm *vm;
	void *hdr;
	int err;

	if (!hv_nl_require(info, HV_A_MEM_GPA, "gpa is required") ||
	    !hv_nl_require(info, HV_A_MEM_SIZE, "size is required") ||
	    !hv_nl_require(info, HV_A_MEM_UADDR, "uaddr is required"))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_MEM_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_mem_map(vm, nla_get_u64(a[HV_A_MEM_GPA]),
			 nla_get_u64(a[HV_A_MEM_SIZE]),
			 nla_get_u64(a[HV_A_MEM_UADDR]),
			 a[HV_A_MEM_FLAGS] ? nla_get_u32(a[HV_A_MEM_FLAGS]) : 0,
			 &slot, info->extack);
	if (err) {
		hv_nl_fail(info, err, NULL);
		goto out;
	}
	hdr = hv_nl_reply(info, &msg, HV_CMD_MEM_MAP, NLMSG_DEFAULT_SIZE);
	if (!hdr) {
		err = -ENOMEM;
		hv_mem_unmap(vm, slot.id, NULL);
		goto out;
	}
	fill_slot(msg, vm->id, &slot);
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_mem_unmap_doit() - mem-unmap: remove a slot and unpin its memory
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -ENOENT for an unknown slot.
 */
int hv_nl_mem_unmap_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vm *vm;
	int err;

	if (!hv_nl_require(info, HV_A_MEM_SLOT, "slot is required"))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_MEM_VM_ID, true, &err);
	if (!vm)
		return err;
	err = hv_mem_unmap(vm, nla_get_u32(info->attrs[HV_A_MEM_SLOT]),
			   info->extack);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HV_A_MEM_SLOT],
				    "no slot with this id in the VM");
	else
		hv_nl_fail(info, err, NULL);
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_mem_get_doit() - mem-get: one slot of a VM
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -ENOENT for an unknown VM or slot.
 */
int hv_nl_mem_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_memslot *s;
	struct sk_buff *msg;
	struct hv_vm *vm;
	void *hdr;
	int err;

	if (!hv_nl_require(info, HV_A_MEM_SLOT,
			   "slot is required (a dump lists every slot)"))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_MEM_VM_ID, false, &err);
	if (!vm)
		return err;
	s = hv_mem_slot(vm, nla_get_u32(info->attrs[HV_A_MEM_SLOT]));
	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HV_A_MEM_SLOT],
				    "no slot with this id in the VM");
		err = -ENOENT;
		goto out;
	}
	hdr = hv_nl_reply(info, &msg, HV_CMD_MEM_GET, NLMSG_DEFAULT_SIZE);
	if (!hdr) {
		err = -ENOMEM;
		goto out;
	}
	if (fill_slot(msg, vm->id, s)) {
		nlmsg_free(msg);
		err = hv_nl_fail(info, -EMSGSIZE, "reply does not fit");
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_mem_get_dumpit() - mem-get dump: a VM's slots
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @cb: the dump's state
 *
 * Return: the dump's progress, as netlink dumps return it.
 */
int hv_nl_mem_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct hv_memslots *set;
	u32 i = cb->args[0];
	struct hv_vm *vm;
	void *hdr;
	int err = 0;

	vm = hv_nl_vm_dump_lock(cb, di->attrs[HV_A_MEM_VM_ID], &err);
	if (!vm)
		return err;
	set = rcu_dereference_protected(vm->slots, lockdep_is_held(&vm->lock));
	for (; set && i < set->count; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hv_nl_family,
				  NLM_F_MULTI, HV_CMD_MEM_GET);
		if (!hdr || fill_slot(skb, vm->id, set->slot[i])) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	hv_nl_vm_unlock(vm);
	return err && !skb->len ? err : skb->len;
}

static int bad_range(struct genl_info *info, u64 gpa)
{
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HV_A_MEM_GPA],
			    "the range is not entirely guest memory (no slot covers part of it)");
	return -EFAULT;
}

/**
 * hv_nl_mem_read_doit() - mem-read: copy guest memory to the owner
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EFAULT if part of the range is not guest memory.
 */
int hv_nl_mem_read_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *data;
	struct hv_vm *vm;
	u32 len;
	u64 gpa;
	void *hdr;
	int err;

	if (!hv_nl_require(info, HV_A_MEM_GPA, "gpa is required") ||
	    !hv_nl_require(info, HV_A_MEM_LEN, "len is required"))
		return -EINVAL;
	gpa = nla_get_u64(info->attrs[HV_A_MEM_GPA]);
	len = nla_get_u32(info->attrs[HV_A_MEM_LEN]);
	vm = hv_nl_vm_lock(skb, info, HV_A_MEM_VM_ID, true, &err);
	if (!vm)
		return err;
	hdr = hv_nl_reply(info, &msg, HV_CMD_MEM_READ, len + 256);
	if (!hdr) {
		err = -ENOMEM;
		goto out;
	}
	data = nla_reserve(msg, HV_A_MEM_DATA, len);
	if (!data || nla_put_u32(msg, HV_A_MEM_VM_ID, vm->id) ||
	    nla_put_u64_64bit(msg, HV_A_MEM_GPA, gpa, HV_A_MEM_PAD)) {
		nlmsg_free(msg);
		err = hv_nl_fail(info, -EMSGSIZE, "reply does not fit");
		goto out;
	}
	if (gpa + len < gpa || hv_mem_read(vm, gpa, nla_data(data), len)) {
		nlmsg_free(msg);
		err = bad_range(info, gpa);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	hv_nl_vm_unlock(vm);
	return err;
}

static bool range_is_ram(struct hv_vm *vm, u64 gpa, u32 len)
{
	u64 end = gpa + len;

	if (end < gpa)
		return false;
	for (gpa &= PAGE_MASK; gpa < end; gpa += PAGE_SIZE)
		if (!hv_mem_is_ram(vm, gpa))
			return false;
	return true;
}

/**
 * hv_nl_mem_write_doit() - mem-write: copy the owner's bytes into guest memory
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EFAULT if part of the range is not guest memory.
 */
int hv_nl_mem_write_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *data = info->attrs[HV_A_MEM_DATA];
	struct hv_vm *vm;
	u64 gpa;
	int err;

	if (!hv_nl_require(info, HV_A_MEM_GPA, "gpa is required") ||
	    !hv_nl_require(info, HV_A_MEM_DATA, "data is required"))
		return -EINVAL;
	gpa = nla_get_u64(info->attrs[HV_A_MEM_GPA]);
	vm = hv_nl_vm_lock(skb, info, HV_A_MEM_VM_ID, true, &err);
	if (!vm)
		return err;
	/* Check the whole range first: a failed write changes nothing. */
	if (!range_is_ram(vm, gpa, nla_len(data)))
		err = bad_range(info, gpa);
	else
		err = hv_mem_write(vm, gpa, nla_data(data), nla_len(data));
	hv_nl_vm_unlock(vm);
	return err;
}

/* The slot the request names; NULL and -ENOENT, with the reason, if none. */
static struct hv_memslot *nl_slot(struct genl_info *info, struct hv_vm *vm,
				  int *err)
{
	struct nlattr *attr = info->attrs[HV_A_MEM_SLOT];
	struct hv_memslot *s = hv_mem_slot(vm, nla_get_u32(attr));

	if (!s) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "no slot with this id in the VM");
		*err = -ENOENT;
	}
	return s;
}

/**
 * hv_nl_mem_set_doit() - mem-set: turn a slot's dirty logging on or off
 * @skb: the request
 * @info: the request
 *
 * Return: the slot on success; -ENOENT for an unknown slot; -EINVAL if
 * the request would change readonly.
 */
int hv_nl_mem_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct hv_memslot *s;
	struct sk_buff *msg;
	struct hv_vm *vm;
	u32 flags;
	void *hdr;
	int err;

	if (!hv_nl_require(info, HV_A_MEM_SLOT, "slot is required") ||
	    !hv_nl_require(info, HV_A_MEM_FLAGS, "flags is required"))
		return -EINVAL;
	flags = nla_get_u32(a[HV_A_MEM_FLAGS]);
	vm = hv_nl_vm_lock(skb, info, HV_A_MEM_VM_ID, true, &err);
	if (!vm)
		return err;
	s = nl_slot(info, vm, &err);
	if (!s)
		goto out;
	if ((flags ^ s->flags) & HV_MEM_FLAGS_READONLY) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HV_A_MEM_FLAGS],
				    "readonly cannot change on a mapped slot");
		err = -EINVAL;
		goto out;
	}
	err = hv_dirty_set_log(vm, s, flags & HV_MEM_FLAGS_DIRTY_LOG);
	if (err) {
		hv_nl_fail(info, err, "no memory for the slot's dirty log");
		goto out;
	}
	hdr = hv_nl_reply(info, &msg, HV_CMD_MEM_SET, NLMSG_DEFAULT_SIZE);
	if (!hdr) {
		err = -ENOMEM;
		goto out;
	}
	fill_slot(msg, vm->id, s);
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	hv_nl_vm_unlock(vm);
	return err;
}

/* Check a mem-log range against the slot; 0 or -EINVAL with the reason. */
static int log_range(struct genl_info *info, const struct hv_memslot *s,
		     u64 *first, u32 *npages)
{
	struct nlattr **a = info->attrs;

	*first = a[HV_A_MEM_FIRST] ? nla_get_u64(a[HV_A_MEM_FIRST]) : 0;
	if (*first % 64) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HV_A_MEM_FIRST],
				    "first must be a multiple of 64 pages");
		return -EINVAL;
	}
	if (*first >= s->npages) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HV_A_MEM_FIRST],
				    "first is beyond the slot's last page");
		return -EINVAL;
	}
	if (!a[HV_A_MEM_NPAGES]) {
		*npages = min_t(u64, s->npages - *first, HV_MEM_LOG_MAX);
		return 0;
	}
	*npages = nla_get_u32(a[HV_A_MEM_NPAGES]);
	if (*npages > s->npages - *first) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HV_A_MEM_NPAGES],
				    "the range goes beyond the slot's last page");
		return -EINVAL;
	}
	return 0;
}

/**
 * hv_nl_mem_log_doit() - mem-log: the pages of a slot written or accessed
 *	since the last call, cleared unless peek is set
 * @skb: the request
 * @info: the request
 *
 * Return: the bitmap on success; -ENOENT for an unknown slot; -EINVAL for
 * a bad range or dirty pages of a slot that does not log them; -EPERM for
 * a clearing request from another socket than the owner's, or a peek from
 * another socket without CAP_NET_ADMIN.
 */
int hv_nl_mem_log_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	bool accessed, peek;
	struct hv_memslot *s;
	struct sk_buff *msg;
	struct nlattr *bits;
	struct hv_vm *vm;
	u32 npages;
	void *hdr;
	u64 first;
	int err;

	if (!hv_nl_require(info, HV_A_MEM_SLOT, "slot is required"))
		return -EINVAL;
	accessed = a[HV_A_MEM_ACCESSED] && nla_get_u8(a[HV_A_MEM_ACCESSED]);
	peek = a[HV_A_MEM_PEEK] && nla_get_u8(a[HV_A_MEM_PEEK]);
	vm = hv_nl_vm_lock(skb, info, HV_A_MEM_VM_ID, !peek, &err);
	if (!vm)
		return err;
	/*
	 * Which pages a guest touches tells what it does: a peek only reads,
	 * but is for the owner and administrators (CAP_NET_ADMIN), unlike
	 * the VM's shape that vm-get and mem-get show anyone.
	 */
	if (peek && !hv_nl_owns(skb, info, vm) &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HV_A_MEM_VM_ID],
				    "peeking at another socket's VM needs CAP_NET_ADMIN");
		err = -EPERM;
		goto out;
	}
	s = nl_slot(info, vm, &err);
	if (!s)
		goto out;
	if (!accessed && !(s->flags & HV_MEM_FLAGS_DIRTY_LOG)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[HV_A_MEM_SLOT],
				    "the slot does not log dirty pages (mem-set dirty-log)");
		err = -EINVAL;
		goto out;
	}
	err = log_range(info, s, &first, &npages);
	if (err)
		goto out;
	hdr = hv_nl_reply(info, &msg, HV_CMD_MEM_LOG,
			  BITS_TO_LONGS(npages) * sizeof(long) + 256);
	if (!hdr) {
		err = -ENOMEM;
		goto out;
	}
	bits = nla_reserve(msg, HV_A_MEM_BITMAP,
			   BITS_TO_LONGS(npages) * sizeof(long));
	if (!bits || nla_put_u32(msg, HV_A_MEM_VM_ID, vm->id) ||
	    nla_put_u32(msg, HV_A_MEM_SLOT, s->id) ||
	    nla_put_u64_64bit(msg, HV_A_MEM_FIRST, first, HV_A_MEM_PAD) ||
	    nla_put_u32(msg, HV_A_MEM_NPAGES, npages) ||
	    nla_put_u8(msg, HV_A_MEM_ACCESSED, accessed) ||
	    nla_put_string(msg, HV_A_MEM_METHOD,
			   hv_dirty_method(vm->npt.hw_ad,
					   vm->npt.write_log))) {
		nlmsg_free(msg);
		err = hv_nl_fail(info, -EMSGSIZE, "reply does not fit");
		goto out;
	}
	memset(nla_data(bits), 0, nla_len(bits));
	err = hv_dirty_get(vm, s, accessed, !peek, first, npages,
			   nla_data(bits));
	if (nla_put_u32(msg, HV_A_MEM_COUNT, err)) {
		nlmsg_free(msg);
		err = hv_nl_fail(info, -EMSGSIZE, "reply does not fit");
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	hv_nl_vm_unlock(vm);
	return err;
}
