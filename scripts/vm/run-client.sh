#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs one userspace program of the project in the test VM with kvmirq
# loaded, and shows what it prints (not the kernel log boot.sh collects).
# Installs what is missing, picks the kernel (KERNELS, default 6.1), builds
# the module and the program (make -C DIR), stages the payload, boots.
# Usage: scripts/vm/run-client.sh NAME DIR PROGRAM COMMAND
#   NAME: work directory name under build/; DIR: where the program's
#   Makefile is; PROGRAM: its binary under build/; COMMAND: run in the VM.
set -euo pipefail

name=${1:?usage: run-client.sh NAME DIR PROGRAM COMMAND}
dir=${2:?usage: run-client.sh NAME DIR PROGRAM COMMAND}
prog=${3:?usage: run-client.sh NAME DIR PROGRAM COMMAND}
cmd=${4:?usage: run-client.sh NAME DIR PROGRAM COMMAND}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build
vm=$top/scripts/vm

"$vm/deps.sh"
read -r -a series <<< "${KERNELS:-6.1}"
kver=$("$vm/kernels.sh" "${series[@]}" | head -n 1)

"$vm/build-module.sh" "$kver" "$build/kernel-$kver"
make -s -C "$top/$dir" BUILD="$build"
"$vm/payload.sh" "$build/$name-$kver/payload" "$build/kernel-$kver/kvmirq.ko" \
	"$build/$prog" -- "$cmd"

echo "=== Linux $kver under qemu (TCG -cpu max, $(nproc) host CPUs), kvmirq.ko loaded ==="
"$vm/boot.sh" "$kver" "$build/$name-$kver" "$build/$name-$kver/payload" |
	sed -u -e '/KVMIRQ-VM: dmesg-begin/,/KVMIRQ-VM: dmesg-end/d' \
	       -e '/^KVMIRQ-VM: /d'
