/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run hvctl_main() in a unit test with its standard output and error
 * captured: RUN("vm", "list") gives the exit code and both texts.
 */
#ifndef HVCTL_RUN_HVCTL_H
#define HVCTL_RUN_HVCTL_H

#include <stdio.h>
#include <stdlib.h>

#include "hvctl.h"

struct run {
	int code;
	char *out;
	char *err;
};

static struct run run(int argc, const char **args)
{
	char *argv[32];
	struct run r;
	size_t ol, el;
	FILE *out = open_memstream(&r.out, &ol);
	FILE *err = open_memstream(&r.err, &el);
	int i;

	argv[0] = "hvctl";
	for (i = 0; i < argc; i++)
		argv[i + 1] = (char *)args[i];
	argv[argc + 1] = NULL;
	r.code = hvctl_main(argc + 1, argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

#define RUN(...)							\
	({								\
		const char *a_[] = { __VA_ARGS__ };			\
		run(sizeof(a_) / sizeof(a_[0]), a_);			\
	})

static void free_run(struct run *r)
{
	free(r->out);
	free(r->err);
}

#endif /* HVCTL_RUN_HVCTL_H */
