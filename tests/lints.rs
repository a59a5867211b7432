//! Lint tests.
