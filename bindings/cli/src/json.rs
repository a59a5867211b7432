//! `motcua json FILE [-o OUT]`: a catalogue, calendar or procedure as the JSON the core's
//! `from_json` loaders read — what a server ships to browsers, which then need no YAML parser —
//! or a scenario as JSON, for hosts that run scenarios outside Rust.
//!
//! `--upgrade` converts a scenario of the first format (`act: accept` lines without command
//! ids) into the current one, whose `submit` and `command`s are the API's own shapes: it
//! reads the old file, writes out the ids the old runner defaulted, and runs it against its
//! procedure to write each official's administrative unit, which the old runner assumed.
//!
//! The kind comes from the folder, as for `lint`. The file is loaded and checked first (a
//! procedure against the catalogue and calendars found near it, a calendar after the calendar
//! it extends), so only a spec that loads is converted; one with errors prints its
//! diagnostics and exits 1.

use std::collections::BTreeSet;
use std::path::Path;

use motcua::Catalogue;
use motcua::scenario::Scenario;
use serde::Serialize;

use crate::args::SpecsArgs;
use crate::lint::Kind;
use crate::project::{self, Source};
use crate::simulate::report_errors;
use crate::{Fail, Format, Lang, Outcome, render};

pub fn run(file: &str, output: Option<&str>, upgrade: bool, args: &SpecsArgs, lang: Lang) -> Outcome {
    let path = Path::new(file);
    let source = Source { name: file.to_owned(), text: project::read(path, file)? };
    let kind = Kind::of(path);
    if upgrade && kind != Kind::Scenario {
        return Err(Fail::coded(
            "invalid_argument",
            format!("--upgrade chỉ dùng cho kịch bản (tests/scenarios/…), không cho {file}"),
            format!("--upgrade is for scenarios (tests/scenarios/…), not {file}"),
        ));
    }
    let converted = match kind {
        Kind::Scenario if upgrade => upgraded(&source, args, lang)?,
        Kind::Catalogue => Catalogue::from_yaml(&source.text, file).map(|c| pretty(c.spec())),
        Kind::Calendar => calendar(args, path, &source)?,
        Kind::Procedure => project::load_procedure(args, file)?.result.map(|p| pretty(p.spec())),
        Kind::Units => {
            let shared = project::load(&project::sources(args, Some(path))?)?;
            let catalogue = shared.libraries.first().map(|l| l.catalogue().clone()).ok_or_else(|| {
                Fail::new("không tìm thấy danh mục cho danh sách đơn vị", "no catalogue found for the units")
            })?;
            motcua::Units::from_yaml(&source.text, file, &catalogue).map(|u| pretty(u.spec()))
        }
        // Scenarios are read for the hosts that run them outside Rust (the WASM package's
        // tests drive every shipped scenario through the JS API).
        Kind::Scenario => Scenario::from_yaml(&source.text, file).map(|s| pretty(&s)),
        // A migration as written (shapes checked; `lint` compiles it against its versions).
        Kind::Migration => motcua::spec::migration::MigrationSpec::from_yaml(&source.text, file).map(|m| pretty(&m)),
    };
    let text = match converted {
        Ok(text) => text,
        Err(e) => {
            report_errors(Format::Text, &source, e.diagnostics(), lang, render::colour());
            return Ok(false);
        }
    };
    match output {
        Some(out) => std::fs::write(out, text.as_bytes())
            .map_err(|e| Fail::new(format!("không ghi được {out}: {e}"), format!("cannot write {out}: {e}")))?,
        None => print!("{text}"),
    }
    Ok(true)
}

/// A scenario in the current format, read in either format, with every official's unit
/// written (see `motcua_scenario::fill_units`). The converted scenario is run: expectations
/// that fail are listed on stderr, and the command then fails after printing it.
fn upgraded(source: &Source, args: &SpecsArgs, lang: Lang) -> Result<Result<String, motcua::LoadError>, Fail> {
    let read = Scenario::from_yaml(&source.text, &source.name)
        .or_else(|_| Scenario::from_legacy_yaml(&source.text, &source.name));
    let scenario = match read {
        Ok(scenario) => scenario,
        Err(e) => return Ok(Err(e)),
    };
    // `procedure:` is relative to the project root (the folder holding `specs/`).
    let spec = Path::new(&scenario.procedure);
    let spec = if spec.exists() {
        scenario.procedure.clone()
    } else {
        project::project_root(Some(Path::new(&source.name)))
            .map(|root| root.join(spec).display().to_string())
            .unwrap_or_else(|| scenario.procedure.clone())
    };
    let loaded = project::load_procedure(args, &spec)?;
    let procedure = match loaded.result {
        Ok(procedure) => procedure,
        Err(e) => return Ok(Err(e)),
    };
    let mut versions = |moved: &motcua::scenario::ScenarioMigrate, from: &motcua::Procedure| {
        crate::simulate::load_version(args, lang, moved, from)
    };
    let filled = motcua_scenario::fill_units(&scenario, &procedure, &mut versions);
    let timeline = motcua_scenario::run_migrating(&filled, &procedure, &mut versions);
    if !timeline.failures().is_empty() {
        for failure in timeline.failures() {
            eprintln!("✗ {}: {failure}", source.name);
        }
        print!("{}", pretty(&filled));
        return Err(Fail::coded(
            "scenario_failed",
            format!("{}: kịch bản đã chuyển nhưng {} kỳ vọng không đúng", source.name, timeline.failures().len()),
            format!("{}: converted, but {} expectation(s) fail", source.name, timeline.failures().len()),
        ));
    }
    Ok(Ok(pretty(&filled)))
}

/// A spec as indented JSON with a final newline (any JSON layout loads the same).
fn pretty(spec: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(spec).unwrap_or_default();
    text.push('\n');
    text
}

/// Loads a calendar after the other calendars of its folder (it may extend one of them).
fn calendar(args: &SpecsArgs, path: &Path, source: &Source) -> Result<Result<String, motcua::LoadError>, Fail> {
    let sources = project::sources(args, Some(path))?;
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let others: Vec<_> = sources.calendars.iter().filter(|p| canonical(p) != canonical(path)).cloned().collect();
    let (mut set, _) = project::load_calendars(&others)?;
    let before: BTreeSet<String> = set.ids().map(str::to_owned).collect();
    if let Err(e) = set.insert_yaml(&source.text, &source.name) {
        return Ok(Err(e));
    }
    let added = set.ids().find(|id| !before.contains(*id)).and_then(|id| set.get(id));
    let calendar = added.ok_or_else(|| Fail::new("lịch không được nạp", "the calendar was not loaded"))?;
    Ok(Ok(pretty(calendar.spec())))
}
