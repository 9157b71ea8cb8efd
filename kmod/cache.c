// SPDX-License-Identifier: GPL-2.0
/*
 * hv's slab caches: VMs and vCPUs (sized by the backend, which embeds the
 * core's structures in its own) and architectural records. Each has its
 * name in /proc/slabinfo (where the kernel merges no caches), so that a
 * leak shows there; all are accounted to the owner's memory cgroup.
 */
#include <linux/slab.h>

#include "hv_host.h"

struct kmem_cache *hv_vm_cache __ro_after_init;
struct kmem_cache *hv_vcpu_cache __ro_after_init;
struct kmem_cache *hv_regs_cache __ro_after_init;

/**
 * hv_cache_init() - create the caches, once the backend is known
 *
 * Context: module init, may sleep.
 * Return: 0, or -ENOMEM.
 */
int __init hv_cache_init(void)
{
	hv_vm_cache = kmem_cache_create("hv_vm", hv_backend->vm_size, 0,
					SLAB_ACCOUNT, NULL);
	hv_vcpu_cache = kmem_cache_create("hv_vcpu", hv_backend->vcpu_size, 0,
					  SLAB_ACCOUNT, NULL);
	hv_regs_cache = kmem_cache_create("hv_regs", sizeof(struct hv_regs),
					  __alignof__(struct hv_regs),
					  SLAB_ACCOUNT, NULL);
	if (hv_vm_cache && hv_vcpu_cache && hv_regs_cache)
		return 0;
	hv_cache_exit();
	return -ENOMEM;
}

/**
 * hv_cache_exit() - destroy the caches; every object is freed
 *
 * Context: module init or exit, may sleep.
 */
void hv_cache_exit(void)
{
	kmem_cache_destroy(hv_regs_cache);
	kmem_cache_destroy(hv_vcpu_cache);
	kmem_cache_destroy(hv_vm_cache);
}
