//! The fuzz target; the check itself is in `checks/calendar.rs`, shared with the regression test
//! that replays `fuzz/regressions/calendar/` (tests/fuzz_regressions.rs).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|input: (u32, u32, i16)| checks::calendar::check(input));
