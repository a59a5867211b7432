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
//! use motcua_wasm::keys::{Tree, to_camel, to_snake};
//! use serde_json::json;
//!
//! let core = Tree::of(&json!({"dossier_id": "KS-1", "data": {"citizen_id": "001"}, "arrived": {"civil_status": 1}}))?;
//! let js = to_camel(core.clone());
//! assert_eq!(js.to_value(), json!({"dossierId": "KS-1", "data": {"citizen_id": "001"}, "arrived": {"civil_status": 1}}));
//! assert_eq!(to_snake(js), core);
//! # Ok::<(), serde_json::Error>(())
//! ```
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// Keys whose whole value is someone else's JSON: left untouched.
pub const VERBATIM: &[&str] = &["data", "params"];

/// Keys whose value, when an object, is keyed by identifiers: its keys stay, its values are
/// translated.
pub const ID_MAPS: &[&str] =
    &["steps", "outcomes", "actions", "documents", "fields", "rules", "codes", "arrived", "agencies", "roles"];

/// A JSON tree that keeps the order of object keys (the order of steps, documents and fields
/// is meaningful), unlike `serde_json::Value` without its `preserve_order` feature — which the
/// binding must not switch on, as features unify with the core's in the workspace.
#[derive(Clone, Debug, PartialEq)]
pub enum Tree {
    /// An object, keys in order.
    Object(Vec<(String, Tree)>),
    /// An array.
    Array(Vec<Tree>),
    /// A scalar.
    Leaf(Value),
}

impl Tree {
    /// Any serializable value, keys in the order it serializes them.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Tree> {
        serde_json::from_str(&serde_json::to_string(value)?)
    }

    /// As a `serde_json::Value` (for deserializing core types).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Tree::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for v in items {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Tree::Leaf(v) => v.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tree, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Leaf(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Leaf(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Leaf(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Leaf(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Leaf(Value::String(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::Leaf(Value::String(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Leaf(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Leaf(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Tree::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Tree>()? {
            entries.push((k, v));
        }
        Ok(Tree::Object(entries))
    }
}

/// Core JSON → JS JSON: engine keys in camelCase.
pub fn to_camel(tree: Tree) -> Tree {
    walk(tree, &camel)
}

/// JS JSON → core JSON: engine keys back in snake_case (snake_case input passes unchanged).
pub fn to_snake(tree: Tree) -> Tree {
    walk(tree, &snake)
}

fn walk(tree: Tree, rename: &dyn Fn(&str) -> String) -> Tree {
    match tree {
        Tree::Object(entries) => Tree::Object(
            entries
                .into_iter()
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
        Tree::Array(items) => Tree::Array(items.into_iter().map(|v| walk(v, rename)).collect()),
        leaf => leaf,
    }
}

fn id_map(tree: Tree, rename: &dyn Fn(&str) -> String) -> Tree {
    match tree {
        Tree::Object(entries) => Tree::Object(entries.into_iter().map(|(id, v)| (id, walk(v, rename))).collect()),
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
    fn identifiers_stay_and_order_is_kept() {
        let spec = json!({"steps": {"receive": {}, "civil_status": {"actions": {"send_back": {"to": "receive"}}}},
                          "form": {"fields": {"birth_date": {"max_length": 3}}}});
        let tree = Tree::of(&spec).unwrap();
        let js = to_camel(tree.clone());
        let v = js.to_value();
        assert_eq!(v["steps"]["civil_status"]["actions"]["send_back"]["to"], "receive");
        assert_eq!(v["form"]["fields"]["birth_date"]["maxLength"], 3);
        assert_eq!(to_snake(js), tree);
        let text = r#"{"z": 1, "a": {"y": 2, "b": 3}}"#;
        let ordered: Tree = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&ordered).unwrap(), text.replace(' ', ""));
    }
}
