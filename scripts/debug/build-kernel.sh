#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or find in the cache) kvmirq's debug kernel: Debian's linux-source-6.1
# configured by kernel-config.sh.  The cache lives outside the checkout, in
# $DEBUG_KERNEL_CACHE (default /var/cache/kvmirq/debug-kernel), one directory
# per hash of (kernel-config.sh, this script, linux-source-6.1 version, gcc
# version): a build happens only when one of them changes.  Concurrent callers
# wait for each other (flock).  The last line of stdout is the build directory:
#   DIR/arch/x86/boot/bzImage   the kernel for scripts/vm/boot.sh
#   DIR                         KDIR for out-of-tree builds (make -C DIR M=...)
# Takes ~7-10 min on 2 cores when not cached; always runs nice -n 19.
# Usage: scripts/debug/build-kernel.sh   (env: DEBUG_KERNEL_CACHE, JOBS=2)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DEBUG_KERNEL_CACHE:-/var/cache/kvmirq/debug-kernel}
tarball=/usr/src/linux-source-6.1.tar.xz
die() { echo "build-kernel.sh: $*" >&2; exit 1; }

pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "linux-source-6.1 is not installed (scripts/vm/deps.sh installs it)"
[[ -r $tarball ]] || die "cannot read $tarball"
for tool in flex bison bc gcc make; do
	command -v "$tool" >/dev/null || die "$tool missing (scripts/vm/deps.sh)"
done
[[ -f /usr/include/gelf.h ]] || die "libelf-dev missing (scripts/vm/deps.sh)"

key=$( { cat "$here/kernel-config.sh" "$here/build-kernel.sh"
	echo "linux-source-6.1 $pkgver"; gcc --version | head -n 1; } |
	sha256sum | cut -c1-16)
kout=$cache/$key
mkdir -p "$cache"
exec 9> "$cache/.lock"
flock 9

if [[ -f $kout/.kvmirq-complete ]]; then
	echo "build-kernel.sh: cached debug kernel $key (linux-source-6.1 $pkgver)" >&2
	echo "$kout"
	exit 0
fi

# One extracted, read-only source tree per package version (O= builds never
# write into it).
ksrc=$cache/src-$pkgver/linux-source-6.1
if [[ ! -f $cache/src-$pkgver/.complete ]]; then
	echo "build-kernel.sh: extracting $tarball" >&2
	rm -rf "$cache/src-$pkgver"
	mkdir -p "$cache/src-$pkgver"
	tar -C "$cache/src-$pkgver" -xf "$tarball"
	touch "$cache/src-$pkgver/.complete"
fi

echo "build-kernel.sh: building debug kernel $key in $kout (~7-10 min)" >&2
rm -rf "$kout"
SECONDS=0
"$here/kernel-config.sh" "$ksrc" "$kout" >&2
kmake() { nice -n 19 make -s -C "$ksrc" O="$kout" ARCH=x86_64 -j"${JOBS:-2}" "$@"; }
kmake bzImage modules_prepare >&2
# Nothing to build, but it writes Module.symvers, without which modpost
# reports every kernel symbol the module uses as undefined.
kmake modules >&2
[[ -f $kout/arch/x86/boot/bzImage && -f $kout/Module.symvers ]] ||
	die "build finished without bzImage or Module.symvers"
echo "$SECONDS" > "$kout/.kvmirq-build-seconds"
touch "$kout/.kvmirq-complete"
echo "build-kernel.sh: built in $SECONDS s" >&2

# Keep the three newest builds (other branches may use another config).
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name 'src-*' -printf '%T@ %p\n' |
	sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf
echo "$kout"
