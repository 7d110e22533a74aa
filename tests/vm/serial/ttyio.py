#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ttyio: what an unchanged application does with a serial port, for the
serial guard's VM scenarios.

  ttyio.py roundtrip TTY --mode raw|canon [--bytes N]
      Write a pattern to a loopback device (devsim --proto echo) and read it
      back; prints the SHA-256 of what was read, exits 1 if it differs.
  ttyio.py write TTY DATA [--hex]
      One write(2); prints "ok N" or the errno name ("EPERM").
  ttyio.py read TTY --until BYTES [--count N] [--timeout S] [--hex]
      Read in raw mode until BYTES (e.g. "\\x1c\\r") has been seen N
      times; prints what was read (escaped), exits 1 on timeout.
  ttyio.py ask TTY DATA --until BYTES [--timeout S] [--before DATA0]
      Write DATA, then read until BYTES; prints "ok N" and the reply, or
      the errno name of the write.  With --before, first write DATA0 on
      the same open port and print "before: ok N" or "before: EPERM", so
      a reply to DATA0 that should not exist would show in the reply.
  ttyio.py hold TTY
      Open the port and block in read(2) until hang-up; prints "hangup".
"""
import argparse
import errno
import hashlib
import os
import select
import sys
import termios
import time


def set_mode(fd, mode):
    attrs = termios.tcgetattr(fd)
    iflag, oflag, cflag, lflag = attrs[0:4]
    cc = attrs[6]
    iflag &= ~(termios.IGNBRK | termios.BRKINT | termios.PARMRK |
               termios.ISTRIP | termios.INLCR | termios.IGNCR |
               termios.ICRNL | termios.IXON | termios.IXOFF)
    oflag &= ~termios.OPOST
    lflag &= ~(termios.ECHO | termios.ECHONL | termios.ISIG | termios.IEXTEN)
    cflag |= termios.CREAD | termios.CLOCAL
    if mode == "canon":
        lflag |= termios.ICANON
    else:
        lflag &= ~termios.ICANON
        cc[termios.VMIN] = 1
        cc[termios.VTIME] = 0
    attrs[0:4] = [iflag, oflag, cflag, lflag]
    attrs[4] = attrs[5] = termios.B115200
    attrs[6] = cc
    termios.tcsetattr(fd, termios.TCSANOW, attrs)
    termios.tcflush(fd, termios.TCIOFLUSH)


def open_tty(path, mode="raw"):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    set_mode(fd, mode)
    return fd


def pattern(mode, n):
    if mode == "raw":
        # Every byte value, in an order that is not periodic in 256.
        return bytes((i * 7 + (i >> 8)) & 0xFF for i in range(n))
    # Canonical mode: text lines of varying length, each ending in LF.
    out, i = bytearray(), 0
    while len(out) < n:
        out += b"line %05d %s\n" % (i, b"x" * (i % 60))
        i += 1
    return bytes(out)


def read_exactly(fd, n, timeout):
    got = bytearray()
    deadline = time.monotonic() + timeout
    while len(got) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        got += chunk
    return bytes(got)


def cmd_roundtrip(a):
    fd = open_tty(a.tty, a.mode)
    data = pattern(a.mode, a.bytes)
    got = bytearray()
    # Write in pieces and read each back before the next, so no buffer on
    # the way fills; in canonical mode a piece ends with a whole line,
    # since only whole lines become readable.
    off = 0
    while off < len(data):
        end = min(len(data), off + 256)
        if a.mode == "canon":
            end = data.index(b"\n", end - 1) + 1 if b"\n" in data[end - 1:] else len(data)
        os.write(fd, data[off:end])
        piece = read_exactly(fd, end - off, 20)
        got += piece
        if len(piece) < end - off:
            break       # lost bytes: the comparison below says where
        off = end
    os.close(fd)
    print(hashlib.sha256(bytes(got)).hexdigest(), len(got))
    if bytes(got) != data:
        first = next((i for i, (x, y) in enumerate(zip(got, data)) if x != y),
                     min(len(got), len(data)))
        print("differs at byte %d: got %d bytes, wrote %d" %
              (first, len(got), len(data)), file=sys.stderr)
        return 1
    return 0


def unescape(s):
    return s.encode("latin-1").decode("unicode_escape").encode("latin-1")


def cmd_write(a):
    data = bytes.fromhex(a.data) if a.hex else unescape(a.data)
    fd = open_tty(a.tty)
    try:
        n = os.write(fd, data)
        print("ok", n)
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
    os.close(fd)
    return 0


def cmd_read(a):
    until = unescape(a.until)
    fd = open_tty(a.tty)
    got = bytearray()
    deadline = time.monotonic() + a.timeout
    while got.count(until) < a.count:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            sys.stdout.write(got.hex() if a.hex else repr(bytes(got)))
            print("\ntimeout after %.0fs: saw %d of %d" %
                  (a.timeout, got.count(until), a.count), file=sys.stderr)
            return 1
        got += os.read(fd, 65536)
    os.close(fd)
    print(got.hex() if a.hex else repr(bytes(got)))
    return 0


def cmd_ask(a):
    until = unescape(a.until)
    fd = open_tty(a.tty)
    if a.before is not None:
        try:
            print("before: ok", os.write(fd, unescape(a.before)))
        except OSError as e:
            print("before:", errno.errorcode.get(e.errno, str(e.errno)))
    try:
        n = os.write(fd, unescape(a.data))
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)))
        return 0
    got = bytearray()
    deadline = time.monotonic() + a.timeout
    while until not in got:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            print("ok", n, repr(bytes(got)))
            print("no reply within %.0fs" % a.timeout, file=sys.stderr)
            return 1
        got += os.read(fd, 65536)
    print("ok", n, repr(bytes(got)))
    return 0


def cmd_hold(a):
    fd = os.open(a.tty, os.O_RDWR | os.O_NOCTTY)
    print("holding", flush=True)
    while True:
        try:
            if not os.read(fd, 4096):
                break
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            break
    print("hangup", flush=True)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("roundtrip")
    r.add_argument("tty")
    r.add_argument("--mode", choices=["raw", "canon"], default="raw")
    r.add_argument("--bytes", type=int, default=16384)
    w = sub.add_parser("write")
    w.add_argument("tty")
    w.add_argument("data")
    w.add_argument("--hex", action="store_true")
    rd = sub.add_parser("read")
    rd.add_argument("tty")
    rd.add_argument("--until", required=True)
    rd.add_argument("--count", type=int, default=1)
    rd.add_argument("--timeout", type=float, default=30)
    rd.add_argument("--hex", action="store_true")
    k = sub.add_parser("ask")
    k.add_argument("tty")
    k.add_argument("data")
    k.add_argument("--until", required=True)
    k.add_argument("--timeout", type=float, default=30)
    k.add_argument("--before")
    h = sub.add_parser("hold")
    h.add_argument("tty")
    a = p.parse_args()
    return {"roundtrip": cmd_roundtrip, "write": cmd_write,
            "read": cmd_read, "ask": cmd_ask, "hold": cmd_hold}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
