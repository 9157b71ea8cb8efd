// SPDX-License-Identifier: GPL-2.0
/*
 * dirty_bench: the cost of one get-and-clear of hv's dirty log. A guest
 * writes every page of a MIB-MiB slot at 1 GiB (so that every leaf exists),
 * then, once per repetition, every 100th page. After each such round the
 * runner times a peek and then a get-and-clear of the whole slot, and
 * checks that both return exactly the pages written. Done with the method
 * the hardware offers, with the A/D bits scanned (dirty_pml=0) where that
 * is the page-modification log, and with dirty_emulate=1, and prints per
 * repetition:
 *
 *   dirty variant=<hardware|scanned|emulated> method=<name> pages=<P>
 *         dirty=<D>
 *         rep=<r> peek_ns=<ns> peek_tsc=<ticks> clear_ns=<ns>
 *         clear_tsc=<ticks>
 *
 * Usage: dirty_bench MIB REPS
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"
#include "guest.h"
#include "libhv.h"
#include "test_util.h"

#define PROG		"dirty_bench"
#define DATA_GPA	0x40000000ULL
#define END_GPA		0xf000		/* where the guest finds the end */
#define STRIDE		100		/* every STRIDE-th page is written */
#define PARAM		"/sys/module/hv/parameters/dirty_emulate"
#define PARAM_PML	"/sys/module/hv/parameters/dirty_pml"
#define TIMEOUT_MS	1200000

/* Write every page, report 1; then forever: every 100th page, report 2. */
GUEST_CODE(dirty_guest, ".code64",
	"mov $0xf000, %rcx\n"
	"mov (%rcx), %rcx\n"
	"mov $0x40000000, %rbx\n"
	"1: movb $1, (%rbx)\n"
	"add $4096, %rbx\n"
	"cmp %rcx, %rbx\n"
	"jb 1b\n"
	"mov $1, %eax\n"
	G_REPORT
	"2: mov $0x40000000, %rbx\n"
	"3: movb $2, (%rbx)\n"
	"add $409600, %rbx\n"
	"cmp %rcx, %rbx\n"
	"jb 3b\n"
	"mov $2, %eax\n"
	G_REPORT
	"jmp 2b\n");

struct timing {
	uint64_t ns, tsc;
};

static int expect(struct tvm *vm, uint64_t want, const char *variant)
{
	uint64_t value;
	int err;

	err = tvm_expect_report(vm, &value, TIMEOUT_MS);
	if (err) {
		fprintf(stderr, PROG ": %s: the guest did not report: %s\n",
			variant, strerror(-err));
		return err;
	}
	if (value != want) {
		fprintf(stderr, PROG ": %s: the guest reported %" PRIu64
			" instead of %" PRIu64 "\n", variant, value, want);
		return -EPROTO;
	}
	return 0;
}

/* Exactly the pages of the second loop, in the right bits? */
static int check_log(const struct hv_log *log, uint64_t pages,
		     const char *variant, const char *what)
{
	uint64_t i, want = (pages + STRIDE - 1) / STRIDE;

	for (i = 0; i < pages; i++) {
		int set = !!(log->bitmap[i / 64] & (1ULL << (i % 64)));

		if (set != !(i % STRIDE)) {
			fprintf(stderr, PROG ": %s: %s: page %" PRIu64
				" is %s\n", variant, what, i,
				set ? "dirty" : "clean");
			return -EPROTO;
		}
	}
	if (log->count != want) {
		fprintf(stderr, PROG ": %s: %s: %" PRIu64 " dirty pages, not %"
			PRIu64 "\n", variant, what, log->count, want);
		return -EPROTO;
	}
	return 0;
}

static int timed_log(struct tvm *vm, uint32_t slot, uint64_t pages,
		     unsigned int how, struct hv_log *log, struct timing *t,
		     const char *variant, const char *what)
{
	uint64_t ns, tsc;
	int err;

	ns = bench_ns();
	tsc = bench_tsc();
	err = hv_mem_log(vm->h, vm->id, slot, pages, how, log);
	t->tsc = bench_tsc() - tsc;
	t->ns = bench_ns() - ns;
	if (err) {
		fprintf(stderr, PROG ": %s: %s: %s: %s\n", variant, what,
			hv_errmsg(vm->h), strerror(-err));
		return err;
	}
	err = check_log(log, pages, variant, what);
	free(log->bitmap);
	return err;
}

static int one(uint64_t size, unsigned int reps, const char *variant)
{
	int emulate = !strcmp(variant, "emulated");
	uint64_t pages = size >> 12, end = DATA_GPA + size;
	struct timing peek, clear;
	struct hv_log log;
	unsigned int rep;
	struct tvm vm;
	uint32_t slot;
	void *data;
	int err;

	if (write_text(PARAM, emulate ? "1" : "0") ||
	    write_text(PARAM_PML, strcmp(variant, "scanned") ? "1" : "0")) {
		fprintf(stderr, PROG ": cannot write %s or %s\n", PARAM,
			PARAM_PML);
		return -EIO;
	}
	err = tvm_create(&vm, 1 << 20, 1);
	if (err) {
		fprintf(stderr, PROG ": %s: cannot create the VM: %s\n",
			variant, strerror(-err));
		return err;
	}
	tvm_load(&vm, CODE_GPA, dirty_guest_start, dirty_guest_end);
	memcpy(vm.mem + END_GPA, &end, sizeof(end));
	data = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (data == MAP_FAILED) {
		err = -errno;
		fprintf(stderr, PROG ": cannot map %" PRIu64 " MiB: %s\n",
			size >> 20, strerror(errno));
		goto out;
	}
	err = tvm_set_mode(&vm, 0, MODE_LONG64, CODE_GPA);
	if (!err)
		err = hv_mem_map(vm.h, vm.id, DATA_GPA, size, data,
				 HV_MEM_FLAGS_DIRTY_LOG, &slot);
	if (err) {
		fprintf(stderr, PROG ": %s: cannot set up the VM: %s: %s\n",
			variant, hv_errmsg(vm.h), strerror(-err));
		goto out;
	}
	/* Every page mapped and dirty; the first get-and-clear is untimed. */
	err = expect(&vm, 1, variant);
	if (!err)
		err = hv_mem_log(vm.h, vm.id, slot, pages, 0, &log);
	if (err)
		goto out;
	free(log.bitmap);
	for (rep = 0; rep < reps && !err; rep++) {
		/* The guest then waits on its report while we measure. */
		err = expect(&vm, 2, variant);
		if (!err)
			err = timed_log(&vm, slot, pages, HV_LOG_PEEK, &log,
					&peek, variant, "peek");
		if (!err)
			err = timed_log(&vm, slot, pages, 0, &log, &clear,
					variant, "get-and-clear");
		if (!err)
			printf("dirty variant=%s method=%s pages=%" PRIu64
			       " dirty=%" PRIu64 " rep=%u peek_ns=%" PRIu64
			       " peek_tsc=%" PRIu64 " clear_ns=%" PRIu64
			       " clear_tsc=%" PRIu64 "\n", variant,
			       log.method, pages, log.count, rep, peek.ns,
			       peek.tsc, clear.ns, clear.tsc);
	}
out:
	tvm_destroy(&vm);
	if (data != MAP_FAILED)
		munmap(data, size);
	return err;
}

/* Does a VM created now read the CPU's page-modification log? */
static int pml(void)
{
	struct hv_info info;
	struct hv *h;
	int yes;

	if (write_text(PARAM, "0") || write_text(PARAM_PML, "1") ||
	    hv_open(&h))
		return 0;
	yes = !hv_get_info(h, &info) && !strcmp(info.dirty_method, "pml");
	hv_close(h);
	return yes;
}

int main(int argc, char **argv)
{
	unsigned long mib, reps;
	char *end;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: " PROG " MIB REPS\n");
		return 2;
	}
	errno = 0;
	mib = strtoul(argv[1], &end, 0);
	/* The guest's page tables map 4 GiB; the slot starts at 1 GiB. */
	if (errno || *end || mib == 0 || mib > 3072) {
		fprintf(stderr, PROG ": invalid size '%s': 1 to 3072 MiB\n",
			argv[1]);
		return 2;
	}
	reps = strtoul(argv[2], &end, 0);
	if (errno || *end || reps == 0 || reps > 100) {
		fprintf(stderr, PROG ": invalid repetition count '%s'\n",
			argv[2]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	err = one((uint64_t)mib << 20, reps, "hardware");
	if (!err && pml())
		err = one((uint64_t)mib << 20, reps, "scanned");
	if (!err)
		err = one((uint64_t)mib << 20, reps, "emulated");
	write_text(PARAM, "0");
	write_text(PARAM_PML, "1");
	return err ? 1 : 0;
}
