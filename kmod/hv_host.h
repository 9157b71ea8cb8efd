/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core types of hv and the interfaces between the core's files: VMs,
 * vCPUs, guest memory slots, nested page tables, the architectural vCPU
 * record, exits, and module-wide state (backend, capabilities, accounting).
 */
#ifndef HV_HOST_H
#define HV_HOST_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "backend.h"
#include "irq/iobus.h"
#include "mm/mm.h"
#include "uexit.h"
#include "uapi/hv.h"

struct kmem_cache;
struct net;
struct netlink_ext_ack;
struct sk_buff;
struct sock;

#ifndef HV_VERSION
#define HV_VERSION "unknown"
#endif

#define HV_CRASH_REASON_LEN	128
#define HV_MAX_VCPUS_LIMIT	256
#define HV_MAX_CPUID_ENTRIES	256
#define HV_MAX_SLOTS		64

extern const struct hv_backend_ops *hv_backend;
extern struct hv_caps hv_caps;

extern unsigned int hv_max_vms;
u32 hv_ring_poll_default(void);
extern unsigned int hv_max_vcpus;
extern unsigned long hv_max_mem_mib;

/**
 * struct hv_accounting - module-wide resource counters, for leak checks
 * @vms: VMs that exist
 * @vcpus: vCPUs that exist
 * @threads: vCPU threads alive
 * @pinned_pages: guest pages pinned
 * @pt_pages: nested page-table pages
 */
struct hv_accounting {
	atomic_t vms;
	atomic_t vcpus;
	atomic_t threads;
	atomic64_t pinned_pages;
	atomic64_t pt_pages;
};

extern struct hv_accounting hv_acct;

/* General-purpose registers, in the hardware's encoding order. */
enum hv_gpr {
	HV_RAX, HV_RCX, HV_RDX, HV_RBX, HV_RSP, HV_RBP, HV_RSI, HV_RDI,
	HV_R8, HV_R9, HV_R10, HV_R11, HV_R12, HV_R13, HV_R14, HV_R15,
	HV_NR_GPRS,
};

/* Debug-register bits both backends use (SDM Vol. 3B, 18.2). */
#define HV_DR6_BD	BIT(13)		/* debug-register access detected */
#define HV_DR6_BS	BIT(14)		/* single step */
#define HV_DR7_GD	BIT(13)		/* general detect */
#define HV_DR7_ENABLES	0xff		/* L0-L3, G0-G3 */
#define HV_DR7_FIXED	0x400		/* bit 10 reads as 1 */

#define HV_GPR_UNKNOWN	0xff

/* What caused a task switch (the VMX exit qualification's encoding). */
#define HV_TASK_CALL	0
#define HV_TASK_IRET	1
#define HV_TASK_JMP	2
#define HV_TASK_GATE	3

/* Segment access rights, VMX layout (SDM Vol. 3C, 25.4.1). */
#define HV_AR_TYPE_MASK		0xf
#define HV_AR_S			BIT(4)
#define HV_AR_DPL_SHIFT		5
#define HV_AR_P			BIT(7)
#define HV_AR_AVL		BIT(12)
#define HV_AR_L			BIT(13)
#define HV_AR_DB		BIT(14)
#define HV_AR_G			BIT(15)
#define HV_AR_UNUSABLE		BIT(16)

/**
 * struct hv_segment - a segment register and its hidden part
 * @selector: selector
 * @base: base address
 * @limit: limit in bytes
 * @ar: access rights, VMX layout (HV_AR_*)
 */
struct hv_segment {
	u16 selector;
	u64 base;
	u32 limit;
	u32 ar;
};

/**
 * struct hv_dtable - GDTR or IDTR
 * @base: base address
 * @limit: limit
 */
struct hv_dtable {
	u64 base;
	u16 limit;
};

/**
 * struct hv_event - an event to inject at the next entry
 * @valid: there is one
 * @type: HV_EVENT_TYPE_*
 * @vector: vector
 * @has_error: an error code is pushed
 * @error_code: the error code
 */
struct hv_event {
	bool valid;
	u8 type;
	u8 vector;
	bool has_error;
	u32 error_code;
};

/**
 * struct hv_regs - the architectural state of a vCPU, backend-neutral
 *
 * What vcpu-get-regs and vcpu-set-regs carry, and what snapshots will
 * store: the same record on VMX and SVM, never a VMCS or VMCB image.
 *
 * @gpr: general-purpose registers (enum hv_gpr)
 * @rip: RIP
 * @rflags: RFLAGS
 * @cr0: CR0 as the guest sees it
 * @cr2: CR2
 * @cr3: CR3
 * @cr4: CR4 as the guest sees it
 * @cr8: CR8 (TPR)
 * @efer: IA32_EFER as the guest sees it
 * @dr: DR0 to DR3
 * @dr6: DR6
 * @dr7: DR7
 * @cs: CS
 * @ds: DS
 * @es: ES
 * @fs: FS
 * @gs: GS
 * @ss: SS
 * @tr: TR
 * @ldtr: LDTR
 * @gdtr: GDTR
 * @idtr: IDTR
 * @star: IA32_STAR
 * @lstar: IA32_LSTAR
 * @cstar: IA32_CSTAR
 * @sfmask: IA32_FMASK
 * @kernel_gs_base: IA32_KERNEL_GS_BASE
 * @sysenter_cs: IA32_SYSENTER_CS
 * @sysenter_esp: IA32_SYSENTER_ESP
 * @sysenter_eip: IA32_SYSENTER_EIP
 * @pat: IA32_PAT
 * @tsc: the guest's time-stamp counter
 * @event: the event pending injection
 * @int_shadow: interrupts blocked for one instruction (STI, MOV SS)
 * @activity: HV_ACTIVITY_* (active, or halted by HLT)
 * @fpu: x87/SSE state, FXSAVE format
 * @apic_base: IA32_APIC_BASE
 * @tsc_deadline: IA32_TSC_DEADLINE
 * @nmi_pending: an NMI waits for injection (0 or 1)
 * @lapic: the local APIC's registers, xAPIC page layout (offsets 0 to
 *	0x3f0), TMCCT the current count
 */
struct hv_regs {
	u64 gpr[HV_NR_GPRS];
	u64 rip;
	u64 rflags;
	u64 cr0, cr2, cr3, cr4, cr8, efer;
	u64 dr[4], dr6, dr7;
	struct hv_segment cs, ds, es, fs, gs, ss, tr, ldtr;
	struct hv_dtable gdtr, idtr;
	u64 star, lstar, cstar, sfmask, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 pat, tsc;
	struct hv_event event;
	bool int_shadow;
	u32 activity;
	u8 fpu[512] __aligned(16);
	u64 apic_base;
	u64 tsc_deadline;
	u64 nmi_pending;
	u8 lapic[HV_LAPIC_STATE_SIZE] __aligned(4);
};

/**
 * enum hv_exit_kind - why the guest stopped, backend-neutral
 * @HV_EXIT_NONE: nothing to do (a host interrupt; a request)
 * @HV_EXIT_CPUID: CPUID
 * @HV_EXIT_RDMSR: RDMSR; the index is in RCX
 * @HV_EXIT_WRMSR: WRMSR; the index is in RCX, the value in EDX:EAX
 * @HV_EXIT_HLT: HLT
 * @HV_EXIT_IO: IN/OUT/INS/OUTS, see &hv_exit.io
 * @HV_EXIT_NPF: a nested page fault, see &hv_exit.npf
 * @HV_EXIT_CR_WRITE: MOV to CR4 or CR8, see &hv_exit.cr
 * @HV_EXIT_TASK_SWITCH: a hardware task switch, see &hv_exit.task
 * @HV_EXIT_INVD: INVD or WBINVD, which hv skips (the host's caches are
 *	not the guest's to drop or write back)
 * @HV_EXIT_SHUTDOWN: triple fault
 * @HV_EXIT_INVALID_STATE: the entry failed on the guest's state
 * @HV_EXIT_UNHANDLED: an exit the backend cannot handle; the VM crashes
 * @HV_EXIT_TIMER: the host TSC reached &hv_vcpu.timer_tsc (the APIC timer)
 * @HV_EXIT_APIC_ACCESS: an access to the APIC-access page the CPU did not
 *	virtualize (irq/apic_page.c): &hv_exit.npf as for HV_EXIT_NPF, with
 *	@npf.gpa the offset in the page
 * @HV_NR_EXIT_KINDS: the number of kinds
 */
enum hv_exit_kind {
	HV_EXIT_NONE,
	HV_EXIT_CPUID,
	HV_EXIT_RDMSR,
	HV_EXIT_WRMSR,
	HV_EXIT_HLT,
	HV_EXIT_IO,
	HV_EXIT_NPF,
	HV_EXIT_CR_WRITE,
	HV_EXIT_TASK_SWITCH,
	HV_EXIT_INVD,
	HV_EXIT_SHUTDOWN,
	HV_EXIT_INVALID_STATE,
	HV_EXIT_UNHANDLED,
	HV_EXIT_TIMER,
	HV_EXIT_APIC_ACCESS,
	HV_NR_EXIT_KINDS,
};

/**
 * enum hv_exit_ret - what an exit handler tells the run loop; the contract
 * is documented above hv_exit_handlers[] in exit.c
 * @HV_EXIT_RESUME: handled; enter the guest again
 * @HV_EXIT_SLOW: (fast handlers) finish it in the slow handler
 * @HV_EXIT_PARK: (slow handlers) leave the run loop and park
 */
enum hv_exit_ret {
	HV_EXIT_RESUME,
	HV_EXIT_SLOW,
	HV_EXIT_PARK,
};

/**
 * struct hv_exit - one exit, translated out of VMCS/VMCB terms
 * @kind: enum hv_exit_kind
 * @hw_reason: the hardware exit code, for crash reasons and logs
 * @next_rip: RIP after the exiting instruction (CPUID, MSR, HLT, I/O, INVD),
 *	if @next_rip_known
 * @next_rip_known: the hardware reported @next_rip; else the core finds
 *	it by decoding (hv_exit_next_rip())
 * @io: port I/O: @io.port, access size in bytes @io.size, @io.in for IN
 *	or INS, @io.string for INS/OUTS, @io.rep for a REP prefix
 * @npf: nested page fault at @npf.gpa; @npf.write for a write access,
 *	@npf.fetch for an instruction fetch, @npf.present if the entry was
 *	present (a permission fault); @npf.walk if the access was the CPU's
 *	own read of a guest paging structure, not the instruction's;
 *	@npf.la the guest linear address being translated, if @npf.la_valid;
 *	@npf.insn/@npf.insn_len the instruction bytes if the hardware
 *	supplied them (decode assists), else @npf.insn_len is 0
 * @task: a task switch to the TSS @task.selector, caused by @task.source
 *	(HV_TASK_*), pushing @task.error_code if @task.has_error; the old
 *	task resumes at @next_rip
 * @cr: MOV to control register @cr.cr (4 or 8): @cr.gpr the source
 *	register (enum hv_gpr), or HV_GPR_UNKNOWN if the hardware did not say
 * @vectoring: the exit interrupted the delivery of an event (which the
 *	backend put back in vcpu->event)
 * @detail: backend-specific detail for the crash reason
 */
struct hv_exit {
	enum hv_exit_kind kind;
	u64 hw_reason;
	u64 next_rip;
	bool next_rip_known;
	union {
		struct {
			u16 port;
			u8 size;
			bool in;
			bool string;
			bool rep;
		} io;
		struct {
			u64 gpa;
			u64 la;
			bool write;
			bool fetch;
			bool present;
			bool walk;
			bool la_valid;
			u8 insn_len;
			u8 insn[15];
		} npf;
		struct {
			u8 cr;
			u8 gpr;
		} cr;
		struct {
			u16 selector;
			u8 source;
			bool has_error;
			u32 error_code;
		} task;
	};
	bool vectoring;
	u64 detail;
};

/**
 * struct hv_cpuid_entry - one entry of a VM's CPUID table
 * @function: leaf (EAX)
 * @index: subleaf (ECX)
 * @flags: HV_CPUID_FLAGS_*
 * @eax: EAX returned
 * @ebx: EBX returned
 * @ecx: ECX returned
 * @edx: EDX returned
 */
struct hv_cpuid_entry {
	u32 function, index, flags;
	u32 eax, ebx, ecx, edx;
};

/**
 * struct hv_cpuid_table - a VM's CPUID table, immutable once published
 * @rcu: for freeing after readers are done
 * @count: number of entries
 * @entry: the entries
 */
struct hv_cpuid_table {
	struct rcu_head rcu;
	u32 count;
	struct hv_cpuid_entry entry[];
};

/* Exit counters, per vCPU and summed per VM. */
enum hv_stat {
	HV_STAT_EXITS,
	HV_STAT_CPUID,
	HV_STAT_MSR,
	HV_STAT_HLT,
	HV_STAT_NPF,
	HV_STAT_INTR,
	HV_STAT_IO,
	HV_STAT_MMIO,
	HV_STAT_OTHER,
	HV_STAT_INVEPT,
	HV_STAT_INVVPID,
	HV_STAT_INVVPID_SAVED,
	HV_STAT_L1D_FLUSH_MSR,
	HV_STAT_L1D_FLUSH_SW,
	HV_STAT_PML_FULL,
	HV_STAT_SLEEPS,
	HV_STAT_OWNER_WAKEUPS,
	HV_STAT_INTR_INJECTED,
	HV_STAT_IPIS,
	HV_STAT_TIMER_FIRED,
	HV_STAT_IOEVENTFD,
	HV_STAT_EOI_NOTICES,
	HV_STAT_INTR_POSTED,
	HV_STAT_EXITS_TIMER,
	HV_STAT_HALT_POLLED,
	HV_NR_STATS,
};

/**
 * struct hv_vm - a virtual machine
 * @ref: references; the list holds one, handlers and threads take more
 * @node: entry in the module's VM list
 * @id: unique id
 * @name: unique name
 * @owner_portid: netlink port id of the owner socket
 * @owner_sk: the owner socket itself, compared but never dereferenced
 *	(see hv_vm_owned_by())
 * @owner_net: its network namespace (a reference is held)
 * @lock: serializes configuration, state and vCPU/slot changes
 * @state: enum hv_vm_state
 * @crash_reason: why it crashed or died
 * @max_vcpus: vCPU limit
 * @max_mem: memory limit in bytes
 * @nr_vcpus: vCPUs created
 * @vcpus: the vCPUs, by id; entries are set once, under @lock
 * @slots: the memory slots (RCU)
 * @mem_size: bytes mapped
 * @next_slot: id of the next slot
 * @npt: nested page tables
 * @apic_page: the APIC-access page, where the CPU virtualizes APIC
 *	accesses (irq/apic_page.c); NULL otherwise
 * @apic_page_blockers: vCPUs whose APIC keeps it unmapped; vm->npt.lock
 * @cpuid: the CPUID table (RCU)
 * @cr4_allowed: the CR4 bits @cpuid offers (hv_cpuid_cr4_allowed())
 * @unknown_msr: enum hv_msr_policy
 * @tsc_offset: guest TSC = host TSC + tsc_offset
 * @ring_poll_ns: how long a vCPU on the exit ring polls for a completion
 *	before it sleeps (0: never polls)
 * @halt_notices: a HLT that halts a vCPU posts an exit notice to the owner
 * @iobus: the in-kernel devices on ports and MMIO (irq/iobus.c)
 * @ioeventfds: the ioeventfds on @iobus, under @lock (irq/ioeventfd.c)
 * @irqfd_lock: protects @irqfds and @nr_irqfds
 * @irqfds: the registered irqfds (irq/irqfd.c)
 * @nr_irqfds: entries in @irqfds
 * @run_lock: orders parking against state changes (see vcpu.c)
 * @park_wq: woken when a vCPU parks
 * @quiesce: vCPUs must park (memory map change in progress)
 * @dying: being destroyed; handlers must not touch it any more
 * @claimed: taken out of the list by the path that destroys it
 */
struct hv_vm {
	struct kref ref;
	struct list_head node;
	u32 id;
	char name[HV_VM_NAME_LEN];
	u32 owner_portid;
	const struct sock *owner_sk;
	struct net *owner_net;
	struct mutex lock;	/* changes made by netlink handlers */
	enum hv_vm_state state;
	char crash_reason[HV_CRASH_REASON_LEN];
	u32 max_vcpus;
	u64 max_mem;
	u32 nr_vcpus;
	struct hv_vcpu **vcpus;
	struct hv_memslots __rcu *slots;
	u64 mem_size;
	u32 next_slot;
	struct hv_npt npt;
	struct page *apic_page;
	u32 apic_page_blockers;
	struct hv_cpuid_table __rcu *cpuid;
	u64 cr4_allowed;
	enum hv_msr_policy unknown_msr;
	s64 tsc_offset;
	u32 ring_poll_ns;
	bool halt_notices;
	struct hv_iobus __rcu *iobus[HV_NR_IOBUS];
	struct list_head ioeventfds;
	spinlock_t irqfd_lock;	/* irqfds against their wake-ups */
	struct list_head irqfds;
	u32 nr_irqfds;
	spinlock_t run_lock;	/* state and quiesce against vCPU parking */
	wait_queue_head_t park_wq;
	bool quiesce;
	bool dying;
	bool claimed;
};

/* vcpu->requests bits. */
#define HV_REQ_PARK		0	/* leave the guest and check VM state */
#define HV_REQ_TLB_FLUSH	1	/* nested mappings changed */
#define HV_REQ_EVENT		2	/* an interrupt may be due: ask the APIC */
#define HV_REQ_INIT		3	/* an INIT IPI arrived */
#define HV_REQ_SIPI		4	/* a START-UP IPI arrived (sipi_vector) */
#define HV_REQ_EOI		5	/* report eoi_pending to the owner */
#define HV_REQ_NMI		6	/* an NMI arrived (with HV_REQ_EVENT) */
#define HV_REQ_INTA		7	/* ask the owner for the 8259's vector */

/* vcpu->mode */
#define HV_OUTSIDE_GUEST	0
#define HV_IN_GUEST		1

#define HV_PT_CACHE_PAGES	4

struct hv_lapic;

/**
 * struct hv_vcpu - a virtual CPU
 * @vm: its VM
 * @id: its index in the VM
 * @thread: the kernel thread that runs it
 * @gpr: general-purpose registers while not in guest mode
 * @rip: RIP while not in guest mode
 * @event: event to inject at the next entry
 * @activity: HV_ACTIVITY_* (active, or halted by HLT)
 * @triple_fault: an exception merged into a shutdown (hv_vcpu_queue_exception())
 * @intr_window: an interrupt is due but the guest cannot take it yet; the
 *	backend exits when it can (irq/lapic.c)
 * @nmi_pending: an NMI waits to be injected (HV_REQ_NMI taken over by
 *	the vCPU's thread; more while one waits are one, as the CPU's latch)
 * @intr_line: the level of the INTR/LINT0 line the owner's 8259 drives
 *	(vcpu-intr-line); written by the owner, read by the vCPU's thread
 * @halt_if: RFLAGS.IF when the vCPU halted: only then does an interrupt
 *	end the halt (SDM Vol. 2A, HLT)
 * @sipi_vector: the vector of the last START-UP IPI (HV_REQ_SIPI)
 * @cpu: host CPU it last ran on, -1 before the first run
 * @mode: HV_IN_GUEST while the guest may run (for kicks)
 * @requests: HV_REQ_* bits
 * @wq: the thread sleeps here (parked, halted, waiting for the owner)
 * @state: enum hv_vcpu_state, for reports
 * @parked: the thread is parked (outside the guest, not running it)
 * @uexit: the exchange of exits with the owner (uexit.c)
 * @scratch: an architectural record for the emulator (emulate.c)
 * @fpu: guest FPU state (XSAVE or FXSAVE area)
 * @host_xcr0: the host's XCR0 while the guest's is loaded
 * @pt_cache: pages for nested page tables, filled where sleeping is allowed
 * @pt_cache_count: pages in @pt_cache
 * @lapic: its local APIC (irq/lapic.c)
 * @l1d_kept: since the backend's last put, the thread only handled a HLT
 *	(and halted, and polled) without a message to the owner: no host
 *	data of its own entered L1D (the backend still checks for other
 *	tasks and interrupts); cleared at the next load
 * @timer_tsc: the host TSC at which the APIC timer expires while the
 *	backend counts it down in the guest (hv_be_tsc_timer()), U64_MAX
 *	when it does not; the vCPU thread's
 * @eoi_pending: level-triggered vectors the guest ended and the owner has
 *	not been told of yet (HV_REQ_EOI); the vCPU's thread only
 * @stats: exit counters (enum hv_stat)
 */
struct hv_vcpu {
	struct hv_vm *vm;
	u32 id;
	struct task_struct *thread;
	u64 gpr[HV_NR_GPRS];
	u64 rip;
	struct hv_event event;
	u32 activity;
	bool triple_fault;
	bool intr_window;
	bool nmi_pending;
	bool intr_line;
	bool halt_if;
	u8 sipi_vector;
	int cpu;
	atomic_t mode;
	unsigned long requests;
	wait_queue_head_t wq;
	int state;
	bool parked;
	struct hv_uexit_state uexit;
	struct hv_regs *scratch;
	void *fpu;
	u64 host_xcr0;
	struct page *pt_cache[HV_PT_CACHE_PAGES];
	int pt_cache_count;
	struct hv_lapic *lapic;
	u64 timer_tsc;
	bool l1d_kept;
	DECLARE_BITMAP(eoi_pending, 256);
	u64 stats[HV_NR_STATS];
};

/**
 * hv_vcpu_event_pending() - an event to inject or an NMI waits, which ends
 * a halt whatever RFLAGS.IF says
 * @vcpu: the vCPU (its own thread)
 *
 * Return: true if one does.
 */
static inline bool hv_vcpu_event_pending(struct hv_vcpu *vcpu)
{
	return READ_ONCE(vcpu->event.valid) || vcpu->nmi_pending ||
	       test_bit(HV_REQ_NMI, &vcpu->requests);
}

/* cache.c */
extern struct kmem_cache *hv_vm_cache;
extern struct kmem_cache *hv_vcpu_cache;
extern struct kmem_cache *hv_regs_cache;
int hv_cache_init(void);
void hv_cache_exit(void);

/* mitigation.c */
int hv_mitigation_init(void);

/**
 * struct hv_mitigation_state - the speculative-execution mitigations that
 * apply on this host, as reported by get-info
 * @l1tf: HV_L1TF_* status of the CPU
 * @l1d_flush_mode: the configured HV_L1D_FLUSH_MODE_*
 * @l1d_flush: the effective mode (never auto)
 * @l1d_flush_method: HV_L1D_FLUSH_METHOD_*
 * @l1d_flush_reason: why @l1d_flush was chosen, a static string
 * @mitigations: HV_MITIGATION_* bits
 */
struct hv_mitigation_state {
	enum hv_l1tf l1tf;
	enum hv_l1d_flush_mode l1d_flush_mode;
	enum hv_l1d_flush_mode l1d_flush;
	enum hv_l1d_flush_method l1d_flush_method;
	const char *l1d_flush_reason;
	u64 mitigations;
};

void hv_mitigation_get(enum hv_backend backend,
		       struct hv_mitigation_state *state);

/**
 * struct hv_l1d_flush_now - the L1D flush the entry path applies
 * @mode: effective mode: never, cond or always
 * @method: how it flushes
 */
struct hv_l1d_flush_now {
	enum hv_l1d_flush_mode mode;
	enum hv_l1d_flush_method method;
};

void hv_l1d_flush_now(struct hv_l1d_flush_now *f);
void hv_ibpb_vcpu_switch(struct hv_vcpu *vcpu);
void hv_ibpb_forget(struct hv_vcpu *vcpu);
void hv_ibpb_cpu_reset(void);
void hv_l1d_flush_set_mode(enum hv_l1d_flush_mode mode);

/* nl/ */
int hv_nl_init(void);
void hv_nl_exit(void);
void hv_nl_notice(struct hv_vm *vm, enum hv_notice event, const char *reason,
		  gfp_t gfp);

/* x86.c */
int hv_cpus_read_agree(const char *what, smp_call_func_t read, size_t size,
		       void *first, const char **why);
/* EFER bits a guest may set: SYSCALL, long mode, NX. */
#define HV_EFER_ALLOWED	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NX)
bool hv_pat_valid(u64 pat);
bool hv_canonical(u64 la);
bool hv_cr4_write_ok(struct hv_vm *vm, const struct hv_regs *r, u64 cr4);
bool hv_efer_write(u64 old, u64 cr0, u64 value, u64 *efer);
const char *hv_regs_check(const struct hv_regs *r);
/* IA32_PAT at power-up: WB, WT, UC-, UC, twice (SDM Vol. 3A, 13.12.4). */
#define HV_PAT_POWER_UP	0x0007040600070406ULL
void hv_regs_reset(struct hv_regs *r, bool init, u32 signature);

/* virt.c */
int hv_virt_get(const char **why);
void hv_virt_put(void);

/* vm.c */
int hv_vm_create(const char *name, u32 max_vcpus, u64 max_mem,
		 enum hv_msr_policy unknown_msr, const struct sock *sk,
		 u32 portid, struct net *net, struct hv_vm **out,
		 struct netlink_ext_ack *extack);
void hv_vm_destroy(struct hv_vm *vm);
struct hv_vm *hv_vm_get(u32 id);
struct hv_vm *hv_vm_get_by_name(const char *name);
struct hv_vm *hv_vm_get_next(u32 *id);
void hv_vm_put(struct hv_vm *vm);
bool hv_vm_owned_by(struct hv_vm *vm, const struct sock *sk, u32 portid,
		    struct net *net);
int hv_vm_start(struct hv_vm *vm, struct netlink_ext_ack *extack);
int hv_vm_pause(struct hv_vm *vm, struct netlink_ext_ack *extack);
void hv_vm_crash(struct hv_vm *vm, enum hv_vm_state state, const char *fmt,
		 ...) __printf(3, 4);
void hv_vm_bug(struct hv_vm *vm, const char *reason);
int hv_vm_quiesce(struct hv_vm *vm);
void hv_vm_unquiesce(struct hv_vm *vm);
void hv_vm_release_owner(u32 portid, struct net *net);
void hv_vm_destroy_all(void);
void hv_vm_stats(struct hv_vm *vm, u64 *stats);
void hv_vm_notify(struct hv_vm *vm, enum hv_notice event, const char *reason,
		  gfp_t gfp);

/* vcpu.c */
int hv_vcpu_create(struct hv_vm *vm, u32 id, struct hv_vcpu **out,
		   struct netlink_ext_ack *extack);
void hv_vcpu_stop(struct hv_vcpu *vcpu);
void hv_vcpu_free(struct hv_vcpu *vcpu);
bool hv_vcpu_stopped(struct hv_vcpu *vcpu);
void hv_vcpu_init(struct hv_vcpu *vcpu);
void hv_vcpu_sipi(struct hv_vcpu *vcpu, u8 vector);
void hv_vcpu_get_regs(struct hv_vcpu *vcpu, struct hv_regs *regs);
int hv_vcpu_set_regs(struct hv_vcpu *vcpu, const struct hv_regs *regs,
		     struct netlink_ext_ack *extack);
void hv_vcpu_queue_exception(struct hv_vcpu *vcpu, u8 vector, bool has_error,
			     u32 error_code);

/* run.c */
int hv_vcpu_thread(void *arg);
void hv_vcpu_kick(struct hv_vcpu *vcpu, int req);
void hv_vcpu_kick_posted(struct hv_vcpu *vcpu);
void hv_vcpu_mark_parked(struct hv_vcpu *vcpu, bool parked, int state);
bool hv_vcpu_parked(struct hv_vcpu *vcpu);

/* cpuid.c */
struct hv_cpuid_table *hv_cpuid_default(void);
int hv_cpuid_set(struct hv_vm *vm, struct hv_cpuid_table *table);
u64 hv_cpuid_cr4_allowed(const struct hv_cpuid_table *t);
void hv_cpuid_emulate(struct hv_vcpu *vcpu);

/* msr.c */
/* The MSRs of the record (regs_attrs.h's HV_REGS_MSR rows). */
#define HV_NR_MSRS_KEPT	10
extern const u32 hv_msrs_kept[HV_NR_MSRS_KEPT];
extern const unsigned int hv_nr_msrs_kept;
extern const u32 hv_msrs_passthrough[];
extern const unsigned int hv_nr_msrs_passthrough;
u64 *hv_regs_msr(struct hv_regs *regs, u32 index);
enum hv_exit_ret hv_msr_exit(struct hv_vcpu *vcpu, bool write, u64 rip);

/* fpu.c */
void hv_fpu_init(void);
const char *hv_fpu_check(const u8 *fxsave_img);
int hv_fpu_alloc(struct hv_vcpu *vcpu);
void hv_fpu_free(struct hv_vcpu *vcpu);
int hv_fpu_enter(struct hv_vcpu *vcpu);
void hv_fpu_leave(struct hv_vcpu *vcpu);
void hv_fpu_get(struct hv_vcpu *vcpu, u8 *fxsave);
void hv_fpu_set(struct hv_vcpu *vcpu, const u8 *fxsave);

/* emulate.c */
int hv_exit_next_rip(struct hv_vcpu *vcpu, const struct hv_exit *exit,
		     u64 *rip);
int hv_emulate_mmio(struct hv_vcpu *vcpu, const struct hv_exit *exit);
int hv_emulate_string_io(struct hv_vcpu *vcpu, const struct hv_exit *exit);
int hv_emulate_cr_write(struct hv_vcpu *vcpu, const struct hv_exit *exit);
int hv_emulate_walk_fault(struct hv_vcpu *vcpu, const struct hv_exit *exit);
int hv_linear_copy(struct hv_vcpu *vcpu, const struct hv_regs *r, u64 la,
		   void *buf, size_t len, bool write);

/* task.c */
int hv_task_switch(struct hv_vcpu *vcpu, const struct hv_exit *exit);

#endif /* HV_HOST_H */
