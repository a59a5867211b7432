//! `FormSpec` + documents → [`Form`]: names, types, constraints, expressions, patterns.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::{CBound, Document, Field, Form, Group, Messages, Rule, SchemaGroup, SchemaTable};
use crate::diagnostic::{Code, Diagnostic, Message};
use crate::expr::{self, CompiledExpr, ExprError, ExprLimits, GroupId, Type};
use crate::spec::form::{Bound, DocumentSpec, FieldSpec, FieldType, FormSpec, RuleSpec};
use crate::spec::source::{Part, SourceMap, join};

/// Names no field or document may take.
const RESERVED: &[&str] =
    &["today", "documents", "form_valid", "documents_complete", "and", "or", "not", "in", "true", "false", "null"];

/// Whether `name` is ASCII `snake_case`: `[a-z][a-z0-9_]*`.
pub(crate) fn is_snake_case(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn media_type_ok(m: &str) -> bool {
    let Some((top, sub)) = m.split_once('/') else {
        return false;
    };
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    token(top) && (sub == "*" || token(sub))
}

/// Parses and type-checks `text` in `scope`.
pub(crate) fn compile_expr(
    schema: &SchemaTable,
    limits: &ExprLimits,
    text: &str,
    scope: GroupId,
    guard: bool,
) -> Result<CompiledExpr, ExprError> {
    let ast = expr::parse(text, limits)?;
    let (node, ty) = expr::check(&ast, schema, scope, guard)?;
    Ok(CompiledExpr { source: text.to_owned(), node, ty, scope })
}

/// The expression's type must be `want` (or `null`).
pub(crate) fn expect_type(e: &CompiledExpr, want: &Type) -> Result<(), ExprError> {
    if e.ty == *want || e.ty == Type::Null {
        return Ok(());
    }
    Err(ExprError::new(
        Code::TypeMismatch,
        expr::Span::new(0, e.source.len()),
        Message::new(
            format!("Biểu thức cần có kiểu {}, nhưng có kiểu {}", want.vi(), e.ty.vi()),
            format!("the expression must be a {want}, but it is a {}", e.ty),
        ),
    ))
}

/// Whether a guard needs the validation result (`form_valid`, `documents_complete`).
pub(crate) fn uses_validation(node: &expr::check::Node) -> bool {
    expr::check::any_node(node, &|k| {
        matches!(k, expr::check::NodeKind::FormValid | expr::check::NodeKind::DocumentsComplete)
    })
}

struct Pending<'s> {
    group: GroupId,
    index: usize,
    spec: &'s FieldSpec,
    path: String,
}

struct PendingRules<'s> {
    group: GroupId,
    rules: &'s IndexMap<String, RuleSpec>,
    path: String,
}

struct Compiler<'a> {
    map: &'a SourceMap,
    schema: SchemaTable,
    groups: Vec<Group>,
    limits: ExprLimits,
    problems: Vec<Diagnostic>,
    /// Where each field is declared, by group and id: the label of a "did you mean".
    field_paths: HashMap<(u32, String), String>,
    /// Where the document checklist is (`documents`, under the base path).
    docs_path: String,
}

/// Compiles a form and its document checklist, placing every problem with `map`
/// (errors inside expressions get the exact column within the YAML value).
///
/// `base_path` is the dotted path of the mapping holding the `form:` and `documents:`
/// keys (empty for the document root).
pub(crate) fn compile(
    form: &FormSpec,
    documents: &IndexMap<String, DocumentSpec>,
    map: &SourceMap,
    base_path: &str,
) -> Result<Form, Vec<Diagnostic>> {
    let mut c = Compiler {
        map,
        schema: SchemaTable { groups: Vec::new(), documents: documents.keys().cloned().collect() },
        groups: Vec::new(),
        limits: ExprLimits::default(),
        problems: Vec::new(),
        field_paths: HashMap::new(),
        docs_path: join(base_path, "documents"),
    };
    let form_path = join(base_path, "form");
    let docs_path = c.docs_path.clone();
    let mut pending = Vec::new();
    let mut pending_rules = Vec::new();
    c.build_group(&form.fields, None, &join(&form_path, "fields"), &mut pending);
    if !form.rules.is_empty() {
        pending_rules.push(PendingRules { group: GroupId(0), rules: &form.rules, path: join(&form_path, "rules") });
    }
    for p in &pending {
        if let Some(rules) = &p.spec.rules
            && let Some(g) = c.groups[p.group.0 as usize].fields[p.index].group
        {
            pending_rules.push(PendingRules { group: g, rules, path: join(&p.path, "rules") });
        }
    }
    for p in &pending {
        c.field_exprs(p);
    }
    for r in &pending_rules {
        c.rules(r);
    }
    let mut docs = Vec::new();
    for (id, spec) in documents {
        if let Some(d) = c.document(id, spec, &join(&docs_path, id)) {
            docs.push(d);
        }
    }
    if c.problems.iter().any(Diagnostic::is_error) {
        return Err(c.problems);
    }
    Ok(Form {
        file: map.file().to_owned(),
        title: form.title.clone(),
        schema: c.schema,
        groups: c.groups,
        documents: docs,
        limits: c.limits,
        messages: Messages::builtin(),
        citizen_id_provinces: None,
        deps: std::sync::OnceLock::new(),
    })
}

fn field_type(kind: FieldType, group: Option<GroupId>, repeating: bool) -> Type {
    match kind {
        FieldType::Text
        | FieldType::Code
        | FieldType::Phone
        | FieldType::Email
        | FieldType::CitizenId
        | FieldType::TaxCode
        | FieldType::AdminUnit => Type::Text,
        FieldType::Integer | FieldType::Decimal | FieldType::Money => Type::Number,
        FieldType::Boolean => Type::Bool,
        FieldType::Date => Type::Date,
        FieldType::Datetime => Type::DateTime,
        FieldType::Attachment => Type::List(Box::new(Type::File)),
        FieldType::Group => {
            let record = Type::Record(group.unwrap_or(GroupId(0)));
            if repeating { Type::List(Box::new(record)) } else { record }
        }
    }
}

impl<'a> Compiler<'a> {
    fn error(&mut self, code: Code, path: &str, part: Part, vi: String, en: String) {
        self.problems.push(self.map.diagnostic(code, path, part, Message::new(vi, en)));
    }

    fn build_group<'s>(
        &mut self,
        fields: &'s IndexMap<String, FieldSpec>,
        parent: Option<GroupId>,
        path: &str,
        pending: &mut Vec<Pending<'s>>,
    ) -> GroupId {
        let id = GroupId(u32::try_from(self.groups.len()).unwrap_or(u32::MAX));
        self.groups.push(Group::default());
        self.schema.groups.push(SchemaGroup { parent, fields: IndexMap::new() });
        for (name, spec) in fields {
            let fpath = join(path, name);
            if !is_snake_case(name) || RESERVED.contains(&name.as_str()) {
                self.error(
                    Code::InvalidName,
                    &fpath,
                    Part::Key,
                    format!("Tên trường `{name}` phải viết chữ thường ASCII dạng snake_case và không trùng từ dành riêng ({})", RESERVED.join(", ")),
                    format!("field name `{name}` must be ASCII snake_case and not a reserved word ({})", RESERVED.join(", ")),
                );
            }
            self.check_constraints(spec, &fpath);
            let child = match (&spec.kind, &spec.fields) {
                (FieldType::Group, Some(sub)) => {
                    Some(self.build_group(sub, Some(id), &join(&fpath, "fields"), pending))
                }
                _ => None,
            };
            let ty = field_type(spec.kind, child, spec.repeat.is_some());
            let codes: Vec<String> = spec.codes.as_ref().map(|c| c.keys().cloned().collect()).unwrap_or_default();
            let pattern = spec.pattern.as_ref().and_then(|p| self.pattern(p, &fpath));
            let media_types = spec
                .media_types
                .as_ref()
                .map(|m| m.iter().map(|s| s.to_ascii_lowercase()).collect())
                .unwrap_or_default();
            let group = &mut self.groups[id.0 as usize];
            let index = group.fields.len();
            group.fields.push(Field {
                id: name.clone(),
                label: spec.label.clone(),
                kind: spec.kind,
                required: spec.required,
                required_if: None,
                visible_if: None,
                min_length: spec.min_length,
                max_length: spec.max_length,
                min: None,
                max: None,
                pattern,
                pattern_message: spec.pattern_message.clone(),
                multiline: spec.multiline,
                codes: codes.clone(),
                level: spec.level,
                media_types,
                max_size: spec.max_size,
                max_files: spec.max_files,
                repeat: spec.repeat,
                group: child,
            });
            self.schema.groups[id.0 as usize].fields.insert(name.clone(), (ty, codes));
            let group = &mut self.groups[id.0 as usize];
            group.sorted = (0..group.fields.len()).collect();
            let fields = &group.fields;
            group.sorted.sort_by(|&a, &b| fields[a].id.cmp(&fields[b].id));
            self.field_paths.insert((id.0, name.clone()), fpath.clone());
            pending.push(Pending { group: id, index, spec, path: fpath });
        }
        id
    }

    fn pattern(&mut self, pattern: &str, path: &str) -> Option<super::pattern::Pattern> {
        match super::pattern::Pattern::new(pattern) {
            Ok(re) => Some(re),
            Err(e) => {
                let p = join(path, "pattern");
                self.error(
                    Code::InvalidPattern,
                    &p,
                    Part::Value,
                    format!("Mẫu kiểm tra không hợp lệ: {e}"),
                    format!("invalid pattern: {e}"),
                );
                None
            }
        }
    }

    /// Constraints that do not fit the field's type, and inconsistent bounds.
    fn check_constraints(&mut self, spec: &FieldSpec, path: &str) {
        let kind = spec.kind;
        let t = kind.as_str();
        let misplaced = |c: &mut Self, key: &str, present: bool, fits: bool| {
            if present && !fits {
                c.error(
                    Code::InvalidFieldSpec,
                    &join(path, key),
                    Part::Key,
                    format!("`{key}` không áp dụng cho trường kiểu `{t}`"),
                    format!("`{key}` does not apply to a `{t}` field"),
                );
            }
        };
        let textual = kind.is_textual();
        let ordered = kind.is_numeric() || matches!(kind, FieldType::Date | FieldType::Datetime);
        misplaced(self, "min_length", spec.min_length.is_some(), textual);
        misplaced(self, "max_length", spec.max_length.is_some(), textual);
        misplaced(self, "min", spec.min.is_some(), ordered);
        misplaced(self, "max", spec.max.is_some(), ordered);
        misplaced(self, "pattern", spec.pattern.is_some(), kind == FieldType::Text);
        misplaced(self, "multiline", spec.multiline, kind == FieldType::Text);
        misplaced(self, "pattern_message", spec.pattern_message.is_some(), spec.pattern.is_some());
        misplaced(self, "codes", spec.codes.is_some(), kind == FieldType::Code);
        misplaced(self, "level", spec.level.is_some(), kind == FieldType::AdminUnit);
        let attachment = kind == FieldType::Attachment;
        misplaced(self, "media_types", spec.media_types.is_some(), attachment);
        misplaced(self, "max_size", spec.max_size.is_some(), attachment);
        misplaced(self, "max_files", spec.max_files.is_some(), attachment);
        let group = kind == FieldType::Group;
        misplaced(self, "repeat", spec.repeat.is_some(), group);
        misplaced(self, "fields", spec.fields.is_some(), group);
        misplaced(self, "rules", spec.rules.is_some(), group);

        let conflict = |c: &mut Self, key: &str, vi: &str, en: &str| {
            c.error(Code::InvalidFieldSpec, &join(path, key), Part::Value, vi.to_owned(), en.to_owned());
        };
        if group && spec.fields.is_none() {
            conflict(self, "type", "Nhóm trường cần có `fields`", "a group needs `fields`");
        }
        if kind == FieldType::Code && spec.codes.as_ref().is_none_or(IndexMap::is_empty) {
            conflict(self, "type", "Trường danh mục cần có `codes`", "a code field needs `codes`");
        }
        if spec.required && spec.required_if.is_some() {
            conflict(
                self,
                "required_if",
                "Chỉ dùng một trong `required` và `required_if`",
                "use either `required` or `required_if`, not both",
            );
        }
        if let (Some(a), Some(b)) = (spec.min_length, spec.max_length)
            && a > b
        {
            conflict(
                self,
                "min_length",
                "`min_length` lớn hơn `max_length`",
                "`min_length` is greater than `max_length`",
            );
        }
        if let (Some(Bound::Number(a)), Some(Bound::Number(b))) = (&spec.min, &spec.max)
            && a > b
        {
            conflict(self, "min", "`min` lớn hơn `max`", "`min` is greater than `max`");
        }
        if let Some(r) = spec.repeat
            && (r.min > r.max || r.max == 0)
        {
            conflict(
                self,
                "repeat",
                "`repeat` cần 0 ≤ min ≤ max và max ≥ 1",
                "`repeat` needs 0 ≤ min ≤ max and max ≥ 1",
            );
        }
        if let Some(r) = spec.repeat
            && r.max > self.limits.max_repeat
        {
            self.error(
                Code::LimitExceeded,
                &join(&join(path, "repeat"), "max"),
                Part::Value,
                format!("`repeat.max` là {}, tối đa {}", r.max, self.limits.max_repeat),
                format!("`repeat.max` is {}, at most {}", r.max, self.limits.max_repeat),
            );
        }
        if spec.max_files == Some(0) {
            conflict(self, "max_files", "`max_files` phải ít nhất là 1", "`max_files` must be at least 1");
        }
        for (i, m) in spec.media_types.iter().flatten().enumerate() {
            if !media_type_ok(m) {
                let p = crate::spec::source::index(&join(path, "media_types"), i);
                self.error(
                    Code::InvalidFieldSpec,
                    &p,
                    Part::Value,
                    format!("`{m}` không phải kiểu tệp (media type) hợp lệ, ví dụ application/pdf"),
                    format!("`{m}` is not a media type such as application/pdf"),
                );
            }
        }
        for code in spec.codes.iter().flat_map(IndexMap::keys) {
            if code.is_empty() || code.len() > 64 || code.chars().any(char::is_whitespace) {
                self.error(
                    Code::InvalidName,
                    &join(&join(path, "codes"), code),
                    Part::Key,
                    format!("Mã `{code}` không hợp lệ: không rỗng, không khoảng trắng, tối đa 64 ký tự"),
                    format!("code `{code}` is invalid: non-empty, no spaces, at most 64 characters"),
                );
            }
        }
    }

    /// Compiles one expression of the spec, reporting errors placed inside the YAML value.
    fn expr(&mut self, text: &str, scope: GroupId, want: &Type, path: &str) -> Option<CompiledExpr> {
        let result = compile_expr(&self.schema, &self.limits, text, scope, false)
            .and_then(|e| expect_type(&e, want).map(|()| e));
        match result {
            Ok(e) => Some(e),
            Err(err) => {
                let mut d = self.place(&err, text, path);
                let name = text.get(err.span.start..err.span.end).filter(|_| err.code == Code::UnknownReference);
                let document = text.get(..err.span.start).is_some_and(|before| before.ends_with("documents."));
                if let Some(name) = name
                    && document
                    && let Some(near) = expr::nearest_name(name, self.schema.documents.iter().map(String::as_str))
                {
                    d = d
                        .with_help(Message::new(format!("Có phải `{near}`?"), format!("did you mean `{near}`?")))
                        .with_label(self.map.label(
                            &join(&self.docs_path, near),
                            Part::Key,
                            Message::new(
                                format!("giấy tờ `{near}` khai báo ở đây"),
                                format!("document `{near}` is declared here"),
                            ),
                        ));
                } else if let Some(name) = name
                    && let Some((group, near)) = expr::nearest_field(&self.schema, scope, name)
                    && let Some(field_path) = self.field_paths.get(&(group.0, near.to_owned()))
                {
                    d = d.with_label(self.map.label(
                        field_path,
                        Part::Key,
                        Message::new(
                            format!("trường `{near}` khai báo ở đây"),
                            format!("field `{near}` is declared here"),
                        ),
                    ));
                }
                self.problems.push(d);
                None
            }
        }
    }

    fn place(&self, err: &ExprError, text: &str, path: &str) -> Diagnostic {
        self.map.value_diagnostic(err.code, path, err.message.clone(), text, err.span.start..err.span.end)
    }

    fn field_exprs(&mut self, p: &Pending<'_>) {
        let spec = p.spec;
        let scope = p.group;
        let required_if =
            spec.required_if.as_ref().and_then(|t| self.expr(t, scope, &Type::Bool, &join(&p.path, "required_if")));
        let visible_if =
            spec.visible_if.as_ref().and_then(|t| self.expr(t, scope, &Type::Bool, &join(&p.path, "visible_if")));
        let want = match spec.kind {
            FieldType::Date => Type::Date,
            FieldType::Datetime => Type::DateTime,
            _ => Type::Number,
        };
        let bound = |c: &mut Self, b: &Option<Bound>, key: &str| -> Option<CBound> {
            match b.as_ref()? {
                // `.inf`/`.nan` read from YAML have no JSON form: the spec could not be
                // shipped as JSON (`Procedure::to_json`) and compared with nothing sensible.
                Bound::Number(n) if !n.is_finite() => {
                    c.error(
                        Code::InvalidValue,
                        &join(&p.path, key),
                        Part::Value,
                        format!("`{key}` phải là một số hữu hạn; bỏ `{key}` nếu không giới hạn"),
                        format!("`{key}` must be a finite number; leave `{key}` out for no limit"),
                    );
                    None
                }
                Bound::Number(n) if want == Type::Number => Some(CBound::Num(*n)),
                Bound::Number(_) => {
                    c.error(
                        Code::TypeMismatch,
                        &join(&p.path, key),
                        Part::Value,
                        format!(
                            "`{key}` của trường {} phải là biểu thức kiểu {}, ví dụ `add_years(today, -6)`",
                            spec.kind.as_str(),
                            want.vi()
                        ),
                        format!(
                            "`{key}` of a {} field must be a {want} expression such as `add_years(today, -6)`",
                            spec.kind.as_str()
                        ),
                    );
                    None
                }
                Bound::Expr(text) => {
                    if want == Type::Date
                        && let Some(d) = expr::parse_date(text)
                    {
                        return Some(CBound::Date(d));
                    }
                    c.expr(text, scope, &want, &join(&p.path, key)).map(CBound::Expr)
                }
            }
        };
        let min = bound(self, &spec.min, "min");
        let max = bound(self, &spec.max, "max");
        let field = &mut self.groups[p.group.0 as usize].fields[p.index];
        field.required_if = required_if;
        field.visible_if = visible_if;
        field.min = min;
        field.max = max;
    }

    fn rules(&mut self, r: &PendingRules<'_>) {
        for (id, spec) in r.rules {
            let path = join(&r.path, id);
            if !is_snake_case(id) {
                self.error(
                    Code::InvalidName,
                    &path,
                    Part::Key,
                    format!("Tên quy tắc `{id}` phải viết dạng snake_case"),
                    format!("rule name `{id}` must be ASCII snake_case"),
                );
            }
            let when = spec.when.as_ref().and_then(|t| self.expr(t, r.group, &Type::Bool, &join(&path, "when")));
            let check = self.expr(&spec.check, r.group, &Type::Bool, &join(&path, "check"));
            let (field, label) = match &spec.field {
                None => (String::new(), None),
                Some(f) => match self.resolve_field(r.group, f) {
                    Some(found) => found,
                    None => {
                        self.error(
                            Code::UnknownReference,
                            &join(&path, "field"),
                            Part::Value,
                            format!("Không có trường `{f}` trong nhóm này"),
                            format!("no field `{f}` in this group"),
                        );
                        continue;
                    }
                },
            };
            if let Some(check) = check {
                self.groups[r.group.0 as usize].rules.push(Rule {
                    id: id.clone(),
                    when,
                    check,
                    field,
                    label,
                    message: spec.message.clone(),
                });
            }
        }
    }

    /// A dotted path through non-repeating groups → its JSON-path suffix and label.
    fn resolve_field(&self, mut group: GroupId, path: &str) -> Option<(String, Option<crate::text::Text>)> {
        let mut suffix = String::new();
        let mut label = None;
        let mut segments = path.split('.').peekable();
        while let Some(seg) = segments.next() {
            let g = self.groups.get(group.0 as usize)?;
            let f = g.fields.iter().find(|f| f.id == seg)?;
            suffix.push('.');
            suffix.push_str(seg);
            label = Some(f.label.clone());
            if segments.peek().is_some() {
                if f.repeat.is_some() {
                    return None;
                }
                group = f.group?;
            }
        }
        Some((suffix, label))
    }

    fn document(&mut self, id: &str, spec: &DocumentSpec, path: &str) -> Option<Document> {
        let mut ok = true;
        if !is_snake_case(id) {
            self.error(
                Code::InvalidName,
                path,
                Part::Key,
                format!("Mã giấy tờ `{id}` phải viết dạng snake_case"),
                format!("document id `{id}` must be ASCII snake_case"),
            );
            ok = false;
        }
        if spec.required == Some(true) && spec.required_if.is_some() {
            self.error(
                Code::InvalidValue,
                &join(path, "required_if"),
                Part::Key,
                "Chỉ dùng một trong `required: true` và `required_if`".into(),
                "use either `required: true` or `required_if`, not both".into(),
            );
            ok = false;
        }
        if spec.originals == 0 && spec.copies == 0 {
            self.error(
                Code::InvalidValue,
                &join(path, "originals"),
                Part::Key,
                "Giấy tờ cần ít nhất một bản chính hoặc bản sao".into(),
                "a document needs at least one original or copy".into(),
            );
            ok = false;
        }
        if let Some(db) = &spec.replaceable_by
            && !is_snake_case(db)
        {
            self.error(
                Code::InvalidName,
                &join(path, "replaceable_by"),
                Part::Value,
                format!("Tên cơ sở dữ liệu `{db}` phải viết dạng snake_case, ví dụ `population`"),
                format!("database name `{db}` must be ASCII snake_case, e.g. `population`"),
            );
            ok = false;
        }
        for (i, m) in spec.formats.iter().flatten().enumerate() {
            if !media_type_ok(m) {
                let p = crate::spec::source::index(&join(path, "formats"), i);
                self.error(
                    Code::InvalidValue,
                    &p,
                    Part::Value,
                    format!("`{m}` không phải kiểu tệp (media type) hợp lệ, ví dụ application/pdf"),
                    format!("`{m}` is not a media type such as application/pdf"),
                );
                ok = false;
            }
        }
        let required_if = match &spec.required_if {
            Some(t) => match self.expr(t, GroupId(0), &Type::Bool, &join(path, "required_if")) {
                Some(e) => Some(e),
                None => return None,
            },
            None => None,
        };
        let mut spec = spec.clone();
        if let Some(formats) = &mut spec.formats {
            formats.iter_mut().for_each(|m| m.make_ascii_lowercase());
        }
        ok.then(|| Document { id: id.to_owned(), spec, required_if })
    }
}
