// SPDX-License-Identifier: GPL-2.0
/*
 * The l1d_flush module parameter: every mode is accepted at run time and
 * get-info reports the mode, the effective policy, the method and the
 * reason exactly; a bad value is refused and changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libhv.h"
#include "test_util.h"

#define PARAM "/sys/module/hv/parameters/l1d_flush"

struct expect {
	const char *name;
	uint32_t mode;
	uint32_t effective;	/* on a CPU affected by L1TF */
	uint32_t effective_unaffected;
	const char *reason;	/* NULL: the auto rule's reason */
};

static const struct expect modes[] = {
	{ "always", HV_L1D_FLUSH_MODE_ALWAYS, HV_L1D_FLUSH_MODE_ALWAYS,
	  HV_L1D_FLUSH_MODE_ALWAYS, "l1d_flush=always" },
	{ "cond", HV_L1D_FLUSH_MODE_COND, HV_L1D_FLUSH_MODE_COND,
	  HV_L1D_FLUSH_MODE_COND, "l1d_flush=cond" },
	{ "never", HV_L1D_FLUSH_MODE_NEVER, HV_L1D_FLUSH_MODE_NEVER,
	  HV_L1D_FLUSH_MODE_NEVER, "l1d_flush=never" },
	{ "auto", HV_L1D_FLUSH_MODE_AUTO, HV_L1D_FLUSH_MODE_COND,
	  HV_L1D_FLUSH_MODE_NEVER, NULL },
};

FIXTURE(l1d) {
	struct hv *h;
	bool msr;
};

FIXTURE_SETUP(l1d)
{
	char *flags = cpuinfo_line("flags");

	ASSERT_NE(NULL, flags);
	self->msr = has_word(flags, "flush_l1d");
	free(flags);
	ASSERT_EQ(0, hv_open(&self->h));
}

FIXTURE_TEARDOWN(l1d)
{
	write_text(PARAM, "auto");
	hv_close(self->h);
}

TEST_F(l1d, every_mode_is_reported)
{
	struct hv_info info;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const struct expect *m = &modes[i];
		uint32_t eff;
		char *shown;

		ASSERT_EQ(0, write_text(PARAM, m->name)) TH_LOG("mode %s", m->name);
		shown = read_text(PARAM);
		ASSERT_NE(NULL, shown);
		shown[strcspn(shown, "\n")] = '\0';
		EXPECT_STREQ(m->name, shown);
		free(shown);

		ASSERT_EQ(0, hv_get_info(self->h, &info));
		EXPECT_EQ(m->mode, info.l1d_flush_mode);
		eff = info.l1tf == HV_L1TF_AFFECTED ? m->effective :
						      m->effective_unaffected;
		EXPECT_EQ(eff, info.l1d_flush) TH_LOG("mode %s", m->name);
		if (eff == HV_L1D_FLUSH_MODE_NEVER) {
			EXPECT_EQ(HV_L1D_FLUSH_METHOD_NONE,
				  info.l1d_flush_method);
			EXPECT_FALSE(info.mitigations & HV_MITIGATION_L1D_FLUSH);
		} else {
			EXPECT_EQ(self->msr ? HV_L1D_FLUSH_METHOD_MSR :
					      HV_L1D_FLUSH_METHOD_SOFTWARE,
				  info.l1d_flush_method);
			EXPECT_TRUE(info.mitigations & HV_MITIGATION_L1D_FLUSH);
		}
		if (m->reason) {
			EXPECT_STREQ(m->reason, info.l1d_flush_reason);
		} else if (info.l1tf == HV_L1TF_AFFECTED) {
			EXPECT_STREQ("cpu is affected by L1TF",
				     info.l1d_flush_reason);
		} else if (info.l1tf == HV_L1TF_NOT_AFFECTED) {
			EXPECT_STREQ("cpu is not affected by L1TF",
				     info.l1d_flush_reason);
		}
	}
}

TEST_F(l1d, bad_mode_is_refused_and_changes_nothing)
{
	struct hv_info info;

	ASSERT_EQ(0, write_text(PARAM, "always"));
	EXPECT_EQ(-EINVAL, write_text(PARAM, "sometimes"));
	EXPECT_EQ(-EINVAL, write_text(PARAM, "\n"));
	ASSERT_EQ(0, hv_get_info(self->h, &info));
	EXPECT_EQ(HV_L1D_FLUSH_MODE_ALWAYS, info.l1d_flush_mode);
}

HV_TEST_HARNESS_MAIN
