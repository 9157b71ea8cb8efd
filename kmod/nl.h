/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the netlink files share: the family, the per-operation policies,
 * the handlers, and helpers that look objects up with the checks every
 * handler needs (existence, ownership) and report failures in extack.
 */
#ifndef HV_NL_H
#define HV_NL_H

#include <net/genetlink.h>

#include "hv.h"

extern struct genl_family hv_nl_family;

/* Policies, one per operation (YNL style): unlisted attributes are refused. */
extern const struct nla_policy hv_vm_new_policy[HV_A_VM_MAX + 1];
extern const struct nla_policy hv_vm_id_policy[HV_A_VM_MAX + 1];
extern const struct nla_policy hv_vm_get_policy[HV_A_VM_MAX + 1];
extern const struct nla_policy hv_vm_set_policy[HV_A_VM_MAX + 1];
extern const struct nla_policy hv_vcpu_id_policy[HV_A_VCPU_MAX + 1];
extern const struct nla_policy hv_vcpu_set_regs_policy[HV_A_VCPU_MAX + 1];
extern const struct nla_policy hv_vcpu_complete_policy[HV_A_VCPU_MAX + 1];
extern const struct nla_policy hv_mem_map_policy[HV_A_MEM_MAX + 1];
extern const struct nla_policy hv_mem_unmap_policy[HV_A_MEM_MAX + 1];
extern const struct nla_policy hv_mem_get_policy[HV_A_MEM_MAX + 1];
extern const struct nla_policy hv_mem_read_policy[HV_A_MEM_MAX + 1];
extern const struct nla_policy hv_mem_write_policy[HV_A_MEM_MAX + 1];
extern const struct nla_policy hv_mem_set_policy[HV_A_MEM_MAX + 1];
extern const struct nla_policy hv_mem_log_policy[HV_A_MEM_MAX + 1];

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
int hv_nl_mem_map_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_unmap_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_get_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int hv_nl_mem_read_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_write_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_set_doit(struct sk_buff *skb, struct genl_info *info);
int hv_nl_mem_log_doit(struct sk_buff *skb, struct genl_info *info);

bool hv_nl_require(struct genl_info *info, int attr, const char *msg);
struct hv_vm *hv_nl_vm_lock(struct genl_info *info, int attr, bool owner,
			    int *err);
void hv_nl_vm_unlock(struct hv_vm *vm);
struct hv_vm *hv_nl_vm_dump_lock(struct netlink_callback *cb,
				 const struct nlattr *attr, int *err);
void *hv_nl_reply(struct genl_info *info, struct sk_buff **skb, u8 cmd,
		  size_t size);
int hv_nl_fail(struct genl_info *info, int err, const char *why);

#endif /* HV_NL_H */
