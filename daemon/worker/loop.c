// SPDX-License-Identifier: GPL-2.0
/*
 * The worker's event loop (sd-event): the models' timerfd and watched
 * eventfds, console input,
 * the module's notices (a crash of the VM), the supervisor's control
 * socket, and requests from the models and vCPU threads through an eventfd; SIGINT and SIGTERM end the run,
 * SIGUSR1 logs the vCPUs' state.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "../log.h"
#include "libhv.h"
#include "worker.h"

/**
 * hvd_loop_wake() - make the event loop look at the VM's state
 * @vm: the VM
 */
void hvd_loop_wake(struct hvd_vm *vm)
{
	uint64_t one = 1;

	if (write(vm->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		hvd_warn("vm %s: cannot wake the event loop: %s", vm->def->name,
			 strerror(errno));
}

static int on_timer(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	hvd_timers_run(arg);
	return 0;
}

static int on_devices(sd_event_source *s, int fd, uint32_t revents,
		      void *arg)
{
	hvd_notify_run(arg);
	return 0;
}

static int on_console(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct hvd_vm *vm = arg;

	if (hvd_console_input(vm))
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
	return 0;
}

static void check_end(struct hvd_vm *vm)
{
	if (__atomic_load_n(&vm->end, __ATOMIC_ACQUIRE) != HVD_END_NONE)
		sd_event_exit(vm->event, 0);
}

static int on_control(sd_event_source *s, int fd, uint32_t revents,
		      void *arg)
{
	struct hvd_vm *vm = arg;

	if (hvd_control_input(vm))
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
	check_end(vm);
	return 0;
}

static int on_wake(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct hvd_vm *vm = arg;
	uint64_t cnt;

	if (read(fd, &cnt, sizeof(cnt)) < 0 && errno != EAGAIN)
		return 0;
	if (vm->con_accept && vm->con_src && hvd_console_input(vm) == 0)
		sd_event_source_set_enabled(vm->con_src, SD_EVENT_ON);
	check_end(vm);
	return 0;
}

static int on_notice(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct hvd_vm *vm = arg;
	struct hv_message ev;

	while (!hv_next_message(vm->notices, &ev, 0)) {
		if (ev.cmd != HV_CMD_NOTICE || ev.vm != vm->id ||
		    ev.notice != HV_NOTICE_CRASHED)
			continue;
		hvd_vm_dump(vm);
		/* A PC's chipset resets the machine on a shutdown cycle. */
		if (!strncmp(ev.reason_text, "triple fault", 12))
			hvd_vm_end(vm, HVD_END_RESET, 0, ev.reason_text);
		else
			hvd_vm_end(vm, HVD_END_CRASH, 0, ev.reason_text);
	}
	check_end(vm);
	return 0;
}

static int on_usr1(sd_event_source *s, const struct signalfd_siginfo *si,
		   void *arg)
{
	hvd_vm_dump(arg);
	return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si,
		     void *arg)
{
	struct hvd_vm *vm = arg;

	hvd_vm_end(vm, HVD_END_SIGNAL, 0, strsignal(si->ssi_signo));
	check_end(vm);
	return 0;
}

/**
 * hvd_loop_run() - run the event loop until the VM's run ends
 * @vm: the VM, its vCPUs started
 *
 * SIGINT and SIGTERM must be blocked in every thread (hvd.c does it).
 *
 * Return: 0 or a negative errno.
 */
int hvd_loop_run(struct hvd_vm *vm)
{
	sd_event *e = NULL;
	int err;

	err = sd_event_new(&e);
	if (err < 0)
		return err;
	vm->event = e;
	err = sd_event_add_io(e, NULL, vm->timerfd, EPOLLIN, on_timer, vm);
	if (err >= 0)
		err = sd_event_add_io(e, NULL, vm->wake_fd, EPOLLIN, on_wake,
				      vm);
	if (err >= 0)
		err = sd_event_add_io(e, NULL, hv_fd(vm->notices), EPOLLIN,
				      on_notice, vm);
	if (err >= 0)
		err = sd_event_add_io(e, NULL, vm->watch_fd, EPOLLIN, on_devices,
				      vm);
	if (err >= 0 && vm->con_in >= 0) {
		err = sd_event_add_io(e, &vm->con_src, vm->con_in, EPOLLIN,
				      on_console, vm);
		/* A regular file or /dev/null as stdin: no input. */
		if (err == -EPERM)
			err = 0;
	}
	if (err >= 0 && hvd_control_fd >= 0)
		err = sd_event_add_io(e, NULL, hvd_control_fd, EPOLLIN,
				      on_control, vm);
	if (err >= 0)
		err = sd_event_add_signal(e, NULL, SIGINT, on_signal, vm);
	if (err >= 0)
		err = sd_event_add_signal(e, NULL, SIGTERM, on_signal, vm);
	if (err >= 0)
		err = sd_event_add_signal(e, NULL, SIGUSR1, on_usr1, vm);
	if (err >= 0) {
		/* A request may have come before the loop existed. */
		check_end(vm);
		err = sd_event_loop(e);
	}
	vm->con_src = sd_event_source_unref(vm->con_src);
	vm->event = NULL;
	sd_event_unref(e);
	return err < 0 ? err : 0;
}
