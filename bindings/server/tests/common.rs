//! The harness: a server started in the test's runtime with a clock the test moves.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset};
use motcua_server::{AuthConfig, Claims, Config, Database, KeySource, Limits, Running};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

pub const SECRET: &[u8] = b"motcua-test-secret-of-at-least-32-bytes!";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Db {
    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(p) => p.display().to_string(),
            Db::Postgres(u) => u.clone(),
        }
    }
}

/// A fresh SQLite file, and a fresh PostgreSQL database when the server is configured.
pub fn databases(name: &str) -> Vec<Db> {
    let dir = std::env::temp_dir().join(format!("motcua-server-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = vec![Db::Sqlite(dir.join("desk.db"))];
    if let Some(db) = postgres(name) {
        out.push(db);
    }
    out
}

/// A fresh PostgreSQL database `motcua_srv_<name>`, when `MOTCUA_TEST_POSTGRES` is set.
pub fn postgres(name: &str) -> Option<Db> {
    let base = std::env::var("MOTCUA_TEST_POSTGRES").ok()?;
    let db = format!("motcua_srv_{name}");
    let admin = base.clone();
    let create = db.clone();
    // The sync client runs its own runtime: keep it off the test's.
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to MOTCUA_TEST_POSTGRES");
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {create} WITH (FORCE)")).unwrap();
        client.batch_execute(&format!("CREATE DATABASE {create}")).unwrap();
    })
    .join()
    .unwrap();
    let (prefix, _) = base.rsplit_once('/').expect("a database in the URL");
    Some(Db::Postgres(format!("{prefix}/{db}")))
}

pub struct Server {
    pub running: Running,
    pub base: String,
    pub client: reqwest::Client,
    clock: Arc<AtomicI64>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

impl Server {
    pub async fn start(db: &Db) -> Server {
        Server::start_with(db, Limits::default()).await
    }

    pub async fn start_with(db: &Db, limits: Limits) -> Server {
        Server::start_full(db, limits, None).await
    }

    pub async fn start_full(db: &Db, limits: Limits, webhook: Option<motcua_server::Webhook>) -> Server {
        Server::start_on(db, limits, webhook, root().join("specs")).await
    }

    /// A server on another specs folder (e.g. one holding an older version of a procedure).
    pub async fn start_specs(db: &Db, specs: PathBuf) -> Server {
        Server::start_on(db, Limits::default(), None, specs).await
    }

    async fn start_on(db: &Db, limits: Limits, webhook: Option<motcua_server::Webhook>, specs: PathBuf) -> Server {
        let clock = Arc::new(AtomicI64::new(at("2026-03-02T08:00:00+07:00").timestamp_millis()));
        let read = clock.clone();
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: Database::parse(&db.url()),
            specs,
            auth: AuthConfig { keys: KeySource::Hs256(SECRET.to_vec()), issuer: None, audience: None },
            limits,
            connections: 2,
            timer_interval: None,
            wasm_package: None,
            clock: Arc::new(move || {
                let ms = read.load(Ordering::SeqCst);
                DateTime::from_timestamp_millis(ms).unwrap().with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
            }),
            webhook,
            migration_roles: vec!["procedure_admin".to_owned()],
        };
        let running = motcua_server::start(config).await.expect("server starts");
        let base = format!("http://{}", running.addr);
        Server { running, base, client: reqwest::Client::new(), clock }
    }

    pub fn set_time(&self, t: DateTime<FixedOffset>) {
        self.clock.store(t.timestamp_millis(), Ordering::SeqCst);
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(reqwest::Method::GET, path, Some(token), None, &[]).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value, headers: &[(&str, &str)]) -> Reply {
        self.send(reqwest::Method::POST, path, Some(token), Some(body), headers).await
    }
}

/// A token signed with the test secret.
pub fn token(sub: &str, role: &str, agency: Option<&str>, unit: Option<&str>) -> String {
    let claims = Claims {
        sub: sub.into(),
        role: role.into(),
        agency: agency.map(Into::into),
        unit: unit.map(Into::into),
        exp: 4_102_444_800,
        iss: None,
        aud: None,
    };
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &jsonwebtoken::EncodingKey::from_secret(SECRET))
        .unwrap()
}

pub fn citizen(sub: &str) -> String {
    token(sub, "citizen", None, None)
}

pub fn officer(role: &str, agency: &str, unit: &str) -> String {
    token(&format!("{role}@{unit}"), role, Some(agency), Some(unit))
}

/// A copy of the shipped specs folder in `dir` with `procedures/<file>` replaced by `text`.
pub fn specs_with(dir: &std::path::Path, file: &str, text: &str) -> PathBuf {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let specs = dir.join("specs");
    let _ = std::fs::remove_dir_all(&specs);
    copy(&root().join("specs"), &specs);
    std::fs::write(specs.join("procedures").join(file), text).unwrap();
    specs
}
