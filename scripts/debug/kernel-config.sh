#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generate the .config of kvmirq's debug kernel (x86_64, qemu TCG test VM):
# tinyconfig, plus what the test VM and the module need, plus the sanitizers
# and fault injection.  Fails if olddefconfig dropped anything asked for.
# Usage: scripts/debug/kernel-config.sh KSRC KOUT
#   KSRC: extracted linux-source-6.1 tree (left untouched: O= build)
#   KOUT: build output directory; KOUT/.config is written
set -euo pipefail

ksrc=${1:?usage: kernel-config.sh KSRC KOUT}
kout=${2:?usage: kernel-config.sh KSRC KOUT}
mkdir -p "$kout"
make -s -C "$ksrc" O="$kout" ARCH=x86_64 tinyconfig >/dev/null

on=() off=() vals=()
want() { on+=("$@"); }
drop() { off+=("$@"); }
setval() { vals+=(--set-val "$1" "$2"); }

# tinyconfig optimises for size; the guest runs under TCG, so prefer speed,
# and KASAN needs SLUB, ORC gives reliable stack traces in reports.
drop CC_OPTIMIZE_FOR_SIZE KERNEL_XZ SLOB UNWINDER_GUESS
want CC_OPTIMIZE_FOR_PERFORMANCE KERNEL_GZIP SLUB UNWINDER_ORC

# The test VM: 64-bit SMP; ACPI (qemu -smp 2 shows one CPU without it, and
# poweroff needs it), PCI (ACPI cannot load qemu's DSDT without it).
want 64BIT SMP ACPI PCI
drop ACPI_AC ACPI_BATTERY ACPI_BUTTON ACPI_FAN ACPI_THERMAL ACPI_PROCESSOR \
	ACPI_CONTAINER ACPI_TABLE_UPGRADE CPU_FREQ X86_INTEL_PSTATE SCHED_MC_PRIO \
	VGA_ARB SERIAL_8250_PCI SERIAL_8250_EXAR SERIAL_8250_LPSS SERIAL_8250_MID \
	SERIAL_8250_PERICOM PERF_EVENTS_INTEL_UNCORE PERF_EVENTS_INTEL_RAPL \
	PERF_EVENTS_INTEL_CSTATE
want PRINTK PRINTK_TIME BUG EARLY_PRINTK KALLSYMS
setval LOG_BUF_SHIFT 18		# 256 KiB: the guest's dmesg is checked
want TTY SERIAL_8250 SERIAL_8250_CONSOLE
want BLK_DEV_INITRD RD_GZIP BINFMT_ELF BINFMT_SCRIPT
want PROC_FS PROC_SYSCTL SYSFS DEVTMPFS DEVTMPFS_MOUNT TMPFS SHMEM
# Syscalls tinyconfig (EXPERT) leaves out but the selftests and busybox use.
want MULTIUSER FUTEX EPOLL EVENTFD SIGNALFD TIMERFD POSIX_TIMERS \
	FILE_LOCKING ADVISE_SYSCALLS MEMBARRIER
# tracefs comes with TRACING; event tracing is the cheapest way to get it.
want FTRACE ENABLE_DEFAULT_TRACERS

# GFP_KERNEL_ACCOUNT charges go to a memory cgroup only with MEMCG.
want CGROUPS MEMCG

# The module under test: loadable, unloadable, unsigned.
want MODULES MODULE_UNLOAD
drop MODVERSIONS MODULE_SIG TRIM_UNUSED_KSYMS

# The detectors.
want DEBUG_KERNEL DEBUG_FS DEBUG_FS_ALLOW_ALL
want KASAN KASAN_GENERIC KASAN_INLINE KASAN_VMALLOC
want PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_LIST
want UBSAN UBSAN_BOUNDS UBSAN_SHIFT UBSAN_BOOL UBSAN_ENUM UBSAN_SANITIZE_ALL
drop UBSAN_TRAP
want DEBUG_KMEMLEAK DEBUG_VM HARDENED_USERCOPY FORTIFY_SOURCE
# The default, INIT_STACK_ALL_ZERO, would hide a stack info leak from the
# info-leak check: uninitialised stack bytes must show up as non-zero.
drop INIT_STACK_ALL_ZERO
want INIT_STACK_ALL_PATTERN
drop DEBUG_KMEMLEAK_DEFAULT_OFF
want KUNIT KUNIT_DEBUGFS
drop KUNIT_ALL_TESTS
# FAULT_INJECTION_STACKTRACE_FILTER (require-start/end) depends on !X86_64:
# the fault-injection run uses the per-thread fail-nth file instead.
want FAULT_INJECTION FAILSLAB FAIL_PAGE_ALLOC FAULT_INJECTION_DEBUG_FS

args=()
for o in "${off[@]}"; do args+=(-d "$o"); done
for o in "${on[@]}"; do args+=(-e "$o"); done
args+=("${vals[@]}")
"$ksrc/scripts/config" --file "$kout/.config" "${args[@]}"
make -s -C "$ksrc" O="$kout" ARCH=x86_64 olddefconfig >/dev/null

missing=()
for o in "${on[@]}"; do
	grep -q "^CONFIG_$o=y$" "$kout/.config" || missing+=("$o")
done
for o in TRACING HPET_TIMER; do
	grep -q "^CONFIG_$o=y$" "$kout/.config" || missing+=("$o")
done
if (( ${#missing[@]} )); then
	echo "kernel-config.sh: olddefconfig dropped: ${missing[*]}" >&2
	exit 1
fi
echo "kernel-config.sh: $kout/.config OK"
