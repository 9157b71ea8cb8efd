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
#   hvmode=demo    load hv.ko, show what it found, power off
#   hvmode=shell   load hv.ko, give a shell on the console
#   hvset=NAME     the test set (/usr/lib/hv/selftests/NAME.list)
#   hvload=0       do not load hv.ko first (for sets that test refusal)

/bin/busybox mkdir -p /proc /sys /dev /tmp /run
/bin/busybox --install -s /bin
export PATH=/usr/bin:/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp

T=/usr/lib/hv/selftests
R=/dev/ttyS1
mode=${hvmode:-check}
set=${hvset:-main}
load=${hvload:-1}

say() { echo "$*" >"$R"; }
log() { echo "hv-vm: $*" >/dev/console; }

finish() {
	sync
	poweroff -f
	# poweroff returned: ACPI is missing; let the host's time limit act.
	while :; do sleep 1000; done
}

load_hv() {
	# msr.ko gives the selftests /dev/cpu/N/msr to check get-info against.
	insmod /lib/modules/msr.ko 2>/dev/null
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

say "TAP version 13"
say "1..$n"
log "running test set '$set' ($n tests)"

if [ "$load" = 1 ]; then
	run load_hv
	tap $? module_load
fi

for t in $tests; do
	say "# selftest: $t"
	(cd "$T" && run timeout 300 "./$t")
	tap $? "$t"
done

if [ "$load" = 1 ]; then
	run rmmod hv
	rc=$?
	[ $rc = 0 ] && [ -e /sys/module/hv ] && rc=1
	tap $rc module_unload
fi

say "# hv-vm: dmesg begin"
dmesg | sed 's/^/# dmesg: /' >"$R"
say "# hv-vm: dmesg end"
say "# hv-vm: done"
log "done"
finish
