//! The spec format: serde types for catalogues and procedures, with their JSON Schema.
//!
//! These types are what policy staff write (see `specs/`). They derive
//! [`schemars::JsonSchema`]; the generated schemas are committed under
//! `specs/schema/` so editors complete and check specs through the
//! `yaml-language-server` modeline at the top of every file.

pub mod calendar;
pub mod catalogue;
pub mod form;
pub(crate) mod json;
pub mod migration;
pub mod procedure;
pub(crate) mod source;
pub mod units;
pub(crate) mod yaml;

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
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&motcua::spec::catalogue_schema()).unwrap();
/// assert_eq!(schema["title"], "motcua catalogue");
/// assert!(schema["required"].as_array().unwrap().contains(&"levels".into()));
/// ```
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
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&motcua::spec::calendar_schema()).unwrap();
/// assert_eq!(schema["title"], "motcua working-day calendar");
/// assert!(schema["properties"].get("office_hours").is_some());
/// ```
pub fn calendar_schema() -> String {
    schema_of::<calendar::CalendarSpec>("motcua working-day calendar")
}

/// The JSON Schema of an administrative units file, as committed in `specs/schema/units.schema.json`.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&motcua::spec::units_schema()).unwrap();
/// assert_eq!(schema["title"], "motcua administrative units");
/// assert!(schema["properties"].get("units").is_some());
/// ```
pub fn units_schema() -> String {
    schema_of::<units::UnitsSpec>("motcua administrative units")
}

pub(crate) fn schema_of<T: schemars::JsonSchema>(title: &str) -> String {
    let mut schema = schemars::schema_for!(T);
    schema.insert("title".into(), title.into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
