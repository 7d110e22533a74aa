#!/usr/bin/env python3
"""Record the kernel's uevents, one line each ("ACTION DEVPATH"), to a
file until killed; prints "listening" on stdout once subscribed, so a
test can wait for that instead of sleeping.

    tests/vm/guest/uevents.py OUTFILE"""
import socket
import sys

NETLINK_KOBJECT_UEVENT = 15

s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_KOBJECT_UEVENT)
s.bind((0, 1))
print("listening", flush=True)
with open(sys.argv[1], "a", buffering=1) as out:
    while True:
        msg = s.recv(65536)
        head = msg.split(b"\0", 1)[0].decode(errors="replace")
        if "@" in head:
            action, path = head.split("@", 1)
            out.write(f"{action} {path}\n")
