#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-check.sh: kvmirq on a sanitizer kernel (KASAN, lockdep, UBSAN,
# kmemleak, KUnit, fault injection), in the qemu test VM:
#
#  1. builds (or finds cached) the debug kernel: scripts/debug/build-kernel.sh
#  2. builds kvmirq.ko against it (W=1 clean), the selftests, the fuzzer and
#     the fault-injection programs;
#  3. boots it with scripts/vm/boot.sh; inside, scripts/debug/guest-run.sh
#     checks the KUnit results, runs the selftests, a kmemleak scan, the
#     fault-injection runs, the fuzzer and kmemleak again;
#  4. fails on any sanitizer, lockdep, refcount or kmemleak report, BUG: or
#     WARNING: in the kernel log (boot.sh), or any failed result.
#
# Writes TAP to build/debug/results.tap (or --tap FILE) and ends with
# "N passed, N failed, N skipped".  See Documentation/reliability.rst.
# Usage: scripts/debug-check.sh [--tap FILE]
#   env: FUZZ_TIME=120 (s), FUZZ_SEED (random), FUZZ_THREADS=4, FUZZ_ARGS,
#        FAULT_PERCENT=20, VM_MEM=1024, VM_TIMEOUT (FUZZ_TIME + 2400),
#        DEBUG_ONLY=kunit|fault|fuzz (quick partial runs; CI runs everything)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=$top/build
work=$build/debug
tap=$work/results.tap
if [[ ${1:-} == --tap ]]; then
	tap=${2:?--tap needs a file}
	shift 2
fi
(( $# == 0 )) || { echo "usage: debug-check.sh [--tap FILE]" >&2; exit 2; }

mkdir -p "$work" "$(dirname "$tap")"
rm -f "$work/vm/output.log"	# results of an earlier run must not count
: > "$tap"
# shellcheck source=lib/steps.sh
. "$top/scripts/lib/steps.sh"
steps_begin "$work/host-steps.tap" "$work" 60

# The exit status is tap-summary's: non-zero if any result failed, in the
# host steps or inside the VM.
# shellcheck disable=SC2317 # called by the EXIT trap
finish() {
	local rc=$?

	steps_end
	cat "$steps" >> "$tap"
	[[ -f $work/vm/output.log ]] && tr -d '\r' < "$work/vm/output.log" >> "$tap"
	echo "=== debug-check summary ==="
	"$top/scripts/tap-summary.sh" "$tap" || rc=1
	exit "$rc"
}
trap finish EXIT

"$top/scripts/vm/deps.sh"

SECONDS=0
step "debug kernel built or found in the cache" \
	bash -c "'$top/scripts/debug/build-kernel.sh' > '$work/kernel-dir'"
kout=$(tail -n 1 "$work/kernel-dir" 2>/dev/null || true)
echo "# debug kernel: ${kout:-none} ($SECONDS s; first build took" \
	"$(cat "$kout/.kvmirq-build-seconds" 2>/dev/null || echo '?') s)" | tee -a "$steps"
[[ -f $kout/arch/x86/boot/bzImage ]] || exit 1

# -g keeps module frames decodable: scripts/faddr2line build/debug/module/kvmirq.ko SYM+OFF/LEN
step "W=1 build against the debug kernel" \
	env KDIR="$kout" KCFLAGS=-g "$top/scripts/vm/build-module.sh" debug "$work/module"
step "selftests, fuzzer and fault-injection programs build" \
	make -s -C selftests BUILD="$build" all debug
[[ -f $work/module/kvmirq.ko ]] || exit 1

seed=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
fuzz_time=${FUZZ_TIME:-120}
echo "# fuzzer: seed $seed, $fuzz_time s; replay: make debug-check FUZZ_SEED=$seed" \
	"(Documentation/reliability.rst)" | tee -a "$steps"
"$top/scripts/vm/payload.sh" "$work/payload" "$work/module/kvmirq.ko" \
	"$build"/selftests/*_test selftests/run_tests.sh \
	"$build"/selftests-debug/kvmirq_fuzz "$build"/selftests-debug/kvmirq_fault \
	"$build"/selftests-debug/kvmirq_ioctl_nr \
	scripts/debug/guest-run.sh -- \
	"FUZZ_TIME=$fuzz_time FUZZ_SEED=$seed FUZZ_THREADS=${FUZZ_THREADS:-4}" \
	"FUZZ_ARGS='${FUZZ_ARGS:-}'" \
	"FAULT_PERCENT=${FAULT_PERCENT:-20} FAULT_SEED=$seed DEBUG_ONLY=${DEBUG_ONLY:-}" \
	"sh ./guest-run.sh"
cp -r "$build/selftests-debug/fault-suite" "$work/payload/"

echo "=== the debug kernel's test VM ==="
step "debug VM: boots, runs, unloads; kernel log clean (KASAN, UBSAN, lockdep, kmemleak)" \
	env KERNEL_IMAGE="$kout/arch/x86/boot/bzImage" KERNEL_APPEND="kasan_multi_shot" \
	VM_MEM="${VM_MEM:-1024}" VM_TIMEOUT="${VM_TIMEOUT:-$((fuzz_time + 2400))}" \
	"$top/scripts/vm/boot.sh" "debug-$(basename "$kout")" "$work/vm" "$work/payload"
grep -aE '^(not )?ok |kvmirq_fuzz: |^# (debug|fault-suite):|boot.sh:' \
	"$step_log" | sed 's/^/  /' || true
if (( failed )) || grep -aq '^not ok \|^kvmirq_fuzz: FAIL' "$step_log"; then
	echo "# failed; the fuzzer's seed was $seed: make debug-check FUZZ_SEED=$seed" |
		tee -a "$steps"
fi
exit "$failed"
