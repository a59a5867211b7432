//! Arbitrary JSON against every shipped form: problems, never a panic, and the same
//! problems twice.

use super::shipped;

/// The check, on one input.
pub fn check(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    for procedure in shipped::procedures() {
        let first = procedure.form().validate(&value, &[], today);
        let second = procedure.form().validate(&value, &[], today);
        assert_eq!(first.problems, second.problems);
    }
}
