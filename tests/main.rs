//! The one integration-test binary: every file below is a module of it, so the crate
//! links once (fast on small CI machines).

mod calendar;
mod common;
mod deadline_cases;
mod forms;
mod fuzz_regressions;
mod guide;
mod hardening;
mod json;
mod layers;
mod lints;
mod migrate;
mod runtime;
mod scenarios;
mod security;
mod soak;
mod specs;
mod versions;
