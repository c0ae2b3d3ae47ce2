#!/usr/bin/env bash
# Every case the test forge makes (tests/forge: its own keys, CA, Merkle log,
# TSA; signed and tampered image bundles as directories and archives) gives
# its expected verdict with `airlock verify`; every rejection that cases.tsv
# says must name an entry (a digest, ref name or archive path) names it; and
# every rejection comes from the check the case is meant to exercise: its
# reason (a fixed fragment of that check's message) is in a line airlock
# prints to report the failure, not anywhere in the output.
# Needs nothing from ../shared.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
forge="$AL_BUILD/bin/al-forge"
if [ ! -x "$forge" ]; then fail "the test forge was not built ($forge)"; finish; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$forge" "$tmp/out" >"$tmp/forge.log" 2>&1 || { fail "al-forge failed: $(tail -5 "$tmp/forge.log")"; finish; }
cd "$tmp/out" || exit 1

# The lines that report a failure. Every line airlock prints is escaped as
# one line (no input can start a line of its own), so only airlock writes
# these prefixes: stderr's error line, and on stdout a signature's,
# attestation's or referrer's FAILED (or "not accepted by policy") line, an
# image's or platform's NOT VERIFIED line, and --strict's FAILED line. Lines
# that merely echo bundle content (tags, annotations, an image's
# classification) cannot satisfy a reason.
failure_lines() { # STDOUT_FILE STDERR_FILE
  grep -E '^airlock: ' "$2"
  grep -E '^ +(signature|attestation|referrer) .*: (FAILED|not accepted by policy): |^ +result: NOT VERIFIED \(|^ +NOT VERIFIED: |^FAILED \(--strict\): ' "$1"
}

n=0; nreasons=0
while IFS=$'\t' read -r name path want must reason args; do
  case "$name" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  if [ "$want" != 0 ] && { [ -z "$reason" ] || [ "$reason" = "-" ]; }; then
    fail "forge case $name: expected exit $want, but cases.tsv names no reason (the check that must reject it)"
    continue
  fi
  if [ "$want" = 0 ] && [ "$reason" != "-" ]; then
    fail "forge case $name: expected to verify, but cases.tsv gives a reason ('$reason')"
    continue
  fi
  IFS=$'\t' read -r -a argv <<<"$args"
  "$AL_BIN" verify "$path" "${argv[@]}" >"$tmp/stdout" 2>"$tmp/stderr"; rc=$?
  out=$(cat "$tmp/stdout" "$tmp/stderr")
  if [ "$rc" != "$want" ]; then
    fail "forge case $name ($path): exit $rc, want $want: $(tail -4 <<<"$out")"
  elif [ "$must" != "-" ] && ! grep -qF -- "$must" <<<"$out"; then
    # the right exit for the wrong reason: the rejection must name the offending entry
    fail "forge case $name ($path): exit $rc as wanted, but the output does not name '$must': $(tail -4 <<<"$out")"
  elif [ "$reason" != "-" ] && ! failure_lines "$tmp/stdout" "$tmp/stderr" | grep -qF -- "$reason"; then
    # the right exit from another check: something else rejected it first
    fail "forge case $name ($path): exit $rc as wanted, but not by the check it tests: no failure line says" \
         "'$reason'; failure lines: $(failure_lines "$tmp/stdout" "$tmp/stderr" | head -6)"
  else
    pass
    [ "$reason" != "-" ] && nreasons=$((nreasons + 1))
    [ -n "${AL_VERBOSE:-}" ] && printf 'ok %s (exit %s): %s\n' "$name" "$rc" "$(tail -1 <<<"$out")"
  fi
done <cases.tsv
# verify-bundle on the bundle of a referrer case: GitHub's instance (a root
# with no log: its TSA dates the signature), and the report's age line
vb_case() { # vb_case CASE ROOT [ARG...] -> runs verify-bundle on the case's bundle blob
  local b c=$1 r=$2
  shift 2
  b=$(grep -l '"verificationMaterial"' "cases/$c"/blobs/sha256/* | head -1)
  "$AL_BIN" verify-bundle "$@" --bundle "$b" --trusted-root "$r" --certificate-identity \
    https://github.com/airlock-test/app/.github/workflows/release.yml@refs/heads/main \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "cases/$c/index.json")"
}
nolog="--insecure-ignore-tlog --insecure-ignore-sct"
expect_exit 0 vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "tlog: none required (the trusted root lists no log; 1 RFC 3161 timestamp)" \
  vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "RELAXED (insecure-ignore-tlog): no transparency-log entry, none required" \
  vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "trust material: as of 2025-01-01T00:00:00Z" vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "(root 2 of 2 in trust/trusted_roots-instances.jsonl)" vb_case instance-tsa-only trust/trusted_roots-instances.jsonl $nolog
# the policy asks for a log entry: a root with no log is accepted only relaxed
expect_exit 1 vb_case instance-tsa-only trust/trusted_root-tsa-only.json --insecure-ignore-sct
expect_err "the trusted root lists no log, and the policy requires an entry" \
  vb_case instance-tsa-only trust/trusted_root-tsa-only.json --insecure-ignore-sct
expect_err "the trusted root lists no CT log, and the policy requires an SCT" \
  vb_case instance-tsa-only trust/trusted_root-tsa-only.json --insecure-ignore-tlog
expect_exit 1 vb_case tamper-instance-no-tsa trust/trusted_root-tsa-only.json $nolog
expect_err "needs a verified RFC 3161 timestamp" vb_case tamper-instance-no-tsa trust/trusted_root-tsa-only.json $nolog
expect_exit 1 vb_case instance-tsa-only trust/trusted_root.json $nolog
expect_err "the bundle has none, and the trusted root lists transparency logs" \
  vb_case instance-tsa-only trust/trusted_root.json $nolog

# verify-bundle under the policy flags (docs/policy.md §5): the referrer's bundle is a DSSE
# SLSA provenance v1 of github.com/airlock-test/app on main, with a log entry and a timestamp
expect_exit 0 vb_case referrer trust/trusted_root.json --type slsaprovenance1 --use-signed-timestamps
expect_exit 0 vb_case referrer trust/trusted_root.json --source-uri github.com/airlock-test/app --source-branch main
expect_err "the statement's predicate type is https://slsa.dev/provenance/v1, the policy requires https://spdx.dev/Document" \
  vb_case referrer trust/trusted_root.json --type spdx
expect_err 'SLSA provenance source repository is "github.com/airlock-test/app", the policy requires github.com/airlock-test/other' \
  vb_case referrer trust/trusted_root.json --source-uri github.com/airlock-test/other
expect_err "certificate has no extension githubWorkflowRepository" \
  vb_case referrer trust/trusted_root.json --certificate-github-workflow-repository airlock-test/app
expect_err "the policy requires an attestation (https://slsa.dev/provenance/v1), and this bundle is a message signature" \
  vb_case referrer-msgsig trust/trusted_root.json --type slsaprovenance1

# every relaxation, and warn mode, is said in the text and in the JSON report
kl=(--trusted-root trust/trusted_root.json --certificate-identity
    https://github.com/airlock-test/app/.github/workflows/release.yml@refs/heads/main
    --certificate-oidc-issuer https://token.actions.githubusercontent.com)
expect_out "RELAXED (insecure-ignore-sct): Fulcio certificates need no SCT" \
  "$AL_BIN" verify cases/tamper-sct-missing "${kl[@]}" --insecure-ignore-sct
expect_out "RELAXED (insecure-ignore-sct): the certificate's SCT was not checked" \
  "$AL_BIN" verify cases/tamper-sct-missing "${kl[@]}" --insecure-ignore-sct
expect_out "RELAXED (insecure-accept-anything): accepted without a signature" \
  "$AL_BIN" verify cases/unsigned --policy policies/accept.json --trusted-root trust/trusted_root.json
expect_out "WARN image" "$AL_BIN" verify cases/key-sig --policy policies/warn.json --trusted-root trust/trusted_root.json
json_of() { "$AL_BIN" verify -o json "$@" 2>/dev/null; }
check "JSON: insecure-ignore-sct is listed, and the SCT check is a RELAXED warning" python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
img = d["images"][0]
assert d["verdict"] == "pass" and img["policy"]["relaxations"] == ["insecure-ignore-sct"], img["policy"]
c = [c for c in img["signatures"][0]["checks"] if c["name"] == "certificate.sct"][0]
assert c["status"] == "warn" and c["reason"].startswith("RELAXED (insecure-ignore-sct)"), c
' < <(json_of cases/tamper-sct-missing "${kl[@]}" --insecure-ignore-sct)
check "JSON: warn mode is status warn, counted, and the verdict passes" python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
img = d["images"][0]
assert d["verdict"] == "pass" and d["exitCode"] == 0 and img["status"] == "warn", (d["verdict"], img["status"])
assert d["summary"]["warned"] == 1 and img["policy"]["rule"] == "default", d["summary"]
assert d["policy"]["format"] == "airlock" and d["policy"]["source"] == "policies/warn.json", d["policy"]
' < <(json_of cases/key-sig --policy policies/warn.json --trusted-root trust/trusted_root.json)
check "JSON: accept is listed as insecure-accept-anything" python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
assert d["verdict"] == "pass" and d["images"][0]["policy"]["relaxations"] == ["insecure-accept-anything"], d["images"][0]
' < <(json_of cases/unsigned --policy policies/accept.json --trusted-root trust/trusted_root.json)
check "JSON: k of n names the authority each signature met, once each" python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
img = d["images"][0]
met = sorted(s["authority"] for s in img["signatures"] if s["status"] == "pass")
assert met == ["cosign", "rsa", "third"], met
req = {r["requirement"]: r["status"] for r in img["requirements"]}
assert req["3 of 3 authorities"] == "pass", req
' < <(json_of cases/three-sigs --policy policies/k3.json --trusted-root trust/trusted_root.json)

check "cases.tsv lists cases ($n)" [ "$n" -ge 20 ]
check "rejections were checked for their reason ($nreasons)" [ "$nreasons" -ge 20 ]
finish
