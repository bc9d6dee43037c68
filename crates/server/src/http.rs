//! HTTP routes: the JSON API, the WebSocket endpoint, health, and the built
//! single-page app with `index.html` as the fallback for its routes.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;
use crate::error::Error;

pub fn router(state: AppState) -> Router {
    let dir = &state.config.static_dir;
    let spa = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
    Router::new()
        .route("/api/rooms", post(create_room))
        .route("/ws", get(crate::ws::upgrade))
        .route("/healthz", get(|| async { "ok" }))
        .fallback_service(spa)
        .with_state(state)
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
    body: Result<Json<CreateRoomRequest>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<CreateRoomResponse>), Error> {
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
