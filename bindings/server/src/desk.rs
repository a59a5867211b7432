//! The one-stop desk and the citizen's page: plain HTML and JavaScript served by the
//! service, with the WASM package for the form when it is built (nothing is fetched from the
//! internet).

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::Shared;
use crate::error::ApiError;

/// The pages and their assets, compiled into the binary.
const FILES: &[(&str, &str, &str)] = &[
    ("index.html", "text/html; charset=utf-8", include_str!("../desk/index.html")),
    ("dossier.html", "text/html; charset=utf-8", include_str!("../desk/dossier.html")),
    ("citizen.html", "text/html; charset=utf-8", include_str!("../desk/citizen.html")),
    ("desk.js", "text/javascript; charset=utf-8", include_str!("../desk/desk.js")),
    ("desk.css", "text/css; charset=utf-8", include_str!("../desk/desk.css")),
    ("index.js", "text/javascript; charset=utf-8", include_str!("../desk/index.js")),
    ("dossier.js", "text/javascript; charset=utf-8", include_str!("../desk/dossier.js")),
    ("citizen.js", "text/javascript; charset=utf-8", include_str!("../desk/citizen.js")),
    // The citizen's page compiles the procedure in the browser (the WASM engine) from the
    // texts the service itself runs (`GET /api/v1/procedures/{code}/source`) or, without the
    // package, asks the service (`POST /api/v1/procedures/{code}/validate`).
];

pub(crate) fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(|| async { page("index.html") }))
        .route("/desk/dossier", get(|| async { page("dossier.html") }))
        .route("/citizen", get(citizen))
        .route("/assets/{file}", get(asset))
        .route("/pkg/{*file}", get(package))
}

fn page(name: &str) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "no-cache")], *body).into_response()
        }
        None => ApiError::not_found("path", "Không có trang này", "No such page").into_response(),
    }
}

/// The citizen's form: validated in the browser by the WASM package when it is served under
/// `/pkg/`, and by the service's own validate endpoint otherwise (the page chooses).
async fn citizen() -> Response {
    page("citizen.html")
}

async fn asset(Path(file): Path<String>) -> Response {
    page(&file)
}

/// Files of the built WASM package (`bindings/wasm/pkg`), for the form pages.
async fn package(State(state): State<Shared>, Path(file): Path<String>) -> Response {
    let not_found = || ApiError::not_found("path", "Không có tệp này", "No such file").into_response();
    let Some(root) = &state.wasm_package else { return not_found() };
    // Only plain names below the package folder: no `..`, no absolute paths.
    if file.split('/').any(|part| part.is_empty() || part == "." || part == ".." || part.contains('\\')) {
        return not_found();
    }
    let mime = match file.rsplit('.').next() {
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("d.ts") | Some("ts") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    match tokio::fs::read(root.join(&file)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, not_found()).into_response(),
    }
}
