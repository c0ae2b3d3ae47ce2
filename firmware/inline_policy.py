#!/usr/bin/env python3
"""firmware/inline_policy.py — carry a policy file into the appliance.

usage: inline_policy.py POLICY OUT

A policy names PEM material as {"path": "file"}, relative to the policy's
folder (docs/policy.md §2.1); that folder does not travel into the image,
so each such object becomes {"data": "<the file's text>"}. A policy without
any is copied byte for byte (its digest in the report is then the digest
of the operator's file).
"""
import json
import os
import sys


def main():
    src, out = sys.argv[1:3]
    raw = open(src, "rb").read()
    try:
        doc = json.loads(raw)
    except ValueError as e:
        sys.exit(f"{src}: not JSON: {e}")
    base = os.path.dirname(os.path.abspath(src))
    changed = []

    def walk(v):
        if isinstance(v, dict):
            if set(v) == {"path"} and isinstance(v["path"], str):
                p = v["path"] if os.path.isabs(v["path"]) else os.path.join(base, v["path"])
                try:
                    text = open(p, encoding="ascii").read()
                except (OSError, UnicodeDecodeError) as e:
                    sys.exit(f"{src}: the file it names, {v['path']}, cannot be read as PEM text: {e}")
                changed.append(v["path"])
                return {"data": text}
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    doc2 = walk(doc)

    def paths_left(v, where):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "path" or k.endswith("Path") or k.endswith("Paths"):
                    yield f"{where}.{k}"
                yield from paths_left(x, f"{where}.{k}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                yield from paths_left(x, f"{where}[{i}]")
    left = list(paths_left(doc2, "$"))
    if left:
        sys.exit(f"{src}: names files the appliance will not have ({', '.join(left)}): "
                 "give keys as {\"path\": ...} objects in airlock's schema (carried inline) or as data")
    with open(out, "wb") as f:
        if changed:
            f.write(json.dumps(doc2, indent=2).encode() + b"\n")
        else:
            f.write(raw)
    for p in changed:
        print(f"firmware: {os.path.basename(src)}: {p} carried inline")


if __name__ == "__main__":
    main()
