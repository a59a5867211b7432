//! Field patterns: `regex-lite`, with a fast path for the most common shape.
//!
//! Government forms mostly constrain a value to one character class repeated, such as
//! `[0-9]{5}` or `[A-Za-zÀ-ỹ ]+`. Such a pattern is matched by a direct scan over the
//! characters (same meaning: the whole value, Unicode scalar values, inclusive
//! ranges); anything else goes to [`regex_lite`] (linear time, size-limited).

/// A compiled `pattern`, anchored at both ends.
#[derive(Clone, Debug)]
pub(crate) enum Pattern {
    /// `[ranges]` repeated between `min` and `max` times.
    Class {
        ranges: Vec<(char, char)>,
        min: usize,
        max: usize,
    },
    Regex(regex_lite::Regex),
}

impl Pattern {
    /// Compiles `pattern` (matched against the whole value).
    pub(crate) fn new(pattern: &str) -> Result<Pattern, regex_lite::Error> {
        // Always validate with regex-lite so that errors and meaning stay its own.
        let re =
            regex_lite::RegexBuilder::new(&format!("^(?:{pattern})$")).size_limit(1 << 16).nest_limit(32).build()?;
        Ok(simple_class(pattern).unwrap_or(Pattern::Regex(re)))
    }

    /// Whether the whole of `s` matches.
    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Class { ranges, min, max } => {
                let mut n = 0usize;
                for c in s.chars() {
                    n += 1;
                    if n > *max || !ranges.iter().any(|&(a, b)| a <= c && c <= b) {
                        return false;
                    }
                }
                n >= *min
            }
            Pattern::Regex(re) => re.is_match(s),
        }
    }
}

/// `[…]` followed by `+`, `*`, `{n}`, `{n,}` or `{n,m}`, where the class holds only
/// plain characters and `a-b` ranges (no escapes, negation, brackets or flags).
fn simple_class(p: &str) -> Option<Pattern> {
    let body = p.strip_prefix('[')?;
    let close = body.find(']')?;
    let (class, quant) = (&body[..close], &body[close + 1..]);
    let chars: Vec<char> = class.chars().collect();
    if chars.is_empty() || chars[0] == '^' || chars.iter().any(|c| matches!(c, '\\' | '[' | ']' | '&' | '~')) {
        return None;
    }
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '-' {
            if chars[i] > chars[i + 2] {
                return None;
            }
            ranges.push((chars[i], chars[i + 2]));
            i += 3;
        } else {
            ranges.push((chars[i], chars[i]));
            i += 1;
        }
    }
    let (min, max) = match quant {
        "+" => (1, usize::MAX),
        "*" => (0, usize::MAX),
        _ => {
            let inner = quant.strip_prefix('{')?.strip_suffix('}')?;
            match inner.split_once(',') {
                None => {
                    let n = inner.parse().ok()?;
                    (n, n)
                }
                Some((a, "")) => (a.parse().ok()?, usize::MAX),
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
            }
        }
    };
    Some(Pattern::Class { ranges, min, max })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_regex_lite() {
        let patterns = ["[0-9]{5}", "[A-Za-zÀ-ỹ ]+", "[a-c]*", "[0-9]{2,4}", "[x-]{1,}", "[-x]+", "[a]{0}"];
        let inputs = ["", "12345", "1234", "123456", "Nguyễn Văn An", "An2", "abc", "d", "x-x", "-", "a", "12"];
        for p in patterns {
            let fast = Pattern::new(p).unwrap();
            assert!(matches!(fast, Pattern::Class { .. }), "{p}");
            let slow = regex_lite::Regex::new(&format!("^(?:{p})$")).unwrap();
            for s in inputs {
                assert_eq!(fast.is_match(s), slow.is_match(s), "{p} on {s:?}");
            }
        }
        for p in ["[^0-9]+", "[0-9]+x", "[\\d]+", "a|b", "[a-z]{3}[0-9]"] {
            assert!(matches!(Pattern::new(p).unwrap(), Pattern::Regex(_)), "{p}");
        }
        assert!(Pattern::new("[a-").is_err());
    }
}
