//! The serde types of a procedure's `form:` and `documents:` keys, as authors write them.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// The `form:` key of a procedure: its fields and cross-field rules.
///
/// ```
/// let spec: motcua::FormSpec = serde_json::from_value(serde_json::json!({
///     "fields": {"full_name": {"label": {"vi": "Họ và tên"}, "type": "text", "required": true}}
/// })).unwrap();
/// assert!(spec.fields["full_name"].required);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormSpec {
    /// The form's title (e.g. the official name of the declaration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// The fields, in display order, by ASCII `snake_case` id.
    pub fields: IndexMap<String, FieldSpec>,
    /// Cross-field rules over the whole form, by id.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub rules: IndexMap<String, RuleSpec>,
}

/// The type of a field.
///
/// ```
/// let t: motcua::FieldType = serde_json::from_str("\"citizen_id\"").unwrap();
/// assert_eq!(t, motcua::FieldType::CitizenId);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Free text (NFC, length in Unicode scalar values of the NFC form).
    Text,
    /// A whole number.
    Integer,
    /// A decimal number.
    Decimal,
    /// An amount of Vietnamese đồng: a non-negative whole number.
    Money,
    /// `true` or `false`.
    Boolean,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A local date and time, `YYYY-MM-DDTHH:MM[:SS]` (no offset).
    Datetime,
    /// One of the field's `codes`.
    Code,
    /// A Vietnamese phone number: mobile `0xxxxxxxxx` (10 digits) or landline
    /// `02xxxxxxxxx` (11 digits), or the same with `+84` instead of the leading 0.
    Phone,
    /// An email address (ASCII).
    Email,
    /// A 12-digit personal identification number (CCCD / số định danh cá nhân).
    CitizenId,
    /// A tax code: 10 digits with a check digit, or `10digits-3digits` for a branch.
    TaxCode,
    /// An administrative-unit code: 2 digits (province), 3 (district, historical) or 5 (commune).
    AdminUnit,
    /// Attached files: a list of `{name, media_type, size}`.
    Attachment,
    /// A group of fields (`fields`), repeating if it has `repeat`.
    Group,
}

impl FieldType {
    /// The snake_case name, as written in specs.
    ///
    /// ```
    /// assert_eq!(motcua::FieldType::TaxCode.as_str(), "tax_code");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Money => "money",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Code => "code",
            FieldType::Phone => "phone",
            FieldType::Email => "email",
            FieldType::CitizenId => "citizen_id",
            FieldType::TaxCode => "tax_code",
            FieldType::AdminUnit => "admin_unit",
            FieldType::Attachment => "attachment",
            FieldType::Group => "group",
        }
    }

    pub(crate) fn is_textual(self) -> bool {
        matches!(
            self,
            FieldType::Text
                | FieldType::Code
                | FieldType::Phone
                | FieldType::Email
                | FieldType::CitizenId
                | FieldType::TaxCode
                | FieldType::AdminUnit
        )
    }

    pub(crate) fn is_numeric(self) -> bool {
        matches!(self, FieldType::Integer | FieldType::Decimal | FieldType::Money)
    }
}

/// A bound of a number or date field: a number, or an expression such as
/// `add_years(today, -6)`, `child.birth_date` or an ISO date `2020-01-01`.
///
/// ```
/// let b: motcua::Bound = serde_json::from_str("\"add_years(today, -6)\"").unwrap();
/// assert!(matches!(b, motcua::Bound::Expr(_)));
/// let b: motcua::Bound = serde_json::from_str("0").unwrap();
/// assert_eq!(b, motcua::Bound::Number(0.0));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Bound {
    /// A fixed number.
    Number(f64),
    /// An expression of the field's type, or an ISO date.
    Expr(String),
}

/// An administrative level, for `admin_unit` fields.
///
/// ```
/// let l: motcua::AdminLevel = serde_json::from_str("\"commune\"").unwrap();
/// assert_eq!(l, motcua::AdminLevel::Commune);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    /// Province or centrally-run city: 2 digits.
    Province,
    /// District (abolished 2025-07-01; historical data): 3 digits.
    District,
    /// Commune, ward or special zone: 5 digits.
    Commune,
}

/// How many times a group repeats.
///
/// ```
/// let r: motcua::Repeat = serde_json::from_str(r#"{"min": 1, "max": 20}"#).unwrap();
/// assert_eq!(r.max, 20);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Repeat {
    /// Fewest items (default 0).
    #[serde(default)]
    pub min: u32,
    /// Most items.
    pub max: u32,
}

/// One field of a form (or a group of fields).
///
/// Constraints apply only to the types they fit; a misplaced one is a load error
/// (`invalid_field_spec`).
///
/// ```
/// let f: motcua::FieldSpec = serde_json::from_value(serde_json::json!({
///     "label": {"vi": "Ngày sinh", "en": "Date of birth"},
///     "type": "date",
///     "required": true,
///     "min": "add_years(today, -6)",
///     "max": "today"
/// })).unwrap();
/// assert_eq!(f.kind, motcua::FieldType::Date);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The label shown to the citizen.
    pub label: Text,
    /// A longer explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// The type.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// The field must have a value (when visible).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The field must have a value when this expression is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_if: Option<String>,
    /// The field is shown (and validated) only when this expression is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<String>,
    /// Fewest characters (text types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Most characters (text types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Smallest value (numbers, money, dates, date-times).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Bound>,
    /// Largest value (numbers, money, dates, date-times).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Bound>,
    /// A regular expression the whole text must match (`text` only; `regex-lite` syntax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The message shown when `pattern` does not match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern_message: Option<Text>,
    /// A `text` field that may hold line breaks (and tabs), e.g. an address block or a
    /// reason. Other control characters and bidirectional overrides are refused in every
    /// text (`control_character`): they can make a printed slip say something else.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multiline: bool,
    /// The allowed codes and their labels (`code` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<IndexMap<String, Text>>,
    /// The administrative level (`admin_unit` only); any level if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AdminLevel>,
    /// Accepted media types (`attachment` only), e.g. `application/pdf`, `image/*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_types: Option<Vec<String>>,
    /// Largest file in bytes (`attachment` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u64>,
    /// Most files (`attachment` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_files: Option<u32>,
    /// Repetition of a group (household members).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
    /// The fields of a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<IndexMap<String, FieldSpec>>,
    /// Rules checked inside each instance of a group (names resolve in the group first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<IndexMap<String, RuleSpec>>,
}

/// A cross-field rule with its own message.
///
/// ```
/// let r: motcua::RuleSpec = serde_json::from_value(serde_json::json!({
///     "check": "mother.birth_date < child.birth_date",
///     "field": "child.birth_date",
///     "message": {"vi": "Ngày sinh của trẻ phải sau ngày sinh của mẹ"}
/// })).unwrap();
/// assert!(r.when.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// The rule applies only when this expression is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The expression that must hold.
    pub check: String,
    /// The field (dotted path inside the group) the problem is reported on; the group itself if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The message when it does not hold.
    pub message: Text,
}

fn one() -> u32 {
    1
}

/// One item of the required documents (thành phần hồ sơ).
///
/// ```
/// let d: motcua::DocumentSpec = serde_json::from_value(serde_json::json!({
///     "name": {"vi": "Giấy chứng sinh"},
///     "replaceable_by": "health_insurance"
/// })).unwrap();
/// assert_eq!((d.originals, d.copies, d.required), (1, 0, None));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    /// The document's name.
    pub name: Text,
    /// Originals required on paper (default 1).
    #[serde(default = "one")]
    pub originals: u32,
    /// Copies required on paper (default 0).
    #[serde(default)]
    pub copies: u32,
    /// Whether the document is required. Absent: required, unless `required_if` is
    /// given, which then decides; `false`: optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// The document is required only when this expression over the form is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_if: Option<String>,
    /// Accepted media types for electronic files, e.g. `application/pdf`, `image/*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formats: Option<Vec<String>>,
    /// Largest electronic file in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_size: Option<u64>,
    /// The national database whose data replaces the document (e.g. `population`), so the
    /// citizen need not submit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaceable_by: Option<String>,
    /// The official form template, e.g. `TK1-TS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// A note for the citizen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}
