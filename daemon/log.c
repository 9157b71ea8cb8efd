// SPDX-License-Identifier: GPL-2.0
/* hvd's log lines (log.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int hvd_log_level = HVD_LOG_INFO;
static int journal;
static char log_tag[64] = "hvd";

/**
 * hvd_log_init() - choose the format of log lines
 * @tag: what each line starts with outside the journal ("hvd", "hvd[vm1]")
 *
 * Under systemd, stderr is a journal stream (JOURNAL_STREAM names it) and
 * takes sd-daemon priority prefixes; on a terminal, lines carry the tag.
 */
void hvd_log_init(const char *tag)
{
	const char *lvl = getenv("HVD_LOG_LEVEL");

	journal = getenv("JOURNAL_STREAM") != NULL;
	snprintf(log_tag, sizeof(log_tag), "%s", tag);
	if (lvl && *lvl >= '0' && *lvl <= '7')
		hvd_log_level = *lvl - '0';
}

/**
 * hvd_vlog() - log a line
 * @prio: HVD_LOG_*
 * @fmt: printf format
 * @ap: its arguments
 */
void hvd_vlog(int prio, const char *fmt, va_list ap)
{
	char buf[2048];

	if (prio > hvd_log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (journal)
		fprintf(stderr, "<%d>%s\n", prio, buf);
	else
		fprintf(stderr, "%s: %s\n", log_tag, buf);
}

/**
 * hvd_log() - log a line
 * @prio: HVD_LOG_*
 * @fmt: printf format
 */
void hvd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hvd_vlog(prio, fmt, ap);
	va_end(ap);
}

/**
 * hvd_setf() - format a reason into a caller's buffer
 * @buf: the buffer
 * @len: its size
 * @fmt: the format
 */
void hvd_setf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}
