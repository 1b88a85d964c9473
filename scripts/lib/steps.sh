# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# steps.sh: host steps reported as TAP, for check.sh and debug-check.sh.
# Sourced (bash), not run.
#
#   steps_begin TAP LOGDIR [TAIL]   starts TAP (a file) and the step count;
#                                   each step logs to LOGDIR/step-N.log and
#                                   a failure quotes its last TAIL (40) lines
#   step NAME CMD...                runs CMD and records one result; sets
#                                   $step_log to its log and, on failure,
#                                   $failed to 1
#   steps_end                       writes the plan line

# shellcheck disable=SC2034 # the callers read $failed and $step_log
steps_begin() {
	steps=$1
	step_dir=$2
	step_tail=${3:-40}
	nstep=0
	failed=0
	mkdir -p "$step_dir"
	echo "TAP version 13" > "$steps"
}

step() {
	local name=$1

	shift
	nstep=$((nstep + 1))
	step_log=$step_dir/step-$nstep.log
	if "$@" > "$step_log" 2>&1; then
		echo "ok $nstep $name" | tee -a "$steps"
	else
		failed=1
		echo "not ok $nstep $name" | tee -a "$steps"
		sed 's/^/#   /' "$step_log" | tail -n "$step_tail" | tee -a "$steps"
	fi
}

steps_end() {
	echo "1..$nstep" >> "$steps"
}
