//! `motcua_procedure`: a compiled procedure, its form, calendar and diagrams.

use std::ffi::c_char;

use engine::{Procedure, SubmittedDocument};

use crate::base::{
    NulString, Opaque, Out, borrow, free_handle, guard, guard_value, into_handle, json, lang, text, to_json,
};
use crate::error::Failure;
use crate::{
    instant, motcua_error, motcua_library, motcua_result, motcua_str, motcua_string, new_string, working_duration,
};

/// A compiled procedure (one version of one *thủ tục hành chính*).
///
/// Thread safety: immutable once compiled. Any number of threads may use one procedure at
/// the same time (validate forms, run dossiers, draw diagrams); free it once, after every
/// thread is done with it.
pub struct motcua_procedure {
    _private: [u8; 0],
}

/// A compiled procedure and the strings its accessors lend out.
pub(crate) struct Compiled {
    pub(crate) procedure: Procedure,
    code: NulString,
    version: NulString,
}

impl Opaque for motcua_procedure {
    type Inner = Compiled;
    const MAGIC: u64 = 0x6d6f_7463_7561_0050; // "motcua\0P"
}

/// Compiles a procedure spec (YAML) against a library: parses, checks every reference,
/// expression and budget. On success `*out` is a new procedure (free it with
/// `motcua_procedure_free`; its warnings are in `motcua_procedure_warnings`); on failure
/// `MOTCUA_RESULT_LOAD_ERROR` and `*err` holds every diagnostic (`motcua_error_json`), the
/// first error's code, line, column and path in the accessors.
///
/// The procedure does not refer to the library afterwards.
///
/// # Safety
/// `library` is NULL or a live library; `yaml` and `file` point to `yaml_len` and
/// `file_len` readable bytes; `out` is valid for writing a pointer; `err` is NULL or valid
/// for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_compile(
    library: *const motcua_library,
    yaml: *const c_char,
    yaml_len: usize,
    file: *const c_char,
    file_len: usize,
    out: *mut *mut motcua_procedure,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let library = borrow(library, "library")?;
            let yaml = text(yaml, yaml_len, "yaml")?;
            let file = text(file, file_len, "file")?;
            let procedure = Procedure::from_yaml(yaml, file, library).map_err(|e| Failure::load(&e))?;
            let code = NulString::new(procedure.code());
            let version = NulString::new(procedure.version());
            out.set(into_handle::<motcua_procedure>(Compiled { procedure, code, version }));
            Ok(())
        })
    }
}

/// Frees a procedure. NULL is ignored.
///
/// # Safety
/// `procedure` is NULL or a procedure returned by this library, not yet freed, no longer in
/// use by any thread; it is not used after. Dossiers opened with it stay valid, but need a
/// procedure of the same code and version for every later call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_free(procedure: *mut motcua_procedure) {
    guard_value((), || {
        // SAFETY: the contract above.
        unsafe { free_handle(procedure) }
    })
}

/// The procedure's national code, e.g. `2.001610`. Empty for NULL.
///
/// # Safety
/// `procedure` is NULL or a live procedure; the string lives as long as the procedure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_code(procedure: *const motcua_procedure) -> motcua_str {
    guard_value(motcua_str::empty(), || {
        // SAFETY: the contract above.
        unsafe { borrow(procedure, "procedure") }.map(|c| c.code.borrow()).unwrap_or(motcua_str::empty())
    })
}

/// The procedure's version, e.g. `2025.1` (dossiers are pinned to it). Empty for NULL.
///
/// # Safety
/// `procedure` is NULL or a live procedure; the string lives as long as the procedure.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_version(procedure: *const motcua_procedure) -> motcua_str {
    guard_value(motcua_str::empty(), || {
        // SAFETY: the contract above.
        unsafe { borrow(procedure, "procedure") }.map(|c| c.version.borrow()).unwrap_or(motcua_str::empty())
    })
}

/// The warnings found while compiling, as a JSON array of diagnostics (often `[]`).
///
/// # Safety
/// `procedure` is NULL or a live procedure; `out` is valid for writing a pointer; `err` is
/// NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_warnings(
    procedure: *const motcua_procedure,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let compiled = borrow(procedure, "procedure")?;
            out.set(new_string(to_json(compiled.procedure.warnings())?));
            Ok(())
        })
    }
}

/// Validates form data and documents against the procedure's form and checklist, the
/// same validator the server and the browser run.
///
/// `data` is the form as a JSON object; `documents` a JSON array of submitted documents
/// (`[{"id": "application", "files": [...]}, {"id": "member_ids", "from_database":
/// "population"}]`, `[]` for none); `today` the date the rules compare with
/// (`2026-03-02`). `*out` receives `{"problems": [{path, code, params?, label?, message}]}`,
/// empty when valid. Invalid data is a success of this function: read the problems.
///
/// # Safety
/// `procedure` is NULL or a live procedure; each `(ptr, len)` pair points to `len`
/// readable bytes; `out` is valid for writing a pointer; `err` is NULL or valid for writing
/// a pointer.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn motcua_procedure_validate(
    procedure: *const motcua_procedure,
    data: *const c_char,
    data_len: usize,
    documents: *const c_char,
    documents_len: usize,
    today: *const c_char,
    today_len: usize,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let compiled = borrow(procedure, "procedure")?;
            let data: serde_json::Value = json(text(data, data_len, "data")?, "data")?;
            let documents: Vec<SubmittedDocument> = json(text(documents, documents_len, "documents")?, "documents")?;
            let today = text(today, today_len, "today")?;
            let today = today.parse::<chrono::NaiveDate>().map_err(|e| {
                Failure::new(
                    motcua_result::InvalidArgument,
                    "today",
                    format!("Ngày `{today}` không đúng dạng YYYY-MM-DD: {e}"),
                    format!("the date `{today}` is not YYYY-MM-DD: {e}"),
                )
            })?;
            let validation = compiled.procedure.form().validate(&data, &documents, today);
            out.set(new_string(to_json(&validation)?));
            Ok(())
        })
    }
}

/// Adds working time to an instant on the procedure's calendar (see
/// `motcua_library_add_working_time` for the formats and errors).
///
/// # Safety
/// `procedure` is NULL or a live procedure; each `(ptr, len)` pair points to `len`
/// readable bytes; `out` is valid for writing a pointer; `err` is NULL or valid for writing
/// a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_add_working_time(
    procedure: *const motcua_procedure,
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
            let compiled = borrow(procedure, "procedure")?;
            let start = instant(text(start, start_len, "start")?, "start")?;
            let duration = working_duration(text(duration, duration_len, "duration")?)?;
            let due =
                compiled.procedure.calendar().add(start, duration).map_err(|e| Failure::calendar(&e, "duration"))?;
            out.set(new_string(due.to_rfc3339()));
            Ok(())
        })
    }
}

/// A diagram of the procedure, labels in `lang` (`vi` or `en`): a Mermaid flowchart with
/// agency swimlanes and hand-offs.
///
/// # Safety
/// `procedure` is NULL or a live procedure; `lang` points to `lang_len` readable bytes;
/// `out` is valid for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_mermaid(
    procedure: *const motcua_procedure,
    lang: *const c_char,
    lang_len: usize,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above.
    unsafe { diagram(procedure, lang, lang_len, out, err, engine::diagram::mermaid) }
}

/// A diagram of the procedure, labels in `lang` (`vi` or `en`): Graphviz DOT with agency
/// clusters and hand-offs.
///
/// # Safety
/// `procedure` is NULL or a live procedure; `lang` points to `lang_len` readable bytes;
/// `out` is valid for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn motcua_procedure_dot(
    procedure: *const motcua_procedure,
    lang: *const c_char,
    lang_len: usize,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
) -> motcua_result {
    // SAFETY: the contract above.
    unsafe { diagram(procedure, lang, lang_len, out, err, engine::diagram::dot) }
}

/// # Safety
/// As `motcua_procedure_mermaid`.
unsafe fn diagram(
    procedure: *const motcua_procedure,
    lang_ptr: *const c_char,
    lang_len: usize,
    out: *mut *mut motcua_string,
    err: *mut *mut motcua_error,
    draw: fn(&Procedure, &str) -> String,
) -> motcua_result {
    // SAFETY: the caller's contract, passed on to each helper.
    unsafe {
        guard(err, || {
            let out = Out::new(out, "out")?;
            let compiled = borrow(procedure, "procedure")?;
            let lang = lang(text(lang_ptr, lang_len, "lang")?)?;
            out.set(new_string(draw(&compiled.procedure, lang)));
            Ok(())
        })
    }
}
