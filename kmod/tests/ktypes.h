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
#ifndef ARRAY_SIZE	/* the selftests' harness has its own */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* The kernel's atomic bit operations and xchg(), on the GCC builtins. */
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define xchg(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define BITS_PER_LONG	(8 * sizeof(long))
#define hweight32(w)	__builtin_popcount(w)
#define __aligned(x)	__attribute__((aligned(x)))

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[nr / BITS_PER_LONG], 1UL << (nr % BITS_PER_LONG),
			  __ATOMIC_SEQ_CST);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG],
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}

static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&addr[nr / BITS_PER_LONG], m,
				 __ATOMIC_SEQ_CST) & m;
}

static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_and(&addr[nr / BITS_PER_LONG], ~m,
				  __ATOMIC_SEQ_CST) & m;
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[nr / BITS_PER_LONG], __ATOMIC_SEQ_CST) >>
		(nr % BITS_PER_LONG)) & 1;
}

#endif /* HV_TESTS_KTYPES_H */
