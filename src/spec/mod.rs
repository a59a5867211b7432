//! The spec format: serde types for catalogues and procedures, with their JSON Schema.
//!
//! These types are what policy staff write (see `specs/`). They derive
//! [`schemars::JsonSchema`]; the generated schemas are committed under
//! `specs/schema/` so editors complete and check specs through the
//! `yaml-language-server` modeline at the top of every file.

pub mod catalogue;
pub mod migration;
pub mod procedure;
pub mod units;

/// The JSON Schema of a procedure spec, as committed in `specs/schema/procedure.schema.json`.
///
/// ```
/// let schema = motcua::spec::procedure_schema();
/// assert!(schema.contains("\"legal_deadline\""));
/// ```
pub fn procedure_schema() -> String {
    schema_of::<procedure::ProcedureSpec>("motcua procedure (format 1)")
}

/// The JSON Schema of a catalogue, as committed in `specs/schema/catalogue.schema.json`.
pub fn catalogue_schema() -> String {
    schema_of::<catalogue::CatalogueSpec>("motcua catalogue")
}

/// The JSON Schema of a migration file, as committed in `specs/schema/migration.schema.json`.
///
/// ```
/// let schema = motcua::spec::migration_schema();
/// assert!(schema.contains("\"not_migratable\""));
/// ```
pub fn migration_schema() -> String {
    schema_of::<migration::MigrationSpec>("motcua migration between procedure versions")
}

/// The JSON Schema of a working-day calendar, as committed in `specs/schema/calendar.schema.json`.
pub fn calendar_schema() -> String {
    schema_of::<crate::CalendarSpec>("motcua working-day calendar")
}

/// The JSON Schema of an administrative units file, as committed in `specs/schema/units.schema.json`.
pub fn units_schema() -> String {
    schema_of::<units::UnitsSpec>("motcua administrative units")
}

/// The JSON Schemas of what crosses the runtime boundary (the C library, the WASM package,
/// the HTTP service), generated from the Rust types: `(name, schema)` for `submission`,
/// `command`, `applied`, `event`, `effect`, `dossier` (the snapshot) and `rejection`,
/// committed as `specs/schema/runtime/<name>.schema.json`.
///
/// ```
/// let schemas = motcua::spec::runtime_schemas();
/// let names: Vec<&str> = schemas.iter().map(|(name, _)| *name).collect();
/// assert_eq!(names, ["submission", "command", "applied", "event", "effect", "dossier", "rejection"]);
/// let command: serde_json::Value = serde_json::from_str(&schemas[1].1).unwrap();
/// assert_eq!(command["title"], "motcua command");
/// ```
pub fn runtime_schemas() -> Vec<(&'static str, String)> {
    vec![
        ("submission", schema_of::<crate::Submission>("motcua submission")),
        ("command", schema_of::<crate::Command>("motcua command")),
        ("applied", schema_of::<crate::Applied>("motcua applied")),
        ("event", schema_of::<crate::Event>("motcua event")),
        ("effect", schema_of::<crate::Effect>("motcua effect")),
        ("dossier", schema_of::<crate::Dossier>("motcua dossier snapshot")),
        ("rejection", schema_of::<crate::Rejection>("motcua rejection")),
    ]
}

fn schema_of<T: schemars::JsonSchema>(title: &str) -> String {
    let mut schema = schemars::schema_for!(T);
    schema.insert("title".into(), title.into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
