# kill -9 of the agent: the module keeps the discipline attached and keeps
# refusing writes; the restarted agent adopts the guarded ttys instead of
# attaching again, and the records the module kept meanwhile reach the
# spool with no sequence gap.
#
#   guest: cylcomedd (SIGKILL) ... cylcomed.ko keeps guarding ... cylcomedd
. tests/vm/serial/lib.sh

serial_up
kmod_load
start_agent "$SERIAL_POLICY"
wait_for "the pump and the analyser attached" 60 serial_attached pump analyser
id=$(device_id analyser)

kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
AGENT_PID=""
[ "$(ldisc_of "$PUMP_TTY")" = 29 ] || fail "the discipline went away with the agent"
out=$($TTYIO write "$PUMP_TTY" 'SET RATE 999\r')
[ "$out" = "EPERM" ] || fail "with the agent dead, a disallowed write returned '$out'"
out=$($TTYIO ask "$PUMP_TTY" 'RATE?\r' --until '\r') || fail "allowed query with the agent dead: $out"
# Frames keep coming while no agent listens; the module keeps their records.
$TTYIO read "$ASTM_TTY" --until '\x04' --count 3 --timeout 60 > /dev/null ||
	fail "the analyser's stream stopped while the agent was dead"

drain "$ASTM_TTY"
start_agent "$SERIAL_POLICY"
wait_for "the agent adopting the pump" 30 grep -q 'pump: ttyUSB[0-9]* already guarded by the module: adopted' "$AGENT_LOG"
wait_for "the pump reported attached" 30 serial_attached pump analyser
out=$($TTYIO write "$PUMP_TTY" 'SET RATE 999\r')
[ "$out" = "EPERM" ] || fail "after the restart, a disallowed write returned '$out'"
wait_for "the refusal reported by the new agent" 20 bash -c "grep -q '\"type\":\"write_refused\"' '$SCRATCH/events.jsonl'"
start=$(device_stat analyser records)
wait_for "records after the restart" 60 stat_at_least analyser records $((start + 10))
stop_agent

"$CYLCTL" records verify --device "$id" "$SCRATCH/spool" > "$SCRATCH/verify.txt" 2>&1 ||
	fail "records verify across the restart: $(cat "$SCRATCH/verify.txt")"
! grep -qi 'gap' "$SCRATCH/verify.txt" || fail "records lost across the agent's death: $(cat "$SCRATCH/verify.txt")"

serial_release
echo "guarding survived kill -9; the new agent adopted the ttys; records gap-free across it"
