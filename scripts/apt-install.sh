#!/usr/bin/env bash
# Installs Debian packages without recommends, quietly, as root or through sudo. The package lists
# are refreshed only when an install from the cached ones fails (stale or missing lists), so a
# machine that already has them pays nothing. Usage: scripts/apt-install.sh PACKAGE...
set -euo pipefail
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "apt-install: needs root (or sudo) to install $*" >&2
    exit 1
  fi
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
install=("${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@")
if ! "${install[@]}" >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -qq >/dev/null
  "${install[@]}" >/dev/null
fi
