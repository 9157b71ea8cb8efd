#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print hv's version: the VERSION file, plus "-<commits>-g<hash>[-dirty]"
# when building from a git checkout, in the form of git describe. A DKMS
# source tree has no .git; make dkms-install writes the full version into
# its VERSION file instead.
cd "$(dirname "$0")/.." || exit 1
base=$(cat VERSION)
if [ -d .git ] && command -v git >/dev/null 2>&1 &&
	hash=$(git rev-parse --short=12 HEAD 2>/dev/null); then
	n=$(git rev-list --count HEAD)
	dirty=
	git diff --quiet HEAD -- 2>/dev/null || dirty=-dirty
	echo "$base-$n-g$hash$dirty"
else
	echo "$base"
fi
