# lib.sh — tiny assertion helpers for end-to-end shell tests.
# Each test ends with `finish`, which prints "N passed, N failed" and sets the
# exit status.
npass=0; nfail=0; nskip=0
pass() { npass=$((npass + 1)); }
fail() { nfail=$((nfail + 1)); echo "FAIL: $*" >&2; }
skip() { nskip=$((nskip + 1)); echo "*** SKIPPED: $* ***" >&2; }
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
finish() {
  echo "$npass passed, $nfail failed, $nskip skipped"
  [ "$nfail" = 0 ]
  exit $?
}
