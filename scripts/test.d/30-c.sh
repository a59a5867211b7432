#!/usr/bin/env bash
# The C library (bindings/c): build, header check, C test, valgrind, Python ctypes, example.
#
# Sourced by scripts/test.sh; also runs on its own from the repository root:
#   scripts/test.d/30-c.sh                    # check
#   MOTCUA_BLESS=1 scripts/test.d/30-c.sh     # regenerate bindings/c/include/motcua.h
# Respects CARGO_TARGET_DIR (default target/). Needs cc; valgrind and python3 are used when
# present (the run says so when one is missing). cbindgen is installed at the pinned version
# only when the one on PATH differs.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then # run on its own, not sourced by scripts/test.sh
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  step() { printf '\n==> %s\n' "$*"; }
fi

motcua_c() {
  local cbindgen_version=0.29.4
  local target="${CARGO_TARGET_DIR:-target}"
  target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
  local out="$target/motcua-c"
  local lib="$target/debug"
  mkdir -p "$out/pkgconfig"

  step "C library: build (cdylib + staticlib)"
  cargo build --quiet --locked -p motcua-c

  step "C library: header is what cbindgen $cbindgen_version generates"
  if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $cbindgen_version" ]; then
    cargo install --quiet --locked cbindgen --version "$cbindgen_version"
  fi
  (cd bindings/c && cbindgen --quiet --config cbindgen.toml --crate motcua-c --output "$out/motcua.h")
  if [ "${MOTCUA_BLESS:-}" = 1 ]; then
    cp "$out/motcua.h" bindings/c/include/motcua.h
  elif ! diff -u bindings/c/include/motcua.h "$out/motcua.h"; then
    echo "bindings/c/include/motcua.h is stale: run MOTCUA_BLESS=1 scripts/test.d/30-c.sh" >&2
    return 1
  fi

  # pkg-config file for the build tree; the C test and the example link through it.
  local version
  version="$(sed -n 's/^version = "\(.*\)"/\1/p' bindings/c/Cargo.toml | head -n1)"
  sed -e "s|@INCLUDEDIR@|$PWD/bindings/c/include|" -e "s|@LIBDIR@|$lib|" -e "s|@VERSION@|$version|" \
    bindings/c/motcua.pc.in > "$out/pkgconfig/motcua.pc"
  local pc="$out/pkgconfig"
  local cflags=(-std=c11 -Wall -Wextra -Werror -O1 -g)

  step "C test (static library, -std=c11 -Wall -Wextra -Werror)"
  # shellcheck disable=SC2046
  cc "${cflags[@]}" $(PKG_CONFIG_PATH="$pc" pkg-config --cflags motcua) bindings/c/tests/test.c \
    "$lib/libmotcua.a" $(PKG_CONFIG_PATH="$pc" pkg-config --libs-only-l --static motcua | sed 's/-lmotcua//') \
    -o "$out/test"
  "$out/test" .

  step "C test under valgrind"
  if command -v valgrind > /dev/null; then
    valgrind --quiet --leak-check=full --error-exitcode=1 "$out/test" .
  else
    echo "valgrind not found: skipped (install valgrind to run this step)"
  fi

  step "Python ctypes test (shared library)"
  if command -v python3 > /dev/null; then
    MOTCUA_LIB="$lib/libmotcua.so" python3 bindings/c/tests/test_ctypes.py
  else
    echo "python3 not found: skipped"
  fi

  step "C example: examples/c/portal.c (shared library, via pkg-config)"
  # shellcheck disable=SC2046
  cc "${cflags[@]}" examples/c/portal.c $(PKG_CONFIG_PATH="$pc" pkg-config --cflags --libs motcua) \
    -Wl,-rpath,"$lib" -o "$out/portal"
  "$out/portal" > /dev/null
}
motcua_c
