// SPDX-License-Identifier: GPL-2.0
/*
 * The family validates strictly: unknown or malformed attributes, reserved
 * header bits and unknown commands are rejected with the right errno and
 * an extack message naming the problem, and the family keeps answering.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libhv.h"
#include "test_util.h"

/* Offset of the first attribute: netlink header, then genetlink header. */
#define FIRST_ATTR (NLMSG_HDRLEN + GENL_HDRLEN)

struct req {
	struct nlmsghdr n;
	struct genlmsghdr g;
	unsigned char attrs[64];
};

static size_t req_init(struct req *r, int family, uint8_t cmd)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_type = family;
	r->g.cmd = cmd;
	r->g.version = HV_FAMILY_VERSION;
	r->n.nlmsg_len = FIRST_ATTR;
	return FIRST_ATTR;
}

/* Append an attribute whose nla_len field may lie about its size. */
static void req_attr(struct req *r, uint16_t type, uint16_t nla_len,
		     const void *data, size_t dlen)
{
	unsigned char *p = (unsigned char *)r + r->n.nlmsg_len;
	struct nlattr a = { .nla_len = nla_len, .nla_type = type };

	memcpy(p, &a, sizeof(a));
	memcpy(p + sizeof(a), data, dlen);
	r->n.nlmsg_len += NLA_ALIGN(sizeof(a) + dlen);
}

FIXTURE(nl) {
	struct hv *h;
	struct req r;
};

FIXTURE_SETUP(nl)
{
	ASSERT_EQ(0, hv_open(&self->h));
	req_init(&self->r, hv_family_id(self->h), HV_CMD_GET_INFO);
}

FIXTURE_TEARDOWN(nl)
{
	struct hv_info info;

	/* Whatever was sent, the family still answers. */
	EXPECT_EQ(0, hv_get_info(self->h, &info));
	EXPECT_TRUE(info.backend == HV_BACKEND_VMX ||
		    info.backend == HV_BACKEND_SVM);
	hv_close(self->h);
}

static int send_req(struct hv *h, struct req *r)
{
	return hv_transact_raw(h, r, r->n.nlmsg_len, NULL, NULL);
}

TEST_F(nl, plain_request_succeeds)
{
	EXPECT_EQ(0, send_req(self->h, &self->r));
}

TEST_F(nl, unknown_attribute_is_rejected)
{
	uint32_t v = 1;

	req_attr(&self->r, 200, NLA_HDRLEN + 4, &v, 4);
	EXPECT_EQ(-EINVAL, send_req(self->h, &self->r));
	EXPECT_STREQ("Unknown attribute type", hv_errmsg(self->h));
	EXPECT_EQ(FIRST_ATTR, hv_err_offset(self->h));
}

TEST_F(nl, reply_attribute_in_request_is_rejected)
{
	uint32_t v = HV_BACKEND_SVM;

	req_attr(&self->r, HV_A_INFO_BACKEND, NLA_HDRLEN + 4, &v, 4);
	EXPECT_EQ(-EINVAL, send_req(self->h, &self->r));
	EXPECT_STREQ("get-info takes no attributes", hv_errmsg(self->h));
	EXPECT_EQ(FIRST_ATTR, hv_err_offset(self->h));
}

TEST_F(nl, attribute_shorter_than_its_header_is_rejected)
{
	uint32_t v = 1;

	req_attr(&self->r, HV_A_INFO_BACKEND, 2, &v, 4);
	EXPECT_EQ(-EINVAL, send_req(self->h, &self->r));
	EXPECT_STREQ("bytes leftover after parsing attributes",
		     hv_errmsg(self->h));
}

TEST_F(nl, attribute_longer_than_the_message_is_rejected)
{
	uint32_t v = 1;

	req_attr(&self->r, HV_A_INFO_BACKEND, 200, &v, 4);
	EXPECT_EQ(-EINVAL, send_req(self->h, &self->r));
	EXPECT_STREQ("bytes leftover after parsing attributes",
		     hv_errmsg(self->h));
}

TEST_F(nl, reserved_header_field_is_rejected)
{
	self->r.g.reserved = 1;
	EXPECT_EQ(-EINVAL, send_req(self->h, &self->r));
	EXPECT_STREQ("genlmsghdr.reserved field is not 0", hv_errmsg(self->h));
}

TEST_F(nl, reserved_netlink_flags_are_rejected)
{
	self->r.n.nlmsg_flags = NLM_F_CREATE;
	EXPECT_EQ(-EINVAL, send_req(self->h, &self->r));
	EXPECT_STREQ("ambiguous or reserved bits set in nlmsg_flags",
		     hv_errmsg(self->h));
}

TEST_F(nl, unknown_command_is_rejected)
{
	self->r.g.cmd = 250;
	EXPECT_EQ(-EOPNOTSUPP, send_req(self->h, &self->r));
}

TEST_F(nl, dump_of_get_info_is_not_supported)
{
	self->r.n.nlmsg_flags = NLM_F_DUMP;
	EXPECT_EQ(-EOPNOTSUPP, send_req(self->h, &self->r));
}

HV_TEST_HARNESS_MAIN
