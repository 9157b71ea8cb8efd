// SPDX-License-Identifier: GPL-2.0
/*
 * Ownership (DESIGN rule 3): closing the owner socket destroys its VMs and
 * the module's accounting of VMs, vCPUs, threads, pinned pages and table
 * pages returns to exactly zero; other sockets may read a VM but get EPERM
 * for changes; callers without CAP_NET_ADMIN get EPERM for any change;
 * vCPU threads are attached to the owner's cgroup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB (1 << 20)

GUEST_CODE(owner_spin, ".code64",
	"1: pause\n"
	"jmp 1b\n");

static int start_spinning(struct tvm *vm)
{
	uint32_t i;
	int err;

	tvm_load(vm, CODE_GPA, owner_spin_start, owner_spin_end);
	for (i = 0; i < vm->nr_vcpus; i++) {
		err = tvm_set_mode(vm, i, MODE_LONG64, CODE_GPA);
		if (err)
			return err;
	}
	return hv_vm_start(vm->h, vm->id);
}

TEST(closing_the_owner_releases_everything)
{
	struct tvm a, b;
	struct hv_stats st;
	struct hv_message ev;
	struct hv *watch;
	int destroyed = 0;

	ASSERT_EQ(0, hv_open(&watch));
	ASSERT_EQ(0, hv_subscribe_notices(watch));
	ASSERT_EQ(0, hv_get_stats(watch, 0, &st));
	ASSERT_EQ(0, st.vms) TH_LOG("VMs left over from another test");

	ASSERT_EQ(0, tvm_create(&a, 2 * MIB, 2));
	ASSERT_EQ(0, tvm_create(&b, 4 * MIB, 2));
	ASSERT_EQ(0, start_spinning(&a));
	ASSERT_EQ(0, start_spinning(&b));
	ASSERT_EQ(0, hv_get_stats(watch, 0, &st));
	EXPECT_EQ(2, st.vms);
	EXPECT_EQ(4, st.vcpus);
	EXPECT_EQ(4, st.threads);
	EXPECT_EQ((6 * MIB) / 4096, st.pinned_pages);
	EXPECT_LT(1, st.pt_pages);

	/* Close the owner sockets (the memfd mappings stay ours). */
	hv_close(a.h);
	a.h = NULL;
	hv_close(b.h);
	b.h = NULL;
	while (destroyed < 2) {
		ASSERT_EQ(0, hv_next_message(watch, &ev, 10000));
		if (ev.notice == HV_NOTICE_DESTROYED &&
		    (ev.vm == a.id || ev.vm == b.id))
			destroyed++;
	}
	ASSERT_EQ(0, hv_get_stats(watch, 0, &st));
	EXPECT_EQ(0, st.vms);
	EXPECT_EQ(0, st.vcpus);
	EXPECT_EQ(0, st.threads);
	EXPECT_EQ(0, st.pinned_pages);
	EXPECT_EQ(0, st.pt_pages);
	tvm_destroy(&a);
	tvm_destroy(&b);
	hv_close(watch);
}

TEST(others_may_read_but_not_change)
{
	struct hv_vcpu_info vi;
	struct hv_vm_info info;
	struct hv_regs r;
	struct hv *other;
	struct tvm vm;
	uint8_t byte;

	ASSERT_EQ(0, tvm_create(&vm, MIB, 1));
	ASSERT_EQ(0, hv_open(&other));
	EXPECT_EQ(0, hv_vm_get(other, vm.id, NULL, &info));
	EXPECT_EQ(hv_portid(vm.h), info.owner);
	EXPECT_EQ(0, hv_vcpu_get(other, vm.id, 0, &vi));

	EXPECT_EQ(-EPERM, hv_vm_start(other, vm.id));
	EXPECT_STREQ("only the VM's owner socket may change it",
		     hv_errmsg(other));
	EXPECT_EQ(-EPERM, hv_vm_pause(other, vm.id));
	EXPECT_EQ(-EPERM, hv_vm_del(other, vm.id));
	EXPECT_EQ(-EPERM, hv_vcpu_new(other, vm.id, NULL));
	EXPECT_EQ(-EPERM, hv_vcpu_get_regs(other, vm.id, 0, &r));
	EXPECT_EQ(-EPERM, hv_mem_read(other, vm.id, 0, &byte, 1));
	EXPECT_EQ(-EPERM, hv_mem_map(other, vm.id, 16 * MIB, MIB, vm.mem, 0,
				     NULL));
	EXPECT_EQ(-EPERM, hv_vm_set_msr_policy(other, vm.id, 1));
	EXPECT_EQ(-EPERM, hv_vcpu_complete(other, vm.id, 0, 1, 0, 0));
	/* Nothing changed. */
	ASSERT_EQ(0, hv_vm_get(vm.h, vm.id, NULL, &info));
	EXPECT_EQ(HV_VM_STATE_CREATED, info.state);
	EXPECT_EQ(1, info.nr_vcpus);
	EXPECT_EQ(MIB, info.mem_size);
	hv_close(other);
	tvm_destroy(&vm);
}

TEST(callers_without_cap_net_admin_cannot_change_anything)
{
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct hv_vm_info *all;
		struct hv *h;
		size_t n;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (hv_open(&h))
			_exit(11);
		if (hv_vm_new(h, NULL, NULL) != -EPERM)
			_exit(12);
		if (hv_vm_list(h, &all, &n))	/* reading is allowed */
			_exit(13);
		free(all);
		hv_close(h);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ok;

	if (fd < 0)
		return -errno;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -errno;
}

TEST(vcpu_threads_join_the_owners_cgroup)
{
	struct hv_vcpu_info vi;
	char path[64], self_pid[16], *cg;
	struct tvm vm;

	/* cgroup2 at /sys/fs/cgroup, mounted here if no one did. */
	mkdir("/sys/fs/cgroup", 0755);
	if (access("/sys/fs/cgroup/cgroup.procs", F_OK))
		ASSERT_EQ(0, mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL));
	mkdir("/sys/fs/cgroup/hvtest", 0755);
	snprintf(self_pid, sizeof(self_pid), "%d", getpid());
	ASSERT_EQ(0, write_file("/sys/fs/cgroup/hvtest/cgroup.procs", self_pid));

	ASSERT_EQ(0, tvm_create(&vm, MIB, 1));
	ASSERT_EQ(0, hv_vcpu_get(vm.h, vm.id, 0, &vi));
	ASSERT_LT(0, vi.thread);
	snprintf(path, sizeof(path), "/proc/%u/cgroup", vi.thread);
	cg = read_text(path);
	ASSERT_NE(NULL, cg);
	EXPECT_STREQ("0::/hvtest\n", cg);
	snprintf(path, sizeof(path), "/proc/%u/comm", vi.thread);
	free(cg);
	cg = read_text(path);
	ASSERT_NE(NULL, cg);
	snprintf(path, sizeof(path), "hv/%u/0\n", vm.id);
	EXPECT_STREQ(path, cg);
	free(cg);
	tvm_destroy(&vm);

	ASSERT_EQ(0, write_file("/sys/fs/cgroup/cgroup.procs", self_pid));
	EXPECT_EQ(0, rmdir("/sys/fs/cgroup/hvtest"));
}

HV_TEST_HARNESS_MAIN
