#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: the main job on a machine without KVM or module loading: boots
# the test VM (qemu, TCG) with kvmirq loaded and runs the example client,
# which creates and drives VMs through /dev/kvmirq and says what it sees.
# Works on a fresh Debian 12 machine as root (installs what it needs).
#
# Usage: scripts/demo.sh   (env: KERNELS=6.12 to use Debian's 6.12 kernel)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=$top/build
vm=$top/scripts/vm

"$vm/deps.sh"
read -r -a series <<< "${KERNELS:-6.1}"
kver=$("$vm/kernels.sh" "${series[@]}" | head -n 1)

"$vm/build-module.sh" "$kver" "$build/kernel-$kver"
make -s -C examples BUILD="$build"
"$vm/payload.sh" "$build/demo-$kver/payload" "$build/kernel-$kver/kvmirq.ko" \
	"$build/examples/kvmirq-demo" -- './kvmirq-demo'

echo "Booting Linux $kver under qemu (TCG); kvmirq.ko is loaded at boot."
echo
# Show what the client prints, not the kernel log the harness also collects.
"$vm/boot.sh" "$kver" "$build/demo-$kver" "$build/demo-$kver/payload" |
	sed -u -e '/KVMIRQ-VM: dmesg-begin/,/KVMIRQ-VM: dmesg-end/d' \
	       -e '/^KVMIRQ-VM: done/d'
