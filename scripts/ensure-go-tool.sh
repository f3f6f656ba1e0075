#!/usr/bin/env bash
# Makes sure a Go-built command-line tool is available and prints its path as the LAST line of
# stdout; progress goes to stderr. Usage:
#
#   VCSIM_PATH=$(bash scripts/ensure-go-tool.sh vcsim github.com/vmware/govmomi/vcsim@v0.46.3 | tail -1)
#
# Lookup order (the same as resolveToolBinary in libs/devstack/src/tool-binary.ts): $<NAME>_PATH
# (e.g. VCSIM_PATH, GOVC_PATH), NAME on PATH, where `go install` puts binaries; when none is there
# it runs `go install PACKAGE@VERSION` (Go from PATH or /usr/local/go/bin).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 NAME PACKAGE@VERSION" >&2
  exit 2
fi
name="$1"
package="$2"
variable="$(echo "${name}_PATH" | tr '[:lower:]-' '[:upper:]_')"

say() { echo "ensure-go-tool: $*" >&2; }

# Runs, rather than just exists: catches binaries built for another OS or CPU. Go tools differ in
# how they print a version (vcsim has none, its -h exits 0), so either passes.
usable() { [ -f "$1" ] && [ -x "$1" ] && { "$1" version >/dev/null 2>&1 || "$1" -h >/dev/null 2>&1; }; }

found() {
  say "$name: $1"
  echo "$1"
  exit 0
}

go_cmd="$(command -v go 2>/dev/null || true)"
if [ -z "$go_cmd" ] && [ -x /usr/local/go/bin/go ]; then go_cmd=/usr/local/go/bin/go; fi

# Where `go install` puts binaries: $GOBIN, else the first GOPATH entry's bin (~/go/bin without Go).
go_bin_dir() {
  if [ -n "$go_cmd" ]; then
    local gobin gopath
    gobin="$("$go_cmd" env GOBIN)"
    if [ -n "$gobin" ]; then echo "$gobin"; return; fi
    gopath="$("$go_cmd" env GOPATH)"
    echo "${gopath%%:*}/bin"
  else
    echo "$HOME/go/bin"
  fi
}

explicit="${!variable:-}"
if [ -n "$explicit" ]; then
  if usable "$explicit"; then found "$explicit"; fi
  say "$variable=$explicit is not a working $name"
  exit 1
fi
if on_path="$(command -v "$name" 2>/dev/null)" && usable "$on_path"; then found "$on_path"; fi
go_bin="$(go_bin_dir)"
if usable "$go_bin/$name"; then found "$go_bin/$name"; fi

if [ -z "$go_cmd" ]; then
  say "$name is not installed and Go is missing: install Go, then run: go install $package"
  exit 1
fi
say "installing $name with go install $package; this compiles it and takes a minute or two ..."
if "$go_cmd" install "$package" >&2 && usable "$go_bin/$name"; then found "$go_bin/$name"; fi
say "go install $package failed"
exit 1
