//! The one error shape of the API: the core's rejection shape, with an HTTP status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua::{Message, Rejection};
use motcua_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response: the same shape as the core's `Rejection`
/// (`specs/schema/runtime/rejection.schema.json`), with codes of the service added
/// (`unauthorized`, `rate_limited`, `payload_too_large`, …). No stack trace, no SQL.
///
/// ```
/// let body = motcua_server::ErrorBody::new("not_found", "id", "Không tìm thấy hồ sơ", "No such dossier");
/// assert_eq!(serde_json::to_value(&body).unwrap()["message"]["en"], "No such dossier");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct ErrorBody {
    /// A stable, machine-readable code.
    pub code: String,
    /// The request part at fault: a body field (`action`, `actor.unit`, `data`), a header
    /// (`authorization`, `if-match`), a path or query parameter; empty when none is.
    pub field: String,
    /// Explanation in Vietnamese and English.
    #[schema(value_type = Object)]
    pub message: Message,
    /// For `invalid_form`: every problem of the form and documents, with its JSON path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<serde_json::Value>,
}

impl ErrorBody {
    /// An error with no problems list.
    pub fn new(code: &str, field: &str, vi: &str, en: &str) -> ErrorBody {
        ErrorBody { code: code.into(), field: field.into(), message: Message::new(vi, en), problems: Vec::new() }
    }
}

/// An error on its way to becoming a response.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body (boxed: errors travel in `Result`s, kept small).
    pub body: Box<ErrorBody>,
}

impl ApiError {
    /// An error with a status and a body.
    pub fn new(status: StatusCode, code: &str, field: &str, vi: &str, en: &str) -> ApiError {
        ApiError { status, body: Box::new(ErrorBody::new(code, field, vi, en)) }
    }

    /// `400 bad_request` for a malformed part of the request.
    pub fn bad_request(code: &str, field: &str, vi: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, field, vi, en)
    }

    /// `404 not_found`.
    pub fn not_found(field: &str, vi: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", field, vi, en)
    }

    /// `403 forbidden`: the caller may not see or do this.
    pub fn forbidden(field: &str, vi: &str, en: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", field, vi, en)
    }

    /// The engine's rejection, with the status its code calls for.
    pub fn rejection(rejection: &Rejection) -> ApiError {
        let code = rejection.code.as_str();
        let status = match code {
            "forbidden" | "wrong_unit" => StatusCode::FORBIDDEN,
            "version_conflict" | "idempotency_conflict" | "dossier_closed" => StatusCode::CONFLICT,
            "tampered_history" | "invalid_history" | "tampered_snapshot" | "unchecked_snapshot" => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError {
            status,
            body: Box::new(ErrorBody {
                code: code.to_owned(),
                field: rejection.field.clone(),
                message: rejection.message.clone(),
                problems: rejection.problems.iter().filter_map(|p| serde_json::to_value(p).ok()).collect(),
            }),
        }
    }

    /// A store error. Database details go to the log, never to the caller.
    pub fn store(error: &StoreError) -> ApiError {
        match error {
            StoreError::Rejected(r) => ApiError::rejection(r),
            StoreError::VersionConflict { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "version_conflict",
                "if-match",
                "Hồ sơ đã được cập nhật bởi thao tác khác; tải lại rồi thử lại",
                "The dossier changed since it was read; reload and try again",
            ),
            StoreError::IdempotencyConflict { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_conflict",
                "idempotency-key",
                "Khóa lặp lại đã được dùng cho một yêu cầu khác",
                "The idempotency key was used for another request",
            ),
            StoreError::Duplicate(_) => ApiError::new(
                StatusCode::CONFLICT,
                "duplicate",
                "dossier_id",
                "Mã hồ sơ đã được dùng cho hồ sơ khác",
                "The dossier id is taken by another dossier",
            ),
            StoreError::NotFound(_) => ApiError::not_found("id", "Không tìm thấy", "Not found"),
            StoreError::Unavailable(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "",
                "Cơ sở dữ liệu tạm thời không phục vụ được; thử lại sau",
                "The database is unavailable for now; try again later",
            ),
            StoreError::Integrity(_) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "integrity",
                "",
                "Dữ liệu hồ sơ được lưu không khớp với lịch sử của nó",
                "The stored dossier does not check out against its history",
            ),
            StoreError::InvalidProcedure(_) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_procedure",
                "",
                "Quy trình không biên dịch được",
                "The procedure does not compile",
            ),
            _ => ApiError::internal(),
        }
    }

    /// `500 internal`, with nothing of the cause.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "",
            "Lỗi nội bộ của máy chủ",
            "Internal server error",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(*self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match &error {
            StoreError::Database(_) | StoreError::Schema(_) | StoreError::Integrity(_) => {
                tracing::error!(code = error.code(), error = %error, "store error");
            }
            _ => tracing::debug!(code = error.code(), error = %error, "store error"),
        }
        ApiError::store(&error)
    }
}
