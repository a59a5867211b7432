//! # motcua-python — the Python package `motcua` (PyO3, abi3)
//!
//! A thin translation layer (ARCHITECTURE.md, decision 7), like the C and WASM bindings:
//! each method converts its arguments from Python values in the published JSON shapes
//! (`specs/schema/runtime/`), calls one core function, and converts the answer back. Every
//! failure becomes an exception of the `motcua.MotcuaError` hierarchy with a stable `code`,
//! a `place` and both messages; a panic of the core is caught and raised the same way.
//!
//! The Python API, its stubs and its tests are in `python/motcua/` and `tests/`; see
//! `README.md`. Built with maturin (`pyproject.toml`), which turns on `extension-module`.
#![warn(missing_docs)]
// `Failure` is large, but it is the cold path, and it becomes a Python exception anyway.
#![allow(clippy::result_large_err)]

mod convert;
mod error;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use engine::{Applied, Catalogue, Command, Event, Submission, WorkingDuration};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use convert::{Arg, from_py, from_text, from_value, out, to_json};
use error::{Failure, Kind, OrRaise, guard};

/// What procedures are compiled against: the catalogue, the working-day calendars, the
/// administrative units.
#[pyclass(module = "motcua", name = "Library")]
struct Library {
    inner: engine::Library,
}

#[pymethods]
impl Library {
    /// A library from a catalogue text (YAML), with no calendars yet.
    #[new]
    #[pyo3(signature = (catalogue, file = None))]
    fn new(py: Python<'_>, catalogue: Arg<String>, file: Option<Arg<String>>) -> PyResult<Library> {
        guard(|| {
            let file = or(file, "catalogue.yaml");
            let catalogue = Catalogue::from_yaml(&catalogue.0, &file).map_err(|e| Failure::load(&e))?;
            Ok(Library { inner: engine::Library::new(catalogue) })
        })
        .or_raise(py)
    }

    /// Loads a specs folder: `catalogue/*.yaml` (the first), `calendars/*.yaml` (a calendar
    /// that extends another after it), `units/*.yaml`.
    #[staticmethod]
    fn from_folder(py: Python<'_>, path: Arg<PathBuf>) -> PyResult<Library> {
        py.detach(|| guard(|| load_folder(&path.0))).or_raise(py)
    }

    /// Adds a calendar (YAML). One that `extends` another needs that one first.
    #[pyo3(signature = (text, file = None))]
    fn add_calendar(&mut self, py: Python<'_>, text: Arg<String>, file: Option<Arg<String>>) -> PyResult<()> {
        let file = or(file, "calendar.yaml");
        guard(|| self.inner.add_calendar_yaml(&text.0, &file).map_err(|e| Failure::load(&e))).or_raise(py)
    }

    /// Adds the administrative units (YAML).
    #[pyo3(signature = (text, file = None))]
    fn add_units(&mut self, py: Python<'_>, text: Arg<String>, file: Option<Arg<String>>) -> PyResult<()> {
        let file = or(file, "units.yaml");
        guard(|| self.inner.add_units_yaml(&text.0, &file).map_err(|e| Failure::load(&e))).or_raise(py)
    }

    /// The ids of the calendars, in order.
    #[getter]
    fn calendars(&self) -> Vec<String> {
        self.inner.calendars().ids().map(str::to_owned).collect()
    }

    /// Adds working time to an instant on a calendar: an RFC 3339 string (or aware
    /// `datetime`) and a duration as specs write it (`3d`, `0.5d`, `4h`, `30m`).
    fn add_working_time(
        &self,
        py: Python<'_>,
        calendar: Arg<String>,
        start: &Bound<'_, PyAny>,
        duration: Arg<String>,
    ) -> PyResult<String> {
        guard(|| {
            let start = instant(start, "start")?;
            let duration = working_duration(&duration.0)?;
            let cal = self.inner.calendar(&calendar.0).ok_or_else(|| Failure::unknown_calendar(&calendar.0))?;
            cal.add(start, duration).map(|d| d.to_rfc3339()).map_err(|e| Failure::calendar(&e, "duration"))
        })
        .or_raise(py)
    }

    /// Compiles a procedure spec (YAML) against this library.
    #[pyo3(signature = (text, file = None))]
    fn compile(&self, py: Python<'_>, text: Arg<String>, file: Option<Arg<String>>) -> PyResult<Procedure> {
        let library = &self.inner;
        let file = or(file, "procedure.yaml");
        py.detach(|| guard(|| compile(library, &text.0, &file))).or_raise(py)
    }

    /// Reads and compiles a procedure spec file.
    fn load_procedure(&self, py: Python<'_>, path: Arg<PathBuf>) -> PyResult<Procedure> {
        let (library, path) = (&self.inner, path.0);
        py.detach(|| {
            guard(|| {
                let text = read(&path)?;
                compile(library, &text, &file_name(&path))
            })
        })
        .or_raise(py)
    }

    fn __repr__(&self) -> String {
        format!("<motcua.Library {} calendars={:?}>", self.inner.catalogue().id(), self.calendars())
    }
}

fn compile(library: &engine::Library, text: &str, file: &str) -> Result<Procedure, Failure> {
    let procedure = engine::Procedure::from_yaml(text, file, library).map_err(|e| Failure::load(&e))?;
    Ok(Procedure { inner: Arc::new(procedure) })
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::input(
            "io_error",
            path.display().to_string(),
            format!("Không đọc được tệp `{}`: {e}", path.display()),
            format!("cannot read `{}`: {e}", path.display()),
        )
    })
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default()
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Failure::input(
            "io_error",
            dir.display().to_string(),
            format!("Không đọc được thư mục `{}`: {e}", dir.display()),
            format!("cannot read the folder `{}`: {e}", dir.display()),
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

fn load_folder(root: &Path) -> Result<Library, Failure> {
    let Some(catalogue_path) = yaml_files(&root.join("catalogue"))?.into_iter().next() else {
        return Err(Failure::input(
            "io_error",
            root.display().to_string(),
            format!("Thư mục `{}` không có catalogue/*.yaml", root.display()),
            format!("the folder `{}` has no catalogue/*.yaml", root.display()),
        ));
    };
    let catalogue =
        Catalogue::from_yaml(&read(&catalogue_path)?, &file_name(&catalogue_path)).map_err(|e| Failure::load(&e))?;
    let mut library = engine::Library::new(catalogue);
    // A calendar that extends another loads after it: passes until none is left, or a pass
    // makes no progress (then the first failure is the error).
    let mut pending = yaml_files(&root.join("calendars"))?;
    while !pending.is_empty() {
        let tried = pending.len();
        let mut failed = Vec::new();
        for path in std::mem::take(&mut pending) {
            if let Err(e) = library.add_calendar_yaml(&read(&path)?, &file_name(&path)) {
                failed.push((path, e));
            }
        }
        if failed.len() == tried {
            return Err(Failure::load(&failed.swap_remove(0).1));
        }
        pending = failed.into_iter().map(|(p, _)| p).collect();
    }
    for path in yaml_files(&root.join("units"))? {
        library.add_units_yaml(&read(&path)?, &file_name(&path)).map_err(|e| Failure::load(&e))?;
    }
    Ok(Library { inner: library })
}

/// A compiled procedure (one version of one *thủ tục hành chính*). Immutable; shared by
/// every dossier opened with it.
#[pyclass(module = "motcua", name = "Procedure", frozen)]
struct Procedure {
    inner: Arc<engine::Procedure>,
}

#[pymethods]
impl Procedure {
    /// The national procedure code, e.g. `2.001610`.
    #[getter]
    fn code(&self) -> &str {
        self.inner.code()
    }

    /// The spec version, e.g. `2025.1` (dossiers are pinned to it).
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// The procedure's name, `{"vi": ..., "en"?: ...}`.
    #[getter]
    fn name<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, &self.inner.spec().name)
    }

    /// The spec as compiled, in the shape of `specs/schema/procedure.schema.json`.
    #[getter]
    fn spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.inner.spec())
    }

    /// The warnings found while compiling (lints): a list of diagnostics
    /// `{code, severity, file, line, column, path, message: {vi, en}, help?}`.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.inner.warnings())
    }

    /// Validates form data and documents: the list of problems `{path, code, params?,
    /// label?, message}`, empty when valid. `today` is the date the rules compare with
    /// (`"2026-03-02"` or a `date`; today's by default).
    #[pyo3(signature = (data, documents = None, today = None))]
    fn validate<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        documents: Option<&Bound<'py, PyAny>>,
        today: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let data = to_json(data, "$").or_raise(py)?;
        let documents: Vec<engine::SubmittedDocument> = match documents {
            Some(d) => from_py(d, "documents").or_raise(py)?,
            None => Vec::new(),
        };
        let today = match today {
            Some(t) => date(t, "today").or_raise(py)?,
            None => {
                let t = py.import("datetime")?.getattr("date")?.call_method0("today")?;
                date(&t, "today").or_raise(py)?
            }
        };
        let procedure = &self.inner;
        let validation =
            py.detach(|| guard(|| Ok(procedure.form().validate(&data, &documents, today)))).or_raise(py)?;
        out(py, &validation.problems)
    }

    /// Adds working time to an instant on the procedure's calendar.
    fn add_working_time(&self, py: Python<'_>, start: &Bound<'_, PyAny>, duration: Arg<String>) -> PyResult<String> {
        guard(|| {
            let start = instant(start, "start")?;
            let duration = working_duration(&duration.0)?;
            self.inner
                .calendar()
                .add(start, duration)
                .map(|d| d.to_rfc3339())
                .map_err(|e| Failure::calendar(&e, "duration"))
        })
        .or_raise(py)
    }

    /// A Mermaid flowchart of the procedure, labels in `lang` (`vi` or `en`).
    #[pyo3(signature = (lang = None))]
    fn mermaid(&self, py: Python<'_>, lang: Option<Arg<String>>) -> PyResult<String> {
        let lang = language(&or(lang, "vi")).or_raise(py)?;
        guard(|| Ok(engine::diagram::mermaid(&self.inner, lang))).or_raise(py)
    }

    /// A Graphviz DOT diagram of the procedure, labels in `lang` (`vi` or `en`).
    #[pyo3(signature = (lang = None))]
    fn dot(&self, py: Python<'_>, lang: Option<Arg<String>>) -> PyResult<String> {
        let lang = language(&or(lang, "vi")).or_raise(py)?;
        guard(|| Ok(engine::diagram::dot(&self.inner, lang))).or_raise(py)
    }

    /// Opens a dossier from a submission (the `submission` shape): `(dossier, applied)`.
    /// A refused submission raises `CommandRefused` (`invalid_form` with its `problems`,
    /// `forbidden`, ...).
    fn submit<'py>(slf: &Bound<'py, Self>, submission: &Bound<'py, PyAny>) -> PyResult<(Dossier, Bound<'py, PyAny>)> {
        let py = slf.py();
        let submission: Submission = from_py(submission, "submission").or_raise(py)?;
        let procedure = &slf.get().inner;
        let (dossier, applied) =
            guard(|| engine::Dossier::submit(procedure, submission).map_err(|r| Failure::rejected(Kind::Refused, &r)))
                .or_raise(py)?;
        let applied = out(py, &applied)?;
        Ok((Dossier { inner: dossier, procedure: slf.clone().unbind() }, applied))
    }

    /// Loads a dossier from its snapshot (a dict, or the JSON text the host stored),
    /// checked against its own history; `head` is the last event hash the host stored
    /// beside it. An edited snapshot raises `HistoryError` (`tampered_snapshot`, ...).
    #[pyo3(signature = (snapshot, head = None))]
    fn restore(slf: &Bound<'_, Self>, snapshot: &Bound<'_, PyAny>, head: Option<Arg<String>>) -> PyResult<Dossier> {
        let py = slf.py();
        let head = head.map(|h| h.0);
        let head = head.as_deref();
        let stored: engine::Dossier = match snapshot.cast::<PyString>() {
            Ok(text) => from_text(&text.to_cow()?, "snapshot"),
            Err(_) => from_py(snapshot, "snapshot"),
        }
        .or_raise(py)?;
        let procedure = &slf.get().inner;
        let dossier = py
            .detach(|| {
                guard(|| {
                    engine::Dossier::from_snapshot(procedure, stored, head)
                        .map_err(|r| Failure::rejected(Kind::History, &r))
                })
            })
            .or_raise(py)?;
        Ok(Dossier { inner: dossier, procedure: slf.clone().unbind() })
    }

    /// Rebuilds a dossier from its events (a list in the `event` shape), checking each.
    fn replay(slf: &Bound<'_, Self>, events: &Bound<'_, PyAny>) -> PyResult<Dossier> {
        let py = slf.py();
        let events: Vec<Event> = from_py(events, "events").or_raise(py)?;
        let procedure = &slf.get().inner;
        let dossier = py
            .detach(|| {
                guard(|| engine::Dossier::replay(procedure, &events).map_err(|r| Failure::rejected(Kind::History, &r)))
            })
            .or_raise(py)?;
        Ok(Dossier { inner: dossier, procedure: slf.clone().unbind() })
    }

    fn __repr__(&self) -> String {
        format!("<motcua.Procedure {} {}>", self.inner.code(), self.inner.version())
    }
}

/// A dossier (*hồ sơ*): its state and its event history, bound to the procedure it was
/// opened with.
#[pyclass(module = "motcua", name = "Dossier")]
struct Dossier {
    inner: engine::Dossier,
    procedure: Py<Procedure>,
}

#[pymethods]
impl Dossier {
    /// Applies a command (the `command` shape, flat with its `type`): the applied result
    /// `{events, effects, duplicate}`. A refusal raises `CommandRefused` and leaves the
    /// dossier exactly as it was.
    fn apply<'py>(&mut self, py: Python<'py>, command: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let command: Command = from_py(command, "command").or_raise(py)?;
        let procedure = &self.procedure.get().inner;
        let applied = guard(|| self.inner.apply(procedure, &command).map_err(|r| Failure::rejected(Kind::Refused, &r)))
            .or_raise(py)?;
        out(py, &applied)
    }

    /// `apply` for hosts that keep JSON text: the command as JSON text in, the applied
    /// result as JSON text out (no dicts built; the same checks and exceptions, a syntax
    /// mistake raising `InputError` `invalid_json` at its line and column).
    fn apply_json(&mut self, py: Python<'_>, command: Arg<String>) -> PyResult<String> {
        let command: Command = from_text(&command.0, "command").or_raise(py)?;
        let procedure = &self.procedure.get().inner;
        let applied = guard(|| {
            let applied = self.inner.apply(procedure, &command).map_err(|r| Failure::rejected(Kind::Refused, &r))?;
            serde_json::to_string(&applied).map_err(|e| Failure::serialize(&e))
        })
        .or_raise(py)?;
        Ok(applied)
    }

    /// Fires every timer due at or before `now` (RFC 3339 or aware `datetime`).
    fn advance<'py>(&mut self, py: Python<'py>, now: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let now = instant(now, "now").or_raise(py)?;
        let procedure = &self.procedure.get().inner;
        let applied: Applied =
            guard(|| self.inner.advance(procedure, now).map_err(|r| Failure::rejected(Kind::Refused, &r)))
                .or_raise(py)?;
        out(py, &applied)
    }

    /// The dossier id.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// The number of events recorded: the `expected_version` of the next command.
    #[getter]
    fn version(&self) -> u64 {
        self.inner.version()
    }

    /// The national status code (1 received ... 10 result returned).
    #[getter]
    fn status(&self) -> u8 {
        self.inner.status().code()
    }

    /// The ids of the active steps.
    #[getter]
    fn active(&self) -> Vec<String> {
        self.inner.active_step_ids().map(str::to_owned).collect()
    }

    /// How the dossier closed (`{outcome, kind, at, ...}`), or `None` while open.
    #[getter]
    fn closure<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, &self.inner.closure())
    }

    /// The hash of the last event (SHA-256, hex): store it where the snapshot cannot change it.
    #[getter]
    fn head(&self) -> &str {
        self.inner.head()
    }

    /// The earliest pending timer (RFC 3339), or `None`: when to call `advance` next.
    #[getter]
    fn next_due(&self) -> Option<String> {
        self.inner.next_due().map(|d| d.to_rfc3339())
    }

    /// The procedure this dossier runs under.
    #[getter]
    fn procedure(&self, py: Python<'_>) -> Py<Procedure> {
        self.procedure.clone_ref(py)
    }

    /// The event history, in the `event` shape.
    #[getter]
    fn events<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.inner.history())
    }

    /// The effects of event `seq` (1-based), rebuilt from the history.
    fn effects_of<'py>(&self, py: Python<'py>, seq: Arg<u64>) -> PyResult<Bound<'py, PyAny>> {
        let seq = seq.0;
        let procedure = &self.procedure.get().inner;
        let effects = guard(|| self.inner.effects_of(procedure, seq).map_err(|r| Failure::rejected(Kind::History, &r)))
            .or_raise(py)?;
        out(py, &effects)
    }

    /// The `(step, action)` pairs that can be taken now.
    fn available_actions(&self) -> Vec<(String, String)> {
        let procedure = &self.procedure.get().inner;
        self.inner.available_actions(procedure).into_iter().map(|(s, a)| (s.to_owned(), a.to_owned())).collect()
    }

    /// The snapshot (the `dossier` shape) as a dict.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        out(py, &self.inner)
    }

    /// The snapshot as JSON text, as a host stores it.
    fn snapshot_json(&self, py: Python<'_>) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| Failure::serialize(&e).into_pyerr(py))
    }

    /// Checks the hash chain of the history up to `head`; raises `HistoryError`
    /// (`tampered_history`) when it does not hold.
    fn verify(&self, py: Python<'_>) -> PyResult<()> {
        guard(|| {
            engine::verify_history(self.inner.history(), Some(self.inner.head()))
                .map_err(|r| Failure::rejected(Kind::History, &r))
        })
        .or_raise(py)
    }

    fn __copy__(&self, py: Python<'_>) -> Dossier {
        Dossier { inner: self.inner.clone(), procedure: self.procedure.clone_ref(py) }
    }

    fn __deepcopy__(&self, py: Python<'_>, _memo: &Bound<'_, PyDict>) -> Dossier {
        self.__copy__(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "<motcua.Dossier {} status={} version={}>",
            self.inner.id(),
            self.inner.status().code(),
            self.inner.version()
        )
    }
}

/// Checks a history (a list of events) against its hash chain, ending at `head` when given.
#[pyfunction]
#[pyo3(signature = (events, head = None))]
fn verify_history(py: Python<'_>, events: &Bound<'_, PyAny>, head: Option<Arg<String>>) -> PyResult<()> {
    let events: Vec<Event> = from_py(events, "events").or_raise(py)?;
    let head = head.map(|h| h.0);
    guard(|| engine::verify_history(&events, head.as_deref()).map_err(|r| Failure::rejected(Kind::History, &r)))
        .or_raise(py)
}

/// The JSON Schemas of the runtime shapes, by name (`submission`, `command`, `applied`,
/// `event`, `effect`, `dossier`, `rejection`), as committed in `specs/schema/runtime/`.
#[pyfunction]
fn runtime_schemas<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (name, schema) in engine::runtime_schemas() {
        let json: serde_json::Value = from_text(&schema, name).or_raise(py)?;
        dict.set_item(name, convert::to_py(py, &json)?)?;
    }
    Ok(dict)
}

/// Reads an instant argument: an RFC 3339 string or an aware `datetime`.
fn instant(obj: &Bound<'_, PyAny>, arg: &str) -> Result<DateTime<FixedOffset>, Failure> {
    let text: String = from_value(to_json(obj, arg)?, arg)?;
    DateTime::parse_from_rfc3339(&text).map_err(|e| {
        Failure::input(
            "invalid_argument",
            arg,
            format!("Thời điểm `{text}` không đúng RFC 3339 (ví dụ 2026-03-02T09:00:00+07:00): {e}"),
            format!("the instant `{text}` is not RFC 3339 (e.g. 2026-03-02T09:00:00+07:00): {e}"),
        )
    })
}

/// Reads a date argument: `YYYY-MM-DD` or a `date`.
fn date(obj: &Bound<'_, PyAny>, arg: &str) -> Result<NaiveDate, Failure> {
    let text: String = from_value(to_json(obj, arg)?, arg)?;
    text.parse::<NaiveDate>().map_err(|e| {
        Failure::input(
            "invalid_argument",
            arg,
            format!("Ngày `{text}` không đúng dạng YYYY-MM-DD: {e}"),
            format!("the date `{text}` is not YYYY-MM-DD: {e}"),
        )
    })
}

/// An optional text argument, or its default.
fn or(arg: Option<Arg<String>>, default: &str) -> String {
    arg.map(|a| a.0).unwrap_or_else(|| default.to_owned())
}

fn working_duration(s: &str) -> Result<WorkingDuration, Failure> {
    s.parse::<WorkingDuration>().map_err(|e| {
        Failure::input(
            "invalid_argument",
            "duration",
            format!("Thời lượng `{s}` không hợp lệ: viết một số và đơn vị, ví dụ `3d`, `0.5d`, `4h`, `30m`"),
            e.to_string(),
        )
    })
}

fn language(lang: &str) -> Result<&'static str, Failure> {
    match lang {
        "vi" => Ok("vi"),
        "en" => Ok("en"),
        _ => Err(Failure::input(
            "invalid_argument",
            "lang",
            "Ngôn ngữ phải là `vi` hoặc `en`",
            "the language must be `vi` or `en`",
        )),
    }
}

/// The extension module `motcua._motcua`, re-exported by the package `motcua`.
#[pymodule]
fn _motcua(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Library>()?;
    m.add_class::<Procedure>()?;
    m.add_class::<Dossier>()?;
    m.add_function(wrap_pyfunction!(verify_history, m)?)?;
    m.add_function(wrap_pyfunction!(runtime_schemas, m)?)?;
    error::register(m)?;
    Ok(())
}
