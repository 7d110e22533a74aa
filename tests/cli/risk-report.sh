#!/bin/bash
# cylctl risk report against a risk log of realistic events written by
# the writer (build/tests/cli/mkrisklog --stdin) and the shipped register
# (etc/policy.yaml): the three formats, the head they name, --since, a
# tampered log and a wrong key (no report), usage errors; and the HTML
# rendered by headless Chromium, its screenshot decoded with Python's zlib
# to find the heat map's three colours.  TAP output.
#
#   tests/cli/risk-report.sh [BUILD_DIR]
#   CHROMIUM=PROGRAM    the browser (default chromium, Debian's package)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
mk=$build/tests/cli/mkrisklog
policy=etc/policy.yaml
chromium=${CHROMIUM:-chromium}
. tests/cli/tap.bash

for b in "$cylctl" "$mk"; do
	[ -x "$b" ] || { echo "not ok 1 - $b not built (make agent unit-tests)"; exit 1; }
done
T=$(mktemp -d /tmp/cylctl-risk-report.XXXXXX)
trap 'rm -rf "$T"' EXIT
pub=$T/signing.key.pub
# report ARGS...: stdout to $T/report, stdout and stderr to $T/out.
report() {
	"$cylctl" risk report "$@" > "$T/report" 2> "$T/err"; rc=$?
	cat "$T/report" "$T/err" > "$T/out"
}

# --- a log of 16 events over the last 10 days, as the agent writes them ---
python3 - > "$T/events.jsonl" <<'PY'
import json, time
now = int(time.time())
seq = 0
def ev(days_ago, type_, entry, device=None, **kw):
    global seq
    seq += 1
    t = now - int(days_ago * 86400)
    e = {"time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".250Z",
         "host": "gw-icu", "seq": seq, "type": type_, "device": device,
         "subject": None, "verdict": kw.pop("verdict", "deny"), "reason": kw.pop("reason", "r")}
    e.update(kw)
    e["risk_entry"] = entry
    print(json.dumps(e, separators=(",", ":")))
for i in range(6):	# 6 blocked USB devices on two ports
    ev(9 - i, "usb_device", "R-USB-ROGUE", target="block", risk="rogue-usb-device",
       usb={"port": "1-%d" % (1 + i % 2), "id": "0627:0001", "authorized": False})
for i in range(4):	# 4 refused writes to the pump
    ev(5.2 - i, "write_refused", "R-SERIAL-INJECT", "pump", reason="not_allowed",
       tty="ttyUSB3", len=13, bytes="53 45 54 20 52 41 54 45 20 39 39 39 0d")
ev(2.5, "write_refused", "R-SERIAL-INJECT", "<b>x</b>&'\"", reason="not_allowed")
for i in range(3):	# 3 bad frames from the monitor
    ev(8 - i, "bad_frame", "R-DATA-TAMPER", "monitor-hl7", verdict="audit", reason="checksum")
ev(1, "control_denied", "R-CRED-MISUSE", subject={"pid": 733, "uid": 65534, "comm": "cylctl"})
ev(0.5, "control_denied", "R-CRED-MISUSE")
PY
"$mk" --key "$T/signing.key" --sign-every 5 --stdin "$T/log" < "$T/events.jsonl" > "$T/mk" 2>&1 ||
	not_ok "mkrisklog --stdin" "$T/mk"
check "mkrisklog --stdin writes one entry per line" has "size 16, root" "$T/mk"
root=$(sed -n 's/.*root \([0-9a-f]*\)$/\1/p' "$T/mk")

# Two entries after the last head, framed as the writer frames them: unsigned.
python3 - "$T/log/entries" <<'PY'
import struct, sys, zlib
with open(sys.argv[1], "ab") as f:
    for e in (b'{"time":"2025-05-01T00:00:00Z","type":"bad_frame","risk_entry":"R-DATA-TAMPER"}',
              b'{"time":"2025-05-01T00:00:01Z","type":"bad_frame","risk_entry":"R-DATA-TAMPER"}'):
        fr = struct.pack("<I", len(e)) + e
        f.write(fr + struct.pack("<I", zlib.crc32(fr)))
PY
"$cylctl" log verify --pubkey "$pub" "$T/log" > "$T/verify" 2>&1
check "the log verifies: 18 entries, the latest good head covers 16" \
	has "latest good head 3: size 16" "$T/verify"

# --- Markdown ---
report --policy "$policy" --log "$T/log" --pubkey "$pub"
check "md: exit 0" test $rc = 0
check "md: names the head, its size and its root as log verify has them" \
	bash -c "grep -qF -- '- Computed from signed head 3: tree size 16, signed ' '$T/report' &&
		 grep -qF -- '- Root: $root' '$T/report' && grep -qF 'root $root' '$T/verify'"
check "md: says the 2 entries after the head are unsigned and left out" \
	has "- Unsigned: 2 entries after this head are not signed yet and not in this report" "$T/report"
check "md: every entry of the shipped register" python3 - "$T/report" "$policy" <<'PY'
import re, sys
ids = re.findall(r"^    - id: (R-[A-Z0-9-]+)$", open(sys.argv[2]).read(), re.M)
text = open(sys.argv[1]).read()
assert len(ids) == 10 and all(i in text for i in ids), ids
PY
check "md: entries ALARP before acceptable, most evidence first, the rest in register order" \
	python3 - "$T/report" <<'PY'
import sys
text = open(sys.argv[1]).read()
table = text.split("## Entries")[1].split("## ")[0]
rows = [l.split("|")[1].strip() for l in table.splitlines() if l.startswith("| R-")]
assert rows == ["R-USB-ROGUE", "R-SERIAL-INJECT", "R-CRED-MISUSE", "R-VITALS-SPOOF",
                "R-EXFIL", "R-ROGUE-PROC", "R-UPDATE-UNSIGNED", "R-DATA-TAMPER",
                "R-SSI-REFUSED", "R-SSI-KEY-MISUSE"], rows
PY
check "md: R-SERIAL-INJECT's 5 refused writes flagged for review against 0.1/year" \
	bash -c "grep -E '^\| R-SERIAL-INJECT \| 5 \|.*\*\*REVIEW\*\* \|$' '$T/report' >/dev/null"
check "md: devices by their names and USB ports, the gateway for the rest" \
	bash -c "grep -qF '| pump | 4 | alarp (R-SERIAL-INJECT) | R-SERIAL-INJECT (4) |' '$T/report' &&
		 grep -qF '| usb:1-1 | 3 | alarp (R-USB-ROGUE)' '$T/report' &&
		 grep -qF '| gateway | 2 | alarp (R-CRED-MISUSE)' '$T/report' &&
		 grep -qF '| monitor-hl7 | 3 | acceptable (R-DATA-TAMPER)' '$T/report'"
check "md: the log's hostile device name is inert" \
	has "| \\<b\\>x\\</b\\>\\&'\" | 1 |" "$T/report"
check "md: the benefit-risk statements" \
	bash -c "grep -qF '### R-USB-ROGUE: Rogue USB device plugged into the gateway' '$T/report' &&
		 grep -qF 'continuous central monitoring outweighs this residual risk.' '$T/report'"

# --- JSON ---
report --policy "$policy" --log "$T/log" --pubkey "$pub" --format json
check "json: exit 0, the documented keys, the head, counts, devices and trend" \
	python3 - "$T/report" "$root" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert list(r) == ["format_version", "policy", "log", "window", "scales", "matrix",
                   "entries", "devices", "not_counted"], list(r)
h = r["log"]["head"]
assert (h["index"], h["size"], h["root"]) == (3, 16, sys.argv[2]), h
assert r["log"]["entries"] == 18 and r["log"]["unsigned"] == 2
assert len(r["policy"]["sha256"]) == 64 and len(r["log"]["key_sha256"]) == 64
e = {x["id"]: x for x in r["entries"]}
assert len(e) == 10
assert [e[i]["count"] for i in ("R-USB-ROGUE", "R-SERIAL-INJECT", "R-DATA-TAMPER",
                                "R-CRED-MISUSE", "R-EXFIL")] == [6, 5, 3, 2, 0]
assert e["R-SERIAL-INJECT"]["review"] is True and e["R-CRED-MISUSE"]["review"] is False
assert e["R-DATA-TAMPER"]["residual"]["acceptability"] == "acceptable"
assert sum(d["count"] for d in e["R-USB-ROGUE"]["trend"]) == 6
d = {x["device"]: x for x in r["devices"]}
assert set(d) == {"pump", "usb:1-1", "usb:1-2", "monitor-hl7", "gateway", "<b>x</b>&'\""}, d
assert r["window"]["since"] is None and r["window"]["events"] == 16
assert r["not_counted"] == {"unreadable": 0, "unreadable_entries": [], "unknown": 0,
                            "unknown_ids": [], "unmatched": 0, "before_window": 0}
PY
report --policy "$policy" --log "$T/log" --pubkey "$pub" --format json --since 3d
check "json --since 3d: only the last 3 days, the rest counted before the window" \
	python3 - "$T/report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = {x["id"]: x for x in r["entries"]}
assert r["window"]["since"] == "3d" and r["window"]["seconds"] == 3 * 86400, r["window"]
# In the last 3 days: a refused write to the pump and the hostile one, 2 denials.
assert e["R-SERIAL-INJECT"]["count"] == 2 and e["R-CRED-MISUSE"]["count"] == 2, e
assert e["R-USB-ROGUE"]["count"] == 0 and r["not_counted"]["before_window"] == 12
PY

# --- an auditor checks the report's head against a later log ---
rm -rf "$T/later"; cp -r "$T/log" "$T/later"
head -n 2 "$T/events.jsonl" | "$mk" --key "$T/signing.key" --stdin "$T/later" > "$T/mk" 2>&1 ||
	not_ok "mkrisklog: two more entries" "$T/mk"
"$cylctl" log consistency --from 16 --to 20 --pubkey "$pub" "$T/later" > "$T/out" 2>&1; rc=$?
check "log consistency from the report's head to a later one: ok, from the report's root" \
	test $rc = 0 -a -n "$(has "from head 3: size 16, root $root" "$T/out" &&
		has "ok: the consistency proof from size 16 to size 20 verifies" "$T/out" && echo y)"

# --- HTML ---
report --policy "$policy" --log "$T/log" --pubkey "$pub" --format html --output "$T/report.html"
check "html --output: exit 0, nothing on standard output, the file written" \
	test $rc = 0 -a ! -s "$T/report" -a -s "$T/report.html"
check "html: one self-contained file, no URL, no script" \
	bash -c "! grep -qE 'https?://|<script|<link|<img|src=|@import' '$T/report.html' &&
		 grep -qF '<svg class=\"heatmap\"' '$T/report.html' &&
		 grep -qF '<style>' '$T/report.html' && tail -n 1 '$T/report.html' | grep -qF '</html>'"
check "html: 25 heat map cells; the log's text escaped" \
	bash -c "test \$(grep -o '<rect class=\"cell\"' '$T/report.html' | wc -l) = 25 &&
		 grep -qF '&lt;b&gt;x&lt;/b&gt;&amp;&#39;&quot;' '$T/report.html' &&
		 ! grep -qF '<b>x</b>' '$T/report.html'"

# --- the HTML in a browser: the heat map must be drawn ---
# The cell colours of report_html.c: acceptable, ALARP, unacceptable.
colours="81c784 ffd54f e57373"
cat > "$T/png.py" <<'PY'
# Count the pixels of the given RGB colours in a PNG (8-bit RGB or RGBA,
# not interlaced), decoded with zlib and struct only.
import struct, sys, zlib
from collections import Counter
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
o, idat = 8, []
while o < len(d):
    n, t = struct.unpack_from(">I4s", d, o)
    if t == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack_from(">IIBBBBB", d, o + 8)
    elif t == b"IDAT":
        idat.append(d[o + 8:o + 8 + n])
    o += 12 + n
assert depth == 8 and ctype in (2, 6) and not interlace, (depth, ctype, interlace)
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(b"".join(idat)), w * bpp
prev, count = bytearray(stride), Counter()
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride) if f else ():
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + ((a + b) >> 1)) & 255
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        count[bytes(line[x:x + 3])] += 1
    prev = line
print(" ".join("%s=%d" % (c, count[bytes.fromhex(c)]) for c in sys.argv[2:]))
PY
# shot HTML PNG: a 1200x900 screenshot by headless Chromium.
shot() {
	timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--no-default-browser-check --disable-extensions --hide-scrollbars \
		--force-color-profile=srgb --user-data-dir="$T/chromium" \
		--window-size=1200,900 --screenshot="$2" "file://$1" > "$T/chromium.log" 2>&1
}
# enough FILE: each heat map colour on more than 1000 pixels.
enough() { python3 -c '
import sys
c = dict(kv.split("=") for kv in open(sys.argv[1]).read().split())
sys.exit(0 if all(int(v) > 1000 for v in c.values()) else 1)' "$1"; }

if ! command -v "$chromium" > /dev/null; then
	not_ok "$chromium is not installed: install the Debian package chromium (scripts/setup does)"
else
	start=$(date +%s)
	shot "$T/report.html" "$T/report.png"; rc=$?
	python3 "$T/png.py" "$T/report.png" $colours > "$T/pixels" 2>&1
	cat "$T/chromium.log" "$T/pixels" > "$T/out"
	check "chromium renders the HTML report to a 1200x900 PNG in $(($(date +%s) - start)) s" \
		test $rc = 0 -a -s "$T/report.png"
	cat "$T/pixels" > "$T/out"
	check "the screenshot shows the heat map: $(cat "$T/pixels")" enough "$T/pixels"

	# The same page without its heat map: the colours must be gone.
	python3 - "$T/report.html" "$T/noheatmap.html" <<'PY'
import sys
s = open(sys.argv[1]).read()
a = s.index('<svg class="heatmap"')
b = s.index("</svg>\n<h2>Entries</h2>")
open(sys.argv[2], "w").write(s[:a] + s[b + len("</svg>\n"):])
PY
	shot "$T/noheatmap.html" "$T/noheatmap.png"
	python3 "$T/png.py" "$T/noheatmap.png" $colours > "$T/pixels" 2>&1
	cat "$T/pixels" > "$T/out"
	check "...and without the SVG, the check fails: $(cat "$T/pixels")" \
		bash -c "test -s '$T/noheatmap.png' && ! python3 -c '
import sys
c = dict(kv.split(\"=\") for kv in open(sys.argv[1]).read().split())
sys.exit(0 if any(int(v) > 0 for v in c.values()) else 1)' '$T/pixels'"
fi

# --- no report from a log that does not verify ---
rm -rf "$T/flip"; cp -r "$T/log" "$T/flip"
python3 - "$T/flip/entries" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[32 + 4 + 10] ^= 1	# a byte of entry 0
open(sys.argv[1], "wb").write(d)
PY
report --policy "$policy" --log "$T/flip" --pubkey "$pub"
check "a tampered log: exit 1, the verifier's problems, no report" \
	test $rc = 1 -a ! -s "$T/report" -a -n "$(has "$T/flip/entries: entry 0 (offset 32): CRC mismatch" "$T/out" &&
		has "cylctl: risk report: $T/flip: the log does not verify" "$T/out" && echo y)"
openssl genpkey -algorithm ED25519 -out "$T/other.key" > /dev/null 2>&1
openssl pkey -in "$T/other.key" -pubout -out "$T/other.pub" > /dev/null 2>&1
report --policy "$policy" --log "$T/log" --pubkey "$T/other.pub" --format html
check "another public key: exit 1, every head's signature named, no report" \
	test $rc = 1 -a ! -s "$T/report" -a "$(grep -c 'the signature does not verify with the public key' "$T/out")" = 4
report --policy "$policy" --log "$T/log" --pubkey "$T/nonexistent.pub"
check "a missing public key: exit 1, named" \
	test $rc = 1 -a -n "$(has "$T/nonexistent.pub: No such file or directory" "$T/out" && echo y)"
printf 'version: 1\n' > "$T/norisk.yaml"
report --policy "$T/norisk.yaml" --log "$T/log" --pubkey "$pub"
check "a policy without a risk section: exit 1, said" \
	test $rc = 1 -a -n "$(has "$T/norisk.yaml: the policy has no risk section" "$T/out" && echo y)"

# --- usage ---
"$cylctl" risk > "$T/out" 2>&1; r1=$?
"$cylctl" risk frobnicate > "$T/out" 2>&1; r2=$?
report --format pdf; r3=$rc
report --since yesterday; r4=$rc
report --since 7d "$T/log"; r5=$rc
check "usage errors exit 2 (none, unknown, --format pdf, --since yesterday, an argument)" \
	test "$r1$r2$r3$r4$r5" = 22222
report --help
check "risk report --help exits 0" test $rc = 0 -a -n "$(has "cylctl risk report" "$T/out" && echo y)"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
