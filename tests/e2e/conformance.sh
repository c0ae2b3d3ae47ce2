#!/usr/bin/env bash
# sigstore-conformance bundle-verify cases (../shared, read in place), run as
# the conformance suite runs them: every case once with the artifact file and
# once with its sha256:<hex> digest; a case whose name ends in _fail must be
# rejected, every other case must verify. A rejection must come from the check
# the case was made for: each FAIL case has a row in conformance_reasons.tsv
# (beside this script) with a fixed fragment of that check's diagnostic, and the
# suite fails on a FAIL case without a row, on a row without a FAIL case, and
# on a rejection whose diagnostic lacks the fragment. Expectations:
# EXPECTATIONS.tsv.
# Every case whose trusted root is byte for byte the root airlock embeds
# (docs/trust.md) runs once more without --trusted-root: the embedded root
# must give the same verdict, for the same reason, and be named in the result.
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
nreasoned=0
nembedded=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
embedded="$tmp/embedded.json"
"$AL_BIN" trust show --json >"$embedded" || fail "airlock trust show --json failed"

# The reason table: case -> fragment. Tabs are read with awk, not `read`,
# which would fold an empty column into the next one.
table="$AL_SRC/tests/e2e/conformance_reasons.tsv"
declare -A reason=() failcase=()
if [ ! -f "$table" ]; then
  fail "reason table $table is missing"
else
  bad=$(awk -F'\t' '!/^#/ && NF && (NF != 3 || $1 == "" || $2 == "" || $3 == "") { print NR": "$0 }' "$table")
  [ -z "$bad" ] || fail "reason table: rows that are not 'case<TAB>reason<TAB>why' with three non-empty columns: $bad"
  while IFS=$'\t' read -r rname rfrag _why; do
    case "$rname" in '#'*|'') continue ;; esac
    if [ -n "${reason[$rname]+set}" ]; then fail "reason table: $rname has two rows"; continue; fi
    reason[$rname]=$rfrag
  done < <(awk -F'\t' '!/^#/ && NF == 3 && $1 != "" && $2 != "" && $3 != ""' "$table")
fi

while IFS=$'\t' read -r name expected _root _artifact mode ident iss _rest; do
  case "$name" in case|'#'*|'') continue ;; esac
  [ "$expected" = PASS ] || failcase[$name]=1
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
  want=""
  if [ "$expected" != PASS ]; then
    if [ -n "${reason[$name]+set}" ]; then
      want=${reason[$name]}; nreasoned=$((nreasoned + 1))
    else
      fail "$name: a FAIL case without a row in tests/e2e/conformance_reasons.tsv (which check must reject it?)"
    fi
  fi
  # with --trusted-root, and again with the embedded root when it is this one
  runs=(given)
  if cmp -s "$root" "$embedded"; then
    runs+=(embedded); [ "$expected" = PASS ] && nembedded=$((nembedded + 1))
  fi
  for tr in "${runs[@]}"; do
  rootopt=(--trusted-root "$root"); [ "$tr" = embedded ] && rootopt=()
  for input in "$art" "$digest"; do
    out=$("$AL_BIN" verify-bundle --bundle "$dir/bundle.sigstore.json" "${policy[@]}" \
          "${rootopt[@]}" "$input" 2>&1); rc=$?
    form=file; [ "$input" = "$digest" ] && form=digest
    [ "$tr" = embedded ] && form="$form, embedded root"
    if [ "$expected" = PASS ]; then
      if [ $rc != 0 ]; then fail "$name ($form): expected PASS, got exit $rc: $out"
      elif [ "$tr" = embedded ] && [[ $out != *"(embedded ("* ]]; then fail "$name ($form): the result does not name the embedded root: $out"
      else pass; fi
    else
      if [ $rc = 1 ] || [ $rc = 4 ]; then
        # the paths are ours, not airlock's words: a fragment must not match them
        msg=${out//"$dir/bundle.sigstore.json"/}; msg=${msg//"$root"/}; msg=${msg//"$art"/}
        if [ -z "$out" ]; then
          fail "$name ($form): rejected without saying why"
        elif [ -n "$want" ] && [[ $msg != *"$want"* ]]; then
          fail "$name ($form): rejected, but not by the check it was made for: the diagnostic lacks \"$want\": $out"
        else
          pass
        fi
        [ -n "${AL_VERBOSE:-}" ] && echo "ok $name ($form): $out"
      else
        fail "$name ($form): expected FAIL (exit 1 or 4), got exit $rc: $out"
      fi
    fi
  done
  done
done <"$conf/EXPECTATIONS.tsv"
# a row whose case is gone (or now passes) is stale: it checks nothing
for rname in "${!reason[@]}"; do
  [ -n "${failcase[$rname]+set}" ] ||
    fail "reason table: stale row $rname: no FAIL case of that name in EXPECTATIONS.tsv"
done
if [ -z "$only" ]; then
  at_least 50 "conformance cases listed in EXPECTATIONS.tsv" "$ncases"
  at_least 30 "conformance FAIL cases checked against their reason" "$nreasoned"
  # happy-path, -v0.1, -v0.3, -v0.3-new-mediaType, -intoto-in-dsse-v3,
  # managed-key-happy-path when the pinned root is the conformance default
  at_least 5 "PASS cases verified again with the embedded root (their trusted root is the embedded one)" "$nembedded"
fi
finish
