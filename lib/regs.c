// SPDX-License-Identifier: GPL-2.0
/*
 * The architectural vCPU record (struct hv_regs) to and from the regs
 * attribute set of the family.
 */
#include <errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <stddef.h>
#include <string.h>

#include "libhv.h"

/* Attribute (or MSR index) -> offset in struct hv_regs. */
#define ROW(key, field) { key, offsetof(struct hv_regs, field) },

static const struct {
	uint32_t key;
	size_t offset;
} scalars[] = {
#define HV_REGS_SCALAR ROW
#include "regs_attrs.h"
}, segments[] = {
#define HV_REGS_SEGMENT ROW
#include "regs_attrs.h"
}, dtables[] = {
#define HV_REGS_DTABLE ROW
#include "regs_attrs.h"
}, msrs[] = {
#define HV_REGS_MSR ROW
#include "regs_attrs.h"
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define AT(r, off, type) ((type *)((char *)(r) + (off)))
#define CAT(r, off, type) ((const type *)((const char *)(r) + (off)))

static int put_segment(struct nl_msg *msg, int attr, const struct hv_segment *s)
{
	struct nlattr *n = nla_nest_start(msg, attr);

	if (!n || nla_put_u16(msg, HV_A_SEGMENT_SELECTOR, s->selector) ||
	    nla_put_u64(msg, HV_A_SEGMENT_BASE, s->base) ||
	    nla_put_u32(msg, HV_A_SEGMENT_LIMIT, s->limit) ||
	    nla_put_u32(msg, HV_A_SEGMENT_AR, s->ar))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int put_dtable(struct nl_msg *msg, int attr, const struct hv_dtable *d)
{
	struct nlattr *n = nla_nest_start(msg, attr);

	if (!n || nla_put_u64(msg, HV_A_DTABLE_BASE, d->base) ||
	    nla_put_u32(msg, HV_A_DTABLE_LIMIT, d->limit))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

/**
 * hv_regs_put() - add a whole record as a regs nest (vcpu-set-regs)
 * @msg: the request
 * @regs: the record
 *
 * Return: 0 or -EMSGSIZE.
 */
int hv_regs_put(struct nl_msg *msg, const struct hv_regs *regs)
{
	struct nlattr *nest = nla_nest_start(msg, HV_A_VCPU_REGS), *n;
	size_t i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < N(scalars); i++)
		if (nla_put_u64(msg, scalars[i].key,
				*CAT(regs, scalars[i].offset, uint64_t)))
			return -EMSGSIZE;
	for (i = 0; i < N(segments); i++)
		if (put_segment(msg, segments[i].key,
			    CAT(regs, segments[i].offset, struct hv_segment)))
			return -EMSGSIZE;
	for (i = 0; i < N(dtables); i++)
		if (put_dtable(msg, dtables[i].key,
			       CAT(regs, dtables[i].offset, struct hv_dtable)))
			return -EMSGSIZE;
	for (i = 0; i < N(msrs); i++) {
		n = nla_nest_start(msg, HV_A_REGS_MSR);
		if (!n || nla_put_u32(msg, HV_A_MSR_INDEX, msrs[i].key) ||
		    nla_put_u64(msg, HV_A_MSR_VALUE,
				*CAT(regs, msrs[i].offset, uint64_t)))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	}
	if (regs->event.valid) {
		n = nla_nest_start(msg, HV_A_REGS_EVENT);
		if (!n || nla_put_u32(msg, HV_A_EVENT_TYPE, regs->event.type) ||
		    nla_put_u8(msg, HV_A_EVENT_VECTOR, regs->event.vector) ||
		    (regs->event.has_error &&
		     nla_put_u32(msg, HV_A_EVENT_ERROR_CODE,
				 regs->event.error_code)))
			return -EMSGSIZE;
		nla_nest_end(msg, n);
	} else if (nla_put_flag(msg, HV_A_REGS_NO_EVENT)) {
		return -EMSGSIZE;
	}
	if (nla_put_u32(msg, HV_A_REGS_INT_SHADOW, !!regs->int_shadow) ||
	    nla_put_u32(msg, HV_A_REGS_ACTIVITY, regs->activity) ||
	    nla_put(msg, HV_A_REGS_FPU, sizeof(regs->fpu), regs->fpu) ||
	    nla_put(msg, HV_A_REGS_LAPIC, sizeof(regs->lapic), regs->lapic))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static void get_segment(struct nlattr *a, struct hv_segment *s)
{
	struct nlattr *tb[HV_A_SEGMENT_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (nla_parse_nested(tb, HV_A_SEGMENT_MAX, a, NULL) < 0)
		return;
	if (tb[HV_A_SEGMENT_SELECTOR])
		s->selector = nla_get_u16(tb[HV_A_SEGMENT_SELECTOR]);
	if (tb[HV_A_SEGMENT_BASE])
		s->base = nla_get_u64(tb[HV_A_SEGMENT_BASE]);
	if (tb[HV_A_SEGMENT_LIMIT])
		s->limit = nla_get_u32(tb[HV_A_SEGMENT_LIMIT]);
	if (tb[HV_A_SEGMENT_AR])
		s->ar = nla_get_u32(tb[HV_A_SEGMENT_AR]);
}

static void get_dtable(struct nlattr *a, struct hv_dtable *d)
{
	struct nlattr *tb[HV_A_DTABLE_MAX + 1];

	if (nla_parse_nested(tb, HV_A_DTABLE_MAX, a, NULL) < 0)
		return;
	if (tb[HV_A_DTABLE_BASE])
		d->base = nla_get_u64(tb[HV_A_DTABLE_BASE]);
	if (tb[HV_A_DTABLE_LIMIT])
		d->limit = nla_get_u32(tb[HV_A_DTABLE_LIMIT]);
}

/**
 * hv_regs_parse() - read a regs nest (vcpu-get-regs)
 * @nest: the regs attribute
 * @regs: filled
 *
 * Return: 0, or -EINVAL if it is malformed.
 */
int hv_regs_parse(struct nlattr *nest, struct hv_regs *regs)
{
	struct nlattr *tb[HV_A_REGS_MAX + 1], *a;
	size_t i;
	int rem;

	memset(regs, 0, sizeof(*regs));
	if (nla_parse_nested(tb, HV_A_REGS_MAX, nest, NULL) < 0)
		return -EINVAL;
	for (i = 0; i < N(scalars); i++)
		if (tb[scalars[i].key])
			*AT(regs, scalars[i].offset, uint64_t) =
				nla_get_u64(tb[scalars[i].key]);
	for (i = 0; i < N(segments); i++)
		if (tb[segments[i].key])
			get_segment(tb[segments[i].key],
				AT(regs, segments[i].offset, struct hv_segment));
	for (i = 0; i < N(dtables); i++)
		if (tb[dtables[i].key])
			get_dtable(tb[dtables[i].key],
				   AT(regs, dtables[i].offset, struct hv_dtable));
	nla_for_each_nested(a, nest, rem) {
		struct nlattr *m[HV_A_MSR_MAX + 1];

		if (nla_type(a) != HV_A_REGS_MSR ||
		    nla_parse_nested(m, HV_A_MSR_MAX, a, NULL) < 0 ||
		    !m[HV_A_MSR_INDEX] || !m[HV_A_MSR_VALUE])
			continue;
		for (i = 0; i < N(msrs); i++)
			if (msrs[i].key == nla_get_u32(m[HV_A_MSR_INDEX]))
				*AT(regs, msrs[i].offset, uint64_t) =
					nla_get_u64(m[HV_A_MSR_VALUE]);
	}
	if (tb[HV_A_REGS_EVENT]) {
		struct nlattr *e[HV_A_EVENT_MAX + 1];

		if (nla_parse_nested(e, HV_A_EVENT_MAX, tb[HV_A_REGS_EVENT],
				     NULL) >= 0 && e[HV_A_EVENT_TYPE] &&
		    e[HV_A_EVENT_VECTOR]) {
			regs->event.valid = 1;
			regs->event.type = nla_get_u32(e[HV_A_EVENT_TYPE]);
			regs->event.vector = nla_get_u8(e[HV_A_EVENT_VECTOR]);
			if (e[HV_A_EVENT_ERROR_CODE]) {
				regs->event.has_error = 1;
				regs->event.error_code =
					nla_get_u32(e[HV_A_EVENT_ERROR_CODE]);
			}
		}
	}
	if (tb[HV_A_REGS_INT_SHADOW])
		regs->int_shadow = nla_get_u32(tb[HV_A_REGS_INT_SHADOW]);
	if (tb[HV_A_REGS_ACTIVITY])
		regs->activity = nla_get_u32(tb[HV_A_REGS_ACTIVITY]);
	if (tb[HV_A_REGS_FPU] && nla_len(tb[HV_A_REGS_FPU]) == sizeof(regs->fpu))
		memcpy(regs->fpu, nla_data(tb[HV_A_REGS_FPU]), sizeof(regs->fpu));
	if (tb[HV_A_REGS_LAPIC] &&
	    nla_len(tb[HV_A_REGS_LAPIC]) == sizeof(regs->lapic))
		memcpy(regs->lapic, nla_data(tb[HV_A_REGS_LAPIC]),
		       sizeof(regs->lapic));
	return 0;
}
