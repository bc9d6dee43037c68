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

/// A scenario the server offers (built-in, or from its scenario folder).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LibraryScenario {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub file: String,
    pub origin: String,
}

/// The verdict on a scenario file, in the words of `check-scenario`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Valid { title: String, summary: String },
    Invalid { problems: Vec<String> },
}

/// Has the server check a scenario file by the core's rules (nothing changes).
pub async fn check_scenario(file: &str, text: &str) -> Result<Verdict, UserError> {
    let unreachable =
        || UserError("The Riskroom server cannot be reached to check the file.".into());
    let response = Request::post(&super::paths::api_url("scenarios/check"))
        .json(&json!({ "file": file, "text": text }))
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
    response.json().await.map_err(|_| unreachable())
}

/// The scenarios the server offers.
pub async fn library() -> Result<Vec<LibraryScenario>, UserError> {
    let response = Request::get(&super::paths::api_url("scenarios"))
        .send()
        .await
        .map_err(|_| UserError("The list of scenarios could not be loaded.".into()))?;
    response
        .json()
        .await
        .map_err(|_| UserError("The list of scenarios could not be read.".into()))
}

/// The text of one of the server's scenario files.
pub async fn library_file(id: &str) -> Result<String, UserError> {
    let response = Request::get(&super::paths::api_url(&format!("scenarios/{id}")))
        .send()
        .await
        .map_err(|_| UserError("The scenario file could not be loaded.".into()))?;
    if !response.ok() {
        let problem = response
            .json::<Problem>()
            .await
            .map_err(|_| UserError("The scenario file could not be loaded.".into()))?;
        return Err(UserError(problem.error));
    }
    response
        .text()
        .await
        .map_err(|_| UserError("The scenario file could not be read.".into()))
}
