// SPDX-License-Identifier: GPL-2.0
/*
 * No leaks under churn: 1000 VMs are created, given two vCPUs and memory,
 * run and destroyed, some with a second slot mapped and unmapped, some
 * with dirty logging on, some whose owner closes its socket while a vCPU
 * waits for an answer. Afterwards the module's accounting (VMs, vCPUs,
 * threads, pinned pages, table pages), its slab caches (hv_vm, hv_vcpu,
 * hv_regs in /proc/slabinfo) and the kernel's count of hv/ threads are
 * back where they began; rmmod hv after the set checks the rest.
 *
 * A round takes about 0.3 s of Bochs' time against 17 ms of QEMU's, so
 * the Bochs machines run 150 rounds in make check (hvchurn_rounds=150 on
 * their command line): a leak of anything per round shows in 150 as well.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define ROUNDS		1000	/* hvchurn_rounds= on the command line: fewer */
#define MIB		(1 << 20)
#define VM_MEM		(256 << 10)
#define WRITTEN_GPA	0x20000

/* vCPU 0 reports and halts; vCPU 1 writes a page, then halts. */
GUEST_CODE(churn_guest, ".code64",
	"mov $0x1234, %eax\n"
	G_REPORT
	"hlt\n");

GUEST_CODE(churn_writer, ".code64",
	"movl $1, 0x20000\n"
	"hlt\n");

static const char *const caches[] = { "hv_vm", "hv_vcpu", "hv_regs" };

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000ULL + t.tv_nsec / 1000000;
}

/* Objects in use in one of hv's caches, per-CPU slabs flushed first. */
static long slab_objects(const char *cache)
{
	char path[128], line[256], name[64];
	long active = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", cache);
	write_text(path, "1");
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", name, &active) == 2 &&
		    !strcmp(name, cache))
			break;
		else
			active = -1;
	fclose(f);
	return active;
}

/* Kernel threads named hv/<vm>/<vcpu>. */
static int hv_threads(void)
{
	struct dirent *d;
	char path[300], *comm;
	DIR *dir = opendir("/proc");
	int n = 0;

	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		comm = read_text(path);
		if (comm && !strncmp(comm, "hv/", 3))
			n++;
		free(comm);
	}
	closedir(dir);
	return n;
}

static int one_round(unsigned int i, uint8_t *extra)
{
	unsigned int halted = 0, reported = 0;
	struct hv_message ev;
	struct hv_log log;
	uint32_t slot;
	struct tvm vm;
	int err;

	err = tvm_create(&vm, VM_MEM, 2);
	if (err)
		return err;
	tvm_load(&vm, CODE_GPA, churn_guest_start, churn_guest_end);
	tvm_load(&vm, CODE_GPA + 0x1000, churn_writer_start, churn_writer_end);
	err = tvm_set_mode(&vm, 0, MODE_LONG64, CODE_GPA);
	if (!err)
		err = tvm_set_mode(&vm, 1, MODE_LONG64, CODE_GPA + 0x1000);
	if (!err && i % 4 == 1)
		err = hv_mem_set_flags(vm.h, vm.id, vm.slot,
				       HV_MEM_FLAGS_DIRTY_LOG);
	if (!err && i % 8 == 2) {
		err = hv_mem_map(vm.h, vm.id, 0x40000000, MIB, extra, 0, &slot);
		if (!err)
			err = hv_mem_unmap(vm.h, vm.id, slot);
	}
	if (err)
		goto out;
	if (i % 16 == 3) {
		/* The owner goes away while vCPU 0 waits for its answer. */
		err = tvm_next_exit(&vm, &ev, 60000);
		goto out;
	}
	/* vCPU 0's report and both HLTs, in whatever order they come. */
	while (!err && (halted < 2 || !reported)) {
		err = tvm_next_exit(&vm, &ev, 60000);
		if (err)
			break;
		if (ev.reason == HV_EXIT_REASON_HLT) {
			halted++;
			continue;
		}
		if (ev.reason != HV_EXIT_REASON_IO || ev.port != TEST_PORT ||
		    ev.data != 0x1234 || reported++)
			err = -EPROTO;
		else
			err = tvm_complete(&vm, &ev, 0);
	}
	/* vCPU 1's write is in the log (besides the page-table pages). */
	if (!err && i % 4 == 1) {
		err = hv_mem_log(vm.h, vm.id, vm.slot, VM_MEM >> 12, 0, &log);
		if (!err && !(log.bitmap[0] & 1ULL << (WRITTEN_GPA >> 12)))
			err = -EPROTO;
		free(log.bitmap);
	}
out:
	tvm_destroy(&vm);
	return err;
}

FIXTURE(churn) {
	int unused;
};

FIXTURE_SETUP(churn)
{
}

FIXTURE_TEARDOWN(churn)
{
}

TEST_F_TIMEOUT(churn, create_run_destroy_many_times, 280)
{
	uint64_t start = now_ms();

	uint8_t *extra = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned int rounds;
	struct tvm anchor;
	long before[3];
	struct hv *h;
	unsigned int i;

	ASSERT_NE(MAP_FAILED, extra);
	ASSERT_EQ(0, hv_open(&h));
	ASSERT_EQ(0, tvm_accounting_settles(h, 10000));
	for (i = 0; i < 3; i++) {
		before[i] = slab_objects(caches[i]);
		ASSERT_LE(0, before[i]) TH_LOG("no %s in /proc/slabinfo",
					       caches[i]);
	}
	ASSERT_EQ(0, hv_threads());
	/*
	 * A VM that lives through the churn keeps VMX or SVM switched on,
	 * which otherwise goes on and off with every round.
	 */
	ASSERT_EQ(0, tvm_create(&anchor, VM_MEM, 1));

	rounds = getenv("hvchurn_rounds") ? atoi(getenv("hvchurn_rounds")) :
					    ROUNDS;
	ASSERT_LT(0, rounds);
	for (i = 0; i < rounds; i++) {
		ASSERT_EQ(0, one_round(i, extra)) TH_LOG("round %u", i);
		if (i % 100 == 99)
			TH_LOG("%u rounds, %llu ms", i + 1,
			       (unsigned long long)(now_ms() - start));
	}

	tvm_destroy(&anchor);
	EXPECT_EQ(0, tvm_accounting_settles(h, 10000));
	EXPECT_EQ(before[0], slab_objects("hv_vm"));
	EXPECT_EQ(before[1], slab_objects("hv_vcpu"));
	EXPECT_EQ(before[2], slab_objects("hv_regs"));
	EXPECT_EQ(0, hv_threads());
	TH_LOG("%u rounds in %llu ms", rounds,
	       (unsigned long long)(now_ms() - start));
	hv_close(h);
	munmap(extra, MIB);
}

HV_TEST_HARNESS_MAIN
