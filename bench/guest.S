/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of hv's exit benchmark. Assembled once and linked into both
 * runners, which copy bench_guest_start..bench_guest_end to BENCH_LOAD_GPA,
 * start a real-mode vCPU (CS = 0) at one of the entry points below with
 * N in EDI, and answer its port exits.
 *
 * Every case is the same loop around one instruction: a start marker, N
 * iterations of "xor; <insn>; dec; jnz", an end marker, HLT. The baseline's
 * <insn> is a NOP, so subtracting its time leaves what the exiting
 * instruction costs beyond an ordinary one, loop and markers included in
 * neither. Only relative jumps: the code runs wherever it is loaded.
 */
#include "bench.h"

.macro bench_loop name, insn:vararg
	.globl	\name
\name:
	mov	%edi, %esi
	mov	$BENCH_MARK_PORT, %dx
	mov	$BENCH_MARK_START, %al
	out	%al, (%dx)
	mov	$BENCH_IO_PORT, %dx
1:	xor	%eax, %eax		/* CPUID leaf 0, OUT data 0 */
	\insn
	dec	%esi
	jnz	1b
	/* CPUID clobbered DX. */
	mov	$BENCH_MARK_PORT, %dx
	mov	$BENCH_MARK_END, %al
	out	%al, (%dx)
	hlt
	/* Nothing wakes it: a spurious resume halts again. */
	jmp	. - 1
.endm

/*
 * The OUT that signals the host's eventfd, then a halt that the host's
 * interrupt ends: STI's shadow covers HLT, so an interrupt that comes
 * before HLT still ends it (SDM Vol. 2B, STI).
 */
.macro notify_wait
	cli
	out	%al, (%dx)
	sti
	hlt
.endm

/*
 * The IVT entry at 0:\slot pointing at 0:\handler, whose address a call
 * finds, the code being relocatable. DS is 0.
 */
.macro ivt_set slot, handler
	call	1f
1:	pop	%bx
	add	$(\handler - 1b), %bx
	mov	%bx, \slot
	movw	$0, \slot + 2
.endm

/*
 * The x2APIC on and software-enabled, IVT entry 0x40 pointing at
 * bench_ipi_handler, interrupts on.
 */
.macro apic_setup
	mov	$0x1b, %ecx		/* IA32_APIC_BASE: EN | EXTD */
	rdmsr
	or	$0xc00, %eax
	wrmsr
	mov	$0x80f, %ecx		/* SVR: software enable */
	mov	$0x1ff, %eax
	xor	%edx, %edx
	wrmsr
	xor	%ax, %ax
	mov	%ax, %ds
	ivt_set	0x100, bench_ipi_handler	/* IVT[0x40] */
	sti
.endm

/* 1,000 LOOPs: the work the timer case's ticks interrupt. */
.macro spin
	mov	$1000, %cx
2:	loop	2b
.endm

/*
 * WRMSR of x2APIC ICR: vector 0x41 to APIC 1, then a halt its answer
 * ends (STI's shadow covers HLT, as in notify_wait).
 */
.macro ipi_peer_wait
	cli
	mov	$0x830, %ecx
	mov	$0x4041, %eax
	mov	$1, %edx
	wrmsr
	sti
	hlt
.endm

/* WRMSR of x2APIC SELF IPI, vector 0x40 (EAX is 0 at this point). */
.macro self_ipi
	mov	$0x83f, %ecx
	mov	$0x40, %al
	xor	%edx, %edx
	wrmsr
.endm

	.section .rodata.bench_guest, "a"
	.code16
	.globl	bench_guest_start
bench_guest_start:
	bench_loop bench_guest_baseline, nop
	bench_loop bench_guest_cpuid, cpuid
	bench_loop bench_guest_pio, out %al, (%dx)
	/* The same OUT, with an ioeventfd on the port (issue 12, case d). */
	bench_loop bench_guest_ioeventfd, out %al, (%dx)

/*
 * The self-IPI round trip (issue 12, benchmark a): each iteration writes
 * SELF IPI with vector 0x40, and the handler that interrupts right after
 * the WRMSR writes EOI and returns.
 */
	.globl	bench_guest_ipi
bench_guest_ipi:
	apic_setup
	bench_loop bench_guest_ipi_loop, self_ipi

/*
 * The device round trip (issue 12, cases c and d together): each
 * iteration's OUT signals an ioeventfd, a host thread reads it and
 * writes an irqfd whose MSI (vector 0x40) wakes the halted vCPU; the
 * handler writes EOI and returns past the HLT.
 */
	.globl	bench_guest_irqfd
bench_guest_irqfd:
	apic_setup
	bench_loop bench_guest_irqfd_loop, notify_wait

/*
 * The APIC timer's cost (issue 12, case e): the spin loop with a
 * periodic timer every BENCH_TIMER_COUNT ns (divide by 1 of a 1 GHz bus
 * in both hypervisors), vector 0x41, whose handler counts the ticks in
 * 0:BENCH_TICKS and writes EOI; "timer-off" is the same loop without it.
 * The difference over the ticks is what one tick costs, handler included.
 */
	.globl	bench_guest_timer
bench_guest_timer:
	apic_setup
	ivt_set	0x104, bench_tick_handler	/* IVT[0x41] */
	movl	$0, BENCH_TICKS
	xor	%edx, %edx
	mov	$0x83e, %ecx		/* TDCR: divide by 1 */
	mov	$0xb, %eax
	wrmsr
	mov	$0x832, %ecx		/* LVTT: periodic, vector 0x41 */
	mov	$0x20041, %eax
	wrmsr
	mov	$0x838, %ecx		/* TMICT */
	mov	$BENCH_TIMER_COUNT, %eax
	wrmsr
	bench_loop bench_guest_timer_loop, spin

	bench_loop bench_guest_timer_off, spin

bench_tick_handler:
	pushal
	incl	BENCH_TICKS
	mov	$0x80b, %ecx		/* EOI */
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	popal
	iret

bench_ipi_handler:
	pushal
	mov	$0x80b, %ecx		/* EOI */
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	popal
	iret
/*
 * An IPI to a halted vCPU (issue 12, benchmark b), there and back: each
 * iteration sends vector 0x41 to APIC 1 and halts; vCPU 1, halted, wakes
 * into bench_peer_handler, which sends vector 0x40 back to APIC 0 and
 * writes EOI; vCPU 0 wakes into bench_ipi_handler. Two IPIs to a halted
 * vCPU per iteration. vCPU 0 starts once vCPU 1 is ready (0:BENCH_PEER).
 */
	.globl	bench_guest_ipi_halted
bench_guest_ipi_halted:
	apic_setup
1:	cmpl	$1, BENCH_PEER
	jne	1b
	bench_loop bench_guest_ipi_halted_loop, ipi_peer_wait

	.globl	bench_guest_ipi_peer
bench_guest_ipi_peer:
	apic_setup
	ivt_set	0x104, bench_peer_handler	/* IVT[0x41] */
	movl	$1, BENCH_PEER
1:	hlt
	jmp	1b

bench_peer_handler:
	pushal
	mov	$0x830, %ecx		/* ICR: fixed, vector 0x40, to APIC 0 */
	mov	$0x4040, %eax
	xor	%edx, %edx
	wrmsr
	mov	$0x80b, %ecx		/* EOI */
	xor	%eax, %eax
	wrmsr
	popal
	iret
	.globl	bench_guest_end
bench_guest_end:
	.code64
	.section .note.GNU-stack, "", @progbits
