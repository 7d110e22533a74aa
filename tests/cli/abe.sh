#!/bin/bash
# cylctl abe: an authority set up, user keys issued, a file sealed for
# "(role:cardiologist and ward:ICU) or role:dpo" and opened by exactly the
# keys that satisfy it; the master key's mode and that it is never
# printed; bad input refused with its place, nothing overwritten and no
# partial plaintext left behind.  TAP output; no daemon, no VM.
#
#   tests/cli/abe.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
. tests/cli/tap.bash

[ -x "$cylctl" ] || { echo "not ok 1 - $cylctl not built (make agent)"; exit 1; }
T=$(mktemp -d /tmp/cylctl-abe.XXXXXX)
trap 'rm -rf "$T"' EXIT
POLICY="(role:cardiologist and ward:ICU) or role:dpo"

# --- setup ---
"$cylctl" abe setup --master "$T/msk" --public "$T/pk" > "$T/out" 2>&1
check "abe setup exits 0" test $? -eq 0
check "master key is mode 0600" test "$(stat -c %a "$T/msk")" = 600
check "public key is armoured" has "-----BEGIN CYLCOMED ABE PUBLIC KEY-----" "$T/pk"
check "setup prints no key material" bash -c "! grep -q -- '-----BEGIN' '$T/out'"
cp "$T/msk" "$T/msk.orig"
"$cylctl" abe setup --master "$T/msk" --public "$T/pk2" > "$T/out" 2>&1
rc=$?
check "setup never overwrites a master key" \
	bash -c "[ $rc -eq 1 ] && cmp -s '$T/msk' '$T/msk.orig' && grep -q 'exists; not overwritten' '$T/out'"
"$cylctl" abe setup --master - --public "$T/pk3" > "$T/out" 2>&1
check "setup refuses to print the master key (exit 2)" test $? -eq 2

# --- keys ---
"$cylctl" abe keygen --master "$T/msk" --attrs "role:cardiologist, ward:ICU" \
	--subject did:example:alice --days 30 -o "$T/alice" > "$T/out" 2>&1
check "keygen cardiologist of ICU" test $? -eq 0
check "user key is mode 0600" test "$(stat -c %a "$T/alice")" = 600
"$cylctl" abe keygen --master "$T/msk" --attrs "role:dpo" -o "$T/dpo" > "$T/out" 2>&1
check "keygen dpo" test $? -eq 0
"$cylctl" abe keygen --master "$T/msk" --attrs "role:nurse,ward:ICU" -o - > "$T/nurse" 2> "$T/out"
check "keygen to a pipe" has "-----BEGIN CYLCOMED ABE USER KEY-----" "$T/nurse"
"$cylctl" abe keygen --master "$T/msk" --attrs "role:nurse,,ward:ICU" -o "$T/bad" > "$T/out" 2>&1
rc=$?
check "keygen: a bad attribute list is refused with its column (exit 2)" \
	bash -c "[ $rc -eq 2 ] && grep -q 'column' '$T/out' && [ ! -e '$T/bad' ]"
"$cylctl" abe keygen --master "$T/pk" --attrs "role:dpo" -o "$T/bad" > "$T/out" 2>&1
check "keygen: a public key is not a master key" \
	bash -c "grep -q 'expected a \"CYLCOMED ABE MASTER KEY\"' '$T/out' && [ ! -e '$T/bad' ]"
"$cylctl" abe show "$T/alice" > "$T/out" 2>&1
check "show names the key's subject and attributes" \
	bash -c "grep -q 'did:example:alice' '$T/out' && grep -q 'role:cardiologist, ward:ICU' '$T/out' && grep -q 'not after' '$T/out'"

# --- encrypt / decrypt ---
head -c 200000 /dev/urandom > "$T/plain"
"$cylctl" abe encrypt --public "$T/pk" --policy "$POLICY" -i "$T/plain" -o "$T/sealed" > "$T/out" 2>&1
check "encrypt a 200 kB file" test $? -eq 0
check "no plaintext left in the sealed file" bash -c "! cmp -s '$T/plain' '$T/sealed'"
"$cylctl" abe show "$T/sealed" > "$T/out" 2>&1
check "show names a sealed file's policy, in canonical form" \
	has "policy: role:cardiologist and ward:ICU or role:dpo" "$T/out"
"$cylctl" abe decrypt --key "$T/alice" -i "$T/sealed" -o "$T/alice.out" > "$T/out" 2>&1
check "the cardiologist of ICU decrypts" cmp -s "$T/plain" "$T/alice.out"
"$cylctl" abe decrypt --key "$T/dpo" < "$T/sealed" > "$T/dpo.out" 2> "$T/out"
check "the DPO decrypts, stdin to stdout" cmp -s "$T/plain" "$T/dpo.out"
"$cylctl" abe decrypt --key "$T/nurse" -i "$T/sealed" -o "$T/nurse.out" > "$T/out" 2>&1
rc=$?
check "the nurse of ICU cannot (exit 1, says why, no output file)" \
	bash -c "[ $rc -eq 1 ] && grep -q 'do not satisfy the policy' '$T/out' && [ ! -e '$T/nurse.out' ] && ! ls '$T'/nurse.out.tmp* >/dev/null 2>&1"
printf '' | "$cylctl" abe encrypt --public "$T/pk" --policy "role:dpo" > "$T/empty.sealed" 2> "$T/out"
"$cylctl" abe decrypt --key "$T/dpo" -i "$T/empty.sealed" > "$T/empty.out" 2> "$T/out"
check "an empty payload round-trips" bash -c "[ $? -eq 0 ] && [ ! -s '$T/empty.out' ]"

# --- tampering leaves nothing behind ---
cp "$T/sealed" "$T/tampered"
printf '\x00' | dd of="$T/tampered" bs=1 seek=150000 conv=notrunc 2>/dev/null
"$cylctl" abe decrypt --key "$T/alice" -i "$T/tampered" -o "$T/t.out" > "$T/out" 2>&1
rc=$?
check "a changed byte fails authentication and leaves no output" \
	bash -c "[ $rc -eq 1 ] && grep -q 'authentication failed' '$T/out' && [ ! -e '$T/t.out' ] && ! ls '$T'/t.out.tmp* >/dev/null 2>&1"
head -c 100000 "$T/sealed" > "$T/cut"
"$cylctl" abe decrypt --key "$T/alice" -i "$T/cut" -o "$T/c.out" > "$T/out" 2>&1
check "a truncated file fails and leaves no output" \
	bash -c "[ $? -ne 0 ] 2>/dev/null; [ ! -e '$T/c.out' ] && grep -q 'chunk 1' '$T/out'"
"$cylctl" abe decrypt --key "$T/alice" -i "$T/plain" -o "$T/p.out" > "$T/out" 2>&1
check "a file that is not sealed is named as such" has "not a sealed file" "$T/out"
"$cylctl" abe encrypt --public "$T/pk" --policy "role:dpo and" -i "$T/plain" -o "$T/x" > "$T/out" 2>&1
rc=$?
check "a bad policy is refused with its column (exit 2)" \
	bash -c "[ $rc -eq 2 ] && grep -q 'column 13' '$T/out' && [ ! -e '$T/x' ]"
echo "keep me" > "$T/exists"
"$cylctl" abe encrypt --public "$T/pk" --policy "role:dpo" -i "$T/plain" -o "$T/exists" > "$T/out" 2>&1
check "encrypt never overwrites" bash -c "grep -q 'keep me' '$T/exists' && grep -q 'not overwritten' '$T/out'"

# --- another authority's key, and an expired key ---
"$cylctl" abe setup --master "$T/msk2" --public "$T/pk2b" > /dev/null 2>&1
"$cylctl" abe keygen --master "$T/msk2" --attrs "role:dpo" -o "$T/dpo2" > /dev/null 2>&1
"$cylctl" abe decrypt --key "$T/dpo2" -i "$T/sealed" -o "$T/o2" > "$T/out" 2>&1
check "a key of another authority fails authentication" \
	bash -c "grep -q 'authentication failed' '$T/out' && [ ! -e '$T/o2' ]"
chmod 644 "$T/dpo"
"$cylctl" abe decrypt --key "$T/dpo" -i "$T/sealed" -o "$T/o3" > "$T/out" 2>&1
check "a loosely readable key file is warned about" has "readable by its group or by others" "$T/out"

# --- a sealed export of device records: records open | abe encrypt ---
mkspool=$build/tests/cli/mkspool
"$cylctl" key generate "$T/reckey" > /dev/null 2>&1
"$mkspool" --key "$T/reckey" "$T/spool" 3:1-40 > "$T/out" 2>&1
"$cylctl" records open --key "$T/reckey" "$T/spool" > "$T/records.txt" 2> "$T/out"
"$cylctl" records open --key "$T/reckey" "$T/spool" 2> "$T/out" |
	"$cylctl" abe encrypt --public "$T/pk" --policy "$POLICY" -o "$T/export.sealed" 2>> "$T/out"
"$cylctl" abe decrypt --key "$T/alice" -i "$T/export.sealed" -o "$T/export.txt" >> "$T/out" 2>&1
check "records open | abe encrypt: the cardiologist reads the 40 records" \
	bash -c "[ \$(grep -c ' sealed ' '$T/export.txt') -eq 40 ] && cmp -s '$T/records.txt' '$T/export.txt'"

check "no temporary file left behind by any command" bash -c "! ls '$T'/*.tmp* > /dev/null 2>&1"

"$cylctl" abe --help > "$T/out" 2>&1
check "abe --help" has "cylctl abe encrypt --public FILE --policy POLICY" "$T/out"

echo "1..$n"
[ "$failed" -eq 0 ]
