#!/usr/bin/env python3
"""tamper.py — write tampered copies of Sigstore bundles, one change each.

usage: tamper.py OUTDIR BUNDLE...

For every BUNDLE, writes OUTDIR/<name>.<kind>.json for each kind that applies:
  sig         one byte of the signature (messageSignature or DSSE) flipped
  proofhash   one byte of the first inclusion-proof hash flipped
  roothash    inclusionProof.rootHash changed (the checkpoint still holds the old root)
  treesize    inclusionProof.treeSize changed
  checkpoint  a line of the signed checkpoint text changed
  body        one byte inside canonicalizedBody changed
  set         one byte of the SET changed
  payload     one byte of the DSSE payload changed
  digest      one byte of messageDigest.digest changed
  tsa         one byte inside the RFC 3161 timestamp changed
Each copy must be rejected by a verifier. Prints the number written.
"""
import base64
import copy
import json
import os
import sys


def flip_b64(s, pos=None):
    raw = bytearray(base64.b64decode(s))
    i = len(raw) // 2 if pos is None else pos
    raw[i] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def tampered(b):
    vm = b["verificationMaterial"]
    entries = vm.get("tlogEntries") or []
    e = entries[0] if entries else None
    out = {}

    def variant(name, fn):
        c = copy.deepcopy(b)
        if fn(c) is not False:
            out[name] = c

    def sig(c):
        if "messageSignature" in c:
            c["messageSignature"]["signature"] = flip_b64(c["messageSignature"]["signature"])
        else:
            s = c["dsseEnvelope"]["signatures"][0]
            s["sig"] = flip_b64(s["sig"])
    variant("sig", sig)

    if e and e.get("inclusionProof"):
        p = e["inclusionProof"]
        if p.get("hashes"):
            variant("proofhash", lambda c: c["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]
                    .__setitem__("hashes", [flip_b64(p["hashes"][0])] + p["hashes"][1:]))
        variant("roothash", lambda c: c["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]
                .__setitem__("rootHash", flip_b64(p["rootHash"])))
        variant("treesize", lambda c: c["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]
                .__setitem__("treeSize", str(int(p["treeSize"]) + 1)))

        def cp(c):
            env = p["checkpoint"]["envelope"]
            lines = env.split("\n")
            # the tree-size line: a verifier must see the signature no longer covers the text
            lines[1] = str(int(lines[1]) + 1)
            c["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]["envelope"] = "\n".join(lines)
        variant("checkpoint", cp)

    if e:
        def body(c):
            raw = bytearray(base64.b64decode(e["canonicalizedBody"]))
            # change a hex or base64 character inside the body, keeping it JSON
            i = raw.rfind(b'"value":"')
            i = i + 10 if i >= 0 else raw.rfind(b'"content":"') + 12
            raw[i] = ord("0") if raw[i] != ord("0") else ord("1")
            c["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"] = base64.b64encode(bytes(raw)).decode()
        variant("body", body)
        if e.get("inclusionPromise"):
            variant("set", lambda c: c["verificationMaterial"]["tlogEntries"][0]["inclusionPromise"]
                    .__setitem__("signedEntryTimestamp", flip_b64(e["inclusionPromise"]["signedEntryTimestamp"])))

    if "dsseEnvelope" in b:
        variant("payload", lambda c: c["dsseEnvelope"].__setitem__("payload", flip_b64(b["dsseEnvelope"]["payload"])))
    elif b["messageSignature"].get("messageDigest"):
        variant("digest", lambda c: c["messageSignature"]["messageDigest"]
                .__setitem__("digest", flip_b64(b["messageSignature"]["messageDigest"]["digest"])))

    ts = (vm.get("timestampVerificationData") or {}).get("rfc3161Timestamps") or []
    if ts:
        # flip a byte in the signature at the end of the token
        def tsa(c):
            t = c["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]
            raw = base64.b64decode(t["signedTimestamp"])
            t["signedTimestamp"] = flip_b64(t["signedTimestamp"], len(raw) - 8)
        variant("tsa", tsa)
    return out


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for path in sys.argv[2:]:
        name = os.path.basename(path).replace(".sigstore.json", "").replace(".json", "")
        with open(path) as f:
            b = json.load(f)
        for kind, c in tampered(b).items():
            with open(os.path.join(outdir, f"{name}.{kind}.json"), "w") as f:
                json.dump(c, f)
            n += 1
    print(n)


if __name__ == "__main__":
    main()
