#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the host packages needed to build kvmirq and test it in a qemu VM.
# Idempotent; intended for a fresh Debian 12 (bookworm) machine, run as root.
# Usage: scripts/vm/deps.sh    (EXTRA_PKGS="a b" adds packages to the list)
set -euo pipefail

pkgs=(build-essential libc6-dev qemu-system-x86 linux-image-amd64
      linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64
      busybox-static cpio linux-source-6.1 dkms kmod xz-utils perl
      python3-docutils)
read -r -a extra <<< "${EXTRA_PKGS:-}"
pkgs+=("${extra[@]}")

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $status == *" ok installed" ]] || missing+=("$p")
done

if (( ${#missing[@]} == 0 )); then
	echo "deps.sh: all ${#pkgs[@]} packages already installed, nothing to do"
	exit 0
fi
if (( EUID != 0 )); then
	echo "deps.sh: must run as root to install missing packages: ${missing[*]}" >&2
	exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	"${missing[@]}" >/dev/null
echo "deps.sh: installed ${#missing[@]} missing packages: ${missing[*]}"
