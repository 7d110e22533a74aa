# Host-to-device writes: an allowed query reaches the pump intact and is
# answered; a command that is not on the allowlist returns EPERM to the
# writer, raises an event naming it, and the pump receives no byte of it.
# A read_only device refuses everything; the rate limit refuses bursts.
#
#   guest: ttyio.py write -> [cylcomed ldisc: allowlist] -x-> ftdi_sio -> pumpsim
. tests/vm/serial/lib.sh

serial_up
kmod_load
start_agent "$SERIAL_POLICY"
wait_for "the pump attached" 60 serial_attached pump monitor-hl7

# Allowed: the query arrives and the pump answers.
out=$($TTYIO ask "$PUMP_TTY" 'RATE?\r' --until '\r') || fail "no reply to RATE?: $out"
case $out in "ok 6 "*"RATE 12.5"*) ;; *) fail "allowed query: $out" ;; esac

# Refused: EPERM, an event with the writer, nothing at the pump.  On the
# same open port an allowed query follows: had any byte of the refused
# command arrived, the pump's "OK" or "ERR" would come before "STATUS".
# (scripts/check also checks the pump's own record of received bytes.)
out=$($TTYIO ask "$PUMP_TTY" 'STATUS?\r' --until '\r' --before 'SET RATE 999\r') ||
	fail "no reply after the refused write: $out"
case $out in
"before: EPERM"*"ok 8 b'STATUS"*) ;;
*) fail "refused write, then query: $out" ;;
esac
wait_for "a write_refused event" 20 bash -c "grep -q '\"type\":\"write_refused\"' '$SCRATCH/events.jsonl'"
ev=$(events_of write_refused | head -n 1)
echo "$ev" | grep -q '"reason":"not_allowed"' || fail "refusal reason: $ev"
echo "$ev" | grep -q '"comm":"python3"' || fail "refusal does not name the writer: $ev"
echo "$ev" | grep -q '"pid":[1-9]' || fail "refusal lacks the writer's pid: $ev"
echo "$ev" | grep -q '"bytes":"53 45 54 20' || fail "refusal lacks the first bytes: $ev"

# A refused command behind an allowed one in the same write: the whole
# write is refused (every unit is checked, not the first bytes).
out=$($TTYIO write "$PUMP_TTY" 'RATE?\rSET RATE 1\r')
[ "$out" = "EPERM" ] || fail "a SET smuggled behind RATE? was written: $out"

# read_only: the monitor takes nothing.
out=$($TTYIO write "$HL7_TTY" 'x')
[ "$out" = "EPERM" ] || fail "write to a read_only device: $out"
wait_for "a read_only refusal" 20 bash -c "grep '\"type\":\"write_refused\"' '$SCRATCH/events.jsonl' | grep -q '\"reason\":\"read_only\"'"

# Rate: burst 5 at 20/s; 15 writes at once cannot all pass.
python3 - "$PUMP_TTY" > "$SCRATCH/burst.txt" <<'PY'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
ok = refused = 0
for _ in range(15):
    try:
        os.write(fd, b"STATUS?\r"); ok += 1
    except OSError as e:
        if e.errno != errno.EPERM: raise
        refused += 1
print(ok, refused)
PY
read -r ok refused < "$SCRATCH/burst.txt"
[ "$refused" -gt 0 ] && [ "$ok" -ge 5 ] || fail "rate limit: $ok allowed, $refused refused"
wait_for "a rate_limit refusal" 20 bash -c "grep '\"type\":\"write_refused\"' '$SCRATCH/events.jsonl' | grep -q '\"reason\":\"rate_limit\"'"

serial_release
echo "allowed query answered, SET refused with EPERM and never reached the pump, read_only and rate enforced ($ok/$refused)"
