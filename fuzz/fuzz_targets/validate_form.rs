//! The fuzz target; the check itself is in `checks/validate_form.rs`, shared with the regression test
//! that replays `fuzz/regressions/validate_form/` (tests/fuzz_regressions.rs).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::validate_form::check(data));
