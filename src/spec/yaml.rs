//! The one module that reads YAML.
//!
//! It uses [`serde_saphyr`] (the maintained, panic-free successor to the archived
//! `serde_yaml`; see the README) in two passes over the text:
//!
//! 1. a walk over the parser's event stream (`serde_saphyr::granit_parser`) that
//!    records the line and column of every key and value under its dotted path,
//!    reports duplicate keys and enforces the depth, size and alias [`Limits`];
//! 2. typed deserialization, whose errors become coded [`Diagnostic`]s placed with
//!    the positions from pass 1.
//!
//! Nothing else in the crate names `serde_saphyr`; the compiler places its own
//! diagnostics through [`SourceMap`] (`crate::spec::source`), which `crate::spec::json` builds too.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_saphyr::granit_parser::{Event, Parser, Span};
use serde_saphyr::{DuplicateKeyPolicy, MessageFormatter};

use crate::diagnostic::{Code, Diagnostic, LoadError, Message};
use crate::limits::Limits;
use crate::spec::source::{Place, Pos, SourceMap, Syntax, index, join, serde_message, too_large};

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: u32::try_from(span.start.line()).unwrap_or(u32::MAX),
        column: u32::try_from(span.start.col() + 1).unwrap_or(u32::MAX),
    }
}

/// Where a scalar's span ends (just after its last character), if it is not empty.
fn end_of(span: &Span) -> Option<Pos> {
    let end = Pos {
        line: u32::try_from(span.end.line()).unwrap_or(u32::MAX),
        column: u32::try_from(span.end.col() + 1).unwrap_or(u32::MAX),
    };
    (end > pos_of(span)).then_some(end)
}

enum Frame {
    Map {
        path: String,
        pending_key: Option<(String, Pos, Option<Pos>)>,
        expecting_key: bool,
        seen: HashMap<String, (Pos, Option<Pos>)>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

/// Pass 1: positions, duplicate keys and limits.
fn walk(text: &str, file: &str, limits: &Limits) -> Result<(SourceMap, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut map = SourceMap::new(file, text, Syntax::Yaml);
    let mut problems = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut events = 0usize;
    let mut aliases = 0usize;
    let mut documents = 0usize;
    let fail = |map: &SourceMap, code, pos: Pos, message: Message| vec![map.diagnostic_at(code, pos, message)];

    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(ok) => ok,
            Err(e) => {
                let m = e.marker();
                let pos = Pos {
                    line: u32::try_from(m.line()).unwrap_or(u32::MAX),
                    column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
                };
                let info = e.info();
                return Err(fail(
                    &map,
                    Code::YamlSyntax,
                    pos,
                    Message::new(format!("Cú pháp YAML không hợp lệ: {info}"), format!("invalid YAML: {info}")),
                ));
            }
        };
        let pos = pos_of(&span);
        let end = if matches!(event, Event::Scalar(..) | Event::Alias(..)) { end_of(&span) } else { None };
        events += 1;
        if events > limits.max_yaml_events {
            return Err(fail(
                &map,
                Code::LimitExceeded,
                pos,
                Message::new(
                    format!("Văn bản YAML có quá nhiều phần tử (tối đa {} sự kiện)", limits.max_yaml_events),
                    format!("the YAML document is too large (more than {} parser events)", limits.max_yaml_events),
                ),
            ));
        }
        let is_node =
            matches!(event, Event::Scalar(..) | Event::Alias(..) | Event::MappingStart(..) | Event::SequenceStart(..));
        if let Event::DocumentStart(..) = event {
            documents += 1;
            if documents > 1 {
                return Err(fail(
                    &map,
                    Code::YamlSyntax,
                    pos,
                    Message::new(
                        "Mỗi tệp chỉ được chứa một tài liệu YAML",
                        "a file must hold exactly one YAML document",
                    ),
                ));
            }
        }
        if let Event::Alias(..) = event {
            aliases += 1;
            if aliases > limits.max_aliases {
                return Err(fail(
                    &map,
                    Code::LimitExceeded,
                    pos,
                    Message::new(
                        format!("Quá nhiều bí danh YAML (tối đa {})", limits.max_aliases),
                        format!("too many YAML aliases (at most {})", limits.max_aliases),
                    ),
                ));
            }
        }
        if is_node {
            // Where does this node stand?
            let node_path: Option<String> = match stack.last_mut() {
                None => {
                    map.insert(String::new(), Place { value: pos, value_end: end, ..Place::default() });
                    Some(String::new())
                }
                Some(Frame::Seq { path, next }) => {
                    let p = index(path, *next);
                    *next += 1;
                    map.insert(p.clone(), Place { value: pos, value_end: end, ..Place::default() });
                    Some(p)
                }
                Some(Frame::Map { path, pending_key, expecting_key, seen }) => {
                    if *expecting_key {
                        *expecting_key = false;
                        if let Event::Scalar(ref key, ..) = event {
                            let key = key.to_string();
                            if let Some(&first) = seen.get(&key) {
                                problems.push(map.duplicate_key(&key, (pos, end), &join(path, &key), Some(first)));
                                *pending_key = Some((String::from("\u{0}duplicate"), pos, end));
                            } else {
                                seen.insert(key.clone(), (pos, end));
                                *pending_key = Some((key, pos, end));
                            }
                            None
                        } else {
                            // A complex key: its contents and value are not tracked.
                            *pending_key = Some((String::from("\u{0}complex"), pos, None));
                            Some(String::from("\u{0}complex"))
                        }
                    } else {
                        *expecting_key = true;
                        match pending_key.take() {
                            Some((key, key_pos, key_end)) if !key.starts_with('\u{0}') => {
                                let p = join(path, &key);
                                map.insert(
                                    p.clone(),
                                    Place { key: Some(key_pos), key_end, value: pos, value_end: end },
                                );
                                Some(p)
                            }
                            _ => Some(String::from("\u{0}untracked")),
                        }
                    }
                }
            };
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if stack.len() >= limits.max_depth {
                        return Err(fail(
                            &map,
                            Code::LimitExceeded,
                            pos,
                            Message::new(
                                format!("YAML lồng nhau quá sâu (tối đa {} cấp)", limits.max_depth),
                                format!("YAML nested too deeply (at most {} levels)", limits.max_depth),
                            ),
                        ));
                    }
                    let path = node_path.unwrap_or_default();
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path, pending_key: None, expecting_key: true, seen: HashMap::new() }
                    } else {
                        Frame::Seq { path, next: 0 }
                    });
                }
                _ => {}
            }
        } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            stack.pop();
        }
    }
    Ok((map, problems))
}

/// The deserializer's options: the budget that holds `limits` (with the margin that lets the
/// positions pass report them first), and how duplicate keys are treated.
fn options(limits: &Limits, duplicate_keys: DuplicateKeyPolicy) -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.duplicate_keys = duplicate_keys;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth + 1;
    budget.max_events = limits.max_yaml_events + 16;
    budget.max_aliases = limits.max_aliases;
    budget.max_reader_input_bytes = Some(limits.max_input_bytes);
    options.budget = Some(budget);
    options
}

/// The positions of a document that already read cleanly (so within its limits).
fn locate(file: &str, text: &str) -> HashMap<String, crate::spec::source::Place> {
    let unlimited =
        Limits { max_depth: usize::MAX, max_yaml_events: usize::MAX, max_aliases: usize::MAX, ..Limits::default() };
    walk(text, file, &unlimited).map(|(map, _)| map.into_places()).unwrap_or_default()
}

/// Reads one YAML document into `T`, with a map of where every node stands.
///
/// On success also returns the non-fatal problems of pass 1 (none today: duplicate keys
/// are errors). On failure returns every problem found, placed.
pub(crate) fn from_str<T: DeserializeOwned>(
    text: &str,
    file: &str,
    limits: &Limits,
) -> Result<(T, SourceMap), LoadError> {
    if let Some(d) = too_large(text, file, limits) {
        return Err(LoadError::new(vec![d]));
    }
    // The fast path: a document that reads cleanly needs its positions only if the compiler
    // later reports something, so the positions pass is deferred (it costs about as much as
    // the deserialization). Duplicate keys stop this pass; the budget holds the limits.
    if let Ok(value) = serde_saphyr::from_str_with_options::<T>(text, options(limits, DuplicateKeyPolicy::Error)) {
        return Ok((value, SourceMap::deferred(file, text, Syntax::Yaml, locate)));
    }
    // Something is wrong: both passes now, for every problem with its place.
    let (map, mut problems) = walk(text, file, limits).map_err(LoadError::new)?;
    match serde_saphyr::from_str_with_options::<T>(text, options(limits, DuplicateKeyPolicy::FirstWins)) {
        Ok(value) if problems.is_empty() => Ok((value, map)),
        Ok(_) => Err(LoadError::new(problems)),
        Err(err) => {
            let en: Cow<'_, str> = serde_saphyr::DefaultMessageFormatter.format_message(&err);
            let (code, message) = serde_message(en.trim());
            let pos = err
                .location()
                .map(|l| Pos {
                    line: u32::try_from(l.line()).unwrap_or(u32::MAX),
                    column: u32::try_from(l.column()).unwrap_or(u32::MAX),
                })
                .unwrap_or_default();
            let odd_key = message.en.split('`').nth(1).is_some_and(|k| k.contains(' ') || !k.is_ascii());
            let mut d = Diagnostic::new(code, message);
            if code == Code::UnknownField && odd_key {
                d = d.with_help(Message::new(
                    "Văn bản có dấu phẩy trong `{vi: ..., en: ...}` phải đặt trong dấu ngoặc kép: `{vi: \"Tiếp nhận, xử lý\"}`",
                    "text with a comma inside `{vi: ..., en: ...}` must be quoted: `{vi: \"Tiếp nhận, xử lý\"}`",
                ));
            }
            d.file = file.to_owned();
            d.line = pos.line;
            d.column = pos.column;
            d.path = if pos == Pos::default() { String::new() } else { map.path_at(pos) };
            problems.push(d);
            Err(LoadError::new(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::source::Part;
    use crate::spec::source::fixtures::Doc;

    fn err(text: &str) -> Vec<Diagnostic> {
        from_str::<Doc>(text, "t.yaml", &Limits::default()).unwrap_err().into_diagnostics()
    }

    #[test]
    fn maps_every_key_and_value_to_its_place() {
        let text = "name: x\nitems:\n  - id: 1\n  - id: 2\n";
        let (_, map) = from_str::<Doc>(text, "t.yaml", &Limits::default()).unwrap();
        assert_eq!(map.pos("items[1].id", Part::Value), Pos { line: 4, column: 9 });
        assert_eq!(map.pos("items[1].id", Part::Key), Pos { line: 4, column: 5 });
        assert_eq!(map.pos("items[1]", Part::Value), Pos { line: 4, column: 5 });
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(map.pos("items[1].nothing", Part::Value), Pos { line: 4, column: 5 });
    }

    #[test]
    fn serde_errors_get_codes_places_and_paths() {
        let d = &err("name: x\nitems:\n  - id: 1\n  - idd: 2\n")[0];
        assert_eq!((d.code, d.line, d.column, d.path.as_str()), (Code::UnknownField, 4, 5, "items[1].idd"));
        assert!(d.message.vi.contains("`idd`"), "{}", d.message.vi);

        let d = &err("name: x\nitems:\n  - id: one\n")[0];
        assert_eq!((d.code, d.line, d.column), (Code::InvalidType, 3, 9));
        assert_eq!(d.path, "items[0].id");

        let d = &err("name: x\nitems:\n  - {id: 1, tên, x: 2}\n")[0];
        assert_eq!(d.code, Code::UnknownField);
        assert!(d.help.as_ref().is_some_and(|h| h.en.contains("quoted")), "{d:?}");

        let d = &err("items: []\n")[0];
        assert_eq!(d.code, Code::MissingField);
        assert!(d.message.vi.contains("`name`"));
    }

    /// The fast path defers the positions pass; what it would have found is still found.
    #[test]
    fn the_deferred_positions_pass_misses_nothing() {
        // A second document, which the deserializer alone might take or drop.
        let d = &err("name: x\nitems: []\n---\nname: y\nitems: []\n")[0];
        assert_eq!((d.code, d.line), (Code::YamlSyntax, 3), "{d:?}");
        // A duplicate key and a type error: both reported, each at its place.
        let ds = err("name: x\nname: y\nitems:\n  - id: one\n");
        let found: Vec<(Code, u32)> = ds.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(found, [(Code::DuplicateKey, 2), (Code::InvalidType, 4)]);
        // A clean document's places are found when first asked for.
        let (_, map) = from_str::<Doc>("name: x\nitems:\n  - id: 1\n", "t.yaml", &Limits::default()).unwrap();
        assert_eq!(map.pos("items[0].id", Part::Value), Pos { line: 3, column: 9 });
    }

    #[test]
    fn syntax_errors_and_duplicates_are_placed() {
        let d = &err("name: x\nitems: [\n")[0];
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.line >= 2, "{d:?}");

        let ds = err("name: x\nname: y\nitems: []\n");
        assert_eq!((ds[0].code, ds[0].line, ds[0].column), (Code::DuplicateKey, 2, 1));
    }

    #[test]
    fn limits_stop_deep_nesting_aliases_and_size() {
        let deep = format!("name: x\nitems: {}{}\n", "[".repeat(40), "]".repeat(40));
        assert_eq!(err(&deep)[0].code, Code::LimitExceeded);

        let mut laughs = String::from("a: &a [x, x]\n");
        for i in 0..70 {
            laughs.push_str(&format!("b{i}: *a\n"));
        }
        assert_eq!(err(&laughs)[0].code, Code::LimitExceeded);

        let limits = Limits { max_input_bytes: 8, ..Limits::default() };
        let e = from_str::<Doc>("name: abcdefgh\nitems: []\n", "t.yaml", &limits).unwrap_err();
        assert_eq!(e.diagnostics()[0].code, Code::LimitExceeded);
    }
}
