// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory: slots of owner memory pinned at guest-physical addresses
 * (DESIGN rule 5). The owner registers a range of its own address space;
 * the pages are pinned (FOLL_LONGTERM) in its context and stay pinned until
 * the slot is unmapped or the VM destroyed. The slot set is immutable and
 * published with RCU, so vCPU threads look addresses up without locks;
 * guest memory is accessed through the pinned pages, never through the
 * owner's mapping.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "hv_host.h"
#include "irq/irq.h"

#define PIN_BATCH 4096

static struct hv_memslots *slots_locked(struct hv_vm *vm)
{
	return rcu_dereference_protected(vm->slots, lockdep_is_held(&vm->lock));
}

static struct hv_memslot *find_slot(struct hv_memslots *set, u64 gpa)
{
	u32 lo = 0, hi = set ? set->count : 0;

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;
		struct hv_memslot *s = set->slot[mid];

		if (gpa < s->gpa)
			hi = mid;
		else if (gpa >= s->gpa + (s->npages << PAGE_SHIFT))
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

static void unpin_slot(struct hv_memslot *s)
{
	unpin_user_pages_dirty_lock(s->pages, s->npages, true);
	atomic64_sub(s->npages, &hv_acct.pinned_pages);
	bitmap_free(s->written);
	kvfree(s->pages);
	kfree(s);
}

static int publish(struct hv_vm *vm, struct hv_memslot *add, u32 remove_id)
{
	struct hv_memslots *old = slots_locked(vm), *set;
	u32 n = old ? old->count : 0, i, j = 0;

	set = kzalloc(struct_size(set, slot, n + 1), GFP_KERNEL_ACCOUNT);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (old->slot[i]->id == remove_id)
			continue;
		if (add && add->gpa < old->slot[i]->gpa)
			set->slot[j++] = add, add = NULL;
		set->slot[j++] = old->slot[i];
	}
	if (add)
		set->slot[j++] = add;
	set->count = j;
	rcu_assign_pointer(vm->slots, set);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/**
 * hv_mem_map() - pin owner memory and map it into a VM
 * @vm: the VM; vm->lock held
 * @gpa: guest-physical address, page-aligned
 * @size: bytes, a non-zero multiple of the page size
 * @uaddr: address in the calling process, page-aligned
 * @flags: HV_MEM_FLAGS_*
 * @out: receives a copy of the new slot
 * @extack: names the problem on failure
 *
 * Context: the owner's process context (netlink handler), may sleep.
 * Return: 0; -EINVAL for misaligned or out-of-range values; -EEXIST if
 * the range overlaps a slot; -ENOSPC if the VM's memory or slot limit is
 * reached; -ENOMEM; -EFAULT if the owner's memory cannot be pinned.
 */
int hv_mem_map(struct hv_vm *vm, u64 gpa, u64 size, u64 uaddr, u32 flags,
	       struct hv_memslot *out, struct netlink_ext_ack *extack)
{
	struct hv_memslots *set = slots_locked(vm);
	u64 limit = 1ULL << min_t(u8, boot_cpu_data.x86_phys_bits, 48);
	struct hv_memslot *s;
	u64 npages, done = 0;
	u32 i;
	int err;

	if (!PAGE_ALIGNED(gpa) || !PAGE_ALIGNED(size) || !PAGE_ALIGNED(uaddr)) {
		NL_SET_ERR_MSG(extack, "gpa, size and uaddr must be page-aligned");
		return -EINVAL;
	}
	if (gpa + size < gpa || gpa + size > limit) {
		NL_SET_ERR_MSG(extack, "range ends beyond the guest-physical address space");
		return -EINVAL;
	}
	if (uaddr + size < uaddr || !access_ok((void __user *)uaddr, size)) {
		NL_SET_ERR_MSG(extack, "uaddr range is not a user address range");
		return -EINVAL;
	}
	if (set && set->count >= HV_MAX_SLOTS) {
		NL_SET_ERR_MSG(extack, "the VM has the maximum number of slots");
		return -ENOSPC;
	}
	if (vm->mem_size + size > vm->max_mem) {
		NL_SET_ERR_MSG(extack, "mapping would exceed the VM's memory limit");
		return -ENOSPC;
	}
	for (i = 0; set && i < set->count; i++) {
		struct hv_memslot *o = set->slot[i];

		if (gpa < o->gpa + (o->npages << PAGE_SHIFT) &&
		    o->gpa < gpa + size) {
			NL_SET_ERR_MSG(extack, "range overlaps an existing slot");
			return -EEXIST;
		}
	}

	npages = size >> PAGE_SHIFT;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	s->pages = kvmalloc_array(npages, sizeof(*s->pages), GFP_KERNEL_ACCOUNT);
	if (!s->pages) {
		kfree(s);
		return -ENOMEM;
	}
	while (done < npages) {
		int n = min_t(u64, npages - done, PIN_BATCH);
		long got = pin_user_pages_fast(uaddr + (done << PAGE_SHIFT), n,
					       FOLL_WRITE | FOLL_LONGTERM,
					       s->pages + done);

		if (got <= 0) {
			err = got ? (int)got : -EFAULT;
			NL_SET_ERR_MSG(extack,
				       "cannot pin the owner's memory (not mapped, or not writable?)");
			goto err_unpin;
		}
		done += got;
		atomic64_add(got, &hv_acct.pinned_pages);
	}

	if (flags & HV_MEM_FLAGS_DIRTY_LOG) {
		s->written = bitmap_zalloc(npages, GFP_KERNEL_ACCOUNT);
		if (!s->written) {
			err = -ENOMEM;
			goto err_unpin;
		}
	}
	s->id = vm->next_slot++;
	s->gpa = gpa;
	s->npages = npages;
	s->uaddr = uaddr;
	s->flags = flags;
	err = publish(vm, s, U32_MAX);
	if (err) {
		vm->next_slot--;
		goto err_unpin;
	}
	vm->mem_size += size;
	hv_apic_page_slot_added(vm, gpa, size);
	*out = *s;
	return 0;

err_unpin:
	unpin_user_pages(s->pages, done);
	atomic64_sub(done, &hv_acct.pinned_pages);
	bitmap_free(s->written);
	kvfree(s->pages);
	kfree(s);
	return err;
}

/**
 * hv_mem_slot() - a slot of a VM by id
 * @vm: the VM; vm->lock held, which keeps the slot
 * @slot: the slot's id
 *
 * Return: the slot, or NULL if the VM has none with that id.
 */
struct hv_memslot *hv_mem_slot(struct hv_vm *vm, u32 slot)
{
	struct hv_memslots *set = slots_locked(vm);
	u32 i;

	for (i = 0; set && i < set->count; i++)
		if (set->slot[i]->id == slot)
			return set->slot[i];
	return NULL;
}

/**
 * hv_mem_unmap() - unmap a slot and unpin its pages
 * @vm: the VM; vm->lock held
 * @slot: the slot's id
 * @extack: names the problem on failure
 *
 * The vCPUs are parked while the nested mappings are zapped and the TLBs
 * flushed, so that no guest access reaches a page after it is unpinned.
 *
 * Context: process context, may sleep.
 * Return: 0; -ENOENT for an unknown slot; -ETIMEDOUT if the vCPUs did not
 * park; -ENOMEM.
 */
int hv_mem_unmap(struct hv_vm *vm, u32 slot,
		 struct netlink_ext_ack *extack)
{
	struct hv_memslot *s = hv_mem_slot(vm, slot);
	int err;

	if (!s) {
		NL_SET_ERR_MSG(extack, "no such slot");
		return -ENOENT;
	}
	err = hv_vm_quiesce(vm);
	if (err) {
		NL_SET_ERR_MSG(extack, "the VM's vCPUs did not stop");
		goto out;
	}
	err = publish(vm, NULL, slot);
	if (err)
		goto out;
	/* No vCPU thread may still use the old set when its pages go. */
	synchronize_rcu();
	hv_npt_zap(vm, s->gpa, s->npages);
	vm->mem_size -= s->npages << PAGE_SHIFT;
	unpin_slot(s);
out:
	hv_vm_unquiesce(vm);
	return err;
}

/**
 * hv_mem_free_all() - unpin every slot of a VM being destroyed
 * @vm: the VM; no vCPU runs any more
 */
void hv_mem_free_all(struct hv_vm *vm)
{
	struct hv_memslots *set = rcu_dereference_protected(vm->slots, 1);
	u32 i;

	if (!set)
		return;
	for (i = 0; i < set->count; i++)
		unpin_slot(set->slot[i]);
	RCU_INIT_POINTER(vm->slots, NULL);
	kfree(set);
}

/**
 * hv_mem_find_slot() - the slot covering a guest-physical address
 * @vm: the VM
 * @gpa: the address
 *
 * Context: inside rcu_read_lock(); the slot stays valid until the read
 * side ends.
 * Return: the slot, or NULL if none covers @gpa.
 */
struct hv_memslot *hv_mem_find_slot(struct hv_vm *vm, u64 gpa)
{
	return find_slot(rcu_dereference(vm->slots), gpa);
}

/**
 * hv_mem_gpa_page() - the page backing a guest-physical address
 * @vm: the VM
 * @gpa: the address
 * @flags: receives the slot's HV_MEM_FLAGS_*, may be NULL
 *
 * Context: inside rcu_read_lock(); the page stays pinned until the read
 * side ends.
 * Return: the page, or NULL if no slot covers @gpa.
 */
struct page *hv_mem_gpa_page(struct hv_vm *vm, u64 gpa, u32 *flags)
{
	struct hv_memslot *s = find_slot(rcu_dereference(vm->slots), gpa);

	if (!s)
		return NULL;
	if (flags)
		*flags = READ_ONCE(s->flags);
	return s->pages[(gpa - s->gpa) >> PAGE_SHIFT];
}

/**
 * hv_mem_is_ram() - whether a slot covers a guest-physical address
 * @vm: the VM
 * @gpa: the address
 *
 * Return: true if it does.
 */
bool hv_mem_is_ram(struct hv_vm *vm, u64 gpa)
{
	bool ram;

	rcu_read_lock();
	ram = hv_mem_gpa_page(vm, gpa, NULL);
	rcu_read_unlock();
	return ram;
}

static int guest_copy(struct hv_vm *vm, u64 gpa, void *buf, size_t len,
		      bool write)
{
	while (len) {
		size_t off = offset_in_page(gpa);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct hv_memslot *s;
		struct page *page;
		void *va;

		rcu_read_lock();
		s = find_slot(rcu_dereference(vm->slots), gpa);
		if (!s) {
			rcu_read_unlock();
			return -EFAULT;
		}
		page = s->pages[(gpa - s->gpa) >> PAGE_SHIFT];
		va = kmap_local_page(page);
		if (write) {
			memcpy(va + off, buf, n);
			hv_dirty_mark(s, gpa);
		} else {
			memcpy(buf, va + off, n);
		}
		kunmap_local(va);
		rcu_read_unlock();
		gpa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/**
 * hv_mem_read() - copy from guest-physical memory
 * @vm: the VM
 * @gpa: where
 * @buf: into
 * @len: bytes
 *
 * Context: any context that may take rcu_read_lock().
 * Return: 0, or -EFAULT if part of the range has no slot (the part before
 * it is copied).
 */
int hv_mem_read(struct hv_vm *vm, u64 gpa, void *buf, size_t len)
{
	return guest_copy(vm, gpa, buf, len, false);
}

/**
 * hv_mem_write() - copy into guest-physical memory
 * @vm: the VM
 * @gpa: where
 * @buf: from
 * @len: bytes
 *
 * Writes go to read-only slots too: they are read-only for the guest only.
 *
 * Context: any context that may take rcu_read_lock().
 * Return: 0, or -EFAULT if part of the range has no slot.
 */
int hv_mem_write(struct hv_vm *vm, u64 gpa, const void *buf, size_t len)
{
	return guest_copy(vm, gpa, (void *)buf, len, true);
}
