// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding and execution of the instructions guests use on device
 * registers (see decode.h). Encodings and semantics follow the Intel SDM
 * Vol. 2 (2.1 instruction format, 2.1.5 ModR/M and SIB, 2.2.1 REX; the
 * instruction pages for flags) and AMD APM Vol. 3. Register numbers are
 * the hardware's (0 = RAX ... 15 = R15).
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "decode.h"

#define REG_RAX 0
#define REG_RCX 1
#define REG_RSP 4
#define REG_RBP 5
#define REG_RSI 6
#define REG_RDI 7

#define REX_W 8
#define REX_R 4
#define REX_X 2
#define REX_B 1

/**
 * hv_mask() - the mask of an operand size
 * @size: operand size in bytes (1, 2, 4, 8)
 *
 * Return: all ones in the low @size bytes.
 */
u64 hv_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static u64 sext(u64 v, unsigned int size)
{
	u64 sign;

	if (size >= 8)
		return v;
	sign = 1ULL << (size * 8 - 1);
	v &= hv_mask(size);
	return (v ^ sign) - sign;
}

struct cursor {
	const u8 *p;
	unsigned int avail;
	unsigned int pos;
};

static int next_byte(struct cursor *c, u8 *b)
{
	if (c->pos >= c->avail || c->pos >= HV_INSN_MAX_LEN)
		return -ENODATA;
	*b = c->p[c->pos++];
	return 0;
}

static int next_le(struct cursor *c, unsigned int n, u64 *v)
{
	unsigned int i;
	u8 b;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (next_byte(c, &b))
			return -ENODATA;
		*v |= (u64)b << (8 * i);
	}
	return 0;
}

/* 16-bit ModR/M addressing forms (SDM Vol. 2, Table 2-1). */
static const u8 rm16_base[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };	/* BX BX BP BP SI DI BP BX */
static const u8 rm16_index[8] = { 6, 7, 6, 7, HV_REG_NONE, HV_REG_NONE,
				  HV_REG_NONE, HV_REG_NONE };	/* SI DI SI DI */

static int decode_modrm(struct cursor *c, struct hv_insn *insn, u8 rex,
			enum hv_cpu_mode mode, u8 *reg_field)
{
	u8 modrm, mod, rm, sib;
	u64 disp;

	if (next_byte(c, &modrm))
		return -ENODATA;
	mod = modrm >> 6;
	rm = modrm & 7;
	*reg_field = ((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0);
	if (mod == 3)
		return -EINVAL;		/* a register operand: no memory access */

	insn->ea_scale = 1;
	if (insn->addr_size == 2) {
		if (mod == 0 && rm == 6) {
			if (next_le(c, 2, &disp))
				return -ENODATA;
			insn->ea_disp = (s64)disp;
			return 0;
		}
		insn->ea_base = rm16_base[rm];
		insn->ea_index = rm16_index[rm];
		insn->ea_bp16 = insn->ea_base == REG_RBP;
		if (mod == 1) {
			if (next_le(c, 1, &disp))
				return -ENODATA;
			insn->ea_disp = (s64)sext(disp, 1);
		} else if (mod == 2) {
			if (next_le(c, 2, &disp))
				return -ENODATA;
			insn->ea_disp = (s64)sext(disp, 2);
		}
		return 0;
	}

	if (rm == 4) {
		u8 index, base;

		if (next_byte(c, &sib))
			return -ENODATA;
		insn->ea_scale = 1 << (sib >> 6);
		index = ((sib >> 3) & 7) | (rex & REX_X ? 8 : 0);
		base = (sib & 7) | (rex & REX_B ? 8 : 0);
		insn->ea_index = index == REG_RSP ? HV_REG_NONE : index;
		if ((sib & 7) == 5 && mod == 0) {
			if (next_le(c, 4, &disp))
				return -ENODATA;
			insn->ea_disp = (s64)sext(disp, 4);
			return 0;
		}
		insn->ea_base = base;
	} else if (rm == 5 && mod == 0) {
		if (next_le(c, 4, &disp))
			return -ENODATA;
		insn->ea_disp = (s64)sext(disp, 4);
		/* SDM Vol. 2, 2.2.1.6: RIP-relative only in 64-bit mode. */
		insn->ea_rip = mode == HV_CPU_MODE_64;
		return 0;
	}
	if (rm != 4)
		insn->ea_base = rm | (rex & REX_B ? 8 : 0);

	if (mod == 1) {
		if (next_le(c, 1, &disp))
			return -ENODATA;
		insn->ea_disp = (s64)sext(disp, 1);
	} else if (mod == 2) {
		if (next_le(c, 4, &disp))
			return -ENODATA;
		insn->ea_disp = (s64)sext(disp, 4);
	}
	return 0;
}

static int decode_imm(struct cursor *c, struct hv_insn *insn, unsigned int n)
{
	u64 v;

	if (next_le(c, n, &v))
		return -ENODATA;
	/* The ISA sign-extends an immediate only when it is narrower. */
	insn->imm = n < insn->size ? sext(v, n) : v;
	insn->has_imm = true;
	return 0;
}

/* ADD, OR, AND, SUB, XOR, CMP by their /digit or opcode row; 0 if other. */
static u8 alu_op(unsigned int n)
{
	static const u8 ops[8] = {
		HV_OP_ADD, HV_OP_OR, HV_OP_NONE, HV_OP_NONE,
		HV_OP_AND, HV_OP_SUB, HV_OP_XOR, HV_OP_CMP,
	};

	return ops[n & 7];
}

static bool legacy_prefix(u8 b)
{
	switch (b) {
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
		return true;
	}
	return false;
}

/**
 * hv_insn_len_of() - length of an instruction whose opcode is known
 * @bytes: the instruction bytes
 * @avail: how many of them are valid
 * @mode: the CPU mode the guest executes in
 * @opcode: the opcode bytes the instruction must have after its prefixes
 * @oplen: their number
 *
 * For the operand-less instructions a CPU reports by exit reason alone
 * (CPUID, HLT, RDMSR, WRMSR) when it does not report their length: step
 * over legacy prefixes and, in 64-bit mode, REX prefixes (SDM Vol. 2,
 * 2.1.1 and 2.2.1), then check the opcode.
 *
 * Return: the length; -ENODATA if @bytes end too early; -EINVAL if they
 * are not that instruction or exceed 15 bytes.
 */
int hv_insn_len_of(const u8 *bytes, unsigned int avail, enum hv_cpu_mode mode,
		   const u8 *opcode, unsigned int oplen)
{
	unsigned int i = 0, j;

	while (i < avail && i < HV_INSN_MAX_LEN &&
	       (legacy_prefix(bytes[i]) ||
		(mode == HV_CPU_MODE_64 && (bytes[i] & 0xf0) == 0x40)))
		i++;
	if (i + oplen > HV_INSN_MAX_LEN)
		return -EINVAL;
	for (j = 0; j < oplen; j++) {
		if (i + j >= avail)
			return -ENODATA;
		if (bytes[i + j] != opcode[j])
			return -EINVAL;
	}
	return i + oplen;
}

/**
 * hv_decode_mov_to_cr() - decode MOV to a control register (0F 22 /r)
 * @bytes: the instruction bytes
 * @avail: how many of them are valid
 * @mode: the CPU mode the guest executes in
 * @cr: receives the control register's number (ModRM.reg, REX.R)
 * @gpr: receives the source register's number (ModRM.rm, REX.B)
 *
 * For CPUs that report a control-register write without its operand (SVM
 * without decode assists). The mod field is ignored: the operand is
 * always a register (SDM Vol. 2B, MOV - Move to/from Control Registers).
 * A REX prefix counts only right before the opcode.
 *
 * Return: the length; -ENODATA if @bytes end too early; -EINVAL if they
 * are not MOV to a control register or exceed 15 bytes.
 */
int hv_decode_mov_to_cr(const u8 *bytes, unsigned int avail,
			enum hv_cpu_mode mode, u8 *cr, u8 *gpr)
{
	unsigned int i = 0;
	u8 rex = 0, modrm;

	for (; i < avail && i < HV_INSN_MAX_LEN; i++) {
		if (legacy_prefix(bytes[i]))
			rex = 0;
		else if (mode == HV_CPU_MODE_64 && (bytes[i] & 0xf0) == 0x40)
			rex = bytes[i];
		else
			break;
	}
	if (i + 3 > HV_INSN_MAX_LEN)
		return -EINVAL;
	if (i + 3 > avail)
		return -ENODATA;
	if (bytes[i] != 0x0f || bytes[i + 1] != 0x22)
		return -EINVAL;
	modrm = bytes[i + 2];
	*cr = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
	*gpr = (modrm & 7) | (rex & 1 ? 8 : 0);
	return i + 3;
}

/**
 * hv_decode() - decode an instruction that accesses memory
 * @bytes: the instruction bytes
 * @avail: how many of them are valid (at most 15 are read)
 * @mode: the CPU mode the guest executes in
 * @insn: the result
 *
 * Return: 0; -ENODATA if @bytes ended too early; -EINVAL if the operand
 * is a register (no memory access); -EOPNOTSUPP for an instruction hv
 * does not emulate.
 */
int hv_decode(const u8 *bytes, unsigned int avail, enum hv_cpu_mode mode,
	      struct hv_insn *insn)
{
	struct cursor c = { .p = bytes, .avail = avail };
	bool opsize_prefix = false, addr_prefix = false;
	u8 b, rex = 0, reg_field = 0, op2;
	bool modrm = true;
	unsigned int imm = 0;
	u64 moffs;
	int err;

	memset(insn, 0, sizeof(*insn));
	insn->reg = HV_REG_NONE;
	insn->ea_base = HV_REG_NONE;
	insn->ea_index = HV_REG_NONE;
	insn->ea_scale = 1;
	insn->seg = HV_SEG_NONE;

	for (;;) {
		if (next_byte(&c, &b))
			return -ENODATA;
		switch (b) {
		case 0x66:
			opsize_prefix = true;
			rex = 0;
			continue;
		case 0x67:
			addr_prefix = true;
			rex = 0;
			continue;
		case 0xf2:
			insn->repne = true;
			insn->rep = false;
			rex = 0;
			continue;
		case 0xf3:
			insn->rep = true;
			insn->repne = false;
			rex = 0;
			continue;
		case 0xf0:
			insn->lock = true;
			rex = 0;
			continue;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			insn->seg = (b >> 3) & 3;	/* ES CS SS DS */
			insn->seg_override = true;
			rex = 0;
			continue;
		case 0x64: case 0x65:
			insn->seg = b == 0x64 ? HV_SEG_FS : HV_SEG_GS;
			insn->seg_override = true;
			rex = 0;
			continue;
		}
		/* SDM Vol. 2, 2.2.1: a REX prefix counts only right before the opcode. */
		if (mode == HV_CPU_MODE_64 && (b & 0xf0) == 0x40) {
			rex = b;
			continue;
		}
		break;
	}

	switch (mode) {
	case HV_CPU_MODE_64:
		insn->size = rex & REX_W ? 8 : opsize_prefix ? 2 : 4;
		insn->addr_size = addr_prefix ? 4 : 8;
		break;
	case HV_CPU_MODE_32:
		insn->size = opsize_prefix ? 2 : 4;
		insn->addr_size = addr_prefix ? 2 : 4;
		break;
	default:
		insn->size = opsize_prefix ? 4 : 2;
		insn->addr_size = addr_prefix ? 4 : 2;
		break;
	}

	switch (b) {
	case 0x88: case 0x89:
		insn->op = HV_OP_MOV_STORE;
		insn->mem_dst = true;
		if (b == 0x88)
			insn->size = 1;
		break;
	case 0x8a: case 0x8b:
		insn->op = HV_OP_MOV_LOAD;
		if (b == 0x8a)
			insn->size = 1;
		break;
	case 0xc6: case 0xc7:
		insn->op = HV_OP_MOV_STORE_IMM;
		insn->mem_dst = true;
		if (b == 0xc6)
			insn->size = 1;
		imm = insn->size == 1 ? 1 : insn->size == 2 ? 2 : 4;
		break;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		insn->op = b >= 0xa2 ? HV_OP_MOV_STORE : HV_OP_MOV_LOAD;
		insn->mem_dst = b >= 0xa2;
		if (!(b & 1))
			insn->size = 1;
		insn->reg = REG_RAX;
		if (next_le(&c, insn->addr_size, &moffs))
			return -ENODATA;
		insn->ea_disp = (s64)moffs;
		modrm = false;
		break;
	case 0x0f:
		if (next_byte(&c, &op2))
			return -ENODATA;
		switch (op2) {
		case 0xb6: case 0xb7:
			insn->op = HV_OP_MOVZX;
			break;
		case 0xbe: case 0xbf:
			insn->op = HV_OP_MOVSX;
			break;
		default:
			return -EOPNOTSUPP;
		}
		insn->mem_size = op2 & 1 ? 2 : 1;
		break;
	case 0x63:
		if (mode != HV_CPU_MODE_64)
			return -EOPNOTSUPP;	/* ARPL */
		insn->op = HV_OP_MOVSX;
		/* MOVSXD r16, r/m16; r32, r/m32; r64, r/m32. */
		insn->mem_size = insn->size == 2 ? 2 : 4;
		break;
	case 0x80: case 0x81: case 0x83:
		insn->mem_dst = true;
		if (b == 0x80)
			insn->size = 1;
		imm = b != 0x81 ? 1 : insn->size == 2 ? 2 : 4;
		break;
	case 0x84: case 0x85:
		insn->op = HV_OP_TEST;
		insn->mem_dst = true;
		if (b == 0x84)
			insn->size = 1;
		break;
	case 0xf6: case 0xf7:
		insn->op = HV_OP_TEST;
		insn->mem_dst = true;
		if (b == 0xf6)
			insn->size = 1;
		imm = insn->size == 1 ? 1 : insn->size == 2 ? 2 : 4;
		break;
	case 0x86: case 0x87:
		insn->op = HV_OP_XCHG;
		insn->mem_dst = true;
		if (b == 0x86)
			insn->size = 1;
		break;
	case 0xa4: case 0xa5:
		insn->op = HV_OP_MOVS;
		goto string;
	case 0xaa: case 0xab:
		insn->op = HV_OP_STOS;
		goto string;
	case 0xac: case 0xad:
		insn->op = HV_OP_LODS;
		goto string;
	case 0x6c: case 0x6d:
		insn->op = HV_OP_INS;
		goto string;
	case 0x6e: case 0x6f:
		insn->op = HV_OP_OUTS;
string:
		if (!(b & 1))
			insn->size = 1;
		/* Port I/O moves at most 32 bits (SDM Vol. 2, INS/OUTS). */
		if ((insn->op == HV_OP_INS || insn->op == HV_OP_OUTS) &&
		    insn->size == 8)
			insn->size = 4;
		insn->mem_dst = insn->op == HV_OP_STOS || insn->op == HV_OP_INS;
		modrm = false;
		break;
	default:
		/* ADD/OR/AND/SUB/XOR/CMP in the 00-3F block, r/m and reg forms. */
		if (b < 0x40 && (b & 7) < 4 && alu_op(b >> 3) != HV_OP_NONE) {
			insn->op = alu_op(b >> 3);
			insn->mem_dst = !(b & 2);
			if (!(b & 1))
				insn->size = 1;
			break;
		}
		return -EOPNOTSUPP;
	}

	if (!insn->mem_size)
		insn->mem_size = insn->size;

	if (modrm) {
		err = decode_modrm(&c, insn, rex, mode, &reg_field);
		if (err)
			return err;
		if (b == 0x80 || b == 0x81 || b == 0x83) {
			insn->op = alu_op(reg_field);
			if (insn->op == HV_OP_NONE)
				return -EOPNOTSUPP;
		} else if (b == 0xc6 || b == 0xc7) {
			if (reg_field & 7)
				return -EOPNOTSUPP;
		} else if (b == 0xf6 || b == 0xf7) {
			if ((reg_field & 7) > 1)	/* /0 and its alias /1 */
				return -EOPNOTSUPP;
		} else {
			insn->reg = reg_field;
			/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
			if (insn->size == 1 && !rex && reg_field >= 4 &&
			    reg_field < 8) {
				insn->reg_high8 = true;
				insn->reg = reg_field - 4;
			}
		}
	}
	if (imm && decode_imm(&c, insn, imm))
		return -ENODATA;

	/* STOS and INS write ES:rDI, which no prefix overrides. */
	if (insn->op == HV_OP_STOS || insn->op == HV_OP_INS) {
		insn->seg = HV_SEG_ES;
		insn->seg_override = false;
	} else if (!insn->seg_override) {
		insn->seg = insn->ea_bp16 ||
			    (insn->addr_size > 2 && (insn->ea_base == REG_RSP ||
						     insn->ea_base == REG_RBP)) ?
			    HV_SEG_SS : HV_SEG_DS;
	}
	insn->len = c.pos;
	return 0;
}

/**
 * hv_insn_access() - which memory accesses an instruction makes
 * @insn: the instruction
 *
 * Return: HV_ACCESS_READ and/or HV_ACCESS_WRITE. For MOVS, both: it reads
 * its source and writes its destination.
 */
unsigned int hv_insn_access(const struct hv_insn *insn)
{
	switch (insn->op) {
	case HV_OP_MOV_STORE:
	case HV_OP_MOV_STORE_IMM:
	case HV_OP_STOS:
	case HV_OP_INS:
		return HV_ACCESS_WRITE;
	case HV_OP_AND:
	case HV_OP_OR:
	case HV_OP_XOR:
	case HV_OP_ADD:
	case HV_OP_SUB:
		return insn->mem_dst ? HV_ACCESS_READ | HV_ACCESS_WRITE :
				       HV_ACCESS_READ;
	case HV_OP_XCHG:
	case HV_OP_MOVS:
		return HV_ACCESS_READ | HV_ACCESS_WRITE;
	default:
		return HV_ACCESS_READ;
	}
}

/**
 * hv_insn_ea() - effective address (segment offset) of the memory operand
 * @insn: the instruction (not a string instruction)
 * @gpr: the guest's general-purpose registers
 * @next_rip: RIP of the next instruction, for RIP-relative operands
 *
 * Return: the offset, truncated to the address size.
 */
u64 hv_insn_ea(const struct hv_insn *insn, const u64 *gpr, u64 next_rip)
{
	u64 ea = (u64)insn->ea_disp;

	if (insn->ea_rip)
		ea += next_rip;
	if (insn->ea_base != HV_REG_NONE)
		ea += gpr[insn->ea_base];
	if (insn->ea_index != HV_REG_NONE)
		ea += gpr[insn->ea_index] * insn->ea_scale;
	return ea & hv_mask(insn->addr_size);
}

static u64 reg_get(const u64 *gpr, u8 reg, bool high8, unsigned int size)
{
	if (high8)
		return (gpr[reg] >> 8) & 0xff;
	return gpr[reg] & hv_mask(size);
}

static void reg_set(u64 *gpr, u8 reg, bool high8, unsigned int size, u64 v)
{
	if (high8) {
		gpr[reg] = (gpr[reg] & ~0xff00ULL) | ((v & 0xff) << 8);
		return;
	}
	switch (size) {
	case 1:
		gpr[reg] = (gpr[reg] & ~0xffULL) | (v & 0xff);
		break;
	case 2:
		gpr[reg] = (gpr[reg] & ~0xffffULL) | (v & 0xffff);
		break;
	case 4:
		/* SDM Vol. 1, 3.4.1.1: 32-bit results zero-extend to 64 bits. */
		gpr[reg] = v & 0xffffffffULL;
		break;
	default:
		gpr[reg] = v;
	}
}

/**
 * hv_insn_reg_read() - the register operand's value
 * @insn: the instruction
 * @gpr: the guest's general-purpose registers
 *
 * Return: the value, of the operand size.
 */
u64 hv_insn_reg_read(const struct hv_insn *insn, const u64 *gpr)
{
	return reg_get(gpr, insn->reg, insn->reg_high8, insn->size);
}

/**
 * hv_insn_store_value() - what a pure store writes
 * @insn: a MOV store, MOV immediate store or STOS
 * @gpr: the guest's general-purpose registers
 *
 * Return: the value, of the operand size.
 */
u64 hv_insn_store_value(const struct hv_insn *insn, const u64 *gpr)
{
	switch (insn->op) {
	case HV_OP_MOV_STORE_IMM:
		return insn->imm & hv_mask(insn->size);
	case HV_OP_STOS:
		return gpr[REG_RAX] & hv_mask(insn->size);
	default:
		return hv_insn_reg_read(insn, gpr);
	}
}

static bool parity_even(u64 v)
{
	u8 b = v & 0xff;

	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return !(b & 1);
}

/* SF, ZF, PF of a result; the caller sets CF, OF and AF. */
static u64 szp(u64 r, unsigned int size)
{
	u64 f = 0;

	r &= hv_mask(size);
	if (r >> (size * 8 - 1))
		f |= HV_FLAG_SF;
	if (!r)
		f |= HV_FLAG_ZF;
	if (parity_even(r))
		f |= HV_FLAG_PF;
	return f;
}

static u64 arith(u8 op, u64 a, u64 b, unsigned int size, u64 *flags)
{
	u64 m = hv_mask(size), msb = 1ULL << (size * 8 - 1), r;

	a &= m;
	b &= m;
	switch (op) {
	case HV_OP_ADD:
		r = (a + b) & m;
		*flags = szp(r, size) | (r < a ? HV_FLAG_CF : 0) |
			 (((a ^ r) & (b ^ r) & msb) ? HV_FLAG_OF : 0) |
			 ((a ^ b ^ r) & 0x10 ? HV_FLAG_AF : 0);
		return r;
	case HV_OP_SUB:
	case HV_OP_CMP:
		r = (a - b) & m;
		*flags = szp(r, size) | (a < b ? HV_FLAG_CF : 0) |
			 (((a ^ b) & (a ^ r) & msb) ? HV_FLAG_OF : 0) |
			 ((a ^ b ^ r) & 0x10 ? HV_FLAG_AF : 0);
		return r;
	case HV_OP_AND:
	case HV_OP_TEST:
		r = a & b;
		break;
	case HV_OP_OR:
		r = a | b;
		break;
	default:	/* XOR */
		r = a ^ b;
		break;
	}
	/* Logical ops clear CF and OF; AF is undefined, we clear it. */
	*flags = szp(r, size);
	return r;
}

/**
 * hv_insn_exec() - execute an instruction once its memory input is known
 * @insn: the instruction (not MOVS, INS or OUTS: their data only moves)
 * @gpr: the guest's general-purpose registers, updated
 * @rflags: the guest's RFLAGS, arithmetic flags updated
 * @mem_in: the value read from memory, if hv_insn_access() says it reads
 * @mem_out: receives the value to write, if it says it writes
 *
 * RIP and the string registers are left to the caller.
 */
void hv_insn_exec(const struct hv_insn *insn, u64 *gpr, u64 *rflags,
		  u64 mem_in, u64 *mem_out)
{
	unsigned int size = insn->size;
	u64 a, b, r, flags;

	mem_in &= hv_mask(insn->mem_size);
	switch (insn->op) {
	case HV_OP_MOV_LOAD:
		reg_set(gpr, insn->reg, insn->reg_high8, size, mem_in);
		return;
	case HV_OP_MOVZX:
		reg_set(gpr, insn->reg, false, size, mem_in);
		return;
	case HV_OP_MOVSX:
		reg_set(gpr, insn->reg, false, size,
			sext(mem_in, insn->mem_size));
		return;
	case HV_OP_LODS:
		reg_set(gpr, REG_RAX, false, size, mem_in);
		return;
	case HV_OP_MOV_STORE:
	case HV_OP_MOV_STORE_IMM:
	case HV_OP_STOS:
		*mem_out = hv_insn_store_value(insn, gpr);
		return;
	case HV_OP_XCHG:
		*mem_out = hv_insn_reg_read(insn, gpr);
		reg_set(gpr, insn->reg, insn->reg_high8, size, mem_in);
		return;
	case HV_OP_AND:
	case HV_OP_OR:
	case HV_OP_XOR:
	case HV_OP_ADD:
	case HV_OP_SUB:
	case HV_OP_CMP:
	case HV_OP_TEST:
		if (insn->mem_dst) {
			a = mem_in;
			b = insn->has_imm ? insn->imm : hv_insn_reg_read(insn, gpr);
		} else {
			a = hv_insn_reg_read(insn, gpr);
			b = mem_in;
		}
		r = arith(insn->op, a, b, size, &flags);
		*rflags = (*rflags & ~(u64)HV_FLAGS_ARITH) | flags;
		if (insn->op == HV_OP_CMP || insn->op == HV_OP_TEST)
			return;
		if (insn->mem_dst)
			*mem_out = r;
		else
			reg_set(gpr, insn->reg, insn->reg_high8, size, r);
		return;
	default:
		return;
	}
}

static void step_reg(u64 *gpr, u8 reg, unsigned int addr_size, s64 delta)
{
	u64 m = hv_mask(addr_size);
	u64 v = (gpr[reg] + (u64)delta) & m;

	/* 16-bit addresses keep the upper bits; 32-bit ones zero-extend. */
	gpr[reg] = addr_size == 2 ? (gpr[reg] & ~m) | v : v;
}

/**
 * hv_insn_string_step() - advance a string instruction by one element
 * @insn: MOVS, STOS, LODS, INS or OUTS
 * @gpr: the guest's general-purpose registers; RSI/RDI move by the
 *	element size (down if RFLAGS.DF), RCX counts down under REP
 * @rflags: the guest's RFLAGS
 *
 * Return: true if a REP prefix asks for more iterations (RIP stays).
 */
bool hv_insn_string_step(const struct hv_insn *insn, u64 *gpr, u64 rflags)
{
	s64 delta = rflags & HV_FLAG_DF ? -(s64)insn->size : insn->size;
	u64 count;

	if (insn->op == HV_OP_MOVS || insn->op == HV_OP_LODS ||
	    insn->op == HV_OP_OUTS)
		step_reg(gpr, REG_RSI, insn->addr_size, delta);
	if (insn->op == HV_OP_MOVS || insn->op == HV_OP_STOS ||
	    insn->op == HV_OP_INS)
		step_reg(gpr, REG_RDI, insn->addr_size, delta);
	if (!insn->rep && !insn->repne)
		return false;
	step_reg(gpr, REG_RCX, insn->addr_size, -1);
	count = gpr[REG_RCX] & hv_mask(insn->addr_size);
	return count != 0;
}
