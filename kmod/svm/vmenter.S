/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry to and exit from an SVM guest (AMD APM Vol. 2, 15.5 VMRUN and
 * 15.5.2 VMSAVE/VMLOAD).
 *
 * VMRUN itself switches RAX, RSP, RIP, RFLAGS, CR0/3/4, EFER, DR6/7 and
 * the ES/CS/SS/DS selectors and bases; the remaining guest registers are
 * loaded here from, and saved back to, the core's gpr[] array. The state
 * VMLOAD/VMSAVE cover (FS, GS, TR, LDTR with their hidden parts,
 * KERNEL_GS_BASE, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*) is loaded for the
 * guest from its VMCB before VMRUN and saved back after; the host's copy,
 * saved by the C code when the vCPU was loaded, is reloaded right after,
 * because nothing may touch per-CPU data before GS base is the host's.
 *
 * Called with GIF clear (CLGI) and RFLAGS.IF set: the host's IF at VMRUN
 * decides whether physical interrupts exit the guest, and GIF keeps them
 * pending until the caller's STGI.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "vmenter_gpr.h"

	.text

/**
 * __hv_svm_run - run an SVM guest until its next #VMEXIT
 * @gpr: %rdi, the guest's general-purpose registers (RAX and RSP are in
 *	the VMCB and not touched)
 * @vmcb_pa: %rsi, physical address of the guest's VMCB
 * @host_save_pa: %rdx, physical address of the host's VMSAVE area
 */
SYM_FUNC_START(__hv_svm_run)
	/* The callee-saved registers are about to hold guest values. */
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx

	/*
	 * Keep what is needed after #VMEXIT on the stack, in the order it is
	 * popped: every general-purpose register will hold guest values then.
	 */
	push	%rdx		/* host VMSAVE area */
	push	%rsi		/* guest VMCB */
	push	%rdi		/* gpr[] */

	/* Guest FS/GS/TR/LDTR, syscall MSRs: after this, no per-CPU access. */
	mov	%rsi, %rax
1:	vmload	%rax
2:
	/* Guest GPRs; RDI last since it points at the array. */
	mov	GPR_RCX(%rdi), %rcx
	mov	GPR_RDX(%rdi), %rdx
	mov	GPR_RBX(%rdi), %rbx
	mov	GPR_RBP(%rdi), %rbp
	mov	GPR_RSI(%rdi), %rsi
	mov	GPR_R8(%rdi), %r8
	mov	GPR_R9(%rdi), %r9
	mov	GPR_R10(%rdi), %r10
	mov	GPR_R11(%rdi), %r11
	mov	GPR_R12(%rdi), %r12
	mov	GPR_R13(%rdi), %r13
	mov	GPR_R14(%rdi), %r14
	mov	GPR_R15(%rdi), %r15
	mov	GPR_RDI(%rdi), %rdi

	/*
	 * VERW clears CPU buffers where the kernel asks for it before guest
	 * entry (X86_FEATURE_CLEAR_CPU_BUF_VM, TSA); it clobbers ZF only.
	 * Nothing but VMRUN may follow that could refill them.
	 */
	VM_CLEAR_CPU_BUFFERS

	/* RAX holds the VMCB address, which VMRUN also restores on #VMEXIT. */
3:	vmrun	%rax
4:
	/* #VMEXIT: RSP and RAX are the host's again, the rest the guest's. */
	pop	%rax		/* gpr[] */
	mov	%rcx, GPR_RCX(%rax)
	mov	%rdx, GPR_RDX(%rax)
	mov	%rbx, GPR_RBX(%rax)
	mov	%rbp, GPR_RBP(%rax)
	mov	%rsi, GPR_RSI(%rax)
	mov	%rdi, GPR_RDI(%rax)
	mov	%r8, GPR_R8(%rax)
	mov	%r9, GPR_R9(%rax)
	mov	%r10, GPR_R10(%rax)
	mov	%r11, GPR_R11(%rax)
	mov	%r12, GPR_R12(%rax)
	mov	%r13, GPR_R13(%rax)
	mov	%r14, GPR_R14(%rax)
	mov	%r15, GPR_R15(%rax)

	/* Save the guest's VMLOAD/VMSAVE state into its VMCB. */
	pop	%rax		/* guest VMCB */
5:	vmsave	%rax
6:
	/* Host FS/GS/TR/LDTR back: per-CPU data is reachable again. */
	pop	%rax		/* host VMSAVE area */
7:	vmload	%rax
8:
	/*
	 * Spectre v2 / RSB underflow: the guest may have filled the return
	 * stack buffer; refill it before the first RET (the kernel decides
	 * per CPU through X86_FEATURE_RSB_VMEXIT).
	 */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT

	/* Retbleed: untrain return predictions the guest may have trained. */
	UNTRAIN_RET

	/* SRSO with the ibpb-vmexit mitigation: IBPB after every exit. */
	ALTERNATIVE "", "call entry_ibpb", X86_FEATURE_IBPB_ON_VMEXIT

	/*
	 * Clear the guest's values from every register the C code may use,
	 * so that none feeds speculation (RSP and RAX are the host's).
	 */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%ebx, %ebx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d

	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET

	/*
	 * VMLOAD, VMRUN and VMSAVE fault only if SVM was switched off under
	 * us (emergency reboot or crash shutdown on another CPU): carry on,
	 * the guest simply does not run.
	 */
	_ASM_EXTABLE(1b, 2b)
	_ASM_EXTABLE(3b, 4b)
	_ASM_EXTABLE(5b, 6b)
	_ASM_EXTABLE(7b, 8b)
SYM_FUNC_END(__hv_svm_run)
