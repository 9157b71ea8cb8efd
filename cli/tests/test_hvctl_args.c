// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of hvctl's command line (cli/hvctl.c, cli/cmd_info.c) against
 * a fake libhv: exit codes, the exact error format
 * "hvctl: <object> <verb>: <message>: <strerror>", and info's output.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_libhv.h"
#include "hvctl.h"

#include "run_hvctl.h"

static int reset(void **state)
{
	fake_reset();
	return 0;
}

static void no_command_is_a_usage_error(void **state)
{
	struct run r = run(0, NULL);

	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("", r.out);
	assert_string_equal("hvctl: no command given\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
}

static void unknown_object_verb_and_options(void **state)
{
	struct run r = RUN("vmm");

	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: unknown object 'vmm'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("info", "dump");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: info: unknown verb 'dump'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("info", "show", "--bogus");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: info show: unknown option '--bogus'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("info", "show", "extra");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: info show: unexpected argument 'extra'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("-x", "info");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: unknown option '-x'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
	assert_int_equal(0, fake.opened);
}

static void help_and_version_succeed(void **state)
{
	struct run r = RUN("help");

	assert_int_equal(HVCTL_OK, r.code);
	assert_non_null(strstr(r.out, "usage: hvctl"));
	assert_non_null(strstr(r.out, "  info  show "));
	assert_string_equal("", r.err);
	free_run(&r);

	r = RUN("--version");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("hvctl " HV_VERSION "\n", r.out);
	free_run(&r);
}

static void module_absent_says_how_to_load_it(void **state)
{
	struct run r;

	fake.open_err = -ENOENT;
	r = RUN("info");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("", r.out);
	assert_string_equal("hvctl: info show: the hv module is not loaded (load it with 'modprobe hv'; 'dmesg | grep hv:' says why it refused): No such file or directory\n",
			    r.err);
	free_run(&r);
}

static void kernel_message_is_shown_with_strerror(void **state)
{
	struct run r;

	fake.fail_fn = "hv_get_info";
	fake.fail_err = -EPERM;
	fake.errmsg = "not the owner";
	r = RUN("info");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: info show: not the owner: Operation not permitted\n",
			    r.err);
	free_run(&r);

	fake.errmsg = "";
	r = RUN("info");
	assert_string_equal("hvctl: info show: get-info failed: Operation not permitted\n",
			    r.err);
	free_run(&r);
	assert_int_equal(0, fake.opened);
}

static void info_text(void **state)
{
	struct run r = RUN("info");

	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("backend:          svm\n"
			    "version:          1.2.3\n"
			    "hw revision:      1\n"
			    "tlb tags:         15\n"
			    "caps:             npt nrip-save\n"
			    "caps absent:      tsc-scaling vmcb-clean decode-assists flush-by-asid pause-filter avic vgif lbr-virt vmsave-virt\n"
			    "l1tf:             not-affected\n"
			    "l1d flush:\n"
			    "  mode:           auto\n"
			    "  effective:      never\n"
			    "  method:         none\n"
			    "  reason:         cpu is not affected by L1TF\n"
			    "mitigations:      rsb-fill spec-ctrl\n"
			    "dirty log:\n"
			    "  method:         npt-ad\n"
			    "  reason:         the CPU sets accessed and dirty bits in nested page tables\n"
			    "ring poll ns:     50000\n"
			    "apicv:\n"
			    "  mode:           off\n"
			    "  reason:         this backend does not virtualize the APIC yet\n"
			    "apic timer:       hrtimer\n"
			    "limits:\n"
			    "  vms:            64\n"
			    "  vcpus per vm:   64\n"
			    "  mem per vm:     68719476736\n", r.out);
	assert_string_equal("", r.err);
	free_run(&r);
	assert_int_equal(0, fake.opened);
}

static void info_json_global_and_local_flag(void **state)
{
	static const char want[] =
		"{\"backend\":\"svm\",\"version\":\"1.2.3\",\"hw_revision\":1,"
		"\"tlb_tags\":15,\"caps\":[\"npt\",\"nrip-save\"],"
		"\"caps_absent\":[\"tsc-scaling\",\"vmcb-clean\","
		"\"decode-assists\",\"flush-by-asid\",\"pause-filter\","
		"\"avic\",\"vgif\",\"lbr-virt\",\"vmsave-virt\"],"
		"\"l1tf\":\"not-affected\",\"l1d_flush\":{\"mode\":\"auto\","
		"\"effective\":\"never\",\"method\":\"none\","
		"\"reason\":\"cpu is not affected by L1TF\"},"
		"\"mitigations\":[\"rsb-fill\",\"spec-ctrl\"],"
		"\"dirty_log\":{\"method\":\"npt-ad\",\"reason\":\"the CPU sets "
		"accessed and dirty bits in nested page tables\"},"
		"\"ring_poll_ns\":50000,\"apicv\":{\"mode\":\"off\",\"reason\":"
		"\"this backend does not virtualize the APIC yet\"},"
		"\"apic_timer\":\"hrtimer\",\"limits\":{\"vms\":64,\"vcpus_per_vm\":64,"
		"\"mem_per_vm\":68719476736}}\n";
	struct run r = RUN("-j", "info");

	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(want, r.out);
	free_run(&r);

	r = RUN("info", "show", "--json");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(want, r.out);
	free_run(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(no_command_is_a_usage_error, reset),
		cmocka_unit_test_setup(unknown_object_verb_and_options, reset),
		cmocka_unit_test_setup(help_and_version_succeed, reset),
		cmocka_unit_test_setup(module_absent_says_how_to_load_it, reset),
		cmocka_unit_test_setup(kernel_message_is_shown_with_strerror,
				       reset),
		cmocka_unit_test_setup(info_text, reset),
		cmocka_unit_test_setup(info_json_global_and_local_flag, reset),
	};

	return cmocka_run_group_tests_name("hvctl-args", tests, NULL, NULL);
}
