#!/usr/bin/env bash
# Builds the npm package into bindings/wasm/pkg:
#   cargo (wasm32, profile wasm-release) → wasm-bindgen (--target web) → wasm-opt -Oz → pkg-src/*
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli at the version pinned in
# Cargo.toml, and `npm ci` run here (for binaryen's wasm-opt). Prints raw and gzip sizes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out="$here/pkg"

pinned="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' "$here/Cargo.toml")"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" || true
if [ "$have" != "$pinned" ]; then
  echo "wasm-bindgen $pinned is needed (found '${have:-none}'): cargo install wasm-bindgen-cli --version $pinned" >&2
  exit 1
fi

cargo build --manifest-path "$root/Cargo.toml" --locked -p motcua-wasm \
  --target wasm32-unknown-unknown --profile wasm-release
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/motcua_wasm.wasm"

# Nothing changed since the last build (module, package sources, README, tools): keep pkg/.
stamp="$( (sha256sum "$wasm" "$here"/pkg-src/* "$here/README.md" "$here/build.sh" "$here/package-lock.json"; echo "$pinned") | sha256sum | cut -d' ' -f1)"
if [ -f "$out/motcua_wasm_bg.wasm" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "pkg/ is up to date"
  skip=1
else
  skip=0
fi

if [ "$skip" = 0 ]; then
  rm -rf "$out"
  mkdir -p "$out"
  # One build serves browsers, bundlers and Node: `web` output is an ES module whose init
  # takes a URL (index.js) or the bytes (node.js).
  wasm-bindgen "$wasm" --out-dir "$out" --out-name motcua_wasm --target web --no-typescript --weak-refs

  raw_before="$(wc -c < "$out/motcua_wasm_bg.wasm")"
  "$here/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/motcua_wasm_bg.wasm" -o "$out/motcua_wasm_bg.wasm"

  cp "$here"/pkg-src/* "$out/"
  cp "$here/README.md" "$out/"
  echo "$raw_before" > "$out/.size-before-opt"
  echo "$stamp" > "$out/.stamp"
fi

raw_before="$(cat "$out/.size-before-opt")"

raw="$(wc -c < "$out/motcua_wasm_bg.wasm")"
gz="$(gzip -9 -c "$out/motcua_wasm_bg.wasm" | wc -c)"
glue="$(cat "$out"/*.js | gzip -9 | wc -c)"
awk -v b="$raw_before" -v r="$raw" -v g="$gz" -v j="$glue" 'BEGIN {
  printf "motcua_wasm_bg.wasm: %d bytes before wasm-opt; %d bytes (%.1f KiB) raw, %d bytes (%.1f KiB) gzip -9; JS glue %d bytes gzip\n", b, r, r/1024, g, g/1024, j }'
