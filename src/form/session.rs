//! A form session: one form's data held between edits, re-checking only what an edit reaches.
//!
//! The session keeps the problems of the last validation in a tree shaped like the form
//! (one part per field, rule and checklist item of every group instance). An edit replaces
//! the part of the edited field and re-runs the parts whose expressions read it, found in a
//! dependency index built once per compiled form from the expressions themselves (every
//! `visible_if`, `required_if`, bound, rule `when`/`check` and document `required_if`).
//! The tree, read in order, is exactly what [`Form::validate`] reports; when the whole
//! validation would hit its limits (1000 problems, or its evaluation budget) the session
//! answers with the whole validation instead, so the two never differ.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::validate::{MAX_PROBLEMS, Validator, child_path, field_values};
use super::{Form, GroupId, Problem, SubmittedDocument, Validation};
use crate::diagnostic::{Code, Message};
use crate::expr::CompiledExpr;
use crate::expr::check::Read;
use crate::spec::form::FieldType;

const ROOT: GroupId = GroupId(0);

/// A part of the form that produces problems on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    /// Field `.1` of group `.0` (with everything nested below it).
    Field(GroupId, usize),
    /// Rule `.1` of group `.0`.
    Rule(GroupId, usize),
    /// Item `.0` of the document checklist.
    Document(usize),
}

/// A part that reads a field, and the keys it reads below that field (`child.birth_date`
/// read from the root: field `child`, below `[birth_date]`).
#[derive(Debug, PartialEq)]
struct Reader {
    unit: Unit,
    below: Vec<String>,
}

/// Which parts read which fields: built once per compiled form.
#[derive(Debug, Default)]
pub(crate) struct Deps {
    /// Per group: field id → the parts whose expressions read that field.
    by_field: Vec<HashMap<String, Vec<Reader>>>,
    /// The parts whose expressions read the submitted documents.
    documents: Vec<Unit>,
    /// Each group's enclosing group.
    parent: Vec<Option<GroupId>>,
}

impl Deps {
    fn build(form: &Form) -> Deps {
        let mut deps = Deps {
            parent: form.schema.groups.iter().map(|g| g.parent).collect(),
            by_field: form.groups.iter().map(|_| HashMap::new()).collect(),
            ..Deps::default()
        };
        let add = |deps: &mut Deps, unit: Unit, e: &CompiledExpr| {
            let mut reads = Vec::new();
            e.node.reads(&mut |r| reads.push(r));
            for r in reads {
                match r {
                    Read::Documents => {
                        if !deps.documents.contains(&unit) {
                            deps.documents.push(unit);
                        }
                    }
                    Read::Field { up, steps } => {
                        let mut g = Some(e.scope);
                        for _ in 0..up {
                            g = g.and_then(|g| deps.parent.get(g.0 as usize).copied().flatten());
                        }
                        let Some(map) = g.and_then(|g| deps.by_field.get_mut(g.0 as usize)) else { continue };
                        let Some((head, below)) = steps.split_first() else { continue };
                        let reader = Reader { unit, below: below.iter().map(|s| s.key.clone()).collect() };
                        let list = map.entry(head.key.clone()).or_default();
                        if !list.contains(&reader) {
                            list.push(reader);
                        }
                    }
                }
            }
        };
        for (gi, group) in form.groups.iter().enumerate() {
            let g = GroupId(gi as u32);
            for (fi, f) in group.fields.iter().enumerate() {
                let bounds = [&f.min, &f.max].into_iter().flatten().filter_map(|b| match b {
                    super::CBound::Expr(e) => Some(e),
                    _ => None,
                });
                for e in f.visible_if.iter().chain(&f.required_if).chain(bounds) {
                    add(&mut deps, Unit::Field(g, fi), e);
                }
            }
            for (ri, r) in group.rules.iter().enumerate() {
                for e in r.when.iter().chain([&r.check]) {
                    add(&mut deps, Unit::Rule(g, ri), e);
                }
            }
        }
        for (di, d) in form.documents.iter().enumerate() {
            if let Some(e) = &d.required_if {
                add(&mut deps, Unit::Document(di), e);
            }
        }
        deps
    }

    /// Whether `inner` is `outer` or nested in it.
    fn within(&self, mut inner: GroupId, outer: GroupId) -> bool {
        loop {
            if inner == outer {
                return true;
            }
            match self.parent.get(inner.0 as usize).copied().flatten() {
                Some(p) => inner = p,
                None => return false,
            }
        }
    }

    /// The parts that may see a change at `key` of `group` and, below it, at the keys of
    /// `below` (list indices left out): those reading the field above, at or below that place.
    fn readers<'d>(&'d self, group: GroupId, key: &str, below: &'d [Seg]) -> impl Iterator<Item = Unit> + 'd {
        let keys = below.iter().filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        });
        let list = self.by_field.get(group.0 as usize).and_then(|m| m.get(key)).map_or(&[][..], Vec::as_slice);
        list.iter()
            .filter(move |r| r.below.iter().map(String::as_str).zip(keys.clone()).all(|(a, b)| a == b))
            .map(|r| r.unit)
    }
}

impl Form {
    fn deps(&self) -> &Deps {
        self.deps.get_or_init(|| Arc::new(Deps::build(self)))
    }
}

/// What a session edit could not do: a typed error with a stable code and the path; the
/// session is left as it was.
///
/// ```
/// use motcua::{Code, Form, FormSession};
/// let form = Form::from_yaml("form:\n  fields:\n    n: {label: {vi: Tên}, type: text}\n", "f.yaml").unwrap();
/// let mut s = FormSession::new(form, chrono::NaiveDate::MIN);
/// let err = s.set("n[", "x".into()).unwrap_err();
/// assert_eq!((err.code, err.path.as_str()), (Code::InvalidValue, "n["));
/// assert!(s.data().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{path}: {}", message.en)]
pub struct SessionError {
    /// `invalid_value` (a malformed path, an index past the end of a list) or `invalid_type`
    /// (the path goes through a value that is not an object or a list).
    pub code: Code,
    /// The path as given.
    pub path: String,
    /// What went wrong, in Vietnamese and English.
    pub message: Message,
}

/// The problems an edit made appear and disappear.
///
/// ```
/// use motcua::{Form, FormSession};
/// let form = Form::from_yaml("form:\n  fields:\n    n: {label: {vi: Tên}, type: text, required: true}\n", "f.yaml").unwrap();
/// let mut s = FormSession::new(form, chrono::NaiveDate::MIN);
/// let d = s.set("n", "An".into()).unwrap();
/// assert_eq!((d.added.len(), d.removed.len()), (0, 1));
/// assert!(!d.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Delta {
    /// Problems that appeared.
    pub added: Vec<Problem>,
    /// Problems that disappeared.
    pub removed: Vec<Problem>,
}

impl Delta {
    /// Whether the edit changed no problem.
    ///
    /// ```
    /// assert!(motcua::Delta::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    /// Drops what appears on both sides (a part re-checked with the same result).
    fn settle(&mut self) {
        let mut i = 0;
        while i < self.added.len() {
            if let Some(j) = self.removed.iter().position(|r| *r == self.added[i]) {
                self.removed.swap_remove(j);
                self.added.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Part {
    problems: Vec<Problem>,
    fuel: u64,
}

#[derive(Clone, Debug)]
enum Item {
    Group(Inst),
    Bad(Vec<Problem>),
}

#[derive(Clone, Debug, Default)]
struct Slot {
    own: Part,
    items: Vec<Item>,
}

/// One instance of a group (the root, a nested group, an item of a repeating group).
#[derive(Clone, Debug, Default)]
struct Inst {
    path: String,
    fields: Vec<Slot>,
    unexpected: Vec<Problem>,
    rules: Vec<Part>,
}

impl Slot {
    fn each(&self, f: &mut impl FnMut(&Problem)) {
        self.own.problems.iter().for_each(&mut *f);
        for item in &self.items {
            match item {
                Item::Group(inst) => inst.each(f),
                Item::Bad(p) => p.iter().for_each(&mut *f),
            }
        }
    }

    fn fuel(&self) -> u64 {
        self.own.fuel
            + self
                .items
                .iter()
                .map(|i| match i {
                    Item::Group(inst) => inst.fuel(),
                    Item::Bad(_) => 0,
                })
                .sum::<u64>()
    }
}

impl Inst {
    fn each(&self, f: &mut impl FnMut(&Problem)) {
        self.fields.iter().for_each(|s| s.each(f));
        self.unexpected.iter().for_each(&mut *f);
        self.rules.iter().for_each(|r| r.problems.iter().for_each(&mut *f));
    }

    fn fuel(&self) -> u64 {
        self.fields.iter().map(Slot::fuel).sum::<u64>() + self.rules.iter().map(|r| r.fuel).sum::<u64>()
    }
}

/// One step of a session path.
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// What the checking needs: the form, the day, the documents.
struct Cx<'a> {
    form: &'a Form,
    today: NaiveDate,
    documents: &'a [SubmittedDocument],
}

type Scopes<'a> = Vec<&'a Map<String, Json>>;

impl<'a> Cx<'a> {
    fn validator(&self) -> Validator<'a> {
        Validator::part(self.form, self.today, self.documents)
    }

    fn part(&self, v: Validator<'a>) -> Part {
        Part { fuel: self.form.limits.validation_fuel - v.fuel, problems: v.problems }
    }

    fn inst(&self, gid: GroupId, obj: &'a Map<String, Json>, path: String, scopes: &mut Scopes<'a>) -> Inst {
        let Some(group) = self.form.groups.get(gid.0 as usize) else {
            return Inst { path, ..Inst::default() };
        };
        scopes.push(obj);
        let (values, unexpected) = field_values(group, obj);
        let fields = (0..group.fields.len()).map(|fi| self.slot(gid, fi, values[fi], &path, scopes)).collect();
        let mut v = self.validator();
        v.unexpected(&path, &unexpected);
        let unexpected = v.problems;
        let rules = (0..group.rules.len()).map(|ri| self.rule(gid, ri, &path, scopes)).collect();
        scopes.pop();
        Inst { path, fields, unexpected, rules }
    }

    fn rule(&self, gid: GroupId, ri: usize, path: &str, scopes: &Scopes<'a>) -> Part {
        let mut v = self.validator();
        v.rule(&self.form.groups[gid.0 as usize].rules[ri], path, scopes);
        self.part(v)
    }

    /// A field of the instance at `path` (whose object is the last of `scopes`).
    fn slot(&self, gid: GroupId, fi: usize, value: Option<&'a Json>, path: &str, scopes: &mut Scopes<'a>) -> Slot {
        let field = &self.form.groups[gid.0 as usize].fields[fi];
        let mut v = self.validator();
        let checked = v.field(field, value, path, scopes);
        let own = self.part(v);
        let mut items = Vec::new();
        if let (true, FieldType::Group, Some(cgid), Some(value)) = (checked, field.kind, field.group, value) {
            let fpath = child_path(path, &field.id);
            match field.repeat {
                None => {
                    if let Some(obj) = value.as_object() {
                        items.push(Item::Group(self.inst(cgid, obj, fpath, scopes)));
                    }
                }
                Some(repeat) => {
                    for (i, item) in value.as_array().into_iter().flatten().take(repeat.max as usize).enumerate() {
                        let ipath = format!("{fpath}[{i}]");
                        items.push(match item.as_object() {
                            Some(obj) => Item::Group(self.inst(cgid, obj, ipath, scopes)),
                            None => {
                                let mut v = self.validator();
                                v.bad_item(&ipath, &field.label);
                                Item::Bad(v.problems)
                            }
                        });
                    }
                }
            }
        }
        Slot { own, items }
    }

    fn document(&self, di: usize, root: &'a Map<String, Json>) -> Part {
        let mut v = self.validator();
        v.document(&self.form.documents[di], root);
        self.part(v)
    }

    fn unknown_documents(&self) -> Vec<Problem> {
        let mut v = self.validator();
        v.unknown_documents();
        v.problems
    }

    /// Replaces field `fi` of `inst`, recording the change in `delta`.
    fn redo_slot(
        &self,
        inst: &mut Inst,
        gid: GroupId,
        fi: usize,
        obj: &'a Map<String, Json>,
        scopes: &mut Scopes<'a>,
        delta: &mut Delta,
    ) {
        let field = &self.form.groups[gid.0 as usize].fields[fi];
        let new = self.slot(gid, fi, obj.get(&field.id), &inst.path, scopes);
        let old = std::mem::replace(&mut inst.fields[fi], new);
        old.each(&mut |p| delta.removed.push(p.clone()));
        inst.fields[fi].each(&mut |p| delta.added.push(p.clone()));
    }

    /// Re-checks `unit` in every instance of its group within `inst` (whose object is the
    /// last of `scopes`).
    fn redo(
        &self,
        inst: &mut Inst,
        gid: GroupId,
        obj: &'a Map<String, Json>,
        unit: Unit,
        scopes: &mut Scopes<'a>,
        delta: &mut Delta,
    ) {
        let deps = self.form.deps();
        let target = match unit {
            Unit::Field(g, _) | Unit::Rule(g, _) => g,
            Unit::Document(_) => return,
        };
        if target == gid {
            match unit {
                Unit::Field(_, fi) => self.redo_slot(inst, gid, fi, obj, scopes, delta),
                Unit::Rule(_, ri) => {
                    let new = self.rule(gid, ri, &inst.path, scopes);
                    let old = std::mem::replace(&mut inst.rules[ri], new);
                    delta.removed.extend(old.problems);
                    delta.added.extend(inst.rules[ri].problems.iter().cloned());
                }
                Unit::Document(_) => {}
            }
            return;
        }
        let group = &self.form.groups[gid.0 as usize];
        for (fi, field) in group.fields.iter().enumerate() {
            let Some(cgid) = field.group else { continue };
            if !deps.within(target, cgid) {
                continue;
            }
            let value = obj.get(&field.id);
            for (i, item) in inst.fields[fi].items.iter_mut().enumerate() {
                let Item::Group(child) = item else { continue };
                let child_obj = match field.repeat {
                    None => value.and_then(Json::as_object),
                    Some(_) => value.and_then(|v| v.get(i)).and_then(Json::as_object),
                };
                if let Some(child_obj) = child_obj {
                    scopes.push(child_obj);
                    self.redo(child, cgid, child_obj, unit, scopes, delta);
                    scopes.pop();
                }
            }
        }
    }

    /// Re-checks what an edit at `segs` below `inst` reaches; returns the checklist items to
    /// re-check (their conditions read the root's fields).
    #[allow(clippy::too_many_arguments)]
    fn edit(
        &self,
        inst: &mut Inst,
        gid: GroupId,
        obj: &'a Map<String, Json>,
        segs: &[Seg],
        scopes: &mut Scopes<'a>,
        delta: &mut Delta,
        docs: &mut Vec<usize>,
    ) {
        let Some(group) = self.form.groups.get(gid.0 as usize) else { return };
        let Some(Seg::Key(key)) = segs.first() else { return };
        scopes.push(obj);
        match group.fields.iter().position(|f| f.id == *key) {
            None => {
                let (_, unexpected) = field_values(group, obj);
                let mut v = self.validator();
                v.unexpected(&inst.path, &unexpected);
                let old = std::mem::replace(&mut inst.unexpected, v.problems);
                delta.removed.extend(old);
                delta.added.extend(inst.unexpected.iter().cloned());
            }
            Some(fi) => {
                let field = &group.fields[fi];
                let value = obj.get(key);
                let (child_obj, index, rest) = match (field.repeat, segs.get(1)) {
                    (None, Some(Seg::Key(_))) => (value.and_then(Json::as_object), 0, &segs[1..]),
                    (Some(_), Some(Seg::Index(i))) if segs.len() > 2 => {
                        (value.and_then(|v| v.get(*i)).and_then(Json::as_object), *i, &segs[2..])
                    }
                    _ => (None, 0, &segs[..0]),
                };
                let descended = match (child_obj, field.group, inst.fields[fi].items.get_mut(index)) {
                    (Some(child_obj), Some(cgid), Some(Item::Group(child))) if !rest.is_empty() => {
                        self.edit(child, cgid, child_obj, rest, scopes, delta, docs);
                        true
                    }
                    _ => false,
                };
                if !descended {
                    self.redo_slot(inst, gid, fi, obj, scopes, delta);
                }
                let mut units: Vec<Unit> = self.form.deps().readers(gid, key, &segs[1..]).collect();
                units.dedup();
                for unit in units {
                    match unit {
                        Unit::Document(di) => docs.push(di),
                        unit => self.redo(inst, gid, obj, unit, scopes, delta),
                    }
                }
            }
        }
        scopes.pop();
    }
}

/// A form's data held between edits, for validation as the citizen types.
///
/// [`FormSession::set`] changes one field and returns only the problems that appeared and
/// disappeared, re-checking just the field and the rules, conditions, bounds and checklist
/// items whose expressions read it. [`FormSession::problems`] is always exactly what
/// [`Form::validate`] reports for [`FormSession::data`] and the documents, in the same order.
///
/// Paths are the JSON paths of [`Problem::path`], with or without the leading `$`:
/// `child.birth_date`, `$.household_members[2].full_name`, `$['odd key']`.
///
/// ```
/// use motcua::{Code, Form, FormSession};
/// use serde_json::json;
/// let form = Form::from_yaml(r#"
/// form:
///   fields:
///     name: {label: {vi: Tên, en: Name}, type: text, required: true}
///     age: {label: {vi: Tuổi, en: Age}, type: integer, min: 0}
///     guardian: {label: {vi: Người giám hộ, en: Guardian}, type: text, required_if: age < 18}
/// "#, "f.yaml").unwrap();
/// let today = chrono::NaiveDate::from_ymd_opt(2026, 2, 13).unwrap();
/// let mut s = FormSession::new(form.clone(), today);
/// assert_eq!(s.problems().len(), 1); // name is required
///
/// let d = s.set("age", json!(12)).unwrap(); // now a guardian is required too
/// assert_eq!(d.added.iter().map(|p| (p.path.as_str(), p.code)).collect::<Vec<_>>(), [("$.guardian", Code::FieldRequired)]);
/// assert!(d.removed.is_empty());
///
/// let d = s.set("$.guardian", json!("Bà Lan")).unwrap();
/// assert_eq!(d.removed.len(), 1);
/// assert_eq!(s.problems(), form.validate(&json!(s.data()), &[], today).problems);
/// ```
#[derive(Clone, Debug)]
pub struct FormSession {
    form: Arc<Form>,
    today: NaiveDate,
    data: Map<String, Json>,
    documents: Vec<SubmittedDocument>,
    root: Inst,
    checklist: Vec<Part>,
    unknown: Vec<Problem>,
    /// The whole validation's problems, while the parts would not add up to it (limits hit).
    whole: Option<Vec<Problem>>,
}

impl FormSession {
    /// A session on empty form data and no documents; `today` is the date relative dates are
    /// checked against. The dependency index is built on the form's first session and shared
    /// by its clones.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields:\n    n: {label: {vi: Tên}, type: text, required: true}\n", "f.yaml").unwrap();
    /// let s = motcua::FormSession::new(form, chrono::NaiveDate::MIN);
    /// assert_eq!(s.problems()[0].path, "$.n");
    /// ```
    pub fn new(form: impl Into<Arc<Form>>, today: NaiveDate) -> FormSession {
        let mut s = FormSession {
            form: form.into(),
            today,
            data: Map::new(),
            documents: Vec::new(),
            root: Inst::default(),
            checklist: Vec::new(),
            unknown: Vec::new(),
            whole: None,
        };
        s.rebuild();
        s
    }

    /// The form the session checks against.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
    /// assert_eq!(motcua::FormSession::new(form, chrono::NaiveDate::MIN).form().field_count(), 0);
    /// ```
    pub fn form(&self) -> &Form {
        &self.form
    }

    /// The form data as it stands.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields:\n    c: {label: {vi: Con}, type: group, fields: {n: {label: {vi: Tên}, type: text}}}\n", "f.yaml").unwrap();
    /// let mut s = motcua::FormSession::new(form, chrono::NaiveDate::MIN);
    /// s.set("c.n", "An".into()).unwrap();
    /// assert_eq!(serde_json::Value::Object(s.data().clone()), serde_json::json!({"c": {"n": "An"}}));
    /// ```
    pub fn data(&self) -> &Map<String, Json> {
        &self.data
    }

    /// The submitted documents as they stand.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
    /// assert!(motcua::FormSession::new(form, chrono::NaiveDate::MIN).documents().is_empty());
    /// ```
    pub fn documents(&self) -> &[SubmittedDocument] {
        &self.documents
    }

    /// Every problem, in [`Form::validate`]'s order: form fields in form order, then documents.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields: {}\ndocuments:\n  a: {name: {vi: Tờ khai}}\n", "f.yaml").unwrap();
    /// let s = motcua::FormSession::new(form, chrono::NaiveDate::MIN);
    /// assert_eq!(s.problems()[0].code, motcua::Code::DocumentMissing);
    /// ```
    pub fn problems(&self) -> Vec<Problem> {
        if let Some(whole) = &self.whole {
            return whole.clone();
        }
        let mut out = Vec::new();
        self.each(&mut |p| out.push(p.clone()));
        out
    }

    /// The problems as a [`Validation`], as [`Form::validate`] returns them.
    ///
    /// ```
    /// let form = motcua::Form::from_yaml("form:\n  fields: {}\n", "f.yaml").unwrap();
    /// assert!(motcua::FormSession::new(form, chrono::NaiveDate::MIN).validation().is_valid());
    /// ```
    pub fn validation(&self) -> Validation {
        Validation { problems: self.problems() }
    }

    /// Sets the field at `path` to `value`, creating the objects on the way (a list item is
    /// added at index = the list's length), and returns the problems that appeared and
    /// disappeared. A bad path is an error and leaves the session untouched.
    ///
    /// ```
    /// use motcua::{Code, Form, FormSession};
    /// use serde_json::json;
    /// let form = Form::from_yaml(r#"
    /// form:
    ///   fields:
    ///     members:
    ///       label: {vi: Thành viên}
    ///       type: group
    ///       repeat: {min: 0, max: 5}
    ///       fields:
    ///         full_name: {label: {vi: Họ tên}, type: text, required: true}
    /// "#, "f.yaml").unwrap();
    /// let mut s = FormSession::new(form, chrono::NaiveDate::MIN);
    /// let d = s.set("members[0]", json!({})).unwrap();
    /// assert_eq!((d.added[0].path.as_str(), d.added[0].code), ("$.members[0].full_name", Code::FieldRequired));
    /// let d = s.set("members[0].full_name", json!("Lan")).unwrap();
    /// assert_eq!(d.removed.len(), 1);
    /// assert_eq!(s.set("members[3]", json!({})).unwrap_err().code, Code::InvalidValue);
    /// ```
    pub fn set(&mut self, path: &str, value: Json) -> Result<Delta, SessionError> {
        let segs = parse_path(path)?;
        edit_data(&mut self.data, &segs, Some(value), path)?;
        Ok(self.after_edit(&segs))
    }

    /// Removes the field at `path` (an object key, or a list item, shifting those after it);
    /// removing what is not there changes nothing.
    ///
    /// ```
    /// use motcua::{Form, FormSession};
    /// let form = Form::from_yaml("form:\n  fields:\n    n: {label: {vi: Tên}, type: text, required: true}\n", "f.yaml").unwrap();
    /// let mut s = FormSession::new(form, chrono::NaiveDate::MIN);
    /// s.set("n", "An".into()).unwrap();
    /// let d = s.remove("n").unwrap();
    /// assert_eq!(d.added[0].code, motcua::Code::FieldRequired);
    /// ```
    pub fn remove(&mut self, path: &str) -> Result<Delta, SessionError> {
        let segs = parse_path(path)?;
        edit_data(&mut self.data, &segs, None, path)?;
        Ok(self.after_edit(&segs))
    }

    /// Replaces the whole form data (an object) and checks it all.
    ///
    /// ```
    /// use motcua::{Form, FormSession};
    /// let form = Form::from_yaml("form:\n  fields:\n    n: {label: {vi: Tên}, type: text, required: true}\n", "f.yaml").unwrap();
    /// let mut s = FormSession::new(form, chrono::NaiveDate::MIN);
    /// let d = s.set_data(serde_json::json!({"n": "An"}).as_object().unwrap().clone());
    /// assert_eq!(d.removed.len(), 1);
    /// assert!(s.problems().is_empty());
    /// ```
    pub fn set_data(&mut self, data: Map<String, Json>) -> Delta {
        let before = self.problems();
        self.data = data;
        self.rebuild();
        diff(before, self.problems())
    }

    /// Replaces the submitted documents and re-checks the checklist and every condition that
    /// reads the documents.
    ///
    /// ```
    /// use motcua::{Form, FormSession, SubmittedDocument};
    /// let form = Form::from_yaml("form:\n  fields: {}\ndocuments:\n  a: {name: {vi: Tờ khai}}\n", "f.yaml").unwrap();
    /// let mut s = FormSession::new(form, chrono::NaiveDate::MIN);
    /// let d = s.set_documents(vec![SubmittedDocument { id: "a".into(), originals: 1, ..Default::default() }]);
    /// assert_eq!(d.removed[0].code, motcua::Code::DocumentMissing);
    /// assert!(s.problems().is_empty());
    /// ```
    pub fn set_documents(&mut self, documents: Vec<SubmittedDocument>) -> Delta {
        let before = self.whole.take();
        let mut delta = Delta::default();
        self.documents = documents;
        let form = Arc::clone(&self.form);
        let cx = Cx { form: &form, today: self.today, documents: &self.documents };
        let mut scopes = vec![&self.data];
        for &unit in &form.deps().documents {
            if let Unit::Field(..) | Unit::Rule(..) = unit {
                cx.redo(&mut self.root, ROOT, &self.data, unit, &mut scopes, &mut delta);
            }
        }
        for di in 0..form.documents.len() {
            let new = cx.document(di, &self.data);
            let old = std::mem::replace(&mut self.checklist[di], new);
            delta.removed.extend(old.problems);
            delta.added.extend(self.checklist[di].problems.iter().cloned());
        }
        delta.removed.append(&mut self.unknown);
        self.unknown = cx.unknown_documents();
        delta.added.extend(self.unknown.iter().cloned());
        self.settle(before, delta)
    }

    fn after_edit(&mut self, segs: &[Seg]) -> Delta {
        let before = self.whole.take();
        let mut delta = Delta::default();
        let form = Arc::clone(&self.form);
        let cx = Cx { form: &form, today: self.today, documents: &self.documents };
        let mut docs = Vec::new();
        cx.edit(&mut self.root, ROOT, &self.data, segs, &mut Vec::new(), &mut delta, &mut docs);
        docs.sort_unstable();
        docs.dedup();
        for di in docs {
            let new = cx.document(di, &self.data);
            let old = std::mem::replace(&mut self.checklist[di], new);
            delta.removed.extend(old.problems);
            delta.added.extend(self.checklist[di].problems.iter().cloned());
        }
        self.settle(before, delta)
    }

    /// Turns the parts' delta into the answer, going to (or back from) the whole validation
    /// when the limits make the parts differ from it.
    fn settle(&mut self, before: Option<Vec<Problem>>, mut delta: Delta) -> Delta {
        let whole = self.limited().then(|| {
            let data = Json::Object(self.data.clone());
            self.form.validate(&data, &self.documents, self.today).problems
        });
        match (before, whole) {
            (None, None) => {
                delta.settle();
                delta
            }
            (before, whole) => {
                let before = before.unwrap_or_else(|| {
                    // The parts before the edit: the parts now, with the edit undone.
                    let mut parts = Vec::new();
                    self.each(&mut |p| parts.push(p.clone()));
                    let mut undo = diff(delta.added, parts);
                    undo.removed.extend(delta.removed);
                    undo.removed
                });
                self.whole = whole;
                diff(before, self.problems())
            }
        }
    }

    /// Whether the whole validation would stop early (too many problems, budget spent).
    fn limited(&self) -> bool {
        let mut count = 0usize;
        let mut limit = false;
        self.each(&mut |p| {
            count += 1;
            limit |= p.code == Code::LimitExceeded;
        });
        let fuel = self.root.fuel() + self.checklist.iter().map(|p| p.fuel).sum::<u64>();
        limit || count >= MAX_PROBLEMS || fuel >= self.form.limits.validation_fuel
    }

    fn each(&self, f: &mut impl FnMut(&Problem)) {
        self.root.each(f);
        self.checklist.iter().for_each(|p| p.problems.iter().for_each(&mut *f));
        self.unknown.iter().for_each(f);
    }

    fn rebuild(&mut self) {
        let form = Arc::clone(&self.form);
        let cx = Cx { form: &form, today: self.today, documents: &self.documents };
        self.root = cx.inst(ROOT, &self.data, "$".into(), &mut Vec::new());
        self.checklist = (0..form.documents.len()).map(|di| cx.document(di, &self.data)).collect();
        self.unknown = cx.unknown_documents();
        self.whole = self.limited().then(|| {
            let data = Json::Object(self.data.clone());
            form.validate(&data, &self.documents, self.today).problems
        });
    }
}

/// What is in `after` and not `before` (as multisets), and the other way round.
fn diff(mut before: Vec<Problem>, after: Vec<Problem>) -> Delta {
    let mut added = Vec::new();
    for p in after {
        match before.iter().position(|b| *b == p) {
            Some(i) => {
                before.swap_remove(i);
            }
            None => added.push(p),
        }
    }
    Delta { added, removed: before }
}

fn bad_path(path: &str, vi: &str, en: &str) -> SessionError {
    SessionError { code: Code::InvalidValue, path: path.to_owned(), message: Message::new(vi, en) }
}

/// `$.a.b[2]['odd key']` (the `$` optional, a first key without its dot).
fn parse_path(path: &str) -> Result<Vec<Seg>, SessionError> {
    let bad = || bad_path(path, "Đường dẫn trường không hợp lệ", "the field path is malformed");
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    let mut segs = Vec::new();
    if !rest.is_empty() && !rest.starts_with(['.', '[']) {
        rest = &path[path.len() - rest.len()..];
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        segs.push(Seg::Key(rest[..end].to_owned()));
        rest = &rest[end..];
    }
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("['") {
            let mut key = String::new();
            let mut chars = r.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => key.push(chars.next().ok_or_else(bad)?.1),
                    '\'' => {
                        end = Some(i);
                        break;
                    }
                    c => key.push(c),
                }
            }
            let end = end.ok_or_else(bad)?;
            rest = r[end + 1..].strip_prefix(']').ok_or_else(bad)?;
            segs.push(Seg::Key(key));
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(bad)?;
            let index = r[..end].parse::<usize>().map_err(|_| bad())?;
            segs.push(Seg::Index(index));
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            segs.push(Seg::Key(r[..end].to_owned()));
            rest = &r[end..];
        } else {
            return Err(bad());
        }
    }
    match segs.first() {
        Some(Seg::Key(k)) if !k.is_empty() && segs.iter().all(|s| !matches!(s, Seg::Key(k) if k.is_empty())) => {
            Ok(segs)
        }
        _ => Err(bad()),
    }
}

/// Sets (`Some`) or removes (`None`) the value at `segs`; on error nothing changed.
fn edit_data(data: &mut Map<String, Json>, segs: &[Seg], value: Option<Json>, path: &str) -> Result<(), SessionError> {
    // Check first, so that a failed edit leaves the data untouched.
    let past_end = || {
        bad_path(
            path,
            "Chỉ số vượt quá cuối danh sách",
            "the index is past the end of the list (add items at its length)",
        )
    };
    let wrong = || SessionError {
        code: Code::InvalidType,
        path: path.to_owned(),
        message: Message::new(
            "Đường dẫn đi qua một giá trị không phải đối tượng hay danh sách",
            "the path goes through a value that is not an object or a list",
        ),
    };
    let setting = value.is_some();
    let Some(Seg::Key(first)) = segs.first() else { return Err(past_end()) };
    let mut cur: Option<&Json> = data.get(first);
    for seg in &segs[1..] {
        cur = match (cur, seg) {
            (None | Some(Json::Null), _) if !setting => return Ok(()),
            (None | Some(Json::Null), Seg::Index(n)) if *n > 0 => return Err(past_end()),
            (None | Some(Json::Null), _) => None,
            (Some(Json::Object(m)), Seg::Key(k)) => m.get(k),
            (Some(Json::Array(a)), Seg::Index(n)) if *n > a.len() => return Err(past_end()),
            (Some(Json::Array(a)), Seg::Index(n)) if *n == a.len() && !setting => return Ok(()),
            (Some(Json::Array(a)), Seg::Index(n)) => a.get(*n),
            _ => return Err(wrong()),
        };
    }
    // Apply.
    if segs.len() == 1 {
        match value {
            Some(v) => {
                data.insert(first.clone(), v);
            }
            None => {
                data.remove(first);
            }
        }
        return Ok(());
    }
    let mut cur = data.entry(first.clone()).or_insert(Json::Null);
    for (i, seg) in segs.iter().enumerate().skip(1) {
        let last = i + 1 == segs.len();
        if cur.is_null() {
            *cur = match seg {
                Seg::Key(_) => Json::Object(Map::new()),
                Seg::Index(_) => Json::Array(Vec::new()),
            };
        }
        match (cur, seg) {
            (Json::Object(m), Seg::Key(k)) => {
                if last {
                    match value {
                        Some(v) => {
                            m.insert(k.clone(), v);
                        }
                        None => {
                            m.remove(k);
                        }
                    }
                    return Ok(());
                }
                cur = m.entry(k.clone()).or_insert(Json::Null);
            }
            (Json::Array(a), Seg::Index(n)) => {
                if last {
                    match value {
                        Some(v) if *n == a.len() => a.push(v),
                        Some(v) => a[*n] = v,
                        None if *n < a.len() => {
                            a.remove(*n);
                        }
                        None => {}
                    }
                    return Ok(());
                }
                if *n == a.len() {
                    a.push(Json::Null);
                }
                cur = &mut a[*n];
            }
            _ => return Ok(()),
        }
    }
    Ok(())
}
