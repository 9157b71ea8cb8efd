// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by hv's selftests. They return NULL or a negative errno on
 * failure and leave asserting to the tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libhv.h"
#include "test_util.h"

/* Exit with KSFT_SKIP, in TAP, unless the hv family can be opened. */
void hv_test_require_module(void)
{
	struct hv *h;
	int err = hv_open(&h);

	if (!err) {
		hv_close(h);
		return;
	}
	printf("TAP version 13\n1..0 # SKIP the hv family cannot be opened: %s\n",
	       strerror(-err));
	exit(4);	/* KSFT_SKIP */
}

static char *read_fd(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	ssize_t n;

	if (!buf)
		return NULL;
	for (;;) {
		if (len == cap) {
			char *bigger = realloc(buf, 2 * cap + 1);

			if (!bigger) {
				free(buf);
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return buf;
}

/* The whole file as a string, or NULL. */
char *read_text(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text;

	if (fd < 0)
		return NULL;
	text = read_fd(fd);
	close(fd);
	return text;
}

/* Write @text in one write(); 0 or -errno (sysfs reports errors so). */
int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

/* The first "key\t: value" line of /proc/cpuinfo, value only; or NULL. */
char *cpuinfo_line(const char *key)
{
	char *text = read_text("/proc/cpuinfo");
	char *line, *save = NULL, *found = NULL;
	size_t klen = strlen(key);

	if (!text)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');

		if (!colon || strncmp(line, key, klen) ||
		    strspn(line + klen, " \t") != (size_t)(colon - line - klen))
			continue;
		found = strdup(colon + 1);
		break;
	}
	free(text);
	return found;
}

/* @word appears in @line as a whole space-separated word. */
bool has_word(const char *line, const char *word)
{
	size_t n = strlen(word);
	const char *p = line;

	while ((p = strstr(p, word))) {
		bool start = p == line || p[-1] == ' ' || p[-1] == '\t';
		bool end = p[n] == '\0' || p[n] == ' ' || p[n] == '\n';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

bool file_contains(const char *path, const char *needle)
{
	char *text = read_text(path);
	bool found = text && strstr(text, needle);

	free(text);
	return found;
}

/*
 * Run @argv as @uid (uid -1: unchanged) with stdout and stderr captured.
 * Returns the exit status, or -1 if it did not exit normally.
 */
int run_capture(char *const argv[], uid_t uid, char **out, char **err)
{
	int po[2], pe[2], status;
	pid_t pid;

	if (pipe(po) || pipe(pe))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (uid != (uid_t)-1 && (setgid(uid) || setuid(uid)))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	/* Outputs are small; read them in turn after the child is done. */
	*out = read_fd(po[0]);
	*err = read_fd(pe[0]);
	close(po[0]);
	close(pe[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Every record in the kernel log, message text only, one per line. */
char *kmsg_read_all(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	size_t len = 0, cap = 1 << 16;
	char *all = malloc(cap), rec[8192];
	ssize_t n;

	if (fd < 0 || !all) {
		free(all);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	all[0] = '\0';
	/* Each read() returns one record: "prio,seq,usec,flags;text\n". */
	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		char *text;
		size_t tl;

		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: skip ahead */
		if (n < 0)
			break;		/* EAGAIN: no more records */
		rec[n] = '\0';
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		tl = strcspn(text, "\n");
		if (len + tl + 2 > cap) {
			char *bigger = realloc(all, 2 * cap + tl);

			if (!bigger)
				break;
			all = bigger;
			cap = 2 * cap + tl;
		}
		memcpy(all + len, text, tl);
		len += tl;
		all[len++] = '\n';
		all[len] = '\0';
	}
	close(fd);
	return all;
}
