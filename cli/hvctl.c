// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl: the command-line tool of hv. This file holds the command table,
 * global options, dispatch and error reporting; each object's commands
 * live in cmd-<object>.c.
 *
 *   hvctl [-j] [-p] <object> [<verb>] [args]
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#include "hvctl.h"
#include "libhv.h"

/* The first entry of an object is its default verb. */
static const struct hvctl_cmd commands[] = {
	{ "info", "show", cmd_info_show, "",
	  "show the backend, hardware capabilities and mitigations" },
};

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: hvctl [-j] [-p] <object> [<verb>] [args]\n"
		"       hvctl help | --version\n\n"
		"options:\n"
		"  -j, --json      print JSON\n"
		"  -p, --pretty    indent JSON\n"
		"  -V, --version   print hvctl's version\n"
		"  -h, --help      print this help\n\n"
		"commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-5s %-6s %-18s %s\n", commands[i].object,
			commands[i].verb, commands[i].args, commands[i].help);
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
 * hvctl_opts() - parse the options every command takes (-j, -p) and refuse
 * anything else
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: HVCTL_OK or HVCTL_USAGE.
 */
int hvctl_opts(struct hvctl *c, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			c->json = true;
		else if (!strcmp(argv[i], "-p") || !strcmp(argv[i], "--pretty"))
			c->pretty = true;
		else if (argv[i][0] == '-')
			return hvctl_usage(c, "unknown option '%s'", argv[i]);
		else
			return hvctl_usage(c, "unexpected argument '%s'", argv[i]);
	}
	return HVCTL_OK;
}

static const struct hvctl_cmd *find(const char *object, const char *verb,
				    bool *object_known)
{
	size_t i;

	*object_known = false;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].object, object))
			continue;
		*object_known = true;
		if (!verb || !strcmp(commands[i].verb, verb))
			return &commands[i];
	}
	return NULL;
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
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct hvctl c = { .out = out, .err = err };
	const struct hvctl_cmd *cmd;
	const char *object, *verb = NULL;
	bool known;
	int opt, ret;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpVh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'p':
			c.pretty = true;
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

	object = argv[optind++];
	if (optind < argc && argv[optind][0] != '-')
		verb = argv[optind++];
	cmd = find(object, verb, &known);
	if (!known)
		return hvctl_usage(&c, "unknown object '%s'", object);
	c.object = object;
	if (!cmd)
		return hvctl_usage(&c, "unknown verb '%s'", verb);
	c.verb = cmd->verb;
	ret = cmd->fn(&c, argc - optind, argv + optind);
	hv_close(c.h);
	return ret;
}

#ifndef UNIT_TEST
int main(int argc, char **argv)
{
	return hvctl_main(argc, argv, stdout, stderr);
}
#endif
