/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the hv core and a vendor backend (kmod/vmx/ or
 * kmod/svm/). The core reaches a backend only through one
 * struct hv_backend_ops, picked once at module load by probing VMX, then
 * SVM; the backends never include each other and the core never includes
 * either.
 */
#ifndef HV_BACKEND_H
#define HV_BACKEND_H

#include <linux/types.h>

#include "uapi/hv.h"

/**
 * struct hv_caps - what the hardware offers, as found by a backend's probe
 * @features: HV_CAP_* bits
 * @tlb_tags: number of VPIDs or ASIDs guests may use (0 if untagged)
 * @hw_revision: VMCS revision identifier (VMX) or SVM revision (SVM)
 */
struct hv_caps {
	u64 features;
	u32 tlb_tags;
	u32 hw_revision;
};

/**
 * struct hv_backend_ops - a hardware virtualization backend
 * @name: short lowercase name used in logs ("vmx", "svm")
 * @id: the HV_BACKEND_* value reported through the family
 * @probe: decide whether every online CPU can run hv with this backend and
 *	fill @caps. Called once from module init, in process context; may
 *	sleep; takes the CPU hotplug read lock itself and runs code on each
 *	online CPU with interrupts off to read CPUID and MSRs. It must not
 *	change any hardware state: in particular it does not switch VMX or
 *	SVM on. On refusal it sets @why to a static lowercase sentence naming
 *	the cause (and the remedy when there is one), unless the CPU simply
 *	lacks the extension, in which case @why is left NULL.
 *	Return: 0 if usable; -ENODEV if the CPU lacks the extension or cannot
 *	run hv with it; -ENOMEM if memory for the per-CPU comparison could not
 *	be allocated.
 */
struct hv_backend_ops {
	const char *name;
	enum hv_backend id;
	int (*probe)(struct hv_caps *caps, const char **why);
};

extern const struct hv_backend_ops hv_vmx_ops;
extern const struct hv_backend_ops hv_svm_ops;

/**
 * hv_be_probe() - ask a candidate backend whether it can run on this host
 * @ops: the candidate
 * @caps: filled when the backend is usable
 * @why: set to the reason when it is not (see &hv_backend_ops.probe)
 *
 * Return: as &hv_backend_ops.probe.
 */
static inline int hv_be_probe(const struct hv_backend_ops *ops,
			      struct hv_caps *caps, const char **why)
{
	return ops->probe(caps, why);
}

#endif /* HV_BACKEND_H */
