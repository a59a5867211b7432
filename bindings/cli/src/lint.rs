//! `motcua lint PATH…`: checks catalogue, calendar, procedure and scenario files.
//!
//! A file's kind comes from its folder: `catalogue/`, `calendars/`, `scenarios/`,
//! `migrations/` (compiled against the two versions it connects, found by code and version
//! in the `procedures/` folder beside it or one of its subfolders such as `superseded/`);
//! anything else is a procedure. Folders are walked (YAML files only, hidden folders and `target/`
//! skipped). The catalogue and calendars procedures are compiled against are found as in
//! [`crate::project`]; when they are among the paths, their own diagnostics are reported.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use motcua::{Code, Diagnostic, Message};
use serde_json::json;

use crate::args::SpecsArgs;
use crate::project::{self, Source};
use crate::{Fail, Format, Lang, Outcome, render};

/// What a file is, by its folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Catalogue,
    Calendar,
    Units,
    Procedure,
    Scenario,
    Migration,
}

impl Kind {
    pub fn of(path: &Path) -> Kind {
        let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        match parent {
            "catalogue" | "catalogues" => Kind::Catalogue,
            "calendars" => Kind::Calendar,
            "units" => Kind::Units,
            "scenarios" => Kind::Scenario,
            "migrations" => Kind::Migration,
            _ => Kind::Procedure,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Catalogue => "catalogue",
            Kind::Calendar => "calendar",
            Kind::Units => "units",
            Kind::Procedure => "procedure",
            Kind::Scenario => "scenario",
            Kind::Migration => "migration",
        }
    }
}

/// Files at or under `path`, sorted within each folder.
fn collect(path: &Path, explicit: bool, out: &mut Vec<PathBuf>) -> Result<(), Fail> {
    if path.is_file() {
        if explicit || project::is_yaml(path) {
            out.push(path.to_path_buf());
        }
        return Ok(());
    }
    if !path.is_dir() {
        let shown = path.display();
        return Err(Fail::coded("io_error", format!("không tìm thấy {shown}"), format!("{shown} does not exist")));
    }
    let shown = path.display();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| {
            Fail::new(format!("không đọc được thư mục {shown}: {e}"), format!("cannot read folder {shown}: {e}"))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if entry.is_dir() && (name.starts_with('.') || name == "target" || name == "node_modules") {
            continue;
        }
        collect(&entry, false, out)?;
    }
    Ok(())
}

/// The result of one linted file.
struct FileReport {
    source: Source,
    kind: Kind,
    diagnostics: Vec<Diagnostic>,
}

/// The progress bar over many files (indicatif, on stderr): drawn only when linting ten
/// files or more, as text, to a terminal — never into a pipe, a file or CI's log.
pub(crate) fn progress(total: usize, format: Format) -> indicatif::ProgressBar {
    let shown = total >= 10 && format == Format::Text && std::io::stderr().is_terminal();
    if !shown {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style.progress_chars("█░"));
    }
    bar
}

pub fn run(paths: &[String], format: Format, args: &SpecsArgs, lang: Lang) -> Outcome {
    let mut files = Vec::new();
    for p in paths {
        collect(Path::new(p), true, &mut files)?;
    }
    files.dedup();
    let sources = project::sources(args, paths.first().map(Path::new))?;
    let shared = project::load(&sources)?;
    // Shared files already loaded, by absolute path, so they are not read twice.
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut preloaded: BTreeMap<PathBuf, (&Source, &[Diagnostic])> = BTreeMap::new();
    for f in shared.catalogue_files.iter().chain(&shared.calendar_files) {
        preloaded.insert(canonical(&f.path), (&f.source, &f.diagnostics));
    }

    let progress = progress(files.len(), format);
    let lint_one = |path: &PathBuf| -> Result<FileReport, Fail> {
        let name = path.display().to_string();
        progress.set_message(render::escape_controls(&name));
        let kind = Kind::of(path);
        let report = if let Some((source, diagnostics)) = preloaded.get(&canonical(path)) {
            let mut diagnostics = diagnostics.to_vec();
            for d in &mut diagnostics {
                d.file = name.clone();
            }
            FileReport { source: Source { name: name.clone(), text: source.text.clone() }, kind, diagnostics }
        } else {
            let text = project::read(path, &name)?;
            let diagnostics = lint_text(kind, &text, &name, &shared);
            FileReport { source: Source { name, text }, kind, diagnostics }
        };
        progress.inc(1);
        Ok(report)
    };
    let reports = in_parallel(&files, lint_one)?;
    progress.finish_and_clear();

    let errors: usize = reports.iter().flat_map(|r| &r.diagnostics).filter(|d| d.is_error()).count();
    let warnings: usize = reports.iter().flat_map(|r| &r.diagnostics).filter(|d| !d.is_error()).count();
    match format {
        Format::Json => {
            let files: Vec<_> = reports
                .iter()
                .map(|r| {
                    let e = r.diagnostics.iter().filter(|d| d.is_error()).count();
                    json!({"file": r.source.name, "kind": r.kind.name(), "errors": e, "warnings": r.diagnostics.len() - e})
                })
                .collect();
            let diagnostics: Vec<&Diagnostic> = reports.iter().flat_map(|r| &r.diagnostics).collect();
            crate::print_json(&json!({
                "summary": {"files": reports.len(), "errors": errors, "warnings": warnings},
                "files": files,
                "diagnostics": diagnostics,
            }));
        }
        Format::Text => {
            let colour = render::colour();
            let mut out = String::new();
            for r in &reports {
                for d in &r.diagnostics {
                    out.push_str(&render::diagnostic(d, Some(&r.source.text), lang, colour));
                    out.push('\n');
                }
            }
            let files = reports.len();
            let summary = match lang {
                Lang::Vi => format!("Đã kiểm tra {files} tệp: {}", render::counts(errors, warnings, lang)),
                Lang::En => format!(
                    "Checked {files} file{}: {}",
                    if files == 1 { "" } else { "s" },
                    render::counts(errors, warnings, lang)
                ),
            };
            out.push_str(&summary);
            out.push('\n');
            if errors > 0 {
                out.push_str(lang.t(
                    "Xem giải thích một mã lỗi: motcua explain MÃ\n",
                    "For more about a code: motcua explain CODE\n",
                ));
            }
            print!("{out}");
        }
    }
    Ok(errors == 0)
}

/// `f` over `items` on every core (scoped threads taking the next item in turn), the results
/// in the order of `items`; the first failure in that order, as a sequential loop would give.
fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> Result<R, Fail> + Sync) -> Result<Vec<R>, Fail> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, f(item)));
        }
        done
    };
    let mut results: Vec<(usize, Result<R, Fail>)> = if threads == 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                .flat_map(|h| match h.join() {
                    Ok(done) => done,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    };
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Diagnostics of one file not among the shared files already loaded.
fn lint_text(kind: Kind, text: &str, name: &str, shared: &project::Shared) -> Vec<Diagnostic> {
    match kind {
        Kind::Catalogue => match motcua::Catalogue::from_yaml(text, name) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_diagnostics(),
        },
        Kind::Calendar => {
            // A calendar outside the shared set: check it against the shared calendars it may extend.
            let mut set = shared.libraries.first().map(|l| l.calendars().clone()).unwrap_or_default();
            match set.insert_yaml(text, name) {
                Ok(()) => Vec::new(),
                Err(e) => e.into_diagnostics(),
            }
        }
        Kind::Units => {
            // Checked against the catalogue it names (else the first one).
            let wanted =
                text.lines().find_map(|l| l.strip_prefix("catalogue:").map(|v| v.trim().trim_matches(['"', '\''])));
            let library = shared
                .libraries
                .iter()
                .find(|lib| Some(lib.catalogue().id()) == wanted)
                .or_else(|| shared.libraries.first());
            match library.map(|lib| motcua::Units::from_yaml(text, name, lib.catalogue())) {
                Some(Err(e)) => e.into_diagnostics(),
                _ => Vec::new(),
            }
        }
        Kind::Scenario => match motcua::scenario::Scenario::from_yaml(text, name) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_diagnostics(),
        },
        Kind::Migration => lint_migration(text, name, shared),
        Kind::Procedure => match shared.library_for(text) {
            Some(library) => match motcua::Procedure::from_yaml(text, name, library) {
                Ok(p) => p.warnings().to_vec(),
                Err(e) => e.into_diagnostics(),
            },
            None => {
                let mut d = Diagnostic::new(
                    Code::CatalogueMismatch,
                    Message::new(
                        "Không kiểm tra được thủ tục: danh mục dùng chung không tải được",
                        "Cannot check the procedure: the shared catalogue does not load",
                    ),
                );
                d.file = name.to_owned();
                vec![d]
            }
        },
    }
}

/// A migration file, compiled against the two versions it names, found by code and version
/// among the procedures in the `procedures/` folder beside `migrations/` and its subfolders.
fn lint_migration(text: &str, name: &str, shared: &project::Shared) -> Vec<Diagnostic> {
    use motcua::spec::migration::MigrationSpec;
    let spec = match MigrationSpec::from_yaml(text, name) {
        Ok(spec) => spec,
        Err(e) => return e.into_diagnostics(),
    };
    let dir = Path::new(name).parent().and_then(Path::parent).map(|root| root.join("procedures"));
    let mut found: (Option<motcua::Procedure>, Option<motcua::Procedure>) = (None, None);
    // The versions in force and, one level down, the superseded ones (`procedures/superseded/`).
    let mut files = dir.as_deref().and_then(|d| project::yaml_files(d).ok()).unwrap_or_default();
    if let Some(Ok(entries)) = dir.as_deref().map(std::fs::read_dir) {
        let mut subdirs: Vec<PathBuf> =
            entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
        subdirs.sort();
        for sub in subdirs {
            files.extend(project::yaml_files(&sub).unwrap_or_default());
        }
    }
    for file in files {
        let shown = file.display().to_string();
        let Ok(source) = project::read(&file, &shown) else { continue };
        let Some(library) = shared.library_for(&source) else { continue };
        let Ok(p) = motcua::Procedure::from_yaml(&source, &shown, library) else { continue };
        if p.code() != spec.procedure {
            continue;
        }
        if p.version() == spec.from {
            found.0 = Some(p);
        } else if p.version() == spec.to {
            found.1 = Some(p);
        }
    }
    match found {
        (Some(old), Some(new)) => match motcua::version::Migration::from_yaml(text, name, &old, &new) {
            Ok(m) => m.warnings().to_vec(),
            Err(e) => e.into_diagnostics(),
        },
        (old, new) => {
            let shown = dir.as_deref().map(project::display).unwrap_or_else(|| "procedures/".into());
            let mut out = Vec::new();
            for (key, version, missing) in [("from", &spec.from, old.is_none()), ("to", &spec.to, new.is_none())] {
                if !missing {
                    continue;
                }
                let mut d = Diagnostic::new(
                    Code::WrongProcedure,
                    Message::new(
                        format!("{shown} không có thủ tục `{}` phiên bản `{version}` (tải được)", spec.procedure),
                        format!("{shown} holds no procedure `{}` version `{version}` that loads", spec.procedure),
                    ),
                );
                d.file = name.to_owned();
                d.path = key.to_owned();
                // The line of the key, as written at the top level.
                if let Some(i) = text.lines().position(|l| l.starts_with(&format!("{key}:"))) {
                    d.line = u32::try_from(i + 1).unwrap_or(0);
                    d.column = u32::try_from(key.len() + 3).unwrap_or(0);
                }
                out.push(d);
            }
            out
        }
    }
}
