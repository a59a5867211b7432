//! The `motcua-server` binary killed with SIGKILL under load and restarted: every
//! submission the service acknowledged is still there and checks out.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Db, databases, postgres, root};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn spawn(db: &Db, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_motcua-server"))
        .args([
            "--database",
            &db.url(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--timer-seconds",
            "0",
            "--rate",
            "1000000",
        ])
        .arg("--specs")
        .arg(root().join("specs"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts")
}

async fn ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/health/ready")).send().await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready at {base}");
}

async fn dev_token(client: &reqwest::Client, base: &str, claims: Value) -> String {
    let reply: Value =
        client.post(format!("{base}/dev/token")).json(&claims).send().await.unwrap().json().await.unwrap();
    reply["token"].as_str().unwrap().to_owned()
}

async fn kill_under_load(db: &Db, rounds: usize) {
    let text = std::fs::read_to_string(root().join("tests/scenarios/business-registration-happy.yaml")).unwrap();
    let sample = motcua::scenario::Scenario::from_yaml(&text, "happy.yaml").unwrap().submit;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut child = spawn(db, port);
    for round in 0..rounds {
        ready(&client, &base).await;
        let token = dev_token(&client, &base, json!({"sub": "applicant", "role": "citizen"})).await;
        let mut tasks = Vec::new();
        for worker in 0..4 {
            let (client, base, token, acknowledged) =
                (client.clone(), base.clone(), token.clone(), acknowledged.clone());
            let body = json!({"procedure": "2.001610", "jurisdiction": sample.jurisdiction, "data": sample.data, "documents": sample.documents});
            tasks.push(tokio::spawn(async move {
                for n in 0.. {
                    let id = format!("HS-K{round}-{worker}-{n}");
                    let mut body = body.clone();
                    body["dossier_id"] = json!(id);
                    let sent =
                        client.post(format!("{base}/api/v1/dossiers")).bearer_auth(&token).json(&body).send().await;
                    match sent {
                        Ok(r) if r.status() == 201 => acknowledged.lock().unwrap().push(id),
                        Ok(r) => panic!("{id}: {} {}", r.status(), r.text().await.unwrap_or_default()),
                        Err(_) => return, // the server is gone
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(400 + 97 * round as u64)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for t in tasks {
            t.await.unwrap();
        }
        child = spawn(db, port);
    }
    ready(&client, &base).await;
    let token = dev_token(&client, &base, json!({"sub": "applicant", "role": "citizen"})).await;
    let ids = acknowledged.lock().unwrap().clone();
    assert!(ids.len() >= rounds, "the load made progress: {} acknowledged", ids.len());
    for id in &ids {
        let r = client.get(format!("{base}/api/v1/dossiers/{id}/verify")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(
            r.status(),
            200,
            "{id} was acknowledged, then lost or broken: {}",
            r.text().await.unwrap_or_default()
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!("{db:?}: {rounds} SIGKILLs, {} acknowledged submissions, all kept", ids.len());
}

/// `MOTCUA_SERVER_KILLS` sets the rounds (CI: 3 per database; by hand: 100).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_service_loses_nothing_it_acknowledged() {
    let rounds = std::env::var("MOTCUA_SERVER_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let mut dbs = vec![databases("kill").remove(0)];
    dbs.extend(postgres("kill"));
    for db in dbs {
        kill_under_load(&db, rounds).await;
    }
}
