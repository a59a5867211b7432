//! Load on the service: requests per second and p50/p99 latency of submit and apply at 1,
//! 16 and 64 connections, beside the same work on the store called directly (the cost of
//! HTTP and JSON) and a trivial endpoint of the same server (the ceiling). SQLite always;
//! PostgreSQL when `MOTCUA_BENCH_POSTGRES` names a database the bench may fill.
//!
//!     cargo bench -p motcua-server --bench http
//!     MOTCUA_BENCH_SECONDS=2 MOTCUA_BENCH_POSTGRES=postgres://postgres@127.0.0.1:55450/bench cargo bench -p motcua-server --bench http
//!
//! Client and server share the machine (2 cores here): the numbers are the whole system's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use motcua::{Actor, Channel, Command, CommandKind, Submission};
use motcua_server::{AuthConfig, Claims, Config, Database, KeySource, Limits};
use serde_json::{Value, json};

const SECRET: &[u8] = b"motcua-bench-secret-of-at-least-32-bytes";

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn token(sub: &str, role: &str, agency: Option<&str>, unit: Option<&str>) -> String {
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

fn sample() -> (Value, Value) {
    let text = std::fs::read_to_string(root().join("tests/scenarios/business-registration-happy.yaml")).unwrap();
    let s = motcua::scenario::Scenario::from_yaml(&text, "happy.yaml").unwrap().submit;
    (s.data, serde_json::to_value(s.documents).unwrap())
}

fn clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00+07:00").unwrap()
}

struct Run {
    requests: usize,
    seconds: f64,
    latencies: Vec<Duration>,
    errors: usize,
}

impl Run {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
    fn pct(&mut self, p: f64) -> f64 {
        self.latencies.sort();
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() as f64 * p) as usize).min(self.latencies.len() - 1);
        self.latencies[i].as_secs_f64() * 1000.0
    }
}

enum Kind {
    Trivial,
    Submit,
    Apply,
}

/// `connections` tasks, each on its own client (its own connection), for `seconds`.
/// Submit records each task's dossier ids; apply accepts them in order.
async fn load(base: &str, kind: Kind, connections: usize, seconds: f64, ids: &mut [Vec<String>], tag: &str) -> Run {
    let (data, documents) = sample();
    let citizen = token("bench-citizen", "citizen", None, None);
    let officer = token("bench-officer", "one_stop_officer", Some("department_finance"), Some("01"));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (c, mine) in ids.iter_mut().enumerate().take(connections) {
        let client = reqwest::Client::builder().pool_max_idle_per_host(1).build().unwrap();
        let base = base.to_owned();
        let (data, documents, citizen, officer) = (data.clone(), documents.clone(), citizen.clone(), officer.clone());
        let mut list = std::mem::take(mine);
        let kind = match kind {
            Kind::Trivial => 0,
            Kind::Submit => 1,
            Kind::Apply => 2,
        };
        let tag = tag.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut n = 0usize;
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = match kind {
                    0 => client.get(format!("{base}/health/live")).send().await.is_ok_and(|r| r.status() == 200),
                    1 => {
                        let id = format!("B{tag}-{c}-{n}");
                        let body = json!({"procedure": "2.001610", "dossier_id": id, "jurisdiction": "01", "data": data, "documents": documents});
                        let ok = client.post(format!("{base}/api/v1/dossiers")).bearer_auth(&citizen).json(&body).send().await.is_ok_and(|r| r.status() == 201);
                        if ok {
                            list.push(id);
                        }
                        ok
                    }
                    _ => {
                        let Some(id) = list.get(n) else { break };
                        client
                            .post(format!("{base}/api/v1/dossiers/{id}/commands"))
                            .bearer_auth(&officer)
                            .json(&json!({"type": "act", "action": "accept"}))
                            .send()
                            .await
                            .is_ok_and(|r| r.status() == 200)
                    }
                };
                latencies.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
                n += 1;
            }
            (latencies, errors, list)
        }));
    }
    let mut run = Run { requests: 0, seconds: 0.0, latencies: Vec::new(), errors: 0 };
    for (task, mine) in tasks.into_iter().zip(ids.iter_mut()) {
        let (latencies, errors, list) = task.await.unwrap();
        run.requests += latencies.len();
        run.latencies.extend(latencies);
        run.errors += errors;
        *mine = list;
    }
    run.seconds = started.elapsed().as_secs_f64();
    run
}

/// The same submit and apply on the store, called directly from `connections` threads.
fn direct(db: &Database, connections: usize, seconds: f64, tag: &str) -> (f64, f64) {
    let specs = motcua_server::Specs::load(&root().join("specs")).unwrap();
    let (data, documents) = sample();
    let documents: Vec<motcua::SubmittedDocument> = serde_json::from_value(documents).unwrap();
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..connections)
        .map(|c| {
            let library = specs.library.clone();
            let (db, data, documents, tag) = (db.clone(), data.clone(), documents.clone(), tag.to_owned());
            std::thread::spawn(move || {
                let mut store = match &db {
                    Database::Sqlite(p) => motcua_store::Store::open_sqlite(p, library).unwrap(),
                    Database::Postgres(u) => motcua_store::Store::open_postgres(u, library).unwrap(),
                };
                let mut n = 0;
                let mut submitted = Vec::new();
                while Instant::now() < deadline {
                    let id = format!("D{tag}-{c}-{n}");
                    let actor = Actor { user: Some("bench-citizen".into()), ..Actor::citizen() };
                    let s = Submission::new(&id, clock(), actor, Channel::Online, "01")
                        .with_data(data.clone(), documents.clone());
                    if store.submit("2.001610", s).is_ok() {
                        submitted.push(id);
                    }
                    n += 1;
                }
                let submit_s = started.elapsed().as_secs_f64();
                let t = Instant::now();
                let mut applied = 0;
                for id in &submitted {
                    let command = Command {
                        id: format!("{id}/accept"),
                        at: clock() + chrono::Duration::minutes(30),
                        actor: Actor {
                            unit: Some("01".into()),
                            user: Some("bench-officer".into()),
                            ..Actor::official("one_stop_officer", "department_finance")
                        },
                        expected_version: None,
                        kind: CommandKind::act("accept"),
                    };
                    if store.apply(id, &command).is_ok() {
                        applied += 1;
                    }
                    if t.elapsed().as_secs_f64() > seconds {
                        break;
                    }
                }
                (submitted.len(), submit_s, applied, t.elapsed().as_secs_f64())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let submit_rps =
        results.iter().map(|r| r.0).sum::<usize>() as f64 / results.iter().map(|r| r.1).fold(0.0, f64::max);
    let apply_rps = results.iter().map(|r| r.2).sum::<usize>() as f64 / results.iter().map(|r| r.3).fold(0.0, f64::max);
    (submit_rps, apply_rps)
}

fn main() {
    let seconds: f64 = std::env::var("MOTCUA_BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3.0);
    let dir = std::env::temp_dir().join(format!("motcua-http-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut dbs = vec![("sqlite", Database::Sqlite(dir.join("bench.db")))];
    if let Ok(url) = std::env::var("MOTCUA_BENCH_POSTGRES") {
        dbs.push(("postgres", Database::Postgres(url)));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    println!(
        "| backend | connections | trivial rps | submit rps (p50/p99 ms) | apply rps (p50/p99 ms) | store direct submit/apply rps | submit: HTTP/direct | submit: /trivial |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, db) in dbs {
        let config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: db.clone(),
            specs: root().join("specs"),
            auth: AuthConfig { keys: KeySource::Hs256(SECRET.to_vec()), issuer: None, audience: None },
            limits: Limits { per_token_per_second: 1_000_000, per_token_burst: 1_000_000, ..Limits::default() },
            connections: 16,
            timer_interval: None,
            wasm_package: None,
            clock: Arc::new(clock),
            webhook: None,
            migration_roles: vec!["procedure_admin".to_owned()],
        };
        let running = runtime.block_on(motcua_server::start(config)).unwrap();
        let base = format!("http://{}", running.addr);
        for connections in [1usize, 16, 64] {
            let tag = format!("{name}{connections}");
            let mut ids = vec![Vec::new(); connections];
            let trivial = runtime.block_on(load(&base, Kind::Trivial, connections, seconds, &mut ids, &tag));
            let mut submit = runtime.block_on(load(&base, Kind::Submit, connections, seconds, &mut ids, &tag));
            let mut apply = runtime.block_on(load(&base, Kind::Apply, connections, seconds, &mut ids, &tag));
            let (direct_submit, direct_apply) = direct(&db, connections.min(16), seconds, &tag);
            println!(
                "| {name} | {connections} | {:.0} | {:.0} ({:.1}/{:.1}) | {:.0} ({:.1}/{:.1}) | {:.0}/{:.0} | {:.2} | {:.3} |{}",
                trivial.rps(),
                submit.rps(),
                submit.pct(0.5),
                submit.pct(0.99),
                apply.rps(),
                apply.pct(0.5),
                apply.pct(0.99),
                direct_submit,
                direct_apply,
                submit.rps() / direct_submit,
                submit.rps() / trivial.rps(),
                if submit.errors + apply.errors + trivial.errors > 0 {
                    format!(" errors: {} {} {}", trivial.errors, submit.errors, apply.errors)
                } else {
                    String::new()
                }
            );
        }
        runtime.block_on(running.stop()).unwrap();
    }
    std::fs::remove_dir_all(&dir).ok();
}
