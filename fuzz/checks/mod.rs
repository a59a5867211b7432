//! The checks of the fuzz targets, shared by the targets (`fuzz_targets/`) and by the
//! regression test of the engine (`tests/fuzz_regressions.rs`), which replays every input kept
//! under `fuzz/regressions/<target>/` — a crasher found once is a test forever (as `regex`
//! does with its `testdata`).
#![allow(dead_code, unreachable_pub)] // each fuzz target uses one check

pub mod calendar;
pub mod commands;
pub mod expression;
pub mod load_procedure;
pub mod load_procedure_json;
pub mod load_snapshot;
pub mod shipped;
pub mod validate_form;

/// The fuzz targets, by name.
pub const TARGETS: [&str; 7] =
    ["calendar", "commands", "expression", "load_procedure", "load_procedure_json", "load_snapshot", "validate_form"];

/// Runs the check of `target` on `bytes`, decoded as that target's fuzzer decodes them.
pub fn replay(target: &str, bytes: &[u8]) {
    match target {
        "calendar" => {
            if let Ok(value) =
                <(u32, u32, i16) as arbitrary::Arbitrary>::arbitrary_take_rest(arbitrary::Unstructured::new(bytes))
            {
                calendar::check(value);
            }
        }
        "commands" => {
            if let Ok(value) =
                <commands::Input as arbitrary::Arbitrary>::arbitrary_take_rest(arbitrary::Unstructured::new(bytes))
            {
                commands::check(value);
            }
        }
        "expression" => expression::check(bytes),
        "load_procedure" => load_procedure::check(bytes),
        "load_procedure_json" => load_procedure_json::check(bytes),
        "load_snapshot" => {
            if let Ok(value) =
                <(u8, Vec<(u16, u8)>) as arbitrary::Arbitrary>::arbitrary_take_rest(arbitrary::Unstructured::new(bytes))
            {
                load_snapshot::check(value);
            }
        }
        "validate_form" => validate_form::check(bytes),
        other => panic!("no fuzz target named {other}"),
    }
}
