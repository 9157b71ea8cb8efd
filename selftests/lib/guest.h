/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guests for hv's selftests: a VM whose RAM is a memfd mapped at guest
 * physical 0, guest code written as asm blobs in the test, vCPUs put in
 * real, 32-bit protected or 64-bit long mode with the tables those need,
 * and helpers to run to the next exit and answer it.
 *
 * Guest memory layout (long and protected mode):
 *   0x1000 GDT   0x2000 PML4   0x3000 PDPT   0x4000-0x7fff PDs (4 GiB
 *   identity-mapped with 2 MiB pages)   0x8000 IDT   0x9000 exception
 *   stubs   0x10000 code   stack below the top of RAM.
 * Guests report through the port TEST_PORT and stop with HLT.
 */
#ifndef HV_TEST_GUEST_H
#define HV_TEST_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "libhv.h"

#define TEST_PORT	0x1000	/* guest reports values here */
#define TEST_EXC_PORT	0x1001	/* exception stubs report the vector here */
#define CODE_GPA	0x10000
#define GDT_GPA		HV_SETUP_GDT
#define PML4_GPA	HV_SETUP_PML4
#define IDT_GPA		0x8000
#define STUBS_GPA	0x9000

/* The selectors of the GDT the helpers build. */
#define SEL_CODE	HV_SETUP_SEL_CODE
#define SEL_DATA	HV_SETUP_SEL_DATA

/* The same values as enum hv_mode. */
enum guest_mode {
	MODE_REAL = HV_MODE_REAL,
	MODE_PROT32 = HV_MODE_PROT32,
	MODE_LONG64 = HV_MODE_LONG64,
};

/*
 * Define guest code: GUEST_CODE(name, ".code64", "mov $1, %eax\n hlt")
 * gives name_start[] and name_end[].
 */
#define GUEST_CODE(name, bits, body)					\
	asm(".pushsection .rodata.guest, \"a\"\n"			\
	    ".globl " #name "_start\n" #name "_start:\n"		\
	    bits "\n" body "\n.code64\n"				\
	    ".globl " #name "_end\n" #name "_end:\n"			\
	    ".popsection\n");						\
	extern const unsigned char name##_start[], name##_end[]

/* A guest report: out %eax to TEST_PORT. */
#define G_REPORT "mov $0x1000, %dx\n out %eax, (%dx)\n"

#define TVM_MAX_VCPUS	8

/*
 * How a test VM's exits reach the test: netlink (the default), or an exit
 * ring per vCPU whose kernel side polls for ring_poll_ns (-1: the
 * module's default).
 */
struct tvm_opts {
	enum hv_transport transport;
	int ring_poll_ns;
};

struct tvm {
	struct hv *h;
	uint32_t id;
	uint8_t *mem;
	size_t mem_size;
	int memfd;
	uint32_t nr_vcpus;
	uint32_t slot;
	int started;
	struct hv_vcpu_ring *ring[TVM_MAX_VCPUS];
	uint32_t next_ring;
};

/*
 * A kselftest fixture's variants for the transports: its tests run over
 * netlink, over the ring with the vCPU polling, and over the ring with
 * both sides sleeping. Set up with tvm_create_opts(..., &TVM_VARIANT_OPTS).
 */
#define TVM_TRANSPORT_VARIANTS(fixture)					\
	FIXTURE_VARIANT(fixture) {					\
		enum hv_transport transport;				\
		int ring_poll_ns;					\
	};								\
	FIXTURE_VARIANT_ADD(fixture, netlink) {				\
		.transport = HV_TRANSPORT_NETLINK,			\
		.ring_poll_ns = -1,					\
	};								\
	FIXTURE_VARIANT_ADD(fixture, ring_polling) {			\
		.transport = HV_TRANSPORT_RING,				\
		.ring_poll_ns = HV_RING_POLL_MAX,			\
	};								\
	FIXTURE_VARIANT_ADD(fixture, ring_sleeping) {			\
		.transport = HV_TRANSPORT_RING,				\
		.ring_poll_ns = 0,					\
	}

#define TVM_VARIANT_OPTS ((struct tvm_opts){				\
		.transport = variant->transport,			\
		.ring_poll_ns = variant->ring_poll_ns,			\
	})

int tvm_create(struct tvm *vm, size_t mem_size, uint32_t nr_vcpus);
int tvm_create_opts(struct tvm *vm, size_t mem_size, uint32_t nr_vcpus,
		    const struct tvm_opts *opts);
void tvm_destroy(struct tvm *vm);
void tvm_load(struct tvm *vm, uint64_t gpa, const void *start,
	      const void *end);
int tvm_set_mode(struct tvm *vm, uint32_t vcpu, enum guest_mode mode,
		 uint64_t entry);
void tvm_set_gate(struct tvm *vm, enum guest_mode mode, uint32_t v,
		  uint64_t handler);
void tvm_build_idt(struct tvm *vm, enum guest_mode mode);
int tvm_use_idt(struct tvm *vm, uint32_t vcpu, enum guest_mode mode);
int tvm_next_exit(struct tvm *vm, struct hv_message *ev, int timeout_ms);
int tvm_complete(struct tvm *vm, const struct hv_message *ev, uint64_t data);
int tvm_expect_report(struct tvm *vm, uint64_t *value, int timeout_ms);
int tvm_run_to_hlt(struct tvm *vm, int timeout_ms);
int tvm_accounting_settles(struct hv *h, int timeout_ms);

#endif /* HV_TEST_GUEST_H */
