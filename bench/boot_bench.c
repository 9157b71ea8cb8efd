// SPDX-License-Identifier: GPL-2.0
/*
 * boot_bench: how long a VMM takes to boot Linux to its init, and what
 * the host pays for the VM in memory.
 *
 *   boot_bench NAME REPS MARKER -- VMM ARGS...
 *
 * Each run starts the VMM with its standard output on a pipe, reads until
 * MARKER appears (the guest's init wrote it on the serial console), and
 * then measures: the CLOCK_MONOTONIC time since the start (emulated
 * instructions under QEMU's -icount shift=0, see bench.mk), the VMM's
 * proportional set size (/proc/PID/smaps_rollup and the process's
 * children, for a VMM that forks), the resident part of its largest
 * mapping (guest RAM, for hvd's memfd and QEMU's anonymous RAM alike),
 * and how much the machine's used memory grew (MemTotal - MemFree: the
 * VMM, its kernel-side allocations, hv's or KVM's, and guest RAM). Then
 * it kills the VMM. One line per run on standard output:
 *
 *   boot NAME ns=T pss_kib=P ram_kib=R used_kib=U
 *
 * Exit status 1 if a run failed (the VMM ended or the marker never came
 * within 40 s), after the runs that worked.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * A boot takes about 8 s of qemu-svm's instruction clock. A nested guest
 * that hangs there (QEMU's TCG can deliver an injected interrupt twice,
 * see README; KVM's nested SVM has no workaround for it) keeps the
 * machine busy, and that clock runs at a few hundred million a second
 * of real time: 40 s of it (five boots) cost minutes already.
 */
#define WAIT_NS	(40ull * 1000000000ull)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* MemTotal - MemFree, in KiB. */
static long used_kib(void)
{
	long total = -1, free_kib = -1;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemTotal: %ld kB", &total);
		sscanf(line, "MemFree: %ld kB", &free_kib);
	}
	fclose(f);
	return total < 0 || free_kib < 0 ? -1 : total - free_kib;
}

/* Sum of Pss over @pid's mappings; the Rss of its largest into @ram. */
static long pss_kib(pid_t pid, long *ram)
{
	long pss = 0, size = 0, biggest = 0, v;
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Size: %ld kB", &v) == 1)
			size = v;
		else if (sscanf(line, "Rss: %ld kB", &v) == 1 && size > biggest) {
			biggest = size;
			*ram = v;
		} else if (sscanf(line, "Pss: %ld kB", &v) == 1) {
			pss += v;
		}
	}
	fclose(f);
	return pss;
}

/* Whether @marker is in what the VMM wrote, keeping a tail for the next. */
static bool seen(char *buf, size_t *len, const char *marker)
{
	size_t m = strlen(marker);

	if (memmem(buf, *len, marker, m))
		return true;
	if (*len >= m) {
		memmove(buf, buf + *len - (m - 1), m - 1);
		*len = m - 1;
	}
	return false;
}

static int run(const char *name, const char *marker, char **argv)
{
	char buf[8192];
	size_t len = 0;
	long used0, used1, pss, ram = 0;
	uint64_t t0, t1;
	int p[2], status;
	bool found = false;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	used0 = used_kib();
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while (!found && now_ns() - t0 < WAIT_NS) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = read(p[0], buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		found = seen(buf, &len, marker);
	}
	t1 = now_ns();
	used1 = used_kib();
	pss = pss_kib(pid, &ram);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(p[0]);
	if (!found) {
		fprintf(stderr, "boot_bench: %s: no '%s' from %s\n", name, marker,
			argv[0]);
		return -1;
	}
	printf("boot %s ns=%llu pss_kib=%ld ram_kib=%ld used_kib=%ld\n", name,
	       (unsigned long long)(t1 - t0), pss, ram, used1 - used0);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	int reps, i, ret = 0;

	if (argc < 6 || strcmp(argv[4], "--")) {
		fprintf(stderr,
			"usage: boot_bench NAME REPS MARKER -- VMM ARGS...\n");
		return 2;
	}
	reps = atoi(argv[2]);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < reps; i++)
		if (run(argv[1], argv[3], argv + 5))
			ret = 1;
	return ret;
}
