// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl's argument parsing: the options every command takes, a command's
 * own options and positional arguments, numbers, sizes and VM references,
 * each refused with a message that names what is wrong.
 */
#include <errno.h>
#include <string.h>

#include "hvctl.h"
#include "libhv.h"
#include "parse.h"

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
	return hvctl_args(c, argc, argv, NULL, NULL, 0, 0, "");
}

/**
 * hvctl_args() - parse a command's options and positional arguments
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 * @opts: the command's options, ended by an entry with a NULL name; may
 *	be NULL
 * @pos: receives the positional arguments
 * @min: fewest positional arguments
 * @max: most positional arguments
 * @usage: the command's arguments, for the error message
 *
 * -j/--json and -p/--pretty are accepted everywhere.
 *
 * Return: HVCTL_OK, HVCTL_USAGE (printed), or what an @each callback
 * returned.
 */
int hvctl_args(struct hvctl *c, int argc, char **argv,
	       const struct hvctl_opt *opts, const char **pos, int min,
	       int max, const char *usage)
{
	int i, n = 0, ret;

	for (i = 0; i < argc; i++) {
		const struct hvctl_opt *o = NULL, *p;
		const char *a = argv[i];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			c->json = true;
			continue;
		}
		if (!strcmp(a, "-p") || !strcmp(a, "--pretty")) {
			c->pretty = true;
			continue;
		}
		if (a[0] != '-' || !a[1]) {
			if (n == max && !*usage)
				return hvctl_usage(c, "unexpected argument '%s'",
						   a);
			if (n == max)
				return hvctl_usage(c, "unexpected argument '%s' (usage: %s)",
						   a, usage);
			pos[n++] = a;
			continue;
		}
		for (p = opts; p && p->name; p++)
			if (!strcmp(p->name, a))
				o = p;
		if (!o)
			return hvctl_usage(c, "unknown option '%s'", a);
		if (o->flag) {
			*o->flag = true;
			continue;
		}
		if (++i == argc)
			return hvctl_usage(c, "option '%s' needs a value", a);
		if (o->each) {
			ret = o->each(c, argv[i], o->arg);
			if (ret)
				return ret;
		} else {
			*o->value = argv[i];
		}
	}
	if (n < min)
		return hvctl_usage(c, "missing arguments (usage: %s)", usage);
	return HVCTL_OK;
}

/**
 * hvctl_number() - parse a number the user gave, or say what is wrong
 * @c: the run context
 * @what: what it is, for the message ("GPA", "--vcpus")
 * @s: the text
 * @v: receives the value
 *
 * Return: HVCTL_OK or HVCTL_USAGE.
 */
int hvctl_number(struct hvctl *c, const char *what, const char *s,
		 uint64_t *v)
{
	int err = parse_u64(s, v);

	if (err)
		return hvctl_usage(c, "%s '%s' is not a %s", what, s,
				   err == -ERANGE ? "64-bit number" :
				   "number (decimal or 0x hex)");
	return HVCTL_OK;
}

/**
 * hvctl_size() - parse a size the user gave, or say what is wrong
 * @c: the run context
 * @what: what it is, for the message
 * @s: the text
 * @v: receives the bytes
 *
 * Return: HVCTL_OK or HVCTL_USAGE.
 */
int hvctl_size(struct hvctl *c, const char *what, const char *s,
	       uint64_t *v)
{
	if (parse_size(s, v))
		return hvctl_usage(c, "%s '%s' is not a size (e.g. 4096, 64K, 2M, 1G)",
				   what, s);
	return HVCTL_OK;
}

/**
 * hvctl_vm_ref() - the id of the VM a user named
 * @c: the run context (connected)
 * @ref: a VM id, or a name (names are never all digits)
 * @id: receives the id
 *
 * Return: HVCTL_OK, or HVCTL_FAIL after printing why.
 */
int hvctl_vm_ref(struct hvctl *c, const char *ref, uint32_t *id)
{
	struct hv_vm_info info;
	uint32_t n;
	int err;

	if (!parse_u32(ref, &n)) {
		*id = n;
		return HVCTL_OK;
	}
	err = hv_vm_get(c->h, 0, ref, &info);
	if (err)
		return hvctl_fail(c, err, "VM '%s': %s", ref,
				  *hv_errmsg(c->h) ? hv_errmsg(c->h) :
				  "cannot look it up");
	*id = info.id;
	return HVCTL_OK;
}
