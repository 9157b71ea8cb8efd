// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor's socket and event loop. Clients connect to a
 * SOCK_SEQPACKET socket (systemd's, when hvd.socket activates hvd, or
 * one hvd binds itself) and send one JSON request per message; each gets
 * one JSON reply, and a console request also gets the console's file
 * descriptor (SCM_RIGHTS). Who may connect is the socket file's mode and
 * group: the supervisor checks what a request says, not who sent it.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "log.h"
#include "super/proto.h"
#include "super/super.h"

#define SOCKET_GROUP	"hv"

/*
 * Connections served at once. hvctl holds one for a single request, so
 * this bounds only clients that connect and stay: past it a newcomer is
 * told so and closed, and hvd's file descriptors never run out.
 */
#define MAX_CLIENTS	64

/* How long hvd stops accepting when the system is out of descriptors. */
#define ACCEPT_RETRY_USEC	(1000 * 1000)

struct client {
	struct hvd_super *s;
	int fd;
	sd_event_source *src;
};

static int reply(struct client *c, struct json_object *o, int pass_fd)
{
	const char *text;
	struct msghdr mh = { 0 };
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	int ret = 0;

	if (!o)
		return -ENOMEM;
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	iov.iov_base = (void *)text;
	iov.iov_len = strlen(text);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (pass_fd >= 0) {
		struct cmsghdr *cm;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	if (sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		ret = -errno;
	json_object_put(o);
	return ret;
}

static int fail(struct client *c, int err, const char *msg)
{
	return reply(c, hvd_proto_reply(err, msg), -1);
}

static void console(struct client *c, struct hvd_svm *v)
{
	char msg[128];
	int fd;

	if (!v->pid) {
		snprintf(msg, sizeof(msg), "vm %s is not running (%s)",
			 v->def.name, hvd_state_name(v->state));
		fail(c, -ESRCH, msg);
		return;
	}
	if (!v->console[0]) {
		if (v->def.serial == HVD_SERIAL_NULL ||
		    v->def.serial == HVD_SERIAL_FILE)
			snprintf(msg, sizeof(msg),
				 "vm %s has no console to attach to (serial = %s)",
				 v->def.name, v->def.serial == HVD_SERIAL_NULL ?
				 "null" : "file");
		else
			snprintf(msg, sizeof(msg),
				 "vm %s has not reported its console yet",
				 v->def.name);
		fail(c, v->def.serial == HVD_SERIAL_PTY ? -EAGAIN : -ENOTTY,
		     msg);
		return;
	}
	fd = open(v->console, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		snprintf(msg, sizeof(msg), "cannot open %s", v->console);
		fail(c, err, msg);
		return;
	}
	reply(c, hvd_proto_reply(0, NULL), fd);
	close(fd);
}

static void handle(struct client *c, const char *msg, size_t len)
{
	struct hvd_super *s = c->s;
	struct json_object *o, *arr;
	struct hvd_svm *v = NULL;
	struct hvd_req *req;
	char err[768];
	int ret = 0;

	req = malloc(sizeof(*req));
	if (!req) {
		fail(c, -ENOMEM, "out of memory");
		return;
	}
	ret = hvd_proto_parse(msg, len, req, err, sizeof(err));
	if (ret) {
		fail(c, ret, err);
		goto out;
	}
	if (req->op != HVD_OP_VERSION && req->op != HVD_OP_LIST &&
	    req->op != HVD_OP_CREATE) {
		v = hvd_vm_find(s, req->name);
		if (!v) {
			snprintf(err, sizeof(err), "no VM named '%s'",
				 req->name);
			fail(c, -ENOENT, err);
			goto out;
		}
	}
	switch (req->op) {
	case HVD_OP_VERSION:
		o = hvd_proto_reply(0, NULL);
		if (o)
			json_object_object_add(o, "version",
					       json_object_new_string(HV_VERSION));
		reply(c, o, -1);
		goto out;
	case HVD_OP_LIST:
		o = hvd_proto_reply(0, NULL);
		arr = json_object_new_array();
		for (v = s->vms; o && arr && v; v = v->next)
			json_object_array_add(arr, hvd_vm_json(v, false));
		if (o && arr)
			json_object_object_add(o, "vms", arr);
		else
			json_object_put(arr);
		reply(c, o, -1);
		goto out;
	case HVD_OP_SHOW:
		o = hvd_proto_reply(0, NULL);
		if (o)
			json_object_object_add(o, "vm", hvd_vm_json(v, true));
		reply(c, o, -1);
		goto out;
	case HVD_OP_CONSOLE:
		console(c, v);
		goto out;
	case HVD_OP_CREATE:
		ret = hvd_vm_create(s, &req->def, err, sizeof(err));
		break;
	case HVD_OP_DESTROY:
		ret = hvd_vm_destroy(s, v, err, sizeof(err));
		break;
	case HVD_OP_START:
		ret = hvd_vm_start(s, v, err, sizeof(err));
		break;
	case HVD_OP_STOP:
	case HVD_OP_KILL:
		ret = hvd_vm_signal(s, v, req->op == HVD_OP_STOP ? SIGTERM :
				    SIGKILL, err, sizeof(err));
		break;
	case HVD_OP_PAUSE:
	case HVD_OP_RESUME:
		ret = hvd_vm_control(s, v, hvd_op_name(req->op), err,
				     sizeof(err));
		break;
	default:
		ret = -EOPNOTSUPP;
		snprintf(err, sizeof(err), "unknown op");
		break;
	}
	if (ret)
		hvd_info("request %s %s: %s", hvd_op_name(req->op), req->name,
			 err);
	fail(c, ret, err);
out:
	free(req);
}

static void client_free(struct client *c)
{
	c->s->nr_clients--;
	sd_event_source_disable_unref(c->src);
	close(c->fd);
	free(c);
}

static int on_client(sd_event_source *src, int fd, uint32_t revents,
		     void *arg)
{
	struct client *c = arg;
	char *buf;
	ssize_t n;

	buf = malloc(HVD_PROTO_MSG_MAX + 1);
	if (!buf) {
		client_free(c);
		return 0;
	}
	n = recv(fd, buf, HVD_PROTO_MSG_MAX + 1, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		free(buf);
		return 0;
	}
	if (n <= 0) {
		free(buf);
		client_free(c);
		return 0;
	}
	if (n > HVD_PROTO_MSG_MAX)
		fail(c, -EMSGSIZE, "request longer than 64 KiB");
	else
		handle(c, buf, n);
	free(buf);
	return 0;
}

static int resume_accept(sd_event_source *src, uint64_t usec, void *arg)
{
	struct hvd_super *s = arg;

	sd_event_source_set_enabled(s->listen_src, SD_EVENT_ON);
	return 0;
}

/*
 * accept() failed for want of descriptors or memory: the connection
 * stays queued and the socket stays readable, so stop watching it for a
 * while rather than spin. The retry timer exists from the start: making
 * one now would need a descriptor.
 */
static void pause_accept(struct hvd_super *s, int err)
{
	if (!s->starved)
		hvd_warn("cannot accept clients: %s; trying again every second",
			 strerror(err));
	s->starved = true;
	if (sd_event_source_set_time_relative(s->retry_src,
					      ACCEPT_RETRY_USEC) < 0 ||
	    sd_event_source_set_enabled(s->retry_src, SD_EVENT_ONESHOT) < 0)
		return;
	sd_event_source_set_enabled(s->listen_src, SD_EVENT_OFF);
}

static int on_accept(sd_event_source *src, int fd, uint32_t revents,
		     void *arg)
{
	struct hvd_super *s = arg;
	struct client *c;
	int cfd;

	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM)
			pause_accept(s, errno);
		return 0;
	}
	if (s->starved)
		hvd_info("accepting clients again");
	s->starved = false;
	if (s->nr_clients >= MAX_CLIENTS) {
		struct client refused = { .s = s, .fd = cfd };
		char msg[96];

		snprintf(msg, sizeof(msg),
			 "too many connections to hvd (%d): close one",
			 MAX_CLIENTS);
		fail(&refused, -EUSERS, msg);
		close(cfd);
		return 0;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return 0;
	}
	c->s = s;
	c->fd = cfd;
	if (sd_event_add_io(s->event, &c->src, cfd, EPOLLIN, on_client,
			    c) < 0) {
		close(cfd);
		free(c);
		return 0;
	}
	s->nr_clients++;
	return 0;
}

/* The socket systemd passed, or one bound at @path (0660, group hv). */
static int listen_socket(const char *path, bool *own)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct group *gr;
	char dir[sizeof(sa.sun_path)], *slash;
	int n, fd;

	n = sd_listen_fds(1);
	if (n > 1) {
		hvd_err("systemd passed %d sockets; hvd.socket has one", n);
		return -EINVAL;
	}
	if (n == 1) {
		if (sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_SEQPACKET, 1,
				      NULL, 0) <= 0) {
			hvd_err("the socket systemd passed is not a listening AF_UNIX SOCK_SEQPACKET socket");
			return -EINVAL;
		}
		*own = false;
		return SD_LISTEN_FDS_START;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		hvd_err("socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			hvd_err("cannot create %s: %s", dir, strerror(errno));
			return -errno;
		}
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 16)) {
		int err = -errno;

		hvd_err("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return err;
	}
	gr = getgrnam(SOCKET_GROUP);
	if (chmod(path, 0660) || (gr && chown(path, 0, gr->gr_gid)))
		hvd_warn("cannot set the mode of %s: %s", path,
			 strerror(errno));
	*own = true;
	return fd;
}

static int on_term(sd_event_source *src, const struct signalfd_siginfo *si,
		   void *arg)
{
	hvd_info("%s: stopping every VM", strsignal(si->ssi_signo));
	sd_event_exit(sd_event_source_get_event(src), 0);
	return 0;
}

static int on_hup(sd_event_source *src, const struct signalfd_siginfo *si,
		  void *arg)
{
	struct hvd_super *s = arg;

	sd_notify(0, "RELOADING=1");
	hvd_info("SIGHUP: reading %s again", s->defs_dir);
	hvd_vms_reload(s);
	sd_notify(0, "READY=1");
	return 0;
}

/**
 * hvd_super_run() - the supervisor, until SIGTERM or SIGINT
 * @defs_dir: the definitions directory
 * @sock_path: where to listen when systemd passed no socket
 * @log_level: for the workers
 *
 * SIGTERM, SIGINT, SIGHUP and SIGCHLD must be blocked (hvd.c does it).
 *
 * Return: 0, or a negative errno if it could not start.
 */
int hvd_super_run(const char *defs_dir, const char *sock_path, int log_level)
{
	struct hvd_super s = { .defs_dir = defs_dir, .log_level = log_level };
	bool own = false;
	int fd, err;

	fd = listen_socket(sock_path, &own);
	if (fd < 0)
		return fd;
	err = sd_event_new(&s.event);
	if (err < 0)
		goto out;
	err = sd_event_add_io(s.event, &s.listen_src, fd, EPOLLIN, on_accept,
			      &s);
	if (err >= 0)
		err = sd_event_add_time_relative(s.event, &s.retry_src,
						 CLOCK_MONOTONIC,
						 ACCEPT_RETRY_USEC, 0,
						 resume_accept, &s);
	if (err >= 0)
		err = sd_event_source_set_enabled(s.retry_src, SD_EVENT_OFF);
	if (err >= 0)
		err = sd_event_add_signal(s.event, NULL, SIGTERM, on_term,
					  NULL);
	if (err >= 0)
		err = sd_event_add_signal(s.event, NULL, SIGINT, on_term, NULL);
	if (err >= 0)
		err = sd_event_add_signal(s.event, NULL, SIGHUP, on_hup, &s);
	if (err >= 0)
		err = hvd_vms_load(&s);
	if (err < 0)
		goto out;
	hvd_vms_autostart(&s);
	sd_notify(0, "READY=1\nSTATUS=serving hvctl");
	hvd_info("serving hvctl on %s, definitions in %s",
		 own ? sock_path : "systemd's socket", defs_dir);
	err = sd_event_loop(s.event);
	sd_notify(0, "STOPPING=1");
out:
	hvd_vms_stop_all(&s);
	s.listen_src = sd_event_source_unref(s.listen_src);
	s.retry_src = sd_event_source_unref(s.retry_src);
	s.event = sd_event_unref(s.event);
	if (own) {
		close(fd);
		unlink(sock_path);
	}
	if (err < 0)
		hvd_err("cannot serve: %s", strerror(-err));
	return err < 0 ? err : 0;
}
