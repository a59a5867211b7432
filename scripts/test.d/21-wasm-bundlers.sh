# The npm package as an app installs it (bindings/wasm/test/bundlers): sourced by
# scripts/test.sh after 20-wasm.sh, which built bindings/wasm/pkg and ensured Chromium.
# `npm pack`s the package, installs the tarball into the template app (whose tools come from
# its own package-lock.json, installed only when the lock changed), builds the app with Vite,
# webpack and esbuild, opens each build and the Vite dev server in headless Chromium, renders
# it server-side (Vite SSR, webpack target node), runs Vitest over both entries in Node and
# type-checks an import of each with tsc.

step "wasm: the packed package with Vite (dev, build, SSR), webpack (web, node), esbuild in Chromium; Vitest; tsc"
(
  cd bindings/wasm/test/bundlers
  lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ "$(cat node_modules/.motcua-lock 2>/dev/null)" != "$lock_sum" ]; then
    npm ci --no-audit --no-fund
    echo "$lock_sum" > node_modules/.motcua-lock
  fi
  packed="$(mktemp -d)"
  trap 'rm -rf "$packed"' EXIT
  npm pack ../../pkg --pack-destination "$packed" --silent > /dev/null
  # Not recorded in the lock: the tarball changes with every build.
  npm install --no-save --no-audit --no-fund "$packed"/motcua-*.tgz
  node --test bundlers.e2e.mjs
  node_modules/.bin/vitest run
  # The types through the `types` condition, as bundler and Node projects resolve them (the
  # TypeScript of bindings/wasm, installed by 20-wasm.sh).
  ../../node_modules/.bin/tsc -p tsconfig.json
  ../../node_modules/.bin/tsc -p tsconfig.json --module nodenext --moduleResolution nodenext
)
