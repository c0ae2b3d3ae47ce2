#!/usr/bin/env python3
"""gen.py — regenerates the fixtures of test_x509, test_sct and test_tsa.

Run once (`python3 tests/data/pki/gen.py`); the outputs are committed, so
the tests are deterministic and need neither openssl nor python. Needs the
openssl CLI (3.x) and the python standard library only.

openssl makes every key and certificate (a test CA with fixed validity
windows through `openssl ca -startdate/-enddate`) and two RFC 3161 replies
(`openssl ts -reply`). What openssl will not produce is assembled by the
small DER writer below and signed with `openssl dgst -sign`: tokens at a
fixed genTime with a chosen number of fraction digits, tokens signed by a
certificate without a critical timeStamping EKU, tokens whose attributes lie
under a valid signature, and embedded SCTs. Private keys live in a temporary
directory and are thrown away.

After regenerating, refresh what copies these files: the seeds in
fuzz/corpus/{x509,sct,tsa}/ and the arrays embedded in fuzz/fuzz_sct.c
(ct_log.spki.der, inter.der) and fuzz/fuzz_tsa.c (tsa_root.der, tsa_ec.der).
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

OUT = os.path.dirname(os.path.abspath(__file__))
W = tempfile.mkdtemp(prefix="airlock-pki-")
ENV = dict(os.environ, OPENSSL_CONF="/dev/null", W=W)


def run(*args, data=None):
    return subprocess.run(args, input=data, capture_output=True, check=True, env=ENV).stdout


# ---------------------------------------------------------------- DER writer

def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + body


def seq(*a):
    return tlv(0x30, b"".join(a))


def set_of(*a):
    return tlv(0x31, b"".join(sorted(a)))  # DER: SET OF sorted by encoding


def oid(s):
    arcs = [int(x) for x in s.split(".")]
    out = bytes([arcs[0] * 40 + arcs[1]])
    for a in arcs[2:]:
        enc = [a & 0x7F]
        a >>= 7
        while a:
            enc.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(enc))
    return tlv(0x06, out)


def integer(n):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big")
    return tlv(0x02, b)


def octets(b):
    return tlv(0x04, b)


def read_tlv(b, i=0):
    """(tag, contents start, end of element) of the element at b[i]."""
    tag = b[i]
    ln = b[i + 1]
    j = i + 2
    if ln & 0x80:
        k = ln & 0x7F
        ln = int.from_bytes(b[j:j + k], "big")
        j += k
    return tag, j, j + ln


def children(b, start, end):
    out = []
    while start < end:
        t, s, e = read_tlv(b, start)
        out.append((t, start, s, e))
        start = e
    return out


def cert_parts(der):
    """TBS element, issuer Name element, serial INTEGER element."""
    _, s, e = read_tlv(der)
    tbs = children(der, s, e)[0]
    f = children(der, tbs[2], tbs[3])
    k = 1 if f[0][0] == 0xA0 else 0
    serial, issuer = f[k], f[k + 2]
    return der[tbs[1]:tbs[3]], der[issuer[1]:issuer[3]], der[serial[1]:serial[3]]


OID_SHA1, OID_SHA256, OID_SHA384, OID_SHA512 = "1.3.14.3.2.26", "2.16.840.1.101.3.4.2.1", \
    "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3"
HASHES = {"sha1": (OID_SHA1, hashlib.sha1), "sha256": (OID_SHA256, hashlib.sha256),
          "sha384": (OID_SHA384, hashlib.sha384), "sha512": (OID_SHA512, hashlib.sha512)}

# ---------------------------------------------------------------- CA

CA_CNF = r"""
[ca]
default_ca = CA_default
[CA_default]
database = $ENV::W/index.txt
serial = $ENV::W/serial
new_certs_dir = $ENV::W
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[policy_any]
commonName = optional
organizationName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_inter]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = critical, URI:https://github.com/airlock-test/repo/.github/workflows/release.yml@refs/heads/main
1.3.6.1.4.1.57264.1.1 = DER:@RAW(https://legacy.issuer.example)
1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:https://token.actions.githubusercontent.com
1.3.6.1.4.1.57264.1.9 = ASN1:UTF8String:https://github.com/airlock-test/builder/.github/workflows/build.yml@refs/tags/v1
[v3_leaf_email]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = critical, email:signer@airlock.test
1.3.6.1.4.1.57264.1.1 = DER:@RAW(https://accounts.google.com)
[v3_leaf_othername]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = critical, otherName:1.3.6.1.4.1.57264.1.7;UTF8:foo!oidc.local
1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:https://oidc.local
[v3_leaf_serverauth]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = critical, email:signer@airlock.test
[v3_leaf_noeku]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectAltName = critical, email:signer@airlock.test
[v3_leaf_kucertsign]
basicConstraints = critical, CA:false
keyUsage = critical, keyCertSign
extendedKeyUsage = codeSigning
subjectAltName = critical, email:signer@airlock.test
[v3_precert]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = critical, email:sct@airlock.test
1.3.6.1.4.1.57264.1.8 = ASN1:UTF8String:https://oidc.local
[v3_tsa]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
[v3_tsa_noncritical]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = timeStamping
[v3_tsa_codesign]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, codeSigning
"""


def key(name, curve=None):
    path = os.path.join(W, name + ".key")
    if curve == "rsa":
        run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path)
    else:
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + (curve or "P-256"),
            "-out", path)
    return path


def sign_cert(name, issuer, ext, start, end, subj, serial=None, keyname=None, cnf=None):
    """Issues W/name.pem and OUT/name.der; issuer 'self' makes a root."""
    cnf = cnf or os.path.join(W, "ca.cnf")
    k = os.path.join(W, (keyname or name) + ".key")
    with open(os.path.join(W, "serial"), "w") as f:
        f.write((serial or os.urandom(8).hex()) + "\n")
    open(os.path.join(W, "index.txt"), "w").close()
    csr = os.path.join(W, name + ".csr")
    run("openssl", "req", "-new", "-key", k, "-subj", subj, "-out", csr, "-config", cnf)
    pem = os.path.join(W, name + ".pem")
    args = ["openssl", "ca", "-batch", "-notext", "-config", cnf, "-in", csr, "-extensions", ext,
            "-startdate", start, "-enddate", end, "-out", pem]
    if issuer == "self":
        args += ["-selfsign", "-keyfile", k]
    else:
        args += ["-cert", os.path.join(W, issuer + ".pem"), "-keyfile", os.path.join(W, issuer + ".key")]
    run(*args)
    der = run("openssl", "x509", "-in", pem, "-outform", "DER")
    with open(os.path.join(OUT, name + ".der"), "wb") as f:
        f.write(der)
    return der


def spki(keyname):
    return run("openssl", "pkey", "-in", os.path.join(W, keyname + ".key"), "-pubout", "-outform", "DER")


def dgst_sign(keyname, alg, data):
    return run("openssl", "dgst", "-" + alg, "-sign", os.path.join(W, keyname + ".key"), data=data)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    # Fulcio's deprecated OIDs hold the raw string as the extension value
    ca = re.sub(r"@RAW\(([^)]*)\)", lambda m: m.group(1).encode().hex(), CA_CNF)
    with open(os.path.join(W, "ca.cnf"), "w") as f:
        f.write(ca)

    # ---- code signing: root -> intermediate -> leaves
    key("root", "P-384"); sign_cert("root", "self", "v3_root", "20200101000000Z", "20400101000000Z",
                                    "/O=airlock test/CN=airlock test root")
    key("inter", "P-384"); sign_cert("inter", "root", "v3_inter", "20200101000000Z", "20350101000000Z",
                                     "/O=airlock test/CN=airlock test intermediate")
    # Fulcio-like: ten minutes of life, long expired now
    leaves = [("leaf", "v3_leaf"), ("leaf_email", "v3_leaf_email"), ("leaf_othername", "v3_leaf_othername"),
              ("leaf_serverauth", "v3_leaf_serverauth"), ("leaf_noeku", "v3_leaf_noeku"),
              ("leaf_kucertsign", "v3_leaf_kucertsign")]
    for name, ext in leaves:
        key(name)
        sign_cert(name, "inter", ext, "20240101120000Z", "20240101121000Z", "/CN=airlock " + name)
    key("leaf_future"); sign_cert("leaf_future", "inter", "v3_leaf", "20300101000000Z", "20300101001000Z",
                                  "/CN=airlock leaf_future")
    # an intermediate that expired in 2022 and a leaf that outlives it
    key("inter_expired", "P-256"); sign_cert("inter_expired", "root", "v3_inter", "20200101000000Z",
                                             "20220101000000Z", "/O=airlock test/CN=airlock expired intermediate")
    key("leaf_under_expired"); sign_cert("leaf_under_expired", "inter_expired", "v3_leaf", "20210101000000Z",
                                         "20300101000000Z", "/CN=airlock leaf_under_expired")
    # a root that expired in 2015 and a chain under it
    key("old_root", "P-384"); sign_cert("old_root", "self", "v3_root", "20100101000000Z", "20150101000000Z",
                                        "/O=airlock test/CN=airlock old root")
    key("old_inter", "P-384"); sign_cert("old_inter", "old_root", "v3_inter", "20100101000000Z",
                                         "20350101000000Z", "/O=airlock test/CN=airlock old intermediate")
    key("old_leaf"); sign_cert("old_leaf", "old_inter", "v3_leaf", "20120101000000Z", "20300101000000Z",
                               "/CN=airlock old_leaf")
    # an untrusted hierarchy that copies the trusted one's names
    key("evil_root", "P-384"); sign_cert("evil_root", "self", "v3_root", "20200101000000Z", "20400101000000Z",
                                         "/O=airlock test/CN=airlock test root")
    key("evil_inter", "P-384"); sign_cert("evil_inter", "evil_root", "v3_inter", "20200101000000Z",
                                          "20350101000000Z", "/O=airlock test/CN=airlock test intermediate")
    key("evil_leaf"); sign_cert("evil_leaf", "evil_inter", "v3_leaf", "20240101120000Z", "20240101121000Z",
                                "/CN=airlock leaf")
    chain_pem = b""
    for n in ("leaf", "inter"):
        with open(os.path.join(W, n + ".pem"), "rb") as f:
            chain_pem += f.read()
    write("leaf_chain.pem", b"comment lines outside blocks are allowed\n" + chain_pem)

    # ---- SCTs. The precertificate and the final certificate share every
    # field but the SCT list extension: same key, serial, window, subject.
    key("ct_log"); key("ct_other"); key("leaf_sct")
    write("ct_log.spki.der", spki("ct_log"))
    write("ct_other.spki.der", spki("ct_other"))
    serial = "5c7a11e55c7a11e5"
    pre = sign_cert("leaf_precert", "inter", "v3_precert", "20240101120000Z", "20240101121000Z",
                    "/CN=airlock leaf_sct", serial=serial, keyname="leaf_sct")
    tbs, _, _ = cert_parts(pre)
    ikh = hashlib.sha256(spki("inter")).digest()

    def sct(logkey, ts_ms, ext):
        signed = bytes([0, 0]) + ts_ms.to_bytes(8, "big") + bytes([0, 1]) + ikh + \
            len(tbs).to_bytes(3, "big") + tbs + len(ext).to_bytes(2, "big") + ext
        sig = dgst_sign(logkey, "sha256", signed)
        log_id = hashlib.sha256(spki(logkey)).digest()
        body = bytes([0]) + log_id + ts_ms.to_bytes(8, "big") + len(ext).to_bytes(2, "big") + ext + \
            bytes([4, 3]) + len(sig).to_bytes(2, "big") + sig
        return len(body).to_bytes(2, "big") + body

    # 2024-01-01T12:00:01.234Z; the second SCT carries a static-CT style
    # 8-byte extension (leaf_index) and comes from another log
    t_ms = 1704110401234
    lst = sct("ct_log", t_ms, b"") + sct("ct_other", t_ms + 5, bytes([0, 0, 5, 0, 0, 0, 0, 42]))
    sct_ext = octets(len(lst).to_bytes(2, "big") + lst)
    # the SCT extension goes in the middle, as Fulcio puts it before its own OIDs
    final_sect = "[v3_final]\n" + ca.split("[v3_precert]\n")[1].split("[v3_tsa]")[0]
    lines = final_sect.strip().split("\n")
    lines.insert(4, "1.3.6.1.4.1.11129.2.4.2 = DER:" + sct_ext.hex())
    with open(os.path.join(W, "ca.cnf"), "a") as f:
        f.write("\n" + "\n".join(lines) + "\n")
    sign_cert("leaf_sct", "inter", "v3_final", "20240101120000Z", "20240101121000Z", "/CN=airlock leaf_sct",
              serial=serial)

    # ---- TSA: a P-384 root and signers under it
    key("tsa_root", "P-384"); sign_cert("tsa_root", "self", "v3_root", "20200101000000Z", "20400101000000Z",
                                        "/O=airlock test/CN=airlock test TSA root")
    key("tsa_ec"); sign_cert("tsa_ec", "tsa_root", "v3_tsa", "20200101000000Z", "20400101000000Z",
                             "/O=airlock test/CN=airlock test TSA")
    key("tsa_rsa", "rsa"); sign_cert("tsa_rsa", "tsa_root", "v3_tsa", "20200101000000Z", "20400101000000Z",
                                     "/O=airlock test/CN=airlock test TSA RSA")
    key("tsa_short"); sign_cert("tsa_short", "tsa_root", "v3_tsa", "20240101000000Z", "20241231235959Z",
                                "/O=airlock test/CN=airlock short-lived TSA")
    key("tsa_noncrit"); sign_cert("tsa_noncrit", "tsa_root", "v3_tsa_noncritical", "20200101000000Z",
                                  "20400101000000Z", "/O=airlock test/CN=airlock TSA non-critical EKU")
    key("tsa_codesign"); sign_cert("tsa_codesign", "tsa_root", "v3_tsa_codesign", "20200101000000Z",
                                   "20400101000000Z", "/O=airlock test/CN=airlock TSA codeSigning EKU")
    msg = b"airlock test signature bytes\n"
    write("tsa_msg.bin", msg)

    # openssl's own TSA: ESSCertID (SHA-1), RSA, cert embedded, whole seconds
    ts_cnf = os.path.join(W, "ts.cnf")
    for name, signer, alg, digits, imprint, embed in (
            ("ts_openssl_rsa.tsr", "tsa_rsa", "sha1", 0, "sha256", True),
            ("ts_openssl_ec.tsr", "tsa_ec", "sha256", 3, "sha512", False)):
        with open(ts_cnf, "w") as f:
            f.write(f"""[tsa]
default_tsa = t
[t]
serial = {W}/tsaserial
signer_cert = {W}/{signer}.pem
signer_key = {W}/{signer}.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = {digits}
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = {alg}
""")
        with open(os.path.join(W, "tsaserial"), "w") as f:
            f.write("01\n")
        q = os.path.join(W, "q.tsq")
        with open(os.path.join(W, "msg.bin"), "wb") as f:
            f.write(msg)
        run("openssl", "ts", "-query", "-data", os.path.join(W, "msg.bin"), "-" + imprint,
            *(["-cert"] if embed else []), "-out", q)
        run("openssl", "ts", "-reply", "-config", ts_cnf, "-queryfile", q, "-out", os.path.join(OUT, name))

    # hand-made tokens
    def cert_der(name):
        with open(os.path.join(OUT, name + ".der"), "rb") as f:
            return f.read()

    def token(signer, gentime, imprint="sha256", digest="sha256", ess="v2", embed=True, msg_=msg,
              md_override=None, content_type="1.2.840.113549.1.9.16.1.4", ess_cert=None, status=0):
        c = cert_der(signer)
        _, issuer, serial_ = cert_parts(c)
        io, ih = HASHES[imprint]
        tst = seq(integer(1), oid("1.2.3.4.1"), seq(seq(oid(io)), octets(ih(msg_).digest())),
                  integer(0x1234), tlv(0x18, gentime.encode()), seq(integer(1)), integer(0x5eed))
        do, dh = HASHES[digest]
        ec = cert_der(ess_cert) if ess_cert else c
        if ess == "v2":
            essattr = seq(oid("1.2.840.113549.1.9.16.2.47"),
                          set_of(seq(seq(seq(octets(hashlib.sha256(ec).digest()),
                                             seq(seq(tlv(0xA4, issuer)), serial_))))))
        elif ess == "v1":
            essattr = seq(oid("1.2.840.113549.1.9.16.2.12"),
                          set_of(seq(seq(seq(octets(hashlib.sha1(ec).digest()))))))
        else:
            essattr = None
        attrs = [seq(oid("1.2.840.113549.1.9.3"), set_of(oid(content_type))),
                 seq(oid("1.2.840.113549.1.9.4"), set_of(octets(md_override or dh(tst).digest())))]
        if essattr:
            attrs.append(essattr)
        signed = set_of(*attrs)
        sig = dgst_sign(signer, digest, signed)
        sigalg = {"sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3",
                  "sha512": "1.2.840.10045.4.3.4"}[digest]
        si = seq(integer(1), seq(issuer, serial_), seq(oid(do)), tlv(0xA0, strip(signed)),
                 seq(oid(sigalg)), octets(sig))
        sd = [integer(3), set_of(seq(oid(do))),
              seq(oid("1.2.840.113549.1.9.16.1.4"), tlv(0xA0, octets(tst)))]
        if embed:
            sd.append(tlv(0xA0, c))
        sd.append(set_of(si))
        ci = seq(oid("1.2.840.113549.1.7.2"), tlv(0xA0, seq(*sd)))
        return seq(seq(integer(status)), ci)

    def strip(elem):
        _, s, e = read_tlv(elem)
        return elem[s:e]

    write("ts_frac6.tsr", token("tsa_ec", "20240101120500.123456Z"))
    write("ts_frac0.tsr", token("tsa_ec", "20240101120500Z", imprint="sha384", digest="sha384", ess="v1",
                                embed=False))
    write("ts_short_ok.tsr", token("tsa_short", "20240601000000.5Z"))
    write("ts_short_late.tsr", token("tsa_short", "20250601000000Z"))
    write("ts_bad_md.tsr", token("tsa_ec", "20240101120500Z", md_override=hashlib.sha256(b"other").digest()))
    write("ts_bad_ct.tsr", token("tsa_ec", "20240101120500Z", content_type="1.2.840.113549.1.7.1"))
    write("ts_codesign.tsr", token("tsa_codesign", "20240101120500Z"))
    write("ts_noncrit.tsr", token("tsa_noncrit", "20240101120500Z"))
    write("ts_sha1_imprint.tsr", token("tsa_ec", "20240101120500Z", imprint="sha1"))
    write("ts_no_ess.tsr", token("tsa_ec", "20240101120500Z", ess=None))
    write("ts_wrong_ess.tsr", token("tsa_ec", "20240101120500Z", ess_cert="tsa_root"))
    write("ts_rejected.tsr", seq(seq(integer(2))))
    shutil.rmtree(W)


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as e:
        sys.stderr.write(e.stderr.decode(errors="replace"))
        raise
