// SPDX-License-Identifier: GPL-2.0
/*
 * KVM on the same host. While Debian's own KVM (kvm_amd or kvm_intel) has
 * a VM, and so VMX or SVM switched on, creating an hv VM fails with EBUSY
 * and a message naming KVM and what to do; once KVM's VM is gone hv works.
 * While hv has a VM, creating a KVM VM fails, and hv's running guest does
 * not notice: it goes on reporting, exactly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

/* Count in RBX and report it, for ever. */
GUEST_CODE(coexist_counter, ".code64",
	"xor %ebx, %ebx\n"
	"1: inc %ebx\n"
	"mov %ebx, %eax\n"
	G_REPORT
	"jmp 1b\n");

static const char *kvm_module(uint32_t backend)
{
	return backend == HV_BACKEND_VMX ? "kvm_intel" : "kvm_amd";
}

/* insmod each module in the order the initramfs wrote down. */
static int kvm_load(const char *kvm)
{
	char path[128], *order, *name, *save = NULL;
	int err = 0;

	snprintf(path, sizeof(path), "/lib/modules/%s.order", kvm);
	order = read_text(path);
	if (!order)
		return -ENOENT;
	for (name = strtok_r(order, "\n", &save); name && !err;
	     name = strtok_r(NULL, "\n", &save)) {
		char ko[160], *out = NULL, *msg = NULL;
		char *argv[] = { "/bin/insmod", ko, NULL };

		snprintf(ko, sizeof(ko), "/lib/modules/%s.ko", name);
		if (run_capture(argv, -1, &out, &msg)) {
			fprintf(stderr, "insmod %s: %s\n", ko, msg ? msg : "");
			err = -EIO;
		}
		free(out);
		free(msg);
	}
	free(order);
	return err;
}

static void kvm_unload(const char *kvm)
{
	char *argv[] = { "/bin/rmmod", (char *)kvm, "kvm", NULL };
	char *out = NULL, *err = NULL;

	run_capture(argv, -1, &out, &err);
	free(out);
	free(err);
}

static void expect_count(struct __test_metadata *_metadata, struct tvm *vm,
			 uint64_t *n)
{
	uint64_t v;

	ASSERT_EQ(0, tvm_expect_report(vm, &v, 30000));
	EXPECT_EQ(++*n, v);
}

FIXTURE(coexist) {
};

FIXTURE_SETUP(coexist)
{
}

FIXTURE_TEARDOWN(coexist)
{
}

/*
 * Loading and unloading KVM and switching VMX or SVM on every CPU three
 * times take most of the harness's default 30 s in Bochs.
 */
TEST_F_TIMEOUT(coexist, kvm_and_hv_take_turns, 120)
{
	struct hv_info info;
	struct hv_vm_info vi;
	struct hv *h;
	struct tvm vm;
	uint64_t n = 0;
	int kvm, kvm_vm;
	const char *mod;
	char want[160];

	ASSERT_EQ(0, hv_open(&h));
	ASSERT_EQ(0, hv_get_info(h, &info));
	ASSERT_EQ(0, tvm_accounting_settles(h, 10000));
	mod = kvm_module(info.backend);
	ASSERT_EQ(0, kvm_load(mod));
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, kvm);

	/* KVM's VM switches VMX or SVM on: hv says who has it. */
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm);
	EXPECT_EQ(-EBUSY, hv_vm_new(h, NULL, &vi));
	snprintf(want, sizeof(want),
		 "%s has %s switched on: stop its VMs or unload it (from 6.12, boot with kvm.enable_virt_at_load=0)",
		 mod, info.backend == HV_BACKEND_VMX ? "VMX" : "SVM");
	EXPECT_STREQ(want, hv_errmsg(h));
	close(kvm_vm);

	/* KVM's VM is gone: hv runs a guest. */
	ASSERT_EQ(0, tvm_create(&vm, 1 << 20, 1));
	tvm_load(&vm, CODE_GPA, coexist_counter_start, coexist_counter_end);
	ASSERT_EQ(0, tvm_set_mode(&vm, 0, MODE_LONG64, CODE_GPA));
	expect_count(_metadata, &vm, &n);

	/* Now KVM cannot have VMX or SVM, and hv's guest goes on. */
	EXPECT_EQ(-1, ioctl(kvm, KVM_CREATE_VM, 0));
	EXPECT_EQ(EBUSY, errno);
	expect_count(_metadata, &vm, &n);
	expect_count(_metadata, &vm, &n);
	ASSERT_EQ(0, hv_vm_get(vm.h, vm.id, NULL, &vi));
	EXPECT_EQ(HV_VM_STATE_RUNNING, vi.state);
	tvm_destroy(&vm);

	/* And once hv's VM is gone, KVM can again. */
	ASSERT_EQ(0, tvm_accounting_settles(h, 10000));
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	EXPECT_LE(0, kvm_vm);
	close(kvm_vm);
	close(kvm);
	kvm_unload(mod);
	hv_close(h);
}

HV_TEST_HARNESS_MAIN
