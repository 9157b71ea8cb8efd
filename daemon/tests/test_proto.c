// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor's protocol: requests that parse, every refusal with its
 * message, and replies as clients read them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "super/proto.h"

static int parse(const char *msg, struct hvd_req *req, char *err)
{
	err[0] = '\0';
	return hvd_proto_parse(msg, strlen(msg), req, err, 512);
}

static void parses_each_op(void **state)
{
	static const struct { const char *msg; enum hvd_op op; } ok[] = {
		{ "{\"op\":\"version\"}", HVD_OP_VERSION },
		{ "{\"op\":\"list\"}", HVD_OP_LIST },
		{ "{\"op\":\"show\",\"name\":\"web\"}", HVD_OP_SHOW },
		{ "{\"name\":\"web\",\"op\":\"start\"}", HVD_OP_START },
		{ "{\"op\":\"stop\",\"name\":\"web\"}", HVD_OP_STOP },
		{ "{\"op\":\"kill\",\"name\":\"web\"}", HVD_OP_KILL },
		{ "{\"op\":\"pause\",\"name\":\"web\"}", HVD_OP_PAUSE },
		{ "{\"op\":\"resume\",\"name\":\"web\"}", HVD_OP_RESUME },
		{ "{\"op\":\"destroy\",\"name\":\"web\"}", HVD_OP_DESTROY },
		{ " {\"op\":\"console\",\"name\":\"web\"} ", HVD_OP_CONSOLE },
	};
	struct hvd_req req;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(parse(ok[i].msg, &req, err), 0);
		assert_int_equal(req.op, ok[i].op);
		assert_string_equal(hvd_op_name(req.op),
				    i == 0 ? "version" : hvd_op_name(ok[i].op));
		if (ok[i].op != HVD_OP_VERSION && ok[i].op != HVD_OP_LIST)
			assert_string_equal(req.name, "web");
	}
}

static void create_takes_a_definition(void **state)
{
	struct hvd_req req;
	char err[512];

	assert_int_equal(parse("{\"op\":\"create\",\"name\":\"db-2\",\"definition\":{"
			       "\"kernel\":\"/boot/vmlinuz\",\"initrd\":\"/boot/i.img\","
			       "\"cmdline\":\"console=ttyS0 quiet\",\"vcpus\":\"2\","
			       "\"memory\":\"256M\",\"serial\":\"null\","
			       "\"on-reboot\":\"stop\",\"restart-on-crash\":\"yes\","
			       "\"autostart\":\"yes\"}}", &req, err), 0);
	assert_int_equal(req.op, HVD_OP_CREATE);
	assert_string_equal(req.def.name, "db-2");
	assert_string_equal(req.def.kernel, "/boot/vmlinuz");
	assert_string_equal(req.def.initrd, "/boot/i.img");
	assert_string_equal(req.def.cmdline, "console=ttyS0 quiet");
	assert_int_equal(req.def.vcpus, 2);
	assert_int_equal(req.def.mem, 256ull << 20);
	assert_int_equal(req.def.serial, HVD_SERIAL_NULL);
	assert_int_equal(req.def.on_reboot, HVD_REBOOT_STOP);
	assert_true(req.def.restart_on_crash);
	assert_true(req.def.autostart);

	/* Defaults for what it leaves out. */
	assert_int_equal(parse("{\"op\":\"create\",\"name\":\"a\",\"definition\":"
			       "{\"kernel\":\"/k\"}}", &req, err), 0);
	assert_int_equal(req.def.vcpus, 1);
	assert_int_equal(req.def.mem, 128ull << 20);
	assert_int_equal(req.def.serial, HVD_SERIAL_PTY);
	assert_false(req.def.autostart);
}

static void refuses_with_a_reason(void **state)
{
	static const struct { const char *msg; int err; const char *why; } bad[] = {
		{ "", -EINVAL, "not one JSON object: it ends early" },
		{ "{\"op\":\"list\"", -EINVAL,
		  "not one JSON object: it ends early" },
		{ "{\"op\":\"list\",}", -EINVAL,
		  "not one JSON object: unexpected character" },
		{ "{\"op\":\"list\"}x", -EINVAL,
		  "not one JSON object: unexpected character" },
		{ "{\"op\":\"list\"}{}", -EINVAL,
		  "not one JSON object: unexpected character" },
		{ "[1]", -EINVAL, "the request must be a JSON object" },
		{ "{}", -EINVAL, "no \"op\"" },
		{ "{\"op\":3}", -EINVAL, "\"op\" must be a string" },
		{ "{\"op\":\"reboot\",\"name\":\"a\"}", -EOPNOTSUPP,
		  "unknown op \"reboot\"" },
		{ "{\"op\":\"start\"}", -EINVAL, "start needs a \"name\"" },
		{ "{\"op\":\"list\",\"name\":\"a\"}", -EINVAL,
		  "list takes no name or definition" },
		{ "{\"op\":\"start\",\"name\":\"../etc\"}", -EINVAL,
		  "bad VM name \"../etc\" (1 to 31 letters, digits, '-', '_' or '.', not first)" },
		{ "{\"op\":\"start\",\"name\":7}", -EINVAL,
		  "\"name\" must be a string" },
		{ "{\"op\":\"start\",\"name\":\"a\",\"force\":true}", -EINVAL,
		  "unknown member \"force\"" },
		{ "{\"op\":\"start\",\"name\":\"a\",\"definition\":{}}", -EINVAL,
		  "start takes no definition" },
		{ "{\"op\":\"create\",\"name\":\"a\"}", -EINVAL,
		  "create needs a \"definition\"" },
		{ "{\"op\":\"create\",\"name\":\"a\",\"definition\":[]}", -EINVAL,
		  "\"definition\" must be an object" },
		{ "{\"op\":\"create\",\"name\":\"a\",\"definition\":{\"kernel\":\"/k\",\"name\":\"b\"}}",
		  -EINVAL, "definition: unknown key \"name\"" },
		{ "{\"op\":\"create\",\"name\":\"a\",\"definition\":{\"vcpus\":2}}",
		  -EINVAL, "definition: \"vcpus\" must be a string" },
		{ "{\"op\":\"create\",\"name\":\"a\",\"definition\":{\"kernel\":\"/k\",\"vcpus\":\"0\"}}",
		  -EINVAL, NULL },
		{ "{\"op\":\"create\",\"name\":\"a\",\"definition\":{\"initrd\":\"/i\"}}",
		  -EINVAL, NULL },
	};
	struct hvd_req req;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i].msg, &req, err), bad[i].err);
		if (bad[i].why)
			assert_string_equal(err, bad[i].why);
		else
			assert_memory_equal(err, "definition: ", 12);
	}
}

static void refuses_oversized_and_embedded_nul(void **state)
{
	static char big[HVD_PROTO_MSG_MAX + 2];
	struct hvd_req req;
	char err[512];

	memset(big, ' ', sizeof(big) - 1);
	assert_int_equal(hvd_proto_parse(big, sizeof(big) - 1, &req, err,
					 sizeof(err)), -EINVAL);
	assert_string_equal(err, "request longer than 65536 bytes");
	assert_int_equal(hvd_proto_parse("{\"op\":\"list\"}\0junk", 18, &req,
					 err, sizeof(err)), -EINVAL);
}

static void replies_as_clients_read_them(void **state)
{
	struct json_object *o;
	struct hvd_def d;

	o = hvd_proto_reply(0, "ignored");
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			    "{\"ok\":true}");
	json_object_put(o);
	o = hvd_proto_reply(-ENOENT, "no VM named 'x'");
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			    "{\"ok\":false,\"error\":\"no VM named 'x'\",\"errno\":2}");
	json_object_put(o);

	hvd_def_init(&d);
	snprintf(d.name, sizeof(d.name), "web");
	snprintf(d.kernel, sizeof(d.kernel), "/boot/vmlinuz");
	d.vcpus = 2;
	o = hvd_proto_def(&d);
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			    "{\"kernel\":\"\\/boot\\/vmlinuz\",\"initrd\":\"\",\"cmdline\":\"console=ttyS0\","
			    "\"vcpus\":\"2\",\"memory\":\"128M\",\"serial\":\"pty\",\"on-reboot\":\"restart\","
			    "\"restart-on-crash\":\"no\",\"autostart\":\"no\",\"net\":\"none\",\"rng\":\"no\",\"virtio-console\":\"none\",\"sandbox\":\"yes\",\"disk\":[]}");
	json_object_put(o);
}

static void disks_are_an_array(void **state)
{
	struct json_object *o;
	struct hvd_req req;
	char err[512];

	assert_int_equal(parse("{\"op\":\"create\",\"name\":\"a\",\"definition\":{"
			       "\"kernel\":\"/k\",\"disk\":[\"/d0.img,serial=root\","
			       "\"/d1.img,ro\"],\"rng\":\"yes\",\"sandbox\":\"no\"}}",
			       &req, err), 0);
	assert_int_equal(req.def.nr_disks, 2);
	assert_string_equal(req.def.disks[0].path, "/d0.img");
	assert_string_equal(req.def.disks[0].serial, "root");
	assert_false(req.def.disks[0].readonly);
	assert_string_equal(req.def.disks[1].path, "/d1.img");
	assert_true(req.def.disks[1].readonly);
	assert_true(req.def.rng);
	assert_false(req.def.sandbox);
	o = hvd_proto_def(&req.def);
	assert_string_equal(json_object_to_json_string_ext(
				    json_object_object_get(o, "disk"),
				    JSON_C_TO_STRING_PLAIN),
			    "[\"\\/d0.img,serial=root\",\"\\/d1.img,ro\"]");
	json_object_put(o);

	/* One disk as a string; junk in the array refused with a reason. */
	assert_int_equal(parse("{\"op\":\"create\",\"name\":\"a\",\"definition\":{"
			       "\"kernel\":\"/k\",\"disk\":\"/d.img\"}}", &req, err),
			 0);
	assert_int_equal(req.def.nr_disks, 1);
	assert_int_equal(parse("{\"op\":\"create\",\"name\":\"a\",\"definition\":{"
			       "\"kernel\":\"/k\",\"disk\":[3]}}", &req, err),
			 -EINVAL);
	assert_string_equal(err,
			    "definition: \"disk\" must be a string or an array of strings");
	assert_int_equal(parse("{\"op\":\"create\",\"name\":\"a\",\"definition\":{"
			       "\"kernel\":\"/k\",\"disk\":[\"/d.img,rw\"]}}", &req,
			       err), -EINVAL);
	assert_string_equal(err,
			    "definition: disk option 'rw' is not ro, direct or serial=ID (at most 20 bytes)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_each_op),
		cmocka_unit_test(create_takes_a_definition),
		cmocka_unit_test(disks_are_an_array),
		cmocka_unit_test(refuses_with_a_reason),
		cmocka_unit_test(refuses_oversized_and_embedded_nul),
		cmocka_unit_test(replies_as_clients_read_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
