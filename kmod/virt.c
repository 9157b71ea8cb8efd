// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware virtualization on or off, per CPU: on while hv has VMs, off
 * otherwise, so that hv coexists with other hypervisors (DESIGN rule 9).
 * A dynamic CPU-hotplug state does the work: registering it runs the
 * enable callback on every online CPU (and rolls back if one fails), CPUs
 * that come online meanwhile get it too, and removing it runs the disable
 * callback everywhere. System suspend switches the boot CPU off and on.
 *
 * Emergency reboot, kexec and crash dumps: the kernel itself clears
 * EFER.SVME on every CPU (cpu_emergency_svm_disable()); VMX needs the
 * single emergency callback slot, which the VMX backend deals with.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/syscore_ops.h>

#include "hv_host.h"

static DEFINE_MUTEX(virt_lock);
static unsigned int virt_users;
static int virt_hp_state;
static DEFINE_PER_CPU(bool, virt_on);
static const char *virt_why;
static const char virt_busy[] =
	"another hypervisor (KVM, VirtualBox) has virtualization switched on: stop its VMs first";

/* Switch virtualization on here; what ran before counts as another vCPU. */
static int cpu_enable(void)
{
	int err = hv_be_hw_enable();

	if (!err)
		hv_ibpb_cpu_reset();
	return err;
}

static int virt_cpu_online(unsigned int cpu)
{
	int err = cpu_enable();

	if (err) {
		pr_err("cannot enable %s on CPU %u: %pe\n", hv_backend->name, cpu,
		       ERR_PTR(err));
		if (err != -EBUSY)
			virt_why = "the CPU refused to switch virtualization on";
		else
			virt_why = hv_be_busy_reason() ?: virt_busy;
		return err;
	}
	this_cpu_write(virt_on, true);
	return 0;
}

static int virt_cpu_offline(unsigned int cpu)
{
	if (this_cpu_read(virt_on)) {
		hv_be_hw_disable();
		this_cpu_write(virt_on, false);
	}
	return 0;
}

static int virt_suspend(void)
{
	if (virt_users && this_cpu_read(virt_on)) {
		hv_be_hw_disable();
		this_cpu_write(virt_on, false);
	}
	return 0;
}

static void virt_resume(void)
{
	if (virt_users && !this_cpu_read(virt_on) &&
	    !cpu_enable())
		this_cpu_write(virt_on, true);
}

static struct syscore_ops virt_syscore_ops = {
	.suspend = virt_suspend,
	.resume = virt_resume,
};

/**
 * hv_virt_get() - make sure every CPU has virtualization switched on
 * @why: set to the reason on failure
 *
 * Called when a VM is created. The first user switches it on everywhere.
 *
 * Context: process context, may sleep; takes the CPU hotplug lock.
 * Return: 0; -EBUSY if another hypervisor owns the extension; -EIO if a
 * CPU refused; another negative errno from the hotplug core.
 */
int hv_virt_get(const char **why)
{
	int ret = 0;

	mutex_lock(&virt_lock);
	if (virt_users == 0) {
		virt_why = NULL;
		ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "hv:online",
					virt_cpu_online, virt_cpu_offline);
		if (ret < 0) {
			*why = virt_why ?: "cannot switch virtualization on";
			goto out;
		}
		virt_hp_state = ret;
		register_syscore_ops(&virt_syscore_ops);
		ret = 0;
	}
	virt_users++;
out:
	mutex_unlock(&virt_lock);
	return ret;
}

/**
 * hv_virt_put() - drop a user; the last switches virtualization off
 *
 * Context: process context, may sleep; takes the CPU hotplug lock.
 */
void hv_virt_put(void)
{
	mutex_lock(&virt_lock);
	if (!WARN_ON_ONCE(!virt_users) && --virt_users == 0) {
		unregister_syscore_ops(&virt_syscore_ops);
		cpuhp_remove_state(virt_hp_state);
	}
	mutex_unlock(&virt_lock);
}
