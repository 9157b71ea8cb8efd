// SPDX-License-Identifier: GPL-2.0
/*
 * A PCI function's type 0 configuration header, BARs, capability list and
 * MSI-X table (PCI Local Bus Specification 3.0, 6.1-6.8; PCI Express Base
 * 4.0, 7.7.2 for MSI-X).
 *
 * Configuration space is a byte array with a write mask: a guest write
 * changes only writable bits, so BAR sizing (all ones written, the size
 * mask read back, 6.2.5.1) and read-only ids need no code of their own.
 * A BAR decodes when the command register enables its space and it holds
 * an address that neither is zero nor makes it wrap; the model asks
 * hvd_pci_windows() where it is after every write that changed the map.
 *
 * The function has no INTx pin: its interrupts are MSI-X messages only
 * (the interrupt pin register reads 0, 6.2.4), and a masked vector's
 * message waits as a pending bit until it is unmasked (7.7.2.2).
 */
#include <string.h>

#include "pci.h"

#define CMD_WMASK (PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_MASTER | 0x0040 | \
		   PCI_CMD_SERR | PCI_CMD_INTX_DISABLE)

static void put(uint8_t *p, unsigned int off, unsigned int size, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		p[off + i] = v >> (8 * i);
}

static uint32_t get(const uint8_t *p, unsigned int off, unsigned int size)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (uint32_t)p[off + i] << (8 * i);
	return v;
}

/**
 * hvd_pci_init() - a function with no BARs and no capabilities
 * @f: the function
 * @vendor: vendor id
 * @device: device id
 * @class_rev: class code (base, sub, programming interface) << 8 | revision
 * @subsys_vendor: subsystem vendor id
 * @subsys_id: subsystem id
 */
void hvd_pci_init(struct hvd_pci_func *f, uint16_t vendor, uint16_t device,
		  uint32_t class_rev, uint16_t subsys_vendor,
		  uint16_t subsys_id)
{
	memset(f, 0, sizeof(*f));
	put(f->cfg, PCI_VENDOR_ID, 2, vendor);
	put(f->cfg, PCI_VENDOR_ID + 2, 2, device);
	put(f->cfg, PCI_REVISION_ID, 4, class_rev);
	put(f->cfg, PCI_SUBSYSTEM_VENDOR_ID, 2, subsys_vendor);
	put(f->cfg, PCI_SUBSYSTEM_ID, 2, subsys_id);
	put(f->wmask, PCI_COMMAND, 2, CMD_WMASK);
	/* Status: the error bits are RW1C; this function never sets them. */
	put(f->w1c, PCI_STATUS, 2, 0xf900);
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
	f->cap_end = 0x40;
	hvd_pci_seal(f);
}

/**
 * hvd_pci_set_bar() - implement BAR @n
 * @f: the function
 * @n: the BAR (a 64-bit one takes @n + 1 too)
 * @type: what it decodes
 * @size: its size, a power of two (at least 16 for memory, 4 for I/O)
 * @addr: where the firmware puts it, aligned to @size (0: unassigned)
 */
void hvd_pci_set_bar(struct hvd_pci_func *f, unsigned int n,
		     enum hvd_pci_bar_type type, uint64_t size, uint64_t addr)
{
	unsigned int reg = PCI_BAR0 + 4 * n;
	uint64_t mask = ~(size - 1);

	f->bar_type[n] = type;
	f->bar_size[n] = size;
	switch (type) {
	case HVD_BAR_MEM32:
		put(f->cfg, reg, 4, addr & mask);
		put(f->wmask, reg, 4, mask & 0xfffffff0u);
		break;
	case HVD_BAR_MEM64:
		put(f->cfg, reg, 4, (addr & mask) | 0x4);
		put(f->wmask, reg, 4, mask & 0xfffffff0u);
		put(f->cfg, reg + 4, 4, addr >> 32);
		put(f->wmask, reg + 4, 4, mask >> 32);
		f->bar_type[n + 1] = HVD_BAR_NONE;
		break;
	case HVD_BAR_IO:
		put(f->cfg, reg, 4, (addr & mask & 0xffff) | 0x1);
		put(f->wmask, reg, 4, mask & 0xfffcu);
		break;
	case HVD_BAR_NONE:
		break;
	}
}

/**
 * hvd_pci_add_cap() - append a capability to the list
 * @f: the function
 * @id: its capability id
 * @len: its length in bytes, the id and next pointer included
 *
 * The caller fills the body (and its write mask) at the offset returned.
 *
 * Return: the capability's offset, or 0 if configuration space is full.
 */
unsigned int hvd_pci_add_cap(struct hvd_pci_func *f, uint8_t id,
			     unsigned int len)
{
	unsigned int off = f->cap_end;

	if (len < 2 || off + len > HVD_PCI_CFG_SIZE)
		return 0;
	f->cfg[off] = id;
	f->cfg[off + 1] = 0;
	if (f->cap_last)
		f->cfg[f->cap_last] = off;
	else
		f->cfg[PCI_CAPABILITY_LIST] = off;
	f->cap_last = off + 1;
	f->cap_end = (off + len + 3) & ~3u;
	put(f->cfg, PCI_STATUS, 2, get(f->cfg, PCI_STATUS, 2) |
					   PCI_STATUS_CAP_LIST);
	return off;
}

/**
 * hvd_pci_add_msix() - an MSI-X capability and its table
 * @f: the function
 * @nr: table entries (1 to HVD_PCI_MSIX_MAX)
 * @bar: the BAR holding the table and the PBA
 * @table: the table's offset in it (8-byte aligned)
 * @pba: the PBA's offset in it (8-byte aligned)
 *
 * Return: 0, or -1 if @nr is out of range or configuration space is full.
 */
int hvd_pci_add_msix(struct hvd_pci_func *f, unsigned int nr,
		     unsigned int bar, uint32_t table, uint32_t pba)
{
	unsigned int off;

	if (!nr || nr > HVD_PCI_MSIX_MAX)
		return -1;
	off = hvd_pci_add_cap(f, PCI_CAP_ID_MSIX, 12);
	if (!off)
		return -1;
	put(f->cfg, off + 2, 2, nr - 1);
	f->wmask[off + 3] = (PCI_MSIX_ENABLE | PCI_MSIX_MASKALL) >> 8;
	put(f->cfg, off + 4, 4, table | bar);
	put(f->cfg, off + 8, 4, pba | bar);
	f->msix_cap = off;
	f->msix_bar = bar;
	f->msix_table = table;
	f->msix_pba = pba;
	f->msix_nr = nr;
	return 0;
}

/**
 * hvd_pci_seal() - take the configuration built so far as the power-on one
 * @f: the function
 */
void hvd_pci_seal(struct hvd_pci_func *f)
{
	memcpy(f->reset_cfg, f->cfg, sizeof(f->cfg));
}

/**
 * hvd_pci_reset() - back to power-on: the sealed configuration, every
 *	MSI-X vector masked and nothing pending (PCIe 7.7.2.2)
 * @f: the function
 */
void hvd_pci_reset(struct hvd_pci_func *f)
{
	unsigned int i;

	memcpy(f->cfg, f->reset_cfg, sizeof(f->cfg));
	memset(f->msix, 0, sizeof(f->msix));
	memset(f->pba, 0, sizeof(f->pba));
	for (i = 0; i < f->msix_nr; i++)
		f->msix[i][3] = PCI_MSIX_CTRL_MASKBIT;
}

/**
 * hvd_pci_cfg_read() - a configuration read
 * @f: the function
 * @reg: the register, aligned to @size
 * @size: 1, 2 or 4 bytes
 *
 * Return: the value.
 */
uint32_t hvd_pci_cfg_read(const struct hvd_pci_func *f, unsigned int reg,
			  unsigned int size)
{
	if (reg >= HVD_PCI_CFG_SIZE || size > HVD_PCI_CFG_SIZE - reg)
		return 0xffffffffu;
	return get(f->cfg, reg, size);
}

static bool in(unsigned int reg, unsigned int start, unsigned int len)
{
	return reg >= start && reg < start + len;
}

/**
 * hvd_pci_cfg_write() - a configuration write
 * @f: the function
 * @reg: the register, aligned to @size
 * @size: 1, 2 or 4 bytes
 * @val: the value
 *
 * Return: HVD_PCI_CHANGED_* bits for what the write changed.
 */
unsigned int hvd_pci_cfg_write(struct hvd_pci_func *f, unsigned int reg,
			       unsigned int size, uint32_t val)
{
	unsigned int i, changed = 0;

	if (reg >= HVD_PCI_CFG_SIZE || size > HVD_PCI_CFG_SIZE - reg)
		return 0;
	for (i = 0; i < size; i++) {
		unsigned int r = reg + i;
		uint8_t b = val >> (8 * i), old = f->cfg[r];
		uint8_t now = (old & ~f->wmask[r]) | (b & f->wmask[r]);

		now &= ~(b & f->w1c[r]);
		if (now == old)
			continue;
		f->cfg[r] = now;
		if (r == PCI_COMMAND &&
		    ((now ^ old) & (PCI_CMD_IO | PCI_CMD_MEMORY)))
			changed |= HVD_PCI_CHANGED_MAP;
		if (in(r, PCI_BAR0, 4 * HVD_PCI_NR_BARS))
			changed |= HVD_PCI_CHANGED_MAP;
		if (f->msix_cap && r == f->msix_cap + 3)
			changed |= HVD_PCI_CHANGED_MSIX;
	}
	return changed;
}

/**
 * hvd_pci_bar_addr() - where BAR @n is
 * @f: the function
 * @n: the BAR
 *
 * Return: its address as programmed (0 if not implemented).
 */
uint64_t hvd_pci_bar_addr(const struct hvd_pci_func *f, unsigned int n)
{
	unsigned int reg = PCI_BAR0 + 4 * n;

	switch (f->bar_type[n]) {
	case HVD_BAR_MEM32:
		return get(f->cfg, reg, 4) & ~0xfull;
	case HVD_BAR_MEM64:
		return (get(f->cfg, reg, 4) & ~0xfull) |
		       (uint64_t)get(f->cfg, reg + 4, 4) << 32;
	case HVD_BAR_IO:
		return get(f->cfg, reg, 4) & 0xfffc;
	default:
		return 0;
	}
}

/**
 * hvd_pci_bar_decoded() - whether BAR @n decodes accesses
 * @f: the function
 * @n: the BAR
 *
 * Return: true if its space is enabled and its address is neither zero
 * nor so high that the BAR wraps (as while it is being sized).
 */
bool hvd_pci_bar_decoded(const struct hvd_pci_func *f, unsigned int n)
{
	uint16_t cmd = get(f->cfg, PCI_COMMAND, 2);
	uint64_t addr = hvd_pci_bar_addr(f, n), size = f->bar_size[n];
	uint64_t limit;

	switch (f->bar_type[n]) {
	case HVD_BAR_MEM32:
		limit = 1ull << 32;
		if (!(cmd & PCI_CMD_MEMORY))
			return false;
		break;
	case HVD_BAR_MEM64:
		limit = 1ull << 52; /* beyond any guest-physical address */
		if (!(cmd & PCI_CMD_MEMORY))
			return false;
		break;
	case HVD_BAR_IO:
		limit = 1ull << 16;
		if (!(cmd & PCI_CMD_IO))
			return false;
		break;
	default:
		return false;
	}
	return addr && addr < limit && size <= limit - addr &&
	       addr + size != limit;
}

/**
 * hvd_pci_windows() - the ranges the function decodes now
 * @f: the function
 * @out: receives them
 * @max: entries of @out
 *
 * Return: entries written.
 */
unsigned int hvd_pci_windows(const struct hvd_pci_func *f,
			     struct hvd_range *out, unsigned int max)
{
	unsigned int n, nr = 0;

	for (n = 0; n < HVD_PCI_NR_BARS && nr < max; n++) {
		if (!hvd_pci_bar_decoded(f, n))
			continue;
		out[nr].space = f->bar_type[n] == HVD_BAR_IO ? HVD_PIO :
							       HVD_MMIO;
		out[nr].base = hvd_pci_bar_addr(f, n);
		out[nr].len = f->bar_size[n];
		nr++;
	}
	return nr;
}

/**
 * hvd_pci_bar_at() - the BAR that decodes @addr
 * @f: the function
 * @space: HVD_PIO or HVD_MMIO
 * @addr: the port or address
 * @off: receives the offset in the BAR
 *
 * Return: the BAR, or -1 if none decodes @addr.
 */
int hvd_pci_bar_at(const struct hvd_pci_func *f, enum hvd_space space,
		   uint64_t addr, uint64_t *off)
{
	unsigned int n;

	for (n = 0; n < HVD_PCI_NR_BARS; n++) {
		uint64_t base = hvd_pci_bar_addr(f, n);

		if (!hvd_pci_bar_decoded(f, n) ||
		    (f->bar_type[n] == HVD_BAR_IO) != (space == HVD_PIO))
			continue;
		if (addr >= base && addr - base < f->bar_size[n]) {
			*off = addr - base;
			return n;
		}
	}
	return -1;
}

/**
 * hvd_pci_msix_in() - whether @off in BAR @bar is the MSI-X table or PBA
 * @f: the function
 * @bar: the BAR
 * @off: the offset in it
 *
 * Return: true if the MSI-X code must handle the access.
 */
bool hvd_pci_msix_in(const struct hvd_pci_func *f, unsigned int bar,
		     uint64_t off)
{
	if (!f->msix_cap || bar != f->msix_bar)
		return false;
	return (off >= f->msix_table &&
		off - f->msix_table < f->msix_nr * PCI_MSIX_ENTRY_SIZE) ||
	       (off >= f->msix_pba &&
		off - f->msix_pba < 8 * ((f->msix_nr + 63) / 64));
}

/**
 * hvd_pci_msix_read() - a read of the MSI-X table or PBA
 * @f: the function
 * @off: the offset in the BAR (hvd_pci_msix_in() said yes)
 * @size: 4 or 8 bytes (PCIe 7.7.2: others are undefined; they read 0)
 *
 * Return: the value.
 */
uint64_t hvd_pci_msix_read(const struct hvd_pci_func *f, uint64_t off,
			   unsigned int size)
{
	uint64_t v;

	if ((size != 4 && size != 8) || (off & (size - 1)))
		return 0;
	/* Not in the table, so in the PBA, which may lie before it. */
	if (off < f->msix_table ||
	    off - f->msix_table >= f->msix_nr * PCI_MSIX_ENTRY_SIZE) {
		v = f->pba[(off - f->msix_pba) / 8];
		if (size == 4) /* either half alone */
			v = (uint32_t)(v >> (8 * ((off - f->msix_pba) & 4)));
		return v;
	}
	off -= f->msix_table;
	v = f->msix[off / 16][(off % 16) / 4];
	if (size == 8)
		v |= (uint64_t)f->msix[off / 16][(off % 16) / 4 + 1] << 32;
	return v;
}

static void msix_store(struct hvd_pci_func *f, unsigned int vec,
		       unsigned int dw, uint32_t v)
{
	if (dw == 0)
		v &= ~3u; /* message address: DWORD aligned */
	else if (dw == 3)
		v &= PCI_MSIX_CTRL_MASKBIT;
	f->msix[vec][dw] = v;
}

/**
 * hvd_pci_msix_write() - a write to the MSI-X table (the PBA is read-only)
 * @f: the function
 * @off: the offset in the BAR (hvd_pci_msix_in() said yes)
 * @size: 4 or 8 bytes; others are dropped
 * @val: the value
 *
 * Return: the vector whose entry the write reached, or -1.
 */
int hvd_pci_msix_write(struct hvd_pci_func *f, uint64_t off,
		       unsigned int size, uint64_t val)
{
	unsigned int vec, dw;

	if ((size != 4 && size != 8) || (off & (size - 1)) ||
	    off < f->msix_table ||
	    off - f->msix_table >= f->msix_nr * PCI_MSIX_ENTRY_SIZE)
		return -1;
	off -= f->msix_table;
	vec = off / 16;
	dw = (off % 16) / 4;
	msix_store(f, vec, dw, val);
	if (size == 8)
		msix_store(f, vec, dw + 1, val >> 32);
	return vec;
}

/**
 * hvd_pci_msix_enabled() - whether the guest enabled MSI-X
 * @f: the function
 *
 * Return: the capability's enable bit.
 */
bool hvd_pci_msix_enabled(const struct hvd_pci_func *f)
{
	return f->msix_cap &&
	       (get(f->cfg, f->msix_cap + 2, 2) & PCI_MSIX_ENABLE);
}

/**
 * hvd_pci_msix_masked() - whether vector @vec may not send now
 * @f: the function
 * @vec: the vector
 *
 * Return: true if MSI-X is off, the function is masked, the vector is
 * masked or out of range.
 */
bool hvd_pci_msix_masked(const struct hvd_pci_func *f, unsigned int vec)
{
	if (!hvd_pci_msix_enabled(f) || vec >= f->msix_nr)
		return true;
	return (get(f->cfg, f->msix_cap + 2, 2) & PCI_MSIX_MASKALL) ||
	       (f->msix[vec][3] & PCI_MSIX_CTRL_MASKBIT);
}

/**
 * hvd_pci_msix_msg() - vector @vec's message
 * @f: the function
 * @vec: the vector, below msix_nr
 * @addr: receives the message address
 * @data: receives the message data
 */
void hvd_pci_msix_msg(const struct hvd_pci_func *f, unsigned int vec,
		      uint64_t *addr, uint32_t *data)
{
	*addr = f->msix[vec][0] | (uint64_t)f->msix[vec][1] << 32;
	*data = f->msix[vec][2];
}

/**
 * hvd_pci_msix_set_pending() - set or clear vector @vec's pending bit
 * @f: the function
 * @vec: the vector (out of range: nothing)
 * @pending: its new state
 */
void hvd_pci_msix_set_pending(struct hvd_pci_func *f, unsigned int vec,
			      bool pending)
{
	if (vec >= f->msix_nr)
		return;
	if (pending)
		f->pba[vec / 64] |= 1ull << (vec % 64);
	else
		f->pba[vec / 64] &= ~(1ull << (vec % 64));
}

/**
 * hvd_pci_msix_pending() - vector @vec's pending bit
 * @f: the function
 * @vec: the vector
 *
 * Return: whether a message waits for the vector's unmasking.
 */
bool hvd_pci_msix_pending(const struct hvd_pci_func *f, unsigned int vec)
{
	return vec < f->msix_nr && (f->pba[vec / 64] >> (vec % 64) & 1);
}
