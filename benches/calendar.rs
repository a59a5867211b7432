//! Deadline arithmetic on the Vietnamese civil-service calendar, side by side with
//! (a) a naive day-by-day loop and (b) the `bdays` crate, configured with the same days.
//!
//! Run with `cargo bench --bench calendar`. Distances are in working days from Monday
//! 3 March 2025, 09:00 (+07:00): 1 day, 20 days (a month) and 240 days (about a year).
//!
//! `bdays` counts whole business days on dates only (no office hours, no fractions),
//! so its numbers are for the simpler question; it gets the same days through an
//! `is_bday` override (its default treats every Saturday as off, which would miss the
//! swapped working Saturdays). Its `HolidayCalendarCache` answers `bdays` from a
//! table, but `advance_bdays` still walks day by day.

use std::collections::HashSet;

use bdays::{HolidayCalendar, HolidayCalendarCache};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike, Weekday};
use divan::{Bencher, black_box};
use motcua::{Calendar, Calendars, WorkingDuration};

const DISTANCES: [u32; 3] = [1, 20, 240];

fn main() {
    divan::main();
}

fn vn_gov() -> Calendar {
    let mut set = Calendars::new();
    set.insert_yaml(include_str!("../specs/calendars/vn-gov.yaml"), "vn-gov.yaml").expect("vn-gov loads");
    set.get("vn-gov").expect("vn-gov").clone()
}

fn start() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600).and_then(|o| o.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).single()).expect("valid start")
}

/// The days that differ from Monday–Friday, taken from the compiled calendar.
struct Exceptions {
    off: HashSet<NaiveDate>,
    worked: HashSet<NaiveDate>,
}

impl Exceptions {
    fn of(cal: &Calendar) -> Self {
        let mut off = HashSet::new();
        let mut worked = HashSet::new();
        let mut d = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
        while d.year() <= 2027 {
            let weekday = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            let working = cal.is_working_day(d).expect("covered");
            if weekday && !working {
                off.insert(d);
            } else if !weekday && working {
                worked.insert(d);
            }
            d = d.succ_opt().expect("date");
        }
        Exceptions { off, worked }
    }

    fn is_working_day(&self, d: NaiveDate) -> bool {
        let weekday = !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        (weekday && !self.off.contains(&d)) || self.worked.contains(&d)
    }
}

/// (a) The straightforward implementation: walk the days, session by session.
struct Naive {
    days: Exceptions,
    offset: FixedOffset,
}

const SESSIONS: [(u32, u32); 2] = [(8 * 60, 12 * 60), (13 * 60, 17 * 60)];

impl Naive {
    fn add_minutes(&self, start: DateTime<FixedOffset>, mut minutes: u64) -> DateTime<FixedOffset> {
        let local = start.with_timezone(&self.offset).naive_local();
        let mut date = local.date();
        let mut minute = local.hour() * 60 + local.minute();
        loop {
            if self.days.is_working_day(date) {
                for (from, to) in SESSIONS {
                    let begin = minute.max(from);
                    if begin >= to {
                        continue;
                    }
                    let here = u64::from(to - begin);
                    if minutes <= here {
                        let end = begin + minutes as u32;
                        let t = date.and_hms_opt(end / 60, end % 60, 0).expect("time");
                        return self.offset.from_local_datetime(&t).single().expect("fixed");
                    }
                    minutes -= here;
                }
            }
            date = date.succ_opt().expect("date");
            minute = 0;
        }
    }

    fn elapsed(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> u64 {
        let (from, to) = (from.with_timezone(&self.offset).naive_local(), to.with_timezone(&self.offset).naive_local());
        let mut total = 0u64;
        let mut date = from.date();
        while date <= to.date() {
            if self.days.is_working_day(date) {
                let lo = if date == from.date() { from.hour() * 60 + from.minute() } else { 0 };
                let hi = if date == to.date() { to.hour() * 60 + to.minute() } else { 24 * 60 };
                for (a, b) in SESSIONS {
                    let (a, b) = (a.max(lo), b.min(hi));
                    if a < b {
                        total += u64::from(b - a);
                    }
                }
            }
            date = date.succ_opt().expect("date");
        }
        total
    }
}

/// (b) `bdays` with the same days off and swapped Saturdays.
struct ForBdays(Exceptions);

impl HolidayCalendar<NaiveDate> for ForBdays {
    fn is_holiday(&self, date: NaiveDate) -> bool {
        self.0.off.contains(&date)
    }

    fn is_bday(&self, date: NaiveDate) -> bool {
        self.0.is_working_day(date)
    }
}

fn bdays_cache(cal: &Calendar) -> HolidayCalendarCache<NaiveDate> {
    HolidayCalendarCache::new(
        ForBdays(Exceptions::of(cal)),
        NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2027, 12, 31).expect("date"),
    )
}

fn check_agreement(cal: &Calendar, naive: &Naive, cache: &HolidayCalendarCache<NaiveDate>, days: u32) {
    let t = start();
    let due = cal.add(t, WorkingDuration::days(days)).expect("in range");
    assert_eq!(due, naive.add_minutes(t, u64::from(days) * 480));
    assert_eq!(cal.elapsed(t, due).expect("in range"), naive.elapsed(t, due));
    let date = cache.advance_bdays(t.date_naive(), days as i32);
    assert_eq!(date, due.date_naive());
    assert_eq!(cache.bdays(t.date_naive(), date), days as i32);
}

mod add {
    use super::*;

    #[divan::bench(args = DISTANCES)]
    fn motcua(bencher: Bencher, days: u32) {
        let cal = vn_gov();
        let t = start();
        let d = WorkingDuration::days(days);
        bencher.bench_local(|| black_box(&cal).add(black_box(t), black_box(d)));
    }

    #[divan::bench(args = DISTANCES)]
    fn naive_loop(bencher: Bencher, days: u32) {
        let cal = vn_gov();
        let naive = Naive { days: Exceptions::of(&cal), offset: cal.offset() };
        check_agreement(&cal, &naive, &bdays_cache(&cal), days);
        let t = start();
        bencher.bench_local(|| black_box(&naive).add_minutes(black_box(t), black_box(u64::from(days) * 480)));
    }

    #[divan::bench(args = DISTANCES)]
    fn bdays_advance(bencher: Bencher, days: u32) {
        let cache = bdays_cache(&vn_gov());
        let date = start().date_naive();
        bencher.bench_local(|| black_box(&cache).advance_bdays(black_box(date), black_box(days as i32)));
    }
}

mod elapsed {
    use super::*;

    fn end(cal: &Calendar, days: u32) -> DateTime<FixedOffset> {
        cal.add(start(), WorkingDuration::days(days)).expect("in range")
    }

    #[divan::bench(args = DISTANCES)]
    fn motcua(bencher: Bencher, days: u32) {
        let cal = vn_gov();
        let (a, b) = (start(), end(&cal, days));
        bencher.bench_local(|| black_box(&cal).elapsed(black_box(a), black_box(b)));
    }

    #[divan::bench(args = DISTANCES)]
    fn naive_loop(bencher: Bencher, days: u32) {
        let cal = vn_gov();
        let (a, b) = (start(), end(&cal, days));
        let naive = Naive { days: Exceptions::of(&cal), offset: cal.offset() };
        bencher.bench_local(|| black_box(&naive).elapsed(black_box(a), black_box(b)));
    }

    #[divan::bench(args = DISTANCES)]
    fn bdays_count(bencher: Bencher, days: u32) {
        let cal = vn_gov();
        let (a, b) = (start().date_naive(), end(&cal, days).date_naive());
        let cache = bdays_cache(&cal);
        bencher.bench_local(|| black_box(&cache).bdays(black_box(a), black_box(b)));
    }
}

mod load {
    use super::*;

    /// Parsing, validating and compiling vn-gov (three years of tables).
    #[divan::bench]
    fn vn_gov_yaml() -> Calendar {
        vn_gov()
    }
}
