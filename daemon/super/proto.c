// SPDX-License-Identifier: GPL-2.0
/*
 * Requests and replies of the supervisor's socket (proto.h,
 * daemon/PROTOCOL.md). A client is not trusted: every member is checked
 * for its type, every unknown member refused, and a definition goes
 * through the same checks as a definition file.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "super/proto.h"

static const char *const op_names[HVD_NR_OPS] = {
	[HVD_OP_VERSION] = "version",	[HVD_OP_LIST] = "list",
	[HVD_OP_SHOW] = "show",		[HVD_OP_CREATE] = "create",
	[HVD_OP_START] = "start",	[HVD_OP_STOP] = "stop",
	[HVD_OP_KILL] = "kill",		[HVD_OP_PAUSE] = "pause",
	[HVD_OP_RESUME] = "resume",	[HVD_OP_DESTROY] = "destroy",
	[HVD_OP_CONSOLE] = "console",
};

/* The definition keys a create may carry (name comes from "name"). */
static const char *const def_keys[] = {
	"kernel", "initrd", "cmdline", "vcpus", "memory", "serial",
	"on-reboot", "restart-on-crash", "autostart", "disk", "rng",
	"virtio-console", "net", "sandbox",
};

/**
 * hvd_op_name() - the protocol's name of an op
 * @op: HVD_OP_*
 *
 * Return: the name, or "?" for no op.
 */
const char *hvd_op_name(enum hvd_op op)
{
	return (unsigned int)op < HVD_NR_OPS ? op_names[op] : "?";
}

static bool is_def_key(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(def_keys) / sizeof(def_keys[0]); i++)
		if (!strcmp(key, def_keys[i]))
			return true;
	return false;
}

static int set_disks(struct json_object *a, struct hvd_req *req, char *err,
		     size_t errlen)
{
	char why[512];
	size_t i;

	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		if (!json_object_is_type(v, json_type_string)) {
			snprintf(err, errlen,
				 "definition: \"disk\" must be a string or an array of strings");
			return -EINVAL;
		}
		if (hvd_def_set(&req->def, "disk", json_object_get_string(v),
				why, sizeof(why))) {
			snprintf(err, errlen, "definition: %s", why);
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_def(struct json_object *o, struct hvd_req *req, char *err,
		     size_t errlen)
{
	char why[512];

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "\"definition\" must be an object");
		return -EINVAL;
	}
	json_object_object_foreach(o, key, val) {
		if (!is_def_key(key)) {
			snprintf(err, errlen, "definition: unknown key \"%.64s\"",
				 key);
			return -EINVAL;
		}
		/* "disk": one string, or an array of them (one per disk). */
		if (!strcmp(key, "disk") &&
		    json_object_is_type(val, json_type_array)) {
			if (set_disks(val, req, err, errlen))
				return -EINVAL;
			continue;
		}
		if (!json_object_is_type(val, json_type_string)) {
			snprintf(err, errlen,
				 "definition: \"%s\" must be a string", key);
			return -EINVAL;
		}
		if (hvd_def_set(&req->def, key, json_object_get_string(val),
				why, sizeof(why))) {
			snprintf(err, errlen, "definition: %s", why);
			return -EINVAL;
		}
	}
	if (hvd_def_check(&req->def, why, sizeof(why))) {
		snprintf(err, errlen, "definition: %s", why);
		return -EINVAL;
	}
	return 0;
}

static int parse_op(struct json_object *o, struct hvd_req *req, char *err,
		    size_t errlen)
{
	const char *s;
	int i;

	if (!json_object_is_type(o, json_type_string)) {
		snprintf(err, errlen, "\"op\" must be a string");
		return -EINVAL;
	}
	s = json_object_get_string(o);
	for (i = 0; i < HVD_NR_OPS; i++) {
		if (!strcmp(s, op_names[i])) {
			req->op = i;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown op \"%.32s\"", s);
	return -EOPNOTSUPP;
}

static int parse_name(struct json_object *o, struct hvd_req *req, char *err,
		      size_t errlen)
{
	const char *s;

	if (!json_object_is_type(o, json_type_string)) {
		snprintf(err, errlen, "\"name\" must be a string");
		return -EINVAL;
	}
	s = json_object_get_string(o);
	if (!hvd_name_valid(s)) {
		snprintf(err, errlen,
			 "bad VM name \"%.40s\" (1 to %d letters, digits, '-', '_' or '.', not first)",
			 s, HVD_NAME_MAX - 1);
		return -EINVAL;
	}
	snprintf(req->name, sizeof(req->name), "%s", s);
	return 0;
}

/**
 * hvd_proto_parse() - parse and check one request
 * @msg: the message (not NUL-terminated)
 * @len: its length
 * @req: receives the request
 * @err: receives the reason of a refusal
 * @errlen: its size
 *
 * Return: 0, or a negative errno with @err set: -EINVAL for a malformed
 * request, -EOPNOTSUPP for an unknown op.
 */
int hvd_proto_parse(const char *msg, size_t len, struct hvd_req *req,
		    char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *o, *def = NULL;
	enum json_tokener_error jerr;
	bool have_op = false, have_name = false;
	int ret = 0;

	memset(req, 0, sizeof(*req));
	hvd_def_init(&req->def);
	if (len > HVD_PROTO_MSG_MAX) {
		snprintf(err, errlen, "request longer than %d bytes",
			 HVD_PROTO_MSG_MAX);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* RFC 8259 JSON: no trailing commas, no single quotes. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, msg, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!o || jerr != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		snprintf(err, errlen, "not one JSON object: %s",
			 jerr == json_tokener_success ? "trailing bytes" :
			 jerr == json_tokener_continue ? "it ends early" :
			 json_tokener_error_desc(jerr));
		ret = -EINVAL;
		goto out;
	}
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "the request must be a JSON object");
		ret = -EINVAL;
		goto out;
	}
	json_object_object_foreach(o, key, val) {
		if (!strcmp(key, "op")) {
			ret = parse_op(val, req, err, errlen);
			have_op = true;
		} else if (!strcmp(key, "name")) {
			ret = parse_name(val, req, err, errlen);
			have_name = true;
		} else if (!strcmp(key, "definition")) {
			def = val;
		} else {
			snprintf(err, errlen, "unknown member \"%.64s\"", key);
			ret = -EINVAL;
		}
		if (ret)
			goto out;
	}
	if (!have_op) {
		snprintf(err, errlen, "no \"op\"");
		ret = -EINVAL;
	} else if (req->op == HVD_OP_VERSION || req->op == HVD_OP_LIST) {
		if (have_name || def) {
			snprintf(err, errlen, "%s takes no name or definition",
				 op_names[req->op]);
			ret = -EINVAL;
		}
	} else if (!have_name) {
		snprintf(err, errlen, "%s needs a \"name\"", op_names[req->op]);
		ret = -EINVAL;
	} else if (req->op == HVD_OP_CREATE) {
		if (!def) {
			snprintf(err, errlen, "create needs a \"definition\"");
			ret = -EINVAL;
		} else {
			snprintf(req->def.name, sizeof(req->def.name), "%s",
				 req->name);
			ret = parse_def(def, req, err, errlen);
		}
	} else if (def) {
		snprintf(err, errlen, "%s takes no definition",
			 op_names[req->op]);
		ret = -EINVAL;
	}
out:
	json_object_put(o);
	json_tokener_free(tok);
	return ret;
}

/**
 * hvd_proto_reply() - a reply's object
 * @err: 0 for success, or the negative errno of the failure
 * @msg: the failure's message (ignored on success)
 *
 * Return: {"ok": true} or {"ok": false, "error": MSG, "errno": -ERR}; NULL
 * without memory.
 */
struct json_object *hvd_proto_reply(int err, const char *msg)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "ok", json_object_new_boolean(!err));
	if (err) {
		json_object_object_add(o, "error", json_object_new_string(msg));
		json_object_object_add(o, "errno", json_object_new_int(-err));
	}
	return o;
}

/**
 * hvd_proto_def() - a definition as the object create takes
 * @d: the definition
 *
 * Return: the object (strings, as in a definition file; "disk" an array
 * of them), NULL without memory.
 */
struct json_object *hvd_proto_def(const struct hvd_def *d)
{
	char text[HVD_CMDLINE_LEN + (3 + HVD_MAX_DISKS) * PATH_MAX + 1024];
	struct json_object *o, *disks;
	char *line, *save;

	if (hvd_def_format(d, text, sizeof(text)) < 0)
		return NULL;
	o = json_object_new_object();
	if (!o)
		return NULL;
	disks = json_object_new_array();
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " = ");

		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		if (!strcmp(line, "disk"))
			json_object_array_add(disks,
					      json_object_new_string(eq + 3));
		else if (is_def_key(line))
			json_object_object_add(o, line,
					       json_object_new_string(eq + 3));
	}
	/* The disks as an array, in their order, even none. */
	json_object_object_add(o, "disk", disks);
	return o;
}
