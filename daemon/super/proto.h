/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The supervisor's request/response protocol (daemon/PROTOCOL.md): one
 * JSON object per SOCK_SEQPACKET message each way. This half parses and
 * validates requests and builds replies; it knows nothing of sockets, so
 * cmocka tests it alone.
 */
#ifndef HVD_PROTO_H
#define HVD_PROTO_H

#include <stddef.h>

#include "defs.h"

#define HVD_PROTO_MSG_MAX	(64 << 10)

struct json_object;

/**
 * enum hvd_op - what a client asks
 * @HVD_OP_VERSION: the daemon's version
 * @HVD_OP_LIST: every VM with its state
 * @HVD_OP_SHOW: one VM, with its definition
 * @HVD_OP_CREATE: a new definition (written under the definitions directory)
 * @HVD_OP_START: start a worker for the VM
 * @HVD_OP_STOP: end the VM and its worker cleanly
 * @HVD_OP_KILL: SIGKILL the VM's worker
 * @HVD_OP_PAUSE: pause the VM's vCPUs
 * @HVD_OP_RESUME: resume them
 * @HVD_OP_DESTROY: remove a stopped VM's definition
 * @HVD_OP_CONSOLE: the VM's serial console, as a file descriptor
 * @HVD_NR_OPS: the count
 */
enum hvd_op {
	HVD_OP_VERSION,
	HVD_OP_LIST,
	HVD_OP_SHOW,
	HVD_OP_CREATE,
	HVD_OP_START,
	HVD_OP_STOP,
	HVD_OP_KILL,
	HVD_OP_PAUSE,
	HVD_OP_RESUME,
	HVD_OP_DESTROY,
	HVD_OP_CONSOLE,
	HVD_NR_OPS,
};

/**
 * struct hvd_req - a validated request
 * @op: HVD_OP_*
 * @name: the VM, for every op but version and list
 * @def: for create: the definition, every key checked
 */
struct hvd_req {
	enum hvd_op op;
	char name[HVD_NAME_MAX];
	struct hvd_def def;
};

int hvd_proto_parse(const char *msg, size_t len, struct hvd_req *req,
		    char *err, size_t errlen);
const char *hvd_op_name(enum hvd_op op);
struct json_object *hvd_proto_reply(int err, const char *msg);
struct json_object *hvd_proto_def(const struct hvd_def *d);

#endif /* HVD_PROTO_H */
