# The module never waits for the agent: while none listens it keeps a
# device's records in a bounded queue (1024), drops the oldest beyond it,
# counts every drop, and says so (records_dropped) to the next agent; the
# lost sequence numbers show as a gap in the spool.  A pty stands in for
# the device here, so the test can send 3000 frames at once.
#
#   guest: pty master (3000 lines) -> [ldisc on the slave] -> queue (1024)
#          ... agent killed ... restarted agent <- 1024 records + drop count
. tests/vm/serial/lib.sh

kmod_load
coproc PTY { python3 -u "$top/tests/vm/serial/ptydev.py"; }
read -r slave <&"${PTY[0]}" || fail "no pty"
cat > "$SCRATCH/pty.yaml" <<POLICY
version: 1
devices:
  - name: ptydev
    tty: $slave
    framing: lines
    write: { mode: read_only }
POLICY
start_agent "$SCRATCH/pty.yaml"
wait_for "the pty attached" 30 serial_attached ptydev
id=$(device_id ptydev)
cat "$slave" > /dev/null &
reader=$!

# Ten records reach the spool while the agent runs...
echo lines 10 >&"${PTY[1]}"
read -r sent <&"${PTY[0]}"
wait_for "the first 10 records spooled" 30 spooled_at_least 10
# ...then 3000 more while none does.
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
AGENT_PID=""
echo lines 3000 >&"${PTY[1]}"
read -r sent <&"${PTY[0]}"
[ "$sent" = "sent 21070" ] || fail "the pty writer did not finish: $sent"

start_agent "$SCRATCH/pty.yaml"
wait_for "the records_dropped event" 60 bash -c "grep -q '\"type\":\"records_dropped\"' '$SCRATCH/events.jsonl'"
dropped=$(events_of records_dropped | python3 -c 'import json,sys; print(sum(json.loads(l)["count"] for l in sys.stdin))')
[ "$dropped" -eq 1976 ] || fail "expected 3000 - 1024 = 1976 dropped records, the module reported $dropped"
[ "$(device_stat ptydev records_dropped)" -eq 1976 ] || fail "module counter: $(device_stat ptydev records_dropped)"
wait_for "the 1024 kept records spooled" 60 spooled_at_least 1024
stop_agent
kill "$reader" 2>/dev/null
kill "$PTY_PID" 2>/dev/null

# The spool has the first 10, a gap of 1976, and the newest 1024.
"$CYLCTL" records verify --device "$id" "$SCRATCH/spool" > "$SCRATCH/verify.txt" 2>&1 &&
	fail "verify found no gap: $(cat "$SCRATCH/verify.txt")"
grep -q '1976 records' "$SCRATCH/verify.txt" || fail "verify does not report the 1976-record gap: $(cat "$SCRATCH/verify.txt")"

kmod_unload
echo "3000 frames with no agent: 1024 kept, 1976 dropped, counted, reported and visible as a gap"
