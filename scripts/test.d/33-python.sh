#!/usr/bin/env bash
# The Python package (bindings/python, PyO3 + maturin, abi3): build the wheel, install it in a
# virtualenv, run pytest on bindings/python/tests.
#
# Sourced by scripts/test.sh; also runs on its own from the repository root:
#   scripts/test.d/33-python.sh
# Respects CARGO_TARGET_DIR (default target/). Needs python3 with venv; the virtualenv is
# target/python-venv, made once, and maturin, pytest and jsonschema are installed from PyPI
# only when missing (a second run installs nothing).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then # run on its own, not sourced by scripts/test.sh
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  step() { printf '\n==> %s\n' "$*"; }
fi

motcua_python() {
  local target="${CARGO_TARGET_DIR:-target}"
  target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
  local venv="$target/python-venv"
  local py="$venv/bin/python"

  step "Python package: virtualenv with maturin, pytest, jsonschema"
  if [ ! -x "$py" ]; then
    if ! python3 -m venv "$venv" 2> /dev/null; then
      # Debian's python3 ships venv separately.
      apt-get update -qq && apt-get install -y -qq python3-venv > /dev/null
      python3 -m venv "$venv"
    fi
  fi
  if ! "$py" -c 'import maturin, pytest, jsonschema' 2> /dev/null; then
    "$py" -m pip install --quiet --disable-pip-version-check 'maturin>=1.9,<2' pytest jsonschema
  fi

  step "Python package: build the abi3 wheel (maturin) and install it"
  rm -rf "$target/python-wheels"
  (cd bindings/python && "$venv/bin/maturin" build --quiet --locked --interpreter "$py" \
    --out "$target/python-wheels")
  "$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
    "$target"/python-wheels/motcua-*.whl

  step "Python package: pytest bindings/python/tests"
  "$py" -m pytest -q -p no:cacheprovider bindings/python/tests
}
motcua_python
