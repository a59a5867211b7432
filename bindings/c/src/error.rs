//! `motcua_error`: what went wrong, with a stable code, a place and two languages.

use std::any::Any;

use engine::{CalendarError, Diagnostic, LoadError, Message, Rejection};
use serde_json::json;

use crate::base::{
    NulString, Opaque, borrow, free_handle, guard_value, into_handle, message, motcua_result, motcua_str,
};

/// Why a call failed. Returned through the `err` argument of a fallible function; free it
/// with `motcua_error_free`. Read it with the `motcua_error_*` accessors.
///
/// Every error has a result (the function's return value), a stable code string, a place
/// (line, column, path: 0, 0 and "" when there is none), a message in Vietnamese and
/// English, and the full JSON:
/// - `MOTCUA_RESULT_LOAD_ERROR`: an array of diagnostics
///   (`{code, severity, file, line, column, path, message: {vi, en}, help?, end?: {line, column},
///   labels?: [{line, column, end?, path, message}]}`), errors and
///   warnings in source order; the accessors describe the first error.
/// - `MOTCUA_RESULT_REJECTED`: the rejection `{code, field, message: {vi, en}, problems?}`;
///   the path is the command field at fault.
/// - any other result: an object of the same shape `{code, field, message}`, where `field`
///   names the argument at fault; for `MOTCUA_RESULT_INVALID_JSON` the line and column are
///   those of the mistake in the JSON text.
///
/// Thread safety: an error is a plain value; it may move between threads.
pub struct motcua_error {
    _private: [u8; 0],
}

/// The data behind a `motcua_error`.
pub(crate) struct ErrorData {
    result: motcua_result,
    code: NulString,
    line: u32,
    column: u32,
    path: NulString,
    vi: NulString,
    en: NulString,
    json: NulString,
    /// `motcua_error_report`, written on first use.
    report: std::sync::OnceLock<NulString>,
}

impl ErrorData {
    /// Everything the accessors return, as one JSON object (see `motcua_error_report`).
    pub(crate) fn report(&self) -> &NulString {
        self.report.get_or_init(|| {
            let text = |s: &NulString| serde_json::Value::String(s.as_str().to_owned()).to_string();
            // `json` is already a JSON document: spliced in as it is, not parsed again.
            NulString::new(format!(
                r#"{{"result":{},"code":{},"line":{},"column":{},"path":{},"message":{{"vi":{},"en":{}}},"detail":{}}}"#,
                self.result as i32,
                text(&self.code),
                self.line,
                self.column,
                text(&self.path),
                text(&self.vi),
                text(&self.en),
                self.json.as_str(),
            ))
        })
    }
}

impl Opaque for motcua_error {
    type Inner = ErrorData;
    const MAGIC: u64 = 0x6d6f_7463_7561_0045; // "motcua\0E"
}

/// A failure inside the crate, before it becomes a `motcua_error`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) result: motcua_result,
    pub(crate) code: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) path: String,
    pub(crate) message: Message,
    json: Option<serde_json::Value>,
}

impl Failure {
    /// A failure of the binding itself, about argument `arg`.
    pub(crate) fn new(result: motcua_result, arg: &str, vi: impl Into<String>, en: impl Into<String>) -> Failure {
        Failure {
            result,
            code: result.code().to_owned(),
            line: 0,
            column: 0,
            path: arg.to_owned(),
            message: message(vi, en),
            json: None,
        }
    }

    pub(crate) fn null(arg: &str) -> Failure {
        Failure::new(
            motcua_result::NullArgument,
            arg,
            format!("Đối số `{arg}` là NULL"),
            format!("argument `{arg}` is NULL"),
        )
    }

    pub(crate) fn panic(payload: &(dyn Any + Send)) -> Failure {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Failure::new(
            motcua_result::Panic,
            "",
            format!("Lỗi nội bộ của thư viện: {what}"),
            format!("internal error in the library: {what}"),
        )
    }

    pub(crate) fn load(error: &LoadError) -> Failure {
        let diagnostics = error.diagnostics();
        let first: Option<&Diagnostic> = error.primary();
        let (code, line, column, path, message) = match first {
            Some(d) => (d.code.as_str().to_owned(), d.line, d.column, d.path.clone(), d.message.clone()),
            None => ("load_error".to_owned(), 0, 0, String::new(), error_message(&error.to_string())),
        };
        Failure {
            result: motcua_result::LoadError,
            code,
            line,
            column,
            path,
            message,
            json: Some(serde_json::to_value(diagnostics).unwrap_or_default()),
        }
    }

    pub(crate) fn rejected(rejection: &Rejection) -> Failure {
        Failure {
            result: motcua_result::Rejected,
            code: rejection.code.as_str().to_owned(),
            line: 0,
            column: 0,
            path: rejection.field.clone(),
            message: rejection.message.clone(),
            json: Some(serde_json::to_value(rejection).unwrap_or_default()),
        }
    }

    pub(crate) fn calendar(error: &CalendarError, arg: &str) -> Failure {
        Failure {
            result: motcua_result::CalendarError,
            code: error.code().as_str().to_owned(),
            line: 0,
            column: 0,
            path: arg.to_owned(),
            message: error.message().clone(),
            json: None,
        }
    }

    pub(crate) fn into_error(self) -> *mut motcua_error {
        let json = self.json.unwrap_or_else(|| json!({"code": self.code, "field": self.path, "message": self.message}));
        into_handle::<motcua_error>(ErrorData {
            result: self.result,
            code: NulString::new(self.code),
            line: self.line,
            column: self.column,
            path: NulString::new(self.path),
            vi: NulString::new(self.message.vi),
            en: NulString::new(self.message.en),
            json: NulString::new(json.to_string()),
            report: std::sync::OnceLock::new(),
        })
    }
}

fn error_message(en: &str) -> Message {
    message(en, en)
}

/// Reads a field of an error, or a default for NULL and wrong handles.
fn read<T>(err: *const motcua_error, fallback: T, f: impl FnOnce(&ErrorData) -> T) -> T
where
    T: Copy,
{
    guard_value(fallback, || {
        // SAFETY: the accessors' contract: `err` is NULL or a live `motcua_error`.
        match unsafe { borrow(err, "err") } {
            Ok(data) => f(data),
            Err(_) => fallback,
        }
    })
}

/// Frees an error. NULL is ignored.
///
/// # Safety
/// `err` is NULL or an error returned by this library, not yet freed; it is not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_free(err: *mut motcua_error) {
    guard_value((), || {
        // SAFETY: the contract above.
        unsafe { free_handle(err) }
    })
}

/// The result code the failing function returned (`MOTCUA_RESULT_NULL_ARGUMENT` for NULL).
///
/// # Safety
/// `err` is NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_result(err: *const motcua_error) -> motcua_result {
    read(err, motcua_result::NullArgument, |e| e.result)
}

/// The stable, machine-readable code: an engine code such as `unknown_step`, `forbidden`,
/// `version_conflict`, `invalid_form`, `outside_calendar`, or for errors of the binding
/// itself `null_argument`, `invalid_handle`, `invalid_utf8`, `invalid_json`,
/// `invalid_argument`, `panic`. Codes are never renamed; hosts may store and switch on them.
/// Empty for NULL.
///
/// # Safety
/// `err` is NULL or a live error from this library; the string lives as long as `err`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_code(err: *const motcua_error) -> motcua_str {
    read(err, motcua_str::empty(), |e| e.code.borrow())
}

/// The 1-based line of the mistake in the YAML or JSON text, 0 when there is none.
///
/// # Safety
/// `err` is NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_line(err: *const motcua_error) -> u32 {
    read(err, 0, |e| e.line)
}

/// The 1-based column of the mistake, 0 when there is none.
///
/// # Safety
/// `err` is NULL or a live error from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_column(err: *const motcua_error) -> u32 {
    read(err, 0, |e| e.column)
}

/// Where the mistake is: the dotted spec path of a load error
/// (`steps.receive.actions.accept.to`), the command field of a rejection
/// (`actor.role`, `expected_version`), or the name of the argument at fault. May be empty.
///
/// # Safety
/// `err` is NULL or a live error from this library; the string lives as long as `err`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_path(err: *const motcua_error) -> motcua_str {
    read(err, motcua_str::empty(), |e| e.path.borrow())
}

/// The message in Vietnamese.
///
/// # Safety
/// `err` is NULL or a live error from this library; the string lives as long as `err`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_message_vi(err: *const motcua_error) -> motcua_str {
    read(err, motcua_str::empty(), |e| e.vi.borrow())
}

/// The message in English.
///
/// # Safety
/// `err` is NULL or a live error from this library; the string lives as long as `err`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_message_en(err: *const motcua_error) -> motcua_str {
    read(err, motcua_str::empty(), |e| e.en.borrow())
}

/// The whole error as JSON (see `motcua_error` for its shape): every diagnostic of a load
/// error, the problems of an `invalid_form` rejection.
///
/// # Safety
/// `err` is NULL or a live error from this library; the string lives as long as `err`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_json(err: *const motcua_error) -> motcua_str {
    read(err, motcua_str::empty(), |e| e.json.borrow())
}

/// The whole error in one call, as JSON: `{"result", "code", "line", "column", "path",
/// "message": {"vi", "en"}, "detail"}` — what the seven other accessors return (`result` is
/// the number of the `motcua_result`), with `detail` the document of `motcua_error_json`.
///
/// For hosts where every foreign call has a price (JNA, P/Invoke, PHP FFI): one call and one
/// JSON parse instead of eight calls. Written on the first call and kept with the error.
/// Empty for NULL or a wrong handle.
///
/// ```c
/// motcua_str report = motcua_error_report(err);
/// // {"result":7,"code":"forbidden","line":0,"column":0,"path":"actor",
/// //  "message":{"vi":"...","en":"..."},"detail":{"code":"forbidden",...}}
/// ```
///
/// # Safety
/// `err` is NULL or a live error from this library; the string lives as long as `err`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_error_report(err: *const motcua_error) -> motcua_str {
    read(err, motcua_str::empty(), |e| e.report().borrow())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::guard;

    #[test]
    fn a_panic_becomes_an_error_code() {
        let mut err: *mut motcua_error = std::ptr::null_mut();
        // SAFETY: `err` is a valid out pointer.
        let result = unsafe { guard(&mut err, || panic!("boom")) };
        assert_eq!(result, motcua_result::Panic);
        // SAFETY: `err` was just returned by `guard`.
        unsafe {
            let code = motcua_error_code(err);
            let code = std::slice::from_raw_parts(code.ptr.cast::<u8>(), code.len);
            assert_eq!(code, b"panic");
            let en = motcua_error_message_en(err);
            let en = std::str::from_utf8(std::slice::from_raw_parts(en.ptr.cast::<u8>(), en.len)).unwrap();
            assert!(en.contains("boom"), "{en}");
            motcua_error_free(err);
        }
    }

    #[test]
    fn accessors_of_null_return_defaults() {
        // SAFETY: NULL is allowed.
        unsafe {
            assert_eq!(motcua_error_result(std::ptr::null()), motcua_result::NullArgument);
            assert_eq!(motcua_error_code(std::ptr::null()).len, 0);
            assert_eq!(motcua_error_line(std::ptr::null()), 0);
            motcua_error_free(std::ptr::null_mut());
        }
    }
}
