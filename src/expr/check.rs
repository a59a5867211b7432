//! Type checking: [`Ast`] → [`Node`], resolving every name against the form.

use chrono::NaiveDate;

use super::parser::{Ast, AstKind, BinOp};
use super::{ExprError, GroupId, Span, Type};
use crate::diagnostic::{Code, Message};

/// What the checker needs to know about a form.
pub(crate) trait Schema {
    /// The field `name` of `group`: its type and, for a code list, its codes.
    fn field(&self, group: GroupId, name: &str) -> Option<(Type, Option<&[String]>)>;
    /// The group enclosing `group`, if any.
    fn parent(&self, group: GroupId) -> Option<GroupId>;
    /// Whether the document checklist has `id`.
    fn has_document(&self, id: &str) -> bool;
    /// The ids of a group's fields (for "did you mean" hints).
    fn field_names(&self, group: GroupId) -> Vec<&str>;
}

/// One step down a path: the key and the type of the value found there.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub key: String,
    pub ty: Type,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DocProp {
    Present,
    Files,
    FromDatabase,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Func {
    Present,
    Len,
    Count,
    Any,
    All,
    AgeYears,
    AgeMonths,
    DaysBetween,
    AddDays,
    AddMonths,
    AddYears,
    Year,
    Month,
    Day,
    StartsWith,
    EndsWith,
    Contains,
    Min,
    Max,
    If,
}

const FUNCTIONS: &[(&str, Func)] = &[
    ("present", Func::Present),
    ("len", Func::Len),
    ("count", Func::Count),
    ("any", Func::Any),
    ("all", Func::All),
    ("age_years", Func::AgeYears),
    ("age_months", Func::AgeMonths),
    ("days_between", Func::DaysBetween),
    ("add_days", Func::AddDays),
    ("add_months", Func::AddMonths),
    ("add_years", Func::AddYears),
    ("year", Func::Year),
    ("month", Func::Month),
    ("day", Func::Day),
    ("starts_with", Func::StartsWith),
    ("ends_with", Func::EndsWith),
    ("contains", Func::Contains),
    ("min", Func::Min),
    ("max", Func::Max),
    ("if", Func::If),
];

/// A checked node, ready for evaluation.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Num(f64),
    Text(String),
    Date(NaiveDate),
    /// A field in the scope `up` groups out from the expression's own group.
    Field {
        up: usize,
        steps: Vec<Step>,
    },
    /// A lambda variable (by depth) and a path below it.
    Var {
        index: usize,
        steps: Vec<Step>,
    },
    Today,
    FormValid,
    DocumentsComplete,
    Doc {
        id: String,
        prop: DocProp,
    },
    Not(Box<Node>),
    Neg(Box<Node>),
    Binary(BinOp, Box<Node>, Box<Node>),
    In {
        negated: bool,
        item: Box<Node>,
        list: Vec<Node>,
    },
    Call(Func, Vec<Node>),
    /// A lambda over the items of a list whose items have type `item`.
    Lambda {
        item: Type,
        body: Box<Node>,
    },
}

pub(crate) struct Checker<'s> {
    schema: &'s dyn Schema,
    scope: GroupId,
    guard: bool,
    vars: Vec<(String, Type)>,
}

fn err(code: Code, span: Span, vi: impl Into<String>, en: impl Into<String>) -> ExprError {
    ExprError::new(code, span, Message::new(vi, en))
}

fn mismatch(span: Span, vi: impl Into<String>, en: impl Into<String>) -> ExprError {
    err(Code::TypeMismatch, span, vi, en)
}

/// Type-checks `ast` in `scope` and lowers it. `guard` allows `form_valid` and
/// `documents_complete`.
pub(crate) fn check(ast: &Ast, schema: &dyn Schema, scope: GroupId, guard: bool) -> Result<(Node, Type), ExprError> {
    let mut c = Checker { schema, scope, guard, vars: Vec::new() };
    c.expr(ast)
}

fn same(a: &Type, b: &Type) -> bool {
    a == b || *a == Type::Null || *b == Type::Null
}

fn orderable(t: &Type) -> bool {
    matches!(t, Type::Number | Type::Text | Type::Date | Type::DateTime | Type::Null)
}

impl Checker<'_> {
    fn expr(&mut self, ast: &Ast) -> Result<(Node, Type), ExprError> {
        let span = ast.span;
        let node = |kind| Node { kind, span };
        Ok(match &ast.kind {
            AstKind::Null => (node(NodeKind::Null), Type::Null),
            AstKind::Bool(b) => (node(NodeKind::Bool(*b)), Type::Bool),
            AstKind::Num(n) => (node(NodeKind::Num(*n)), Type::Number),
            AstKind::Str(s) => (node(NodeKind::Text(crate::text::nfc(s).into_owned())), Type::Text),
            AstKind::Path(segments) => self.path(segments, span)?,
            AstKind::List(_) => {
                return Err(mismatch(span, "Danh sách chỉ dùng sau `in`", "a list literal may only follow `in`"));
            }
            AstKind::Not(inner) => {
                let (n, t) = self.expr(inner)?;
                self.want(&t, &Type::Bool, inner.span, "not")?;
                (node(NodeKind::Not(Box::new(n))), Type::Bool)
            }
            AstKind::Neg(inner) => {
                let (n, t) = self.expr(inner)?;
                self.want(&t, &Type::Number, inner.span, "-")?;
                (node(NodeKind::Neg(Box::new(n))), Type::Number)
            }
            AstKind::Binary(op, l, r) => {
                let (ln, lt) = self.expr(l)?;
                let (rn, rt) = self.expr(r)?;
                let ty = match op {
                    BinOp::And | BinOp::Or => {
                        self.want(&lt, &Type::Bool, l.span, op.symbol())?;
                        self.want(&rt, &Type::Bool, r.span, op.symbol())?;
                        Type::Bool
                    }
                    BinOp::Eq | BinOp::Ne => {
                        if !same(&lt, &rt) || matches!(lt, Type::Record(_) | Type::List(_) | Type::File) {
                            return Err(self.cannot_compare(op, &lt, &rt, span));
                        }
                        self.check_code(l, r)?;
                        self.check_code(r, l)?;
                        Type::Bool
                    }
                    BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                        if !same(&lt, &rt) || !orderable(&lt) || !orderable(&rt) {
                            return Err(self.cannot_compare(op, &lt, &rt, span));
                        }
                        Type::Bool
                    }
                    BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
                        self.want(&lt, &Type::Number, l.span, op.symbol())?;
                        self.want(&rt, &Type::Number, r.span, op.symbol())?;
                        Type::Number
                    }
                };
                (node(NodeKind::Binary(*op, Box::new(ln), Box::new(rn))), ty)
            }
            AstKind::In { negated, item, list } => {
                let (item_node, item_ty) = self.expr(item)?;
                if matches!(item_ty, Type::Record(_) | Type::List(_) | Type::File) {
                    return Err(mismatch(
                        item.span,
                        format!("Không thể dùng `in` với {}", item_ty.vi()),
                        format!("`in` cannot test a {item_ty}"),
                    ));
                }
                let AstKind::List(items) = &list.kind else {
                    return Err(mismatch(list.span, "Cần một danh sách", "expected a list"));
                };
                let mut nodes = Vec::with_capacity(items.len());
                for it in items {
                    let (n, t) = self.expr(it)?;
                    if !same(&item_ty, &t) {
                        return Err(mismatch(
                            it.span,
                            format!("Phần tử có kiểu {}, cần {}", t.vi(), item_ty.vi()),
                            format!("list item is a {t}, expected a {item_ty}"),
                        ));
                    }
                    self.check_code(item, it)?;
                    nodes.push(n);
                }
                (node(NodeKind::In { negated: *negated, item: Box::new(item_node), list: nodes }), Type::Bool)
            }
            AstKind::Call { name, name_span, args } => self.call(name, *name_span, args, span)?,
            AstKind::Lambda { var_span, .. } => {
                return Err(mismatch(
                    *var_span,
                    "Hàm này không nhận biểu thức `x -> …`",
                    "this function does not take an `x -> …` argument",
                ));
            }
        })
    }

    fn want(&self, got: &Type, want: &Type, span: Span, what: &str) -> Result<(), ExprError> {
        if same(got, want) {
            Ok(())
        } else {
            Err(mismatch(
                span,
                format!("`{what}` cần {}, nhưng đây là {}", want.vi(), got.vi()),
                format!("`{what}` needs a {want}, found a {got}"),
            ))
        }
    }

    fn cannot_compare(&self, op: &BinOp, l: &Type, r: &Type, span: Span) -> ExprError {
        let sym = op.symbol();
        mismatch(
            span,
            format!("Không thể so sánh {} với {} bằng `{sym}`", l.vi(), r.vi()),
            format!("cannot compare a {l} with a {r} using `{sym}`"),
        )
    }

    /// If `field` is a code-list field and `lit` a text literal, the literal must be a code.
    fn check_code(&self, field: &Ast, lit: &Ast) -> Result<(), ExprError> {
        let (AstKind::Path(segments), AstKind::Str(value)) = (&field.kind, &lit.kind) else {
            return Ok(());
        };
        let Some(codes) = self.codes_of(segments) else {
            return Ok(());
        };
        if codes.iter().any(|c| c == value) {
            return Ok(());
        }
        let list = codes.join(", ");
        Err(err(
            Code::UnknownCode,
            lit.span,
            format!("`{value}` không có trong danh mục của trường; các mã hợp lệ: {list}"),
            format!("`{value}` is not a code of this field; valid codes: {list}"),
        ))
    }

    fn codes_of(&self, segments: &[(String, Span)]) -> Option<&[String]> {
        let names: Vec<&str> = segments.iter().map(|(s, _)| s.as_str()).collect();
        let (first, rest) = names.split_first()?;
        let mut group = match self.vars.iter().rev().find(|(v, _)| v == first) {
            Some((_, Type::Record(g))) => Some(*g),
            Some(_) => return None,
            None => None,
        };
        let mut fields = rest;
        if group.is_none() {
            let mut g = Some(self.scope);
            while let Some(cur) = g {
                if self.schema.field(cur, first).is_some() {
                    break;
                }
                g = self.schema.parent(cur);
            }
            group = g;
            fields = &names[..];
        }
        let mut group = group?;
        let (last, path) = fields.split_last()?;
        for name in path {
            match self.schema.field(group, name)?.0 {
                Type::Record(g) => group = g,
                _ => return None,
            }
        }
        self.schema.field(group, last)?.1
    }

    fn path(&mut self, segments: &[(String, Span)], span: Span) -> Result<(Node, Type), ExprError> {
        let node = |kind| Node { kind, span };
        let Some((first, first_span)) = segments.first() else {
            return Err(err(Code::ExprSyntax, span, "Thiếu tên", "missing name"));
        };
        // Lambda variables, innermost first.
        if let Some(index) = self.vars.iter().rposition(|(v, _)| v == first) {
            let ty = self.vars[index].1.clone();
            let (steps, ty) = self.members(ty, &segments[1..])?;
            return Ok((node(NodeKind::Var { index, steps }), ty));
        }
        // Fields, innermost group first.
        let mut group = Some(self.scope);
        let mut up = 0usize;
        while let Some(g) = group {
            if let Some((ty, _)) = self.schema.field(g, first) {
                let mut steps = vec![Step { key: first.clone(), ty: ty.clone() }];
                let (more, ty) = self.members(ty, &segments[1..])?;
                steps.extend(more);
                return Ok((node(NodeKind::Field { up, steps }), ty));
            }
            group = self.schema.parent(g);
            up += 1;
        }
        // Reserved names.
        let rest = &segments[1..];
        match (first.as_str(), rest) {
            ("today", []) => return Ok((node(NodeKind::Today), Type::Date)),
            ("form_valid", []) if self.guard => return Ok((node(NodeKind::FormValid), Type::Bool)),
            ("documents_complete", []) if self.guard => {
                return Ok((node(NodeKind::DocumentsComplete), Type::Bool));
            }
            ("documents", [(id, id_span), (prop, prop_span)]) => {
                if !self.schema.has_document(id) {
                    return Err(err(
                        Code::UnknownReference,
                        *id_span,
                        format!("Không có giấy tờ `{id}` trong thành phần hồ sơ"),
                        format!("no document `{id}` on the checklist"),
                    ));
                }
                let (prop, ty) = match prop.as_str() {
                    "present" => (DocProp::Present, Type::Bool),
                    "files" => (DocProp::Files, Type::Number),
                    "from_database" => (DocProp::FromDatabase, Type::Bool),
                    _ => {
                        return Err(err(
                            Code::UnknownReference,
                            *prop_span,
                            format!("Giấy tờ không có thuộc tính `{prop}`; dùng present, files hoặc from_database"),
                            format!("a document has no `{prop}`; use present, files or from_database"),
                        ));
                    }
                };
                return Ok((node(NodeKind::Doc { id: id.clone(), prop }), ty));
            }
            ("documents", _) => {
                return Err(err(
                    Code::UnknownReference,
                    span,
                    "Viết `documents.<mã giấy tờ>.present`",
                    "write `documents.<document id>.present`",
                ));
            }
            _ => {}
        }
        let hint = self.suggest(first);
        Err(err(
            Code::UnknownReference,
            *first_span,
            format!("Không có trường `{first}`{}", hint.0),
            format!("no field `{first}`{}", hint.1),
        ))
    }

    fn suggest(&self, name: &str) -> (String, String) {
        match nearest_field(self.schema, self.scope, name) {
            Some((_, s)) => (format!("; có phải `{s}`?"), format!("; did you mean `{s}`?")),
            None => (String::new(), String::new()),
        }
    }

    fn members(&self, mut ty: Type, rest: &[(String, Span)]) -> Result<(Vec<Step>, Type), ExprError> {
        let mut steps = Vec::new();
        for (name, span) in rest {
            let next = match &ty {
                Type::Record(g) => match self.schema.field(*g, name) {
                    Some((t, _)) => t,
                    None => {
                        return Err(err(
                            Code::UnknownReference,
                            *span,
                            format!("Nhóm không có trường `{name}`"),
                            format!("the group has no field `{name}`"),
                        ));
                    }
                },
                Type::File => match name.as_str() {
                    "name" | "media_type" => Type::Text,
                    "size" => Type::Number,
                    _ => {
                        return Err(err(
                            Code::UnknownReference,
                            *span,
                            format!("Tệp không có thuộc tính `{name}`; dùng name, media_type hoặc size"),
                            format!("a file has no `{name}`; use name, media_type or size"),
                        ));
                    }
                },
                Type::List(_) => {
                    return Err(mismatch(
                        *span,
                        format!("Đây là danh sách; dùng any/all/count, ví dụ `any(ds, m -> m.{name} …)`"),
                        format!("this is a list; use any/all/count, e.g. `any(list, m -> m.{name} …)`"),
                    ));
                }
                other => {
                    return Err(mismatch(
                        *span,
                        format!("Giá trị kiểu {} không có thành phần `{name}`", other.vi()),
                        format!("a {other} has no member `{name}`"),
                    ));
                }
            };
            steps.push(Step { key: name.clone(), ty: next.clone() });
            ty = next;
        }
        Ok((steps, ty))
    }

    fn call(&mut self, name: &str, name_span: Span, args: &[Ast], span: Span) -> Result<(Node, Type), ExprError> {
        let node = |kind| Node { kind, span };
        if name == "date" {
            return match args {
                [Ast { kind: AstKind::Str(s), span: s_span }] => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                    Ok(d) => Ok((node(NodeKind::Date(d)), Type::Date)),
                    Err(_) => Err(mismatch(
                        *s_span,
                        format!("`{s}` không phải ngày hợp lệ dạng YYYY-MM-DD"),
                        format!("`{s}` is not a valid YYYY-MM-DD date"),
                    )),
                },
                _ => Err(mismatch(
                    span,
                    "`date` nhận một chuỗi ngày, ví dụ date('2026-02-13')",
                    "`date` takes one date string, e.g. date('2026-02-13')",
                )),
            };
        }
        let Some(&(_, func)) = FUNCTIONS.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = FUNCTIONS.iter().map(|(n, _)| *n).collect();
            let list = names.join(", ");
            return Err(err(
                Code::UnknownFunction,
                name_span,
                format!("Không có hàm `{name}`; các hàm: date, {list}"),
                format!("no function `{name}`; functions: date, {list}"),
            ));
        };
        let arity = |n: usize| -> Result<(), ExprError> {
            if args.len() == n {
                Ok(())
            } else {
                Err(mismatch(
                    span,
                    format!("Hàm `{name}` cần {n} đối số, có {}", args.len()),
                    format!("`{name}` takes {n} argument(s), found {}", args.len()),
                ))
            }
        };
        let mut nodes = Vec::with_capacity(args.len());
        let ty = match func {
            Func::Any | Func::All | Func::Count => {
                let lambda_ok = func == Func::Count && args.len() == 1;
                if !lambda_ok {
                    arity(2)?;
                }
                let (list_node, list_ty) = self.expr(&args[0])?;
                let item = match list_ty {
                    Type::List(item) => *item,
                    Type::Null => Type::Null,
                    other => {
                        return Err(mismatch(
                            args[0].span,
                            format!("`{name}` cần một danh sách, nhưng đây là {}", other.vi()),
                            format!("`{name}` needs a list, found a {other}"),
                        ));
                    }
                };
                nodes.push(list_node);
                if let Some(lambda) = args.get(1) {
                    let AstKind::Lambda { var, body, .. } = &lambda.kind else {
                        return Err(mismatch(
                            lambda.span,
                            format!("Đối số thứ hai của `{name}` có dạng `m -> điều kiện`"),
                            format!("the second argument of `{name}` is `m -> condition`"),
                        ));
                    };
                    self.vars.push((var.clone(), item.clone()));
                    let checked = self.expr(body);
                    self.vars.pop();
                    let (body_node, body_ty) = checked?;
                    self.want(&body_ty, &Type::Bool, body.span, name)?;
                    nodes.push(Node { kind: NodeKind::Lambda { item, body: Box::new(body_node) }, span: lambda.span });
                }
                if func == Func::Count { Type::Number } else { Type::Bool }
            }
            _ => {
                let mut types = Vec::with_capacity(args.len());
                for a in args {
                    let (n, t) = self.expr(a)?;
                    nodes.push(n);
                    types.push(t);
                }
                let arg = |i: usize, want: &Type| self.want(&types[i], want, args[i].span, name);
                match func {
                    Func::Present => {
                        arity(1)?;
                        Type::Bool
                    }
                    Func::Len => {
                        arity(1)?;
                        if !matches!(types[0], Type::Text | Type::List(_) | Type::Null) {
                            return Err(mismatch(
                                args[0].span,
                                format!("`len` cần văn bản hoặc danh sách, nhưng đây là {}", types[0].vi()),
                                format!("`len` needs a text or a list, found a {}", types[0]),
                            ));
                        }
                        Type::Number
                    }
                    Func::AgeYears | Func::AgeMonths | Func::Year | Func::Month | Func::Day => {
                        arity(1)?;
                        arg(0, &Type::Date)?;
                        Type::Number
                    }
                    Func::DaysBetween => {
                        arity(2)?;
                        arg(0, &Type::Date)?;
                        arg(1, &Type::Date)?;
                        Type::Number
                    }
                    Func::AddDays | Func::AddMonths | Func::AddYears => {
                        arity(2)?;
                        arg(0, &Type::Date)?;
                        arg(1, &Type::Number)?;
                        Type::Date
                    }
                    Func::StartsWith | Func::EndsWith | Func::Contains => {
                        arity(2)?;
                        arg(0, &Type::Text)?;
                        arg(1, &Type::Text)?;
                        Type::Bool
                    }
                    Func::Min | Func::Max => {
                        arity(2)?;
                        if !same(&types[0], &types[1]) || !orderable(&types[0]) || !orderable(&types[1]) {
                            return Err(mismatch(
                                span,
                                format!("`{name}` cần hai giá trị cùng kiểu số, ngày hoặc văn bản"),
                                format!("`{name}` needs two numbers, dates or texts of one type"),
                            ));
                        }
                        if types[0] == Type::Null { types[1].clone() } else { types[0].clone() }
                    }
                    Func::If => {
                        arity(3)?;
                        arg(0, &Type::Bool)?;
                        if !same(&types[1], &types[2]) {
                            return Err(mismatch(
                                span,
                                format!("Hai nhánh của `if` khác kiểu: {} và {}", types[1].vi(), types[2].vi()),
                                format!("the branches of `if` differ: {} and {}", types[1], types[2]),
                            ));
                        }
                        if types[1] == Type::Null { types[2].clone() } else { types[1].clone() }
                    }
                    Func::Any | Func::All | Func::Count => Type::Null,
                }
            }
        };
        Ok((node(NodeKind::Call(func, nodes)), ty))
    }
}

/// The field nearest to `name` (a likely typo) visible from `scope`, and the group that
/// declares it: the "did you mean" of an unknown reference.
pub(crate) fn nearest_field<'s, S: Schema + ?Sized>(
    schema: &'s S,
    scope: GroupId,
    name: &str,
) -> Option<(GroupId, &'s str)> {
    let mut best: Option<(usize, GroupId, &str)> = None;
    let mut group = Some(scope);
    while let Some(g) = group {
        for candidate in schema.field_names(g) {
            let d = edit_distance(name, candidate);
            if d <= 2 && best.is_none_or(|(b, ..)| d < b) {
                best = Some((d, g, candidate));
            }
        }
        group = schema.parent(g);
    }
    best.map(|(_, g, s)| (g, s))
}

/// The name of `candidates` nearest to `name` (at most two edits), if any.
pub(crate) fn nearest_name<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    candidates.map(|c| (edit_distance(name, c), c)).filter(|(d, _)| *d <= 2).min_by_key(|(d, _)| *d).map(|(_, c)| c)
}

/// Levenshtein distance over bytes, for short identifiers (bounded by the name limits).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether any node of the tree satisfies `pred`.
pub(crate) fn any_node(node: &Node, pred: &dyn Fn(&NodeKind) -> bool) -> bool {
    if pred(&node.kind) {
        return true;
    }
    match &node.kind {
        NodeKind::Not(a) | NodeKind::Neg(a) => any_node(a, pred),
        NodeKind::Binary(_, a, b) => any_node(a, pred) || any_node(b, pred),
        NodeKind::In { item, list, .. } => any_node(item, pred) || list.iter().any(|n| any_node(n, pred)),
        NodeKind::Call(_, args) => args.iter().any(|n| any_node(n, pred)),
        NodeKind::Lambda { body, .. } => any_node(body, pred),
        _ => false,
    }
}

/// What an expression reads, for the form session's dependency index.
#[derive(Clone, Debug)]
pub(crate) enum Read<'n> {
    /// The field `steps[0]` of the scope `up` groups out from the expression's own group, and
    /// the keys read below it (never through a list: a list is read whole).
    Field { up: usize, steps: &'n [Step] },
    /// The submitted documents.
    Documents,
}

impl Node {
    /// Calls `f` with every field and document read of this expression (lambda variables
    /// read parts of a list that is itself read as a field).
    pub(crate) fn reads<'n>(&'n self, f: &mut impl FnMut(Read<'n>)) {
        match &self.kind {
            NodeKind::Field { up, steps } => {
                if !steps.is_empty() {
                    f(Read::Field { up: *up, steps });
                }
            }
            NodeKind::Doc { .. } | NodeKind::DocumentsComplete => f(Read::Documents),
            NodeKind::Not(inner) | NodeKind::Neg(inner) => inner.reads(f),
            NodeKind::Binary(_, a, b) => {
                a.reads(f);
                b.reads(f);
            }
            NodeKind::In { item, list, .. } => {
                item.reads(f);
                list.iter().for_each(|n| n.reads(f));
            }
            NodeKind::Call(_, args) => args.iter().for_each(|n| n.reads(f)),
            NodeKind::Lambda { body, .. } => body.reads(f),
            NodeKind::Null
            | NodeKind::Bool(_)
            | NodeKind::Num(_)
            | NodeKind::Text(_)
            | NodeKind::Date(_)
            | NodeKind::Var { .. }
            | NodeKind::Today
            | NodeKind::FormValid => {}
        }
    }
}
