/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The supervisor: `hvd` without --run. It serves hvctl on a socket
 * (server.c), keeps the VMs of the definitions directory (vms.c) and runs
 * each started VM in a worker process of its own, which it talks to over
 * a control socket (worker/control.c is the other end).
 */
#ifndef HVD_SUPER_H
#define HVD_SUPER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "defs.h"

struct json_object;
struct sd_event;
struct sd_event_source;

/**
 * enum hvd_state - a supervised VM's state, as hvctl vm list shows it
 * @HVD_STATE_STOPPED: no worker (never started, powered off, stopped)
 * @HVD_STATE_RUNNING: its worker runs the guest
 * @HVD_STATE_PAUSED: its worker holds the guest's vCPUs
 * @HVD_STATE_CRASHED: the guest or its worker crashed (see the reason)
 * @HVD_STATE_FAILED: the worker could not start the VM (see the reason)
 */
enum hvd_state {
	HVD_STATE_STOPPED,
	HVD_STATE_RUNNING,
	HVD_STATE_PAUSED,
	HVD_STATE_CRASHED,
	HVD_STATE_FAILED,
};

/**
 * struct hvd_svm - a VM the supervisor keeps
 * @def: its definition, as last read
 * @path: the definition's file
 * @state: HVD_STATE_*
 * @reason: why it is stopped, crashed or failed ("" if it never ran)
 * @pid: its worker, or 0
 * @ctl: the supervisor's end of the worker's control socket, or -1
 * @child_src: the worker's exit, watched
 * @ctl_src: the control socket, watched
 * @console: the pseudo-terminal of its serial console, or ""
 * @sandbox: how its worker is confined, as the worker says, or ""
 * @net: who moves its virtio-net's packets, as the worker says, or ""
 * @disk_io: how its worker runs the disks' I/O, in its words, or ""
 * @stopping: a stop or kill was asked: the worker's end is not a crash
 * @restarts: restarts after a crash since the last start asked for
 * @end: how the worker said the run ended (its last control message)
 * @super: the supervisor
 * @next: the next VM
 */
struct hvd_svm {
	struct hvd_def def;
	char path[PATH_MAX];
	enum hvd_state state;
	char reason[256];
	pid_t pid;
	int ctl;
	struct sd_event_source *child_src;
	struct sd_event_source *ctl_src;
	char console[64];
	char sandbox[160];
	char net[160];
	char disk_io[160];
	bool stopping;
	unsigned int restarts;
	char end[512];
	struct hvd_super *super;
	struct hvd_svm *next;
};

/**
 * struct hvd_super - the supervisor
 * @event: its event loop
 * @defs_dir: the definitions directory (/etc/hv/vms)
 * @vms: the VMs, in name order
 * @log_level: passed on to the workers
 */
struct hvd_super {
	struct sd_event *event;
	const char *defs_dir;
	struct hvd_svm *vms;
	int log_level;
	struct sd_event_source *listen_src;
	struct sd_event_source *retry_src;
	unsigned int nr_clients;
	bool starved;
};

/* vms.c */
const char *hvd_state_name(enum hvd_state s);
int hvd_vms_load(struct hvd_super *s);
void hvd_vms_reload(struct hvd_super *s);
void hvd_vms_autostart(struct hvd_super *s);
void hvd_vms_stop_all(struct hvd_super *s);
struct hvd_svm *hvd_vm_find(struct hvd_super *s, const char *name);
int hvd_vm_create(struct hvd_super *s, const struct hvd_def *def,
		  char *err, size_t errlen);
int hvd_vm_destroy(struct hvd_super *s, struct hvd_svm *v, char *err,
		   size_t errlen);
int hvd_vm_start(struct hvd_super *s, struct hvd_svm *v, char *err,
		 size_t errlen);
int hvd_vm_signal(struct hvd_super *s, struct hvd_svm *v, int sig,
		  char *err, size_t errlen);
int hvd_vm_control(struct hvd_super *s, struct hvd_svm *v, const char *cmd,
		   char *err, size_t errlen);
struct json_object *hvd_vm_json(const struct hvd_svm *v, bool full);

/* server.c */
int hvd_super_run(const char *defs_dir, const char *sock_path,
		  int log_level);

#endif /* HVD_SUPER_H */
