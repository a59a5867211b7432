//! Integration tests.

mod forms;
