//! `motcua explain [CODE]`: what a code means, an example that produces it, and the fix.
//!
//! The explanations are data (`explain.yaml`, compiled in); a test runs `explain` for every
//! [`motcua::Code`] and fails when one is missing. Without a code, every code is listed.

use std::collections::BTreeMap;

use motcua::Code;
use serde::Deserialize;
use serde_json::json;

use crate::{Fail, Format, Lang, Outcome};

const DATA: &str = include_str!("explain.yaml");

#[derive(Debug, Deserialize)]
struct Bilingual {
    vi: String,
    en: String,
}

impl Bilingual {
    fn get(&self, lang: Lang) -> &str {
        lang.t(&self.vi, &self.en)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Explanation {
    /// What the code means and when it is reported.
    what: Bilingual,
    /// A spec, command or form data that produces it.
    example: String,
    /// How to fix it.
    fix: Bilingual,
    /// The example after the fix, when it helps.
    #[serde(default)]
    fixed: Option<String>,
}

fn load() -> Result<BTreeMap<String, Explanation>, Fail> {
    serde_saphyr::from_str(DATA).map_err(|e| {
        Fail::new(format!("dữ liệu giải thích bị hỏng: {e}"), format!("the explanations data is broken: {e}"))
    })
}

fn severity(severity: motcua::Severity, lang: Lang) -> &'static str {
    match (severity, lang) {
        (motcua::Severity::Error, Lang::Vi) => "lỗi",
        (motcua::Severity::Warning, Lang::Vi) => "cảnh báo",
        (motcua::Severity::Error, Lang::En) => "error",
        (motcua::Severity::Warning, Lang::En) => "warning",
    }
}

fn indent(text: &str) -> String {
    text.trim_end().lines().map(|l| if l.is_empty() { "\n".to_owned() } else { format!("    {l}\n") }).collect()
}

pub fn run(name: Option<&str>, format: Format, lang: Lang) -> Outcome {
    let all = load()?;
    let Some(name) = name else {
        // The list of every code with its one-line summary.
        match format {
            Format::Json => {
                let list: Vec<_> = Code::ALL
                    .iter()
                    .map(|c| json!({"code": c.as_str(), "severity": c.default_severity(), "summary": c.summary()}))
                    .collect();
                crate::print_json(&json!(list));
            }
            Format::Text => {
                let headers = [lang.t("Mã", "Code"), lang.t("Mức", "Severity"), lang.t("Ý nghĩa", "Meaning")];
                let rows = Code::ALL
                    .iter()
                    .map(|c| {
                        let severity = severity(c.default_severity(), lang);
                        vec![c.as_str().to_owned(), severity.to_owned(), c.summary().get(lang.code()).to_owned()]
                    })
                    .collect();
                print!("{}", crate::timeline::table_keeping(&headers, rows, crate::timeline::Width::detect(None), 2));
            }
        }
        return Ok(true);
    };
    let code = Code::from_name(name).ok_or_else(|| {
        let close: Vec<&str> =
            Code::ALL.iter().map(|c| c.as_str()).filter(|c| c.contains(name) || name.contains(c)).collect();
        let hint = if close.is_empty() { String::new() } else { format!(" ({})", close.join(", ")) };
        Fail::new(
            format!("không có mã `{name}`{hint}; `motcua explain` liệt kê mọi mã"),
            format!("no code `{name}`{hint}; `motcua explain` lists every code"),
        )
    })?;
    let Some(e) = all.get(code.as_str()) else {
        return Err(Fail::new(
            format!("chưa có giải thích cho mã `{code}`"),
            format!("no explanation for code `{code}` yet"),
        ));
    };
    let summary = code.summary();
    match format {
        Format::Json => crate::print_json(&json!({
            "code": code.as_str(),
            "severity": code.default_severity(),
            "summary": summary,
            "what": {"vi": e.what.vi, "en": e.what.en},
            "example": e.example,
            "fix": {"vi": e.fix.vi, "en": e.fix.en},
            "fixed": e.fixed,
        })),
        Format::Text => {
            let severity = severity(code.default_severity(), lang);
            let mut out = format!("{code} ({severity}) — {}\n\n", summary.get(lang.code()));
            out.push_str(e.what.get(lang).trim_end());
            out.push_str(&format!("\n\n{}:\n\n", lang.t("Ví dụ", "Example")));
            out.push_str(&indent(&e.example));
            out.push_str(&format!("\n{}: {}\n", lang.t("Cách sửa", "Fix"), e.fix.get(lang).trim_end()));
            if let Some(fixed) = &e.fixed {
                out.push_str(&format!("\n{}:\n\n", lang.t("Sau khi sửa", "After the fix")));
                out.push_str(&indent(fixed));
            }
            print!("{out}");
        }
    }
    Ok(true)
}
