#!/usr/bin/env python3
"""firmware/sbom.py — the appliance's SPDX 2.3 JSON SBOM (scripts/firmware).

What it lists, and where each fact comes from:
- airlock: version from `airlock version`, the git commit of the checkout,
  the SHA-256 of the stripped binary that is /init;
- every library statically linked into airlock: the .a archives the link
  map (build/airlock.map) names, each resolved with `dpkg -S` to its Debian
  binary package and with dpkg-query to its version and source package;
  airlock's own archives (libal_*.a) are airlock, except the two compiled
  from source packages scripts/setup pins (mbedTLS, cJSON);
- the kernel and GRUB packages: name, version and source package from the
  .deb's control fields, the .deb's SHA-256; the kernel modules carried;
- the embedded policies, configuration and trust material, by SHA-256 (the
  VSA signing key by the SHA-256 of its public key's SubjectPublicKeyInfo:
  the SBOM is public, the key is not);
- the outputs vmlinuz, initramfs.img, airlock-appliance.img.

Deterministic: no wall-clock time (created = SOURCE_DATE_EPOCH), every list
sorted or in build order, the namespace derived from the content.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def spdx_id(s):
    return "SPDXRef-" + re.sub(r"[^A-Za-z0-9.-]", "-", s)


def purl_deb(name, version, arch):
    return f"pkg:deb/debian/{name}@{version.replace(':', '%3A').replace('+', '%2B')}?arch={arch}&distro=debian-12"


def pinned(setup, var):
    m = re.search(r'^%s="([^"]*)"$' % re.escape(var), open(setup).read(), re.M)
    if not m:
        sys.exit(f"sbom: {setup} has no {var}")
    return m.group(1)


def archives_in_map(path):
    seen = []
    for m in re.finditer(r"(/[^\s()]+\.a|\blibal_[a-z_]+\.a)\(", open(path, errors="replace").read()):
        a = m.group(1)
        if a not in seen:
            seen.append(a)
    return seen


def deb_of_file(path):
    real = os.path.realpath(path)
    for cand in (real, path, re.sub(r"^/usr/lib/", "/lib/", real)):
        try:
            out = run("dpkg", "-S", cand)
        except subprocess.CalledProcessError:
            continue
        line = next(l for l in out.splitlines() if not l.startswith("diversion"))
        return line.split(": ", 1)[0].split(":")[0].split(",")[0], real
    sys.exit(f"sbom: no Debian package owns {real} (dpkg -S): an archive from outside the distribution "
             "was linked into airlock; the SBOM cannot say where it came from")


def deb_facts(pkg):
    f = run("dpkg-query", "-W", "-f", "${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}",
            pkg).split("\t")
    return {"name": f[0], "version": f[1], "arch": f[2], "source": f[3], "sourceVersion": f[4]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--airlock", required=True, help="the stripped binary that is /init")
    ap.add_argument("--airlock-bin", required=True, help="the binary it was stripped from")
    ap.add_argument("--map", required=True)
    ap.add_argument("--setup", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--epoch", required=True, type=int)
    ap.add_argument("--out", required=True)
    ap.add_argument("--kernel-release", required=True)
    ap.add_argument("--cmdline", required=True)
    ap.add_argument("--deb", action="append", default=[])
    ap.add_argument("--embedded", action="append", default=[], help="KIND:PATH-IN-IMAGE:FILE")
    ap.add_argument("--module", action="append", default=[], help="NAME:FILE")
    ap.add_argument("--output", action="append", default=[], help="NAME:FILE")
    a = ap.parse_args()

    packages, files, rels = [], [], []

    # airlock
    ver_line = run(a.airlock_bin, "version").splitlines()[0]
    m = re.match(r"airlock (\S+)", ver_line)
    al_version = m.group(1) if m else ver_line
    # the commit the binary says it was built from, in full when this
    # checkout knows it
    mc = re.search(r"\(commit ([0-9a-f]+)", ver_line)
    commit = mc.group(1) if mc else "NOASSERTION"
    if mc:
        try:
            commit = run("git", "-C", a.repo, "rev-parse", "--verify", "-q", commit + "^{commit}").strip()
        except (subprocess.CalledProcessError, FileNotFoundError):
            pass
    al = {
        "SPDXID": "SPDXRef-airlock", "name": "airlock", "versionInfo": al_version,
        "supplier": "NOASSERTION", "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
        "checksums": [{"algorithm": "SHA256", "checksumValue": sha256(a.airlock)}],
        "primaryPackagePurpose": "APPLICATION",
        "sourceInfo": f"git commit {commit}",
        "comment": f"/init of the initramfs: the static airlock ({ver_line}), stripped",
    }
    packages.append(al)

    # statically linked libraries
    own_from_source = {
        "libal_mbedtls.a": ("mbedtls", pinned(a.setup, "MBEDTLS_VERSION")),
        "libal_cjson.a": ("cjson", pinned(a.setup, "CJSON_VERSION")),
    }
    seen_pkgs = {}
    for arc in archives_in_map(a.map):
        base = os.path.basename(arc)
        if base in own_from_source:
            src, ver = own_from_source[base]
            pid = spdx_id(f"src-{src}")
            packages.append({
                "SPDXID": pid, "name": src, "versionInfo": ver, "supplier": "Organization: Debian",
                "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
                "primaryPackagePurpose": "LIBRARY",
                "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                                  "referenceLocator": f"pkg:deb/debian/{src}@{ver.replace('~', '%7E').replace('+', '%2B')}?arch=source"}],
                "sourceInfo": f"Debian source package {src} {ver} (apt-get source, pinned in scripts/setup), compiled into airlock as {base}",
            })
            rels.append(("SPDXRef-airlock", "STATIC_LINK", pid))
            continue
        if base.startswith("libal_"):
            continue  # airlock's own code
        pkg, real = deb_of_file(arc)
        if pkg in seen_pkgs:
            seen_pkgs[pkg]["comment"] += f", {real}"
            continue
        f = deb_facts(pkg)
        pid = spdx_id(f"deb-{f['name']}")
        p = {
            "SPDXID": pid, "name": f["name"], "versionInfo": f["version"],
            "supplier": "Organization: Debian", "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
            "primaryPackagePurpose": "LIBRARY",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": purl_deb(f["name"], f["version"], f["arch"])}],
            "sourceInfo": f"Debian source package {f['source']} {f['sourceVersion']}",
            "comment": f"statically linked into airlock: {real}",
        }
        seen_pkgs[pkg] = p
        packages.append(p)
        rels.append(("SPDXRef-airlock", "STATIC_LINK", pid))

    # kernel and boot loader packages
    for deb in a.deb:
        fields = {k: run("dpkg-deb", "-f", deb, k).strip() for k in ("Package", "Version", "Architecture", "Source")}
        src = fields["Source"] or fields["Package"]
        srcver = fields["Version"]
        mm = re.match(r"(\S+) \((.*)\)", src)
        if mm:
            src, srcver = mm.group(1), mm.group(2)
        pid = spdx_id(f"deb-{fields['Package']}")
        is_kernel = fields["Package"].startswith("linux-image")
        packages.append({
            "SPDXID": pid, "name": fields["Package"], "versionInfo": fields["Version"],
            "supplier": "Organization: Debian", "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
            "checksums": [{"algorithm": "SHA256", "checksumValue": sha256(deb)}],
            "primaryPackagePurpose": "OPERATING-SYSTEM" if is_kernel else "APPLICATION",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": purl_deb(fields["Package"], fields["Version"], fields["Architecture"])}],
            "sourceInfo": f"Debian source package {src} {srcver}; the checksum is the .deb's (pinned in scripts/setup)",
            "comment": (f"the kernel (release {a.kernel_release}), booted with: {a.cmdline}; only the modules listed as files are carried"
                        if is_kernel else "GRUB modules for the boot loader images (grub-mkimage)"),
        })
        rels.append(("SPDXRef-appliance", "CONTAINS", pid))
        if is_kernel:
            kernel_id = pid

    # files: embedded material, modules, outputs
    for e in a.embedded:
        kind, where, path = e.split(":", 2)
        fid = spdx_id("file" + where)
        entry = {"SPDXID": fid, "fileName": where, "checksums": [{"algorithm": "SHA256", "checksumValue": sha256(path)}]}
        if kind == "vsakey":
            spki = subprocess.run(["openssl", "pkey", "-in", path, "-pubout", "-outform", "DER"],
                                  check=True, capture_output=True).stdout
            entry["checksums"] = [{"algorithm": "SHA256", "checksumValue": hashlib.sha256(spki).hexdigest()}]
            entry["comment"] = "the VSA signing key (private, mode 0600); the checksum is of its public key's SubjectPublicKeyInfo (DER), not of the secret"
            entry["fileTypes"] = ["OTHER"]
        else:
            entry["fileTypes"] = ["TEXT"]
            entry["comment"] = {"policy": "a site policy (docs/policy.md), as embedded",
                                "config": "appliance configuration",
                                "trust": "trust material"}[kind]
        files.append(entry)
        rels.append(("SPDXRef-initramfs", "CONTAINS", fid))
    for mo in a.module:
        name, path = mo.split(":", 1)
        fid = spdx_id("file-module-" + name)
        files.append({"SPDXID": fid, "fileName": f"/lib/modules/airlock/{name}", "fileTypes": ["BINARY"],
                      "checksums": [{"algorithm": "SHA256", "checksumValue": sha256(path)}],
                      "comment": f"kernel module from {a.kernel_release}"})
        rels.append(("SPDXRef-initramfs", "CONTAINS", fid))
        rels.append((fid, "GENERATED_FROM", kernel_id))
    out_ids = {"vmlinuz": "SPDXRef-vmlinuz", "initramfs.img": "SPDXRef-initramfs",
               "airlock-appliance.img": "SPDXRef-appliance-img"}
    digests = []
    for o in a.output:
        name, path = o.split(":", 1)
        d = sha256(path)
        digests.append(d)
        files.append({"SPDXID": out_ids[name], "fileName": name,
                      "fileTypes": ["BINARY" if name != "vmlinuz" else "OTHER"],
                      "checksums": [{"algorithm": "SHA256", "checksumValue": d}]})
        rels.append(("SPDXRef-appliance", "CONTAINS", out_ids[name]))
    rels.append(("SPDXRef-vmlinuz", "GENERATED_FROM", kernel_id))
    rels.append(("SPDXRef-initramfs", "CONTAINS", "SPDXRef-airlock"))

    appliance = {
        "SPDXID": "SPDXRef-appliance", "name": "airlock-appliance", "versionInfo": al_version,
        "supplier": "NOASSERTION", "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
        "primaryPackagePurpose": "FIRMWARE",
        "comment": "the bootable airlock appliance built by scripts/firmware: vmlinuz, initramfs.img "
                   "and the hybrid BIOS/UEFI disk image airlock-appliance.img",
    }
    packages.insert(0, appliance)
    rels.insert(0, ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-appliance"))
    rels.insert(1, ("SPDXRef-appliance", "CONTAINS", "SPDXRef-airlock"))

    ns = hashlib.sha256("".join(digests).encode()).hexdigest()
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"airlock-appliance-{al_version}",
        "documentNamespace": f"https://airlock.invalid/spdx/appliance/{ns}",
        "creationInfo": {
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(a.epoch)),
            "creators": ["Tool: airlock-scripts-firmware"],
            "comment": "created is SOURCE_DATE_EPOCH, so that two builds of the same inputs are identical",
        },
        "packages": packages,
        "files": files,
        "relationships": [{"spdxElementId": x, "relationshipType": t, "relatedSpdxElement": y} for x, t, y in rels],
    }
    ids = [p["SPDXID"] for p in packages] + [f["SPDXID"] for f in files]
    if len(ids) != len(set(ids)):
        sys.exit("sbom: duplicate SPDX ids")
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
