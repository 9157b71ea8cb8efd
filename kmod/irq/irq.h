/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupts in the kernel (DESIGN rule 6): each vCPU's local APIC.
 *
 * Today: IA32_APIC_BASE with the transitions of SDM Vol. 3A 11.12.5, the
 * xAPIC page at the base (where no RAM is mapped; with the CPU's help
 * where it virtualizes APIC accesses, apic_page.c) and the x2APIC MSRs;
 * fixed and lowest-priority IPIs accepted into their destinations' IRR,
 * which wakes and kicks them; the highest vector above PPR injected when
 * the guest can take it, through an interrupt window otherwise; EOI; the
 * APIC timer in its three modes (lapic_timer.c); INIT and SIPI; MSIs
 * from the owner (vm-msi) and from its eventfds (irqfd.c); guest writes
 * that signal the owner's eventfds (ioeventfd.c, on iobus.c).
 */
#ifndef HV_IRQ_H
#define HV_IRQ_H

#include <linux/types.h>

#include "backend.h"

/* Where apic_page.c maps the APIC-access page: the default APIC base. */
#define HV_APIC_PAGE_GPA	0xfee00000ULL

/* The APIC timer's bus clock (lapic_timer.c), for CPUID's timing leaves. */
#define HV_APIC_BUS_KHZ		1000000

struct hv_vcpu;
struct hv_vm;
struct netlink_ext_ack;
struct hv_pi_desc;

extern enum hv_apicv hv_apicv;
void hv_apicv_choose(void);
void hv_lapic_timer_choose(void);
const char *hv_lapic_timer_name(void);
void hv_lapic_timer_to_tsc(struct hv_vcpu *vcpu);
void hv_lapic_timer_to_hrtimer(struct hv_vcpu *vcpu);
enum hv_exit_ret hv_lapic_timer_exit(struct hv_vcpu *vcpu,
				     const struct hv_exit *exit);
const char *hv_apicv_name(void);
const char *hv_apicv_reason(void);
phys_addr_t hv_lapic_page(struct hv_vcpu *vcpu);
struct hv_pi_desc *hv_lapic_pi_desc(struct hv_vcpu *vcpu);
void hv_lapic_notify(struct hv_vcpu *t, bool level);
void hv_lapic_eoi_exit(struct hv_vcpu *vcpu, u8 vector);
void hv_lapic_apic_write(struct hv_vcpu *vcpu, u32 off);

int hv_lapic_create(struct hv_vcpu *vcpu);
void hv_lapic_free(struct hv_vcpu *vcpu);
void hv_lapic_reset(struct hv_vcpu *vcpu, bool init);
bool hv_lapic_enabled(struct hv_vcpu *vcpu);
int hv_lapic_msr_read(struct hv_vcpu *vcpu, u32 index, u64 *val);
int hv_lapic_msr_write(struct hv_vcpu *vcpu, u32 index, u64 val);
int hv_lapic_mmio(struct hv_vcpu *vcpu, u64 gpa, unsigned int size,
		  bool write, u64 *val);
bool hv_lapic_has_intr(struct hv_vcpu *vcpu);
u8 hv_lapic_get_cr8(struct hv_vcpu *vcpu);
struct hv_regs;
void hv_lapic_get_state(struct hv_vcpu *vcpu, struct hv_regs *r);
int hv_lapic_check_state(struct hv_vcpu *vcpu, const struct hv_regs *r,
			 struct netlink_ext_ack *extack);
void hv_lapic_set_state(struct hv_vcpu *vcpu, const struct hv_regs *r);
void hv_lapic_set_cr8(struct hv_vcpu *vcpu, u8 cr8);
int hv_lapic_msi(struct hv_vm *vm, u64 addr, u32 data,
		 struct netlink_ext_ack *extack);
void hv_lapic_inject(struct hv_vcpu *vcpu);
void hv_lapic_report_eois(struct hv_vcpu *vcpu);
void hv_lapic_intr_line(struct hv_vcpu *vcpu, bool level);
int hv_lapic_inta(struct hv_vcpu *vcpu);

int hv_apic_page_init(struct hv_vm *vm);
void hv_apic_page_free(struct hv_vm *vm);
void hv_apic_page_update(struct hv_vcpu *vcpu);
void hv_apic_page_release(struct hv_vcpu *vcpu);
bool hv_apic_page_fault(struct hv_vcpu *vcpu, u64 gpa);
void hv_apic_page_slot_added(struct hv_vm *vm, u64 gpa, u64 size);

int hv_irqfd_assign(struct hv_vm *vm, int fd, u64 addr, u32 data,
		    bool deassign, struct netlink_ext_ack *extack);
void hv_irqfd_release_all(struct hv_vm *vm);
int hv_irqfd_init(void);
void hv_irqfd_exit(void);

int hv_ioeventfd_assign(struct hv_vm *vm, int fd, u32 space, u64 addr,
			u32 len, bool match, u64 datamatch, bool deassign,
			struct netlink_ext_ack *extack);
void hv_ioeventfd_release_all(struct hv_vm *vm);

#endif /* HV_IRQ_H */
