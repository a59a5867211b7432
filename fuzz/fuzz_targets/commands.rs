//! The fuzz target; the check itself is in `checks/commands.rs`, shared with the regression test
//! that replays `fuzz/regressions/commands/` (tests/fuzz_regressions.rs).
#![no_main]

#[path = "../checks/mod.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|input: checks::commands::Input| checks::commands::check(input));
