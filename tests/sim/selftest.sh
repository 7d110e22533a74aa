#!/bin/bash
# Host-only smoke test of the protocol simulators: no guest, no qemu.
#
#   python3 client  --unix socket-->  hl7mon | astmsim | pumpsim
#   (the gateway)   --control------>  (fault, burst, send, stats)
#
# Each simulator runs as a daemon on temporary sockets; the client plays
# the gateway, checks the bytes on the wire and arms faults on the control
# socket.  Every wait is a read with a timeout, never a sleep.
# Prints TAP; exits 1 if a test failed.
#
#   tests/sim/selftest.sh [BINDIR]     default build/tests/sim (make tools)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
bindir=${1:-build/tests/sim}
for b in hl7mon astmsim pumpsim; do
	[ -x "$bindir/$b" ] || { echo "not ok - $bindir/$b is not built (make tools)"; exit 1; }
done
exec timeout 30 python3 - "$bindir" <<'EOF'
import os, re, select, signal, socket, subprocess, sys, tempfile, time, traceback

BIN = sys.argv[1]
TMP = tempfile.mkdtemp(prefix='cylsim.')
WAIT = 3.0                      # seconds any single read may take
VT, FS, CR = b'\x0b', b'\x1c', b'\r'
STX, ETX, EOT, ENQ, ACK, LF, NAK, ETB = b'\x02', b'\x03', b'\x04', b'\x05', b'\x06', b'\n', b'\x15', b'\x17'
results = []
sims = []


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


class Conn:
    """One stream socket with a read buffer; every read has a deadline."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b''

    def fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise Fail('timed out; got %r' % self.buf[-200:])
        self.s.settimeout(left)
        try:
            data = self.s.recv(65536)
        except socket.timeout:
            raise Fail('timed out; got %r' % self.buf[-200:])
        if not data:
            raise EOFError
        self.buf += data

    def until(self, delim, wait=WAIT):
        """Bytes up to and including the first @delim."""
        deadline = time.monotonic() + wait
        while delim not in self.buf:
            self.fill(deadline)
        i = self.buf.index(delim) + len(delim)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def exact(self, n, wait=WAIT):
        deadline = time.monotonic() + wait
        while len(self.buf) < n:
            self.fill(deadline)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def peek(self, n, wait=WAIT):
        deadline = time.monotonic() + wait
        while len(self.buf) < n:
            self.fill(deadline)
        return self.buf[:n]

    def send(self, data):
        self.s.sendall(data)

    def close(self):
        self.s.close()


class Sim:
    def __init__(self, prog, *args):
        self.prog = prog
        base = os.path.join(TMP, '%s%d' % (prog, len(sims)))
        self.sock, self.ctlpath = base + '.sock', base + '.ctl'
        self.rxlog, self.log, self.pidfile = base + '.rx', base + '.log', base + '.pid'
        subprocess.run([os.path.join(BIN, prog), '--socket', self.sock,
                        '--control', self.ctlpath, '--rx-log', self.rxlog,
                        '--log', self.log, '--daemon', '--pidfile', self.pidfile,
                        *args], check=True, timeout=5)
        self.pid = int(open(self.pidfile).read())
        sims.append(self)
        self.ctl = Conn(self.ctlpath)

    def connect(self):
        return Conn(self.sock)

    def cmd(self, line):
        self.ctl.send(line.encode() + b'\n')
        return self.ctl.until(b'\n').decode().rstrip('\n')

    def ok(self, line):
        r = self.cmd(line)
        check(r.startswith('ok'), '%s: %r' % (line, r))
        return r

    def stat(self, name):
        m = re.search(r'\b%s=(\d+)' % name, self.ok('stats'))
        check(m, 'no %s in stats' % name)
        return int(m.group(1))

    def stop(self):
        """SIGTERM, then wait for the control connection to close."""
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + WAIT
        try:
            while True:
                self.ctl.fill(deadline)
        except EOFError:
            pass
        sims.remove(self)


def test(name):
    def run(fn):
        try:
            fn()
            results.append(True)
            print('ok - %s' % name)
        except Exception as e:
            results.append(False)
            print('not ok - %s' % name)
            detail = str(e) if isinstance(e, Fail) else traceback.format_exc()
            for line in detail.splitlines():
                print('#   %s' % line)
        sys.stdout.flush()
        return fn
    return run


# ---------------------------------------------------------------- HL7 ----

def mllp_unit(c):
    """Next MLLP unit: ('ok'|'badend'|'cut', bytes)."""
    check(c.peek(1) == VT, 'MLLP unit does not start with VT: %r' % c.peek(1))
    deadline = time.monotonic() + WAIT
    while True:
        i, j = c.buf.find(FS, 1), c.buf.find(VT, 1)
        if j >= 0 and (i < 0 or j < i):
            out, c.buf = c.buf[:j], c.buf[j:]
            return 'cut', out
        if i >= 0 and len(c.buf) > i + 1:
            out, c.buf = c.buf[:i + 2], c.buf[i + 2:]
            return ('ok' if out.endswith(FS + CR) else 'badend'), out
        c.fill(deadline)


def hl7_message(c):
    kind, m = mllp_unit(c)
    check(kind == 'ok', 'expected a well-framed message, got %s %r' % (kind, m[-40:]))
    return m


def control_id(m):
    msh = m[1:].split(CR)[0].decode()
    return int(msh.split('|')[9])


hl7 = Sim('hl7mon', '--interval-ms', '40', '--seed', '7')
hl7q = Sim('hl7mon', '--interval-ms', '0')     # speaks only when told


@test('hl7mon: MLLP-framed ORU^R01 with MSH, PID, OBR, six LOINC OBX')
def _():
    global hl7c
    hl7c = hl7.connect()
    m = hl7_message(hl7c)
    segs = m[1:-2].split(CR)
    check(segs[-1] == b'', 'last segment does not end in CR')
    names = [s[:3] for s in segs[:-1]]
    check(names == [b'MSH', b'PID', b'OBR'] + [b'OBX'] * 6, 'segments %r' % names)
    msh = segs[0].decode().split('|')
    check(msh[1] == '^~\\&' and msh[8] == 'ORU^R01^ORU_R01' and msh[11] == '2.5',
          'MSH %r' % msh)
    for loinc in ('8867-4', '59408-5', '8480-6', '8462-4', '9279-1', '8310-5'):
        check(('|%s^' % loinc).encode() in m, 'no OBX for LOINC %s' % loinc)


def gap_free(seqs, sim):
    """Increasing; by one unless the line dropped periodic frames."""
    check(seqs == sorted(set(seqs)), 'not increasing: %r' % seqs)
    check(seqs == list(range(seqs[0], seqs[0] + len(seqs))) or sim.stat('dropped_frames'),
          'gap without a dropped frame: %r' % seqs)


@test('hl7mon: control ids (MSH-10) increase by one')
def _():
    gap_free([control_id(hl7_message(hl7c)) for _ in range(4)], hl7)


@test('hl7mon: a new client after a hang-up gets the following ids')
def _():
    global hl7c
    last = control_id(hl7_message(hl7c))
    hl7c.close()
    hl7c = hl7.connect()
    first = control_id(hl7_message(hl7c))
    check(first > last, 'id %d after %d' % (first, last))
    check(hl7.stat('connects') == 2, 'connects is not 2')
    hl7c.close()


@test('hl7mon: rx-log empty before the gateway writes; an ACK is logged raw and counted')
def _():
    global qc
    qc = hl7q.connect()
    hl7q.ok('burst 1')
    m = hl7_message(qc)
    check(os.path.getsize(hl7q.rxlog) == 0, 'rx-log not empty')
    ack = VT + b'MSH|^~\\&|CYLGW|HOSP|CYLMON|ICU|20260101000000||ACK^R01|A1|P|2.5\rMSA|AA|%d\r' % control_id(m) + FS + CR
    qc.send(ack)
    check(hl7q.stat('acks') == 1, 'acks is not 1')   # after the device read it
    check(open(hl7q.rxlog, 'rb').read() == ack, 'rx-log differs from the bytes sent')
    check('MSA AA for control id %d' % control_id(m) in open(hl7q.log).read(),
          'the ACK is not in the log')


@test('hl7mon: burst 5 sends five messages with consecutive ids')
def _():
    hl7q.ok('burst 5')
    ids = [control_id(hl7_message(qc)) for _ in range(5)]
    check(ids == list(range(ids[0], ids[0] + 5)), 'ids %r' % ids)


@test('hl7mon: fault checksum ends the next message in FS X')
def _():
    hl7q.ok('fault checksum')
    hl7q.ok('burst 2')
    kind, m = mllp_unit(qc)
    check(kind == 'badend' and m.endswith(FS + b'X'), '%s %r' % (kind, m[-10:]))
    hl7_message(qc)


@test('hl7mon: fault truncate cuts a message before FS CR, the next VT follows')
def _():
    hl7q.ok('fault truncate')
    hl7q.ok('burst 1')
    kind, m = mllp_unit(qc)
    check(kind == 'cut' and FS not in m, '%s %r' % (kind, m[-20:]))
    n = hl7_message(qc)
    check(control_id(n) == control_id(m) + 1, 'ids %d then %d' % (control_id(m), control_id(n)))


@test('hl7mon: fault oversize 3000 makes a 3000-byte message')
def _():
    hl7q.ok('fault oversize 3000')
    hl7q.ok('burst 1')
    m = hl7_message(qc)
    check(len(m) == 3000 and b'\rNTE|1||XXX' in m, 'length %d' % len(m))


@test('hl7mon: send HEX writes raw bytes')
def _():
    hl7q.ok('send 0b 41 1c 0d')
    check(qc.exact(4) == b'\x0bA\x1c\r', 'bytes differ')
    check(hl7q.cmd('send 4').startswith('error:'), 'odd hex accepted')
    check(hl7q.cmd('fault bogus').startswith('error:'), 'unknown fault accepted')


@test('hl7mon: SIGTERM ends it cleanly, sockets removed')
def _():
    qc.close()
    hl7q.stop()
    check(not os.path.exists(hl7q.sock) and not os.path.exists(hl7q.ctlpath) and
          not os.path.exists(hl7q.pidfile), 'sockets or pidfile left behind')
    # Not as a daemon: the exit status.  It logs to stderr once it listens.
    sock = os.path.join(TMP, 'fg.sock')
    p = subprocess.Popen([os.path.join(BIN, 'hl7mon'), '--socket', sock],
                         stderr=subprocess.PIPE)
    ready, _, _ = select.select([p.stderr], [], [], WAIT)
    check(ready and b'listening' in p.stderr.readline(), 'never listened')
    c = Conn(sock)
    hl7_message(c)
    p.send_signal(signal.SIGTERM)
    check(p.wait(timeout=WAIT) == 0, 'exit status %s' % p.returncode)
    p.stderr.close()
    check(not os.path.exists(sock), 'socket left behind')


# --------------------------------------------------------------- ASTM ----

def astm_frame(c):
    """STX FN text ETX|ETB C1 C2 CR LF -> (fn, text, end, checksum_ok, raw)."""
    check(c.peek(1) == STX, 'expected STX, got %r' % c.peek(1))
    raw = c.until(CR + LF)
    body = raw[1:-4]
    want = b'%02X' % (sum(body) % 256)
    check(len(body) >= 2 and body[-1:] in (ETX, ETB), 'malformed frame %r' % raw[:60])
    return int(body[:1]), body[1:-1], body[-1:], raw[-4:-2] == want, raw


def astm_receive(c, nak_first=False):
    """ACK an ENQ that was read, then every frame until EOT; returns frames."""
    c.send(ACK)
    frames = []
    while c.peek(1) != EOT:
        f = astm_frame(c)
        if nak_first and not frames:
            c.send(NAK)
            again = astm_frame(c)
            check(again[4] == f[4], 'retransmission differs')
            f = again
        frames.append(f)
        c.send(ACK)
    c.exact(1)
    return frames


def records(frames):
    text = b''.join(f[1] for f in frames)
    return [r for r in text.split(CR) if r]


ah = Sim('astmsim', '--interval-ms', '0', '--comment-len', '600',
         '--retry-ms', '50', '--ack-timeout-ms', '2000')
an = Sim('astmsim', '--interval-ms', '0', '--no-handshake')


@test('astmsim: NAK to ENQ is retried; frames have good checksums, FN 1..7,0,1.., ETB splits')
def _():
    global ac
    ac = ah.connect()
    ah.ok('burst 1')
    check(ac.exact(1) == ENQ, 'no ENQ')
    ac.send(NAK)
    check(ac.exact(1) == ENQ, 'no second ENQ after NAK')
    frames = astm_receive(ac)
    check(all(f[3] for f in frames), 'checksum mismatch')
    fns = [f[0] for f in frames]
    check(fns == [(i + 1) % 8 for i in range(len(frames))], 'frame numbers %r' % fns)
    check(all(len(f[1]) <= 240 for f in frames), 'frame text over 240')
    check(any(f[2] == ETB for f in frames), 'no ETB frame for the long comment')
    check(all(f[1].endswith(CR) == (f[2] == ETX) for f in frames), 'ETX/ETB vs record ends')
    kinds = [r[:1] for r in records(frames)]
    check(kinds == [b'H', b'P', b'O', b'R', b'R', b'R', b'C', b'L'], 'records %r' % kinds)
    check(records(frames)[0].split(b'|')[2] == b'1', 'H-3 is not sequence 1')


@test('astmsim: a NAKed frame is retransmitted unchanged')
def _():
    ah.ok('burst 1')
    check(ac.exact(1) == ENQ, 'no ENQ')
    frames = astm_receive(ac, nak_first=True)
    check(records(frames)[0].split(b'|')[2] == b'2', 'H-3 is not 2')
    check(ah.stat('retransmits') == 1, 'retransmits is not 1')


@test('astmsim: fault checksum spoils one frame; the retransmission is correct')
def _():
    ah.ok('fault checksum')
    ah.ok('burst 1')
    check(ac.exact(1) == ENQ, 'no ENQ')
    ac.send(ACK)
    f = astm_frame(ac)
    check(not f[3], 'checksum is right')
    ac.send(NAK)
    g = astm_frame(ac)
    check(g[3] and g[0] == f[0] and g[1] == f[1], 'bad retransmission')
    ac.send(ACK)
    rest = []
    while ac.peek(1) != EOT:
        rest.append(astm_frame(ac))
        ac.send(ACK)
    ac.exact(1)
    check(all(x[3] for x in rest), 'another bad checksum')


@test('astmsim: after the 7th NAK of a frame it sends EOT and later resends the message')
def _():
    ah.ok('burst 1')
    check(ac.exact(1) == ENQ, 'no ENQ')
    ac.send(ACK)
    first = astm_frame(ac)
    for i in range(6):
        ac.send(NAK)
        check(astm_frame(ac)[4] == first[4], 'retransmission %d differs' % (i + 1))
    ac.send(NAK)
    check(ac.exact(1) == EOT, 'no EOT after 7 NAKs')
    check(ac.exact(1) == ENQ, 'no new bid')
    frames = astm_receive(ac)
    check(records(frames)[0].split(b'|')[2] == b'4', 'the message was not kept')


@test('astmsim: as receiver it ACKs a good frame, NAKs a bad checksum')
def _():
    ac.send(ENQ)
    check(ac.exact(1) == ACK, 'ENQ not acknowledged')
    body = b'1H|\\^&\r' + ETX
    ac.send(STX + body + b'%02X' % (sum(body) % 256) + CR + LF)
    check(ac.exact(1) == ACK, 'good frame not ACKed')
    body = b'2L|1|N\r' + ETX
    ac.send(STX + body + b'%02X' % ((sum(body) + 1) % 256) + CR + LF)
    check(ac.exact(1) == NAK, 'bad checksum not NAKed')
    ac.send(EOT)
    check(ah.stat('rx_frames') == 1 and ah.stat('rx_bad_frames') == 1, 'counters')


@test('astmsim: no reply to ENQ times out with EOT')
def _():
    t = Sim('astmsim', '--interval-ms', '0', '--ack-timeout-ms', '100', '--retry-ms', '60000')
    c = t.connect()
    t.ok('burst 1')
    check(c.exact(1) == ENQ, 'no ENQ')
    check(c.exact(1) == EOT, 'no EOT after the timeout')
    check(t.stat('timeouts') == 1, 'timeouts is not 1')
    c.close()
    t.stop()


def astm_whole(c):
    """--no-handshake: ENQ frames EOT; returns the frames."""
    check(c.exact(1) == ENQ, 'no ENQ')
    frames = []
    while c.peek(1) != EOT:
        frames.append(astm_frame(c))
    c.exact(1)
    return frames


@test('astmsim --no-handshake: burst 3 sends three whole messages, consecutive H-3')
def _():
    global nc
    nc = an.connect()
    an.ok('burst 3')
    seqs = []
    for _ in range(3):
        frames = astm_whole(nc)
        check(all(f[3] for f in frames), 'checksum mismatch')
        seqs.append(int(records(frames)[0].split(b'|')[2]))
    check(seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2], 'H-3 %r' % seqs)


@test('astmsim --no-handshake: fault truncate sends a frame without ETX, then STX')
def _():
    an.ok('fault truncate')
    an.ok('burst 1')
    check(nc.exact(1) == ENQ, 'no ENQ')
    cut = nc.exact(1)
    check(cut == STX, 'no STX')
    cut += nc.until(STX)
    check(ETX not in cut and ETB not in cut and CR + LF not in cut, 'cut frame %r' % cut)
    nc.buf = STX + nc.buf
    frames = []
    while nc.peek(1) != EOT:
        frames.append(astm_frame(nc))
    nc.exact(1)
    check(frames and all(f[3] for f in frames), 'the rest is not clean')


@test('astmsim --no-handshake: fault oversize 400 sends one 400-byte frame, checksum right')
def _():
    an.ok('fault oversize 400')
    an.ok('burst 1')
    frames = astm_whole(nc)
    big = [f for f in frames if len(f[4]) == 400]
    check(len(big) == 1 and big[0][3] and big[0][1].startswith(b'C|'), 'no such frame')
    check(an.cmd('fault oversize 15').startswith('error:'), 'oversize 15 accepted')


@test('astmsim --no-handshake: fault checksum spoils the first frame only')
def _():
    an.ok('fault checksum')
    an.ok('burst 1')
    ok = [f[3] for f in astm_whole(nc)]
    check(ok[0] is False and all(ok[1:]), 'checksums %r' % ok)


# --------------------------------------------------------------- pump ----

pump = Sim('pumpsim', '--interval-ms', '0')
pumpt = Sim('pumpsim', '--interval-ms', '40')
pumpx = Sim('pumpsim', '--interval-ms', '0', '--checksum')


def xor(b):
    x = 0
    for c in b:
        x ^= c
    return x


@test('pumpsim: RATE? answers RATE 12.5; rx-log holds exactly what was written')
def _():
    global pc
    pc = pump.connect()
    check(os.path.getsize(pump.rxlog) == 0, 'rx-log not empty')
    pc.send(b'RATE?\r')
    check(pc.until(CR) == b'RATE 12.5\r', 'reply')
    check(open(pump.rxlog, 'rb').read() == b'RATE?\r', 'rx-log')


@test('pumpsim: SET RATE, STATUS?, BOLUS, STOP, unknown command')
def _():
    for cmd, want in ((b'SET RATE 20', b'OK'), (b'RATE?', b'RATE 20.0'),
                      (b'STATUS?', b'STATUS RUNNING RATE=20.0 VTBI=250.0'),
                      (b'BOLUS 2.5', b'OK'), (b'STOP', b'OK'), (b'START', b'OK'),
                      (b'SET RATE 9999', b'ERR RANGE'), (b'FROB', b'ERR UNKNOWN')):
        pc.send(cmd + CR)
        got = pc.until(CR)
        check(got == want + CR, '%r -> %r' % (cmd, got))


@test('pumpsim: its own output echoed back is not answered')
def _():
    pc.send(b'OK\rERR UNKNOWN\rRATE?\r')
    check(pc.until(CR) == b'RATE 20.0\r', 'an echo was answered')


@test('pumpsim: fault checksum appends a wrong *HH')
def _():
    pump.ok('fault checksum')
    pc.send(b'RATE?\r')
    line = pc.until(CR)[:-1]
    m = re.fullmatch(rb'(RATE 20\.0)\*([0-9A-F]{2})', line)
    check(m and int(m.group(2), 16) != xor(m.group(1)), 'line %r' % line)


@test('pumpsim: fault truncate sends half a line without CR, a status line follows')
def _():
    pump.ok('fault truncate')
    pc.send(b'RATE?\r')
    line = pc.until(CR)
    check(re.fullmatch(rb'RATESTATUS RUNNING RATE=20\.0 VTBI=250\.0 SEQ=\d+\r', line),
          'got %r' % line)


@test('pumpsim: fault oversize 100 pads the next line to 100 bytes')
def _():
    pump.ok('fault oversize 100')
    pc.send(b'RATE?\r')
    line = pc.until(CR)
    check(len(line) == 100 and line.startswith(b'RATE 20.0 PAD=X'), 'got %r' % line)


@test('pumpsim: burst 5 sends five status lines with consecutive SEQ')
def _():
    pump.ok('burst 5')
    seqs = [int(re.search(rb'SEQ=(\d+)', pc.until(CR)).group(1)) for _ in range(5)]
    check(seqs == list(range(seqs[0], seqs[0] + 5)), 'SEQ %r' % seqs)
    check(pump.stat('rx_bytes') == os.path.getsize(pump.rxlog), 'rx_bytes vs rx-log')


@test('pumpsim: unsolicited status lines every interval, SEQ from 1 up')
def _():
    c = pumpt.connect()
    lines = [c.until(CR) for _ in range(3)]
    seqs = [int(re.search(rb' SEQ=(\d+)\r$', x).group(1)) for x in lines]
    check(seqs[0] == 1, 'first SEQ %d' % seqs[0])
    gap_free(seqs, pumpt)
    c.close()


@test('pumpsim --checksum: lines end in a right *HH, a wrong one is refused')
def _():
    c = pumpx.connect()
    c.send(b'RATE?\r')
    line = c.until(CR)[:-1]
    check(line[-3:-2] == b'*' and int(line[-2:], 16) == xor(line[:-3]), 'line %r' % line)
    c.send(b'RATE?*%02X\r' % (xor(b'RATE?') ^ 1))
    check(c.until(CR).startswith(b'ERR CHECKSUM*'), 'wrong checksum accepted')
    c.close()


for s in list(sims):
    try:
        s.stop()
    except Exception:
        pass
for f in os.listdir(TMP):
    os.unlink(os.path.join(TMP, f))
os.rmdir(TMP)
print('1..%d' % len(results))
print('# %d passed, %d failed' % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)
EOF
