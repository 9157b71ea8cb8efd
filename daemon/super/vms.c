// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor's VMs: one definition file each under the definitions
 * directory, and while one runs, one worker process (`hvd --worker`)
 * that owns the VM's netlink socket, so that the VM ends with it. The
 * supervisor learns how a run ended from the worker's last control
 * message and its exit status, never by trusting the worker to be alive.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <systemd/sd-event.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "super/proto.h"
#include "super/super.h"

/* The worker's control socket, as its command line names it. */
#define WORKER_CTL_FD	3
/* A start waits this long for the worker to report the VM running. */
#define START_WAIT_MS	60000
/* Pause and resume wait this long for the worker's answer. */
#define CONTROL_WAIT_MS	10000
/* Restarts after crashes, from one start asked for, before hvd gives up. */
#define MAX_RESTARTS	5
#define CTL_MSG_MAX	512

static const char *const state_names[] = {
	[HVD_STATE_STOPPED] = "stopped", [HVD_STATE_RUNNING] = "running",
	[HVD_STATE_PAUSED] = "paused",	 [HVD_STATE_CRASHED] = "crashed",
	[HVD_STATE_FAILED] = "failed",
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/**
 * hvd_state_name() - the name hvctl shows for a state
 * @s: HVD_STATE_*
 *
 * Return: the name.
 */
const char *hvd_state_name(enum hvd_state s)
{
	return (unsigned int)s < sizeof(state_names) / sizeof(state_names[0]) ?
	       state_names[s] : "?";
}

/**
 * hvd_vm_find() - a VM by name
 * @s: the supervisor
 * @name: the name
 *
 * Return: the VM, or NULL.
 */
struct hvd_svm *hvd_vm_find(struct hvd_super *s, const char *name)
{
	struct hvd_svm *v;

	for (v = s->vms; v; v = v->next)
		if (!strcmp(v->def.name, name))
			return v;
	return NULL;
}

static void insert(struct hvd_super *s, struct hvd_svm *v)
{
	struct hvd_svm **p = &s->vms;

	while (*p && strcmp((*p)->def.name, v->def.name) < 0)
		p = &(*p)->next;
	v->next = *p;
	*p = v;
}

static struct hvd_svm *new_vm(const struct hvd_def *def, const char *path)
{
	struct hvd_svm *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->def = *def;
	snprintf(v->path, sizeof(v->path), "%s", path);
	v->ctl = -1;
	return v;
}

/**
 * hvd_vms_load() - read every definition of the definitions directory
 * @s: the supervisor
 *
 * A file that does not parse is logged and left out; its VM does not
 * exist until it is fixed and the directory read again (SIGHUP). VMs
 * already known are left as they are: a start reads their files again.
 *
 * Return: 0, or a negative errno if the directory cannot be read.
 */
int hvd_vms_load(struct hvd_super *s)
{
	struct dirent *de;
	DIR *d;

	d = opendir(s->defs_dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		hvd_err("definitions directory %s: %s", s->defs_dir,
			strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char path[PATH_MAX], why[600];
		struct hvd_def def;
		struct hvd_svm *v;

		if (n < 6 || strcmp(de->d_name + n - 5, ".conf") ||
		    de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", s->defs_dir, de->d_name);
		if (hvd_def_load(path, &def, why, sizeof(why)) ||
		    hvd_def_check(&def, why, sizeof(why))) {
			hvd_err("definition %s left out: %s", path, why);
			continue;
		}
		if (strlen(def.name) != n - 5 ||
		    strncmp(def.name, de->d_name, n - 5)) {
			hvd_err("definition %s left out: it names the VM '%s'; the file must be %s.conf",
				path, def.name, def.name);
			continue;
		}
		if (hvd_vm_find(s, def.name))
			continue;
		v = new_vm(&def, path);
		if (!v) {
			closedir(d);
			return -ENOMEM;
		}
		insert(s, v);
		hvd_info("vm %s: defined by %s", def.name, path);
	}
	closedir(d);
	return 0;
}

static bool has_worker(const struct hvd_svm *v)
{
	return v->pid > 0;
}

/**
 * hvd_vms_reload() - read the definitions directory again (SIGHUP)
 * @s: the supervisor
 *
 * A file added by hand adds its VM; a VM whose file was removed is
 * forgotten, unless its worker runs: then it stays until it is stopped
 * and destroyed (a start would fail for want of the file).
 */
void hvd_vms_reload(struct hvd_super *s)
{
	struct hvd_svm **p = &s->vms, *v;

	while ((v = *p)) {
		if (!has_worker(v) && access(v->path, F_OK) && errno == ENOENT) {
			*p = v->next;
			hvd_info("vm %s: %s is gone: forgotten", v->def.name,
				 v->path);
			free(v);
			continue;
		}
		p = &v->next;
	}
	if (hvd_vms_load(s))
		hvd_err("definitions not read again");
}

/**
 * hvd_vm_create() - write a new definition and keep its VM
 * @s: the supervisor
 * @def: the definition, checked
 * @err: receives the reason of a failure
 * @errlen: its size
 *
 * The file is written under a temporary name and renamed, so that a
 * crash leaves either no definition or a whole one.
 *
 * Return: 0, -EEXIST for a name in use, or another negative errno.
 */
int hvd_vm_create(struct hvd_super *s, const struct hvd_def *def, char *err,
		  size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	char text[HVD_CMDLINE_LEN + 3 * PATH_MAX + 512];
	struct hvd_svm *v;
	int fd, n, ret;

	if (hvd_vm_find(s, def->name)) {
		hvd_setf(err, errlen, "a VM named '%s' exists", def->name);
		return -EEXIST;
	}
	n = hvd_def_format(def, text, sizeof(text));
	if (n < 0) {
		hvd_setf(err, errlen, "the definition is too long");
		return n;
	}
	if (mkdir(s->defs_dir, 0755) && errno != EEXIST) {
		ret = -errno;
		hvd_setf(err, errlen, "cannot create %s", s->defs_dir);
		return ret;
	}
	snprintf(path, sizeof(path), "%s/%s.conf", s->defs_dir, def->name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0) {
		ret = -errno;
		hvd_setf(err, errlen, "cannot write %s", tmp);
		return ret;
	}
	if (write(fd, text, n) != n || fsync(fd)) {
		ret = errno ? -errno : -EIO;
		close(fd);
		unlink(tmp);
		hvd_setf(err, errlen, "cannot write %s", tmp);
		return ret;
	}
	close(fd);
	/* A file nobody loaded (it did not parse) is not overwritten. */
	if (link(tmp, path)) {
		ret = -errno;
		unlink(tmp);
		hvd_setf(err, errlen, errno == EEXIST ?
		     "%s exists (a definition hvd left out? see its log)" :
		     "cannot create %s", path);
		return ret;
	}
	unlink(tmp);
	v = new_vm(def, path);
	if (!v) {
		unlink(path);
		hvd_setf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	insert(s, v);
	hvd_info("vm %s: created (%s)", def->name, path);
	return 0;
}

/**
 * hvd_vm_destroy() - remove a VM that does not run, and its definition
 * @s: the supervisor
 * @v: the VM
 * @err: receives the reason of a failure
 * @errlen: its size
 *
 * Return: 0, -EBUSY while it runs, or another negative errno.
 */
int hvd_vm_destroy(struct hvd_super *s, struct hvd_svm *v, char *err,
		   size_t errlen)
{
	struct hvd_svm **p;

	if (has_worker(v)) {
		hvd_setf(err, errlen, "vm %s is %s; stop or kill it first",
		     v->def.name, hvd_state_name(v->state));
		return -EBUSY;
	}
	if (unlink(v->path) && errno != ENOENT) {
		int ret = -errno;

		hvd_setf(err, errlen, "cannot remove %s", v->path);
		return ret;
	}
	for (p = &s->vms; *p; p = &(*p)->next) {
		if (*p == v) {
			*p = v->next;
			break;
		}
	}
	hvd_info("vm %s: destroyed", v->def.name);
	free(v);
	return 0;
}

static void close_ctl(struct hvd_svm *v)
{
	v->ctl_src = sd_event_source_disable_unref(v->ctl_src);
	if (v->ctl >= 0)
		close(v->ctl);
	v->ctl = -1;
}

/*
 * One message from the worker. Return: 1 for an answer to a command
 * (@ans gets it), 0 for anything else.
 */
static int ctl_message(struct hvd_svm *v, char *msg, char *ans, size_t anslen)
{
	if (!strncmp(msg, "console ", 8)) {
		/* Only a pty path is believed: it is opened for clients. */
		if (!strncmp(msg + 8, "/dev/pts/", 9) &&
		    strlen(msg + 8) < sizeof(v->console))
			snprintf(v->console, sizeof(v->console), "%s", msg + 8);
		return 0;
	}
	if (!strncmp(msg, "sandbox ", 8)) {
		snprintf(v->sandbox, sizeof(v->sandbox), "%.*s",
			 (int)sizeof(v->sandbox) - 1, msg + 8);
		return 0;
	}
	if (!strncmp(msg, "net ", 4)) {
		snprintf(v->net, sizeof(v->net), "%.*s",
			 (int)sizeof(v->net) - 1, msg + 4);
		return 0;
	}
	if (!strncmp(msg, "disks ", 6)) {
		snprintf(v->disk_io, sizeof(v->disk_io), "%.*s",
			 (int)sizeof(v->disk_io) - 1, msg + 6);
		return 0;
	}
	if (!strcmp(msg, "running")) {
		v->state = HVD_STATE_RUNNING;
		return 1;
	}
	if (!strcmp(msg, "paused") || !strcmp(msg, "resumed")) {
		v->state = msg[0] == 'p' ? HVD_STATE_PAUSED :
					   HVD_STATE_RUNNING;
		return 1;
	}
	if (!strncmp(msg, "error ", 6)) {
		snprintf(ans, anslen, "%s", msg + 6);
		return 1;
	}
	if (!strncmp(msg, "end ", 4)) {
		snprintf(v->end, sizeof(v->end), "%s", msg + 4);
		return 1;
	}
	hvd_warn("vm %s: unknown control message from the worker: %.64s",
		 v->def.name, msg);
	return 0;
}

/*
 * Read what the worker sent. Return: 1 if an answer came, 0 if none is
 * waiting (-EAGAIN), or -EPIPE once the worker's end is closed.
 */
static int ctl_read(struct hvd_svm *v, char *ans, size_t anslen)
{
	char msg[CTL_MSG_MAX + 1];
	int answered = 0;
	ssize_t n;

	for (;;) {
		n = recv(v->ctl, msg, CTL_MSG_MAX, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return answered;
		if (n <= 0)
			return -EPIPE;
		msg[n] = '\0';
		if (ctl_message(v, msg, ans, anslen))
			answered = 1;
	}
}

static int on_ctl(sd_event_source *src, int fd, uint32_t revents, void *arg)
{
	struct hvd_svm *v = arg;
	char ans[CTL_MSG_MAX];

	if (ctl_read(v, ans, sizeof(ans)) < 0)
		v->ctl_src = sd_event_source_disable_unref(v->ctl_src);
	return 0;
}

/* Wait for the worker's answer. Return: 0, or -ETIMEDOUT, -EPIPE. */
static int ctl_wait(struct hvd_svm *v, int timeout_ms, char *ans,
		    size_t anslen)
{
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000ull;

	ans[0] = '\0';
	for (;;) {
		struct pollfd p = { .fd = v->ctl, .events = POLLIN };
		int64_t left = (int64_t)(end - now_ns()) / 1000000;
		int ret;

		ret = ctl_read(v, ans, anslen);
		if (ret)
			return ret < 0 ? ret : 0;
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -errno;
	}
}

static void restart(struct hvd_super *s, struct hvd_svm *v);

/* Why the worker ended, from its last word and its exit status. */
static void ended(struct hvd_svm *v, const siginfo_t *si)
{
	const char *kind = v->end, *text = strchr(v->end, ' ');
	size_t klen = text ? (size_t)(text - kind) : strlen(kind);

	text = text ? text + 1 : "";
	if (si->si_code == CLD_EXITED && v->end[0] &&
	    !strncmp(kind, "failed", klen) && klen == 6) {
		v->state = HVD_STATE_FAILED;
		snprintf(v->reason, sizeof(v->reason), "%s", text);
	} else if (si->si_code == CLD_EXITED && v->end[0] &&
		   !strncmp(kind, "stopped", klen) && klen == 7) {
		v->state = HVD_STATE_STOPPED;
		snprintf(v->reason, sizeof(v->reason), "%s", text);
	} else if (si->si_code == CLD_EXITED && v->end[0]) {
		v->state = HVD_STATE_CRASHED;
		snprintf(v->reason, sizeof(v->reason), "%s", text);
	} else if (si->si_code == CLD_EXITED) {
		v->state = HVD_STATE_CRASHED;
		snprintf(v->reason, sizeof(v->reason),
			 "the worker exited with status %d", si->si_status);
	} else if (v->stopping && si->si_status == SIGKILL) {
		v->state = HVD_STATE_STOPPED;
		snprintf(v->reason, sizeof(v->reason), "killed by hvctl");
	} else {
		v->state = HVD_STATE_CRASHED;
		snprintf(v->reason, sizeof(v->reason),
			 "the worker was killed by SIG%s%s",
			 sigabbrev_np(si->si_status) ?: "?",
			 si->si_code == CLD_DUMPED ? " (core dumped)" : "");
	}
}

static int on_child(sd_event_source *src, const siginfo_t *si, void *arg)
{
	struct hvd_svm *v = arg;
	struct hvd_super *s = v->super;
	char ans[CTL_MSG_MAX];

	/* Its last word is still in the socket. */
	if (v->ctl >= 0)
		ctl_read(v, ans, sizeof(ans));
	close_ctl(v);
	v->child_src = sd_event_source_unref(v->child_src);
	v->pid = 0;
	v->console[0] = '\0';
	v->sandbox[0] = '\0';
	v->net[0] = '\0';
	v->disk_io[0] = '\0';
	ended(v, si);
	hvd_log(v->state == HVD_STATE_STOPPED ? HVD_LOG_INFO : HVD_LOG_ERR,
		"vm %s: %s: %s", v->def.name, hvd_state_name(v->state),
		v->reason);
	if (v->state == HVD_STATE_CRASHED && v->def.restart_on_crash &&
	    !v->stopping)
		restart(s, v);
	v->stopping = false;
	return 0;
}

static int spawn(struct hvd_super *s, struct hvd_svm *v, char *err,
		 size_t errlen)
{
	static const char self[] = "/proc/self/exe";
	char level[4];
	int sv[2], ret;
	sigset_t all;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		ret = -errno;
		hvd_setf(err, errlen, "cannot make the worker's control socket");
		return ret;
	}
	snprintf(level, sizeof(level), "%d", s->log_level);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(sv[0]);
		close(sv[1]);
		hvd_setf(err, errlen, "cannot fork the worker");
		return ret;
	}
	if (!pid) {
		char *argv[] = { "hvd", "--worker", "--log-level", level,
				 v->path, NULL };
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, STDIN_FILENO) < 0)
			_exit(127);
		/* dup2() onto itself would keep FD_CLOEXEC. */
		if (sv[1] == WORKER_CTL_FD ?
		    fcntl(sv[1], F_SETFD, 0) < 0 :
		    dup2(sv[1], WORKER_CTL_FD) < 0)
			_exit(127);
		close_range(WORKER_CTL_FD + 1, ~0u, 0);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		execv(self, argv);
		_exit(127);
	}
	close(sv[1]);
	v->pid = pid;
	v->ctl = sv[0];
	v->end[0] = '\0';
	v->console[0] = '\0';
	v->sandbox[0] = '\0';
	v->net[0] = '\0';
	v->disk_io[0] = '\0';
	v->reason[0] = '\0';
	v->state = HVD_STATE_RUNNING;
	v->super = s;
	ret = sd_event_add_child(s->event, &v->child_src, pid, WEXITED,
				 on_child, v);
	if (ret >= 0) {
		ret = sd_event_add_io(s->event, &v->ctl_src, v->ctl, EPOLLIN,
				      on_ctl, v);
	}
	if (ret < 0) {
		/* Not watched: end it here, and wait for it. */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		v->child_src = sd_event_source_unref(v->child_src);
		close_ctl(v);
		v->pid = 0;
		v->state = HVD_STATE_FAILED;
		hvd_setf(err, errlen, "cannot watch the worker");
		return ret;
	}
	hvd_info("vm %s: worker %d started", v->def.name, (int)pid);
	return 0;
}

/* Re-read the definition, so that an edit takes effect at a start. */
static int reload(struct hvd_svm *v, char *err, size_t errlen)
{
	char why[600];
	struct hvd_def def;

	if (hvd_def_load(v->path, &def, why, sizeof(why)) ||
	    hvd_def_check(&def, why, sizeof(why))) {
		hvd_setf(err, errlen, "definition %s", why);
		return -EINVAL;
	}
	if (strcmp(def.name, v->def.name)) {
		hvd_setf(err, errlen, "definition %s now names the VM '%s'",
		     v->path, def.name);
		return -EINVAL;
	}
	v->def = def;
	return 0;
}

static void restart(struct hvd_super *s, struct hvd_svm *v)
{
	char err[512], why[sizeof(v->reason)];

	if (v->restarts >= MAX_RESTARTS) {
		snprintf(why, sizeof(why), "%s", v->reason);
		snprintf(v->reason, sizeof(v->reason),
			 "%.200s (not restarted: %u restarts since its start)", why,
			 v->restarts);
		hvd_err("vm %s: %s", v->def.name, v->reason);
		return;
	}
	v->restarts++;
	snprintf(why, sizeof(why), "%s", v->reason);
	if (reload(v, err, sizeof(err)) || spawn(s, v, err, sizeof(err))) {
		v->state = HVD_STATE_FAILED;
		snprintf(v->reason, sizeof(v->reason), "restart: %.200s", err);
		hvd_err("vm %s: %s", v->def.name, v->reason);
		return;
	}
	hvd_info("vm %s: restarted after a crash (%s)", v->def.name, why);
}

/**
 * hvd_vm_start() - start a worker for a VM and wait until it runs
 * @s: the supervisor
 * @v: the VM, with no worker
 * @err: receives the reason of a failure
 * @errlen: its size
 *
 * The definition is read again first, so an edited file takes effect. A
 * paused VM is resumed.
 *
 * Return: 0; -EBUSY if it runs; -EINVAL for a bad definition; -EIO if
 * the worker could not start the VM (@err says why).
 */
int hvd_vm_start(struct hvd_super *s, struct hvd_svm *v, char *err,
		 size_t errlen)
{
	char ans[CTL_MSG_MAX];
	int ret;

	if (has_worker(v) && v->state == HVD_STATE_PAUSED)
		return hvd_vm_control(s, v, "resume", err, errlen);
	if (has_worker(v)) {
		hvd_setf(err, errlen, "vm %s is already %s", v->def.name,
		     hvd_state_name(v->state));
		return -EBUSY;
	}
	ret = reload(v, err, errlen);
	if (ret)
		return ret;
	v->restarts = 0;
	ret = spawn(s, v, err, errlen);
	if (ret)
		return ret;
	ret = ctl_wait(v, START_WAIT_MS, ans, sizeof(ans));
	if (ret == -ETIMEDOUT) {
		/* Still loading: it reports through list and show. */
		hvd_warn("vm %s: the worker has not reported yet", v->def.name);
		return 0;
	}
	if (v->end[0]) {
		const char *sp = strchr(v->end, ' ');

		hvd_setf(err, errlen, "%s", sp ? sp + 1 : v->end);
		/* What list says before the worker's exit is reaped. */
		v->state = strncmp(v->end, "failed ", 7) ? HVD_STATE_CRASHED :
							   HVD_STATE_FAILED;
		hvd_setf(v->reason, sizeof(v->reason), "%s", err);
		return -EIO;
	}
	if (ret) {
		hvd_setf(err, errlen, "the worker ended before it reported");
		return -EIO;
	}
	return 0;
}

/**
 * hvd_vm_signal() - stop (SIGTERM) or kill (SIGKILL) a VM's worker
 * @s: the supervisor
 * @v: the VM
 * @sig: SIGTERM or SIGKILL
 * @err: receives the reason of a failure
 * @errlen: its size
 *
 * The worker's exit, reaped by the event loop, makes the VM stopped.
 *
 * Return: 0, or -ESRCH if it has no worker.
 */
int hvd_vm_signal(struct hvd_super *s, struct hvd_svm *v, int sig, char *err,
		  size_t errlen)
{
	(void)s;
	if (!has_worker(v)) {
		hvd_setf(err, errlen, "vm %s is not running (%s)", v->def.name,
		     hvd_state_name(v->state));
		return -ESRCH;
	}
	v->stopping = true;
	/* The child source still holds the pid: it cannot be reused yet. */
	if (sd_event_source_send_child_signal(v->child_src, sig, NULL, 0) < 0 &&
	    kill(v->pid, sig)) {
		int ret = -errno;

		hvd_setf(err, errlen, "cannot signal worker %d", (int)v->pid);
		return ret;
	}
	return 0;
}

/**
 * hvd_vm_control() - ask a VM's worker to pause or resume it
 * @s: the supervisor
 * @v: the VM
 * @cmd: "pause" or "resume"
 * @err: receives the reason of a failure
 * @errlen: its size
 *
 * Return: 0; -ESRCH without a worker; -EIO (@err from the worker);
 * -ETIMEDOUT.
 */
int hvd_vm_control(struct hvd_super *s, struct hvd_svm *v, const char *cmd,
		   char *err, size_t errlen)
{
	char ans[CTL_MSG_MAX];
	int ret;

	(void)s;
	if (!has_worker(v) || v->ctl < 0) {
		hvd_setf(err, errlen, "vm %s is not running (%s)", v->def.name,
		     hvd_state_name(v->state));
		return -ESRCH;
	}
	if (send(v->ctl, cmd, strlen(cmd), MSG_NOSIGNAL) < 0) {
		ret = -errno;
		hvd_setf(err, errlen, "cannot reach the worker");
		return ret;
	}
	ret = ctl_wait(v, CONTROL_WAIT_MS, ans, sizeof(ans));
	if (ret == -ETIMEDOUT) {
		hvd_setf(err, errlen, "the worker did not answer");
		return ret;
	}
	if (ret || v->end[0]) {
		hvd_setf(err, errlen, "the worker ended");
		return -ESRCH;
	}
	if (ans[0]) {
		hvd_setf(err, errlen, "%s", ans);
		return -EIO;
	}
	return 0;
}

/**
 * hvd_vm_json() - a VM as list and show report it
 * @v: the VM
 * @full: with its definition and console (show)
 *
 * Return: the object, or NULL without memory.
 */
struct json_object *hvd_vm_json(const struct hvd_svm *v, bool full)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "name", json_object_new_string(v->def.name));
	json_object_object_add(o, "state",
			       json_object_new_string(hvd_state_name(v->state)));
	json_object_object_add(o, "reason", json_object_new_string(v->reason));
	json_object_object_add(o, "pid", json_object_new_int(v->pid));
	json_object_object_add(o, "vcpus", json_object_new_int(v->def.vcpus));
	json_object_object_add(o, "memory",
			       json_object_new_int64((int64_t)v->def.mem));
	json_object_object_add(o, "autostart",
			       json_object_new_boolean(v->def.autostart));
	if (!full)
		return o;
	json_object_object_add(o, "console",
			       json_object_new_string(v->console));
	json_object_object_add(o, "sandbox",
			       json_object_new_string(v->sandbox));
	json_object_object_add(o, "net", json_object_new_string(v->net));
	json_object_object_add(o, "disk_io",
			       json_object_new_string(v->disk_io));
	json_object_object_add(o, "restarts",
			       json_object_new_int((int)v->restarts));
	json_object_object_add(o, "file", json_object_new_string(v->path));
	json_object_object_add(o, "definition", hvd_proto_def(&v->def));
	return o;
}

/**
 * hvd_vms_autostart() - start every VM whose definition says autostart
 * @s: the supervisor
 */
void hvd_vms_autostart(struct hvd_super *s)
{
	struct hvd_svm *v;
	char err[512];

	for (v = s->vms; v; v = v->next) {
		if (!v->def.autostart || has_worker(v))
			continue;
		if (hvd_vm_start(s, v, err, sizeof(err)))
			hvd_err("vm %s: autostart: %s", v->def.name, err);
	}
}

/**
 * hvd_vms_stop_all() - end every worker and wait for them (hvd stops)
 * @s: the supervisor
 */
void hvd_vms_stop_all(struct hvd_super *s)
{
	struct hvd_svm *v, *next;

	for (v = s->vms; v; v = v->next)
		if (has_worker(v))
			kill(v->pid, SIGTERM);
	for (v = s->vms; v; v = next) {
		next = v->next;
		if (has_worker(v)) {
			int status;

			/* SIGTERM ends a run at once; do not wait forever. */
			for (int i = 0; i < 100; i++) {
				if (waitpid(v->pid, &status, WNOHANG) != 0)
					break;
				usleep(100000);
			}
			if (waitpid(v->pid, &status, WNOHANG) == 0) {
				kill(v->pid, SIGKILL);
				waitpid(v->pid, &status, 0);
			}
		}
		v->child_src = sd_event_source_disable_unref(v->child_src);
		close_ctl(v);
		free(v);
	}
	s->vms = NULL;
}
