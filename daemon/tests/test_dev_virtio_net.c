// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of virtio-net (daemon/dev/virtio_net.c) through the fake
 * virtio-PCI driver, with a SOCK_SEQPACKET socketpair standing in for the
 * tap (one packet a read, as a tap gives them): its identity, features
 * and MAC, a transmitted packet reaching the tap whole (header included),
 * a received one landing in one buffer with num_buffers 1, the tap left
 * unread while receiveq has no buffer, and a buffer too short for the
 * header given back empty. With vhost-net (the fake vhost services): the
 * queues handed over at DRIVER_OK, vhost's call eventfd moved between a
 * vector's irqfd and the queue's own eventfd as the vector is masked,
 * changed or reprogrammed, and the queues taken back at a reset, at
 * DEVICE_NEEDS_RESET and at a refusal.
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

static enum hvd_be_vhost want_vhost;
static int vhost_fail;

static int create(void)
{
	int sv[2];

	fake_reset();
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0,
				    sv), 0);
	backend = (struct hvd_backend){
		.fd = sv[0],
		.mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
		.vhost = want_vhost,
	};
	fake.vhost.fail = vhost_fail;
	host = sv[1];
	dev = calloc(1, virtio_net_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(virtio_net_model.create(dev, &fake_svc, &cfg),
			 0);
	d = (struct vdrv){ .m = &virtio_net_model, .dev = dev };
	vdrv_attach(&d, &virtio_net_model, dev);
	vdrv_start(&d, F_VERSION_1);
	return 0;
}

static int setup(void **state)
{
	want_vhost = HVD_BE_OWN;
	vhost_fail = 0;
	create();
	assert_int_equal(vdrv_status(&d), S_UP);
	return 0;
}

static int setup_vhost(void **state)
{
	want_vhost = HVD_BE_VHOST_TRY;
	vhost_fail = 0;
	create();
	assert_int_equal(vdrv_status(&d), S_UP);
	assert_true(fake.vhost.running);
	return 0;
}

static int teardown(void **state)
{
	virtio_net_model.destroy(dev);
	assert_false(fake.vhost.running);
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

/* The eventfd a watch serves, run as the event loop would. */
static void run_watch(int fd)
{
	struct fake_fd *w = fake_fd_find(fake.watches, fd);

	assert_non_null(w);
	w->fn(w->opaque);
}

static uint64_t count(int fd)
{
	uint64_t cnt;

	if (read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return 0;
	return cnt;
}

static void test_vhost_takes_the_queues(void **state)
{
	unsigned int q;
	uint32_t id, n;

	assert_int_equal(fake.vhost.starts, 1);
	assert_int_equal(fake.vhost.nr, 2);
	/* What the driver accepted; the worker keeps what vhost knows. */
	assert_int_equal(fake.vhost.features, F_VERSION_1);
	for (q = 0; q < 2; q++) {
		const struct hvd_vhost_ring *r = &fake.vhost.rings[q];

		assert_int_equal(r->index, q);
		assert_int_equal(r->num, 256);
		assert_int_equal(r->desc, VDRV_DESC(q));
		assert_int_equal(r->avail, VDRV_AVAIL(q));
		assert_int_equal(r->used, VDRV_USED(q));
		assert_int_equal(r->base, 0);
		/* The ioeventfd's eventfd, which the event loop let go of. */
		assert_non_null(vdrv_kick_ioeventfd(&d, q));
		assert_int_equal(r->kick, vdrv_kick_ioeventfd(&d, q)->fd);
		assert_null(fake_fd_find(fake.watches, r->kick));
		/* One kick each for buffers that came before. */
		assert_int_equal(count(r->kick), 1);
		/* Unmasked vectors: their irqfds, routed. */
		assert_non_null(vdrv_irqfd(q + 1));
		assert_int_equal(fake.vhost.call[q], vdrv_irqfd(q + 1)->fd);
		assert_non_null(fake_fd_find(fake.watches, r->call));
		assert_non_null(fake_fd_find(fake.watches, r->err));
	}
	/* The tap is vhost's: never watched, never read by the device. */
	rx_buffer(0, RXBUF, 1526);
	assert_null(fake_fd_find(fake.watches, backend.fd));
	assert_false(vdrv_used(&d, RXQ, &id, &n));
	/* A notification that reached the device still reaches vhost. */
	vdrv_kick(&d, TXQ);
	assert_int_equal(count(fake.vhost.rings[TXQ].kick), 1);
}

static void test_vhost_masked_vector(void **state)
{
	int call = fake.vhost.rings[RXQ].call;
	int irqfd = vdrv_irqfd(RXQ + 1)->fd;

	/* Masked: vhost signals the queue's eventfd; the PBA gets it. */
	vdrv_msix_mask(&d, RXQ + 1, true);
	assert_int_equal(fake.vhost.call[RXQ], call);
	assert_int_equal(write(call, &(uint64_t){ 1 }, 8), 8);
	run_watch(call);
	assert_true(vdrv_msix_pba(&d) & 1ull << (RXQ + 1));
	assert_int_equal(vdrv_irqs(RXQ + 1), 0);
	/* Unmasked: the irqfd again, and the pending message sent. */
	vdrv_msix_mask(&d, RXQ + 1, false);
	assert_int_equal(fake.vhost.call[RXQ], irqfd);
	assert_false(vdrv_msix_pba(&d) & 1ull << (RXQ + 1));
	assert_int_equal(vdrv_irqs(RXQ + 1), 1);

	/* A signal the event loop had not served yet is not lost either. */
	vdrv_msix_function_mask(&d, true);
	assert_int_equal(fake.vhost.call[RXQ], call);
	assert_int_equal(fake.vhost.call[TXQ], fake.vhost.rings[TXQ].call);
	assert_int_equal(write(call, &(uint64_t){ 1 }, 8), 8);
	vdrv_msix_function_mask(&d, false);
	assert_int_equal(fake.vhost.call[RXQ], irqfd);
	assert_int_equal(vdrv_irqs(RXQ + 1), 1);
	assert_int_equal(vdrv_irqs(TXQ + 1), 0);
}

static void test_vhost_vector_changes(void **state)
{
	int call = fake.vhost.rings[TXQ].call;
	struct fake_fd *f;

	/* Another vector for transmitq, then none. */
	vdrv_common_write(&d, VDRV_Q_SELECT, 2, TXQ);
	vdrv_common_write(&d, VDRV_Q_MSIX, 2, RXQ + 1);
	assert_int_equal(fake.vhost.call[TXQ], vdrv_irqfd(RXQ + 1)->fd);
	vdrv_common_write(&d, VDRV_Q_MSIX, 2, VDRV_NO_VECTOR);
	assert_int_equal(fake.vhost.call[TXQ], call);
	/* Without a vector, vhost's signal interrupts nobody. */
	assert_int_equal(write(call, &(uint64_t){ 1 }, 8), 8);
	run_watch(call);
	assert_int_equal(fake.nr_msis, 0);

	/* A new message for receiveq's vector: the irqfd carries it. */
	vdrv_write(&d, d.msix_table + 16 * (RXQ + 1) + 8, 4, 0x77);
	f = fake_fd_find(fake.irqfds, fake.vhost.call[RXQ]);
	assert_non_null(f);
	assert_int_equal(f->data, 0x77);
	/* One the kernel refuses: the queue's eventfd, and MSIs the slow way. */
	fake.irqfd_fail = EINVAL;
	vdrv_write(&d, d.msix_table + 16 * (RXQ + 1) + 8, 4, 0x78);
	assert_int_equal(fake.vhost.call[RXQ], fake.vhost.rings[RXQ].call);
	assert_int_equal(write(fake.vhost.call[RXQ], &(uint64_t){ 1 }, 8), 8);
	run_watch(fake.vhost.call[RXQ]);
	assert_int_equal(fake.nr_msis, 1);
	assert_int_equal(fake.msis[0].data, 0x78);
	fake.irqfd_fail = 0;
}

static void test_vhost_reset(void **state)
{
	const struct hvd_vhost_ring r = fake.vhost.rings[TXQ];
	uint8_t pkt[128];

	vdrv_reset(&d);
	assert_false(fake.vhost.running);
	assert_int_equal(fake.vhost.stops, 1);
	assert_non_null(fake_fd_find(fake.watches, r.kick));
	assert_null(fake_fd_find(fake.watches, r.call));
	assert_null(fake_fd_find(fake.watches, r.err));
	/* The driver starts again: vhost again, with fresh indices. */
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	assert_int_equal(fake.vhost.starts, 2);
	assert_int_equal(fake.vhost.rings[TXQ].base, 0);

	/* vhost refuses the next time: the device moves the packets. */
	vdrv_reset(&d);
	fake.vhost.fail = ENOMEM;
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	assert_false(fake.vhost.running);
	assert_non_null(fake_fd_find(fake.watches, r.kick));
	assert_null(fake_fd_find(fake.watches, r.call));
	memset(fake.mem + VDRV_BUF, 0, 72);
	vdrv_desc(&d, TXQ, 0, VDRV_BUF, 72, 0, 0);
	vdrv_avail(&d, TXQ, 0);
	vdrv_kick(&d, TXQ);
	expect_used(TXQ, 0, 0);
	assert_int_equal(read(host, pkt, sizeof(pkt)), 72);
}

static void test_vhost_needs_reset(void **state)
{
	int err = fake.vhost.rings[RXQ].err;

	/* 4.1.4.3.2: a queue moved while enabled. */
	vdrv_common_write(&d, VDRV_Q_SELECT, 2, RXQ);
	vdrv_common_write(&d, VDRV_Q_DESC, 4, 0x1000);
	assert_true(vdrv_status(&d) & VDRV_S_NEEDS_RESET);
	assert_false(fake.vhost.running);
	assert_null(fake_fd_find(fake.watches, err));

	/* vhost finding a ring malformed. */
	vdrv_reset(&d);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	assert_true(fake.vhost.running);
	assert_int_equal(write(err, &(uint64_t){ 1 }, 8), 8);
	run_watch(err);
	assert_true(vdrv_status(&d) & VDRV_S_NEEDS_RESET);
	assert_false(fake.vhost.running);
	assert_int_equal(count(err), 0);
}

static void test_vhost_on_refused(void **state)
{
	want_vhost = HVD_BE_VHOST_MUST;
	vhost_fail = ENOMEM;
	create();
	assert_true(vdrv_status(&d) & VDRV_S_NEEDS_RESET);
	assert_false(fake.vhost.running);
	assert_non_null(strstr(fake.last_log, "vhost=on"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_transmit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_receive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vhost_takes_the_queues,
						setup_vhost, teardown),
		cmocka_unit_test_setup_teardown(test_vhost_masked_vector,
						setup_vhost, teardown),
		cmocka_unit_test_setup_teardown(test_vhost_vector_changes,
						setup_vhost, teardown),
		cmocka_unit_test_setup_teardown(test_vhost_reset, setup_vhost,
						teardown),
		cmocka_unit_test_setup_teardown(test_vhost_needs_reset,
						setup_vhost, teardown),
		cmocka_unit_test_teardown(test_vhost_on_refused, teardown),
		cmocka_unit_test_setup_teardown(test_short_buffer, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("virtio_net", tests, NULL, NULL);
}
