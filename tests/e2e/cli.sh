#!/usr/bin/env bash
# End-to-end checks of the built airlock: command line, exit codes, digest
# correctness, static linking, licence hygiene of the link, and the absence
# of any network code.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# --- command line and exit codes
expect_exit 0 "$AL_BIN" --help
expect_exit 2 "$AL_BIN"
expect_exit 2 "$AL_BIN" no-such-command
expect_exit 0 "$AL_BIN" version
expect_exit 0 "$AL_BIN" version --limits
expect_exit 2 "$AL_BIN" version --bogus
for c in digest version; do expect_exit 0 "$AL_BIN" "$c" --help; done
expect_out "sha256: " "$AL_BIN" version
expect_out "mbedtls: Mbed TLS 3.6" "$AL_BIN" version

# --- digest: agrees with sha256sum on edge sizes, stdin, errors
for n in 0 1 55 56 63 64 65 119 120 1000 65536 1048575 1048576 1048577 3000001; do
  head -c "$n" /dev/urandom >"$tmp/f$n"
  want="sha256:$(sha256sum "$tmp/f$n" | cut -d' ' -f1)  $tmp/f$n"
  got=$("$AL_BIN" digest "$tmp/f$n")
  check "digest of $n bytes" [ "$got" = "$want" ]
done
got=$(printf 'abc' | "$AL_BIN" digest -)
check "digest of stdin" [ "$got" = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -" ]
expect_exit 2 "$AL_BIN" digest "$tmp/does-not-exist"
expect_exit 2 "$AL_BIN" digest "$tmp"
expect_exit 2 "$AL_BIN" digest
expect_err "does-not-exist: cannot open" "$AL_BIN" digest "$tmp/does-not-exist"

# --- the static appliance binary (release build only; ASan builds are dynamic)
map="$AL_BUILD/airlock.map"
if [ -f "$map" ] && file "$AL_BIN" | grep -q 'statically linked'; then
  pass "airlock is statically linked"
  # no LGPL/GPL or heavyweight objects in the link (libarchive's optional deps)
  for lib in libnettle libhogweed libacl libxml2 libicu libgmp libattr liblz4; do
    if grep -q "$lib" "$map"; then fail "link map contains $lib"; else pass "link map has no $lib"; fi
  done
  # no network code: none of these symbols may be defined in the binary
  syms=$(nm "$AL_BIN" 2>/dev/null | awk '$2 ~ /[TtWw]/ {print $3}')
  for s in socket connect getaddrinfo gethostbyname sendto recvfrom bind listen accept; do
    if grep -qx "$s" <<<"$syms"; then fail "binary defines network symbol $s"; else pass "no $s"; fi
  done
elif [ -f "$map" ]; then
  fail "release airlock is not statically linked: $(file "$AL_BIN")"
else
  skip "static-link checks (sanitizer build is dynamic by design)"
fi

finish
