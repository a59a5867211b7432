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
mod expr;
mod form;
mod handoff;
mod library;
mod limits;
pub mod scenario;
pub mod spec;
mod status;
mod text;
pub mod version;

pub use calendar::{
    Calendar, CalendarError, CalendarSpec, Calendars, ClockTime, Dated, DayKind, DayStatus, KnownDifference, MarkedDay,
    ParseClockTimeError, Session, StatutoryHoliday, Weekday, Years,
};
pub use compile::{
    Action, Catalogue, Direction, Edge, HandOffRoute, Node, Outcome, OutcomeIx, Procedure, Receives, Step, StepIx,
    Target, Units,
};
pub use diagnostic::{Code, Diagnostic, LoadError, Message, Severity};
pub use dossier::{
    ActiveStep, Actor, Applied, AppointmentCause, Closure, Command, CommandKind, Deadline, Dossier, Effect, EffectKind,
    Event, EventKind, Punctuality, Rejection, SYSTEM_ROLE, StepDue, StepRecord, Submission, TimerDue, Timing,
    runtime_schemas, verify_history,
};
pub use duration::{DurationUnit, ParseDurationError, WorkingDuration};
pub use expr::{CompiledExpr, ExprError, ExprLimits, GroupId, Span, Type, Value};
pub use form::{
    AdminLevel, Bound, CITIZEN_ID_PROVINCES, DocumentSpec, FieldSpec, FieldType, FileMeta, Form, FormSpec, Messages,
    Problem, Repeat, RuleSpec, SubmittedDocument, Validation, parse_guard,
};
pub use library::Library;
pub use limits::Limits;
pub use spec::procedure::{Channel, Clock, OutcomeKind, ServiceMode, SlipKind};
pub use status::NationalStatus;
pub use text::Text;
