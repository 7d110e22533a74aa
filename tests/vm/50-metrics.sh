# The agent's Prometheus endpoint and cylctl stats count the events the
# BPF program reports, per type and verdict, and list every policy
# device; the endpoint serves GET /metrics only, and a client that never
# finishes its request holds neither the loop nor other scrapers.  Under
# systemd's protocol the agent says READY=1 and pings the watchdog.
#
#   host:  tests/sim/devsim --unix socket--> qemu usb-serial (FT232)
#   guest: stty -> open(/dev/ttyUSB0) -> [BPF LSM file_open] --ringbuf--> cylcomedd
#          python3 urllib --HTTP 127.0.0.1:9464 GET /metrics--> cylcomedd
#          python3 raw socket --"GET /metrics HTTP/1.1\r\nHost: x\r\n" (held open)--> cylcomedd
#          cylctl stats --json --control.sock--> cylcomedd
#          cylcomedd --READY=1, WATCHDOG=1 ($NOTIFY_SOCKET)--> python3 AF_UNIX dgram socket
. tests/vm/lib.sh

need_file /sys/kernel/security/lsm "securityfs"
grep -q bpf /sys/kernel/security/lsm || fail "BPF LSM not active (lsm= on the kernel command line)"
python3 -c 'import prometheus_client.parser' 2>/dev/null ||
	fail "python3-prometheus-client missing (scripts/setup installs it)"
usb_serial_up

monitor_policy "$SCRATCH/policy.yaml"
start_agent "$SCRATCH/policy.yaml"
grep -q 'metrics on http://127.0.0.1:9464/metrics' "$AGENT_LOG" ||
	fail "agent did not report its metrics endpoint: $(cat "$AGENT_LOG")"

# One open of the guarded tty (stty opens it non-blocking).
stty -F /dev/ttyUSB0 raw -echo || fail "stty /dev/ttyUSB0"
wait_for "the agent's tty_open event" 30 grep -q 'event: tty_open dev=188:0 ' "$AGENT_LOG"

python3 - "$SCRATCH" <<'PY' || fail "metrics endpoint (agent log: $(tail -n 20 "$AGENT_LOG"))"
import json, socket, sys, time, urllib.error, urllib.request
from prometheus_client.parser import text_string_to_metric_families

URL = "http://127.0.0.1:9464"

def scrape():
    with urllib.request.urlopen(URL + "/metrics", timeout=5) as r:
        assert r.status == 200, r.status
        ctype = r.headers["Content-Type"]
        assert ctype == "text/plain; version=0.0.4", ctype
        assert r.headers["Connection"] == "close", r.headers
        text = r.read().decode()
    # The parser folds a counter's _total suffix into the family name.
    return {f.name: f for f in text_string_to_metric_families(text)}

fams = scrape()
want = {
    "cylcomed_events": "counter",
    "cylcomed_ringbuf_drops": "counter",
    "cylcomed_device_frames": "counter",
    "cylcomed_device_bytes": "counter",
    "cylcomed_device_flows": "counter",
    "cylcomed_policy_generation": "gauge",
    "cylcomed_uptime_seconds": "gauge",
    "cylcomed_build_info": "gauge",
}
for name, typ in want.items():
    assert name in fams, (name, sorted(fams))
    assert fams[name].type == typ, (name, fams[name].type)
    assert fams[name].documentation, name

ev = {(s.labels["type"], s.labels["verdict"]): s.value
      for s in fams["cylcomed_events"].samples}
assert ev.get(("tty_open", "audit"), 0) >= 1, ev
for fam in ("cylcomed_device_frames", "cylcomed_device_bytes", "cylcomed_device_flows"):
    devs = {s.labels["device"]: s.value for s in fams[fam].samples}
    assert devs == {"monitor-icu-1": 0}, (fam, devs)
assert [s.value for s in fams["cylcomed_ringbuf_drops"].samples] == [0]
assert [s.value for s in fams["cylcomed_policy_generation"].samples] == [1]
info = fams["cylcomed_build_info"].samples
assert len(info) == 1 and info[0].labels == {"version": "0.1.0"} and info[0].value == 1, info

# Only GET /metrics.
for method, path, code in (("GET", "/other", 404), ("POST", "/metrics", 405)):
    try:
        urllib.request.urlopen(urllib.request.Request(URL + path, method=method,
                               data=b"" if method == "POST" else None), timeout=5)
        raise AssertionError(f"{method} {path} answered 200")
    except urllib.error.HTTPError as e:
        assert e.code == code, (method, path, e.code)

# Half a request, held open, does not stop the next scraper...
slow = socket.create_connection(("127.0.0.1", 9464), timeout=5)
slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
t0 = time.monotonic()
assert "cylcomed_events" in scrape()
assert time.monotonic() - t0 < 5, "second client waited behind the slow one"
# ...and the server drops it at its deadline without an answer.
slow.settimeout(15)
assert slow.recv(1024) == b"", "slow client got data"
slow.close()
# Garbage gets a 400, not a hang.
bad = socket.create_connection(("127.0.0.1", 9464), timeout=5)
bad.sendall(b"\x00\x01 nonsense\r\n\r\n")
reply = bad.recv(1024)
assert reply.startswith(b"HTTP/1.1 400 "), reply
bad.close()
PY

# cylctl stats agrees with the endpoint.
"$CYLCTL" -s "$AGENT_SOCK" stats --json > "$SCRATCH/stats.json" || fail "cylctl stats --json"
"$CYLCTL" -s "$AGENT_SOCK" stats > "$SCRATCH/stats.txt" || fail "cylctl stats"
grep -q 'monitor-icu-1' "$SCRATCH/stats.txt" || fail "human stats lack the device: $(cat "$SCRATCH/stats.txt")"
python3 - "$SCRATCH/stats.json" <<'PY' || fail "stats vs /metrics: $(cat "$SCRATCH/stats.json")"
import json, sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families

st = json.load(open(sys.argv[1]))
assert st["ok"] is True, st
text = urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=5).read().decode()
fams = {f.name: f for f in text_string_to_metric_families(text)}
http = {(s.labels["type"], s.labels["verdict"]): s.value
        for s in fams["cylcomed_events"].samples}
cli = {(e["type"], e["verdict"]): e["value"] for e in st["events_total"]}
assert http == cli and cli.get(("tty_open", "audit"), 0) >= 1, (http, cli)
assert [d["device"] for d in st["devices"]] == ["monitor-icu-1"], st["devices"]
assert st["ringbuf_drops_total"] == 0 and st["policy_generation"] == 1, st
PY
stop_agent

# The watchdog: READY=1, then WATCHDOG=1 every WATCHDOG_USEC/2.  The
# endpoint is off this time, so nothing may listen on its port.
python3 - "$SCRATCH/notify.sock" > "$SCRATCH/notify.out" 2>&1 <<'PY' &
import select, socket, sys, time

s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
got, ready_at = [], None
deadline = time.monotonic() + 120          # until READY=1: BPF load under TCG
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit(f"timed out: got {got}")
    if not select.select([s], [], [], left)[0]:
        continue
    msg = s.recv(4096).decode()
    got.append(msg)
    if msg == "READY=1" and ready_at is None:
        ready_at = time.monotonic()
        deadline = ready_at + 5
    if ready_at is not None and got.count("WATCHDOG=1") >= 2:
        print(f"ok: {got}")
        sys.exit(0)
PY
notify_pid=$!
wait_for "the notify socket" 10 test -S "$SCRATCH/notify.sock"
NOTIFY_SOCKET=$SCRATCH/notify.sock WATCHDOG_USEC=400000 \
	start_agent "$SCRATCH/policy.yaml" --metrics-listen off
wait "$notify_pid" || fail "READY=1 and two WATCHDOG=1 within 5 s: $(cat "$SCRATCH/notify.out")"
grep -q 'watchdog: WATCHDOG=1 every 200 ms' "$AGENT_LOG" || fail "agent did not log its watchdog: $(cat "$AGENT_LOG")"
python3 -c 'import socket; socket.create_connection(("127.0.0.1", 9464), timeout=2)' 2>/dev/null &&
	fail "--metrics-listen off, yet something listens on 9464"
stop_agent

rm -rf /sys/fs/bpf/cylcomed
echo "metrics: endpoint parsed, 404/405/400, slow client harmless, stats agree, watchdog pings"
