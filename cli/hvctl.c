// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl: the command-line tool of hv. This file holds the command table,
 * dispatch and error reporting; argument parsing is beside it in args.c,
 * and each object's commands live in cmd_<object>.c.
 *
 *   hvctl [-j] [-p] <object> [<verb>] [args]
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hvctl.h"
#include "libhv.h"
#include "parse.h"

/* The first entry of an object is its default verb. */
static const struct hvctl_cmd commands[] = {
	{ "info", "show", cmd_info_show, "",
	  "show the backend, hardware capabilities and mitigations" },
	{ "info", "set", cmd_info_set, "--l1d-flush MODE",
	  "change the L1D flush mode (auto, cond, always, never)" },
	{ "vm", "list", cmd_vm_list, "",
	  "list the VMs (hvd's, or with -d the module's)" },
	{ "vm", "show", cmd_vm_show, "VM",
	  "show a VM: hvd's state and definition, or the module's counts" },
	{ "vm", "create", cmd_vm_create, "[NAME] [options]",
	  "define an hvd VM (--kernel FILE ...), or create one in the module" },
	{ "vm", "destroy", cmd_vm_destroy, "VM",
	  "remove a stopped hvd VM, or a module VM this hvctl created" },
	{ "vm", "start", cmd_vm_start, "VM",
	  "start or resume a VM" },
	{ "vm", "stop", cmd_vm_stop, "NAME",
	  "end an hvd VM and its worker" },
	{ "vm", "kill", cmd_vm_kill, "NAME",
	  "kill an hvd VM's worker (SIGKILL)" },
	{ "vm", "pause", cmd_vm_pause, "VM",
	  "pause a VM" },
	{ "vm", "resume", cmd_vm_resume, "NAME",
	  "resume a paused hvd VM" },
	{ "vm", "irq", cmd_vm_irq, "VM --msi ADDR:DATA | --vector V [--dest ID]",
	  "raise an interrupt in a VM's local APICs, as a device's MSI" },
	{ "vm", "run", cmd_vm_run, "VM [options]",
	  "run a VM, printing and answering its exits" },
	{ "vm", "dirty", cmd_vm_dirty, "VM [--accessed] [--peek]",
	  "show (and clear) the pages written or accessed since last time" },
	{ "vcpu", "state", cmd_vcpu_state, "VM VCPU [options]",
	  "show or change a stopped vCPU's registers" },
	{ "mem", "list", cmd_mem_list, "VM",
	  "list a VM's memory slots" },
	{ "mem", "map", cmd_mem_map, "VM GPA SIZE [--readonly] [--dirty-log]",
	  "give a VM new zeroed memory at GPA" },
	{ "mem", "log", cmd_mem_log, "VM SLOT on|off",
	  "start or stop logging the pages a slot's guest writes" },
	{ "mem", "unmap", cmd_mem_unmap, "VM SLOT",
	  "remove a memory slot" },
	{ "mem", "read", cmd_mem_read, "VM GPA LEN",
	  "read guest memory" },
	{ "mem", "write", cmd_mem_write, "VM GPA HEX",
	  "write bytes to guest memory" },
	{ "mem", "load", cmd_mem_load, "VM GPA FILE",
	  "copy a file into guest memory" },
	{ "run", "file", cmd_run, "FILE [options]",
	  "run a flat binary in a new VM, printing its exits" },
	{ "batch", "file", cmd_batch, "FILE|-",
	  "run hvctl commands from a file, one hvctl for all" },
	{ "console", "name", cmd_console, "NAME",
	  "attach to an hvd VM's serial console (Ctrl-] detaches)" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/*
 * "run", "batch" and "console" take a file or a name, not a verb: their single entry is the
 * default, and a word after them is an argument.
 */
static bool verbless(const char *object)
{
	return !strcmp(object, "run") || !strcmp(object, "batch") ||
	       !strcmp(object, "console");
}

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: hvctl [-j] [-p] [-d] <object> [<verb>] [args]\n"
		"       hvctl help | --version\n\n"
		"options:\n"
		"  -j, --json      print JSON\n"
		"  -p, --pretty    indent JSON\n"
		"  -d, --direct    VM commands go to the module even when hvd runs\n"
		"  -V, --version   print hvctl's version\n"
		"  -h, --help      print this help\n\n"
		"commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-5s %-7s %-18s %s\n", commands[i].object,
			verbless(commands[i].object) ? "" : commands[i].verb,
			commands[i].args, commands[i].help);
	fprintf(f,
		"\nWhen hvd runs (its socket, /run/hvd/hvd.sock or $HVD_SOCKET, exists),\n"
		"the vm commands act on hvd's VMs, by NAME; with -d, in a batch, or\n"
		"without hvd they act on the module's VMs directly. VM is then a name\n"
		"or an id; such a VM belongs to the hvctl that created it and is\n"
		"destroyed when that hvctl exits: use 'run' or 'batch' to work with\n"
		"one. Numbers are decimal or 0x hex; sizes take K, M or G. See hvctl(8).\n");
}

static void prefix(struct hvctl *c)
{
	fputs("hvctl: ", c->err);
	if (c->object && c->verb)
		fprintf(c->err, "%s %s: ", c->object, c->verb);
	else if (c->object)
		fprintf(c->err, "%s: ", c->object);
}

/**
 * hvctl_fail() - report a runtime failure
 * @c: the run context
 * @err: negative errno, or 0 to omit the strerror part
 * @fmt: the message
 *
 * Return: HVCTL_FAIL.
 */
int hvctl_fail(struct hvctl *c, int err, const char *fmt, ...)
{
	va_list ap;

	prefix(c);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(c->err, ": %s", strerror(-err));
	fputc('\n', c->err);
	return HVCTL_FAIL;
}

/**
 * hvctl_fail_request() - report a failed request, with the kernel's reason
 * @c: the run context
 * @err: the negative errno of the request
 * @what: what failed, used when the kernel sent no extack message
 *
 * Return: HVCTL_FAIL.
 */
int hvctl_fail_request(struct hvctl *c, int err, const char *what)
{
	const char *msg = c->h ? hv_errmsg(c->h) : "";

	return hvctl_fail(c, err, "%s", *msg ? msg : what);
}

/**
 * hvctl_usage() - report a usage error and point at the help
 * @c: the run context
 * @fmt: the message
 *
 * Return: HVCTL_USAGE.
 */
int hvctl_usage(struct hvctl *c, const char *fmt, ...)
{
	va_list ap;

	prefix(c);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputs("\nTry 'hvctl help'.\n", c->err);
	return HVCTL_USAGE;
}

/**
 * hvctl_connect() - open the family, explaining the common failures
 * @c: the run context
 *
 * Return: HVCTL_OK, or HVCTL_FAIL after printing why.
 */
int hvctl_connect(struct hvctl *c)
{
	int err;

	if (c->h)
		return HVCTL_OK;
	err = hv_open(&c->h);
	if (err == -ENOENT)
		return hvctl_fail(c, err,
				  "the hv module is not loaded (load it with 'modprobe hv'; 'dmesg | grep hv:' says why it refused)");
	if (err)
		return hvctl_fail(c, err, "cannot open the hv netlink family");
	return HVCTL_OK;
}

/**
 * hvctl_ram() - zeroed memory hvctl can give a VM
 * @c: the run context
 * @size: bytes (page-aligned)
 * @mem: receives the mapping; it lives until hvctl exits
 *
 * A memfd mapped shared: what hv expects of guest RAM.
 *
 * Return: HVCTL_OK, or HVCTL_FAIL after printing why.
 */
int hvctl_ram(struct hvctl *c, uint64_t size, void **mem)
{
	int fd = memfd_create("hvctl-guest", MFD_CLOEXEC);
	void *p;

	if (fd < 0)
		return hvctl_fail(c, -errno, "cannot create guest memory");
	if (ftruncate(fd, size)) {
		close(fd);
		return hvctl_fail(c, -errno, "cannot size guest memory to %llu bytes",
				  (unsigned long long)size);
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return hvctl_fail(c, -errno, "cannot map %llu bytes of guest memory",
				  (unsigned long long)size);
	*mem = p;
	return HVCTL_OK;
}

static const struct hvctl_cmd *find(const char *object, const char *verb,
				    bool *object_known)
{
	size_t i;

	*object_known = false;
	for (i = 0; i < NR_COMMANDS; i++) {
		if (strcmp(commands[i].object, object))
			continue;
		*object_known = true;
		if (!verb || !strcmp(commands[i].verb, verb))
			return &commands[i];
	}
	return NULL;
}

/**
 * hvctl_dispatch() - run one command: object, verb and arguments
 * @c: the run context; its connection is kept for the next command
 * @argc: words
 * @argv: the words, starting with the object
 *
 * Return: the exit code: HVCTL_OK, HVCTL_FAIL or HVCTL_USAGE.
 */
int hvctl_dispatch(struct hvctl *c, int argc, char **argv)
{
	const struct hvctl_cmd *cmd;
	const char *object, *verb = NULL;
	bool known;
	int i = 0;

	c->object = NULL;
	c->verb = NULL;
	if (argc < 1)
		return hvctl_usage(c, "no command given");
	object = argv[i++];
	if (!verbless(object) && i < argc && argv[i][0] != '-')
		verb = argv[i++];
	cmd = find(object, verb, &known);
	if (!known)
		return hvctl_usage(c, "unknown object '%s'", object);
	c->object = object;
	if (!cmd)
		return hvctl_usage(c, "unknown verb '%s'", verb);
	c->verb = verbless(object) ? NULL : cmd->verb;
	return cmd->fn(c, argc - i, argv + i);
}

/**
 * hvctl_main() - run hvctl
 * @argc: as main()
 * @argv: as main()
 * @out: standard output
 * @err: standard error
 *
 * Return: the exit code: HVCTL_OK, HVCTL_FAIL or HVCTL_USAGE.
 */
int hvctl_main(int argc, char **argv, FILE *out, FILE *err)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "direct", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct hvctl c = { .out = out, .err = err };
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpdVh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			c.pretty = true;
			break;
		case 'd':
			c.direct = true;
			break;
		case 'V':
			fprintf(out, "hvctl %s\n", HV_VERSION);
			return HVCTL_OK;
		case 'h':
			print_usage(out);
			return HVCTL_OK;
		default:
			return hvctl_usage(&c, "unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return hvctl_usage(&c, "no command given");
	if (!strcmp(argv[optind], "help")) {
		print_usage(out);
		return HVCTL_OK;
	}
	ret = hvctl_dispatch(&c, argc - optind, argv + optind);
	hv_close(c.h);
	return ret;
}

#ifndef UNIT_TEST
int main(int argc, char **argv)
{
	return hvctl_main(argc, argv, stdout, stderr);
}
#endif
