#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the Linux guest that hvd boots inside the test machines
# (selftests/hvd_test.sh). It reports on its serial console, one
# "hvd-guest: KEY VALUE" line per fact, for the test to read back exactly.
#
# Kernel command line words (init gets them as environment variables):
#   hvdguest=report    facts, then an echo of one console input line,
#                      then poweroff
#   hvdguest=demo      the facts, then poweroff
#   hvdguest=poweroff  poweroff at once
#   hvdguest=reboot    reboot at once (the definition decides what then)
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

say() { echo "hvd-guest: $*"; }

say "init ${hvdguest:-report}"
case ${hvdguest:-report} in
poweroff)
	poweroff -f
	;;
reboot)
	reboot -f
	;;
esac

say "cpus $(grep -c '^processor' /proc/cpuinfo)"
# The local timer and serial lines of /proc/interrupts, one count per CPU.
grep -E '^ *(LOC|[0-9]+):.*(ttyS0|timer|Local timer)' /proc/interrupts |
	while read -r line; do say "irq $line"; done
say "time $(date +%s)"
say "clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
if [ "$hvdguest" != demo ]; then
	say "ready for input"
	read -r line
	say "echo $line"
fi
poweroff -f
