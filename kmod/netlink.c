// SPDX-License-Identifier: GPL-2.0
/*
 * The hv generic netlink family: operation table and handlers. Validation
 * lives in the policies (strict: unknown attributes and header bits are
 * rejected by the genetlink core with an extack message); handlers only
 * implement semantics and return promptly, because genl_rcv() holds the
 * global cb_lock around them.
 */
#include <linux/kernel.h>
#include <net/genetlink.h>

#include "hv.h"

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
			      HV_A_INFO_PAD))
		return -EMSGSIZE;
	return 0;
}

static struct genl_family hv_nl_family;

static int hv_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		GENL_SET_ERR_MSG(info, "no memory for the reply");
		return -ENOMEM;
	}

	hdr = genlmsg_put_reply(msg, info, &hv_nl_family, 0, HV_CMD_GET_INFO);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = fill_info(msg);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "reply does not fit in a message");
	return err;
}

/*
 * Every operation has its own policy, validated strictly (resv_start_op is
 * 0): attributes above maxattr fail with "Unknown attribute type", known
 * ones an operation does not take with the operation's own message.
 */
static const struct nla_policy hv_get_info_policy[HV_A_INFO_MAX + 1] = {
	[1 ... HV_A_INFO_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "get-info takes no attributes",
	},
};

static const struct genl_ops hv_nl_ops[] = {
	{
		.cmd = HV_CMD_GET_INFO,
		.doit = hv_nl_get_info_doit,
		.policy = hv_get_info_policy,
		.maxattr = HV_A_INFO_MAX,
	},
};

static struct genl_family hv_nl_family __ro_after_init = {
	.name = HV_FAMILY_NAME,
	.version = HV_FAMILY_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.parallel_ops = true,
	.ops = hv_nl_ops,
	.n_ops = ARRAY_SIZE(hv_nl_ops),
};

/**
 * hv_nl_init() - register the hv family
 *
 * Context: module init, after the backend and mitigations are known.
 * Return: 0, or the errno of genl_register_family() (-EEXIST if another
 * family named "hv" exists).
 */
int hv_nl_init(void)
{
	return genl_register_family(&hv_nl_family);
}

/**
 * hv_nl_exit() - unregister the hv family
 *
 * Context: module exit; returns when no handler runs any more.
 */
void hv_nl_exit(void)
{
	genl_unregister_family(&hv_nl_family);
}
