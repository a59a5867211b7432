//! # motcua — an engine for government administrative procedures
//!
//! Policy staff describe a procedure (*thủ tục hành chính*) once, as YAML; `motcua`
//! compiles it into a state machine, checks it, and runs dossiers (*hồ sơ*) through it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod calendar;
mod diagnostic;
mod duration;
mod limits;
mod text;
mod yaml;

pub use calendar::{
    Calendar, CalendarError, CalendarSpec, Calendars, ClockTime, Dated, ParseClockTimeError,
    Session, Weekday, Years,
};
pub use diagnostic::{Code, Diagnostic, LoadError, Message, Severity};
pub use duration::{DurationUnit, ParseDurationError, WorkingDuration};
pub use limits::Limits;
pub use text::Text;
