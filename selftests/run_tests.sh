#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs every kvmirq selftest in DIR (default: this directory), one after the
# other, each printing its own TAP.  unload_test runs last: it pulls the
# module away and loads it again.  Exit status: non-zero if any test failed.
dir=${1:-$(dirname "$0")}
rc=0
for t in foundation_test unload_test; do
	echo "# kvmirq selftest: $t (device ${KVMIRQ_DEV:-/dev/kvmirq})"
	"$dir/$t" || rc=1
done
exit $rc
