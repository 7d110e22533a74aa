# Guest half of tests/vm/host/hotplug.sh: prints GUEST-READY, waits for
# the adapter the host hot-plugs, reads from it (GUEST-PLUGGED), and
# expects a hang-up and the node to vanish when the host unplugs it
# (GUEST-UNPLUGGED).
. tests/vm/lib.sh

modprobe xhci_pci || fail "modprobe xhci_pci"
modprobe ftdi_sio || fail "modprobe ftdi_sio"
[ ! -e /dev/ttyUSB0 ] || fail "/dev/ttyUSB0 exists before the hot-plug"
echo GUEST-READY
wait_for "/dev/ttyUSB0 after device_add" 120 test -c /dev/ttyUSB0
stty -F /dev/ttyUSB0 115200 raw -echo
exec 3<>/dev/ttyUSB0
timeout 30 grep -m 1 -a '^MON1 seq=' <&3 > /dev/null || fail "no data from the hot-plugged monitor"
echo GUEST-PLUGGED

# The host unplugs now; a reader with the port open sees end of file.
timeout 120 cat <&3 > /dev/null || fail "reader did not see a hang-up within 120s"
exec 3<&-
wait_for "/dev/ttyUSB0 to vanish" 60 test ! -e /dev/ttyUSB0
dmesg | grep -q 'ftdi_sio.*disconnected\|FTDI USB Serial Device converter now disconnected' ||
	fail "no disconnect message from ftdi_sio"
echo GUEST-UNPLUGGED
