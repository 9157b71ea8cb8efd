// SPDX-License-Identifier: GPL-2.0
/* VM definitions (defs.h): parse, check, format. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"

#define DEF_FILE_MAX (64 << 10)

static void errf(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/**
 * hvd_def_init() - a definition with every default
 * @d: the definition
 */
void hvd_def_init(struct hvd_def *d)
{
	memset(d, 0, sizeof(*d));
	d->vcpus = 1;
	d->mem = 128ull << 20;
	d->serial = HVD_SERIAL_PTY;
	d->on_reboot = HVD_REBOOT_RESTART;
	d->sandbox = true;
	snprintf(d->cmdline, sizeof(d->cmdline), "console=ttyS0");
}

/**
 * hvd_name_valid() - whether a VM name is acceptable
 * @name: the name
 *
 * Names become file names under /etc/hv/vms/ and /run/hvd/, so only
 * letters, digits, '-', '_' and '.' (not first) are allowed.
 *
 * Return: true if it is.
 */
bool hvd_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n >= HVD_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '-' &&
		    name[i] != '_' && name[i] != '.')
			return false;
	return true;
}

/**
 * hvd_parse_size() - a byte count with an optional K, M, G or T suffix
 * @s: the text ("512M", "1G", "134217728")
 * @out: the bytes
 *
 * Return: 0, or -EINVAL for anything else (including overflow).
 */
int hvd_parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (toupper((unsigned char)*end)) {
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	case '\0':
		break;
	default:
		return -EINVAL;
	}
	if (shift) {
		end++;
		if (toupper((unsigned char)*end) == 'I')
			end++;
		if (toupper((unsigned char)*end) == 'B')
			end++;
	}
	if (*end || (shift && v > (~0ull >> shift)))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

static int set_str(char *dst, size_t size, const char *key, const char *v,
		   char *err, size_t errlen)
{
	if (strlen(v) >= size) {
		errf(err, errlen, "%s is longer than %zu bytes", key, size - 1);
		return -EINVAL;
	}
	strcpy(dst, v);
	return 0;
}

static int set_path(char *dst, const char *key, const char *v, char *err,
		    size_t errlen)
{
	if (*v && *v != '/') {
		errf(err, errlen, "%s must be an absolute path, not '%s'", key,
		     v);
		return -EINVAL;
	}
	return set_str(dst, PATH_MAX, key, v, err, errlen);
}

/* disk = PATH[,ro][,serial=ID][,direct]: one more disk. */
static int add_disk(struct hvd_def *d, const char *value, char *err,
		    size_t errlen)
{
	struct hvd_disk disk = { .readonly = false };
	const char *opt = strchr(value, ',');
	size_t len = opt ? (size_t)(opt - value) : strlen(value);

	if (d->nr_disks == HVD_MAX_DISKS) {
		errf(err, errlen, "more than %d disks", HVD_MAX_DISKS);
		return -EINVAL;
	}
	if (!len || *value != '/' || len >= PATH_MAX) {
		errf(err, errlen,
		     "disk takes an absolute path and options ro, serial=ID, direct, not '%s'",
		     value);
		return -EINVAL;
	}
	memcpy(disk.path, value, len);
	while (opt) {
		const char *o = opt + 1;
		size_t n;

		opt = strchr(o, ',');
		n = opt ? (size_t)(opt - o) : strlen(o);
		if (n == 2 && !strncmp(o, "ro", 2)) {
			disk.readonly = true;
		} else if (n == 6 && !strncmp(o, "direct", 6)) {
			disk.direct = true;
		} else if (n > 7 && !strncmp(o, "serial=", 7) &&
			   n - 7 <= HVD_SERIAL_ID_LEN) {
			memcpy(disk.serial, o + 7, n - 7);
			disk.serial[n - 7] = '\0';
		} else {
			errf(err, errlen,
			     "disk option '%.*s' is not ro, direct or serial=ID (at most %d bytes)",
			     (int)n, o, HVD_SERIAL_ID_LEN);
			return -EINVAL;
		}
	}
	d->disks[d->nr_disks++] = disk;
	return 0;
}

/* The options of a net value, applied only once all of them parse. */
struct net_opts {
	uint8_t mac[6];
	bool has_mac;
	enum hvd_net_vhost vhost;
};

/* One option of net: mac=XX:XX:XX:XX:XX:XX or vhost=on|off|auto. */
static int net_option(struct net_opts *d, const char *o, size_t n, char *err,
		      size_t errlen)
{
	const char *h = o + 4;
	unsigned int i;

	/* Six pairs of hex digits and five colons: exactly 17 characters. */
	for (i = 0; n == 21 && !strncmp(o, "mac=", 4) && i < 6; i++)
		if (!isxdigit((unsigned char)h[3 * i]) ||
		    !isxdigit((unsigned char)h[3 * i + 1]) ||
		    (i < 5 && h[3 * i + 2] != ':'))
			break;
	if (i == 6 && !(strtoul(h, NULL, 16) & 1)) {
		for (i = 0; i < 6; i++)
			d->mac[i] = strtoul(h + 3 * i, NULL, 16);
		d->has_mac = true;
		return 0;
	}
	if (n == 8 && !strncmp(o, "vhost=on", 8)) {
		d->vhost = HVD_VHOST_ON;
		return 0;
	}
	if (n == 9 && !strncmp(o, "vhost=off", 9)) {
		d->vhost = HVD_VHOST_OFF;
		return 0;
	}
	if (n == 10 && !strncmp(o, "vhost=auto", 10)) {
		d->vhost = HVD_VHOST_AUTO;
		return 0;
	}
	errf(err, errlen,
	     "net option '%.*s' is not mac=XX:XX:XX:XX:XX:XX (unicast) or vhost=on|off|auto",
	     (int)n, o);
	return -EINVAL;
}

/* net = tap:NAME[,mac=XX:XX:XX:XX:XX:XX][,vhost=on|off|auto], or none. */
static int set_net(struct hvd_def *d, const char *value, char *err,
		   size_t errlen)
{
	const char *name = value + 4, *opt = strchr(value, ',');
	size_t len = opt ? (size_t)(opt - name) : strlen(name);
	struct net_opts n = { .vhost = HVD_VHOST_AUTO };
	const char *o, *end;

	if (!strcmp(value, "none")) {
		d->tap[0] = '\0';
		d->has_mac = false;
		d->vhost = HVD_VHOST_AUTO;
		return 0;
	}
	if (strncmp(value, "tap:", 4) || !len || len >= sizeof(d->tap) ||
	    memchr(name, '/', len)) {
		errf(err, errlen,
		     "net takes tap:NAME (1-15 characters)[,mac=XX:XX:XX:XX:XX:XX][,vhost=on|off] or none, not '%s'",
		     value);
		return -EINVAL;
	}
	/* A later option wins over an earlier one of the same kind. */
	for (o = opt; o; o = end) {
		o++;
		end = strchr(o, ',');
		if (net_option(&n, o, end ? (size_t)(end - o) : strlen(o), err,
			       errlen))
			return -EINVAL;
	}
	memcpy(d->tap, name, len);
	d->tap[len] = '\0';
	memcpy(d->mac, n.mac, sizeof(d->mac));
	d->has_mac = n.has_mac;
	d->vhost = n.vhost;
	return 0;
}

/**
 * hvd_def_set() - set one key of a definition
 * @d: the definition
 * @key: the key
 * @value: its value
 * @err: receives the reason for a refusal
 * @errlen: size of @err
 *
 * Return: 0, or -EINVAL with @err naming the key and the problem.
 */
int hvd_def_set(struct hvd_def *d, const char *key, const char *value,
		char *err, size_t errlen)
{
	unsigned long n;
	char *end;

	if (!strcmp(key, "name")) {
		if (!hvd_name_valid(value)) {
			errf(err, errlen,
			     "name '%s' is not 1-31 letters, digits, '-', '_' or '.' (not first)",
			     value);
			return -EINVAL;
		}
		strcpy(d->name, value);
		return 0;
	}
	if (!strcmp(key, "kernel"))
		return set_path(d->kernel, key, value, err, errlen);
	if (!strcmp(key, "initrd"))
		return set_path(d->initrd, key, value, err, errlen);
	if (!strcmp(key, "cmdline"))
		return set_str(d->cmdline, sizeof(d->cmdline), key, value, err,
			       errlen);
	if (!strcmp(key, "vcpus")) {
		errno = 0;
		n = strtoul(value, &end, 10);
		if (errno || *end || !isdigit((unsigned char)*value) || !n ||
		    n > HVD_MAX_VCPUS) {
			errf(err, errlen, "vcpus takes 1 to %d, not '%s'",
			     HVD_MAX_VCPUS, value);
			return -EINVAL;
		}
		d->vcpus = n;
		return 0;
	}
	if (!strcmp(key, "memory")) {
		uint64_t m;

		if (hvd_parse_size(value, &m) || m < HVD_MIN_MEM ||
		    m > HVD_MAX_MEM || m % (2u << 20)) {
			errf(err, errlen,
			     "memory takes a multiple of 2M from 16M to 1T, not '%s'",
			     value);
			return -EINVAL;
		}
		d->mem = m;
		return 0;
	}
	if (!strcmp(key, "serial")) {
		if (!strcmp(value, "stdio")) {
			d->serial = HVD_SERIAL_STDIO;
		} else if (!strcmp(value, "pty")) {
			d->serial = HVD_SERIAL_PTY;
		} else if (!strcmp(value, "null")) {
			d->serial = HVD_SERIAL_NULL;
		} else if (!strncmp(value, "file:", 5)) {
			d->serial = HVD_SERIAL_FILE;
			if (!value[5])
				goto bad_serial;
			return set_path(d->serial_path, "serial file",
					value + 5, err, errlen);
		} else {
			goto bad_serial;
		}
		return 0;
	}
	if (!strcmp(key, "on-reboot")) {
		if (!strcmp(value, "restart")) {
			d->on_reboot = HVD_REBOOT_RESTART;
		} else if (!strcmp(value, "stop")) {
			d->on_reboot = HVD_REBOOT_STOP;
		} else {
			errf(err, errlen,
			     "on-reboot takes restart or stop, not '%s'",
			     value);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "disk"))
		return add_disk(d, value, err, errlen);
	if (!strcmp(key, "net"))
		return set_net(d, value, err, errlen);
	if (!strcmp(key, "virtio-console")) {
		if (strcmp(value, "pty") && strcmp(value, "none") &&
		    (strncmp(value, "file:/", 6) ||
		     strlen(value) >= sizeof(d->vconsole))) {
			errf(err, errlen,
			     "virtio-console takes pty, file:PATH (absolute) or none, not '%s'",
			     value);
			return -EINVAL;
		}
		snprintf(d->vconsole, sizeof(d->vconsole), "%s",
			 strcmp(value, "none") ? value : "");
		return 0;
	}
	if (!strcmp(key, "restart-on-crash") || !strcmp(key, "autostart") ||
	    !strcmp(key, "rng") || !strcmp(key, "sandbox")) {
		bool *b = key[0] == 'a' ? &d->autostart :
			  key[0] == 's' ? &d->sandbox :
			  key[0] == 'r' && key[1] == 'n' ? &d->rng :
							   &d->restart_on_crash;

		if (parse_bool(value, b)) {
			errf(err, errlen, "%s takes yes or no, not '%s'", key,
			     value);
			return -EINVAL;
		}
		return 0;
	}
	errf(err, errlen, "unknown key '%s'", key);
	return -EINVAL;

bad_serial:
	errf(err, errlen,
	     "serial takes pty, stdio, null or file:PATH, not '%s'", value);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/**
 * hvd_def_parse() - read a definition's text
 * @text: the text, NUL-terminated
 * @d: the definition, already initialized (hvd_def_init()); keys update it
 * @err: receives "line N: problem" for a refusal
 * @errlen: size of @err
 *
 * Blank lines and lines starting with '#' are ignored; every other line is
 * "key = value" (the value may be empty, and keeps inner spaces).
 *
 * Return: 0, or -EINVAL with @err set.
 */
int hvd_def_parse(const char *text, struct hvd_def *d, char *err, size_t errlen)
{
	char line[HVD_CMDLINE_LEN + 64], why[256];
	unsigned int lineno = 0;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *s, *eq;

		lineno++;
		if (n >= sizeof(line)) {
			errf(err, errlen, "line %u: longer than %zu bytes",
			     lineno, sizeof(line) - 1);
			return -EINVAL;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl ? 1 : 0);
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			errf(err, errlen, "line %u: expected 'key = value'",
			     lineno);
			return -EINVAL;
		}
		*eq = '\0';
		if (hvd_def_set(d, trim(s), trim(eq + 1), why, sizeof(why))) {
			errf(err, errlen, "line %u: %s", lineno, why);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * hvd_def_check() - whether a definition can run
 * @d: the definition
 * @err: receives the reason it cannot
 * @errlen: size of @err
 *
 * Return: 0, or -EINVAL with @err set.
 */
int hvd_def_check(const struct hvd_def *d, char *err, size_t errlen)
{
	if (!d->name[0]) {
		errf(err, errlen, "no name");
		return -EINVAL;
	}
	if (!d->kernel[0]) {
		errf(err, errlen, "no kernel");
		return -EINVAL;
	}
	return 0;
}

/**
 * hvd_def_load() - read and check a definition file
 * @path: the file
 * @d: receives the definition
 * @err: receives "PATH: problem" for a refusal
 * @errlen: size of @err
 *
 * A definition without a name takes the file's base name without ".conf".
 *
 * Return: 0 or a negative errno with @err set.
 */
int hvd_def_load(const char *path, struct hvd_def *d, char *err, size_t errlen)
{
	char *text, why[512];
	ssize_t n;
	int fd, ret;

	hvd_def_init(d);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		errf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	text = malloc(DEF_FILE_MAX + 1);
	if (!text) {
		close(fd);
		errf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	n = read(fd, text, DEF_FILE_MAX + 1);
	close(fd);
	if (n < 0 || n > DEF_FILE_MAX) {
		ret = n < 0 ? -errno : -EFBIG;
		errf(err, errlen, "%s: %s", path,
		     n < 0 ? strerror(errno) : "larger than 64 KiB");
		free(text);
		return ret;
	}
	text[n] = '\0';
	if (memchr(text, '\0', n)) {
		errf(err, errlen, "%s: not a text file", path);
		free(text);
		return -EINVAL;
	}
	ret = hvd_def_parse(text, d, why, sizeof(why));
	free(text);
	if (!ret && !d->name[0]) {
		const char *base = strrchr(path, '/');
		char name[HVD_NAME_MAX];
		size_t len;

		base = base ? base + 1 : path;
		len = strcspn(base, "");
		if (len > 5 && !strcmp(base + len - 5, ".conf"))
			len -= 5;
		if (len < sizeof(name)) {
			memcpy(name, base, len);
			name[len] = '\0';
			if (hvd_name_valid(name))
				strcpy(d->name, name);
		}
	}
	if (!ret)
		ret = hvd_def_check(d, why, sizeof(why));
	if (ret)
		errf(err, errlen, "%s: %s", path, why);
	return ret;
}

static const char *const serial_names[] = { "stdio", "pty", "file", "null" };

/**
 * hvd_def_format() - a definition as the text of its file
 * @d: the definition
 * @buf: receives the text
 * @len: size of @buf
 *
 * Return: the length, or -ENOSPC if @buf is too small.
 */
int hvd_def_format(const struct hvd_def *d, char *buf, size_t len)
{
	char serial[PATH_MAX + 8];
	unsigned int i;
	size_t off;
	int n;

	if (d->serial == HVD_SERIAL_FILE)
		snprintf(serial, sizeof(serial), "file:%s", d->serial_path);
	else
		snprintf(serial, sizeof(serial), "%s", serial_names[d->serial]);
	n = snprintf(buf, len,
		     "# hv VM definition (see hvd(8)); hvd reads it at start\n"
		     "name = %s\nkernel = %s\ninitrd = %s\ncmdline = %s\n"
		     "vcpus = %u\nmemory = %lluM\nserial = %s\n"
		     "on-reboot = %s\nrestart-on-crash = %s\nautostart = %s\n",
		     d->name, d->kernel, d->initrd, d->cmdline, d->vcpus,
		     (unsigned long long)(d->mem >> 20), serial,
		     d->on_reboot == HVD_REBOOT_STOP ? "stop" : "restart",
		     d->restart_on_crash ? "yes" : "no",
		     d->autostart ? "yes" : "no");
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	off = n;
	for (i = 0; i < d->nr_disks; i++) {
		const struct hvd_disk *k = &d->disks[i];

		n = snprintf(buf + off, len - off, "disk = %s%s%s%s%s\n",
			     k->path, k->readonly ? ",ro" : "",
			     k->serial[0] ? ",serial=" : "", k->serial,
			     k->direct ? ",direct" : "");
		if (n < 0 || (size_t)n >= len - off)
			return -ENOSPC;
		off += n;
	}
	if (d->tap[0]) {
		static const char *const vhost[] = {
			[HVD_VHOST_AUTO] = "",
			[HVD_VHOST_ON] = ",vhost=on",
			[HVD_VHOST_OFF] = ",vhost=off",
		};
		char mac[24] = "";

		if (d->has_mac)
			snprintf(mac, sizeof(mac),
				 ",mac=%02x:%02x:%02x:%02x:%02x:%02x",
				 d->mac[0], d->mac[1], d->mac[2], d->mac[3],
				 d->mac[4], d->mac[5]);
		n = snprintf(buf + off, len - off, "net = tap:%s%s%s\n",
			     d->tap, mac, vhost[d->vhost]);
	} else {
		n = snprintf(buf + off, len - off, "net = none\n");
	}
	if (n < 0 || (size_t)n >= len - off)
		return -ENOSPC;
	off += n;
	n = snprintf(buf + off, len - off,
		     "rng = %s\nvirtio-console = %s\nsandbox = %s\n",
		     d->rng ? "yes" : "no",
		     d->vconsole[0] ? d->vconsole : "none",
		     d->sandbox ? "yes" : "no");
	if (n < 0 || (size_t)n >= len - off)
		return -ENOSPC;
	return off + n;
}
