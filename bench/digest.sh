#!/usr/bin/env bash
# bench/digest.sh — SHA-256 of one large file: airlock vs openssl vs sha256sum.
#
# Creates a random file under bench/work/ (gitignored; kept between runs),
# reads it once to warm the page cache, then runs the three tools
# interleaved ROUNDS times (so drift in machine load hits all of them
# alike), checks that they agree on the digest, and prints the median wall
# time of each, the throughput, and the ratio airlock/openssl (target:
# <= 1.25).
#
# usage: bench/digest.sh [SIZE_MIB [ROUNDS]]      (defaults: 512, 7)
#   AIRLOCK=path   the binary to measure (default: build/bin/airlock)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
size_mib=${1:-512}
rounds=${2:-7}
airlock=${AIRLOCK:-$root/build/bin/airlock}
work=$here/work
file=$work/random-${size_mib}m.bin

die() { echo "digest.sh: $*" >&2; exit 2; }
[[ $size_mib =~ ^[0-9]+$ && $size_mib -gt 0 ]] || die "SIZE_MIB must be a positive integer"
[[ $rounds =~ ^[0-9]+$ && $rounds -ge 5 ]] || die "ROUNDS must be >= 5"
[[ -x $airlock ]] || die "$airlock not built (cmake --build build, or set AIRLOCK=)"
command -v openssl >/dev/null || die "openssl not found"
command -v sha256sum >/dev/null || die "sha256sum not found"

mkdir -p "$work"
want=$((size_mib * 1048576))
if [[ ! -f $file || $(stat -c %s "$file") -ne $want ]]; then
	echo "creating $file ($size_mib MiB of random data)"
	head -c "$want" /dev/urandom >"$file.tmp"
	mv "$file.tmp" "$file"
fi
# warm the page cache: every tool then hashes from memory
cat "$file" >/dev/null

# seconds (wall, nanosecond clock) of one run; the digest goes to $2
run() {
	local out=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	"$@" >"$out"
	t1=$(date +%s%N)
	echo $(( t1 - t0 ))
}

declare -a t_air t_ossl t_sum
for ((i = 0; i < rounds; i++)); do
	t_air+=("$(run air "$work/out.air" "$airlock" digest "$file")")
	t_ossl+=("$(run ossl "$work/out.ossl" openssl dgst -sha256 -r "$file")")
	t_sum+=("$(run sum "$work/out.sum" sha256sum "$file")")
done

d_air=$(sed -n 's/^sha256:\([0-9a-f]\{64\}\) .*/\1/p' "$work/out.air")
d_ossl=$(cut -c1-64 "$work/out.ossl")
d_sum=$(cut -c1-64 "$work/out.sum")
rm -f "$work/out.air" "$work/out.ossl" "$work/out.sum"
[[ -n $d_air && $d_air == "$d_ossl" && $d_air == "$d_sum" ]] ||
	die "digests disagree: airlock=$d_air openssl=$d_ossl sha256sum=$d_sum"

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
m_air=$(median "${t_air[@]}")
m_ossl=$(median "${t_ossl[@]}")
m_sum=$(median "${t_sum[@]}")

report() { awk -v n="$2" -v mib="$size_mib" -v name="$1" \
	'BEGIN { printf "%-10s median %7.3f s  %7.0f MiB/s\n", name, n / 1e9, mib / (n / 1e9) }'; }
echo "SHA-256 of $size_mib MiB, page cache warm, $rounds interleaved rounds"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "airlock SHA-NI: $("$airlock" version 2>/dev/null | grep -i -m1 'sha' || echo unknown)"
echo "digest: $d_air"
report airlock "$m_air"
report openssl "$m_ossl"
report sha256sum "$m_sum"
awk -v a="$m_air" -v o="$m_ossl" -v s="$m_sum" 'BEGIN {
	r = a / o
	printf "ratio airlock/openssl   %.3f  (target <= 1.25: %s)\n", r, r <= 1.25 ? "met" : "NOT met"
	printf "ratio airlock/sha256sum %.3f\n", a / s
	exit r <= 1.25 ? 0 : 1
}'
