# SIGKILL of the agent loses no enforcement: the LSM program stays
# attached through its pinned link, the guarded set stays in its pinned
# map, opens while the agent is away are still seen and queued in the
# pinned ring buffer, and a restarted agent reports them.
#
#   cylcomedd #1 --(kill -9)--> x
#   /sys/fs/bpf/cylcomed/{link_file_open, guarded_devs, events, counters}  (stay)
#   while-away -> open(/dev/ttyUSB0) -> [BPF LSM] -> events (queued)
#   cylcomedd #2 --> reads the queued record --> "event: tty_open ... comm=while-away"
. tests/vm/lib.sh

usb_serial_up
monitor_policy "$SCRATCH/policy.yaml"

# Sum of the per-CPU counters[0] (records submitted) from the pinned map.
events_counter() {
	bpftool -j map lookup pinned /sys/fs/bpf/cylcomed/counters key 0 0 0 0 |
		python3 -c '
import json, sys
def u64(v):  # bpftool prints raw bytes ("0x01", ...) without BTF
    return int.from_bytes(bytes(int(b, 16) for b in v), "little") if isinstance(v, list) else int(v)
print(sum(u64(v["value"]) for v in json.load(sys.stdin)["values"]))'
}
lsm_link_attached() {
	bpftool -j link show | python3 -c '
import json, sys
links = json.load(sys.stdin)
sys.exit(0 if any(l.get("type") == "tracing" and l.get("attach_type") == "lsm_mac" for l in links) else 1)'
}

rm -rf /sys/fs/bpf/cylcomed
start_agent "$SCRATCH/policy.yaml"
[ -e /sys/fs/bpf/cylcomed/link_file_open ] || fail "LSM link not pinned"
lsm_link_attached || fail "no LSM link attached while the agent runs: $(bpftool link show)"
stty -F /dev/ttyUSB0 raw -echo

kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
AGENT_PID=""
lsm_link_attached || fail "LSM program detached when the agent was killed"

before=$(events_counter)
cp "$(command -v head)" "$SCRATCH/while-away"
timeout 20 "$SCRATCH/while-away" -c 1 /dev/ttyUSB0 > /dev/null || fail "could not read the monitor"
after=$(events_counter)
[ "$after" -gt "$before" ] ||
	fail "open while the agent was away not seen by the program ($before -> $after)"

start_agent "$SCRATCH/policy.yaml"
wait_for "the record queued while the agent was away" 30 \
	grep -q 'event: tty_open dev=188:0 .*comm=while-away' "$AGENT_LOG"
lsm_link_attached || fail "no LSM link after restart"
[ "$(bpftool link show | grep -c lsm_mac)" -eq 1 ] ||
	fail "the restart left more than one LSM link: $(bpftool link show)"

# The new agent guards as the old one did.
timeout 20 head -c 1 /dev/ttyUSB0 > /dev/null
wait_for "an event from the restarted agent" 30 \
	grep -q 'event: tty_open dev=188:0 .*comm=head' "$AGENT_LOG"

stop_agent
lsm_link_attached || fail "SIGTERM detached the program"
rm -rf /sys/fs/bpf/cylcomed
wait_for "the program to detach once unpinned" 10 bash -c '! bpftool link show | grep -q lsm_mac'
echo "kill -9: program, maps and queued events survive; restart resumes"
