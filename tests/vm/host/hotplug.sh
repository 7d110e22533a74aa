#!/bin/bash
# Hot-plug and unplug of an FTDI adapter through QMP while a program holds
# the port open: the guest sees the monitor appear, reads its stream, and
# gets a hang-up when it goes, with a clean kernel log.  Runs on the host
# and boots its own guest (scripts/vmtest --qmp).
#
#   host:  devsim <--unix socket-- qemu chardev "hp1" (QMP chardev-add)
#          scripts/qmp -> device_add usb-serial on xhci.0 ... device_del
#   guest: qemu-xhci -> ftdi_sio -> /dev/ttyUSB0 appears -> read -> hang-up
#
#   tests/vm/host/hotplug.sh KERNEL
set -uo pipefail
kernel=${1:?usage: $0 KERNEL}
. "$(dirname "$0")/lib.sh"

host_start_sim
host_boot tests/vm/guest/hotplug.sh
wait_line GUEST-READY 120
qmp_plug 1
wait_line GUEST-PLUGGED 120
qmp_unplug 1
host_wait_guest
grep -q GUEST-UNPLUGGED "$out" || fail "guest did not see the unplug"
echo "hot-plug and unplug of the FTDI adapter on $kernel: clean"
