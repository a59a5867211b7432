//! The service: configuration, shared state, the router with its layers, start and stop.

use std::future::Future;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use motcua_store::Store;
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth::{AuthConfig, Verifier};
use crate::error::ApiError;
use crate::metrics::{Metrics, RequestLabels, RouteLabels};
use crate::specs::Specs;

/// The clock the service stamps commands with (the engine never reads one).
pub type Clock = Arc<dyn Fn() -> DateTime<FixedOffset> + Send + Sync>;

/// The system clock, in Vietnam's offset (UTC+7).
pub fn system_clock() -> Clock {
    Arc::new(|| {
        let offset = FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
        chrono::Utc::now().with_timezone(&offset)
    })
}

/// Which database the service keeps dossiers in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// An embedded SQLite file (created if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection string; any number of replicas may share it.
    Postgres(String),
}

impl Database {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else a SQLite file path.
    ///
    /// ```
    /// use motcua_server::Database;
    /// assert!(matches!(Database::parse("postgres://motcua@db/motcua"), Database::Postgres(_)));
    /// assert_eq!(Database::parse("motcua.db"), Database::Sqlite("motcua.db".into()));
    /// ```
    pub fn parse(text: &str) -> Database {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Database::Postgres(text.to_owned())
        } else {
            Database::Sqlite(PathBuf::from(text.strip_prefix("sqlite://").unwrap_or(text)))
        }
    }

    /// Opens a store on this database with `library`, migrating its schema: what `motcua
    /// serve` opens each connection with, and `motcua migrate --database`.
    ///
    /// ```
    /// use motcua::{Catalogue, Library};
    /// let library = Library::new(Catalogue::from_yaml(include_str!("../../../specs/catalogue/vietnam.yaml"), "vietnam.yaml")?);
    /// let dir = std::env::temp_dir().join(format!("motcua-server-open-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let database = motcua_server::Database::parse(dir.join("desk.db").to_str().unwrap());
    /// let mut store = database.open(library).unwrap();
    /// assert!(store.procedure_versions("1.001612").unwrap().is_empty());
    /// # drop(store);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), motcua::LoadError>(())
    /// ```
    pub fn open(&self, library: impl Into<Arc<motcua::Library>>) -> Result<Store, motcua_store::StoreError> {
        match self {
            Database::Sqlite(path) => Store::open_sqlite(path, library),
            Database::Postgres(url) => Store::open_postgres(url, library),
        }
    }
}

/// Limits on what one request may cost.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest request body, bytes (default 1 MiB).
    pub body_bytes: usize,
    /// Longest time to answer, after which the request gets `408 timeout` (default 30 s).
    pub request_timeout: Duration,
    /// Sustained requests per second per token subject (default 50).
    pub per_token_per_second: u32,
    /// Burst above the sustained rate (default 100).
    pub per_token_burst: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 1 << 20,
            request_timeout: Duration::from_secs(30),
            per_token_per_second: 50,
            per_token_burst: 100,
        }
    }
}

/// Everything `motcua serve` is configured with.
#[derive(Clone)]
pub struct Config {
    /// The address to listen on (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// The database (default the SQLite file `motcua.db`).
    pub database: Database,
    /// The specs folder: `catalogue/`, `calendars/`, `units/`, `procedures/` (default `specs`).
    pub specs: PathBuf,
    /// How tokens are verified (default: development keys).
    pub auth: AuthConfig,
    /// Request limits.
    pub limits: Limits,
    /// Store connections (default 4; SQLite writes one at a time whatever the number).
    pub connections: usize,
    /// How often this replica fires due timers; `None` never (default 5 s).
    pub timer_interval: Option<Duration>,
    /// The folder of the built WASM package served to the desk and citizen pages under
    /// `/pkg/` (default `bindings/wasm/pkg` when it exists).
    pub wasm_package: Option<PathBuf>,
    /// The clock commands are stamped with.
    pub clock: Clock,
    /// Deliver the outbox by webhook from this replica (default none: workers pull it).
    pub webhook: Option<crate::webhook::Webhook>,
    /// The token roles that may move running dossiers to a new version
    /// (`POST /api/v1/migrations`; default `procedure_admin`). Citizens never may.
    pub migration_roles: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        let wasm = PathBuf::from("bindings/wasm/pkg");
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: Database::Sqlite(PathBuf::from("motcua.db")),
            specs: PathBuf::from("specs"),
            auth: AuthConfig::default(),
            limits: Limits::default(),
            connections: 4,
            timer_interval: Some(Duration::from_secs(5)),
            wasm_package: wasm.is_dir().then_some(wasm),
            clock: system_clock(),
            webhook: None,
            migration_roles: vec!["procedure_admin".to_owned()],
        }
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The specs folder did not load.
    #[error("specs: {0}")]
    Specs(#[from] crate::specs::SpecsError),
    /// The database could not be opened or migrated, or a procedure not registered.
    #[error("store: {0}")]
    Store(#[from] motcua_store::StoreError),
    /// The token keys could not be read.
    #[error("keys: {0}")]
    Keys(#[from] crate::auth::KeyError),
    /// The address could not be bound, or the server failed.
    #[error("listen: {0}")]
    Io(#[from] std::io::Error),
}

/// A pooled store connection. The PostgreSQL client blocks when it closes, which a thread
/// of the async runtime must not do: a connection dropped there is closed on a thread of
/// its own.
pub(crate) struct Connection(Option<Store>);

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(store) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            let _ = std::thread::Builder::new().name("motcua-close".into()).spawn(move || drop(store));
        }
    }
}

/// The state every handler shares.
pub(crate) struct AppState {
    pub stores: deadpool::unmanaged::Pool<Connection>,
    pub specs: Specs,
    pub verifier: Verifier,
    pub clock: Clock,
    pub metrics: Metrics,
    pub limiter: DefaultKeyedRateLimiter<String>,
    pub wasm_package: Option<PathBuf>,
    pub migration_roles: Vec<String>,
}

pub(crate) type Shared = Arc<AppState>;

impl AppState {
    /// Runs `f` with a store connection, off the async threads.
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, motcua_store::StoreError> + Send + 'static,
    {
        let mut store = self.stores.get().await.map_err(|_| ApiError::internal())?;
        let result = tokio::task::spawn_blocking(move || {
            let r = match store.0.as_mut() {
                Some(s) => f(s),
                None => Err(motcua_store::StoreError::Unavailable("connection closed".into())),
            };
            (store, r)
        })
        .await;
        match result {
            Ok((_store, r)) => r.map_err(ApiError::from),
            Err(_) => Err(ApiError::internal()),
        }
    }
}

/// An opened service: state built, database migrated, procedures registered.
pub struct App {
    state: Shared,
    timer_interval: Option<Duration>,
    limits: Limits,
    webhook: Option<crate::webhook::Webhook>,
}

impl App {
    /// Loads the specs, opens `config.connections` store connections and registers every
    /// procedure of the specs folder (a version already stored is left as it is).
    pub async fn open(config: Config) -> Result<App, ServeError> {
        let specs = Specs::load(&config.specs)?;
        let verifier = Verifier::new(&config.auth)?;
        let library = specs.library.clone();
        let texts: Vec<(String, String)> = specs.texts.values().cloned().collect();
        let database = config.database.clone();
        let count = config.connections.max(1);
        let stores = tokio::task::spawn_blocking(move || -> Result<Vec<Store>, motcua_store::StoreError> {
            let mut stores = Vec::with_capacity(count);
            for _ in 0..count {
                stores.push(database.open(library.clone())?);
            }
            for (text, file) in &texts {
                stores[0].register_procedure(text, file)?;
            }
            Ok(stores)
        })
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
        let quota =
            Quota::per_second(NonZeroU32::new(config.limits.per_token_per_second.max(1)).unwrap_or(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(config.limits.per_token_burst.max(1)).unwrap_or(NonZeroU32::MIN));
        let state = Arc::new(AppState {
            stores: deadpool::unmanaged::Pool::from(
                stores.into_iter().map(|s| Connection(Some(s))).collect::<Vec<_>>(),
            ),
            specs,
            verifier,
            clock: config.clock.clone(),
            metrics: Metrics::new(),
            limiter: RateLimiter::keyed(quota),
            wasm_package: config.wasm_package.clone(),
            migration_roles: config.migration_roles.clone(),
        });
        Ok(App { state, timer_interval: config.timer_interval, limits: config.limits, webhook: config.webhook })
    }

    /// Whether tokens can be minted at `POST /dev/token` (development keys).
    pub fn is_development(&self) -> bool {
        self.state.verifier.is_development()
    }

    /// The router with every layer: tracing, metrics, coded errors, timeout and body limit.
    pub fn router(&self) -> Router {
        let limits = &self.limits;
        crate::api::routes()
            .merge(crate::desk::routes())
            .layer(axum::extract::DefaultBodyLimit::max(limits.body_bytes))
            .layer(RequestBodyLimitLayer::new(limits.body_bytes))
            .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, limits.request_timeout))
            .layer(axum::middleware::from_fn_with_state(self.state.clone(), observe))
            .layer(TraceLayer::new_for_http())
            .with_state(self.state.clone())
    }

    /// Fires due timers every `timer_interval` until `stop` resolves. Several replicas
    /// may run it on one database: the store claims each timer once.
    fn timers(&self, mut stop: tokio::sync::watch::Receiver<bool>) -> Option<tokio::task::JoinHandle<()>> {
        let interval = self.timer_interval?;
        let state = self.state.clone();
        Some(tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(interval) => {}
                    _ = stop.changed() => return,
                }
                fire_due(&state).await;
                state.limiter.retain_recent();
            }
        }))
    }

    /// Delivers the outbox to the webhook until `stop` changes: a batch at a time, waiting
    /// `interval` when nothing is claimable. A batch under way is finished first.
    fn webhook(&self, mut stop: tokio::sync::watch::Receiver<bool>) -> Option<tokio::task::JoinHandle<()>> {
        let hook = self.webhook.clone()?;
        let state = self.state.clone();
        let worker = crate::api::random_id("webhook-");
        let client = match hook.client() {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "webhook: no HTTP client; the outbox is not delivered");
                return None;
            }
        };
        tracing::info!(url = %hook.url, %worker, "webhook: delivering the outbox");
        Some(tokio::spawn(async move {
            loop {
                let claimed = crate::webhook::deliver_batch(&state, &client, &hook, &worker).await;
                if *stop.borrow() {
                    return;
                }
                if claimed == 0 {
                    tokio::select! {
                        _ = tokio::time::sleep(hook.interval) => {}
                        _ = stop.changed() => return,
                    }
                }
            }
        }))
    }

    /// Serves on `listener` until `shutdown` resolves, then finishes the requests in flight.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let timers = self.timers(stop_rx.clone());
        let webhook = self.webhook(stop_rx);
        let router = self.router();
        let result = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await;
        let _ = stop_tx.send(true);
        for task in [timers, webhook].into_iter().flatten() {
            let _ = task.await;
        }
        result.map_err(ServeError::Io)
    }
}

/// Fires every due timer (in batches of 100), counting what fired.
pub(crate) async fn fire_due(state: &Shared) -> usize {
    let mut total = 0;
    loop {
        let now = (state.clock)();
        let fired = state.with_store(move |store| store.fire_due(now, 100)).await;
        match fired {
            Ok(fired) => {
                let n = fired.fired.len();
                for (id, error) in &fired.failed {
                    tracing::warn!(dossier = %id, code = error.code(), "timer failed; retried later");
                }
                state.metrics.timers_fired.inc_by(n as u64);
                total += n;
                if n < 100 {
                    return total;
                }
            }
            Err(e) => {
                tracing::warn!(code = %e.body.code, "timers: store unavailable");
                return total;
            }
        }
    }
}

/// Counts and times every request, and gives every error response the coded JSON body
/// (a route that does not exist, a method not allowed, a body too large, a timeout).
async fn observe(State(state): State<Shared>, request: Request<Body>, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let response = if status.as_u16() >= 400 && !is_json { coded(status) } else { response };
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels { method, route: route.clone(), status: status.as_u16() })
        .inc();
    state.metrics.latency.get_or_create(&RouteLabels { route }).observe(started.elapsed().as_secs_f64());
    response
}

/// The coded body of an error that no handler wrote.
fn coded(status: StatusCode) -> Response {
    let (code, vi, en) = match status {
        StatusCode::NOT_FOUND => ("not_found", "Không có đường dẫn này", "No such route"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "Phương thức không được hỗ trợ", "Method not allowed"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "Yêu cầu quá thời gian xử lý", "The request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("payload_too_large", "Nội dung yêu cầu quá lớn", "The request body is too large")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "Kiểu nội dung không được hỗ trợ", "Unsupported content type")
        }
        s if s.is_server_error() => ("internal", "Lỗi nội bộ của máy chủ", "Internal server error"),
        _ => ("bad_request", "Yêu cầu không hợp lệ", "Bad request"),
    };
    let mut response = ApiError::new(status, code, "", vi, en).into_response();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    }
    response
}

/// A running service (for tests and embedding): its address, and a way to stop it.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    state: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), ServeError>>,
}

impl Running {
    /// Fires every timer due now (what the timer loop does every `timer_interval`); the
    /// number of dossiers whose timers fired. For hosts that drive timers from a scheduler.
    pub async fn fire_due(&self) -> usize {
        fire_due(&self.state).await
    }

    /// Stops accepting, finishes the requests in flight and waits for the end.
    pub async fn stop(mut self) -> Result<(), ServeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.await.map_err(|e| ServeError::Io(std::io::Error::other(e.to_string())))?
    }
}

/// Opens the service and serves it in the background on `config.listen` (port 0 picks a
/// free port; see [`Running::addr`]).
pub async fn start(config: Config) -> Result<Running, ServeError> {
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let app = App::open(config).await?;
    let state = app.state.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app.serve(listener, async move {
        let _ = rx.await;
    }));
    Ok(Running { addr, state, stop: Some(tx), task })
}

/// Serves until Ctrl-C or SIGTERM, then shuts down gracefully. What `motcua serve` runs.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let app = App::open(config).await?;
    if app.is_development() {
        tracing::warn!(
            "development keys: tokens are minted at POST /dev/token; give --jwt-rsa-key, --jwt-eddsa-key or --jwks for production"
        );
    }
    if app.state.wasm_package.as_ref().is_none_or(|d| !d.join("index.js").is_file()) {
        tracing::info!(
            "no WASM package (bindings/wasm/build.sh builds it): the citizen's form is validated by the service as the citizen types, not in the browser"
        );
    }
    tracing::info!(%addr, "motcua serve: listening (desk at http://{addr}/, citizen's form at http://{addr}/citizen)");
    app.serve(listener, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
