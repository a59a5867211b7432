//! # motcua-server — the engine as an HTTP service
//!
//! `motcua serve` runs this crate: the procedures of a specs folder, dossiers in the
//! durable store (`motcua-store`, SQLite or PostgreSQL), bearer tokens from the portal's
//! identity provider, the one-stop desk (*bộ phận một cửa*) as web pages. The core and the
//! store hold the logic; this crate translates HTTP and nothing else.
//!
//! ```no_run
//! # async fn run() -> Result<(), motcua_server::ServeError> {
//! let config = motcua_server::Config {
//!     database: motcua_server::Database::parse("postgres://motcua@db/motcua"),
//!     ..motcua_server::Config::default()
//! };
//! motcua_server::serve(config).await // until Ctrl-C or SIGTERM
//! # }
//! ```
//!
//! See the crate README for the API, the tokens and the desk.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod app;
mod auth;
mod cli;
mod desk;
mod error;
mod metrics;
mod openapi;
mod specs;
mod webhook;

pub use api::{
    AckRequest, AvailableAction, ClaimRequest, DeliveryBody, DeskEntry, DevTokenRequest, LintRequest, MigrationRequest,
    Names, Outcome, ProcedureSource, ProcedureSummary, SourceText, SubmitRequest, ValidateRequest,
};
pub use app::{App, Clock, Config, Database, Limits, Running, ServeError, serve, start, system_clock};
pub use auth::{AuthConfig, Claims, KeyError, KeySource, Verifier};
pub use cli::ServeArgs;
pub use error::{ApiError, ErrorBody};
pub use openapi::document as openapi_document;
pub use specs::{SourceFile, Specs, SpecsError};
pub use webhook::{Webhook, signature};
