#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages hv needs to build, lint and test itself.
# Idempotent and silent when everything is there; needs root otherwise.
set -eu

# linux-source-6.12 and python3-jsonschema: the kernel's YNL tooling and
# schemas, which check kmod/hv.yaml (make spec) and drive the family in the
# SVM test machine (selftests/ynl_test.sh); 6.1's sources have neither.
# systemd: systemd-analyze checks hvd's units (make units).
pkgs="make gcc libc6-dev binutils pkg-config python3 python3-yaml
	python3-jsonschema
	linux-image-amd64 linux-headers-amd64 linux-source linux-source-6.12
	libnl-3-dev libnl-genl-3-dev libcmocka-dev libsystemd-dev libjson-c-dev
	libseccomp-dev liburing-dev
	systemd
	sparse codespell dkms kmod clang lld llvm
	qemu-system-x86 bochs bochsbios vgabios bochs-term
	busybox-static cpio isolinux syslinux-common xorriso"

missing=
for p in $pkgs; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run 'make deps' as root (or: apt-get install$missing)" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
