# Security events: the agent writes every event as one JSON line to its
# event log, follows logrotate's rename, answers "cylctl events" from the
# log and streams new events to "cylctl events --follow"; a peer without
# credentials is refused and becomes a control_denied event.
#
#   guest:  head -> open(/dev/ttyUSB0) -> [BPF LSM file_open] --ringbuf-->
#           cylcomedd --> stdout "event: ..."
#                     --> $SCRATCH/events.jsonl  (mv'd away: a new file)
#                     --> control.sock --> cylctl events --follow --json > follow.out
#           setpriv(uid 65534) cylctl status --> refused --> control_denied
. tests/vm/lib.sh

need_file /sys/kernel/security/lsm "securityfs"
grep -q bpf /sys/kernel/security/lsm || fail "BPF LSM not active (lsm= on the kernel command line)"
usb_serial_up
kmod_load

LOG=$SCRATCH/events.jsonl
monitor_policy "$SCRATCH/policy.yaml"
start_agent "$SCRATCH/policy.yaml" --event-log "$LOG"
[ -f "$LOG" ] || fail "no event log at $LOG: $(cat "$AGENT_LOG")"

# The follower, started before anything happens on the tty.
"$CYLCTL" -s "$AGENT_SOCK" events --follow --json > "$SCRATCH/follow.out" 2> "$SCRATCH/follow.err" &
FOLLOW_PID=$!
trap '[ -z "$FOLLOW_PID" ] || kill "$FOLLOW_PID" 2>/dev/null; cleanup' EXIT
follower_sees() {
	grep -q "$1" "$SCRATCH/follow.out"
}
has_tty_open() {
	python3 - "$SCRATCH/follow.out" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "tty_open" and e["device"] == "monitor-icu-1" and e["subject"]["comm"]:
        sys.exit(0)
sys.exit(1)
PY
}

# Open the guarded tty until the follower has its event (the first open
# may come before the daemon took the follower over).
stty -F /dev/ttyUSB0 raw -echo
open_tty() {
	timeout 20 head -c 1 /dev/ttyUSB0 > /dev/null || fail "could not read the monitor"
	has_tty_open
}
wait_for "a tty_open event on the follower" 30 open_tty

# The log line has every schema field.
python3 - "$LOG" <<'PY' || fail "event log: $(cat "$LOG")"
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
seqs = [e["seq"] for e in lines]
assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
assert lines[0]["type"] == "policy_load", lines[0]
assert lines[0]["counters"] == {"devices": 1, "guarded": 1}, lines[0]
t = [e for e in lines if e["type"] == "tty_open"]
assert t, lines
e = t[-1]
for k in ("time", "host", "seq", "type", "device", "subject", "verdict", "reason"):
    assert k in e, (k, e)
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["time"]), e["time"]
assert e["device"] == "monitor-icu-1" and e["verdict"] == "audit", e
s = e["subject"]
assert set(s) == {"pid", "exe", "uid", "comm"} and s["uid"] == 0, s
assert s["comm"] in ("head", "stty"), s
PY
grep -q 'event: tty_open dev=188:0 .*comm=head verdict=audit$' "$AGENT_LOG" ||
	fail "stdout event line changed: $(grep event: "$AGENT_LOG")"

# logrotate's way: rename, then the next event lands in a new file.
mv "$LOG" "$LOG.1"
n_old=$(wc -l < "$LOG.1")
head -c 1 /dev/ttyUSB0 > /dev/null || fail "could not read the monitor"
wait_for "a new event log after the rename" 10 test -s "$LOG"
grep -q '"type":"tty_open"' "$LOG" || fail "new log lacks the event: $(cat "$LOG")"
[ "$(wc -l < "$LOG.1")" -eq "$n_old" ] || fail "event went to the renamed file"
# SIGHUP reopens too.
mv "$LOG" "$LOG.2"
kill -HUP "$AGENT_PID"
wait_for "the reopened event log" 10 test -e "$LOG"
head -c 1 /dev/ttyUSB0 > /dev/null || fail "could not read the monitor"
wait_for "an event in the reopened log" 10 grep -q '"type":"tty_open"' "$LOG"

# The last tty_open from the (new) log, exactly one.
"$CYLCTL" -s "$AGENT_SOCK" events --type tty_open -n 1 --json > "$SCRATCH/last.out" ||
	fail "cylctl events -n 1"
[ "$(wc -l < "$SCRATCH/last.out")" -eq 1 ] || fail "events -n 1: $(cat "$SCRATCH/last.out")"
python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).read()); assert e["type"]=="tty_open", e' \
	"$SCRATCH/last.out" || fail "events -n 1 is not a tty_open: $(cat "$SCRATCH/last.out")"
"$CYLCTL" -s "$AGENT_SOCK" events > "$SCRATCH/human.out" || fail "cylctl events"
grep -q '^TIME  *TYPE  *DEVICE  *VERDICT  *SUBJECT  *REASON' "$SCRATCH/human.out" ||
	fail "human output lacks the header: $(cat "$SCRATCH/human.out")"
"$CYLCTL" -s "$AGENT_SOCK" events -n 0 2>/dev/null; rc=$?
[ $rc -eq 2 ] || fail "events -n 0 exited $rc, not 2"

# An unprivileged peer is refused and becomes a control_denied event.
# The socket's mode keeps such peers out first; open it up so that the
# agent's own SO_PEERCRED check is what refuses.
chmod 0755 "$(dirname "$AGENT_SOCK")" && chmod 0666 "$AGENT_SOCK" || fail "chmod the socket"
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CYLCTL" -s "$AGENT_SOCK" status > "$SCRATCH/denied.out" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "unprivileged cylctl status exited $rc: $(cat "$SCRATCH/denied.out")"
grep -q 'permission denied' "$SCRATCH/denied.out" || fail "no refusal: $(cat "$SCRATCH/denied.out")"
wait_for "control_denied on the follower" 10 follower_sees '"type":"control_denied"'
grep -q '"type":"control_denied".*"uid":65534' "$SCRATCH/follow.out" ||
	fail "control_denied lacks the peer: $(grep control_denied "$SCRATCH/follow.out")"
grep -q '"type":"control_denied"' "$LOG" || fail "control_denied not in the log"

# The follower is still connected; the agent stops cleanly and ends it.
kill -0 "$FOLLOW_PID" 2>/dev/null || fail "follower exited: $(cat "$SCRATCH/follow.err")"
stop_agent
rc=0
wait "$FOLLOW_PID" || rc=$?
FOLLOW_PID=""
[ $rc -eq 1 ] || fail "follower exited $rc when the agent stopped"
rm -rf /sys/fs/bpf/cylcomed
kmod_unload
echo "events: JSON log with all fields, rotation, events -n, follow, control_denied"
