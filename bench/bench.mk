# SPDX-License-Identifier: GPL-2.0
#
# make bench: hv against Debian's KVM, each backend in one boot of its
# test machine with one CPU: qemu-svm with -icount shift=0 against kvm_amd
# (1 emulated ns per instruction), bochs-haswell and bochs-skylake against
# kvm_intel (one TSC tick per instruction). Measures a CPUID exit handled in the kernel and a
# port-I/O exit answered by userspace, in instructions per exit (and, for
# reference, two threads handing a token over eventfds on one CPU), and the
# cost of one get-and-clear of the dirty log over BENCH_DIRTY_MIB of guest
# memory with 1% of its pages dirty, per logging method. On qemu-svm also
# Debian's Linux booted to its init by hvd and by QEMU's microvm with KVM
# (same kernel, initramfs, one vCPU, 128 MiB), with the host memory each
# VM costs (bench/boot_bench.c), and the virtio devices: a 4 KiB random
# read on virtio-blk and a TCP packet on virtio-net each way, under hvd and
# QEMU's pc machine with KVM, each with vhost-net and without
# (bench/dev_bench.c, bench/vbench.c). Prints a table per machine and
# writes $(B)/bench/results.json.
#
# Included by the top-level Makefile, whose variables it uses (B, KVER,
# USER_CFLAGS, NL_LIBS, VMRUN, quiet, Q).
#
#   BENCH_ONLY=dev   the devices' benchmark alone (qemu-svm)
#   BENCH_DEV_N=1000 virtio-blk reads of its shorter run (the longer: 2x)
#   BENCH_DEV_BYTES=2097152  TCP bytes of its shorter transfers
#   BENCH_DEV_VMMS=hvd,hvd_vhost,qemu_kvm,qemu_kvm_vhost  its VMMs: a
#                    QEMU+KVM run can hang qemu-svm (machines.py, "stall"),
#                    so they may have to run in boots of their own; the
#                    report then takes several logs for one machine
#   BENCH_N=50000    iterations of each measured loop
#   BENCH_REPS=3     runs of each case per hypervisor (the median counts)
#   BENCH_DIRTY_MIB=1024  guest memory of the dirty-log measurement
#   BENCH_MACHINES="qemu-svm bochs-haswell bochs-skylake"
#   BENCH_POLL_N=BENCH_N/10  iterations per run on those
#   BENCH_POLL_MACHINES="bochs-haswell"  booted again with two CPUs, for
#                    the exit ring with both sides polling (and every other
#                    case, KVM's too, on that boot). Not qemu-svm: under
#                    -icount, QEMU 7.2 runs all vCPUs on one instruction
#                    clock (a polling CPU's instructions would count as
#                    the other's time) and does not finish booting with
#                    two of them.

BENCH_DEV_N	?= 1000
BENCH_DEV_BYTES	?= 2097152
BENCH_ONLY	?= all
BENCH_DEV_VMMS	?= hvd,hvd_vhost,qemu_kvm,qemu_kvm_vhost
BENCH_N		?= 50000
BENCH_REPS	?= 3
BENCH_CALIB	?= 20000000
BENCH_DIRTY_MIB	?= 1024
BENCH_MACHINES	?= qemu-svm bochs-haswell bochs-skylake
BENCH_POLL_MACHINES ?= bochs-haswell
BENCH_POLL_DIRTY_MIB ?= 16
# Two emulated CPUs run at half the speed: fewer iterations per run.
BENCH_POLL_N	?= $(shell echo $$(( ($(BENCH_N) + 9) / 10 )))
BENCH_DIR	:= $(B)/bench
BENCH_PROGS	:= $(BENCH_DIR)/hv_bench $(BENCH_DIR)/kvm_bench \
		   $(BENCH_DIR)/bench-calib $(BENCH_DIR)/dirty_bench \
		   $(BENCH_DIR)/bench-switch $(BENCH_DIR)/boot_bench \
		   $(BENCH_DIR)/dev_bench $(BENCH_DIR)/vbench
BENCH_CFLAGS	= $(USER_CFLAGS) -Ibench -Iselftests/lib
BENCH_COMMON	:= bench/common.c $(BENCH_DIR)/guest.o

.PHONY: bench bench-build

bench-build: $(BENCH_PROGS)

bench: module selftests bench-build
	@$(VMRUN) --machine $(BENCH_MACHINES) --mode bench \
		--bench-n $(BENCH_N) --bench-reps $(BENCH_REPS) \
		--bench-calib $(BENCH_CALIB) --bench-dirty-mib $(BENCH_DIRTY_MIB) \
		--bench-dev-n $(BENCH_DEV_N) --bench-dev-bytes $(BENCH_DEV_BYTES) \
		--bench-only $(BENCH_ONLY) --bench-dev-vmms $(BENCH_DEV_VMMS)
	$(if $(filter all,$(BENCH_ONLY)),$(if $(strip $(BENCH_POLL_MACHINES)),@$(VMRUN) \
		--machine $(BENCH_POLL_MACHINES) --mode bench --bench-smp 2 \
		--bench-n $(BENCH_POLL_N) --bench-reps $(BENCH_REPS) \
		--bench-calib $(BENCH_CALIB) \
		--bench-dirty-mib $(BENCH_POLL_DIRTY_MIB)))
	@python3 bench/report.py --json $(BENCH_DIR)/results.json \
		$(if $(filter dev,$(BENCH_ONLY)),--only dev) \
		$(foreach m,$(BENCH_MACHINES),$(m)=$(B)/vm/$(m)-bench/results.log) \
		$(if $(filter all,$(BENCH_ONLY)),$(foreach m,$(BENCH_POLL_MACHINES),$(m)@2=$(B)/vm/$(m)-bench-smp2/results.log))

# One object, linked into both runners: the same guest bytes for both.
$(BENCH_DIR)/guest.o: bench/guest.S bench/bench.h
	@mkdir -p $(BENCH_DIR)
	$(quiet) AS $@
	$(Q)$(CC) -Ibench -c -o $@ $<

$(BENCH_DIR)/hv_bench: bench/hv_bench.c selftests/lib/guest.c \
		selftests/lib/guest.h $(BENCH_COMMON) bench/bench.h \
		$(B)/libhv.a
	$(quiet) CCLD $@
	$(Q)$(CC) $(BENCH_CFLAGS) -pthread -o $@ bench/hv_bench.c \
		selftests/lib/guest.c $(BENCH_COMMON) $(B)/libhv.a $(NL_LIBS)

$(BENCH_DIR)/kvm_bench: bench/kvm_bench.c $(BENCH_COMMON) bench/bench.h
	$(quiet) CCLD $@
	$(Q)$(CC) $(BENCH_CFLAGS) -pthread -o $@ bench/kvm_bench.c $(BENCH_COMMON)

$(BENCH_DIR)/bench-calib: bench/calib.c $(BENCH_COMMON) bench/bench.h
	$(quiet) CCLD $@
	$(Q)$(CC) $(BENCH_CFLAGS) -pthread -o $@ bench/calib.c $(BENCH_COMMON)

$(BENCH_DIR)/bench-switch: bench/switch.c $(BENCH_COMMON) bench/bench.h
	$(quiet) CCLD $@
	$(Q)$(CC) $(BENCH_CFLAGS) -pthread -o $@ bench/switch.c $(BENCH_COMMON)

$(BENCH_DIR)/boot_bench: bench/boot_bench.c
	@mkdir -p $(BENCH_DIR)
	$(quiet) CCLD $@
	$(Q)$(CC) $(USER_CFLAGS) -o $@ bench/boot_bench.c

$(BENCH_DIR)/dev_bench: bench/dev_bench.c
	@mkdir -p $(BENCH_DIR)
	$(quiet) CCLD $@
	$(Q)$(CC) $(USER_CFLAGS) -pthread -o $@ bench/dev_bench.c

# The guest's side: static, for the guest's busybox initramfs.
$(BENCH_DIR)/vbench: bench/vbench.c
	@mkdir -p $(BENCH_DIR)
	$(quiet) CCLD $@
	$(Q)$(CC) $(USER_CFLAGS) -static -o $@ bench/vbench.c

$(BENCH_DIR)/dirty_bench: bench/dirty_bench.c selftests/lib/guest.c \
		selftests/lib/guest.h selftests/lib/test_util.c \
		selftests/lib/test_util.h bench/bench.h $(B)/libhv.a
	$(quiet) CCLD $@
	$(Q)$(CC) $(BENCH_CFLAGS) -pthread -o $@ bench/dirty_bench.c \
		selftests/lib/guest.c selftests/lib/test_util.c \
		$(B)/libhv.a $(NL_LIBS)
