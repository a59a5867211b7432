//! Reading specs written as JSON: the serde serialization of the spec types, as a server
//! ships them to browsers.
//!
//! Like `crate::spec::yaml`, it reads the text twice:
//!
//! 1. a one-pass scan of the JSON text that records the line and column of every key and
//!    value under the dotted paths the YAML reader uses (`steps.receive.actions.accept.to[1]`),
//!    reports duplicate keys (serde_json would keep the last one silently) and enforces the
//!    size, depth and node-count [`Limits`]; it checks the syntax as strictly as serde_json, so
//!    syntax errors are placed by this scan;
//! 2. [`serde_json`] deserialization, whose errors become the same coded [`Diagnostic`]s as
//!    the YAML reader's, placed at the node they concern.
//!
//! It names no YAML code, so a build that loads only JSON leaves the YAML parser out.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::limits::Limits;
use crate::spec::source::{Part, Place, Pos, SourceMap, Syntax, index, join, scalar_kind, serde_message, too_large};

/// Reads one JSON document into `T`, with a map of where every node stands.
///
/// On failure returns every problem found, placed: the duplicate keys if there are any
/// (fix them first: the reader cannot tell which value was meant), otherwise the first
/// error of deserialization.
pub(crate) fn from_str<T: DeserializeOwned>(
    text: &str,
    file: &str,
    limits: &Limits,
) -> Result<(T, SourceMap), LoadError> {
    if let Some(d) = too_large(text, file, limits) {
        return Err(LoadError::new(vec![d]));
    }
    let Scanned { map, spans, mut problems } =
        Scanner::new(text, file, limits).run().map_err(|d| LoadError::new(vec![*d]))?;
    if !problems.is_empty() {
        // Duplicate keys, found by the scan. serde would report a duplicate struct field
        // again (in its own words) or silently keep the last value of any other map.
        return Err(LoadError::new(problems));
    }
    match serde_json::from_str::<T>(text) {
        Ok(value) => Ok((value, map)),
        Err(err) => {
            problems.push(serde_diagnostic(&err, text, &map, &spans));
            Err(LoadError::new(problems))
        }
    }
}

/// Where a key or value lies in the text, in bytes (`end` exclusive), for placing serde errors.
#[derive(Debug)]
struct Span {
    start: usize,
    end: usize,
    path: String,
    part: Part,
}

/// What a container expects next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Just opened: a member or the closing bracket.
    Open,
    /// After a `,`: a member.
    Comma,
    /// After a member: a `,` or the closing bracket.
    Member,
}

/// An open object or array. `path` is `None` below a duplicate key, whose value is not tracked.
enum Frame {
    Object { path: Option<String>, start: usize, state: State, seen: HashMap<String, (Pos, Option<Pos>)> },
    Array { path: Option<String>, start: usize, state: State, next: usize },
}

struct Scanned {
    map: SourceMap,
    spans: Vec<Span>,
    problems: Vec<Diagnostic>,
}

/// Pass 1: positions, duplicate keys, limits and syntax, in one pass without recursion.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
    line: u32,
    column: u32,
    limits: &'a Limits,
    map: SourceMap,
    spans: Vec<Span>,
    problems: Vec<Diagnostic>,
    stack: Vec<Frame>,
    nodes: usize,
}

/// A scan step; the error is boxed to keep the `Ok` path small.
type Scan<T> = Result<T, Box<Diagnostic>>;

impl<'a> Scanner<'a> {
    fn new(text: &'a str, file: &str, limits: &'a Limits) -> Scanner<'a> {
        Scanner {
            text,
            at: 0,
            line: 1,
            column: 1,
            limits,
            map: SourceMap::new(file, text, Syntax::Json),
            spans: Vec::new(),
            problems: Vec::new(),
            stack: Vec::new(),
            nodes: 0,
        }
    }

    fn run(mut self) -> Scan<Scanned> {
        if self.text.starts_with('\u{feff}') {
            return Err(self.syntax(
                "tệp bắt đầu bằng dấu BOM; hãy lưu ở dạng UTF-8 không có BOM",
                "the text starts with a byte-order mark; save it as UTF-8 without BOM",
            ));
        }
        self.whitespace();
        self.value(Some(String::new()), None)?;
        while !self.stack.is_empty() {
            self.whitespace();
            self.step()?;
        }
        self.whitespace();
        if self.peek().is_some() {
            return Err(self.syntax("có văn bản thừa sau giá trị JSON", "text after the end of the JSON value"));
        }
        Ok(Scanned { map: self.map, spans: self.spans, problems: self.problems })
    }

    fn pos(&self) -> Pos {
        Pos { line: self.line, column: self.column }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Moves past one byte, counting lines and characters.
    fn bump(&mut self) {
        let Some(b) = self.peek() else { return };
        self.at += 1;
        if b == b'\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else if self.peek().is_none_or(|next| next & 0xC0 != 0x80) {
            self.column = self.column.saturating_add(1);
        }
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    /// A syntax error at the current position.
    fn syntax(&self, vi: &str, en: &str) -> Box<Diagnostic> {
        Box::new(self.map.diagnostic_at(
            Code::JsonSyntax,
            self.pos(),
            Message::new(format!("Cú pháp JSON không hợp lệ: {vi}"), format!("invalid JSON: {en}")),
        ))
    }

    fn unexpected_end(&self) -> Box<Diagnostic> {
        self.syntax("văn bản kết thúc giữa chừng", "the text ends too early")
    }

    /// Counts one key or value against the node limit.
    fn count(&mut self) -> Scan<()> {
        self.nodes += 1;
        if self.nodes > self.limits.max_yaml_events {
            let max = self.limits.max_yaml_events;
            return Err(Box::new(self.map.diagnostic_at(
                Code::LimitExceeded,
                self.pos(),
                Message::new(
                    format!("Văn bản JSON có quá nhiều phần tử (tối đa {max} khóa và giá trị)"),
                    format!("the JSON document is too large (more than {max} keys and values)"),
                ),
            )));
        }
        Ok(())
    }

    /// One step inside the innermost open container.
    fn step(&mut self) -> Scan<()> {
        let (object, state) = match self.stack.last() {
            Some(Frame::Object { state, .. }) => (true, *state),
            Some(Frame::Array { state, .. }) => (false, *state),
            None => return Ok(()),
        };
        let close = if object { b'}' } else { b']' };
        match (state, self.peek()) {
            (_, None) => Err(self.unexpected_end()),
            (State::Open | State::Member, Some(b)) if b == close => {
                self.bump();
                self.close();
                Ok(())
            }
            (State::Member, Some(b',')) => {
                self.bump();
                self.set_state(State::Comma);
                Ok(())
            }
            (State::Member, _) if object => Err(self.syntax("cần `,` hoặc `}`", "expected `,` or `}`")),
            (State::Member, _) => Err(self.syntax("cần `,` hoặc `]`", "expected `,` or `]`")),
            (State::Comma, Some(b)) if b == close => {
                Err(self.syntax("dấu `,` thừa trước dấu đóng ngoặc", "a trailing `,` before the closing bracket"))
            }
            (_, Some(b'"')) if object => self.member(),
            (_, _) if object => Err(self.syntax("cần một khóa trong dấu ngoặc kép", "expected a key in double quotes")),
            (_, _) => {
                let path = match self.stack.last_mut() {
                    Some(Frame::Array { path, next, .. }) => {
                        *next += 1;
                        path.as_deref().map(|p| index(p, *next - 1))
                    }
                    _ => None,
                };
                self.set_state(State::Member);
                self.value(path, None)
            }
        }
    }

    fn set_state(&mut self, new: State) {
        if let Some(Frame::Object { state, .. } | Frame::Array { state, .. }) = self.stack.last_mut() {
            *state = new;
        }
    }

    /// Closes the innermost container (its closing bracket consumed).
    fn close(&mut self) {
        if let Some(Frame::Object { path, start, .. } | Frame::Array { path, start, .. }) = self.stack.pop()
            && let Some(path) = path
        {
            self.spans.push(Span { start, end: self.at, path, part: Part::Value });
        }
    }

    /// `"key": value` in an object.
    fn member(&mut self) -> Scan<()> {
        self.count()?;
        let (key_pos, key_start) = (self.pos(), self.at);
        let key = self.string()?;
        let (key_end, key_end_pos) = (self.at, self.pos());
        self.whitespace();
        if self.peek() != Some(b':') {
            return Err(self.syntax("cần dấu `:` sau khóa", "expected `:` after the key"));
        }
        self.bump();
        self.whitespace();
        let (parent, first) = match self.stack.last_mut() {
            Some(Frame::Object { path, state, seen, .. }) => {
                *state = State::Member;
                let first = seen.get(&key).copied();
                if first.is_none() {
                    seen.insert(key.clone(), (key_pos, Some(key_end_pos)));
                }
                (path.clone(), first)
            }
            _ => (None, None),
        };
        let path = match first {
            None => parent.map(|p| join(&p, &key)),
            Some(first) => {
                let path = join(parent.as_deref().unwrap_or_default(), &key);
                self.problems.push(self.map.duplicate_key(&key, (key_pos, Some(key_end_pos)), &path, Some(first)));
                None
            }
        };
        if let Some(path) = &path {
            self.spans.push(Span { start: key_start, end: key_end, path: path.clone(), part: Part::Key });
        }
        self.value(path, Some((key_pos, key_end_pos)))
    }

    /// A value: a scalar is read whole, a container is opened.
    fn value(&mut self, path: Option<String>, key: Option<(Pos, Pos)>) -> Scan<()> {
        self.count()?;
        let (pos, start) = (self.pos(), self.at);
        if let Some(path) = &path {
            let place = Place { key: key.map(|k| k.0), key_end: key.map(|k| k.1), value: pos, value_end: None };
            self.map.insert(path.clone(), place);
        }
        match self.peek() {
            Some(b @ (b'{' | b'[')) => {
                if self.stack.len() >= self.limits.max_depth {
                    let max = self.limits.max_depth;
                    return Err(Box::new(self.map.diagnostic_at(
                        Code::LimitExceeded,
                        pos,
                        Message::new(
                            format!("JSON lồng nhau quá sâu (tối đa {max} cấp)"),
                            format!("JSON nested too deeply (at most {max} levels)"),
                        ),
                    )));
                }
                self.bump();
                self.stack.push(if b == b'{' {
                    Frame::Object { path, start, state: State::Open, seen: HashMap::new() }
                } else {
                    Frame::Array { path, start, state: State::Open, next: 0 }
                });
                return Ok(());
            }
            Some(b'"') => {
                self.string()?;
            }
            Some(b't') => self.literal("true")?,
            Some(b'f') => self.literal("false")?,
            Some(b'n') => self.literal("null")?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            None => return Err(self.unexpected_end()),
            Some(_) => {
                return Err(self.syntax(
                    "cần một giá trị (chuỗi trong dấu ngoặc kép, số, true, false, null, `{` hoặc `[`)",
                    "expected a value (a string in double quotes, a number, true, false, null, `{` or `[`)",
                ));
            }
        }
        if let Some(path) = path {
            let end = self.pos();
            self.map.set_value_end(&path, end);
            self.spans.push(Span { start, end: self.at, path, part: Part::Value });
        }
        Ok(())
    }

    fn literal(&mut self, word: &str) -> Scan<()> {
        for expected in word.bytes() {
            if self.peek() != Some(expected) {
                return Err(self.syntax(
                    "cần một giá trị (chuỗi trong dấu ngoặc kép, số, true, false hoặc null)",
                    "expected a value (a string in double quotes, a number, true, false or null)",
                ));
            }
            self.bump();
        }
        Ok(())
    }

    /// A number as JSON writes it: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Scan<()> {
        let invalid = |s: &Self| s.syntax("số không hợp lệ", "invalid number");
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => {
                self.bump();
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(invalid(self));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(invalid(self)),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(invalid(self));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(invalid(self));
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.bump();
        }
    }

    /// A string, unescaped (keys are compared and joined into paths as their value).
    fn string(&mut self) -> Scan<String> {
        self.bump(); // the opening quote
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.unexpected_end()),
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        None => return Err(self.unexpected_end()),
                        Some(_) => {
                            return Err(self.syntax(
                                "chuỗi thoát không hợp lệ (dùng \\\" \\\\ \\/ \\b \\f \\n \\r \\t hoặc \\uXXXX)",
                                "invalid escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)",
                            ));
                        }
                    };
                    self.bump();
                    out.push(c);
                }
                Some(b) if b < 0x20 => {
                    return Err(self.syntax(
                        "ký tự điều khiển trong chuỗi phải viết dạng thoát (\\n, \\t, \\u0000)",
                        "a control character in a string must be escaped (\\n, \\t, \\u0000)",
                    ));
                }
                Some(_) => {
                    let c = self.text.get(self.at..).and_then(|rest| rest.chars().next()).unwrap_or('\u{fffd}');
                    for _ in 0..c.len_utf8() {
                        self.bump();
                    }
                    out.push(c);
                }
            }
        }
    }

    /// `\uXXXX` (the backslash consumed, at the `u`), with a surrogate pair as one character.
    fn unicode_escape(&mut self) -> Scan<char> {
        let first = self.hex4()?;
        let unit = match first {
            0xD800..=0xDBFF => {
                if self.peek() != Some(b'\\') {
                    return Err(self.lone_surrogate());
                }
                self.bump();
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.lone_surrogate());
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.lone_surrogate()),
            unit => unit,
        };
        char::from_u32(unit).ok_or_else(|| self.lone_surrogate())
    }

    /// `uXXXX`, at the `u`.
    fn hex4(&mut self) -> Scan<u32> {
        if self.peek() != Some(b'u') {
            return Err(self.lone_surrogate());
        }
        self.bump();
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.syntax("`\\u` cần bốn chữ số thập lục phân", "`\\u` needs four hexadecimal digits"));
            };
            unit = unit * 16 + digit;
            self.bump();
        }
        Ok(unit)
    }

    fn lone_surrogate(&self) -> Box<Diagnostic> {
        self.syntax("nửa cặp thay thế UTF-16 đứng một mình trong `\\u`", "a lone UTF-16 surrogate in a `\\u` escape")
    }
}

/// A serde_json error as a coded diagnostic placed at the key or value it concerns.
fn serde_diagnostic(err: &serde_json::Error, text: &str, map: &SourceMap, spans: &[Span]) -> Diagnostic {
    let full = err.to_string();
    let (line, column) = (err.line(), err.column());
    let en = full.strip_suffix(&format!(" at line {line} column {column}")).unwrap_or(&full);
    let syntax = matches!(err.classify(), Category::Syntax | Category::Eof | Category::Io);
    if line == 0 {
        let (code, message) = speak_like_yaml(en);
        let mut d = Diagnostic::new(code, message);
        d.file = map.file().to_owned();
        return d;
    }
    let offset = byte_offset(text, line, column);
    if syntax && !en.contains("recursion limit") {
        // The scan checks the syntax as strictly as serde_json; this is a safety net.
        let message = Message::new(format!("Cú pháp JSON không hợp lệ: {en}"), format!("invalid JSON: {en}"));
        return map.diagnostic_at(Code::JsonSyntax, char_pos(text, offset), message);
    }
    let (code, message) = speak_like_yaml(en);
    match locate(text, spans, offset, code) {
        Some(span) => map.diagnostic(code, &span.path, span.part, message),
        None => map.diagnostic_at(code, char_pos(text, offset), message),
    }
}

/// serde_json says `invalid type: string "x", expected u32` where serde-saphyr says `invalid
/// u32`: speak like the latter, so both formats give the same codes and messages.
fn speak_like_yaml(en: &str) -> (Code, Message) {
    let expected = en.strip_prefix("invalid type: ").and_then(|rest| rest.rsplit_once(", expected ")).map(|(_, e)| e);
    match expected {
        Some(e) if scalar_kind(e).is_some() => serde_message(&format!("invalid {e}")),
        Some("a boolean") => serde_message("invalid bool"),
        Some("a sequence") => serde_message("expected sequence start"),
        Some(e) if e == "a map" || e.starts_with("struct ") => serde_message("expected mapping start"),
        Some("a string") => (
            Code::InvalidType,
            Message::new("Sai kiểu dữ liệu, cần một chuỗi văn bản", "invalid type: expected a string"),
        ),
        _ => serde_message(en),
    }
}

/// The byte serde_json's 1-based line and byte column point at.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let start = match line {
        0 | 1 => 0,
        n => text.match_indices('\n').nth(n - 2).map_or(text.len(), |(i, _)| i + 1),
    };
    (start + column).saturating_sub(1).min(text.len())
}

/// The line and character column of a byte offset.
fn char_pos(text: &str, mut offset: usize) -> Pos {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX),
        column: u32::try_from(before[line_start..].chars().count() + 1).unwrap_or(u32::MAX),
    }
}

/// The key or value a serde_json error at byte `offset` concerns.
///
/// serde_json places an error at the last byte it read: the closing quote of an unknown key,
/// the end of a mistyped scalar, the `}` of an object missing a field. Two exceptions: a
/// container found where a scalar belongs is reported just before its bracket, and a value
/// that fails its own check (a malformed duration) after its object has been read to its
/// closing bracket when it is the last member.
fn locate<'s>(text: &str, spans: &'s [Span], offset: usize, code: Code) -> Option<&'s Span> {
    if let Some(next) = spans.iter().filter(|s| s.start == offset + 1).max_by_key(|s| s.end) {
        return Some(next);
    }
    let bytes = text.as_bytes();
    let mut offset = offset;
    while offset > 0 && matches!(bytes.get(offset), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        offset -= 1;
    }
    let inner = spans.iter().filter(|s| s.start <= offset && offset < s.end).min_by_key(|s| s.end - s.start)?;
    let closing =
        inner.part == Part::Value && inner.end == offset + 1 && matches!(bytes.get(offset), Some(b'}' | b']'));
    if closing && code != Code::MissingField {
        let last = spans
            .iter()
            .filter(|s| s.part == Part::Value && s.start > inner.start && s.end <= offset)
            .max_by_key(|s| (s.end, std::cmp::Reverse(s.start)));
        if let Some(last) = last {
            return Some(last);
        }
    }
    Some(inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::source::fixtures::Doc;

    fn err(text: &str) -> Vec<Diagnostic> {
        from_str::<Doc>(text, "t.json", &Limits::default()).unwrap_err().into_diagnostics()
    }

    fn one(text: &str) -> (Code, u32, u32, String) {
        let d = &err(text)[0];
        (d.code, d.line, d.column, d.path.clone())
    }

    fn place(text: &str) -> (Code, u32, u32) {
        let (code, line, column, _) = one(text);
        (code, line, column)
    }

    #[test]
    fn maps_every_key_and_value_to_its_place() {
        let text = "{\"name\": \"x\",\n \"items\": [\n  {\"id\": 1},\n  {\"id\": 2}\n ]\n}\n";
        let (_, map) = from_str::<Doc>(text, "t.json", &Limits::default()).unwrap();
        assert_eq!(map.pos("items[1].id", Part::Value), Pos { line: 4, column: 10 });
        assert_eq!(map.pos("items[1].id", Part::Key), Pos { line: 4, column: 4 });
        assert_eq!(map.pos("items[1]", Part::Value), Pos { line: 4, column: 3 });
        assert_eq!(map.pos("items", Part::Key), Pos { line: 2, column: 2 });
        assert_eq!(map.pos("", Part::Value), Pos { line: 1, column: 1 });
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(map.pos("items[1].nothing", Part::Value), Pos { line: 4, column: 3 });
    }

    #[test]
    fn columns_count_characters_and_keys_are_unescaped() {
        let text = "{\"name\": \"Tiếp nhận\", \"items\": [{\"i\\u0064\": 1}]}";
        let (_, map) = from_str::<Doc>(text, "t.json", &Limits::default()).unwrap();
        assert_eq!(map.pos("items", Part::Key), Pos { line: 1, column: 23 });
        assert_eq!(map.pos("items[0].id", Part::Key), Pos { line: 1, column: 34 });
        assert_eq!(map.pos("items[0].id", Part::Value), Pos { line: 1, column: 45 });
    }

    #[test]
    fn serde_errors_get_codes_places_and_paths() {
        let text = "{\"name\": \"x\",\n \"items\": [\n  {\"id\": 1},\n  {\"idd\": 2}\n ]\n}";
        assert_eq!(one(text), (Code::UnknownField, 4, 4, "items[1].idd".into()));
        assert!(err(text)[0].message.vi.contains("`idd`"));

        let text = "{\"name\": \"x\",\n \"items\": [\n  {\"id\": \"one\"}\n ]\n}";
        assert_eq!(one(text), (Code::InvalidType, 3, 10, "items[0].id".into()));
        assert_eq!(err(text)[0].message.en, "invalid type: expected a whole number");

        let text = "{\"name\": \"x\", \"items\": [{\"id\": 1, \"tags\": \"a\"}]}";
        assert_eq!(one(text), (Code::InvalidType, 1, 43, "items[0].tags".into()));
        assert_eq!(err(text)[0].message.en, "invalid type: expected a list");

        let text = "{\"name\": [1], \"items\": []}";
        assert_eq!(one(text), (Code::InvalidType, 1, 10, "name".into()));

        let text = "{\"items\": []}";
        assert_eq!(one(text), (Code::MissingField, 1, 1, String::new()));
        assert!(err(text)[0].message.vi.contains("`name`"));
        let text = "{\"name\": \"x\", \"items\": [{}]}";
        assert_eq!(one(text), (Code::MissingField, 1, 25, "items[0]".into()));
    }

    #[test]
    fn a_malformed_value_is_placed_on_itself_even_last_in_its_object() {
        for (text, column) in [
            ("{\"name\": \"x\", \"items\": [{\"id\": 1, \"after\": \"3 days\"}]}", 44),
            ("{\"name\": \"x\", \"items\": [{\"after\": \"3 days\", \"id\": 1}]}", 35),
            ("{\"name\": \"x\", \"items\": [{\"id\": 1, \"after\": \"3 days\"\n   }\n]}", 44),
        ] {
            assert_eq!(one(text), (Code::InvalidValue, 1, column, "items[0].after".into()), "{text}");
        }
    }

    #[test]
    fn syntax_errors_duplicates_and_garbage_are_placed() {
        assert_eq!(one("{\"name\": \"x\",\n \"items\": [\n"), (Code::JsonSyntax, 3, 1, "items".into()));
        assert_eq!(place("{\"name\": \"x\", \"items\": [1,]}"), (Code::JsonSyntax, 1, 27));
        assert_eq!(one("{\"name\": 'x'}").0, Code::JsonSyntax);
        assert_eq!(one("{\"name\": \"x\"} {}").0, Code::JsonSyntax);
        assert_eq!(one("\u{feff}{}").0, Code::JsonSyntax);

        let ds = err("{\"name\": \"x\",\n \"name\": \"y\",\n \"items\": []}");
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!((ds[0].code, ds[0].line, ds[0].column, ds[0].path.as_str()), (Code::DuplicateKey, 2, 2, "name"));

        for garbage in [
            "",
            " ",
            "{",
            "}",
            "[",
            "]",
            "\"",
            "\"\\",
            "\"\\u12",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "-",
            "01",
            "1.",
            "1e",
            "1e+",
            "tru",
            "nul",
            "{\"a\"",
            "{\"a\":",
            "{\"a\" 1}",
            "{1: 2}",
            "[1 2]",
            "\"\u{1}\"",
            "{\"a\":1,}",
            "\u{0}",
            "{\"name\": \"\\q\"}",
            "\"\\ud83d\\u0041\"",
        ] {
            let d = &err(garbage)[0];
            assert_eq!(d.code, Code::JsonSyntax, "{garbage:?}: {d:?}");
            assert!(d.line >= 1 && d.column >= 1, "{garbage:?}: {d:?}");
        }
        // Valid JSON of the wrong shape is a type error, not a syntax error.
        for wrong in ["1", "-0.5e+3", "true", "null", "\"\\ud83d\\ude00\""] {
            assert_eq!(err(wrong)[0].code, Code::InvalidType, "{wrong:?}");
        }
        assert_eq!(err("[]")[0].code, Code::InvalidValue);
    }

    #[test]
    fn limits_stop_deep_nesting_many_nodes_and_size() {
        let deep = format!("{{\"name\": \"x\", \"items\": {}{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(place(&deep), (Code::LimitExceeded, 1, 55));
        // Deeper than serde_json's own recursion limit: still a coded diagnostic.
        let limits = Limits { max_depth: 10_000, ..Limits::default() };
        let deeper = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let e = from_str::<serde_json::Value>(&deeper, "t.json", &limits).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, Code::LimitExceeded, "{e:?}");

        let limits = Limits { max_yaml_events: 5, ..Limits::default() };
        let e = from_str::<Doc>("{\"name\": \"x\", \"items\": [{\"id\": 1}]}", "t.json", &limits).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, Code::LimitExceeded);

        let limits = Limits { max_input_bytes: 8, ..Limits::default() };
        let e = from_str::<Doc>("{\"name\": \"abcdefgh\", \"items\": []}", "t.json", &limits).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, Code::LimitExceeded);
    }

    #[test]
    fn escapes_inside_a_string_value_keep_expression_columns_exact() {
        // `b` of `a \"b\"` sits after the escaped quote: column of `"` + 1 + 4 written chars.
        let text = "{\"name\": \"a \\\"b\\\"\", \"items\": []}";
        let (_, map) = from_str::<Doc>(text, "t.json", &Limits::default()).unwrap();
        let d = map.value_diagnostic(Code::InvalidValue, "name", Message::new("", ""), "a \"b\"", 3..4);
        assert_eq!((d.line, d.column), (1, 10 + 1 + 4));
        // The span ends after `b`, still in written columns.
        assert_eq!(d.end, Some(Pos { line: 1, column: 10 + 1 + 5 }));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// The scan accepts exactly the texts serde_json accepts, so syntax errors are
        /// always the scan's (placed in characters) and never a valid document refused.
        #[test]
        fn the_scan_accepts_what_serde_json_accepts(text in r#"[\[\]{}",:\\ \nu0-9a-fnrtlsE+.\-ệ]{0,24}"#) {
            let scanned = Scanner::new(&text, "t.json", &Limits::default()).run().is_ok();
            let parsed = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            proptest::prop_assert_eq!(scanned, parsed, "{:?}", text);
        }
    }

    #[test]
    fn no_input_panics_the_scanner() {
        // Every prefix of a valid document, and every single-byte corruption of it.
        let text =
            "{\"name\": \"Tiếp nhận \\u1ec7\", \"items\": [{\"id\": 1, \"after\": \"0.5d\", \"tags\": [\"a\"]}]}";
        for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = from_str::<Doc>(&text[..cut], "t.json", &Limits::default());
        }
        for i in 0..text.len() {
            for b in [b'{', b'}', b'[', b']', b'"', b'\\', b',', b':', b'0', b' ', b'\n', b'x'] {
                let mut bytes = text.as_bytes().to_vec();
                bytes[i] = b;
                if let Ok(t) = String::from_utf8(bytes) {
                    let _ = from_str::<Doc>(&t, "t.json", &Limits::default());
                }
            }
        }
    }
}
