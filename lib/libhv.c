// SPDX-License-Identifier: GPL-2.0
/*
 * libhv: connection to the hv family, request/reply with extended ACKs,
 * and the reply parsers. libnl builds and parses messages; errors are
 * taken from the kernel's NLMSG_ERROR (errno and extack message) rather
 * than from libnl's own codes, so callers see precise errnos.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libhv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* An exit or notice that arrived while something else was awaited. */
struct queued {
	struct queued *next;
	size_t len;
	unsigned char msg[];
};

struct hv {
	struct nl_sock *sk;
	int family;
	char errmsg[256];
	uint32_t err_offset;
	struct queued *head, *tail;
};

/* The state of one request while its replies are read. */
struct request {
	struct hv *h;
	uint32_t seq;
	int (*parse)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int err;
	int done;
};

static int nle_to_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_MSGSIZE:
	case NLE_MSG_TRUNC:
		return -EMSGSIZE;
	case NLE_INVAL:
	case NLE_RANGE:
		return -EINVAL;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_NODEV:
		return -ENODEV;
	default:
		return -EIO;
	}
}

/*
 * The kernel appends extack TLVs after the (capped) request when it sets
 * NLM_F_ACK_TLVS (Documentation/userspace-api/netlink/intro.rst).
 */
static void read_extack(struct hv *h, struct nlmsghdr *nlh)
{
	struct nlmsgerr *e = nlmsg_data(nlh);
	size_t off = sizeof(*e);
	struct nlattr *a;
	int rem;

	h->errmsg[0] = '\0';
	h->err_offset = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (NLMSG_HDRLEN + off > nlh->nlmsg_len)
		return;
	a = (struct nlattr *)((char *)e + NLMSG_ALIGN(off));
	rem = nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(off);
	for (; nla_ok(a, rem); a = nla_next(a, &rem)) {
		switch (nla_type(a)) {
		case NLMSGERR_ATTR_MSG:
			snprintf(h->errmsg, sizeof(h->errmsg), "%.*s",
				 (int)strnlen(nla_data(a), nla_len(a)),
				 (char *)nla_data(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla_len(a) >= 4)
				h->err_offset = nla_get_u32(a);
			break;
		}
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct request *rq = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	if (nlh->nlmsg_seq != rq->seq || !rq->seq)
		return NL_SKIP;

	read_extack(rq->h, nlh);
	rq->err = e->error;	/* the kernel's errno wins over a parser's */
	rq->done = 1;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct request *rq = arg;

	if (nlmsg_hdr(msg)->nlmsg_seq != rq->seq || !rq->seq)
		return NL_OK;
	rq->done = 1;
	return NL_STOP;
}

/* Messages the kernel sends on its own (seq 0) wait for hv_next_message(). */
static int queue_event(struct hv *h, struct nlmsghdr *nlh)
{
	struct queued *q = malloc(sizeof(*q) + nlh->nlmsg_len);

	if (!q)
		return -ENOMEM;
	q->next = NULL;
	q->len = nlh->nlmsg_len;
	memcpy(q->msg, nlh, nlh->nlmsg_len);
	if (h->tail)
		h->tail->next = q;
	else
		h->head = q;
	h->tail = q;
	return 0;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *rq = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	if (nlh->nlmsg_seq != rq->seq || !rq->seq) {
		if (nlh->nlmsg_type == rq->h->family && queue_event(rq->h, nlh))
			rq->err = -ENOMEM;
		return NL_SKIP;
	}
	if (!rq->parse || rq->err)
		return NL_SKIP;
	err = rq->parse(nlmsg_hdr(msg), rq->arg);
	/* Keep reading to the ACK, so no reply is left for the next request. */
	if (err < 0)
		rq->err = err;
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/* Callbacks that route replies to @rq and queue exits and notices. */
static struct nl_cb *callbacks(struct request *rq)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	/* Events carry seq 0: libhv matches sequence numbers itself. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, rq);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, rq);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, rq);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, rq);
	return cb;
}

static int receive(struct hv *h, struct request *rq)
{
	struct nl_cb *cb;
	int err = 0;

	cb = callbacks(rq);
	if (!cb)
		return -ENOMEM;

	/* Every request asks for an ACK, so the loop ends on ACK or error. */
	while (!rq->done) {
		err = nl_recvmsgs(h->sk, cb);
		if (err < 0) {
			if (!rq->err)
				rq->err = nle_to_errno(err);
			break;
		}
	}
	nl_cb_put(cb);
	return rq->err;
}

/* What every connection's socket needs, whoever opened it. */
static int setup(struct nl_sock *sk)
{
	int one = 1;
	int err;

	/* Ask for extack messages, without an echo of our own request. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	/*
	 * hv holds an exit back while the owner's queue is full and sends
	 * it later, losing nothing; netlink still flags that refusal as an
	 * overrun, which would fail the next receive with ENOBUFS.
	 */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_NO_ENOBUFS,
		   &one, sizeof(one));
	/*
	 * Exits and notices arrive with sequence number 0 between replies:
	 * libhv matches replies itself. Replies of mem-read are large.
	 */
	nl_socket_disable_seq_check(sk);
	nl_socket_enable_msg_peek(sk);
	/*
	 * libnl's default receive buffer (32 KiB) is smaller than a mem-read
	 * reply; exits of many vCPUs queue here too.
	 */
	err = nl_socket_set_buffer_size(sk, 1 << 20, 1 << 20);
	return err < 0 ? nle_to_errno(err) : 0;
}

/**
 * hv_open() - connect to the hv family
 * @out: receives the connection
 *
 * Return: 0; -ENOENT if the family is not registered (module not loaded);
 * -ENOMEM; another negative errno if the netlink socket fails.
 */
int hv_open(struct hv **out)
{
	struct hv *h;
	int err;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		free(h);
		return -ENOMEM;
	}
	err = genl_connect(h->sk);
	if (err < 0) {
		err = nle_to_errno(err);
		goto err_free;
	}
	err = setup(h->sk);
	if (err)
		goto err_free;

	h->family = genl_ctrl_resolve(h->sk, HV_FAMILY_NAME);
	if (h->family < 0) {
		err = h->family == -NLE_OBJ_NOTFOUND ? -ENOENT :
						       nle_to_errno(h->family);
		goto err_free;
	}
	*out = h;
	return 0;

err_free:
	nl_socket_free(h->sk);
	free(h);
	return err;
}

/**
 * hv_open_fd() - a connection on a socket another process opened
 * @fd: a generic netlink socket, such as a VM's owner socket received
 *	over SCM_RIGHTS; the connection takes it over on success (as a
 *	close-on-exec descriptor that hv_close() closes), a failure leaves
 *	it as it was
 * @out: receives the connection
 *
 * The socket stays what it was: its port id, and the VMs it owns, which
 * the kernel ties to the socket, not to a process. Whoever else holds it
 * must leave it alone meanwhile: replies and exits go to whichever holder
 * reads first.
 *
 * Return: 0; -EINVAL if @fd is not a generic netlink socket; -EBADF if it
 * is not open; the errors of hv_open().
 */
int hv_open_fd(int fd, struct hv **out)
{
	struct nl_sock *sk;
	struct hv *h;
	int err, own;

	/* The family's id, asked on a socket of our own: @fd may hold exits. */
	err = hv_open(&h);
	if (err)
		return err;
	/* A copy, so that a failure below leaves @fd as it was. */
	own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own < 0) {
		err = -errno;
		goto err_close;
	}
	sk = nl_socket_alloc();
	if (!sk) {
		close(own);
		err = -ENOMEM;
		goto err_close;
	}
	/* @fd is open (it was copied): any refusal means the wrong kind. */
	if (nl_socket_set_fd(sk, NETLINK_GENERIC, own) < 0) {
		close(own);
		nl_socket_free(sk);
		err = -EINVAL;
		goto err_close;
	}
	err = setup(sk);
	if (err) {
		nl_socket_free(sk);
		goto err_close;
	}
	nl_socket_free(h->sk);
	h->sk = sk;
	close(fd);
	*out = h;
	return 0;

err_close:
	hv_close(h);
	return err;
}

/**
 * hv_close() - close a connection; the kernel destroys the VMs it owns
 * @h: the connection, or NULL
 */
void hv_close(struct hv *h)
{
	struct queued *q;

	if (!h)
		return;
	while ((q = h->head)) {
		h->head = q->next;
		free(q);
	}
	nl_socket_free(h->sk);
	free(h);
}

/**
 * hv_fd() - the connection's socket, for poll()
 * @h: the connection
 *
 * Readable when an event may be waiting; hv_next_message() may still find
 * none (a reply to an earlier request, say). Events that arrive while a
 * request waits for its reply are queued in the connection and do not
 * make the socket readable: take them with hv_next_message(@h, ev, 0) until
 * it returns -ETIMEDOUT before polling.
 *
 * Return: the file descriptor.
 */
int hv_fd(const struct hv *h)
{
	return nl_socket_get_fd(h->sk);
}

/**
 * hv_portid() - the connection's netlink port id (owner of its VMs)
 * @h: the connection
 *
 * Return: the port id.
 */
uint32_t hv_portid(const struct hv *h)
{
	return nl_socket_get_local_port(h->sk);
}

/**
 * hv_errmsg() - the extack message of the last failed request
 * @h: the connection
 *
 * Return: the message, or "" if the kernel sent none.
 */
const char *hv_errmsg(const struct hv *h)
{
	return h->errmsg;
}

/**
 * hv_err_offset() - offset of the offending attribute in the last request
 * @h: the connection
 *
 * Return: the byte offset from the start of the netlink header, 0 if none.
 */
uint32_t hv_err_offset(const struct hv *h)
{
	return h->err_offset;
}

/**
 * hv_family_id() - the generic netlink id of the family
 * @h: the connection
 *
 * Return: the id, for use as nlmsg_type of hand-made requests.
 */
int hv_family_id(const struct hv *h)
{
	return h->family;
}

/**
 * hv_msg_new() - start a request of the family
 * @h: the connection
 * @cmd: HV_CMD_*
 * @flags: extra netlink flags (NLM_F_DUMP); NLM_F_REQUEST|NLM_F_ACK are added
 *
 * Return: the message, or NULL if out of memory.
 */
struct nl_msg *hv_msg_new(struct hv *h, uint8_t cmd, int flags)
{
	return hv_msg_new_size(h, cmd, flags, 0);
}

/**
 * hv_msg_new_size() - start a request with room for a large payload
 * @h: the connection
 * @cmd: HV_CMD_*
 * @flags: extra netlink flags
 * @payload: bytes of attributes to make room for (0: the default page)
 *
 * Return: the message, or NULL if out of memory.
 */
struct nl_msg *hv_msg_new_size(struct hv *h, uint8_t cmd, int flags,
			       size_t payload)
{
	struct nl_msg *msg = payload ? nlmsg_alloc_size(payload + 4096) :
				       nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
			 flags | NLM_F_ACK, cmd, HV_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * hv_transact() - send a request, read replies until the ACK or the error
 * @h: the connection
 * @msg: the request (from hv_msg_new()); always freed
 * @parse: called for each reply message, may be NULL; a negative return
 *	stops the transaction with that errno
 * @arg: passed to @parse
 *
 * Return: 0, or the negative errno of the kernel (hv_errmsg() has its
 * message) or of @parse.
 */
int hv_transact(struct hv *h, struct nl_msg *msg,
		int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct request rq = { .h = h, .parse = parse, .arg = arg };
	int err;

	h->errmsg[0] = '\0';
	h->err_offset = 0;
	err = nl_send_auto(h->sk, msg);
	rq.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);
	if (err < 0)
		return nle_to_errno(err);
	return receive(h, &rq);
}

/**
 * hv_transact_raw() - send a hand-made request and read its replies
 * @h: the connection
 * @buf: a complete netlink message; its pid and sequence number are set here
 * @len: its length
 * @parse: as for hv_transact()
 * @arg: passed to @parse
 *
 * For tests of the kernel's validation: requests libnl would not build.
 *
 * Return: as hv_transact().
 */
int hv_transact_raw(struct hv *h, void *buf, size_t len,
		    int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct request rq = { .h = h, .parse = parse, .arg = arg };
	struct nlmsghdr *nlh = buf;
	int err;

	h->errmsg[0] = '\0';
	h->err_offset = 0;
	nlh->nlmsg_pid = nl_socket_get_local_port(h->sk);
	nlh->nlmsg_seq = nl_socket_use_seq(h->sk);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	rq.seq = nlh->nlmsg_seq;
	err = nl_sendto(h->sk, buf, len);
	if (err < 0)
		return nle_to_errno(err);
	return receive(h, &rq);
}

/**
 * hv_info_parse() - parse a get-info reply
 * @nlh: the reply
 * @info: filled; attributes a newer module adds are ignored
 *
 * Return: 0, or -EINVAL if an attribute has the wrong size.
 */
int hv_info_parse(struct nlmsghdr *nlh, struct hv_info *info)
{
	static struct nla_policy policy[HV_A_INFO_MAX + 1] = {
		[HV_A_INFO_BACKEND] = { .type = NLA_U32 },
		[HV_A_INFO_VERSION] = { .type = NLA_STRING },
		[HV_A_INFO_CAPS] = { .type = NLA_U64 },
		[HV_A_INFO_TLB_TAGS] = { .type = NLA_U32 },
		[HV_A_INFO_HW_REVISION] = { .type = NLA_U32 },
		[HV_A_INFO_L1TF] = { .type = NLA_U32 },
		[HV_A_INFO_L1D_FLUSH_MODE] = { .type = NLA_U32 },
		[HV_A_INFO_L1D_FLUSH] = { .type = NLA_U32 },
		[HV_A_INFO_L1D_FLUSH_METHOD] = { .type = NLA_U32 },
		[HV_A_INFO_L1D_FLUSH_REASON] = { .type = NLA_STRING },
		[HV_A_INFO_MITIGATIONS] = { .type = NLA_U64 },
		[HV_A_INFO_MAX_VMS] = { .type = NLA_U32 },
		[HV_A_INFO_MAX_VCPUS] = { .type = NLA_U32 },
		[HV_A_INFO_MAX_MEM] = { .type = NLA_U64 },
		[HV_A_INFO_DIRTY_METHOD] = { .type = NLA_STRING },
		[HV_A_INFO_DIRTY_REASON] = { .type = NLA_STRING },
		[HV_A_INFO_RING_POLL_NS] = { .type = NLA_U32 },
		[HV_A_INFO_APICV] = { .type = NLA_STRING },
		[HV_A_INFO_APIC_TIMER] = { .type = NLA_STRING },
		[HV_A_INFO_APICV_REASON] = { .type = NLA_STRING },
	};
	struct nlattr *tb[HV_A_INFO_MAX + 1];
	int i;

	memset(info, 0, sizeof(*info));
	if (genlmsg_parse(nlh, 0, tb, HV_A_INFO_MAX, policy) < 0)
		return -EINVAL;
	for (i = 1; i <= HV_A_INFO_MAX; i++)
		if (tb[i])
			info->present |= 1ULL << i;

	if (tb[HV_A_INFO_BACKEND])
		info->backend = nla_get_u32(tb[HV_A_INFO_BACKEND]);
	if (tb[HV_A_INFO_VERSION])
		nla_strlcpy(info->version, tb[HV_A_INFO_VERSION],
			    sizeof(info->version));
	if (tb[HV_A_INFO_CAPS])
		info->caps = nla_get_u64(tb[HV_A_INFO_CAPS]);
	if (tb[HV_A_INFO_TLB_TAGS])
		info->tlb_tags = nla_get_u32(tb[HV_A_INFO_TLB_TAGS]);
	if (tb[HV_A_INFO_HW_REVISION])
		info->hw_revision = nla_get_u32(tb[HV_A_INFO_HW_REVISION]);
	if (tb[HV_A_INFO_L1TF])
		info->l1tf = nla_get_u32(tb[HV_A_INFO_L1TF]);
	if (tb[HV_A_INFO_L1D_FLUSH_MODE])
		info->l1d_flush_mode = nla_get_u32(tb[HV_A_INFO_L1D_FLUSH_MODE]);
	if (tb[HV_A_INFO_L1D_FLUSH])
		info->l1d_flush = nla_get_u32(tb[HV_A_INFO_L1D_FLUSH]);
	if (tb[HV_A_INFO_L1D_FLUSH_METHOD])
		info->l1d_flush_method =
			nla_get_u32(tb[HV_A_INFO_L1D_FLUSH_METHOD]);
	if (tb[HV_A_INFO_L1D_FLUSH_REASON])
		nla_strlcpy(info->l1d_flush_reason,
			    tb[HV_A_INFO_L1D_FLUSH_REASON],
			    sizeof(info->l1d_flush_reason));
	if (tb[HV_A_INFO_MITIGATIONS])
		info->mitigations = nla_get_u64(tb[HV_A_INFO_MITIGATIONS]);
	if (tb[HV_A_INFO_MAX_VMS])
		info->max_vms = nla_get_u32(tb[HV_A_INFO_MAX_VMS]);
	if (tb[HV_A_INFO_MAX_VCPUS])
		info->max_vcpus = nla_get_u32(tb[HV_A_INFO_MAX_VCPUS]);
	if (tb[HV_A_INFO_MAX_MEM])
		info->max_mem = nla_get_u64(tb[HV_A_INFO_MAX_MEM]);
	if (tb[HV_A_INFO_DIRTY_METHOD])
		nla_strlcpy(info->dirty_method, tb[HV_A_INFO_DIRTY_METHOD],
			    sizeof(info->dirty_method));
	if (tb[HV_A_INFO_DIRTY_REASON])
		nla_strlcpy(info->dirty_reason, tb[HV_A_INFO_DIRTY_REASON],
			    sizeof(info->dirty_reason));
	if (tb[HV_A_INFO_RING_POLL_NS])
		info->ring_poll_ns = nla_get_u32(tb[HV_A_INFO_RING_POLL_NS]);
	if (tb[HV_A_INFO_APICV])
		nla_strlcpy(info->apicv, tb[HV_A_INFO_APICV],
			    sizeof(info->apicv));
	if (tb[HV_A_INFO_APICV_REASON])
		nla_strlcpy(info->apicv_reason, tb[HV_A_INFO_APICV_REASON],
			    sizeof(info->apicv_reason));
	if (tb[HV_A_INFO_APIC_TIMER])
		nla_strlcpy(info->apic_timer, tb[HV_A_INFO_APIC_TIMER],
			    sizeof(info->apic_timer));
	return 0;
}

static int parse_info(struct nlmsghdr *nlh, void *arg)
{
	return hv_info_parse(nlh, arg);
}

/**
 * hv_get_info() - ask the module what it and the host offer
 * @h: the connection
 * @info: filled from the reply
 *
 * Return: 0, or a negative errno (hv_errmsg() says why).
 */
int hv_get_info(struct hv *h, struct hv_info *info)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_GET_INFO, 0);

	if (!msg)
		return -ENOMEM;
	memset(info, 0, sizeof(*info));
	return hv_transact(h, msg, parse_info, info);
}

/**
 * hv_set_l1d_flush() - change the L1D flush mode at run time
 * @h: the connection (CAP_NET_ADMIN)
 * @mode: an HV_L1D_FLUSH_MODE_* value
 * @info: filled with the module's report after the change
 *
 * Return: 0, or a negative errno (hv_errmsg() says why).
 */
int hv_set_l1d_flush(struct hv *h, uint32_t mode, struct hv_info *info)
{
	struct nl_msg *msg = hv_msg_new(h, HV_CMD_SET_INFO, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, HV_A_INFO_L1D_FLUSH_MODE, mode)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	memset(info, 0, sizeof(*info));
	return hv_transact(h, msg, parse_info, info);
}

/**
 * hv_subscribe_notices() - receive the notify group's notices on @h
 * @h: the connection
 *
 * Notices the kernel dropped because @h's queue was full then fail the
 * next receive with -ENOMEM (netlink's ENOBUFS).
 *
 * Return: 0, or a negative errno.
 */
int hv_subscribe_notices(struct hv *h)
{
	int grp = genl_ctrl_resolve_grp(h->sk, HV_FAMILY_NAME, HV_MCGRP_NOTIFY);
	int zero = 0;

	if (grp < 0)
		return nle_to_errno(grp);
	/* Multicast notices are dropped when the queue is full: say so. */
	setsockopt(nl_socket_get_fd(h->sk), SOL_NETLINK, NETLINK_NO_ENOBUFS,
		   &zero, sizeof(zero));
	return nle_to_errno(nl_socket_add_membership(h->sk, grp));
}

/**
 * hv_message_parse() - parse an exit or notice message
 * @nlh: the message
 * @ev: filled
 *
 * Return: 0; -EINVAL if it is malformed; -ENOMSG if it is neither.
 */
int hv_message_parse(struct nlmsghdr *nlh, struct hv_message *ev)
{
	static struct nla_policy exit_policy[HV_A_EXIT_MAX + 1] = {
		[HV_A_EXIT_VM_ID] = { .type = NLA_U32 },
		[HV_A_EXIT_VCPU_ID] = { .type = NLA_U32 },
		[HV_A_EXIT_SEQ] = { .type = NLA_U64 },
		[HV_A_EXIT_REASON] = { .type = NLA_U32 },
		[HV_A_EXIT_DIR] = { .type = NLA_U32 },
		[HV_A_EXIT_PORT] = { .type = NLA_U16 },
		[HV_A_EXIT_GPA] = { .type = NLA_U64 },
		[HV_A_EXIT_SIZE] = { .type = NLA_U8 },
		[HV_A_EXIT_DATA] = { .type = NLA_U64 },
		[HV_A_EXIT_RIP] = { .type = NLA_U64 },
		[HV_A_EXIT_MSR] = { .type = NLA_U32 },
		[HV_A_EXIT_RFLAGS] = { .type = NLA_U64 },
		[HV_A_EXIT_VECTOR] = { .type = NLA_U8 },
	};
	static struct nla_policy notice_policy[HV_A_NOTICE_MAX + 1] = {
		[HV_A_NOTICE_VM_ID] = { .type = NLA_U32 },
		[HV_A_NOTICE_VM_NAME] = { .type = NLA_STRING },
		[HV_A_NOTICE_EVENT] = { .type = NLA_U32 },
		[HV_A_NOTICE_REASON] = { .type = NLA_STRING },
	};
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *tb[HV_A_EXIT_MAX + 1];

	memset(ev, 0, sizeof(*ev));
	ev->cmd = g->cmd;
	if (g->cmd == HV_CMD_EXIT) {
		if (genlmsg_parse(nlh, 0, tb, HV_A_EXIT_MAX, exit_policy) < 0)
			return -EINVAL;
		if (!tb[HV_A_EXIT_VM_ID] || !tb[HV_A_EXIT_VCPU_ID] ||
		    !tb[HV_A_EXIT_SEQ] || !tb[HV_A_EXIT_REASON])
			return -EINVAL;
		ev->vm = nla_get_u32(tb[HV_A_EXIT_VM_ID]);
		ev->vcpu = nla_get_u32(tb[HV_A_EXIT_VCPU_ID]);
		ev->seq = nla_get_u64(tb[HV_A_EXIT_SEQ]);
		ev->reason = nla_get_u32(tb[HV_A_EXIT_REASON]);
		if (tb[HV_A_EXIT_DIR])
			ev->dir = nla_get_u32(tb[HV_A_EXIT_DIR]);
		if (tb[HV_A_EXIT_PORT])
			ev->port = nla_get_u16(tb[HV_A_EXIT_PORT]);
		if (tb[HV_A_EXIT_GPA])
			ev->gpa = nla_get_u64(tb[HV_A_EXIT_GPA]);
		if (tb[HV_A_EXIT_SIZE])
			ev->size = nla_get_u8(tb[HV_A_EXIT_SIZE]);
		if (tb[HV_A_EXIT_DATA])
			ev->data = nla_get_u64(tb[HV_A_EXIT_DATA]);
		if (tb[HV_A_EXIT_RIP])
			ev->rip = nla_get_u64(tb[HV_A_EXIT_RIP]);
		if (tb[HV_A_EXIT_MSR])
			ev->msr = nla_get_u32(tb[HV_A_EXIT_MSR]);
		if (tb[HV_A_EXIT_RFLAGS])
			ev->rflags = nla_get_u64(tb[HV_A_EXIT_RFLAGS]);
		if (tb[HV_A_EXIT_VECTOR])
			ev->vector = nla_get_u8(tb[HV_A_EXIT_VECTOR]);
		return 0;
	}
	if (g->cmd == HV_CMD_NOTICE) {
		if (genlmsg_parse(nlh, 0, tb, HV_A_NOTICE_MAX, notice_policy) < 0 ||
		    !tb[HV_A_NOTICE_VM_ID] || !tb[HV_A_NOTICE_EVENT])
			return -EINVAL;
		ev->vm = nla_get_u32(tb[HV_A_NOTICE_VM_ID]);
		ev->notice = nla_get_u32(tb[HV_A_NOTICE_EVENT]);
		if (tb[HV_A_NOTICE_VM_NAME])
			nla_strlcpy(ev->name, tb[HV_A_NOTICE_VM_NAME],
				    sizeof(ev->name));
		if (tb[HV_A_NOTICE_REASON])
			nla_strlcpy(ev->reason_text, tb[HV_A_NOTICE_REASON],
				    sizeof(ev->reason_text));
		return 0;
	}
	return -ENOMSG;
}

/* Read what the socket has, waiting up to @timeout_ms; events are queued. */
static int receive_events(struct hv *h, int timeout_ms)
{
	struct pollfd p = { .fd = hv_fd(h), .events = POLLIN };
	struct request rq = { .h = h };
	struct nl_cb *cb;
	int err;

	do {
		err = poll(&p, 1, timeout_ms);
	} while (err < 0 && errno == EINTR);
	if (err < 0)
		return -errno;
	if (err == 0)
		return -ETIMEDOUT;
	cb = callbacks(&rq);
	if (!cb)
		return -ENOMEM;
	err = nl_recvmsgs(h->sk, cb);
	nl_cb_put(cb);
	if (rq.err)
		return rq.err;
	if (err < 0)
		return nle_to_errno(err);
	return 0;
}

/* Unlink @q (after @prev, or the head) from the queue and parse it. */
static int take(struct hv *h, struct queued *prev, struct queued *q,
		struct hv_message *ev)
{
	int err;

	if (prev)
		prev->next = q->next;
	else
		h->head = q->next;
	if (h->tail == q)
		h->tail = prev;
	err = hv_message_parse((struct nlmsghdr *)q->msg, ev);
	free(q);
	return err;
}

/**
 * hv_next_message() - the next exit or notice, waiting up to a limit
 * @h: the connection
 * @ev: filled
 * @timeout_ms: how long to wait; negative waits for ever, 0 only looks
 *
 * Return: 0; -ETIMEDOUT if none came in time; another negative errno.
 */
int hv_next_message(struct hv *h, struct hv_message *ev, int timeout_ms)
{
	int err;

	while (!h->head) {
		err = receive_events(h, timeout_ms);
		if (err)
			return err;
	}
	return take(h, NULL, h->head, ev);
}

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/**
 * hv_next_exit() - the next exit of one vCPU, leaving other messages queued
 * @h: the connection (the owner)
 * @vm: the VM
 * @vcpu: the vCPU
 * @ev: filled
 * @timeout_ms: how long to wait; negative waits for ever, 0 only looks
 *
 * Return: 0; -ETIMEDOUT if none came in time; another negative errno.
 */
int hv_next_exit(struct hv *h, uint32_t vm, uint32_t vcpu,
		 struct hv_message *ev, int timeout_ms)
{
	int64_t deadline = ms_now() + timeout_ms, left = timeout_ms;
	struct queued *prev, *q;
	struct genlmsghdr *g;
	int err;

	for (;;) {
		for (prev = NULL, q = h->head; q; prev = q, q = q->next) {
			g = nlmsg_data((struct nlmsghdr *)q->msg);
			if (g->cmd != HV_CMD_EXIT ||
			    hv_message_parse((struct nlmsghdr *)q->msg, ev) ||
			    ev->vm != vm || ev->vcpu != vcpu)
				continue;
			return take(h, prev, q, ev);
		}
		if (timeout_ms >= 0) {
			left = deadline - ms_now();
			if (left < 0)
				left = 0;
		}
		err = receive_events(h, timeout_ms < 0 ? -1 : (int)left);
		if (err)
			return err;
	}
}
