//! Validation of form data and submitted documents: every problem, with its path.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Number, Value as Json};

use super::{CBound, Document, Field, Form, Group, GroupId, Problem, Rule, SubmittedDocument, Validation, ids, nfc};
use crate::diagnostic::{Code, Message};
use crate::expr::{self, CompiledExpr, EvalCtx, Val};
use crate::spec::form::FieldType;
use crate::text::Text;

/// At most this many problems are reported; then one `limit_exceeded`.
pub(super) const MAX_PROBLEMS: usize = 1000;

/// `parent.key`, or `parent['key']` when the key is not a plain name.
pub(super) fn child_path(parent: &str, key: &str) -> String {
    let plain = key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if plain {
        format!("{parent}.{key}")
    } else {
        let escaped = key.replace('\\', "\\\\").replace('\'', "\\'");
        format!("{parent}['{escaped}']")
    }
}

/// Where a value stands; the JSON path string is built only when a problem needs it.
#[derive(Clone, Copy)]
enum At<'p> {
    Path(&'p str),
    Key(&'p str, &'p str),
    Index(&'p str, usize),
}

impl At<'_> {
    fn path(self) -> String {
        match self {
            At::Path(p) => p.to_owned(),
            At::Key(parent, key) => child_path(parent, key),
            At::Index(parent, i) => format!("{parent}[{i}]"),
        }
    }
}

fn num(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Json::from(n as i64)
    } else {
        Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

fn params<const N: usize>(pairs: [(&str, Json); N]) -> Map<String, Json> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn absent(value: Option<&Json>, kind: FieldType) -> bool {
    match value {
        None | Some(Json::Null) => true,
        Some(Json::String(s)) => s.trim().is_empty(),
        Some(Json::Array(a)) => a.is_empty() && kind == FieldType::Attachment,
        _ => false,
    }
}

/// A comparable value of a number, date or date-time field or bound.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Ord3 {
    Num(f64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl Ord3 {
    fn json(self) -> Json {
        match self {
            Ord3::Num(n) => num(n),
            Ord3::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
            Ord3::DateTime(d) => Json::String(d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        }
    }

    fn comparable(self, other: Ord3) -> bool {
        matches!(
            (self, other),
            (Ord3::Num(_), Ord3::Num(_)) | (Ord3::Date(_), Ord3::Date(_)) | (Ord3::DateTime(_), Ord3::DateTime(_))
        )
    }
}

pub(super) struct Validator<'a> {
    form: &'a Form,
    today: NaiveDate,
    documents: &'a [SubmittedDocument],
    pub(super) problems: Vec<Problem>,
    full: bool,
    /// Evaluation steps left for the whole validation.
    pub(super) fuel: u64,
    /// Whether nested groups are left to the caller (the form session builds them itself).
    shallow: bool,
}

impl<'a> Validator<'a> {
    /// A validator for one part of a form (the form session checks parts).
    pub(super) fn part(form: &'a Form, today: NaiveDate, documents: &'a [SubmittedDocument]) -> Self {
        let fuel = form.limits.validation_fuel;
        Validator { form, today, documents, problems: Vec::new(), full: false, fuel, shallow: true }
    }

    /// Wrong-type problem of a repeating group's item that is not an object.
    pub(super) fn bad_item(&mut self, path: &str, label: &Text) {
        self.wrong_type(At::Path(path), "object", label);
    }
}

impl Form {
    /// Validates form data and submitted documents, reporting every problem.
    ///
    /// `today` is the date relative dates are checked against (the engine never reads
    /// a clock). Problems come in form order, then documents; each has a JSON path, a
    /// stable code, parameters and messages in Vietnamese and English. Hidden fields
    /// (`visible_if` false) are not validated. At most 1000 problems are reported.
    ///
    /// ```
    /// use motcua::{Code, Form};
    /// let form = Form::from_yaml(r#"
    /// form:
    ///   fields:
    ///     members:
    ///       label: {vi: Thành viên, en: Members}
    ///       type: group
    ///       repeat: {min: 1, max: 5}
    ///       fields:
    ///         citizen_id: {label: {vi: Số định danh}, type: citizen_id, required: true}
    /// "#, "f.yaml").unwrap();
    /// let data = serde_json::json!({"members": [{"citizen_id": "001090012345"}, {}, {"citizen_id": "1"}]});
    /// let v = form.validate(&data, &[], chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    /// let paths: Vec<_> = v.problems.iter().map(|p| (p.path.as_str(), p.code)).collect();
    /// assert_eq!(paths, [("$.members[1].citizen_id", Code::FieldRequired), ("$.members[2].citizen_id", Code::InvalidCitizenId)]);
    /// ```
    pub fn validate(&self, data: &Json, documents: &[SubmittedDocument], today: NaiveDate) -> Validation {
        let fuel = self.limits.validation_fuel;
        let mut v = Validator { form: self, today, documents, problems: Vec::new(), full: false, fuel, shallow: false };
        let empty = Map::new();
        let root = match data {
            Json::Object(m) => m,
            _ => {
                v.push("$".into(), Code::FieldType, params([("expected", "object".into())]), None);
                &empty
            }
        };
        let mut scopes = Vec::new();
        v.group(GroupId(0), root, "$", &mut scopes);
        v.documents(root);
        Validation { problems: v.problems }
    }
}

impl<'a> Validator<'a> {
    fn push(&mut self, path: String, code: Code, params: Map<String, Json>, label: Option<&Text>) {
        if self.full {
            return;
        }
        if self.problems.len() >= MAX_PROBLEMS {
            self.full = true;
            let p = params_limit();
            let m = &self.form.messages;
            self.problems.push(Problem {
                path: "$".into(),
                code: Code::LimitExceeded,
                message: Message::new(
                    m.render("vi", "limit_exceeded", None, &p),
                    m.render("en", "limit_exceeded", None, &p),
                ),
                params: p,
                label: None,
            });
            return;
        }
        let key = match params.get("reason").and_then(Json::as_str) {
            Some(r) => format!("{}.{r}", code.as_str()),
            None => code.as_str().to_owned(),
        };
        let m = &self.form.messages;
        let message = Message::new(m.render("vi", &key, label, &params), m.render("en", &key, label, &params));
        self.problems.push(Problem { path, code, params, label: label.cloned(), message });
    }

    fn push_message(&mut self, path: String, code: Code, params: Map<String, Json>, label: Option<&Text>, text: &Text) {
        let before = self.problems.len();
        self.push(path, code, params, label);
        if self.problems.len() > before
            && !self.full
            && let Some(p) = self.problems.last_mut()
        {
            p.message = Message::new(text.vi.clone(), text.get("en"));
        }
    }

    fn ctx<'b>(&self, scopes: &'b [&'a Map<String, Json>]) -> EvalCtx<'a, 'b> {
        EvalCtx {
            scopes,
            today: self.today,
            documents: self.documents,
            form_valid: None,
            documents_complete: None,
            fuel: self.form.limits.fuel.min(self.fuel),
        }
    }

    /// Evaluates an expression; an error becomes an `expression_failed` problem.
    fn eval(
        &mut self,
        e: &'a CompiledExpr,
        scopes: &[&'a Map<String, Json>],
        at: At<'_>,
        label: Option<&Text>,
    ) -> Option<Val<'a>> {
        if self.fuel == 0 {
            return None; // already reported once
        }
        let (result, used) = expr::eval_counted(&e.node, &self.ctx(scopes));
        self.fuel -= used;
        match result {
            Ok(v) => Some(v),
            Err(_) if self.fuel == 0 => {
                let p = params([("steps", self.form.limits.validation_fuel.into())]);
                self.push("$".into(), Code::LimitExceeded, p, None);
                None
            }
            Err(err) => {
                let p = params([("expression", e.source.clone().into()), ("error", err.message.en.into())]);
                self.push(at.path(), Code::ExpressionFailed, p, label);
                None
            }
        }
    }

    fn cond(
        &mut self,
        e: &'a CompiledExpr,
        scopes: &[&'a Map<String, Json>],
        at: At<'_>,
        label: &Text,
    ) -> Option<bool> {
        self.eval(e, scopes, at, Some(label)).map(|v| v == Val::Bool(true))
    }

    fn group(&mut self, gid: GroupId, obj: &'a Map<String, Json>, path: &str, scopes: &mut Vec<&'a Map<String, Json>>) {
        let form = self.form;
        let Some(group) = form.groups.get(gid.0 as usize) else {
            return;
        };
        scopes.push(obj);
        let (values, unexpected) = field_values(group, obj);
        for (field, &value) in group.fields.iter().zip(&values) {
            self.field(field, value, path, scopes);
        }
        self.unexpected(path, &unexpected);
        for rule in &group.rules {
            self.rule(rule, path, scopes);
        }
        scopes.pop();
    }

    /// One field of a group instance at `path`: visibility, presence, value. Returns whether
    /// the value itself was checked (for a group, whether its items were reached).
    pub(super) fn field(
        &mut self,
        field: &'a Field,
        value: Option<&'a Json>,
        path: &str,
        scopes: &mut Vec<&'a Map<String, Json>>,
    ) -> bool {
        let at = At::Key(path, &field.id);
        if let Some(vis) = &field.visible_if
            && self.cond(vis, scopes, at, &field.label) == Some(false)
        {
            return false;
        }
        if absent(value, field.kind) {
            let required = field.required
                || match &field.required_if {
                    Some(e) => self.cond(e, scopes, at, &field.label) == Some(true),
                    None => false,
                };
            if required {
                self.push(at.path(), Code::FieldRequired, Map::new(), Some(&field.label));
            }
            return false;
        }
        if let Some(value) = value {
            self.value(field, value, at, scopes);
            return true;
        }
        false
    }

    /// The keys of a group instance that the form does not know.
    pub(super) fn unexpected(&mut self, path: &str, keys: &[&str]) {
        for key in keys {
            let p = params([("field", (*key).into())]);
            self.push(child_path(path, key), Code::UnexpectedField, p, None);
        }
    }

    /// One cross-field rule of a group instance at `path`.
    pub(super) fn rule(&mut self, rule: &'a Rule, path: &str, scopes: &[&'a Map<String, Json>]) {
        let rpath = format!("{path}{}", rule.field);
        let label = rule.label.as_ref();
        if let Some(when) = &rule.when
            && self.eval(when, scopes, At::Path(&rpath), label) != Some(Val::Bool(true))
        {
            return;
        }
        if self.eval(&rule.check, scopes, At::Path(&rpath), label) == Some(Val::Bool(false)) {
            let p = params([("rule", rule.id.clone().into())]);
            self.push_message(rpath, Code::RuleViolated, p, label, &rule.message);
        }
    }

    fn wrong_type(&mut self, at: At<'_>, expected: &str, label: &Text) {
        let p = params([("expected", expected.into())]);
        self.push(at.path(), Code::FieldType, p, Some(label));
    }

    fn value(&mut self, field: &'a Field, value: &'a Json, at: At<'_>, scopes: &mut Vec<&'a Map<String, Json>>) {
        let label = &field.label;
        let kind = field.kind;
        if kind.is_textual() {
            let Some(raw) = value.as_str() else {
                return self.wrong_type(at, "text", label);
            };
            let s = nfc(raw);
            if let Some((index, c)) = s.chars().enumerate().find(|&(_, c)| !allowed_in_text(c, field.multiline)) {
                let p = params([("position", (index + 1).into()), ("char", format!("U+{:04X}", u32::from(c)).into())]);
                self.push(at.path(), Code::ControlCharacter, p, Some(label));
                return;
            }
            let len = s.chars().count();
            if let Some(min) = field.min_length
                && len < min as usize
            {
                self.push(
                    at.path(),
                    Code::TooShort,
                    params([("min", min.into()), ("length", len.into())]),
                    Some(label),
                );
            }
            if let Some(max) = field.max_length
                && len > max as usize
            {
                self.push(at.path(), Code::TooLong, params([("max", max.into()), ("length", len.into())]), Some(label));
            }
            let this_year = chrono::Datelike::year(&self.today);
            let failure = match kind {
                FieldType::Text => {
                    if let Some(re) = &field.pattern
                        && !re.is_match(&s)
                    {
                        match &field.pattern_message {
                            Some(text) => {
                                self.push_message(at.path(), Code::PatternMismatch, Map::new(), Some(label), text)
                            }
                            None => self.push(at.path(), Code::PatternMismatch, Map::new(), Some(label)),
                        }
                    }
                    None
                }
                FieldType::Code => {
                    if !field.codes.iter().any(|c| *c == *s) {
                        let p = params([("value", s.clone().into_owned().into())]);
                        self.push(at.path(), Code::NotInCodeList, p, Some(label));
                    }
                    None
                }
                FieldType::Phone => ids::phone(&s).err().map(|r| (Code::InvalidFormat, r)),
                FieldType::Email => ids::email(&s).err().map(|r| (Code::InvalidFormat, r)),
                FieldType::CitizenId => ids::citizen_id(&s, this_year, self.form.citizen_id_provinces.as_deref())
                    .err()
                    .map(|r| (Code::InvalidCitizenId, r)),
                FieldType::TaxCode => ids::tax_code(&s).err().map(|r| (Code::InvalidTaxCode, r)),
                FieldType::AdminUnit => ids::admin_unit(&s, field.level).err().map(|r| (Code::InvalidFormat, r)),
                _ => None,
            };
            if let Some((code, reason)) = failure {
                self.push(at.path(), code, params([("reason", reason.into())]), Some(label));
            }
            return;
        }
        match kind {
            FieldType::Integer | FieldType::Money | FieldType::Decimal => {
                let Some(n) = value.as_f64() else {
                    return self.wrong_type(at, "number", label);
                };
                if kind != FieldType::Decimal && (n.fract() != 0.0 || (kind == FieldType::Money && n < 0.0)) {
                    let p = if kind == FieldType::Money { params([("reason", "money".into())]) } else { Map::new() };
                    self.push(at.path(), Code::NotInteger, p, Some(label));
                    return;
                }
                self.bounds(field, Ord3::Num(n), at, scopes);
            }
            FieldType::Boolean if !value.is_boolean() => {
                self.wrong_type(at, "boolean", label);
            }
            FieldType::Date | FieldType::Datetime => {
                let parsed = value.as_str().and_then(|s| {
                    if kind == FieldType::Date {
                        expr::parse_date(s).map(Ord3::Date)
                    } else {
                        expr::parse_datetime(s).map(Ord3::DateTime)
                    }
                });
                match parsed {
                    Some(v) => self.bounds(field, v, at, scopes),
                    None => {
                        let reason = if kind == FieldType::Date { "date" } else { "datetime" };
                        self.push(at.path(), Code::InvalidFormat, params([("reason", reason.into())]), Some(label));
                    }
                }
            }
            FieldType::Attachment => self.attachment(field, value, at),
            FieldType::Group => self.nested(field, value, at, scopes),
            _ => {}
        }
    }

    fn bound(&mut self, b: &'a CBound, scopes: &[&'a Map<String, Json>], at: At<'_>, label: &Text) -> Option<Ord3> {
        match b {
            CBound::Num(n) => Some(Ord3::Num(*n)),
            CBound::Date(d) => Some(Ord3::Date(*d)),
            CBound::Expr(e) => match self.eval(e, scopes, at, Some(label))? {
                Val::Num(n) => Some(Ord3::Num(n)),
                Val::Date(d) => Some(Ord3::Date(d)),
                Val::DateTime(d) => Some(Ord3::DateTime(d)),
                _ => None,
            },
        }
    }

    fn bounds(&mut self, field: &'a Field, v: Ord3, at: At<'_>, scopes: &[&'a Map<String, Json>]) {
        let dated = !matches!(v, Ord3::Num(_));
        for (bound, is_min) in [(&field.min, true), (&field.max, false)] {
            let Some(b) = bound else { continue };
            let Some(limit) = self.bound(b, scopes, at, &field.label) else {
                continue;
            };
            if !v.comparable(limit) {
                continue;
            }
            let broken = if is_min { v < limit } else { v > limit };
            if broken {
                let (code, key) = if is_min { (Code::BelowMinimum, "min") } else { (Code::AboveMaximum, "max") };
                let mut p = params([(key, limit.json())]);
                if dated {
                    p.insert("reason".into(), "date".into());
                }
                self.push(at.path(), code, p, Some(&field.label));
            }
        }
    }

    fn attachment(&mut self, field: &'a Field, value: &'a Json, at: At<'_>) {
        let label = &field.label;
        let Some(items) = value.as_array() else {
            return self.wrong_type(at, "list of files", label);
        };
        let path = at.path();
        if let Some(max) = field.max_files
            && items.len() > max as usize
        {
            self.push(at.path(), Code::TooManyItems, params([("max", max.into())]), Some(label));
        }
        for (i, item) in items.iter().enumerate() {
            let ipath = At::Index(&path, i);
            let meta = item.as_object().and_then(|o| {
                let media = o.get("media_type")?.as_str()?;
                let size = o.get("size")?.as_u64()?;
                o.get("name")?.as_str()?;
                (o.len() == 3).then_some((media, size))
            });
            let Some((media, size)) = meta else {
                self.wrong_type(ipath, "file {name, media_type, size}", label);
                continue;
            };
            self.file(&field.media_types, field.max_size, media, size, ipath, label);
        }
    }

    fn file(&mut self, accepted: &[String], max_size: Option<u64>, media: &str, size: u64, at: At<'_>, label: &Text) {
        let media = media.to_ascii_lowercase();
        let ok = accepted.is_empty()
            || accepted.iter().any(|a| match a.strip_suffix('*') {
                Some(prefix) => media.starts_with(prefix),
                None => *a == media,
            });
        if !ok {
            let p = params([("media_type", media.clone().into()), ("accepted", accepted.join(", ").into())]);
            self.push(at.path(), Code::MediaTypeNotAccepted, p, Some(label));
        }
        if let Some(max) = max_size
            && size > max
        {
            self.push(
                at.path(),
                Code::FileTooLarge,
                params([("max_size", max.into()), ("size", size.into())]),
                Some(label),
            );
        }
    }

    fn nested(&mut self, field: &'a Field, value: &'a Json, at: At<'_>, scopes: &mut Vec<&'a Map<String, Json>>) {
        let Some(gid) = field.group else { return };
        let label = &field.label;
        let path = at.path();
        let Some(repeat) = field.repeat else {
            match value.as_object() {
                Some(_) if self.shallow => {}
                Some(obj) => self.group(gid, obj, &path, scopes),
                None => self.wrong_type(at, "object", label),
            }
            return;
        };
        let Some(items) = value.as_array() else {
            return self.wrong_type(at, "list", label);
        };
        if items.len() < repeat.min as usize {
            self.push(
                at.path(),
                Code::TooFewItems,
                params([("min", repeat.min.into()), ("count", items.len().into())]),
                Some(label),
            );
        }
        if items.len() > repeat.max as usize {
            self.push(
                at.path(),
                Code::TooManyItems,
                params([("max", repeat.max.into()), ("count", items.len().into())]),
                Some(label),
            );
        }
        if self.shallow {
            return;
        }
        // Items past the maximum are not validated: the cost stays bounded by the form.
        for (i, item) in items.iter().take(repeat.max as usize).enumerate() {
            let ipath = format!("{path}[{i}]");
            match item.as_object() {
                Some(obj) => self.group(gid, obj, &ipath, scopes),
                None => self.wrong_type(At::Path(&ipath), "object", label),
            }
        }
    }

    fn documents(&mut self, root: &'a Map<String, Json>) {
        for doc in &self.form.documents {
            self.document(doc, root);
        }
        self.unknown_documents();
    }

    /// One item of the checklist against the submitted documents.
    pub(super) fn document(&mut self, doc: &'a Document, root: &'a Map<String, Json>) {
        let scopes = [root];
        let path = child_path("$.documents", &doc.id);
        let name = &doc.spec.name;
        let required = match &doc.required_if {
            Some(e) => self.cond(e, &scopes, At::Path(&path), name) == Some(true),
            None => doc.spec.required.unwrap_or(true),
        };
        let submitted: Vec<&SubmittedDocument> =
            self.documents.iter().filter(|d| d.id == doc.id && d.is_present()).collect();
        if submitted.is_empty() {
            if required {
                self.push(path, Code::DocumentMissing, Map::new(), Some(name));
            }
            return;
        }
        for s in submitted {
            if let Some(db) = &s.from_database {
                if doc.spec.replaceable_by.as_deref() != Some(db.as_str()) {
                    let p = params([("database", db.clone().into())]);
                    self.push(path.clone(), Code::NotReplaceable, p, Some(name));
                }
            } else if !s.files.is_empty() {
                let accepted = doc.spec.formats.as_deref().unwrap_or(&[]);
                for (i, f) in s.files.iter().enumerate() {
                    let fpath = format!("{path}.files[{i}]");
                    self.file(accepted, doc.spec.max_size, &f.media_type, f.size, At::Path(&fpath), name);
                }
            } else if s.originals < doc.spec.originals || s.copies < doc.spec.copies {
                let p = params([("originals", doc.spec.originals.into()), ("copies", doc.spec.copies.into())]);
                self.push(path.clone(), Code::DocumentCount, p, Some(name));
            }
        }
    }

    /// Submitted documents the checklist does not name.
    pub(super) fn unknown_documents(&mut self) {
        let form = self.form;
        for s in self.documents {
            if !form.documents.iter().any(|d| d.id == s.id) {
                let p = params([("document", s.id.clone().into())]);
                self.push(child_path("$.documents", &s.id), Code::UnknownDocument, p, None);
            }
        }
    }
}

/// Each field's value in `obj` (in field order), and the keys the group does not know.
pub(super) fn field_values<'a>(group: &Group, obj: &'a Map<String, Json>) -> (Vec<Option<&'a Json>>, Vec<&'a str>) {
    // One merge over the object's keys (sorted) and the field ids (sorted): each
    // field's value, and the keys the form does not know.
    let mut values: Vec<Option<&'a Json>> = vec![None; group.fields.len()];
    let mut unexpected: Vec<&'a str> = Vec::new();
    let mut entries = obj.iter().peekable();
    let mut last: &str = "";
    let mut sorted = true;
    'merge: for &fi in &group.sorted {
        let id = group.fields[fi].id.as_str();
        while let Some(&(key, value)) = entries.peek() {
            if key.as_str() < last {
                sorted = false;
                break 'merge;
            }
            last = key;
            match key.as_str().cmp(id) {
                std::cmp::Ordering::Less => unexpected.push(key),
                std::cmp::Ordering::Equal => values[fi] = Some(value),
                std::cmp::Ordering::Greater => break,
            }
            entries.next();
        }
    }
    if sorted {
        unexpected.extend(entries.map(|(k, _)| k.as_str()));
    } else {
        // serde_json's `preserve_order` feature keeps insertion order: look keys up.
        unexpected.clear();
        for (fi, field) in group.fields.iter().enumerate() {
            values[fi] = obj.get(&field.id);
        }
        unexpected.extend(obj.keys().filter(|k| !group.fields.iter().any(|f| f.id == **k)).map(String::as_str));
    }
    (values, unexpected)
}

fn params_limit() -> Map<String, Json> {
    params([("max", MAX_PROBLEMS.into())])
}

/// Whether a character may stand in a submitted text: no control characters (line breaks
/// and tabs only where the field is `multiline`), no bidirectional embeddings, overrides,
/// isolates or marks, which can reorder what a printed slip shows.
fn allowed_in_text(c: char, multiline: bool) -> bool {
    if c.is_control() {
        return multiline && matches!(c, '\n' | '\r' | '\t');
    }
    !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_escape_odd_keys() {
        assert_eq!(child_path("$", "name"), "$.name");
        assert_eq!(child_path("$", "họ tên"), "$['họ tên']");
        assert_eq!(child_path("$", "a'b"), "$['a\\'b']");
        assert_eq!(child_path("$", "1a"), "$['1a']");
    }

    #[test]
    fn numbers_in_params_are_integers_when_whole() {
        assert_eq!(num(3.0), Json::from(3));
        assert_eq!(num(2.5), serde_json::json!(2.5));
    }
}
