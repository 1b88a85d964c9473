#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the kernel releases to test, one per line: the newest installed
# Debian 6.1.x and 6.12.x amd64 kernels that have both an image and headers.
# Usage: scripts/vm/kernels.sh [6.1|6.12]
set -euo pipefail

series=("$@")
(( $# )) || series=(6.1 6.12)

usable() {
	[[ -r /boot/vmlinuz-$1 ]] &&
	{ [[ -f /usr/src/linux-headers-$1/Makefile ]] || [[ -e /lib/modules/$1/build ]]; }
}

found=0
for s in "${series[@]}"; do
	case $s in
	6.1|6.12) ;;
	*) echo "kernels.sh: unknown series '$s' (use 6.1 or 6.12)" >&2; exit 1 ;;
	esac
	list=()
	for f in /boot/vmlinuz-"$s".*-amd64; do
		kver=${f#/boot/vmlinuz-}
		case $kver in *-cloud-amd64|*-rt-amd64) continue ;; esac
		if usable "$kver"; then list+=("$kver"); fi
	done
	if (( ${#list[@]} )); then
		printf '%s\n' "${list[@]}" | sort -V | tail -n 1
		found=1
	fi
done
if (( !found )); then
	echo "kernels.sh: no usable kernel found for series: ${series[*]}" >&2
	exit 1
fi
