//! Integration tests.
mod calendar;
