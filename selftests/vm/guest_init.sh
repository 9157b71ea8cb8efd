#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of hv's test machines. The console (ttyS0) carries the kernel log
# and this script's progress; the second serial port (ttyS1) carries the
# results back to the host: TAP, then the whole kernel log, then a marker.
#
# Kernel command line words (the kernel hands unknown key=value words to
# init as environment variables):
#   hvmode=check   run a test set, report TAP, power off (default)
#   hvmode=demo    load hv.ko, show what it found, run a guest with
#                  hvctl and boot Linux with hvd, power off
#   hvmode=shell   load hv.ko, give a shell on the console
#   hvmode=bench   the benchmark (bench/): hv, then KVM, report
#                  figures and the kernel log as check does, power off
#   hvset=NAME     the test set (/usr/lib/hv/selftests/NAME.list)
#   hvload=0       do not load hv.ko first (for sets that test refusal)
#   hvbench_n=N hvbench_reps=R hvbench_calib=I hvbench_dirty=MIB
#                  the benchmark's sizes
#   hvbench_kvm=M  the KVM module to compare with (kvm_amd, kvm_intel)
#   hvtest_extra_seconds=N  more time for each test (300 s by default)
#   hvfuzz_seconds=N hvfuzz_seed=S hvfuzz_iter=I
#                  how long each fuzzer runs, with what seed, and the
#                  one iteration to replay (they read them from the
#                  environment; see selftests/lib/fuzz.h)

/bin/busybox mkdir -p /proc /sys /dev /tmp /run
/bin/busybox --install -s /bin
export PATH=/usr/bin:/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# hvd's serial consoles are pseudo-terminals.
mkdir -p /dev/pts
mount -t devpts -o ptmxmode=0666 devpts /dev/pts
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
mount -t tmpfs tmpfs /tmp

T=/usr/lib/hv/selftests
R=/dev/ttyS1
mode=${hvmode:-check}
set=${hvset:-main}
load=${hvload:-1}

# Hold the results port open for the whole run. Every last close shuts
# the UART down and clears its FIFOs, and under Bochs with two CPUs the
# wait for the transmitter to drain can end early: the tail of a test's
# output was lost so. finish() closes it last, after padding longer than
# the 16-byte FIFO, so the close waits for the kernel's buffer to drain
# and a cut-short FIFO drain loses padding only.
exec 9>"$R"

say() { echo "$*" >"$R"; }
log() { echo "hv-vm: $*" >/dev/console; }

finish() {
	printf '#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n#\n' >"$R"
	exec 9>&-
	sync
	poweroff -f
	# poweroff returned: ACPI is missing; let the host's time limit act.
	while :; do sleep 1000; done
}

# The kernel log, then the end marker judge.py waits for.
send_dmesg() {
	say "# hv-vm: dmesg begin"
	dmesg | sed 's/^/# dmesg: /' >"$R"
	say "# hv-vm: dmesg end"
	say "# hv-vm: done"
}

load_hv() {
	# msr.ko gives the selftests /dev/cpu/N/msr to check get-info against.
	insmod /lib/modules/msr.ko 2>/dev/null
	# tun.ko and vhost_net.ko (after what it needs): the tap of hvd_test's
	# virtio-net guest and the kernel's packet mover for it; loop.ko: the
	# block device of its direct disk.
	for m in $(cat /lib/modules/hvd.order); do
		insmod /lib/modules/$m.ko 2>/dev/null
	done
	insmod /lib/modules/hv.ko
}

# ---- demo and shell ------------------------------------------------------

if [ "$mode" = demo ]; then
	echo
	echo "== insmod hv.ko"
	load_hv && dmesg | grep 'hv: ' | grep -v taint
	echo
	echo "== hvctl info"
	hvctl info
	echo
	echo "== hvctl -j -p info"
	hvctl -j -p info
	echo
	# mov $0x44, %al; out %al, $0x80; mov $0x3f8, %dx; in (%dx), %al; hlt
	printf '\260\104\346\200\272\370\003\354\364' >/tmp/hello.bin
	echo "== hvctl run hello.bin --mode real --entry 0x7c00"
	hvctl run /tmp/hello.bin --mode real --entry 0x7c00
	echo
	# hvd boots this machine's own kernel with a busybox initramfs that
	# reports what it sees and powers off (hvd_guest_init.sh).
	cat >/tmp/demo.conf <<EOD
name = demo
kernel = /usr/lib/hv/guest/vmlinuz
initrd = /usr/lib/hv/guest/initrd
cmdline = console=ttyS0 quiet hvdguest=demo
vcpus = 1
memory = 128M
serial = stdio
on-reboot = stop
EOD
	echo "== cat /tmp/demo.conf"
	cat /tmp/demo.conf
	echo "== hvd --run /tmp/demo.conf"
	timeout 300 hvd --run /tmp/demo.conf </dev/null
	echo "== hvd exit status: $?"
	echo
	finish
fi

if [ "$mode" = shell ]; then
	[ "$load" = 1 ] && load_hv && dmesg | grep 'hv: ' | grep -v taint
	echo "hv test machine: hvctl is in PATH, selftests in $T; 'poweroff -f' ends"
	setsid cttyhack sh -l
	finish
fi

# ---- check: run a test set as TAP ---------------------------------------

tests=$(cat "$T/$set.list")
n=0
for t in $tests; do n=$((n + 1)); done
[ "$load" = 1 ] && n=$((n + 2))
i=0

tap() { # rc name
	i=$((i + 1))
	case $1 in
	0) say "ok $i $2" ;;
	4) say "ok $i $2 # SKIP" ;;
	*) say "not ok $i $2 # exit status $1" ;;
	esac
	log "$2: exit status $1"
}

# Run a command with its output indented as TAP diagnostics; keep its status.
run() {
	{ "$@"; echo $? >/tmp/rc; } 2>&1 | sed 's/^/# /' >"$R"
	return "$(cat /tmp/rc)"
}

# rmmod hv as the test module_unload: the module must be gone after it.
tap_unload() {
	run rmmod hv
	rc=$?
	[ $rc = 0 ] && [ -e /sys/module/hv ] && rc=1
	tap $rc module_unload
}

# ---- bench: hv against KVM, reported as TAP stages ----------------------

# stdout to a file, errors to the results port as TAP diagnostics.
bench_run() { # name program args...
	o=/tmp/bench-$1
	shift
	"$@" >"$o" 2>/tmp/bench-err
	rc=$?
	sed 's/^/# /' /tmp/bench-err >"$R"
	return $rc
}

# Linux to its init (hvd_guest_init.sh's first line) with the same kernel,
# initramfs, command line, one vCPU and 128 MiB for each VMM.
G=/usr/lib/hv/guest
gcmd="console=ttyS0 hvdguest=poweroff"
bench_conf() { # file name cmdline
	cat >"$1" <<EOD
name = $2
kernel = $G/vmlinuz
initrd = $G/initrd
cmdline = $3
vcpus = 1
memory = 128M
serial = stdio
EOD
}

bench_boot() { # name vmm args...
	n=$1
	shift
	bench_conf /tmp/boot.conf bootbench "$gcmd"
	bench_run "boot_$n" /usr/lib/hv/bench/boot_bench "$n" "$br" \
		"hvd-guest: init" -- "$@"
}

# The devices' benchmark (bench/dev_bench.c): the same guest, in its
# vbench mode, with a virtio-blk disk on a 64 MiB image in this machine's
# memory and virtio-net on the tap hvtap0; the same features both ways
# where QEMU would offer more (no receive offloads, no mergeable receive
# buffers, no control queue).
vcmd="console=ttyS0 quiet hvdguest=vbench vbench_n=$hvbench_dev_n vbench_bytes=$hvbench_dev_bytes"
bench_dev() { # name vhost vmm args...
	n=$1
	v=$2
	shift 2
	[ -e /tmp/vbench.img ] ||
		dd if=/dev/zero of=/tmp/vbench.img bs=1048576 count=64 2>/dev/null
	bench_conf /tmp/dev.conf devbench "$vcmd"
	cat >>/tmp/dev.conf <<EOD
disk = /tmp/vbench.img
net = tap:hvtap0,mac=52:54:00:12:34:56,vhost=$v
EOD
	# Each run's line at once, between runs: a QEMU+KVM run that hangs
	# the machine (machines.py, "stall") keeps the figures before it.
	DEV_BENCH_ALSO=$R bench_run "dev_$n" /usr/lib/hv/bench/dev_bench \
		"$n" "$br" "$hvbench_dev_n" "$hvbench_dev_bytes" hvtap0 -- "$@"
}

# hvbench_dev_vmms: which of the four, comma-separated (default all).
dev_vmm() { # name
	case ",${hvbench_dev_vmms:-hvd,hvd_vhost,qemu_kvm,qemu_kvm_vhost}," in
	*",$1,"*) return 0 ;;
	esac
	return 1
}

bench_dev_qemu() { # name vhost
	bench_dev "$1" "$2" qemu-system-x86_64 -M pc -accel kvm -cpu host -smp 1 \
		-m 128M -nodefaults -nographic -serial stdio -no-reboot \
		-bios /usr/share/qemu/qboot.rom -kernel $G/vmlinuz \
		-initrd $G/initrd -append "$vcmd" \
		-drive file=/tmp/vbench.img,if=none,id=d0,format=raw,aio=io_uring \
		-device virtio-blk-pci,drive=d0,disable-legacy=on \
		-netdev tap,id=n0,ifname=hvtap0,script=no,downscript=no,vhost=$2 \
		-device virtio-net-pci,netdev=n0,disable-legacy=on,romfile=,mac=52:54:00:12:34:56,mrg_rxbuf=off,guest_csum=off,guest_tso4=off,guest_tso6=off,guest_ecn=off,guest_ufo=off,host_ecn=off,host_ufo=off,status=off,ctrl_vq=off,ctrl_rx=off,ctrl_vlan=off,ctrl_rx_extra=off,ctrl_mac_addr=off,ctrl_guest_offloads=off,guest_announce=off
}

load_kvm() { # module
	for m in $(cat "/lib/modules/$1.order"); do
		[ -e "/sys/module/$m" ] && continue
		insmod "/lib/modules/$m.ko" || return 1
	done
}

if [ "$mode" = bench ]; then
	B=/usr/lib/hv/bench
	bn=${hvbench_n:-50000}
	br=${hvbench_reps:-3}
	bc=${hvbench_calib:-20000000}
	bd=${hvbench_dirty:-1024}
	bk=${hvbench_kvm:-kvm_amd}
	say "TAP version 13"
	# hvbench_only=dev: the devices' benchmark alone.
	all=1
	[ "$hvbench_only" = dev ] && all= && hvbench_boot=
	nb=3
	[ -n "$all" ] && nb=$((nb + 5))
	[ -n "$hvbench_boot" ] && nb=$((nb + 2))
	if [ -n "$hvbench_dev" ]; then
		for v in hvd hvd_vhost qemu_kvm qemu_kvm_vhost; do
			dev_vmm $v && nb=$((nb + 1))
		done
	fi
	say "1..$nb"
	log "benchmark: $bn iterations, $br runs per case, $bd MiB dirty log"
	run load_hv
	tap $? module_load
	if [ -n "$all" ]; then
		bench_run calib "$B/bench-calib" "$bc" "$br"
		tap $? bench_calibrate
		bench_run switch "$B/bench-switch" "$bn" "$br"
		tap $? bench_switch
		bench_run hv "$B/hv_bench" "$bn" "$br"
		tap $? bench_hv
		bench_run dirty "$B/dirty_bench" "$bd" "$br"
		tap $? bench_dirty
	fi
	if [ -n "$hvbench_boot" ]; then
		bench_boot hvd hvd --run /tmp/boot.conf
		tap $? bench_boot_hvd
	fi
	if [ -n "$hvbench_dev" ]; then
		if dev_vmm hvd; then
			bench_dev hvd off hvd --run /tmp/dev.conf
			tap $? bench_dev_hvd
		fi
		if dev_vmm hvd_vhost; then
			bench_dev hvd_vhost on hvd --run /tmp/dev.conf
			tap $? bench_dev_hvd_vhost
		fi
	fi
	# hv_bench checked that hv has no VM left, and dirty_bench destroys
	# its own: SVM or VMX is off again for KVM.
	run load_kvm "$bk"
	tap $? kvm_load
	if [ -n "$all" ]; then
		bench_run kvm "$B/kvm_bench" "$bn" "$br"
		tap $? bench_kvm
	fi
	if [ -n "$hvbench_dev" ]; then
		if dev_vmm qemu_kvm; then
			bench_dev_qemu qemu_kvm off
			tap $? bench_dev_qemu_kvm
		fi
		if dev_vmm qemu_kvm_vhost; then
			bench_dev_qemu qemu_kvm_vhost on
			tap $? bench_dev_qemu_kvm_vhost
		fi
	fi
	if [ -n "$hvbench_boot" ]; then
		bench_boot qemu_kvm qemu-system-x86_64-microvm -M microvm \
			-accel kvm -cpu host -smp 1 -m 128M -nodefaults \
			-nographic -serial stdio -no-reboot \
			-kernel $G/vmlinuz -initrd $G/initrd -append "$gcmd"
		tap $? bench_boot_qemu_kvm
	fi
	tap_unload
	# The figures only now: serial output during a run would be measured.
	cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
	say "# bench: info clocksource=$(cat $cs)"
	say "# bench: info kvm=$bk"
	for f in calib switch hv dirty kvm boot_hvd boot_qemu_kvm; do
		[ -e "/tmp/bench-$f" ] && sed 's/^/# bench: /' "/tmp/bench-$f" >"$R"
	done
	send_dmesg
	log "done"
	finish
fi

# ---- check: the test set ------------------------------------------------

say "TAP version 13"
say "1..$n"
log "running test set '$set' ($n tests)"

if [ "$load" = 1 ]; then
	run load_hv
	tap $? module_load
fi

# A fuzzer may be asked to run for longer than a test's usual limit.
limit=$((300 + ${hvfuzz_seconds:-0} + ${hvtest_extra_seconds:-0}))
for t in $tests; do
	say "# selftest: $t"
	(cd "$T" && run timeout "$limit" "./$t")
	tap $? "$t"
done

if [ "$load" = 1 ]; then
	tap_unload
fi

send_dmesg
log "done"
finish
