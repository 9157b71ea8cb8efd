// SPDX-License-Identifier: GPL-2.0
/*
 * hvd: hv's daemon. Without --run it is the supervisor that systemd runs
 * (super/): it serves hvctl on /run/hvd/hvd.sock and runs each VM of
 * /etc/hv/vms in a worker process of its own (`hvd --worker FILE`, which
 * it starts; not for people). `hvd --run DEFINITION` runs one VM in the
 * foreground with its serial console on stdio and exits with the guest's
 * status, as `qemu-system-x86_64 -kernel ... -nographic` users expect:
 *   0          the guest powered off (or rebooted with on-reboot = stop)
 *   odd        the guest wrote v to isa-debug-exit: (v << 1) | 1
 *   2          the VM could not start (the reason on stderr)
 *   4          the VM crashed or hvd failed while it ran (the reason on
 *              stderr)
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "defs.h"
#include "log.h"
#include "super/super.h"
#include "worker/worker.h"

#define EXIT_START_FAILED 2
#define EXIT_CRASHED 4

#define DEFS_DIR	"/etc/hv/vms"
#define SOCKET_PATH	"/run/hvd/hvd.sock"
/* The control socket the supervisor gives a worker. */
#define WORKER_CTL_FD	3

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hvd [--config-dir DIR] [--socket PATH]\n"
		"       hvd --run DEFINITION [--set KEY=VALUE]...\n"
		"  (no --run)        the supervisor: serve hvctl, run the VMs of DIR\n"
		"  --config-dir DIR  VM definitions (default " DEFS_DIR ")\n"
		"  --socket PATH     hvctl's socket, unless systemd passes one\n"
		"                    (default " SOCKET_PATH ")\n"
		"  --run FILE        run the VM FILE defines in the foreground, console on stdio\n"
		"  --set KEY=VALUE   override a key of the definition\n"
		"  --log-level N     0-7 (syslog levels; default 6)\n"
		"  --version         print the version\n");
}

static int run_vm(const struct hvd_def *d, bool worker);

/* The sandboxed run's exit status, or minus the signal that killed it. */
static int wait_worker(pid_t pid, bool *stop)
{
	int status = hvd_sandbox_wait(pid, stop);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/*
 * The sandbox (worker/sandbox.c): each run of the VM in a process of its
 * own, which confines itself; this one stays as it was, to start the
 * next run after a machine reset.
 */
static int monitor(const struct hvd_def *def, bool worker)
{
	pid_t pid, parent = getpid();
	bool tty, stop = false;
	struct termios tio;
	int code;

	/* A worker killed in raw mode leaves the terminal to us to restore. */
	tty = !worker && isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &tio);
	for (;;) {
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "hvd: vm %s: fork: %s\n", def->name,
				strerror(errno));
			hvd_control_send("end failed fork: %s", strerror(errno));
			return EXIT_START_FAILED;
		}
		if (pid == 0) {
			/* Not past this process, whoever kills it. */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) ||
			    getppid() != parent)
				_exit(EXIT_CRASHED);
			_exit(run_vm(def, worker));
		}
		code = wait_worker(pid, &stop);
		if (tty)
			tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		/* A stop asked for during a restart ends it, as without. */
		if (code == HVD_SANDBOX_RESTART && !stop)
			continue;
		if (code == HVD_SANDBOX_RESTART)
			return 0;
		if (code >= 0)
			return code;
		/* A forbidden call was reported by the worker already. */
		if (-code != SIGSYS) {
			fprintf(stderr, "hvd: vm %s crashed: the worker died of SIG%s\n",
				def->name, sigabbrev_np(-code) ?: "?");
			hvd_control_send("end crashed the worker died of SIG%s",
					 sigabbrev_np(-code) ?: "?");
		}
		return EXIT_CRASHED;
	}
}

static int run(const char *path, char **sets, int nr_sets, bool worker)
{
	struct hvd_def def;
	char why[512];
	int i;

	if (hvd_def_load(path, &def, why, sizeof(why))) {
		fprintf(stderr, "hvd: definition %s\n", why);
		hvd_control_send("end failed definition %s", why);
		return EXIT_START_FAILED;
	}
	for (i = 0; i < nr_sets; i++) {
		char *eq = strchr(sets[i], '=');

		if (!eq) {
			fprintf(stderr, "hvd: --set %s: expected KEY=VALUE\n",
				sets[i]);
			return EXIT_START_FAILED;
		}
		*eq = '\0';
		if (hvd_def_set(&def, sets[i], eq + 1, why, sizeof(why))) {
			fprintf(stderr, "hvd: --set: %s\n", why);
			return EXIT_START_FAILED;
		}
	}
	if (hvd_def_check(&def, why, sizeof(why))) {
		fprintf(stderr, "hvd: definition %s: %s\n", path, why);
		hvd_control_send("end failed definition %s: %s", path, why);
		return EXIT_START_FAILED;
	}
	/* A worker's stdin is /dev/null: its console is a pty at most. */
	if (def.serial == HVD_SERIAL_PTY && !worker)
		def.serial = HVD_SERIAL_STDIO;
	else if (def.serial == HVD_SERIAL_STDIO && worker)
		def.serial = HVD_SERIAL_PTY;
	if (def.sandbox)
		return monitor(&def, worker);
	return run_vm(&def, worker);
}

/*
 * Run the VM in this process: the exit status of hvd --run (0, odd, 2 or
 * 4), or HVD_SANDBOX_RESTART from a sandboxed worker whose guest reset
 * the machine with on-reboot = restart.
 */
static int run_vm(const struct hvd_def *d, bool worker)
{
	enum hvd_end end = HVD_END_NONE;
	struct hvd_def def = *d;
	char reason[512];
	int status = 0;

	if (hvd_vm_run(&def, &end, &status, reason, sizeof(reason))) {
		fprintf(stderr, "hvd: vm %s: %s\n", def.name, reason);
		hvd_control_send("end failed %s", reason);
		return EXIT_START_FAILED;
	}
	switch (end) {
	case HVD_END_EXIT:
		/* isa-debug-exit already made it (v << 1) | 1. */
		hvd_control_send("end stopped %s, status %d", reason,
				 status & 0xff);
		return status & 0xff;
	case HVD_END_RESET:
		if (def.sandbox && def.on_reboot == HVD_REBOOT_RESTART) {
			hvd_info("vm %s: %s: restarting", def.name, reason);
			return HVD_SANDBOX_RESTART;
		}
		/* fall through */
	case HVD_END_POWEROFF:
	case HVD_END_SIGNAL:
		hvd_info("vm %s: %s", def.name, reason);
		hvd_control_send("end stopped %s", reason);
		return 0;
	default:
		fprintf(stderr, "hvd: vm %s crashed: %s\n", def.name, reason);
		hvd_control_send("end crashed %s", reason);
		return EXIT_CRASHED;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "run", required_argument, NULL, 'r' },
		{ "worker", no_argument, NULL, 'w' },
		{ "config-dir", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 'S' },
		{ "set", required_argument, NULL, 's' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *def = NULL, *defs_dir = DEFS_DIR, *sock = SOCKET_PATH;
	bool worker = false;
	char **sets;
	int c, nr_sets = 0;
	sigset_t mask;

	hvd_log_init("hvd");
	sets = calloc(argc, sizeof(*sets));
	if (!sets)
		return EXIT_START_FAILED;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			def = optarg;
			break;
		case 's':
			sets[nr_sets++] = optarg;
			break;
		case 'w':
			worker = true;
			break;
		case 'c':
			defs_dir = optarg;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'l':
			if (optarg[0] < '0' || optarg[0] > '7' || optarg[1]) {
				fprintf(stderr,
					"hvd: --log-level takes 0 to 7, not '%s'\n",
					optarg);
				return EXIT_START_FAILED;
			}
			hvd_log_level = optarg[0] - '0';
			break;
		case 'V':
			printf("hvd %s\n", HV_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_START_FAILED;
		}
	}
	if (worker && optind == argc - 1 && !def)
		def = argv[optind++];
	if (optind < argc || (worker && !def)) {
		usage(stderr);
		return EXIT_START_FAILED;
	}
	/* sd-event takes these through a signalfd: no thread may get them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGCHLD);
	/* The supervisor reads its definitions again at SIGHUP. */
	if (!def)
		sigaddset(&mask, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (worker) {
		struct stat st;

		if (fstat(WORKER_CTL_FD, &st) || !S_ISSOCK(st.st_mode)) {
			fprintf(stderr,
				"hvd: --worker is for hvd's supervisor, which passes it a control socket as fd %d\n",
				WORKER_CTL_FD);
			return EXIT_START_FAILED;
		}
		hvd_control_fd = WORKER_CTL_FD;
		hvd_log_init("hvd-worker");
	}
	if (def)
		c = run(def, sets, nr_sets, worker);
	else
		c = hvd_super_run(defs_dir, sock, hvd_log_level) ?
		    EXIT_START_FAILED : 0;
	free(sets);
	return c;
}
