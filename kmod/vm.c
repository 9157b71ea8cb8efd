// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual machines: creation within the module's limits, lookup by id or
 * name, ownership (DESIGN rule 3), start/pause, crash, and destruction
 * that releases every page, thread and hardware resource.
 *
 * Lifetime: a VM is in the module's list (holding one reference) from
 * creation until destruction starts; handlers take references while they
 * work and must check vm->dying under vm->lock. Destruction stops the vCPU
 * threads, releases everything, sends the destroyed notice and drops the
 * list's reference; the memory goes with the last reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "hv_host.h"
#include "irq/irq.h"

unsigned int hv_max_vms = 64;
module_param_named(max_vms, hv_max_vms, uint, 0644);
MODULE_PARM_DESC(max_vms, "Most VMs that may exist at once (default 64)");

unsigned int hv_max_vcpus = 64;
module_param_named(max_vcpus, hv_max_vcpus, uint, 0644);
MODULE_PARM_DESC(max_vcpus, "Most vCPUs a VM may have (default 64, at most 256)");

unsigned long hv_max_mem_mib = 65536;
module_param_named(max_mem_mib, hv_max_mem_mib, ulong, 0644);
MODULE_PARM_DESC(max_mem_mib, "Most guest memory a VM may map, MiB (default 65536)");

unsigned int hv_ring_poll_ns = 50000;
module_param_named(ring_poll_ns, hv_ring_poll_ns, uint, 0644);
MODULE_PARM_DESC(ring_poll_ns, "How long a vCPU on the exit ring polls for its owner's completion before it sleeps, by default for new VMs (ns, default 50000, at most 1000000, 0 = never)");

struct hv_accounting hv_acct;

/**
 * hv_ring_poll_default() - the ring poll time a new VM starts with
 *
 * Return: the ring_poll_ns parameter, clamped to HV_RING_POLL_MAX.
 */
u32 hv_ring_poll_default(void)
{
	return min_t(u32, READ_ONCE(hv_ring_poll_ns), HV_RING_POLL_MAX);
}

static DEFINE_MUTEX(vms_lock);
static LIST_HEAD(vms);
static DEFINE_IDR(vm_ids);
static unsigned int nr_vms;

static void vm_release(struct kref *ref)
{
	struct hv_vm *vm = container_of(ref, struct hv_vm, ref);

	kfree(vm->vcpus);
	kmem_cache_free(hv_vm_cache, vm);
}

/**
 * hv_vm_put() - drop a reference
 * @vm: the VM
 */
void hv_vm_put(struct hv_vm *vm)
{
	kref_put(&vm->ref, vm_release);
}

/**
 * hv_vm_get() - find a VM by id and take a reference
 * @id: the id
 *
 * Return: the VM, or NULL.
 */
struct hv_vm *hv_vm_get(u32 id)
{
	struct hv_vm *vm;

	mutex_lock(&vms_lock);
	vm = idr_find(&vm_ids, id);
	if (vm)
		kref_get(&vm->ref);
	mutex_unlock(&vms_lock);
	return vm;
}

/**
 * hv_vm_get_by_name() - find a VM by name and take a reference
 * @name: the name
 *
 * Return: the VM, or NULL.
 */
struct hv_vm *hv_vm_get_by_name(const char *name)
{
	struct hv_vm *vm, *found = NULL;

	mutex_lock(&vms_lock);
	list_for_each_entry(vm, &vms, node) {
		if (!strcmp(vm->name, name)) {
			found = vm;
			kref_get(&vm->ref);
			break;
		}
	}
	mutex_unlock(&vms_lock);
	return found;
}

/**
 * hv_vm_get_next() - the VM with the smallest id at or above *@id
 * @id: where to start; set past the VM found
 *
 * For dumps, which resume between messages.
 *
 * Return: the VM with a reference taken, or NULL when there is no more.
 */
struct hv_vm *hv_vm_get_next(u32 *id)
{
	struct hv_vm *vm;
	int next = *id;

	mutex_lock(&vms_lock);
	vm = idr_get_next(&vm_ids, &next);
	if (vm) {
		kref_get(&vm->ref);
		*id = next + 1;
	}
	mutex_unlock(&vms_lock);
	return vm;
}

static bool at_port(struct hv_vm *vm, u32 portid, struct net *net)
{
	return vm->owner_portid == portid && net_eq(vm->owner_net, net);
}

/**
 * hv_vm_owned_by() - whether a netlink socket owns a VM
 * @vm: the VM
 * @sk: the socket (NETLINK_CB() of its request)
 * @portid: its port id
 * @net: its network namespace
 *
 * Ownership is the VM's only capability check (DESIGN rule 3), so the port
 * id alone is not enough: netlink_release() takes a closing socket out of
 * the port table before it calls the NETLINK_URELEASE notifier that
 * destroys the socket's VMs (hv_vm_release_owner()), and in between another
 * socket may bind the same port id. The socket must be the very one that
 * created the VM. @sk is only compared, never dereferenced, and a later
 * socket cannot come back at the owner's address while a live VM names it:
 * netlink frees a socket by RCU after that notifier has returned
 * (deferred_put_nlk_sk()), and by then every VM naming it is dying, which
 * hv_nl_vm_lock() checks before it asks about ownership.
 *
 * Context: vm->lock held, @vm not dying.
 * Return: true if it does.
 */
bool hv_vm_owned_by(struct hv_vm *vm, const struct sock *sk, u32 portid,
		    struct net *net)
{
	return vm->owner_sk == sk && at_port(vm, portid, net);
}

static bool valid_name(const char *name)
{
	bool digits_only = true;
	const char *p;

	for (p = name; *p; p++) {
		if (!isalnum(*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
		if (!isdigit(*p))
			digits_only = false;
	}
	/*
	 * An all-digit name would read as an id in hvctl; one that starts
	 * with '.' or '-' as a hidden file or an option once names become
	 * file names and arguments ("." and ".." among them).
	 */
	return isalnum(*name) && !digits_only;
}

static bool name_taken(const char *name)
{
	struct hv_vm *vm;

	list_for_each_entry(vm, &vms, node)
		if (!strcmp(vm->name, name))
			return true;
	return false;
}

/**
 * hv_vm_notify() - tell listeners about a change in a VM's life: the one
 * place life-cycle notices leave the core
 * @vm: the VM
 * @event: HV_NOTICE_*
 * @reason: for crashes, or NULL
 * @gfp: GFP_KERNEL, or GFP_ATOMIC where sleeping is not allowed
 *
 * Context: any; process context for GFP_KERNEL.
 */
void hv_vm_notify(struct hv_vm *vm, enum hv_notice event, const char *reason,
		  gfp_t gfp)
{
	hv_nl_notice(vm, event, reason, gfp);
}

/**
 * hv_vm_create() - create a VM owned by a netlink socket
 * @name: its name, or "" for "vm<id>"
 * @max_vcpus: vCPU limit, 0 for the module's
 * @max_mem: memory limit in bytes, 0 for the module's
 * @unknown_msr: HV_MSR_POLICY_*
 * @sk: the owner socket
 * @portid: its port id
 * @net: its network namespace
 * @out: receives the VM, with a reference for the caller
 * @extack: names the problem on failure
 *
 * The first VM switches virtualization on, on every CPU.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a bad name or a limit above the module's;
 * -EEXIST for a name in use; -ENOSPC if max_vms VMs exist; -EBUSY if
 * another hypervisor owns VMX/SVM; -ENOMEM; -EIO.
 */
int hv_vm_create(const char *name, u32 max_vcpus, u64 max_mem,
		 enum hv_msr_policy unknown_msr, const struct sock *sk,
		 u32 portid, struct net *net, struct hv_vm **out,
		 struct netlink_ext_ack *extack)
{
	u32 vcpu_limit = min_t(u32, hv_max_vcpus, HV_MAX_VCPUS_LIMIT);
	u64 mem_limit = (u64)hv_max_mem_mib << 20;
	struct hv_cpuid_table *cpuid;
	const char *why = NULL;
	struct hv_vm *vm;
	int id, err;

	if (*name && !valid_name(name)) {
		NL_SET_ERR_MSG(extack,
			       "name: letters, digits, '-', '_', '.'; alphanumeric first; not only digits");
		return -EINVAL;
	}
	if (max_vcpus > vcpu_limit) {
		NL_SET_ERR_MSG(extack, "max-vcpus is above the module's limit (max_vcpus)");
		return -EINVAL;
	}
	if (max_mem > mem_limit) {
		NL_SET_ERR_MSG(extack, "max-mem is above the module's limit (max_mem_mib)");
		return -EINVAL;
	}

	vm = kmem_cache_zalloc(hv_vm_cache, GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	kref_init(&vm->ref);
	INIT_LIST_HEAD(&vm->node);
	mutex_init(&vm->lock);
	INIT_LIST_HEAD(&vm->ioeventfds);
	spin_lock_init(&vm->irqfd_lock);
	INIT_LIST_HEAD(&vm->irqfds);
	spin_lock_init(&vm->run_lock);
	init_waitqueue_head(&vm->park_wq);
	vm->max_vcpus = max_vcpus ?: vcpu_limit;
	vm->max_mem = max_mem ?: mem_limit;
	vm->unknown_msr = unknown_msr;
	vm->ring_poll_ns = hv_ring_poll_default();
	vm->halt_notices = true;
	vm->state = HV_VM_STATE_CREATED;
	vm->owner_portid = portid;
	vm->owner_sk = sk;
	vm->vcpus = kcalloc(vm->max_vcpus, sizeof(*vm->vcpus),
			    GFP_KERNEL_ACCOUNT);
	cpuid = hv_cpuid_default();
	if (!vm->vcpus || !cpuid) {
		err = -ENOMEM;
		goto err_free;
	}
	RCU_INIT_POINTER(vm->cpuid, cpuid);
	vm->cr4_allowed = hv_cpuid_cr4_allowed(cpuid);
	cpuid = NULL;
	/* The guest's TSC starts at 0 when the VM is created. */
	vm->tsc_offset = -(s64)rdtsc();

	mutex_lock(&vms_lock);
	if (nr_vms >= hv_max_vms) {
		NL_SET_ERR_MSG(extack, "the module's limit of VMs is reached (max_vms)");
		err = -ENOSPC;
		goto err_unlock;
	}
	if (*name && name_taken(name)) {
		NL_SET_ERR_MSG(extack, "a VM with this name exists");
		err = -EEXIST;
		goto err_unlock;
	}
	id = idr_alloc_cyclic(&vm_ids, NULL, 1, INT_MAX, GFP_KERNEL);
	if (id < 0) {
		err = id;
		goto err_unlock;
	}
	vm->id = id;
	if (*name)
		strscpy(vm->name, name, sizeof(vm->name));
	else
		snprintf(vm->name, sizeof(vm->name), "vm%d", id);
	if (name_taken(vm->name)) {
		NL_SET_ERR_MSG(extack, "a VM with this name exists");
		err = -EEXIST;
		goto err_id;
	}

	err = hv_virt_get(&why);
	hv_extack_msg(extack, why);
	if (err)
		goto err_id;
	err = hv_npt_init(vm);
	if (err)
		goto err_virt;
	err = hv_apic_page_init(vm);
	if (err)
		goto err_npt;
	err = hv_be_vm_init(vm);
	if (err)
		goto err_npt;

	vm->owner_net = get_net(net);
	__module_get(THIS_MODULE);
	idr_replace(&vm_ids, vm, id);
	list_add_tail(&vm->node, &vms);
	nr_vms++;
	atomic_inc(&hv_acct.vms);
	kref_get(&vm->ref);
	mutex_unlock(&vms_lock);

	hv_vm_notify(vm, HV_NOTICE_CREATED, NULL, GFP_KERNEL);
	*out = vm;
	return 0;

err_npt:
	hv_npt_free(vm);
	hv_apic_page_free(vm);
err_virt:
	hv_virt_put();
err_id:
	idr_remove(&vm_ids, id);
err_unlock:
	mutex_unlock(&vms_lock);
err_free:
	kfree(rcu_dereference_protected(vm->cpuid, 1));
	kfree(cpuid);
	kfree(vm->vcpus);
	kmem_cache_free(hv_vm_cache, vm);
	return err;
}

static void vm_teardown(struct hv_vm *vm)
{
	u32 i, n;

	mutex_lock(&vm->lock);
	vm->dying = true;
	n = vm->nr_vcpus;
	/* No device signals or interrupts the vCPUs while they stop. */
	hv_irqfd_release_all(vm);
	hv_ioeventfd_release_all(vm);
	mutex_unlock(&vm->lock);

	/* Park everyone first: none is then in guest mode while others stop. */
	spin_lock(&vm->run_lock);
	if (vm->state == HV_VM_STATE_RUNNING || vm->state == HV_VM_STATE_PAUSED ||
	    vm->state == HV_VM_STATE_CREATED)
		vm->state = HV_VM_STATE_PAUSED;
	spin_unlock(&vm->run_lock);
	for (i = 0; i < n; i++)
		hv_vcpu_stop(vm->vcpus[i]);
	for (i = 0; i < n; i++)
		hv_vcpu_free(vm->vcpus[i]);

	hv_mem_free_all(vm);
	hv_be_vm_destroy(vm);
	hv_npt_free(vm);
	hv_apic_page_free(vm);
	kfree(rcu_dereference_protected(vm->cpuid, 1));
	RCU_INIT_POINTER(vm->cpuid, NULL);
	hv_virt_put();

	hv_vm_notify(vm, HV_NOTICE_DESTROYED, NULL, GFP_KERNEL);
	put_net(vm->owner_net);
	atomic_dec(&hv_acct.vms);
	hv_vm_put(vm);
	module_put(THIS_MODULE);
}

/**
 * hv_vm_destroy() - destroy a VM
 * @vm: the VM (the caller holds a reference, which it still drops)
 *
 * Context: process context, may sleep; no VM lock held.
 */
void hv_vm_destroy(struct hv_vm *vm)
{
	bool mine;

	mutex_lock(&vms_lock);
	mine = !vm->claimed;
	if (mine) {
		vm->claimed = true;
		list_del_init(&vm->node);
		idr_remove(&vm_ids, vm->id);
		nr_vms--;
	}
	mutex_unlock(&vms_lock);
	/* Otherwise another path (owner release) is destroying it already. */
	if (mine)
		vm_teardown(vm);
}

/**
 * hv_vm_release_owner() - destroy the VMs of a closed netlink socket
 * @portid: the socket's port id
 * @net: its network namespace
 *
 * Context: the NETLINK_URELEASE notifier, process context.
 */
void hv_vm_release_owner(u32 portid, struct net *net)
{
	struct hv_vm *vm, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&vms_lock);
	/*
	 * The notifier names a port, not a socket: a VM that another socket
	 * bound to the same port id created in the window hv_vm_owned_by()
	 * describes goes too. Only the port's new holder loses by it.
	 */
	list_for_each_entry_safe(vm, tmp, &vms, node) {
		if (!at_port(vm, portid, net))
			continue;
		vm->claimed = true;
		list_move_tail(&vm->node, &gone);
		idr_remove(&vm_ids, vm->id);
		nr_vms--;
	}
	mutex_unlock(&vms_lock);

	list_for_each_entry_safe(vm, tmp, &gone, node) {
		list_del_init(&vm->node);
		vm_teardown(vm);
	}
}

/**
 * hv_vm_destroy_all() - destroy every VM (module exit)
 */
void hv_vm_destroy_all(void)
{
	struct hv_vm *vm;
	u32 id = 0;

	while ((vm = hv_vm_get_next(&id))) {
		hv_vm_destroy(vm);
		hv_vm_put(vm);
	}
}

static bool all_parked(struct hv_vm *vm)
{
	bool parked = true;
	u32 i;

	spin_lock(&vm->run_lock);
	for (i = 0; i < vm->nr_vcpus; i++)
		parked = parked && hv_vcpu_parked(vm->vcpus[i]);
	spin_unlock(&vm->run_lock);
	return parked;
}

static int wait_parked(struct hv_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++)
		hv_vcpu_kick(vm->vcpus[i], HV_REQ_PARK);
	if (!wait_event_timeout(vm->park_wq, all_parked(vm), 5 * HZ))
		return -ETIMEDOUT;
	return 0;
}

static void wake_all(struct hv_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++)
		wake_up(&vm->vcpus[i]->wq);
}

/**
 * hv_vm_start() - start or resume a VM's vCPUs
 * @vm: the VM; vm->lock held
 * @extack: names the problem on failure
 *
 * Return: 0; -EALREADY if it runs; -EINVAL if it crashed or died.
 */
int hv_vm_start(struct hv_vm *vm, struct netlink_ext_ack *extack)
{
	int err = 0;

	spin_lock(&vm->run_lock);
	switch (vm->state) {
	case HV_VM_STATE_RUNNING:
		NL_SET_ERR_MSG(extack, "the VM is running");
		err = -EALREADY;
		break;
	case HV_VM_STATE_CRASHED:
	case HV_VM_STATE_DEAD:
		NL_SET_ERR_MSG(extack,
			       "the VM crashed; it can be inspected and destroyed, not run");
		err = -EINVAL;
		break;
	default:
		vm->state = HV_VM_STATE_RUNNING;
	}
	spin_unlock(&vm->run_lock);
	if (err)
		return err;
	wake_all(vm);
	hv_vm_notify(vm, HV_NOTICE_STARTED, NULL, GFP_KERNEL);
	return 0;
}

/**
 * hv_vm_pause() - park a VM's vCPUs
 * @vm: the VM; vm->lock held
 * @extack: names the problem on failure
 *
 * Returns once no vCPU executes guest code; a vCPU waiting for its owner
 * counts as parked.
 *
 * Return: 0; -EINVAL if the VM is not running; -ETIMEDOUT if a vCPU did
 * not park within 5 seconds (the VM stays paused).
 */
int hv_vm_pause(struct hv_vm *vm, struct netlink_ext_ack *extack)
{
	int err;

	spin_lock(&vm->run_lock);
	if (vm->state != HV_VM_STATE_RUNNING) {
		spin_unlock(&vm->run_lock);
		NL_SET_ERR_MSG(extack, "the VM is not running");
		return -EINVAL;
	}
	vm->state = HV_VM_STATE_PAUSED;
	spin_unlock(&vm->run_lock);

	err = wait_parked(vm);
	if (err) {
		NL_SET_ERR_MSG(extack, "a vcpu did not stop within 5 seconds");
		return err;
	}
	hv_vm_notify(vm, HV_NOTICE_PAUSED, NULL, GFP_KERNEL);
	return 0;
}

/**
 * hv_vm_quiesce() - park the vCPUs for a memory-map change
 * @vm: the VM; vm->lock held
 *
 * Pair with hv_vm_unquiesce(), even on failure.
 *
 * Return: 0, or -ETIMEDOUT.
 */
int hv_vm_quiesce(struct hv_vm *vm)
{
	spin_lock(&vm->run_lock);
	vm->quiesce = true;
	spin_unlock(&vm->run_lock);
	return wait_parked(vm);
}

/**
 * hv_vm_unquiesce() - let the vCPUs run again after hv_vm_quiesce()
 * @vm: the VM; vm->lock held
 */
void hv_vm_unquiesce(struct hv_vm *vm)
{
	spin_lock(&vm->run_lock);
	vm->quiesce = false;
	spin_unlock(&vm->run_lock);
	wake_all(vm);
}

static void vm_stop(struct hv_vm *vm, enum hv_vm_state state,
		    const char *reason, gfp_t gfp)
{
	bool first = false;
	u32 i;

	spin_lock(&vm->run_lock);
	if (vm->state != HV_VM_STATE_CRASHED && vm->state != HV_VM_STATE_DEAD) {
		vm->state = state;
		strscpy(vm->crash_reason, reason, sizeof(vm->crash_reason));
		first = true;
	}
	spin_unlock(&vm->run_lock);
	if (!first)
		return;

	pr_info_ratelimited("vm %u (%s) %s: %s\n", vm->id, vm->name,
			    state == HV_VM_STATE_DEAD ? "died" : "crashed",
			    reason);
	/* vm->nr_vcpus only grows, and vcpus[] entries are set before it. */
	for (i = 0; i < READ_ONCE(vm->nr_vcpus); i++)
		hv_vcpu_kick(vm->vcpus[i], HV_REQ_PARK);
	hv_vm_notify(vm, HV_NOTICE_CRASHED, reason, gfp);
}

/**
 * hv_vm_crash() - stop a VM for good because of its guest (or of hv)
 * @vm: the VM
 * @state: HV_VM_STATE_CRASHED (the guest's doing) or _DEAD (hv's)
 * @fmt: the reason
 *
 * The vCPUs park; the owner gets a crashed notice with the reason. Only
 * the first reason is kept.
 *
 * Context: process context (a vCPU thread or a handler), may sleep.
 */
void hv_vm_crash(struct hv_vm *vm, enum hv_vm_state state, const char *fmt,
		 ...)
{
	char reason[HV_CRASH_REASON_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	vm_stop(vm, state, reason, GFP_KERNEL);
}

/**
 * hv_vm_bug() - mark a VM dead after hv found its own invariants broken
 * @vm: the VM
 * @reason: why, a sentence
 *
 * KVM_BUG_ON()'s counterpart: the caller has WARNed once; the VM stops
 * for good and its owner learns why. Nothing here sleeps.
 *
 * Context: any.
 */
void hv_vm_bug(struct hv_vm *vm, const char *reason)
{
	vm_stop(vm, HV_VM_STATE_DEAD, reason, GFP_ATOMIC);
}

/**
 * hv_vm_stats() - sum a VM's exit counters over its vCPUs
 * @vm: the VM; vm->lock held
 * @stats: HV_NR_STATS counters, added to
 */
void hv_vm_stats(struct hv_vm *vm, u64 *stats)
{
	u32 i, s;

	for (i = 0; i < vm->nr_vcpus; i++)
		for (s = 0; s < HV_NR_STATS; s++)
			stats[s] += READ_ONCE(vm->vcpus[i]->stats[s]);
}
