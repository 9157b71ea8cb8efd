// SPDX-License-Identifier: GPL-2.0
/*
 * The family keeps answering while vCPUs run: with one vCPU spinning in
 * the guest and the other waiting for an owner that does not answer,
 * another socket reads the VM, its vCPUs, its memory and the module's
 * slots and the module's state hundreds of times with exact results,
 * also while the owner pauses and resumes the VM over and over from
 * another process; the owner reads guest memory (only it may) meanwhile. A
 * handler that blocked on a vCPU would hang this test (the harness
 * timeout fails it); none may.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define COUNTER_GPA	0x20000
#define READS		300
#define CYCLES		25

/* vCPU 0 counts in memory forever; vCPU 1 reports once, then halts. */
GUEST_CODE(resp, ".code64",
	"test %rbx, %rbx\n"
	"jnz 2f\n"
	"1: incq 0x20000\n"
	"jmp 1b\n"
	"2: mov $0x5151, %eax\n"
	G_REPORT
	"hlt\n");

FIXTURE(resp) {
	struct tvm vm;
	struct hv *reader;
	struct hv_message held;
};

FIXTURE_SETUP(resp)
{
	struct hv_vcpu_info vi;
	struct hv_regs r;
	int i;

	self->reader = NULL;
	ASSERT_EQ(0, tvm_create(&self->vm, 1 << 20, 2));
	tvm_load(&self->vm, CODE_GPA, resp_start, resp_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 1, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 1, &r));
	r.gpr[HV_RBX] = 1;
	ASSERT_EQ(0, hv_vcpu_set_regs(self->vm.h, self->vm.id, 1, &r));
	ASSERT_EQ(0, hv_open(&self->reader));

	/* vCPU 1's report is left unanswered. */
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &self->held, 10000));
	ASSERT_EQ(1, self->held.vcpu);
	ASSERT_EQ(0x5151, self->held.data);

	/*
	 * vCPU 1 may report before vCPU 0's thread first ran: wait, bounded,
	 * until vCPU 0 runs, which every read round then checks.
	 */
	for (i = 0; i < 2000; i++) {
		ASSERT_EQ(0, hv_vcpu_get(self->vm.h, self->vm.id, 0, &vi));
		if (vi.state == HV_VCPU_STATE_RUNNING)
			break;
		usleep(5000);
	}
	ASSERT_EQ(HV_VCPU_STATE_RUNNING, vi.state);
}

FIXTURE_TEARDOWN(resp)
{
	hv_close(self->reader);
	tvm_destroy(&self->vm);
}

static uint64_t counter(struct hv *h, uint32_t vm)
{
	uint64_t v = ~0ULL;

	if (hv_mem_read(h, vm, COUNTER_GPA, &v, sizeof(v)))
		return ~0ULL;
	return v;
}

/*
 * One round of reads. Guest memory is read by the owner only; others
 * read the slot list. Returns 0 when every answer came and was exact;
 * otherwise the number of the failed check.
 */
static int read_round(struct hv *h, uint32_t vm, int paused_ok, int owner)
{
	unsigned char code[64];
	struct hv_slot_info *slots;
	struct hv_vcpu_info vi;
	struct hv_vm_info info, *list;
	struct hv_info hi;
	struct hv_stats st;
	size_t n, i;
	int found = 0;

	if (hv_get_info(h, &hi))
		return 1;
	if (hv_vm_get(h, vm, NULL, &info) || info.nr_vcpus != 2 ||
	    info.mem_size != 1 << 20)
		return 2;
	if (info.state != HV_VM_STATE_RUNNING &&
	    !(paused_ok && info.state == HV_VM_STATE_PAUSED))
		return 3;
	if (hv_vcpu_get(h, vm, 1, &vi) || vi.state != HV_VCPU_STATE_OWNER_WAIT)
		return 4;
	if (hv_vcpu_get(h, vm, 0, &vi) ||
	    (vi.state != HV_VCPU_STATE_RUNNING &&
	     !(paused_ok && vi.state == HV_VCPU_STATE_STOPPED)))
		return 5;
	if (owner) {
		if (hv_mem_read(h, vm, CODE_GPA, code, resp_end - resp_start) ||
		    memcmp(code, resp_start, resp_end - resp_start))
			return 6;
	} else {
		if (hv_mem_list(h, vm, &slots, &n))
			return 6;
		i = n == 1 && slots[0].gpa == 0 && slots[0].size == 1 << 20;
		free(slots);
		if (!i)
			return 6;
	}
	if (hv_get_stats(h, vm, &st) || st.vm != vm || st.vcpus != 2)
		return 7;
	if (hv_vm_list(h, &list, &n))
		return 8;
	for (i = 0; i < n; i++)
		found += list[i].id == vm;
	free(list);
	return found == 1 ? 0 : 9;
}

TEST_F(resp, reads_answer_while_vcpus_spin_and_wait)
{
	uint64_t before, after;
	int i;

	before = counter(self->vm.h, self->vm.id);
	ASSERT_NE(~0ULL, before);
	for (i = 0; i < READS; i++) {
		/* Braced: the harness's handler must run inside the loop. */
		ASSERT_EQ(0, read_round(self->reader, self->vm.id, 0, 0))
			TH_LOG("round %d", i);
	}
	/* The owner's socket answers too, with a vCPU waiting on it. */
	for (i = 0; i < READS / 10; i++)
		ASSERT_EQ(0, read_round(self->vm.h, self->vm.id, 0, 1));

	/* Paused: the counter stands still, exactly. */
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	before = counter(self->vm.h, self->vm.id);
	for (i = 0; i < READS / 10; i++)
		ASSERT_EQ(0, read_round(self->reader, self->vm.id, 1, 0));
	after = counter(self->vm.h, self->vm.id);
	EXPECT_EQ(before, after);
	EXPECT_LT(0, after) TH_LOG("vCPU 0 never ran");

	/* Resumed: the waiting vCPU is answered and halts. */
	ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->held, 0));
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

TEST_F(resp, reads_answer_while_the_owner_pauses_and_resumes)
{
	int status, i, bad = 0;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct hv *h;

		/* A fresh socket: the parent's is not shared across fork. */
		if (hv_open(&h))
			_exit(100);
		for (i = 0; i < READS && !bad; i++)
			bad = read_round(h, self->vm.id, 1, 0);
		hv_close(h);
		_exit(bad);
	}
	for (i = 0; i < CYCLES; i++) {
		ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
		ASSERT_EQ(0, read_round(self->vm.h, self->vm.id, 1, 1));
		ASSERT_EQ(0, hv_vm_start(self->vm.h, self->vm.id));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("reader check %d failed",
						 WEXITSTATUS(status));
	ASSERT_EQ(0, tvm_complete(&self->vm, &self->held, 0));
	EXPECT_EQ(0, tvm_run_to_hlt(&self->vm, 10000));
}

HV_TEST_HARNESS_MAIN
