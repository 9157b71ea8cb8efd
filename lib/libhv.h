/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libhv: a small client of the hv generic netlink family on libnl-genl-3,
 * shared by hvctl, hvd and the selftests. Functions return 0 or a negative
 * errno; after a failed request hv_errmsg() holds the kernel's extack
 * message (empty if it sent none).
 */
#ifndef LIBHV_H
#define LIBHV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "uapi/hv.h"

struct hv;
struct nl_msg;
struct nlattr;
struct nlmsghdr;

/**
 * struct hv_info - the reply of get-info
 * @present: bit N set if attribute N of the info set was in the reply
 * @backend: HV_BACKEND_*
 * @version: module version
 * @caps: HV_CAP_* bits
 * @tlb_tags: VPIDs or ASIDs available to guests
 * @hw_revision: VMCS revision or SVM revision
 * @l1tf: HV_L1TF_*
 * @l1d_flush_mode: configured HV_L1D_FLUSH_MODE_*
 * @l1d_flush: effective HV_L1D_FLUSH_MODE_*
 * @l1d_flush_method: HV_L1D_FLUSH_METHOD_*
 * @l1d_flush_reason: why the effective mode was chosen
 * @mitigations: HV_MITIGATION_* bits
 * @max_vms: most VMs at once
 * @max_vcpus: most vCPUs per VM
 * @max_mem: most guest memory per VM, bytes
 * @dirty_method: how new VMs log accessed and dirty pages
 * @dirty_reason: why that method
 * @ring_poll_ns: the exit-ring poll time new VMs start with
 * @apicv: how much of the APIC the CPU virtualizes: off, vid or posted
 * @apicv_reason: why that much
 * @apic_timer: what counts the APIC timer down in the guest:
 *	preemption-timer or hrtimer
 */
struct hv_info {
	uint64_t present;
	uint32_t backend;
	char version[64];
	uint64_t caps;
	uint32_t tlb_tags;
	uint32_t hw_revision;
	uint32_t l1tf;
	uint32_t l1d_flush_mode;
	uint32_t l1d_flush;
	uint32_t l1d_flush_method;
	char l1d_flush_reason[128];
	uint64_t mitigations;
	uint32_t max_vms;
	uint32_t max_vcpus;
	uint64_t max_mem;
	char dirty_method[32];
	char dirty_reason[128];
	uint32_t ring_poll_ns;
	char apicv[16];
	char apicv_reason[128];
	char apic_timer[32];
};

/**
 * struct hv_vm_info - a VM as vm-get describes it
 * @id: id
 * @name: name
 * @state: HV_VM_STATE_*
 * @nr_vcpus: vCPUs
 * @mem_size: bytes mapped
 * @owner: owner socket's port id
 * @crash_reason: why it crashed, or ""
 * @max_vcpus: vCPU limit
 * @max_mem: memory limit
 * @unknown_msr: HV_MSR_POLICY_*
 * @ring_poll_ns: how long its vCPUs poll their exit rings, ns
 * @halt_notices: 1 if a HLT that halts a vCPU posts a notice to the owner
 */
struct hv_vm_info {
	uint32_t id;
	char name[HV_VM_NAME_LEN];
	uint32_t state;
	uint32_t nr_vcpus;
	uint64_t mem_size;
	uint32_t owner;
	char crash_reason[128];
	uint32_t max_vcpus;
	uint64_t max_mem;
	uint32_t unknown_msr;
	uint32_t ring_poll_ns;
	uint32_t halt_notices;
};

/**
 * struct hv_vm_opts - options of vm-new; zero means the module's default
 * @name: name, or NULL for "vm<id>"
 * @max_vcpus: vCPU limit
 * @max_mem: memory limit in bytes
 * @unknown_msr: HV_MSR_POLICY_*
 * @ring_poll_ns: exit-ring poll time in ns, if @set_ring_poll
 * @set_ring_poll: set @ring_poll_ns (0 is a valid time: never poll)
 * @no_halt_notices: halts post no notice to the owner (vm-set can change
 *	it later, hv_vm_set_halt_notices())
 */
struct hv_vm_opts {
	const char *name;
	uint32_t max_vcpus;
	uint64_t max_mem;
	uint32_t unknown_msr;
	uint32_t ring_poll_ns;
	int set_ring_poll;
	int no_halt_notices;
};

/**
 * struct hv_vcpu_info - a vCPU as vcpu-get describes it
 * @vm: its VM
 * @id: its id
 * @state: HV_VCPU_STATE_*
 * @exits: exits so far
 * @thread: pid of its kernel thread
 * @transport: HV_TRANSPORT_*
 * @sleeps: times it slept waiting for a completion
 * @owner_wakeups: exits posted to its ring while the owner slept
 */
struct hv_vcpu_info {
	uint32_t vm;
	uint32_t id;
	uint32_t state;
	uint64_t exits;
	uint32_t thread;
	uint32_t transport;
	uint64_t sleeps;
	uint64_t owner_wakeups;
};

/* General-purpose registers, in the hardware's encoding order. */
enum {
	HV_RAX, HV_RCX, HV_RDX, HV_RBX, HV_RSP, HV_RBP, HV_RSI, HV_RDI,
	HV_R8, HV_R9, HV_R10, HV_R11, HV_R12, HV_R13, HV_R14, HV_R15,
	HV_NR_GPRS,
};

/* Segment access rights, VMX layout. */
#define HV_AR_S		(1u << 4)
#define HV_AR_P		(1u << 7)
#define HV_AR_L		(1u << 13)
#define HV_AR_DB	(1u << 14)
#define HV_AR_G		(1u << 15)
#define HV_AR_UNUSABLE	(1u << 16)

/**
 * struct hv_segment - a segment register with its hidden part
 * @selector: selector
 * @base: base
 * @limit: limit in bytes
 * @ar: access rights, VMX layout (HV_AR_*)
 */
struct hv_segment {
	uint16_t selector;
	uint64_t base;
	uint32_t limit;
	uint32_t ar;
};

/**
 * struct hv_dtable - GDTR or IDTR
 * @base: base address
 * @limit: limit
 */
struct hv_dtable {
	uint64_t base;
	uint32_t limit;
};

/**
 * struct hv_regs - a vCPU's architectural state (vcpu-get-regs)
 *
 * The same record on VMX and SVM. hv_vcpu_set_regs() sends all of it;
 * @lapic holds the local APIC's registers, 32 bits every 16 bytes as the
 * xAPIC page lays them out (hv_lapic_reg()).
 */
struct hv_regs {
	uint64_t gpr[HV_NR_GPRS];
	uint64_t rip, rflags;
	uint64_t cr0, cr2, cr3, cr4, cr8, efer;
	uint64_t dr[4], dr6, dr7;
	struct hv_segment cs, ds, es, fs, gs, ss, tr, ldtr;
	struct hv_dtable gdtr, idtr;
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip, pat, tsc;
	struct {
		int valid;
		uint32_t type;
		uint8_t vector;
		int has_error;
		uint32_t error_code;
	} event;
	uint32_t int_shadow;
	uint32_t activity;
	uint8_t fpu[512];
	uint64_t apic_base, tsc_deadline, nmi_pending;
	uint8_t lapic[HV_LAPIC_STATE_SIZE];
};

/**
 * hv_lapic_reg() - a local APIC register of a register record
 * @r: the record
 * @off: the register's offset in the xAPIC page (0x80 TPR, 0x100 ISR...)
 *
 * Return: its 32 bits.
 */
static inline uint32_t hv_lapic_reg(const struct hv_regs *r, uint32_t off)
{
	uint32_t v;

	memcpy(&v, r->lapic + off, sizeof(v));
	return v;
}

/**
 * struct hv_slot_info - a guest memory slot
 * @vm: its VM
 * @slot: its id
 * @gpa: guest-physical address
 * @size: bytes
 * @uaddr: address in the owner
 * @flags: HV_MEM_FLAGS_*
 */
struct hv_slot_info {
	uint32_t vm;
	uint32_t slot;
	uint64_t gpa;
	uint64_t size;
	uint64_t uaddr;
	uint32_t flags;
};

/* Options of hv_mem_log(). */
#define HV_LOG_ACCESSED	1	/* accessed pages, not dirty ones */
#define HV_LOG_PEEK	2	/* do not clear */

/**
 * struct hv_log - the result of hv_mem_log()
 * @npages: pages of the slot, bits in @bitmap
 * @count: bits set
 * @method: how the VM logs ("ept-ad", "npt-ad", "emulated")
 * @bitmap: bit i set if page i of the slot was written (accessed); free()
 */
struct hv_log {
	uint64_t npages;
	uint64_t count;
	char method[32];
	uint64_t *bitmap;
};

/**
 * struct hv_stats - get-stats
 * @vm: the VM, or 0 for module-wide
 * @vms: VMs that exist
 * @vcpus: vCPUs that exist
 * @threads: vCPU threads alive
 * @pinned_pages: guest pages pinned
 * @pt_pages: nested page-table pages
 * @exits: exit counters: total, cpuid, msr, hlt, npf, intr, io, mmio, other,
 *	timer (HV_STAT_*)
 * @invept: INVEPTs run (VMX)
 * @invvpid: INVVPIDs run (VMX)
 * @invvpid_saved: INVVPIDs skipped because an INVEPT covered them (VMX)
 * @l1d_flush_msr: L1D flushes through IA32_FLUSH_CMD
 * @l1d_flush_sw: L1D flushes by the software fill
 * @pml_full: exits because the page-modification log was full (VMX)
 * @sleeps: times vCPUs slept waiting for a completion
 * @owner_wakeups: exits posted to a ring while its owner slept
 * @intr_injected: interrupts the local APICs injected
 * @ipis: interprocessor interrupts the guests sent
 * @timer_fired: APIC timer expiries that requested an interrupt
 * @ioeventfd: guest writes that signalled an ioeventfd
 * @eoi_notices: EOIs of level-triggered vectors reported to the owner
 * @intr_posted: interrupts posted to the vCPUs' descriptors (APICv) and
 *	moved into IRR for the CPU to deliver
 * @halt_polled: halts that ended while the vCPU polled, without sleeping
 */
struct hv_stats {
	uint32_t vm;
	uint32_t vms;
	uint32_t vcpus;
	uint32_t threads;
	uint64_t pinned_pages;
	uint64_t pt_pages;
	uint64_t exits[10];
	uint64_t invept;
	uint64_t invvpid;
	uint64_t invvpid_saved;
	uint64_t l1d_flush_msr;
	uint64_t l1d_flush_sw;
	uint64_t pml_full;
	uint64_t sleeps;
	uint64_t owner_wakeups;
	uint64_t intr_injected;
	uint64_t ipis;
	uint64_t timer_fired;
	uint64_t ioeventfd;
	uint64_t eoi_notices;
	uint64_t intr_posted;
	uint64_t halt_polled;
};

enum { HV_STAT_EXITS, HV_STAT_CPUID, HV_STAT_MSR, HV_STAT_HLT, HV_STAT_NPF,
       HV_STAT_INTR, HV_STAT_IO, HV_STAT_MMIO, HV_STAT_OTHER,
       HV_STAT_TIMER };

/**
 * struct hv_ioeventfd - the guest writes an ioeventfd takes
 * @space: HV_IO_SPACE_PIO or HV_IO_SPACE_MMIO
 * @addr: the port or guest-physical address
 * @len: the size of the writes: 1, 2, 4 or 8 bytes
 * @match: only writes of @datamatch
 * @datamatch: the value, with @match
 */
struct hv_ioeventfd {
	uint32_t space;
	uint64_t addr;
	uint32_t len;
	bool match;
	uint64_t datamatch;
};

/**
 * struct hv_message - an exit or a notice received from the family (a
 * message; not the event a vCPU has pending, which is struct hv_regs.event)
 * @cmd: HV_CMD_EXIT or HV_CMD_NOTICE
 * @vm: the VM
 * @vcpu: the vCPU (exits)
 * @seq: the exit's sequence number (exits)
 * @reason: HV_EXIT_REASON_* (exits)
 * @dir: HV_DIR_* (exits)
 * @port: I/O port (io exits)
 * @gpa: guest-physical address (mmio exits)
 * @size: access size (exits)
 * @data: value written (write exits)
 * @rip: RIP of the instruction (exits)
 * @msr: MSR index (msr exits)
 * @rflags: RFLAGS (hlt exits)
 * @vector: the vector ended (eoi exits)
 * @notice: HV_NOTICE_* (notices)
 * @name: the VM's name (notices)
 * @reason_text: why (crash notices)
 */
struct hv_message {
	uint8_t cmd;
	uint32_t vm;
	uint32_t vcpu;
	uint64_t seq;
	uint32_t reason;
	uint32_t dir;
	uint16_t port;
	uint64_t gpa;
	uint8_t size;
	uint64_t data;
	uint64_t rip;
	uint32_t msr;
	uint64_t rflags;
	uint8_t vector;
	uint32_t notice;
	char name[HV_VM_NAME_LEN];
	char reason_text[128];
};

/* Connection. */
int hv_open(struct hv **out);
int hv_open_fd(int fd, struct hv **out);
void hv_close(struct hv *h);
const char *hv_errmsg(const struct hv *h);
int hv_family_id(const struct hv *h);
int hv_fd(const struct hv *h);
uint32_t hv_portid(const struct hv *h);

/* Commands. */
int hv_get_info(struct hv *h, struct hv_info *info);
int hv_set_l1d_flush(struct hv *h, uint32_t mode, struct hv_info *info);
int hv_vm_new(struct hv *h, const struct hv_vm_opts *opts,
	      struct hv_vm_info *out);
int hv_vm_del(struct hv *h, uint32_t vm);
int hv_vm_get(struct hv *h, uint32_t vm, const char *name,
	      struct hv_vm_info *out);
int hv_vm_list(struct hv *h, struct hv_vm_info **out, size_t *n);
int hv_vm_set_cpuid(struct hv *h, uint32_t vm,
		    const uint32_t (*entries)[7], size_t n);
int hv_vm_set_msr_policy(struct hv *h, uint32_t vm, uint32_t policy);
int hv_vm_set_ring_poll(struct hv *h, uint32_t vm, uint32_t ns);
int hv_vm_set_halt_notices(struct hv *h, uint32_t vm, int on);
int hv_vm_msi(struct hv *h, uint32_t vm, uint64_t addr, uint32_t data);
int hv_vm_irqfd(struct hv *h, uint32_t vm, int fd, uint64_t addr,
		uint32_t data);
int hv_vm_irqfd_remove(struct hv *h, uint32_t vm, int fd);
int hv_vcpu_intr_line(struct hv *h, uint32_t vm, uint32_t vcpu, int level);
int hv_vm_ioeventfd(struct hv *h, uint32_t vm, int fd,
		    const struct hv_ioeventfd *io);
int hv_vm_ioeventfd_remove(struct hv *h, uint32_t vm, int fd,
			   const struct hv_ioeventfd *io);
int hv_vm_start(struct hv *h, uint32_t vm);
int hv_vm_pause(struct hv *h, uint32_t vm);
int hv_vcpu_new(struct hv *h, uint32_t vm, struct hv_vcpu_info *out);
int hv_vcpu_get(struct hv *h, uint32_t vm, uint32_t vcpu,
		struct hv_vcpu_info *out);
int hv_vcpu_list(struct hv *h, uint32_t vm, struct hv_vcpu_info **out,
		 size_t *n);
int hv_vcpu_get_regs(struct hv *h, uint32_t vm, uint32_t vcpu,
		     struct hv_regs *regs);
int hv_vcpu_set_regs(struct hv *h, uint32_t vm, uint32_t vcpu,
		     const struct hv_regs *regs);
int hv_vcpu_complete(struct hv *h, uint32_t vm, uint32_t vcpu, uint64_t seq,
		     uint64_t data, int error);
int hv_vcpu_set_ring(struct hv *h, uint32_t vm, uint32_t vcpu, void *page,
		     int exit_fd, int done_fd);
int hv_mem_map(struct hv *h, uint32_t vm, uint64_t gpa, uint64_t size,
	       void *uaddr, uint32_t flags, uint32_t *slot);
int hv_mem_unmap(struct hv *h, uint32_t vm, uint32_t slot);
int hv_mem_get(struct hv *h, uint32_t vm, uint32_t slot,
	       struct hv_slot_info *out);
int hv_mem_list(struct hv *h, uint32_t vm, struct hv_slot_info **out,
		size_t *n);
int hv_mem_read(struct hv *h, uint32_t vm, uint64_t gpa, void *buf,
		size_t len);
int hv_mem_write(struct hv *h, uint32_t vm, uint64_t gpa, const void *buf,
		 size_t len);
int hv_mem_set_flags(struct hv *h, uint32_t vm, uint32_t slot,
		     uint32_t flags);
int hv_mem_log(struct hv *h, uint32_t vm, uint32_t slot, uint64_t npages,
	       unsigned int how, struct hv_log *out);
int hv_get_stats(struct hv *h, uint32_t vm, struct hv_stats *out);

/* Events: exits (owner socket) and notices (after hv_subscribe_notices). */
int hv_subscribe_notices(struct hv *h);
int hv_next_message(struct hv *h, struct hv_message *ev, int timeout_ms);
int hv_next_exit(struct hv *h, uint32_t vm, uint32_t vcpu,
		 struct hv_message *ev, int timeout_ms);

/*
 * The exit ring of a vCPU (vcpu-set-ring), the owner's side: the shared
 * page and two eventfds, exits taken and completed without a system call
 * while the other side polls.
 */
struct hv_vcpu_ring;
int hv_vcpu_ring_open(struct hv *h, uint32_t vm, uint32_t vcpu,
		      struct hv_vcpu_ring **out);
void hv_vcpu_ring_close(struct hv_vcpu_ring *r);
int hv_vcpu_ring_next(struct hv_vcpu_ring *r, struct hv_message *ev);
int hv_vcpu_rings_next(struct hv_vcpu_ring *const *rings, uint32_t n,
		       uint32_t *next, struct hv_message *ev);
int hv_vcpu_ring_wait(struct hv_vcpu_ring *r, struct hv_message *ev,
		      int timeout_ms);
int hv_vcpu_ring_complete(struct hv_vcpu_ring *r, uint64_t seq, uint64_t data,
			  int error);
void hv_vcpu_ring_set_spin(struct hv_vcpu_ring *r, uint64_t ns);
void hv_vcpu_ring_set_sleeping(struct hv_vcpu_ring *r, int sleeping);
void hv_vcpu_ring_drain(struct hv_vcpu_ring *r);
int hv_vcpu_ring_fd(const struct hv_vcpu_ring *r);
int hv_vcpu_ring_done_fd(const struct hv_vcpu_ring *r);
struct hv_ring *hv_vcpu_ring_page(struct hv_vcpu_ring *r);
void hv_vcpu_ring_stats(const struct hv_vcpu_ring *r, uint64_t *sleeps,
			uint64_t *wakeups);

/*
 * A vCPU's exits whatever the transport: the same loop over the ring or
 * over netlink (exit events and vcpu-complete).
 */
struct hv_vcpu_exits;
int hv_vcpu_exits_open(struct hv *h, uint32_t vm, uint32_t vcpu,
		       enum hv_transport transport,
		       struct hv_vcpu_exits **out);
int hv_vcpu_exits_next(struct hv_vcpu_exits *x, struct hv_message *ev,
		       int timeout_ms);
int hv_vcpu_exits_complete(struct hv_vcpu_exits *x, const struct hv_message *ev,
			   uint64_t data, int error);
struct hv_vcpu_ring *hv_vcpu_exits_ring(struct hv_vcpu_exits *x);
void hv_vcpu_exits_close(struct hv_vcpu_exits *x);

/* Reply parsers, exposed for tests. */
int hv_info_parse(struct nlmsghdr *nlh, struct hv_info *info);
int hv_regs_parse(struct nlattr *nest, struct hv_regs *regs);
int hv_regs_put(struct nl_msg *msg, const struct hv_regs *regs);
int hv_message_parse(struct nlmsghdr *nlh, struct hv_message *ev);

/* Low level, for selftests that craft requests. */
struct nl_msg *hv_msg_new(struct hv *h, uint8_t cmd, int flags);
struct nl_msg *hv_msg_new_size(struct hv *h, uint8_t cmd, int flags,
			       size_t payload);
int hv_transact(struct hv *h, struct nl_msg *msg,
		int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg);
int hv_transact_raw(struct hv *h, void *buf, size_t len,
		    int (*parse)(struct nlmsghdr *nlh, void *arg), void *arg);
uint32_t hv_err_offset(const struct hv *h);

/* Guest modes hv_setup_mode() sets up, and where it puts its tables. */
enum hv_mode { HV_MODE_REAL, HV_MODE_PROT32, HV_MODE_LONG64 };

#define HV_SETUP_GDT		0x1000
#define HV_SETUP_PML4		0x2000
#define HV_SETUP_END		0x8000
#define HV_SETUP_SEL_CODE	0x08
#define HV_SETUP_SEL_DATA	0x10

int hv_setup_mode(struct hv_regs *r, enum hv_mode mode, uint64_t entry,
		  uint64_t stack, void *mem, size_t mem_size);
const char *hv_mode_name(enum hv_mode mode);

/* Names, as in kmod/hv.yaml. */
extern const char *const hv_cap_names[];
extern const unsigned int hv_cap_count;
extern const char *const hv_mitigation_names[];
extern const unsigned int hv_mitigation_count;
const char *hv_backend_name(uint32_t backend);
const char *hv_l1tf_name(uint32_t l1tf);
const char *hv_l1d_flush_mode_name(uint32_t mode);
const char *hv_l1d_flush_method_name(uint32_t method);
const char *hv_vm_state_name(uint32_t state);
const char *hv_vcpu_state_name(uint32_t state);
const char *hv_exit_reason_name(uint32_t reason);
const char *hv_transport_name(uint32_t transport);
const char *hv_notice_name(uint32_t notice);

#endif /* LIBHV_H */
