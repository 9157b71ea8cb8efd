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

static uint32_t apic_reg(const struct hv_regs *r, uint32_t off)
{
	uint32_t v;

	memcpy(&v, r->lapic + off, sizeof(v));
	return v;
}

/* The vectors set in the eight registers from @base, as "0x30,0xec". */
static void vectors(const struct hv_regs *r, uint32_t base, char *buf,
		    size_t len)
{
	size_t n = 0;
	unsigned int v;

	buf[0] = '\0';
	for (v = 0; v < 256 && n + 6 < len; v++)
		if (apic_reg(r, base + (v / 32) * 16) & (1u << (v % 32)))
			n += snprintf(buf + n, len - n, "%s0x%02x",
				      n ? "," : "", v);
	if (!n)
		snprintf(buf, len, "none");
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
		hvd_info("vm %s: vcpu %u: rip %#llx rflags %#llx cr0 %#llx activity %u event %d/%#x shadow %u apic base %#llx svr %#x tpr %#x lvt timer %#x tmict %#x tmcct %#x isr %s irr %s",
			 vm->def->name, i, (unsigned long long)r.rip,
			 (unsigned long long)r.rflags,
			 (unsigned long long)r.cr0, r.activity, r.event.valid,
			 r.event.vector, r.int_shadow,
			 (unsigned long long)r.apic_base, apic_reg(&r, 0xf0),
			 apic_reg(&r, 0x80), apic_reg(&r, 0x320),
			 apic_reg(&r, 0x380), apic_reg(&r, 0x390), isr, irr);
	}
	hv_vm_start(vm->h, vm->id);
	pthread_mutex_unlock(&vm->hv_lock);
	hvd_info("vm %s: intr line %d, msis sent %llu, timers armed %u",
		 vm->def->name, vm->intr_level,
		 (unsigned long long)vm->msis, hvd_timers_armed(vm));
}
