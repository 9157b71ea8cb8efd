// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON writers behind one API. JSON keys are snake_case; the text
 * form prints the same keys with spaces, values aligned, nested objects
 * indented, and arrays of scalars on one line.
 */
#include <string.h>

#include "output.h"

#define TEXT_KEY_WIDTH 18

/**
 * out_init() - start writing a document
 * @o: the writer
 * @f: where to write
 * @json: JSON instead of text
 * @pretty: indent JSON over several lines
 */
void out_init(struct out *o, FILE *f, bool json, bool pretty)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
	o->pretty = pretty;
}

/**
 * json_escape() - write a JSON string literal
 * @f: where to write
 * @s: UTF-8 text; control characters are escaped as \uXXXX
 */
void json_escape(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void indent(struct out *o, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", o->f);
}

/* JSON: separator and indentation before a member, then its key. */
static void json_member(struct out *o, const char *key)
{
	if (o->need_comma[o->depth])
		fputc(',', o->f);
	if (o->pretty && o->depth > 0) {
		fputc('\n', o->f);
		indent(o, o->depth);
	}
	o->need_comma[o->depth] = true;
	if (key && !o->in_array[o->depth]) {
		json_escape(o->f, key);
		fputs(o->pretty ? ": " : ":", o->f);
	}
}

/* Text: "key:" padded so that values line up; '_' reads as a space. */
static void text_key(struct out *o, const char *key)
{
	int n = 0;
	const char *p;

	indent(o, o->depth);
	for (p = key; *p; p++, n++)
		fputc(*p == '_' ? ' ' : *p, o->f);
	fputc(':', o->f);
	n += 1 + 2 * o->depth;
	do
		fputc(' ', o->f);
	while (++n < TEXT_KEY_WIDTH);
}

static void push(struct out *o, bool array)
{
	if (o->depth < OUT_MAX_DEPTH - 1)
		o->depth++;
	o->need_comma[o->depth] = false;
	o->in_array[o->depth] = array;
}

static void pop(struct out *o)
{
	if (o->depth > 0)
		o->depth--;
}

/**
 * out_begin_object() - open an object
 * @o: the writer
 * @key: its key in the enclosing object; NULL at top level or in arrays
 */
void out_begin_object(struct out *o, const char *key)
{
	if (o->json) {
		json_member(o, key);
		fputc('{', o->f);
		push(o, false);
		return;
	}
	if (key) {
		indent(o, o->depth);
		for (; *key; key++)
			fputc(*key == '_' ? ' ' : *key, o->f);
		fputs(":\n", o->f);
		push(o, false);
	}
}

/**
 * out_end_object() - close the innermost object
 * @o: the writer
 */
void out_end_object(struct out *o)
{
	if (o->json) {
		bool had = o->need_comma[o->depth];

		pop(o);
		if (o->pretty && had) {
			fputc('\n', o->f);
			indent(o, o->depth);
		}
		fputc('}', o->f);
		return;
	}
	if (o->depth > 0)
		pop(o);
}

/**
 * out_begin_array() - open an array of scalars
 * @o: the writer
 * @key: its key in the enclosing object
 */
void out_begin_array(struct out *o, const char *key)
{
	if (o->json) {
		json_member(o, key);
		fputc('[', o->f);
		push(o, true);
		/* Arrays of scalars stay on one line even when pretty. */
		return;
	}
	text_key(o, key);
	push(o, true);
}

/**
 * out_end_array() - close the innermost array
 * @o: the writer
 */
void out_end_array(struct out *o)
{
	if (o->json) {
		pop(o);
		fputc(']', o->f);
		return;
	}
	if (!o->need_comma[o->depth])
		fputs("-", o->f);
	pop(o);
	fputc('\n', o->f);
}

static bool array_item(struct out *o)
{
	if (!o->in_array[o->depth])
		return false;
	if (o->json) {
		if (o->need_comma[o->depth])
			fputc(',', o->f);
	} else if (o->need_comma[o->depth]) {
		fputc(' ', o->f);
	}
	o->need_comma[o->depth] = true;
	return true;
}

/**
 * out_str() - a string member (or array item, with @key NULL)
 * @o: the writer
 * @key: the member's key
 * @val: the value
 */
void out_str(struct out *o, const char *key, const char *val)
{
	if (array_item(o)) {
		if (o->json)
			json_escape(o->f, val);
		else
			fputs(val, o->f);
		return;
	}
	if (o->json) {
		json_member(o, key);
		json_escape(o->f, val);
		return;
	}
	text_key(o, key);
	fprintf(o->f, "%s\n", val);
}

/**
 * out_u64() - an unsigned integer member (or array item)
 * @o: the writer
 * @key: the member's key
 * @val: the value
 */
void out_u64(struct out *o, const char *key, uint64_t val)
{
	if (array_item(o)) {
		fprintf(o->f, "%llu", (unsigned long long)val);
		return;
	}
	if (o->json)
		json_member(o, key);
	else
		text_key(o, key);
	fprintf(o->f, o->json ? "%llu" : "%llu\n", (unsigned long long)val);
}

/**
 * out_hex() - an address or register: 0x-prefixed hex in both forms
 * @o: the writer
 * @key: the member's key (NULL in arrays)
 * @val: the value
 *
 * JSON carries it as a string: 64-bit values do not survive JSON
 * readers that hold numbers as doubles.
 */
void out_hex(struct out *o, const char *key, uint64_t val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)val);
	out_str(o, key, buf);
}

/**
 * out_bool() - a boolean member (text: yes/no)
 * @o: the writer
 * @key: the member's key
 * @val: the value
 */
void out_bool(struct out *o, const char *key, bool val)
{
	if (o->json) {
		json_member(o, key);
		fputs(val ? "true" : "false", o->f);
		return;
	}
	text_key(o, key);
	fputs(val ? "yes\n" : "no\n", o->f);
}

/**
 * out_flags() - an array of the names of the bits set in @flags
 * @o: the writer
 * @key: the member's key
 * @flags: the bits
 * @names: name of each bit, by bit number
 * @count: entries in @names; higher bits print as "bit<N>"
 */
void out_flags(struct out *o, const char *key, uint64_t flags,
	       const char *const *names, unsigned int count)
{
	char unknown[16];
	unsigned int bit;

	out_begin_array(o, key);
	for (bit = 0; bit < 64; bit++) {
		if (!(flags & (1ULL << bit)))
			continue;
		if (bit < count) {
			out_str(o, NULL, names[bit]);
		} else {
			snprintf(unknown, sizeof(unknown), "bit%u", bit);
			out_str(o, NULL, unknown);
		}
	}
	out_end_array(o);
}

/**
 * out_end() - finish the document (JSON ends with a newline)
 * @o: the writer
 */
void out_end(struct out *o)
{
	if (o->json)
		fputc('\n', o->f);
	fflush(o->f);
}
