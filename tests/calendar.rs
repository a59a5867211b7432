//! Working-day calendars: the shipped Vietnamese calendar, hand-computed deadlines,
//! a provincial calendar and property-based invariants.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike};
use motcua::{Calendar, Calendars, Code, WorkingDuration};
use proptest::prelude::*;

const VN_GOV: &str = include_str!("../specs/calendars/vn-gov.yaml");
const PROVINCE: &str = include_str!("../specs/calendars/example-province.yaml");

fn set() -> &'static Calendars {
    static SET: OnceLock<Calendars> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = Calendars::new();
        set.insert_yaml(VN_GOV, "specs/calendars/vn-gov.yaml").unwrap();
        set.insert_yaml(PROVINCE, "specs/calendars/example-province.yaml").unwrap();
        set
    })
}

fn gov() -> &'static Calendar {
    set().get("vn-gov").unwrap()
}

/// An instant on Vietnam's clock.
fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn dur(text: &str) -> WorkingDuration {
    text.parse().unwrap()
}

fn cutoff() -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(15, 0, 0)
}

#[test]
fn shipped_calendars_declare_their_schema() {
    for text in [VN_GOV, PROVINCE] {
        assert!(text.starts_with("# yaml-language-server: $schema=../schema/calendar.schema.json\n"));
    }
    let schema = serde_json::to_string(&schemars::schema_for!(motcua::spec::calendar::CalendarSpec)).unwrap();
    for field in ["covers", "office_hours", "swapped_working_days", "extends"] {
        assert!(schema.contains(field), "{field}");
    }
    let cal = gov();
    assert_eq!((cal.id(), cal.day_minutes(), cal.covers()), ("vn-gov", 480, (2025, 2027)));
    assert_eq!(cal.offset().local_minus_utc(), 7 * 3600);
}

#[test]
fn friday_before_tet_2026_at_16_00_with_three_working_days() {
    let cal = gov();
    let received = at(2026, 2, 13, 16, 0); // Friday, the last working day before Tết
    // Tết 2026 runs Saturday 14 to Sunday 22 February: Monday 23 is the next working day.
    //
    // With the 15:00 cut-off (the usual receipt rule), 16:00 is after it: the count starts
    // on Monday 23 at 08:00. Three full working days are Monday, Tuesday and Wednesday,
    // so the appointment is Wednesday 25 February at 17:00 (the end-of-session rule: a
    // budget that ends at a close ends at that close, not on Thursday morning).
    let start = cal.start_of_count(received, cutoff()).unwrap();
    assert_eq!(start, at(2026, 2, 23, 8, 0));
    assert_eq!(cal.add(start, WorkingDuration::days(3)).unwrap(), at(2026, 2, 25, 17, 0));
    assert_eq!(cal.elapsed(received, at(2026, 2, 25, 17, 0)).unwrap(), 3 * 480 + 60);

    // Without a cut-off the hour 16:00-17:00 on Friday counts: 60 + 480 + 480 minutes
    // reach Tuesday 17:00, and the remaining 420 minutes end on Wednesday 25 at 16:00.
    let start = cal.start_of_count(received, None).unwrap();
    assert_eq!(start, received);
    assert_eq!(cal.add(start, dur("3d")).unwrap(), at(2026, 2, 25, 16, 0));
}

#[test]
fn cut_off_at_14_59_15_00_and_15_01() {
    let cal = gov();
    // Monday 2 March 2026: "at or after 15:00" moves the start to Tuesday's opening.
    assert_eq!(cal.start_of_count(at(2026, 3, 2, 14, 59), cutoff()).unwrap(), at(2026, 3, 2, 14, 59));
    assert_eq!(cal.start_of_count(at(2026, 3, 2, 15, 0), cutoff()).unwrap(), at(2026, 3, 3, 8, 0));
    assert_eq!(cal.start_of_count(at(2026, 3, 2, 15, 1), cutoff()).unwrap(), at(2026, 3, 3, 8, 0));
    // The same on the Friday before Tết 2026: the next working day is 10 days later.
    assert_eq!(cal.start_of_count(at(2026, 2, 13, 14, 59), cutoff()).unwrap(), at(2026, 2, 13, 14, 59));
    assert_eq!(cal.start_of_count(at(2026, 2, 13, 15, 0), cutoff()).unwrap(), at(2026, 2, 23, 8, 0));
    // A same-day service (0.25d) received at 14:59 is due at 16:59 that day; at 15:01, on
    // Tuesday at 10:00.
    let due = |t| cal.add(cal.start_of_count(t, cutoff()).unwrap(), dur("0.25d")).unwrap();
    assert_eq!(due(at(2026, 3, 2, 14, 59)), at(2026, 3, 2, 16, 59));
    assert_eq!(due(at(2026, 3, 2, 15, 1)), at(2026, 3, 3, 10, 0));
}

#[test]
fn fractional_days_and_hours() {
    let cal = gov();
    // 0.25d = 120 min: 11:00-12:00, then 13:00-14:00.
    assert_eq!(cal.add(at(2026, 3, 2, 11, 0), dur("0.25d")).unwrap(), at(2026, 3, 2, 14, 0));
    // 0.5d = 240 min: 14:00-17:00 (180), then Tuesday 08:00-09:00.
    assert_eq!(cal.add(at(2026, 3, 2, 14, 0), dur("0.5d")).unwrap(), at(2026, 3, 3, 9, 0));
    // 2.5d = 1200 min from Monday's opening: Monday, Tuesday, then Wednesday's morning,
    // which ends at 12:00 (not 13:00).
    assert_eq!(cal.add(at(2026, 3, 2, 8, 0), dur("2.5d")).unwrap(), at(2026, 3, 4, 12, 0));
    assert_eq!(cal.add(at(2026, 3, 2, 8, 0), dur("4h")).unwrap(), at(2026, 3, 2, 12, 0));
    assert_eq!(cal.add(at(2026, 3, 2, 8, 0), dur("90m")).unwrap(), at(2026, 3, 2, 9, 30));
    // 0.001d of 480 minutes is 0.48 minutes: rounded up to 1.
    assert_eq!(cal.add(at(2026, 3, 2, 8, 0), dur("0.001d")).unwrap(), at(2026, 3, 2, 8, 1));
}

#[test]
fn tet_and_the_year_end() {
    let cal = gov();
    // Tết 2025 (Sat 25 January to Sun 2 February).
    assert_eq!(cal.add(at(2025, 1, 24, 10, 0), dur("1d")).unwrap(), at(2025, 2, 3, 10, 0));
    // 2025 to 2026: Thu 1 January is New Year, Fri 2 is off, then the weekend.
    assert_eq!(cal.add(at(2025, 12, 31, 14, 0), dur("1d")).unwrap(), at(2026, 1, 5, 14, 0));
    assert_eq!(cal.elapsed(at(2025, 12, 31, 14, 0), at(2026, 1, 5, 14, 0)).unwrap(), 480);
    // 2026 to 2027: Fri 1 January 2027 is New Year (statutory).
    assert_eq!(cal.add(at(2026, 12, 31, 9, 0), dur("1d")).unwrap(), at(2027, 1, 4, 9, 0));
    // Tết 2026 seen from inside: a start during the break counts from Monday 23.
    assert_eq!(cal.next_working_instant(at(2026, 2, 17, 9, 0)).unwrap(), at(2026, 2, 23, 8, 0));
    assert!(!cal.is_working_time(at(2026, 2, 20, 9, 0)).unwrap());
    assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2026, 2, 16).unwrap()).unwrap());
}

#[test]
fn swapped_saturdays_and_holiday_weeks() {
    let cal = gov();
    // 2025: Saturday 26 April is worked, Friday 2 May is off.
    assert_eq!(cal.add(at(2025, 4, 25, 9, 0), dur("1d")).unwrap(), at(2025, 4, 26, 9, 0));
    assert_eq!(cal.add(at(2025, 4, 26, 9, 0), dur("2d")).unwrap(), at(2025, 4, 29, 9, 0));
    // Tuesday 29 April + 1 day: 30/4, 1/5, 2/5 and the weekend are off.
    assert_eq!(cal.add(at(2025, 4, 29, 9, 0), dur("1d")).unwrap(), at(2025, 5, 5, 9, 0));
    // 2026: Saturday 22 August is worked, Monday 31 August is off, 1-2 September holidays.
    assert_eq!(cal.add(at(2026, 8, 21, 10, 0), dur("1d")).unwrap(), at(2026, 8, 22, 10, 0));
    assert_eq!(cal.add(at(2026, 8, 28, 9, 0), dur("1d")).unwrap(), at(2026, 9, 3, 9, 0));
    assert!(cal.is_working_time(at(2026, 8, 22, 9, 0)).unwrap());
    assert!(!cal.is_working_time(at(2026, 8, 29, 9, 0)).unwrap());
    // Hùng Kings' day 2026 (Sunday 26 April) observed Monday 27; then 30/4 and 1/5.
    assert_eq!(cal.add(at(2026, 4, 24, 9, 0), dur("1d")).unwrap(), at(2026, 4, 28, 9, 0));
    assert_eq!(cal.add(at(2026, 4, 29, 9, 0), dur("1d")).unwrap(), at(2026, 5, 4, 9, 0));
}

#[test]
fn working_days_per_year() {
    let cal = gov();
    let year = |y| cal.elapsed(at(y, 1, 1, 0, 0), at(y, 12, 31, 23, 59)).unwrap() / 480;
    // 2025: 261 weekdays - 12 weekdays off (1/1, Tết ×5, Hùng Kings, 30/4, 1/5, 2/5,
    // 1/9, 2/9) + Saturday 26/4 = 250.
    assert_eq!(year(2025), 250);
    // 2026: 261 weekdays - 13 (1/1, 2/1, Tết ×5, 27/4, 30/4, 1/5, 31/8, 1/9, 2/9)
    // + Saturdays 10/1 and 22/8 = 250.
    assert_eq!(year(2026), 250);
    // 2027 (provisional): 261 weekdays - 12 (1/1, Tết ×5 Thu 4/2-Wed 10/2, 16/4, 30/4,
    // 3/5 for Saturday 1/5, 2/9, 3/9, 24/11) = 249.
    assert_eq!(year(2027), 249);
}

#[test]
fn new_year_2026_is_swapped_with_saturday_10_january() {
    let cal = gov();
    // Fri 2/1 off, Sat 10/1 worked (dispatch 12729/VPCP-KGVX).
    assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()).unwrap());
    assert!(cal.is_working_day(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()).unwrap());
    // Friday 9 January 09:00 + 1 day: Saturday 10 at 09:00.
    assert_eq!(cal.add(at(2026, 1, 9, 9, 0), dur("1d")).unwrap(), at(2026, 1, 10, 9, 0));
    // Wednesday 31 December 2025 09:00 + 1 day: 1-4 January off, Monday 5 at 09:00.
    assert_eq!(cal.add(at(2025, 12, 31, 9, 0), dur("1d")).unwrap(), at(2026, 1, 5, 9, 0));
}

#[test]
fn late_january_2027_counts_tet_as_provisional_days_off() {
    let cal = gov();
    // Received Thursday 28 January 2027 at 10:00, 10 working days: Thu 28 (6 h: 10-12 and
    // 13-17), Fri 29, Mon 1 to Wed 3 February, then Tết (provisional, Thu 4 to Wed 10), then
    // Thu 11 to Wed 17 (five days), and the last 2 hours on Thu 18: due Thursday 18 February
    // 10:00. Without Tết 2027 (the calendar before issue 20) it was Thursday 11 February.
    let start = cal.start_of_count(at(2027, 1, 28, 10, 0), cutoff()).unwrap();
    let due = cal.add(start, dur("10d")).unwrap();
    assert_eq!(due, at(2027, 2, 18, 10, 0));
    let days = cal.provisional_days(start, due);
    assert_eq!(days.len(), 7);
    assert_eq!(
        (days[0], days[6]),
        (NaiveDate::from_ymd_opt(2027, 2, 4).unwrap(), NaiveDate::from_ymd_opt(2027, 2, 10).unwrap())
    );
    // Hùng Kings' day 2027 is Friday 16 April: Thursday 15 09:00 + 1 day is Monday 19.
    assert_eq!(cal.add(at(2027, 4, 15, 9, 0), dur("1d")).unwrap(), at(2027, 4, 19, 9, 0));
    // Statutory days are certain: a deadline across them only is not provisional.
    assert!(cal.provisional_days(at(2027, 4, 15, 9, 0), at(2027, 4, 19, 9, 0)).is_empty());
    // The expected day adjacent to National Day 2027 and Vietnam Cultural Day are provisional.
    assert_eq!(cal.provisional_days(at(2027, 9, 1, 9, 0), at(2027, 9, 6, 9, 0)).len(), 1);
    assert_eq!(cal.provisional_days(at(2027, 11, 23, 9, 0), at(2027, 11, 25, 9, 0)).len(), 1);
}

#[test]
fn every_shipped_day_has_a_status_and_a_source() {
    use motcua::spec::calendar::DayStatus;
    let days = gov().marked_days();
    assert!(days.iter().all(|d| !d.source.trim().is_empty()));
    let status = |y, m, d| days.iter().find(|x| x.date == NaiveDate::from_ymd_opt(y, m, d).unwrap()).unwrap().status;
    assert_eq!(status(2026, 2, 17), DayStatus::Announced);
    assert_eq!(status(2027, 1, 1), DayStatus::Statutory);
    assert_eq!(status(2027, 2, 6), DayStatus::Provisional);
    // Nothing announced in 2027 yet.
    assert!(days.iter().filter(|d| d.date.year() == 2027).all(|d| d.status != DayStatus::Announced));
}

#[test]
fn the_shipped_calendar_fails_without_a_make_up_day_or_tet_2027() {
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1;
    // Drop the Saturday worked for Friday 2 January 2026 (and the worked day itself).
    let cut = VN_GOV.replacen("    swapped_with: 2026-01-10\n", "", 1);
    let err = Calendars::new().insert_yaml(&cut, "vn-gov.yaml").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.code, d.path.as_str()), (Code::UnpairedSwap, "compensatory_days_off[1]"));
    assert_eq!(d.line, line_of(&cut, "- date: 2026-01-02"));
    assert!(d.message.vi.contains("2026-01-02") && d.message.en.contains("make-up"));
    // Drop Tết 2027: the year lacks a statutory holiday, reported at `covers`.
    let start = VN_GOV.find("  - from: 2027-02-04").unwrap();
    let end = start + VN_GOV[start..].find("  - date: 2027-04-16").unwrap();
    let no_tet = format!("{}{}", &VN_GOV[..start], &VN_GOV[end..]);
    let err = Calendars::new().insert_yaml(&no_tet, "vn-gov.yaml").unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((err.diagnostics().len(), d.code, d.path.as_str()), (1, Code::MissingStatutoryHoliday, "covers"));
    assert_eq!((d.line, d.column), (line_of(&no_tet, "covers:"), 9));
    assert!(d.message.en.contains("2027") && d.message.en.contains("tet"), "{}", d.message.en);
}

#[test]
fn outside_the_covered_years_is_an_error_not_a_guess() {
    let cal = gov();
    for err in [
        cal.add(at(2024, 12, 31, 9, 0), dur("1d")).unwrap_err(),
        cal.add(at(2028, 1, 3, 9, 0), dur("1d")).unwrap_err(),
        cal.add(at(2027, 12, 31, 9, 0), dur("1d")).unwrap_err(),
        cal.elapsed(at(2027, 12, 1, 9, 0), at(2028, 1, 3, 9, 0)).unwrap_err(),
        cal.start_of_count(at(2027, 12, 31, 16, 0), cutoff()).unwrap_err(),
    ] {
        assert_eq!(err.code(), Code::OutsideCalendar);
        assert!(err.message().vi.contains("vn-gov"), "{}", err.message().vi);
        assert!(err.to_string().contains("vn-gov"));
    }
    assert_eq!(cal.add(at(2027, 12, 31, 9, 0), dur("7h")).unwrap(), at(2027, 12, 31, 17, 0));
}

#[test]
fn a_province_extends_the_national_calendar() {
    let province = set().get("vn-example-province").unwrap();
    let gov = gov();
    // Tuesday 24 March 2026 is the (illustrative) local day off.
    assert_eq!(gov.add(at(2026, 3, 23, 9, 0), dur("1d")).unwrap(), at(2026, 3, 24, 9, 0));
    assert_eq!(province.add(at(2026, 3, 23, 9, 0), dur("1d")).unwrap(), at(2026, 3, 25, 9, 0));
    // Everything else is inherited: Tết, the swapped Saturday, hours, offset and years.
    assert_eq!(province.covers(), gov.covers());
    assert_eq!(province.day_minutes(), 480);
    assert_eq!(province.add(at(2026, 2, 13, 16, 0), dur("3d")).unwrap(), at(2026, 2, 25, 16, 0));
    assert!(province.is_working_time(at(2026, 8, 22, 9, 0)).unwrap());
    // Its file cannot be loaded before the calendar it extends.
    let err = Calendars::new().insert_yaml(PROVINCE, "example-province.yaml").unwrap_err();
    assert_eq!(err.diagnostics()[0].code, Code::UnknownCalendar);
    assert_eq!(err.diagnostics()[0].path, "extends");
}

// ---- property-based invariants ----

/// A reference implementation that walks minute by minute through the days, using
/// only `is_working_day` and vn-gov's office hours: an oracle for the tables.
fn naive_add(cal: &Calendar, start: DateTime<FixedOffset>, mut minutes: u64) -> DateTime<FixedOffset> {
    let sessions = [(8 * 60, 12 * 60), (13 * 60, 17 * 60)];
    let local = start.with_timezone(&cal.offset()).naive_local();
    let mut date = local.date();
    let mut minute = local.hour() * 60 + local.minute() + u32::from(local.second() > 0);
    loop {
        if cal.is_working_day(date).unwrap() {
            for (from, to) in sessions {
                let begin = minute.max(from);
                if begin >= to {
                    continue;
                }
                let here = u64::from(to - begin);
                if minutes <= here {
                    let end = begin + minutes as u32;
                    return cal
                        .offset()
                        .from_local_datetime(&date.and_hms_opt(end / 60, end % 60, 0).unwrap())
                        .unwrap();
                }
                minutes -= here;
            }
        }
        date = date.succ_opt().unwrap();
        minute = 0;
    }
}

/// Instants from 2025-01-01 to 2027-04-30 (Vietnam time), at whole minutes, so that
/// adding up to 60 000 minutes (125 working days) stays inside the covered years.
fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (0i64..(365 * 2 + 120) * 1440).prop_map(|m| at(2025, 1, 1, 0, 0) + TimeDelta::minutes(m))
}

fn minutes() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..600, 0u64..30_000]
}

fn session_close(t: DateTime<FixedOffset>) -> bool {
    t.second() == 0 && matches!((t.hour(), t.minute()), (12, 0) | (17, 0))
}

proptest! {
    #[test]
    fn adding_then_measuring_gives_the_duration_back(t in instant(), d in minutes()) {
        let cal = gov();
        let end = cal.add_minutes(t, d).unwrap();
        prop_assert_eq!(cal.elapsed(t, end).unwrap(), d);
    }

    #[test]
    fn add_agrees_with_a_minute_by_minute_walk(t in instant(), d in 1u64..30_000) {
        let cal = gov();
        prop_assert_eq!(cal.add_minutes(t, d).unwrap(), naive_add(cal, t, d));
    }

    #[test]
    fn add_is_monotonic(t1 in instant(), t2 in instant(), d1 in minutes(), d2 in minutes()) {
        let cal = gov();
        let (t1, t2) = (t1.min(t2), t1.max(t2));
        let (d1, d2) = (d1.min(d2), d1.max(d2));
        prop_assert!(cal.add_minutes(t1, d1).unwrap() <= cal.add_minutes(t2, d1).unwrap());
        prop_assert!(cal.add_minutes(t1, d1).unwrap() <= cal.add_minutes(t1, d2).unwrap());
    }

    #[test]
    fn results_fall_in_working_time_or_at_a_session_close(t in instant(), d in 1u64..30_000) {
        let cal = gov();
        let end = cal.add_minutes(t, d).unwrap();
        prop_assert!(end > t);
        prop_assert!(cal.is_working_time(end - TimeDelta::seconds(1)).unwrap());
        prop_assert!(cal.is_working_time(end).unwrap() || session_close(end), "{}", end);
    }

    #[test]
    fn adding_in_two_steps_is_adding_the_sum(t in instant(), a in minutes(), b in minutes()) {
        let cal = gov();
        let two = cal.add_minutes(cal.add_minutes(t, a).unwrap(), b).unwrap();
        prop_assert_eq!(two, cal.add_minutes(t, a + b).unwrap());
    }

    #[test]
    fn elapsed_is_additive_and_never_negative(a in instant(), b in instant(), c in instant()) {
        let cal = gov();
        let mut v = [a, b, c];
        v.sort();
        let [a, b, c] = v;
        prop_assert_eq!(
            cal.elapsed(a, c).unwrap(),
            cal.elapsed(a, b).unwrap() + cal.elapsed(b, c).unwrap()
        );
        prop_assert_eq!(cal.elapsed(c, a).unwrap(), 0);
    }

    #[test]
    fn the_count_starts_at_working_time_never_before_receipt(t in instant(), h in 8u32..18) {
        let cal = gov();
        let start = cal.start_of_count(t, NaiveTime::from_hms_opt(h, 0, 0)).unwrap();
        prop_assert!(start >= t);
        prop_assert!(cal.is_working_time(start).unwrap());
        prop_assert_eq!(cal.next_working_instant(start).unwrap(), start);
    }
}

proptest! {
    #[test]
    fn any_offset_and_sub_second_start_keeps_the_round_trip(
        t in instant(),
        nanos in 0i64..60_000_000_000,
        offset_minutes in -720i32..=840,
        d in minutes(),
    ) {
        let cal = gov();
        let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
        let t = (t + TimeDelta::nanoseconds(nanos)).with_timezone(&offset);
        let end = cal.add_minutes(t, d).unwrap();
        prop_assert_eq!(end.offset().local_minus_utc(), 7 * 3600);
        prop_assert_eq!(cal.elapsed(t, end).unwrap(), d);
        // Rounding never shortens: at least d minutes of working time lie between them.
        if d > 0 {
            prop_assert!(cal.add_minutes(t, d - 1).unwrap() < end);
        }
    }
}
