//! Working-day calendars and deadline arithmetic.
//!
//! A calendar is data (`specs/calendars/*.yaml`, read as a [`CalendarSpec`]): the
//! working weekdays, office hours as sessions, public holidays, compensatory days off,
//! swapped working days, the UTC offset and the years covered. [`Calendars`] validates
//! and compiles calendar files; a compiled [`Calendar`] answers deadline questions in
//! constant time (see its documentation for the exact rounding and boundary rules).
//!
//! ```
//! use chrono::{FixedOffset, NaiveTime, TimeZone};
//! use motcua::{Calendars, WorkingDuration};
//!
//! let mut set = Calendars::new();
//! let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
//! set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
//! let cal = set.get("vn-gov").unwrap();
//!
//! let vn = FixedOffset::east_opt(7 * 3600).unwrap();
//! // Received on the Friday before Tết 2026 at 16:00, after the 15:00 cut-off:
//! let received = vn.with_ymd_and_hms(2026, 2, 13, 16, 0, 0).unwrap();
//! let start = cal.start_of_count(received, NaiveTime::from_hms_opt(15, 0, 0)).unwrap();
//! assert_eq!(start, vn.with_ymd_and_hms(2026, 2, 23, 8, 0, 0).unwrap());
//! let due = cal.add(start, WorkingDuration::days(3)).unwrap();
//! assert_eq!(due, vn.with_ymd_and_hms(2026, 2, 25, 17, 0, 0).unwrap());
//! ```

mod compiled;
mod set;

pub use crate::spec::calendar::{
    CalendarSpec, ClockTime, Dated, DayStatus, KnownDifference, ParseClockTimeError, Session, StatutoryHoliday,
    Weekday, Years,
};
pub use compiled::{Calendar, CalendarError};
pub use compiled::{DayKind, MarkedDay};
pub use set::Calendars;
