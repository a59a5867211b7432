//! The compiled [`Calendar`] and its arithmetic.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Timelike};
use serde::Serialize;

use crate::diagnostic::{Code, Message};
use crate::duration::WorkingDuration;
use crate::spec::calendar::{CalendarSpec, DayStatus, Session, StatutoryHoliday, Weekday};
use crate::text::Text;

const DAY_SECS: i64 = 86_400;

/// Why a calendar could not answer: today always a date outside its years.
///
/// ```
/// use chrono::{FixedOffset, TimeZone};
/// use motcua::{Calendars, Code};
///
/// let mut set = Calendars::new();
/// let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
/// set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
/// let cal = set.get("vn-gov").unwrap();
/// let t = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2031, 1, 5, 9, 0, 0).unwrap();
/// let err = cal.add_minutes(t, 60).unwrap_err();
/// assert_eq!(err.code(), Code::OutsideCalendar);
/// assert!(err.message().vi.contains("ngoài phạm vi"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", message.en)]
pub struct CalendarError {
    code: Code,
    message: Message,
}

impl CalendarError {
    /// The stable code ([`Code::OutsideCalendar`]).
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let day = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    /// assert_eq!(cal.is_working_day(day).unwrap_err().code(), motcua::Code::OutsideCalendar);
    /// ```
    pub fn code(&self) -> Code {
        self.code
    }

    /// What went wrong, in Vietnamese and English.
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let day = chrono::NaiveDate::from_ymd_opt(2028, 1, 3).unwrap();
    /// let err = cal.is_working_day(day).unwrap_err();
    /// assert!(err.message().en.contains("2025–2027"));
    /// ```
    pub fn message(&self) -> &Message {
        &self.message
    }
}

/// A dated entry after `extends` was resolved.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: DayKind,
    pub label: Text,
    pub status: DayStatus,
    pub source: String,
    pub statutory: Option<String>,
}

/// What a dated entry makes of a day.
///
/// ```
/// assert_eq!(serde_json::to_string(&motcua::DayKind::DayOff).unwrap(), "\"day_off\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday (`holidays`).
    Holiday,
    /// A compensatory day off (`compensatory_days_off`).
    DayOff,
    /// A swapped working day (`swapped_working_days`).
    Worked,
}

impl DayKind {
    /// `holiday`, `day_off` or `worked`.
    ///
    /// ```
    /// assert_eq!(motcua::DayKind::Worked.as_str(), "worked");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::DayOff => "day_off",
            DayKind::Worked => "worked",
        }
    }
}

/// One day a dated entry of the calendar (or of the one it extends) marks, with its
/// provenance: see [`Calendar::marked_days`].
///
/// ```
/// use chrono::NaiveDate;
/// use motcua::{DayKind, spec::calendar::DayStatus};
/// # let mut set = motcua::Calendars::new();
/// # set.insert_yaml(include_str!("../../specs/calendars/vn-gov.yaml"), "vn-gov.yaml").unwrap();
/// let days = set.get("vn-gov").unwrap().marked_days();
/// let new_year = days.iter().find(|d| d.date == NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
/// assert_eq!((new_year.kind, new_year.status), (DayKind::Holiday, DayStatus::Statutory));
/// assert_eq!(new_year.label.get("en"), "New Year's Day");
/// assert_eq!(new_year.source, "Bộ luật Lao động 45/2019/QH14, Điều 112(1)(a)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MarkedDay {
    /// The day.
    pub date: NaiveDate,
    /// Holiday, compensatory day off or swapped working day.
    pub kind: DayKind,
    /// How sure it is.
    pub status: DayStatus,
    /// What it is.
    pub label: Text,
    /// Where it comes from.
    pub source: String,
}

/// One session in seconds of the local day, with the working seconds before it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sess {
    pub start: u32,
    pub end: u32,
    pub before: u32,
}

/// A working-day calendar compiled for fast deadline arithmetic.
///
/// Built by [`Calendars::insert_yaml`](crate::Calendars::insert_yaml). It holds, for
/// every day of the covered years, whether it is a working day and how many working
/// days precede it, so every query is a handful of integer operations and table
/// look-ups whatever the distance: no day-by-day loops.
///
/// # The model and its rules
///
/// * **Working time** is the union of the office-hours sessions of the working days,
///   each session half-open: `[08:00, 12:00)`. Times are read on the calendar's clock
///   (its UTC offset); instants may come in any offset. Results are returned in the
///   calendar's offset, at whole seconds.
/// * The **working position** of an instant is the working time elapsed from the start
///   of the covered years up to it. [`elapsed`](Calendar::elapsed) is the difference of
///   two positions; [`add`](Calendar::add) finds the instant whose position is the
///   start's plus the duration.
/// * **End-of-session rule:** a non-zero addition returns the *earliest* instant that
///   reaches the target, so a budget that runs out exactly at the close of a session
///   ends at that close (17:00, or 12:00), never at the next opening. Every other
///   result lies strictly inside a session. Adding zero returns the start unchanged.
/// * **Starts outside office hours** count from the next opening: the position does not
///   move during breaks, nights, weekends and holidays.
/// * **Sub-second parts:** a start (of `add`, or the `from` of `elapsed`) with a
///   fraction of a second is rounded *up* to the next whole second and the `to` of
///   `elapsed` is rounded down, so rounding never shortens a budget. `elapsed` counts
///   whole working minutes (truncating), and is `0` when `to` is not after `from`.
/// * **Cut-off:** see [`start_of_count`](Calendar::start_of_count): received at or
///   after the cut-off time on a working day, the count starts at the next working
///   day's opening.
/// * **Outside the covered years** every query is an error
///   ([`Code::OutsideCalendar`]), including an addition whose result would fall after
///   the last covered year. The calendar never guesses.
///
/// With these rules, for any instant `t` and durations `a`, `b`:
/// `elapsed(t, add(t, a)) == a`, `add(add(t, a), b) == add(t, a + b)`, and `add` is
/// monotonic in both arguments.
///
/// ```
/// use chrono::{FixedOffset, TimeZone};
/// use motcua::{Calendars, WorkingDuration};
///
/// let mut set = Calendars::new();
/// let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
/// set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
/// let cal = set.get("vn-gov").unwrap();
/// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
/// // Friday 16:00 + half a day: 1 hour on Friday, 3 hours on Monday morning.
/// let start = vn.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).unwrap();
/// let due = cal.add(start, "0.5d".parse().unwrap()).unwrap();
/// assert_eq!(due, vn.with_ymd_and_hms(2026, 3, 9, 11, 0, 0).unwrap());
/// assert_eq!(cal.elapsed(start, due).unwrap(), 240);
/// ```
#[derive(Clone, Debug)]
pub struct Calendar {
    pub(crate) id: String,
    pub(crate) name: Text,
    /// The file as written (its own dates only, when it extends another).
    pub(crate) spec: CalendarSpec,
    pub(crate) offset: FixedOffset,
    pub(crate) covers: (i32, i32),
    pub(crate) weekdays: Vec<Weekday>,
    pub(crate) office_hours: Vec<Session>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) sessions: Vec<Sess>,
    /// Working seconds in a working day.
    pub(crate) day_secs: u64,
    /// Days since 1970-01-01 of the first covered day (January 1 of the first year).
    pub(crate) first_day: i64,
    /// Per covered day: is it a working day.
    pub(crate) working: Vec<bool>,
    /// Per covered day, plus one: working days strictly before it.
    pub(crate) cum: Vec<u32>,
    /// Day index of the k-th working day.
    pub(crate) work_days: Vec<u32>,
    /// Day indices, ascending, of the days a provisional entry marks.
    pub(crate) provisional: Vec<u32>,
    /// The statutory holidays every covered year holds (own or inherited).
    pub(crate) statutory: Vec<StatutoryHoliday>,
}

/// A calendar-local place: day index in the covered range and seconds into the day.
#[derive(Clone, Copy, Debug)]
struct Local {
    day: usize,
    sec: u32,
}

impl Calendar {
    /// The identifier, e.g. `"vn-gov"`.
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// assert_eq!(set.get("vn-gov").unwrap().id(), "vn-gov");
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The calendar file as written. A calendar that `extends` another holds only what its
    /// own file says; the compiled calendar has the parent's weekdays, hours and dates too.
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let spec = set.get("vn-gov").unwrap().spec();
    /// assert_eq!(spec.utc_offset.as_deref(), Some("+07:00"));
    /// ```
    pub fn spec(&self) -> &CalendarSpec {
        &self.spec
    }

    /// The calendar file as JSON, in the form [`Calendars::insert_json`](crate::Calendars::insert_json)
    /// and [`Library::add_calendar_json`](crate::Library::add_calendar_json) read: the serde
    /// serialization of [`CalendarSpec`].
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let json: serde_json::Value = serde_json::from_str(&set.get("vn-gov").unwrap().to_json()).unwrap();
    /// assert_eq!(json["office_hours"][0], serde_json::json!({"from": "08:00", "to": "12:00"}));
    /// ```
    pub fn to_json(&self) -> String {
        // Serializing spec types cannot fail: every map key is a string.
        serde_json::to_string(&self.spec).unwrap_or_default()
    }

    /// The human name.
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// assert_eq!(set.get("vn-gov").unwrap().name().get("en"), "Civil-service working calendar of Vietnam");
    /// ```
    pub fn name(&self) -> &Text {
        &self.name
    }

    /// Minutes in a full working day: the sum of the office-hours sessions.
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// assert_eq!(cal.day_minutes(), 480);
    /// let budget: motcua::WorkingDuration = "2.5d".parse().unwrap();
    /// assert_eq!(budget.to_minutes(cal.day_minutes()), 1200);
    /// ```
    pub fn day_minutes(&self) -> u32 {
        u32::try_from(self.day_secs / 60).unwrap_or(u32::MAX)
    }

    /// The calendar's UTC offset (`+07:00` for Vietnam).
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// assert_eq!(set.get("vn-gov").unwrap().offset().local_minus_utc(), 7 * 3600);
    /// ```
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// The first and last year covered, both inclusive.
    ///
    /// ```
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// assert_eq!(set.get("vn-gov").unwrap().covers(), (2025, 2027));
    /// ```
    pub fn covers(&self) -> (i32, i32) {
        self.covers
    }

    /// Whether `date` (on the calendar's clock) is a working day.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// assert!(!cal.is_working_day(day(9, 2)).unwrap()); // National Day
    /// assert!(cal.is_working_day(day(9, 3)).unwrap());
    /// assert!(cal.is_working_day(NaiveDate::from_ymd_opt(2030, 1, 2).unwrap()).is_err());
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let abs = i64::from(date.to_epoch_days());
        let day = abs - self.first_day;
        match usize::try_from(day).ok().and_then(|d| self.working.get(d)) {
            Some(&w) => Ok(w),
            None => Err(self.outside(&date.to_string())),
        }
    }

    /// Adds a working duration to `start`, converting days with [`day_minutes`](Self::day_minutes).
    ///
    /// See the rules on [`Calendar`].
    ///
    /// ```
    /// use chrono::{FixedOffset, TimeZone};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    /// let start = vn.with_ymd_and_hms(2026, 4, 29, 9, 0, 0).unwrap(); // Wednesday
    /// // 1 working day from Wednesday 09:00: 30 April and 1 May are holidays, then the weekend.
    /// let due = cal.add(start, motcua::WorkingDuration::days(1)).unwrap();
    /// assert_eq!(due, vn.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap());
    /// ```
    pub fn add(
        &self,
        start: DateTime<FixedOffset>,
        duration: WorkingDuration,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        self.add_minutes(start, duration.to_minutes(self.day_minutes()))
    }

    /// Adds `minutes` working minutes to `start`.
    ///
    /// ```
    /// use chrono::{FixedOffset, TimeZone};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    /// let t = |d, h, m| vn.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap();
    /// // Ends exactly at the close of the morning session: 12:00, not 13:00.
    /// assert_eq!(cal.add_minutes(t(2, 11, 0), 60).unwrap(), t(2, 12, 0));
    /// assert_eq!(cal.add_minutes(t(2, 11, 0), 61).unwrap(), t(2, 13, 1));
    /// ```
    pub fn add_minutes(
        &self,
        start: DateTime<FixedOffset>,
        minutes: u64,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        let local = self.locate(start, true)?;
        if minutes == 0 {
            return Ok(start.with_timezone(&self.offset));
        }
        let target =
            minutes.checked_mul(60).and_then(|s| s.checked_add(self.position(local))).ok_or_else(|| self.beyond())?;
        self.instant_ending_at(target)
    }

    /// Working minutes between `from` and `to` (whole minutes, `0` if `to` is not after `from`).
    ///
    /// ```
    /// use chrono::{FixedOffset, TimeZone};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    /// let fri = vn.with_ymd_and_hms(2026, 3, 6, 16, 30, 0).unwrap();
    /// let mon = vn.with_ymd_and_hms(2026, 3, 9, 8, 30, 0).unwrap();
    /// assert_eq!(cal.elapsed(fri, mon).unwrap(), 60);
    /// assert_eq!(cal.elapsed(mon, fri).unwrap(), 0);
    /// ```
    pub fn elapsed(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Result<u64, CalendarError> {
        let a = self.position(self.locate(from, true)?);
        let b = self.position(self.locate(to, false)?);
        Ok(b.saturating_sub(a) / 60)
    }

    /// Whether `t` falls inside an office-hours session of a working day.
    ///
    /// Sessions are half-open: the opening instant is working time, the closing one is not.
    ///
    /// ```
    /// use chrono::{FixedOffset, TimeZone};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    /// let t = |h, m| vn.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap();
    /// assert!(cal.is_working_time(t(8, 0)).unwrap());
    /// assert!(!cal.is_working_time(t(12, 0)).unwrap());
    /// assert!(cal.is_working_time(t(16, 59)).unwrap());
    /// ```
    pub fn is_working_time(&self, t: DateTime<FixedOffset>) -> Result<bool, CalendarError> {
        let local = self.locate(t, false)?;
        Ok(self.in_session(local))
    }

    /// `t` itself if it is working time, else the next opening of a session.
    ///
    /// ```
    /// use chrono::{FixedOffset, TimeZone};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    /// let lunch = vn.with_ymd_and_hms(2026, 3, 2, 12, 30, 0).unwrap();
    /// assert_eq!(cal.next_working_instant(lunch).unwrap(),
    ///            vn.with_ymd_and_hms(2026, 3, 2, 13, 0, 0).unwrap());
    /// ```
    pub fn next_working_instant(&self, t: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, CalendarError> {
        let local = self.locate(t, false)?;
        if self.in_session(local) {
            return Ok(t.with_timezone(&self.offset));
        }
        self.instant_starting_at(self.position(local))
    }

    /// When the processing clock starts for a dossier received at `received`.
    ///
    /// * With a `cutoff` (e.g. 15:00), a dossier received on a working day at a
    ///   calendar-local time **at or after** the cut-off (15:00:00 itself included;
    ///   14:59:59 is before it) counts from the opening of the next working day.
    /// * Otherwise, received during office hours the count starts at `received`;
    ///   received outside office hours (before opening, at lunch, after closing, on a
    ///   day off) it starts at the next opening.
    ///
    /// ```
    /// use chrono::{FixedOffset, NaiveTime, TimeZone};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    /// let cutoff = NaiveTime::from_hms_opt(15, 0, 0);
    /// let t = |d, h, m| vn.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap();
    /// assert_eq!(cal.start_of_count(t(2, 14, 59), cutoff).unwrap(), t(2, 14, 59));
    /// assert_eq!(cal.start_of_count(t(2, 15, 0), cutoff).unwrap(), t(3, 8, 0));
    /// assert_eq!(cal.start_of_count(t(2, 15, 0), None).unwrap(), t(2, 15, 0));
    /// ```
    pub fn start_of_count(
        &self,
        received: DateTime<FixedOffset>,
        cutoff: Option<NaiveTime>,
    ) -> Result<DateTime<FixedOffset>, CalendarError> {
        let local = self.locate(received, false)?;
        if let Some(cutoff) = cutoff {
            let at_or_after =
                (local.sec, received.nanosecond()) >= (cutoff.num_seconds_from_midnight(), cutoff.nanosecond());
            if at_or_after && self.working.get(local.day).copied().unwrap_or(false) {
                // The next working day's opening: its position is the end of this day.
                let ordinal = self.cum.get(local.day).copied().unwrap_or(0);
                let next = (u64::from(ordinal) + 1) * self.day_secs;
                return self.instant_starting_at(next);
            }
        }
        if self.in_session(local) {
            return Ok(received.with_timezone(&self.offset));
        }
        self.instant_starting_at(self.position(local))
    }

    /// The provisional days (marked by an entry with `status: provisional`) from the
    /// calendar-local day of `from` to that of `to`, both inclusive, in order. A deadline
    /// counted across any of them is provisional: it moves if the notice, once
    /// published, differs. Instants outside the covered years contribute no days.
    ///
    /// ```
    /// use chrono::{FixedOffset, NaiveDate, TimeZone};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let cal = set.get("vn-gov").unwrap();
    /// let vn = FixedOffset::east_opt(7 * 3600).unwrap();
    /// // Tết 2027 is not announced yet: its days are provisional.
    /// let days = cal.provisional_days(
    ///     vn.with_ymd_and_hms(2027, 2, 1, 9, 0, 0).unwrap(),
    ///     vn.with_ymd_and_hms(2027, 2, 12, 9, 0, 0).unwrap(),
    /// );
    /// assert_eq!(days.first(), Some(&NaiveDate::from_ymd_opt(2027, 2, 4).unwrap()));
    /// assert_eq!(days.len(), 7);
    /// // Tết 2026 was announced.
    /// let days = cal.provisional_days(
    ///     vn.with_ymd_and_hms(2026, 2, 10, 9, 0, 0).unwrap(),
    ///     vn.with_ymd_and_hms(2026, 2, 25, 9, 0, 0).unwrap(),
    /// );
    /// assert!(days.is_empty());
    /// ```
    pub fn provisional_days(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Vec<NaiveDate> {
        let day = |t: DateTime<FixedOffset>| {
            (t.timestamp() + i64::from(self.offset.local_minus_utc())).div_euclid(DAY_SECS) - self.first_day
        };
        let (a, b) = (day(from), day(to));
        if b < a || self.provisional.is_empty() {
            return Vec::new();
        }
        let lo = self.provisional.partition_point(|&d| i64::from(d) < a);
        let hi = self.provisional.partition_point(|&d| i64::from(d) <= b);
        self.provisional[lo..hi].iter().filter_map(|&d| self.date_of(d)).collect()
    }

    /// Every day a dated entry marks (holidays, compensatory days off, swapped working
    /// days, inherited ones included), in date order, with its status and source. A day
    /// two entries mark (a holiday inside a longer break) is listed once, with the entry
    /// written last.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use motcua::{DayKind, spec::calendar::DayStatus};
    /// # let mut set = motcua::Calendars::new();
    /// # let yaml = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/calendars/vn-gov.yaml"));
    /// # set.insert_yaml(yaml, "vn-gov.yaml").unwrap();
    /// let days = set.get("vn-gov").unwrap().marked_days();
    /// let worked = days.iter().find(|d| d.date == NaiveDate::from_ymd_opt(2026, 8, 22).unwrap()).unwrap();
    /// assert_eq!((worked.kind, worked.status), (DayKind::Worked, DayStatus::Announced));
    /// ```
    pub fn marked_days(&self) -> Vec<MarkedDay> {
        let mut by_day = std::collections::BTreeMap::new();
        for e in &self.entries {
            let mut d = e.from;
            while d <= e.to {
                by_day.insert(
                    d,
                    MarkedDay {
                        date: d,
                        kind: e.kind,
                        status: e.status,
                        label: e.label.clone(),
                        source: e.source.clone(),
                    },
                );
                match d.succ_opt() {
                    Some(n) => d = n,
                    None => break,
                }
            }
        }
        by_day.into_values().collect()
    }

    // ---- internals ----

    fn date_of(&self, day: u32) -> Option<NaiveDate> {
        let days = i32::try_from(self.first_day + i64::from(day)).ok()?;
        NaiveDate::from_epoch_days(days)
    }

    /// The calendar-local day and second of `t`; `round_up` rounds a fraction of a second up.
    #[inline]
    fn locate(&self, t: DateTime<FixedOffset>, round_up: bool) -> Result<Local, CalendarError> {
        let secs = t.timestamp() + i64::from(self.offset.local_minus_utc());
        let abs_day = secs.div_euclid(DAY_SECS);
        let mut sec = secs.rem_euclid(DAY_SECS) as u32;
        if round_up && t.timestamp_subsec_nanos() > 0 {
            sec += 1; // may reach 86 400: the end of the same day
        }
        match usize::try_from(abs_day - self.first_day) {
            Ok(day) if day < self.working.len() => Ok(Local { day, sec }),
            _ => Err(self.outside(&t.with_timezone(&self.offset).naive_local().to_string())),
        }
    }

    /// Working seconds from the start of the covered range up to `local`.
    #[inline]
    fn position(&self, local: Local) -> u64 {
        let before = u64::from(self.cum.get(local.day).copied().unwrap_or(0)) * self.day_secs;
        if !self.working.get(local.day).copied().unwrap_or(false) {
            return before;
        }
        let mut within = 0u64;
        for s in &self.sessions {
            if local.sec <= s.start {
                break;
            }
            within = u64::from(s.before + (local.sec.min(s.end) - s.start));
        }
        before + within
    }

    #[inline]
    fn in_session(&self, local: Local) -> bool {
        self.working.get(local.day).copied().unwrap_or(false)
            && self.sessions.iter().any(|s| s.start <= local.sec && local.sec < s.end)
    }

    /// The earliest instant at position `target` (> 0): a session close when `target`
    /// falls on a session boundary.
    #[inline]
    fn instant_ending_at(&self, target: u64) -> Result<DateTime<FixedOffset>, CalendarError> {
        let k = (target - 1) / self.day_secs;
        let r = (target - k * self.day_secs) as u32; // in 1..=day_secs
        let day = self.nth_working_day(k)?;
        let sec =
            self.sessions.iter().find(|s| s.before + (s.end - s.start) >= r).map_or(0, |s| s.start + (r - s.before));
        self.instant(day, sec)
    }

    /// The latest instant at position `target`: a session opening when `target` falls
    /// on a session boundary.
    #[inline]
    fn instant_starting_at(&self, target: u64) -> Result<DateTime<FixedOffset>, CalendarError> {
        let k = target / self.day_secs;
        let r = (target % self.day_secs) as u32; // in 0..day_secs
        let day = self.nth_working_day(k)?;
        let sec =
            self.sessions.iter().find(|s| s.before + (s.end - s.start) > r).map_or(0, |s| s.start + (r - s.before));
        self.instant(day, sec)
    }

    #[inline]
    fn nth_working_day(&self, k: u64) -> Result<u32, CalendarError> {
        usize::try_from(k).ok().and_then(|k| self.work_days.get(k)).copied().ok_or_else(|| self.beyond())
    }

    #[inline]
    fn instant(&self, day: u32, sec: u32) -> Result<DateTime<FixedOffset>, CalendarError> {
        let local = (self.first_day + i64::from(day)) * DAY_SECS + i64::from(sec);
        let utc = local - i64::from(self.offset.local_minus_utc());
        DateTime::from_timestamp(utc, 0).map(|t| t.with_timezone(&self.offset)).ok_or_else(|| self.beyond())
    }

    #[cold]
    fn outside(&self, what: &str) -> CalendarError {
        let (from, to) = self.covers;
        CalendarError {
            code: Code::OutsideCalendar,
            message: Message::new(
                format!("Thời điểm {what} nằm ngoài phạm vi của lịch làm việc `{}` (các năm {from}–{to})", self.id),
                format!("{what} is outside the working-day calendar `{}` (it covers {from}–{to})", self.id),
            ),
        }
    }

    #[cold]
    fn beyond(&self) -> CalendarError {
        let (from, to) = self.covers;
        CalendarError {
            code: Code::OutsideCalendar,
            message: Message::new(
                format!(
                    "Kết quả nằm ngoài phạm vi của lịch làm việc `{}` (hết thời gian làm việc của các năm {from}–{to})",
                    self.id
                ),
                format!(
                    "the result falls outside the working-day calendar `{}` (no working time left in {from}–{to})",
                    self.id
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{FixedOffset, NaiveTime, TimeZone};

    use super::*;
    use crate::calendar::Calendars;

    /// Mon–Fri 08–12, 13–17 in 2026, with Wed 2026-03-04 off and Sat 2026-03-07 worked.
    const SMALL: &str = "id: t\nname: {vi: T}\nutc_offset: '+07:00'\n\
        working_weekdays: [mon, tue, wed, thu, fri]\n\
        office_hours: [{from: '08:00', to: '12:00'}, {from: '13:00', to: '17:00'}]\n\
        covers: {from: 2026, to: 2026}\n\
        compensatory_days_off: [{date: 2026-03-04, label: {vi: Nghỉ}, status: announced, source: s, swapped_with: 2026-03-07}]\n\
        swapped_working_days: [{date: 2026-03-07, label: {vi: Làm}, status: provisional, source: s, swapped_with: 2026-03-04}]\n";

    /// Every day, all day, UTC.
    const ALWAYS: &str = "id: always\nname: {vi: A}\nutc_offset: '+00:00'\n\
        working_weekdays: [mon, tue, wed, thu, fri, sat, sun]\n\
        office_hours: [{from: '00:00', to: '24:00'}]\n\
        covers: {from: 2026, to: 2026}\n";

    fn load(yaml: &str, id: &str) -> Calendar {
        let mut set = Calendars::new();
        set.insert_yaml(yaml, "t.yaml").unwrap();
        set.get(id).unwrap().clone()
    }

    fn vn(d: u32, h: u32, m: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap()
    }

    #[test]
    fn tables_count_working_days() {
        let cal = load(SMALL, "t");
        assert_eq!(cal.working.len(), 365);
        // 2026: 261 weekdays (Jan 1 is a Thursday), minus one holiday, plus one Saturday.
        assert_eq!(cal.cum[365], 261);
        assert_eq!(cal.work_days.len(), 261);
        assert_eq!(cal.day_minutes(), 480);
    }

    #[test]
    fn additions_end_at_session_close_not_next_opening() {
        let cal = load(SMALL, "t");
        // Mon 2 March.
        assert_eq!(cal.add_minutes(vn(2, 8, 0), 240).unwrap(), vn(2, 12, 0));
        assert_eq!(cal.add_minutes(vn(2, 8, 0), 241).unwrap(), vn(2, 13, 1));
        assert_eq!(cal.add_minutes(vn(2, 8, 0), 480).unwrap(), vn(2, 17, 0));
        assert_eq!(cal.add_minutes(vn(2, 8, 0), 481).unwrap(), vn(3, 8, 1));
        // From the close, the next minute is the next morning.
        assert_eq!(cal.add_minutes(vn(2, 17, 0), 1).unwrap(), vn(3, 8, 1));
        // Starting at lunch counts from 13:00.
        assert_eq!(cal.add_minutes(vn(2, 12, 30), 30).unwrap(), vn(2, 13, 30));
        // Zero adds nothing, even outside office hours.
        assert_eq!(cal.add_minutes(vn(2, 20, 0), 0).unwrap(), vn(2, 20, 0));
    }

    #[test]
    fn holidays_and_swapped_days_are_honoured() {
        let cal = load(SMALL, "t");
        // Tue 3 March 09:00 + 1 day skips Wed 4 (off): Thu 5 09:00.
        assert_eq!(cal.add(vn(3, 9, 0), WorkingDuration::days(1)).unwrap(), vn(5, 9, 0));
        // Fri 6 March 09:00 + 1 day: Sat 7 is worked.
        assert_eq!(cal.add(vn(6, 9, 0), WorkingDuration::days(1)).unwrap(), vn(7, 9, 0));
        // Sat 7 09:00 + 1 day: Sunday off, Monday 9.
        assert_eq!(cal.add(vn(7, 9, 0), WorkingDuration::days(1)).unwrap(), vn(9, 9, 0));
        assert_eq!(cal.elapsed(vn(3, 9, 0), vn(5, 9, 0)).unwrap(), 480);
        assert!(cal.is_working_time(vn(7, 10, 0)).unwrap());
        assert!(!cal.is_working_time(vn(4, 10, 0)).unwrap());
    }

    #[test]
    fn instants_in_other_offsets_are_read_on_the_calendar_clock() {
        let cal = load(SMALL, "t");
        // 01:00 UTC is 08:00 in Vietnam.
        let utc = FixedOffset::east_opt(0).unwrap();
        let t = utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap();
        let due = cal.add_minutes(t, 60).unwrap();
        assert_eq!(due, vn(2, 9, 0));
        assert_eq!(due.offset().local_minus_utc(), 7 * 3600);
    }

    #[test]
    fn sub_second_parts_never_shorten_a_budget() {
        let cal = load(SMALL, "t");
        let t = vn(2, 9, 0) + chrono::TimeDelta::milliseconds(500);
        assert_eq!(cal.add_minutes(t, 1).unwrap(), vn(2, 9, 1) + chrono::TimeDelta::seconds(1));
        // 59.5 seconds is not a whole minute.
        assert_eq!(cal.elapsed(vn(2, 9, 0), vn(2, 9, 1) - chrono::TimeDelta::milliseconds(500)).unwrap(), 0);
        assert_eq!(cal.elapsed(t, vn(2, 9, 1) + chrono::TimeDelta::seconds(1)).unwrap(), 1);
    }

    #[test]
    fn next_working_instant_and_cut_off() {
        let cal = load(SMALL, "t");
        assert_eq!(cal.next_working_instant(vn(2, 7, 0)).unwrap(), vn(2, 8, 0));
        assert_eq!(cal.next_working_instant(vn(2, 9, 0)).unwrap(), vn(2, 9, 0));
        assert_eq!(cal.next_working_instant(vn(2, 12, 0)).unwrap(), vn(2, 13, 0));
        assert_eq!(cal.next_working_instant(vn(3, 17, 0)).unwrap(), vn(5, 8, 0));
        assert_eq!(cal.next_working_instant(vn(8, 10, 0)).unwrap(), vn(9, 8, 0));

        let cut = NaiveTime::from_hms_opt(15, 0, 0);
        let s = |t| cal.start_of_count(t, cut).unwrap();
        assert_eq!(s(vn(2, 14, 59)), vn(2, 14, 59));
        assert_eq!(
            s(vn(2, 14, 59) + chrono::TimeDelta::milliseconds(999)),
            vn(2, 14, 59) + chrono::TimeDelta::milliseconds(999)
        );
        assert_eq!(s(vn(2, 15, 0)), vn(3, 8, 0));
        assert_eq!(s(vn(2, 15, 1)), vn(3, 8, 0));
        // Tuesday after the cut-off: Wednesday is off, Thursday opens.
        assert_eq!(s(vn(3, 15, 30)), vn(5, 8, 0));
        // Before opening and at lunch: the next opening the same day.
        assert_eq!(s(vn(2, 6, 0)), vn(2, 8, 0));
        assert_eq!(s(vn(2, 12, 10)), vn(2, 13, 0));
        // On a day off, whatever the hour: the next working day's opening.
        assert_eq!(s(vn(8, 16, 0)), vn(9, 8, 0));
        assert_eq!(s(vn(8, 9, 0)), vn(9, 8, 0));
        // No cut-off: 16:00 is still office hours.
        assert_eq!(cal.start_of_count(vn(2, 16, 0), None).unwrap(), vn(2, 16, 0));
    }

    #[test]
    fn outside_the_covered_years_is_an_error() {
        let cal = load(SMALL, "t");
        let vn_tz = FixedOffset::east_opt(7 * 3600).unwrap();
        let before = vn_tz.with_ymd_and_hms(2025, 12, 31, 23, 59, 59).unwrap();
        let after = vn_tz.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        let last = vn_tz.with_ymd_and_hms(2026, 12, 31, 9, 0, 0).unwrap();
        for err in [
            cal.add_minutes(before, 1).unwrap_err(),
            cal.elapsed(vn(2, 9, 0), after).unwrap_err(),
            cal.is_working_time(after).unwrap_err(),
            cal.next_working_instant(before).unwrap_err(),
            cal.start_of_count(after, None).unwrap_err(),
            cal.add_minutes(last, 481).unwrap_err(),
            cal.add_minutes(last, u64::MAX).unwrap_err(),
            cal.next_working_instant(vn_tz.with_ymd_and_hms(2026, 12, 31, 18, 0, 0).unwrap()).unwrap_err(),
        ] {
            assert_eq!(err.code(), Code::OutsideCalendar);
            assert!(!err.message().vi.is_empty() && !err.to_string().is_empty());
        }
        // The very last working minute still resolves.
        assert_eq!(cal.add_minutes(last, 420).unwrap(), vn_tz.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap());
        // 2026-12-31 16:00 UTC is 23:00 in Vietnam: inside. 17:00 UTC is 2027: outside.
        let utc = FixedOffset::east_opt(0).unwrap();
        assert!(cal.is_working_time(utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap()).is_ok());
        assert!(cal.is_working_time(utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap()).is_err());
    }

    #[test]
    fn a_session_to_midnight_is_continuous() {
        let cal = load(ALWAYS, "always");
        let utc = FixedOffset::east_opt(0).unwrap();
        let t = utc.with_ymd_and_hms(2026, 5, 1, 23, 30, 0).unwrap();
        assert_eq!(cal.day_minutes(), 1440);
        assert_eq!(cal.add_minutes(t, 30).unwrap(), utc.with_ymd_and_hms(2026, 5, 2, 0, 0, 0).unwrap());
        assert_eq!(cal.add_minutes(t, 90).unwrap(), utc.with_ymd_and_hms(2026, 5, 2, 1, 0, 0).unwrap());
        assert_eq!(cal.elapsed(t, t + chrono::TimeDelta::days(3)).unwrap(), 3 * 1440);
    }
}
