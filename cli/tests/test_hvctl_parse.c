// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of hvctl's parsers (cli/parse.c): numbers, sizes, modes, hex
 * bytes, batch lines and register assignments, with exact values and
 * exact refusals.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

static void numbers(void **state)
{
	static const struct {
		const char *s;
		int err;
		uint64_t v;
	} rows[] = {
		{ "0", 0, 0 },
		{ "4096", 0, 4096 },
		{ "0x1000", 0, 0x1000 },
		{ "0XfFfF", 0, 0xffff },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "0x10000000000000000", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "12abc", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 0;

		assert_int_equal(rows[i].err, parse_u64(rows[i].s, &v));
		if (!rows[i].err)
			assert_true(rows[i].v == v);
	}
}

static void u32s(void **state)
{
	uint32_t v;

	assert_int_equal(0, parse_u32("0xffffffff", &v));
	assert_int_equal(0xffffffffu, v);
	assert_int_equal(-ERANGE, parse_u32("0x100000000", &v));
	assert_int_equal(-EINVAL, parse_u32("x", &v));
}

static void sizes(void **state)
{
	static const struct {
		const char *s;
		int err;
		uint64_t v;
	} rows[] = {
		{ "4096", 0, 4096 },
		{ "64K", 0, 64 << 10 },
		{ "64k", 0, 64 << 10 },
		{ "2M", 0, 2 << 20 },
		{ "1G", 0, 1 << 30 },
		{ "0x1000", 0, 0x1000 },
		{ "0x1b", 0, 0x1b },		/* a hex digit, not a suffix */
		{ "16777215G", 0, 16777215ULL << 30 },
		{ "17179869184G", -ERANGE, 0 },
		{ "M", -EINVAL, 0 },
		{ "2T", -EINVAL, 0 },
		{ "2MB", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 0;

		assert_int_equal(rows[i].err, parse_size(rows[i].s, &v));
		if (!rows[i].err)
			assert_true(rows[i].v == v);
	}
}

static void modes(void **state)
{
	enum hv_mode m;

	assert_int_equal(0, parse_mode("real", &m));
	assert_int_equal(HV_MODE_REAL, m);
	assert_int_equal(0, parse_mode("prot", &m));
	assert_int_equal(HV_MODE_PROT32, m);
	assert_int_equal(0, parse_mode("long", &m));
	assert_int_equal(HV_MODE_LONG64, m);
	assert_int_equal(-EINVAL, parse_mode("Long", &m));
	assert_int_equal(-EINVAL, parse_mode("", &m));
}

static void hex_bytes(void **state)
{
	static const uint8_t want[] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t *b;
	size_t n;

	assert_int_equal(0, parse_hex_bytes("deadbeef", &b, &n));
	assert_int_equal(4, n);
	assert_memory_equal(want, b, 4);
	free(b);
	assert_int_equal(0, parse_hex_bytes("DE:ad-BE.ef", &b, &n));
	assert_int_equal(4, n);
	assert_memory_equal(want, b, 4);
	free(b);
	assert_int_equal(-EINVAL, parse_hex_bytes("dea", &b, &n));
	assert_int_equal(-EINVAL, parse_hex_bytes("d:ea", &b, &n));
	assert_int_equal(-EINVAL, parse_hex_bytes("zz", &b, &n));
	assert_int_equal(-EINVAL, parse_hex_bytes("", &b, &n));
	assert_int_equal(-EINVAL, parse_hex_bytes("::", &b, &n));
}

static void batch_lines(void **state)
{
	char line[] = "  vm create  demo --mem 2M # a comment\n";
	char blank[] = "   \t\n", comment[] = "# only\n", many[] = "a b c";
	char *argv[4], *argv5[5];

	assert_int_equal(5, split_line(line, argv5, 5));
	assert_string_equal("vm", argv5[0]);
	assert_string_equal("create", argv5[1]);
	assert_string_equal("demo", argv5[2]);
	assert_string_equal("--mem", argv5[3]);
	assert_string_equal("2M", argv5[4]);
	assert_int_equal(0, split_line(blank, argv, 4));
	assert_int_equal(0, split_line(comment, argv, 4));
	assert_int_equal(-E2BIG, split_line(many, argv, 2));
}

static void registers(void **state)
{
	struct hv_regs r;
	const char *why = NULL;

	memset(&r, 0, sizeof(r));
	assert_int_equal(0, reg_assign(&r, "rax=0x1122334455667788", &why));
	assert_true(r.gpr[HV_RAX] == 0x1122334455667788ULL);
	assert_int_equal(0, reg_assign(&r, "r15=7", &why));
	assert_true(r.gpr[HV_R15] == 7);
	assert_int_equal(0, reg_assign(&r, "cs.sel=0x8", &why));
	assert_int_equal(8, r.cs.selector);
	assert_int_equal(0, reg_assign(&r, "cs.ar=0xa09b", &why));
	assert_int_equal(0xa09b, r.cs.ar);
	assert_int_equal(0, reg_assign(&r, "gdtr.limit=0x17", &why));
	assert_int_equal(0x17, r.gdtr.limit);
	assert_int_equal(0, reg_assign(&r, "efer=0x500", &why));
	assert_true(r.efer == 0x500);
	assert_true(reg_get(&r, reg_find("efer")) == 0x500);
	assert_true(reg_get(&r, reg_find("cs.sel")) == 8);

	assert_int_equal(-ERANGE, reg_assign(&r, "cs.sel=0x10000", &why));
	assert_string_equal("the value does not fit the register", why);
	assert_int_equal(8, r.cs.selector);
	assert_int_equal(-EINVAL, reg_assign(&r, "rxx=1", &why));
	assert_string_equal("unknown register", why);
	assert_int_equal(-EINVAL, reg_assign(&r, "rax", &why));
	assert_string_equal("expected name=value", why);
	assert_int_equal(-EINVAL, reg_assign(&r, "=1", &why));
	assert_int_equal(-EINVAL, reg_assign(&r, "rax=one", &why));
	assert_string_equal("the value is not a number", why);
	assert_true(r.gpr[HV_RAX] == 0x1122334455667788ULL);
}

static void register_table_is_complete(void **state)
{
	size_t i, j;

	/* Every field appears once; sizes match the record. */
	assert_int_equal(16 + 2 + 6 + 6 + 8 * 4 + 4 + 10 + 3, reg_desc_count);
	for (i = 0; i < reg_desc_count; i++) {
		assert_true(reg_descs[i].size == 2 || reg_descs[i].size == 4 ||
			    reg_descs[i].size == 8);
		for (j = i + 1; j < reg_desc_count; j++) {
			assert_true(strcmp(reg_descs[i].name,
					   reg_descs[j].name));
			assert_true(reg_descs[i].offset != reg_descs[j].offset);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(u32s),
		cmocka_unit_test(sizes),
		cmocka_unit_test(modes),
		cmocka_unit_test(hex_bytes),
		cmocka_unit_test(batch_lines),
		cmocka_unit_test(registers),
		cmocka_unit_test(register_table_is_complete),
	};

	return cmocka_run_group_tests_name("hvctl-parse", tests, NULL, NULL);
}
