// SPDX-License-Identifier: GPL-2.0
/*
 * Every refusal of the VM, vCPU and memory operations comes with the
 * precise errno and an extack message naming the problem, and changes
 * nothing: unknown ids, duplicate or bad names, limits, misaligned or
 * overlapping memory, wrong states, bad register values, stale
 * completions.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

#define MIB (1 << 20)

#define EXPECT_ERR(err, msg, call) do {					\
		EXPECT_EQ(err, call);					\
		EXPECT_STREQ(msg, hv_errmsg(self->vm.h));		\
	} while (0)

GUEST_CODE(err_io, ".code64",
	"mov $0x1000, %dx\n"
	"out %eax, (%dx)\n"
	"hlt\n");

FIXTURE(err) {
	struct tvm vm;
};

FIXTURE_SETUP(err)
{
	ASSERT_EQ(0, tvm_create(&self->vm, MIB, 1));
}

FIXTURE_TEARDOWN(err)
{
	tvm_destroy(&self->vm);
}

TEST_F(err, unknown_ids)
{
	struct hv_vcpu_info vi;
	struct hv_vm_info info;

	EXPECT_ERR(-ENOENT, "no VM with this id",
		   hv_vm_get(self->vm.h, 999999, NULL, &info));
	EXPECT_ERR(-ENOENT, "no VM with this name",
		   hv_vm_get(self->vm.h, 0, "nope", &info));
	EXPECT_ERR(-ENOENT, "no VM with this id", hv_vm_start(self->vm.h, 999999));
	EXPECT_ERR(-ENOENT, "no vcpu with this id in the VM",
		   hv_vcpu_get(self->vm.h, self->vm.id, 5, &vi));
	EXPECT_ERR(-ENOENT, "no slot with this id in the VM",
		   hv_mem_unmap(self->vm.h, self->vm.id, 77));
}

/* mem-get without the dump flag gives one slot, or says why not. */
TEST_F(err, mem_get_one_slot)
{
	struct hv_slot_info si;
	struct nl_msg *msg;

	ASSERT_EQ(0, hv_mem_get(self->vm.h, self->vm.id, self->vm.slot, &si));
	EXPECT_EQ(self->vm.id, si.vm);
	EXPECT_EQ(self->vm.slot, si.slot);
	EXPECT_EQ(0, si.gpa);
	EXPECT_EQ(MIB, si.size);
	EXPECT_EQ((uintptr_t)self->vm.mem, si.uaddr);
	EXPECT_EQ(0, si.flags);
	EXPECT_ERR(-ENOENT, "no slot with this id in the VM",
		   hv_mem_get(self->vm.h, self->vm.id, 77, &si));
	EXPECT_ERR(-ENOENT, "no VM with this id",
		   hv_mem_get(self->vm.h, 999999, 0, &si));
	msg = hv_msg_new(self->vm.h, HV_CMD_MEM_GET, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, HV_A_MEM_VM_ID, self->vm.id));
	EXPECT_ERR(-EINVAL, "slot is required (a dump lists every slot)",
		   hv_transact(self->vm.h, msg, NULL, NULL));
}

TEST_F(err, names)
{
	static const char *const bad[] = { "a b", "12345", ".", "..", ".x",
					   "-x", "_x" };
	struct hv_vm_opts o = { .name = "err-name" };
	struct hv_vm_info info;
	unsigned int i;

	ASSERT_EQ(0, hv_vm_new(self->vm.h, &o, &info));
	EXPECT_STREQ("err-name", info.name);
	EXPECT_ERR(-EEXIST, "a VM with this name exists",
		   hv_vm_new(self->vm.h, &o, NULL));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o.name = bad[i];
		EXPECT_ERR(-EINVAL,
			   "name: letters, digits, '-', '_', '.'; alphanumeric first; not only digits",
			   hv_vm_new(self->vm.h, &o, NULL));
	}
	o.name = "1.x-y_z";
	ASSERT_EQ(0, hv_vm_new(self->vm.h, &o, &info));
	EXPECT_EQ(0, hv_vm_del(self->vm.h, info.id));
	o.name = "a-name-that-is-longer-than-thirty-one-bytes";
	EXPECT_ERR(-EINVAL, "Attribute failed policy validation",
		   hv_vm_new(self->vm.h, &o, NULL));
	ASSERT_EQ(0, hv_vm_get(self->vm.h, 0, "err-name", &info));
	EXPECT_EQ(0, hv_vm_del(self->vm.h, info.id));
}

TEST_F(err, limits)
{
	struct hv_vm_opts o = { .max_vcpus = 1, .max_mem = MIB };
	struct hv_vm_info info, big;
	struct hv_info hi;

	ASSERT_EQ(0, hv_get_info(self->vm.h, &hi));
	o.max_vcpus = hi.max_vcpus + 1;
	EXPECT_ERR(-EINVAL, "max-vcpus is above the module's limit (max_vcpus)",
		   hv_vm_new(self->vm.h, &o, NULL));
	o.max_vcpus = 1;
	ASSERT_EQ(0, hv_vm_new(self->vm.h, &o, &info));
	EXPECT_EQ(1, info.max_vcpus);
	EXPECT_EQ(MIB, info.max_mem);
	ASSERT_EQ(0, hv_vcpu_new(self->vm.h, info.id, NULL));
	EXPECT_ERR(-ENOSPC, "the VM has its maximum number of vcpus",
		   hv_vcpu_new(self->vm.h, info.id, NULL));
	ASSERT_EQ(0, hv_mem_map(self->vm.h, info.id, 0, MIB, self->vm.mem, 0,
				NULL));
	EXPECT_ERR(-ENOSPC, "mapping would exceed the VM's memory limit",
		   hv_mem_map(self->vm.h, info.id, MIB, 4096, self->vm.mem, 0,
			      NULL));
	ASSERT_EQ(0, hv_vm_get(self->vm.h, info.id, NULL, &big));
	EXPECT_EQ(1, big.nr_vcpus);
	EXPECT_EQ(MIB, big.mem_size);
	EXPECT_EQ(0, hv_vm_del(self->vm.h, info.id));
}

TEST_F(err, memory_maps)
{
	uint8_t *m = self->vm.mem;

	EXPECT_ERR(-EINVAL, "gpa, size and uaddr must be page-aligned",
		   hv_mem_map(self->vm.h, self->vm.id, 16 * MIB + 1, 4096, m, 0,
			      NULL));
	EXPECT_ERR(-EINVAL, "gpa, size and uaddr must be page-aligned",
		   hv_mem_map(self->vm.h, self->vm.id, 16 * MIB, 4096, m + 8, 0,
			      NULL));
	EXPECT_ERR(-EEXIST, "range overlaps an existing slot",
		   hv_mem_map(self->vm.h, self->vm.id, MIB - 4096, 8192, m, 0,
			      NULL));
	EXPECT_ERR(-EINVAL, "range ends beyond the guest-physical address space",
		   hv_mem_map(self->vm.h, self->vm.id, 1ULL << 62, 4096, m, 0,
			      NULL));
	EXPECT_ERR(-ERANGE, "integer out of range",
		   hv_mem_map(self->vm.h, self->vm.id, 16 * MIB, 100, m, 0,
			      NULL));
	/* Memory the process does not have mapped cannot be pinned. */
	{
		void *hole = mmap(NULL, 4096, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_NE(MAP_FAILED, hole);
		munmap(hole, 4096);
		EXPECT_ERR(-EFAULT,
			   "cannot pin the owner's memory (not mapped, or not writable?)",
			   hv_mem_map(self->vm.h, self->vm.id, 16 * MIB, 4096,
				      hole, 0, NULL));
	}
}

TEST_F(err, states_and_completions)
{
	struct hv_regs r;
	struct hv_message ev;

	EXPECT_ERR(-EINVAL, "the VM is not running",
		   hv_vm_pause(self->vm.h, self->vm.id));
	tvm_load(&self->vm, CODE_GPA, err_io_start, err_io_end);
	ASSERT_EQ(0, tvm_set_mode(&self->vm, 0, MODE_LONG64, CODE_GPA));
	ASSERT_EQ(0, tvm_next_exit(&self->vm, &ev, 10000));
	EXPECT_ERR(-EALREADY, "the VM is running",
		   hv_vm_start(self->vm.h, self->vm.id));
	EXPECT_ERR(-EBUSY, "the VM is running; pause it first",
		   hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	ASSERT_EQ(0, hv_vm_pause(self->vm.h, self->vm.id));
	EXPECT_ERR(-EBUSY, "the vcpu waits for an exit completion",
		   hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_ERR(-EINVAL, "seq is not the sequence number of the waiting exit",
		   hv_vcpu_complete(self->vm.h, self->vm.id, 0, ev.seq + 1, 0, 0));
	ASSERT_EQ(0, tvm_complete(&self->vm, &ev, 0));
	EXPECT_ERR(-ENOENT, "the vcpu has no exit waiting for completion",
		   hv_vcpu_complete(self->vm.h, self->vm.id, 0, ev.seq, 0, 0));
	/* Used while paused: the state is readable again. */
	EXPECT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	EXPECT_EQ(CODE_GPA + 5, r.rip);		/* past mov dx, out */
}

TEST_F(err, bad_register_values_change_nothing)
{
	struct hv_regs r, after;

	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &r));
	r.efer |= 1ULL << 20;
	EXPECT_ERR(-EINVAL, "efer has bits set hv does not support",
		   hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	r.efer &= ~(1ULL << 20);
	r.cr0 = 0x80000010;			/* PG without PE */
	EXPECT_ERR(-EINVAL, "cr0.pg requires cr0.pe",
		   hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	r.cr0 = 0x80000011;
	r.efer = 0x100;				/* LME without PAE */
	EXPECT_ERR(-EINVAL, "long mode (efer.lme, cr0.pg) requires cr4.pae",
		   hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	r.cr0 = 0x11;
	r.efer = 0;
	r.pat = 0x0202020202020202ULL;		/* type 2 is reserved */
	EXPECT_ERR(-EINVAL, "pat holds a reserved memory type",
		   hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	r.pat = 0x0007040600070406ULL;
	r.event.valid = 1;
	r.event.type = HV_EVENT_TYPE_EXCEPTION;
	r.event.vector = 40;
	EXPECT_ERR(-EINVAL, "an exception's vector must be below 32",
		   hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	r.event.type = 1;
	EXPECT_ERR(-EINVAL, "event type must be ext-intr, nmi, exception or soft-intr",
		   hv_vcpu_set_regs(self->vm.h, self->vm.id, 0, &r));
	ASSERT_EQ(0, hv_vcpu_get_regs(self->vm.h, self->vm.id, 0, &after));
	EXPECT_EQ(0xfff0, after.rip);		/* still the RESET state */
	EXPECT_EQ(0x60000010, after.cr0);
	EXPECT_EQ(0, after.efer);
}

TEST_F(err, cpuid_entries_need_a_function)
{
	struct nl_msg *msg = hv_msg_new(self->vm.h, HV_CMD_VM_SET, 0);
	struct nlattr *e;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, HV_A_VM_ID, self->vm.id));
	e = nla_nest_start(msg, HV_A_VM_CPUID);
	ASSERT_NE(NULL, e);
	ASSERT_EQ(0, nla_put_u32(msg, HV_A_CPUID_EAX, 1));
	nla_nest_end(msg, e);
	EXPECT_ERR(-EINVAL, "a cpuid entry needs a function",
		   hv_transact(self->vm.h, msg, NULL, NULL));
}

TEST_F(err, required_attributes)
{
	struct nl_msg *msg = hv_msg_new(self->vm.h, HV_CMD_VM_START, 0);

	ASSERT_NE(NULL, msg);
	EXPECT_ERR(-EINVAL, "the VM id is required",
		   hv_transact(self->vm.h, msg, NULL, NULL));
	msg = hv_msg_new(self->vm.h, HV_CMD_MEM_MAP, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, HV_A_MEM_VM_ID, self->vm.id));
	EXPECT_ERR(-EINVAL, "gpa is required",
		   hv_transact(self->vm.h, msg, NULL, NULL));
	/* An attribute another operation takes is refused. */
	msg = hv_msg_new(self->vm.h, HV_CMD_VM_START, 0);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, HV_A_VM_ID, self->vm.id));
	ASSERT_EQ(0, nla_put_u32(msg, HV_A_VM_MAX_VCPUS, 4));
	EXPECT_ERR(-EINVAL, "Unsupported attribute",
		   hv_transact(self->vm.h, msg, NULL, NULL));
}

HV_TEST_HARNESS_MAIN
