//! The one integration-test binary of the store: every file below is a module of it.

mod common;
mod concurrency;
mod conformance;
mod crash;
mod migrate;
mod store;
mod tamper;
mod timers;
