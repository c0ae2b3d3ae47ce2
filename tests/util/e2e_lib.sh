# lib.sh — tiny assertion helpers for end-to-end shell tests.
# Each test ends with `finish`, which prints "N passed, N failed" and sets the
# exit status.
# A suite that ran nothing because its inputs are absent exits 77, which
# ctest reports as skipped (SKIP_RETURN_CODE), never as passed. With
# AL_TEST_STRICT=1 (set by .ci/run) and ../shared present, any skip is a
# failure: there is then no reason for a suite not to run all of itself.
npass=0; nfail=0; nskip=0
pass() { npass=$((npass + 1)); }
fail() { nfail=$((nfail + 1)); echo "FAIL: $*" >&2; }
skip() {
  if [ "${AL_TEST_STRICT:-0}" = 1 ] && [ -d "${AL_SHARED:-/nonexistent}" ]; then
    fail "skipped under AL_TEST_STRICT=1 with ../shared present: $*"
    return
  fi
  nskip=$((nskip + 1)); echo "*** SKIPPED: $* ***" >&2
}
# na WHAT — a check that does not apply to this build by design (not a skip)
na() { echo "n/a: $*" >&2; }
# at_least N WHAT COUNT — a loop over external cases ran at least N of them
at_least() { if [ "$3" -ge "$1" ]; then pass; else fail "$2: ran $3, expected at least $1"; fi; }
check() { local what=$1; shift; if "$@"; then pass; else fail "$what"; fi; }
# expect_exit CODE CMD...  — CMD exits with CODE
expect_exit() {
  local want=$1; shift
  "$@" >/dev/null 2>&1; local got=$?
  if [ "$got" = "$want" ]; then pass; else fail "exit $got, want $want: $*"; fi
}
# expect_out TEXT CMD...  — stdout contains TEXT
expect_out() {
  local want=$1; shift
  local out; out=$("$@" 2>/dev/null)
  if grep -qF -- "$want" <<<"$out"; then pass; else fail "stdout lacks '$want': $*"; fi
}
# expect_err TEXT CMD...  — stderr contains TEXT
expect_err() {
  local want=$1; shift
  local out; out=$("$@" 2>&1 >/dev/null)
  if grep -qF -- "$want" <<<"$out"; then pass; else fail "stderr lacks '$want': $* (stderr: $out)"; fi
}
shared_or_skip() { # shared_or_skip SUITE — returns 1 (and says so) when ../shared is absent
  if [ -d "${AL_SHARED:-/nonexistent}" ]; then return 0; fi
  skip "$1: ../shared is absent (AL_SHARED=${AL_SHARED:-unset}); its external-vector tests did not run"
  return 1
}
# setb_vars — set_dir, root, ident, iss of ../shared/generated/setB (its
# folder, trusted root, and the identity and issuer its keyless bundles have)
setb_vars() {
  set_dir="$AL_SHARED/generated/setB"
  root="$set_dir/trusted_root.json"
  ident=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["identity"])' "$set_dir/manifest.json")
  iss=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["issuer"])' "$set_dir/manifest.json")
}
finish() {
  echo "$npass passed, $nfail failed, $nskip skipped"
  if [ "$nfail" != 0 ]; then exit 1; fi
  if [ "$npass" = 0 ] && [ "$nskip" != 0 ]; then exit 77; fi
  exit 0
}

# cimage_fixtures DEST: containers/image's signed dir: fixtures from ../shared copied to
# DEST/<name>; upstream symlinks are stored as files holding the link target, and are
# rebuilt as copies
cimage_fixtures() {
  local fx="$AL_SHARED/vectors/containers__image/signature/fixtures" src dst f
  for src in "$fx"/dir-img-cosign-*; do
    dst="$1/$(basename "$src")"; mkdir -p "$dst"
    for f in "$src"/*; do
      if [ "$(head -c 3 "$f" | tr -d '\0')" = "../" ]; then cp "$(dirname "$f")/$(cat "$f")" "$dst/$(basename "$f")"; else cp "$f" "$dst/"; fi
    done
  done
}
