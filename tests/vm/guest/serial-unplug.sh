# Guest half of tests/vm/host/serial-unplug.sh.
. tests/vm/serial/lib.sh

modprobe xhci_pci || fail "modprobe xhci_pci"
modprobe ftdi_sio || fail "modprobe ftdi_sio"
kmod_load
cat > "$SCRATCH/policy.yaml" <<'POLICY'
version: 1
devices:
  - name: hotplug-monitor
    usb: { vendor: "0403", product: "6001", serial: "HOTPLUG1" }
    framing: lines
    on_bad_frame: drop
POLICY
start_agent "$SCRATCH/policy.yaml"
echo GUEST-READY

wait_for "the adapter" 120 tty_by_serial HOTPLUG1
tty=$(tty_by_serial HOTPLUG1)
wait_for "the hot-plugged monitor attached (uevent)" 60 serial_attached hotplug-monitor
[ "$(ldisc_of "$tty")" = 29 ] || fail "$tty not on the cylcomed discipline"
$TTYIO hold "$tty" > "$SCRATCH/hold.txt" 2>&1 &
reader=$!
wait_for "the reader blocking" 30 grep -q holding "$SCRATCH/hold.txt"
echo GUEST-ATTACHED

# The host unplugs it now.
timeout 120 tail --pid="$reader" -f /dev/null || fail "the blocked reader saw no hang-up"
wait "$reader" || fail "the reader failed: $(cat "$SCRATCH/hold.txt")"
grep -q hangup "$SCRATCH/hold.txt" || fail "reader: $(cat "$SCRATCH/hold.txt")"
wait_for "a serial_detach event (hangup)" 60 bash -c \
	"grep '\"type\":\"serial_detach\"' '$SCRATCH/events.jsonl' | grep -q '\"reason\":\"hangup\"'"
wait_for "$tty to vanish" 60 test ! -e "$tty"
echo GUEST-UNPLUGGED

# Re-plugged: guarded again without anyone asking.
wait_for "the adapter again" 120 tty_by_serial HOTPLUG1
wait_for "the second serial_attach" 60 bash -c \
	"[ \$(grep -c '\"type\":\"serial_attach\"' '$SCRATCH/events.jsonl') -ge 2 ]"
echo GUEST-REPLUGGED

# Unplugged again: nothing may hold the module any more.
wait_for "the second hangup" 120 bash -c \
	"[ \$(grep '\"type\":\"serial_detach\"' '$SCRATCH/events.jsonl' | grep -c '\"reason\":\"hangup\"') -ge 2 ]"
stop_agent
wait_for "the module's last reference gone" 30 bash -c '[ "$(cat /sys/module/cylcomed/refcnt)" = 0 ]'
rmmod cylcomed || fail "rmmod after unplug: $(cat /sys/module/cylcomed/refcnt) references"
echo GUEST-DONE
