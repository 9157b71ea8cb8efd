/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hvctl's output: one API that prints either aligned "key: value" text for
 * people or JSON for programs (-j), so every command supports both.
 */
#ifndef HVCTL_OUTPUT_H
#define HVCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OUT_MAX_DEPTH 16

struct out {
	FILE *f;
	bool json;
	bool pretty;
	int depth;
	bool need_comma[OUT_MAX_DEPTH];
	bool in_array[OUT_MAX_DEPTH];
};

void out_init(struct out *o, FILE *f, bool json, bool pretty);
void out_begin_object(struct out *o, const char *key);
void out_end_object(struct out *o);
void out_begin_array(struct out *o, const char *key);
void out_end_array(struct out *o);
void out_str(struct out *o, const char *key, const char *val);
void out_u64(struct out *o, const char *key, uint64_t val);
void out_hex(struct out *o, const char *key, uint64_t val);
void out_bool(struct out *o, const char *key, bool val);
void out_flags(struct out *o, const char *key, uint64_t flags,
	       const char *const *names, unsigned int count);
void out_end(struct out *o);
void json_escape(FILE *f, const char *s);

#endif /* HVCTL_OUTPUT_H */
