// SPDX-License-Identifier: GPL-2.0
/*
 * x86 helpers that both backends need, kept here so that vmx/ and svm/
 * never copy each other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "hv.h"

/**
 * hv_cpus_read_agree() - read a record on every online CPU and compare
 * @what: the backend's name, for the log
 * @read: smp_call_func_t run on each CPU with interrupts off; its argument
 *	is a zeroed buffer of @size bytes to fill
 * @size: size of the record
 * @first: receives the record of the first online CPU
 * @why: set to the refusal reason when the records differ
 *
 * hv programs every CPU the same way, so capabilities must be identical on
 * all of them (mixed steppings and firmware that enables VMX on some CPUs
 * only exist). Readers must fill fields, not padding, so that a plain
 * memcmp() compares records. A difference is logged naming both CPUs.
 *
 * Context: process context, may sleep; takes the CPU hotplug read lock.
 * Return: 0 if all online CPUs agree; -ENODEV if one differs (@why says
 * so); -ENOMEM if the per-CPU records could not be allocated.
 */
int hv_cpus_read_agree(const char *what, smp_call_func_t read, size_t size,
		       void *first, const char **why)
{
	int cpu, first_cpu = -1, err = 0;
	char *all;

	all = kvcalloc(nr_cpu_ids, size, GFP_KERNEL);
	if (!all)
		return -ENOMEM;

	cpus_read_lock();
	for_each_online_cpu(cpu)
		smp_call_function_single(cpu, read, all + cpu * size, 1);
	for_each_online_cpu(cpu) {
		if (first_cpu < 0) {
			first_cpu = cpu;
			continue;
		}
		if (memcmp(all + cpu * size, all + first_cpu * size, size)) {
			pr_err("%s: CPU %d reports other capabilities than CPU %d\n",
			       what, cpu, first_cpu);
			*why = "capabilities differ between CPUs";
			err = -ENODEV;
			break;
		}
	}
	cpus_read_unlock();

	memcpy(first, all + first_cpu * size, size);
	kvfree(all);
	return err;
}
