//! Where every node of a spec's text stands, whatever the text's format.
//!
//! A [`SourceMap`] maps every key and value of one document to its line and column by
//! dotted path (`steps.receive.actions.accept.to[1]`). The readers build it — `crate::spec::yaml`
//! from the YAML parser's events, `crate::spec::json` from its own scan of JSON text — and the
//! compiler places every diagnostic through it.
//!
//! This module names no parser: a build that reads only JSON carries no YAML code.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::diagnostic::{Code, Diagnostic, Label, Message};
use crate::limits::Limits;

/// A 1-based line and column; columns count characters (Unicode scalar values).
pub(crate) use crate::diagnostic::Position as Pos;

/// Where a mapping entry's key (if any) and its value start, and where they end when the
/// reader knows it (scalars; a collection has only a start).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Place {
    pub key: Option<Pos>,
    pub key_end: Option<Pos>,
    pub value: Pos,
    pub value_end: Option<Pos>,
}

/// Which part of a mapping entry a diagnostic points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// The key (`appraisal:` in `steps.appraisal`).
    Key,
    /// The value.
    Value,
}

/// The format of the text a [`SourceMap`] describes: it decides how a column inside a
/// quoted string is counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// YAML.
    #[default]
    Yaml,
    /// JSON.
    Json,
}

/// How a reader finds the places of a document when they are first asked for: given the
/// file name and the text, the map of every path (see [`SourceMap::deferred`]).
pub(crate) type Locate = fn(&str, &str) -> HashMap<String, Place>;

/// Where every node of one document stands, by dotted path.
///
/// The places are found when first needed: a document that loads and compiles without a
/// diagnostic never pays for them (the YAML reader defers its positions pass, which is about
/// as costly as the deserialization itself).
#[derive(Clone, Debug, Default)]
pub(crate) struct SourceMap {
    file: String,
    places: OnceLock<HashMap<String, Place>>,
    locate: Option<Locate>,
    source: String,
    syntax: Syntax,
}

impl SourceMap {
    /// An empty map of `source`, named `file` in diagnostics.
    pub(crate) fn new(file: &str, source: &str, syntax: Syntax) -> SourceMap {
        SourceMap {
            file: file.to_owned(),
            places: OnceLock::from(HashMap::new()),
            locate: None,
            source: source.to_owned(),
            syntax,
        }
    }

    /// The places, for a reader that builds them for a deferred map.
    pub(crate) fn into_places(mut self) -> HashMap<String, Place> {
        self.places.take().unwrap_or_default()
    }

    /// A map of `source` whose places `locate` finds on first use.
    pub(crate) fn deferred(file: &str, source: &str, syntax: Syntax, locate: Locate) -> SourceMap {
        SourceMap {
            file: file.to_owned(),
            places: OnceLock::new(),
            locate: Some(locate),
            source: source.to_owned(),
            syntax,
        }
    }

    /// Every place, found now if they were deferred.
    fn places(&self) -> &HashMap<String, Place> {
        self.places.get_or_init(|| self.locate())
    }

    fn locate(&self) -> HashMap<String, Place> {
        self.locate.map(|locate| locate(&self.file, &self.source)).unwrap_or_default()
    }

    /// Changes the places (found first if they were deferred).
    fn edit_places(&mut self, edit: impl FnOnce(&mut HashMap<String, Place>)) {
        let mut places = self.places.take().unwrap_or_else(|| self.locate());
        edit(&mut places);
        let _ = self.places.set(places);
    }

    /// Records where the node at `path` stands.
    pub(crate) fn insert(&mut self, path: String, place: Place) {
        self.edit_places(|places| {
            places.insert(path, place);
        });
    }

    /// Records where the value at `path`, already inserted, ends.
    pub(crate) fn set_value_end(&mut self, path: &str, end: Pos) {
        self.edit_places(|places| {
            if let Some(place) = places.get_mut(path) {
                place.value_end = Some(end);
            }
        });
    }

    /// The file name diagnostics carry.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// A diagnostic inside a one-line scalar value: `span` is a byte range of `value` (the
    /// scalar's text), e.g. the span of an expression error. Multi-line values are placed at
    /// their start.
    pub(crate) fn value_diagnostic(
        &self,
        code: Code,
        path: &str,
        message: Message,
        value: &str,
        span: std::ops::Range<usize>,
    ) -> Diagnostic {
        let mut d = self.diagnostic(code, path, Part::Value, message);
        if d.line == 0 {
            return d;
        }
        let line = self.source.lines().nth(d.line as usize - 1);
        let column_of = |offset: usize| -> Option<usize> {
            match self.syntax {
                Syntax::Yaml if !value.contains('\n') => {
                    let chars = value.get(..offset).map_or(0, |s| s.chars().count());
                    let mut column = d.column as usize + chars;
                    // A quoted scalar starts one column before its text.
                    if matches!(line.and_then(|l| l.chars().nth(d.column as usize - 1)), Some('"' | '\'')) {
                        column += 1;
                    }
                    Some(column)
                }
                Syntax::Yaml => None,
                Syntax::Json => {
                    // A JSON string is on one line; escapes (`\"`, `\u1ec7`) take more columns than
                    // the characters they stand for.
                    let raw = line.map(|l| l.chars().skip(d.column as usize - 1));
                    match raw.map(|mut r| (r.next(), r)) {
                        Some((Some('"'), rest)) => Some(d.column as usize + 1 + json_string_columns(rest, offset)),
                        _ => None,
                    }
                }
            }
        };
        let Some(start) = column_of(span.start) else { return d };
        let end = column_of(span.end.max(span.start)).filter(|&e| e > start);
        let line_no = d.line;
        d.column = u32::try_from(start).unwrap_or(u32::MAX);
        d.end = end.map(|e| Pos { line: line_no, column: u32::try_from(e).unwrap_or(u32::MAX) });
        d
    }

    /// The position of `path` (or of its nearest recorded ancestor).
    #[cfg(test)]
    pub(crate) fn pos(&self, path: &str, part: Part) -> Pos {
        self.span(path, part).0
    }

    /// Where the node at `path` (or its nearest recorded ancestor) starts, and ends if known.
    pub(crate) fn span(&self, path: &str, part: Part) -> (Pos, Option<Pos>) {
        let mut path = path;
        loop {
            if let Some(place) = self.places().get(path) {
                return match (part, place.key) {
                    (Part::Key, Some(key)) => (key, place.key_end),
                    _ => (place.value, place.value_end),
                };
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None if !path.is_empty() => path = "",
                None => return (Pos::default(), None),
            }
        }
    }

    /// The keys of the mapping at `path`, in no particular order.
    pub(crate) fn keys_of(&self, path: &str) -> Vec<&str> {
        let prefix = if path.is_empty() { String::new() } else { format!("{path}.") };
        self.places()
            .iter()
            .filter(|(_, place)| place.key.is_some())
            .filter_map(|(p, _)| p.strip_prefix(prefix.as_str()))
            .filter(|rest| !rest.is_empty() && !rest.contains(['.', '[']))
            .collect()
    }

    /// A secondary label at `path`, for [`Diagnostic::with_label`].
    pub(crate) fn label(&self, path: &str, part: Part, message: Message) -> Label {
        let (pos, end) = self.span(path, part);
        Label { line: pos.line, column: pos.column, end, path: path.to_owned(), message }
    }

    /// Builds a diagnostic placed at `path`.
    pub(crate) fn diagnostic(&self, code: Code, path: &str, part: Part, message: Message) -> Diagnostic {
        let (pos, end) = self.span(path, part);
        let mut d = Diagnostic::new(code, message);
        d.file = self.file.clone();
        d.line = pos.line;
        d.column = pos.column;
        d.end = end;
        d.path = path.to_owned();
        d
    }

    /// Builds a diagnostic placed at `pos`, with the path of the node there ([`Self::path_at`]).
    pub(crate) fn diagnostic_at(&self, code: Code, pos: Pos, message: Message) -> Diagnostic {
        let mut d = Diagnostic::new(code, message);
        d.file = self.file.clone();
        d.line = pos.line;
        d.column = pos.column;
        d.path = self.path_at(pos);
        d
    }

    /// A key that appears twice in one mapping, placed at the second (`pos` to `end`), with a
    /// label at the first (`first`, where the reader knows it): readers report it rather than
    /// silently keep one of the values.
    pub(crate) fn duplicate_key(
        &self,
        key: &str,
        (pos, end): (Pos, Option<Pos>),
        path: &str,
        first: Option<(Pos, Option<Pos>)>,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(
            Code::DuplicateKey,
            Message::new(
                format!("Khóa `{key}` xuất hiện hai lần; giá trị sau bị bỏ qua"),
                format!("key `{key}` appears twice; the later value is ignored"),
            ),
        );
        d.file = self.file.clone();
        d.line = pos.line;
        d.column = pos.column;
        d.end = end;
        d.path = path.to_owned();
        if let Some((first, first_end)) = first {
            d.labels.push(Label {
                line: first.line,
                column: first.column,
                end: first_end,
                path: path.to_owned(),
                message: Message::new("viết lần đầu ở đây", "first written here"),
            });
        }
        d
    }

    /// The path of the node that starts at `pos`, preferring keys, else the last node before it.
    pub(crate) fn path_at(&self, pos: Pos) -> String {
        let mut best: Option<(Pos, &str)> = None;
        for (path, place) in self.places() {
            for (candidate, is_key) in [(place.key, true), (Some(place.value), false)] {
                let Some(candidate) = candidate else { continue };
                if candidate == pos && is_key {
                    return path.clone();
                }
                if candidate <= pos
                    && best.is_none_or(|(b, p)| candidate > b || (candidate == b && path.len() > p.len()))
                {
                    best = Some((candidate, path));
                }
            }
        }
        best.map(|(_, p)| p.to_owned()).unwrap_or_default()
    }
}

/// How many characters of a JSON string's text (after its opening quote) hold the first
/// `offset` bytes of the string's value.
fn json_string_columns(mut raw: impl Iterator<Item = char>, offset: usize) -> usize {
    let (mut bytes, mut columns) = (0, 0);
    while bytes < offset {
        match raw.next() {
            None | Some('"') => break,
            Some('\\') => match raw.next() {
                Some('u') => {
                    let hex: String = raw.by_ref().take(4).collect();
                    let unit = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                    columns += 6;
                    if (0xD800..0xDC00).contains(&unit) {
                        // A surrogate pair: `\ud83d\ude00` is one character of four bytes.
                        raw.by_ref().take(6).for_each(drop);
                        columns += 6;
                        bytes += 4;
                    } else {
                        bytes += char::from_u32(unit).map_or(3, char::len_utf8);
                    }
                }
                Some(_) => {
                    columns += 2;
                    bytes += 1;
                }
                None => break,
            },
            Some(c) => {
                columns += 1;
                bytes += c.len_utf8();
            }
        }
    }
    columns
}

/// Joins a mapping key onto a path: `steps` + `receive` → `steps.receive`.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") }
}

/// Joins a sequence index onto a path: `to` + 1 → `to[1]`.
pub(crate) fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// The diagnostic for a text longer than [`Limits::max_input_bytes`], if it is.
pub(crate) fn too_large(text: &str, file: &str, limits: &Limits) -> Option<Diagnostic> {
    if text.len() <= limits.max_input_bytes {
        return None;
    }
    let mut d = Diagnostic::new(
        Code::LimitExceeded,
        Message::new(
            format!("Tệp quá lớn: {} byte, tối đa {} byte", text.len(), limits.max_input_bytes),
            format!("input too large: {} bytes, at most {}", text.len(), limits.max_input_bytes),
        ),
    );
    d.file = file.to_owned();
    Some(d)
}

/// The code and the bilingual message of a serde error message (`unknown field `x`, expected
/// one of …`, `invalid type: …`), whichever deserializer wrote it.
pub(crate) fn serde_message(en: &str) -> (Code, Message) {
    let (code, vi) = classify(en);
    let en = if let Some((_, kind_en)) = structure_kind(en) {
        format!("invalid type: expected {kind_en}")
    } else if let Some((_, kind_en)) = en.strip_prefix("invalid ").and_then(scalar_kind) {
        format!("invalid type: expected {kind_en}")
    } else {
        en.to_owned()
    };
    (code, Message::new(vi, en))
}

/// Classifies a serde error message into a code and a Vietnamese rendering.
fn classify(en: &str) -> (Code, String) {
    let quoted = |s: &str| -> String { s.split('`').nth(1).map(str::to_owned).unwrap_or_default() };
    let expected = |s: &str| -> String { s.split_once("expected ").map(|(_, e)| e.to_owned()).unwrap_or_default() };
    if en.starts_with("unknown field") {
        let name = quoted(en);
        let valid = expected(en).replace("one of ", "");
        (Code::UnknownField, format!("Trường `{name}` không được hỗ trợ ở đây; các trường hợp lệ: {valid}"))
    } else if en.starts_with("missing field") {
        (Code::MissingField, format!("Thiếu trường bắt buộc `{}`", quoted(en)))
    } else if en.starts_with("unknown variant") {
        let valid = expected(en).replace("one of ", "");
        (Code::InvalidValue, format!("Giá trị `{}` không hợp lệ; các giá trị hợp lệ: {valid}", quoted(en)))
    } else if let Some(kind) = en.strip_prefix("invalid ").and_then(scalar_kind) {
        (Code::InvalidType, format!("Sai kiểu dữ liệu, cần {}", kind.0))
    } else if let Some((kind_vi, _)) = structure_kind(en) {
        (Code::InvalidType, format!("Sai kiểu dữ liệu, cần {kind_vi}"))
    } else if en.starts_with("invalid type") {
        (Code::InvalidType, format!("Sai kiểu dữ liệu, cần {}", expected(en)))
    } else if en.contains("budget") || en.contains("limit") {
        (Code::LimitExceeded, format!("Vượt quá giới hạn tài nguyên: {en}"))
    } else if en.starts_with("invalid working duration") {
        (
            Code::InvalidValue,
            "Thời lượng không hợp lệ: ghi một số và đơn vị, ví dụ `3d` (ngày làm việc), `0.5d`, `4h`, `30m`".to_owned(),
        )
    } else {
        (Code::InvalidValue, format!("Giá trị không hợp lệ: {en}"))
    }
}

/// serde-saphyr reports a mistyped scalar as `invalid u32`: name the kind in both languages.
pub(crate) fn scalar_kind(rust_type: &str) -> Option<(&'static str, &'static str)> {
    Some(match rust_type {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
            ("một số nguyên", "a whole number")
        }
        "f32" | "f64" => ("một số", "a number"),
        "bool" => ("true hoặc false", "true or false"),
        _ => return None,
    })
}

/// serde-saphyr reports a scalar where a collection belongs as `expected sequence start`.
fn structure_kind(en: &str) -> Option<(&'static str, &'static str)> {
    let rest = en.strip_prefix("expected ")?;
    Some(if rest.starts_with("sequence") {
        ("một danh sách", "a list")
    } else if rest.starts_with("mapping") {
        ("một nhóm khóa: giá trị", "a mapping of keys to values")
    } else if rest.starts_with("scalar") || rest.starts_with("a scalar") {
        ("một giá trị đơn", "a single value")
    } else {
        return None;
    })
}

/// The document the readers' unit tests read.
/// Checks the `motcua:` format version at the top of a spec file (procedure, migration)
/// against the one this engine reads; `false` (with the diagnostic) when it is another.
pub(crate) fn check_format(found: u32, map: &SourceMap, out: &mut Vec<Diagnostic>) -> bool {
    use crate::spec::procedure::FORMAT_VERSION;
    let ok = found == FORMAT_VERSION;
    if !ok {
        out.push(map.diagnostic(
            Code::UnsupportedFormat,
            "motcua",
            Part::Value,
            Message::new(
                format!("Định dạng `motcua: {found}` không được hỗ trợ; phiên bản này đọc `motcua: {FORMAT_VERSION}`"),
                format!("format `motcua: {found}` is not supported; this engine reads `motcua: {FORMAT_VERSION}`"),
            ),
        ));
    }
    ok
}

/// Checks that an identifier is ASCII `snake_case`.
pub(crate) fn check_identifier(id: &str, map: &SourceMap, path: &str, part: Part, out: &mut Vec<Diagnostic>) {
    let ok = id.len() <= 64
        && id.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        out.push(
            map.diagnostic(
                Code::InvalidName,
                path,
                part,
                Message::new(
                    format!("Định danh `{id}` phải viết bằng chữ ASCII thường, số và dấu gạch dưới"),
                    format!("identifier `{id}` must be ASCII snake_case"),
                ),
            )
            .with_help(Message::new(
                "Ví dụ: `tiep_nhan` hoặc `receive`; nhãn tiếng Việt đặt trong `name`",
                "For example `receive`; put the Vietnamese label in `name`",
            )),
        );
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(crate) struct Doc {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(crate) struct Item {
        id: u32,
        #[serde(default)]
        after: Option<crate::duration::WorkingDuration>,
        #[serde(default)]
        tags: Vec<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_keys_and_indices() {
        assert_eq!(index(&join(&join("", "steps"), "receive"), 1), "steps.receive[1]");
    }

    #[test]
    fn json_escapes_take_their_written_width() {
        // `a\"b` then `ệ` written as `\u1ec7`, then a pair for 😀: offsets in the value's bytes.
        let raw = r#"a\"b\u1ec7\ud83d\ude00c""#;
        assert_eq!(json_string_columns(raw.chars(), 0), 0);
        assert_eq!(json_string_columns(raw.chars(), 2), 3); // after `a\"`
        assert_eq!(json_string_columns(raw.chars(), 3 + 3), 10); // after `\u1ec7`
        assert_eq!(json_string_columns(raw.chars(), 10), 22); // after the pair
        assert_eq!(json_string_columns(raw.chars(), 99), 23); // stops at the closing quote
    }

    #[test]
    fn serde_messages_get_codes_in_both_languages() {
        let (code, m) = serde_message("invalid u32");
        assert_eq!((code, m.en.as_str()), (Code::InvalidType, "invalid type: expected a whole number"));
        let (code, m) = serde_message("unknown variant `x`, expected `a` or `b`");
        assert_eq!(code, Code::InvalidValue);
        assert!(m.vi.contains("`x`"));
    }
}
