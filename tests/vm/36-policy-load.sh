# Policy lifecycle: load applies a new policy in one step and counts a
# generation; a bad policy is refused with file:line:column and the old
# one keeps enforcing; rollback brings the previous one back; show and
# diff tell what is in force.
#
#   cylctl policy load B.yaml --control.sock--> cylcomedd --one map update-->
#   [BPF LSM guarded set]  /dev/ttyUSB0 (A)  ->  /dev/ttyS0 (B)  ->  /dev/ttyUSB0 (rollback)
. tests/vm/lib.sh

usb_serial_up
stty -F /dev/ttyUSB0 raw -echo
cat > "$SCRATCH/A.yaml" <<'POLICY'
version: 1
devices:
  - name: monitor-icu-1
    tty: /dev/ttyUSB0
POLICY
cat > "$SCRATCH/B.yaml" <<'POLICY'
version: 1
devices:
  - name: lab-analyser
    tty: /dev/ttyS0
POLICY
cat > "$SCRATCH/C.yaml" <<'POLICY'
version: 1
devices:
  - name: infusion-pump
    tty: ttyS2
POLICY
cp "$SCRATCH/A.yaml" "$SCRATCH/policy.yaml"
ctl() { "$CYLCTL" -s "$AGENT_SOCK" "$@"; }
generation() { ctl --json policy show | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])'; }
events_for() { grep -c "event: tty_open dev=$1 " "$AGENT_LOG"; }

start_agent "$SCRATCH/policy.yaml"
[ "$(generation)" -eq 1 ] || fail "first policy is not generation 1"
ctl --json policy show | python3 -c '
import hashlib, json, sys
r = json.load(sys.stdin)
text = open(sys.argv[1], "rb").read()
assert r["content"].encode() == text, "show returns another text"
assert r["sha256"] == hashlib.sha256(text).hexdigest(), "wrong sha256"' "$SCRATCH/A.yaml" ||
	fail "policy show"

ctl policy diff "$SCRATCH/B.yaml" > "$SCRATCH/diff" || fail "policy diff"
grep -q '^+    tty: /dev/ttyS0' "$SCRATCH/diff" || fail "diff lacks the new tty: $(cat "$SCRATCH/diff")"
grep -q '^-    tty: /dev/ttyUSB0' "$SCRATCH/diff" || fail "diff lacks the old tty"

# Load B: the guarded set moves from ttyUSB0 to ttyS0.
ctl policy load "$SCRATCH/B.yaml" > "$SCRATCH/out" || fail "policy load B: $(cat "$SCRATCH/out")"
grep -q 'generation 2' "$SCRATCH/out" || fail "load did not report generation 2: $(cat "$SCRATCH/out")"
cmp -s "$SCRATCH/B.yaml" "$SCRATCH/policy.yaml" || fail "the policy file was not replaced by B"
cmp -s "$SCRATCH/A.yaml" "$SCRATCH/state/policy.previous.yaml" || fail "A not kept as previous"
sha_b=$(sha256sum < "$SCRATCH/B.yaml" | cut -d' ' -f1)
grep -q "event: policy_load verdict=allow reason=\"policy $SCRATCH/B.yaml in force: generation 2, sha256 $sha_b\"" "$AGENT_LOG" ||
	fail "no policy_load event for generation 2: $(grep policy_load "$AGENT_LOG")"
python3 - "$SCRATCH/events.jsonl" "$sha_b" <<'PY' || fail "policy_load in the event log"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1]) if '"policy_load"' in l]
p = evs[-1]["policy"]
assert p["generation"] == 2 and p["sha256"] == sys.argv[2], p
PY
usb_before=$(events_for 188:0)
: < /dev/ttyS0
wait_for "an event for ttyS0 under policy B" 30 grep -q 'event: tty_open dev=4:64 ' "$AGENT_LOG"
timeout 20 head -c 1 /dev/ttyUSB0 > /dev/null
: < /dev/ttyS0
wait_for "a second ttyS0 event" 30 bash -c "[ \$(grep -c 'event: tty_open dev=4:64 ' '$AGENT_LOG') -ge 2 ]"
[ "$(events_for 188:0)" -eq "$usb_before" ] || fail "ttyUSB0 still guarded under policy B"

# Metrics follow the generation, and counters do not go back on a load.
metric() {
	python3 - "$1" <<'PY'
import sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families
body = urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=10).read().decode()
want = sys.argv[1]
print(int(sum(s.value for f in text_string_to_metric_families(body)
              for s in f.samples if s.name == want)))
PY
}
[ "$(metric cylcomed_policy_generation)" -eq 2 ] || fail "metrics do not show generation 2"
ev_before=$(metric cylcomed_events_total)

# A bad policy: refused with file:line:column, nothing changes.
if ctl policy load "$SCRATCH/C.yaml" > "$SCRATCH/out" 2>&1; then
	fail "bad policy C was accepted"
fi
grep -qF "$SCRATCH/C.yaml:4:10: devices[0].tty: expected an absolute path under /dev, got \"ttyS2\"" "$SCRATCH/out" ||
	fail "unexpected error for C: $(cat "$SCRATCH/out")"
[ "$(generation)" -eq 2 ] || fail "a refused load changed the generation"
cmp -s "$SCRATCH/B.yaml" "$SCRATCH/policy.yaml" || fail "a refused load changed the policy file"
s0=$(events_for 4:64)
: < /dev/ttyS0
wait_for "policy B still enforced after the refused load" 30 bash -c "[ \$(grep -c 'event: tty_open dev=4:64 ' '$AGENT_LOG') -gt $s0 ]"

# Rollback: A again.
ctl policy rollback > "$SCRATCH/out" || fail "rollback: $(cat "$SCRATCH/out")"
[ "$(generation)" -eq 3 ] || fail "rollback is not generation 3"
cmp -s "$SCRATCH/A.yaml" "$SCRATCH/policy.yaml" || fail "rollback did not restore A"
timeout 20 head -c 1 /dev/ttyUSB0 > /dev/null
wait_for "ttyUSB0 guarded again after rollback" 30 bash -c "[ \$(grep -c 'event: tty_open dev=188:0 ' '$AGENT_LOG') -gt $usb_before ]"

[ "$(metric cylcomed_events_total)" -ge "$ev_before" ] || fail "events_total went back across loads"

# A restart enforces what was last loaded and keeps counting.
stop_agent
start_agent "$SCRATCH/policy.yaml"
[ "$(generation)" -eq 4 ] || fail "restart did not continue the generation count"
grep -q 'guarding monitor-icu-1 (/dev/ttyUSB0, 188:0)' "$AGENT_LOG" || fail "restart did not guard A's device"
stop_agent
rm -rf /sys/fs/bpf/cylcomed
echo "policy load, refusal, rollback and restart: generations 1-4"
