#!/bin/bash
# cylctl records verify|open and cylctl key, against spools written by the
# spool library (build/tests/cli/mkspool) and, for "key load", a stand-in
# agent on a scratch control socket.  TAP output; no daemon, no module.
#
#   tests/cli/records.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
mkspool=$build/tests/cli/mkspool
. tests/cli/tap.bash

for b in "$cylctl" "$mkspool"; do
	[ -x "$b" ] || { echo "not ok 1 - $b not built (make agent unit-tests)"; exit 1; }
done
T=$(mktemp -d /tmp/cylctl-records.XXXXXX)
keys=()
cleanup() {
	local s
	for s in "${keys[@]}"; do	# KEYCTL_INVALIDATE the keys we added
		python3 -c 'import ctypes, sys; ctypes.CDLL(None).syscall(250, 21, int(sys.argv[1]))' "$s"
	done
	rm -rf "$T"
}
trap cleanup EXIT
seg1=seg-0000000000000001.cyls

# --- key generate ---
"$cylctl" key generate "$T/key" > "$T/out" 2>&1
check "key generate writes 64 hex digits and a newline, mode 0600" \
	test "$(stat -c %a "$T/key")" = 600 -a "$(wc -c < "$T/key")" = 65 -a \
	     -z "$(tr -d '0-9a-f\n' < "$T/key")"
cp "$T/key" "$T/key.before"
"$cylctl" key generate "$T/key" > "$T/out" 2>&1; rc=$?
check "key generate refuses to overwrite a file" \
	test $rc = 1 -a -n "$(has 'not overwritten' "$T/out" && echo y)"
check "...and leaves it as it was" cmp -s "$T/key" "$T/key.before"
"$cylctl" key generate > "$T/out" 2>&1
check "key generate without FILE prints a key" grep -qxE '[0-9a-f]{64}' "$T/out"
"$cylctl" key generate "$T/key2" > /dev/null 2>&1

# --- a spool with a gap: device 3 lacks 5..6; device 5 has unsealed and bad frames ---
"$mkspool" --key "$T/key" "$T/sp" 3:1-4 3:7-9 5:1-2:plain 5:3:bad,tx > "$T/out" 2>&1 ||
	not_ok "mkspool" "$T/out"
"$cylctl" records verify --key "$T/key" "$T/sp" > "$T/out" 2>&1; rc=$?
check "verify exits 1 on a gap" test $rc = 1
check "verify names the gap: device, range, count" \
	has "device 3: gap: seq 5..6 missing (2 records) before seq 7" "$T/out"
check "verify counts records, sealed and authenticated" \
	has "FAILED: 1 problem; 1 segment, 10 records (8 sealed, 2 unsealed), 8 authenticated" "$T/out"

"$cylctl" records verify --json --key "$T/key" "$T/sp" > "$T/out" 2>&1
check "verify --json reports the gap as data" python3 - "$T/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
p = r["problems"]
assert r["ok"] is False and r["records"] == 10 and r["authenticated"] == 8, r
assert len(p) == 1 and p[0]["kind"] == "gap", p
assert (p[0]["device"], p[0]["from"], p[0]["to"], p[0]["count"]) == (3, 5, 6, 2), p
d = {x["device"]: x for x in r["devices"]}
assert d[3]["first_seq"] == 1 and d[3]["last_seq"] == 9 and d[3]["missing"] == 2, d
assert r["segments"][0]["segment"] == 1, r["segments"]
PY

# --- open ---
"$cylctl" records open --key "$T/key" "$T/sp" > "$T/out" 2> "$T/err"; rc=$?
check "open exits 0 when every record opens (a gap is only reported)" test $rc = 0
check "open reports the gap on standard error" has "gap: seq 5..6 missing" "$T/err"
check "open prints seq, RFC 3339 ns time, device, flags, length, escaped payload" \
	grep -qE '^1 +2025-05-01T12:34:56\.123456789Z +3 +sealed +16 \\x021H\|dev3\|seq1\\x03\\x0d\\x0a$' "$T/out"
check "open shows a bad frame's reason and an unsealed record's absent payload" \
	bash -c "grep -qE '^3 .* 5 +sealed,tx,bad=checksum +16 ' '$T/out' &&
		 grep -qE '^2 .* 5 +- +16 \(not stored' '$T/out'"
"$cylctl" records open --key "$T/key" --device 3 --raw "$T/sp" > "$T/out" 2>/dev/null
printf '\x021H|dev3|seq%s\x03\r\n' 1 2 3 4 7 8 9 > "$T/expect"
check "open --raw --device writes exactly the payload bytes" cmp -s "$T/out" "$T/expect"
"$cylctl" records open --key "$T/key" --json --device 5 "$T/sp" > "$T/out" 2>&1
check "open --json: one object per record, payload in base64" python3 - "$T/out" <<'PY'
import base64, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["seq"] for r in recs] == [1, 2, 3], recs
assert recs[0]["payload"] is None and recs[0]["flags"] == [], recs[0]
assert base64.b64decode(recs[2]["payload"]) == b"\x021H|dev5|seq3\x03\r\n", recs[2]
assert recs[2]["bad_reason"] == "checksum" and "tx" in recs[2]["flags"], recs[2]
assert recs[2]["time"] == "2025-05-01T12:34:56.125456789Z", recs[2]
PY

# --- a clean spool over several segments, by directory ---
"$mkspool" --key "$T/key" --segment-bytes 600 "$T/clean" 1:1-20 2:1-5 > "$T/out" 2>&1
"$cylctl" records verify --key "$T/key" "$T/clean" > "$T/out" 2>&1; rc=$?
check "verify of a clean multi-segment spool exits 0" \
	test $rc = 0 -a "$(ls "$T/clean" | wc -l)" -gt 3
check "...and says so" has "ok: 0 problems; $(ls "$T/clean" | wc -l) segments, 25 records (25 sealed, 0 unsealed), 25 authenticated" "$T/out"

# --- one flipped bit in a ciphertext, frame CRC recomputed: only the tag sees it ---
python3 - "$T/clean/$seg1" "$T/tampered.cyls" <<'PY'
import struct, sys, zlib
d = bytearray(open(sys.argv[1], "rb").read())
off = 96 + 2 * (8 + 64 + 16 + 16)		# the third record's frame
n = struct.unpack_from("<I", d, off)[0]
d[off + 4 + 64 + 5] ^= 0x04			# a ciphertext bit
struct.pack_into("<I", d, off + 4 + n, zlib.crc32(bytes(d[off:off + 4 + n])))
open(sys.argv[2], "wb").write(d)
PY
"$cylctl" records verify --key "$T/key" "$T/tampered.cyls" > "$T/out" 2>&1; rc=$?
check "verify --key catches a flipped ciphertext bit (exit 1)" \
	test $rc = 1 -a -n "$(grep 'offset 304: device 1 seq 3: authentication failed' "$T/out")"
"$cylctl" records verify "$T/tampered.cyls" > "$T/out" 2>&1; rc=$?
check "verify without --key cannot see it, and says tags were not checked" \
	test $rc = 0 -a -n "$(has 'tags not checked' "$T/out" && echo y)"
"$cylctl" records open --key "$T/key" "$T/tampered.cyls" > "$T/out" 2> "$T/err"; rc=$?
check "open exits 1, names the record, prints the others" \
	test $rc = 1 -a -n "$(has 'device 1 seq 3: authentication failed' "$T/err" && echo y)" \
	     -a "$(grep -c 'dev1|seq' "$T/out")" = 3
"$cylctl" records verify --key "$T/key2" "$T/clean/$seg1" > "$T/out" 2>&1; rc=$?
check "verify with the wrong key fails every sealed record" \
	test $rc = 1 -a "$(grep -c 'authentication failed' "$T/out")" = 4

# --- a flipped bit without a new CRC: a bad frame in the middle ---
cp "$T/clean/$seg1" "$T/flipped.cyls"
printf '\x00' | dd of="$T/flipped.cyls" bs=1 seek=$((96 + 104 + 20)) conv=notrunc 2>/dev/null
"$cylctl" records verify "$T/flipped.cyls" > "$T/out" 2>&1; rc=$?
check "verify reports a bad CRC with its offset and reads on" \
	bash -c "[ $rc = 1 ] && grep -q 'offset 200: bad_crc: CRC mismatch' '$T/out' &&
		 grep -q 'device 1: gap: seq 2 missing (1 record) before seq 3' '$T/out' &&
		 grep -q ' 3 records' '$T/out'"

# --- a torn tail: reported by verify, cut by the next writer ---
printf '\x74\x00\x00\x00CYLR\x01\x00' >> "$T/sp/$seg1"
"$cylctl" records verify "$T/sp" > "$T/out" 2>&1
check "verify reports a torn tail" has "to the end of the file (a torn write?)" "$T/out"
"$mkspool" --key "$T/key" "$T/sp" 3:10 > "$T/out" 2>&1
check "opening the spool cuts it and says so" has "torn tail of 10 bytes cut at offset 1072" "$T/out"
"$cylctl" records verify --key "$T/key" "$T/sp" > "$T/out" 2>&1
check "...and appending goes on: 11 records, only the old gap" \
	has "FAILED: 1 problem; 1 segment, 11 records (9 sealed, 2 unsealed), 9 authenticated" "$T/out"

# --- usage ---
"$cylctl" records verify > "$T/out" 2>&1; r1=$?
"$cylctl" records open "$T/sp" > "$T/out" 2>&1; r2=$?
"$cylctl" records frobnicate "$T/sp" > "$T/out" 2>&1; r3=$?
"$cylctl" records open --key "$T/key" --raw --json "$T/sp" > "$T/out" 2>&1; r4=$?
check "usage errors exit 2 (no segment, open without --key, unknown, --raw --json)" \
	test "$r1$r2$r3$r4" = 2222
"$cylctl" records --help > "$T/out" 2>&1; r1=$?
"$cylctl" key --help > "$T/out2" 2>&1; r2=$?
check "records --help and key --help exit 0" \
	test "$r1$r2" = 00 -a -n "$(has 'records verify' "$T/out" && has 'key load' "$T/out2" && echo y)"
chmod 644 "$T/key"
"$cylctl" records verify --key "$T/key" "$T/clean" > /dev/null 2> "$T/out"
check "a group/world-readable key file gets a warning" has "readable by its group or by others" "$T/out"
chmod 600 "$T/key"
check "no output ever contains the key" \
	bash -c "! grep -rqF '$(cat "$T/key")' '$T'/out* '$T/err'"

# --- key load, against a stand-in agent ---
# agent REPLY: answer one request on $T/ctl.sock with REPLY, saving it.
agent() {
	rm -f "$T/ctl.sock"
	python3 - "$T/ctl.sock" "$1" "$T/request" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(1); s.settimeout(10)
c, _ = s.accept(); data = b""
while not data.endswith(b"\n"):
    d = c.recv(4096)
    if not d:
        break
    data += d
open(sys.argv[3], "wb").write(data)
c.sendall(sys.argv[2].encode() + b"\n"); c.close()
PY
	for _ in $(seq 50); do [ -S "$T/ctl.sock" ] && return; sleep 0.1; done
}
dev=cyltest-$$
"$cylctl" key load 'Bad Name' "$T/key" > "$T/out" 2>&1; rc=$?
check "key load refuses a device name outside [a-z0-9._-]{1,32} (exit 2)" test $rc = 2
agent '{"ok":false,"error":"unknown command \"key_loaded\""}'
"$cylctl" -s "$T/ctl.sock" key load "$dev" "$T/key" > "$T/out" 2>&1; rc=$?
wait
if has "add_key(" "$T/out"; then
	# Never a silent skip: a kernel without keyrings fails, saying so.
	not_ok "key load: the kernel keyring (CONFIG_KEYS, add_key) is missing: $(grep add_key "$T/out")" "$T/out"
else
	serial=$(sed -n 's/.*(serial \([0-9]*\)).*/\1/p' "$T/out" | head -n 1)
	[ -n "$serial" ] && keys+=("$serial")
	check "key load adds a logon key cylcomed:DEVICE to the user keyring" \
		grep -qE "logon +cylcomed:$dev: 32\$" /proc/keys
	check "key load sends key_loaded with the device to the agent" \
		python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r=={"cmd":"key_loaded","device":sys.argv[2]}, r' \
		"$T/request" "$dev"
	check "an agent without key_loaded: exit 1, key in the keyring, agent did not take it" \
		test $rc = 1 -a -n "$(grep 'the key is in the keyring (cylcomed:'"$dev"', serial [0-9]*) but the agent did not take it: this cylcomedd does not know the "key_loaded" command' "$T/out")"
	agent '{"ok":true}'
	"$cylctl" -s "$T/ctl.sock" key load "$dev" - < "$T/key" > "$T/out" 2>&1; rc=$?
	wait
	check "an agent that takes it: exit 0, same key updated in place" \
		test $rc = 0 -a -n "$(has "$dev: the agent took the key" "$T/out" && echo y)" \
		     -a "$(grep -c "cylcomed:$dev:" /proc/keys)" = 1
fi

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
