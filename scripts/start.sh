#!/usr/bin/env bash
# `npm start`: the whole system on this machine with embedded defaults and demo data.
# Installs what it needs, builds, then starts PostgreSQL, Temporal (with its Web UI), an SMTP
# catcher, migrates, seeds, and runs the worker and the API until Ctrl-C.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export TZ=UTC
ensure_node_modules
ensure_temporal_cli
ensure_vsphere_simulator --optional
build
exec "$NODE" "$ROOT/dist/libs/devstack/src/dev.main.js"
