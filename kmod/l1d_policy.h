/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The L1D-flush decision (CVE-2018-3646) as pure functions of the CPU's
 * facts and the configured mode, so that the rule is unit-tested in user
 * space (kmod/tests/test_l1d_policy.c) exactly as the module runs it.
 */
#ifndef HV_L1D_POLICY_H
#define HV_L1D_POLICY_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif

#include "uapi/hv.h"

#define HV_L1D_FLUSH_MODE_COUNT (HV_L1D_FLUSH_MODE_NEVER + 1)

extern const char *const hv_l1d_flush_mode_names[HV_L1D_FLUSH_MODE_COUNT];

enum hv_l1tf hv_l1tf_state(bool has_bug, bool skip_vmentry_flush);
enum hv_l1d_flush_mode hv_l1d_flush_resolve(enum hv_l1d_flush_mode mode,
					    enum hv_l1tf l1tf,
					    const char **reason);
enum hv_l1d_flush_method hv_l1d_flush_method(enum hv_l1d_flush_mode effective,
					     bool has_flush_cmd);

#endif /* HV_L1D_POLICY_H */
