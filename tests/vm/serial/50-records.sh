# Records: every ASTM frame becomes a record sealed in the kernel with
# AES-256-GCM under the analyser's logon key; the agent spools them; the
# hospital side's `cylctl records verify|open --key` checks and decrypts
# them offline, sequence numbers gap-free, and a flipped bit is caught.
#
#   guest: astmsim -> [ldisc: ASTM framer -> record -> seal(logon key)]
#          --genl "records"--> cylcomedd -> spool -> cylctl records verify/open
. tests/vm/serial/lib.sh

serial_up
kmod_load
cat > "$SCRATCH/astm.yaml" <<'POLICY'
version: 1
devices:
  - name: analyser
    usb: { vendor: "0403", product: "6001", serial: "ASTM0001" }
    framing: astm
    on_bad_frame: drop
    write:
      allow: [ { control: ACK }, { control: NAK } ]
POLICY
start_agent "$SCRATCH/astm.yaml"
wait_for "the analyser attached" 60 serial_attached analyser
drain "$ASTM_TTY"

key=$SCRATCH/analyser.key
"$CYLCTL" key generate "$key" || fail "cylctl key generate"
"$CYLCTL" -s "$AGENT_SOCK" key load analyser "$key" || fail "cylctl key load"
sealed() { status_json | grep -q '"sealed": true'; }
wait_for "the analyser's records sealed" 30 sealed
keyctl_out=$(grep -c 'cylcomed:analyser' /proc/keys)
[ "$keyctl_out" -ge 1 ] || fail "no cylcomed:analyser key in /proc/keys"

id=$(device_id analyser)
start=$(device_stat analyser records)
wait_for "40 more records" 120 stat_at_least analyser records $((start + 40))
stop_agent		# flushes the spool

"$CYLCTL" records verify --key "$key" --device "$id" "$SCRATCH/spool" > "$SCRATCH/verify.txt" 2>&1 ||
	fail "records verify: $(cat "$SCRATCH/verify.txt")"
! grep -qi 'gap' "$SCRATCH/verify.txt" || fail "sequence gaps: $(cat "$SCRATCH/verify.txt")"
"$CYLCTL" records open --key "$key" --device "$id" "$SCRATCH/spool" > "$SCRATCH/open.txt" 2> "$SCRATCH/open.err" ||
	fail "records open: $(cat "$SCRATCH/open.err")"
grep -q '\\x021H|' "$SCRATCH/open.txt" || fail "no ASTM header frame among the records: $(head -n 5 "$SCRATCH/open.txt")"
grep -q '\\x02[0-7]R|' "$SCRATCH/open.txt" || fail "no ASTM result frame among the records"
n=$(grep -c 'sealed' "$SCRATCH/open.txt" || true)
[ "$n" -ge 40 ] || fail "only $n sealed records opened: $(tail -n 3 "$SCRATCH/open.txt")"

# One flipped bit in a copy of the segment is reported.
seg=$(ls "$SCRATCH"/spool/seg-*.cyls | tail -n 1)
cp "$seg" "$SCRATCH/flipped.cyls"
python3 - "$SCRATCH/flipped.cyls" <<'PY'
import os, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) - 40] ^= 0x01		# inside the last record's ciphertext or tag
open(p, "wb").write(b)
PY
if "$CYLCTL" records verify --key "$key" "$SCRATCH/flipped.cyls" > "$SCRATCH/flip.txt" 2>&1; then
	fail "a flipped bit went unnoticed: $(cat "$SCRATCH/flip.txt")"
fi
grep -Eqi 'crc|tag|auth' "$SCRATCH/flip.txt" || fail "verify did not say what is wrong: $(cat "$SCRATCH/flip.txt")"

serial_release
echo "$n sealed ASTM records verified and opened without gaps; a flipped bit was caught"
