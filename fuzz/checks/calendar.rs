//! Calendar arithmetic at arbitrary instants and distances: an outside_calendar error or a
//! result whose measured working time is the duration added.

use super::shipped;

/// The check, on one input.
pub fn check(input: (u32, u32, i16)) {
    let (seconds, minutes, offset_minutes) = input;
    let calendar = shipped::library().calendar("vn-gov").expect("vn-gov");
    let Some(offset) = chrono::FixedOffset::east_opt(i32::from(offset_minutes % 1440) * 60) else { return };
    // Instants from 2024 to ~2030: inside and outside the covered years.
    let Some(start) = chrono::DateTime::from_timestamp(1_704_067_200 + i64::from(seconds % 220_000_000), 0) else {
        return;
    };
    let start = start.with_timezone(&offset);
    let minutes = u64::from(minutes % 200_000);
    if let Ok(end) = calendar.add_minutes(start, minutes) {
        assert!(end >= start.with_timezone(&calendar.offset()) || minutes == 0);
        if calendar.is_working_time(start).unwrap_or(false) {
            assert_eq!(calendar.elapsed(start, end).expect("elapsed"), minutes);
        }
    }
}
