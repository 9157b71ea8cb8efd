// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU objects: creation with their thread (run.c runs it), stopping and
 * freeing, the architectural register record (get/set), and the event
 * queued for the next entry.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kthread.h>
#include <linux/slab.h>

#include "exception.h"
#include "compat.h"
#include "hv_host.h"
#include "irq/irq.h"

/**
 * hv_vcpu_queue_exception() - inject an exception at the next entry
 * @vcpu: the vCPU, outside guest mode (its own thread)
 * @vector: the exception vector
 * @has_error: it pushes an error code
 * @error_code: the error code
 *
 * An exception pending already is merged with the new one as the CPU
 * merges an exception raised while delivering another
 * (hv_exception_merge()): into a double fault, or a shutdown
 * (vcpu->triple_fault, a triple fault exit). Otherwise the new one is
 * delivered, and the instruction that raised the first raises it again.
 *
 * Context: any; does not sleep.
 */
void hv_vcpu_queue_exception(struct hv_vcpu *vcpu, u8 vector, bool has_error,
			     u32 error_code)
{
	struct hv_event *e = &vcpu->event;
	int merged = vector;

	if (e->valid && e->type == HV_EVENT_TYPE_EXCEPTION)
		merged = hv_exception_merge(e->vector, vector);
	if (merged == HV_TRIPLE_FAULT) {
		e->valid = false;
		vcpu->triple_fault = true;
		return;
	}
	if (merged != vector) {
		has_error = true;	/* #DF pushes 0 */
		error_code = 0;
	}
	*e = (struct hv_event) {
		.valid = true,
		.type = HV_EVENT_TYPE_EXCEPTION,
		.vector = merged,
		.has_error = has_error,
		.error_code = error_code,
	};
}

/* Every processor but the BSP waits for a SIPI (SDM Vol. 3A, 9.4). */
static u32 start_activity(struct hv_vcpu *vcpu)
{
	return vcpu->id ? HV_ACTIVITY_WAIT_SIPI : HV_ACTIVITY_ACTIVE;
}

/* Load the RESET state, built by the core, through the backend. */
static int vcpu_reset(struct hv_vcpu *vcpu)
{
	struct hv_regs *r = vcpu->scratch;
	const char *why;
	int err;

	hv_regs_reset(r, false, cpuid_eax(1));
	r->tsc = rdtsc() + vcpu->vm->tsc_offset;
	err = hv_be_set_regs(vcpu, r, &why);
	/* hv_regs_reset() builds nothing set_regs refuses. */
	if (WARN_ON_ONCE(err))
		return err;
	memcpy(vcpu->gpr, r->gpr, sizeof(vcpu->gpr));
	vcpu->rip = r->rip;
	vcpu->activity = start_activity(vcpu);
	return 0;
}

/**
 * hv_vcpu_init() - an INIT IPI arrived: the INIT state (SDM Vol. 3A, 10.1)
 * @vcpu: the vCPU (its own thread, outside the guest)
 *
 * Registers as hv_regs_reset() leaves them for INIT, the local APIC
 * initialized (its base and ID kept), nothing pending. vCPU 0 then runs
 * from the reset vector, as KVM's BSP does; the others wait for a SIPI.
 */
void hv_vcpu_init(struct hv_vcpu *vcpu)
{
	struct hv_regs *r = vcpu->scratch;

	hv_vcpu_get_regs(vcpu, r);
	hv_regs_reset(r, true, cpuid_eax(1));
	r->activity = start_activity(vcpu);
	/* hv_regs_reset() builds nothing set_regs refuses. */
	if (WARN_ON_ONCE(hv_vcpu_set_regs(vcpu, r, NULL))) {
		hv_vm_crash(vcpu->vm, HV_VM_STATE_DEAD,
			    "vcpu %u: its INIT state was refused", vcpu->id);
		return;
	}
	vcpu->intr_window = false;
	vcpu->nmi_pending = false;
	clear_bit(HV_REQ_NMI, &vcpu->requests);
	vcpu->triple_fault = false;
	hv_lapic_reset(vcpu, true);
}

/**
 * hv_vcpu_sipi() - a START-UP IPI arrived for a vCPU waiting for one
 * @vcpu: the vCPU (its own thread, outside the guest), in wait-for-SIPI
 * @vector: the SIPI's vector
 *
 * The vCPU starts in real mode at vector * 0x1000: CS selector vector
 * * 0x100, base vector * 0x1000, IP 0 (SDM Vol. 3A, 9.4.4; MP spec B.4).
 */
void hv_vcpu_sipi(struct hv_vcpu *vcpu, u8 vector)
{
	struct hv_regs *r = vcpu->scratch;

	hv_vcpu_get_regs(vcpu, r);
	r->cs.selector = vector << 8;
	r->cs.base = (u64)vector << 12;
	r->rip = 0;
	r->activity = HV_ACTIVITY_ACTIVE;
	if (WARN_ON_ONCE(hv_vcpu_set_regs(vcpu, r, NULL)))
		hv_vm_crash(vcpu->vm, HV_VM_STATE_DEAD,
			    "vcpu %u: its SIPI state was refused", vcpu->id);
}

/**
 * hv_vcpu_create() - add a vCPU and its thread to a VM
 * @vm: the VM; vm->lock held
 * @id: the vCPU's index: the VM's number of vCPUs
 * @out: receives the vCPU
 * @extack: names the problem on failure
 *
 * The thread is attached to the calling process's cgroups, so the owner's
 * resource control applies to it.
 *
 * Context: the owner's process context (netlink handler), may sleep.
 * Return: 0; -ENOSPC if the VM has its maximum of vCPUs; -EINVAL if @id
 * is not the next index; -ENOMEM; the errno of thread creation or cgroup
 * attachment.
 */
int hv_vcpu_create(struct hv_vm *vm, u32 id, struct hv_vcpu **out,
		   struct netlink_ext_ack *extack)
{
	struct hv_vcpu *vcpu;
	int err;

	if (vm->nr_vcpus >= vm->max_vcpus) {
		NL_SET_ERR_MSG(extack, "the VM has its maximum number of vcpus");
		return -ENOSPC;
	}
	if (id != vm->nr_vcpus) {
		NL_SET_ERR_MSG(extack,
			       "vcpu ids are given in order: id must be the VM's number of vcpus");
		return -EINVAL;
	}

	vcpu = kmem_cache_zalloc(hv_vcpu_cache, GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->cpu = -1;
	vcpu->parked = true;
	atomic_set(&vcpu->mode, HV_OUTSIDE_GUEST);
	init_waitqueue_head(&vcpu->wq);
	hv_uexit_init(vcpu);

	vcpu->scratch = kmem_cache_alloc(hv_regs_cache, GFP_KERNEL_ACCOUNT);
	if (!vcpu->scratch) {
		err = -ENOMEM;
		goto err_free;
	}
	err = hv_fpu_alloc(vcpu);
	if (err)
		goto err_free;
	err = hv_lapic_create(vcpu);
	if (err)
		goto err_fpu;
	err = hv_be_vcpu_create(vcpu);
	if (err)
		goto err_fpu;
	err = vcpu_reset(vcpu);
	if (err)
		goto err_backend;

	vcpu->thread = kthread_create_on_node(hv_vcpu_thread, vcpu, NUMA_NO_NODE,
					      "hv/%u/%u", vm->id, id);
	if (IS_ERR(vcpu->thread)) {
		err = PTR_ERR(vcpu->thread);
		NL_SET_ERR_MSG(extack, "cannot create the vcpu thread");
		goto err_backend;
	}
	atomic_inc(&hv_acct.threads);
	err = cgroup_attach_task_all(current, vcpu->thread);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot attach the vcpu thread to the owner's cgroups");
		kthread_stop(vcpu->thread);
		atomic_dec(&hv_acct.threads);
		goto err_backend;
	}

	/* Handlers look vCPUs up under vm->lock; the thread is ours now. */
	vm->vcpus[id] = vcpu;
	vm->nr_vcpus++;
	atomic_inc(&hv_acct.vcpus);
	wake_up_process(vcpu->thread);
	*out = vcpu;
	return 0;

err_backend:
	hv_be_vcpu_free(vcpu);
err_fpu:
	hv_lapic_free(vcpu);
	hv_fpu_free(vcpu);
err_free:
	if (vcpu->scratch)
		kmem_cache_free(hv_regs_cache, vcpu->scratch);
	kmem_cache_free(hv_vcpu_cache, vcpu);
	return err;
}

/**
 * hv_vcpu_stop() - stop a vCPU's thread; returns once it has exited
 * @vcpu: the vCPU
 *
 * Context: process context, may sleep; no VM lock held.
 */
void hv_vcpu_stop(struct hv_vcpu *vcpu)
{
	if (!vcpu->thread)
		return;
	hv_vcpu_kick(vcpu, HV_REQ_PARK);
	kthread_stop(vcpu->thread);
	vcpu->thread = NULL;
	atomic_dec(&hv_acct.threads);
	hv_uexit_cancel(vcpu);
}

/**
 * hv_vcpu_free() - free a stopped vCPU
 * @vcpu: the vCPU
 */
void hv_vcpu_free(struct hv_vcpu *vcpu)
{
	hv_uexit_release(vcpu);
	hv_ibpb_forget(vcpu);
	hv_be_vcpu_free(vcpu);
	kmem_cache_free(hv_regs_cache, vcpu->scratch);
	hv_npt_cache_free(vcpu);
	hv_lapic_free(vcpu);
	hv_fpu_free(vcpu);
	atomic_dec(&hv_acct.vcpus);
	kmem_cache_free(hv_vcpu_cache, vcpu);
}

/**
 * hv_vcpu_stopped() - whether a vCPU's state may be read or changed
 * @vcpu: the vCPU; vm->lock held, and the VM not running
 *
 * Return: true if its thread is parked and no exit waits for completion.
 */
bool hv_vcpu_stopped(struct hv_vcpu *vcpu)
{
	bool stopped;

	spin_lock(&vcpu->vm->run_lock);
	stopped = vcpu->parked;
	spin_unlock(&vcpu->vm->run_lock);
	return stopped && hv_uexit_idle(vcpu);
}

/**
 * hv_vcpu_get_regs() - read the architectural state of a stopped vCPU
 * @vcpu: the vCPU (hv_vcpu_stopped())
 * @regs: filled
 */
void hv_vcpu_get_regs(struct hv_vcpu *vcpu, struct hv_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	hv_be_get_regs(vcpu, regs);
	memcpy(regs->gpr, vcpu->gpr, sizeof(regs->gpr));
	regs->rip = vcpu->rip;
	regs->event = vcpu->event;
	regs->activity = vcpu->activity;
	regs->cr8 = hv_lapic_get_cr8(vcpu);
	regs->nmi_pending = vcpu->nmi_pending ||
			    test_bit(HV_REQ_NMI, &vcpu->requests);
	hv_lapic_get_state(vcpu, regs);
	hv_fpu_get(vcpu, regs->fpu);
}

/**
 * hv_vcpu_set_regs() - load the architectural state of a stopped vCPU
 * @vcpu: the vCPU (hv_vcpu_stopped())
 * @regs: the state
 * @extack: names the problem on failure
 *
 * Return: 0, or -EINVAL for a state the hardware would refuse.
 */
int hv_vcpu_set_regs(struct hv_vcpu *vcpu, const struct hv_regs *regs,
		     struct netlink_ext_ack *extack)
{
	const char *why;
	int err;

	if (regs->event.valid && regs->event.type == HV_EVENT_TYPE_EXCEPTION &&
	    regs->event.vector >= 32) {
		NL_SET_ERR_MSG(extack, "an exception's vector must be below 32");
		return -EINVAL;
	}
	if (regs->cr4 & ~READ_ONCE(vcpu->vm->cr4_allowed)) {
		NL_SET_ERR_MSG(extack, "cr4 has bits set the VM's CPUID does not offer");
		return -EINVAL;
	}
	err = hv_be_set_regs(vcpu, regs, &why);
	hv_extack_msg(extack, why);
	if (err)
		return err;
	memcpy(vcpu->gpr, regs->gpr, sizeof(vcpu->gpr));
	vcpu->rip = regs->rip;
	vcpu->event = regs->event;
	vcpu->activity = regs->activity;
	clear_bit(HV_REQ_NMI, &vcpu->requests);
	vcpu->nmi_pending = regs->nmi_pending;
	if (vcpu->nmi_pending)
		set_bit(HV_REQ_EVENT, &vcpu->requests);
	/* TPR[3:0] stays unless CR8 really changes (SDM 11.8.6.1). */
	if (regs->cr8 != hv_lapic_get_cr8(vcpu))
		hv_lapic_set_cr8(vcpu, regs->cr8);
	hv_fpu_set(vcpu, regs->fpu);
	return 0;
}
