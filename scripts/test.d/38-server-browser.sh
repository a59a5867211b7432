# The service's desk pages and citizen's page (bindings/server/desk) in headless Chromium:
# sourced by scripts/test.sh after 20-wasm.sh (which builds bindings/wasm/pkg and installs
# chromium), or run alone: `bash scripts/test.d/38-server-browser.sh`. Installs only what is
# missing: the npm packages of bindings/server/browser from its lock, Debian's chromium, and
# the WASM package when it was never built. The test starts the built server binary on a free
# port with a temporary SQLite file and stops it when it ends.
if ! declare -F step > /dev/null; then
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  step() { printf '\n==> %s\n' "$*"; }
fi

step "server: browser test tools (npm ci, chromium, the WASM package)"
(
  cd bindings/server/browser
  lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ "$(cat node_modules/.motcua-lock 2>/dev/null)" != "$lock_sum" ]; then
    npm ci --no-audit --no-fund
    echo "$lock_sum" > node_modules/.motcua-lock
  fi
)
if [ ! -x /usr/bin/chromium ]; then
  apt-get update
  apt-get install -y chromium
fi
if [ ! -f bindings/wasm/pkg/index.js ]; then
  # Normally built by 20-wasm.sh just before; alone, build it the same way.
  (cd bindings/wasm && if [ ! -d node_modules ]; then npm ci --no-audit --no-fund; fi)
  bindings/wasm/build.sh
fi

step "server: build motcua-server"
cargo build --locked -p motcua-server

step "server: desk pages and citizen's page in headless Chromium (Playwright)"
server_bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/motcua-server"
(cd bindings/server/browser && MOTCUA_SERVER_BIN="$server_bin" node --test desk.e2e.mjs)
