//! `motcua diff OLD.yaml NEW.yaml [--format text|json]`: what changed between two versions of
//! a procedure, in policy staff's terms, and which changes break running dossiers.
//!
//! The changes come from [`motcua::version::diff`]; each carries a stable code (`step_removed`,
//! `step_level_changed`, `field_added`, …, the same in text and JSON) and whether it is
//! breaking: a dossier running on OLD could not simply continue on NEW (it may be in a step
//! that is gone, held by an agency that no longer handles it, or its data may no longer
//! validate), so a migration file must say what happens to it.
//!
//! Exit codes: 0 no breaking change, 1 breaking changes found, 2 could not run (bad
//! arguments, an unreadable file, a spec that does not load: `spec_does_not_load`).

use motcua::version::{Change, ProcedureDiff};

use crate::args::SpecsArgs;
use crate::{Fail, Format, Lang, Outcome, project, render};

/// Loads both specs (with the shared data found near the first) and prints their diff.
pub fn run(old: &str, new: &str, format: Format, args: &SpecsArgs, lang: Lang) -> Outcome {
    let (a, b) = (load(args, old)?, load(args, new)?);
    let d = motcua::version::diff(&a, &b);
    match format {
        Format::Json => {
            let value = serde_json::to_value(&d).unwrap_or_default();
            crate::print_json(&value);
        }
        Format::Text => print!("{}", text(&d, &a, &b, lang)),
    }
    Ok(!d.is_breaking())
}

pub fn load(args: &SpecsArgs, spec: &str) -> Result<motcua::Procedure, Fail> {
    let loaded = project::load_procedure(args, spec)?;
    loaded.result.map_err(|e| {
        Fail::coded(
            "spec_does_not_load",
            format!("{spec} không tải được (xem `motcua lint {spec}`):\n{e}"),
            format!("{spec} does not load (see `motcua lint {spec}`):\n{e}"),
        )
    })
}

/// The section a change belongs to, by the first segment of its subject.
fn section(subject: &str, lang: Lang) -> &'static str {
    match subject.split('.').next().unwrap_or("") {
        "steps" => lang.t("Bước", "Steps"),
        "outcomes" => lang.t("Kết quả", "Outcomes"),
        "roles" => lang.t("Vai trò", "Roles"),
        "agencies" => lang.t("Cơ quan", "Agencies"),
        "form" => lang.t("Tờ khai", "Form"),
        "documents" => lang.t("Thành phần hồ sơ", "Documents"),
        _ => lang.t("Thủ tục", "Procedure"),
    }
}

fn line(c: &Change, lang: Lang) -> String {
    let mark = if c.breaking { "✗" } else { "·" };
    let mut out = format!("  {mark} {:<28} {}\n", c.kind.as_str(), render::escape_controls(c.message.get(lang.code())));
    if let Some(impact) = &c.impact {
        out.push_str(&format!("    {:<28} → {}\n", "", render::escape_controls(impact.get(lang.code()))));
    }
    out
}

fn text(d: &ProcedureDiff, old: &motcua::Procedure, new: &motcua::Procedure, lang: Lang) -> String {
    let l = lang.code();
    let span = |v: &motcua::version::VersionRef| match v.valid_until {
        Some(until) => format!("{} ({} – {until})", v.version, v.valid_from),
        None => format!("{} ({} {})", v.version, lang.t("từ", "from"), v.valid_from),
    };
    let mut out = format!(
        "{} ({}): {} → {}\n",
        render::escape_controls(new.spec().name.get(l)),
        d.to.code,
        span(&d.from),
        span(&d.to)
    );
    if old.spec().name != new.spec().name {
        out.push_str(&format!(
            "{} {}\n",
            lang.t("trước đây:", "formerly:"),
            render::escape_controls(old.spec().name.get(l))
        ));
    }
    if d.is_empty() {
        out.push_str(lang.t("Không có thay đổi.\n", "No changes.\n"));
        return out;
    }
    let mut current = "";
    for c in &d.changes {
        let s = section(&c.subject, lang);
        if s != current {
            out.push_str(&format!("\n{s}\n"));
            current = s;
        }
        out.push_str(&line(c, lang));
    }
    let n = d.changes.len();
    out.push('\n');
    out.push_str(&match lang {
        Lang::Vi => format!("{n} thay đổi, {} ảnh hưởng hồ sơ đang giải quyết (✗)\n", d.breaking),
        Lang::En => {
            format!("{n} change{}, {} breaking for running dossiers (✗)\n", if n == 1 { "" } else { "s" }, d.breaking)
        }
    });
    if d.is_breaking() {
        out.push_str(lang.t(
            "Hồ sơ đang giải quyết giữ phiên bản cũ; muốn chuyển chúng sang phiên bản mới cần một tệp chuyển đổi (specs/migrations/).\n",
            "Running dossiers stay on the old version; moving them to the new one needs a migration file (specs/migrations/).\n",
        ));
    }
    out
}
