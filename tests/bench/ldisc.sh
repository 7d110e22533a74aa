#!/bin/bash
# Serial guard benchmark, guest side (`make bench` boots the guest): a pty
# pair with the slave on plain N_TTY, then on cylcomed's line discipline
# with records sealed, frames of 16 B, 256 B and 4 KiB.
#
#   writer thread --write--> /dev/ptmx (master, plays the device)
#                                 |
#                      /dev/pts/N (slave): N_TTY | cylcomed (lines framer,
#                                 |          record per frame, AES-256-GCM)
#   main thread  <--read----------+                    |
#                                           genl "records" multicast
#                                                      v
#                                     subscriber thread (counts, checks)
#
# build/tests/bench/ldisc does the work (see its header) and prints RUN,
# RESULT, RECORDS and RATIO lines and a table.  By default the bench and
# every unbound workqueue (the pty's flip-buffer work, the module's
# sealing work) share CPU 0, so every cycle the guard adds is paid where
# N_TTY's are and no cross-vCPU wake-up (slow and erratic under TCG)
# enters the figures; CPUS=all runs unpinned.  Knobs (environment):
# SECONDS_PER_RUN, ROUNDS, PINGS, SIZES, MODES, CPUS, AESNI.
#
# Fails only on broken plumbing: a wrong or missing byte, a module that
# did not load, attach or unload, or sealed modes whose records did not
# arrive sealed.  Never on a number.
set -u
. tests/vm/lib.sh

LDISC=$top/build/tests/bench/ldisc
SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}
ROUNDS=${ROUNDS:-3}
PINGS=${PINGS:-2000}
SIZES=${SIZES:-16,256,4096}
MODES=${MODES:-ntty,cylcomed-nokey,cylcomed,cylcomed-drop}
CPUS=${CPUS:-0}
WQ_MASK=/sys/devices/virtual/workqueue/cpumask

need_file "$LDISC" "ldisc not built: run make bench-tools"
need_file "$WQ_MASK" "unbound workqueue cpumask"

saved_mask=$(cat "$WQ_MASK")
bench_cleanup() {
	echo "$saved_mask" > "$WQ_MASK"
	cleanup
}
trap bench_cleanup EXIT

pin=()
if [ "$CPUS" != all ]; then
	if ! [[ $CPUS =~ ^[0-9]+$ ]] || [ "$CPUS" -ge "$(nproc)" ]; then
		fail "CPUS=$CPUS: expected a CPU number below $(nproc), or all"
	fi
	printf '%x\n' $((1 << CPUS)) > "$WQ_MASK" || fail "unbound workqueues to CPU $CPUS"
	pin=(taskset -c "$CPUS")
fi
# A gateway's udev loads aesni_intel by CPU modalias; this guest has no
# udev, and without it gcm(aes) runs on aes-generic.  AESNI=0 keeps that.
if [ "${AESNI:-1}" = 1 ] && grep -qw aes /proc/cpuinfo; then
	modprobe aesni_intel || fail "modprobe aesni_intel"
fi
echo "ldisc bench: CPUs ${CPUS} (unbound workqueues: $(cat "$WQ_MASK")," \
     "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'))"

kmod_load
out=$SCRATCH/ldisc.out
"${pin[@]}" "$LDISC" --seconds "$SECONDS_PER_RUN" --rounds "$ROUNDS" \
	--pings "$PINGS" --sizes "$SIZES" --modes "$MODES" | tee "$out"
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || fail "ldisc exited $rc"

# Every sealed mode's records reached the subscriber with CYL_REC_F_SEALED.
sealed=$(awk '$1 == "RECORDS" {
	split("", f)
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		f[kv[1]] = kv[2]
	}
	if (f["mode"] != "cylcomed" && f["mode"] != "cylcomed-drop")
		next
	if (f["sealed"] + 0 > 0)
		n++
	else
		print "no sealed record: " $0 > "/dev/stderr"
} END { print n + 0 }' "$out")
want=$(( $(tr ',' '\n' <<< "$SIZES" | wc -l) *
	 $(tr ',' '\n' <<< "$MODES" | grep -cxE 'cylcomed|cylcomed-drop') ))
[ "$sealed" -eq "$want" ] ||
	fail "sealed records for $sealed of $want (frame size, sealed mode) pairs"
# The implementation the module's gcm(aes) got: the highest priority.
awk '$1 == "name" { n = $3 } $1 == "driver" { d = $3 }
     $1 == "priority" && n == "gcm(aes)" && $3 > p { p = $3; best = d }
     END { print "gcm(aes) driver used for sealing: " best " (priority " p ")" }' /proc/crypto

kmod_unload
echo "ldisc bench: plumbing sound; sealed records seen in each of $want (size, sealed mode) pairs"
