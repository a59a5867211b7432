//! The fuzz target; the check itself is in `checks/load_procedure_json.rs`, shared with the regression test
//! that replays `fuzz/regressions/load_procedure_json/` (tests/fuzz_regressions.rs).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::load_procedure_json::check(data));
