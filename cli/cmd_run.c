// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl run and vm run: run a VM, print every exit that reaches hvctl and
 * answer it with a small default responder (reads return --read-value,
 * all ones by default, as from an absent device; writes are accepted),
 * until every vCPU has halted (nothing can wake a halted vCPU yet: hv has
 * no interrupt sources), the VM crashes, the guest writes the --exit-port,
 * --max-exits exits came, or the user interrupts hvctl.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "hvctl.h"
#include "libhv.h"
#include "output.h"
#include "parse.h"

/* Guest images larger than this are refused. */
#define IMAGE_MAX	(256ULL << 20)

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
}

/**
 * hvctl_run_opts_parse() - the options shared by run and vm run
 * @c: the run context
 * @exit_port: --exit-port, or NULL
 * @max_exits: --max-exits, or NULL
 * @read_value: --read-value, or NULL
 * @transport: --transport, or NULL
 * @ro: filled
 *
 * Return: HVCTL_OK or HVCTL_USAGE.
 */
int hvctl_run_opts_parse(struct hvctl *c, const char *exit_port,
			 const char *max_exits, const char *read_value,
			 const char *transport, struct hvctl_run_opts *ro)
{
	uint64_t v;
	int ret;

	ro->exit_port = -1;
	ro->max_exits = 0;
	ro->read_value = ~0ULL;
	ro->transport = HV_TRANSPORT_RING;
	if (transport && !strcmp(transport, "netlink"))
		ro->transport = HV_TRANSPORT_NETLINK;
	else if (transport && strcmp(transport, "ring"))
		return hvctl_usage(c, "--transport takes ring or netlink, not '%s'",
				   transport);
	if (exit_port) {
		ret = hvctl_number(c, "--exit-port", exit_port, &v);
		if (ret)
			return ret;
		if (v > 0xffff)
			return hvctl_usage(c, "--exit-port must be below 0x10000");
		ro->exit_port = v;
	}
	if (max_exits) {
		ret = hvctl_number(c, "--max-exits", max_exits, &ro->max_exits);
		if (ret)
			return ret;
		if (!ro->max_exits)
			return hvctl_usage(c, "--max-exits must be at least 1");
	}
	if (read_value)
		return hvctl_number(c, "--read-value", read_value,
				    &ro->read_value);
	return HVCTL_OK;
}

static uint64_t mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* One exit, as a line of text or an object of the "exits" array. */
static void print_exit(struct out *o, const struct hv_message *ev,
		       uint64_t value)
{
	const char *dir = ev->dir == HV_DIR_WRITE ? "write" : "read";

	if (o->json) {
		out_begin_object(o, NULL);
		out_u64(o, "vcpu", ev->vcpu);
		out_u64(o, "seq", ev->seq);
		out_str(o, "reason", hv_exit_reason_name(ev->reason));
		if (ev->reason == HV_EXIT_REASON_EOI)
			out_hex(o, "vector", ev->vector);
		else if (ev->reason != HV_EXIT_REASON_HLT)
			out_str(o, "dir", dir);
		if (ev->reason == HV_EXIT_REASON_IO)
			out_hex(o, "port", ev->port);
		if (ev->reason == HV_EXIT_REASON_MMIO)
			out_hex(o, "gpa", ev->gpa);
		if (ev->reason == HV_EXIT_REASON_MSR)
			out_hex(o, "msr", ev->msr);
		if (ev->reason != HV_EXIT_REASON_HLT &&
		    ev->reason != HV_EXIT_REASON_EOI) {
			if (ev->reason != HV_EXIT_REASON_MSR)
				out_u64(o, "size", ev->size);
			out_hex(o, "value", value);
		}
		out_hex(o, "rip", ev->rip);
		out_end_object(o);
		fflush(o->f);
		return;
	}
	fprintf(o->f, "vcpu %u: ", ev->vcpu);
	switch (ev->reason) {
	case HV_EXIT_REASON_IO:
		fprintf(o->f, "%-5s port 0x%04x size %u value 0x%llx",
			ev->dir == HV_DIR_WRITE ? "out" : "in", ev->port,
			ev->size, (unsigned long long)value);
		break;
	case HV_EXIT_REASON_MMIO:
		fprintf(o->f, "mmio %-5s 0x%llx size %u value 0x%llx", dir,
			(unsigned long long)ev->gpa, ev->size,
			(unsigned long long)value);
		break;
	case HV_EXIT_REASON_MSR:
		fprintf(o->f, "%s 0x%x value 0x%llx",
			ev->dir == HV_DIR_WRITE ? "wrmsr" : "rdmsr", ev->msr,
			(unsigned long long)value);
		break;
	case HV_EXIT_REASON_EOI:
		fprintf(o->f, "eoi vector 0x%02x", ev->vector);
		break;
	default:
		fprintf(o->f, "%s", hv_exit_reason_name(ev->reason));
	}
	fprintf(o->f, " rip 0x%llx\n", (unsigned long long)ev->rip);
	fflush(o->f);
}

enum stop { STOP_NONE, STOP_HLT, STOP_EXIT_PORT, STOP_MAX_EXITS,
	    STOP_CRASHED, STOP_INTERRUPTED };

static const char *const stop_names[] = {
	[STOP_HLT] = "hlt",
	[STOP_EXIT_PORT] = "exit-port",
	[STOP_MAX_EXITS] = "max-exits",
	[STOP_CRASHED] = "crashed",
	[STOP_INTERRUPTED] = "interrupted",
};

/* Where the run's exits come from: a ring per vCPU, or the owner socket. */
struct run_exits {
	struct hv_vcpu_ring **ring;
	uint32_t nr;
	uint32_t next;
};

static int exits_open(struct hvctl *c, uint32_t vm, uint32_t nr_vcpus,
		      const struct hvctl_run_opts *ro, struct run_exits *rx)
{
	uint32_t i;
	int err;

	rx->nr = nr_vcpus;
	rx->next = 0;
	rx->ring = calloc(nr_vcpus ? nr_vcpus : 1, sizeof(*rx->ring));
	if (!rx->ring)
		return -ENOMEM;
	if (ro->transport != HV_TRANSPORT_RING)
		return 0;
	for (i = 0; i < nr_vcpus; i++) {
		err = hv_vcpu_ring_open(c->h, vm, i, &rx->ring[i]);
		if (err)
			return err;
	}
	return 0;
}

static void exits_close(struct run_exits *rx)
{
	uint32_t i;

	for (i = 0; rx->ring && i < rx->nr; i++)
		hv_vcpu_ring_close(rx->ring[i]);
	free(rx->ring);
	rx->ring = NULL;
}

static int rings_next(struct run_exits *rx, struct hv_message *ev)
{
	return hv_vcpu_rings_next(rx->ring, rx->nr, &rx->next, ev);
}

/* Say we sleep, or no longer; then consume the wake-ups poll() found. */
static void rings_sleeping(struct run_exits *rx, int sleeping,
			   const struct pollfd *p)
{
	uint32_t i, n = 1;

	for (i = 0; i < rx->nr; i++) {
		if (!rx->ring[i])
			continue;
		hv_vcpu_ring_set_sleeping(rx->ring[i], sleeping);
		/* The fds block: read only those poll() found set. */
		if (!sleeping && (p[n].revents & POLLIN))
			hv_vcpu_ring_drain(rx->ring[i]);
		n++;
	}
}

/*
 * The next exit (from a ring or the socket) or notice, waiting up to
 * @timeout_ms. The rings are told that we sleep before we look at them
 * the last time, so that an exit posted meanwhile signals their eventfd.
 */
static int next_event(struct hvctl *c, struct run_exits *rx,
		      struct hv_message *ev, int timeout_ms)
{
	struct pollfd *p;
	uint32_t i, n = 0;
	bool found;
	int err;

	if (!rings_next(rx, ev))
		return 0;
	err = hv_next_message(c->h, ev, 0);
	if (err != -ETIMEDOUT)
		return err;
	p = calloc(rx->nr + 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p[n].fd = hv_fd(c->h);
	p[n++].events = POLLIN;
	for (i = 0; i < rx->nr; i++) {
		if (!rx->ring[i])
			continue;
		p[n].fd = hv_vcpu_ring_fd(rx->ring[i]);
		p[n++].events = POLLIN;
	}
	rings_sleeping(rx, 1, p);
	found = !rings_next(rx, ev);
	err = found ? 0 : poll(p, n, timeout_ms);
	if (err < 0)
		err = errno == EINTR ? 0 : -errno;
	rings_sleeping(rx, 0, p);
	free(p);
	if (found)
		return 0;
	if (err < 0)
		return err;
	if (!rings_next(rx, ev))
		return 0;
	return hv_next_message(c->h, ev, 0);
}

/*
 * Answer one exit; what it means for the run. An exit that ends the run
 * pauses the VM before it is completed, so the vCPU uses the completion
 * and parks right after the instruction instead of running on (the run
 * would otherwise race its own pause request, see hv_vcpu_parked()).
 */
static enum stop answer(struct hvctl *c, const struct hvctl_run_opts *ro,
			struct run_exits *rx, const struct hv_message *ev,
			uint64_t exits, uint64_t *value, int *err)
{
	bool write = ev->dir == HV_DIR_WRITE;
	enum stop stop = STOP_NONE;
	uint64_t data = 0;
	int spurious;

	/* An MSR is 64 bits whatever the event's size says. */
	*value = write ? ev->data :
		 ro->read_value & mask(ev->reason == HV_EXIT_REASON_MSR ? 8 :
				       ev->size);
	if (ev->reason == HV_EXIT_REASON_IO && write &&
	    ev->port == ro->exit_port)
		stop = STOP_EXIT_PORT;
	else if (ro->max_exits && exits >= ro->max_exits)
		stop = STOP_MAX_EXITS;
	if (stop != STOP_NONE)
		*err = hv_vm_pause(c->h, ev->vm);
	/* Notices: the vCPU waits for nothing. */
	if (ev->reason == HV_EXIT_REASON_HLT ||
	    ev->reason == HV_EXIT_REASON_EOI || *err)
		return stop;
	if (!write)
		data = *value;
	/* hvctl has no 8259: every acknowledge finds none (spurious). */
	spurious = ev->reason == HV_EXIT_REASON_INTA;
	if (ev->vcpu < rx->nr && rx->ring[ev->vcpu])
		*err = hv_vcpu_ring_complete(rx->ring[ev->vcpu], ev->seq, data,
					     spurious);
	else
		*err = hv_vcpu_complete(c->h, ev->vm, ev->vcpu, ev->seq, data,
					spurious);
	return stop;
}

/*
 * Whether every vCPU has halted or waits for a START-UP IPI that nothing
 * will send: an application processor nobody started ends a run as a
 * halted one does.
 */
static bool all_idle(struct hvctl *c, uint32_t vm)
{
	struct hv_vcpu_info *v;
	bool idle = true;
	size_t n, i;

	if (hv_vcpu_list(c->h, vm, &v, &n))
		return false;
	for (i = 0; i < n; i++)
		idle = idle && (v[i].state == HV_VCPU_STATE_HALTED ||
				v[i].state == HV_VCPU_STATE_WAIT_SIPI);
	free(v);
	return idle;
}

/**
 * hvctl_run_vm() - run a VM, printing and answering its exits
 * @c: the run context (connected; the VM's owner)
 * @vm: the VM
 * @nr_vcpus: its vCPUs, to know when all have halted
 * @ro: stop conditions and the responder's read value
 *
 * Prints each exit (text: a line each; JSON: {"vm", "exits": [...],
 * "stop": {...}}), then why the run stopped. The VM is left paused
 * unless it crashed.
 *
 * Return: HVCTL_OK when it stopped on HLT, the exit port or
 * --max-exits; HVCTL_FAIL (printed) on a crash, an interrupt or an error.
 */
int hvctl_run_vm(struct hvctl *c, uint32_t vm, uint32_t nr_vcpus,
		 const struct hvctl_run_opts *ro)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	uint64_t exits = 0, value = 0, port_value = 0;
	enum stop stop = STOP_NONE;
	char crash[sizeof(((struct hv_message *)0)->reason_text)] = "";
	char why[256];
	uint8_t *halted;
	struct run_exits rx = { 0 };
	struct hv_message ev;
	uint32_t nr_halted = 0;
	struct out o;
	int err;

	halted = calloc(nr_vcpus ? nr_vcpus : 1, 1);
	if (!halted)
		return hvctl_fail(c, -ENOMEM, "cannot track the vCPUs");
	err = hv_subscribe_notices(c->h);
	if (err) {
		free(halted);
		return hvctl_fail(c, err, "cannot listen for the VM's notices");
	}
	err = exits_open(c, vm, nr_vcpus, ro, &rx);
	if (err) {
		free(halted);
		exits_close(&rx);
		return hvctl_fail(c, err, "cannot put the vCPUs on exit rings: %s ('--transport netlink' does without)",
				  *hv_errmsg(c->h) ? hv_errmsg(c->h) :
				  "vcpu-set-ring failed");
	}
	err = hv_vm_start(c->h, vm);
	if (err && err != -EALREADY) {
		free(halted);
		exits_close(&rx);
		return hvctl_fail_request(c, err, "vm-start failed");
	}
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	out_init(&o, c->out, c->json, c->pretty);
	if (o.json) {
		out_begin_object(&o, NULL);
		out_u64(&o, "vm", vm);
		out_begin_array(&o, "exits");
	}
	err = 0;
	while (stop == STOP_NONE && !err) {
		if (interrupted) {
			stop = STOP_INTERRUPTED;
			break;
		}
		/* A bounded wait, to notice an interrupt. */
		err = next_event(c, &rx, &ev, 200);
		if (err == -ETIMEDOUT) {
			err = 0;
			if (nr_halted && all_idle(c, vm))
				stop = STOP_HLT;
			continue;
		}
		if (err || ev.vm != vm)
			continue;
		if (ev.cmd == HV_CMD_NOTICE) {
			if (ev.notice == HV_NOTICE_CRASHED) {
				stop = STOP_CRASHED;
				snprintf(crash, sizeof(crash), "%s",
					 ev.reason_text);
			}
			continue;
		}
		exits++;
		stop = answer(c, ro, &rx, &ev, exits, &value, &err);
		print_exit(&o, &ev, value);
		if (stop == STOP_EXIT_PORT)
			port_value = ev.data;
		if (ev.reason == HV_EXIT_REASON_HLT && ev.vcpu < nr_vcpus &&
		    !halted[ev.vcpu]) {
			halted[ev.vcpu] = 1;
			if (++nr_halted == nr_vcpus)
				stop = STOP_HLT;
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(halted);
	exits_close(&rx);
	/* The reason, before the pause request replaces it. */
	snprintf(why, sizeof(why), "%s",
		 *hv_errmsg(c->h) ? hv_errmsg(c->h) : "the run failed");
	if (stop != STOP_CRASHED && stop != STOP_EXIT_PORT &&
	    stop != STOP_MAX_EXITS)
		hv_vm_pause(c->h, vm);

	if (o.json) {
		out_end_array(&o);
		if (stop != STOP_NONE) {
			out_begin_object(&o, "stop");
			out_str(&o, "reason", stop_names[stop]);
			if (stop == STOP_EXIT_PORT)
				out_hex(&o, "value", port_value);
			if (stop == STOP_CRASHED)
				out_str(&o, "message", crash);
			out_u64(&o, "exits", exits);
			out_end_object(&o);
		}
		out_end_object(&o);
		out_end(&o);
	} else if (stop != STOP_NONE && stop != STOP_CRASHED) {
		fprintf(c->out, "stopped: %s", stop_names[stop]);
		if (stop == STOP_EXIT_PORT)
			fprintf(c->out, " 0x%x written 0x%llx", ro->exit_port,
				(unsigned long long)port_value);
		fprintf(c->out, " after %llu exits\n",
			(unsigned long long)exits);
	}
	if (err)
		return hvctl_fail(c, err, "%s", why);
	if (stop == STOP_CRASHED)
		return hvctl_fail(c, 0, "the VM crashed: %s", crash);
	if (stop == STOP_INTERRUPTED)
		return hvctl_fail(c, 0, "interrupted after %llu exits",
				  (unsigned long long)exits);
	return HVCTL_OK;
}

/*
 * Check where the image goes: inside RAM, and clear of the tables
 * hv_setup_mode() writes for protected and long mode.
 */
static int check_layout(struct hvctl *c, enum hv_mode mode, uint64_t load,
			uint64_t len, uint64_t entry, uint64_t mem)
{
	uint64_t tables_end = mode == HV_MODE_LONG64 ? HV_SETUP_END :
			      mode == HV_MODE_PROT32 ? HV_SETUP_GDT + 24 : 0;

	if (load >= mem || len > mem - load)
		return hvctl_usage(c, "the image (%llu bytes at 0x%llx) does not fit in --mem %llu",
				   (unsigned long long)len,
				   (unsigned long long)load,
				   (unsigned long long)mem);
	if (tables_end && load < tables_end && load + len > HV_SETUP_GDT)
		return hvctl_usage(c, "the image at 0x%llx overlaps the tables hvctl puts at 0x%x-0x%llx for %s mode; load it at 0x%llx or above",
				   (unsigned long long)load, HV_SETUP_GDT,
				   (unsigned long long)tables_end - 1,
				   hv_mode_name(mode),
				   (unsigned long long)tables_end);
	if (entry >= mem)
		return hvctl_usage(c, "--entry 0x%llx is beyond --mem",
				   (unsigned long long)entry);
	if (mode == HV_MODE_REAL && entry >= 1 << 20)
		return hvctl_usage(c, "--entry must be below 1 MiB in real mode");
	return HVCTL_OK;
}

/**
 * cmd_run() - hvctl run FILE [--mode real|prot|long] [--entry ADDR]
 *	[--load ADDR] [--mem SIZE] [--name NAME] [--exit-port PORT]
 *	[--max-exits N] [--read-value V] [--transport ring|netlink]
 * @c: the run context
 * @argc: arguments after the object
 * @argv: the arguments
 *
 * Creates a VM with one vCPU and --mem of RAM at 0 (default 2M, or more
 * for a larger image), loads FILE at --load (default: --entry, itself
 * 0x10000 by default), puts the vCPU in --mode (default long) at --entry
 * with the stack at the top of RAM (real mode: 0xfff0), and runs it. The
 * VM is destroyed when hvctl exits.
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_run(struct hvctl *c, int argc, char **argv)
{
	const char *mode_s = "long", *entry_s = "0x10000", *load_s = NULL,
		   *mem_s = NULL, *name = NULL, *port_s = NULL, *max_s = NULL,
		   *read_s = NULL, *transport_s = NULL, *pos[1];
	const struct hvctl_opt opts[] = {
		HVCTL_OPT("--mode", &mode_s),
		HVCTL_OPT("--entry", &entry_s),
		HVCTL_OPT("--load", &load_s),
		HVCTL_OPT("--mem", &mem_s),
		HVCTL_OPT("--name", &name),
		HVCTL_OPT("--exit-port", &port_s),
		HVCTL_OPT("--max-exits", &max_s),
		HVCTL_OPT("--read-value", &read_s),
		HVCTL_OPT("--transport", &transport_s),
		HVCTL_OPT_END
	};
	struct hv_vm_opts vo = { 0 };
	struct hvctl_run_opts ro;
	uint64_t entry, load, mem = 2 << 20, stack;
	struct hv_vm_info vm;
	enum hv_mode mode;
	struct hv_regs r;
	uint8_t *image;
	size_t len;
	void *ram;
	int ret, err;

	ret = hvctl_args(c, argc, argv, opts, pos, 1, 1,
			 "run FILE [--mode real|prot|long] [--entry ADDR] [--load ADDR] [--mem SIZE] [--name NAME] [--exit-port PORT] [--max-exits N] [--read-value V] [--transport ring|netlink]");
	if (!ret && parse_mode(mode_s, &mode))
		ret = hvctl_usage(c, "--mode takes real, prot or long, not '%s'",
				  mode_s);
	if (!ret)
		ret = hvctl_number(c, "--entry", entry_s, &entry);
	load = entry;
	if (!ret && load_s)
		ret = hvctl_number(c, "--load", load_s, &load);
	if (!ret && mem_s)
		ret = hvctl_size(c, "--mem", mem_s, &mem);
	if (!ret)
		ret = hvctl_run_opts_parse(c, port_s, max_s, read_s,
					   transport_s, &ro);
	if (!ret && (mem % 4096 || !mem))
		ret = hvctl_usage(c, "--mem must be a non-zero multiple of 4K");
	if (ret)
		return ret;
	ret = hvctl_read_file(c, pos[0], IMAGE_MAX, &image, &len);
	if (ret)
		return ret;
	/* Without --mem, grow RAM to fit the image and a stack page. */
	if (!mem_s && load < IMAGE_MAX && load + len + 4096 > mem)
		mem = (load + len + 4096 + 0xfffff) & ~0xfffffULL;
	ret = check_layout(c, mode, load, len, entry, mem);
	if (!ret)
		ret = hvctl_connect(c);
	if (!ret)
		ret = hvctl_ram(c, mem, &ram);
	if (ret) {
		free(image);
		return ret;
	}
	memcpy((uint8_t *)ram + load, image, len);
	free(image);

	vo.name = name;
	err = hv_vm_new(c->h, &vo, &vm);
	if (err)
		return hvctl_fail_request(c, err, "vm-new failed");
	err = hv_vcpu_new(c->h, vm.id, NULL);
	if (!err)
		err = hv_mem_map(c->h, vm.id, 0, mem, ram, 0, NULL);
	if (!err)
		err = hv_vcpu_get_regs(c->h, vm.id, 0, &r);
	stack = mode == HV_MODE_REAL ? (mem > 0x10000 ? 0xfff0 : mem - 16) :
		mem - 16;
	if (!err && hv_setup_mode(&r, mode, entry, stack, ram, mem))
		err = -EINVAL;
	if (!err)
		err = hv_vcpu_set_regs(c->h, vm.id, 0, &r);
	if (err) {
		ret = hvctl_fail_request(c, err, "cannot set the VM up");
		hv_vm_del(c->h, vm.id);
		return ret;
	}
	return hvctl_run_vm(c, vm.id, 1, &ro);
}
