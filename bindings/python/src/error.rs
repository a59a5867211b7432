//! The exceptions: one hierarchy under `motcua.MotcuaError`, each carrying the stable code,
//! the place and the message in Vietnamese and English.

use std::panic::{AssertUnwindSafe, catch_unwind};

use engine::{CalendarError as EngineCalendarError, LoadError, Rejection};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::convert::to_py;

create_exception!(
    motcua,
    MotcuaError,
    PyException,
    "Every error of motcua: `code`, `place`, `message_vi`, `message_en`."
);
create_exception!(motcua, SpecError, MotcuaError, "A catalogue, calendar, units or procedure spec did not load.");
create_exception!(
    motcua,
    InputError,
    MotcuaError,
    "An argument is malformed: a dict of the wrong shape, a wrong type, a bad date."
);
create_exception!(
    motcua,
    CommandRefused,
    MotcuaError,
    "The engine refused a submission or command; the dossier is unchanged."
);
create_exception!(
    motcua,
    HistoryError,
    MotcuaError,
    "A snapshot or history does not check out (tampered, or another procedure)."
);
create_exception!(
    motcua,
    CalendarError,
    MotcuaError,
    "Working-time arithmetic left the calendar, or the calendar is unknown."
);

/// Which exception class a failure becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Spec,
    Input,
    Refused,
    History,
    Calendar,
    Internal,
}

/// A failure inside the crate, before it becomes a Python exception.
#[derive(Debug)]
pub(crate) struct Failure {
    kind: Kind,
    code: String,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    /// A JSON path into the argument (`$.actor.role`), a spec path, or an argument name.
    path: String,
    vi: String,
    en: String,
    /// The published JSON of the error: the diagnostics of a load error, the rejection.
    details: Option<Value>,
}

impl Failure {
    /// A bad argument: `code` is `invalid_type`, `invalid_shape`, `invalid_json`,
    /// `invalid_argument`, `invalid_utf8` or `io_error`.
    pub(crate) fn input(code: &str, path: impl Into<String>, vi: impl Into<String>, en: impl Into<String>) -> Failure {
        Failure {
            kind: Kind::Input,
            code: code.to_owned(),
            file: None,
            line: None,
            column: None,
            path: path.into(),
            vi: vi.into(),
            en: en.into(),
            details: None,
        }
    }

    /// A mistake in a JSON text, at its line and column.
    pub(crate) fn json_text(arg: &str, e: &serde_json::Error) -> Failure {
        let mut f = Failure::input(
            "invalid_json",
            arg,
            format!("`{arg}` không phải JSON hợp lệ: {e}"),
            format!("`{arg}` is not valid JSON: {e}"),
        );
        f.line = u32::try_from(e.line()).ok();
        f.column = u32::try_from(e.column()).ok();
        f
    }

    pub(crate) fn load(error: &LoadError) -> Failure {
        let primary = error.primary();
        let (code, file, line, column, path, vi, en) = match primary {
            Some(d) => (
                d.code.as_str().to_owned(),
                Some(d.file.clone()),
                Some(d.line),
                Some(d.column),
                d.path.clone(),
                d.message.vi.clone(),
                d.message.en.clone(),
            ),
            None => ("load_error".to_owned(), None, None, None, String::new(), error.to_string(), error.to_string()),
        };
        Failure {
            kind: Kind::Spec,
            code,
            file,
            line,
            column,
            path,
            vi,
            en,
            details: serde_json::to_value(error.diagnostics()).ok(),
        }
    }

    /// A refused submission or command (`Kind::Refused`), or a refused snapshot or history
    /// (`Kind::History`).
    pub(crate) fn rejected(kind: Kind, rejection: &Rejection) -> Failure {
        Failure {
            kind,
            code: rejection.code.as_str().to_owned(),
            file: None,
            line: None,
            column: None,
            path: json_path(&rejection.field),
            vi: rejection.message.vi.clone(),
            en: rejection.message.en.clone(),
            details: serde_json::to_value(rejection).ok(),
        }
    }

    pub(crate) fn calendar(error: &EngineCalendarError, arg: &str) -> Failure {
        Failure {
            kind: Kind::Calendar,
            code: error.code().as_str().to_owned(),
            file: None,
            line: None,
            column: None,
            path: arg.to_owned(),
            vi: error.message().vi.clone(),
            en: error.message().en.clone(),
            details: None,
        }
    }

    pub(crate) fn unknown_calendar(id: &str) -> Failure {
        Failure {
            kind: Kind::Calendar,
            code: engine::Code::UnknownCalendar.as_str().to_owned(),
            file: None,
            line: None,
            column: None,
            path: "calendar".to_owned(),
            vi: format!("Không có lịch `{id}`"),
            en: format!("no calendar is named `{id}`"),
            details: None,
        }
    }

    fn internal(code: &str, vi: String, en: String) -> Failure {
        Failure {
            kind: Kind::Internal,
            code: code.to_owned(),
            file: None,
            line: None,
            column: None,
            path: String::new(),
            vi,
            en,
            details: None,
        }
    }

    /// A result that could not be written as JSON (never expected; not a panic).
    pub(crate) fn serialize(e: &serde_json::Error) -> Failure {
        Failure::internal(
            "serialize_error",
            format!("Không tuần tự hóa được JSON: {e}"),
            format!("could not serialize JSON: {e}"),
        )
    }

    /// A result that could not be built as Python objects (never expected; not a panic).
    pub(crate) fn serialize_python(e: &pythonize::PythonizeError) -> Failure {
        Failure::internal(
            "serialize_error",
            format!("Không chuyển được kết quả sang Python: {e}"),
            format!("could not convert the result to Python: {e}"),
        )
    }

    /// The Python exception: its class by kind, its attributes from the failure.
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let text = if self.path.is_empty() {
            format!("{}: {}", self.code, self.en)
        } else {
            format!("{} at `{}`: {}", self.code, self.path, self.en)
        };
        let err = match self.kind {
            Kind::Spec => SpecError::new_err(text),
            Kind::Input => InputError::new_err(text),
            Kind::Refused => CommandRefused::new_err(text),
            Kind::History => HistoryError::new_err(text),
            Kind::Calendar => CalendarError::new_err(text),
            Kind::Internal => MotcuaError::new_err(text),
        };
        if let Err(e) = self.decorate(py, err.value(py)) {
            return e;
        }
        err
    }

    fn decorate(self, py: Python<'_>, value: &Bound<'_, pyo3::exceptions::PyBaseException>) -> PyResult<()> {
        let place = PyDict::new(py);
        place.set_item("file", self.file)?;
        place.set_item("line", self.line)?;
        place.set_item("column", self.column)?;
        place.set_item("path", &self.path)?;
        value.setattr("code", &self.code)?;
        value.setattr("place", place)?;
        value.setattr("message_vi", self.vi)?;
        value.setattr("message_en", self.en)?;
        let details = match &self.details {
            Some(d) => to_py(py, d)?,
            None => py.None().into_bound(py),
        };
        match self.kind {
            Kind::Spec => value.setattr("diagnostics", &details)?,
            Kind::Refused | Kind::History => {
                let problems = match self.details.as_ref().and_then(|d| d.get("problems")) {
                    Some(p) => to_py(py, p)?,
                    None => pyo3::types::PyList::empty(py).into_any(),
                };
                value.setattr("problems", problems)?;
                value.setattr("rejection", &details)?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// The JSON path of a field named as the core names it (`actor.role`, `` for the whole).
pub(crate) fn json_path(field: &str) -> String {
    match field {
        "" | "." => "$".to_owned(),
        _ if field.starts_with('[') => format!("${field}"),
        _ => format!("$.{field}"),
    }
}

/// Runs engine code, turning a panic into a coded `MotcuaError` (`panic`) instead of letting
/// it cross into Python.
pub(crate) fn guard<T>(body: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Failure::internal(
            "panic",
            format!("Lỗi nội bộ của thư viện: {what}"),
            format!("internal error in the library (please report it): {what}"),
        ))
    })
}

/// `Failure` → `PyErr` on the way out of a method.
pub(crate) trait OrRaise<T> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrRaise<T> for Result<T, Failure> {
    fn or_raise(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|f| f.into_pyerr(py))
    }
}

/// Registers the exception classes on the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("MotcuaError", py.get_type::<MotcuaError>())?;
    m.add("SpecError", py.get_type::<SpecError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("CommandRefused", py.get_type::<CommandRefused>())?;
    m.add("HistoryError", py.get_type::<HistoryError>())?;
    m.add("CalendarError", py.get_type::<CalendarError>())?;
    Ok(())
}
