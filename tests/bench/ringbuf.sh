#!/bin/bash
# Ring-buffer ingest benchmark, guest side (`make bench` boots the guest).
#
#   CPU 0: ringbuf produce -> bench_producer (syscall prog, bpf_loop)
#                                  | reserve+submit, R records/s
#                                  v
#                  /sys/fs/bpf/cylcomed/events (the agent's ring buffer)
#                                  |
#   CPU 1: ringbuf consume-bare (no-op callback)  or  cylcomedd (> /dev/null)
#
# For each consumer, the rate steps up until a step drops records (the
# producer's reserve failed: the consumer fell a whole ring behind) or
# the consumer got fewer than were produced.  Prints a table and the
# ratio of the two highest zero-drop rates.  Measures only: it fails on
# broken plumbing, never on a number.
set -u
. tests/vm/lib.sh

RINGBUF=$top/build/tests/bench/ringbuf
STEP_SECONDS=${STEP_SECONDS:-2}
RATES=${RATES:-"10000 15000 20000 30000 40000 50000 70000 100000 150000 200000 300000 500000 1000000"}

need_file "$RINGBUF" "ringbuf not built: run make bench-tools"
need_file /sys/fs/bpf "bpffs"
[ "$(nproc)" -ge 2 ] || fail "the benchmark needs 2 CPUs, the guest has $(nproc)"

bench_cleanup() {
	[ -z "$AGENT_PID" ] || kill -KILL "$AGENT_PID" 2>/dev/null
	rm -rf /sys/fs/bpf/cylcomed "$SCRATCH"
}
trap bench_cleanup EXIT

# field NAME FILE: the value of a "NAME value" line.
field() {
	awk -v k="$1" '$1 == k { print $2 }' "$2"
}

agent_events() {
	"$CYLCTL" -s "$AGENT_SOCK" --json status |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["events"])'
}

# produce RATE: one step of the producer, its report in $SCRATCH/produce.
produce() {
	"$RINGBUF" produce --rate "$1" --seconds "$STEP_SECONDS" > "$SCRATCH/produce" ||
		fail "ringbuf produce --rate $1"
}

# step_bare RATE: prints "produced dropped consumed seconds".
step_bare() {
	local out=$SCRATCH/consume pid
	"$RINGBUF" consume-bare --seconds $((STEP_SECONDS + 2)) > "$out" &
	pid=$!
	wait_for "the bare consumer" 30 grep -q '^ready' "$out"
	produce "$1"
	wait "$pid" || fail "ringbuf consume-bare"
	echo "$(field produced "$SCRATCH/produce") $(field dropped "$SCRATCH/produce")" \
	     "$(field consumed "$out") $(field seconds "$SCRATCH/produce")"
}

# step_agent RATE: the same for the running agent, counted by cylctl; it
# gets up to 5 s after the producer stops to drain what is queued.
step_agent() {
	local before produced dropped now deadline
	before=$(agent_events) || fail "cylctl status"
	produce "$1"
	produced=$(field produced "$SCRATCH/produce")
	dropped=$(field dropped "$SCRATCH/produce")
	deadline=$((SECONDS + 5))
	while :; do
		now=$(agent_events) || fail "cylctl status"
		[ $((now - before)) -lt "$produced" ] && [ $SECONDS -lt $deadline ] ||
			break
		sleep 0.2
	done
	echo "$produced $dropped $((now - before)) $(field seconds "$SCRATCH/produce")"
}

# ladder CONSUMER: step the rates; the highest zero-drop rate achieved
# goes to $SCRATCH/best.CONSUMER.
ladder() {
	local who=$1 rate r produced dropped consumed secs achieved verdict best=0
	for rate in $RATES; do
		r=$(step_"$who" "$rate") || exit 1
		read -r produced dropped consumed secs <<< "$r"
		# Attempted records (submitted or dropped) per second.
		achieved=$(awk -v p="$produced" -v d="$dropped" -v s="$secs" \
			'BEGIN { printf "%d", (p + d) / s }')
		if [ "$dropped" -gt 0 ]; then
			verdict="drops"
		elif [ "$consumed" -lt "$produced" ]; then
			verdict="behind"
		elif [ "$achieved" -lt $((rate * 9 / 10)) ]; then
			verdict="producer-limited"
			best=$achieved
		else
			verdict="ok"
			best=$achieved
		fi
		printf '%-6s %10s %10s %10s %9s %10s  %s\n' "$who" "$rate" \
			"$achieved" "$produced" "$dropped" "$consumed" "$verdict"
		[ "$verdict" = ok ] || break
	done
	echo "$best $verdict" > "$SCRATCH/best.$who"
}

cat > "$SCRATCH/policy.yaml" <<'POLICY'
version: 1
devices: []
POLICY

echo "ringbuf bench: kernel $(uname -r), $(nproc) CPUs, ${STEP_SECONDS}s per step"
printf '%-6s %10s %10s %10s %9s %10s  %s\n' consumer "target/s" "achieved/s" \
	submitted dropped consumed result

rm -rf /sys/fs/bpf/cylcomed
ladder bare

need_file "$CYLCOMEDD" "cylcomedd not built"
taskset -c 1 "$CYLCOMEDD" -f -c "$SCRATCH/policy.yaml" -s "$AGENT_SOCK" \
	--state-dir "$SCRATCH/state" > /dev/null 2>> "$AGENT_LOG" &
AGENT_PID=$!
wait_for "cylcomedd's control socket" 60 agent_ready
ladder agent
stop_agent

read -r bare bare_end < "$SCRATCH/best.bare"
read -r agent agent_end < "$SCRATCH/best.agent"
echo "highest zero-drop rate: bare $bare/s (last step: $bare_end)," \
     "agent $agent/s (last step: $agent_end)"
awk -v a="$agent" -v b="$bare" 'BEGIN {
	if (b > 0) printf "ratio agent/bare: %.3f\n", a / b
}'
