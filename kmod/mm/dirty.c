// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty and accessed logging of guest memory. Each nested-table leaf
 * records whether its page was accessed and written since the last
 * get-and-clear (npt.c): in the hardware's A/D bits where the CPU sets
 * them (EPT A/D, SDM Vol. 3C, 29.3.5; NPT, APM Vol. 2, 15.25.5), and
 * otherwise, or when the dirty_emulate parameter asks, in two bits the
 * hardware ignores, with the write right (dirty) or every right (accessed)
 * withheld until the access faults and is recorded, as bhyve does on CPUs
 * without EPT A/D.
 *
 * Clearing a record needs every vCPU to drop the translations it cached
 * while the record was set: a cached writable, dirty translation lets
 * writes through without setting D again. The generation moves on, every
 * vCPU gets a flush request, and those in guest mode are interrupted and
 * waited for, so no write can go unrecorded once get-and-clear returns.
 * Writes between the clear and the flush belong to pages this call
 * reported, which the caller copies afterwards.
 *
 * Where the CPU also logs the address of each page whose dirty bit it sets
 * (Intel's page-modification log, SDM Vol. 3C, 29.3.6), the backend hands
 * the log to hv_dirty_log_gpas() at every exit, and get-and-clear reads
 * what was logged instead of scanning every leaf: it waits for each vCPU
 * in guest mode to exit once (so its log is handed over), takes the
 * pages logged, and clears the dirty bits of those pages only.
 *
 * Writes hv makes itself (instruction emulation, mem-write) bypass the
 * nested tables and are recorded in the slot's written bitmap, as are the
 * pages the CPU logged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/moduleparam.h>
#include <linux/smp.h>

#include "hv_host.h"

bool hv_dirty_emulate;
module_param_named(dirty_emulate, hv_dirty_emulate, bool, 0644);
MODULE_PARM_DESC(dirty_emulate,
		 "Emulate nested accessed/dirty bits even where the CPU has them (VMs created afterwards)");

bool hv_dirty_pml = true;
module_param_named(dirty_pml, hv_dirty_pml, bool, 0644);
MODULE_PARM_DESC(dirty_pml,
		 "Read the CPU's page-modification log where it keeps one, instead of scanning the dirty bits (VMs created afterwards)");

/**
 * hv_dirty_hw_ad() - whether a VM created now uses the hardware's A/D bits
 *
 * Return: true if the CPU sets them and emulation is not asked for.
 */
bool hv_dirty_hw_ad(void)
{
	return hv_backend->npt->dirty && !READ_ONCE(hv_dirty_emulate);
}

/**
 * hv_dirty_write_log() - whether a VM created now with the hardware's A/D
 *	bits reads the CPU's log of the pages it marks dirty
 *
 * Return: true if the CPU keeps one and the dirty_pml parameter allows it.
 */
bool hv_dirty_write_log(void)
{
	return hv_backend->npt->log_method && READ_ONCE(hv_dirty_pml);
}

/**
 * hv_dirty_method() - the name of a logging method
 * @hw_ad: the hardware's A/D bits, or their emulation
 * @write_log: with @hw_ad, the CPU's log of the pages it marks dirty
 *
 * Return: "pml", "ept-ad", "npt-ad" or "emulated".
 */
const char *hv_dirty_method(bool hw_ad, bool write_log)
{
	if (!hw_ad)
		return "emulated";
	return write_log ? hv_backend->npt->log_method :
			   hv_backend->npt->hw_method;
}

/**
 * hv_dirty_reason() - why VMs created now get the method they get
 *
 * Return: a sentence for hvctl info.
 */
const char *hv_dirty_reason(void)
{
	if (!hv_backend->npt->dirty)
		return "the CPU sets no accessed and dirty bits in nested page tables";
	if (READ_ONCE(hv_dirty_emulate))
		return "the dirty_emulate parameter asks for emulation";
	if (!hv_backend->npt->log_method)
		return "the CPU sets accessed and dirty bits in nested page tables";
	if (!READ_ONCE(hv_dirty_pml))
		return "the dirty_pml parameter turns the CPU's page-modification log off";
	return "the CPU logs the pages whose dirty bit it sets (page-modification logging)";
}

struct scan {
	const struct hv_npt_format *f;
	bool hw_ad;
	bool accessed;
	bool clear;
	unsigned long *bitmap;	/* NULL: clear without recording */
	bool cleared;
};

/*
 * Record one leaf's state in the bitmap and clear it. The CPU sets
 * hardware bits concurrently, so those are cleared atomically; emulated
 * bits change only under npt->lock, which is held.
 */
static void scan_leaf(u64 *leaf, u64 index, void *arg)
{
	struct scan *sc = arg;
	const struct hv_npt_format *f = sc->f;
	u64 old = READ_ONCE(*leaf), bit, strip;

	if (sc->hw_ad) {
		bit = sc->accessed ? f->accessed : f->dirty;
		strip = 0;
	} else {
		bit = sc->accessed ? f->soft_accessed : f->soft_dirty;
		strip = sc->accessed ? f->access : f->write;
	}
	if (!(old & bit))
		return;
	if (sc->bitmap)
		__set_bit(index, sc->bitmap);
	if (!sc->clear)
		return;
	if (sc->hw_ad)
		clear_bit(__ffs64(bit), (unsigned long *)leaf);
	else
		WRITE_ONCE(*leaf, old & ~(bit | strip));
	sc->cleared = true;
}

static void nothing(void *info)
{
}

/*
 * Interrupt every vCPU that is in guest mode and wait until it has left
 * it; its next entry sees the flush request hv_npt_flush() posted. The
 * ordering against the vCPU's own check is hv_vcpu_kick()'s.
 */
static void kick_and_wait(struct hv_vm *vm)
{
	u32 i;

	/* The request bits are set before the modes are read. */
	smp_mb__after_atomic();
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct hv_vcpu *vcpu = vm->vcpus[i];
		int cpu;

		if (atomic_read(&vcpu->mode) != HV_IN_GUEST)
			continue;
		cpu = READ_ONCE(vcpu->cpu);
		if (cpu >= 0)
			smp_call_function_single(cpu, nothing, NULL, 1);
	}
}

static void scan(struct hv_vm *vm, struct hv_memslot *s, struct scan *sc,
		 u64 first, u64 npages)
{
	spin_lock(&vm->npt.lock);
	hv_npt_walk(vm, s->gpa + (first << PAGE_SHIFT), npages, scan_leaf, sc);
	spin_unlock(&vm->npt.lock);
	if (sc->cleared) {
		hv_npt_flush(vm);
		kick_and_wait(vm);
	}
}

/*
 * With the CPU's write log: clear the dirty bits of the pages just
 * reported, so that their next write is logged again. Writes between the
 * clear and the flush belong to pages this call reported.
 */
static void clean_logged(struct hv_vm *vm, struct hv_memslot *s, u64 first,
			 u32 npages, const unsigned long *bitmap)
{
	struct scan sc = {
		.f = hv_backend->npt,
		.hw_ad = true,
		.clear = true,
	};
	unsigned int i, end;

	spin_lock(&vm->npt.lock);
	for_each_set_bitrange(i, end, bitmap, npages)
		hv_npt_walk(vm, s->gpa + ((first + i) << PAGE_SHIFT), end - i,
			    scan_leaf, &sc);
	spin_unlock(&vm->npt.lock);
	if (sc.cleared) {
		hv_npt_flush(vm);
		kick_and_wait(vm);
	}
}

/**
 * hv_dirty_set_log() - start or stop logging a slot's dirty pages
 * @vm: the VM; vm->lock held
 * @s: the slot
 * @on: start (the log starts empty) or stop
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOMEM.
 */
int hv_dirty_set_log(struct hv_vm *vm, struct hv_memslot *s, bool on)
{
	struct scan sc = {
		.f = hv_backend->npt,
		.hw_ad = vm->npt.hw_ad,
		.clear = true,
	};

	lockdep_assert_held(&vm->lock);
	if (!on) {
		WRITE_ONCE(s->flags, s->flags & ~HV_MEM_FLAGS_DIRTY_LOG);
		return 0;
	}
	if (s->flags & HV_MEM_FLAGS_DIRTY_LOG)
		return 0;
	if (!s->written) {
		s->written = bitmap_zalloc(s->npages, GFP_KERNEL_ACCOUNT);
		if (!s->written)
			return -ENOMEM;
	}
	/*
	 * Faults from here on map clean leaves; then clean the older ones.
	 * A fault that read the flags just before may still map a dirty
	 * leaf after the scan: at worst its page is logged once needlessly.
	 * The barrier pairs with hv_dirty_mark(): the bitmap is there before
	 * the flag says so.
	 */
	smp_wmb();
	WRITE_ONCE(s->flags, s->flags | HV_MEM_FLAGS_DIRTY_LOG);
	scan(vm, s, &sc, 0, s->npages);
	bitmap_zero(s->written, s->npages);
	return 0;
}

/*
 * The pages of one word of a slot's written log that @mask selects, and
 * cleared if @clear: the last word of a request may hold pages beyond it,
 * which keep their state.
 */
static unsigned long take_written(unsigned long *w, bool clear,
				  unsigned long mask)
{
	unsigned long old = READ_ONCE(*w);

	if (!clear)
		return old & mask;
	if (mask == ~0UL)
		return xchg(w, 0);
	while (!try_cmpxchg(w, &old, old & ~mask))
		;
	return old & mask;
}

/**
 * hv_dirty_get() - the pages of a slot written or accessed since the last
 *	call, and optionally clear the record
 * @vm: the VM; vm->lock held
 * @s: the slot; for dirty pages it must be logging
 * @accessed: accessed pages (read or written) instead of written ones
 * @clear: clear what is returned (get-and-clear), or only look
 * @first: first page, an index into the slot, a multiple of 64
 * @npages: pages, at most to the slot's end
 * @bitmap: zeroed, DIV_ROUND_UP(@npages, 64) words; bit i is page
 *	@first + i
 *
 * Context: process context, may sleep (waits for the vCPUs to leave guest
 * mode once when it cleared something).
 * Return: the number of pages set.
 */
int hv_dirty_get(struct hv_vm *vm, struct hv_memslot *s, bool accessed,
		 bool clear, u64 first, u32 npages, unsigned long *bitmap)
{
	struct scan sc = {
		.f = hv_backend->npt,
		.hw_ad = vm->npt.hw_ad,
		.accessed = accessed,
		.clear = clear,
		.bitmap = bitmap,
	};
	bool logged = !accessed && vm->npt.write_log;
	u32 i;

	lockdep_assert_held(&vm->lock);
	/*
	 * A vCPU outside guest mode has handed its log over at its last
	 * exit; one inside it does so at the exit the kick causes, before
	 * the kick's handler runs.
	 */
	if (logged)
		kick_and_wait(vm);
	else
		scan(vm, s, &sc, first, npages);
	if (!accessed && s->written) {
		unsigned long *w = s->written + first / BITS_PER_LONG;

		for (i = 0; i < BITS_TO_LONGS(npages); i++)
			bitmap[i] |= take_written(&w[i], clear,
						  i + 1 < BITS_TO_LONGS(npages) ?
						  ~0UL :
						  BITMAP_LAST_WORD_MASK(npages));
	}
	if (logged && clear)
		clean_logged(vm, s, first, npages, bitmap);
	return bitmap_weight(bitmap, npages);
}

/**
 * hv_dirty_mark() - record a write hv made to guest memory itself
 * @s: the slot
 * @gpa: the address written
 *
 * Context: any; inside the RCU read side that found @s.
 */
void hv_dirty_mark(struct hv_memslot *s, u64 gpa)
{
	if (!(READ_ONCE(s->flags) & HV_MEM_FLAGS_DIRTY_LOG))
		return;
	/* Pairs with the smp_wmb() in hv_dirty_set_log(). */
	smp_rmb();
	set_bit((gpa - s->gpa) >> PAGE_SHIFT, READ_ONCE(s->written));
}

/**
 * hv_dirty_log_gpas() - record the pages the CPU logged as written
 * @vm: the VM
 * @gpa: their guest-physical addresses
 * @n: how many
 *
 * Addresses outside any slot, or in slots that do not log, are ignored.
 *
 * Context: any; the vCPU's own thread, interrupts possibly off.
 */
void hv_dirty_log_gpas(struct hv_vm *vm, const u64 *gpa, unsigned int n)
{
	struct hv_memslot *s;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < n; i++) {
		s = hv_mem_find_slot(vm, gpa[i]);
		if (s)
			hv_dirty_mark(s, gpa[i]);
	}
	rcu_read_unlock();
}
