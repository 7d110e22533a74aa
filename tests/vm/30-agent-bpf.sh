# The agent loads lsm_guard through its skeleton, pins its maps, guards the
# monitor's tty from the policy, reads the BPF program's events from the
# shared ring buffer, answers cylctl status, and stops cleanly on SIGTERM
# leaving the pinned maps in place.
#
#   guest:  head -> open(/dev/ttyUSB0) -> [BPF LSM file_open] --ringbuf-->
#           cylcomedd -> "event: tty_open ..." ; cylctl -> control.sock -> cylcomedd
. tests/vm/lib.sh

need_file /sys/kernel/security/lsm "securityfs"
grep -q bpf /sys/kernel/security/lsm || fail "BPF LSM not active (lsm= on the kernel command line)"
usb_serial_up
kmod_load

monitor_policy "$SCRATCH/policy.yaml"
start_agent "$SCRATCH/policy.yaml"

for m in events guarded_devs counters; do
	[ -e /sys/fs/bpf/cylcomed/$m ] || fail "map $m not pinned under /sys/fs/bpf/cylcomed"
done
grep -q 'guarding monitor-icu-1 (/dev/ttyUSB0, 188:0)' "$AGENT_LOG" ||
	fail "agent did not report guarding the monitor: $(cat "$AGENT_LOG")"

# The module's event channel: subscribed, and our ping came back.
wait_for "the module event channel" 30 grep -q 'module event channel ok' "$AGENT_LOG"
grep -q '"event_channel": "ok"' <("$CYLCTL" -s "$AGENT_SOCK" --json status) ||
	fail "status does not show the module event channel ok"
"$CYLCTL" -s "$AGENT_SOCK" --json status > "$SCRATCH/status.json" || fail "cylctl status --json"
python3 - "$SCRATCH/status.json" <<'PY' || fail "status reply: $(cat "$SCRATCH/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["ok"] is True, s
assert s["bpf"]["lsm_guard"] == "attached", s["bpf"]
assert s["module"]["loaded"] is True and s["module"]["version"] == "0.1.0", s["module"]
assert s["module"]["events_lost"] == 0, s["module"]
assert s["pin_dir"] == "/sys/fs/bpf/cylcomed", s["pin_dir"]
d = s["devices"][0]
assert d["name"] == "monitor-icu-1" and d["guarded"] is True, d
PY
"$CYLCTL" -s "$AGENT_SOCK" status > "$SCRATCH/status.txt" || fail "cylctl status"
grep -q 'monitor-icu-1' "$SCRATCH/status.txt" || fail "human status lacks the device"
"$CYLCTL" -s "$AGENT_SOCK" devices > "$SCRATCH/devices.txt" || fail "cylctl devices"
grep -Eq '^monitor-icu-1 +/dev/ttyUSB0 +188:0 +guarded +ttyUSB0 unsealed [0-9]+/0/0$' "$SCRATCH/devices.txt" ||
	fail "cylctl devices: $(cat "$SCRATCH/devices.txt")"

# An open of the guarded tty becomes an event the agent reads.
stty -F /dev/ttyUSB0 raw -echo
timeout 20 head -c 1 /dev/ttyUSB0 > /dev/null || fail "could not read the monitor"
wait_for "the agent's tty_open event" 30 \
	grep -q 'event: tty_open dev=188:0 .*comm=head' "$AGENT_LOG"
# An open of another device is not an event.
head -c 1 /dev/zero > /dev/null
"$CYLCTL" -s "$AGENT_SOCK" --json status > "$SCRATCH/status2.json"
python3 - "$SCRATCH/status2.json" <<'PY' || fail "event count: $(cat "$SCRATCH/status2.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["events"] >= 2, s["events"]       # stty and head opened the tty
assert s["ringbuf_drops"] == 0, s["ringbuf_drops"]
PY
grep -q 'comm=.*zero\|dev=1:5' "$AGENT_LOG" && fail "an unguarded device produced an event"

stop_agent
for m in events guarded_devs counters; do
	[ -e /sys/fs/bpf/cylcomed/$m ] || fail "map $m unpinned by the agent's exit"
done

# A module loaded after the agent: the channel comes up on the next status.
kmod_unload
start_agent "$SCRATCH/policy.yaml"
channel() {
	"$CYLCTL" -s "$AGENT_SOCK" --json status |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["module"].get("event_channel", "absent"))'
}
[ "$(channel)" = absent ] || fail "event channel reported without a module"
kmod_load
[ "$(channel)" != absent ] || fail "module not seen after insmod"
wait_for "the event channel after a late insmod" 30 bash -c "[ \"\$('$CYLCTL' -s '$AGENT_SOCK' --json status | grep -o '\"event_channel\": \"[a-z]*\"')\" = '\"event_channel\": \"ok\"' ]"
stop_agent
rm -rf /sys/fs/bpf/cylcomed
kmod_unload
echo "agent: skeleton loaded, maps pinned, events read, clean stop"
