#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: the main job on a machine without KVM or module loading: boots
# the test VM (qemu, TCG) with kvmirq loaded and runs the example client,
# which creates and drives VMs through /dev/kvmirq and says what it sees;
# then boots it again and runs Debian's own QEMU on kvmirq as its /dev/kvm:
# a paused VM, its PIC and LAPIC before and after an injected interrupt, a
# migration to a file and the restore, and what QEMU says on "cont".
# Works on a fresh Debian 12 machine as root (installs what it needs).
#
# Usage: scripts/demo.sh   (env: KERNELS=6.12 to use Debian's 6.12 kernel)
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/vm/run-client.sh demo examples examples/kvmirq-demo ./kvmirq-demo

vm=scripts/vm
read -r -a series <<< "${KERNELS:-6.1}"
kver=$("$vm/kernels.sh" "${series[@]}" | head -n 1)
work=build/qemu-demo-$kver
"$vm/payload.sh" "$work/payload" "build/kernel-$kver/kvmirq.ko" \
	"$vm/qemu-matrix.sh" -- 'sh ./qemu-matrix.sh /payload/qemu demo'
"$vm/qemu-payload.sh" "$work/payload/qemu" > /dev/null
echo
echo "=== Linux $kver under qemu again: Debian's QEMU inside it, on kvmirq ==="
"$vm/boot.sh" "$kver" "$work" "$work/payload" |
	sed -u -e '/KVMIRQ-VM: dmesg-begin/,/KVMIRQ-VM: dmesg-end/d' \
	       -e '/^KVMIRQ-VM: /d'
