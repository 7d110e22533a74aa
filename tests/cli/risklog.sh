#!/bin/bash
# cylctl log verify|prove|consistency|show against risk logs written by
# the writer (build/tests/cli/mkrisklog), and tampered copies of them.
# The proofs, roots and signatures are also checked here by code that
# shares nothing with cylcomed: Python's hashlib from the documented
# byte layout, and the openssl command for Ed25519.  TAP output.
#
#   tests/cli/risklog.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
mk=$build/tests/cli/mkrisklog
. tests/cli/tap.bash

for b in "$cylctl" "$mk"; do
	[ -x "$b" ] || { echo "not ok 1 - $b not built (make agent unit-tests)"; exit 1; }
done
T=$(mktemp -d /tmp/cylctl-risklog.XXXXXX)
trap 'rm -rf "$T"' EXIT
pub=$T/signing.key.pub
log() { "$cylctl" log "$@" > "$T/out" 2> "$T/err"; rc=$?; cat "$T/err" >> "$T/out"; }

# Entry frame offsets (the documented layout: 32-byte header, then
# length, bytes, CRC) for the Python snippets below.
cat > "$T/frames.py" <<'PY'
import struct
def frames(path):
    d = open(path, "rb").read()
    o, out = 32, []
    while o + 4 <= len(d):
        n = struct.unpack_from("<I", d, o)[0]
        out.append((o, n, d[o + 4:o + 4 + n]))
        o += 8 + n
    return d, out
PY

# --- a log of 20 entries, a head after every 4 ---
"$mk" --key "$T/signing.key" --sign-every 4 "$T/log" 20 > "$T/mk" 2>&1 || not_ok "mkrisklog" "$T/mk"
check "the writer creates the key 0600 and its .pub" \
	test "$(stat -c %a "$T/signing.key")" = 600 -a -n "$(grep 'BEGIN PUBLIC KEY' "$pub")"
log verify --pubkey "$pub" "$T/log"
check "verify of a good log exits 0 and counts entries, heads, proofs" \
	test $rc = 0 -a -n "$(has "ok: 0 problems; 20 entries, 5 heads (5 good), 4 consistency proofs" "$T/out" && echo y)"
check "verify names the latest head and the root the writer has" \
	has "latest good head 4: size 20, signed 20" "$T/out"
root=$(sed -n 's/.*root \([0-9a-f]*\)$/\1/p' "$T/mk")
check "...the same root" has "root $root" "$T/out"

check "an independent MTH of the entries (hashlib) gives that root" \
	python3 - "$T/log/entries" "$root" <<PY
import hashlib, sys
exec(open("$T/frames.py").read())
d, fr = frames(sys.argv[1])
def mth(v):
    if len(v) == 1:
        return hashlib.sha256(b"\0" + v[0]).digest()
    k = 1
    while k * 2 < len(v):
        k *= 2
    return hashlib.sha256(b"\1" + mth(v[:k]) + mth(v[k:])).digest()
assert mth([e for _, _, e in fr]).hex() == sys.argv[2]
PY

# Every head: its CRC and signed bytes per Documentation/risk.md; the
# signature checked by the openssl command.
python3 - "$T/log/heads" "$T" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"CYLRISKH" and (len(d) - 32) % 116 == 0
for i in range((len(d) - 32) // 116):
    r = d[32 + 116 * i:32 + 116 * (i + 1)]
    assert struct.unpack_from("<I", r, 112)[0] == zlib.crc32(r[:112])
    size, root, ts = struct.unpack_from("<Q", r, 0)[0], r[8:40], r[40:48]
    tbs = b"cylcomed risk log tree head v1\0" + struct.pack("<Q", size) + root + ts
    open(f"{sys.argv[2]}/tbs{i}", "wb").write(tbs)
    open(f"{sys.argv[2]}/sig{i}", "wb").write(r[48:112])
PY
good=0
for i in 0 1 2 3 4; do
	openssl pkeyutl -verify -pubin -inkey "$pub" -rawin -in "$T/tbs$i" \
		-sigfile "$T/sig$i" > /dev/null 2>&1 && good=$((good + 1))
done
check "openssl verifies all 5 head signatures over the documented bytes" test $good = 5

# --- prove ---
log prove --index 13 --pubkey "$pub" "$T/log"
check "prove exits 0 and says the proof verifies" \
	test $rc = 0 -a -n "$(has "ok: the inclusion proof of entry 13 in the tree of size 20 verifies against head 4's signed root" "$T/out" && echo y)"
check "...and the printed path verifies by RFC 9162 2.1.3.2 in Python, from the entry's bytes" \
	python3 - "$T/out" "$T/log/entries" <<PY
import hashlib, re, sys
exec(open("$T/frames.py").read())
out = open(sys.argv[1]).read()
leaf = bytes.fromhex(re.search(r"^leaf +([0-9a-f]{64})$", out, re.M).group(1))
root = bytes.fromhex(re.search(r"^root +([0-9a-f]{64})$", out, re.M).group(1))
path = [bytes.fromhex(h) for h in re.findall(r"^path +\d+ ([0-9a-f]{64})$", out, re.M)]
d, fr = frames(sys.argv[2])
assert leaf == hashlib.sha256(b"\0" + fr[13][2]).digest()
H = lambda a, b: hashlib.sha256(b"\1" + a + b).digest()
fn, sn, r = 13, 19, leaf
for p in path:
    assert sn != 0
    if fn & 1 or fn == sn:
        r = H(p, r)
        while not fn & 1 and fn:
            fn >>= 1; sn >>= 1
    else:
        r = H(r, p)
    fn >>= 1; sn >>= 1
assert sn == 0 and r == root and len(path) == 5, (len(path), sn)
PY
log prove --index 20 --pubkey "$pub" "$T/log"
check "prove of an entry no head covers exits 1" \
	test $rc = 1 -a -n "$(has "entry 20 is not covered by the latest good head (head 4, size 20)" "$T/out" && echo y)"

# --- consistency ---
log consistency --from 8 --to 20 --pubkey "$pub" "$T/log"
check "consistency between the heads of sizes 8 and 20 exits 0 and verifies" \
	test $rc = 0 -a -n "$(has "ok: the consistency proof from size 8 to size 20 verifies" "$T/out" && echo y)"
check "...and the printed proof verifies by RFC 9162 2.1.4.2 in Python" \
	python3 - "$T/out" <<'PY'
import hashlib, re, sys
out = open(sys.argv[1]).read()
r1 = bytes.fromhex(re.search(r"^from head \d+: size 8, root ([0-9a-f]{64})$", out, re.M).group(1))
r2 = bytes.fromhex(re.search(r"^to +head \d+: size 20, root ([0-9a-f]{64})$", out, re.M).group(1))
path = [bytes.fromhex(h) for h in re.findall(r"^proof +\d+ ([0-9a-f]{64})$", out, re.M)]
H = lambda a, b: hashlib.sha256(b"\1" + a + b).digest()
m, n = 8, 20
if m & (m - 1) == 0:
    path = [r1] + path
fn, sn = m - 1, n - 1
while fn & 1:
    fn >>= 1; sn >>= 1
fr = sr = path[0]
for c in path[1:]:
    assert sn != 0
    if fn & 1 or fn == sn:
        fr, sr = H(c, fr), H(c, sr)
        while not fn & 1 and fn:
            fn >>= 1; sn >>= 1
    else:
        sr = H(sr, c)
    fn >>= 1; sn >>= 1
assert fr == r1 and sr == r2 and sn == 0
PY
log consistency --from 9 --to 20 --pubkey "$pub" "$T/log"
check "consistency from a size no head has exits 1, saying so" \
	test $rc = 1 -a -n "$(has "no good signed head of size 9" "$T/out" && echo y)"

# --- show ---
log show --from 3 --count 2 "$T/log"
printf '%s\n' '{"seq":3,"type":"tty_open","device":"monitor-icu-1","risk":"R-0003"}' \
	'{"seq":4,"type":"tty_open","device":"monitor-icu-1","risk":"R-0004"}' > "$T/expect"
check "show --from 3 --count 2 prints exactly entries 3 and 4" cmp -s "$T/out" "$T/expect"
log show "$T/log"
check "show prints every entry as one line of JSON" python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert [json.loads(l)["seq"] for l in lines] == list(range(20))' "$T/out"

# --- tampered copies: verify exits 1 and names the place ---
tamper() {	# NAME PYTHON: a copy of the log, changed by PYTHON (d: bytes, fr: frames)
	rm -rf "$T/$1"; cp -r "$T/log" "$T/$1"
	python3 - "$T/$1/entries" <<PY
import struct, sys
exec(open("$T/frames.py").read())
d, fr = frames(sys.argv[1])
d = bytearray(d)
$2
open(sys.argv[1], "wb").write(d)
PY
}
tamper flip 'd[fr[7][0] + 4 + 7] ^= 1'
off7=$(python3 -c "
exec(open('$T/frames.py').read()); print(frames('$T/log/entries')[1][7][0])")
log verify --pubkey "$pub" "$T/flip"
check "a flipped byte: exit 1, the entry's CRC with its offset" \
	test $rc = 1 -a -n "$(has "$T/flip/entries: entry 7 (offset $off7): CRC mismatch" "$T/out" && echo y)"
check "...and the heads from there on, located between heads 0 and 1" \
	bash -c "grep -qF 'head 1 (size 8, offset 148): root mismatch' '$T/out' &&
		 grep -qF 'located: entries 4..7 hold the change' '$T/out'"

tamper swap '(a, la, _), (b, lb, _) = fr[5], fr[6]; d[a:b + lb + 8] = d[b:b + lb + 8] + d[a:a + la + 8]'
log verify --pubkey "$pub" "$T/swap"
check "two swapped entries: exit 1, named as swapped" \
	test $rc = 1 -a -n "$(has "located: entries 5 and 6 (offsets" "$T/out" && has "are swapped: exchanged back, head 1 (size 8) matches" "$T/out" && echo y)"

tamper drop 'o, l, _ = fr[9]; del d[o:o + l + 8]'
log verify --pubkey "$pub" "$T/drop"
check "a dropped entry: exit 1, the heads beyond the entries, the range located" \
	test $rc = 1 -a -n "$(has "head 4 (size 20, offset 496): covers 20 entries, the entries file holds 19: 1 entry missing" "$T/out" &&
			      has "located: entries 8..11 hold the change" "$T/out" && echo y)"

tamper cut 'del d[fr[18][0]:]'
log verify --pubkey "$pub" "$T/cut"
check "a truncated tail: exit 1, the missing entries after the last good head" \
	test $rc = 1 -a -n "$(has "covers 20 entries, the entries file holds 18: 2 entries missing" "$T/out" &&
			      has "cut off the end, or dropped from entry 16 on: head 3 (size 16) is the last that matches" "$T/out" && echo y)"
"$mk" --key "$T/signing.key" "$T/cut" 1 > "$T/out" 2>&1; rc=$?
check "...and the writer refuses to append to it" \
	test $rc = 1 -a -n "$(has "head 4 (size 20) covers 20 entries, but entries holds 18 whole ones" "$T/out" && echo y)"

openssl genpkey -algorithm ED25519 -out "$T/other.key" > /dev/null 2>&1
openssl pkey -in "$T/other.key" -pubout -out "$T/other.pub" > /dev/null 2>&1
log verify --pubkey "$T/other.pub" "$T/log"
check "another public key: exit 1, every head's signature named" \
	test $rc = 1 -a "$(grep -c 'the signature does not verify with the public key' "$T/out")" = 5

# --- a torn tail: a note for verify, cut by the next writer ---
cp -r "$T/log" "$T/torn"
printf '\x40\x00\x00\x00{"seq":20' >> "$T/torn/entries"
log verify --pubkey "$pub" "$T/torn"
check "a torn tail: exit 0, noted with its offset" \
	test $rc = 0 -a -n "$(has "note: offset $(($(stat -c %s "$T/log/entries"))): 13 bytes after the last whole entry are a torn write" "$T/out" && echo y)"
"$mk" --key "$T/signing.key" "$T/torn" 2 20 > "$T/out" 2>&1
check "...the writer cuts it and appends" has "torn tail of 13 bytes cut at offset" "$T/out"
log verify --pubkey "$pub" "$T/torn"
check "...and all of it verifies" \
	test $rc = 0 -a -n "$(has "ok: 0 problems; 22 entries, 6 heads (6 good)" "$T/out" && echo y)"

# --- usage ---
log; r1=$rc
log frobnicate "$T/log"; r2=$rc
log prove "$T/log"; r3=$rc
log show --to 3 "$T/log"; r4=$rc
log verify "$T/log" "$T/log"; r5=$rc
log consistency --from 1 "$T/log"; r6=$rc
check "usage errors exit 2 (none, unknown, prove without --index, --to for show, two dirs, half a range)" \
	test "$r1$r2$r3$r4$r5$r6" = 222222
log --help; r1=$rc
log verify --help; r2=$rc
check "log --help exits 0" test "$r1$r2" = 00 -a -n "$(has "cylctl log verify" "$T/out" && echo y)"
log verify --pubkey "$T/nonexistent.pub" "$T/log"
check "a missing public key file: exit 1, named" \
	test $rc = 1 -a -n "$(has "$T/nonexistent.pub: No such file or directory" "$T/out" && echo y)"
log verify --pubkey "$pub" "$T/nolog"
check "a missing log: exit 1, the entries file named" \
	test $rc = 1 -a -n "$(has "$T/nolog/entries: No such file or directory" "$T/out" && echo y)"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
