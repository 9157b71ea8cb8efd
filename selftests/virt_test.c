// SPDX-License-Identifier: GPL-2.0
/*
 * Virtualization is on, on every online CPU, exactly while hv has VMs:
 * off before the first, on with it, and off after the last is destroyed.
 * A CPU taken offline and brought back while VMs exist gets it switched
 * on again, and guests keep running across it. On SVM the state is
 * EFER.SVME, read through /dev/cpu/N/msr (APM Vol. 2, 15.4); VMX has no
 * MSR that shows VMXON, so there only the guests' progress is checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MSR_EFER	0xc0000080
#define EFER_SVME	(1ULL << 12)
#define CPU1_ONLINE	"/sys/devices/system/cpu/cpu1/online"

/* Count to 2^16, report, forever. */
GUEST_CODE(virt_spin, ".code64",
	"xor %eax, %eax\n"
	"1: inc %eax\n"
	"test $0xffff, %eax\n"
	"jnz 1b\n"
	G_REPORT
	"jmp 1b\n");

/* EFER.SVME of @cpu: 1 or 0; -1 if it cannot be read. */
static int svme(int cpu)
{
	char path[64];
	uint64_t efer;
	int fd, n;

	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, &efer, sizeof(efer), MSR_EFER);
	close(fd);
	if (n != sizeof(efer))
		return -1;
	return !!(efer & EFER_SVME);
}

FIXTURE(virt) {
	struct hv_info info;
	bool svm;
};

FIXTURE_SETUP(virt)
{
	struct hv_stats st;
	struct hv *h;

	ASSERT_EQ(0, hv_open(&h));
	ASSERT_EQ(0, hv_get_info(h, &self->info));
	ASSERT_EQ(0, hv_get_stats(h, 0, &st));
	hv_close(h);
	ASSERT_EQ(0, st.vms) TH_LOG("VMs left over from another test");
	self->svm = self->info.backend == HV_BACKEND_SVM;
	ASSERT_LE(2, sysconf(_SC_NPROCESSORS_ONLN))
		TH_LOG("the test machine needs two CPUs");
}

FIXTURE_TEARDOWN(virt)
{
	write_text(CPU1_ONLINE, "1");
}

/* Both vCPUs report twice, each counting on exactly: the guest runs. */
static int runs(struct tvm *vm)
{
	uint64_t last[2] = { 0, 0 };
	int seen[2] = { 0, 0 }, i;
	struct hv_message ev;

	for (i = 0; i < 40 && (seen[0] < 2 || seen[1] < 2); i++) {
		if (tvm_next_exit(vm, &ev, 10000) || ev.port != TEST_PORT ||
		    ev.vcpu > 1)
			return -1;
		if (seen[ev.vcpu] && ev.data != last[ev.vcpu] + 0x10000)
			return -1;
		last[ev.vcpu] = ev.data;
		seen[ev.vcpu]++;
		if (tvm_complete(vm, &ev, 0))
			return -1;
	}
	return seen[0] >= 2 && seen[1] >= 2 ? 0 : -1;
}

TEST_F(virt, on_exactly_while_vms_exist)
{
	struct tvm a, b;

	if (self->svm) {
		EXPECT_EQ(0, svme(0));
		EXPECT_EQ(0, svme(1));
	}
	ASSERT_EQ(0, tvm_create(&a, 1 << 20, 1));
	if (self->svm) {
		EXPECT_EQ(1, svme(0));
		EXPECT_EQ(1, svme(1));
	}
	ASSERT_EQ(0, tvm_create(&b, 1 << 20, 1));
	tvm_destroy(&a);
	/* One VM is left: still on. */
	if (self->svm) {
		EXPECT_EQ(1, svme(0));
		EXPECT_EQ(1, svme(1));
	}
	tvm_destroy(&b);
	if (self->svm) {
		EXPECT_EQ(0, svme(0));
		EXPECT_EQ(0, svme(1));
	}
}

TEST_F(virt, cpu_hotplug_while_guests_run)
{
	struct tvm vm;

	ASSERT_EQ(0, tvm_create(&vm, 1 << 20, 2));
	tvm_load(&vm, CODE_GPA, virt_spin_start, virt_spin_end);
	ASSERT_EQ(0, tvm_set_mode(&vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_set_mode(&vm, 1, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vm_start(vm.h, vm.id));
	vm.started = 1;

	ASSERT_EQ(0, write_text(CPU1_ONLINE, "0"));
	if (self->svm)
		EXPECT_EQ(1, svme(0));
	EXPECT_EQ(0, runs(&vm)) TH_LOG("the guest stopped with CPU 1 offline");

	ASSERT_EQ(0, write_text(CPU1_ONLINE, "1"));
	/* Switched on again by the online callback, before tasks run there. */
	if (self->svm)
		EXPECT_EQ(1, svme(1));
	EXPECT_EQ(0, runs(&vm)) TH_LOG("the guest stopped after CPU 1 came back");
	tvm_destroy(&vm);
	if (self->svm) {
		EXPECT_EQ(0, svme(0));
		EXPECT_EQ(0, svme(1));
	}
}

TEST_F(virt, a_cpu_brought_up_without_vms_stays_off)
{
	struct tvm vm;

	ASSERT_EQ(0, write_text(CPU1_ONLINE, "0"));
	ASSERT_EQ(0, write_text(CPU1_ONLINE, "1"));
	if (self->svm)
		EXPECT_EQ(0, svme(1));
	ASSERT_EQ(0, tvm_create(&vm, 1 << 20, 1));
	if (self->svm)
		EXPECT_EQ(1, svme(1));
	tvm_destroy(&vm);
}

HV_TEST_HARNESS_MAIN
