// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of O_DIRECT's alignment rules (daemon/dev/dio.c): which
 * transfers may use the guest's buffers as they are, the whole blocks a
 * bounce buffer covers, and the gather and scatter between them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <cmocka.h>

#include "../dev/dio.h"

static uint8_t mem[3 * 4096] __attribute__((aligned(4096)));

static void aligned(void **state)
{
	struct iovec iov[3] = {
		{ mem, 4096 },
		{ mem + 4096, 512 },
		{ mem + 8192, 1024 },
	};

	assert_true(hvd_dio_aligned(iov, 3, 0, 512, 512));
	assert_true(hvd_dio_aligned(iov, 3, 1 << 20, 512, 512));
	assert_true(hvd_dio_aligned(iov, 0, 4096, 4096, 4096));
	/* 512 bytes of a buffer are not a 4096-byte block. */
	assert_false(hvd_dio_aligned(iov, 3, 0, 512, 4096));
	assert_true(hvd_dio_aligned(iov, 1, 0, 4096, 4096));
	/* The offset. */
	assert_false(hvd_dio_aligned(iov, 3, 512, 512, 4096));
	assert_false(hvd_dio_aligned(iov, 1, 4096 + 512, 4096, 4096));
	assert_false(hvd_dio_aligned(iov, 3, 1, 512, 512));
	/* An address: only the memory alignment counts. */
	iov[1].iov_base = mem + 4096 + 4;
	assert_false(hvd_dio_aligned(iov, 3, 0, 512, 512));
	assert_true(hvd_dio_aligned(iov, 3, 0, 4, 512));
	assert_false(hvd_dio_aligned(iov, 3, 0, 8, 512));
	/* A length not a whole block, the last one too. */
	iov[1].iov_base = mem + 4096;
	iov[2].iov_len = 1000;
	assert_false(hvd_dio_aligned(iov, 3, 0, 512, 512));
	assert_true(hvd_dio_aligned(iov, 2, 0, 512, 512));
	iov[2].iov_len = 1024;
	iov[0].iov_len = 4095;
	assert_false(hvd_dio_aligned(iov, 3, 0, 512, 512));
}

static void spans(void **state)
{
	assert_int_equal(hvd_dio_start(0, 4096), 0);
	assert_int_equal(hvd_dio_start(4095, 4096), 0);
	assert_int_equal(hvd_dio_start(4096, 4096), 4096);
	assert_int_equal(hvd_dio_start(9 * 512, 4096), 4096);
	assert_int_equal(hvd_dio_start(0x123456789a00ull, 512),
			 0x123456789a00ull);

	assert_int_equal(hvd_dio_span(0, 4096, 4096), 4096);
	assert_int_equal(hvd_dio_span(0, 512, 4096), 4096);
	assert_int_equal(hvd_dio_span(512, 512, 4096), 4096);
	assert_int_equal(hvd_dio_span(3584, 1024, 4096), 8192);
	assert_int_equal(hvd_dio_span(3584, 512, 4096), 4096);
	assert_int_equal(hvd_dio_span(4096, 8192, 4096), 8192);
	assert_int_equal(hvd_dio_span(512, 8192, 4096), 12288);
	assert_int_equal(hvd_dio_span(512, 1024, 512), 1024);
	assert_int_equal(hvd_dio_span(512, 0, 4096), 0);
}

static void gather_scatter(void **state)
{
	uint8_t a[3], b[5], c[2], buf[10], back[10];
	struct iovec iov[3] = { { a, 3 }, { b, 5 }, { c, 2 } };
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i + 1;
	memset(a, 0xee, sizeof(a));
	memset(b, 0xee, sizeof(b));
	memset(c, 0xee, sizeof(c));
	hvd_iov_from_buf(iov, 3, buf, 10);
	assert_memory_equal(a, "\1\2\3", 3);
	assert_memory_equal(b, "\4\5\6\7\10", 5);
	assert_memory_equal(c, "\11\12", 2);
	memset(back, 0, sizeof(back));
	hvd_iov_to_buf(iov, 3, back, 10);
	assert_memory_equal(back, buf, 10);

	/* At most @len bytes move, the rest stays. */
	memset(c, 0xee, sizeof(c));
	hvd_iov_from_buf(iov, 3, buf, 9);
	assert_memory_equal(c, "\11\xee", 2);
	memset(back, 0, sizeof(back));
	hvd_iov_to_buf(iov, 3, back, 4);
	assert_memory_equal(back, "\1\2\3\4\0\0\0\0\0\0", 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aligned),
		cmocka_unit_test(spans),
		cmocka_unit_test(gather_scatter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
