// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl batch: run hvctl commands from a file (or standard input), one
 * per line, in one process and over one netlink socket, so that the VMs
 * the first commands create belong to the later ones too. Blank lines and
 * '#' comments are skipped; the first failing command stops the batch.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hvctl.h"
#include "libhv.h"
#include "parse.h"

#define BATCH_MAX_WORDS 64

/**
 * cmd_batch() - hvctl batch FILE|-
 * @c: the run context
 * @argc: arguments after the object
 * @argv: the arguments
 *
 * Return: HVCTL_OK if every command succeeded, else the failing
 * command's exit code.
 */
int cmd_batch(struct hvctl *c, int argc, char **argv)
{
	char *words[BATCH_MAX_WORDS], *line = NULL;
	const char *pos[1], *name;
	size_t cap = 0;
	unsigned int lineno = 0;
	bool json, pretty;
	FILE *f;
	int n, ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 1, 1, "batch FILE|-");
	if (ret)
		return ret;
	name = strcmp(pos[0], "-") ? pos[0] : "standard input";
	f = strcmp(pos[0], "-") ? fopen(pos[0], "r") : stdin;
	if (!f)
		return hvctl_fail(c, -errno, "cannot open '%s'", pos[0]);
	c->batch = true;
	json = c->json;
	pretty = c->pretty;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		/* A line's -j or -p is for that line only. */
		c->json = json;
		c->pretty = pretty;
		n = split_line(line, words, BATCH_MAX_WORDS);
		if (n == 0)
			continue;
		if (n < 0) {
			c->object = "batch";
			c->verb = NULL;
			ret = hvctl_usage(c, "%s:%u: more than %d words", name,
					  lineno, BATCH_MAX_WORDS);
			break;
		}
		if (!strcmp(words[0], "batch")) {
			c->object = "batch";
			c->verb = NULL;
			ret = hvctl_usage(c, "%s:%u: batches do not nest", name,
					  lineno);
			break;
		}
		ret = hvctl_dispatch(c, n, words);
		if (ret) {
			c->object = "batch";
			c->verb = NULL;
			hvctl_fail(c, 0, "%s:%u: stopped at the failed command",
				   name, lineno);
			break;
		}
	}
	if (!ret && ferror(f))
		ret = hvctl_fail(c, -EIO, "cannot read '%s'", name);
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}
