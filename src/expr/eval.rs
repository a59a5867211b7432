//! Evaluation of checked expressions against JSON form data, with a fuel budget.

use std::borrow::Cow;
use std::cmp::Ordering;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta};
use serde_json::{Map, Value as Json};

use super::check::{DocProp, Func, Node, NodeKind, Step};
use super::parser::BinOp;
use super::{ExprError, Span, Type, Value};
use crate::diagnostic::{Code, Message};
use crate::document::SubmittedDocument;
use crate::text::nfc;

/// A value during evaluation; borrows from the data and the expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val<'a> {
    Null,
    Bool(bool),
    Num(f64),
    Text(Cow<'a, str>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Obj(&'a Map<String, Json>),
    Arr(&'a [Json]),
}

impl Val<'_> {
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Num(n) => Value::Number(*n),
            Val::Text(t) => Value::Text(t.clone().into_owned()),
            Val::Date(d) => Value::Date(*d),
            Val::DateTime(d) => Value::DateTime(*d),
            Val::Obj(m) => Value::Json(Json::Object((*m).clone())),
            Val::Arr(a) => Value::Json(Json::Array(a.to_vec())),
        }
    }
}

/// Reads a JSON value as a value of type `ty`; a value of the wrong shape reads as null
/// (the validator reports it separately).
pub(crate) fn convert<'a>(json: &'a Json, ty: &Type) -> Val<'a> {
    match (ty, json) {
        (Type::Text, Json::String(s)) => Val::Text(nfc(s)),
        (Type::Number, Json::Number(n)) => n.as_f64().map_or(Val::Null, Val::Num),
        (Type::Bool, Json::Bool(b)) => Val::Bool(*b),
        (Type::Date, Json::String(s)) => parse_date(s).map_or(Val::Null, Val::Date),
        (Type::DateTime, Json::String(s)) => parse_datetime(s).map_or(Val::Null, Val::DateTime),
        (Type::Record(_) | Type::File, Json::Object(m)) => Val::Obj(m),
        (Type::List(_), Json::Array(a)) => Val::Arr(a),
        _ => Val::Null,
    }
}

/// The number written by the ASCII digits `b` (at most 4 of them).
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD`, exactly (years 0000–9999).
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..])?)
}

/// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, local time without an offset.
pub(crate) fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let date = parse_date(s.get(..10)?)?;
    let seconds = if b.len() == 19 {
        if b[16] != b':' {
            return None;
        }
        digits(&b[17..])?
    } else {
        0
    };
    date.and_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, seconds)
}

/// What an evaluation may look at.
pub(crate) struct EvalCtx<'a, 'b> {
    /// Enclosing objects, the root first and the expression's own group last.
    pub scopes: &'b [&'a Map<String, Json>],
    pub today: NaiveDate,
    pub documents: &'a [SubmittedDocument],
    pub form_valid: Option<bool>,
    pub documents_complete: Option<bool>,
    pub fuel: u64,
}

struct Evaluator<'a, 'b, 'c> {
    ctx: &'c EvalCtx<'a, 'b>,
    fuel: u64,
    vars: Vec<Val<'a>>,
}

fn failed(span: Span, vi: impl Into<String>, en: impl Into<String>) -> ExprError {
    ExprError::new(Code::ExpressionFailed, span, Message::new(vi, en))
}

/// Evaluates `node`.
pub(crate) fn eval<'a>(node: &'a Node, ctx: &EvalCtx<'a, '_>) -> Result<Val<'a>, ExprError> {
    eval_counted(node, ctx).0
}

/// Evaluates `node`, also returning the fuel it used.
pub(crate) fn eval_counted<'a>(node: &'a Node, ctx: &EvalCtx<'a, '_>) -> (Result<Val<'a>, ExprError>, u64) {
    let mut e = Evaluator { ctx, fuel: ctx.fuel, vars: Vec::new() };
    let result = e.eval(node);
    (result, ctx.fuel - e.fuel)
}

fn walk<'a>(mut val: Val<'a>, steps: &[Step]) -> Val<'a> {
    for step in steps {
        val = match val {
            Val::Obj(m) => m.get(&step.key).map_or(Val::Null, |j| convert(j, &step.ty)),
            _ => return Val::Null,
        };
    }
    val
}

fn compare(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(y)),
        (Val::DateTime(x), Val::DateTime(y)) => Some(x.cmp(y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn equal(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Null, _) | (_, Val::Null) => false,
        _ => compare(a, b) == Some(Ordering::Equal),
    }
}

fn whole(n: f64, span: Span) -> Result<i64, ExprError> {
    if n.fract() == 0.0 && n.abs() <= 1_000_000.0 {
        Ok(n as i64)
    } else {
        Err(failed(
            span,
            format!("Cần một số nguyên không quá 1 000 000, có {n}"),
            format!("expected a whole number of at most 1,000,000, found {n}"),
        ))
    }
}

fn out_of_range(span: Span) -> ExprError {
    failed(span, "Ngày vượt ngoài phạm vi", "date out of range")
}

/// Whole years from `from` to `to` (a birthday on 29 February counts from 1 March in
/// common years).
pub(crate) fn age_years(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut years = i64::from(to.year()) - i64::from(from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

fn age_months(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut months =
        (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month()) - i64::from(from.month());
    if to.day() < from.day() {
        months -= 1;
    }
    months
}

/// Adds `months` (possibly negative) to `date`, clamping to the end of the month.
pub(crate) fn add_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    let m = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 { date.checked_add_months(m) } else { date.checked_sub_months(m) }
}

impl<'a> Evaluator<'a, '_, '_> {
    fn eval(&mut self, node: &'a Node) -> Result<Val<'a>, ExprError> {
        if self.fuel == 0 {
            return Err(ExprError::new(
                Code::LimitExceeded,
                node.span,
                Message::new("Biểu thức cần quá nhiều bước tính", "the expression needs too many evaluation steps"),
            ));
        }
        self.fuel -= 1;
        let span = node.span;
        Ok(match &node.kind {
            NodeKind::Null => Val::Null,
            NodeKind::Bool(b) => Val::Bool(*b),
            NodeKind::Num(n) => Val::Num(*n),
            NodeKind::Text(t) => Val::Text(Cow::Borrowed(t)),
            NodeKind::Date(d) => Val::Date(*d),
            NodeKind::Field { up, steps } => {
                let scopes = self.ctx.scopes;
                match scopes.len().checked_sub(1 + up).and_then(|i| scopes.get(i)) {
                    Some(obj) => walk(Val::Obj(obj), steps),
                    None => Val::Null,
                }
            }
            NodeKind::Var { index, steps } => match self.vars.get(*index) {
                Some(v) => walk(v.clone(), steps),
                None => Val::Null,
            },
            NodeKind::Today => Val::Date(self.ctx.today),
            NodeKind::FormValid => self.ctx.form_valid.map_or(Val::Null, Val::Bool),
            NodeKind::DocumentsComplete => self.ctx.documents_complete.map_or(Val::Null, Val::Bool),
            NodeKind::Doc { id, prop } => {
                let docs = self.ctx.documents.iter().filter(|d| d.id == *id);
                match prop {
                    DocProp::Present => Val::Bool(docs.clone().any(SubmittedDocument::is_present)),
                    DocProp::Files => Val::Num(docs.map(|d| d.files.len() as f64).sum()),
                    DocProp::FromDatabase => Val::Bool(docs.clone().any(|d| d.from_database.is_some())),
                }
            }
            NodeKind::Not(inner) => match self.eval(inner)? {
                Val::Bool(b) => Val::Bool(!b),
                _ => Val::Null,
            },
            NodeKind::Neg(inner) => match self.eval(inner)? {
                Val::Num(n) => Val::Num(-n),
                _ => Val::Null,
            },
            NodeKind::Binary(op, l, r) => self.binary(*op, l, r, span)?,
            NodeKind::In { negated, item, list } => {
                let v = self.eval(item)?;
                if v == Val::Null {
                    return Ok(Val::Null);
                }
                let mut found = false;
                for it in list {
                    if equal(&v, &self.eval(it)?) {
                        found = true;
                        break;
                    }
                }
                Val::Bool(found != *negated)
            }
            NodeKind::Call(func, args) => self.call(*func, args, span)?,
            NodeKind::Lambda { .. } => Val::Null,
        })
    }

    fn binary(&mut self, op: BinOp, l: &'a Node, r: &'a Node, span: Span) -> Result<Val<'a>, ExprError> {
        match op {
            BinOp::And | BinOp::Or => {
                let stop = op == BinOp::Or;
                let a = self.eval(l)?;
                if a == Val::Bool(stop) {
                    return Ok(a);
                }
                let b = self.eval(r)?;
                if b == Val::Bool(stop) {
                    return Ok(b);
                }
                return Ok(if a == Val::Bool(!stop) && b == Val::Bool(!stop) { Val::Bool(!stop) } else { Val::Null });
            }
            _ => {}
        }
        let a = self.eval(l)?;
        let b = self.eval(r)?;
        Ok(match op {
            BinOp::Eq => Val::Bool(equal(&a, &b)),
            BinOp::Ne => Val::Bool(!equal(&a, &b)),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => match compare(&a, &b) {
                None => Val::Null,
                Some(o) => Val::Bool(match op {
                    BinOp::Lt => o == Ordering::Less,
                    BinOp::Le => o != Ordering::Greater,
                    BinOp::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                }),
            },
            _ => {
                let (Val::Num(x), Val::Num(y)) = (a, b) else {
                    return Ok(Val::Null);
                };
                if matches!(op, BinOp::Div | BinOp::Rem) && y == 0.0 {
                    return Err(failed(span, "Chia cho 0", "division by zero"));
                }
                let v = match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                    BinOp::Div => x / y,
                    _ => x % y,
                };
                if !v.is_finite() {
                    return Err(failed(span, "Kết quả quá lớn", "result out of range"));
                }
                Val::Num(v)
            }
        })
    }

    fn items(&mut self, list: Val<'a>, lambda: Option<&'a Node>) -> Result<(usize, usize), ExprError> {
        let Val::Arr(items) = list else {
            return Ok((0, 0));
        };
        let Some(Node { kind: NodeKind::Lambda { item, body }, .. }) = lambda else {
            return Ok((items.len(), items.len()));
        };
        let mut yes = 0;
        for json in items {
            self.vars.push(convert(json, item));
            let r = self.eval(body);
            self.vars.pop();
            if r? == Val::Bool(true) {
                yes += 1;
            }
        }
        Ok((yes, items.len()))
    }

    fn call(&mut self, func: Func, args: &'a [Node], span: Span) -> Result<Val<'a>, ExprError> {
        match func {
            Func::Count | Func::Any | Func::All => {
                let Some(list_node) = args.first() else {
                    return Ok(Val::Null);
                };
                let list = self.eval(list_node)?;
                if func == Func::Count {
                    let (yes, _) = self.items(list, args.get(1))?;
                    return Ok(Val::Num(yes as f64));
                }
                // any/all short-circuit.
                let Val::Arr(items) = list else {
                    return Ok(Val::Bool(func == Func::All));
                };
                let Some(Node { kind: NodeKind::Lambda { item, body }, .. }) = args.get(1) else {
                    return Ok(Val::Null);
                };
                let want = func == Func::Any;
                for json in items {
                    self.vars.push(convert(json, item));
                    let r = self.eval(body);
                    self.vars.pop();
                    if (r? == Val::Bool(true)) == want {
                        return Ok(Val::Bool(want));
                    }
                }
                return Ok(Val::Bool(!want));
            }
            Func::If => {
                let [c, a, b] = args else {
                    return Ok(Val::Null);
                };
                return if self.eval(c)? == Val::Bool(true) { self.eval(a) } else { self.eval(b) };
            }
            _ => {}
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a)?);
        }
        let today = self.ctx.today;
        Ok(match (func, vals.as_slice()) {
            (Func::Present, [v]) => Val::Bool(match v {
                Val::Null => false,
                Val::Text(t) => !t.trim().is_empty(),
                Val::Arr(a) => !a.is_empty(),
                _ => true,
            }),
            (Func::Len, [Val::Text(t)]) => Val::Num(t.chars().count() as f64),
            (Func::Len, [Val::Arr(a)]) => Val::Num(a.len() as f64),
            (Func::AgeYears, [Val::Date(d)]) => Val::Num(age_years(*d, today) as f64),
            (Func::AgeMonths, [Val::Date(d)]) => Val::Num(age_months(*d, today) as f64),
            (Func::Year, [Val::Date(d)]) => Val::Num(f64::from(d.year())),
            (Func::Month, [Val::Date(d)]) => Val::Num(f64::from(d.month())),
            (Func::Day, [Val::Date(d)]) => Val::Num(f64::from(d.day())),
            (Func::DaysBetween, [Val::Date(a), Val::Date(b)]) => Val::Num((*b - *a).num_days() as f64),
            (Func::AddDays, [Val::Date(d), Val::Num(n)]) => {
                let n = whole(*n, span)?;
                Val::Date(d.checked_add_signed(TimeDelta::days(n)).ok_or_else(|| out_of_range(span))?)
            }
            (Func::AddMonths | Func::AddYears, [Val::Date(d), Val::Num(n)]) => {
                let n = whole(*n, span)?;
                let months = if func == Func::AddYears { n * 12 } else { n };
                Val::Date(add_months(*d, months).ok_or_else(|| out_of_range(span))?)
            }
            (Func::StartsWith, [Val::Text(t), Val::Text(p)]) => Val::Bool(t.starts_with(&**p)),
            (Func::EndsWith, [Val::Text(t), Val::Text(p)]) => Val::Bool(t.ends_with(&**p)),
            (Func::Contains, [Val::Text(t), Val::Text(p)]) => Val::Bool(t.contains(&**p)),
            (Func::Min | Func::Max, [a, b]) => match compare(a, b) {
                None => Val::Null,
                Some(o) => {
                    let first = (o != Ordering::Greater) == (func == Func::Min);
                    if first { a.clone() } else { b.clone() }
                }
            },
            _ => Val::Null,
        })
    }
}
