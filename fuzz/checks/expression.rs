//! Arbitrary text as an expression of the birth form: a coded error or a value, never a
//! panic, within the evaluation budget.

use super::shipped;

/// The check, on one input.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let form = shipped::procedures()[0].form();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    match form.compile_expr(text) {
        Ok(expr) => {
            let data = serde_json::json!({"child": {"full_name": "An", "birth_date": "2025-12-01"}});
            let _ = form.eval(&expr, &data, &[], today);
        }
        Err(err) => assert!(!err.message.vi.is_empty() && !err.message.en.is_empty()),
    }
}
