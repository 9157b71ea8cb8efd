// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl mem: a VM's guest-physical memory. map gives the VM new zeroed
 * memory from a memfd of this hvctl; read, write and load go through the
 * module (mem-read, mem-write), bounds-checked there, so they work on any
 * VM this hvctl owns whoever mapped its memory. log turns a slot's dirty
 * logging on or off, and hvctl vm dirty shows the pages logged.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hvctl.h"
#include "libhv.h"
#include "output.h"
#include "parse.h"

/* Reads and loads larger than this are refused: guest RAM, not disks. */
#define MEM_IO_MAX	(64ULL << 20)

/* Parse "VM" plus numbers; connect; resolve the VM. */
static int vm_and_numbers(struct hvctl *c, const char **pos, int nnum,
			  const char *const *what, uint64_t *num,
			  uint32_t *vm)
{
	int i, ret = HVCTL_OK;

	for (i = 0; i < nnum && !ret; i++)
		ret = !strcmp(what[i], "SIZE") || !strcmp(what[i], "LEN") ?
		      hvctl_size(c, what[i], pos[i + 1], &num[i]) :
		      hvctl_number(c, what[i], pos[i + 1], &num[i]);
	if (!ret)
		ret = hvctl_connect(c);
	if (!ret)
		ret = hvctl_vm_ref(c, pos[0], vm);
	return ret;
}

static const char *slot_flags(uint32_t flags)
{
	static const char *const names[] = {
		"-", "readonly", "dirty-log", "readonly,dirty-log",
	};

	return names[flags & 3];
}

/**
 * cmd_mem_list() - hvctl mem list VM
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_mem_list(struct hvctl *c, int argc, char **argv)
{
	struct hv_slot_info *slots;
	const char *pos[1];
	struct out o;
	size_t n, i;
	uint32_t vm;
	int ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 1, 1, "mem list VM");
	if (!ret)
		ret = vm_and_numbers(c, pos, 0, NULL, NULL, &vm);
	if (ret)
		return ret;
	ret = hv_mem_list(c->h, vm, &slots, &n);
	if (ret)
		return hvctl_fail_request(c, ret, "mem-get failed");
	if (c->json) {
		out_init(&o, c->out, true, c->pretty);
		out_begin_array(&o, NULL);
		for (i = 0; i < n; i++) {
			out_begin_object(&o, NULL);
			out_u64(&o, "slot", slots[i].slot);
			out_hex(&o, "gpa", slots[i].gpa);
			out_u64(&o, "size", slots[i].size);
			out_bool(&o, "readonly",
				 slots[i].flags & HV_MEM_FLAGS_READONLY);
			out_bool(&o, "dirty_log",
				 slots[i].flags & HV_MEM_FLAGS_DIRTY_LOG);
			out_end_object(&o);
		}
		out_end_array(&o);
		out_end(&o);
	} else {
		fprintf(c->out, "%-6s %-18s %-14s %s\n", "SLOT", "GPA", "SIZE",
			"FLAGS");
		for (i = 0; i < n; i++)
			fprintf(c->out, "%-6u 0x%-16llx %-14llu %s\n",
				slots[i].slot,
				(unsigned long long)slots[i].gpa,
				(unsigned long long)slots[i].size,
				slot_flags(slots[i].flags));
	}
	free(slots);
	return HVCTL_OK;
}

/**
 * cmd_mem_map() - hvctl mem map VM GPA SIZE [--readonly] [--dirty-log]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_mem_map(struct hvctl *c, int argc, char **argv)
{
	static const char *const what[] = { "GPA", "SIZE" };
	bool readonly = false, dirty_log = false;
	const struct hvctl_opt opts[] = {
		HVCTL_FLAG("--readonly", &readonly),
		HVCTL_FLAG("--dirty-log", &dirty_log),
		HVCTL_OPT_END
	};
	const char *pos[3];
	uint64_t num[2];
	uint32_t vm, slot;
	struct out o;
	void *ram;
	int ret;

	ret = hvctl_args(c, argc, argv, opts, pos, 3, 3,
			 "mem map VM GPA SIZE [--readonly] [--dirty-log]");
	if (!ret)
		ret = vm_and_numbers(c, pos, 2, what, num, &vm);
	if (ret)
		return ret;
	if (!num[1] || num[1] % 4096 || num[0] % 4096)
		return hvctl_usage(c, "GPA and SIZE must be multiples of 4K, SIZE not 0");
	ret = hvctl_ram(c, num[1], &ram);
	if (ret)
		return ret;
	ret = hv_mem_map(c->h, vm, num[0], num[1], ram,
			 (readonly ? HV_MEM_FLAGS_READONLY : 0) |
			 (dirty_log ? HV_MEM_FLAGS_DIRTY_LOG : 0), &slot);
	if (ret)
		return hvctl_fail_request(c, ret, "mem-map failed");
	out_init(&o, c->out, c->json, c->pretty);
	out_begin_object(&o, NULL);
	out_u64(&o, "slot", slot);
	out_hex(&o, "gpa", num[0]);
	out_u64(&o, "size", num[1]);
	out_end_object(&o);
	out_end(&o);
	return HVCTL_OK;
}

/**
 * cmd_mem_unmap() - hvctl mem unmap VM SLOT
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_mem_unmap(struct hvctl *c, int argc, char **argv)
{
	static const char *const what[] = { "SLOT" };
	const char *pos[2];
	uint64_t slot;
	uint32_t vm;
	int ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 2, 2, "mem unmap VM SLOT");
	if (!ret)
		ret = vm_and_numbers(c, pos, 1, what, &slot, &vm);
	if (ret)
		return ret;
	if (slot > UINT32_MAX)
		return hvctl_usage(c, "SLOT %llu is not a slot id",
				   (unsigned long long)slot);
	ret = hv_mem_unmap(c->h, vm, slot);
	return ret ? hvctl_fail_request(c, ret, "mem-unmap failed") : HVCTL_OK;
}

/* hexdump -C style: offset, 16 bytes, printable characters. */
static void hexdump(FILE *f, uint64_t gpa, const uint8_t *p, size_t len)
{
	size_t i, j;

	for (i = 0; i < len; i += 16) {
		fprintf(f, "%016llx ", (unsigned long long)(gpa + i));
		for (j = 0; j < 16; j++) {
			if (j == 8)
				fputc(' ', f);
			if (i + j < len)
				fprintf(f, " %02x", p[i + j]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (j = 0; j < 16 && i + j < len; j++)
			fputc(p[i + j] >= 0x20 && p[i + j] < 0x7f ? p[i + j] : '.',
			      f);
		fputs("|\n", f);
	}
}

/**
 * cmd_mem_read() - hvctl mem read VM GPA LEN [--out FILE]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Prints a hex dump (JSON: the bytes as a hex string), or writes the raw
 * bytes to FILE.
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_mem_read(struct hvctl *c, int argc, char **argv)
{
	static const char *const what[] = { "GPA", "LEN" };
	const char *file = NULL, *pos[3];
	const struct hvctl_opt opts[] = {
		HVCTL_OPT("--out", &file),
		HVCTL_OPT_END
	};
	uint64_t num[2];
	uint8_t *buf;
	struct out o;
	uint32_t vm;
	size_t i;
	int ret;

	ret = hvctl_args(c, argc, argv, opts, pos, 3, 3,
			 "mem read VM GPA LEN [--out FILE]");
	if (!ret)
		ret = vm_and_numbers(c, pos, 2, what, num, &vm);
	if (ret)
		return ret;
	if (!num[1] || num[1] > MEM_IO_MAX)
		return hvctl_usage(c, "LEN must be between 1 and 64M");
	buf = malloc(num[1]);
	if (!buf)
		return hvctl_fail(c, -ENOMEM, "cannot allocate %llu bytes",
				  (unsigned long long)num[1]);
	ret = hv_mem_read(c->h, vm, num[0], buf, num[1]);
	if (ret) {
		free(buf);
		return hvctl_fail_request(c, ret, "mem-read failed");
	}
	if (file) {
		FILE *f = fopen(file, "wb");
		bool ok = f && fwrite(buf, 1, num[1], f) == num[1];

		if (f && fclose(f))
			ok = false;
		if (!ok)
			ret = hvctl_fail(c, errno ? -errno : -EIO,
					 "cannot write '%s'", file);
	} else if (c->json) {
		char *hex = malloc(2 * num[1] + 1);

		if (!hex) {
			free(buf);
			return hvctl_fail(c, -ENOMEM, "cannot format the bytes");
		}
		for (i = 0; i < num[1]; i++)
			sprintf(hex + 2 * i, "%02x", buf[i]);
		out_init(&o, c->out, true, c->pretty);
		out_begin_object(&o, NULL);
		out_hex(&o, "gpa", num[0]);
		out_u64(&o, "len", num[1]);
		out_str(&o, "data", hex);
		out_end_object(&o);
		out_end(&o);
		free(hex);
	} else {
		hexdump(c->out, num[0], buf, num[1]);
	}
	free(buf);
	return ret;
}

/**
 * cmd_mem_write() - hvctl mem write VM GPA HEX
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_mem_write(struct hvctl *c, int argc, char **argv)
{
	static const char *const what[] = { "GPA" };
	const char *pos[3];
	uint64_t gpa;
	uint8_t *bytes;
	size_t len;
	uint32_t vm;
	int ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 3, 3, "mem write VM GPA HEX");
	if (!ret && parse_hex_bytes(pos[2], &bytes, &len))
		ret = hvctl_usage(c, "HEX '%s' is not bytes in hex (e.g. deadbeef or de:ad:be:ef)",
				  pos[2]);
	if (ret)
		return ret;
	ret = vm_and_numbers(c, pos, 1, what, &gpa, &vm);
	if (!ret) {
		ret = hv_mem_write(c->h, vm, gpa, bytes, len);
		if (ret)
			ret = hvctl_fail_request(c, ret, "mem-write failed");
	}
	free(bytes);
	return ret;
}

/**
 * hvctl_read_file() - a whole file into memory
 * @c: the run context
 * @path: the file
 * @max: largest size accepted
 * @data: receives a malloc()ed copy
 * @len: receives its size
 *
 * Return: HVCTL_OK, or HVCTL_FAIL after printing why.
 */
int hvctl_read_file(struct hvctl *c, const char *path, uint64_t max,
		    uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;

	if (!f)
		return hvctl_fail(c, -errno, "cannot open '%s'", path);
	if (fstat(fileno(f), &st)) {
		fclose(f);
		return hvctl_fail(c, -errno, "cannot read '%s'", path);
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (uint64_t)st.st_size > max) {
		fclose(f);
		return hvctl_fail(c, 0, "'%s' must be a regular file of 1 byte to %llu MiB",
				  path, (unsigned long long)(max >> 20));
	}
	buf = malloc(st.st_size);
	if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		fclose(f);
		return hvctl_fail(c, -EIO, "cannot read '%s'", path);
	}
	fclose(f);
	*data = buf;
	*len = st.st_size;
	return HVCTL_OK;
}

/**
 * cmd_mem_load() - hvctl mem load VM GPA FILE
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_mem_load(struct hvctl *c, int argc, char **argv)
{
	static const char *const what[] = { "GPA" };
	const char *pos[3];
	uint8_t *data;
	uint64_t gpa;
	struct out o;
	size_t len;
	uint32_t vm;
	int ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 3, 3, "mem load VM GPA FILE");
	if (!ret)
		ret = vm_and_numbers(c, pos, 1, what, &gpa, &vm);
	if (!ret)
		ret = hvctl_read_file(c, pos[2], MEM_IO_MAX, &data, &len);
	if (ret)
		return ret;
	ret = hv_mem_write(c->h, vm, gpa, data, len);
	free(data);
	if (ret)
		return hvctl_fail_request(c, ret, "mem-write failed");
	out_init(&o, c->out, c->json, c->pretty);
	out_begin_object(&o, NULL);
	out_hex(&o, "gpa", gpa);
	out_u64(&o, "len", len);
	out_end_object(&o);
	out_end(&o);
	return HVCTL_OK;
}

/**
 * cmd_mem_log() - hvctl mem log VM SLOT on|off
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * Turning it on starts an empty log.
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_mem_log(struct hvctl *c, int argc, char **argv)
{
	static const char *const what[] = { "SLOT" };
	struct hv_slot_info *slots;
	const char *pos[3];
	uint32_t vm, flags;
	uint64_t slot;
	size_t n, i;
	bool on;
	int ret;

	ret = hvctl_args(c, argc, argv, NULL, pos, 3, 3,
			 "mem log VM SLOT on|off");
	if (ret)
		return ret;
	if (strcmp(pos[2], "on") && strcmp(pos[2], "off"))
		return hvctl_usage(c, "the last argument must be on or off, not '%s'",
				   pos[2]);
	on = !strcmp(pos[2], "on");
	ret = vm_and_numbers(c, pos, 1, what, &slot, &vm);
	if (ret)
		return ret;
	ret = hv_mem_list(c->h, vm, &slots, &n);
	if (ret)
		return hvctl_fail_request(c, ret, "mem-get failed");
	for (i = 0; i < n && slots[i].slot != slot; i++)
		;
	if (i == n) {
		free(slots);
		return hvctl_fail(c, -ENOENT, "the VM has no slot %llu",
				  (unsigned long long)slot);
	}
	flags = (slots[i].flags & ~HV_MEM_FLAGS_DIRTY_LOG) |
		(on ? HV_MEM_FLAGS_DIRTY_LOG : 0);
	free(slots);
	ret = hv_mem_set_flags(c->h, vm, slot, flags);
	return ret ? hvctl_fail_request(c, ret, "mem-set failed") : HVCTL_OK;
}

/* Print the set bits of a log as ranges of guest-physical addresses. */
static void print_ranges(struct out *o, const struct hv_slot_info *s,
			 const struct hv_log *log)
{
	uint64_t i = 0, j;

	while (i < log->npages) {
		if (!(log->bitmap[i / 64] & (1ULL << (i % 64)))) {
			i++;
			continue;
		}
		for (j = i + 1; j < log->npages &&
		     (log->bitmap[j / 64] & (1ULL << (j % 64))); j++)
			;
		if (o->json) {
			out_begin_object(o, NULL);
			out_hex(o, "first", s->gpa + i * 4096);
			out_hex(o, "last", s->gpa + j * 4096 - 1);
			out_end_object(o);
		} else {
			fprintf(o->f, "  0x%llx-0x%llx\n",
				(unsigned long long)(s->gpa + i * 4096),
				(unsigned long long)(s->gpa + j * 4096 - 1));
		}
		i = j;
	}
}

/**
 * cmd_vm_dirty() - hvctl vm dirty VM [--accessed] [--peek]
 * @c: the run context
 * @argc: arguments after the verb
 * @argv: the arguments
 *
 * For each slot, the pages written (--accessed: read or written) since
 * the last call, as address ranges; the log is cleared unless --peek.
 * Dirty pages are shown for the slots that log them.
 *
 * Return: an HVCTL_* exit code.
 */
int cmd_vm_dirty(struct hvctl *c, int argc, char **argv)
{
	bool accessed = false, peek = false;
	const struct hvctl_opt opts[] = {
		HVCTL_FLAG("--accessed", &accessed),
		HVCTL_FLAG("--peek", &peek),
		HVCTL_OPT_END
	};
	struct hv_slot_info *slots;
	const char *kind;
	const char *pos[1];
	struct hv_log log;
	uint32_t vm;
	struct out o;
	size_t n, i;
	int ret;

	ret = hvctl_args(c, argc, argv, opts, pos, 1, 1,
			 "vm dirty VM [--accessed] [--peek]");
	if (!ret)
		ret = vm_and_numbers(c, pos, 0, NULL, NULL, &vm);
	if (ret)
		return ret;
	kind = accessed ? "accessed" : "dirty";
	ret = hv_mem_list(c->h, vm, &slots, &n);
	if (ret)
		return hvctl_fail_request(c, ret, "mem-get failed");
	/* Text is written directly: one line per slot, one per range. */
	out_init(&o, c->out, c->json, c->pretty);
	if (o.json) {
		out_begin_object(&o, NULL);
		out_u64(&o, "vm", vm);
		out_str(&o, "kind", kind);
		out_begin_array(&o, "slots");
	}
	for (i = 0; i < n; i++) {
		const struct hv_slot_info *s = &slots[i];
		bool logs = accessed || (s->flags & HV_MEM_FLAGS_DIRTY_LOG);

		if (o.json) {
			out_begin_object(&o, NULL);
			out_u64(&o, "slot", s->slot);
			out_hex(&o, "gpa", s->gpa);
			out_u64(&o, "pages", s->size / 4096);
			out_bool(&o, "logging", logs);
		} else {
			fprintf(c->out, "slot %u: 0x%llx, %llu pages: ", s->slot,
				(unsigned long long)s->gpa,
				(unsigned long long)(s->size / 4096));
		}
		if (!logs) {
			if (o.json)
				out_end_object(&o);
			else
				fprintf(c->out, "not logging (hvctl mem log %s %u on)\n",
					pos[0], s->slot);
			continue;
		}
		ret = hv_mem_log(c->h, vm, s->slot, s->size / 4096,
				 (accessed ? HV_LOG_ACCESSED : 0) |
				 (peek ? HV_LOG_PEEK : 0), &log);
		if (ret)
			break;
		if (o.json) {
			out_str(&o, "method", log.method);
			out_u64(&o, "count", log.count);
			out_begin_array(&o, "ranges");
			print_ranges(&o, s, &log);
			out_end_array(&o);
			out_end_object(&o);
		} else {
			fprintf(c->out, "%llu %s (%s)\n",
				(unsigned long long)log.count, kind,
				log.method);
			print_ranges(&o, s, &log);
		}
		free(log.bitmap);
	}
	free(slots);
	if (ret) {
		fflush(c->out);
		return hvctl_fail_request(c, ret, "mem-log failed");
	}
	if (o.json) {
		out_end_array(&o);
		out_end_object(&o);
		out_end(&o);
	}
	return HVCTL_OK;
}
