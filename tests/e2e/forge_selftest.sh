#!/usr/bin/env bash
# The test forge's own checks (tests/forge), independent of airlock's verifier:
#  - two runs of al-forge write bit-identical trees (and --demo too);
#  - every case is internally consistent, checked with python3 and the openssl
#    CLI: blob files named by their digests, every referenced blob present,
#    signatures (simple signing, DSSE PAE) under the test keys or the
#    certificate's key, certificate chains at integratedTime, SETs under the
#    log key and bound to the signature, RFC 3161 tokens (openssl ts), Merkle
#    inclusion proofs and signed checkpoints, subjects naming the image;
#  - each tampered case breaks exactly the checks its tamper targets, and the
#    valid cases break none;
#  - every archive holds exactly its case's files; .tar.gz and .tar.zst are
#    the .tar compressed;
#  - cases.tsv lists every case and archive, and every path and trust file
#    it names exists; every rejected case (and only those) has a reason, and
#    a case's archive forms share its verdict, must-name and reason;
#  - tamper-wrong-key's other key is ECDSA P-256 like the signer's and does
#    not verify the signature (so only the signature check can reject it).
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
forge="$AL_BUILD/bin/al-forge"
if [ ! -x "$forge" ]; then fail "the test forge was not built ($forge)"; finish; fi
for tool in python3 openssl tar gzip zstd; do
  command -v "$tool" >/dev/null || { fail "$tool is not installed (scripts/setup installs it)"; finish; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# --- determinism
"$forge" "$tmp/a" >"$tmp/log" 2>&1 || { fail "al-forge failed: $(tail -5 "$tmp/log")"; finish; }
"$forge" "$tmp/b" >"$tmp/log" 2>&1 || { fail "al-forge (second run) failed: $(tail -5 "$tmp/log")"; finish; }
check "two runs are bit-identical" diff -r "$tmp/a" "$tmp/b"
"$forge" "$tmp/a" >"$tmp/log" 2>&1
check "a run over an existing tree rewrites it identically" diff -r "$tmp/a" "$tmp/b"
rm -rf "$tmp/b"
"$forge" --demo "$tmp/d1" >/dev/null 2>&1 && "$forge" --demo "$tmp/d2" >/dev/null 2>&1
check "two --demo runs are bit-identical" diff -r "$tmp/d1" "$tmp/d2"
check "--demo lists its bundles" [ "$(grep -vc '^#' "$tmp/d1/demo.tsv")" -ge 3 ]
expect_exit 2 "$forge"
expect_exit 0 "$forge" --help

# --- archives: same files, same bytes
out="$tmp/a"
for d in "$out"/cases/*/; do
  name=$(basename "$d")
  x="$tmp/x/$name"; mkdir -p "$x"
  tar -C "$x" -xf "$out/archives/$name.tar" 2>/dev/null
  check "$name.tar holds exactly the case's files" diff -r "$d" "$x"
  check "$name.tar.gz is $name.tar gzip'd" cmp -s <(gzip -dc "$out/archives/$name.tar.gz") "$out/archives/$name.tar"
  check "$name.tar.zst is $name.tar zstd'd" cmp -s <(zstd -qdc "$out/archives/$name.tar.zst") "$out/archives/$name.tar"
  rm -rf "$x"
done

# --- consistency of every case, and cases.tsv
python3 - "$out" "$tmp/py" <<'EOF' >"$tmp/results" 2>&1
import base64, hashlib, json, os, re, subprocess, sys, tarfile, io

out, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
T = lambda p: os.path.join(out, 'trust', p)
nfile = 0

def report(ok, what):
    print(('pass ' if ok else 'fail ') + what)

def tmpfile(data):
    global nfile
    nfile += 1
    p = os.path.join(work, 'f%d' % nfile)
    with open(p, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p

def run(*args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT).returncode == 0

def pems(text):
    return re.findall(r'-----BEGIN CERTIFICATE-----\n.*?-----END CERTIFICATE-----\n?', text, re.S)

def der_to_pem(der):
    b = base64.b64encode(der).decode()
    return '-----BEGIN CERTIFICATE-----\n' + '\n'.join(b[i:i + 64] for i in range(0, len(b), 64)) + '\n-----END CERTIFICATE-----\n'

def pubkey_of(cert_pem):
    r = subprocess.run(['openssl', 'x509', '-pubkey', '-noout'], input=cert_pem.encode(), stdout=subprocess.PIPE)
    return tmpfile(r.stdout)

def verify_sig(pub, sig, data):
    return run('openssl', 'dgst', '-sha256', '-verify', pub, '-signature', tmpfile(sig), tmpfile(data))

def verify_digest_sig(pub, sig, digest):
    # a messageSignature signs the digest itself (no second hashing)
    return run('openssl', 'pkeyutl', '-verify', '-pubin', '-inkey', pub, '-sigfile', tmpfile(sig), '-in', tmpfile(digest))

anchors = tmpfile(open(T('fulcio-chain.pem')).read().split('-----END CERTIFICATE-----\n')[1] +
                  '-----END CERTIFICATE-----\n' + open(T('pki-root.pem')).read())
tsa_chain = pems(open(T('tsa-chain.pem')).read())
tsa_leaf, tsa_root = tmpfile(tsa_chain[0]), tmpfile(tsa_chain[1])
fulcio_inter = tmpfile(pems(open(T('fulcio-chain.pem')).read())[0])
log_id = hashlib.sha256(subprocess.run(['openssl', 'pkey', '-pubin', '-in', T('rekor.pub'), '-outform', 'DER'],
                                       stdout=subprocess.PIPE).stdout).digest()

def chain_ok(cert_pem, untrusted_pem, t):
    args = ['openssl', 'verify', '-attime', str(t), '-CAfile', anchors]
    if untrusted_pem:
        args += ['-untrusted', tmpfile(untrusted_pem)]
    return run(*args, tmpfile(cert_pem))

def set_ok(ann, pub=None):
    # pub: another log's key (its ID is the SHA-256 of its DER SPKI)
    b = json.loads(ann)
    p = b['Payload']
    msg = '{"body":"%s","integratedTime":%d,"logID":"%s","logIndex":%d}' % (
        p['body'], p['integratedTime'], p['logID'], p['logIndex'])
    lid = log_id if pub is None else hashlib.sha256(subprocess.run(
        ['openssl', 'pkey', '-pubin', '-in', pub, '-outform', 'DER'], stdout=subprocess.PIPE).stdout).digest()
    return p['logID'] == lid.hex() and verify_sig(pub or T('rekor.pub'), base64.b64decode(b['SignedEntryTimestamp']), msg)

other_log_sets = []  # SETs no trusted log signed, and whether the second log did

def ts_ok(tsr, data):
    return run('openssl', 'ts', '-verify', '-data', tmpfile(data), '-in', tmpfile(tsr), '-CAfile', tsa_root,
               '-untrusted', tsa_leaf)

def der(b, i):
    # one DER element at i: (tag, content start, end)
    tag, l, h = b[i], b[i + 1], 2
    if l & 0x80:
        n = l & 0x7f
        l, h = int.from_bytes(b[i + 2:i + 2 + n], 'big'), 2 + n
    return tag, i + h, i + h + l

def der_children(b, start, end):
    out, i = [], start
    while i < end:
        t, cs, ce = der(b, i)
        out.append((t, i, cs, ce))
        i = ce
    return out

def der_wrap(tag, content):
    n = len(content)
    if n < 128:
        return bytes([tag, n]) + content
    nb = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([tag, 0x80 | len(nb)]) + nb + content

SCT_OID = bytes.fromhex('060a2b06010401d679020402')
ctlog_der = subprocess.run(['openssl', 'pkey', '-pubin', '-in', T('ctlog.pub'), '-outform', 'DER'],
                           stdout=subprocess.PIPE).stdout
ctlog_id = hashlib.sha256(ctlog_der).digest()

def spki_der(cert_pem):
    return subprocess.run(['openssl', 'pkey', '-pubin', '-in', pubkey_of(cert_pem), '-outform', 'DER'],
                          stdout=subprocess.PIPE).stdout

def sct_ok(cert_pem, issuer_pem):
    # RFC 6962 3.2: one embedded SCT from the trusted CT log over the
    # precertificate TBS (the leaf's TBS without the SCT list extension)
    c = base64.b64decode(''.join(cert_pem.strip().split('\n')[1:-1]))
    _, cs, _ = der(c, 0)
    _, ts, te = der(c, cs)
    kids = der_children(c, ts, te)
    sct_list, rebuilt = None, b''
    for t, i, s, e in kids:
        if t != 0xa3:
            rebuilt += c[i:e]
            continue
        _, xs, xe = der(c, s)
        kept = b''
        for _, j, es, ee in der_children(c, xs, xe):
            if c[es:es + len(SCT_OID)] == SCT_OID:
                val = [x for x in der_children(c, es, ee) if x[0] == 0x04][0]
                _, ls, le = der(c, val[2])
                sct_list = c[ls:le]
            else:
                kept += c[j:ee]
        rebuilt += der_wrap(0xa3, der_wrap(0x30, kept))
    if sct_list is None:
        return False
    tbs = der_wrap(0x30, rebuilt)
    body = sct_list[2:2 + int.from_bytes(sct_list[:2], 'big')]
    n = int.from_bytes(body[:2], 'big')
    sct = body[2:2 + n]
    if len(body) != 2 + n or sct[0] != 0:
        return False
    log, tstamp = sct[1:33], sct[33:41]
    elen = int.from_bytes(sct[41:43], 'big')
    ext = sct[43:43 + elen]
    p = 43 + elen + 2
    sig = sct[p + 2:p + 2 + int.from_bytes(sct[p:p + 2], 'big')]
    signed = (b'\x00\x00' + tstamp + b'\x00\x01' + hashlib.sha256(spki_der(issuer_pem)).digest() +
              len(tbs).to_bytes(3, 'big') + tbs + elen.to_bytes(2, 'big') + ext)
    return log == ctlog_id and verify_sig(T('ctlog.pub'), sig, signed)

def pae(ptype, payload):
    return b'DSSEv1 %d %s %d ' % (len(ptype), ptype.encode(), len(payload)) + payload

def sha(b):
    return hashlib.sha256(b).hexdigest()

def merkle_root(index, size, leaf, proof):
    # RFC 9162 2.1.3.2
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b'\x01' + p + r).digest()
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1; sn >>= 1
        else:
            r = hashlib.sha256(b'\x01' + r + p).digest()
        fn >>= 1; sn >>= 1
    return r if sn == 0 else None

# What each tampered case must break (and nothing else); valid and policy
# cases (wrong identity, issuer or key are arguments, not content) break nothing.
EXPECT = {
    'tamper-layer-byte': {'blob-digest'},
    'tamper-multiarch-layer': {'blob-digest'},
    'tamper-missing-blob': {'blob-missing'},
    'tamper-sig-other-image': {'subject'},
    'multiarch-stray-sig': {'subject'},
    'tamper-att-subject': {'subject'},
    'tamper-referrer-subject': {'subject'},
    'tamper-referrer-msgsig-digest': {'subject'},
    'tamper-referrer-dsse-sig': {'signature'},
    'tamper-referrer-chain-root': {'carried-root'},
    'keyless-no-time': {'chain'},
    'tamper-referrer-unknown-log': {'set'},
    'tamper-referrer-other-entry': {'tlog-binding'},
    'tamper-swapped-cert': {'signature', 'tlog-binding'},
    'tamper-corrupt-sig': {'signature', 'tlog-binding'},
    'tamper-set-other-body': {'tlog-binding'},
    'tamper-set-signature': {'set'},
    'tamper-expired-cert': {'chain'},
    'tamper-untrusted-ca': {'chain'},
    'tamper-tsa-other-sig': {'timestamp'},
    'tamper-referrer-proof': {'inclusion-proof'},
    'tamper-referrer-checkpoint': {'checkpoint'},
    # closed world: an unsigned runnable image dressed as an artifact, beside
    # the signed app (its own blobs are unreferenced when only its subject,
    # kind or tag binds it; the check that matters is artifact-inert)
    'smuggle-subject-app': {'artifact-inert'},
    'smuggle-subject-absent': {'artifact-inert'},
    'smuggle-kind-sigs': {'artifact-inert'},
    'smuggle-kind-atts': {'artifact-inert'},
    'smuggle-kind-sboms': {'artifact-inert'},
    'smuggle-tag-sig': {'artifact-inert'},
    'smuggle-tag-att': {'artifact-inert'},
    'smuggle-tag-sbom': {'artifact-inert'},
    'smuggle-referrers-index': {'artifact-inert'},
    'smuggle-sig-tar-content': {'artifact-inert'},
    'smuggle-sig-extra-ref': {'one-ref-per-artifact'},
    'desc-as-layer': {'descriptor-type', 'blob-digest', 'blob-unreferenced'},
    'desc-as-octet': {'descriptor-type', 'blob-digest', 'blob-unreferenced'},
    'desc-as-schema1': {'descriptor-type', 'blob-digest', 'blob-unreferenced'},
    'desc-as-unknown': {'descriptor-type', 'blob-digest', 'blob-unreferenced'},
    'index-child-as-layer': {'descriptor-type', 'blob-digest', 'blob-unreferenced'},
    'index-child-as-octet': {'descriptor-type', 'blob-digest', 'blob-unreferenced'},
    'index-child-as-unknown': {'descriptor-type', 'blob-digest', 'blob-unreferenced'},
    'polyglot-dir-manifest': {'single-format'},
    'polyglot-legacy-repositories': {'single-format'},
    'json-dup-digest-case': {'json-keys', 'blob-unreferenced'},
    'json-dup-digest-fold': {'json-keys', 'blob-unreferenced'},
    'json-dup-manifests-case': {'json-keys', 'blob-unreferenced'},
    'json-dup-manifests-fold': {'json-keys', 'blob-unreferenced'},
    'json-fold-layers-in-manifest': {'json-keys', 'blob-unreferenced'},
    # a file nothing names, under blobs/ with a name that is no digest: fine
    # as a note, a failure under --strict
    'extra-file': {'blob-digest', 'blob-unreferenced'},
    'extra-file-strict': {'blob-digest', 'blob-unreferenced'},
    # failing twins: one check each (policy twins change only arguments and break nothing)
    'tamper-sct-missing': {'sct'},
    'tamper-sct-signature': {'sct'},
    'tamper-sct-untrusted-log': {'sct'},
    'tamper-set-untrusted-log': {'set'},
    'tamper-referrer-checkpoint-sig': {'checkpoint-signature'},
    'tamper-referrer-checkpoint-hint': {'checkpoint-signature'},
    'tamper-att-intoto1-payload-hash': {'tlog-binding'},
    'tamper-docker-v2-layer': {'blob-digest'},
}

MANIFEST_TYPES = ('application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json',
                  'application/vnd.docker.distribution.manifest.v2+json',
                  'application/vnd.docker.distribution.manifest.list.v2+json')
RUNNABLE_TYPES = ('application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar+gzip',
                  'application/vnd.oci.image.layer.v1.tar+zstd', 'application/vnd.docker.image.rootfs.diff.tar.gzip')

def inert(layer, data):
    # an artifact layer: not typed as a filesystem, and not one by content
    # (gzip, zstd, or a ustar header at offset 257)
    return (layer.get('mediaType') not in RUNNABLE_TYPES and data is not None and
            data[:2] != b'\x1f\x8b' and data[:4] != b'\x28\xb5\x2f\xfd' and data[257:262] != b'ustar')

def fold(k):
    return k.replace('\u017f', 's').replace('\u212a', 'k').casefold()

def keys_unambiguous(text):
    # True when no JSON object has two keys Go's encoding/json would match
    # to one struct field (case-insensitive, with U+017F and U+212A folding)
    good = [True]
    def hook(pairs):
        seen = set()
        for k, _ in pairs:
            if fold(k) in seen:
                good[0] = False
            seen.add(fold(k))
        return dict(pairs)
    json.loads(text, object_pairs_hook=hook)
    return good[0]

def check_layout(name, root):
    broken, counts = set(), {}
    def ok(kind, cond):
        counts[kind] = counts.get(kind, 0) + 1
        if not cond:
            broken.add(kind)
    blobs = {}
    for alg in sorted(os.listdir(os.path.join(root, 'blobs'))):
        bdir = os.path.join(root, 'blobs', alg)
        for f in sorted(os.listdir(bdir)):
            data = open(os.path.join(bdir, f), 'rb').read()
            blobs[alg + ':' + f] = data
            ok('blob-digest', hashlib.new(alg, data).hexdigest() == f)
    def get(d):
        return blobs.get(d['digest'])
    index_text = open(os.path.join(root, 'index.json'), 'rb').read()
    ok('json-keys', keys_unambiguous(index_text))
    index = json.loads(index_text)
    # a layout is one format: no containers/image dir: or legacy docker files beside it
    ok('single-format', sorted(os.listdir(root)) == ['blobs', 'index.json', 'oci-layout'])
    referenced = set()
    def walk(d):
        referenced.add(d['digest'])
        b = get(d)
        ok('blob-missing', b is not None)
        if b is None:
            return
        ok('blob-size', len(b) == d['size'])
        ok('descriptor-type', d['mediaType'] in MANIFEST_TYPES or not b.startswith(b'{"schemaVersion"'))
        if d['mediaType'].endswith(('index.v1+json', 'manifest.v1+json', 'manifest.v2+json')):
            ok('json-keys', keys_unambiguous(b))
            j = json.loads(b)
            for c in j.get('manifests', []):
                walk(c)
            if 'config' in j:
                walk(j['config'])
            for c in j.get('layers', []):
                walk(c)
    for m in index['manifests']:
        walk(m)
    ok('blob-unreferenced', set(blobs) <= referenced)

    images = [m for m in index['manifests'] if m.get('annotations', {}).get('kind', '').endswith(('/image', '/imageIndex'))]
    def artifact_inert(man):
        good = all(inert(l, get(l)) for l in man.get('layers', []))
        ok('artifact-inert', good)
        return good
    refs = {}
    for m in index['manifests']:
        a = m.get('annotations', {})
        tag = a.get('org.opencontainers.image.ref.name', '')
        kind = a.get('kind', '')
        if tag:
            refs.setdefault(m['digest'], []).append(tag)
        mt = re.match(r'^sha256-([0-9a-f]{64})(\.(sig|att|sbom))?$', tag)
        if kind.endswith(('/sigs', '/atts', '/sboms')):
            subject = images[0]['digest']
        elif mt and mt.group(2):
            subject = 'sha256:' + mt.group(1)
        elif mt:  # referrers index
            ix = json.loads(get(m))
            for r in ix['manifests']:
                man = json.loads(get(r))
                if artifact_inert(man) and 'subject' in man:
                    check_referrer(ok, man, get, 'sha256:' + mt.group(1))
            continue
        else:
            if m['mediaType'].endswith('manifest.v1+json') and get(m) is not None and 'subject' in json.loads(get(m)):
                artifact_inert(json.loads(get(m)))
            continue
        man = json.loads(get(m) or b'{}')
        if not artifact_inert(man):
            continue
        for layer in man.get('layers', []):
            data = get(layer)
            if data is None or 'annotations' not in layer or 'dev.cosignproject.cosign/signature' not in layer['annotations']:
                continue
            check_layer(ok, layer['annotations'], data, layer['mediaType'], subject)
    # an artifact is loadable only by its binding tag
    for d, tags in refs.items():
        ok('one-ref-per-artifact', len(tags) == 1 or not any(re.match(r'^sha256-[0-9a-f]{64}', t) for t in tags))
    return broken, counts

def check_layer(ok, a, data, mt, subject):
    cert = a.get('dev.sigstore.cosign/certificate')
    body = json.loads(base64.b64decode(json.loads(a['dev.sigstore.cosign/bundle'])['Payload']['body'])) \
        if 'dev.sigstore.cosign/bundle' in a else None
    itime = json.loads(a['dev.sigstore.cosign/bundle'])['Payload']['integratedTime'] if body else 0
    if cert:
        keys = [pubkey_of(cert)]
        verifier = cert
        ok('chain', chain_ok(cert, a.get('dev.sigstore.cosign/chain', ''), itime))
        if cert != open(T('pki-leaf.pem')).read():  # a Fulcio-like leaf: its issuer is the chain's first
            ok('sct', sct_ok(cert, pems(a.get('dev.sigstore.cosign/chain', ''))[0]))
    else:
        keys = [T('cosign.pub'), T('rsa.pub'), T('third.pub')]
        verifier = None
    if 'dev.sigstore.cosign/bundle' in a:
        good_set = set_ok(a['dev.sigstore.cosign/bundle'])
        ok('set', good_set)
        if not good_set:
            other_log_sets.append(set_ok(a['dev.sigstore.cosign/bundle'], T('rekor-other.pub')))
    if mt.endswith('simplesigning.v1+json'):
        sig = base64.b64decode(a['dev.cosignproject.cosign/signature'])
        good = [k for k in keys if verify_sig(k, sig, data)]
        ok('signature', bool(good))
        ok('subject', json.loads(data)['critical']['image']['docker-manifest-digest'] == subject)
        if body:
            s = body['spec']
            logged_key = base64.b64decode(s['signature']['publicKey']['content']).decode()
            ok('tlog-binding', s['signature']['content'] == a['dev.cosignproject.cosign/signature'] and
               s['data']['hash']['value'] == sha(data) and
               (logged_key == verifier if verifier else bool(good) and logged_key == open(good[0]).read()))
        if 'dev.sigstore.cosign/rfc3161timestamp' in a:
            ok('timestamp', ts_ok(base64.b64decode(json.loads(a['dev.sigstore.cosign/rfc3161timestamp'])['SignedRFC3161Timestamp']), sig))
    else:
        env = json.loads(data)
        payload = base64.b64decode(env['payload'])
        sig = base64.b64decode(env['signatures'][0]['sig'])
        ok('signature', any(verify_sig(k, sig, pae(env['payloadType'], payload)) for k in keys))
        st = json.loads(payload)
        ok('subject', any('sha256:' + s['digest'].get('sha256', '') == subject for s in st['subject']))
        ok('predicate', st['predicateType'] == a.get('predicateType'))
        if body:
            s = body['spec']
            if body['kind'] == 'dsse':
                ok('tlog-binding', s['payloadHash']['value'] == sha(payload) and
                   s['envelopeHash']['value'] == sha(data) and
                   s['signatures'][0]['signature'] == env['signatures'][0]['sig'])
            elif body['apiVersion'] == '0.0.1':
                # intoto/0.0.1 as Rekor canonicalizes it: no envelope, its hash, the payload's hash, the key
                c = s['content']
                ok('tlog-binding', c['hash']['value'] == sha(data) and c['payloadHash']['value'] == sha(payload) and
                   base64.b64decode(s['publicKey']).decode() == (verifier or open(T('cosign.pub')).read()))
            else:
                e = s['content']['envelope']
                ok('tlog-binding', s['content']['payloadHash']['value'] == sha(payload) and
                   base64.b64decode(e['signatures'][0]['sig']).decode() == env['signatures'][0]['sig'] and
                   base64.b64decode(base64.b64decode(e['payload'])) == payload)
        if 'dev.sigstore.cosign/rfc3161timestamp' in a:
            ok('timestamp', ts_ok(base64.b64decode(json.loads(a['dev.sigstore.cosign/rfc3161timestamp'])['SignedRFC3161Timestamp']), data))

def check_referrer(ok, man, get, subject):
    ok('subject', man['subject']['digest'] == subject)
    b = json.loads(get(man['layers'][0]))
    vm = b['verificationMaterial']
    if 'x509CertificateChain' in vm:
        ders = [base64.b64decode(c['rawBytes']) for c in vm['x509CertificateChain']['certificates']]
        # a root is self-issued: openssl verifies it against itself alone
        ok('carried-root', not any(run('openssl', 'verify', '-CAfile', tmpfile(der_to_pem(d)), tmpfile(der_to_pem(d)))
                                   for d in ders[1:]))
    else:
        ders = [base64.b64decode(vm['certificate']['rawBytes'])]
    cert = der_to_pem(ders[0])
    env = b.get('dsseEnvelope')
    if env is not None:
        payload = base64.b64decode(env['payload'])
        sig = base64.b64decode(env['signatures'][0]['sig'])
        ok('signature', verify_sig(pubkey_of(cert), sig, pae(env['payloadType'], payload)))
        st = json.loads(payload)
        ok('subject', any('sha256:' + s['digest'].get('sha256', '') == subject for s in st['subject']))
    else:
        ms = b['messageSignature']
        md = base64.b64decode(ms['messageDigest']['digest'])
        sig = base64.b64decode(ms['signature'])
        ok('signature', ms['messageDigest']['algorithm'] == 'SHA2_256' and verify_digest_sig(pubkey_of(cert), sig, md))
        ok('subject', 'sha256:' + md.hex() == subject)
    for t in vm['tlogEntries']:
        body = base64.b64decode(t['canonicalizedBody'])
        ok('chain', chain_ok(cert, open(fulcio_inter).read(), int(t['integratedTime'])))
        ok('sct', sct_ok(cert, open(fulcio_inter).read()))
        if 'inclusionPromise' in t:
          ok('set', set_ok(json.dumps({'SignedEntryTimestamp': t['inclusionPromise']['signedEntryTimestamp'],
                                     'Payload': {'body': t['canonicalizedBody'], 'integratedTime': int(t['integratedTime']),
                                                 'logIndex': int(t['logIndex']), 'logID': base64.b64decode(t['logId']['keyId']).hex()}})))
        bj = json.loads(body)
        if env is not None:
            ok('tlog-binding', bj['spec']['payloadHash']['value'] == sha(payload) and
               bj['spec']['signatures'][0]['signature'] == env['signatures'][0]['sig'])
        else:
            ok('tlog-binding', bj['kind'] == 'hashedrekord' and bj['spec']['data']['hash']['value'] == md.hex() and
               bj['spec']['signature']['content'] == ms['signature'])
        p = t['inclusionProof']
        leaf = hashlib.sha256(b'\x00' + body).digest()
        rootv = merkle_root(int(p['logIndex']), int(p['treeSize']), leaf, [base64.b64decode(h) for h in p['hashes']])
        ok('inclusion-proof', rootv is not None and rootv == base64.b64decode(p['rootHash']))
        note = p['checkpoint']['envelope']
        text, sigs = note.rsplit('\n\n', 1)
        text += '\n'
        lines = text.split('\n')
        m = re.match('^\u2014 (\\S+) (\\S+)$', sigs.strip('\n'))
        ks = base64.b64decode(m.group(2)) if m else b''
        ok('checkpoint-signature', m is not None and ks[:4] == log_id[:4] and verify_sig(T('rekor.pub'), ks[4:], text))
        ok('checkpoint', lines[1] == p['treeSize'] and lines[2] == p['rootHash'])
    for ts in vm.get('timestampVerificationData', {}).get('rfc3161Timestamps', []):
        ok('timestamp', ts_ok(base64.b64decode(ts['signedTimestamp']), sig))

for name in sorted(os.listdir(os.path.join(out, 'cases'))):
    other_log_sets.clear()
    broken, counts = check_layout(name, os.path.join(out, 'cases', name))
    if name == 'tamper-set-untrusted-log':
        report(other_log_sets == [True], name + ': its SET is genuine, by the second log (rekor-other.pub)')
    want = EXPECT.get(name, set())
    report(broken == want, '%s: checks broken %s, expected %s (ran %s)' % (
        name, sorted(broken) or 'none', sorted(want) or 'none',
        ', '.join('%s %d' % kv for kv in sorted(counts.items()))))
    for k in ('signature', 'blob-digest'):
        report(counts.get(k, 0) > 0 or name == 'unsigned' and k == 'signature', '%s: ran %s checks' % (name, k))

# docker save archives: blob names and manifest.json
for f in sorted(os.listdir(os.path.join(out, 'archives'))):
    if not f.startswith('docker-'):
        continue
    tf = tarfile.open(os.path.join(out, 'archives', f))
    names = tf.getnames()
    mj_text = tf.extractfile('manifest.json').read()
    mj = json.loads(mj_text)
    report(all(x in names for x in [mj[0]['Config']] + mj[0]['Layers']), f + ': manifest.json names entries that exist')
    bad = [n for n in names if n.startswith('blobs/sha256/') and tf.getmember(n).isfile()
           and sha(tf.extractfile(n).read()) != n.rsplit('/', 1)[1]]
    report(len(bad) == (1 if 'tamper' in f else 0), f + ': %d blobs do not match their names' % len(bad))
    if f.startswith('docker-oci-'):
        # Docker 25+: manifest.json and index.json describe the same images
        ix = json.loads(tf.extractfile('index.json').read())
        oci = set()
        for m in ix['manifests']:
            if 'io.containerd.image.name' in m.get('annotations', {}):
                man = json.loads(tf.extractfile('blobs/sha256/' + m['digest'][7:]).read())
                oci.add((man['config']['digest'][7:], tuple(l['digest'][7:] for l in man['layers'])))
        def get_folded(e, key):  # what Go's encoding/json reads: the last key folding to key
            v = None
            for k, x in json.loads(mj_text, object_pairs_hook=lambda p: p)[mj.index(e)]:
                if fold(k) == fold(key):
                    v = x
            return v
        docker = {(get_folded(e, 'Config').rsplit('/', 1)[1], tuple(l.rsplit('/', 1)[1] for l in get_folded(e, 'Layers')))
                  for e in mj}
        agree = f[:-4] in ('docker-oci-unsigned', 'docker-oci-signed', 'docker-oci-tamper-layer', 'docker-oci-views-agree')
        report((oci == docker) == agree, f + ': manifest.json and index.json %s' % ('agree' if oci == docker else 'disagree'))
        report(keys_unambiguous(mj_text) == ('dupkey' not in f), f + ': manifest.json keys unambiguous: %s' % keys_unambiguous(mj_text))

# cases.tsv
rows = [l.rstrip('\n').split('\t') for l in open(os.path.join(out, 'cases.tsv')) if l.strip() and not l.startswith('#')]
names = [r[0] for r in rows]
report(len(names) == len(set(names)), 'cases.tsv: names are unique')
paths = {r[1] for r in rows}
for r in rows:
    # exit 2: a policy that must be refused (docs/policy.md), and only then
    report(len(r) >= 6 and (r[2] in ('0', '1', '3') or (r[2] == '2' and '--policy' in r[5:])),
           'cases.tsv %s: has name, path, exit in {0,1,3} (2 for a refused policy), must-name, reason and arguments' % r[0])
    report(r[3] != '' and (r[3] == '-' or r[2] == '1'), 'cases.tsv %s: must-name %r is set, and only for rejections' % (r[0], r[3]))
    report(len(r) >= 6 and r[4] != '' and (r[4] == '-') == (r[2] == '0'),
           'cases.tsv %s: reason %r is set exactly when the case is rejected (exit %s)' % (r[0], r[4] if len(r) > 4 else None, r[2]))
    report(os.path.exists(os.path.join(out, r[1])), 'cases.tsv %s: path %s exists' % (r[0], r[1]))
    for a in r[5:]:
        if a.startswith('trust/') or a.startswith('policies/'):
            report(os.path.isfile(os.path.join(out, a)), 'cases.tsv %s: %s exists' % (r[0], a))
for d in sorted(os.listdir(os.path.join(out, 'cases'))):
    report('cases/' + d in paths, 'cases.tsv lists cases/' + d)
for f in sorted(os.listdir(os.path.join(out, 'archives'))):
    report('archives/' + f in paths, 'cases.tsv lists archives/' + f)
verdicts = {r[2] for r in rows}
report(verdicts == {'0', '1', '2', '3'}, 'cases.tsv has cases of every verdict')
# a case and its archive forms are one case: one verdict, one must-name, one reason
forms = {}
for r in rows:
    base = re.sub(r'\.tar(\.gz|\.zst)?$', '', r[0])
    forms.setdefault(base, set()).add(tuple(r[2:5]))
report(all(len(v) == 1 for v in forms.values()),
       'cases.tsv: the archive forms of a case share its exit, must-name and reason (%s)' % sorted(k for k, v in forms.items() if len(v) != 1))
report(len(os.listdir(os.path.join(out, 'cases'))) >= 30, 'at least 30 cases')

# tamper-wrong-key: verified with another key of the signer's own algorithm,
# so only the signature verification can reject it
def sig_layers(case):
    root = os.path.join(out, 'cases', case)
    blob = lambda d: open(os.path.join(root, 'blobs', 'sha256', d[7:]), 'rb').read()
    for m in json.load(open(os.path.join(root, 'index.json')))['manifests']:
        if m.get('annotations', {}).get('kind', '').endswith('/sigs'):
            for l in json.loads(blob(m['digest']))['layers']:
                yield l['annotations'], blob(l['digest'])
ann, data = next(sig_layers('tamper-wrong-key'))
sig = base64.b64decode(ann['dev.cosignproject.cosign/signature'])
def key_text(p):
    return subprocess.run(['openssl', 'pkey', '-pubin', '-in', p, '-text', '-noout'], stdout=subprocess.PIPE).stdout.decode()
report('prime256v1' in key_text(T('cosign.pub')) and 'prime256v1' in key_text(T('cosign-other.pub')),
       'trust/cosign.pub and trust/cosign-other.pub are both ECDSA P-256 keys')
report(verify_sig(T('cosign.pub'), sig, data) and not verify_sig(T('cosign-other.pub'), sig, data),
       'tamper-wrong-key: its signature verifies under trust/cosign.pub and not under trust/cosign-other.pub')
report([r[5:7] for r in rows if r[0] == 'tamper-wrong-key'] == [['--key', 'trust/cosign-other.pub']],
       'tamper-wrong-key is verified with --key trust/cosign-other.pub')
EOF
rc=$?
while read -r verdict what; do
  case "$verdict" in
    pass) pass ;;
    fail) fail "$what" ;;
    *) fail "checker: $verdict $what" ;;
  esac
done <"$tmp/results"
check "the python checker ran to the end (exit $rc)" [ "$rc" = 0 ]
[ -n "${AL_VERBOSE:-}" ] && grep '^pass .*: checks broken' "$tmp/results"

# --- every case is small
big=$(find "$out/cases" -mindepth 1 -maxdepth 1 -type d -exec du -sb {} + | awk '$1 >= 100000')
check "every case is under 100 KB ($big)" [ -z "$big" ]
finish
