# Helpers for guest-side scenarios; sourced by each tests/vm/NN-*.sh.
# Scenarios run as root inside a guest (scripts/vmtest or vng) with the
# repository as the current directory and the build already done.

top=$(pwd)
kver=$(uname -r)
KMOD=$top/build/kmod/$kver/cylcomed.ko
CYLCOMEDD=$top/build/agent/cylcomedd
CYLCTL=$top/build/agent/cylctl
SCRATCH=$(mktemp -d /tmp/scenario.XXXXXX)

fail() {
	echo "FAIL: $*" >&2
	if [ -s "${AGENT_LOG:-}" ]; then
		echo "--- cylcomedd's log (last 25 lines):" >&2
		tail -n 25 "$AGENT_LOG" >&2
	fi
	exit 1
}

# wait_for DESCRIPTION SECONDS COMMAND...: poll COMMAND until it succeeds.
wait_for() {
	local what=$1 secs=$2 deadline
	shift 2
	deadline=$((SECONDS + secs))
	until "$@"; do
		[ $SECONDS -lt $deadline ] || fail "timed out after ${secs}s waiting for $what"
		sleep 0.1
	done
}

# A kernel feature the scenario needs; fail (never skip) when it is absent.
need_file() {
	[ -e "$1" ] || fail "$2 (missing $1)"
}

kmod_load() {
	need_file "$KMOD" "cylcomed.ko not built for $kver: run make kmod-all"
	insmod "$KMOD" || fail "insmod $KMOD"
}

# kmod_unload: rmmod, after letting go of the ttys the module still
# guards (it keeps them past the agent by design): an agent with no
# devices detaches every guard.  The agent must be stopped already.
kmod_unload() {
	[ -d /sys/module/cylcomed ] || return 0
	if [ "$(cat /sys/module/cylcomed/refcnt)" != 0 ]; then
		[ -z "$AGENT_PID" ] || fail "kmod_unload with the agent running"
		local pinned=0
		[ -e /sys/fs/bpf/cylcomed ] && pinned=1
		printf 'version: 1\ndevices: []\n' > "$SCRATCH/release.yaml"
		start_agent "$SCRATCH/release.yaml"
		wait_for "every guarded tty released" 30 bash -c \
			'[ "$(cat /sys/module/cylcomed/refcnt)" = 0 ]'
		stop_agent
		[ $pinned = 1 ] || rm -rf /sys/fs/bpf/cylcomed
	fi
	rmmod cylcomed || fail "rmmod cylcomed: $(cat /sys/module/cylcomed/refcnt) references left"
}

# The emulated FTDI adapter: xhci and ftdi_sio, then wait for the node.
usb_serial_up() {
	modprobe xhci_pci || fail "modprobe xhci_pci"
	modprobe ftdi_sio || fail "modprobe ftdi_sio"
	wait_for "/dev/ttyUSB0 (qemu usb-serial + ftdi_sio)" 30 test -c /dev/ttyUSB0
}

# tty_by_serial SERIAL: the /dev node of the USB-serial adapter whose USB
# serial number is SERIAL (scripts/vmtest --usb-serial SOCK,serial=...).
tty_by_serial() {
	local t
	for t in /sys/class/tty/ttyUSB*; do
		[ -e "$t" ] || continue
		if [ "$(cat "$(readlink -f "$t/device")/../../serial" 2>/dev/null)" = "$1" ]; then
			echo "/dev/${t##*/}"
			return 0
		fi
	done
	return 1
}

# monitor_policy FILE: the policy most scenarios use, guarding the
# simulated monitor on the emulated FTDI adapter.
monitor_policy() {
	cat > "$1" <<'POLICY'
version: 1
devices:
  - name: monitor-icu-1
    tty: /dev/ttyUSB0
POLICY
}

AGENT_PID=""
AGENT_LOG=$SCRATCH/agent.log
AGENT_SOCK=/run/cylcomed/control.sock

# start_agent POLICY [OPTION...]: run cylcomedd in the foreground, in the
# background, its state in $SCRATCH/state unless an option says otherwise.
start_agent() {
	local policy=$1
	shift
	need_file "$CYLCOMEDD" "cylcomedd not built"
	"$CYLCOMEDD" -f -c "$policy" -s "$AGENT_SOCK" --state-dir "$SCRATCH/state" \
		--event-log "$SCRATCH/events.jsonl" --spool-dir "$SCRATCH/spool" \
		"$@" >> "$AGENT_LOG" 2>&1 &
	AGENT_PID=$!
	wait_for "cylcomedd's control socket" 60 agent_ready
}

agent_ready() {
	kill -0 "$AGENT_PID" 2>/dev/null ||
		fail "cylcomedd exited during start: $(cat "$AGENT_LOG")"
	[ -S "$AGENT_SOCK" ] && "$CYLCTL" -s "$AGENT_SOCK" status >/dev/null 2>&1
}

# stop_agent: SIGTERM, and the agent must exit 0.
stop_agent() {
	local rc=0
	[ -n "$AGENT_PID" ] || return 0
	kill -TERM "$AGENT_PID"
	wait "$AGENT_PID" || rc=$?
	AGENT_PID=""
	[ $rc -eq 0 ] || fail "cylcomedd exited $rc on SIGTERM: $(tail -n 20 "$AGENT_LOG")"
}

cleanup() {
	[ -z "$AGENT_PID" ] || kill -KILL "$AGENT_PID" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
