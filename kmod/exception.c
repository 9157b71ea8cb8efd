// SPDX-License-Identifier: GPL-2.0
/*
 * Merging exceptions into double and triple faults (SDM Vol. 3A, 6.15,
 * Tables 6-4 and 6-5). Pure: compiled into hv.ko and into its unit test.
 */
#include "exception.h"

/* #DE, #TS, #NP, #SS, #GP: the contributory class (Table 6-4). */
static bool contributory(u8 vector)
{
	return vector == 0 || (vector >= 10 && vector <= 13);
}

static bool page_fault(u8 vector)
{
	return vector == 14;
}

/**
 * hv_exception_merge() - what the CPU delivers when delivering one
 *	exception raises another
 * @first: the exception being delivered
 * @second: the exception its delivery raised
 *
 * Contributory after contributory, and contributory or #PF after #PF,
 * make a double fault; contributory or #PF after a double fault shut the
 * processor down. Any other pair is handled serially: @second is
 * delivered (and the instruction that raised @first raises it again).
 *
 * Return: @second, HV_VECTOR_DF, or HV_TRIPLE_FAULT.
 */
int hv_exception_merge(u8 first, u8 second)
{
	bool bad = contributory(second) || page_fault(second);

	if (first == HV_VECTOR_DF && bad)
		return HV_TRIPLE_FAULT;
	if ((contributory(first) && contributory(second)) ||
	    (page_fault(first) && bad))
		return HV_VECTOR_DF;
	return second;
}

/**
 * hv_exception_is_fault() - whether an exception is a fault
 * @vector: the exception
 *
 * A fault reports the instruction that raised it, which runs again
 * after the handler; the RFLAGS image its delivery pushes has RF set, so
 * that an instruction breakpoint there does not fire again (SDM Vol. 3B,
 * 18.3.1.1). #DB is a fault or a trap, and is pushed without RF either
 * way; #BP and #OF are traps, #DF and #MC aborts (Vol. 3A, Table 6-1).
 *
 * Return: true for a fault other than #DB.
 */
bool hv_exception_is_fault(u8 vector)
{
	switch (vector) {
	case 1: case 2: case 3: case 4: case HV_VECTOR_DF: case 18:
		return false;
	}
	return true;
}
