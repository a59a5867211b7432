//! The outbox delivered by webhook to a real HTTP receiver on loopback: each effect is
//! posted with its HMAC-SHA256 signature, a failed delivery is retried after the store's
//! backoff, in order per dossier, until the outbox is empty.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use hmac::{KeyInit, Mac};
use motcua_server::{Limits, Webhook};
use serde_json::Value;

use crate::common::{Server, at, citizen, databases, root};

const SECRET: &[u8] = b"the-portal-webhook-secret-32-bytes-or-more";

/// What the receiver saw: the signature header, the delivery header, the body, the answer.
#[derive(Clone, Debug)]
struct Received {
    signature: String,
    delivery: String,
    body: Vec<u8>,
    answered: u16,
}

async fn receiver() -> (String, Arc<Mutex<Vec<Received>>>) {
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let mut log = log.lock().unwrap();
                // The very first delivery fails: the portal was down.
                let answered = if log.is_empty() { 503 } else { 204 };
                let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                log.push(Received {
                    signature: header("x-motcua-signature"),
                    delivery: header("x-motcua-delivery"),
                    body: body.to_vec(),
                    answered,
                });
                StatusCode::from_u16(answered).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

async fn outbox_depth(server: &Server) -> i64 {
    let metrics = server.send(reqwest::Method::GET, "/metrics", None, None, &[]).await;
    let text = metrics.body.as_str().unwrap().to_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("motcua_outbox_depth "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no outbox depth in {text}"))
}

async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..400 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_is_delivered_signed_and_a_failure_is_retried_after_the_backoff() {
    for db in databases("webhook") {
        deliver(&db).await;
    }
}

async fn deliver(db: &crate::common::Db) {
    let (url, seen) = receiver().await;
    let hook = Webhook { interval: Duration::from_millis(20), ..Webhook::new(url, SECRET) };
    let server = Server::start_full(db, Limits::default(), Some(hook)).await;
    server.set_time(at("2026-03-09T08:15:00+07:00"));
    let text =
        std::fs::read_to_string(root().join("tests/scenarios/birth-registration-happy-police-first.yaml")).unwrap();
    let sample = motcua::scenario::Scenario::from_yaml(&text, "happy.yaml").unwrap().submit;
    let body = serde_json::json!({"procedure": "1.001193", "dossier_id": "WH-1", "jurisdiction": "00004",
        "data": sample.data, "documents": sample.documents});
    let submitted = server.post("/api/v1/dossiers", &citizen("lan"), &body, &[]).await;
    assert_eq!(submitted.status, 201, "{}", submitted.body);
    let effects = submitted.body["applied"]["effects"].as_array().unwrap().clone();
    assert!(!effects.is_empty(), "a submission has effects to deliver");

    // The first attempt fails (503); the effect waits out the backoff (10 s on the
    // service's clock), and nothing of that dossier is delivered before it.
    wait_for("the first attempt", async || !seen.lock().unwrap().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "order per dossier: nothing after the failed effect, no retry before the backoff");
        assert_eq!(seen[0].answered, 503);
    }
    assert_eq!(outbox_depth(&server).await, effects.len() as i64);
    server.set_time(at("2026-03-09T08:15:11+07:00"));
    wait_for("every effect delivered", async || outbox_depth(&server).await == 0).await;

    let seen = seen.lock().unwrap().clone();
    let delivered: Vec<&Received> = seen.iter().filter(|r| r.answered == 204).collect();
    let keys: Vec<String> = effects.iter().map(|e| e["key"].as_str().unwrap().to_owned()).collect();
    let mut previous = (0, 0);
    for (r, key) in delivered.iter().zip(&keys) {
        // Signed over the exact body with the shared secret.
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SECRET).unwrap();
        mac.update(&r.body);
        let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(r.signature, format!("sha256={hex}"));
        let json: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(json["key"], key.as_str(), "delivered in the dossier's order");
        assert_eq!(r.delivery, *key);
        assert_eq!(json["dossier_id"], "WH-1");
        let position = (json["seq"].as_u64().unwrap(), keys.iter().position(|k| k == key).unwrap());
        assert!(position >= previous);
        previous = position;
    }
    assert_eq!(delivered.len(), keys.len(), "each effect acknowledged once: {seen:?}");
    // The failed one came again as its second attempt.
    let first: Value = serde_json::from_slice(&seen[0].body).unwrap();
    let retried: Value = serde_json::from_slice(&delivered[0].body).unwrap();
    assert_eq!((first["key"].clone(), first["attempt"].clone()), (retried["key"].clone(), 1.into()));
    assert_eq!(retried["attempt"], 2);
    assert_eq!(retried["effect"], effects[0]);
    // A wrong secret would not verify.
    assert_ne!(motcua_server::signature(b"another-secret", &seen[0].body), seen[0].signature);
    // The delivery loop stops with the service.
    tokio::time::timeout(Duration::from_secs(20), server.running.stop()).await.expect("stops").unwrap();
}

/// An HTTPS listener for axum: the test's receiver behind TLS, with the certificate of
/// `tests/fixtures/tls/` (signed by a test-only CA). Failed handshakes are counted.
struct TlsListener {
    tcp: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    refused: Arc<std::sync::atomic::AtomicUsize>,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else { continue };
            match self.acceptor.accept(tcp).await {
                Ok(tls) => return (tls, addr),
                Err(_) => {
                    self.refused.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

fn tls_fixture(name: &str) -> Vec<u8> {
    std::fs::read(root().join("bindings/server/tests/fixtures/tls").join(name)).unwrap()
}

/// A receiver on `https://127.0.0.1:<port>/hook` that acknowledges everything; what it saw,
/// and how many TLS handshakes it refused.
async fn tls_receiver() -> (String, Arc<Mutex<Vec<Vec<u8>>>>, Arc<std::sync::atomic::AtomicUsize>) {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(&tls_fixture("receiver.pem")).map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_slice(&tls_fixture("receiver.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let seen: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: Bytes| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push(body.to_vec());
                StatusCode::NO_CONTENT
            }
        }),
    );
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://127.0.0.1:{}/hook", tcp.local_addr().unwrap().port());
    let refused = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let listener =
        TlsListener { tcp, acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)), refused: refused.clone() };
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen, refused)
}

async fn submit_one(server: &Server, id: &str) -> usize {
    server.set_time(at("2026-03-09T08:15:00+07:00"));
    let text =
        std::fs::read_to_string(root().join("tests/scenarios/birth-registration-happy-police-first.yaml")).unwrap();
    let sample = motcua::scenario::Scenario::from_yaml(&text, "happy.yaml").unwrap().submit;
    let body = serde_json::json!({"procedure": "1.001193", "dossier_id": id, "jurisdiction": "00004",
        "data": sample.data, "documents": sample.documents});
    let submitted = server.post("/api/v1/dossiers", &citizen("lan"), &body, &[]).await;
    assert_eq!(submitted.status, 201, "{}", submitted.body);
    submitted.body["applied"]["effects"].as_array().unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_webhook_is_verified_against_the_trusted_roots() {
    let db = databases("webhook_tls").remove(0);
    // Trusting the receiver's CA: every effect is delivered over TLS.
    let (url, seen, refused) = tls_receiver().await;
    let hook = Webhook { interval: Duration::from_millis(20), ..Webhook::new(url.clone(), SECRET) }
        .with_root_certificates(&tls_fixture("ca.pem"))
        .unwrap();
    let server = Server::start_full(&db, Limits::default(), Some(hook)).await;
    let effects = submit_one(&server, "WH-TLS-1").await;
    wait_for("every effect delivered over https", async || outbox_depth(&server).await == 0).await;
    assert_eq!(seen.lock().unwrap().len(), effects);
    let first: Value = serde_json::from_slice(&seen.lock().unwrap()[0]).unwrap();
    assert_eq!(first["dossier_id"], "WH-TLS-1");
    assert_eq!(refused.load(std::sync::atomic::Ordering::SeqCst), 0);
    server.running.stop().await.unwrap();

    // Not trusting it (the system's roots only): the handshake fails, nothing is delivered
    // and the effects stay in the outbox for a later attempt.
    let (url, seen, refused) = tls_receiver().await;
    let hook = Webhook { interval: Duration::from_millis(20), ..Webhook::new(url, SECRET) };
    let server =
        Server::start_full(&crate::common::databases("webhook_tls_untrusted").remove(0), Limits::default(), Some(hook))
            .await;
    let effects = submit_one(&server, "WH-TLS-2").await;
    wait_for("a refused handshake", async || refused.load(std::sync::atomic::Ordering::SeqCst) > 0).await;
    assert!(seen.lock().unwrap().is_empty());
    assert_eq!(outbox_depth(&server).await, effects as i64);
    server.running.stop().await.unwrap();
}
