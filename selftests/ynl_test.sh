#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Drive hv with the kernel's own ynl CLI (tools/net/ynl/cli.py of Linux
# 6.12) and kmod/hv.yaml, and check exact values in what it prints: the
# spec describes the family the module really speaks, and every reply
# comes back with the command the CLI expects. The CLI prints one JSON
# document per operation (--output-json). TAP, one test per object.
#
# Only in the qemu-svm machine (the main test set): python3 runs there at
# a bearable speed, and one machine is enough for a check of the spec;
# hence the backend must be svm.
Y=/usr/lib/hv/ynl
n=0
fail=0

ynl() {
	python3 "$Y/cli.py" --spec "$Y/hv.yaml" --no-schema --output-json "$@"
}

# ok NAME OUTPUT PATTERN...: every fixed string PATTERN is in OUTPUT.
check() {
	name=$1
	out=$2
	shift 2
	n=$((n + 1))
	for p in "$@"; do
		case $out in
		*"$p"*) ;;
		*)
			echo "# $name: no '$p' in: $out"
			echo "not ok $n $name"
			fail=1
			return
			;;
		esac
	done
	echo "ok $n $name"
}

echo "TAP version 13"
echo "1..5"

out=$(ynl --do get-info 2>&1)
check get_info "$out" '"backend": "svm"' \
	"\"version\": \"$(cat /sys/module/hv/version)\"" '"max-vcpus": '

# The CLI's socket owns the VM, which goes when the CLI exits.
out=$(ynl --do vm-new --json '{"name": "ynl-a", "max-vcpus": 2}' 2>&1)
check vm_new "$out" '"name": "ynl-a"' '"state": "created"' \
	'"nr-vcpus": 0' '"max-vcpus": 2' '"unknown-msr": "gp"'
a=$(echo "$out" | sed -n 's/.*"id": \([0-9]*\).*/\1/p')

out=$(ynl --dump vm-get 2>&1)
n=$((n + 1))
case $out in
\[*) case $out in
	*ynl-a*) echo "# vm_get_dump: ynl-a outlived its owner: $out"
		 echo "not ok $n vm_get_dump"; fail=1 ;;
	*) echo "ok $n vm_get_dump" ;;
	esac ;;
*) echo "# vm_get_dump: $out"; echo "not ok $n vm_get_dump"; fail=1 ;;
esac

# Ids are allocated cyclically: the next VM is $a + 1. One process, so
# that the VM lives through the requests about it.
b=$((a + 1))
out=$(ynl --multi vm-new '{"name": "ynl-b"}' \
	--multi vcpu-new "{\"vm-id\": $b, \"id\": 0}" \
	--multi vm-get "{\"id\": $b}" \
	--multi vm-del "{\"id\": $b}" 2>&1)
check vcpu_new "$out" "\"id\": $b, \"name\": \"ynl-b\"" \
	"{\"vm-id\": $b, \"id\": 0, \"state\": \"stopped\", \"exits\": 0" \
	'"transport": "netlink", "sleeps": 0, "owner-wakeups": 0}' \
	'"ring-poll-ns": 50000' '"nr-vcpus": 1'

out=$(ynl --multi vm-new '{"name": "ynl-c"}' \
	--multi mem-get "{\"vm-id\": $((b + 1)), \"slot\": 0}" 2>&1)
check mem_get "$out" 'No such file or directory' \
	"'msg': 'no slot with this id in the VM'"

exit $fail
