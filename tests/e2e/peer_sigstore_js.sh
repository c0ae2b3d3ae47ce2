#!/usr/bin/env bash
# airlock's verdicts against sigstore-js's (an independent verifier, node 20)
# on the setB bundles and tampered copies of them. Skips loudly when node or
# ../shared is missing.
#
# Known, decided disagreements (everything else must agree):
#  - roothash / treesize tampering: sigstore-js recomputes the root from the
#    proof hashes and compares it with the checkpoint only, ignoring the
#    bundle's own inclusionProof.rootHash and treeSize, so it accepts a
#    bundle whose proof fields were changed. airlock rejects: RFC 9162
#    §2.1.3.2 verifies a proof against a given (tree size, root hash), and
#    the tree size decides the proof's shape; the checkpoint must commit to
#    that same (size, root) (C2SP tlog-checkpoint; sigstore-go and rekor
#    compare both). A bundle whose fields contradict its checkpoint is not
#    what the log signed.
#  - RFC 3161 genTime with other than three fractional digits: sigstore-js
#    rejects; it is valid DER GeneralizedTime (RFC 3161 §2.4.2 allows any
#    precision), so airlock accepts (unit-tested in test_tsa with 0 and 6
#    digits; setB tokens all have 3).
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "sigstore-js comparison" || finish
peer=$("$AL_SRC/scripts/peer-sigstore-js" 2>"${TMPDIR:-/tmp}/peer.err"); prc=$?
if [ $prc != 0 ]; then skip "sigstore-js comparison: $(cat "${TMPDIR:-/tmp}/peer.err")"; finish; fi
cp "$AL_SRC/tests/tools/peer_verdicts.mjs" "$peer/"

set_dir="$AL_SHARED/generated/setB"
root="$set_dir/trusted_root.json"
ident=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["identity"])' "$set_dir/manifest.json")
iss=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["issuer"])' "$set_dir/manifest.json")
key="$set_dir/signing-key.pub.pem"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
stride=${AL_PEER_STRIDE:-5}

# a sample of every kind (every ${stride}th bundle), and tampered copies of them
list="$tmp/list"; : >"$list"
i=0
for b in "$set_dir"/key-*.sigstore.json "$set_dir"/msg-*.sigstore.json "$set_dir"/dsse-*.sigstore.json; do
  i=$((i + 1)); [ $((i % stride)) = 0 ] || continue
  n=$(basename "$b" .sigstore.json)
  art=$(ls "$set_dir/$n".bin "$set_dir/$n".subject.bin 2>/dev/null | head -1)
  mode=id; case "$n" in key-*) mode=key ;; esac
  printf '%s\t%s\t%s\n' "$b" "$art" "$mode" >>"$list"
  echo "$b" >>"$tmp/orig"
done
python3 "$AL_SRC/tests/tools/tamper.py" "$tmp/t" $(cat "$tmp/orig") >/dev/null
for f in "$tmp"/t/*.json; do
  n=$(basename "$f"); base=${n%%.*}
  art=$(ls "$set_dir/$base".bin "$set_dir/$base".subject.bin 2>/dev/null | head -1)
  mode=id; case "$base" in key-*) mode=key ;; esac
  printf '%s\t%s\t%s\n' "$f" "$art" "$mode" >>"$list"
done

at_least 50 "bundles compared with sigstore-js" "$(wc -l <"$list")"
(cd "$peer" && node peer_verdicts.mjs "$list" "$root" "$ident" "$iss" "$key") >"$tmp/peer" 2>"$tmp/peer.err" \
  || { fail "sigstore-js run failed: $(head -5 "$tmp/peer.err")"; finish; }

agree=0; known=0
while IFS=$'\t' read -r b art mode; do
  if [ "$mode" = key ]; then
    "$AL_BIN" verify-bundle --bundle "$b" --key "$key" --trusted-root "$root" "$art" >/dev/null 2>&1; rc=$?
  else
    "$AL_BIN" verify-bundle --bundle "$b" --certificate-identity "$ident" --certificate-oidc-issuer "$iss" \
      --trusted-root "$root" "$art" >/dev/null 2>&1; rc=$?
  fi
  ours=FAIL; [ $rc = 0 ] && ours=OK
  theirs=$(awk -F'\t' -v b="$b" '$1 == b {print $2}' "$tmp/peer")
  if [ "$ours" = "$theirs" ]; then
    pass; agree=$((agree + 1))
  else
    case "$b:$ours:$theirs" in
      *.roothash.json:FAIL:OK|*.treesize.json:FAIL:OK) pass; known=$((known + 1)) ;;
      *) fail "disagreement on $(basename "$b"): airlock $ours, sigstore-js $theirs ($(awk -F'\t' -v b="$b" '$1 == b {print $3}' "$tmp/peer"))" ;;
    esac
  fi
done <"$list"
echo "sigstore-js comparison: $(wc -l <"$list") bundles, $agree agree, $known known disagreements (airlock stricter, see header)"
finish
