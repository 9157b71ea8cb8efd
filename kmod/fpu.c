// SPDX-License-Identifier: GPL-2.0
/*
 * Guest FPU state (DESIGN rule 8). A vCPU thread is a kernel thread: its
 * FPU registers are not preserved by the scheduler and softirqs may use
 * them, so the guest's x87/SSE state is live in the registers only between
 * hv_fpu_enter() and hv_fpu_leave(), inside kernel_fpu_begin()/_end().
 *
 * Guests see no XSAVE (CPUID hides it), so their state is x87 and SSE.
 * While they run, XCR0 holds just those two components: AVX and later
 * state is then inaccessible to the guest (SDM Vol. 1, 13.3), so host
 * values left in those registers can neither leak into nor be changed by
 * the guest. The state is saved with XSAVE where the CPU has it (FXSAVE
 * otherwise) into a page-sized, 64-byte aligned area.
 */
#include <linux/gfp.h>
#include <linux/string.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/special_insns.h>

#include "hv.h"

#define XFEATURES_GUEST	(XFEATURE_MASK_FP | XFEATURE_MASK_SSE)
#define XSTATE_BV_OFF	512

static void xsave(void *area, u64 mask)
{
	asm volatile("xsave64 %0"
		     : "+m" (*(u8 (*)[576])area)
		     : "a" ((u32)mask), "d" ((u32)(mask >> 32))
		     : "memory");
}

static void xrstor(void *area, u64 mask)
{
	asm volatile("xrstor64 %0"
		     :
		     : "m" (*(u8 (*)[576])area),
		       "a" ((u32)mask), "d" ((u32)(mask >> 32))
		     : "memory");
}

static void fxsave(void *area)
{
	asm volatile("fxsaveq %0" : "=m" (*(u8 (*)[512])area) : : "memory");
}

static void fxrstor(void *area)
{
	asm volatile("fxrstorq %0" : : "m" (*(u8 (*)[512])area) : "memory");
}

/**
 * hv_fpu_alloc() - allocate a vCPU's FPU area in the INIT state
 * @vcpu: the vCPU
 *
 * Return: 0 or -ENOMEM.
 */
int hv_fpu_alloc(struct hv_vcpu *vcpu)
{
	u8 *area = (u8 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

	if (!area)
		return -ENOMEM;
	/*
	 * XSTATE_BV = 0 means every component is in its initial state; for
	 * FXRSTOR the image itself must hold it: FCW 0x37f, MXCSR 0x1f80
	 * (SDM Vol. 1, Table 13-1).
	 */
	*(u16 *)area = 0x37f;
	*(u32 *)(area + 24) = 0x1f80;
	vcpu->fpu = area;
	return 0;
}

/**
 * hv_fpu_free() - free a vCPU's FPU area
 * @vcpu: the vCPU
 */
void hv_fpu_free(struct hv_vcpu *vcpu)
{
	free_page((unsigned long)vcpu->fpu);
	vcpu->fpu = NULL;
}

/**
 * hv_fpu_enter() - load the guest's FPU state; preemption goes off
 * @vcpu: the vCPU (its own thread)
 */
void hv_fpu_enter(struct hv_vcpu *vcpu)
{
	kernel_fpu_begin();
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		vcpu->host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		if (vcpu->host_xcr0 != XFEATURES_GUEST)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, XFEATURES_GUEST);
		xrstor(vcpu->fpu, XFEATURES_GUEST);
	} else {
		fxrstor(vcpu->fpu);
	}
}

/**
 * hv_fpu_leave() - save the guest's FPU state; preemption comes back on
 * @vcpu: the vCPU (its own thread)
 */
void hv_fpu_leave(struct hv_vcpu *vcpu)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		xsave(vcpu->fpu, XFEATURES_GUEST);
		/* Give the host its XCR0 back before anything else may run. */
		if (vcpu->host_xcr0 != XFEATURES_GUEST)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu->host_xcr0);
	} else {
		fxsave(vcpu->fpu);
	}
	kernel_fpu_end();
}

/**
 * hv_fpu_get() - the guest's x87/SSE state in FXSAVE format
 * @vcpu: the vCPU, not running
 * @fxsave_img: 512 bytes
 */
void hv_fpu_get(struct hv_vcpu *vcpu, u8 *fxsave_img)
{
	const u8 *area = vcpu->fpu;
	u64 bv;

	memcpy(fxsave_img, area, 512);
	if (!boot_cpu_has(X86_FEATURE_XSAVE))
		return;
	/* Components XSAVE found in their initial state were not written. */
	bv = *(const u64 *)(area + XSTATE_BV_OFF);
	if (!(bv & XFEATURE_MASK_FP)) {
		memset(fxsave_img, 0, 24);
		memset(fxsave_img + 32, 0, 128);
		*(u16 *)fxsave_img = 0x37f;
	}
	if (!(bv & XFEATURE_MASK_SSE))
		memset(fxsave_img + 160, 0, 256);
}

/**
 * hv_fpu_set() - load x87/SSE state in FXSAVE format
 * @vcpu: the vCPU, not running
 * @fxsave_img: 512 bytes
 */
void hv_fpu_set(struct hv_vcpu *vcpu, const u8 *fxsave_img)
{
	u8 *area = vcpu->fpu;

	memcpy(area, fxsave_img, 512);
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		*(u64 *)(area + XSTATE_BV_OFF) |= XFEATURES_GUEST;
}
