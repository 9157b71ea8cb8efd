// SPDX-License-Identifier: GPL-2.0
/*
 * Two VMs with two vCPUs each run at once, each from its own owner
 * socket. Every vCPU reports its own sequence of values; every exit
 * reaches the right owner, names the right VM and vCPU, carries the next
 * per-vCPU sequence number and the exact value, and no vCPU's exits are
 * lost, duplicated or delivered to the other VM. All four vCPUs are
 * shown to be live at the same time: none is answered until all four
 * have exited.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define NR_VMS		2
#define NR_VCPUS	2
#define ROUNDS		64

/*
 * RBX holds the vCPU's tag (set by the test). Each round reports
 * tag << 16 | round, runs a CPUID (handled in the kernel) in between to
 * mix in-kernel exits with owner exits, and finally halts.
 */
GUEST_CODE(multi, ".code64",
	"mov %rbx, %rdi\n"
	"xor %esi, %esi\n"
	"1: mov %edi, %eax\n"
	"shl $16, %eax\n"
	"or %esi, %eax\n"
	G_REPORT
	"xor %eax, %eax\n"
	"cpuid\n"
	"inc %esi\n"
	"cmp $64, %esi\n"
	"jne 1b\n"
	"hlt\n");

static uint32_t tag(int vm, int vcpu)
{
	return 0x100 + vm * 0x10 + vcpu;
}

struct progress {
	uint32_t next;		/* next expected round; ROUNDS then HLT */
	uint64_t seq;		/* last exit sequence number seen */
	int halted;
	struct hv_message held;	/* first exit, held until all four exited */
};

FIXTURE(multi) {
	struct tvm vm[NR_VMS];
	struct progress p[NR_VMS][NR_VCPUS];
};

FIXTURE_SETUP(multi)
{
	struct hv_regs r;
	int i, j;

	memset(self->p, 0, sizeof(self->p));
	for (i = 0; i < NR_VMS; i++) {
		ASSERT_EQ(0, tvm_create(&self->vm[i], 1 << 20, NR_VCPUS));
		tvm_load(&self->vm[i], CODE_GPA, multi_start, multi_end);
		for (j = 0; j < NR_VCPUS; j++) {
			ASSERT_EQ(0, tvm_set_mode(&self->vm[i], j, MODE_LONG64,
						  CODE_GPA));
			ASSERT_EQ(0, hv_vcpu_get_regs(self->vm[i].h,
						      self->vm[i].id, j, &r));
			r.gpr[HV_RBX] = tag(i, j);
			ASSERT_EQ(0, hv_vcpu_set_regs(self->vm[i].h,
						      self->vm[i].id, j, &r));
		}
	}
}

FIXTURE_TEARDOWN(multi)
{
	int i;

	for (i = 0; i < NR_VMS; i++)
		tvm_destroy(&self->vm[i]);
}

/* On a stall, say where every vCPU is. */
static void dump_vcpus(struct tvm *vms)
{
	struct hv_vcpu_info vi;
	int i, j;

	for (i = 0; i < NR_VMS; i++)
		for (j = 0; j < NR_VCPUS; j++) {
			if (hv_vcpu_get(vms[i].h, vms[i].id, j, &vi)) {
				fprintf(stderr, "vm %d vcpu %d: %s\n", i, j,
					hv_errmsg(vms[i].h));
				continue;
			}
			fprintf(stderr, "vm %d vcpu %d: %s, %llu exits, thread %u\n",
				i, j, hv_vcpu_state_name(vi.state),
				(unsigned long long)vi.exits, vi.thread);
		}
}

/* Check one exit against what its vCPU must send next; 0 if it fits. */
static int check_exit(struct __test_metadata *_metadata, struct tvm *vm,
		      int vmi, struct progress *pv, const struct hv_message *ev)
{
	struct progress *p;

	EXPECT_EQ(HV_CMD_EXIT, ev->cmd);
	EXPECT_EQ(vm->id, ev->vm);
	if (ev->vm != vm->id || ev->vcpu >= NR_VCPUS)
		return -EPROTO;
	p = &pv[ev->vcpu];
	EXPECT_EQ(p->seq + 1, ev->seq);
	p->seq = ev->seq;
	EXPECT_EQ(0, p->halted);
	if (p->next < ROUNDS) {
		EXPECT_EQ(HV_EXIT_REASON_IO, ev->reason);
		EXPECT_EQ(TEST_PORT, ev->port);
		EXPECT_EQ(HV_DIR_WRITE, ev->dir);
		EXPECT_EQ(4, ev->size);
		EXPECT_EQ(tag(vmi, ev->vcpu) << 16 | p->next, ev->data);
		if (ev->reason != HV_EXIT_REASON_IO ||
		    ev->data != (tag(vmi, ev->vcpu) << 16 | p->next))
			return -EPROTO;
		p->next++;
		return 0;
	}
	EXPECT_EQ(HV_EXIT_REASON_HLT, ev->reason);
	if (ev->reason != HV_EXIT_REASON_HLT)
		return -EPROTO;
	p->halted = 1;
	return 0;
}

TEST_F(multi, two_vms_two_vcpus_each_exact_sequences)
{
	struct pollfd pfd[NR_VMS];
	struct hv_vcpu_info vi;
	struct hv_message ev;
	struct hv_stats st;
	int i, j, held = 0, halted = 0;

	for (i = 0; i < NR_VMS; i++) {
		ASSERT_EQ(0, hv_vm_start(self->vm[i].h, self->vm[i].id));
		pfd[i].fd = hv_fd(self->vm[i].h);
		pfd[i].events = POLLIN;
	}

	/*
	 * Phase 1: the first exit of every vCPU, none answered yet. Exits
	 * that came in during vm-start wait in libhv's queue, which poll()
	 * does not see: poll only when both queues are empty.
	 */
	while (held < NR_VMS * NR_VCPUS) {
		int got = 0;

		for (i = 0; i < NR_VMS; i++) {
			if (hv_next_message(self->vm[i].h, &ev, 0))
				continue;
			got = 1;
			ASSERT_EQ(0, check_exit(_metadata, &self->vm[i], i,
						self->p[i], &ev));
			ASSERT_EQ(1, self->p[i][ev.vcpu].next)
				TH_LOG("vm %d vcpu %u exited twice unanswered",
				       i, ev.vcpu);
			self->p[i][ev.vcpu].held = ev;
			held++;
		}
		if (!got && held < NR_VMS * NR_VCPUS &&
		    poll(pfd, NR_VMS, 10000) <= 0) {
			dump_vcpus(self->vm);
			ASSERT_EQ(NR_VMS * NR_VCPUS, held)
				TH_LOG("vCPUs stopped exiting");
		}
	}
	for (i = 0; i < NR_VMS; i++)
		for (j = 0; j < NR_VCPUS; j++) {
			ASSERT_EQ(0, hv_vcpu_get(self->vm[i].h, self->vm[i].id,
						 j, &vi));
			EXPECT_EQ(HV_VCPU_STATE_OWNER_WAIT, vi.state);
			ASSERT_EQ(0, tvm_complete(&self->vm[i],
						  &self->p[i][j].held, 0));
		}

	/* Phase 2: answer everything as it comes, from both sockets. */
	while (halted < NR_VMS * NR_VCPUS) {
		int got = 0;

		for (i = 0; i < NR_VMS; i++) {
			if (hv_next_message(self->vm[i].h, &ev, 0))
				continue;
			got = 1;
			ASSERT_EQ(0, check_exit(_metadata, &self->vm[i], i,
						self->p[i], &ev));
			if (ev.reason == HV_EXIT_REASON_HLT)
				halted++;
			else
				ASSERT_EQ(0, tvm_complete(&self->vm[i], &ev, 0));
		}
		if (!got && poll(pfd, NR_VMS, 10000) <= 0) {
			dump_vcpus(self->vm);
			ASSERT_EQ(NR_VMS * NR_VCPUS, halted)
				TH_LOG("vCPUs stopped exiting");
		}
	}

	for (i = 0; i < NR_VMS; i++) {
		for (j = 0; j < NR_VCPUS; j++) {
			EXPECT_EQ(ROUNDS, self->p[i][j].next);
			/* 64 reports and the HLT. */
			EXPECT_EQ(ROUNDS + 1, self->p[i][j].seq);
		}
		/* Each VM counted its own vCPUs' exits only. */
		ASSERT_EQ(0, hv_get_stats(self->vm[i].h, self->vm[i].id, &st));
		EXPECT_EQ(NR_VCPUS * ROUNDS, st.exits[HV_STAT_IO]);
		EXPECT_EQ(NR_VCPUS * ROUNDS, st.exits[HV_STAT_CPUID]);
		EXPECT_EQ(NR_VCPUS, st.exits[HV_STAT_HLT]);
		EXPECT_EQ(0, st.exits[HV_STAT_MMIO]);
	}
	/* Nothing else is queued for either owner. */
	for (i = 0; i < NR_VMS; i++)
		EXPECT_EQ(-ETIMEDOUT, hv_next_message(self->vm[i].h, &ev, 0));
}

HV_TEST_HARNESS_MAIN
