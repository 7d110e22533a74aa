# Drop mode with a reader that lags: frames complete while N_TTY's buffer
# (4 KiB) is full, and one frame is larger than that buffer.  The reader
# must still get every byte of every good frame without the device
# sending anything more (the discipline hands over the rest of a frame
# when the reader makes room).  A pty stands in for the device.
#
#   guest: pty master -> [ldisc, drop mode: frames held, then to N_TTY]
#          -> reader that starts reading only after everything was sent
. tests/vm/serial/lib.sh

kmod_load
coproc PTY { python3 -u "$top/tests/vm/serial/ptydev.py"; }
read -r slave <&"${PTY[0]}" || fail "no pty"
stty -F "$slave" raw -echo || fail "stty $slave"
cat > "$SCRATCH/pty.yaml" <<POLICY
version: 1
devices:
  - name: ptydev
    tty: $slave
    framing: lines
    max_len: 8192
    on_bad_frame: drop
    write: { mode: read_only }
POLICY
start_agent "$SCRATCH/pty.yaml"
wait_for "the pty attached" 30 serial_attached ptydev

# Nobody reads yet: 41 frames of 100 bytes (more than N_TTY holds), then
# a 6000-byte frame, the last thing the device sends.
for _ in $(seq 41); do
	echo frame 100 >&"${PTY[1]}"
	read -r sent <&"${PTY[0]}"
done
echo frame 6000 >&"${PTY[1]}"
read -r sent <&"${PTY[0]}"
[ "$sent" = "sent 10100" ] || fail "the pty writer: $sent"

# Now read until the line is quiet for a second; nothing more is sent.
got=$(python3 - "$slave" <<'PY'
import os, sys, termios
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NOCTTY)
a = termios.tcgetattr(fd)
a[6][termios.VMIN] = 0
a[6][termios.VTIME] = 10
termios.tcsetattr(fd, termios.TCSANOW, a)
data = bytearray()
while True:
    b = os.read(fd, 65536)
    if not b:
        break
    data += b
frames = data.split(b"\n")
print(len(data), len(frames) - 1, len(frames[-2]) + 1)
PY
)
[ "$got" = "10100 42 6000" ] || fail "the reader got (bytes, frames, last frame) $got, expected 10100 42 6000 (the last frame's size)"
kill "$PTY_PID" 2>/dev/null
serial_release
echo "a lagging reader got all 42 frames (10100 bytes, one of 6000) in drop mode"
