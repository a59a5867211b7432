# Sourced by scripts/test.sh. The `motcua` CLI (bindings/cli): its tests already run with
# `cargo test --workspace`; here the shipped specs must lint clean through the real binary,
# the way policy staff and CI pipelines call it.
step "motcua lint specs/ (the CLI)"
cargo run --quiet --locked -p motcua-cli -- lint specs/ tests/scenarios/
