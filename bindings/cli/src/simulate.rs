//! `motcua simulate SPEC [--scenario FILE]`: lints a procedure and runs a scenario through it.
//!
//! Without `--scenario`, the first scenario (by file name) in the project's
//! `tests/scenarios/` whose `procedure:` is SPEC is used. Scenario `procedure:` paths are
//! relative to the project root: the folder holding `specs/`.

use std::path::{Path, PathBuf};

use motcua::scenario::{Scenario, ScenarioMigrate};
use motcua::version::Migration;
use motcua_scenario::EntryResult;
use serde_json::json;

use crate::args::SpecsArgs;
use crate::project::{self, Source};
use crate::timeline::{self, Width};
use crate::{Fail, Format, Lang, Outcome, render};

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// The first scenario in `tests/scenarios/` written for `spec`.
fn default_scenario(spec: &str) -> Result<PathBuf, Fail> {
    let none = || {
        Fail::new(
            format!("không có kịch bản nào trong tests/scenarios/ viết cho {spec}: dùng --scenario TỆP"),
            format!("no scenario in tests/scenarios/ is written for {spec}: pass --scenario FILE"),
        )
    };
    let root = project::project_root(Some(Path::new(spec))).ok_or_else(none)?;
    let dir = root.join("tests").join("scenarios");
    if !dir.is_dir() {
        return Err(none());
    }
    for file in project::yaml_files(&dir)? {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let Ok(scenario) = Scenario::from_yaml(&text, &file.display().to_string()) else { continue };
        if same_file(&root.join(&scenario.procedure), Path::new(spec)) {
            return Ok(file);
        }
    }
    Err(none())
}

pub fn run(spec: &str, scenario: Option<&str>, format: Format, width: Width, args: &SpecsArgs, lang: Lang) -> Outcome {
    let scenario_path = match scenario {
        Some(p) => PathBuf::from(p),
        None => default_scenario(spec)?,
    };
    let scenario_name = project::display(&scenario_path);
    let scenario_text = project::read(&scenario_path, &scenario_name)?;
    let loaded = project::load_procedure(args, spec)?;
    let colour = render::colour() && format == Format::Text;
    let l = lang.code();

    let procedure = match loaded.result {
        Ok(p) => p,
        Err(e) => {
            report_errors(format, &loaded.source, e.diagnostics(), lang, colour);
            return Ok(false);
        }
    };
    let scenario = match Scenario::from_yaml(&scenario_text, &scenario_name) {
        Ok(s) => s,
        Err(e) => {
            let source = Source { name: scenario_name, text: scenario_text };
            report_errors(format, &source, e.diagnostics(), lang, colour);
            return Ok(false);
        }
    };
    let timeline =
        motcua_scenario::run_migrating(&scenario, &procedure, &mut |moved, from| load_version(args, lang, moved, from));
    let passed = timeline.failures().is_empty();
    let spec_meta = procedure.spec();

    if format == Format::Json {
        let entries: Vec<_> = timeline
            .entries()
            .iter()
            .map(|e| {
                let (accepted, effects, rejection) = match &e.result {
                    EntryResult::Applied(effects) => (true, json!(effects), json!(null)),
                    EntryResult::Rejected(r) => (false, json!([]), json!(r)),
                };
                json!({
                    "at": e.at.to_rfc3339(),
                    "command": e.command,
                    "actor": e.actor,
                    "before": e.before,
                    "after": e.after,
                    "accepted": accepted,
                    "effects": effects,
                    "rejection": rejection,
                    "status": e.status,
                    "note": e.note.as_ref().map(|n| n.get(l).to_owned()),
                    "appointment": e.appointment.map(|a| a.to_rfc3339()),
                    "appointment_provisional": e.provisional,
                    "suspended": e.suspended,
                    "punctuality": e.punctuality,
                    "step_times": e.step_times.iter().map(|(step, used, allotted)| json!({
                        "step": step, "used_minutes": used, "allotted_minutes": allotted,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        crate::print_json(&json!({
            "procedure": {
                "file": loaded.source.name,
                "code": spec_meta.code,
                "version": spec_meta.version,
                "name": spec_meta.name.get(l),
                "legal_deadline": spec_meta.legal_deadline.to_string(),
            },
            "lint": {"errors": 0, "warnings": procedure.warnings().len(), "diagnostics": procedure.warnings()},
            "scenario": {"file": scenario_name, "name": scenario.name.get(l)},
            "entries": entries,
            "failures": timeline.failures(),
            "passed": passed,
        }));
        return Ok(passed);
    }

    let mut out = String::new();
    out.push_str(&format!("{} {} — {}\n", spec_meta.code, spec_meta.version, spec_meta.name.get(l)));
    let warnings = procedure.warnings().len();
    out.push_str(&format!(
        "{}: {}: {}; {}: {}; {} {}\n",
        lang.t("Kiểm tra", "Lint"),
        loaded.source.name,
        render::counts(0, warnings, lang),
        lang.t("thời hạn giải quyết", "legal deadline"),
        spec_meta.legal_deadline,
        procedure.steps().len(),
        lang.t("bước", "steps"),
    ));
    for w in procedure.warnings() {
        out.push('\n');
        out.push_str(&render::diagnostic(w, Some(&loaded.source.text), lang, colour));
    }
    out.push_str(&format!("\n{} — {}\n", scenario_name, scenario.name.get(l)));
    out.push_str(&timeline::render(timeline.entries(), &procedure, l, width));
    if passed {
        out.push_str(&format!(
            "\n✓ {}\n",
            lang.t("Mọi kỳ vọng của kịch bản đều đúng", "every expectation of the scenario holds")
        ));
    } else {
        out.push('\n');
        for f in timeline.failures() {
            out.push_str(&format!("✗ {f}\n"));
        }
        out.push_str(&format!(
            "{}\n",
            lang.t(
                &format!("{} kỳ vọng không đúng", timeline.failures().len()),
                &format!("{} expectation(s) failed", timeline.failures().len())
            )
        ));
    }
    print!("{}", timeline::wrap(&out, width));
    Ok(passed)
}

/// The version a `migrate` line moves to and the migration compiled from `from` to it. Its
/// spec and migration file are read like the spec (paths as given, from the current folder).
pub fn load_version(
    args: &SpecsArgs,
    lang: Lang,
    moved: &ScenarioMigrate,
    from: &motcua::Procedure,
) -> Result<(motcua::Procedure, Migration), String> {
    let new = project::load_procedure(args, &moved.to).map_err(|f| lang.t(&f.message.vi, &f.message.en).to_owned())?;
    let new = new.result.map_err(|e| format!("{}: {e}", moved.to))?;
    let text = project::read(Path::new(&moved.migration), &moved.migration)
        .map_err(|f| lang.t(&f.message.vi, &f.message.en).to_owned())?;
    let migration =
        Migration::from_yaml(&text, &moved.migration, from, &new).map_err(|e| format!("{}: {e}", moved.migration))?;
    Ok((new, migration))
}

/// Prints the diagnostics of a spec or scenario that does not load.
pub fn report_errors(format: Format, source: &Source, diagnostics: &[motcua::Diagnostic], lang: Lang, colour: bool) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match format {
        Format::Json => crate::print_json(&json!({
            "summary": {"files": 1, "errors": errors, "warnings": warnings},
            "diagnostics": diagnostics,
        })),
        Format::Text => {
            let mut out = String::new();
            for d in diagnostics {
                out.push_str(&render::diagnostic(d, Some(&source.text), lang, colour));
                out.push('\n');
            }
            out.push_str(&format!("{}: {}\n", source.name, render::counts(errors, warnings, lang)));
            print!("{out}");
        }
    }
}
