#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: the main job on a machine without KVM or module loading: boots
# the test VM (qemu, TCG) with kvmirq loaded and runs the example client,
# which creates and drives VMs through /dev/kvmirq and says what it sees.
# Works on a fresh Debian 12 machine as root (installs what it needs).
#
# Usage: scripts/demo.sh   (env: KERNELS=6.12 to use Debian's 6.12 kernel)
set -euo pipefail

cd "$(dirname "$0")/.."
exec scripts/vm/run-client.sh demo examples examples/kvmirq-demo ./kvmirq-demo
