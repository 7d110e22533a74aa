# An unchanged reader gets byte-identical data with and without the line
# discipline, in raw and in canonical termios modes, through the real
# ftdi_sio path (a loopback device echoes every byte).
#
#   guest: ttyio.py -> write -> ftdi_sio -> qemu -> devsim --proto echo
#          -> ftdi_sio -> [cylcomed ldisc | N_TTY] -> read -> compare
. tests/vm/serial/lib.sh

serial_up
raw0=$($TTYIO roundtrip "$ECHO_TTY" --mode raw --bytes 32768) || fail "raw round trip on N_TTY: $raw0"
canon0=$($TTYIO roundtrip "$ECHO_TTY" --mode canon --bytes 16384) || fail "canonical round trip on N_TTY: $canon0"

kmod_load
start_agent "$SERIAL_POLICY"
wait_for "the loopback attached" 60 serial_attached loopback
[ "$(ldisc_of "$ECHO_TTY")" = 29 ] || fail "loopback not on the cylcomed discipline"
before=$(device_stat loopback rx_bytes)

raw1=$($TTYIO roundtrip "$ECHO_TTY" --mode raw --bytes 32768) || fail "raw round trip through the guard: $raw1"
canon1=$($TTYIO roundtrip "$ECHO_TTY" --mode canon --bytes 16384) || fail "canonical round trip through the guard: $canon1"
[ "$raw0" = "$raw1" ] || fail "raw mode differs: $raw0 vs $raw1"
[ "$canon0" = "$canon1" ] || fail "canonical mode differs: $canon0 vs $canon1"

# The guard saw every byte on the way (so the comparison meant something).
after=$(device_stat loopback rx_bytes)
[ $((after - before)) -ge $((32768 + 16384)) ] ||
	fail "the module saw $((after - before)) bytes, expected at least 49152"
[ "$(device_stat loopback rx_frames)" -gt 0 ] || fail "no line frames counted"

serial_release
echo "raw ($raw1) and canonical ($canon1) identical with and without the discipline"
