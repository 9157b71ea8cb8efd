// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of hvctl's commands on hvd's VMs against a fake hvd: a thread
 * that answers one request on a socket of its own with a canned reply.
 * Checks exactly what hvctl sends, what it prints, and which of the two
 * (hvd or the module) a command reaches.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_libhv.h"
#include "run_hvctl.h"

static char dir[64], sock[96];

struct fake_hvd {
	int listener;
	const char *reply;
	char request[4096];
	pthread_t thread;
};

static void *serve(void *arg)
{
	struct fake_hvd *h = arg;
	int c = accept(h->listener, NULL, NULL);
	ssize_t n;

	if (c < 0)
		return NULL;
	n = recv(c, h->request, sizeof(h->request) - 1, 0);
	h->request[n > 0 ? n : 0] = '\0';
	send(c, h->reply, strlen(h->reply), MSG_NOSIGNAL);
	close(c);
	return NULL;
}

/* A fake hvd that answers one request with @reply. */
static void start(struct fake_hvd *h, const char *reply)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(h, 0, sizeof(*h));
	h->reply = reply;
	strcpy(sa.sun_path, sock);
	unlink(sock);
	h->listener = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	assert_true(h->listener >= 0);
	assert_int_equal(0, bind(h->listener, (struct sockaddr *)&sa,
				 sizeof(sa)));
	assert_int_equal(0, listen(h->listener, 1));
	assert_int_equal(0, pthread_create(&h->thread, NULL, serve, h));
}

static void stop(struct fake_hvd *h)
{
	pthread_join(h->thread, NULL);
	close(h->listener);
	unlink(sock);
}

static int setup(void **state)
{
	fake_reset();
	snprintf(dir, sizeof(dir), "/tmp/hvctl-hvd-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/hvd.sock", dir);
	setenv("HVD_SOCKET", sock, 1);
	return 0;
}

static int teardown(void **state)
{
	unlink(sock);
	rmdir(dir);
	return 0;
}

static void list_asks_hvd_and_prints_a_table(void **state)
{
	struct fake_hvd h;
	struct run r;

	start(&h, "{\"ok\":true,\"vms\":[{\"name\":\"web\",\"state\":\"crashed\","
		  "\"reason\":\"the worker was killed by SIGKILL\",\"pid\":0,"
		  "\"vcpus\":2,\"memory\":268435456,\"autostart\":true}]}");
	r = RUN("vm", "list");
	stop(&h);
	assert_string_equal("{\"op\":\"list\"}", h.request);
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"NAME                 STATE    VCPUS      MEM AUTOSTART REASON\n"
		"web                  crashed      2     256M yes       the worker was killed by SIGKILL\n",
		r.out);
	assert_string_equal("", r.err);
	free_run(&r);
	assert_int_equal(0, fake.opened);
}

static void create_sends_the_definition(void **state)
{
	struct fake_hvd h;
	struct run r;

	start(&h, "{\"ok\":true}");
	r = RUN("vm", "create", "web", "--kernel", "/boot/vmlinuz", "--vcpus",
		"2", "--mem", "256M", "--serial", "null", "--autostart");
	stop(&h);
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal(
		"{\"op\":\"create\",\"name\":\"web\",\"definition\":{"
		"\"kernel\":\"\\/boot\\/vmlinuz\",\"vcpus\":\"2\","
		"\"memory\":\"256M\",\"serial\":\"null\",\"autostart\":\"yes\"}}",
		h.request);
	free_run(&r);
}

static void show_prints_the_worker_state(void **state)
{
	struct fake_hvd h;
	struct run r;

	start(&h, "{\"ok\":true,\"vm\":{\"name\":\"web\",\"state\":\"running\","
		  "\"reason\":\"\",\"pid\":77,\"vcpus\":1,\"memory\":134217728,"
		  "\"autostart\":false,\"console\":\"/dev/pts/3\","
		  "\"sandbox\":\"user 65534\","
		  "\"net\":\"tap hvtap0, vhost-net\",\"restarts\":0,"
		  "\"file\":\"/etc/hv/vms/web.conf\",\"definition\":{"
		  "\"net\":\"tap:hvtap0\"}}}");
	r = RUN("vm", "show", "web");
	stop(&h);
	assert_int_equal(HVCTL_OK, r.code);
	assert_string_equal("name:      web\n"
			    "state:     running\n"
			    "worker:    77\n"
			    "console:   /dev/pts/3\n"
			    "sandbox:   user 65534\n"
			    "net:       tap hvtap0, vhost-net\n"
			    "restarts:  0\n"
			    "file:      /etc/hv/vms/web.conf\n"
			    "net        tap:hvtap0\n",
			    r.out);
	free_run(&r);
}

static void hvd_failures_name_hvd(void **state)
{
	struct fake_hvd h;
	struct run r;

	start(&h, "{\"ok\":false,\"error\":\"no VM named 'web'\",\"errno\":2}");
	r = RUN("vm", "start", "web");
	stop(&h);
	assert_string_equal("{\"op\":\"start\",\"name\":\"web\"}", h.request);
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal(
		"hvctl: vm start: hvd: no VM named 'web': No such file or directory\n",
		r.err);
	free_run(&r);

	start(&h, "[]");
	r = RUN("vm", "pause", "web");
	stop(&h);
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal(
		"hvctl: vm pause: hvd: the reply is not a JSON object: Protocol error\n",
		r.err);
	free_run(&r);
}

static void without_hvd_says_how_to_start_it(void **state)
{
	struct run r;

	r = RUN("vm", "stop", "web");
	assert_int_equal(HVCTL_FAIL, r.code);
	assert_string_equal(
		"hvctl: vm stop: hvd is not running (start it with 'systemctl start hvd.socket', or run 'hvd' as root): No such file or directory\n",
		r.err);
	free_run(&r);

	/* The module's commands go on without it. */
	fake_add_vm(3, "demo");
	r = RUN("vm", "list");
	assert_int_equal(HVCTL_OK, r.code);
	assert_non_null(strstr(r.out, "demo"));
	free_run(&r);
}

static void direct_goes_to_the_module(void **state)
{
	struct fake_hvd h;
	struct run r;

	start(&h, "{\"ok\":true,\"vms\":[]}");
	fake_add_vm(3, "demo");
	r = RUN("-d", "vm", "list");
	assert_int_equal(HVCTL_OK, r.code);
	assert_non_null(strstr(r.out, "ID     NAME"));
	assert_non_null(strstr(r.out, "demo"));
	free_run(&r);
	/* hvd got nothing: answer the fake's accept() to end it. */
	r = RUN("vm", "list");
	stop(&h);
	assert_string_equal("{\"op\":\"list\"}", h.request);
	free_run(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(list_asks_hvd_and_prints_a_table,
						setup, teardown),
		cmocka_unit_test_setup_teardown(create_sends_the_definition,
						setup, teardown),
		cmocka_unit_test_setup_teardown(show_prints_the_worker_state,
						setup, teardown),
		cmocka_unit_test_setup_teardown(hvd_failures_name_hvd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(without_hvd_says_how_to_start_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(direct_goes_to_the_module, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
