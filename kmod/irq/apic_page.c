// SPDX-License-Identifier: GPL-2.0
/*
 * The xAPIC page in the guest-physical map, where the CPU virtualizes
 * APIC accesses (SDM Vol. 3C, 30.4): a host page per VM, the APIC-access
 * page, is mapped at the default APIC base, and each vCPU's accesses to
 * it go to its own virtual-APIC page (hv's register page), most without
 * an exit; the rest exit as APIC accesses, which hv emulates as MMIO.
 *
 * The map is the VM's while the page's meaning is each vCPU's: a vCPU
 * whose APIC is in x2APIC mode, disabled, moved or software-disabled
 * must see at 0xfee00000 what hv's emulation shows (the owner's MMIO;
 * interrupts dropped), which the CPU does not know of. So the page is
 * mapped only while every vCPU's APIC is an enabled xAPIC at the default
 * base, and each vCPU blocking that is counted; the first one removes
 * the mapping, and while it is gone the accesses fault and are emulated
 * as without the page. A Linux guest blocks it until its last AP set up
 * its APIC, and for good if it uses x2APIC, which needs no page.
 *
 * vm->npt.lock orders the count, the mapping and the slots' view of the
 * address: RAM mapped there (a slot added over it) wins, as without it.
 */
#include <linux/gfp.h>
#include <linux/mm.h>

#include "hv_host.h"
#include "irq/irq.h"
#include "irq/lapic.h"

static_assert(HV_APIC_PAGE_GPA == HV_APIC_BASE_DEFAULT);

/**
 * hv_apic_page_init() - give a new VM its APIC-access page, where the CPU
 * virtualizes APIC accesses
 * @vm: the VM
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int hv_apic_page_init(struct hv_vm *vm)
{
	if (hv_apicv == HV_APICV_OFF ||
	    !(hv_caps.features & HV_CAP_APIC_ACCESS_VIRT))
		return 0;
	/* The CPU never reads it: any page, but a page of the VM's own. */
	vm->apic_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	return vm->apic_page ? 0 : -ENOMEM;
}

/**
 * hv_apic_page_free() - free it
 * @vm: the VM, whose nested page tables are gone
 */
void hv_apic_page_free(struct hv_vm *vm)
{
	if (vm->apic_page)
		__free_page(vm->apic_page);
	vm->apic_page = NULL;
}

/* Whether @vcpu's APIC is an enabled xAPIC at the page's address. */
static bool usable(struct hv_vcpu *vcpu)
{
	struct hv_lapic *l = vcpu->lapic;

	return l->r.mode == HV_APIC_MODE_XAPIC &&
	       (l->base & HV_APIC_BASE_ADDR_MASK) == HV_APIC_PAGE_GPA &&
	       hv_lapic_sw_enabled(l->r.regs);
}

/*
 * The first vCPU to block removes the mapping and makes every vCPU flush
 * its TLB before it enters again; a vCPU still in guest mode with the
 * translation cached has an APIC that uses the page, so no kick is due.
 * A blocking vCPU turns its own use of the page off before its next
 * entry (&hv_apicv_state.xapic_page), when its flush is done too.
 */
static void track(struct hv_vcpu *vcpu, bool blocks)
{
	struct hv_vm *vm = vcpu->vm;
	struct hv_lapic *l = vcpu->lapic;

	if (!vm->apic_page || l->page_blocked == blocks)
		return;
	spin_lock(&vm->npt.lock);
	l->page_blocked = blocks;
	if (!blocks) {
		vm->apic_page_blockers--;
	} else if (!vm->apic_page_blockers++ &&
		   hv_npt_unmap_page(vm, HV_APIC_PAGE_GPA)) {
		__hv_npt_flush(vm);
	}
	spin_unlock(&vm->npt.lock);
}

/**
 * hv_apic_page_update() - follow a change of a vCPU's APIC (its mode, its
 * base, its software enable) that may block or unblock the page
 * @vcpu: the vCPU
 *
 * Context: the vCPU's own thread or the vCPU stopped; any context that
 * may take a spinlock.
 */
void hv_apic_page_update(struct hv_vcpu *vcpu)
{
	track(vcpu, !usable(vcpu));
}

/**
 * hv_apic_page_release() - a vCPU going away blocks the page no more
 * @vcpu: the vCPU, whose thread is gone
 */
void hv_apic_page_release(struct hv_vcpu *vcpu)
{
	track(vcpu, false);
}

/**
 * hv_apic_page_fault() - map the page on a nested page fault at its
 * address, if it may be
 * @vcpu: the faulting vCPU (fast loop or its own thread)
 * @gpa: the faulting address, which no slot backed when looked up
 *
 * Return: true if the page is mapped (fault handled); false if the
 * access is to be emulated.
 */
bool hv_apic_page_fault(struct hv_vcpu *vcpu, u64 gpa)
{
	struct hv_vm *vm = vcpu->vm;
	bool mapped = false;
	struct page *ram;
	u32 flags;

	if (!vm->apic_page || (gpa & PAGE_MASK) != HV_APIC_PAGE_GPA)
		return false;
	spin_lock(&vm->npt.lock);
	if (!vm->apic_page_blockers) {
		/* Looked up again under the lock: see hv_apic_page_slot_added(). */
		rcu_read_lock();
		ram = hv_mem_gpa_page(vm, gpa, &flags);
		rcu_read_unlock();
		mapped = !ram && !__hv_npt_map(vcpu, gpa, vm->apic_page, true,
					       true, false);
	}
	spin_unlock(&vm->npt.lock);
	return mapped;
}

/**
 * hv_apic_page_slot_added() - a slot was published: RAM over the page's
 * address replaces it
 * @vm: the VM
 * @gpa: the slot's first address
 * @size: its size in bytes
 *
 * Context: process context; takes vm->npt.lock.
 */
void hv_apic_page_slot_added(struct hv_vm *vm, u64 gpa, u64 size)
{
	bool unmapped;
	u32 i;

	if (!vm->apic_page || HV_APIC_PAGE_GPA < gpa ||
	    HV_APIC_PAGE_GPA - gpa >= size)
		return;
	spin_lock(&vm->npt.lock);
	unmapped = hv_npt_unmap_page(vm, HV_APIC_PAGE_GPA);
	if (unmapped)
		__hv_npt_flush(vm);
	spin_unlock(&vm->npt.lock);
	/* The vCPUs in guest mode drop the translation now. */
	for (i = 0; unmapped && i < vm->nr_vcpus; i++)
		hv_vcpu_kick(vm->vcpus[i], HV_REQ_TLB_FLUSH);
}
