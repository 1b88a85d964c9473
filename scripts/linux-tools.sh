#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# linux-tools.sh DEST: extracts from Debian's linux-source package the few
# files kvmirq builds with (kselftest_harness.h, kselftest.h, checkpatch.pl
# and its data files, kernel-doc) into DEST.  They are cached there, never committed.
set -euo pipefail

dest=${1:?usage: linux-tools.sh DEST}
# The version deps.sh installs (6.12's harness trips -Werror=clobbered and
# its checkpatch has new checks); the newest other one only without it.
tarball=/usr/src/linux-source-6.1.tar.xz
[[ -f $tarball ]] ||
	tarball=$(find /usr/src -maxdepth 1 -name "linux-source-*.tar.xz" | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "linux-tools.sh: no /usr/src/linux-source-*.tar.xz; install linux-source" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" \
	"$top/tools/testing/selftests/kselftest_harness.h" \
	"$top/tools/testing/selftests/kselftest.h" \
	"$top/scripts/checkpatch.pl" \
	"$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch" \
	"$top/scripts/kernel-doc"

mkdir -p "$dest/selftests" "$dest/scripts"
cp "$tmp/$top"/tools/testing/selftests/kselftest*.h "$dest/selftests/"
cp "$tmp/$top"/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch,kernel-doc} \
	"$dest/scripts/"
echo "linux-tools.sh: extracted harness, checkpatch and kernel-doc from $(basename "$tarball")"
