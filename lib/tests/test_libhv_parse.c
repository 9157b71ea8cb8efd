// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of libhv's get-info parser (lib/libhv.c) on replies built with
 * libnl: every attribute read exactly, missing ones visible in the present
 * mask, unknown (newer) ones ignored, wrong sizes refused.
 */
#include <errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "libhv.h"

static struct nl_msg *reply(void)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, 42, 0, 0, HV_CMD_GET_INFO,
				    HV_FAMILY_VERSION));
	return msg;
}

static void full_reply_is_read_exactly(void **state)
{
	struct nl_msg *msg = reply();
	struct hv_info info;

	nla_put_u32(msg, HV_A_INFO_BACKEND, HV_BACKEND_VMX);
	nla_put_string(msg, HV_A_INFO_VERSION, "0.1.0-7-gabcdef");
	nla_put_u64(msg, HV_A_INFO_CAPS, HV_CAP_EPT | HV_CAP_PML);
	nla_put_u32(msg, HV_A_INFO_TLB_TAGS, 65535);
	nla_put_u32(msg, HV_A_INFO_HW_REVISION, 0x12345678);
	nla_put_u32(msg, HV_A_INFO_L1TF, HV_L1TF_AFFECTED);
	nla_put_u32(msg, HV_A_INFO_L1D_FLUSH_MODE, HV_L1D_FLUSH_MODE_AUTO);
	nla_put_u32(msg, HV_A_INFO_L1D_FLUSH, HV_L1D_FLUSH_MODE_COND);
	nla_put_u32(msg, HV_A_INFO_L1D_FLUSH_METHOD,
		    HV_L1D_FLUSH_METHOD_SOFTWARE);
	nla_put_string(msg, HV_A_INFO_L1D_FLUSH_REASON,
		       "cpu is affected by L1TF");
	nla_put_u64(msg, HV_A_INFO_MITIGATIONS,
		    HV_MITIGATION_L1D_FLUSH | HV_MITIGATION_VERW);
	nla_put_u32(msg, HV_A_INFO_MAX_VMS, 64);
	nla_put_u32(msg, HV_A_INFO_MAX_VCPUS, 16);
	nla_put_u64(msg, HV_A_INFO_MAX_MEM, 1ULL << 36);
	nla_put_string(msg, HV_A_INFO_DIRTY_METHOD, "emulated");
	nla_put_string(msg, HV_A_INFO_DIRTY_REASON,
		       "the CPU sets no accessed and dirty bits in nested page tables");
	nla_put_u32(msg, HV_A_INFO_RING_POLL_NS, 50000);
	nla_put_string(msg, HV_A_INFO_APICV, "vid");
	nla_put_string(msg, HV_A_INFO_APICV_REASON,
		       "the CPU does not process posted interrupts");
	nla_put_string(msg, HV_A_INFO_APIC_TIMER, "preemption-timer");

	assert_int_equal(0, hv_info_parse(nlmsg_hdr(msg), &info));
	assert_int_equal(((1ULL << (HV_A_INFO_MAX + 1)) - 1) & ~3ULL,
			 info.present);
	assert_int_equal(HV_BACKEND_VMX, info.backend);
	assert_string_equal("0.1.0-7-gabcdef", info.version);
	assert_int_equal(HV_CAP_EPT | HV_CAP_PML, info.caps);
	assert_int_equal(65535, info.tlb_tags);
	assert_int_equal(0x12345678, info.hw_revision);
	assert_int_equal(HV_L1TF_AFFECTED, info.l1tf);
	assert_int_equal(HV_L1D_FLUSH_MODE_AUTO, info.l1d_flush_mode);
	assert_int_equal(HV_L1D_FLUSH_MODE_COND, info.l1d_flush);
	assert_int_equal(HV_L1D_FLUSH_METHOD_SOFTWARE, info.l1d_flush_method);
	assert_string_equal("cpu is affected by L1TF", info.l1d_flush_reason);
	assert_int_equal(HV_MITIGATION_L1D_FLUSH | HV_MITIGATION_VERW,
			 info.mitigations);
	assert_int_equal(64, info.max_vms);
	assert_int_equal(16, info.max_vcpus);
	assert_int_equal(50000, info.ring_poll_ns);
	assert_int_equal(1ULL << 36, info.max_mem);
	assert_string_equal("emulated", info.dirty_method);
	assert_string_equal("the CPU sets no accessed and dirty bits in nested page tables",
			    info.dirty_reason);
	assert_string_equal("vid", info.apicv);
	assert_string_equal("the CPU does not process posted interrupts",
			    info.apicv_reason);
	assert_string_equal("preemption-timer", info.apic_timer);
	nlmsg_free(msg);
}

static void missing_and_unknown_attributes(void **state)
{
	struct nl_msg *msg = reply();
	struct hv_info info;

	nla_put_u32(msg, HV_A_INFO_BACKEND, HV_BACKEND_SVM);
	nla_put_u32(msg, HV_A_INFO_MAX + 5, 7);	/* from a newer module */

	assert_int_equal(0, hv_info_parse(nlmsg_hdr(msg), &info));
	assert_int_equal(1ULL << HV_A_INFO_BACKEND, info.present);
	assert_int_equal(HV_BACKEND_SVM, info.backend);
	assert_string_equal("", info.version);
	assert_int_equal(0, info.caps);
	nlmsg_free(msg);
}

static void wrong_sizes_are_refused(void **state)
{
	struct nl_msg *msg = reply();
	struct hv_info info;
	uint16_t short_val = 1;

	nla_put(msg, HV_A_INFO_BACKEND, sizeof(short_val), &short_val);
	assert_int_equal(-EINVAL, hv_info_parse(nlmsg_hdr(msg), &info));
	nlmsg_free(msg);

	msg = reply();
	nla_put(msg, HV_A_INFO_VERSION, 3, "abc");	/* not terminated */
	assert_int_equal(-EINVAL, hv_info_parse(nlmsg_hdr(msg), &info));
	nlmsg_free(msg);
}

static void long_strings_are_truncated_not_overrun(void **state)
{
	struct nl_msg *msg = reply();
	struct hv_info info;
	char longv[300];

	memset(longv, 'v', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	nla_put_string(msg, HV_A_INFO_VERSION, longv);
	assert_int_equal(0, hv_info_parse(nlmsg_hdr(msg), &info));
	assert_int_equal(sizeof(info.version) - 1, strlen(info.version));
	nlmsg_free(msg);
}

static void names_follow_the_spec(void **state)
{
	assert_string_equal("vmx", hv_backend_name(HV_BACKEND_VMX));
	assert_string_equal("svm", hv_backend_name(HV_BACKEND_SVM));
	assert_string_equal("unknown", hv_backend_name(0));
	assert_string_equal("unknown", hv_backend_name(99));
	assert_string_equal("flush-not-needed",
			    hv_l1tf_name(HV_L1TF_FLUSH_NOT_NEEDED));
	assert_string_equal("software",
			    hv_l1d_flush_method_name(HV_L1D_FLUSH_METHOD_SOFTWARE));
	assert_string_equal("unknown", hv_l1d_flush_mode_name(4));
	assert_string_equal("vmsave-virt", hv_cap_names[hv_cap_count - 1]);
	assert_int_equal(HV_CAP_VMSAVE_VIRT, 1ULL << (hv_cap_count - 1));
	assert_int_equal(HV_MITIGATION_IBPB_EXIT_TO_USER,
			 1ULL << (hv_mitigation_count - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_reply_is_read_exactly),
		cmocka_unit_test(missing_and_unknown_attributes),
		cmocka_unit_test(wrong_sizes_are_refused),
		cmocka_unit_test(long_strings_are_truncated_not_overrun),
		cmocka_unit_test(names_follow_the_spec),
	};

	return cmocka_run_group_tests_name("libhv-parse", tests, NULL, NULL);
}
