//! The service's tests: a real server on a loopback port, a real HTTP client, real SQLite
//! files and (when `MOTCUA_TEST_POSTGRES` is set) a real PostgreSQL server.

mod common;
mod http;
mod migrations;
mod process;
mod replicas;
mod scenarios;
mod webhook;
