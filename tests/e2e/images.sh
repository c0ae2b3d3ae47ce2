#!/usr/bin/env bash
# `airlock verify` on real exported image bundles from ../shared (read in
# place; archives and tampered copies are made in a temp dir):
#  - the real `cosign save` layouts of slsa-verifier (keyless SLSA provenance
#    attestations), as directories, tar, tar.gz, tar.zst and tar.xz;
#  - a changed layer byte and a missing blob: exit 1, naming the blob;
#  - containers/image dir: fixtures with real cosign signatures (INVENTORY §9);
#  - an OCI 1.1 referrer Sigstore bundle, and unsigned oci-/docker-archives (exit 3).
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "image bundles" || finish
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
root="$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json"
slsa=(--trusted-root "$root"
      --certificate-identity-regexp '^https://github\.com/slsa-framework/slsa-github-generator/\.github/workflows/generator_container_slsa3\.yml@refs/tags/v[0-9.]+$'
      --certificate-oidc-issuer https://token.actions.githubusercontent.com)

expect() { # expect CODE TEXT-IN-OUTPUT-OR-"" ARGS...
  local want=$1 text=$2; shift 2
  local out; out=$("$AL_BIN" "$@" 2>&1); local rc=$?
  if [ $rc != "$want" ]; then fail "exit $rc, want $want: airlock $*: $(tail -3 <<<"$out")"; return; fi
  if [ -n "$text" ] && ! grep -qF -- "$text" <<<"$out"; then fail "output lacks '$text': airlock $*: $(tail -3 <<<"$out")"; return; fi
  pass
}

# --- real cosign save layouts, every form
n=0
for d in "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/*/container_workflow_dispatch; do
  v=$(basename "$(dirname "$d")"); n=$((n + 1))
  expect 0 "result: verified" verify "$d" "${slsa[@]}"
  tar -C "$d" -cf "$tmp/$v.tar" .
  gzip -c "$tmp/$v.tar" >"$tmp/$v.tar.gz"
  zstd -q -c "$tmp/$v.tar" >"$tmp/$v.tar.zst"
  xz -c "$tmp/$v.tar" >"$tmp/$v.tar.xz"
  for f in tar tar.gz tar.zst tar.xz; do expect 0 "result: verified" verify "$tmp/$v.$f" "${slsa[@]}"; done
  rm -f "$tmp/$v.tar" "$tmp/$v.tar.zst" "$tmp/$v.tar.xz"
done
check "found the slsa-verifier layouts ($n)" [ "$n" -ge 7 ]

# --- policy mismatches on a real layout
d=$(ls -d "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/v1.10.0/container_workflow_dispatch)
expect 1 "does not match" verify "$d" --trusted-root "$root" --certificate-identity-regexp '^https://github\.com/evil/.*$' \
  --certificate-oidc-issuer https://token.actions.githubusercontent.com
expect 1 "" verify "$d" --trusted-root "$root" --certificate-identity-regexp '.*' --certificate-oidc-issuer https://accounts.google.com
expect 1 "" verify "$d" --trusted-root "$AL_SHARED/vectors/sigstore__root-signing-staging/targets/trusted_root.json" \
  --certificate-identity-regexp '.*' --certificate-oidc-issuer https://token.actions.githubusercontent.com
expect 2 "" verify "$d"
expect 2 "" verify "$d" --key "$tmp/nonexistent.pub"
expect 2 "" verify "$tmp/no-such-bundle" "${slsa[@]}"

# --- tampered copies: one changed byte in the largest layer, a missing blob
cp -r "$d" "$tmp/layer"; chmod -R u+w "$tmp/layer"
big=$(ls -S "$tmp/layer/blobs/sha256" | head -1)
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=1; open(p,"wb").write(b)' "$tmp/layer/blobs/sha256/$big"
expect 1 "$big" verify "$tmp/layer" "${slsa[@]}"
tar -C "$tmp/layer" -czf "$tmp/layer.tar.gz" .
expect 1 "$big" verify "$tmp/layer.tar.gz" "${slsa[@]}"
cp -r "$d" "$tmp/missing"; chmod -R u+w "$tmp/missing"
rm "$tmp/missing/blobs/sha256/$big"
expect 1 "$big" verify "$tmp/missing" "${slsa[@]}"
tar -C "$tmp/missing" -cf "$tmp/missing.tar" .
expect 1 "$big" verify "$tmp/missing.tar" "${slsa[@]}"

# --- containers/image dir: fixtures (cimage_fixtures rebuilds upstream symlinks as copies)
fx="$AL_SHARED/vectors/containers__image/signature/fixtures"
cimage_fixtures "$tmp/fx"
cfx() { "$AL_BIN" verify --allow-missing-blobs "$tmp/fx/$1" "${@:2}"; }
# these key signatures were never logged: cosign requires a log entry unless told not to, and so
# does airlock; the relaxation is said in the report
nolog=(--insecure-ignore-tlog)
expect 1 "0 verified transparency-log entries; rule command line requires 1" verify --allow-missing-blobs \
  "$tmp/fx/dir-img-cosign-valid" --key "$fx/cosign.pub"
expect 0 "RELAXED (insecure-ignore-tlog): signatures need no transparency-log entry" verify --allow-missing-blobs \
  "$tmp/fx/dir-img-cosign-valid" --key "$fx/cosign.pub" "${nolog[@]}"
expect 0 "RELAXED (insecure-ignore-tlog): no transparency-log entry, none required" verify --allow-missing-blobs \
  "$tmp/fx/dir-img-cosign-valid" --key "$fx/cosign.pub" --private-infrastructure
expect 0 "result: verified" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-with-tag" --key "$fx/cosign.pub" "${nolog[@]}"
expect 0 "2 verified" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-2" --key "$fx/cosign.pub" "${nolog[@]}"
expect 0 "1 not accepted by policy" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-mixed" --key "$fx/cosign.pub" "${nolog[@]}"
check "the relaxation is in the JSON report" python3 -c '
import json, subprocess, sys
d = json.loads(subprocess.run(sys.argv[1:], capture_output=True).stdout)
assert d["images"][0]["policy"]["relaxations"] == ["insecure-ignore-tlog"], d["images"][0]["policy"]
c = [c for c in d["images"][0]["signatures"][0]["checks"] if c["name"] == "policy.tlog"][0]
assert c["status"] == "warn" and c["reason"].startswith("RELAXED (insecure-ignore-tlog)"), c
assert d["policy"]["canonical"]["rules"]["default"]["relax"] == ["insecure-ignore-tlog"], d["policy"]
' "$AL_BIN" verify -o json --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --key "$fx/cosign.pub" "${nolog[@]}"
expect 0 "SET verified" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-key-rekor-valid" --key "$fx/cosign2.pub" --trusted-root "$root"
# key mode without --trusted-root: the SET is checked against the embedded root (docs/trust.md)
expect 0 "SET verified" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-key-rekor-valid" --key "$fx/cosign2.pub"
expect 0 "trusted root: embedded (@sigstore/tuf " verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-key-rekor-valid" --key "$fx/cosign2.pub"
expect 0 "mitr@redhat.com" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-fulcio-rekor-valid" --trusted-root "$root" \
  --certificate-identity mitr@redhat.com --certificate-oidc-issuer https://github.com/login/oauth
expect 0 "qiwan@redhat.com" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-pki-valid" --ca-roots "$fx/pki_root_crts.pem" \
  --ca-intermediates "$fx/pki_intermediate_crts.pem" --certificate-identity qiwan@redhat.com "${nolog[@]}"
expect 1 "signed for another image" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-modified-manifest" --key "$fx/cosign.pub"
expect 3 "not a signature" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-other-attachment" --key "$fx/cosign.pub"
expect 1 "schema 1" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-manifest-digest-error" --key "$fx/cosign.pub"
expect 1 "" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-no-manifest" --key "$fx/cosign.pub"
# failing twins: the wrong key, the wrong identity, a key-rekor signature without its key
expect 1 "not signed by" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --key "$fx/cosign2.pub" "${nolog[@]}"
expect 1 "" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-fulcio-rekor-valid" --trusted-root "$root" \
  --certificate-identity someone@example.com --certificate-oidc-issuer https://github.com/login/oauth
expect 1 "expected \"bob@example.com\"" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-pki-valid" --ca-roots "$fx/pki_root_crts.pem" \
  --ca-intermediates "$fx/pki_intermediate_crts.pem" --certificate-identity bob@example.com "${nolog[@]}"
# without the relaxation, absent layers fail the bundle
expect 1 "missing" verify "$tmp/fx/dir-img-cosign-valid" --key "$fx/cosign.pub"

# --- OCI 1.1 referrer bundle, and unsigned archives
ref="$AL_SHARED/generated/oci-referrer"
rid=(--trusted-root "$ref/trusted_root.json" --certificate-identity https://github.com/example/app/.github/workflows/release.yml@refs/heads/main
     --certificate-oidc-issuer https://token.actions.githubusercontent.com)
expect 0 "referrer" verify "$ref/layout" "${rid[@]}"
tar -C "$ref/layout" -czf "$tmp/ref.tar.gz" .
expect 0 "referrer" verify "$tmp/ref.tar.gz" "${rid[@]}"
expect 3 "nothing to verify" verify "$ref/unsigned-oci-archive.tar" "${rid[@]}"
expect 3 "nothing to verify" verify "$ref/unsigned-docker-archive.tar" "${rid[@]}"
expect 1 "" verify "$ref/layout" --trusted-root "$ref/trusted_root.json" --certificate-identity https://github.com/example/other \
  --certificate-oidc-issuer https://token.actions.githubusercontent.com

# --- inspect: lists what is inside, and what is missing
expect 0 "" inspect "$d"
expect 0 "" inspect "$tmp/missing"
finish
