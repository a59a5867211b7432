//! Diagnostics rendered like rustc, by rustc's renderer (`annotate-snippets`): header,
//! location, the source line, a caret under the exact place, the path as a label, and
//! `= help:`.
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

use motcua::{Diagnostic, Severity};

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

/// Renders one diagnostic with `annotate-snippets` (the renderer rustc uses); `source` is the
/// text of its file when known.
///
/// The source line is given to it as shown here ([`shown`]: tabs expanded, control and
/// bidirectional characters escaped) and the span in bytes of that text, so the caret is
/// placed by the library's display-width measure: combining marks take no column.
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
    let line_text = source.filter(|_| d.line > 0).and_then(|s| s.lines().nth(d.line as usize - 1));
    let code = d.code.as_str();
    let title = level.primary_title(message.as_str()).id(code);
    let mut group: Group<'_>;
    let text;
    if let Some(line) = line_text {
        let chars: Vec<char> = line.trim_end_matches('\r').chars().collect();
        let start = (d.column.max(1) as usize - 1).min(chars.len());
        let len = span_len(&chars, start).min(chars.len().saturating_sub(start)).max(1);
        // Byte offsets of the span in the line as shown.
        let before = shown(&chars[..start]).len();
        let inside = shown(&chars[start..(start + len).min(chars.len())]).len().max(1);
        text = shown(&chars).trim_end().to_owned();
        let end = (before + inside).min(text.len().max(before + 1));
        let mut annotation = AnnotationKind::Primary.span(before..end);
        if !at.is_empty() {
            annotation = annotation.label(at.as_str());
        }
        group = title.element(
            Snippet::source(text.as_str()).line_start(d.line as usize).path(file.as_str()).annotation(annotation),
        );
    } else {
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
