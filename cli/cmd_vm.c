// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl vm: list, show, create, destroy, start, pause and run VMs, and
 * raise interrupts in them. A VM belongs to the netlink socket that
 * created it, so one hvctl process owns what it creates and the VM goes
 * away when that process exits; "hvctl batch" runs several commands in
 * one process.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hvctl.h"
#include "libhv.h"
#include "output.h"
#include "parse.h"

static const char *const exit_names[] = {
	"total", "cpuid", "msr", "hlt", "npf", "intr", "io", "mmio", "other",
	"timer",
};

static const char *msr_policy_name(uint32_t policy)
{
	return policy == HV_MSR_POLICY_EXIT ? "exit" : "gp";
}

static void print_vm_fields(struct out *o, const struct hv_vm_info *vm)
{
	out_u64(o, "id", vm->id);
	out_str(o, "name", vm->name);
	out_str(o, "state", hv_vm_state_name(vm->state));
	out_u64(o, "owner", vm->owner);
	out_u64(o, "vcpus", vm->nr_vcpus);
	out_u64(o, "max_vcpus", vm->max_vcpus);
	out_u64(o, "mem", vm->mem_size);
	out_u64(o, "max_mem", vm->max_mem);
	out_str(o, "unknown_msr", msr_policy_name(vm->unknown_msr));
	out_u64(o, "ring_poll_ns", vm->ring_poll_ns);
	out_str(o, "halt_notices", vm->halt_notices ? "on" : "off");
	if (vm->crash_reason[0])
		out_str(o, "crash_reason", vm->crash_reason);
}

/* Text: "vcpu_0:" headings; JSON: an array of objects. */
static void begin_item(struct out *o, const char *kind, uint32_t n)
{
	char key[32];

	if (o->json) {
		out_begin_object(o, NULL);
		return;
	}
	snprintf(key, sizeof(key), "%s_%u", kind, n);
	out_begin_object(o, key);
}

static void begin_list(struct out *o, const char *key)
{
	if (o->json)
		out_begin_array(o, key);
}

static void end_list(struct out *o)
{
	if (o->json)
		out_end_array(o);
}

/**
 * cmd_vm_show() - hvctl vm show VM
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_show(struct hvctl *c, int argc, char **argv)
{
	struct hv_vcpu_info *vcpus = NULL;
	struct hv_slot_info *slots = NULL;
	struct hv_vm_info vm;
	struct hv_stats st;
	const char *pos[1];
	size_t nv = 0, ns = 0, i;
	struct out o;
	uint32_t id;
	int ret;

	if (hvctl_hvd_wanted(c))
		return cmd_hvd_vm(c, "show", argc, argv);
	ret = hvctl_args(c, argc, argv, NULL, pos, 1, 1, "vm show VM");
	if (!ret)
		ret = hvctl_connect(c);
	if (!ret)
		ret = hvctl_vm_ref(c, pos[0], &id);
	if (ret)
		return ret;
	ret = hv_vm_get(c->h, id, NULL, &vm);
	if (ret)
		return hvctl_fail_request(c, ret, "vm-get failed");
	ret = hv_vcpu_list(c->h, id, &vcpus, &nv);
	if (!ret)
		ret = hv_mem_list(c->h, id, &slots, &ns);
	if (!ret)
		ret = hv_get_stats(c->h, id, &st);
	if (ret) {
		free(vcpus);
		free(slots);
		return hvctl_fail_request(c, ret, "cannot read the VM");
	}

	out_init(&o, c->out, c->json, c->pretty);
	out_begin_object(&o, NULL);
	print_vm_fields(&o, &vm);
	begin_list(&o, "vcpu_list");
	for (i = 0; i < nv; i++) {
		begin_item(&o, "vcpu", vcpus[i].id);
		if (o.json)
			out_u64(&o, "id", vcpus[i].id);
		out_str(&o, "state", hv_vcpu_state_name(vcpus[i].state));
		out_u64(&o, "exits", vcpus[i].exits);
		out_u64(&o, "thread", vcpus[i].thread);
		out_str(&o, "transport",
			hv_transport_name(vcpus[i].transport));
		out_u64(&o, "sleeps", vcpus[i].sleeps);
		out_u64(&o, "owner_wakeups", vcpus[i].owner_wakeups);
		out_end_object(&o);
	}
	end_list(&o);
	begin_list(&o, "slot_list");
	for (i = 0; i < ns; i++) {
		begin_item(&o, "slot", slots[i].slot);
		if (o.json)
			out_u64(&o, "id", slots[i].slot);
		out_hex(&o, "gpa", slots[i].gpa);
		out_u64(&o, "size", slots[i].size);
		out_bool(&o, "readonly",
			 slots[i].flags & HV_MEM_FLAGS_READONLY);
		out_bool(&o, "dirty_log",
			 slots[i].flags & HV_MEM_FLAGS_DIRTY_LOG);
		out_end_object(&o);
	}
	end_list(&o);
	out_begin_object(&o, "exits");
	for (i = 0; i < sizeof(exit_names) / sizeof(exit_names[0]); i++)
		out_u64(&o, exit_names[i], st.exits[i]);
	out_end_object(&o);
	out_begin_object(&o, "invalidations");
	out_u64(&o, "invept", st.invept);
	out_u64(&o, "invvpid", st.invvpid);
	out_u64(&o, "invvpid_saved", st.invvpid_saved);
	out_end_object(&o);
	out_begin_object(&o, "l1d_flushes");
	out_u64(&o, "msr", st.l1d_flush_msr);
	out_u64(&o, "software", st.l1d_flush_sw);
	out_end_object(&o);
	out_u64(&o, "pml_full", st.pml_full);
	out_u64(&o, "halt_polled", st.halt_polled);
	/* How often a vCPU slept for its owner, and the owner for its ring. */
	out_begin_object(&o, "owner_waits");
	out_u64(&o, "vcpu_sleeps", st.sleeps);
	out_u64(&o, "owner_wakeups", st.owner_wakeups);
	out_end_object(&o);
	out_begin_object(&o, "interrupts");
	out_u64(&o, "injected", st.intr_injected);
	out_u64(&o, "posted", st.intr_posted);
	out_u64(&o, "ipis", st.ipis);
	out_u64(&o, "timer", st.timer_fired);
	out_u64(&o, "eoi_notices", st.eoi_notices);
	out_u64(&o, "ioeventfd", st.ioeventfd);
	out_end_object(&o);
	out_end_object(&o);
	out_end(&o);
	free(vcpus);
	free(slots);
	return HVCTL_OK;
}

/**
 * cmd_vm_list() - hvctl vm list
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_list(struct hvctl *c, int argc, char **argv)
{
	struct hv_vm_info *vms;
	struct out o;
	size_t n, i;
	int ret;

	if (hvctl_hvd_wanted(c))
		return cmd_hvd_vm(c, "list", argc, argv);
	ret = hvctl_opts(c, argc, argv);
	if (!ret)
		ret = hvctl_connect(c);
	if (ret)
		return ret;
	ret = hv_vm_list(c->h, &vms, &n);
	if (ret)
		return hvctl_fail_request(c, ret, "vm-get dump failed");
	if (c->json) {
		out_init(&o, c->out, true, c->pretty);
		out_begin_array(&o, NULL);
		for (i = 0; i < n; i++) {
			out_begin_object(&o, NULL);
			print_vm_fields(&o, &vms[i]);
			out_end_object(&o);
		}
		out_end_array(&o);
		out_end(&o);
	} else {
		fprintf(c->out, "%-6s %-20s %-8s %5s %12s %10s\n", "ID", "NAME",
			"STATE", "VCPUS", "MEM", "OWNER");
		for (i = 0; i < n; i++)
			fprintf(c->out, "%-6u %-20s %-8s %5u %12llu %10u\n",
				vms[i].id, vms[i].name,
				hv_vm_state_name(vms[i].state), vms[i].nr_vcpus,
				(unsigned long long)vms[i].mem_size,
				vms[i].owner);
	}
	free(vms);
	return HVCTL_OK;
}

/**
 * cmd_vm_create() - hvctl vm create [NAME] [--vcpus N] [--mem SIZE]
 *	[--max-vcpus N] [--max-mem SIZE] [--unknown-msr gp|exit]
 *	[--ring-poll NS] [--halt-notices on|off]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * --mem gives the VM that much zeroed RAM at guest-physical 0, from a
 * memfd of this hvctl.
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_create(struct hvctl *c, int argc, char **argv)
{
	const char *vcpus_s = "1", *mem_s = NULL, *maxv_s = NULL,
		   *maxm_s = NULL, *msr_s = NULL, *poll_s = NULL,
		   *halt_s = NULL, *pos[1] = { NULL };
	const struct hvctl_opt opts[] = {
		HVCTL_OPT("--vcpus", &vcpus_s),
		HVCTL_OPT("--mem", &mem_s),
		HVCTL_OPT("--max-vcpus", &maxv_s),
		HVCTL_OPT("--max-mem", &maxm_s),
		HVCTL_OPT("--unknown-msr", &msr_s),
		HVCTL_OPT("--ring-poll", &poll_s),
		HVCTL_OPT("--halt-notices", &halt_s),
		HVCTL_OPT_END
	};
	struct hv_vm_opts vo = { 0 };
	uint64_t nr, mem = 0, v;
	struct hv_vm_info vm;
	void *ram;
	char id[16];
	char *show[] = { id };
	int ret, err, i;

	/* A kernel to boot makes it hvd's VM. */
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--kernel") && !c->batch && !c->direct)
			return cmd_hvd_create(c, argc, argv);

	ret = hvctl_args(c, argc, argv, opts, pos, 0, 1,
			 "vm create [NAME] [--vcpus N] [--mem SIZE] [--max-vcpus N] [--max-mem SIZE] [--unknown-msr gp|exit] [--ring-poll NS] [--halt-notices on|off]");
	if (!ret)
		ret = hvctl_number(c, "--vcpus", vcpus_s, &nr);
	if (!ret && mem_s)
		ret = hvctl_size(c, "--mem", mem_s, &mem);
	if (!ret && maxm_s)
		ret = hvctl_size(c, "--max-mem", maxm_s, &vo.max_mem);
	if (!ret && poll_s) {
		ret = hvctl_number(c, "--ring-poll", poll_s, &v);
		if (!ret && v > HV_RING_POLL_MAX)
			ret = hvctl_usage(c, "--ring-poll must be at most %u ns",
					  HV_RING_POLL_MAX);
		vo.ring_poll_ns = v;
		vo.set_ring_poll = 1;
	}
	if (!ret && maxv_s)
		ret = hvctl_number(c, "--max-vcpus", maxv_s, &v);
	if (ret)
		return ret;
	if (maxv_s) {
		if (!v || v > UINT32_MAX)
			return hvctl_usage(c, "--max-vcpus must be between 1 and 4294967295");
		vo.max_vcpus = v;
	}
	if (msr_s && !strcmp(msr_s, "exit"))
		vo.unknown_msr = HV_MSR_POLICY_EXIT;
	else if (msr_s && strcmp(msr_s, "gp"))
		return hvctl_usage(c, "--unknown-msr takes gp or exit, not '%s'",
				   msr_s);
	if (halt_s && !strcmp(halt_s, "off"))
		vo.no_halt_notices = 1;
	else if (halt_s && strcmp(halt_s, "on"))
		return hvctl_usage(c, "--halt-notices takes on or off, not '%s'",
				   halt_s);
	if (mem % 4096)
		return hvctl_usage(c, "--mem must be a multiple of 4K");
	if (nr > 1024)
		return hvctl_usage(c, "--vcpus %llu is more than a VM can have",
				   (unsigned long long)nr);
	vo.name = pos[0];

	ret = hvctl_connect(c);
	if (ret)
		return ret;
	err = hv_vm_new(c->h, &vo, &vm);
	if (err)
		return hvctl_fail_request(c, err, "vm-new failed");
	for (v = 0; v < nr; v++) {
		err = hv_vcpu_new(c->h, vm.id, NULL);
		if (err) {
			ret = hvctl_fail_request(c, err, "vcpu-new failed");
			goto undo;
		}
	}
	if (mem) {
		ret = hvctl_ram(c, mem, &ram);
		if (ret)
			goto undo;
		err = hv_mem_map(c->h, vm.id, 0, mem, ram, 0, NULL);
		if (err) {
			ret = hvctl_fail_request(c, err, "mem-map failed");
			goto undo;
		}
	}
	if (!c->batch)
		fprintf(c->err,
			"hvctl: vm create: note: VM %u lives as long as this hvctl; use 'hvctl batch' or 'hvctl run' to use it\n",
			vm.id);
	snprintf(id, sizeof(id), "%u", vm.id);
	return cmd_vm_show(c, 1, show);
undo:
	hv_vm_del(c->h, vm.id);
	return ret;
}

/* A request on the VM named by the only argument: destroy, start, pause. */
static int vm_op(struct hvctl *c, int argc, char **argv, const char *usage,
		 int (*op)(struct hv *h, uint32_t vm), const char *what)
{
	const char *pos[1];
	uint32_t id;
	int ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 1, 1, usage);
	if (!ret)
		ret = hvctl_connect(c);
	if (!ret)
		ret = hvctl_vm_ref(c, pos[0], &id);
	if (ret)
		return ret;
	ret = op(c->h, id);
	return ret ? hvctl_fail_request(c, ret, what) : HVCTL_OK;
}

/**
 * cmd_vm_destroy() - hvctl vm destroy VM
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_destroy(struct hvctl *c, int argc, char **argv)
{
	if (hvctl_hvd_wanted(c))
		return cmd_hvd_vm(c, "destroy", argc, argv);
	return vm_op(c, argc, argv, "vm destroy VM", hv_vm_del,
		     "vm-del failed");
}

/**
 * cmd_vm_start() - hvctl vm start VM
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_start(struct hvctl *c, int argc, char **argv)
{
	if (hvctl_hvd_wanted(c))
		return cmd_hvd_vm(c, "start", argc, argv);
	return vm_op(c, argc, argv, "vm start VM", hv_vm_start,
		     "vm-start failed");
}

/**
 * cmd_vm_pause() - hvctl vm pause VM
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_pause(struct hvctl *c, int argc, char **argv)
{
	if (hvctl_hvd_wanted(c))
		return cmd_hvd_vm(c, "pause", argc, argv);
	return vm_op(c, argc, argv, "vm pause VM", hv_vm_pause,
		     "vm-pause failed");
}

/* --msi ADDR:DATA, or --vector V [--dest ID] as a fixed, physical MSI. */
static int irq_message(struct hvctl *c, const char *msi, const char *vector,
		       const char *dest, uint64_t *addr, uint64_t *data)
{
	char buf[64], *colon;
	uint64_t v, d = 0;
	int ret;

	if (msi) {
		colon = strchr(msi, ':');
		if (!colon || (size_t)(colon - msi) >= sizeof(buf))
			return hvctl_usage(c, "--msi '%s' is not ADDR:DATA", msi);
		memcpy(buf, msi, colon - msi);
		buf[colon - msi] = 0;
		ret = hvctl_number(c, "MSI address", buf, addr);
		if (!ret)
			ret = hvctl_number(c, "MSI data", colon + 1, data);
		if (!ret && *data > 0xffff)
			ret = hvctl_usage(c, "MSI data '%s' is wider than 16 bits",
					  colon + 1);
		return ret;
	}
	ret = hvctl_number(c, "vector", vector, &v);
	if (!ret && (v < 16 || v > 255))
		ret = hvctl_usage(c, "vector '%s' is not 16 to 255", vector);
	if (!ret && dest)
		ret = hvctl_number(c, "destination APIC ID", dest, &d);
	if (!ret && d > 255)
		ret = hvctl_usage(c, "destination APIC ID '%s' is not 0 to 255",
				  dest);
	*addr = 0xfee00000 | d << 12;
	*data = v;
	return ret;
}

/**
 * cmd_vm_irq() - hvctl vm irq VM --msi ADDR:DATA | --vector V [--dest ID]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_irq(struct hvctl *c, int argc, char **argv)
{
	static const char usage[] =
		"vm irq VM --msi ADDR:DATA | --vector V [--dest ID]";
	const char *msi = NULL, *vector = NULL, *dest = NULL;
	const struct hvctl_opt opts[] = {
		HVCTL_OPT("--msi", &msi),
		HVCTL_OPT("--vector", &vector),
		HVCTL_OPT("--dest", &dest),
		HVCTL_OPT_END
	};
	uint64_t addr, data;
	const char *pos[1];
	uint32_t id;
	int ret;

	ret = hvctl_args(c, argc, argv, opts, pos, 1, 1, usage);
	if (ret)
		return ret;
	if (!msi == !vector || (msi && dest))
		return hvctl_usage(c, "give either --msi, or --vector with an optional --dest");
	ret = irq_message(c, msi, vector, dest, &addr, &data);
	if (!ret)
		ret = hvctl_connect(c);
	if (!ret)
		ret = hvctl_vm_ref(c, pos[0], &id);
	if (ret)
		return ret;
	ret = hv_vm_msi(c->h, id, addr, data);
	return ret ? hvctl_fail_request(c, ret, "vm-msi failed") : HVCTL_OK;
}

/**
 * cmd_vm_run() - hvctl vm run VM [--exit-port PORT] [--max-exits N]
 *	[--read-value V] [--transport ring|netlink]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_run(struct hvctl *c, int argc, char **argv)
{
	const char *port_s = NULL, *max_s = NULL, *read_s = NULL,
		   *transport_s = NULL, *pos[1];
	const struct hvctl_opt opts[] = {
		HVCTL_OPT("--exit-port", &port_s),
		HVCTL_OPT("--max-exits", &max_s),
		HVCTL_OPT("--read-value", &read_s),
		HVCTL_OPT("--transport", &transport_s),
		HVCTL_OPT_END
	};
	struct hvctl_run_opts ro;
	struct hv_vm_info vm;
	uint32_t id;
	int ret;

	ret = hvctl_args(c, argc, argv, opts, pos, 1, 1,
			 "vm run VM [--exit-port PORT] [--max-exits N] [--read-value V] [--transport ring|netlink]");
	if (!ret)
		ret = hvctl_run_opts_parse(c, port_s, max_s, read_s,
					   transport_s, &ro);
	if (!ret)
		ret = hvctl_connect(c);
	if (!ret)
		ret = hvctl_vm_ref(c, pos[0], &id);
	if (ret)
		return ret;
	ret = hv_vm_get(c->h, id, NULL, &vm);
	if (ret)
		return hvctl_fail_request(c, ret, "vm-get failed");
	return hvctl_run_vm(c, id, vm.nr_vcpus, &ro);
}

/**
 * cmd_vm_stop() - hvctl vm stop NAME: end an hvd VM and its worker
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_stop(struct hvctl *c, int argc, char **argv)
{
	return cmd_hvd_vm(c, "stop", argc, argv);
}

/**
 * cmd_vm_kill() - hvctl vm kill NAME: SIGKILL an hvd VM's worker
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_kill(struct hvctl *c, int argc, char **argv)
{
	return cmd_hvd_vm(c, "kill", argc, argv);
}

/**
 * cmd_vm_resume() - hvctl vm resume NAME: resume a paused hvd VM
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_resume(struct hvctl *c, int argc, char **argv)
{
	return cmd_hvd_vm(c, "resume", argc, argv);
}
