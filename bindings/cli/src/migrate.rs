//! `motcua migrate --dry-run OLD.yaml NEW.yaml MIGRATION.yaml DOSSIER… [--at TIME]
//! [--format text|json]`: what moving each dossier to the new version would change — steps,
//! due instants, timers, the appointment — or why it must stay pinned, without writing
//! anything.
//!
//! A DOSSIER is a scenario (YAML, run on OLD up to its last command) or a dossier snapshot
//! (JSON, checked against its own history). The preview is [`motcua::version::dry_run`]'s,
//! at `--at` or, by default, at each dossier's last event. The move itself belongs to the
//! store (`motcua-store`), which writes the `migrated` event.
//!
//! Exit codes: 0 every dossier can move, 1 some stay pinned, 2 could not run.

use chrono::{DateTime, FixedOffset};
use motcua::Dossier;
use motcua::scenario::{Scenario, human_minutes};
use motcua::version::{Migration, MigrationPreview, dry_run};

use crate::args::SpecsArgs;
use crate::{Fail, Format, Lang, Outcome, project, render};

/// The files named on the command line.
pub struct Inputs<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub migration: &'a str,
    pub dossiers: &'a [String],
    pub at: Option<&'a str>,
}

pub fn run(inputs: &Inputs<'_>, format: Format, args: &SpecsArgs, lang: Lang) -> Outcome {
    let old = crate::diff::load(args, inputs.old)?;
    let new = crate::diff::load(args, inputs.new)?;
    let text = project::read(std::path::Path::new(inputs.migration), inputs.migration)?;
    let migration = Migration::from_yaml(&text, inputs.migration, &old, &new).map_err(|e| {
        Fail::coded(
            "spec_does_not_load",
            format!("{} không tải được (xem `motcua lint {}`):\n{e}", inputs.migration, inputs.migration),
            format!("{} does not load (see `motcua lint {}`):\n{e}", inputs.migration, inputs.migration),
        )
    })?;
    let at = match inputs.at {
        Some(s) => Some(DateTime::parse_from_rfc3339(s).map_err(|e| {
            Fail::new(
                format!("`--at {s}` không phải thời điểm RFC 3339: {e}"),
                format!("`--at {s}` is not an RFC 3339 instant: {e}"),
            )
        })?),
        None => None,
    };
    let mut previews = Vec::new();
    for file in inputs.dossiers {
        let dossier = load_dossier(file, &old)?;
        let when = at.unwrap_or(dossier.updated_at());
        previews.push((file.as_str(), when, dry_run(&dossier, &old, &new, &migration, when)));
    }
    let all_move = previews.iter().all(|(_, _, p)| p.refused.is_none());
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "procedure": old.code(),
                "from": old.version(),
                "to": new.version(),
                "migration_sha256": migration.sha256(),
                "dossiers": previews.iter().map(|(file, when, p)| {
                    let mut v = serde_json::to_value(p).unwrap_or_default();
                    v["file"] = serde_json::json!(file);
                    v["at"] = serde_json::json!(when.to_rfc3339());
                    v
                }).collect::<Vec<_>>(),
            });
            crate::print_json(&value);
        }
        Format::Text => print!("{}", text_report(&old, &new, &migration, &previews, lang)),
    }
    Ok(all_move)
}

fn load_dossier(file: &str, old: &motcua::Procedure) -> Result<Dossier, Fail> {
    let text = project::read(std::path::Path::new(file), file)?;
    if file.ends_with(".json") {
        let snapshot: Dossier = serde_json::from_str(&text).map_err(|e| {
            Fail::coded(
                "invalid_snapshot",
                format!("{file}: không đọc được bản chụp hồ sơ: {e}"),
                format!("{file}: not a dossier snapshot: {e}"),
            )
        })?;
        return Dossier::from_snapshot(old, snapshot, None).map_err(|r| {
            Fail::coded(r.code.as_str(), format!("{file}: {}", r.message.vi), format!("{file}: {}", r.message.en))
        });
    }
    let scenario = Scenario::from_yaml(&text, file).map_err(|e| {
        Fail::coded("spec_does_not_load", format!("{file} không tải được:\n{e}"), format!("{file} does not load:\n{e}"))
    })?;
    let timeline = scenario.run(old);
    timeline.dossier().cloned().ok_or_else(|| {
        let why = timeline.failures().join("; ");
        Fail::coded(
            "scenario_failed",
            format!("{file}: kịch bản không mở được hồ sơ theo phiên bản cũ: {why}"),
            format!("{file}: the scenario opens no dossier on the old version: {why}"),
        )
    })
}

fn text_report(
    old: &motcua::Procedure,
    new: &motcua::Procedure,
    migration: &Migration,
    previews: &[(&str, DateTime<FixedOffset>, MigrationPreview)],
    lang: Lang,
) -> String {
    let day = new.calendar().day_minutes();
    let instant = |t: DateTime<FixedOffset>| t.format("%Y-%m-%d %H:%M").to_string();
    let opt = |t: Option<DateTime<FixedOffset>>| t.map_or_else(|| "—".to_owned(), instant);
    let mut out = format!(
        "{} ({}): {} → {}, {} {}\n",
        render::escape_controls(new.spec().name.get(lang.code())),
        old.code(),
        old.version(),
        new.version(),
        lang.t("tệp chuyển", "migration"),
        &migration.sha256()[..12],
    );
    out.push_str(lang.t("Chạy thử: không ghi gì.\n", "Dry run: nothing is written.\n"));
    for (file, when, p) in previews {
        out.push_str(&format!("\n{} ({file}), {} {}\n", p.dossier, lang.t("lúc", "at"), instant(*when)));
        if let Some(r) = &p.refused {
            out.push_str(&format!(
                "  ✗ {} {}: {} — {}\n",
                lang.t("giữ phiên bản", "stays on"),
                p.from_version,
                r.code.as_str(),
                render::escape_controls(r.message.get(lang.code()))
            ));
            for problem in &r.problems {
                out.push_str(&format!("      {} {}\n", problem.path, problem.code.as_str()));
            }
            for s in &p.steps {
                out.push_str(&format!("    {} {}: {}\n", lang.t("bước", "step"), s.from, opt(s.due_before)));
            }
            continue;
        }
        out.push_str(&format!("  ✓ {} {}\n", lang.t("chuyển sang", "moves to"), p.to_version));
        for s in &p.steps {
            out.push_str(&format!(
                "    {} → {}: {} {}; {} {} → {}\n",
                s.from,
                s.to.as_deref().unwrap_or("—"),
                lang.t("đã dùng", "used"),
                human_minutes(s.used_minutes.unwrap_or(0), day),
                lang.t("hạn bước", "due"),
                opt(s.due_before),
                opt(s.due_after),
            ));
            if s.timer_before.is_some() || s.timer_after.is_some() {
                let none = || "—".to_owned();
                out.push_str(&format!(
                    "      {} {} → {}\n",
                    lang.t("hẹn giờ", "timer"),
                    s.timer_before.clone().unwrap_or_else(none),
                    s.timer_after.clone().unwrap_or_else(none)
                ));
            }
        }
        let after = p.appointment_after.unwrap_or(p.appointment_before);
        let kept = if after == p.appointment_before {
            lang.t("giữ nguyên", "kept")
        } else {
            lang.t("sớm hơn", "earlier")
        };
        out.push_str(&format!(
            "    {} {} → {} ({kept})\n",
            lang.t("ngày hẹn trả", "appointment"),
            instant(p.appointment_before),
            instant(after)
        ));
    }
    let moving = previews.iter().filter(|(_, _, p)| p.refused.is_none()).count();
    let pinned = previews.len() - moving;
    out.push('\n');
    out.push_str(&match lang {
        Lang::Vi => format!("{} hồ sơ: {moving} chuyển được, {pinned} giữ phiên bản cũ\n", previews.len()),
        Lang::En => format!("{} dossier(s): {moving} would move, {pinned} stay pinned\n", previews.len()),
    });
    out
}
