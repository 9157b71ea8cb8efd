// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl against the real module: "hvctl run" loads a flat binary, prints
 * every I/O and MMIO exit with exact values and RIPs, answers them, and
 * stops on the exit port, on HLT or on a crash (exit status 1); "hvctl
 * batch" creates a VM, writes, reads and loads its memory, sets a vCPU
 * up, runs it, shows and destroys it in one process; a VM belongs to its
 * creator, so another hvctl, root's too, gets EPERM for a change, and a
 * caller without CAP_NET_ADMIN may show it but not create a VM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "guest.h"
#include "test_util.h"

/*
 * Each exit's instruction has a label, for the RIPs hvctl prints. IN and
 * the MMIO read get the default answer, all ones.
 */
GUEST_CODE(hc_long, ".code64",
	"mov $0x44, %al\n"
	"mov $0x80, %dx\n"
	".globl hc_out1\n hc_out1: outb %al, (%dx)\n"
	"mov $0x60, %dx\n"
	".globl hc_in\n hc_in: inw (%dx), %ax\n"
	"movzwl %ax, %eax\n"
	"mov $0x81, %dx\n"
	".globl hc_out2\n hc_out2: outl %eax, (%dx)\n"
	"mov $0xfed00000, %ebx\n"
	".globl hc_mmio_rd\n hc_mmio_rd: movl (%rbx), %eax\n"
	".globl hc_mmio_wr\n hc_mmio_wr: movl $0x55aa, (%rbx)\n"
	"mov $1, %al\n"
	"mov $0xf4, %dx\n"
	".globl hc_exit\n hc_exit: outb %al, (%dx)\n"
	".globl hc_after\n hc_after: hlt\n");

GUEST_CODE(hc_real, ".code16",
	"mov $0x1234, %ax\n"
	".globl hc_real_out\n hc_real_out: out %ax, $0x80\n"
	"hlt\n");

GUEST_CODE(hc_triple, ".code64",
	"lidt hc_zero_idt(%rip)\n"
	"int3\n"
	".globl hc_zero_idt\n hc_zero_idt: .word 0\n .quad 0\n");

extern const unsigned char hc_out1[], hc_in[], hc_out2[], hc_mmio_rd[],
	hc_mmio_wr[], hc_exit[], hc_after[], hc_real_out[];

#define RIP(label) (0x10000 + (unsigned int)((label) - hc_long_start))

FIXTURE(hc) {
	char bin[64];
	char *out;
	char *err;
};

FIXTURE_SETUP(hc)
{
	int fd;

	strcpy(self->bin, "/tmp/hc-bin-XXXXXX");
	fd = mkstemp(self->bin);
	ASSERT_LE(0, fd);
	close(fd);
	self->out = NULL;
	self->err = NULL;
}

FIXTURE_TEARDOWN(hc)
{
	unlink(self->bin);
	free(self->out);
	free(self->err);
}

static int put_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static int hvctl(FIXTURE_DATA(hc) *self, uid_t uid, char **argv)
{
	free(self->out);
	free(self->err);
	self->out = NULL;
	self->err = NULL;
	return run_capture(argv, uid, &self->out, &self->err);
}

TEST_F(hc, run_prints_and_answers_exits_until_the_exit_port)
{
	char *argv[] = { HVCTL_PATH, "run", self->bin, "--mode", "long",
			 "--exit-port", "0xf4", NULL };
	char want[1024];

	ASSERT_EQ(0, put_file(self->bin, hc_long_start,
			      hc_long_end - hc_long_start));
	snprintf(want, sizeof(want),
		 "vcpu 0: out   port 0x0080 size 1 value 0x44 rip 0x%x\n"
		 "vcpu 0: in    port 0x0060 size 2 value 0xffff rip 0x%x\n"
		 "vcpu 0: out   port 0x0081 size 4 value 0xffff rip 0x%x\n"
		 "vcpu 0: mmio read  0xfed00000 size 4 value 0xffffffff rip 0x%x\n"
		 "vcpu 0: mmio write 0xfed00000 size 4 value 0x55aa rip 0x%x\n"
		 "vcpu 0: out   port 0x00f4 size 1 value 0x1 rip 0x%x\n"
		 "stopped: exit-port 0xf4 written 0x1 after 6 exits\n",
		 RIP(hc_out1), RIP(hc_in), RIP(hc_out2), RIP(hc_mmio_rd),
		 RIP(hc_mmio_wr), RIP(hc_exit));
	EXPECT_EQ(0, hvctl(self, -1, argv)) TH_LOG("%s", self->err);
	EXPECT_STREQ(want, self->out);
	EXPECT_STREQ("", self->err);
}

TEST_F(hc, run_json_with_a_read_value_stops_on_hlt)
{
	char *argv[] = { HVCTL_PATH, "-j", "run", self->bin, "--read-value",
			 "0x12345678", NULL };
	char want[2048];

	ASSERT_EQ(0, put_file(self->bin, hc_long_start,
			      hc_long_end - hc_long_start));
	snprintf(want, sizeof(want),
		 "\"reason\":\"io\",\"dir\":\"read\",\"port\":\"0x60\",\"size\":2,\"value\":\"0x5678\",\"rip\":\"0x%x\"",
		 RIP(hc_in));
	EXPECT_EQ(0, hvctl(self, -1, argv)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	snprintf(want, sizeof(want),
		 "\"reason\":\"mmio\",\"dir\":\"read\",\"gpa\":\"0xfed00000\",\"size\":4,\"value\":\"0x12345678\",\"rip\":\"0x%x\"",
		 RIP(hc_mmio_rd));
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	snprintf(want, sizeof(want),
		 "{\"vcpu\":0,\"seq\":7,\"reason\":\"hlt\",\"rip\":\"0x%x\"}],"
		 "\"stop\":{\"reason\":\"hlt\",\"exits\":7}}\n",
		 RIP(hc_after) + 1);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
}

TEST_F(hc, ring_and_netlink_transports_print_the_same_exits)
{
	char *ring[] = { HVCTL_PATH, "-j", "run", self->bin, "--read-value",
			 "0x12345678", NULL };
	char *nl[] = { HVCTL_PATH, "-j", "run", self->bin, "--read-value",
		       "0x12345678", "--transport", "netlink", NULL };
	char *bad[] = { HVCTL_PATH, "run", self->bin, "--transport", "shm",
			NULL };
	char *out;

	ASSERT_EQ(0, put_file(self->bin, hc_long_start,
			      hc_long_end - hc_long_start));
	EXPECT_EQ(0, hvctl(self, -1, ring)) TH_LOG("%s", self->err);
	out = self->out;
	self->out = NULL;
	EXPECT_EQ(0, hvctl(self, -1, nl)) TH_LOG("%s", self->err);
	/* The same exits; only the new VM's id differs. */
	ASSERT_NE(NULL, strstr(out, "\"exits\":"));
	ASSERT_NE(NULL, strstr(self->out, "\"exits\":"));
	EXPECT_STREQ(strstr(out, "\"exits\":"),
		     strstr(self->out, "\"exits\":"));
	EXPECT_NE(NULL, strstr(out, "\"stop\":{\"reason\":\"hlt\",\"exits\":7}"));
	free(out);
	EXPECT_EQ(2, hvctl(self, -1, bad));
	EXPECT_STREQ("hvctl: run: --transport takes ring or netlink, not 'shm'\nTry 'hvctl help'.\n",
		     self->err);
}

TEST_F(hc, run_in_real_mode)
{
	char *argv[] = { HVCTL_PATH, "run", self->bin, "--mode", "real",
			 "--entry", "0x7c00", NULL };
	char want[256];

	ASSERT_EQ(0, put_file(self->bin, hc_real_start,
			      hc_real_end - hc_real_start));
	snprintf(want, sizeof(want),
		 "vcpu 0: out   port 0x0080 size 2 value 0x1234 rip 0x%x\n"
		 "vcpu 0: hlt rip 0x%x\n"
		 "stopped: hlt after 2 exits\n",
		 0x7c00 + (unsigned int)(hc_real_out - hc_real_start),
		 0x7c00 + (unsigned int)(hc_real_end - hc_real_start));
	EXPECT_EQ(0, hvctl(self, -1, argv)) TH_LOG("%s", self->err);
	EXPECT_STREQ(want, self->out);
}

TEST_F(hc, run_reports_a_crash_and_fails)
{
	static const char want[] =
		"hvctl: run: the VM crashed: triple fault (shutdown) on vcpu 0 at rip 0x";
	char *argv[] = { HVCTL_PATH, "run", self->bin, NULL };

	ASSERT_EQ(0, put_file(self->bin, hc_triple_start,
			      hc_triple_end - hc_triple_start));
	EXPECT_EQ(1, hvctl(self, -1, argv));
	EXPECT_EQ(0, strncmp(want, self->err, strlen(want)))
		TH_LOG("%s", self->err);
	EXPECT_STREQ("", self->out);
}

TEST_F(hc, batch_uses_one_vm_across_commands)
{
	char script[] = "/tmp/hc-batch-XXXXXX", text[1024], want[256];
	char *argv[] = { HVCTL_PATH, "batch", script, NULL };
	int fd = mkstemp(script);

	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, put_file(self->bin, hc_long_start,
			      hc_long_end - hc_long_start));
	snprintf(text, sizeof(text),
		 "vm create hc-batch --mem 1M\n"
		 "mem write hc-batch 0x20000 c0ffee\n"
		 "mem read -j hc-batch 0x20000 3\n"
		 "mem load hc-batch 0x10000 %s\n"
		 "vcpu state hc-batch 0 --mode long --entry 0x10000 --set rbx=0x7\n"
		 "vm run hc-batch --exit-port 0xf4\n"
		 "vcpu state -j hc-batch 0\n"
		 "vm show -j hc-batch\n"
		 "vm destroy hc-batch\n"
		 "vm list -j\n", self->bin);
	ASSERT_EQ(0, put_file(script, text, strlen(text)));

	EXPECT_EQ(0, hvctl(self, -1, argv)) TH_LOG("%s", self->err);
	unlink(script);
	EXPECT_STREQ("", self->err);
	EXPECT_NE(NULL, strstr(self->out,
			       "{\"gpa\":\"0x20000\",\"len\":3,\"data\":\"c0ffee\"}\n"));
	EXPECT_NE(NULL, strstr(self->out, "rip=0x10000 "));
	EXPECT_NE(NULL, strstr(self->out, "rbx=0x7 "));
	EXPECT_NE(NULL, strstr(self->out,
			       "stopped: exit-port 0xf4 written 0x1 after 6 exits\n"));
	/* Paused right after the OUT to the exit port, before the HLT. */
	snprintf(want, sizeof(want), "\"rip\":\"0x%x\"", RIP(hc_after));
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"rbx\":\"0xfed00000\""));
	EXPECT_NE(NULL, strstr(self->out,
			       "\"name\":\"hc-batch\",\"state\":\"paused\""));
	EXPECT_NE(NULL, strstr(self->out, "\"slot_list\":[{\"id\":0,\"gpa\":\"0x0\",\"size\":1048576,\"readonly\":false,\"dirty_log\":false}]"));
	/* Destroyed: the last command lists no VM. */
	EXPECT_EQ(0, strcmp(self->out + strlen(self->out) - 3, "[]\n"))
		TH_LOG("%s", self->out);
}

TEST_F(hc, another_hvctl_may_read_but_not_change_a_vm)
{
	struct tvm vm;
	char id[16];
	char *destroy[] = { HVCTL_PATH, "vm", "destroy", id, NULL };
	char *show[] = { HVCTL_PATH, "vm", "show", id, NULL };
	char *create[] = { HVCTL_PATH, "vm", "create", NULL };

	ASSERT_EQ(0, tvm_create(&vm, 1 << 20, 1));
	snprintf(id, sizeof(id), "%u", vm.id);
	EXPECT_EQ(1, hvctl(self, -1, destroy));
	EXPECT_STREQ("hvctl: vm destroy: only the VM's owner socket may change it: Operation not permitted\n",
		     self->err);
	EXPECT_EQ(0, hvctl(self, 65534, show)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->out, "state:            created\n"));
	EXPECT_EQ(1, hvctl(self, 65534, create));
	EXPECT_STREQ("hvctl: vm create: vm-new failed: Operation not permitted\n",
		     self->err);
	tvm_destroy(&vm);
}

HV_TEST_HARNESS_MAIN
