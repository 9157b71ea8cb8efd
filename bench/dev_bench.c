// SPDX-License-Identifier: GPL-2.0
/*
 * dev_bench: what a virtio-blk request and a virtio-net packet cost, in
 * the test machine's instruction clock, for a VMM that boots the Linux
 * guest with hvdguest=vbench (selftests/vm/hvd_guest_init.sh, which runs
 * bench/vbench.c).
 *
 *   dev_bench NAME REPS N BYTES TAP -- VMM ARGS...
 *
 * Before the first run it makes TAP a persistent tap (so that hvd and
 * QEMU attach to the same device) with 10.0.2.1/24, and listens on port
 * 5100. Each run starts the VMM with its standard output on a pipe and
 * follows the guest through its steps:
 *
 *   blk: N and then 2N random 4 KiB reads, each run of reads between two
 *        marker lines on the serial console, timed when each marker
 *        arrives;
 *   tx:  after 2 * BYTES each way (the addresses resolved, and every
 *        page the transfers use touched: QEMU faults guest RAM in lazily,
 *        which would cost the first measured transfer only), the guest
 *        sends BYTES and then 2 * BYTES over TCP, each timed from the
 *        connection's accept to its end of file;
 *   txs: the same with the guest's TCP segmentation offload off, so that
 *        each packet is one MSS of data, as received packets are;
 *   rx:  the host sends BYTES and then 2 * BYTES, each timed from the
 *        accept to the guest's one-byte answer.
 *
 * Neither side keeps a connection's TCP metrics for the next
 * (tcp_no_metrics_save), so that each starts from the same state.
 *
 * For tx and rx it also counts the packets that crossed TAP (both ways,
 * from the tap's statistics; *_gpkts: those the guest sent). The report
 * takes the difference between the 2x and the 1x case, so that a run's
 * fixed costs (the markers, TCP's handshake and close) cancel out, and
 * divides it by N requests or by the difference in packets. One line per
 * run on standard output:
 *
 *   dev NAME rep=R n=N blk1_ns=.. blk2_ns=.. bytes=B tx1_ns=..
 *       tx1_pkts=.. tx2_ns=.. tx2_pkts=.. txs1_ns=.. txs1_pkts=..
 *       txs2_ns=.. txs2_pkts=.. rx1_ns=.. rx1_pkts=.. rx2_ns=.. rx2_pkts=..
 *       tx1_gpkts=.. tx2_gpkts=.. txs1_gpkts=.. txs2_gpkts=.. rx1_gpkts=..
 *       rx2_gpkts=..
 *
 * With DEV_BENCH_ALSO=PATH in the environment, each line also goes to
 * PATH at once, prefixed with "# bench: " (the test machine's results
 * port: a run that hangs the machine keeps the lines before it).
 *
 * The VMM's standard error goes to /tmp/dev_bench-NAME.err. Exit status
 * 1 if a run failed, after the runs that worked.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PORT		5100
#define MARKS		4
#define CHUNK		65536
/*
 * A run (boot and steps) is about 10 s of qemu-svm's clock, which counts
 * a few hundred million instructions a second of real time: a guest that
 * hangs costs minutes already.
 */
#define WAIT_NS		(60ull * 1000000000ull)

/* bench/vbench.c's lines, without their end: the console's is \r\n. */
static const char *const mark[MARKS] = { "vb:g", "vb:d", "vb:g", "vb:d" };
#define MARK_LEN	4

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The console reader: when each marker arrived. */
struct reader {
	int fd;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int marks;
	uint64_t at[MARKS];
	bool eof;
	char tail[2048]; /* the console's last bytes, for a failure */
	size_t tlen;
};

static void *read_console(void *opaque)
{
	struct reader *r = opaque;
	char buf[4096], win[MARK_LEN + 1] = "";
	size_t wlen = 0;
	ssize_t n, i;

	while ((n = read(r->fd, buf, sizeof(buf))) > 0) {
		uint64_t t = now_ns();

		for (i = 0; i < n; i++) {
			if (r->tlen == sizeof(r->tail) - 1) {
				memmove(r->tail, r->tail + 1, r->tlen - 1);
				r->tlen--;
			}
			r->tail[r->tlen++] = buf[i];
			const char *m;

			/* A sliding window as long as a marker. */
			if (wlen == MARK_LEN) {
				memmove(win, win + 1, MARK_LEN - 1);
				wlen = MARK_LEN - 1;
			}
			win[wlen++] = buf[i];
			win[wlen] = 0;
			pthread_mutex_lock(&r->lock);
			m = r->marks < MARKS ? mark[r->marks] : NULL;
			if (m && wlen == MARK_LEN && !strcmp(win, m)) {
				r->at[r->marks++] = t;
				pthread_cond_broadcast(&r->cond);
			}
			pthread_mutex_unlock(&r->lock);
		}
	}
	pthread_mutex_lock(&r->lock);
	r->eof = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Packets across @tap both ways; those from the guest into @from. */
static long tap_packets(const char *tap, long *from)
{
	static const char *const dir[] = { "rx", "tx" };
	long sum = 0, v;
	char path[128];
	unsigned int i;
	FILE *f;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
			 "/sys/class/net/%s/statistics/%s_packets", tap,
			 dir[i]);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%ld", &v) != 1) {
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		/* The tap receives what the guest sends. */
		if (!i)
			*from = v;
		sum += v;
	}
	return sum;
}

static int setup_tap(const char *tap)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC), s;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", tap);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) ||
	    ioctl(fd, TUNSETPERSIST, 1)) {
		fprintf(stderr, "dev_bench: tap %s: %s\n", tap,
			strerror(errno));
		return -1;
	}
	close(fd);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", tap);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "10.0.2.1", &sin->sin_addr);
	if (s < 0 || ioctl(s, SIOCSIFADDR, &ifr))
		goto fail;
	inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
	if (ioctl(s, SIOCSIFNETMASK, &ifr) || ioctl(s, SIOCGIFFLAGS, &ifr))
		goto fail;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		goto fail;
	close(s);
	return 0;
fail:
	fprintf(stderr, "dev_bench: address of %s: %s\n", tap, strerror(errno));
	return -1;
}

static int no_metrics(void)
{
	int fd = open("/proc/sys/net/ipv4/tcp_no_metrics_save", O_WRONLY);

	if (fd < 0 || write(fd, "1\n", 2) != 2) {
		fprintf(stderr, "dev_bench: tcp_no_metrics_save: %s\n",
			strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int listen_tcp(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(PORT),
				  .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4)) {
		fprintf(stderr, "dev_bench: listen on %d: %s\n", PORT,
			strerror(errno));
		return -1;
	}
	return fd;
}

static int accept_by(int lfd, uint64_t deadline)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };

	while (now_ns() < deadline) {
		if (poll(&pfd, 1, 1000) > 0)
			return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	}
	errno = ETIMEDOUT;
	return -1;
}

/* Read @fd to its end; the bytes read, or -1. */
static long long drain(int fd)
{
	static char buf[CHUNK];
	long long total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return n < 0 ? -1 : total;
}

/* One TCP transfer: @send bytes from here, or what the guest sends. */
static int transfer(int lfd, const char *tap, long long send, long long want,
		    uint64_t deadline, uint64_t *ns, long *pkts, long *gpkts)
{
	static char buf[CHUNK];
	long long left = send, got;
	long p0, p1, g0 = 0, g1 = 0;
	uint64_t t0;
	ssize_t n;
	int fd;

	fd = accept_by(lfd, deadline);
	if (fd < 0)
		return -1;
	/* No reply may wait for a timeout: a run ends at the last byte. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	t0 = now_ns();
	p0 = tap_packets(tap, &g0);
	while (left > 0) {
		n = write(fd, buf, left < CHUNK ? left : CHUNK);
		if (n <= 0)
			goto fail;
		left -= n;
	}
	if (send)
		shutdown(fd, SHUT_WR);
	got = drain(fd);
	*ns = now_ns() - t0;
	p1 = tap_packets(tap, &g1);
	close(fd);
	if (got != want) {
		fprintf(stderr,
			"dev_bench: %lld bytes from the guest, not %lld\n", got,
			want);
		return -1;
	}
	*pkts = p1 - p0;
	*gpkts = g1 - g0;
	return p0 < 0 || p1 < 0 ? -1 : 0;
fail:
	close(fd);
	return -1;
}

static void also(const char *line)
{
	const char *path = getenv("DEV_BENCH_ALSO");
	FILE *f = path ? fopen(path, "a") : NULL;

	if (!f)
		return;
	fprintf(f, "# bench: %s", line);
	fclose(f);
}

static void show_file(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	fprintf(stderr, "dev_bench: the VMM's standard error:\n");
	while (fgets(line, sizeof(line), f))
		fputs(line, stderr);
	fclose(f);
}

static bool wait_marks(struct reader *r, uint64_t deadline)
{
	bool ok;

	pthread_mutex_lock(&r->lock);
	while (r->marks < MARKS && !r->eof && now_ns() < deadline) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&r->cond, &r->lock, &ts);
	}
	ok = r->marks == MARKS;
	pthread_mutex_unlock(&r->lock);
	return ok;
}

static int run(const char *name, int rep, long n, long long bytes,
	       const char *tap, int lfd, char **argv)
{
	struct reader r = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .cond = PTHREAD_COND_INITIALIZER };
	uint64_t deadline = now_ns() + WAIT_NS, tx_ns[4], rx_ns[2], ns;
	long tx_pkts[4], rx_pkts[2], tx_g[4], rx_g[2], pkts, g;
	const char *step = "blk";
	char err[128], line[1024];
	pthread_t thread;
	int p[2], status, i;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	snprintf(err, sizeof(err), "/tmp/dev_bench-%s.err", name);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int null = open("/dev/null", O_RDWR);
		int efd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(null, STDIN_FILENO);
		dup2(p[1], STDOUT_FILENO);
		dup2(efd < 0 ? null : efd, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	r.fd = p[0];
	if (pthread_create(&thread, NULL, read_console, &r)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(p[0]);
		return -1;
	}
	if (!wait_marks(&r, deadline))
		goto fail;
	step = "tx";
	if (transfer(lfd, tap, 0, 2 * bytes, deadline, &ns, &pkts, &g) ||
	    transfer(lfd, tap, 2 * bytes, 1, deadline, &ns, &pkts, &g))
		goto fail;
	for (i = 0; i < 4; i++)
		if (transfer(lfd, tap, 0, bytes * (i % 2 + 1), deadline,
			     &tx_ns[i], &tx_pkts[i], &tx_g[i]))
			goto fail;
	step = "rx";
	for (i = 0; i < 2; i++)
		if (transfer(lfd, tap, bytes * (i + 1), 1, deadline, &rx_ns[i],
			     &rx_pkts[i], &rx_g[i]))
			goto fail;
	/* The guest powers off; a VMM that stays is ended. */
	for (i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(100000);
	if (i == 200) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	pthread_join(thread, NULL);
	close(p[0]);
	snprintf(line, sizeof(line),
		 "dev %s rep=%d n=%ld blk1_ns=%llu blk2_ns=%llu bytes=%lld "
		 "tx1_ns=%llu tx1_pkts=%ld tx2_ns=%llu tx2_pkts=%ld "
		 "txs1_ns=%llu txs1_pkts=%ld txs2_ns=%llu txs2_pkts=%ld "
		 "rx1_ns=%llu rx1_pkts=%ld rx2_ns=%llu rx2_pkts=%ld "
		 "tx1_gpkts=%ld tx2_gpkts=%ld txs1_gpkts=%ld txs2_gpkts=%ld "
		 "rx1_gpkts=%ld rx2_gpkts=%ld\n",
		 name, rep, n, (unsigned long long)(r.at[1] - r.at[0]),
		 (unsigned long long)(r.at[3] - r.at[2]), bytes,
		 (unsigned long long)tx_ns[0], tx_pkts[0],
		 (unsigned long long)tx_ns[1], tx_pkts[1],
		 (unsigned long long)tx_ns[2], tx_pkts[2],
		 (unsigned long long)tx_ns[3], tx_pkts[3],
		 (unsigned long long)rx_ns[0], rx_pkts[0],
		 (unsigned long long)rx_ns[1], rx_pkts[1], tx_g[0], tx_g[1],
		 tx_g[2], tx_g[3], rx_g[0], rx_g[1]);
	fputs(line, stdout);
	fflush(stdout);
	also(line);
	return 0;
fail:
	fprintf(stderr,
		"dev_bench: %s: run %d failed at %s (%u of %d markers): %s\n",
		name, rep, step, r.marks, MARKS, strerror(errno));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	pthread_join(thread, NULL);
	close(p[0]);
	r.tail[r.tlen] = 0;
	fprintf(stderr, "dev_bench: the console's end:\n%s\n", r.tail);
	show_file(err);
	return -1;
}

int main(int argc, char **argv)
{
	int reps, i, lfd, ret = 0;
	long long bytes;
	long n;

	if (argc < 8 || strcmp(argv[6], "--")) {
		fprintf(stderr, "usage: dev_bench NAME REPS N BYTES TAP -- VMM "
				"ARGS...\n");
		return 2;
	}
	reps = atoi(argv[2]);
	n = atol(argv[3]);
	bytes = atoll(argv[4]);
	signal(SIGPIPE, SIG_IGN);
	if (setup_tap(argv[5]) || no_metrics())
		return 1;
	lfd = listen_tcp();
	if (lfd < 0)
		return 1;
	for (i = 0; i < reps; i++)
		if (run(argv[1], i, n, bytes, argv[5], lfd, argv + 7))
			ret = 1;
	close(lfd);
	return ret;
}
