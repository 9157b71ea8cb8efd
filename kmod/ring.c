// SPDX-License-Identifier: GPL-2.0
/*
 * The exit ring: the shared-memory transport of uexit.c (DESIGN rule 2).
 * The owner registers one page of its memory per vCPU (vcpu-set-ring) and
 * two eventfds. The kernel writes exit records into the page and signals
 * the exit eventfd only if the owner said it sleeps; the owner writes the
 * completion into the page and signals the done eventfd only if the vCPU
 * said it sleeps. Each side publishes its record, then (full barrier)
 * reads the other's sleeping flag; the other sets its flag, then (full
 * barrier) looks for work before it sleeps: one of the two always sees
 * the other, so no wake-up is lost and a polling side costs no system call.
 *
 * The page is the owner's and changes under us at any time: the kernel
 * keeps its own head, reads each owner field once into a local, and checks
 * what it read. The page is pinned (FOLL_LONGTERM) like guest RAM, so an
 * owner that unmaps or truncates it only stops seeing what we write.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "compat.h"
#include "hv_host.h"

static_assert(sizeof(struct hv_ring) <= PAGE_SIZE);
static_assert(offsetof(struct hv_ring, tail) == 64);
static_assert(offsetof(struct hv_ring, exits) == 128);
static_assert(!(HV_RING_ENTRIES & (HV_RING_ENTRIES - 1)));

/**
 * struct hv_ring_state - a vCPU's side of its exit ring
 * @vcpu: the vCPU
 * @page: the owner's page, pinned
 * @ring: its kernel mapping
 * @head: exits posted, the kernel's own count (never read from the page)
 * @exit_efd: signalled after an exit is posted while the owner sleeps
 * @done_efd: the owner signals it after a completion while the vCPU sleeps
 * @done_wait: our entry on @done_efd's wait queue
 * @pt: to find that wait queue (vfs_poll())
 * @owner: the thread that registered the ring, which normally waits on it
 */
struct hv_ring_state {
	struct hv_vcpu *vcpu;
	struct page *page;
	struct hv_ring *ring;
	u32 head;
	struct eventfd_ctx *exit_efd;
	struct eventfd_ctx *done_efd;
	wait_queue_entry_t done_wait;
	poll_table pt;
	struct task_struct *owner;
};

static int ring_post(struct hv_vcpu *vcpu, const struct hv_uexit *rec)
{
	struct hv_ring_state *rs = vcpu->uexit.priv;
	struct hv_ring *r = rs->ring;
	struct hv_ring_exit *e;

	/* A tail the owner made up at most stalls its own vCPU. */
	if (rs->head - READ_ONCE(r->tail) >= HV_RING_ENTRIES)
		return -EAGAIN;
	e = &r->exits[rs->head % HV_RING_ENTRIES];
	WRITE_ONCE(e->seq, rec->seq);
	WRITE_ONCE(e->rip, rec->rip);
	WRITE_ONCE(e->addr, rec->addr);
	WRITE_ONCE(e->data, rec->data);
	WRITE_ONCE(e->reason, rec->reason);
	WRITE_ONCE(e->dir, rec->dir);
	WRITE_ONCE(e->size, rec->size);
	WRITE_ONCE(e->reserved, 0);
	rs->head++;
	/* The record before head: pairs with the owner's acquire of head. */
	smp_store_release(&r->head, rs->head);
	/* Pairs with the owner's barrier between its flag and its look at head. */
	smp_mb();
	if (READ_ONCE(r->owner_flags) & HV_RING_FLAGS_SLEEPING) {
		eventfd_signal(rs->exit_efd, 1);
		vcpu->uexit.woke_owner = true;
		vcpu->stats[HV_STAT_OWNER_WAKEUPS]++;
	}
	return 0;
}

static int ring_poll(struct hv_vcpu *vcpu, u64 seq, u64 *data, bool *error)
{
	struct hv_ring_state *rs = vcpu->uexit.priv;
	struct hv_ring_completion *c = &rs->ring->completion;
	u32 flags, reserved;

	/* seq is written last: acquire, then the rest once each. */
	if (smp_load_acquire(&c->seq) != seq)
		return 0;
	*data = READ_ONCE(c->data);
	flags = READ_ONCE(c->flags);
	reserved = READ_ONCE(c->reserved);
	if ((flags & ~HV_RING_COMPLETION_FLAGS_ERROR) || reserved)
		return -EPROTO;
	*error = flags & HV_RING_COMPLETION_FLAGS_ERROR;
	return 1;
}

static void ring_sleep(struct hv_vcpu *vcpu, bool sleeping)
{
	struct hv_ring_state *rs = vcpu->uexit.priv;

	WRITE_ONCE(rs->ring->kernel_flags, sleeping ? HV_RING_FLAGS_SLEEPING : 0);
	/* Pairs with the owner's barrier between its completion and our flag. */
	smp_mb();
}

/*
 * On a CPU the owner shares with the vCPU (one CPU, or a busy host), the
 * owner just woken would wait for the scheduler's next look, and the vCPU
 * would poll meanwhile: hand it the CPU now. Elsewhere this costs a look
 * at its run queue.
 */
static void ring_hurry(struct hv_vcpu *vcpu)
{
	struct hv_ring_state *rs = vcpu->uexit.priv;

	yield_to(rs->owner, true);
}

static void ring_free(struct hv_ring_state *rs)
{
	u64 cnt;

	if (rs->done_efd) {
		eventfd_ctx_remove_wait_queue(rs->done_efd, &rs->done_wait, &cnt);
		eventfd_ctx_put(rs->done_efd);
	}
	if (rs->exit_efd)
		eventfd_ctx_put(rs->exit_efd);
	if (rs->page) {
		unpin_user_pages_dirty_lock(&rs->page, 1, true);
		atomic64_dec(&hv_acct.pinned_pages);
	}
	if (rs->owner)
		put_task_struct(rs->owner);
	kfree(rs);
}

static void ring_release(struct hv_vcpu *vcpu)
{
	ring_free(vcpu->uexit.priv);
}

/* The exit ring as a transport of uexit.c. */
const struct hv_uexit_ops hv_ring_uexit_ops = {
	.name = "ring",
	.transport = HV_TRANSPORT_RING,
	.post = ring_post,
	.poll = ring_poll,
	.sleep = ring_sleep,
	.hurry = ring_hurry,
	.release = ring_release,
};

/*
 * The done eventfd was written (EPOLLIN) or closed (EPOLLHUP). Called
 * under the eventfd's wait-queue lock, interrupts off.
 */
static int ring_done_wake(wait_queue_entry_t *wait, unsigned int mode,
			  int sync, void *key)
{
	struct hv_ring_state *rs = container_of(wait, struct hv_ring_state,
						done_wait);
	u64 cnt;

	if (key_to_poll(key) & EPOLLIN) {
		/* Keep the count from growing: only the wake-up matters. */
		eventfd_ctx_do_read(rs->done_efd, &cnt);
		wake_up(&rs->vcpu->wq);
	}
	return 0;
}

static void ring_queue_proc(struct file *file, wait_queue_head_t *wqh,
			    poll_table *pt)
{
	struct hv_ring_state *rs = container_of(pt, struct hv_ring_state, pt);

	add_wait_queue(wqh, &rs->done_wait);
}

static int ring_eventfds(struct hv_ring_state *rs, int exit_fd, int done_fd,
			 struct netlink_ext_ack *extack)
{
	struct file *file;

	rs->exit_efd = eventfd_ctx_fdget(exit_fd);
	if (IS_ERR(rs->exit_efd)) {
		hv_extack_msg(extack, "exit-fd is not an eventfd of the caller");
		return PTR_ERR(rs->exit_efd);
	}
	file = eventfd_fget(done_fd);
	if (IS_ERR(file)) {
		rs->done_efd = NULL;
		hv_extack_msg(extack, "done-fd is not an eventfd of the caller");
		return PTR_ERR(file);
	}
	rs->done_efd = eventfd_ctx_fileget(file);
	if (IS_ERR(rs->done_efd)) {
		fput(file);
		rs->done_efd = NULL;
		hv_extack_msg(extack, "done-fd is not an eventfd of the caller");
		return -EINVAL;
	}
	if (rs->done_efd == rs->exit_efd) {
		fput(file);
		eventfd_ctx_put(rs->done_efd);
		rs->done_efd = NULL;
		hv_extack_msg(extack, "exit-fd and done-fd must be two eventfds");
		return -EINVAL;
	}
	init_waitqueue_func_entry(&rs->done_wait, ring_done_wake);
	init_poll_funcptr(&rs->pt, ring_queue_proc);
	vfs_poll(file, &rs->pt);
	fput(file);
	return 0;
}

/**
 * hv_ring_attach() - carry a vCPU's exits over a ring in the caller's memory
 * @vcpu: the vCPU, as for hv_uexit_set_transport()
 * @uaddr: the page in the caller's address space, page-aligned, writable
 * @exit_fd: the caller's eventfd the kernel signals after posting an exit
 * @done_fd: the caller's eventfd it signals after writing a completion
 * @extack: names the problem on failure
 *
 * Context: the caller's process context (a netlink handler), may sleep.
 * Return: 0; -EINVAL for an unaligned address or a file that is no
 * eventfd; -EBADF; -EFAULT if the page cannot be pinned; -ENOMEM.
 */
int hv_ring_attach(struct hv_vcpu *vcpu, u64 uaddr, int exit_fd, int done_fd,
		   struct netlink_ext_ack *extack)
{
	struct hv_ring_state *rs;
	struct hv_ring *r;
	long got;
	int err;

	if (!PAGE_ALIGNED(uaddr)) {
		hv_extack_msg(extack, "ring-addr must be page-aligned");
		return -EINVAL;
	}
	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs)
		return -ENOMEM;
	rs->vcpu = vcpu;
	rs->owner = get_task_struct(current);
	err = ring_eventfds(rs, exit_fd, done_fd, extack);
	if (err) {
		if (IS_ERR(rs->exit_efd))
			rs->exit_efd = NULL;
		goto fail;
	}
	got = pin_user_pages_fast(uaddr, 1, FOLL_WRITE | FOLL_LONGTERM,
				  &rs->page);
	if (got != 1) {
		rs->page = NULL;
		hv_extack_msg(extack,
			      "cannot pin the ring page (not mapped, or not writable?)");
		err = got < 0 ? (int)got : -EFAULT;
		goto fail;
	}
	atomic64_inc(&hv_acct.pinned_pages);
	r = page_address(rs->page);
	rs->ring = r;
	/* Ours: the owner starts from an empty ring, the vCPU's current seq. */
	memset(r, 0, PAGE_SIZE);
	r->version = HV_RING_VERSION;
	r->entries = HV_RING_ENTRIES;
	r->completion.seq = vcpu->uexit.seq;
	hv_uexit_set_transport(vcpu, &hv_ring_uexit_ops, rs);
	return 0;
fail:
	ring_free(rs);
	return err;
}
