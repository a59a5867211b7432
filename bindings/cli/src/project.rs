//! Finding and loading the shared data a procedure needs: the catalogue and the calendars.
//!
//! A *specs root* is a folder with `catalogue/` and `calendars/` in it (the repository's
//! `specs/`). It is found from the paths on the command line (the path itself or one of its
//! ancestors), else `./specs`; `--specs DIR`, or `--catalogue FILE --calendars DIR`, name it.

use std::path::{Path, PathBuf};

use motcua::{Calendars, Catalogue, Code, Diagnostic, Library, LoadError};

use crate::Fail;
use crate::args::SpecsArgs;

/// Where the shared data lives.
#[derive(Debug, Clone)]
pub struct Sources {
    pub catalogues: Vec<PathBuf>,
    pub calendars: Vec<PathBuf>,
    /// Administrative units (`specs/units/`), loaded into the library of their catalogue.
    pub units: Vec<PathBuf>,
}

/// A file read for diagnostics: the name it is shown by and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// The outcome of loading one shared file.
#[derive(Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub source: Source,
    /// Errors and warnings of this file (empty when clean).
    pub diagnostics: Vec<Diagnostic>,
}

/// The libraries (one per loadable catalogue) and every shared file's outcome.
pub struct Shared {
    pub libraries: Vec<Library>,
    pub catalogue_files: Vec<Loaded>,
    pub calendar_files: Vec<Loaded>,
}

/// How a path is shown: relative to the working directory when it is inside it.
pub fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd.as_deref().and_then(|cwd| path.strip_prefix(cwd).ok()).unwrap_or(path);
    shown.display().to_string()
}

/// Reads a text file; bytes that are not UTF-8 are `invalid_utf8` at their line and column.
pub fn read(path: &Path, shown: &str) -> Result<String, Fail> {
    let bytes = std::fs::read(path).map_err(|e| {
        Fail::coded("io_error", format!("không đọc được {shown}: {e}"), format!("cannot read {shown}: {e}"))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // Everything before the bad byte is valid UTF-8, so lines and columns count characters.
        let before = std::str::from_utf8(good).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Fail::coded(
            "invalid_utf8",
            format!("{shown}:{line}:{column}: tệp không phải văn bản UTF-8 hợp lệ"),
            format!("{shown}:{line}:{column}: the file is not valid UTF-8 text"),
        )
    })
}

/// Whether `dir` holds `catalogue/` and `calendars/`.
pub fn is_specs_root(dir: &Path) -> bool {
    dir.join("catalogue").is_dir() && dir.join("calendars").is_dir()
}

/// The project root: the folder holding the specs root found near `hint` (as an absolute
/// path). Scenario `procedure:` paths and `motcua new`'s files are relative to it.
pub fn project_root(hint: Option<&Path>) -> Option<PathBuf> {
    let specs = std::path::absolute(find_specs_root(hint)?).ok()?;
    specs.parent().map(Path::to_path_buf)
}

/// The specs root for `hint` (a file or folder the user named): itself, an ancestor, or an
/// ancestor's `specs/` child; then `./specs` and `.`.
pub fn find_specs_root(hint: Option<&Path>) -> Option<PathBuf> {
    if let Some(hint) = hint {
        let absolute = std::path::absolute(hint).unwrap_or_else(|_| hint.to_path_buf());
        for dir in absolute.ancestors() {
            if is_specs_root(dir) {
                return Some(dir.to_path_buf());
            }
            if is_specs_root(&dir.join("specs")) {
                return Some(dir.join("specs"));
            }
        }
    }
    let cwd = std::env::current_dir().ok()?;
    [cwd.join("specs"), cwd].into_iter().find(|d| is_specs_root(d))
}

/// YAML files directly in `dir`, sorted by name.
pub fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, Fail> {
    let shown = display(dir);
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Fail::coded(
            "io_error",
            format!("không đọc được thư mục {shown}: {e}"),
            format!("cannot read folder {shown}: {e}"),
        )
    })?;
    let mut files: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file() && is_yaml(p)).collect();
    files.sort();
    Ok(files)
}

pub fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Where the catalogue and calendars are, from the options or found near `hint`.
pub fn sources(args: &SpecsArgs, hint: Option<&Path>) -> Result<Sources, Fail> {
    let root = match args.specs.as_deref() {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if !is_specs_root(&dir) {
                return Err(Fail::new(
                    format!("{} không chứa catalogue/ và calendars/", dir.display()),
                    format!("{} holds no catalogue/ and calendars/", dir.display()),
                ));
            }
            Some(dir)
        }
        None => find_specs_root(hint),
    };
    let catalogues = match (args.catalogue.as_deref(), &root) {
        (Some(file), _) => vec![PathBuf::from(file)],
        (None, Some(root)) => yaml_files(&root.join("catalogue"))?,
        (None, None) => Vec::new(),
    };
    let calendars = match (args.calendars.as_deref(), &root) {
        (Some(dir), _) => yaml_files(Path::new(dir))?,
        (None, Some(root)) => yaml_files(&root.join("calendars"))?,
        (None, None) => Vec::new(),
    };
    if catalogues.is_empty() {
        return Err(Fail::new(
            "không tìm thấy danh mục: chạy lệnh trong kho mã (có specs/catalogue/ và specs/calendars/) \
             hoặc dùng --specs THƯ_MỤC, hoặc --catalogue TỆP --calendars THƯ_MỤC",
            "no catalogue found: run inside the repository (with specs/catalogue/ and specs/calendars/) \
             or pass --specs DIR, or --catalogue FILE --calendars DIR",
        ));
    }
    let units = match &root {
        Some(root) if root.join("units").is_dir() => yaml_files(&root.join("units"))?,
        _ => Vec::new(),
    };
    Ok(Sources { catalogues, calendars, units })
}

/// Loads the calendars into a set, retrying those that extend a calendar not loaded yet.
/// Returns the set and every file's outcome (in the order given).
pub fn load_calendars(files: &[PathBuf]) -> Result<(Calendars, Vec<Loaded>), Fail> {
    let mut loaded: Vec<Loaded> = Vec::new();
    for path in files {
        let name = display(path);
        let text = read(path, &name)?;
        loaded.push(Loaded { path: path.clone(), source: Source { name, text }, diagnostics: Vec::new() });
    }
    let mut set = Calendars::new();
    let mut pending: Vec<usize> = (0..loaded.len()).collect();
    loop {
        let mut progress = false;
        let mut still = Vec::new();
        for i in pending {
            let file = &mut loaded[i];
            match set.insert_yaml(&file.source.text, &file.source.name) {
                Ok(()) => {
                    file.diagnostics.clear();
                    progress = true;
                }
                Err(e) => {
                    let waits = e.diagnostics().iter().any(|d| d.code == Code::UnknownCalendar);
                    file.diagnostics = e.into_diagnostics();
                    if waits {
                        still.push(i);
                    }
                }
            }
        }
        pending = still;
        if !progress || pending.is_empty() {
            break;
        }
    }
    Ok((set, loaded))
}

/// Loads every catalogue and calendar into libraries.
pub fn load(sources: &Sources) -> Result<Shared, Fail> {
    let (calendars, calendar_files) = load_calendars(&sources.calendars)?;
    let mut libraries = Vec::new();
    let mut catalogue_files = Vec::new();
    for path in &sources.catalogues {
        let name = display(path);
        let text = read(path, &name)?;
        let diagnostics = match Catalogue::from_yaml(&text, &name) {
            Ok(catalogue) => {
                libraries.push(Library::with_calendars(catalogue, calendars.clone()));
                Vec::new()
            }
            Err(e) => e.into_diagnostics(),
        };
        catalogue_files.push(Loaded { path: path.clone(), source: Source { name, text }, diagnostics });
    }
    // Units go into the library of the catalogue they name; lint reports their problems.
    for path in &sources.units {
        let name = display(path);
        let text = read(path, &name)?;
        for library in &mut libraries {
            if library.add_units_yaml(&text, &name).is_ok() {
                break;
            }
        }
    }
    Ok(Shared { libraries, catalogue_files, calendar_files })
}

impl Shared {
    /// The library whose catalogue the procedure names (`catalogue: vietnam`), else the first.
    pub fn library_for(&self, procedure_text: &str) -> Option<&Library> {
        let wanted = procedure_text.lines().find_map(|l| {
            let rest = l.strip_prefix("catalogue:")?;
            let value = rest.split('#').next().unwrap_or("").trim().trim_matches(['"', '\'']);
            Some(value.to_owned())
        });
        wanted
            .and_then(|id| self.libraries.iter().find(|lib| lib.catalogue().id() == id))
            .or_else(|| self.libraries.first())
    }

    /// Every shared file that did not load, as diagnostics (for commands that need them all).
    pub fn broken(&self) -> Vec<(&Source, &[Diagnostic])> {
        self.catalogue_files
            .iter()
            .chain(&self.calendar_files)
            .filter(|f| f.diagnostics.iter().any(Diagnostic::is_error))
            .map(|f| (&f.source, f.diagnostics.as_slice()))
            .collect()
    }
}

/// A procedure loaded with the shared data found near it; for `simulate`, `graph`, `check-form`.
pub struct LoadedSpec {
    pub source: Source,
    pub result: Result<motcua::Procedure, LoadError>,
}

/// Reads and compiles the procedure at `spec`. Fails (exit 2) only when something cannot be
/// read or no catalogue loads; a spec with errors comes back as `Err` in `result`.
pub fn load_procedure(args: &SpecsArgs, spec: &str) -> Result<LoadedSpec, Fail> {
    let path = Path::new(spec);
    let sources = sources(args, Some(path))?;
    let shared = load(&sources)?;
    let source = Source { name: spec.to_owned(), text: read(path, spec)? };
    let Some(library) = shared.library_for(&source.text) else {
        let mut diagnostics = Vec::new();
        for (_, d) in shared.broken() {
            diagnostics.extend(d.iter().cloned());
        }
        return Err(Fail::new(
            format!("danh mục không tải được:\n{}", LoadError::new(diagnostics.clone())),
            format!("the catalogue does not load:\n{}", LoadError::new(diagnostics)),
        ));
    };
    let result = motcua::Procedure::from_yaml(&source.text, &source.name, library);
    Ok(LoadedSpec { source, result })
}
