// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl info: what the module found on this host - backend, capabilities,
 * L1TF status and the entry/exit mitigations in force.
 */
#include <errno.h>
#include <string.h>

#include "hvctl.h"
#include "libhv.h"
#include "output.h"

/* The caps each backend can have, to list the ones this host lacks. */
#define VMX_CAPS ((HV_CAP_TSC_SCALING << 1) - 1)
#define SVM_CAPS ((((HV_CAP_VMSAVE_VIRT << 1) - 1) & ~(HV_CAP_NPT - 1)) | \
		  HV_CAP_TSC_SCALING)

/**
 * hvctl_info_print() - render a get-info reply
 * @o: the writer (text or JSON)
 * @info: the reply
 */
void hvctl_info_print(struct out *o, const struct hv_info *info)
{
	uint64_t relevant = info->backend == HV_BACKEND_VMX ? VMX_CAPS :
			    info->backend == HV_BACKEND_SVM ? SVM_CAPS : 0;

	out_begin_object(o, NULL);
	out_str(o, "backend", hv_backend_name(info->backend));
	out_str(o, "version", info->version);
	out_u64(o, "hw_revision", info->hw_revision);
	out_u64(o, "tlb_tags", info->tlb_tags);
	out_flags(o, "caps", info->caps, hv_cap_names, hv_cap_count);
	out_flags(o, "caps_absent", relevant & ~info->caps, hv_cap_names,
		  hv_cap_count);
	out_str(o, "l1tf", hv_l1tf_name(info->l1tf));
	out_begin_object(o, "l1d_flush");
	out_str(o, "mode", hv_l1d_flush_mode_name(info->l1d_flush_mode));
	out_str(o, "effective", hv_l1d_flush_mode_name(info->l1d_flush));
	out_str(o, "method", hv_l1d_flush_method_name(info->l1d_flush_method));
	out_str(o, "reason", info->l1d_flush_reason);
	out_end_object(o);
	out_flags(o, "mitigations", info->mitigations, hv_mitigation_names,
		  hv_mitigation_count);
	out_begin_object(o, "dirty_log");
	out_str(o, "method", info->dirty_method);
	out_str(o, "reason", info->dirty_reason);
	out_end_object(o);
	out_u64(o, "ring_poll_ns", info->ring_poll_ns);
	out_begin_object(o, "apicv");
	out_str(o, "mode", info->apicv);
	out_str(o, "reason", info->apicv_reason);
	out_end_object(o);
	out_str(o, "apic_timer", info->apic_timer);
	out_begin_object(o, "limits");
	out_u64(o, "vms", info->max_vms);
	out_u64(o, "vcpus_per_vm", info->max_vcpus);
	out_u64(o, "mem_per_vm", info->max_mem);
	out_end_object(o);
	out_end_object(o);
	out_end(o);
}

/**
 * cmd_info_show() - hvctl info [show]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_info_show(struct hvctl *c, int argc, char **argv)
{
	struct hv_info info;
	struct out o;
	int ret;

	ret = hvctl_opts(c, argc, argv);
	if (ret)
		return ret;
	ret = hvctl_connect(c);
	if (ret)
		return ret;
	ret = hv_get_info(c->h, &info);
	if (ret)
		return hvctl_fail_request(c, ret, "get-info failed");

	out_init(&o, c->out, c->json, c->pretty);
	hvctl_info_print(&o, &info);
	return HVCTL_OK;
}

/**
 * cmd_info_set() - hvctl info set --l1d-flush MODE
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_info_set(struct hvctl *c, int argc, char **argv)
{
	const char *mode = NULL;
	const struct hvctl_opt opts[] = {
		HVCTL_OPT("--l1d-flush", &mode),
		HVCTL_OPT_END,
	};
	struct hv_info info;
	struct out o;
	uint32_t m;
	int ret;

	ret = hvctl_args(c, argc, argv, opts, NULL, 0, 0,
			 "info set --l1d-flush MODE");
	if (ret)
		return ret;
	if (!mode)
		return hvctl_fail(c, -EINVAL, "nothing to set: give --l1d-flush");
	for (m = 0; m <= HV_L1D_FLUSH_MODE_NEVER; m++)
		if (!strcmp(mode, hv_l1d_flush_mode_name(m)))
			break;
	if (m > HV_L1D_FLUSH_MODE_NEVER)
		return hvctl_fail(c, -EINVAL,
				  "unknown --l1d-flush mode '%s' (auto, cond, always, never)",
				  mode);
	ret = hvctl_connect(c);
	if (ret)
		return ret;
	ret = hv_set_l1d_flush(c->h, m, &info);
	if (ret)
		return hvctl_fail_request(c, ret, "set-info failed");
	out_init(&o, c->out, c->json, c->pretty);
	hvctl_info_print(&o, &info);
	return HVCTL_OK;
}
