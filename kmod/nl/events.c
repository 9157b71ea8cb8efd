// SPDX-License-Identifier: GPL-2.0
/*
 * What the family sends unprompted: exits, unicast to the VM's owner (the
 * netlink transport of uexit.c), and life-cycle notices, multicast on the
 * notify group; and the notifier that learns when an owner socket goes.
 */
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <net/genetlink.h>

#include "nl/nl.h"

static struct sk_buff *exit_msg(struct hv_vcpu *vcpu, const struct hv_uexit *rec)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	bool hlt = rec->reason == HV_EXIT_REASON_HLT;
	bool eoi = rec->reason == HV_EXIT_REASON_EOI;
	void *hdr;

	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, 0, 0, &hv_nl_family, 0, HV_CMD_EXIT);
	if (!hdr ||
	    nla_put_u32(skb, HV_A_EXIT_VM_ID, vcpu->vm->id) ||
	    nla_put_u32(skb, HV_A_EXIT_VCPU_ID, vcpu->id) ||
	    nla_put_u64_64bit(skb, HV_A_EXIT_SEQ, rec->seq, HV_A_EXIT_PAD) ||
	    nla_put_u64_64bit(skb, HV_A_EXIT_RIP, rec->rip, HV_A_EXIT_PAD) ||
	    nla_put_u32(skb, HV_A_EXIT_REASON, rec->reason) ||
	    (hlt && nla_put_u64_64bit(skb, HV_A_EXIT_RFLAGS, rec->data,
				      HV_A_EXIT_PAD)) ||
	    (eoi && nla_put_u8(skb, HV_A_EXIT_VECTOR, rec->addr)) ||
	    (!hlt && !eoi && (nla_put_u32(skb, HV_A_EXIT_DIR, rec->dir) ||
		      nla_put_u8(skb, HV_A_EXIT_SIZE, rec->size))) ||
	    (rec->reason == HV_EXIT_REASON_IO &&
	     nla_put_u16(skb, HV_A_EXIT_PORT, rec->addr)) ||
	    (rec->reason == HV_EXIT_REASON_MMIO &&
	     nla_put_u64_64bit(skb, HV_A_EXIT_GPA, rec->addr, HV_A_EXIT_PAD)) ||
	    (rec->reason == HV_EXIT_REASON_MSR &&
	     nla_put_u32(skb, HV_A_EXIT_MSR, rec->addr)) ||
	    (!hlt && !eoi && rec->dir == HV_DIR_WRITE &&
	     nla_put_u64_64bit(skb, HV_A_EXIT_DATA, rec->data, HV_A_EXIT_PAD))) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/* Unicast to the owner socket: -EAGAIN when its receive queue is full. */
static int nl_post(struct hv_vcpu *vcpu, const struct hv_uexit *rec)
{
	struct hv_vm *vm = vcpu->vm;
	struct sk_buff *skb;

	skb = exit_msg(vcpu, rec);
	if (!skb)
		return -ENOMEM;
	return genlmsg_unicast(vm->owner_net, skb, vm->owner_portid);
}

const struct hv_uexit_ops hv_nl_uexit_ops = {
	.name = "netlink",
	.post = nl_post,
};

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

static int owner_release(struct notifier_block *nb, unsigned long event,
			 void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		hv_vm_release_owner(n->portid, n->net);
	return NOTIFY_DONE;
}

/* Registered by hv_nl_init(): a VM goes with its owner's socket. */
struct notifier_block hv_nl_release_nb = {
	.notifier_call = owner_release,
};
