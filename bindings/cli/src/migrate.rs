//! `motcua migrate --dry-run OLD.yaml NEW.yaml MIGRATION.yaml DOSSIER… [--at TIME]
//! [--format text|json]`: what moving each dossier to the new version would change — steps,
//! due instants, timers, the appointment — or why it must stay pinned, without writing
//! anything.
//!
//! A DOSSIER is a scenario (YAML, run on OLD up to its last command) or a dossier snapshot
//! (JSON, checked against its own history). The preview is [`motcua::version::dry_run`]'s,
//! at `--at` or, by default, at each dossier's last event.
//!
//! `motcua migrate --database URL [--dry-run] OLD.yaml NEW.yaml MIGRATION.yaml [--at TIME]
//! [--batch N] [--user NAME]`: the real move, in a store (a SQLite file or `postgres://…`,
//! opened as `motcua serve` opens it): every running dossier of OLD's version, `--batch` at
//! a time, through `Store::migrate_running_with`, which writes each `migrated` event (actor:
//! role `procedure_admin`, user `--user` or `$USER`). OLD must be registered in the store
//! with the same text; NEW is registered if it is not (the report says so), except in a dry
//! run, which previews against the file and writes nothing. At `--at` or, by default, now.
//! A progress bar is drawn on stderr when it is a terminal and there are ten dossiers or more.
//!
//! Exit codes (both forms): 0 every dossier can move (or moved), 1 some stay pinned, 2 could
//! not run.

use chrono::{DateTime, FixedOffset};
use motcua::Dossier;
use motcua::scenario::Scenario;
use motcua::version::{Migration, MigrationPreview, dry_run};

use crate::args::SpecsArgs;
use crate::timeline::human_minutes;
use crate::{Fail, Format, Lang, Outcome, project, render};

/// The files named on the command line.
pub struct Inputs<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub migration: &'a str,
    pub dossiers: &'a [String],
    pub at: Option<&'a str>,
}

/// The migration file, compiled between the two versions.
fn load_migration(file: &str, old: &motcua::Procedure, new: &motcua::Procedure) -> Result<Migration, Fail> {
    let text = project::read(std::path::Path::new(file), file)?;
    Migration::from_yaml(&text, file, old, new).map_err(|e| {
        Fail::coded(
            "spec_does_not_load",
            format!("{file} không tải được (xem `motcua lint {file}`):\n{e}"),
            format!("{file} does not load (see `motcua lint {file}`):\n{e}"),
        )
    })
}

/// `--at`: an RFC 3339 instant.
fn instant(s: &str) -> Result<DateTime<FixedOffset>, Fail> {
    DateTime::parse_from_rfc3339(s).map_err(|e| {
        Fail::new(
            format!("`--at {s}` không phải thời điểm RFC 3339: {e}"),
            format!("`--at {s}` is not an RFC 3339 instant: {e}"),
        )
    })
}

pub fn run(inputs: &Inputs<'_>, format: Format, args: &SpecsArgs, lang: Lang) -> Outcome {
    let old = crate::diff::load(args, inputs.old)?;
    let new = crate::diff::load(args, inputs.new)?;
    let migration = load_migration(inputs.migration, &old, &new)?;
    let at = inputs.at.map(instant).transpose()?;
    let mut previews = Vec::new();
    for file in inputs.dossiers {
        let dossier = load_dossier(file, &old)?;
        let when = at.unwrap_or(dossier.updated_at());
        previews.push((file.as_str(), when, dry_run(&dossier, &old, &new, &migration, when)));
    }
    let all_move = previews.iter().all(|(_, _, p)| p.refused.is_none());
    let at_each = |when: &DateTime<FixedOffset>| format!("{} {}", lang.t("lúc", "at"), when.format("%Y-%m-%d %H:%M"));
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
        Format::Text => {
            let entries: Vec<(String, &MigrationPreview)> =
                previews.iter().map(|(file, when, p)| (format!(" ({file}), {}", at_each(when)), p)).collect();
            let mut out = header(&old, &new, &migration, lang);
            out.push_str(lang.t("Chạy thử: không ghi gì.\n", "Dry run: nothing is written.\n"));
            out.push_str(&text_report(&new, &entries, None, lang));
            print!("{out}");
        }
    }
    Ok(all_move)
}

/// The options of the store form (`--database`).
pub struct StoreRun<'a> {
    pub url: &'a str,
    pub dry_run: bool,
    pub batch: usize,
    pub user: Option<&'a str>,
    /// `--dossier`: only these dossiers, each moved on its own (`Store::migrate`); empty for
    /// every running dossier of the old version.
    pub only: &'a [String],
}

/// What became of the new version in the store.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Registration {
    /// It was registered before this run.
    Already,
    /// This run registered it.
    Now,
    /// A dry run: not registered, previewed against the file.
    NotYet,
}

impl Registration {
    fn code(self) -> &'static str {
        match self {
            Registration::Already => "already_registered",
            Registration::Now => "registered_now",
            Registration::NotYet => "not_registered",
        }
    }
}

fn store_fail(e: &motcua_store::StoreError) -> Fail {
    match e.rejection() {
        Some(r) => Fail::coded(r.code.as_str(), r.message.vi.clone(), r.message.en.clone()),
        None => Fail::coded(e.code(), format!("kho hồ sơ báo lỗi: {e}"), format!("the store failed: {e}")),
    }
}

/// `motcua migrate --database URL …`: moves (or, with `--dry-run`, previews) every running
/// dossier of the old version in the store.
pub fn run_store(inputs: &Inputs<'_>, run: &StoreRun<'_>, format: Format, args: &SpecsArgs, lang: Lang) -> Outcome {
    let old_spec = project::load_procedure(args, inputs.old)?;
    let new_spec = project::load_procedure(args, inputs.new)?;
    let loaded = |spec: project::LoadedSpec, file: &str| {
        spec.result.map(|p| (p, spec.source.text)).map_err(|e| {
            Fail::coded(
                "spec_does_not_load",
                format!("{file} không tải được (xem `motcua lint {file}`):\n{e}"),
                format!("{file} does not load (see `motcua lint {file}`):\n{e}"),
            )
        })
    };
    let (old, old_text) = loaded(old_spec, inputs.old)?;
    let (new, new_text) = loaded(new_spec, inputs.new)?;
    let migration = load_migration(inputs.migration, &old, &new)?;
    let at = match inputs.at {
        Some(s) => instant(s)?,
        None => {
            let offset = FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
            chrono::Utc::now().with_timezone(&offset)
        }
    };
    // The store compiles what it holds against the library the files were compiled with.
    let sources = project::sources(args, Some(std::path::Path::new(inputs.new)))?;
    let shared = project::load(&sources)?;
    let library = shared.library_for(&new_text).cloned().ok_or_else(|| {
        Fail::coded(
            "no_catalogue",
            "không tìm thấy danh mục (catalogue/*.yaml)",
            "no catalogue found (catalogue/*.yaml)",
        )
    })?;
    let database = motcua_server::Database::parse(run.url);
    if let motcua_server::Database::Sqlite(path) = &database
        && !path.is_file()
    {
        let shown = path.display();
        return Err(Fail::coded(
            "io_error",
            format!("không có kho hồ sơ SQLite {shown}"),
            format!("no SQLite store at {shown}"),
        ));
    }
    let mut store = database.open(library).map_err(|e| store_fail(&e))?;
    let registered = |store: &mut motcua_store::Store, version: &str| {
        store.procedure_versions(old.code()).map(|vs| vs.iter().any(|v| v.version == version))
    };
    if !registered(&mut store, old.version()).map_err(|e| store_fail(&e))? {
        return Err(Fail::coded(
            "version_not_registered",
            format!("kho hồ sơ không có {} phiên bản {}: không có hồ sơ nào để chuyển", old.code(), old.version()),
            format!("the store holds no {} version {}: no dossier to move", old.code(), old.version()),
        ));
    }
    // Registering a text already stored writes nothing; another text under the same version is refused.
    store.register_procedure(&old_text, inputs.old).map_err(|e| store_fail(&e))?;
    let registration = if registered(&mut store, new.version()).map_err(|e| store_fail(&e))? {
        store.register_procedure(&new_text, inputs.new).map_err(|e| store_fail(&e))?;
        Registration::Already
    } else if run.dry_run {
        Registration::NotYet
    } else {
        store.register_procedure(&new_text, inputs.new).map_err(|e| store_fail(&e))?;
        Registration::Now
    };
    let user = run.user.map(str::to_owned).or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "motcua".into());
    let actor = motcua::Actor { role: "procedure_admin".into(), agency: None, unit: None, user: Some(user) };
    let report = if run.only.is_empty() {
        let total = store.running_count(old.code(), old.version()).map_err(|e| store_fail(&e))?;
        let bar = crate::lint::progress(total, format);
        let options = motcua_store::MigrationRun {
            at,
            actor: &actor,
            batch: run.batch,
            dry_run: run.dry_run,
            target: Some(&new),
        };
        let report = store
            .migrate_running_with(&migration, &options, &mut |_, _, p| {
                bar.set_message(p.dossier.clone());
                bar.inc(1);
            })
            .map_err(|e| store_fail(&e));
        bar.finish_and_clear();
        report?
    } else {
        // The named dossiers, one by one: each previewed, then moved when it can be. One on
        // another version (or already moved) is listed with the reason, as a pinned one is.
        let mut report = motcua_store::MigrationReport { dry_run: run.dry_run, dossiers: Vec::new(), moved: 0 };
        for id in run.only {
            let dossier = store.dossier(id).map_err(|e| store_fail(&e))?;
            let preview = motcua::version::dry_run(&dossier, &old, &new, &migration, at);
            if !run.dry_run && preview.refused.is_none() {
                store.migrate(id, &migration, at, &actor).map_err(|e| store_fail(&e))?;
                report.moved += 1;
            }
            report.dossiers.push(preview);
        }
        report
    };
    let pinned: Vec<serde_json::Value> = report
        .pinned()
        .map(|(id, r)| serde_json::json!({"dossier": id, "code": r.code.as_str(), "message": r.message}))
        .collect();
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "procedure": old.code(),
                "from": old.version(),
                "to": new.version(),
                "migration_sha256": migration.sha256(),
                "database": match database {
                    motcua_server::Database::Sqlite(_) => "sqlite",
                    motcua_server::Database::Postgres(_) => "postgres",
                },
                "dry_run": report.dry_run,
                "at": at.to_rfc3339(),
                "new_version": registration.code(),
                "running": report.dossiers.len(),
                "moved": report.moved,
                "pinned": pinned,
                "dossiers": report.dossiers,
            });
            crate::print_json(&value);
        }
        Format::Text => {
            let mut out = header(&old, &new, &migration, lang);
            out.push_str(&format!(
                "{} {}\n",
                lang.t("Thời điểm chuyển:", "Moved at:"),
                at.format("%Y-%m-%d %H:%M %:z")
            ));
            let version = new.version();
            out.push_str(&match (registration, lang) {
                (Registration::Already, Lang::Vi) => format!("Phiên bản {version} đã có trong kho.\n"),
                (Registration::Already, Lang::En) => format!("Version {version} was already registered.\n"),
                (Registration::Now, Lang::Vi) => format!("Đã đăng ký phiên bản {version} vào kho.\n"),
                (Registration::Now, Lang::En) => format!("Version {version} registered in the store now.\n"),
                (Registration::NotYet, Lang::Vi) => {
                    format!("Phiên bản {version} chưa có trong kho: lần chuyển thật sẽ đăng ký.\n")
                }
                (Registration::NotYet, Lang::En) => {
                    format!("Version {version} is not registered: the real move registers it.\n")
                }
            });
            if report.dry_run {
                out.push_str(lang.t("Chạy thử: không ghi gì.\n", "Dry run: nothing is written.\n"));
            }
            let entries: Vec<(String, &MigrationPreview)> =
                report.dossiers.iter().map(|p| (String::new(), p)).collect();
            let moved = (!report.dry_run).then_some(report.moved);
            out.push_str(&text_report(&new, &entries, moved, lang));
            print!("{out}");
        }
    }
    Ok(pinned.is_empty())
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
    let timeline = motcua_scenario::run(&scenario, old);
    timeline.dossier().cloned().ok_or_else(|| {
        let why = timeline.failures().join("; ");
        Fail::coded(
            "scenario_failed",
            format!("{file}: kịch bản không mở được hồ sơ theo phiên bản cũ: {why}"),
            format!("{file}: the scenario opens no dossier on the old version: {why}"),
        )
    })
}

fn header(old: &motcua::Procedure, new: &motcua::Procedure, migration: &Migration, lang: Lang) -> String {
    format!(
        "{} ({}): {} → {}, {} {}\n",
        render::escape_controls(new.spec().name.get(lang.code())),
        old.code(),
        old.version(),
        new.version(),
        lang.t("tệp chuyển", "migration"),
        &migration.sha256()[..12],
    )
}

/// Each dossier's steps, due instants and appointment before and after, or why it stays;
/// then the count. `moved`: how many were moved (a real run), none for a preview.
fn text_report(
    new: &motcua::Procedure,
    previews: &[(String, &MigrationPreview)],
    moved: Option<usize>,
    lang: Lang,
) -> String {
    let day = new.calendar().day_minutes();
    let instant = |t: DateTime<FixedOffset>| t.format("%Y-%m-%d %H:%M").to_string();
    let opt = |t: Option<DateTime<FixedOffset>>| t.map_or_else(|| "—".to_owned(), instant);
    let mut out = String::new();
    for (label, p) in previews {
        out.push_str(&format!("\n{}{label}\n", p.dossier));
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
        let verb = if moved.is_some() {
            lang.t("đã chuyển sang", "moved to")
        } else {
            lang.t("chuyển sang", "moves to")
        };
        out.push_str(&format!("  ✓ {verb} {}\n", p.to_version));
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
    let moving = previews.iter().filter(|(_, p)| p.refused.is_none()).count();
    let pinned = previews.len() - moving;
    let n = previews.len();
    out.push('\n');
    out.push_str(&match (moved, lang) {
        (None, Lang::Vi) => format!("{n} hồ sơ: {moving} chuyển được, {pinned} giữ phiên bản cũ\n"),
        (None, Lang::En) => format!("{n} dossier(s): {moving} would move, {pinned} stay pinned\n"),
        (Some(m), Lang::Vi) => format!("{n} hồ sơ: {m} đã chuyển, {pinned} giữ phiên bản cũ\n"),
        (Some(m), Lang::En) => format!("{n} dossier(s): {m} moved, {pinned} stay pinned\n"),
    });
    out
}
