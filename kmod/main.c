// SPDX-License-Identifier: GPL-2.0
/*
 * Module init and exit of hv: pick the backend (VMX, then SVM), read the
 * mitigation facts, register the family; exit undoes it in reverse. Nothing
 * here switches VMX or SVM on: that happens only while VMs exist.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "hv_host.h"
#include "irq/irq.h"
#include "l1d_policy.h"

const struct hv_backend_ops *hv_backend __ro_after_init;
struct hv_caps hv_caps __ro_after_init;

static const struct hv_backend_ops *const hv_backends[] = {
	&hv_vmx_ops,
	&hv_svm_ops,
};

/* Same names as the cap flags of kmod/hv.yaml, in bit order. */
static const char *const cap_names[] = {
	"ept", "ept-ad", "ept-1g", "vpid", "unrestricted-guest", "pml",
	"apic-access-virt", "tpr-shadow", "x2apic-virt", "apic-reg-virt",
	"virt-intr-delivery", "posted-intr", "vnmi", "preemption-timer",
	"pause-loop-exit", "vmcs-shadow", "tsc-scaling", "npt", "nrip-save",
	"vmcb-clean", "decode-assists", "flush-by-asid", "pause-filter",
	"avic", "vgif", "lbr-virt", "vmsave-virt",
};

static const char *const l1tf_names[] = {
	[HV_L1TF_NOT_AFFECTED] = "not affected",
	[HV_L1TF_AFFECTED] = "affected",
	[HV_L1TF_FLUSH_NOT_NEEDED] = "flush not needed",
};

static const char *const l1d_method_names[] = {
	[HV_L1D_FLUSH_METHOD_NONE] = "none",
	[HV_L1D_FLUSH_METHOD_MSR] = "msr",
	[HV_L1D_FLUSH_METHOD_SOFTWARE] = "software",
};

static void report_backend(void)
{
	struct hv_mitigation_state m;
	char feat[320];
	size_t len = 0;
	unsigned long bit;
	unsigned long features = hv_caps.features;

	feat[0] = '\0';
	for_each_set_bit(bit, &features, ARRAY_SIZE(cap_names))
		len += scnprintf(feat + len, sizeof(feat) - len, "%s%s",
				 len ? " " : "", cap_names[bit]);

	hv_mitigation_get(hv_backend->id, &m);
	pr_info("%s backend, version %s: %s; %u tlb tags; l1tf %s, l1d flush %s (%s); apicv %s (%s)\n",
		hv_backend->name, HV_VERSION, feat, hv_caps.tlb_tags,
		l1tf_names[m.l1tf], hv_l1d_flush_mode_names[m.l1d_flush],
		l1d_method_names[m.l1d_flush_method], hv_apicv_name(),
		hv_apicv_reason());
}

static int __init probe_backend(void)
{
	const char *reason = NULL;
	const char *why;
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(hv_backends); i++) {
		why = NULL;
		err = hv_be_probe(hv_backends[i], &hv_caps, &why);
		if (!err) {
			hv_backend = hv_backends[i];
			return 0;
		}
		if (err != -ENODEV)
			return err;
		/* The first backend that is present but unusable says why. */
		if (why && !reason)
			reason = why;
	}
	pr_err("cannot load: %s\n",
	       reason ?: "the CPU supports neither VMX nor SVM");
	return -ENODEV;
}

static int __init hv_init(void)
{
	int err;

	BUILD_BUG_ON(ARRAY_SIZE(cap_names) != const_ilog2(HV_CAP_VMSAVE_VIRT) + 1);

	err = probe_backend();
	if (err)
		return err;

	err = hv_mitigation_init();
	if (err)
		return err;
	hv_fpu_init();

	err = hv_cache_init();
	if (err)
		return err;

	err = hv_irqfd_init();
	if (err)
		goto err_cache;

	err = hv_be_setup();
	if (err)
		goto err_irqfd;
	hv_apicv_choose();
	hv_lapic_timer_choose();

	err = hv_nl_init();
	if (err) {
		pr_err("cannot register the generic netlink family '%s': %pe\n",
		       HV_FAMILY_NAME, ERR_PTR(err));
		goto err_unsetup;
	}

	report_backend();
	return 0;

err_unsetup:
	hv_be_unsetup();
err_irqfd:
	hv_irqfd_exit();
err_cache:
	hv_cache_exit();
	return err;
}

static void __exit hv_exit(void)
{
	/* VMs hold module references: none can exist here. */
	hv_vm_destroy_all();
	hv_nl_exit();
	hv_be_unsetup();
	hv_irqfd_exit();
	hv_cache_exit();
}

module_init(hv_init);
module_exit(hv_exit);

MODULE_DESCRIPTION("hv: a type-2 hypervisor on VMX and SVM driven over generic netlink");
MODULE_LICENSE("GPL");
MODULE_VERSION(HV_VERSION);
MODULE_ALIAS_GENL_FAMILY(HV_FAMILY_NAME);
