#!/usr/bin/env bash
# Java over JNA (examples/java): compile the binding, the portal example and the test, run
# both against the freshly built libmotcua.so.
#
# Sourced by scripts/test.sh (after 30-c.sh); also runs on its own from the repository root:
#   scripts/test.d/32-java.sh
# Respects CARGO_TARGET_DIR (default target/). Installs Debian's default-jdk-headless and
# libjna-java with apt-get only when javac or /usr/share/java/jna.jar is missing (CI runs as
# root; elsewhere through sudo).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then # run on its own, not sourced by scripts/test.sh
  set -euo pipefail
  cd "$(dirname "$0")/../.."
  step() { printf '\n==> %s\n' "$*"; }
fi

motcua_java() {
  local target="${CARGO_TARGET_DIR:-target}"
  target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
  local out="$target/motcua-java"
  local jna=/usr/share/java/jna.jar

  step "Java: JDK and JNA (Debian packages, installed when missing)"
  if ! command -v javac > /dev/null || [ ! -e "$jna" ]; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      default-jdk-headless libjna-java > /dev/null
  fi
  javac -version

  step "Java: the binding declares every function of motcua.h"
  local missing
  missing="$(comm -23 <(grep -oE '\bmotcua_[a-z_]+\(' bindings/c/include/motcua.h | tr -d '(' | sort -u) \
    <(grep -oE 'native [A-Za-z.]+ motcua_[a-z_]+\(' examples/java/src/motcua/MotcuaNative.java \
      | sed -E 's/.* (motcua_[a-z_]+)\(/\1/' | sort -u))"
  if [ -n "$missing" ]; then
    echo "examples/java/src/motcua/MotcuaNative.java lacks: $missing" >&2
    return 1
  fi

  step "Java: build the C library, compile the binding, example, test and benchmark"
  cargo build --quiet --locked -p motcua-c
  rm -rf "$out/classes"
  mkdir -p "$out/classes"
  javac -Xlint:all -Werror -encoding UTF-8 -d "$out/classes" -cp "$jna" \
    examples/java/src/motcua/*.java examples/java/Portal.java examples/java/test/MotcuaTest.java \
    examples/java/bench/ApplyBench.java
  local java=(java -cp "$jna:$out/classes" -Dmotcua.library="$target/debug/libmotcua.so")

  step "Java example: examples/java/Portal.java"
  "${java[@]}" Portal . > "$out/portal.out"
  grep -q '^status 10, next timer: none (closed)$' "$out/portal.out"

  step "Java test: examples/java/test/MotcuaTest.java"
  # A fixed, pre-touched heap, so that the ownership test sees native memory only.
  "${java[@]}" -Xms64m -Xmx64m -XX:+AlwaysPreTouch MotcuaTest .
}
motcua_java
