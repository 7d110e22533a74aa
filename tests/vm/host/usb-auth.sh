#!/bin/bash
# USB device authorization with real hot-plug (QMP device_add on xhci.0):
# a device present before the agent starts is decided by
# present_devices; an allowed FTDI adapter gets its tty; a keyboard, an
# FTDI adapter with an unknown serial number and everything the rules do
# not list get no driver and an event; a network adapter gets only the
# interface its rule lists; a rejected mouse is removed; cylctl usb
# allow/block work, --permanent edits the policy file; restarts of the
# agent authorize nothing.  Runs on the host, boots its own guest.
#
#   tests/vm/host/usb-auth.sh KERNEL
set -uo pipefail
kernel=${1:?usage: $0 KERNEL}
. "$(dirname "$0")/lib.sh"

host_boot tests/vm/guest/usb-auth.sh
wait_line GUEST-BOOTED 180
qmp_add tab0 usb-tablet
wait_line GUEST-READY 180
qmp_add ser1 usb-serial '"serial": "ALLOWED1"'
qmp_add kbd1 usb-kbd
qmp_add ser2 usb-serial '"serial": "INTRUDER"'
scripts/qmp "$qmp" netdev_add '{"type": "hubport", "id": "nd1", "hubid": 1}' > /dev/null ||
	fail "QMP netdev_add"
qmp_add net1 usb-net '"netdev": "nd1"'
qmp_add mouse1 usb-mouse
host_wait_guest
grep -q GUEST-DONE "$out" || fail "guest did not finish"
echo "USB authorization on $kernel: present, allowed, blocked, per-interface, rejected, cylctl, restarts"
