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
nolog=--insecure-ignore-tlog
expect_exit 0 vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "tlog: none required (the trusted root lists no log; 1 RFC 3161 timestamp)" \
  vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "RELAXED (insecure-ignore-tlog): no transparency-log entry, none required" \
  vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "trust material: as of 2025-01-01T00:00:00Z" vb_case instance-tsa-only trust/trusted_root-tsa-only.json $nolog
expect_out "(root 2 of 2 in trust/trusted_roots-instances.jsonl)" vb_case instance-tsa-only trust/trusted_roots-instances.jsonl $nolog
# the policy asks for a log entry: a root with no log is accepted only relaxed
expect_exit 1 vb_case instance-tsa-only trust/trusted_root-tsa-only.json
expect_err "the trusted root lists no log, and the policy requires an entry" \
  vb_case instance-tsa-only trust/trusted_root-tsa-only.json
expect_exit 1 vb_case tamper-instance-no-tsa trust/trusted_root-tsa-only.json $nolog
expect_err "needs a verified RFC 3161 timestamp" vb_case tamper-instance-no-tsa trust/trusted_root-tsa-only.json $nolog
expect_exit 1 vb_case instance-tsa-only trust/trusted_root.json $nolog
expect_err "the bundle has none, and the trusted root lists transparency logs" \
  vb_case instance-tsa-only trust/trusted_root.json $nolog

check "cases.tsv lists cases ($n)" [ "$n" -ge 20 ]
check "rejections were checked for their reason ($nreasons)" [ "$nreasons" -ge 20 ]
finish
