// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink handlers of the vcpu object: vcpu-new, vcpu-get (do and dump),
 * vcpu-get-regs and vcpu-set-regs (the architectural record as nested
 * attributes, partial updates allowed), vcpu-complete, vcpu-set-ring.
 */
#include <linux/slab.h>

#include "irq/irq.h"
#include "nl/nl.h"

/* Scalar registers: attribute -> offset in struct hv_regs. */
static const struct {
	u8 attr;
	u16 offset;
} scalars[] = {
#define HV_REGS_SCALAR(attr, field) { attr, offsetof(struct hv_regs, field) },
#include "regs_attrs.h"
};

static const struct {
	u8 attr;
	u16 offset;
} segments[] = {
#define HV_REGS_SEGMENT(attr, field) { attr, offsetof(struct hv_regs, field) },
#include "regs_attrs.h"
};

static const struct {
	u8 attr;
	u16 offset;
} dtables[] = {
#define HV_REGS_DTABLE(attr, field) { attr, offsetof(struct hv_regs, field) },
#include "regs_attrs.h"
};

#define FIELD(regs, off, type) ((type *)((u8 *)(regs) + (off)))

static int put_segment(struct sk_buff *skb, int attr,
		       const struct hv_segment *s)
{
	struct nlattr *n = nla_nest_start(skb, attr);

	if (!n || nla_put_u16(skb, HV_A_SEGMENT_SELECTOR, s->selector) ||
	    nla_put_u64_64bit(skb, HV_A_SEGMENT_BASE, s->base,
			      HV_A_SEGMENT_PAD) ||
	    nla_put_u32(skb, HV_A_SEGMENT_LIMIT, s->limit) ||
	    nla_put_u32(skb, HV_A_SEGMENT_AR, s->ar))
		return -EMSGSIZE;
	nla_nest_end(skb, n);
	return 0;
}

static int put_dtable(struct sk_buff *skb, int attr, const struct hv_dtable *d)
{
	struct nlattr *n = nla_nest_start(skb, attr);

	if (!n || nla_put_u64_64bit(skb, HV_A_DTABLE_BASE, d->base,
				    HV_A_DTABLE_PAD) ||
	    nla_put_u32(skb, HV_A_DTABLE_LIMIT, d->limit))
		return -EMSGSIZE;
	nla_nest_end(skb, n);
	return 0;
}

static int put_regs(struct sk_buff *skb, struct hv_regs *regs)
{
	struct nlattr *nest = nla_nest_start(skb, HV_A_VCPU_REGS), *n;
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(scalars); i++)
		if (nla_put_u64_64bit(skb, scalars[i].attr,
				      *FIELD(regs, scalars[i].offset, u64),
				      HV_A_REGS_PAD))
			return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(segments); i++)
		if (put_segment(skb, segments[i].attr,
				FIELD(regs, segments[i].offset,
				      struct hv_segment)))
			return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(dtables); i++)
		if (put_dtable(skb, dtables[i].attr,
			       FIELD(regs, dtables[i].offset, struct hv_dtable)))
			return -EMSGSIZE;
	for (i = 0; i < hv_nr_msrs_kept; i++) {
		n = nla_nest_start(skb, HV_A_REGS_MSR);
		if (!n || nla_put_u32(skb, HV_A_MSR_INDEX, hv_msrs_kept[i]) ||
		    nla_put_u64_64bit(skb, HV_A_MSR_VALUE,
				      *hv_regs_msr(regs, hv_msrs_kept[i]),
				      HV_A_MSR_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, n);
	}
	if (regs->event.valid) {
		n = nla_nest_start(skb, HV_A_REGS_EVENT);
		if (!n || nla_put_u32(skb, HV_A_EVENT_TYPE, regs->event.type) ||
		    nla_put_u8(skb, HV_A_EVENT_VECTOR, regs->event.vector) ||
		    (regs->event.has_error &&
		     nla_put_u32(skb, HV_A_EVENT_ERROR_CODE,
				 regs->event.error_code)))
			return -EMSGSIZE;
		nla_nest_end(skb, n);
	}
	if (nla_put_u32(skb, HV_A_REGS_INT_SHADOW, regs->int_shadow) ||
	    nla_put_u32(skb, HV_A_REGS_ACTIVITY, regs->activity) ||
	    nla_put(skb, HV_A_REGS_FPU, sizeof(regs->fpu), regs->fpu) ||
	    nla_put(skb, HV_A_REGS_LAPIC, sizeof(regs->lapic), regs->lapic))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int parse_segment(const struct nlattr *a, struct hv_segment *s,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HV_A_SEGMENT_MAX + 1];
	int err;

	err = nla_parse_nested(tb, HV_A_SEGMENT_MAX, a, hv_segment_nl_policy, extack);
	if (err)
		return err;
	if (tb[HV_A_SEGMENT_SELECTOR])
		s->selector = nla_get_u16(tb[HV_A_SEGMENT_SELECTOR]);
	if (tb[HV_A_SEGMENT_BASE])
		s->base = nla_get_u64(tb[HV_A_SEGMENT_BASE]);
	if (tb[HV_A_SEGMENT_LIMIT])
		s->limit = nla_get_u32(tb[HV_A_SEGMENT_LIMIT]);
	if (tb[HV_A_SEGMENT_AR])
		s->ar = nla_get_u32(tb[HV_A_SEGMENT_AR]);
	return 0;
}

static int parse_dtable(const struct nlattr *a, struct hv_dtable *d,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HV_A_DTABLE_MAX + 1];
	int err;

	if (!a)
		return 0;	/* absent: unchanged */
	err = nla_parse_nested(tb, HV_A_DTABLE_MAX, a, hv_dtable_nl_policy, extack);
	if (err)
		return err;
	if (tb[HV_A_DTABLE_BASE])
		d->base = nla_get_u64(tb[HV_A_DTABLE_BASE]);
	if (tb[HV_A_DTABLE_LIMIT])
		d->limit = nla_get_u32(tb[HV_A_DTABLE_LIMIT]);
	return 0;
}

static int parse_msr(const struct nlattr *a, struct hv_regs *regs,
		     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HV_A_MSR_MAX + 1];
	u64 *field;
	int err;

	err = nla_parse_nested(tb, HV_A_MSR_MAX, a, hv_msr_nl_policy, extack);
	if (err)
		return err;
	if (!tb[HV_A_MSR_INDEX] || !tb[HV_A_MSR_VALUE]) {
		NL_SET_ERR_MSG_ATTR(extack, a, "an msr needs an index and a value");
		return -EINVAL;
	}
	field = hv_regs_msr(regs, nla_get_u32(tb[HV_A_MSR_INDEX]));
	if (!field) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HV_A_MSR_INDEX],
				    "hv does not keep this MSR in the vcpu state");
		return -EINVAL;
	}
	*field = nla_get_u64(tb[HV_A_MSR_VALUE]);
	return 0;
}

static int parse_event(const struct nlattr *a, struct hv_event *e,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HV_A_EVENT_MAX + 1];
	u32 type;
	int err;

	if (!a)
		return 0;	/* absent: unchanged */
	err = nla_parse_nested(tb, HV_A_EVENT_MAX, a, hv_event_nl_policy, extack);
	if (err)
		return err;
	if (!tb[HV_A_EVENT_TYPE] || !tb[HV_A_EVENT_VECTOR]) {
		NL_SET_ERR_MSG_ATTR(extack, a, "an event needs a type and a vector");
		return -EINVAL;
	}
	type = nla_get_u32(tb[HV_A_EVENT_TYPE]);
	if (type == 1) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HV_A_EVENT_TYPE],
				    "event type must be ext-intr, nmi, exception or soft-intr");
		return -EINVAL;
	}
	*e = (struct hv_event) {
		.valid = true,
		.type = type,
		.vector = nla_get_u8(tb[HV_A_EVENT_VECTOR]),
		.has_error = tb[HV_A_EVENT_ERROR_CODE],
		.error_code = tb[HV_A_EVENT_ERROR_CODE] ?
			      nla_get_u32(tb[HV_A_EVENT_ERROR_CODE]) : 0,
	};
	return 0;
}

static int parse_regs(const struct nlattr *nest, struct hv_regs *regs,
		      bool *lapic, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HV_A_REGS_MAX + 1], *a;
	unsigned int i;
	int rem, err;

	err = nla_parse_nested(tb, HV_A_REGS_MAX, nest, hv_regs_nl_policy, extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(scalars); i++)
		if (tb[scalars[i].attr])
			*FIELD(regs, scalars[i].offset, u64) =
				nla_get_u64(tb[scalars[i].attr]);
	for (i = 0; i < ARRAY_SIZE(segments); i++) {
		if (!tb[segments[i].attr])
			continue;
		err = parse_segment(tb[segments[i].attr],
				    FIELD(regs, segments[i].offset,
					  struct hv_segment), extack);
		if (err)
			return err;
	}
	for (i = 0; i < ARRAY_SIZE(dtables); i++) {
		err = parse_dtable(tb[dtables[i].attr],
				   FIELD(regs, dtables[i].offset,
					 struct hv_dtable), extack);
		if (err)
			return err;
	}
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != HV_A_REGS_MSR)
			continue;
		err = parse_msr(a, regs, extack);
		if (err)
			return err;
	}
	if (tb[HV_A_REGS_NO_EVENT] && tb[HV_A_REGS_EVENT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[HV_A_REGS_NO_EVENT],
				    "no-event and event contradict each other");
		return -EINVAL;
	}
	if (tb[HV_A_REGS_NO_EVENT])
		regs->event.valid = false;
	err = parse_event(tb[HV_A_REGS_EVENT], &regs->event, extack);
	if (err)
		return err;
	if (tb[HV_A_REGS_INT_SHADOW])
		regs->int_shadow = nla_get_u32(tb[HV_A_REGS_INT_SHADOW]);
	if (tb[HV_A_REGS_ACTIVITY])
		regs->activity = nla_get_u32(tb[HV_A_REGS_ACTIVITY]);
	if (tb[HV_A_REGS_FPU])
		memcpy(regs->fpu, nla_data(tb[HV_A_REGS_FPU]), sizeof(regs->fpu));
	*lapic = tb[HV_A_REGS_LAPIC];
	if (*lapic)
		memcpy(regs->lapic, nla_data(tb[HV_A_REGS_LAPIC]),
		       sizeof(regs->lapic));
	return 0;
}

static int fill_vcpu(struct sk_buff *skb, struct hv_vcpu *vcpu)
{
	struct task_struct *t = vcpu->thread;

	if (nla_put_u32(skb, HV_A_VCPU_VM_ID, vcpu->vm->id) ||
	    nla_put_u32(skb, HV_A_VCPU_ID, vcpu->id) ||
	    nla_put_u32(skb, HV_A_VCPU_STATE, READ_ONCE(vcpu->state)) ||
	    nla_put_u64_64bit(skb, HV_A_VCPU_EXITS,
			      READ_ONCE(vcpu->stats[HV_STAT_EXITS]),
			      HV_A_VCPU_PAD) ||
	    (t && nla_put_u32(skb, HV_A_VCPU_THREAD, task_pid_nr(t))) ||
	    nla_put_u32(skb, HV_A_VCPU_TRANSPORT,
			READ_ONCE(vcpu->uexit.ops)->transport) ||
	    nla_put_u64_64bit(skb, HV_A_VCPU_SLEEPS,
			      READ_ONCE(vcpu->stats[HV_STAT_SLEEPS]),
			      HV_A_VCPU_PAD) ||
	    nla_put_u64_64bit(skb, HV_A_VCPU_OWNER_WAKEUPS,
			      READ_ONCE(vcpu->stats[HV_STAT_OWNER_WAKEUPS]),
			      HV_A_VCPU_PAD))
		return -EMSGSIZE;
	return 0;
}

static struct hv_vcpu *find_vcpu(struct genl_info *info, struct hv_vm *vm)
{
	u32 id;

	if (!hv_nl_require(info, HV_A_VCPU_ID, "the vcpu id is required"))
		return NULL;
	id = nla_get_u32(info->attrs[HV_A_VCPU_ID]);
	if (id >= vm->nr_vcpus) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HV_A_VCPU_ID],
				    "no vcpu with this id in the VM");
		return NULL;
	}
	return vm->vcpus[id];
}

static int reply_vcpu(struct genl_info *info, struct hv_vcpu *vcpu,
		      struct hv_regs *regs)
{
	struct sk_buff *msg;
	void *hdr;

	/* vcpu-new, vcpu-get or vcpu-get-regs: the request's command. */
	hdr = hv_nl_reply(info, &msg, info->genlhdr->cmd,
			  regs ? 4096 : NLMSG_DEFAULT_SIZE);
	if (!hdr)
		return -ENOMEM;
	if (fill_vcpu(msg, vcpu) || (regs && put_regs(msg, regs))) {
		nlmsg_free(msg);
		return hv_nl_fail(info, -EMSGSIZE, "reply does not fit");
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * hv_nl_vcpu_new_doit() - vcpu-new: add a vCPU and start its thread
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -ENOSPC past the VM's vCPU limit; -EINVAL for an id out
 * of order.
 */
int hv_nl_vcpu_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vcpu *vcpu;
	struct hv_vm *vm;
	u32 id;
	int err;

	vm = hv_nl_vm_lock(skb, info, HV_A_VCPU_VM_ID, true, &err);
	if (!vm)
		return err;
	id = info->attrs[HV_A_VCPU_ID] ? nla_get_u32(info->attrs[HV_A_VCPU_ID]) :
					 vm->nr_vcpus;
	err = hv_vcpu_create(vm, id, &vcpu, info->extack);
	if (!err)
		err = reply_vcpu(info, vcpu, NULL);
	else
		hv_nl_fail(info, err, NULL);
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_vcpu_get_doit() - vcpu-get: one vCPU's state, exit count and thread
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -ENOENT for an unknown vCPU.
 */
int hv_nl_vcpu_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vcpu *vcpu;
	struct hv_vm *vm;
	int err;

	vm = hv_nl_vm_lock(skb, info, HV_A_VCPU_VM_ID, false, &err);
	if (!vm)
		return err;
	vcpu = find_vcpu(info, vm);
	err = vcpu ? reply_vcpu(info, vcpu, NULL) :
		     info->attrs[HV_A_VCPU_ID] ? -ENOENT : -EINVAL;
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_vcpu_get_dumpit() - vcpu-get dump: a VM's vCPUs
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @cb: the dump's state
 *
 * Return: the dump's progress, as netlink dumps return it.
 */
int hv_nl_vcpu_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	u32 i = cb->args[0];
	struct hv_vm *vm;
	void *hdr;
	int err = 0;

	vm = hv_nl_vm_dump_lock(cb, di->attrs[HV_A_VCPU_VM_ID], &err);
	if (!vm)
		return err;
	for (; i < vm->nr_vcpus; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &hv_nl_family,
				  NLM_F_MULTI, HV_CMD_VCPU_GET);
		if (!hdr || fill_vcpu(skb, vm->vcpus[i])) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			err = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = i;
	hv_nl_vm_unlock(vm);
	return err && !skb->len ? err : skb->len;
}

/* The checks vcpu-get-regs and vcpu-set-regs share. */
static struct hv_vcpu *stopped_vcpu(struct genl_info *info, struct hv_vm *vm,
				    int *err)
{
	struct hv_vcpu *vcpu = find_vcpu(info, vm);

	*err = info->attrs[HV_A_VCPU_ID] ? -ENOENT : -EINVAL;
	if (!vcpu)
		return NULL;
	*err = -EBUSY;
	if (READ_ONCE(vm->state) == HV_VM_STATE_RUNNING) {
		NL_SET_ERR_MSG(info->extack, "the VM is running; pause it first");
		return NULL;
	}
	if (!hv_uexit_settle(vcpu)) {
		NL_SET_ERR_MSG(info->extack,
			       "the vcpu waits for an exit completion");
		return NULL;
	}
	*err = 0;
	return vcpu;
}

/**
 * hv_nl_vcpu_get_regs_doit() - vcpu-get-regs: a stopped vCPU's architectural record
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EBUSY if the VM runs or the vCPU waits for its owner.
 */
int hv_nl_vcpu_get_regs_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_regs *regs;
	struct hv_vcpu *vcpu;
	struct hv_vm *vm;
	int err;

	regs = kmem_cache_alloc(hv_regs_cache, GFP_KERNEL_ACCOUNT);
	if (!regs)
		return hv_nl_fail(info, -ENOMEM, NULL);
	vm = hv_nl_vm_lock(skb, info, HV_A_VCPU_VM_ID, true, &err);
	if (!vm)
		goto out;
	vcpu = stopped_vcpu(info, vm, &err);
	if (vcpu) {
		hv_vcpu_get_regs(vcpu, regs);
		err = reply_vcpu(info, vcpu, regs);
	}
	hv_nl_vm_unlock(vm);
out:
	kmem_cache_free(hv_regs_cache, regs);
	return err;
}

/**
 * hv_nl_vcpu_set_regs_doit() - vcpu-set-regs: change a stopped vCPU's architectural record
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -EBUSY as for vcpu-get-regs; -EINVAL for a state the
 * hardware would refuse, with the reason.
 */
int hv_nl_vcpu_set_regs_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 base, deadline;
	struct hv_regs *regs;
	bool lapic = false;
	struct hv_vcpu *vcpu;
	struct hv_vm *vm;
	int err;

	if (!hv_nl_require(info, HV_A_VCPU_REGS, "regs are required"))
		return -EINVAL;
	regs = kmem_cache_alloc(hv_regs_cache, GFP_KERNEL_ACCOUNT);
	if (!regs)
		return hv_nl_fail(info, -ENOMEM, NULL);
	vm = hv_nl_vm_lock(skb, info, HV_A_VCPU_VM_ID, true, &err);
	if (!vm)
		goto out;
	vcpu = stopped_vcpu(info, vm, &err);
	if (vcpu) {
		hv_vcpu_get_regs(vcpu, regs);
		base = regs->apic_base;
		deadline = regs->tsc_deadline;
		err = parse_regs(info->attrs[HV_A_VCPU_REGS], regs, &lapic,
				 info->extack);
		/*
		 * The APIC's part loads when given or changed (its timer
		 * goes on from TMCCT: a record read earlier delays it).
		 */
		lapic = lapic || regs->apic_base != base ||
			regs->tsc_deadline != deadline;
		if (!err && lapic)
			err = hv_lapic_check_state(vcpu, regs, info->extack);
		if (!err)
			err = hv_vcpu_set_regs(vcpu, regs, info->extack);
		if (!err && lapic)
			hv_lapic_set_state(vcpu, regs);
	}
	hv_nl_vm_unlock(vm);
out:
	kmem_cache_free(hv_regs_cache, regs);
	return err;
}

/**
 * hv_nl_vcpu_complete_doit() - vcpu-complete: the owner's answer to an exit
 * @skb: the request (doit) or the reply being filled (dumpit)
 * @info: the request
 *
 * Return: 0; -ENOENT if no exit waits; -EINVAL for another exit's seq.
 */
int hv_nl_vcpu_complete_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct hv_vcpu *vcpu;
	struct hv_vm *vm;
	u64 data;
	int err;

	if (!hv_nl_require(info, HV_A_VCPU_SEQ, "seq is required"))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_VCPU_VM_ID, true, &err);
	if (!vm)
		return err;
	vcpu = find_vcpu(info, vm);
	if (!vcpu) {
		err = info->attrs[HV_A_VCPU_ID] ? -ENOENT : -EINVAL;
		goto out;
	}
	data = info->attrs[HV_A_VCPU_DATA] ?
	       nla_get_u64(info->attrs[HV_A_VCPU_DATA]) : 0;
	err = hv_uexit_complete(vcpu, nla_get_u64(info->attrs[HV_A_VCPU_SEQ]),
				data, nla_get_flag(info->attrs[HV_A_VCPU_ERROR]),
				info->extack);
out:
	hv_nl_vm_unlock(vm);
	return err;
}

/**
 * hv_nl_vcpu_set_ring_doit() - vcpu-set-ring: carry a vCPU's exits over a
 * ring page of the caller's, or (without ring-addr) over netlink again
 * @skb: the request
 * @info: the request
 *
 * Return: 0; -EBUSY if the VM runs or the vCPU waits for its owner;
 * -EINVAL, -EBADF, -EFAULT for a bad page or eventfd, with the reason.
 */
int hv_nl_vcpu_set_ring_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct hv_vcpu *vcpu;
	struct hv_vm *vm;
	int err;

	if (a[HV_A_VCPU_RING_ADDR] &&
	    (!hv_nl_require(info, HV_A_VCPU_EXIT_FD,
			    "a ring needs exit-fd") ||
	     !hv_nl_require(info, HV_A_VCPU_DONE_FD,
			    "a ring needs done-fd")))
		return -EINVAL;
	vm = hv_nl_vm_lock(skb, info, HV_A_VCPU_VM_ID, true, &err);
	if (!vm)
		return err;
	vcpu = stopped_vcpu(info, vm, &err);
	if (!vcpu)
		goto out;
	if (!a[HV_A_VCPU_RING_ADDR])
		hv_uexit_release(vcpu);
	else
		err = hv_ring_attach(vcpu, nla_get_u64(a[HV_A_VCPU_RING_ADDR]),
				     nla_get_u32(a[HV_A_VCPU_EXIT_FD]),
				     nla_get_u32(a[HV_A_VCPU_DONE_FD]),
				     info->extack);
out:
	hv_nl_vm_unlock(vm);
	return err;
}
