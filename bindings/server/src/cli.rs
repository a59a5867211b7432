//! `motcua serve`'s options (also the `motcua-server` binary's).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::app::{Config, Database, Limits};
use crate::auth::{AuthConfig, KeySource};

/// Whether the options' help is in English (`--lang en`); Vietnamese otherwise.
static ENGLISH: AtomicBool = AtomicBool::new(false);

/// Chooses the language of [`ServeArgs`]' help: call it before the clap command is built
/// (`motcua --lang en serve --help` does). Vietnamese unless `english`.
///
/// ```
/// use clap::{CommandFactory, Parser};
/// #[derive(Parser)]
/// struct Cli { #[command(flatten)] serve: motcua_server::ServeArgs }
/// let help = |english| {
///     motcua_server::set_english_help(english);
///     let cmd = Cli::command();
///     cmd.get_arguments().find(|a| a.get_id() == "listen").unwrap().get_help().unwrap().to_string()
/// };
/// assert_eq!(help(true), "address to listen on");
/// assert_eq!(help(false), "địa chỉ lắng nghe");
/// ```
pub fn set_english_help(english: bool) {
    ENGLISH.store(english, Ordering::Relaxed);
}

/// A help text in the language [`set_english_help`] chose: both are written side by side
/// where the option is declared, so neither can be forgotten.
fn tr(vi: &'static str, en: &'static str) -> &'static str {
    if ENGLISH.load(Ordering::Relaxed) { en } else { vi }
}

/// Options of `motcua serve`.
///
/// Their help is in Vietnamese unless [`set_english_help`] chose English.
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
    /// The database: a SQLite file (created if missing) or `postgres://…`.
    #[arg(long, env = "MOTCUA_DATABASE", default_value = "motcua.db", value_name = tr("CSDL", "DATABASE"),
          help = tr("cơ sở dữ liệu: một tệp SQLite (tạo mới nếu chưa có) hoặc `postgres://…` (nhiều bản chạy song song có thể dùng chung)",
                    "database: a SQLite file (created if missing) or `postgres://…` (any number of replicas may share one)"))]
    pub database: String,
    /// The address to listen on.
    #[arg(long, env = "MOTCUA_LISTEN", default_value = "127.0.0.1:8080", value_name = tr("ĐỊA_CHỈ", "ADDRESS"),
          help = tr("địa chỉ lắng nghe", "address to listen on"))]
    pub listen: SocketAddr,
    /// The specs folder.
    #[arg(long, env = "MOTCUA_SPECS", default_value = "specs", value_name = tr("THƯ_MỤC", "DIR"),
          help = tr("thư mục đặc tả (catalogue/, calendars/, units/, procedures/)",
                    "the specs folder (catalogue/, calendars/, units/, procedures/)"))]
    pub specs: PathBuf,
    /// A PEM public key verifying RS256 tokens.
    #[arg(long, value_name = tr("TỆP", "FILE"), conflicts_with_all = ["jwt_eddsa_key", "jwks", "jwt_hs256_secret_file"],
          help = tr("khóa công khai PEM kiểm tra mã xác thực RS256", "PEM public key verifying RS256 tokens"))]
    pub jwt_rsa_key: Option<PathBuf>,
    /// A PEM public key verifying EdDSA (Ed25519) tokens.
    #[arg(long, value_name = tr("TỆP", "FILE"), conflicts_with_all = ["jwks", "jwt_hs256_secret_file"],
          help = tr("khóa công khai PEM kiểm tra mã xác thực EdDSA (Ed25519)", "PEM public key verifying EdDSA (Ed25519) tokens"))]
    pub jwt_eddsa_key: Option<PathBuf>,
    /// The identity provider's JWKS document, saved to a file.
    #[arg(long, value_name = tr("TỆP", "FILE"), conflicts_with = "jwt_hs256_secret_file",
          help = tr("tài liệu JWKS của nơi cấp định danh, lưu thành tệp", "the identity provider's JWKS document, saved to a file"))]
    pub jwks: Option<PathBuf>,
    /// A file holding an HS256 secret (testing only).
    #[arg(long, value_name = tr("TỆP", "FILE"),
          help = tr("tệp chứa khóa bí mật HS256 (chỉ để thử)", "a file holding an HS256 secret (testing only)"))]
    pub jwt_hs256_secret_file: Option<PathBuf>,
    /// The required `iss` claim.
    #[arg(long, value_name = tr("NƠI_CẤP", "ISSUER"),
          help = tr("nơi cấp mã xác thực bắt buộc (`iss`)", "required `iss` claim"))]
    pub jwt_issuer: Option<String>,
    /// The required `aud` claim.
    #[arg(long, value_name = tr("ĐỐI_TƯỢNG", "AUDIENCE"),
          help = tr("đối tượng bắt buộc của mã xác thực (`aud`)", "required `aud` claim"))]
    pub jwt_audience: Option<String>,
    /// Store connections.
    #[arg(long, default_value_t = 4, value_name = "N",
          help = tr("số kết nối tới cơ sở dữ liệu", "store connections"))]
    pub connections: usize,
    /// Seconds between timer rounds (0: this replica fires none).
    #[arg(long, default_value_t = 5, value_name = tr("GIÂY", "SECONDS"),
          help = tr("số giây giữa hai lượt hẹn giờ (0: bản chạy này không kích hoạt hẹn giờ nào)",
                    "seconds between timer rounds (0: this replica fires none)"))]
    pub timer_seconds: u64,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = tr("BYTE", "BYTES"),
          help = tr("kích thước tối đa của thân yêu cầu, tính bằng byte", "largest request body in bytes"))]
    pub max_body: usize,
    /// Requests per second per token.
    #[arg(long, default_value_t = 50, value_name = "N",
          help = tr("số yêu cầu mỗi giây cho mỗi mã xác thực", "requests per second per token"))]
    pub rate: u32,
    /// The built WASM package served to the form pages.
    #[arg(long, value_name = tr("THƯ_MỤC", "DIR"),
          help = tr("gói WASM đã dựng, phục vụ cho các trang biểu mẫu", "the built WASM package served to the form pages"))]
    pub wasm_package: Option<PathBuf>,
    /// Logs as JSON lines.
    #[arg(long, help = tr("ghi nhật ký thành các dòng JSON", "logs as JSON lines"))]
    pub log_json: bool,
    /// Deliver the outbox to this URL (`http://…` or `https://…`), signed in `X-Motcua-Signature`.
    #[arg(long, value_name = "URL", requires = "webhook_secret_file",
          help = tr("gửi hàng đợi hiệu ứng tới địa chỉ này (`http://…` hoặc `https://…`), ký trong `X-Motcua-Signature`",
                    "deliver the outbox to this URL (`http://…` or `https://…`), signed in `X-Motcua-Signature`"))]
    pub webhook: Option<String>,
    /// A file holding the webhook's HMAC secret (at least 32 bytes).
    #[arg(long, value_name = tr("TỆP", "FILE"), requires = "webhook",
          help = tr("tệp chứa khóa bí mật HMAC của webhook (ít nhất 32 byte)",
                    "a file holding the webhook's HMAC secret (at least 32 bytes)"))]
    pub webhook_secret_file: Option<PathBuf>,
    /// Certificate authorities (PEM) an `https://` webhook may be signed by, beside the system's.
    #[arg(long, value_name = tr("TỆP", "FILE"), requires = "webhook",
          help = tr("chứng thư gốc (PEM) tin cậy thêm, ngoài của hệ thống, cho webhook `https://`",
                    "certificate authorities (PEM) an `https://` webhook may be signed by, beside the system's"))]
    pub webhook_ca_file: Option<PathBuf>,
    /// A token role that may move running dossiers to a new version (`POST
    /// /api/v1/migrations`); repeat for several.
    #[arg(long, value_name = tr("VAI_TRÒ", "ROLE"), default_value = "procedure_admin",
          help = tr("vai trò (trong mã xác thực) được chuyển hồ sơ đang giải quyết sang phiên bản mới (`POST /api/v1/migrations`); lặp lại cho nhiều vai trò",
                    "a token role that may move running dossiers to a new version (`POST /api/v1/migrations`); repeat for several"))]
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
