#!/usr/bin/env bash
# The benchmark inputs of the test forge (al-forge --big and --many, which
# bench/run makes at 1 and 4 GiB and with 4,096 and 100,000 index entries),
# made small here: they verify as a directory, a .tar and a .tar.zst; the
# .tar is the layout (the same files, byte for byte) and the .tar.zst is the
# .tar; two runs are bit-identical; one changed layer byte fails; bad sizes
# and option mixes are usage errors. No timing is measured or asserted.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
forge="$AL_BUILD/bin/al-forge"
if [ ! -x "$forge" ]; then fail "the test forge was not built ($forge)"; finish; fi
for tool in python3 tar zstd; do
  command -v "$tool" >/dev/null || { fail "$tool is not installed (scripts/setup installs it)"; finish; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

verify() { # DIR PATH: airlock verify PATH with the arguments DIR/bench.tsv lists
  local args
  args=$(awk -F'\t' '!/^#/ { for (i = 6; i <= NF; i++) printf "%s\n", $i; exit }' "$1/bench.tsv")
  (cd "$1" && mapfile -t a <<<"$args" && "$AL_BIN" verify "$2" "${a[@]}")
}

# --- --big: 3 MiB in 3 layers, with archives
out=$("$forge" --big "$tmp/big" --size-mib 3 --layers 3 --archives 2>&1)
check "--big prints the verify arguments ($out)" [ "$out" = "$(printf -- '--key\ttrust/cosign.pub\t--trusted-root\ttrust/trusted_root.json')" ]
check "--big lists the layout and both archives" [ "$(grep -vc '^#' "$tmp/big/bench.tsv")" = 3 ]
n=0
for f in "$tmp"/big/layout/blobs/sha256/*; do
  [ "$(sha256sum "$f" | cut -c1-64)" = "$(basename "$f")" ] && n=$((n + 1))
done
check "every blob is named by its digest ($n of $(ls "$tmp/big/layout/blobs/sha256" | wc -l))" \
  [ "$n" = "$(ls "$tmp/big/layout/blobs/sha256" | wc -l)" ]
check "three layers of exactly 1 MiB" [ "$(find "$tmp/big/layout/blobs" -type f -size 1048576c | wc -l)" = 3 ]
mkdir "$tmp/x" && tar -xf "$tmp/big/layout.tar" -C "$tmp/x"
check "the .tar holds the layout's files" diff -r "$tmp/big/layout" "$tmp/x"
check "the .tar.zst is the .tar" cmp -s <(zstd -dc "$tmp/big/layout.tar.zst") "$tmp/big/layout.tar"
for p in layout layout.tar layout.tar.zst; do
  expect_exit 0 verify "$tmp/big" "$p"
done
"$forge" --big "$tmp/big2" --size-mib 3 --layers 3 --archives >/dev/null 2>&1
check "two --big runs are bit-identical" diff -r "$tmp/big" "$tmp/big2"
"$forge" --big "$tmp/big2" --size-mib 3 --layers 3 >/dev/null 2>&1
check "--big without --archives leaves no archives" bash -c '[ ! -e "$1" ] && [ ! -e "$2" ]' _ "$tmp/big2/layout.tar" "$tmp/big2/layout.tar.zst"
layer=$(find "$tmp/big2/layout/blobs" -type f -size 1048576c | sort | head -1)
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(700000); b = f.read(1); f.seek(700000); f.write(bytes([b[0] ^ 1]))' "$layer"
expect_exit 1 verify "$tmp/big2" layout

# --- --many: index.json of 2 x 5 entries, each image key-signed
"$forge" --many "$tmp/many" --images 5 >/dev/null 2>&1
check "--many: index.json lists 10 entries" \
  [ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["manifests"]))' "$tmp/many/layout/index.json")" = 10 ]
expect_out "summary: 5 images" verify "$tmp/many" layout
expect_exit 0 verify "$tmp/many" layout

# --- usage
expect_exit 2 "$forge" --big "$tmp/u" --size-mib 1 --layers 3       # 1 MiB is not 3 whole layers of blocks
expect_exit 2 "$forge" --big "$tmp/u" --size-mib 1                   # no --layers
expect_exit 2 "$forge" --big "$tmp/u" --layers 2 --size-mib 0
expect_exit 2 "$forge" --many "$tmp/u" --images 2 --archives
expect_exit 2 "$forge" --many "$tmp/u" --big --images 2
expect_exit 2 "$forge" "$tmp/u" --images 2
finish
