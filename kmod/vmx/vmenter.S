/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry to and exit from a VMX guest (Intel SDM Vol. 3C, chapters 27 and
 * 28), and the call of a host interrupt handler after an exit that
 * acknowledged the interrupt.
 *
 * VM entry loads the guest's RSP, RIP, RFLAGS, control registers, segment
 * state and the MSRs the VMCS names; the other general-purpose registers
 * are loaded here from, and saved back to, the core's gpr[] array. VM exit
 * loads the host state fields, in particular HOST_RSP and HOST_RIP: the
 * exit continues at .Lvmx_exit with the stack this routine built.
 *
 * Called with interrupts off, and the current VMCS the vCPU's.
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "vmenter_gpr.h"

/* VMCS field encodings (SDM Vol. 3C, Appendix B). */
#define VMCS_HOST_RSP	0x6c14
#define VMCS_HOST_RIP	0x6c16

	.text

/**
 * __hv_vmx_run - run a VMX guest until its next VM exit
 * @gpr: %rdi, the guest's general-purpose registers (RSP is in the VMCS)
 * @resume: %sil, nonzero to VMRESUME, zero to VMLAUNCH
 * @host_rsp: %rdx, the HOST_RSP value the VMCS holds, updated here
 *
 * Return: 0 after a VM exit; 1 if VMLAUNCH or VMRESUME failed (the guest
 * did not run, the VM-instruction error field says why). Either way the
 * host's stack and callee-saved registers are intact.
 */
SYM_FUNC_START(__hv_vmx_run)
	/* The callee-saved registers are about to hold guest values. */
	push	%rbp
	mov	%rsp, %rbp
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx

	/* gpr[] is needed after the exit, when every register is the guest's. */
	push	%rdi

	/*
	 * The exit lands here with RSP = HOST_RSP. It only changes when the
	 * call chain does, so the VMWRITE is skipped when it is the same.
	 */
	cmp	%rsp, (%rdx)
	je	1f
	mov	%rsp, (%rdx)
	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
1:
	/* HOST_RIP is constant; written here so the C side needs no label. */
	mov	$VMCS_HOST_RIP, %eax
	lea	.Lvmx_exit(%rip), %rcx
	vmwrite	%rcx, %rax

	/* CF = resume; nothing below changes CF until the jump. */
	bt	$0, %esi

	/* Guest GPRs; RDI last since it points at the array. */
	mov	GPR_RAX(%rdi), %rax
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
	 * VERW clears CPU buffers (MDS, MMIO stale data) where the kernel
	 * asks for it before guest entry. It clobbers ZF only; CF survives.
	 */
	VM_CLEAR_CPU_BUFFERS

	jnc	.Lvmx_launch

	/*
	 * A successful VMRESUME or VMLAUNCH continues at .Lvmx_exit after
	 * the next VM exit (HOST_RIP); tell objtool the stack there is the
	 * one here.
	 */
	UNWIND_HINT_SAVE
2:	vmresume
	jmp	.Lvmx_fail
.Lvmx_launch:
3:	vmlaunch
	/*
	 * Falling through means VMfailValid or VMfailInvalid (SDM Vol. 3C,
	 * 31.2): no exit happened, RSP is still ours, the registers hold
	 * guest values.
	 */
	jmp	.Lvmx_fail

.Lvmx_exit:
	UNWIND_HINT_RESTORE
	ENDBR
	/*
	 * VM exit: RSP is HOST_RSP, pointing at the saved gpr[] pointer;
	 * every other register holds the guest's value. Keep the guest's
	 * RAX on the stack while RAX finds gpr[].
	 */
	push	%rax
	mov	8(%rsp), %rax
	pop	GPR_RAX(%rax)
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
	xor	%eax, %eax
	jmp	.Lvmx_out

.Lvmx_fail:
	mov	$1, %eax

.Lvmx_out:
	/*
	 * Spectre v2 / RSB underflow and post-barrier RSB predictions: the
	 * guest may have filled the return stack buffer; refill it before
	 * the first RET where the kernel says so (X86_FEATURE_RSB_VMEXIT,
	 * or the one-entry form with eIBRS, X86_FEATURE_RSB_VMEXIT_LITE).
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE

	/* BHI: the guest may have trained the branch history; clear it. */
	CLEAR_BRANCH_HISTORY_VMEXIT

	/*
	 * Clear the guest's values from every register the C code may use,
	 * so that none feeds speculation. RAX holds the result.
	 */
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%ebx, %ebx
	xor	%ebp, %ebp
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d

	add	$8, %rsp	/* gpr[] */
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	pop	%rbp
	RET

	/*
	 * VMRESUME and VMLAUNCH fault only if VMX was switched off under us
	 * (emergency reboot or crash shutdown on another CPU): report a
	 * failed entry.
	 */
	_ASM_EXTABLE(2b, .Lvmx_fail)
	_ASM_EXTABLE(3b, .Lvmx_fail)
SYM_FUNC_END(__hv_vmx_run)

/**
 * __hv_vmx_do_interrupt - call a host interrupt or NMI handler
 * @entry: %rdi, the handler's IDT entry point
 *
 * With "acknowledge interrupt on exit" the CPU took the interrupt from the
 * APIC but did not deliver it; this builds the frame the CPU would have
 * pushed (16-byte aligned, SS:RSP, RFLAGS with IF clear, CS) and calls the
 * IDT's entry point, whose IRET comes back here.
 */
SYM_FUNC_START(__hv_vmx_do_interrupt)
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	push	$__KERNEL_CS
	CALL_NOSPEC rdi
	/* IRET restored RSP to the pushed RBP. */
	leave
	RET
SYM_FUNC_END(__hv_vmx_do_interrupt)
