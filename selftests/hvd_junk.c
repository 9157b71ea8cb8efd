// SPDX-License-Identifier: GPL-2.0
/*
 * hvd_junk: what a client of hvd's socket may throw at it. Sends
 * malformed requests ($HVD_SOCKET) and checks that each gets a refusal
 * ({"ok":false, ...} with the expected errno), that hvd keeps answering
 * on the same connection, and that "list" still works at the end; and
 * that connections which stay idle past hvd's limit (64) are refused
 * with the reason while hvd keeps serving. Run by hvd_super_test; exit
 * status 0 if every check held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* hvd's limit on connections at once (server.c's MAX_CLIENTS). */
#define MAX_CLIENTS 64

/* A string literal and its length, NULs inside included. */
#define LIT(s) (s), sizeof(s) - 1

static int fails;

static int connect_hvd(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = getenv("HVD_SOCKET");
	int s;

	if (!path || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (s >= 0 && connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		close(s);
		return -1;
	}
	return s;
}

/* Send @len bytes of @msg; the reply must contain @want. */
static void expect(int s, const char *what, const void *msg, size_t len,
		   const char *want)
{
	char reply[65536];
	ssize_t n;

	if (send(s, msg, len, 0) != (ssize_t)len) {
		printf("# %s: send: %s\n", what, strerror(errno));
		fails++;
		return;
	}
	n = recv(s, reply, sizeof(reply) - 1, 0);
	if (n <= 0) {
		printf("# %s: no reply\n", what);
		fails++;
		return;
	}
	reply[n] = '\0';
	if (!strstr(reply, want)) {
		printf("# %s: reply %s, want %s\n", what, reply, want);
		fails++;
	}
}

/* A connection past the limit: hvd tells it why and closes it. */
static void expect_refused(int s)
{
	struct timeval tv = { .tv_sec = 30 };
	char reply[512];
	ssize_t n;

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(s, reply, sizeof(reply) - 1, 0);
	if (n <= 0) {
		printf("# connection %d: no refusal: %s\n", MAX_CLIENTS + 1,
		       n ? strerror(errno) : "closed");
		fails++;
		return;
	}
	reply[n] = '\0';
	if (!strstr(reply, "\"errno\":87") ||
	    !strstr(reply, "too many connections to hvd (64)")) {
		printf("# connection %d: reply %s\n", MAX_CLIENTS + 1, reply);
		fails++;
	}
}

/*
 * @s is one connection; open MAX_CLIENTS - 1 more that send nothing.
 * The next one is refused; once one of them goes, a new one is served.
 */
static void hoard(int s)
{
	int conns[MAX_CLIENTS], i, extra;

	for (i = 0; i < MAX_CLIENTS - 1; i++) {
		conns[i] = connect_hvd();
		if (conns[i] < 0) {
			printf("# connection %d: %s\n", i + 2, strerror(errno));
			fails++;
			while (i--)
				close(conns[i]);
			return;
		}
	}
	/* A round trip on @s: hvd has accepted every one before it. */
	expect(s, "list with 64 connections", LIT("{\"op\":\"list\"}"),
	       "\"ok\":true");
	extra = connect_hvd();
	if (extra < 0) {
		printf("# connection %d: %s\n", MAX_CLIENTS + 1,
		       strerror(errno));
		fails++;
	} else {
		expect_refused(extra);
		close(extra);
	}
	close(conns[0]);
	/* hvd sees the hang-up before this request, which came after it. */
	expect(s, "list after one left", LIT("{\"op\":\"list\"}"),
	       "\"ok\":true");
	extra = connect_hvd();
	if (extra < 0) {
		printf("# a connection after one left: %s\n", strerror(errno));
		fails++;
	} else {
		expect(extra, "a connection after one left",
		       LIT("{\"op\":\"list\"}"), "\"ok\":true");
		close(extra);
	}
	for (i = 1; i < MAX_CLIENTS - 1; i++)
		close(conns[i]);
}

int main(void)
{
	static char big[70000], deep[256];
	unsigned char junk[512];
	unsigned int seed = 0x5eed, i, j;
	int s = connect_hvd();

	if (s < 0) {
		printf("# cannot connect to $HVD_SOCKET\n");
		return 1;
	}
	expect(s, "not json", LIT("nope"), "\"errno\":22");
	expect(s, "not an object", LIT("[1,2]"),
	       "the request must be a JSON object");
	expect(s, "trailing comma", LIT("{\"op\":\"list\",}"), "\"ok\":false");
	memset(deep, '[', sizeof(deep));
	expect(s, "nested 256 deep", deep, sizeof(deep), "\"ok\":false");
	memset(big, ' ', sizeof(big));
	expect(s, "70000 bytes", big, sizeof(big), "\"errno\":90");
	expect(s, "nul inside", LIT("{\"op\":\"li\0st\"}"), "\"ok\":false");
	expect(s, "memory too big",
	       LIT("{\"op\":\"create\",\"name\":\"j\",\"definition\":{\"kernel\":\"/k\",\"memory\":\"99999999T\"}}"),
	       "\"errno\":22");
	expect(s, "path in the name",
	       LIT("{\"op\":\"show\",\"name\":\"../../etc/passwd\"}"),
	       "bad VM name");
	for (i = 0; i < 500; i++) {
		size_t len = 1 + rand_r(&seed) % sizeof(junk);

		for (j = 0; j < len; j++)
			junk[j] = rand_r(&seed);
		/* Printable junk half of the time: it reaches the parser. */
		if (i % 2)
			for (j = 0; j < len; j++)
				junk[j] = 32 + junk[j] % 95;
		expect(s, "random bytes", junk, len, "\"ok\":false");
	}
	hoard(s);
	expect(s, "list after it all", LIT("{\"op\":\"list\"}"), "\"ok\":true");
	close(s);
	printf("# hvd_junk: %d checks failed\n", fails);
	return fails ? 1 : 0;
}
