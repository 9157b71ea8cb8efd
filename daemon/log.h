/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvd's log: one line per message on stderr, with an sd-daemon priority
 * prefix ("<4>") when the journal reads it, "hvd: " otherwise.
 */
#ifndef HVD_LOG_H
#define HVD_LOG_H

#include <stdarg.h>
#include <stddef.h>

#include "devmodel.h"

void hvd_log_init(const char *tag);
void hvd_vlog(int prio, const char *fmt, va_list ap);
void hvd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void hvd_setf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define hvd_err(...)	hvd_log(HVD_LOG_ERR, __VA_ARGS__)
#define hvd_warn(...)	hvd_log(HVD_LOG_WARNING, __VA_ARGS__)
#define hvd_info(...)	hvd_log(HVD_LOG_INFO, __VA_ARGS__)
#define hvd_debug(...)	hvd_log(HVD_LOG_DEBUG, __VA_ARGS__)

extern int hvd_log_level;

#endif /* HVD_LOG_H */
