#!/usr/bin/env bash
# The progress display of `airlock verify` (cli/progress.c): on a terminal
# (a pty), one line redrawn with '\r' that shows what was read and the entry
# at hand, whose name from the archive arrives escaped (no raw control or
# bidi character reaches the terminal); nothing at all on a stderr that is
# not a terminal, or with --quiet. The bundle arrives slowly on stdin, so
# the display has time to appear.
set -u
. "$AL_SRC/tests/util/e2e_lib.sh"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
openssl ecparam -genkey -name prime256v1 -noout -out "$tmp/k.pem" 2>/dev/null &&
  openssl ec -in "$tmp/k.pem" -pubout -out "$tmp/pub.pem" 2>/dev/null
check "a P-256 key for the policy" [ -s "$tmp/pub.pem" ]

# run MODE [airlock args...]: MODE tty (stderr on a pty) or pipe; prints
# stderr as airlock wrote it, the exit status on the last line
run() {
  python3 - "$@" <<'EOF'
import fcntl, os, pty, struct, subprocess, sys, termios, time
mode, args = sys.argv[1], sys.argv[2:]
# C1 CSI and RIGHT-TO-LEFT OVERRIDE: valid UTF-8 that a terminal obeys
name = ("blobs/sha256/\u009b31m\u202eevil").encode()
size = 6 << 20
def header(name, size):
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"; h[108:116] = b"0000000\0"; h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size; h[136:148] = b"%011o\0" % 1700000000
    h[156:157] = b"0"; h[257:265] = b"ustar\x0000"
    h[329:337] = b"0000000\0"; h[337:345] = b"0000000\0"
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)
if mode == "tty":
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))
    err = slave
else:
    master, err = os.pipe()
p = subprocess.Popen([os.environ["AL_BIN"], "verify"] + args + ["-"], stdin=subprocess.PIPE,
                     stdout=subprocess.DEVNULL, stderr=err)
os.close(err)
out = bytearray()
import threading
def reader():
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        out.extend(b)
t = threading.Thread(target=reader); t.start()
try:
    p.stdin.write(header(name, size))
    chunk = bytes(1 << 20)
    for _ in range(size >> 20):
        p.stdin.write(chunk); p.stdin.flush()
        time.sleep(0.3)
    p.stdin.write(bytes(1024))
    p.stdin.close()
except BrokenPipeError:
    pass
rc = p.wait()
t.join(5)
sys.stdout.buffer.write(bytes(out))
sys.stdout.write("\nexit %d\n" % rc)
EOF
}

run tty --key "$tmp/pub.pem" >"$tmp/tty.out"
check "a terminal gets the display (airlock: read ...)" grep -qF "airlock: read " "$tmp/tty.out"
check "redrawn in place with \\r" grep -q $'\r''airlock: read ' "$tmp/tty.out"
check "the entry's name, escaped" grep -qF 'blobs/sha256/\u{009B}31m\u{202E}evil' "$tmp/tty.out"
check "the run still ends as it would (not a bundle: exit 1)" grep -qx "exit 1" "$tmp/tty.out"
# no byte reaches the terminal that could move the cursor or reorder text:
# controls other than \r and \n (the pty adds \r to \n), C1 in UTF-8, bidi overrides
python3 - "$tmp/tty.out" <<'EOF' && pass || fail "a raw control or hidden character reached the terminal"
import sys
b = open(sys.argv[1], "rb").read()
bad = [c for c in b if c < 0x20 and c not in (0x0a, 0x0d)] + [c for c in b if c == 0x7f]
t = b.decode("utf-8", "strict")
bad += [ch for ch in t if 0x80 <= ord(ch) <= 0x9f or 0x202a <= ord(ch) <= 0x202e or 0x2066 <= ord(ch) <= 0x2069]
sys.exit(1 if bad else 0)
EOF

run pipe --key "$tmp/pub.pem" >"$tmp/pipe.out"
check "a stderr that is no terminal gets no display" bash -c "! grep -qF 'airlock: read ' '$tmp/pipe.out'"
check "... and no \\r" bash -c "! grep -q $'\r' '$tmp/pipe.out'"
check "... and the diagnostic as before" grep -qF "not an image bundle" "$tmp/pipe.out"
# exactly the diagnostic line (and the harness's own "exit" line after an empty one)
check "... and nothing else ($(wc -l <"$tmp/pipe.out") lines)" [ "$(grep -c . "$tmp/pipe.out")" = 2 ]

for q in --quiet -q; do
  run tty "$q" --key "$tmp/pub.pem" >"$tmp/quiet.out"
  check "$q: no display on a terminal" bash -c "! grep -qF 'airlock: read ' '$tmp/quiet.out'"
  check "$q: the diagnostic as before" grep -qF "not an image bundle" "$tmp/quiet.out"
done

# -j: threads that hash, 1..AL_MAX_THREADS
expect_exit 2 "$AL_BIN" verify -j 0 --key "$tmp/pub.pem" "$tmp"
expect_exit 2 "$AL_BIN" verify -j -1 --key "$tmp/pub.pem" "$tmp"
expect_exit 2 "$AL_BIN" verify -j 1x --key "$tmp/pub.pem" "$tmp"
expect_exit 2 "$AL_BIN" verify -j 100000 --key "$tmp/pub.pem" "$tmp"
expect_err "expected a number of threads" "$AL_BIN" verify --jobs ' 2' --key "$tmp/pub.pem" "$tmp"
expect_out "-j, --jobs N" "$AL_BIN" verify --help
expect_out "-q, --quiet" "$AL_BIN" verify --help

finish
