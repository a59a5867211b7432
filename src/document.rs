//! What a citizen hands in for a document of the checklist: paper, files, or data taken from a
//! national database. A leaf: the form validator, the expressions and the dossier all read it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A document the citizen submitted (or the officer took from a national database).
///
/// ```
/// let d: motcua::SubmittedDocument = serde_json::from_value(serde_json::json!({
///     "id": "birth_certificate",
///     "files": [{"name": "giay-chung-sinh.pdf", "media_type": "application/pdf", "size": 120000}]
/// })).unwrap();
/// assert!(d.is_present());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmittedDocument {
    /// The checklist id.
    pub id: String,
    /// Paper originals handed in.
    #[serde(default)]
    pub originals: u32,
    /// Paper copies handed in.
    #[serde(default)]
    pub copies: u32,
    /// Electronic files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileMeta>,
    /// The national database the data was taken from instead (e.g. `population`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_database: Option<String>,
}

impl SubmittedDocument {
    /// Whether anything was submitted: paper, files, or database data.
    ///
    /// ```
    /// let d = motcua::SubmittedDocument { id: "x".into(), ..Default::default() };
    /// assert!(!d.is_present());
    /// ```
    pub fn is_present(&self) -> bool {
        self.originals > 0 || self.copies > 0 || !self.files.is_empty() || self.from_database.is_some()
    }
}

/// Metadata of one electronic file (the host stores the bytes).
///
/// ```
/// let f = motcua::FileMeta { name: "a.pdf".into(), media_type: "application/pdf".into(), size: 10 };
/// assert_eq!(f.size, 10);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileMeta {
    /// The file name.
    pub name: String,
    /// The media type, e.g. `application/pdf`.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
}
