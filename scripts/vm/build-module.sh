#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build kvmirq.ko with W=1 against the headers of kernel KVER, in OUTDIR (a
# private copy of the sources, so several kernels can be built side by side).
# Fails if the build fails or prints any warning.  Leaves OUTDIR/kvmirq.ko.
# Usage: scripts/vm/build-module.sh KVER OUTDIR
#   env KDIR: build against this kernel build tree instead of KVER's headers
set -euo pipefail

kver=${1:?usage: build-module.sh KVER OUTDIR}
out=${2:?usage: build-module.sh KVER OUTDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=${KDIR:-/usr/src/linux-headers-$kver}
[[ -f $kdir/Makefile ]] || kdir=/lib/modules/$kver/build

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cp -r "$top/Kbuild" "$top/kvmirq" "$top/uapi" "$out/"
log=$out/build.log
if ! make -C "$kdir" M="$out" W=1 modules > "$log" 2>&1; then
	cat "$log" >&2
	echo "build-module.sh: build against $kver failed" >&2
	exit 1
fi
if grep -E 'warning:|error:' "$log" >&2; then
	echo "build-module.sh: W=1 build against $kver has warnings" >&2
	exit 1
fi
echo "build-module.sh: $out/kvmirq.ko built for $kver, W=1 clean"
