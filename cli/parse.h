/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hvctl parses from its command line and batch files: numbers,
 * sizes, guest modes, register assignments, hex bytes, batch lines. Pure
 * functions, unit-tested on their own.
 */
#ifndef HVCTL_PARSE_H
#define HVCTL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "libhv.h"

int parse_u64(const char *s, uint64_t *v);
int parse_u32(const char *s, uint32_t *v);
int parse_size(const char *s, uint64_t *v);
int parse_mode(const char *s, enum hv_mode *mode);
int parse_hex_bytes(const char *s, uint8_t **out, size_t *len);
int split_line(char *line, char **argv, int max);

/**
 * struct reg_desc - one field of struct hv_regs, by name
 * @name: as hvctl prints and parses it ("rax", "cs.base", "cr0", ...)
 * @offset: offset in struct hv_regs
 * @size: 2, 4 or 8 bytes
 */
struct reg_desc {
	const char *name;
	size_t offset;
	unsigned int size;
};

extern const struct reg_desc reg_descs[];
extern const size_t reg_desc_count;

const struct reg_desc *reg_find(const char *name);
uint64_t reg_get(const struct hv_regs *r, const struct reg_desc *d);
int reg_assign(struct hv_regs *r, const char *assignment, const char **why);

#endif /* HVCTL_PARSE_H */
