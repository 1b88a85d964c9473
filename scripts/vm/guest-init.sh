#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the kvmirq test VM; boot.sh copies it into the initramfs.
# Runs under busybox sh (there is no bash in the guest). Test channel: ttyS1.
set -eu

/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin KVMIRQ_IN_VM=1
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
# Memory cgroups, switched on now while nothing else runs: the first child
# memcg flips static keys, and qemu TCG has been seen to let another vcpu
# execute a half-patched instruction (an "Oops: int3" in kmem_cache_free)
# when that happened in the middle of a test.
mkdir -p /sys/fs/cgroup
if mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null; then
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
	mkdir /sys/fs/cgroup/boot 2>/dev/null && rmdir /sys/fs/cgroup/boot
fi
exec </dev/null >/dev/ttyS1 2>&1

say() { echo "KVMIRQ-VM: $*"; }

loaded=0
if [ -e /payload/kvmirq.ko ]; then
	rc=0; insmod /payload/kvmirq.ko || rc=$?
	say "insmod rc=$rc"
	[ "$rc" -ne 0 ] || loaded=1
fi

# Real KVM, when the payload carries it (payload.sh WITH_KVM=): the oracle.
if [ -f /payload/kvm/order ]; then
	rc=0
	while read -r m; do
		insmod "/payload/kvm/$m" || { rc=$?; break; }
	done < /payload/kvm/order
	[ "$rc" -ne 0 ] || [ -c /dev/kvm ] || rc=254
	say "kvm-insmod rc=$rc"
fi

# shellcheck disable=SC3045 # busybox sh has ulimit -n
ulimit -n 8192 || say "ulimit -n 8192 failed"
rc=0; (cd /payload && exec sh ./run.sh) || rc=$?
say "run rc=$rc"

if [ "$loaded" -eq 1 ]; then
	rc=0; rmmod kvmirq || rc=$?
	say "rmmod rc=$rc"
fi

say dmesg-begin
dmesg || true
say dmesg-end
say "done"
# Closing the last reference to ttyS1 waits until the UART has sent everything.
exec >/dev/null 2>&1
poweroff -f
