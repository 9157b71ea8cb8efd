// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of hvctl's command line (cli/hvctl.c, cli/cmd-info.c) against
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

#include "hvctl.h"
#include "libhv.h"

/* ---- fake libhv ---- */

static int fake_open_err;
static int fake_info_err;
static const char *fake_errmsg = "";
static int fake_opened;

struct hv {
	int unused;
};

int hv_open(struct hv **out)
{
	static struct hv h;

	if (fake_open_err)
		return fake_open_err;
	fake_opened++;
	*out = &h;
	return 0;
}

void hv_close(struct hv *h)
{
	if (h)
		fake_opened--;
}

const char *hv_errmsg(const struct hv *h)
{
	return fake_errmsg;
}

int hv_get_info(struct hv *h, struct hv_info *info)
{
	if (fake_info_err)
		return fake_info_err;
	memset(info, 0, sizeof(*info));
	info->backend = HV_BACKEND_SVM;
	strcpy(info->version, "1.2.3");
	info->caps = HV_CAP_NPT | HV_CAP_NRIP_SAVE;
	info->tlb_tags = 15;
	info->hw_revision = 1;
	info->l1tf = HV_L1TF_NOT_AFFECTED;
	info->l1d_flush_mode = HV_L1D_FLUSH_MODE_AUTO;
	info->l1d_flush = HV_L1D_FLUSH_MODE_NEVER;
	info->l1d_flush_method = HV_L1D_FLUSH_METHOD_NONE;
	strcpy(info->l1d_flush_reason, "cpu is not affected by L1TF");
	info->mitigations = HV_MITIGATION_RSB_FILL | HV_MITIGATION_SPEC_CTRL;
	info->max_vms = 64;
	info->max_vcpus = 64;
	info->max_mem = 68719476736ULL;
	return 0;
}

/* ---- harness ---- */

struct run {
	int code;
	char *out;
	char *err;
};

static struct run run(int argc, const char **args)
{
	char *argv[16];
	struct run r;
	size_t ol, el;
	FILE *out = open_memstream(&r.out, &ol);
	FILE *err = open_memstream(&r.err, &el);
	int i;

	argv[0] = "hvctl";
	for (i = 0; i < argc; i++)
		argv[i + 1] = (char *)args[i];
	argv[argc + 1] = NULL;
	r.code = hvctl_main(argc + 1, argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

#define RUN(...)							\
	({								\
		const char *a_[] = { __VA_ARGS__ };			\
		run(sizeof(a_) / sizeof(a_[0]), a_);			\
	})

static int reset(void **state)
{
	fake_open_err = 0;
	fake_info_err = 0;
	fake_errmsg = "";
	fake_opened = 0;
	return 0;
}

static void free_run(struct run *r)
{
	free(r->out);
	free(r->err);
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
	assert_int_equal(0, fake_opened);
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

	fake_open_err = -ENOENT;
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

	fake_info_err = -EPERM;
	fake_errmsg = "not the owner";
	r = RUN("info");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: info show: not the owner: Operation not permitted\n",
			    r.err);
	free_run(&r);

	fake_errmsg = "";
	r = RUN("info");
	assert_string_equal("hvctl: info show: get-info failed: Operation not permitted\n",
			    r.err);
	free_run(&r);
	assert_int_equal(0, fake_opened);
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
			    "limits:\n"
			    "  vms:            64\n"
			    "  vcpus per vm:   64\n"
			    "  mem per vm:     68719476736\n", r.out);
	assert_string_equal("", r.err);
	free_run(&r);
	assert_int_equal(0, fake_opened);
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
		"\"limits\":{\"vms\":64,\"vcpus_per_vm\":64,"
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
