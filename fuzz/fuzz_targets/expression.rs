//! The fuzz target; the check itself is in `checks/expression.rs`, shared with the regression test
//! that replays `fuzz/regressions/expression/` (tests/fuzz_regressions.rs).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::expression::check(data));
