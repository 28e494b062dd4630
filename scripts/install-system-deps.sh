#!/bin/sh
# Install the system packages the app and the test suite need (`qt`: the GUI only; `all`,
# the default: also the real peers). The test suite needs: Qt headless (offscreen and Xvfb) and
# the real peers the integration tests start (tests/peers).
#
# Idempotent: when every package is already installed it does nothing (no apt-get update),
# so CI can run it on every job. As root on Debian/Ubuntu it installs what is missing;
# anywhere else it only prints the list and exits 0.
set -eu

QT_OFFSCREEN="libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
  fonts-dejavu-core"
QT_XVFB="xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
  libx11-xcb1 libxcb-glx0 libxcb-shm0 libxcb-sync1 libxcb-render0 libxcb-util1"
PEERS="snmpd snmp avahi-daemon avahi-utils dbus cups cups-client cups-ipp-utils dnsmasq-base
  dnsutils iproute2 postgresql cups-filters poppler-utils openssl"
# python3-venv: Debian's own python3 cannot make a venv without it.
TOOLS="make python3-venv"
case "${1:-all}" in
    qt) PACKAGES=$(echo $QT_OFFSCREEN $QT_XVFB $TOOLS) ;;  # enough for make demo / screenshot
    all) PACKAGES=$(echo $QT_OFFSCREEN $QT_XVFB $PEERS $TOOLS) ;;
    *) echo "usage: $0 [qt|all]" >&2; exit 2 ;;
esac

installed() {
    # Ubuntu 24.04 renamed some libraries with a t64 suffix (libglib2.0-0t64); either counts.
    for name in "$1" "${1}t64"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$name" 2>/dev/null || true)
        case "$status" in ii*) return 0 ;; esac
    done
    return 1
}

if [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Not Debian/Ubuntu: install the equivalents of these packages yourself:"
    echo "  $PACKAGES"
    exit 0
fi

missing=""
for pkg in $PACKAGES; do
    installed "$pkg" || missing="$missing $pkg"
done
missing=${missing# }

if [ -z "$missing" ]; then
    echo "System packages: all $(echo $PACKAGES | wc -w) present."
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages (run as root to install them):"
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing"
    exit 0
fi

echo "Missing: $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# The whole list, not only what is missing: apt leaves present packages alone (or brings
# them to the current version) and marks them all manually installed.
# shellcheck disable=SC2086  # word splitting of the package list is intended
apt-get install -y --no-install-recommends $PACKAGES
