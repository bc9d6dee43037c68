//! The server's small HTTP API (room creation).

use gloo_net::http::Request;
use riskroom_core::RoomCode;
use serde::Deserialize;
use serde_json::json;

use crate::error::UserError;

#[derive(Deserialize)]
struct Created {
    code: String,
    key: String,
}

#[derive(Deserialize)]
struct Problem {
    error: String,
}

/// Opens a room; returns its code and the facilitator key.
pub async fn create_room(title: &str) -> Result<(RoomCode, String), UserError> {
    let unreachable =
        || UserError("The Riskroom server cannot be reached. Check that it is running.".into());
    let response = Request::post(&super::paths::api_url("rooms"))
        .json(&json!({ "title": title }))
        .map_err(|_| unreachable())?
        .send()
        .await
        .map_err(|_| unreachable())?;
    if !response.ok() {
        let problem = response
            .json::<Problem>()
            .await
            .map_err(|_| unreachable())?;
        return Err(UserError(problem.error));
    }
    let created: Created = response.json().await.map_err(|_| unreachable())?;
    let code = RoomCode::parse(&created.code)?;
    Ok((code, created.key))
}
