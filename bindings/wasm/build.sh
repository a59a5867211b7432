#!/usr/bin/env bash
# Builds the npm package into bindings/wasm/pkg, as two modules:
#   pkg/motcua_wasm_bg.wasm       the full engine: specs in YAML or JSON (Node, tools, editors)
#   pkg/lite/motcua_wasm_bg.wasm  browsers: specs in JSON only (`motcua json FILE`), no YAML parser
# Each: cargo (wasm32, profile wasm-release) → wasm-bindgen (--target web) → wasm-opt -Oz.
# Then pkg-src/* and the demo's JSON specs (from the `motcua` CLI).
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

wasm="$target_dir/wasm32-unknown-unknown/wasm-release/motcua_wasm.wasm"
mkdir -p "$target_dir/motcua-wasm"
# The two builds differ only in features; each module is kept aside, as cargo writes both to
# the same path.
cargo build --manifest-path "$root/Cargo.toml" --locked -p motcua-wasm \
  --target wasm32-unknown-unknown --profile wasm-release
cp "$wasm" "$target_dir/motcua-wasm/full.wasm"
cargo build --manifest-path "$root/Cargo.toml" --locked -p motcua-wasm --no-default-features \
  --target wasm32-unknown-unknown --profile wasm-release
cp "$wasm" "$target_dir/motcua-wasm/lite.wasm"

# The demo page loads the birth-registration procedure as JSON into the lite module; the Node
# tests run every shipped scenario through the package (both with `motcua json`).
cargo build --manifest-path "$root/Cargo.toml" --locked -q -p motcua-cli
cli="$target_dir/debug/motcua"
demo_specs="$here/demo/specs"
mkdir -p "$demo_specs" "$here/test/scenarios"
for spec in catalogue/vietnam calendars/vn-gov procedures/birth-registration-residence-insurance; do
  "$cli" json "$root/specs/$spec.yaml" > "$demo_specs/$(basename "$spec").json"
done
rm -f "$here"/test/scenarios/*.json
for scenario in "$root"/tests/scenarios/*.yaml; do
  "$cli" json "$scenario" > "$here/test/scenarios/$(basename "$scenario" .yaml).json"
done

# Nothing changed since the last build (modules, package sources, README, tools): keep pkg/.
stamp="$( (sha256sum "$target_dir/motcua-wasm/full.wasm" "$target_dir/motcua-wasm/lite.wasm" "$here"/pkg-src/* \
  "$here/README.md" "$here/build.sh" "$here/package-lock.json"; echo "$pinned") | sha256sum | cut -d' ' -f1)"
if [ -f "$out/lite/motcua_wasm_bg.wasm" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "pkg/ is up to date"
else
  rm -rf "$out"
  mkdir -p "$out/lite"
  for build in full lite; do
    dir="$out"
    [ "$build" = lite ] && dir="$out/lite"
    # One build serves browsers, bundlers and Node: `web` output is an ES module whose init
    # takes a URL (index.js, lite.js) or the bytes (node.js).
    wasm-bindgen "$target_dir/motcua-wasm/$build.wasm" --out-dir "$dir" --out-name motcua_wasm \
      --target web --no-typescript --weak-refs
    wc -c < "$dir/motcua_wasm_bg.wasm" > "$out/.size-before-opt-$build"
    "$here/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$dir/motcua_wasm_bg.wasm" -o "$dir/motcua_wasm_bg.wasm"
  done
  cp "$here"/pkg-src/* "$out/"
  cp "$here/README.md" "$out/"
  echo "$stamp" > "$out/.stamp"
fi

for build in full lite; do
  dir="$out"
  [ "$build" = lite ] && dir="$out/lite"
  awk -v name="$build" -v b="$(cat "$out/.size-before-opt-$build")" -v r="$(wc -c < "$dir/motcua_wasm_bg.wasm")" \
    -v g="$(gzip -9 -c "$dir/motcua_wasm_bg.wasm" | wc -c)" -v j="$(gzip -9 -c "$dir/motcua_wasm.js" | wc -c)" 'BEGIN {
    printf "%s: motcua_wasm_bg.wasm %d bytes before wasm-opt; %d bytes (%.1f KiB) raw, %d bytes (%.1f KiB) gzip -9; JS glue %d bytes gzip\n", name, b, r, r/1024, g, g/1024, j }'
done
