#!/usr/bin/env bash
# Keyless policy edges of verify-bundle on real conformance bundles (../shared):
# a CA whose validFor in the trust root ends before the signing time, a
# certificate bundle given --key and a key bundle given an identity, anchored
# regular expressions, and the time source named in the result.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "keyless policy" || finish
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cases="$AL_SHARED/vectors/sigstore__sigstore-conformance/test/assets/bundle-verify"
root="$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json"
id=https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main
iss=https://token.actions.githubusercontent.com
b="$cases/happy-path-v0.3/bundle.sigstore.json"
art="$cases/a.txt"
vb() { "$AL_BIN" verify-bundle --bundle "$@"; }

expect_exit 0 vb "$b" --trusted-root "$root" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
expect_out "Rekor SET integratedTime" vb "$b" --trusted-root "$root" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"

# every CA's validFor ends before the signing time: the leaf has no valid CA
python3 - "$root" "$tmp/root-ca-ended.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for ca in r["certificateAuthorities"]:
    ca["validFor"]["end"] = "2020-01-01T00:00:00Z"
    ca["validFor"]["start"] = "2019-01-01T00:00:00Z"
json.dump(r, open(sys.argv[2], "w"))
PY
expect_exit 1 vb "$b" --trusted-root "$tmp/root-ca-ended.json" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
expect_err "no certificate authority in the trusted root is valid" vb "$b" --trusted-root "$tmp/root-ca-ended.json" \
  --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"

# mode mismatches: a certificate bundle with --key, a key bundle with an identity
key="$cases/managed-key-happy-path/key.pub"
expect_exit 1 vb "$b" --trusted-root "$root" --key "$key" "$art"
expect_err "signed with a certificate" vb "$b" --trusted-root "$root" --key "$key" "$art"
expect_exit 1 vb "$cases/managed-key-happy-path/bundle.sigstore.json" --trusted-root "$root" \
  --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
expect_exit 0 vb "$cases/managed-key-happy-path/bundle.sigstore.json" --trusted-root "$root" --key "$key" "$art"

# identities: exact, anchored regex, and near misses that an unanchored match would accept
expect_exit 0 vb "$b" --trusted-root "$root" --certificate-identity-regexp '^https://github\.com/sigstore-conformance/.*$' \
  --certificate-oidc-issuer-regexp 'https://token\.actions\.githubusercontent\.com' "$art"
expect_exit 1 vb "$b" --trusted-root "$root" --certificate-identity-regexp 'sigstore-conformance' --certificate-oidc-issuer "$iss" "$art"
expect_exit 1 vb "$b" --trusted-root "$root" --certificate-identity "${id%main}" --certificate-oidc-issuer "$iss" "$art"
expect_exit 1 vb "$b" --trusted-root "$root" --certificate-identity "$id" --certificate-oidc-issuer "${iss}/" "$art"
expect_exit 1 vb "$b" --trusted-root "$root" --certificate-identity "$id" --certificate-oidc-issuer-regexp 'https://token' "$art"

# usage errors are exit 2, bad trust material exit 4
expect_exit 2 vb "$b" --trusted-root "$root" "$art"
expect_exit 2 vb "$b" --trusted-root "$root" --certificate-identity "$id" "$art"
expect_exit 2 vb "$b" --trusted-root "$root" --certificate-identity-regexp '(' --certificate-oidc-issuer "$iss" "$art"
expect_exit 2 vb "$b" --trusted-root "$root" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "sha256:12"
expect_exit 2 vb "$tmp/none.json" --trusted-root "$root" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
echo '{"mediaType": 1}' >"$tmp/bad-root.json"
expect_exit 4 vb "$b" --trusted-root "$tmp/bad-root.json" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"

# without --trusted-root, the embedded public-good root (docs/trust.md), named in the result
expect_exit 0 vb "$b" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
expect_out "(embedded (@sigstore/tuf " vb "$b" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"

# JSON Lines of several roots (docs/trust.md §5): the staging root first cannot
# have issued a production bundle, so the second root verifies it and is named
staging="$AL_SHARED/vectors/sigstore__root-signing-staging/targets/trusted_root.json"
python3 -c 'import json, sys; [print(json.dumps(json.load(open(f)))) for f in sys.argv[1:]]' "$staging" "$root" >"$tmp/two.jsonl"
expect_exit 0 vb "$b" --trusted-root "$tmp/two.jsonl" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
expect_out "(root 2 of 2 in $tmp/two.jsonl)" vb "$b" --trusted-root "$tmp/two.jsonl" --certificate-identity "$id" \
  --certificate-oidc-issuer "$iss" "$art"
# ... a failure under the root that issued it is the verdict, with its reason:
# the wrong identity stops at root 2, and the staging root's lack of material
# does not hide it
expect_exit 1 vb "$b" --trusted-root "$tmp/two.jsonl" --certificate-identity "${id%main}" --certificate-oidc-issuer "$iss" "$art"
expect_err "under trusted root 2 of 2: certificate identity (SAN) is" vb "$b" --trusted-root "$tmp/two.jsonl" --certificate-identity "${id%main}" \
  --certificate-oidc-issuer "$iss" "$art"
sm="$cases/signature-mismatch_fail/bundle.sigstore.json"
expect_exit 1 vb "$sm" --trusted-root "$tmp/two.jsonl" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
# ... and a root that lacks the material everywhere reports the first root's reason
python3 -c 'import json, sys; [print(json.dumps(json.load(open(f)))) for f in sys.argv[1:]]' "$staging" "$staging" >"$tmp/staging2.jsonl"
expect_exit 1 vb "$b" --trusted-root "$tmp/staging2.jsonl" --certificate-identity "$id" --certificate-oidc-issuer "$iss" "$art"
expect_err "under trusted root 1 of 2" vb "$b" --trusted-root "$tmp/staging2.jsonl" --certificate-identity "$id" \
  --certificate-oidc-issuer "$iss" "$art"
finish
