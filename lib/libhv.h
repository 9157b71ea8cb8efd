/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhv: a small client of the hv generic netlink family on libnl-genl-3,
 * shared by hvctl, hvd and the selftests. Functions return 0 or a negative
 * errno; after a failed request hv_errmsg() holds the kernel's extack
 * message (empty if it sent none).
 */
#ifndef LIBHV_H
#define LIBHV_H

#include <stddef.h>
#include <stdint.h>

#include "hv.h"

struct hv;
struct nl_msg;
struct nlmsghdr;

/**
 * struct hv_info - the reply of get-info
 * @present: bit N set if attribute N of the info set was in the reply
 * @backend: HV_BACKEND_*
 * @version: module version
 * @caps: HV_CAP_* bits
 * @tlb_tags: VPIDs or ASIDs available to guests
 * @hw_revision: VMCS revision or SVM revision
 * @l1tf: HV_L1TF_*
 * @l1d_flush_mode: configured HV_L1D_FLUSH_MODE_*
 * @l1d_flush: effective HV_L1D_FLUSH_MODE_*
 * @l1d_flush_method: HV_L1D_FLUSH_METHOD_*
 * @l1d_flush_reason: why the effective mode was chosen
 * @mitigations: HV_MITIGATION_* bits
 */
struct hv_info {
	uint64_t present;
	uint32_t backend;
	char version[64];
	uint64_t caps;
	uint32_t tlb_tags;
	uint32_t hw_revision;
	uint32_t l1tf;
	uint32_t l1d_flush_mode;
	uint32_t l1d_flush;
	uint32_t l1d_flush_method;
	char l1d_flush_reason[128];
	uint64_t mitigations;
};

/* Connection. */
int hv_open(struct hv **out);
void hv_close(struct hv *h);
const char *hv_errmsg(const struct hv *h);
int hv_family_id(const struct hv *h);

/* Commands. */
int hv_get_info(struct hv *h, struct hv_info *info);

/* Reply parsers, exposed for tests. */
int hv_info_parse(struct nlmsghdr *nlh, struct hv_info *info);

/* Low level, for selftests that craft requests. */
struct nl_msg *hv_msg_new(struct hv *h, uint8_t cmd, int flags);
int hv_transact(struct hv *h, struct nl_msg *msg,
		int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg);
int hv_transact_raw(struct hv *h, void *buf, size_t len,
		    int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg);
uint32_t hv_err_offset(const struct hv *h);

/* Names, as in kmod/hv.yaml. */
extern const char *const hv_cap_names[];
extern const unsigned int hv_cap_count;
extern const char *const hv_mitigation_names[];
extern const unsigned int hv_mitigation_count;
const char *hv_backend_name(uint32_t backend);
const char *hv_l1tf_name(uint32_t l1tf);
const char *hv_l1d_flush_mode_name(uint32_t mode);
const char *hv_l1d_flush_method_name(uint32_t method);

#endif /* LIBHV_H */
