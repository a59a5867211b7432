//! WebAssembly bindings of [`motcua`]: the same engine in the browser and in Node.
//!
//! This crate only translates (ARCHITECTURE.md, decision 7): JS values in, core types, core
//! calls, JS values out. Every rule lives in the core and is tested there.
//!
//! Two translations happen at the boundary:
//!
//! * **Values** cross as JSON text (`JSON.stringify`/`JSON.parse` on the JS side, `serde_json`
//!   on this side), and the keys of that text are rewritten in one pass ([`keys`]): the keys
//!   the engine defines are turned into camelCase on the way out and back into snake_case on
//!   the way in, while keys the spec author or the host define (form data, step, action,
//!   document and field identifiers) are left exactly as written. The core's serde names —
//!   the JSON of the published schema that the C library and stored events use — do not
//!   change.
//! * **Errors** become a `MotcuaError` (a JS `Error` subclass defined by the package's entry
//!   modules and handed over with `__setErrorClass`) carrying `code`, `path`, `line`,
//!   `column`, `messages: {vi, en}`, and the `diagnostics` or `problems` behind it.
//!
//! The JS API (see the package's `index.d.ts`): `Engine.load`/`Engine.loadJson`,
//! `engine.loadProcedure`/`engine.loadProcedureJson`, and the `Procedure` and `Dossier`
//! classes. Built without the default `yaml` feature (the package's `lite` module) it reads
//! JSON specs only and carries no YAML parser.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod keys;

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use motcua::{
    CalendarError, Catalogue, Code, Command, Diagnostic, Dossier, Event, Library, LoadError, Message, Problem,
    Procedure, Rejection, Submission, SubmittedDocument, Validation, WorkingDuration,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value as Json, json};
use wasm_bindgen::prelude::*;

thread_local! {
    /// The constructor of `MotcuaError`, set once by the package's entry module.
    static ERROR_CLASS: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Sets the class errors are thrown as (called by the package's entry modules; not public API).
#[wasm_bindgen(js_name = "__setErrorClass")]
pub fn set_error_class(class: js_sys::Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

// ---- errors ----------------------------------------------------------------------------

/// The thrown value: a `MotcuaError` when the entry module registered the class, a plain
/// `Error` with the same properties otherwise. Its details cross as camelCase JSON, the
/// diagnostics and problems behind it included.
fn throw(
    code: Code,
    message: &Message,
    place: (&str, &str, u32, u32),
    diagnostics: &[Diagnostic],
    problems: &[Problem],
) -> JsValue {
    let (file, path, line, column) = place;
    let details = text_to_js(&camel_text(&json!({
        "code": code,
        "messages": message,
        "file": file,
        "path": path,
        "line": line,
        "column": column,
        "diagnostics": diagnostics,
        "problems": problems,
    })));
    if let Some(class) = ERROR_CLASS.with(|c| c.borrow().clone())
        && let Ok(err) = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&details))
    {
        return err;
    }
    let err = js_sys::Error::new(&message.en);
    err.set_name("MotcuaError");
    let _ = js_sys::Object::assign(&err, &details.unchecked_into());
    err.into()
}

fn load_error(err: &LoadError) -> JsValue {
    let diagnostics = err.diagnostics();
    let first = err.primary();
    match first {
        Some(d) => {
            let mut message = d.message.clone();
            message.vi = format!("{}:{}:{}: {}", d.file, d.line, d.column, message.vi);
            message.en = format!("{}:{}:{}: {}", d.file, d.line, d.column, message.en);
            throw(d.code, &message, (&d.file, &d.path, d.line, d.column), diagnostics, &[])
        }
        None => throw(Code::YamlSyntax, &Code::YamlSyntax.summary(), ("", "", 0, 0), &[], &[]),
    }
}

fn rejection(r: &Rejection) -> JsValue {
    throw(r.code, &r.message, ("", &r.field, 0, 0), &[], &r.problems)
}

fn calendar_error(e: &CalendarError) -> JsValue {
    throw(e.code(), e.message(), ("", "", 0, 0), &[], &[])
}

/// A JS value that does not fit the expected shape: `invalid_type`, with serde's explanation.
fn bad_input(what: &str, detail: impl std::fmt::Display) -> JsValue {
    let message = Message::new(
        format!("{what}: dữ liệu không đúng cấu trúc ({detail})"),
        format!("{what}: the value does not have the expected shape ({detail})"),
    );
    throw(Code::InvalidType, &message, ("", what, 0, 0), &[], &[])
}

// ---- values ----------------------------------------------------------------------------

/// JSON text → JS through the JS engine's native `JSON.parse`: one crossing of one string
/// instead of a property-by-property build (serde-wasm-bindgen).
fn text_to_js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

/// A value → JS, keys as given.
fn json_to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    serde_json::to_string(value).map_or(JsValue::NULL, |text| text_to_js(&text))
}

/// A core value → its JSON text with the engine's keys in camelCase (one pass, [`keys`]).
fn camel_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).map_or_else(|_| "null".to_owned(), |text| keys::to_camel(&text))
}

/// A core value → JS, with the engine's keys in camelCase, in the order the core gives them.
fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    text_to_js(&camel_text(value))
}

/// JS → JSON text through the JS engine's native `JSON.stringify`: one crossing of a string
/// instead of a property-by-property walk (serde-wasm-bindgen), which cost more than the
/// validation itself on the birth form (bench/bench.mjs).
fn js_to_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    let text = js_sys::JSON::stringify(value).map_err(|_| bad_input(what, "not serializable to JSON"))?;
    text.as_string().ok_or_else(|| bad_input(what, "not serializable to JSON"))
}

/// JS (camelCase or snake_case keys) → a core value, parsed straight from the renamed text.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() {
        return Err(bad_input(what, "missing"));
    }
    serde_json::from_str(&keys::to_snake(&js_to_text(&value, what)?)).map_err(|e| bad_input(what, e))
}

/// An instant: an RFC 3339 string with its offset, or a JS `Date`.
fn instant(value: &JsValue, what: &str) -> Result<DateTime<FixedOffset>, JsValue> {
    let text = match value.dyn_ref::<js_sys::Date>() {
        Some(date) => String::from(date.to_iso_string()),
        None => value.as_string().ok_or_else(|| bad_input(what, "expected an RFC 3339 string or a Date"))?,
    };
    DateTime::parse_from_rfc3339(&text).map_err(|e| bad_input(what, e))
}

fn date(value: &str, what: &str) -> Result<NaiveDate, JsValue> {
    value.parse().map_err(|e| bad_input(what, e))
}

/// Form data (keys as given, never rewritten: scanning it for keys cost a tenth of
/// `validateForm`) and submitted documents (camelCase or snake_case keys).
fn form_input(data: JsValue, documents: JsValue) -> Result<(Json, Vec<SubmittedDocument>), JsValue> {
    let data = if data.is_undefined() {
        Json::Null
    } else {
        serde_json::from_str(&js_to_text(&data, "data")?).map_err(|e| bad_input("data", e))?
    };
    let documents =
        if documents.is_undefined() || documents.is_null() { Vec::new() } else { from_js(documents, "documents")? };
    Ok((data, documents))
}

/// Sets `key` of a fresh JS object for results that mix JSON and class instances.
fn object(entries: &[(&str, &JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

// ---- Engine ----------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct Source {
    text: String,
    #[serde(default)]
    file: Option<String>,
}

#[derive(serde::Deserialize)]
struct LoadOptions {
    catalogue: Source,
    #[serde(default)]
    calendars: Vec<Source>,
}

/// The shared data procedures are compiled against: a catalogue and calendars.
///
/// The default build reads specs as YAML (`Engine.load`, `loadProcedure`) and as JSON
/// (`Engine.loadJson`, `loadProcedureJson`); the `lite` build (`--no-default-features`, for
/// browsers) reads JSON only, so it carries no YAML parser. The JSON is what
/// `motcua json FILE` prints: the same spec, checked by the same compiler and lints.
#[wasm_bindgen]
pub struct Engine {
    library: Library,
}

type CatalogueLoader = fn(&str, &str) -> Result<Catalogue, LoadError>;
type CalendarLoader = fn(&mut Library, &str, &str) -> Result<(), LoadError>;

impl Engine {
    fn build(
        options: JsValue,
        catalogue: CatalogueLoader,
        calendar: CalendarLoader,
        ext: &str,
    ) -> Result<Engine, JsValue> {
        let options: LoadOptions = from_js(options, "options")?;
        let file = |s: &Source, default: &str| s.file.clone().unwrap_or_else(|| format!("{default}.{ext}"));
        let catalogue =
            catalogue(&options.catalogue.text, &file(&options.catalogue, "catalogue")).map_err(|e| load_error(&e))?;
        let mut library = Library::new(catalogue);
        for source in &options.calendars {
            calendar(&mut library, &source.text, &file(source, "calendar")).map_err(|e| load_error(&e))?;
        }
        Ok(Engine { library })
    }
}

#[wasm_bindgen]
impl Engine {
    /// `Engine.load({catalogue: {text, file}, calendars: [{text, file}, …]})`, texts in YAML.
    #[cfg(feature = "yaml")]
    pub fn load(options: JsValue) -> Result<Engine, JsValue> {
        Engine::build(options, Catalogue::from_yaml, Library::add_calendar_yaml, "yaml")
    }

    /// `Engine.loadJson({catalogue: {text, file}, calendars: [{text, file}, …]})`, texts in
    /// JSON (`motcua json FILE`).
    #[wasm_bindgen(js_name = loadJson)]
    pub fn load_json(options: JsValue) -> Result<Engine, JsValue> {
        Engine::build(options, Catalogue::from_json, Library::add_calendar_json, "json")
    }

    /// Compiles a procedure written in YAML; throws a `MotcuaError` with every diagnostic
    /// when it does not load.
    #[cfg(feature = "yaml")]
    #[wasm_bindgen(js_name = loadProcedure)]
    pub fn load_procedure(&self, yaml: &str, file: &str) -> Result<ProcedureHandle, JsValue> {
        let procedure = Procedure::from_yaml(yaml, file, &self.library).map_err(|e| load_error(&e))?;
        Ok(ProcedureHandle { inner: Rc::new(procedure), form: std::cell::OnceCell::new() })
    }

    /// Compiles a procedure given as JSON (`motcua json FILE`); the same checks and
    /// diagnostics as `loadProcedure`, placed in the JSON text.
    #[wasm_bindgen(js_name = loadProcedureJson)]
    pub fn load_procedure_json(&self, json: &str, file: &str) -> Result<ProcedureHandle, JsValue> {
        let procedure = Procedure::from_json(json, file, &self.library).map_err(|e| load_error(&e))?;
        Ok(ProcedureHandle { inner: Rc::new(procedure), form: std::cell::OnceCell::new() })
    }
}

// ---- Procedure -------------------------------------------------------------------------

/// A compiled procedure.
#[wasm_bindgen(js_name = Procedure)]
pub struct ProcedureHandle {
    inner: Rc<Procedure>,
    /// The compiled form shared by the procedure's form sessions (copied out on the first).
    form: std::cell::OnceCell<std::sync::Arc<motcua::Form>>,
}

/// Validation results go straight to JS, without the key translation: the binding's own
/// fields are renamed here, and a [`Problem`]'s keys (`path`, `code`, `params`, `label`,
/// `message`) are single words, the same in both cases (a test holds that).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidationJs<'a> {
    valid: bool,
    form_valid: bool,
    documents_complete: bool,
    problems: &'a [Problem],
}

impl ValidationJs<'_> {
    fn of(v: &Validation) -> ValidationJs<'_> {
        ValidationJs {
            valid: v.is_valid(),
            form_valid: v.form_valid(),
            documents_complete: v.documents_complete(),
            problems: &v.problems,
        }
    }
}

#[wasm_bindgen(js_class = Procedure)]
impl ProcedureHandle {
    /// National procedure code, e.g. `"1.001193"`.
    #[wasm_bindgen(getter)]
    pub fn code(&self) -> String {
        self.inner.code().to_owned()
    }

    /// Version of the spec.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_owned()
    }

    /// The procedure as written (name, legal basis, deadline, documents, form, steps, outcomes).
    pub fn info(&self) -> JsValue {
        to_js(self.inner.spec())
    }

    /// Lint warnings of a procedure that loaded.
    pub fn warnings(&self) -> JsValue {
        to_js(&self.inner.warnings())
    }

    /// Validates form data and documents on `today` (`YYYY-MM-DD`).
    #[wasm_bindgen(js_name = validateForm)]
    pub fn validate_form(&self, data: JsValue, documents_: JsValue, today: &str) -> Result<JsValue, JsValue> {
        let today = date(today, "today")?;
        let (data, documents) = form_input(data, documents_)?;
        let v = self.inner.form().validate(&data, &documents, today);
        Ok(json_to_js(&ValidationJs::of(&v)))
    }

    /// A form session on `today` (`YYYY-MM-DD`): empty form data and no documents, held in the
    /// module and re-checked field by field as the citizen types.
    #[wasm_bindgen(js_name = formSession)]
    pub fn form_session(&self, today: &str) -> Result<FormSessionHandle, JsValue> {
        let today = date(today, "today")?;
        let form = self.form.get_or_init(|| std::sync::Arc::new(self.inner.form().clone()));
        Ok(FormSessionHandle { inner: motcua::FormSession::new(std::sync::Arc::clone(form), today) })
    }

    /// The document checklist alone: `{complete, problems}` with the `$.documents…` problems.
    #[wasm_bindgen(js_name = checkDocuments)]
    pub fn check_documents(&self, documents_: JsValue, data: JsValue, today: &str) -> Result<JsValue, JsValue> {
        let today = date(today, "today")?;
        let (data, documents) = form_input(data, documents_)?;
        let v = self.inner.form().validate(&data, &documents, today);
        let problems: Vec<&Problem> = v.document_problems().collect();
        #[derive(Serialize)]
        struct DocumentCheck<'a> {
            complete: bool,
            problems: Vec<&'a Problem>,
        }
        Ok(json_to_js(&DocumentCheck { complete: v.documents_complete(), problems }))
    }

    /// Opens a dossier: `{dossier, applied}`; throws a `MotcuaError` (with `problems`) when refused.
    pub fn submit(&self, submission: JsValue) -> Result<JsValue, JsValue> {
        let submission: Submission = from_js(submission, "submission")?;
        let (dossier, applied) = Dossier::submit(&self.inner, submission).map_err(|r| rejection(&r))?;
        let dossier = DossierHandle { procedure: self.inner.clone(), inner: dossier };
        Ok(object(&[("dossier", &dossier.into()), ("applied", &to_js(&applied))]))
    }

    /// Rebuilds a dossier from its stored events, re-checking every one.
    pub fn replay(&self, events: JsValue) -> Result<DossierHandle, JsValue> {
        let events: Vec<Event> = from_js(events, "events")?;
        let dossier = Dossier::replay(&self.inner, &events).map_err(|r| rejection(&r))?;
        Ok(DossierHandle { procedure: self.inner.clone(), inner: dossier })
    }

    /// When the legal clock starts for a dossier received at `received` (the cut-off rule).
    #[wasm_bindgen(js_name = startOfCount)]
    pub fn start_of_count(&self, received: JsValue) -> Result<String, JsValue> {
        let received = instant(&received, "received")?;
        let start = self.inner.start_of_count(received).map_err(|e| calendar_error(&e))?;
        Ok(start.to_rfc3339())
    }

    /// `start` plus a working duration (`"3d"`, `"0.5d"`, `"4h"`) on the procedure's calendar.
    #[wasm_bindgen(js_name = addWorkingTime)]
    pub fn add_working_time(&self, start: JsValue, duration: &str) -> Result<String, JsValue> {
        let start = instant(&start, "start")?;
        let duration: WorkingDuration = duration.parse().map_err(|e| bad_input("duration", e))?;
        let end = self.inner.calendar().add(start, duration).map_err(|e| calendar_error(&e))?;
        Ok(end.to_rfc3339())
    }

    /// Working minutes between two instants on the procedure's calendar.
    #[wasm_bindgen(js_name = workingMinutesBetween)]
    pub fn working_minutes_between(&self, from: JsValue, to: JsValue) -> Result<f64, JsValue> {
        let (from, to) = (instant(&from, "from")?, instant(&to, "to")?);
        let minutes = self.inner.calendar().elapsed(from, to).map_err(|e| calendar_error(&e))?;
        Ok(minutes as f64)
    }

    /// A Mermaid flowchart with agency swimlanes, labels in `lang` (`"vi"` or `"en"`).
    #[wasm_bindgen(js_name = diagramMermaid)]
    pub fn diagram_mermaid(&self, lang: &str) -> String {
        motcua::diagram::mermaid(&self.inner, lang)
    }

    /// A Graphviz DOT digraph, labels in `lang`.
    #[wasm_bindgen(js_name = diagramDot)]
    pub fn diagram_dot(&self, lang: &str) -> String {
        motcua::diagram::dot(&self.inner, lang)
    }
}

// ---- FormSession ---------------------------------------------------------------------

/// A form's data held in the module between edits ([`motcua::FormSession`]): `set` changes
/// one field and answers with the problems that appeared and disappeared, in the JSON shape
/// of `validateForm`'s problems. Field values cross as JSON text, one field at a time.
#[wasm_bindgen(js_name = FormSession)]
pub struct FormSessionHandle {
    inner: motcua::FormSession,
}

/// The answer to an edit: problems that appeared and disappeared.
#[derive(Serialize)]
struct DeltaJs<'a> {
    added: &'a [Problem],
    removed: &'a [Problem],
}

fn delta_to_js(d: &motcua::Delta) -> JsValue {
    // Most keystrokes change no problem: two empty arrays are built in place, without the
    // JSON text and its parse.
    if d.is_empty() {
        return object(&[("added", &js_sys::Array::new().into()), ("removed", &js_sys::Array::new().into())]);
    }
    json_to_js(&DeltaJs { added: &d.added, removed: &d.removed })
}

fn session_error(e: &motcua::SessionError) -> JsValue {
    throw(e.code, &e.message, ("", &e.path, 0, 0), &[], &[])
}

#[wasm_bindgen(js_class = FormSession)]
impl FormSessionHandle {
    /// Sets the field at `path` (`child.birth_date`, `household_members[2].full_name`) to
    /// `value` and returns `{added, removed}`; a list item is added at index = the length.
    pub fn set(&mut self, path: &str, value: JsValue) -> Result<JsValue, JsValue> {
        // What is typed into an input is a string, a number or a boolean: those cross as they
        // are; anything else as JSON text.
        let value: Json = if value.is_undefined() || value.is_null() {
            Json::Null
        } else if let Some(s) = value.as_string() {
            Json::String(s)
        } else if let Some(b) = value.as_bool() {
            Json::Bool(b)
        } else if let Some(n) = value.as_f64() {
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Json::from(n as i64)
            } else {
                serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
            }
        } else {
            serde_json::from_str(&js_to_text(&value, "value")?).map_err(|e| bad_input("value", e))?
        };
        self.inner.set(path, value).map(|d| delta_to_js(&d)).map_err(|e| session_error(&e))
    }

    /// Removes the field or list item at `path` and returns `{added, removed}`.
    pub fn remove(&mut self, path: &str) -> Result<JsValue, JsValue> {
        self.inner.remove(path).map(|d| delta_to_js(&d)).map_err(|e| session_error(&e))
    }

    /// Replaces the whole form data (an object) and returns `{added, removed}`.
    #[wasm_bindgen(js_name = setData)]
    pub fn set_data(&mut self, data: JsValue) -> Result<JsValue, JsValue> {
        let (data, _) = form_input(data, JsValue::NULL)?;
        let Json::Object(data) = data else {
            return Err(bad_input("data", "expected an object"));
        };
        Ok(delta_to_js(&self.inner.set_data(data)))
    }

    /// Replaces the submitted documents, re-checks the checklist, returns `{added, removed}`.
    #[wasm_bindgen(js_name = setDocuments)]
    pub fn set_documents(&mut self, documents: JsValue) -> Result<JsValue, JsValue> {
        let (_, documents) = form_input(JsValue::UNDEFINED, documents)?;
        Ok(delta_to_js(&self.inner.set_documents(documents)))
    }

    /// Every problem, exactly as `validateForm` reports them for `data()` and the documents.
    pub fn problems(&self) -> JsValue {
        json_to_js(&self.inner.problems())
    }

    /// `{valid, formValid, documentsComplete, problems}`, as `validateForm` returns it.
    pub fn validation(&self) -> JsValue {
        json_to_js(&ValidationJs::of(&self.inner.validation()))
    }

    /// The form data as it stands.
    pub fn data(&self) -> JsValue {
        json_to_js(self.inner.data())
    }

    /// The submitted documents as they stand (camelCase keys).
    pub fn documents(&self) -> JsValue {
        to_js(self.inner.documents())
    }
}

// ---- Dossier ---------------------------------------------------------------------------

/// One dossier, bound to the procedure version it was opened under.
#[wasm_bindgen(js_name = Dossier)]
pub struct DossierHandle {
    procedure: Rc<Procedure>,
    inner: Dossier,
}

#[wasm_bindgen(js_class = Dossier)]
impl DossierHandle {
    /// The host's dossier identifier.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// Optimistic-concurrency version (the number of events).
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> f64 {
        self.inner.version() as f64
    }

    /// National status code (1–10).
    #[wasm_bindgen(getter)]
    pub fn status(&self) -> u8 {
        self.inner.status().code()
    }

    /// Applies a command; throws a `MotcuaError` and leaves the dossier untouched when refused.
    pub fn apply(&mut self, command: JsValue) -> Result<JsValue, JsValue> {
        let command: Command = from_js(command, "command")?;
        let applied = self.inner.apply(&self.procedure, &command).map_err(|r| rejection(&r))?;
        Ok(to_js(&applied))
    }

    /// Fires the timers due at `now`.
    pub fn advance(&mut self, now: JsValue) -> Result<JsValue, JsValue> {
        let now = instant(&now, "now")?;
        let applied = self.inner.advance(&self.procedure, now).map_err(|r| rejection(&r))?;
        Ok(to_js(&applied))
    }

    /// The earliest pending timer: when the host should call `advance` next, for it to index.
    #[wasm_bindgen(js_name = nextDue)]
    pub fn next_due(&self) -> Option<String> {
        self.inner.next_due().map(|t| t.to_rfc3339())
    }

    /// `"early"`, `"on_time"`, `"due_soon"` or `"late"` at `now`.
    pub fn punctuality(&self, now: JsValue) -> Result<String, JsValue> {
        let now = instant(&now, "now")?;
        let p = self.inner.punctuality(&self.procedure, now).map_err(|r| rejection(&r))?;
        Ok(to_js(&p).as_string().unwrap_or_default())
    }

    /// The actions the active steps offer: `[{step, action}]`.
    #[wasm_bindgen(js_name = availableActions)]
    pub fn available_actions(&self) -> JsValue {
        let actions: Vec<Json> = self
            .inner
            .available_actions(&self.procedure)
            .into_iter()
            .map(|(step, action)| json!({"step": step, "action": action}))
            .collect();
        json_to_js(&actions)
    }

    /// The accepted events, oldest first: what the host stores.
    pub fn history(&self) -> JsValue {
        to_js(&self.inner.history())
    }

    /// The snapshot (camelCase); `JSON.stringify(dossier)` uses it.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        to_js(&self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_keys_need_no_translation() {
        let form = motcua::Form::from_yaml(
            "form:\n  fields:\n    n: {label: {vi: Tên, en: Name}, type: text, min_length: 3}\n",
            "f.yaml",
        )
        .unwrap();
        let v = form.validate(&json!({"n": "A"}), &[], NaiveDate::MIN);
        let problem = serde_json::to_value(&v.problems[0]).unwrap();
        let keys: Vec<&String> = problem.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["code", "label", "message", "params", "path"]);
        assert!(keys.iter().all(|k| {
            let mut camel = String::new();
            keys::camel(k, &mut camel);
            camel == **k
        }));
    }
}
