# Bad frames are counted and reported; with on_bad_frame: drop readers
# never see them, with pass they do.  hl7mon corrupts every 5th message
# (FS followed by "X" instead of CR).
#
#   guest: hl7mon -> ftdi_sio -> [cylcomed ldisc: MLLP framer] -> reader
#                                     \-> bad_frame event, counters
. tests/vm/serial/lib.sh

# ids FILE: the MSH-10 control ids of the messages a reader got.
ids() {
	python3 -c '
import ast, sys
data = ast.literal_eval(open(sys.argv[1]).read().strip())
for m in data.split(b"\x0b")[1:]:
    f = m.split(b"\r")[0].split(b"|")
    if len(f) > 9 and f[9].isdigit():
        print(int(f[9]), "bad" if not m.endswith(b"\x1c\r") else "good")' "$1"
}

serial_up
kmod_load
start_agent "$SERIAL_POLICY"
wait_for "the monitor and the analyser attached" 60 serial_attached monitor-hl7 analyser

# Drop mode: 12 messages read, none of them a multiple of 5, none bad.
$TTYIO read "$HL7_TTY" --until '\x1c\r' --count 12 --timeout 60 > "$SCRATCH/drop.txt" ||
	fail "reader got no 12 messages: $(cat "$SCRATCH/drop.txt")"
ids "$SCRATCH/drop.txt" > "$SCRATCH/drop.ids"
[ "$(wc -l < "$SCRATCH/drop.ids")" -ge 10 ] || fail "too few whole messages: $(cat "$SCRATCH/drop.ids")"
! grep -q bad "$SCRATCH/drop.ids" || fail "a bad message reached the reader: $(cat "$SCRATCH/drop.ids")"
! awk '$1 % 5 == 0' "$SCRATCH/drop.ids" | grep -q . ||
	fail "a corrupted message (id multiple of 5) reached the reader: $(cat "$SCRATCH/drop.ids")"
[ "$(device_stat monitor-hl7 rx_dropped_frames)" -gt 0 ] || fail "no dropped frames counted"
wait_for "a bad_frame event (deny)" 20 bash -c \
	"grep '\"type\":\"bad_frame\"' '$SCRATCH/events.jsonl' | grep -q '\"verdict\":\"deny\"'"
events_of bad_frame | grep -q '"reason":"structure"' || fail "bad_frame reason is not structure"
events_of bad_frame | grep -q '"bytes":"0b 4d 53 48' || fail "bad_frame lacks the frame's first bytes"

# ASTM: every 7th message of the analyser has a frame with a wrong
# checksum; in drop mode a reader gets only frames whose checksum is right.
$TTYIO read "$ASTM_TTY" --until '\x04' --count 10 --timeout 90 > "$SCRATCH/astm.txt" ||
	fail "no 10 ASTM messages: $(cat "$SCRATCH/astm.txt")"
python3 - "$SCRATCH/astm.txt" <<'PY' || fail "ASTM frames the reader got: $(cat "$SCRATCH/astm.txt")"
import ast, re, sys
data = ast.literal_eval(open(sys.argv[1]).read().strip())
frames = re.findall(rb"\x02([0-7][^\x02]*?[\x03\x17])([0-9A-Fa-f]{2})\r\n", data)
bad = [f for f, c in frames if sum(f) % 256 != int(c, 16)]
print(len(frames), "frames,", len(bad), "with a wrong checksum")
sys.exit(1 if bad or len(frames) < 20 else 0)
PY
wait_for "a bad_frame event (checksum)" 30 bash -c \
	"grep '\"type\":\"bad_frame\"' '$SCRATCH/events.jsonl' | grep -q '\"reason\":\"checksum\"'"

# Pass mode: the same stream, and the corrupted ones come through.
sed 's/on_bad_frame: drop/on_bad_frame: pass/' "$SERIAL_POLICY" > "$SCRATCH/pass.yaml"
"$CYLCTL" -s "$AGENT_SOCK" policy load "$SCRATCH/pass.yaml" || fail "policy load (pass mode)"
$TTYIO read "$HL7_TTY" --until '\x1cX' --count 1 --timeout 60 > "$SCRATCH/pass.txt" ||
	fail "pass mode: no corrupted message seen: $(cat "$SCRATCH/pass.txt")"
wait_for "a bad_frame event (audit)" 20 bash -c \
	"grep '\"type\":\"bad_frame\"' '$SCRATCH/events.jsonl' | grep -q '\"verdict\":\"audit\"'"

serial_release
echo "drop mode hid $(grep -c . "$SCRATCH/drop.ids") good messages' bad neighbours; pass mode let them through"
