#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Replay the guest programs with which guest_fuzz found bugs, each by the
# seed and iteration it printed, on every machine: a fixed bug stays fixed
# whatever seeds the fuzzer draws. guest_fuzz judges each run as it does
# its own (no entry failure, no host warning, every record refused or
# used). TAP, one test per finding.
#
#   0x1ad8290785829a81 270  a TSS's EFLAGS with reserved bits set
#                           (entry failure 0x80000021)
#   0x378deef93ead187e 2    a task switch into virtual-8086 mode whose
#                           LDT faults: "VMCS v8086 guest bad ES.BASE"
dir=$(dirname "$0")
n=0
fail=0
set -- 0x1ad8290785829a81 270 0x378deef93ead187e 2
echo "1..$(($# / 2))"
while [ $# -ge 2 ]; do
	n=$((n + 1))
	if hvfuzz_seed=$1 hvfuzz_iter=$2 "$dir/guest_fuzz" >/dev/null; then
		echo "ok $n seed $1 iteration $2"
	else
		echo "not ok $n seed $1 iteration $2"
		fail=1
	fi
	shift 2
done
exit $fail
