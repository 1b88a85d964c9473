#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot kernel KVER in a throwaway qemu/TCG VM whose busybox initramfs loads
# PAYLOAD_DIR/kvmirq.ko (if present) and runs PAYLOAD_DIR/run.sh.
# Test output (guest ttyS1) goes to WORKDIR/output.log and is streamed to
# stdout; the kernel console (ttyS0) goes to WORKDIR/console.log.
# Usage: scripts/vm/boot.sh KVER WORKDIR PAYLOAD_DIR   (env: VM_TIMEOUT=900)
# env KERNEL_IMAGE: boot this image instead of /boot/vmlinuz-KVER (KVER then
# only names the run); VM_MEM: guest MiB (1024); KERNEL_APPEND: more
# kernel command line; VM_TCG_THREAD: qemu's TCG thread mode, "single"
# (the default) or "multi".  Multi-threaded TCG runs the two vcpus at once
# and races with the guest kernel's own text patching (static keys,
# text_poke): 6.12 guests oopsed with "Oops: int3" at boot and when KVM
# loaded, a 6.1 guest hung.  Single-threaded TCG runs them in turn.
# VM_SMP: guest CPUs (2); VM_QEMU_ARGS: more qemu options (word-split),
# e.g. "-icount shift=0,sleep=off" (scripts/bench.sh).
set -euo pipefail

die() { echo "boot.sh: $*" >&2; exit 1; }
(( $# == 3 )) || die "usage: boot.sh KVER WORKDIR PAYLOAD_DIR"
kver=$1 work=$2 payload=$3
kernel=${KERNEL_IMAGE:-/boot/vmlinuz-$kver}
here=$(cd "$(dirname "$0")" && pwd)
[[ -r $kernel ]] || die "cannot read $kernel (need root?)"
[[ -d $payload ]] || die "payload dir '$payload' not found"
if readelf -l /bin/busybox | grep -q INTERP; then
	die "/bin/busybox is dynamically linked; install busybox-static"
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)

# Build the initramfs: busybox, /init and a copy of the payload.
stage=$work/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,payload}
cp /bin/busybox "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 755 "$here/guest-init.sh" "$stage/init"
cp -a "$payload/." "$stage/payload/"
mknod -m 600 "$stage/dev/console" c 5 1
(cd "$stage" && find . -print0 | cpio -o -H newc -0 -R 0:0 --quiet) |
	gzip -1 > "$work/initramfs.cpio.gz"

console=$work/console.log output=$work/output.log
: > "$console"
: > "$output"
SECONDS=0
# shellcheck disable=SC2086 # VM_QEMU_ARGS is a list of options
timeout "${VM_TIMEOUT:-900}" qemu-system-x86_64 \
	-accel "tcg,thread=${VM_TCG_THREAD:-single}" -cpu max -smp "${VM_SMP:-2}" \
	-m "${VM_MEM:-1024}" ${VM_QEMU_ARGS:-} \
	-nodefaults -display none -no-reboot \
	-kernel "$kernel" -initrd "$work/initramfs.cpio.gz" \
	-append "console=ttyS0 loglevel=7 panic=-1 printk.devkmsg=on ${KERNEL_APPEND:-}" \
	-serial "file:$console" -serial "file:$output" &
qpid=$!
trap 'kill "$qpid" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
tail -n +1 -s 0.2 -F --pid="$qpid" "$output" 2>/dev/null | sed -u 's/\r//g' &
tailpid=$!
qrc=0
wait "$qpid" || qrc=$?
wait "$tailpid" || true
echo "boot.sh: $kver done in $SECONDS s"

(( qrc != 124 )) || die "$kver: timeout fired after ${VM_TIMEOUT:-900} s"
(( qrc == 0 )) || die "$kver: qemu exited with rc=$qrc"

out=$(tr -d '\r' < "$output")
bad='BUG:|WARNING:|Oops|general protection fault|Kernel panic|KASAN|UBSAN|Call Trace'
bad+='|refcount_t:|possible circular locking|suspected memory leak|list_add corruption|list_del corruption'
bad+='|kernel BUG at|usercopy:|detected buffer overflow'
hits=$( { tr -d '\r' < "$console" | grep -E "$bad" | sed 's/^/console: /'
	sed -n '/^KVMIRQ-VM: dmesg-begin$/,/^KVMIRQ-VM: dmesg-end$/p' <<< "$out" |
		grep -E "$bad" | sed 's/^/dmesg: /'; } || true)
if [[ -n $hits ]]; then
	head -n 50 <<< "$hits" >&2
	die "$kver: kernel log has $(wc -l <<< "$hits") bad line(s), see above and $console"
fi
grep -q '^KVMIRQ-VM: done$' <<< "$out" || die "$kver: 'KVMIRQ-VM: done' missing from $output"
for step in insmod kvm-insmod rmmod; do
	rc=$(sed -n "s/^KVMIRQ-VM: $step rc=//p" <<< "$out")
	[[ ${rc:-0} == 0 ]] || die "$kver: $step failed with rc=$rc"
done
