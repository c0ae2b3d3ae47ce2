#!/usr/bin/env bash
# Every case the test forge makes (tests/forge: its own keys, CA, Merkle log,
# TSA; signed and tampered image bundles as directories and archives) gives
# its expected verdict with `airlock verify`, and every rejection that cases.tsv
# says must name an entry (a digest, ref name or archive path) names it.
# Needs nothing from ../shared.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
forge="$AL_BUILD/bin/al-forge"
if [ ! -x "$forge" ]; then fail "the test forge was not built ($forge)"; finish; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$forge" "$tmp/out" >"$tmp/forge.log" 2>&1 || { fail "al-forge failed: $(tail -5 "$tmp/forge.log")"; finish; }
cd "$tmp/out" || exit 1
n=0
while IFS=$'\t' read -r name path want must args; do
  case "$name" in ''|'#'*) continue ;; esac
  n=$((n + 1))
  IFS=$'\t' read -r -a argv <<<"$args"
  out=$("$AL_BIN" verify "$path" "${argv[@]}" 2>&1); rc=$?
  if [ "$rc" != "$want" ]; then
    fail "forge case $name ($path): exit $rc, want $want: $(tail -4 <<<"$out")"
  elif [ "$must" != "-" ] && ! grep -qF -- "$must" <<<"$out"; then
    # the right exit for the wrong reason: the rejection must name the offending entry
    fail "forge case $name ($path): exit $rc as wanted, but the output does not name '$must': $(tail -4 <<<"$out")"
  else
    pass
    [ -n "${AL_VERBOSE:-}" ] && printf 'ok %s (exit %s): %s\n' "$name" "$rc" "$(tail -1 <<<"$out")"
  fi
done <cases.tsv
check "cases.tsv lists cases ($n)" [ "$n" -ge 20 ]
finish
