#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the debug-kernel test VM (busybox sh), from /payload, after
# guest-init.sh loaded kvmirq.ko (its KUnit suites ran then).  Prints TAP:
# the selftests' own, and one single-result program per check below.
# scripts/vm/boot.sh judges the kernel log (BUG:, WARNING:, KASAN, UBSAN,
# lockdep, refcount, kmemleak reports) on the host afterwards.
#
# env: FUZZ_TIME (s, 120), FUZZ_SEED (random), FUZZ_THREADS (4),
#      FUZZ_ARGS (more kvmirq_fuzz options, e.g. "-t 1 -c 20000 -n 2 -v"),
#      FAULT_PERCENT (20): share of the suite's ioctls that get a fault
#      DEBUG_ONLY (empty): "kunit" stops after the KUnit results, "fault"
#      runs only KUnit and kvmirq_fault, "fuzz" only KUnit and the fuzzer
#      (quick runs while developing, or replaying a fuzzer seed)
set -u
cd /payload || exit 1
D=/sys/kernel/debug
export KVMIRQ_MODULE=/payload/kvmirq.ko

result() {	# result RC NAME: one TAP program with one result
	echo "TAP version 13"
	echo "1..1"
	if [ "$1" -eq 0 ]; then echo "ok 1 $2"; else echo "not ok 1 $2"; fi
}
up() { cut -d' ' -f1 /proc/uptime; }
note() { echo "# debug: $* (uptime $(up) s)"; }

# The fault-injection knobs, set here only (kvmirq_fault sets its own for
# each of its passes, and puts ignore-gfp-wait back to Y).  fail-nth picks
# which allocation of a thread fails; these say which may.
# fault_knobs Y: the kernel's default, GFP_KERNEL allocations never fail;
# fault_knobs N: they may, pages of any order too.  Both: quietly.
fault_knobs() {
	for f in failslab fail_page_alloc; do
		echo 0 > "$D/$f/verbose"
		echo "$1" > "$D/$f/ignore-gfp-wait"
	done
	[ "$1" = Y ] || echo 0 > "$D/fail_page_alloc/min-order"
}

# KUnit: the module's suites ran at insmod; debugfs keeps their KTAP.
# One result per suite.
kunit_check() {
	found=0
	for r in "$D"/kunit/*/results; do
		grep -q '^ok [0-9]* kvmirq\|^not ok [0-9]* kvmirq' "$r" 2>/dev/null || continue
		found=1
		suite=${r%/results}
		suite=${suite##*/}
		sed 's/^/# kunit: /' "$r"
		pass=$(sed -n 's/^# Totals: pass:\([0-9]*\).*/\1/p' "$r")
		! grep -q 'not ok\|^# Totals: .* fail:[1-9]' "$r"
		result $? "kunit $suite ($1): ${pass:-0} cases passed"
	done
	[ "$found" -eq 1 ]
	result $? "kunit: the module has KUnit suites and they ran ($1)"
}

# kmemleak reports an object only when two scans in a row find it
# unreferenced and unchanged, and only once it is 5 s old.
kmemleak_check() {
	sleep 5
	echo scan > "$D/kmemleak"
	echo scan > "$D/kmemleak"
	cat "$D/kmemleak" > /tmp/kmemleak
	n=$(grep -c '^unreferenced object' /tmp/kmemleak)
	sed 's/^/# kmemleak: /' /tmp/kmemleak | head -n 200
	echo clear > "$D/kmemleak"
	[ "$n" -eq 0 ]
	result $? "kmemleak: no suspected leak after $1 ($n reported)"
}

# The suite again, built with -Wl,--wrap=ioctl (selftests/fault/fault_wrap.c):
# a share of its ioctls run with /proc/thread-self/fail-nth set, so only
# allocations made inside those ioctls (kvmirq's call paths) fail.  The
# tests' verdicts are expected to fail and are not counted; the judges are
# the wrapper's errno check, kmemleak and the kernel log.
fault_suite() {
	: > /tmp/fault.log
	KVMIRQ_FAULT_LOG=/tmp/fault.log KVMIRQ_FAULT_PERCENT=${FAULT_PERCENT:-20} \
		KVMIRQ_FAULT_SEED=${FAULT_SEED:-1} \
		timeout 900 sh ./run_tests.sh /payload/fault-suite 2>&1 |
		sed 's/^/# fault-suite: /' | grep -E '^# fault-suite: (# )?(not ok|ok|# FAIL|# PASSED|# Totals)' | tail -n 40
	injected=$(grep -c '^fault ' /tmp/fault.log)
	# KVM ABI: FLIC GET_ALL_IRQS (KVM_GET_DEVICE_ATTR) answers ENOBUFS.
	get_attr=$(./kvmirq_ioctl_nr KVM_GET_DEVICE_ATTR) || get_attr=unknown
	ok_re=" result=\\(ok\\|ENOMEM\\|unchecked\\)\$\\|ioctl=$get_attr .* result=ENOBUFS\$"
	bad=$(grep '^fault ' /tmp/fault.log | grep -vc "$ok_re")
	echo "# fault-suite: $injected ioctls failed an allocation:" \
		"$(grep '^fault ' /tmp/fault.log | sed 's/.* result=//' | sort | uniq -c | tr '\n' ' ')"
	grep '^fault ' /tmp/fault.log | grep -v "$ok_re" | head -n 20 | sed 's/^/# /'
	grep '^fault ' /tmp/fault.log | head -n 5 | sed 's/^/# fault-suite: e.g. /'
	[ "$injected" -gt 0 ] && [ "$bad" -eq 0 ]
	result $? "fault injection: selftests with $injected injected allocation failures, each ENOMEM or absorbed"
}

note "kernel $(uname -r), $(nproc) cpus"
# Only the explicit scans below, at quiet points, judge leaks: the scan
# thread (every 600 s) can catch a running program's live VMAs (the
# fuzzer's mmaps and mprotect splits) as unreferenced.
echo scan=off > "$D/kmemleak"
fault_knobs Y

kunit_check "at insmod"
[ "${DEBUG_ONLY:-}" = kunit ] && exit 0
fuzz() {
	t=${FUZZ_TIME:-120}
	note "fuzzer for $t s"
	# shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
	timeout $((t + 120)) ./kvmirq_fuzz -d "$t" -t "${FUZZ_THREADS:-4}" \
		${FUZZ_SEED:+-s "$FUZZ_SEED"} ${FUZZ_ARGS:-}
	result $? "fuzzer: ran $t s, no crash or hang (kernel log judged on the host)"
}
if [ "${DEBUG_ONLY:-}" = fuzz ]; then
	fuzz
	kmemleak_check "the fuzzer"
	exit 0
fi
if [ "${DEBUG_ONLY:-}" = fault ]; then
	timeout 600 ./kvmirq_fault
	kmemleak_check "kvmirq_fault"
	exit 0
fi
note "selftests"
sh ./run_tests.sh /payload
kmemleak_check "the selftests"

if [ -x ./kvmirq_fault ]; then
	note "fault injection: every allocation of every creation path"
	timeout 600 ./kvmirq_fault
	if [ -d ./fault-suite ]; then
		note "fault injection: the selftests"
		fault_knobs N
		fault_suite
	fi
	fault_knobs Y
fi

[ -x ./kvmirq_fuzz ] && fuzz

kmemleak_check "fault injection and the fuzzer"
kunit_check "at the reload by unload_test"
note "done"
