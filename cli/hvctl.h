/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hvctl's command files share: the run context, the command table
 * entry, and error reporting in the one format every command uses:
 *   hvctl: <object> <verb>: <message>: <strerror>
 */
#ifndef HVCTL_H
#define HVCTL_H

#include <stdbool.h>
#include <stdio.h>

struct hv;
struct hv_info;
struct out;

/* Exit codes. */
#define HVCTL_OK	0
#define HVCTL_FAIL	1
#define HVCTL_USAGE	2

struct hvctl {
	bool json;
	bool pretty;
	FILE *out;
	FILE *err;
	const char *object;
	const char *verb;
	struct hv *h;
};

struct hvctl_cmd {
	const char *object;
	const char *verb;
	int (*fn)(struct hvctl *c, int argc, char **argv);
	const char *args;
	const char *help;
};

int hvctl_main(int argc, char **argv, FILE *out, FILE *err);
int hvctl_connect(struct hvctl *c);
int hvctl_fail(struct hvctl *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int hvctl_fail_request(struct hvctl *c, int err, const char *what);
int hvctl_usage(struct hvctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int hvctl_opts(struct hvctl *c, int argc, char **argv);

int cmd_info_show(struct hvctl *c, int argc, char **argv);
void hvctl_info_print(struct out *o, const struct hv_info *info);

#endif /* HVCTL_H */
