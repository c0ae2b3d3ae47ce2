#!/usr/bin/env bash
# `airlock trust update` end to end, on TUF repositories made here (python3
# and openssl, an implementation independent of airlock's): a rotation
# 1 -> 2 with new keys installs root, metadata and the trusted_root.json
# target; each attack twin is refused with exit 1, names its step, and leaves
# the state folder byte for byte as it was; usage errors exit 2. Needs no
# ../shared. The TUF client's every step is in test_tuf; this is the command.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
at=2026-06-01T00:00:00Z

# gen.py OUT [attack]: a consistent-snapshot repository under OUT/repo, the
# initial root as OUT/1.root.json
cat >"$tmp/gen.py" <<'PY'
import hashlib, json, os, subprocess, sys
out, attack = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
keys = os.path.join(os.path.dirname(out), "keys")
os.makedirs(keys, exist_ok=True)
repo = os.path.join(out, "repo")
os.makedirs(os.path.join(repo, "targets"), exist_ok=True)

def canon(o):
    # OLPC canonical JSON, as TUF signs: only '"' and '\\' escaped in strings
    if isinstance(o, dict):
        return b"{" + b",".join(canon(k) + b":" + canon(o[k]) for k in sorted(o)) + b"}"
    if isinstance(o, list):
        return b"[" + b",".join(canon(v) for v in o) + b"]"
    if isinstance(o, bool):
        return b"true" if o else b"false"
    if isinstance(o, int):
        return str(o).encode()
    return b'"' + o.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'

def key(name):
    p = os.path.join(keys, name + ".pem")
    if not os.path.exists(p):
        subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", p], check=True)
    pub = subprocess.run(["openssl", "ec", "-in", p, "-pubout"], check=True, capture_output=True).stdout.decode()
    k = {"keytype": "ecdsa", "scheme": "ecdsa-sha2-nistp256", "keyval": {"public": pub}}
    return p, hashlib.sha256(canon(k)).hexdigest(), k

def sign(signed, names):
    sigs, body = [], canon(signed)
    for n in names:
        p, kid, _ = key(n)
        s = subprocess.run(["openssl", "dgst", "-sha256", "-sign", p], input=body, check=True,
                           capture_output=True).stdout
        sigs.append({"keyid": kid, "sig": s.hex()})
    return json.dumps({"signatures": sigs, "signed": signed}, indent=1).encode()

def root(version, names, expires="2027-01-01T00:00:00Z"):
    ks, roles = {}, {}
    for role, n in (("root", names), ("timestamp", ["ts"]), ("snapshot", ["snap"]), ("targets", ["tgt"])):
        roles[role] = {"keyids": [], "threshold": len(n) if role == "root" else 1}
        for x in n:
            _, kid, k = key(x)
            ks[kid] = k
            roles[role]["keyids"].append(kid)
    return {"_type": "root", "spec_version": "1.0.31", "version": version, "expires": expires,
            "consistent_snapshot": True, "keys": ks, "roles": roles}

def put(name, data):
    with open(os.path.join(repo, name), "wb") as f:
        f.write(data)
    return data

r1 = root(1, ["a1", "a2"])
open(os.path.join(out, "1.root.json"), "wb").write(sign(r1, ["a1", "a2"]))
put("1.root.json", sign(r1, ["a1", "a2"]))
r2 = root(2, ["b1", "b2"])
# a rotation is signed by the old root's threshold and the new one's
put("2.root.json", sign(r2, ["b1", "b2"] if attack == "rotation-unsigned-by-old" else ["a1", "a2", "b1", "b2"]))

target = open(sys.argv[3], "rb").read() if len(sys.argv) > 3 else b'{"mediaType":"x"}\n'
th = hashlib.sha256(target).hexdigest()
put("targets/%s.trusted_root.json" % th, target + (b" " if attack == "target-tampered" else b""))
tgt = {"_type": "targets", "spec_version": "1.0.31", "version": 3, "expires": "2027-01-01T00:00:00Z",
       "targets": {"trusted_root.json": {"length": len(target), "hashes": {"sha256": th}}}}
tb = put("3.targets.json", sign(tgt, ["tgt"]))
snap = {"_type": "snapshot", "spec_version": "1.0.31", "version": 4, "expires": "2027-01-01T00:00:00Z",
        "meta": {"targets.json": {"version": 3}}}
sb = put("4.snapshot.json", sign(snap, ["snap"]))
ts_v = 1 if attack == "timestamp-rollback" else 5
ts_exp = "2026-05-01T00:00:00Z" if attack == "timestamp-expired" else "2027-01-01T00:00:00Z"
ts = {"_type": "timestamp", "spec_version": "1.0.31", "version": ts_v, "expires": ts_exp,
      "meta": {"snapshot.json": {"version": 4, "length": len(sb), "hashes": {"sha256": hashlib.sha256(sb).hexdigest()}}}}
put("timestamp.json", sign(ts, ["ts"]))
PY

gen() { python3 "$tmp/gen.py" "$@" >/dev/null 2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; fail "generator: $*"; }; }
sums() { (cd "$1" && find . -type f | sort | xargs sha256sum 2>/dev/null); }
up() { "$AL_BIN" trust update --at "$at" "$@"; }

if ! command -v openssl >/dev/null; then skip "trust update: openssl is absent"; finish; fi
# the target is a real trusted root: the embedded one, as `trust show --json` prints it
"$AL_BIN" trust show --json >"$tmp/tr.json" || fail "trust show --json"
gen "$tmp/good" "" "$tmp/tr.json"
mkdir -p "$tmp/state"
expect_out "root: version 2 (rotated from 1)" up --tuf-repo "$tmp/good/repo" --tuf-root "$tmp/good/1.root.json" \
  --state "$tmp/state"
check "root.json is version 2 in the state" \
  python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["signed"]["version"] != 2)' "$tmp/state/root.json"
check "the target is installed as targets/trusted_root.json" cmp -s "$tmp/state/targets/trusted_root.json" "$tmp/tr.json"
for f in timestamp.json snapshot.json targets.json; do check "$f installed" test -s "$tmp/state/$f"; done
# again: the state's root is now the trusted one; --tuf-root is not used
expect_out "root: version 2 (unchanged)" up --tuf-repo "$tmp/good/repo" --state "$tmp/state"
expect_err "--tuf-root is not used" up --tuf-repo "$tmp/good/repo" --tuf-root "$tmp/good/1.root.json" --state "$tmp/state"
expect_out "trusted from: $tmp/state/root.json" up --tuf-repo "$tmp/good/repo" --state "$tmp/state"

# attack twins: exit 1, the step named, the state untouched
before=$(sums "$tmp/state")
twin() { # twin ATTACK MESSAGE
  rm -rf "$tmp/$1"; gen "$tmp/$1" "$1" "$tmp/tr.json"
  expect_exit 1 up --tuf-repo "$tmp/$1/repo" --state "$tmp/state"
  expect_err "$2" up --tuf-repo "$tmp/$1/repo" --state "$tmp/state"
  check "$1: the state folder is unchanged" test "$(sums "$tmp/state")" = "$before"
}
twin timestamp-rollback "timestamp.json: version 1 is older than the trusted version 5 (rollback)"
twin timestamp-expired "timestamp.json: version 5 expired at"
twin target-tampered "length mismatch"
# a fresh appliance: a rotation the old keys did not sign
mkdir -p "$tmp/fresh"; rm -rf "$tmp/rot"; gen "$tmp/rot" rotation-unsigned-by-old "$tmp/tr.json"
expect_exit 1 up --tuf-repo "$tmp/rot/repo" --tuf-root "$tmp/rot/1.root.json" --state "$tmp/fresh"
expect_err "2.root.json: signed by 0 of the 2 keys of root version 1" \
  up --tuf-repo "$tmp/rot/repo" --tuf-root "$tmp/rot/1.root.json" --state "$tmp/fresh"
check "a refused update writes nothing into a fresh state" test -z "$(ls -A "$tmp/fresh")"
# the embedded Sigstore TUF root does not sign this repository's root
expect_exit 1 up --tuf-repo "$tmp/good/repo" --state "$tmp/fresh"

# verification then uses the installed root, and says so
st() { AIRLOCK_STATE="$tmp/state" "$AL_BIN" "$@"; }
expect_out "TUF update in the state folder" st trust list
expect_out "rekor.sigstore.dev" st trust list
expect_out "TUF update in the state folder" st trust show
if [ -d "${AL_SHARED:-/nonexistent}/vectors" ]; then
  cases="$AL_SHARED/vectors/sigstore__sigstore-conformance/test/assets/bundle-verify"
  id=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
  expect_out "TUF update in the state folder" st verify-bundle --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" \
    --certificate-identity "$id" --certificate-oidc-issuer https://token.actions.githubusercontent.com "$cases/a.txt"
  # freshness is a stated policy: --max-trust-age fails with exit 4 when the material is older
  vbs() { st verify-bundle --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" --certificate-identity "$id" \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com "$@" "$cases/a.txt"; }
  expect_exit 0 vbs --max-trust-age 1d
  touch -d "@$(( $(date +%s) - 10 * 86400 ))" "$tmp/state/targets/trusted_root.json"
  expect_exit 4 vbs --max-trust-age 5d
  expect_err "older than --max-trust-age (5 days)" vbs --max-trust-age 5d
  expect_exit 0 vbs --max-trust-age 2w
  # the embedded root is as old as its newest entry
  expect_exit 4 "$AL_BIN" verify-bundle --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" --certificate-identity "$id" \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com --max-trust-age 1d "$cases/a.txt"
  expect_err "the newest entry of the trusted root" "$AL_BIN" verify-bundle --bundle "$cases/happy-path-v0.3/bundle.sigstore.json" \
    --certificate-identity "$id" --certificate-oidc-issuer https://token.actions.githubusercontent.com --max-trust-age 1d "$cases/a.txt"
else
  skip "verify-bundle with the state folder's root: ../shared is absent"
fi
expect_exit 2 "$AL_BIN" verify-bundle --bundle x --key y --max-trust-age 0 z
expect_exit 2 "$AL_BIN" verify-bundle --bundle x --key y --max-trust-age 5x z
expect_exit 2 "$AL_BIN" verify --key y --max-trust-age soon z
# a target changed on its own (or left by an update that stopped half-way) is refused: exit 4
cp -p "$tmp/state/targets/trusted_root.json" "$tmp/tr.keep"
printf ' ' >>"$tmp/state/targets/trusted_root.json"
expect_exit 4 st trust list
expect_err "but targets.json says" st trust list
sed -i 's/"/ "/' "$tmp/state/targets/trusted_root.json"; head -c "$(stat -c %s "$tmp/tr.keep")" "$tmp/state/targets/trusted_root.json" >"$tmp/t2"
cp "$tmp/t2" "$tmp/state/targets/trusted_root.json"
expect_exit 4 st trust list
expect_err "hash mismatch" st trust list
cp -p "$tmp/tr.keep" "$tmp/state/targets/trusted_root.json"
expect_exit 0 st trust list

# usage and unreadable input: exit 2
expect_exit 2 "$AL_BIN" trust update --state "$tmp/state"
expect_exit 2 up --tuf-repo "$tmp/good/repo" --state "$tmp/no-such-state"
expect_err "create it first" up --tuf-repo "$tmp/good/repo" --state "$tmp/no-such-state"
expect_exit 2 up --tuf-repo "$tmp/good/repo" --state "$tmp/state" --target ../escape.json
expect_exit 2 "$AL_BIN" trust update --tuf-repo "$tmp/good/repo" --state "$tmp/state" --at yesterday
expect_exit 2 up --tuf-repo "$tmp/no-such-repo" --state "$tmp/state"
expect_exit 0 "$AL_BIN" trust update --help
finish
