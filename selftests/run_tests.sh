#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs every kvmirq selftest (*_test) in DIR (default: this script's
# directory), one after the other, each printing its own TAP.  unload_test
# runs last: it pulls the module away and loads it again.
# Exit status: non-zero if any test program failed.
dir=${1:-$(dirname "$0")}
rc=0

run() {
	echo "# kvmirq selftest: ${1##*/} (device ${KVMIRQ_DEV:-/dev/kvmirq})"
	"$1" || rc=1
}

for t in "$dir"/*_test; do
	[ -x "$t" ] && [ "${t##*/}" != unload_test ] && run "$t"
done
[ -x "$dir/unload_test" ] && run "$dir/unload_test"
exit $rc
