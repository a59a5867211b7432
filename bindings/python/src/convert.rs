//! Python values ↔ JSON values ↔ the core's types.
//!
//! Dicts come in and go out in exactly the published JSON shapes (`specs/schema/runtime/`):
//! a Python value becomes a `serde_json::Value` (its path named when it has no JSON form),
//! then the core type (the path of a shape mistake named by `serde_path_to_error`). Aware
//! `datetime` and `date` values are accepted where the shapes hold RFC 3339 or ISO strings.
//! Results go the other way without the JSON tree: `pythonize` serializes the core's types
//! straight into Python objects (the tests check they equal the JSON text of the same value).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::error::{Failure, json_path};

/// The deepest nesting accepted: serde_json's own limit for JSON text (and far below Python's stack).
const MAX_DEPTH: usize = 128;

/// A Python value as JSON; `path` names it in errors (`$.data.child`).
pub(crate) fn to_json(obj: &Bound<'_, PyAny>, path: &str) -> Result<Value, Failure> {
    let mut at = path.to_owned();
    value(obj, &mut at, 0)
}

fn value(obj: &Bound<'_, PyAny>, path: &mut String, depth: usize) -> Result<Value, Failure> {
    if depth > MAX_DEPTH {
        return Err(Failure::input(
            "invalid_shape",
            path.clone(),
            format!("Lồng nhau quá sâu (quá {MAX_DEPTH} mức)"),
            format!("nested too deeply (more than {MAX_DEPTH} levels)"),
        ));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return text(s, path).map(Value::String);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(Failure::input(
                    "invalid_type",
                    path.clone(),
                    format!("Khóa của dict phải là chuỗi, không phải {}", type_name(&k)),
                    format!("dict keys must be str, not {}", type_name(&k)),
                ));
            };
            let key = text(key, path)?;
            let len = path.len();
            path.push('.');
            path.push_str(&key);
            let v = value(&v, path, depth + 1)?;
            path.truncate(len);
            map.insert(key, v);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return sequence(list.iter(), list.len(), path, depth);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return sequence(tuple.iter(), tuple.len(), path, depth);
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Value::Number(n.into()));
        }
        if let Ok(n) = i.extract::<u64>() {
            return Ok(Value::Number(n.into()));
        }
        return Err(Failure::input(
            "invalid_type",
            path.clone(),
            "Số nguyên quá lớn cho JSON (vượt 64 bit)",
            "the integer is too large for JSON (beyond 64 bits)",
        ));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value()).map(Value::Number).ok_or_else(|| {
            Failure::input(
                "invalid_type",
                path.clone(),
                "Số không hữu hạn (NaN, vô cực) không có trong JSON",
                "a non-finite number (NaN, infinity) has no JSON form",
            )
        });
    }
    moment(obj, path).map(Value::String)
}

fn sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    len: usize,
    path: &mut String,
    depth: usize,
) -> Result<Value, Failure> {
    let mut out = Vec::with_capacity(len);
    for (i, item) in items.enumerate() {
        let at = path.len();
        path.push_str(&format!("[{i}]"));
        out.push(value(&item, path, depth + 1)?);
        path.truncate(at);
    }
    Ok(Value::Array(out))
}

fn text(s: &Bound<'_, PyString>, path: &str) -> Result<String, Failure> {
    s.to_cow().map(|c| c.into_owned()).map_err(|_| {
        Failure::input(
            "invalid_utf8",
            path,
            "Chuỗi có ký tự không mã hóa được UTF-8 (surrogate lẻ)",
            "the string cannot be encoded as UTF-8 (a lone surrogate)",
        )
    })
}

/// An aware `datetime` (RFC 3339) or a `date` (ISO), the only non-JSON values accepted.
fn moment(obj: &Bound<'_, PyAny>, path: &str) -> Result<String, Failure> {
    let py = obj.py();
    let wrong = || {
        Failure::input(
            "invalid_type",
            path,
            format!("Giá trị kiểu {} không có dạng JSON", type_name(obj)),
            format!("a value of type {} has no JSON form", type_name(obj)),
        )
    };
    let Ok(datetime) = py.import("datetime") else { return Err(wrong()) };
    let is = |name: &str| datetime.getattr(name).and_then(|t| obj.is_instance(&t)).unwrap_or(false);
    if is("datetime") {
        let naive = obj.call_method0("utcoffset").map(|o| o.is_none()).unwrap_or(true);
        if naive {
            return Err(Failure::input(
                "invalid_argument",
                path,
                "Thời điểm thiếu múi giờ: dùng datetime có tzinfo (ví dụ +07:00)",
                "the datetime is naive: give it a tzinfo (e.g. +07:00)",
            ));
        }
    } else if !is("date") {
        return Err(wrong());
    }
    obj.call_method0("isoformat").and_then(|s| s.extract::<String>()).map_err(|_| wrong())
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_owned())
}

/// A Python argument as a core type, in its published JSON shape. `arg` names it in errors.
pub(crate) fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, arg: &str) -> Result<T, Failure> {
    let json = to_json(obj, "$")?;
    from_value(json, arg)
}

/// A JSON value as a core type; a shape mistake names its JSON path.
pub(crate) fn from_value<T: DeserializeOwned>(json: Value, arg: &str) -> Result<T, Failure> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        Failure::input(
            "invalid_shape",
            path,
            format!("`{arg}` không đúng dạng đã công bố (specs/schema/runtime): {inner}"),
            format!("`{arg}` does not have the published shape (specs/schema/runtime): {inner}"),
        )
    })
}

/// A JSON text (e.g. a stored snapshot) as a core type: line and column of a syntax mistake,
/// JSON path of a shape mistake.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str, arg: &str) -> Result<T, Failure> {
    let json: Value = serde_json::from_str(text).map_err(|e| Failure::json_text(arg, &e))?;
    from_value(json, arg)
}

/// A core value as a Python object, in its published JSON shape.
pub(crate) fn out<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(|e| Failure::serialize_python(&e).into_pyerr(py))
}

/// A JSON value as a Python object (dict, list, str, int, float, bool, None).
pub(crate) fn to_py<'py>(py: Python<'py>, json: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match json {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A plain argument (`str`, path, `int`) whose wrong Python type raises `InputError`
/// (`invalid_type`) like every other bad input, instead of PyO3's bare `TypeError`.
pub(crate) struct Arg<T>(pub(crate) T);

impl<'a, 'py, T> FromPyObject<'a, 'py> for Arg<T>
where
    T: FromPyObject<'a, 'py>,
    T::Error: Into<PyErr>,
{
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match obj.extract::<T>() {
            Ok(value) => Ok(Arg(value)),
            Err(e) => {
                let e: PyErr = e.into();
                let got = type_name(&obj);
                Err(Failure::input(
                    "invalid_type",
                    "",
                    format!("Đối số có kiểu {got} không dùng được: {e}"),
                    format!("an argument of type {got} does not fit: {e}"),
                )
                .into_pyerr(obj.py()))
            }
        }
    }
}
