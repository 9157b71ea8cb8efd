/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the CPU merges an exception raised while it delivers another (SDM
 * Vol. 3A, 6.15), as a pure function, so that the rule is unit-tested in
 * user space (kmod/tests/test_exception.c) exactly as the module runs it.
 */
#ifndef HV_EXCEPTION_H
#define HV_EXCEPTION_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "tests/ktypes.h"
#endif

#define HV_VECTOR_DF		8	/* double fault */
#define HV_TRIPLE_FAULT		(-1)

int hv_exception_merge(u8 first, u8 second);
bool hv_exception_is_fault(u8 vector);

#endif /* HV_EXCEPTION_H */
