# SSI access to CP-ABE keys: a holder fetches a one-time challenge,
# presents her ClinicianCredential and gets a key for the attributes its
# claims map to, which opens a file sealed for them and no other; a
# replayed presentation, an untrusted issuer, a revoked credential, a
# forged challenge and claims that map to nothing are refused, each an
# ssi_refuse event and a risk-log entry with its reason; a master key
# others may read refuses the policy; the loopback HTTP endpoint answers
# as the control socket does and refuses malformed HTTP.
#
#   cylctl abe setup -> master.key (0600) ---policy ssi.master_key--> cylcomedd
#   cylctl ssi did create|issue|status-list -> hr (issuer), alice, bob (revoked), mallory
#   cylctl ssi login --control.sock: ssi_challenge, ssi_present--> cylcomedd
#       --verify, map, cyl_fame_keygen--> alice.abe --cylctl abe decrypt--> sealed file
#   python3 --HTTP 127.0.0.1:9465 POST /ssi/challenge, /ssi/presentation--> cylcomedd
#   cylcomedd --ssi_grant/ssi_refuse--> events.jsonl, risk log (R-SSI-*) --cylctl log verify
. tests/vm/lib.sh

ctl() { "$CYLCTL" -s "$AGENT_SOCK" "$@"; }
S=$SCRATCH
URL=https://hospital.example/status/1
DOMAIN=gw-icu-1.hospital.example
EVENTS=$S/events.jsonl
mkdir -p "$S/did-web" "$S/status"

# --- the authority, the issuers, the holders, their credentials ---
ctl abe setup --master "$S/master.key" --public "$S/abe-public.key" > /dev/null ||
	fail "cylctl abe setup"
hr=$(ctl ssi did create -o "$S/hr.key") || fail "ssi did create (issuer)"
rogue=$(ctl ssi did create -o "$S/rogue.key") || fail "ssi did create (rogue issuer)"
alice=$(ctl ssi did create --type p256 -o "$S/alice.key") || fail "ssi did create (alice)"
bob=$(ctl ssi did create -o "$S/bob.key") || fail "ssi did create (bob)"
carol=$(ctl ssi did create -o "$S/carol.key") || fail "ssi did create (carol)"
issue() {	# issue KEY HOLDER CLAIMS INDEX OUT
	echo "$3" > "$S/claims.json"
	ctl ssi issue --key "$1" --type ClinicianCredential --subject "$2" \
		--claims "$S/claims.json" --status "$URL#$4" -o "$5" ||
		fail "ssi issue $5"
}
issue "$S/hr.key" "$alice" '{"role":"cardiologist","ward":["ICU","CCU"],"name":"Alice"}' 42 "$S/alice.vc"
issue "$S/hr.key" "$bob" '{"role":"cardiologist","ward":"ICU"}' 7 "$S/bob.vc"
issue "$S/hr.key" "$carol" '{"name":"Carol","ward":"I C U"}' 43 "$S/carol.vc"
issue "$S/rogue.key" "$alice" '{"role":"dpo"}' 1 "$S/mallory.vc"
# Bob's credential is revoked: bit 7 of the list the agent finds by URL.
list=$(printf %s "$URL" | sha256sum | cut -d' ' -f1).json
ctl ssi status-list --key "$S/hr.key" --url "$URL" --set 7 -o "$S/status/$list" > /dev/null ||
	fail "ssi status-list"

cat > "$S/policy.yaml" <<POLICY
version: 1
devices: []
ssi:
  domain: $DOMAIN
  master_key: $S/master.key
  trusted_issuers:
    - type: ClinicianCredential
      issuers: [$hr]
  mapping:
    - {credential: ClinicianCredential, claim: role, attribute: role}
    - {credential: ClinicianCredential, claim: ward, attribute: ward}
  did_web_cache: $S/did-web
  status_lists: $S/status
  http: 127.0.0.1:9465
POLICY
# The shipped risk register: its R-SSI-* entries take grants and refusals.
sed -n '/^risk:/,$p' etc/policy.yaml >> "$S/policy.yaml"
ctl policy check "$S/policy.yaml" > /dev/null || fail "policy check"
start_agent "$S/policy.yaml"
grep -q 'SSI endpoint on http://127.0.0.1:9465/ssi/' "$AGENT_LOG" ||
	fail "the agent did not report its SSI endpoint"

# --- a master key its group may read refuses the policy; the old stays ---
gen() { ctl --json policy show | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])'; }
g=$(gen)
chmod 640 "$S/master.key"
ctl policy load "$S/policy.yaml" > "$S/out" 2>&1 && fail "a 0640 master key was accepted"
grep -q "policy.yaml:5:15: ssi.master_key: $S/master.key: mode 0640: a master key must be readable by its owner only" "$S/out" ||
	fail "the refusal does not name the key and its mode: $(cat "$S/out")"
[ "$(gen)" = "$g" ] || fail "a refused policy changed the generation"
chmod 600 "$S/master.key"
echo "ok: a group-readable master key refuses the policy, naming line, column and mode"

# --- a challenge, then a key for Alice's attributes ---
ctl ssi challenge > "$S/out" || fail "ssi challenge: $(cat "$S/out")"
grep -q "^domain: $DOMAIN$" "$S/out" && grep -q '^expires in: 120 s$' "$S/out" &&
	grep -qE '^challenge: [A-Za-z0-9_-]{43}$' "$S/out" || fail "ssi challenge: $(cat "$S/out")"
ctl ssi login --key "$S/alice.key" -o "$S/alice.abe" "$S/alice.vc" 2> "$S/out" ||
	fail "ssi login (alice): $(cat "$S/out")"
[ "$(stat -c %a "$S/alice.abe")" = 600 ] || fail "the key file is not 0600"
ctl abe show "$S/alice.abe" > "$S/show" || fail "abe show alice.abe"
grep -qxF "  subject: $alice" "$S/show" || fail "the key does not name Alice: $(cat "$S/show")"
# Exactly the mapped claims (her "name" is not mapped), sorted.
grep -qxF "  attributes: role:cardiologist, ward:CCU, ward:ICU" "$S/show" ||
	fail "the key's attributes are not the mapped ones: $(cat "$S/show")"
echo "ok: Alice's key names her DID and holds role:cardiologist, ward:CCU, ward:ICU"

# It opens what is sealed for her attributes, and nothing else.
head -c 100000 /dev/urandom > "$S/records"
ctl abe encrypt --public "$S/abe-public.key" --policy "role:cardiologist and ward:ICU" \
	-i "$S/records" -o "$S/records.sealed" || fail "abe encrypt (cardiology)"
ctl abe encrypt --public "$S/abe-public.key" --policy "role:dpo or ward:PICU" \
	-i "$S/records" -o "$S/dpo.sealed" || fail "abe encrypt (dpo)"
ctl abe decrypt --key "$S/alice.abe" -i "$S/records.sealed" -o "$S/records.out" ||
	fail "Alice's key does not open a file sealed for her attributes"
cmp -s "$S/records" "$S/records.out" || fail "decrypted records differ"
ctl abe decrypt --key "$S/alice.abe" -i "$S/dpo.sealed" -o "$S/dpo.out" 2> /dev/null &&
	fail "Alice's key opened a file sealed for role:dpo or ward:PICU"
echo "ok: the issued key decrypts a file sealed for role:cardiologist and ward:ICU, not one for role:dpo"

# --- refusals over the control socket ---
refused() {	# refused NAME REASON KEY CREDENTIAL
	ctl ssi login --key "$3" -o "$S/$1.abe" "$4" > "$S/out" 2>&1 &&
		fail "$1: a key was issued"
	grep -q "access refused ($2)" "$S/out" || fail "$1: not refused for $2: $(cat "$S/out")"
	[ ! -e "$S/$1.abe" ] || fail "$1: a key file was written"
	echo "ok: $1 refused: $2"
}
refused bob revoked "$S/bob.key" "$S/bob.vc"
refused mallory untrusted-issuer "$S/alice.key" "$S/mallory.vc"
refused carol no-attributes "$S/carol.key" "$S/carol.vc"

# --- the HTTP endpoint: the same answers, a replay refused ---
ctl --json ssi challenge > "$S/ch.json" || fail "ssi challenge --json"
c=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["challenge"])' "$S/ch.json")
ctl ssi present --key "$S/alice.key" --challenge "$c" --domain "$DOMAIN" \
	-o "$S/vp.json" "$S/alice.vc" || fail "ssi present"
ctl ssi present --key "$S/alice.key" --challenge AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
	--domain "$DOMAIN" -o "$S/forged.json" "$S/alice.vc" || fail "ssi present (forged challenge)"
python3 - "$S" "$alice" "$DOMAIN" <<'PY' || fail "HTTP endpoint (agent log: $(tail -n 20 "$AGENT_LOG"))"
import json, os, socket, sys, urllib.error, urllib.request
S, alice, domain = sys.argv[1:]
URL = "http://127.0.0.1:9465"

def post(path, body, expect):
    req = urllib.request.Request(URL + path, data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, headers, data = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, data = e.code, e.headers, e.read()
    assert status == expect, (path, status, data)
    assert headers["Content-Type"] == "application/json", headers
    assert headers["Connection"] == "close", headers
    return json.loads(data)

def raw(data):
    s = socket.create_connection(("127.0.0.1", 9465), timeout=10)
    s.sendall(data)
    out = b""
    while chunk := s.recv(65536):
        out += chunk
    s.close()
    return out.split(b"\r\n")[0]

ch = post("/ssi/challenge", b"{}", 200)
assert sorted(ch) == ["challenge", "domain", "expires_in"], ch
assert ch["domain"] == domain and ch["expires_in"] == 120 and len(ch["challenge"]) == 43, ch
assert post("/ssi/challenge", b"", 200)["challenge"] != ch["challenge"]

vp = open(S + "/vp.json", "rb").read()
k = post("/ssi/presentation", vp, 200)
assert sorted(k) == ["attributes", "key", "not_after", "subject"], sorted(k)
assert k["subject"] == alice, k["subject"]
assert k["attributes"] == ["role:cardiologist", "ward:CCU", "ward:ICU"], k["attributes"]
assert k["key"].startswith("-----BEGIN CYLCOMED ABE USER KEY-----\n"), k["key"][:40]
with os.fdopen(os.open(S + "/http.abe", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
    f.write(k["key"])
# The same presentation again: its challenge is spent.
r = post("/ssi/presentation", vp, 403)
assert r["reason"] == "reused-challenge", r
assert "challenge already used" in r["message"], r
r = post("/ssi/presentation", open(S + "/forged.json", "rb").read(), 403)
assert r["reason"] == "wrong-challenge", r
r = post("/ssi/presentation", b"{\"not\": \"a presentation\"", 403)
assert r["reason"] == "malformed", r

# Malformed HTTP, and what the endpoint does not serve.
assert raw(b"POST /ssi/presentation HTTP/1.1\r\nHost: x\r\n\r\n") == b"HTTP/1.1 411 Length Required"
assert raw(b"POST /ssi/presentation HTTP/1.1\r\nContent-Length: 262145\r\n\r\n") == \
    b"HTTP/1.1 413 Content Too Large"
assert raw(b"POST /ssi/presentation HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == \
    b"HTTP/1.1 400 Bad Request"
assert raw(b"POST /ssi/challenge HTTP/1.1\r\nContent-Length: 2\r\n\r\n[]") == b"HTTP/1.1 400 Bad Request"
assert raw(b"\x00\x01 nonsense\r\n\r\n") == b"HTTP/1.1 400 Bad Request"
assert raw(b"GET /ssi/challenge HTTP/1.1\r\n\r\n") == b"HTTP/1.1 405 Method Not Allowed"
assert raw(b"POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == b"HTTP/1.1 404 Not Found"
PY
ctl abe decrypt --key "$S/http.abe" -i "$S/records.sealed" -o "$S/records.http" ||
	fail "the key issued over HTTP does not open the sealed file"
cmp -s "$S/records" "$S/records.http" || fail "records decrypted with the HTTP key differ"
echo "ok: HTTP: challenge, a key that decrypts, replay and forged challenge refused, 411/413/400/405/404"

# --- every decision is an event and a risk-log entry, with its reason ---
grep -q "event: ssi_grant verdict=allow reason=\"SSI access granted to $alice" "$AGENT_LOG" ||
	fail "no ssi_grant line on stdout: $(grep 'event: ssi' "$AGENT_LOG")"
grep -q 'event: ssi_refuse verdict=deny reason="SSI access refused (revoked): ' "$AGENT_LOG" ||
	fail "no ssi_refuse line for the revoked credential"
stop_agent	# signs a head for the entries
RISK=$S/state/risk
ctl log show "$RISK/log" > "$S/risklog.jsonl" || fail "cylctl log show"
ctl log verify --pubkey "$RISK/signing.key.pub" "$RISK/log" > "$S/verify.txt" 2>&1 ||
	fail "the risk log does not verify: $(cat "$S/verify.txt")"
python3 - "$EVENTS" "$S/risklog.jsonl" "$alice" "$bob" "$hr" "$rogue" <<'PY' ||
import json, sys
events, risklog, alice, bob, hr, rogue = sys.argv[1:]

def load(path):
    out = []
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out

evs = [e for e in load(events) if e["type"] in ("ssi_grant", "ssi_refuse")]
grants = [e for e in evs if e["type"] == "ssi_grant"]
refusals = [e for e in evs if e["type"] == "ssi_refuse"]
assert [g["ssi"]["channel"] for g in grants] == ["control", "http"], grants
for g in grants:
    s = g["ssi"]
    assert g["verdict"] == "allow" and s["result"] == "ok", g
    assert s["holder"] == alice and s["attributes"] == ["role:cardiologist", "ward:CCU", "ward:ICU"], g
    assert s["credentials"] == [{"type": "ClinicianCredential", "issuer": hr}], g
    assert g["risk_entry"] == "R-SSI-KEY-MISUSE", g
    assert "BEGIN CYLCOMED" not in json.dumps(g), "a key in an event"
want = {"revoked": ("control", bob, hr), "untrusted-issuer": ("control", alice, rogue),
        "no-attributes": ("control", None, hr), "reused-challenge": ("http", None, hr),
        "wrong-challenge": ("http", None, hr), "malformed": ("http", None, None)}
got = {r["ssi"]["result"]: r for r in refusals}
assert sorted(got) == sorted(want), sorted(got)
for reason, (channel, holder, issuer) in want.items():
    r = got[reason]
    s = r["ssi"]
    assert r["verdict"] == "deny" and r["risk_entry"] == "R-SSI-REFUSED", r
    assert s["channel"] == channel, r
    assert r["reason"].startswith("SSI access refused (%s): " % reason), r
    if holder:
        assert s["holder"] == holder, r
    if issuer:
        assert [c["issuer"] for c in s["credentials"]] == [issuer], r
assert got["no-attributes"]["ssi"]["skipped"] == [
    'ClinicianCredential.ward: value "I C U" is not an attribute value '
    "(1..64 of A-Z a-z 0-9 _ . - / @)"], got["no-attributes"]
# Each decision is in the risk log as the event log has it.
risk = {json.dumps(e, sort_keys=True) for e in load(risklog)}
for e in evs:
    assert json.dumps(e, sort_keys=True) in risk, ("not in the risk log", e)
print("ok:", len(grants), "grants and", len(refusals), "refusals in the event and risk logs")
PY
	fail "events and risk log: $(grep -h '"ssi_' "$EVENTS" | head -n 12)"
echo "ok: grants and refusals are events and risk-log entries with their reasons; the log verifies"

# --- without an ssi section: no endpoint, no challenge ---
sed '/^ssi:/,/^  http:/d' "$S/policy.yaml" > "$S/plain.yaml"
# (a load replaces the agent's policy file: it runs on a copy)
cp "$S/plain.yaml" "$S/active.yaml"
start_agent "$S/active.yaml"
ctl ssi challenge > "$S/out" 2>&1 && fail "a challenge without an ssi section"
grep -q 'SSI access is off' "$S/out" || fail "no reason given: $(cat "$S/out")"
python3 -c 'import socket; socket.create_connection(("127.0.0.1", 9465), timeout=2)' 2>/dev/null &&
	fail "no ssi section, yet something listens on 9465"
# Loading the SSI policy opens the endpoint, a policy without it closes it.
ctl policy load "$S/policy.yaml" > /dev/null || fail "policy load (ssi)"
python3 -c 'import socket; socket.create_connection(("127.0.0.1", 9465), timeout=2)' ||
	fail "the endpoint did not open with the policy"
ctl policy load "$S/plain.yaml" > /dev/null || fail "policy load (plain)"
python3 -c 'import socket; socket.create_connection(("127.0.0.1", 9465), timeout=2)' 2>/dev/null &&
	fail "the endpoint stayed open without an ssi section"
stop_agent
rm -rf /sys/fs/bpf/cylcomed
echo "ssi-access: grant with a working key, six refusals with reasons, events and risk log, HTTP"
