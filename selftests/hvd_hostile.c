// SPDX-License-Identifier: GPL-2.0
/*
 * hvd_hostile: a multiboot (v1) test kernel for hvd_test that drives
 * hvd's virtio-rng as a hostile driver would. It finds the function on
 * bus 0, and for each attack in attacks[] resets the device, negotiates
 * VERSION_1 (and INDIRECT_DESC), sets queue 0 up, breaks a rule of the
 * split virtqueue (virtio 1.2, 2.7) or of the PCI transport (4.1), and
 * checks that the device answers with DEVICE_NEEDS_RESET (2.1.2), used
 * nothing and wrote nothing; then that, reset again, it serves a good
 * request (16 random bytes). One line per attack on COM1
 * ("hostile: loop needs-reset ok"); the result through isa-debug-exit:
 * HOSTILE_PASS, or the number (from 1) of the first attack that failed,
 * or one of the HOSTILE_E* setup codes.
 *
 * 32-bit protected mode, paging off, interrupts off, no IDT: the loader's
 * state (Multiboot Specification 0.6.96, 3.2). The rings and buffers are
 * at fixed addresses, so hvd's log lines, which name some of them, are the
 * same on every run (hvd_test compares them), and the definition's memory
 * must be 32M (the attack at the end of RAM names 0x1fffff8).
 */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

/* Exit codes, written to isa-debug-exit (hvd exits with (v << 1) | 1). */
#define HOSTILE_PASS		0x30	/* every attack refused: status 97 */
#define HOSTILE_EBOOT		0x29	/* no multiboot memory information */
#define HOSTILE_EBIG		0x2a	/* the kernel reaches RING_AREA */
#define HOSTILE_ENODEV		0x2b	/* no virtio-rng on bus 0 */
#define HOSTILE_EBAR		0x2c	/* BAR 0 not a 32-bit memory BAR */
#define HOSTILE_EBASELINE	0x2d	/* a good request failed, before attacks */

#define DEBUG_EXIT	0xf4
#define COM1		0x3f8
#define LSR_THRE	0x20
#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc

/* Guest-physical layout: the kernel at 1 MiB must end below RING_AREA. */
#define RING_AREA	0x200000u
#define DESC_GPA	0x200000u	/* queue's descriptor table */
#define AVAIL_GPA	0x201000u
#define USED_GPA	0x202000u
#define BUF_GPA		0x203000u	/* the 16 bytes every chain names */
#define ITAB_GPA	0x204000u	/* indirect table, up to 1025 entries */
#define ITAB2_GPA	0x20a000u	/* a second one, for nesting */
#define BIG_GPA		0x400000u	/* 16 MiB that many buffers share */
#define BIG_LEN		0x1000000u

#define QSIZE		16
#define MAX_SEGS	1024	/* virtio.h's HVD_VQ_MAX_SEGS */

/*
 * How long to wait for the device: at most POLLS reads of device_status,
 * each an exit to hvd, with DELAY pauses between them while hvd's event
 * loop thread takes the notification. A device that answers takes a few;
 * the bound is a second or two where an exit is slow (Bochs).
 */
#define POLLS		1000
#define DELAY		2000

/* virtio_pci_common_cfg (4.1.4.3), at the start of BAR 0. */
#define C_DFSELECT	0x00
#define C_DF		0x04
#define C_GFSELECT	0x08
#define C_GF		0x0c
#define C_STATUS	0x14
#define C_Q_SELECT	0x16
#define C_Q_SIZE	0x18
#define C_Q_ENABLE	0x1c
#define C_Q_DESC	0x20
#define C_Q_DRIVER	0x28
#define C_Q_DEVICE	0x30
#define NOTIFY_OFF	0x3000	/* queue 0's notification address */

#define S_ACKNOWLEDGE	0x01
#define S_DRIVER	0x02
#define S_DRIVER_OK	0x04
#define S_FEATURES_OK	0x08
#define S_NEEDS_RESET	0x40
#define S_RUNNING	(S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK)

#define F_INDIRECT_DESC	(1u << 28)	/* feature word 0 */
#define F_VERSION_1	(1u << 0)	/* feature word 1: bit 32 */

#define D_NEXT		1
#define D_WRITE		2
#define D_INDIRECT	4

struct vdesc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct vavail {
	u16 flags;
	u16 idx;
	u16 ring[QSIZE];
	u16 used_event;
};

struct vused {
	u16 flags;
	u16 idx;
	struct {
		u32 id;
		u32 len;
	} ring[QSIZE];
	u16 avail_event;
};

#define DESC ((volatile struct vdesc *)DESC_GPA)
#define ITAB ((volatile struct vdesc *)ITAB_GPA)
#define ITAB2 ((volatile struct vdesc *)ITAB2_GPA)
#define AVAIL ((volatile struct vavail *)AVAIL_GPA)
#define USED ((volatile struct vused *)USED_GPA)
#define BUF ((volatile u8 *)BUF_GPA)

extern char _end[];
void hostile_main(u32 magic, const u32 *mbi);

/*
 * The multiboot header (3.1: page-aligned modules, memory information)
 * first in the image (hvd_hostile.ld), and the entry: our own stack, then
 * C with the loader's EAX and EBX as arguments.
 */
asm(".section .multiboot, \"a\"\n"
    "	.align 4\n"
    "	.long 0x1badb002, 0x3, -(0x1badb002 + 0x3)\n"
    ".text\n"
    ".globl _start\n"
    "_start:\n"
    "	cli\n"
    "	movl $hostile_stack + 16384, %esp\n"
    "	pushl %ebx\n"
    "	pushl %eax\n"
    "	call hostile_main\n"
    "1:	hlt\n"
    "	jmp 1b\n");

u8 hostile_stack[16384] __attribute__((aligned(16), used));

static u32 bar;		/* BAR 0 */
static u32 ram_end;	/* end of RAM from 1 MiB, from the loader */
static u16 avail_idx;	/* the driver's copy of avail->idx */
static char why[128];	/* what the last failed check saw */

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/*
 * BAR 0 accesses: one plain MOV each, of exactly the width the register
 * wants (hv decodes it, and hvd ignores common-cfg writes of other
 * widths). The memory clobber keeps ring stores before a notification.
 */
static u8 rd8(u32 off)
{
	u8 v;

	asm volatile("movb (%1), %0" : "=q"(v) : "r"(bar + off) : "memory");
	return v;
}

static u16 rd16(u32 off)
{
	u16 v;

	asm volatile("movw (%1), %0" : "=r"(v) : "r"(bar + off) : "memory");
	return v;
}

static u32 rd32(u32 off)
{
	u32 v;

	asm volatile("movl (%1), %0" : "=r"(v) : "r"(bar + off) : "memory");
	return v;
}

static void wr8(u32 off, u8 v)
{
	asm volatile("movb %0, (%1)" : : "q"(v), "r"(bar + off) : "memory");
}

static void wr16(u32 off, u16 v)
{
	asm volatile("movw %0, (%1)" : : "r"(v), "r"(bar + off) : "memory");
}

static void wr32(u32 off, u32 v)
{
	asm volatile("movl %0, (%1)" : : "r"(v), "r"(bar + off) : "memory");
}

static void wr64(u32 off, u64 v)
{
	wr32(off, (u32)v);
	wr32(off + 4, (u32)(v >> 32));
}

static void delay(void)
{
	unsigned int i;

	for (i = 0; i < DELAY; i++)
		asm volatile("pause");
}

static void con_putc(char c)
{
	unsigned int i;

	/* Bounded: a console that never drains must not hang the test. */
	for (i = 0; i < 100000 && !(inb(COM1 + 5) & LSR_THRE); i++)
		;
	outb(COM1, c);
}

static void con_puts(const char *s)
{
	while (*s)
		con_putc(*s++);
}

/* A small vsnprintf: %s, %u, %x, %llx, and '#' for 0x. */
static void vfmt(char *buf, unsigned int size, const char *fmt,
		 __builtin_va_list ap)
{
	char *p = buf, *end = buf + size - 1, tmp[20];
	const char *s;
	int alt, ll, n;
	u64 x;
	u32 u;

	for (; *fmt && p < end; fmt++) {
		if (*fmt != '%') {
			*p++ = *fmt;
			continue;
		}
		alt = ll = 0;
		if (*++fmt == '#') {
			alt = 1;
			fmt++;
		}
		if (fmt[0] == 'l' && fmt[1] == 'l') {
			ll = 1;
			fmt += 2;
		}
		n = 0;
		switch (*fmt) {
		case 's':
			for (s = __builtin_va_arg(ap, const char *);
			     *s && p < end;)
				*p++ = *s++;
			continue;
		case 'u':
			u = __builtin_va_arg(ap, u32);
			do {
				tmp[n++] = '0' + u % 10;
				u /= 10;
			} while (u);
			break;
		case 'x':
			x = ll ? __builtin_va_arg(ap, u64) :
				 __builtin_va_arg(ap, u32);
			do {
				tmp[n++] = "0123456789abcdef"[x & 15];
				x >>= 4;
			} while (x);
			if (alt) {
				tmp[n++] = 'x';
				tmp[n++] = '0';
			}
			break;
		default:
			tmp[n++] = *fmt;
			if (!*fmt)
				fmt--;
			break;
		}
		while (n && p < end)
			*p++ = tmp[--n];
	}
	*p = 0;
}

static void __attribute__((format(printf, 1, 2))) print(const char *fmt, ...)
{
	__builtin_va_list ap;
	char line[160];

	__builtin_va_start(ap, fmt);
	vfmt(line, sizeof(line), fmt, ap);
	__builtin_va_end(ap);
	con_puts(line);
}

/* Record what a check saw; -1, for "return fail(...)". */
static int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	__builtin_va_list ap;

	__builtin_va_start(ap, fmt);
	vfmt(why, sizeof(why), fmt, ap);
	__builtin_va_end(ap);
	return -1;
}

static void __attribute__((noreturn)) finish(u8 code)
{
	outb(DEBUG_EXIT, code);
	for (;;)
		asm volatile("hlt");
}

/* Configuration mechanism #1 (PCI 3.0, 3.2.2.3.2), bus 0. */
static u32 pci_read32(unsigned int devfn, unsigned int reg)
{
	outl(PCI_ADDR, 0x80000000u | devfn << 8 | (reg & 0xfc));
	return inl(PCI_DATA);
}

static void pci_write16(unsigned int devfn, unsigned int reg, u16 v)
{
	outl(PCI_ADDR, 0x80000000u | devfn << 8 | (reg & 0xfc));
	outw(PCI_DATA + (reg & 2), v);
}

static void zero(u32 gpa, u32 len)
{
	volatile u8 *p = (volatile u8 *)gpa;

	while (len--)
		*p++ = 0;
}

static void set_desc(volatile struct vdesc *d, u64 addr, u32 len, u16 flags,
		     u16 next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

static u8 status(void)
{
	return rd8(C_STATUS);
}

static u8 wait_needs_reset(void)
{
	unsigned int i;
	u8 st = 0;

	for (i = 0; i < POLLS; i++) {
		st = status();
		if (st & S_NEEDS_RESET)
			break;
		delay();
	}
	return st;
}

/*
 * Reset, then 3.1.1 up to FEATURES_OK with @features in word 0 besides
 * VERSION_1, and queue 0 of @size at @desc, @avail, @used, not enabled.
 * Fresh rings: after a reset both indices start at 0 again (2.4).
 */
static int setup(u32 features, u16 size, u64 desc, u64 avail, u64 used)
{
	u32 df0, df1;
	u16 max;
	u8 st;

	wr8(C_STATUS, 0);
	/* 4.1.4.3.2: reset is done when device_status reads 0. */
	st = status();
	if (st)
		return fail("status %#x after reset", st);
	zero(DESC_GPA, sizeof(struct vdesc) * QSIZE);
	zero(AVAIL_GPA, sizeof(struct vavail));
	zero(USED_GPA, sizeof(struct vused));
	zero(BUF_GPA, 16);
	avail_idx = 0;
	wr8(C_STATUS, S_ACKNOWLEDGE);
	wr8(C_STATUS, S_ACKNOWLEDGE | S_DRIVER);
	wr32(C_DFSELECT, 1);
	df1 = rd32(C_DF);
	wr32(C_DFSELECT, 0);
	df0 = rd32(C_DF);
	if (!(df1 & F_VERSION_1) || !(df0 & F_INDIRECT_DESC))
		return fail("device features %#x %#x", df1, df0);
	wr32(C_GFSELECT, 0);
	wr32(C_GF, features);
	wr32(C_GFSELECT, 1);
	wr32(C_GF, F_VERSION_1);
	wr8(C_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
	st = status();
	if (st != (S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK))
		return fail("status %#x after FEATURES_OK", st);
	wr16(C_Q_SELECT, 0);
	max = rd16(C_Q_SIZE);
	if (max < QSIZE)
		return fail("queue size %u", max);
	wr16(C_Q_SIZE, size);
	wr64(C_Q_DESC, desc);
	wr64(C_Q_DRIVER, avail);
	wr64(C_Q_DEVICE, used);
	return 0;
}

/* Enable queue 0 and set DRIVER_OK: the device is live. */
static int go(void)
{
	u8 st;

	wr16(C_Q_ENABLE, 1);
	wr8(C_STATUS, S_RUNNING);
	st = status();
	if (st != S_RUNNING)
		return fail("status %#x after DRIVER_OK", st);
	return 0;
}

/* A running device with the usual rings: where most attacks start. */
static int start(u32 features)
{
	return setup(features, QSIZE, DESC_GPA, AVAIL_GPA, USED_GPA) ?: go();
}

/* 2.7.13: the head into the ring, then the index, then the notification. */
static void fire(u16 head)
{
	AVAIL->ring[avail_idx % QSIZE] = head;
	asm volatile("" : : : "memory");
	AVAIL->idx = ++avail_idx;
	wr16(NOTIFY_OFF, 0);
}

/* One 16-byte device-writable buffer: 16 random bytes come back. */
static int good_request(void)
{
	unsigned int i, nonzero = 0;
	u16 used = 0;
	u8 st = 0;

	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&DESC[0], BUF_GPA, 16, D_WRITE, 0);
	fire(0);
	for (i = 0; i < POLLS; i++) {
		used = USED->idx;
		if (used)
			break;
		st = status();
		if (st & S_NEEDS_RESET)
			return fail("status %#x on a good request", st);
		delay();
	}
	if (used != 1)
		return fail("used idx %u, status %#x", used, st);
	if (USED->ring[0].id != 0 || USED->ring[0].len != 16)
		return fail("used id %u len %u, not 0 16", USED->ring[0].id,
			    USED->ring[0].len);
	for (i = 0; i < 16; i++)
		nonzero += BUF[i] != 0;
	/* 16 zero bytes from getrandom() have a chance of 2^-128. */
	if (!nonzero)
		return fail("16 zero bytes");
	st = status();
	if (st != S_RUNNING)
		return fail("status %#x after a good request", st);
	return 0;
}

/*
 * The attacks. Each leaves the device broken by one rule, or returns -1
 * if it could not get that far. Chains name BUF_GPA, device-writable,
 * unless the attack is about their buffers; hvd_test expects the line
 * hvd logs for each, in this order.
 */

/* 2.7.5.2: a chain that loops back to its head. */
static int loop(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&DESC[0], BUF_GPA, 16, D_WRITE | D_NEXT, 0);
	fire(0);
	return 0;
}

static int head_out_of_range(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&DESC[0], BUF_GPA, 16, D_WRITE, 0);
	fire(QSIZE);
	return 0;
}

static int next_out_of_range(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&DESC[0], BUF_GPA, 16, D_WRITE | D_NEXT, QSIZE);
	fire(0);
	return 0;
}

/* 2.7.6: the ring holds at most QSIZE entries the device has not taken. */
static int avail_idx_ahead(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&DESC[0], BUF_GPA, 16, D_WRITE, 0);
	AVAIL->idx = QSIZE + 1;
	wr16(NOTIFY_OFF, 0);
	return 0;
}

/* 2.7.4.2: device-writable buffers come after the readable ones. */
static int readable_after_writable(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&DESC[0], BUF_GPA, 8, D_WRITE | D_NEXT, 1);
	set_desc(&DESC[1], BUF_GPA + 8, 8, 0, 0);
	fire(0);
	return 0;
}

static int buffer(u64 addr, u32 len)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&DESC[0], addr, len, D_WRITE, 0);
	fire(0);
	return 0;
}

/* In the PCI hole, where nothing backs it. */
static int buffer_in_hole(void)
{
	return buffer(0xf0000000u, 16);
}

/* 4 GiB, where RAM would go on if there were more than 3 GiB of it. */
static int buffer_at_4g(void)
{
	return buffer(0x100000000ull, 16);
}

/* Its first bytes in RAM, its last past the end. */
static int buffer_across_ram_end(void)
{
	return buffer(ram_end - 8, 16);
}

/* addr + len wraps past 2^64 to an address in RAM. */
static int buffer_wraps(void)
{
	return buffer(0xfffffffffffffff0ull, 0x20);
}

/* A good indirect table, named by a descriptor the driver may not use. */
static int indirect(u32 features, u64 addr, u32 len, u16 flags)
{
	if (start(features))
		return -1;
	set_desc(&ITAB[0], BUF_GPA, 16, D_WRITE, 0);
	set_desc(&DESC[0], addr, len, D_INDIRECT | flags, 1);
	set_desc(&DESC[1], BUF_GPA, 16, D_WRITE, 0);
	fire(0);
	return 0;
}

/* 2.7.5.3.1: INDIRECT only if VIRTIO_F_INDIRECT_DESC was negotiated. */
static int indirect_not_negotiated(void)
{
	return indirect(0, ITAB_GPA, 16, 0);
}

static int indirect_with_next(void)
{
	return indirect(F_INDIRECT_DESC, ITAB_GPA, 16, D_NEXT);
}

static int indirect_empty(void)
{
	return indirect(F_INDIRECT_DESC, ITAB_GPA, 0, 0);
}

static int indirect_len_24(void)
{
	return indirect(F_INDIRECT_DESC, ITAB_GPA, 24, 0);
}

static int indirect_in_hole(void)
{
	return indirect(F_INDIRECT_DESC, 0xf0000000u, 32, 0);
}

/* 2.7.5.3.1: an indirect table names no indirect table. */
static int indirect_in_indirect(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&ITAB2[0], BUF_GPA, 16, D_WRITE, 0);
	set_desc(&ITAB[0], ITAB2_GPA, 16, D_INDIRECT, 0);
	set_desc(&DESC[0], ITAB_GPA, 16, D_INDIRECT, 0);
	fire(0);
	return 0;
}

/* Two entries, the second leading back to the first. */
static int indirect_loop(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&ITAB[0], BUF_GPA, 8, D_WRITE | D_NEXT, 1);
	set_desc(&ITAB[1], BUF_GPA + 8, 8, D_WRITE | D_NEXT, 0);
	set_desc(&DESC[0], ITAB_GPA, 32, D_INDIRECT, 0);
	fire(0);
	return 0;
}

static int indirect_next_out_of_range(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	set_desc(&ITAB[0], BUF_GPA, 8, D_WRITE | D_NEXT, 2);
	set_desc(&ITAB[1], BUF_GPA + 8, 8, D_WRITE, 0);
	set_desc(&DESC[0], ITAB_GPA, 32, D_INDIRECT, 0);
	fire(0);
	return 0;
}

/*
 * An indirect chain of @n device-writable buffers of @len bytes each, at
 * BIG_GPA but for the last, which is at BUF_GPA.
 */
static int long_chain(unsigned int n, u32 len)
{
	unsigned int i;

	if (start(F_INDIRECT_DESC))
		return -1;
	for (i = 0; i < n - 1; i++)
		set_desc(&ITAB[i], BIG_GPA, len, D_WRITE | D_NEXT, i + 1);
	set_desc(&ITAB[n - 1], BUF_GPA, len ? 16 : 0, D_WRITE, 0);
	set_desc(&DESC[0], ITAB_GPA, 16 * n, D_INDIRECT, 0);
	fire(0);
	return 0;
}

/* 2.7.4.1: a device may limit a chain; empty buffers count too. */
static int too_many_buffers(void)
{
	return long_chain(MAX_SEGS + 1, 0);
}

/*
 * 2.7.8: the used length is 32 bits. The device checks each buffer's
 * length before its RAM, but only up to that buffer: a first buffer of
 * 0xffffffff bytes fails the RAM check before a second one adds to it.
 * So 16 MiB buffers, all in RAM (the same 16 MiB: nothing forbids
 * overlap), of which the 256th brings the sum to 2^32.
 */
static int writable_over_32_bits(void)
{
	return long_chain(257, BIG_LEN);
}

/*
 * 2.7.5.2 (2^32 bytes in all at most): 2^32 - 1 readable bytes in 256
 * buffers, then 2 writable ones; each sum fits 32 bits, the chain's not.
 */
static int chain_over_4g(void)
{
	unsigned int i;

	if (start(F_INDIRECT_DESC))
		return -1;
	for (i = 0; i < 255; i++)
		set_desc(&ITAB[i], BIG_GPA, BIG_LEN, D_NEXT, i + 1);
	set_desc(&ITAB[255], BIG_GPA, BIG_LEN - 1, D_NEXT, 256);
	set_desc(&ITAB[256], BUF_GPA, 2, D_WRITE, 0);
	set_desc(&DESC[0], ITAB_GPA, 16 * 257, D_INDIRECT, 0);
	fire(0);
	return 0;
}

/* 4.1.4.3.2: queue_desc written while the queue is enabled. */
static int queue_moved(void)
{
	if (start(F_INDIRECT_DESC))
		return -1;
	wr32(C_Q_DESC, DESC_GPA + 0x100);
	return 0;
}

/* Rings the device must refuse at queue_enable, before DRIVER_OK. */
static int bad_rings(u16 size, u64 desc, u64 avail, u64 used)
{
	if (setup(F_INDIRECT_DESC, size, desc, avail, used))
		return -1;
	wr16(C_Q_ENABLE, 1);
	return 0;
}

static int desc_table_at_4g(void)
{
	return bad_rings(QSIZE, 0x100000000ull, AVAIL_GPA, USED_GPA);
}

static int used_ring_across_ram_end(void)
{
	return bad_rings(QSIZE, DESC_GPA, AVAIL_GPA, ram_end - 8);
}

static int desc_table_misaligned(void)
{
	return bad_rings(QSIZE, DESC_GPA + 8, AVAIL_GPA, USED_GPA);
}

/* 2.7: a power of two. */
static int queue_size_12(void)
{
	return bad_rings(12, DESC_GPA, AVAIL_GPA, USED_GPA);
}

static const struct attack {
	const char *name;
	int (*fire)(void);
} attacks[] = {
	{ "loop", loop },
	{ "head-out-of-range", head_out_of_range },
	{ "next-out-of-range", next_out_of_range },
	{ "avail-idx-ahead", avail_idx_ahead },
	{ "readable-after-writable", readable_after_writable },
	{ "buffer-in-pci-hole", buffer_in_hole },
	{ "buffer-at-4g", buffer_at_4g },
	{ "buffer-across-ram-end", buffer_across_ram_end },
	{ "buffer-wraps-2^64", buffer_wraps },
	{ "indirect-not-negotiated", indirect_not_negotiated },
	{ "indirect-with-next", indirect_with_next },
	{ "indirect-empty", indirect_empty },
	{ "indirect-len-24", indirect_len_24 },
	{ "indirect-in-pci-hole", indirect_in_hole },
	{ "indirect-in-indirect", indirect_in_indirect },
	{ "indirect-loop", indirect_loop },
	{ "indirect-next-out-of-range", indirect_next_out_of_range },
	{ "too-many-buffers", too_many_buffers },
	{ "writable-over-32-bits", writable_over_32_bits },
	{ "chain-over-4g", chain_over_4g },
	{ "queue-moved-while-enabled", queue_moved },
	{ "desc-table-at-4g", desc_table_at_4g },
	{ "used-ring-across-ram-end", used_ring_across_ram_end },
	{ "desc-table-misaligned", desc_table_misaligned },
	{ "queue-size-12", queue_size_12 },
};

#define NR_ATTACKS (sizeof(attacks) / sizeof(attacks[0]))

static int run(const struct attack *a)
{
	unsigned int i;
	u8 st;

	if (a->fire())
		return -1;
	st = wait_needs_reset();
	if (!(st & S_NEEDS_RESET))
		return fail("no needs-reset: status %#x", st);
	/* Refused means refused: nothing used, no byte written. */
	if (USED->idx)
		return fail("used idx %u on a broken queue", USED->idx);
	for (i = 0; i < 16; i++)
		if (BUF[i])
			return fail("byte %u of a refused chain written", i);
	if (good_request())
		return fail("after reset: %s", why);
	return 0;
}

static int find_rng(void)
{
	unsigned int dev;

	for (dev = 1; dev < 32; dev++)
		if (pci_read32(dev << 3, 0) == 0x10441af4u)
			return dev << 3;
	return -1;
}

void hostile_main(u32 magic, const u32 *mbi)
{
	unsigned int i, failed = 0;
	int devfn;
	u32 bar0;

	if (magic != 0x2badb002u || !(mbi[0] & 1)) {
		con_puts("hostile: no multiboot memory information\n");
		finish(HOSTILE_EBOOT);
	}
	ram_end = 0x100000u + mbi[2] * 1024;
	if ((u32)_end > RING_AREA) {
		print("hostile: the kernel ends at %#x, past %#x\n", (u32)_end,
		      RING_AREA);
		finish(HOSTILE_EBIG);
	}
	devfn = find_rng();
	if (devfn < 0) {
		con_puts("hostile: no virtio-rng (1af4:1044) on bus 0\n");
		finish(HOSTILE_ENODEV);
	}
	bar0 = pci_read32(devfn, 0x10);
	bar = bar0 & ~0xfu;
	if ((bar0 & 0x7) || !bar) {
		print("hostile: BAR 0 of 00:%x.0 is %#x\n", devfn >> 3, bar0);
		finish(HOSTILE_EBAR);
	}
	/* Memory space and bus master (PCI 3.0, 6.2.2). */
	pci_write16(devfn, 0x04, pci_read32(devfn, 0x04) | 0x6);
	print("hostile: virtio-rng at 00:%x.0, BAR 0 %#x, RAM to %#x\n",
	      devfn >> 3, bar, ram_end);
	if (good_request()) {
		print("hostile: baseline FAILED: %s\n", why);
		finish(HOSTILE_EBASELINE);
	}
	con_puts("hostile: baseline ok\n");
	for (i = 0; i < NR_ATTACKS; i++) {
		if (run(&attacks[i])) {
			print("hostile: %s FAILED: %s\n", attacks[i].name, why);
			if (!failed)
				failed = i + 1;
		} else {
			print("hostile: %s needs-reset ok\n", attacks[i].name);
		}
	}
	wr8(C_STATUS, 0);
	if (failed) {
		print("hostile: attack %u failed first\n", failed);
		finish(failed);
	}
	print("hostile: all %u attacks refused\n", (u32)NR_ATTACKS);
	finish(HOSTILE_PASS);
}
