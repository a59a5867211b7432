//! One small expression language for conditions, rules, guards and timers.
//!
//! Spec authors write expressions as YAML strings: a field's `required_if` and
//! `visible_if`, a form rule's `check`, a document's `required_if`, a runtime action's
//! guard. Every expression is parsed and **type-checked when the spec loads**, against
//! the form's fields; a typo in a field name or comparing a date with a number is a load
//! error with a line and column, never a surprise at run time.
//!
//! The language is deliberately small:
//!
//! * **safe** — no loops, no assignment, no I/O; a parse has a byte, node and nesting
//!   limit ([`ExprLimits`]) and an evaluation a fuel budget, so the cost of any
//!   expression on any input is bounded;
//! * **deterministic** — "today" is an argument of the evaluation, never read from a
//!   clock, so the browser (WASM) and the server agree;
//! * **total** — evaluation returns a value or an [`ExprError`], it never panics.
//!
//! # Grammar
//!
//! ```text
//! expr     = or
//! or       = and ("or" and)*
//! and      = not ("and" not)*
//! not      = "not" not | compare
//! compare  = sum [("==" | "!=" | "<" | "<=" | ">" | ">=") sum | ["not"] "in" list]
//! sum      = product (("+" | "-") product)*
//! product  = unary (("*" | "/" | "%") unary)*
//! unary    = "-" unary | primary
//! primary  = number | string | "true" | "false" | "null" | list
//!          | name "(" [arg ("," arg)*] ")" | name ("." name)* | "(" expr ")"
//! arg      = name "->" expr | expr
//! list     = "[" [expr ("," expr)*] "]"
//! number   = digits ["." digits]          (underscores allowed: 1_000_000)
//! string   = '…' | "…"                    (escapes \\ \' \" \n \t)
//! name     = [A-Za-z_][A-Za-z0-9_]*
//! ```
//!
//! Comparisons do not chain (`a < b < c` is an error: write `a < b and b < c`).
//!
//! # Names
//!
//! A dotted name refers to a form field: `child.birth_date` is the field `birth_date`
//! of the group `child`. Inside a group, names are looked up in the group first and
//! then in the enclosing groups, so a member of a repeating group writes
//! `relationship == 'child'`. Reserved names: `today` (the evaluation date),
//! `documents.<id>.present` / `.files` / `.from_database` (the submitted documents),
//! and in runtime guards only `form_valid` and `documents_complete`.
//!
//! # Types and missing values
//!
//! Types are `boolean`, `number` (IEEE double: exact for integers up to 2⁵³, so
//! money in đồng is exact), `text` (compared in Unicode NFC), `date`, `datetime`,
//! groups, lists (repeating groups and attachments) and `null`. A field with no value
//! is `null`. Arithmetic, ordering and most functions on `null` give `null`;
//! `a == null` tests for absence; `and`/`or` use three-valued logic
//! (`false and null` is `false`). A condition (`required_if`, `visible_if`, a guard)
//! that is `null` counts as false, and a rule whose check is `null` is not reported:
//! the missing field has its own `field_required` problem.
//!
//! # Functions
//!
//! | function | result |
//! |---|---|
//! | `present(x)` | `x` is not null, not an empty text and not an empty list |
//! | `len(text_or_list)` | characters (Unicode scalar values of the NFC form) or items |
//! | `count(list)`, `count(list, m -> cond)` | items, or items satisfying `cond` |
//! | `any(list, m -> cond)`, `all(list, m -> cond)` | quantifiers over a list |
//! | `date('2026-02-13')` | a date literal (checked at load) |
//! | `age_years(d)`, `age_months(d)` | whole years / months from `d` to today |
//! | `days_between(a, b)` | days from `a` to `b` (negative if `b` is earlier) |
//! | `add_days(d, n)`, `add_months(d, n)`, `add_years(d, n)` | date arithmetic (month ends clamp) |
//! | `year(d)`, `month(d)`, `day(d)` | parts of a date |
//! | `starts_with(t, p)`, `ends_with(t, p)`, `contains(t, p)` | text tests (NFC) |
//! | `min(a, b)`, `max(a, b)` | numbers, dates or texts |
//! | `if(cond, a, b)` | `a` when `cond` is true, else `b` |
//!
//! # Examples
//!
//! ```
//! use motcua::Form;
//! use chrono::NaiveDate;
//! use serde_json::json;
//!
//! let form = Form::from_yaml(r#"
//! form:
//!   fields:
//!     birth_date: {label: {vi: Ngày sinh}, type: date}
//!     members:
//!       label: {vi: Thành viên hộ gia đình}
//!       type: group
//!       repeat: {min: 0, max: 10}
//!       fields:
//!         age: {label: {vi: Tuổi}, type: integer}
//! "#, "form.yaml").unwrap();
//!
//! let e = form.compile_expr("age_years(birth_date) < 6 and any(members, m -> m.age >= 18)").unwrap();
//! let data = json!({"birth_date": "2022-05-01", "members": [{"age": 30}]});
//! let today = NaiveDate::from_ymd_opt(2026, 2, 13).unwrap();
//! assert!(form.eval_condition(&e, &data, &[], today).unwrap());
//!
//! // A typo is an error at load, with its place in the expression.
//! let err = form.compile_expr("age_years(brith_date) < 6").unwrap_err();
//! assert_eq!(err.code, motcua::Code::UnknownReference);
//! assert_eq!((err.span.start, err.span.end), (10, 20));
//!
//! // So is a type mismatch.
//! let err = form.compile_expr("birth_date > 6").unwrap_err();
//! assert_eq!(err.code, motcua::Code::TypeMismatch);
//! ```

pub(crate) mod check;
mod eval;
mod parser;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Message};

pub(crate) use check::{Schema, check, nearest_field, nearest_name};
pub(crate) use eval::{EvalCtx, Val, eval, eval_counted, parse_date, parse_datetime};
pub(crate) use parser::parse;

/// A half-open byte range `start..end` inside an expression's text.
///
/// ```
/// let s = motcua::expr::Span::new(3, 7);
/// assert_eq!(s.len(), 4);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    ///
    /// ```
    /// let span = motcua::expr::Span::new(4, 9);
    /// assert_eq!((span.start, span.end), (4, 9));
    /// ```
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Length in bytes.
    ///
    /// ```
    /// use motcua::expr::Span;
    ///
    /// assert_eq!(Span::new(4, 9).len(), 5);
    /// assert_eq!(Span::new(9, 4).len(), 0); // never negative
    /// ```
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span is empty (an error at the end of the text).
    ///
    /// ```
    /// use motcua::expr::Span;
    ///
    /// assert!(Span::new(7, 7).is_empty());
    /// assert!(!Span::new(0, 1).is_empty());
    /// ```
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// An error in an expression: a stable code, the byte span and a bilingual message.
///
/// Parse and type errors come from loading a spec; evaluation errors (division by
/// zero, fuel exhausted) from running one.
///
/// ```
/// let form = motcua::Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
/// let err = form.compile_expr("1 +").unwrap_err();
/// assert_eq!(err.code, motcua::Code::ExprSyntax);
/// assert_eq!(err.span.start, 3);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExprError {
    /// What kind of error.
    pub code: Code,
    /// Where in the expression text.
    pub span: Span,
    /// What is wrong, in Vietnamese and English.
    pub message: Message,
}

impl ExprError {
    pub(crate) fn new(code: Code, span: Span, message: Message) -> Self {
        ExprError { code, span, message }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}: [{}] {}", self.span.start, self.span.end, self.code, self.message.en)
    }
}

impl std::error::Error for ExprError {}

/// Bounds on the size and cost of expressions.
///
/// ```
/// let limits = motcua::expr::ExprLimits::default();
/// assert_eq!(limits.max_nodes, 256);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ExprLimits {
    /// Longest expression text, in bytes.
    pub max_bytes: usize,
    /// Most syntax nodes in one expression.
    pub max_nodes: usize,
    /// Deepest nesting of parentheses, lists, calls and prefix operators.
    pub max_depth: usize,
    /// Evaluation steps one evaluation may take (each node visited costs one).
    pub fuel: u64,
    /// Evaluation steps one whole form validation may take, over every rule, condition
    /// and bound of every item: a large repeating group cannot make a validation slow.
    pub validation_fuel: u64,
    /// Largest `repeat.max` a repeating group may declare.
    pub max_repeat: u32,
}

impl Default for ExprLimits {
    fn default() -> Self {
        ExprLimits {
            max_bytes: 4096,
            max_nodes: 256,
            max_depth: 32,
            fuel: 100_000,
            validation_fuel: 1_000_000,
            max_repeat: 1000,
        }
    }
}

/// An opaque identifier of a group of fields inside one [`Form`](crate::Form).
///
/// ```
/// # use motcua::{Form, expr::Type};
/// let form = Form::from_yaml("form:\n  fields:\n    child:\n      label: {vi: Trẻ}\n      type: group\n      fields: {}\n", "f.yaml").unwrap();
/// assert!(matches!(form.compile_expr("child").unwrap().result_type(), Type::Record(_)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GroupId(pub(crate) u32);

/// The static type of an expression or a field.
///
/// ```
/// use motcua::{Form, expr::Type};
/// let form = Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
/// assert_eq!(form.compile_expr("age_years(today) + 1").unwrap().result_type(), &Type::Number);
/// assert_eq!(Type::Date.to_string(), "date");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Type {
    /// `null` only (the literal).
    Null,
    /// `true` / `false`.
    Bool,
    /// A number (integer, decimal or money).
    Number,
    /// A text (also phone, email, identifiers, codes).
    Text,
    /// A calendar date.
    Date,
    /// A local date and time.
    DateTime,
    /// A group of fields.
    Record(GroupId),
    /// One attachment's metadata: `name`, `media_type`, `size`.
    File,
    /// A list: a repeating group or an attachment field.
    List(Box<Type>),
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Null => f.write_str("null"),
            Type::Bool => f.write_str("boolean"),
            Type::Number => f.write_str("number"),
            Type::Text => f.write_str("text"),
            Type::Date => f.write_str("date"),
            Type::DateTime => f.write_str("datetime"),
            Type::Record(_) => f.write_str("group"),
            Type::File => f.write_str("file"),
            Type::List(inner) => write!(f, "list of {inner}"),
        }
    }
}

impl Type {
    /// The Vietnamese name of the type, for messages.
    pub(crate) fn vi(&self) -> String {
        match self {
            Type::Null => "null".into(),
            Type::Bool => "đúng/sai".into(),
            Type::Number => "số".into(),
            Type::Text => "văn bản".into(),
            Type::Date => "ngày".into(),
            Type::DateTime => "ngày giờ".into(),
            Type::Record(_) => "nhóm trường".into(),
            Type::File => "tệp".into(),
            Type::List(inner) => format!("danh sách {}", inner.vi()),
        }
    }
}

/// The value of an evaluated expression.
///
/// ```
/// use motcua::{Form, expr::Value};
/// use chrono::NaiveDate;
/// let form = Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
/// let e = form.compile_expr("add_days(date('2026-02-13'), 3)").unwrap();
/// let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
/// let v = form.eval(&e, &serde_json::json!({}), &[], today).unwrap();
/// assert_eq!(v, Value::Date(NaiveDate::from_ymd_opt(2026, 2, 16).unwrap()));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// No value.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A text, in NFC.
    Text(String),
    /// A date.
    Date(chrono::NaiveDate),
    /// A local date and time.
    DateTime(chrono::NaiveDateTime),
    /// A group, list or attachment, as the JSON it was read from.
    Json(serde_json::Value),
}

/// A parsed, type-checked expression, ready to evaluate against a form's data.
///
/// Made by [`Form::compile_expr`](crate::Form::compile_expr) or [`Form::parse_guard`](crate::Form::parse_guard).
///
/// ```
/// let form = motcua::Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
/// let e = form.compile_expr("1 + 2 == 3").unwrap();
/// assert_eq!(e.source(), "1 + 2 == 3");
/// ```
#[derive(Clone, Debug)]
pub struct CompiledExpr {
    pub(crate) source: String,
    pub(crate) node: check::Node,
    pub(crate) ty: Type,
    pub(crate) scope: GroupId,
}

impl CompiledExpr {
    /// The text the expression was compiled from.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields:\n    age: {label: {vi: Tuổi}, type: integer}\n", "f.yaml").unwrap();
    /// assert_eq!(form.compile_expr("age >= 18").unwrap().source(), "age >= 18");
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The static type of the result.
    ///
    /// ```
    /// use motcua::expr::Type;
    ///
    /// let form = motcua::Form::from_yaml("form:\n  fields:\n    age: {label: {vi: Tuổi}, type: integer}\n", "f.yaml").unwrap();
    /// assert_eq!(form.compile_expr("age >= 18").unwrap().result_type(), &Type::Bool);
    /// assert_eq!(form.compile_expr("age + 1").unwrap().result_type(), &Type::Number);
    /// ```
    pub fn result_type(&self) -> &Type {
        &self.ty
    }
}
