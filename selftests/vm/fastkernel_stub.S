/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protected-mode entry of a "fast" bzImage made by fastkernel.py: the
 * kernel image that follows this stub is already decompressed, so the stub
 * does what the kernel's decompressor would do last, without the minute of
 * emulated XZ decompression Bochs would otherwise spend.
 *
 * Entered by the unmodified real-mode setup code at code32_start (1 MiB)
 * in flat 32-bit protected mode, paging and interrupts off, %esi pointing
 * at boot_params (Documentation/x86/boot.rst, "32-bit boot protocol").
 * Leaves to startup_64 in long mode with an identity map of the low 4 GiB
 * and %rsi = boot_params, the state the decompressor leaves
 * (arch/x86/boot/compressed/head_64.S). No KASLR.
 *
 * Symbols set by the assembler command line:
 *   IMG_LEN   bytes of image appended after the stub (a multiple of 4)
 *   MEM_LEN   bytes the kernel occupies in memory, bss included
 *   LOAD      physical address the image was linked for
 *   ENTRY     physical address of startup_64
 */
	.text
	.code32
	.globl	stub_start
stub_start:
	cli
	cld
	movl	%esi, %edi			/* keep boot_params in %edi */

	/* Find where we run: the bootloader chose, we only know it is flat. */
	call	1f
1:	popl	%ebx
	subl	$(1b - stub_start), %ebx	/* %ebx = base of the stub */
	leal	(stack_end - stub_start)(%ebx), %esp
	pushl	%edi				/* boot_params, popped at the end */

	/*
	 * Move the image to LOAD. The destination lies above the source and
	 * the ranges overlap (the image is tens of MiB, loaded at 1 MiB,
	 * linked at 16 MiB), so copy from the top down.
	 */
	leal	(image - stub_start + IMG_LEN - 4)(%ebx), %esi
	movl	$(LOAD + IMG_LEN - 4), %edi
	movl	$(IMG_LEN / 4), %ecx
	std
	rep movsl
	cld

	/* Zero what the image does not cover: .bss, .brk and the rest. */
	movl	$(LOAD + IMG_LEN), %edi
	movl	$((MEM_LEN - IMG_LEN) / 4), %ecx
	xorl	%eax, %eax
	rep stosl

	/*
	 * Page tables in the stub's own page-aligned area: one PML4 entry,
	 * four PDPT entries, 4 x 512 2-MiB pages = identity map of 4 GiB.
	 */
	leal	(tables - stub_start + 4095)(%ebx), %edx
	andl	$~4095, %edx			/* %edx = PML4 */
	movl	%edx, %edi
	movl	$(6 * 4096 / 4), %ecx
	xorl	%eax, %eax
	rep stosl

	leal	(4096 + 0x3)(%edx), %eax	/* PML4[0] -> PDPT, present|rw */
	movl	%eax, (%edx)
	xorl	%ecx, %ecx
2:	leal	(2 * 4096 + 0x3)(%edx), %eax	/* PDPT[i] -> PD i */
	movl	%ecx, %esi
	shll	$12, %esi
	addl	%esi, %eax
	movl	%eax, 4096(%edx, %ecx, 8)
	incl	%ecx
	cmpl	$4, %ecx
	jb	2b

	movl	$0x83, %eax			/* present|rw|2M, 0..4 GiB */
	xorl	%ecx, %ecx
3:	movl	%eax, (2 * 4096)(%edx, %ecx, 8)
	addl	$0x200000, %eax
	incl	%ecx
	cmpl	$2048, %ecx
	jb	3b

	/* Our GDT: the kernel loads its own soon after startup_64. */
	leal	(gdt - stub_start)(%ebx), %eax
	movl	%eax, (gdt_ptr + 2 - stub_start)(%ebx)
	lgdt	(gdt_ptr - stub_start)(%ebx)

	/* SDM Vol. 3A, 10.8.5: PAE, CR3, EFER.LME, then CR0.PG enters IA-32e. */
	movl	%cr4, %eax
	orl	$0x20, %eax			/* CR4.PAE */
	movl	%eax, %cr4
	movl	%edx, %cr3
	movl	$0xc0000080, %ecx		/* IA32_EFER */
	rdmsr
	orl	$0x100, %eax			/* LME */
	wrmsr

	popl	%edi				/* boot_params */
	leal	(long_mode - stub_start)(%ebx), %eax
	pushl	$0x10				/* 64-bit code selector */
	pushl	%eax
	movl	%cr0, %eax
	orl	$0x80000001, %eax		/* PG | PE */
	movl	%eax, %cr0
	lret

	.code64
long_mode:
	movl	$0x18, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	%edi, %esi			/* %rsi = boot_params */
	movq	$ENTRY, %rax
	jmp	*%rax

	.balign	8
gdt:
	.quad	0				/* null */
	.quad	0				/* unused */
	.quad	0x00af9a000000ffff		/* 0x10: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff		/* 0x18: flat data */
gdt_end:
gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	0				/* base, patched at run time */

	.balign	16
	.space	1024
stack_end:
tables:
	.space	7 * 4096			/* 6 tables + alignment slack */
	.balign	4096
image:
