/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake libhv for hvctl's unit tests: one module's worth of state the
 * tests set up and inspect, requests that fail on demand with an extack
 * message, and scripted events.
 */
#ifndef HVCTL_FAKE_LIBHV_H
#define HVCTL_FAKE_LIBHV_H

#include <stddef.h>
#include <stdint.h>

#include "libhv.h"

#define FAKE_MAX	8
#define FAKE_MEM	0x10000

struct fake_complete {
	uint32_t vm;
	uint32_t vcpu;
	uint64_t seq;
	uint64_t data;
};

struct fake {
	int open_err;		/* hv_open() fails so */
	int opened;		/* open connections */
	const char *fail_fn;	/* this function fails ... */
	int fail_err;		/* ... with this errno ... */
	const char *errmsg;	/* ... and this extack message */
	const char *last_errmsg;
	struct hv_info info;
	struct hv_vm_info vms[FAKE_MAX];
	size_t nr_vms;
	uint32_t next_vm_id;
	struct hv_vcpu_info vcpus[FAKE_MAX];
	size_t nr_vcpus;
	struct hv_slot_info slots[FAKE_MAX];
	size_t nr_slots;
	struct hv_regs regs;	/* of every vCPU */
	struct hv_stats stats;
	uint8_t mem[FAKE_MEM];	/* guest memory from GPA 0 */
	struct hv_message events[32];
	size_t nr_events;
	size_t next_event;
	struct fake_complete completes[32];
	size_t nr_completes;
	size_t nr_rings;
	size_t ring_completes;
	uint64_t log_bits;	/* first bitmap word hv_mem_log() returns */
	unsigned int log_how;	/* its last HV_LOG_* */
	int started;
	int paused;
	uint64_t msi_addr;	/* the last hv_vm_msi() */
	uint32_t msi_data;
	int msis;
	int subscribed;
	int deleted;
};

extern struct fake fake;

void fake_reset(void);
struct hv_vm_info *fake_add_vm(uint32_t id, const char *name);
void fake_add_event(const struct hv_message *ev);

#endif /* HVCTL_FAKE_LIBHV_H */
