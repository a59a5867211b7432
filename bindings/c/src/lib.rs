//! # motcua-c — the C ABI of the motcua engine
//!
//! A thin translation layer (ARCHITECTURE.md, decision 7): every function parses its
//! arguments, calls one core function and serializes the answer. The conventions follow
//! rustls-ffi:
//!
//! - one prefix, `motcua_`; opaque handles (`motcua_library`, `motcua_procedure`,
//!   `motcua_dossier`, `motcua_string`, `motcua_error`) with a `_free` for each;
//! - fallible functions return a [`motcua_result`] and describe the failure in a
//!   [`motcua_error`] (code, line, column, path, Vietnamese and English message, JSON);
//! - strings are UTF-8 with explicit lengths; structured data crosses as JSON documents in
//!   the core's serde shapes (`specs/schema/` and the crate docs of `motcua`);
//! - a panic boundary around every export; NULL, wrong handles, bad UTF-8 and bad JSON
//!   are errors, never crashes.
//!
//! The header `include/motcua.h` is generated from this crate by cbindgen.
#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types)]
#![warn(missing_docs)]
// `Failure` is large, but it is the cold path, and it becomes a heap `motcua_error` anyway.
#![allow(clippy::result_large_err)]

mod base;
mod dossier;
mod error;
mod procedure;

use std::ffi::c_char;

use engine::{Catalogue, Library, WorkingDuration};

pub use base::{motcua_result, motcua_str};
pub use dossier::*;
pub use error::*;
pub use procedure::*;

use base::{NulString, Opaque, Out, borrow, borrow_mut, free_handle, guard, guard_value, into_handle, text};
use error::Failure;

/// The library version, e.g. `0.1.0` (the engine and its C ABI share a version).
///
/// # Safety
/// Always safe to call; the string is static.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_version() -> motcua_str {
    motcua_str::from_static(concat!(env!("CARGO_PKG_VERSION"), "\0"))
}

/// A string the library returns (JSON, a diagram, an instant), owned by the caller: read
/// it with `motcua_string_ptr` and `motcua_string_len`, free it with `motcua_string_free`.
///
/// Thread safety: a plain value; it may move between threads.
pub struct motcua_string {
    _private: [u8; 0],
}

impl Opaque for motcua_string {
    type Inner = NulString;
    const MAGIC: u64 = 0x6d6f_7463_7561_0053; // "motcua\0S"
}

pub(crate) fn new_string(s: impl Into<String>) -> *mut motcua_string {
    into_handle::<motcua_string>(NulString::new(s))
}

/// The bytes of a string: UTF-8, `motcua_string_len` long, followed by a NUL byte.
/// Returns a pointer to an empty string for NULL.
///
/// # Safety
/// `s` is NULL or a live string from this library; the pointer lives as long as `s`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_string_ptr(s: *const motcua_string) -> *const c_char {
    guard_value(motcua_str::empty().ptr, || {
        // SAFETY: the contract above.
        match unsafe { borrow(s, "s") } {
            Ok(s) => s.borrow().ptr,
            Err(_) => motcua_str::empty().ptr,
        }
    })
}

/// The length of a string in bytes, without the trailing NUL; 0 for NULL.
///
/// # Safety
/// `s` is NULL or a live string from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_string_len(s: *const motcua_string) -> usize {
    guard_value(0, || {
        // SAFETY: the contract above.
        unsafe { borrow(s, "s") }.map(|s| s.as_str().len()).unwrap_or(0)
    })
}

/// Frees a string. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string returned by this library, not yet freed; it is not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_string_free(s: *mut motcua_string) {
    guard_value((), || {
        // SAFETY: the contract above.
        unsafe { free_handle(s) }
    })
}

/// What procedures are compiled against: the catalogue (administrative levels, agency
/// kinds, roles) and the working-day calendars.
///
/// Thread safety: build it on one thread (`motcua_library_new`, then
/// `motcua_library_add_calendar` for each calendar); once built, it is only read, and any
/// number of threads may compile procedures against it at the same time.
pub struct motcua_library {
    _private: [u8; 0],
}

impl Opaque for motcua_library {
    type Inner = Library;
    const MAGIC: u64 = 0x6d6f_7463_7561_004c; // "motcua\0L"
}

/// Loads a catalogue (e.g. `specs/catalogue/vietnam.yaml`) into a new library with no
/// calendars yet.
///
/// `file` names the text in diagnostics (e.g. `vietnam.yaml`). On success `*out` is a new
/// library (free it with `motcua_library_free`); on failure `*out` is NULL and, unless
/// `err` is NULL, `*err` describes the failure (`MOTCUA_RESULT_LOAD_ERROR` with
/// diagnostics for a bad catalogue).
///
/// # Safety
/// `yaml` and `file` point to `yaml_len` and `file_len` readable bytes (or are NULL, an
/// error); `out` is valid for writing a pointer; `err` is NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_library_new(
    yaml: *const c_char,
    yaml_len: usize,
    file: *const c_char,
    file_len: usize,
    out: *mut *mut motcua_library,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let yaml = text(yaml, yaml_len, "yaml")?;
            let file = text(file, file_len, "file")?;
            let catalogue = Catalogue::from_yaml(yaml, file).map_err(|e| Failure::load(&e))?;
            out.set(into_handle::<motcua_library>(Library::new(catalogue)));
            Ok(())
        })
    }
}

/// Adds one calendar file (e.g. `specs/calendars/vn-gov.yaml`) to a library. A calendar
/// that `extends` another needs that one added first. On failure the library is unchanged.
///
/// # Safety
/// `library` is NULL or a live library not used by another thread during the call; `yaml`
/// and `file` point to `yaml_len` and `file_len` readable bytes; `err` is NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_library_add_calendar(
    library: *mut motcua_library,
    yaml: *const c_char,
    yaml_len: usize,
    file: *const c_char,
    file_len: usize,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let library = borrow_mut(library, "library")?;
            let yaml = text(yaml, yaml_len, "yaml")?;
            let file = text(file, file_len, "file")?;
            library.add_calendar_yaml(yaml, file).map_err(|e| Failure::load(&e))
        })
    }
}

/// Adds working time to an instant on a calendar of the library: `start` is RFC 3339
/// (`2026-04-29T09:00:00+07:00`), `duration` as specs write it (`3d`, `0.5d`, `4h`, `30m`).
/// On success `*out` is the due instant, RFC 3339, as a new string.
///
/// Errors: `MOTCUA_RESULT_CALENDAR_ERROR` with code `unknown_calendar` or
/// `outside_calendar` (the result falls in years the calendar does not cover),
/// `MOTCUA_RESULT_INVALID_ARGUMENT` for a malformed instant or duration.
///
/// # Safety
/// `library` is NULL or a live library; each `(ptr, len)` pair points to `len` readable
/// bytes; `out` is valid for writing a pointer; `err` is NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn motcua_library_add_working_time(
    library: *const motcua_library,
    calendar: *const c_char,
    calendar_len: usize,
    start: *const c_char,
    start_len: usize,
    duration: *const c_char,
    duration_len: usize,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let library = borrow(library, "library")?;
            let id = text(calendar, calendar_len, "calendar")?;
            let start = instant(text(start, start_len, "start")?, "start")?;
            let duration = working_duration(text(duration, duration_len, "duration")?)?;
            let cal = library.calendar(id).ok_or_else(|| {
                let mut f = Failure::new(
                    motcua_result::CalendarError,
                    "calendar",
                    format!("Không có lịch `{id}`"),
                    format!("no calendar is named `{id}`"),
                );
                f.code = engine::Code::UnknownCalendar.as_str().to_owned();
                f
            })?;
            let due = cal.add(start, duration).map_err(|e| Failure::calendar(&e, "duration"))?;
            out.set(new_string(due.to_rfc3339()));
            Ok(())
        })
    }
}

/// Frees a library. Procedures compiled against it stay valid. NULL is ignored.
///
/// # Safety
/// `library` is NULL or a library returned by this library, not yet freed, not in use by
/// another thread; it is not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_library_free(library: *mut motcua_library) {
    guard_value((), || {
        // SAFETY: the contract above.
        unsafe { free_handle(library) }
    })
}

/// Reads an RFC 3339 instant argument.
pub(crate) fn instant(s: &str, arg: &'static str) -> Result<chrono::DateTime<chrono::FixedOffset>, Failure> {
    chrono::DateTime::parse_from_rfc3339(s).map_err(|e| {
        Failure::new(
            motcua_result::InvalidArgument,
            arg,
            format!("Thời điểm `{s}` không đúng RFC 3339 (ví dụ 2026-03-02T09:00:00+07:00): {e}"),
            format!("the instant `{s}` is not RFC 3339 (e.g. 2026-03-02T09:00:00+07:00): {e}"),
        )
    })
}

/// Reads a working-duration argument (`3d`, `0.5d`, `4h`, `30m`).
pub(crate) fn working_duration(s: &str) -> Result<WorkingDuration, Failure> {
    s.parse::<WorkingDuration>().map_err(|e| {
        Failure::new(
            motcua_result::InvalidArgument,
            "duration",
            format!("Thời lượng `{s}` không hợp lệ: viết một số và đơn vị, ví dụ `3d`, `0.5d`, `4h`, `30m`"),
            e.to_string(),
        )
    })
}

#[cfg(test)]
mod tests {
    fn read(path: &str) -> String {
        std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// The C and Python tests submit JSON fixtures; they must stay the scenarios' submissions.
    #[test]
    fn fixtures_are_the_scenario_submissions() {
        for (scenario, fixture) in [
            ("tests/scenarios/business-registration-happy.yaml", "business-registration-submission.json"),
            ("tests/scenarios/birth-registration-supplement-lapsed.yaml", "birth-registration-submission.json"),
        ] {
            let s = engine::scenario::Scenario::from_yaml(&read(scenario), scenario).unwrap().submit;
            let f: serde_json::Value =
                serde_json::from_str(&read(&format!("bindings/c/tests/data/{fixture}"))).unwrap();
            assert_eq!(f["data"], s.data, "{fixture}");
            let documents: Vec<engine::SubmittedDocument> = serde_json::from_value(f["documents"].clone()).unwrap();
            assert_eq!(documents, s.documents, "{fixture}");
            assert_eq!(f["dossier_id"], s.dossier_id.as_str(), "{fixture}");
            assert_eq!(f["at"], serde_json::to_value(s.at).unwrap(), "{fixture}");
        }
    }
}
