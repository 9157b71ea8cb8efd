/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPUID leaf 0x15's TSC/crystal ratio, as a pure function so that it is
 * unit-tested in user space (kmod/tests/test_tsc_ratio.c) as the module
 * runs it.
 */
#ifndef HV_TSC_RATIO_H
#define HV_TSC_RATIO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "tests/ktypes.h"
#endif

void hv_tsc_crystal_ratio(u32 tsc_khz, u32 crystal_khz, u32 *num, u32 *den);

#endif /* HV_TSC_RATIO_H */
