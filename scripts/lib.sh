# Shared by scripts/start.sh and scripts/test.sh. Source it; it does nothing by itself.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="$ROOT/node_modules/.bin/node"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs dependencies from the lockfile when node_modules is missing or older than the lockfile.
# The project pins Node (the npm package `node`, an LTS) as a devDependency: scripts run on it.
ensure_node_modules() {
  cd "$ROOT"
  if [ ! -x "$NODE" ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "Installing dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Exports TEMPORAL_CLI_PATH (installing the Temporal CLI if needed) unless an external
# Temporal cluster is configured with TEMPORAL_ADDRESS.
ensure_temporal_cli() {
  if [ -n "${TEMPORAL_ADDRESS:-}" ] && [ "${1:-}" != "--always" ]; then return 0; fi
  local path
  path="$(bash "$ROOT/scripts/ensure-tools.sh" | tail -n 1)"
  export TEMPORAL_CLI_PATH="$path"
}

build() {
  step "Building (TypeScript and the Temporal workflow bundle)"
  "$NODE" "$ROOT/scripts/build.mjs"
}

# vSphere simulator (vcsim) and its CLI (govc), pinned to the newest govmomi tag that installs with
# `go install`. Exports VCSIM_PATH and GOVC_PATH; the devstack starts vcsim from VCSIM_PATH.
# With --optional (npm start) a machine without Go only loses the demo vSphere host.
GOVMOMI_VERSION=v0.46.3
ensure_vsphere_simulator() {
  local vcsim govc
  if vcsim="$(bash "$ROOT/scripts/ensure-go-tool.sh" vcsim "github.com/vmware/govmomi/vcsim@$GOVMOMI_VERSION" | tail -n 1)" &&
    govc="$(bash "$ROOT/scripts/ensure-go-tool.sh" govc "github.com/vmware/govmomi/govc@$GOVMOMI_VERSION" | tail -n 1)"; then
    export VCSIM_PATH="$vcsim" GOVC_PATH="$govc"
  elif [ "${1:-}" = "--optional" ]; then
    echo "warning: vcsim is not available; starting without the demo vSphere host" >&2
  else
    return 1
  fi
}

# libvirt and QEMU from Debian, virtlogd and libvirtd running, the bridge for bridge-mode networks
# (scripts/ensure-libvirt.sh). Exports LIBVIRT_E2E_URI for the e2e tests that drive real guests.
ensure_libvirt() {
  local uri
  uri="$(bash "$ROOT/scripts/ensure-libvirt.sh" | tail -n 1)"
  export LIBVIRT_E2E_URI="$uri"
}

# The portal's browser tests drive Debian's Chromium with playwright-core (no browser download):
# installed with apt when missing (scripts/apt-install.sh), or point CHROMIUM_PATH at one.
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then return 0; fi
  step "Installing Chromium for the portal tests (Debian package)"
  bash "$ROOT/scripts/apt-install.sh" chromium
}
