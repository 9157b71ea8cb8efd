#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Register a throwaway copy of hv with DKMS, build it against the installed
# headers, check the result, and remove it again, so that packaging cannot
# rot. Leaves nothing behind. Usage: dkms_check.sh KVER FILE...
set -eu
kver=$1
shift
if [ "$(id -u)" != 0 ]; then
	echo "dkms-check: needs root (dkms writes /usr/src and /var/lib/dkms)" >&2
	exit 1
fi
ver="$(scripts/version.sh)-dkmscheck"
src=/usr/src/hv-$ver
log=$(mktemp)
cleanup() {
	dkms remove "hv/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src" "$log"
}
trap cleanup EXIT
cleanup

mkdir -p "$src"
cp --parents "$@" "$src/"
echo "$ver" >"$src/VERSION"
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$ver\"/" "$src/dkms.conf"
if ! { dkms add "hv/$ver" && dkms build "hv/$ver" -k "$kver"; } >"$log" 2>&1; then
	cat "$log"
	echo "dkms-check: dkms build of hv/$ver for $kver failed" >&2
	exit 1
fi
ko=$(find "/var/lib/dkms/hv/$ver/$kver" -name hv.ko | head -n 1)
got=$(modinfo -F version "$ko" 2>/dev/null || true)
if [ "$got" != "$ver" ]; then
	echo "dkms-check: built module reports version '$got', not '$ver'" >&2
	exit 1
fi
echo "dkms: hv/$ver builds for $kver"
