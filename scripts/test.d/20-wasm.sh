# WASM package (bindings/wasm): sourced by scripts/test.sh, with `step` available and the
# wasm32-unknown-unknown target already ensured. Installs only what is missing: the
# wasm-bindgen CLI at the version pinned in bindings/wasm/Cargo.toml, the npm dev tools from
# the committed package-lock.json, and Debian's chromium for the browser test.

step "wasm: tools (wasm-bindgen-cli, npm ci, chromium)"
wasm_bindgen_pinned="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' bindings/wasm/Cargo.toml)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_pinned" ]; then
  # Not --locked: with it a pinned transitive crate is missing from some registry mirrors.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_pinned"
fi
(
  cd bindings/wasm
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

step "wasm: clippy of the lite module (without the default yaml feature)"
cargo clippy --locked -p motcua-wasm --no-default-features --target wasm32-unknown-unknown -- -D warnings

step "wasm: build the package (cargo, wasm-bindgen, wasm-opt; full and lite modules)"
bindings/wasm/build.sh

step "wasm: TypeScript types (tsc --noEmit)"
(cd bindings/wasm && node_modules/.bin/tsc --noEmit -p test/tsconfig.json)

step "wasm: Node tests"
(cd bindings/wasm && node --test test/engine.test.mjs test/lite.test.mjs test/conformance.test.mjs)

step "wasm: demo page in headless Chromium (Playwright)"
(cd bindings/wasm && node --test test/browser.e2e.mjs)
