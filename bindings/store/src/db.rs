//! The two connections behind one small interface: statements with `?N` placeholders
//! (rewritten to `$N` for PostgreSQL), integer and text values, explicit transactions.

use std::collections::HashMap;
use std::time::Duration;

use crate::StoreError;

/// A parameter: every column of the schema is a 64-bit integer or text. The arrays are
/// for PostgreSQL only (`unnest($n::bigint[])`: many rows in one statement).
#[derive(Clone, Debug)]
pub(crate) enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Ints(Vec<i64>),
    Texts(Vec<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::Int(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(Some(v.to_owned()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(Some(v))
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::Text(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Val {
        Val::Text(v.map(str::to_owned))
    }
}

/// A value read back.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Text(String),
}

impl Cell {
    pub(crate) fn int(&self) -> Result<i64, StoreError> {
        match self {
            Cell::Int(i) => Ok(*i),
            other => Err(StoreError::Database(format!("expected an integer, got {other:?}"))),
        }
    }
    pub(crate) fn opt_int(&self) -> Result<Option<i64>, StoreError> {
        match self {
            Cell::Null => Ok(None),
            other => other.int().map(Some),
        }
    }
    pub(crate) fn text(&self) -> Result<String, StoreError> {
        match self {
            Cell::Text(s) => Ok(s.clone()),
            other => Err(StoreError::Database(format!("expected text, got {other:?}"))),
        }
    }
    pub(crate) fn opt_text(&self) -> Result<Option<String>, StoreError> {
        match self {
            Cell::Null => Ok(None),
            other => other.text().map(Some),
        }
    }
}

pub(crate) type Row = Vec<Cell>;

/// A database failure, classified.
#[derive(Debug)]
pub(crate) enum DbError {
    /// A primary-key or unique constraint was violated.
    Unique(String),
    /// Busy, locked, a serialization failure or a broken connection: retry later.
    Unavailable(String),
    /// Anything else.
    Other(String),
}

impl From<DbError> for StoreError {
    fn from(e: DbError) -> StoreError {
        match e {
            DbError::Unique(m) => StoreError::Database(format!("unexpected unique violation: {m}")),
            DbError::Unavailable(m) => StoreError::Unavailable(m),
            DbError::Other(m) => StoreError::Database(m),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        use rusqlite::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::ConstraintViolation
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                        || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
                {
                    DbError::Unique(e.to_string())
                }
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked | ErrorCode::CannotOpen => {
                    DbError::Unavailable(e.to_string())
                }
                _ => DbError::Other(e.to_string()),
            },
            _ => DbError::Other(e.to_string()),
        }
    }
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        use postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => DbError::Unique(e.to_string()),
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE
                    || *c == SqlState::TOO_MANY_CONNECTIONS
                    || *c == SqlState::ADMIN_SHUTDOWN
                    || *c == SqlState::CANNOT_CONNECT_NOW =>
            {
                DbError::Unavailable(e.to_string())
            }
            Some(_) => DbError::Other(e.to_string()),
            // No SQLSTATE: the connection itself failed (refused, closed, I/O), or a
            // value did not convert (a bug, not an outage).
            None => {
                let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
                if e.is_closed() || io { DbError::Unavailable(e.to_string()) } else { DbError::Other(e.to_string()) }
            }
        }
    }
}

/// Which backend a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, one file, one writer at a time (WAL).
    Sqlite,
    /// PostgreSQL, many replicas.
    Postgres,
}

// One connection per `Store`, never moved in a hot loop: the size difference does not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Postgres {
        client: postgres::Client,
        url: String,
        schema: Option<String>,
        statements: HashMap<String, postgres::Statement>,
        /// Set when a call failed as unavailable: reconnect before the next transaction.
        broken: bool,
    },
}

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Val::Int(Some(i)) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Val::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Val::Int(None) | Val::Text(None) => ToSqlOutput::Borrowed(ValueRef::Null),
            Val::Ints(_) | Val::Texts(_) => {
                return Err(rusqlite::Error::ToSqlConversionFailure("SQLite has no array parameters".into()));
            }
        })
    }
}

/// `?1` → `$1`, for PostgreSQL.
fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn pg_connect(url: &str, schema: Option<&str>) -> Result<postgres::Client, DbError> {
    let mut client = postgres::Client::connect(url, postgres::NoTls)?;
    if let Some(schema) = schema {
        let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
        client.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {quoted}; SET search_path TO {quoted}"))?;
    }
    Ok(client)
}

impl Db {
    pub(crate) fn open_sqlite(path: &std::path::Path) -> Result<Db, DbError> {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(DbError::Other(format!("could not switch SQLite to WAL (journal_mode is {mode})")));
        }
        // FULL: a commit is on disk (WAL fsynced) before it is acknowledged.
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        Ok(Db::Sqlite(conn))
    }

    pub(crate) fn open_postgres(url: &str, schema: Option<&str>) -> Result<Db, DbError> {
        let client = pg_connect(url, schema)?;
        Ok(Db::Postgres {
            client,
            url: url.to_owned(),
            schema: schema.map(str::to_owned),
            statements: HashMap::new(),
            broken: false,
        })
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres { .. } => Backend::Postgres,
        }
    }

    /// Reconnects a PostgreSQL client whose connection closed (between transactions only).
    pub(crate) fn ensure_connected(&mut self) -> Result<(), DbError> {
        if let Db::Postgres { client, url, schema, statements, broken } = self
            && (*broken || client.is_closed())
        {
            *client = pg_connect(url, schema.as_deref())?;
            statements.clear();
            *broken = false;
        }
        Ok(())
    }

    pub(crate) fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres { client, broken, .. } => client.batch_execute(sql).map_err(|e| mark(broken, e)),
        }
    }

    /// Starts a write transaction: on SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a transaction never fails half-way on a lock upgrade.
    pub(crate) fn begin(&mut self) -> Result<(), DbError> {
        self.ensure_connected()?;
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch("BEGIN IMMEDIATE")?),
            // A dropped connection often shows first here: mark it, so the next call reconnects
            // even before the client has noticed that its connection closed.
            Db::Postgres { client, broken, .. } => client.batch_execute("BEGIN").map_err(|e| mark(broken, e)),
        }
    }

    pub(crate) fn commit(&mut self) -> Result<(), DbError> {
        self.batch("COMMIT")
    }

    pub(crate) fn rollback(&mut self) {
        // Best effort: on a broken connection the server rolls back by itself.
        let _ = self.batch("ROLLBACK");
    }

    pub(crate) fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64, DbError> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
            }
            Db::Postgres { client, statements, broken, .. } => {
                let stmt = pg_statement(client, statements, sql).map_err(|e| mark_db(broken, e))?;
                let refs = pg_params(params);
                client.execute(&stmt, &refs).map_err(|e| mark(broken, e))
            }
        }
    }

    pub(crate) fn query(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Row>, DbError> {
        match self {
            Db::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let mut cells = Vec::with_capacity(n);
                    for i in 0..n {
                        use rusqlite::types::ValueRef;
                        cells.push(match row.get_ref(i)? {
                            ValueRef::Null => Cell::Null,
                            ValueRef::Integer(v) => Cell::Int(v),
                            ValueRef::Real(v) => Cell::Int(v as i64),
                            ValueRef::Text(t) | ValueRef::Blob(t) => {
                                Cell::Text(String::from_utf8_lossy(t).into_owned())
                            }
                        });
                    }
                    out.push(cells);
                }
                Ok(out)
            }
            Db::Postgres { client, statements, broken, .. } => {
                let stmt = pg_statement(client, statements, sql).map_err(|e| mark_db(broken, e))?;
                let refs = pg_params(params);
                let rows = client.query(&stmt, &refs).map_err(|e| mark(broken, e))?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut cells = Vec::with_capacity(row.len());
                    for (i, col) in row.columns().iter().enumerate() {
                        use postgres::types::Type;
                        let t = col.type_();
                        let cell = if *t == Type::INT8 {
                            row.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int)
                        } else if *t == Type::INT4 {
                            row.try_get::<_, Option<i32>>(i)?.map_or(Cell::Null, |v| Cell::Int(v.into()))
                        } else if *t == Type::INT2 {
                            row.try_get::<_, Option<i16>>(i)?.map_or(Cell::Null, |v| Cell::Int(v.into()))
                        } else if *t == Type::BOOL {
                            row.try_get::<_, Option<bool>>(i)?.map_or(Cell::Null, |v| Cell::Int(v.into()))
                        } else {
                            row.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text)
                        };
                        cells.push(cell);
                    }
                    out.push(cells);
                }
                Ok(out)
            }
        }
    }
}

/// Classifies a PostgreSQL error, remembering a lost connection.
fn mark(broken: &mut bool, e: postgres::Error) -> DbError {
    use postgres::error::SqlState;
    // The connection itself: a failure without an SQLSTATE, the server terminating this
    // backend (57P01, e.g. pg_terminate_backend or a restart), or a connection exception
    // (class 08). A serialization failure or a lock time-out leaves the connection usable.
    let connection = match e.code() {
        None => true,
        Some(c) => *c == SqlState::ADMIN_SHUTDOWN || *c == SqlState::CANNOT_CONNECT_NOW || c.code().starts_with("08"),
    };
    if !connection {
        return e.into();
    }
    mark_db(broken, e.into())
}

fn mark_db(broken: &mut bool, e: DbError) -> DbError {
    if matches!(e, DbError::Unavailable(_)) {
        *broken = true;
    }
    e
}

fn pg_statement(
    client: &mut postgres::Client,
    statements: &mut HashMap<String, postgres::Statement>,
    sql: &str,
) -> Result<postgres::Statement, DbError> {
    if let Some(s) = statements.get(sql) {
        return Ok(s.clone());
    }
    let stmt = client.prepare(&dollar_placeholders(sql))?;
    statements.insert(sql.to_owned(), stmt.clone());
    Ok(stmt)
}

/// The parameters as the client takes them, borrowed (no copy of the texts).
fn pg_params(params: &[Val]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|v| -> &(dyn postgres::types::ToSql + Sync) {
            match v {
                Val::Int(i) => i,
                Val::Text(s) => s,
                Val::Ints(v) => v,
                Val::Texts(v) => v,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_rewritten_for_postgres() {
        assert_eq!(super::dollar_placeholders("a = ?1 AND b = ?12 OR c = '?'"), "a = $1 AND b = $12 OR c = '?'");
    }
}
