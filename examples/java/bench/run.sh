#!/usr/bin/env bash
# Apply through JNA against apply from C, same machine, same run (see ApplyBench.java).
#
#   examples/java/bench/run.sh [ROUNDS] [DOSSIERS] [REPEATS]
#
# Builds the release library, compiles apply_bench.c and the Java classes, then runs the C and
# the Java program alternately ROUNDS times (default 3) and prints, per variant, the median and
# the range (min–max) of the per-command µs over every repeat of every round, and the ratios of
# the medians and of the minimums (the least disturbed repeats, on a loaded machine) to the
# matching C variant. Not part of the test command: timings are a report,
# never an assertion.
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds="${1:-3}" dossiers="${2:-1000}" repeats="${3:-5}"
target="${CARGO_TARGET_DIR:-target}"
target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
out="$target/motcua-java/bench"
jna=/usr/share/java/jna.jar
mkdir -p "$out/classes"
cargo build --quiet --locked --release -p motcua-c
cc -O2 -std=c11 -Wall -Wextra -I bindings/c/include examples/java/bench/apply_bench.c \
  -L "$target/release" -lmotcua -Wl,-rpath,"$target/release" -o "$out/apply_bench"
javac -encoding UTF-8 -d "$out/classes" -cp "$jna" examples/java/src/motcua/*.java examples/java/bench/ApplyBench.java
: > "$out/samples"
for _ in $(seq "$rounds"); do
  "$out/apply_bench" . "$dossiers" "$repeats" >> "$out/samples"
  java -cp "$jna:$out/classes" -Dmotcua.library="$target/release/libmotcua.so" ApplyBench . "$dossiers" "$repeats" \
    >> "$out/samples"
done
echo "µs per command; $rounds rounds × $repeats repeats × $dossiers dossiers; load: $(cut -d' ' -f1-3 /proc/loadavg)"
sort -k1,1 -k3,3n "$out/samples" | awk '
  { v[$1] = v[$1] " " $3; n[$1]++ }
  END {
    for (k in v) {
      m = split(substr(v[k], 2), s, " ");
      med[k] = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2;
      lo[k] = s[1]; hi[k] = s[m];
    }
    peer["java.iface.apply"] = peer["java.direct.apply"] = "c.apply";
    peer["java.iface.buffer"] = peer["java.direct.buffer"] = peer["java.layer.apply"] = "c.apply";
    peer["java.iface.refused.getters"] = peer["java.direct.refused.getters"] = "c.refused.getters";
    peer["java.direct.refused.buffer"] = peer["java.layer.refused"] = "c.refused.getters";
    peer["java.call.size_t"] = "c.call.size_t"; peer["java.call.str"] = "c.call.str";
    printf "%-30s %8s %18s %10s %8s\n", "variant", "median", "range", "× C (med)", "(min)";
    for (k in med) {
      r = (k in peer) ? sprintf("%.2f", med[k] / med[peer[k]]) : "";
      q = (k in peer) ? sprintf("%.2f", lo[k] / lo[peer[k]]) : "";
      printf "%-30s %8.3f %8.3f–%-8.3f %10s %8s\n", k, med[k], lo[k], hi[k], r, q;
    }
  }' | sort
