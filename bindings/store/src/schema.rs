//! Versioned migrations, applied on open inside one transaction and recorded in
//! `schema_version`. A migration is never edited once shipped: add a new one.

use crate::StoreError;
use crate::db::{Backend, Db, DbError, Val};

/// The migrations, in order; `{int}` is the 64-bit integer type of the backend.
/// Every timestamp column (`*_ts`) holds milliseconds since the Unix epoch.
const MIGRATIONS: &[&str] = &[
    // 1: procedures, dossiers (index columns), events, snapshots, commands, outbox.
    r#"
CREATE TABLE procedures (
    code TEXT NOT NULL,
    version TEXT NOT NULL,
    ord {int} NOT NULL,
    source_name TEXT NOT NULL,
    spec TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (code, version)
);
CREATE TABLE dossiers (
    id TEXT PRIMARY KEY,
    procedure_code TEXT NOT NULL,
    procedure_version TEXT NOT NULL,
    version {int} NOT NULL,
    head TEXT NOT NULL,
    status {int} NOT NULL,
    jurisdiction TEXT NOT NULL,
    submitted_ts {int} NOT NULL,
    updated_ts {int} NOT NULL,
    appointment_ts {int} NOT NULL,
    suspended {int} NOT NULL,
    next_due_ts {int},
    timer_retry_ts {int},
    closed_ts {int},
    outcome_kind TEXT,
    verdict TEXT,
    supplements {int} NOT NULL,
    extended {int} NOT NULL
);
CREATE INDEX dossiers_next_due ON dossiers (next_due_ts) WHERE next_due_ts IS NOT NULL;
CREATE INDEX dossiers_desk ON dossiers (jurisdiction, appointment_ts, id);
CREATE INDEX dossiers_procedure ON dossiers (procedure_code, submitted_ts);
CREATE INDEX dossiers_closed ON dossiers (closed_ts);
CREATE TABLE dossier_agencies (
    agency TEXT NOT NULL,
    dossier_id TEXT NOT NULL,
    PRIMARY KEY (agency, dossier_id)
);
CREATE INDEX dossier_agencies_dossier ON dossier_agencies (dossier_id);
CREATE TABLE events (
    dossier_id TEXT NOT NULL,
    seq {int} NOT NULL,
    at TEXT NOT NULL,
    command_id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (dossier_id, seq)
);
CREATE TABLE snapshots (
    dossier_id TEXT PRIMARY KEY,
    version {int} NOT NULL,
    head TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE commands (
    dossier_id TEXT NOT NULL,
    command_id TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (dossier_id, command_id)
);
CREATE TABLE outbox (
    dossier_id TEXT NOT NULL,
    seq {int} NOT NULL,
    n {int} NOT NULL,
    key TEXT NOT NULL UNIQUE,
    effect TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts {int} NOT NULL,
    available_ts {int} NOT NULL,
    lease_owner TEXT,
    lease_until {int},
    last_error TEXT,
    PRIMARY KEY (dossier_id, seq, n)
);
CREATE INDEX outbox_ready ON outbox (available_ts) WHERE state IN ('pending', 'leased');
"#,
    // 2: when an effect was acknowledged, so delivered rows can be pruned.
    r#"
ALTER TABLE outbox ADD COLUMN done_ts {int};
CREATE INDEX outbox_done ON outbox (done_ts) WHERE state = 'done';
"#,
    // 3: who handles each open dossier (unit, agency kind), for the desk's `handled_in`.
    // Filled for dossiers written before it by `Store::backfill_handlers` when it is applied.
    r#"
CREATE TABLE dossier_handlers (
    unit TEXT NOT NULL,
    agency TEXT NOT NULL,
    dossier_id TEXT NOT NULL,
    PRIMARY KEY (unit, agency, dossier_id)
);
CREATE INDEX dossier_handlers_dossier ON dossier_handlers (dossier_id);
"#,
];

/// The schema version that added the handler index.
pub(crate) const HANDLERS: i64 = 3;

/// The newest schema version this build knows.
pub(crate) const LATEST: i64 = MIGRATIONS.len() as i64;

fn ddl(backend: Backend, migration: &str) -> String {
    migration.replace(
        "{int}",
        match backend {
            Backend::Sqlite => "INTEGER",
            Backend::Postgres => "BIGINT",
        },
    )
}

/// Applies the missing migrations and returns the schema version the database had before.
/// Replicas opening at the same time serialize on a lock (the SQLite write lock; an advisory
/// transaction lock on PostgreSQL), so exactly one of them sees the old version.
pub(crate) fn migrate(db: &mut Db) -> Result<i64, StoreError> {
    db.begin()?;
    let result = (|| -> Result<i64, StoreError> {
        if db.backend() == Backend::Postgres {
            db.exec("SELECT pg_advisory_xact_lock(7220139)", &[])?;
        }
        db.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)")?;
        let rows = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])?;
        let current = rows.first().and_then(|r| r.first()).map(|c| c.int()).transpose()?.unwrap_or(0);
        if current > LATEST {
            return Err(StoreError::Schema(format!(
                "the database is at schema version {current}, this build knows up to {LATEST}"
            )));
        }
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = i as i64 + 1;
            db.batch(&ddl(db.backend(), migration)).map_err(|e| match e {
                DbError::Other(m) => StoreError::Schema(format!("migration {version}: {m}")),
                other => other.into(),
            })?;
            db.exec(
                "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
                &[Val::from(version), Val::from(chrono::Utc::now().to_rfc3339())],
            )?;
        }
        Ok(current)
    })();
    match result {
        Ok(v) => {
            db.commit()?;
            Ok(v)
        }
        Err(e) => {
            db.rollback();
            Err(e)
        }
    }
}
