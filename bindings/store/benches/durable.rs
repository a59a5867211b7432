//! Durable commands per second on SQLite and PostgreSQL, next to the ceiling of the same
//! database in the same run: a bare one-row INSERT, one transaction (one fsync) each.
//!
//! `cargo bench -p motcua-store` (PostgreSQL when `MOTCUA_TEST_POSTGRES` is set, with 1, 4
//! and 16 concurrent clients, each its own connection, against as many bare inserters;
//! `MOTCUA_BENCH_DOSSIERS` dossiers of 5 writes each, default 200).

use std::time::Instant;

use motcua::scenario::Scenario;
use motcua::{Catalogue, Command, CommandKind, Library};
use motcua_store::Store;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)).unwrap()
}

fn library() -> Library {
    let mut library =
        Library::new(Catalogue::from_yaml(&read("specs/catalogue/vietnam.yaml"), "vietnam.yaml").unwrap());
    library.add_calendar_yaml(&read("specs/calendars/vn-gov.yaml"), "vn-gov.yaml").unwrap();
    library
}

/// Submits `n` dossiers and takes each through the happy path; returns writes per second.
fn commands(store: &mut Store, n: usize) -> (usize, f64) {
    register(store);
    commands_of(store, n, "B")
}

fn register(store: &mut Store) {
    let text = read("specs/procedures/business-registration.yaml");
    store.register_procedure(&text, "business-registration.yaml").unwrap();
}

/// `n` dossiers with ids starting `prefix`, each through the happy path.
fn commands_of(store: &mut Store, n: usize, prefix: &str) -> (usize, f64) {
    let scenario =
        Scenario::from_yaml(&read("tests/scenarios/business-registration-happy.yaml"), "happy.yaml").unwrap();
    let started = Instant::now();
    let mut writes = 0;
    for i in 0..n {
        let id = format!("{prefix}{i:06}");
        let s = &scenario.submit;
        let submission = motcua::Submission::new(&id, s.at, s.actor.clone(), s.channel, s.jurisdiction.clone())
            .with_data(s.data.clone(), s.documents.clone());
        store.submit("2.001610", submission).unwrap();
        writes += 1;
        for (k, c) in scenario.commands.iter().enumerate() {
            // The accepted actions of the scenario (not its refusals or withdrawal request).
            let (Some(command), None) = (&c.command, c.reject) else { continue };
            if !matches!(command.kind, CommandKind::Act { .. }) {
                continue;
            }
            let command = Command { id: format!("c{k}"), expected_version: None, ..command.clone() };
            store.apply(&id, &command).unwrap();
            writes += 1;
        }
    }
    (writes, writes as f64 / started.elapsed().as_secs_f64())
}

fn sqlite_ceiling(path: &std::path::Path, n: usize) -> f64 {
    let c = rusqlite::Connection::open(path).unwrap();
    let _: String = c.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)).unwrap();
    c.execute_batch("PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS ceiling (k INTEGER PRIMARY KEY, v TEXT)")
        .unwrap();
    let started = Instant::now();
    for i in 0..n {
        c.execute_batch("BEGIN IMMEDIATE").unwrap();
        c.execute("INSERT INTO ceiling (k, v) VALUES (?1, 'x')", [i as i64]).unwrap();
        c.execute_batch("COMMIT").unwrap();
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn postgres_ceiling(url: &str, schema: &str, n: usize) -> f64 {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "SET search_path TO {schema}; CREATE TABLE IF NOT EXISTS ceiling (k BIGINT PRIMARY KEY, v TEXT)"
    ))
    .unwrap();
    let stmt = c.prepare("INSERT INTO ceiling (k, v) VALUES ($1, 'x')").unwrap();
    let started = Instant::now();
    for i in 0..n {
        let mut tx = c.transaction().unwrap();
        tx.execute(&stmt, &[&(i as i64)]).unwrap();
        tx.commit().unwrap();
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// `clients` threads, each with its own connection and its own dossiers, `n` dossiers in all;
/// then as many bare inserters writing the same number of rows. Writes per second of each.
fn postgres_clients(url: &str, clients: usize, n: usize) -> (usize, f64, f64) {
    let schema = format!("bench_{}_{clients}", std::process::id());
    register(&mut Store::open_postgres_in_schema(url, &schema, library()).unwrap());
    let started = Instant::now();
    let writes: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|t| {
                let schema = &schema;
                scope.spawn(move || {
                    let mut store = Store::open_postgres_in_schema(url, schema, library()).unwrap();
                    commands_of(&mut store, n / clients, &format!("T{t}-")).0
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    let per_s = writes as f64 / started.elapsed().as_secs_f64();
    let mut setup = postgres::Client::connect(url, postgres::NoTls).unwrap();
    setup
        .batch_execute(&format!("SET search_path TO {schema}; CREATE TABLE ceiling (k BIGINT PRIMARY KEY, v TEXT)"))
        .unwrap();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..clients {
            let schema = &schema;
            scope.spawn(move || {
                let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
                c.batch_execute(&format!("SET search_path TO {schema}")).unwrap();
                let stmt = c.prepare("INSERT INTO ceiling (k, v) VALUES ($1, 'x')").unwrap();
                for i in 0..writes / clients {
                    let mut tx = c.transaction().unwrap();
                    tx.execute(&stmt, &[&((t * writes + i) as i64)]).unwrap();
                    tx.commit().unwrap();
                }
            });
        }
    });
    let ceiling = (writes / clients * clients) as f64 / started.elapsed().as_secs_f64();
    setup.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).unwrap();
    (writes, per_s, ceiling)
}

fn main() {
    let n: usize = std::env::var("MOTCUA_BENCH_DOSSIERS").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let dir = std::env::temp_dir().join(format!("motcua-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let mut store = Store::open_sqlite(dir.join("bench.db"), library()).unwrap();
    let (writes, per_s) = commands(&mut store, n);
    let ceiling = sqlite_ceiling(&dir.join("ceiling.db"), writes);
    println!(
        "sqlite    : {per_s:8.0} durable commands/s ({writes} writes); bare 1-row insert per transaction: {ceiling:8.0}/s ({:.0}%)",
        100.0 * per_s / ceiling
    );

    if let Ok(url) = std::env::var("MOTCUA_TEST_POSTGRES") {
        let schema = format!("bench_{}", std::process::id());
        let mut store = Store::open_postgres_in_schema(&url, &schema, library()).unwrap();
        let (writes, per_s) = commands(&mut store, n);
        let ceiling = postgres_ceiling(&url, &schema, writes);
        println!(
            "postgres  : {per_s:8.0} durable commands/s ({writes} writes); bare 1-row insert per transaction: {ceiling:8.0}/s ({:.0}%)",
            100.0 * per_s / ceiling
        );
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).unwrap();
        for clients in [1, 4, 16] {
            let (writes, per_s, ceiling) = postgres_clients(&url, clients, n);
            println!(
                "postgres {clients:>2} clients: {per_s:8.0} durable commands/s ({writes} writes); {clients} bare inserters: {ceiling:8.0}/s ({:.0}%)",
                100.0 * per_s / ceiling
            );
        }
    } else {
        println!("postgres  : skipped (set MOTCUA_TEST_POSTGRES)");
    }
    std::fs::remove_dir_all(&dir).ok();
}
