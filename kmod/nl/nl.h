/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the family share (kmod/nl/): the family, the policies
 * of the nested attribute sets, the handlers, and the lookup helpers
 * (lookup.c) that check existence and ownership and report failures in
 * extack. The core calls into the family only through hv_host.h.
 */
#ifndef HV_NL_H
#define HV_NL_H

#include <net/genetlink.h>

#include "hv_host.h"

extern struct genl_family hv_nl_family;

/* The nested attribute sets' policies (family.c), for their parsers. */
extern const struct nla_policy hv_cpuid_nl_policy[HV_A_CPUID_MAX + 1];
extern const struct nla_policy hv_segment_nl_policy[HV_A_SEGMENT_MAX + 1];
extern const struct nla_policy hv_dtable_nl_policy[HV_A_DTABLE_MAX + 1];
extern const struct nla_policy hv_msr_nl_policy[HV_A_MSR_MAX + 1];
extern const struct nla_policy hv_event_nl_policy[HV_A_EVENT_MAX + 1];
extern const struct nla_policy hv_regs_nl_policy[HV_A_REGS_MAX + 1];

/* events.c */
extern struct notifier_block hv_nl_release_nb;

/* The handlers, one file per object. */
int hv_nl_get_info_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_set_info_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_new_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_del_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int hv_nl_vm_set_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_start_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_pause_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vcpu_new_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vcpu_get_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vcpu_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int hv_nl_vcpu_get_regs_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vcpu_set_regs_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vcpu_complete_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vcpu_set_ring_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_msi_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_irqfd_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vm_ioeventfd_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_vcpu_intr_line_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_map_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_unmap_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_get_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int hv_nl_mem_read_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_write_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_set_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_log_doit(struct sk_buff *skb, struct genl_info *info);

/* lookup.c */
bool hv_nl_require(struct genl_info *info, int attr, const char *msg);
bool hv_nl_owns(const struct sk_buff *skb, struct genl_info *info,
		struct hv_vm *vm);
struct hv_vm *hv_nl_vm_lock(const struct sk_buff *skb, struct genl_info *info,
			    int attr, bool owner, int *err);
void hv_nl_vm_unlock(struct hv_vm *vm);
struct hv_vm *hv_nl_vm_dump_lock(struct netlink_callback *cb,
				 const struct nlattr *attr, int *err);
void *hv_nl_reply(struct genl_info *info, struct sk_buff **skb, u8 cmd,
		  size_t size);
int hv_nl_fail(struct genl_info *info, int err, const char *why);

#endif /* HV_NL_H */
