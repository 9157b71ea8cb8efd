// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the module itself: get-info (the backend, the
 * hardware's capabilities, limits and mitigations), set-info (the L1D flush
 * mode) and get-stats (exit counters of one VM or of all).
 */
#include <linux/kernel.h>
#include <net/genetlink.h>

#include "irq/irq.h"
#include "nl/nl.h"

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
	    nla_put_string(msg, HV_A_INFO_DIRTY_REASON, hv_dirty_reason()) ||
	    nla_put_u32(msg, HV_A_INFO_RING_POLL_NS, hv_ring_poll_default()) ||
	    nla_put_string(msg, HV_A_INFO_APICV, hv_apicv_name()) ||
	    nla_put_string(msg, HV_A_INFO_APICV_REASON, hv_apicv_reason()) ||
	    nla_put_string(msg, HV_A_INFO_APIC_TIMER, hv_lapic_timer_name()))
		return -EMSGSIZE;
	return 0;
}

/**
 * hv_nl_get_info_doit() - get-info: the backend, capabilities, limits and
 * mitigations of this host
 * @skb: the request
 * @info: the request
 *
 * Return: 0, -ENOMEM or -EMSGSIZE.
 */
int hv_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info)
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

/**
 * hv_nl_set_info_doit() - set-info: change the L1D flush mode, and reply
 * as get-info does
 * @skb: the request
 * @info: the request
 *
 * Return: 0, -ENOMEM or -EMSGSIZE.
 */
int hv_nl_set_info_doit(struct sk_buff *skb, struct genl_info *info)
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
	[HV_STAT_SLEEPS] = HV_A_STATS_SLEEPS,
	[HV_STAT_OWNER_WAKEUPS] = HV_A_STATS_OWNER_WAKEUPS,
	[HV_STAT_INTR_INJECTED] = HV_A_STATS_INTR_INJECTED,
	[HV_STAT_IPIS] = HV_A_STATS_IPIS,
	[HV_STAT_TIMER_FIRED] = HV_A_STATS_TIMER_FIRED,
	[HV_STAT_IOEVENTFD] = HV_A_STATS_IOEVENTFD,
	[HV_STAT_EOI_NOTICES] = HV_A_STATS_EOI_NOTICES,
	[HV_STAT_INTR_POSTED] = HV_A_STATS_INTR_POSTED,
	[HV_STAT_EXITS_TIMER] = HV_A_STATS_EXITS_TIMER,
	[HV_STAT_HALT_POLLED] = HV_A_STATS_HALT_POLLED,
};

/**
 * hv_nl_get_stats_doit() - get-stats: the exit counters of one VM, or
 * summed over all VMs
 * @skb: the request
 * @info: the request
 *
 * Return: 0; -ENOENT for an unknown VM; -ENOMEM or -EMSGSIZE.
 */
int hv_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 stats[HV_NR_STATS] = { 0 };
	struct sk_buff *msg;
	struct hv_vm *vm;
	void *hdr;
	u32 id = 0;
	int err, i;

	if (info->attrs[HV_A_STATS_VM_ID]) {
		vm = hv_nl_vm_lock(skb, info, HV_A_STATS_VM_ID, false, &err);
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
