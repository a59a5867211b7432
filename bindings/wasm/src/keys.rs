//! Key translation at the JS boundary: the engine's keys in camelCase for JS, snake_case for
//! the core, and identifiers that people wrote left exactly as written.
//!
//! The core's JSON uses snake_case keys (that is the published schema, the C library's JSON
//! and what hosts store). JS code expects camelCase. Mirroring every type with
//! `#[serde(rename_all = "camelCase")]` would duplicate the whole data model in the binding
//! and drift from it; renaming in the core would change the wire format. So the binding
//! rewrites the keys of the JSON *text* that crosses the boundary, in one pass and without
//! building a tree, with two exceptions:
//!
//! * under [`VERBATIM`] keys (`data`, `params`) the value is the host's or the message's own
//!   JSON and is copied untouched (form field names such as `citizen_id` stay);
//! * under [`ID_MAPS`] keys (`steps`, `documents`, `fields`, …) the object's keys are
//!   identifiers from a spec (`civil_status`, `birth_certificate`): they stay, and only the
//!   values below them are translated.
//!
//! Values (codes such as `"invalid_citizen_id"`, command types such as `"request_withdrawal"`)
//! are never changed, and neither are whitespace, numbers or the order of keys (the order of
//! steps, documents and fields is meaningful). Both directions are total: text that is not
//! JSON comes out with its keys renamed as far as it could be read, and the JSON parser that
//! reads it next reports the error. `to_snake(&to_camel(t)) == t` for every engine value
//! whose keys are lowercase ASCII snake_case, which all of them are.
//!
//! ```
//! use motcua_wasm::keys::{to_camel, to_snake};
//!
//! let core = r#"{"dossier_id":"KS-1","data":{"citizen_id":"001"},"arrived":{"civil_status":{"due_at":1}}}"#;
//! let js = to_camel(core);
//! assert_eq!(js, r#"{"dossierId":"KS-1","data":{"citizen_id":"001"},"arrived":{"civil_status":{"dueAt":1}}}"#);
//! assert_eq!(to_snake(&js), core);
//! ```

/// Keys whose whole value is someone else's JSON: left untouched.
pub const VERBATIM: &[&str] = &["data", "params"];

/// Keys whose value, when an object, is keyed by identifiers: its keys stay, its values are
/// translated. Exactly the maps of the published schemas of what crosses the boundary (the
/// procedure and the runtime shapes); a unit test walks the schemas and holds the list to them.
pub const ID_MAPS: &[&str] = &[
    "steps",
    "outcomes",
    "actions",
    "documents",
    "fields",
    "rules",
    "codes",
    "arrived",
    "waiting",
    "deadline_cases",
    "decisions",
    "case_budgets",
    "decides",
];

/// Core JSON text → JS JSON text: engine keys in camelCase.
pub fn to_camel(json: &str) -> String {
    rewrite(json, camel)
}

/// JS JSON text → core JSON text: engine keys back in snake_case (snake_case input passes
/// unchanged).
pub fn to_snake(json: &str) -> String {
    rewrite(json, snake)
}

/// How the keys of a container and the values inside it are treated.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// Keys renamed; each value's mode follows from its key.
    Engine,
    /// An object keyed by identifiers: keys as written, values [`Mode::Engine`].
    Ids,
}

/// One open container: an object (expecting a key or a value) or an array.
#[derive(Clone, Copy, Debug)]
enum Frame {
    Object { mode: Mode, key_next: bool },
    Array,
}

/// What the next value is, decided by the key before it.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Next {
    Engine,
    /// An object here is an identifier map; anything else is [`Next::Engine`].
    IdMap,
    Verbatim,
}

fn rewrite(json: &str, rename: fn(&str, &mut String)) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let mut stack: Vec<Frame> = Vec::with_capacity(16);
    let mut next = Next::Engine;
    let mut i = 0;
    // Copies bytes[from..to]; both are char boundaries (ASCII positions or the ends).
    let copy = |out: &mut String, from: usize, to: usize| out.push_str(json.get(from..to).unwrap_or(""));
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i);
                let key = matches!(stack.last(), Some(Frame::Object { key_next: true, .. }));
                if key {
                    let mode = match stack.last() {
                        Some(Frame::Object { mode, .. }) => *mode,
                        _ => Mode::Engine,
                    };
                    let raw = json.get(i + 1..end.saturating_sub(1).max(i + 1)).unwrap_or("");
                    let name = decoded(raw);
                    next = if mode == Mode::Ids {
                        Next::Engine
                    } else if VERBATIM.contains(&name.as_ref()) {
                        Next::Verbatim
                    } else if ID_MAPS.contains(&name.as_ref()) {
                        Next::IdMap
                    } else {
                        Next::Engine
                    };
                    if mode == Mode::Engine
                        && !raw.contains('\\')
                        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    {
                        out.push('"');
                        rename(raw, &mut out);
                        out.push('"');
                    } else {
                        copy(&mut out, i, end);
                    }
                    if let Some(Frame::Object { key_next, .. }) = stack.last_mut() {
                        *key_next = false;
                    }
                } else {
                    copy(&mut out, i, end);
                    next = Next::Engine;
                }
                i = end;
            }
            b'{' | b'[' if next == Next::Verbatim => {
                let end = value_end(bytes, i);
                copy(&mut out, i, end);
                next = Next::Engine;
                i = end;
            }
            b'{' => {
                let mode = if next == Next::IdMap { Mode::Ids } else { Mode::Engine };
                stack.push(Frame::Object { mode, key_next: true });
                next = Next::Engine;
                out.push('{');
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array);
                next = Next::Engine;
                out.push('[');
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                out.push(bytes[i] as char);
                i += 1;
            }
            b',' => {
                if let Some(Frame::Object { key_next, .. }) = stack.last_mut() {
                    *key_next = true;
                }
                next = Next::Engine;
                out.push(',');
                i += 1;
            }
            _ => {
                // Whitespace, `:`, numbers and literals: copied as a run up to the next
                // structural byte (all ASCII, so the run ends on a char boundary).
                let start = i;
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'{' | b'[' | b'}' | b']' | b',') {
                    i += 1;
                }
                copy(&mut out, start, i);
                if i == start {
                    i += 1;
                }
            }
        }
    }
    out
}

/// The index just past the string starting at `start` (a `"`), or the end of the text.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The index just past the object or array starting at `start`, or the end of the text.
fn value_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i);
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// A key's text without its JSON escapes (escaped keys are rare: only then is it decoded).
fn decoded(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains('\\') {
        serde_json::from_str::<String>(&format!("\"{raw}\"")).map_or(raw.into(), Into::into)
    } else {
        raw.into()
    }
}

/// `suspended_minutes` → `suspendedMinutes`.
pub fn camel(key: &str, out: &mut String) {
    let mut upper = false;
    let mut first = true;
    for c in key.chars() {
        if c == '_' && !first {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
        first = false;
    }
}

/// `suspendedMinutes` → `suspended_minutes`.
pub fn snake(key: &str, out: &mut String) {
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(f: fn(&str, &mut String), k: &str) -> String {
        let mut out = String::new();
        f(k, &mut out);
        out
    }

    #[test]
    fn keys_round_trip() {
        for k in ["suspended_minutes", "from_step", "id", "expected_version", "to"] {
            assert_eq!(key(snake, &key(camel, k)), k);
        }
        assert_eq!(key(camel, "allow_incomplete"), "allowIncomplete");
        assert_eq!(key(snake, "mediaType"), "media_type");
    }

    #[test]
    fn identifiers_stay_and_order_is_kept() {
        let spec = r#"{"steps":{"receive":{},"civil_status":{"actions":{"send_back":{"to":"receive","due_soon":1}}}},"form":{"fields":{"birth_date":{"max_length":3}}},"z_last":[{"a_b":"c_d"}]}"#;
        let js = to_camel(spec);
        assert_eq!(
            js,
            r#"{"steps":{"receive":{},"civil_status":{"actions":{"send_back":{"to":"receive","dueSoon":1}}}},"form":{"fields":{"birth_date":{"maxLength":3}}},"zLast":[{"aB":"c_d"}]}"#
        );
        assert_eq!(to_snake(&js), spec);
    }

    #[test]
    fn verbatim_values_whitespace_and_escapes_are_copied() {
        let text = "{ \"data\" : {\"a_b\": [1, {\"c_d\": \"}\\\"{\"}]}, \"params\": {\"max_len\": 3},\n \"x_y\": \"va\\\"l_ue\", \"n_m\": -1.5e3, \"ok_k\": true, \"q\\u005fr\": null, \"đ_ê\": 1 }";
        let js = to_camel(text);
        assert_eq!(
            js,
            "{ \"data\" : {\"a_b\": [1, {\"c_d\": \"}\\\"{\"}]}, \"params\": {\"max_len\": 3},\n \"xY\": \"va\\\"l_ue\", \"nM\": -1.5e3, \"okK\": true, \"q\\u005fr\": null, \"đ_ê\": 1 }"
        );
        let a: serde_json::Value = serde_json::from_str(text).unwrap();
        let b: serde_json::Value = serde_json::from_str(&js).unwrap();
        assert_eq!(a["data"], b["data"]);
        assert_eq!(a["params"], b["params"]);
    }

    #[test]
    fn an_id_map_that_is_not_an_object_is_translated_as_usual() {
        assert_eq!(
            to_camel(r#"{"documents":[{"from_database":true}],"steps":null}"#),
            r#"{"documents":[{"fromDatabase":true}],"steps":null}"#
        );
    }

    #[test]
    fn broken_text_never_panics_and_stays_broken() {
        for text in ["", "{", "{\"a_b\"", "[\"", "{\"data\":{", "}}]]", "{\"a\\", "\"\\", "{,,}"] {
            let out = to_camel(text);
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                serde_json::from_str::<serde_json::Value>(text).is_ok(),
                "{text:?}"
            );
        }
        assert_eq!(to_camel(&json!({"k_k": "ü"}).to_string()), r#"{"kK":"ü"}"#);
    }

    /// What a schema's value is, as far as the key rewrite cares: a map keyed by
    /// identifiers, any JSON at all, or something else (a struct, an array, a scalar).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Shape {
        IdMap,
        AnyJson,
        Other,
    }

    fn shape(root: &serde_json::Value, schema: &serde_json::Value, depth: usize) -> Shape {
        use serde_json::Value;
        if depth > 32 {
            return Shape::Other;
        }
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix("#/$defs/").and_then(|name| root["$defs"].get(name)) {
                Some(def) => return shape(root, def, depth + 1),
                None => panic!("unresolved $ref {r}"),
            },
            None => schema,
        };
        match schema {
            Value::Bool(true) => return Shape::AnyJson,
            Value::Object(o) if o.is_empty() => return Shape::AnyJson,
            Value::Object(_) => {}
            _ => return Shape::Other,
        }
        for alternatives in ["anyOf", "oneOf"] {
            if let Some(options) = schema[alternatives].as_array() {
                // `Option<T>` is `T | null`: the shape of T.
                let shapes: Vec<Shape> =
                    options.iter().filter(|o| o["type"] != "null").map(|o| shape(root, o, depth + 1)).collect();
                if shapes.contains(&Shape::IdMap) {
                    return Shape::IdMap;
                }
                return if shapes.iter().all(|s| *s == Shape::AnyJson) && !shapes.is_empty() {
                    Shape::AnyJson
                } else {
                    Shape::Other
                };
            }
        }
        let is_object =
            schema["type"] == "object" || schema["type"].as_array().is_some_and(|t| t.iter().any(|t| t == "object"));
        let keyed = schema.get("additionalProperties").is_some_and(|a| a != false);
        if (is_object || keyed) && schema.get("properties").is_none() {
            return if keyed { Shape::IdMap } else { Shape::AnyJson };
        }
        Shape::Other
    }

    /// Every property name whose value has the given shape, anywhere in the schema.
    fn properties_of(root: &serde_json::Value, node: &serde_json::Value, want: Shape, out: &mut Vec<String>) {
        match node {
            serde_json::Value::Object(o) => {
                if let Some(props) = o.get("properties").and_then(|p| p.as_object()) {
                    for (name, schema) in props {
                        if shape(root, schema, 0) == want && !out.contains(name) {
                            out.push(name.clone());
                        }
                    }
                }
                o.values().for_each(|v| properties_of(root, v, want, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| properties_of(root, v, want, out)),
            _ => {}
        }
    }

    /// The key lists hold exactly the published schemas' maps keyed by identifiers and their
    /// free-form JSON, for the JSON that crosses the boundary: the procedure as `info()`
    /// gives it and every runtime shape. A field added to the core as a map keyed by spec
    /// identifiers, and not listed here, would have its identifiers camelCased in JS.
    #[test]
    fn the_key_lists_are_the_published_schemas_maps_and_free_json() {
        let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/schema");
        let mut files = vec![schemas.join("procedure.schema.json")];
        let mut runtime: Vec<_> =
            std::fs::read_dir(schemas.join("runtime")).unwrap().map(|e| e.unwrap().path()).collect();
        runtime.sort();
        assert!(runtime.len() >= 7, "the runtime schemas: {runtime:?}");
        files.extend(runtime);
        let (mut maps, mut free) = (Vec::new(), Vec::new());
        for file in &files {
            let root: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
            properties_of(&root, &root, Shape::IdMap, &mut maps);
            properties_of(&root, &root, Shape::AnyJson, &mut free);
        }
        // `params` (a message's parameters) is a map too, copied whole.
        let mut expected_maps: Vec<&str> = ID_MAPS.to_vec();
        expected_maps.push("params");
        let (mut maps, mut free): (Vec<&str>, Vec<&str>) =
            (maps.iter().map(String::as_str).collect(), free.iter().map(String::as_str).collect());
        for list in [&mut maps, &mut free, &mut expected_maps] {
            list.sort_unstable();
        }
        assert_eq!(maps, expected_maps, "maps keyed by identifiers in the schemas vs ID_MAPS (+ params)");
        assert_eq!(free, ["data"], "free-form JSON in the schemas vs VERBATIM");
        assert!(VERBATIM.iter().all(|k| *k == "params" || free.contains(k)));
    }
}
