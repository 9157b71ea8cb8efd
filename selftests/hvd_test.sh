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

# wait_exit PID SECONDS: wait for PID to exit, its status in rc; kill it
# and return 1 if it does not in time.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt $(($2 * 5)) ]; then
			kill -KILL "$1"
			wait "$1"
			return 1
		fi
		sleep 0.2
	done
	wait "$1"
	rc=$?
	return 0
}

# wait_exit_diag PID SECONDS: wait_exit, with a diagnosis if it fails.
wait_exit_diag() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 5)) ]; do
		i=$((i + 1))
		sleep 0.2
	done
	kill -0 "$1" 2>/dev/null && diagnose "$1"
	wait_exit "$1" 1
}

# diagnose PID: what a stuck hvd and its VM are doing.
diagnose() {
	hvctl vm show hvdtest 2>&1 | sed 's/^/# /'
	sleep 1
	hvctl vm show hvdtest 2>&1 | sed 's/^/# /'
	kill -USR1 "$1"
	sleep 1
	kill -USR1 "$1"
	sleep 1
	for t in /proc/$1/task/*; do
		echo "# thread $t: $(cat $t/wchan 2>/dev/null) $(cat $t/stat | cut -d' ' -f3)"
		sed 's/^/#   /' $t/stack 2>/dev/null
	done
}

# fact OUT KEY: the value of "hvd-guest: KEY VALUE" in OUT.
fact() {
	sed -n "s/^hvd-guest: $2 //p" "$1" | tr -d '\r' | head -n 1
}

# expect_fact KEY VALUE: the guest's fact KEY in $out must be VALUE, or
# why says what it was.
expect_fact() {
	got=$(fact $out "$1")
	[ "$got" = "$2" ] || why="$why; $1 '$got', not '$2'"
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
	if ! wait_for $out "hvd-guest: ready for input" "$wait"; then
		diagnose $pid
		kill -KILL $pid 2>/dev/null
		exec 3>&-
		wait $pid
		tail -n 40 $out | sed 's/^/# /'
		sed 's/^/# /' $W/$name.err
		not_ok "$name" "the guest never asked for input"
		return
	fi
	now=$(date +%s)
	echo "typed-into-the-console-$name" >&3
	exec 3>&-
	if ! wait_exit_diag $pid "$wait"; then
		tail -n 40 $out | sed 's/^/# /'
		not_ok "$name" "the guest did not power off"
		return
	fi
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
		tr -d "\r" <$out | sed "s/^/# /"
		ok "$name"
	fi
}

# run_to_end NAME MODE ON_REBOOT: boot a guest that powers off or
# reboots at once; sets rc, out and err.
run_to_end() {
	out=$W/$1.out
	err=$W/$1.err
	def $W/$1.conf 1 "$2" "$3"
	hvd --run $W/$1.conf </dev/null >$out 2>$err &
	# A guest that hangs (README "Current limits") fails this test only.
	wait_exit_diag $! "$wait" || rc=timeout
}

# expect NAME WANT_RC MESSAGE: the last run exited with WANT_RC and its
# stderr has MESSAGE.
expect() {
	if [ "$rc" != "$2" ]; then
		tail -n 20 $out | sed 's/^/# /'
		sed 's/^/# /' $err
		not_ok "$1" "exit status $rc, not $2"
	elif ! grep -qF -- "$3" $err; then
		sed 's/^/# /' $err
		not_ok "$1" "no '$3' on stderr"
	else
		ok "$1"
	fi
}

poweroff_ends_the_run() {
	run_to_end poweroff poweroff stop
	expect poweroff_ends_the_run 0 "hvd: vm hvdtest: the guest powered off"
}

reboot_with_on_reboot_stop_ends_the_run() {
	run_to_end reboot_stop reboot stop
	expect reboot_with_on_reboot_stop_ends_the_run 0 \
		"hvd: vm hvdtest: the guest reset the machine"
}

# on-reboot = restart: the guest boots again (its init says so twice),
# until SIGTERM ends the run.
reboot_with_on_reboot_restart_boots_again() {
	name=reboot_with_on_reboot_restart_boots_again
	out=$W/restart.out
	err=$W/restart.err
	def $W/restart.conf 1 reboot restart
	: >$out
	hvd --run $W/restart.conf </dev/null >$out 2>$err &
	pid=$!
	i=0
	while [ "$(grep -c 'hvd-guest: init reboot' $out)" -lt 2 ]; do
		i=$((i + 1))
		if [ $i -gt 500 ]; then
			kill -KILL $pid
			break
		fi
		sleep 0.2
	done
	kill -TERM $pid 2>/dev/null
	wait $pid
	rc=$?
	expect $name 0 "hvd: vm hvdtest: the guest reset the machine: restarting"
}

# A kernel of our own: the multiboot loader's handoff, checked by the
# kernel itself, and its isa-debug-exit value as hvd's exit status.
multiboot_kernel_exit_status() {
	cat >$W/mb.conf <<EOD
name = mb
kernel = /usr/lib/hv/selftests/hvd_multiboot.elf
cmdline = K and the rest
memory = 16M
serial = null
EOD
	out=$W/mb.out
	err=$W/mb.err
	hvd --run $W/mb.conf </dev/null >$out 2>$err
	rc=$?
	# 'K' is 0x4b: (0x4b << 1) | 1.
	if [ $rc = 151 ]; then
		ok multiboot_kernel_exit_status
	else
		sed 's/^/# /' $err
		not_ok multiboot_kernel_exit_status "exit status $rc, not 151"
	fi
}

# A kernel of our own as a hostile virtio driver (selftests/hvd_hostile.c):
# each of its 25 attacks on virtio-rng's queue and rings must end in
# DEVICE_NEEDS_RESET with one log line naming the fault and one saying the
# device needs a reset, leave the guest's memory alone, and a reset must
# bring the device back. The kernel's isa-debug-exit value: 0x30 if all
# held (status 97), k if attack k failed first (status 2k + 1, 3 to 51),
# 0x29-0x2d if it could not get started (status 83-91).
hostile_virtqueues() {
	name=hostile_virtqueues
	out=$W/hostile.out
	err=$W/hostile.err
	cat >$W/hostile.conf <<EOD
name = hostile
kernel = /usr/lib/hv/selftests/hvd_hostile.elf
memory = 32M
serial = stdio
rng = yes
EOD
	# Every line hvd's virtio-rng logs, in the attacks' order, after
	# "hvd: vm hostile: virtio_rng: ". The addresses are the kernel's
	# fixed ones; 0x1fffff8 is 8 bytes below the end of 32M.
	cat >$W/hostile.want <<'EOD'
virtio_rng: chain longer than the queue size 16
needs reset: malformed request queue
virtio_rng: head 16 out of range (size 16)
needs reset: malformed request queue
virtio_rng: desc 0: next 16 out of range (16 entries)
needs reset: malformed request queue
virtio_rng: avail idx 17 is 17 ahead of 0 (size 16)
needs reset: malformed request queue
virtio_rng: desc 1: device-readable after device-writable
needs reset: malformed request queue
virtio_rng: desc 0: buffer 0xf0000000+0x10 outside RAM
needs reset: malformed request queue
virtio_rng: desc 0: buffer 0x100000000+0x10 outside RAM
needs reset: malformed request queue
virtio_rng: desc 0: buffer 0x1fffff8+0x10 outside RAM
needs reset: malformed request queue
virtio_rng: desc 0: buffer 0xfffffffffffffff0+0x20 outside RAM
needs reset: malformed request queue
virtio_rng: desc 0: INDIRECT not negotiated
needs reset: malformed request queue
virtio_rng: desc 0: INDIRECT with NEXT
needs reset: malformed request queue
virtio_rng: desc 0: empty indirect table
needs reset: malformed request queue
virtio_rng: desc 0: indirect table length 24 % 16 != 0
needs reset: malformed request queue
virtio_rng: desc 0: indirect table 0xf0000000+0x20 outside RAM
needs reset: malformed request queue
virtio_rng: indirect desc 0: INDIRECT in an indirect table
needs reset: malformed request queue
virtio_rng: indirect chain longer than its 2 entries
needs reset: malformed request queue
virtio_rng: indirect desc 0: next 2 out of range (2 entries)
needs reset: malformed request queue
virtio_rng: chain of more than 1024 buffers
needs reset: malformed request queue
virtio_rng: indirect desc 255: writable bytes exceed 32 bits
needs reset: malformed request queue
virtio_rng: indirect desc 256: chain of more than 2^32 bytes
needs reset: malformed request queue
needs reset: a queue moved while enabled
virtio_rng: descriptor table 0x100000000+0x100 outside RAM
needs reset: a queue's rings are unusable
virtio_rng: used ring 0x1fffff8+0x86 outside RAM
needs reset: a queue's rings are unusable
virtio_rng: descriptor table 0x200008 not 16-byte aligned
needs reset: a queue's rings are unusable
virtio_rng: queue size 12 not a power of two up to 1024
needs reset: a queue's rings are unusable
EOD
	hvd --run $W/hostile.conf </dev/null >$out 2>$err &
	# It takes seconds; a guest or device that hangs fails this test only.
	wait_exit $! "$wait" || rc=timeout
	sed -n 's/^hvd: vm hostile: virtio_rng: //p' $err >$W/hostile.got
	# Besides those, only the line that says what hvd booted.
	booted="multiboot /usr/lib/hv/selftests/hvd_hostile.elf, 1 vCPU, 32 MiB"
	grep -v '^hvd: vm hostile: virtio_rng: ' $err |
		grep -v '^hvd: vm hostile: sandbox: user ' |
		grep -vxF "hvd: vm hostile: $booted" >$W/hostile.other
	resets=$(grep -c 'needs reset' $err)
	why=
	if [ "$rc" != 97 ]; then
		why="exit status $rc, not 97"
		case $rc in
		[0-9]*) [ "$rc" -ge 3 ] && [ "$rc" -le 51 ] &&
			why="$why: attack $(((rc - 1) / 2)) failed first" ;;
		esac
	fi
	[ "$resets" = 25 ] || why="$why; $resets needs-reset lines, not 25"
	cmp -s $W/hostile.want $W/hostile.got ||
		why="$why; not the device lines expected"
	[ -s $W/hostile.other ] && why="$why; unexpected lines on stderr"
	if [ -n "$why" ]; then
		tr -d "\r" <$out | sed "s/^/# /"
		sed 's/^/# /' $err
		diff $W/hostile.want $W/hostile.got | sed 's/^/# /'
		not_ok $name "${why#; }"
	else
		tr -d "\r" <$out | sed "s/^/# /"
		ok $name
	fi
}

# child_of PID: a child of PID (busybox has no pgrep).
child_of() {
	for s in /proc/[0-9]*/status; do
		if [ "$(sed -n 's/^PPid:[[:space:]]*//p' $s 2>/dev/null)" = "$1" ]
		then
			s=${s#/proc/}
			echo ${s%/status}
			return
		fi
	done
}

# The multiboot kernel's console echo, sandboxed (the default): while it
# waits for input, its worker must be nobody with no capabilities,
# no_new_privs, seccomp filtering, init of its own user, mount, PID and
# IPC namespaces (the network namespace stays: the owner socket's) and an
# empty root; the echo still works and 'q' ends it.
sandbox_confines_the_worker() {
	name=sandbox_confines_the_worker
	cat >$W/sb.conf <<EOD
name = sb
kernel = /usr/lib/hv/selftests/hvd_multiboot.elf
cmdline = E
memory = 16M
serial = stdio
EOD
	rm -f $W/sbin && mkfifo $W/sbin
	hvd --run $W/sb.conf <$W/sbin >$W/sb.out 2>$W/sb.err &
	pid=$!
	exec 4>$W/sbin
	why=
	if ! wait_for $W/sb.err "sandbox: user" 30; then
		why="no sandbox line"
	fi
	# hvd, the relay outside the namespaces (which made the VM), and
	# the worker.
	relay=$(child_of $pid)
	w=$(child_of "${relay:-0}")
	st=/proc/${w:-0}/status
	field() {
		sed -n "s/^$1:[[:space:]]*//p" $st | tr '\t' ' '
	}
	[ "$(field Uid)" = "65534 65534 65534 65534" ] ||
		why="$why; Uid '$(field Uid)'"
	[ "$(field Gid)" = "65534 65534 65534 65534" ] ||
		why="$why; Gid '$(field Gid)'"
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(field $c)" = 0000000000000000 ] ||
			why="$why; $c '$(field $c)'"
	done
	[ "$(field NoNewPrivs)" = 1 ] || why="$why; NoNewPrivs '$(field NoNewPrivs)'"
	[ "$(field Seccomp)" = 2 ] || why="$why; Seccomp '$(field Seccomp)'"
	[ "$(field NSpid)" = "$w 1" ] || why="$why; NSpid '$(field NSpid)'"
	for ns in user mnt pid ipc; do
		[ "$(readlink /proc/${w:-0}/ns/$ns)" != "$(readlink /proc/self/ns/$ns)" ] ||
			why="$why; the $ns namespace is hvd's"
	done
	[ "$(readlink /proc/${w:-0}/ns/net)" = "$(readlink /proc/self/ns/net)" ] ||
		why="$why; not in hvd's network namespace"
	[ -z "$(ls -A /proc/${w:-0}/root/)" ] ||
		why="$why; its root shows '$(ls -A /proc/${w:-0}/root/ | tr '\n' ' ')'"
	printf 'sandboxed q' >&4
	exec 4>&-
	if ! wait_exit $pid 30; then
		why="$why; the guest did not end"
	elif [ $rc != 227 ]; then
		why="$why; exit status $rc, not 227 ('q')"
	fi
	[ "$(tr -d '\r' <$W/sb.out)" = "SANDBOXED " ] ||
		why="$why; console '$(cat $W/sb.out)'"
	if [ -n "$why" ]; then
		sed 's/^/# /' $W/sb.err
		not_ok $name "$why"
	else
		ok $name
	fi
}

# A confined worker that makes a call the filter does not list dies of
# SIGSYS, and hvd names the call and exits 4 (crashed).
sandbox_kills_a_forbidden_call() {
	name=sandbox_kills_a_forbidden_call
	HVD_TEST_FORBIDDEN_CALL=1 hvd --run $W/sb.conf </dev/null \
		>$W/sbf.out 2>$W/sbf.err
	rc=$?
	want="hvd: vm sb: the sandbox killed the worker: forbidden system call socket (41)"
	if [ $rc = 4 ] && grep -qxF "$want" $W/sbf.err; then
		ok $name
	else
		sed 's/^/# /' $W/sbf.err
		not_ok $name "exit status $rc (not 4) or no '$want'"
	fi
}

# refuse NAME KEY VALUE MESSAGE: a definition with KEY = VALUE does not
# start (status 2) and says MESSAGE.
refuse() {
	def $W/bad.conf 1 poweroff stop
	sed -i "/^$2 =/d" $W/bad.conf
	echo "$2 = $3" >>$W/bad.conf
	out=$W/bad.out
	err=$W/bad.err
	hvd --run $W/bad.conf </dev/null >$out 2>$err
	rc=$?
	expect "$1" 2 "$4"
}

refusals() {
	refuse missing_kernel kernel /nonexistent \
		"hvd: vm hvdtest: kernel /nonexistent: No such file or directory"
	refuse not_a_kernel kernel /usr/lib/hv/selftests/main.list \
		"hvd: vm hvdtest: kernel /usr/lib/hv/selftests/main.list is not a bzImage, an ELF vmlinux with a PVH entry note or a multiboot image"
	head -c 1000000 $G/vmlinuz >$W/truncated
	refuse truncated_kernel kernel $W/truncated "truncated"
	refuse missing_initrd initrd /nonexistent \
		"hvd: vm hvdtest: initrd /nonexistent: No such file or directory"
	refuse directory_as_kernel kernel /tmp \
		"hvd: vm hvdtest: kernel /tmp: not a regular file"
	refuse too_little_memory_for_the_kernel memory 16M "RAM"
	refuse too_much_memory memory 1T "cannot"
	refuse unknown_key colour blue \
		"hvd: definition $W/bad.conf: line 9: unknown key 'colour'"
	refuse bad_vcpus vcpus 0 \
		"hvd: definition $W/bad.conf: line 8: vcpus takes 1 to 64, not '0'"
	refuse relative_kernel kernel vmlinuz \
		"hvd: definition $W/bad.conf: line 8: kernel must be an absolute path, not 'vmlinuz'"
	# Linux 6.1's tmpfs has no O_DIRECT.
	dd if=/dev/zero of=$W/direct.img bs=65536 count=1 2>/dev/null
	refuse direct_disk_on_tmpfs disk "$W/direct.img,direct" \
		"hvd: vm hvdtest: disk $W/direct.img: the file system does not support direct I/O (option direct)"
}

# A killed hvd leaves no VM behind: the module destroys it with its
# owner socket.
sigkill_leaves_no_vm() {
	def $W/kill.conf 1 report stop
	hvd --run $W/kill.conf </dev/null >$W/kill.out 2>$W/kill.err &
	pid=$!
	wait_for $W/kill.out "hvd-guest: init" 100
	listed=$(hvctl vm list | grep -c hvdtest)
	kill -KILL $pid
	wait $pid
	# The sandboxed worker and its relay die of hvd's death
	# (PR_SET_PDEATHSIG), just after it: the VM goes with them.
	i=0
	while left=$(hvctl vm list | grep -c hvdtest) && [ "$left" != 0 ] &&
	      [ $i -lt 50 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	if [ "$listed" = 1 ] && [ "$left" = 0 ]; then
		ok sigkill_leaves_no_vm
	else
		not_ok sigkill_leaves_no_vm "listed $listed while it ran, $left after SIGKILL"
	fi
}

# net_exchange OUT: move the tap into a network namespace of its own
# (hvd's descriptor stays attached to it), where it is up at 10.0.2.1;
# once the guest (its console in OUT) listens, send it net.data from
# there and take what it sends back into net.back. nc_pid is empty after
# it; $N runs a command in the namespace until net_ns_end; ns_why says if
# the tap did not move.
net_exchange() {
	ns_why=
	unshare -n sleep 1000 </dev/null >/dev/null 2>&1 &
	ns_pid=$!
	i=0
	while [ "$(readlink /proc/$ns_pid/ns/net)" = "$(readlink /proc/self/ns/net)" ] &&
	      [ $i -lt 50 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	N="nsenter -t $ns_pid -n"
	ip link set hvtap0 netns $ns_pid
	if ip link show hvtap0 >/dev/null 2>&1 ||
	   ! $N ip link show hvtap0 >/dev/null 2>&1; then
		ns_why="; the tap did not move into a network namespace"
	fi
	$N ip link set hvtap0 up
	$N ip addr add 10.0.2.1/24 dev hvtap0
	# busybox nc ends at its stdin's end: a fifo held open.
	rm -f $W/hold && mkfifo $W/hold
	exec 8<>$W/hold
	$N nc -l -p 5001 <$W/hold >$W/net.back 2>/dev/null &
	nc_pid=$!
	wait_for "$1" "hvd-guest: net listening" "$wait" &&
		$N nc 10.0.2.15 5000 <$W/net.data
	wait_exit $nc_pid "$wait"
	nc_pid=
	exec 8<&-
}

# The namespace of net_exchange goes, once its VM has.
net_ns_end() {
	[ -n "$ns_pid" ] && kill $ns_pid 2>/dev/null && wait $ns_pid
	ns_pid=
}

# The guest's virtio mode: a 4 MiB disk it writes 1 MiB of its own
# randomness into and reads back, a read-only disk holding 64 KiB of the
# host's randomness, virtio-rng, virtio-console on a pty, and virtio-net
# on a tap: 256 KiB over TCP to the guest and back, checked by its SHA-256
# in the guest and byte for byte here. The image's bytes must have the
# checksum the guest reports, the read-only disk must refuse the write and
# read as the host wrote it.
virtio_devices() {
	name=virtio_devices
	ns_why=
	out=$W/$name.out
	rm -f $W/disk.img $W/ro.img
	dd if=/dev/zero of=$W/disk.img bs=1M count=4 2>/dev/null
	dd if=/dev/urandom of=$W/ro.img bs=65536 count=1 2>/dev/null
	dd if=/dev/zero of=$W/ro.img bs=65536 seek=1 count=15 2>/dev/null
	def $W/$name.conf 1 virtio stop
	cat >>$W/$name.conf <<EOD
disk = $W/disk.img,serial=hvd-test-disk-0
disk = $W/ro.img,ro
rng = yes
virtio-console = pty
net = tap:hvtap0,mac=52:54:00:12:34:56,vhost=off
EOD
	rm -f $W/hvc.out $W/net.back
	dd if=/dev/urandom of=$W/net.data bs=65536 count=4 2>/dev/null
	hvd --run $W/$name.conf </dev/null >$out 2>$W/$name.err &
	pid=$!
	# The guest says a line on hvc0; the host answers one.
	cat_pid=
	if wait_for $W/$name.err "virtio console on " "$wait"; then
		pty=$(sed -n 's/.*virtio console on //p' $W/$name.err)
		cat "$pty" >$W/hvc.out 2>/dev/null &
		cat_pid=$!
		wait_for $W/hvc.out from-guest "$wait" &&
			printf 'from-host\n' >"$pty"
	fi
	# TCP over the tap: 256 KiB to the guest and back; the guest powers
	# off once told on hvc0 that all of it came back.
	nc_pid=
	if [ -n "$cat_pid" ] &&
	   wait_for $W/$name.err "virtio net on tap hvtap0" "$wait"; then
		net_exchange $out
		printf 'net-done\n' >"$pty"
	fi
	if ! wait_exit_diag $pid "$wait"; then
		[ -n "$cat_pid" ] && kill $cat_pid && wait $cat_pid
		[ -n "$nc_pid" ] && kill $nc_pid 2>/dev/null && wait $nc_pid
		net_ns_end
		tail -n 40 $out | sed 's/^/# /'
		sed 's/^/# /' $W/$name.err
		not_ok $name "the guest did not power off"
		return
	fi
	[ -n "$cat_pid" ] && kill $cat_pid && wait $cat_pid
	[ -n "$nc_pid" ] && kill $nc_pid 2>/dev/null; [ -n "$nc_pid" ] && wait $nc_pid
	net_ns_end
	why=$ns_why
	[ $rc = 0 ] || why="$why; hvd exited with $rc: $(cat $W/$name.err)"
	# The disks' I/O must have gone through the worker's io_uring.
	! grep -q "no io_uring" $W/$name.err ||
		why="$why; $(grep "no io_uring" $W/$name.err)"
	[ "$(tr -d '\r' <$W/hvc.out 2>/dev/null)" = from-guest ] ||
		why="$why; hvc0 said '$(cat $W/hvc.out 2>/dev/null)'"
	want=$(dd if=$W/disk.img bs=65536 skip=1 count=16 2>/dev/null |
		sha256sum | cut -d' ' -f1)
	ro=$(dd if=$W/ro.img bs=65536 count=1 2>/dev/null | sha256sum |
		cut -d' ' -f1)
	expect_fact "pci 0000:00:01.0" "0x1af4:0x1042 0x010000 0x1af4:0x1100"
	expect_fact "pci 0000:00:02.0" "0x1af4:0x1042 0x010000 0x1af4:0x1100"
	expect_fact "pci 0000:00:03.0" "0x1af4:0x1041 0x020000 0x1af4:0x1100"
	expect_fact "pci 0000:00:04.0" "0x1af4:0x1044 0xff0000 0x1af4:0x1100"
	expect_fact "pci 0000:00:05.0" "0x1af4:0x1043 0x078000 0x1af4:0x1100"
	expect_fact "vda size" "8192 ro 0 serial hvd-test-disk-0"
	expect_fact "vdb size" "2048 ro 1 serial "
	expect_fact "vda written" "$want"
	expect_fact "vda read" "$want"
	expect_fact "vdb write" "refused"
	expect_fact "vdb read" "$ro"
	expect_fact "hwrng" "virtio_rng.0"
	expect_fact "hwrng bytes" "1024"
	# A config vector and one per queue: 2 + 2 + 3 + 2 + 3.
	expect_fact "virtio interrupts" "12"
	expect_fact "hvc0 got" "from-host"
	expect_fact "net mac" "52:54:00:12:34:56"
	expect_fact "net got" "$(sha256sum <$W/net.data | cut -d' ' -f1)"
	expect_fact "net sent" ok
	expect_fact "net host says" net-done
	cmp -s $W/net.data $W/net.back ||
		why="$why; the host got $(wc -c <$W/net.back) bytes back, not its 262144"
	# vhost=off: the worker moved the packets.
	grep -q "^hvd: vm hvdtest: net: tap hvtap0, hvd$" $W/$name.err ||
		why="$why; no 'net: tap hvtap0, hvd' line"
	if [ -n "$why" ]; then
		tail -n 60 $out | sed 's/^/# /'
		sed 's/^/# /' $W/$name.err
		not_ok $name "$why"
	else
		tr -d "\r" <$out | grep "hvd-guest" | sed "s/^/# /"
		ok $name
	fi
}

# vhost_thread_of PID: the name of a vhost worker thread that a process
# under PID (the sandboxed worker, a grandchild) owns, or nothing. Linux
# 6.1 names it vhost-<owner's pid> (drivers/vhost/vhost.c).
vhost_thread_of() {
	for c in /proc/[0-9]*/comm; do
		t=$(cat "$c" 2>/dev/null)
		case "$t" in vhost-[0-9]*) ;; *) continue ;; esac
		p=${t#vhost-}
		while [ -n "$p" ] && [ "$p" -gt 1 ]; do
			if [ "$p" = "$1" ]; then
				echo "$t"
				return
			fi
			p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status 2>/dev/null)
		done
	done
}

# The same 256 KiB each way over TCP as virtio_devices, with the kernel's
# vhost-net moving the packets (net = tap:NAME, vhost by default), in a
# short guest run under the supervisor: vhost's thread of the worker
# exists while it runs, and hvctl vm show says vhost-net.
# The second virtio guest: vhost-net moves the packets, and its disk is a
# block device (a loop device: the test machine's tmpfs has no O_DIRECT)
# opened with O_DIRECT, on the worker's threads instead of an io_uring.
virtio_vhost_net() {
	name=virtio_vhost_net_direct_disk_on_threads
	ns_why=
	S=$W/sup
	out=$W/$name.out
	rm -rf $S && mkdir -p $S/vms
	rm -f $out $W/net.back
	[ -f $W/net.data ] ||
		dd if=/dev/urandom of=$W/net.data bs=65536 count=4 2>/dev/null
	dd if=/dev/zero of=$W/vh.img bs=1048576 count=4 2>/dev/null
	loop=$(losetup -f)
	losetup "$loop" $W/vh.img
	def $S/vms/vhnet.conf 1 net stop
	sed -i -e 's/^name = .*/name = vhnet/' \
		-e "s|^serial = .*|serial = file:$out|" $S/vms/vhnet.conf
	echo "net = tap:hvtap0,mac=52:54:00:12:34:57" >>$S/vms/vhnet.conf
	echo "disk = $loop,direct" >>$S/vms/vhnet.conf
	HVD_TEST_NO_IO_URING=1 HVD_SOCKET=$S/hvd.sock hvd --config-dir $S/vms \
		--socket $S/hvd.sock </dev/null >$W/$name.err 2>&1 &
	sup=$!
	i=0
	while [ ! -S $S/hvd.sock ] && [ $i -lt 50 ]; do
		i=$((i + 1))
		sleep 0.2
	done
	why=
	thread=
	show=
	nc_pid=
	if ! HVD_SOCKET=$S/hvd.sock hvctl vm start vhnet >$W/$name.start 2>&1; then
		why="vm start: $(cat $W/$name.start)"
	else
		show=$(HVD_SOCKET=$S/hvd.sock hvctl vm show vhnet)
		worker=$(echo "$show" | sed -n 's/^worker: *//p')
		net_exchange $out
		thread=$(vhost_thread_of "$worker")
		wait_for $out "hvd-guest: net sent" "$wait" &&
			echo net-done | $N nc 10.0.2.15 5002
	fi
	i=0
	while HVD_SOCKET=$S/hvd.sock hvctl vm show vhnet 2>/dev/null |
	      grep -q '^state: *running' && [ $i -lt $((wait * 5)) ]; do
		i=$((i + 1))
		sleep 0.2
	done
	[ -n "$nc_pid" ] && kill $nc_pid 2>/dev/null && wait $nc_pid
	kill -TERM $sup
	wait_exit $sup 30 || why="$why; the supervisor did not end"
	net_ns_end
	why="$why$ns_why"
	[ -n "$thread" ] ||
		why="$why; no vhost thread of worker $worker"
	echo "$show" | grep -qx "net: *tap hvtap0, vhost-net" ||
		why="$why; hvctl vm show said: $(echo "$show" | grep '^net:')"
	echo "$show" | grep -qx "disk io: *threads: direct 512" ||
		why="$why; hvctl vm show said: $(echo "$show" | grep '^disk io:')"
	sum=$(dd if="$loop" bs=65536 skip=1 count=16 2>/dev/null | sha256sum |
	      cut -d' ' -f1)
	losetup -d "$loop"
	[ -n "$(fact $out "vda written")" ] &&
		[ "$(fact $out "vda read")" = "$(fact $out "vda written")" ] &&
		[ "$sum" = "$(fact $out "vda written")" ] ||
		why="$why; vda written '$(fact $out "vda written")', read '$(fact $out "vda read")', the host read '$sum'"
	expect_fact "net got" "$(sha256sum <$W/net.data | cut -d' ' -f1)"
	expect_fact "net sent" ok
	expect_fact "net host says" net-done
	cmp -s $W/net.data $W/net.back ||
		why="$why; the host got $(wc -c <$W/net.back) bytes back, not its 262144"
	if [ -n "$why" ]; then
		tail -n 40 $out | sed 's/^/# /'
		sed 's/^/# /' $W/$name.err
		not_ok $name "$why"
	else
		echo "# $thread; $(echo "$show" | grep '^net:\|^disk io:' | tr '\n' ';')"
		ok $name
	fi
}

# hvd_test_boots=all: every Linux boot below; one: one boot with one vCPU;
# virtio: only virtio_devices and virtio_vhost_net;
# none (default): no Linux boot. Each machine asks for what its time
# allows (selftests/vm/machines.py): qemu-svm for all of them and one
# boot with two vCPUs, bochs-haswell for one boot with one vCPU (about
# three minutes there). hvd_test_smp=N boots N
# times with two vCPUs; hvd_test_wait=S: how long a boot may take
# (100 s).
boots=${hvd_test_boots:-none}
wait=${hvd_test_wait:-100}

echo "TAP version 13"
if [ "$boots" = virtio ]; then
	virtio_devices
	virtio_vhost_net
	echo "1..$n"
	exit $fail
fi
if [ "$boots" != none ]; then
	boot boot_one_vcpu 1
fi
# hvd_test_smp=N boots N times with two vCPUs.
k=0
while [ $k -lt "${hvd_test_smp:-0}" ]; do
	k=$((k + 1))
	boot boot_two_vcpus_$k 2
done
if [ "$boots" = all ]; then
	poweroff_ends_the_run
	reboot_with_on_reboot_stop_ends_the_run
	reboot_with_on_reboot_restart_boots_again
	sigkill_leaves_no_vm
	virtio_devices
	virtio_vhost_net
fi
multiboot_kernel_exit_status
hostile_virtqueues
sandbox_confines_the_worker
sandbox_kills_a_forbidden_call
refusals
echo "1..$n"
exit $fail
