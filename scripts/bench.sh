#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: kvmirq and KVM side by side in one test VM.  KVM is the guest
# kernel's own kvm-amd on qemu's emulated SVM, loaded beside kvmirq.
#
# 1. A boot with "-icount shift=0,sleep=off -smp 1": guest time counts
#    executed instructions, 1 ns each, so ns per call is instructions per
#    call, the same from boot to boot.  kvmirq-bench runs every row on both
#    devices, then measures memory per VM and per vcpu.
# 2. A boot with 2 vcpus on multi-threaded TCG (each vcpu its own host
#    thread; boot.sh's default single-threaded TCG would run them in
#    turn): wall-clock KVM_IRQ_LINE scaling over two threads on one VM and
#    on two VMs.
#
# Usage: scripts/bench.sh [-d] [kvmirq-bench options]
#   -d: also rewrite the tables of Documentation/benchmarks.rst
#   env KERNELS=6.12: the guest kernel (default 6.1); BENCH_BOOTS="icount":
#   only that boot ("icount scaling" by default)
# Works on a fresh Debian 12 machine as root (installs what it needs).
set -euo pipefail

cd "$(dirname "$0")/.."
top=$PWD
vm=$top/scripts/vm
doc=0
if [[ ${1:-} == -d ]]; then
	doc=1
	shift
fi

"$vm/deps.sh"
read -r -a series <<< "${KERNELS:-6.1}"
kver=$("$vm/kernels.sh" "${series[@]}" | head -n 1)
work=$top/build/bench-$kver
mkdir -p "$work"

"$vm/build-module.sh" "$kver" "$top/build/kernel-$kver"
make -s -C bench BUILD="$top/build"

run() {
	local name=$1 cmd=$2
	# WITH_KVM: the VM's /init loads kvm-amd after kvmirq (kvm-modules.sh).
	WITH_KVM=$kver "$vm/payload.sh" "$work/$name/payload" \
		"$top/build/kernel-$kver/kvmirq.ko" "$top/build/bench/kvmirq-bench" -- "$cmd"
	"$vm/boot.sh" "$kver" "$work/$name" "$work/$name/payload" |
		sed -u -e '/KVMIRQ-VM: dmesg-begin/,/KVMIRQ-VM: dmesg-end/d' \
		       -e '/^KVMIRQ-VM: /d' -e '/^boot.sh: /d' -e 's/\r$//'
}

out=$work/bench.txt
{
	echo "Taken on $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), guest Linux $kver."
	echo "Host: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), load average $(cut -d' ' -f1-3 /proc/loadavg), $(qemu-system-x86_64 --version | head -n 1)."
	echo
	if [[ " ${BENCH_BOOTS:-icount scaling} " == *" icount "* ]]; then
		echo "Boot 1: qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 1" \
		     "-icount shift=0,sleep=off"
		echo
		VM_SMP=1 VM_QEMU_ARGS="-icount shift=0,sleep=off" run icount "./kvmirq-bench $*"
	fi
	if [[ " ${BENCH_BOOTS:-icount scaling} " == *" scaling "* ]]; then
		echo
		echo "Boot 2: qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 (wall-clock)"
		echo
		VM_TCG_THREAD=multi run scaling "./kvmirq-bench -s -r 5 -n 20000"
	fi
} | tee "$out"

if (( doc )); then
	scripts/bench-doc.sh "$out" Documentation/benchmarks.rst
fi
