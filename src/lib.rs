//! # motcua — an engine for government administrative procedures
//!
//! Policy staff describe a procedure (*thủ tục hành chính*) once, as YAML; `motcua`
//! compiles it into a state machine, checks it, and runs dossiers (*hồ sơ*) through it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod diagnostic;
mod duration;
mod expr;
mod form;
mod limits;
mod text;
mod yaml;

pub use diagnostic::{Code, Diagnostic, LoadError, Message, Severity};
pub use duration::{DurationUnit, ParseDurationError, WorkingDuration};
pub use expr::{CompiledExpr, ExprError, ExprLimits, GroupId, Span, Type, Value};
pub use form::{
    AdminLevel, Bound, CITIZEN_ID_PROVINCES, DocumentSpec, FieldSpec, FieldType, FileMeta, Form,
    FormSpec, Messages, Problem, Repeat, RuleSpec, SubmittedDocument, Validation, parse_guard,
};
pub use limits::Limits;
pub use text::Text;
