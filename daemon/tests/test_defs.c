// SPDX-License-Identifier: GPL-2.0
/* VM definitions: parsing, every refusal's message, formatting round trip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"

static void parses_every_key(void **state)
{
	struct hvd_def d;
	char err[256] = "";

	hvd_def_init(&d);
	assert_int_equal(
		hvd_def_parse("# a comment\n\n"
			      "name = web-1\n"
			      "kernel = /boot/vmlinuz\n"
			      "initrd=/boot/initrd.img\n"
			      "cmdline = console=ttyS0 root=/dev/vda  quiet \n"
			      "vcpus = 4\n"
			      "memory = 1G\n"
			      "serial = file:/var/log/web.log\n"
			      "on-reboot = stop\n"
			      "restart-on-crash = yes\n"
			      "autostart = true\n",
			      &d, err, sizeof(err)),
		0);
	assert_string_equal(d.name, "web-1");
	assert_string_equal(d.kernel, "/boot/vmlinuz");
	assert_string_equal(d.initrd, "/boot/initrd.img");
	assert_string_equal(d.cmdline, "console=ttyS0 root=/dev/vda  quiet");
	assert_int_equal(d.vcpus, 4);
	assert_int_equal(d.mem, 1ull << 30);
	assert_int_equal(d.serial, HVD_SERIAL_FILE);
	assert_string_equal(d.serial_path, "/var/log/web.log");
	assert_int_equal(d.on_reboot, HVD_REBOOT_STOP);
	assert_true(d.restart_on_crash);
	assert_true(d.autostart);
	assert_int_equal(hvd_def_check(&d, err, sizeof(err)), 0);
}

static void defaults(void **state)
{
	struct hvd_def d;

	hvd_def_init(&d);
	assert_int_equal(d.vcpus, 1);
	assert_int_equal(d.mem, 128ull << 20);
	assert_int_equal(d.serial, HVD_SERIAL_PTY);
	assert_int_equal(d.on_reboot, HVD_REBOOT_RESTART);
	assert_string_equal(d.cmdline, "console=ttyS0");
	assert_false(d.autostart);
}

static void refuse(const char *text, const char *msg)
{
	struct hvd_def d;
	char err[256] = "";

	hvd_def_init(&d);
	assert_int_equal(hvd_def_parse(text, &d, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, msg);
}

static void refusals_name_line_and_cause(void **state)
{
	refuse("name = x\nfoo = 1\n", "line 2: unknown key 'foo'");
	refuse("just words\n", "line 1: expected 'key = value'");
	refuse("vcpus = 0\n", "line 1: vcpus takes 1 to 64, not '0'");
	refuse("vcpus = 65\n", "line 1: vcpus takes 1 to 64, not '65'");
	refuse("vcpus = 2x\n", "line 1: vcpus takes 1 to 64, not '2x'");
	refuse("vcpus = -1\n", "line 1: vcpus takes 1 to 64, not '-1'");
	refuse("memory = 8M\n",
	       "line 1: memory takes a multiple of 2M from 16M to 1T, not '8M'");
	refuse("memory = 2T\n",
	       "line 1: memory takes a multiple of 2M from 16M to 1T, not '2T'");
	refuse("memory = 17M\n",
	       "line 1: memory takes a multiple of 2M from 16M to 1T, not '17M'");
	refuse("memory = 99999999999999999999G\n",
	       "line 1: memory takes a multiple of 2M from 16M to 1T, not '99999999999999999999G'");
	refuse("name = ../etc\n",
	       "line 1: name '../etc' is not 1-31 letters, digits, '-', '_' or '.' (not first)");
	refuse("name = a/b\n",
	       "line 1: name 'a/b' is not 1-31 letters, digits, '-', '_' or '.' (not first)");
	refuse("kernel = vmlinuz\n",
	       "line 1: kernel must be an absolute path, not 'vmlinuz'");
	refuse("serial = tcp:1\n",
	       "line 1: serial takes pty, stdio, null or file:PATH, not 'tcp:1'");
	refuse("serial = file:\n",
	       "line 1: serial takes pty, stdio, null or file:PATH, not 'file:'");
	refuse("on-reboot = maybe\n",
	       "line 1: on-reboot takes restart or stop, not 'maybe'");
	refuse("autostart = perhaps\n",
	       "line 1: autostart takes yes or no, not 'perhaps'");
}

static void disk_options(void **state)
{
	char text[1024];
	struct hvd_def d, back;
	char err[256] = "";

	hvd_def_init(&d);
	assert_int_equal(hvd_def_parse("disk = /a.img,direct\n"
				       "disk = /b.img,ro,serial=s1,direct\n"
				       "disk = /c.img,serial=s2\n",
				       &d, err, sizeof(err)),
			 0);
	assert_int_equal(d.nr_disks, 3);
	assert_string_equal(d.disks[0].path, "/a.img");
	assert_true(d.disks[0].direct);
	assert_false(d.disks[0].readonly);
	assert_string_equal(d.disks[0].serial, "");
	assert_string_equal(d.disks[1].path, "/b.img");
	assert_true(d.disks[1].direct);
	assert_true(d.disks[1].readonly);
	assert_string_equal(d.disks[1].serial, "s1");
	assert_false(d.disks[2].direct);
	assert_string_equal(d.disks[2].serial, "s2");

	/* The file hvd writes keeps the option, after ro and serial=. */
	strcpy(d.name, "x");
	strcpy(d.kernel, "/k");
	assert_true(hvd_def_format(&d, text, sizeof(text)) > 0);
	assert_non_null(strstr(text, "disk = /a.img,direct\n"
				     "disk = /b.img,ro,serial=s1,direct\n"
				     "disk = /c.img,serial=s2\n"));
	hvd_def_init(&back);
	assert_int_equal(hvd_def_parse(text, &back, err, sizeof(err)), 0);
	assert_int_equal(back.nr_disks, 3);
	assert_true(back.disks[0].direct);
	assert_true(back.disks[1].direct);
	assert_false(back.disks[2].direct);

	refuse("disk = /a.img,Direct\n",
	       "line 1: disk option 'Direct' is not ro, direct or serial=ID (at most 20 bytes)");
	refuse("disk = /a.img,directx\n",
	       "line 1: disk option 'directx' is not ro, direct or serial=ID (at most 20 bytes)");
	refuse("disk = /a.img,direct=yes\n",
	       "line 1: disk option 'direct=yes' is not ro, direct or serial=ID (at most 20 bytes)");
	refuse("disk = /a.img,direct,\n",
	       "line 1: disk option '' is not ro, direct or serial=ID (at most 20 bytes)");
	refuse("disk = a.img,direct\n",
	       "line 1: disk takes an absolute path and options ro, serial=ID, direct, not 'a.img,direct'");
	refuse("disk = ,direct\n",
	       "line 1: disk takes an absolute path and options ro, serial=ID, direct, not ',direct'");
}

static void long_lines_and_values(void **state)
{
	char *text = malloc(HVD_CMDLINE_LEN + 200);

	strcpy(text, "cmdline = ");
	memset(text + 10, 'a', HVD_CMDLINE_LEN);
	text[10 + HVD_CMDLINE_LEN] = '\0';
	refuse(text, "line 1: cmdline is longer than 4095 bytes");
	memset(text, 'b', HVD_CMDLINE_LEN + 100);
	text[HVD_CMDLINE_LEN + 100] = '\0';
	refuse(text, "line 1: longer than 4159 bytes");
	free(text);
}

static void check_wants_name_and_kernel(void **state)
{
	struct hvd_def d;
	char err[64];

	hvd_def_init(&d);
	assert_int_equal(hvd_def_check(&d, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "no name");
	strcpy(d.name, "a");
	assert_int_equal(hvd_def_check(&d, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "no kernel");
}

static void sizes(void **state)
{
	uint64_t v;

	assert_int_equal(hvd_parse_size("512M", &v), 0);
	assert_int_equal(v, 512ull << 20);
	assert_int_equal(hvd_parse_size("2GiB", &v), 0);
	assert_int_equal(v, 2ull << 30);
	assert_int_equal(hvd_parse_size("64k", &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(hvd_parse_size("0x1000", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(hvd_parse_size("", &v), -EINVAL);
	assert_int_equal(hvd_parse_size("M", &v), -EINVAL);
	assert_int_equal(hvd_parse_size("1X", &v), -EINVAL);
	assert_int_equal(hvd_parse_size("17179869184T", &v), -EINVAL);
}

static void file_round_trip(void **state)
{
	char path[] = "/tmp/hvd-def-XXXXXX", text[8192], err[512];
	struct hvd_def d, back;
	int fd, n;

	hvd_def_init(&d);
	strcpy(d.name, "rt");
	strcpy(d.kernel, "/k");
	d.vcpus = 3;
	d.mem = 256ull << 20;
	d.serial = HVD_SERIAL_NULL;
	n = hvd_def_format(&d, text, sizeof(text));
	assert_true(n > 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), n);
	close(fd);
	assert_int_equal(hvd_def_load(path, &back, err, sizeof(err)), 0);
	assert_string_equal(back.name, "rt");
	assert_string_equal(back.kernel, "/k");
	assert_string_equal(back.initrd, "");
	assert_int_equal(back.vcpus, 3);
	assert_int_equal(back.mem, 256ull << 20);
	assert_int_equal(back.serial, HVD_SERIAL_NULL);
	unlink(path);

	assert_int_equal(hvd_def_load("/nonexistent/x.conf", &back, err,
				      sizeof(err)),
			 -ENOENT);
	assert_string_equal(err,
			    "/nonexistent/x.conf: No such file or directory");
}

/* net = tap:NAME with mac= and vhost= in any order; the last one wins. */
static void net_options(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0xab, 0x56 };
	struct hvd_def d;
	char err[256] = "", text[8192];

	hvd_def_init(&d);
	assert_int_equal(d.vhost, HVD_VHOST_AUTO);
	assert_int_equal(hvd_def_parse("net = tap:hvtap0\n", &d, err,
				       sizeof(err)), 0);
	assert_string_equal(d.tap, "hvtap0");
	assert_false(d.has_mac);
	assert_int_equal(d.vhost, HVD_VHOST_AUTO);
	assert_int_equal(hvd_def_parse("net = tap:t1,vhost=off,mac=52:54:00:12:AB:56\n",
				       &d, err, sizeof(err)), 0);
	assert_string_equal(d.tap, "t1");
	assert_true(d.has_mac);
	assert_memory_equal(d.mac, mac, 6);
	assert_int_equal(d.vhost, HVD_VHOST_OFF);
	assert_true(hvd_def_format(&d, text, sizeof(text)) > 0);
	assert_non_null(strstr(text,
			       "\nnet = tap:t1,mac=52:54:00:12:ab:56,vhost=off\n"));
	assert_int_equal(hvd_def_parse("net = tap:t2,vhost=on,vhost=auto\n", &d,
				       err, sizeof(err)), 0);
	assert_false(d.has_mac);
	assert_int_equal(d.vhost, HVD_VHOST_AUTO);
	assert_true(hvd_def_format(&d, text, sizeof(text)) > 0);
	assert_non_null(strstr(text, "\nnet = tap:t2\n"));
	assert_int_equal(hvd_def_parse("net = tap:t3,vhost=on\n", &d, err,
				       sizeof(err)), 0);
	assert_int_equal(d.vhost, HVD_VHOST_ON);
	assert_true(hvd_def_format(&d, text, sizeof(text)) > 0);
	assert_non_null(strstr(text, "\nnet = tap:t3,vhost=on\n"));
	assert_int_equal(hvd_def_parse("net = none\n", &d, err, sizeof(err)),
			 0);
	assert_string_equal(d.tap, "");
	assert_int_equal(d.vhost, HVD_VHOST_AUTO);
	assert_true(hvd_def_format(&d, text, sizeof(text)) > 0);
	assert_non_null(strstr(text, "\nnet = none\n"));
}

static void net_refusals(void **state)
{
	refuse("net = tap:t,vhost=yes\n",
	       "line 1: net option 'vhost=yes' is not mac=XX:XX:XX:XX:XX:XX (unicast) or vhost=on|off|auto");
	refuse("net = tap:t,vhost=on,\n",
	       "line 1: net option '' is not mac=XX:XX:XX:XX:XX:XX (unicast) or vhost=on|off|auto");
	refuse("net = tap:t,mac=53:54:00:12:34:56\n",
	       "line 1: net option 'mac=53:54:00:12:34:56' is not mac=XX:XX:XX:XX:XX:XX (unicast) or vhost=on|off|auto");
	refuse("net = tap:t,mac=1:22:33:44:55:666\n",
	       "line 1: net option 'mac=1:22:33:44:55:666' is not mac=XX:XX:XX:XX:XX:XX (unicast) or vhost=on|off|auto");
	refuse("net = tap:t,mac=52:54:00:12:34:56,vhost\n",
	       "line 1: net option 'vhost' is not mac=XX:XX:XX:XX:XX:XX (unicast) or vhost=on|off|auto");
	refuse("net = vhost=on\n",
	       "line 1: net takes tap:NAME (1-15 characters)[,mac=XX:XX:XX:XX:XX:XX][,vhost=on|off] or none, not 'vhost=on'");
	refuse("net = tap:,vhost=on\n",
	       "line 1: net takes tap:NAME (1-15 characters)[,mac=XX:XX:XX:XX:XX:XX][,vhost=on|off] or none, not 'tap:,vhost=on'");
}

static void name_from_file_and_binary_refused(void **state)
{
	char dir[] = "/tmp/hvd-defs-XXXXXX", path[256], err[512];
	struct hvd_def d;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/db.conf", dir);
	f = fopen(path, "w");
	fputs("kernel = /k\n", f);
	fclose(f);
	assert_int_equal(hvd_def_load(path, &d, err, sizeof(err)), 0);
	assert_string_equal(d.name, "db");
	f = fopen(path, "w");
	fwrite("kernel = /k\n\0\x7f", 1, 14, f);
	fclose(f);
	assert_int_equal(hvd_def_load(path, &d, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "db.conf: not a text file"));
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_key),
		cmocka_unit_test(defaults),
		cmocka_unit_test(refusals_name_line_and_cause),
		cmocka_unit_test(disk_options),
		cmocka_unit_test(long_lines_and_values),
		cmocka_unit_test(check_wants_name_and_kernel),
		cmocka_unit_test(sizes),
		cmocka_unit_test(file_round_trip),
		cmocka_unit_test(name_from_file_and_binary_refused),
		cmocka_unit_test(net_options),
		cmocka_unit_test(net_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
