//! The `motcua-server` binary as an operator runs it: killed with SIGKILL under load and
//! restarted, every submission the service acknowledged is still there and checks out;
//! stopped with SIGTERM, it finishes the request in flight and exits 0.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Db, databases, postgres, root};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn spawn(db: &Db, port: u16) -> Child {
    spawn_with_timers(db, port, 0)
}

fn spawn_with_timers(db: &Db, port: u16, timer_seconds: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_motcua-server"))
        .args([
            "--database",
            &db.url(),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--timer-seconds",
            &timer_seconds.to_string(),
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

/// Sends raw HTTP/1.1 bytes and reads the answer to the end (`Connection: close`):
/// the status and the body.
fn read_response(stream: &mut std::net::TcpStream) -> (u16, Value) {
    use std::io::Read;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("the answer is read to its end");
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("an HTTP answer, got {text:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("a status line: {head}"));
    (status, serde_json::from_str(body).unwrap_or(Value::String(body.to_owned())))
}

fn request_head(method: &str, path: &str, port: u16, token: Option<&str>, length: usize) -> String {
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}

fn exchange(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, Value) {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the server accepts");
    stream.write_all(request_head(method, path, port, token, body.len()).as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    read_response(&mut stream)
}

fn wait_ready(port: u16) {
    for _ in 0..400 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
            && exchange(port, "GET", "/health/ready", None, "").0 == 200
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not become ready on port {port}");
}

fn wait_exit(child: &mut Child, bound: Duration) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > bound {
            let _ = child.kill();
            panic!("the server did not exit within {bound:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// SIGTERM while a submission's body is half sent: the listener closes at once (a new
/// connection is refused), the submission still gets its real `201` once the rest of
/// its body arrives, the timer loop stops, and the process exits 0. The dossier is there
/// after a restart.
#[test]
fn sigterm_finishes_the_request_in_flight_and_exits_0() {
    use std::io::Write;
    let db = databases("sigterm").remove(0);
    let port = free_port();
    // Timers every second: the loop runs and must stop too.
    let mut child = spawn_with_timers(&db, port, 1);
    wait_ready(port);
    let (status, minted) =
        exchange(port, "POST", "/dev/token", None, &json!({"sub": "applicant", "role": "citizen"}).to_string());
    assert_eq!(status, 200, "{minted}");
    let token = minted["token"].as_str().unwrap().to_owned();

    let text = std::fs::read_to_string(root().join("tests/scenarios/business-registration-happy.yaml")).unwrap();
    let sample = motcua::scenario::Scenario::from_yaml(&text, "happy.yaml").unwrap().submit;
    let body = json!({"procedure": "2.001610", "dossier_id": "HS-TERM-1", "jurisdiction": sample.jurisdiction,
        "data": sample.data, "documents": sample.documents})
    .to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut in_flight = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    in_flight.write_all(request_head("POST", "/api/v1/dossiers", port, Some(&token), body.len()).as_bytes()).unwrap();
    in_flight.write_all(first.as_bytes()).unwrap();
    in_flight.flush().unwrap();
    // The server has read the head and waits for the rest of the body.
    std::thread::sleep(Duration::from_millis(300));
    let signal = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(signal.success());

    // The listener closes: a new connection is refused while the request is still open.
    let started = std::time::Instant::now();
    loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            // A connection that was in the backlog when the listener closed is reset.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("a refusal, got {e}"),
            Ok(_) if started.elapsed() > Duration::from_secs(10) => panic!("still accepting 10 s after SIGTERM"),
            Ok(_) => {}
        }
        if started.elapsed() > Duration::from_secs(10) {
            panic!("no refusal 10 s after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(child.try_wait().unwrap().is_none(), "the process waits for the request in flight");

    in_flight.write_all(rest.as_bytes()).unwrap();
    let (status, reply) = read_response(&mut in_flight);
    assert_eq!(status, 201, "the request in flight is answered in full: {reply}");
    assert_eq!(reply["dossier"]["id"], "HS-TERM-1");
    assert_eq!(reply["dossier"]["version"], 1);

    let exit = wait_exit(&mut child, Duration::from_secs(20));
    assert_eq!(exit.code(), Some(0), "a clean exit after SIGTERM: {exit:?}");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());

    // What it answered was stored.
    let mut child = spawn(&db, port);
    wait_ready(port);
    let (_, minted) =
        exchange(port, "POST", "/dev/token", None, &json!({"sub": "applicant", "role": "citizen"}).to_string());
    let token = minted["token"].as_str().unwrap().to_owned();
    let (status, verified) = exchange(port, "GET", "/api/v1/dossiers/HS-TERM-1/verify", Some(&token), "");
    assert_eq!(status, 200, "{verified}");
    assert_eq!(verified["version"], 1);
    // SIGINT (Ctrl-C) is a clean stop too.
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    assert_eq!(wait_exit(&mut child, Duration::from_secs(20)).code(), Some(0));
}

/// A webhook option that cannot work stops the service at start, with the file and the
/// reason, instead of failing every delivery later.
#[test]
fn a_bad_webhook_option_stops_the_start_with_its_reason() {
    let dir = std::env::temp_dir().join(format!("motcua-server-{}-webhook-options", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let secret = dir.join("secret");
    std::fs::write(&secret, "a shared secret of at least thirty-two bytes").unwrap();
    let short = dir.join("short");
    std::fs::write(&short, "too short").unwrap();
    let not_pem = dir.join("ca.txt");
    std::fs::write(&not_pem, "this is not a certificate").unwrap();
    let ca = root().join("bindings/server/tests/fixtures/tls/ca.pem");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = Command::new(env!("CARGO_BIN_EXE_motcua-server"))
            .args(["--database".as_ref(), dir.join("x.db").as_os_str(), "--listen".as_ref(), "127.0.0.1:1".as_ref()])
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let webhook = |url: &str, secret: &std::path::Path, ca: Option<&std::path::Path>| {
        let mut args: Vec<std::ffi::OsString> =
            vec!["--webhook".into(), url.into(), "--webhook-secret-file".into(), secret.into()];
        if let Some(ca) = ca {
            args.extend(["--webhook-ca-file".into(), ca.into()]);
        }
        run(&args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>())
    };
    let (code, err) = webhook("https://127.0.0.1:9/hook", &secret, Some(&not_pem));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[serve_failed]") && err.contains("ca.txt") && err.contains("no certificate"), "{err}");
    let (code, err) = webhook("ftp://127.0.0.1/hook", &secret, Some(&ca));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("not an http:// or https:// URL"), "{err}");
    let (code, err) = webhook("https://127.0.0.1:9/hook", &short, None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("at least 32 bytes"), "{err}");
    // The CA file needs a webhook: a usage error (clap's exit code 2).
    let (code, err) = run(&["--webhook-ca-file".as_ref(), ca.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
