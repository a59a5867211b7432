//! The write path: load, decide with the engine, store in one transaction.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use motcua::{Applied, Command, Dossier, Event, Library, Procedure, Submission};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::{Backend, Db, DbError, Row, Val};
use crate::{OutboxPolicy, StoreError, engine, schema};

/// A dossier store on SQLite or PostgreSQL. See the crate documentation.
///
/// One `Store` owns one connection and is used from one thread at a time (`&mut self`);
/// open one per thread or replica. Every method that writes does so in a single
/// transaction: it is stored completely or not at all.
pub struct Store {
    pub(crate) db: Db,
    library: Arc<Library>,
    procedures: HashMap<(String, String), Arc<Procedure>>,
    pub(crate) outbox_policy: OutboxPolicy,
}

/// An accepted (or already applied) command: the dossier after it, and the engine's
/// outcome, whose `effects` are also in the outbox.
#[derive(Clone, Debug)]
pub struct Stored {
    /// The dossier after the command.
    pub dossier: Dossier,
    /// The events and effects; `duplicate` is true when this command id had already been
    /// applied and this is its stored original outcome.
    pub applied: Applied,
}

/// One registered procedure version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcedureVersion {
    /// Procedure code, e.g. `2.001610`.
    pub code: String,
    /// Version string from the spec.
    pub version: String,
    /// SHA-256 (hex) of the spec text.
    pub sha256: String,
    /// When it was registered (RFC 3339, UTC).
    pub loaded_at: String,
    /// Registration order among the versions of this code, from 1; the highest is current.
    pub ord: i64,
}

/// What [`Store::verify`] found: everything checked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Number of events replayed.
    pub events: usize,
    /// The dossier version.
    pub version: u64,
    /// The head hash.
    pub head: String,
    /// Whether a snapshot was stored (and equal to the replay). A missing snapshot is not
    /// an error: snapshots are a cache.
    pub snapshot: bool,
}

/// The timers one [`Store::fire_due`] call fired.
#[derive(Debug, Default)]
pub struct Fired {
    /// Dossiers whose timers fired, with the events and effects stored.
    pub fired: Vec<(String, Applied)>,
    /// Dossiers whose due timers could not be applied; each is retried after
    /// [`OutboxPolicy::timer_retry`] (they do not block the others).
    pub failed: Vec<(String, StoreError)>,
}

pub(crate) fn ms(t: DateTime<FixedOffset>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(format!("serialize: {e}")))
}

/// JSON with object keys sorted at every level, whatever map order serde_json was built with.
fn canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The idempotency fingerprint of a command or submission body.
fn body_hash<T: Serialize>(value: &T) -> Result<String, StoreError> {
    let v = serde_json::to_value(value).map_err(|e| StoreError::Database(format!("serialize: {e}")))?;
    let mut text = String::new();
    canonical(&v, &mut text);
    Ok(sha256_hex(text.as_bytes()))
}

/// The row of `dossiers` a load needs.
struct Head {
    code: String,
    version_str: String,
    version: u64,
    head: String,
}

/// What a command finds when it reads its dossier.
enum Loaded {
    /// No such dossier.
    Missing,
    /// This command id was already applied with the same body: its stored outcome.
    Duplicate(Stored),
    /// The dossier, rebuilt and checked, with its procedure and version.
    Dossier(Arc<Procedure>, Dossier, u64),
}

enum Attempt<T> {
    Done(T),
    /// A unique violation: another writer got there first; decide again.
    Raced,
}

impl Store {
    pub(crate) fn from_db(mut db: Db, library: Arc<Library>) -> Result<Store, StoreError> {
        let before = schema::migrate(&mut db)?;
        let mut store = Store { db, library, procedures: HashMap::new(), outbox_policy: OutboxPolicy::default() };
        if (1..schema::HANDLERS).contains(&before) {
            store.backfill_handlers()?;
        }
        Ok(store)
    }

    /// Fills the handler index (schema version 3) of the open dossiers written before it, from
    /// their replayed state, one dossier per transaction. Only the opener that applied the
    /// migration runs it; a dossier a newer build already rewrote is recomputed to the same rows.
    fn backfill_handlers(&mut self) -> Result<usize, StoreError> {
        let rows = self.db.query("SELECT id FROM dossiers WHERE closed_ts IS NULL ORDER BY id", &[])?;
        let ids: Vec<String> = rows.iter().map(|r| r[0].text()).collect::<Result<_, _>>()?;
        for id in &ids {
            self.db.begin()?;
            match self.backfill_handlers_of(id) {
                Ok(()) => self.db.commit()?,
                Err(e) => {
                    self.db.rollback();
                    return Err(e);
                }
            }
        }
        Ok(ids.len())
    }

    fn backfill_handlers_of(&mut self, id: &str) -> Result<(), StoreError> {
        let (procedure, dossier, _) = self.load_in_tx(id)?;
        let index = engine::index(&procedure, &dossier);
        self.db.exec("DELETE FROM dossier_handlers WHERE dossier_id = ?1", &[Val::from(id)])?;
        for (unit, agency) in &index.handlers {
            self.db.exec(
                "INSERT INTO dossier_handlers (unit, agency, dossier_id) VALUES (?1, ?2, ?3)",
                &[Val::from(unit), Val::from(agency), Val::from(id)],
            )?;
        }
        Ok(())
    }

    /// Opens (creating if needed) a SQLite database file, in WAL mode, and applies
    /// the migrations.
    ///
    /// ```
    /// # fn library() -> motcua::Library {
    /// #     let mut l = motcua::Library::new(motcua::Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "c").unwrap());
    /// #     l.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "v").unwrap(); l
    /// # }
    /// let dir = std::env::temp_dir().join(format!("motcua-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let mut store = motcua_store::Store::open_sqlite(dir.join("desk.db"), library())?;
    /// assert_eq!(store.backend(), motcua_store::Backend::Sqlite);
    /// assert_eq!(store.schema_version()?, motcua_store::SCHEMA_VERSION);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), motcua_store::StoreError>(())
    /// ```
    pub fn open_sqlite(
        path: impl AsRef<std::path::Path>,
        library: impl Into<Arc<Library>>,
    ) -> Result<Store, StoreError> {
        let db = Db::open_sqlite(path.as_ref())?;
        Store::from_db(db, library.into())
    }

    /// Connects to PostgreSQL with a connection string
    /// (`postgres://user@host:5432/db`, or `host=… user=…`) and applies the migrations.
    pub fn open_postgres(url: &str, library: impl Into<Arc<Library>>) -> Result<Store, StoreError> {
        let db = Db::open_postgres(url, None)?;
        Store::from_db(db, library.into())
    }

    /// Like [`Store::open_postgres`], with every table in `schema` (created if missing):
    /// one database can hold several independent stores (tests, provinces).
    pub fn open_postgres_in_schema(
        url: &str,
        schema: &str,
        library: impl Into<Arc<Library>>,
    ) -> Result<Store, StoreError> {
        let db = Db::open_postgres(url, Some(schema))?;
        Store::from_db(db, library.into())
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// The schema version recorded in `schema_version`.
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        let rows = self.db.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", &[])?;
        rows[0][0].int()
    }

    /// Sets the outbox and timer retry policy of this handle.
    pub fn set_outbox_policy(&mut self, policy: OutboxPolicy) {
        self.outbox_policy = policy;
    }

    /// Runs `f` in a write transaction: committed if it returns `Ok`, rolled back otherwise.
    pub(crate) fn tx<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T, StoreError>) -> Result<T, StoreError> {
        self.db.begin()?;
        match f(self) {
            Ok(v) => match self.db.commit() {
                Ok(()) => Ok(v),
                Err(e) => {
                    self.db.rollback();
                    Err(e.into())
                }
            },
            Err(e) => {
                self.db.rollback();
                Err(e)
            }
        }
    }

    /// Runs a command's read-decide-write `f`, whose only write is [`Store::write`]. On
    /// SQLite that is [`Store::tx`]. On PostgreSQL the write is one statement, which is a
    /// transaction by itself, and everything before it is one consistent read: no `BEGIN`
    /// and `COMMIT` round trips. The write is guarded by the version it read (the
    /// `dossiers` row's `version`, the events' and commands' primary keys), so a writer
    /// that got there in between makes it fail as a race, exactly as inside a transaction.
    fn command_tx<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T, StoreError>) -> Result<T, StoreError> {
        match self.backend() {
            Backend::Sqlite => self.tx(f),
            Backend::Postgres => {
                self.db.ensure_connected()?;
                f(self)
            }
        }
    }

    /// Registers a procedure version: compiles `text` against the store's library and
    /// stores the text with its SHA-256. Registering the same text again is a no-op;
    /// the same code and version with another text is [`StoreError::Duplicate`]
    /// (a published version is immutable). The latest registered version of a code is the
    /// one [`Store::submit`] opens new dossiers under.
    pub fn register_procedure(&mut self, text: &str, source_name: &str) -> Result<ProcedureVersion, StoreError> {
        let procedure = Procedure::from_yaml(text, source_name, &self.library)
            .map_err(|e| StoreError::InvalidProcedure(e.to_string()))?;
        let sha = sha256_hex(text.as_bytes());
        let code = procedure.code().to_owned();
        let version = procedure.version().to_owned();
        let info = self.tx(|s| {
            if let Some(existing) = s.procedure_row(&code, &version)? {
                if existing.sha256 != sha {
                    return Err(StoreError::Duplicate(format!(
                        "procedure {code} version {version} is already registered with another text"
                    )));
                }
                return Ok(existing);
            }
            let rows =
                s.db.query("SELECT COALESCE(MAX(ord), 0) FROM procedures WHERE code = ?1", &[Val::from(&code)])?;
            let ord = rows[0][0].int()? + 1;
            let loaded_at = chrono::Utc::now().to_rfc3339();
            s.db.exec(
                "INSERT INTO procedures (code, version, ord, source_name, spec, sha256, loaded_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &[
                    Val::from(&code),
                    Val::from(&version),
                    Val::from(ord),
                    Val::from(source_name),
                    Val::from(text),
                    Val::from(&sha),
                    Val::from(&loaded_at),
                ],
            )
            .map_err(|e| match e {
                DbError::Unique(_) => StoreError::VersionConflict {
                    dossier: String::new(),
                    detail: format!("procedure {code} {version} registered concurrently"),
                },
                other => other.into(),
            })?;
            Ok(ProcedureVersion { code: code.clone(), version: version.clone(), sha256: sha.clone(), loaded_at, ord })
        })?;
        self.procedures.insert((code, version), Arc::new(procedure));
        Ok(info)
    }

    fn procedure_row(&mut self, code: &str, version: &str) -> Result<Option<ProcedureVersion>, StoreError> {
        let rows = self.db.query(
            "SELECT code, version, sha256, loaded_at, ord FROM procedures WHERE code = ?1 AND version = ?2",
            &[Val::from(code), Val::from(version)],
        )?;
        rows.first().map(procedure_version).transpose()
    }

    /// Every registered version of a procedure code, oldest first.
    pub fn procedure_versions(&mut self, code: &str) -> Result<Vec<ProcedureVersion>, StoreError> {
        let rows = self.db.query(
            "SELECT code, version, sha256, loaded_at, ord FROM procedures WHERE code = ?1 ORDER BY ord",
            &[Val::from(code)],
        )?;
        rows.iter().map(procedure_version).collect()
    }

    /// A registered procedure version, compiled (cached per handle). The stored text must
    /// still hash to its recorded SHA-256.
    pub fn procedure(&mut self, code: &str, version: &str) -> Result<Arc<Procedure>, StoreError> {
        if let Some(p) = self.procedures.get(&(code.to_owned(), version.to_owned())) {
            return Ok(p.clone());
        }
        let rows = self.db.query(
            "SELECT spec, sha256, source_name FROM procedures WHERE code = ?1 AND version = ?2",
            &[Val::from(code), Val::from(version)],
        )?;
        let row = rows.first().ok_or_else(|| StoreError::NotFound(format!("procedure {code} version {version}")))?;
        let (text, sha, source) = (row[0].text()?, row[1].text()?, row[2].text()?);
        if sha256_hex(text.as_bytes()) != sha {
            return Err(StoreError::Integrity(format!(
                "procedure {code} version {version}: the stored text no longer matches its SHA-256"
            )));
        }
        let procedure = Procedure::from_yaml(&text, &source, &self.library).map_err(|e| {
            StoreError::Integrity(format!("procedure {code} version {version} no longer compiles: {e}"))
        })?;
        if procedure.code() != code || procedure.version() != version {
            return Err(StoreError::Integrity(format!("procedure row {code} {version} holds another procedure")));
        }
        let procedure = Arc::new(procedure);
        self.procedures.insert((code.to_owned(), version.to_owned()), procedure.clone());
        Ok(procedure)
    }

    /// The current (latest registered) version of a procedure code.
    pub fn current_procedure(&mut self, code: &str) -> Result<Arc<Procedure>, StoreError> {
        let rows = self
            .db
            .query("SELECT version FROM procedures WHERE code = ?1 ORDER BY ord DESC LIMIT 1", &[Val::from(code)])?;
        let version = rows.first().ok_or_else(|| StoreError::NotFound(format!("procedure {code}")))?[0].text()?;
        self.procedure(code, &version)
    }

    /// Opens a dossier under the current version of procedure `code`; the dossier stays
    /// pinned to that version for its life.
    ///
    /// A retry with the same submission (same dossier id and command id, same body)
    /// returns the stored original outcome with `duplicate: true`. The same dossier id
    /// with another submission is [`StoreError::Duplicate`]; the same command id with
    /// another body is [`StoreError::IdempotencyConflict`].
    pub fn submit(&mut self, code: &str, submission: Submission) -> Result<Stored, StoreError> {
        let procedure = self.current_procedure(code)?;
        self.submit_under(procedure, submission)
    }

    /// Opens a dossier under an explicit registered version.
    pub fn submit_with_version(
        &mut self,
        code: &str,
        version: &str,
        submission: Submission,
    ) -> Result<Stored, StoreError> {
        let procedure = self.procedure(code, version)?;
        self.submit_under(procedure, submission)
    }

    fn submit_under(&mut self, procedure: Arc<Procedure>, submission: Submission) -> Result<Stored, StoreError> {
        let body = body_hash(&submission)?;
        let id = submission.dossier_id.clone();
        let command_id = submission.command_id.clone();
        for _ in 0..3 {
            let attempt = self.command_tx(|s| {
                match s.load_for_command(&id, &command_id, &body, &|_| true)? {
                    Loaded::Missing => {}
                    Loaded::Duplicate(stored) => return Ok(Attempt::Done(stored)),
                    Loaded::Dossier(..) => return Err(StoreError::Duplicate(format!("dossier {id} already exists"))),
                }
                let (dossier, applied) =
                    engine::submit(&procedure, submission.clone()).map_err(StoreError::Rejected)?;
                match s.write(&procedure, &dossier, 0, &applied, Some((&command_id, &body))) {
                    Ok(()) => Ok(Attempt::Done(Stored { dossier, applied })),
                    Err(DbError::Unique(_)) => Ok(Attempt::Raced),
                    Err(e) => Err(e.into()),
                }
            });
            match attempt {
                Ok(Attempt::Done(stored)) => return Ok(stored),
                Ok(Attempt::Raced) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::VersionConflict { dossier: id, detail: "submitted concurrently".into() })
    }

    /// Applies a command to a stored dossier: loads it (replaying its events with the
    /// pinned procedure version), lets the engine decide, and stores the events, the
    /// snapshot, the index columns, the command id and one outbox row per effect in one
    /// transaction.
    ///
    /// - `command.expected_version` set and stale → [`StoreError::VersionConflict`].
    ///   Without it, a concurrent writer makes the store decide again (up to 5 times).
    /// - A command id already applied with the same body returns the stored original
    ///   outcome (`duplicate: true`); with another body, [`StoreError::IdempotencyConflict`].
    /// - A refused command is [`StoreError::Rejected`] and stores nothing.
    pub fn apply(&mut self, dossier_id: &str, command: &Command) -> Result<Stored, StoreError> {
        self.apply_if_visible(dossier_id, command, |_| true)
    }

    /// [`Store::apply`] for a caller who may only act on the dossiers `visible` accepts:
    /// the predicate sees the dossier the command loads anyway (one load, in the
    /// command's transaction), and a dossier it refuses is [`StoreError::NotFound`], the
    /// same as one that does not exist, checked before the idempotency key is compared
    /// so that a refused caller learns nothing of the dossier. A host that checks who may
    /// see a dossier this way does not load it a second time to find out.
    ///
    /// ```
    /// # use motcua::{Actor, Catalogue, Channel, Command, CommandKind, Library, Submission};
    /// # let mut library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// # library.add_calendar_yaml(include_str!("../../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml")?;
    /// # let dir = std::env::temp_dir().join(format!("motcua-store-visible-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let mut store = motcua_store::Store::open_sqlite(dir.join("desk.db"), library).unwrap();
    /// # store.register_procedure(include_str!("../../../specs/procedures/business-registration.yaml"), "business-registration.yaml").unwrap();
    /// # let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    /// # let sample = motcua::scenario::Scenario::from_yaml(
    /// #     include_str!("../../../tests/scenarios/business-registration-happy.yaml"), "happy.yaml")?;
    /// # let submission = Submission::new("HS-1", at("2026-03-02T09:00:00+07:00"), Actor::citizen(), Channel::Online, "01")
    /// #     .with_data(sample.submit.data, sample.submit.documents);
    /// # store.submit("2.001610", submission).unwrap();
    /// let accept = Command {
    ///     id: "c-2".into(),
    ///     at: at("2026-03-02T09:30:00+07:00"),
    ///     actor: Actor::official("one_stop_officer", "department_finance"),
    ///     expected_version: Some(1),
    ///     kind: CommandKind::act("accept"),
    /// };
    /// // An officer of another province: not found, and nothing stored.
    /// let refused = store.apply_if_visible("HS-1", &accept, |d| d.jurisdiction() == "79");
    /// assert!(matches!(refused, Err(motcua_store::StoreError::NotFound(_))));
    /// assert_eq!(store.dossier("HS-1").unwrap().version(), 1);
    /// let stored = store.apply_if_visible("HS-1", &accept, |d| d.jurisdiction() == "01").unwrap();
    /// assert_eq!(stored.dossier.version(), 2);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn apply_if_visible(
        &mut self,
        dossier_id: &str,
        command: &Command,
        visible: impl Fn(&Dossier) -> bool,
    ) -> Result<Stored, StoreError> {
        let body = body_hash(command)?;
        let tries = if command.expected_version.is_some() { 1 } else { 5 };
        for _ in 0..tries {
            let attempt = self.command_tx(|s| {
                let loaded = s.load_for_command(dossier_id, &command.id, &body, &visible)?;
                let (procedure, mut dossier, before) = match loaded {
                    Loaded::Missing => return Err(StoreError::NotFound(format!("dossier {dossier_id}"))),
                    Loaded::Duplicate(stored) => return Ok(Attempt::Done(stored)),
                    Loaded::Dossier(procedure, dossier, before) => (procedure, dossier, before),
                };
                let applied = engine::apply(&mut dossier, &procedure, command).map_err(|r| {
                    if r.code == motcua::Code::VersionConflict {
                        StoreError::VersionConflict { dossier: dossier_id.to_owned(), detail: r.message.en.clone() }
                    } else {
                        StoreError::Rejected(r)
                    }
                })?;
                if applied.duplicate {
                    return Ok(Attempt::Done(Stored { dossier, applied }));
                }
                match s.write(&procedure, &dossier, before, &applied, Some((&command.id, &body))) {
                    Ok(()) => Ok(Attempt::Done(Stored { dossier, applied })),
                    Err(DbError::Unique(_)) => Ok(Attempt::Raced),
                    Err(e) => Err(e.into()),
                }
            });
            match attempt {
                Ok(Attempt::Done(stored)) => return Ok(stored),
                Ok(Attempt::Raced) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::VersionConflict {
            dossier: dossier_id.to_owned(),
            detail: "another writer stored an event first".into(),
        })
    }

    /// Fires the timers of one dossier due at `now` (see [`Store::fire_due`] for many).
    pub fn advance(&mut self, dossier_id: &str, now: DateTime<FixedOffset>) -> Result<Stored, StoreError> {
        let attempt = self.tx(|s| {
            if s.backend() == Backend::Postgres {
                s.db.query("SELECT id FROM dossiers WHERE id = ?1 FOR UPDATE", &[Val::from(dossier_id)])?;
            }
            let (procedure, mut dossier, before) = s.load_in_tx(dossier_id)?;
            let applied = engine::advance(&mut dossier, &procedure, now).map_err(StoreError::Rejected)?;
            match s.write(&procedure, &dossier, before, &applied, None) {
                Ok(()) => Ok(Attempt::Done(Stored { dossier, applied })),
                Err(DbError::Unique(_)) => Ok(Attempt::Raced),
                Err(e) => Err(e.into()),
            }
        })?;
        match attempt {
            Attempt::Done(stored) => Ok(stored),
            Attempt::Raced => Err(StoreError::VersionConflict {
                dossier: dossier_id.to_owned(),
                detail: "another writer stored an event first".into(),
            }),
        }
    }

    /// Fires due timers: claims up to `batch` dossiers whose `next_due` is at or before
    /// `now` (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so replicas running this at the
    /// same time take different dossiers), advances each, and stores the result, one
    /// transaction per dossier. Each timer fires once: the claim and the new `next_due`
    /// commit together, and the events' primary key refuses a second firing.
    pub fn fire_due(&mut self, now: DateTime<FixedOffset>, batch: usize) -> Result<Fired, StoreError> {
        let mut out = Fired::default();
        let now_ms = ms(now);
        let sql = match self.backend() {
            Backend::Postgres => {
                "SELECT id FROM dossiers WHERE next_due_ts <= ?1 AND (timer_retry_ts IS NULL OR timer_retry_ts <= ?1) \
                 ORDER BY next_due_ts LIMIT 1 FOR UPDATE SKIP LOCKED"
            }
            Backend::Sqlite => {
                "SELECT id FROM dossiers WHERE next_due_ts <= ?1 AND (timer_retry_ts IS NULL OR timer_retry_ts <= ?1) \
                 ORDER BY next_due_ts LIMIT 1"
            }
        };
        let retry_ms = self.outbox_policy.timer_retry.num_milliseconds();
        for _ in 0..batch {
            let step = self.tx(|s| {
                let rows = s.db.query(sql, &[Val::from(now_ms)])?;
                let Some(row) = rows.first() else { return Ok(None) };
                let id = row[0].text()?;
                let result = s.load_in_tx(&id).and_then(|(procedure, mut dossier, before)| {
                    let applied = engine::advance(&mut dossier, &procedure, now).map_err(StoreError::Rejected)?;
                    match s.write(&procedure, &dossier, before, &applied, None) {
                        Ok(()) => Ok(Some(applied)),
                        Err(DbError::Unique(_)) => Ok(None),
                        Err(e) => Err(e.into()),
                    }
                });
                match result {
                    Ok(Some(applied)) => Ok(Some((id, Ok(applied)))),
                    Ok(None) => Err(StoreError::VersionConflict { dossier: id, detail: "fired elsewhere".into() }),
                    Err(e @ (StoreError::Unavailable(_) | StoreError::Database(_))) => Err(e),
                    Err(e) => {
                        s.db.exec(
                            "UPDATE dossiers SET timer_retry_ts = ?1 WHERE id = ?2",
                            &[Val::from(now_ms + retry_ms), Val::from(&id)],
                        )?;
                        Ok(Some((id, Err(e))))
                    }
                }
            });
            match step {
                Ok(None) => break,
                Ok(Some((id, Ok(applied)))) => {
                    // No events: the index was stale and is now refreshed; nothing fired.
                    if !applied.events.is_empty() {
                        out.fired.push((id, applied));
                    }
                }
                Ok(Some((id, Err(e)))) => out.failed.push((id, e)),
                Err(StoreError::VersionConflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Reads what a command needs in ONE statement: the dossier row, its events and the
    /// stored outcome of `command_id`, if any (a retry with the same body gets it back; with
    /// another body it is [`StoreError::IdempotencyConflict`]). A dossier `visible` refuses
    /// is [`Loaded::Missing`], whatever the command id.
    fn load_for_command(
        &mut self,
        dossier_id: &str,
        command_id: &str,
        body: &str,
        visible: &dyn Fn(&Dossier) -> bool,
    ) -> Result<Loaded, StoreError> {
        let rows = self.db.query(
            "SELECT d.procedure_code, d.procedure_version, d.version, d.head, e.seq, e.body, c.body_sha256, c.outcome \
             FROM dossiers d LEFT JOIN commands c ON c.dossier_id = d.id AND c.command_id = ?2 \
             LEFT JOIN events e ON e.dossier_id = d.id WHERE d.id = ?1 ORDER BY e.seq",
            &[Val::from(dossier_id), Val::from(command_id)],
        )?;
        let Some(first) = rows.first() else { return Ok(Loaded::Missing) };
        let (procedure, dossier, before) = self.load_rows(dossier_id, &rows)?;
        if !visible(&dossier) {
            return Ok(Loaded::Missing);
        }
        let stored = match first[6].opt_text()? {
            None => None,
            Some(sha) if sha != body => {
                return Err(StoreError::IdempotencyConflict {
                    dossier: dossier_id.to_owned(),
                    command: command_id.to_owned(),
                });
            }
            Some(_) => {
                let mut applied: Applied = serde_json::from_str(&first[7].text()?)
                    .map_err(|e| StoreError::Integrity(format!("stored outcome of {dossier_id}/{command_id}: {e}")))?;
                applied.duplicate = true;
                applied.effects.iter_mut().for_each(engine::normalize_effect);
                Some(applied)
            }
        };
        Ok(match stored {
            Some(applied) => Loaded::Duplicate(Stored { dossier, applied }),
            None => Loaded::Dossier(procedure, dossier, before),
        })
    }

    fn head(&mut self, dossier_id: &str) -> Result<Head, StoreError> {
        let rows = self.db.query(
            "SELECT procedure_code, procedure_version, version, head FROM dossiers WHERE id = ?1",
            &[Val::from(dossier_id)],
        )?;
        let row = rows.first().ok_or_else(|| StoreError::NotFound(format!("dossier {dossier_id}")))?;
        Ok(Head {
            code: row[0].text()?,
            version_str: row[1].text()?,
            version: row[2].int()? as u64,
            head: row[3].text()?,
        })
    }

    pub(crate) fn stored_events(&mut self, dossier_id: &str) -> Result<Vec<Event>, StoreError> {
        let rows = self
            .db
            .query("SELECT seq, body FROM events WHERE dossier_id = ?1 ORDER BY seq", &[Val::from(dossier_id)])?;
        rows.iter().map(|r| parse_event(dossier_id, r[0].int()?, &r[1].text()?)).collect()
    }

    /// Loads a dossier by replaying its events; returns the pinned procedure and version.
    ///
    /// The dossier row and its events are read in ONE statement, so they come from one
    /// snapshot even under PostgreSQL's READ COMMITTED while other writers commit.
    pub(crate) fn load_in_tx(&mut self, dossier_id: &str) -> Result<(Arc<Procedure>, Dossier, u64), StoreError> {
        let rows = self.db.query(
            "SELECT d.procedure_code, d.procedure_version, d.version, d.head, e.seq, e.body \
             FROM dossiers d LEFT JOIN events e ON e.dossier_id = d.id WHERE d.id = ?1 ORDER BY e.seq",
            &[Val::from(dossier_id)],
        )?;
        if rows.is_empty() {
            return Err(StoreError::NotFound(format!("dossier {dossier_id}")));
        }
        self.load_rows(dossier_id, &rows)
    }

    /// Rebuilds a dossier from rows that start with `procedure_code, procedure_version,
    /// version, head, seq, body` (the dossier row joined with its events, in order).
    fn load_rows(&mut self, dossier_id: &str, rows: &[Row]) -> Result<(Arc<Procedure>, Dossier, u64), StoreError> {
        let first = rows.first().ok_or_else(|| StoreError::NotFound(format!("dossier {dossier_id}")))?;
        let head = Head {
            code: first[0].text()?,
            version_str: first[1].text()?,
            version: first[2].int()? as u64,
            head: first[3].text()?,
        };
        let mut events = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(seq) = r[4].opt_int()? else { continue };
            events.push(parse_event(dossier_id, seq, &r[5].text()?)?);
        }
        let procedure = self.procedure(&head.code, &head.version_str)?;
        let mut versions = vec![procedure.clone()];
        for version in engine::versions_of(&events) {
            if version != head.version_str {
                versions.push(self.procedure(&head.code, &version)?);
            }
        }
        let versions: Vec<&Procedure> = versions.iter().map(|p| p.as_ref()).collect();
        let dossier = engine::load(&versions, &events, &head.head)
            .map_err(|e| StoreError::Integrity(format!("dossier {dossier_id}: {e}")))?;
        if dossier.version() != head.version {
            return Err(StoreError::Integrity(format!(
                "dossier {dossier_id}: the row says version {}, the events give {}",
                head.version,
                dossier.version()
            )));
        }
        Ok((procedure, dossier, head.version))
    }

    /// A stored dossier, rebuilt from its events with its pinned procedure version and
    /// checked against its stored head.
    pub fn dossier(&mut self, dossier_id: &str) -> Result<Dossier, StoreError> {
        self.read(|s| s.load_in_tx(dossier_id).map(|(_, d, _)| d))
    }

    /// The stored events of a dossier, in order.
    pub fn events(&mut self, dossier_id: &str) -> Result<Vec<Event>, StoreError> {
        self.read(|s| {
            s.head(dossier_id)?;
            s.stored_events(dossier_id)
        })
    }

    /// Runs `f` in a read transaction that sees one consistent state.
    pub(crate) fn read<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let begin = match self.backend() {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        self.db.batch(begin)?;
        let result = f(self);
        self.db.rollback();
        result
    }

    /// Checks a dossier's stored data against its events: the hash chain ends at the
    /// stored head, the replay with the pinned procedure (whose text must match its
    /// SHA-256) succeeds, and the stored version, index columns and snapshot (if any) all
    /// equal what the replay gives. Any difference is [`StoreError::Integrity`].
    pub fn verify(&mut self, dossier_id: &str) -> Result<Verified, StoreError> {
        self.read(|s| {
            let (procedure, dossier, _) = s.load_in_tx(dossier_id)?;
            let rows = s.db.query(
                "SELECT status, appointment_ts, suspended, next_due_ts, closed_ts, outcome_kind, verdict, supplements, \
                 extended, jurisdiction, submitted_ts, updated_ts FROM dossiers WHERE id = ?1",
                &[Val::from(dossier_id)],
            )?;
            let expected = index_cells(&procedure, &dossier);
            let names = [
                "status",
                "appointment_ts",
                "suspended",
                "next_due_ts",
                "closed_ts",
                "outcome_kind",
                "verdict",
                "supplements",
                "extended",
                "jurisdiction",
                "submitted_ts",
                "updated_ts",
            ];
            for ((name, stored), want) in names.iter().zip(&rows[0]).zip(&expected) {
                if stored != want {
                    return Err(StoreError::Integrity(format!(
                        "dossier {dossier_id}: column {name} is {stored:?}, the events give {want:?}"
                    )));
                }
            }
            let agencies = s.db.query(
                "SELECT agency FROM dossier_agencies WHERE dossier_id = ?1 ORDER BY agency",
                &[Val::from(dossier_id)],
            )?;
            let agencies: Vec<String> = agencies.iter().map(|r| r[0].text()).collect::<Result<_, _>>()?;
            let index = engine::index(&procedure, &dossier);
            if agencies != index.agencies {
                return Err(StoreError::Integrity(format!("dossier {dossier_id}: the agency index differs")));
            }
            let handlers = s.db.query(
                "SELECT unit, agency FROM dossier_handlers WHERE dossier_id = ?1 ORDER BY unit, agency",
                &[Val::from(dossier_id)],
            )?;
            let handlers: Vec<(String, String)> =
                handlers.iter().map(|r| Ok((r[0].text()?, r[1].text()?))).collect::<Result<_, StoreError>>()?;
            if handlers != index.handlers {
                return Err(StoreError::Integrity(format!("dossier {dossier_id}: the handler index differs")));
            }
            let snap = s
                .db
                .query("SELECT version, head, body FROM snapshots WHERE dossier_id = ?1", &[Val::from(dossier_id)])?;
            let snapshot = match snap.first() {
                None => false,
                Some(row) => {
                    let stored: Dossier = serde_json::from_str(&row[2].text()?).map_err(|e| {
                        StoreError::Integrity(format!("dossier {dossier_id}: the snapshot does not parse: {e}"))
                    })?;
                    if row[0].int()? as u64 != dossier.version()
                        || row[1].text()? != dossier.head()
                        || stored != dossier
                    {
                        return Err(StoreError::Integrity(format!(
                            "dossier {dossier_id}: the snapshot differs from the replay of its events"
                        )));
                    }
                    true
                }
            };
            Ok(Verified {
                events: dossier.history().len(),
                version: dossier.version(),
                head: dossier.head().to_owned(),
                snapshot,
            })
        })
    }

    /// Rewrites the snapshot of a dossier from its events (after snapshots were deleted,
    /// or to repair one [`Store::verify`] found altered).
    pub fn rebuild_snapshot(&mut self, dossier_id: &str) -> Result<(), StoreError> {
        self.tx(|s| {
            let (_, dossier, _) = s.load_in_tx(dossier_id)?;
            s.upsert_snapshot(&dossier)
        })
    }

    fn upsert_snapshot(&mut self, dossier: &Dossier) -> Result<(), StoreError> {
        self.db.exec(
            "INSERT INTO snapshots (dossier_id, version, head, body) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (dossier_id) DO UPDATE SET version = excluded.version, head = excluded.head, body = excluded.body",
            &[Val::from(dossier.id()), Val::from(dossier.version() as i64), Val::from(dossier.head()), Val::from(json(dossier)?)],
        )?;
        Ok(())
    }

    /// Stores what one command did: the events, the dossier row (index columns), the agency
    /// rows, the snapshot, the command id and its outcome, one outbox row per effect. All or
    /// nothing: inside the caller's transaction, or on PostgreSQL one statement that is a
    /// transaction by itself. [`DbError::Unique`] means another writer got there first.
    pub(crate) fn write(
        &mut self,
        procedure: &Procedure,
        dossier: &Dossier,
        before: u64,
        applied: &Applied,
        command: Option<(&str, &str)>,
    ) -> Result<(), DbError> {
        if before != 0 && applied.events.is_empty() {
            // Nothing happened (e.g. a timer index that was stale): refresh the index only.
            let ix = engine::index(procedure, dossier);
            self.db.exec(
                "UPDATE dossiers SET next_due_ts = ?2, timer_retry_ts = NULL WHERE id = ?1",
                &[Val::from(dossier.id()), Val::from(ix.next_due.map(ms))],
            )?;
            return Ok(());
        }
        match self.backend() {
            Backend::Sqlite => self.write_rows(procedure, dossier, before, applied, command),
            Backend::Postgres => self.write_one_statement(procedure, dossier, before, applied, command),
        }
    }

    /// [`Store::write`] on PostgreSQL: ONE statement, one round trip. The dossier row is
    /// inserted (a new dossier) or updated only if it is still at version `before`; every
    /// other row is written from the row that statement returns, so a dossier that moved
    /// on writes nothing (and the statement reports 0 rows). The rows of the events, the
    /// agencies and the effects travel as arrays (`unnest`).
    fn write_one_statement(
        &mut self,
        procedure: &Procedure,
        dossier: &Dossier,
        before: u64,
        applied: &Applied,
        command: Option<(&str, &str)>,
    ) -> Result<(), DbError> {
        // `u` is the dossier row just written; ?1 is the id, ?2..?15 the other rows, the
        // dossier row's own values from ?16.
        // The handler rows (unit, agency) are the last two parameters, ?{hu} and ?{ha}.
        let rows = |hu: usize, ha: usize| {
            format!(
                "\
            ev AS (INSERT INTO events (dossier_id, seq, at, command_id, body) \
                SELECT u.id, x.seq, x.at, x.command_id, x.body \
                FROM u, unnest(?2::bigint[], ?3::text[], ?4::text[], ?5::text[]) AS x(seq, at, command_id, body)), \
            da AS (DELETE FROM dossier_agencies WHERE dossier_id IN (SELECT id FROM u) AND agency <> ALL(?6::text[])), \
            ia AS (INSERT INTO dossier_agencies (agency, dossier_id) SELECT a, u.id FROM u, unnest(?6::text[]) AS a \
                ON CONFLICT DO NOTHING), \
            sn AS (INSERT INTO snapshots (dossier_id, version, head, body) SELECT u.id, u.version, u.head, ?7::text FROM u \
                ON CONFLICT (dossier_id) DO UPDATE SET version = excluded.version, head = excluded.head, body = excluded.body), \
            cm AS (INSERT INTO commands (dossier_id, command_id, body_sha256, outcome) \
                SELECT u.id, ?8::text, ?9::text, ?10::text FROM u WHERE ?8::text IS NOT NULL), \
            ob AS (INSERT INTO outbox (dossier_id, seq, n, key, effect, state, attempts, available_ts) \
                SELECT u.id, x.seq, x.n, x.key, x.effect, 'pending', 0, ?11::bigint \
                FROM u, unnest(?12::bigint[], ?13::bigint[], ?14::text[], ?15::text[]) AS x(seq, n, key, effect)), \
            dh AS (DELETE FROM dossier_handlers WHERE dossier_id IN (SELECT id FROM u) \
                AND (unit, agency) NOT IN (SELECT x.unit, x.agency FROM unnest(?{hu}::text[], ?{ha}::text[]) AS x(unit, agency))), \
            ih AS (INSERT INTO dossier_handlers (unit, agency, dossier_id) SELECT x.unit, x.agency, u.id \
                FROM u, unnest(?{hu}::text[], ?{ha}::text[]) AS x(unit, agency) ON CONFLICT DO NOTHING) \
            SELECT count(*) FROM u"
            )
        };
        let id = dossier.id();
        let to_db = |e: StoreError| DbError::Other(e.to_string());
        let ix = engine::index(procedure, dossier);
        let last_seq = applied.events.last().map_or(dossier.version(), |e| e.seq);
        let (mut out_seq, mut out_n, mut out_key, mut out_effect) = (vec![], vec![], vec![], vec![]);
        for (i, effect) in applied.effects.iter().enumerate() {
            let (seq, n) = engine::effect_position(effect, last_seq, i);
            out_seq.push(seq);
            out_n.push(n);
            out_key.push(effect.key.clone());
            out_effect.push(json(effect).map_err(to_db)?);
        }
        let mut params = vec![
            Val::from(id),
            Val::Ints(applied.events.iter().map(|e| e.seq as i64).collect()),
            Val::Texts(applied.events.iter().map(|e| e.at.to_rfc3339()).collect()),
            Val::Texts(applied.events.iter().map(|e| e.command_id.clone()).collect()),
            Val::Texts(applied.events.iter().map(json).collect::<Result<_, _>>().map_err(to_db)?),
            Val::Texts(ix.agencies.clone()),
            Val::from(json(dossier).map_err(to_db)?),
            Val::from(command.map(|c| c.0)),
            Val::from(command.map(|c| c.1)),
            match command {
                Some(_) => Val::from(json(applied).map_err(to_db)?),
                None => Val::Text(None),
            },
            Val::from(ms(dossier.updated_at())),
            Val::Ints(out_seq),
            Val::Ints(out_n),
            Val::Texts(out_key),
            Val::Texts(out_effect),
        ];
        // The dossier row: inserted (a new dossier) or updated from version `before`.
        let dossier_row = if before == 0 {
            params.extend([
                Val::from(dossier.procedure_code()),
                Val::from(dossier.procedure_version()),
                Val::from(dossier.version() as i64),
                Val::from(dossier.head()),
                Val::from(dossier.jurisdiction()),
                Val::from(ms(dossier.submitted_at())),
                Val::from(ms(dossier.updated_at())),
            ]);
            "INSERT INTO dossiers (id, procedure_code, procedure_version, version, head, jurisdiction, \
             submitted_ts, updated_ts, status, appointment_ts, suspended, next_due_ts, closed_ts, outcome_kind, \
             verdict, supplements, extended) VALUES (?1, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, \
             ?27, ?28, ?29, ?30, ?31) RETURNING id, version, head"
        } else {
            params.extend([
                Val::from(before as i64),
                Val::from(dossier.version() as i64),
                Val::from(dossier.head()),
                Val::from(ms(dossier.updated_at())),
            ]);
            "UPDATE dossiers SET version = ?17, head = ?18, updated_ts = ?19, status = ?20, \
             appointment_ts = ?21, suspended = ?22, next_due_ts = ?23, closed_ts = ?24, outcome_kind = ?25, \
             verdict = ?26, supplements = ?27, extended = ?28, timer_retry_ts = NULL \
             WHERE id = ?1 AND version = ?16 RETURNING id, version, head"
        };
        params.extend(index_vals(&ix));
        let hu = params.len() + 1;
        params.push(Val::Texts(ix.handlers.iter().map(|h| h.0.clone()).collect()));
        params.push(Val::Texts(ix.handlers.iter().map(|h| h.1.clone()).collect()));
        let written = self.db.query(&format!("WITH u AS ({dossier_row}), {}", rows(hu, hu + 1)), &params)?;
        match written.first().map(|r| r[0].int()) {
            Some(Ok(1)) => Ok(()),
            _ => Err(DbError::Unique(format!("dossier {id} moved past version {before}"))),
        }
    }

    /// [`Store::write`] on SQLite: one statement per row, inside the caller's transaction
    /// (SQLite runs in the process: a statement costs no round trip).
    fn write_rows(
        &mut self,
        procedure: &Procedure,
        dossier: &Dossier,
        before: u64,
        applied: &Applied,
        command: Option<(&str, &str)>,
    ) -> Result<(), DbError> {
        let id = dossier.id();
        let to_db = |e: StoreError| DbError::Other(e.to_string());
        for event in &applied.events {
            self.db.exec(
                "INSERT INTO events (dossier_id, seq, at, command_id, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    Val::from(id),
                    Val::from(event.seq as i64),
                    Val::from(event.at.to_rfc3339()),
                    Val::from(&event.command_id),
                    Val::from(json(event).map_err(to_db)?),
                ],
            )?;
        }
        let ix = engine::index(procedure, dossier);
        let cells = index_vals(&ix);
        if before == 0 {
            let mut params = vec![
                Val::from(id),
                Val::from(dossier.procedure_code()),
                Val::from(dossier.procedure_version()),
                Val::from(dossier.version() as i64),
                Val::from(dossier.head()),
                Val::from(dossier.jurisdiction()),
                Val::from(ms(dossier.submitted_at())),
                Val::from(ms(dossier.updated_at())),
            ];
            params.extend(cells);
            self.db.exec(
                "INSERT INTO dossiers (id, procedure_code, procedure_version, version, head, jurisdiction, submitted_ts, \
                 updated_ts, status, appointment_ts, suspended, next_due_ts, closed_ts, outcome_kind, verdict, \
                 supplements, extended) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                &params,
            )?;
        } else {
            let mut params = vec![
                Val::from(id),
                Val::from(before as i64),
                Val::from(dossier.version() as i64),
                Val::from(dossier.head()),
                Val::from(ms(dossier.updated_at())),
            ];
            params.extend(cells);
            let n = self.db.exec(
                "UPDATE dossiers SET version = ?3, head = ?4, updated_ts = ?5, status = ?6, appointment_ts = ?7, \
                 suspended = ?8, next_due_ts = ?9, closed_ts = ?10, outcome_kind = ?11, verdict = ?12, supplements = ?13, \
                 extended = ?14, timer_retry_ts = NULL WHERE id = ?1 AND version = ?2",
                &params,
            )?;
            if n != 1 {
                return Err(DbError::Unique(format!("dossier {id} moved past version {before}")));
            }
        }
        self.db.exec("DELETE FROM dossier_agencies WHERE dossier_id = ?1", &[Val::from(id)])?;
        for agency in &ix.agencies {
            self.db.exec(
                "INSERT INTO dossier_agencies (agency, dossier_id) VALUES (?1, ?2)",
                &[Val::from(agency), Val::from(id)],
            )?;
        }
        self.db.exec("DELETE FROM dossier_handlers WHERE dossier_id = ?1", &[Val::from(id)])?;
        for (unit, agency) in &ix.handlers {
            self.db.exec(
                "INSERT INTO dossier_handlers (unit, agency, dossier_id) VALUES (?1, ?2, ?3)",
                &[Val::from(unit), Val::from(agency), Val::from(id)],
            )?;
        }
        self.upsert_snapshot(dossier).map_err(to_db)?;
        if let Some((command_id, body)) = command {
            self.db.exec(
                "INSERT INTO commands (dossier_id, command_id, body_sha256, outcome) VALUES (?1, ?2, ?3, ?4)",
                &[Val::from(id), Val::from(command_id), Val::from(body), Val::from(json(applied).map_err(to_db)?)],
            )?;
        }
        let last_seq = applied.events.last().map_or(dossier.version(), |e| e.seq);
        let now = ms(dossier.updated_at());
        for (i, effect) in applied.effects.iter().enumerate() {
            let (seq, n) = engine::effect_position(effect, last_seq, i);
            self.db.exec(
                "INSERT INTO outbox (dossier_id, seq, n, key, effect, state, attempts, available_ts) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6)",
                &[
                    Val::from(id),
                    Val::from(seq),
                    Val::from(n),
                    Val::from(&effect.key),
                    Val::from(json(effect).map_err(to_db)?),
                    Val::from(now),
                ],
            )?;
        }
        Ok(())
    }
}

fn parse_event(dossier_id: &str, seq: i64, body: &str) -> Result<Event, StoreError> {
    let event: Event = serde_json::from_str(body)
        .map_err(|e| StoreError::Integrity(format!("dossier {dossier_id} event {seq}: {e}")))?;
    if event.seq as i64 != seq {
        return Err(StoreError::Integrity(format!(
            "dossier {dossier_id}: the row of event {seq} holds event {}",
            event.seq
        )));
    }
    Ok(event)
}

fn procedure_version(row: &Row) -> Result<ProcedureVersion, StoreError> {
    Ok(ProcedureVersion {
        code: row[0].text()?,
        version: row[1].text()?,
        sha256: row[2].text()?,
        loaded_at: row[3].text()?,
        ord: row[4].int()?,
    })
}

/// `status, appointment_ts, suspended, next_due_ts, closed_ts, outcome_kind, verdict,
/// supplements, extended`.
fn index_vals(ix: &engine::Index) -> Vec<Val> {
    vec![
        Val::from(ix.status),
        Val::from(ms(ix.appointment)),
        Val::from(i64::from(ix.suspended)),
        Val::from(ix.next_due.map(ms)),
        Val::from(ix.closed.map(|c| ms(c.0))),
        Val::from(ix.closed.map(|c| c.1)),
        Val::from(ix.verdict),
        Val::from(ix.supplements),
        Val::from(i64::from(ix.extended)),
    ]
}

/// The index columns as read back, for [`Store::verify`].
fn index_cells(procedure: &Procedure, dossier: &Dossier) -> Vec<crate::db::Cell> {
    use crate::db::Cell;
    let ix = engine::index(procedure, dossier);
    let int = |v: Option<i64>| v.map_or(Cell::Null, Cell::Int);
    let text = |v: Option<&str>| v.map_or(Cell::Null, |s| Cell::Text(s.to_owned()));
    vec![
        Cell::Int(ix.status),
        Cell::Int(ms(ix.appointment)),
        Cell::Int(i64::from(ix.suspended)),
        int(ix.next_due.map(ms)),
        int(ix.closed.map(|c| ms(c.0))),
        text(ix.closed.map(|c| c.1)),
        text(ix.verdict),
        Cell::Int(ix.supplements),
        Cell::Int(i64::from(ix.extended)),
        Cell::Text(dossier.jurisdiction().to_owned()),
        Cell::Int(ms(dossier.submitted_at())),
        Cell::Int(ms(dossier.updated_at())),
    ]
}

impl Store {
    /// When the command `command_id` was first applied to the dossier (the time of its
    /// first event), if it was. A host that stamps commands with its own clock uses it to
    /// give a retry the original's time, so the retry is recognised as the same command.
    pub fn command_time(
        &mut self,
        dossier_id: &str,
        command_id: &str,
    ) -> Result<Option<DateTime<FixedOffset>>, StoreError> {
        let rows = self.db.query(
            "SELECT at FROM events WHERE dossier_id = ?1 AND command_id = ?2 ORDER BY seq LIMIT 1",
            &[Val::from(dossier_id), Val::from(command_id)],
        )?;
        let Some(row) = rows.first() else { return Ok(None) };
        let text = row[0].text()?;
        DateTime::parse_from_rfc3339(&text)
            .map(Some)
            .map_err(|e| StoreError::Integrity(format!("dossier {dossier_id}: event time `{text}`: {e}")))
    }
}
