//! Shared helpers: the shipped library and scenarios, and the databases tests run on.

use std::path::PathBuf;
use std::sync::Arc;

use motcua::scenario::{Scenario, ScenarioLine};
use motcua::{Catalogue, Command, Library, Submission};
use motcua_store::Store;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read(path: &str) -> String {
    let path = root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn library() -> Arc<Library> {
    let catalogue =
        Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "specs/catalogue/vietnam.yaml").unwrap();
    let mut library = Library::new(catalogue);
    for file in ["specs/calendars/vn-gov.yaml", "specs/calendars/example-province.yaml"] {
        library.add_calendar_yaml(&read(file), file).unwrap();
    }
    Arc::new(library)
}

/// The shipped library with the administrative units: every active step is handled in a unit.
pub fn library_with_units() -> Arc<Library> {
    let mut library = Arc::unwrap_or_clone(library());
    library.add_units_yaml(&read("specs/units/vietnam.yaml"), "specs/units/vietnam.yaml").unwrap();
    Arc::new(library)
}

pub fn scenarios() -> Vec<(String, Scenario)> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/scenarios"))
        .unwrap()
        .map(|e| format!("tests/scenarios/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    files.sort();
    files.into_iter().map(|f| (f.clone(), Scenario::from_yaml(&read(&f), &f).unwrap())).collect()
}

pub fn scenario(file: &str) -> Scenario {
    Scenario::from_yaml(&read(file), file).unwrap()
}

pub fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap()
}

/// The submission of a scenario (already the API's shape).
pub fn submission(scenario: &Scenario) -> Submission {
    scenario.submit.clone()
}

/// Command `i` of a scenario, decided on dossier `version` unless the line says otherwise
/// (`None` for `advance` and `migrate` lines).
pub fn command(line: &ScenarioLine, _i: usize, version: u64) -> Option<Command> {
    let mut command = line.command.clone()?;
    command.expected_version = Some(command.expected_version.unwrap_or(version));
    Some(command)
}

/// A database a test runs on, fresh for that test.
#[derive(Clone, Debug)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String },
}

impl Target {
    pub fn label(&self) -> &'static str {
        match self {
            Target::Sqlite(_) => "sqlite",
            Target::Postgres { .. } => "postgres",
        }
    }

    pub fn open(&self) -> Store {
        self.open_with(library())
    }

    pub fn open_with(&self, library: Arc<Library>) -> Store {
        match self {
            Target::Sqlite(path) => Store::open_sqlite(path, library).unwrap(),
            Target::Postgres { url, schema } => Store::open_postgres_in_schema(url, schema, library).unwrap(),
        }
    }

    /// Runs SQL directly against the database (to tamper with it).
    pub fn sql(&self, sql: &str) {
        match self {
            Target::Sqlite(path) => {
                let c = rusqlite::Connection::open(path).unwrap();
                c.execute_batch(sql).unwrap();
            }
            Target::Postgres { url, schema } => {
                let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
                c.batch_execute(&format!("SET search_path TO \"{schema}\"; {sql}")).unwrap();
            }
        }
    }

    /// As an environment value for a child process.
    pub fn to_env(&self) -> String {
        match self {
            Target::Sqlite(path) => format!("sqlite {}", path.display()),
            Target::Postgres { url, schema } => format!("postgres {url} {schema}"),
        }
    }

    pub fn from_env(s: &str) -> Target {
        let parts: Vec<&str> = s.split(' ').collect();
        match parts[0] {
            "sqlite" => Target::Sqlite(PathBuf::from(parts[1])),
            _ => Target::Postgres { url: parts[1].into(), schema: parts[2].into() },
        }
    }
}

pub fn postgres_url() -> Option<String> {
    std::env::var("MOTCUA_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
}

/// A fresh SQLite file and, when `MOTCUA_TEST_POSTGRES` is set, a fresh PostgreSQL schema
/// named after the test. Without the variable the PostgreSQL half is skipped with a notice.
pub fn targets(test: &str) -> Vec<Target> {
    let mut out = vec![sqlite(test)];
    match postgres_url() {
        Some(url) => out.push(postgres(&url, test)),
        None => skip_notice(test),
    }
    out
}

pub fn sqlite(test: &str) -> Target {
    let dir = std::env::temp_dir().join(format!("motcua-store-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{test}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Target::Sqlite(path)
}

pub fn postgres(url: &str, test: &str) -> Target {
    let schema = format!("t_{test}_{}", std::process::id());
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE")).unwrap();
    Target::Postgres { url: url.into(), schema }
}

/// A tiny deterministic generator (no dependency needed for test randomness).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Says that PostgreSQL is skipped, on the real stderr (test output capture only takes
/// `eprintln!`), so the notice shows in a normal `cargo test` run.
pub fn skip_notice(test: &str) {
    use std::io::Write;
    // Once per test, not once per scenario of a test.
    static SEEN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let test = test.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end_matches('_');
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if seen.iter().any(|t| t == test) {
        return;
    }
    seen.push(test.to_owned());
    let _ = writeln!(
        std::io::stderr(),
        "motcua-store: {test}: MOTCUA_TEST_POSTGRES is not set, the PostgreSQL half is skipped \
         (scripts/test.d/35-store.sh sets it)"
    );
}
