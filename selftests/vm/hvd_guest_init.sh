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
#   hvdguest=virtio    load the virtio drivers, use the disks vda (written
#                      and read back) and vdb (read-only), the hardware
#                      RNG, hvc0 (a line each way) and eth0 (TCP both
#                      ways with the host), report, then poweroff
#   hvdguest=vbench    the devices' benchmark (bench/dev_bench.c): load the
#                      virtio drivers, run /bin/vbench's reads of vda
#                      (vbench_n, then twice as many) and its TCP
#                      transfers with 10.0.2.1 (twice vbench_bytes each
#                      way first; vbench_bytes sent, then twice as many,
#                      with TSO and then without; received the same way),
#                      then poweroff
#   hvdguest=net       load the virtio drivers, write and read back vda
#                      if there is one, TCP both ways with the host over
#                      eth0, then poweroff once the host says on port
#                      5002 that it has all of it
/bin/busybox mkdir -p /proc /sys /dev /tmp
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

# 1 MiB of the guest's own randomness at 64 KiB into vda; the host
# compares the image's bytes with the checksum said here.
vda_pattern() {
	dd if=/dev/urandom of=/tmp/pat bs=65536 count=16 2>/dev/null
	say "vda written $(sha256sum </tmp/pat | cut -d' ' -f1)"
	dd if=/tmp/pat of=/dev/vda bs=65536 seek=1 conv=fsync 2>/dev/null ||
		say "vda write failed"
	echo 3 >/proc/sys/vm/drop_caches
	say "vda read $(dd if=/dev/vda bs=65536 skip=1 count=16 2>/dev/null | sha256sum | cut -d' ' -f1)"
}

# What the host sends to port 5000 into /tmp/net.in, with its checksum.
# busybox nc ends at its stdin's end: a fifo this shell holds open (fd 8,
# for the callers' listeners too).
net_receive() {
	mkfifo /tmp/hold
	exec 8<>/tmp/hold
	nc -l -p 5000 </tmp/hold >/tmp/net.in &
	nc_pid=$!
	say "net listening"
	wait $nc_pid
	say "net got $(sha256sum </tmp/net.in | cut -d' ' -f1)"
}

case $hvdguest in
virtio | net | vbench)
	for m in $(cat /lib/modules/virtio.order); do
		insmod /lib/modules/$m.ko || say "insmod $m failed"
	done
	;;
esac

if [ "$hvdguest" = net ]; then
	mdev -s 2>/dev/null
	[ -b /dev/vda ] && vda_pattern
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	net_receive
	nc -l -p 5002 </tmp/hold >/tmp/done &
	nc_pid=$!
	if nc 10.0.2.1 5001 </tmp/net.in; then
		say "net sent ok"
	else
		say "net sent failed"
	fi
	wait $nc_pid
	say "net host says $(cat /tmp/done)"
	exec 8<&-
	poweroff -f
fi

if [ "$hvdguest" = vbench ]; then
	mdev -s 2>/dev/null
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	# Every connection starts from the same state: no metrics of the
	# one before, and a first transfer each way as large as the largest
	# measured, so that the addresses are resolved and every page the
	# transfers use has been touched (a VMM whose guest RAM is faulted in
	# lazily, as QEMU's, would pay that in the first measured one only).
	echo 1 >/proc/sys/net/ipv4/tcp_no_metrics_save
	# Each step ends the benchmark at its first failure: the host waits
	# for the steps in this order.
	vbench blk /dev/vda "$vbench_n" &&
		vbench blk /dev/vda $((vbench_n * 2)) &&
		vbench tx 10.0.2.1 5100 $((vbench_bytes * 2)) &&
		vbench rx 10.0.2.1 5100 &&
		vbench tx 10.0.2.1 5100 "$vbench_bytes" &&
		vbench tx 10.0.2.1 5100 $((vbench_bytes * 2)) &&
		vbench tso eth0 off &&
		vbench tx 10.0.2.1 5100 "$vbench_bytes" &&
		vbench tx 10.0.2.1 5100 $((vbench_bytes * 2)) &&
		vbench rx 10.0.2.1 5100 &&
		vbench rx 10.0.2.1 5100
	say "vbench status $?"
	poweroff -f
fi

if [ "$hvdguest" = virtio ]; then
	mdev -s 2>/dev/null
	for d in /sys/bus/pci/devices/*; do
		say "pci ${d##*/} $(cat $d/vendor):$(cat $d/device) $(cat $d/class) $(cat $d/subsystem_vendor):$(cat $d/subsystem_device)"
	done
	for b in vda vdb; do
		say "$b size $(cat /sys/block/$b/size) ro $(cat /sys/block/$b/ro) serial $(cat /sys/block/$b/serial)"
	done
	vda_pattern
	if dd if=/tmp/pat of=/dev/vdb bs=4096 count=1 conv=fsync 2>/dev/null; then
		say "vdb write accepted"
	else
		say "vdb write refused"
	fi
	say "vdb read $(dd if=/dev/vdb bs=65536 count=1 2>/dev/null | sha256sum | cut -d' ' -f1)"
	say "hwrng $(cat /sys/class/misc/hw_random/rng_current)"
	say "hwrng bytes $(head -c 1024 /dev/hwrng | wc -c)"
	say "virtio interrupts $(grep -c 'virtio' /proc/interrupts)"
	# virtio-console: a line out to the host's pty, and one back. hvc0
	# stays open: its termios go back to cooked at the last close.
	[ -e /dev/hvc0 ] || mknod /dev/hvc0 c 229 0
	exec 7<>/dev/hvc0
	stty raw -echo <&7
	echo from-guest >&7
	line=
	read -t 60 -r line <&7
	say "hvc0 got $line"
	# virtio-net: 256 KiB of TCP in from the host and back out to it;
	# the host says on hvc0 when it has it all, before the poweroff.
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	say "net mac $(cat /sys/class/net/eth0/address)"
	net_receive
	if nc 10.0.2.1 5001 </tmp/net.in; then
		say "net sent ok"
	else
		say "net sent failed"
	fi
	line=
	read -t 120 -r line <&7
	say "net host says $line"
	exec 7<&- 8<&-
	say "virtio done"
	poweroff -f
fi

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
