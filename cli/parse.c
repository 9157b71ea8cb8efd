// SPDX-License-Identifier: GPL-2.0
/*
 * hvctl's parsers (see parse.h). Numbers are decimal or 0x-prefixed hex;
 * sizes take a K, M or G suffix (powers of 1024); anything else is an
 * error, never a silent zero.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/**
 * parse_u64() - a decimal or 0x-prefixed hexadecimal number
 * @s: the text
 * @v: receives the value
 *
 * Return: 0; -EINVAL if @s is not a number; -ERANGE if it does not fit.
 */
int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!isxdigit((unsigned char)s[2]))
			return -EINVAL;
		n = strtoull(s + 2, &end, 16);
	} else {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		n = strtoull(s, &end, 10);
	}
	if (errno == ERANGE)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	*v = n;
	return 0;
}

/**
 * parse_u32() - parse_u64() for values that must fit in 32 bits
 * @s: the text
 * @v: receives the value
 *
 * Return: 0, -EINVAL or -ERANGE.
 */
int parse_u32(const char *s, uint32_t *v)
{
	uint64_t n;
	int err = parse_u64(s, &n);

	if (err)
		return err;
	if (n > UINT32_MAX)
		return -ERANGE;
	*v = n;
	return 0;
}

/**
 * parse_size() - a byte count: a number with an optional K, M or G suffix
 * @s: the text, e.g. "4096", "0x1000", "64K", "2M", "1G"
 * @v: receives the bytes
 *
 * Return: 0; -EINVAL if @s is not a size; -ERANGE if it overflows.
 */
int parse_size(const char *s, uint64_t *v)
{
	char num[32];
	size_t len;
	unsigned int shift = 0;
	uint64_t n;
	int err;

	if (!s)
		return -EINVAL;
	len = strlen(s);
	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	}
	/* A hex number's own digits (0x1b) are not suffixes. */
	if (shift && !(num[0] == '0' && (num[1] == 'x' || num[1] == 'X')))
		num[len - 1] = '\0';
	else
		shift = 0;
	err = parse_u64(num, &n);
	if (err)
		return err;
	if (shift && n > (UINT64_MAX >> shift))
		return -ERANGE;
	*v = n << shift;
	return 0;
}

/**
 * parse_mode() - a guest mode name
 * @s: "real", "prot" or "long"
 * @mode: receives the mode
 *
 * Return: 0, or -EINVAL.
 */
int parse_mode(const char *s, enum hv_mode *mode)
{
	if (!strcmp(s, "real"))
		*mode = HV_MODE_REAL;
	else if (!strcmp(s, "prot"))
		*mode = HV_MODE_PROT32;
	else if (!strcmp(s, "long"))
		*mode = HV_MODE_LONG64;
	else
		return -EINVAL;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * parse_hex_bytes() - bytes written as hex digit pairs
 * @s: e.g. "deadbeef" or "de:ad:be:ef" ('-', ':' and '.' separate pairs)
 * @out: receives a malloc()ed buffer (free() it)
 * @len: receives its length
 *
 * Return: 0; -EINVAL for an odd digit count, a stray character or no
 * bytes at all; -ENOMEM.
 */
int parse_hex_bytes(const char *s, uint8_t **out, size_t *len)
{
	size_t n = 0, cap = strlen(s) / 2 + 1;
	uint8_t *buf = malloc(cap);
	int hi = -1;

	if (!buf)
		return -ENOMEM;
	for (; *s; s++) {
		int d = hex_digit(*s);

		if (d < 0) {
			if (hi < 0 && (*s == ':' || *s == '-' || *s == '.'))
				continue;
			goto bad;
		}
		if (hi < 0) {
			hi = d;
			continue;
		}
		buf[n++] = hi << 4 | d;
		hi = -1;
	}
	if (hi >= 0 || !n)
		goto bad;
	*out = buf;
	*len = n;
	return 0;
bad:
	free(buf);
	return -EINVAL;
}

/**
 * split_line() - split a batch line into words, in place
 * @line: the line; '#' starts a comment; modified
 * @argv: receives pointers to the words
 * @max: room in @argv
 *
 * Return: the number of words (0 for a blank or comment line); -E2BIG if
 * more than @max.
 */
int split_line(char *line, char **argv, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return -E2BIG;
		argv[n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (!*p)
			return n;
		*p++ = '\0';
	}
}

#define R(n, f)	{ n, offsetof(struct hv_regs, f), \
		  sizeof(((struct hv_regs *)0)->f) }
#define SEG(n, f) R(n ".sel", f.selector), R(n ".base", f.base), \
		  R(n ".limit", f.limit), R(n ".ar", f.ar)

/* In the order hvctl prints them. */
const struct reg_desc reg_descs[] = {
	R("rax", gpr[HV_RAX]), R("rbx", gpr[HV_RBX]), R("rcx", gpr[HV_RCX]),
	R("rdx", gpr[HV_RDX]), R("rsi", gpr[HV_RSI]), R("rdi", gpr[HV_RDI]),
	R("rsp", gpr[HV_RSP]), R("rbp", gpr[HV_RBP]), R("r8", gpr[HV_R8]),
	R("r9", gpr[HV_R9]), R("r10", gpr[HV_R10]), R("r11", gpr[HV_R11]),
	R("r12", gpr[HV_R12]), R("r13", gpr[HV_R13]), R("r14", gpr[HV_R14]),
	R("r15", gpr[HV_R15]), R("rip", rip), R("rflags", rflags),
	R("cr0", cr0), R("cr2", cr2), R("cr3", cr3), R("cr4", cr4),
	R("cr8", cr8), R("efer", efer),
	R("dr0", dr[0]), R("dr1", dr[1]), R("dr2", dr[2]), R("dr3", dr[3]),
	R("dr6", dr6), R("dr7", dr7),
	SEG("cs", cs), SEG("ds", ds), SEG("es", es), SEG("fs", fs),
	SEG("gs", gs), SEG("ss", ss), SEG("tr", tr), SEG("ldtr", ldtr),
	R("gdtr.base", gdtr.base), R("gdtr.limit", gdtr.limit),
	R("idtr.base", idtr.base), R("idtr.limit", idtr.limit),
	R("star", star), R("lstar", lstar), R("cstar", cstar),
	R("sfmask", sfmask), R("kernel_gs_base", kernel_gs_base),
	R("sysenter_cs", sysenter_cs), R("sysenter_esp", sysenter_esp),
	R("sysenter_eip", sysenter_eip), R("pat", pat), R("tsc", tsc),
	R("apic_base", apic_base), R("tsc_deadline", tsc_deadline),
	R("nmi_pending", nmi_pending),
};

const size_t reg_desc_count = sizeof(reg_descs) / sizeof(reg_descs[0]);

/**
 * reg_find() - a register by name
 * @name: its name, as in reg_descs[]
 *
 * Return: its descriptor, or NULL.
 */
const struct reg_desc *reg_find(const char *name)
{
	size_t i;

	for (i = 0; i < reg_desc_count; i++)
		if (!strcmp(reg_descs[i].name, name))
			return &reg_descs[i];
	return NULL;
}

/**
 * reg_get() - a register's value
 * @r: the record
 * @d: the register
 *
 * Return: the value, zero-extended.
 */
uint64_t reg_get(const struct hv_regs *r, const struct reg_desc *d)
{
	const char *p = (const char *)r + d->offset;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (d->size) {
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}

/**
 * reg_assign() - apply "name=value" to a register record
 * @r: the record
 * @assignment: e.g. "rax=0x10" or "cs.base=0"
 * @why: receives what is wrong, on failure
 *
 * Return: 0; -EINVAL for an unknown register or a bad number; -ERANGE for
 * a value too wide for the register.
 */
int reg_assign(struct hv_regs *r, const char *assignment, const char **why)
{
	const char *eq = strchr(assignment, '=');
	const struct reg_desc *d;
	char name[32];
	uint64_t v;
	int err;

	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof(name)) {
		*why = "expected name=value";
		return -EINVAL;
	}
	memcpy(name, assignment, eq - assignment);
	name[eq - assignment] = '\0';
	d = reg_find(name);
	if (!d) {
		*why = "unknown register";
		return -EINVAL;
	}
	err = parse_u64(eq + 1, &v);
	if (err) {
		*why = "the value is not a number";
		return err;
	}
	if (d->size < 8 && v >> (8 * d->size)) {
		*why = "the value does not fit the register";
		return -ERANGE;
	}
	switch (d->size) {
	case 2: {
		uint16_t v16 = v;

		memcpy((char *)r + d->offset, &v16, 2);
		break;
	}
	case 4: {
		uint32_t v32 = v;

		memcpy((char *)r + d->offset, &v32, 4);
		break;
	}
	default:
		memcpy((char *)r + d->offset, &v, 8);
	}
	return 0;
}
