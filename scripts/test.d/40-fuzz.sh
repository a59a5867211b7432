# Sourced by scripts/test.sh: a short smoke run of every fuzz target (fuzz/README.md).
# The long runs are done by hand; this catches a target that no longer builds or that
# crashes at once. Needs the machine's nightly toolchain; installs cargo-fuzz if missing.

step "fuzz: tools (nightly toolchain, cargo-fuzz)"
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "no nightly toolchain on this machine: skipping the fuzz smoke run"
else
  if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --version 0.13.2
  fi
  (
    cd fuzz
    ./seed.sh
    step "fuzz: build the targets (address sanitizer)"
    # Own target directory: CARGO_TARGET_DIR of the main build holds non-sanitized artefacts.
    CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-target}" cargo +nightly fuzz build -O
    for target in load_procedure load_procedure_json commands validate_form calendar expression load_snapshot; do
      step "fuzz: $target, 10 seconds"
      CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-target}" \
        cargo +nightly fuzz run -O "$target" "corpus/$target" -- -max_total_time=10 -print_final_stats=1 2>&1 \
        | grep -E '^(Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' || true
      # cargo fuzz exits non-zero on a crash; `|| true` above only guards grep, so check artefacts.
      if ls "artifacts/$target"/crash-* "artifacts/$target"/leak-* "artifacts/$target"/timeout-* >/dev/null 2>&1; then
        echo "fuzz target $target found a failing input: see fuzz/artifacts/$target" >&2
        exit 1
      fi
    done
  )
fi
