//! Diagnostics rendered like rustc, by rustc's renderer (`annotate-snippets`): header,
//! location, the source lines, the primary span underlined from its start to its end with the
//! path as its label, the secondary labels the core gives (each budget on a path, the name a
//! typo is nearest to, the first of two duplicate keys) underlined with theirs, and `= help:`.
//!
//! ```text
//! error[unknown_step]: no step or outcome is named `revieww`
//!   --> test.yaml:20:20
//!    |
//! 20 |       accept: {to: revieww}
//!    |                    ^^^^^^^ at `steps.receive.actions.accept.to`
//!    |
//!    = help: did you mean `review`?
//! ```
//!
//! Columns count characters (Unicode scalar values), as the core reports them. The caret is
//! placed by *display width*: combining marks (Vietnamese typed in decomposed form) take no
//! column, wide (CJK, emoji) characters take two, and a tab is shown as four spaces.

use std::io::IsTerminal as _;

use motcua::{Diagnostic, Label, Position, Severity};

use crate::Lang;

/// Whether to colour output: stdout is a terminal and `NO_COLOR` is not set.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Whether a character is shown escaped: control characters (but tab) and bidirectional
/// embeddings, overrides and isolates, which would move the cursor, change the terminal's
/// state (ESC, OSC) or reorder the line.
fn escaped(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The escape a character is shown as: `\u{1b}`.
fn escape(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

/// Text from a spec or a message, safe to print on a terminal: escaped as [`escape`] does.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(escaped) {
        return text.to_owned();
    }
    text.chars().map(|c| if escaped(c) { escape(c) } else { c.to_string() }).collect()
}

/// Display width of one character in a terminal.
pub fn char_width(c: char) -> usize {
    if escaped(c) {
        return escape(c).len();
    }
    let u = c as u32;
    match u {
        0x09 => 4,
        // Combining marks: diacritics of decomposed Vietnamese, and zero-width characters.
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F | 0x200B..=0x200F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// How many characters, from `start`, the caret should underline: a quoted scalar up to its
/// closing quote, a key up to its colon, a plain value up to the next `,`, `]`, `}` or comment.
pub fn span_len(chars: &[char], start: usize) -> usize {
    let Some(&first) = chars.get(start) else { return 1 };
    if first == '"' || first == '\'' {
        let mut i = start + 1;
        while i < chars.len() {
            if chars[i] == '\\' && first == '"' {
                i += 2;
                continue;
            }
            if chars[i] == first {
                return i + 1 - start;
            }
            i += 1;
        }
        return chars.len() - start;
    }
    if matches!(first, '{' | '[' | '|' | '>') {
        return 1;
    }
    let mut end = start;
    while end < chars.len() {
        let c = chars[end];
        let next = chars.get(end + 1).copied();
        let comment = c == '#' && end > start && chars[end - 1].is_whitespace();
        let key_end = c == ':' && next.is_none_or(char::is_whitespace);
        if matches!(c, ',' | ']' | '}') || comment || key_end {
            break;
        }
        end += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    (end - start).max(1)
}

/// A source line as shown: tabs as four spaces, control and bidirectional characters escaped.
fn shown(chars: &[char]) -> String {
    chars
        .iter()
        .map(|&c| match c {
            '\t' => "    ".to_owned(),
            c if escaped(c) => escape(c),
            c => c.to_string(),
        })
        .collect()
}

/// The lines `first..=last` of a source as shown ([`shown`], trailing blanks dropped), joined,
/// with where each character of each line starts in that text: spans given in the core's
/// lines and columns become byte ranges of what the renderer draws.
struct Shown {
    text: String,
    first: u32,
    /// Per line, the byte offset of each character in `text`, and one past its end.
    offsets: Vec<Vec<usize>>,
}

impl Shown {
    fn new(source: &str, first: u32, last: u32) -> Shown {
        let mut text = String::new();
        let mut offsets = Vec::new();
        for line in source.lines().skip(first as usize - 1).take((last - first + 1) as usize) {
            if !offsets.is_empty() {
                text.push('\n');
            }
            let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
            let kept = chars.iter().rposition(|c| !c.is_whitespace()).map_or(0, |i| i + 1);
            let mut starts = Vec::with_capacity(chars.len() + 1);
            for (i, &c) in chars.iter().enumerate() {
                starts.push(text.len());
                if i < kept {
                    text.push_str(&shown(&[c]));
                }
            }
            starts.push(text.len());
            offsets.push(starts);
        }
        Shown { text, first, offsets }
    }

    /// The byte offset of a 1-based line and column, clamped to its line.
    fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let starts = self.offsets.get(line.checked_sub(self.first)? as usize)?;
        Some(starts[(column.max(1) as usize - 1).min(starts.len() - 1)])
    }

    /// The byte range of a span from `start` to `end` (exclusive), or, when the end is not
    /// known, as far as [`span_len`] reads the token at `start`.
    fn range(&self, source: &str, start: Position, end: Option<Position>) -> Option<std::ops::Range<usize>> {
        let from = self.offset(start.line, start.column)?;
        // An end at the start of a later line stops at the end of the line before it.
        let end = end.filter(|e| *e > start).map(|e| {
            if e.column <= 1 && e.line > start.line { Position { line: e.line - 1, column: u32::MAX } } else { e }
        });
        let to = match end.and_then(|e| self.offset(e.line, e.column)) {
            Some(to) if to > from => to,
            _ => {
                let line = source.lines().nth(start.line as usize - 1).unwrap_or_default();
                let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
                let begin = (start.column.max(1) as usize - 1).min(chars.len());
                let len = span_len(&chars, begin).min(chars.len().saturating_sub(begin)).max(1);
                self.offset(start.line, start.column.saturating_add(u32::try_from(len).unwrap_or(u32::MAX)))
                    .filter(|&to| to > from)
                    .unwrap_or(from + 1)
            }
        };
        // A caret after the line's last character still needs one column to stand in.
        Some(from..to.min(self.text.len().max(from + 1)))
    }
}

/// Renders one diagnostic with `annotate-snippets` (the renderer rustc uses); `source` is the
/// text of its file when known.
///
/// The primary span is underlined from its start to its end as the core reports them (or,
/// when the core knows only the start, to the end of the token there); each secondary label
/// ([`motcua::Label`]) is drawn as a secondary annotation with its message, and a label on
/// the primary span itself (the budget lint's legal deadline) names the primary annotation.
/// The source lines are given to the library as shown here ([`shown`]: tabs expanded, control
/// and bidirectional characters escaped) and the spans in bytes of that text, so the carets
/// are placed by the library's display-width measure: combining marks take no column.
pub fn diagnostic(d: &Diagnostic, source: Option<&str>, lang: Lang, colour: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let message = escape_controls(d.message.get(lang.code()));
    let file = escape_controls(&d.file);
    let at = if d.path.is_empty() {
        String::new()
    } else {
        format!("{} `{}`", lang.t("tại", "at"), escape_controls(&d.path))
    };
    let help = d.help.as_ref().map(|h| escape_controls(h.get(lang.code())));
    let labels: Vec<(&Label, String)> =
        d.labels.iter().map(|l| (l, escape_controls(l.message.get(lang.code())))).collect();
    let on_primary = |l: &Label| l.line == d.line && l.column == d.column && l.end == d.end;
    let lines = source.map_or(0, |s| s.lines().count());
    let known = |line: u32| line > 0 && (line as usize) <= lines;
    let code = d.code.as_str();
    let title = level.primary_title(message.as_str()).id(code);
    let mut group: Group<'_>;
    let shown_text;
    let mut notes: Vec<String> = Vec::new();
    match (source, d.start().filter(|p| known(p.line))) {
        (Some(source), Some(start)) => {
            let placed = |l: &Label| known(l.line) && !on_primary(l);
            let ends = d.end.iter().map(|e| e.line).chain(
                labels
                    .iter()
                    .filter(|(l, _)| placed(l))
                    .flat_map(|(l, _)| std::iter::once(l.line).chain(l.end.map(|e| e.line))),
            );
            let first = labels.iter().filter(|(l, _)| placed(l)).map(|(l, _)| l.line).fold(start.line, u32::min);
            let last = ends.filter(|&l| known(l)).fold(start.line, u32::max);
            let shown = Shown::new(source, first, last);
            let primary_label =
                labels.iter().find(|(l, _)| on_primary(l)).map(|(_, m)| m.as_str()).unwrap_or(at.as_str());
            let mut annotations = Vec::new();
            if let Some(range) = shown.range(source, start, d.end) {
                let mut annotation = AnnotationKind::Primary.span(range);
                if !primary_label.is_empty() {
                    annotation = annotation.label(primary_label);
                }
                annotations.push(annotation);
            }
            for (l, m) in &labels {
                if on_primary(l) {
                    continue;
                }
                let range = placed(l)
                    .then(|| shown.range(source, Position { line: l.line, column: l.column }, l.end))
                    .flatten();
                match range {
                    Some(range) => annotations.push(AnnotationKind::Context.span(range).label(m.as_str())),
                    None => notes.push(m.clone()),
                }
            }
            shown_text = shown.text;
            group = title.element(
                Snippet::source(shown_text.as_str())
                    .line_start(first as usize)
                    .path(file.as_str())
                    .annotations(annotations),
            );
        }
        _ => {
            let mut origin = Origin::path(file.as_str());
            if d.line > 0 {
                origin = origin.line(d.line as usize);
                if d.column > 0 {
                    origin = origin.char_column(d.column as usize);
                }
            }
            group = title.element(origin);
            if !at.is_empty() {
                group = group.element(Level::NOTE.message(at.as_str()));
            }
            for (l, m) in &labels {
                notes.push(if l.line > 0 { format!("{}:{}: {m}", l.line, l.column) } else { m.clone() });
            }
        }
    }
    for note in &notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    if let Some(help) = &help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if colour { Renderer::styled() } else { Renderer::plain() };
    // Never elide a long source line: the caret must stand under the characters reported.
    let mut out = renderer.term_width(usize::MAX / 4).render(&[group]);
    out.push('\n');
    out
}

/// `1 lỗi, 2 cảnh báo` / `1 error, 2 warnings`.
pub fn counts(errors: usize, warnings: usize, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{errors} lỗi, {warnings} cảnh báo"),
        Lang::En => format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ),
    }
}
