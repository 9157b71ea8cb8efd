// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile netlink client, seeded. Three sockets send, in random order,
 * every command of the family with random but plausible arguments
 * (ids of their own VMs, of each other's and made up; sizes, addresses
 * and flags at and past their bounds; register records and CPUID tables
 * full of junk), random commands with random attribute sets (wrong
 * types, lengths, nesting), and hand-made messages with broken headers.
 * VMs get started with whatever their memory holds, and their exits are
 * answered or left waiting; sockets close at random moments, destroying
 * what they own.
 *
 * It fails on an errno the family has no business returning, on module
 * accounting that does not return to zero once every socket is closed,
 * or if a fresh VM then does not run a guest exactly. The test machines
 * fail the run on any host WARNING, BUG or hang.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/genetlink.h>
#include <sys/mman.h>

#include "fuzz.h"
#include "guest.h"
#include "test_util.h"

#define SOCKS		3
#define MEM		(2 << 20)
#define MAX_ERRNO	140

struct sock {
	struct hv *h;
	uint32_t vms[8];
	unsigned int nvms;
};

static struct sock socks[SOCKS];
static uint8_t *mem;
static unsigned long outcomes[MAX_ERRNO], requests, closes;

/* What the family may answer; anything else is a bug. */
static bool expected(int err)
{
	switch (-err) {
	case 0: case EINVAL: case ENOENT: case EEXIST: case EBUSY: case ENOSPC:
	case EPERM: case EOPNOTSUPP: case EFAULT: case ERANGE: case EMSGSIZE:
	case ENOMEM: case E2BIG: case EAGAIN: case EALREADY:
		return true;
	}
	return false;
}

static uint32_t some_vm(uint64_t *rng, struct sock *s)
{
	struct sock *o = &socks[fuzz_below(rng, SOCKS)];

	if (s->nvms && fuzz_below(rng, 4))
		return s->vms[fuzz_below(rng, s->nvms)];
	if (o->nvms && fuzz_one_in(rng, 2))
		return o->vms[fuzz_below(rng, o->nvms)];
	return fuzz_one_in(rng, 2) ? fuzz_below(rng, 64) : fuzz_value(rng);
}

static void random_name(uint64_t *rng, char *name, size_t size)
{
	static const char chars[] = "ab-_.09 /\x01\xff";
	size_t n = fuzz_below(rng, size), i;

	for (i = 0; i < n; i++)
		name[i] = chars[fuzz_below(rng, sizeof(chars) - 1)];
	name[n] = 0;
}

static bool tcg;

/*
 * Junk anywhere in the record; under QEMU's TCG not in EFER, DR7,
 * RFLAGS.VM or the segments (see fuzz_under_tcg()).
 */
static void random_regs(uint64_t *rng, struct hv_regs *r)
{
	struct hv_regs keep = *r;
	uint8_t *p = (uint8_t *)r;
	unsigned int n = 1 + fuzz_below(rng, 16);

	while (n--) {
		uint64_t v = fuzz_value(rng);
		size_t at = fuzz_below(rng, sizeof(*r) - 8);

		memcpy(p + at, &v, 8);
	}
	if (!tcg)
		return;
	r->efer = keep.efer;
	r->dr7 = keep.dr7;
	r->rflags &= ~(1ULL << 17);
	r->cs = keep.cs;
	r->ds = keep.ds;
	r->es = keep.es;
	r->fs = keep.fs;
	r->gs = keep.gs;
	r->ss = keep.ss;
	r->tr = keep.tr;
	r->ldtr = keep.ldtr;
}

/* A command with random attributes: types, lengths and nesting. */
static int random_message(uint64_t *rng, struct hv *h)
{
	uint8_t cmd = fuzz_below(rng, HV_CMD_MAX + 4);
	struct nl_msg *msg = hv_msg_new(h, cmd, fuzz_one_in(rng, 4) ?
					NLM_F_DUMP : 0);
	unsigned int n = fuzz_below(rng, 8);
	uint8_t data[64];

	if (!msg)
		return -ENOMEM;
	while (n--) {
		unsigned int type = fuzz_below(rng, 40), len = fuzz_below(rng, 24);
		struct nlattr *nest;
		unsigned int i;

		for (i = 0; i < sizeof(data); i++)
			data[i] = fuzz_mix(rng);
		if (fuzz_one_in(rng, 4)) {
			nest = nla_nest_start(msg, type);
			if (nest && !nla_put(msg, fuzz_below(rng, 40), len, data))
				nla_nest_end(msg, nest);
			continue;
		}
		if (nla_put(msg, type, len, data))
			break;
	}
	return hv_transact(h, msg, NULL, NULL);
}

/*
 * A message of the family whose own header lies about its length, flags
 * or version. (Other families are not hv's to fuzz.)
 */
static int broken_message(uint64_t *rng, struct hv *h)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		uint8_t attrs[64];
	} m;
	unsigned int i;

	memset(&m, 0, sizeof(m));
	for (i = 0; i < sizeof(m.attrs); i++)
		m.attrs[i] = fuzz_mix(rng);
	m.n.nlmsg_type = hv_family_id(h);
	m.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			  (fuzz_one_in(rng, 4) ? NLM_F_DUMP : 0);
	m.n.nlmsg_seq = fuzz_mix(rng);
	m.g.cmd = fuzz_below(rng, HV_CMD_MAX + 4);
	m.g.version = fuzz_below(rng, 3);
	m.n.nlmsg_len = NLMSG_HDRLEN + fuzz_below(rng, sizeof(m) - NLMSG_HDRLEN + 1);
	return hv_transact_raw(h, &m, m.n.nlmsg_len, NULL, NULL);
}

/* Answer or ignore the exits that came in meanwhile. */
static void drain(uint64_t *rng, struct sock *s)
{
	struct hv_message ev;

	while (!hv_next_message(s->h, &ev, 0))
		if (ev.cmd == HV_CMD_EXIT && fuzz_below(rng, 4))
			hv_vcpu_complete(s->h, ev.vm, ev.vcpu, ev.seq,
					 fuzz_value(rng), fuzz_one_in(rng, 8));
}

static int step(uint64_t *rng)
{
	struct sock *s = &socks[fuzz_below(rng, SOCKS)];
	uint32_t vm, entries[8][7];
	struct hv_vm_opts o = { 0 };
	struct hv_vm_info info;
	struct hv_slot_info si;
	struct hv_stats st;
	struct hv_regs r;
	struct hv_log log;
	char name[40];
	uint8_t buf[512];
	unsigned int i;
	int err;

	if (!s->h) {
		err = hv_open(&s->h);
		if (err)
			return err;
	}
	drain(rng, s);
	vm = some_vm(rng, s);
	switch (fuzz_below(rng, 20)) {
	case 0:
		random_name(rng, name, sizeof(name));
		o.name = fuzz_one_in(rng, 3) ? NULL : name;
		o.max_vcpus = fuzz_one_in(rng, 2) ? fuzz_below(rng, 5) :
						    fuzz_value(rng);
		o.max_mem = fuzz_one_in(rng, 2) ? 0 : fuzz_value(rng);
		o.unknown_msr = fuzz_below(rng, 4);
		err = hv_vm_new(s->h, &o, &info);
		if (!err && s->nvms < 8)
			s->vms[s->nvms++] = info.id;
		break;
	case 1:
		err = hv_vm_del(s->h, vm);
		break;
	case 2:
		err = hv_vcpu_new(s->h, vm, NULL);
		break;
	case 3:
		err = hv_mem_map(s->h, vm, fuzz_one_in(rng, 2) ?
				 fuzz_below(rng, 64) << 12 : fuzz_value(rng),
				 fuzz_one_in(rng, 2) ? (1 + fuzz_below(rng, 64)) << 12 :
						       fuzz_value(rng),
				 fuzz_one_in(rng, 4) ? (void *)(uintptr_t)fuzz_value(rng) :
				 mem + (fuzz_below(rng, 512) << 12),
				 fuzz_below(rng, 8), NULL);
		break;
	case 4:
		err = hv_mem_unmap(s->h, vm, fuzz_below(rng, 6));
		break;
	case 5:
		err = fuzz_one_in(rng, 2) ? hv_vm_start(s->h, vm) :
					    hv_vm_pause(s->h, vm);
		break;
	case 6:
		err = hv_vcpu_get_regs(s->h, vm, fuzz_below(rng, 3), &r);
		if (err)
			memset(&r, 0, sizeof(r));
		random_regs(rng, &r);
		err = hv_vcpu_set_regs(s->h, vm, fuzz_below(rng, 3), &r);
		break;
	case 7:
		err = hv_vcpu_complete(s->h, vm, fuzz_below(rng, 3),
				       fuzz_value(rng), fuzz_value(rng),
				       fuzz_one_in(rng, 2));
		break;
	case 8:
		err = hv_mem_read(s->h, vm, fuzz_value(rng), buf,
				  fuzz_below(rng, sizeof(buf)));
		break;
	case 9:
		/* Under TCG no code a started VM could run: see above. */
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = tcg ? 0 : fuzz_mix(rng);
		err = hv_mem_write(s->h, vm, fuzz_one_in(rng, 2) ?
				   fuzz_below(rng, 2 << 20) : fuzz_value(rng),
				   buf, 1 + fuzz_below(rng, sizeof(buf)));
		break;
	case 10:
		log.bitmap = NULL;
		err = fuzz_one_in(rng, 2) ?
		      hv_mem_set_flags(s->h, vm, fuzz_below(rng, 4),
				       fuzz_value(rng)) :
		      hv_mem_log(s->h, vm, fuzz_below(rng, 4),
				 fuzz_one_in(rng, 2) ? fuzz_below(rng, 600) :
						       fuzz_value(rng) & 0xffffff,
				 fuzz_below(rng, 4), &log);
		free(log.bitmap);
		break;
	case 11:
		for (i = 0; i < 8 * 7; i++)
			entries[i / 7][i % 7] = fuzz_value(rng);
		err = hv_vm_set_cpuid(s->h, vm, entries, fuzz_below(rng, 9));
		break;
	case 12:
		err = hv_get_stats(s->h, fuzz_one_in(rng, 2) ? 0 : vm, &st);
		break;
	case 13:
		err = hv_mem_get(s->h, vm, fuzz_below(rng, 4), &si);
		break;
	case 14:
	case 15:
		err = random_message(rng, s->h);
		break;
	case 16:
		err = broken_message(rng, s->h);
		break;
	case 17:
		err = hv_vm_set_msr_policy(s->h, vm, fuzz_below(rng, 4));
		break;
	case 18:
		err = hv_vcpu_get(s->h, vm, fuzz_below(rng, 4),
				  &(struct hv_vcpu_info){ 0 });
		break;
	default:
		/* Gone, with whatever it owned. */
		hv_close(s->h);
		s->h = NULL;
		s->nvms = 0;
		closes++;
		return 0;
	}
	requests++;
	if (-err >= 0 && -err < MAX_ERRNO)
		outcomes[-err]++;
	if (!expected(err)) {
		fprintf(stderr, "unexpected answer %d (%s): %s\n", err,
			strerror(-err), hv_errmsg(s->h));
		return -EPROTO;
	}
	return 0;
}

GUEST_CODE(nl_probe, ".code64", "mov $0x600dcafe, %eax\n" G_REPORT "hlt\n");

/* After all that, a new VM still runs a guest exactly. */
static int probe(void)
{
	struct tvm vm;
	uint64_t v = 0;
	int err;

	err = tvm_create(&vm, 1 << 20, 1);
	if (err)
		return err;
	tvm_load(&vm, CODE_GPA, nl_probe_start, nl_probe_end);
	err = tvm_set_mode(&vm, 0, MODE_LONG64, CODE_GPA);
	if (!err)
		err = tvm_expect_report(&vm, &v, 10000);
	if (!err && v != 0x600dcafe)
		err = -EPROTO;
	if (!err)
		err = tvm_run_to_hlt(&vm, 10000);
	tvm_destroy(&vm);
	return err;
}

int main(void)
{
	uint64_t start = fuzz_now_ms(), end, rng, i;
	struct fuzz_opts o;
	struct hv *watch;
	int err = 0, e;

	hv_test_require_module();
	fuzz_opts_read(&o, 20);
	tcg = fuzz_under_tcg();
	printf("nl_fuzz: seed %#llx, %u s%s\n", (unsigned long long)o.seed,
	       o.seconds, tcg ? ", TCG: the states QEMU mishandles avoided" : "");
	fflush(stdout);
	mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || hv_open(&watch))
		return 1;
	end = start + o.seconds * 1000ULL;
	/* A step's seed is its own: hvfuzz_iter replays the run up to it. */
	for (i = 0; !err && (o.iter >= 0 ? i <= (uint64_t)o.iter :
				fuzz_now_ms() < end); i++) {
		rng = fuzz_iter_seed(o.seed, i);
		err = step(&rng);
		if (err)
			fprintf(stderr, "nl_fuzz: step %llu failed (hvfuzz_seed=%#llx hvfuzz_iter=%llu)\n",
				(unsigned long long)i,
				(unsigned long long)o.seed,
				(unsigned long long)i);
	}
	for (e = 0; e < SOCKS; e++) {
		hv_close(socks[e].h);
		socks[e].h = NULL;
	}
	/* Random set-info requests may have changed the L1D flush mode. */
	hv_set_l1d_flush(watch, HV_L1D_FLUSH_MODE_AUTO, &(struct hv_info){ 0 });
	if (!err)
		err = tvm_accounting_settles(watch, 10000);
	if (!err)
		err = probe();
	printf("nl_fuzz: seed %#llx: %lu requests, %lu sockets closed, %llu s; answers:",
	       (unsigned long long)o.seed, requests, closes,
	       (unsigned long long)(fuzz_now_ms() - start) / 1000);
	for (e = 0; e < MAX_ERRNO; e++)
		if (outcomes[e])
			printf(" %s %lu", e ? strerrorname_np(e) : "ok",
			       outcomes[e]);
	printf("\n");
	hv_close(watch);
	return err ? 1 : 0;
}
