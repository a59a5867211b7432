#!/usr/bin/env bash
# Seeds the fuzz corpora from the shipped specs and scenarios (corpora are not committed).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/load_procedure corpus/load_procedure_json corpus/commands corpus/validate_form corpus/calendar corpus/expression corpus/load_snapshot
cp ../specs/procedures/*.yaml ../specs/catalogue/*.yaml corpus/load_procedure/
# The same procedures as JSON (`motcua json`), as a server ships them to browsers.
for f in ../specs/procedures/*.yaml; do
  cargo run --quiet --locked --manifest-path ../Cargo.toml -p motcua-cli -- json "$f" \
    > "corpus/load_procedure_json/$(basename "$f" .yaml).json"
done
# Form data of real submissions (kept in sync with the scenarios by the C binding's tests).
for f in ../bindings/c/tests/data/*.json; do
  [ -e "$f" ] && cp "$f" corpus/validate_form/
done
printf '%s' "age_years(child.birth_date) < 6 and present(child.full_name)" > corpus/expression/age
printf '%s' "documents.birth_certificate.present or documents.witness_statement.present" > corpus/expression/docs
# Every kept regression input starts its target's corpus (tests/fuzz_regressions.rs replays them).
for dir in regressions/*/; do
  target=$(basename "$dir")
  mkdir -p "corpus/$target"
  cp "$dir"* "corpus/$target/"
done
