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
  # No network code of ours: nothing airlock's own libraries, mbedTLS, cJSON
  # or libarchive contain may call into the socket API. (Static glibc itself
  # links dormant resolver code behind pthread_create; it is never reached,
  # which the strace check below shows.)
  for lib in "$AL_BUILD"/libal_*.a; do
    bad=$(nm -u "$lib" 2>/dev/null | awk '{print $2}' | grep -xE 'socket|connect|getaddrinfo|gethostbyname|sendto|recvfrom|bind|listen|accept|send|recv' | sort -u | tr '\n' ' ')
    if [ -n "$bad" ]; then fail "$(basename "$lib") calls network functions: $bad"; else pass; fi
  done
  bad=$(nm -u /usr/lib/x86_64-linux-gnu/libarchive.a 2>/dev/null | awk '{print $2}' | grep -xE 'socket|connect|getaddrinfo|gethostbyname' | sort -u | tr '\n' ' ')
  if [ -n "$bad" ]; then fail "libarchive.a calls network functions: $bad"; else pass; fi
elif [ -f "$map" ]; then
  fail "release airlock is not statically linked: $(file "$AL_BIN")"
else
  skip "static-link checks (sanitizer build is dynamic by design)"
fi

# --- the kernel enforces it: a running airlock is under a seccomp filter
mkfifo "$tmp/fifo"
"$AL_BIN" digest "$tmp/fifo" >/dev/null 2>&1 &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q '^Seccomp:' "/proc/$pid/status" 2>/dev/null && break; sleep 0.2; done
sleep 0.3
if grep -Eq '^Seccomp:[[:space:]]+2' "/proc/$pid/status" 2>/dev/null; then pass; else fail "airlock runs without a seccomp filter: $(grep Seccomp "/proc/$pid/status" 2>&1)"; fi
: >"$tmp/fifo"
wait "$pid" 2>/dev/null
expect_out "sandbox: seccomp" "$AL_BIN" version

# --- at run time: no network system call at all (strace)
# positive control first: strace must see a socket() made by another program
if command -v strace >/dev/null && strace -f -qq -e trace=socket -o "$tmp/control" \
     python3 -c 'import socket; socket.socket(socket.AF_UNIX).close()' >/dev/null 2>&1 && [ -s "$tmp/control" ]; then
  pass
  head -c 100000 /dev/urandom >"$tmp/net"
  ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e signal=none -e trace=socket,connect,bind,sendto,sendmsg -o "$tmp/strace.out" "$AL_BIN" digest "$tmp/net" >/dev/null 2>&1
  if [ -s "$tmp/strace.out" ]; then fail "airlock digest made network system calls: $(head -3 "$tmp/strace.out")"; else pass; fi
  if [ -d "${AL_SHARED:-/nonexistent}" ]; then
    c="$AL_SHARED/vectors/sigstore__sigstore-conformance/test/assets/bundle-verify/happy-path-v0.3"
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e signal=none -e trace=socket,connect,bind,sendto,sendmsg -o "$tmp/strace2.out" "$AL_BIN" verify-bundle \
      --bundle "$c/bundle.sigstore.json" --trusted-root "$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json" \
      --certificate-identity https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main \
      --certificate-oidc-issuer https://token.actions.githubusercontent.com "$c/../a.txt" >/dev/null 2>&1
    if [ -s "$tmp/strace2.out" ]; then fail "airlock verify-bundle made network system calls"; else pass; fi
    d=$(ls -d "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/v1.10.0/container_workflow_dispatch)
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e signal=none -e trace=socket,connect,bind,sendto,sendmsg -o "$tmp/strace3.out" "$AL_BIN" verify "$d" \
      --trusted-root "$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json" \
      --certificate-identity-regexp '.*' --certificate-oidc-issuer https://token.actions.githubusercontent.com >/dev/null 2>&1
    if [ -s "$tmp/strace3.out" ]; then fail "airlock verify made network system calls"; else pass; fi
  fi
else
  skip "strace is not installed or cannot trace here: run-time network check"
fi

finish
