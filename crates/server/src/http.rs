//! HTTP routes: the JSON API, the WebSocket endpoint, health, readiness and
//! metrics, and the built single-page app: its page (`join.html` for join
//! links, `index.html` for every other) as the fallback for its routes.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::error::Error;

/// Every route, answered at the site's root and under the base path alike:
/// a proxy may pass `/tools/riskroom/ws` on as it is or as `/ws`.
pub fn router(state: AppState) -> Router {
    let prefix = state.config.base_path().trim_end_matches('/').to_owned();
    let routes = routes(state);
    if prefix.is_empty() {
        return routes;
    }
    Router::new().fallback_service(tower::service_fn(move |mut request: Request| {
        let below = request
            .uri()
            .path()
            .strip_prefix(prefix.as_str())
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .map(|rest| if rest.is_empty() { "/" } else { rest }.to_owned());
        if let Some(rest) = below {
            let query = request
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            if let Ok(uri) = format!("{rest}{query}").parse() {
                *request.uri_mut() = uri;
            }
        }
        tower::ServiceExt::oneshot(routes.clone(), request)
    }))
}

fn routes(state: AppState) -> Router {
    let csp = content_security_policy(&state.assets.pages_html(), &state.config.frame_ancestors);
    let header = |name: &'static str, value: &str| {
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static(name),
            HeaderValue::from_str(value).expect("header values are ASCII"),
        )
    };
    // Answers that change from one request to the next: never cached.
    let api = Router::new()
        .route(
            "/api/rooms",
            // A room's title is a line: nothing near the default 2 MB.
            post(create_room).layer(axum::extract::DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/api/site", get(site))
        .route("/api/scenarios", get(list_scenarios))
        .route("/api/scenarios/{id}", get(scenario_file))
        .route("/api/scenarios/check", post(check_scenario))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .layer(header("cache-control", "no-store"));
    Router::new()
        .merge(api)
        .route("/ws", get(crate::ws::upgrade))
        .fallback(app_file)
        .layer(header("content-security-policy", &csp))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("referrer-policy", "no-referrer"))
        // A handler that panics answers 500; the server goes on.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            handler_panicked,
        ))
        .with_state(state)
}

fn handler_panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request's handler panicked; it was answered 500");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on the server. Please try again.",
    )
        .into_response()
}

/// Ready to take rooms: the store commits (its writer thread takes the
/// write lock) within two seconds. `/healthz` only says the process runs.
async fn ready(State(state): State<AppState>) -> (StatusCode, String) {
    let store = Arc::clone(state.rooms.store());
    match tokio::time::timeout(std::time::Duration::from_secs(2), store.ready()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready".to_owned()),
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: the room store cannot commit ({e})"),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the room store did not answer within 2 s".to_owned(),
        ),
    }
}

/// The Prometheus text format (OpenMetrics).
async fn metrics() -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        crate::metrics::METRICS.render(),
    )
}

/// A file of the web app, or its page for the app's own routes.
async fn app_file(State(state): State<AppState>, request: Request) -> Response {
    state.assets.respond(
        request.method(),
        request.uri().path(),
        request.uri().query(),
        request.headers(),
    )
}

/// The CSP for the app: only our own files, WebAssembly compilation, the
/// inline start-up scripts of the app's pages (`html`, one after the other)
/// by their hashes, and the framing the configuration allows.
pub fn content_security_policy(html: &str, frame_ancestors: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_start = open_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        let body = &after[body_start..body_start + close];
        if !tag.contains(" src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            let hash = format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        rest = &after[body_start + close..];
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'; frame-ancestors {frame_ancestors}",
        hashes.join(" ")
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRoomRequest {
    pub title: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CreateRoomResponse {
    pub code: String,
    /// The facilitator key: shown once, kept by the facilitator's browser.
    pub key: String,
}

async fn create_room(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    body: Result<Json<CreateRoomRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<CreateRoomResponse>), Error> {
    if !state.joins.allow(peer.ip()) {
        return Err(Error::TooMany(
            "Too many rooms created from your network; wait a minute and try again.".into(),
        ));
    }
    let Json(request) = body.map_err(|e| Error::BadRequest(e.body_text()))?;
    let (code, key) = state.rooms.create(&request.title).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreateRoomResponse {
            code: code.to_string(),
            key: key.expose().to_owned(),
        }),
    ))
}

/// The scenarios this server offers: built-in, then its folder's.
/// Where people reach this server, for join links and QR codes.
async fn site(State(state): State<AppState>) -> Json<crate::site::Site> {
    Json(state.site.as_ref().clone())
}

async fn list_scenarios(
    State(state): State<AppState>,
) -> Json<Vec<crate::scenarios::LibraryListing>> {
    Json(state.library.iter().map(|e| e.listing()).collect())
}

/// One library scenario's file, as written.
async fn scenario_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<([(axum::http::HeaderName, &'static str); 1], String), Error> {
    state
        .library
        .iter()
        .find(|e| e.scenario.id == id)
        .map(|e| {
            (
                [(
                    axum::http::header::CONTENT_TYPE,
                    "text/plain; charset=utf-8",
                )],
                e.text.clone(),
            )
        })
        .ok_or_else(|| Error::NotFound(format!("There is no scenario \"{id}\" on this server.")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    pub file: String,
    pub text: String,
}

/// Largest check request read: a scenario file at its largest, as JSON
/// text with room for escapes.
const CHECK_BODY_BYTES: usize = 4 * riskroom_core::scenario::MAX_FILE_BYTES;
/// Longest a check request's body may take to arrive.
const CHECK_BODY_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Checks a scenario file by the same rules as `check-scenario` (size
/// included); changes nothing. Limited per address before the body is
/// read; the body is decoded and checked on the blocking pool, a few at a
/// time, within a time budget.
async fn check_scenario(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    body: axum::body::Body,
) -> Result<Json<crate::scenarios::Check>, Error> {
    if !state.checks.allow(peer.ip()) {
        return Err(Error::TooMany(
            "Too many scenario files checked from your network; wait a minute and try again."
                .into(),
        ));
    }
    let bytes = match tokio::time::timeout(
        CHECK_BODY_WAIT,
        axum::body::to_bytes(body, CHECK_BODY_BYTES),
    )
    .await
    {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            return Err(Error::BadRequest(format!(
                "This file is too large to check: a scenario file can be at most {} KB.",
                riskroom_core::scenario::MAX_FILE_BYTES / 1024
            )));
        }
        Err(_) => {
            return Err(Error::BadRequest(
                "The file did not arrive in time; try again.".into(),
            ));
        }
    };
    let checked = state
        .costly
        .try_run(move || {
            let Json(request) = Json::<CheckRequest>::from_bytes(&bytes)
                .map_err(|e| Error::BadRequest(e.body_text()))?;
            let file = riskroom_core::text::clean_line(&request.file, "a file name", 200)
                .unwrap_or_else(|_| "scenario.toml".to_owned());
            Ok(crate::scenarios::check_text(&file, &request.text))
        })
        .await;
    match checked {
        Ok(verdict) => verdict.map(Json),
        Err(crate::work::Refused::Busy) => Err(Error::Busy(
            "The server is busy checking other scenario files; try again in a moment.".into(),
        )),
        Err(crate::work::Refused::TooLong) => Err(Error::Busy(
            "Checking this file took too long; try again in a moment, or with a smaller file."
                .into(),
        )),
    }
}
