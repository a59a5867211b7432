//! # motcua — an engine for government administrative procedures
//!
//! Policy staff describe a procedure (*thủ tục hành chính*) once, as YAML; `motcua`
//! compiles it into a state machine, checks it, and runs dossiers (*hồ sơ*) through it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod calendar;
mod compile;
mod diagnostic;
pub mod diagram;
mod document;
mod dossier;
mod duration;
pub mod expr;
mod form;
mod handoff;
mod library;
mod limits;
pub mod scenario;
pub mod spec;
mod status;
mod text;
pub mod version;

// The root holds what a host uses to load procedures and run dossiers; the spec format's types
// are under `spec`, the scenario file format under `scenario` (its runner is the
// `motcua-scenario` crate), diagrams under `diagram`.
pub use calendar::{Calendar, CalendarError, Calendars, DayKind, MarkedDay};
pub use compile::{Action, Next, Outcome, Procedure, Step};
pub use diagnostic::{Code, Diagnostic, Label, LoadError, Message, Position, Severity};
pub use document::{FileMeta, SubmittedDocument};
pub use dossier::{
    ActiveStep, Actor, Applied, AppointmentCause, CaseChange, Closure, Command, CommandKind, Deadline,
    DeadlineCaseNotice, Dossier, Effect, EffectKind, Event, EventKind, MovedStep, Punctuality, Rejection, SYSTEM_ROLE,
    StepDue, StepRecord, Submission, TimerDue, Timing, runtime_schemas, verify_history,
};
pub use duration::{DurationUnit, ParseDurationError, WorkingDuration};
pub use form::{Delta, Form, FormSession, Messages, Problem, SessionError, Validation};
pub use handoff::{Direction, HandOffRoute, Receives};
pub use library::{Catalogue, Library, Units};
pub use limits::Limits;
pub use spec::procedure::{Channel, OutcomeKind, SlipKind};
pub use status::NationalStatus;
pub use text::Text;
