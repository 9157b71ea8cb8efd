// SPDX-License-Identifier: GPL-2.0
/*
 * The worker's end of its control socket to the supervisor (super/vms.c
 * is the other end): one short text message per SOCK_SEQPACKET message.
 * The worker reports its console, that the VM runs, and finally how the
 * run ended; the supervisor asks it to pause and resume. A closed socket
 * means the supervisor is gone: the worker ends its VM rather than
 * leave it running with nobody to answer for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

/* The control socket, or -1 in a foreground run. */
int hvd_control_fd = -1;

/**
 * hvd_control_send() - send one message to the supervisor
 * @fmt: the message
 *
 * Nothing happens in a foreground run.
 */
void hvd_control_send(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	if (hvd_control_fd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (send(hvd_control_fd, msg, n, MSG_NOSIGNAL) < 0)
		hvd_debug("control socket: %s", strerror(errno));
}

/* Pause or resume; the socket is the vCPU threads' too. */
static void pause_resume(struct hvd_vm *vm, bool pause)
{
	int err;

	pthread_mutex_lock(&vm->hv_lock);
	err = pause ? hv_vm_pause(vm->h, vm->id) : hv_vm_start(vm->h, vm->id);
	if (err)
		hvd_control_send("error %s: %s", hv_errmsg(vm->h) ?: "",
				 strerror(-err));
	pthread_mutex_unlock(&vm->hv_lock);
	if (!err) {
		hvd_info("vm %s: %s", vm->def->name,
			 pause ? "paused" : "resumed");
		hvd_control_send(pause ? "paused" : "resumed");
	}
}

/**
 * hvd_control_input() - act on what the supervisor sent
 * @vm: the VM
 *
 * Return: 0, or -EPIPE once the supervisor is gone (the run ends).
 */
int hvd_control_input(struct hvd_vm *vm)
{
	char msg[64];
	ssize_t n;

	for (;;) {
		n = recv(hvd_control_fd, msg, sizeof(msg) - 1, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			hvd_vm_end(vm, HVD_END_SIGNAL, 0,
				   "the supervisor went away");
			return -EPIPE;
		}
		msg[n] = '\0';
		if (!strcmp(msg, "pause") || !strcmp(msg, "resume"))
			pause_resume(vm, msg[0] == 'p');
		else
			hvd_control_send("error unknown request '%.32s'", msg);
	}
}
