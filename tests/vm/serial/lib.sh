# Helpers for the serial guard's scenarios (tests/vm/serial/NN-*.sh), run
# in a guest booted with the simulators of scripts/check's serial stage.
. tests/vm/lib.sh

serial_cleanup() {
	[ -z "${DRAIN_PIDS:-}" ] || kill $DRAIN_PIDS 2>/dev/null
	cleanup
}
trap serial_cleanup EXIT

SERIAL_POLICY=$top/tests/vm/serial/policy.yaml
TTYIO="python3 $top/tests/vm/serial/ttyio.py"
SIMDIR=${CYL_SIMDIR:-$top/build/vmtest/sims}

# serial_up: the four adapters, found by their USB serial numbers.
serial_up() {
	modprobe xhci_pci || fail "modprobe xhci_pci"
	modprobe ftdi_sio || fail "modprobe ftdi_sio"
	local s
	for s in ECHO0001 HL7MON01 ASTM0001 PUMP0001; do
		wait_for "the adapter with serial $s" 60 tty_by_serial "$s"
	done
	ECHO_TTY=$(tty_by_serial ECHO0001)
	HL7_TTY=$(tty_by_serial HL7MON01)
	ASTM_TTY=$(tty_by_serial ASTM0001)
	PUMP_TTY=$(tty_by_serial PUMP0001)
}

# drain TTY: a reader that takes everything TTY receives, in the
# background, as a clinical application would (without one, N_TTY's
# buffer fills and the device's stream, records included, stalls).
drain() {
	stty -F "$1" raw -echo || fail "stty $1"
	cat "$1" > /dev/null &
	DRAIN_PIDS="${DRAIN_PIDS:-} $!"
}

# status_json: the agent's status reply.
status_json() {
	"$CYLCTL" -s "$AGENT_SOCK" --json status
}

# serial_attached NAME...: the agent reports each device attached.
serial_attached() {
	status_json | python3 -c '
import json, sys
want = set(sys.argv[1:])
s = json.load(sys.stdin)
got = {d["name"] for d in s["devices"] if d.get("serial", {}).get("attached")}
sys.exit(0 if want <= got else 1)' "$@"
}

# device_stat NAME FIELD: one of the module's counters for a device.
device_stat() {
	status_json | python3 -c '
import json, sys
s = json.load(sys.stdin)
d = [d for d in s["devices"] if d["name"] == sys.argv[1]][0]
print(d["serial"]["stats"][sys.argv[2]])' "$1" "$2"
}

# stat_at_least NAME FIELD N: the device's counter FIELD has reached N.
stat_at_least() {
	[ "$(device_stat "$1" "$2")" -ge "$3" ]
}

# spooled_at_least N: the agent has appended N records to its spool.
spooled_at_least() {
	[ "$(status_json | python3 -c 'import json,sys; print(json.load(sys.stdin)["records"]["records"])')" -ge "$1" ]
}

# device_id NAME: the id the module and the records use for a device.
device_id() {
	status_json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print([d for d in s["devices"] if d["name"] == sys.argv[1]][0]["serial"]["device_id"])' "$1"
}

# ldisc_of TTY: the line discipline number of TTY.
ldisc_of() {
	python3 -c '
import fcntl, os, struct, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
print(struct.unpack("i", fcntl.ioctl(fd, termios.TIOCGETD, b"\0" * 4))[0])' "$1"
}

# events_of TYPE: the logged events of TYPE, one JSON per line.
events_of() {
	grep "\"type\":\"$1\"" "$SCRATCH/events.jsonl" || true
}

# serial_release: stop the agent, let the module go (kmod_unload).
serial_release() {
	[ -z "${DRAIN_PIDS:-}" ] || kill $DRAIN_PIDS 2>/dev/null
	DRAIN_PIDS=""
	[ -z "$AGENT_PID" ] || stop_agent
	kmod_unload
}
