# tests/firmware/selftest.sh — boot.sh --self-test (sourced by boot.sh).
#
# Builds, in a temporary folder: the forge's demo bundles, a policy that
# requires the forge's cosign key, an ECDSA P-256 VSA key, and the firmware
# with them (twice: the two SHA256SUMS must be byte-identical). Then boots,
# directly: a good medium (PASS), a tampered one, one with a smuggled
# unsigned image and an empty one (each FAIL); the good medium with a blank
# evidence medium, whose report.json and VSA are then checked with
# 'airlock verify-vsa'; and the disk image under SeaBIOS and under OVMF
# (PASS each). Then the buses (PASS each, and the serial log must name the
# device and form): the good bundles as an ISO 9660 medium (media create
# --iso) on virtio, the good tar medium as a USB stick (xHCI; usb-storage,
# then UAS) and as a SATA disk (AHCI), the ISO on an ATAPI CD (sr0); and two
# good media at once, which must FAIL with "N delivery media (...): insert
# only one". Each boot's time is reported against the 60 s target (a measurement: over it is noted, not failed; no verdict within boot.sh's timeout fails).
#
# Exit: 0 all held, 1 something did not, 77 skipped: qemu-system-x86_64 is
# not installed (scripts/setup installs it, so under AL_TEST_STRICT=1 that
# is a failure).

self_test() {
  local nfail=0 npass=0 limit=60
  local -a over=()
  # ctest passes AL_BIN and AL_BUILD (tests/CMakeLists.txt)
  local airlock=${AL_BIN:-$top/build/bin/airlock} forge=${AL_BUILD:-$top/build}/bin/al-forge
  st_pass() { npass=$((npass + 1)); echo "self-test: ok: $*"; }
  st_fail() { nfail=$((nfail + 1)); echo "self-test: FAIL: $*" >&2; }

  if ! command -v qemu-system-x86_64 >/dev/null; then
    if [ "${AL_TEST_STRICT:-0}" = 1 ]; then
      echo "self-test: FAIL: qemu-system-x86_64 is not installed (scripts/setup installs it) and AL_TEST_STRICT=1" >&2
      return 1
    fi
    echo "*** SKIPPED: firmware self-test: qemu-system-x86_64 is not installed (run scripts/setup) ***" >&2
    return 77
  fi
  for t in "$airlock" "$forge"; do
    [ -x "$t" ] || { echo "self-test: FAIL: $t is missing: scripts/build release" >&2; return 1; }
  done
  for t in openssl tar python3; do
    command -v "$t" >/dev/null || { echo "self-test: FAIL: $t is not installed" >&2; return 1; }
  done
  if ! "$airlock" media create --help >/dev/null 2>&1; then
    echo "self-test: FAIL: this airlock has no 'media create' command ($airlock media create --help fails)" >&2
    return 1
  fi

  local T
  T=$(mktemp -d "${TMPDIR:-/tmp}/airlock-fw-selftest.XXXXXX")
  # kept for a look with AL_KEEP_TMP=1; self_test's return ends boot.sh
  # shellcheck disable=SC2064
  [ "${AL_KEEP_TMP:-0}" = 1 ] || trap "rm -rf '$T'" EXIT
  echo "self-test: working in $T"

  # -- inputs: forge bundles, a policy requiring the forge key, a VSA key
  "$forge" --demo "$T/demo" >"$T/forge.log" 2>&1 || { cat "$T/forge.log" >&2; st_fail "al-forge --demo"; return 1; }
  mkdir -p "$T/policy"
  cp "$T/demo/trust/cosign.pub" "$T/policy/forge-cosign.pub"
  cat >"$T/policy/forge.json" <<'EOF'
{
  "version": 1,
  "rules": [],
  "default": { "name": "forge-release",
               "authorities": [ { "name": "forge-cosign-key", "key": { "path": "forge-cosign.pub" } } ] }
}
EOF
  if "$airlock" policy check "$T/policy/forge.json" >/dev/null; then st_pass "policy check"; else st_fail "airlock policy check of the self-test policy"; return 1; fi
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/vsa.key" 2>/dev/null \
    && openssl pkey -in "$T/vsa.key" -pubout -out "$T/vsa.pub" 2>/dev/null || { st_fail "openssl: VSA key"; return 1; }

  # -- the firmware, twice
  openssl genpkey -algorithm ed25519 -out "$T/site.key" 2>/dev/null \
    && openssl pkey -in "$T/site.key" -pubout -out "$T/site.pub" 2>/dev/null || { st_fail "openssl: signing key"; return 1; }
  local fwargs=(--policy "$T/policy/forge.json" --trusted-root "$T/demo/trust/trusted_root.json"
                --vsa-key "$T/vsa.key" --config medium-wait=15 --airlock "$airlock" --sign-key "$T/site.key")
  local b0 b1 build_s
  b0=$(date +%s.%N)
  if ! nice "$top/scripts/firmware" "${fwargs[@]}" --out "$T/fw" >"$T/fw.log" 2>&1; then
    cat "$T/fw.log" >&2; st_fail "scripts/firmware"; return 1
  fi
  b1=$(date +%s.%N)
  build_s=$(python3 -c "print(f'{$b1 - $b0:.1f}')")
  grep -E 'firmware: (module |[a-z.-]+ +[0-9]+ bytes)' "$T/fw.log" | sed 's/^/self-test: /'
  nice "$top/scripts/firmware" "${fwargs[@]}" --out "$T/fw2" >"$T/fw2.log" 2>&1 || { cat "$T/fw2.log" >&2; st_fail "scripts/firmware (second build)"; }
  if cmp -s "$T/fw/SHA256SUMS" "$T/fw2/SHA256SUMS"; then
    st_pass "reproducible: two builds have identical SHA256SUMS"
  else
    st_fail "two builds differ:"; diff "$T/fw/SHA256SUMS" "$T/fw2/SHA256SUMS" >&2
  fi
  (cd "$T/fw" && sha256sum -c --quiet SHA256SUMS) && st_pass "SHA256SUMS matches the outputs" || st_fail "SHA256SUMS does not match the outputs"
  # -- the signed SHA256SUMS (docs/appliance.md §8): the site's key, an empty trusted root
  echo '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[],"certificateAuthorities":[],"ctlogs":[],"timestampAuthorities":[]}' >"$T/no-log-root.json"
  if cmp -s "$T/fw/SHA256SUMS.sigstore.json" "$T/fw2/SHA256SUMS.sigstore.json" &&
     "$airlock" verify-bundle --key "$T/site.pub" --bundle "$T/fw/SHA256SUMS.sigstore.json" \
       --trusted-root "$T/no-log-root.json" --insecure-ignore-tlog "$T/fw/SHA256SUMS" >"$T/sig.out" 2>&1; then
    st_pass "the signed SHA256SUMS verifies with the site key (and both builds signed it alike)"
  else
    sed 's/^/  | /' "$T/sig.out"; st_fail "the firmware's SHA256SUMS.sigstore.json does not verify"
  fi
  sed 's/^\([0-9a-f]\)/0\1/' "$T/fw/SHA256SUMS" >"$T/SHA256SUMS.altered"
  if "$airlock" verify-bundle --key "$T/site.pub" --bundle "$T/fw/SHA256SUMS.sigstore.json" \
       --trusted-root "$T/no-log-root.json" --insecure-ignore-tlog "$T/SHA256SUMS.altered" >/dev/null 2>&1; then
    st_fail "an altered SHA256SUMS verifies against the firmware's signature"
  else
    st_pass "an altered SHA256SUMS is refused"
  fi
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["spdxVersion"]=="SPDX-2.3" and d["packages"]' \
    "$T/fw/sbom.spdx.json" && st_pass "sbom.spdx.json is SPDX 2.3" || st_fail "sbom.spdx.json"
  # the initramfs: /init is airlock, stripped, and no build path is in it
  mkdir -p "$T/initrd" && (cd "$T/initrd" && gzip -dc "$T/fw/initramfs.img" | cpio -idm --quiet 2>/dev/null)
  if [ -f "$T/initrd/init" ] && ! strings -a "$T/initrd/init" | grep -qF "$top"; then
    st_pass "/init holds no build path"
  else
    st_fail "/init is missing or holds the build path $top"
  fi
  rm -rf "$T/fw2" "$T/initrd"

  # -- media
  local m
  "$airlock" media create "$T/demo/signed.tar.gz" --out "$T/good.img" >/dev/null 2>"$T/media.err" || { cat "$T/media.err" >&2; st_fail "media create (good)"; return 1; }
  # tampered and smuggled are OCI layout folders: a medium from the folder,
  # or (if media create takes archives only) from a tar of it
  for m in tampered smuggled; do
    if ! "$airlock" media create "$T/demo/$m" --out "$T/$m.img" >/dev/null 2>"$T/media.err"; then
      echo "self-test: media create refused the folder $m ($(head -1 "$T/media.err")); using a tar of it"
      tar --sort=name --owner=0 --group=0 --numeric-owner -cf "$T/$m.tar" -C "$T/demo/$m" . \
        && "$airlock" media create "$T/$m.tar" --out "$T/$m.img" >/dev/null 2>"$T/media.err" \
        || { cat "$T/media.err" >&2; st_fail "media create ($m)"; return 1; }
    fi
  done
  "$airlock" media create "$T/demo/signed.tar.gz" --out "$T/good.iso" --iso >/dev/null 2>"$T/media.err" || { cat "$T/media.err" >&2; st_fail "media create --iso (good)"; return 1; }
  truncate -s 4M "$T/empty.img"
  "$airlock" media create --evidence --out "$T/ev.img" --size 16M >/dev/null 2>"$T/media.err" || { cat "$T/media.err" >&2; st_fail "media create --evidence"; return 1; }

  # -- boots
  local times=() name want got
  run_boot() { # NAME WANT ARGS... — one boot, its verdict and time checked
    name=$1 want=$2; shift 2
    echo "self-test: === boot: $name (want $want) ==="
    boot_one "$@" --log "$T/$name.serial" >"$T/$name.out" 2>&1
    got=$?
    sed 's/^/  | /' "$T/$name.out"
    local w; case "$got" in 0) w=PASS ;; 1) w=FAIL ;; *) w="NO VERDICT" ;; esac
    times+=("$(printf '%-24s %-10s %6s s' "$name" "$w" "$BOOT_SECONDS")")
    if [ "$w" = "$want" ]; then st_pass "$name: $BOOT_VERDICT"; else st_fail "$name: wanted $want, got $BOOT_VERDICT"; fi
    # the 60 s target is a measurement, reported, not a test: ctest runs
    # this beside other suites on 2 cores, where TCG boots slow down; a
    # boot with no verdict within boot.sh's timeout still fails above
    if ! python3 -c "import sys; sys.exit(0 if $BOOT_SECONDS < $limit else 1)"; then
      over+=("$name"); echo "self-test: note: $name took $BOOT_SECONDS s, over the $limit s target (machine load?)"
    fi
  }
  run_boot good PASS "$T/fw" "$T/good.img"
  run_boot tampered FAIL "$T/fw" "$T/tampered.img"
  run_boot smuggled FAIL "$T/fw" "$T/smuggled.img"
  run_boot empty FAIL "$T/fw" "$T/empty.img"
  run_boot good+evidence PASS "$T/fw" "$T/good.img" --evidence "$T/ev.img"
  run_boot disk-seabios PASS "$T/fw" "$T/good.img" --disk
  run_boot disk-uefi PASS "$T/fw/airlock-appliance.img" "$T/good.img" --uefi
  # the buses a medium arrives on: the appliance must have found it there,
  # and read it in the right form
  serial_has() { # NAME ERE WHAT — the boot's serial log has a line matching ERE
    if tr -d '\r' <"$T/$1.serial" | grep -Eq "$2"; then st_pass "$1: $3"; else st_fail "$1: $3: no line matches /$2/ in the serial log"; fi
  }
  run_boot iso-virtio PASS "$T/fw" "$T/good.iso"
  serial_has iso-virtio '^medium /dev/vda: an airlock delivery medium \(iso9660\)$' "read /dev/vda as ISO 9660"
  run_boot usb-storage PASS "$T/fw" "$T/good.img" --bus usb
  serial_has usb-storage '^delivery medium: /dev/sd[a-z]$' "the medium is the USB disk (/dev/sdX)"
  run_boot usb-uas PASS "$T/fw" "$T/good.img" --bus uas
  serial_has usb-uas '^delivery medium: /dev/sd[a-z]$' "the medium is the UAS disk (/dev/sdX)"
  run_boot ahci PASS "$T/fw" "$T/good.img" --bus ahci
  serial_has ahci '^delivery medium: /dev/sd[a-z]$' "the medium is the SATA disk (/dev/sdX)"
  run_boot cd-iso PASS "$T/fw" "$T/good.iso" --bus cd
  serial_has cd-iso '^medium /dev/sr0: an airlock delivery medium \(iso9660\)$' "read the CD /dev/sr0 as ISO 9660"
  run_boot two-media FAIL "$T/fw" "$T/good.img" --medium2 "$T/good.iso"
  if grep -Eq '^AIRLOCK VERDICT: FAIL \(2 delivery media \((/dev/vda, /dev/vdb|/dev/vdb, /dev/vda)\): insert only one\)$' <<<"$BOOT_VERDICT"; then
    st_pass "two-media: the reason names both media and says insert only one"
  else
    st_fail "two-media: wanted 'FAIL (2 delivery media (/dev/vda, /dev/vdb): insert only one)', got '$BOOT_VERDICT'"
  fi

  # a second delivery medium on USB, which the kernel reports about a second
  # after the first, with an evidence medium present: still two media
  "$airlock" media create --evidence --out "$T/ev2.img" --size 16M >/dev/null 2>&1 || st_fail "media create --evidence (2)"
  run_boot two-media-usb FAIL "$T/fw" "$T/good.img" --medium2 "$T/good.img" --bus2 usb --evidence "$T/ev2.img"
  if grep -Eq '^AIRLOCK VERDICT: FAIL \(2 delivery media \(.*\): insert only one\)$' <<<"$BOOT_VERDICT"; then
    st_pass "two-media-usb: a late USB medium is seen though the evidence medium was found at once"
  else
    st_fail "two-media-usb: wanted 'FAIL (2 delivery media (...): insert only one)', got '$BOOT_VERDICT'"
  fi

  # -- the evidence: a report and a VSA that verify-vsa accepts
  local listing vsa hex
  listing=$(tar -tf "$T/ev.img" 2>/dev/null)
  echo "self-test: evidence medium holds:"; sed 's/^/  | /' <<<"$listing"
  if grep -q 'report\.json$' <<<"$listing"; then st_pass "evidence: report.json"; else st_fail "evidence: no report.json"; fi
  vsa=$(grep -E '[0-9a-f]{64}\.vsa\.(dsse|sigstore)\.json$' <<<"$listing" | head -1)
  if [ -z "$vsa" ]; then
    st_fail "evidence: no VSA (<hex>.vsa.dsse.json)"
  else
    mkdir -p "$T/ev" && tar -xf "$T/ev.img" -C "$T/ev" "$vsa" 2>/dev/null
    hex=$(basename "$vsa" | cut -c1-64)
    if "$airlock" verify-vsa --vsa "$T/ev/$vsa" --key "$T/vsa.pub" --subject-digest "sha256:$hex" >"$T/vsa.out" 2>&1; then
      st_pass "evidence: airlock verify-vsa accepts $vsa"
    else
      sed 's/^/  | /' "$T/vsa.out"; st_fail "evidence: airlock verify-vsa refuses $vsa"
    fi
  fi

  echo "self-test: firmware build: $build_s s"
  echo "self-test: boot times (target $limit s, $(accel_args | awk '{print $2}')):"
  printf 'self-test:   %s\n' "${times[@]}"
  echo "self-test: boots over the $limit s target: ${#over[@]}${over[*]:+ (${over[*]})}"
  echo "self-test: $npass passed, $nfail failed"
  [ "$nfail" = 0 ]
}
