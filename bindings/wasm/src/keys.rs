//! Key translation at the JS boundary: the engine's keys in camelCase for JS, snake_case for
//! the core, and identifiers that people wrote left exactly as written.
//!
//! The core's JSON uses snake_case keys (that is the published schema, the C library's JSON
//! and what hosts store). JS code expects camelCase. Mirroring every type with
//! `#[serde(rename_all = "camelCase")]` would duplicate the whole data model in the binding
//! and drift from it; renaming in the core would change the wire format. So the binding maps
//! keys on the `serde_json::Value` between the two, with two exceptions:
//!
//! * under [`VERBATIM`] keys (`data`, `params`) the value is the host's or the message's own
//!   JSON and is not touched at all (form field names such as `citizen_id` stay);
//! * under [`ID_MAPS`] keys (`steps`, `documents`, `fields`, …) the object's keys are
//!   identifiers from a spec (`civil_status`, `birth_certificate`): they stay, and only the
//!   values below them are translated.
//!
//! Values (codes such as `"invalid_citizen_id"`, command types such as `"request_withdrawal"`)
//! are never changed. Both directions are total, and `to_snake(to_camel(v)) == v` for every
//! engine value whose keys are lowercase ASCII snake_case, which all of them are.
//!
//! ```
//! use motcua_wasm::keys::{to_camel, to_snake};
//! use serde_json::json;
//!
//! let core = json!({"dossier_id": "KS-1", "data": {"citizen_id": "001"}, "arrived": {"civil_status": 1}});
//! let js = to_camel(core.clone());
//! assert_eq!(js, json!({"dossierId": "KS-1", "data": {"citizen_id": "001"}, "arrived": {"civil_status": 1}}));
//! assert_eq!(to_snake(js), core);
//! ```
use serde_json::{Map, Value};

/// Keys whose whole value is someone else's JSON: left untouched.
pub const VERBATIM: &[&str] = &["data", "params"];

/// Keys whose value, when an object, is keyed by identifiers: its keys stay, its values are
/// translated.
pub const ID_MAPS: &[&str] =
    &["steps", "outcomes", "actions", "documents", "fields", "rules", "codes", "arrived", "agencies", "roles"];

/// Core JSON → JS JSON: engine keys in camelCase.
pub fn to_camel(value: Value) -> Value {
    walk(value, &camel)
}

/// JS JSON → core JSON: engine keys back in snake_case (snake_case input passes unchanged).
pub fn to_snake(value: Value) -> Value {
    walk(value, &snake)
}

fn walk(value: Value, rename: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let value = if VERBATIM.contains(&key.as_str()) {
                        value
                    } else if ID_MAPS.contains(&key.as_str()) {
                        id_map(value, rename)
                    } else {
                        walk(value, rename)
                    };
                    (rename(&key), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| walk(v, rename)).collect()),
        other => other,
    }
}

fn id_map(value: Value, rename: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(id, v)| (id, walk(v, rename))).collect::<Map<String, Value>>())
        }
        other => walk(other, rename),
    }
}

/// `suspended_minutes` → `suspendedMinutes`.
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `suspendedMinutes` → `suspended_minutes`.
pub fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_round_trip() {
        for key in ["suspended_minutes", "from_step", "id", "expected_version", "to"] {
            assert_eq!(snake(&camel(key)), key);
        }
        assert_eq!(camel("allow_incomplete"), "allowIncomplete");
        assert_eq!(snake("mediaType"), "media_type");
    }

    #[test]
    fn identifiers_stay() {
        let spec = json!({"steps": {"civil_status": {"actions": {"send_back": {"to": "receive"}}}},
                          "form": {"fields": {"birth_date": {"max_length": 3}}}});
        let js = to_camel(spec.clone());
        assert_eq!(js["steps"]["civil_status"]["actions"]["send_back"]["to"], "receive");
        assert_eq!(js["form"]["fields"]["birth_date"]["maxLength"], 3);
        assert_eq!(to_snake(js), spec);
    }
}
