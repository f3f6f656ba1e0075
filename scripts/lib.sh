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

# The portal's browser tests drive Debian's Chromium with playwright-core (no browser download).
# Installs it with apt when missing (the machine runs as root; elsewhere, sudo or set CHROMIUM_PATH).
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then return 0; fi
  step "Installing Chromium for the portal tests (apt-get install chromium)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium >/dev/null
}
