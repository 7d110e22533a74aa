#!/bin/bash
# Hot-plug and unplug of an FTDI adapter through QMP while a program holds
# the port open: the guest sees the monitor appear, reads its stream, and
# gets a hang-up when it goes, with a clean kernel log.  Runs on the host
# and boots its own guest (scripts/vmtest --qmp).
#
#   host:  devsim <--unix socket-- qemu chardev "hp0" (QMP chardev-add)
#          scripts/qmp -> device_add usb-serial on xhci.0 ... device_del
#   guest: qemu-xhci -> ftdi_sio -> /dev/ttyUSB0 appears -> read -> hang-up
#
#   tests/vm/host/hotplug.sh KERNEL
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 1
kernel=${1:?usage: $0 KERNEL}
tmp=$(mktemp -d /tmp/cylcomed-hotplug.XXXXXX)
sock=$tmp/dev.sock qmp=$tmp/qmp.sock out=$tmp/out vm_pid=""

fail() {
	echo "FAIL: $*"
	[ ! -s "$out" ] || sed 's/^/  guest: /' "$out"
	exit 1
}
cleanup() {
	[ -z "$vm_pid" ] || kill "$vm_pid" 2>/dev/null
	[ ! -s "$tmp/sim.pid" ] || kill "$(cat "$tmp/sim.pid")" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# wait_line TEXT SECONDS: wait until the guest has printed TEXT.
wait_line() {
	local deadline=$((SECONDS + $2))
	until grep -q "$1" "$out"; do
		kill -0 "$vm_pid" 2>/dev/null || fail "guest ended before printing '$1'"
		[ $SECONDS -lt $deadline ] || fail "no '$1' from the guest within $2s"
		sleep 0.2
	done
}

build/tests/sim/devsim --socket "$sock" --daemon --pidfile "$tmp/sim.pid" --log "$tmp/sim.log" ||
	fail "devsim did not start"
scripts/vmtest --kernel "$kernel" --qmp "$qmp" -- bash tests/vm/guest/hotplug.sh > "$out" 2>&1 &
vm_pid=$!

wait_line GUEST-READY 120
scripts/qmp "$qmp" \
	chardev-add "{\"id\": \"hp0\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"$sock\"}}, \"server\": false}}}" -- \
	device_add '{"driver": "usb-serial", "id": "hp0dev", "bus": "xhci.0", "chardev": "hp0"}' \
	> /dev/null || fail "QMP device_add"

wait_line GUEST-PLUGGED 120
scripts/qmp "$qmp" device_del '{"id": "hp0dev"}' > /dev/null || fail "QMP device_del"

rc=0
wait "$vm_pid" || rc=$?
vm_pid=""
[ $rc -eq 0 ] || fail "guest side failed (exit $rc)"
grep -q GUEST-UNPLUGGED "$out" || fail "guest did not see the unplug"
echo "hot-plug and unplug of the FTDI adapter on $kernel: clean"
