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
finish
