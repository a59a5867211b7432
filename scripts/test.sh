#!/usr/bin/env bash
# Runs every check and test of the project. Safe to run again: installs only what is missing.
#
#   ./scripts/test.sh
#
# Steps: toolchain pieces, formatting, clippy (-D warnings), the test suite (unit,
# integration, property and doc tests), docs (-D warnings), and a build of the core for
# wasm32-unknown-unknown so nothing in it closes the door on the WASM and C bindings.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

export CARGO_TERM_COLOR=never
export CARGO_INCREMENTAL=0

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "cargo doc -D warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "core builds for wasm32-unknown-unknown"
cargo build --lib --locked --target wasm32-unknown-unknown

# Bindings and tools add their own checks here, one file each (sourced in name order,
# with `step` available): scripts/test.d/*.sh.
for extra in scripts/test.d/*.sh; do
  [ -e "$extra" ] || continue
  # shellcheck source=/dev/null
  . "$extra"
done

step "main job: lint and simulate a shipped procedure"
cargo run --quiet --locked -p motcua-cli -- simulate specs/procedures/birth-registration-residence-insurance.yaml > /dev/null

printf '\nall checks passed\n'
