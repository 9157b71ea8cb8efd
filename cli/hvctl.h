/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hvctl's command files share: the run context, the command table
 * entry, and error reporting in the one format every command uses:
 *   hvctl: <object> <verb>: <message>: <strerror>
 */
#ifndef HVCTL_H
#define HVCTL_H

#include <stdbool.h>
#include <stdint.h>
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
	bool batch;
	bool direct;
	FILE *out;
	FILE *err;
	const char *object;
	const char *verb;
	struct hv *h;
};

/**
 * struct hvctl_opt - an option a command takes
 * @name: "--name"
 * @value: receives the option's argument; NULL for a flag
 * @flag: set to true when the flag is given; NULL for options with a value
 * @each: called for every occurrence instead (repeatable options)
 * @arg: passed to @each
 */
struct hvctl_opt {
	const char *name;
	const char **value;
	bool *flag;
	int (*each)(struct hvctl *c, const char *value, void *arg);
	void *arg;
};

#define HVCTL_OPT(n, v)		{ .name = (n), .value = (v) }
#define HVCTL_FLAG(n, f)	{ .name = (n), .flag = (f) }
#define HVCTL_EACH(n, fn, a)	{ .name = (n), .each = (fn), .arg = (a) }
#define HVCTL_OPT_END		{ .name = NULL }

/**
 * struct hvctl_run_opts - how hvctl runs a VM and answers its exits
 * @exit_port: a guest write to this port stops the run; -1 for none
 * @max_exits: stop after this many exits reached hvctl; 0 for no limit
 * @read_value: what IN, MMIO reads and RDMSR sent to hvctl return
 *	(truncated to the access size)
 * @transport: HV_TRANSPORT_RING (default) or HV_TRANSPORT_NETLINK
 */
struct hvctl_run_opts {
	int exit_port;
	uint64_t max_exits;
	uint64_t read_value;
	uint32_t transport;
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
int hvctl_args(struct hvctl *c, int argc, char **argv,
	       const struct hvctl_opt *opts, const char **pos, int min,
	       int max, const char *usage);
int hvctl_vm_ref(struct hvctl *c, const char *ref, uint32_t *id);
int hvctl_number(struct hvctl *c, const char *what, const char *s,
		 uint64_t *v);
int hvctl_size(struct hvctl *c, const char *what, const char *s,
	       uint64_t *v);
int hvctl_ram(struct hvctl *c, uint64_t size, void **mem);
int hvctl_read_file(struct hvctl *c, const char *path, uint64_t max,
		    uint8_t **data, size_t *len);
int hvctl_dispatch(struct hvctl *c, int argc, char **argv);

int cmd_info_show(struct hvctl *c, int argc, char **argv);
int cmd_info_set(struct hvctl *c, int argc, char **argv);
void hvctl_info_print(struct out *o, const struct hv_info *info);

int cmd_vm_list(struct hvctl *c, int argc, char **argv);
int cmd_vm_show(struct hvctl *c, int argc, char **argv);
int cmd_vm_create(struct hvctl *c, int argc, char **argv);
int cmd_vm_destroy(struct hvctl *c, int argc, char **argv);
int cmd_vm_start(struct hvctl *c, int argc, char **argv);
int cmd_vm_pause(struct hvctl *c, int argc, char **argv);
int cmd_vm_stop(struct hvctl *c, int argc, char **argv);
int cmd_vm_kill(struct hvctl *c, int argc, char **argv);
int cmd_vm_resume(struct hvctl *c, int argc, char **argv);
int cmd_vm_irq(struct hvctl *c, int argc, char **argv);
int cmd_vm_run(struct hvctl *c, int argc, char **argv);
int cmd_vcpu_state(struct hvctl *c, int argc, char **argv);
int cmd_mem_list(struct hvctl *c, int argc, char **argv);
int cmd_mem_map(struct hvctl *c, int argc, char **argv);
int cmd_mem_unmap(struct hvctl *c, int argc, char **argv);
int cmd_mem_read(struct hvctl *c, int argc, char **argv);
int cmd_mem_write(struct hvctl *c, int argc, char **argv);
int cmd_mem_load(struct hvctl *c, int argc, char **argv);
int cmd_mem_log(struct hvctl *c, int argc, char **argv);
int cmd_vm_dirty(struct hvctl *c, int argc, char **argv);
int cmd_run(struct hvctl *c, int argc, char **argv);
int cmd_console(struct hvctl *c, int argc, char **argv);
bool hvctl_hvd_wanted(struct hvctl *c);
int cmd_hvd_vm(struct hvctl *c, const char *op, int argc, char **argv);
int cmd_hvd_create(struct hvctl *c, int argc, char **argv);
int cmd_batch(struct hvctl *c, int argc, char **argv);

int hvctl_run_opts_parse(struct hvctl *c, const char *exit_port,
			 const char *max_exits, const char *read_value,
			 const char *transport, struct hvctl_run_opts *ro);
int hvctl_run_vm(struct hvctl *c, uint32_t vm, uint32_t nr_vcpus,
		 const struct hvctl_run_opts *ro);

#endif /* HVCTL_H */
