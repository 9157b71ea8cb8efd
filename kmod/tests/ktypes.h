/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel types and helpers that kmod's pure files (decode.c) use,
 * for building them into the userspace unit tests.
 */
#ifndef HV_TESTS_KTYPES_H
#define HV_TESTS_KTYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define BIT(n)	(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* HV_TESTS_KTYPES_H */
