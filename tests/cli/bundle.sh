#!/bin/bash
# cylctl bundle create with the real mender-artifact: the policy is
# checked first, the artifact is signed, and Mender's Artifact* state
# scripts travel inside it (Mender 3.4 runs those only from the
# artifact) with the artifact's name written into the install gate.
# TAP output; no daemon, no VM.
#
#   tests/cli/bundle.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
. tests/cli/tap.bash

[ -x "$cylctl" ] || { echo "not ok 1 - $cylctl not built (make agent)"; exit 1; }
command -v mender-artifact > /dev/null ||
	{ echo "not ok 1 - mender-artifact is not installed: install the Debian package mender-artifact (scripts/setup does)"; exit 1; }
T=$(mktemp -d /tmp/cylctl-bundle.XXXXXX)
trap 'rm -rf "$T"' EXIT

openssl ecparam -genkey -name prime256v1 -noout -out "$T/sign.key" 2> "$T/out"
openssl ec -in "$T/sign.key" -pubout -out "$T/sign.pub" 2>> "$T/out"
"$cylctl" bundle create --policy etc/policy.yaml -o "$T/gw-icu-2.mender" \
	--device-type cylcomed-gw --key "$T/sign.key" --scripts mender/scripts > "$T/out" 2>&1
check "bundle create with the repository's scripts exits 0" test $? -eq 0
check "... and says it shipped 4 state scripts, signed" \
	has "artifact gw-icu-2 for device type cylcomed-gw, policy etc/policy.yaml, 4 state script(s), signed" "$T/out"
mender-artifact read -k "$T/sign.pub" "$T/gw-icu-2.mender" > "$T/out" 2>&1
check "mender-artifact verifies its signature" grep -q 'Signature: signed and verified correctly' "$T/out"
for s in ArtifactInstall_Enter ArtifactCommit_Enter ArtifactRollback_Enter ArtifactFailure_Enter; do
	check "it carries ${s}_00_cylcomed" has "${s}_00_cylcomed" "$T/out"
done
check "... and not the Download script (Mender runs that from /etc/mender/scripts)" \
	bash -c "! grep -q Download_Enter '$T/out'"
mkdir "$T/x" && tar -mxf "$T/gw-icu-2.mender" -C "$T/x" && tar -mxzf "$T/x/header.tar.gz" -C "$T/x"
check "the install gate has the artifact's name written in" \
	grep -q '^artifact_name=${CYLCOMED_ARTIFACT_NAME:-gw-icu-2}$' "$T/x/scripts/ArtifactInstall_Enter_00_cylcomed"
"$cylctl" bundle create --policy etc/policy.yaml -o "$T/none.mender" \
	--device-type cylcomed-gw --scripts none > "$T/out" 2>&1
check "--scripts none ships none" has "0 state script(s), unsigned" "$T/out"
"$cylctl" bundle create --policy etc/policy.yaml -o "$T/bad.mender" \
	--device-type cylcomed-gw --scripts "$T/missing" > "$T/out" 2>&1
rc=$?
check "a missing --scripts directory fails, naming it" \
	bash -c "[ $rc -eq 1 ] && grep -qF -- '--scripts $T/missing' '$T/out'"
printf 'version: 1\ndevices:\n  - name: x\n    tty: ttyS0\n' > "$T/bad.yaml"
"$cylctl" bundle create --policy "$T/bad.yaml" -o "$T/bad.mender" \
	--device-type cylcomed-gw --scripts none > "$T/out" 2>&1
rc=$?
check "an invalid policy is refused before anything is built, with line:col" \
	bash -c "[ $rc -eq 1 ] && grep -qF '$T/bad.yaml:4:10: devices[0].tty' '$T/out' && [ ! -e '$T/bad.mender' ]"

echo "1..$n"
[ $failed -eq 0 ]
