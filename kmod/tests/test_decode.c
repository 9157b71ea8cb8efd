// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the MMIO instruction decoder (kmod/decode.c, compiled in as
 * is): decoding of every supported opcode in 16-, 32- and 64-bit code with
 * its prefixes and addressing forms, the error codes, effective addresses,
 * register and RFLAGS results of execution, string-instruction stepping and
 * the memory accesses each instruction makes. Every expected value comes
 * from the Intel SDM Vol. 2, not from running the decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "decode.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
       R8, R9, R10, R11, R12, R13, R14, R15 };
#define NO	HV_REG_NONE

#define M16	HV_CPU_MODE_16
#define M32	HV_CPU_MODE_32
#define M64	HV_CPU_MODE_64

#define ES	HV_SEG_ES
#define CS	HV_SEG_CS
#define SS	HV_SEG_SS
#define DS	HV_SEG_DS
#define FS	HV_SEG_FS
#define GS	HV_SEG_GS

#define LOAD	HV_OP_MOV_LOAD
#define STORE	HV_OP_MOV_STORE
#define STIMM	HV_OP_MOV_STORE_IMM
#define MOVZX	HV_OP_MOVZX
#define MOVSX	HV_OP_MOVSX
#define AND	HV_OP_AND
#define OR	HV_OP_OR
#define XOR	HV_OP_XOR
#define ADD	HV_OP_ADD
#define SUB	HV_OP_SUB
#define CMP	HV_OP_CMP
#define TEST	HV_OP_TEST
#define XCHG	HV_OP_XCHG
#define MOVS	HV_OP_MOVS
#define STOS	HV_OP_STOS
#define LODS	HV_OP_LODS
#define INS	HV_OP_INS
#define OUTS	HV_OP_OUTS

#define CF	HV_FLAG_CF
#define PF	HV_FLAG_PF
#define AF	HV_FLAG_AF
#define ZF	HV_FLAG_ZF
#define SF	HV_FLAG_SF
#define OF	HV_FLAG_OF
#define DF	HV_FLAG_DF

/* Instruction bytes: their count, then the bytes. */
#define X(...)		sizeof((u8[]){ __VA_ARGS__ }), { __VA_ARGS__ }

/* Immediate: has_imm, imm. */
#define NOIMM		false, 0
#define IMM(v)		true, (u64)(v)

/* Prefix flags of a row. */
#define P_REP		1	/* F3 */
#define P_REPNE		2	/* F2 */
#define P_LOCK		4	/* F0 */
#define P_OVR		8	/* the segment came from a prefix */

/* Effective address: base, index, scale, disp, RIP-relative. */
#define EA(b, i, s, d)	b, i, s, (s64)(d), false
#define ABS(d)		NO, NO, 1, (s64)(d), false
#define RIPREL(d)	NO, NO, 1, (s64)(d), true
#define NOEA		NO, NO, 1, 0, false

struct decode_row {
	const char *text;
	enum hv_cpu_mode mode;
	u8 n;
	u8 bytes[HV_INSN_MAX_LEN + 1];
	u8 len, op, size, mem_size, addr_size, reg;
	bool high8, mem_dst, has_imm;
	u64 imm;
	u8 pfx, seg, base, index, scale;
	s64 disp;
	bool rip;
};

/*
 * text, mode, bytes,
 *   len, op, size, mem_size, addr_size, reg, reg_high8, mem_dst,
 *   has_imm/imm, prefixes, seg, base/index/scale/disp/rip
 */
static const struct decode_row decode_table[] = {
	/* 64-bit mode: MOV loads and stores, operand sizes, REX */
	{ "mov eax, [rbx]", M64, X(0x8b, 0x03),
	  2, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov rax, [rbx]", M64, X(0x48, 0x8b, 0x03),
	  3, LOAD, 8, 8, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov ax, [rbx]", M64, X(0x66, 0x8b, 0x03),
	  3, LOAD, 2, 2, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov rax, [rbx] (66 then REX.W: W wins)", M64, X(0x66, 0x48, 0x8b, 0x03),
	  4, LOAD, 8, 8, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov ax, [rbx] (REX before 66 is ignored)", M64, X(0x48, 0x66, 0x8b, 0x03),
	  4, LOAD, 2, 2, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov al, [rbx]", M64, X(0x8a, 0x03),
	  2, LOAD, 1, 1, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov ah, [rbx]", M64, X(0x8a, 0x23),
	  2, LOAD, 1, 1, 8, RAX, 1, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov spl, [rbx]", M64, X(0x40, 0x8a, 0x23),
	  3, LOAD, 1, 1, 8, RSP, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov r12b, [rbx]", M64, X(0x44, 0x8a, 0x23),
	  3, LOAD, 1, 1, 8, R12, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov [rax], ah", M64, X(0x88, 0x20),
	  2, STORE, 1, 1, 8, RAX, 1, 1, NOIMM, 0, DS, EA(RAX, NO, 1, 0) },
	{ "mov [rax], spl", M64, X(0x40, 0x88, 0x20),
	  3, STORE, 1, 1, 8, RSP, 0, 1, NOIMM, 0, DS, EA(RAX, NO, 1, 0) },
	{ "mov [rbp-8], ecx", M64, X(0x89, 0x4d, 0xf8),
	  3, STORE, 4, 4, 8, RCX, 0, 1, NOIMM, 0, SS, EA(RBP, NO, 1, -8) },
	{ "mov [rsp+0x10], r8", M64, X(0x4c, 0x89, 0x44, 0x24, 0x10),
	  5, STORE, 8, 8, 8, R8, 0, 1, NOIMM, 0, SS, EA(RSP, NO, 1, 0x10) },
	{ "mov eax, [rbx-8]", M64, X(0x8b, 0x43, 0xf8),
	  3, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, -8) },
	{ "mov eax, [rbx-0x80000000]", M64, X(0x8b, 0x83, 0x00, 0x00, 0x00, 0x80),
	  6, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, -0x80000000LL) },
	/* SIB */
	{ "mov eax, [rbx+rcx*4+0x100]", M64, X(0x8b, 0x84, 0x8b, 0x00, 0x01, 0x00, 0x00),
	  7, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, RCX, 4, 0x100) },
	{ "mov eax, [rax*8-0x10] (SIB, no base)", M64,
	  X(0x8b, 0x04, 0xc5, 0xf0, 0xff, 0xff, 0xff),
	  7, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(NO, RAX, 8, -0x10) },
	{ "mov eax, [0x1000] (SIB, no base, no index)", M64,
	  X(0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00),
	  7, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, ABS(0x1000) },
	{ "mov eax, [r12] (REX.B, SIB)", M64, X(0x41, 0x8b, 0x04, 0x24),
	  4, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(R12, NO, 1, 0) },
	{ "mov eax, [r13+0] (REX.B, mod 01)", M64, X(0x41, 0x8b, 0x45, 0x00),
	  4, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(R13, NO, 1, 0) },
	{ "mov eax, [rax+r12] (REX.X: index r12)", M64, X(0x42, 0x8b, 0x04, 0x20),
	  4, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RAX, R12, 1, 0) },
	{ "mov eax, [r13*8+8] (REX.XB, SIB base 101 mod 00)", M64,
	  X(0x43, 0x8b, 0x04, 0xed, 0x08, 0x00, 0x00, 0x00),
	  8, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(NO, R13, 8, 8) },
	{ "mov r9, [r8+rcx*8-0x10] (REX.WRB)", M64, X(0x4d, 0x8b, 0x4c, 0xc8, 0xf0),
	  5, LOAD, 8, 8, 8, R9, 0, 0, NOIMM, 0, DS, EA(R8, RCX, 8, -0x10) },
	{ "mov eax, [ebx] (67)", M64, X(0x67, 0x8b, 0x03),
	  3, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	/* RIP-relative */
	{ "mov eax, [rip+0x10]", M64, X(0x8b, 0x05, 0x10, 0x00, 0x00, 0x00),
	  6, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, RIPREL(0x10) },
	{ "mov rax, [rip-0x10]", M64, X(0x48, 0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff),
	  7, LOAD, 8, 8, 8, RAX, 0, 0, NOIMM, 0, DS, RIPREL(-0x10) },
	{ "mov eax, [rip+0x10] (REX.B does not matter)", M64,
	  X(0x41, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00),
	  7, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, RIPREL(0x10) },
	{ "mov eax, [eip+0x10] (67)", M64, X(0x67, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00),
	  7, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, RIPREL(0x10) },
	/* moffs */
	{ "mov eax, [moffs64]", M64,
	  X(0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
	  9, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, ABS(0x1122334455667788) },
	{ "mov [moffs64], rax", M64,
	  X(0x48, 0xa3, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01),
	  10, STORE, 8, 8, 8, RAX, 0, 1, NOIMM, 0, DS, ABS(0x0102030405060708) },
	{ "mov al, [moffs32] (67)", M64, X(0x67, 0xa0, 0x78, 0x56, 0x34, 0x12),
	  6, LOAD, 1, 1, 4, RAX, 0, 0, NOIMM, 0, DS, ABS(0x12345678) },
	{ "mov [moffs64], al", M64,
	  X(0xa2, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
	  9, STORE, 1, 1, 8, RAX, 0, 1, NOIMM, 0, DS, ABS(0x1000) },
	/* MOV immediate */
	{ "mov dword [rax], 0x12345678", M64, X(0xc7, 0x00, 0x78, 0x56, 0x34, 0x12),
	  6, STIMM, 4, 4, 8, NO, 0, 1, IMM(0x12345678), 0, DS, EA(RAX, NO, 1, 0) },
	{ "mov dword [rax], 0x80000000", M64, X(0xc7, 0x00, 0x00, 0x00, 0x00, 0x80),
	  6, STIMM, 4, 4, 8, NO, 0, 1, IMM(0x80000000), 0, DS, EA(RAX, NO, 1, 0) },
	{ "mov qword [rax], imm32 sign-extended", M64,
	  X(0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80),
	  7, STIMM, 8, 8, 8, NO, 0, 1, IMM(0xffffffff80000000), 0, DS, EA(RAX, NO, 1, 0) },
	{ "mov word [rax], 0x1234", M64, X(0x66, 0xc7, 0x00, 0x34, 0x12),
	  5, STIMM, 2, 2, 8, NO, 0, 1, IMM(0x1234), 0, DS, EA(RAX, NO, 1, 0) },
	{ "mov byte [rax], 0x80", M64, X(0xc6, 0x00, 0x80),
	  3, STIMM, 1, 1, 8, NO, 0, 1, IMM(0x80), 0, DS, EA(RAX, NO, 1, 0) },
	{ "mov byte [rsp+8], 0xff", M64, X(0xc6, 0x44, 0x24, 0x08, 0xff),
	  5, STIMM, 1, 1, 8, NO, 0, 1, IMM(0xff), 0, SS, EA(RSP, NO, 1, 8) },
	/* MOVZX, MOVSX, MOVSXD */
	{ "movzx eax, byte [rbx]", M64, X(0x0f, 0xb6, 0x03),
	  3, MOVZX, 4, 1, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movzx rax, word [rbx]", M64, X(0x48, 0x0f, 0xb7, 0x03),
	  4, MOVZX, 8, 2, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movzx ax, byte [rbx]", M64, X(0x66, 0x0f, 0xb6, 0x03),
	  4, MOVZX, 2, 1, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movzx esp, byte [rbx] (not ah)", M64, X(0x0f, 0xb6, 0x23),
	  3, MOVZX, 4, 1, 8, RSP, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movsx ecx, byte [rbx]", M64, X(0x0f, 0xbe, 0x0b),
	  3, MOVSX, 4, 1, 8, RCX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movsx r8, word [rbx]", M64, X(0x4c, 0x0f, 0xbf, 0x03),
	  4, MOVSX, 8, 2, 8, R8, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movsxd rax, dword [rbx]", M64, X(0x48, 0x63, 0x03),
	  3, MOVSX, 8, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movsxd eax, dword [rbx]", M64, X(0x63, 0x03),
	  2, MOVSX, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "movsxd ax, word [rbx]", M64, X(0x66, 0x63, 0x03),
	  3, MOVSX, 2, 2, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	/* ALU r/m forms */
	{ "add [rbx], eax", M64, X(0x01, 0x03),
	  2, ADD, 4, 4, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "add eax, [rbx]", M64, X(0x03, 0x03),
	  2, ADD, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "add [rbx], ah", M64, X(0x00, 0x23),
	  2, ADD, 1, 1, 8, RAX, 1, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "add al, [rbx]", M64, X(0x02, 0x03),
	  2, ADD, 1, 1, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "or [rbx], eax", M64, X(0x09, 0x03),
	  2, OR, 4, 4, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "or al, [rbx]", M64, X(0x0a, 0x03),
	  2, OR, 1, 1, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "and [rbx], cl", M64, X(0x20, 0x0b),
	  2, AND, 1, 1, 8, RCX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "and rax, [rbx]", M64, X(0x48, 0x23, 0x03),
	  3, AND, 8, 8, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "sub [rbx], r9w", M64, X(0x66, 0x44, 0x29, 0x0b),
	  4, SUB, 2, 2, 8, R9, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "sub eax, [rbx]", M64, X(0x2b, 0x03),
	  2, SUB, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "xor [rbx], eax", M64, X(0x31, 0x03),
	  2, XOR, 4, 4, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "xor dh, [rbx]", M64, X(0x32, 0x33),
	  2, XOR, 1, 1, 8, RDX, 1, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "cmp [rbx], al", M64, X(0x38, 0x03),
	  2, CMP, 1, 1, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "cmp [rbx], eax", M64, X(0x39, 0x03),
	  2, CMP, 4, 4, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "cmp eax, [rbx]", M64, X(0x3b, 0x03),
	  2, CMP, 4, 4, 8, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	/* ALU immediate forms */
	{ "add qword [rax], imm32 sign-extended", M64,
	  X(0x48, 0x81, 0x00, 0x00, 0x00, 0x00, 0x80),
	  7, ADD, 8, 8, 8, NO, 0, 1, IMM(0xffffffff80000000), 0, DS, EA(RAX, NO, 1, 0) },
	{ "or dword [rax], 0x80000000", M64, X(0x81, 0x08, 0x00, 0x00, 0x00, 0x80),
	  6, OR, 4, 4, 8, NO, 0, 1, IMM(0x80000000), 0, DS, EA(RAX, NO, 1, 0) },
	{ "and word [rax], 0x8000", M64, X(0x66, 0x81, 0x20, 0x00, 0x80),
	  5, AND, 2, 2, 8, NO, 0, 1, IMM(0x8000), 0, DS, EA(RAX, NO, 1, 0) },
	{ "sub dword [rax], -1 (imm8)", M64, X(0x83, 0x28, 0xff),
	  3, SUB, 4, 4, 8, NO, 0, 1, IMM(0xffffffffffffffff), 0, DS, EA(RAX, NO, 1, 0) },
	{ "xor dword [rax], 0x7f (imm8)", M64, X(0x83, 0x30, 0x7f),
	  3, XOR, 4, 4, 8, NO, 0, 1, IMM(0x7f), 0, DS, EA(RAX, NO, 1, 0) },
	{ "cmp qword [rax], -0x80 (imm8)", M64, X(0x48, 0x83, 0x38, 0x80),
	  4, CMP, 8, 8, 8, NO, 0, 1, IMM(0xffffffffffffff80), 0, DS, EA(RAX, NO, 1, 0) },
	{ "add word [rax], -0x80 (imm8)", M64, X(0x66, 0x83, 0x00, 0x80),
	  4, ADD, 2, 2, 8, NO, 0, 1, IMM(0xffffffffffffff80), 0, DS, EA(RAX, NO, 1, 0) },
	{ "and byte [rax], 0xf0", M64, X(0x80, 0x20, 0xf0),
	  3, AND, 1, 1, 8, NO, 0, 1, IMM(0xf0), 0, DS, EA(RAX, NO, 1, 0) },
	{ "cmp byte [rax], 0x80", M64, X(0x80, 0x38, 0x80),
	  3, CMP, 1, 1, 8, NO, 0, 1, IMM(0x80), 0, DS, EA(RAX, NO, 1, 0) },
	/* TEST */
	{ "test [rbx], al", M64, X(0x84, 0x03),
	  2, TEST, 1, 1, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "test [rbx], bh", M64, X(0x84, 0x3b),
	  2, TEST, 1, 1, 8, RBX, 1, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "test [rbx], rax", M64, X(0x48, 0x85, 0x03),
	  3, TEST, 8, 8, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "test byte [rax], 1", M64, X(0xf6, 0x00, 0x01),
	  3, TEST, 1, 1, 8, NO, 0, 1, IMM(1), 0, DS, EA(RAX, NO, 1, 0) },
	{ "test dword [rax], 0x80000000", M64, X(0xf7, 0x00, 0x00, 0x00, 0x00, 0x80),
	  6, TEST, 4, 4, 8, NO, 0, 1, IMM(0x80000000), 0, DS, EA(RAX, NO, 1, 0) },
	{ "test qword [rax], -1", M64, X(0x48, 0xf7, 0x00, 0xff, 0xff, 0xff, 0xff),
	  7, TEST, 8, 8, 8, NO, 0, 1, IMM(0xffffffffffffffff), 0, DS, EA(RAX, NO, 1, 0) },
	{ "test word [rax], 0x7fff", M64, X(0x66, 0xf7, 0x00, 0xff, 0x7f),
	  5, TEST, 2, 2, 8, NO, 0, 1, IMM(0x7fff), 0, DS, EA(RAX, NO, 1, 0) },
	/* XCHG, LOCK */
	{ "xchg [rax], ah", M64, X(0x86, 0x20),
	  2, XCHG, 1, 1, 8, RAX, 1, 1, NOIMM, 0, DS, EA(RAX, NO, 1, 0) },
	{ "xchg [rbx], eax", M64, X(0x87, 0x03),
	  2, XCHG, 4, 4, 8, RAX, 0, 1, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "lock xchg [rbx], r15", M64, X(0xf0, 0x4c, 0x87, 0x3b),
	  4, XCHG, 8, 8, 8, R15, 0, 1, NOIMM, P_LOCK, DS, EA(RBX, NO, 1, 0) },
	{ "lock add [rbx], rax", M64, X(0xf0, 0x48, 0x01, 0x03),
	  4, ADD, 8, 8, 8, RAX, 0, 1, NOIMM, P_LOCK, DS, EA(RBX, NO, 1, 0) },
	/* segment overrides */
	{ "mov eax, fs:[rbx]", M64, X(0x64, 0x8b, 0x03),
	  3, LOAD, 4, 4, 8, RAX, 0, 0, NOIMM, P_OVR, FS, EA(RBX, NO, 1, 0) },
	{ "mov rax, gs:[0x28]", M64,
	  X(0x65, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00),
	  9, LOAD, 8, 8, 8, RAX, 0, 0, NOIMM, P_OVR, GS, ABS(0x28) },
	/* string instructions */
	{ "movsb", M64, X(0xa4),
	  1, MOVS, 1, 1, 8, NO, 0, 0, NOIMM, 0, DS, NOEA },
	{ "rep movsq", M64, X(0xf3, 0x48, 0xa5),
	  3, MOVS, 8, 8, 8, NO, 0, 0, NOIMM, P_REP, DS, NOEA },
	{ "repne movsd", M64, X(0xf2, 0xa5),
	  2, MOVS, 4, 4, 8, NO, 0, 0, NOIMM, P_REPNE, DS, NOEA },
	{ "stosb", M64, X(0xaa),
	  1, STOS, 1, 1, 8, NO, 0, 1, NOIMM, 0, ES, NOEA },
	{ "rep stosd (fs: does not apply to es:[rdi])", M64, X(0x64, 0xf3, 0xab),
	  3, STOS, 4, 4, 8, NO, 0, 1, NOIMM, P_REP, ES, NOEA },
	{ "lodsb", M64, X(0xac),
	  1, LODS, 1, 1, 8, NO, 0, 0, NOIMM, 0, DS, NOEA },
	{ "lodsq gs:[rsi]", M64, X(0x65, 0x48, 0xad),
	  3, LODS, 8, 8, 8, NO, 0, 0, NOIMM, P_OVR, GS, NOEA },
	{ "insb", M64, X(0x6c),
	  1, INS, 1, 1, 8, NO, 0, 1, NOIMM, 0, ES, NOEA },
	{ "insd (REX.W: still 32 bits)", M64, X(0x48, 0x6d),
	  2, INS, 4, 4, 8, NO, 0, 1, NOIMM, 0, ES, NOEA },
	{ "insw", M64, X(0x66, 0x6d),
	  2, INS, 2, 2, 8, NO, 0, 1, NOIMM, 0, ES, NOEA },
	{ "outsb", M64, X(0x6e),
	  1, OUTS, 1, 1, 8, NO, 0, 0, NOIMM, 0, DS, NOEA },
	{ "rep outsd [esi] (67)", M64, X(0xf3, 0x67, 0x6f),
	  3, OUTS, 4, 4, 4, NO, 0, 0, NOIMM, P_REP, DS, NOEA },

	/* 32-bit mode */
	{ "mov eax, [ebx]", M32, X(0x8b, 0x03),
	  2, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov eax, [0x1000] (disp32, not RIP-relative)", M32,
	  X(0x8b, 0x05, 0x00, 0x10, 0x00, 0x00),
	  6, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, ABS(0x1000) },
	{ "mov [ebp-4], ax", M32, X(0x66, 0x89, 0x45, 0xfc),
	  4, STORE, 2, 2, 4, RAX, 0, 1, NOIMM, 0, SS, EA(RBP, NO, 1, -4) },
	{ "mov eax, [esp+4]", M32, X(0x8b, 0x44, 0x24, 0x04),
	  4, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, SS, EA(RSP, NO, 1, 4) },
	{ "mov ecx, [ebp+ebx*4+0]", M32, X(0x8b, 0x4c, 0x9d, 0x00),
	  4, LOAD, 4, 4, 4, RCX, 0, 0, NOIMM, 0, SS, EA(RBP, RBX, 4, 0) },
	{ "mov ecx, [ebx*4+0x2000]", M32, X(0x8b, 0x0c, 0x9d, 0x00, 0x20, 0x00, 0x00),
	  7, LOAD, 4, 4, 4, RCX, 0, 0, NOIMM, 0, DS, EA(NO, RBX, 4, 0x2000) },
	{ "mov eax, [ebp*1+0x1000] (index ebp: DS)", M32,
	  X(0x8b, 0x04, 0x2d, 0x00, 0x10, 0x00, 0x00),
	  7, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, EA(NO, RBP, 1, 0x1000) },
	{ "mov eax, [edx+esi*2+0x12345678]", M32,
	  X(0x8b, 0x84, 0x72, 0x78, 0x56, 0x34, 0x12),
	  7, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, EA(RDX, RSI, 2, 0x12345678) },
	{ "mov eax, [bx] (67)", M32, X(0x67, 0x8b, 0x07),
	  3, LOAD, 4, 4, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov ax, [bp+2] (66 67)", M32, X(0x66, 0x67, 0x8b, 0x46, 0x02),
	  5, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, SS, EA(RBP, NO, 1, 2) },
	{ "mov eax, [moffs32]", M32, X(0xa1, 0x78, 0x56, 0x34, 0x12),
	  5, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, ABS(0x12345678) },
	{ "mov [moffs16], eax (67)", M32, X(0x67, 0xa3, 0x34, 0x12),
	  4, STORE, 4, 4, 2, RAX, 0, 1, NOIMM, 0, DS, ABS(0x1234) },
	{ "mov ax, [moffs32] (66)", M32, X(0x66, 0xa1, 0x00, 0x10, 0x00, 0x00),
	  6, LOAD, 2, 2, 4, RAX, 0, 0, NOIMM, 0, DS, ABS(0x1000) },
	{ "mov eax, es:[ebx]", M32, X(0x26, 0x8b, 0x03),
	  3, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, P_OVR, ES, EA(RBX, NO, 1, 0) },
	{ "mov eax, cs:[ebx]", M32, X(0x2e, 0x8b, 0x03),
	  3, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, P_OVR, CS, EA(RBX, NO, 1, 0) },
	{ "mov eax, ss:[ebx]", M32, X(0x36, 0x8b, 0x03),
	  3, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, P_OVR, SS, EA(RBX, NO, 1, 0) },
	{ "mov eax, ds:[ebp+0]", M32, X(0x3e, 0x8b, 0x45, 0x00),
	  4, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, P_OVR, DS, EA(RBP, NO, 1, 0) },
	{ "mov eax, gs:[ebx]", M32, X(0x65, 0x8b, 0x03),
	  3, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, P_OVR, GS, EA(RBX, NO, 1, 0) },
	{ "cmp dword [ebp+8], 0", M32, X(0x83, 0x7d, 0x08, 0x00),
	  4, CMP, 4, 4, 4, NO, 0, 1, IMM(0), 0, SS, EA(RBP, NO, 1, 8) },
	{ "add dword [0x1000], 1", M32,
	  X(0x81, 0x05, 0x00, 0x10, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00),
	  10, ADD, 4, 4, 4, NO, 0, 1, IMM(1), 0, DS, ABS(0x1000) },
	{ "lock sub dword [eax], 1", M32, X(0xf0, 0x83, 0x28, 0x01),
	  4, SUB, 4, 4, 4, NO, 0, 1, IMM(1), P_LOCK, DS, EA(RAX, NO, 1, 0) },
	{ "movzx eax, word [esi+2]", M32, X(0x0f, 0xb7, 0x46, 0x02),
	  4, MOVZX, 4, 2, 4, RAX, 0, 0, NOIMM, 0, DS, EA(RSI, NO, 1, 2) },
	{ "mov byte [0x1000], 0xaa", M32, X(0xc6, 0x05, 0x00, 0x10, 0x00, 0x00, 0xaa),
	  7, STIMM, 1, 1, 4, NO, 0, 1, IMM(0xaa), 0, DS, ABS(0x1000) },
	{ "mov ax, [ebx] (13 prefixes: 15 bytes)", M32,
	  X(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x8b, 0x03),
	  15, LOAD, 2, 2, 4, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "rep movsd", M32, X(0xf3, 0xa5),
	  2, MOVS, 4, 4, 4, NO, 0, 0, NOIMM, P_REP, DS, NOEA },
	{ "movsd es:[esi]", M32, X(0x26, 0xa5),
	  2, MOVS, 4, 4, 4, NO, 0, 0, NOIMM, P_OVR, ES, NOEA },
	{ "lodsw", M32, X(0x66, 0xad),
	  2, LODS, 2, 2, 4, NO, 0, 0, NOIMM, 0, DS, NOEA },
	{ "lodsb cs:[esi]", M32, X(0x2e, 0xac),
	  2, LODS, 1, 1, 4, NO, 0, 0, NOIMM, P_OVR, CS, NOEA },
	{ "stosd es:[di] (67)", M32, X(0x67, 0xab),
	  2, STOS, 4, 4, 2, NO, 0, 1, NOIMM, 0, ES, NOEA },

	/* 16-bit mode: the eight ModR/M forms of Table 2-1 */
	{ "mov ax, [bx+si]", M16, X(0x8b, 0x00),
	  2, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, RSI, 1, 0) },
	{ "mov ax, [bx+di]", M16, X(0x8b, 0x01),
	  2, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, RDI, 1, 0) },
	{ "mov ax, [bp+si]", M16, X(0x8b, 0x02),
	  2, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, SS, EA(RBP, RSI, 1, 0) },
	{ "mov ax, [bp+di]", M16, X(0x8b, 0x03),
	  2, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, SS, EA(RBP, RDI, 1, 0) },
	{ "mov ax, [si]", M16, X(0x8b, 0x04),
	  2, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RSI, NO, 1, 0) },
	{ "mov ax, [di]", M16, X(0x8b, 0x05),
	  2, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RDI, NO, 1, 0) },
	{ "mov ax, [0x1234] (disp16)", M16, X(0x8b, 0x06, 0x34, 0x12),
	  4, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, ABS(0x1234) },
	{ "mov ax, [bx]", M16, X(0x8b, 0x07),
	  2, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov ax, [bp-2]", M16, X(0x8b, 0x46, 0xfe),
	  3, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, SS, EA(RBP, NO, 1, -2) },
	{ "mov ax, [bx+si+0x7f]", M16, X(0x8b, 0x40, 0x7f),
	  3, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, RSI, 1, 0x7f) },
	{ "mov ax, [bx+0x1234]", M16, X(0x8b, 0x87, 0x34, 0x12),
	  4, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0x1234) },
	{ "mov cx, [bp+di+0x100]", M16, X(0x8b, 0x8b, 0x00, 0x01),
	  4, LOAD, 2, 2, 2, RCX, 0, 0, NOIMM, 0, SS, EA(RBP, RDI, 1, 0x100) },
	{ "mov ah, [si]", M16, X(0x8a, 0x24),
	  2, LOAD, 1, 1, 2, RAX, 1, 0, NOIMM, 0, DS, EA(RSI, NO, 1, 0) },
	{ "mov eax, [bx] (66)", M16, X(0x66, 0x8b, 0x07),
	  3, LOAD, 4, 4, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov ax, [esp] (67)", M16, X(0x67, 0x8b, 0x04, 0x24),
	  4, LOAD, 2, 2, 4, RAX, 0, 0, NOIMM, 0, SS, EA(RSP, NO, 1, 0) },
	{ "mov eax, [ebx] (66 67)", M16, X(0x67, 0x66, 0x8b, 0x03),
	  4, LOAD, 4, 4, 4, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "mov ax, [moffs16]", M16, X(0xa1, 0x34, 0x12),
	  3, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, 0, DS, ABS(0x1234) },
	{ "mov al, [moffs32] (67)", M16, X(0x67, 0xa0, 0x78, 0x56, 0x34, 0x12),
	  6, LOAD, 1, 1, 4, RAX, 0, 0, NOIMM, 0, DS, ABS(0x12345678) },
	{ "mov es:[0x1000], bx", M16, X(0x26, 0x89, 0x1e, 0x00, 0x10),
	  5, STORE, 2, 2, 2, RBX, 0, 1, NOIMM, P_OVR, ES, ABS(0x1000) },
	{ "mov ax, ds:[bp+si]", M16, X(0x3e, 0x8b, 0x02),
	  3, LOAD, 2, 2, 2, RAX, 0, 0, NOIMM, P_OVR, DS, EA(RBP, RSI, 1, 0) },
	{ "mov word [0x1000], 0x1234", M16, X(0xc7, 0x06, 0x00, 0x10, 0x34, 0x12),
	  6, STIMM, 2, 2, 2, NO, 0, 1, IMM(0x1234), 0, DS, ABS(0x1000) },
	{ "cmp word [0x1000], -1 (imm8)", M16, X(0x83, 0x3e, 0x00, 0x10, 0xff),
	  5, CMP, 2, 2, 2, NO, 0, 1, IMM(0xffffffffffffffff), 0, DS, ABS(0x1000) },
	{ "or word [0x1000], 0x8000", M16, X(0x81, 0x0e, 0x00, 0x10, 0x00, 0x80),
	  6, OR, 2, 2, 2, NO, 0, 1, IMM(0x8000), 0, DS, ABS(0x1000) },
	{ "movsx ax, byte [bx]", M16, X(0x0f, 0xbe, 0x07),
	  3, MOVSX, 2, 1, 2, RAX, 0, 0, NOIMM, 0, DS, EA(RBX, NO, 1, 0) },
	{ "test word [bx], 0x8000", M16, X(0xf7, 0x07, 0x00, 0x80),
	  4, TEST, 2, 2, 2, NO, 0, 1, IMM(0x8000), 0, DS, EA(RBX, NO, 1, 0) },
	{ "xchg [bp+si], cx", M16, X(0x87, 0x0a),
	  2, XCHG, 2, 2, 2, RCX, 0, 1, NOIMM, 0, SS, EA(RBP, RSI, 1, 0) },
	{ "rep stosb", M16, X(0xf3, 0xaa),
	  2, STOS, 1, 1, 2, NO, 0, 1, NOIMM, P_REP, ES, NOEA },
	{ "rep insb", M16, X(0xf3, 0x6c),
	  2, INS, 1, 1, 2, NO, 0, 1, NOIMM, P_REP, ES, NOEA },
	{ "movsw", M16, X(0xa5),
	  1, MOVS, 2, 2, 2, NO, 0, 0, NOIMM, 0, DS, NOEA },
	{ "movsd (66)", M16, X(0x66, 0xa5),
	  2, MOVS, 4, 4, 2, NO, 0, 0, NOIMM, 0, DS, NOEA },
	{ "lodsb ss:[si]", M16, X(0x36, 0xac),
	  2, LODS, 1, 1, 2, NO, 0, 0, NOIMM, P_OVR, SS, NOEA },
	{ "outsw", M16, X(0x6f),
	  1, OUTS, 2, 2, 2, NO, 0, 0, NOIMM, 0, DS, NOEA },
};

static unsigned int check_u64(const char *text, const char *what, u64 got,
			      u64 want)
{
	if (got == want)
		return 0;
	print_error("%s: %s is %#llx, expected %#llx\n", text, what,
		    (unsigned long long)got, (unsigned long long)want);
	return 1;
}

#define CHECK(what, got, want)	check_u64(row->text, what, got, want)

static void decode_table_matches_the_sdm(void **state)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(decode_table); i++) {
		const struct decode_row *row = &decode_table[i];
		u8 buf[HV_INSN_MAX_LEN + 8];
		struct hv_insn insn;
		unsigned int k;
		int err;

		/* The table itself: len is the number of bytes given. */
		bad += CHECK("row byte count", row->n, row->len);

		/* Bytes after the instruction must not be consumed. */
		memset(buf, 0xcc, sizeof(buf));
		memcpy(buf, row->bytes, row->n);
		err = hv_decode(buf, sizeof(buf), row->mode, &insn);
		if (err) {
			print_error("%s: hv_decode() returned %d\n", row->text, err);
			bad++;
			continue;
		}
		bad += CHECK("len", insn.len, row->len);
		bad += CHECK("op", insn.op, row->op);
		bad += CHECK("size", insn.size, row->size);
		bad += CHECK("mem_size", insn.mem_size, row->mem_size);
		bad += CHECK("addr_size", insn.addr_size, row->addr_size);
		bad += CHECK("reg", insn.reg, row->reg);
		bad += CHECK("reg_high8", insn.reg_high8, row->high8);
		bad += CHECK("mem_dst", insn.mem_dst, row->mem_dst);
		bad += CHECK("has_imm", insn.has_imm, row->has_imm);
		bad += CHECK("imm", insn.imm, row->imm);
		bad += CHECK("rep", insn.rep, !!(row->pfx & P_REP));
		bad += CHECK("repne", insn.repne, !!(row->pfx & P_REPNE));
		bad += CHECK("lock", insn.lock, !!(row->pfx & P_LOCK));
		bad += CHECK("seg", insn.seg, row->seg);
		bad += CHECK("seg_override", insn.seg_override, !!(row->pfx & P_OVR));
		bad += CHECK("ea_base", insn.ea_base, row->base);
		bad += CHECK("ea_index", insn.ea_index, row->index);
		bad += CHECK("ea_scale", insn.ea_scale, row->scale);
		bad += CHECK("ea_disp", insn.ea_disp, row->disp);
		bad += CHECK("ea_rip", insn.ea_rip, row->rip);
		bad += CHECK("ea_bp16", insn.ea_bp16,
			     row->addr_size == 2 && row->base == RBP);

		/* Exactly the bytes given: any fewer are not enough. */
		for (k = 0; k < row->n; k++) {
			err = hv_decode(row->bytes, k, row->mode, &insn);
			if (err != -ENODATA) {
				print_error("%s: %u of %u bytes give %d\n", row->text,
					    k, row->n, err);
				bad++;
			}
		}
	}
	assert_true(ARRAY_SIZE(decode_table) >= 60);
	assert_int_equal(0, bad);
}

struct error_row {
	const char *text;
	enum hv_cpu_mode mode;
	u8 n;
	u8 bytes[24];
	int err;
};

static const struct error_row error_table[] = {
	/* register operands: no memory access */
	{ "mov eax, eax", M64, X(0x8b, 0xc0), -EINVAL },
	{ "mov ah, al", M16, X(0x88, 0xc4), -EINVAL },
	{ "add al, 1", M32, X(0x80, 0xc0, 0x01), -EINVAL },
	{ "movzx eax, al", M64, X(0x0f, 0xb6, 0xc0), -EINVAL },
	{ "movsxd rax, eax", M64, X(0x48, 0x63, 0xc0), -EINVAL },
	{ "test eax, 1", M32, X(0xf7, 0xc0, 0x01, 0x00, 0x00, 0x00), -EINVAL },
	{ "mov eax, 1 (C7 /0, mod 11)", M32,
	  X(0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00), -EINVAL },
	{ "xchg eax, ecx", M64, X(0x87, 0xc8), -EINVAL },
	{ "cmp r8, r9", M64, X(0x4d, 0x39, 0xc8), -EINVAL },
	/* instructions hv does not emulate */
	{ "syscall", M64, X(0x0f, 0x05), -EOPNOTSUPP },
	{ "ud2", M32, X(0x0f, 0x0b), -EOPNOTSUPP },
	{ "arpl [bx], ax", M16, X(0x63, 0x07), -EOPNOTSUPP },
	{ "arpl [ebx], ax", M32, X(0x63, 0x03), -EOPNOTSUPP },
	{ "dec eax (48 is not REX in 32-bit mode)", M32, X(0x48, 0x8b, 0x03),
	  -EOPNOTSUPP },
	{ "adc byte [rax], 5 (80 /2)", M64, X(0x80, 0x10, 0x05), -EOPNOTSUPP },
	{ "sbb dword [rax], 5 (83 /3)", M64, X(0x83, 0x18, 0x05), -EOPNOTSUPP },
	{ "adc [rbx], eax (11)", M64, X(0x11, 0x03), -EOPNOTSUPP },
	{ "sbb eax, [rbx] (1B)", M64, X(0x1b, 0x03), -EOPNOTSUPP },
	{ "C6 /1", M64, X(0xc6, 0x08, 0x00), -EOPNOTSUPP },
	{ "C7 /1", M32, X(0xc7, 0x08, 0x00, 0x00, 0x00, 0x00), -EOPNOTSUPP },
	{ "not byte [rax] (F6 /2)", M64, X(0xf6, 0x10), -EOPNOTSUPP },
	{ "neg dword [rax] (F7 /3)", M64, X(0xf7, 0x18), -EOPNOTSUPP },
	{ "lea eax, [rbx]", M64, X(0x8d, 0x03), -EOPNOTSUPP },
	{ "inc dword [rax]", M64, X(0xff, 0x00), -EOPNOTSUPP },
	{ "nop", M64, X(0x90), -EOPNOTSUPP },
	{ "cmpsb", M64, X(0xa6), -EOPNOTSUPP },
	/* not enough bytes */
	{ "nothing", M64, 0, { 0 }, -ENODATA },
	{ "66 alone", M32, X(0x66), -ENODATA },
	{ "REX alone", M64, X(0x48), -ENODATA },
	{ "8B without ModR/M", M64, X(0x8b), -ENODATA },
	{ "0F alone", M64, X(0x0f), -ENODATA },
	{ "0F B6 without ModR/M", M64, X(0x0f, 0xb6), -ENODATA },
	{ "missing SIB", M64, X(0x8b, 0x04), -ENODATA },
	{ "missing disp8", M64, X(0x8b, 0x44, 0x24), -ENODATA },
	{ "short disp32", M64, X(0x8b, 0x80, 0x00, 0x00, 0x00), -ENODATA },
	{ "short disp16", M16, X(0x8b, 0x06, 0x34), -ENODATA },
	{ "short RIP disp32", M64, X(0x8b, 0x05, 0x00, 0x00, 0x00), -ENODATA },
	{ "short imm32", M64, X(0xc7, 0x00, 0x01, 0x02, 0x03), -ENODATA },
	{ "missing imm8", M64, X(0x83, 0x00), -ENODATA },
	{ "moffs64 with 4 bytes", M64, X(0xa1, 0x00, 0x00, 0x00, 0x00), -ENODATA },
	{ "moffs16 with 1 byte", M16, X(0xa1, 0x00), -ENODATA },
	/* more than 15 bytes */
	{ "14 prefixes + 8B 03 (16 bytes)", M32,
	  X(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	    0x66, 0x66, 0x66, 0x8b, 0x03), -ENODATA },
	{ "16 prefixes + 8B 03", M64,
	  X(0x66, 0x67, 0xf3, 0x66, 0x67, 0xf3, 0x66, 0x67, 0xf3, 0x66, 0x67,
	    0xf3, 0x66, 0x67, 0xf3, 0x66, 0x8b, 0x03), -ENODATA },
	{ "14 prefixes + REX + 8B 03", M64,
	  X(0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
	    0x3e, 0x3e, 0x3e, 0x48, 0x8b, 0x03), -ENODATA },
};

static void errors_have_exact_codes(void **state)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(error_table); i++) {
		const struct error_row *row = &error_table[i];
		struct hv_insn insn;
		int err;

		err = hv_decode(row->bytes, row->n, row->mode, &insn);
		if (err != row->err) {
			print_error("%s: hv_decode() returned %d, expected %d\n",
				    row->text, err, row->err);
			bad++;
		}
	}
	assert_int_equal(0, bad);
}

static struct hv_insn decode_ok(const u8 *bytes, unsigned int n,
				enum hv_cpu_mode mode)
{
	struct hv_insn insn;

	assert_int_equal(0, hv_decode(bytes, n, mode, &insn));
	assert_int_equal(n, insn.len);
	return insn;
}

#define DECODE(mode, ...) \
	decode_ok((const u8[]){ __VA_ARGS__ }, sizeof((u8[]){ __VA_ARGS__ }), mode)

static void effective_addresses(void **state)
{
	u64 gpr[16] = { 0 };
	struct hv_insn insn;

	/* [rbx+rcx*4+0x100] */
	insn = DECODE(M64, 0x8b, 0x84, 0x8b, 0x00, 0x01, 0x00, 0x00);
	gpr[RBX] = 0x1000;
	gpr[RCX] = 0x10;
	assert_int_equal(0x1140, hv_insn_ea(&insn, gpr, 0));

	/* [r8+rcx*8-0x10] */
	insn = DECODE(M64, 0x4d, 0x8b, 0x4c, 0xc8, 0xf0);
	gpr[R8] = 0x2000;
	gpr[RCX] = 3;
	assert_int_equal(0x2008, hv_insn_ea(&insn, gpr, 0));

	/* [rax*8-0x10], no base */
	insn = DECODE(M64, 0x8b, 0x04, 0xc5, 0xf0, 0xff, 0xff, 0xff);
	gpr[RAX] = 4;
	assert_int_equal(0x10, hv_insn_ea(&insn, gpr, 0));

	/* [r13*8+8] */
	insn = DECODE(M64, 0x43, 0x8b, 0x04, 0xed, 0x08, 0x00, 0x00, 0x00);
	gpr[R13] = 2;
	assert_int_equal(24, hv_insn_ea(&insn, gpr, 0));

	/* [rax+r12] */
	insn = DECODE(M64, 0x42, 0x8b, 0x04, 0x20);
	gpr[RAX] = 0x100;
	gpr[R12] = 0x23;
	assert_int_equal(0x123, hv_insn_ea(&insn, gpr, 0));

	/* [rbx-8]: 64-bit addresses wrap at 2^64, no masking */
	insn = DECODE(M64, 0x8b, 0x43, 0xf8);
	gpr[RBX] = 0x1000;
	assert_int_equal(0xff8, hv_insn_ea(&insn, gpr, 0));
	gpr[RBX] = 4;
	assert_int_equal(0xfffffffffffffffcULL, hv_insn_ea(&insn, gpr, 0));

	/* [ebx-8] (67 in 64-bit mode): truncated to 32 bits */
	insn = DECODE(M64, 0x67, 0x8b, 0x43, 0xf8);
	gpr[RBX] = 0x100000004ULL;
	assert_int_equal(0xfffffffc, hv_insn_ea(&insn, gpr, 0));

	/* RIP-relative: from the next instruction, registers ignored */
	insn = DECODE(M64, 0x48, 0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff);
	assert_int_equal(0x400ff7, hv_insn_ea(&insn, gpr, 0x401007));
	insn = DECODE(M64, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00);
	assert_int_equal(0xffffffff80001010ULL,
			 hv_insn_ea(&insn, gpr, 0xffffffff80001000ULL));
	/* EIP-relative (67): truncated to 32 bits */
	insn = DECODE(M64, 0x67, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00);
	assert_int_equal(0x8, hv_insn_ea(&insn, gpr, 0x1fffffff8ULL));

	/* moffs64 */
	insn = DECODE(M64, 0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11);
	assert_int_equal(0x1122334455667788ULL, hv_insn_ea(&insn, gpr, 0));

	/* 32-bit: [esp+4] wraps at 2^32, upper register bits ignored */
	insn = DECODE(M32, 0x8b, 0x44, 0x24, 0x04);
	gpr[RSP] = 0xfffffffe;
	assert_int_equal(2, hv_insn_ea(&insn, gpr, 0));
	gpr[RSP] = 0xdead000000001000ULL;
	assert_int_equal(0x1004, hv_insn_ea(&insn, gpr, 0));

	/* 32-bit: [ebx*4+0x2000] */
	insn = DECODE(M32, 0x8b, 0x0c, 0x9d, 0x00, 0x20, 0x00, 0x00);
	gpr[RBX] = 0x10;
	assert_int_equal(0x2040, hv_insn_ea(&insn, gpr, 0));

	/* 32-bit: [0x1000] is absolute, not RIP-relative */
	insn = DECODE(M32, 0x8b, 0x05, 0x00, 0x10, 0x00, 0x00);
	assert_int_equal(0x1000, hv_insn_ea(&insn, gpr, 0x5000));

	/* 16-bit: [bx+si] wraps at 64K */
	insn = DECODE(M16, 0x8b, 0x00);
	gpr[RBX] = 0x12340000fff0ULL;
	gpr[RSI] = 0x20;
	assert_int_equal(0x10, hv_insn_ea(&insn, gpr, 0));

	/* 16-bit: [bx-0x10] as disp16 0xfff0 */
	insn = DECODE(M16, 0x8b, 0x87, 0xf0, 0xff);
	gpr[RBX] = 0x20;
	assert_int_equal(0x10, hv_insn_ea(&insn, gpr, 0));

	/* 16-bit: [bp-2] with bp = 1 */
	insn = DECODE(M16, 0x8b, 0x46, 0xfe);
	gpr[RBP] = 1;
	assert_int_equal(0xffff, hv_insn_ea(&insn, gpr, 0));

	/* 16-bit: [bp+di] */
	insn = DECODE(M16, 0x8b, 0x03);
	gpr[RBP] = 0x8000;
	gpr[RDI] = 0x8001;
	assert_int_equal(1, hv_insn_ea(&insn, gpr, 0));

	/* 16-bit: [0x1234] ignores the registers */
	insn = DECODE(M16, 0x8b, 0x06, 0x34, 0x12);
	assert_int_equal(0x1234, hv_insn_ea(&insn, gpr, 0x9999));

	/* 16-bit code, 32-bit address (67): [esp] */
	insn = DECODE(M16, 0x67, 0x8b, 0x04, 0x24);
	gpr[RSP] = 0xffffffff12345678ULL;
	assert_int_equal(0x12345678, hv_insn_ea(&insn, gpr, 0));

	/* 32-bit code, 16-bit address (67): [bp+2] */
	insn = DECODE(M32, 0x66, 0x67, 0x8b, 0x46, 0x02);
	gpr[RBP] = 0xfffe;
	assert_int_equal(0, hv_insn_ea(&insn, gpr, 0));
}

#define KEEP	(~0ULL)		/* flags: not an arithmetic instruction */
#define NOWRITE	false, 0
#define WRITES(v)	true, (u64)(v)

struct exec_row {
	const char *text;
	enum hv_cpu_mode mode;
	u8 n;
	u8 bytes[HV_INSN_MAX_LEN + 1];
	u8 reg;		/* the register set to reg_in and checked */
	u64 reg_in, mem_in, reg_out;
	bool writes;
	u64 mem_out;
	u64 flags;	/* arithmetic flags expected, or KEEP */
};

/* text, mode, bytes, reg, reg_in, mem_in, reg_out, memory write, flags */
static const struct exec_row exec_table[] = {
	/* MOV loads: partial registers kept, 32-bit results zero-extended */
	{ "mov al, [rbx]", M64, X(0x8a, 0x03), RAX,
	  0x1122334455667788, 0xab, 0x11223344556677ab, NOWRITE, KEEP },
	{ "mov ah, [rbx]", M64, X(0x8a, 0x23), RAX,
	  0x1122334455667788, 0xab, 0x112233445566ab88, NOWRITE, KEEP },
	{ "mov spl, [rbx]", M64, X(0x40, 0x8a, 0x23), RSP,
	  0x1122334455667788, 0xab, 0x11223344556677ab, NOWRITE, KEEP },
	{ "mov r12b, [rbx]", M64, X(0x44, 0x8a, 0x23), R12,
	  0xffffffffffffffff, 0x00, 0xffffffffffffff00, NOWRITE, KEEP },
	{ "mov ax, [rbx]", M64, X(0x66, 0x8b, 0x03), RAX,
	  0x1122334455667788, 0xbeef, 0x112233445566beef, NOWRITE, KEEP },
	{ "mov eax, [rbx]", M64, X(0x8b, 0x03), RAX,
	  0x1122334455667788, 0xdeadbeef, 0xdeadbeef, NOWRITE, KEEP },
	{ "mov rax, [rbx]", M64, X(0x48, 0x8b, 0x03), RAX,
	  0x1122334455667788, 0xfedcba9876543210, 0xfedcba9876543210, NOWRITE, KEEP },
	{ "mov r9, [rbx]", M64, X(0x4c, 0x8b, 0x0b), R9,
	  0, 0x0123456789abcdef, 0x0123456789abcdef, NOWRITE, KEEP },
	{ "mov al, [moffs64]", M64,
	  X(0xa0, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), RAX,
	  0x1122334455667788, 0x5a, 0x112233445566775a, NOWRITE, KEEP },
	{ "mov ax, [bx]", M16, X(0x8b, 0x07), RAX,
	  0x1122334455667788, 0x1234, 0x1122334455661234, NOWRITE, KEEP },
	{ "mov ch, [bx]", M16, X(0x8a, 0x2f), RCX,
	  0x1122334455667788, 0xcd, 0x112233445566cd88, NOWRITE, KEEP },
	/* MOVZX, MOVSX, MOVSXD */
	{ "movzx eax, byte [rbx]", M64, X(0x0f, 0xb6, 0x03), RAX,
	  0xffffffffffffffff, 0x80, 0x80, NOWRITE, KEEP },
	{ "movzx ax, byte [rbx]", M64, X(0x66, 0x0f, 0xb6, 0x03), RAX,
	  0x1122334455667788, 0xff, 0x11223344556600ff, NOWRITE, KEEP },
	{ "movzx rax, word [rbx]", M64, X(0x48, 0x0f, 0xb7, 0x03), RAX,
	  0xffffffffffffffff, 0x8000, 0x8000, NOWRITE, KEEP },
	{ "movzx esp, byte [rbx]", M64, X(0x0f, 0xb6, 0x23), RSP,
	  0xffffffffffffffff, 0x12, 0x12, NOWRITE, KEEP },
	{ "movsx eax, byte [rbx]", M64, X(0x0f, 0xbe, 0x03), RAX,
	  0x1122334455667788, 0x80, 0xffffff80, NOWRITE, KEEP },
	{ "movsx ax, byte [rbx]", M64, X(0x66, 0x0f, 0xbe, 0x03), RAX,
	  0x1122334455667788, 0x80, 0x112233445566ff80, NOWRITE, KEEP },
	{ "movsx rax, byte [rbx] (positive)", M64, X(0x48, 0x0f, 0xbe, 0x03), RAX,
	  0x1122334455667788, 0x7f, 0x7f, NOWRITE, KEEP },
	{ "movsx rax, word [rbx]", M64, X(0x48, 0x0f, 0xbf, 0x03), RAX,
	  0, 0x8001, 0xffffffffffff8001, NOWRITE, KEEP },
	{ "movsx ecx, word [rbx] (positive)", M64, X(0x0f, 0xbf, 0x0b), RCX,
	  0xffffffffffffffff, 0x7fff, 0x7fff, NOWRITE, KEEP },
	{ "movsxd rax, dword [rbx]", M64, X(0x48, 0x63, 0x03), RAX,
	  0, 0x80000000, 0xffffffff80000000, NOWRITE, KEEP },
	{ "movsxd rax, dword [rbx] (positive)", M64, X(0x48, 0x63, 0x03), RAX,
	  0xffffffffffffffff, 0x7fffffff, 0x7fffffff, NOWRITE, KEEP },
	{ "movsxd eax, dword [rbx]", M64, X(0x63, 0x03), RAX,
	  0xffffffffffffffff, 0x80000000, 0x80000000, NOWRITE, KEEP },
	{ "movsxd ax, word [rbx]", M64, X(0x66, 0x63, 0x03), RAX,
	  0x1122334455667788, 0x8000, 0x1122334455668000, NOWRITE, KEEP },
	{ "movsx ax, byte [bx]", M16, X(0x0f, 0xbe, 0x07), RAX,
	  0x1122334455667788, 0x80, 0x112233445566ff80, NOWRITE, KEEP },
	/* stores */
	{ "mov [rax], ah", M64, X(0x88, 0x20), RAX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x77), KEEP },
	{ "mov [rax], spl", M64, X(0x40, 0x88, 0x20), RSP,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x88), KEEP },
	{ "mov [rbx], ecx", M64, X(0x89, 0x0b), RCX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x55667788), KEEP },
	{ "mov [rbx], cx", M64, X(0x66, 0x89, 0x0b), RCX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x7788), KEEP },
	{ "mov [rbx], rcx", M64, X(0x48, 0x89, 0x0b), RCX,
	  0x1122334455667788, 0, 0x1122334455667788,
	  WRITES(0x1122334455667788), KEEP },
	{ "mov [rbx], r15", M64, X(0x4c, 0x89, 0x3b), R15,
	  0x0f0e0d0c0b0a0908, 0, 0x0f0e0d0c0b0a0908,
	  WRITES(0x0f0e0d0c0b0a0908), KEEP },
	{ "mov [bx], dh", M16, X(0x88, 0x37), RDX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x77), KEEP },
	{ "mov [moffs32], eax", M32, X(0xa3, 0x00, 0x10, 0x00, 0x00), RAX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x55667788), KEEP },
	{ "mov byte [rax], 0x80", M64, X(0xc6, 0x00, 0x80), RAX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x80), KEEP },
	{ "mov word [rax], 0x1234", M64, X(0x66, 0xc7, 0x00, 0x34, 0x12), RAX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x1234), KEEP },
	{ "mov dword [rax], 0x80000000", M64, X(0xc7, 0x00, 0x00, 0x00, 0x00, 0x80),
	  RAX, 0x1122334455667788, 0, 0x1122334455667788, WRITES(0x80000000), KEEP },
	{ "mov qword [rax], -0x80000000", M64,
	  X(0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80), RAX,
	  0x1122334455667788, 0, 0x1122334455667788,
	  WRITES(0xffffffff80000000), KEEP },
	/* STOS stores rAX, LODS loads it */
	{ "stosb", M64, X(0xaa), RAX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x88), KEEP },
	{ "stosw", M64, X(0x66, 0xab), RAX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x7788), KEEP },
	{ "stosd", M64, X(0xab), RAX,
	  0x1122334455667788, 0, 0x1122334455667788, WRITES(0x55667788), KEEP },
	{ "stosq", M64, X(0x48, 0xab), RAX,
	  0x1122334455667788, 0, 0x1122334455667788,
	  WRITES(0x1122334455667788), KEEP },
	{ "lodsb", M64, X(0xac), RAX,
	  0x1122334455667788, 0xaa, 0x11223344556677aa, NOWRITE, KEEP },
	{ "lodsw", M64, X(0x66, 0xad), RAX,
	  0x1122334455667788, 0x1234, 0x1122334455661234, NOWRITE, KEEP },
	{ "lodsd", M64, X(0xad), RAX,
	  0x1122334455667788, 0x12345678, 0x12345678, NOWRITE, KEEP },
	{ "lodsq", M64, X(0x48, 0xad), RAX,
	  0, 0x8877665544332211, 0x8877665544332211, NOWRITE, KEEP },
	/* XCHG */
	{ "xchg [rbx], eax", M64, X(0x87, 0x03), RAX,
	  0x1122334455667788, 0xaabbccdd, 0xaabbccdd, WRITES(0x55667788), KEEP },
	{ "xchg [rax], ah", M64, X(0x86, 0x20), RAX,
	  0x1122334455667788, 0x99, 0x1122334455669988, WRITES(0x77), KEEP },
	{ "xchg [rbx], cx", M64, X(0x66, 0x87, 0x0b), RCX,
	  0x1122334455667788, 0xabcd, 0x112233445566abcd, WRITES(0x7788), KEEP },
	{ "xchg [rbx], rcx", M64, X(0x48, 0x87, 0x0b), RCX,
	  1, 0xffffffffffffffff, 0xffffffffffffffff, WRITES(1), KEEP },
	/* ADD */
	{ "add [rbx], cl: carry, zero", M64, X(0x00, 0x0b), RCX,
	  0x1122334455667701, 0xff, 0x1122334455667701, WRITES(0),
	  CF | PF | AF | ZF },
	{ "add [rbx], cl: overflow to negative", M64, X(0x00, 0x0b), RCX,
	  0x1122334455667701, 0x7f, 0x1122334455667701, WRITES(0x80),
	  OF | SF | AF },
	{ "add [rbx], cl: overflow to positive", M64, X(0x00, 0x0b), RCX,
	  0x1122334455667780, 0x80, 0x1122334455667780, WRITES(0),
	  CF | OF | ZF | PF },
	{ "add [rbx], cl: auxiliary carry only", M64, X(0x00, 0x0b), RCX,
	  0x1122334455667708, 0x08, 0x1122334455667708, WRITES(0x10), AF },
	{ "add cl, [rbx]", M64, X(0x02, 0x0b), RCX,
	  0x1122334455667703, 0x05, 0x1122334455667708, NOWRITE, 0 },
	{ "add ch, [rbx]", M64, X(0x02, 0x2b), RCX,
	  0x1122334455667f88, 0x01, 0x1122334455668088, NOWRITE, OF | SF | AF },
	{ "add ecx, [rbx]", M64, X(0x03, 0x0b), RCX,
	  0xffffffffffffffff, 0x1, 0, NOWRITE, CF | PF | AF | ZF },
	{ "add [rbx], rcx", M64, X(0x48, 0x01, 0x0b), RCX,
	  1, 0x7fffffffffffffff, 1, WRITES(0x8000000000000000),
	  OF | SF | AF | PF },
	{ "add [rbx], cx", M64, X(0x66, 0x01, 0x0b), RCX,
	  0x1122334455664321, 0x1234, 0x1122334455664321, WRITES(0x5555), PF },
	{ "add dword [rbx], -1", M64, X(0x83, 0x03, 0xff), RCX,
	  0x1234, 0x1, 0x1234, WRITES(0), CF | PF | AF | ZF },
	{ "add [bx], ax", M16, X(0x01, 0x07), RAX,
	  0x1122334455660001, 0xffff, 0x1122334455660001, WRITES(0),
	  CF | PF | AF | ZF },
	{ "add [bx], eax", M16, X(0x66, 0x01, 0x07), RAX,
	  0x1122334400000001, 0xffffffff, 0x1122334400000001, WRITES(0),
	  CF | PF | AF | ZF },
	/* SUB */
	{ "sub [rbx], cl: borrow", M64, X(0x28, 0x0b), RCX,
	  0x1122334455667701, 0x00, 0x1122334455667701, WRITES(0xff),
	  CF | SF | AF | PF },
	{ "sub [rbx], cl: overflow to positive", M64, X(0x28, 0x0b), RCX,
	  0x1122334455667701, 0x80, 0x1122334455667701, WRITES(0x7f), OF | AF },
	{ "sub [rbx], ecx: overflow to negative", M64, X(0x29, 0x0b), RCX,
	  0x11223344ffffffff, 0x7fffffff, 0x11223344ffffffff, WRITES(0x80000000),
	  OF | CF | SF | PF },
	{ "sub ecx, [rbx]: zero", M64, X(0x2b, 0x0b), RCX,
	  0xaaaaaaaa00000005, 5, 0, NOWRITE, ZF | PF },
	{ "sub cx, [rbx]", M64, X(0x66, 0x2b, 0x0b), RCX,
	  0x1122334455660010, 1, 0x112233445566000f, NOWRITE, AF | PF },
	{ "sub [rbx], rcx", M64, X(0x48, 0x29, 0x0b), RCX,
	  1, 0x8000000000000000, 1, WRITES(0x7fffffffffffffff), OF | AF | PF },
	{ "sub qword [rbx], 1", M64, X(0x48, 0x83, 0x2b, 0x01), RCX,
	  0, 0x8000000000000000, 0, WRITES(0x7fffffffffffffff), OF | AF | PF },
	{ "sub [rbx], ch", M64, X(0x28, 0x2b), RCX,
	  0x1122334455660300, 0x03, 0x1122334455660300, WRITES(0), ZF | PF },
	/* CMP: no write; operand order decides the result */
	{ "cmp [rbx], cl", M64, X(0x38, 0x0b), RCX,
	  0x1122334455667702, 0x01, 0x1122334455667702, NOWRITE,
	  CF | SF | AF | PF },
	{ "cmp cl, [rbx]", M64, X(0x3a, 0x0b), RCX,
	  0x1122334455667702, 0x01, 0x1122334455667702, NOWRITE, 0 },
	{ "cmp [rbx], ecx", M64, X(0x39, 0x0b), RCX,
	  0xffffffff00000001, 0x80000000, 0xffffffff00000001, NOWRITE,
	  OF | AF | PF },
	{ "cmp ecx, [rbx]", M64, X(0x3b, 0x0b), RCX,
	  0xffffffff00000001, 0x80000000, 0xffffffff00000001, NOWRITE,
	  OF | CF | SF },
	{ "cmp qword [rbx], -0x80", M64, X(0x48, 0x83, 0x3b, 0x80), RCX,
	  0, 0xffffffffffffff80, 0, NOWRITE, ZF | PF },
	{ "cmp cx, [rbx]", M64, X(0x66, 0x3b, 0x0b), RCX,
	  0x1122334455660000, 0x8000, 0x1122334455660000, NOWRITE,
	  OF | CF | SF | PF },
	{ "cmp byte [rbx], 0x80", M64, X(0x80, 0x3b, 0x80), RCX,
	  0, 0x7f, 0, NOWRITE, OF | CF | SF | PF },
	/* AND, OR, XOR, TEST: CF, OF (and AF) cleared */
	{ "and [rbx], cl", M64, X(0x20, 0x0b), RCX,
	  0x112233445566770f, 0xf0, 0x112233445566770f, WRITES(0), ZF | PF },
	{ "and [rbx], ecx", M64, X(0x21, 0x0b), RCX,
	  0x80000003, 0x80000001, 0x80000003, WRITES(0x80000001), SF },
	{ "and ecx, [rbx]", M64, X(0x23, 0x0b), RCX,
	  0xffffffffffffffff, 0xff, 0xff, NOWRITE, PF },
	{ "and dword [rbx], 0xfffffff0", M64, X(0x81, 0x23, 0xf0, 0xff, 0xff, 0xff),
	  RCX, 0, 0x1f, 0, WRITES(0x10), 0 },
	{ "or [rbx], cl", M64, X(0x08, 0x0b), RCX,
	  0x1122334455667702, 0x01, 0x1122334455667702, WRITES(0x03), PF },
	{ "or ch, [rbx]", M64, X(0x0a, 0x2b), RCX,
	  0x1122334455661077, 0x80, 0x1122334455669077, NOWRITE, SF | PF },
	{ "or [rbx], cx", M64, X(0x66, 0x09, 0x0b), RCX,
	  0x1122334455660001, 0x8000, 0x1122334455660001, WRITES(0x8001), SF },
	{ "or dword [rbx], -0x80", M64, X(0x83, 0x0b, 0x80), RCX,
	  0, 0x1, 0, WRITES(0xffffff81), SF | PF },
	{ "xor [rbx], cl", M64, X(0x30, 0x0b), RCX,
	  0x112233445566775a, 0x5a, 0x112233445566775a, WRITES(0), ZF | PF },
	{ "xor [rbx], rcx", M64, X(0x48, 0x31, 0x0b), RCX,
	  0x7ffffffffffffffe, 0xffffffffffffffff, 0x7ffffffffffffffe,
	  WRITES(0x8000000000000001), SF },
	{ "xor ecx, [rbx]", M64, X(0x33, 0x0b), RCX,
	  0xffffffff00000003, 0x1, 0x2, NOWRITE, 0 },
	{ "xor byte [rbx], 0xff", M64, X(0x80, 0x33, 0xff), RCX,
	  0, 0x0f, 0, WRITES(0xf0), SF | PF },
	{ "test [rbx], cl", M64, X(0x84, 0x0b), RCX,
	  0x11223344556677ff, 0x81, 0x11223344556677ff, NOWRITE, SF | PF },
	{ "test [rbx], ecx", M64, X(0x85, 0x0b), RCX,
	  0xf0f0f0f0, 0x0f0f0f0f, 0xf0f0f0f0, NOWRITE, ZF | PF },
	{ "test byte [rbx], 1", M64, X(0xf6, 0x03, 0x01), RCX,
	  0, 0xfe, 0, NOWRITE, ZF | PF },
	{ "test qword [rbx], -0x80000000", M64,
	  X(0x48, 0xf7, 0x03, 0x00, 0x00, 0x00, 0x80), RCX,
	  0, 0x8000000000000000, 0, NOWRITE, SF | PF },
	{ "test word [rbx], 0x8000", M64, X(0x66, 0xf7, 0x03, 0x00, 0x80), RCX,
	  0, 0x8001, 0, NOWRITE, SF | PF },
};

#define MEM_SENTINEL	0xa5a5a5a5a5a5a5a5ULL
#define RFLAGS_OTHER	(0x2 | 0x200 | DF)	/* reserved bit 1, IF, DF */

static u64 pattern(unsigned int i)
{
	return 0x0101010101010101ULL * (0x10 + i);
}

static unsigned int run_exec_row(const struct exec_row *row, u64 rflags_in)
{
	u64 gpr[16], rflags = rflags_in, mem_out = MEM_SENTINEL, want;
	struct hv_insn insn;
	unsigned int bad = 0, i;

	if (hv_decode(row->bytes, row->n, row->mode, &insn)) {
		print_error("%s: does not decode\n", row->text);
		return 1;
	}
	for (i = 0; i < 16; i++)
		gpr[i] = pattern(i);
	gpr[row->reg] = row->reg_in;

	hv_insn_exec(&insn, gpr, &rflags, row->mem_in, &mem_out);

	for (i = 0; i < 16; i++) {
		if (i == row->reg)
			bad += CHECK("register", gpr[i], row->reg_out);
		else
			bad += CHECK("other register", gpr[i], pattern(i));
	}
	bad += CHECK("memory", mem_out, row->writes ? row->mem_out : MEM_SENTINEL);
	want = row->flags == KEEP ? rflags_in :
	       (rflags_in & ~(u64)HV_FLAGS_ARITH) | row->flags;
	bad += CHECK("rflags", rflags, want);
	return bad;
}

static void exec_registers_memory_and_flags(void **state)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(exec_table); i++) {
		bad += run_exec_row(&exec_table[i], RFLAGS_OTHER);
		bad += run_exec_row(&exec_table[i], RFLAGS_OTHER | HV_FLAGS_ARITH);
	}
	assert_int_equal(0, bad);
}

static void store_value_and_reg_read(void **state)
{
	u64 gpr[16] = { 0 };
	struct hv_insn insn;

	gpr[RAX] = 0x1122334455667788ULL;
	gpr[RSP] = 0xaabbccddeeff0011ULL;
	gpr[R15] = 0x0f0e0d0c0b0a0908ULL;

	insn = DECODE(M64, 0x88, 0x20);			/* mov [rax], ah */
	assert_int_equal(0x77, hv_insn_reg_read(&insn, gpr));
	assert_int_equal(0x77, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0x40, 0x88, 0x20);		/* mov [rax], spl */
	assert_int_equal(0x11, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0x66, 0x89, 0x20);		/* mov [rax], sp */
	assert_int_equal(0x0011, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0x4c, 0x89, 0x38);		/* mov [rax], r15 */
	assert_int_equal(0x0f0e0d0c0b0a0908ULL, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0);	/* mov [0], eax */
	assert_int_equal(0x55667788, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0xc6, 0x00, 0x80);		/* mov byte [rax], 0x80 */
	assert_int_equal(0x80, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80);
	assert_int_equal(0xffffffff80000000ULL, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M16, 0xc7, 0x07, 0xff, 0xff);	/* mov word [bx], -1 */
	assert_int_equal(0xffff, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0x66, 0xab);			/* stosw */
	assert_int_equal(0x7788, hv_insn_store_value(&insn, gpr));
	insn = DECODE(M64, 0x48, 0xab);			/* stosq */
	assert_int_equal(0x1122334455667788ULL, hv_insn_store_value(&insn, gpr));
}

struct step_row {
	const char *text;
	enum hv_cpu_mode mode;
	u8 n;
	u8 bytes[HV_INSN_MAX_LEN + 1];
	u64 rflags;
	u64 rsi, rdi, rcx;		/* before */
	u64 rsi_out, rdi_out, rcx_out;	/* after */
	bool more;
};

/* text, mode, bytes, rflags, rsi/rdi/rcx before, after, more */
static const struct step_row step_table[] = {
	{ "movsb", M64, X(0xa4), 0x2,
	  0x1000, 0x2000, 5, 0x1001, 0x2001, 5, false },
	{ "movsq, DF", M64, X(0x48, 0xa5), 0x2 | DF,
	  0x1000, 0x2000, 5, 0xff8, 0x1ff8, 5, false },
	{ "lodsw", M64, X(0x66, 0xad), 0x2,
	  0x1000, 0x2000, 5, 0x1002, 0x2000, 5, false },
	{ "lodsb, DF", M64, X(0xac), 0x2 | DF,
	  0x1000, 0x2000, 5, 0xfff, 0x2000, 5, false },
	{ "stosd, DF", M64, X(0xab), 0x2 | DF,
	  0x1000, 0x2000, 5, 0x1000, 0x1ffc, 5, false },
	{ "stosq", M64, X(0x48, 0xab), 0x2,
	  0x1000, 0x2000, 5, 0x1000, 0x2008, 5, false },
	{ "insb", M64, X(0x6c), 0x2,
	  0x1000, 0x2000, 5, 0x1000, 0x2001, 5, false },
	{ "insd (REX.W)", M64, X(0x48, 0x6d), 0x2,
	  0x1000, 0x2000, 5, 0x1000, 0x2004, 5, false },
	{ "outsd", M64, X(0x6f), 0x2,
	  0x1000, 0x2000, 5, 0x1004, 0x2000, 5, false },
	{ "outsw, DF", M64, X(0x66, 0x6f), 0x2 | DF,
	  0x1000, 0x2000, 5, 0xffe, 0x2000, 5, false },
	{ "rep movsb, 2 left", M64, X(0xf3, 0xa4), 0x2,
	  0x1000, 0x2000, 2, 0x1001, 0x2001, 1, true },
	{ "rep movsb, last", M64, X(0xf3, 0xa4), 0x2,
	  0x1000, 0x2000, 1, 0x1001, 0x2001, 0, false },
	{ "repne stosb", M64, X(0xf2, 0xaa), 0x2,
	  0x1000, 0x2000, 3, 0x1000, 0x2001, 2, true },
	{ "rep stosq, 64-bit count", M64, X(0xf3, 0x48, 0xab), 0x2,
	  0x1000, 0x2000, 0x100000000, 0x1000, 0x2008, 0xffffffff, true },
	{ "rep lodsd, DF", M64, X(0xf3, 0xad), 0x2 | DF,
	  0x1000, 0x2000, 0x10, 0xffc, 0x2000, 0xf, true },
	{ "rep outsb", M64, X(0xf3, 0x6e), 0x2,
	  0x1000, 0x2000, 7, 0x1001, 0x2000, 6, true },
	{ "lodsb [esi] (67): zero-extends", M64, X(0x67, 0xac), 0x2,
	  0x1ffffffff, 0x2000, 5, 0, 0x2000, 5, false },
	{ "16-bit movsb wraps, upper bits kept", M16, X(0xa4), 0x2,
	  0xaaaabbbbccccffff, 0x111122223333ffff, 5,
	  0xaaaabbbbcccc0000, 0x1111222233330000, 5, false },
	{ "16-bit rep movsw, DF", M16, X(0xf3, 0xa5), 0x2 | DF,
	  0x12340000, 0x56780001, 0xabcd0001,
	  0x1234fffe, 0x5678ffff, 0xabcd0000, false },
	{ "16-bit rep stosb", M16, X(0xf3, 0xaa), 0x2,
	  0x1000, 0xffff0010, 0x12340003, 0x1000, 0xffff0011, 0x12340002, true },
	{ "16-bit rep insw", M16, X(0xf3, 0x6d), 0x2,
	  0x1000, 0x10, 1, 0x1000, 0x12, 0, false },
	{ "16-bit code, stosb [edi] (67)", M16, X(0x67, 0xaa), 0x2,
	  0x1000, 0xffffffff, 5, 0x1000, 0, 5, false },
	{ "32-bit rep movsd: zero-extends", M32, X(0xf3, 0xa5), 0x2,
	  0xfffffffffffffffc, 0xdeadbeef00001000, 0x100000002,
	  0, 0x1004, 1, true },
	{ "32-bit stosb, DF", M32, X(0xaa), 0x2 | DF,
	  0x1000, 0xffffffff00000000, 5, 0x1000, 0xffffffff, 5, false },
	{ "32-bit movsb [si], [di] (67)", M32, X(0x67, 0xa4), 0x2,
	  0x777700000000ffff, 0x8888000000001234, 5,
	  0x7777000000000000, 0x8888000000001235, 5, false },
};

static void string_steps(void **state)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(step_table); i++) {
		const struct step_row *row = &step_table[i];
		struct hv_insn insn;
		u64 gpr[16];
		unsigned int r;
		bool more;

		if (hv_decode(row->bytes, row->n, row->mode, &insn)) {
			print_error("%s: does not decode\n", row->text);
			bad++;
			continue;
		}
		for (r = 0; r < 16; r++)
			gpr[r] = pattern(r);
		gpr[RSI] = row->rsi;
		gpr[RDI] = row->rdi;
		gpr[RCX] = row->rcx;
		more = hv_insn_string_step(&insn, gpr, row->rflags);
		bad += CHECK("more", more, row->more);
		bad += CHECK("rsi", gpr[RSI], row->rsi_out);
		bad += CHECK("rdi", gpr[RDI], row->rdi_out);
		bad += CHECK("rcx", gpr[RCX], row->rcx_out);
		for (r = 0; r < 16; r++)
			if (r != RSI && r != RDI && r != RCX)
				bad += CHECK("other register", gpr[r], pattern(r));
	}
	assert_int_equal(0, bad);
}

static void rep_runs_until_the_count_is_zero(void **state)
{
	struct hv_insn insn = DECODE(M64, 0xf3, 0xa4);	/* rep movsb */
	u64 gpr[16] = { 0 };
	unsigned int n = 1;

	gpr[RCX] = 4;
	while (hv_insn_string_step(&insn, gpr, 0x2))
		n++;
	assert_int_equal(4, n);
	assert_int_equal(0, gpr[RCX]);
	assert_int_equal(4, gpr[RSI]);
	assert_int_equal(4, gpr[RDI]);
}

#define R	HV_ACCESS_READ
#define W	HV_ACCESS_WRITE

static const struct {
	const char *text;
	enum hv_cpu_mode mode;
	u8 n;
	u8 bytes[HV_INSN_MAX_LEN + 1];
	unsigned int access;
} access_table[] = {
	{ "mov eax, [rbx]", M64, X(0x8b, 0x03), R },
	{ "mov al, [moffs]", M32, X(0xa0, 0, 0, 0, 0), R },
	{ "mov [rbx], eax", M64, X(0x89, 0x03), W },
	{ "mov [moffs], eax", M32, X(0xa3, 0, 0, 0, 0), W },
	{ "mov dword [rbx], 1", M64, X(0xc7, 0x03, 1, 0, 0, 0), W },
	{ "movzx eax, byte [rbx]", M64, X(0x0f, 0xb6, 0x03), R },
	{ "movsx eax, word [rbx]", M64, X(0x0f, 0xbf, 0x03), R },
	{ "movsxd rax, [rbx]", M64, X(0x48, 0x63, 0x03), R },
	{ "add [rbx], eax", M64, X(0x01, 0x03), R | W },
	{ "add eax, [rbx]", M64, X(0x03, 0x03), R },
	{ "add dword [rbx], 1", M64, X(0x83, 0x03, 0x01), R | W },
	{ "or [rbx], eax", M64, X(0x09, 0x03), R | W },
	{ "or eax, [rbx]", M64, X(0x0b, 0x03), R },
	{ "and [rbx], eax", M64, X(0x21, 0x03), R | W },
	{ "and eax, [rbx]", M64, X(0x23, 0x03), R },
	{ "and byte [rbx], 1", M64, X(0x80, 0x23, 0x01), R | W },
	{ "sub [rbx], eax", M64, X(0x29, 0x03), R | W },
	{ "sub eax, [rbx]", M64, X(0x2b, 0x03), R },
	{ "xor [rbx], eax", M64, X(0x31, 0x03), R | W },
	{ "xor eax, [rbx]", M64, X(0x33, 0x03), R },
	{ "xor dword [rbx], 1", M64, X(0x81, 0x33, 1, 0, 0, 0), R | W },
	{ "cmp [rbx], eax", M64, X(0x39, 0x03), R },
	{ "cmp eax, [rbx]", M64, X(0x3b, 0x03), R },
	{ "cmp dword [rbx], 1", M64, X(0x83, 0x3b, 0x01), R },
	{ "test [rbx], eax", M64, X(0x85, 0x03), R },
	{ "test byte [rbx], 1", M64, X(0xf6, 0x03, 0x01), R },
	{ "xchg [rbx], eax", M64, X(0x87, 0x03), R | W },
	{ "movsb", M64, X(0xa4), R | W },
	{ "stosb", M64, X(0xaa), W },
	{ "lodsb", M64, X(0xac), R },
	{ "insb", M16, X(0x6c), W },
	{ "outsb", M16, X(0x6e), R },
};

static void accesses_of_each_instruction(void **state)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(access_table); i++) {
		struct hv_insn insn;

		if (hv_decode(access_table[i].bytes, access_table[i].n,
			      access_table[i].mode, &insn)) {
			print_error("%s: does not decode\n", access_table[i].text);
			bad++;
			continue;
		}
		bad += check_u64(access_table[i].text, "access",
				 hv_insn_access(&insn), access_table[i].access);
	}
	assert_int_equal(0, bad);
}

static void masks(void **state)
{
	assert_int_equal(0xff, hv_mask(1));
	assert_int_equal(0xffff, hv_mask(2));
	assert_int_equal(0xffffffff, hv_mask(4));
	assert_int_equal(0xffffffffffffffffULL, hv_mask(8));
}

/* hv_insn_len_of(): the length of CPUID/HLT/RDMSR/WRMSR with prefixes. */
static void lengths_of_known_opcodes(void **state)
{
	static const u8 cpuid[] = { 0x0f, 0xa2 }, hlt[] = { 0xf4 };
	static const struct {
		u8 bytes[16];
		unsigned int avail;
		enum hv_cpu_mode mode;
		const u8 *op;
		unsigned int oplen;
		int want;
	} rows[] = {
		{ { 0x0f, 0xa2 }, 2, HV_CPU_MODE_64, cpuid, 2, 2 },
		{ { 0x66, 0x0f, 0xa2 }, 3, HV_CPU_MODE_64, cpuid, 2, 3 },
		{ { 0x2e, 0x48, 0x0f, 0xa2 }, 4, HV_CPU_MODE_64, cpuid, 2, 4 },
		{ { 0xf3, 0xf2, 0x67, 0x66, 0x0f, 0xa2 }, 6, HV_CPU_MODE_32, cpuid,
		  2, 6 },
		{ { 0xf4 }, 1, HV_CPU_MODE_16, hlt, 1, 1 },
		{ { 0x3e, 0xf4 }, 2, HV_CPU_MODE_16, hlt, 1, 2 },
		/* REX is a prefix in 64-bit mode only (INC EAX elsewhere). */
		{ { 0x40, 0xf4 }, 2, HV_CPU_MODE_64, hlt, 1, 2 },
		{ { 0x40, 0xf4 }, 2, HV_CPU_MODE_32, hlt, 1, -EINVAL },
		/* Not the instruction that exited (rewritten meanwhile). */
		{ { 0x66, 0x90 }, 2, HV_CPU_MODE_64, hlt, 1, -EINVAL },
		{ { 0x0f, 0x32 }, 2, HV_CPU_MODE_64, cpuid, 2, -EINVAL },
		/* Fetched too little. */
		{ { 0x66, 0x0f }, 2, HV_CPU_MODE_64, cpuid, 2, -ENODATA },
		{ { 0 }, 0, HV_CPU_MODE_64, hlt, 1, -ENODATA },
		/* 14 prefixes and a 2-byte opcode exceed 15 bytes. */
		{ { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		    0x66, 0x66, 0x66, 0x66, 0x0f, 0xa2 }, 16, HV_CPU_MODE_64,
		  cpuid, 2, -EINVAL },
		/* 13 prefixes and a 2-byte opcode are exactly 15. */
		{ { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		    0x66, 0x66, 0x66, 0x0f, 0xa2 }, 15, HV_CPU_MODE_64, cpuid, 2,
		  15 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int got = hv_insn_len_of(rows[i].bytes, rows[i].avail,
					 rows[i].mode, rows[i].op,
					 rows[i].oplen);

		if (got != rows[i].want)
			fail_msg("row %zu: length %d, want %d", i, got,
				 rows[i].want);
	}
}

static void mov_to_cr(void **state)
{
	static const struct {
		u8 bytes[16];
		unsigned int avail;
		enum hv_cpu_mode mode;
		int len;
		u8 cr, gpr;
	} rows[] = {
		{ { 0x0f, 0x22, 0xe0 }, 3, HV_CPU_MODE_64, 3, 4, 0 },	/* rax */
		{ { 0x0f, 0x22, 0xe3 }, 3, HV_CPU_MODE_32, 3, 4, 3 },	/* ebx */
		{ { 0x41, 0x0f, 0x22, 0xe7 }, 4, HV_CPU_MODE_64, 4, 4, 15 },
		{ { 0x44, 0x0f, 0x22, 0xc1 }, 4, HV_CPU_MODE_64, 4, 8, 1 },
		/* The mod field is ignored: still a register. */
		{ { 0x0f, 0x22, 0x22 }, 3, HV_CPU_MODE_64, 3, 4, 2 },
		/* A REX before a legacy prefix does not count. */
		{ { 0x41, 0x66, 0x0f, 0x22, 0xe7 }, 5, HV_CPU_MODE_64, 5, 4, 7 },
		/* REX is INC outside 64-bit mode. */
		{ { 0x41, 0x0f, 0x22, 0xe7 }, 4, HV_CPU_MODE_32, -EINVAL, 0, 0 },
		{ { 0x0f, 0x20, 0xe0 }, 3, HV_CPU_MODE_64, -EINVAL, 0, 0 }, /* from CR */
		{ { 0x0f, 0x22 }, 2, HV_CPU_MODE_64, -ENODATA, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		u8 cr = 0xff, gpr = 0xff;
		int got = hv_decode_mov_to_cr(rows[i].bytes, rows[i].avail,
					      rows[i].mode, &cr, &gpr);

		if (got != rows[i].len)
			fail_msg("row %zu: length %d, want %d", i, got,
				 rows[i].len);
		if (got > 0 && (cr != rows[i].cr || gpr != rows[i].gpr))
			fail_msg("row %zu: cr%u from r%u, want cr%u from r%u",
				 i, cr, gpr, rows[i].cr, rows[i].gpr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mov_to_cr),
		cmocka_unit_test(decode_table_matches_the_sdm),
		cmocka_unit_test(errors_have_exact_codes),
		cmocka_unit_test(effective_addresses),
		cmocka_unit_test(exec_registers_memory_and_flags),
		cmocka_unit_test(store_value_and_reg_read),
		cmocka_unit_test(string_steps),
		cmocka_unit_test(rep_runs_until_the_count_is_zero),
		cmocka_unit_test(accesses_of_each_instruction),
		cmocka_unit_test(masks),
		cmocka_unit_test(lengths_of_known_opcodes),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
