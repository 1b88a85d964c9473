#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Summarise kselftest TAP output (kselftest_harness.h programs, possibly
# several per file, mixed with other lines, possibly CRLF).
# A program whose plan announces more results than it printed (crash) gets
# the missing ones counted as failed.  The last line is always
# "P passed, F failed, S skipped"; exit 1 if anything failed or nothing ran.
# Usage: scripts/tap-summary.sh FILE...
set -euo pipefail

if (( $# == 0 )); then
	echo "usage: tap-summary.sh FILE..." >&2
	exit 2
fi
for f in "$@"; do
	[[ -r $f ]] || { echo "tap-summary.sh: cannot read '$f'" >&2; exit 2; }
done

exec awk '
function endprog() {
	if (inprog && plan > seen) {
		printf "%s: program %d printed %d of %d results; %d missing counted as failed\n",
			file, prog, seen, plan, plan - seen
		nfail[file] += plan - seen
		nmiss[file] += plan - seen
	}
	inprog = 0; plan = 0; haveplan = 0; seen = 0
}
function newprog() { endprog(); inprog = 1; prog++; nprog[file]++ }

FNR == 1 { endprog(); file = FILENAME; prog = 0 }
{ gsub(/\r/, "") }
/^TAP version / { newprog(); next }
/^1\.\.[0-9]+/ {
	if (!inprog || haveplan) newprog()
	haveplan = 1; plan = substr($1, 4) + 0
	next
}
/^(not )?ok( |$)/ {
	if (!inprog) newprog()
	seen++
	if (toupper($0) ~ /#[ \t]*SKIP/)	nskip[file]++
	else if ($1 == "ok")			npass[file]++
	else {					nfail[file]++; print file ": " $0 }
}
END {
	endprog()
	printf "%-40s %8s %6s %6s %7s %7s\n", "file", "programs", "passed", "failed", "skipped", "missing"
	for (i = 1; i < ARGC; i++) {
		f = ARGV[i]
		if (f in done) continue
		done[f] = 1
		printf "%-40s %8d %6d %6d %7d %7d\n", f, nprog[f], npass[f], nfail[f], nskip[f], nmiss[f]
		P += npass[f]; F += nfail[f]; S += nskip[f]
	}
	printf "%d passed, %d failed, %d skipped\n", P, F, S
	exit (F > 0 || P + F + S == 0)
}' "$@"
