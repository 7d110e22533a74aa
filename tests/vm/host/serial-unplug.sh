#!/bin/bash
# Hot-unplug of a guarded USB-serial adapter while a reader blocks on it:
# the reader gets its hang-up, the module lets the tty go (detach event,
# reason hangup) with a clean kernel log; re-plugging it is guarded again
# by the agent (uevent); after a second unplug nothing holds the module,
# which must unload.  Runs on the host and boots its own guest.
#
#   host:  devsim <-- qemu chardev (QMP chardev-add) ; device_add / device_del
#   guest: ftdi_sio -> ttyUSB0 -> cylcomedd attaches -> reader blocks ->
#          unplug -> hang-up -> replug -> attached again -> unplug -> rmmod
#
#   tests/vm/host/serial-unplug.sh KERNEL
set -uo pipefail
kernel=${1:?usage: $0 KERNEL}
. "$(dirname "$0")/lib.sh"

host_start_sim
host_boot tests/vm/guest/serial-unplug.sh
wait_line GUEST-READY 180
qmp_plug 1 HOTPLUG1
wait_line GUEST-ATTACHED 120
qmp_unplug 1
wait_line GUEST-UNPLUGGED 120
qmp_plug 2 HOTPLUG1
wait_line GUEST-REPLUGGED 120
qmp_unplug 2
host_wait_guest
grep -q GUEST-DONE "$out" || fail "guest did not finish"
echo "unplug of a guarded adapter with a blocked reader on $kernel: clean, re-plug guarded, module unloaded"
