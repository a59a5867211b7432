//! The JSON Schemas of the runtime shapes, generated from the types of this layer.

use super::{Applied, Command, Dossier, Effect, Event, Rejection, Submission};
use crate::spec::schema_of;

/// The JSON Schemas of what crosses the runtime boundary (the C library, the WASM package,
/// the HTTP service), generated from the Rust types: `(name, schema)` for `submission`,
/// `command`, `applied`, `event`, `effect`, `dossier` (the snapshot) and `rejection`,
/// committed as `specs/schema/runtime/<name>.schema.json`.
///
/// ```
/// let schemas = motcua::runtime_schemas();
/// let names: Vec<&str> = schemas.iter().map(|(name, _)| *name).collect();
/// assert_eq!(names, ["submission", "command", "applied", "event", "effect", "dossier", "rejection"]);
/// let command: serde_json::Value = serde_json::from_str(&schemas[1].1).unwrap();
/// assert_eq!(command["title"], "motcua command");
/// ```
pub fn runtime_schemas() -> Vec<(&'static str, String)> {
    vec![
        ("submission", schema_of::<Submission>("motcua submission")),
        ("command", schema_of::<Command>("motcua command")),
        ("applied", schema_of::<Applied>("motcua applied")),
        ("event", schema_of::<Event>("motcua event")),
        ("effect", schema_of::<Effect>("motcua effect")),
        ("dossier", schema_of::<Dossier>("motcua dossier snapshot")),
        ("rejection", schema_of::<Rejection>("motcua rejection")),
    ]
}
