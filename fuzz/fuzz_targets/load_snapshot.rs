//! The fuzz target; the check itself is in `checks/load_snapshot.rs`, shared with the regression test
//! that replays `fuzz/regressions/load_snapshot/` (tests/fuzz_regressions.rs).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|input: (u8, Vec<(u16, u8)>)| checks::load_snapshot::check(input));
