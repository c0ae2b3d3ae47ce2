#!/usr/bin/env bash
# The JSON report (docs/report.md) of verify, verify-bundle and inspect, on
# the test forge's layouts (no ../shared needed) and, when ../shared is
# present, on real `cosign save` layouts:
#  - the verdict agrees with the exit status (pass 0, fail 1, unsigned 3,
#    fail for stale trust 4), on stdout (-o json) and in --report FILE;
#  - the inputs' digests are the files' own (sha256sum), the blob inventory
#    lists every referenced blob as proven, every verified item has checks;
#  - two runs with the same --at are byte-identical RFC 8785 (re-serialized
#    canonically by python, nothing changes); another --at changes only the
#    evaluation time and the trust material's age;
#  - hostile names stay JSON strings (one line, parseable, same value);
#  - --report never writes over a file or through a link.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
forge="$AL_BUILD/bin/al-forge"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$forge" "$tmp/out" >"$tmp/forge.log" 2>&1 || { fail "al-forge failed"; finish; }
cd "$tmp/out" || exit 1
A="$AL_BIN"
key=(--key trust/cosign.pub --trusted-root trust/trusted_root.json)
at=(--at 2026-12-01T00:00:00Z)

# jq-free field reads: python3 prints one expression of the parsed report
jget() { # jget FILE EXPR
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
canon_ok() { # the file is one line of RFC 8785 (for our subset: sorted keys, no spaces, integers)
  python3 - "$1" <<'PY'
import json, sys
raw = open(sys.argv[1], encoding='utf-8').read()
assert raw.endswith('\n') and raw.count('\n') == 1, 'one line'
d = json.loads(raw)
def key16(k): return k.encode('utf-16-be')
def canon(v):
    if isinstance(v, dict):
        return '{' + ','.join(json.dumps(k, ensure_ascii=False) + ':' + canon(v[k]) for k in sorted(v, key=key16)) + '}'
    if isinstance(v, list):
        return '[' + ','.join(canon(x) for x in v) + ']'
    return json.dumps(v, ensure_ascii=False)
assert canon(d) + '\n' == raw, 'not canonical'
PY
}

# --- pass: verdict, inputs, inventory, checks
"$A" verify "${key[@]}" "${at[@]}" -o json cases/key-sig >"$tmp/pass.json"; rc=$?
check "verify -o json of a good layout exits 0 (got $rc)" [ "$rc" = 0 ]
check "the report is canonical JSON on one line" canon_ok "$tmp/pass.json"
check "verdict pass" [ "$(jget "$tmp/pass.json" 'd["verdict"], d["exitCode"], d["mediaType"]')" = \
  "('pass', 0, 'application/vnd.airlock.report.v1+json')" ]
check "the trusted root's digest is the file's" [ "$(jget "$tmp/pass.json" \
  '[i["sha256"] for i in d["inputs"] if i["role"]=="trustedRoot"][0]')" = "$(sha256sum <trust/trusted_root.json | cut -c1-64)" ]
check "the bundle's digest is its index.json's" [ "$(jget "$tmp/pass.json" \
  '[i["sha256"] for i in d["inputs"] if i["role"]=="bundle"][0]')" = "$(sha256sum <cases/key-sig/index.json | cut -c1-64)" ]
check "every blob file is in the inventory, proven, with its size" python3 - "$tmp/pass.json" cases/key-sig <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1])); root = sys.argv[2]
inv = {b['digest']: b for b in d['blobs']}
files = ['sha256:' + f for f in os.listdir(os.path.join(root, 'blobs', 'sha256'))]
assert sorted(inv) == sorted(files), (sorted(inv), sorted(files))
for f in files:
    b = inv[f]
    assert b['state'] == 'proven' and b['size'] == os.path.getsize(os.path.join(root, 'blobs', 'sha256', f[7:])), b
assert [b['digest'] for b in d['blobs']] == sorted(inv)
PY
check "the verified signature carries its checks" [ "$(jget "$tmp/pass.json" \
  'sorted(c["name"] for c in d["images"][0]["signatures"][0]["checks"])')" = "['payload.binding', 'policy.tlog', 'signature', 'tlog.set']" ]
check "a key input is its SubjectPublicKeyInfo's digest" [ "$(jget "$tmp/pass.json" \
  '[i["of"] for i in d["inputs"] if i["role"]=="key"][0]')" = SubjectPublicKeyInfo ]

check "the policy is there in canonical form, with the SHA-256 of exactly those bytes" python3 - "$tmp/pass.json" <<'PY'
import hashlib, json, sys
p = json.load(open(sys.argv[1]))['policy']
c = json.dumps(p['canonical'], sort_keys=True, separators=(',', ':'), ensure_ascii=False)
assert hashlib.sha256(c.encode()).hexdigest() == p['sha256'], c
assert p['canonical']['keys'] == ['sha256:' + [i['sha256'] for i in json.load(open(sys.argv[1]))['inputs'] if i['role'] == 'key'][0]]
PY
# a referrer's Sigstore bundle, verified by verify: its VerificationResult in the item
kl0=(--trusted-root trust/trusted_root.json
     --certificate-identity https://github.com/airlock-test/app/.github/workflows/release.yml@refs/heads/main
     --certificate-oidc-issuer https://token.actions.githubusercontent.com)
"$A" verify "${kl0[@]}" "${at[@]}" -o json cases/referrer >"$tmp/ref.json"
check "a verified referrer item carries sigstore-go's VerificationResult" python3 - "$tmp/ref.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d['images'][0]['signatures'][0]
vr = s['verificationResult']
assert s['status'] == 'pass' and vr['mediaType'] == 'application/vnd.dev.sigstore.verificationresult+json;version=0.1'
assert vr['statement']['predicateType'] == 'https://slsa.dev/provenance/v1'
assert sorted(t['type'] for t in vr['verifiedTimestamps']) == ['TimestampAuthority', 'Tlog']
assert vr['verifiedIdentity']['subjectAlternativeName']['subjectAlternativeName'].endswith('release.yml@refs/heads/main')
assert vr['signature']['certificate']['certificateIssuer']
PY
"$A" verify "${kl0[@]}" "${at[@]}" -o json cases/tamper-referrer-proof >"$tmp/ref2.json" 2>/dev/null
check "a referrer that failed carries none" [ "$(jget "$tmp/ref2.json" \
  '[("verificationResult" in s) for s in d["images"][0]["signatures"]]')" = "[False]" ]

# --- determinism
"$A" verify "${key[@]}" "${at[@]}" -o json cases/key-sig >"$tmp/pass2.json"
check "two runs with the same --at are byte-identical" cmp -s "$tmp/pass.json" "$tmp/pass2.json"
"$A" verify "${key[@]}" --at 2026-12-24T12:00:00Z -o json cases/key-sig >"$tmp/pass3.json"
check "another --at changes only the evaluation time and the trust material's age" python3 - "$tmp/pass.json" "$tmp/pass3.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a['evaluation']['time'] == '2026-12-01T00:00:00Z' and b['evaluation']['time'] == '2026-12-24T12:00:00Z'
assert a['trustMaterial']['age'] != b['trustMaterial']['age']
for x in (a, b):
    del x['evaluation']['time']; del x['trustMaterial']['age']
assert a == b
PY
"$A" verify "${key[@]}" -o json cases/key-sig >"$tmp/clock.json"
check "without --at the time is the clock's, and says so" [ "$(jget "$tmp/clock.json" 'd["evaluation"]["timeSource"]')" = clock ]
"$A" verify "${key[@]}" --at 2026-12-01T00:00:00Z -o json archives/key-sig.tar.zst >"$tmp/zst.json"
check "an archive's digest is of the file as read" [ "$(jget "$tmp/zst.json" \
  '[i["sha256"] for i in d["inputs"] if i["of"]=="archive stream"][0]')" = "$(sha256sum <archives/key-sig.tar.zst | cut -c1-64)" ]

# --- verdict and exit agree
verdict_is() { # verdict_is WANT_EXIT WANT_VERDICT ARGS...
  local we=$1 wv=$2; shift 2
  "$A" "$@" -o json >"$tmp/v.json" 2>"$tmp/v.err"; local rc=$?
  local got; got=$(jget "$tmp/v.json" 'd["verdict"], d["exitCode"]' 2>/dev/null)
  if [ "$rc" = "$we" ] && [ "$got" = "('$wv', $we)" ]; then pass; else fail "$*: exit $rc, report $got; want $we $wv"; fi
}
verdict_is 1 fail verify "${key[@]}" cases/tamper-layer-byte
verdict_is 1 fail verify "${key[@]}" cases/tamper-sig-other-image
verdict_is 3 unsigned verify "${key[@]}" cases/unsigned
verdict_is 4 fail verify "${key[@]}" --max-trust-age 1d "${at[@]}" cases/key-sig
verdict_is 1 fail verify --key trust/cosign-other.pub --trusted-root trust/trusted_root.json cases/key-sig
"$A" verify "${key[@]}" -o json cases/tamper-layer-byte >"$tmp/f.json" 2>/dev/null
check "a failed report says why" [ -n "$(jget "$tmp/f.json" 'd["error"]')" ]
"$A" verify "${key[@]}" --allow-missing-blobs -o json cases/tamper-missing-blob >"$tmp/m.json" 2>/dev/null; rc=$?
check "a relaxation is listed, and the absent blob is in the inventory as absent (exit $rc)" python3 - "$tmp/m.json" "$rc" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert 'allow-missing-blobs' in d['relaxations'], d['relaxations']
assert any(b['state'] == 'absent' for b in d['blobs'])
assert d['exitCode'] == int(sys.argv[2]) and d['verdict'] == ('pass' if sys.argv[2] == '0' else 'fail')
PY

# --- --report FILE beside text; never over a file or through a link
"$A" verify "${key[@]}" "${at[@]}" --report "$tmp/r.json" cases/key-sig >"$tmp/text.out"
check "--report writes the same JSON as -o json" cmp -s "$tmp/r.json" "$tmp/pass.json"
check "with --report stdout is still the text report, ending with the verdict" [ "$(tail -1 "$tmp/text.out")" = VERIFIED ]
echo keep >"$tmp/exists.json"
expect_exit 2 "$A" verify "${key[@]}" --report "$tmp/exists.json" cases/key-sig
check "an existing file is left as it was" [ "$(cat "$tmp/exists.json")" = keep ]
ln -s "$tmp/target.json" "$tmp/link.json"
expect_exit 2 "$A" verify "${key[@]}" --report "$tmp/link.json" cases/key-sig
check "nothing is written through a link" [ ! -e "$tmp/target.json" ]
"$A" verify "${key[@]}" --report "$tmp/rf.json" cases/tamper-layer-byte >/dev/null 2>&1; rc=$?
check "a failing verification still writes its report (exit $rc)" \
  bash -c '[ "$1" = 1 ] && [ "$2" = fail ]' _ "$rc" "$(jget "$tmp/rf.json" 'd["verdict"]')"
check "the text report's last line is the verdict on failure too" \
  bash -c '"$@" 2>/dev/null | tail -1 | grep -qx "NOT VERIFIED"' _ "$A" verify "${key[@]}" cases/tamper-layer-byte
expect_exit 2 "$A" verify "${key[@]}" -o yaml cases/key-sig
expect_exit 2 "$A" verify "${key[@]}" --at yesterday cases/key-sig
expect_exit 2 "$A" verify "${key[@]}" --at 1970-01-01T00:00:00Z cases/key-sig

# --- colour: only at a terminal, never with NO_COLOR, never in a pipe
if command -v script >/dev/null 2>&1; then
  script -qec "$(printf '%q ' "$A" verify "${key[@]}" cases/key-sig)" /dev/null >"$tmp/tty.out" 2>&1
  check "at a terminal the verdict is coloured" grep -qF $'\x1b[1;32mVERIFIED\x1b[0m' "$tmp/tty.out"
  NO_COLOR=1 script -qec "$(printf '%q ' "$A" verify "${key[@]}" cases/key-sig)" /dev/null >"$tmp/tty2.out" 2>&1
  check "NO_COLOR: no escape at all" bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' _ "$tmp/tty2.out"
  "$A" verify "${key[@]}" cases/key-sig >"$tmp/pipe.out" 2>&1
  check "in a pipe: no escape at all" bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' _ "$tmp/pipe.out"
  check "a summary line per image" grep -q '^verified image sha256:' "$tmp/pipe.out"
  "$A" verify "${key[@]}" cases/multiarch-platform-unsigned >"$tmp/pipe2.out" 2>/dev/null
  check "a failed image's summary line comes after every image's evidence, above the verdict" \
    python3 - "$tmp/pipe2.out" <<'PY'
import sys
lines = open(sys.argv[1]).read().split('\n')
f = [i for i, l in enumerate(lines) if l.startswith('FAILED image sha256:')]
e = [i for i, l in enumerate(lines) if l.startswith('image sha256:')]
s = [i for i, l in enumerate(lines) if l.startswith('summary: ')]
assert f and e and s and f[0] > e[-1] and f[-1] < s[0] and lines[-2] == 'NOT VERIFIED', (f, e, s, lines[-2:])
PY
else
  na "colour: no script(1) to make a terminal"
fi

# --- the plain text report is written as the images are judged, each image
# freed after its lines (docs/performance.md 4.5); with --report the whole
# result is kept for the JSON: the text must not differ by a byte
# (extra-file: the head a streamed artifact line follows lists an extra entry)
for c in cases/smuggle-tag-sig cases/multiarch-all-signed cases/key-sig cases/extra-file cases/extra-file-strict; do
  "$A" verify "${key[@]}" "$c" >"$tmp/streamed.out" 2>/dev/null; rs=$?
  rm -f "$tmp/kept.json"
  "$A" verify "${key[@]}" --report "$tmp/kept.json" "$c" >"$tmp/kept.out" 2>/dev/null; rk=$?
  check "$c: the text written as images are judged is the text of the kept result (exit $rs, $rk)" \
    bash -c '[ "$1" = "$2" ] && cmp -s "$3" "$4"' _ "$rs" "$rk" "$tmp/streamed.out" "$tmp/kept.out"
done
# the lines on every image are handed to stdout 64 KiB at a time (4.7):
# 1,000 images make ~300 KB of them; one signature's tag names no image, so
# it is an image too (closed world) and, like the one it signed, fails
"$forge" --many "$tmp/many" --images 1000 >/dev/null 2>&1
python3 - "$tmp/many/layout/index.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d['manifests'][1]['annotations']['org.opencontainers.image.ref.name'] = 'sha256-%s.sig' % ('0' * 64)
open(p, 'w').write(json.dumps(d))
PY
(cd "$tmp/many" && "$A" verify --key trust/cosign.pub --trusted-root trust/trusted_root.json layout >"$tmp/streamed.out" 2>/dev/null); rs=$?
(cd "$tmp/many" && "$A" verify --key trust/cosign.pub --trusted-root trust/trusted_root.json --report "$tmp/many.json" layout >"$tmp/kept.out" 2>/dev/null); rk=$?
check "1,000 images: the streamed text is the kept result's (exit $rs, $rk; $(wc -c <"$tmp/streamed.out") bytes)" \
  bash -c '[ "$1" = 1 ] && [ "$2" = 1 ] && [ "$(wc -c <"$3")" -gt 300000 ] && cmp -s "$3" "$4"' _ "$rs" "$rk" "$tmp/streamed.out" "$tmp/kept.out"
# -o json to stdout alone is written as it is made, 64 KiB at a time: the
# same bytes as the one buffer --report writes
(cd "$tmp/many" && "$A" verify --key trust/cosign.pub --trusted-root trust/trusted_root.json "${at[@]}" -o json layout >"$tmp/many-stdout.json" 2>/dev/null); rs=$?
rm -f "$tmp/many-at.json"
(cd "$tmp/many" && "$A" verify --key trust/cosign.pub --trusted-root trust/trusted_root.json "${at[@]}" --report "$tmp/many-at.json" layout >/dev/null 2>&1); rk=$?
check "1,000 images: -o json streamed is the --report file (exit $rs, $rk; $(wc -c <"$tmp/many-stdout.json") bytes)" \
  bash -c '[ "$1" = 1 ] && [ "$2" = 1 ] && [ "$(wc -c <"$3")" -gt 1000000 ] && cmp -s "$3" "$4"' _ "$rs" "$rk" "$tmp/many-stdout.json" "$tmp/many-at.json"
check "1,000 images: the streamed JSON is one canonical line" canon_ok "$tmp/many-stdout.json"
check "1,000 images: 999 artifact lines before any evidence, then two FAILED lines, 999 verified lines, then the verdict" python3 - "$tmp/streamed.out" <<'PY'
import sys
lines = open(sys.argv[1]).read().split('\n')
a = [i for i, l in enumerate(lines) if l.startswith('artifact sha256:')]
e = [i for i, l in enumerate(lines) if l.startswith('image sha256:')]
f = [i for i, l in enumerate(lines) if l.startswith('FAILED image sha256:')]
v = [i for i, l in enumerate(lines) if l.startswith('verified image sha256:')]
assert len(a) == 999 and a[-1] < e[0] and a[0] > 0, (len(a), a[:1], e[:1])
assert len(f) == 2 and len(v) == 999 and f[-1] < v[0] and lines[-2] == 'NOT VERIFIED', (len(f), len(v), lines[-2:])
PY
"$A" verify "${key[@]}" cases/smuggle-tag-sig >"$tmp/streamed.out" 2>/dev/null
check "smuggle-tag-sig streamed: both images' evidence, then their lines, then the verdict" python3 - "$tmp/streamed.out" <<'PY'
import sys
lines = open(sys.argv[1]).read().split('\n')
e = [i for i, l in enumerate(lines) if l.startswith('image sha256:')]
one = [i for i, l in enumerate(lines) if l.startswith(('FAILED image sha256:', 'verified image sha256:'))]
assert len(e) == 2 and len(one) == 2 and e[-1] < one[0], (e, one)
assert any(l.startswith('  signature ') and ': verified: ' in l for l in lines), 'the verified signature is shown'
assert lines[-2] == 'NOT VERIFIED', lines[-2:]
PY

# --- hostile names: JSON strings, one line, the same value back (invalid UTF-8 as U+FFFD)
cp -r cases/key-sig "$tmp/hostile"
python3 - "$tmp/hostile/index.json" <<'PY'
import json, sys
p = sys.argv[1]; d = json.load(open(p))
d['manifests'][0].setdefault('annotations', {})['org.opencontainers.image.ref.name'] = 'v1"},\n"verdict":"pass\u001b[2J\u202e\\'
open(p, 'w').write(json.dumps(d))
PY
"$A" verify "${key[@]}" "${at[@]}" -o json "$tmp/hostile" >"$tmp/h.json"; rc=$?
check "a hostile ref name: exit $rc, canonical one-line JSON" canon_ok "$tmp/h.json"
check "the ref name comes back as the same string" python3 - "$tmp/h.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d['images'][0]['refName'] == 'v1"},\n"verdict":"pass\u001b[2J\u202e\\', d['images'][0]['refName']
PY

if command -v script >/dev/null 2>&1; then
  script -qec "$(printf '%q ' "$A" verify "${key[@]}" "${at[@]}" -o json "$tmp/hostile")" /dev/null >"$tmp/htty.out" 2>&1
  check "at a terminal the JSON carries no raw bidi override or ESC, and means the same" python3 - "$tmp/htty.out" "$tmp/h.json" <<'PY'
import json, sys
raw = open(sys.argv[1], 'rb').read()
assert b'\xe2\x80\xae' not in raw and b'\x1b' not in raw, raw[:200]
assert json.loads(raw.decode().strip()) == json.load(open(sys.argv[2]))
PY
fi

# --- verify-bundle: VerificationResult
b=$(grep -l '"verificationMaterial"' cases/referrer/blobs/sha256/* | head -1)
img=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' cases/referrer/index.json)
id=(--certificate-identity https://github.com/airlock-test/app/.github/workflows/release.yml@refs/heads/main
    --certificate-oidc-issuer https://token.actions.githubusercontent.com --trusted-root trust/trusted_root.json)
"$A" verify-bundle --bundle "$b" "${id[@]}" "${at[@]}" -o json "$img" >"$tmp/vb.json"; rc=$?
check "verify-bundle -o json exits 0 (got $rc)" [ "$rc" = 0 ]
check "verify-bundle's report is canonical" canon_ok "$tmp/vb.json"
check "its VerificationResult: statement, certificate, verified times, identity" python3 - "$tmp/vb.json" "$b" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
vr = d['verificationResult']
assert d['verdict'] == 'pass'
assert vr['mediaType'] == 'application/vnd.dev.sigstore.verificationresult+json;version=0.1'
assert vr['statement']['_type'] == 'https://in-toto.io/Statement/v1'
c = vr['signature']['certificate']
assert c['subjectAlternativeName'].startswith('https://github.com/airlock-test/app/') and c['issuer'].startswith('https://token.')
types = sorted(t['type'] for t in vr['verifiedTimestamps'])
assert types == ['TimestampAuthority', 'Tlog'], types
assert vr['verifiedIdentity']['issuer']['issuer'] == 'https://token.actions.githubusercontent.com'
assert [i['sha256'] for i in d['inputs'] if i['role'] == 'bundle'] == [hashlib.sha256(open(sys.argv[2], 'rb').read()).hexdigest()]
assert any(c['name'] == 'tlog.entry' for c in d['checks'])
PY
"$A" verify-bundle --bundle "$b" "${id[@]}" -o json sha256:0000000000000000000000000000000000000000000000000000000000000000 \
  >"$tmp/vbf.json" 2>/dev/null; rc=$?
check "a failing verify-bundle: exit 1, verdict fail, no VerificationResult" \
  bash -c '[ "$1" = 1 ] && [ "$2" = "$3" ]' _ "$rc" "$(jget "$tmp/vbf.json" 'd["verdict"], "verificationResult" in d')" "('fail', False)"

# --- inspect: the bundle's facts, no verdict
"$A" inspect -o json "${at[@]}" archives/key-sig.tar.gz >"$tmp/i.json"; rc=$?
check "inspect -o json exits 0 (got $rc) with no verdict" \
  bash -c '[ "$1" = 0 ] && [ "$2" = False ]' _ "$rc" "$(jget "$tmp/i.json" '"verdict" in d')"
check "inspect lists the image and the blobs" [ "$(jget "$tmp/i.json" 'len(d["images"]), len(d["blobs"])')" = "(1, 7)" ]

# --- --extract: the verified statements, exactly, and only after a pass
kl=(--trusted-root trust/trusted_root.json
    --certificate-identity https://github.com/airlock-test/app/.github/workflows/release.yml@refs/heads/main
    --certificate-oidc-issuer https://token.actions.githubusercontent.com)
mkdir "$tmp/ex"
"$A" verify "${kl[@]}" "${at[@]}" --extract "$tmp/ex" --report "$tmp/ex.json" cases/keyless-sig-att >/dev/null; rc=$?
check "verify --extract of a good layout exits 0 (got $rc)" [ "$rc" = 0 ]
check "the one statement is written where the report says, with the report's digest, and is the payload that verified" \
  python3 - "$tmp/ex.json" "$tmp/ex" cases/keyless-sig-att <<'PY'
import base64, glob, hashlib, json, os, sys
d = json.load(open(sys.argv[1])); ex = sys.argv[2]; case = sys.argv[3]
sts = [s['statement'] for i in d['images'] for s in i['signatures'] if 'statement' in s]
assert len(sts) == 1, sts
files = sorted(os.path.relpath(p, ex) for p in glob.glob(ex + '/*/*'))
assert files == [sts[0]['extractedTo']], (files, sts)
body = open(os.path.join(ex, files[0]), 'rb').read()
assert hashlib.sha256(body).hexdigest() == sts[0]['sha256']
st = json.loads(body)
assert st['predicateType'] == sts[0]['predicateType'] == 'https://slsa.dev/provenance/v1'
img = d['images'][0]['digest']
assert files[0].startswith(img.replace(':', '-') + '/')
assert any(s['digest']['sha256'] == img.split(':')[1] for s in st['subject'])
# the bytes are the DSSE payload of the attestation layer, unchanged
payloads = []
for p in glob.glob(case + '/blobs/sha256/*'):
    try:
        env = json.load(open(p))
    except Exception:
        continue
    if isinstance(env, dict) and 'payload' in env:
        payloads.append(base64.b64decode(env['payload']))
assert body in payloads
PY
expect_exit 2 "$A" verify "${kl[@]}" --extract "$tmp/ex" cases/keyless-sig-att
check "a second extraction into the same folder writes nothing over the first" \
  [ "$(find "$tmp/ex" -type f | wc -l)" = 1 ]
mkdir "$tmp/ex2"
expect_exit 1 "$A" verify "${kl[@]}" --extract "$tmp/ex2" cases/tamper-att-subject
check "nothing is extracted from a failing bundle" [ -z "$(ls -A "$tmp/ex2")" ]
expect_exit 1 "$A" verify --key trust/cosign-other.pub --trusted-root trust/trusted_root.json --extract "$tmp/ex2" cases/key-sig
check "nor from one signed by another key" [ -z "$(ls -A "$tmp/ex2")" ]
# the attestation itself verifies, but the bundle fails (--strict and content nobody references)
cp -r cases/keyless-sig-att "$tmp/strict"
printf 'stray' >"$tmp/strict/blobs/sha256/$(printf 'stray' | sha256sum | cut -c1-64)"
expect_exit 1 "$A" verify "${kl[@]}" --strict --extract "$tmp/ex2" "$tmp/strict"
check "nor from a bundle whose statement verified but which failed as a whole" [ -z "$(ls -A "$tmp/ex2")" ]
expect_exit 2 "$A" verify "${kl[@]}" --extract "$tmp/no-such-dir" cases/keyless-sig-att
ln -s "$tmp/ex2" "$tmp/ex-link"
expect_exit 2 "$A" verify "${kl[@]}" --extract "$tmp/ex-link" cases/keyless-sig-att
check "a link named as the folder is not followed" [ -z "$(ls -A "$tmp/ex2")" ]
mkdir "$tmp/ex3"
expect_exit 0 "$A" verify "${kl[@]}" --extract "$tmp/ex3" archives/referrer.tar.gz
check "a referrer's Sigstore bundle statement is extracted too" \
  [ "$(find "$tmp/ex3" -name 'slsa.dev-provenance-v1-1.json' | wc -l)" = 1 ]

# --- a real `cosign save` layout (slsa-verifier)
if shared_or_skip "report: real cosign save layouts"; then
  d=$(ls -d "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/v1.10.0/container_workflow_dispatch)
  root="$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json"
  slsa=(--trusted-root "$root"
        --certificate-identity-regexp '^https://github\.com/slsa-framework/slsa-github-generator/\.github/workflows/generator_container_slsa3\.yml@refs/tags/v[0-9.]+$'
        --certificate-oidc-issuer https://token.actions.githubusercontent.com)
  "$A" verify "$d" "${slsa[@]}" "${at[@]}" -o json >"$tmp/real.json"; rc=$?
  "$A" verify "$d" "${slsa[@]}" "${at[@]}" -o json >"$tmp/real2.json"
  check "real layout: exit $rc, verdict pass" \
    bash -c '[ "$1" = 0 ] && [ "$2" = pass ]' _ "$rc" "$(jget "$tmp/real.json" 'd["verdict"]')"
  check "real layout: two runs byte-identical" cmp -s "$tmp/real.json" "$tmp/real2.json"
  check "real layout: canonical" canon_ok "$tmp/real.json"
  check "real layout: every verified item has checks, the blobs and the root's digest are there" python3 - "$tmp/real.json" "$root" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
items = [s for i in d['images'] for s in i['signatures'] if s['status'] == 'pass']
assert items and all(s['checks'] for s in items)
names = {c['name'] for s in items for c in s['checks']}
assert {'signature', 'certificate.chain', 'certificate.identity', 'tlog.set'} <= names, names
assert d['blobs'] and all(b['state'] == 'proven' for b in d['blobs'])
assert [i['sha256'] for i in d['inputs'] if i['role'] == 'trustedRoot'] == [hashlib.sha256(open(sys.argv[2], 'rb').read()).hexdigest()]
PY
  # a VSA for the real layout's image, accepted by verify-vsa, refused once a byte changes
  openssl genpkey -algorithm ed25519 -out "$tmp/vsa.pem" 2>/dev/null && openssl pkey -in "$tmp/vsa.pem" -pubout -out "$tmp/vsa.pub"
  mkdir "$tmp/vsa"
  "$A" verify "$d" "${slsa[@]}" "${at[@]}" --vsa-out "$tmp/vsa" --vsa-key "$tmp/vsa.pem" >/dev/null 2>&1; rc=$?
  img=$(jget "$tmp/real.json" 'd["images"][0]["digest"]')
  check "real layout: --vsa-out exits $rc and writes the image's VSA" \
    bash -c '[ "$1" = 0 ] && [ -f "$2" ]' _ "$rc" "$tmp/vsa/${img#sha256:}.vsa.dsse.json"
  expect_exit 0 "$A" verify-vsa --vsa "$tmp/vsa/${img#sha256:}.vsa.dsse.json" --key "$tmp/vsa.pub" --subject-digest "$img"
  expect_exit 0 "$A" verify-vsa --vsa "$tmp/vsa/${img#sha256:}.vsa.sigstore.json" --key "$tmp/vsa.pub" --subject-digest "$img"
  sed 's/PASSED/PASSEE/' "$tmp/vsa/${img#sha256:}.vsa.dsse.json" >"$tmp/vsa-bad.json"
  python3 - "$tmp/vsa/${img#sha256:}.vsa.dsse.json" "$tmp/vsa-bad.json" <<'PY'
import base64, json, sys
e = json.load(open(sys.argv[1])); p = bytearray(base64.b64decode(e['payload'])); p[-3] ^= 1
e['payload'] = base64.b64encode(bytes(p)).decode(); json.dump(e, open(sys.argv[2], 'w'))
PY
  expect_exit 1 "$A" verify-vsa --vsa "$tmp/vsa-bad.json" --key "$tmp/vsa.pub" --subject-digest "$img"
  # every slsa-verifier layout: its provenance statement extracted
  n=0
  for d in "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/*/container_workflow_dispatch; do
    n=$((n + 1)); rm -rf "$tmp/rx"; mkdir "$tmp/rx"
    "$A" verify "$d" "${slsa[@]}" --extract "$tmp/rx" >/dev/null 2>&1; rc=$?
    check "real layout $n: --extract exits $rc, one SLSA provenance statement about the image" python3 - "$tmp/rx" "$rc" <<'PY'
import glob, json, sys
assert sys.argv[2] == '0'
fs = glob.glob(sys.argv[1] + '/*/*.json')
assert len(fs) >= 1, fs
for f in fs:
    st = json.load(open(f))
    assert st['predicateType'].startswith('https://slsa.dev/provenance/'), st['predicateType']
    assert f.split('/')[-2].startswith('sha256-') and any(s['digest']['sha256'] == f.split('/')[-2][7:] for s in st['subject'])
PY
  done
  check "found the slsa-verifier layouts ($n)" [ "$n" -ge 7 ]
fi
finish
