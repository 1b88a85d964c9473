#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the test VM (busybox sh), from /payload: the selftests on every
# reference, each pass between "KVMIRQ-VM: pass NAME begin/end" markers that
# scripts/check.sh splits the output at.
#  kvmirq      every selftest on /dev/kvmirq, loaded with its defaults (the
#              emulated CPU is AMD: kvm-amd's answers, SMM-capable);
#  in-vm-kvm   the same binaries on the VM kernel's own KVM (kvm-amd);
#  kvmirq-intel-nosmm  the x86 selftests on kvmirq reloaded with
#              vendor=intel smm=0: kvm-intel's answers, a host without SMM.
set -u
cd /payload || exit 1
flavour="vendor=intel smm=0"

pass() { echo "KVMIRQ-VM: pass $1 $2"; }

pass kvmirq begin
KVMIRQ_MODULE=/payload/kvmirq.ko ./run_tests.sh /payload
pass kvmirq end

pass in-vm-kvm begin
if [ -c /dev/kvm ]; then
	KVMIRQ_DEV=/dev/kvm ./run_tests.sh /payload
else
	echo "not ok 1 /dev/kvm missing in the test VM"
fi
pass in-vm-kvm end

pass kvmirq-intel-nosmm begin
# shellcheck disable=SC2086 # $flavour is a list of parameters
if rmmod kvmirq && insmod /payload/kvmirq.ko $flavour; then
	for t in ./x86_*_test ./unload_test; do
		[ -x "$t" ] || continue
		echo "# kvmirq selftest: ${t#./} (kvmirq $flavour)"
		KVMIRQ_MODULE=/payload/kvmirq.ko KVMIRQ_MODULE_PARAMS="$flavour" "$t"
	done
else
	echo "not ok 1 reloading kvmirq with $flavour"
fi
pass kvmirq-intel-nosmm end
