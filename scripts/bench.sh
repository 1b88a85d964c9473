#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: runs kvmirq-bench in the test VM (kvmirq loaded), and on this
# host against /dev/kvm when it works, so the two tables can be compared.
# Works on a fresh Debian 12 machine as root (installs what it needs).
#
# Usage: scripts/bench.sh [kvmirq-bench options]   (env: KERNELS=6.12)
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/vm/run-client.sh bench bench bench/kvmirq-bench "./kvmirq-bench -m $*"

if [[ -r /dev/kvm && -w /dev/kvm ]]; then
	echo "=== KVM on this host: Linux $(uname -r) ==="
	KVMIRQ_DEV=/dev/kvm build/bench/kvmirq-bench "$@"
fi
