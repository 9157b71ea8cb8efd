/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest memory: slots of owner pages pinned at guest-physical addresses
 * (mem.c), the nested page tables that map them (npt.c), and dirty and
 * accessed logging over those tables (dirty.c).
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct hv_vm;
struct hv_vcpu;
struct netlink_ext_ack;
struct page;

/**
 * struct hv_memslot - guest memory: owner pages pinned at a guest address
 * @id: the slot's id in its VM
 * @gpa: first guest-physical address, page-aligned
 * @npages: number of pages
 * @uaddr: where the owner mapped them
 * @flags: HV_MEM_FLAGS_*; DIRTY_LOG changes under the VM's lock while
 *	vCPUs read it
 * @pages: the pinned pages
 * @written: pages hv itself wrote for the guest (emulation, mem-write)
 *	while the slot logs, which no nested-table bit records; allocated
 *	when logging is first enabled
 */
struct hv_memslot {
	u32 id;
	u64 gpa;
	u64 npages;
	u64 uaddr;
	u32 flags;
	struct page **pages;
	unsigned long *written;
};

/**
 * struct hv_memslots - an immutable set of slots, sorted by address
 * @rcu: for freeing after readers are done
 * @count: number of slots
 * @slot: the slots
 */
struct hv_memslots {
	struct rcu_head rcu;
	u32 count;
	struct hv_memslot *slot[];
};

/**
 * struct hv_npt - a VM's nested page tables (NPT or EPT)
 * @lock: serializes changes (vCPU threads map on faults concurrently)
 * @root: the top-level table page
 * @root_pa: its physical address, for the VMCB or EPTP
 * @pages: table pages in use
 * @gen: generation, moved on by every zap or flush; backends that
 *	invalidate per VM and CPU compare it with what each CPU last
 *	invalidated
 * @hw_ad: leaves record accesses in the hardware's A/D bits, not in
 *	emulated ones (fixed when the VM is created)
 * @write_log: with @hw_ad, the CPU also logs the pages whose dirty bit it
 *	sets (hv_npt_format.log_method), so get-and-clear reads the log
 *	instead of scanning the leaves (fixed when the VM is created)
 */
struct hv_npt {
	spinlock_t lock;	/* the tables, while vCPUs fault in parallel */
	struct page *root;
	phys_addr_t root_pa;
	u64 pages;
	u64 gen;
	bool hw_ad;
	bool write_log;
};

/* mem.c */
int hv_mem_map(struct hv_vm *vm, u64 gpa, u64 size, u64 uaddr, u32 flags,
	       struct hv_memslot *out, struct netlink_ext_ack *extack);
int hv_mem_unmap(struct hv_vm *vm, u32 slot,
		 struct netlink_ext_ack *extack);
struct hv_memslot *hv_mem_slot(struct hv_vm *vm, u32 slot);
void hv_mem_free_all(struct hv_vm *vm);
struct hv_memslot *hv_mem_find_slot(struct hv_vm *vm, u64 gpa);
struct page *hv_mem_gpa_page(struct hv_vm *vm, u64 gpa, u32 *flags);
int hv_mem_read(struct hv_vm *vm, u64 gpa, void *buf, size_t len);
int hv_mem_write(struct hv_vm *vm, u64 gpa, const void *buf, size_t len);
bool hv_mem_is_ram(struct hv_vm *vm, u64 gpa);

/* npt.c */
int hv_npt_init(struct hv_vm *vm);
void hv_npt_free(struct hv_vm *vm);
int __hv_npt_map(struct hv_vcpu *vcpu, u64 gpa, struct page *page,
		 bool writable, bool write, bool log);
bool hv_npt_unmap_page(struct hv_vm *vm, u64 gpa);
void __hv_npt_flush(struct hv_vm *vm);
int hv_npt_map(struct hv_vcpu *vcpu, u64 gpa, struct page *page,
	       bool writable, bool write, bool log);
void hv_npt_walk(struct hv_vm *vm, u64 gpa, u64 npages,
		 void (*fn)(u64 *leaf, u64 index, void *arg), void *arg);
void hv_npt_flush(struct hv_vm *vm);
void hv_npt_zap(struct hv_vm *vm, u64 gpa, u64 npages);
int hv_npt_cache_fill(struct hv_vcpu *vcpu);
void hv_npt_cache_free(struct hv_vcpu *vcpu);

/* dirty.c */
extern bool hv_dirty_emulate;
extern bool hv_dirty_pml;
bool hv_dirty_hw_ad(void);
bool hv_dirty_write_log(void);
const char *hv_dirty_method(bool hw_ad, bool write_log);
const char *hv_dirty_reason(void);
int hv_dirty_set_log(struct hv_vm *vm, struct hv_memslot *s, bool on);
int hv_dirty_get(struct hv_vm *vm, struct hv_memslot *s, bool accessed,
		 bool clear, u64 first, u32 npages, unsigned long *bitmap);
void hv_dirty_mark(struct hv_memslot *s, u64 gpa);
void hv_dirty_log_gpas(struct hv_vm *vm, const u64 *gpa, unsigned int n);

#endif /* HV_MM_H */
