# Mender OTA of a policy bundle: cylctl bundle create writes a signed
# artifact, "mender install" (standalone) runs the cylcomed-bundle update
# module, which has the agent load the new policy in one step; a refused
# policy makes the install fail and Mender roll back; an unsigned artifact
# never reaches the module; cylctl selftest says whether the gateway
# enforces what its policy asks.
#
#   cylctl bundle create -k sign.key --> B.mender --> mender install
#        (policy.yaml, models/)                          |
#   /usr/share/mender/modules/v3/cylcomed-bundle <-------+
#        | backup A, models          cylctl policy load
#        +-------------------------> control.sock --> cylcomedd (A -> B)
#   mender commit | mender rollback (backup -> cylctl policy load A)
. tests/vm/lib.sh

command -v mender > /dev/null || fail "mender (mender-client) not installed"
command -v mender-artifact > /dev/null || fail "mender-artifact not installed"

ctl() { "$CYLCTL" -s "$AGENT_SOCK" "$@"; }
generation() { ctl --json policy show | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])'; }
active_is() { ctl --json policy show | python3 -c '
import json, sys
sys.exit(json.load(sys.stdin)["content"].encode() != open(sys.argv[1], "rb").read())' "$1"; }
mender() { command mender --no-syslog "$@"; }
artifact_name() { mender show-artifact 2>/dev/null; }

# Mender, standalone, in the guest's overlay only.
# Debian's /var/lib/mender is a link to /data/mender.
data=/var/lib/mender
[ ! -L $data ] || data=$(readlink $data)
mkdir -p /etc/mender "$data" /usr/share/mender/modules/v3
install -m 0755 mender/modules/cylcomed-bundle /usr/share/mender/modules/v3/
# Download_Enter runs from /etc/mender/scripts, as make install puts it.
install -d /etc/mender/scripts
install -m 0755 mender/scripts/Download_Enter_00_cylcomed /etc/mender/scripts/
install -m 0644 mender/scripts/version /etc/mender/scripts/
openssl ecparam -genkey -name prime256v1 -noout -out "$SCRATCH/sign.key" || fail "ECDSA key"
openssl ec -in "$SCRATCH/sign.key" -pubout -out /etc/mender/artifact-verify-key.pem 2>/dev/null ||
	fail "public key"
cat > /etc/mender/mender.conf <<'CONF'
{
  "ArtifactVerifyKey": "/etc/mender/artifact-verify-key.pem"
}
CONF
echo device_type=cylcomed-test > /var/lib/mender/device_type
echo artifact_name=base > /etc/mender/artifact_info
[ "$(artifact_name)" = base ] || fail "mender show-artifact: $(mender show-artifact 2>&1)"

# The module finds the agent's files and cylctl through these.
export CYLCOMED_POLICY=$SCRATCH/policy.yaml CYLCOMED_STATE_DIR=$SCRATCH/state
export CYLCOMED_SOCKET=$AGENT_SOCK CYLCTL
# The state scripts shipped in E call cylctl from PATH, as on a gateway.
export PATH=$top/build/agent:$PATH
# The risk log where cylctl selftest looks by default, as on a gateway.
RISK=/var/lib/cylcomed/risk
M=$SCRATCH/mender.log
minstall() { echo "--- mender install $1" >> "$M"; mender install "$1" >> "$M" 2>&1; }
mcommit() { echo "--- mender commit" >> "$M"; mender commit >> "$M" 2>&1; }
mrollback() { echo "--- mender rollback" >> "$M"; mender rollback >> "$M" 2>&1; }
mfail() { fail "$*; mender's output: $(tail -n 30 "$M")"; }

cat > "$SCRATCH/A.yaml" <<'POLICY'
version: 1
devices:
  - name: lab-analyser-a
    tty: /dev/ttyS0
POLICY
# B has the shipped policy's risk register: a risk log to verify.
{ printf 'version: 1\ndevices:\n  - name: lab-analyser-b\n    tty: /dev/ttyS0\n'
  sed -n '/^risk:/,$p' etc/policy.yaml; } > "$SCRATCH/B.yaml"
cat > "$SCRATCH/C.yaml" <<'POLICY'
version: 1
devices:
  - name: infusion-pump
    tty: ttyS2
POLICY
cat > "$SCRATCH/D.yaml" <<'POLICY'
version: 1
devices:
  - name: lab-analyser-d
    tty: /dev/ttyS1
POLICY
mkdir -p "$SCRATCH/models-b" "$SCRATCH/models-d"
echo "model b" > "$SCRATCH/models-b/threats.onnx"
echo "model d" > "$SCRATCH/models-d/threats.onnx"
cp "$SCRATCH/A.yaml" "$SCRATCH/policy.yaml"

# Self-test: the agent answers, but ttyS0 is present and no module.
start_agent "$SCRATCH/policy.yaml" --risk-dir "$RISK"
[ "$(generation)" -eq 1 ] || fail "first policy is not generation 1"
if ctl selftest > "$SCRATCH/st" 2>&1; then
	fail "selftest passed without the kernel module: $(cat "$SCRATCH/st")"
fi
grep -q '^not ok - kernel module not loaded' "$SCRATCH/st" || fail "selftest: $(cat "$SCRATCH/st")"
grep -q '^ok - BPF program lsm_guard: attached' "$SCRATCH/st" || fail "selftest: $(cat "$SCRATCH/st")"
kmod_load
ctl selftest > "$SCRATCH/st" 2>&1 || fail "selftest with the module: $(cat "$SCRATCH/st")"
grep -q '^ok - policy generation 1 in force' "$SCRATCH/st" || fail "selftest: $(cat "$SCRATCH/st")"
grep -q '^ok - device lab-analyser-a (/dev/ttyS0) is guarded' "$SCRATCH/st" ||
	fail "selftest: $(cat "$SCRATCH/st")"

# The artifacts.  C's policy is refused by bundle create, so its artifact
# is made by hand, as an attacker or a broken pipeline could.
ctl bundle create --policy "$SCRATCH/B.yaml" --models "$SCRATCH/models-b" \
	-o "$SCRATCH/B.mender" --device-type cylcomed-test --key "$SCRATCH/sign.key" \
	> "$SCRATCH/out" 2>&1 || fail "bundle create B: $(cat "$SCRATCH/out")"
grep -q 'artifact B for device type cylcomed-test.*signed' "$SCRATCH/out" ||
	fail "bundle create B said: $(cat "$SCRATCH/out")"
ctl bundle create --policy "$SCRATCH/A.yaml" -o "$SCRATCH/unsigned.mender" \
	--device-type cylcomed-test > /dev/null || fail "bundle create unsigned"
if ctl bundle create --policy "$SCRATCH/C.yaml" -o "$SCRATCH/C.mender" \
	--device-type cylcomed-test --key "$SCRATCH/sign.key" > "$SCRATCH/out" 2>&1; then
	fail "bundle create accepted the invalid policy C"
fi
grep -qF "$SCRATCH/C.yaml:4:10: devices[0].tty" "$SCRATCH/out" || fail "bundle create C: $(cat "$SCRATCH/out")"
mkdir "$SCRATCH/c-tree"
cp "$SCRATCH/C.yaml" "$SCRATCH/c-tree/policy.yaml"
tar -cf "$SCRATCH/cylcomed-bundle.tar" -C "$SCRATCH/c-tree" policy.yaml
mender-artifact write module-image -T cylcomed-bundle -t cylcomed-test -n C \
	-o "$SCRATCH/C.mender" -f "$SCRATCH/cylcomed-bundle.tar" -k "$SCRATCH/sign.key" \
	> "$SCRATCH/out" 2>&1 || fail "mender-artifact C: $(cat "$SCRATCH/out")"
ctl bundle create --policy "$SCRATCH/D.yaml" --models "$SCRATCH/models-d" \
	-o "$SCRATCH/D.mender" --device-type cylcomed-test --key "$SCRATCH/sign.key" \
	> /dev/null || fail "bundle create D"

# (a) B installs: the agent enforces generation 2, B's text; models in place.
minstall "$SCRATCH/B.mender" || mfail "mender install B"
[ "$(generation)" -eq 2 ] || fail "B is not generation 2 after install"
active_is "$SCRATCH/B.yaml" || fail "the agent does not run B"
cmp -s "$SCRATCH/B.yaml" "$SCRATCH/policy.yaml" || fail "the agent's policy file is not B"
cmp -s "$SCRATCH/models-b/threats.onnx" "$SCRATCH/state/models/threats.onnx" ||
	fail "B's models not installed"
mcommit || mfail "mender commit B"
[ "$(artifact_name)" = B ] || fail "artifact after commit: $(artifact_name)"
ctl selftest > "$SCRATCH/st" 2>&1 ||
	fail "selftest under B: $(cat "$SCRATCH/st")"
grep -q '^ok - risk log .* verifies' "$SCRATCH/st" || fail "selftest under B: $(cat "$SCRATCH/st")"
grep -q '^ok - device lab-analyser-b' "$SCRATCH/st" || fail "selftest under B: $(cat "$SCRATCH/st")"
mkdir "$SCRATCH/no-log"
if ctl selftest --risk-dir "$SCRATCH/no-log" --pubkey "$RISK/signing.key.pub" \
	> "$SCRATCH/st" 2>&1; then
	fail "selftest passed with no risk log: $(cat "$SCRATCH/st")"
fi
grep -q '^not ok - risk log' "$SCRATCH/st" || fail "selftest without a log: $(cat "$SCRATCH/st")"

# (b) Unsigned: refused before the module runs; nothing changes.
if minstall "$SCRATCH/unsigned.mender"; then
	fail "mender installed an unsigned artifact"
fi
grep -qi 'signature' "$M" || mfail "the unsigned artifact was refused for another reason"
[ "$(generation)" -eq 2 ] || fail "the unsigned artifact changed the generation"
[ "$(artifact_name)" = B ] || fail "artifact after the unsigned one: $(artifact_name)"

# (c) C's policy is refused by the agent: install fails, Mender rolls
# back, B stays in force with the same generation and models.
if minstall "$SCRATCH/C.mender"; then
	fail "mender installed C, whose policy is invalid"
fi
grep -q 'the agent refused the policy' "$M" || mfail "C failed for another reason"
[ "$(generation)" -eq 2 ] || fail "the refused C changed the generation"
active_is "$SCRATCH/B.yaml" || fail "B no longer in force after C"
cmp -s "$SCRATCH/models-b/threats.onnx" "$SCRATCH/state/models/threats.onnx" ||
	fail "B's models changed by C"
[ "$(artifact_name)" = B ] || fail "artifact after C: $(artifact_name)"

# (d) D installs, then mender rollback: B again, through a policy load.
minstall "$SCRATCH/D.mender" || mfail "mender install D"
[ "$(generation)" -eq 3 ] || fail "D is not generation 3"
active_is "$SCRATCH/D.yaml" || fail "the agent does not run D"
cmp -s "$SCRATCH/models-d/threats.onnx" "$SCRATCH/state/models/threats.onnx" ||
	fail "D's models not installed"
mrollback || mfail "mender rollback D"
[ "$(generation)" -eq 4 ] || fail "the rollback is not generation 4"
active_is "$SCRATCH/B.yaml" || fail "the rollback did not bring B back"
cmp -s "$SCRATCH/models-b/threats.onnx" "$SCRATCH/state/models/threats.onnx" ||
	fail "the rollback did not restore B's models"
[ "$(artifact_name)" = B ] || fail "artifact after the rollback: $(artifact_name)"

# (e) E ships the Artifact state scripts: its install passes the gate,
# but at commit the self-test finds the risk log's header tampered with,
# so ArtifactCommit_Enter fails and Mender rolls back to B.
sed 's/lab-analyser-b/lab-analyser-e/' "$SCRATCH/B.yaml" > "$SCRATCH/E.yaml"
ctl bundle create --policy "$SCRATCH/E.yaml" -o "$SCRATCH/E.mender" \
	--device-type cylcomed-test --key "$SCRATCH/sign.key" --scripts "$top/mender/scripts" \
	> "$SCRATCH/out" 2>&1 || fail "bundle create E: $(cat "$SCRATCH/out")"
grep -q '4 state script(s), signed' "$SCRATCH/out" || fail "bundle create E said: $(cat "$SCRATCH/out")"
minstall "$SCRATCH/E.mender" || mfail "mender install E"
grep -q 'ArtifactInstall_Enter_00_cylcomed' "$M" || mfail "E's install gate did not run"
[ "$(generation)" -eq 5 ] || fail "E is not generation 5"
active_is "$SCRATCH/E.yaml" || fail "the agent does not run E"
ctl selftest > "$SCRATCH/st" 2>&1 || fail "selftest under E before the tampering: $(cat "$SCRATCH/st")"
printf X | dd of="$RISK/log/entries" bs=1 seek=3 conv=notrunc status=none
if mcommit; then
	mfail "mender committed E although its self-test fails"
fi
grep -q 'not ok - risk log' "$M" || mfail "E's commit failed for another reason"
[ "$(artifact_name)" = B ] || mfail "artifact after E's failed commit: $(artifact_name)"
active_is "$SCRATCH/B.yaml" || fail "B not back in force after E's failed commit"
[ "$(generation)" -eq 6 ] || fail "the rollback from E is not generation 6"
wait_for "an update_rollback event" 20 bash -c \
	"grep -q '\"type\":\"update_rollback\"' '$SCRATCH/events.jsonl'"

# (f) A critical device in a session: Download_Enter (from
# /etc/mender/scripts) answers "retry later" (21) until Mender's retry
# timeout, then the deployment fails cleanly: nothing installed, the
# policy in force unchanged, and an update_failure event.
usb_serial_up
{ printf 'version: 1\ndevices:\n  - name: lab-analyser-b\n    tty: /dev/ttyS0\n'
  printf '  - name: monitor\n    tty: /dev/ttyUSB0\n    framing: lines\n    critical: true\n'
  printf 'mender:\n  session_window_s: 30\n'
  sed -n '/^risk:/,$p' etc/policy.yaml; } > "$SCRATCH/F0.yaml"
ctl policy load "$SCRATCH/F0.yaml" > /dev/null || fail "policy load F0"
gen_f0=$(generation)
stty -F /dev/ttyUSB0 raw -echo
cat /dev/ttyUSB0 > /dev/null &
reader=$!
gate_retries() { local rc=0; ctl update gate > /dev/null 2>&1 || rc=$?; [ $rc -eq 21 ]; }
wait_for "the gate to see the monitor's session" 60 gate_retries
sed 's/lab-analyser-b/lab-analyser-f/' "$SCRATCH/F0.yaml" > "$SCRATCH/F.yaml"
ctl bundle create --policy "$SCRATCH/F.yaml" -o "$SCRATCH/F.mender" \
	--device-type cylcomed-test --key "$SCRATCH/sign.key" --scripts "$top/mender/scripts" \
	> /dev/null || fail "bundle create F"
cat > /etc/mender/mender.conf <<'CONF'
{
  "ArtifactVerifyKey": "/etc/mender/artifact-verify-key.pem",
  "StateScriptRetryIntervalSeconds": 2,
  "StateScriptRetryTimeoutSeconds": 6
}
CONF
if minstall "$SCRATCH/F.mender"; then
	mfail "mender installed F while a critical device was in a session"
fi
kill "$reader"
grep -q 'critical device.*monitor\|monitor.*session' "$M" || mfail "F failed for another reason"
grep -q 'Download_Enter_00_cylcomed requested a retry' "$M" ||
	mfail "Download_Enter (from /etc/mender/scripts) did not defer F"
[ "$(generation)" -eq "$gen_f0" ] || fail "the deferred F changed the generation"
active_is "$SCRATCH/F0.yaml" || fail "F0 no longer in force after the deferred F"
[ "$(artifact_name)" = B ] || mfail "artifact after the deferred F: $(artifact_name)"
grep -q '"type":"update_deferred"' "$SCRATCH/events.jsonl" || fail "no update_deferred event"
wait_for "an update_failure event" 20 bash -c \
	"grep -q '\"type\":\"update_failure\"' '$SCRATCH/events.jsonl'"

# (g) The install gate reads the artifact's own name from Mender's module
# tree: vendor-x, built by hand with the scripts' placeholders left in,
# is refused by a policy that allows only cylcomed-* (refusal comes
# before any retry), and nothing is installed.
{ sed -e '/^risk:/,$d' -e 's/session_window_s: 30/session_window_s: 1/' "$SCRATCH/F0.yaml"
  printf '  allowed_artifacts: ["cylcomed-*"]\n'
  sed -n '/^risk:/,$p' etc/policy.yaml; } > "$SCRATCH/F2.yaml"
ctl policy load "$SCRATCH/F2.yaml" > /dev/null || fail "policy load F2"
gen_f2=$(generation)
gate_proceeds() { ctl update gate > /dev/null 2>&1; }
wait_for "the monitor's session to end (no reader, 1 s window)" 60 gate_proceeds
mkdir "$SCRATCH/g-tree"
cp "$SCRATCH/F0.yaml" "$SCRATCH/g-tree/policy.yaml"
tar -cf "$SCRATCH/g.tar" -C "$SCRATCH/g-tree" policy.yaml
mv "$SCRATCH/g.tar" "$SCRATCH/g-tree/cylcomed-bundle.tar"
set -- 
for f in "$top"/mender/scripts/Artifact*_cylcomed; do set -- "$@" -s "$f"; done
mender-artifact write module-image -T cylcomed-bundle -t cylcomed-test -n vendor-x \
	-o "$SCRATCH/G.mender" -f "$SCRATCH/g-tree/cylcomed-bundle.tar" "$@" \
	-k "$SCRATCH/sign.key" > "$SCRATCH/out" 2>&1 || fail "mender-artifact G: $(cat "$SCRATCH/out")"
if minstall "$SCRATCH/G.mender"; then
	mfail "mender installed vendor-x, which the policy does not allow"
fi
grep -q 'update refused' "$M" || mfail "G failed for another reason"
grep '"type":"update_rejected"' "$SCRATCH/events.jsonl" | grep -q '"vendor-x"' ||
	fail "no update_rejected event naming vendor-x: $(grep update_ "$SCRATCH/events.jsonl")"
[ "$(generation)" -eq "$gen_f2" ] || fail "the refused G changed the generation"
[ "$(artifact_name)" = B ] || mfail "artifact after the refused G: $(artifact_name)"

# The module alone: unknown states are ignored, queries answered.
mod=/usr/share/mender/modules/v3/cylcomed-bundle
[ "$($mod SupportsRollback "$SCRATCH")" = Yes ] || fail "SupportsRollback"
[ "$($mod NeedsArtifactReboot "$SCRATCH")" = No ] || fail "NeedsArtifactReboot"
[ -z "$($mod SomeFutureState "$SCRATCH")" ] || fail "an unknown state printed something"

# Agent gone: the self-test fails at once.
stop_agent
if ctl selftest > "$SCRATCH/st" 2>&1; then
	fail "selftest passed without the agent"
fi
grep -q '^not ok - the agent answers' "$SCRATCH/st" || fail "selftest without agent: $(cat "$SCRATCH/st")"
kmod_unload
rm -rf /sys/fs/bpf/cylcomed
echo "mender bundle: signed install and commit, unsigned refused, refused policy rolled back, rollback after install, failed self-test at commit rolled back, deferred past the retry timeout, a disallowed artifact refused by its own name; selftest"
