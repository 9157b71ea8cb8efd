// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of hvctl's vm, vcpu, mem, run and batch commands against a
 * fake libhv: exact text and JSON output, exact errors, and exactly what
 * reached the module (VMs, vCPUs, slots, registers, memory, completions).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_libhv.h"
#include "run_hvctl.h"

static int reset(void **state)
{
	fake_reset();
	return 0;
}

/* Two VMs: "demo" (3) running with two vCPUs and 64K at 0, "web" (5). */
static void two_vms(void)
{
	struct hv_vm_info *vm = fake_add_vm(3, "demo");

	vm->state = HV_VM_STATE_RUNNING;
	vm->nr_vcpus = 2;
	vm->mem_size = 0x10000;
	vm->owner = 77;
	fake.vcpus[0] = (struct hv_vcpu_info){ .vm = 3, .id = 0,
		.state = HV_VCPU_STATE_RUNNING, .exits = 10, .thread = 900,
		.transport = HV_TRANSPORT_RING, .sleeps = 6,
		.owner_wakeups = 5 };
	fake.vcpus[1] = (struct hv_vcpu_info){ .vm = 3, .id = 1,
		.state = HV_VCPU_STATE_HALTED, .exits = 2, .thread = 901,
		.sleeps = 2 };
	fake.nr_vcpus = 2;
	fake.slots[0] = (struct hv_slot_info){ .vm = 3, .slot = 0, .gpa = 0,
		.size = 0x10000 };
	fake.nr_slots = 1;
	fake.stats.exits[HV_STAT_EXITS] = 12;
	fake.stats.exits[HV_STAT_IO] = 5;
	fake.stats.invept = 3;
	fake.stats.invvpid = 1;
	fake.stats.invvpid_saved = 2;
	fake.stats.pml_full = 4;
	fake.stats.halt_polled = 8;
	fake.stats.l1d_flush_sw = 7;
	fake.stats.sleeps = 8;
	fake.stats.owner_wakeups = 5;
	fake.stats.intr_injected = 9;
	fake.stats.intr_posted = 4;
	fake.stats.ipis = 2;
	fake.stats.timer_fired = 6;
	fake.stats.eoi_notices = 3;
	fake.stats.ioeventfd = 11;
	fake_add_vm(5, "web")->unknown_msr = HV_MSR_POLICY_EXIT;
	fake.vms[fake.nr_vms - 1].halt_notices = 0;
}

static void vm_dirty_shows_ranges_and_mem_log_switches(void **state)
{
	struct run r;

	two_vms();
	fake.slots[1] = (struct hv_slot_info){ .vm = 3, .slot = 1,
		.gpa = 0x100000, .size = 0x10000 };
	fake.nr_slots = 2;
	r = RUN("mem", "log", "demo", "1", "on");
	assert_int_equal(HVCTL_OK, r.code);
	assert_int_equal(HV_MEM_FLAGS_DIRTY_LOG, fake.slots[1].flags);
	free_run(&r);

	/* Pages 0-1, 4 and 15 of slot 1. */
	fake.log_bits = 0x8013;
	r = RUN("vm", "dirty", "demo");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"slot 0: 0x0, 16 pages: not logging (hvctl mem log demo 0 on)\n"
		"slot 1: 0x100000, 16 pages: 4 dirty (ept-ad)\n"
		"  0x100000-0x101fff\n"
		"  0x104000-0x104fff\n"
		"  0x10f000-0x10ffff\n", r.out);
	assert_int_equal(0, fake.log_how);
	free_run(&r);

	fake.log_bits = 0x1;
	r = RUN("-j", "vm", "dirty", "demo", "--accessed", "--peek");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"{\"vm\":3,\"kind\":\"accessed\",\"slots\":["
		"{\"slot\":0,\"gpa\":\"0x0\",\"pages\":16,\"logging\":true,"
		"\"method\":\"ept-ad\",\"count\":1,\"ranges\":"
		"[{\"first\":\"0x0\",\"last\":\"0xfff\"}]},"
		"{\"slot\":1,\"gpa\":\"0x100000\",\"pages\":16,\"logging\":true,"
		"\"method\":\"ept-ad\",\"count\":1,\"ranges\":"
		"[{\"first\":\"0x100000\",\"last\":\"0x100fff\"}]}]}\n",
		r.out);
	assert_int_equal(HV_LOG_ACCESSED | HV_LOG_PEEK, fake.log_how);
	free_run(&r);

	r = RUN("mem", "log", "demo", "1", "maybe");
	assert_int_equal(HVCTL_USAGE, r.code);
	free_run(&r);

	r = RUN("mem", "log", "demo", "7", "off");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: mem log: the VM has no slot 7: No such file or directory\n",
			    r.err);
	free_run(&r);

	fake.fail_fn = "hv_mem_log";
	fake.fail_err = -EPERM;
	fake.errmsg = "the VM belongs to another socket";
	r = RUN("vm", "dirty", "demo");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vm dirty: the VM belongs to another socket: Operation not permitted\n",
			    r.err);
	free_run(&r);
}

static void vm_list_text_and_json(void **state)
{
	struct run r;

	two_vms();
	r = RUN("vm", "list");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"ID     NAME                 STATE    VCPUS          MEM      OWNER\n"
		"3      demo                 running      2        65536         77\n"
		"5      web                  created      0            0          0\n",
		r.out);
	assert_string_equal("", r.err);
	free_run(&r);

	r = RUN("-j", "vm", "list");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"[{\"id\":3,\"name\":\"demo\",\"state\":\"running\",\"owner\":77,"
		"\"vcpus\":2,\"max_vcpus\":64,\"mem\":65536,"
		"\"max_mem\":1073741824,\"unknown_msr\":\"gp\","
		"\"ring_poll_ns\":50000,\"halt_notices\":\"on\"},"
		"{\"id\":5,\"name\":\"web\",\"state\":\"created\",\"owner\":0,"
		"\"vcpus\":0,\"max_vcpus\":64,\"mem\":0,"
		"\"max_mem\":1073741824,\"unknown_msr\":\"exit\","
		"\"ring_poll_ns\":50000,\"halt_notices\":\"off\"}]\n", r.out);
	free_run(&r);
	assert_int_equal(0, fake.opened);
}

static void vm_show_by_name_and_id(void **state)
{
	static const char text[] =
		"id:               3\n"
		"name:             demo\n"
		"state:            running\n"
		"owner:            77\n"
		"vcpus:            2\n"
		"max vcpus:        64\n"
		"mem:              65536\n"
		"max mem:          1073741824\n"
		"unknown msr:      gp\n"
		"ring poll ns:     50000\n"
		"halt notices:     on\n"
		"vcpu 0:\n"
		"  state:          running\n"
		"  exits:          10\n"
		"  thread:         900\n"
		"  transport:      ring\n"
		"  sleeps:         6\n"
		"  owner wakeups:  5\n"
		"vcpu 1:\n"
		"  state:          halted\n"
		"  exits:          2\n"
		"  thread:         901\n"
		"  transport:      netlink\n"
		"  sleeps:         2\n"
		"  owner wakeups:  0\n"
		"slot 0:\n"
		"  gpa:            0x0\n"
		"  size:           65536\n"
		"  readonly:       no\n"
		"  dirty log:      no\n"
		"exits:\n"
		"  total:          12\n"
		"  cpuid:          0\n"
		"  msr:            0\n"
		"  hlt:            0\n"
		"  npf:            0\n"
		"  intr:           0\n"
		"  io:             5\n"
		"  mmio:           0\n"
		"  other:          0\n"
		"  timer:          0\n"
		"invalidations:\n"
		"  invept:         3\n"
		"  invvpid:        1\n"
		"  invvpid saved:  2\n"
		"l1d flushes:\n"
		"  msr:            0\n"
		"  software:       7\n"
		"pml full:         4\n"
		"halt polled:      8\n"
		"owner waits:\n"
		"  vcpu sleeps:    8\n"
		"  owner wakeups:  5\n"
		"interrupts:\n"
		"  injected:       9\n"
		"  posted:         4\n"
		"  ipis:           2\n"
		"  timer:          6\n"
		"  eoi notices:    3\n"
		"  ioeventfd:      11\n";
	struct run r;

	two_vms();
	r = RUN("vm", "show", "demo");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(text, r.out);
	free_run(&r);
	r = RUN("vm", "show", "3");
	assert_string_equal(text, r.out);
	free_run(&r);

	r = RUN("-j", "vm", "show", "demo");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"{\"id\":3,\"name\":\"demo\",\"state\":\"running\",\"owner\":77,"
		"\"vcpus\":2,\"max_vcpus\":64,\"mem\":65536,"
		"\"max_mem\":1073741824,\"unknown_msr\":\"gp\","
		"\"ring_poll_ns\":50000,\"halt_notices\":\"on\","
		"\"vcpu_list\":[{\"id\":0,\"state\":\"running\",\"exits\":10,"
		"\"thread\":900,\"transport\":\"ring\",\"sleeps\":6,"
		"\"owner_wakeups\":5},{\"id\":1,\"state\":\"halted\","
		"\"exits\":2,\"thread\":901,\"transport\":\"netlink\","
		"\"sleeps\":2,\"owner_wakeups\":0}],\"slot_list\":[{\"id\":0,\"gpa\":\"0x0\","
		"\"size\":65536,\"readonly\":false,\"dirty_log\":false}],"
		"\"exits\":{\"total\":12,"
		"\"cpuid\":0,\"msr\":0,\"hlt\":0,\"npf\":0,\"intr\":0,\"io\":5,"
		"\"mmio\":0,\"other\":0,\"timer\":0},\"invalidations\":{\"invept\":3,"
		"\"invvpid\":1,\"invvpid_saved\":2},\"l1d_flushes\":{"
		"\"msr\":0,\"software\":7},\"pml_full\":4,\"halt_polled\":8,"
		"\"owner_waits\":{\"vcpu_sleeps\":8,\"owner_wakeups\":5},"
		"\"interrupts\":{\"injected\":9,\"posted\":4,\"ipis\":2,\"timer\":6,"
		"\"eoi_notices\":3,\"ioeventfd\":11}}\n",
		r.out);
	free_run(&r);

	r = RUN("vm", "show", "nope");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("", r.out);
	assert_string_equal("hvctl: vm show: VM 'nope': no VM with this name: No such file or directory\n",
			    r.err);
	free_run(&r);

	r = RUN("vm", "show");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm show: missing arguments (usage: vm show VM)\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
}

static void vm_create_gives_vcpus_and_memory(void **state)
{
	struct run r = RUN("vm", "create", "demo", "--vcpus", "2", "--mem",
			   "64K", "--unknown-msr", "exit", "--max-vcpus", "4",
			   "--halt-notices", "off");

	assert_int_equal(HVCTL_OK, r.code);
	assert_int_equal(1, fake.nr_vms);
	assert_string_equal("demo", fake.vms[0].name);
	assert_int_equal(2, fake.vms[0].nr_vcpus);
	assert_int_equal(4, fake.vms[0].max_vcpus);
	assert_int_equal(HV_MSR_POLICY_EXIT, fake.vms[0].unknown_msr);
	assert_int_equal(0, fake.vms[0].halt_notices);
	assert_int_equal(1, fake.nr_slots);
	assert_int_equal(0, fake.slots[0].gpa);
	assert_int_equal(0x10000, fake.slots[0].size);
	assert_true(fake.slots[0].uaddr != 0);
	assert_string_equal("hvctl: vm create: note: VM 1 lives as long as this hvctl; use 'hvctl batch' or 'hvctl run' to use it\n",
			    r.err);
	assert_non_null(strstr(r.out, "name:             demo\n"));
	free_run(&r);
}

static void vm_create_refusals(void **state)
{
	struct run r = RUN("vm", "create", "--vcpus", "abc");

	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm create: --vcpus 'abc' is not a number (decimal or 0x hex)\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("vm", "create", "--mem", "3000");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm create: --mem must be a multiple of 4K\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("vm", "create", "--mem", "2X");
	assert_string_equal("hvctl: vm create: --mem '2X' is not a size (e.g. 4096, 64K, 2M, 1G)\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("vm", "create", "--unknown-msr", "ignore");
	assert_string_equal("hvctl: vm create: --unknown-msr takes gp or exit, not 'ignore'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("vm", "create", "--halt-notices", "maybe");
	assert_string_equal("hvctl: vm create: --halt-notices takes on or off, not 'maybe'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("vm", "create", "--vcpus");
	assert_string_equal("hvctl: vm create: option '--vcpus' needs a value\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
	assert_int_equal(0, fake.nr_vms);

	fake.fail_fn = "hv_vm_new";
	fake.fail_err = -EEXIST;
	fake.errmsg = "a VM with this name exists";
	r = RUN("vm", "create", "demo");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vm create: a VM with this name exists: File exists\n",
			    r.err);
	free_run(&r);

	/* A failure after vm-new takes the half-made VM away again. */
	fake.fail_fn = "hv_vcpu_new";
	fake.fail_err = -ENOSPC;
	fake.errmsg = "the VM has its maximum number of vcpus";
	r = RUN("vm", "create", "demo", "--vcpus", "2");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vm create: the VM has its maximum number of vcpus: No space left on device\n",
			    r.err);
	assert_int_equal(0, fake.nr_vms);
	assert_int_equal(1, fake.deleted);
	free_run(&r);
	assert_int_equal(0, fake.opened);
}

static void vm_destroy_start_pause(void **state)
{
	struct run r;

	two_vms();
	r = RUN("vm", "pause", "demo");
	assert_int_equal(HVCTL_OK, r.code);
	assert_int_equal(1, fake.paused);
	free_run(&r);
	r = RUN("vm", "start", "demo");
	assert_int_equal(1, fake.started);
	free_run(&r);
	fake.fail_fn = "hv_vm_del";
	fake.fail_err = -EPERM;
	fake.errmsg = "only the VM's owner may change it";
	r = RUN("vm", "destroy", "web");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vm destroy: only the VM's owner may change it: Operation not permitted\n",
			    r.err);
	free_run(&r);
	fake.fail_fn = NULL;
	r = RUN("vm", "destroy", "web");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("", r.out);
	assert_int_equal(1, fake.nr_vms);
	free_run(&r);
}

static void vm_irq_sends_an_msi(void **state)
{
	struct run r;

	two_vms();
	r = RUN("vm", "irq", "demo", "--msi", "0xfee03008:0xc031");
	assert_int_equal(HVCTL_OK, r.code);
	assert_int_equal(1, fake.msis);
	assert_int_equal(0xfee03008, fake.msi_addr);
	assert_int_equal(0xc031, fake.msi_data);
	free_run(&r);
	/* The shorthand: fixed, edge, physical destination. */
	r = RUN("vm", "irq", "demo", "--vector", "0x41", "--dest", "2");
	assert_int_equal(HVCTL_OK, r.code);
	assert_int_equal(0xfee02000, fake.msi_addr);
	assert_int_equal(0x41, fake.msi_data);
	free_run(&r);
	r = RUN("vm", "irq", "demo", "--vector", "200");
	assert_int_equal(0xfee00000, fake.msi_addr);
	assert_int_equal(200, fake.msi_data);
	free_run(&r);
	assert_int_equal(3, fake.msis);

	r = RUN("vm", "irq", "demo", "--vector", "15");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm irq: vector '15' is not 16 to 255\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
	r = RUN("vm", "irq", "demo", "--msi", "0xfee00000", "--vector", "0x30");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm irq: give either --msi, or --vector with an optional --dest\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
	r = RUN("vm", "irq", "demo", "--msi", "0xfee00000:0x10000");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm irq: MSI data '0x10000' is wider than 16 bits\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
	assert_int_equal(3, fake.msis);

	fake.fail_fn = "hv_vm_msi";
	fake.fail_err = -EINVAL;
	fake.errmsg = "msi-addr is not in the 0xfee00000-0xfeefffff window";
	r = RUN("vm", "irq", "demo", "--msi", "0xfed00000:0x31");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vm irq: msi-addr is not in the 0xfee00000-0xfeefffff window: Invalid argument\n",
			    r.err);
	free_run(&r);
}

static void mem_read_write_and_list(void **state)
{
	struct run r;

	two_vms();
	memcpy(fake.mem + 0x100, "Hello, hv!\x01\x02\x03\x7f\x80\xff ok", 19);
	r = RUN("mem", "read", "demo", "0x100", "19");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"0000000000000100  48 65 6c 6c 6f 2c 20 68  76 21 01 02 03 7f 80 ff  |Hello, hv!......|\n"
		"0000000000000110  20 6f 6b                                          | ok|\n",
		r.out);
	free_run(&r);

	r = RUN("-j", "mem", "read", "demo", "0x100", "4");
	assert_string_equal("{\"gpa\":\"0x100\",\"len\":4,\"data\":\"48656c6c\"}\n",
			    r.out);
	free_run(&r);

	r = RUN("mem", "write", "demo", "0x200", "de:ad:be:ef");
	assert_int_equal(HVCTL_OK, r.code);
	assert_int_equal(0xde, fake.mem[0x200]);
	assert_int_equal(0xef, fake.mem[0x203]);
	free_run(&r);

	r = RUN("mem", "write", "demo", "0x200", "dea");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: mem write: HEX 'dea' is not bytes in hex (e.g. deadbeef or de:ad:be:ef)\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("mem", "read", "demo", "0xffff", "2");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: mem read: the range is not entirely guest memory (no slot covers part of it): Bad address\n",
			    r.err);
	free_run(&r);

	r = RUN("mem", "list", "demo");
	assert_string_equal("SLOT   GPA                SIZE           FLAGS\n"
			    "0      0x0                65536          -\n", r.out);
	free_run(&r);

	r = RUN("mem", "map", "demo", "0x100000", "8K", "--readonly");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("slot:             1\n"
			    "gpa:              0x100000\n"
			    "size:             8192\n", r.out);
	assert_int_equal(HV_MEM_FLAGS_READONLY, fake.slots[1].flags);
	free_run(&r);

	r = RUN("mem", "unmap", "demo", "1");
	assert_int_equal(HVCTL_OK, r.code);
	assert_int_equal(1, fake.nr_slots);
	free_run(&r);
}

static void vcpu_state_shows_and_sets(void **state)
{
	struct run r;

	two_vms();
	fake.regs.rip = 0xfff0;
	fake.regs.cs.selector = 0xf000;
	fake.regs.lapic[0x80] = 0x20;		/* TPR */
	fake.regs.lapic[0x120] = 0x02;		/* ISR: vector 0x41 */
	fake.regs.lapic[0x212] = 0x02;		/* IRR: vector 0x31 */
	fake.regs.lapic[0x213] = 0x80;		/* IRR: vector 0x3f */
	r = RUN("vcpu", "state", "demo", "0", "--set", "rax=0x10", "--set",
		"cs.sel=0x8");
	assert_int_equal(HVCTL_OK, r.code);
	assert_true(fake.regs.gpr[HV_RAX] == 0x10);
	assert_int_equal(8, fake.regs.cs.selector);
	assert_true(fake.regs.rip == 0xfff0);
	assert_non_null(strstr(r.out, "rax=0x10                  rbx=0x0"));
	assert_non_null(strstr(r.out, "activity=active int_shadow=0 event=none\n"
				      "apic: id=0x0 tpr=0x20 ppr=0x0"));
	assert_non_null(strstr(r.out, "\n      isr=0x41 tmr=none irr=0x31,0x3f\n"));
	assert_non_null(strstr(r.out, "apic_base=0x0"));
	free_run(&r);

	r = RUN("-j", "vcpu", "state", "demo", "1");
	assert_non_null(strstr(r.out, "\"isr\":[65],\"tmr\":[],\"irr\":[49,63]}"));
	assert_non_null(strstr(r.out, "{\"vm\":3,\"vcpu\":1,\"regs\":{\"rax\":\"0x10\","));
	assert_non_null(strstr(r.out, "\"cs.sel\":\"0x8\""));
	free_run(&r);

	r = RUN("vcpu", "state", "demo", "0", "--set", "rxx=1");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vcpu state: --set rxx=1: unknown register\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	fake.fail_fn = "hv_vcpu_get_regs";
	fake.fail_err = -EBUSY;
	fake.errmsg = "the VM is running; pause it first";
	r = RUN("vcpu", "state", "demo", "0");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vcpu state: the VM is running; pause it first: Device or resource busy\n",
			    r.err);
	free_run(&r);
}

static void vcpu_state_puts_a_vcpu_in_long_mode(void **state)
{
	uint64_t gdt_code, pml4;
	struct run r;

	two_vms();
	r = RUN("vcpu", "state", "demo", "0", "--mode", "long", "--entry",
		"0x9000");
	assert_int_equal(HVCTL_OK, r.code);
	assert_true(fake.regs.rip == 0x9000);
	assert_true(fake.regs.cr0 == 0x80000011);
	assert_true(fake.regs.efer == 0x500);
	assert_true(fake.regs.cr3 == HV_SETUP_PML4);
	assert_true(fake.regs.gpr[HV_RSP] == 0x10000 - 16);
	memcpy(&gdt_code, fake.mem + HV_SETUP_GDT + 8, 8);
	memcpy(&pml4, fake.mem + HV_SETUP_PML4, 8);
	assert_true(gdt_code == 0x00af9b000000ffffULL);
	assert_true(pml4 == (HV_SETUP_PML4 + 0x1000 + 3));
	free_run(&r);

	r = RUN("vcpu", "state", "demo", "0", "--mode", "real", "--entry",
		"0x100000");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vcpu state: --entry 0x100000 or --stack 0xfff0 does not suit real mode (real mode: below 1 MiB and 64 KiB)\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("vcpu", "state", "demo", "0", "--mode", "long");
	assert_string_equal("hvctl: vcpu state: --mode and --entry go together\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
}

static struct hv_message io(uint64_t seq, int write, uint16_t port,
			  uint8_t size, uint64_t data)
{
	return (struct hv_message){ .cmd = HV_CMD_EXIT, .vm = 3, .vcpu = 0,
		.seq = seq, .reason = HV_EXIT_REASON_IO,
		.dir = write ? HV_DIR_WRITE : HV_DIR_READ, .port = port,
		.size = size, .data = data, .rip = 0x10000 + seq };
}

static void vm_run_answers_and_stops_on_hlt(void **state)
{
	struct hv_message ev;
	struct run r;

	two_vms();
	fake.vms[0].nr_vcpus = 1;
	ev = io(1, 1, 0x80, 1, 0x44);
	fake_add_event(&ev);
	ev = io(2, 0, 0x60, 2, 0);
	fake_add_event(&ev);
	ev = (struct hv_message){ .cmd = HV_CMD_EXIT, .vm = 5, .reason =
		HV_EXIT_REASON_IO };		/* another VM's: not ours */
	fake_add_event(&ev);
	ev = (struct hv_message){ .cmd = HV_CMD_EXIT, .vm = 3, .seq = 3,
		.reason = HV_EXIT_REASON_MMIO, .dir = HV_DIR_READ,
		.gpa = 0xfee00030, .size = 4, .rip = 0x10003 };
	fake_add_event(&ev);
	ev.seq = 4;
	ev.dir = HV_DIR_WRITE;
	ev.size = 8;
	ev.data = 0x1122334455667788ULL;
	fake_add_event(&ev);
	ev = (struct hv_message){ .cmd = HV_CMD_EXIT, .vm = 3, .seq = 5,
		.reason = HV_EXIT_REASON_HLT, .rip = 0x10005 };
	fake_add_event(&ev);

	r = RUN("vm", "run", "demo", "--read-value", "0x1234567890");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"vcpu 0: out   port 0x0080 size 1 value 0x44 rip 0x10001\n"
		"vcpu 0: in    port 0x0060 size 2 value 0x7890 rip 0x10002\n"
		"vcpu 0: mmio read  0xfee00030 size 4 value 0x34567890 rip 0x10003\n"
		"vcpu 0: mmio write 0xfee00030 size 8 value 0x1122334455667788 rip 0x10003\n"
		"vcpu 0: hlt rip 0x10005\n"
		"stopped: hlt after 5 exits\n", r.out);
	assert_string_equal("", r.err);
	assert_int_equal(4, fake.nr_completes);
	assert_true(fake.completes[0].seq == 1 && fake.completes[0].data == 0);
	assert_true(fake.completes[1].seq == 2 &&
		    fake.completes[1].data == 0x7890);
	assert_true(fake.completes[2].seq == 3 &&
		    fake.completes[2].data == 0x34567890);
	assert_true(fake.completes[3].seq == 4 && fake.completes[3].data == 0);
	/* By default, through the vCPU's exit ring. */
	assert_int_equal(1, fake.nr_rings);
	assert_int_equal(4, fake.ring_completes);
	assert_int_equal(1, fake.started);
	assert_int_equal(1, fake.paused);
	assert_int_equal(1, fake.subscribed);
	free_run(&r);
}

static void vm_run_exit_port_and_max_exits(void **state)
{
	struct hv_message ev;
	struct run r;

	two_vms();
	ev = io(1, 1, 0xf4, 1, 0x2a);
	fake_add_event(&ev);
	r = RUN("vm", "run", "demo", "--exit-port", "0xf4");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("vcpu 0: out   port 0x00f4 size 1 value 0x2a rip 0x10001\n"
			    "stopped: exit-port 0xf4 written 0x2a after 1 exits\n",
			    r.out);
	assert_int_equal(1, fake.nr_completes);
	free_run(&r);

	fake.next_event = 0;
	r = RUN("-j", "vm", "run", "demo", "--max-exits", "1");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("{\"vm\":3,\"exits\":[{\"vcpu\":0,\"seq\":1,"
			    "\"reason\":\"io\",\"dir\":\"write\","
			    "\"port\":\"0xf4\",\"size\":1,\"value\":\"0x2a\","
			    "\"rip\":\"0x10001\"}],\"stop\":{\"reason\":"
			    "\"max-exits\",\"exits\":1}}\n", r.out);
	free_run(&r);

	r = RUN("vm", "run", "demo", "--exit-port", "0x10000");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm run: --exit-port must be below 0x10000\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
}

static void vm_run_transport_option(void **state)
{
	struct hv_message ev;
	struct run r;

	two_vms();
	ev = io(1, 0, 0x60, 1, 0);
	fake_add_event(&ev);
	r = RUN("vm", "run", "demo", "--transport", "netlink", "--max-exits",
		"1", "--read-value", "0x5");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("vcpu 0: in    port 0x0060 size 1 value 0x5 rip 0x10001\n"
			    "stopped: max-exits after 1 exits\n", r.out);
	assert_int_equal(0, fake.nr_rings);
	assert_int_equal(0, fake.ring_completes);
	assert_int_equal(1, fake.nr_completes);
	assert_true(fake.completes[0].seq == 1 && fake.completes[0].data == 5);
	free_run(&r);

	r = RUN("vm", "run", "demo", "--transport", "shm");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: vm run: --transport takes ring or netlink, not 'shm'\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	/* A vCPU that cannot go on a ring: the run says so, and how to do without. */
	fake.next_event = 0;
	fake.fail_fn = "hv_vcpu_ring_open";
	fake.fail_err = -EBUSY;
	fake.errmsg = "the vcpu waits for an exit completion";
	fake.started = 0;
	r = RUN("vm", "run", "demo");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vm run: cannot put the vCPUs on exit rings: the vcpu waits for an exit completion ('--transport netlink' does without): Device or resource busy\n",
			    r.err);
	assert_int_equal(0, fake.started);
	free_run(&r);
}

static void vm_run_reports_a_crash(void **state)
{
	struct hv_message ev = { .cmd = HV_CMD_NOTICE, .vm = 3,
		.notice = HV_NOTICE_CRASHED };
	struct run r;

	two_vms();
	strcpy(ev.reason_text, "triple fault (shutdown) on vcpu 0 at rip 0x10007");
	fake_add_event(&ev);
	r = RUN("-j", "vm", "run", "demo");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("{\"vm\":3,\"exits\":[],\"stop\":{\"reason\":"
			    "\"crashed\",\"message\":\"triple fault (shutdown) on vcpu 0 at rip 0x10007\","
			    "\"exits\":0}}\n", r.out);
	assert_string_equal("hvctl: vm run: the VM crashed: triple fault (shutdown) on vcpu 0 at rip 0x10007\n",
			    r.err);
	assert_int_equal(0, fake.paused);
	free_run(&r);

	/* The event stream failing is an error too, never a hang. */
	r = RUN("vm", "run", "demo");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: vm run: fake: no more events: Input/output error\n",
			    r.err);
	free_run(&r);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(len, fwrite(data, 1, len, f));
	assert_int_equal(0, fclose(f));
}

static void run_loads_a_flat_binary(void **state)
{
	static const uint8_t code[] = { 0xf4 };
	char path[] = "/tmp/hvctl-test-XXXXXX";
	struct hv_message ev = { .cmd = HV_CMD_EXIT, .vm = 1, .seq = 1,
		.reason = HV_EXIT_REASON_HLT, .rip = 0x7c01 };
	struct run r;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	write_file(path, code, sizeof(code));
	fake_add_event(&ev);
	r = RUN("run", path, "--mode", "real", "--entry", "0x7c00",
		"--name", "boot");
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("vcpu 0: hlt rip 0x7c01\n"
			    "stopped: hlt after 1 exits\n", r.out);
	assert_string_equal("boot", fake.vms[0].name);
	assert_int_equal(1, fake.vms[0].nr_vcpus);
	assert_true(fake.slots[0].size == 2 << 20);
	assert_true(fake.regs.rip == 0x7c00);
	assert_true(fake.regs.cs.base == 0);
	assert_true(fake.regs.gpr[HV_RSP] == 0xfff0);
	assert_true(fake.regs.cr0 == 0x10);
	free_run(&r);

	r = RUN("run", path, "--load", "0x2000");
	assert_int_equal(HVCTL_USAGE, r.code);
	assert_string_equal("hvctl: run: the image at 0x2000 overlaps the tables hvctl puts at 0x1000-0x7fff for long mode; load it at 0x8000 or above\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);

	r = RUN("run", path, "--mem", "64K", "--load", "0xffff0",
		"--mode", "prot");
	assert_string_equal("hvctl: run: the image (1 bytes at 0xffff0) does not fit in --mem 65536\nTry 'hvctl help'.\n",
			    r.err);
	free_run(&r);
	unlink(path);

	r = RUN("run", "/nonexistent/image");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal("hvctl: run: cannot open '/nonexistent/image': No such file or directory\n",
			    r.err);
	free_run(&r);
}

static void batch_runs_commands_in_one_process(void **state)
{
	static const char script[] =
		"# make a VM and use it\n"
		"vm create demo --mem 64K\n"
		"\n"
		"mem write demo 0x10 0102   # two bytes\n"
		"vm show nope\n"
		"vm list\n";
	char path[] = "/tmp/hvctl-batch-XXXXXX", want[256];
	struct run r;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	write_file(path, script, strlen(script));
	r = RUN("batch", path);
	assert_int_equal(HVCTL_FAIL, r.code);
	snprintf(want, sizeof(want),
		 "hvctl: vm show: VM 'nope': no VM with this name: No such file or directory\n"
		 "hvctl: batch: %s:5: stopped at the failed command\n", path);
	assert_string_equal(want, r.err);
	assert_int_equal(1, fake.mem[0x10]);
	assert_int_equal(2, fake.mem[0x11]);
	assert_null(strstr(r.out, "ID     NAME"));	/* vm list never ran */
	assert_int_equal(0, fake.opened);

	write_file(path, "batch x\n", 8);
	free_run(&r);
	r = RUN("batch", path);
	assert_int_equal(HVCTL_USAGE, r.code);
	snprintf(want, sizeof(want),
		 "hvctl: batch: %s:1: batches do not nest\nTry 'hvctl help'.\n",
		 path);
	assert_string_equal(want, r.err);
	free_run(&r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(vm_list_text_and_json, reset),
		cmocka_unit_test_setup(vm_show_by_name_and_id, reset),
		cmocka_unit_test_setup(vm_create_gives_vcpus_and_memory, reset),
		cmocka_unit_test_setup(vm_create_refusals, reset),
		cmocka_unit_test_setup(vm_destroy_start_pause, reset),
		cmocka_unit_test_setup(vm_irq_sends_an_msi, reset),
		cmocka_unit_test_setup(mem_read_write_and_list, reset),
		cmocka_unit_test_setup(vcpu_state_shows_and_sets, reset),
		cmocka_unit_test_setup(vcpu_state_puts_a_vcpu_in_long_mode,
				       reset),
		cmocka_unit_test_setup(vm_run_answers_and_stops_on_hlt, reset),
		cmocka_unit_test_setup(vm_run_exit_port_and_max_exits, reset),
		cmocka_unit_test_setup(vm_run_transport_option, reset),
		cmocka_unit_test_setup(vm_run_reports_a_crash, reset),
		cmocka_unit_test_setup(run_loads_a_flat_binary, reset),
		cmocka_unit_test_setup(vm_dirty_shows_ranges_and_mem_log_switches,
				       reset),
		cmocka_unit_test_setup(batch_runs_commands_in_one_process,
				       reset),
	};

	return cmocka_run_group_tests_name("hvctl-cmds", tests, NULL, NULL);
}
