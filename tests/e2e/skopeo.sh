#!/usr/bin/env bash
# What a real consumer loads from the forge's closed-world cases, shown with
# skopeo (containers/image) itself, offline: only the oci:, oci-archive:,
# docker-archive: and dir: transports, never a registry.
#  - attacks: skopeo resolves the smuggled tag / folded JSON key / dir: view /
#    manifest.json entry to an image that is not the signed one (its manifest
#    or config digest differs, its layers are tar+gzip filesystems nobody
#    signed), or reads a layer of a child the index mis-types;
#  - legitimate twins: skopeo loads exactly the signed manifest (or config).
# airlock must reject the first and accept the second (tests/e2e/forge.sh).
# Skips loudly when skopeo is absent (scripts/setup installs it).
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
if ! command -v skopeo >/dev/null 2>&1; then
  skip "skopeo: not installed (scripts/setup installs it); what consumers load from the forge's closed-world cases was not shown"
  finish
fi
for tool in python3 tar sha256sum; do
  command -v "$tool" >/dev/null || { fail "$tool is not installed (scripts/setup installs it)"; finish; }
done
forge="$AL_BUILD/bin/al-forge"
if [ ! -x "$forge" ]; then fail "the test forge was not built ($forge)"; finish; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$forge" "$tmp/out" >"$tmp/forge.log" 2>&1 || { fail "al-forge failed: $(tail -5 "$tmp/forge.log")"; finish; }
cd "$tmp/out" || exit 1
# no registry, no user configuration, no signature policy file
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_RUNTIME_DIR="$tmp/run" TMPDIR="$tmp"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"

n=0
sk() { timeout 30 skopeo --insecure-policy "$@" 2>"$tmp/sk.err"; }
skerr() { tail -1 "$tmp/sk.err" | sed 's/^time="[^"]*" level=fatal msg=//'; }
say() { printf '  %-32s %s\n' "$1" "$2"; }
sha() { sha256sum | cut -c1-64; }
must() { awk -F'\t' -v n="$1" '$1 == n { print $4 }' cases.tsv; }
# Everything read from the cases' JSON, in one python3 run (its start-up is
# the slow part on a loaded machine): shell variables F_<case>_<what>, and
# one-entry views of untagged entries (skopeo 1.9 has no oci:DIR:@digest).
python3 - "$tmp" >"$tmp/facts.sh" <<'PY'
import json, os, re, sys, tarfile
tmp = sys.argv[1]
must = {l.split('\t')[0]: l.split('\t')[3] for l in open('cases.tsv') if not l.startswith('#') and l.strip()}
def var(case, what, value):
    print("F_%s_%s='%s'" % (case.replace('-', '_').replace('.', '_'), what, value))
def blob(case, d):
    alg, hx = d.split(':')
    return json.load(open('cases/%s/blobs/%s/%s' % (case, alg, hx)))
tag = lambda m: m.get('annotations', {}).get('org.opencontainers.image.ref.name', '')
for case in sorted(os.listdir('cases')):
    ix = json.load(open('cases/%s/index.json' % case))['manifests']
    for m in ix:
        mt = re.match(r'^sha256-([0-9a-f]{64})', tag(m))
        if mt:
            var(case, 'signed', mt.group(1))   # the digest a .sig or referrers tag binds
        if re.match(r'^sha256-[0-9a-f]{64}\.sig$', tag(m)):
            var(case, 'sig', m['digest'][7:])
        if tag(m) == 'v1' and m['mediaType'].endswith('manifest.v1+json'):
            var(case, 'v1_layers', ' '.join(l['digest'][7:] for l in blob(case, m['digest']).get('layers', [])))
        if m.get('annotations', {}).get('kind', '').endswith('/image'):
            var(case, 'image', m['digest'][7:])
            var(case, 'image_layers', ' '.join(l['digest'][7:] for l in blob(case, m['digest'])['layers']))
    bad = must.get(case, '-')
    try:  # a must-name may be a layer's digest: only manifests have layers to list
        bad_doc = blob(case, 'sha256:' + bad) if re.match(r'^[0-9a-f]{64}$', bad) else None
    except (OSError, ValueError):
        bad_doc = None
    if isinstance(bad_doc, dict):
        var(case, 'bad_layers', ' '.join(l['digest'][7:] for l in bad_doc.get('layers', [])))
        for m in ix:
            if m['digest'] == 'sha256:' + bad and not tag(m):
                v = os.path.join(tmp, 'view-' + case)
                os.makedirs(v)
                os.symlink(os.path.abspath('cases/%s/blobs' % case), os.path.join(v, 'blobs'))
                open(os.path.join(v, 'oci-layout'), 'w').write(open('cases/%s/oci-layout' % case).read())
                m = dict(m, annotations={'org.opencontainers.image.ref.name': 'smuggled'})
                json.dump({'schemaVersion': 2, 'manifests': [m]}, open(os.path.join(v, 'index.json'), 'w'))
    if case.startswith('json-dup-manifests-'):
        # the unsigned image listed under the folded key ("Manifests", "manifeſts")
        top = json.load(open('cases/%s/index.json' % case))
        other = [k for k in top if k != 'manifests' and k.lower().replace('\u017f', 's') == 'manifests']
        if other:
            var(case, 'evil', top[other[0]][0]['digest'][7:])
    if case == 'json-fold-layers-in-manifest':
        j = blob(case, [m for m in ix if tag(m) == 'v1'][0]['digest'])
        var(case, 'folded_layers', ' '.join(l['digest'][7:] for l in j['layer\u017f']))
for f in ('docker-oci-views-agree', 'docker-oci-mj-extra-image'):
    t = tarfile.open('archives/%s.tar' % f)
    ix = json.load(t.extractfile('index.json'))
    m = [m for m in ix['manifests'] if tag(m) == 'v1'][0]
    var(f, 'config', json.load(t.extractfile('blobs/sha256/' + m['digest'][7:]))['config']['digest'][7:])
    var(f, 'tag2', json.load(t.extractfile('manifest.json'))[-1]['RepoTags'][0])
PY
[ -s "$tmp/facts.sh" ] || { fail "reading the cases with python3 failed"; finish; }
. "$tmp/facts.sh"
fact() { local v="F_${1//[-.]/_}_$2"; printf '%s' "${!v:-}"; }
# a dir: copy: its layer media types; which blob files it holds
copied_types() { grep -o '"mediaType":"[^"]*layer[^"]*"' "$1/manifest.json" 2>/dev/null | cut -d'"' -f4 | sort -u | tr '\n' ' '; }
has_all() { local d=$1 b; shift; [ $# -gt 0 ] || return 1; for b in "$@"; do [ -f "$d/$b" ] || return 1; done; }
has_none() { local d=$1 b; shift; for b in "$@"; do [ ! -f "$d/$b" ] || return 1; done; }
runnable() { case "$1" in *tar*) return 0 ;; *) return 1 ;; esac; }

# ---------------------------------------------------------------- legitimate twins
echo "legitimate twins: skopeo loads exactly the signed manifest"
for c in tagged-sig sig-att-sbom multiarch-index-tagged buildx-attestation-index referrer; do
  want=$(fact "$c" signed); n=$((n + 1))
  got=$(sk inspect --raw "oci:cases/$c:v1" | sha)
  check "$c: skopeo inspect --raw oci:cases/$c:v1 is the signed manifest sha256:$want (got $got; $(skerr))" \
    bash -c '[ -n "$1" ] && [ "$2" = "$1" ]' _ "$want" "$got"
  say "$c" "v1 -> sha256:${got:0:16}… (the signed digest)"
done
c=tagged-sig
got=$(sk inspect --raw "oci-archive:archives/$c.tar:v1" | sha)
check "$c: oci-archive:archives/$c.tar:v1 is the signed manifest (got $got; $(skerr))" [ "$got" = "$(fact $c signed)" ]
sk copy -q "oci:cases/$c:v1" "dir:$tmp/$c" >/dev/null
check "$c: skopeo copy oci:cases/$c:v1 succeeds, every blob matching ($(skerr))" [ -f "$tmp/$c/manifest.json" ]
c=docker-oci-views-agree; n=$((n + 1))
app_cfg=$(fact $c config)
got=$(sk inspect --config --raw "docker-archive:archives/$c.tar" | sha)
check "$c: docker-archive: loads the signed image's config sha256:$app_cfg (got $got; $(skerr))" [ "$got" = "$app_cfg" ]
say "$c" "docker-archive: config sha256:${got:0:16}… = the signed image's config"

# ---------------------------------------------------------------- class 1
echo "class 1: an unsigned image bound to the app by tag, subject or kind is a loadable runnable image"
img=$(fact smuggle-tag-sig image); app_layers=$(fact smuggle-tag-sig image_layers)
for sfx in sig att sbom; do
  c=smuggle-tag-$sfx; bad=$(must "$c"); ref="sha256-$img.$sfx"; n=$((n + 1))
  src="oci:cases/$c:$ref"
  [ "$sfx" = sig ] && src="oci-archive:archives/$c.tar:$ref"
  sk copy -q "$src" "dir:$tmp/$c" >/dev/null
  check "$c: skopeo copy $src succeeds ($(skerr))" [ -f "$tmp/$c/manifest.json" ]
  got=$(sha <"$tmp/$c/manifest.json" 2>/dev/null); types=$(copied_types "$tmp/$c")
  check "$c: tag $ref resolves to the unsigned manifest $bad (got $got)" [ "$got" = "$bad" ]
  check "$c: the copied layers are the unsigned image's" has_all "$tmp/$c" $(fact "$c" bad_layers)
  check "$c: none is the signed app's" has_none "$tmp/$c" $app_layers
  check "$c: they are filesystems ($types)" runnable "$types"
  say "$c" "tag .$sfx -> sha256:${got:0:16}…, layers $types"
done

c=smuggle-sig-tar-content; bad=$(must "$c"); ref="sha256-$img.sig"; n=$((n + 1))
sk copy -q "oci:cases/$c:$ref" "dir:$tmp/$c" >/dev/null
got=$(sha <"$tmp/$c/manifest.json" 2>/dev/null)
check "$c: tag $ref resolves to $bad (got $got; $(skerr))" [ "$got" = "$bad" ]
layer=$(fact "$c" bad_layers)
files=$(tar -tf "$tmp/$c/$layer" 2>/dev/null | tr '\n' ' ')
check "$c: the 'simple signing' layer skopeo copies is a tar (files: $files)" grep -q 'bin/hello' <<<"$files"
say "$c" "tag .sig -> a layer typed simplesigning holding a tar of: $files"

c=smuggle-sig-extra-ref; n=$((n + 1))
got=$(sk inspect --raw "oci:cases/$c:latest" | sha)
check "$c: oci:...:latest resolves to the .sig manifest $(fact $c sig), not the app (got $got; $(skerr))" \
  [ "$got" = "$(fact $c sig)" ]
say "$c" "latest -> the .sig manifest sha256:${got:0:16}…"

c=smuggle-referrers-index; bad=$(must "$c"); n=$((n + 1))
sk copy -q --all "oci:cases/$c:sha256-$img" "dir:$tmp/$c" >/dev/null
check "$c: skopeo copy --all of tag sha256-<app> copies the runnable child's layers ($(skerr))" \
  has_all "$tmp/$c" $(fact "$c" bad_layers)
check "$c: none of them is the app's" has_none "$tmp/$c" $app_layers
say "$c" "tag sha256-<app> -> index -> child sha256:${bad:0:16}…, its tar+gzip layers copied"

# Untagged entries: skopeo 1.9 cannot name one entry of a many-entry layout
# (no ref, no @digest); cosign load and ctr import take every entry.
# Addressed alone (a one-entry index.json over the case's own blobs), skopeo
# loads each as a runnable image.
for c in smuggle-subject-app smuggle-subject-absent smuggle-kind-sigs smuggle-kind-atts smuggle-kind-sboms; do
  bad=$(must "$c"); n=$((n + 1))
  sk copy -q "oci:$tmp/view-$c:smuggled" "dir:$tmp/$c" >/dev/null
  check "$c: the untagged entry $bad copies as an image ($(skerr))" [ -f "$tmp/$c/manifest.json" ]
  types=$(copied_types "$tmp/$c")
  check "$c: its layers are the unsigned image's" has_all "$tmp/$c" $(fact "$c" bad_layers)
  check "$c: none is the signed app's" has_none "$tmp/$c" $app_layers
  check "$c: they are filesystems ($types)" runnable "$types"
  say "$c" "untagged sha256:${bad:0:16}… (alone) copies as an image, layers $types"
done

# ---------------------------------------------------------------- class 3/9
echo "class 3/9: mis-typed descriptors"
for t in layer octet schema1 unknown; do
  c=desc-as-$t; n=$((n + 1))
  if sk copy -q "oci:cases/$c:v1" "dir:$tmp/$c" >/dev/null; then
    fail "$c: skopeo copied v1 although its layer is tampered"
  else
    pass
  fi
  say "$c" "skopeo: $(skerr | cut -c1-100)"
done
for t in layer octet unknown; do
  c=index-child-as-$t; n=$((n + 1))
  sk copy -q --override-arch arm64 --override-variant v8 "oci:cases/$c:v1" "dir:$tmp/$c" >/dev/null
  check "$c: skopeo follows the arm64 child typed $t as an image and reads its tampered layer ($(skerr))" \
    grep -q 'Digest did not match' "$tmp/sk.err"
  say "$c" "arm64 child read as an image manifest: $(grep -o 'Digest did not match' "$tmp/sk.err" || skerr)"
done

# ---------------------------------------------------------------- class 8 and 2
echo "class 8/2: other formats, and docker's manifest.json"
c=polyglot-dir-manifest; n=$((n + 1))
signed=$(fact $c signed)
sk copy -q "dir:cases/$c" "dir:$tmp/$c" >/dev/null
check "$c: skopeo copy dir:cases/$c loads the dir: view ($(skerr))" [ -f "$tmp/$c/manifest.json" ]
got=$(sha <"$tmp/$c/manifest.json" 2>/dev/null)
check "$c: the dir: view's manifest ($got) is not the signed one ($signed)" \
  bash -c '[ -n "$1" ] && [ "$1" != "$2" ]' _ "$got" "$signed"
check "$c: and none of its layers is the signed app's" has_none "$tmp/$c" $(fact $c v1_layers)
say "$c" "dir:DIR -> sha256:${got:0:16}…, while oci:DIR:v1 -> sha256:${signed:0:16}…"
c=polyglot-legacy-repositories
sk inspect --raw "docker-archive:archives/$c.tar" >/dev/null
say "$c" "skopeo docker-archive: wants manifest.json: $(skerr | cut -c1-60)… (pre-1.10 docker load reads this format)"

for c in docker-oci-mj-config-other docker-oci-mj-config-dupkey polyglot-docker-lowercase; do
  n=$((n + 1))
  got=$(sk inspect --config --raw "docker-archive:archives/$c.tar" | sha)
  if [ "$c" = polyglot-docker-lowercase ]; then
    check "$c: skopeo reads the lower-case manifest.json keys (config $got; $(skerr))" [ "$got" = "$app_cfg" ]
    say "$c" "config, repoTags, layers read as Config, RepoTags, Layers"
  else
    check "$c: docker-archive: loads config $got, not the signed $app_cfg ($(skerr))" \
      bash -c '[ "$1" != "$2" ] && [ "$1" != "$3" ]' _ "$got" "$app_cfg" "$(printf '' | sha)"
    say "$c" "docker-archive: config sha256:${got:0:16}…, the signed one is sha256:${app_cfg:0:16}…"
  fi
done
c=docker-oci-mj-extra-image; bad=$(must "$c"); tag=$(fact $c tag2); n=$((n + 1))
got=$(sk inspect --config --raw "docker-archive:archives/$c.tar:$tag" | sha)
check "$c: docker-archive:...:$tag loads the unsigned config $bad (got $got; $(skerr))" [ "$got" = "$bad" ]
say "$c" "$tag -> config sha256:${got:0:16}…"
c=docker-oci-mj-layers-other
sk copy -q "docker-archive:archives/$c.tar" "dir:$tmp/$c" >/dev/null
say "$c" "skopeo: $(skerr | cut -c1-100)"

# ---------------------------------------------------------------- class 7
echo "class 7: JSON keys Go's encoding/json folds"
for c in json-dup-digest-case json-dup-digest-fold json-dup-manifests-case json-dup-manifests-fold; do
  bad=$(must "$c"); n=$((n + 1))
  # the manifests cases name the folded key; the image under it is read from index.json
  case "$c" in json-dup-manifests-*) bad=$(fact "$c" evil) ;; esac
  src="oci:cases/$c:v1"
  [ "$c" = json-dup-digest-case ] && src="oci-archive:archives/$c.tar:v1"
  got=$(sk inspect --raw "$src" | sha)
  check "$c: $src is the unsigned manifest $bad (got $got; $(skerr))" [ "$got" = "$bad" ]
  say "$c" "v1 -> sha256:${got:0:16}… (the unsigned image)"
done
c=json-fold-layers-in-manifest; n=$((n + 1))
sk copy -q "oci:cases/$c:v1" "dir:$tmp/$c" >/dev/null
check "$c: skopeo copies v1 ($(skerr))" [ -f "$tmp/$c/manifest.json" ]
# the copy keeps the manifest's bytes; the blobs it copied say how Go read it
check "$c: skopeo copied the layers under \"layer\u017f\"" has_all "$tmp/$c" $(fact $c folded_layers)
check "$c: and none of those under \"layers\"" has_none "$tmp/$c" $(fact $c v1_layers)
say "$c" "skopeo copies the layers under \"layer\u017f\", not those under \"layers\""

check "skopeo checked the cases ($n)" [ "$n" -ge 30 ]
finish
