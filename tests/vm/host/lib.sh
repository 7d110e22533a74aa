# Helpers for scenarios that drive their own guest from the host (QMP
# hot-plug); sourced by tests/vm/host/*.sh after they set $kernel.
#
#   host_start_sim         devsim on $sock (serial numbers are qemu's business)
#   host_boot GUEST_SCRIPT boot $kernel with QMP on $qmp, output in $out
#   wait_line TEXT SECS    until the guest printed TEXT
#   qmp_plug N [SERIAL]    hot-plug adapter N on the chardev of $sock
#   qmp_unplug N
#   host_wait_guest        the guest's exit status must be 0
cd "$(dirname "$0")/../../.." || exit 1
tmp=$(mktemp -d /tmp/cylcomed-host.XXXXXX)
sock=$tmp/dev.sock qmp=$tmp/qmp.sock out=$tmp/out vm_pid=""

fail() {
	echo "FAIL: $*"
	[ ! -s "$out" ] || sed 's/^/  guest: /' "$out"
	exit 1
}

host_cleanup() {
	[ -z "$vm_pid" ] || kill "$vm_pid" 2>/dev/null
	[ ! -s "$tmp/sim.pid" ] || kill "$(cat "$tmp/sim.pid")" 2>/dev/null
	rm -rf "$tmp"
}
trap host_cleanup EXIT

host_start_sim() {
	build/tests/sim/devsim --socket "$sock" --daemon --pidfile "$tmp/sim.pid" \
		--log "$tmp/sim.log" || fail "devsim did not start"
}

host_boot() {
	scripts/vmtest --kernel "$kernel" --qmp "$qmp" -- bash "$1" > "$out" 2>&1 &
	vm_pid=$!
}

wait_line() {
	local deadline=$((SECONDS + $2))
	until grep -q "$1" "$out"; do
		kill -0 "$vm_pid" 2>/dev/null || fail "guest ended before printing '$1'"
		[ $SECONDS -lt $deadline ] || fail "no '$1' from the guest within $2s"
		sleep 0.2
	done
}

qmp_plug() {
	scripts/qmp "$qmp" \
		chardev-add "{\"id\": \"hp$1\", \"backend\": {\"type\": \"socket\", \"data\": {\"addr\": {\"type\": \"unix\", \"data\": {\"path\": \"$sock\"}}, \"server\": false}}}" -- \
		device_add "{\"driver\": \"usb-serial\", \"id\": \"hpdev$1\", \"bus\": \"xhci.0\", \"chardev\": \"hp$1\"${2:+, \"serial\": \"$2\"}}" \
		> /dev/null || fail "QMP device_add ($1)"
}

qmp_unplug() {
	scripts/qmp "$qmp" device_del "{\"id\": \"hpdev$1\"}" > /dev/null ||
		fail "QMP device_del ($1)"
}

host_wait_guest() {
	local rc=0
	wait "$vm_pid" || rc=$?
	vm_pid=""
	[ $rc -eq 0 ] || fail "guest side failed (exit $rc)"
}

# qmp_add ID DRIVER [PROPS]: hot-plug a qemu USB device on xhci.0, e.g.
#   qmp_add kbd1 usb-kbd    qmp_add ser2 usb-serial '"serial": "X"'
# A usb-serial gets a ring-buffer chardev of its own: qemu attaches the
# adapter only once its chardev is open, which a "null" one never is.
qmp_add() {
	local id=$1 driver=$2 props=${3:+, $3} pre=()
	if [ "$driver" = usb-serial ]; then
		pre=(chardev-add "{\"id\": \"ch$id\", \"backend\": {\"type\": \"ringbuf\", \"data\": {}}}" --)
		props=", \"chardev\": \"ch$id\"$props"
	fi
	scripts/qmp "$qmp" "${pre[@]}" \
		device_add "{\"driver\": \"$driver\", \"id\": \"$id\", \"bus\": \"xhci.0\"$props}" \
		> /dev/null || fail "QMP device_add $driver ($id)"
}
