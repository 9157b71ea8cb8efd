// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the family's enums and flags, exactly as kmod/hv.yaml spells
 * them (tests/check_spec.py checks it), for hvctl's output and JSON keys.
 */
#include <stddef.h>

#include "libhv.h"

/* Indexed by bit number of enum hv_cap. */
const char *const hv_cap_names[] = {
	"ept", "ept-ad", "ept-1g", "vpid", "unrestricted-guest", "pml",
	"apic-access-virt", "tpr-shadow", "x2apic-virt", "apic-reg-virt",
	"virt-intr-delivery", "posted-intr", "vnmi", "preemption-timer",
	"pause-loop-exit", "vmcs-shadow", "tsc-scaling", "npt", "nrip-save",
	"vmcb-clean", "decode-assists", "flush-by-asid", "pause-filter",
	"avic", "vgif", "lbr-virt", "vmsave-virt",
};
const unsigned int hv_cap_count = sizeof(hv_cap_names) / sizeof(hv_cap_names[0]);

/* Indexed by bit number of enum hv_mitigation. */
const char *const hv_mitigation_names[] = {
	"l1d-flush", "verw", "ibpb-vcpu-switch", "rsb-fill", "spec-ctrl",
	"bhb-clear", "ibpb-on-exit", "ibpb-exit-to-user",
};
const unsigned int hv_mitigation_count =
	sizeof(hv_mitigation_names) / sizeof(hv_mitigation_names[0]);

static const char *const backend_names[] = {
	[HV_BACKEND_VMX] = "vmx",
	[HV_BACKEND_SVM] = "svm",
};

static const char *const l1tf_names[] = {
	[HV_L1TF_NOT_AFFECTED] = "not-affected",
	[HV_L1TF_AFFECTED] = "affected",
	[HV_L1TF_FLUSH_NOT_NEEDED] = "flush-not-needed",
};

static const char *const l1d_flush_mode_names[] = {
	[HV_L1D_FLUSH_MODE_AUTO] = "auto",
	[HV_L1D_FLUSH_MODE_COND] = "cond",
	[HV_L1D_FLUSH_MODE_ALWAYS] = "always",
	[HV_L1D_FLUSH_MODE_NEVER] = "never",
};

static const char *const l1d_flush_method_names[] = {
	[HV_L1D_FLUSH_METHOD_NONE] = "none",
	[HV_L1D_FLUSH_METHOD_MSR] = "msr",
	[HV_L1D_FLUSH_METHOD_SOFTWARE] = "software",
};

static const char *lookup(const char *const *names, size_t n, uint32_t v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

#define LOOKUP(names, v) lookup(names, sizeof(names) / sizeof(names[0]), v)

/**
 * hv_backend_name() - name of an HV_BACKEND_* value
 * @backend: the value
 *
 * Return: the spec's name, or "unknown" for a value this build does not know.
 */
const char *hv_backend_name(uint32_t backend)
{
	return LOOKUP(backend_names, backend);
}

/**
 * hv_l1tf_name() - name of an HV_L1TF_* value
 * @l1tf: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_l1tf_name(uint32_t l1tf)
{
	return LOOKUP(l1tf_names, l1tf);
}

/**
 * hv_l1d_flush_mode_name() - name of an HV_L1D_FLUSH_MODE_* value
 * @mode: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_l1d_flush_mode_name(uint32_t mode)
{
	return LOOKUP(l1d_flush_mode_names, mode);
}

/**
 * hv_l1d_flush_method_name() - name of an HV_L1D_FLUSH_METHOD_* value
 * @method: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_l1d_flush_method_name(uint32_t method)
{
	return LOOKUP(l1d_flush_method_names, method);
}

static const char *const vm_state_names[] = {
	[HV_VM_STATE_CREATED] = "created",
	[HV_VM_STATE_RUNNING] = "running",
	[HV_VM_STATE_PAUSED] = "paused",
	[HV_VM_STATE_CRASHED] = "crashed",
	[HV_VM_STATE_DEAD] = "dead",
};

static const char *const vcpu_state_names[] = {
	[HV_VCPU_STATE_STOPPED] = "stopped",
	[HV_VCPU_STATE_RUNNING] = "running",
	[HV_VCPU_STATE_HALTED] = "halted",
	[HV_VCPU_STATE_OWNER_WAIT] = "owner-wait",
	[HV_VCPU_STATE_WAIT_SIPI] = "wait-sipi",
};

static const char *const transport_names[] = {
	[HV_TRANSPORT_NETLINK] = "netlink",
	[HV_TRANSPORT_RING] = "ring",
};

static const char *const exit_reason_names[] = {
	[HV_EXIT_REASON_IO] = "io",
	[HV_EXIT_REASON_MMIO] = "mmio",
	[HV_EXIT_REASON_HLT] = "hlt",
	[HV_EXIT_REASON_MSR] = "msr",
	[HV_EXIT_REASON_EOI] = "eoi",
	[HV_EXIT_REASON_INTA] = "inta",
};

static const char *const notice_names[] = {
	[HV_NOTICE_CREATED] = "created",
	[HV_NOTICE_DESTROYED] = "destroyed",
	[HV_NOTICE_STARTED] = "started",
	[HV_NOTICE_PAUSED] = "paused",
	[HV_NOTICE_CRASHED] = "crashed",
};

/**
 * hv_vm_state_name() - name of an HV_VM_STATE_* value
 * @state: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_vm_state_name(uint32_t state)
{
	return LOOKUP(vm_state_names, state);
}

/**
 * hv_vcpu_state_name() - name of an HV_VCPU_STATE_* value
 * @state: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_vcpu_state_name(uint32_t state)
{
	return LOOKUP(vcpu_state_names, state);
}

/**
 * hv_transport_name() - name of an HV_TRANSPORT_* value
 * @transport: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_transport_name(uint32_t transport)
{
	return LOOKUP(transport_names, transport);
}

/**
 * hv_exit_reason_name() - name of an HV_EXIT_REASON_* value
 * @reason: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_exit_reason_name(uint32_t reason)
{
	return LOOKUP(exit_reason_names, reason);
}

/**
 * hv_notice_name() - name of an HV_NOTICE_* value
 * @notice: the value
 *
 * Return: the spec's name, or "unknown".
 */
const char *hv_notice_name(uint32_t notice)
{
	return LOOKUP(notice_names, notice);
}
