// SPDX-License-Identifier: GPL-2.0
/*
 * O_DIRECT's alignment rules (open(2), NOTES): the file offset, every
 * buffer's length and so the transfer's length must be multiples of the
 * file's logical block size, and every buffer's address a multiple of its
 * memory alignment (statx's stx_dio_offset_align and stx_dio_mem_align).
 * Anything else fails with EINVAL, so a disk model checks each request
 * here and moves the ones that miss through an aligned bounce buffer
 * covering the whole blocks around it.
 */
#include <string.h>
#include <sys/uio.h>

#include "dio.h"

/**
 * hvd_dio_aligned() - whether a transfer meets O_DIRECT's alignment
 * @iov: its buffers
 * @cnt: entries of @iov
 * @off: its file offset
 * @mem_align: the buffers' address alignment, a power of two
 * @blk_align: the offset's and the buffers' length alignment, a power
 *	of two
 *
 * Return: true if @off, every buffer's address and every buffer's length
 * are aligned, so that the transfer may use the buffers as they are.
 */
bool hvd_dio_aligned(const struct iovec *iov, int cnt, uint64_t off,
		     unsigned int mem_align, unsigned int blk_align)
{
	int i;

	if (off & (blk_align - 1))
		return false;
	for (i = 0; i < cnt; i++)
		if (((uintptr_t)iov[i].iov_base & (mem_align - 1)) ||
		    (iov[i].iov_len & (blk_align - 1)))
			return false;
	return true;
}

/**
 * hvd_dio_start() - the first block's offset of a transfer
 * @off: its file offset
 * @blk_align: the block size, a power of two
 *
 * Return: @off rounded down to a block.
 */
uint64_t hvd_dio_start(uint64_t off, unsigned int blk_align)
{
	return off & ~(uint64_t)(blk_align - 1);
}

/**
 * hvd_dio_span() - bytes of the whole blocks a transfer touches
 * @off: its file offset
 * @len: its bytes
 * @blk_align: the block size, a power of two
 *
 * Return: from hvd_dio_start() to @off + @len rounded up to a block; 0
 * for a @len of 0.
 */
uint64_t hvd_dio_span(uint64_t off, uint64_t len, unsigned int blk_align)
{
	uint64_t mask = blk_align - 1;

	if (!len)
		return 0;
	return ((off + len + mask) & ~mask) - (off & ~mask);
}

/**
 * hvd_iov_to_buf() - gather buffers into one
 * @iov: the buffers
 * @cnt: entries of @iov
 * @buf: receives their bytes, in order
 * @len: at most this many
 */
void hvd_iov_to_buf(const struct iovec *iov, int cnt, void *buf, size_t len)
{
	int i;

	for (i = 0; i < cnt && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;

		memcpy(buf, iov[i].iov_base, n);
		buf = (char *)buf + n;
		len -= n;
	}
}

/**
 * hvd_iov_from_buf() - scatter one buffer into several
 * @iov: the buffers
 * @cnt: entries of @iov
 * @buf: the bytes, in order
 * @len: at most this many
 */
void hvd_iov_from_buf(const struct iovec *iov, int cnt, const void *buf,
		      size_t len)
{
	int i;

	for (i = 0; i < cnt && len; i++) {
		size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;

		memcpy(iov[i].iov_base, buf, n);
		buf = (const char *)buf + n;
		len -= n;
	}
}
