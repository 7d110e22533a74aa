# The agent finds each policy device by its USB identity, switches its tty
# to the cylcomed line discipline and attaches it through generic netlink;
# the module keeps guarding when the agent stops, and lets go (N_TTY back,
# module unloadable) when the policy no longer names the device.
#
#   guest: sysfs (usb serial) -> cylcomedd -> TIOCSETD 29 + CYL_CMD_ATTACH
#          -> cylcomed.ko holds the tty's file
. tests/vm/serial/lib.sh

serial_up
kmod_load
[ "$(ldisc_of "$PUMP_TTY")" = 0 ] || fail "$PUMP_TTY not on N_TTY before the agent"

start_agent "$SERIAL_POLICY"
wait_for "all four devices attached" 60 serial_attached loopback monitor-hl7 analyser pump
for t in "$ECHO_TTY" "$HL7_TTY" "$ASTM_TTY" "$PUMP_TTY"; do
	[ "$(ldisc_of "$t")" = 29 ] || fail "$t is not on line discipline 29"
done
dmesg | grep -q "cylcomed: ${PUMP_TTY#/dev/}: guarding pump as device" ||
	fail "no 'guarding pump' in the kernel log"
[ "$(events_of serial_attach | grep -c '"verdict":"allow"')" -ge 4 ] ||
	fail "expected 4 serial_attach events: $(cat "$SCRATCH/events.jsonl")"

# The agent goes; the module's own reference keeps the discipline.
stop_agent
[ "$(ldisc_of "$PUMP_TTY")" = 29 ] || fail "the discipline went away with the agent"
rmmod cylcomed 2>/dev/null && fail "rmmod succeeded while ttys are guarded"

serial_release
[ "$(ldisc_of "$PUMP_TTY")" = 0 ] || fail "$PUMP_TTY not back on N_TTY after detach"
echo "attached 4 devices by USB identity, kept them without the agent, released them"
