// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl info end to end: the text and JSON outputs carry exactly what
 * get-info returned, an unprivileged user may read it, and usage errors
 * exit 2 with the documented message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libhv.h"
#include "test_util.h"

#define VMX_CAPS ((HV_CAP_TSC_SCALING << 1) - 1)
#define SVM_CAPS ((((HV_CAP_VMSAVE_VIRT << 1) - 1) & ~(HV_CAP_NPT - 1)) | \
		  HV_CAP_TSC_SCALING)

static void names(char *buf, size_t len, uint64_t flags,
		  const char *const *tab, unsigned int n, bool json)
{
	size_t used = 0;
	unsigned int bit;

	buf[0] = '\0';
	for (bit = 0; bit < n; bit++) {
		if (!(flags & (1ULL << bit)))
			continue;
		used += snprintf(buf + used, len - used,
				 json ? "%s\"%s\"" : "%s%s",
				 used ? (json ? "," : " ") : "", tab[bit]);
	}
}

FIXTURE(cli) {
	struct hv_info info;
	char *out;
	char *err;
};

FIXTURE_SETUP(cli)
{
	struct hv *h;

	ASSERT_EQ(0, hv_open(&h));
	ASSERT_EQ(0, hv_get_info(h, &self->info));
	hv_close(h);
	self->out = NULL;
	self->err = NULL;
}

FIXTURE_TEARDOWN(cli)
{
	free(self->out);
	free(self->err);
}

TEST_F(cli, text_output_shows_backend_version_and_caps)
{
	char *argv[] = { HVCTL_PATH, "info", NULL };
	char want[1024], list[512];

	ASSERT_EQ(0, run_capture(argv, -1, &self->out, &self->err));
	EXPECT_STREQ("", self->err);
	snprintf(want, sizeof(want), "backend:          %s\n",
		 hv_backend_name(self->info.backend));
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	snprintf(want, sizeof(want), "version:          %s\n",
		 self->info.version);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	names(list, sizeof(list), self->info.caps, hv_cap_names, hv_cap_count,
	      false);
	snprintf(want, sizeof(want), "caps:             %s\n", list);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
}

TEST_F(cli, json_output_is_exactly_get_info)
{
	char *argv[] = { HVCTL_PATH, "-j", "info", NULL };
	char want[4096], caps[512], absent[512], mit[256];
	uint64_t relevant = self->info.backend == HV_BACKEND_VMX ? VMX_CAPS :
								    SVM_CAPS;

	names(caps, sizeof(caps), self->info.caps, hv_cap_names, hv_cap_count,
	      true);
	names(absent, sizeof(absent), relevant & ~self->info.caps,
	      hv_cap_names, hv_cap_count, true);
	names(mit, sizeof(mit), self->info.mitigations, hv_mitigation_names,
	      hv_mitigation_count, true);
	snprintf(want, sizeof(want),
		 "{\"backend\":\"%s\",\"version\":\"%s\",\"hw_revision\":%u,"
		 "\"tlb_tags\":%u,\"caps\":[%s],\"caps_absent\":[%s],"
		 "\"l1tf\":\"%s\",\"l1d_flush\":{\"mode\":\"%s\","
		 "\"effective\":\"%s\",\"method\":\"%s\",\"reason\":\"%s\"},"
		 "\"mitigations\":[%s],\"dirty_log\":{\"method\":\"%s\","
		 "\"reason\":\"%s\"},\"ring_poll_ns\":%u,\"apicv\":{\"mode\":"
		 "\"%s\",\"reason\":\"%s\"},\"apic_timer\":\"%s\","
		 "\"limits\":{\"vms\":%u,"
		 "\"vcpus_per_vm\":%u,\"mem_per_vm\":%llu}}\n",
		 hv_backend_name(self->info.backend), self->info.version,
		 self->info.hw_revision, self->info.tlb_tags, caps, absent,
		 hv_l1tf_name(self->info.l1tf),
		 hv_l1d_flush_mode_name(self->info.l1d_flush_mode),
		 hv_l1d_flush_mode_name(self->info.l1d_flush),
		 hv_l1d_flush_method_name(self->info.l1d_flush_method),
		 self->info.l1d_flush_reason, mit, self->info.dirty_method,
		 self->info.dirty_reason, self->info.ring_poll_ns,
		 self->info.apicv, self->info.apicv_reason,
		 self->info.apic_timer, self->info.max_vms,
		 self->info.max_vcpus, (unsigned long long)self->info.max_mem);

	ASSERT_EQ(0, run_capture(argv, -1, &self->out, &self->err));
	EXPECT_STREQ("", self->err);
	EXPECT_STREQ(want, self->out);
}

TEST_F(cli, unprivileged_user_may_read_info)
{
	char *argv[] = { HVCTL_PATH, "-j", "info", NULL };

	EXPECT_EQ(0, run_capture(argv, 65534, &self->out, &self->err))
		TH_LOG("stderr: %s", self->err);
	EXPECT_STREQ("", self->err);
}

TEST_F(cli, unknown_verb_is_a_usage_error)
{
	char *argv[] = { HVCTL_PATH, "info", "bogus", NULL };

	EXPECT_EQ(2, run_capture(argv, -1, &self->out, &self->err));
	EXPECT_STREQ("", self->out);
	EXPECT_STREQ("hvctl: info: unknown verb 'bogus'\nTry 'hvctl help'.\n",
		     self->err);
}

HV_TEST_HARNESS_MAIN
