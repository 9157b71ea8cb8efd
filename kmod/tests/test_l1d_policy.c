// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the L1D-flush policy (kmod/l1d_policy.c, compiled in as
 * is): every configured mode against every L1TF state, and the method for
 * every effective mode with and without IA32_FLUSH_CMD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "l1d_policy.h"

static void l1tf_state_classifies_the_cpu(void **state)
{
	assert_int_equal(HV_L1TF_NOT_AFFECTED, hv_l1tf_state(false, false));
	assert_int_equal(HV_L1TF_NOT_AFFECTED, hv_l1tf_state(false, true));
	assert_int_equal(HV_L1TF_AFFECTED, hv_l1tf_state(true, false));
	assert_int_equal(HV_L1TF_FLUSH_NOT_NEEDED, hv_l1tf_state(true, true));
}

static void every_mode_against_every_state(void **state)
{
	static const struct {
		enum hv_l1d_flush_mode mode;
		enum hv_l1tf l1tf;
		enum hv_l1d_flush_mode effective;
		const char *reason;
	} table[] = {
		{ HV_L1D_FLUSH_MODE_AUTO, HV_L1TF_NOT_AFFECTED,
		  HV_L1D_FLUSH_MODE_NEVER, "cpu is not affected by L1TF" },
		{ HV_L1D_FLUSH_MODE_AUTO, HV_L1TF_AFFECTED,
		  HV_L1D_FLUSH_MODE_COND, "cpu is affected by L1TF" },
		{ HV_L1D_FLUSH_MODE_AUTO, HV_L1TF_FLUSH_NOT_NEEDED,
		  HV_L1D_FLUSH_MODE_NEVER,
		  "IA32_ARCH_CAPABILITIES.SKIP_L1DFL_VMENTRY is set" },
		{ HV_L1D_FLUSH_MODE_COND, HV_L1TF_NOT_AFFECTED,
		  HV_L1D_FLUSH_MODE_COND, "l1d_flush=cond" },
		{ HV_L1D_FLUSH_MODE_COND, HV_L1TF_AFFECTED,
		  HV_L1D_FLUSH_MODE_COND, "l1d_flush=cond" },
		{ HV_L1D_FLUSH_MODE_COND, HV_L1TF_FLUSH_NOT_NEEDED,
		  HV_L1D_FLUSH_MODE_COND, "l1d_flush=cond" },
		{ HV_L1D_FLUSH_MODE_ALWAYS, HV_L1TF_NOT_AFFECTED,
		  HV_L1D_FLUSH_MODE_ALWAYS, "l1d_flush=always" },
		{ HV_L1D_FLUSH_MODE_ALWAYS, HV_L1TF_AFFECTED,
		  HV_L1D_FLUSH_MODE_ALWAYS, "l1d_flush=always" },
		{ HV_L1D_FLUSH_MODE_ALWAYS, HV_L1TF_FLUSH_NOT_NEEDED,
		  HV_L1D_FLUSH_MODE_ALWAYS, "l1d_flush=always" },
		{ HV_L1D_FLUSH_MODE_NEVER, HV_L1TF_NOT_AFFECTED,
		  HV_L1D_FLUSH_MODE_NEVER, "l1d_flush=never" },
		{ HV_L1D_FLUSH_MODE_NEVER, HV_L1TF_AFFECTED,
		  HV_L1D_FLUSH_MODE_NEVER, "l1d_flush=never" },
		{ HV_L1D_FLUSH_MODE_NEVER, HV_L1TF_FLUSH_NOT_NEEDED,
		  HV_L1D_FLUSH_MODE_NEVER, "l1d_flush=never" },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *reason = NULL;

		assert_int_equal(table[i].effective,
				 hv_l1d_flush_resolve(table[i].mode,
						      table[i].l1tf, &reason));
		assert_string_equal(table[i].reason, reason);
	}
}

static void msr_method_is_chosen_when_the_cpu_has_flush_cmd(void **state)
{
	assert_int_equal(HV_L1D_FLUSH_METHOD_MSR,
			 hv_l1d_flush_method(HV_L1D_FLUSH_MODE_COND, true));
	assert_int_equal(HV_L1D_FLUSH_METHOD_MSR,
			 hv_l1d_flush_method(HV_L1D_FLUSH_MODE_ALWAYS, true));
	assert_int_equal(HV_L1D_FLUSH_METHOD_SOFTWARE,
			 hv_l1d_flush_method(HV_L1D_FLUSH_MODE_COND, false));
	assert_int_equal(HV_L1D_FLUSH_METHOD_SOFTWARE,
			 hv_l1d_flush_method(HV_L1D_FLUSH_MODE_ALWAYS, false));
	assert_int_equal(HV_L1D_FLUSH_METHOD_NONE,
			 hv_l1d_flush_method(HV_L1D_FLUSH_MODE_NEVER, true));
	assert_int_equal(HV_L1D_FLUSH_METHOD_NONE,
			 hv_l1d_flush_method(HV_L1D_FLUSH_MODE_NEVER, false));
}

static void mode_names_match_the_parameter_values(void **state)
{
	assert_string_equal("auto",
			    hv_l1d_flush_mode_names[HV_L1D_FLUSH_MODE_AUTO]);
	assert_string_equal("cond",
			    hv_l1d_flush_mode_names[HV_L1D_FLUSH_MODE_COND]);
	assert_string_equal("always",
			    hv_l1d_flush_mode_names[HV_L1D_FLUSH_MODE_ALWAYS]);
	assert_string_equal("never",
			    hv_l1d_flush_mode_names[HV_L1D_FLUSH_MODE_NEVER]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(l1tf_state_classifies_the_cpu),
		cmocka_unit_test(every_mode_against_every_state),
		cmocka_unit_test(msr_method_is_chosen_when_the_cpu_has_flush_cmd),
		cmocka_unit_test(mode_names_match_the_parameter_values),
	};

	return cmocka_run_group_tests_name("l1d-policy", tests, NULL, NULL);
}
