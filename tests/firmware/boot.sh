#!/usr/bin/env bash
# tests/firmware/boot.sh — boot the airlock appliance under qemu with a
# delivery medium and report its verdict.
#
#   boot.sh IMAGE MEDIUM [--bus virtio|usb|uas|ahci|cd] [--medium2 IMG [--bus2 BUS]]
#           [--evidence EVIMG] [--disk | --kernel DIR] [--uefi]
#           [--timeout S] [--append ARGS] [--log FILE]
#   boot.sh --self-test
#
# IMAGE is the firmware's output folder (build/firmware) or its disk image
# (airlock-appliance.img). A folder boots its vmlinuz and initramfs.img
# directly (qemu -kernel/-initrd: the fastest), unless --disk, which boots
# the folder's airlock-appliance.img through the firmware and GRUB. A disk
# image boots that way; --kernel DIR boots DIR's kernel instead. Disk boots
# use SeaBIOS, or OVMF with --uefi.
#
# MEDIUM is attached on --bus: virtio (the default: a read-only virtio-blk
# disk), usb (a read-only USB mass-storage stick, Bulk-Only, behind an xHCI
# controller), uas (the same stick as USB Attached SCSI: usb-uas +
# scsi-hd), ahci (a SATA disk on an AHCI controller; qemu's ide-hd takes no
# read-only drive, so it is snapshot=on: the image file is never written)
# or cd (a read-only ATAPI CD-ROM on the AHCI controller, for an --iso
# medium). --medium2 attaches a second medium on --bus2 (default: --bus),
# as when two delivery media are inserted. EVIMG (if given) is a writable
# virtio disk. No network device exists (-nic none, -nodefaults); KVM is
# used when /dev/kvm is usable, else TCG. The serial console goes to a log
# (printed afterwards); --append adds kernel arguments (direct boot only,
# e.g. airlock.policy=NAME).
#
# Exit status: 0 the last "AIRLOCK VERDICT:" line is PASS, 1 it is FAIL,
# 2 no verdict within the timeout (default 120 s; qemu is killed),
# 3 usage error or a missing input or tool.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# the command line scripts/firmware gives the kernel (grub.cfg)
CMDLINE="console=tty0 console=ttyS0,115200 quiet loglevel=3 panic=10 ipv6.disable=1"

usage() { sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 3; }
err() { printf 'boot.sh: error: %s\n' "$*" >&2; exit 3; }

# accel_args: KVM when this user can open /dev/kvm, else TCG
accel_args() {
  if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ "${AL_BOOT_NO_KVM:-0}" != 1 ]; then
    echo "-accel kvm -cpu host"
  else
    echo "-accel tcg"
  fi
}

# boot_one IMAGE MEDIUM [options] — the whole of the non-self-test mode;
# sets BOOT_VERDICT and BOOT_SECONDS, returns the exit status above
boot_one() {
  local image="" medium="" evidence="" mode="" kdir="" uefi=0 timeout=120 append="" log=""
  local bus=virtio medium2="" bus2=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --bus) bus=$2; shift 2 ;;
      --medium2) medium2=$2; shift 2 ;;
      --bus2) bus2=$2; shift 2 ;;
      --evidence) evidence=$2; shift 2 ;;
      --disk) mode=disk; shift ;;
      --kernel) mode=kernel; kdir=$2; shift 2 ;;
      --uefi) uefi=1; shift ;;
      --timeout) timeout=$2; shift 2 ;;
      --append) append=$2; shift 2 ;;
      --log) log=$2; shift 2 ;;
      -*) err "unknown option $1" ;;
      *) if [ -z "$image" ]; then image=$1; elif [ -z "$medium" ]; then medium=$1; else err "too many arguments"; fi; shift ;;
    esac
  done
  [ -n "$image" ] && [ -n "$medium" ] || usage
  [[ "$timeout" =~ ^[0-9]+$ ]] || err "--timeout $timeout: seconds"
  [ -f "$medium" ] || err "$medium: no such medium image"
  bus2=${bus2:-$bus}
  local b
  for b in "$bus" "$bus2"; do
    case "$b" in virtio|usb|uas|ahci|cd) ;; *) err "--bus $b: virtio, usb, uas, ahci or cd" ;; esac
  done
  [ -z "$medium2" ] || [ -f "$medium2" ] || err "$medium2: no such medium image"
  [ -z "$evidence" ] || [ -f "$evidence" ] || err "$evidence: no such evidence image"
  command -v qemu-system-x86_64 >/dev/null || err "qemu-system-x86_64 is not installed (scripts/setup installs it)"

  local disk=""
  if [ -d "$image" ]; then
    if [ "$mode" = disk ]; then disk=$image/airlock-appliance.img; else mode=kernel; kdir=${kdir:-$image}; fi
  else
    [ "$mode" = kernel ] || { mode=disk; disk=$image; }
  fi
  local qemu=(qemu-system-x86_64 $(accel_args) -m 512 -smp 1 -nodefaults -display none -no-reboot -nic none)
  if [ "$mode" = kernel ]; then
    [ -f "$kdir/vmlinuz" ] && [ -f "$kdir/initramfs.img" ] || err "$kdir has no vmlinuz and initramfs.img"
    [ "$uefi" = 0 ] || err "--uefi boots the disk image; it does not go with a direct kernel boot"
    qemu+=(-kernel "$kdir/vmlinuz" -initrd "$kdir/initramfs.img" -append "$CMDLINE${append:+ $append}")
  else
    [ -f "$disk" ] || err "$disk: no such disk image"
    [ -z "$append" ] || err "--append works for a direct kernel boot only (the disk boots GRUB's menu)"
    qemu+=(-drive "if=none,id=boot,file=$disk,format=raw,readonly=on" -device "virtio-blk-pci,drive=boot,bootindex=0")
  fi
  local vars=""
  if [ "$uefi" = 1 ]; then
    local code=/usr/share/OVMF/OVMF_CODE_4M.fd tmpl=/usr/share/OVMF/OVMF_VARS_4M.fd
    [ -f "$code" ] && [ -f "$tmpl" ] || err "OVMF is not installed ($code): scripts/setup installs the ovmf package"
    vars=$(mktemp "${TMPDIR:-/tmp}/airlock-ovmf-vars.XXXXXX")
    cp "$tmpl" "$vars"
    qemu+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code" -drive "if=pflash,format=raw,unit=1,file=$vars")
  fi
  # the media: one controller of each kind that is needed, each medium a
  # read-only drive on it (ahci.0 and ahci.1 are the controller's first two ports)
  local have_xhci=0 have_ahci=0 ahci_port=0 i drv img
  for i in 1 2; do
    if [ "$i" = 1 ]; then drv=medium img=$medium b=$bus; else drv=medium2 img=$medium2 b=$bus2; fi
    [ -n "$img" ] || continue
    # qemu's ide-hd refuses a read-only drive ("Block node is read-only"): a
    # SATA disk gets snapshot=on instead, its writes (none are expected: the
    # appliance sets the medium BLKROSET) going to a throwaway overlay
    if [ "$b" = ahci ]; then qemu+=(-drive "if=none,id=$drv,file=$img,format=raw,snapshot=on")
    else qemu+=(-drive "if=none,id=$drv,file=$img,format=raw,readonly=on"); fi
    case "$b" in
      virtio) qemu+=(-device "virtio-blk-pci,drive=$drv") ;;
      usb|uas)
        [ "$have_xhci" = 1 ] || qemu+=(-device qemu-xhci,id=xhci)
        have_xhci=1
        if [ "$b" = usb ]; then qemu+=(-device "usb-storage,bus=xhci.0,drive=$drv,removable=on")
        else qemu+=(-device "usb-uas,id=uas$i,bus=xhci.0" -device "scsi-hd,bus=uas$i.0,scsi-id=0,lun=0,drive=$drv,removable=on"); fi ;;
      ahci|cd)
        [ "$have_ahci" = 1 ] || qemu+=(-device ahci,id=ahci)
        have_ahci=1
        if [ "$b" = cd ]; then qemu+=(-device "ide-cd,bus=ahci.$ahci_port,drive=$drv")
        else qemu+=(-device "ide-hd,bus=ahci.$ahci_port,drive=$drv"); fi
        ahci_port=$((ahci_port + 1)) ;;
    esac
  done
  [ -z "$evidence" ] || qemu+=(-drive "if=none,id=evidence,file=$evidence,format=raw" -device virtio-blk-pci,drive=evidence)
  local own_log=0
  if [ -z "$log" ]; then log=$(mktemp "${TMPDIR:-/tmp}/airlock-boot.XXXXXX"); own_log=1; fi
  : >"$log"
  qemu+=(-serial "file:$log")

  local t0 t1 qpid rc=2 verdict="" waited
  t0=$(date +%s.%N)
  "${qemu[@]}" </dev/null >"$log.qemu" 2>&1 &
  qpid=$!
  # wait for qemu to end by itself (the appliance powers off) or the timeout;
  # after a verdict, give it a little while to write the evidence and power off
  waited=0
  local deadline=$((timeout * 10)) after_verdict=-1
  while kill -0 "$qpid" 2>/dev/null; do
    if [ "$after_verdict" -lt 0 ] && grep -aq 'AIRLOCK VERDICT:' "$log"; then after_verdict=0; fi
    if [ "$after_verdict" -ge 0 ]; then
      after_verdict=$((after_verdict + 1))
      [ "$after_verdict" -le 300 ] || { echo "boot.sh: qemu still runs 30 s after the verdict: killing it" >&2; break; }
    fi
    [ "$waited" -lt "$deadline" ] || { echo "boot.sh: no poweroff within ${timeout} s: killing qemu" >&2; break; }
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$qpid" 2>/dev/null; then kill "$qpid" 2>/dev/null; sleep 0.5; kill -9 "$qpid" 2>/dev/null; fi
  wait "$qpid" 2>/dev/null
  t1=$(date +%s.%N)
  [ -z "$vars" ] || rm -f "$vars"

  echo "----- serial console ($log) -----"
  tr -d '\r' <"$log"
  echo "----- end of serial console -----"
  if [ -s "$log.qemu" ]; then echo "qemu said:"; cat "$log.qemu"; fi
  rm -f "$log.qemu"
  verdict=$(tr -d '\r' <"$log" | grep -a 'AIRLOCK VERDICT:' | tail -1 | sed 's/.*\(AIRLOCK VERDICT:\)/\1/')
  case "$verdict" in
    "AIRLOCK VERDICT: PASS") rc=0 ;;
    "AIRLOCK VERDICT: FAIL"*) rc=1 ;;
    *) rc=2; verdict="(no verdict)" ;;
  esac
  [ "$own_log" = 0 ] || rm -f "$log"
  BOOT_VERDICT=$verdict
  BOOT_SECONDS=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  echo "verdict: $verdict"
  echo "wall time: ${BOOT_SECONDS} s ($mode boot, medium on $bus${medium2:+, a second on $bus2}$([ "$uefi" = 1 ] && echo ', UEFI')$([ "$mode" = disk ] && [ "$uefi" = 0 ] && echo ', SeaBIOS'), $(accel_args | awk '{print $2}'))"
  return $rc
}

if [ "${1:-}" = "--self-test" ]; then
  [ $# -eq 1 ] || usage
  # shellcheck source=selftest.sh
  . "$here/selftest.sh"
  self_test
  exit $?
fi
[ $# -ge 2 ] || usage
boot_one "$@"
exit $?
