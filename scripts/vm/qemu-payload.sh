#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stage Debian's qemu-system-x86_64 for the test VM: the binary, the shared
# libraries it links (ldd), the dynamic loader and the firmware a pc or q35
# machine loads, as a root-file-system tree under DIR.  Inside the VM,
# scripts/vm/qemu-matrix.sh links the library and firmware directories into
# place and runs DIR/usr/bin/qemu-system-x86_64 unmodified.
# Usage: scripts/vm/qemu-payload.sh DIR [PROGRAM...]
#   PROGRAM: more host programs to stage in DIR/usr/bin with their libraries
#   (strace, for scripts/vm/qemu-matrix.sh's QEMU_STRACE).
set -euo pipefail

dir=${1:?usage: qemu-payload.sh DIR [PROGRAM...]}
shift
qemu=$(command -v qemu-system-x86_64) ||
	{ echo "qemu-payload.sh: qemu-system-x86_64 not installed" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir/usr/bin" "$dir/lib/x86_64-linux-gnu" "$dir/lib64" \
	 "$dir/usr/share/qemu" "$dir/usr/share/seabios"

# Every library by its real file, under the name the binary asks for.
for prog in "$qemu" "$@"; do
	cp "$prog" "$dir/usr/bin/"
	ldd "$prog" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' |
	while read -r name path; do
		cp -L "$path" "$dir/lib/x86_64-linux-gnu/$name"
	done
done
cp -L /lib64/ld-linux-x86-64.so.2 "$dir/lib64/"

# The firmware and option ROMs of pc and q35 without network or display
# (-nodefaults), and the files QEMU always opens.
cp -L /usr/share/seabios/bios-256k.bin /usr/share/seabios/bios.bin \
	"$dir/usr/share/seabios/"
for f in kvmvapic.bin linuxboot.bin linuxboot_dma.bin multiboot.bin \
	 multiboot_dma.bin pvh.bin; do
	cp -L "/usr/share/qemu/$f" "$dir/usr/share/qemu/"
done
cp -r /usr/share/qemu/keymaps "$dir/usr/share/qemu/"
echo "qemu-payload.sh: $(du -sh "$dir" | cut -f1) staged in $dir"
