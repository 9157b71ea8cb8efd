// SPDX-License-Identifier: GPL-2.0
/*
 * The worker's sandbox: what a guest that breaks into a device model
 * gets, which should be nothing.
 *
 * A worker does everything that needs a privilege or a path first: it
 * creates the VM (CAP_NET_ADMIN), reads the kernel and initrd, opens the
 * disks, the console, the tap and /dev/vhost-net, and creates the devices.
 * Then, before any vCPU runs a guest instruction, hvd_sandbox_enter()
 * confines it for good:
 *
 *  - root becomes nobody (65534); any other user (hvd's, under systemd)
 *    stays itself;
 *  - new user, mount, IPC and PID namespaces. The user namespace lets an
 *    unprivileged user make the others; the VM's operations need nothing
 *    but its owner socket, which the worker keeps (DESIGN rule 3);
 *  - the root directory becomes an empty, read-only tmpfs, so no path
 *    reaches any file: the definition's files are the descriptors already
 *    open;
 *  - the process that goes on is the PID namespace's init, forked for the
 *    purpose; the one that made the namespace stays outside as a relay
 *    (signals in, exit status out) with every descriptor closed;
 *  - no capabilities in any set, no_new_privs, not dumpable;
 *  - a seccomp filter that allows the system calls listed below (ioctl
 *    only for a few requests: the terminal's, and vhost-net's on its
 *    descriptor) and traps every other: the handler names the call on
 *    stderr and to the supervisor, then the worker dies of SIGSYS.
 *
 * A machine reset then cannot create a new VM in the same worker: the
 * worker ends with HVD_SANDBOX_RESTART and the process that started it
 * (hvd --run, or the supervisor's worker process) starts another.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/vhost.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "../log.h"
#include "worker.h"

#define NOBODY		65534
#define MAX_NR		512

/*
 * Every system call a confined worker makes: the event loop (epoll,
 * timerfd, signalfd, eventfd reads and writes), the vCPU threads (netlink
 * on the owner socket, futexes), the devices' I/O on the open disks and
 * getrandom(), memory allocation, and the way out.
 */
static const char *const allowed[] = {
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv",
	"pwritev", "preadv2", "pwritev2", "close", "fstat", "newfstatat",
	"lseek", "fcntl", "dup", "fsync", "fdatasync", "fallocate",
	"sendto", "recvfrom", "sendmsg", "recvmsg", "getsockopt",
	"setsockopt", "getsockname",
	"epoll_wait", "epoll_pwait", "epoll_ctl", "epoll_create1", "poll",
	"ppoll", "eventfd2", "timerfd_create", "timerfd_settime",
	"timerfd_gettime", "signalfd4",
	"futex", "clone", "set_robust_list", "rseq", "sched_yield",
	"sched_getaffinity", "gettid", "getpid", "getppid", "tgkill",
	"madvise", "mmap", "munmap", "mprotect", "mremap", "brk",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"clock_gettime", "clock_nanosleep", "nanosleep", "getrandom",
	"prctl", "exit", "exit_group", "restart_syscall", "memfd_create",
	"ftruncate", "io_uring_enter",
};

#define NR_ALLOWED (sizeof(allowed) / sizeof(allowed[0]))

static const char *names[MAX_NR];
static int sigsys_ctl = -1;
static char vm_name[HVD_NAME_MAX];

/* Async-signal-safe: append @s to @buf at *@n. */
static void put(char *buf, size_t len, size_t *n, const char *s)
{
	while (*s && *n < len)
		buf[(*n)++] = *s++;
}

static void put_num(char *buf, size_t len, size_t *n, unsigned int v)
{
	char d[12];
	int i = 0;

	do {
		d[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i && *n < len)
		buf[(*n)++] = d[--i];
}

/*
 * A call the filter does not allow: name it, then die of SIGSYS, so that
 * whoever waits for the worker sees it was killed and why.
 */
static void on_sigsys(int sig, siginfo_t *si, void *uctx)
{
	char msg[256];
	size_t n = 0;
	int nr = si->si_syscall;
	const char *name = nr >= 0 && nr < MAX_NR && names[nr] ? names[nr] :
								  "unknown";

	put(msg, sizeof(msg), &n, "hvd: vm ");
	put(msg, sizeof(msg), &n, vm_name);
	put(msg, sizeof(msg), &n,
	    ": the sandbox killed the worker: forbidden system call ");
	put(msg, sizeof(msg), &n, name);
	put(msg, sizeof(msg), &n, " (");
	put_num(msg, sizeof(msg), &n, nr);
	put(msg, sizeof(msg), &n, ")\n");
	if (write(2, msg, n) < 0)
		n = 0;
	if (sigsys_ctl >= 0) {
		n = 0;
		put(msg, sizeof(msg), &n,
		    "end crashed the sandbox killed the worker: forbidden system call ");
		put(msg, sizeof(msg), &n, name);
		if (send(sigsys_ctl, msg, n, MSG_NOSIGNAL) < 0)
			n = 0;
	}
	/*
	 * The init of a PID namespace ignores a signal it sends itself, so
	 * the filter's one killing rule does it (as the kernel would).
	 */
	syscall(SYS_tkill, 0, SIGSYS);
}

static void on_blocked(int sig)
{
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -errno : 0;
}

/**
 * hvd_sandbox_wait() - wait for @child, passing it SIGINT, SIGTERM and
 *	SIGUSR1 (which the caller has blocked, as hvd does in every thread)
 * @child: the process
 * @stop: set if SIGINT or SIGTERM came (may be NULL)
 *
 * Return: its wait status.
 */
int hvd_sandbox_wait(pid_t child, bool *stop)
{
	siginfo_t si;
	sigset_t set;
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	for (;;) {
		if (sigwaitinfo(&set, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			kill(child, si.si_signo);
			if (stop && si.si_signo != SIGUSR1)
				*stop = true;
		} else if (waitpid(child, &status, WNOHANG) == child) {
			return status;
		}
	}
}

/* Outside the namespaces: pass signals in and the exit status out. */
static void __attribute__((noreturn)) relay(pid_t child)
{
	sigset_t set;
	int status;

	closefrom(3);
	status = hvd_sandbox_wait(child, NULL);
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	/* Die of the same signal, without a core of our own. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(WTERMSIG(status), SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, WTERMSIG(status));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), WTERMSIG(status));
	_exit(128 + WTERMSIG(status));
}

/* The worker must not outlive whoever waits for it. */
static int die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0))
		return -errno;
	return getppid() == parent ? 0 : -ESRCH;
}

/* An empty, read-only tmpfs as the root directory (pivot_root(2)). */
static int empty_root(char *why, size_t len)
{
	static const char *const mnt[] = { "/tmp", "/run", "/mnt", "/dev" };
	unsigned int i;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		hvd_setf(why, len, "sandbox: private mounts: %s",
			 strerror(errno));
		return -errno;
	}
	for (i = 0; i < sizeof(mnt) / sizeof(mnt[0]); i++)
		if (!mount("hvd", mnt[i], "tmpfs", MS_NOSUID | MS_NODEV |
			   MS_NOEXEC, "size=4k,mode=0555"))
			break;
	if (i == sizeof(mnt) / sizeof(mnt[0]) || chdir(mnt[i]))
		goto fail;
	/*
	 * pivot_root() refuses a root on the initial ramfs (the test
	 * machines'): there, move the tmpfs over it and chroot, as
	 * switch_root does. Without CAP_SYS_CHROOT, which goes below, no
	 * way leads out of either.
	 */
	if (syscall(SYS_pivot_root, ".", ".")) {
		if (errno != EINVAL || mount(".", "/", NULL, MS_MOVE, NULL) ||
		    chroot("."))
			goto fail;
	} else if (umount2(".", MNT_DETACH)) {
		goto fail;
	}
	if (chdir("/") ||
	    mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID |
		  MS_NODEV | MS_NOEXEC, NULL)) {
fail:
		hvd_setf(why, len, "sandbox: an empty root: %s",
			 strerror(errno));
		return -errno;
	}
	return 0;
}

static int drop_capabilities(char *why, size_t len)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { 0 };
	int cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			break;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) ||
	    syscall(SYS_capset, &h, d) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) {
		hvd_setf(why, len, "sandbox: dropping capabilities: %s",
			 strerror(errno));
		return -errno;
	}
	return 0;
}

static int load_filter(struct hvd_vm *vm, char *why, size_t len)
{
	static const unsigned long tty[] = { TCGETS, TCSETS, TCSETSW,
					     TCSETSF, TIOCGWINSZ };
	/* What worker/vhost.c asks of vhost-net once confined. */
	static const unsigned long vhost[] = {
		VHOST_SET_OWNER, VHOST_SET_FEATURES, VHOST_SET_MEM_TABLE,
		VHOST_SET_VRING_NUM, VHOST_SET_VRING_BASE,
		VHOST_GET_VRING_BASE, VHOST_SET_VRING_ADDR,
		VHOST_SET_VRING_KICK, VHOST_SET_VRING_CALL,
		VHOST_SET_VRING_ERR, VHOST_NET_SET_BACKEND,
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	unsigned int i;
	int err = ctx ? 0 : -ENOMEM;

	for (i = 0; !err && i < NR_ALLOWED; i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				       seccomp_syscall_resolve_name(allowed[i]),
				       0);
	/* The terminal's mode, restored at the end of a foreground run. */
	for (i = 0; !err && i < sizeof(tty) / sizeof(tty[0]); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				       SCMP_A1(SCMP_CMP_EQ, tty[i]));
	/* Those on vhost-net's descriptor only. */
	for (i = 0; !err && vm->vhost.fd >= 0 &&
	     i < sizeof(vhost) / sizeof(vhost[0]); i++)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
				       SCMP_A0(SCMP_CMP_EQ, vm->vhost.fd),
				       SCMP_A1(SCMP_CMP_EQ, vhost[i]));
	/* The SIGSYS handler's way out, a call nothing else makes. */
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS,
				       SCMP_SYS(tkill), 0);
	/* glibc falls back to clone(), whose flags the filter can see. */
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
				       SCMP_SYS(clone3), 0);
	if (!err)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	if (err)
		hvd_setf(why, len, "sandbox: seccomp: %s", strerror(-err));
	return err;
}

/**
 * hvd_sandbox_enter() - confine the worker for the rest of its life
 * @vm: the VM, created, its devices too, no vCPU started
 * @why: receives the reason for a failure
 * @len: size of @why
 *
 * Returns in a new process, the init of the new PID namespace; the
 * process that called it stays outside and relays until that one ends.
 *
 * Return: 0 or a negative errno.
 */
int hvd_sandbox_enter(struct hvd_vm *vm, char *why, size_t len)
{
	struct sigaction sa = { .sa_flags = 0 };
	char map[64];
	pid_t pid, parent;
	uid_t uid;
	gid_t gid;
	int nr, err;

	parent = getppid();
	snprintf(vm_name, sizeof(vm_name), "%s", vm->def->name);
	for (nr = 0; nr < MAX_NR; nr++)
		names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
							     nr);
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	     setresuid(NOBODY, NOBODY, NOBODY))) {
		hvd_setf(why, len, "sandbox: becoming nobody: %s",
			 strerror(errno));
		return -errno;
	}
	/* Changing user made /proc/self root's; the maps below need it. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	/* And cleared the parent-death signal, if there was one. */
	err = die_with_parent(parent);
	if (err) {
		hvd_setf(why, len, "sandbox: hvd is gone");
		return err;
	}
	uid = geteuid();
	gid = getegid();
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC |
		    CLONE_NEWPID)) {
		err = -errno;
		hvd_setf(why, len,
			 "sandbox: new namespaces: %s (are unprivileged user namespaces off? sandbox = no runs without)",
			 strerror(errno));
		return err;
	}
	snprintf(map, sizeof(map), "0 %u 1\n", uid);
	err = write_file("/proc/self/uid_map", map);
	if (!err)
		err = write_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1\n", gid);
	if (!err)
		err = write_file("/proc/self/gid_map", map);
	if (err) {
		hvd_setf(why, len, "sandbox: user namespace map: %s",
			 strerror(-err));
		return err;
	}
	/*
	 * The init of a PID namespace gets from outside only the signals
	 * it handles, and one sent before it handles them is lost: so it
	 * is born handling them (they stay blocked for the event loop's
	 * signalfd, and the relay takes them with sigwaitinfo()).
	 */
	sa.sa_handler = on_blocked;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		hvd_setf(why, len, "sandbox: fork: %s", strerror(errno));
		return err;
	}
	if (pid > 0)
		relay(pid);
	/*
	 * The relay is outside this namespace (getppid() says 0), so the
	 * check die_with_parent() makes is not possible: a relay killed in
	 * the few instructions before this leaves the worker to end on its
	 * own.
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_sigsys;
	sigaction(SIGSYS, &sa, NULL);
	err = empty_root(why, len);
	if (!err)
		err = drop_capabilities(why, len);
	if (!err)
		err = load_filter(vm, why, len);
	if (err)
		return err;
	sigsys_ctl = hvd_control_fd;
	/* ioctl counts once, for the terminal's and vhost-net's requests. */
	snprintf(map, sizeof(map), "%zu", NR_ALLOWED + 1);
	hvd_info("vm %s: sandbox: user %u, no capabilities, namespaces user mnt pid ipc, empty root, seccomp %s calls",
		 vm->def->name, uid, map);
	hvd_control_send("sandbox user %u, no capabilities, namespaces user mnt pid ipc, empty root, seccomp %s calls",
			 uid, map);
	/* For the selftests: what a device model broken into would try. */
	if (getenv("HVD_TEST_FORBIDDEN_CALL"))
		socket(AF_INET, SOCK_STREAM, 0);
	return 0;
}
