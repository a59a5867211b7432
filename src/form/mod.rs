//! Forms and required documents: one validator for the server and the browser.
//!
//! A procedure's YAML has a `form:` key ([`FormSpec`]: typed fields, nested and
//! repeating groups, constraints, conditional fields, cross-field rules) and a
//! `documents:` key (the legal checklist, *thành phần hồ sơ*: [`DocumentSpec`]). At
//! load they compile into a [`Form`], with every expression parsed and type-checked;
//! at run time [`Form::validate`] checks a dossier's form data (JSON) and submitted
//! documents and reports **every** problem with a JSON path, a stable [`Code`],
//! parameters and a message in Vietnamese and English.
//!
//! ```
//! use motcua::{Code, Form};
//! use chrono::NaiveDate;
//! use serde_json::json;
//!
//! let form = Form::from_yaml(r#"
//! form:
//!   fields:
//!     full_name: {label: {vi: Họ và tên, en: Full name}, type: text, required: true, max_length: 100}
//!     citizen_id: {label: {vi: Số định danh cá nhân}, type: citizen_id, required: true}
//!     birth_date:
//!       label: {vi: Ngày sinh, en: Date of birth}
//!       type: date
//!       required: true
//!       min: add_years(today, -6)
//!       max: today
//! documents:
//!   birth_certificate:
//!     name: {vi: Giấy chứng sinh, en: Birth certificate}
//! "#, "form.yaml").unwrap()
//! // A procedure's form gets these from its catalogue; a standalone form is given them.
//! .with_citizen_id_provinces(["001", "079"]);
//!
//! let today = NaiveDate::from_ymd_opt(2026, 2, 13).unwrap();
//! let v = form.validate(&json!({"citizen_id": "003090012345", "birth_date": "2019-01-01"}), &[], today);
//! let found: Vec<(&str, Code)> = v.problems.iter().map(|p| (p.path.as_str(), p.code)).collect();
//! assert_eq!(found, [
//!     ("$.full_name", Code::FieldRequired),
//!     ("$.citizen_id", Code::InvalidCitizenId),
//!     ("$.birth_date", Code::BelowMinimum),
//!     ("$.documents.birth_certificate", Code::DocumentMissing),
//! ]);
//! assert_eq!(v.problems[2].message.en, "Date of birth: must not be before 2020-02-13");
//! ```
//!
//! # Text
//!
//! Texts are compared, matched and measured in Unicode NFC, so a Vietnamese name typed
//! with combining marks (NFD, as some keyboards and macOS produce) is the same name as
//! its precomposed form. Lengths count Unicode scalar values of the NFC form (for
//! Vietnamese, NFC makes every letter with its diacritics one scalar value, which is
//! what a reader counts).
//!
//! # Patterns
//!
//! `pattern` uses [`regex_lite`]: no dependencies, a small WASM footprint, and matching
//! in time linear in the input (no catastrophic backtracking), with a compiled-size and
//! nesting limit. It has no Unicode classes (`\p{L}`); write ranges such as `[A-Za-zÀ-ỹ ]`.
//! A pattern must match the whole value.
//!
//! # Sessions
//!
//! A page that validates as the citizen types holds a [`FormSession`]: [`FormSession::set`]
//! changes one field and returns the problems that appeared and disappeared ([`Delta`]),
//! re-checking only that field and the rules, conditions, bounds and checklist items whose
//! expressions read it. Its [`FormSession::problems`] are always exactly what
//! [`Form::validate`] reports for its data.
//!
//! # Documents
//!
//! A submitted document ([`SubmittedDocument`]) satisfies its checklist item when it is
//! taken from a national database the item names in `replaceable_by`, or has at least
//! one electronic file (of an accepted format and size), or has at least the required
//! numbers of paper originals and copies. Document problems have paths
//! `$.documents.<id>`; no form field may be called `documents`.

mod compile;
mod ids;
mod messages;
mod pattern;
mod session;

mod validate;

use chrono::NaiveDate;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::diagnostic::{Code, LoadError, Message};
use crate::expr::{self, CompiledExpr, EvalCtx, ExprError, ExprLimits, GroupId, Type, Value};
use crate::limits::Limits;
use crate::text::Text;

pub use crate::document::SubmittedDocument;
pub use crate::spec::form::{AdminLevel, DocumentSpec, FieldSpec, FieldType, FormSpec, Repeat};
pub(crate) use crate::text::nfc;
pub(crate) use compile::compile;
pub use messages::Messages;
pub use session::{Delta, FormSession, SessionError};

/// One validation problem.
///
/// ```
/// use motcua::{Code, Form};
/// let form = Form::from_yaml("form:\n  fields:\n    name: {label: {vi: Tên}, type: text, min_length: 3}\n", "f.yaml").unwrap();
/// let v = form.validate(&serde_json::json!({"name": "An"}), &[], chrono::NaiveDate::MIN);
/// let p = &v.problems[0];
/// assert_eq!((p.path.as_str(), p.code), ("$.name", Code::TooShort));
/// assert_eq!(p.params["min"], 3);
/// assert_eq!(p.message.vi, "Tên: cần ít nhất 3 ký tự");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    /// JSON path of the value: `$.child.birth_date`, `$.members[2].citizen_id`,
    /// `$.documents.birth_certificate`.
    pub path: String,
    /// The stable code.
    pub code: Code,
    /// Parameters of the message (`min`, `max`, `value`, `reason`, `rule`, …).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub params: Map<String, Json>,
    /// The label of the field or document, for rendering in other languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// The message in Vietnamese and English.
    pub message: Message,
}

impl Problem {
    /// The message key: the code, or `code.reason` when a `reason` parameter is set.
    ///
    /// ```
    /// use motcua::{Code, Form};
    /// let form = Form::from_yaml("form:\n  fields:\n    p: {label: {vi: Điện thoại}, type: phone}\n", "f.yaml").unwrap();
    /// let v = form.validate(&serde_json::json!({"p": "123"}), &[], chrono::NaiveDate::MIN);
    /// assert_eq!(v.problems[0].message_key(), "invalid_format.phone");
    /// ```
    pub fn message_key(&self) -> String {
        match self.params.get("reason").and_then(Json::as_str) {
            Some(reason) => format!("{}.{reason}", self.code.as_str()),
            None => self.code.as_str().to_owned(),
        }
    }

    /// The message in any language of `messages` (rule messages come from the spec and
    /// fall back to Vietnamese).
    ///
    /// ```
    /// use motcua::{Form, Messages};
    /// let form = Form::from_yaml("form:\n  fields:\n    n: {label: {vi: Tên}, type: text, required: true}\n", "f.yaml").unwrap();
    /// let v = form.validate(&serde_json::json!({}), &[], chrono::NaiveDate::MIN);
    /// let mut m = Messages::builtin();
    /// m.insert("fr", "field_required", "{label} : obligatoire");
    /// assert_eq!(v.problems[0].render(&m, "fr"), "Tên : obligatoire");
    /// ```
    pub fn render(&self, messages: &Messages, lang: &str) -> String {
        match lang {
            "vi" if self.code == Code::RuleViolated => self.message.vi.clone(),
            "en" if self.code == Code::RuleViolated => self.message.en.clone(),
            _ if self.code == Code::RuleViolated => self.message.vi.clone(),
            _ => messages.render(lang, &self.message_key(), self.label.as_ref(), &self.params),
        }
    }
}

/// The result of validating a dossier's form data and documents.
///
/// ```
/// let form = motcua::Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
/// let v = form.validate(&serde_json::json!({}), &[], chrono::NaiveDate::MIN);
/// assert!(v.is_valid());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Validation {
    /// Every problem found, form fields first (in form order), then documents.
    pub problems: Vec<Problem>,
}

impl Validation {
    /// Whether there is no problem at all.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields:\n    name: {label: {vi: Tên}, type: text, required: true}\n", "f.yaml").unwrap();
    /// assert!(form.validate(&serde_json::json!({"name": "An"}), &[], chrono::NaiveDate::MIN).is_valid());
    /// let v = form.validate(&serde_json::json!({}), &[], chrono::NaiveDate::MIN);
    /// assert!(!v.is_valid());
    /// assert_eq!(v.problems[0].code, motcua::Code::FieldRequired);
    /// ```
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether the form data (everything outside `$.documents`) has no problem.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields: {}\ndocuments:\n  a: {name: {vi: A}}\n", "f.yaml").unwrap();
    /// let v = form.validate(&serde_json::json!({}), &[], chrono::NaiveDate::MIN);
    /// assert!(v.form_valid() && !v.documents_complete());
    /// ```
    pub fn form_valid(&self) -> bool {
        self.problems.iter().all(Problem::is_document)
    }

    /// Whether the documents have no problem.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields: {}\ndocuments:\n  a: {name: {vi: Tờ khai}}\n", "f.yaml").unwrap();
    /// let missing = form.validate(&serde_json::json!({}), &[], chrono::NaiveDate::MIN);
    /// assert!(!missing.documents_complete());
    /// let given: Vec<motcua::SubmittedDocument> = serde_json::from_value(serde_json::json!([{"id": "a", "files": [{"name": "a.pdf", "media_type": "application/pdf", "size": 10}]}])).unwrap();
    /// let v = form.validate(&serde_json::json!({}), &given, chrono::NaiveDate::MIN);
    /// assert!(v.documents_complete());
    /// ```
    pub fn documents_complete(&self) -> bool {
        !self.problems.iter().any(Problem::is_document)
    }

    /// The problems of the document checklist (paths under `$.documents`).
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields:\n    n: {label: {vi: Tên}, type: text, required: true}\ndocuments:\n  a: {name: {vi: Tờ khai}}\n", "f.yaml").unwrap();
    /// let v = form.validate(&serde_json::json!({}), &[], chrono::NaiveDate::MIN);
    /// assert_eq!(v.problems.len(), 2);
    /// let paths: Vec<&str> = v.document_problems().map(|p| p.path.as_str()).collect();
    /// assert_eq!(paths, ["$.documents.a"]);
    /// ```
    pub fn document_problems(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_document())
    }
}

impl Problem {
    /// Whether the problem is about the document checklist (`$.documents`, `$.documents.<id>`)
    /// rather than a form field — also when a field's name merely starts with `documents`.
    ///
    /// ```
    /// let mut p: motcua::Problem = serde_json::from_value(serde_json::json!({
    ///     "path": "$.documents.birth_certificate", "code": "document_missing", "params": {},
    ///     "message": {"vi": "Thiếu giấy tờ", "en": "Missing document"}})).unwrap();
    /// assert!(p.is_document());
    /// p.path = "$.documents_note".into();
    /// assert!(!p.is_document());
    /// ```
    pub fn is_document(&self) -> bool {
        match self.path.strip_prefix("$.documents") {
            Some(rest) => rest.is_empty() || rest.starts_with('.') || rest.starts_with('['),
            None => false,
        }
    }
}

/// What the expression checker knows of a form: the type of every field.
#[derive(Clone, Debug, Default)]
pub(crate) struct SchemaTable {
    pub groups: Vec<SchemaGroup>,
    pub documents: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct SchemaGroup {
    pub parent: Option<GroupId>,
    pub fields: IndexMap<String, (Type, Vec<String>)>,
}

impl expr::Schema for SchemaTable {
    fn field(&self, group: GroupId, name: &str) -> Option<(Type, Option<&[String]>)> {
        let (ty, codes) = self.groups.get(group.0 as usize)?.fields.get(name)?;
        Some((ty.clone(), (!codes.is_empty()).then_some(codes.as_slice())))
    }

    fn parent(&self, group: GroupId) -> Option<GroupId> {
        self.groups.get(group.0 as usize)?.parent
    }

    fn has_document(&self, id: &str) -> bool {
        self.documents.iter().any(|d| d == id)
    }

    fn field_names(&self, group: GroupId) -> Vec<&str> {
        self.groups.get(group.0 as usize).map(|g| g.fields.keys().map(String::as_str).collect()).unwrap_or_default()
    }
}

/// A compiled form bound (a number, a fixed date or an expression).
#[derive(Clone, Debug)]
pub(crate) enum CBound {
    Num(f64),
    Date(NaiveDate),
    Expr(CompiledExpr),
}

#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub id: String,
    pub label: Text,
    pub kind: FieldType,
    pub required: bool,
    pub required_if: Option<CompiledExpr>,
    pub visible_if: Option<CompiledExpr>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub min: Option<CBound>,
    pub max: Option<CBound>,
    pub pattern: Option<pattern::Pattern>,
    pub pattern_message: Option<Text>,
    pub multiline: bool,
    pub codes: Vec<String>,
    pub level: Option<AdminLevel>,
    pub media_types: Vec<String>,
    pub max_size: Option<u64>,
    pub max_files: Option<u32>,
    pub repeat: Option<Repeat>,
    pub group: Option<GroupId>,
}

#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub id: String,
    pub when: Option<CompiledExpr>,
    pub check: CompiledExpr,
    /// JSON-path suffix of the field the problem is reported on (`.child.birth_date`).
    pub field: String,
    pub label: Option<Text>,
    pub message: Text,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Group {
    pub fields: Vec<Field>,
    /// Field indices in the byte order of their ids (the order of JSON object keys).
    pub sorted: Vec<usize>,
    pub rules: Vec<Rule>,
}

#[derive(Clone, Debug)]
pub(crate) struct Document {
    pub id: String,
    pub spec: DocumentSpec,
    pub required_if: Option<CompiledExpr>,
}

/// A compiled form with its document checklist: every expression parsed and
/// type-checked, every pattern compiled.
///
/// Made by the procedure compiler or, for a standalone form, [`Form::from_yaml`].
///
/// ```
/// let form = motcua::Form::from_yaml("form:\n  fields:\n    a: {label: {vi: A}, type: integer, min: 1}\n", "f.yaml").unwrap();
/// assert_eq!(form.field_count(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct Form {
    pub(crate) file: String,
    pub(crate) title: Option<Text>,
    pub(crate) schema: SchemaTable,
    pub(crate) groups: Vec<Group>,
    pub(crate) documents: Vec<Document>,
    pub(crate) limits: ExprLimits,
    pub(crate) messages: Messages,
    /// The province codes a `citizen_id` may start with (sorted), from the catalogue;
    /// `None` for a standalone form, which checks the format and the birth year only.
    pub(crate) citizen_id_provinces: Option<std::sync::Arc<[String]>>,
    /// Which parts of the form read which fields, for [`FormSession`]: built on first use.
    pub(crate) deps: std::sync::OnceLock<std::sync::Arc<session::Deps>>,
}

/// A file holding just a form and its documents (a procedure YAML holds more keys).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormFile {
    form: FormSpec,
    #[serde(default)]
    documents: IndexMap<String, DocumentSpec>,
}

const ROOT: GroupId = GroupId(0);

impl Form {
    /// Compiles a runtime action guard, such as
    /// `form_valid and documents.birth_certificate.present`: the form's fields and
    /// documents plus `form_valid` and `documents_complete`; the result must be a boolean.
    ///
    /// ```
    /// use motcua::{Form, SubmittedDocument};
    /// let f = Form::from_yaml("form:\n  fields:\n    n: {label: {vi: N}, type: text, required: true}\ndocuments:\n  cert: {name: {vi: Giấy chứng sinh}}\n", "f.yaml").unwrap();
    /// let g = f.parse_guard("form_valid and documents.cert.present").unwrap();
    /// let docs = [SubmittedDocument { id: "cert".into(), originals: 1, ..Default::default() }];
    /// let day = chrono::NaiveDate::MIN;
    /// assert!(f.eval_condition(&g, &serde_json::json!({"n": "x"}), &docs, day).unwrap());
    /// assert!(!f.eval_condition(&g, &serde_json::json!({}), &docs, day).unwrap());
    /// assert_eq!(f.parse_guard("n").unwrap_err().code, motcua::Code::TypeMismatch);
    /// ```
    pub fn parse_guard(&self, text: &str) -> Result<CompiledExpr, ExprError> {
        let e = self.compile_in(text, ROOT, true)?;
        compile::expect_type(&e, &Type::Bool)?;
        Ok(e)
    }

    /// Loads a standalone form from YAML with top-level `form:` and `documents:` keys.
    ///
    /// ```
    /// let err = motcua::Form::from_yaml("form:\n  fields:\n    a: {label: {vi: A}, type: text, visible_if: b > 1}\n", "f.yaml").unwrap_err();
    /// let d = &err.diagnostics()[0];
    /// assert_eq!(d.code, motcua::Code::UnknownReference);
    /// assert_eq!((d.line, d.column), (3, 49));
    /// assert_eq!(d.path, "form.fields.a.visible_if");
    /// ```
    pub fn from_yaml(text: &str, file: &str) -> Result<Form, LoadError> {
        let (spec, map) = crate::spec::yaml::from_str::<FormFile>(text, file, &Limits::default())?;
        compile(&spec.form, &spec.documents, &map, "").map_err(LoadError::new)
    }

    /// The file the form was loaded from, as the caller named it.
    ///
    /// ```
    /// let f = motcua::Form::from_yaml("form:\n  fields: {}\n", "khai-sinh.yaml").unwrap();
    /// assert_eq!(f.file(), "khai-sinh.yaml");
    /// ```
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The form's title, if the spec gives one.
    ///
    /// ```
    /// let f = motcua::Form::from_yaml("form:\n  title: {vi: Tờ khai}\n  fields: {}\n", "f.yaml").unwrap();
    /// assert_eq!(f.title().unwrap().vi, "Tờ khai");
    /// ```
    pub fn title(&self) -> Option<&Text> {
        self.title.as_ref()
    }

    /// How many fields the form has, counting fields inside groups.
    ///
    /// ```
    /// let f = motcua::Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
    /// assert_eq!(f.field_count(), 0);
    /// ```
    pub fn field_count(&self) -> usize {
        self.groups.iter().map(|g| g.fields.len()).sum()
    }

    /// The ids of the document checklist, in order.
    ///
    /// ```
    /// let f = motcua::Form::from_yaml("form:\n  fields: {}\ndocuments:\n  a: {name: {vi: A}}\n", "f.yaml").unwrap();
    /// assert_eq!(f.document_ids().collect::<Vec<_>>(), ["a"]);
    /// ```
    pub fn document_ids(&self) -> impl Iterator<Item = &str> {
        self.documents.iter().map(|d| d.id.as_str())
    }

    /// Replaces the message catalogue used for [`Problem::message`] (Vietnamese and
    /// English are taken from it).
    ///
    /// ```
    /// let mut m = motcua::Messages::builtin();
    /// m.insert("en", "field_required", "{label} is missing");
    /// let f = motcua::Form::from_yaml("form:\n  fields:\n    a: {label: {vi: A}, type: text, required: true}\n", "f.yaml").unwrap().with_messages(m);
    /// let v = f.validate(&serde_json::json!({}), &[], chrono::NaiveDate::MIN);
    /// assert_eq!(v.problems[0].message.en, "A is missing");
    /// ```
    pub fn with_messages(mut self, messages: Messages) -> Form {
        self.messages = messages;
        self
    }

    /// The form with the province codes a personal identification number (`citizen_id`) may
    /// start with. A form compiled inside a procedure takes them from the catalogue's
    /// `citizen_id_provinces`; a standalone form has none and checks only the format and the
    /// birth year.
    ///
    /// ```
    /// use motcua::{Catalogue, Code, Form};
    /// let catalogue = Catalogue::from_yaml(include_str!("../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?;
    /// let text = "form:\n  fields:\n    id: {label: {vi: Số định danh}, type: citizen_id}\n";
    /// let standalone = Form::from_yaml(text, "f.yaml")?;
    /// let checked = standalone.clone().with_citizen_id_provinces(catalogue.citizen_id_provinces());
    /// let data = serde_json::json!({"id": "003090012345"}); // 003 is no province
    /// let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    /// assert!(standalone.validate(&data, &[], day).is_valid());
    /// assert_eq!(checked.validate(&data, &[], day).problems[0].code, Code::InvalidCitizenId);
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn with_citizen_id_provinces<'a>(mut self, codes: impl IntoIterator<Item = &'a str>) -> Form {
        let mut codes: Vec<String> = codes.into_iter().map(str::to_owned).collect();
        codes.sort_unstable();
        codes.dedup();
        self.citizen_id_provinces = Some(codes.into());
        self
    }

    /// Compiles an expression over the form's top-level fields and documents.
    ///
    /// ```
    /// let f = motcua::Form::from_yaml("form:\n  fields:\n    n: {label: {vi: N}, type: integer}\n", "f.yaml").unwrap();
    /// assert!(f.compile_expr("n * 2 > 10").is_ok());
    /// assert!(f.compile_expr("form_valid").is_err()); // guards only
    /// ```
    pub fn compile_expr(&self, text: &str) -> Result<CompiledExpr, ExprError> {
        self.compile_in(text, ROOT, false)
    }

    pub(crate) fn compile_in(&self, text: &str, scope: GroupId, guard: bool) -> Result<CompiledExpr, ExprError> {
        compile::compile_expr(&self.schema, &self.limits, text, scope, guard)
    }

    /// Evaluates an expression compiled for this form against form data and documents.
    ///
    /// `form_valid` and `documents_complete` (guards only) validate the data first.
    ///
    /// ```
    /// use motcua::{Form, expr::Value};
    /// let f = Form::from_yaml("form:\n  fields:\n    n: {label: {vi: N}, type: integer}\n", "f.yaml").unwrap();
    /// let e = f.compile_expr("n * 2").unwrap();
    /// let v = f.eval(&e, &serde_json::json!({"n": 21}), &[], chrono::NaiveDate::MIN).unwrap();
    /// assert_eq!(v, Value::Number(42.0));
    /// ```
    pub fn eval(
        &self,
        expr: &CompiledExpr,
        data: &Json,
        documents: &[SubmittedDocument],
        today: NaiveDate,
    ) -> Result<Value, ExprError> {
        if expr.scope != ROOT {
            return Err(ExprError::new(
                Code::ExpressionFailed,
                crate::expr::Span::new(0, expr.source.len()),
                Message::new(
                    "Biểu thức thuộc một nhóm trường, không tính được ở cấp biểu mẫu",
                    "the expression belongs to a group and cannot be evaluated on the whole form",
                ),
            ));
        }
        let (form_valid, documents_complete) = self.guard_facts(expr, data, documents, today);
        let scopes: Vec<&Map<String, Json>> = data.as_object().into_iter().collect();
        let ctx = EvalCtx { scopes: &scopes, today, documents, form_valid, documents_complete, fuel: self.limits.fuel };
        expr::eval(&expr.node, &ctx).map(|v| v.to_value())
    }

    /// Evaluates a condition: `true` only if the expression is `true` (`null` is false).
    ///
    /// ```
    /// let f = motcua::Form::from_yaml("form:\n  fields:\n    n: {label: {vi: N}, type: integer}\n", "f.yaml").unwrap();
    /// let e = f.compile_expr("n > 1").unwrap();
    /// assert!(!f.eval_condition(&e, &serde_json::json!({}), &[], chrono::NaiveDate::MIN).unwrap());
    /// ```
    pub fn eval_condition(
        &self,
        expr: &CompiledExpr,
        data: &Json,
        documents: &[SubmittedDocument],
        today: NaiveDate,
    ) -> Result<bool, ExprError> {
        Ok(matches!(self.eval(expr, data, documents, today)?, Value::Bool(true)))
    }

    fn guard_facts(
        &self,
        expr: &CompiledExpr,
        data: &Json,
        documents: &[SubmittedDocument],
        today: NaiveDate,
    ) -> (Option<bool>, Option<bool>) {
        if !compile::uses_validation(&expr.node) {
            return (None, None);
        }
        let v = self.validate(data, documents, today);
        (Some(v.form_valid()), Some(v.documents_complete()))
    }
}
