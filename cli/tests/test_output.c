// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of hvctl's text/JSON writer (cli/output.c): exact output for
 * scalars, nesting, flag arrays with unknown bits, escaping, pretty JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "output.h"

static const char *const names[] = { "a", "b", "c" };

struct buf {
	char *data;
	size_t len;
	FILE *f;
};

static void open_buf(struct buf *b)
{
	b->f = open_memstream(&b->data, &b->len);
	assert_non_null(b->f);
}

static const char *close_buf(struct buf *b)
{
	fclose(b->f);
	return b->data;
}

static void document(struct out *o)
{
	out_begin_object(o, NULL);
	out_str(o, "name", "x");
	out_u64(o, "some_count", 18446744073709551615ULL);
	out_bool(o, "on", true);
	out_flags(o, "set", 0x5 | (1ULL << 40), names, 3);
	out_flags(o, "none", 0, names, 3);
	out_begin_object(o, "inner");
	out_str(o, "k", "v");
	out_end_object(o);
	out_end_object(o);
	out_end(o);
}

static void json_compact(void **state)
{
	struct buf b;
	struct out o;

	open_buf(&b);
	out_init(&o, b.f, true, false);
	document(&o);
	assert_string_equal("{\"name\":\"x\",\"some_count\":18446744073709551615,"
			    "\"on\":true,\"set\":[\"a\",\"c\",\"bit40\"],"
			    "\"none\":[],\"inner\":{\"k\":\"v\"}}\n",
			    close_buf(&b));
	free(b.data);
}

static void json_pretty(void **state)
{
	struct buf b;
	struct out o;

	open_buf(&b);
	out_init(&o, b.f, true, true);
	document(&o);
	assert_string_equal("{\n"
			    "  \"name\": \"x\",\n"
			    "  \"some_count\": 18446744073709551615,\n"
			    "  \"on\": true,\n"
			    "  \"set\": [\"a\",\"c\",\"bit40\"],\n"
			    "  \"none\": [],\n"
			    "  \"inner\": {\n"
			    "    \"k\": \"v\"\n"
			    "  }\n"
			    "}\n", close_buf(&b));
	free(b.data);
}

static void text_aligned(void **state)
{
	struct buf b;
	struct out o;

	open_buf(&b);
	out_init(&o, b.f, false, false);
	document(&o);
	assert_string_equal("name:             x\n"
			    "some count:       18446744073709551615\n"
			    "on:               yes\n"
			    "set:              a c bit40\n"
			    "none:             -\n"
			    "inner:\n"
			    "  k:              v\n", close_buf(&b));
	free(b.data);
}

static void json_escapes_what_it_must(void **state)
{
	struct buf b;

	open_buf(&b);
	json_escape(b.f, "q\"b\\n\n\t\r\x01\x1f ok \xc3\xa9");
	assert_string_equal("\"q\\\"b\\\\n\\n\\t\\r\\u0001\\u001f ok \xc3\xa9\"",
			    close_buf(&b));
	free(b.data);
}

/* Hex values are strings in JSON and 0x-numbers in text. */
static void hex_and_arrays_of_objects(void **state)
{
	struct buf b;
	struct out o;

	open_buf(&b);
	out_init(&o, b.f, true, false);
	out_begin_array(&o, NULL);
	out_begin_object(&o, NULL);
	out_hex(&o, "rip", 0xffffffff81000000ULL);
	out_end_object(&o);
	out_begin_object(&o, NULL);
	out_hex(&o, "rip", 0);
	out_end_object(&o);
	out_end_array(&o);
	out_end(&o);
	assert_string_equal("[{\"rip\":\"0xffffffff81000000\"},{\"rip\":\"0x0\"}]\n",
			    close_buf(&b));
	free(b.data);

	open_buf(&b);
	out_init(&o, b.f, false, false);
	out_begin_object(&o, NULL);
	out_hex(&o, "gpa", 0x1000);
	out_end_object(&o);
	out_end(&o);
	assert_string_equal("gpa:              0x1000\n", close_buf(&b));
	free(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_compact),
		cmocka_unit_test(json_pretty),
		cmocka_unit_test(text_aligned),
		cmocka_unit_test(json_escapes_what_it_must),
		cmocka_unit_test(hex_and_arrays_of_objects),
	};

	return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
