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

# --- help only as the sole argument: `airlock verify "$f" ... && import` must
# never pass because $f, or a trailing argument, is "--help" or "-h"
for h in --help -h; do
  expect_exit 0 "$AL_BIN" "$h"
  expect_exit 2 "$AL_BIN" "$h" verify
  for c in verify inspect verify-bundle digest version trust; do
    expect_exit 0 "$AL_BIN" "$c" "$h"
    expect_out "usage: airlock $c" "$AL_BIN" "$c" "$h"
    expect_exit 2 "$AL_BIN" "$c" "$tmp/x" "$h"
    expect_exit 2 "$AL_BIN" "$c" "$h" "$tmp/x"
    expect_err "is a usage error unless it is the only argument" "$AL_BIN" "$c" "$tmp/x" "$h"
  done
  expect_exit 2 "$AL_BIN" verify "$tmp/x" --key "$tmp/k" "$h"
  expect_exit 2 "$AL_BIN" version --limits "$h"
done
expect_exit 0 "$AL_BIN" help
expect_exit 2 "$AL_BIN" help verify
expect_exit 2 "$AL_BIN" --version extra
# after "--", "--help" is a file name
printf 'abc' >"$tmp/--help"
got=$(cd "$tmp" && "$AL_BIN" digest -- --help -h 2>/dev/null); rc=$?
check "digest -- --help hashes the file (exit $rc)" [ "$rc" = 2 ] # "-h" does not exist
got=$(cd "$tmp" && "$AL_BIN" digest -- --help)
check "digest -- --help: $got" [ "$got" = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  --help" ]
expect_exit 2 "$AL_BIN" digest --help --
expect_exit 2 "$AL_BIN" digest --bogus "$tmp/--help"

# --- the embedded trust roots (docs/trust.md): provenance, list, show
ver=$("$AL_BIN" version)
check "version names the embedded root" grep -qE '^trust: embedded \(@sigstore/tuf [0-9.]+, TUF root v[0-9]+\)$' <<<"$ver"
check "version prints the npm package and its integrity" grep -qE '^trust: npm package @sigstore/tuf [0-9.]+, integrity sha512-[A-Za-z0-9+/]+=*$' <<<"$ver"
check "version prints the TUF root version, expiry and digest" \
  grep -qE '^trust: TUF root.json version [0-9]+, expires [0-9TZ:-]+, sha256:[0-9a-f]{64}$' <<<"$ver"
check "version prints the trusted root's digest and date" \
  grep -qE '^trust: trusted_root.json sha256:[0-9a-f]{64}, newest entry valid from [0-9TZ:-]+$' <<<"$ver"
pinned=$(sed -n 's/^SIGSTORE_TUF_VERSION="\(.*\)"$/\1/p' "$AL_SRC/scripts/setup")
check "version's package version is the one scripts/setup pins ($pinned)" grep -qF "npm package @sigstore/tuf $pinned," <<<"$ver"
list=$("$AL_BIN" trust list)
check "trust list: rekor.sigstore.dev" grep -qE '^tlog +https://rekor\.sigstore\.dev +logID [0-9a-f]{64} ' <<<"$list"
check "trust list: log2025-1.rekor.sigstore.dev" grep -qE '^tlog +https://log2025-1\.rekor\.sigstore\.dev +logID [0-9a-f]{64} ' <<<"$list"
check "trust list: a CA, a CT log, a TSA, each from the embedded root" \
  [ "$(grep -cE '^(ca|ctlog|tsa) .* embedded \(@sigstore/tuf ' <<<"$list")" -ge 3 ]
"$AL_BIN" trust show --json >"$tmp/embedded.json"
check "trust show --json parses" python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$tmp/embedded.json"
sha=$(sha256sum "$tmp/embedded.json" | cut -d' ' -f1)
check "trust show --json is the root whose digest version prints" grep -qF "trust: trusted_root.json sha256:$sha," <<<"$ver"
expect_out "sha256: $sha" "$AL_BIN" trust show
expect_out "source: embedded (@sigstore/tuf" "$AL_BIN" trust show
expect_exit 2 "$AL_BIN" trust
expect_exit 2 "$AL_BIN" trust bogus
expect_exit 2 "$AL_BIN" trust list --json
expect_exit 2 "$AL_BIN" trust list --trusted-root "$tmp/no-such-root.json"
printf '{"mediaType": 1}\n' >"$tmp/bad-root.json"
expect_exit 4 "$AL_BIN" trust list --trusted-root "$tmp/bad-root.json"
expect_exit 4 "$AL_BIN" verify-bundle --bundle "$tmp/bad-root.json" --trusted-root "$tmp/bad-root.json" \
  --certificate-identity someone --certificate-oidc-issuer https://issuer.example sha256:0000000000000000000000000000000000000000000000000000000000000000
# JSON Lines, as gh attestation trusted-root writes them: each root named by its place
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(json.dumps(d)); print(json.dumps(d))' \
  "$tmp/embedded.json" >"$tmp/two.jsonl"
expect_out "root 2 of 2" "$AL_BIN" trust list --trusted-root "$tmp/two.jsonl"
expect_out "format: JSON Lines, 2 trusted roots" "$AL_BIN" trust show --trusted-root "$tmp/two.jsonl"
got=$("$AL_BIN" trust show --json --trusted-root "$tmp/two.jsonl" | sha256sum | cut -d' ' -f1)
check "trust show --json gives JSON Lines back byte for byte" [ "$got" = "$(sha256sum <"$tmp/two.jsonl" | cut -d' ' -f1)" ]
{ head -1 "$tmp/two.jsonl"; echo '{"mediaType": 1}'; } >"$tmp/bad.jsonl"
expect_exit 4 "$AL_BIN" trust list --trusted-root "$tmp/bad.jsonl"
expect_err "line 2: trusted root: mediaType" "$AL_BIN" trust list --trusted-root "$tmp/bad.jsonl"
# a root's names are untrusted text: a control byte in a log URL's path is escaped
python3 - "$tmp/embedded.json" "$tmp/esc.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["tlogs"][0]["baseUrl"] = "https://rekor.sigstore.dev/\x1b[31mred"
open(sys.argv[2], "w").write(json.dumps(d))
PY
out=$("$AL_BIN" trust list --trusted-root "$tmp/esc.json")
if [ -n "$out" ] && ! grep -q $'\x1b' <<<"$out"; then pass; else fail "trust list printed a raw control byte"; fi
expect_out '\x1b[31mred' "$AL_BIN" trust list --trusted-root "$tmp/esc.json"

# --- version --limits prints every bound of limits.h
lim=$("$AL_BIN" version --limits)
nlim=0
for name in $(grep -oE '^#define (AL_[A-Z0-9_]+)[[:space:]]' "$AL_SRC/common/limits.h" | awk '{print $2}'); do
  case "$name" in AL_LIMITS_H|AL_LIMITS) continue ;; esac
  nlim=$((nlim + 1))
  if grep -qE "^limit $name +[0-9]+\$" <<<"$lim"; then pass; else fail "version --limits does not print $name"; fi
done
check "limits.h has its bounds ($nlim)" [ "$nlim" -ge 40 ]
check "limit AL_MAX_READ_BYTES is 256 GiB" grep -qE '^limit AL_MAX_READ_BYTES +274877906944$' <<<"$lim"
check "limit AL_MAX_EXPANSION is 1000" grep -qE '^limit AL_MAX_EXPANSION +1000$' <<<"$lim"

# --- a report that cannot be written is an error, never a silent 0
for args in "version" "--help" "version --limits" "digest $tmp/--help"; do
  # shellcheck disable=SC2086
  "$AL_BIN" $args >/dev/full 2>"$tmp/err"; rc=$?
  check "'$args' >/dev/full exits 2 (got $rc)" [ "$rc" = 2 ]
  check "'$args' >/dev/full says why" grep -q "cannot write the output to standard output" "$tmp/err"
  # shellcheck disable=SC2086
  "$AL_BIN" $args >&- 2>"$tmp/err"; rc=$?
  check "'$args' with stdout closed exits 2 (got $rc)" [ "$rc" = 2 ]
  check "'$args' with stdout closed says why" grep -q "standard output is closed" "$tmp/err"
done
"$AL_BIN" version <&- 2>&- >"$tmp/out"; rc=$?
check "stdin and stderr closed: still works (got $rc)" bash -c '[ "$1" = 0 ] && [ -s "$2" ]' _ "$rc" "$tmp/out"

# --- untrusted text reaches the terminal escaped, on one line
evil=$'evil\n  result: verified\nVERIFIED\e[2J\u202e\xff'
: >"$tmp/$evil"
out=$("$AL_BIN" digest "$tmp/$evil" 2>&1)
check "digest: hostile file name on one line" [ "$(wc -l <<<"$out")" = 1 ]
check "digest: name escaped" grep -qF 'evil\x0a  result: verified\x0aVERIFIED\x1b[2J\u{202E}\xff' <<<"$out"
check "digest: no raw ESC, RLO or invalid UTF-8" bash -c '! LC_ALL=C grep -qP "\x1b|\xe2\x80\xae|\xff" <<<"$1"' _ "$out"
out=$("$AL_BIN" verify-bundle --bundle "$tmp/b" --key "$tmp/no/$evil" --trusted-root "$tmp/t" -- "$tmp/--help" 2>&1 >/dev/null)
check "error message: one line ($out)" [ "$(wc -l <<<"$out")" = 1 ]
check "error message: no line says VERIFIED" bash -c '! grep -qx "VERIFIED" <<<"$1"' _ "$out"
check "error message: escaped" grep -qF '\x0aVERIFIED\x1b[2J\u{202E}\xff' <<<"$out"
out=$("$AL_BIN" verify "--$evil" 2>&1 >/dev/null)
check "unknown option: one escaped line" grep -qF "unknown option '--evil\x0a" <<<"$out"
check "unknown option: no line says VERIFIED" bash -c '! grep -qx "VERIFIED" <<<"$1"' _ "$out"

# --- --max-bytes: a positive byte count with an optional K/M/G/T suffix
for c in verify inspect; do
  for bad in 0 0K -1 1.5G 12Q K "" 18446744073709551616 16777216T; do
    expect_exit 2 "$AL_BIN" "$c" --max-bytes "$bad" "$tmp/x"
  done
  expect_err "--max-bytes '12Q': not a byte count" "$AL_BIN" "$c" --max-bytes 12Q "$tmp/x"
  expect_exit 2 "$AL_BIN" "$c" --max-bytes 1G --max-bytes 2G "$tmp/x"
  expect_exit 2 "$AL_BIN" "$c" "$tmp/x" --max-bytes
done

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

# --- with forged bundles: verify, inspect, FIFOs
forge="$AL_BUILD/bin/al-forge"
if [ -x "$forge" ] && "$forge" "$tmp/fg" >"$tmp/forge.log" 2>&1; then
  fg="$tmp/fg"; pub="$fg/trust/cosign.pub"; tr="$fg/trust/trusted_root.json"
  expect_exit 0 "$AL_BIN" verify "$fg/cases/key-sig" --key "$pub" --trusted-root "$tr"
  expect_exit 1 "$AL_BIN" verify "$fg/cases/tamper-layer-byte" --key "$pub" --trusted-root "$tr"
  # the old hole: a trailing -h / --help made a tampered bundle exit 0
  for h in -h --help; do
    expect_exit 2 "$AL_BIN" verify "$fg/cases/tamper-layer-byte" --key "$pub" --trusted-root "$tr" "$h"
    expect_exit 2 "$AL_BIN" inspect "$fg/cases/tamper-layer-byte" "$h"
  done
  # a tampered layout literally named --help is verified (and fails) after --
  mkdir "$tmp/w" && cp -r "$fg/cases/tamper-layer-byte" "$tmp/w/--help" && cp -r "$fg/cases/key-sig" "$tmp/w/-h"
  (cd "$tmp/w" && "$AL_BIN" verify --key "$pub" --trusted-root "$tr" -- --help >/dev/null 2>&1); rc=$?
  check "verify -- --help verifies the tampered layout named --help (exit $rc)" [ "$rc" = 1 ]
  (cd "$tmp/w" && "$AL_BIN" verify --key "$pub" --trusted-root "$tr" -- -h >/dev/null 2>&1); rc=$?
  check "verify -- -h verifies the good layout named -h (exit $rc)" [ "$rc" = 0 ]
  (cd "$tmp/w" && "$AL_BIN" inspect -- -h >/dev/null 2>&1); rc=$?
  check "inspect -- -h inspects the layout named -h (exit $rc)" [ "$rc" = 0 ]
  # new flags are accepted
  expect_exit 0 "$AL_BIN" verify --max-bytes 1G "$fg/cases/key-sig" --key "$pub" --trusted-root "$tr"
  expect_exit 0 "$AL_BIN" verify --strict --max-bytes 1048576 "$fg/cases/key-sig" --key "$pub" --trusted-root "$tr"
  expect_exit 0 "$AL_BIN" inspect --max-bytes 64M "$fg/archives/key-sig.tar"
  # a verified bundle whose report cannot be written is not a 0
  "$AL_BIN" verify "$fg/cases/key-sig" --key "$pub" --trusted-root "$tr" >/dev/full 2>"$tmp/err"; rc=$?
  check "verify >/dev/full exits 2 (got $rc)" [ "$rc" = 2 ]
  check "verify >/dev/full says why" grep -q "cannot write the output" "$tmp/err"
  "$AL_BIN" verify "$fg/cases/key-sig" --key "$pub" --trusted-root "$tr" >&- 2>/dev/null; rc=$?
  check "verify with stdout closed exits 2 (got $rc)" [ "$rc" = 2 ]
  "$AL_BIN" inspect "$fg/cases/key-sig" >/dev/full 2>/dev/null; rc=$?
  check "inspect >/dev/full exits 2 (got $rc)" [ "$rc" = 2 ]
  # inspect: hostile annotation and ref name values stay quoted on their line
  cp -r "$fg/cases/key-sig" "$tmp/hostile"
  python3 - "$tmp/hostile/index.json" <<'PY'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
d["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"] = "v1\n  result: verified\nVERIFIED\u001b[2J\u202e\"x"
d["manifests"][0]["annotations"]["note\u2066"] = "a\u0085b\\c"
open(p, "w").write(json.dumps(d))
PY
  out=$("$AL_BIN" inspect "$tmp/hostile" 2>&1); rc=$?
  check "inspect of hostile names runs (exit $rc)" [ "$rc" = 0 ]
  check "inspect: no line says VERIFIED" bash -c '! grep -qx "VERIFIED" <<<"$1"' _ "$out"
  check "inspect: ref name escaped" grep -qF '"v1\x0a  result: verified\x0aVERIFIED\x1b[2J\u{202E}\x22x"' <<<"$out"
  check "inspect: annotation escaped" grep -qF '"note\u{2066}" = "a\u{0085}b\\c"' <<<"$out"
  check "inspect: no raw ESC, RLO, LRI or NEL" bash -c '! LC_ALL=C grep -qP "\x1b|\xe2\x80\xae|\xe2\x81\xa6|\xc2\x85" <<<"$1"' _ "$out"
  # FIFOs (and devices) named as inputs are refused at once, never waited on
  mkfifo "$tmp/p"
  printf 'x' >"$tmp/art"
  fifo_case() { # fifo_case WHAT ARGS...
    local what=$1; shift
    local t0 t1 rc
    t0=$(date +%s%N)
    timeout 5 "$AL_BIN" "$@" >/dev/null 2>"$tmp/err"; rc=$?
    t1=$(date +%s%N)
    check "FIFO as $what: exit 2, got $rc ($(head -1 "$tmp/err"))" [ "$rc" = 2 ]
    check "FIFO as $what: refused in $(( (t1 - t0) / 1000000 )) ms" [ $(( (t1 - t0) / 1000000 )) -lt 1000 ]
    check "FIFO as $what: says so" grep -qE "FIFO|not a regular file" "$tmp/err"
  }
  fifo_case "--key (verify-bundle)" verify-bundle --bundle "$tmp/p" --key "$tmp/p" --trusted-root "$tr" "$tmp/art"
  fifo_case "--trusted-root (verify-bundle)" verify-bundle --bundle "$tmp/p" --key "$pub" --trusted-root "$tmp/p" "$tmp/art"
  fifo_case "--bundle" verify-bundle --bundle "$tmp/p" --key "$pub" --trusted-root "$tr" "$tmp/art"
  fifo_case "the artifact" verify-bundle --bundle "$tmp/p" --key "$pub" --trusted-root "$tr" "$tmp/p"
  fifo_case "--key (verify)" verify "$fg/cases/key-sig" --key "$tmp/p" --trusted-root "$tr"
  fifo_case "--trusted-root (verify)" verify "$fg/cases/key-sig" --key "$pub" --trusted-root "$tmp/p"
  fifo_case "--ca-roots (verify)" verify "$fg/cases/key-sig" --ca-roots "$tmp/p" --certificate-identity x --certificate-oidc-issuer y
  timeout 5 "$AL_BIN" verify "$fg/cases/key-sig" --key /dev/zero >/dev/null 2>"$tmp/err"; rc=$?
  check "device as --key: exit 2 (got $rc)" [ "$rc" = 2 ]
  check "device as --key: says so" grep -q "is a device" "$tmp/err"
else
  fail "the test forge did not run ($forge): $(tail -3 "$tmp/forge.log" 2>/dev/null)"
fi

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
  na "static-link checks (the sanitizer build is dynamic by design)"
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
  rc=$?
  # strace passes on the traced program's exit: it must have done its job
  check "airlock digest under strace exits 0 (got $rc)" [ "$rc" = 0 ]
  if [ -s "$tmp/strace.out" ]; then fail "airlock digest made network system calls: $(head -3 "$tmp/strace.out")"; else pass; fi
  if [ -d "${AL_SHARED:-/nonexistent}" ]; then
    c="$AL_SHARED/vectors/sigstore__sigstore-conformance/test/assets/bundle-verify/happy-path-v0.3"
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e signal=none -e trace=socket,connect,bind,sendto,sendmsg -o "$tmp/strace2.out" "$AL_BIN" verify-bundle \
      --bundle "$c/bundle.sigstore.json" --trusted-root "$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json" \
      --certificate-identity https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main \
      --certificate-oidc-issuer https://token.actions.githubusercontent.com "$c/../a.txt" >/dev/null 2>&1
    rc=$?
    check "airlock verify-bundle under strace verifies (exit $rc)" [ "$rc" = 0 ]
    if [ -s "$tmp/strace2.out" ]; then fail "airlock verify-bundle made network system calls"; else pass; fi
    d=$(ls -d "$AL_SHARED"/vectors/slsa-framework__slsa-verifier/cli/slsa-verifier/testdata/gha_generic_container/v1.10.0/container_workflow_dispatch)
    ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e signal=none -e trace=socket,connect,bind,sendto,sendmsg -o "$tmp/strace3.out" "$AL_BIN" verify "$d" \
      --trusted-root "$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json" \
      --certificate-identity-regexp '.*' --certificate-oidc-issuer https://token.actions.githubusercontent.com >/dev/null 2>&1
    rc=$?
    check "airlock verify under strace verifies (exit $rc)" [ "$rc" = 0 ]
    if [ -s "$tmp/strace3.out" ]; then fail "airlock verify made network system calls"; else pass; fi
  else
    skip "run-time network check of verify-bundle and verify: ../shared is absent"
  fi
else
  skip "strace is not installed or cannot trace here: run-time network check"
fi

finish
