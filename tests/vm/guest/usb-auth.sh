# Guest half of tests/vm/host/usb-auth.sh: USB device authorization with
# real hot-plug.  The host plugs a tablet before the agent runs
# (GUEST-BOOTED), then, after GUEST-READY, an FTDI adapter the policy
# allows, a keyboard, an FTDI adapter with a serial number the policy
# does not know, a CDC network adapter (per-interface rule) and a mouse
# (reject rule).
. tests/vm/lib.sh

USB=/sys/bus/usb/devices
EVENTS=$SCRATCH/events.jsonl

for m in xhci_pci ftdi_sio usbhid cdc_ether; do
	modprobe "$m" || fail "modprobe $m"
done

# port_where FILE VALUE: the device port whose sysfs FILE reads VALUE.
port_where() {
	local d
	for d in "$USB"/*; do
		case ${d##*/} in usb*|*:*) continue ;; esac
		if [ "$(cat "$d/$1" 2>/dev/null)" = "$2" ]; then
			echo "${d##*/}"
			return 0
		fi
	done
	return 1
}

# not COMMAND...: succeeds when COMMAND fails (for wait_for).
not() {
	! "$@" > /dev/null
}

# present FILE VALUE: some device's sysfs FILE reads VALUE.
present() {
	port_where "$@" > /dev/null
}

# usb_event PORT TARGET: the agent reported a decision TARGET for PORT.
usb_event() {
	grep '"type":"usb_device"' "$EVENTS" 2>/dev/null |
		grep "\"port\":\"$1\"" | grep -q "\"target\":\"$2\""
}

# Nothing of device PORT has been configured: no interface, no input.
no_driver() {
	! ls -d "$USB/$1":* > /dev/null 2>&1 ||
		fail "$2 at $1 has interfaces: $(ls -d "$USB/$1":*)"
	! readlink -f /sys/class/input/* | grep -q "/$1:" ||
		fail "$2 at $1 has an input device"
}

echo GUEST-BOOTED
wait_for "the tablet plugged before the agent" 120 present product "QEMU USB Tablet"
tab=$(port_where product "QEMU USB Tablet")
wait_for "usbhid on the tablet (no agent yet: the kernel authorizes)" 60 \
	test -e "$USB/$tab:1.0/driver"

cat > "$SCRATCH/policy.yaml" <<'POLICY'
version: 1
usb:
  present_devices: apply-policy
  rules:
    - 'allow id 0409:55aa with-interface 09:00:*'
    - 'allow id 0403:6001 serial "ALLOWED1" with-interface ff:ff:ff'
    - 'allow id 0525:a4a2 with-interface one-of { 02:*:* }'
    - 'reject id 0627:0001 name "QEMU USB Mouse"'
    - 'block with-interface one-of { 03:*:* }'
POLICY
# The shipped risk register: blocked devices are risk evidence.
sed -n '/^risk:/,$p' etc/policy.yaml >> "$SCRATCH/policy.yaml"
"$CYLCTL" policy check "$SCRATCH/policy.yaml" > /dev/null || fail "policy check"
start_agent "$SCRATCH/policy.yaml"

# The root hubs are locked; the tablet, present before, was decided.
for h in "$USB"/usb*; do
	[ "$(cat "$h/authorized_default")" = 0 ] || fail "${h##*/}: authorized_default is not 0"
	[ "$(cat "$h/interface_authorized_default")" = 0 ] ||
		fail "${h##*/}: interface_authorized_default is not 0"
done
usb_event "$tab" block || fail "no block event for the tablet present at start"
grep '"type":"usb_device"' "$EVENTS" | grep "\"port\":\"$tab\"" |
	grep -q '"rule":{"index":4' || fail "the tablet was not blocked by usb.rules[4]"
[ "$(cat "$USB/$tab/authorized")" = 0 ] || fail "the tablet is still authorized"
no_driver "$tab" "the tablet"
echo "ok: present tablet at $tab deauthorized by usb.rules[4]"
echo GUEST-READY

# The allowed adapter: authorized, its interface too, and a tty appears.
wait_for "the ALLOWED1 adapter" 120 present serial ALLOWED1
ser1=$(port_where serial ALLOWED1)
wait_for "an allow event for ALLOWED1" 60 usb_event "$ser1" allow
wait_for "the ALLOWED1 tty" 60 tty_by_serial ALLOWED1
[ "$(cat "$USB/$ser1:1.0/authorized")" = 1 ] || fail "ALLOWED1's interface unauthorized"
[ "$(basename "$(readlink "$USB/$ser1:1.0/driver")")" = ftdi_sio ] ||
	fail "ALLOWED1's interface is not bound to ftdi_sio"
echo "ok: ALLOWED1 at $ser1 authorized, $(tty_by_serial ALLOWED1) appeared"

# The keyboard: blocked by the HID rule, no driver, no input device.
wait_for "the keyboard" 120 present product "QEMU USB Keyboard"
kbd=$(port_where product "QEMU USB Keyboard")
wait_for "a block event for the keyboard" 60 usb_event "$kbd" block
[ "$(cat "$USB/$kbd/authorized")" = 0 ] || fail "the keyboard is authorized"
no_driver "$kbd" "the keyboard"
echo "ok: keyboard at $kbd blocked, no driver, no input device"

# The unknown adapter: the implicit target, no tty.
wait_for "the INTRUDER adapter" 120 present serial INTRUDER
intr=$(port_where serial INTRUDER)
wait_for "a block event for INTRUDER" 60 usb_event "$intr" block
grep '"type":"usb_device"' "$EVENTS" | grep "\"port\":\"$intr\"" |
	grep -q '"source":"implicit_target"' || fail "INTRUDER not blocked by the implicit target"
grep '"type":"usb_device"' "$EVENTS" | grep "\"port\":\"$intr\"" |
	grep -q '"risk":"rogue-usb-device"' || fail "INTRUDER's event names no risk"
no_driver "$intr" "INTRUDER"
! tty_by_serial INTRUDER > /dev/null || fail "INTRUDER has a tty"
echo "ok: INTRUDER at $intr blocked (implicit target), no tty"

# Each blocked device is a risk entry, in the signed, verifiable risk log.
grep '"type":"usb_device"' "$EVENTS" | grep "\"port\":\"$intr\"" |
	grep -q '"risk_entry":"R-USB-ROGUE"' || fail "INTRUDER's event has no risk entry"
RISK=$SCRATCH/state/risk
"$CYLCTL" log show "$RISK/log" > "$SCRATCH/risklog.txt" || fail "cylctl log show"
grep "\"port\":\"$intr\"" "$SCRATCH/risklog.txt" | grep -q '"risk_entry":"R-USB-ROGUE"' ||
	fail "INTRUDER's event is not in the risk log: $(cat "$SCRATCH/risklog.txt")"
grep -q "\"port\":\"$ser1\"" "$SCRATCH/risklog.txt" &&
	fail "an allowed device's event is in the risk log"
echo "ok: blocked devices are R-USB-ROGUE entries in the risk log"

# Per interface: the network adapter's CDC control interface only.
wait_for "the network adapter" 120 present idProduct a4a2
net=$(port_where idProduct a4a2)
wait_for "an allow event for the network adapter" 60 usb_event "$net" allow
comm="" data=""
for i in "$USB/$net":*; do
	case $(cat "$i/bInterfaceClass") in
	02) comm=$i ;;
	0a) data=$i ;;
	esac
done
[ -n "$comm" ] && [ -n "$data" ] || fail "network adapter interfaces: $(ls -d "$USB/$net":*)"
[ "$(cat "$comm/authorized")" = 1 ] || fail "${comm##*/} (02, listed) unauthorized"
[ "$(cat "$data/authorized")" = 0 ] || fail "${data##*/} (0a, not listed) authorized"
[ ! -e "$data/driver" ] || fail "${data##*/} (0a, not listed) has a driver"
echo "ok: network adapter at $net: ${comm##*/} (02) authorized, ${data##*/} (0a) not, no driver"

# The mouse: rejected, so removed from the bus.
wait_for "a reject event for the mouse" 120 bash -c \
	"grep '\"type\":\"usb_device\"' '$EVENTS' | grep '\"name\":\"QEMU USB Mouse\"' | grep -q '\"target\":\"reject\"'"
wait_for "the mouse removed" 30 not port_where product "QEMU USB Mouse"
echo "ok: mouse rejected and removed"

# cylctl: list, a temporary allow, a permanent block.
"$CYLCTL" -s "$AGENT_SOCK" usb list > "$SCRATCH/list.txt" || fail "cylctl usb list"
grep -q "^$intr .* block .*implicit_target" "$SCRATCH/list.txt" ||
	fail "usb list: $(cat "$SCRATCH/list.txt")"
"$CYLCTL" -s "$AGENT_SOCK" usb allow "$intr" > /dev/null || fail "cylctl usb allow $intr"
wait_for "INTRUDER's tty after cylctl usb allow" 60 tty_by_serial INTRUDER
"$CYLCTL" -s "$AGENT_SOCK" usb block "$intr" --permanent > /dev/null ||
	fail "cylctl usb block $intr --permanent"
[ "$(cat "$USB/$intr/authorized")" = 0 ] || fail "INTRUDER still authorized after block"
wait_for "INTRUDER's tty gone" 30 not tty_by_serial INTRUDER
grep -A1 '^  rules:' "$SCRATCH/policy.yaml" | tail -n 1 |
	grep -q "^    - 'block id 0403:6001 serial \"INTRUDER\"" ||
	fail "the policy file's first rule: $(grep -A1 '^  rules:' "$SCRATCH/policy.yaml")"
"$CYLCTL" policy check "$SCRATCH/policy.yaml" > /dev/null || fail "the edited policy does not check"
echo "ok: cylctl usb allow/block --permanent on $intr; the rule is first in the policy file"

# Restarts authorize nothing: not after SIGTERM, not after kill -9.
python3 tests/vm/guest/uevents.py "$SCRATCH/uevents.txt" > "$SCRATCH/watch.out" &
watcher=$!
wait_for "the uevent watcher" 30 grep -q listening "$SCRATCH/watch.out"
stop_agent
start_agent "$SCRATCH/policy.yaml"
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null
AGENT_PID=""
start_agent "$SCRATCH/policy.yaml"
kill "$watcher"
for p in "$tab" "$kbd" "$intr"; do
	[ "$(cat "$USB/$p/authorized")" = 0 ] || fail "$p authorized after the restarts"
	! grep -q "^add .*/$p:" "$SCRATCH/uevents.txt" ||
		fail "an interface of $p appeared during the restarts: $(grep "/$p:" "$SCRATCH/uevents.txt")"
	no_driver "$p" "$p"
done
tty_by_serial ALLOWED1 > /dev/null || fail "ALLOWED1 lost its tty over the restarts"
echo "ok: two restarts (SIGTERM, kill -9) authorized nothing"

# The risk log survived them all (SIGTERM signed a head; kill -9 left
# entries a later head covers) and verifies with the public key alone.
stop_agent
"$CYLCTL" log verify --pubkey "$RISK/signing.key.pub" "$RISK/log" > "$SCRATCH/verify.txt" 2>&1 ||
	fail "cylctl log verify: $(cat "$SCRATCH/verify.txt")"
start_agent "$SCRATCH/policy.yaml"
echo "ok: the risk log verifies: $(tail -n 1 "$SCRATCH/verify.txt")"

# present_devices: keep leaves each device as it was: INTRUDER, allowed
# by hand, stays authorized over a restart although a rule blocks it.
"$CYLCTL" -s "$AGENT_SOCK" usb allow "$intr" > /dev/null || fail "cylctl usb allow $intr"
wait_for "INTRUDER's tty (allowed by hand)" 60 tty_by_serial INTRUDER
stop_agent
sed -i 's/present_devices: apply-policy/present_devices: keep/' "$SCRATCH/policy.yaml"
: > "$EVENTS"
start_agent "$SCRATCH/policy.yaml"
[ "$(cat "$USB/$intr/authorized")" = 1 ] || fail "present_devices: keep deauthorized INTRUDER"
grep '"type":"usb_device"' "$EVENTS" | grep "\"port\":\"$intr\"" |
	grep -q '"source":"present_devices"' || fail "no present_devices event for INTRUDER"
[ "$(cat "$USB/$kbd/authorized")" = 0 ] || fail "present_devices: keep authorized the keyboard"
echo "ok: present_devices: keep kept INTRUDER authorized and the keyboard not"

# present_devices: block deauthorizes everything present at start.
stop_agent
sed -i 's/present_devices: keep/present_devices: block/' "$SCRATCH/policy.yaml"
start_agent "$SCRATCH/policy.yaml"
hub=${intr%.*}	# INTRUDER is behind qemu's hub: blocking the hub takes it away
for p in "$ser1" "$hub"; do
	[ "$(cat "$USB/$p/authorized")" = 0 ] || fail "present_devices: block left $p authorized"
done
[ ! -e "$USB/$intr" ] || fail "INTRUDER still there behind the blocked hub $hub"
wait_for "ALLOWED1's tty gone" 30 not tty_by_serial ALLOWED1
! tty_by_serial INTRUDER > /dev/null || fail "INTRUDER still has a tty"
echo "ok: present_devices: block deauthorized ALLOWED1 and the hub (INTRUDER behind it went)"
stop_agent
echo GUEST-DONE
