// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of virtio-rng (daemon/dev/virtio_rng.c) and, through it, of
 * the virtio-PCI transport (daemon/dev/virtio_pci.c) it shares with every
 * virtio model: the function's identity and capabilities, the
 * VIRTIO_PCI_CAP_PCI_CFG window, feature negotiation, requests filled and
 * returned with their exact length, MSI-X interrupts through irqfds
 * (masked ones pending until unmasked), the ioeventfd of the notification
 * address following BAR 0, DEVICE_NEEDS_RESET for a broken driver, and
 * both resets. A fake driver (virtio_driver.c) does what Linux does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dev/virtio_pci.h"
#include "fake_services.h"
#include "virtio_driver.h"

extern const struct hvd_model virtio_rng_model;

/* Slot 1, as the worker places the first PCI function. */
#define BAR_BASE	(HVD_PCI_HOLE_START + HVD_PCI_BAR_WINDOW)
#define BAR_SIZE	0x8000ull
#define NOTIFY		0x3000ull
#define QSIZE		64

#define F_INDIRECT	(1ull << 28)
#define F_EVENT_IDX	(1ull << 29)
#define F_VERSION_1	(1ull << 32)

#define S_UP		(VDRV_S_ACKNOWLEDGE | VDRV_S_DRIVER | \
			 VDRV_S_FEATURES_OK | VDRV_S_DRIVER_OK)

/* The VIRTIO_PCI_CAP_PCI_CFG capability, and its fields. */
#define PCI_CFG_CAP	0x74
#define WIN_BAR		(PCI_CFG_CAP + 4)
#define WIN_OFFSET	(PCI_CFG_CAP + 8)
#define WIN_LENGTH	(PCI_CFG_CAP + 12)
#define WIN_DATA	(PCI_CFG_CAP + 16)

static const struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = FAKE_MEM_SIZE,
	.ram_below_4g = FAKE_MEM_SIZE,
	.devfn = 1 << 3,
	.bar_base = BAR_BASE,
};

static void *dev;
static struct vdrv d;

static int setup_created(void **state)
{
	fake_reset();
	dev = calloc(1, virtio_rng_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(virtio_rng_model.create(dev, &fake_svc, &cfg), 0);
	d = (struct vdrv){ .m = &virtio_rng_model, .dev = dev };
	return 0;
}

static int setup(void **state)
{
	setup_created(state);
	vdrv_attach(&d, &virtio_rng_model, dev);
	return 0;
}

/* Destroy leaves no eventfd registered anywhere. */
static int teardown(void **state)
{
	virtio_rng_model.destroy(dev);
	free(dev);
	assert_int_equal(fake_fd_count(fake.watches), 0);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	assert_int_equal(fake_fd_count(fake.irqfds), 0);
	return 0;
}

static uint32_t cfg_read(unsigned int reg, unsigned int size)
{
	return virtio_rng_model.cfg_read(dev, reg, size);
}

static void cfg_write(unsigned int reg, unsigned int size, uint32_t val)
{
	virtio_rng_model.cfg_write(dev, reg, size, val);
}

/* A chain at @head of one device-writable buffer of @len bytes at @buf. */
static void request(uint16_t head, uint64_t buf, uint32_t len)
{
	vdrv_desc(&d, 0, head, buf, len, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, head);
}

static void expect_used(uint32_t head, uint32_t len)
{
	uint32_t id, n;

	assert_true(vdrv_used(&d, 0, &id, &n));
	assert_int_equal(id, head);
	assert_int_equal(n, len);
}

static void expect_none_used(void)
{
	uint32_t id, n;

	assert_false(vdrv_used(&d, 0, &id, &n));
}

static unsigned int nonzero(uint64_t gpa, size_t len)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n += fake.mem[gpa + i] != 0;
	return n;
}

/* ---- identity and capabilities ----------------------------------------- */

static void test_identity(void **state)
{
	struct hvd_range w[6];

	/* Non-transitional: 0x1040 + 4, revision 1 (virtio 1.2, 4.1.2.1). */
	assert_int_equal(cfg_read(0x00, 4), 0x10441af4);
	assert_int_equal(cfg_read(0x04, 4), 0x00100000);
	assert_int_equal(cfg_read(0x08, 4), 0xff000001);
	assert_int_equal(cfg_read(0x0c, 4), 0);
	assert_int_equal(cfg_read(0x10, 4), BAR_BASE);
	assert_int_equal(cfg_read(0x14, 4), 0);
	assert_int_equal(cfg_read(0x24, 4), 0);
	assert_int_equal(cfg_read(0x2c, 4), 0x11001af4);
	assert_int_equal(cfg_read(0x34, 1), 0x40);
	assert_int_equal(cfg_read(0x3c, 4), 0);

	/* 32 KiB of 32-bit memory. */
	cfg_write(0x10, 4, 0xffffffff);
	assert_int_equal(cfg_read(0x10, 4), 0xffff8000);
	cfg_write(0x10, 4, BAR_BASE);

	assert_int_equal(virtio_rng_model.windows(dev, w, 6), 0);
	cfg_write(0x04, 2, 0x0006);
	assert_int_equal(virtio_rng_model.windows(dev, w, 6), 1);
	assert_int_equal(w[0].space, HVD_MMIO);
	assert_int_equal(w[0].base, BAR_BASE);
	assert_int_equal(w[0].len, BAR_SIZE);
	/* Nothing claimed besides BAR 0. */
	assert_int_equal(virtio_rng_model.nr_ranges, 0);
}

static void assert_cap(unsigned int type, unsigned int pos, unsigned int len,
		       uint32_t offset, uint32_t length)
{
	assert_int_equal(d.caps[type].pos, pos);
	assert_int_equal(d.caps[type].len, len);
	assert_int_equal(d.caps[type].bar, 0);
	assert_int_equal(d.caps[type].offset, offset);
	assert_int_equal(d.caps[type].length, length);
}

static void test_caps(void **state)
{
	vdrv_attach(&d, &virtio_rng_model, dev);
	assert_cap(VDRV_CAP_COMMON, 0x40, 16, 0x0000, 0x38);
	assert_cap(VDRV_CAP_NOTIFY, 0x50, 20, 0x3000, 4);
	assert_int_equal(d.notify_mult, 4);
	assert_cap(VDRV_CAP_ISR, 0x64, 16, 0x1000, 1);
	/* virtio-rng has no device configuration: no such capability. */
	assert_int_equal(d.caps[VDRV_CAP_DEVICE].pos, 0);
	assert_cap(VDRV_CAP_PCI_CFG, PCI_CFG_CAP, 20, 0, 0);
	assert_int_equal(d.msix, 0x88);
	assert_int_equal(d.msix_nr, 2);
	assert_int_equal(d.msix_table, 0x4000);
	assert_int_equal(d.msix_pba, 0x5000);

	/* The chain, dword by dword: id, next, cap_len, cfg_type. */
	assert_int_equal(cfg_read(0x40, 4), 0x01105009);
	assert_int_equal(cfg_read(0x50, 4), 0x02146409);
	assert_int_equal(cfg_read(0x64, 4), 0x03107409);
	assert_int_equal(cfg_read(0x74, 4), 0x05148809);
	assert_int_equal(cfg_read(0x88, 4), 0x00010011);
	assert_int_equal(cfg_read(0x8c, 4), 0x4000);
	assert_int_equal(cfg_read(0x90, 4), 0x5000);
	/* The capabilities' bodies are read-only. */
	cfg_write(0x48, 4, 0xffffffff);
	cfg_write(0x60, 4, 0xffffffff);
	assert_int_equal(cfg_read(0x48, 4), 0);
	assert_int_equal(cfg_read(0x60, 4), 4);

	/* Attaching enabled memory decoding and bus mastering. */
	assert_int_equal(cfg_read(0x04, 2), 0x0006);
	assert_int_equal(vdrv_common_read(&d, VDRV_NUM_QUEUES, 2), 1);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_SIZE, 2), QSIZE);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_NOTIFY_OFF, 2), 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_MSIX, 2), VDRV_NO_VECTOR);
	assert_int_equal(vdrv_common_read(&d, VDRV_MSIX_CONFIG, 2),
			 VDRV_NO_VECTOR);
	/* A queue that does not exist: reads 0 and takes nothing. */
	vdrv_common_write(&d, VDRV_Q_SELECT, 2, 1);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_SELECT, 2), 1);
	vdrv_common_write(&d, VDRV_Q_SIZE, 2, 16);
	vdrv_common_write(&d, VDRV_Q_DESC, 4, 0x1000);
	vdrv_common_write(&d, VDRV_Q_MSIX, 2, 1);
	vdrv_common_write(&d, VDRV_Q_ENABLE, 2, 1);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_SIZE, 2), 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_MSIX, 2), VDRV_NO_VECTOR);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_ENABLE, 2), 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_DESC, 4), 0);
	assert_int_equal(vdrv_status(&d), 0);
	/* Past the common configuration, no device configuration, notify: 0. */
	assert_int_equal(vdrv_read(&d, 0x38, 4), 0);
	assert_int_equal(vdrv_read(&d, 0x2000, 4), 0);
	assert_int_equal(vdrv_read(&d, NOTIFY, 2), 0);
	/* Outside BAR 0: nothing of this device. */
	assert_int_equal(virtio_rng_model.read(dev, HVD_MMIO,
					       BAR_BASE + BAR_SIZE, 4),
			 ~0ull);
}

static void window(uint8_t bar, uint32_t offset, uint32_t length)
{
	cfg_write(WIN_BAR, 1, bar);
	cfg_write(WIN_OFFSET, 4, offset);
	cfg_write(WIN_LENGTH, 4, length);
}

static void test_pci_cfg_window(void **state)
{
	/* 4.1.4.9: it works without memory decoding, as firmware uses it. */
	cfg_write(0x04, 2, 0);
	assert_int_equal(vdrv_read(&d, VDRV_STATUS, 1), 0xff);

	window(0, 0x14, 1);
	assert_int_equal(cfg_read(WIN_BAR, 1), 0);
	assert_int_equal(cfg_read(WIN_OFFSET, 4), 0x14);
	assert_int_equal(cfg_read(WIN_LENGTH, 4), 1);
	assert_int_equal(cfg_read(WIN_DATA, 1), 0);
	cfg_write(WIN_DATA, 1, VDRV_S_ACKNOWLEDGE);
	assert_int_equal(cfg_read(WIN_DATA, 1), VDRV_S_ACKNOWLEDGE);

	/* device_feature_select, then device_feature: VERSION_1. */
	window(0, 0x00, 4);
	cfg_write(WIN_DATA, 4, 1);
	window(0, 0x04, 4);
	assert_int_equal(cfg_read(WIN_DATA, 4), 1);
	/* num_queues, and one byte of it. */
	window(0, 0x12, 2);
	assert_int_equal(cfg_read(WIN_DATA, 2), 1);
	assert_int_equal(cfg_read(WIN_DATA, 4), 1);
	assert_int_equal(cfg_read(WIN_DATA + 1, 1), 0);
	/* The MSI-X table, too. */
	window(0, 0x4000, 4);
	cfg_write(WIN_DATA, 4, 0xfee00000);
	assert_int_equal(cfg_read(WIN_DATA, 4), 0xfee00000);

	/* Not BAR 0, a length not 1, 2 or 4, misaligned, past the BAR. */
	window(1, 0x14, 1);
	cfg_write(WIN_DATA, 1, 0xff);
	window(0, 0x14, 3);
	cfg_write(WIN_DATA, 4, 0xff);
	window(0, 0x13, 2);
	cfg_write(WIN_DATA, 2, 0xffff);
	window(0, BAR_SIZE, 4);
	cfg_write(WIN_DATA, 4, 0xffffffff);

	cfg_write(0x04, 2, 0x0006);
	assert_int_equal(vdrv_status(&d), VDRV_S_ACKNOWLEDGE);
	assert_int_equal(vdrv_common_read(&d, VDRV_DFSELECT, 4), 1);
	assert_int_equal(vdrv_read(&d, 0x4000, 4), 0xfee00000);
	assert_int_equal(vdrv_read(&d, 0x4004, 4), 0);
}

/*
 * 4.1.4.9.1: the device uses the first cap.length bytes of pci_cfg_data,
 * whatever the width of the configuration write that filled it.
 */
static void test_pci_cfg_window_widths(void **state)
{
	vdrv_msix_enable(&d);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1), 0x0b);
	vdrv_queue_setup(&d, 0, QSIZE, VDRV_NO_VECTOR);

	window(0, VDRV_MSIX_CONFIG, 2);
	cfg_write(WIN_DATA, 4, 0xffff0001);
	assert_int_equal(vdrv_common_read(&d, VDRV_MSIX_CONFIG, 2), 1);
	window(0, VDRV_Q_MSIX, 2);
	cfg_write(WIN_DATA, 4, 0xffff0000);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_MSIX, 2), 0);
	window(0, VDRV_Q_ENABLE, 2);
	cfg_write(WIN_DATA, 4, 0x12340001);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_ENABLE, 2), 1);
	/* A byte of a 4-byte window: the other three as last written. */
	window(0, VDRV_GFSELECT, 4);
	cfg_write(WIN_DATA, 4, 0);
	window(0, VDRV_DFSELECT, 4);
	cfg_write(WIN_DATA + 1, 1, 0x01);
	cfg_write(WIN_DATA, 1, 0x02);
	assert_int_equal(vdrv_common_read(&d, VDRV_DFSELECT, 4), 0x0102);
	assert_int_equal(vdrv_common_read(&d, VDRV_GFSELECT, 4), 0);
	assert_int_equal(vdrv_status(&d), 0x0b);
}

/* ---- features ---------------------------------------------------------- */

static void test_features(void **state)
{
	assert_int_equal(vdrv_device_features(&d),
			 F_VERSION_1 | F_EVENT_IDX | F_INDIRECT);
	vdrv_common_write(&d, VDRV_DFSELECT, 4, 2);
	assert_int_equal(vdrv_common_read(&d, VDRV_DF, 4), 0);

	/* 2.2.2 and 6.1: not without VERSION_1, nor with what not offered. */
	assert_int_equal(vdrv_negotiate(&d, 0), 0x03);
	assert_int_equal(vdrv_negotiate(&d, F_INDIRECT), 0x03);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1 | 1), 0x03);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1 | 1ull << 40), 0x03);

	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1 | F_INDIRECT), 0x0b);
	vdrv_common_write(&d, VDRV_GFSELECT, 4, 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_GF, 4), 1u << 28);
	vdrv_common_write(&d, VDRV_GFSELECT, 4, 1);
	assert_int_equal(vdrv_common_read(&d, VDRV_GF, 4), 1);
	/* Fixed once FEATURES_OK is set (3.1.1). */
	vdrv_common_write(&d, VDRV_GFSELECT, 4, 0);
	vdrv_common_write(&d, VDRV_GF, 4, 1u << 29);
	assert_int_equal(vdrv_common_read(&d, VDRV_GF, 4), 1u << 28);
	vdrv_common_write(&d, VDRV_GFSELECT, 4, 2);
	assert_int_equal(vdrv_common_read(&d, VDRV_GF, 4), 0);

	/* Vectors past the table's: none (4.1.4.3, 4.1.5.1.2). */
	vdrv_common_write(&d, VDRV_MSIX_CONFIG, 2, 1);
	assert_int_equal(vdrv_common_read(&d, VDRV_MSIX_CONFIG, 2), 1);
	vdrv_common_write(&d, VDRV_MSIX_CONFIG, 2, 2);
	assert_int_equal(vdrv_common_read(&d, VDRV_MSIX_CONFIG, 2),
			 VDRV_NO_VECTOR);
	vdrv_common_write(&d, VDRV_Q_SELECT, 2, 0);
	vdrv_common_write(&d, VDRV_Q_MSIX, 2, 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_MSIX, 2), 0);
	vdrv_common_write(&d, VDRV_Q_MSIX, 2, 2);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_MSIX, 2), VDRV_NO_VECTOR);

	/* A reset forgets them. */
	vdrv_reset(&d);
	vdrv_common_write(&d, VDRV_GFSELECT, 4, 1);
	assert_int_equal(vdrv_common_read(&d, VDRV_GF, 4), 0);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1), 0x0b);
}

/* ---- requests and interrupts ------------------------------------------- */

static void test_request(void **state)
{
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	assert_int_equal(vdrv_isr(&d), 0);

	/* Two writable buffers: 100 and 28 bytes, one chain. */
	vdrv_desc(&d, 0, 0, VDRV_BUF, 100, VDRV_F_WRITE | VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, VDRV_BUF + 0x1000, 28, VDRV_F_WRITE, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	expect_used(0, 128);
	expect_none_used();
	assert_true(nonzero(VDRV_BUF, 100) > 0);
	assert_true(nonzero(VDRV_BUF + 0x1000, 28) > 0);
	assert_int_equal(nonzero(VDRV_BUF + 100, 0x1000 - 100), 0);
	assert_int_equal(nonzero(VDRV_BUF + 0x1000 + 28, 0x100), 0);

	/* The queue's vector, through its irqfd; not the slow path. */
	assert_non_null(vdrv_irqfd(1));
	assert_int_equal(vdrv_irqfd(1)->addr, 0xfee01000);
	assert_int_equal(vdrv_irqfd(1)->data, 0x41);
	assert_int_equal(vdrv_irqs(1), 1);
	assert_int_equal(vdrv_irqs(1), 0);
	assert_null(vdrv_irqfd(0));
	assert_int_equal(fake.nr_msis, 0);
	assert_int_equal(vdrv_isr(&d), 1);
	assert_int_equal(vdrv_isr(&d), 0);

	/* Larger than the device's chunk, through the ioeventfd. */
	request(2, VDRV_BUF + 0x2000, 4096 + 10);
	vdrv_kick_fd(&d, 0);
	expect_used(2, 4106);
	assert_true(nonzero(VDRV_BUF + 0x2000 + 4096, 10) > 0);
	assert_int_equal(vdrv_irqs(1), 1);
	/* The same message: routed once. */
	assert_int_equal(fake.irqfd_adds, 1);

	/* A chain with nothing to write into: returned with 0. */
	vdrv_desc(&d, 0, 3, VDRV_BUF, 16, 0, 0);
	vdrv_avail(&d, 0, 3);
	vdrv_kick(&d, 0);
	expect_used(3, 0);
	assert_int_equal(vdrv_status(&d), S_UP);
	assert_int_equal(fake.logs, 0);
}

static void test_requests_batched(void **state)
{
	unsigned int i;

	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	for (i = 0; i < 5; i++)
		request(i, VDRV_BUF + 0x100 * i, 10 + i);
	vdrv_kick(&d, 0);
	for (i = 0; i < 5; i++)
		expect_used(i, 10 + i);
	expect_none_used();
	/* No suppression asked for: one for what one turn served. */
	assert_int_equal(vdrv_irqs(1), 1);
}

/* With EVENT_IDX, the driver's used_event decides (2.7.7.2, 2.7.10). */
static void test_event_idx(void **state)
{
	assert_int_equal(vdrv_start(&d, F_VERSION_1 | F_EVENT_IDX), S_UP);
	request(0, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	/* The device wants a notification for the next buffer. */
	assert_int_equal(vdrv_get16(VDRV_USED(0) + 4 + 8 * QSIZE), 1);
	expect_used(0, 8);
	assert_int_equal(vdrv_irqs(1), 1);

	/* used_event 1: the first of two buffers interrupts, not both. */
	request(1, VDRV_BUF, 8);
	request(2, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	assert_int_equal(vdrv_get16(VDRV_USED(0) + 4 + 8 * QSIZE), 3);
	assert_int_equal(vdrv_used_idx(0), 3);
	assert_int_equal(vdrv_irqs(1), 1);
	expect_used(1, 8);
	expect_used(2, 8);
	assert_int_equal(vdrv_get16(VDRV_AVAIL(0) + 4 + 2 * QSIZE), 3);
	request(3, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	expect_used(3, 8);
	assert_int_equal(vdrv_irqs(1), 1);
}

static void test_interrupt_masked(void **state)
{
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);

	/* The vector masked: pending, nothing sent. */
	vdrv_msix_mask(&d, 1, true);
	request(0, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	expect_used(0, 8);
	assert_int_equal(vdrv_irqs(1), 0);
	assert_int_equal(vdrv_msix_pba(&d), 0x2);
	assert_int_equal(fake.nr_msis, 0);
	/* Unmasked: sent, and no longer pending (PCIe 7.7.2.2). */
	vdrv_msix_mask(&d, 1, false);
	assert_int_equal(vdrv_msix_pba(&d), 0);
	assert_int_equal(vdrv_irqs(1), 1);
	/* Masked and unmasked with nothing pending: nothing. */
	vdrv_msix_mask(&d, 1, true);
	vdrv_msix_mask(&d, 1, false);
	assert_int_equal(vdrv_irqs(1), 0);

	/* The function mask, alike. */
	vdrv_msix_function_mask(&d, true);
	request(1, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	expect_used(1, 8);
	assert_int_equal(vdrv_irqs(1), 0);
	assert_int_equal(vdrv_msix_pba(&d), 0x2);
	vdrv_msix_function_mask(&d, false);
	assert_int_equal(vdrv_msix_pba(&d), 0);
	assert_int_equal(vdrv_irqs(1), 1);
	assert_int_equal(fake.nr_msis, 0);
}

static void test_interrupt_rerouted(void **state)
{
	struct fake_fd *f;

	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	request(0, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	assert_int_equal(vdrv_irqs(1), 1);

	/* The guest moves the vector (masked while it does, as Linux). */
	vdrv_msix_mask(&d, 1, true);
	vdrv_write(&d, 0x4010 + 8, 4, 0x55);
	vdrv_msix_mask(&d, 1, false);
	request(1, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	expect_used(0, 8);
	expect_used(1, 8);
	assert_null(vdrv_irqfd(1));
	assert_int_equal(fake_fd_count(fake.irqfds), 1);
	f = &fake.irqfds[0];
	assert_int_equal(f->fd >= 0, 1);
	assert_int_equal(f->addr, VDRV_MSI_ADDR(1));
	assert_int_equal(f->data, 0x55);
	assert_int_equal(fake.irqfd_adds, 2);
	assert_int_equal(fake.nr_msis, 0);
}

static void test_interrupt_without_irqfd(void **state)
{
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	/* The kernel refuses the route: the worker sends the message. */
	fake.irqfd_fail = EINVAL;
	request(0, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	expect_used(0, 8);
	assert_int_equal(fake_fd_count(fake.irqfds), 0);
	assert_int_equal(fake.nr_msis, 1);
	assert_int_equal(fake.msis[0].addr, VDRV_MSI_ADDR(1));
	assert_int_equal(fake.msis[0].data, VDRV_MSI_DATA(1));
}

static void test_config_changed(void **state)
{
	struct hvd_virtio *v = dev;

	/* Before DRIVER_OK: a new generation, no interrupt (4.1.5.3). */
	vdrv_msix_enable(&d);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1), 0x0b);
	vdrv_common_write(&d, VDRV_MSIX_CONFIG, 2, 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_GENERATION, 1), 0);
	hvd_virtio_config_changed(v);
	assert_int_equal(vdrv_common_read(&d, VDRV_GENERATION, 1), 1);
	assert_int_equal(vdrv_isr(&d), 0);
	assert_int_equal(vdrv_irqs(0), 0);

	vdrv_set_status(&d, 0x0b | VDRV_S_DRIVER_OK);
	hvd_virtio_config_changed(v);
	assert_int_equal(vdrv_common_read(&d, VDRV_GENERATION, 1), 2);
	assert_int_equal(vdrv_irqs(0), 1);
	assert_int_equal(vdrv_isr(&d), 2);
	assert_int_equal(vdrv_irqs(1), 0);
}

/* ---- the notification address ------------------------------------------ */

static void test_ioeventfd(void **state)
{
	struct fake_fd *f;

	vdrv_msix_enable(&d);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1), 0x0b);
	vdrv_queue_setup(&d, 0, QSIZE, 1);
	/* 4.1.4.3.2: only 1 enables a queue. */
	vdrv_common_write(&d, VDRV_Q_ENABLE, 2, 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_ENABLE, 2), 0);
	vdrv_queue_enable(&d, 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_ENABLE, 2), 1);
	/* Not before DRIVER_OK, and the device serves nothing yet. */
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	request(0, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	assert_int_equal(vdrv_used_idx(0), 0);

	vdrv_set_status(&d, vdrv_status(&d) | VDRV_S_DRIVER_OK);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 1);
	f = vdrv_kick_ioeventfd(&d, 0);
	assert_non_null(f);
	assert_int_equal(f->space, HVD_MMIO);
	assert_int_equal(f->addr, BAR_BASE + NOTIFY);
	assert_int_equal(f->len, 2);
	assert_non_null(fake_fd_find(fake.watches, f->fd));
	vdrv_kick_fd(&d, 0);
	expect_used(0, 8);

	/* The guest moves BAR 0, decoding on: the ioeventfd follows. */
	vdrv_set_bar(&d, BAR_BASE + BAR_SIZE);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 1);
	f = vdrv_kick_ioeventfd(&d, 0);
	assert_non_null(f);
	assert_int_equal(f->addr, BAR_BASE + BAR_SIZE + NOTIFY);
	request(1, VDRV_BUF, 8);
	vdrv_kick_fd(&d, 0);
	expect_used(1, 8);
	/* The old address is no longer the device's. */
	request(2, VDRV_BUF, 8);
	virtio_rng_model.write(dev, HVD_MMIO, BAR_BASE + NOTIFY, 2, 0);
	expect_none_used();
	vdrv_kick(&d, 0);
	expect_used(2, 8);

	/* Memory decoding off: gone; on: back. */
	cfg_write(0x04, 2, 0x0004);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	cfg_write(0x04, 2, 0x0006);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 1);
	assert_non_null(vdrv_kick_ioeventfd(&d, 0));

	/* Sized with decoding on: gone while the BAR holds all ones. */
	cfg_write(0x10, 4, 0xffffffff);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	cfg_write(0x10, 4, d.bar);
	assert_non_null(vdrv_kick_ioeventfd(&d, 0));

	/* A device reset removes it. */
	vdrv_reset(&d);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	assert_int_equal(fake_fd_count(fake.watches), 1);
}

static void test_machine_reset(void **state)
{
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	vdrv_set_bar(&d, BAR_BASE + BAR_SIZE);
	request(0, VDRV_BUF, 8);
	vdrv_kick(&d, 0);
	expect_used(0, 8);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 1);

	virtio_rng_model.reset(dev);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	/* Configuration space as at power-on, MSI-X off and masked. */
	assert_int_equal(cfg_read(0x04, 4), 0x00100000);
	assert_int_equal(cfg_read(0x10, 4), BAR_BASE);
	assert_int_equal(cfg_read(0x88, 4), 0x00010011);
	vdrv_attach(&d, &virtio_rng_model, dev);
	assert_int_equal(vdrv_status(&d), 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_ENABLE, 2), 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_DESC, 4), 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_MSIX, 2), VDRV_NO_VECTOR);
	assert_int_equal(vdrv_read(&d, 0x401c, 4), 1);

	/* The driver starts over, and the device works. */
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	assert_non_null(vdrv_kick_ioeventfd(&d, 0));
	request(0, VDRV_BUF, 8);
	vdrv_kick_fd(&d, 0);
	expect_used(0, 8);
	assert_int_equal(vdrv_irqs(1), 2);
}

/* ---- a driver that breaks the rules ------------------------------------ */

/* NEEDS_RESET and the configuration interrupt that tells the driver. */
static void expect_needs_reset(const char *why)
{
	char line[128];

	snprintf(line, sizeof(line), "needs reset: %s", why);
	assert_string_equal(fake.last_log, line);
	assert_int_equal(vdrv_status(&d), S_UP | VDRV_S_NEEDS_RESET);
	assert_int_equal(vdrv_irqs(0), 1);
	assert_int_equal(vdrv_isr(&d), 2);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
}

/* The device serves nothing until the driver resets it. */
static void expect_served_nothing(void)
{
	struct fake_fd *w = &fake.watches[0];
	uint64_t one = 1;
	unsigned int logs = fake.logs;
	uint16_t used = vdrv_used_idx(0);

	request(5, VDRV_BUF + 0x800, 16);
	vdrv_kick(&d, 0);
	/* A notification the kernel signalled before the removal. */
	assert_true(w->fd >= 0);
	assert_int_equal(write(w->fd, &one, sizeof(one)), sizeof(one));
	w->fn(w->opaque);
	assert_int_equal(vdrv_used_idx(0), used);
	assert_int_equal(nonzero(VDRV_BUF + 0x800, 16), 0);
	assert_int_equal(vdrv_irqs(0), 0);
	assert_int_equal(vdrv_irqs(1), 0);
	/* The driver cannot clear the bit but by a reset. */
	vdrv_set_status(&d, S_UP);
	assert_int_equal(vdrv_status(&d), S_UP | VDRV_S_NEEDS_RESET);
	assert_int_equal(fake.logs, logs);
}

static void expect_works_after_reset(void)
{
	vdrv_reset(&d);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	request(0, VDRV_BUF, 32);
	vdrv_kick(&d, 0);
	expect_used(0, 32);
	assert_int_equal(vdrv_irqs(1), 1);
	assert_int_equal(vdrv_isr(&d), 1);
	assert_non_null(vdrv_kick_ioeventfd(&d, 0));
}

static void test_descriptor_loop(void **state)
{
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	vdrv_desc(&d, 0, 0, VDRV_BUF, 8, VDRV_F_WRITE | VDRV_F_NEXT, 1);
	vdrv_desc(&d, 0, 1, VDRV_BUF + 8, 8, VDRV_F_WRITE | VDRV_F_NEXT, 0);
	vdrv_avail(&d, 0, 0);
	vdrv_kick(&d, 0);
	expect_none_used();
	expect_needs_reset("malformed request queue");
	expect_served_nothing();
	expect_works_after_reset();
}

static void test_queue_moved_while_enabled(void **state)
{
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	vdrv_common_write(&d, VDRV_Q_SELECT, 2, 0);
	vdrv_common_write(&d, VDRV_Q_DESC, 4, 0x80000);
	expect_needs_reset("a queue moved while enabled");
	/* The rings did not move. */
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_DESC, 4), VDRV_DESC(0));
	expect_served_nothing();
	expect_works_after_reset();

	/* Its size is part of the layout, too. */
	vdrv_common_write(&d, VDRV_Q_SIZE, 2, 16);
	expect_needs_reset("a queue moved while enabled");
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_SIZE, 2), QSIZE);
	expect_works_after_reset();
}

static void test_unusable_ring(void **state)
{
	vdrv_msix_enable(&d);
	assert_int_equal(vdrv_negotiate(&d, F_VERSION_1), 0x0b);
	vdrv_common_write(&d, VDRV_MSIX_CONFIG, 2, 0);
	vdrv_queue_setup(&d, 0, QSIZE, 1);
	/* A used ring past the end of RAM. */
	vdrv_common_write(&d, VDRV_Q_DEVICE, 4, FAKE_MEM_SIZE - 0x100);
	vdrv_queue_enable(&d, 0);
	assert_int_equal(vdrv_common_read(&d, VDRV_Q_ENABLE, 2), 0);
	assert_int_equal(vdrv_status(&d), 0x0b | VDRV_S_NEEDS_RESET);
	assert_string_equal(fake.last_log,
			    "needs reset: a queue's rings are unusable");
	/* Before DRIVER_OK the driver is not interrupted (4.1.5.3). */
	assert_int_equal(vdrv_irqs(0), 0);
	vdrv_set_status(&d, 0x0b | VDRV_S_DRIVER_OK);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	expect_works_after_reset();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup_created,
						teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup_created,
						teardown),
		T(test_pci_cfg_window),
		T(test_pci_cfg_window_widths),
		T(test_features),
		T(test_request),
		T(test_requests_batched),
		T(test_event_idx),
		T(test_interrupt_masked),
		T(test_interrupt_rerouted),
		T(test_interrupt_without_irqfd),
		T(test_config_changed),
		T(test_ioeventfd),
		T(test_machine_reset),
		T(test_descriptor_loop),
		T(test_queue_moved_while_enabled),
		T(test_unusable_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
