/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exits the VM's owner answers (port I/O, MMIO, MSRs hv leaves to it, HLT
 * notices): one record, one per-vCPU state machine, and a transport that
 * carries records to the owner. The run loop and the emulator post an exit
 * and wait for its completion; the owner's completion arrives through
 * hv_uexit_complete(); the transport (netlink unicast today, DESIGN rule 2)
 * is an ops table the core never looks behind.
 */
#ifndef HV_UEXIT_H
#define HV_UEXIT_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct hv_vcpu;
struct netlink_ext_ack;

/**
 * struct hv_uexit - one exit for the owner
 * @seq: the vCPU's sequence number of this exit (set by hv_uexit_post())
 * @rip: RIP of the instruction that exited (set by hv_uexit_post())
 * @reason: HV_EXIT_REASON_*
 * @dir: HV_DIR_* (io, mmio, msr)
 * @addr: port (io), guest-physical address (mmio) or MSR index (msr)
 * @size: access size in bytes (io, mmio, msr)
 * @data: the value written (writes), RFLAGS (hlt)
 */
struct hv_uexit {
	u64 seq;
	u64 rip;
	u32 reason;
	u32 dir;
	u64 addr;
	u32 size;
	u64 data;
};

/**
 * struct hv_uexit_ops - a transport of exits to the owner
 * @name: short name for logs and reports ("netlink", "ring")
 * @transport: HV_TRANSPORT_*, as vcpu-get reports it
 * @post: deliver @rec to the VM's owner. The vCPU thread, process
 *	context, may sleep briefly (GFP_KERNEL), no locks held. Returns 0;
 *	-EAGAIN if the owner's queue is full (the core waits and posts
 *	again); -ENOMEM; any other errno when the owner is gone (its socket
 *	release destroys the VM).
 * @poll: optional; look for the owner's completion of exit @seq where the
 *	transport keeps it. Returns 1 and fills @data and @error if it is
 *	there, 0 if not, -EPROTO if it is there but malformed. Called by the
 *	vCPU thread, also as a wait condition: must not sleep.
 * @sleep: optional; tell the owner that the vCPU sleeps (@sleeping) and
 *	so needs a wake-up after a completion, or no longer. Must not sleep;
 *	orders the flag before the core's next @poll (a full barrier).
 * @hurry: optional; the transport woke the owner for the exit posted
 *	last and the vCPU is about to poll for the answer: let the owner
 *	run first if it waits for this CPU. The vCPU thread; may sleep.
 * @cancel: optional; the vCPU stops and will not wait for the exit it
 *	posted last. Process context, may sleep; the vCPU thread is gone.
 * @release: optional; free the transport's state of a vCPU that leaves
 *	it (another transport is set, or the vCPU is freed). Process
 *	context; the vCPU posts and waits on nothing meanwhile.
 */
struct hv_uexit_ops {
	const char *name;
	u32 transport;
	int (*post)(struct hv_vcpu *vcpu, const struct hv_uexit *rec);
	int (*poll)(struct hv_vcpu *vcpu, u64 seq, u64 *data, bool *error);
	void (*sleep)(struct hv_vcpu *vcpu, bool sleeping);
	void (*hurry)(struct hv_vcpu *vcpu);
	void (*cancel)(struct hv_vcpu *vcpu);
	void (*release)(struct hv_vcpu *vcpu);
};

/**
 * struct hv_uexit_state - a vCPU's side of the exchange with its owner
 * @lock: protects the fields below: the vCPU thread against the owner
 * @ops: the transport
 * @priv: the transport's state of this vCPU
 * @seq: sequence number of the last exit posted
 * @pending: an exit waits for its completion
 * @done: its completion arrived
 * @data: the completion's data
 * @error: the completion's error flag
 * @malformed: the completion the transport found was malformed
 * @woke_owner: the transport woke the owner to post the last exit (the
 *	vCPU thread's own; a poll then calls @ops' hurry first)
 */
struct hv_uexit_state {
	spinlock_t lock;	/* the owner's completion against the vCPU */
	const struct hv_uexit_ops *ops;
	void *priv;
	u64 seq;
	bool pending;
	bool done;
	u64 data;
	bool error;
	bool malformed;
	bool woke_owner;
};

extern const struct hv_uexit_ops hv_nl_uexit_ops;
extern const struct hv_uexit_ops hv_ring_uexit_ops;

void hv_uexit_init(struct hv_vcpu *vcpu);
void hv_uexit_set_transport(struct hv_vcpu *vcpu,
			    const struct hv_uexit_ops *ops, void *priv);
void hv_uexit_release(struct hv_vcpu *vcpu);
int hv_uexit_post(struct hv_vcpu *vcpu, struct hv_uexit *rec, bool wait);
int hv_uexit_wait(struct hv_vcpu *vcpu, u64 *data, bool *error);
int hv_uexit_call(struct hv_vcpu *vcpu, u32 reason, u32 dir, u64 addr,
		  u32 size, u64 data, u64 *result, bool *error);
int hv_uexit_complete(struct hv_vcpu *vcpu, u64 seq, u64 data, bool error,
		      struct netlink_ext_ack *extack);
void hv_uexit_cancel(struct hv_vcpu *vcpu);
bool hv_uexit_idle(struct hv_vcpu *vcpu);
bool hv_uexit_unused(struct hv_vcpu *vcpu);
bool hv_uexit_settle(struct hv_vcpu *vcpu);

/* ring.c */
int hv_ring_attach(struct hv_vcpu *vcpu, u64 uaddr, int exit_fd, int done_fd,
		   struct netlink_ext_ack *extack);

#endif /* HV_UEXIT_H */
