//! # motcua-store — dossiers on SQLite or PostgreSQL
//!
//! One API, two backends: an embedded SQLite file (WAL, one writer at a time) for a desk
//! or a small office, PostgreSQL for many replicas. The store keeps
//!
//! - **procedure versions** (code, version, text, SHA-256, when loaded); a dossier is
//!   pinned to the version it was opened under and always replayed with it;
//! - **events**, the truth, keyed by `(dossier_id, seq)`: a second writer of the same
//!   `seq` is the optimistic-concurrency conflict;
//! - **snapshots** and **index columns** (status, appointment, next timer, unit, agency
//!   kinds, procedure), rewritten with every command in the same transaction;
//! - **command ids** for idempotency: a retry returns the stored original outcome;
//! - an **outbox** row per effect, delivered at least once, in order per dossier;
//! - **timers**, fired once each even with several replicas calling [`Store::fire_due`].
//!
//! ```
//! use motcua::{Actor, Catalogue, Channel, Command, CommandKind, Library, NationalStatus, Submission};
//! use motcua_store::Store;
//!
//! let mut library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
//! library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
//! let dir = std::env::temp_dir().join(format!("motcua-store-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! // `Store::open_postgres("postgres://motcua@db/motcua", library)` is the same API.
//! let mut store = Store::open_sqlite(dir.join("desk.db"), library).unwrap();
//! store.register_procedure(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml").unwrap();
//!
//! let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
//! let sample = motcua::scenario::Scenario::from_yaml(
//!     include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
//! let submission = Submission::new("HS-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "01")
//!     .with_data(sample.submit.data, sample.submit.documents);
//! let stored = store.submit("2.001610", submission).unwrap();
//! assert_eq!(stored.dossier.version(), 1);
//!
//! let accept = Command {
//!     id: "c-2".into(),
//!     at: at("2026-03-02T09:30:00+07:00"),
//!     actor: Actor::official("one_stop_officer", "department_finance"),
//!     expected_version: Some(1),
//!     kind: CommandKind::act("accept"),
//! };
//! let stored = store.apply("HS-1", &accept).unwrap();
//! assert_eq!(stored.dossier.status(), NationalStatus::Received);
//! // A retry returns the original outcome and stores nothing new.
//! let again = store.apply("HS-1", &accept).unwrap();
//! assert!(again.applied.duplicate);
//! assert_eq!(again.applied.effects, stored.applied.effects);
//! // Effects wait in the outbox for a worker.
//! let batch = store.claim("worker-1", 100, chrono::Duration::seconds(30), at("2026-03-02T09:31:00+07:00")).unwrap();
//! assert_eq!(batch.len(), store.outbox("HS-1").unwrap().len());
//! assert!(store.verify("HS-1").is_ok());
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), motcua::LoadError>(())
//! ```
//!
//! See the crate README for the schema, the delivery guarantee and scaling.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod db;
mod desk;
mod engine;
mod error;
mod migrate;
mod outbox;
mod schema;
mod store;

pub use db::Backend;
pub use desk::{DeskPage, DeskQuery, DeskRow, DeskView, ReportRow};
pub use error::StoreError;
pub use migrate::{MigrationReport, MigrationRun};
pub use outbox::{Delivery, OutboxEntry, OutboxPolicy, OutboxState};
pub use store::{Fired, ProcedureVersion, Store, Stored, Verified};

/// The schema version this build migrates databases to.
pub const SCHEMA_VERSION: i64 = schema::LATEST;

/// The effects the engine gives for every event of a dossier's history (what the outbox
/// should hold for it), for checks and repairs.
pub fn effects_of_history(procedure: &motcua::Procedure, dossier: &motcua::Dossier) -> Vec<motcua::Effect> {
    engine::effects_of_history(procedure, dossier)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_store_can_move_to_another_thread() {
        fn send<T: Send>() {}
        send::<crate::Store>();
        send::<crate::StoreError>();
    }
}
