#!/bin/bash
# cylctl usb generate against a fake sysfs tree, and policy check on usb
# rules: what a gateway image builder runs before any agent does.  TAP
# output; no daemon, no VM.
#
#   tests/cli/usb.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
. tests/cli/tap.bash

[ -x "$cylctl" ] || { echo "not ok 1 - $cylctl not built (make agent)"; exit 1; }
T=$(mktemp -d /tmp/cylctl-usb.XXXXXX)
trap 'rm -rf "$T"' EXIT

# --- a fake sysfs: root hub usb1, an FTDI adapter 1-1, a keyboard 1-2 ---
dev=$T/sys/bus/usb/devices
mkdir -p "$dev/usb1" "$dev/1-1" "$dev/1-2" "$dev/1-1:1.0"
echo 1 > "$dev/usb1/authorized_default"
# device descriptor (18), configuration (9), interface (9), 2 endpoints (7 each)
desc() {	# desc VID_LO VID_HI PID_LO PID_HI CLASS SUB PROTO
	printf "\\x12\\x01\\x00\\x02\\x00\\x00\\x00\\x40\\x$1\\x$2\\x$3\\x$4\\x00\\x06\\x01\\x02\\x03\\x01"
	printf '\x09\x02\x20\x00\x01\x01\x00\x80\x2d'
	printf "\\x09\\x04\\x00\\x00\\x02\\x$5\\x$6\\x$7\\x02"
	printf '\x07\x05\x81\x02\x40\x00\x00\x07\x05\x02\x02\x40\x00\x00'
}
desc 03 04 01 60 ff ff ff > "$dev/1-1/descriptors"
desc 27 06 01 00 03 01 01 > "$dev/1-2/descriptors"
printf '1\n' > "$dev/1-1/authorized"; printf '0\n' > "$dev/1-2/authorized"
printf '0403\n' > "$dev/1-1/idVendor"; printf '6001\n' > "$dev/1-1/idProduct"
printf '0627\n' > "$dev/1-2/idVendor"; printf '0001\n' > "$dev/1-2/idProduct"
printf 'FAKE1\n' > "$dev/1-1/serial"
printf 'FT232R USB UART\n' > "$dev/1-1/product"
printf "QEMU USB \"Keyboard\"\n" > "$dev/1-2/product"
for d in 1-1 1-2; do printf '1\n' > "$dev/$d/busnum"; done
printf '2\n' > "$dev/1-1/devnum"; printf '3\n' > "$dev/1-2/devnum"

# --- generate ---
"$cylctl" usb generate --sysroot "$T/sys" > "$T/gen.yaml" 2> "$T/out"
check "usb generate exits 0" test $? -eq 0
cp "$T/gen.yaml" "$T/out"
check "generate: an allow rule for the FTDI adapter with serial, name, hash and interface" \
	grep -q "^    - 'allow id 0403:6001 serial \"FAKE1\" name \"FT232R USB UART\" hash \"[0-9a-f]\{64\}\" with-interface ff:ff:ff'$" "$T/gen.yaml"
check "generate: a device name with a quote is escaped" \
	has 'name "QEMU USB \"Keyboard\""' "$T/gen.yaml"
{ echo "version: 1"; cat "$T/gen.yaml"; } > "$T/policy.yaml"
"$cylctl" policy check "$T/policy.yaml" > "$T/out" 2>&1
check "generate's output is a valid usb section (policy check)" test $? -eq 0
"$cylctl" usb generate --no-hash --port --sysroot "$T/sys" > "$T/out" 2>&1
check "generate --no-hash --port: no hash, the port pinned" \
	bash -c "! grep -q hash '$T/out' && grep -q 'port \"1-1\"' '$T/out'"
"$cylctl" usb generate --sysroot "$T/nonexistent" > "$T/out" 2>&1
rc=$?
check "generate on a missing tree fails" test $rc -eq 1
check "... naming the tree" has "cannot list USB devices under $T/nonexistent" "$T/out"

# --- policy check: bad rules name line:column ---
printf 'version: 1\nusb:\n  rules:\n    - allow id 0403:6001\n    - alow id 0403:6001\n' > "$T/bad1.yaml"
"$cylctl" policy check "$T/bad1.yaml" > "$T/out" 2>&1
rc=$?
check "an unknown keyword is refused" test $rc -ne 0
check "... at line 5, column 7, naming it" has "bad1.yaml:5:7: usb.rules[1]: unknown keyword \"alow\"" "$T/out"
printf "version: 1\nusb:\n  rules:\n    - 'allow id 403:6001'\n" > "$T/bad2.yaml"
"$cylctl" policy check "$T/bad2.yaml" > "$T/out" 2>&1
check "a malformed id is refused at its column (4:17)" has "bad2.yaml:4:17: usb.rules[0]: id:" "$T/out"
printf 'version: 1\nusb:\n  present_devices: allow\n' > "$T/bad3.yaml"
"$cylctl" policy check "$T/bad3.yaml" > "$T/out" 2>&1
check "present_devices takes apply-policy, keep or block" \
	has "bad3.yaml:3:20: usb.present_devices: expected apply-policy, keep or block, got \"allow\"" "$T/out"
printf 'version: 1\nusb:\n  rules: [allow]\n  implicit_target: allow\n' > "$T/bad4.yaml"
"$cylctl" policy check "$T/bad4.yaml" > "$T/out" 2>&1
check "implicit_target takes block or reject" \
	has "bad4.yaml:4:20: usb.implicit_target: expected block or reject" "$T/out"

echo "1..$n"
[ $failed -eq 0 ]
