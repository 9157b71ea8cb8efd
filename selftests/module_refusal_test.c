// SPDX-License-Identifier: GPL-2.0
/*
 * On a CPU hv cannot use, loading hv.ko fails with ENODEV and one dmesg
 * line that names the cause, no family appears, and hvctl says the module
 * is not loaded. Runs on the test machine whose CPU has VMX without EPT
 * (Bochs bx_generic with vmx=1); the expected reason can be overridden
 * with HV_EXPECT_REFUSAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libhv.h"
#include "test_util.h"

#define DEFAULT_REASON "VMX without EPT; hv needs EPT and unrestricted guest"

TEST(load_is_refused_with_one_line_naming_the_cause)
{
	const char *reason = getenv("HV_EXPECT_REFUSAL") ?: DEFAULT_REASON;
	char line[256], *log;
	int fd, ret;

	fd = open(HV_KO_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ENODEV, errno);

	snprintf(line, sizeof(line), "hv: cannot load: %s\n", reason);
	log = kmsg_read_all();
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log, line)) TH_LOG("no '%s' in the log", line);
	free(log);
	EXPECT_NE(0, access("/sys/module/hv", F_OK));
}

TEST(family_is_absent)
{
	struct hv *h = NULL;

	EXPECT_EQ(-ENOENT, hv_open(&h));
}

TEST(hvctl_says_the_module_is_not_loaded)
{
	char *argv[] = { HVCTL_PATH, "info", NULL };
	char *out = NULL, *err = NULL;

	EXPECT_EQ(1, run_capture(argv, -1, &out, &err));
	EXPECT_STREQ("", out);
	EXPECT_STREQ("hvctl: info show: the hv module is not loaded (load it with 'modprobe hv'; 'dmesg | grep hv:' says why it refused): No such file or directory\n",
		     err);
	free(out);
	free(err);
}

TEST_HARNESS_MAIN
