// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables (AMD NPT, Intel EPT): four levels of 512 entries that
 * map guest-physical to host-physical addresses, built lazily, one 4 KiB
 * page per nested page fault on RAM. The core owns the tree; the backend
 * only says how an entry is encoded (struct hv_npt_format). vCPU threads
 * map concurrently under npt->lock with preemption off, so table pages come
 * from a per-vCPU cache filled beforehand where sleeping is allowed.
 *
 * Each leaf also records whether its page was accessed and written, for
 * dirty logging (dirty.c): in the hardware's A/D bits where the CPU sets
 * them (npt->hw_ad), otherwise in two software bits, with the access
 * rights that would let an access go unrecorded withheld. Where the CPU
 * also logs the pages it marks dirty (npt->write_log), a leaf of a
 * logging slot is always made clean, so that the first write, even the
 * one that faulted it in, reaches the log.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/highmem.h>
#include <linux/mm.h>

#include "hv_host.h"

#define NPT_LEVELS	4
#define NPT_ENTRIES	512

static u64 *table_va(phys_addr_t pa)
{
	return (u64 *)__va(pa);
}

static unsigned int index_at(u64 gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * (level - 1))) & (NPT_ENTRIES - 1);
}

static struct page *alloc_table(void)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (page)
		atomic64_inc(&hv_acct.pt_pages);
	return page;
}

static void free_table(struct page *page)
{
	__free_page(page);
	atomic64_dec(&hv_acct.pt_pages);
}

/**
 * hv_npt_init() - allocate the root table of a new VM
 * @vm: the VM
 *
 * Return: 0 or -ENOMEM.
 */
int hv_npt_init(struct hv_vm *vm)
{
	spin_lock_init(&vm->npt.lock);
	vm->npt.root = alloc_table();
	if (!vm->npt.root)
		return -ENOMEM;
	vm->npt.root_pa = page_to_phys(vm->npt.root);
	/* CPUs start at generation 0: each invalidates before first use. */
	vm->npt.gen = 1;
	vm->npt.pages = 1;
	vm->npt.hw_ad = hv_dirty_hw_ad();
	vm->npt.write_log = vm->npt.hw_ad && hv_dirty_write_log();
	return 0;
}

static void free_level(phys_addr_t pa, int level)
{
	const struct hv_npt_format *f = hv_backend->npt;
	u64 *t = table_va(pa);
	int i;

	if (level > 1) {
		for (i = 0; i < NPT_ENTRIES; i++)
			if (f->present(t[i]))
				free_level(f->addr(t[i]), level - 1);
	}
	free_table(pfn_to_page(PHYS_PFN(pa)));
}

/**
 * hv_npt_free() - free all tables of a VM; no vCPU uses them any more
 * @vm: the VM
 */
void hv_npt_free(struct hv_vm *vm)
{
	if (!vm->npt.root)
		return;
	free_level(vm->npt.root_pa, NPT_LEVELS);
	vm->npt.root = NULL;
}

/**
 * hv_npt_cache_fill() - make sure a vCPU can map one page without sleeping
 * @vcpu: the vCPU (its own thread)
 *
 * Context: may sleep.
 * Return: 0 or -ENOMEM.
 */
int hv_npt_cache_fill(struct hv_vcpu *vcpu)
{
	while (vcpu->pt_cache_count < HV_PT_CACHE_PAGES) {
		struct page *page = alloc_table();

		if (!page)
			return -ENOMEM;
		vcpu->pt_cache[vcpu->pt_cache_count++] = page;
	}
	return 0;
}

/**
 * hv_npt_cache_free() - give back a vCPU's cached table pages
 * @vcpu: the vCPU, being freed
 */
void hv_npt_cache_free(struct hv_vcpu *vcpu)
{
	while (vcpu->pt_cache_count)
		free_table(vcpu->pt_cache[--vcpu->pt_cache_count]);
}

/*
 * A leaf for @pa, accessed, and dirty if @dirty. Emulated, a leaf that is
 * not dirty withholds the write right, so the first write faults.
 */
static u64 make_leaf(const struct hv_npt *npt, phys_addr_t pa,
		     bool writable, bool dirty)
{
	const struct hv_npt_format *f = hv_backend->npt;

	dirty = dirty && writable;
	if (npt->hw_ad)
		return f->leaf(pa, writable) | f->accessed |
		       (dirty ? f->dirty : 0);
	return f->leaf(pa, dirty) | f->soft_accessed |
	       (dirty ? f->soft_dirty : 0);
}

/*
 * The lowest entry on @gpa's path that the tables have: the leaf (*@level
 * 1), or the first entry that is not present above it. Lock held.
 */
static u64 *lowest_entry(struct hv_npt *npt, u64 gpa, int *level)
{
	const struct hv_npt_format *f = hv_backend->npt;
	phys_addr_t pa = npt->root_pa;
	u64 *e = NULL;

	for (*level = NPT_LEVELS; *level >= 1; (*level)--) {
		e = &table_va(pa)[index_at(gpa, *level)];
		if (*level == 1 || !f->present(*e))
			break;
		pa = f->addr(*e);
	}
	return e;
}

/**
 * __hv_npt_map() - map one guest page, the tables' lock held
 * @vcpu: the faulting vCPU, whose cache supplies table pages
 * @gpa: guest-physical address (any address within the page)
 * @page: the pinned page backing it
 * @writable: the slot may be written
 * @write: the fault was a write
 * @log: the slot logs dirty pages
 *
 * Another vCPU may have mapped it meanwhile. With hardware A/D bits the
 * entry is then left alone (the CPU may have set D in it since); with
 * emulated ones it is rewritten, keeping its dirty state, which is how a
 * leaf whose rights were withheld gets them back.
 *
 * Context: vm->npt.lock held.
 * Return: 0, or -ENOMEM if the cache ran dry (fill it and fault again).
 */
int __hv_npt_map(struct hv_vcpu *vcpu, u64 gpa, struct page *page,
		 bool writable, bool write, bool log)
{
	const struct hv_npt_format *f = hv_backend->npt;
	struct hv_npt *npt = &vcpu->vm->npt;
	phys_addr_t pa = npt->root_pa;
	bool dirty = (write && !npt->write_log) || !log;
	int level;
	u64 *e, old;

	lockdep_assert_held(&npt->lock);
	for (level = NPT_LEVELS; level > 1; level--) {
		e = &table_va(pa)[index_at(gpa, level)];
		if (!f->present(*e)) {
			struct page *t;

			if (!vcpu->pt_cache_count)
				return -ENOMEM;
			t = vcpu->pt_cache[--vcpu->pt_cache_count];
			npt->pages++;
			/* Readers (the MMU) see the zeroed table before the link. */
			smp_wmb();
			WRITE_ONCE(*e, f->table(page_to_phys(t)));
		}
		pa = f->addr(*e);
	}
	e = &table_va(pa)[index_at(gpa, 1)];
	old = READ_ONCE(*e);
	if (old && f->addr(old) == page_to_phys(page)) {
		if (npt->hw_ad)
			return 0;
		dirty = dirty || (old & f->soft_dirty);
	}
	WRITE_ONCE(*e, make_leaf(npt, page_to_phys(page), writable, dirty));
	return 0;
}

/**
 * hv_npt_map() - map one guest page
 * @vcpu: the faulting vCPU
 * @gpa: guest-physical address (any address within the page)
 * @page: the pinned page backing it
 * @writable: the slot may be written
 * @write: the fault was a write
 * @log: the slot logs dirty pages
 *
 * As __hv_npt_map(), taking the lock.
 *
 * Context: preemption may be off; takes vm->npt.lock.
 * Return: as __hv_npt_map().
 */
int hv_npt_map(struct hv_vcpu *vcpu, u64 gpa, struct page *page,
	       bool writable, bool write, bool log)
{
	struct hv_npt *npt = &vcpu->vm->npt;
	int err;

	spin_lock(&npt->lock);
	err = __hv_npt_map(vcpu, gpa, page, writable, write, log);
	spin_unlock(&npt->lock);
	return err;
}

/**
 * hv_npt_unmap_page() - remove the leaf of one guest page, if mapped
 * @vm: the VM; vm->npt.lock held
 * @gpa: guest-physical address (any address within the page)
 *
 * Unlike hv_npt_zap(), never drops the lock: for atomic context. The
 * caller flushes the vCPUs' TLBs.
 *
 * Return: true if a leaf was there.
 */
bool hv_npt_unmap_page(struct hv_vm *vm, u64 gpa)
{
	int level;
	u64 *e;

	lockdep_assert_held(&vm->npt.lock);
	e = lowest_entry(&vm->npt, gpa, &level);
	if (level != 1 || !READ_ONCE(*e))
		return false;
	WRITE_ONCE(*e, 0);
	return true;
}

/**
 * hv_npt_walk() - visit the mapped leaves of a guest-physical range
 * @vm: the VM; vm->npt.lock held
 * @gpa: first address, page-aligned
 * @npages: number of pages
 * @fn: called with each leaf that maps a page and the page's index in
 *	the range
 * @arg: passed to @fn
 *
 * Spans whose tables were never built are skipped whole. The lock may be
 * dropped between leaves to reschedule.
 */
void hv_npt_walk(struct hv_vm *vm, u64 gpa, u64 npages,
		 void (*fn)(u64 *leaf, u64 index, void *arg), void *arg)
{
	struct hv_npt *npt = &vm->npt;
	u64 start = gpa, end = gpa + (npages << PAGE_SHIFT);

	lockdep_assert_held(&npt->lock);
	while (gpa < end) {
		int level;
		u64 *e = lowest_entry(npt, gpa, &level);

		if (level == 1) {
			if (READ_ONCE(*e))
				fn(e, (gpa - start) >> PAGE_SHIFT, arg);
			gpa += PAGE_SIZE;
		} else {
			/* Nothing mapped below this entry: skip its span. */
			u64 span = 1ULL << (PAGE_SHIFT + 9 * (level - 1));

			gpa = (gpa + span) & ~(span - 1);
		}
		cond_resched_lock(&npt->lock);
	}
}

/**
 * hv_npt_flush() - make every vCPU drop cached translations before it
 *	enters the guest again
 * @vm: the VM
 *
 * Moves the generation on and posts a TLB flush request to each vCPU.
 * The caller makes sure no vCPU is in guest mode meanwhile, or kicks them.
 */
void hv_npt_flush(struct hv_vm *vm)
{
	spin_lock(&vm->npt.lock);
	__hv_npt_flush(vm);
	spin_unlock(&vm->npt.lock);
}

/**
 * __hv_npt_flush() - hv_npt_flush() with vm->npt.lock held
 * @vm: the VM
 */
void __hv_npt_flush(struct hv_vm *vm)
{
	u32 i;

	lockdep_assert_held(&vm->npt.lock);
	/* Read by the vCPUs' next entry, after the request bit below. */
	WRITE_ONCE(vm->npt.gen, vm->npt.gen + 1);
	for (i = 0; i < vm->nr_vcpus; i++)
		set_bit(HV_REQ_TLB_FLUSH, &vm->vcpus[i]->requests);
}

static void zap_leaf(u64 *leaf, u64 index, void *arg)
{
	WRITE_ONCE(*leaf, 0);
}

/**
 * hv_npt_zap() - remove the mappings of a guest-physical range
 * @vm: the VM, its vCPUs parked
 * @gpa: first address, page-aligned
 * @npages: number of pages
 *
 * Table pages stay allocated for reuse; the caller flushes the vCPUs'
 * TLBs before the pages are reused.
 */
void hv_npt_zap(struct hv_vm *vm, u64 gpa, u64 npages)
{
	spin_lock(&vm->npt.lock);
	hv_npt_walk(vm, gpa, npages, zap_leaf, NULL);
	spin_unlock(&vm->npt.lock);
	hv_npt_flush(vm);
}
