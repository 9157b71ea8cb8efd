// SPDX-License-Identifier: GPL-2.0
/*
 * vbench: the guest side of the device benchmark (bench/dev_bench.c),
 * run by the Linux guest's init (selftests/vm/hvd_guest_init.sh) under
 * hvd and under QEMU with KVM alike.
 *
 *   vbench blk DEV N        N reads of 4 KiB at pseudo-random aligned
 *                           offsets of DEV, with O_DIRECT so that each is
 *                           one virtio-blk request
 *   vbench tx HOST PORT B   send B bytes over TCP, then wait for the
 *                           host to close
 *   vbench rx HOST PORT     receive until the host closes its side, then
 *                           answer one byte
 *   vbench tso IFACE off    turn TCP segmentation offload off, so that
 *                           the stack hands the device MSS-sized packets
 *                           (SIOCETHTOOL, ETHTOOL_STSO)
 *
 * "blk" writes MARK_GO on standard output (the serial console) before
 * its first read and MARK_DONE after its last: the host times the span
 * between the two lines, and runs "blk" with N and 2N requests so that
 * what the lines themselves cost cancels out.
 *
 * Static, so that it runs from the guest's busybox initramfs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/fs.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MARK_GO		"vb:g\n"
#define MARK_DONE	"vb:d\n"
#define BLOCK		4096
#define CHUNK		65536

static int say(const char *s)
{
	size_t len = strlen(s);

	return write(STDOUT_FILENO, s, len) == (ssize_t)len ? 0 : -1;
}

static int blk(const char *dev, long n)
{
	static char buf[BLOCK] __attribute__((aligned(BLOCK)));
	uint64_t size, x = 0x9e3779b97f4a7c15ull, blocks;
	int fd = open(dev, O_RDONLY | O_DIRECT);
	long i;

	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size)) {
		fprintf(stderr, "vbench: %s: %s\n", dev, strerror(errno));
		return 1;
	}
	blocks = size / BLOCK;
	if (!blocks) {
		fprintf(stderr, "vbench: %s: smaller than a block\n", dev);
		return 1;
	}
	if (say(MARK_GO))
		return 1;
	for (i = 0; i < n; i++) {
		/* xorshift64: the same offsets in every run of every VMM. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (pread(fd, buf, BLOCK, (x % blocks) * BLOCK) != BLOCK) {
			fprintf(stderr, "vbench: %s: read %ld: %s\n", dev, i,
				strerror(errno));
			return 1;
		}
	}
	if (say(MARK_DONE))
		return 1;
	close(fd);
	return 0;
}

static int connect_to(const char *host, const char *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(atoi(port)) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "vbench: connect %s:%s: %s\n", host, port,
			strerror(errno));
		return -1;
	}
	return fd;
}

static int tx(const char *host, const char *port, long long bytes)
{
	static char buf[CHUNK];
	int fd = connect_to(host, port);
	ssize_t n;

	if (fd < 0)
		return 1;
	memset(buf, 0xa5, sizeof(buf));
	while (bytes > 0) {
		n = write(fd, buf, bytes < CHUNK ? bytes : CHUNK);
		if (n <= 0) {
			fprintf(stderr, "vbench: send: %s\n", strerror(errno));
			return 1;
		}
		bytes -= n;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n < 0;
}

static int rx(const char *host, const char *port)
{
	static char buf[CHUNK];
	int fd = connect_to(host, port);
	ssize_t n;

	if (fd < 0)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0 || write(fd, "k", 1) != 1) {
		fprintf(stderr, "vbench: receive: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

static int tso(const char *iface, const char *onoff)
{
	struct ethtool_value v = { .cmd = ETHTOOL_STSO,
				   .data = !strcmp(onoff, "on") };
	struct ifreq ifr = { .ifr_data = (void *)&v };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr)) {
		fprintf(stderr, "vbench: %s: TSO %s: %s\n", iface, onoff,
			strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "blk"))
		return blk(argv[2], atol(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "tx"))
		return tx(argv[2], argv[3], atoll(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "rx"))
		return rx(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "tso"))
		return tso(argv[2], argv[3]);
	fprintf(stderr, "usage: vbench blk DEV N | tx HOST PORT BYTES | "
			"rx HOST PORT | tso IFACE on|off\n");
	return 2;
}
