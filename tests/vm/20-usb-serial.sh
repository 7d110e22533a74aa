# The emulated FTDI adapter carries a simulated patient monitor's stream to
# a guest program, and a write from the guest reaches the device.
#
#   host: tests/sim/devsim --unix socket--> qemu usb-serial (FT232)
#   guest: qemu-xhci -> ftdi_sio -> /dev/ttyUSB0 -> this script
. tests/vm/lib.sh

usb_serial_up
grep -q ftdi_sio /sys/class/tty/ttyUSB0/device/driver/module/drivers/* 2>/dev/null ||
	readlink /sys/class/tty/ttyUSB0/device/driver | grep -q ftdi_sio ||
	fail "ttyUSB0 is not driven by ftdi_sio"

# Raw mode first: the setting outlives stty's own open of the port.
stty -F /dev/ttyUSB0 115200 raw -echo
exec 3<>/dev/ttyUSB0
# Ten lines; the first ones may have been cooked during stty's open or be
# cut short, the last six must follow each other.
timeout 30 head -n 10 <&3 > "$SCRATCH/raw" || fail "fewer than 10 lines from the device within 30s"
tail -n 6 "$SCRATCH/raw" > "$SCRATCH/lines"
prev=""
while read -r line; do
	line=${line%$'\r'}
	[[ $line =~ ^MON1\ seq=([0-9]+)\ HR=[0-9]+\ SPO2=98 ]] ||
		fail "unexpected line from the device: '$line'"
	seq=${BASH_REMATCH[1]}
	[ -z "$prev" ] || [ "$seq" -eq $((prev + 1)) ] ||
		fail "sequence jumped from $prev to $seq"
	prev=$seq
done < "$SCRATCH/lines"

# A query written by the guest is answered by the device.
printf 'ID?\r' >&3
timeout 20 grep -m 1 -a '^ID MON1 SN=SIM0001' <&3 > /dev/null ||
	fail "device did not answer ID? within 20s"
exec 3<&-
echo "usb-serial: 6 consecutive lines read, query answered"
