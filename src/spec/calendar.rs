//! The calendar file format: what policy staff write in `specs/calendars/*.yaml`.
//!
//! These types mirror the YAML one to one and carry no logic beyond parsing a
//! clock time; [`Calendars::insert_yaml`](crate::Calendars::insert_yaml) validates
//! them and compiles them into a [`Calendar`](crate::Calendar).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::Text;

/// One calendar file: a jurisdiction's working days over a range of years.
///
/// A calendar without `extends` must set `utc_offset`, `working_weekdays`,
/// `office_hours` and `covers`; a calendar that extends another inherits each of them
/// unless it sets it, and adds its own dates to the inherited ones.
///
/// ```
/// use motcua::CalendarSpec;
///
/// let spec: CalendarSpec = serde_json::from_str(r#"{
///     "id": "demo", "name": {"vi": "Lịch thử"}, "utc_offset": "+07:00",
///     "working_weekdays": ["mon", "tue", "wed", "thu", "fri"],
///     "office_hours": [{"from": "08:00", "to": "12:00"}, {"from": "13:00", "to": "17:00"}],
///     "covers": {"from": 2026, "to": 2026},
///     "holidays": [{"date": "2026-09-02", "label": {"vi": "Quốc khánh"},
///                   "status": "statutory", "source": "Labour Code 2019 Art. 112(1)(đ)"}]
/// }"#).unwrap();
/// assert_eq!(spec.office_hours.unwrap()[1].from.minutes(), 13 * 60);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// Identifier procedures use to name the calendar, e.g. `vn-gov`
    /// (lowercase ASCII letters, digits, `-` and `_`).
    pub id: String,
    /// Human name.
    pub name: Text,
    /// The calendar this one adds to (a province extends the national calendar).
    /// It must be loaded first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Offset from UTC of the calendar's clock, `+HH:MM` or `-HH:MM` (Vietnam: `+07:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<String>,
    /// The weekdays that are working days unless a holiday or day off says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_weekdays: Option<Vec<Weekday>>,
    /// Office hours of a working day as sessions in ascending order, e.g. morning and
    /// afternoon. A working day is as long as their sum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_hours: Option<Vec<Session>>,
    /// The years the calendar knows. Asking about any other date is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<Years>,
    /// Public holidays (*ngày nghỉ lễ, Tết*), single days or ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Dated>,
    /// Compensatory days off (*nghỉ bù*, days off moved next to a holiday).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compensatory_days_off: Vec<Dated>,
    /// Days that are normally off but worked (*làm bù*, e.g. a Saturday swapped for a
    /// compensatory day off).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub swapped_working_days: Vec<Dated>,
    /// The holidays the law gives every year (Vietnam: Labour Code 2019 Art. 112(1)).
    /// Every year the calendar covers must hold each of them: the holidays tagged with
    /// its `id` (in `statutory`) must give at least `days` working weekdays off, and
    /// include its fixed `date` when it has one. A calendar that extends another
    /// inherits the list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statutory_holidays: Vec<StatutoryHoliday>,
    /// Days where this calendar knowingly differs from an independent reference
    /// (e.g. the `holidays` Python package), each with the reason. The cross-check test
    /// fails on any difference not listed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub known_differences: Vec<KnownDifference>,
}

/// How sure a day of the calendar is.
///
/// ```
/// let s: motcua::DayStatus = serde_json::from_str("\"provisional\"").unwrap();
/// assert_eq!(s, motcua::DayStatus::Provisional);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    /// Fixed by a published notice or decision (cite its number and date in `source`).
    Announced,
    /// Fixed by statute: the law gives the date, nothing is announced each year
    /// (cite the article in `source`).
    Statutory,
    /// Expected but not yet announced: a deadline that crosses the day is provisional
    /// and says so until the notice is published.
    Provisional,
}

impl DayStatus {
    /// The lowercase name used in files and JSON: `announced`, `statutory`, `provisional`.
    ///
    /// ```
    /// assert_eq!(motcua::DayStatus::Statutory.as_str(), "statutory");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DayStatus::Announced => "announced",
            DayStatus::Statutory => "statutory",
            DayStatus::Provisional => "provisional",
        }
    }
}

/// One holiday the law gives every year: `{id: tet, days: 5, label: …, source: …}`.
///
/// ```
/// let h: motcua::StatutoryHoliday = serde_json::from_str(r#"{
///     "id": "national_day", "days": 2, "date": "09-02",
///     "label": {"vi": "Quốc khánh"}, "source": "Labour Code 2019 Art. 112(1)(đ)"
/// }"#).unwrap();
/// assert_eq!((h.days, h.date.as_deref()), (2, Some("09-02")));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatutoryHoliday {
    /// Identifier holidays use in `statutory` to say they observe it, e.g. `tet`.
    pub id: String,
    /// What it is.
    pub label: Text,
    /// Working weekdays off it gives each year (days on the weekly rest day made up by
    /// a compensatory day off tagged with the same id count through that day).
    pub days: u8,
    /// Its fixed solar date, `MM-DD`, when it has one (New Year `01-01`); absent for
    /// lunar holidays (Tết, Hùng Kings), whose dates each year must be checked against
    /// an independent source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"))]
    pub date: Option<String>,
    /// The law that gives it, e.g. `Bộ luật Lao động 45/2019/QH14, Điều 112(1)(b)`.
    pub source: String,
}

/// A day where the calendar knowingly differs from an independent reference.
///
/// ```
/// let d: motcua::KnownDifference = serde_json::from_str(r#"{
///     "date": "2026-01-02", "reference": "holidays==0.109",
///     "reason": {"vi": "Gói holidays chưa có ngày hoán đổi"}
/// }"#).unwrap();
/// assert_eq!(d.reference, "holidays==0.109");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnownDifference {
    /// The day.
    pub date: NaiveDate,
    /// The reference it differs from, pinned: `holidays==0.109`.
    pub reference: String,
    /// Why this calendar is right (or why the question is open), with the sources.
    pub reason: Text,
}

/// A day of the week, written `mon` … `sun`.
///
/// ```
/// let d: motcua::Weekday = serde_json::from_str("\"sat\"").unwrap();
/// assert_eq!(d, motcua::Weekday::Sat);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday (`mon`).
    Mon,
    /// Tuesday (`tue`).
    Tue,
    /// Wednesday (`wed`).
    Wed,
    /// Thursday (`thu`).
    Thu,
    /// Friday (`fri`).
    Fri,
    /// Saturday (`sat`).
    Sat,
    /// Sunday (`sun`).
    Sun,
}

impl Weekday {
    /// The matching [`chrono::Weekday`].
    ///
    /// ```
    /// assert_eq!(motcua::Weekday::Mon.to_chrono(), chrono::Weekday::Mon);
    /// ```
    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Weekday::Mon => chrono::Weekday::Mon,
            Weekday::Tue => chrono::Weekday::Tue,
            Weekday::Wed => chrono::Weekday::Wed,
            Weekday::Thu => chrono::Weekday::Thu,
            Weekday::Fri => chrono::Weekday::Fri,
            Weekday::Sat => chrono::Weekday::Sat,
            Weekday::Sun => chrono::Weekday::Sun,
        }
    }
}

/// One office-hours session, `from` inclusive, `to` exclusive: `{from: "08:00", to: "12:00"}`.
///
/// ```
/// let s: motcua::Session = serde_json::from_str(r#"{"from": "13:00", "to": "17:00"}"#).unwrap();
/// assert_eq!(s.to.minutes() - s.from.minutes(), 240);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Opening time.
    pub from: ClockTime,
    /// Closing time (`24:00` is allowed for a session that runs to midnight).
    pub to: ClockTime,
}

/// The years a calendar covers, both inclusive: `{from: 2025, to: 2027}`.
///
/// ```
/// let y: motcua::Years = serde_json::from_str(r#"{"from": 2025, "to": 2027}"#).unwrap();
/// assert_eq!((y.from, y.to), (2025, 2027));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Years {
    /// First year.
    pub from: i32,
    /// Last year.
    pub to: i32,
}

/// A labelled date or inclusive date range with its provenance:
/// `{date: 2026-09-02, label: …, status: statutory, source: …}` or
/// `{from: 2026-02-14, to: 2026-02-22, label: …, status: announced, source: …}`.
/// Exactly one form must be used.
///
/// Every entry says how sure it is (`status`) and where it comes from (`source`: the
/// notice's number and date, or the statute for fixed days). A compensatory day off
/// says why it is off: `swapped_with` (the Saturday worked in its place), `observes`
/// (the holiday on a weekly rest day it makes up for) or `no_make_up` (the cited reason
/// there is none); a swapped working day names the day off it pays for in `swapped_with`.
///
/// ```
/// let d: motcua::Dated = serde_json::from_str(
///     r#"{"from": "2026-02-14", "to": "2026-02-22", "label": {"vi": "Tết Nguyên đán"},
///         "status": "announced", "source": "Công văn 1234/VPCP-KGVX", "statutory": "tet"}"#,
/// ).unwrap();
/// assert!(d.date.is_none());
/// assert_eq!(d.status, motcua::DayStatus::Announced);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dated {
    /// A single day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// First day of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Last day of a range (inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// What the day is.
    pub label: Text,
    /// How sure the day is.
    pub status: DayStatus,
    /// Where it comes from: the notice's number and date, or the statute.
    pub source: String,
    /// The statutory holiday (an `id` of `statutory_holidays`) this entry gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory: Option<String>,
    /// Of a compensatory day off: the day worked in its place; of a swapped working
    /// day: the day off it is worked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swapped_with: Option<NaiveDate>,
    /// Of a compensatory day off: the holiday falling on a weekly rest day it makes up
    /// for (*nghỉ bù*, Labour Code Art. 111(3)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observes: Option<NaiveDate>,
    /// Of a compensatory day off: why no day is worked in its place, with the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_make_up: Option<String>,
}

/// A wall-clock time of day, `HH:MM`, from `00:00` to `24:00`.
///
/// ```
/// let t: motcua::ClockTime = "08:30".parse().unwrap();
/// assert_eq!(t.minutes(), 510);
/// assert_eq!(t.to_string(), "08:30");
/// assert!("8:30".parse::<motcua::ClockTime>().is_err());
/// assert!("24:01".parse::<motcua::ClockTime>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    minutes: u16,
}

impl ClockTime {
    /// Minutes since midnight (0 to 1440).
    ///
    /// ```
    /// assert_eq!("17:00".parse::<motcua::ClockTime>().unwrap().minutes(), 1020);
    /// ```
    pub fn minutes(self) -> u32 {
        u32::from(self.minutes)
    }
}

/// Why a clock time could not be read.
///
/// ```
/// let err = "7:30".parse::<motcua::ClockTime>().unwrap_err();
/// assert!(err.to_string().contains("`7:30`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid clock time `{text}`: write HH:MM between 00:00 and 24:00, e.g. `08:00`")]
pub struct ParseClockTimeError {
    text: String,
}

impl FromStr for ClockTime {
    type Err = ParseClockTimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseClockTimeError { text: s.to_owned() };
        let b = s.as_bytes();
        if b.len() != 5 || b[2] != b':' {
            return Err(err());
        }
        let digit = |i: usize| -> Result<u16, ParseClockTimeError> {
            let c = b[i];
            if c.is_ascii_digit() { Ok(u16::from(c - b'0')) } else { Err(err()) }
        };
        let hours = digit(0)? * 10 + digit(1)?;
        let minutes = digit(3)? * 10 + digit(4)?;
        if minutes > 59 || hours > 24 || (hours == 24 && minutes != 0) {
            return Err(err());
        }
        Ok(ClockTime { minutes: hours * 60 + minutes })
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for ClockTime {
    fn schema_name() -> Cow<'static, str> {
        "ClockTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
            "description": "A time of day, HH:MM (00:00 to 24:00).",
            "examples": ["08:00", "17:00"]
        })
    }
}
