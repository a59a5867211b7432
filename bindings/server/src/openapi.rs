//! The OpenAPI 3.1 document: paths from the handlers (utoipa), the runtime shapes from the
//! core's JSON Schemas (the same ones committed under `specs/schema/runtime/`).

use serde_json::{Map, Value, json};
use utoipa::OpenApi;

/// Moves a schemars schema's `$defs` into `defs` and points its references at
/// `#/components/schemas/`.
fn hoist(mut schema: Value, defs: &mut Map<String, Value>) -> Value {
    if let Some(Value::Object(inner)) = schema.as_object_mut().and_then(|o| o.remove("$defs")) {
        for (name, def) in inner {
            let def = hoist(def, defs);
            defs.insert(name, def);
        }
    }
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    rewrite_refs(&mut schema);
    schema
}

fn rewrite_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(name) = r.strip_prefix("#/$defs/")
            {
                *r = format!("#/components/schemas/{name}");
            }
            map.values_mut().for_each(rewrite_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

/// `(path, method, where, component)`: which body is which runtime shape.
const SHAPES: &[(&str, &str, &str, &str)] = &[
    ("/api/v1/dossiers/{id}/commands", "post", "request", "CommandKind"),
    ("/api/v1/dossiers/{id}", "get", "200", "Dossier"),
    ("/api/v1/dossiers/{id}/history", "get", "200", "Events"),
];

/// The document, as JSON.
///
/// ```
/// let doc = motcua_server::openapi_document();
/// assert_eq!(doc["openapi"], "3.1.0");
/// assert!(doc["paths"]["/api/v1/dossiers/{id}/commands"]["post"].is_object());
/// ```
pub fn document() -> Value {
    let mut doc = serde_json::to_value(crate::api::Paths::openapi()).unwrap_or_else(|_| json!({}));
    doc["info"] = json!({
        "title": "motcua",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "The motcua procedure engine as an HTTP service: procedures, form validation, dossiers, \
    the one-stop desk (bộ phận một cửa), the monthly report and the outbox. Every error has the core's rejection \
    shape: a stable `code`, the `field` at fault and a message in Vietnamese and English.",
        "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"},
    });
    let components = doc["components"].as_object_mut().cloned().unwrap_or_default();
    let mut schemas = components.get("schemas").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut defs = Map::new();
    for (name, text) in motcua::runtime_schemas() {
        let schema: Value = serde_json::from_str(&text).unwrap_or_else(|_| json!({}));
        let component = match name {
            "submission" => "Submission",
            "command" => "Command",
            "applied" => "Applied",
            "event" => "Event",
            "effect" => "Effect",
            "dossier" => "Dossier",
            "rejection" => "Rejection",
            _ => continue,
        };
        let schema = hoist(schema, &mut defs);
        schemas.insert(component.to_owned(), schema);
    }
    let kind = serde_json::to_value(schemars::schema_for!(motcua::CommandKind)).unwrap_or_else(|_| json!({}));
    let kind = hoist(kind, &mut defs);
    schemas.insert("CommandKind".to_owned(), kind);
    for (name, def) in defs {
        schemas.entry(name).or_insert(def);
    }
    schemas.insert("Events".to_owned(), json!({"type": "array", "items": {"$ref": "#/components/schemas/Event"}}));
    let mut components = components;
    components.insert("schemas".to_owned(), Value::Object(schemas));
    components.insert(
        "securitySchemes".to_owned(),
        json!({"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "A JWT from the portal's identity provider; claims `sub`, `role`, `agency`, `unit`, `exp`."}}),
    );
    doc["components"] = Value::Object(components);
    for (path, method, place, component) in SHAPES {
        let op = &mut doc["paths"][*path][*method];
        let reference = json!({"$ref": format!("#/components/schemas/{component}")});
        if *place == "request" {
            op["requestBody"]["content"]["application/json"]["schema"] = reference;
        } else {
            op["responses"][*place]["content"]["application/json"]["schema"] = reference;
        }
    }
    // Every operation may answer with a coded error (bad request, no token, rate limit,
    // timeout, body too large, unavailable database): the `default` response says so.
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut() {
            if let Some(item) = item.as_object_mut() {
                for op in item.values_mut() {
                    op["responses"]["default"] = json!({
                        "description": "An error, coded",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
                    });
                }
            }
        }
    }
    doc
}
