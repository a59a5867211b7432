//! Lint a shipped procedure and run a scenario through it, printing the timeline.
//!
//! ```text
//! cargo run --example simulate -- [SPEC.yaml] [SCENARIO.yaml] [--lang vi|en]
//! ```
//!
//! With no arguments it runs the birth registration + residence + health-insurance
//! liên thông procedure with its first scenario. Paths are relative to the repository root.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use motcua::scenario::Scenario;
use motcua::{Catalogue, Library, LoadError, Procedure};

const DEFAULT_SPEC: &str = "specs/procedures/birth-registration-residence-insurance.yaml";

fn main() -> ExitCode {
    let mut lang = "vi".to_owned();
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lang" => lang = args.next().unwrap_or_else(|| "vi".into()),
            _ => paths.push(arg),
        }
    }
    match run(&paths, &lang) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(root().join(path)).map_err(|e| format!("{path}: {e}"))
}

fn show(e: LoadError, lang: &str) -> String {
    e.diagnostics()
        .iter()
        .map(|d| format!("{}:{}:{}: {}[{}]: {}", d.file, d.line, d.column, d.severity, d.code, d.message.get(lang)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first scenario (by file name) written for `spec`.
fn first_scenario_for(spec: &str) -> Result<String, String> {
    let dir = root().join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        if text.lines().any(|l| l.trim() == format!("procedure: {spec}")) {
            return Ok(Path::new("tests/scenarios").join(file.file_name().unwrap_or_default()).display().to_string());
        }
    }
    Err(format!("no scenario in tests/scenarios is written for {spec}"))
}

fn run(paths: &[String], lang: &str) -> Result<bool, String> {
    let spec_path = paths.first().map(String::as_str).unwrap_or(DEFAULT_SPEC);
    let scenario_path = match paths.get(1) {
        Some(p) => p.clone(),
        None => first_scenario_for(spec_path)?,
    };
    let catalogue_path = "specs/catalogue/vietnam.yaml";
    let catalogue = Catalogue::from_yaml(&read(catalogue_path)?, catalogue_path).map_err(|e| show(e, lang))?;
    let mut library = Library::new(catalogue);
    // The national calendar first: provincial calendars extend it.
    for file in ["specs/calendars/vn-gov.yaml", "specs/calendars/example-province.yaml"] {
        library.add_calendar_yaml(&read(file)?, file).map_err(|e| show(e, lang))?;
    }
    let procedure = Procedure::from_yaml(&read(spec_path)?, spec_path, &library).map_err(|e| show(e, lang))?;
    let scenario = Scenario::from_yaml(&read(&scenario_path)?, &scenario_path).map_err(|e| show(e, lang))?;

    let spec = procedure.spec();
    println!("{} {} — {}", spec.code, spec.version, spec.name.get(lang));
    let (lint, deadline, steps) = if lang == "vi" {
        ("Kiểm tra", "Thời hạn giải quyết", "bước")
    } else {
        ("Lint", "Legal deadline", "steps")
    };
    let warnings = procedure.warnings().len();
    println!(
        "{lint}: {spec_path}: 0 errors, {warnings} warnings; {deadline}: {}; {} {steps}",
        spec.legal_deadline,
        procedure.steps().len()
    );
    for w in procedure.warnings() {
        println!("  {}:{}:{}: warning[{}]: {}", w.file, w.line, w.column, w.code, w.message.get(lang));
    }
    println!();
    println!("{} — {}", scenario_path, scenario.name.get(lang));
    let timeline = scenario.run(&procedure);
    print!("{}", timeline.render(&procedure, lang));
    if timeline.failures().is_empty() {
        println!(
            "\n✓ {}",
            if lang == "vi" {
                "Mọi kỳ vọng của kịch bản đều đúng"
            } else {
                "every expectation of the scenario holds"
            }
        );
        Ok(true)
    } else {
        println!();
        for f in timeline.failures() {
            println!("✗ {f}");
        }
        Ok(false)
    }
}
