// SPDX-License-Identifier: GPL-2.0
/*
 * The fake libhv of hvctl's unit tests (see fake_libhv.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_libhv.h"

struct fake fake;

struct hv {
	int unused;
};

/**
 * fake_reset() - a module with no VMs and an SVM get-info reply
 */
void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.next_vm_id = 1;
	fake.last_errmsg = "";
	fake.info.backend = HV_BACKEND_SVM;
	strcpy(fake.info.version, "1.2.3");
	fake.info.caps = HV_CAP_NPT | HV_CAP_NRIP_SAVE;
	fake.info.tlb_tags = 15;
	fake.info.hw_revision = 1;
	fake.info.l1tf = HV_L1TF_NOT_AFFECTED;
	fake.info.l1d_flush_mode = HV_L1D_FLUSH_MODE_AUTO;
	fake.info.l1d_flush = HV_L1D_FLUSH_MODE_NEVER;
	fake.info.l1d_flush_method = HV_L1D_FLUSH_METHOD_NONE;
	strcpy(fake.info.l1d_flush_reason, "cpu is not affected by L1TF");
	fake.info.mitigations = HV_MITIGATION_RSB_FILL | HV_MITIGATION_SPEC_CTRL;
	fake.info.max_vms = 64;
	fake.info.max_vcpus = 64;
	fake.info.max_mem = 68719476736ULL;
	fake.info.ring_poll_ns = 50000;
	strcpy(fake.info.dirty_method, "npt-ad");
	strcpy(fake.info.dirty_reason,
	       "the CPU sets accessed and dirty bits in nested page tables");
	strcpy(fake.info.apicv, "off");
	strcpy(fake.info.apic_timer, "hrtimer");
	strcpy(fake.info.apicv_reason,
	       "this backend does not virtualize the APIC yet");
}

/**
 * fake_add_vm() - a VM that exists already
 * @id: its id
 * @name: its name
 *
 * Return: its record, to adjust.
 */
struct hv_vm_info *fake_add_vm(uint32_t id, const char *name)
{
	struct hv_vm_info *vm = &fake.vms[fake.nr_vms++];

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	snprintf(vm->name, sizeof(vm->name), "%s", name);
	vm->max_vcpus = 64;
	vm->max_mem = 1ULL << 30;
	vm->ring_poll_ns = 50000;
	vm->halt_notices = 1;
	if (id >= fake.next_vm_id)
		fake.next_vm_id = id + 1;
	return vm;
}

/**
 * fake_add_event() - script an event hv_next_message() returns
 * @ev: the event
 */
void fake_add_event(const struct hv_message *ev)
{
	fake.events[fake.nr_events++] = *ev;
}

/* The request named @fn fails if the test asked for it. */
static int fail(const char *fn)
{
	fake.last_errmsg = "";
	if (fake.fail_fn && !strcmp(fake.fail_fn, fn)) {
		fake.last_errmsg = fake.errmsg ? fake.errmsg : "";
		return fake.fail_err;
	}
	return 0;
}

static int refuse(int err, const char *msg)
{
	fake.last_errmsg = msg;
	return err;
}

static struct hv_vm_info *find_vm(uint32_t id)
{
	size_t i;

	for (i = 0; i < fake.nr_vms; i++)
		if (fake.vms[i].id == id)
			return &fake.vms[i];
	return NULL;
}

int hv_open(struct hv **out)
{
	static struct hv h;

	if (fake.open_err)
		return fake.open_err;
	fake.opened++;
	*out = &h;
	return 0;
}

void hv_close(struct hv *h)
{
	if (h)
		fake.opened--;
}

const char *hv_errmsg(const struct hv *h)
{
	return fake.last_errmsg;
}

int hv_get_info(struct hv *h, struct hv_info *info)
{
	int err = fail("hv_get_info");

	if (!err)
		*info = fake.info;
	return err;
}

int hv_set_l1d_flush(struct hv *h, uint32_t mode, struct hv_info *info)
{
	int err = fail("hv_set_l1d_flush");

	if (!err) {
		fake.info.l1d_flush_mode = mode;
		*info = fake.info;
	}
	return err;
}

int hv_vm_new(struct hv *h, const struct hv_vm_opts *opts,
	      struct hv_vm_info *out)
{
	struct hv_vm_info *vm;
	char name[32];
	int err = fail("hv_vm_new");

	if (err)
		return err;
	snprintf(name, sizeof(name), "vm%u", fake.next_vm_id);
	vm = fake_add_vm(fake.next_vm_id, opts && opts->name ? opts->name :
			 name);
	vm->owner = 4242;
	if (opts && opts->max_vcpus)
		vm->max_vcpus = opts->max_vcpus;
	if (opts && opts->max_mem)
		vm->max_mem = opts->max_mem;
	if (opts)
		vm->unknown_msr = opts->unknown_msr;
	if (opts && opts->set_ring_poll)
		vm->ring_poll_ns = opts->ring_poll_ns;
	if (opts && opts->no_halt_notices)
		vm->halt_notices = 0;
	if (out)
		*out = *vm;
	return 0;
}

int hv_vm_del(struct hv *h, uint32_t id)
{
	struct hv_vm_info *vm = find_vm(id);
	int err = fail("hv_vm_del");

	if (err)
		return err;
	if (!vm)
		return refuse(-ENOENT, "no VM with this id");
	*vm = fake.vms[--fake.nr_vms];
	fake.deleted++;
	return 0;
}

int hv_vm_get(struct hv *h, uint32_t id, const char *name,
	      struct hv_vm_info *out)
{
	size_t i;
	int err = fail("hv_vm_get");

	if (err)
		return err;
	for (i = 0; i < fake.nr_vms; i++) {
		if (name ? !strcmp(fake.vms[i].name, name) :
			   fake.vms[i].id == id) {
			*out = fake.vms[i];
			return 0;
		}
	}
	return refuse(-ENOENT, name ? "no VM with this name" :
			       "no VM with this id");
}

int hv_vm_list(struct hv *h, struct hv_vm_info **out, size_t *n)
{
	int err = fail("hv_vm_list");

	if (err)
		return err;
	*out = malloc(sizeof(**out) * (fake.nr_vms + 1));
	memcpy(*out, fake.vms, sizeof(**out) * fake.nr_vms);
	*n = fake.nr_vms;
	return 0;
}

int hv_vm_start(struct hv *h, uint32_t id)
{
	int err = fail("hv_vm_start");

	if (!err)
		fake.started++;
	return err;
}

int hv_vm_pause(struct hv *h, uint32_t id)
{
	int err = fail("hv_vm_pause");

	if (!err)
		fake.paused++;
	return err;
}

int hv_vm_msi(struct hv *h, uint32_t id, uint64_t addr, uint32_t data)
{
	int err = fail("hv_vm_msi");

	if (!err) {
		fake.msi_addr = addr;
		fake.msi_data = data;
		fake.msis++;
	}
	return err;
}

int hv_vcpu_new(struct hv *h, uint32_t id, struct hv_vcpu_info *out)
{
	struct hv_vm_info *vm = find_vm(id);
	struct hv_vcpu_info *v;
	int err = fail("hv_vcpu_new");

	if (err)
		return err;
	if (!vm)
		return refuse(-ENOENT, "no VM with this id");
	v = &fake.vcpus[fake.nr_vcpus++];
	memset(v, 0, sizeof(*v));
	v->vm = id;
	v->id = vm->nr_vcpus++;
	v->thread = 100 + v->id;
	if (out)
		*out = *v;
	return 0;
}

int hv_vcpu_list(struct hv *h, uint32_t id, struct hv_vcpu_info **out,
		 size_t *n)
{
	size_t i;
	int err = fail("hv_vcpu_list");

	if (err)
		return err;
	*out = malloc(sizeof(**out) * (fake.nr_vcpus + 1));
	*n = 0;
	for (i = 0; i < fake.nr_vcpus; i++)
		if (fake.vcpus[i].vm == id)
			(*out)[(*n)++] = fake.vcpus[i];
	return 0;
}

int hv_vcpu_get_regs(struct hv *h, uint32_t vm, uint32_t vcpu,
		     struct hv_regs *regs)
{
	int err = fail("hv_vcpu_get_regs");

	if (!err)
		*regs = fake.regs;
	return err;
}

int hv_vcpu_set_regs(struct hv *h, uint32_t vm, uint32_t vcpu,
		     const struct hv_regs *regs)
{
	int err = fail("hv_vcpu_set_regs");

	if (!err)
		fake.regs = *regs;
	return err;
}

int hv_vcpu_complete(struct hv *h, uint32_t vm, uint32_t vcpu, uint64_t seq,
		     uint64_t data, int error)
{
	int err = fail("hv_vcpu_complete");

	if (!err)
		fake.completes[fake.nr_completes++] =
			(struct fake_complete){ vm, vcpu, seq, data };
	return err;
}

int hv_mem_map(struct hv *h, uint32_t vm, uint64_t gpa, uint64_t size,
	       void *uaddr, uint32_t flags, uint32_t *slot)
{
	struct hv_slot_info *s;
	int err = fail("hv_mem_map");

	if (err)
		return err;
	s = &fake.slots[fake.nr_slots];
	s->vm = vm;
	s->slot = fake.nr_slots++;
	s->gpa = gpa;
	s->size = size;
	s->uaddr = (uintptr_t)uaddr;
	s->flags = flags;
	if (slot)
		*slot = s->slot;
	return 0;
}

int hv_mem_unmap(struct hv *h, uint32_t vm, uint32_t slot)
{
	int err = fail("hv_mem_unmap");

	if (err)
		return err;
	if (slot >= fake.nr_slots)
		return refuse(-ENOENT, "no slot with this id in the VM");
	fake.slots[slot] = fake.slots[--fake.nr_slots];
	return 0;
}

int hv_mem_list(struct hv *h, uint32_t vm, struct hv_slot_info **out,
		size_t *n)
{
	size_t i;
	int err = fail("hv_mem_list");

	if (err)
		return err;
	*out = malloc(sizeof(**out) * (fake.nr_slots + 1));
	*n = 0;
	for (i = 0; i < fake.nr_slots; i++)
		if (fake.slots[i].vm == vm)
			(*out)[(*n)++] = fake.slots[i];
	return 0;
}

int hv_mem_read(struct hv *h, uint32_t vm, uint64_t gpa, void *buf,
		size_t len)
{
	int err = fail("hv_mem_read");

	if (err)
		return err;
	if (gpa > FAKE_MEM || len > FAKE_MEM - gpa)
		return refuse(-EFAULT, "the range is not entirely guest memory (no slot covers part of it)");
	memcpy(buf, fake.mem + gpa, len);
	return 0;
}

int hv_mem_write(struct hv *h, uint32_t vm, uint64_t gpa, const void *buf,
		 size_t len)
{
	int err = fail("hv_mem_write");

	if (err)
		return err;
	if (gpa > FAKE_MEM || len > FAKE_MEM - gpa)
		return refuse(-EFAULT, "the range is not entirely guest memory (no slot covers part of it)");
	memcpy(fake.mem + gpa, buf, len);
	return 0;
}

int hv_mem_set_flags(struct hv *h, uint32_t vm, uint32_t slot,
		     uint32_t flags)
{
	int err = fail("hv_mem_set_flags");
	size_t i;

	if (err)
		return err;
	for (i = 0; i < fake.nr_slots; i++)
		if (fake.slots[i].vm == vm && fake.slots[i].slot == slot) {
			fake.slots[i].flags = flags;
			return 0;
		}
	return refuse(-ENOENT, "no slot with this id in the VM");
}

int hv_mem_log(struct hv *h, uint32_t vm, uint32_t slot, uint64_t npages,
	       unsigned int how, struct hv_log *out)
{
	int err = fail("hv_mem_log");

	memset(out, 0, sizeof(*out));
	if (err)
		return err;
	fake.log_how = how;
	out->npages = npages;
	out->bitmap = calloc((npages + 63) / 64, 8);
	out->bitmap[0] = fake.log_bits;
	out->count = __builtin_popcountll(fake.log_bits);
	strcpy(out->method, "ept-ad");
	return 0;
}

int hv_get_stats(struct hv *h, uint32_t vm, struct hv_stats *out)
{
	int err = fail("hv_get_stats");

	if (!err) {
		*out = fake.stats;
		out->vm = vm;
	}
	return err;
}

int hv_subscribe_notices(struct hv *h)
{
	int err = fail("hv_subscribe_notices");

	if (!err)
		fake.subscribed++;
	return err;
}

int hv_next_message(struct hv *h, struct hv_message *ev, int timeout_ms)
{
	if (fake.next_event == fake.nr_events)
		return refuse(-EIO, "fake: no more events");
	*ev = fake.events[fake.next_event++];
	return 0;
}

/*
 * Exit rings: every vCPU of a run gets one; scripted exits come out of
 * the rings (in script order) and notices out of hv_next_message().
 */
struct hv_vcpu_ring {
	uint32_t vm;
	uint32_t vcpu;
};

int hv_fd(const struct hv *h)
{
	return -1;
}

int hv_vcpu_ring_open(struct hv *h, uint32_t vm, uint32_t vcpu,
		      struct hv_vcpu_ring **out)
{
	int err = fail("hv_vcpu_ring_open");

	if (err)
		return err;
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->vm = vm;
	(*out)->vcpu = vcpu;
	fake.nr_rings++;
	return 0;
}

void hv_vcpu_ring_close(struct hv_vcpu_ring *r)
{
	free(r);
}

int hv_vcpu_ring_next(struct hv_vcpu_ring *r, struct hv_message *ev)
{
	const struct hv_message *next = &fake.events[fake.next_event];

	if (fake.next_event == fake.nr_events || next->cmd != HV_CMD_EXIT ||
	    next->vcpu != r->vcpu)
		return -EAGAIN;
	*ev = *next;
	fake.next_event++;
	return 0;
}

int hv_vcpu_ring_complete(struct hv_vcpu_ring *r, uint64_t seq, uint64_t data,
			  int error)
{
	fake.completes[fake.nr_completes++] =
		(struct fake_complete){ r->vm, r->vcpu, seq, data };
	fake.ring_completes++;
	return 0;
}

void hv_vcpu_ring_set_sleeping(struct hv_vcpu_ring *r, int sleeping)
{
}

void hv_vcpu_ring_drain(struct hv_vcpu_ring *r)
{
}

int hv_vcpu_ring_fd(const struct hv_vcpu_ring *r)
{
	return -1;
}

int hv_vcpu_rings_next(struct hv_vcpu_ring *const *rings, uint32_t n,
		       uint32_t *next, struct hv_message *ev)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (rings[i] && !hv_vcpu_ring_next(rings[i], ev))
			return 0;
	return -EAGAIN;
}
