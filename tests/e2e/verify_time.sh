#!/usr/bin/env bash
# Unsigned integrated times through the CLI: a bundle rejected because its
# Rekor key is retired in the trusted root must stay rejected (exit 1) when
# its SET is removed and its integratedTime moved into the retired key's
# window; the log key of an entry without SET is judged at the RFC 3161
# time, and without one the bundle fails. Twins pass (exit 0). The
# exhaustive per-window cases are in tests/unit/test_verify_time.c.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"
shared_or_skip "verify-bundle times" || finish
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cases="$AL_SHARED/vectors/sigstore__sigstore-conformance/test/assets/bundle-verify"
root="$AL_SHARED/vectors/sigstore__root-signing/targets/trusted_root.json"
c="$cases/managed-key-happy-path"
art="$cases/a.txt"
vb() { "$AL_BIN" verify-bundle --bundle "$@"; }

# retired.json: rekor.sigstore.dev's key retired a day before the entry;
# the bundles: SET removed, timestamp kept or removed, integratedTime moved
# two days back (inside the retired key's window)
python3 - "$root" "$c/bundle.sigstore.json" "$tmp" <<'PY'
import copy, datetime, json, sys
root, bundle, out = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
e = bundle["verificationMaterial"]["tlogEntries"][0]
it = int(e["integratedTime"])
def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
for t in root["tlogs"]:
    if t["baseUrl"] == "https://rekor.sigstore.dev":
        t["publicKey"]["validFor"]["end"] = rfc3339(it - 86400)
json.dump(root, open(out + "/retired.json", "w"))
def variant(name, keep_tsa, time):
    b = copy.deepcopy(bundle)
    x = b["verificationMaterial"]["tlogEntries"][0]
    del x["inclusionPromise"]
    if time is None:
        del x["integratedTime"]
    else:
        x["integratedTime"] = str(time)
    if not keep_tsa:
        del b["verificationMaterial"]["timestampVerificationData"]
    json.dump(b, open(out + "/" + name, "w"))
variant("noset.json", True, it)
variant("noset-moved.json", True, it - 2 * 86400)
variant("noset-notsa-moved.json", False, it - 2 * 86400)
variant("noset-notsa-absent.json", False, None)
PY

key=(--key "$c/key.pub")
# the bundle as signed, and the twin without SET (judged at the TSA time)
expect_exit 0 vb "$c/bundle.sigstore.json" --trusted-root "$root" "${key[@]}" "$art"
expect_exit 0 vb "$tmp/noset.json" --trusted-root "$root" "${key[@]}" "$art"
expect_out "RFC 3161 genTime" vb "$tmp/noset.json" --trusted-root "$root" "${key[@]}" "$art"

# rejected: the SET-verified time is after the key's retirement
expect_exit 1 vb "$c/bundle.sigstore.json" --trusted-root "$tmp/retired.json" "${key[@]}" "$art"
expect_err "SET-verified integratedTime" vb "$c/bundle.sigstore.json" --trusted-root "$tmp/retired.json" "${key[@]}" "$art"

# the attack: SET removed, integratedTime moved into the retired window
expect_exit 1 vb "$tmp/noset-moved.json" --trusted-root "$tmp/retired.json" "${key[@]}" "$art"
expect_err "not valid at the timestamped time" vb "$tmp/noset-moved.json" --trusted-root "$tmp/retired.json" "${key[@]}" "$art"
expect_exit 1 vb "$tmp/noset-notsa-moved.json" --trusted-root "$tmp/retired.json" "${key[@]}" "$art"
expect_err "needs a verified RFC 3161 timestamp" vb "$tmp/noset-notsa-moved.json" --trusted-root "$tmp/retired.json" "${key[@]}" "$art"
expect_exit 1 vb "$tmp/noset-notsa-absent.json" --trusted-root "$tmp/retired.json" "${key[@]}" "$art"
# without a signed time the key cannot be judged even when it is not retired
expect_exit 1 vb "$tmp/noset-notsa-absent.json" --trusted-root "$root" "${key[@]}" "$art"
expect_exit 1 vb "$tmp/noset-notsa-moved.json" --trusted-root "$root" "${key[@]}" "$art"
finish
