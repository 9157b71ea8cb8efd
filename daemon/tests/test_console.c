// SPDX-License-Identifier: GPL-2.0
/*
 * The serial console's output (worker/console.c): a line at a time, a
 * full buffer at once, an unfinished line after its timer, the rest when
 * the console closes.
 */
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "worker/worker.h"

/* What console.c calls elsewhere in the worker; not reached here. */
void hvd_vm_end(struct hvd_vm *vm, enum hvd_end end, int status,
		const char *reason)
{
	fail();
}

void hvd_loop_wake(struct hvd_vm *vm)
{
}

void hvd_control_send(const char *fmt, ...)
{
}

struct fixture {
	struct hvd_def def;
	struct hvd_vm vm;
	char path[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int fd;

	if (!f)
		return -1;
	strcpy(f->path, "/tmp/hvd-console-XXXXXX");
	fd = mkstemp(f->path);
	if (fd < 0)
		return -1;
	close(fd);
	hvd_def_init(&f->def);
	f->def.serial = HVD_SERIAL_FILE;
	strcpy(f->def.serial_path, f->path);
	f->vm.def = &f->def;
	pthread_mutex_init(&f->vm.dev_lock, NULL);
	if (hvd_timers_init(&f->vm) || hvd_console_open(&f->vm))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	hvd_console_close(&f->vm);
	hvd_timers_fini(&f->vm);
	unlink(f->path);
	free(f);
	return 0;
}

/* The file's contents, NUL-terminated, in a static buffer. */
static const char *file(struct fixture *f)
{
	static char buf[16384];
	FILE *in = fopen(f->path, "r");
	size_t n;

	assert_non_null(in);
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = 0;
	return buf;
}

static void put(struct fixture *f, const char *s)
{
	assert_int_equal(hvd_console_write(&f->vm, s, strlen(s)), strlen(s));
}

static void a_line_goes_out_when_it_ends(void **state)
{
	struct fixture *f = *state;

	put(f, "b");
	put(f, "oot");
	assert_string_equal(file(f), "");
	assert_int_equal(hvd_timers_armed(&f->vm), 1);
	put(f, ": ok\nnext");
	assert_string_equal(file(f), "boot: ok\nnext");
	assert_int_equal(hvd_timers_armed(&f->vm), 0);
}

static void an_unfinished_line_goes_out_after_its_timer(void **state)
{
	struct fixture *f = *state;
	struct pollfd p = { .fd = f->vm.timerfd, .events = POLLIN };

	put(f, "login: ");
	assert_string_equal(file(f), "");
	/* The timer fires 5 ms later; a second is room for a loaded host. */
	assert_int_equal(poll(&p, 1, 1000), 1);
	hvd_timers_run(&f->vm);
	assert_string_equal(file(f), "login: ");
	assert_int_equal(hvd_timers_armed(&f->vm), 0);
}

static void a_full_buffer_goes_out_at_once(void **state)
{
	struct fixture *f = *state;
	char big[5000];

	memset(big, 'x', sizeof(big));
	assert_int_equal(hvd_console_write(&f->vm, big, sizeof(big)),
			 sizeof(big));
	assert_int_equal(strlen(file(f)), sizeof(f->vm.out));
	hvd_console_close(&f->vm);
	assert_int_equal(strlen(file(f)), sizeof(big));
	/* teardown closes again: a closed console has nothing to write. */
}

static void a_null_console_takes_everything(void **state)
{
	struct hvd_def def;
	struct hvd_vm vm = { .def = &def };

	hvd_def_init(&def);
	def.serial = HVD_SERIAL_NULL;
	pthread_mutex_init(&vm.dev_lock, NULL);
	assert_int_equal(hvd_timers_init(&vm), 0);
	assert_int_equal(hvd_console_open(&vm), 0);
	assert_int_equal(hvd_console_write(&vm, "abc\n", 4), 4);
	assert_int_equal(hvd_timers_armed(&vm), 0);
	hvd_console_close(&vm);
	hvd_timers_fini(&vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_line_goes_out_when_it_ends,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			an_unfinished_line_goes_out_after_its_timer, setup,
			teardown),
		cmocka_unit_test_setup_teardown(a_full_buffer_goes_out_at_once,
						setup, teardown),
		cmocka_unit_test(a_null_console_takes_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
