/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 instruction decoding and execution for the instructions guests use on
 * device registers (MMIO): MOV, MOVZX, MOVSX(D), MOVS, STOS, LODS, INS,
 * OUTS, AND, OR, XOR, ADD, SUB, CMP, TEST, XCHG with a memory operand, in
 * 16-, 32- and 64-bit code. Pure functions over plain data, so that the
 * same file is compiled into hv.ko and into its cmocka test.
 */
#ifndef HV_DECODE_H
#define HV_DECODE_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include "tests/ktypes.h"
#endif

#define HV_INSN_MAX_LEN		15

/* CPU modes, as far as decoding cares. */
enum hv_cpu_mode {
	HV_CPU_MODE_16,	/* real mode, VM86, 16-bit protected mode */
	HV_CPU_MODE_32,	/* 32-bit protected or compatibility mode */
	HV_CPU_MODE_64,	/* 64-bit mode */
};

enum hv_op {
	HV_OP_NONE,
	HV_OP_MOV_LOAD,		/* reg <- mem */
	HV_OP_MOV_STORE,	/* mem <- reg */
	HV_OP_MOV_STORE_IMM,	/* mem <- imm */
	HV_OP_MOVZX,		/* reg <- zero-extended mem */
	HV_OP_MOVSX,		/* reg <- sign-extended mem */
	HV_OP_AND,
	HV_OP_OR,
	HV_OP_XOR,
	HV_OP_ADD,
	HV_OP_SUB,
	HV_OP_CMP,
	HV_OP_TEST,
	HV_OP_XCHG,
	HV_OP_MOVS,
	HV_OP_STOS,
	HV_OP_LODS,
	HV_OP_INS,
	HV_OP_OUTS,
};

/* Segment registers, in the hardware's encoding order. */
enum hv_seg {
	HV_SEG_ES, HV_SEG_CS, HV_SEG_SS, HV_SEG_DS, HV_SEG_FS, HV_SEG_GS,
	HV_SEG_NONE = 0xff,
};

#define HV_REG_NONE	0xff

/* RFLAGS bits the executed instructions touch. */
#define HV_FLAG_CF	BIT(0)
#define HV_FLAG_PF	BIT(2)
#define HV_FLAG_AF	BIT(4)
#define HV_FLAG_ZF	BIT(6)
#define HV_FLAG_SF	BIT(7)
#define HV_FLAG_DF	BIT(10)
#define HV_FLAG_OF	BIT(11)
#define HV_FLAGS_ARITH	(HV_FLAG_CF | HV_FLAG_PF | HV_FLAG_AF | HV_FLAG_ZF | \
			 HV_FLAG_SF | HV_FLAG_OF)

/**
 * struct hv_insn - a decoded instruction with one memory operand
 * @len: length in bytes
 * @op: enum hv_op
 * @size: operand size in bytes (1, 2, 4, 8)
 * @mem_size: size of the memory operand (differs for MOVZX/MOVSX)
 * @addr_size: address size in bytes (2, 4, 8)
 * @reg: register operand (enum hv_gpr numbering), or HV_REG_NONE
 * @reg_high8: @reg names AH, CH, DH or BH
 * @mem_dst: the memory operand is the destination
 * @imm: immediate, sign-extended to 64 bits where the ISA extends it
 * @has_imm: @imm is used
 * @rep: REP/REPE prefix (F3)
 * @repne: REPNE prefix (F2)
 * @lock: LOCK prefix
 * @seg: segment of the memory operand (the source, for MOVS/OUTS/LODS)
 * @seg_override: @seg came from a prefix
 * @ea_base: base register of the memory operand, or HV_REG_NONE
 * @ea_index: index register, or HV_REG_NONE
 * @ea_scale: scale factor (1, 2, 4, 8)
 * @ea_disp: displacement
 * @ea_rip: RIP-relative (@ea_disp is relative to the next instruction)
 * @ea_bp16: 16-bit form whose default segment is SS (BP-based)
 */
struct hv_insn {
	u8 len;
	u8 op;
	u8 size;
	u8 mem_size;
	u8 addr_size;
	u8 reg;
	bool reg_high8;
	bool mem_dst;
	u64 imm;
	bool has_imm;
	bool rep;
	bool repne;
	bool lock;
	u8 seg;
	bool seg_override;
	u8 ea_base;
	u8 ea_index;
	u8 ea_scale;
	s64 ea_disp;
	bool ea_rip;
	bool ea_bp16;
};

/* Memory accesses an instruction makes (hv_insn_access()). */
#define HV_ACCESS_READ	1
#define HV_ACCESS_WRITE	2

int hv_decode(const u8 *bytes, unsigned int avail, enum hv_cpu_mode mode,
	      struct hv_insn *insn);
int hv_insn_len_of(const u8 *bytes, unsigned int avail, enum hv_cpu_mode mode,
		   const u8 *opcode, unsigned int oplen);
int hv_decode_mov_to_cr(const u8 *bytes, unsigned int avail,
			enum hv_cpu_mode mode, u8 *cr, u8 *gpr);
unsigned int hv_insn_access(const struct hv_insn *insn);
u64 hv_insn_ea(const struct hv_insn *insn, const u64 *gpr, u64 next_rip);
u64 hv_insn_reg_read(const struct hv_insn *insn, const u64 *gpr);
u64 hv_insn_store_value(const struct hv_insn *insn, const u64 *gpr);
void hv_insn_exec(const struct hv_insn *insn, u64 *gpr, u64 *rflags,
		  u64 mem_in, u64 *mem_out);
bool hv_insn_string_step(const struct hv_insn *insn, u64 *gpr, u64 rflags);
u64 hv_mask(unsigned int size);

#endif /* HV_DECODE_H */
