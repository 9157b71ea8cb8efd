#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Extract the few files hv takes from Debian's linux-source package at build
# time, never committing them: the kselftest harness headers, checkpatch and
# its data files. Usage: kernel-src.sh OUTDIR. Idempotent: does nothing when
# OUTDIR is newer than the tarball.
set -eu
out=$1
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "kernel-src.sh: no /usr/src/linux-source-*.tar.xz: apt-get install linux-source-6.1 (or run make deps)" >&2
	exit 1
fi
stamp=$out/.extracted
if [ -f "$stamp" ] && [ "$stamp" -nt "$tarball" ]; then
	exit 0
fi
top=$(basename "$tarball" .tar.xz)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$tarball" \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/scripts/checkpatch.pl" \
	"$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch"
mkdir -p "$out/include" "$out/scripts"
cp "$tmp/$top/tools/testing/selftests/kselftest.h" \
	"$tmp/$top/tools/testing/selftests/kselftest_harness.h" "$out/include/"
cp "$tmp/$top/scripts/checkpatch.pl" "$tmp/$top/scripts/spelling.txt" \
	"$tmp/$top/scripts/const_structs.checkpatch" "$out/scripts/"
touch "$stamp"
