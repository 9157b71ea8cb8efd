// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O APIC of the PC: an Intel 82093AA (version 0x11, 24 pins, no EOI
 * register) at HVD_IOAPIC_BASE. The guest reaches its registers through
 * IOREGSEL and IOWIN (82093AA datasheet, 3.1); each pin's redirection entry
 * turns a change of its input into an interrupt message, which hvd sends as
 * the MSI a local APIC receives (Intel SDM Vol. 3A, 11.11), at once: the
 * Delivery Status bit therefore always reads 0.
 *
 * Accesses, as QEMU and KVM take them: only the low 8 bits of the offset
 * decode, so the two registers repeat every 256 bytes of the page.
 * IOREGSEL takes any size (it is an 8-bit field, datasheet 3.1.1); IOWIN
 * takes 4 bytes, or 8 of which the low 4 reach it and the high 4 read 0.
 * Narrower IOWIN accesses and every other offset read 0 and drop writes,
 * with a log line. Offset 0x40, the EOI register of later (version 0x20)
 * IOAPICs, does not exist on the 82093AA: writes to it are dropped too, so
 * a guest clears Remote IRR only by a local APIC EOI or, as Linux does for
 * version 0x11, by switching the entry to edge and back.
 */
#include <stdbool.h>
#include <stdint.h>

#include "devmodel.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOEOI 0x40 /* version 0x20 only */

/* Indirect registers (datasheet 3.2). */
#define REG_ID 0x00
#define REG_VER 0x01
#define REG_ARB 0x02
#define REG_REDTBL 0x10
#define REG_REDTBL_END (REG_REDTBL + 2 * HVD_IOAPIC_PINS)

#define IOAPIC_VERSION 0x11
#define ID_SHIFT 24
#define ID_MASK 0x0f

/* Redirection table entry fields (datasheet 3.2.4). */
#define RTE_VECTOR 0xffull
#define RTE_DM_SHIFT 8
#define RTE_DM_MASK (7ull << RTE_DM_SHIFT)
#define RTE_DESTMODE (1ull << 11)
#define RTE_DELIVS (1ull << 12)
#define RTE_POLARITY (1ull << 13)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_DEST_SHIFT 56
/* Bits 55:17 are reserved; Delivery Status and Remote IRR read-only. */
#define RTE_WRITABLE                                                          \
	(RTE_VECTOR | RTE_DM_MASK | RTE_DESTMODE | RTE_POLARITY | RTE_LEVEL | \
	 RTE_MASKED | (0xffull << RTE_DEST_SHIFT))

enum {
	DM_FIXED = 0,
	DM_LOWEST = 1,
	DM_SMI = 2,
	DM_NMI = 4,
	DM_INIT = 5,
	DM_EXTINT = 7,
};

/* MSI address and data (SDM Vol. 3A, 11.11.1 and 11.11.2). */
#define MSI_ADDR_DEST_SHIFT 12
#define MSI_ADDR_RH (1u << 3)
#define MSI_ADDR_DM (1u << 2)
#define MSI_DATA_LEVEL_TRIGGER (1u << 15)
#define MSI_DATA_ASSERT (1u << 14)

/* What is logged once per device: guest junk must not flood the log. */
enum {
	LOG_ACCESS = 1 << 0,
	LOG_INDEX = 1 << 1,
	LOG_EOI = 1 << 2,
	LOG_VECTOR = 1 << 3,
	LOG_MODE = 1 << 4,
	LOG_SMI = 1 << 5,
	LOG_MSI = 1 << 6,
	LOG_PIN = 1 << 7,
};

/**
 * struct ioapic - the state of one 82093AA
 * @svc: the worker's services
 * @redtbl: the redirection table
 * @line: the electrical level of each input pin, one bit per pin; the
 *	wires keep their level across a reset of the IOAPIC
 * @ioregsel: the selected register
 * @id: IOAPICID bits 27:24
 * @logged: LOG_* kinds already logged
 */
struct ioapic {
	const struct hvd_services *svc;
	uint64_t redtbl[HVD_IOAPIC_PINS];
	uint32_t line;
	uint8_t ioregsel;
	uint8_t id;
	unsigned int logged;
};

static bool log_once(struct ioapic *io, unsigned int kind)
{
	if (io->logged & kind)
		return false;
	io->logged |= kind;
	return true;
}

/* The input as the entry sees it: Interrupt Input Pin Polarity applied. */
static bool asserted(const struct ioapic *io, unsigned int pin)
{
	bool high = io->line & (1u << pin);

	return high != !!(io->redtbl[pin] & RTE_POLARITY);
}

/*
 * Only fixed and lowest-priority interrupts are level-triggered: SMI,
 * NMI, INIT and ExtINT are edge-triggered whatever the Trigger Mode bit
 * says (datasheet 3.2.4, Delivery Mode), so they never set Remote IRR.
 */
static bool level_triggered(uint64_t e)
{
	unsigned int dm = (e & RTE_DM_MASK) >> RTE_DM_SHIFT;

	return (e & RTE_LEVEL) && (dm == DM_FIXED || dm == DM_LOWEST);
}

/* Send the message of @pin's entry; true if it went out. */
static bool deliver(struct ioapic *io, unsigned int pin)
{
	uint64_t e = io->redtbl[pin];
	unsigned int dm = (e & RTE_DM_MASK) >> RTE_DM_SHIFT;
	unsigned int vector = e & RTE_VECTOR;
	uint64_t addr;
	uint32_t data;
	int err;

	switch (dm) {
	case DM_FIXED:
	case DM_LOWEST:
		/*
		 * Vectors 0-15 are illegal: the receiving local APIC drops
		 * them and sets Receive Illegal Vector (SDM Vol. 3A, 11.5.3).
		 */
		if (vector < 16) {
			if (log_once(io, LOG_VECTOR))
				hvd_dev_log(io->svc, HVD_LOG_WARNING,
					    "pin %u: illegal vector %u dropped",
					    pin, vector);
			return false;
		}
		break;
	case DM_NMI:
	case DM_INIT:
	case DM_EXTINT:
		/*
		 * ExtINT goes out as an ExtINT message (11.11.2): the
		 * processor then fetches the vector from the 8259 with an
		 * INTA cycle, as the datasheet's delivery mode 111 says.
		 */
		break;
	case DM_SMI:
		if (log_once(io, LOG_SMI))
			hvd_dev_log(io->svc, HVD_LOG_NOTICE,
				    "pin %u: SMI not supported, dropped", pin);
		return false;
	default:
		if (log_once(io, LOG_MODE))
			hvd_dev_log(io->svc, HVD_LOG_WARNING,
				    "pin %u: reserved delivery mode %u dropped",
				    pin, dm);
		return false;
	}

	addr = HVD_LAPIC_BASE | (e >> RTE_DEST_SHIFT) << MSI_ADDR_DEST_SHIFT;
	if (e & RTE_DESTMODE)
		addr |= MSI_ADDR_DM;
	/* The hint lets the chipset pick among the destinations (11.11.1). */
	if (dm == DM_LOWEST)
		addr |= MSI_ADDR_RH;
	data = vector | dm << 8;
	if (level_triggered(e))
		data |= MSI_DATA_LEVEL_TRIGGER | MSI_DATA_ASSERT;

	err = io->svc->send_msi(io->svc->ctx, addr, data);
	if (err < 0) {
		if (log_once(io, LOG_MSI))
			hvd_dev_log(io->svc, HVD_LOG_WARNING,
				    "pin %u: MSI %#llx/%#x not delivered: %d",
				    pin, (unsigned long long)addr, data, err);
		return false;
	}
	return true;
}

/*
 * A level-triggered entry sends while its input is asserted, it is
 * unmasked and no local APIC holds its interrupt in service (Remote IRR,
 * datasheet 3.2.4, bit 14). Remote IRR is set only for a message that
 * went out, as KVM does.
 */
static void service_level(struct ioapic *io, unsigned int pin)
{
	uint64_t e = io->redtbl[pin];

	if (!level_triggered(e) || (e & (RTE_MASKED | RTE_REMOTE_IRR)) ||
	    !asserted(io, pin))
		return;
	if (deliver(io, pin))
		io->redtbl[pin] |= RTE_REMOTE_IRR;
}

static void ioapic_reset(void *priv)
{
	struct ioapic *io = priv;
	unsigned int i;

	/* Datasheet 3.2: every entry masked, everything else 0. */
	for (i = 0; i < HVD_IOAPIC_PINS; i++)
		io->redtbl[i] = RTE_MASKED;
	io->ioregsel = 0;
	io->id = HVD_IOAPIC_ID & ID_MASK;
}

static int ioapic_create(void *priv, const struct hvd_services *svc,
			 const struct hvd_config *cfg)
{
	struct ioapic *io = priv;

	io->svc = svc;
	ioapic_reset(io);
	return 0;
}

static uint32_t read_reg(struct ioapic *io)
{
	unsigned int reg = io->ioregsel;

	switch (reg) {
	case REG_ID:
	case REG_ARB:
		/*
		 * IOAPICARB is loaded with the ID whenever the ID is written
		 * (datasheet 3.2.1, 3.2.3); with messages instead of an APIC
		 * bus no arbitration ever rotates it.
		 */
		return (uint32_t)io->id << ID_SHIFT;
	case REG_VER:
		return (HVD_IOAPIC_PINS - 1) << 16 | IOAPIC_VERSION;
	}
	if (reg >= REG_REDTBL && reg < REG_REDTBL_END) {
		uint64_t e = io->redtbl[(reg - REG_REDTBL) / 2];

		return reg & 1 ? e >> 32 : (uint32_t)e;
	}
	if (log_once(io, LOG_INDEX))
		hvd_dev_log(io->svc, HVD_LOG_WARNING,
			    "read of reserved register %#x", reg);
	return 0;
}

static void write_rte(struct ioapic *io, unsigned int pin, bool high,
		      uint32_t val)
{
	uint64_t e = io->redtbl[pin];
	uint64_t half = high ? 0xffffffff00000000ull : 0xffffffffull;
	uint64_t v = high ? (uint64_t)val << 32 : val;

	e = (e & ~(half & RTE_WRITABLE)) | (v & half & RTE_WRITABLE);
	/*
	 * An edge-triggered entry has no interrupt in service. Linux relies
	 * on this to clear a stuck Remote IRR on IOAPICs without an EOI
	 * register (arch/x86/kernel/apic/io_apic.c, __eoi_ioapic_pin()), and
	 * KVM and QEMU model it.
	 */
	if (!(e & RTE_LEVEL))
		e &= ~RTE_REMOTE_IRR;
	io->redtbl[pin] = e;
	/*
	 * Unmasking a level-triggered entry whose input is asserted sends,
	 * as an edge-triggered one does not: an edge seen while masked is
	 * lost (datasheet 3.2.4, Interrupt Mask).
	 */
	service_level(io, pin);
}

static void write_reg(struct ioapic *io, uint32_t val)
{
	unsigned int reg = io->ioregsel;

	switch (reg) {
	case REG_ID:
		io->id = (val >> ID_SHIFT) & ID_MASK;
		return;
	case REG_VER:
	case REG_ARB:
		/* Read-only (datasheet 3.2.2, 3.2.3). */
		return;
	}
	if (reg >= REG_REDTBL && reg < REG_REDTBL_END) {
		write_rte(io, (reg - REG_REDTBL) / 2, reg & 1, val);
		return;
	}
	if (log_once(io, LOG_INDEX))
		hvd_dev_log(io->svc, HVD_LOG_WARNING,
			    "write of reserved register %#x dropped", reg);
}

static void bad_access(struct ioapic *io, const char *what, uint64_t off,
		       unsigned int size)
{
	if (log_once(io, LOG_ACCESS))
		hvd_dev_log(io->svc, HVD_LOG_WARNING,
			    "%u-byte %s at offset %#llx ignored", size, what,
			    (unsigned long long)off);
}

static uint64_t ioapic_read(void *priv, enum hvd_space space, uint64_t addr,
			    unsigned int size)
{
	struct ioapic *io = priv;
	uint64_t off = (addr - HVD_IOAPIC_BASE) & 0xff;

	if (off == IOREGSEL)
		return io->ioregsel;
	if (off == IOWIN && (size == 4 || size == 8))
		return read_reg(io);
	bad_access(io, "read", addr - HVD_IOAPIC_BASE, size);
	return 0;
}

static void ioapic_write(void *priv, enum hvd_space space, uint64_t addr,
			 unsigned int size, uint64_t val)
{
	struct ioapic *io = priv;
	uint64_t off = (addr - HVD_IOAPIC_BASE) & 0xff;

	if (off == IOREGSEL) {
		/* Bits 31:8 are reserved (datasheet 3.1.1). */
		io->ioregsel = val & 0xff;
	} else if (off == IOWIN && (size == 4 || size == 8)) {
		write_reg(io, (uint32_t)val);
	} else if (off == IOEOI) {
		if (log_once(io, LOG_EOI))
			hvd_dev_log(
				io->svc, HVD_LOG_NOTICE,
				"no EOI register in version %#x: write ignored",
				IOAPIC_VERSION);
	} else {
		bad_access(io, "write", addr - HVD_IOAPIC_BASE, size);
	}
}

static void ioapic_irq_in(void *priv, unsigned int pin, int level)
{
	struct ioapic *io = priv;
	bool was;

	if (pin >= HVD_IOAPIC_PINS) {
		if (log_once(io, LOG_PIN))
			hvd_dev_log(io->svc, HVD_LOG_ERR,
				    "input on nonexistent pin %u", pin);
		return;
	}
	was = asserted(io, pin);
	if (level)
		io->line |= 1u << pin;
	else
		io->line &= ~(1u << pin);

	if (level_triggered(io->redtbl[pin]))
		service_level(io, pin);
	else if (!was && asserted(io, pin) && !(io->redtbl[pin] & RTE_MASKED))
		deliver(io, pin);
}

/*
 * The local APIC broadcast the EOI of a level-triggered @vector (SDM Vol.
 * 3A, 11.8.5): every entry that sent it leaves service, and one whose
 * input is still asserted sends again.
 */
static void ioapic_eoi(void *priv, uint8_t vector)
{
	struct ioapic *io = priv;
	unsigned int i;

	for (i = 0; i < HVD_IOAPIC_PINS; i++) {
		uint64_t e = io->redtbl[i];

		if ((e & RTE_VECTOR) != vector || !(e & RTE_REMOTE_IRR))
			continue;
		io->redtbl[i] = e & ~RTE_REMOTE_IRR;
		service_level(io, i);
	}
}

static const struct hvd_range ioapic_ranges[] = {
	{ HVD_MMIO, HVD_IOAPIC_BASE, 0x1000 },
};

/* The IOAPIC of hvd's device table: its whole 4 KiB page, as e820 reserves. */
const struct hvd_model ioapic_model = {
	.name = "ioapic",
	.priv_size = sizeof(struct ioapic),
	.ranges = ioapic_ranges,
	.nr_ranges = 1,
	.create = ioapic_create,
	.reset = ioapic_reset,
	.read = ioapic_read,
	.write = ioapic_write,
	.irq_in = ioapic_irq_in,
	.eoi = ioapic_eoi,
};
