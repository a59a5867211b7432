#!/usr/bin/env bash
# apply per command: PyO3 vs ctypes (bench/apply.py) and the Rust peers in the same run
# (bindings/c/benches/apply.rs: native, native_json, c_abi), each repeated.
#
#   bindings/python/bench/run.sh            # from the repository root
# Release builds; uses the virtualenv of scripts/test.d/33-python.sh (made if missing).
set -euo pipefail
cd "$(dirname "$0")/../../.."
target="${CARGO_TARGET_DIR:-target}"
target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
venv="$target/python-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import maturin' 2> /dev/null || "$venv/bin/python" -m pip install --quiet 'maturin>=1.9,<2'

cargo build --quiet --locked --release -p motcua-c
rm -rf "$target/python-wheels-release"
(cd bindings/python && "$venv/bin/maturin" build --quiet --locked --release --interpreter "$venv/bin/python" \
  --out "$target/python-wheels-release")
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
  "$target"/python-wheels-release/motcua-*.whl
cargo bench --quiet --locked -p motcua-c --bench apply --no-run

for i in 1 2 3; do
  printf '\n== run %s: Python (PyO3, ctypes)\n' "$i"
  "$venv/bin/python" bindings/python/bench/apply.py "$target/release/libmotcua.so"
  printf '\n== run %s: Rust (divan)\n' "$i"
  cargo bench --quiet --locked -p motcua-c --bench apply
done
