#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: everything CI runs, on a fresh Debian 12 machine, as root.
#
#  1. installs what is missing (scripts/vm/deps.sh);
#  2. host steps, reported as TAP: checkpatch --strict, kernel-doc on the
#     headers, a W=1 build per kernel, a DKMS add/build per kernel;
#  3. per kernel (Debian's 6.1 and 6.12): boots the test VM, loads the
#     module and the VM kernel's own KVM (kvm-amd), runs every selftest on
#     /dev/kvmirq and again on that in-VM /dev/kvm, unloads the module;
#  4. the debug kernel run (scripts/debug-check.sh: KASAN, lockdep, UBSAN,
#     kmemleak, KUnit, fault injection, fuzzer; DEBUG_CHECK=0 skips it);
#  5. where /dev/kvm works, runs the same selftests against real KVM on the
#     host, so every KVM-behaviour expectation is checked against KVM too;
#  6. ends with "N passed, N failed, N skipped" over all of it.
#
# Usage: scripts/check.sh   (env: KERNELS="6.1 6.12", VM_TIMEOUT=900,
#                            DEBUG_CHECK=1, FUZZ_TIME=120)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=$top/build
vm=$top/scripts/vm

"$vm/deps.sh"
mkdir -p "$build/logs"

read -r -a series <<< "${KERNELS:-6.1 6.12}"
mapfile -t kernels < <("$vm/kernels.sh" "${series[@]}")

# step NAME CMD...: runs CMD, logs it to $step_log, records one TAP result.
# shellcheck source=lib/steps.sh
. "$top/scripts/lib/steps.sh"
steps_begin "$build/logs/host-steps.tap" "$build/logs"

make -s -C selftests BUILD="$build"
make -s -C examples BUILD="$build"

step "checkpatch --strict" make -s checkpatch
step "kernel-doc on the headers" make -s kernel-doc
step "Documentation/*.rst parse cleanly" scripts/check-docs.sh

for kver in "${kernels[@]}"; do
	step "W=1 build against $kver" \
		"$vm/build-module.sh" "$kver" "$build/kernel-$kver"
done

for kver in "${kernels[@]}"; do
	step "dkms add/build against $kver" \
		"$top/scripts/dkms-check.sh" "$kver"
done

outputs=("$steps")
for kver in "${kernels[@]}"; do
	ko=$build/kernel-$kver/kvmirq.ko
	work=$build/vm-$kver
	[[ -f $ko ]] || continue
	# One boot, two references: the selftests on kvmirq, then the same
	# binaries on the VM kernel's own KVM (kvm-amd on TCG's emulated SVM).
	WITH_KVM=$kver "$vm/payload.sh" "$work/payload" "$ko" \
		"$build"/selftests/* selftests/run_tests.sh -- \
		'KVMIRQ_MODULE=/payload/kvmirq.ko ./run_tests.sh /payload' \
		'; echo "KVMIRQ-VM: kvm-selftests-begin"' \
		'; KVMIRQ_DEV=/dev/kvm ./run_tests.sh /payload' \
		'; echo "KVMIRQ-VM: kvm-selftests-end"'
	echo "=== selftests in the test VM, kernel $kver: kvmirq, then in-VM KVM ==="
	step "test VM boots, loads kvmirq and KVM, runs, unloads on $kver" \
		"$vm/boot.sh" "$kver" "$work" "$work/payload"
	# The results and what explains a failure; the whole log is on disk.
	grep -E '^(not )?ok |^# .*(Expected|FAIL|terminated)|KVMIRQ-VM: [a-z-]+ rc|^boot.sh:' \
		"$step_log" | sed 's/^/  /' || true
	# Each reference counted on its own line of the summary.
	tr -d '\r' < "$work/output.log" |
		sed '/^KVMIRQ-VM: kvm-selftests-begin$/,$d' > "$work/kvmirq.tap"
	tr -d '\r' < "$work/output.log" |
		sed -n '/^KVMIRQ-VM: kvm-selftests-begin$/,/^KVMIRQ-VM: kvm-selftests-end$/p' \
		> "$work/in-vm-kvm.tap"
	if ! grep -q '^KVMIRQ-VM: kvm-selftests-end$' "$work/in-vm-kvm.tap"; then
		echo "not ok 1 in-VM KVM selftests on $kver did not finish" >> "$work/in-vm-kvm.tap"
	fi
	outputs+=("$work/kvmirq.tap" "$work/in-vm-kvm.tap")
done

if [[ ${DEBUG_CHECK:-1} != 0 ]]; then
	echo "=== the debug kernel: sanitizers, kmemleak, KUnit, fault injection, fuzzer ==="
	step "debug kernel run (scripts/debug-check.sh)" \
		"$top/scripts/debug-check.sh" --tap "$build/debug/results.tap"
	grep -E '^(not )?ok |^# (debug kernel|fuzzer)|kvmirq_fuzz: [0-9]+ calls|kvmirq_fault: ' \
		"$step_log" | sed 's/^/  /' || true
	outputs+=("$build/debug/results.tap")
fi

if [[ -r /dev/kvm && -w /dev/kvm ]]; then
	echo "=== the same selftests against /dev/kvm on this host ==="
	KVMIRQ_DEV=/dev/kvm selftests/run_tests.sh "$build/selftests" \
		> "$build/logs/host-kvm.tap" 2>&1 || true
	grep -E '^(not )?ok ' "$build/logs/host-kvm.tap" || true
	outputs+=("$build/logs/host-kvm.tap")
else
	echo "=== /dev/kvm not usable here: no differential run against KVM ==="
fi

steps_end
echo "=== summary ==="
exec "$top/scripts/tap-summary.sh" "${outputs[@]}"
