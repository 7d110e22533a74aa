#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A pty standing in for a serial device, for scenarios that need to send
more, or faster, than a simulator behind qemu can.

Prints the slave's path, then reads commands on stdin, one per line:
  lines N       send N lines "L%05d\\n" (numbering continues)
  frame SIZE    send one line of SIZE bytes (SIZE-1 letters and "\\n")
Answers each with "sent TOTAL" (bytes sent so far) once written.
"""
import os
import sys

master, slave = os.openpty()
print(os.ttyname(slave), flush=True)
n = total = 0
for cmd in sys.stdin:
    word, arg = cmd.split()
    if word == "lines":
        data = b"".join(b"L%05d\n" % (n + i) for i in range(int(arg)))
        n += int(arg)
    else:
        size = int(arg)
        data = bytes(ord("a") + i % 26 for i in range(size - 1)) + b"\n"
    for off in range(0, len(data), 4096):
        total += os.write(master, data[off:off + 4096])
    print("sent", total, flush=True)
