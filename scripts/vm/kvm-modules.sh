#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stage real KVM for the test VM: kvm-amd.ko of kernel KVER and every module
# it needs (irqbypass, kvm, ccp: from modules.dep), decompressed (busybox
# insmod cannot read the .ko.xz/.ko.zst 6.12 ships), in DIR, plus DIR/order,
# their names in load order.  qemu's TCG "-cpu max" is an AMD CPU with SVM,
# so kvm-amd gives the VM a working /dev/kvm: the in-VM KVM oracle.
# Usage: scripts/vm/kvm-modules.sh KVER DIR
set -euo pipefail

kver=${1:?usage: kvm-modules.sh KVER DIR}
dir=${2:?usage: kvm-modules.sh KVER DIR}
mods=/lib/modules/$kver
dep=$mods/modules.dep
die() { echo "kvm-modules.sh: $*" >&2; exit 1; }
[[ -r $dep ]] || die "cannot read $dep"

# modules.dep: "kernel/.../kvm-amd.ko.xz: dep1 dep2 ...", where a module's
# dependencies come after the modules that need them: load in reverse.
line=$(grep -E '^kernel/arch/x86/kvm/kvm-amd\.ko(\.[a-z]+)?:' "$dep") ||
	die "kvm-amd not in $dep"
read -r -a list <<< "${line/:/}"

rm -rf "$dir"
mkdir -p "$dir"
: > "$dir/order"
for (( i = ${#list[@]} - 1; i >= 0; i-- )); do
	src=$mods/${list[i]}
	name=$(basename "${list[i]}")
	name=${name%%.ko*}.ko
	case $src in
	*.ko.xz) xz -dc "$src" > "$dir/$name" ;;
	*.ko.zst) zstd -qdc "$src" > "$dir/$name" ;;
	*.ko.gz) gzip -dc "$src" > "$dir/$name" ;;
	*.ko) cp "$src" "$dir/$name" ;;
	*) die "unknown module file $src" ;;
	esac
	echo "$name" >> "$dir/order"
done
echo "kvm-modules.sh: $(tr '\n' ' ' < "$dir/order")staged for $kver"
