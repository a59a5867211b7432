//! A small argument parser: positional arguments, `--name value`, `--name=value`, `-o value`.
//!
//! Every option except `--help` takes a value; each command says which it accepts
//! ([`Args::allow`]) so a typo is an error, not silently ignored.

use std::collections::BTreeMap;

use crate::{Fail, Format, Lang};

/// Parsed arguments of one command.
#[derive(Debug, Default)]
pub struct Args {
    pub positional: Vec<String>,
    options: BTreeMap<String, String>,
    flags: Vec<String>,
}

/// `--lang` before anything else is parsed, so argument errors are reported in it.
pub fn peek_lang(raw: &[String]) -> Lang {
    let mut it = raw.iter();
    while let Some(a) = it.next() {
        let value = if a == "--lang" { it.next().map(String::as_str) } else { a.strip_prefix("--lang=") };
        if value == Some("en") {
            return Lang::En;
        }
    }
    Lang::Vi
}

/// Whether `--format json` was asked for, so that even an argument error is JSON.
pub fn peek_json(raw: &[String]) -> bool {
    let mut it = raw.iter();
    while let Some(a) = it.next() {
        let value = if a == "--format" { it.next().map(String::as_str) } else { a.strip_prefix("--format=") };
        if value == Some("json") {
            return true;
        }
    }
    false
}

impl Args {
    pub fn parse(raw: &[String]) -> Result<Args, Fail> {
        let mut args = Args::default();
        let mut it = raw.iter();
        while let Some(a) = it.next() {
            if a == "--" {
                args.positional.extend(it.by_ref().cloned());
                break;
            }
            let name = if let Some(long) = a.strip_prefix("--") {
                long.to_owned()
            } else if a == "-o" {
                "output".to_owned()
            } else if a == "-h" {
                "help".to_owned()
            } else if a.starts_with('-') && a.len() > 1 {
                return Err(Fail::new(format!("tùy chọn không hợp lệ: `{a}`"), format!("unknown option `{a}`")));
            } else {
                args.positional.push(a.clone());
                continue;
            };
            if name == "help" {
                args.flags.push(name);
                continue;
            }
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => match it.next() {
                    Some(v) => (name, v.clone()),
                    None => {
                        return Err(Fail::new(
                            format!("tùy chọn `--{name}` cần một giá trị"),
                            format!("option `--{name}` needs a value"),
                        ));
                    }
                },
            };
            if args.options.insert(name.clone(), value).is_some() {
                return Err(Fail::new(
                    format!("tùy chọn `--{name}` được nêu hai lần"),
                    format!("option `--{name}` given twice"),
                ));
            }
        }
        Ok(args)
    }

    /// Checks that only `allowed` options (plus `lang`) were given and at most `max_positional`
    /// positional arguments (`usize::MAX` for any number).
    pub fn allow(&self, allowed: &[&str], max_positional: usize) -> Result<(), Fail> {
        for name in self.options.keys() {
            if name != "lang" && !allowed.contains(&name.as_str()) {
                return Err(Fail::new(
                    format!("lệnh này không có tùy chọn `--{name}`"),
                    format!("this command has no option `--{name}`"),
                ));
            }
        }
        if self.positional.len() > max_positional {
            let extra = &self.positional[max_positional];
            return Err(Fail::new(format!("thừa tham số `{extra}`"), format!("unexpected argument `{extra}`")));
        }
        if let Some(lang) = self.get("lang")
            && lang != "vi"
            && lang != "en"
        {
            return Err(Fail::new(
                format!("ngôn ngữ `{lang}` không được hỗ trợ: chọn vi hoặc en"),
                format!("language `{lang}` is not supported: choose vi or en"),
            ));
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// The `n`th positional argument, or a "missing" error naming it.
    pub fn required(&self, n: usize, vi: &str, en: &str) -> Result<&str, Fail> {
        self.positional
            .get(n)
            .map(String::as_str)
            .ok_or_else(|| Fail::new(format!("thiếu tham số: {vi}"), format!("missing argument: {en}")))
    }

    /// `--format text|json` (or the extra formats a command accepts).
    pub fn format(&self) -> Result<Format, Fail> {
        match self.get("format") {
            None | Some("text") | Some("table") => Ok(Format::Text),
            Some("json") => Ok(Format::Json),
            Some(other) => Err(Fail::new(
                format!("định dạng `{other}` không được hỗ trợ: chọn text hoặc json"),
                format!("format `{other}` is not supported: choose text or json"),
            )),
        }
    }
}
