#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: runs kvmirq-bench in the test VM (kvmirq loaded), and on this
# host against /dev/kvm when it works, so the two tables can be compared.
# Works on a fresh Debian 12 machine as root (installs what it needs).
#
# Usage: scripts/bench.sh [kvmirq-bench options]   (env: KERNELS=6.12)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=$top/build
vm=$top/scripts/vm

"$vm/deps.sh"
read -r -a series <<< "${KERNELS:-6.1}"
kver=$("$vm/kernels.sh" "${series[@]}" | head -n 1)

"$vm/build-module.sh" "$kver" "$build/kernel-$kver"
make -s -C bench BUILD="$build"
"$vm/payload.sh" "$build/bench-$kver/payload" "$build/kernel-$kver/kvmirq.ko" \
	"$build/bench/kvmirq-bench" -- "./kvmirq-bench -m $*"

echo "=== kvmirq in the test VM: Linux $kver, qemu TCG -cpu max, $(nproc) host CPUs ==="
"$vm/boot.sh" "$kver" "$build/bench-$kver" "$build/bench-$kver/payload" |
	sed -u -e '/KVMIRQ-VM: dmesg-begin/,/KVMIRQ-VM: dmesg-end/d' \
	       -e '/^KVMIRQ-VM: /d'

if [[ -r /dev/kvm && -w /dev/kvm ]]; then
	echo "=== KVM on this host: Linux $(uname -r) ==="
	KVMIRQ_DEV=/dev/kvm "$build/bench/kvmirq-bench" "$@"
fi
