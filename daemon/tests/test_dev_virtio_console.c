// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of virtio-console (daemon/dev/virtio_console.c) through the
 * fake virtio-PCI driver, with a socketpair as its backend: its identity,
 * transmitq's bytes written to the backend in order, input read only
 * while receiveq has buffers and held (not lost, not reordered) while it
 * has none, a buffer smaller than the input, a file backend without
 * input, and a reset dropping what the guest did not take.
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

extern const struct hvd_model virtio_console_model;

#define BAR_BASE	(HVD_PCI_HOLE_START + 4 * HVD_PCI_BAR_WINDOW)
#define F_VERSION_1	(1ull << 32)
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
	.devfn = 4 << 3,
	.bar_base = BAR_BASE,
	.backend = &backend,
};

static void *dev;
static struct vdrv d;
static int host; /* the host's end of the backend */

static int create(int readonly)
{
	int sv[2];

	fake_reset();
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
				    sv), 0);
	backend = (struct hvd_backend){ .fd = sv[0], .readonly = readonly };
	host = sv[1];
	dev = calloc(1, virtio_console_model.priv_size);
	assert_non_null(dev);
	assert_int_equal(virtio_console_model.create(dev, &fake_svc, &cfg),
			 0);
	d = (struct vdrv){ .m = &virtio_console_model, .dev = dev };
	vdrv_attach(&d, &virtio_console_model, dev);
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	return 0;
}

static int setup(void **state)
{
	return create(0);
}

static int setup_file(void **state)
{
	return create(1);
}

static int teardown(void **state)
{
	virtio_console_model.destroy(dev);
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
	assert_int_equal(vdrv_cfg_read(&d, 0, 4), 0x10431af4);
	assert_int_equal(vdrv_cfg_read(&d, 8, 4) >> 8, 0x078000);
	assert_int_equal(vdrv_common_read(&d, VDRV_NUM_QUEUES, 2), 2);
	assert_int_equal(vdrv_device_features(&d), F_VERSION_1 |
			 1ull << 28 | 1ull << 29);
}

static void test_output(void **state)
{
	char buf[64];

	memcpy(fake.mem + VDRV_BUF, "hello, ", 7);
	memcpy(fake.mem + VDRV_BUF + 0x100, "host\n", 5);
	vdrv_desc(&d, TXQ, 0, VDRV_BUF, 7, VDRV_F_NEXT, 1);
	vdrv_desc(&d, TXQ, 1, VDRV_BUF + 0x100, 5, 0, 0);
	vdrv_avail(&d, TXQ, 0);
	vdrv_kick(&d, TXQ);
	expect_used(TXQ, 0, 0);
	assert_int_equal(vdrv_irqs(TXQ + 1), 1);
	assert_int_equal(read(host, buf, sizeof(buf)), 12);
	assert_memory_equal(buf, "hello, host\n", 12);
}

static void test_input_waits_for_buffers(void **state)
{
	uint32_t id, n;

	/* No receive buffer yet: the backend is not even watched. */
	assert_int_equal(write(host, "abcdef", 6), 6);
	assert_false(input_ready());

	/* A 4-byte buffer: the watch reads, 4 go in, 2 wait. */
	rx_buffer(0, RXBUF, 4);
	assert_true(input_ready());
	expect_used(RXQ, 0, 4);
	assert_memory_equal(fake.mem + RXBUF, "abcd", 4);
	assert_int_equal(vdrv_irqs(RXQ + 1), 1);
	assert_false(input_ready()); /* held input: no more reads */

	/* The next buffer takes the rest, then the next bytes. */
	assert_int_equal(write(host, "gh", 2), 2);
	rx_buffer(1, RXBUF + 0x100, 16);
	expect_used(RXQ, 1, 2);
	assert_memory_equal(fake.mem + RXBUF + 0x100, "ef", 2);
	rx_buffer(2, RXBUF + 0x200, 16);
	assert_true(input_ready());
	expect_used(RXQ, 2, 2);
	assert_memory_equal(fake.mem + RXBUF + 0x200, "gh", 2);
	/* Nothing to read now: the buffer stays the device's. */
	rx_buffer(3, RXBUF + 0x300, 16);
	assert_true(input_ready());
	assert_false(vdrv_used(&d, RXQ, &id, &n));
}

static void test_reset_drops_input(void **state)
{
	assert_int_equal(write(host, "xyz", 3), 3);
	rx_buffer(0, RXBUF, 1);
	assert_true(input_ready());
	expect_used(RXQ, 0, 1);
	vdrv_reset(&d);
	assert_false(input_ready());
	assert_int_equal(vdrv_start(&d, F_VERSION_1), S_UP);
	assert_int_equal(write(host, "new", 3), 3);
	rx_buffer(0, RXBUF, 16);
	assert_true(input_ready());
	expect_used(RXQ, 0, 3);
	assert_memory_equal(fake.mem + RXBUF, "new", 3);
}

static void test_file_has_no_input(void **state)
{
	rx_buffer(0, RXBUF, 16);
	assert_false(input_ready());
	assert_int_equal(fake_fd_count(fake.watches), 2); /* the kicks */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_waits_for_buffers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_drops_input, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_file_has_no_input,
						setup_file, teardown),
	};

	return cmocka_run_group_tests_name("virtio_console", tests, NULL,
					   NULL);
}
