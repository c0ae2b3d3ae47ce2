#!/usr/bin/env python3
"""seed_from_layout.py BUNDLE OUT — write an image bundle (a directory, or a
.tar / .tar.gz) as the records of fuzz/oci_records.h, the seed format of
fuzz_oci_dir and fuzz_oci_classify.

Blobs (blobs/<alg>/<hex>, or a top-level <hex> as in a containers/image dir:,
whose content has that digest) are named "=", "=512" or "=hex" and ordered so that every document comes before the blobs it names;
in JSON documents "sha256:<hex>" of a blob becomes "@N", any other occurrence
of its hex "%N", and the "size" beside such a digest "#N", so the harness
recomputes them after the fuzzer mutates a blob. Other files, directories
and symbolic links are kept as they are. Used to seed the corpora from the
forge's layouts (build/bin/al-forge OUTDIR; OUTDIR/cases/*, OUTDIR/archives/*).
"""
import hashlib
import os
import re
import sys
import tarfile

SEP = b"\n--\n"


def entries_of(path):
    """[(type, name, content_or_target)] in a stable order."""
    out = []
    if os.path.isdir(path):
        for top, dirs, files in os.walk(path):
            dirs.sort()
            rel = os.path.relpath(top, path)
            if rel != "." and not files and not dirs:
                out.append(("d", rel, b""))
            for f in sorted(files + [d for d in dirs if os.path.islink(os.path.join(top, d))]):
                full = os.path.join(top, f)
                name = os.path.normpath(os.path.join(rel, f))
                if os.path.islink(full):
                    out.append(("l", name, os.readlink(full).encode()))
                elif os.path.isfile(full):
                    with open(full, "rb") as fh:
                        out.append(("f", name, fh.read()))
    else:
        with tarfile.open(path) as t:
            for m in t.getmembers():
                name = m.name[2:] if m.name.startswith("./") else m.name
                if m.isdir():
                    continue
                if m.issym():
                    out.append(("l", name, m.linkname.encode()))
                elif m.islnk():
                    out.append(("h", name, m.linkname.encode()))
                elif m.isfile():
                    out.append(("f", name, t.extractfile(m).read()))
    return out


def convert(path):
    ents = entries_of(path)
    blobs = {}  # hex -> index in ents
    for i, (ty, name, data) in enumerate(ents):
        m = re.fullmatch(r"blobs/(sha256|sha512)/([0-9a-f]+)|()([0-9a-f]{64})", name)
        alg = m and (m.group(1) or "sha256")
        if ty == "f" and m and hashlib.new(alg, data).hexdigest() == (m.group(2) or m.group(4)):
            blobs[m.group(2) or m.group(4)] = i
    refs = {i: [h for h in blobs if blobs[h] != i and h.encode() in e[2]] for i, e in enumerate(ents)}
    # documents first, then blobs, each before the blobs it names
    order, state = [], {}

    def visit(i):
        if state.get(i) == 2:
            return
        state[i] = 1
        for h in refs[i]:
            if state.get(blobs[h]) != 1:
                visit(blobs[h])
        state[i] = 2
        order.append(i)

    for i in sorted((i for i in range(len(ents)) if i not in blobs.values()), reverse=True):
        visit(i)
    for i in sorted(blobs.values(), reverse=True):
        visit(i)
    order.reverse()
    pos = {i: n for n, i in enumerate(order)}
    if len(order) > 40:
        raise SystemExit(f"{path}: {len(order)} entries, more than the 40 records a seed may have")
    recs = []
    for i in order:
        ty, name, data = ents[i]
        if i in blobs.values():
            name = "=hex" if "/" not in name else "=" if name.startswith("blobs/sha256/") else "=512"
        if ty == "f" and data[:1] in (b"{", b"["):
            text = data
            for h in refs[i]:
                n = pos[blobs[h]]
                if n <= pos[i]:
                    continue
                halg = "sha512" if len(h) == 128 else "sha256"
                text = text.replace(f"{halg}:{h}".encode(), f"@{n}".encode())
                text = text.replace(h.encode(), f"%{n}".encode())
                size = len(ents[blobs[h]][2])
                text = re.sub(rb'("digest":"@%d","size":)%d\b' % (n, size), rb"\g<1>#%d" % n, text)
                text = re.sub(rb'("size":)%d(,"digest":"@%d")' % (size, n), rb"\g<1>#%d\g<2>" % n, text)
            data = text
        if SEP in data:
            raise SystemExit(f"{path}: {name} holds the record separator")
        head = f"{ty} {name}" + (f" {data.decode()}" if ty in ("l", "h") else "")
        recs.append(head.encode() + b"\n" + (data if ty in ("f",) else b""))
    return SEP.join(recs)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[2], "wb") as fh:
        fh.write(convert(sys.argv[1]))


if __name__ == "__main__":
    main()
