//! The fuzz target; the check itself is in `checks/load_procedure.rs`, shared with the regression test
//! that replays `fuzz/regressions/load_procedure/` (tests/fuzz_regressions.rs).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::load_procedure::check(data));
