#!/usr/bin/env bash
# The API fuzzing step: schemathesis against a seeded stack (scripts/schemathesis/run.ts says what
# it checks). `npm test` runs it after Jest; alone: `npm run test:api-fuzz` (builds first), or
# `bash scripts/schemathesis.sh --no-build` after a build. The schemathesis CLI lives in a virtual
# environment in .dev/schemathesis-venv, made once from the pinned scripts/schemathesis/requirements.txt
# and made again only when that file changes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export TZ=UTC

venv="$ROOT/.dev/schemathesis-venv"
requirements="$ROOT/scripts/schemathesis/requirements.txt"
stamp="$venv/.requirements.txt"

ensure_schemathesis() {
  if [ -x "$venv/bin/schemathesis" ] && cmp -s "$requirements" "$stamp" && "$venv/bin/schemathesis" --version >/dev/null 2>&1; then return 0; fi
  step "Installing schemathesis into .dev/schemathesis-venv (once)"
  local python=""
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
      python="$candidate"
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "schemathesis needs Python 3.9 or newer with the venv module (Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
  cp "$requirements" "$stamp"
}

if [ "${1:-}" != "--no-build" ]; then
  ensure_node_modules
  ensure_temporal_cli --always
  build
fi
ensure_schemathesis

step "Fuzzing the API with schemathesis"
SCHEMATHESIS="$venv/bin/schemathesis" exec "$NODE" "$ROOT/dist/scripts/schemathesis/run.js"
