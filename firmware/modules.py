#!/usr/bin/env python3
"""firmware/modules.py — choose the appliance's kernel modules.

usage: modules.py MODDIR WANTED_LIST OUTDIR

MODDIR is the unpacked kernel package's lib/modules/<release>. WANTED_LIST
holds one module name per line ('#' comments): the block-device drivers the
appliance needs to see its media. The closure of their dependencies is
resolved from modules.dep when the package has one, else (Debian's kernel
package ships none: depmod makes it on installation) from each .ko's own
.modinfo section ("depends="), read here from the ELF file. Modules built
into the kernel (modules.builtin) need no file and are skipped.

Writes OUTDIR/*.ko (flat, uncompressed) and OUTDIR/load.list (file names in
load order, dependencies first) and prints the list.

Refuses (exit 1) when any chosen module, wanted or pulled in, is a network,
wireless or Bluetooth module: by its path (kernel/net, kernel/drivers/net,
kernel/drivers/bluetooth) or by a network alias (net-pf-*, netdev-*,
rtnl-*, …) or by its name. The appliance has no way onto a network.
"""
import lzma
import os
import shutil
import struct
import sys

NET_PATH_PREFIXES = ("kernel/net/", "kernel/drivers/net/", "kernel/drivers/bluetooth/",
                     "kernel/drivers/net/wireless/", "kernel/drivers/nfc/",
                     "kernel/drivers/infiniband/", "kernel/drivers/isdn/",
                     "kernel/drivers/atm/", "kernel/drivers/usb/net/",
                     "kernel/drivers/staging/")
NET_ALIAS_PREFIXES = ("net-pf-", "netdev-", "rtnl-", "net-proto-", "nf-", "ip6t", "ipt_",
                      "crypto-af-alg", "bt-proto-", "tcp-ulp-", "xfrm-")
# a backstop for modules outside those folders (virtio_net is under
# drivers/net, but a USB or PCI network driver could sit elsewhere)
NET_NAME_PARTS = ("80211", "wifi", "wlan", "wireless", "bluetooth", "wireguard", "vsock")
NET_NAME_PREFIXES = ("net", "eth", "virtio_net", "bt", "ppp", "tun", "af_", "ipv6", "nf_")


def die(msg):
    print("firmware: modules: error: " + msg, file=sys.stderr)
    sys.exit(1)


def norm(name):
    return name.replace("-", "_")


def modname_of(path):
    base = os.path.basename(path)
    for ext in (".ko.xz", ".ko.zst", ".ko.gz", ".ko"):
        if base.endswith(ext):
            return norm(base[: -len(ext)])
    return None


def read_ko(path):
    data = open(path, "rb").read()
    if path.endswith(".xz"):
        data = lzma.decompress(data)
    elif not path.endswith(".ko"):
        die(f"{path}: compression not supported here (only .ko and .ko.xz)")
    return data


def modinfo(data, path):
    """The key=value strings of the ELF64 .modinfo section."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        die(f"{path}: not a 64-bit little-endian ELF module")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

    def sh(i):
        off = shoff + i * shentsize
        name, _type, _flags, _addr, offset, size = struct.unpack_from("<IIQQQQ", data, off)
        return name, offset, size
    _, stroff, _ = sh(shstrndx)
    for i in range(shnum):
        name, offset, size = sh(i)
        end = data.index(b"\0", stroff + name)
        if data[stroff + name:end] == b".modinfo":
            info = {}
            for item in data[offset:offset + size].split(b"\0"):
                if b"=" in item:
                    k, v = item.split(b"=", 1)
                    info.setdefault(k.decode(), []).append(v.decode("utf-8", "replace"))
            return info
    die(f"{path}: no .modinfo section")


def is_network(rel, name, info):
    if rel.startswith(NET_PATH_PREFIXES):
        return f"it lives under {rel.rsplit('/', 1)[0]}/"
    for a in info.get("alias", []):
        if a.startswith(NET_ALIAS_PREFIXES):
            return f"its alias {a} is a network one"
    low = name.lower()
    for w in NET_NAME_PARTS:
        if w in low:
            return f"its name contains '{w}'"
    for w in NET_NAME_PREFIXES:
        if low.startswith(w):
            return f"its name begins '{w}'"
    return None


def main():
    if len(sys.argv) != 4:
        die("usage: modules.py MODDIR WANTED_LIST OUTDIR")
    moddir, wanted_list, outdir = sys.argv[1:]
    wanted = []
    for line in open(wanted_list):
        line = line.split("#", 1)[0].strip()
        if line:
            wanted.append(norm(line))

    builtin = set()
    bpath = os.path.join(moddir, "modules.builtin")
    if os.path.exists(bpath):
        for line in open(bpath):
            n = modname_of(line.strip())
            if n:
                builtin.add(n)

    files = {}  # name -> path relative to moddir
    for root, dirs, names in os.walk(moddir):
        dirs.sort()
        for n in sorted(names):
            m = modname_of(n)
            if m:
                rel = os.path.relpath(os.path.join(root, n), moddir)
                if m in files:
                    die(f"two files for module {m}: {files[m]} and {rel}")
                files[m] = rel

    deps = {}
    depfile = os.path.join(moddir, "modules.dep")
    if os.path.exists(depfile):
        for line in open(depfile):
            if ":" not in line:
                continue
            mod, rest = line.split(":", 1)
            deps[modname_of(mod)] = [modname_of(d) for d in rest.split()]
    infos = {}

    def info_of(m):
        if m not in infos:
            infos[m] = modinfo(read_ko(os.path.join(moddir, files[m])), files[m])
        return infos[m]

    def deps_of(m):
        if m in deps:
            return deps[m]
        d = []
        for v in info_of(m).get("depends", []):
            d += [norm(x) for x in v.split(",") if x]
        # "softdep=pre: a b post: c": a pre-dependency that names a module
        # file is loaded first (crc64-rocksoft's crc64); one that names a
        # crypto alias (crc-t10dif's crct10dif) is left out: those libraries
        # fall back to their generic code without it
        for v in info_of(m).get("softdep", []):
            pre = False
            for w in v.split():
                if w.endswith(":"):
                    pre = w == "pre:"
                elif pre and norm(w) in files:
                    d.append(norm(w))
        return d

    order, state, skipped = [], {}, []

    def visit(m, chain):
        if m in builtin and m not in files:
            if m not in skipped:
                skipped.append(m)
            return
        if m not in files:
            die(f"module {m} (needed by {' <- '.join(reversed(chain)) or 'the wanted list'}) "
                f"is neither a file under {moddir} nor built in")
        st = state.get(m)
        if st == "done":
            return
        if st == "visiting":
            die(f"dependency cycle: {' -> '.join(chain + [m])}")
        state[m] = "visiting"
        for d in sorted(set(deps_of(m))):
            visit(d, chain + [m])
        state[m] = "done"
        order.append(m)

    for m in wanted:
        visit(m, [])

    refused = []
    for m in order:
        why = is_network(files[m], m, info_of(m))
        if why:
            refused.append(f"{m} ({files[m]}): {why}")
    if refused:
        die("refusing to put network modules into the appliance (it must stay offline):\n  "
            + "\n  ".join(refused))

    os.makedirs(outdir, exist_ok=True)
    names = []
    for m in order:
        src = os.path.join(moddir, files[m])
        fname = os.path.basename(files[m])
        if fname.endswith(".xz"):
            fname = fname[:-3]
        if fname in names:
            die(f"two modules would be {fname} in the flat module folder")
        with open(os.path.join(outdir, fname), "wb") as f:
            f.write(read_ko(src))
        names.append(fname)
    with open(os.path.join(outdir, "load.list"), "w") as f:
        f.write("".join(n + "\n" for n in names))
    for m in skipped:
        print(f"firmware: module {m}: built into the kernel")
    for m in order:
        print(f"firmware: module {files[m]}")
    print(f"firmware: {len(order)} modules, in load order in load.list")


if __name__ == "__main__":
    main()
