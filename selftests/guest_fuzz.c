// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile guest, seeded. Each iteration makes a VM of one or two vCPUs
 * in real, protected or long mode and runs an instruction stream built
 * from snippets: port I/O of every width (string forms with REP
 * included), MMIO loads, stores and read-modify-writes, RDMSR and WRMSR
 * over the architectural ranges, junk written to control and debug
 * registers and loaded into the descriptor-table registers, INT n, task
 * switches to a junk TSS (protected mode),
 * instructions hv hides or emulates, self-modifying code, and (on Bochs)
 * raw random bytes. Some iterations start from a register record with
 * junk in it (which vcpu-set-regs may refuse, with a reason). Exits are
 * answered with random data, sometimes with the error flag, and now and
 * then the owner closes its socket in the middle of an exit.
 *
 * It fails on anything that is hv's fault rather than the guest's: a VM
 * hv marked dead, a VM entry the guest's own actions made fail, an exit hv
 * does not handle, a refusal without a reason or with an unexpected
 * errno, or module accounting that does not return to zero. The test
 * machines fail the run on any host WARNING, BUG or hang.
 *
 * A VM still running at the end must give a register record that
 * vcpu-set-regs takes back: whatever get returns, set accepts.
 *
 * Under QEMU's TCG (see fuzz_under_tcg()) it writes no EFER, CR0, debug
 * registers, GDTR or MSRs guests reach without exits, loads only
 * canonical IDTR bases, emits no raw bytes, and keeps junk out of EFER,
 * DR7, RFLAGS.VM and the segments: TCG takes CR0, MSR and IDTR values a
 * CPU refuses, which VMRUN or vcpu-set-regs then refuse in turn.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "guest.h"
#include "test_util.h"

#define MEM_SIZE	0x80000		/* 512 KiB; 0xa0000 up is MMIO */
#define DATA_GPA	0x30000
#define DT_GPA		0x40000
#define TSS_GPA		0x50000
#define GDT_TSS_SEL	0x18
#define CODE_MAX	2048
#define EXITS_MAX	48

struct gen {
	uint8_t code[CODE_MAX + 64];
	size_t n;
	enum guest_mode mode;
	uint64_t *rng;
	bool quirks;
};

#define KINDS		24

struct counts {
	unsigned long iters, exits, refused, vanished, halted, crashed;
	unsigned long modes[3];
	char kind[KINDS][64];		/* crash reasons without their numbers */
	char example[KINDS][128];
	unsigned long kinds[KINDS];
};

static bool tcg;

/*
 * Count a crash under its reason with numbers, addresses and instruction
 * bytes left out; keep the first such reason whole, as an example.
 */
static void count_crash(struct counts *c, const char *reason)
{
	char k[64] = "", word[64];
	const char *p = reason;
	unsigned int i;
	int n;

	while (sscanf(p, "%63s%n", word, &n) == 1) {
		p += n;
		if ((word[0] >= '0' && word[0] <= '9') || word[0] == '(' ||
		    word[0] == '#')
			continue;
		if (strlen(k) + strlen(word) + 2 > sizeof(k))
			break;
		if (*k)
			strcat(k, " ");
		strcat(k, word);
	}
	for (i = 0; i < KINDS && c->kind[i][0]; i++)
		if (!strcmp(c->kind[i], k))
			break;
	if (i == KINDS)
		return;
	if (!c->kinds[i])
		snprintf(c->example[i], sizeof(c->example[i]), "%s", reason);
	strcpy(c->kind[i], k);
	c->kinds[i]++;
}

static void b(struct gen *g, uint8_t v)
{
	if (g->n < sizeof(g->code))
		g->code[g->n++] = v;
}

static void bytes(struct gen *g, const uint8_t *p, size_t n)
{
	while (n--)
		b(g, *p++);
}

static void imm32(struct gen *g, uint32_t v)
{
	b(g, v);
	b(g, v >> 8);
	b(g, v >> 16);
	b(g, v >> 24);
}

/* mov $v, %r32 (zero-extending in 64-bit mode) */
static void mov_imm(struct gen *g, unsigned int reg, uint32_t v)
{
	if (g->mode == MODE_REAL)
		b(g, 0x66);
	b(g, 0xb8 + reg);
	imm32(g, v);
}

/* Operand size: 1, 2, 4 or (64-bit mode) 8 bytes; returns the width. */
static unsigned int width_prefix(struct gen *g, bool bytes_ok)
{
	unsigned int w = 1u << fuzz_below(g->rng, g->mode == MODE_LONG64 ? 4 : 3);

	if (w == 1 && !bytes_ok)
		w = 4;
	if (w == 2 && g->mode != MODE_REAL)
		b(g, 0x66);
	if (w == 4 && g->mode == MODE_REAL)
		b(g, 0x66);
	if (w == 8)
		b(g, 0x48);
	return w;
}

/* [%ebx] addressing needs 0x67 in 16-bit code. */
static void addr32(struct gen *g)
{
	if (g->mode == MODE_REAL)
		b(g, 0x67);
}

static uint32_t mmio_addr(struct gen *g)
{
	static const uint32_t bases[] = { 0xfee00000, 0xfec00000, 0xe0000000,
					  0xc0000000, 0x100000 };

	return bases[fuzz_below(g->rng, 5)] + (fuzz_below(g->rng, 0x1000) & ~7);
}

static void snip_pio(struct gen *g)
{
	static const uint16_t ports[] = { 0x80, 0x3f8, 0x3fd, 0x60, 0x64,
					  0x70, 0x71, 0xcf8, 0xcfc, 0x1000 };
	uint16_t port = fuzz_one_in(g->rng, 4) ? fuzz_mix(g->rng) :
			ports[fuzz_below(g->rng, 10)];
	bool in = fuzz_one_in(g->rng, 2), imm = fuzz_one_in(g->rng, 3);
	unsigned int w;

	if (!in)
		mov_imm(g, 0, fuzz_value(g->rng));
	if (!imm)
		mov_imm(g, 2, port);
	w = width_prefix(g, true);
	if (w == 8)		/* no 64-bit I/O: REX.W is ignored */
		w = 4;
	if (imm) {
		b(g, (in ? 0xe4 : 0xe6) | (w > 1));
		b(g, port);
	} else {
		b(g, (in ? 0xec : 0xee) | (w > 1));
	}
}

static void snip_pio_string(struct gen *g)
{
	bool down = fuzz_one_in(g->rng, 4);

	mov_imm(g, 1, 1 + fuzz_below(g->rng, 3));
	mov_imm(g, 6, g->mode == MODE_REAL ? 0x3000 : DATA_GPA);
	mov_imm(g, 7, g->mode == MODE_REAL || fuzz_one_in(g->rng, 2) ?
		      0x3100 : mmio_addr(g));
	mov_imm(g, 2, fuzz_one_in(g->rng, 2) ? 0x80 : fuzz_mix(g->rng));
	if (down)
		b(g, 0xfd);
	if (fuzz_one_in(g->rng, 2))
		b(g, 0xf3);
	addr32(g);
	(void)width_prefix(g, true);
	b(g, 0x6c + fuzz_below(g->rng, 4));
	if (down)
		b(g, 0xfc);
}

static void snip_mmio(struct gen *g)
{
	static const struct {
		uint8_t op[3], len, imm;
	} ops[] = {
		{ { 0x8b, 0x03 }, 2, 0 }, { { 0x89, 0x03 }, 2, 0 },
		{ { 0x88, 0x03 }, 2, 0 }, { { 0x8a, 0x03 }, 2, 0 },
		{ { 0x0f, 0xb6, 0x03 }, 3, 0 }, { { 0x0f, 0xb7, 0x03 }, 3, 0 },
		{ { 0x0f, 0xbe, 0x03 }, 3, 0 }, { { 0x01, 0x03 }, 2, 0 },
		{ { 0x29, 0x03 }, 2, 0 }, { { 0x31, 0x03 }, 2, 0 },
		{ { 0x21, 0x03 }, 2, 0 }, { { 0x09, 0x03 }, 2, 0 },
		{ { 0x39, 0x03 }, 2, 0 }, { { 0x85, 0x03 }, 2, 0 },
		{ { 0x87, 0x03 }, 2, 0 }, { { 0xc7, 0x03 }, 2, 4 },
		{ { 0xc6, 0x03 }, 2, 1 }, { { 0x81, 0x03 }, 2, 4 },
		{ { 0x83, 0x0b }, 2, 1 }, { { 0xff, 0x03 }, 2, 0 },
		{ { 0xff, 0x33 }, 2, 0 }, { { 0x8f, 0x03 }, 2, 0 },
		{ { 0xa4 }, 1, 0 }, { { 0xaa }, 1, 0 }, { { 0xac }, 1, 0 },
		{ { 0x0f, 0xae, 0x3b }, 3, 0 }, { { 0xf0, 0x01, 0x03 }, 3, 0 },
	};
	unsigned int k = fuzz_below(g->rng, sizeof(ops) / sizeof(ops[0]));
	unsigned int imm = ops[k].imm;

	if (g->mode == MODE_REAL) {
		/* DS at 0xa0000-0xf0000: past RAM, inside real mode's reach. */
		b(g, 0xb8);
		b(g, 0);
		b(g, 0xa0 + 0x10 * fuzz_below(g->rng, 6));
		bytes(g, (const uint8_t[]){ 0x8e, 0xd8 }, 2);
		mov_imm(g, 3, fuzz_below(g->rng, 0xfff0));
	} else {
		mov_imm(g, 3, mmio_addr(g));
	}
	mov_imm(g, 0, fuzz_value(g->rng));
	mov_imm(g, 6, g->mode == MODE_REAL ? 0x10 : mmio_addr(g));
	mov_imm(g, 7, g->mode == MODE_REAL ? 0x20 : DATA_GPA);
	addr32(g);
	(void)width_prefix(g, true);
	bytes(g, ops[k].op, ops[k].len);
	while (imm--)
		b(g, fuzz_mix(g->rng));
	if (g->mode == MODE_REAL)		/* DS back to 0 */
		bytes(g, (const uint8_t[]){ 0x31, 0xc0, 0x8e, 0xd8 }, 4);
}

static uint32_t msr_index(struct gen *g)
{
	static const uint32_t msrs[] = {
		0x10, 0x1b, 0x3a, 0x48, 0x49, 0x8b, 0xc1, 0xe7, 0xe8, 0xfe,
		0x174, 0x175, 0x176, 0x179, 0x17a, 0x186, 0x1d9, 0x200, 0x2ff,
		0x277, 0x480, 0x48d, 0x6e0, 0x802, 0x808, 0x80b, 0x830, 0x838,
		0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000100,
		0xc0000101, 0xc0000102, 0xc0000103, 0xc0010015, 0xc0010114,
		0xc0010117, 0xc001011f, 0x4b564d00, 0x40000000,
	};
	uint32_t i = fuzz_one_in(g->rng, 4) ? (uint32_t)fuzz_mix(g->rng) :
		     msrs[fuzz_below(g->rng, sizeof(msrs) / sizeof(msrs[0]))];

	if (!g->quirks && fuzz_one_in(g->rng, 16))
		i = 0xc0000080;		/* EFER */
	return i;
}

/*
 * The MSRs guests reach without an exit; QEMU's TCG takes non-canonical
 * addresses in them, which a CPU refuses with #GP.
 */
static bool passthrough_msr(uint32_t i)
{
	return (i >= 0x174 && i <= 0x176) || (i >= 0xc0000081 && i <= 0xc0000084) ||
	       (i >= 0xc0000100 && i <= 0xc0000102);
}

static void snip_msr(struct gen *g)
{
	uint32_t index = msr_index(g);
	bool write = fuzz_one_in(g->rng, 2) &&
		     !(g->quirks && passthrough_msr(index));
	uint64_t v = fuzz_value(g->rng);

	mov_imm(g, 1, index);
	mov_imm(g, 0, v);
	mov_imm(g, 2, v >> 32);
	bytes(g, (const uint8_t[]){ 0x0f, write ? 0x30 : 0x32 }, 2);
}

/* QEMU's TCG checks no CR0 write (NW without CD, PG without PE). */
static void snip_cr(struct gen *g)
{
	static const uint8_t modrm[] = { 0xc0, 0xd8, 0xe0, 0xd0 };
	unsigned int k = g->quirks ? 1 + fuzz_below(g->rng, 3) :
				     fuzz_below(g->rng, 4);
	uint32_t v = fuzz_one_in(g->rng, 2) ? fuzz_mix(g->rng) :
		     1u << fuzz_below(g->rng, 32);

	if (k == 0 && fuzz_one_in(g->rng, 2))	/* flip one CR0 bit */
		v = 0x80000011 ^ (1u << fuzz_below(g->rng, 32));
	mov_imm(g, 0, v);
	if (k == 3 && g->mode == MODE_LONG64) {	/* CR8 */
		bytes(g, (const uint8_t[]){ 0x44, 0x0f, 0x22, 0xc0 }, 4);
		return;
	}
	if (k == 3)
		k = 1;
	b(g, 0x0f);
	b(g, fuzz_one_in(g->rng, 4) ? 0x20 : 0x22);
	b(g, modrm[k]);
}

static void snip_dr(struct gen *g)
{
	unsigned int dr = fuzz_below(g->rng, 8);

	mov_imm(g, 0, fuzz_value(g->rng));
	bytes(g, (const uint8_t[]){ 0x0f, fuzz_one_in(g->rng, 3) ? 0x21 : 0x23,
				    0xc0 | dr << 3 }, 3);
}

static void snip_dt(struct gen *g)
{
	bool gdt = !g->quirks && fuzz_one_in(g->rng, 2);

	mov_imm(g, 3, (g->mode == MODE_REAL ? 0 : DT_GPA) +
		      (g->quirks ? 0 : fuzz_below(g->rng, 64)));
	addr32(g);
	bytes(g, (const uint8_t[]){ 0x0f, 0x01, gdt ? 0x13 : 0x1b }, 3);
}

static void snip_misc(struct gen *g)
{
	static const struct {
		uint8_t op[4], len;
	} ops[] = {
		{ { 0x0f, 0xa2 }, 2 }, { { 0xf4 }, 1 }, { { 0x0f, 0x0b }, 2 },
		{ { 0x0f, 0x31 }, 2 }, { { 0x0f, 0x01, 0xf9 }, 3 },
		{ { 0x0f, 0x33 }, 2 }, { { 0x0f, 0x08 }, 2 },
		{ { 0x0f, 0x09 }, 2 }, { { 0x0f, 0x01, 0xd1 }, 3 },
		{ { 0x0f, 0x01, 0xd0 }, 3 }, { { 0x0f, 0x01, 0xc1 }, 3 },
		{ { 0x0f, 0x01, 0xd9 }, 3 }, { { 0x0f, 0x01, 0xd8 }, 3 },
		{ { 0x0f, 0x01, 0xc8 }, 3 }, { { 0x0f, 0x01, 0xc9 }, 3 },
		{ { 0xf3, 0x90 }, 2 }, { { 0x0f, 0x06 }, 2 },
		{ { 0x0f, 0x01, 0x3b }, 3 }, { { 0xfb }, 1 }, { { 0xfa }, 1 },
		{ { 0x0f, 0x01, 0xf0 }, 3 }, { { 0x0f, 0x01, 0xe0 }, 3 },
		{ { 0x0f, 0x00, 0xd8 }, 3 }, { { 0x0f, 0x00, 0xd0 }, 3 },
		{ { 0x0f, 0x37 }, 2 }, { { 0x0f, 0x05 }, 2 },
		{ { 0x0f, 0x34 }, 2 }, { { 0x0f, 0x07 }, 2 },
		{ { 0x0f, 0xae, 0xe8 }, 3 }, { { 0xcc }, 1 }, { { 0xf1 }, 1 },
		{ { 0xce }, 1 }, { { 0x0f, 0x01, 0xdd }, 3 },
		{ { 0x0f, 0x78, 0xc0 }, 3 }, { { 0x0f, 0xc7, 0xf0 }, 3 },
	};
	unsigned int k = fuzz_below(g->rng, sizeof(ops) / sizeof(ops[0]));

	mov_imm(g, 0, fuzz_value(g->rng));
	mov_imm(g, 1, fuzz_below(g->rng, 3) ? fuzz_below(g->rng, 16) :
					      fuzz_mix(g->rng));
	mov_imm(g, 3, DATA_GPA);
	if (ops[k].op[1] == 0x01 && ops[k].op[2] == 0x3b)
		addr32(g);
	bytes(g, ops[k].op, ops[k].len);
}

/* INT n, and POPF of random flags (TF and AC included). */
static void snip_int(struct gen *g)
{
	if (fuzz_one_in(g->rng, 2)) {
		b(g, 0xcd);
		b(g, fuzz_mix(g->rng));
		return;
	}
	b(g, 0x68);			/* push $imm */
	if (g->mode == MODE_REAL) {
		b(g, fuzz_mix(g->rng));
		b(g, fuzz_mix(g->rng) & 0x3f);
	} else {
		imm32(g, fuzz_mix(g->rng) & 0x254fd7);
	}
	b(g, 0x9d);			/* popf */
}

/* Store a random byte a few bytes ahead: the code rewrites itself. */
static void snip_smc(struct gen *g)
{
	uint32_t ahead = CODE_GPA + g->n + 16 + fuzz_below(g->rng, 16);

	mov_imm(g, 3, g->mode == MODE_REAL ? ahead - CODE_GPA : ahead);
	if (g->mode == MODE_REAL)	/* DS=0x1000 is CS: write the code */
		bytes(g, (const uint8_t[]){ 0xb8, 0x00, 0x10, 0x8e, 0xd8 }, 5);
	addr32(g);
	bytes(g, (const uint8_t[]){ 0xc6, 0x03 }, 2);
	b(g, fuzz_mix(g->rng));
	if (g->mode == MODE_REAL)
		bytes(g, (const uint8_t[]){ 0x31, 0xc0, 0x8e, 0xd8 }, 4);
}

/*
 * A JMP, CALL or IRET (with NT set first) to the TSS at GDT_TSS_SEL,
 * whose descriptor and contents are junk (protected mode, not under TCG).
 */
static void snip_task(struct gen *g)
{
	switch (fuzz_below(g->rng, 3)) {
	case 0:
		b(g, 0xea);	/* ljmp $sel, $0 */
		break;
	case 1:
		b(g, 0x9a);	/* lcall $sel, $0 */
		break;
	default:
		/* pushf; orl $NT, (%esp); popf; iret */
		bytes(g, (const uint8_t[]){ 0x9c, 0x81, 0x0c, 0x24, 0x00, 0x40,
					    0x00, 0x00, 0x9d, 0xcf }, 10);
		return;
	}
	imm32(g, 0);
	b(g, GDT_TSS_SEL);
	b(g, 0);
}

static void snip_raw(struct gen *g)
{
	unsigned int n = 1 + fuzz_below(g->rng, 8);

	while (n--)
		b(g, fuzz_mix(g->rng));
}

static void generate(struct gen *g)
{
	unsigned int n = 1 + fuzz_below(g->rng, 24);

	g->n = 0;
	while (n-- && g->n < CODE_MAX) {
		switch (fuzz_below(g->rng, g->quirks ? 10 : 12)) {
		case 0:
		case 1:
			snip_pio(g);
			break;
		case 2:
			snip_pio_string(g);
			break;
		case 3:
		case 4:
			snip_mmio(g);
			break;
		case 5:
			snip_msr(g);
			break;
		case 6:
			snip_cr(g);
			break;
		case 7:
			snip_misc(g);
			break;
		case 8:
			if (fuzz_one_in(g->rng, 2))
				snip_int(g);
			else
				snip_smc(g);
			break;
		case 9:
			snip_dt(g);
			break;
		case 10:
			snip_dr(g);
			break;
		case 11:
			if (g->mode == MODE_PROT32 && fuzz_one_in(g->rng, 2))
				snip_task(g);
			else
				snip_raw(g);
			break;
		}
	}
	b(g, 0xf4);
}

/*
 * A TSS descriptor for snip_task(), sometimes not quite right: type,
 * limit and presence at random, base at TSS_GPA (SDM Vol. 3A, 7.2.2).
 */
static int add_tss(struct tvm *vm, uint32_t vcpu, uint64_t *rng)
{
	static const uint8_t types[] = { 0x9, 0xb, 0x1, 0x3, 0x2, 0x5 };
	uint64_t d = (fuzz_one_in(rng, 4) ? fuzz_below(rng, 0x80) : 0x67) |
		     (uint64_t)TSS_GPA << 16 |
		     (uint64_t)types[fuzz_below(rng, 6)] << 40 |
		     (uint64_t)!fuzz_one_in(rng, 8) << 47;
	struct hv_regs r;
	int err;

	memcpy(vm->mem + GDT_GPA + GDT_TSS_SEL, &d, 8);
	err = hv_vcpu_get_regs(vm->h, vm->id, vcpu, &r);
	if (err)
		return err;
	r.gdtr.limit = GDT_TSS_SEL + 7;
	/* A TR whose TSS can take the old task's state. */
	r.tr.limit = 0x67;
	return hv_vcpu_set_regs(vm->h, vm->id, vcpu, &r);
}

/* Junk in the record: the kernel must refuse what hardware would. */
static int junk_regs(struct tvm *vm, uint32_t vcpu, uint64_t *rng,
		     bool quirks, unsigned long *refused)
{
	struct hv_regs r;
	unsigned int n = 1 + fuzz_below(rng, 3);
	int err;

	err = hv_vcpu_get_regs(vm->h, vm->id, vcpu, &r);
	if (err)
		return err;
	while (n--) {
		uint64_t v = fuzz_value(rng);

		switch (fuzz_below(rng, quirks ? 12 : 16)) {
		case 0:
			r.rflags = quirks ? v & ~(1ULL << 17) : v;	/* VM */
			break;
		case 1:
			r.cr0 ^= 1ULL << fuzz_below(rng, 32);
			break;
		case 2:
			r.cr4 ^= 1ULL << fuzz_below(rng, 24);
			break;
		case 3:
			r.cr3 = v;
			break;
		case 4:
			r.event.valid = 1;
			r.event.type = fuzz_below(rng, 5);
			r.event.vector = v;
			r.event.has_error = fuzz_one_in(rng, 2);
			r.event.error_code = v >> 8;
			break;
		case 5:
			r.lstar = v;
			break;
		case 6:
			memcpy(r.fpu + 24, &v, 4);	/* MXCSR */
			break;
		case 7:
			r.fpu[fuzz_below(rng, 512)] = v;
			break;
		case 8:
			r.pat = v;
			break;
		case 9:
			r.int_shadow = v & 1;
			r.activity = fuzz_below(rng, 3);
			break;
		case 10:
			r.idtr.limit = v;
			r.idtr.base = fuzz_value(rng);
			break;
		case 11:
			r.cr8 = v & 31;
			break;
		case 12:
			r.efer ^= 1ULL << fuzz_below(rng, 16);
			break;
		case 13:
			r.dr7 = v;
			r.dr[fuzz_below(rng, 4)] = fuzz_value(rng);
			break;
		case 14:
			r.cs.ar ^= 1u << fuzz_below(rng, 17);
			break;
		default:
			r.ss.ar = v;
			r.ss.selector = v >> 32;
			break;
		}
	}
	/* A value the policy bounds (ERANGE) or the hardware refuses. */
	err = hv_vcpu_set_regs(vm->h, vm->id, vcpu, &r);
	if ((err == -EINVAL || err == -ERANGE) && *hv_errmsg(vm->h)) {
		(*refused)++;
		return 0;
	}
	if (err)
		fprintf(stderr, "vcpu-set-regs: %s: %s\n", hv_errmsg(vm->h),
			strerror(-err));
	return err;
}

/* A stopped VM's records go back in as they came out. */
static int round_trip(struct tvm *vm, uint32_t nr)
{
	struct hv_regs r;
	uint32_t i;
	int err;

	err = hv_vm_pause(vm->h, vm->id);
	for (i = 0; i < nr && !err; i++) {
		err = hv_vcpu_get_regs(vm->h, vm->id, i, &r);
		if (err == -EBUSY)	/* waits for an answer: no record */
			return 0;
		if (!err)
			err = hv_vcpu_set_regs(vm->h, vm->id, i, &r);
		if (err)
			fprintf(stderr, "vcpu %u: the record does not go back: %s: %s\n",
				i, hv_errmsg(vm->h), strerror(-err));
	}
	return err;
}

/* Crashes that are hv's fault, not the guest's (unless the owner's). */
static bool hv_fault(const char *reason, bool junk)
{
	return strstr(reason, "hv does not handle") ||
	       (!junk && strstr(reason, "invalid guest state"));
}

static const char *const mode_names[] = { "real", "prot", "long" };

/* One VM, from creation to destruction. Return: 0, or a failure. */
static int iteration(uint64_t seed, struct counts *c)
{
	uint64_t rng = seed, deadline;
	struct gen g = { .rng = &rng, .quirks = tcg };
	uint32_t nr = fuzz_one_in(&rng, 8) ? 2 : 1, halted = 0, i;
	unsigned int exits = 0, vanish_at = ~0u;
	struct hv_vm_info info;
	struct hv_message ev;
	bool junk = false;
	struct tvm vm;
	int err;

	g.mode = fuzz_below(&rng, 3);
	c->modes[g.mode]++;
	generate(&g);
	if (fuzz_one_in(&rng, 40))
		vanish_at = fuzz_below(&rng, 8);

	err = tvm_create(&vm, MEM_SIZE, nr);
	if (err)
		return err;
	/* Junk descriptors; TCG loads non-canonical bases a CPU refuses. */
	for (i = 0; i < 64; i++)
		vm.mem[DT_GPA + i] = g.quirks && i >= 6 ? 0 : fuzz_mix(&rng);
	memcpy(vm.mem + CODE_GPA, g.code, g.n);
	for (i = 0; i < 0x80; i++)
		vm.mem[TSS_GPA + i] = fuzz_mix(&rng);
	for (i = 0; i < nr && !err; i++) {
		err = tvm_set_mode(&vm, i, g.mode, CODE_GPA);
		if (!err && g.mode == MODE_PROT32 && !g.quirks)
			err = add_tss(&vm, i, &rng);
		if (!err && fuzz_one_in(&rng, 2))
			err = tvm_use_idt(&vm, i, g.mode);
		if (!err && fuzz_one_in(&rng, 4)) {
			junk = true;
			err = junk_regs(&vm, i, &rng, g.quirks, &c->refused);
		}
	}
	if (err)
		goto out;
	if (fuzz_one_in(&rng, 2)) {
		err = hv_vm_set_msr_policy(vm.h, vm.id, HV_MSR_POLICY_EXIT);
		if (err)
			goto out;
	}
	err = hv_vm_start(vm.h, vm.id);
	if (err)
		goto out;
	vm.started = 1;

	deadline = fuzz_now_ms() + 2000;
	while (halted < nr && exits < EXITS_MAX && fuzz_now_ms() < deadline) {
		err = hv_next_message(vm.h, &ev, 100);
		if (err == -ETIMEDOUT) {
			err = hv_vm_get(vm.h, vm.id, NULL, &info);
			if (err || info.state != HV_VM_STATE_RUNNING)
				break;
			continue;
		}
		if (err)
			goto out;
		if (ev.cmd != HV_CMD_EXIT)
			continue;
		exits++;
		c->exits++;
		if (ev.reason == HV_EXIT_REASON_HLT) {
			halted++;
			continue;
		}
		if (exits == vanish_at) {
			/* The owner goes away with the exit unanswered. */
			hv_close(vm.h);
			vm.h = NULL;
			c->vanished++;
			goto out;
		}
		err = hv_vcpu_complete(vm.h, ev.vm, ev.vcpu, ev.seq,
				       fuzz_value(&rng), fuzz_one_in(&rng, 32));
		/* The VM may have crashed meanwhile: nothing waits then. */
		if (err == -ENOENT)
			err = 0;
		if (err)
			goto out;
	}
	c->halted += halted == nr;
	err = hv_vm_get(vm.h, vm.id, NULL, &info);
	if (err)
		goto out;
	if (info.state == HV_VM_STATE_CRASHED) {
		c->crashed++;
		count_crash(c, info.crash_reason);
	}
	if (info.state == HV_VM_STATE_DEAD ||
	    (info.state == HV_VM_STATE_CRASHED &&
	     hv_fault(info.crash_reason, junk))) {
		fprintf(stderr, "vm %s: %s\n",
			info.state == HV_VM_STATE_DEAD ? "died" : "crashed",
			info.crash_reason);
		err = -EPROTO;
	} else if (info.state == HV_VM_STATE_RUNNING) {
		err = round_trip(&vm, nr);
	}
out:
	if (err) {
		fprintf(stderr, "%s mode, %u vcpus, %zu bytes:", mode_names[g.mode],
			nr, g.n);
		for (i = 0; i < g.n; i++)
			fprintf(stderr, " %02x", g.code[i]);
		fprintf(stderr, "\n");
	}
	tvm_destroy(&vm);
	return err;
}

int main(void)
{
	struct counts c = { 0 };
	struct fuzz_opts o;
	uint64_t start = fuzz_now_ms(), end, i;
	struct hv *h;
	int err = 0;

	hv_test_require_module();
	fuzz_opts_read(&o, 20);
	tcg = fuzz_under_tcg();
	printf("guest_fuzz: seed %#llx, %u s%s\n", (unsigned long long)o.seed,
	       o.seconds, tcg ? ", TCG: the states QEMU mishandles avoided" : "");
	fflush(stdout);
	if (hv_open(&h))
		return 1;
	end = start + o.seconds * 1000ULL;
	for (i = o.iter < 0 ? 0 : o.iter; !err; i++) {
		if (o.iter < 0 && fuzz_now_ms() >= end)
			break;
		c.iters++;
		err = iteration(fuzz_iter_seed(o.seed, i), &c);
		if (err)
			fprintf(stderr, "guest_fuzz: iteration %llu failed (hvfuzz_seed=%#llx hvfuzz_iter=%llu): %s\n",
				(unsigned long long)i,
				(unsigned long long)o.seed,
				(unsigned long long)i, strerror(-err));
		if (o.iter >= 0)
			break;
	}
	if (!err)
		err = tvm_accounting_settles(h, 10000);
	printf("guest_fuzz: seed %#llx: %lu iterations (real %lu, prot %lu, long %lu), %lu exits, %lu halted, %lu crashed, %lu records refused, %lu owners vanished, %llu s\n",
	       (unsigned long long)o.seed, c.iters, c.modes[0], c.modes[1],
	       c.modes[2], c.exits, c.halted, c.crashed, c.refused, c.vanished,
	       (unsigned long long)(fuzz_now_ms() - start) / 1000);
	for (i = 0; i < KINDS && c.kind[i][0]; i++)
		printf("guest_fuzz: %5lu crashed, e.g. %s\n", c.kinds[i],
		       c.example[i]);
	hv_close(h);
	return err ? 1 : 0;
}
