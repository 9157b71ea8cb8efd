/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PCI function's configuration space (type 0 header), its base address
 * registers and its MSI-X table: the part every PCI device model shares.
 * A model embeds one struct hvd_pci_func and forwards its configuration
 * cycles and the accesses to its MSI-X BAR region here.
 */
#ifndef HVD_PCI_H
#define HVD_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "devmodel.h"

#define HVD_PCI_CFG_SIZE	256
#define HVD_PCI_NR_BARS		6
#define HVD_PCI_MSIX_MAX	64

/* PCI Local Bus Specification 3.0, 6.2 and 6.8.2. */
#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION_ID		0x08
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d
#define PCI_CMD_IO		0x0001
#define PCI_CMD_MEMORY		0x0002
#define PCI_CMD_MASTER		0x0004
#define PCI_CMD_SERR		0x0100
#define PCI_CMD_INTX_DISABLE	0x0400
#define PCI_STATUS_CAP_LIST	0x0010
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11
#define PCI_MSIX_ENABLE		0x8000
#define PCI_MSIX_MASKALL	0x4000
#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_CTRL_MASKBIT	0x1

/**
 * enum hvd_pci_bar_type - what a BAR decodes
 * @HVD_BAR_NONE: not implemented (reads 0)
 * @HVD_BAR_MEM32: 32-bit memory space, non-prefetchable
 * @HVD_BAR_MEM64: 64-bit memory space (takes this BAR and the next)
 * @HVD_BAR_IO: I/O space
 */
enum hvd_pci_bar_type {
	HVD_BAR_NONE,
	HVD_BAR_MEM32,
	HVD_BAR_MEM64,
	HVD_BAR_IO,
};

/* What a configuration write changed, for the model to act on. */
#define HVD_PCI_CHANGED_MAP	0x1	/* decoding or a BAR's address */
#define HVD_PCI_CHANGED_MSIX	0x2	/* MSI-X enable or function mask */

/**
 * struct hvd_pci_func - one PCI function
 * @cfg: configuration space as the guest reads it
 * @reset_cfg: @cfg at power-on, as hvd_pci_seal() saved it
 * @wmask: bits of @cfg the guest may write
 * @w1c: bits of @cfg a written one clears
 * @bar_type: each BAR's type
 * @bar_size: each BAR's size (a power of two), 0 if none
 * @cap_end: the next free offset for a capability
 * @cap_last: offset of the last capability's next pointer
 * @msix_cap: offset of the MSI-X capability, 0 if none
 * @msix_bar: the BAR holding the table and the PBA
 * @msix_table: the table's offset in that BAR
 * @msix_pba: the PBA's offset in that BAR
 * @msix_nr: table entries
 * @msix: the table (address low, high, data, vector control)
 * @pba: pending bits
 */
struct hvd_pci_func {
	uint8_t cfg[HVD_PCI_CFG_SIZE];
	uint8_t reset_cfg[HVD_PCI_CFG_SIZE];
	uint8_t wmask[HVD_PCI_CFG_SIZE];
	uint8_t w1c[HVD_PCI_CFG_SIZE];
	uint8_t bar_type[HVD_PCI_NR_BARS];
	uint64_t bar_size[HVD_PCI_NR_BARS];
	unsigned int cap_end;
	unsigned int cap_last;
	unsigned int msix_cap;
	unsigned int msix_bar;
	uint32_t msix_table;
	uint32_t msix_pba;
	unsigned int msix_nr;
	uint32_t msix[HVD_PCI_MSIX_MAX][4];
	uint64_t pba[HVD_PCI_MSIX_MAX / 64];
};

void hvd_pci_init(struct hvd_pci_func *f, uint16_t vendor, uint16_t device,
		  uint32_t class_rev, uint16_t subsys_vendor,
		  uint16_t subsys_id);
void hvd_pci_set_bar(struct hvd_pci_func *f, unsigned int n,
		     enum hvd_pci_bar_type type, uint64_t size, uint64_t addr);
unsigned int hvd_pci_add_cap(struct hvd_pci_func *f, uint8_t id,
			     unsigned int len);
int hvd_pci_add_msix(struct hvd_pci_func *f, unsigned int nr,
		     unsigned int bar, uint32_t table, uint32_t pba);
void hvd_pci_seal(struct hvd_pci_func *f);
void hvd_pci_reset(struct hvd_pci_func *f);
uint32_t hvd_pci_cfg_read(const struct hvd_pci_func *f, unsigned int reg,
			  unsigned int size);
unsigned int hvd_pci_cfg_write(struct hvd_pci_func *f, unsigned int reg,
			       unsigned int size, uint32_t val);
uint64_t hvd_pci_bar_addr(const struct hvd_pci_func *f, unsigned int n);
bool hvd_pci_bar_decoded(const struct hvd_pci_func *f, unsigned int n);
unsigned int hvd_pci_windows(const struct hvd_pci_func *f,
			     struct hvd_range *out, unsigned int max);
int hvd_pci_bar_at(const struct hvd_pci_func *f, enum hvd_space space,
		   uint64_t addr, uint64_t *off);
bool hvd_pci_msix_in(const struct hvd_pci_func *f, unsigned int bar,
		     uint64_t off);
uint64_t hvd_pci_msix_read(const struct hvd_pci_func *f, uint64_t off,
			   unsigned int size);
int hvd_pci_msix_write(struct hvd_pci_func *f, uint64_t off,
		       unsigned int size, uint64_t val);
bool hvd_pci_msix_enabled(const struct hvd_pci_func *f);
bool hvd_pci_msix_masked(const struct hvd_pci_func *f, unsigned int vec);
void hvd_pci_msix_msg(const struct hvd_pci_func *f, unsigned int vec,
		      uint64_t *addr, uint32_t *data);
void hvd_pci_msix_set_pending(struct hvd_pci_func *f, unsigned int vec,
			      bool pending);
bool hvd_pci_msix_pending(const struct hvd_pci_func *f, unsigned int vec);

#endif /* HVD_PCI_H */
