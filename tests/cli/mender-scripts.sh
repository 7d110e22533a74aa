#!/bin/bash
# The Mender state scripts of mender/scripts/, each run by dash (Mender
# runs them with the gateway's /bin/sh) with a stub cylctl first in PATH
# that records its arguments and exits with a chosen status: the gate's
# 0/21 pass through and anything else becomes 1, rollback and failure
# scripts always exit 0, the self-test's status is passed on.  Then the
# real cylctl against a stub agent socket: the reply's verdict becomes
# exit 0, 21 or 1.  TAP output; no daemon, no VM.
#
#   tests/cli/mender-scripts.sh [BUILD_DIR]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
build=${1:-build}
cylctl=$build/agent/cylctl
scripts=mender/scripts
. tests/cli/tap.bash
check_log=err

T=$(mktemp -d /tmp/cylctl-mender.XXXXXX)
trap 'rm -rf "$T"' EXIT
sh=$(command -v dash || echo /bin/sh)

# --- the stub: one line of arguments per call, exit $STUB_RC ---
mkdir -p "$T/bin"
cat > "$T/bin/cylctl" <<'STUB'
#!/bin/sh
printf '%s|' "$@" >> "$STUB_LOG"; echo >> "$STUB_LOG"
echo "stub cylctl: $*"
exit "${STUB_RC:-0}"
STUB
chmod 0755 "$T/bin/cylctl"
printf 'device_type=gw-x86\n' > "$T/device_type"

# run SCRIPT RC [VAR=VALUE...]: the script's exit status in $rc, args in $T/log
run() {
	local script=$1 stub_rc=$2; shift 2
	: > "$T/log"
	env -i PATH="$T/bin:/usr/bin:/bin" STUB_LOG="$T/log" STUB_RC="$stub_rc" \
		CYLCOMED_DEVICE_TYPE_FILE="$T/device_type" \
		CYLCOMED_MENDER_TREE="$T/tree" "$@" \
		"$sh" "$scripts/$script" > "$T/out" 2> "$T/err"
	rc=$?
}
args_are() { [ "$(cat "$T/log")" = "$1" ] || { echo "args: $(cat "$T/log")" >> "$T/err"; false; }; }

for f in Download_Enter ArtifactInstall_Enter ArtifactRollback_Enter \
	 ArtifactFailure_Enter ArtifactCommit_Enter; do
	check "$f: executable" test -x "$scripts/${f}_00_cylcomed"
done
check "version file says 3" test "$(cat $scripts/version)" = 3

# --- Download_Enter ---
for want in 0 21; do
	run Download_Enter_00_cylcomed $want
	check "Download_Enter: gate exit $want passed on" test $rc -eq $want
done
check "Download_Enter: gate asked with the device type only" \
	args_are "update|gate|--device-type|gw-x86|"
for got in 1 2 124; do
	run Download_Enter_00_cylcomed $got
	check "Download_Enter: gate exit $got becomes 1" test $rc -eq 1
done
check "Download_Enter: the refusal is explained on stderr" \
	grep -q "update refused (cylctl update gate: exit 124)" "$T/err"
check "Download_Enter: cylctl's output goes to stderr (Mender's log)" \
	bash -c "grep -q 'stub cylctl' '$T/err' && ! test -s '$T/out'"
run Download_Enter_00_cylcomed 0 CYLCOMED_DEVICE_TYPE_FILE="$T/none"
check "Download_Enter: no device_type file, an empty device type" \
	args_are "update|gate|--device-type||"

# --- ArtifactInstall_Enter ---
run ArtifactInstall_Enter_00_cylcomed 21 CYLCOMED_ARTIFACT_NAME=gw-icu-2.4 \
	CYLCOMED_ARTIFACT_GROUP=stable
check "ArtifactInstall_Enter: retry later passed on" test $rc -eq 21
check "ArtifactInstall_Enter: name, group and device type given" \
	args_are "update|gate|--artifact-name|gw-icu-2.4|--artifact-group|stable|--device-type|gw-x86|"
run ArtifactInstall_Enter_00_cylcomed 1
check "ArtifactInstall_Enter: a refusal fails the update" test $rc -eq 1
check "ArtifactInstall_Enter: placeholders left in are not passed" \
	args_are "update|gate|--artifact-name||--artifact-group||--device-type|gw-x86|"
sed 's/@ARTIFACT_NAME@/gw-lab-7/' "$scripts/ArtifactInstall_Enter_00_cylcomed" \
	> "$T/bin/ArtifactInstall_Enter_00_cylcomed"
scripts_saved=$scripts; scripts=$T/bin
run ArtifactInstall_Enter_00_cylcomed 0
scripts=$scripts_saved
check "ArtifactInstall_Enter: a name written in by the builder is passed" \
	args_are "update|gate|--artifact-name|gw-lab-7|--artifact-group||--device-type|gw-x86|"
mkdir -p "$T/tree/header"
printf 'vendor-x\n' > "$T/tree/header/artifact_name"
printf 'ward-3\n' > "$T/tree/header/artifact_group"
run ArtifactInstall_Enter_00_cylcomed 0 CYLCOMED_ARTIFACT_NAME=gw-lab-7
check "ArtifactInstall_Enter: the downloaded artifact's own name and group win" \
	args_are "update|gate|--artifact-name|vendor-x|--artifact-group|ward-3|--device-type|gw-x86|"
rm -rf "$T/tree"

# --- ArtifactRollback_Enter, ArtifactFailure_Enter ---
for f in ArtifactRollback_Enter ArtifactFailure_Enter; do
	run ${f}_00_cylcomed 0 CYLCOMED_ARTIFACT_NAME=gw-icu-2.4
	check "$f: records the state and the artifact" \
		args_are "update|record|$f|--artifact-name|gw-icu-2.4|"
	for got in 1 2; do
		run ${f}_00_cylcomed $got
		check "$f: exits 0 when cylctl exits $got" test $rc -eq 0
	done
	check "$f: the failure to record is logged on stderr" \
		grep -q "could not record $f with the agent" "$T/err"
	: > "$T/log"
	env -i PATH="/usr/bin:/bin" "$sh" "$scripts/${f}_00_cylcomed" > "$T/out" 2> "$T/err"
	check "$f: exits 0 without any cylctl at all" test $? -eq 0
done

# --- ArtifactCommit_Enter ---
for want in 0 21; do
	run ArtifactCommit_Enter_00_cylcomed $want
	check "ArtifactCommit_Enter: selftest exit $want passed on" test $rc -eq $want
done
check "ArtifactCommit_Enter: runs cylctl selftest" args_are "selftest|"
run ArtifactCommit_Enter_00_cylcomed 3
check "ArtifactCommit_Enter: a failed selftest exits 1 (rollback)" test $rc -eq 1

# --- the real cylctl against a stub agent: the reply becomes the exit code ---
if [ -x "$cylctl" ] && command -v python3 > /dev/null; then
	sock=$T/control.sock
	cat > "$T/agent.py" <<'PY'
import json, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(8)
replies = [json.loads(l) for l in sys.argv[2:]]
open(sys.argv[1] + ".ready", "w").close()
for reply in replies:
    c, _ = s.accept()
    buf = b""
    while not buf.endswith(b"\n"):
        d = c.recv(65536)
        if not d:
            break
        buf += d
    with open(sys.argv[1] + ".req", "ab") as f:
        f.write(buf)
    c.sendall((json.dumps(reply) + "\n").encode()); c.close()
PY
	python3 "$T/agent.py" "$sock" \
		'{"ok":true,"proceed":true,"retry":false,"reason":"fine"}' \
		'{"ok":true,"proceed":false,"retry":true,"reason":"critical device in an active session (window 60 s): pump (last record 2 s ago)"}' \
		'{"ok":true,"proceed":false,"retry":false,"reason":"artifact name \"x\" is not in mender.allowed_artifacts"}' \
		'{"ok":false,"error":"state \"Idle\": expected an ArtifactRollback* or ArtifactFailure* state"}' &
	agent=$!
	for _ in $(seq 50); do [ -e "$sock.ready" ] && break; sleep 0.1; done
	"$cylctl" -s "$sock" update gate --artifact-name gw-1 --artifact-group '' > "$T/err" 2>&1
	check "cylctl update gate: proceed is exit 0" test $? -eq 0
	"$cylctl" -s "$sock" update gate > "$T/err" 2>&1
	check "cylctl update gate: retry is exit 21" test $? -eq 21
	check "cylctl update gate: the reason names the device" grep -q "retry later: .*pump (last record 2 s ago)" "$T/err"
	"$cylctl" -s "$sock" update gate --device-type gw-x86 > "$T/err" 2>&1
	check "cylctl update gate: refused is exit 1" test $? -eq 1
	"$cylctl" -s "$sock" update record Idle > "$T/err" 2>&1
	check "cylctl update record: the agent's refusal is exit 1" test $? -eq 1
	wait "$agent"
	cp "$sock.req" "$T/err"
	check "cylctl update gate: requests as sent (empty options left out)" \
		diff - "$sock.req" <<'REQ'
{"cmd":"update_gate","artifact_name":"gw-1"}
{"cmd":"update_gate"}
{"cmd":"update_gate","device_type":"gw-x86"}
{"cmd":"update_event","state":"Idle"}
REQ
	"$cylctl" -s "$T/none.sock" update gate > "$T/err" 2>&1
	check "cylctl update gate: no agent is exit 1" test $? -eq 1
else
	echo "# skipped the cylctl part: $cylctl not built or no python3"
fi

echo "1..$n"
[ $failed -eq 0 ]
