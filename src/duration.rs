//! Working durations as people write them: `3d`, `0.5d`, `2.5d`, `4h`, `30m`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The unit a [`WorkingDuration`] was written in.
///
/// ```
/// use motcua::{DurationUnit, WorkingDuration};
///
/// let d: WorkingDuration = "4h".parse().unwrap();
/// assert_eq!(d.unit(), DurationUnit::Hour);
/// assert_eq!("0.5d".parse::<WorkingDuration>().unwrap().unit(), DurationUnit::Day);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DurationUnit {
    /// Working days (`d`): one day is the calendar's office hours.
    Day,
    /// Working hours (`h`).
    Hour,
    /// Working minutes (`m`).
    Minute,
}

impl DurationUnit {
    fn suffix(self) -> char {
        match self {
            DurationUnit::Day => 'd',
            DurationUnit::Hour => 'h',
            DurationUnit::Minute => 'm',
        }
    }
}

/// An amount of working time, exact to a thousandth of its unit.
///
/// Written `<number><unit>` with at most three decimals: `3d` (three working days),
/// `0.25d`, `2.5d`, `4h`, `90m`. Days are converted to minutes with the length of the
/// calendar's working day ([`WorkingDuration::to_minutes`]), so `0.5d` is half a day
/// under any office hours.
///
/// ```
/// use motcua::WorkingDuration;
///
/// let d: WorkingDuration = "2.5d".parse().unwrap();
/// assert_eq!(d.to_minutes(480), 1200); // 8-hour working days
/// assert_eq!(d.to_string(), "2.5d");
/// assert!("-1d".parse::<WorkingDuration>().is_err());
/// assert!("3 days".parse::<WorkingDuration>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WorkingDuration {
    thousandths: u64,
    unit: DurationUnit,
}

/// The largest amount accepted, in units (ten thousand days, hours or minutes).
const MAX_UNITS: u64 = 10_000;

impl WorkingDuration {
    /// Zero working time.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    ///
    /// assert!(WorkingDuration::ZERO.is_zero());
    /// assert_eq!(WorkingDuration::ZERO, WorkingDuration::default());
    /// assert_eq!(WorkingDuration::ZERO.to_string(), "0m");
    /// ```
    pub const ZERO: WorkingDuration = WorkingDuration { thousandths: 0, unit: DurationUnit::Minute };

    /// A whole number of working days.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    ///
    /// assert_eq!(WorkingDuration::days(3), "3d".parse().unwrap());
    /// assert_eq!(WorkingDuration::days(3).to_minutes(480), 1440);
    /// ```
    pub const fn days(days: u32) -> Self {
        WorkingDuration { thousandths: days as u64 * 1000, unit: DurationUnit::Day }
    }

    /// A whole number of working hours.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    ///
    /// assert_eq!(WorkingDuration::hours(4).to_string(), "4h");
    /// assert_eq!(WorkingDuration::hours(4).to_minutes(480), 240);
    /// ```
    pub const fn hours(hours: u32) -> Self {
        WorkingDuration { thousandths: hours as u64 * 1000, unit: DurationUnit::Hour }
    }

    /// A whole number of working minutes.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    ///
    /// assert_eq!(WorkingDuration::minutes(90), "90m".parse().unwrap());
    /// assert_eq!(WorkingDuration::minutes(90).to_minutes(480), 90);
    /// ```
    pub const fn minutes(minutes: u32) -> Self {
        WorkingDuration { thousandths: minutes as u64 * 1000, unit: DurationUnit::Minute }
    }

    /// The unit it was written in.
    ///
    /// ```
    /// use motcua::{DurationUnit, WorkingDuration};
    ///
    /// assert_eq!("30m".parse::<WorkingDuration>().unwrap().unit(), DurationUnit::Minute);
    /// assert_eq!(WorkingDuration::days(1).unit(), DurationUnit::Day);
    /// ```
    pub fn unit(self) -> DurationUnit {
        self.unit
    }

    /// The amount in thousandths of its unit (`2.5d` → 2500).
    ///
    /// ```
    /// use motcua::WorkingDuration;
    ///
    /// assert_eq!("2.5d".parse::<WorkingDuration>().unwrap().thousandths(), 2500);
    /// assert_eq!("0.125h".parse::<WorkingDuration>().unwrap().thousandths(), 125);
    /// ```
    pub fn thousandths(self) -> u64 {
        self.thousandths
    }

    /// Whether it is zero.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    ///
    /// assert!("0d".parse::<WorkingDuration>().unwrap().is_zero());
    /// assert!(!WorkingDuration::minutes(1).is_zero());
    /// ```
    pub fn is_zero(self) -> bool {
        self.thousandths == 0
    }

    /// Working minutes, given the length of a working day in minutes.
    ///
    /// Fractions of a minute round up: a budget is never shortened by rounding.
    ///
    /// ```
    /// use motcua::WorkingDuration;
    ///
    /// let half_day: WorkingDuration = "0.5d".parse().unwrap();
    /// assert_eq!(half_day.to_minutes(480), 240); // 8-hour days
    /// assert_eq!(half_day.to_minutes(450), 225); // 7.5-hour days
    /// // 0.001h is 0.06 minutes: rounded up to one.
    /// assert_eq!("0.001h".parse::<WorkingDuration>().unwrap().to_minutes(480), 1);
    /// ```
    pub fn to_minutes(self, day_minutes: u32) -> u64 {
        let per_unit = match self.unit {
            DurationUnit::Day => u64::from(day_minutes),
            DurationUnit::Hour => 60,
            DurationUnit::Minute => 1,
        };
        (self.thousandths * per_unit).div_ceil(1000)
    }
}

impl Default for WorkingDuration {
    fn default() -> Self {
        WorkingDuration::ZERO
    }
}

/// Why a duration could not be read.
///
/// ```
/// use motcua::{ParseDurationError, WorkingDuration};
///
/// let err: ParseDurationError = "3 days".parse::<WorkingDuration>().unwrap_err();
/// assert!(err.to_string().starts_with("invalid working duration `3 days`"));
/// assert!("1.0001d".parse::<WorkingDuration>().is_err()); // more than 3 decimals
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid working duration `{text}`: write a number and a unit, e.g. `3d`, `0.5d`, `4h`, `30m` (at most 3 decimals, at most {MAX_UNITS} units)"
)]
pub struct ParseDurationError {
    text: String,
}

impl FromStr for WorkingDuration {
    type Err = ParseDurationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseDurationError { text: s.to_owned() };
        let unit = match s.chars().last() {
            Some('d') => DurationUnit::Day,
            Some('h') => DurationUnit::Hour,
            Some('m') => DurationUnit::Minute,
            _ => return Err(err()),
        };
        let number = &s[..s.len() - 1];
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 5 || frac.len() > 3 || !all_digits(whole) || !all_digits(frac) {
            return Err(err());
        }
        if number.ends_with('.') {
            return Err(err());
        }
        let whole: u64 = whole.parse().map_err(|_| err())?;
        let mut thousandths = whole * 1000;
        let mut scale = 100;
        for b in frac.bytes() {
            thousandths += u64::from(b - b'0') * scale;
            scale /= 10;
        }
        if thousandths > MAX_UNITS * 1000 {
            return Err(err());
        }
        Ok(WorkingDuration { thousandths, unit })
    }
}

impl fmt::Display for WorkingDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.thousandths / 1000;
        let frac = self.thousandths % 1000;
        if frac == 0 {
            write!(f, "{whole}{}", self.unit.suffix())
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{whole}.{}{}", digits.trim_end_matches('0'), self.unit.suffix())
        }
    }
}

impl Serialize for WorkingDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WorkingDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for WorkingDuration {
    fn schema_name() -> Cow<'static, str> {
        "WorkingDuration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{1,5}(\\.[0-9]{1,3})?[dhm]$",
            "description": "Working time: a number (at most 3 decimals) and a unit: d (working days), h (hours), m (minutes). Examples: 3d, 0.5d, 4h.",
            "examples": ["3d", "0.5d", "4h"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_forms_people_write() {
        for (text, thousandths, unit) in [
            ("3d", 3000, DurationUnit::Day),
            ("0.25d", 250, DurationUnit::Day),
            ("10.75d", 10750, DurationUnit::Day),
            ("4h", 4000, DurationUnit::Hour),
            ("90m", 90000, DurationUnit::Minute),
            ("0d", 0, DurationUnit::Day),
        ] {
            let d: WorkingDuration = text.parse().unwrap();
            assert_eq!((d.thousandths(), d.unit()), (thousandths, unit), "{text}");
            assert_eq!(d.to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_text() {
        for text in ["", "d", "3", "3x", "-1d", "1.d", ".5d", "1.2345d", "3 d", "10001d", "1e3d", "３d"] {
            assert!(text.parse::<WorkingDuration>().is_err(), "{text:?} should not parse");
        }
    }

    #[test]
    fn converts_to_minutes_rounding_up() {
        let d: WorkingDuration = "0.001d".parse().unwrap();
        assert_eq!(d.to_minutes(480), 1);
        assert_eq!("0.5d".parse::<WorkingDuration>().unwrap().to_minutes(480), 240);
        assert_eq!("1.5h".parse::<WorkingDuration>().unwrap().to_minutes(480), 90);
    }
}
