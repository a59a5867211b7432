//! Shared helpers: loading the shipped catalogue and specs.

use std::path::{Path, PathBuf};

use motcua::scenario::Scenario;
use motcua::{Catalogue, Library, Procedure};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shipped catalogue and calendars, as a portal would load them.
/// The shipped catalogue.
pub fn catalogue() -> Catalogue {
    Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "specs/catalogue/vietnam.yaml")
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn library() -> Library {
    let catalogue = Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "specs/catalogue/vietnam.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut library = Library::new(catalogue);
    for file in ["specs/calendars/vn-gov.yaml", "specs/calendars/example-province.yaml"] {
        library.add_calendar_yaml(&read(file), file).unwrap_or_else(|e| panic!("{e}"));
    }
    library
}

/// The shipped library with the administrative units loaded too: every active step has
/// its unit, and officers must belong to it.
pub fn library_with_units() -> Library {
    let mut library = library();
    library
        .add_units_yaml(&read("specs/units/vietnam.yaml"), "specs/units/vietnam.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    library
}

/// The YAML files of a folder, relative to the crate root, sorted.
pub fn yaml_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join(dir))
        .expect(dir)
        .map(|e| format!("{dir}/{}", e.expect("entry").file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// Every shipped procedure file, relative to the crate root, sorted.
pub fn procedure_files() -> Vec<String> {
    yaml_files("specs/procedures")
}

/// Every scenario file, relative to the crate root, sorted.
pub fn scenario_files() -> Vec<String> {
    yaml_files("tests/scenarios")
}

/// Every scenario, loaded, with its file (relative to the crate root), sorted by file.
pub fn scenarios() -> Vec<(String, Scenario)> {
    scenario_files()
        .into_iter()
        .map(|file| {
            let scenario = Scenario::from_yaml(&read(&file), &file).unwrap_or_else(|e| panic!("{e}"));
            (file, scenario)
        })
        .collect()
}

pub fn procedure(file: &str) -> Procedure {
    Procedure::from_yaml(&read(file), file, &library()).unwrap_or_else(|e| panic!("{e}"))
}

/// A shipped procedure compiled with the administrative units loaded.
pub fn procedure_with_units(file: &str) -> Procedure {
    Procedure::from_yaml(&read(file), file, &library_with_units()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every scenario file of the repository in the current format: the shipped ones, the
/// migration and superseded-version ones, and the CLI's fixtures.
pub fn all_scenarios() -> Vec<(String, Scenario)> {
    let dirs = [
        "tests/scenarios",
        "tests/migrations/scenarios",
        "tests/superseded/scenarios",
        "bindings/cli/tests/fixtures/scenarios",
    ];
    dirs.iter()
        .flat_map(|dir| yaml_files(dir))
        .map(|file| {
            let scenario = Scenario::from_yaml(&read(&file), &file).unwrap_or_else(|e| panic!("{e}"));
            (file, scenario)
        })
        .collect()
}

pub fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A valid application for a shipped procedure: the form data and documents of the first
/// scenario (sorted by file name) that runs against it. Submissions are validated, so
/// tests that only need *a* dossier take one a scenario already proves valid.
pub fn sample_application(procedure_file: &str) -> (serde_json::Value, Vec<motcua::SubmittedDocument>) {
    for (_, scenario) in scenarios() {
        if scenario.procedure == procedure_file {
            return (scenario.submit.data, scenario.submit.documents);
        }
    }
    panic!("no scenario runs against {procedure_file}")
}
