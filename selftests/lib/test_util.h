/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by hv's selftests: reading /proc and /sys files, finding
 * words in /proc/cpuinfo lines, running programs with captured output.
 */
#ifndef HV_TEST_UTIL_H
#define HV_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where the test machines install hvctl and the module. */
#define HVCTL_PATH	"/usr/bin/hvctl"
#define HV_KO_PATH	"/lib/modules/hv.ko"

/*
 * TEST_HARNESS_MAIN for tests that need the module: without it they skip
 * as a whole (the 6.1 harness would still run a test body after a SKIP in
 * its fixture setup). The test machines count any skip as a failure.
 */
#define HV_TEST_HARNESS_MAIN						\
	int main(int argc, char **argv)					\
	{								\
		hv_test_require_module();				\
		return test_harness_run(argc, argv);			\
	}

void hv_test_require_module(void);
char *read_text(const char *path);
int write_text(const char *path, const char *text);
char *cpuinfo_line(const char *key);
bool has_word(const char *line, const char *word);
bool file_contains(const char *path, const char *needle);
int run_capture(char *const argv[], uid_t uid, char **out, char **err);
char *kmsg_read_all(void);

#endif /* HV_TEST_UTIL_H */
