// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's firmware configuration device, legacy I/O interface only
 * (docs/specs/fw_cfg.rst, hw/nvram/fw_cfg.c, include/standard-headers/
 * linux/qemu_fw_cfg.h): a 16-bit write to the selector port 0x510 picks
 * an item and rewinds it, byte reads of the data port 0x511 stream it,
 * and past its end read 0. Only the items a guest may probe without a
 * firmware are offered: the signature, the feature bitmap (traditional
 * interface, no DMA: the DMA port 0x514 is not decoded), a zero UUID, the
 * RAM size, "no graphics", the CPU counts and an empty file directory.
 * Every other selector, arch-local ones (0x8000) included, reads 0; the
 * write channel bit (0x4000) is ignored, as QEMU reads with it masked.
 *
 * As in QEMU, both ports are one two-byte "comb" region: a byte read of
 * either port reads data, a 16-bit write at 0x510 selects, byte writes
 * are ignored (write support was removed in QEMU 2.4), and a 16-bit read
 * is rejected (fw_cfg_comb_valid()) and reads 0. QEMU's memory core cuts
 * a wider access at the end of the region: a 32-bit write at 0x510 selects
 * with its low half, an access at 0x511 is a byte access there, and the
 * bytes beyond 0x511 belong to ports that decode nothing (all ones).
 */
#include <stdint.h>
#include <string.h>

#include "devmodel.h"

#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_UUID 0x02
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NOGRAPHIC 0x04
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_MAX_CPUS 0x0f
#define FW_CFG_FILE_DIR 0x19

#define FW_CFG_VERSION 0x01 /* FW_CFG_ID: traditional interface */
#define FW_CFG_WRITE_CHANNEL 0x4000

#define NR_ITEMS 8
#define ITEM_MAX 16 /* the UUID is the longest */
#define MAX_LOGS 4

/**
 * struct fw_item - one item's bytes, as the guest reads them
 * @key: its selector
 * @len: bytes of @data
 * @data: the item
 */
struct fw_item {
	uint16_t key;
	uint8_t len;
	uint8_t data[ITEM_MAX];
};

/**
 * struct fw_cfg - the device's state
 * @svc: the worker's services
 * @items: the items offered, built from the configuration at create()
 * @cur: the selected item, or NULL if the selector names none
 * @offset: the next byte of @cur the data port returns
 * @logs: log lines written (rate limit)
 */
struct fw_cfg {
	const struct hvd_services *svc;
	struct fw_item items[NR_ITEMS];
	const struct fw_item *cur;
	unsigned int offset;
	unsigned int logs;
};

static void put_le(struct fw_item *it, uint16_t key, uint64_t val,
		   unsigned int len)
{
	unsigned int i;

	it->key = key;
	it->len = len;
	for (i = 0; i < len; i++)
		it->data[i] = val >> (8 * i);
}

static void select_item(struct fw_cfg *f, uint16_t key)
{
	unsigned int i;

	/* QEMU reads an item through its key less the write channel bit. */
	key &= ~FW_CFG_WRITE_CHANNEL;
	f->cur = NULL;
	f->offset = 0;
	for (i = 0; i < NR_ITEMS; i++) {
		if (f->items[i].key == key) {
			f->cur = &f->items[i];
			break;
		}
	}
}

static uint8_t read_data(struct fw_cfg *f)
{
	if (!f->cur || f->offset >= f->cur->len)
		return 0;
	return f->cur->data[f->offset++];
}

static void fw_cfg_reset(void *priv)
{
	/* fw_cfg_reset(): the signature is selected at power-on. */
	select_item(priv, FW_CFG_SIGNATURE);
}

static int fw_cfg_create(void *priv, const struct hvd_services *svc,
			 const struct hvd_config *cfg)
{
	struct fw_cfg *f = priv;
	struct fw_item *it = f->items;

	f->svc = svc;
	/* Items are little-endian (fw_cfg_add_i16/i32/i64) ... */
	it->key = FW_CFG_SIGNATURE;
	it->len = 4;
	memcpy(it->data, "QEMU", 4);
	put_le(++it, FW_CFG_ID, FW_CFG_VERSION, 4);
	(++it)->key = FW_CFG_UUID;
	it->len = 16;
	put_le(++it, FW_CFG_RAM_SIZE, cfg->ram_size, 8);
	put_le(++it, FW_CFG_NOGRAPHIC, 1, 2);
	put_le(++it, FW_CFG_NB_CPUS, cfg->nr_vcpus, 2);
	/* No CPU hotplug: the most CPUs the guest will see are those. */
	put_le(++it, FW_CFG_MAX_CPUS, cfg->nr_vcpus, 2);
	/* ... but the file directory's count is big-endian (FWCfgFiles). */
	(++it)->key = FW_CFG_FILE_DIR;
	it->len = 4;
	fw_cfg_reset(f);
	return 0;
}

static void junk(struct fw_cfg *f, const char *what, unsigned int size)
{
	if (f->logs < MAX_LOGS) {
		f->logs++;
		hvd_dev_log(f->svc, HVD_LOG_WARNING, "ignored %u-byte %s", size,
			    what);
	}
}

static uint64_t fw_cfg_read(void *priv, enum hvd_space space, uint64_t addr,
			    unsigned int size)
{
	struct fw_cfg *f = priv;
	uint64_t ones = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;

	if (size == 1)
		return read_data(f);
	if (addr == HVD_FW_CFG_PORT + 1)
		return (ones & ~0xffull) | read_data(f);
	junk(f, "read of the selector", size);
	return ones & ~0xffffull;
}

static void fw_cfg_write(void *priv, enum hvd_space space, uint64_t addr,
			 unsigned int size, uint64_t val)
{
	if (addr == HVD_FW_CFG_PORT && size >= 2)
		select_item(priv, val & 0xffff);
}

static const struct hvd_range fw_cfg_ranges[] = {
	{ HVD_PIO, HVD_FW_CFG_PORT, 2 },
};

const struct hvd_model fw_cfg_model = {
	.name = "fw_cfg",
	.priv_size = sizeof(struct fw_cfg),
	.ranges = fw_cfg_ranges,
	.nr_ranges = 1,
	.create = fw_cfg_create,
	.reset = fw_cfg_reset,
	.read = fw_cfg_read,
	.write = fw_cfg_write,
};
