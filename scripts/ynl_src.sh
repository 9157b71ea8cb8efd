#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Extract the kernel's YNL tooling from Debian's linux-source-6.12 at build
# time, never committing it: the ynl CLI and C generator (tools/net/ynl)
# and the netlink spec schemas (Documentation/netlink). 6.1, the series hv
# builds against, has neither; bookworm-security ships 6.12's sources.
# Usage: ynl_src.sh OUTDIR. Idempotent: does nothing when OUTDIR is newer
# than the tarball.
#
# OUTDIR keeps the kernel tree's layout, which the tools rely on: the
# generator validates a spec against ../<protocol>.yaml of the spec's
# directory, so specs go to OUTDIR/Documentation/netlink/specs/, and it
# names the spec relative to the tree root, found by its MAINTAINERS file
# (it loops forever without one).
set -eu
out=$(realpath -m "$1")
series=6.12
tarball=/usr/src/linux-source-$series.tar.xz
if [ ! -f "$tarball" ]; then
	echo "ynl_src.sh: no $tarball: apt-get install linux-source-$series (or run make deps)" >&2
	exit 1
fi
stamp=$out/.extracted
if [ -f "$stamp" ] && [ "$stamp" -nt "$tarball" ]; then
	exit 0
fi
top=linux-source-$series
files="tools/net/ynl/cli.py tools/net/ynl/ynl-gen-c.py
	tools/net/ynl/lib/__init__.py tools/net/ynl/lib/nlspec.py
	tools/net/ynl/lib/ynl.py
	Documentation/netlink/genetlink.yaml
	Documentation/netlink/genetlink-c.yaml
	Documentation/netlink/genetlink-legacy.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046
tar -C "$tmp" -xJf "$tarball" $(for f in $files; do echo "$top/$f"; done)
rm -rf "$out"
mkdir -p "$out/Documentation/netlink/specs"
(cd "$tmp/$top" && cp --parents $files "$out/")
: >"$out/MAINTAINERS"
touch "$stamp"
