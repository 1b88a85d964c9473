#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs Debian's QEMU on kvmirq inside the test VM (busybox sh), one TAP
# result per machine configuration.  For each configuration:
#  1. starts QEMU paused (-S) with kvmirq as its /dev/kvm, QMP on stdio;
#  2. query-status must say the VM is paused (prelaunch);
#  3. changes interrupt state: HMP nmi, sendkey (QEMU drops input while the
#     VM is stopped), mce, and IRQ 1 from the i8042 through its "write
#     output buffer" command (HMP o 0x64 0xd2; o 0x60 ...);
#  4. dumps HMP info pic, info lapic, info registers -a, info irq;
#  5. migrates to a file (exec:cat > FILE) and quits;
#  6. starts a second QEMU with -incoming from that file;
#  7. dumps again: the two dumps must be identical (but for the "info irq"
#     counts, which QEMU does not migrate);
#  8. cont: KVM_RUN is not supported, so QEMU must report the failure and
#     stop the VM in internal-error, without hanging; then quits.
# Usage: qemu-matrix.sh QEMU_ROOT [CONFIG...|full|demo]
#   QEMU_ROOT: the tree scripts/vm/qemu-payload.sh staged;
#   demo: the same steps once, narrated for a person (scripts/demo.sh);
#   CONFIG: MACHINE:IRQCHIP:VCPUS:PIT:SMM, e.g. pc:on:2:off:off, where PIT
#   is "off" or "default" (pc/q35 machine property pit) and SMM "on"/"off".
#   Without CONFIG, the CI subset below; "full": all 48 combinations of
#   pc/q35, kernel-irqchip on/split, 1/2/8 vcpus, pit off/default, smm on/off.
# env QEMU_LOG_DIR: where each run's QMP traffic and stderr go (/tmp/qemu);
#     QEMU_VERBOSE=1: print the dumps; QEMU_STRACE=PATH: run QEMU under this
#     strace binary, trace in the log directory.
set -u

root=${1:?usage: qemu-matrix.sh QEMU_ROOT [CONFIG...|full|demo]}
shift

# The CI subset: every value of every axis at least twice, every pair of
# machine and irqchip mode, the most vcpus with each irqchip mode, and the
# in-kernel PIT (kernel-irqchip=on, pit default) on both machines.  No
# configuration is skipped: all 48 of "full" pass.  The subset, not all
# 48, because a configuration takes 6-26 s (11 s on average) in the TCG
# test VM: the other 37 would add about 7 minutes per kernel to CI.
ci_configs="pc:on:1:off:off pc:on:2:off:on pc:on:8:off:off pc:on:2:default:off
q35:on:1:off:on q35:on:8:off:on q35:on:2:default:on pc:split:1:default:on
pc:split:8:off:off q35:split:2:default:off q35:split:8:default:on"

full_configs() {
	for m in pc q35; do
		for i in on split; do
			for c in 1 2 8; do
				for p in off default; do
					echo "$m:$i:$c:$p:off $m:$i:$c:$p:on"
				done
			done
		done
	done
}

# shellcheck disable=SC2046,SC2086 # word lists
if [ $# -eq 0 ]; then
	set -- $ci_configs
elif [ "$1" = full ]; then
	set -- $(full_configs)
fi
logs=${QEMU_LOG_DIR:-/tmp/qemu}
mkdir -p "$logs"
qemu_bin=$root/usr/bin/qemu-system-x86_64

# The libraries and firmware where the unmodified binary looks for them.
for d in lib/x86_64-linux-gnu lib64 usr/share/qemu usr/share/seabios; do
	[ -e "/$d" ] && continue
	case $d in */*) mkdir -p "/${d%/*}" ;; esac
	ln -s "$root/$d" "/$d"
done

# kvmirq where QEMU opens /dev/kvm.  A /dev/kvm that is not kvmirq (real KVM
# loaded in this VM) is never replaced: QEMU then runs in its own mount
# namespace with kvmirq's node bound over /dev/kvm.  Without any /dev/kvm,
# kvmirq is reloaded with kvm_alias=1, as README.md tells users to do, and
# only if that fails does a node for kvmirq's minor go to /dev/kvm.
node_of() { stat -c '%t:%T' "$1" 2>/dev/null; }
ko=${KVMIRQ_KO:-/payload/kvmirq.ko}
made_node=0
wrap=
if [ ! -e /dev/kvm ] && [ -r "$ko" ] && rmmod kvmirq 2>/dev/null; then
	if insmod "$ko" kvm_alias=1 && [ -c /dev/kvm ]; then
		echo "# kvmirq reloaded with kvm_alias=1: /dev/kvm is kvmirq"
	else
		insmod "$ko" 2>/dev/null
	fi
fi
kvmirq_dev=$(cat /sys/class/misc/kvmirq/dev 2>/dev/null) || {
	echo "1..0 # SKIP kvmirq is not loaded"
	exit 0
}
hexdev=$(printf '%x:%x' "${kvmirq_dev%:*}" "${kvmirq_dev#*:}")
if [ "$(cat /sys/module/kvmirq/parameters/kvm_alias 2>/dev/null)" = Y ] &&
   [ -c /dev/kvm ] && [ ! -e /sys/module/kvm ]; then
	:
elif [ ! -e /dev/kvm ]; then
	mknod -m 660 /dev/kvm c "${kvmirq_dev%:*}" "${kvmirq_dev#*:}"
	made_node=1
elif [ "$(node_of /dev/kvm)" != "$hexdev" ]; then
	mknod -m 660 "$logs/kvmirq-node" c "${kvmirq_dev%:*}" "${kvmirq_dev#*:}"
	wrap=private
fi

# run_qemu LOG ARGS...: QEMU in the background, QMP on a fifo and a file.
run_qemu() {
	rq_log=$1
	shift
	rm -f "$rq_log.in"
	mkfifo "$rq_log.in"
	set -- "$qemu_bin" "$@"
	[ -n "${QEMU_STRACE:-}" ] &&
		set -- "$QEMU_STRACE" -f -o "$rq_log.strace" -e trace=ioctl,openat "$@"
	if [ -n "$wrap" ]; then
		# shellcheck disable=SC2016 # expanded by the inner shell
		unshare -m sh -c 'mount --bind "$0" /dev/kvm && exec "$@"' \
			"$logs/kvmirq-node" "$@" \
			< "$rq_log.in" > "$rq_log.out" 2> "$rq_log.err" &
	else
		"$@" < "$rq_log.in" > "$rq_log.out" 2> "$rq_log.err" &
	fi
	qpid=$!
	# Read-write: never blocks, and a QEMU that died is no SIGPIPE.
	exec 3<> "$rq_log.in"
	qlog=$rq_log
	qid=0
}

# wait_for PATTERN SECONDS: until PATTERN is in QEMU's output; 1 if QEMU
# exits or time runs out first.
wait_for() {
	wf_n=$(($2 * 10))
	while [ "$wf_n" -gt 0 ]; do
		grep -qs "$1" "$qlog.out" && return 0
		kill -0 "$qpid" 2>/dev/null || { grep -qs "$1" "$qlog.out"; return; }
		usleep 100000
		wf_n=$((wf_n - 1))
	done
	return 1
}

# qmp COMMAND [ARGUMENTS]: one QMP command; its response line in $reply.
# Returns 1 if there is none within 60 s, 2 if it is an error.
qmp() {
	qid=$((qid + 1))
	if [ -n "${2:-}" ]; then
		echo "{\"execute\": \"$1\", \"arguments\": $2, \"id\": \"c$qid\"}" >&3
	else
		echo "{\"execute\": \"$1\", \"id\": \"c$qid\"}" >&3
	fi
	reply=
	wait_for "\"id\": \"c$qid\"" 60 || {
		echo "# no QMP reply to $1 ${2:-}" >> "$qlog.notes"
		return 1
	}
	reply=$(grep -s "\"id\": \"c$qid\"" "$qlog.out")
	case $reply in
	*'"error"'*)
		echo "# QMP $1 ${2:-}: $reply" >> "$qlog.notes"
		return 2 ;;
	esac
	return 0
}

# hmp COMMAND: one HMP command through QMP; its output, unescaped, on stdout.
# Never call it in a pipeline or $(...): the QMP id counter must advance here.
hmp() {
	qmp human-monitor-command "{\"command-line\": \"$1\"}" || return
	printf '%s\n' "$reply" | tr -d '\r' |
		sed -e 's/^{"return": "//' -e 's/", "id": "c[0-9]*"}$//' \
		    -e 's/\\r//g' -e 's/\\t/\t/g' -e 's/\\"/"/g' -e 's/\\n/\n/g' \
		    -e 's/\\\\/\\/g'
}

# hmp_ok COMMAND: an HMP command that prints nothing when it works.
hmp_ok() {
	qmp human-monitor-command "{\"command-line\": \"$1\"}" || return
	case $reply in '{"return": "", '*) return 0 ;; esac
	echo "# HMP $1: $reply" >> "$qlog.notes"
	return 1
}

dump() {
	for c in "info pic" "info lapic" "info registers -a" "info irq"; do
		echo "== $c"
		hmp "$c" || return
	done
}

# comparable DUMP: what migration must carry.  QEMU keeps the "info irq"
# statistics (raised counts) outside the migration stream, with KVM too, so
# their count lines are left out; the rest must be identical.
comparable() {
	sed '/^== info irq$/,$ { /^ *[0-9][0-9]*: [0-9][0-9]*$/d; }' "$1"
}

quit_qemu() {
	kill -0 "$qpid" 2>/dev/null && qmp quit > /dev/null 2>&1
	exec 3>&-
	qq_n=100
	while kill -0 "$qpid" 2>/dev/null && [ "$qq_n" -gt 0 ]; do
		usleep 100000
		qq_n=$((qq_n - 1))
	done
	if kill -0 "$qpid" 2>/dev/null; then
		echo "# QEMU did not quit: killed" >> "$qlog.notes"
		kill -9 "$qpid" 2>/dev/null
	fi
	wait "$qpid" 2>/dev/null
}

# why STEP: record the failed step and QEMU's stderr for the TAP diagnostics.
why() {
	echo "# failed at: $1" >> "$qlog.notes"
	sed 's/^/# stderr: /' "$qlog.err" 2>/dev/null | head -n 20 >> "$qlog.notes"
	return 1
}

# wait_status STATUS SECONDS: until query-status reports STATUS.
wait_status() {
	ws_n=$2
	while [ "$ws_n" -gt 0 ]; do
		qmp query-status || return 1
		case $reply in *"\"status\": \"$1\""*) return 0 ;; esac
		sleep 1
		ws_n=$((ws_n - 1))
	done
	echo "# status is not $1: $reply" >> "$qlog.notes"
	return 1
}

# qemu_args MACHINE IRQCHIP VCPUS PIT SMM
qemu_args() {
	qa_m="$1,kernel-irqchip=$2,smm=$5"
	[ "$4" = off ] && qa_m="$qa_m,pit=off"
	echo "-accel kvm -machine $qa_m -smp $3 -m 128 -S -display none" \
	     "-nodefaults -no-user-config -qmp stdio"
}

# one_config NAME ARGS: the whole sequence; 0 if it passed.
one_config() {
	oc_dir=$logs/$1
	rm -rf "$oc_dir"
	mkdir -p "$oc_dir"
	# shellcheck disable=SC2086 # ARGS is a word list
	set -- $2

	run_qemu "$oc_dir/src" "$@"
	wait_for '"QMP"' 60 || { why "QMP greeting"; quit_qemu; return 1; }
	qmp qmp_capabilities || { why qmp_capabilities; quit_qemu; return 1; }
	wait_status prelaunch 1 || { why "query-status"; quit_qemu; return 1; }
	dump > "$oc_dir/initial.txt" || { why "first dump"; quit_qemu; return 1; }
	hmp_ok nmi || { why nmi; quit_qemu; return 1; }
	hmp_ok "sendkey a" || { why sendkey; quit_qemu; return 1; }
	if ! { hmp_ok "o 0x64 0xd2" && hmp_ok "o 0x60 0x1e"; }; then
		why "i8042 IRQ 1"
		quit_qemu
		return 1
	fi
	hmp_ok "mce 0 1 0x9000000000000010 0 0x1234000 0x86" ||
		{ why mce; quit_qemu; return 1; }
	dump > "$oc_dir/before.txt" || { why "dump before"; quit_qemu; return 1; }
	qmp migrate "{\"uri\": \"exec:cat > $oc_dir/state\"}" ||
		{ why migrate; quit_qemu; return 1; }
	wait_status postmigrate 60 || { why "migration"; quit_qemu; return 1; }
	quit_qemu

	run_qemu "$oc_dir/dst" "$@" -incoming "exec:cat $oc_dir/state"
	wait_for '"QMP"' 60 || { why "QMP greeting"; quit_qemu; return 1; }
	qmp qmp_capabilities || { why qmp_capabilities; quit_qemu; return 1; }
	wait_status prelaunch 60 || { why "incoming migration"; quit_qemu; return 1; }
	dump > "$oc_dir/after.txt" || { why "dump after"; quit_qemu; return 1; }
	comparable "$oc_dir/before.txt" > "$oc_dir/before.cmp"
	comparable "$oc_dir/after.txt" > "$oc_dir/after.cmp"
	if ! cmp -s "$oc_dir/before.cmp" "$oc_dir/after.cmp"; then
		diff "$oc_dir/before.cmp" "$oc_dir/after.cmp" | head -n 30 |
			sed 's/^/# diff: /' >> "$oc_dir/dst.notes"
		why "dumps before and after migration differ"
		quit_qemu
		return 1
	fi
	qmp cont || { why cont; quit_qemu; return 1; }
	wait_status internal-error 30 || { why "cont"; quit_qemu; return 1; }
	grep -m 1 'kvm run failed' "$oc_dir/dst.err" | sed 's/^/# cont: /' \
		> "$oc_dir/cont.txt"
	quit_qemu
	return 0
}

# show TITLE HMP-COMMAND: one HMP answer, indented, for the demo.
show() {
	echo "--- $1"
	# Not in a pipeline: hmp must count its QMP ids in this shell.
	hmp "$2" > "$qlog.show"
	sed 's/^/    /' "$qlog.show"
}

demo() {
	d=$logs/demo
	rm -rf "$d"
	mkdir -p "$d"
	# shellcheck disable=SC2046 # a word list
	set -- $(qemu_args pc on 2 off off)
	echo "=== QEMU $("$qemu_bin" --version | head -n 1)"
	echo "    qemu-system-x86_64 $*"
	run_qemu "$d/src" "$@"
	if ! { wait_for '"QMP"' 60 && qmp qmp_capabilities; }; then
		cat "$d/src.err"
		return 1
	fi
	qmp query-status && echo "--- query-status: $reply"
	show "info pic (PIC pair in kvmirq, read with KVM_GET_IRQCHIP)" "info pic"
	show "info lapic (vcpu 0, KVM_GET_LAPIC)" "info lapic"
	echo "=== IRQ 1: the i8042's write-output-buffer command (HMP o 0x64 0xd2;"
	echo "    o 0x60 0x1e) raises it through KVM_IRQ_LINE_STATUS (sendkey would"
	echo "    too, but QEMU drops input while the VM is stopped); then nmi"
	hmp_ok "o 0x64 0xd2" && hmp_ok "o 0x60 0x1e" && hmp_ok nmi
	show "info pic: IRR bit 1 on the master PIC, and IOAPIC pin 1 (masked) IRR" "info pic"
	show "info lapic: unchanged, LINT0/LINT1 stay masked until a guest programs them" \
		"info lapic"
	hmp "info pic" > "$d/before-pic.txt"
	hmp "info lapic" > "$d/before-lapic.txt"
	echo "=== migrate to a file (exec:cat > $d/state)"
	qmp migrate "{\"uri\": \"exec:cat > $d/state\"}" && wait_status postmigrate 60
	echo "    $(wc -c < "$d/state") bytes of migration stream"
	quit_qemu
	echo "=== restore in a second QEMU: -incoming \"exec:cat $d/state\""
	run_qemu "$d/dst" "$@" -incoming "exec:cat $d/state"
	if ! { wait_for '"QMP"' 60 && qmp qmp_capabilities &&
	       wait_status prelaunch 60; }; then
		cat "$d/dst.err"
		return 1
	fi
	show "info pic after the restore" "info pic"
	hmp "info pic" > "$d/after-pic.txt"
	hmp "info lapic" > "$d/after-lapic.txt"
	if cmp -s "$d/before-pic.txt" "$d/after-pic.txt" &&
	   cmp -s "$d/before-lapic.txt" "$d/after-lapic.txt"; then
		echo "--- info pic and info lapic: identical before and after"
	else
		echo "--- info pic or info lapic DIFFER after the restore"
	fi
	echo "=== cont: kvmirq has no guest CPU, KVM_RUN fails and QEMU stops the VM"
	qmp cont
	wait_status internal-error 30 && echo "--- query-status: $reply"
	grep -m 1 'kvm run failed' "$d/dst.err" | sed 's/^/--- QEMU says: /'
	quit_qemu
}

if [ "${1:-}" = demo ]; then
	demo
	[ "$made_node" = 1 ] && rm -f /dev/kvm
	exit 0
fi

echo "TAP version 13"
echo "1..$#"
n=0
start=$(date +%s)
for config; do
	n=$((n + 1))
	old_ifs=$IFS
	IFS=:
	# shellcheck disable=SC2086 # split the configuration at colons
	set -- $config
	IFS=$old_ifs
	name="$1-irqchip_$2-smp$3-pit_$4-smm_$5"
	t0=$(date +%s)
	if one_config "$name" "$(qemu_args "$@")"; then
		echo "ok $n qemu $name"
		cat "$logs/$name/cont.txt"
	else
		echo "not ok $n qemu $name"
		cat "$logs/$name"/*.notes 2>/dev/null
	fi
	echo "# $name took $(($(date +%s) - t0)) s"
	[ "${QEMU_VERBOSE:-0}" = 1 ] && sed 's/^/#   /' "$logs/$name"/*.txt
done
echo "# the $n configurations took $(($(date +%s) - start)) s"
[ "$made_node" = 1 ] && rm -f /dev/kvm
exit 0
