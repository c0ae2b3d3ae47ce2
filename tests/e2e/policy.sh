#!/usr/bin/env bash
# Policies on real data (../shared): slsa-verifier's `cosign save` layouts under
# slsa-verifier's, cosign's and gh's flags (docs/policy.md §5), each with a failing
# twin; `airlock policy check` and `explain`; containers/image's fixtures under
# containers-policy.json files of their own (and under wrong ones). The forge's
# policy cases (e2e_forge) cover every policy feature without ../shared.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "policies on real layouts" || finish
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
expect() { # expect EXIT TEXT airlock-args...
  local want=$1 text=$2; shift 2
  local out; out=$("$AL_BIN" "$@" 2>&1); local rc=$?
  if [ $rc != "$want" ]; then fail "exit $rc, want $want: airlock $*: $(tail -3 <<<"$out")"; return; fi
  if [ -n "$text" ] && ! grep -qF -- "$text" <<<"$out"; then fail "output lacks '$text': airlock $*: $(tail -3 <<<"$out")"; return; fi
  pass
}

# --- slsa-verifier: every layout, every form, the right source and builder; a wrong source fails
builder=https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml
src=(--source-uri github.com/slsa-framework/example-package --builder-id "$builder")
n=0
for d in "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/*/container_workflow_dispatch; do
  v=$(basename "$(dirname "$d")"); n=$((n + 1))
  expect 0 "requirement attestation https://slsa.dev/provenance/* (SLSA constraints): met" verify "$d" "${src[@]}"
  expect 1 'SLSA provenance source repository is "github.com/slsa-framework/example-package", the policy requires github.com/slsa-framework/other-package' \
    verify "$d" --source-uri github.com/slsa-framework/other-package --builder-id "$builder"
  expect 1 "SLSA provenance builder id is" verify "$d" --source-uri github.com/slsa-framework/example-package \
    --builder-id https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml
  tar -C "$d" -czf "$tmp/$v.tar.gz" .
  expect 0 "VERIFIED" verify "$tmp/$v.tar.gz" "${src[@]}"
  expect 1 "the policy requires github.com/evil/example-package" verify "$tmp/$v.tar.gz" \
    --source-uri github.com/evil/example-package
done
check "found the slsa-verifier layouts ($n)" [ "$n" -ge 7 ]
d=$(ls -d "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/v1.10.0/container_workflow_dispatch)
# built from the tag v13.0.30, pushed from main
expect 0 "VERIFIED" verify "$d" "${src[@]}" --source-tag v13.0.30
expect 1 'source ref is "refs/tags/v13.0.30", the policy requires refs/tags/v13.0.31' verify "$d" "${src[@]}" --source-tag v13.0.31
expect 0 "VERIFIED" verify "$d" "${src[@]}" --source-versioned-tag v13
expect 0 "VERIFIED" verify "$d" "${src[@]}" --source-versioned-tag v13.0
expect 1 "the policy requires a tag compatible with v12" verify "$d" "${src[@]}" --source-versioned-tag v12
expect 0 "VERIFIED" verify "$d" "${src[@]}" --source-branch main
expect 1 "the policy requires refs/heads/release" verify "$d" "${src[@]}" --source-branch release
expect 1 'workflow input x is "(absent)"' verify "$d" "${src[@]}" --build-workflow-input x=y
expect 2 "give at most one of --source-tag, --source-branch and --source-versioned-tag" \
  verify "$d" "${src[@]}" --source-tag v1 --source-branch main
expect 2 "slsa-verifier's flags need --source-uri" verify "$d" --builder-id "$builder"
check "--print-provenance prints the verified provenance, then the report" python3 - "$AL_BIN" "$d" "${src[@]}" <<'PY'
import json, subprocess, sys
out = subprocess.run(sys.argv[1:2] + ['verify', '--print-provenance'] + sys.argv[2:], capture_output=True, text=True)
assert out.returncode == 0, out
st = json.loads(out.stdout.splitlines()[0])
assert st['predicateType'] == 'https://slsa.dev/provenance/v0.2', st['predicateType']
assert st['predicate']['builder']['id'].startswith('https://github.com/slsa-framework/slsa-github-generator/'), st
assert out.stdout.rstrip('\n').splitlines()[-1] == 'VERIFIED'
PY

# --- cosign's flags: certificate extensions, attestation types
kl=(--certificate-identity-regexp 'https://github\.com/slsa-framework/slsa-github-generator/.*'
    --certificate-oidc-issuer https://token.actions.githubusercontent.com)
expect 0 "VERIFIED" verify "$d" "${kl[@]}" --certificate-github-workflow-repository slsa-framework/example-package
expect 1 'extension githubWorkflowRepository (1.3.6.1.4.1.57264.1.5) is "slsa-framework/example-package", expected "slsa-framework/other"' \
  verify "$d" "${kl[@]}" --certificate-github-workflow-repository slsa-framework/other
expect 0 "VERIFIED" verify "$d" "${kl[@]}" --certificate-github-workflow-trigger push
expect 1 'expected "workflow_dispatch"' verify "$d" "${kl[@]}" --certificate-github-workflow-trigger workflow_dispatch
expect 0 "VERIFIED" verify "$d" "${kl[@]}" --type slsaprovenance
expect 1 "attestation https://spdx.dev/Document not met: no verified attestation of this type" verify "$d" "${kl[@]}" --type spdx
expect 1 "attestation https://slsa.dev/provenance/v1 not met" verify "$d" "${kl[@]}" --predicate-type https://slsa.dev/provenance/v1

# --- gh attestation verify's flags
expect 0 "VERIFIED" verify "$d" --owner slsa-framework --predicate-type slsaprovenance
expect 0 "VERIFIED" verify "$d" --owner slsa-framework --predicate-type slsaprovenance --deny-self-hosted-runners
expect 1 "com/evil/.*' (anchored)" verify "$d" --owner evil --predicate-type slsaprovenance
expect 0 "VERIFIED" verify "$d" --repo slsa-framework/example-package --signer-repo slsa-framework/slsa-github-generator \
  --predicate-type slsaprovenance
expect 1 'extension sourceRepositoryURI (1.3.6.1.4.1.57264.1.12) is "https://github.com/slsa-framework/example-package", expected "https://github.com/slsa-framework/other"' \
  verify "$d" --repo slsa-framework/other --signer-repo slsa-framework/slsa-github-generator --predicate-type slsaprovenance
# gh verifies SLSA provenance v1 unless told otherwise; these layouts carry v0.2
expect 1 "attestation https://slsa.dev/provenance/v1 not met" verify "$d" --owner slsa-framework
expect 2 "gh's flags need --owner or --repo" verify "$d" --deny-self-hosted-runners

# --- a policy file stating the same, checked and explained
cat >"$tmp/slsa.json" <<JSON
{"version": 1,
 "rules": [{"name": "example-package", "images": ["ghcr.io/slsa-framework/**"],
            "authorities": [{"name": "slsa-generator", "keyless": {
               "identity": {"regexp": "https://github\\\\.com/slsa-framework/slsa-github-generator/.*"},
               "issuer": "https://token.actions.githubusercontent.com",
               "extensions": {"githubWorkflowRepository": "slsa-framework/example-package"}}}],
            "attestations": [{"predicateType": "https://slsa.dev/provenance/v0.2",
                              "slsa": {"sourceUri": "github.com/slsa-framework/example-package", "builderId": "$builder"}}]}],
 "default": {"action": "reject"}}
JSON
expect 0 "valid airlock policy, 2 rules" policy check "$tmp/slsa.json"
check "policy check prints the normalised policy, which reads back as the same" python3 - "$AL_BIN" "$tmp" <<'PY'
import json, subprocess, sys
a, t = sys.argv[1], sys.argv[2]
one = subprocess.run([a, 'policy', 'check', t + '/slsa.json'], capture_output=True, text=True, check=True).stdout
p = json.loads(one)
assert p['rules'][0]['transparency'] == {'minEntries': 1} and p['default']['action'] == 'reject', p
open(t + '/slsa-norm.json', 'w').write(one)
two = subprocess.run([a, 'policy', 'check', t + '/slsa-norm.json'], capture_output=True, text=True, check=True).stdout
assert one == two, (one, two)
PY
name=ghcr.io/slsa-framework/example-package.verifier-e2e.all.tag.main.default.slsa3:v13.0.30
expect 0 "policy: rule example-package, judged as $name (from --reference)" verify "$d" --policy "$tmp/slsa.json" --reference "$name"
expect 1 "rejected by policy rule default" verify "$d" --policy "$tmp/slsa.json" --reference registry.example/other:1
expect 1 "rejected by policy rule default" verify "$d" --policy "$tmp/slsa.json"
expect 2 "states the policy: give its requirements and relaxations there" verify "$d" --policy "$tmp/slsa.json" --insecure-ignore-tlog
expect 0 "rule: example-package" policy explain "$tmp/slsa.json" --reference "$name" "$d"
expect 0 "requirement attestation https://slsa.dev/provenance/v0.2 (SLSA constraints): met" policy explain "$tmp/slsa.json" --reference "$name" "$d"
expect 1 "does NOT meet the rule (rejected by policy rule default)" policy explain "$tmp/slsa.json" "$d"
sed 's/"extensions"/"extension"/' "$tmp/slsa.json" >"$tmp/typo.json"
expect 2 'rules[0].authorities[0].keyless.extension: unknown key' policy check "$tmp/typo.json"
expect 2 'rules[0].authorities[0].keyless.extension: unknown key' verify "$d" --policy "$tmp/typo.json"
# --- containers/image's fixtures under containers-policy.json files of their own, and wrong ones
fx="$AL_SHARED/vectors/containers__image/signature/fixtures"
cimage_fixtures "$tmp/fx"
cpol() { # cpol NAME SCOPE REQUIREMENT-JSON: a policy that rejects all but SCOPE
  printf '{"default":[{"type":"reject"}],"transports":{"docker":{"%s":[%s]}}}\n' "$2" "$3" >"$tmp/$1.json"
  echo "$tmp/$1.json"
}
cv() { "$AL_BIN" verify --allow-missing-blobs "$@"; }
single=192.168.64.2:5000/cosign-signed-single-sample
d634=sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00
# key, no Rekor key: containers/image requires no log entry, and the report says so
p=$(cpol key "$single" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign.pub","signedIdentity":{"type":"matchRepository"}}')
expect 0 "RELAXED (insecure-ignore-tlog)" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" --reference "$single:latest"
expect 0 "policy: rule transports.docker" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-2" --policy "$p" --reference "$single:latest"
expect 0 "VERIFIED" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-mixed" --policy "$p" --reference "$single:latest"
expect 1 "rejected by policy rule default" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" \
  --reference 192.168.64.2:5000/other:latest
expect 1 "rejected by policy rule default" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p"
p2=$(cpol key2 "$single" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign2.pub","signedIdentity":{"type":"matchRepository"}}')
expect 1 "not signed by the given key" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p2" --reference "$single:latest"
# keyData: the PEM, base64
p=$(cpol keydata "$single" '{"type":"sigstoreSigned","keyData":"'"$(base64 -w0 <"$fx/cosign.pub")"'"}')
# the default signedIdentity, matchRepoDigestOrExact, never accepts a signature that names a bare
# repository (what cosign signs), as containers/image decides; matchRepository does
expect 1 "which matchRepoDigestOrExact does not accept" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" \
  --reference "$single@$d634"
p=$(cpol keydata-repo "$single" '{"type":"sigstoreSigned","keyData":"'"$(base64 -w0 <"$fx/cosign.pub")"'","signedIdentity":{"type":"matchRepository"}}')
expect 0 "VERIFIED" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" --reference "$single@$d634"
tagged=192.168.64.2:5000/skopeo-signed
p=$(cpol tag "$tagged" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign.pub"}')
expect 0 "VERIFIED" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-with-tag" --policy "$p" --reference "$tagged:tag"
# a digest pins the image: a signature naming the repository with a tag suffices
expect 0 "VERIFIED" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-with-tag" --policy "$p" --reference "$tagged@$d634"
expect 1 "which matchRepoDigestOrExact does not accept" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-with-tag" \
  --policy "$p" --reference "$tagged:other"
p=$(cpol exactref "$single" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign.pub","signedIdentity":{"type":"exactReference","dockerReference":"'"$tagged"':tag"}}')
expect 1 "which exactReference does not accept" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" --reference "$single:latest"
p=$(cpol remap "$single" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign.pub","signedIdentity":{"type":"remapIdentity","prefix":"'"$single"'","signedPrefix":"'"$tagged"'"}}')
expect 0 "VERIFIED" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-with-tag" --policy "$p" --reference "$single:tag"
expect 1 "which remapIdentity does not accept" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-with-tag" --policy "$p" --reference "$single:tag2"
# key and Rekor key: a log entry is required, from that log
key1=192.168.64.2:5000/cosign-signed/key-1
p=$(cpol rekor "$key1" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign2.pub","rekorPublicKeyPath":"'"$fx"'/../internal/testdata/rekor.pub","signedIdentity":{"type":"matchRepository"}}')
expect 0 "SET verified" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-key-rekor-valid" --policy "$p" --reference "$key1:latest"
p=$(cpol rekor-wrong "$key1" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign2.pub","rekorPublicKeyPath":"'"$fx"'/cosign.pub","signedIdentity":{"type":"matchRepository"}}')
expect 1 "which the trusted root does not list" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-key-rekor-valid" --policy "$p" --reference "$key1:latest"
p=$(cpol rekor-needed "$single" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign.pub","rekorPublicKeyPath":"'"$fx"'/../internal/testdata/rekor.pub","signedIdentity":{"type":"matchRepository"}}')
expect 1 "0 verified transparency-log entries" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" --reference "$single:latest"
# Fulcio (its own CA) and Rekor keys
fr=192.168.64.2:5000/cosign-signed/fulcio-rekor-1
fulcio() { printf '{"type":"sigstoreSigned","fulcio":{"caPath":"%s","oidcIssuer":"https://github.com/login/oauth","subjectEmail":"%s"},"rekorPublicKeyPath":"%s","signedIdentity":{"type":"matchRepository"}}' "$fx/fulcio_v1.crt.pem" "$1" "$fx/../internal/testdata/rekor.pub"; }
p=$(cpol fulcio "$fr" "$(fulcio mitr@redhat.com)")
expect 0 "mitr@redhat.com" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-fulcio-rekor-valid" --policy "$p" --reference "$fr:latest"
expect 0 "RELAXED (insecure-ignore-sct)" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-fulcio-rekor-valid" --policy "$p" --reference "$fr:latest"
p=$(cpol fulcio-other "$fr" "$(fulcio someone@example.com)")
expect 1 'expected "someone@example.com"' verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-fulcio-rekor-valid" --policy "$p" --reference "$fr:latest"
# private PKI
pk=localhost:5000/test
pki() { printf '{"type":"sigstoreSigned","pki":{"caRootsPath":"%s","caIntermediatesPath":"%s","subjectEmail":"%s"},"signedIdentity":{"type":"matchRepository"}}' "$fx/pki_root_crts.pem" "$fx/pki_intermediate_crts.pem" "$1"; }
p=$(cpol pki "$pk" "$(pki qiwan@redhat.com)")
expect 0 "VERIFIED" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-pki-valid" --policy "$p" --reference "$pk:latest"
p=$(cpol pki-other "$pk" "$(pki bob@example.com)")
expect 1 'the certificate has no email SAN "bob@example.com"' verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-pki-valid" --policy "$p" --reference "$pk:latest"
# AND of requirements: a second key that signed nothing fails the scope
p=$(cpol and "$single" '{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign.pub","signedIdentity":{"type":"matchRepository"}},{"type":"sigstoreSigned","keyPath":"'"$fx"'/cosign2.pub","signedIdentity":{"type":"matchRepository"}}')
expect 1 "not met: no signature of it verified" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" --reference "$single:latest"
# insecureAcceptAnything, reported as such; reject
p=$(cpol anything "$single" '{"type":"insecureAcceptAnything"}')
expect 0 "RELAXED (insecure-accept-anything)" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" --reference "$single:latest"
p=$(cpol rejected "$single" '{"type":"reject"}')
expect 1 "rejected by policy rule" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$p" --reference "$single:latest"
# the dir: transport by path, for an image with no name
printf '{"default":[{"type":"reject"}],"transports":{"dir":{"%s":[{"type":"sigstoreSigned","keyPath":"%s","signedIdentity":{"type":"exactRepository","dockerRepository":"%s"}}]}}}\n' \
  "$tmp/fx/dir-img-cosign-valid" "$fx/cosign.pub" "$single" >"$tmp/dir.json"
expect 0 "VERIFIED" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$tmp/dir.json"
expect 1 "rejected by policy rule default" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid-2" --policy "$tmp/dir.json"
# GPG requirements are refused, never passed: containers/image's own example policy
expect 2 'transports.docker["example.com/production"][0]' policy check "$fx/policy.json"
expect 2 "GPG" verify --allow-missing-blobs "$tmp/fx/dir-img-cosign-valid" --policy "$fx/policy.json" --reference "$single:latest"
expect 0 "valid containers-policy.json policy" policy check "$tmp/rekor.json"

# --- a ClusterImagePolicy
cat >"$tmp/cip.json" <<JSON
{"apiVersion": "policy.sigstore.dev/v1beta1", "kind": "ClusterImagePolicy", "metadata": {"name": "slsa-example"},
 "spec": {"images": [{"glob": "ghcr.io/slsa-framework/**"}],
          "authorities": [{"name": "generator", "keyless": {"url": "https://fulcio.sigstore.dev",
             "identities": [{"issuer": "https://token.actions.githubusercontent.com",
                             "subjectRegExp": "https://github\\\\.com/slsa-framework/slsa-github-generator/.*"}]},
             "attestations": [{"name": "provenance", "predicateType": "slsaprovenance"}]}]}}
JSON
expect 0 "valid ClusterImagePolicy policy" policy check "$tmp/cip.json"
expect 0 "policy: rule slsa-example" verify "$d" --policy "$tmp/cip.json" --reference "$name"
expect 1 "no rule of the policy applies" verify "$d" --policy "$tmp/cip.json" --reference registry.example/other:1
sed 's/slsaprovenance"/spdx"/' "$tmp/cip.json" >"$tmp/cip-spdx.json"
expect 1 "attestation https://spdx.dev/Document not met" verify "$d" --policy "$tmp/cip-spdx.json" --reference "$name"
sed 's/"name": "provenance"/"name": "provenance", "policy": {"type": "cue", "data": "x"}/' "$tmp/cip.json" >"$tmp/cip-cue.json"
expect 2 "CUE/Rego attestation policies are not evaluated by airlock" policy check "$tmp/cip-cue.json"
# --- verify-bundle under the same flags: gh attestation verify on GitHub-built artifacts (cli/cli's test data)
gd="$AL_SHARED/vectors/cli__cli/pkg/cmd/attestation/test/data"
vbj=(verify-bundle --bundle "$gd/sigstore-js-2.1.0-bundle.json" --trusted-root "$gd/trusted_root.json")
art="$gd/sigstore-js-2.1.0.tgz"
expect 0 "predicate https://slsa.dev/provenance/v1 by certificate identity https://github.com/sigstore/sigstore-js/" "${vbj[@]}" --owner sigstore "$art"
expect 1 "com/other/.*' (anchored)" "${vbj[@]}" --owner other "$art"
expect 0 "verified: DSSE envelope" "${vbj[@]}" --repo sigstore/sigstore-js --deny-self-hosted-runners "$art"
expect 1 "com/sigstore/other/.*' (anchored)" "${vbj[@]}" --repo sigstore/other "$art"
expect 0 "verified: DSSE envelope" "${vbj[@]}" --owner sigstore --signer-workflow sigstore/sigstore-js/.github/workflows/release.yml "$art"
expect 1 "does not match the expression" "${vbj[@]}" --owner sigstore --signer-workflow sigstore/sigstore-js/.github/workflows/other.yml "$art"
expect 1 "the statement's predicate type is https://slsa.dev/provenance/v1, the policy requires https://spdx.dev/Document" \
  "${vbj[@]}" --owner sigstore --predicate-type https://spdx.dev/Document "$art"
ghid=(--certificate-identity-regexp 'https://github\.com/sigstore/sigstore-js/.*' --certificate-oidc-issuer https://token.actions.githubusercontent.com)
expect 0 "verified: DSSE envelope" "${vbj[@]}" "${ghid[@]}" --source-uri github.com/sigstore/sigstore-js --source-branch main "$art"
expect 1 'SLSA provenance source repository is "github.com/sigstore/sigstore-js", the policy requires github.com/sigstore/other' \
  "${vbj[@]}" "${ghid[@]}" --source-uri github.com/sigstore/other "$art"
expect 0 "verified: DSSE envelope" "${vbj[@]}" "${ghid[@]}" --certificate-github-workflow-repository sigstore/sigstore-js "$art"
expect 1 'expected "sigstore/other"' "${vbj[@]}" "${ghid[@]}" --certificate-github-workflow-repository sigstore/other "$art"
# a reusable workflow signs: the signer repository is not the source's owner
rw=(verify-bundle --bundle "$gd/reusable-workflow-attestation.sigstore.json" --trusted-root "$gd/trusted_root.json")
expect 0 "verified: DSSE envelope" "${rw[@]}" --owner malancas --signer-repo github/artifact-attestations-workflows "$gd/reusable-workflow-artifact"
expect 1 'sourceRepositoryOwnerURI (1.3.6.1.4.1.57264.1.16) is "https://github.com/malancas", expected "https://github.com/github"' \
  "${rw[@]}" --owner github --signer-repo github/artifact-attestations-workflows "$gd/reusable-workflow-artifact"
expect 2 "unknown option '--ca-roots'" verify-bundle --bundle "$gd/sigstore-js-2.1.0-bundle.json" --ca-roots "$fx/pki_root_crts.pem" "$art"
finish
