// SPDX-License-Identifier: GPL-2.0
/*
 * libhv's commands on VMs, vCPUs, guest memory and counters: one function
 * per operation of the family, each building the request, sending it with
 * hv_transact() and parsing the reply. Large memory reads and writes are
 * split into requests of at most 32 KiB.
 */
#include <errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libhv.h"


static struct nlattr **attrs(struct nlmsghdr *nlh, int max,
			     struct nlattr **tb)
{
	if (genlmsg_parse(nlh, 0, tb, max, NULL) < 0)
		return NULL;
	return tb;
}

static uint32_t u32_or(struct nlattr *a, uint32_t def)
{
	return a ? nla_get_u32(a) : def;
}

static uint64_t u64_or(struct nlattr *a, uint64_t def)
{
	return a ? nla_get_u64(a) : def;
}

/* ---- VMs ---- */

static int parse_vm(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HV_A_VM_MAX + 1];
	struct hv_vm_info *vm = arg;

	if (!attrs(nlh, HV_A_VM_MAX, tb))
		return -EINVAL;
	memset(vm, 0, sizeof(*vm));
	vm->id = u32_or(tb[HV_A_VM_ID], 0);
	if (tb[HV_A_VM_NAME])
		nla_strlcpy(vm->name, tb[HV_A_VM_NAME], sizeof(vm->name));
	vm->state = u32_or(tb[HV_A_VM_STATE], 0);
	vm->nr_vcpus = u32_or(tb[HV_A_VM_NR_VCPUS], 0);
	vm->mem_size = u64_or(tb[HV_A_VM_MEM_SIZE], 0);
	vm->owner = u32_or(tb[HV_A_VM_OWNER], 0);
	if (tb[HV_A_VM_CRASH_REASON])
		nla_strlcpy(vm->crash_reason, tb[HV_A_VM_CRASH_REASON],
			    sizeof(vm->crash_reason));
	vm->max_vcpus = u32_or(tb[HV_A_VM_MAX_VCPUS], 0);
	vm->max_mem = u64_or(tb[HV_A_VM_MAX_MEM], 0);
	vm->unknown_msr = u32_or(tb[HV_A_VM_UNKNOWN_MSR], 0);
	vm->ring_poll_ns = u32_or(tb[HV_A_VM_RING_POLL_NS], 0);
	vm->halt_notices = u32_or(tb[HV_A_VM_HALT_NOTICES], 1);
	return 0;
}

/**
 * hv_vm_new() - create a VM owned by this connection
 * @h: the connection; closing it destroys the VM
 * @opts: options, or NULL for the defaults
 * @out: receives the new VM's description, may be NULL
 *
 * Return: 0 or a negative errno (hv_errmsg() says why).
 */
int hv_vm_new(struct hv *h, const struct hv_vm_opts *opts,
	      struct hv_vm_info *out)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_NEW, 0);
	struct hv_vm_info tmp;

	if (!msg)
		return -ENOMEM;
	if (opts && ((opts->name && nla_put_string(msg, HV_A_VM_NAME, opts->name)) ||
		     (opts->max_vcpus &&
		      nla_put_u32(msg, HV_A_VM_MAX_VCPUS, opts->max_vcpus)) ||
		     (opts->max_mem &&
		      nla_put_u64(msg, HV_A_VM_MAX_MEM, opts->max_mem)) ||
		     (opts->unknown_msr &&
		      nla_put_u32(msg, HV_A_VM_UNKNOWN_MSR, opts->unknown_msr)) ||
		     (opts->set_ring_poll &&
		      nla_put_u32(msg, HV_A_VM_RING_POLL_NS,
				  opts->ring_poll_ns)) ||
		     (opts->no_halt_notices &&
		      nla_put_u32(msg, HV_A_VM_HALT_NOTICES, 0)))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, parse_vm, out ? out : &tmp);
}

static int simple_vm_op(struct hv *h, uint8_t cmd, uint32_t vm)
{
	struct nl_msg *msg = hv_msg_new(h, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vm_del() - destroy a VM
 * @h: the connection (the owner)
 * @vm: its id
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_del(struct hv *h, uint32_t vm)
{
	return simple_vm_op(h, HV_CMD_VM_DEL, vm);
}

/**
 * hv_vm_start() - start or resume a VM
 * @h: the connection (the owner)
 * @vm: its id
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_start(struct hv *h, uint32_t vm)
{
	return simple_vm_op(h, HV_CMD_VM_START, vm);
}

/**
 * hv_vm_pause() - pause a VM; returns once no vCPU runs guest code
 * @h: the connection (the owner)
 * @vm: its id
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_pause(struct hv *h, uint32_t vm)
{
	return simple_vm_op(h, HV_CMD_VM_PAUSE, vm);
}

/**
 * hv_vm_get() - describe a VM, by id or (@vm 0) by name
 * @h: the connection
 * @vm: its id, or 0
 * @name: its name when @vm is 0
 * @out: filled
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_get(struct hv *h, uint32_t vm, const char *name,
	      struct hv_vm_info *out)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_GET, 0);

	if (!msg)
		return -ENOMEM;
	if (vm ? nla_put_u32(msg, HV_A_VM_ID, vm) :
		 nla_put_string(msg, HV_A_VM_NAME, name ? name : "")) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, parse_vm, out);
}

struct list {
	void *items;
	size_t n;
	size_t size;
	int (*parse)(struct nlmsghdr *nlh, void *item);
};

static int parse_list_item(struct nlmsghdr *nlh, void *arg)
{
	struct list *l = arg;
	void *bigger = realloc(l->items, (l->n + 1) * l->size);

	if (!bigger)
		return -ENOMEM;
	l->items = bigger;
	memset((char *)l->items + l->n * l->size, 0, l->size);
	if (l->parse(nlh, (char *)l->items + l->n * l->size))
		return -EINVAL;
	l->n++;
	return 0;
}

static int dump(struct hv *h, struct nl_msg *msg, struct list *l,
		void **out, size_t *n)
{
	int err = hv_transact(h, msg, parse_list_item, l);

	if (err) {
		free(l->items);
		return err;
	}
	*out = l->items;
	*n = l->n;
	return 0;
}

/**
 * hv_vm_list() - describe every VM
 * @h: the connection
 * @out: receives an array to free()
 * @n: receives its length
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_list(struct hv *h, struct hv_vm_info **out, size_t *n)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_GET, NLM_F_DUMP);
	struct list l = { .size = sizeof(**out), .parse = parse_vm };

	if (!msg)
		return -ENOMEM;
	return dump(h, msg, &l, (void **)out, n);
}

/**
 * hv_vm_set_cpuid() - replace a VM's CPUID table
 * @h: the connection (the owner)
 * @vm: its id
 * @entries: [function, index, flags, eax, ebx, ecx, edx] each
 * @n: number of entries (at most 256)
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_set_cpuid(struct hv *h, uint32_t vm,
		    const uint32_t (*entries)[7], size_t n)
{
	static const int a[7] = {
		HV_A_CPUID_FUNCTION, HV_A_CPUID_INDEX, HV_A_CPUID_FLAGS,
		HV_A_CPUID_EAX, HV_A_CPUID_EBX, HV_A_CPUID_ECX, HV_A_CPUID_EDX,
	};
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_SET, 0);
	size_t i, j;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm))
		goto err;
	for (i = 0; i < n; i++) {
		struct nlattr *e = nla_nest_start(msg, HV_A_VM_CPUID);

		if (!e)
			goto err;
		for (j = 0; j < 7; j++)
			if (nla_put_u32(msg, a[j], entries[i][j]))
				goto err;
		nla_nest_end(msg, e);
	}
	return hv_transact(h, msg, NULL, NULL);
err:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/**
 * hv_vm_set_msr_policy() - what guest accesses to unknown MSRs do
 * @h: the connection (the owner)
 * @vm: its id
 * @policy: HV_MSR_POLICY_*
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_set_msr_policy(struct hv *h, uint32_t vm, uint32_t policy)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_SET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_VM_UNKNOWN_MSR, policy)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vm_set_ring_poll() - set how long a VM's vCPUs poll their exit rings
 * @h: the connection (the owner)
 * @vm: its id
 * @ns: nanoseconds, at most HV_RING_POLL_MAX; 0 never polls
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_set_ring_poll(struct hv *h, uint32_t vm, uint32_t ns)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_SET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_VM_RING_POLL_NS, ns)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vm_set_halt_notices() - whether a VM's halts post notices to the owner
 * @h: the connection (the owner)
 * @vm: its id
 * @on: nonzero posts a hlt exit notice for each HLT that halts a vCPU;
 *	zero keeps halts in the kernel
 *
 * Return: 0 or a negative errno.
 */
int hv_vm_set_halt_notices(struct hv *h, uint32_t vm, int on)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_SET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_VM_HALT_NOTICES, !!on)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vm_msi() - raise a message-signalled interrupt in a VM (vm-msi)
 * @h: the connection (the owner)
 * @vm: its id
 * @addr: the MSI address, 0xfeeXXXXX (Intel SDM Vol. 3A, 11.11.1)
 * @data: the MSI data: vector, delivery mode, level, trigger (11.11.2)
 *
 * No vCPU stops: the destination APICs take it as a device's write.
 *
 * Return: 0 or a negative errno (hv_errmsg() says why).
 */
int hv_vm_msi(struct hv *h, uint32_t vm, uint64_t addr, uint32_t data)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_MSI, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm) ||
	    nla_put_u64(msg, HV_A_VM_MSI_ADDR, addr) ||
	    nla_put_u32(msg, HV_A_VM_MSI_DATA, data)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

static int irqfd_msg(struct hv *h, uint32_t vm, int fd, uint64_t addr,
		     uint32_t data, bool deassign)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_IRQFD, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_VM_EVENTFD, fd) ||
	    (!deassign && (nla_put_u64(msg, HV_A_VM_MSI_ADDR, addr) ||
			   nla_put_u32(msg, HV_A_VM_MSI_DATA, data))) ||
	    (deassign && nla_put_flag(msg, HV_A_VM_DEASSIGN))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vm_irqfd() - make an eventfd raise an MSI when written (vm-irqfd)
 * @h: the connection (the owner)
 * @vm: its id
 * @fd: the eventfd
 * @addr: the MSI address (as hv_vm_msi())
 * @data: the MSI data
 *
 * Each write to @fd then delivers the MSI from the writer's context, with
 * no message; calling this again for the same eventfd changes the MSI.
 *
 * Return: 0 or a negative errno (hv_errmsg() says why).
 */
int hv_vm_irqfd(struct hv *h, uint32_t vm, int fd, uint64_t addr,
		uint32_t data)
{
	return irqfd_msg(h, vm, fd, addr, data, false);
}

/**
 * hv_vm_irqfd_remove() - undo hv_vm_irqfd()
 * @h: the connection (the owner)
 * @vm: its id
 * @fd: the eventfd
 *
 * Return: 0 or a negative errno (hv_errmsg() says why).
 */
int hv_vm_irqfd_remove(struct hv *h, uint32_t vm, int fd)
{
	return irqfd_msg(h, vm, fd, 0, 0, true);
}

/**
 * hv_vcpu_intr_line() - drive a vCPU's INTR line, as an 8259 (vcpu-intr-line)
 * @h: the connection (the owner)
 * @vm: its id
 * @vcpu: the vCPU
 * @level: 1 raised, 0 lowered
 *
 * The vCPU then exits with HV_EXIT_REASON_INTA when it takes the
 * interrupt; complete that with the vector.
 *
 * Return: 0 or a negative errno (hv_errmsg() says why).
 */
int hv_vcpu_intr_line(struct hv *h, uint32_t vm, uint32_t vcpu, int level)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VCPU_INTR_LINE, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VCPU_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_VCPU_ID, vcpu) ||
	    nla_put_u32(msg, HV_A_VCPU_INTR_LINE, !!level)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

static int ioeventfd_msg(struct hv *h, uint32_t vm, int fd,
			 const struct hv_ioeventfd *io, bool deassign)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VM_IOEVENTFD, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_VM_EVENTFD, fd) ||
	    nla_put_u32(msg, HV_A_VM_IO_SPACE, io->space) ||
	    nla_put_u64(msg, HV_A_VM_IO_ADDR, io->addr) ||
	    nla_put_u32(msg, HV_A_VM_IO_LEN, io->len) ||
	    (io->match && nla_put_u64(msg, HV_A_VM_IO_DATAMATCH,
				      io->datamatch)) ||
	    (deassign && nla_put_flag(msg, HV_A_VM_DEASSIGN))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vm_ioeventfd() - let guest writes signal an eventfd (vm-ioeventfd)
 * @h: the connection (the owner)
 * @vm: its id
 * @fd: the eventfd
 * @io: the writes it takes
 *
 * Such writes then signal @fd and the vCPU goes on without an exit.
 *
 * Return: 0 or a negative errno (hv_errmsg() says why).
 */
int hv_vm_ioeventfd(struct hv *h, uint32_t vm, int fd,
		    const struct hv_ioeventfd *io)
{
	return ioeventfd_msg(h, vm, fd, io, false);
}

/**
 * hv_vm_ioeventfd_remove() - undo hv_vm_ioeventfd() with the same arguments
 * @h: the connection (the owner)
 * @vm: its id
 * @fd: the eventfd
 * @io: the writes it took
 *
 * Return: 0 or a negative errno (hv_errmsg() says why).
 */
int hv_vm_ioeventfd_remove(struct hv *h, uint32_t vm, int fd,
			   const struct hv_ioeventfd *io)
{
	return ioeventfd_msg(h, vm, fd, io, true);
}

/* ---- vCPUs ---- */

static int parse_vcpu(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HV_A_VCPU_MAX + 1];
	struct hv_vcpu_info *v = arg;

	if (!attrs(nlh, HV_A_VCPU_MAX, tb))
		return -EINVAL;
	memset(v, 0, sizeof(*v));
	v->vm = u32_or(tb[HV_A_VCPU_VM_ID], 0);
	v->id = u32_or(tb[HV_A_VCPU_ID], 0);
	v->state = u32_or(tb[HV_A_VCPU_STATE], 0);
	v->exits = u64_or(tb[HV_A_VCPU_EXITS], 0);
	v->thread = u32_or(tb[HV_A_VCPU_THREAD], 0);
	v->transport = u32_or(tb[HV_A_VCPU_TRANSPORT], 0);
	v->sleeps = u64_or(tb[HV_A_VCPU_SLEEPS], 0);
	v->owner_wakeups = u64_or(tb[HV_A_VCPU_OWNER_WAKEUPS], 0);
	return 0;
}

static struct nl_msg *vcpu_msg(struct hv *h, uint8_t cmd, uint32_t vm,
			       uint32_t vcpu, int with_id)
{
	struct nl_msg *msg = hv_msg_new(h, cmd, 0);

	if (msg && (nla_put_u32(msg, HV_A_VCPU_VM_ID, vm) ||
		    (with_id && nla_put_u32(msg, HV_A_VCPU_ID, vcpu)))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * hv_vcpu_new() - add a vCPU (the next id) to a VM
 * @h: the connection (the owner)
 * @vm: the VM
 * @out: receives the description, may be NULL
 *
 * Return: 0 or a negative errno.
 */
int hv_vcpu_new(struct hv *h, uint32_t vm, struct hv_vcpu_info *out)
{
	struct nl_msg *msg = vcpu_msg(h, HV_CMD_VCPU_NEW, vm, 0, 0);
	struct hv_vcpu_info tmp;

	if (!msg)
		return -ENOMEM;
	return hv_transact(h, msg, parse_vcpu, out ? out : &tmp);
}

/**
 * hv_vcpu_get() - describe a vCPU
 * @h: the connection
 * @vm: the VM
 * @vcpu: the vCPU
 * @out: filled
 *
 * Return: 0 or a negative errno.
 */
int hv_vcpu_get(struct hv *h, uint32_t vm, uint32_t vcpu,
		struct hv_vcpu_info *out)
{
	struct nl_msg *msg = vcpu_msg(h, HV_CMD_VCPU_GET, vm, vcpu, 1);

	if (!msg)
		return -ENOMEM;
	return hv_transact(h, msg, parse_vcpu, out);
}

/**
 * hv_vcpu_list() - describe every vCPU of a VM
 * @h: the connection
 * @vm: the VM
 * @out: receives an array to free()
 * @n: receives its length
 *
 * Return: 0 or a negative errno.
 */
int hv_vcpu_list(struct hv *h, uint32_t vm, struct hv_vcpu_info **out,
		 size_t *n)
{
	struct list l = { .size = sizeof(**out), .parse = parse_vcpu };
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_VCPU_GET, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_VCPU_VM_ID, vm)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return dump(h, msg, &l, (void **)out, n);
}

static int parse_regs_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HV_A_VCPU_MAX + 1];

	if (!attrs(nlh, HV_A_VCPU_MAX, tb) || !tb[HV_A_VCPU_REGS])
		return -EINVAL;
	return hv_regs_parse(tb[HV_A_VCPU_REGS], arg);
}

/**
 * hv_vcpu_get_regs() - read a stopped vCPU's architectural state
 * @h: the connection (the owner)
 * @vm: the VM (not running)
 * @vcpu: the vCPU
 * @regs: filled
 *
 * Return: 0 or a negative errno (-EBUSY while the VM runs).
 */
int hv_vcpu_get_regs(struct hv *h, uint32_t vm, uint32_t vcpu,
		     struct hv_regs *regs)
{
	struct nl_msg *msg = vcpu_msg(h, HV_CMD_VCPU_GET_REGS, vm, vcpu, 1);

	if (!msg)
		return -ENOMEM;
	return hv_transact(h, msg, parse_regs_reply, regs);
}

/**
 * hv_vcpu_set_regs() - load a stopped vCPU's whole architectural state
 * @h: the connection (the owner)
 * @vm: the VM (not running)
 * @vcpu: the vCPU
 * @regs: the state
 *
 * Return: 0 or a negative errno (-EINVAL with a reason for values the
 * hardware would refuse).
 */
int hv_vcpu_set_regs(struct hv *h, uint32_t vm, uint32_t vcpu,
		     const struct hv_regs *regs)
{
	struct nl_msg *msg = vcpu_msg(h, HV_CMD_VCPU_SET_REGS, vm, vcpu, 1);

	if (!msg)
		return -ENOMEM;
	if (hv_regs_put(msg, regs)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vcpu_complete() - answer the exit a vCPU waits on
 * @h: the connection (the owner)
 * @vm: the VM
 * @vcpu: the vCPU
 * @seq: the exit's sequence number
 * @data: the value read, for reads
 * @error: the access failed (msr exits: #GP)
 *
 * Return: 0 or a negative errno.
 */
int hv_vcpu_complete(struct hv *h, uint32_t vm, uint32_t vcpu, uint64_t seq,
		     uint64_t data, int error)
{
	struct nl_msg *msg = vcpu_msg(h, HV_CMD_VCPU_COMPLETE, vm, vcpu, 1);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, HV_A_VCPU_SEQ, seq) ||
	    nla_put_u64(msg, HV_A_VCPU_DATA, data) ||
	    (error && nla_put_flag(msg, HV_A_VCPU_ERROR))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_vcpu_set_ring() - carry a vCPU's exits over an exit ring, or netlink
 * @h: the connection (the owner)
 * @vm: the VM (not running)
 * @vcpu: the vCPU (waiting for no completion)
 * @page: the ring page, page-aligned and writable; NULL for netlink
 * @exit_fd: eventfd the kernel signals after posting an exit
 * @done_fd: eventfd signalled after writing a completion
 *
 * hv_vcpu_ring_open() does all of it; this is the bare command.
 *
 * Return: 0 or a negative errno.
 */
int hv_vcpu_set_ring(struct hv *h, uint32_t vm, uint32_t vcpu, void *page,
		     int exit_fd, int done_fd)
{
	struct nl_msg *msg = vcpu_msg(h, HV_CMD_VCPU_SET_RING, vm, vcpu, 1);

	if (!msg)
		return -ENOMEM;
	if (page && (nla_put_u64(msg, HV_A_VCPU_RING_ADDR, (uintptr_t)page) ||
		     nla_put_u32(msg, HV_A_VCPU_EXIT_FD, exit_fd) ||
		     nla_put_u32(msg, HV_A_VCPU_DONE_FD, done_fd))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/* ---- memory ---- */

static int parse_slot(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HV_A_MEM_MAX + 1];
	struct hv_slot_info *s = arg;

	if (!attrs(nlh, HV_A_MEM_MAX, tb))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->vm = u32_or(tb[HV_A_MEM_VM_ID], 0);
	s->slot = u32_or(tb[HV_A_MEM_SLOT], 0);
	s->gpa = u64_or(tb[HV_A_MEM_GPA], 0);
	s->size = u64_or(tb[HV_A_MEM_SIZE], 0);
	s->uaddr = u64_or(tb[HV_A_MEM_UADDR], 0);
	s->flags = u32_or(tb[HV_A_MEM_FLAGS], 0);
	return 0;
}

/**
 * hv_mem_map() - map (and pin) this process's memory into a VM
 * @h: the connection (the owner)
 * @vm: the VM
 * @gpa: guest-physical address, page-aligned
 * @size: bytes, a multiple of the page size
 * @uaddr: the memory, page-aligned (a shared memfd mapping, normally)
 * @flags: HV_MEM_FLAGS_*
 * @slot: receives the slot id, may be NULL
 *
 * Return: 0 or a negative errno.
 */
int hv_mem_map(struct hv *h, uint32_t vm, uint64_t gpa, uint64_t size,
	       void *uaddr, uint32_t flags, uint32_t *slot)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_MEM_MAP, 0);
	struct hv_slot_info s;
	int err;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm) ||
	    nla_put_u64(msg, HV_A_MEM_GPA, gpa) ||
	    nla_put_u64(msg, HV_A_MEM_SIZE, size) ||
	    nla_put_u64(msg, HV_A_MEM_UADDR, (uintptr_t)uaddr) ||
	    (flags && nla_put_u32(msg, HV_A_MEM_FLAGS, flags))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = hv_transact(h, msg, parse_slot, &s);
	if (!err && slot)
		*slot = s.slot;
	return err;
}

/**
 * hv_mem_unmap() - unmap a slot; its pages are unpinned
 * @h: the connection (the owner)
 * @vm: the VM
 * @slot: the slot id
 *
 * Return: 0 or a negative errno.
 */
int hv_mem_unmap(struct hv *h, uint32_t vm, uint32_t slot)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_MEM_UNMAP, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_MEM_SLOT, slot)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/**
 * hv_mem_get() - one slot of a VM
 * @h: the connection
 * @vm: the VM
 * @slot: the slot's id
 * @out: receives it
 *
 * Return: 0 or a negative errno (-ENOENT for an unknown VM or slot).
 */
int hv_mem_get(struct hv *h, uint32_t vm, uint32_t slot,
	       struct hv_slot_info *out)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_MEM_GET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_MEM_SLOT, slot)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, parse_slot, out);
}

/**
 * hv_mem_list() - list a VM's slots
 * @h: the connection
 * @vm: the VM
 * @out: receives an array to free()
 * @n: receives its length
 *
 * Return: 0 or a negative errno.
 */
int hv_mem_list(struct hv *h, uint32_t vm, struct hv_slot_info **out,
		size_t *n)
{
	struct list l = { .size = sizeof(**out), .parse = parse_slot };
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_MEM_GET, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return dump(h, msg, &l, (void **)out, n);
}

struct read_buf {
	void *buf;
	size_t len;
};

static int parse_data(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HV_A_MEM_MAX + 1];
	struct read_buf *r = arg;

	if (!attrs(nlh, HV_A_MEM_MAX, tb) || !tb[HV_A_MEM_DATA] ||
	    (size_t)nla_len(tb[HV_A_MEM_DATA]) != r->len)
		return -EINVAL;
	memcpy(r->buf, nla_data(tb[HV_A_MEM_DATA]), r->len);
	return 0;
}

/**
 * hv_mem_read() - read guest-physical memory, any length
 * @h: the connection (the owner)
 * @vm: the VM
 * @gpa: where
 * @buf: into
 * @len: bytes
 *
 * Return: 0 or a negative errno (-EFAULT if part of the range is not
 * guest memory).
 */
int hv_mem_read(struct hv *h, uint32_t vm, uint64_t gpa, void *buf,
		size_t len)
{
	while (len) {
		size_t n = len < HV_MEM_IO_MAX ? len : HV_MEM_IO_MAX;
		struct nl_msg *msg = hv_msg_new(h, HV_CMD_MEM_READ, 0);
		struct read_buf r = { .buf = buf, .len = n };
		int err;

		if (!msg)
			return -ENOMEM;
		if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm) ||
		    nla_put_u64(msg, HV_A_MEM_GPA, gpa) ||
		    nla_put_u32(msg, HV_A_MEM_LEN, n)) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		err = hv_transact(h, msg, parse_data, &r);
		if (err)
			return err;
		gpa += n;
		buf = (char *)buf + n;
		len -= n;
	}
	return 0;
}

/**
 * hv_mem_write() - write guest-physical memory, any length
 * @h: the connection (the owner)
 * @vm: the VM
 * @gpa: where
 * @buf: from
 * @len: bytes
 *
 * Each 32 KiB chunk is checked before it is written: on -EFAULT, the
 * chunks before the failing one were written.
 *
 * Return: 0 or a negative errno.
 */
int hv_mem_write(struct hv *h, uint32_t vm, uint64_t gpa, const void *buf,
		 size_t len)
{
	while (len) {
		size_t n = len < HV_MEM_IO_MAX ? len : HV_MEM_IO_MAX;
		struct nl_msg *msg = hv_msg_new_size(h, HV_CMD_MEM_WRITE, 0, n);
		int err;

		if (!msg)
			return -ENOMEM;
		if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm) ||
		    nla_put_u64(msg, HV_A_MEM_GPA, gpa) ||
		    nla_put(msg, HV_A_MEM_DATA, n, buf)) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		err = hv_transact(h, msg, NULL, NULL);
		if (err)
			return err;
		gpa += n;
		buf = (const char *)buf + n;
		len -= n;
	}
	return 0;
}

/* ---- counters ---- */

static int parse_stats(struct nlmsghdr *nlh, void *arg)
{
	static const int exit_attrs[10] = {
		HV_A_STATS_EXITS, HV_A_STATS_EXITS_CPUID, HV_A_STATS_EXITS_MSR,
		HV_A_STATS_EXITS_HLT, HV_A_STATS_EXITS_NPF,
		HV_A_STATS_EXITS_INTR, HV_A_STATS_EXITS_IO,
		HV_A_STATS_EXITS_MMIO, HV_A_STATS_EXITS_OTHER,
		HV_A_STATS_EXITS_TIMER,
	};
	struct nlattr *tb[HV_A_STATS_MAX + 1];
	struct hv_stats *s = arg;
	int i;

	if (!attrs(nlh, HV_A_STATS_MAX, tb))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->vm = u32_or(tb[HV_A_STATS_VM_ID], 0);
	s->vms = u32_or(tb[HV_A_STATS_VMS], 0);
	s->vcpus = u32_or(tb[HV_A_STATS_VCPUS], 0);
	s->threads = u32_or(tb[HV_A_STATS_THREADS], 0);
	s->pinned_pages = u64_or(tb[HV_A_STATS_PINNED_PAGES], 0);
	s->pt_pages = u64_or(tb[HV_A_STATS_PT_PAGES], 0);
	for (i = 0; i < 10; i++)
		s->exits[i] = u64_or(tb[exit_attrs[i]], 0);
	s->invept = u64_or(tb[HV_A_STATS_INVEPT], 0);
	s->invvpid = u64_or(tb[HV_A_STATS_INVVPID], 0);
	s->invvpid_saved = u64_or(tb[HV_A_STATS_INVVPID_SAVED], 0);
	s->l1d_flush_msr = u64_or(tb[HV_A_STATS_L1D_FLUSH_MSR], 0);
	s->l1d_flush_sw = u64_or(tb[HV_A_STATS_L1D_FLUSH_SW], 0);
	s->pml_full = u64_or(tb[HV_A_STATS_PML_FULL], 0);
	s->sleeps = u64_or(tb[HV_A_STATS_SLEEPS], 0);
	s->owner_wakeups = u64_or(tb[HV_A_STATS_OWNER_WAKEUPS], 0);
	s->intr_injected = u64_or(tb[HV_A_STATS_INTR_INJECTED], 0);
	s->ipis = u64_or(tb[HV_A_STATS_IPIS], 0);
	s->timer_fired = u64_or(tb[HV_A_STATS_TIMER_FIRED], 0);
	s->ioeventfd = u64_or(tb[HV_A_STATS_IOEVENTFD], 0);
	s->eoi_notices = u64_or(tb[HV_A_STATS_EOI_NOTICES], 0);
	s->intr_posted = u64_or(tb[HV_A_STATS_INTR_POSTED], 0);
	s->halt_polled = u64_or(tb[HV_A_STATS_HALT_POLLED], 0);
	return 0;
}

/**
 * hv_get_stats() - read counters
 * @h: the connection
 * @vm: a VM, or 0 for module-wide counters
 * @out: filled
 *
 * Return: 0 or a negative errno.
 */
int hv_get_stats(struct hv *h, uint32_t vm, struct hv_stats *out)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_GET_STATS, 0);

	if (!msg)
		return -ENOMEM;
	if (vm && nla_put_u32(msg, HV_A_STATS_VM_ID, vm)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, parse_stats, out);
}

/**
 * hv_mem_set_flags() - change a slot's flags (dirty logging on or off)
 * @h: the connection (the owner)
 * @vm: the VM
 * @slot: the slot id
 * @flags: HV_MEM_FLAGS_*; only HV_MEM_FLAGS_DIRTY_LOG may change
 *
 * Turning logging on starts an empty log.
 *
 * Return: 0 or a negative errno.
 */
int hv_mem_set_flags(struct hv *h, uint32_t vm, uint32_t slot,
		     uint32_t flags)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_MEM_SET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm) ||
	    nla_put_u32(msg, HV_A_MEM_SLOT, slot) ||
	    nla_put_u32(msg, HV_A_MEM_FLAGS, flags)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return hv_transact(h, msg, NULL, NULL);
}

struct log_chunk {
	struct hv_log *log;
	uint64_t first;
	uint32_t npages;
};

static int parse_log(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[HV_A_MEM_MAX + 1];
	struct log_chunk *c = arg;
	size_t len = (c->npages + 63) / 64 * 8;

	if (!attrs(nlh, HV_A_MEM_MAX, tb) || !tb[HV_A_MEM_BITMAP] ||
	    (size_t)nla_len(tb[HV_A_MEM_BITMAP]) != len ||
	    u64_or(tb[HV_A_MEM_FIRST], ~0ULL) != c->first ||
	    u32_or(tb[HV_A_MEM_NPAGES], 0) != c->npages)
		return -EINVAL;
	memcpy(c->log->bitmap + c->first / 64, nla_data(tb[HV_A_MEM_BITMAP]),
	       len);
	c->log->count += u32_or(tb[HV_A_MEM_COUNT], 0);
	if (tb[HV_A_MEM_METHOD])
		nla_strlcpy(c->log->method, tb[HV_A_MEM_METHOD],
			    sizeof(c->log->method));
	return 0;
}

/**
 * hv_mem_log() - the pages of a slot written (or accessed) since the last
 *	call, cleared as they are read unless HV_LOG_PEEK
 * @h: the connection (the owner, unless HV_LOG_PEEK)
 * @vm: the VM
 * @slot: the slot id
 * @npages: the slot's size in pages (hv_mem_list())
 * @how: HV_LOG_ACCESSED, HV_LOG_PEEK
 * @out: receives the bitmap and its count; free out->bitmap
 *
 * Dirty pages need the slot's HV_MEM_FLAGS_DIRTY_LOG. A large slot takes
 * one request per HV_MEM_LOG_MAX pages, each cleared on its own.
 *
 * Return: 0 or a negative errno.
 */
int hv_mem_log(struct hv *h, uint32_t vm, uint32_t slot, uint64_t npages,
	       unsigned int how, struct hv_log *out)
{
	uint64_t first;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->npages = npages;
	out->bitmap = calloc((npages + 63) / 64 ? (npages + 63) / 64 : 1, 8);
	if (!out->bitmap)
		return -ENOMEM;
	for (first = 0; first < npages && !err; first += HV_MEM_LOG_MAX) {
		struct nl_msg *msg = hv_msg_new(h, HV_CMD_MEM_LOG, 0);
		struct log_chunk c = {
			.log = out,
			.first = first,
			.npages = npages - first < HV_MEM_LOG_MAX ?
				  npages - first : HV_MEM_LOG_MAX,
		};

		if (!msg) {
			err = -ENOMEM;
			break;
		}
		if (nla_put_u32(msg, HV_A_MEM_VM_ID, vm) ||
		    nla_put_u32(msg, HV_A_MEM_SLOT, slot) ||
		    nla_put_u64(msg, HV_A_MEM_FIRST, first) ||
		    nla_put_u32(msg, HV_A_MEM_NPAGES, c.npages) ||
		    ((how & HV_LOG_ACCESSED) &&
		     nla_put_u8(msg, HV_A_MEM_ACCESSED, 1)) ||
		    ((how & HV_LOG_PEEK) && nla_put_u8(msg, HV_A_MEM_PEEK, 1))) {
			nlmsg_free(msg);
			err = -EMSGSIZE;
			break;
		}
		err = hv_transact(h, msg, parse_log, &c);
	}
	if (err) {
		free(out->bitmap);
		out->bitmap = NULL;
	}
	return err;
}
