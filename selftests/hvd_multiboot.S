/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A multiboot (v1) test kernel for hvd_test: it checks the state the
 * Multiboot Specification 0.6.96, 3.2 promises (EAX magic, MBI flags,
 * mem_lower, the command line) and reports through QEMU's isa-debug-exit
 * port: the first byte of its command line if all is well, 1 for a bad
 * magic, 2 for missing memory information, 3 for a missing command line.
 * A command line that starts with 'E' makes it a console echo instead:
 * it polls COM1 and sends back each byte it reads, letters in upper case,
 * until it reads 'q', which it reports.
 */
	.set	MB_MAGIC, 0x1badb002
	.set	MB_FLAGS, 0x3			/* page-align, memory info */
	.set	DEBUG_EXIT, 0xf4
	.set	COM1, 0x3f8
	.set	LSR_DR, 1			/* line status: data ready */

	.text
	.code32
	.globl	_start
	.align	4
header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

_start:
	cmpl	$0x2badb002, %eax
	jne	1f
	movb	$2, %al
	testl	$1, (%ebx)			/* mem_lower, mem_upper */
	jz	report
	cmpl	$639, 4(%ebx)
	jne	report
	movb	$3, %al
	testl	$4, (%ebx)			/* cmdline */
	jz	report
	movl	16(%ebx), %esi
	movb	(%esi), %al
	cmpb	$'E', %al
	je	echo
	jmp	report
1:	movb	$1, %al
report:
	outb	%al, $DEBUG_EXIT
2:	hlt
	jmp	2b

	/* Each poll is an exit to hvd: a pause loop between them. */
echo:
	movl	$20000, %ecx
3:	pause
	loop	3b
	movw	$COM1 + 5, %dx
	inb	%dx, %al
	testb	$LSR_DR, %al
	jz	echo
	movw	$COM1, %dx
	inb	%dx, %al
	cmpb	$'q', %al
	je	report
	cmpb	$'a', %al
	jb	4f
	cmpb	$'z', %al
	ja	4f
	subb	$0x20, %al
4:	outb	%al, %dx
	jmp	echo
