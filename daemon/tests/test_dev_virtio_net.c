// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of virtio-net (daemon/dev/virtio_net.c) through the fake
 * virtio-PCI driver, with a SOCK_SEQPACKET socketpair standing in for the
 * tap (one packet a read, as a tap gives them): its identity, features
 * and MAC, a transmitted packet reaching the tap whole (header included),
 * a received one landing in one buffer with num_buffers 1, the tap left
 * unread while receiveq has no buffer, and a buffer too short for the
 * header given back empty.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "dev/virtio_pci.h"
#include "fake_services.h"
#include "virtio_driver.h"

extern const struct hvd_model virtio_net_model;

#define BAR_BASE	(HVD_PCI_HOLE_START + 3 * HVD_PCI_BAR_WINDOW)
#define F_VERSION_1	(1ull << 32)
#define F_NET		(1ull << 0 | 1ull << 5 | 1ull << 11 | 1ull << 12)
#define S_UP		(VDRV_S_ACKNOWLEDGE | VDRV_S_DRIVER | \
			 VDRV_S_FEATURES_OK | VDRV_S_DRIVER_OK)
#define RXQ		0
#define TXQ		1
#define RXBUF		(VDRV_BUF + 0x1000)

static struct hvd_backend backend;
static struct hvd_config cfg = {
	.nr_vcpus = 1,
	.ram_size = FAKE_MEM_SIZE,
	.ram_below_4g = FAKE_MEM_SIZE,
	.devfn = 3 << 3,
	.bar_base = BAR_BASE,
	.backend = &backend,
};

static void *dev;
static struct vdrv d;
static int host; /* the host's end of the backend */

static int create(void)
{
	int sv[2];

	fake_reset();
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0,
				    sv), 0);
	backend = (struct hvd_backend){
		.fd = sv[0],
		.mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	};
	host = sv[1];
	dev = calloc(1, virtio_net_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(virtio_net_model.create(dev, &fake_svc, &cfg),
			 0);
	d = (struct vdrv){ .m = &virtio_net_model, .dev = dev };
	vdrv_attach(&d, &virtio_net_model, dev);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	return 0;
}

static int setup(void **state)
{
	return create();
}

static int teardown(void **state)
{
	virtio_net_model.destroy(dev);
	free(dev);
	close(backend.fd);
	close(host);
	assert_int_equal(fake_fd_count(fake.watches), 0);
	assert_int_equal(fake_fd_count(fake.ioeventfds), 0);
	assert_int_equal(fake_fd_count(fake.irqfds), 0);
	return 0;
}

/* The backend's watch, called as the event loop would: false if none. */
static bool input_ready(void)
{
	struct fake_fd *w = fake_fd_find(fake.watches, backend.fd);

	if (!w)
		return false;
	w->fn(w->opaque);
	return true;
}

static void rx_buffer(uint16_t head, uint64_t gpa, uint32_t len)
{
	vdrv_desc(&d, RXQ, head, gpa, len, VDRV_F_WRITE, 0);
	vdrv_avail(&d, RXQ, head);
	vdrv_kick(&d, RXQ);
}

static void expect_used(unsigned int q, uint32_t head, uint32_t len)
{
	uint32_t id, n;

	assert_true(vdrv_used(&d, q, &id, &n));
	assert_int_equal(id, head);
	assert_int_equal(n, len);
}

static void test_identity(void **state)
{
	assert_int_equal(vdrv_cfg_read(&d, 0, 4), 0x10411af4);
	assert_int_equal(vdrv_cfg_read(&d, 8, 4) >> 8, 0x020000);
	assert_int_equal(vdrv_common_read(&d, VDRV_NUM_QUEUES, 2), 2);
	assert_int_equal(vdrv_device_features(&d), F_VERSION_1 | F_NET |
			 1ull << 28 | 1ull << 29);
	assert_int_equal(vdrv_config_read(&d, 0, 4), 0x12005452);
	assert_int_equal(vdrv_config_read(&d, 4, 2), 0x5634);
}

static void test_transmit(void **state)
{
	uint8_t pkt[128];

	/* A header (a partial checksum asked for) and a 60-byte frame. */
	memset(fake.mem + VDRV_BUF, 0, 12);
	fake.mem[VDRV_BUF] = 1; /* VIRTIO_NET_HDR_F_NEEDS_CSUM */
	memset(fake.mem + VDRV_BUF + 0x100, 0xab, 60);
	vdrv_desc(&d, TXQ, 0, VDRV_BUF, 12, VDRV_F_NEXT, 1);
	vdrv_desc(&d, TXQ, 1, VDRV_BUF + 0x100, 60, 0, 0);
	vdrv_avail(&d, TXQ, 0);
	vdrv_kick(&d, TXQ);
	expect_used(TXQ, 0, 0);
	assert_int_equal(read(host, pkt, sizeof(pkt)), 72);
	assert_int_equal(pkt[0], 1);
	assert_int_equal(pkt[12], 0xab);
	assert_int_equal(pkt[71], 0xab);
	assert_int_equal(vdrv_irqs(TXQ + 1), 1);
}

static void test_receive(void **state)
{
	uint8_t pkt[74];
	uint32_t id, n;

	memset(pkt, 0, sizeof(pkt));
	memset(pkt + 12, 0xcd, 62);
	/* No receive buffer: the tap is not read. */
	assert_int_equal(write(host, pkt, sizeof(pkt)), sizeof(pkt));
	assert_false(input_ready());

	/* A buffer's notification reads what waits at once. */
	fake.mem[RXBUF + 10] = 0xff;
	rx_buffer(0, RXBUF, 1526);
	expect_used(RXQ, 0, 74);
	/* num_buffers is 1; the rest as the tap gave it. */
	assert_int_equal(fake.mem[RXBUF + 10], 1);
	assert_int_equal(fake.mem[RXBUF + 11], 0);
	assert_int_equal(fake.mem[RXBUF + 12], 0xcd);
	assert_int_equal(fake.mem[RXBUF + 73], 0xcd);
	assert_int_equal(vdrv_irqs(RXQ + 1), 1);

	/* A buffer and nothing to read: it stays the device's. */
	rx_buffer(1, RXBUF + 0x1000, 1526);
	assert_true(input_ready());
	assert_false(vdrv_used(&d, RXQ, &id, &n));
	/* The next packet takes it. */
	assert_int_equal(write(host, pkt, 40), 40);
	assert_true(input_ready());
	expect_used(RXQ, 1, 40);
}

static void test_short_buffer(void **state)
{
	uint8_t pkt[64] = { 0 };

	assert_int_equal(write(host, pkt, sizeof(pkt)), sizeof(pkt));
	/* 8 bytes cannot hold the header: given back empty, packet kept. */
	rx_buffer(0, RXBUF, 8);
	expect_used(RXQ, 0, 0);
	rx_buffer(1, RXBUF + 0x100, 1526);
	expect_used(RXQ, 1, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transmit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_receive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_buffer, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("virtio_net", tests, NULL, NULL);
}
