#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hvd boots Debian's own kernel (the test machine's) with a busybox
# initramfs (selftests/vm/hvd_guest_init.sh) in the foreground
# (hvd --run), and checks what the guest reports on its serial console:
# its CPU count, its timer and serial interrupts on every CPU, its RTC
# time against the machine's, a line typed into its console; reboot and
# poweroff as the definition says; and refusals of bad definitions and
# images with the message each must carry. TAP.
G=/usr/lib/hv/guest
W=/tmp/hvd_test
n=0
fail=0
mkdir -p $W

ok() {
	n=$((n + 1))
	echo "ok $n $1"
}

not_ok() {
	n=$((n + 1))
	echo "# $2"
	echo "not ok $n $1"
	fail=1
}

# def FILE VCPUS MODE ON_REBOOT: a definition of the test guest.
def() {
	cat >"$1" <<EOD
name = hvdtest
kernel = $G/vmlinuz
initrd = $G/initrd
cmdline = console=ttyS0 hvdguest=$3
vcpus = $2
memory = 128M
serial = stdio
on-reboot = $4
EOD
}

# wait_for FILE PATTERN SECONDS: poll until FILE has a line matching
# PATTERN; 1 if it never does.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 5)) ] && return 1
		sleep 0.2
	done
	return 0
}

# fact OUT KEY: the value of "hvd-guest: KEY VALUE" in OUT.
fact() {
	sed -n "s/^hvd-guest: $2 //p" "$1" | tr -d '\r' | head -n 1
}

# boot NAME VCPUS: boot the report guest, type a line, check the facts.
boot() {
	name=$1
	out=$W/$name.out
	def $W/$name.conf "$2" report stop
	rm -f $W/in && mkfifo $W/in
	hvd --run $W/$name.conf <$W/in >$out 2>$W/$name.err &
	pid=$!
	exec 3>$W/in
	if ! wait_for $out "hvd-guest: ready for input" 600; then
		kill -KILL $pid 2>/dev/null
		exec 3>&-
		wait $pid
		tail -n 30 $out | sed 's/^/# /'
		sed 's/^/# /' $W/$name.err
		not_ok "$name" "the guest never asked for input"
		return
	fi
	now=$(date +%s)
	echo "typed-into-the-console-$name" >&3
	wait $pid
	rc=$?
	exec 3>&-
	why=
	[ $rc = 0 ] || why="hvd exited with $rc: $(cat $W/$name.err)"
	[ "$(fact $out cpus)" = "$2" ] ||
		why="$why; cpus '$(fact $out cpus)', not $2"
	# One count per CPU after "LOC:"; every one must be non-zero.
	loc=$(sed -n 's/^hvd-guest: irq *LOC: *//p' $out | tr -d '\r')
	counts=$(echo "$loc" | awk -v n="$2" '{ c = 0; for (i = 1; i <= n; i++) if ($i + 0 > 0) c++; print c }')
	[ "$counts" = "$2" ] || why="$why; LOC counts '$loc' on $2 CPUs"
	serial=$(grep -c '^hvd-guest: irq *4:.*ttyS0' $out)
	[ "$serial" = 1 ] || why="$why; no serial interrupt line"
	[ "$(fact $out echo)" = "typed-into-the-console-$name" ] ||
		why="$why; echo '$(fact $out echo)'"
	t=$(fact $out time)
	d=$((now - ${t:-0}))
	[ $d -ge -2 ] && [ $d -le 2 ] ||
		why="$why; guest time $t, machine time $now"
	if [ -n "$why" ]; then
		tail -n 40 $out | sed 's/^/# /'
		sed 's/^/# /' $W/$name.err
		not_ok "$name" "$why"
	else
		grep 'hvd-guest' $out | tr -d '\r' | sed 's/^/# /'
		ok "$name"
	fi
}

echo "TAP version 13"
boot boot_one_vcpu 1
echo "1..$n"
exit $fail
