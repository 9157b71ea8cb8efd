// SPDX-License-Identifier: GPL-2.0
/*
 * The cost of one get-and-clear of the dirty log: 256 MiB of guest memory
 * (65536 pages), every page mapped, 1% of them (every 100th) dirty, with
 * the hardware's A/D bits and with their emulation. Not a test: it prints
 * TSC ticks around the mem-log calls, which under Bochs are emulated
 * instructions, and is only run when named (run.py --tests dirty_cost).
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <x86intrin.h>

#include "guest.h"
#include "libhv.h"
#include "test_util.h"

#define DATA_GPA	0x40000000ULL
#define DATA_SIZE	(256ULL << 20)
#define DATA_PAGES	(DATA_SIZE >> 12)
#define PARAM		"/sys/module/hv/parameters/dirty_emulate"

/* Write every page, report; write every 100th page, report; again. */
GUEST_CODE(cost_guest, ".code64",
	"mov $0x40000000, %rbx\n"
	"mov $0x50000000, %rcx\n"
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

static int one(int emulate)
{
	uint64_t value, t0, t1, t2;
	struct hv_log log;
	struct tvm vm;
	uint32_t slot;
	void *data;
	int err;

	if (write_text(PARAM, emulate ? "1" : "0"))
		return -1;
	err = tvm_create(&vm, 1 << 20, 1);
	if (err)
		return err;
	tvm_load(&vm, CODE_GPA, cost_guest_start, cost_guest_end);
	data = mmap(NULL, DATA_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	err = data == MAP_FAILED ? -1 :
	      tvm_set_mode(&vm, 0, MODE_LONG64, CODE_GPA);
	if (!err)
		err = hv_mem_map(vm.h, vm.id, DATA_GPA, DATA_SIZE, data,
				 HV_MEM_FLAGS_DIRTY_LOG, &slot);
	/* Every page mapped and dirty; then cleared. */
	if (!err)
		err = tvm_expect_report(&vm, &value, 600000);
	if (!err)
		err = hv_mem_log(vm.h, vm.id, slot, DATA_PAGES, 0, &log);
	if (!err) {
		free(log.bitmap);
		err = tvm_expect_report(&vm, &value, 600000);
	}
	if (!err) {
		/* The guest waits on its next report meanwhile. */
		t0 = __rdtsc();
		err = hv_mem_log(vm.h, vm.id, slot, DATA_PAGES, HV_LOG_PEEK,
				 &log);
		t1 = __rdtsc();
		free(log.bitmap);
	}
	if (!err) {
		err = hv_mem_log(vm.h, vm.id, slot, DATA_PAGES, 0, &log);
		t2 = __rdtsc();
	}
	if (!err) {
		printf("# dirty_cost: %s: %llu pages, %llu dirty: peek %llu, get-and-clear %llu TSC ticks\n",
		       log.method, (unsigned long long)DATA_PAGES,
		       (unsigned long long)log.count,
		       (unsigned long long)(t1 - t0),
		       (unsigned long long)(t2 - t1));
		free(log.bitmap);
	}
	tvm_destroy(&vm);
	if (data != MAP_FAILED)
		munmap(data, DATA_SIZE);
	return err;
}

int main(void)
{
	int a = one(0), b = one(1);

	write_text(PARAM, "0");
	printf("TAP version 13\n1..2\n%sok 1 hardware\n%sok 2 emulated\n",
	       a ? "not " : "", b ? "not " : "");
	return a || b;
}
