// SPDX-License-Identifier: GPL-2.0
/*
 * get-info tells the truth about the CPU: its backend, capabilities, tag
 * count, revision and L1TF/mitigation facts agree with what the kernel
 * itself reports in /proc/cpuinfo and /sys, and with CPUID and the VMX
 * capability MSRs read directly.
 */
#include <cpuid.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "libhv.h"
#include "test_util.h"

#define INFO_ATTRS_ALL							\
	((1ULL << (HV_A_INFO_MAX + 1)) - (1ULL << HV_A_INFO_BACKEND))

struct cap_flag {
	uint64_t cap;
	const char *flag;	/* word in the "vmx flags" or "flags" line */
	const char *also;	/* second word that must be present too */
};

/* Kernel names from arch/x86/include/asm/vmxfeatures.h. */
static const struct cap_flag vmx_map[] = {
	{ HV_CAP_EPT, "ept", NULL },
	{ HV_CAP_EPT_AD, "ept_ad", NULL },
	{ HV_CAP_EPT_1G, "ept_1gb", NULL },
	{ HV_CAP_VPID, "vpid", "invvpid" },
	{ HV_CAP_UNRESTRICTED_GUEST, "unrestricted_guest", NULL },
	{ HV_CAP_PML, "pml", NULL },
	{ HV_CAP_APIC_ACCESS_VIRT, "vapic", NULL },
	{ HV_CAP_TPR_SHADOW, "vtpr", NULL },
	{ HV_CAP_APIC_REG_VIRT, "vapic_reg", NULL },
	{ HV_CAP_VIRT_INTR_DELIVERY, "vid", NULL },
	{ HV_CAP_POSTED_INTR, "posted_intr", NULL },
	{ HV_CAP_VNMI, "vnmi", NULL },
	{ HV_CAP_PREEMPTION_TIMER, "preemption_timer", NULL },
	{ HV_CAP_PAUSE_LOOP_EXIT, "ple", NULL },
	{ HV_CAP_VMCS_SHADOW, "shadow_vmcs", NULL },
	{ HV_CAP_TSC_SCALING, "tsc_scaling", NULL },
};

/* Kernel names from arch/x86/include/asm/cpufeatures.h, word 15. */
static const struct cap_flag svm_map[] = {
	{ HV_CAP_NPT, "npt", NULL },
	{ HV_CAP_NRIP_SAVE, "nrip_save", NULL },
	{ HV_CAP_VMCB_CLEAN, "vmcb_clean", NULL },
	{ HV_CAP_DECODE_ASSISTS, "decodeassists", NULL },
	{ HV_CAP_FLUSH_BY_ASID, "flushbyasid", NULL },
	{ HV_CAP_PAUSE_FILTER, "pausefilter", NULL },
	{ HV_CAP_AVIC, "avic", NULL },
	{ HV_CAP_VGIF, "vgif", NULL },
	{ HV_CAP_LBR_VIRT, "lbrv", NULL },
	{ HV_CAP_VMSAVE_VIRT, "v_vmsave_vmload", NULL },
	{ HV_CAP_TSC_SCALING, "tsc_scale", NULL },
};

/* x2APIC virtualization has no name in /proc/cpuinfo. */
#define VMX_UNNAMED HV_CAP_X2APIC_VIRT

static uint64_t rdmsr_cpu0(uint32_t msr, int *err)
{
	uint64_t val = 0;
	int fd = open("/dev/cpu/0/msr", O_RDONLY);

	*err = fd < 0 || pread(fd, &val, sizeof(val), msr) != sizeof(val);
	if (fd >= 0)
		close(fd);
	return val;
}

FIXTURE(info) {
	struct hv *h;
	struct hv_info info;
	char *flags;
	char *vmx_flags;
	char *bugs;
};

FIXTURE_SETUP(info)
{
	ASSERT_EQ(0, hv_open(&self->h));
	ASSERT_EQ(0, hv_get_info(self->h, &self->info))
		TH_LOG("get-info: %s", hv_errmsg(self->h));
	self->flags = cpuinfo_line("flags");
	ASSERT_NE(NULL, self->flags);
	self->vmx_flags = cpuinfo_line("vmx flags");
	self->bugs = cpuinfo_line("bugs");
	ASSERT_NE(NULL, self->bugs);
}

FIXTURE_TEARDOWN(info)
{
	free(self->flags);
	free(self->vmx_flags);
	free(self->bugs);
	hv_close(self->h);
}

TEST_F(info, every_attribute_is_present)
{
	EXPECT_EQ(INFO_ATTRS_ALL, self->info.present);
}

TEST_F(info, backend_matches_cpuinfo)
{
	uint32_t want = has_word(self->flags, "vmx") ? HV_BACKEND_VMX :
			has_word(self->flags, "svm") ? HV_BACKEND_SVM : 0;

	ASSERT_NE(0, want) TH_LOG("cpuinfo has neither vmx nor svm");
	EXPECT_EQ(want, self->info.backend);
}

TEST_F(info, caps_match_cpuinfo)
{
	const struct cap_flag *map;
	const char *line;
	uint64_t known = 0;
	size_t i, n;

	if (self->info.backend == HV_BACKEND_VMX) {
		ASSERT_NE(NULL, self->vmx_flags) TH_LOG("no 'vmx flags' line");
		map = vmx_map;
		n = sizeof(vmx_map) / sizeof(vmx_map[0]);
		line = self->vmx_flags;
		known = VMX_UNNAMED;
	} else {
		map = svm_map;
		n = sizeof(svm_map) / sizeof(svm_map[0]);
		line = self->flags;
	}
	for (i = 0; i < n; i++) {
		bool want = has_word(line, map[i].flag) &&
			    (!map[i].also || has_word(line, map[i].also));
		bool got = self->info.caps & map[i].cap;

		known |= map[i].cap;
		EXPECT_EQ(want, got) TH_LOG("cap %s: cpuinfo %d, get-info %d",
					    map[i].flag, want, got);
	}
	/* Nothing of the other vendor, nothing unnamed beyond the known. */
	EXPECT_EQ(0, self->info.caps & ~known);
}

TEST_F(info, tlb_tags_and_revision_match_hardware)
{
	unsigned int eax, ebx, ecx, edx;
	uint64_t basic;
	int err;

	if (self->info.backend == HV_BACKEND_SVM) {
		/* AMD APM Vol. 3, CPUID Fn8000_000A: EAX[7:0], EBX = NASID. */
		ASSERT_TRUE(__get_cpuid(0x8000000a, &eax, &ebx, &ecx, &edx));
		EXPECT_EQ(ebx - 1, self->info.tlb_tags);
		EXPECT_EQ(eax & 0xff, self->info.hw_revision);
		return;
	}
	/* Intel SDM Vol. 3D, A.1: IA32_VMX_BASIC[30:0] is the revision. */
	basic = rdmsr_cpu0(0x480, &err);
	ASSERT_EQ(0, err) TH_LOG("cannot read MSR 0x480 through /dev/cpu/0/msr");
	EXPECT_EQ(basic & 0x7fffffff, self->info.hw_revision);
	EXPECT_EQ(self->info.caps & HV_CAP_VPID ? 65535 : 0,
		  self->info.tlb_tags);
}

TEST_F(info, version_matches_module)
{
	char *v = read_text("/sys/module/hv/version");

	ASSERT_NE(NULL, v);
	v[strcspn(v, "\n")] = '\0';
	EXPECT_STREQ(v, self->info.version);
	free(v);
}

TEST_F(info, l1tf_matches_kernel)
{
	const char *vuln = "/sys/devices/system/cpu/vulnerabilities/l1tf";
	bool affected = has_word(self->bugs, "l1tf");

	EXPECT_EQ(affected, !file_contains(vuln, "Not affected"));
	if (!affected) {
		EXPECT_EQ(HV_L1TF_NOT_AFFECTED, self->info.l1tf);
		return;
	}
	/* SKIP_L1DFL_VMENTRY is not visible in cpuinfo; both are affected. */
	EXPECT_NE(HV_L1TF_NOT_AFFECTED, self->info.l1tf);
}

TEST_F(info, l1d_flush_default_follows_the_rule)
{
	bool msr = has_word(self->flags, "flush_l1d");

	ASSERT_EQ(HV_L1D_FLUSH_MODE_AUTO, self->info.l1d_flush_mode);
	switch (self->info.l1tf) {
	case HV_L1TF_AFFECTED:
		EXPECT_EQ(HV_L1D_FLUSH_MODE_COND, self->info.l1d_flush);
		EXPECT_EQ(msr ? HV_L1D_FLUSH_METHOD_MSR :
				HV_L1D_FLUSH_METHOD_SOFTWARE,
			  self->info.l1d_flush_method);
		EXPECT_STREQ("cpu is affected by L1TF",
			     self->info.l1d_flush_reason);
		EXPECT_TRUE(self->info.mitigations & HV_MITIGATION_L1D_FLUSH);
		break;
	case HV_L1TF_NOT_AFFECTED:
		EXPECT_EQ(HV_L1D_FLUSH_MODE_NEVER, self->info.l1d_flush);
		EXPECT_EQ(HV_L1D_FLUSH_METHOD_NONE, self->info.l1d_flush_method);
		EXPECT_STREQ("cpu is not affected by L1TF",
			     self->info.l1d_flush_reason);
		EXPECT_FALSE(self->info.mitigations & HV_MITIGATION_L1D_FLUSH);
		break;
	default:
		EXPECT_EQ(HV_L1D_FLUSH_MODE_NEVER, self->info.l1d_flush);
		EXPECT_STREQ("IA32_ARCH_CAPABILITIES.SKIP_L1DFL_VMENTRY is set",
			     self->info.l1d_flush_reason);
	}
}

TEST_F(info, verw_and_vmscape_match_kernel)
{
	static const char *const buffer_bugs[] = {
		"mds", "tsx_async_abort", "mmio_stale_data",
		"reg_file_data_sampling", "tsa",
	};
	const char *dir = "/sys/devices/system/cpu/vulnerabilities/";
	bool verw = self->info.mitigations & HV_MITIGATION_VERW;
	bool none_affected = true;
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(buffer_bugs) / sizeof(buffer_bugs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, buffer_bugs[i]);
		if (!file_contains(path, "Not affected"))
			none_affected = false;
	}
	if (none_affected) {
		EXPECT_FALSE(verw);
	}
	/* bugs.c sets X86_FEATURE_CLEAR_CPU_BUF when MDS is mitigated. */
	snprintf(path, sizeof(path), "%smds", dir);
	if (self->info.backend == HV_BACKEND_VMX &&
	    file_contains(path, "Clear CPU buffers")) {
		EXPECT_TRUE(verw);
	}

	snprintf(path, sizeof(path), "%svmscape", dir);
	EXPECT_EQ(file_contains(path, "IBPB before exit to userspace"),
		  !!(self->info.mitigations & HV_MITIGATION_IBPB_EXIT_TO_USER));
}

HV_TEST_HARNESS_MAIN
