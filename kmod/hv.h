/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module-wide state of hv and the interfaces between the core's files:
 * the chosen backend and its capabilities, the mitigation report, the
 * family and the x86 helpers shared by both backends.
 */
#ifndef HV_H
#define HV_H

#include <linux/smp.h>
#include <linux/types.h>

#include "backend.h"
#include "uapi/hv.h"

#ifndef HV_VERSION
#define HV_VERSION "unknown"
#endif

extern const struct hv_backend_ops *hv_backend;
extern struct hv_caps hv_caps;

/**
 * struct hv_mitigation_state - the speculative-execution mitigations that
 * apply on this host, as reported by get-info
 * @l1tf: HV_L1TF_* status of the CPU
 * @l1d_flush_mode: the configured HV_L1D_FLUSH_MODE_*
 * @l1d_flush: the effective mode (never auto)
 * @l1d_flush_method: HV_L1D_FLUSH_METHOD_*
 * @l1d_flush_reason: why @l1d_flush was chosen, a static string
 * @mitigations: HV_MITIGATION_* bits
 */
struct hv_mitigation_state {
	enum hv_l1tf l1tf;
	enum hv_l1d_flush_mode l1d_flush_mode;
	enum hv_l1d_flush_mode l1d_flush;
	enum hv_l1d_flush_method l1d_flush_method;
	const char *l1d_flush_reason;
	u64 mitigations;
};

int hv_mitigation_init(void);
void hv_mitigation_get(enum hv_backend backend,
		       struct hv_mitigation_state *state);

int hv_nl_init(void);
void hv_nl_exit(void);

int hv_cpus_read_agree(const char *what, smp_call_func_t read, size_t size,
		       void *first, const char **why);

#endif /* HV_H */
