#!/usr/bin/env python3
"""firmware/mkinitramfs.py — write the appliance's initramfs as a cpio
"newc" archive, reproducibly.

usage: mkinitramfs.py SPEC MTIME > initramfs.cpio

SPEC has one entry a line, fields separated by single spaces:
    dir  PATH MODE
    file PATH MODE SOURCE
    nod  PATH MODE c|b MAJOR MINOR
PATH is inside the archive (no leading '/'), MODE is octal permissions.

Everything about an entry is given here, nothing is taken from the build
host's file system but a file's bytes: owner and group 0, the one mtime
MTIME (SOURCE_DATE_EPOCH), inode numbers counted from 1 in archive order,
no device numbers of the host. Entries are written sorted by path
component, so a folder precedes what it holds. Writing the archive here
(rather than with cpio -o from a staged tree) is what lets the initramfs
carry a /dev/console node without root.
"""
import stat
import sys


def header(ino, mode, nlink, mtime, size, rmaj, rmin, name):
    fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, rmaj, rmin, len(name) + 1, 0]
    h = b"070701" + b"".join(b"%08X" % f for f in fields) + name + b"\0"
    return h + b"\0" * (-len(h) % 4)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkinitramfs.py SPEC MTIME")
    mtime = int(sys.argv[2])
    entries = {}
    for n, line in enumerate(open(sys.argv[1]), 1):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split(" ")
        kind, path, mode = f[0], f[1].strip("/"), int(f[2], 8)
        if not path or ".." in path.split("/") or path in entries or mode & ~0o7777:
            sys.exit(f"{sys.argv[1]}:{n}: bad or repeated entry: {line}")
        if kind == "dir" and len(f) == 3:
            entries[path] = (stat.S_IFDIR | mode, 2, b"", 0, 0)
        elif kind == "file" and len(f) == 4:
            entries[path] = (stat.S_IFREG | mode, 1, open(f[3], "rb").read(), 0, 0)
        elif kind == "nod" and len(f) == 6 and f[3] in ("c", "b"):
            t = stat.S_IFCHR if f[3] == "c" else stat.S_IFBLK
            entries[path] = (t | mode, 1, b"", int(f[4]), int(f[5]))
        else:
            sys.exit(f"{sys.argv[1]}:{n}: cannot read: {line}")
    for path in entries:  # every parent folder must be listed too
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        if parent is not None and not (parent in entries and stat.S_ISDIR(entries[parent][0])):
            sys.exit(f"{path}: its folder {parent} is not in the spec")
    out = sys.stdout.buffer
    ino = 0
    for path in sorted(entries, key=lambda p: p.split("/")):
        mode, nlink, data, rmaj, rmin = entries[path]
        ino += 1
        out.write(header(ino, mode, nlink, mtime, len(data), rmaj, rmin, path.encode()))
        out.write(data + b"\0" * (-len(data) % 4))
    out.write(header(0, 0, 1, 0, 0, 0, 0, b"TRAILER!!!"))
    out.flush()


if __name__ == "__main__":
    main()
