//! The one error type of the store.

use motcua::Rejection;

/// Everything that can go wrong in the store, with a stable [`StoreError::code`].
///
/// No error leaves a transaction half written: each write happens in one transaction that
/// is rolled back before the error is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another writer changed the dossier first (optimistic concurrency): reload and decide
    /// again. Code `version_conflict`.
    #[error("version_conflict: dossier `{dossier}`: {detail}")]
    VersionConflict {
        /// The dossier.
        dossier: String,
        /// What conflicted.
        detail: String,
    },
    /// Something with this identity already exists with different content (a dossier id
    /// submitted twice with different submissions, a procedure version registered twice with
    /// different text). Code `duplicate`.
    #[error("duplicate: {0}")]
    Duplicate(String),
    /// A command id already used on this dossier, with a different command body.
    /// Code `idempotency_conflict`.
    #[error("idempotency_conflict: command `{command}` on dossier `{dossier}` was already applied with another body")]
    IdempotencyConflict {
        /// The dossier.
        dossier: String,
        /// The command id.
        command: String,
    },
    /// No such dossier, procedure or outbox entry. Code `not_found`.
    #[error("not_found: {0}")]
    NotFound(String),
    /// The database cannot be reached, is busy past the timeout, or the connection broke.
    /// Retrying later may succeed. Code `unavailable`.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Stored data does not check out: a broken hash chain, a head, snapshot or index row
    /// that differs from the replay of the events, or a procedure text whose SHA-256
    /// changed. Code `integrity`.
    #[error("integrity: {0}")]
    Integrity(String),
    /// The engine refused the command; nothing was stored. Code `rejected`.
    #[error("rejected: {0}")]
    Rejected(Rejection),
    /// A procedure text that does not compile against the store's library.
    /// Code `invalid_procedure`.
    #[error("invalid_procedure: {0}")]
    InvalidProcedure(String),
    /// The schema in the database is newer than this build knows. Code `schema`.
    #[error("schema: {0}")]
    Schema(String),
    /// Any other database error. Code `database`.
    #[error("database: {0}")]
    Database(String),
}

impl StoreError {
    /// A stable, machine-readable code: `version_conflict`, `duplicate`,
    /// `idempotency_conflict`, `not_found`, `unavailable`, `integrity`, `rejected`,
    /// `invalid_procedure`, `schema` or `database`.
    ///
    /// ```
    /// let e = motcua_store::StoreError::NotFound("dossier HS-1".into());
    /// assert_eq!(e.code(), "not_found");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::VersionConflict { .. } => "version_conflict",
            StoreError::Duplicate(_) => "duplicate",
            StoreError::IdempotencyConflict { .. } => "idempotency_conflict",
            StoreError::NotFound(_) => "not_found",
            StoreError::Unavailable(_) => "unavailable",
            StoreError::Integrity(_) => "integrity",
            StoreError::Rejected(_) => "rejected",
            StoreError::InvalidProcedure(_) => "invalid_procedure",
            StoreError::Schema(_) => "schema",
            StoreError::Database(_) => "database",
        }
    }

    /// The engine's rejection, for [`StoreError::Rejected`].
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            StoreError::Rejected(r) => Some(r),
            _ => None,
        }
    }

    /// Whether retrying the same call later may succeed (`version_conflict` after a
    /// reload, `unavailable`).
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::VersionConflict { .. } | StoreError::Unavailable(_))
    }
}
