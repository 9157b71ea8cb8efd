// SPDX-License-Identifier: GPL-2.0
/*
 * SIGUSR1: log what a VM is doing (each vCPU's RIP, flags, activity and
 * local APIC vectors, the interrupt lines hvd drives), for a guest that
 * seems stuck. The VM is paused for the reading and resumed after.
 */
#include <stdio.h>
#include <string.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

/* The vectors set in the eight registers from @base, as "0x30,0xec". */
static void vectors(const struct hv_regs *r, uint32_t base, char *buf,
		    size_t len)
{
	size_t n = 0;
	unsigned int v;

	buf[0] = '\0';
	for (v = 0; v < 256 && n + 6 < len; v++)
		if (hv_lapic_reg(r, base + (v / 32) * 16) & (1u << (v % 32)))
			n += snprintf(buf + n, len - n, "%s0x%02x",
				      n ? "," : "", v);
	if (!n)
		snprintf(buf, len, "none");
}

/* A guest-virtual address through the guest's 4-level page tables. */
static void *gva(struct hvd_vm *vm, const struct hv_regs *r, uint64_t va)
{
	uint64_t table = r->cr3 & 0x000ffffffffff000ull, e = 0;
	int level, shift;

	if (!(r->cr0 & (1ull << 31)))
		return hvd_ram_ptr(&vm->ram, va, 8);
	for (level = 4, shift = 39; level >= 1; level--, shift -= 9) {
		uint64_t *p = hvd_ram_ptr(&vm->ram,
					  table + ((va >> shift) & 511) * 8, 8);

		if (!p)
			return NULL;
		e = *p;
		if (!(e & 1))
			return NULL;
		if (level > 1 && (e & 0x80)) {
			uint64_t mask = (1ull << shift) - 1;

			return hvd_ram_ptr(&vm->ram,
					   (e & 0x000ffffffffff000ull & ~mask) |
						   (va & mask),
					   8);
		}
		table = e & 0x000ffffffffff000ull;
	}
	return hvd_ram_ptr(&vm->ram, table | (va & 0xfff), 8);
}

/* The words at the top of the guest's stack, for a stuck guest's trace. */
static void stack(struct hvd_vm *vm, unsigned int i, const struct hv_regs *r)
{
	char buf[1024];
	size_t n = 0;
	int k;

	for (k = 0; k < 48 && n + 20 < sizeof(buf); k++) {
		uint64_t *p = gva(vm, r, r->gpr[HV_RSP] + k * 8);

		if (!p)
			break;
		n += snprintf(buf + n, sizeof(buf) - n, " %llx",
			      (unsigned long long)*p);
	}
	buf[n] = '\0';
	hvd_info(
		"vm %s: vcpu %u: rax %#llx rsi %#llx rdi %#llx rsp %#llx cr3 %#llx cr4 %#llx efer %#llx cs %#x/%#llx/%#x idtr %#llx/%#x gdtr %#llx/%#x stack%s",
		vm->def->name, i, (unsigned long long)r->gpr[HV_RAX],
		(unsigned long long)r->gpr[HV_RSI],
		(unsigned long long)r->gpr[HV_RDI],
		(unsigned long long)r->gpr[HV_RSP], (unsigned long long)r->cr3,
		(unsigned long long)r->cr4, (unsigned long long)r->efer,
		r->cs.selector, (unsigned long long)r->cs.base, r->cs.ar,
		(unsigned long long)r->idtr.base, r->idtr.limit,
		(unsigned long long)r->gdtr.base, r->gdtr.limit, buf);
}

/**
 * hvd_vm_dump() - log the state of every vCPU
 * @vm: the VM
 */
void hvd_vm_dump(struct hvd_vm *vm)
{
	char isr[128], irr[128];
	struct hv_regs r;
	unsigned int i;

	pthread_mutex_lock(&vm->hv_lock);
	hv_vm_pause(vm->h, vm->id);
	for (i = 0; i < vm->cfg.nr_vcpus; i++) {
		if (hv_vcpu_get_regs(vm->h, vm->id, vm->vcpus[i].id, &r)) {
			hvd_warn("vm %s: vcpu %u: %s", vm->def->name, i,
				 hv_errmsg(vm->h));
			continue;
		}
		vectors(&r, 0x100, isr, sizeof(isr));
		vectors(&r, 0x200, irr, sizeof(irr));
		hvd_info(
			"vm %s: vcpu %u: rip %#llx rflags %#llx cr0 %#llx activity %u event %d/%#x shadow %u apic base %#llx svr %#x tpr %#x lvt timer %#x tmict %#x tmcct %#x isr %s irr %s",
			vm->def->name, i, (unsigned long long)r.rip,
			(unsigned long long)r.rflags, (unsigned long long)r.cr0,
			r.activity, r.event.valid, r.event.vector, r.int_shadow,
			(unsigned long long)r.apic_base, hv_lapic_reg(&r, 0xf0),
			hv_lapic_reg(&r, 0x80), hv_lapic_reg(&r, 0x320),
			hv_lapic_reg(&r, 0x380), hv_lapic_reg(&r, 0x390), isr, irr);
		stack(vm, i, &r);
	}
	hv_vm_start(vm->h, vm->id);
	pthread_mutex_unlock(&vm->hv_lock);
	hvd_info("vm %s: intr line %d, msis sent %llu, timers armed %u",
		 vm->def->name, vm->intr_level, (unsigned long long)vm->msis,
		 hvd_timers_armed(vm));
}
