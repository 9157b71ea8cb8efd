// SPDX-License-Identifier: GPL-2.0
/*
 * The serial console's backend: hvd's terminal (foreground runs), a
 * pseudo-terminal for hvctl console, a file, or nothing. Output never
 * blocks the guest on a pty nobody reads: a full pty drops, as a serial
 * line with nobody listening does.
 *
 * Output goes out a line at a time: the UART hands over one byte per
 * THR write, and a write(2) per byte would wake whoever reads the
 * console (a terminal, hvctl console, a log) once per byte. A line left
 * unfinished (a shell prompt, an echoed key) goes out FLUSH_NS later.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

/* Ctrl-]: leaves a foreground run, as it detaches hvctl console. */
#define ESCAPE_CHAR 0x1d

/* How long an unfinished line waits: well below what a typist notices. */
#define FLUSH_NS (5 * 1000000ull)

static struct termios saved_tio;

static void flush_out(struct hvd_vm *vm)
{
	const uint8_t *p = vm->out;
	size_t left = vm->out_len;

	while (left) {
		ssize_t n = write(vm->con_out, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		p += n;
		left -= n;
	}
	vm->out_len = 0;
}

/* The flush timer: called under vm->dev_lock, as the UART's writes are. */
static void flush_late(void *opaque)
{
	flush_out(opaque);
}

/**
 * hvd_pty_open() - a pseudo-terminal for a console
 *
 * A serial line: no echo, no line editing, bytes as they are (raw mode),
 * and the master non-blocking.
 *
 * Return: its master, or a negative errno.
 */
int hvd_pty_open(void)
{
	struct termios tio;
	int fd, err;

	fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || grantpt(fd) || unlockpt(fd)) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		return err;
	}
	if (!tcgetattr(fd, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	return fd;
}

/**
 * hvd_console_open() - open the backend the definition names
 * @vm: the VM
 *
 * Return: 0 or a negative errno (logged).
 */
int hvd_console_open(struct hvd_vm *vm)
{
	const struct hvd_def *d = vm->def;
	int fd;

	vm->con_in = vm->con_out = -1;
	vm->out_len = 0;
	if (d->serial != HVD_SERIAL_NULL) {
		vm->out_timer = hvd_timer_new(vm, flush_late, vm);
		if (!vm->out_timer) {
			hvd_err("vm %s: console: out of memory", d->name);
			return -ENOMEM;
		}
	}
	switch (d->serial) {
	case HVD_SERIAL_STDIO:
		vm->con_in = STDIN_FILENO;
		vm->con_out = STDOUT_FILENO;
		if (isatty(STDIN_FILENO) &&
		    !tcgetattr(STDIN_FILENO, &saved_tio)) {
			struct termios raw = saved_tio;

			cfmakeraw(&raw);
			if (!tcsetattr(STDIN_FILENO, TCSANOW, &raw))
				vm->con_tty = true;
		}
		return 0;
	case HVD_SERIAL_PTY:
		fd = hvd_pty_open();
		if (fd < 0) {
			hvd_err("vm %s: cannot open a pseudo-terminal: %s",
				d->name, strerror(-fd));
			return fd;
		}
		vm->con_in = vm->con_out = fd;
		hvd_info("vm %s: serial console on %s", d->name, ptsname(fd));
		hvd_control_send("console %s", ptsname(fd));
		return 0;
	case HVD_SERIAL_FILE:
		fd = open(d->serial_path,
			  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
		if (fd < 0) {
			int err = -errno;

			hvd_err("vm %s: serial file %s: %s", d->name,
				d->serial_path, strerror(errno));
			return err;
		}
		vm->con_out = fd;
		return 0;
	case HVD_SERIAL_NULL:
		return 0;
	}
	return -EINVAL;
}

/**
 * hvd_console_close() - close the backend, give the terminal back
 * @vm: the VM
 */
void hvd_console_close(struct hvd_vm *vm)
{
	if (vm->con_out >= 0)
		flush_out(vm);
	hvd_timer_free(vm, vm->out_timer);
	vm->out_timer = NULL;
	if (vm->con_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	vm->con_tty = false;
	if (vm->def->serial != HVD_SERIAL_STDIO) {
		if (vm->con_out >= 0)
			close(vm->con_out);
		if (vm->con_in >= 0 && vm->con_in != vm->con_out)
			close(vm->con_in);
	}
	vm->con_in = vm->con_out = -1;
}

/**
 * hvd_console_write() - console output (struct hvd_services.chr_write)
 * @vm: the VM
 * @buf: the bytes
 * @len: how many
 *
 * Called with vm->dev_lock held. Written when a line ends, when the
 * buffer fills, or FLUSH_NS after an unfinished line began.
 *
 * Return: bytes taken (all of them: what cannot be written is dropped).
 */
size_t hvd_console_write(struct hvd_vm *vm, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t left = len;
	bool eol = false;

	if (vm->con_out < 0)
		return len;
	while (left) {
		size_t n = sizeof(vm->out) - vm->out_len;

		if (n > left)
			n = left;
		memcpy(vm->out + vm->out_len, p, n);
		eol = eol || memchr(p, '\n', n);
		vm->out_len += n;
		p += n;
		left -= n;
		if (vm->out_len == sizeof(vm->out))
			flush_out(vm);
	}
	if (eol && vm->out_len)
		flush_out(vm);
	if (!vm->out_len)
		hvd_timer_del(vm, vm->out_timer);
	else if (!hvd_timer_armed(vm->out_timer))
		hvd_timer_mod(vm, vm->out_timer, hvd_now_ns() + FLUSH_NS);
	return len;
}

static void offer(struct hvd_vm *vm)
{
	size_t n;

	if (!vm->held_len || !vm->uart || !vm->uart->model->input)
		return;
	n = vm->uart->model->input(vm->uart->priv, vm->held, vm->held_len);
	if (n > vm->held_len)
		n = vm->held_len;
	memmove(vm->held, vm->held + n, vm->held_len - n);
	vm->held_len -= n;
}

/**
 * hvd_console_input() - console input is ready, or the UART took some
 * @vm: the VM
 *
 * Called by the event loop. Reads only while nothing is held back, so
 * that input waits in the terminal or pty rather than in hvd.
 *
 * Return: 1 if input is held back (stop watching the fd until the UART
 * accepts), -1 at the end of input, 0 otherwise.
 */
int hvd_console_input(struct hvd_vm *vm)
{
	int ret = 0;

	pthread_mutex_lock(&vm->dev_lock);
	vm->con_accept = false;
	if (!vm->held_len && vm->con_in >= 0) {
		ssize_t n = read(vm->con_in, vm->held, sizeof(vm->held));

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR &&
			       errno != EIO))
			ret = -1;
		if (n > 0) {
			vm->held_len = n;
			if (vm->con_tty && memchr(vm->held, ESCAPE_CHAR, n)) {
				vm->held_len = 0;
				pthread_mutex_unlock(&vm->dev_lock);
				hvd_vm_end(vm, HVD_END_SIGNAL, 0,
					   "Ctrl-] on the console");
				return -1;
			}
		}
	}
	offer(vm);
	if (vm->held_len)
		ret = 1;
	pthread_mutex_unlock(&vm->dev_lock);
	return ret;
}

/**
 * hvd_console_accept() - the UART drained its FIFO (chr_accept)
 * @vm: the VM
 *
 * Called with vm->dev_lock held; the event loop offers the held input.
 */
void hvd_console_accept(struct hvd_vm *vm)
{
	if (!vm->held_len || vm->con_accept)
		return;
	vm->con_accept = true;
	hvd_loop_wake(vm);
}
