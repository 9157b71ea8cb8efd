# SPDX-License-Identifier: GPL-2.0
#
# The developer UI of hv. Everything builds into the tree (the module, as
# kbuild wants) or into build/ (everything else).
#
#   make            module, libhv, hvctl, selftests, unit tests
#   make demo       boot the SVM test machine, load hv.ko, show hvctl info
#   make check      every test: lint, spec, unit, dkms build, all machines
#   make help       all targets

# What comes from packages `make deps` installs (the kernel release, libnl's
# flags) is computed when first used, not when this file is read: `make
# check` and `make demo` run deps first, and on a fresh machine nothing of
# it is installed yet. VAR = $(eval VAR := ...)$(VAR) computes once.
ifeq ($(origin KVER),undefined)
KVER		= $(eval KVER := $(shell scripts/kver.sh 2>/dev/null))$(KVER)
endif
KDIR		?= /lib/modules/$(KVER)/build
HV_VERSION	:= $(shell scripts/version.sh)
B		:= $(CURDIR)/build
KSRC		:= $(B)/ksrc

# V=1 prints whole commands; the default prints one short line per step.
ifeq ($(V),1)
Q		:=
quiet		= @true
else
Q		:= @
quiet		= @printf '  %-7s %s\n'
endif
CFLAGS		?= -O2 -g
NL_CFLAGS	= $(eval NL_CFLAGS := \
		  $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null))$(NL_CFLAGS)
NL_LIBS		= $(eval NL_LIBS := \
		  $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null))$(NL_LIBS)
USER_CFLAGS	= $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror \
		   -Wno-unused-parameter -D_GNU_SOURCE \
		   -Ikmod -Ilib $(NL_CFLAGS)
VERSION_CFLAGS	:= -DHV_VERSION='"$(HV_VERSION)"'
SAN_CFLAGS	:= -O1 -g -fsanitize=address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer

LIBHV_SRC	:= lib/libhv.c lib/objects.c lib/regs.c lib/names.c lib/modes.c \
		   lib/ring.c
CLI_SRC		:= cli/hvctl.c cli/args.c cli/cmd_info.c cli/cmd_vm.c cli/cmd_vcpu.c \
		   cli/cmd_mem.c cli/cmd_run.c cli/cmd_batch.c cli/cmd_hvd.c \
		   cli/parse.c cli/output.c
CLI_HDR		:= cli/hvctl.h cli/output.h cli/parse.h
# hvd: the daemon, its worker, every device model and boot loader.
HVD_SRC		= daemon/hvd.c daemon/log.c daemon/defs.c daemon/devices.c \
		  $(wildcard daemon/super/*.c daemon/worker/*.c daemon/dev/*.c \
		  daemon/boot/*.c)
SD_LIBS		= $(eval SD_LIBS := \
		  $(shell pkg-config --libs libsystemd 2>/dev/null))$(SD_LIBS)
SECCOMP_LIBS	= $(eval SECCOMP_LIBS := \
		  $(shell pkg-config --libs libseccomp liburing 2>/dev/null))$(SECCOMP_LIBS)
JSON_LIBS	= $(eval JSON_LIBS := \
		  $(shell pkg-config --libs json-c 2>/dev/null))$(JSON_LIBS)
# The module's directories: the core, its subsystems, the two backends.
KMOD_DIRS	:= kmod kmod/mm kmod/nl kmod/irq kmod/vmx kmod/svm
MODULE_SRC	:= $(wildcard $(foreach d,$(KMOD_DIRS),$(d)/*.c $(d)/*.h \
		   $(d)/*.S) kmod/uapi/*.h) Kbuild

# Unit tests: name -> sources compiled directly into the test.
UNIT_TESTS	:= test_l1d_policy test_decode test_exception test_lapic_regs \
		   test_posted test_tsc_ratio \
		   test_output test_hvctl_args test_hvctl_cmds test_hvctl_hvd \
		   test_hvctl_parse \
		   test_libhv_parse
test_l1d_policy_SRC	:= kmod/tests/test_l1d_policy.c kmod/l1d_policy.c
test_decode_SRC		:= kmod/tests/test_decode.c kmod/decode.c
test_exception_SRC	:= kmod/tests/test_exception.c kmod/exception.c
test_lapic_regs_SRC	:= kmod/tests/test_lapic_regs.c kmod/irq/lapic_regs.c \
			   kmod/irq/posted.c
test_posted_SRC		:= kmod/tests/test_posted.c kmod/irq/posted.c
test_tsc_ratio_SRC	:= kmod/tests/test_tsc_ratio.c kmod/tsc_ratio.c
test_output_SRC		:= cli/tests/test_output.c cli/output.c
HVCTL_TEST_SRC		:= $(filter-out cli/hvctl.c,$(CLI_SRC)) cli/hvctl.c \
			   cli/tests/fake_libhv.c lib/names.c lib/modes.c
test_hvctl_args_SRC	:= cli/tests/test_hvctl_args.c $(HVCTL_TEST_SRC)
test_hvctl_cmds_SRC	:= cli/tests/test_hvctl_cmds.c $(HVCTL_TEST_SRC)
test_hvctl_hvd_SRC	:= cli/tests/test_hvctl_hvd.c $(HVCTL_TEST_SRC)
test_hvctl_args_LIBS	= $(JSON_LIBS)
test_hvctl_cmds_LIBS	= $(JSON_LIBS)
test_hvctl_hvd_LIBS	= $(JSON_LIBS)
test_hvctl_parse_SRC	:= cli/tests/test_hvctl_parse.c cli/parse.c
test_libhv_parse_SRC	:= lib/tests/test_libhv_parse.c $(LIBHV_SRC)

# hvd's device models and boot loaders, by convention: daemon/tests/
# test_dev_NAME.c tests daemon/dev/NAME.c against the fake services,
# test_boot_NAME.c tests daemon/boot/NAME.c (with boot/ram.c, the helpers
# every loader uses).
DEV_TESTS	:= $(patsubst daemon/tests/%.c,%,$(wildcard daemon/tests/test_dev_*.c))
BOOT_TESTS	:= $(patsubst daemon/tests/%.c,%,$(wildcard daemon/tests/test_boot_*.c))
$(foreach t,$(DEV_TESTS),$(eval $(t)_SRC := daemon/tests/$(t).c \
	daemon/dev/$(t:test_dev_%=%).c daemon/tests/fake_services.c))
$(foreach t,$(BOOT_TESTS),$(eval $(t)_SRC := daemon/tests/$(t).c \
	daemon/boot/$(t:test_boot_%=%).c daemon/boot/ram.c))
# The virtio models: the transport, the rings and the fake driver too.
VIRTIO_TEST_SRC	:= daemon/dev/pci.c daemon/dev/virtio.c daemon/dev/virtio_pci.c \
		   daemon/tests/virtio_driver.c
test_dev_virtio_rng_SRC += $(VIRTIO_TEST_SRC)
test_dev_virtio_blk_SRC += $(VIRTIO_TEST_SRC) daemon/dev/dio.c
test_dev_virtio_console_SRC += $(VIRTIO_TEST_SRC)
test_dev_virtio_net_SRC += $(VIRTIO_TEST_SRC)
UNIT_TESTS	+= $(DEV_TESTS) $(BOOT_TESTS) test_hvd_defs test_hvd_msr \
		   test_hvd_proto test_hvd_console test_hvd_virtio test_hvd_pci \
		   test_hvd_aio_pool
test_hvd_proto_SRC	:= daemon/tests/test_proto.c daemon/super/proto.c \
			   daemon/defs.c
test_hvd_proto_LIBS	= $(JSON_LIBS)
test_hvd_defs_SRC	:= daemon/tests/test_defs.c daemon/defs.c
test_hvd_msr_SRC	:= daemon/tests/test_msr.c daemon/worker/msr.c
test_hvd_console_SRC	:= daemon/tests/test_console.c daemon/worker/console.c \
			   daemon/worker/timer.c daemon/log.c daemon/defs.c
test_hvd_virtio_SRC	:= daemon/tests/test_virtio.c daemon/dev/virtio.c \
			   daemon/tests/fake_services.c
test_hvd_pci_SRC	:= daemon/tests/test_hvd_pci.c daemon/dev/pci.c
test_hvd_aio_pool_SRC	:= daemon/tests/test_aio_pool.c daemon/worker/aio_pool.c
DAEMON_HDR	:= $(wildcard daemon/*.h daemon/*/*.h)

MACHINES	:= qemu-svm bochs-haswell bochs-sandy bochs-skylake bochs-noept
SVM_MACHINES	:= qemu-svm
VMX_MACHINES	:= bochs-haswell bochs-sandy bochs-skylake bochs-noept
MACHINE		?= qemu-svm
VMRUN		= python3 selftests/vm/run.py --build $(B) --kver=$(KVER)

.PHONY: all module userspace lib cli daemon selftests unit unit-build deps demo \
	check check-svm check-vmx check-host lint sparse checkpatch kernel-doc llvm units \
	spec spec-check initramfs vm-shell fuzz dkms-install dkms-uninstall dkms-check \
	install clean help $(addprefix check-,$(MACHINES))

all: module userspace

help:
	@sed -n 's/^#   make/  make/p' Makefile
	@echo "  make module         hv.ko against KDIR=$(KDIR)"
	@echo "  make unit           cmocka unit tests (ASan+UBSan)"
	@echo "  make lint           sparse, checkpatch, kernel-doc on kmod/"
	@echo "  make spec           check kmod/hv.yaml against the code, with the kernel's YNL tools"
	@echo "  make check-svm      build, then the QEMU SVM machine"
	@echo "  make check-vmx      build, then the Bochs VMX machines"
	@echo "  make check-MACHINE  one of: $(MACHINES)"
	@echo "  make vm-shell MACHINE=name   boot a machine with a shell on the console"
	@echo "  make fuzz MACHINE=name SECONDS=300 [SEED=s [ITER=i]]   the guest and netlink fuzzers"
	@echo "  make bench          hv vs kvm_amd exit costs in the SVM machine (-icount); BENCH_N= BENCH_REPS="
	@echo "  make dkms-install   register, build and install hv through DKMS"
	@echo "  make install        hvctl, hvd and hvctl's man page under PREFIX=$(PREFIX)"

deps:
	@scripts/deps.sh

# ---- kernel module -------------------------------------------------------

module: hv.ko

hv.ko: $(MODULE_SRC) VERSION
	$(Q)test -e $(KDIR)/Makefile || { scripts/kver.sh >/dev/null; \
		echo "no kernel build tree at '$(KDIR)': run 'make deps' or set KDIR"; \
		exit 1; }
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) M=$(CURDIR) \
		HV_VERSION=$(HV_VERSION) W=1 KCFLAGS=-Werror V=$(V) modules

# ---- userspace -----------------------------------------------------------

userspace: lib cli daemon selftests unit-build

lib: $(B)/libhv.a
cli: $(B)/hvctl
daemon: $(B)/hvd

$(B)/lib/%.o: lib/%.c lib/libhv.h kmod/uapi/hv.h kmod/regs_attrs.h
	@mkdir -p $(B)/lib
	$(quiet) CC $<
	$(Q)$(CC) $(USER_CFLAGS) -c -o $@ $<

$(B)/libhv.a: $(patsubst lib/%.c,$(B)/lib/%.o,$(LIBHV_SRC))
	$(quiet) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(B)/hvctl: $(CLI_SRC) $(CLI_HDR) $(B)/libhv.a
	$(quiet) CCLD $@
	$(Q)$(CC) $(USER_CFLAGS) $(VERSION_CFLAGS) -o $@ $(CLI_SRC) \
		$(B)/libhv.a $(NL_LIBS) $(JSON_LIBS)

$(B)/hvd: $(HVD_SRC) $(DAEMON_HDR) $(B)/libhv.a
	$(quiet) CCLD $@
	$(Q)$(CC) $(USER_CFLAGS) $(VERSION_CFLAGS) -Idaemon -o $@ $(HVD_SRC) \
		$(B)/libhv.a $(NL_LIBS) $(SD_LIBS) $(JSON_LIBS) $(SECCOMP_LIBS) \
		-pthread

$(KSRC)/.extracted: scripts/kernel_src.sh
	@scripts/kernel_src.sh $(KSRC)

# The kernel's YNL tooling, from linux-source-6.12 (scripts/ynl_src.sh).
YNL		:= $(B)/ynl
$(YNL)/.extracted: scripts/ynl_src.sh
	@scripts/ynl_src.sh $(YNL)

# The selftests' machines carry the ynl CLI (selftests/ynl_test.sh).
selftests: $(B)/libhv.a $(B)/hvctl $(KSRC)/.extracted $(YNL)/.extracted
	$(Q)$(MAKE) --no-print-directory -C selftests Q=$(Q) OUTPUT=$(B)/selftests KSFT_INC=$(KSRC)/include \
		LIBHV=$(B)/libhv.a CFLAGS_EXTRA="$(USER_CFLAGS)" \
		LDLIBS_EXTRA="$(NL_LIBS)"

# ---- unit tests ----------------------------------------------------------

# $$(USER_CFLAGS) and $$(NL_LIBS): expanded when a test is built, after
# make deps, not when this is read (see NL_CFLAGS above).
define unit_rule
$(B)/unit/$(1): $$($(1)_SRC) $(CLI_HDR) lib/libhv.h kmod/uapi/hv.h kmod/l1d_policy.h \
		kmod/decode.h kmod/exception.h kmod/irq/lapic_regs.h kmod/irq/posted.h \
		kmod/tests/ktypes.h cli/tests/fake_libhv.h cli/tests/run_hvctl.h \
		$(DAEMON_HDR)
	@mkdir -p $(B)/unit
	$(quiet) CCLD $$@
	$(Q)$(CC) $$(USER_CFLAGS) $(VERSION_CFLAGS) $(SAN_CFLAGS) -Ikmod -Icli \
		-Icli/tests -Idaemon -Idaemon/tests -DUNIT_TEST \
		-o $$@ $$($(1)_SRC) -lcmocka -pthread $$(NL_LIBS) $$($(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit-build: $(addprefix $(B)/unit/,$(UNIT_TESTS))

unit: unit-build
	@fail=0; for t in $(UNIT_TESTS); do \
		CMOCKA_MESSAGE_OUTPUT=TAP $(B)/unit/$$t || fail=1; \
	done; \
	python3 selftests/vm/test_judge.py -q 2>&1 | tail -n 1 | \
		sed 's/^/judge: /'; python3 selftests/vm/test_judge.py -q \
		>/dev/null 2>&1 || fail=1; \
	if [ $$fail = 0 ]; then echo "unit: all passed"; \
	else echo "unit: FAILED"; exit 1; fi

# ---- lint ----------------------------------------------------------------

CODESPELL	:= /usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt
KMOD_C		:= $(wildcard $(addsuffix /*.c,$(KMOD_DIRS)))
KMOD_H		:= $(wildcard $(addsuffix /*.h,$(KMOD_DIRS)) kmod/uapi/*.h)

lint: sparse checkpatch kernel-doc llvm units

# hvd's systemd units parse, and systemd-analyze rates the service's
# exposure 1.5 or better (it says 1.2: README, "Installing").
units: $(B)/hvd
	@rm -rf $(B)/units && mkdir -p $(B)/units
	@sed 's|@SBINDIR@|$(B)|' packaging/hvd.service.in >$(B)/units/hvd.service
	@cp packaging/hvd.socket $(B)/units/
	@cd $(B)/units && systemd-analyze verify --man=no hvd.service hvd.socket && \
		systemd-analyze security --offline=true --threshold=15 --no-pager \
		hvd.service | tail -n 1 | sed 's/^/units: /'

# The module built with clang/LLVM as well, in a copy so that the gcc
# objects in the tree stay as they are.
llvm: $(MODULE_SRC)
	@rm -rf $(B)/llvm && mkdir -p $(B)/llvm
	@cp --parents $(MODULE_SRC) VERSION $(B)/llvm/
	@$(MAKE) -s -C $(KDIR) M=$(B)/llvm HV_VERSION=$(HV_VERSION) LLVM=1 W=1 \
		KCFLAGS=-Werror modules 2>&1 | grep -v '^Skipping BTF' || true
	@test -f $(B)/llvm/hv.ko && echo "llvm: clean"

sparse: $(MODULE_SRC)
	@out=$$($(MAKE) -s -C $(KDIR) M=$(CURDIR) HV_VERSION=$(HV_VERSION) \
		C=2 CHECK="sparse -Wno-decl" modules 2>&1 | grep -v '^  ' ); \
	echo "$$out" | grep -E '^kmod/|$(CURDIR)/kmod/' && \
		{ echo "sparse: findings above"; exit 1; }; \
	echo "sparse: clean"

checkpatch: $(KSRC)/.extracted
	@perl $(KSRC)/scripts/checkpatch.pl --no-tree --strict --quiet --no-summary \
		--terse --show-types --codespell --codespellfile $(CODESPELL) \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,MISSING_SIGN_OFF \
		-f $(KMOD_C) $(KMOD_H) && echo "checkpatch: clean"

kernel-doc:
	@out=$$(perl $(KDIR)/scripts/kernel-doc -Werror -none $(KMOD_C) $(KMOD_H) 2>&1; \
		python3 tests/kdoc_coverage.py $(KMOD_C) $(KMOD_H)); \
	if [ -n "$$out" ]; then echo "$$out"; echo "kernel-doc: findings above"; exit 1; fi; \
	echo "kernel-doc: clean"

# The netlink family's C: the ops table, the policies, and the header with
# the constants the policies use.
NL_SRC		:= kmod/nl/family.c kmod/hv_host.h

# deps first: on a fresh machine the checks need python3-yaml,
# python3-jsonschema and linux-source-6.12 (silent when installed).
spec: deps
	@$(MAKE) --no-print-directory spec-check

spec-check: $(YNL)/.extracted
	@python3 tests/check_spec.py kmod/hv.yaml kmod/uapi/hv.h lib/names.c \
		kmod/main.c $(NL_SRC)
	@python3 tests/check_ynl.py $(YNL) kmod/hv.yaml kmod/uapi/hv.h \
		$(NL_SRC)

# ---- test machines -------------------------------------------------------

initramfs: module userspace
	$(VMRUN) --build-only

demo: deps
	@$(MAKE) --no-print-directory all
	@$(VMRUN) --machine qemu-svm --mode demo

$(addprefix check-,$(MACHINES)): check-%: module userspace
	@$(VMRUN) --machine $*

check-svm: deps
	@$(MAKE) --no-print-directory check-host
	@$(VMRUN) --machine $(SVM_MACHINES)

check-vmx: deps
	@$(MAKE) --no-print-directory check-host
	@$(VMRUN) --machine $(VMX_MACHINES)

check-host: all lint spec unit dkms-check

check: deps
	@$(MAKE) --no-print-directory check-host
	@$(VMRUN) --machine $(MACHINES)

vm-shell: module userspace
	@$(VMRUN) --machine $(MACHINE) --mode shell

# The two fuzzers alone, for as long as asked; SEED= replays a run, and
# with ITER= one iteration of it.
SECONDS		?= 300
fuzz: module userspace
	@$(VMRUN) --machine $(MACHINE) --tests guest_fuzz nl_fuzz \
		--fuzz-seconds $(SECONDS) $(if $(SEED),--fuzz-seed $(SEED)) \
		$(if $(ITER),--fuzz-iter $(ITER))

include bench/bench.mk

# ---- packaging -----------------------------------------------------------

DKMS_SRC	:= Kbuild dkms.conf LICENSE VERSION $(MODULE_SRC)
DKMS_DIR	:= /usr/src/hv-$(HV_VERSION)
PREFIX		?= /usr/local
# systemd reads units under /usr/local too, but sysusers.d only under /usr.
UNITDIR		?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR	?= /usr/lib/sysusers.d

dkms-install:
	@[ "$$(id -u)" = 0 ] || { echo "dkms-install: run as root"; exit 1; }
	rm -rf $(DKMS_DIR)
	mkdir -p $(DKMS_DIR)
	cp --parents $(sort $(DKMS_SRC)) $(DKMS_DIR)/
	echo $(HV_VERSION) > $(DKMS_DIR)/VERSION
	sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(HV_VERSION)"/' $(DKMS_DIR)/dkms.conf
	dkms add hv/$(HV_VERSION)
	dkms build hv/$(HV_VERSION) -k $(KVER)
	dkms install hv/$(HV_VERSION) -k $(KVER)

dkms-uninstall:
	dkms remove hv/$(HV_VERSION) --all || true
	rm -rf $(DKMS_DIR)

# Register, build against the installed headers and unregister again, so
# that packaging cannot rot; leaves nothing behind on the host.
dkms-check:
	@scripts/dkms_check.sh $(KVER) $(sort $(DKMS_SRC))

install: $(B)/hvctl $(B)/hvd
	install -D -m 0755 $(B)/hvctl $(DESTDIR)$(PREFIX)/bin/hvctl
	install -D -m 0755 $(B)/hvd $(DESTDIR)$(PREFIX)/sbin/hvd
	install -D -m 0644 packaging/hvctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/hvctl.8
	install -D -m 0644 packaging/hvd.8 $(DESTDIR)$(PREFIX)/share/man/man8/hvd.8
	install -D -m 0644 packaging/hv.conf $(DESTDIR)/etc/modules-load.d/hv.conf
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' packaging/hvd.service.in \
		>$(DESTDIR)$(UNITDIR)/hvd.service
	install -m 0644 packaging/hvd.socket $(DESTDIR)$(UNITDIR)/hvd.socket
	install -m 0644 packaging/hv.sysusers $(DESTDIR)$(SYSUSERSDIR)/hv.conf

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1
	rm -rf $(B)
