// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge's configuration mechanism #1 at ports 0xcf8-0xcff
 * (PCI Local Bus Specification 3.0, 3.2.2.3.2) and the reset control
 * register at 0xcf9 that PC chipsets put in the middle of it.
 *
 * CONFIG_ADDRESS is the dword at 0xcf8 and only a 32-bit access reaches
 * it; the spec passes every narrower access to 0xcf8-0xcfb through as a
 * normal I/O cycle, so such an access is split into byte lanes, of which
 * only 0xcf9 decodes anything. CONFIG_DATA is 0xcfc-0xcff, any size, the
 * port's low two bits adding to the register number. A read with the
 * enable bit clear, or of a function nothing implements, ends in a master
 * abort and reads all ones; such writes are dropped.
 *
 * Bus 0 holds one device: 00:00.0, a host bridge with the identity of the
 * Intel 82441FX (440FX PMC, 8086:1237 rev 02), as QEMU's "pc" machine
 * shows it, so Linux applies only what it does under QEMU (quirk_natoma,
 * harmless without a PCI bus master). Its header is read-only but for the
 * command register's parity error response and SERR# enable; memory and
 * bus-master enable read 1 (PCICMD 0006h, PCISTS 0280h as the 82441FX's
 * defaults), and there are no BARs, capabilities or chipset registers
 * (PAM, SMRAM: 0x50 and up read 0). The worker's other PCI functions
 * (the virtio devices) are behind the pci_cfg_read and pci_cfg_write
 * services, which see each access whole; other buses are empty.
 *
 * 0xcf9 is RST_CNT (Intel PIIX4 "RC", ICH "Reset Control Register"), the
 * FADT's RESET_REG: a write with RST_CPU (bit 2) set resets the machine,
 * hard or soft (SYS_RST, bit 1) alike, since the VM has no difference;
 * SYS_RST and FULL_RST (bit 3) read back, as Linux's CF9 reboot reads the
 * register before it writes it.
 */
#include <stdint.h>

#include "devmodel.h"

#define CF8 0xcf8
#define CFC 0xcfc
#define NR_PORTS 8

#define ADDR_ENABLE 0x80000000u
#define ADDR_MASK 0x80fffffcu /* 30:24 and 1:0 are reserved, 0 */

#define RST_SYS 0x02
#define RST_CPU 0x04
#define RST_FULL 0x08

#define HOST_ID 0x12378086u /* device 1237h, vendor 8086h */
#define HOST_CLASS_REV 0x06000002u /* host bridge 06 00 00, rev 02 */
#define HOST_STATUS 0x0280u /* fast back-to-back, DEVSEL medium */
#define CMD_FIXED 0x0006u /* memory space, bus master */
#define CMD_WMASK 0x0140u /* SERR# enable, parity error resp. */

/**
 * struct pci_host - the host bridge's state
 * @svc: the worker's services
 * @addr: CONFIG_ADDRESS
 * @command: 00:00.0's command register
 * @rst_cnt: RST_CNT's stored bits
 */
struct pci_host {
	const struct hvd_services *svc;
	uint32_t addr;
	uint16_t command;
	uint8_t rst_cnt;
};

static void pci_host_reset(void *priv)
{
	struct pci_host *p = priv;

	p->addr = 0;
	p->command = CMD_FIXED;
	p->rst_cnt = 0;
}

static int pci_host_create(void *priv, const struct hvd_services *svc,
			   const struct hvd_config *cfg)
{
	struct pci_host *p = priv;

	p->svc = svc;
	pci_host_reset(p);
	return 0;
}

/*
 * The register CONFIG_DATA's byte @lane reaches, or -1 if the cycle ends
 * in a master abort: enable clear, a bus, device or function not there.
 */
static int config_reg(const struct pci_host *p, unsigned int lane)
{
	if (!(p->addr & ADDR_ENABLE) || (p->addr & 0x00ffff00u))
		return -1;
	return (p->addr & 0xfc) | lane;
}

static uint8_t config_read(const struct pci_host *p, unsigned int lane)
{
	int reg = config_reg(p, lane);
	uint32_t dword;

	if (reg < 0)
		return 0xff;
	switch (reg & ~3) {
	case 0x00:
		dword = HOST_ID;
		break;
	case 0x04:
		dword = HOST_STATUS << 16 | p->command;
		break;
	case 0x08:
		dword = HOST_CLASS_REV;
		break;
	default:
		/* Header type 0, single function; nothing else is there. */
		dword = 0;
		break;
	}
	return dword >> (8 * (reg & 3));
}

static void config_write(struct pci_host *p, unsigned int lane, uint8_t val)
{
	int reg = config_reg(p, lane);
	unsigned int shift;
	uint16_t mask;

	if (reg != 0x04 && reg != 0x05)
		return;
	shift = 8 * (reg - 0x04);
	mask = CMD_WMASK & (0xffu << shift);
	p->command = (p->command & ~mask) | ((val << shift) & mask) | CMD_FIXED;
}

static uint8_t port_read(struct pci_host *p, uint64_t port)
{
	if (port == HVD_RESET_PORT)
		return p->rst_cnt;
	if (port >= CFC && port < CF8 + NR_PORTS)
		return config_read(p, port - CFC);
	/* 0xcf8, 0xcfa, 0xcfb as bytes, and ports past 0xcff. */
	return 0xff;
}

static void port_write(struct pci_host *p, uint64_t port, uint8_t val)
{
	if (port == HVD_RESET_PORT) {
		p->rst_cnt = val & (RST_SYS | RST_FULL);
		if (val & RST_CPU)
			p->svc->request(p->svc->ctx, HVD_REQ_RESET, 0);
	} else if (port >= CFC && port < CF8 + NR_PORTS) {
		config_write(p, port - CFC, val);
	}
}

/*
 * The function and register a CONFIG_DATA access of @size bytes at @port
 * reaches if that is a function other than the host bridge on bus 0; -1
 * otherwise (the byte lanes then take it).
 */
static int other_function(const struct pci_host *p, uint64_t port,
			  unsigned int size, unsigned int *reg)
{
	unsigned int devfn = (p->addr >> 8) & 0xff;

	if (!(p->addr & ADDR_ENABLE) || (p->addr & 0x00ff0000u) || !devfn ||
	    port < CFC || port + size > CFC + 4 || size > 4)
		return -1;
	*reg = (p->addr & 0xfc) | (port - CFC);
	return devfn;
}

static uint64_t pci_host_read(void *priv, enum hvd_space space, uint64_t addr,
			      unsigned int size)
{
	struct pci_host *p = priv;
	unsigned int i, reg;
	uint64_t val = 0;
	int devfn;

	if (addr == CF8 && size == 4)
		return p->addr;
	devfn = other_function(p, addr, size, &reg);
	if (devfn > 0)
		return p->svc->pci_cfg_read(p->svc->ctx, devfn, reg, size) &
		       (0xffffffffu >> (32 - 8 * size));
	for (i = 0; i < size; i++)
		val |= (uint64_t)port_read(p, addr + i) << (8 * i);
	return val;
}

static void pci_host_write(void *priv, enum hvd_space space, uint64_t addr,
			   unsigned int size, uint64_t val)
{
	struct pci_host *p = priv;
	unsigned int i, reg;
	int devfn;

	if (addr == CF8 && size == 4) {
		p->addr = val & ADDR_MASK;
		return;
	}
	devfn = other_function(p, addr, size, &reg);
	if (devfn > 0) {
		p->svc->pci_cfg_write(p->svc->ctx, devfn, reg, size, val);
		return;
	}
	for (i = 0; i < size; i++)
		port_write(p, addr + i, val >> (8 * i));
}

static const struct hvd_range pci_host_ranges[] = {
	{ HVD_PIO, CF8, NR_PORTS },
};

const struct hvd_model pci_host_model = {
	.name = "pci_host",
	.priv_size = sizeof(struct pci_host),
	.ranges = pci_host_ranges,
	.nr_ranges = 1,
	.create = pci_host_create,
	.reset = pci_host_reset,
	.read = pci_host_read,
	.write = pci_host_write,
};
