#!/usr/bin/env bash
# `motcua lint` over a catalogue of 2,000 procedures made from the shipped ones (issue 18):
# wall time and peak memory, on every core and on one (taskset), with the release binary.
#   bash bindings/cli/bench/lint-2000.sh        (from the repository root)
set -euo pipefail
cargo build --release -p motcua-cli --locked
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/procedures"
# Exactly 2,000 files, cycling through the shipped procedures (however many there are).
specs=(specs/procedures/*.yaml)
for i in $(seq 0 1999); do
  f=${specs[$((i % ${#specs[@]}))]}
  cp "$f" "$dir/procedures/$(basename "$f" .yaml)-$i.yaml"
done
bin=target/release/motcua
echo "files: $(ls "$dir/procedures" | wc -l), cores: $(nproc)"
for run in 1 2 3; do
  /usr/bin/time -f "every core: %e s, peak %M KiB" "$bin" lint "$dir" --specs specs >/dev/null
  /usr/bin/time -f "one core:   %e s, peak %M KiB" taskset -c 0 "$bin" lint "$dir" --specs specs >/dev/null
done
