#!/usr/bin/env bash
# Verification Summary Attestations end to end (docs/vsa.md), on layouts the
# test forge signs and keys openssl makes: `verify --vsa-out` writes one VSA
# per image in two forms, `verify-vsa` accepts them and rejects each altered
# twin, openssl verifies the DSSE signature over a PAE rebuilt here with
# python3 (an implementation independent of airlock's), two runs give the
# same bytes, and the writer never overwrites, never follows a link and
# never writes outside its folder. Needs no ../shared.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
A=$AL_BIN
T=2026-01-02T03:04:05Z

"$AL_BUILD/bin/al-forge" "$tmp/out" >"$tmp/forge.log" 2>&1 || { fail "al-forge failed: $(tail -5 "$tmp/forge.log")"; finish; }
cd "$tmp/out" || exit 1
openssl genpkey -algorithm ed25519 -out "$tmp/ed.pem" 2>/dev/null &&
  openssl pkey -in "$tmp/ed.pem" -pubout -out "$tmp/ed.pub" &&
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ec.pem" 2>/dev/null &&
  openssl pkey -in "$tmp/ec.pem" -pubout -out "$tmp/ec.pub" &&
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/rsa.pem" 2>/dev/null ||
  { fail "openssl could not make the keys"; finish; }

# args CASE: the case's airlock verify arguments from cases.tsv, one per line
args() { awk -F'\t' -v c="$1" '$1 == c { for (i = 6; i <= NF; i++) print $i }' cases.tsv; }
# run CASE DIR KEY [more options]: airlock verify CASE with VSAs into DIR
run() {
  local c=$1 d=$2 k=$3; shift 3
  local -a a; mapfile -t a < <(args "$c")
  "$A" verify "${a[@]}" --vsa-out "$d" --vsa-key "$k" "$@" -- "cases/$c"
}
# digest of the one VSA in DIR (its file name)
vsa_hex() { ls "$1" | sed -n 's/\.vsa\.dsse\.json$//p' | head -1; }
# inspect DIR: for the one VSA of DIR, by python (python3 starts slowly, so
# once per folder): writes DIR.<form>.pae and DIR.<form>.sig, the DSSE PAE
# rebuilt here and the first signature, for both files; prints the fields
# "subject result timeVerified verifier.id #inputs policy-sha256"
inspect() {
  python3 - "$1" <<'PY'
import base64, glob, json, sys
d = sys.argv[1]
for form in ("dsse", "sigstore"):
    e = json.load(open(glob.glob(d + "/*.vsa.%s.json" % form)[0]))
    e = e.get("dsseEnvelope", e)
    p = base64.b64decode(e["payload"]); t = e["payloadType"].encode()
    open("%s.%s.pae" % (d, form), "wb").write(b"DSSEv1 %d %s %d %s" % (len(t), t, len(p), p))
    open("%s.%s.sig" % (d, form), "wb").write(base64.b64decode(e["signatures"][0]["sig"]))
    s = json.loads(p)
pr = s["predicate"]
print(s["subject"][0]["digest"]["sha256"], pr["verificationResult"], pr["timeVerified"], pr["verifier"]["id"],
      len(pr["inputAttestations"]), pr["policy"]["digest"]["sha256"])
PY
}
declare -A policy_of inputs_of

for c in key-sig keyless-sig-att multiarch-index referrer; do
  for k in ed ec; do
    d=$tmp/vsa-$c-$k; mkdir "$d"
    expect_exit 0 run "$c" "$d" "$tmp/$k.pem" --at "$T" --verifier-id https://verifier.example/airlock
    check "$c/$k: two files written" test "$(ls "$d" | wc -l)" = 2
    h=$(vsa_hex "$d")
    check "$c/$k: named by a sha256 digest" test "${#h}" = 64
    for f in "$d/$h.vsa.dsse.json" "$d/$h.vsa.sigstore.json"; do
      expect_out VERIFIED "$A" verify-vsa --vsa "$f" --key "$tmp/$k.pub" --subject-digest "sha256:$h" \
        --verifier-id https://verifier.example/airlock --verified-level SLSA_BUILD_LEVEL_0
    done
    read -r subj result when vid ninputs pol < <(inspect "$d")
    for form in dsse sigstore; do
      if [ "$k" = ed ]; then
        check "$c/$k/$form: openssl verifies the Ed25519 signature over the PAE" openssl pkeyutl -verify -pubin \
          -inkey "$tmp/ed.pub" -rawin -in "$d.$form.pae" -sigfile "$d.$form.sig" -out /dev/null
      else
        check "$c/$k/$form: openssl verifies the P-256 signature over the PAE" \
          openssl dgst -sha256 -verify "$tmp/ec.pub" -signature "$d.$form.sig" -out /dev/null "$d.$form.pae"
      fi
    done
    check "$c/$k: subject is the image" test "$subj" = "$h"
    check "$c/$k: PASSED" test "$result" = PASSED
    check "$c/$k: timeVerified is --at" test "$when" = "$T"
    check "$c/$k: verifier.id" test "$vid" = https://verifier.example/airlock
    check "$c/$k: inputAttestations name verified items" test "$ninputs" -gt 0
    check "$c/$k: policy digest is a sha256" test "${#pol}" = 64
    policy_of[$c]=$pol; inputs_of[$c]=$ninputs
  done
  # determinism: the same run again, same bytes (Ed25519 and RFC 6979 ECDSA)
  for k in ed ec; do
    d2=$tmp/vsa-$c-$k-again; mkdir "$d2"
    run "$c" "$d2" "$tmp/$k.pem" --at "$T" --verifier-id https://verifier.example/airlock >/dev/null 2>&1
    check "$c/$k: two runs give identical bytes" diff -r "$tmp/vsa-$c-$k" "$d2"
  done
done
# an attestation-signed image lists both of its verified items
check "keyless-sig-att lists the signature and the attestation" test "${inputs_of[keyless-sig-att]}" = 2
# another policy, another digest: the key-mode and keyless policies differ
check "policy digests differ between policies" test "${policy_of[key-sig]}" != "${policy_of[keyless-sig-att]}"
check "the same policy, the same digest" test "${policy_of[key-sig]}" = "${policy_of[multiarch-index]}"
# the canonical form (docs/vsa.md §4), rebuilt here: sorted keys, no whitespace, the key by its
# SPKI's SHA-256 and the trusted root by its file's
spki=$(openssl pkey -pubin -in trust/cosign.pub -outform DER | sha256sum | cut -c1-64)
troot=$(sha256sum trust/trusted_root.json | cut -c1-64)
# the flags' policy: one default rule, the key by the path given, every default said (docs/policy.md §6)
rules='{"default":{"action":"verify","attestations":[],"authorities":[{"keys":[{"path":"trust/cosign.pub"}],"name":"command line"}],"mode":"enforce","name":"command line","relax":[],"threshold":1,"timestamps":{"minCount":0},"transparency":{"minEntries":1}},"rules":[],"version":1}'
canon='{"allowMissingBlobs":false,"keys":["sha256:'$spki'"],"rules":'$rules',"strict":false,"trustedRootSha256":"'$troot'"}'
check "policy.digest is the SHA-256 of the canonical policy" \
  test "${policy_of[key-sig]}" = "$(printf '%s' "$canon" | sha256sum | cut -c1-64)"

# with -o json, stdout stays one JSON document, and the VSAs are the same bytes
d=$tmp/vsa-json; mkdir "$d"
run key-sig "$d" "$tmp/ed.pem" --at "$T" --verifier-id https://verifier.example/airlock -o json >"$tmp/report.json" 2>/dev/null
check "-o json: stdout is one JSON document" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/report.json"
check "-o json: the same VSAs" diff -r "$d" "$tmp/vsa-key-sig-ed"

# the wall clock when no time is given
d=$tmp/vsa-now; mkdir "$d"
expect_exit 0 run key-sig "$d" "$tmp/ed.pem"
read -r subj result now vid ninputs pol < <(inspect "$d")
check "timeVerified defaults to the clock ($now)" test "$(( $(date +%s) - $(date -d "$now" +%s) ))" -lt 600

# ---- verify-vsa rejects each altered twin (exit 1, naming the field)
d=$tmp/vsa-key-sig-ed; h=$(vsa_hex "$d"); good=$d/$h.vsa.dsse.json
vv() { "$A" verify-vsa --key "$tmp/ed.pub" --subject-digest "sha256:$h" "$@"; }
expect_exit 0 vv --vsa "$good"
python3 - "$good" "$tmp/payload-byte.json" <<'PY'
import base64, json, sys
e = json.load(open(sys.argv[1]))
p = bytearray(base64.b64decode(e["payload"])); p[p.index(b"PASSED")] ^= 0x01
e["payload"] = base64.b64encode(bytes(p)).decode()
json.dump(e, open(sys.argv[2], "w"))
PY
expect_exit 1 vv --vsa "$tmp/payload-byte.json"
expect_err "signature:" vv --vsa "$tmp/payload-byte.json"
# one byte of the file: a base64 character of the signature
python3 - "$good" "$tmp/file-byte.json" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); i = b.index(b'"sig":"') + 12
b[i] = ord("A") if b[i] != ord("A") else ord("B")
open(sys.argv[2], "wb").write(bytes(b))
PY
expect_exit 1 vv --vsa "$tmp/file-byte.json"
expect_exit 1 "$A" verify-vsa --vsa "$good" --key "$tmp/ec.pub" --subject-digest "sha256:$h"
expect_err "subject:" "$A" verify-vsa --vsa "$good" --key "$tmp/ed.pub" \
  --subject-digest sha256:0000000000000000000000000000000000000000000000000000000000000000
expect_exit 1 vv --vsa "$good" --verifier-id https://other.example
expect_err "verifier.id:" vv --vsa "$good" --verifier-id https://other.example
expect_exit 1 vv --vsa "$good" --verified-level SLSA_BUILD_LEVEL_1
expect_err "verifiedLevels:" vv --vsa "$good" --verified-level SLSA_BUILD_LEVEL_1

# ---- a failed image gets a FAILED VSA, which verify-vsa refuses
d=$tmp/vsa-failed; mkdir "$d"
expect_exit 1 run tamper-sig-other-image "$d" "$tmp/ed.pem" --at "$T"
h=$(vsa_hex "$d")
check "a failed image has a VSA" test -f "$d/$h.vsa.dsse.json"
read -r subj result when vid ninputs pol < <(inspect "$d")
check "it says FAILED" test "$result" = FAILED
check "with no inputAttestations" test "$ninputs" = 0
expect_exit 1 "$A" verify-vsa --vsa "$d/$h.vsa.dsse.json" --key "$tmp/ed.pub" --subject-digest "sha256:$h"
expect_err "verificationResult:" "$A" verify-vsa --vsa "$d/$h.vsa.dsse.json" --key "$tmp/ed.pub" --subject-digest "sha256:$h"

# an image that verified in a bundle that did not (--strict and an extra file; an unsigned
# second image) is not attested as passed: the bundle is the unit of the verdict
d=$tmp/vsa-strict; mkdir "$d"
expect_exit 1 run extra-file-strict "$d" "$tmp/ed.pem"
read -r subj result when vid ninputs pol < <(inspect "$d")
check "--strict failure: FAILED" test "$result" = FAILED
check "--strict failure: the verified signature is still listed" test "$ninputs" = 1
d=$tmp/vsa-two; mkdir "$d"
expect_exit 1 run smuggle-sig-extra-ref "$d" "$tmp/ed.pem"
check "two images, two VSAs each" test "$(ls "$d" | wc -l)" = 4
for f in "$d"/*.vsa.dsse.json; do
  h=$(basename "$f" .vsa.dsse.json)
  expect_err "verificationResult:" "$A" verify-vsa --vsa "$f" --key "$tmp/ed.pub" --subject-digest "sha256:$h"
done

# ---- hostile and escaping: never overwrite, never follow a link, only DIR
h=$(vsa_hex "$tmp/vsa-key-sig-ed")
d=$tmp/hostile-file; mkdir "$d"; echo keep >"$d/$h.vsa.sigstore.json"
expect_exit 2 run key-sig "$d" "$tmp/ed.pem"
expect_err "exists" run key-sig "$d" "$tmp/ed.pem"
check "an existing file is left as it was" test "$(cat "$d/$h.vsa.sigstore.json")" = keep
check "and nothing else is written" test "$(ls -A "$d" | wc -l)" = 1
d=$tmp/hostile-link; mkdir "$d"; ln -s "$tmp/outside.json" "$d/$h.vsa.dsse.json"
expect_exit 2 run key-sig "$d" "$tmp/ed.pem"
check "a symbolic link is not followed" test ! -e "$tmp/outside.json"
check "and stays a link" test -L "$d/$h.vsa.dsse.json"
ln -s "$tmp/outside-dir" "$d/.$h.vsa.sigstore.json.airlock-tmp"
mkdir "$tmp/outside-dir"
rm "$d/$h.vsa.dsse.json"
expect_exit 0 run key-sig "$d" "$tmp/ed.pem"
check "a link at the temporary name leads nowhere" test -z "$(ls -A "$tmp/outside-dir")"
check "the VSAs are regular files" test -f "$d/$h.vsa.sigstore.json" -a ! -L "$d/$h.vsa.sigstore.json"
expect_exit 2 run key-sig "$tmp/no-such-dir" "$tmp/ed.pem"
check "a missing DIR is not created" test ! -e "$tmp/no-such-dir"
touch "$tmp/marker"; sleep 1
d=$tmp/only-here; mkdir "$d"
expect_exit 0 run key-sig "$d" "$tmp/ed.pem"
outside=$(find "$tmp" -mindepth 1 -newer "$tmp/marker" -not -path "$d" -not -path "$d/*" -print -quit)
check "nothing written outside DIR (${outside:-nothing})" test -z "$outside"

# ---- the key is read before anything is verified; usage
expect_exit 2 run key-sig "$tmp/only-here" "$tmp/rsa.pem"
expect_err "RSA keys do not sign VSAs" run key-sig "$tmp/only-here" "$tmp/rsa.pem"
expect_exit 2 run key-sig "$tmp/only-here" "$tmp/no-such-key.pem"
expect_exit 2 run key-sig "$tmp/only-here" "$tmp/ed.pub"
d=$tmp/usage; mkdir "$d"
mapfile -t ka < <(args key-sig)
expect_exit 2 "$A" verify "${ka[@]}" --vsa-out "$d" cases/key-sig
expect_exit 2 "$A" verify "${ka[@]}" --vsa-out "$d" --vsa-key "$tmp/ed.pem" --at yesterday cases/key-sig
check "usage errors write nothing" test -z "$(ls -A "$d")"
h=$(vsa_hex "$tmp/vsa-key-sig-ed"); good=$tmp/vsa-key-sig-ed/$h.vsa.dsse.json
expect_exit 2 "$A" verify-vsa --vsa "$good" --key "$tmp/ed.pub"
expect_exit 2 "$A" verify-vsa --vsa "$tmp/no-such.json" --key "$tmp/ed.pub" --subject-digest "sha256:$h"
expect_exit 2 "$A" verify-vsa --vsa "$good" --key "$tmp/no-such.pub" --subject-digest "sha256:$h"
expect_exit 2 "$A" verify-vsa --vsa "$good" --key "$tmp/ed.pub" --subject-digest "sha256:xyz"
expect_exit 0 "$A" verify-vsa --help
# ---- sign-blob: a site's own key signs a file (the firmware's SHA256SUMS,
# docs/appliance.md §8); verify-bundle checks it under a trusted root that
# lists no log and no TSA, and only with --insecure-ignore-tlog
sb=$tmp/sign-blob; mkdir -p "$sb"
printf 'abc  vmlinuz\n' >"$sb/SUMS"
echo '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[],"certificateAuthorities":[],"ctlogs":[],"timestampAuthorities":[]}' >"$sb/nolog.json"
for k in ed ec; do
  expect_exit 0 "$A" sign-blob --key "$tmp/$k.pem" --bundle "$sb/$k.json" "$sb/SUMS"
  expect_exit 0 "$A" sign-blob --key "$tmp/$k.pem" --bundle "$sb/$k.again.json" "$sb/SUMS"
  check "sign-blob $k: the same key and file give the same bundle" cmp -s "$sb/$k.json" "$sb/$k.again.json"
  expect_out "RELAXED (insecure-ignore-tlog)" "$A" verify-bundle --key "$tmp/$k.pub" --bundle "$sb/$k.json" \
    --trusted-root "$sb/nolog.json" --insecure-ignore-tlog "$sb/SUMS"
  # by digest: ECDSA signs SHA-256(file); pure Ed25519 signs the file itself
  d="sha256:$(sha256sum "$sb/SUMS" | cut -c1-64)"
  if [ "$k" = ec ]; then
    expect_exit 0 "$A" verify-bundle --key "$tmp/$k.pub" --bundle "$sb/$k.json" \
      --trusted-root "$sb/nolog.json" --insecure-ignore-tlog "$d"
  else
    expect_err "give the artifact file instead of a digest" "$A" verify-bundle --key "$tmp/$k.pub" \
      --bundle "$sb/$k.json" --trusted-root "$sb/nolog.json" --insecure-ignore-tlog "$d"
  fi
  # twins: unrelaxed; under a root with logs (the embedded one); another key; another file
  expect_err "the policy requires an entry" "$A" verify-bundle --key "$tmp/$k.pub" --bundle "$sb/$k.json" \
    --trusted-root "$sb/nolog.json" "$sb/SUMS"
  expect_err "the trusted root lists transparency logs" "$A" verify-bundle --key "$tmp/$k.pub" \
    --bundle "$sb/$k.json" --insecure-ignore-tlog "$sb/SUMS"
  other=ec; [ "$k" = ec ] && other=ed
  expect_exit 1 "$A" verify-bundle --key "$tmp/$other.pub" --bundle "$sb/$k.json" \
    --trusted-root "$sb/nolog.json" --insecure-ignore-tlog "$sb/SUMS"
  printf 'abd  vmlinuz\n' >"$sb/SUMS.x"
  expect_exit 1 "$A" verify-bundle --key "$tmp/$k.pub" --bundle "$sb/$k.json" \
    --trusted-root "$sb/nolog.json" --insecure-ignore-tlog "$sb/SUMS.x"
done
# the ECDSA signature checked by openssl, over the file itself
python3 -c 'import base64,json,sys; sys.stdout.buffer.write(base64.b64decode(json.load(open(sys.argv[1]))["messageSignature"]["signature"]))' \
  "$sb/ec.json" >"$sb/ec.sig"
check "openssl accepts sign-blob's ECDSA signature" openssl dgst -sha256 -verify "$tmp/ec.pub" -signature "$sb/ec.sig" "$sb/SUMS"
# a signature bit flipped in the bundle
python3 - "$sb/ec.json" "$sb/ec.flip.json" <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
s = bytearray(base64.b64decode(b["messageSignature"]["signature"])); s[-1] ^= 1
b["messageSignature"]["signature"] = base64.b64encode(bytes(s)).decode()
json.dump(b, open(sys.argv[2], "w"))
PY
expect_exit 1 "$A" verify-bundle --key "$tmp/ec.pub" --bundle "$sb/ec.flip.json" --trusted-root "$sb/nolog.json" \
  --insecure-ignore-tlog "$sb/SUMS"
# refusals: an existing output, a public key, an RSA key, a missing file
expect_err "--bundle $sb/ed.json: exists" "$A" sign-blob --key "$tmp/ed.pem" --bundle "$sb/ed.json" "$sb/SUMS"
expect_exit 2 "$A" sign-blob --key "$tmp/ed.pub" --bundle "$sb/x.json" "$sb/SUMS"
expect_exit 2 "$A" sign-blob --key "$tmp/rsa.pem" --bundle "$sb/x.json" "$sb/SUMS"
expect_exit 2 "$A" sign-blob --key "$tmp/ed.pem" --bundle "$sb/x.json" "$sb/no-such"
expect_exit 2 "$A" sign-blob --key "$tmp/ed.pem" "$sb/SUMS"
truncate -s 65M "$sb/big"   # over AL_MAX_SIGN_BLOB: refused, and exit 2 (nothing signed), not 1
expect_exit 2 "$A" sign-blob --key "$tmp/ed.pem" --bundle "$sb/x.json" "$sb/big"
expect_err "big" "$A" sign-blob --key "$tmp/ed.pem" --bundle "$sb/x.json" "$sb/big"
check "sign-blob wrote nothing when it failed" test ! -e "$sb/x.json"
expect_exit 0 "$A" sign-blob --help
finish
