// SPDX-License-Identifier: GPL-2.0
/*
 * hvd_junk: what a client of hvd's socket may throw at it. Sends
 * malformed requests ($HVD_SOCKET) and checks that each gets a refusal
 * ({"ok":false, ...} with the expected errno), that hvd keeps answering
 * on the same connection, and that "list" still works at the end. Run
 * by hvd_super_test; exit status 0 if every check held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

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
	expect(s, "list after it all", LIT("{\"op\":\"list\"}"), "\"ok\":true");
	close(s);
	printf("# hvd_junk: %d checks failed\n", fails);
	return fails ? 1 : 0;
}
