#!/usr/bin/env bash
# Makes this machine a libvirt host for the hypervisor e2e tests, idempotently (a second run finds
# everything in place and returns in well under a second):
#
#   1. installs libvirt and QEMU from Debian when missing (no recommends: no dnsmasq, no iptables,
#      no firmware beyond SeaBIOS), plus the libvirt-qemu user and the kvm group that Debian's
#      libvirt-daemon-system package would have created;
#   2. lets that user open /dev/kvm when the device exists (what udev does on a normal Debian);
#   3. starts virtlogd, then libvirtd, as daemons (no systemd here) and waits for qemu:///system;
#   4. creates the Linux bridge that bridge-mode libvirt networks attach to (iproute2).
#
# Needs root (or sudo). Prints the URI of the daemon as the LAST line of stdout; progress goes to
# stderr. Environment: LIBVIRT_BRIDGE (default wsbr0) names the bridge.
set -euo pipefail

BRIDGE="${LIBVIRT_BRIDGE:-wsbr0}"
URI="qemu:///system"
PACKAGES=(libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86)

say() { echo "ensure-libvirt: $*" >&2; }

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    say "needs root (or sudo) to install and start libvirt"
    exit 1
  fi
  sudo=(sudo)
fi

# 1. Packages, only what is missing.
apt_install() { bash "$(dirname "$0")/apt-install.sh" "$@"; }
if ! command -v virsh >/dev/null 2>&1 || ! command -v libvirtd >/dev/null 2>&1 || ! command -v virtlogd >/dev/null 2>&1 ||
  ! command -v qemu-system-x86_64 >/dev/null 2>&1 || [ ! -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ]; then
  say "installing ${PACKAGES[*]} (Debian packages, no recommends) ..."
  apt_install "${PACKAGES[@]}"
fi
if ! command -v ip >/dev/null 2>&1; then
  say "installing iproute2 ..."
  apt_install iproute2
fi

# Users and groups that libvirt-daemon-system would have made: QEMU runs as libvirt-qemu.
getent group kvm >/dev/null || "${sudo[@]}" groupadd --system kvm
getent group libvirt >/dev/null || "${sudo[@]}" groupadd --system libvirt
getent group libvirt-qemu >/dev/null || "${sudo[@]}" groupadd --system libvirt-qemu
if ! getent passwd libvirt-qemu >/dev/null; then
  "${sudo[@]}" useradd --system --gid libvirt-qemu --groups kvm --home-dir /var/lib/libvirt --no-create-home \
    --shell /usr/sbin/nologin --comment "Libvirt Qemu" libvirt-qemu
fi
"${sudo[@]}" mkdir -p /var/lib/libvirt/images /var/lib/libvirt/qemu /var/log/libvirt/qemu /var/cache/libvirt /run/libvirt

# 2. KVM for the guests when the device is there; libvirt falls back to TCG (type='qemu') otherwise.
if [ -c /dev/kvm ] && [ "$(stat -c %G /dev/kvm)" != kvm ]; then
  "${sudo[@]}" chgrp kvm /dev/kvm && "${sudo[@]}" chmod 0660 /dev/kvm || say "could not open /dev/kvm to the kvm group; guests will use TCG"
fi

# 3. The daemons. A pid file whose process is gone is stale (a previous machine boot, a kill).
running() { [ -f "$1" ] && "${sudo[@]}" kill -0 "$(cat "$1")" 2>/dev/null; }
if ! running /run/virtlogd.pid; then
  say "starting virtlogd"
  "${sudo[@]}" virtlogd --daemon --pid-file /run/virtlogd.pid
fi
if ! running /run/libvirtd.pid; then
  say "starting libvirtd"
  "${sudo[@]}" libvirtd --daemon --pid-file /run/libvirtd.pid
fi
for _ in $(seq 1 100); do
  if "${sudo[@]}" virsh -c "$URI" version >/dev/null 2>&1; then break; fi
  sleep 0.1
done
if ! "${sudo[@]}" virsh -c "$URI" version >/dev/null; then
  say "libvirtd does not answer on $URI"
  exit 1
fi

# 4. The bridge that bridge-mode networks (<forward mode='bridge'/>) attach guests to.
if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
  say "creating bridge $BRIDGE"
  "${sudo[@]}" ip link add name "$BRIDGE" type bridge
fi
"${sudo[@]}" ip link set "$BRIDGE" up

say "libvirt ready on $URI ($(virsh -c "$URI" version 2>/dev/null | sed -n 's/^Running hypervisor: //p'), bridge $BRIDGE)"
echo "$URI"
