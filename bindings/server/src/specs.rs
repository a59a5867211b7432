//! Loading a specs folder (`specs/` of the repository): the catalogue, calendars, units and
//! procedures the service runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use motcua::{Catalogue, Library, LoadError, Procedure};

/// Why the specs folder could not be loaded. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum SpecsError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {error}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The reason.
        error: std::io::Error,
    },
    /// A file did not load; the diagnostics place the problem.
    #[error("{path}: {error}")]
    Load {
        /// The file.
        path: PathBuf,
        /// What the engine reported.
        error: LoadError,
    },
    /// The folder has no `catalogue/*.yaml`.
    #[error("{0}: no catalogue (catalogue/*.yaml)")]
    NoCatalogue(PathBuf),
}

/// A file as it was read: its path below the specs folder (`calendars/vn-gov.yaml`) and
/// its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The path below the specs folder, with `/`.
    pub file: String,
    /// The text, exactly as read.
    pub text: String,
}

/// What a specs folder holds, compiled.
pub struct Specs {
    /// The library procedures compile against (catalogue, calendars, units).
    pub library: Arc<Library>,
    /// The catalogue's text, as read.
    pub catalogue: SourceFile,
    /// The calendars' texts, in the order they loaded (a calendar after the one it extends).
    pub calendars: Vec<SourceFile>,
    /// Each procedure's text and file name, by code (the current version on disk).
    pub texts: BTreeMap<String, (String, String)>,
    /// Each procedure compiled, by code.
    pub procedures: BTreeMap<String, Arc<Procedure>>,
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, SpecsError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(dir).map_err(|error| SpecsError::Io { path: dir.to_owned(), error })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<String, SpecsError> {
    std::fs::read_to_string(path).map_err(|error| SpecsError::Io { path: path.to_owned(), error })
}

impl Specs {
    /// Loads `root/catalogue/*.yaml` (the first), `root/calendars/*.yaml`, `root/units/*.yaml`
    /// and `root/procedures/*.yaml`.
    pub fn load(root: &Path) -> Result<Specs, SpecsError> {
        let catalogue_path = yaml_files(&root.join("catalogue"))?
            .into_iter()
            .next()
            .ok_or_else(|| SpecsError::NoCatalogue(root.to_owned()))?;
        let name = |p: &Path| p.display().to_string();
        let below = |folder: &str, p: &Path| {
            format!("{folder}/{}", p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default())
        };
        let catalogue_text = read(&catalogue_path)?;
        let catalogue = Catalogue::from_yaml(&catalogue_text, &name(&catalogue_path))
            .map_err(|error| SpecsError::Load { path: catalogue_path.clone(), error })?;
        let catalogue_source = SourceFile { file: below("catalogue", &catalogue_path), text: catalogue_text };
        let mut calendars = Vec::new();
        let mut library = Library::new(catalogue);
        // A calendar that extends another loads after it: passes until none is left, or
        // a pass makes no progress (then the first failure is the error).
        let mut pending = yaml_files(&root.join("calendars"))?;
        while !pending.is_empty() {
            let tried = pending.len();
            let mut failed = Vec::new();
            for path in std::mem::take(&mut pending) {
                let text = read(&path)?;
                match library.add_calendar_yaml(&text, &name(&path)) {
                    Ok(()) => calendars.push(SourceFile { file: below("calendars", &path), text }),
                    Err(error) => failed.push((path, error)),
                }
            }
            if failed.len() == tried {
                let (path, error) = failed.swap_remove(0);
                return Err(SpecsError::Load { path, error });
            }
            pending = failed.into_iter().map(|(p, _)| p).collect();
        }
        for path in yaml_files(&root.join("units"))? {
            library
                .add_units_yaml(&read(&path)?, &name(&path))
                .map_err(|error| SpecsError::Load { path: path.clone(), error })?;
        }
        let mut texts = BTreeMap::new();
        let mut procedures = BTreeMap::new();
        for path in yaml_files(&root.join("procedures"))? {
            let text = read(&path)?;
            let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            let procedure = Procedure::from_yaml(&text, &file, &library)
                .map_err(|error| SpecsError::Load { path: path.clone(), error })?;
            texts.insert(procedure.code().to_owned(), (text, file));
            procedures.insert(procedure.code().to_owned(), Arc::new(procedure));
        }
        Ok(Specs { library: Arc::new(library), catalogue: catalogue_source, calendars, texts, procedures })
    }
}
