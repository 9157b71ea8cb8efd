// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl's commands on hvd's VMs: requests to the supervisor's socket
 * (daemon/PROTOCOL.md), one JSON object each way. The VM commands go to
 * hvd when it runs (its socket exists) unless -d/--direct or a batch asks
 * for the module; create goes to hvd when it names a kernel; stop, kill,
 * resume and console exist only in hvd.
 */
#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "hvctl.h"

#define HVD_SOCKET	"/run/hvd/hvd.sock"
#define MSG_MAX		(64 << 10)
#define ESCAPE_CHAR	0x1d	/* Ctrl-] */
/* stop and kill wait this long for the worker to end. */
#define STOP_WAIT_MS	30000

static const char *socket_path(void)
{
	const char *p = getenv("HVD_SOCKET");

	return p && *p ? p : HVD_SOCKET;
}

/**
 * hvctl_hvd_wanted() - whether a VM command goes to hvd
 * @c: the run context
 *
 * Return: true outside a batch, without -d, when hvd's socket exists.
 */
bool hvctl_hvd_wanted(struct hvctl *c)
{
	struct stat st;

	return !c->batch && !c->direct && !stat(socket_path(), &st) &&
	       S_ISSOCK(st.st_mode);
}

/*
 * Send @req, receive the reply (and a file descriptor, if @fd). Return:
 * the reply, or NULL after printing why.
 */
static struct json_object *request(struct hvctl *c, struct json_object *req,
				   int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = { 0 };
	struct json_object *rep;
	const char *text, *path = socket_path();
	struct iovec iov;
	struct cmsghdr *cm;
	char *buf;
	ssize_t n;
	int s;

	if (fd)
		*fd = -1;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		hvctl_fail(c, -ENAMETOOLONG, "hvd: socket %s", path);
		return NULL;
	}
	strcpy(sa.sun_path, path);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0) {
		hvctl_fail(c, -errno, "hvd: cannot make a socket");
		return NULL;
	}
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(s);
		if (err == -ENOENT || err == -ECONNREFUSED)
			hvctl_fail(c, err,
				   "hvd is not running (start it with 'systemctl start hvd.socket', or run 'hvd' as root)");
		else
			hvctl_fail(c, err, "hvd: cannot connect to %s", path);
		return NULL;
	}
	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	if (send(s, text, strlen(text), MSG_NOSIGNAL) < 0) {
		hvctl_fail(c, -errno, "hvd: cannot send the request");
		close(s);
		return NULL;
	}
	buf = malloc(MSG_MAX + 1);
	if (!buf) {
		close(s);
		hvctl_fail(c, -ENOMEM, "hvd");
		return NULL;
	}
	iov.iov_base = buf;
	iov.iov_len = MSG_MAX;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	do {
		n = recvmsg(s, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	close(s);
	if (n <= 0) {
		free(buf);
		hvctl_fail(c, n < 0 ? -errno : -ECONNRESET,
			   "hvd: no reply");
		return NULL;
	}
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS) {
			int got;

			memcpy(&got, CMSG_DATA(cm), sizeof(got));
			if (fd && *fd < 0)
				*fd = got;
			else
				close(got);
		}
	}
	buf[n] = '\0';
	rep = json_tokener_parse(buf);
	free(buf);
	if (!rep || !json_object_is_type(rep, json_type_object)) {
		json_object_put(rep);
		hvctl_fail(c, -EPROTO, "hvd: the reply is not a JSON object");
		return NULL;
	}
	return rep;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v ? json_object_get_string(v) : "";
}

/* A request by op and name; the reply if hvd said ok, else NULL. */
static struct json_object *call(struct hvctl *c, const char *op,
				const char *name, struct json_object *def,
				int *fd)
{
	struct json_object *req = json_object_new_object(), *rep;

	if (!req) {
		json_object_put(def);
		hvctl_fail(c, -ENOMEM, "hvd");
		return NULL;
	}
	json_object_object_add(req, "op", json_object_new_string(op));
	if (name)
		json_object_object_add(req, "name",
				       json_object_new_string(name));
	if (def)
		json_object_object_add(req, "definition", def);
	rep = request(c, req, fd);
	json_object_put(req);
	if (rep && !json_object_get_boolean(get(rep, "ok"))) {
		int err = json_object_get_int(get(rep, "errno"));

		hvctl_fail(c, err > 0 ? -err : -EPROTO, "hvd: %s",
			   get_str(rep, "error"));
		json_object_put(rep);
		if (fd && *fd >= 0)
			close(*fd);
		return NULL;
	}
	return rep;
}

static void print_json(struct hvctl *c, struct json_object *o)
{
	int flags = c->pretty ? JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN;

	fprintf(c->out, "%s\n", json_object_to_json_string_ext(o, flags));
}

static int list(struct hvctl *c)
{
	struct json_object *rep, *vms;
	size_t i, n;

	rep = call(c, "list", NULL, NULL, NULL);
	if (!rep)
		return HVCTL_FAIL;
	vms = get(rep, "vms");
	if (c->json) {
		print_json(c, vms ? vms : json_object_new_array());
		json_object_put(rep);
		return HVCTL_OK;
	}
	n = vms ? json_object_array_length(vms) : 0;
	fprintf(c->out, "%-20s %-8s %5s %8s %-9s %s\n", "NAME", "STATE",
		"VCPUS", "MEM", "AUTOSTART", "REASON");
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vms, i);

		fprintf(c->out, "%-20s %-8s %5d %7lluM %-9s %s\n",
			get_str(v, "name"), get_str(v, "state"),
			json_object_get_int(get(v, "vcpus")),
			(unsigned long long)json_object_get_int64(get(v, "memory")) >> 20,
			json_object_get_boolean(get(v, "autostart")) ? "yes" :
								       "no",
			get_str(v, "reason"));
	}
	json_object_put(rep);
	return HVCTL_OK;
}

static int show(struct hvctl *c, const char *name)
{
	struct json_object *rep, *vm, *def;

	rep = call(c, "show", name, NULL, NULL);
	if (!rep)
		return HVCTL_FAIL;
	vm = get(rep, "vm");
	if (c->json) {
		print_json(c, vm);
		json_object_put(rep);
		return HVCTL_OK;
	}
	fprintf(c->out, "name:      %s\nstate:     %s\n", get_str(vm, "name"),
		get_str(vm, "state"));
	if (*get_str(vm, "reason"))
		fprintf(c->out, "reason:    %s\n", get_str(vm, "reason"));
	if (json_object_get_int(get(vm, "pid")))
		fprintf(c->out, "worker:    %d\n",
			json_object_get_int(get(vm, "pid")));
	if (*get_str(vm, "console"))
		fprintf(c->out, "console:   %s\n", get_str(vm, "console"));
	if (*get_str(vm, "sandbox"))
		fprintf(c->out, "sandbox:   %s\n", get_str(vm, "sandbox"));
	if (*get_str(vm, "net"))
		fprintf(c->out, "net:       %s\n", get_str(vm, "net"));
	if (*get_str(vm, "disk_io"))
		fprintf(c->out, "disk io:   %s\n", get_str(vm, "disk_io"));
	fprintf(c->out, "restarts:  %d\nfile:      %s\n",
		json_object_get_int(get(vm, "restarts")), get_str(vm, "file"));
	def = get(vm, "definition");
	if (def) {
		json_object_object_foreach(def, key, val) {
			size_t i, n;

			if (!json_object_is_type(val, json_type_array)) {
				fprintf(c->out, "%-10s %s\n", key,
					json_object_get_string(val));
				continue;
			}
			n = json_object_array_length(val);
			for (i = 0; i < n; i++)
				fprintf(c->out, "%-10s %s\n", key,
					json_object_get_string(
						json_object_array_get_idx(val,
									  i)));
		}
	}
	json_object_put(rep);
	return HVCTL_OK;
}

/* Until the VM has no worker, or the time is up. */
static int wait_ended(struct hvctl *c, const char *name)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	int waited;

	for (waited = 0; waited < STOP_WAIT_MS; waited += 50) {
		struct json_object *rep = call(c, "show", name, NULL, NULL);
		int pid;

		if (!rep)
			return HVCTL_FAIL;
		pid = json_object_get_int(get(get(rep, "vm"), "pid"));
		json_object_put(rep);
		if (!pid)
			return HVCTL_OK;
		nanosleep(&ts, NULL);
	}
	return hvctl_fail(c, -ETIMEDOUT, "hvd: vm %s has not ended", name);
}

/**
 * cmd_hvd_vm() - a VM command answered by hvd
 * @c: the run context
 * @op: the protocol's op: list, show, start, stop, kill, pause, resume,
 *	destroy
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_hvd_vm(struct hvctl *c, const char *op, int argc, char **argv)
{
	const char *pos[1] = { NULL };
	struct json_object *rep;
	char usage[32];
	int ret;

	if (!strcmp(op, "list")) {
		ret = hvctl_opts(c, argc, argv);
		return ret ? ret : list(c);
	}
	snprintf(usage, sizeof(usage), "vm %s NAME", op);
	ret = hvctl_args(c, argc, argv, NULL, pos, 1, 1, usage);
	if (ret)
		return ret;
	if (!strcmp(op, "show"))
		return show(c, pos[0]);
	rep = call(c, op, pos[0], NULL, NULL);
	if (!rep)
		return HVCTL_FAIL;
	json_object_put(rep);
	if (!strcmp(op, "stop") || !strcmp(op, "kill"))
		return wait_ended(c, pos[0]);
	return HVCTL_OK;
}

/* Each definition key hvctl vm create takes, and its option. */
static const char *const create_keys[][2] = {
	{ "--kernel", "kernel" },	{ "--initrd", "initrd" },
	{ "--cmdline", "cmdline" },	{ "--vcpus", "vcpus" },
	{ "--mem", "memory" },		{ "--serial", "serial" },
	{ "--on-reboot", "on-reboot" },	{ "--virtio-console", "virtio-console" },
	{ "--net", "net" },
};

#define NR_CREATE_KEYS (sizeof(create_keys) / sizeof(create_keys[0]))

/*
 * A --disk argument, its path made absolute (hvd does not know our
 * directory); left as it is if that fails, for hvd to refuse by name.
 */
static struct json_object *disk_arg(const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);
	struct json_object *o;
	char *path, *abs, *s;

	if (arg[0] == '/' || !len)
		return json_object_new_string(arg);
	path = strndup(arg, len);
	abs = path ? realpath(path, NULL) : NULL;
	free(path);
	if (!abs || asprintf(&s, "%s%s", abs, comma ? comma : "") < 0) {
		free(abs);
		return json_object_new_string(arg);
	}
	free(abs);
	o = json_object_new_string(s);
	free(s);
	return o;
}

/**
 * cmd_hvd_create() - hvctl vm create NAME --kernel FILE [options]: a new
 * VM definition of hvd's
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * hvd checks every value and writes /etc/hv/vms/NAME.conf; relative
 * paths are made absolute here, where they mean something.
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_hvd_create(struct hvctl *c, int argc, char **argv)
{
	const char *val[NR_CREATE_KEYS] = { NULL }, *pos[1] = { NULL };
	struct hvctl_opt opts[NR_CREATE_KEYS + 5];
	bool autostart = false, restart = false, rng = false, nosb = false;
	struct json_object *def, *rep, *disks;
	char **rest;
	size_t i;
	int ret, n = 0, k;

	/* --disk may come more than once: one disk each, in order. */
	disks = json_object_new_array();
	rest = calloc(argc + 1, sizeof(*rest));
	if (!disks || !rest) {
		json_object_put(disks);
		free(rest);
		return hvctl_fail(c, -ENOMEM, "hvd");
	}
	for (k = 0; k < argc; k++) {
		if (!strcmp(argv[k], "--disk") && k + 1 < argc)
			json_object_array_add(disks,
					      disk_arg(argv[++k]));
		else
			rest[n++] = argv[k];
	}
	for (i = 0; i < NR_CREATE_KEYS; i++)
		opts[i] = (struct hvctl_opt)HVCTL_OPT(create_keys[i][0],
						      &val[i]);
	opts[i++] = (struct hvctl_opt)HVCTL_FLAG("--autostart", &autostart);
	opts[i++] = (struct hvctl_opt)HVCTL_FLAG("--restart-on-crash",
						 &restart);
	opts[i++] = (struct hvctl_opt)HVCTL_FLAG("--rng", &rng);
	opts[i++] = (struct hvctl_opt)HVCTL_FLAG("--no-sandbox", &nosb);
	opts[i] = (struct hvctl_opt)HVCTL_OPT_END;
	ret = hvctl_args(c, n, rest, opts, pos, 1, 1,
			 "vm create NAME --kernel FILE [--initrd FILE] [--cmdline STR] [--vcpus N] [--mem SIZE] [--serial pty|file:PATH|null] [--on-reboot restart|stop] [--disk FILE[,ro][,serial=ID][,direct]]... [--net tap:NAME[,mac=MAC][,vhost=on|off]] [--rng] [--virtio-console pty|file:PATH] [--no-sandbox] [--autostart] [--restart-on-crash]");
	free(rest);
	if (ret) {
		json_object_put(disks);
		return ret;
	}
	def = json_object_new_object();
	if (!def) {
		json_object_put(disks);
		return hvctl_fail(c, -ENOMEM, "hvd");
	}
	if (json_object_array_length(disks))
		json_object_object_add(def, "disk", disks);
	else
		json_object_put(disks);
	if (rng)
		json_object_object_add(def, "rng", json_object_new_string("yes"));
	if (nosb)
		json_object_object_add(def, "sandbox",
				       json_object_new_string("no"));
	for (i = 0; i < NR_CREATE_KEYS; i++) {
		const char *v = val[i];
		char *abs = NULL;

		if (!v)
			continue;
		if ((i == 0 || i == 1) && v[0] != '/' && v[0]) {
			abs = realpath(v, NULL);
			if (!abs) {
				json_object_put(def);
				return hvctl_fail(c, -errno, "%s %s",
						  create_keys[i][0], v);
			}
			v = abs;
		}
		json_object_object_add(def, create_keys[i][1],
				       json_object_new_string(v));
		free(abs);
	}
	if (autostart)
		json_object_object_add(def, "autostart",
				       json_object_new_string("yes"));
	if (restart)
		json_object_object_add(def, "restart-on-crash",
				       json_object_new_string("yes"));
	rep = call(c, "create", pos[0], def, NULL);
	if (!rep)
		return HVCTL_FAIL;
	json_object_put(rep);
	return HVCTL_OK;
}

/* Copy what is readable from @from to @to; false at its end. */
static bool relay(int from, int to, bool user, bool *detach)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));
	char *esc;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (user) {
		esc = memchr(buf, ESCAPE_CHAR, n);
		if (esc) {
			n = esc - buf;
			*detach = true;
		}
	}
	while (n > 0) {
		ssize_t w = write(to, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		memmove(buf, buf + w, n - w);
		n -= w;
	}
	return !*detach;
}

/**
 * cmd_console() - hvctl console NAME: attach to a VM's serial console
 * @c: the run context
 * @argc: arguments after the object
 * @argv: the arguments
 *
 * hvd passes the console's pseudo-terminal; Ctrl-] detaches, as in
 * virsh console. The VM keeps running.
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_console(struct hvctl *c, int argc, char **argv)
{
	const char *pos[1] = { NULL };
	struct termios saved, raw;
	struct json_object *rep;
	bool tty, detach = false, vm_end = false;
	int fd, ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 1, 1, "console NAME");
	if (ret)
		return ret;
	rep = call(c, "console", pos[0], NULL, &fd);
	if (!rep)
		return HVCTL_FAIL;
	json_object_put(rep);
	if (fd < 0)
		return hvctl_fail(c, -EPROTO, "hvd sent no console");
	tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	fprintf(c->err, "Connected to %s's console; Ctrl-] detaches.\r\n",
		pos[0]);
	fflush(c->err);
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = fd, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents) {
			if (!relay(fd, STDOUT_FILENO, false, &detach)) {
				vm_end = true;
				break;
			}
		}
		if (p[0].revents && !relay(STDIN_FILENO, fd, true, &detach))
			break;
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	close(fd);
	fprintf(c->err, vm_end ? "\r\nThe console closed: the VM ended.\r\n" :
				 "\r\nDetached.\r\n");
	return HVCTL_OK;
}
