// SPDX-License-Identifier: GPL-2.0
/*
 * The apicv module parameter: apicv=off keeps the APIC in hv whatever the
 * CPU offers, and get-info says so and why; the default uses APICv
 * exactly where the CPU has all of TPR shadow, x2APIC virtualization,
 * APIC-register virtualization and virtual-interrupt delivery; a value
 * that is neither refuses the load. Reloads hv.ko, and leaves it loaded
 * with its defaults.
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

#define PARAM "/sys/module/hv/parameters/apicv"

static int load(const char *params)
{
	int fd = open(HV_KO_PATH, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "hv", O_NONBLOCK) ? -errno : 0;
}

static int info(struct hv_info *i)
{
	struct hv *h = NULL;
	int err = hv_open(&h);

	if (!err)
		err = hv_get_info(h, i);
	hv_close(h);
	return err;
}

static const char *expected(const struct hv_info *i)
{
	const uint64_t all = HV_CAP_TPR_SHADOW | HV_CAP_X2APIC_VIRT |
			     HV_CAP_APIC_REG_VIRT | HV_CAP_VIRT_INTR_DELIVERY;

	if (i->backend != HV_BACKEND_VMX || (i->caps & all) != all)
		return "off";
	return i->caps & HV_CAP_POSTED_INTR ? "posted" : "vid";
}

static void read_param(char *buf, size_t len)
{
	int fd = open(PARAM, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	buf[n < 0 ? 0 : n] = '\0';
	if (fd >= 0)
		close(fd);
}

TEST(apicv_off_and_auto)
{
	struct hv_info i;
	char buf[16];

	ASSERT_EQ(0, unload());
	ASSERT_EQ(0, load("apicv=off"));
	ASSERT_EQ(0, info(&i));
	EXPECT_STREQ("off", i.apicv);
	EXPECT_STREQ("apicv=off", i.apicv_reason);
	read_param(buf, sizeof(buf));
	EXPECT_STREQ("off\n", buf);

	ASSERT_EQ(0, unload());
	/* Neither auto nor off: the load is refused, nothing stays. */
	EXPECT_EQ(-EINVAL, load("apicv=on"));
	EXPECT_NE(0, access("/sys/module/hv", F_OK));

	ASSERT_EQ(0, load(""));
	ASSERT_EQ(0, info(&i));
	EXPECT_STREQ(expected(&i), i.apicv);
	EXPECT_NE(0, strlen(i.apicv_reason));
	read_param(buf, sizeof(buf));
	EXPECT_STREQ("auto\n", buf);
}

TEST_HARNESS_MAIN
