#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (1.29, the oldest Compose we promise
# to support; see the header of docker-compose.yml). No Docker engine is needed: `config` only
# parses, interpolates and schema-checks the file.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  # --no-install-recommends: the package recommends docker.io (a whole engine, iptables, ...),
  # none of which `config` needs.
  install=("${sudo[@]}" apt-get install -y -qq --no-install-recommends docker-compose)
  if ! "${install[@]}" >/dev/null 2>&1; then
    # Only refresh the package lists when the cached ones are stale or missing.
    "${sudo[@]}" apt-get update -qq >/dev/null
    "${install[@]}" >/dev/null
  fi
fi

docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml: valid"
