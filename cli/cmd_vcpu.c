// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl vcpu state: print a stopped vCPU's architectural record, change
 * registers in it (--set name=value, the names it prints), or put the
 * vCPU in real, protected or long mode at an entry point (--mode, with
 * the tables those modes need written to guest memory by libhv).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hvctl.h"
#include "libhv.h"
#include "output.h"
#include "parse.h"

#define MAX_SETS 64

struct sets {
	const char *v[MAX_SETS];
	int n;
};

static int add_set(struct hvctl *c, const char *value, void *arg)
{
	struct sets *s = arg;

	if (s->n == MAX_SETS)
		return hvctl_usage(c, "at most %d --set options", MAX_SETS);
	s->v[s->n++] = value;
	return HVCTL_OK;
}

static const char *event_type_name(uint32_t type)
{
	switch (type) {
	case HV_EVENT_TYPE_EXT_INTR:
		return "ext-intr";
	case HV_EVENT_TYPE_NMI:
		return "nmi";
	case HV_EVENT_TYPE_EXCEPTION:
		return "exception";
	case HV_EVENT_TYPE_SOFT_INTR:
		return "soft-intr";
	}
	return "unknown";
}

/* The local APIC's registers a reader looks at, by xAPIC offset. */
static const struct {
	const char *name;
	uint32_t off;
} apic_regs[] = {
	{ "id", 0x20 }, { "tpr", 0x80 }, { "ppr", 0xa0 }, { "ldr", 0xd0 },
	{ "dfr", 0xe0 }, { "svr", 0xf0 }, { "esr", 0x280 }, { "icr", 0x300 },
	{ "icr2", 0x310 }, { "lvt_timer", 0x320 }, { "lvt_thermal", 0x330 },
	{ "lvt_pmc", 0x340 }, { "lvt_lint0", 0x350 }, { "lvt_lint1", 0x360 },
	{ "lvt_error", 0x370 }, { "tmict", 0x380 }, { "tmcct", 0x390 },
	{ "tdcr", 0x3e0 },
};

/* The vectors set in ISR, TMR or IRR (eight registers from @base). */
static void apic_vectors(struct out *o, FILE *f, const char *name,
			 const struct hv_regs *r, uint32_t base)
{
	unsigned int v;
	bool any = false;

	if (o)
		out_begin_array(o, name);
	else
		fprintf(f, " %s=", name);
	for (v = 0; v < 256; v++) {
		if (!(hv_lapic_reg(r, base + (v / 32) * 16) & (1u << (v % 32))))
			continue;
		if (o)
			out_u64(o, NULL, v);
		else
			fprintf(f, "%s0x%02x", any ? "," : "", v);
		any = true;
	}
	if (o)
		out_end_array(o);
	else if (!any)
		fprintf(f, "none");
}

static void print_apic(struct out *o, FILE *f, const struct hv_regs *r)
{
	size_t i;

	if (o)
		out_begin_object(o, "apic");
	else
		fprintf(f, "apic:");
	for (i = 0; i < sizeof(apic_regs) / sizeof(apic_regs[0]); i++) {
		uint32_t v = hv_lapic_reg(r, apic_regs[i].off);

		if (o)
			out_hex(o, apic_regs[i].name, v);
		else
			fprintf(f, "%s %s=0x%x", i && i % 6 == 0 ? "\n     " : "",
				apic_regs[i].name, v);
	}
	if (!o)
		fprintf(f, "\n     ");
	apic_vectors(o, f, "isr", r, 0x100);
	apic_vectors(o, f, "tmr", r, 0x180);
	apic_vectors(o, f, "irr", r, 0x200);
	if (o)
		out_end_object(o);
	else
		fprintf(f, "\n");
}

static void print_regs(struct hvctl *c, uint32_t vm, uint32_t vcpu,
		       const struct hv_regs *r)
{
	const char *activity = r->activity == HV_ACTIVITY_HALTED ? "halted" :
			       r->activity == HV_ACTIVITY_WAIT_SIPI ? "wait-sipi" :
			       "active";
	struct out o;
	size_t i;

	if (!c->json) {
		for (i = 0; i < reg_desc_count; i++) {
			char cell[48];

			snprintf(cell, sizeof(cell), "%s=0x%llx",
				 reg_descs[i].name,
				 (unsigned long long)reg_get(r, &reg_descs[i]));
			fprintf(c->out, "%-26s%s", cell,
				i % 4 == 3 || i + 1 == reg_desc_count ? "\n" : "");
		}
		fprintf(c->out, "activity=%s int_shadow=%u event=", activity,
			r->int_shadow);
		if (!r->event.valid)
			fprintf(c->out, "none\n");
		else if (r->event.has_error)
			fprintf(c->out, "%s,%u,0x%x\n",
				event_type_name(r->event.type), r->event.vector,
				r->event.error_code);
		else
			fprintf(c->out, "%s,%u\n",
				event_type_name(r->event.type), r->event.vector);
		print_apic(NULL, c->out, r);
		return;
	}
	out_init(&o, c->out, true, c->pretty);
	out_begin_object(&o, NULL);
	out_u64(&o, "vm", vm);
	out_u64(&o, "vcpu", vcpu);
	out_begin_object(&o, "regs");
	for (i = 0; i < reg_desc_count; i++)
		out_hex(&o, reg_descs[i].name, reg_get(r, &reg_descs[i]));
	out_end_object(&o);
	out_str(&o, "activity", activity);
	out_u64(&o, "int_shadow", r->int_shadow);
	if (r->event.valid) {
		out_begin_object(&o, "event");
		out_str(&o, "type", event_type_name(r->event.type));
		out_u64(&o, "vector", r->event.vector);
		if (r->event.has_error)
			out_hex(&o, "error_code", r->event.error_code);
		out_end_object(&o);
	}
	print_apic(&o, NULL, r);
	out_end_object(&o);
	out_end(&o);
}

/* The RSP --mode gives when --stack is absent: the top of RAM at 0. */
static int default_stack(struct hvctl *c, uint32_t vm, enum hv_mode mode,
			 uint64_t *stack)
{
	struct hv_slot_info *slots;
	size_t n, i;
	int err;

	err = hv_mem_list(c->h, vm, &slots, &n);
	if (err)
		return hvctl_fail_request(c, err, "mem-get failed");
	*stack = 0;
	for (i = 0; i < n; i++)
		if (slots[i].gpa == 0)
			*stack = slots[i].size - 16;
	free(slots);
	if (!*stack)
		return hvctl_usage(c, "the VM has no memory at 0: give --stack");
	if (mode == HV_MODE_REAL && *stack > 0xfff0)
		*stack = 0xfff0;
	return HVCTL_OK;
}

/*
 * hv_setup_mode() writes its tables into a buffer laid out like guest
 * memory from 0; copy the parts the mode uses into the VM.
 */
static int write_tables(struct hvctl *c, uint32_t vm, enum hv_mode mode,
			const uint8_t *img)
{
	int err = 0;

	if (mode == HV_MODE_REAL)
		return HVCTL_OK;
	err = hv_mem_write(c->h, vm, HV_SETUP_GDT, img + HV_SETUP_GDT, 3 * 8);
	if (!err && mode == HV_MODE_LONG64)
		err = hv_mem_write(c->h, vm, HV_SETUP_PML4, img + HV_SETUP_PML4,
				   HV_SETUP_END - HV_SETUP_PML4);
	if (err)
		return hvctl_fail_request(c, err,
					  "cannot write the descriptor and page tables at 0x1000-0x7fff");
	return HVCTL_OK;
}

/**
 * cmd_vcpu_state() - hvctl vcpu state VM VCPU [--set NAME=VALUE]...
 *	[--mode real|prot|long --entry ADDR [--stack ADDR]]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vcpu_state(struct hvctl *c, int argc, char **argv)
{
	const char *mode_s = NULL, *entry_s = NULL, *stack_s = NULL, *pos[2];
	struct sets sets = { .n = 0 };
	const struct hvctl_opt opts[] = {
		HVCTL_EACH("--set", add_set, &sets),
		HVCTL_OPT("--mode", &mode_s),
		HVCTL_OPT("--entry", &entry_s),
		HVCTL_OPT("--stack", &stack_s),
		HVCTL_OPT_END
	};
	uint64_t vcpu, entry = 0, stack = 0;
	enum hv_mode mode = HV_MODE_REAL;
	uint8_t *img = NULL;
	struct hv_regs r;
	const char *why;
	uint32_t vm;
	int i, ret;

	ret = hvctl_args(c, argc, argv, opts, pos, 2, 2,
			 "vcpu state VM VCPU [--set NAME=VALUE]... [--mode real|prot|long --entry ADDR [--stack ADDR]]");
	if (!ret)
		ret = hvctl_number(c, "VCPU", pos[1], &vcpu);
	if (!ret && mode_s && parse_mode(mode_s, &mode))
		ret = hvctl_usage(c, "--mode takes real, prot or long, not '%s'",
				  mode_s);
	if (!ret && !!mode_s != !!entry_s)
		ret = hvctl_usage(c, "--mode and --entry go together");
	if (!ret && stack_s && !mode_s)
		ret = hvctl_usage(c, "--stack needs --mode");
	if (!ret && entry_s)
		ret = hvctl_number(c, "--entry", entry_s, &entry);
	if (!ret && stack_s)
		ret = hvctl_number(c, "--stack", stack_s, &stack);
	if (!ret && vcpu > UINT32_MAX)
		ret = hvctl_usage(c, "VCPU %llu is not a vCPU id",
				  (unsigned long long)vcpu);
	if (!ret)
		ret = hvctl_connect(c);
	if (!ret)
		ret = hvctl_vm_ref(c, pos[0], &vm);
	if (ret)
		return ret;

	ret = hv_vcpu_get_regs(c->h, vm, vcpu, &r);
	if (ret)
		return hvctl_fail_request(c, ret, "vcpu-get-regs failed");
	if (mode_s) {
		if (!stack_s) {
			ret = default_stack(c, vm, mode, &stack);
			if (ret)
				return ret;
		}
		img = calloc(1, HV_SETUP_END);
		if (!img)
			return hvctl_fail(c, -ENOMEM, "cannot build the tables");
		if (hv_setup_mode(&r, mode, entry, stack, img, HV_SETUP_END)) {
			free(img);
			return hvctl_usage(c, "--entry 0x%llx or --stack 0x%llx does not suit %s mode (real mode: below 1 MiB and 64 KiB)",
					   (unsigned long long)entry,
					   (unsigned long long)stack, mode_s);
		}
	}
	for (i = 0; i < sets.n; i++) {
		if (reg_assign(&r, sets.v[i], &why)) {
			free(img);
			return hvctl_usage(c, "--set %s: %s", sets.v[i], why);
		}
	}
	if (mode_s || sets.n) {
		ret = img ? write_tables(c, vm, mode, img) : HVCTL_OK;
		free(img);
		if (ret)
			return ret;
		ret = hv_vcpu_set_regs(c->h, vm, vcpu, &r);
		if (ret)
			return hvctl_fail_request(c, ret, "vcpu-set-regs failed");
		ret = hv_vcpu_get_regs(c->h, vm, vcpu, &r);
		if (ret)
			return hvctl_fail_request(c, ret, "vcpu-get-regs failed");
	}
	print_regs(c, vm, vcpu, &r);
	return HVCTL_OK;
}
