#!/usr/bin/env bash
# sigstore-conformance bundle-verify cases (../shared, read in place), run as
# the conformance suite runs them: every case once with the artifact file and
# once with its sha256:<hex> digest; a case whose name ends in _fail must be
# rejected, every other case must verify. A rejection must say which check
# failed (non-empty diagnostic). Expectations: EXPECTATIONS.tsv.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "sigstore-conformance" || finish

conf="$AL_SHARED/vectors/sigstore__sigstore-conformance"
cases="$conf/test/assets/bundle-verify"
default_root="$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json"
def_id=$(sed -n 's/^# DEFAULT identity = //p' "$conf/EXPECTATIONS.tsv")
def_iss=$(sed -n 's/^# DEFAULT issuer   = //p' "$conf/EXPECTATIONS.tsv")
only=${AL_CONFORMANCE_ONLY:-}
ncases=0

while IFS=$'\t' read -r name expected _root _artifact mode ident iss _rest; do
  case "$name" in case|'#'*|'') continue ;; esac
  [ -n "$only" ] && ! grep -qE "$only" <<<"$name" && continue
  ncases=$((ncases + 1))
  dir="$cases/$name"
  root="$default_root"; [ -f "$dir/trusted_root.json" ] && root="$dir/trusted_root.json"
  art="$cases/a.txt"; [ -f "$dir/artifact" ] && art="$dir/artifact"
  [ "$ident" = DEFAULT ] && ident=$def_id
  [ "$iss" = DEFAULT ] && iss=$def_iss
  if [ -f "$dir/key.pub" ]; then
    policy=(--key "$dir/key.pub")
  else
    policy=(--certificate-identity "$ident" --certificate-oidc-issuer "$iss")
  fi
  digest="sha256:$(sha256sum "$art" | cut -d' ' -f1)"
  for input in "$art" "$digest"; do
    out=$("$AL_BIN" verify-bundle --bundle "$dir/bundle.sigstore.json" "${policy[@]}" \
          --trusted-root "$root" "$input" 2>&1); rc=$?
    form=file; [ "$input" = "$digest" ] && form=digest
    if [ "$expected" = PASS ]; then
      if [ $rc = 0 ]; then pass; else fail "$name ($form): expected PASS, got exit $rc: $out"; fi
    else
      if [ $rc = 1 ] || [ $rc = 4 ]; then
        if [ -n "$out" ]; then pass; else fail "$name ($form): rejected without saying why"; fi
        [ -n "${AL_VERBOSE:-}" ] && echo "ok $name ($form): $out"
      else
        fail "$name ($form): expected FAIL (exit 1 or 4), got exit $rc: $out"
      fi
    fi
  done
done <"$conf/EXPECTATIONS.tsv"
[ -n "$only" ] || at_least 50 "conformance cases listed in EXPECTATIONS.tsv" "$ncases"
finish
