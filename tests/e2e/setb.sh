#!/usr/bin/env bash
# The 1,500 generated bundles of ../shared/generated/setB (sigstore-js against a
# mock CA, a real Merkle log and a TSA): every one must verify — key-* with
# signing-key.pub.pem, the others with the manifest's identity and issuer —
# and tampered copies (tests/tools/tamper.py: signature, proof hash, root
# hash, tree size, checkpoint line, body, SET, payload, digest, timestamp)
# must all be rejected with exit 1.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "generated/setB" || finish
setb_vars
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

policy_for() { # bundle-name -> policy args
  case "$1" in
    key-*) echo "--key $set_dir/signing-key.pub.pem" ;;
    *) echo "IDENT" ;;
  esac
}
run() { # bundle artifact
  local name; name=$(basename "$1")
  case "$name" in
    key-*) "$AL_BIN" verify-bundle --bundle "$1" --key "$set_dir/signing-key.pub.pem" --trusted-root "$root" "$2" ;;
    *) "$AL_BIN" verify-bundle --bundle "$1" --certificate-identity "$ident" --certificate-oidc-issuer "$iss" \
         --trusted-root "$root" "$2" ;;
  esac
}

# AL_SAMPLE=k checks every k-th bundle only (the sanitizer pass uses it: the
# release pass checks all of them).
sample=${AL_SAMPLE:-1}
n=0
while IFS=$'\t' read -r bundle artifact; do
  n=$((n + 1))
  [ $((n % sample)) = 0 ] || continue
  out=$(run "$set_dir/$bundle" "$set_dir/$artifact" 2>&1); rc=$?
  if [ $rc = 0 ]; then pass; else fail "$bundle: expected to verify, exit $rc: $out"; fi
done < <(python3 -c '
import json,sys
for it in json.load(open(sys.argv[1]))["items"]: print(it["bundle"] + "\t" + it["artifact"])' "$set_dir/manifest.json")
check "manifest lists 1500 bundles (got $n)" [ "$n" = 1500 ]

# tampered copies: all key bundles, and every 10th message and DSSE bundle
sel=$( (ls "$set_dir"/key-*.sigstore.json; ls "$set_dir"/msg-*0.sigstore.json "$set_dir"/dsse-*0.sigstore.json) |
  awk -v k="$sample" 'NR % k == 0')
made=$(python3 "$AL_SRC/tests/tools/tamper.py" "$tmp/t" $sel)
check "tamper.py wrote copies ($made)" [ "$made" -gt $((2000 / sample)) ]
declare -A kinds_rejected
for f in "$tmp"/t/*.json; do
  b=$(basename "$f"); base=${b%%.*}; kind=${b#*.}; kind=${kind%.json}
  art=$(ls "$set_dir/$base".bin "$set_dir/$base".subject.bin 2>/dev/null | head -1)
  cp "$f" "$tmp/$base.sigstore.json"
  out=$(run "$tmp/$base.sigstore.json" "$art" 2>&1); rc=$?
  if [ $rc = 1 ] && [ -n "$out" ]; then
    pass; kinds_rejected[$kind]=$(( ${kinds_rejected[$kind]:-0} + 1 ))
  else
    fail "tampered $b: expected rejection (exit 1), got exit $rc: $out"
  fi
done
for k in "${!kinds_rejected[@]}"; do echo "tampered/$k: ${kinds_rejected[$k]} rejected"; done
finish
