#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel release hv is built for and tested on: $KVER if set; else
# the running kernel if its headers are installed (a real host); else the
# release Debian's linux-image-amd64 metapackage points at (a development
# machine whose own kernel is something else). Never hard-coded.
if [ -n "$KVER" ]; then
	echo "$KVER"
	exit 0
fi
run=$(uname -r)
if [ -e "/lib/modules/$run/build/Makefile" ]; then
	echo "$run"
	exit 0
fi
dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null |
	sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
if [ -n "$dep" ]; then
	echo "$dep"
	exit 0
fi
echo "kver.sh: no kernel found: install linux-image-amd64 and linux-headers-amd64, or set KVER" >&2
exit 1
