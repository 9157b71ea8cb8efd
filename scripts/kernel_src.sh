#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Extract the few files hv takes from Debian's linux-source package at build
# time, never committing them: the kselftest harness headers, checkpatch and
# its data files. Usage: kernel_src.sh OUTDIR. Idempotent: does nothing when
# OUTDIR holds this tarball's files already.
#
# The tarball is the one of the series hv builds against (scripts/kver.sh),
# not the newest installed: make deps also installs linux-source-6.12 for
# the YNL tooling (scripts/ynl_src.sh), whose harness headers and checkpatch
# would change what the selftests compile and what lint reports.
set -eu
out=$1
kver=$(scripts/kver.sh)
series=$(echo "$kver" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
tarball=/usr/src/linux-source-$series.tar.xz
if [ ! -f "$tarball" ]; then
	echo "kernel_src.sh: no $tarball: apt-get install linux-source-$series (or run make deps)" >&2
	exit 1
fi
stamp=$out/.extracted
if [ -f "$stamp" ] && [ "$stamp" -nt "$tarball" ] &&
   [ "$(cat "$stamp")" = "$tarball" ]; then
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
echo "$tarball" >"$stamp"
