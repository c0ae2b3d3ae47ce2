#!/usr/bin/env bash
# A second verifier for airlock's VSAs (docs/vsa.md §6): sigstore-js
# (../shared/tools/sigstore-js, prepared by scripts/peer-sigstore-js) checks
# the <hex>.vsa.sigstore.json of a forge layout with the public key alone
# (no log, no timestamp), and the image's manifest as the in-toto subject;
# the same bundle with one byte of its payload changed fails. Skips loudly
# when ../shared or node is absent.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "VSA check with sigstore-js" || finish
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
peer=$("$AL_SRC/scripts/peer-sigstore-js" 2>"$tmp/peer.err"); prc=$?
if [ $prc != 0 ]; then skip "VSA check with sigstore-js: $(cat "$tmp/peer.err")"; finish; fi
A=$AL_BIN

"$AL_BUILD/bin/al-forge" "$tmp/out" >"$tmp/forge.log" 2>&1 || { fail "al-forge failed: $(tail -5 "$tmp/forge.log")"; finish; }
cd "$tmp/out" || exit 1
for k in ed ec; do
  if [ $k = ed ]; then openssl genpkey -algorithm ed25519 -out "$tmp/$k.pem" 2>/dev/null
  else openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/$k.pem" 2>/dev/null; fi
  openssl pkey -in "$tmp/$k.pem" -pubout -out "$tmp/$k.pub"
  d=$tmp/vsa-$k; mkdir "$d"
  expect_exit 0 "$A" verify --key trust/cosign.pub --trusted-root trust/trusted_root.json \
    --vsa-out "$d" --vsa-key "$tmp/$k.pem" --at 2026-01-02T03:04:05Z cases/key-sig
  f=$(ls "$d"/*.vsa.sigstore.json); h=$(basename "$f" .vsa.sigstore.json)
  sj() { node "$peer/verify.mjs" "$1" "cases/key-sig/blobs/sha256/$h" trust/trusted_root.json --key "$tmp/$k.pub" \
           --tlog-threshold 0 --ctlog-threshold 0 --ts-threshold 0; }
  out=$(sj "$f" 2>&1); rc=$?
  check "$k: sigstore-js verifies the VSA bundle with the key ($out)" test $rc = 0
  check "$k: and the manifest is its subject" grep -q 'subject=match' <<<"$out"
  python3 - "$f" "$tmp/bad-$k.json" <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
p = bytearray(base64.b64decode(b["dsseEnvelope"]["payload"])); p[p.index(b"PASSED")] ^= 0x01
b["dsseEnvelope"]["payload"] = base64.b64encode(bytes(p)).decode()
json.dump(b, open(sys.argv[2], "w"))
PY
  out=$(sj "$tmp/bad-$k.json" 2>&1); rc=$?
  check "$k: sigstore-js refuses it with one payload byte changed ($out)" test $rc = 1
done
finish
