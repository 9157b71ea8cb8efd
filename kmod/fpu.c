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
 *
 * The image comes from the owner (vcpu-set-regs), so it is checked as the
 * restoring instruction would check it (hv_fpu_check()), and restored
 * with an exception-table entry all the same: no image can fault the
 * host (the guest only ever sees #GP from LDMXCSR, never its own XRSTOR).
 */
#include <linux/gfp.h>
#include <linux/string.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/special_insns.h>

#include "hv_host.h"

#define XFEATURES_GUEST	(XFEATURE_MASK_FP | XFEATURE_MASK_SSE)
#define XSTATE_BV_OFF	512
#define MXCSR_OFF	24
#define MXCSR_MASK_OFF	28

/* The MXCSR bits this CPU lets software set (SDM Vol. 1, 11.6.6). */
static u32 mxcsr_mask __ro_after_init = 0xffbf;

static void xsave(void *area, u64 mask)
{
	asm volatile("xsave64 %0"
		     : "+m" (*(u8 (*)[576])area)
		     : "a" ((u32)mask), "d" ((u32)(mask >> 32))
		     : "memory");
}

/* A fault skips the store of @ok: the exception table resumes at 2. */
static int xrstor(void *area, u64 mask)
{
	u8 ok = 0;

	asm volatile("1: xrstor64 %[area]\n\t"
		     "movb $1, %[ok]\n"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [ok] "+qm" (ok)
		     : [area] "m" (*(u8 (*)[576])area),
		       "a" ((u32)mask), "d" ((u32)(mask >> 32))
		     : "memory");
	return ok ? 0 : -EFAULT;
}

static void fxsave(void *area)
{
	asm volatile("fxsaveq %0" : "=m" (*(u8 (*)[512])area) : : "memory");
}

static int fxrstor(void *area)
{
	u8 ok = 0;

	asm volatile("1: fxrstorq %[area]\n\t"
		     "movb $1, %[ok]\n"
		     "2:\n\t"
		     _ASM_EXTABLE(1b, 2b)
		     : [ok] "+qm" (ok)
		     : [area] "m" (*(u8 (*)[512])area)
		     : "memory");
	return ok ? 0 : -EFAULT;
}

/**
 * hv_fpu_init() - learn which MXCSR bits the CPU accepts
 *
 * FXSAVE stores MXCSR_MASK; 0 there means the default mask 0xffbf (SDM
 * Vol. 1, 11.6.6).
 *
 * Context: module init, may sleep.
 */
void __init hv_fpu_init(void)
{
	u8 *area = (u8 *)get_zeroed_page(GFP_KERNEL);
	u32 mask;

	if (!area)
		return;		/* the default mask is the narrowest */
	kernel_fpu_begin();
	fxsave(area);
	kernel_fpu_end();
	mask = *(u32 *)(area + MXCSR_MASK_OFF);
	if (mask)
		mxcsr_mask = mask;
	free_page((unsigned long)area);
}

/**
 * hv_fpu_check() - whether an FXSAVE image may be loaded
 * @fxsave_img: 512 bytes, as vcpu-set-regs carries them
 *
 * FXRSTOR and XRSTOR raise #GP for an MXCSR with a bit set that
 * MXCSR_MASK clears (SDM Vol. 1, 10.5.1.2 and 13.8.1); every other field
 * of the legacy area is loaded as it is, and the XSAVE header that XRSTOR
 * also checks is hv's own.
 *
 * Return: NULL, or a sentence naming the bad value.
 */
const char *hv_fpu_check(const u8 *fxsave_img)
{
	if (*(const u32 *)(fxsave_img + MXCSR_OFF) & ~mxcsr_mask)
		return "fpu image: mxcsr has bits set that this CPU reserves (mxcsr_mask)";
	return NULL;
}

static void init_image(u8 *area)
{
	/*
	 * XSTATE_BV = 0 means every component is in its initial state; for
	 * FXRSTOR the image itself must hold it: FCW 0x37f, MXCSR 0x1f80
	 * (SDM Vol. 1, Table 13-1).
	 */
	memset(area, 0, 512 + 64);
	*(u16 *)area = 0x37f;
	*(u32 *)(area + MXCSR_OFF) = 0x1f80;
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
	init_image(area);
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

static int restore(void *area)
{
	if (boot_cpu_has(X86_FEATURE_XSAVE))
		return xrstor(area, XFEATURES_GUEST);
	return fxrstor(area);
}

/**
 * hv_fpu_enter() - load the guest's FPU state; preemption goes off
 * @vcpu: the vCPU (its own thread)
 *
 * An image the CPU refuses (hv_fpu_check() makes that impossible) is
 * replaced by the initial state, and reported; hv_fpu_leave() must
 * follow either way.
 *
 * Return: 0, or -EFAULT if the image could not be loaded.
 */
int hv_fpu_enter(struct hv_vcpu *vcpu)
{
	int err;

	kernel_fpu_begin();
	if (boot_cpu_has(X86_FEATURE_XSAVE)) {
		vcpu->host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
		if (vcpu->host_xcr0 != XFEATURES_GUEST)
			xsetbv(XCR_XFEATURE_ENABLED_MASK, XFEATURES_GUEST);
	}
	err = restore(vcpu->fpu);
	if (unlikely(err)) {
		init_image(vcpu->fpu);
		restore(vcpu->fpu);
	}
	return err;
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
