#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Proves dkms.conf works: registers a clean copy of the sources with DKMS,
# builds it against kernel KVER's installed headers, and removes it again.
# Usage: scripts/dkms-check.sh KVER
set -euo pipefail

kver=${1:?usage: dkms-check.sh KVER}
top=$(cd "$(dirname "$0")/.." && pwd)
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$top/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
src=/usr/src/$name-$version

# DKMS state is machine-wide: one check at a time.
exec 9> /var/lock/kvmirq-dkms-check.lock
flock 9

cleanup() {
	dkms remove "$name/$version" --all > /dev/null 2>&1 || true
	rm -rf "$src"
}
trap cleanup EXIT
cleanup

# Exactly what a user's checkout provides, without build products.
mkdir -p "$src"
cp -r "$top"/{Makefile,Kbuild,dkms.conf,kvmirq,uapi,udev} "$src/"

dkms add "$name/$version"
dkms build "$name/$version" -k "$kver"
ko=$(find "/var/lib/dkms/$name/$version/$kver" -name "$name.ko*" | head -n 1)
[[ -n $ko ]] || { echo "dkms-check.sh: dkms built no $name.ko" >&2; exit 1; }
echo "dkms-check.sh: dkms built $ko"
