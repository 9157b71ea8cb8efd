#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hvd as the supervisor: hvctl's requests over its socket, one worker
# process per VM, definitions written and read back, the serial console
# through hvctl console, pause and resume, stop and kill, a worker killed
# from outside reported as crashed (and restarted when its definition
# says so), refusals with their messages, autostart, and nothing left
# behind when hvd stops: no worker, no VM in the module. The guest is
# hvd_multiboot.elf, whose command line "E" makes it echo COM1. TAP.
K=/usr/lib/hv/selftests/hvd_multiboot.elf
W=/tmp/hvd_super_test
D=$W/vms
HVD_SOCKET=$W/hvd.sock
export HVD_SOCKET
n=0
fail=0
rm -rf $W
mkdir -p $D

ok() {
	n=$((n + 1))
	echo "ok $n $1"
}

not_ok() {
	n=$((n + 1))
	echo "# $2" | sed '2,$s/^/# /'
	echo "not ok $n $1"
	fail=1
}

# is NAME GOT WANT: ok if GOT is WANT.
is() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2', want '$3'"
	fi
}

# field VM KEY: a field of hvctl vm show.
field() {
	hvctl vm show "$1" 2>/dev/null | sed -n "s/^$2: *//p"
}

# until_field VM KEY VALUE SECONDS: poll until the field has the value.
until_field() {
	i=0
	while [ "$(field "$1" "$2")" != "$3" ]; do
		i=$((i + 1))
		[ $i -gt $(($4 * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# wait_for FILE PATTERN SECONDS
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

# module_vms: the VMs the module has, by name.
module_vms() {
	hvctl -d vm list | tail -n +2 | awk '{ print $2 }' | sort | tr '\n' ' '
}

# settle_vms WANT SECONDS: poll until the module's VMs are WANT. A killed
# worker's sandboxed process dies of its parent's death, just after it,
# and takes the VM with it then.
settle_vms() {
	i=0
	while [ "$(module_vms)" != "$1" ] && [ $i -lt $(($2 * 10)) ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

start_hvd() {
	hvd --config-dir $D --socket $HVD_SOCKET >>$W/hvd.log 2>&1 &
	hvd_pid=$!
	i=0
	while [ ! -S $HVD_SOCKET ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 $hvd_pid 2>/dev/null; then
			sed 's/^/# /' $W/hvd.log
			return 1
		fi
		sleep 0.1
	done
}

# stop_hvd: SIGTERM, and its exit status in rc.
stop_hvd() {
	kill -TERM $hvd_pid
	i=0
	while kill -0 $hvd_pid 2>/dev/null && [ $i -lt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	kill -KILL $hvd_pid 2>/dev/null
	wait $hvd_pid
	rc=$?
}

# try CMD...: run it; its output (both streams) in out, status in rc.
try() {
	out=$("$@" 2>&1)
	rc=$?
}

echo "TAP version 13"
if ! start_hvd; then
	not_ok hvd_starts "hvd did not create $HVD_SOCKET"
	echo "1..$n"
	exit 1
fi
ok hvd_starts

try hvctl vm list
is empty_list "$rc $out" \
	"0 NAME                 STATE    VCPUS      MEM AUTOSTART REASON"

try hvctl vm create echo --kernel $K --cmdline E --mem 16M
cat >$W/want.conf <<EOD
# hv VM definition (see hvd(8)); hvd reads it at start
name = echo
kernel = $K
initrd = 
cmdline = E
vcpus = 1
memory = 16M
serial = pty
on-reboot = restart
restart-on-crash = no
autostart = no
net = none
rng = no
virtio-console = none
sandbox = yes
EOD
if [ $rc = 0 ] && cmp -s $W/want.conf $D/echo.conf; then
	ok create_writes_the_definition
else
	not_ok create_writes_the_definition "$rc $out $(diff $W/want.conf $D/echo.conf)"
fi

# Disks (--disk again and again, in order), virtio-rng, no sandbox.
try hvctl vm create disks --kernel $K --disk /tmp/d0.img,serial=root \
	--disk /tmp/d1.img,ro --rng --no-sandbox
shown=$(hvctl vm show disks | grep -E '^(disk|rng|sandbox) ' | tr -s ' ')
if [ $rc = 0 ] &&
   [ "$(grep -E '^(disk|rng|sandbox) ' $D/disks.conf | tr '\n' ';')" = \
     "disk = /tmp/d0.img,serial=root;disk = /tmp/d1.img,ro;rng = yes;sandbox = no;" ] &&
   [ "$(echo $shown)" = "rng yes sandbox no disk /tmp/d0.img,serial=root disk /tmp/d1.img,ro" ]; then
	ok create_takes_disks_and_rng
else
	not_ok create_takes_disks_and_rng "$rc $out; $(cat $D/disks.conf); $shown"
fi
hvctl vm destroy disks >/dev/null 2>&1

try hvctl vm create echo --kernel $K
is create_twice_is_refused "$rc $out" \
	"1 hvctl: vm create: hvd: a VM named 'echo' exists: File exists"
try hvctl vm create ../x --kernel $K
is bad_name_is_refused "$rc $out" \
	"1 hvctl: vm create: hvd: bad VM name \"../x\" (1 to 31 letters, digits, '-', '_' or '.', not first): Invalid argument"
try hvctl vm create big --kernel $K --vcpus 65
is bad_vcpus_is_refused "$rc $out" \
	"1 hvctl: vm create: hvd: definition: vcpus takes 1 to 64, not '65': Invalid argument"
try hvctl vm start nosuch
is unknown_vm_is_refused "$rc $out" \
	"1 hvctl: vm start: hvd: no VM named 'nosuch': No such file or directory"

try hvctl vm start echo
pid=$(field echo worker)
if [ $rc = 0 ] && [ "$(field echo state)" = running ] &&
   [ -d /proc/$pid ] && [ "$(module_vms)" = "echo " ] &&
   field echo console | grep -q '^/dev/pts/' &&
   [ "$(field echo sandbox)" = "user 65534, no capabilities, namespaces user mnt pid ipc, empty root, seccomp 69 calls" ]; then
	ok start_runs_a_worker
else
	not_ok start_runs_a_worker "$rc $out; $(hvctl vm show echo); module: $(module_vms)"
fi

# The console: bytes both ways, then Ctrl-] detaches.
rm -f $W/in && mkfifo $W/in
hvctl console echo <$W/in >$W/con.out 2>$W/con.err &
con=$!
exec 3>$W/in
printf 'hello' >&3
if wait_for $W/con.out HELLO 60; then
	printf '\035' >&3
	wait $con
	rc=$?
	if [ $rc = 0 ] && grep -q Detached $W/con.err &&
	   [ "$(field echo state)" = running ]; then
		ok console_carries_bytes_both_ways
	else
		not_ok console_carries_bytes_both_ways "status $rc: $(cat $W/con.err)"
	fi
else
	kill $con
	wait $con
	not_ok console_carries_bytes_both_ways "read '$(cat $W/con.out)': $(cat $W/con.err)"
fi
exec 3>&-

try hvctl vm pause echo
st=$(field echo state)
try2=$rc
try hvctl vm resume echo
is pause_and_resume "$try2 $st $rc $(field echo state)" "0 paused 0 running"

try hvctl vm destroy echo
is destroy_of_a_running_vm_is_refused "$rc $out" \
	"1 hvctl: vm destroy: hvd: vm echo is running; stop or kill it first: Device or resource busy"

try hvctl vm stop echo
is stop_ends_the_worker "$rc $(field echo state) $(field echo reason) [$(module_vms)] $([ -d /proc/$pid ] && echo alive || echo gone)" \
	"0 stopped Terminated [] gone"

try hvctl vm stop echo
is stop_of_a_stopped_vm_is_refused "$rc $out" \
	"1 hvctl: vm stop: hvd: vm echo is not running (stopped): No such process"

# A worker killed from outside: its VM is reported crashed, and gone.
hvctl vm start echo
kill -KILL "$(field echo worker)"
until_field echo state crashed 30
settle_vms "" 10
is killed_worker_is_reported "$(field echo state) $(field echo reason) [$(module_vms)]" \
	"crashed the worker was killed by SIGKILL []"

# ... and restarted when its definition says so, while others run on.
hvctl vm start echo
hvctl vm create rs --kernel $K --cmdline E --mem 16M --restart-on-crash
hvctl vm start rs
old=$(field rs worker)
kill -KILL "$old"
until_field rs restarts 1 30
until_field rs state running 30
new=$(field rs worker)
is crashed_worker_is_restarted "$(field rs state) $(field rs restarts) $([ "$new" != "$old" ] && [ -d /proc/$new ] && echo new) $(field echo state) [$(module_vms)]" \
	"running 1 new running [echo rs ]"

try hvctl vm kill rs
settle_vms "echo " 10
is kill_ends_the_worker "$rc $(field rs state) $(field rs reason) [$(module_vms)]" \
	"0 stopped killed by hvctl [echo ]"

# The guest's own end: isa-debug-exit ("K" is 0x4b).
hvctl vm create dx --kernel $K --cmdline K --mem 16M --serial null
hvctl vm start dx
until_field dx state stopped 30
is guest_exit_is_reported "$(field dx state) $(field dx reason)" \
	"stopped isa-debug-exit, status 151"

hvctl vm create nok --kernel /nonexistent
try hvctl vm start nok
is start_failure_is_reported "$rc $out $(field nok state)" \
	"1 hvctl: vm start: hvd: kernel /nonexistent: No such file or directory: Input/output error failed"

try hvctl console dx
is console_of_a_stopped_vm_is_refused "$rc $out" \
	"1 hvctl: console: hvd: vm dx is not running (stopped): No such process"

try hvctl vm destroy dx
is destroy_removes_the_definition "$rc $([ -e $D/dx.conf ] && echo left) $(hvctl vm list | grep -c '^dx ')" "0  0"

# A client's junk: each request refused with its reason, hvd unharmed.
try /usr/lib/hv/selftests/hvd_junk
is junk_requests_are_refused "$rc $(field echo state)" "0 running"
[ $rc = 0 ] || echo "$out" | sed 's/^/# /'

# SIGHUP: a definition written by hand appears, one removed goes, and a
# running VM whose file was removed stays.
hvctl vm create gone --kernel $K --cmdline E --mem 16M --serial null >/dev/null
cat >$D/byhand.conf <<EOD
name = byhand
kernel = $K
cmdline = E
memory = 16M
serial = null
EOD
rm $D/gone.conf
mv $D/echo.conf $W/echo.conf.kept
kill -HUP $hvd_pid
i=0
while ! hvctl vm list 2>/dev/null | grep -q '^byhand '; do
	i=$((i + 1))
	[ $i -gt 100 ] && break
	sleep 0.1
done
is sighup_reads_the_definitions_again \
	"$(field byhand state) $(field byhand file) [$(field gone state)] $(field echo state) $(kill -0 $hvd_pid && echo alive)" \
	"stopped $D/byhand.conf [] running alive"
mv $W/echo.conf.kept $D/echo.conf
hvctl vm destroy byhand >/dev/null

# Autostart, and a stop of hvd that leaves nothing behind.
hvctl vm create auto --kernel $K --cmdline E --mem 16M --autostart --serial null
stop_hvd
workers=$(for p in /proc/[0-9]*; do
	tr '\0' ' ' <$p/cmdline 2>/dev/null
	echo
done | grep -c '^hvd --worker')
is hvd_stop_leaves_nothing "$rc $workers [$(module_vms)] $([ -e $HVD_SOCKET ] && echo socket)" \
	"0 0 [] "

try hvctl vm stop auto
is hvctl_says_hvd_is_not_running "$rc $out" \
	"1 hvctl: vm stop: hvd is not running (start it with 'systemctl start hvd.socket', or run 'hvd' as root): No such file or directory"

if start_hvd; then
	is autostart_starts_at_hvd_start "$(field auto state) $(field echo state) [$(module_vms)]" \
		"running stopped [auto ]"
	try hvctl console auto
	is console_of_a_vm_without_one_is_refused "$rc $out" \
		"1 hvctl: console: hvd: vm auto has no console to attach to (serial = null): Inappropriate ioctl for device"
	stop_hvd
else
	not_ok autostart_starts_at_hvd_start "hvd did not start again"
fi
if grep -E 'BUG|WARNING|Oops' $W/hvd.log >/dev/null; then
	not_ok hvd_log_is_clean "$(cat $W/hvd.log)"
else
	ok hvd_log_is_clean
fi
echo "1..$n"
exit $fail
