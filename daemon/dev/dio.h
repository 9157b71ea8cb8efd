/* SPDX-License-Identifier: GPL-2.0 */
/*
 * O_DIRECT's alignment rules, as pure functions a disk model uses to
 * decide between handing the guest's buffers to the host's I/O and a
 * bounce buffer (dio.c).
 */
#ifndef HVD_DIO_H
#define HVD_DIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct iovec;

bool hvd_dio_aligned(const struct iovec *iov, int cnt, uint64_t off,
		     unsigned int mem_align, unsigned int blk_align);
uint64_t hvd_dio_start(uint64_t off, unsigned int blk_align);
uint64_t hvd_dio_span(uint64_t off, uint64_t len, unsigned int blk_align);
void hvd_iov_to_buf(const struct iovec *iov, int cnt, void *buf, size_t len);
void hvd_iov_from_buf(const struct iovec *iov, int cnt, const void *buf,
		      size_t len);

#endif /* HVD_DIO_H */
