//! `motcua serve`'s options (also the `motcua-server` binary's).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::app::{Config, Database, Limits};
use crate::auth::{AuthConfig, KeySource};

/// Options of `motcua serve`.
///
/// ```
/// use clap::Parser;
/// #[derive(Parser)]
/// struct Cli { #[command(flatten)] serve: motcua_server::ServeArgs }
/// let cli = Cli::parse_from(["motcua", "--database", "postgres://motcua@db/motcua", "--listen", "0.0.0.0:8080"]);
/// let config = cli.serve.config().unwrap();
/// assert!(matches!(config.database, motcua_server::Database::Postgres(_)));
/// ```
#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    /// Database: a SQLite file (created if missing) or `postgres://…` (any number of
    /// replicas may share one). / Cơ sở dữ liệu: tệp SQLite hoặc `postgres://…`.
    #[arg(long, env = "MOTCUA_DATABASE", default_value = "motcua.db")]
    pub database: String,
    /// Address to listen on. / Địa chỉ lắng nghe.
    #[arg(long, env = "MOTCUA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The specs folder (catalogue/, calendars/, units/, procedures/). / Thư mục đặc tả.
    #[arg(long, env = "MOTCUA_SPECS", default_value = "specs")]
    pub specs: PathBuf,
    /// PEM public key verifying RS256 tokens. / Khóa công khai RS256.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["jwt_eddsa_key", "jwks", "jwt_hs256_secret_file"])]
    pub jwt_rsa_key: Option<PathBuf>,
    /// PEM public key verifying EdDSA (Ed25519) tokens. / Khóa công khai EdDSA.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["jwks", "jwt_hs256_secret_file"])]
    pub jwt_eddsa_key: Option<PathBuf>,
    /// The identity provider's JWKS document, saved to a file. / Tệp JWKS.
    #[arg(long, value_name = "FILE", conflicts_with = "jwt_hs256_secret_file")]
    pub jwks: Option<PathBuf>,
    /// A file holding an HS256 secret (testing only). / Tệp khóa bí mật HS256 (chỉ để thử).
    #[arg(long, value_name = "FILE")]
    pub jwt_hs256_secret_file: Option<PathBuf>,
    /// Required `iss` claim. / Nơi cấp mã xác thực bắt buộc.
    #[arg(long)]
    pub jwt_issuer: Option<String>,
    /// Required `aud` claim. / Đối tượng của mã xác thực bắt buộc.
    #[arg(long)]
    pub jwt_audience: Option<String>,
    /// Store connections. / Số kết nối cơ sở dữ liệu.
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// Seconds between timer rounds (0: this replica fires none). / Chu kỳ hẹn giờ (giây).
    #[arg(long, default_value_t = 5)]
    pub timer_seconds: u64,
    /// Largest request body in bytes. / Kích thước tối đa của yêu cầu.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Requests per second per token. / Số yêu cầu mỗi giây cho mỗi mã xác thực.
    #[arg(long, default_value_t = 50)]
    pub rate: u32,
    /// The built WASM package served to the form pages. / Gói WASM.
    #[arg(long, value_name = "DIR")]
    pub wasm_package: Option<PathBuf>,
    /// Logs as JSON lines. / Nhật ký dạng JSON.
    #[arg(long)]
    pub log_json: bool,
    /// Deliver the outbox to this URL (`http://…` or `https://…`), signed in `X-Motcua-Signature`.
    /// / Gửi hàng đợi hiệu ứng tới địa chỉ này.
    #[arg(long, value_name = "URL", requires = "webhook_secret_file")]
    pub webhook: Option<String>,
    /// A file holding the webhook's HMAC secret (≥ 32 bytes). / Tệp khóa bí mật của webhook.
    #[arg(long, value_name = "FILE", requires = "webhook")]
    pub webhook_secret_file: Option<PathBuf>,
    /// Certificate authorities (PEM) an `https://` webhook may be signed by, beside the
    /// system's. / Chứng thư gốc (PEM) tin cậy thêm cho webhook `https://`.
    #[arg(long, value_name = "FILE", requires = "webhook")]
    pub webhook_ca_file: Option<PathBuf>,
    /// A token role that may move running dossiers to a new version (`POST
    /// /api/v1/migrations`); repeat for several. / Vai trò được chuyển hồ sơ sang phiên bản mới.
    #[arg(long, value_name = "ROLE", default_value = "procedure_admin")]
    pub migration_role: Vec<String>,
}

impl ServeArgs {
    /// The configuration these options give; an unreadable key file is an error.
    pub fn config(&self) -> Result<Config, String> {
        let keys = if let Some(path) = &self.jwt_rsa_key {
            KeySource::PublicKeyPem { algorithm: jsonwebtoken::Algorithm::RS256, path: path.clone() }
        } else if let Some(path) = &self.jwt_eddsa_key {
            KeySource::PublicKeyPem { algorithm: jsonwebtoken::Algorithm::EdDSA, path: path.clone() }
        } else if let Some(path) = &self.jwks {
            KeySource::JwksFile(path.clone())
        } else if let Some(path) = &self.jwt_hs256_secret_file {
            let secret = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let secret = secret.trim_ascii().to_vec();
            if secret.len() < 32 {
                return Err(format!("{}: an HS256 secret needs at least 32 bytes", path.display()));
            }
            KeySource::Hs256(secret)
        } else {
            KeySource::Development
        };
        let webhook = match (&self.webhook, &self.webhook_secret_file) {
            (Some(url), Some(path)) => {
                if !url.starts_with("http://") && !url.starts_with("https://") {
                    return Err(format!("--webhook {url}: not an http:// or https:// URL"));
                }
                let secret = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                let secret = secret.trim_ascii().to_vec();
                if secret.len() < 32 {
                    return Err(format!("{}: a webhook secret needs at least 32 bytes", path.display()));
                }
                let hook = crate::webhook::Webhook::new(url.clone(), secret);
                let hook = match &self.webhook_ca_file {
                    Some(path) => {
                        let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                        hook.with_root_certificates(&pem).map_err(|e| format!("{}: {e}", path.display()))?
                    }
                    None => hook,
                };
                Some(hook)
            }
            _ => None,
        };
        let defaults = Config::default();
        Ok(Config {
            listen: self.listen,
            database: Database::parse(&self.database),
            specs: self.specs.clone(),
            auth: AuthConfig { keys, issuer: self.jwt_issuer.clone(), audience: self.jwt_audience.clone() },
            limits: Limits {
                body_bytes: self.max_body,
                per_token_per_second: self.rate,
                per_token_burst: self.rate.saturating_mul(2),
                ..Limits::default()
            },
            connections: self.connections,
            timer_interval: (self.timer_seconds > 0).then(|| Duration::from_secs(self.timer_seconds)),
            wasm_package: self.wasm_package.clone().or(defaults.wasm_package),
            clock: defaults.clock,
            webhook,
            migration_roles: self.migration_role.clone(),
        })
    }

    /// Sets up logging and runs the service until Ctrl-C or SIGTERM.
    pub fn run(&self) -> Result<(), String> {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
        use std::io::IsTerminal;
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none());
        let _ = if self.log_json { builder.json().try_init() } else { builder.try_init() };
        let config = self.config()?;
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
        runtime.block_on(crate::app::serve(config)).map_err(|e| e.to_string())
    }
}
