#!/usr/bin/env bash
# verify-bundle --batch LIST: many bundles under one policy, on worker
# threads. What is checked:
#  - every result line is exactly what a run of verify-bundle on that one
#    bundle decides (verdict and exit status), in LIST's order, whatever -j;
#  - tampered copies among good bundles each fail (exit 1) and do not stop
#    or change the others; the run exits with the worst status;
#  - -o json: one report per line, byte for byte the single run's report
#    (same --at), then a summary object;
#  - LIST errors name the line and exit 2 before anything is verified;
#    option conflicts exit 2; a bad trusted root exits 4.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "generated/setB" || finish
setb_vars
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
idp=(--certificate-identity "$ident" --certificate-oidc-issuer "$iss" --trusted-root "$root")
keyp=(--key "$set_dir/signing-key.pub.pem" --trusted-root "$root")
# one evaluation time for every run, so JSON reports compare byte for byte
at=$(python3 - "$set_dir" <<'EOF'
import json, sys, glob
# a time after every bundle's signing: the latest integratedTime, plus a minute
t = 0
for f in glob.glob(sys.argv[1] + "/*.sigstore.json"):
    for e in json.load(open(f)).get("verificationMaterial", {}).get("tlogEntries", []):
        t = max(t, int(e.get("integratedTime", 0)))
import datetime
print(datetime.datetime.fromtimestamp(t + 60, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
EOF
)
sample=${AL_SAMPLE:-1}

# identity bundles (messages and DSSE) and key bundles, every sample-th
python3 - "$set_dir/manifest.json" "$sample" "$set_dir" >"$tmp/id.list" 3>"$tmp/key.list" <<'EOF'
import json, os, sys
m = json.load(open(sys.argv[1])); k = int(sys.argv[2]); d = sys.argv[3]
key = os.fdopen(3, "w")
seen = {}
for it in m["items"]:
    kind = it["bundle"].split("-")[0]
    seen[kind] = seen.get(kind, -1) + 1
    if seen[kind] % k:
        continue
    line = "%s/%s\t%s/%s\n" % (d, it["bundle"], d, it["artifact"])
    (key if it["bundle"].startswith("key-") else sys.stdout).write(line)
key.close()
EOF
nid=$(wc -l <"$tmp/id.list"); nkey=$(wc -l <"$tmp/key.list")
check "lists made ($nid identity, $nkey key)" [ "$nid" -gt 0 -a "$nkey" -gt 0 ]

# ---- all good: exit 0, a VERIFIED line per bundle in LIST's order, the summary
for j in 1 2 5; do
  "$AL_BIN" verify-bundle --batch "$tmp/id.list" -j $j "${idp[@]}" >"$tmp/id.$j" 2>"$tmp/id.$j.err"; rc=$?
  check "identity batch -j $j exits 0 (got $rc: $(head -c 300 "$tmp/id.$j.err"))" [ $rc = 0 ]
  got=$(grep -c '^VERIFIED ' "$tmp/id.$j")
  check "identity batch -j $j: $nid VERIFIED lines (got $got)" [ "$got" = "$nid" ]
  check "identity batch -j $j: summary" grep -qx "summary: $nid of $nid bundles verified, 0 failed ($j workers\?)" "$tmp/id.$j"
  check "identity batch -j $j: LIST's order" \
    cmp -s <(sed -n 's/^VERIFIED \([^:]*\): .*/\1/p' "$tmp/id.$j") <(cut -f1 "$tmp/id.list")
done
check "identity batch: -j 1 and -j 2 print the same results" \
  cmp -s <(grep -v '^summary' "$tmp/id.1") <(grep -v '^summary' "$tmp/id.2")
check "identity batch: -j 2 and -j 5 print the same results" \
  cmp -s <(grep -v '^summary' "$tmp/id.2") <(grep -v '^summary' "$tmp/id.5")
"$AL_BIN" verify-bundle --batch - "${keyp[@]}" <"$tmp/key.list" >"$tmp/key.out" 2>&1; rc=$?
check "key batch from stdin exits 0 (got $rc)" [ $rc = 0 ]
check "key batch: $nkey verified" grep -qx "summary: $nkey of $nkey bundles verified, 0 failed (.*)" "$tmp/key.out"

# ---- the same line, one bundle at a time, says the same
n=0
while IFS=$'\t' read -r b a; do
  n=$((n + 1)); [ $((n % 25)) = 1 ] || continue
  "$AL_BIN" verify-bundle --bundle "$b" "${idp[@]}" "$a" >"$tmp/one.txt" 2>&1; rc=$?
  one=$(head -1 "$tmp/one.txt")
  line=$(sed -n "${n}p" "$tmp/id.2")
  check "line $n: the single run verifies too (exit $rc)" [ $rc = 0 ]
  check "line $n: batch says what the single run says ('$line' vs '$one')" [ "$line" = "VERIFIED $b: ${one#verified: }" ]
done <"$tmp/id.list"

# ---- tampered copies among good ones: each fails alone, the others verify
sel=$(ls "$set_dir"/msg-*00.sigstore.json "$set_dir"/dsse-*00.sigstore.json | awk -v k="$sample" 'NR % k == 0')
python3 "$AL_SRC/tests/tools/tamper.py" "$tmp/t" $sel >/dev/null
: >"$tmp/mixed.list"
for f in "$tmp"/t/*.json; do
  b=$(basename "$f"); base=${b%%.*}
  art=$(ls "$set_dir/$base".bin "$set_dir/$base".subject.bin 2>/dev/null | head -1)
  printf '%s\t%s\n' "$set_dir/$base.sigstore.json" "$art" "$f" "$art" >>"$tmp/mixed.list"
done
nm=$(wc -l <"$tmp/mixed.list")
"$AL_BIN" verify-bundle --batch "$tmp/mixed.list" -j 2 "${idp[@]}" >"$tmp/mixed.out" 2>&1; rc=$?
check "mixed batch exits 1 (got $rc)" [ $rc = 1 ]
check "mixed batch: $nm result lines and a summary" [ "$(grep -c '^VERIFIED \|^FAILED ' "$tmp/mixed.out")" = "$nm" ]
bad=0
n=0
while IFS=$'\t' read -r b a; do
  n=$((n + 1))
  line=$(sed -n "${n}p" "$tmp/mixed.out")
  case "$b" in
    "$tmp"/t/*)
      # every tampered copy is decided the way a single run decides it, reason and all
      if [ $((n % 8)) = 0 ]; then
        one=$("$AL_BIN" verify-bundle --bundle "$b" "${idp[@]}" "$a" 2>&1 >/dev/null); orc=$?
        check "tampered $(basename "$b"): single run exit 1 (got $orc)" [ $orc = 1 ]
        check "tampered $(basename "$b"): same reason in the batch ('$line' vs '$one')" \
          [ "$line" = "FAILED $b (exit 1): ${one#airlock: }" ]
      fi
      case "$line" in "FAILED $b (exit 1): "*) ;; *) bad=$((bad + 1)); echo "not failed: $line" >&2 ;; esac ;;
    *) case "$line" in "VERIFIED $b: "*) ;; *) bad=$((bad + 1)); echo "not verified: $line" >&2 ;; esac ;;
  esac
done <"$tmp/mixed.list"
check "mixed batch: every tampered copy FAILED, every original VERIFIED ($bad wrong of $nm)" [ $bad = 0 ]
ntam=$(grep -c "^$tmp/t/" "$tmp/mixed.list")
check "mixed batch: summary counts" grep -qx "summary: $((nm - ntam)) of $nm bundles verified, $ntam failed (2 workers)" "$tmp/mixed.out"

# ---- JSON: each line the single run's report, then the summary
head -n 6 "$tmp/id.list" >"$tmp/six.list"
printf '%s\t%s\n' "$(ls "$tmp"/t/*.json | head -1)" "$(head -1 "$tmp/id.list" | cut -f2)" >>"$tmp/six.list"
"$AL_BIN" verify-bundle --batch "$tmp/six.list" -j 3 --at "$at" -o json "${idp[@]}" >"$tmp/six.json" 2>/dev/null; rc=$?
check "json batch exits 1 (one bundle does not match its artifact; got $rc)" [ $rc = 1 ]
check "json batch: 7 reports and a summary" [ "$(wc -l <"$tmp/six.json")" = 8 ]
n=0
while IFS=$'\t' read -r b a; do
  n=$((n + 1))
  "$AL_BIN" verify-bundle --bundle "$b" --at "$at" -o json "${idp[@]}" "$a" >"$tmp/one.json" 2>/dev/null
  check "json line $n is the single run's report" cmp -s "$tmp/one.json" <(sed -n "${n}p" "$tmp/six.json")
done <"$tmp/six.list"
check "json summary" python3 -c '
import json, sys
s = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert s["command"] == "verify-bundle --batch" and s["bundles"] == 7 and s["verified"] == 6, s
assert s["failed"] == 1 and s["exitCode"] == 1 and s["workers"] == 3, s
# reports carry the report media type; the summary does not, so no reader takes it for one
assert "mediaType" not in s, s
assert all("mediaType" in json.loads(l) for l in open(sys.argv[1]).read().splitlines()[:-1])' "$tmp/six.json"

# ---- a bundle that cannot be read: exit 2 for that line, the rest go on
{ head -n 2 "$tmp/id.list"; printf '%s\t%s\n' "$tmp/absent.json" "$(head -1 "$tmp/id.list" | cut -f2)"; } >"$tmp/absent.list"
"$AL_BIN" verify-bundle --batch "$tmp/absent.list" "${idp[@]}" >"$tmp/absent.out" 2>&1; rc=$?
check "unreadable bundle: the run exits 2 (got $rc)" [ $rc = 2 ]
check "unreadable bundle: its line says FAILED (exit 2)" grep -q "^FAILED $tmp/absent.json (exit 2): " "$tmp/absent.out"
check "unreadable bundle: the others verified" [ "$(grep -c '^VERIFIED ' "$tmp/absent.out")" = 2 ]

# ---- hostile text in LIST never reaches the terminal raw
printf '%s\t%s\n' "$tmp/x$(printf '\033')[31mred.json" "sha256:$(printf '%064d' 0)" >"$tmp/esc.list"
"$AL_BIN" verify-bundle --batch "$tmp/esc.list" "${idp[@]}" >"$tmp/esc.out" 2>&1
check "an escape byte in a LIST name is not printed raw" bash -c '! grep -q $'"'"'\033'"'"' "$1"' _ "$tmp/esc.out"

# ---- LIST errors: exit 2, the line named, nothing verified
bad_list() { # want-text content...
  local want=$1; shift
  printf "$@" >"$tmp/bad.list"
  expect_exit 2 "$AL_BIN" verify-bundle --batch "$tmp/bad.list" "${idp[@]}"
  expect_err "$want" "$AL_BIN" verify-bundle --batch "$tmp/bad.list" "${idp[@]}"
  check "a bad LIST ($want): nothing printed on stdout" \
    [ -z "$("$AL_BIN" verify-bundle --batch "$tmp/bad.list" "${idp[@]}" 2>/dev/null)" ]
}
bad_list "line 2: want BUNDLE<TAB>FILE_OR_DIGEST" 'a\tb\nno-tab\n'
bad_list "line 1: want BUNDLE<TAB>FILE_OR_DIGEST" 'a\tb\tc\n'
bad_list "line 1: want BUNDLE<TAB>FILE_OR_DIGEST" '\tb\n'
bad_list "line 3: want BUNDLE<TAB>FILE_OR_DIGEST" '# c\n\na\t\n'
bad_list "line 2 holds a NUL byte" 'a\tb\nc\t\0d\n'
bad_list "no bundle listed: each line is BUNDLE<TAB>FILE_OR_DIGEST" '# only a comment\n\n'
python3 -c 'import sys; sys.stdout.write("a\tb\n" * 200001)' >"$tmp/many.list"
expect_err "more than 200000 bundles" "$AL_BIN" verify-bundle --batch "$tmp/many.list" "${idp[@]}"
expect_exit 2 "$AL_BIN" verify-bundle --batch "$tmp/many.list" "${idp[@]}"
truncate -s 33M "$tmp/huge.list"
expect_exit 2 "$AL_BIN" verify-bundle --batch "$tmp/huge.list" "${idp[@]}"
expect_err "--batch" "$AL_BIN" verify-bundle --batch "$tmp/huge.list" "${idp[@]}"
expect_exit 2 "$AL_BIN" verify-bundle --batch "$tmp/absent.list.none" "${idp[@]}"

# ---- options that do not go with --batch
one_b=$(head -1 "$tmp/id.list" | cut -f1); one_a=$(head -1 "$tmp/id.list" | cut -f2)
expect_err "no --bundle" "$AL_BIN" verify-bundle --batch "$tmp/id.list" --bundle "$one_b" "${idp[@]}"
expect_exit 2 "$AL_BIN" verify-bundle --batch "$tmp/id.list" "${idp[@]}" "$one_a"
expect_exit 2 "$AL_BIN" verify-bundle --batch "$tmp/id.list" --report "$tmp/r.json" "${idp[@]}"
check "--report with --batch wrote nothing" [ ! -e "$tmp/r.json" ]
expect_err "give --batch LIST" "$AL_BIN" verify-bundle -j 2 --bundle "$one_b" "${idp[@]}" "$one_a"
for j in 0 65 -1 1x ' 2'; do
  expect_exit 2 "$AL_BIN" verify-bundle --batch "$tmp/id.list" -j "$j" "${idp[@]}"
done
# ---- trust material that does not load: exit 4, nothing verified
echo '{' >"$tmp/bad-root.json"
"$AL_BIN" verify-bundle --batch "$tmp/id.list" --certificate-identity "$ident" --certificate-oidc-issuer "$iss" \
  --trusted-root "$tmp/bad-root.json" >"$tmp/br.out" 2>&1; rc=$?
check "a bad trusted root exits 4 (got $rc)" [ $rc = 4 ]
check "a bad trusted root: no result line" bash -c '! grep -q "^VERIFIED\|^FAILED" "$1"' _ "$tmp/br.out"
finish
