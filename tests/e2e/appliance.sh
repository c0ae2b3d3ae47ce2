#!/usr/bin/env bash
# The appliance's run on a host (docs/appliance.md): `airlock media create`
# writes delivery and evidence media from forge bundles, `airlock appliance`
# verifies them as the firmware's /init does, and each medium gets the
# verdict it must: PASS for signed bundles (tar and ISO 9660 forms), FAIL
# for a tampered layer, a smuggled unsigned image, one bad bundle among
# good ones, an empty medium, a bare bundle archive that is not a medium,
# a member that is not a bundle, and a policy that names another key. The
# evidence medium then holds the verdict, the reports and VSAs that
# `airlock verify-vsa` accepts. Needs no ../shared.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
A=$AL_BIN
F="$tmp/forge"
"$AL_BUILD/bin/al-forge" --demo "$F" >"$tmp/forge.log" 2>&1 || { fail "al-forge failed: $(tail -5 "$tmp/forge.log")"; finish; }
export TMPDIR="$tmp"
mkdir -p "$tmp/conf" "$tmp/other"
python3 - "$F/trust/cosign.pub" "$tmp/conf/policy.json" "$F/trust/cosign-other.pub" "$tmp/other/policy.json" <<'PY'
import json, sys
for pub, out in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    json.dump({"version": 1, "rules": [], "default": {"name": "forge",
               "authorities": [{"name": "forge-key", "key": {"data": open(pub).read()}}]}}, open(out, "w"))
PY
cp "$F/trust/trusted_root.json" "$tmp/conf/"; cp "$F/trust/trusted_root.json" "$tmp/other/"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/conf/vsa.key" 2>/dev/null
openssl pkey -in "$tmp/conf/vsa.key" -pubout -out "$tmp/vsa.pub" 2>/dev/null

mk() { "$A" media create "$@" 2>"$tmp/mk.err" || fail "media create $*: $(cat "$tmp/mk.err")"; }
mk "$F/signed.tar.gz" "$F/signed" --out "$tmp/good.img"
mk "$F/signed" --out "$tmp/good.iso" --iso
mk "$F/tampered" --out "$tmp/tampered.img"
mk "$F/smuggled" --out "$tmp/smuggled.img"
mk "$F/signed" "$F/smuggled" --out "$tmp/mixed.img"
mk --evidence --out "$tmp/ev.img" --size 8M
truncate -s 4M "$tmp/empty.img"

# media list / create refusals
expect_out "an airlock delivery medium (tar)" "$A" media list "$tmp/good.img"
expect_out "bundles/signed.tar.gz" "$A" media list "$tmp/good.img"
expect_out "(iso9660)" "$A" media list "$tmp/good.iso"
expect_out "an airlock evidence medium" "$A" media list "$tmp/ev.img"
expect_exit 1 "$A" media list "$F/signed.tar.gz"
expect_exit 2 "$A" media create "$F/signed" --out "$tmp/good.img"   # never over an existing file
expect_exit 2 "$A" media create --out "$tmp/none.img"                # no bundle
expect_exit 2 "$A" media create "$F/signed" "$F/signed" --out "$tmp/dup.img"
check "a refused medium leaves no file" test ! -e "$tmp/dup.img"
# the same inputs give the same medium
mk "$F/signed.tar.gz" "$F/signed" --out "$tmp/good2.img"
check "media create is reproducible" cmp -s "$tmp/good.img" "$tmp/good2.img"

verdict() { # verdict WANT MEDIUM [args] — the last line and the exit status agree with WANT
  local want=$1 med=$2; shift 2
  "$A" appliance --config-dir "$tmp/conf" --medium "$med" "$@" >"$tmp/out" 2>&1; local rc=$?
  local last; last=$(tail -1 "$tmp/out")
  case "$want" in
    PASS) [ "$rc" = 0 ] && [ "$last" = "AIRLOCK VERDICT: PASS" ] && { pass; return; } ;;
    FAIL*) [ "$rc" = 1 ] && [[ "$last" == "AIRLOCK VERDICT: FAIL ("*")" ]] &&
           grep -qF -- "${want#FAIL }" <<<"$last" && { pass; return; } ;;
  esac
  fail "$(basename "$med"): want $want, exit $rc, last line: $last"
}
verdict PASS "$tmp/good.img"
verdict PASS "$tmp/good.iso"
verdict "FAIL 1 of 1 bundle NOT VERIFIED, first bundles/tampered.tar" "$tmp/tampered.img"
verdict "FAIL bundles/smuggled.tar" "$tmp/smuggled.img"
verdict "FAIL 1 of 2 bundles NOT VERIFIED, first bundles/smuggled.tar" "$tmp/mixed.img"
verdict "FAIL the medium is empty" "$tmp/empty.img"
verdict "FAIL not an airlock medium" "$F/signed.tar.gz"
verdict "FAIL cannot be opened" "$tmp/absent.img"
# a member that is not a bundle: a consumer could load it, nobody judged it
python3 - "$tmp/good.img" "$tmp/extra.img" <<'PY'
import sys, tarfile, io
src = tarfile.open(sys.argv[1]); dst = tarfile.open(sys.argv[2], "w", format=tarfile.USTAR_FORMAT)
for m in src.getmembers():
    dst.addfile(m, src.extractfile(m) if m.isfile() else None)
ti = tarfile.TarInfo("run-me.sh"); data = b"#!/bin/sh\n"; ti.size = len(data)
dst.addfile(ti, io.BytesIO(data)); dst.close()
PY
verdict "FAIL run-me.sh" "$tmp/extra.img"
# crafted media: the closed member list, read by `media list` (the same
# reader the appliance uses); each must be refused, naming the member
python3 - "$tmp/craft" <<'PY'
import io, os, sys, tarfile
d = sys.argv[1]; os.makedirs(d, exist_ok=True)
LABEL = b"airlock-medium 1\n"
def member(t, name, data=b"x", kind=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name); ti.type = kind; ti.linkname = link
    if kind == tarfile.REGTYPE:
        ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    else:
        t.addfile(ti)
def make(name, *members, label=LABEL):
    with tarfile.open(os.path.join(d, name), "w", format=tarfile.USTAR_FORMAT) as t:
        if label is not None:
            member(t, "AIRLOCK-MEDIUM", label)
        for m in members:
            member(t, *m)
make("symlink.img", ("bundles/a.tar", b"", tarfile.SYMTYPE, "/etc/passwd"))
make("hardlink.img", ("bundles/a.tar",), ("bundles/b.tar", b"", tarfile.LNKTYPE, "bundles/a.tar"))
make("device.img", ("bundles/a.tar", b"", tarfile.CHRTYPE))
make("fifo.img", ("bundles/a.tar", b"", tarfile.FIFOTYPE))
make("folder.img", ("evil", b"", tarfile.DIRTYPE), ("bundles/a.tar",))
make("dup.img", ("bundles/a.tar",), ("bundles/a.tar",))
make("tuf-after.img", ("bundles/a.tar",), ("tuf/1.root.json", b"{}"))
make("label2.img", ("bundles/a.tar",), ("AIRLOCK-MEDIUM", LABEL))
make("label-v2.img", ("bundles/a.tar",), label=b"airlock-medium 2\n")
make("label-late.img", ("bundles/a.tar",), ("AIRLOCK-MEDIUM", LABEL), label=None)
make("nested.img", ("bundles/a/b.tar",))
make("dotdot.img", ("bundles/..",))
make("hidden.img", ("bundles/.a.tar",))
make("tuf-dotdot.img", ("tuf/../x.json", b"{}"), ("bundles/a.tar",))
make("tuf-deep.img", ("tuf/a/b/c/d.json", b"{}"), ("bundles/a.tar",))
make("many.img", *[("bundles/b%03d.tar" % i,) for i in range(65)])
make("label-only.img")
PY
craft() { # craft IMAGE TEXT — media list refuses IMAGE (exit 1), saying TEXT
  "$A" media list "$tmp/craft/$1" >"$tmp/out" 2>&1; local rc=$?
  if [ "$rc" = 1 ] && grep -qF -- "$2" "$tmp/out"; then pass; else fail "media list $1: exit $rc, want 1 and '$2': $(tail -2 "$tmp/out")"; fi
}
craft symlink.img "not a regular file"
craft hardlink.img "bundles/b.tar"
craft device.img "not a regular file"
craft fifo.img "not a regular file"
craft folder.img "evil"
craft dup.img "listed twice"
craft tuf-after.img "a TUF file after a bundle"
craft label2.img "a second label"
craft label-v2.img "expected 'airlock-medium 1"
craft label-late.img "AIRLOCK-MEDIUM"
craft nested.img "bundles/a/b.tar"
craft dotdot.img "bundles/.."
craft hidden.img "bundles/.a.tar"
craft tuf-dotdot.img "tuf/../x.json"
craft tuf-deep.img "tuf/a/b/c/d.json"
craft many.img "more than 64 bundles"
# the appliance gives each a FAIL naming it, and a label with nothing after it is no PASS
verdict "FAIL a TUF file after a bundle" "$tmp/craft/tuf-after.img"
verdict "FAIL not a regular file" "$tmp/craft/symlink.img"
verdict "FAIL no bundle on the medium" "$tmp/craft/label-only.img"
# a medium written over an older one (dd to a used stick): what follows the
# end-of-archive marker is never read, so the old bytes neither add members
# nor fail the medium
python3 - "$tmp/good.img" "$tmp/craft/trailing.img" <<'PY'
import io, sys, tarfile
good = open(sys.argv[1], "rb").read()
old = io.BytesIO()
with tarfile.open(fileobj=old, mode="w", format=tarfile.USTAR_FORMAT) as t:
    ti = tarfile.TarInfo("run-me.sh"); ti.size = 10; t.addfile(ti, io.BytesIO(b"#!/bin/sh\n"))
last = tarfile.open(sys.argv[1]).getmembers()[-1]
# the members, then the two zero blocks of the end marker
end = (last.offset_data + last.size + 511) // 512 * 512 + 1024
assert good[end - 1024:end] == bytes(1024)
open(sys.argv[2], "wb").write(good[:end] + old.getvalue())
PY
expect_exit 0 "$A" media list "$tmp/craft/trailing.img"
check "old bytes after the end marker are not listed" sh -c "! '$A' media list '$tmp/craft/trailing.img' | grep -q run-me"
verdict PASS "$tmp/craft/trailing.img"
# another signer's policy
"$A" appliance --config-dir "$tmp/other" --medium "$tmp/good.img" >"$tmp/out" 2>&1
check "another key's policy fails the good medium" test $? = 1
# a policy the firmware does not have
expect_exit 1 "$A" appliance --config-dir "$tmp/conf" --medium "$tmp/good.img" --policy-name missing

# evidence
verdict PASS "$tmp/good.img" --evidence "$tmp/ev.img"
mkdir "$tmp/ev"; tar -xf "$tmp/ev.img" -C "$tmp/ev" 2>/dev/null
check "evidence verdict" grep -qx "AIRLOCK VERDICT: PASS" "$tmp/ev/verdict.txt"
check "evidence transcript" grep -q "bundle 2 (bundles/signed.tar): VERIFIED" "$tmp/ev/transcript.txt"
check "evidence reports" test -s "$tmp/ev/bundle-1/report.json" -a -s "$tmp/ev/bundle-2/report.json"
n=0
for v in "$tmp"/ev/bundle-*/vsa/*.vsa.dsse.json; do
  [ -e "$v" ] || continue
  n=$((n + 1))
  h=$(basename "$v" .vsa.dsse.json)
  expect_exit 0 "$A" verify-vsa --vsa "$v" --key "$tmp/vsa.pub" --subject-digest "sha256:$h" \
    --verifier-id https://github.com/airlock/airlock/appliance
done
at_least 2 "VSAs on the evidence medium" "$n"
expect_out "an airlock evidence medium" "$A" media list "$tmp/ev.img"
# a second run overwrites the evidence, still labelled
verdict "FAIL" "$tmp/tampered.img" --evidence "$tmp/ev.img"
check "evidence of the second run" sh -c "tar -xOf '$tmp/ev.img' verdict.txt | grep -q 'FAIL'"
# what is not an evidence medium is never written
cp "$tmp/good.img" "$tmp/notev.img"
"$A" appliance --config-dir "$tmp/conf" --medium "$tmp/good.img" --evidence "$tmp/notev.img" >"$tmp/out" 2>&1
check "a non-evidence medium is left as it was" cmp -s "$tmp/good.img" "$tmp/notev.img"
check "and the run says so" grep -q "evidence: .*not written" "$tmp/out"
check "no working folder left behind" sh -c "! ls -d '$tmp'/airlock-appliance.* 2>/dev/null | grep -q ."

# a TUF update on the medium (the repository tuf_update.sh makes, its target
# the forge's trusted root): applied before verification when the firmware
# allows it, a tampered target fails the medium, and a firmware that denies
# updates ignores it and keeps its own trust (which lacks the forge's log)
awk '/^cat >"\$tmp\/gen.py" <<.PY.$/{f=1;next} /^PY$/{if(f){exit}} f' "$AL_SRC/tests/e2e/tuf_update.sh" >"$tmp/gen.py"
python3 "$tmp/gen.py" "$tmp/tuf/ok" "" "$F/trust/trusted_root.json" >/dev/null 2>&1 &&
python3 "$tmp/gen.py" "$tmp/tuf/bad" target-tampered "$F/trust/trusted_root.json" >/dev/null 2>&1 ||
  fail "the TUF repositories of tuf_update.sh could not be made"
mkdir -p "$tmp/tufconf"
cp "$tmp/conf/policy.json" "$tmp/tufconf/"; cp "$tmp/tuf/ok/1.root.json" "$tmp/tufconf/tuf-root.json"
echo "tuf-update=allow" >"$tmp/tufconf/appliance.conf"
mk "$F/signed" --tuf-repo "$tmp/tuf/ok/repo" --out "$tmp/tuf-ok.img"
mk "$F/signed" --tuf-repo "$tmp/tuf/bad/repo" --out "$tmp/tuf-bad.img"
"$A" appliance --config-dir "$tmp/tufconf" --medium "$tmp/tuf-ok.img" >"$tmp/out" 2>&1
check "TUF update applied, then PASS (exit 0)" test $? = 0
check "the verdict line says PASS" sh -c "tail -1 '$tmp/out' | grep -qx 'AIRLOCK VERDICT: PASS'"
check "the update is reported" grep -q "TUF update applied" "$tmp/out"
"$A" appliance --config-dir "$tmp/tufconf" --medium "$tmp/tuf-bad.img" >"$tmp/out" 2>&1
check "a tampered TUF target fails the medium" sh -c "tail -1 '$tmp/out' | grep -q 'FAIL (the TUF update on the medium does not verify'"
echo "tuf-update=deny" >"$tmp/tufconf/appliance.conf"
"$A" appliance --config-dir "$tmp/tufconf" --medium "$tmp/tuf-ok.img" >"$tmp/out" 2>&1
check "tuf-update=deny ignores the update" grep -q "TUF update on the medium: ignored" "$tmp/out"
check "and keeps the firmware's own trust" sh -c "tail -1 '$tmp/out' | grep -q 'FAIL'"
finish
