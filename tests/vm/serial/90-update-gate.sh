# Mender's safe-update gate against the real agent: while a critical
# device is in a session (records within session_window_s) the gate and
# the ArtifactInstall_Enter state script say "retry later" (21), with an
# update_deferred event; once the device stops, they let the update
# proceed; an artifact the policy does not allow is refused (1) with an
# update_rejected event; a rollback recorded by the state script is an
# update_rollback event and a risk entry.
#
#   guest: writer -> loopback (devsim echo, critical) -> records -> agent
#          mender/scripts/ArtifactInstall_Enter_00_cylcomed -> cylctl update gate
. tests/vm/serial/lib.sh

serial_up
kmod_load
policy=$SCRATCH/policy.yaml
sed 's/^    write: { mode: open }$/    write: { mode: open }\n    critical: true/' "$SERIAL_POLICY" > "$policy"
grep -q 'critical: true' "$policy" || fail "could not mark the loopback device critical"
cat >> "$policy" <<'POLICY'
mender:
  session_window_s: 3
  allowed_artifacts: ["cylcomed-*"]
POLICY
sed -n '/^risk:/,$p' etc/policy.yaml >> "$policy"
start_agent "$policy"
wait_for "the loopback device attached" 60 serial_attached loopback
export PATH=$top/build/agent:$PATH	# the state scripts call cylctl
script=$top/mender/scripts/ArtifactInstall_Enter_00_cylcomed

gate() {
	local rc=0
	"$CYLCTL" -s "$AGENT_SOCK" update gate --artifact-name cylcomed-bundle-2 \
		> "$SCRATCH/gate.out" 2>&1 || rc=$?
	return $rc
}

# The device streams: one line every 0.3 s, echoed back, each a record.
drain "$ECHO_TTY"
( while :; do printf 'vitals HR=72\n'; sleep 0.3; done > "$ECHO_TTY" ) &
writer=$!
DRAIN_PIDS="${DRAIN_PIDS:-} $writer"
in_session() { gate; [ $? -eq 21 ]; }
wait_for "the gate to see the critical device's session" 60 in_session
grep -q 'loopback' "$SCRATCH/gate.out" || fail "the deferral does not name the device: $(cat "$SCRATCH/gate.out")"
rc=0
CYLCOMED_ARTIFACT_NAME=cylcomed-bundle-2 sh "$script" 2> "$SCRATCH/script.err" || rc=$?
[ $rc -eq 21 ] || fail "ArtifactInstall_Enter during a session: exit $rc, $(cat "$SCRATCH/script.err")"
wait_for "an update_deferred event" 20 bash -c "grep -q '\"type\":\"update_deferred\"' '$SCRATCH/events.jsonl'"
echo "ok: a streaming critical device defers the update (21)"

# It stops: after the window the update may proceed.
kill "$writer"
wait "$writer" 2>/dev/null
proceeds() { gate; }
wait_for "the gate to let the update proceed after the session" 60 proceeds
CYLCOMED_ARTIFACT_NAME=cylcomed-bundle-2 sh "$script" 2> "$SCRATCH/script.err" ||
	fail "ArtifactInstall_Enter after the session: $(cat "$SCRATCH/script.err")"
echo "ok: once it stops, the update proceeds (0)"

# An artifact the policy does not allow.
rc=0
CYLCOMED_ARTIFACT_NAME=vendor-image-9 sh "$script" 2> "$SCRATCH/script.err" || rc=$?
[ $rc -eq 1 ] || fail "a disallowed artifact: exit $rc"
wait_for "an update_rejected event" 20 bash -c \
	"grep '\"type\":\"update_rejected\"' '$SCRATCH/events.jsonl' | grep -q vendor-image-9"
echo "ok: an artifact the policy does not allow is refused (1)"

# A rollback, as its state script records it: an event and a risk entry.
sh "$top/mender/scripts/ArtifactRollback_Enter_00_cylcomed" 2> "$SCRATCH/script.err" ||
	fail "ArtifactRollback_Enter: $(cat "$SCRATCH/script.err")"
wait_for "an update_rollback event with its risk entry" 20 bash -c \
	"grep '\"type\":\"update_rollback\"' '$SCRATCH/events.jsonl' | grep -q '\"risk_entry\":\"R-UPDATE-UNSIGNED\"'"
echo "ok: a rollback is an update_rollback event and an R-UPDATE-UNSIGNED risk entry"
stop_agent
kmod_unload
