//! Delivery of the outbox by webhook: this replica claims effects from the store (the same
//! lease, ack and fail as `POST /api/v1/outbox/…`), posts each to the portal's URL signed
//! with HMAC-SHA256, acknowledges a `2xx` and reports anything else as a failure, which the
//! store retries after its backoff and sets aside as dead after too many attempts. The
//! effects of a dossier after a failed one are given back untried, so its order holds.

use std::time::Duration;

use hmac::{KeyInit, Mac};

use crate::api::DeliveryBody;
use crate::app::Shared;

/// Where and how this replica delivers the outbox.
///
/// An `https://` receiver is verified against the system's trust store (Debian's
/// `ca-certificates`) and any roots added with [`Webhook::with_root_certificates`], such as
/// a province's own certificate authority.
///
/// ```
/// use motcua_server::Webhook;
///
/// let ca = include_bytes!("../tests/fixtures/tls/ca.pem");
/// let hook = Webhook::new("https://portal.example.vn/motcua", b"a shared secret of 32 bytes or more".to_vec())
///     .with_root_certificates(ca)
///     .unwrap();
/// assert_eq!(hook.roots.len(), 1);
/// assert!(Webhook::new("https://x", vec![0; 32]).with_root_certificates(b"not a certificate").is_err());
/// ```
#[derive(Clone)]
pub struct Webhook {
    /// The receiver's URL (`http://…` or `https://…`).
    pub url: String,
    /// The shared secret the signature is made with.
    pub secret: Vec<u8>,
    /// How long to wait when nothing is left to deliver (default 1 s).
    pub interval: Duration,
    /// How long a claimed effect stays this replica's before another may take it (30 s).
    pub lease: Duration,
    /// How long one delivery may take (10 s).
    pub timeout: Duration,
    /// Extra certificate authorities an `https://` receiver may be signed by, beside the
    /// system's.
    pub roots: Vec<reqwest::Certificate>,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook").field("url", &self.url).field("secret", &"…").finish_non_exhaustive()
    }
}

impl Webhook {
    /// A webhook to `url` signed with `secret`, with the default interval, lease and timeout.
    pub fn new(url: impl Into<String>, secret: impl Into<Vec<u8>>) -> Webhook {
        Webhook {
            url: url.into(),
            secret: secret.into(),
            interval: Duration::from_secs(1),
            lease: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            roots: Vec::new(),
        }
    }

    /// Trusts the certificate authorities of a PEM bundle too (`--webhook-ca-file`). An
    /// error names what is wrong: no certificate in the text, or one that does not parse.
    pub fn with_root_certificates(mut self, pem: &[u8]) -> Result<Webhook, String> {
        let roots =
            reqwest::Certificate::from_pem_bundle(pem).map_err(|e| format!("not a PEM certificate bundle: {e}"))?;
        if roots.is_empty() {
            return Err("no certificate in the PEM bundle".into());
        }
        self.roots.extend(roots);
        Ok(self)
    }

    /// The HTTP client deliveries go through: rustls, the system's roots and [`Webhook::roots`].
    pub(crate) fn client(&self) -> Result<reqwest::Client, reqwest::Error> {
        let mut builder = reqwest::Client::builder();
        for root in &self.roots {
            builder = builder.add_root_certificate(root.clone());
        }
        builder.build()
    }
}

/// `sha256=<hex>`: the HMAC-SHA256 of `body` under `secret`, as sent in
/// `X-Motcua-Signature`. A receiver computes the same over the raw body and compares.
///
/// ```
/// // RFC 4231, test case 2.
/// assert_eq!(
///     motcua_server::signature(b"Jefe", b"what do ya want for nothing?"),
///     "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
/// );
/// ```
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Claims and delivers one batch; the number of effects claimed.
pub(crate) async fn deliver_batch(state: &Shared, client: &reqwest::Client, hook: &Webhook, worker: &str) -> usize {
    let now = (state.clock)();
    let lease = chrono::Duration::from_std(hook.lease).unwrap_or(chrono::Duration::seconds(30));
    let owner = worker.to_owned();
    let batch = match state.with_store(move |s| s.claim(&owner, 20, lease, now)).await {
        Ok(batch) => batch,
        Err(e) => {
            tracing::warn!(code = %e.body.code, "webhook: cannot claim from the outbox");
            return 0;
        }
    };
    let claimed = batch.len();
    // A dossier whose effect failed gets nothing more in this batch: its order holds.
    let mut held: Vec<String> = Vec::new();
    for d in batch {
        if held.contains(&d.dossier_id) {
            // Not tried: given back, to come after the failed one.
            let (key, owner) = (d.key, worker.to_owned());
            if let Err(e) = state.with_store(move |s| s.release(&owner, &key)).await {
                tracing::warn!(code = %e.body.code, "webhook: lease not given back; it comes back when it ends");
            }
            continue;
        }
        let body =
            DeliveryBody { key: d.key, dossier_id: d.dossier_id, seq: d.seq, attempt: d.attempt, effect: d.effect };
        let failure = match serde_json::to_vec(&body) {
            Err(e) => Some(format!("cannot serialize: {e}")),
            Ok(bytes) => {
                let sent = client
                    .post(&hook.url)
                    .timeout(hook.timeout)
                    .header("content-type", "application/json")
                    .header("x-motcua-signature", signature(&hook.secret, &bytes))
                    .header("x-motcua-delivery", body.key.as_str())
                    .body(bytes)
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status().is_success() => None,
                    Ok(r) => Some(format!("HTTP {}", r.status().as_u16())),
                    Err(e) => Some(format!("not delivered: {e}")),
                }
            }
        };
        let (key, owner) = (body.key.clone(), worker.to_owned());
        match failure {
            None => {
                if let Err(e) = state.with_store(move |s| s.ack(&owner, &key)).await {
                    tracing::warn!(code = %e.body.code, key = %body.key, "webhook: delivered, not acknowledged; it will be sent again");
                }
            }
            Some(error) => {
                tracing::warn!(key = %body.key, attempt = body.attempt, %error, "webhook: delivery failed; retried after the backoff");
                held.push(body.dossier_id.clone());
                let now = (state.clock)();
                if let Err(e) = state.with_store(move |s| s.fail(&owner, &key, &error, now)).await {
                    tracing::warn!(code = %e.body.code, key = %body.key, "webhook: failure not recorded");
                }
            }
        }
    }
    claimed
}
