#!/bin/bash
# cylctl ssi, offline: a did:key from the W3C vector's seed reproduces its
# DID; an issuer signs a clinician credential and a status list, a holder
# presents it for a challenge and domain, and `ssi verify` accepts it with
# the issuer trusted and refuses it, each time with its reason, when the
# issuer is not trusted, the challenge or domain differ, a claim was
# changed, or the status list says revoked.  TAP output; no daemon, no VM.
#
#   tests/cli/ssi.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
. tests/cli/tap.bash

[ -x "$cylctl" ] || { echo "not ok 1 - $cylctl not built (make agent)"; exit 1; }
T=$(mktemp -d /tmp/cylctl-ssi.XXXXXX)
trap 'rm -rf "$T"' EXIT
ssi() { "$cylctl" ssi "$@" > "$T/out" 2>&1; rc=$?; }
URL=https://hospital.example/status/1

# --- DIDs ---
# The W3C eddsa-jcs-2022 vectors' key pair (keyPair.json): its private key
# is multicodec 0x1300 + this seed, its public key the DID's multibase.
ssi did create --seed c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6 -o "$T/w3c.key"
check "did create --seed reproduces the W3C vector's did:key" \
	has "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2" "$T/out"
check "the key file has the vector's privateKeyMultibase, mode 0600" \
	bash -c "grep -q z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq '$T/w3c.key' && [ \$(stat -c %a '$T/w3c.key') = 600 ]"
check "did create never prints the private key" bash -c "! grep -q z3u2en7t5 '$T/out'"
ssi did create -o "$T/issuer.key"; issuer=$(tail -n 1 "$T/out")
ssi did create --type p256 -o "$T/holder.key"; holder=$(tail -n 1 "$T/out")
check "a P-256 did:key (zDn...)" bash -c "[[ '$holder' == did:key:zDn* ]]"
ssi did create -o "$T/other.key"; other=$(tail -n 1 "$T/out")
ssi did create -o "$T/issuer.key"
check "did create never overwrites a key" bash -c "[ $rc -ne 0 ] && grep -q 'exists' '$T/out'"
ssi did resolve "$issuer"
check "did resolve: the document lists the key for assertionMethod" \
	bash -c "grep -q assertionMethod '$T/out' && grep -q '\"id\": \"$issuer\"' '$T/out'"

# --- issue, status list, present ---
printf '{"role": "cardiologist", "ward": "ICU"}\n' > "$T/claims.json"
ssi issue --key "$T/issuer.key" --type ClinicianCredential --subject "$holder" \
	--claims "$T/claims.json" --days 30 --status "$URL#42" -o "$T/alice.vc"
check "issue a ClinicianCredential" test $rc -eq 0
check "the credential carries a BitstringStatusListEntry" has '"statusListIndex": "42"' "$T/alice.vc"
printf '{"role": "nurse"}' | "$cylctl" ssi issue --key "$T/issuer.key" --type ClinicianCredential \
	--subject "$holder" --claims - -o "$T/stdin.vc" > "$T/out" 2>&1
check "issue: claims from standard input" has '"role": "nurse"' "$T/stdin.vc"
head -c 300000 /dev/zero | tr '\0' ' ' | "$cylctl" ssi issue --key "$T/issuer.key" \
	--type ClinicianCredential --subject "$holder" --claims - -o "$T/big.vc" > "$T/out" 2>&1
check "issue: standard input is read only up to 256 KiB" \
	bash -c "grep -q 'larger than 256 KiB' '$T/out' && [ ! -e '$T/big.vc' ]"
ssi status-list --key "$T/issuer.key" --url "$URL" --set 7,1000 -o "$T/list.vc"
check "status-list names the file the agent looks for" has "install it in the agent's status list directory as" "$T/out"
mkdir -p "$T/status"
cp "$T/list.vc" "$T/status/$(sed -n 's/.* as \([0-9a-f]*\.json\)$/\1/p' "$T/out")"
ssi present --key "$T/holder.key" --challenge c-123 --domain gw.example -o "$T/vp.json" "$T/alice.vc"
check "present the credential" test $rc -eq 0

# --- verify ---
V=(--status-dir "$T/status" --domain gw.example --challenge c-123)
ssi verify "${V[@]}" --trust "ClinicianCredential=$issuer" "$T/vp.json"
check "verify: accepted with the issuer trusted" bash -c "[ $rc -eq 0 ] && grep -q 'holder: $holder' '$T/out' && grep -q cardiologist '$T/out'"
ssi verify "${V[@]}" --trust "ClinicianCredential=$other" "$T/vp.json"
check "verify: an untrusted issuer is refused" bash -c "[ $rc -eq 1 ] && grep -q untrusted-issuer '$T/out'"
ssi verify --status-dir "$T/status" --domain gw.example --challenge c-999 \
	--trust "ClinicianCredential=$issuer" "$T/vp.json"
check "verify: another challenge is refused" has wrong-challenge "$T/out"
ssi verify --status-dir "$T/status" --domain other.example --challenge c-123 \
	--trust "ClinicianCredential=$issuer" "$T/vp.json"
check "verify: another domain is refused" has wrong-domain "$T/out"
sed 's/cardiologist/surgeon/' "$T/vp.json" > "$T/tampered.json"
ssi verify "${V[@]}" --trust "ClinicianCredential=$issuer" "$T/tampered.json"
check "verify: a changed claim breaks the signature" has bad-signature "$T/out"
ssi verify "${V[@]}" --trust "ClinicianCredential=$issuer" "$T/alice.vc"
check "verify: the credential alone" bash -c "[ $rc -eq 0 ] && grep -q verified '$T/out'"
# revoke index 42: a new list replaces the old one
rm -f "$T/status/"*.json
ssi status-list --key "$T/issuer.key" --url "$URL" --set 7,42 -o "$T/list2.vc"
cp "$T/list2.vc" "$T/status/$(sed -n 's/.* as \([0-9a-f]*\.json\)$/\1/p' "$T/out")"
ssi verify "${V[@]}" --trust "ClinicianCredential=$issuer" "$T/vp.json"
check "verify: revoked once the list sets its bit" bash -c "[ $rc -eq 1 ] && grep -q revoked '$T/out'"
rm -f "$T/status/"*.json
ssi verify "${V[@]}" --trust "ClinicianCredential=$issuer" "$T/vp.json"
check "verify: no status list, no access" has status-unavailable "$T/out"
printf '{"a": 1, "a": 2}' > "$T/dup.json"
ssi verify "${V[@]}" --trust "ClinicianCredential=$issuer" "$T/dup.json"
check "verify: duplicate keys are malformed" bash -c "[ $rc -eq 1 ] && grep -q malformed '$T/out'"

"$cylctl" ssi --help > "$T/out" 2>&1
check "ssi --help" has "cylctl ssi did create" "$T/out"

echo "1..$n"
[ "$failed" -eq 0 ]
