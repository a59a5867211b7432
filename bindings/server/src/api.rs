//! The JSON API: each handler translates HTTP to one call of the core or the store.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use motcua::{Channel, Command, CommandKind, Dossier, Procedure, Submission, SubmittedDocument};
use motcua_store::{DeskQuery, DeskView};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::app::Shared;
use crate::auth::Claims;
use crate::error::{ApiError, ErrorBody};

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .route("/dev/token", post(dev_token))
        .route("/api/v1/procedures", get(list_procedures))
        .route("/api/v1/procedures/{code}", get(get_procedure))
        .route("/api/v1/procedures/{code}/diagram", get(diagram))
        .route("/api/v1/procedures/{code}/source", get(source))
        .route("/api/v1/procedures/{code}/validate", post(validate))
        .route("/api/v1/names", get(names))
        .route("/api/v1/lint", post(lint))
        .route("/api/v1/dossiers", post(submit))
        .route("/api/v1/dossiers/{id}", get(get_dossier))
        .route("/api/v1/dossiers/{id}/history", get(history))
        .route("/api/v1/dossiers/{id}/verify", get(verify))
        .route("/api/v1/dossiers/{id}/actions", get(actions))
        .route("/api/v1/dossiers/{id}/commands", post(command))
        .route("/api/v1/desk", get(desk))
        .route("/api/v1/reports/{month}", get(report))
        .route("/api/v1/outbox/claim", post(outbox_claim))
        .route("/api/v1/outbox/ack", post(outbox_ack))
        .route("/api/v1/outbox/fail", post(outbox_fail))
        .route("/api/v1/migrations", post(migrations))
}

// ---------------------------------------------------------------------------------------
// Extractors with coded errors.

/// A JSON body; a malformed one is `400 invalid_json` at its line and column.
pub(crate) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    e.status(),
                    "payload_too_large",
                    "",
                    "Nội dung yêu cầu quá lớn",
                    "The request body is too large",
                )
            } else {
                ApiError::bad_request(
                    "invalid_body",
                    "",
                    "Không đọc được nội dung yêu cầu",
                    "The request body cannot be read",
                )
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| {
            let place = format!("{}:{}", e.line(), e.column());
            ApiError::bad_request(
                "invalid_json",
                "body",
                &format!("Nội dung JSON không hợp lệ tại dòng:cột {place}: {e}"),
                &format!("Invalid JSON body at line:column {place}: {e}"),
            )
        })
    }
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t).map_err(|e| {
        let detail = e.body_text();
        ApiError::bad_request(
            "invalid_query",
            "query",
            &format!("Tham số truy vấn không hợp lệ: {detail}"),
            &format!("Invalid query parameters: {detail}"),
        )
    })
}

fn path<T>(p: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
    p.map(|Path(t)| t)
        .map_err(|_| ApiError::bad_request("invalid_path", "path", "Đường dẫn không hợp lệ", "Invalid path parameter"))
}

/// The verified caller, within its rate.
fn caller(state: &Shared, headers: &HeaderMap) -> Result<Claims, ApiError> {
    let claims = state.verifier.caller(headers)?;
    if state.limiter.check_key(&claims.sub).is_err() {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "authorization",
            "Gửi quá nhiều yêu cầu; thử lại sau giây lát",
            "Too many requests for this token; try again shortly",
        ));
    }
    Ok(claims)
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    let bad = || {
        ApiError::bad_request(
            "invalid_idempotency_key",
            "idempotency-key",
            "Khóa lặp lại phải gồm 1–200 ký tự ASCII nhìn thấy được",
            "The idempotency key must be 1–200 visible ASCII characters",
        )
    };
    let text = value.to_str().map_err(|_| bad())?.trim();
    if text.is_empty() || text.len() > 200 || !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(text.to_owned()))
}

fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or("").trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    text.parse::<u64>().map(Some).map_err(|_| {
        ApiError::bad_request(
            "invalid_if_match",
            "if-match",
            "If-Match phải là phiên bản hồ sơ, ví dụ \"3\"",
            "If-Match must be the dossier version, e.g. \"3\"",
        )
    })
}

fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

pub(crate) fn random_id(prefix: &str) -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

fn procedure(state: &Shared, code: &str) -> Result<Arc<Procedure>, ApiError> {
    state.specs.procedures.get(code).cloned().ok_or_else(|| {
        ApiError::not_found(
            "code",
            &format!("Không có thủ tục mã `{code}`"),
            &format!("No procedure with code `{code}`"),
        )
    })
}

/// Who may see a dossier: its applicant (the user who submitted it), and officers of the
/// unit it was filed with or of a unit that handled one of its steps.
fn may_see(claims: &Claims, dossier: &Dossier) -> bool {
    if claims.is_citizen() {
        let submitter = dossier.history().first().and_then(|e| e.actor.user.as_deref());
        return submitter == Some(claims.sub.as_str());
    }
    let Some(unit) = claims.unit.as_deref() else { return false };
    dossier.jurisdiction() == unit
        || dossier.active().iter().any(|a| a.unit.as_deref() == Some(unit))
        || dossier.log().iter().any(|r| r.unit.as_deref() == Some(unit))
}

fn no_dossier(id: &str) -> ApiError {
    ApiError::not_found("id", &format!("Không tìm thấy hồ sơ `{id}`"), &format!("No dossier `{id}`"))
}

/// Loads a dossier the caller may see; any other is `404` (its existence is not told).
async fn visible_dossier(state: &Shared, claims: &Claims, id: &str) -> Result<Dossier, ApiError> {
    let owned = id.to_owned();
    let dossier = match state.with_store(move |s| s.dossier(&owned)).await {
        Err(e) if e.body.code == "not_found" => return Err(no_dossier(id)),
        other => other?,
    };
    if !may_see(claims, &dossier) {
        return Err(no_dossier(id));
    }
    Ok(dossier)
}

// ---------------------------------------------------------------------------------------
// Operations.

/// Liveness: the process answers.
#[utoipa::path(get, path = "/health/live", tag = "operations", responses((status = 200, description = "Alive", body = Object)))]
async fn live() -> Json<Value> {
    Json(json!({"status": "live"}))
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/health/ready", tag = "operations",
    responses((status = 200, description = "Ready", body = Object), (status = 503, description = "The database does not answer", body = ErrorBody)))]
async fn ready(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    let version = state.with_store(|s| s.schema_version()).await?;
    Ok(Json(json!({"status": "ready", "schema_version": version})))
}

/// Prometheus metrics: requests, latency, commands by outcome and code, outbox depth,
/// timers due.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
async fn metrics(State(state): State<Shared>) -> Response {
    let now = (state.clock)();
    if let Ok((depth, due)) = state.with_store(move |s| Ok((s.outbox_depth()?, s.timers_due(now)?))).await {
        state.metrics.outbox_depth.set(depth as i64);
        state.metrics.timers_due.set(due as i64);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render()).into_response()
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "operations", responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)))]
async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

/// A development token request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevTokenRequest {
    /// The user.
    pub sub: String,
    /// The role.
    pub role: String,
    /// The agency kind (officers).
    #[serde(default)]
    pub agency: Option<String>,
    /// The administrative unit (officers).
    #[serde(default)]
    pub unit: Option<String>,
}

/// Development only: a token for any identity, valid 12 hours. `404` with real keys.
#[utoipa::path(post, path = "/dev/token", tag = "operations", request_body = DevTokenRequest,
    responses((status = 200, description = "A token", body = Object), (status = 404, description = "Not in development", body = ErrorBody)))]
async fn dev_token(
    State(state): State<Shared>,
    JsonBody(request): JsonBody<DevTokenRequest>,
) -> Result<Json<Value>, ApiError> {
    if !state.verifier.is_development() {
        return Err(ApiError::not_found("", "Không có đường dẫn này", "No such route"));
    }
    let exp = (state.clock)().timestamp().max(0) as u64 + 12 * 3600;
    let exp = exp.max(chrono::Utc::now().timestamp().max(0) as u64 + 12 * 3600);
    let claims = Claims {
        sub: request.sub,
        role: request.role,
        agency: request.agency,
        unit: request.unit,
        exp,
        iss: None,
        aud: None,
    };
    let token = state.verifier.mint(&claims).ok_or_else(ApiError::internal)?;
    Ok(Json(json!({"token": token, "claims": claims})))
}

// ---------------------------------------------------------------------------------------
// Procedures and forms.

/// A procedure the service runs.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureSummary {
    /// National procedure code.
    pub code: String,
    /// Version of the spec new dossiers open under.
    pub version: String,
    /// Name.
    #[schema(value_type = Object)]
    pub name: motcua::Text,
}

/// Every procedure new dossiers may open under.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "procedures", responses((status = 200, description = "The procedures", body = Vec<ProcedureSummary>)))]
async fn list_procedures(State(state): State<Shared>) -> Json<Vec<ProcedureSummary>> {
    Json(
        state
            .specs
            .procedures
            .values()
            .map(|p| ProcedureSummary {
                code: p.code().to_owned(),
                version: p.version().to_owned(),
                name: p.spec().name.clone(),
            })
            .collect(),
    )
}

/// Which version of a procedure to show.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProcedureQuery {
    /// A stored version (e.g. a dossier's `procedure_version`, which it is pinned to); by
    /// default the version new dossiers open under.
    pub version: Option<String>,
}

/// A procedure as written (name, legal basis, deadline, documents, form, steps, outcomes),
/// its lint warnings and the versions stored; `?version=` shows a stored older version, such
/// as the one a running dossier is pinned to.
#[utoipa::path(get, path = "/api/v1/procedures/{code}", tag = "procedures",
    params(("code" = String, Path, description = "National procedure code"), ProcedureQuery),
    responses((status = 200, description = "The procedure", body = Object), (status = 400, description = "Malformed query", body = ErrorBody), (status = 404, description = "No such procedure or version", body = ErrorBody)))]
async fn get_procedure(
    State(state): State<Shared>,
    code: Result<Path<String>, PathRejection>,
    q: Result<Query<ProcedureQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let code = path(code)?;
    let q = query(q)?;
    let current = procedure(&state, &code)?;
    let owned = code.clone();
    let (versions, procedure) = state
        .with_store(move |s| {
            let versions = s.procedure_versions(&owned)?;
            let procedure = match q.version {
                Some(v) if v != current.version() => {
                    if !versions.iter().any(|stored| stored.version == v) {
                        return Ok((versions, None));
                    }
                    s.procedure(&owned, &v)?
                }
                _ => current,
            };
            Ok((versions, Some(procedure)))
        })
        .await?;
    let Some(procedure) = procedure else {
        return Err(ApiError::not_found(
            "version",
            &format!("Thủ tục {code} không có phiên bản này trong kho"),
            &format!("Procedure {code} has no such stored version"),
        ));
    };
    // Written straight from the spec, not through a `Value`: the fields, documents and steps
    // keep the order the spec gives them (a form is drawn in that order).
    #[derive(Serialize)]
    struct Shown<'a> {
        code: &'a str,
        version: &'a str,
        current: bool,
        info: &'a motcua::spec::procedure::ProcedureSpec,
        warnings: &'a [motcua::Diagnostic],
        versions: &'a [motcua_store::ProcedureVersion],
    }
    let current = procedure.version() == versions.last().map_or("", |v| v.version.as_str());
    let shown = Shown {
        code: procedure.code(),
        version: procedure.version(),
        current,
        info: procedure.spec(),
        warnings: procedure.warnings(),
        versions: &versions,
    };
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(shown)).into_response())
}

/// The names of the codes the API answers with, from the service's catalogue and units.
#[derive(Debug, Serialize, ToSchema)]
pub struct Names {
    /// Agency kinds (`commune_committee`, …) by code.
    #[schema(value_type = Object)]
    pub agencies: BTreeMap<String, motcua::Text>,
    /// Roles (`one_stop_officer`, …) by code.
    #[schema(value_type = Object)]
    pub roles: BTreeMap<String, motcua::Text>,
    /// Administrative units (`00004`, …) by code (empty without `units/`).
    #[schema(value_type = Object)]
    pub units: BTreeMap<String, motcua::Text>,
}

/// The names (vi, en) of agency kinds, roles and administrative units, so that a page can
/// show "Phường Ba Đình" where the API says `00004`.
#[utoipa::path(get, path = "/api/v1/names", tag = "procedures", responses((status = 200, description = "The names", body = Names)))]
async fn names(State(state): State<Shared>) -> Response {
    let library = &state.specs.library;
    let catalogue = library.catalogue().spec();
    let body = Names {
        agencies: catalogue.agencies.iter().map(|(k, a)| (k.clone(), a.name.clone())).collect(),
        roles: catalogue.roles.iter().map(|(k, r)| (k.clone(), r.name.clone())).collect(),
        units: library
            .units()
            .map(|u| u.spec().units.iter().map(|(k, u)| (k.clone(), u.name.clone())).collect())
            .unwrap_or_default(),
    };
    ([(header::CACHE_CONTROL, "max-age=300")], Json(body)).into_response()
}

/// A spec file as the service read it from its specs folder.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceText {
    /// Its path below the specs folder (`procedures/…`, `catalogue/…`, `calendars/…`).
    pub file: String,
    /// Its text, exactly as read.
    pub text: String,
}

/// Everything a procedure is compiled from, as the service runs it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureSource {
    /// National procedure code.
    pub code: String,
    /// The version new dossiers open under.
    pub version: String,
    /// The procedure's spec.
    pub procedure: SourceText,
    /// The catalogue it compiles against.
    pub catalogue: SourceText,
    /// The calendars, in the order they load (a calendar after the one it extends).
    pub calendars: Vec<SourceText>,
}

/// The exact texts the service compiled a procedure from: its spec, the catalogue and the
/// calendars of the service's specs folder. The browser module
/// (`Engine.load({catalogue, calendars}).loadProcedure(procedure.text, procedure.file)`)
/// compiles them into the same rules the service validates with.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/source", tag = "procedures", params(("code" = String, Path, description = "National procedure code")),
    responses((status = 200, description = "The source texts", body = ProcedureSource), (status = 404, description = "No such procedure", body = ErrorBody)))]
async fn source(State(state): State<Shared>, code: Result<Path<String>, PathRejection>) -> Result<Response, ApiError> {
    let code = path(code)?;
    let procedure = procedure(&state, &code)?;
    let (text, file) = state.specs.texts.get(&code).cloned().ok_or_else(ApiError::internal)?;
    let texts = |f: &crate::specs::SourceFile| SourceText { file: f.file.clone(), text: f.text.clone() };
    let body = ProcedureSource {
        code: procedure.code().to_owned(),
        version: procedure.version().to_owned(),
        procedure: SourceText { file: format!("procedures/{file}"), text },
        catalogue: texts(&state.specs.catalogue),
        calendars: state.specs.calendars.iter().map(texts).collect(),
    };
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(body)).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DiagramQuery {
    /// `mermaid` (default) or `dot`.
    format: Option<String>,
    /// `vi` (default) or `en`.
    lang: Option<String>,
}

/// The procedure drawn as Mermaid or Graphviz DOT text.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/diagram", tag = "procedures",
    params(("code" = String, Path, description = "National procedure code"), DiagramQuery),
    responses((status = 200, description = "The diagram source", body = String, content_type = "text/plain"), (status = 400, description = "Bad format", body = ErrorBody), (status = 404, description = "No such procedure", body = ErrorBody)))]
async fn diagram(
    State(state): State<Shared>,
    code: Result<Path<String>, PathRejection>,
    q: Result<Query<DiagramQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let code = path(code)?;
    let q = query(q)?;
    let procedure = procedure(&state, &code)?;
    let lang = match q.lang.as_deref() {
        None | Some("vi") => "vi",
        Some("en") => "en",
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "lang",
                "Ngôn ngữ phải là vi hoặc en",
                "lang must be vi or en",
            ));
        }
    };
    let text = match q.format.as_deref() {
        None | Some("mermaid") => motcua::diagram::mermaid(&procedure, lang),
        Some("dot") => motcua::diagram::dot(&procedure, lang),
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "format",
                "Định dạng phải là mermaid hoặc dot",
                "format must be mermaid or dot",
            ));
        }
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// Form data to validate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// The form data.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub data: Value,
    /// The documents submitted.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub documents: Vec<SubmittedDocument>,
    /// The date relative rules are checked on (default: today on the service's clock).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub today: Option<NaiveDate>,
}

/// Validates form data and documents with exactly the rules the browser module and the
/// engine use: every problem with its JSON path, code and messages.
#[utoipa::path(post, path = "/api/v1/procedures/{code}/validate", tag = "procedures", request_body = ValidateRequest,
    params(("code" = String, Path, description = "National procedure code")),
    responses((status = 200, description = "The problems (none when valid)", body = Object), (status = 400, description = "Malformed", body = ErrorBody), (status = 404, description = "No such procedure", body = ErrorBody)))]
async fn validate(
    State(state): State<Shared>,
    code: Result<Path<String>, PathRejection>,
    JsonBody(request): JsonBody<ValidateRequest>,
) -> Result<Json<Value>, ApiError> {
    let code = path(code)?;
    let procedure = procedure(&state, &code)?;
    let today = request.today.unwrap_or_else(|| (state.clock)().date_naive());
    let validation = procedure.form().validate(&request.data, &request.documents, today);
    Ok(Json(json!({"valid": validation.is_valid(), "problems": validation.problems})))
}

/// A spec to lint.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LintRequest {
    /// The procedure spec, YAML (or JSON) text.
    pub text: String,
    /// The file name diagnostics are placed in (default `procedure.yaml`).
    #[serde(default)]
    pub file: Option<String>,
}

/// Compiles and lints a posted procedure spec against the service's catalogue,
/// calendars and units: every error and warning at its line and column.
#[utoipa::path(post, path = "/api/v1/lint", tag = "procedures", request_body = LintRequest, security(("bearer" = [])),
    responses((status = 200, description = "Diagnostics; `ok` when the spec loads", body = Object), (status = 401, description = "No valid token", body = ErrorBody)))]
async fn lint(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<LintRequest>,
) -> Result<Json<Value>, ApiError> {
    caller(&state, &headers)?;
    let file = request.file.unwrap_or_else(|| "procedure.yaml".to_owned());
    let library = state.specs.library.clone();
    let result = tokio::task::spawn_blocking(move || {
        let loaded = if file.ends_with(".json") {
            Procedure::from_json(&request.text, &file, &library)
        } else {
            Procedure::from_yaml(&request.text, &file, &library)
        };
        match loaded {
            Ok(p) => json!({"ok": true, "code": p.code(), "version": p.version(), "diagnostics": p.warnings()}),
            Err(e) => json!({"ok": false, "diagnostics": e.diagnostics()}),
        }
    })
    .await
    .map_err(|_| ApiError::internal())?;
    Ok(Json(result))
}

// ---------------------------------------------------------------------------------------
// Dossiers.

/// A submission (*nộp hồ sơ*). The actor comes from the token, the time from the
/// service's clock, the idempotency key from the `Idempotency-Key` header.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// The procedure code.
    pub procedure: String,
    /// The dossier id (*mã hồ sơ*); by default derived from the user and the idempotency
    /// key, or random without a key.
    #[serde(default)]
    pub dossier_id: Option<String>,
    /// `online` (default for applicants), `in_person` (default for officers) or `postal`.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub channel: Option<Channel>,
    /// The administrative unit the dossier is filed with (e.g. a commune code).
    pub jurisdiction: String,
    /// The form data.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub data: Value,
    /// The documents.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub documents: Vec<SubmittedDocument>,
    /// Desk intake of an incomplete dossier (officers only).
    #[serde(default)]
    pub allow_incomplete: bool,
}

/// A dossier after a submission or a command.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outcome {
    /// The dossier snapshot (`specs/schema/runtime/dossier.schema.json`).
    #[schema(value_type = Object)]
    pub dossier: Dossier,
    /// Events, effects and problems (`specs/schema/runtime/applied.schema.json`);
    /// `duplicate` when this was a retry.
    #[schema(value_type = Object)]
    pub applied: motcua::Applied,
}

fn outcome_response(status: StatusCode, stored: motcua_store::Stored) -> Response {
    let version = stored.dossier.version();
    let duplicate = stored.applied.duplicate;
    let id = stored.dossier.id().to_owned();
    let mut response = (status, Json(Outcome { dossier: stored.dossier, applied: stored.applied })).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/dossiers/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if duplicate {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

fn record(state: &Shared, result: &Result<motcua_store::Stored, ApiError>) {
    match result {
        Ok(s) if s.applied.duplicate => state.metrics.command("duplicate", ""),
        Ok(_) => state.metrics.command("accepted", ""),
        Err(e) => state.metrics.command("refused", &e.body.code),
    }
}

fn valid_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > 100 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
        return Err(ApiError::bad_request(
            "invalid_dossier_id",
            "dossier_id",
            "Mã hồ sơ gồm 1–100 chữ, số, '-', '_' hoặc '.'",
            "A dossier id is 1–100 letters, digits, '-', '_' or '.'",
        ));
    }
    Ok(())
}

/// Opens a dossier. A retry with the same `Idempotency-Key` returns the original outcome.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers", request_body = SubmitRequest, security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the original outcome")),
    responses((status = 201, description = "Opened", body = Outcome), (status = 200, description = "A retry: the original outcome", body = Outcome),
        (status = 422, description = "Refused by the engine (invalid_form, …)", body = ErrorBody), (status = 409, description = "The id or key was used for another submission", body = ErrorBody)))]
async fn submit(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<SubmitRequest>,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &headers)?;
    let key = idempotency_key(&headers)?;
    procedure(&state, &request.procedure)?;
    let dossier_id = match (&request.dossier_id, &key) {
        (Some(id), _) => id.clone(),
        (None, Some(key)) => {
            use sha2::Digest;
            // The same user and key give the same id on every replica, build and restart.
            let digest = sha2::Sha256::digest(format!("{}\n{key}", claims.sub).as_bytes());
            let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
            format!("HS-{hex}")
        }
        (None, None) => random_id("HS-"),
    };
    valid_id(&dossier_id)?;
    let command_id = key.clone().unwrap_or_else(|| format!("{dossier_id}/submit"));
    let channel = request.channel.unwrap_or(if claims.is_citizen() { Channel::Online } else { Channel::InPerson });
    let now = (state.clock)();
    let actor = claims.actor();
    let code = request.procedure.clone();
    let result = state
        .with_store(move |s| {
            let at = s.command_time(&dossier_id, &command_id)?.unwrap_or(now);
            let mut submission = Submission::new(dossier_id, at, actor, channel, request.jurisdiction)
                .with_data(request.data, request.documents);
            submission.command_id = command_id;
            submission.allow_incomplete = request.allow_incomplete;
            s.submit(&code, submission)
        })
        .await;
    record(&state, &result);
    let stored = result?;
    let status = if stored.applied.duplicate { StatusCode::OK } else { StatusCode::CREATED };
    Ok(outcome_response(status, stored))
}

/// A dossier's snapshot; `ETag` is its version, for `If-Match` on commands.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}", tag = "dossiers", security(("bearer" = [])), params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "The dossier", body = Object), (status = 404, description = "No such dossier for this caller", body = ErrorBody)))]
async fn get_dossier(
    State(state): State<Shared>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &headers)?;
    let id = path(id)?;
    let dossier = visible_dossier(&state, &claims, &id).await?;
    let version = dossier.version();
    let mut response = Json(dossier).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    Ok(response)
}

/// A dossier's events, the source of truth, hash-chained.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/history", tag = "dossiers", security(("bearer" = [])), params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "The events", body = Vec<Object>), (status = 404, description = "No such dossier for this caller", body = ErrorBody)))]
async fn history(
    State(state): State<Shared>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<motcua::Event>>, ApiError> {
    let claims = caller(&state, &headers)?;
    let id = path(id)?;
    let dossier = visible_dossier(&state, &claims, &id).await?;
    Ok(Json(dossier.history().to_vec()))
}

/// Checks a stored dossier against its history: hash chain, head, snapshot, index.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/verify", tag = "dossiers", security(("bearer" = [])), params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "Everything checks out", body = Object), (status = 500, description = "integrity: it does not", body = ErrorBody), (status = 404, description = "No such dossier for this caller", body = ErrorBody)))]
async fn verify(
    State(state): State<Shared>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let claims = caller(&state, &headers)?;
    let id = path(id)?;
    visible_dossier(&state, &claims, &id).await?;
    let verified = state.with_store(move |s| s.verify(&id)).await?;
    Ok(Json(
        json!({"ok": true, "events": verified.events, "version": verified.version, "head": verified.head, "snapshot": verified.snapshot}),
    ))
}

/// An action an active step offers, and whether the caller may take it now.
#[derive(Debug, Serialize, ToSchema)]
pub struct AvailableAction {
    /// The step.
    pub step: String,
    /// The step's name.
    #[schema(value_type = Object)]
    pub step_name: motcua::Text,
    /// The action.
    pub action: String,
    /// The action's name.
    #[schema(value_type = Object)]
    pub name: motcua::Text,
    /// Whether the engine would accept it from the caller now (the form as it stands).
    pub allowed: bool,
    /// When not: the engine's code (`forbidden`, `wrong_unit`, `invalid_form`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The actions of the active steps, each tried for the caller on a copy of the dossier:
/// `allowed` is exactly what the engine would decide.
#[utoipa::path(get, path = "/api/v1/dossiers/{id}/actions", tag = "dossiers", security(("bearer" = [])), params(("id" = String, Path, description = "Dossier id")),
    responses((status = 200, description = "The actions", body = Vec<AvailableAction>), (status = 404, description = "No such dossier for this caller", body = ErrorBody)))]
async fn actions(
    State(state): State<Shared>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<AvailableAction>>, ApiError> {
    let claims = caller(&state, &headers)?;
    let id = path(id)?;
    let dossier = visible_dossier(&state, &claims, &id).await?;
    let (code, version) = (dossier.procedure_code().to_owned(), dossier.procedure_version().to_owned());
    let procedure = state.with_store(move |s| s.procedure(&code, &version)).await?;
    let now = (state.clock)().max(dossier.updated_at());
    let actor = claims.actor();
    let mut out = Vec::new();
    for (step, action) in dossier.available_actions(&procedure) {
        let Some(s) = procedure.step_by_id(step) else { continue };
        let Some((_, a)) = s.action(action) else { continue };
        let mut copy = dossier.clone();
        let try_it = Command {
            id: random_id("dry-run-"),
            at: now,
            actor: actor.clone(),
            expected_version: None,
            kind: CommandKind::Act {
                action: action.to_owned(),
                step: Some(step.to_owned()),
                data: None,
                documents: None,
            },
        };
        let result = copy.apply(&procedure, &try_it);
        out.push(AvailableAction {
            step: step.to_owned(),
            step_name: s.name().clone(),
            action: action.to_owned(),
            name: a.name().clone(),
            allowed: result.is_ok(),
            code: result.err().map(|r| r.code.as_str().to_owned()),
        });
    }
    Ok(Json(out))
}

/// Applies a command. The body is the command's kind as the core defines it
/// (`{"type": "act", "action": "accept"}`, `{"type": "extend", …}`, …); the actor comes
/// from the token, the time from the service's clock, the version from `If-Match`, the
/// command id from `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/dossiers/{id}/commands", tag = "dossiers", request_body = Object, security(("bearer" = [])),
    params(("id" = String, Path, description = "Dossier id"),
        ("If-Match" = Option<String>, Header, description = "The version the command was decided on (the dossier's ETag)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the original outcome")),
    responses((status = 200, description = "Applied (or a retry: the original outcome)", body = Outcome),
        (status = 403, description = "forbidden, wrong_unit", body = ErrorBody), (status = 404, description = "No such dossier for this caller", body = ErrorBody),
        (status = 409, description = "dossier_closed, version_conflict (no If-Match), idempotency_conflict", body = ErrorBody),
        (status = 412, description = "version_conflict: If-Match is not the dossier's version", body = ErrorBody),
        (status = 422, description = "Refused by the engine", body = ErrorBody)))]
async fn command(
    State(state): State<Shared>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let claims = caller(&state, &headers)?;
    let kind = command_kind(body)?;
    let id = path(id)?;
    let key = idempotency_key(&headers)?;
    let expected = if_match(&headers)?;
    let now = (state.clock)();
    let actor = claims.actor();
    let command_id = key.unwrap_or_else(|| random_id("cmd-"));
    let owned = id.clone();
    // Who may see the dossier is checked on the dossier the command loads anyway (one
    // load); one the caller may not see is `404`, as one that does not exist.
    let result = state
        .with_store(move |s| {
            let at = s.command_time(&owned, &command_id)?.unwrap_or(now);
            let command = Command { id: command_id, at, actor, expected_version: expected, kind };
            s.apply_if_visible(&owned, &command, |dossier| may_see(&claims, dossier))
        })
        .await;
    record(&state, &result);
    match result {
        Err(e) if e.body.code == "not_found" => Err(no_dossier(&id)),
        Err(mut e) if e.body.code == "version_conflict" && expected.is_some() => {
            e.status = StatusCode::PRECONDITION_FAILED;
            Err(e)
        }
        other => Ok(outcome_response(StatusCode::OK, other?)),
    }
}

/// The command's kind from a body that must not say who or when.
fn command_kind(body: Value) -> Result<CommandKind, ApiError> {
    for (field, vi, en) in [
        (
            "actor",
            "Người thực hiện lấy từ mã xác thực, không từ nội dung yêu cầu",
            "The actor comes from the token, not the body",
        ),
        ("at", "Thời điểm do máy chủ ghi nhận", "The time is the service's"),
        ("id", "Mã lệnh đặt trong tiêu đề Idempotency-Key", "The command id goes in the Idempotency-Key header"),
        ("expected_version", "Phiên bản đặt trong tiêu đề If-Match", "The version goes in the If-Match header"),
    ] {
        if body.get(field).is_some() {
            return Err(ApiError::bad_request("invalid_command", field, vi, en));
        }
    }
    serde_json::from_value(body).map_err(|e| {
        ApiError::bad_request(
            "invalid_command",
            "type",
            &format!("Lệnh không hợp lệ: {e}"),
            &format!("Not a command: {e}"),
        )
    })
}

// ---------------------------------------------------------------------------------------
// The desk and the report.

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DeskParams {
    /// `open` (default), `due_soon`, `late` or `suspended`.
    view: Option<String>,
    /// For `due_soon`: appointments within this many working days on the procedure's
    /// calendar (default 2, at most 366): from a Friday 10:00, `2` reaches Tuesday 10:00,
    /// across the weekend and any holiday.
    days: Option<u32>,
    /// Only this procedure code.
    procedure: Option<String>,
    /// Only this national status code.
    status: Option<u8>,
    /// Page size, 1–500 (default 50).
    limit: Option<usize>,
    /// The `next` cursor of the previous page.
    after: Option<String>,
}

/// One row of an officer's work list.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeskEntry {
    /// The store's row: id, procedure, unit, status, appointment, suspended, next timer.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub row: motcua_store::DeskRow,
    /// Working minutes until the appointment on the procedure's calendar (negative: late).
    pub working_minutes_left: i64,
    /// `green` (more than a working day left), `amber` (a working day or less), `red`
    /// (late), `grey` (suspended).
    pub signal: String,
}

/// The caller's work list: open dossiers with a step of the officer's agency kind
/// handled in the officer's unit, by appointment.
#[utoipa::path(get, path = "/api/v1/desk", tag = "desk", security(("bearer" = [])), params(DeskParams),
    responses((status = 200, description = "A page of the list", body = Object), (status = 400, description = "invalid_query", body = ErrorBody),
        (status = 403, description = "Applicants have no desk", body = ErrorBody),
        (status = 422, description = "outside_calendar: the `due_soon` horizon falls outside the years the calendar covers", body = ErrorBody)))]
async fn desk(
    State(state): State<Shared>,
    headers: HeaderMap,
    q: Result<Query<DeskParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let claims = caller(&state, &headers)?;
    let q = query(q)?;
    if claims.is_citizen() {
        return Err(ApiError::forbidden(
            "authorization",
            "Người nộp hồ sơ không có danh sách công việc",
            "Applicants have no desk",
        ));
    }
    let now = (state.clock)();
    // For `due_soon`, each procedure's horizon on its own calendar.
    let mut horizons = BTreeMap::new();
    let view = match q.view.as_deref() {
        None | Some("open") => DeskView::Open,
        Some("late") => DeskView::Late,
        Some("suspended") => DeskView::Suspended,
        Some("due_soon") => {
            horizons = due_soon_horizons(&state, q.procedure.as_deref(), now, q.days.unwrap_or(2).min(366))?;
            DeskView::DueSoon { until: horizons.values().max().copied().unwrap_or(now) }
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "view",
                "view phải là open, due_soon, late hoặc suspended",
                "view must be open, due_soon, late or suspended",
            ));
        }
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request("invalid_query", "limit", "limit từ 1 đến 500", "limit must be 1–500"));
    }
    let query = DeskQuery {
        agency: claims.agency.clone(),
        handled_in: claims.unit.clone(),
        procedure: q.procedure,
        status: q.status,
        limit,
        after: q.after,
        ..DeskQuery::new(now, view)
    };
    let page = match state.with_store(move |s| s.desk(&query)).await {
        Err(e) if e.body.code == "not_found" => {
            return Err(ApiError::bad_request(
                "invalid_query",
                "after",
                "Con trỏ trang không hợp lệ",
                "Invalid page cursor",
            ));
        }
        other => other?,
    };
    let rows: Vec<DeskEntry> = page
        .rows
        .into_iter()
        // The store's bound is the farthest horizon; a procedure on a shorter calendar
        // keeps only its own (such a page may hold fewer than `limit` rows).
        .filter(|row| horizons.get(&row.procedure).is_none_or(|until| row.appointment <= *until))
        .map(|row| desk_entry(&state, row, now))
        .collect();
    Ok(Json(json!({"rows": rows, "next": page.next})))
}

/// The end of `days` working days from `now` on the calendar of each procedure (only
/// `only`, when the list is for one): the horizon of the `due_soon` view.
fn due_soon_horizons(
    state: &Shared,
    only: Option<&str>,
    now: DateTime<FixedOffset>,
    days: u32,
) -> Result<BTreeMap<String, DateTime<FixedOffset>>, ApiError> {
    let mut horizons = BTreeMap::new();
    for (code, procedure) in &state.specs.procedures {
        if only.is_some_and(|only| only != code) {
            continue;
        }
        let until = procedure.calendar().add(now, motcua::WorkingDuration::days(days)).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.code().as_str(),
                "days",
                &format!("Không tính được {days} ngày làm việc: {}", e.message().vi),
                &format!("Cannot count {days} working days: {}", e.message().en),
            )
        })?;
        horizons.insert(code.clone(), until);
    }
    Ok(horizons)
}

fn desk_entry(state: &Shared, row: motcua_store::DeskRow, now: DateTime<FixedOffset>) -> DeskEntry {
    let appointment = row.appointment.with_timezone(&now.timezone());
    let minutes = state.specs.procedures.get(&row.procedure).and_then(|p| {
        let calendar = p.calendar();
        if appointment >= now {
            calendar.elapsed(now, appointment).ok().map(|m| m as i64)
        } else {
            calendar.elapsed(appointment, now).ok().map(|m| -(m as i64))
        }
    });
    let minutes = minutes.unwrap_or_else(|| (appointment - now).num_minutes());
    let day = state.specs.procedures.get(&row.procedure).map_or(480, |p| i64::from(p.calendar().day_minutes()));
    let signal = if row.suspended {
        "grey"
    } else if minutes < 0 {
        "red"
    } else if minutes <= day {
        "amber"
    } else {
        "green"
    };
    DeskEntry { row, working_minutes_left: minutes, signal: signal.to_owned() }
}

/// The monthly report (*báo cáo tình hình giải quyết hồ sơ*) for `YYYY-MM`: one row per
/// procedure with the national reporting counts. Officers only.
#[utoipa::path(get, path = "/api/v1/reports/{month}", tag = "desk", security(("bearer" = [])), params(("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, description = "The report", body = Vec<Object>), (status = 400, description = "Bad month", body = ErrorBody), (status = 403, description = "Applicants have no report", body = ErrorBody)))]
async fn report(
    State(state): State<Shared>,
    headers: HeaderMap,
    month: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let claims = caller(&state, &headers)?;
    let month = path(month)?;
    if claims.is_citizen() {
        return Err(ApiError::forbidden(
            "authorization",
            "Chỉ cán bộ xem được báo cáo",
            "Only officers see the report",
        ));
    }
    let bad =
        || ApiError::bad_request("invalid_path", "month", "Tháng phải có dạng YYYY-MM", "The month must be YYYY-MM");
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    if month.len() != 7 {
        return Err(bad());
    }
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(bad)?;
    let offset = (state.clock)().timezone();
    let at = |d: NaiveDate| d.and_hms_opt(0, 0, 0).and_then(|t| t.and_local_timezone(offset).single()).ok_or_else(bad);
    let (from, to) = (at(first)?, at(next)?);
    let rows = state.with_store(move |s| s.report(from, to)).await?;
    Ok(Json(json!({"month": month, "rows": rows})))
}

// ---------------------------------------------------------------------------------------
// The outbox, for integration workers (role `outbox_worker`).

fn worker(state: &Shared, headers: &HeaderMap) -> Result<Claims, ApiError> {
    let claims = caller(state, headers)?;
    if claims.role != "outbox_worker" {
        return Err(ApiError::forbidden(
            "authorization",
            "Chỉ dịch vụ chuyển phát (vai trò outbox_worker) nhận được hàng đợi",
            "Only delivery workers (role outbox_worker) use the outbox",
        ));
    }
    Ok(claims)
}

/// A claim on the outbox.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    /// At most this many effects, 1–1000 (default 100).
    #[serde(default)]
    pub limit: Option<usize>,
    /// The lease, seconds, 1–3600 (default 30): unacknowledged effects are handed out again after it.
    #[serde(default)]
    pub lease_seconds: Option<i64>,
}

/// An effect handed to a worker.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryBody {
    /// Its idempotency key: receivers de-duplicate on it.
    pub key: String,
    /// The dossier.
    pub dossier_id: String,
    /// The event that produced it.
    pub seq: u64,
    /// Which attempt this is, from 1.
    pub attempt: u32,
    /// The effect (`specs/schema/runtime/effect.schema.json`).
    #[schema(value_type = Object)]
    pub effect: motcua::Effect,
}

/// Leases effects to the calling worker (the token's subject), in order per dossier.
/// Delivery is at least once: acknowledge each, or it comes back after the lease.
#[utoipa::path(post, path = "/api/v1/outbox/claim", tag = "outbox", request_body = ClaimRequest, security(("bearer" = [])),
    responses((status = 200, description = "The effects leased", body = Vec<DeliveryBody>), (status = 403, description = "Not a worker", body = ErrorBody)))]
async fn outbox_claim(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<ClaimRequest>,
) -> Result<Json<Vec<DeliveryBody>>, ApiError> {
    let claims = worker(&state, &headers)?;
    let limit = request.limit.unwrap_or(100);
    let lease = request.lease_seconds.unwrap_or(30);
    if !(1..=1000).contains(&limit) || !(1..=3600).contains(&lease) {
        return Err(ApiError::bad_request(
            "invalid_body",
            "limit",
            "limit 1–1000, lease_seconds 1–3600",
            "limit must be 1–1000 and lease_seconds 1–3600",
        ));
    }
    let now = (state.clock)();
    let batch = state.with_store(move |s| s.claim(&claims.sub, limit, chrono::Duration::seconds(lease), now)).await?;
    Ok(Json(
        batch
            .into_iter()
            .map(|d| DeliveryBody {
                key: d.key,
                dossier_id: d.dossier_id,
                seq: d.seq,
                attempt: d.attempt,
                effect: d.effect,
            })
            .collect(),
    ))
}

/// An acknowledgement or a failure report of one delivery.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    /// The effect's key.
    pub key: String,
    /// For a failure: what went wrong (kept for the person who looks at dead letters).
    #[serde(default)]
    pub error: Option<String>,
}

/// Acknowledges a delivered effect. `acknowledged` is false when the lease was lost.
#[utoipa::path(post, path = "/api/v1/outbox/ack", tag = "outbox", request_body = AckRequest, security(("bearer" = [])),
    responses((status = 200, description = "Whether the lease was still the worker's", body = Object), (status = 403, description = "Not a worker", body = ErrorBody)))]
async fn outbox_ack(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<AckRequest>,
) -> Result<Json<Value>, ApiError> {
    let claims = worker(&state, &headers)?;
    let done = state.with_store(move |s| s.ack(&claims.sub, &request.key)).await?;
    Ok(Json(json!({"acknowledged": done})))
}

/// Reports a failed delivery: the effect is retried after a backoff, and set aside as
/// dead after too many attempts.
#[utoipa::path(post, path = "/api/v1/outbox/fail", tag = "outbox", request_body = AckRequest, security(("bearer" = [])),
    responses((status = 200, description = "Whether the lease was still the worker's", body = Object), (status = 403, description = "Not a worker", body = ErrorBody)))]
async fn outbox_fail(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<AckRequest>,
) -> Result<Json<Value>, ApiError> {
    let claims = worker(&state, &headers)?;
    let now = (state.clock)();
    let error = request.error.unwrap_or_default();
    let done = state.with_store(move |s| s.fail(&claims.sub, &request.key, &error, now)).await?;
    Ok(Json(json!({"recorded": done})))
}

// ---------------------------------------------------------------------------------------
// Moving running dossiers to a new version (procedure administrators only).

/// A migration of every running dossier of a procedure version to another
/// (`POST /api/v1/migrations`).
///
/// ```
/// let request: motcua_server::MigrationRequest = serde_json::from_value(serde_json::json!({
///     "migration": "motcua: 1\nprocedure: \"1.001612\"\n…", "dry_run": true, "batch": 50
/// })).unwrap();
/// assert!(request.dry_run && request.file.is_none());
/// // No move by omission, and no actor from the body.
/// assert!(serde_json::from_value::<motcua_server::MigrationRequest>(serde_json::json!({"migration": ""})).is_err());
/// assert!(serde_json::from_value::<motcua_server::MigrationRequest>(
///     serde_json::json!({"migration": "", "dry_run": false, "actor": {"role": "x"}})).is_err());
/// ```
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrationRequest {
    /// The migration file's text (YAML, the format of `specs/migrations/`); both versions it
    /// names must be registered in the store.
    pub migration: String,
    /// The file name its diagnostics are placed in (default `migration.yaml`).
    #[serde(default)]
    pub file: Option<String>,
    /// `true`: preview only, nothing written. Required, so that no move happens by omission.
    pub dry_run: bool,
    /// Dossiers read at a time, 1–1000 (default 100).
    #[serde(default)]
    pub batch: Option<usize>,
}

/// Whether the caller may move dossiers between versions: an officer (not a citizen) whose
/// role is one of the configured migration roles (default `procedure_admin`).
fn migrator(state: &Shared, headers: &HeaderMap) -> Result<Claims, ApiError> {
    let claims = caller(state, headers)?;
    if claims.is_citizen() || !state.migration_roles.contains(&claims.role) {
        let roles = state.migration_roles.join(", ");
        return Err(ApiError::forbidden(
            "authorization",
            &format!("Chỉ người quản trị thủ tục (vai trò {roles}) được chuyển hồ sơ sang phiên bản mới"),
            &format!("Only procedure administrators (role {roles}) may move dossiers to a new version"),
        ));
    }
    Ok(claims)
}

/// Moves (or, with `dry_run`, previews moving) every running dossier of the version the
/// migration starts from to the one it leads to, at the service's clock, in batches: the
/// report lists per dossier where its steps go, due instants and the appointment before and
/// after, or why it stays pinned. The `migrated` events' actor is the token's caller.
#[utoipa::path(post, path = "/api/v1/migrations", tag = "migrations", request_body = MigrationRequest, security(("bearer" = [])),
    responses((status = 200, description = "The report: `moved`, `pinned` (with the reason), and a preview per dossier", body = Object),
        (status = 403, description = "Not a procedure administrator (`forbidden`)", body = ErrorBody),
        (status = 404, description = "A version the migration names is not registered", body = ErrorBody),
        (status = 422, description = "The migration does not load (`invalid_migration`, every diagnostic in `problems`)", body = ErrorBody)))]
async fn migrations(
    State(state): State<Shared>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<MigrationRequest>,
) -> Result<Json<Value>, ApiError> {
    let claims = migrator(&state, &headers)?;
    let batch = request.batch.unwrap_or(100);
    if !(1..=1000).contains(&batch) {
        return Err(ApiError::bad_request("invalid_body", "batch", "batch phải từ 1 đến 1000", "batch must be 1–1000"));
    }
    let file = request.file.unwrap_or_else(|| "migration.yaml".to_owned());
    let invalid = |e: motcua::LoadError| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: Box::new(ErrorBody {
            code: "invalid_migration".into(),
            field: "migration".into(),
            message: motcua::Message::new(
                format!("Tệp chuyển phiên bản không tải được:\n{e}"),
                format!("The migration does not load:\n{e}"),
            ),
            problems: e.diagnostics().iter().filter_map(|d| serde_json::to_value(d).ok()).collect(),
        }),
    };
    let spec = motcua::spec::migration::MigrationSpec::from_yaml(&request.migration, &file).map_err(invalid)?;
    let now = (state.clock)();
    let actor = claims.actor();
    let dry_run = request.dry_run;
    let text = request.migration;
    let outcome = state
        .with_store(move |store| {
            let unregistered = |version: &str| {
                ApiError::not_found(
                    "migration",
                    &format!("Kho hồ sơ không có {} phiên bản {version}", spec.procedure),
                    &format!("The store holds no {} version {version}", spec.procedure),
                )
            };
            let old = match store.procedure(&spec.procedure, &spec.from) {
                Ok(p) => p,
                Err(motcua_store::StoreError::NotFound(_)) => return Ok(Err(unregistered(&spec.from))),
                Err(e) => return Err(e),
            };
            let new = match store.procedure(&spec.procedure, &spec.to) {
                Ok(p) => p,
                Err(motcua_store::StoreError::NotFound(_)) => return Ok(Err(unregistered(&spec.to))),
                Err(e) => return Err(e),
            };
            let migration = match motcua::version::Migration::from_yaml(&text, &file, &old, &new) {
                Ok(m) => m,
                Err(e) => return Ok(Err(invalid(e))),
            };
            let report = store.migrate_running(&migration, now, &actor, batch, dry_run)?;
            let pinned: Vec<Value> = report
                .pinned()
                .map(|(id, r)| json!({"dossier": id, "code": r.code.as_str(), "message": r.message}))
                .collect();
            Ok(Ok(json!({
                "procedure": spec.procedure,
                "from": spec.from,
                "to": spec.to,
                "migration_sha256": migration.sha256(),
                "dry_run": report.dry_run,
                "at": now.to_rfc3339(),
                "running": report.dossiers.len(),
                "moved": report.moved,
                "pinned": pinned,
                "dossiers": report.dossiers,
            })))
        })
        .await??;
    if !dry_run {
        tracing::info!(
            procedure = %outcome["procedure"], from = %outcome["from"], to = %outcome["to"],
            moved = %outcome["moved"], user = %claims.sub, "dossiers migrated"
        );
    }
    Ok(Json(outcome))
}

pub(crate) use self::openapi_paths::Paths;

mod openapi_paths {
    use super::*;

    /// The paths of the document.
    #[derive(utoipa::OpenApi)]
    #[openapi(
        paths(
            live,
            ready,
            metrics,
            openapi,
            dev_token,
            list_procedures,
            get_procedure,
            diagram,
            source,
            names,
            validate,
            lint,
            submit,
            get_dossier,
            history,
            verify,
            actions,
            command,
            desk,
            report,
            outbox_claim,
            outbox_ack,
            outbox_fail,
            migrations
        ),
        components(schemas(
            ErrorBody,
            DevTokenRequest,
            ProcedureSummary,
            ProcedureSource,
            SourceText,
            Names,
            ValidateRequest,
            LintRequest,
            SubmitRequest,
            Outcome,
            AvailableAction,
            DeskEntry,
            ClaimRequest,
            DeliveryBody,
            AckRequest,
            MigrationRequest,
            Claims
        ))
    )]
    pub struct Paths;
}
