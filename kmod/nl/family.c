// SPDX-License-Identifier: GPL-2.0
/*
 * The hv generic netlink family, laid out as YNL's generator lays out a
 * family (ynl-gen-c.py --mode kernel): the policies of the nested attribute
 * sets, one policy per operation, the operation table and the family. The
 * handlers are in one file per object (vm.c, vcpu.c, mem.c, info.c); the
 * messages the family sends unprompted in events.c. kmod/hv.yaml describes
 * all of it; tests/check_spec.py holds the two together.
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

#include "compat.h"
#include "nl/nl.h"

#define NAME_POLICY { .type = NLA_NUL_STRING, .len = HV_VM_NAME_LEN - 1 }

/* The nested attribute sets. */

const struct nla_policy hv_cpuid_nl_policy[HV_A_CPUID_MAX + 1] = {
	[HV_A_CPUID_FUNCTION] = { .type = NLA_U32 },
	[HV_A_CPUID_INDEX] = { .type = NLA_U32 },
	[HV_A_CPUID_FLAGS] = NLA_POLICY_MAX(NLA_U32,
					    HV_CPUID_FLAGS_SIGNIFICANT_INDEX),
	[HV_A_CPUID_EAX] = { .type = NLA_U32 },
	[HV_A_CPUID_EBX] = { .type = NLA_U32 },
	[HV_A_CPUID_ECX] = { .type = NLA_U32 },
	[HV_A_CPUID_EDX] = { .type = NLA_U32 },
};

const struct nla_policy hv_segment_nl_policy[HV_A_SEGMENT_MAX + 1] = {
	[HV_A_SEGMENT_SELECTOR] = { .type = NLA_U16 },
	[HV_A_SEGMENT_BASE] = { .type = NLA_U64 },
	[HV_A_SEGMENT_LIMIT] = { .type = NLA_U32 },
	[HV_A_SEGMENT_AR] = NLA_POLICY_MASK(NLA_U32, 0x1f0ff),
};

const struct nla_policy hv_dtable_nl_policy[HV_A_DTABLE_MAX + 1] = {
	[HV_A_DTABLE_BASE] = { .type = NLA_U64 },
	[HV_A_DTABLE_LIMIT] = NLA_POLICY_MASK(NLA_U32, 0xffff),
};

const struct nla_policy hv_msr_nl_policy[HV_A_MSR_MAX + 1] = {
	[HV_A_MSR_INDEX] = { .type = NLA_U32 },
	[HV_A_MSR_VALUE] = { .type = NLA_U64 },
};

const struct nla_policy hv_event_nl_policy[HV_A_EVENT_MAX + 1] = {
	[HV_A_EVENT_TYPE] = NLA_POLICY_MAX(NLA_U32, HV_EVENT_TYPE_SOFT_INTR),
	[HV_A_EVENT_VECTOR] = { .type = NLA_U8 },
	[HV_A_EVENT_ERROR_CODE] = { .type = NLA_U32 },
};

#define U64 { .type = NLA_U64 }
#define SEG NLA_POLICY_NESTED(hv_segment_nl_policy)
#define DT NLA_POLICY_NESTED(hv_dtable_nl_policy)

const struct nla_policy hv_regs_nl_policy[HV_A_REGS_MAX + 1] = {
	[HV_A_REGS_RAX ... HV_A_REGS_DR7] = U64,
	[HV_A_REGS_CS ... HV_A_REGS_LDTR] = SEG,
	[HV_A_REGS_GDTR] = DT,
	[HV_A_REGS_IDTR] = DT,
	[HV_A_REGS_MSR] = NLA_POLICY_NESTED(hv_msr_nl_policy),
	[HV_A_REGS_EVENT] = NLA_POLICY_NESTED(hv_event_nl_policy),
	[HV_A_REGS_INT_SHADOW] = NLA_POLICY_MAX(NLA_U32, 1),
	[HV_A_REGS_ACTIVITY] = NLA_POLICY_MAX(NLA_U32, HV_ACTIVITY_WAIT_SIPI),
	[HV_A_REGS_FPU] = NLA_POLICY_EXACT_LEN(512),
	[HV_A_REGS_NO_EVENT] = { .type = NLA_FLAG },
	[HV_A_REGS_APIC_BASE] = U64,
	[HV_A_REGS_TSC_DEADLINE] = U64,
	[HV_A_REGS_NMI_PENDING] = NLA_POLICY_MAX(NLA_U64, 1),
	[HV_A_REGS_LAPIC] = NLA_POLICY_EXACT_LEN(HV_LAPIC_STATE_SIZE),
};

/* One policy per operation: attributes it does not list are refused. */

/* Bounds above 32767 (see compat.h). */
HV_NL_RANGE(ring_poll_range, 0, HV_RING_POLL_MAX);

static const struct nla_policy hv_vm_new_nl_policy[HV_A_VM_MAX + 1] = {
	[HV_A_VM_NAME] = NAME_POLICY,
	[HV_A_VM_MAX_VCPUS] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VM_MAX_MEM] = NLA_POLICY_MIN(NLA_U64, PAGE_SIZE),
	[HV_A_VM_UNKNOWN_MSR] = NLA_POLICY_MAX(NLA_U32, HV_MSR_POLICY_EXIT),
	[HV_A_VM_RING_POLL_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ring_poll_range),
	[HV_A_VM_HALT_NOTICES] = NLA_POLICY_MAX(NLA_U32, 1),
};

static const struct nla_policy hv_vm_id_nl_policy[HV_A_VM_MAX + 1] = {
	[HV_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy hv_vm_get_nl_policy[HV_A_VM_MAX + 1] = {
	[HV_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VM_NAME] = NAME_POLICY,
};

static const struct nla_policy hv_vm_set_nl_policy[HV_A_VM_MAX + 1] = {
	[HV_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VM_UNKNOWN_MSR] = NLA_POLICY_MAX(NLA_U32, HV_MSR_POLICY_EXIT),
	[HV_A_VM_CPUID] = NLA_POLICY_NESTED(hv_cpuid_nl_policy),
	[HV_A_VM_RING_POLL_NS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ring_poll_range),
	[HV_A_VM_HALT_NOTICES] = NLA_POLICY_MAX(NLA_U32, 1),
};

HV_NL_RANGE(msi_data_range, 0, 0xffff);

static const struct nla_policy hv_vm_msi_nl_policy[HV_A_VM_MAX + 1] = {
	[HV_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VM_MSI_ADDR] = { .type = NLA_U64 },
	[HV_A_VM_MSI_DATA] = NLA_POLICY_FULL_RANGE(NLA_U32, &msi_data_range),
};

HV_NL_RANGE(fd_range, 0, INT_MAX);

static const struct nla_policy hv_vm_irqfd_nl_policy[HV_A_VM_MAX + 1] = {
	[HV_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VM_EVENTFD] = NLA_POLICY_FULL_RANGE(NLA_U32, &fd_range),
	[HV_A_VM_MSI_ADDR] = { .type = NLA_U64 },
	[HV_A_VM_MSI_DATA] = NLA_POLICY_FULL_RANGE(NLA_U32, &msi_data_range),
	[HV_A_VM_DEASSIGN] = { .type = NLA_FLAG },
};

HV_NL_RANGE(io_len_range, 1, 8);

static const struct nla_policy hv_vm_ioeventfd_nl_policy[HV_A_VM_MAX + 1] = {
	[HV_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VM_EVENTFD] = NLA_POLICY_FULL_RANGE(NLA_U32, &fd_range),
	[HV_A_VM_IO_SPACE] = NLA_POLICY_MAX(NLA_U32, HV_IO_SPACE_MMIO),
	[HV_A_VM_IO_ADDR] = { .type = NLA_U64 },
	[HV_A_VM_IO_LEN] = NLA_POLICY_FULL_RANGE(NLA_U32, &io_len_range),
	[HV_A_VM_IO_DATAMATCH] = { .type = NLA_U64 },
	[HV_A_VM_DEASSIGN] = { .type = NLA_FLAG },
};

static const struct nla_policy hv_vcpu_intr_line_nl_policy[HV_A_VCPU_MAX + 1] = {
	[HV_A_VCPU_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VCPU_ID] = { .type = NLA_U32 },
	[HV_A_VCPU_INTR_LINE] = NLA_POLICY_MAX(NLA_U32, 1),
};

static const struct nla_policy hv_vcpu_id_nl_policy[HV_A_VCPU_MAX + 1] = {
	[HV_A_VCPU_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VCPU_ID] = { .type = NLA_U32 },
};

static const struct nla_policy hv_vcpu_set_regs_nl_policy[HV_A_VCPU_MAX + 1] = {
	[HV_A_VCPU_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VCPU_ID] = { .type = NLA_U32 },
	[HV_A_VCPU_REGS] = NLA_POLICY_NESTED(hv_regs_nl_policy),
};

static const struct nla_policy hv_vcpu_complete_nl_policy[HV_A_VCPU_MAX + 1] = {
	[HV_A_VCPU_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VCPU_ID] = { .type = NLA_U32 },
	[HV_A_VCPU_SEQ] = { .type = NLA_U64 },
	[HV_A_VCPU_DATA] = { .type = NLA_U64 },
	[HV_A_VCPU_ERROR] = { .type = NLA_FLAG },
};

static const struct nla_policy hv_vcpu_set_ring_nl_policy[HV_A_VCPU_MAX + 1] = {
	[HV_A_VCPU_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_VCPU_ID] = { .type = NLA_U32 },
	[HV_A_VCPU_RING_ADDR] = NLA_POLICY_MIN(NLA_U64, 1),
	[HV_A_VCPU_EXIT_FD] = NLA_POLICY_FULL_RANGE(NLA_U32, &fd_range),
	[HV_A_VCPU_DONE_FD] = NLA_POLICY_FULL_RANGE(NLA_U32, &fd_range),
};

static const struct nla_policy hv_mem_map_nl_policy[HV_A_MEM_MAX + 1] = {
	[HV_A_MEM_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_MEM_GPA] = { .type = NLA_U64 },
	[HV_A_MEM_SIZE] = NLA_POLICY_MIN(NLA_U64, PAGE_SIZE),
	[HV_A_MEM_UADDR] = { .type = NLA_U64 },
	[HV_A_MEM_FLAGS] = NLA_POLICY_MASK(NLA_U32, HV_MEM_FLAGS_READONLY |
					   HV_MEM_FLAGS_DIRTY_LOG),
};

static const struct nla_policy hv_mem_set_nl_policy[HV_A_MEM_MAX + 1] = {
	[HV_A_MEM_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_MEM_SLOT] = { .type = NLA_U32 },
	[HV_A_MEM_FLAGS] = NLA_POLICY_MASK(NLA_U32, HV_MEM_FLAGS_READONLY |
					   HV_MEM_FLAGS_DIRTY_LOG),
};

HV_NL_RANGE(log_npages_range, 1, HV_MEM_LOG_MAX);

static const struct nla_policy hv_mem_log_nl_policy[HV_A_MEM_MAX + 1] = {
	[HV_A_MEM_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_MEM_SLOT] = { .type = NLA_U32 },
	[HV_A_MEM_FIRST] = { .type = NLA_U64 },
	[HV_A_MEM_NPAGES] = NLA_POLICY_FULL_RANGE(NLA_U32, &log_npages_range),
	[HV_A_MEM_ACCESSED] = NLA_POLICY_MAX(NLA_U8, 1),
	[HV_A_MEM_PEEK] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy hv_mem_unmap_nl_policy[HV_A_MEM_MAX + 1] = {
	[HV_A_MEM_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_MEM_SLOT] = { .type = NLA_U32 },
};

static const struct nla_policy hv_mem_get_nl_policy[HV_A_MEM_MAX + 1] = {
	[HV_A_MEM_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_MEM_SLOT] = { .type = NLA_U32 },
};

/* Bounds above 32767 (see compat.h). */
HV_NL_RANGE(mem_len_range, 1, HV_MEM_IO_MAX);

static const struct nla_policy hv_mem_read_nl_policy[HV_A_MEM_MAX + 1] = {
	[HV_A_MEM_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_MEM_GPA] = { .type = NLA_U64 },
	[HV_A_MEM_LEN] = NLA_POLICY_FULL_RANGE(NLA_U32, &mem_len_range),
};

static const struct nla_policy hv_mem_write_nl_policy[HV_A_MEM_MAX + 1] = {
	[HV_A_MEM_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[HV_A_MEM_GPA] = { .type = NLA_U64 },
	[HV_A_MEM_DATA] = { .type = NLA_BINARY, .len = HV_MEM_IO_MAX },
};

static const struct nla_policy hv_get_info_nl_policy[HV_A_INFO_MAX + 1] = {
	[1 ... HV_A_INFO_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "get-info takes no attributes",
	},
};

#define SET_INFO_REJECT { \
	.type = NLA_REJECT, \
	.reject_message = "set-info changes only l1d-flush-mode", \
}

static const struct nla_policy hv_set_info_nl_policy[HV_A_INFO_MAX + 1] = {
	[1 ... HV_A_INFO_L1D_FLUSH_MODE - 1] = SET_INFO_REJECT,
	[HV_A_INFO_L1D_FLUSH_MODE + 1 ... HV_A_INFO_MAX] = SET_INFO_REJECT,
	[HV_A_INFO_L1D_FLUSH_MODE] = NLA_POLICY_MAX(NLA_U32,
						    HV_L1D_FLUSH_MODE_NEVER),
};

static const struct nla_policy hv_get_stats_nl_policy[HV_A_STATS_MAX + 1] = {
	[HV_A_STATS_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/*
 * Who may do what (DESIGN rule 3). Creating a VM and changing the module's
 * settings need CAP_NET_ADMIN (GENL_ADMIN_PERM). Every operation on an
 * existing VM needs its owner socket and nothing else: its handler checks
 * ownership (hv_nl_vm_lock()) before it touches the VM or the caller's fds
 * and memory, so a process may drop every capability once its VM exists,
 * or be handed the socket over SCM_RIGHTS, as a KVM VM fd allows. Fds and
 * user addresses in those requests are the caller's own (resolved and
 * pinned in its context), and what they may cost is bounded by the limits
 * the VM was created with. Reads need nothing; mem-log's peek at another
 * socket's VM needs CAP_NET_ADMIN (hv_nl_mem_log_doit()).
 */
static const struct genl_ops hv_nl_ops[] = {
	{
		.cmd = HV_CMD_GET_INFO,
		.doit = hv_nl_get_info_doit,
		.policy = hv_get_info_nl_policy,
		.maxattr = HV_A_INFO_MAX,
	},
	{
		.cmd = HV_CMD_SET_INFO,
		.doit = hv_nl_set_info_doit,
		.policy = hv_set_info_nl_policy,
		.maxattr = HV_A_INFO_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VM_NEW,
		.doit = hv_nl_vm_new_doit,
		.policy = hv_vm_new_nl_policy,
		.maxattr = HV_A_VM_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = HV_CMD_VM_DEL,
		.doit = hv_nl_vm_del_doit,
		.policy = hv_vm_id_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VM_GET,
		.doit = hv_nl_vm_get_doit,
		.dumpit = hv_nl_vm_get_dumpit,
		.policy = hv_vm_get_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VM_SET,
		.doit = hv_nl_vm_set_doit,
		.policy = hv_vm_set_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VM_START,
		.doit = hv_nl_vm_start_doit,
		.policy = hv_vm_id_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VM_PAUSE,
		.doit = hv_nl_vm_pause_doit,
		.policy = hv_vm_id_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_NEW,
		.doit = hv_nl_vcpu_new_doit,
		.policy = hv_vcpu_id_nl_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_GET,
		.doit = hv_nl_vcpu_get_doit,
		.dumpit = hv_nl_vcpu_get_dumpit,
		.policy = hv_vcpu_id_nl_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_GET_REGS,
		.doit = hv_nl_vcpu_get_regs_doit,
		.policy = hv_vcpu_id_nl_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_SET_REGS,
		.doit = hv_nl_vcpu_set_regs_doit,
		.policy = hv_vcpu_set_regs_nl_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_COMPLETE,
		.doit = hv_nl_vcpu_complete_doit,
		.policy = hv_vcpu_complete_nl_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_SET_RING,
		.doit = hv_nl_vcpu_set_ring_doit,
		.policy = hv_vcpu_set_ring_nl_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VM_MSI,
		.doit = hv_nl_vm_msi_doit,
		.policy = hv_vm_msi_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VM_IRQFD,
		.doit = hv_nl_vm_irqfd_doit,
		.policy = hv_vm_irqfd_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_VCPU_INTR_LINE,
		.doit = hv_nl_vcpu_intr_line_doit,
		.policy = hv_vcpu_intr_line_nl_policy,
		.maxattr = HV_A_VCPU_MAX,
	},
	{
		.cmd = HV_CMD_VM_IOEVENTFD,
		.doit = hv_nl_vm_ioeventfd_doit,
		.policy = hv_vm_ioeventfd_nl_policy,
		.maxattr = HV_A_VM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_MAP,
		.doit = hv_nl_mem_map_doit,
		.policy = hv_mem_map_nl_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_UNMAP,
		.doit = hv_nl_mem_unmap_doit,
		.policy = hv_mem_unmap_nl_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_GET,
		.doit = hv_nl_mem_get_doit,
		.dumpit = hv_nl_mem_get_dumpit,
		.policy = hv_mem_get_nl_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_READ,
		.doit = hv_nl_mem_read_doit,
		.policy = hv_mem_read_nl_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_WRITE,
		.doit = hv_nl_mem_write_doit,
		.policy = hv_mem_write_nl_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_SET,
		.doit = hv_nl_mem_set_doit,
		.policy = hv_mem_set_nl_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_MEM_LOG,
		.doit = hv_nl_mem_log_doit,
		.policy = hv_mem_log_nl_policy,
		.maxattr = HV_A_MEM_MAX,
	},
	{
		.cmd = HV_CMD_GET_STATS,
		.doit = hv_nl_get_stats_doit,
		.policy = hv_get_stats_nl_policy,
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
